/*
 * The BearSSL backend (Debian's libbearssl-dev, 0.6): the backend struct,
 * its version string and its finer limits.  The operations live in the
 * bear_*.c files of this folder; bear_internal.h lists them.
 *
 * What BearSSL 0.6 cannot do, and how it is reported:
 *   - PSS: not in 0.6 (no br_rsa_pss_*): the slots are NULL, RLAB_CAP_PSS unset.
 *   - PKCS#1 v1.5 encryption does not exist, and v1.5 decryption only as
 *     br_rsa_ssl_decrypt, which accepts nothing but a 48-byte TLS premaster
 *     secret: both slots NULL, RLAB_CAP_PKCS1_CRYPT unset.
 *   - OAEP takes one br_hash_class for the label hash and MGF1:
 *     RLAB_CAP_OAEP_MGF1 unset.
 *   - SHA-512/224 and SHA-512/256 do not exist: not in `hashes`.
 *   - Moduli above 4096 bits: refused at import (RLAB_ERR_UNSUPPORTED),
 *     keygen sizes outside 512..4096 in limit().
 *   - A private key from n, e, d alone (BearSSL keys are CRT only):
 *     RLAB_ERR_UNSUPPORTED from from_components, with that reason.
 */
#include <pthread.h>
#include <stdio.h>

#include "backends/bearssl/bear_internal.h"

static char bear_version_buf[96];

static void bear_version_once(void)
{
    /* BearSSL has no version call or macro; the Debian package is 0.6 and
     * br_rsa_keygen, which this backend needs, first appeared in 0.6. */
    snprintf(bear_version_buf, sizeof bear_version_buf, "BearSSL 0.6 (rsa %s, %s, %s)",
             rlab_bear_impl.rsa_name != NULL ? rlab_bear_impl.rsa_name : "?",
             rlab_bear_impl.aes_name != NULL ? rlab_bear_impl.aes_name : "?",
             rlab_bear_impl.ghash_name != NULL ? rlab_bear_impl.ghash_name : "?");
}

static const char *bear_version(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    rlab_bear_init();
    pthread_once(&once, bear_version_once);
    return bear_version_buf;
}

static const char *bear_limit(const struct rlab_op_query *q)
{
    switch (q->op) {
    case RLAB_OP_KEYGEN:
        if (q->bits != 0 &&
            (q->bits < RLAB_BEAR_MIN_KEYGEN_BITS || q->bits > RLAB_BEAR_MAX_BITS))
            return "br_rsa_keygen makes 512- to 4096-bit keys";
        return NULL;
    case RLAB_OP_AEAD:
        if (q->aead_tag_len != 0 && (q->aead_tag_len < 4 || q->aead_tag_len > 16))
            return "GCM tags are 4 to 16 bytes";
        return NULL;
    default:
        return NULL;
    }
}

const struct rlab_backend rlab_backend_bearssl = {
    .name = "bearssl",
    .description = "BearSSL 0.6 (constant-time i62/i31 RSA, no blinding; no PSS, "
                   "no v1.5 encryption)",
    .version = bear_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT | RLAB_CAP_EXPORT |
            RLAB_CAP_OAEP | RLAB_CAP_OAEP_LABEL | RLAB_CAP_PKCS1_SIGN | RLAB_CAP_RAW |
            RLAB_CAP_RNG_REPLAY | RLAB_CAP_AEAD | RLAB_CAP_AEAD_ANY_IV | RLAB_CAP_HASH,
    .hashes = RLAB_HASH_BIT(RLAB_HASH_SHA1) | RLAB_HASH_BIT(RLAB_HASH_SHA224) |
              RLAB_HASH_BIT(RLAB_HASH_SHA256) | RLAB_HASH_BIT(RLAB_HASH_SHA384) |
              RLAB_HASH_BIT(RLAB_HASH_SHA512),
    .limit = bear_limit,
    .init = rlab_bear_init,
    .cleanup = rlab_bear_cleanup,

    .keygen = rlab_bear_keygen,
    .from_components = rlab_bear_from_components,
    .to_components = rlab_bear_to_components,
    .import = rlab_bear_import,
    .export_key = rlab_bear_export,
    .key_free = rlab_bear_key_free,

    .oaep_encrypt = rlab_bear_oaep_encrypt,
    .oaep_decrypt = rlab_bear_oaep_decrypt,
    .pss_sign = NULL,   /* BearSSL 0.6 has no PSS */
    .pss_verify = NULL,
    .pkcs1_sign = rlab_bear_pkcs1_sign,
    .pkcs1_verify = rlab_bear_pkcs1_verify,
    .pkcs1_encrypt = NULL, /* no v1.5 encryption; decryption only for TLS */
    .pkcs1_decrypt = NULL,
    .raw_public = rlab_bear_raw_public,
    .raw_private = rlab_bear_raw_private,

    .aead_new = rlab_bear_aead_new,
    .aead_seal = rlab_bear_aead_seal,
    .aead_open = rlab_bear_aead_open,
    .aead_free = rlab_bear_aead_free,

    .hash_new = rlab_bear_hash_new,
    .hash_update = rlab_bear_hash_update,
    .hash_final = rlab_bear_hash_final,
    .hash_free = rlab_bear_hash_free,
};
