/*
 * The Botan 2 backend (Debian's libbotan-2-dev, 2.19), through the C FFI
 * only (botan/ffi.h).  This file holds the version, the finer limits and the
 * backend struct; the operations live in the bt_*.c files of this folder
 * (bt_internal.h lists them).
 *
 * What the FFI of 2.19 cannot do, and how it is reported:
 *   - SHA-512/224: Botan 2 has no such hash (not in `hashes`).
 *   - OAEP labels: the label is text inside the padding name, so binary
 *     labels cannot be passed (RLAB_CAP_OAEP_LABEL unset).
 *   - PSS with an MGF1 hash other than the hash (RLAB_CAP_PSS_MGF1 unset);
 *     OAEP takes its own MGF1 hash.
 *   - GCM tags of 4..7 and 9..11 bytes (limit()).
 *   - keys below 1024 bits (limit()).
 */
#include "backends/botan/bt_internal.h"

static const char *bt_version(void)
{
    return botan_version_string();
}

static const char *bt_limit(const struct rlab_op_query *q)
{
    switch (q->op) {
    case RLAB_OP_KEYGEN:
        if (q->bits != 0 && (q->bits < 1024 || q->bits > 16384))
            return "Botan 2 generates RSA keys of 1024 bits and more";
        return NULL;
    case RLAB_OP_PSS_SIGN:
        if (q->salt_len < 0)
            return "PSS signing needs an explicit salt length";
        return NULL;
    case RLAB_OP_AEAD:
        if (q->aead_tag_len != 0 && q->aead_tag_len != 8 &&
            (q->aead_tag_len < 12 || q->aead_tag_len > 16))
            return "Botan's GCM takes tags of 8 or 12 to 16 bytes";
        return NULL;
    default:
        return NULL;
    }
}

const struct rlab_backend rlab_backend_botan = {
    .name = "botan",
    .description = "Botan 2 through its C FFI (pk_op, blinding, CT Montgomery)",
    .version = bt_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT | RLAB_CAP_EXPORT |
            RLAB_CAP_OAEP | RLAB_CAP_OAEP_MGF1 | RLAB_CAP_PSS | RLAB_CAP_PSS_AUTO |
            RLAB_CAP_PKCS1_SIGN | RLAB_CAP_PKCS1_CRYPT | RLAB_CAP_RAW |
            RLAB_CAP_RNG_REPLAY | RLAB_CAP_AEAD | RLAB_CAP_AEAD_ANY_IV | RLAB_CAP_HASH,
    .hashes = RLAB_HASH_ALL & ~RLAB_HASH_BIT(RLAB_HASH_SHA512_224),
    .limit = bt_limit,
    .init = rlab_bt_init,
    .cleanup = rlab_bt_cleanup,

    .keygen = rlab_bt_keygen,
    .from_components = rlab_bt_from_components,
    .to_components = rlab_bt_to_components,
    .import = rlab_bt_import,
    .export_key = rlab_bt_export,
    .key_free = rlab_bt_key_free,

    .oaep_encrypt = rlab_bt_oaep_encrypt,
    .oaep_decrypt = rlab_bt_oaep_decrypt,
    .pss_sign = rlab_bt_pss_sign,
    .pss_verify = rlab_bt_pss_verify,
    .pkcs1_sign = rlab_bt_pkcs1_sign,
    .pkcs1_verify = rlab_bt_pkcs1_verify,
    .pkcs1_encrypt = rlab_bt_pkcs1_encrypt,
    .pkcs1_decrypt = rlab_bt_pkcs1_decrypt,
    .raw_public = rlab_bt_raw_public,
    .raw_private = rlab_bt_raw_private,

    .aead_new = rlab_bt_aead_new,
    .aead_seal = rlab_bt_aead_seal,
    .aead_open = rlab_bt_aead_open,
    .aead_free = rlab_bt_aead_free,

    .hash_new = rlab_bt_hash_new,
    .hash_update = rlab_bt_hash_update,
    .hash_final = rlab_bt_hash_final,
    .hash_free = rlab_bt_hash_free,
};
