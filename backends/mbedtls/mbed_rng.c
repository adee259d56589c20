/*
 * The backend's randomness and the small plumbing every other file uses:
 * the shared CTR_DRBG, the adapter that turns the interface's rlab_rng into
 * an mbedTLS f_rng, key lookup and locking, hash mapping, error detail.
 * See mbed_internal.h for the contracts.
 */
#include <stdint.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>

#include "backends/mbedtls/mbed_internal.h"

static mbedtls_entropy_context mbed_entropy;
static mbedtls_ctr_drbg_context mbed_drbg_ctx;
static int mbed_seeded;

/* see mbed_internal.h */
int rlab_mbed_init(void)
{
    static const unsigned char pers[] = "rsalab";
    if (mbed_seeded)
        return RLAB_OK;
    mbedtls_entropy_init(&mbed_entropy);
    mbedtls_ctr_drbg_init(&mbed_drbg_ctx);
    int ret = mbedtls_ctr_drbg_seed(&mbed_drbg_ctx, mbedtls_entropy_func,
                                    &mbed_entropy, pers, sizeof pers - 1);
    if (ret != 0) {
        mbedtls_ctr_drbg_free(&mbed_drbg_ctx);
        mbedtls_entropy_free(&mbed_entropy);
        return rlab_mbed_fail(RLAB_ERR_RNG, "mbedtls_ctr_drbg_seed", ret);
    }
    mbed_seeded = 1;
    return RLAB_OK;
}

/* see mbed_internal.h */
void rlab_mbed_cleanup(void)
{
    if (!mbed_seeded)
        return;
    /* Both free functions zeroize their state. */
    mbedtls_ctr_drbg_free(&mbed_drbg_ctx);
    mbedtls_entropy_free(&mbed_entropy);
    mbed_seeded = 0;
}

/* see mbed_internal.h */
int rlab_mbed_drbg(void *p_rng, unsigned char *out, size_t len)
{
    (void)p_rng;
    if (!mbed_seeded)
        return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
    /* mbedtls_ctr_drbg_random refuses requests above
     * MBEDTLS_CTR_DRBG_MAX_REQUEST bytes; keygen of large keys asks more. */
    while (len > 0) {
        size_t n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST ? len
                                                       : MBEDTLS_CTR_DRBG_MAX_REQUEST;
        int ret = mbedtls_ctr_drbg_random(&mbed_drbg_ctx, out, n);
        if (ret != 0)
            return ret;
        out += n;
        len -= n;
    }
    return 0;
}

/* see mbed_internal.h */
void rlab_mbed_rng_setup(struct mbed_rng *a, const struct rlab_rng *rng,
                         size_t first_len)
{
    a->rng = (rng != NULL && rng->fill != NULL) ? rng : NULL;
    a->first_len = first_len;
    a->used = 0;
    a->failed = 0;
}

/* see mbed_internal.h */
int rlab_mbed_rng_fn(void *p_rng, unsigned char *out, size_t len)
{
    struct mbed_rng *a = p_rng;
    int caller = a->rng != NULL &&
                 (a->first_len == SIZE_MAX || (!a->used && len == a->first_len));
    a->used = 1;
    if (!caller)
        return rlab_mbed_drbg(NULL, out, len);
    if (len == 0)
        return 0;
    if (a->rng->fill(a->rng->ctx, out, len) != RLAB_OK) {
        a->failed = 1;
        /* Any non-zero value makes mbedTLS stop; this one reads sensibly in
         * mbedtls_strerror. */
        return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
    }
    return 0;
}

/* see mbed_internal.h */
struct mbed_key *rlab_mbed_key(const rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_mbedtls)
        return NULL;
    /* The key was allocated non-const by this backend (mbed_key.c); dropping
     * the qualifier is defined behaviour.  See struct mbed_key for why the
     * RSA context underneath must stay mutable. */
    return (struct mbed_key *)(uintptr_t)k;
}

/* see mbed_internal.h */
mbedtls_rsa_context *rlab_mbed_lock(struct mbed_key *mk, int padding,
                                    mbedtls_md_type_t md)
{
    if (pthread_mutex_lock(&mk->lock) != 0)
        return NULL;
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(mk->pk);
    mbedtls_rsa_set_padding(rsa, padding, (int)md);
    return rsa;
}

/* see mbed_internal.h */
void rlab_mbed_unlock(struct mbed_key *mk)
{
    pthread_mutex_unlock(&mk->lock);
}

/* see mbed_internal.h */
mbedtls_md_type_t rlab_mbed_md(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return MBEDTLS_MD_SHA1;
    case RLAB_HASH_SHA224: return MBEDTLS_MD_SHA224;
    case RLAB_HASH_SHA256: return MBEDTLS_MD_SHA256;
    case RLAB_HASH_SHA384: return MBEDTLS_MD_SHA384;
    case RLAB_HASH_SHA512: return MBEDTLS_MD_SHA512;
    default: return MBEDTLS_MD_NONE; /* 2.28 has no SHA-512/224, SHA-512/256 */
    }
}

/* see mbed_internal.h */
int rlab_mbed_fail(int err, const char *what, int mbed_ret)
{
    char msg[128];
    mbedtls_strerror(mbed_ret, msg, sizeof msg);
    return rlab_error_set(err, "%s: %s (-0x%04x)", what, msg,
                          (unsigned)(mbed_ret < 0 ? -mbed_ret : mbed_ret));
}
