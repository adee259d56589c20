/*
 * Key import and export in the four rlab_keyfmt formats, DER and PEM.
 * Contracts in backends/backend.h.
 *
 * Import: PEM armour (ltc_pem.c), then the strict DER shape (ltc_der.c),
 * then rsa_import() on the PKCS#1 structure inside (RSAPrivateKey for
 * PKCS#1 and PKCS#8, RSAPublicKey for PKCS#1 and SPKI), then the key checks
 * of rlab_ltc_key_finish().  rsa_import_pkcs8 is not used: the shape check
 * has already found the RSAPrivateKey inside, and 1.18's PKCS#8 reader
 * (written for encrypted keys) adds nothing.
 *
 * Export: rsa_export() writes RSAPrivateKey (PK_PRIVATE), RSAPublicKey
 * (PK_PUBLIC) and SubjectPublicKeyInfo (PK_PUBLIC | PK_STD); 1.18 cannot
 * write PKCS#8, so ltc_der.c wraps the RSAPrivateKey.
 */
#include <stdlib.h>

#include "base/buf.h"
#include "backends/libtomcrypt/ltc_internal.h"

static int ltc_is_private_fmt(rlab_keyfmt fmt)
{
    return fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
}

/* see backend.h */
int rlab_ltc_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                    size_t len, rlab_key **out)
{
    *out = NULL;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (in == NULL || len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");

    struct rlab_buf pem = RLAB_BUF_INIT;
    const uint8_t *der = in;
    size_t der_len = len;
    struct ltc_key *lk = NULL;
    struct ltc_span inner, ne[2];
    int rc = RLAB_OK;
    if (enc == RLAB_ENC_PEM) {
        rc = rlab_ltc_pem_decode(fmt, in, len, &pem);
        if (rc != RLAB_OK)
            goto done;
        der = pem.data;
        der_len = pem.len;
    }
    rc = rlab_ltc_der_check(fmt, der, der_len, &inner, ne);
    /* rsa_import takes an RSAPublicKey whose n is 0 for a private key:
     * the public numbers are checked before it sees them. */
    if (rc == RLAB_OK)
        rc = rlab_ltc_check_public(ne[0].p, ne[0].len, ne[1].p, ne[1].len);
    if (rc != RLAB_OK)
        goto done;

    lk = rlab_ltc_key_new();
    if (lk == NULL) {
        rc = RLAB_ERR_NOMEM;
        goto done;
    }
    /* The shape is right, so what rsa_import or the checks refuse now is
     * in the numbers: an invalid key, not a format error. */
    int err = rsa_import(inner.p, inner.len, &lk->rsa);
    if (err != CRYPT_OK) {
        rc = rlab_ltc_fail(RLAB_ERR_KEY_INVALID, "rsa_import", err);
        goto done;
    }
    lk->loaded = 1;
    if ((lk->rsa.type == PK_PRIVATE) != ltc_is_private_fmt(fmt)) {
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "rsa_import read another key type");
        goto done;
    }
    rc = rlab_ltc_key_finish(lk);
done:
    rlab_buf_clear(&pem);
    if (rc != RLAB_OK) {
        if (lk != NULL)
            rlab_ltc_key_free(&lk->base);
        return rc;
    }
    *out = &lk->base;
    return RLAB_OK;
}

/* DER of `fmt` into *der (caller clears). */
static int ltc_write_der(struct ltc_key *lk, rlab_keyfmt fmt, struct rlab_buf *der)
{
    int type = fmt == RLAB_KEYFMT_PKCS1_PUB ? PK_PUBLIC
               : fmt == RLAB_KEYFMT_SPKI    ? PK_PUBLIC | PK_STD
                                            : PK_PRIVATE;
    /* Nine INTEGERs of at most k+1 content bytes with 5-byte headers, and
     * the outer headers. */
    struct rlab_buf tmp = RLAB_BUF_INIT;
    int rc = rlab_buf_alloc(&tmp, 9 * (rlab_key_size(&lk->base) + 6) + 64);
    if (rc != RLAB_OK)
        return rc;
    unsigned long n = (unsigned long)tmp.len;
    int err = rsa_export(tmp.data, &n, type, &lk->rsa);
    if (err != CRYPT_OK) {
        rc = rlab_ltc_fail(RLAB_ERR_BACKEND, "rsa_export", err);
    } else if (fmt == RLAB_KEYFMT_PKCS8) {
        rc = rlab_ltc_der_wrap_pkcs8(tmp.data, n, der);
    } else {
        rc = rlab_buf_set(der, tmp.data, n);
    }
    rlab_buf_clear(&tmp);
    return rc;
}

/* see backend.h */
int rlab_ltc_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                    struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    struct ltc_key *lk = rlab_ltc_key(k);
    if (lk == NULL || (unsigned)fmt >= RLAB_KEYFMT_COUNT ||
        (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (ltc_is_private_fmt(fmt) && !lk->base.has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    struct rlab_buf der = RLAB_BUF_INIT;
    int rc = ltc_write_der(lk, fmt, &der);
    if (rc == RLAB_OK && enc == RLAB_ENC_PEM) {
        rc = rlab_ltc_pem_encode(fmt, der.data, der.len, out);
        rlab_buf_clear(&der);
        return rc;
    }
    if (rc == RLAB_OK)
        *out = der;
    else
        rlab_buf_clear(&der);
    return rc;
}
