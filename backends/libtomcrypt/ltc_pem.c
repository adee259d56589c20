/*
 * PEM armour for the four key formats.  libtomcrypt 1.18 has no PEM reader
 * or writer (they came in 1.19), only base64, so the armour is ours and the
 * base64 is the library's (base64_strict_decode, base64_encode).
 *
 * Accepted: optional whitespace, "-----BEGIN <label>-----" with the label of
 * the format, lines ending in LF or CRLF, non-empty base64 lines, "-----END
 * <label>-----", optional whitespace.  No RFC 1421 headers.  The base64 must
 * be canonical: it is decoded, encoded again and compared, so unused bits
 * and padding have exactly one spelling.  Anything else is
 * RLAB_ERR_KEY_FORMAT.  Buffers that held key bytes are wiped (rlab_buf_clear).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "backends/libtomcrypt/ltc_internal.h"

static const char *const ltc_labels[RLAB_KEYFMT_COUNT] = {
    [RLAB_KEYFMT_PKCS1_PRIV] = "RSA PRIVATE KEY",
    [RLAB_KEYFMT_PKCS1_PUB] = "RSA PUBLIC KEY",
    [RLAB_KEYFMT_PKCS8] = "PRIVATE KEY",
    [RLAB_KEYFMT_SPKI] = "PUBLIC KEY",
};

static int ltc_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int ltc_b64char(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/' || c == '=';
}

/* Does in[*i..len) start with "-----<word> <label>-----" and a line end (or
 * the end of input when `last`)?  Moves *i past it. */
static int ltc_armour(const uint8_t *in, size_t len, size_t *i, const char *word,
                      const char *label, int last)
{
    char line[64];
    int n = snprintf(line, sizeof line, "-----%s %s-----", word, label);
    size_t l = (size_t)n;
    if (len - *i < l || memcmp(in + *i, line, l) != 0)
        return 0;
    size_t j = *i + l;
    if (j < len && in[j] == '\r')
        j++;
    if (j < len && in[j] == '\n')
        j++;
    else if (!(last && j == len))
        return 0;
    *i = j;
    return 1;
}

/* see ltc_internal.h */
int rlab_ltc_pem_decode(rlab_keyfmt fmt, const uint8_t *in, size_t len,
                        struct rlab_buf *der)
{
    der->data = NULL;
    der->len = 0;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT)
        return RLAB_ERR_INVALID_ARG;
    const char *label = ltc_labels[fmt];
    size_t i = 0;
    while (i < len && ltc_ws(in[i]))
        i++;
    if (!ltc_armour(in, len, &i, "BEGIN", label, 0))
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "expected a -----BEGIN %s----- line",
                              label);

    struct rlab_buf body = RLAB_BUF_INIT, again = RLAB_BUF_INIT;
    int rc = rlab_buf_alloc(&body, len + 1);
    if (rc != RLAB_OK)
        return rc;
    size_t blen = 0;
    int ended = 0;
    while (i < len && !ended) {
        if (in[i] == '-') {
            ended = ltc_armour(in, len, &i, "END", label, 1);
            if (!ended)
                break;
            continue;
        }
        size_t start = blen;
        while (i < len && in[i] != '\r' && in[i] != '\n') {
            if (!ltc_b64char(in[i])) {
                rc = rlab_error_set(RLAB_ERR_KEY_FORMAT,
                                    in[i] == ':' ? "PEM headers (or encrypted PEM) are "
                                                   "not supported"
                                                 : "PEM body is not base64");
                goto done;
            }
            body.data[blen++] = in[i++];
        }
        if (i < len && in[i] == '\r')
            i++;
        if (blen == start || i >= len || in[i] != '\n') {
            rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "PEM: empty or unterminated line");
            goto done;
        }
        i++;
    }
    if (!ended) {
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "no -----END %s----- line", label);
        goto done;
    }
    for (; i < len; i++)
        if (!ltc_ws(in[i])) {
            rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "data after the PEM block");
            goto done;
        }
    if (blen == 0) {
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty PEM body");
        goto done;
    }

    rc = rlab_buf_alloc(der, blen);
    if (rc != RLAB_OK)
        goto done;
    unsigned long dlen = (unsigned long)der->len;
    int err = base64_strict_decode(body.data, blen, der->data, &dlen);
    if (err != CRYPT_OK || dlen == 0) {
        rc = rlab_ltc_fail(RLAB_ERR_KEY_FORMAT, "PEM base64", err);
        goto done;
    }
    der->len = dlen;
    /* Canonical form: encoding the bytes again must give the same text. */
    rc = rlab_buf_alloc(&again, 4 * ((dlen + 2) / 3) + 1);
    if (rc != RLAB_OK)
        goto done;
    unsigned long alen = (unsigned long)again.len;
    err = base64_encode(der->data, dlen, again.data, &alen);
    if (err != CRYPT_OK || alen != blen || memcmp(again.data, body.data, blen) != 0)
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "PEM base64 is not canonical");
done:
    rlab_buf_clear(&body);
    rlab_buf_clear(&again);
    if (rc != RLAB_OK)
        rlab_buf_clear(der);
    return rc;
}

/* see ltc_internal.h */
int rlab_ltc_pem_encode(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                        struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT)
        return RLAB_ERR_INVALID_ARG;
    const char *label = ltc_labels[fmt];
    struct rlab_buf b64 = RLAB_BUF_INIT;
    int rc = rlab_buf_alloc(&b64, 4 * ((len + 2) / 3) + 1);
    if (rc != RLAB_OK)
        return rc;
    unsigned long blen = (unsigned long)b64.len;
    int err = base64_encode(der, len, b64.data, &blen);
    if (err != CRYPT_OK) {
        rlab_buf_clear(&b64);
        return rlab_ltc_fail(RLAB_ERR_BACKEND, "base64_encode", err);
    }
    size_t lines = (blen + 63) / 64;
    size_t total = 2 * (strlen(label) + 16) + blen + lines;
    rc = rlab_buf_alloc(out, total + 1);
    if (rc == RLAB_OK) {
        char *p = (char *)out->data;
        size_t n = (size_t)sprintf(p, "-----BEGIN %s-----\n", label);
        for (size_t off = 0; off < blen; off += 64) {
            size_t chunk = blen - off < 64 ? blen - off : 64;
            memcpy(p + n, b64.data + off, chunk);
            n += chunk;
            p[n++] = '\n';
        }
        n += (size_t)sprintf(p + n, "-----END %s-----\n", label);
        out->len = n;
    }
    rlab_buf_clear(&b64);
    return rc;
}
