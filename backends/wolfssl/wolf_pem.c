/*
 * PEM armour for the wolfSSL backend.  Out: wc_DerToPemEx (64-character
 * lines, LF).  In: our own strict reader, because wc_PemToDer searches the
 * text for the header and ignores what lies around the block, and it
 * decides the label itself; the interface asks for exactly one block of the
 * requested label.
 *
 * Accepted: optional whitespace, "-----BEGIN <label>-----", lines ending in
 * LF or CRLF, non-empty base64 lines from the strict alphabet with '='
 * padding only at the very end and zero unused bits, "-----END <label>-----",
 * optional whitespace.  No RFC 1421 headers (an encrypted PEM is refused with
 * that detail).  Everything else is RLAB_ERR_KEY_FORMAT.
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/wolfssl/wolf_internal.h"

static const char *const wolf_labels[RLAB_KEYFMT_COUNT] = {
    [RLAB_KEYFMT_PKCS1_PRIV] = "RSA PRIVATE KEY",
    [RLAB_KEYFMT_PKCS1_PUB] = "RSA PUBLIC KEY",
    [RLAB_KEYFMT_PKCS8] = "PRIVATE KEY",
    [RLAB_KEYFMT_SPKI] = "PUBLIC KEY",
};

/* see wolf_internal.h */
const char *rlab_wolf_pem_label(rlab_keyfmt fmt)
{
    return (unsigned)fmt < RLAB_KEYFMT_COUNT ? wolf_labels[fmt] : NULL;
}

static int wolf_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Value of a base64 character, or -1. */
static int wolf_b64(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static int wolf_pem_bad(const char *why)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "PEM: %s", why);
}

/* Does in[*i..len) start with the armour line "-----<kw> <label>-----"?
 * Moves *i past it. */
static int wolf_armour(const uint8_t *in, size_t len, size_t *i, const char *kw,
                       const char *label)
{
    size_t kl = strlen(kw), ll = strlen(label);
    size_t need = 5 + kl + 1 + ll + 5;
    if (len - *i < need)
        return 0;
    const uint8_t *p = in + *i;
    if (memcmp(p, "-----", 5) != 0 || memcmp(p + 5, kw, kl) != 0 || p[5 + kl] != ' ' ||
        memcmp(p + 6 + kl, label, ll) != 0 || memcmp(p + 6 + kl + ll, "-----", 5) != 0)
        return 0;
    *i += need;
    return 1;
}

/* Past an end of line (LF or CRLF); 0 when there is none. */
static int wolf_eol(const uint8_t *in, size_t len, size_t *i)
{
    if (*i < len && in[*i] == '\n') {
        *i += 1;
        return 1;
    }
    if (len - *i >= 2 && in[*i] == '\r' && in[*i + 1] == '\n') {
        *i += 2;
        return 1;
    }
    return 0;
}

/* Strict base64 of b64[0..n) into der. */
static int wolf_b64_decode(const uint8_t *b64, size_t n, struct rlab_buf *der)
{
    if (n == 0 || n % 4 != 0)
        return wolf_pem_bad("base64 body is empty or not a multiple of 4 characters");
    size_t pad = (b64[n - 1] == '=') + (b64[n - 1] == '=' && b64[n - 2] == '=');
    int rc = rlab_buf_alloc(der, n / 4 * 3 - pad);
    if (rc != RLAB_OK)
        return rc;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        for (int j = 0; j < 4; j++) {
            size_t at = i + (size_t)j;
            v[j] = at >= n - pad ? 0 : wolf_b64(b64[at]);
            if (v[j] < 0) {
                rlab_buf_clear(der);
                return wolf_pem_bad("a character outside base64 or misplaced '='");
            }
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 |
                     (uint32_t)v[3];
        uint8_t b[3] = {(uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w};
        size_t take = i + 4 == n ? 3 - pad : 3;
        /* Canonical: the bits the padding leaves over are zero. */
        if (i + 4 == n && ((pad == 1 && b[2] != 0) || (pad == 2 && b[1] != 0))) {
            rlab_buf_clear(der);
            return wolf_pem_bad("non-canonical base64 padding");
        }
        memcpy(der->data + o, b, take);
        o += take;
        rlab_wipe(b, sizeof b);
    }
    return RLAB_OK;
}

/* see wolf_internal.h */
int rlab_wolf_pem_decode(rlab_keyfmt fmt, const uint8_t *in, size_t len,
                         struct rlab_buf *der)
{
    der->data = NULL;
    der->len = 0;
    const char *label = rlab_wolf_pem_label(fmt);
    if (label == NULL)
        return RLAB_ERR_INVALID_ARG;
    size_t i = 0;
    while (i < len && wolf_ws(in[i]))
        i++;
    if (!wolf_armour(in, len, &i, "BEGIN", label) || !wolf_eol(in, len, &i))
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "expected a -----BEGIN %s----- line",
                              label);
    uint8_t *b64 = malloc(len);
    if (b64 == NULL)
        return RLAB_ERR_NOMEM;
    size_t n = 0;
    int rc = RLAB_OK;
    for (;;) {
        if (i < len && in[i] == '-') {
            if (!wolf_armour(in, len, &i, "END", label)) {
                rc = wolf_pem_bad("bad or mismatched END line");
                goto done;
            }
            break;
        }
        size_t start = i;
        while (i < len && in[i] != '\n' && in[i] != '\r') {
            if (in[i] == ':') {
                rc = wolf_pem_bad(memmem(in + start, len - start, "ENCRYPTED", 9) != NULL
                                      ? "encrypted PEM is not supported"
                                      : "PEM headers are not supported");
                goto done;
            }
            if (wolf_b64(in[i]) < 0 && in[i] != '=') {
                rc = wolf_pem_bad("a character outside base64");
                goto done;
            }
            b64[n++] = in[i++];
        }
        if (i == start || !wolf_eol(in, len, &i)) {
            rc = wolf_pem_bad(i >= len ? "no END line" : "empty line or bad line end");
            goto done;
        }
    }
    while (i < len && wolf_ws(in[i]))
        i++;
    if (i != len) {
        rc = wolf_pem_bad("data after the PEM block");
        goto done;
    }
    rc = wolf_b64_decode(b64, n, der);
done:
    rlab_free_secret(b64, len);
    return rc;
}

/* wolfCrypt's PEM type for each format. */
static int wolf_pem_type(rlab_keyfmt fmt)
{
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: return PRIVATEKEY_TYPE;
    case RLAB_KEYFMT_PKCS1_PUB: return RSA_PUBLICKEY_TYPE;
    case RLAB_KEYFMT_PKCS8: return PKCS8_PRIVATEKEY_TYPE;
    default: return PUBLICKEY_TYPE;
    }
}

/* see wolf_internal.h */
int rlab_wolf_pem_encode(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                         struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    if (rlab_wolf_pem_label(fmt) == NULL || der == NULL || len == 0 || len > 65536)
        return RLAB_ERR_INVALID_ARG;
    /* base64 grows 4/3, plus a newline per 64 characters and the armour. */
    size_t cap = len * 4 / 3 + len / 48 + 128;
    int rc = rlab_buf_alloc(out, cap);
    if (rc != RLAB_OK)
        return rc;
    int n = wc_DerToPemEx(der, (word32)len, out->data, (word32)cap, NULL, wolf_pem_type(fmt));
    if (n <= 0 || (size_t)n > cap || out->data[n - 1] != '\n') {
        rlab_buf_clear(out);
        return rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_DerToPemEx", n);
    }
    out->len = (size_t)n;
    return RLAB_OK;
}
