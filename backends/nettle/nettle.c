/*
 * The nettle backend (Debian's nettle-dev: nettle 3.8 and hogweed, its
 * public-key half, on GMP): the backend struct, its version string and its
 * finer limits.  The operations live in the ntl_*.c files of this folder;
 * ntl_internal.h lists them.
 *
 * What nettle 3.8 cannot do, and how it is reported:
 *   - OAEP: no OAEP in nettle before 3.10; no RLAB_CAP_OAEP, NULL slots.
 *   - PSS with an MGF1 hash other than the hash: pss_encode_mgf1 and
 *     pss_verify_mgf1 take one struct nettle_hash for both;
 *     RLAB_CAP_PSS_MGF1 unset.
 *   - PSS verification with an unknown salt length: pss_verify_mgf1 needs
 *     the length; RLAB_CAP_PSS_AUTO unset.
 *   - keygen outside 512..16384 bits: limit() (our bounds, as for gmp).
 */
#include <pthread.h>
#include <stdio.h>

#include <gmp.h>
#include <nettle/version.h>

#include "backends/nettle/ntl_internal.h"

static char ntl_version_buf[64];

static void ntl_version_once(void)
{
    snprintf(ntl_version_buf, sizeof ntl_version_buf, "nettle %d.%d (GMP %s)",
             nettle_version_major(), nettle_version_minor(), gmp_version);
}

static const char *ntl_version(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ntl_version_once);
    return ntl_version_buf;
}

static const char *ntl_limit(const struct rlab_op_query *q)
{
    switch (q->op) {
    case RLAB_OP_KEYGEN:
        if (q->bits != 0 && (q->bits < RLAB_NTL_MIN_BITS || q->bits > RLAB_NTL_MAX_BITS))
            return "keygen (rsa_generate_keypair) of 512 to 16384 bits only";
        return NULL;
    case RLAB_OP_AEAD:
        if (q->aead_tag_len != 0 && (q->aead_tag_len < 4 || q->aead_tag_len > 16))
            return "GCM tags are 4 to 16 bytes";
        return NULL;
    default:
        return NULL;
    }
}

static int ntl_init(void)
{
    rlab_ntl_mem_install();
    return RLAB_OK;
}

const struct rlab_backend rlab_backend_nettle = {
    .name = "nettle",
    .description = "nettle 3.8 / hogweed (rsa_*_tr, side-channel silent, blinded)",
    .version = ntl_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT | RLAB_CAP_EXPORT |
            RLAB_CAP_PSS | RLAB_CAP_PKCS1_SIGN | RLAB_CAP_PKCS1_CRYPT | RLAB_CAP_RAW |
            RLAB_CAP_RNG_REPLAY | RLAB_CAP_AEAD | RLAB_CAP_AEAD_ANY_IV | RLAB_CAP_HASH,
    .hashes = RLAB_HASH_ALL,
    .limit = ntl_limit,
    .init = ntl_init,

    .keygen = rlab_ntl_keygen,
    .from_components = rlab_ntl_from_components,
    .to_components = rlab_ntl_to_components,
    .import = rlab_ntl_import,
    .export_key = rlab_ntl_export,
    .key_free = rlab_ntl_key_free,

    .oaep_encrypt = NULL, /* nettle 3.8 has no OAEP */
    .oaep_decrypt = NULL,
    .pss_sign = rlab_ntl_pss_sign,
    .pss_verify = rlab_ntl_pss_verify,
    .pkcs1_sign = rlab_ntl_pkcs1_sign,
    .pkcs1_verify = rlab_ntl_pkcs1_verify,
    .pkcs1_encrypt = rlab_ntl_pkcs1_encrypt,
    .pkcs1_decrypt = rlab_ntl_pkcs1_decrypt,
    .raw_public = rlab_ntl_raw_public,
    .raw_private = rlab_ntl_raw_private,

    .aead_new = rlab_ntl_aead_new,
    .aead_seal = rlab_ntl_aead_seal,
    .aead_open = rlab_ntl_aead_open,
    .aead_free = rlab_ntl_aead_free,

    .hash_new = rlab_ntl_hash_new,
    .hash_update = rlab_ntl_hash_update,
    .hash_final = rlab_ntl_hash_final,
    .hash_free = rlab_ntl_hash_free,
};
