/*
 * The libgcrypt backend (Debian's libgcrypt20-dev, libgcrypt 1.10): the
 * backend struct, its version string and its finer limits.  The operations
 * live in the lgc_*.c files of this folder; lgc_internal.h lists them.
 *
 * What libgcrypt 1.10 cannot do, and how it is reported:
 *   - OAEP encryption and PSS with an MGF1 hash other than the hash: one
 *     (hash-algo) for both; limit() for OAEP encryption (decryption is
 *     ours, lgc_unpad.c, and takes any pair), RLAB_CAP_PSS_MGF1 unset.
 *   - PSS verification with an unknown salt length: (salt-length) is
 *     required and must match; RLAB_CAP_PSS_AUTO unset.
 *   - keygen from a caller's generator, odd sizes: limit().
 *   - GCM tags other than 4, 8 and 12..16 bytes: limit().
 *   - OAEP or v1.5 encryption of an empty message: the encoders refuse a
 *     zero-length value; limit() for queries with empty_msg.  Decryption
 *     of an empty message works (the padding is removed by lgc_unpad.c).
 */
#include <pthread.h>
#include <stdio.h>

#include "backends/libgcrypt/lgc_internal.h"

static char lgc_version_buf[48];

static void lgc_version_once(void)
{
    snprintf(lgc_version_buf, sizeof lgc_version_buf, "libgcrypt %s",
             gcry_check_version(NULL));
}

static const char *lgc_version(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, lgc_version_once);
    return lgc_version_buf;
}

static const char *lgc_limit(const struct rlab_op_query *q)
{
    switch (q->op) {
    case RLAB_OP_KEYGEN:
        if (q->replay_rng)
            return "gcry_pk_genkey draws only from libgcrypt's own generator";
        if (q->bits != 0 &&
            (q->bits % 2 != 0 || q->bits < RLAB_LGC_MIN_BITS || q->bits > RLAB_LGC_MAX_BITS))
            return "gcry_pk_genkey makes even sizes only (this backend: 512 to 16384 bits)";
        return NULL;
    case RLAB_OP_OAEP_ENCRYPT:
        if (q->mgf1_hash != q->hash)
            return "libgcrypt's OAEP encoder takes one (hash-algo) for the label and MGF1";
        /* fall through */
    case RLAB_OP_PKCS1_ENCRYPT:
        if (q->empty_msg)
            return "libgcrypt 1.10 refuses to pad an empty message (GPG_ERR_INV_OBJ)";
        return NULL;
    case RLAB_OP_AEAD:
        if (q->aead_tag_len != 0 && q->aead_tag_len != 4 && q->aead_tag_len != 8 &&
            (q->aead_tag_len < 12 || q->aead_tag_len > 16))
            return "gcry_cipher_gettag (GCM) gives tags of 4, 8 and 12 to 16 bytes only";
        return NULL;
    default:
        return NULL;
    }
}

const struct rlab_backend rlab_backend_libgcrypt = {
    .name = "libgcrypt",
    .description = "libgcrypt 1.10 (gcry_pk_* S-expressions, blinding on, secure memory, "
                   "constant-time unpadding of our own)",
    .version = lgc_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT | RLAB_CAP_EXPORT |
            RLAB_CAP_OAEP | RLAB_CAP_OAEP_LABEL | RLAB_CAP_OAEP_MGF1 | RLAB_CAP_PSS |
            RLAB_CAP_PKCS1_SIGN | RLAB_CAP_PKCS1_CRYPT | RLAB_CAP_RAW | RLAB_CAP_RNG_REPLAY |
            RLAB_CAP_AEAD | RLAB_CAP_AEAD_ANY_IV | RLAB_CAP_HASH,
    .hashes = RLAB_HASH_ALL,
    .limit = lgc_limit,
    .init = rlab_lgc_init,

    .keygen = rlab_lgc_keygen,
    .from_components = rlab_lgc_from_components,
    .to_components = rlab_lgc_to_components,
    .import = rlab_lgc_import,
    .export_key = rlab_lgc_export,
    .key_free = rlab_lgc_key_free,

    .oaep_encrypt = rlab_lgc_oaep_encrypt,
    .oaep_decrypt = rlab_lgc_oaep_decrypt,
    .pss_sign = rlab_lgc_pss_sign,
    .pss_verify = rlab_lgc_pss_verify,
    .pkcs1_sign = rlab_lgc_pkcs1_sign,
    .pkcs1_verify = rlab_lgc_pkcs1_verify,
    .pkcs1_encrypt = rlab_lgc_pkcs1_encrypt,
    .pkcs1_decrypt = rlab_lgc_pkcs1_decrypt,
    .raw_public = rlab_lgc_raw_public,
    .raw_private = rlab_lgc_raw_private,

    .aead_new = rlab_lgc_aead_new,
    .aead_seal = rlab_lgc_aead_seal,
    .aead_open = rlab_lgc_aead_open,
    .aead_free = rlab_lgc_aead_free,

    .hash_new = rlab_lgc_hash_new,
    .hash_update = rlab_lgc_hash_update,
    .hash_final = rlab_lgc_hash_final,
    .hash_free = rlab_lgc_hash_free,
};
