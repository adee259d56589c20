/*
 * Key import and export in the four rlab_keyfmt formats, DER and PEM, for
 * the Botan backend.  Contracts in backends/backend.h.
 *
 * Import: the strict codec of backends/keycodec.h decides the format (PEM
 * armour, DER shape; Botan's BER_Decoder takes non-minimal lengths and
 * INTEGERs, its PKCS#8 loader encrypted keys and other algorithms, its SPKI
 * loader any public key), then the numbers are checked, then the library's
 * loader for the format reads the DER: botan_privkey_load_rsa_pkcs1
 * (RSAPrivateKey), botan_privkey_load (PKCS#8), botan_pubkey_load (SPKI);
 * the FFI has no RSAPublicKey loader, so that one is
 * botan_pubkey_load_rsa(n, e) with the numbers the codec read.  Then the
 * key checks of rlab_bt_key_finish().  A malformed encoding is
 * RLAB_ERR_KEY_FORMAT; what the key layer refuses afterwards is
 * RLAB_ERR_KEY_INVALID.
 *
 * Export: botan_privkey_rsa_get_privkey (RSAPrivateKey), botan_privkey_export
 * (PKCS#8), botan_pubkey_export (SPKI), all DER; RSAPublicKey is the key of
 * the SPKI written again by the codec.  The FFI of Botan 2 writes PEM only
 * for PKCS#8 and SPKI, so the armour is the codec's for all four.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "backends/botan/bt_internal.h"
#include "backends/keycodec.h"

static int bt_is_private_fmt(rlab_keyfmt fmt)
{
    return fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
}

/* The library's loader for a well-formed DER of `fmt` with numbers c. */
static int bt_load(struct bt_key *bk, rlab_keyfmt fmt, const uint8_t *der, size_t len,
                   const struct rlab_components *c)
{
    int r;
    const char *what;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV:
        what = "botan_privkey_load_rsa_pkcs1";
        r = botan_privkey_load_rsa_pkcs1(&bk->priv, der, len);
        break;
    case RLAB_KEYFMT_PKCS8:
        what = "botan_privkey_load";
        r = botan_privkey_load(&bk->priv, rlab_bt_system_rng(), der, len, NULL);
        break;
    case RLAB_KEYFMT_SPKI:
        what = "botan_pubkey_load";
        r = botan_pubkey_load(&bk->pub, der, len);
        break;
    case RLAB_KEYFMT_PKCS1_PUB: {
        botan_mp_t n = NULL, e = NULL;
        int rc = rlab_bt_mp_new(&n, c->n.data, c->n.len);
        if (rc == RLAB_OK)
            rc = rlab_bt_mp_new(&e, c->e.data, c->e.len);
        r = rc == RLAB_OK ? botan_pubkey_load_rsa(&bk->pub, n, e) : BOTAN_FFI_ERROR_OUT_OF_MEMORY;
        if (n != NULL)
            botan_mp_destroy(n);
        if (e != NULL)
            botan_mp_destroy(e);
        what = "botan_pubkey_load_rsa";
        break;
    }
    default:
        return RLAB_ERR_INVALID_ARG;
    }
    if (r != BOTAN_FFI_SUCCESS) {
        bk->priv = NULL;
        bk->pub = NULL;
        /* The shape is right, so what Botan refuses is in the numbers. */
        return rlab_bt_fail(RLAB_ERR_KEY_INVALID, what, r);
    }
    return RLAB_OK;
}

/* The numbers the codec read, checked before Botan's loaders see them:
 * those refuse some bad keys themselves, with messages of their own, and
 * accept others (inconsistent CRT values). */
static int bt_check_numbers(rlab_keyfmt fmt, const struct rlab_components *c)
{
    botan_mp_t n = NULL, e = NULL;
    int rc = rlab_bt_mp_new(&n, c->n.data, c->n.len);
    if (rc == RLAB_OK)
        rc = rlab_bt_mp_new(&e, c->e.data, c->e.len);
    if (rc == RLAB_OK)
        rc = rlab_bt_check_public(n, e);
    if (n != NULL)
        botan_mp_destroy(n);
    if (e != NULL)
        botan_mp_destroy(e);
    if (rc != RLAB_OK || !bt_is_private_fmt(fmt))
        return rc;
    /* Borrowed views of c's buffers: c is cleared by the caller. */
    const struct rlab_buf v[8] = {c->n, c->e, c->d, c->p, c->q, c->dp, c->dq, c->qinv};
    return rlab_bt_check_private(v);
}

/* see backend.h */
int rlab_bt_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                   size_t len, rlab_key **out)
{
    *out = NULL;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (in == NULL || len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");

    struct rlab_buf pem = RLAB_BUF_INIT;
    struct rlab_components c = {0};
    const uint8_t *der = in;
    size_t der_len = len;
    struct bt_key *bk = NULL;
    int rc = RLAB_OK;
    if (enc == RLAB_ENC_PEM) {
        rc = rlab_keycodec_pem_decode(rlab_keycodec_pem_label(fmt), in, len, &pem);
        if (rc != RLAB_OK)
            goto done;
        der = pem.data;
        der_len = pem.len;
    }
    rc = rlab_keycodec_der_decode(fmt, RLAB_ENC_DER, der, der_len, &c);
    if (rc == RLAB_OK)
        rc = bt_check_numbers(fmt, &c);
    if (rc != RLAB_OK)
        goto done;
    bk = rlab_bt_key_new();
    if (bk == NULL) {
        rc = RLAB_ERR_NOMEM;
        goto done;
    }
    rc = bt_load(bk, fmt, der, der_len, &c);
    if (rc == RLAB_OK)
        rc = rlab_bt_key_finish(bk);
done:
    rlab_buf_clear(&pem);
    rlab_components_clear(&c);
    if (rc != RLAB_OK) {
        if (bk != NULL)
            rlab_bt_key_free(&bk->base);
        return rc;
    }
    *out = &bk->base;
    return RLAB_OK;
}

/* DER of `fmt` from the library into *der (caller clears). */
static int bt_write_der(const struct bt_key *bk, rlab_keyfmt fmt, struct rlab_buf *der)
{
    size_t cap = 9 * (rlab_key_size(&bk->base) + 6) + 128, n = cap;
    int rc = rlab_buf_alloc(der, cap);
    if (rc != RLAB_OK)
        return rc;
    int r;
    const char *what;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV:
        what = "botan_privkey_rsa_get_privkey";
        r = botan_privkey_rsa_get_privkey(bk->priv, der->data, &n, BOTAN_PRIVKEY_EXPORT_FLAG_DER);
        break;
    case RLAB_KEYFMT_PKCS8:
        what = "botan_privkey_export";
        r = botan_privkey_export(bk->priv, der->data, &n, BOTAN_PRIVKEY_EXPORT_FLAG_DER);
        break;
    default:
        what = "botan_pubkey_export";
        r = botan_pubkey_export(bk->pub, der->data, &n, BOTAN_PRIVKEY_EXPORT_FLAG_DER);
        break;
    }
    if (r != BOTAN_FFI_SUCCESS || n > cap) {
        rlab_buf_clear(der);
        return rlab_bt_fail(RLAB_ERR_BACKEND, what, r);
    }
    der->len = n; /* the tail past n is still zero: nothing to wipe */
    if (fmt != RLAB_KEYFMT_PKCS1_PUB)
        return RLAB_OK;
    /* RSAPublicKey: the key of the SPKI, read and written again. */
    struct rlab_components c = {0};
    struct rlab_buf spki = *der;
    *der = (struct rlab_buf)RLAB_BUF_INIT;
    rc = rlab_keycodec_der_decode(RLAB_KEYFMT_SPKI, RLAB_ENC_DER, spki.data, spki.len, &c);
    if (rc == RLAB_ERR_KEY_FORMAT)
        rc = rlab_error_set(RLAB_ERR_BACKEND, "botan_pubkey_export: %s", rlab_error_detail());
    if (rc == RLAB_OK)
        rc = rlab_keycodec_der_encode(&c, RLAB_KEYFMT_PKCS1_PUB, RLAB_ENC_DER, der);
    rlab_components_clear(&c);
    rlab_buf_clear(&spki);
    return rc;
}

/* see backend.h */
int rlab_bt_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                   struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    struct bt_key *bk = rlab_bt_key(k);
    if (bk == NULL || (unsigned)fmt >= RLAB_KEYFMT_COUNT ||
        (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (bt_is_private_fmt(fmt) && !bk->base.has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    struct rlab_buf der = RLAB_BUF_INIT;
    int rc = bt_write_der(bk, fmt, &der);
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
