/*
 * Symmetric slots of the libgcrypt backend: AES-GCM through gcry_cipher
 * (GCRY_CIPHER_MODE_GCM, any IV length, tags of 4, 8 and 12..16 bytes as
 * SP 800-38D allows; limit() says so for the others) and hashes through
 * gcry_md.  Contracts in backends/backend.h.
 *
 * The cipher handle is opened with GCRY_CIPHER_SECURE, so libgcrypt keeps
 * the key schedule in secure memory and wipes it in gcry_cipher_close.
 * gcry_cipher_checktag compares the tag in constant time; on a mismatch
 * the plaintext already written is wiped here.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/libgcrypt/lgc_internal.h"
#include "base/ct.h"

struct rlab_aead_ctx {
    gcry_cipher_hd_t h;
};

struct rlab_hash_ctx {
    gcry_md_hd_t h;
    int algo;
};

/* see backend.h */
int rlab_lgc_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out)
{
    *out = NULL;
    if (key == NULL || (key_len != 16 && key_len != 32))
        return RLAB_ERR_INVALID_ARG;
    rlab_aead_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    int algo = key_len == 16 ? GCRY_CIPHER_AES128 : GCRY_CIPHER_AES256;
    gcry_error_t e = gcry_cipher_open(&c->h, algo, GCRY_CIPHER_MODE_GCM, GCRY_CIPHER_SECURE);
    if (e == 0)
        e = gcry_cipher_setkey(c->h, key, key_len);
    if (e != 0) {
        rlab_lgc_aead_free(c);
        return rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_cipher_open/setkey", e);
    }
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
void rlab_lgc_aead_free(rlab_aead_ctx *c)
{
    if (c == NULL)
        return;
    gcry_cipher_close(c->h);
    free(c);
}

static int lgc_gcm_args(const rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                        const uint8_t *out, const uint8_t *tag, size_t tag_len)
{
    if (c == NULL || iv == NULL || iv_len == 0 || tag == NULL || tag_len < 4 ||
        tag_len > RLAB_GCM_TAG_MAX || (aad_len > 0 && aad == NULL) ||
        (len > 0 && (in == NULL || out == NULL)))
        return RLAB_ERR_INVALID_ARG;
    return RLAB_OK;
}

/* Reset the handle to a new message: IV, then AAD. */
static gcry_error_t lgc_gcm_start(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                                  const uint8_t *aad, size_t aad_len)
{
    gcry_error_t e = gcry_cipher_reset(c->h);
    if (e == 0)
        e = gcry_cipher_setiv(c->h, iv, iv_len);
    if (e == 0 && aad_len > 0)
        e = gcry_cipher_authenticate(c->h, aad, aad_len);
    return e;
}

/* see backend.h; in == out is libgcrypt's in-place call (NULL input) */
int rlab_lgc_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                       uint8_t *tag, size_t tag_len)
{
    int rc = lgc_gcm_args(c, iv, iv_len, aad, aad_len, in, len, out, tag, tag_len);
    if (rc != RLAB_OK)
        return rc;
    gcry_error_t e = lgc_gcm_start(c, iv, iv_len, aad, aad_len);
    if (e == 0 && len > 0)
        e = in == out ? gcry_cipher_encrypt(c->h, out, len, NULL, 0)
                      : gcry_cipher_encrypt(c->h, out, len, in, len);
    if (e == 0)
        e = gcry_cipher_gettag(c->h, tag, tag_len);
    if (e != 0) {
        if (len > 0)
            rlab_wipe(out, len);
        return rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_cipher (GCM seal)", e);
    }
    return RLAB_OK;
}

/* see backend.h */
int rlab_lgc_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, size_t len, const uint8_t *tag,
                       size_t tag_len, uint8_t *out)
{
    int rc = lgc_gcm_args(c, iv, iv_len, aad, aad_len, in, len, out, tag, tag_len);
    if (rc != RLAB_OK)
        return rc;
    gcry_error_t e = lgc_gcm_start(c, iv, iv_len, aad, aad_len);
    if (e == 0 && len > 0)
        e = in == out ? gcry_cipher_decrypt(c->h, out, len, NULL, 0)
                      : gcry_cipher_decrypt(c->h, out, len, in, len);
    if (e == 0)
        e = gcry_cipher_checktag(c->h, tag, tag_len);
    if (e != 0) {
        if (len > 0)
            rlab_wipe(out, len);
        if (gcry_err_code(e) == GPG_ERR_CHECKSUM)
            return RLAB_ERR_AUTH;
        return rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_cipher (GCM open)", e);
    }
    return RLAB_OK;
}

/* see backend.h */
int rlab_lgc_hash_new(rlab_hash h, rlab_hash_ctx **out)
{
    *out = NULL;
    int algo = rlab_lgc_md(h);
    if (algo == 0)
        return RLAB_ERR_UNSUPPORTED;
    rlab_hash_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    c->algo = algo;
    gcry_error_t e = gcry_md_open(&c->h, algo, 0);
    if (e != 0) {
        free(c);
        return rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_md_open", e);
    }
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
int rlab_lgc_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len)
{
    if (c == NULL || (len > 0 && p == NULL))
        return RLAB_ERR_INVALID_ARG;
    if (len > 0)
        gcry_md_write(c->h, p, len);
    return RLAB_OK;
}

/* see backend.h */
int rlab_lgc_hash_final(rlab_hash_ctx *c, uint8_t *out)
{
    if (c == NULL || out == NULL) {
        rlab_lgc_hash_free(c);
        return RLAB_ERR_INVALID_ARG;
    }
    const unsigned char *d = gcry_md_read(c->h, c->algo);
    int rc = RLAB_ERR_BACKEND;
    if (d != NULL) {
        memcpy(out, d, gcry_md_get_algo_dlen(c->algo));
        rc = RLAB_OK;
    }
    rlab_lgc_hash_free(c);
    return rc;
}

/* see backend.h; gcry_md_close wipes the context */
void rlab_lgc_hash_free(rlab_hash_ctx *c)
{
    if (c == NULL)
        return;
    gcry_md_close(c->h);
    free(c);
}
