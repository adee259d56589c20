/*
 * The mbedTLS 2.28 backend (Debian's libmbedtls-dev): the backend struct,
 * its version string and its finer limits.  The operations live in the
 * mbed_*.c files of this folder; mbed_internal.h lists them.
 *
 * What 2.28 cannot do, and how it is reported:
 *   - SHA-512/224 and SHA-512/256 do not exist in 2.28: not in `hashes`.
 *   - SHA-3 and SHAKE neither (mbedTLS has SHA-3 from 3.6 on): not in
 *     `hashes`, and hash_absent() says so.
 *   - OAEP and PSS with an MGF1 hash other than the hash: the library takes
 *     one hash for both, in PSS verification too (see mbed_rsa.c), so
 *     RLAB_CAP_OAEP_MGF1 and RLAB_CAP_PSS_MGF1 are unset.
 *   - keygen of odd sizes or beyond MBEDTLS_MPI_MAX_BITS: limit().
 */
#include <pthread.h>

#include <mbedtls/bignum.h>
#include <mbedtls/version.h>

#include "backends/mbedtls/mbed_internal.h"

static char mbed_version_buf[32];

static void mbed_version_once(void)
{
    /* "mbed TLS 2.28.3": 18 bytes at most per version.h */
    mbedtls_version_get_string_full(mbed_version_buf);
}

static const char *mbed_version(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, mbed_version_once);
    return mbed_version_buf;
}

static const char *mbed_limit(const struct rlab_op_query *q)
{
    if (q->primes > 2)
        return "mbedTLS 2.28 has no multi-prime RSA keys (its RSA context holds two "
               "primes)";
    switch (q->op) {
    case RLAB_OP_KEYGEN:
        if (q->bits != 0 && (q->bits % 2 != 0 || q->bits < 128 ||
                             q->bits > MBEDTLS_MPI_MAX_BITS))
            return "mbedtls_rsa_gen_key (2.28) makes only even key sizes of "
                   "128 to 8192 bits";
        return NULL;
    case RLAB_OP_PSS_SIGN:
        if (q->salt_len < 0)
            return "PSS signing needs an explicit salt length "
                   "(mbedtls_rsa_rsassa_pss_sign_ext)";
        return NULL;
    case RLAB_OP_AEAD:
        /* 0 means "not asked"; any non-empty IV length is fine. */
        if (q->aead_tag_len != 0 && (q->aead_tag_len < 4 || q->aead_tag_len > 16))
            return "mbedTLS 2.28 GCM tags are 4 to 16 bytes";
        return NULL;
    default:
        return NULL;
    }
}

static const char *mbed_hash_absent(rlab_hash h)
{
    return rlab_hash_is_sha3(h) ? "mbedTLS 2.28 has no SHA-3 or SHAKE" : NULL;
}

const struct rlab_backend rlab_backend_mbedtls = {
    .name = "mbedtls",
    .description = "mbedTLS 2.28 (rsa.h, pk, ctr_drbg; blinding always on)",
    .version = mbed_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT |
            RLAB_CAP_EXPORT | RLAB_CAP_OAEP | RLAB_CAP_OAEP_LABEL | RLAB_CAP_PSS |
            RLAB_CAP_PSS_AUTO | RLAB_CAP_PKCS1_SIGN | RLAB_CAP_PKCS1_CRYPT |
            RLAB_CAP_RAW | RLAB_CAP_RNG_REPLAY | RLAB_CAP_AEAD |
            RLAB_CAP_AEAD_ANY_IV | RLAB_CAP_HASH,
    .hashes = RLAB_HASH_BIT(RLAB_HASH_SHA1) | RLAB_HASH_BIT(RLAB_HASH_SHA224) |
              RLAB_HASH_BIT(RLAB_HASH_SHA256) | RLAB_HASH_BIT(RLAB_HASH_SHA384) |
              RLAB_HASH_BIT(RLAB_HASH_SHA512),
    .hash_absent = mbed_hash_absent,
    .limit = mbed_limit,
    .init = rlab_mbed_init,
    .cleanup = rlab_mbed_cleanup,

    .keygen = rlab_mbed_keygen,
    .from_components = rlab_mbed_from_components,
    .to_components = rlab_mbed_to_components,
    .import = rlab_mbed_import,
    .export_key = rlab_mbed_export,
    .key_free = rlab_mbed_key_free,

    .oaep_encrypt = rlab_mbed_oaep_encrypt,
    .oaep_decrypt = rlab_mbed_oaep_decrypt,
    .pss_sign = rlab_mbed_pss_sign,
    .pss_verify = rlab_mbed_pss_verify,
    .pkcs1_sign = rlab_mbed_pkcs1_sign,
    .pkcs1_verify = rlab_mbed_pkcs1_verify,
    .pkcs1_encrypt = rlab_mbed_pkcs1_encrypt,
    .pkcs1_decrypt = rlab_mbed_pkcs1_decrypt,
    .raw_public = rlab_mbed_raw_public,
    .raw_private = rlab_mbed_raw_private,

    .aead_new = rlab_mbed_aead_new,
    .aead_seal = rlab_mbed_aead_seal,
    .aead_open = rlab_mbed_aead_open,
    .aead_free = rlab_mbed_aead_free,

    .hash_new = rlab_mbed_hash_new,
    .hash_update = rlab_mbed_hash_update,
    .hash_final = rlab_mbed_hash_final,
    .hash_free = rlab_mbed_hash_free,
};
