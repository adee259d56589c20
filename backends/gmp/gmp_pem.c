/*
 * PEM armour and base64 (RFC 7468, strict form), for the gmp backend's keys.
 * See gmp_der.h for what is accepted and for the contract.
 *
 * The base64 text of a private key is the key, so characters are converted
 * to and from their 6-bit values with masks instead of a table indexed by
 * the character (no secret-dependent memory index), and every buffer that
 * held decoded bytes is wiped on the error paths.  Branches on the line
 * structure ('\n', '=', the END line) follow public layout, not key bits.
 */
#include <string.h>

#include "backends/gmp/gmp_der.h"

#include "base/ct.h"
#include "base/errors.h"

#define GMP_PEM_LINE 64

static const char gmp_begin[] = "-----BEGIN ";
static const char gmp_end[] = "-----END ";
static const char gmp_dashes[] = "-----";

/* ~0u when lo <= c <= hi, else 0, without a branch (c, lo, hi < 2^16). */
static uint32_t gmp_in_range(uint32_t c, uint32_t lo, uint32_t hi)
{
    uint32_t ge = (lo - 1u - c) >> 31; /* 1 when c >= lo */
    uint32_t le = (c - hi - 1u) >> 31; /* 1 when c <= hi */
    return 0u - (ge & le);
}

/* The 6-bit value of a base64 character, or -1 for any other byte. */
static int gmp_b64_val(uint8_t ch)
{
    uint32_t c = ch;
    uint32_t v = 0, ok = 0, m;
    m = gmp_in_range(c, 'A', 'Z'); v |= (c - 'A') & m; ok |= m;
    m = gmp_in_range(c, 'a', 'z'); v |= (c - 'a' + 26) & m; ok |= m;
    m = gmp_in_range(c, '0', '9'); v |= (c - '0' + 52) & m; ok |= m;
    m = gmp_in_range(c, '+', '+'); v |= 62u & m; ok |= m;
    m = gmp_in_range(c, '/', '/'); v |= 63u & m; ok |= m;
    /* the ranges are disjoint: ok is all-ones or zero */
    return (int)(v & ok) - (int)(~ok & 1u);
}

/* The base64 character of a 6-bit value. */
static char gmp_b64_char(uint32_t v)
{
    uint32_t c = 0;
    c |= (v + 'A') & gmp_in_range(v, 0, 25);
    c |= (v - 26 + 'a') & gmp_in_range(v, 26, 51);
    c |= (v - 52 + '0') & gmp_in_range(v, 52, 61);
    c |= (uint32_t)'+' & gmp_in_range(v, 62, 62);
    c |= (uint32_t)'/' & gmp_in_range(v, 63, 63);
    return (char)c;
}

static int gmp_is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1 when in[pos..] starts with lit. */
static int gmp_match(const uint8_t *in, size_t len, size_t pos, const char *lit)
{
    size_t n = strlen(lit);
    return pos <= len && len - pos >= n && memcmp(in + pos, lit, n) == 0;
}

/* Length of the line end ("\n" or "\r\n") at pos, 0 when there is none. */
static size_t gmp_eol(const uint8_t *in, size_t len, size_t pos)
{
    if (pos < len && in[pos] == '\n')
        return 1;
    if (pos + 1 < len && in[pos] == '\r' && in[pos + 1] == '\n')
        return 2;
    return 0;
}

/* Append the NUL-terminated s at p (without its NUL); returns the new end. */
static char *gmp_put(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static int gmp_pem_bad(const char *why)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "PEM: %s", why);
}

/* After "-----BEGIN " or "-----END " at pos: "<label>-----".  Returns the
 * position after it, or 0 with *found set to the label that was there. */
static size_t gmp_label(const uint8_t *in, size_t len, size_t pos,
                        const char *label, const uint8_t **found, size_t *flen)
{
    size_t n = strlen(label);
    if (gmp_match(in, len, pos, label) && gmp_match(in, len, pos + n, gmp_dashes))
        return pos + n + strlen(gmp_dashes);
    size_t e = pos;
    while (e < len && e - pos < 40 && in[e] >= 0x20 && in[e] < 0x7f &&
           !gmp_match(in, len, e, gmp_dashes))
        e++;
    *found = in + pos;
    *flen = e - pos;
    return 0;
}

/* The first body line is an RFC 1421 header when it has a ':'. */
static int gmp_check_header(const uint8_t *in, size_t len, size_t pos)
{
    size_t e = pos;
    int colon = 0;
    while (e < len && in[e] != '\n') {
        if (in[e] == ':')
            colon = 1;
        e++;
    }
    if (!colon)
        return RLAB_OK;
    static const char enc[] = "ENCRYPTED";
    if (gmp_match(in, len, pos, "Proc-Type:")) {
        for (size_t i = pos; i + sizeof enc - 1 <= e; i++)
            if (memcmp(in + i, enc, sizeof enc - 1) == 0)
                return gmp_pem_bad("encrypted PEM not supported");
    }
    return gmp_pem_bad("PEM headers not supported");
}

/* Decode base64 body [pos, end): lines already checked to hold only base64
 * characters and '=', each followed by a line end. */
static int gmp_b64_decode(const uint8_t *in, size_t pos, size_t end,
                          struct rlab_buf *der)
{
    size_t nchars = 0, npad = 0;
    for (size_t i = pos; i < end; i++) {
        if (in[i] == '\r' || in[i] == '\n')
            continue;
        if (in[i] == '=')
            npad++;
        else if (npad > 0)
            return gmp_pem_bad("base64 data after '=' padding");
        nchars++;
    }
    if (nchars == 0)
        return gmp_pem_bad("empty body");
    if (nchars % 4 != 0)
        return gmp_pem_bad("base64 length is not a multiple of 4");
    if (npad > 2)
        return gmp_pem_bad("more than two '=' padding characters");

    int rc = rlab_buf_alloc(der, nchars / 4 * 3 - npad);
    if (rc != RLAB_OK)
        return rc;
    uint32_t quad[4];
    size_t q = 0, o = 0, data = nchars - npad;
    for (size_t i = pos, seen = 0; i < end && seen < data; i++) {
        if (in[i] == '\r' || in[i] == '\n')
            continue;
        quad[q++] = (uint32_t)gmp_b64_val(in[i]) & 63u;
        seen++;
        if (q == 4) {
            uint32_t v = quad[0] << 18 | quad[1] << 12 | quad[2] << 6 | quad[3];
            der->data[o++] = (uint8_t)(v >> 16);
            der->data[o++] = (uint8_t)(v >> 8);
            der->data[o++] = (uint8_t)v;
            q = 0;
        }
    }
    uint32_t stray = 0; /* bits under the padding must be zero (canonical) */
    if (q == 2) {
        der->data[o++] = (uint8_t)(quad[0] << 2 | quad[1] >> 4);
        stray = quad[1] & 0x0f;
    } else if (q == 3) {
        uint32_t v = quad[0] << 10 | quad[1] << 4 | quad[2] >> 2;
        der->data[o++] = (uint8_t)(v >> 8);
        der->data[o++] = (uint8_t)v;
        stray = quad[2] & 0x03;
    }
    rlab_wipe(quad, sizeof quad);
    if (stray != 0) {
        rlab_buf_clear(der);
        return gmp_pem_bad("non-canonical base64 (bits under the padding are not zero)");
    }
    return RLAB_OK;
}

/* see gmp_der.h */
int rlab_gmp_pem_decode(const char *label, const uint8_t *in, size_t len,
                        struct rlab_buf *der)
{
    der->data = NULL;
    der->len = 0;
    const uint8_t *found = NULL;
    size_t flen = 0, pos = 0, n;

    while (pos < len && gmp_is_ws(in[pos]))
        pos++;
    if (!gmp_match(in, len, pos, gmp_begin))
        return gmp_pem_bad("no \"-----BEGIN \" line");
    pos += strlen(gmp_begin);
    size_t after = gmp_label(in, len, pos, label, &found, &flen);
    if (after == 0) {
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "PEM: label is \"%.*s\", expected \"%s\"",
                              (int)flen, (const char *)found, label);
    }
    pos = after;
    if ((n = gmp_eol(in, len, pos)) == 0)
        return gmp_pem_bad(pos == len ? "missing END line" : "text after the BEGIN line");
    pos += n;
    int rc = gmp_check_header(in, len, pos);
    if (rc != RLAB_OK)
        return rc;

    size_t body = pos;
    unsigned line = 1;
    for (;; line++) {
        if (pos == len)
            return gmp_pem_bad("missing END line");
        if (gmp_match(in, len, pos, gmp_end))
            break;
        size_t start = pos;
        while (pos < len && (in[pos] == '=' || gmp_b64_val(in[pos]) >= 0))
            pos++;
        if ((n = gmp_eol(in, len, pos)) == 0) {
            if (pos == len)
                return gmp_pem_bad("missing END line");
            return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                                  "PEM: bad character 0x%02x in base64 line %u",
                                  in[pos], line);
        }
        if (pos == start)
            return gmp_pem_bad("blank line in the body");
        pos += n;
    }
    size_t body_end = pos;
    pos += strlen(gmp_end);
    after = gmp_label(in, len, pos, label, &found, &flen);
    if (after == 0) {
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "PEM: END label is \"%.*s\", expected \"%s\"",
                              (int)flen, (const char *)found, label);
    }
    for (pos = after; pos < len; pos++)
        if (!gmp_is_ws(in[pos]))
            return gmp_pem_bad("data after the END line");
    return gmp_b64_decode(in, body, body_end, der);
}

/* see gmp_der.h */
int rlab_gmp_pem_encode(const char *label, const uint8_t *der, size_t der_len,
                        struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    size_t llen = strlen(label);
    if (der_len == 0 || der_len > SIZE_MAX / 2 || llen > 64)
        return RLAB_ERR_INVALID_ARG;
    size_t b64 = (der_len + 2) / 3 * 4;
    size_t lines = (b64 + GMP_PEM_LINE - 1) / GMP_PEM_LINE;
    size_t head = strlen(gmp_begin) + llen + strlen(gmp_dashes) + 1;
    size_t tail = strlen(gmp_end) + llen + strlen(gmp_dashes) + 1;
    int rc = rlab_buf_alloc(out, head + b64 + lines + tail);
    if (rc != RLAB_OK)
        return rc;

    char *p = (char *)out->data;
    p = gmp_put(gmp_put(gmp_put(p, gmp_begin), label), gmp_dashes);
    *p++ = '\n';
    size_t col = 0;
    for (size_t i = 0; i < der_len; i += 3) {
        size_t left = der_len - i;
        uint32_t v = (uint32_t)der[i] << 16;
        if (left > 1)
            v |= (uint32_t)der[i + 1] << 8;
        if (left > 2)
            v |= der[i + 2];
        char quad[4] = {
            gmp_b64_char(v >> 18 & 63), gmp_b64_char(v >> 12 & 63),
            left > 1 ? gmp_b64_char(v >> 6 & 63) : '=',
            left > 2 ? gmp_b64_char(v & 63) : '=',
        };
        for (size_t k = 0; k < 4; k++) {
            *p++ = quad[k];
            if (++col == GMP_PEM_LINE) {
                *p++ = '\n';
                col = 0;
            }
        }
        rlab_wipe(quad, sizeof quad);
    }
    if (col != 0)
        *p++ = '\n';
    p = gmp_put(gmp_put(gmp_put(p, gmp_end), label), gmp_dashes);
    *p++ = '\n';
    /* The size above is exact by construction; say so rather than trust it. */
    if ((size_t)(p - (char *)out->data) != out->len) {
        rlab_buf_clear(out);
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "PEM: internal size mismatch");
    }
    return RLAB_OK;
}
