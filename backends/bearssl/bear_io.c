/*
 * Key import and export of the BearSSL backend, the four rlab_keyfmt formats
 * in DER and PEM.  Contracts in backends/backend.h.
 *
 * Import: the strict DER / PEM reader of backends/keycodec.h (BearSSL's
 * br_skey_decoder keeps only p, q, dp, dq, iq and reads no public key, and
 * br_pem_decoder skips whatever lies around a block), then the key layer's
 * checks (bear_key.c).  Export: BearSSL writes the private formats
 * (br_encode_rsa_raw_der, br_encode_rsa_pkcs8_der), keycodec.h the public
 * ones, which the library does not write; PEM from br_pem_encode.
 */
#include <stdlib.h>

#include "base/ct.h"
#include "backends/bearssl/bear_internal.h"
#include "backends/keycodec.h"

static int bear_private_fmt(rlab_keyfmt fmt)
{
    return fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
}

/* see backend.h */
int rlab_bear_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                     size_t len, rlab_key **out)
{
    *out = NULL;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (in == NULL || len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");
    struct rlab_components c = {0};
    int rc = rlab_keycodec_der_decode(fmt, enc, in, len, &c);
    if (rc == RLAB_OK) {
        /* Well-formed: whatever is refused now is in the numbers. */
        rc = rlab_bear_key_make(&c, bear_private_fmt(fmt), out);
    }
    rlab_components_clear(&c);
    return rc;
}

/* RSAPrivateKey or PrivateKeyInfo through BearSSL's encoders. */
static int bear_encode_priv(const struct bear_key *bk, rlab_keyfmt fmt, struct rlab_buf *der)
{
    size_t (*enc)(void *, const br_rsa_private_key *, const br_rsa_public_key *,
                  const void *, size_t) =
        fmt == RLAB_KEYFMT_PKCS8 ? br_encode_rsa_pkcs8_der : br_encode_rsa_raw_der;
    const struct rlab_buf *d = &bk->c.d;
    size_t n = enc(NULL, &bk->sk, &bk->pk, d->data, d->len);
    int rc = n == 0 ? RLAB_ERR_BACKEND : rlab_buf_alloc(der, n);
    if (rc == RLAB_OK && enc(der->data, &bk->sk, &bk->pk, d->data, d->len) != n) {
        rlab_buf_clear(der);
        rc = RLAB_ERR_BACKEND;
    }
    return rc == RLAB_ERR_BACKEND ? rlab_error_set(rc, "br_encode_rsa_*_der") : rc;
}

/* br_pem_encode with 64-character lines; ends with a newline. */
static int bear_pem_encode(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                           struct rlab_buf *out)
{
    const char *label = rlab_keycodec_pem_label(fmt);
    if (label == NULL || der == NULL || len == 0)
        return RLAB_ERR_INVALID_ARG;
    size_t n = br_pem_encode(NULL, der, len, label, BR_PEM_LINE64);
    int rc = rlab_buf_alloc(out, n + 1); /* br_pem_encode adds a NUL */
    if (rc != RLAB_OK)
        return rc;
    if (br_pem_encode(out->data, der, len, label, BR_PEM_LINE64) != n || n == 0 ||
        out->data[n - 1] != '\n') {
        rlab_buf_clear(out);
        return rlab_error_set(RLAB_ERR_BACKEND, "br_pem_encode");
    }
    out->len = n;
    return RLAB_OK;
}

/* see backend.h */
int rlab_bear_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                     struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    struct bear_key *bk = rlab_bear_key(k);
    if (bk == NULL || (unsigned)fmt >= RLAB_KEYFMT_COUNT ||
        (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (bear_private_fmt(fmt) && !k->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    struct rlab_buf der = RLAB_BUF_INIT;
    int rc = bear_private_fmt(fmt) ? bear_encode_priv(bk, fmt, &der)
                                   : rlab_keycodec_der_encode(&bk->c, fmt, RLAB_ENC_DER, &der);
    if (rc != RLAB_OK)
        return rc;
    if (enc == RLAB_ENC_DER) {
        *out = der; /* ownership moves to the caller */
        return RLAB_OK;
    }
    rc = bear_pem_encode(fmt, der.data, der.len, out);
    rlab_buf_clear(&der);
    return rc;
}
