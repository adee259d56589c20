/*
 * PEM armour (RFC 7468, strict form) for backends/keycodec.h.
 *
 * A library's base64 decoder is usually lenient (whitespace anywhere,
 * non-canonical padding bits), and a private key's base64
 * text is the key: characters are mapped to 6-bit values with masks here,
 * never with a table indexed by a secret character.  The line structure
 * ('\n', '=', the END line) is public layout and is branched on.
 *
 * Accepted: optional whitespace, "-----BEGIN <label>-----", LF or CRLF line
 * ends, non-empty base64 lines (no blank lines, no spaces, no RFC 1421
 * headers), '=' only at the very end and canonical, "-----END <label>-----",
 * optional whitespace.  Written: 64-character lines, LF, final newline.
 */
#include <stdio.h>
#include <string.h>

#include "backends/keycodec.h"
#include "base/ct.h"

#define KC_PEM_LINE 64

static int kc_pem_bad(const char *why)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "PEM: %s", why);
}

/* ~0 when lo <= c <= hi (all values below 2^16), without a branch. */
static uint32_t kc_range(uint32_t c, uint32_t lo, uint32_t hi)
{
    return 0u - (((lo - 1u - c) >> 31) & ((c - hi - 1u) >> 31));
}

/* 6-bit value of a base64 character, or -1. */
static int kc_b64_val(uint8_t ch)
{
    uint32_t c = ch, v = 0, ok = 0, m;
    m = kc_range(c, 'A', 'Z'); v |= (c - 'A') & m; ok |= m;
    m = kc_range(c, 'a', 'z'); v |= (c - 'a' + 26) & m; ok |= m;
    m = kc_range(c, '0', '9'); v |= (c - '0' + 52) & m; ok |= m;
    m = kc_range(c, '+', '+'); v |= 62u & m; ok |= m;
    m = kc_range(c, '/', '/'); v |= 63u & m; ok |= m;
    return (int)(v & ok) - (int)(~ok & 1u);
}

static char kc_b64_chr(uint32_t v)
{
    uint32_t c = ((v + 'A') & kc_range(v, 0, 25)) | ((v + 'a' - 26) & kc_range(v, 26, 51)) |
                 ((v + '0' - 52) & kc_range(v, 52, 61)) | ('+' & kc_range(v, 62, 62)) |
                 ('/' & kc_range(v, 63, 63));
    return (char)c;
}

static int kc_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* in[pos..] starts with the n bytes of s. */
static int kc_at(const uint8_t *in, size_t len, size_t pos, const char *s, size_t n)
{
    return pos <= len && len - pos >= n && memcmp(in + pos, s, n) == 0;
}

/* Line end at pos: 1 ("\n"), 2 ("\r\n") or 0. */
static size_t kc_eol(const uint8_t *in, size_t len, size_t pos)
{
    if (pos < len && in[pos] == '\n')
        return 1;
    return pos + 1 < len && in[pos] == '\r' && in[pos + 1] == '\n' ? 2 : 0;
}

/* "<dash>BEGIN label<dash>" or END at pos; the position after it, else 0. */
static size_t kc_boundary(const uint8_t *in, size_t len, size_t pos, const char *kind,
                           const char *label)
{
    char line[96];
    int n = snprintf(line, sizeof line, "-----%s %s-----", kind, label);
    if (n <= 0 || (size_t)n >= sizeof line || !kc_at(in, len, pos, line, (size_t)n))
        return 0;
    return pos + (size_t)n;
}

/* Decode the base64 lines of [pos, end) into der (lines already checked). */
static int kc_b64_decode(const uint8_t *in, size_t pos, size_t end, struct rlab_buf *der)
{
    size_t chars = 0, pad = 0;
    for (size_t i = pos; i < end; i++) {
        if (in[i] == '\r' || in[i] == '\n')
            continue;
        if (in[i] == '=')
            pad++;
        else if (pad > 0)
            return kc_pem_bad("base64 after '=' padding");
        chars++;
    }
    if (chars == 0 || chars % 4 != 0 || pad > 2)
        return kc_pem_bad(chars == 0 ? "empty body" : "base64 length or padding is wrong");
    int rc = rlab_buf_alloc(der, chars / 4 * 3 - pad);
    if (rc != RLAB_OK)
        return rc;
    uint32_t acc = 0, stray = 0;
    size_t q = 0, o = 0, seen = 0, data = chars - pad;
    for (size_t i = pos; i < end && seen < data; i++) {
        if (in[i] == '\r' || in[i] == '\n')
            continue;
        acc = acc << 6 | ((uint32_t)kc_b64_val(in[i]) & 63u);
        seen++;
        if (++q == 4) {
            der->data[o++] = (uint8_t)(acc >> 16);
            der->data[o++] = (uint8_t)(acc >> 8);
            der->data[o++] = (uint8_t)acc;
            q = 0;
            acc = 0;
        }
    }
    if (q == 2) {
        der->data[o++] = (uint8_t)(acc >> 4);
        stray = acc & 0x0f;
    } else if (q == 3) {
        der->data[o++] = (uint8_t)(acc >> 10);
        der->data[o++] = (uint8_t)(acc >> 2);
        stray = acc & 0x03;
    }
    rlab_wipe(&acc, sizeof acc);
    if (stray != 0) {
        rlab_buf_clear(der);
        return kc_pem_bad("non-canonical base64 (bits under the padding)");
    }
    return RLAB_OK;
}

/* see keycodec.h */
int rlab_keycodec_pem_decode(const char *label, const uint8_t *in, size_t len, struct rlab_buf *der)
{
    *der = (struct rlab_buf)RLAB_BUF_INIT;
    size_t pos = 0, n;
    while (pos < len && kc_ws(in[pos]))
        pos++;
    size_t after = kc_boundary(in, len, pos, "BEGIN", label);
    if (after == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "PEM: no \"-----BEGIN %s-----\" line",
                              label);
    pos = after;
    if ((n = kc_eol(in, len, pos)) == 0)
        return kc_pem_bad("text after the BEGIN line");
    pos += n;
    size_t body = pos;
    for (;;) {
        if (pos >= len)
            return kc_pem_bad("missing END line");
        if (kc_at(in, len, pos, "-----END ", 9))
            break;
        size_t start = pos;
        while (pos < len && (in[pos] == '=' || kc_b64_val(in[pos]) >= 0))
            pos++;
        if (pos < len && in[pos] == ':')
            return kc_pem_bad("PEM headers (encrypted PEM?) not supported");
        if ((n = kc_eol(in, len, pos)) == 0)
            return kc_pem_bad(pos >= len ? "missing END line" : "bad character in the body");
        if (pos == start)
            return kc_pem_bad("blank line in the body");
        pos += n;
    }
    size_t body_end = pos;
    after = kc_boundary(in, len, pos, "END", label);
    if (after == 0)
        return kc_pem_bad("END label does not match the BEGIN label");
    for (pos = after; pos < len; pos++)
        if (!kc_ws(in[pos]))
            return kc_pem_bad("data after the END line");
    return kc_b64_decode(in, body, body_end, der);
}

/* see keycodec.h */
int rlab_keycodec_pem_encode(const char *label, const uint8_t *der, size_t der_len,
                        struct rlab_buf *out)
{
    *out = (struct rlab_buf)RLAB_BUF_INIT;
    char begin[64], end[64];
    int bl = snprintf(begin, sizeof begin, "-----BEGIN %s-----\n", label);
    int el = snprintf(end, sizeof end, "-----END %s-----\n", label);
    if (der_len == 0 || bl <= 0 || el <= 0 || (size_t)bl >= sizeof begin ||
        (size_t)el >= sizeof end)
        return RLAB_ERR_INVALID_ARG;
    size_t b64 = (der_len + 2) / 3 * 4, lines = (b64 + KC_PEM_LINE - 1) / KC_PEM_LINE;
    int rc = rlab_buf_alloc(out, (size_t)bl + b64 + lines + (size_t)el);
    if (rc != RLAB_OK)
        return rc;
    char *p = (char *)out->data;
    memcpy(p, begin, (size_t)bl);
    p += bl;
    size_t col = 0;
    for (size_t i = 0; i < der_len; i += 3) {
        size_t left = der_len - i;
        uint32_t v = (uint32_t)der[i] << 16 | (left > 1 ? (uint32_t)der[i + 1] << 8 : 0) |
                     (left > 2 ? der[i + 2] : 0);
        char quad[4] = {kc_b64_chr(v >> 18 & 63), kc_b64_chr(v >> 12 & 63),
                        left > 1 ? kc_b64_chr(v >> 6 & 63) : '=',
                        left > 2 ? kc_b64_chr(v & 63) : '='};
        for (int k = 0; k < 4; k++) {
            *p++ = quad[k];
            if (++col == KC_PEM_LINE) {
                *p++ = '\n';
                col = 0;
            }
        }
        rlab_wipe(quad, sizeof quad);
        rlab_wipe(&v, sizeof v);
    }
    if (col != 0)
        *p++ = '\n';
    memcpy(p, end, (size_t)el);
    p += el;
    if ((size_t)(p - (char *)out->data) != out->len) {
        rlab_buf_clear(out);
        return rlab_error_set(RLAB_ERR_BACKEND, "PEM writer: size mismatch");
    }
    return RLAB_OK;
}
