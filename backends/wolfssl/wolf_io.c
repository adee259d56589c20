/*
 * Key import and export of the wolfSSL backend, the four rlab_keyfmt formats
 * in DER and PEM.  Contracts in backends/backend.h.
 *
 * Import: the strict PEM and DER reader of backends/keycodec.h first,
 * because wolfCrypt is lenient where the interface is strict
 * (wc_RsaPrivateKeyDecode and wc_RsaPublicKeyDecode stop after the key and
 * leave trailing bytes to the caller, wc_RsaPublicKeyDecode takes either
 * public format for the other, some non-minimal encodings pass, and
 * wc_PemToDer ignores what lies around a block and decides the label
 * itself).  Then wolfCrypt reads the numbers (wc_GetPkcs8TraditionalOffset,
 * wc_RsaPrivateKeyDecode, wc_RsaPublicKeyDecode), which must be those our
 * reader saw, and the key checks of wolf_key.c run.
 *
 * Export: wolfCrypt writes every DER form (wc_RsaKeyToDer,
 * wc_CreatePKCS8Key over it, wc_RsaKeyToPublicDer_ex with and without the
 * SubjectPublicKeyInfo header) and the PEM armour (wc_DerToPemEx).
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/wolfssl/wolf_internal.h"
#include "backends/keycodec.h"

#include <wolfssl/wolfcrypt/asn.h> /* RSAk; after options.h */

static int wolf_private_fmt(rlab_keyfmt fmt)
{
    return fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
}

/* Did wolfCrypt read the numbers our reader saw? */
static int wolf_same(RsaKey *r, const struct rlab_components *c, int priv)
{
    const struct rlab_buf *src[8] = {&c->n, &c->e, &c->d, &c->p,
                                     &c->q, &c->dp, &c->dq, &c->qinv};
    mp_int *got[8] = {&r->n, &r->e, &r->d, &r->p, &r->q, &r->dP, &r->dQ, &r->u};
    mp_int x;
    if (mp_init(&x) != MP_OKAY)
        return 0;
    int same = 1;
    for (int i = 0; i < (priv ? 8 : 2) && same; i++) {
        if (src[i]->len == 0)
            same = mp_iszero(got[i]);
        else
            same = mp_read_unsigned_bin(&x, src[i]->data, (word32)src[i]->len) == MP_OKAY &&
                   mp_cmp(&x, got[i]) == MP_EQ;
    }
    mp_forcezero(&x);
    return same;
}

/* wolfCrypt's decoders on DER that our reader already accepted. */
static int wolf_decode(struct wolf_key *wk, rlab_keyfmt fmt, const uint8_t *der, size_t len)
{
    /* The decoders take non-const pointers but only read. */
    byte *in = (byte *)(uintptr_t)der;
    word32 idx = 0;
    int ret;
    if (fmt == RLAB_KEYFMT_PKCS8) {
        ret = wc_GetPkcs8TraditionalOffset(in, &idx, (word32)len);
        if (ret < 0)
            return rlab_wolf_fail(RLAB_ERR_KEY_FORMAT, "wc_GetPkcs8TraditionalOffset", ret);
    }
    if (wolf_private_fmt(fmt))
        ret = wc_RsaPrivateKeyDecode(in, &idx, &wk->rsa, (word32)len);
    else
        ret = wc_RsaPublicKeyDecode(in, &idx, &wk->rsa, (word32)len);
    if (ret != 0)
        return rlab_wolf_fail(RLAB_ERR_KEY_INVALID,
                              wolf_private_fmt(fmt) ? "wc_RsaPrivateKeyDecode"
                                                    : "wc_RsaPublicKeyDecode",
                              ret);
    if (idx != len)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "wolfCrypt stopped before the end");
    return RLAB_OK;
}

/* see backend.h */
int rlab_wolf_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                     size_t len, rlab_key **out)
{
    *out = NULL;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (in == NULL || len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");
    struct rlab_buf pem_der = RLAB_BUF_INIT;
    struct rlab_components c = {0};
    struct wolf_key *wk = NULL;
    const uint8_t *der = in;
    size_t der_len = len;
    int priv = wolf_private_fmt(fmt);
    int rc = RLAB_OK;
    if (enc == RLAB_ENC_PEM) {
        rc = rlab_keycodec_pem_decode(rlab_keycodec_pem_label(fmt), in, len, &pem_der);
        der = pem_der.data;
        der_len = pem_der.len;
    }
    if (rc == RLAB_OK)
        rc = rlab_keycodec_der_decode(fmt, RLAB_ENC_DER, der, der_len, &c);
    if (rc == RLAB_OK && (wk = rlab_wolf_key_new()) == NULL)
        rc = RLAB_ERR_NOMEM;
    if (rc == RLAB_OK && der_len > 0xffffffffu)
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "too long");
    if (rc == RLAB_OK)
        rc = wolf_decode(wk, fmt, der, der_len);
    if (rc == RLAB_OK && !wolf_same(&wk->rsa, &c, priv))
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "wolfCrypt read other numbers than the DER holds");
    if (rc == RLAB_OK)
        rc = rlab_wolf_key_finish(wk, priv);
    rlab_components_clear(&c);
    rlab_buf_clear(&pem_der);
    if (rc != RLAB_OK) {
        if (wk != NULL)
            rlab_wolf_key_free(&wk->base);
        return rc;
    }
    *out = &wk->base;
    return RLAB_OK;
}

/* The DER of fmt into buf[0..size); its length in *len. */
static int wolf_encode(struct wolf_key *wk, rlab_keyfmt fmt, uint8_t *buf, size_t size,
                       size_t *len)
{
    int ret;
    const char *what;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV:
    case RLAB_KEYFMT_PKCS8:
        what = "wc_RsaKeyToDer";
        ret = wc_RsaKeyToDer(&wk->rsa, buf, (word32)size);
        break;
    default:
        what = "wc_RsaKeyToPublicDer_ex";
        ret = wc_RsaKeyToPublicDer_ex(&wk->rsa, buf, (word32)size, fmt == RLAB_KEYFMT_SPKI);
        break;
    }
    if (ret <= 0)
        return rlab_wolf_fail(RLAB_ERR_BACKEND, what, ret);
    *len = (size_t)ret;
    if (fmt != RLAB_KEYFMT_PKCS8)
        return RLAB_OK;
    /* Wrap the RSAPrivateKey (moved to the back half of buf) in PKCS#8. */
    size_t half = size / 2;
    if (*len > half)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    memmove(buf + half, buf, *len);
    word32 out_len = (word32)half;
    ret = wc_CreatePKCS8Key(buf, &out_len, buf + half, (word32)*len, RSAk, NULL, 0);
    rlab_wipe(buf + half, size - half);
    if (ret <= 0)
        return rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_CreatePKCS8Key", ret);
    *len = (size_t)ret;
    return RLAB_OK;
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

/* wc_DerToPemEx: 64-character lines, LF, a final newline. */
static int wolf_pem_encode(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                           struct rlab_buf *out)
{
    if (der == NULL || len == 0 || len > 65536)
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

/* see backend.h */
int rlab_wolf_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                     struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    struct wolf_key *wk = rlab_wolf_key(k);
    if (wk == NULL || (unsigned)fmt >= RLAB_KEYFMT_COUNT ||
        (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (wolf_private_fmt(fmt) && !k->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    /* Twice room for nine INTEGERs of k+1 bytes with headers and the
     * PKCS#8 wrapping (the second half is the wrapper's input). */
    size_t size = 2 * (9 * (rlab_key_size(k) + 6) + 64);
    uint8_t *buf = malloc(size);
    if (buf == NULL)
        return RLAB_ERR_NOMEM;
    size_t len = 0;
    pthread_mutex_lock(&wk->lock);
    int rc = wolf_encode(wk, fmt, buf, size, &len);
    pthread_mutex_unlock(&wk->lock);
    if (rc == RLAB_OK)
        rc = enc == RLAB_ENC_DER ? rlab_buf_set(out, buf, len)
                                 : wolf_pem_encode(fmt, buf, len, out);
    rlab_free_secret(buf, size);
    return rc;
}
