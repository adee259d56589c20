/*
 * "gmp/mpn": the gmp backend with its private operations forced onto GMP's
 * mpn_sec_powm engine, whatever the CPU offers, so that one bench run shows
 * both engines side by side (rsalab bench ops --backends gmp,gmp/mpn).
 *
 * It is a variant, not a backend of its own: rlab_backend_find() knows it
 * by name, the backend listings leave it out, and it shares gmp's keys
 * (its `parent`).  Every slot is gmp's; the five private-operation slots
 * set the engine for the calling thread around the call.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/gmp/gmp_r52.h"

extern const struct rlab_backend rlab_backend_gmp;

#define ON_MPN(call)                                                   \
    do {                                                               \
        int prev_ = rlab_gmp_engine_thread(RLAB_GMP_ENGINE_MPN);       \
        int rc_ = (call);                                              \
        rlab_gmp_engine_thread(prev_);                                 \
        return rc_;                                                    \
    } while (0)

static int mpn_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                            const uint8_t *ct, size_t ct_len, uint8_t *out, size_t *outlen)
{
    ON_MPN(rlab_backend_gmp.oaep_decrypt(k, p, ct, ct_len, out, outlen));
}

static int mpn_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                        const struct rlab_rng *rng, const uint8_t *digest, size_t digest_len,
                        uint8_t *sig, size_t *sig_len)
{
    ON_MPN(rlab_backend_gmp.pss_sign(k, p, rng, digest, digest_len, sig, sig_len));
}

static int mpn_pkcs1_sign(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                          size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    ON_MPN(rlab_backend_gmp.pkcs1_sign(k, hash, digest, digest_len, sig, sig_len));
}

static int mpn_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len,
                             uint8_t *out, size_t *outlen)
{
    ON_MPN(rlab_backend_gmp.pkcs1_decrypt(k, ct, ct_len, out, outlen));
}

static int mpn_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len, uint8_t *out,
                           size_t *outlen)
{
    ON_MPN(rlab_backend_gmp.raw_private(k, in, in_len, out, outlen));
}

static char mpn_version_text[96];

static const char *mpn_version(void)
{
    return mpn_version_text;
}

static struct rlab_backend mpn_variant;
static pthread_once_t mpn_once = PTHREAD_ONCE_INIT;

static void mpn_make(void)
{
    mpn_variant = rlab_backend_gmp;
    mpn_variant.name = "gmp/mpn";
    mpn_variant.description = "the gmp backend with its private operations on GMP's "
                              "mpn_sec_powm whatever the CPU has (for comparison)";
    mpn_variant.parent = &rlab_backend_gmp;
    mpn_variant.init = NULL; /* gmp's, run by the registry */
    mpn_variant.cleanup = NULL;
    mpn_variant.version = mpn_version;
    mpn_variant.oaep_decrypt = mpn_oaep_decrypt;
    mpn_variant.pss_sign = mpn_pss_sign;
    mpn_variant.pkcs1_sign = mpn_pkcs1_sign;
    mpn_variant.pkcs1_decrypt = mpn_pkcs1_decrypt;
    mpn_variant.raw_private = mpn_raw_private;
    const char *v = rlab_backend_gmp.version();
    snprintf(mpn_version_text, sizeof mpn_version_text, "%.*s, engine mpn (forced)",
             (int)(strchr(v, ',') ? (size_t)(strchr(v, ',') - v) : strlen(v)), v);
}

/* see backend.h (rlab_backend_variant_at) */
const struct rlab_backend *rlab_gmp_variant_mpn(void)
{
    pthread_once(&mpn_once, mpn_make);
    return &mpn_variant;
}
