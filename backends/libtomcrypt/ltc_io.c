/*
 * Key import and export in the four rlab_keyfmt formats, DER and PEM.
 * Contracts in backends/backend.h.
 *
 * Import: the strict codec of backends/keycodec.h decides the format (PEM
 * armour, DER shape), then rsa_import() reads the PKCS#1 structure of the
 * key (RSAPrivateKey for PKCS#1 and PKCS#8, RSAPublicKey for PKCS#1 and
 * SPKI), then the key checks of rlab_ltc_key_finish().  Why the codec
 * first: rsa_import() tries SubjectPublicKeyInfo, then a PKCS#1 SEQUENCE of
 * INTEGERs, and decides "private" from a first INTEGER of zero; its DER
 * decoder follows the data rather than a schema and reads INTEGERs without
 * asking for their minimal form, while the interface asks for exactly the
 * requested format.  rsa_import_pkcs8 is not used: 1.18's PKCS#8 reader
 * (written for encrypted keys) adds nothing.  A malformed encoding is
 * RLAB_ERR_KEY_FORMAT; what the key layer refuses afterwards is
 * RLAB_ERR_KEY_INVALID.
 *
 * Export: rsa_export() writes RSAPrivateKey (PK_PRIVATE), RSAPublicKey
 * (PK_PUBLIC) and SubjectPublicKeyInfo (PK_PUBLIC | PK_STD); 1.18 cannot
 * write PKCS#8, so the codec writes the numbers of the RSAPrivateKey again
 * as PKCS#8.  libtomcrypt 1.18 has no PEM (it came in 1.19): the armour is
 * the codec's.
 */
#include <stdlib.h>

#include "base/buf.h"
#include "backends/keycodec.h"
#include "backends/libtomcrypt/ltc_internal.h"

static int ltc_is_private_fmt(rlab_keyfmt fmt)
{
    return fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
}

/* The PKCS#1 structure of a DER of `fmt` the codec read as c: the DER
 * itself for the PKCS#1 formats, else c written again as PKCS#1 (DER has
 * one encoding of the numbers, so these are the bytes inside the PKCS#8 or
 * SPKI).  *buf holds what was written (caller clears). */
static int ltc_pkcs1(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                     const struct rlab_components *c, struct rlab_buf *buf,
                     const uint8_t **p, size_t *plen)
{
    *p = der;
    *plen = len;
    if (fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS1_PUB)
        return RLAB_OK;
    rlab_keyfmt inner = ltc_is_private_fmt(fmt) ? RLAB_KEYFMT_PKCS1_PRIV : RLAB_KEYFMT_PKCS1_PUB;
    int rc = rlab_keycodec_der_encode(c, inner, RLAB_ENC_DER, buf);
    *p = buf->data;
    *plen = buf->len;
    return rc;
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

    struct rlab_buf pem = RLAB_BUF_INIT, pkcs1 = RLAB_BUF_INIT;
    struct rlab_components c = {0};
    const uint8_t *der = in, *inner = NULL;
    size_t der_len = len, inner_len = 0;
    struct ltc_key *lk = NULL;
    int rc = RLAB_OK;
    if (enc == RLAB_ENC_PEM) {
        rc = rlab_keycodec_pem_decode(rlab_keycodec_pem_label(fmt), in, len, &pem);
        if (rc != RLAB_OK)
            goto done;
        der = pem.data;
        der_len = pem.len;
    }
    rc = rlab_keycodec_der_decode(fmt, RLAB_ENC_DER, der, der_len, &c);
    /* rsa_import takes an RSAPublicKey whose n is 0 for a private key:
     * the public numbers are checked before it sees them. */
    if (rc == RLAB_OK)
        rc = rlab_ltc_check_public(c.n.data, c.n.len, c.e.data, c.e.len);
    if (rc == RLAB_OK)
        rc = ltc_pkcs1(fmt, der, der_len, &c, &pkcs1, &inner, &inner_len);
    if (rc != RLAB_OK)
        goto done;

    lk = rlab_ltc_key_new();
    if (lk == NULL) {
        rc = RLAB_ERR_NOMEM;
        goto done;
    }
    /* The shape is right, so what rsa_import or the checks refuse now is
     * in the numbers: an invalid key, not a format error. */
    int err = rsa_import(inner, (unsigned long)inner_len, &lk->rsa);
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
    rlab_buf_clear(&pkcs1);
    rlab_components_clear(&c);
    if (rc != RLAB_OK) {
        if (lk != NULL)
            rlab_ltc_key_free(&lk->base);
        return rc;
    }
    *out = &lk->base;
    return RLAB_OK;
}

/* PrivateKeyInfo around the RSAPrivateKey that rsa_export wrote: its
 * numbers, read and written again by the codec, into *out (caller clears). */
static int ltc_wrap_pkcs8(const uint8_t *rsa, size_t len, struct rlab_buf *out)
{
    struct rlab_components c = {0};
    int rc = rlab_keycodec_der_decode(RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, rsa, len, &c);
    if (rc == RLAB_ERR_KEY_FORMAT)
        rc = rlab_error_set(RLAB_ERR_BACKEND, "rsa_export: %s", rlab_error_detail());
    if (rc == RLAB_OK)
        rc = rlab_keycodec_der_encode(&c, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, out);
    rlab_components_clear(&c);
    return rc;
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
        rc = ltc_wrap_pkcs8(tmp.data, n, der);
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
        rc = rlab_keycodec_pem_encode(rlab_keycodec_pem_label(fmt), der.data, der.len, out);
        rlab_buf_clear(&der);
        return rc;
    }
    if (rc == RLAB_OK)
        *out = der;
    else
        rlab_buf_clear(&der);
    return rc;
}
