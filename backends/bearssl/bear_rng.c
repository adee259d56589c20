/*
 * The BearSSL backend's randomness and plumbing: the shared HMAC_DRBG, the
 * br_prng_class that lets BearSSL draw from a caller's rlab_rng, the RSA,
 * AES and GHASH implementations BearSSL picks for this CPU, hash tables and
 * key lookup.  See bear_internal.h for the contracts.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "base/ct.h"
#include "backends/bearssl/bear_internal.h"

struct bear_impl rlab_bear_impl;

static br_hmac_drbg_context bear_drbg;
static pthread_mutex_t bear_drbg_lock = PTHREAD_MUTEX_INITIALIZER;
static int bear_seeded;

static const char *bear_rsa_name(br_rsa_private priv)
{
    if (priv != NULL && priv == br_rsa_i62_private_get())
        return "i62";
    if (priv == br_rsa_i31_private)
        return "i31";
    if (priv == br_rsa_i32_private)
        return "i32";
    return "i15";
}

static void bear_pick_impl(void)
{
    struct bear_impl *im = &rlab_bear_impl;
    im->pub = br_rsa_public_get_default();
    im->priv = br_rsa_private_get_default();
    im->pkcs1_sign = br_rsa_pkcs1_sign_get_default();
    im->pkcs1_vrfy = br_rsa_pkcs1_vrfy_get_default();
    im->oaep_enc = br_rsa_oaep_encrypt_get_default();
    im->oaep_dec = br_rsa_oaep_decrypt_get_default();
    im->keygen = br_rsa_keygen_get_default();
    im->modulus = br_rsa_compute_modulus_get_default();
    im->privexp = br_rsa_compute_privexp_get_default();
    im->rsa_name = bear_rsa_name(im->priv);
    /* AES-NI and PCLMULQDQ when the CPU has them (the getters return NULL
     * otherwise); else the constant-time bitsliced AES and the constant-time
     * 64-bit GHASH.  Never the table-based aes_big. */
    im->aes_ctr = br_aes_x86ni_ctr_get_vtable();
    im->aes_name = "aes_x86ni";
    if (im->aes_ctr == NULL) {
        im->aes_ctr = &br_aes_ct64_ctr_vtable;
        im->aes_name = "aes_ct64";
    }
    im->ghash = br_ghash_pclmul_get();
    im->ghash_name = "ghash_pclmul";
    if (im->ghash == 0) {
        im->ghash = br_ghash_ctmul64;
        im->ghash_name = "ghash_ctmul64";
    }
}

/* see bear_internal.h */
int rlab_bear_init(void)
{
    int rc = RLAB_OK;
    pthread_mutex_lock(&bear_drbg_lock);
    if (!bear_seeded) {
        const char *name = NULL;
        br_prng_seeder seeder = br_prng_seeder_system(&name);
        br_hmac_drbg_init(&bear_drbg, &br_sha256_vtable, NULL, 0);
        if (seeder == 0 || !seeder(&bear_drbg.vtable)) {
            rlab_wipe(&bear_drbg, sizeof bear_drbg);
            rc = rlab_error_set(RLAB_ERR_RNG, "BearSSL: no system seeder (%s)",
                                name != NULL ? name : "none");
        } else {
            bear_pick_impl();
            bear_seeded = 1;
        }
    }
    pthread_mutex_unlock(&bear_drbg_lock);
    return rc;
}

/* see bear_internal.h */
void rlab_bear_cleanup(void)
{
    pthread_mutex_lock(&bear_drbg_lock);
    rlab_wipe(&bear_drbg, sizeof bear_drbg);
    bear_seeded = 0;
    pthread_mutex_unlock(&bear_drbg_lock);
}

/* see bear_internal.h */
int rlab_bear_random(void *out, size_t len)
{
    int rc = RLAB_OK;
    pthread_mutex_lock(&bear_drbg_lock);
    if (bear_seeded)
        br_hmac_drbg_generate(&bear_drbg, out, len);
    else
        rc = RLAB_ERR_RNG;
    pthread_mutex_unlock(&bear_drbg_lock);
    if (rc != RLAB_OK)
        memset(out, 0, len);
    return rc;
}

/* ---- the br_prng_class over an rlab_rng --------------------------------- */

static void bear_prng_init(const br_prng_class **ctx, const void *params,
                           const void *seed, size_t seed_len)
{
    /* Never called: rlab_bear_rng_setup() initialises the context. */
    (void)ctx;
    (void)params;
    (void)seed;
    (void)seed_len;
}

static void bear_prng_generate(const br_prng_class **ctx, void *out, size_t len)
{
    /* ctx points at the vtable field, the first member of struct bear_rng. */
    struct bear_rng *r = (struct bear_rng *)(void *)ctx;
    int rc;
    if (len == 0)
        return;
    if (r->rng != NULL)
        rc = r->rng->fill(r->rng->ctx, out, len);
    else
        rc = rlab_bear_random(out, len);
    if (rc != RLAB_OK) {
        /* BearSSL cannot be told; the slot sees `failed` and discards the
         * result. */
        r->failed = 1;
        memset(out, 0, len);
    }
}

static void bear_prng_update(const br_prng_class **ctx, const void *seed,
                             size_t seed_len)
{
    /* BearSSL's RSA code never reseeds the generator it is handed. */
    (void)ctx;
    (void)seed;
    (void)seed_len;
}

static const br_prng_class bear_prng_vtable = {
    .context_size = sizeof(struct bear_rng),
    .init = bear_prng_init,
    .generate = bear_prng_generate,
    .update = bear_prng_update,
};

/* see bear_internal.h */
void rlab_bear_rng_setup(struct bear_rng *r, const struct rlab_rng *rng)
{
    r->vtable = &bear_prng_vtable;
    r->rng = (rng != NULL && rng->fill != NULL) ? rng : NULL;
    r->failed = 0;
}

/* ---- tables ------------------------------------------------------------- */

/* see bear_internal.h */
const br_hash_class *rlab_bear_hash_class(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return &br_sha1_vtable;
    case RLAB_HASH_SHA224: return &br_sha224_vtable;
    case RLAB_HASH_SHA256: return &br_sha256_vtable;
    case RLAB_HASH_SHA384: return &br_sha384_vtable;
    case RLAB_HASH_SHA512: return &br_sha512_vtable;
    default: return NULL;
    }
}

/* see bear_internal.h */
const unsigned char *rlab_bear_hash_oid(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return BR_HASH_OID_SHA1;
    case RLAB_HASH_SHA224: return BR_HASH_OID_SHA224;
    case RLAB_HASH_SHA256: return BR_HASH_OID_SHA256;
    case RLAB_HASH_SHA384: return BR_HASH_OID_SHA384;
    case RLAB_HASH_SHA512: return BR_HASH_OID_SHA512;
    default: return NULL;
    }
}

/* see bear_internal.h */
struct bear_key *rlab_bear_key(const rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_bearssl)
        return NULL;
    /* Allocated non-const by bear_key.c; nothing writes through it. */
    return (struct bear_key *)(uintptr_t)k;
}
