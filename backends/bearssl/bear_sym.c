/*
 * Symmetric slots of the BearSSL backend: AES-GCM (br_gcm over the AES CTR
 * implementation BearSSL offers for this CPU: aes_x86ni with AES-NI, else
 * the constant-time bitsliced aes_ct64; GHASH with PCLMULQDQ, else the
 * constant-time ctmul64) and the SHA-1 / SHA-2 hashes BearSSL has.
 * Contracts in backends/backend.h.  br_gcm takes IVs of any length and
 * truncated tags (br_gcm_check_tag_trunc compares in constant time).
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/bearssl/bear_internal.h"

struct rlab_aead_ctx {
    union {
        const br_block_ctr_class *vtable;
        br_aes_x86ni_ctr_keys ni;
        br_aes_ct64_ctr_keys ct64;
    } aes;
    br_gcm_context gcm;
};

struct rlab_hash_ctx {
    br_hash_compat_context u;
};

/* see backend.h */
int rlab_bear_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out)
{
    *out = NULL;
    if (key == NULL || (key_len != 16 && key_len != 32))
        return RLAB_ERR_INVALID_ARG;
    rlab_aead_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    const br_block_ctr_class *aes = rlab_bear_impl.aes_ctr;
    aes->init(&c->aes.vtable, key, key_len);
    br_gcm_init(&c->gcm, &c->aes.vtable, rlab_bear_impl.ghash);
    *out = c;
    return RLAB_OK;
}

/* see backend.h; the key schedule and GHASH key are wiped */
void rlab_bear_aead_free(rlab_aead_ctx *c)
{
    rlab_free_secret(c, sizeof *c);
}

static void bear_gcm_start(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                           const uint8_t *aad, size_t aad_len, const uint8_t *in,
                           size_t len, uint8_t *out)
{
    br_gcm_reset(&c->gcm, iv, iv_len);
    if (aad_len > 0)
        br_gcm_aad_inject(&c->gcm, aad, aad_len);
    br_gcm_flip(&c->gcm);
    /* br_gcm_run works in place; out may equal (or overlap) in. */
    if (len > 0 && out != in)
        memmove(out, in, len);
}

/* see backend.h */
int rlab_bear_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, uint8_t *out, uint8_t *tag, size_t tag_len)
{
    if (c == NULL || iv == NULL || iv_len == 0 || tag == NULL || tag_len < 4 ||
        tag_len > RLAB_GCM_TAG_MAX)
        return RLAB_ERR_INVALID_ARG;
    bear_gcm_start(c, iv, iv_len, aad, aad_len, in, len, out);
    if (len > 0)
        br_gcm_run(&c->gcm, 1, out, len);
    br_gcm_get_tag_trunc(&c->gcm, tag, tag_len);
    return RLAB_OK;
}

/* see backend.h */
int rlab_bear_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, const uint8_t *tag, size_t tag_len,
                        uint8_t *out)
{
    if (c == NULL || iv == NULL || iv_len == 0 || tag == NULL || tag_len < 4 ||
        tag_len > RLAB_GCM_TAG_MAX)
        return RLAB_ERR_INVALID_ARG;
    bear_gcm_start(c, iv, iv_len, aad, aad_len, in, len, out);
    if (len > 0)
        br_gcm_run(&c->gcm, 0, out, len);
    if (!br_gcm_check_tag_trunc(&c->gcm, tag, tag_len)) {
        if (len > 0)
            rlab_wipe(out, len);
        return RLAB_ERR_AUTH;
    }
    return RLAB_OK;
}

/* see backend.h */
int rlab_bear_hash_new(rlab_hash h, rlab_hash_ctx **out)
{
    *out = NULL;
    const br_hash_class *hc = rlab_bear_hash_class(h);
    if (hc == NULL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "BearSSL has no %s", rlab_hash_name(h));
    rlab_hash_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    hc->init(&c->u.vtable);
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
int rlab_bear_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len)
{
    if (c == NULL || (len > 0 && p == NULL))
        return RLAB_ERR_INVALID_ARG;
    if (len > 0)
        c->u.vtable->update(&c->u.vtable, p, len);
    return RLAB_OK;
}

/* see backend.h */
int rlab_bear_hash_final(rlab_hash_ctx *c, uint8_t *out)
{
    if (c == NULL || out == NULL) {
        rlab_bear_hash_free(c);
        return RLAB_ERR_INVALID_ARG;
    }
    c->u.vtable->out(&c->u.vtable, out);
    rlab_bear_hash_free(c);
    return RLAB_OK;
}

/* see backend.h */
void rlab_bear_hash_free(rlab_hash_ctx *c)
{
    rlab_free_secret(c, sizeof *c);
}
