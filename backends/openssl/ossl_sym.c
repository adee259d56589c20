/*
 * OpenSSL backend: AES-GCM (EVP_CIPHER "AES-128-GCM" / "AES-256-GCM") and
 * the incremental hashes (EVP_MD_CTX).
 *
 * The AEAD context keeps one EVP_CIPHER_CTX with the key schedule loaded
 * once at aead_new; each seal/open only sets the IV length and the IV, so no
 * copy of the raw key is kept anywhere but inside OpenSSL (which cleanses it
 * in EVP_CIPHER_CTX_free).  A context is not safe for concurrent use.
 *
 * The entry points (backends/ops.h) have checked the key size, the
 * pointers, the tag length (4..16) and, through ossl_limit() in openssl.c,
 * the IV length (1..RLAB_OSSL_GCM_IV_MAX) before a slot here runs.
 */
#include <limits.h>
#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/err.h>

#include "base/ct.h"
#include "backends/openssl/ossl_internal.h"

struct rlab_aead_ctx {
    EVP_CIPHER_CTX *ctx;
};

/* EVP lengths are int: feed large inputs in pieces. */
#define OSSL_PIECE ((size_t)1 << 30)

/* see backend.h; key_len is 16 or 32 (ops.c) */
int rlab_ossl_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out)
{
    *out = NULL;
    struct rlab_aead_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    EVP_CIPHER *cipher =
        EVP_CIPHER_fetch(NULL, key_len == 16 ? "AES-128-GCM" : "AES-256-GCM", NULL);
    c->ctx = EVP_CIPHER_CTX_new();
    int ok = cipher != NULL && c->ctx != NULL &&
             EVP_CipherInit_ex2(c->ctx, cipher, key, NULL, 1, NULL) == 1;
    EVP_CIPHER_free(cipher); /* the context holds its own reference */
    if (!ok) {
        rlab_ossl_aead_free(c);
        return rlab_ossl_fail(RLAB_ERR_BACKEND, "AES-GCM set-up");
    }
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
void rlab_ossl_aead_free(rlab_aead_ctx *c)
{
    if (c == NULL)
        return;
    EVP_CIPHER_CTX_free(c->ctx); /* cleanses the key schedule */
    free(c);
}

/* Start one message (IV length, IV, direction), then feed AAD and data. */
static int ossl_gcm_run(rlab_aead_ctx *c, int enc, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, uint8_t *out)
{
    OSSL_PARAM p[2] = {OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &iv_len),
                       OSSL_PARAM_construct_end()};
    if (EVP_CIPHER_CTX_set_params(c->ctx, p) != 1 ||
        EVP_CipherInit_ex2(c->ctx, NULL, NULL, iv, enc, NULL) != 1)
        return 0;
    int n;
    for (size_t off = 0; off < aad_len; off += OSSL_PIECE) {
        size_t piece = aad_len - off < OSSL_PIECE ? aad_len - off : OSSL_PIECE;
        if (EVP_CipherUpdate(c->ctx, NULL, &n, aad + off, (int)piece) != 1)
            return 0;
    }
    for (size_t off = 0; off < len; off += OSSL_PIECE) {
        size_t piece = len - off < OSSL_PIECE ? len - off : OSSL_PIECE;
        if (EVP_CipherUpdate(c->ctx, out + off, &n, in + off, (int)piece) != 1 ||
            (size_t)n != piece)
            return 0;
    }
    return 1;
}

/* see backend.h */
int rlab_ossl_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, uint8_t *out, uint8_t *tag, size_t tag_len)
{
    uint8_t fin[16];
    int n = 0;
    OSSL_PARAM p[2] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                                         tag, tag_len),
                       OSSL_PARAM_construct_end()};
    if (!ossl_gcm_run(c, 1, iv, iv_len, aad, aad_len, in, len, out) ||
        EVP_CipherFinal_ex(c->ctx, fin, &n) != 1 || n != 0 ||
        EVP_CIPHER_CTX_get_params(c->ctx, p) != 1) {
        rlab_wipe(tag, tag_len);
        return rlab_ossl_fail(RLAB_ERR_BACKEND, "AES-GCM seal");
    }
    return RLAB_OK;
}

/* see backend.h; the library compares the tag with CRYPTO_memcmp */
int rlab_ossl_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, const uint8_t *tag, size_t tag_len,
                        uint8_t *out)
{
    uint8_t fin[16];
    int n = 0;
    OSSL_PARAM p[2] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                                         (void *)tag, tag_len),
                       OSSL_PARAM_construct_end()};
    if (!ossl_gcm_run(c, 0, iv, iv_len, aad, aad_len, in, len, out) ||
        EVP_CIPHER_CTX_set_params(c->ctx, p) != 1) {
        rlab_wipe(out, len);
        return rlab_ossl_fail(RLAB_ERR_BACKEND, "AES-GCM open");
    }
    if (EVP_CipherFinal_ex(c->ctx, fin, &n) != 1 || n != 0) {
        rlab_wipe(out, len);
        return rlab_ossl_quiet(RLAB_ERR_AUTH, "openssl: GCM tag mismatch");
    }
    return RLAB_OK;
}

/* ---- hashes ------------------------------------------------------------ */

struct rlab_hash_ctx {
    EVP_MD *md;
    EVP_MD_CTX *ctx;
    rlab_hash h;
};

/* see backend.h */
void rlab_ossl_hash_free(rlab_hash_ctx *c)
{
    if (c == NULL)
        return;
    EVP_MD_CTX_free(c->ctx); /* cleanses the state */
    EVP_MD_free(c->md);
    free(c);
}

/* see backend.h */
int rlab_ossl_hash_new(rlab_hash h, rlab_hash_ctx **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    const char *name = rlab_ossl_md_name(h);
    if (name == NULL)
        return RLAB_ERR_INVALID_ARG;
    struct rlab_hash_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    c->h = h;
    c->md = EVP_MD_fetch(NULL, name, NULL);
    c->ctx = EVP_MD_CTX_new();
    if (c->md == NULL || c->ctx == NULL || EVP_DigestInit_ex2(c->ctx, c->md, NULL) != 1) {
        rlab_ossl_hash_free(c);
        return rlab_ossl_fail(RLAB_ERR_BACKEND, name);
    }
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
int rlab_ossl_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len)
{
    if (c == NULL || (p == NULL && len > 0))
        return RLAB_ERR_INVALID_ARG;
    if (len > 0 && EVP_DigestUpdate(c->ctx, p, len) != 1)
        return rlab_ossl_fail(RLAB_ERR_BACKEND, "EVP_DigestUpdate");
    return RLAB_OK;
}

/* see backend.h */
int rlab_ossl_hash_final(rlab_hash_ctx *c, uint8_t *out)
{
    if (c == NULL)
        return RLAB_ERR_INVALID_ARG;
    int rc = RLAB_OK;
    if (out == NULL)
        rc = RLAB_ERR_INVALID_ARG;
    else if (rlab_hash_is_xof(c->h)) {
        /* EVP_DigestFinal_ex would give OpenSSL's default SHAKE length (16
         * or 32 bytes); the interface's is RFC 8702's (32 or 64). */
        if (EVP_DigestFinalXOF(c->ctx, out, rlab_hash_len(c->h)) != 1)
            rc = rlab_ossl_fail(RLAB_ERR_BACKEND, "EVP_DigestFinalXOF");
    } else if (EVP_DigestFinal_ex(c->ctx, out, NULL) != 1)
        rc = rlab_ossl_fail(RLAB_ERR_BACKEND, "EVP_DigestFinal_ex");
    rlab_ossl_hash_free(c);
    return rc;
}

/* see backend.h */
int rlab_ossl_hash_final_xof(rlab_hash_ctx *c, uint8_t *out, size_t out_len)
{
    if (c == NULL)
        return RLAB_ERR_INVALID_ARG;
    int rc = RLAB_OK;
    if ((out == NULL && out_len > 0) || !rlab_hash_is_xof(c->h))
        rc = RLAB_ERR_INVALID_ARG;
    else if (out_len > 0 && EVP_DigestFinalXOF(c->ctx, out, out_len) != 1)
        rc = rlab_ossl_fail(RLAB_ERR_BACKEND, "EVP_DigestFinalXOF");
    rlab_ossl_hash_free(c);
    return rc;
}
