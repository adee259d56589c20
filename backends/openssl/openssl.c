/*
 * The OpenSSL 3 backend: everything through EVP, OSSL_PARAM, OSSL_DECODER
 * and OSSL_ENCODER (built with OPENSSL_NO_DEPRECATED, so no RSA_* call can
 * creep in).  The operations live in ossl_key.c, ossl_codec.c, ossl_rsa.c,
 * ossl_sig.c and ossl_sym.c; this file holds the version, the limits, the
 * set-up check and the backend struct.
 *
 * What OpenSSL 3 cannot do here: take padding or key-generation randomness
 * from a caller's generator (no RLAB_CAP_RNG_REPLAY: its OAEP and PSS
 * encryption/signing KATs are skips, checked by decrypt/verify instead), GCM
 * IVs longer than 128 bytes, and, in 3.0, implicit rejection for v1.5
 * decryption and RSASSA-PSS with SHAKE (RFC 8702; its signature provider
 * masks with MGF1 only).  SHA-3 and SHAKE hashes come from EVP_MD.
 */
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "backends/openssl/ossl_internal.h"

static const char *ossl_version(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}

static const char *ossl_limit(const struct rlab_op_query *q)
{
    if (q->replay_rng)
        return "OpenSSL 3's EVP API cannot take a caller's random generator "
               "for OAEP seeds, PSS salts or key generation";
    switch (q->op) {
    case RLAB_OP_PSS_SIGN:
    case RLAB_OP_PSS_VERIFY:
        if (rlab_hash_is_xof(q->hash))
            return "OpenSSL 3.0 has no RSASSA-PSS with SHAKE as hash and mask "
                   "function (RFC 8702)";
        break;
    case RLAB_OP_KEYGEN:
        if (q->bits < 512 || q->bits > 16384)
            return "OpenSSL 3 generates RSA keys of 512 to 16384 bits only";
        break;
    case RLAB_OP_AEAD:
        if (q->aead_iv_len == 0 || q->aead_iv_len > RLAB_OSSL_GCM_IV_MAX)
            return "OpenSSL 3 takes GCM IVs of 1 to 128 bytes only";
        if (q->aead_tag_len < 4 || q->aead_tag_len > RLAB_GCM_TAG_MAX)
            return "GCM tags are 4 to 16 bytes";
        break;
    default:
        break;
    }
    return NULL;
}

/* Refuse to join the registry when the default provider lacks something
 * we promise (a FIPS-only configuration without SHA-1 signing, say). */
static int ossl_init(void)
{
    for (rlab_hash h = RLAB_HASH_SHA1; h < RLAB_HASH_COUNT; h++) {
        EVP_MD *md = EVP_MD_fetch(NULL, rlab_ossl_md_name(h), NULL);
        if (md == NULL)
            return rlab_ossl_fail(RLAB_ERR_UNSUPPORTED, rlab_ossl_md_name(h));
        EVP_MD_free(md);
    }
    static const char *const ciphers[] = {"AES-128-GCM", "AES-256-GCM"};
    for (size_t i = 0; i < 2; i++) {
        EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, ciphers[i], NULL);
        if (c == NULL)
            return rlab_ossl_fail(RLAB_ERR_UNSUPPORTED, ciphers[i]);
        EVP_CIPHER_free(c);
    }
    EVP_KEYMGMT *km = EVP_KEYMGMT_fetch(NULL, "RSA", NULL);
    if (km == NULL)
        return rlab_ossl_fail(RLAB_ERR_UNSUPPORTED, "RSA key management");
    EVP_KEYMGMT_free(km);
    return RLAB_OK;
}

const struct rlab_backend rlab_backend_openssl = {
    .name = "openssl",
    .description = "OpenSSL 3 through EVP, OSSL_PARAM and the encoder/decoder API",
    .version = ossl_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT |
            RLAB_CAP_EXPORT | RLAB_CAP_OAEP | RLAB_CAP_OAEP_LABEL |
            RLAB_CAP_OAEP_MGF1 | RLAB_CAP_PSS | RLAB_CAP_PSS_MGF1 |
            RLAB_CAP_PSS_AUTO | RLAB_CAP_PKCS1_SIGN | RLAB_CAP_PKCS1_CRYPT |
            RLAB_CAP_RAW | RLAB_CAP_AEAD | RLAB_CAP_AEAD_ANY_IV | RLAB_CAP_HASH |
            RLAB_CAP_MULTI_PRIME,
    .hashes = RLAB_HASH_ALL | RLAB_HASH_SHA3_ALL,
    .limit = ossl_limit,
    .init = ossl_init,
    .cleanup = NULL,

    .keygen = rlab_ossl_keygen,
    .keygen_multi = rlab_ossl_keygen_multi,
    .from_components = rlab_ossl_from_components,
    .to_components = rlab_ossl_to_components,
    .import = rlab_ossl_import,
    .export_key = rlab_ossl_export,
    .key_free = rlab_ossl_key_free,

    .oaep_encrypt = rlab_ossl_oaep_encrypt,
    .oaep_decrypt = rlab_ossl_oaep_decrypt,
    .pss_sign = rlab_ossl_pss_sign,
    .pss_verify = rlab_ossl_pss_verify,
    .pkcs1_sign = rlab_ossl_pkcs1_sign,
    .pkcs1_verify = rlab_ossl_pkcs1_verify,
    .pkcs1_encrypt = rlab_ossl_pkcs1_encrypt,
    .pkcs1_decrypt = rlab_ossl_pkcs1_decrypt,
    .raw_public = rlab_ossl_raw_public,
    .raw_private = rlab_ossl_raw_private,

    .aead_new = rlab_ossl_aead_new,
    .aead_seal = rlab_ossl_aead_seal,
    .aead_open = rlab_ossl_aead_open,
    .aead_free = rlab_ossl_aead_free,

    .hash_new = rlab_ossl_hash_new,
    .hash_update = rlab_ossl_hash_update,
    .hash_final = rlab_ossl_hash_final,
    .hash_final_xof = rlab_ossl_hash_final_xof,
    .hash_free = rlab_ossl_hash_free,
};
