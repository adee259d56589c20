/*
 * OpenSSL backend: per-key templates of initialised operation contexts.
 *
 * Each slot holds at most one EVP_PKEY_CTX, initialised for its operation
 * with the parameters named by its tag.  A call with the same tag gets a
 * duplicate (EVP_PKEY_CTX_dup copies the provider context, digests and salt
 * length included); a call with another tag builds a fresh context and
 * replaces the template.  Templates are only ever read through
 * EVP_PKEY_CTX_dup, under a read lock, so threads sharing a key do not
 * race; replacing one takes the write lock.
 */
#include "backends/openssl/ossl_internal.h"

static int ossl_init_op(EVP_PKEY_CTX *ctx, enum ossl_slot slot, const OSSL_PARAM *params)
{
    switch (slot) {
    case OSSL_SLOT_SIGN_PSS:
    case OSSL_SLOT_SIGN_V15: return EVP_PKEY_sign_init_ex(ctx, params);
    case OSSL_SLOT_VERIFY_PSS:
    case OSSL_SLOT_VERIFY_V15: return EVP_PKEY_verify_init_ex(ctx, params);
    case OSSL_SLOT_ENC_OAEP:
    case OSSL_SLOT_ENC_V15:
    case OSSL_SLOT_ENC_RAW: return EVP_PKEY_encrypt_init_ex(ctx, params);
    case OSSL_SLOT_DEC_OAEP:
    case OSSL_SLOT_DEC_V15:
    case OSSL_SLOT_DEC_RAW: return EVP_PKEY_decrypt_init_ex(ctx, params);
    default: return 0;
    }
}

/* see ossl_internal.h */
EVP_PKEY_CTX *rlab_ossl_ctx(const rlab_key *key, enum ossl_slot slot, uint32_t tag,
                            const OSSL_PARAM *params)
{
    if (rlab_ossl_pkey(key) == NULL || (unsigned)slot >= OSSL_SLOT_COUNT)
        return NULL;
    /* The cache is logically const: it never changes what the key does. */
    struct ossl_key *k = (struct ossl_key *)key;
    EVP_PKEY_CTX *ctx = NULL;
    int cacheable = tag != OSSL_TAG_NONE && k->lock != NULL;

    if (cacheable && CRYPTO_THREAD_read_lock(k->lock)) {
        if (k->tmpl[slot].ctx != NULL && k->tmpl[slot].tag == tag)
            ctx = EVP_PKEY_CTX_dup(k->tmpl[slot].ctx);
        CRYPTO_THREAD_unlock(k->lock);
        if (ctx != NULL)
            return ctx;
    }

    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pk, NULL);
    if (ctx == NULL || ossl_init_op(ctx, slot, params) != 1) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    if (cacheable) {
        EVP_PKEY_CTX *copy = EVP_PKEY_CTX_dup(ctx);
        if (copy != NULL && CRYPTO_THREAD_write_lock(k->lock)) {
            EVP_PKEY_CTX *old = k->tmpl[slot].ctx;
            k->tmpl[slot].ctx = copy;
            k->tmpl[slot].tag = tag;
            copy = old;
            CRYPTO_THREAD_unlock(k->lock);
        }
        EVP_PKEY_CTX_free(copy); /* the one replaced, or ours on failure */
    }
    return ctx;
}

/* see ossl_internal.h */
void rlab_ossl_ctx_clear(struct ossl_key *k)
{
    for (size_t i = 0; i < OSSL_SLOT_COUNT; i++) {
        EVP_PKEY_CTX_free(k->tmpl[i].ctx);
        k->tmpl[i].ctx = NULL;
    }
}
