/*
 * The libtomcrypt backend: libtomcrypt 1.18 (Debian's libtomcrypt-dev) with
 * libtommath as its math descriptor (ltm_desc).  This file holds the
 * version, the finer limits and the backend struct; the operations live in
 * the ltc_*.c files of this folder (ltc_internal.h lists them).
 *
 * What 1.18 cannot do, and how it is reported:
 *   - OAEP and PSS with an MGF1 hash other than the hash: one hash_idx
 *     serves both (RLAB_CAP_OAEP_MGF1 and RLAB_CAP_PSS_MGF1 unset).
 *   - AES-GCM: present, but table-driven and not constant time, which
 *     ops.h requires of the AEAD slots; left out (no RLAB_CAP_AEAD).
 *   - keygen of sizes that are not a whole number of bytes per prime:
 *     rsa_make_key takes the modulus size in bytes and splits it in two
 *     equal halves (limit()).
 */
#include "backends/libtomcrypt/ltc_internal.h"

static const char *ltc_version(void)
{
    return "libtomcrypt " SCRYPT " (ltm_desc: libtommath)";
}

static const char *ltc_limit(const struct rlab_op_query *q)
{
    switch (q->op) {
    case RLAB_OP_KEYGEN:
        if (q->bits != 0 && (q->bits % 16 != 0 || q->bits < 512 || q->bits > 16384))
            return "rsa_make_key (1.18) makes keys from two primes of whole bytes "
                   "(bits a multiple of 16; 512 to 16384 here)";
        return NULL;
    case RLAB_OP_PSS_SIGN:
        if (q->salt_len < 0)
            return "PSS signing needs an explicit salt length (rsa_sign_hash_ex)";
        return NULL;
    default:
        return NULL;
    }
}

const struct rlab_backend rlab_backend_libtomcrypt = {
    .name = "libtomcrypt",
    .description = "libtomcrypt 1.18 over libtommath (rsa_*_ex, blinding, CRT check)",
    .version = ltc_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT | RLAB_CAP_EXPORT |
            RLAB_CAP_OAEP | RLAB_CAP_OAEP_LABEL | RLAB_CAP_PSS | RLAB_CAP_PSS_AUTO |
            RLAB_CAP_PKCS1_SIGN | RLAB_CAP_PKCS1_CRYPT | RLAB_CAP_RAW |
            RLAB_CAP_RNG_REPLAY | RLAB_CAP_HASH,
    .hashes = RLAB_HASH_ALL,
    .limit = ltc_limit,
    .init = rlab_ltc_init,
    .cleanup = NULL,

    .keygen = rlab_ltc_keygen,
    .from_components = rlab_ltc_from_components,
    .to_components = rlab_ltc_to_components,
    .import = rlab_ltc_import,
    .export_key = rlab_ltc_export,
    .key_free = rlab_ltc_key_free,

    .oaep_encrypt = rlab_ltc_oaep_encrypt,
    .oaep_decrypt = rlab_ltc_oaep_decrypt,
    .pss_sign = rlab_ltc_pss_sign,
    .pss_verify = rlab_ltc_pss_verify,
    .pkcs1_sign = rlab_ltc_pkcs1_sign,
    .pkcs1_verify = rlab_ltc_pkcs1_verify,
    .pkcs1_encrypt = rlab_ltc_pkcs1_encrypt,
    .pkcs1_decrypt = rlab_ltc_pkcs1_decrypt,
    .raw_public = rlab_ltc_raw_public,
    .raw_private = rlab_ltc_raw_private,

    .hash_new = rlab_ltc_hash_new,
    .hash_update = rlab_ltc_hash_update,
    .hash_final = rlab_ltc_hash_final,
    .hash_free = rlab_ltc_hash_free,
};
