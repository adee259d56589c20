/*
 * The wolfSSL backend (wolfCrypt of Debian's libwolfssl-dev 5.5.4): the
 * backend struct, its version string and its finer limits.  The operations
 * live in the wolf_*.c files of this folder; wolf_internal.h lists them.
 *
 * What Debian's build cannot do, and how it is reported:
 *   - a caller's generator for padding or keygen (wolfCrypt takes a WC_RNG):
 *     RLAB_CAP_RNG_REPLAY unset;
 *   - PSS verification with the salt length recovered from the signature
 *     (WOLFSSL_PSS_SALT_LEN_DISCOVER is not defined): RLAB_CAP_PSS_AUTO unset;
 *   - moduli above 4096 bits (RSA_MAX_SIZE = SP_INT_BITS = 4096): refused at
 *     import (RLAB_ERR_UNSUPPORTED) and by limit() for keygen;
 *   - AES-GCM without table lookups (no AES-NI in the build): no AEAD slots,
 *     see wolf_sym.c;
 *   - empty messages for OAEP and v1.5 encryption (limit(), empty_msg).
 */
#include <stdio.h>

#include "backends/wolfssl/wolf_internal.h"

#include <wolfssl/version.h>  /* after options.h */

static const char *wolf_version(void)
{
    /* wolfSSL_lib_version() lives in the TLS layer; the header's string is
     * the version this backend was compiled against, which Debian keeps in
     * step with the library package. */
    return "wolfSSL " LIBWOLFSSL_VERSION_STRING " (wolfCrypt, sp_int math)";
}

static const char *wolf_limit(const struct rlab_op_query *q)
{
    switch (q->op) {
    case RLAB_OP_KEYGEN:
        if (q->bits != 0 && (q->bits < RSA_MIN_SIZE || q->bits > RSA_MAX_SIZE))
            return "wc_MakeRsaKey (Debian build) makes 512- to 4096-bit keys";
        return NULL;
    case RLAB_OP_OAEP_ENCRYPT:
    case RLAB_OP_OAEP_DECRYPT:
    case RLAB_OP_PKCS1_ENCRYPT:
    case RLAB_OP_PKCS1_DECRYPT:
        /* RsaPublicEncryptEx refuses inLen 0, and the unpadding answers 0
         * bytes for a padding error, so a decrypted empty message is refused
         * too (fixed upstream after 5.5.4: wolfSSL PR 10012). */
        if (q->empty_msg)
            return "wolfCrypt 5.5.4 can neither encrypt nor decrypt an empty message";
        return NULL;
    case RLAB_OP_PSS_SIGN:
        if (q->salt_len < 0)
            return "PSS signing needs an explicit salt length";
        return NULL;
    default:
        return NULL;
    }
}

const struct rlab_backend rlab_backend_wolfssl = {
    .name = "wolfssl",
    .description = "wolfSSL 5.5 wolfCrypt (rsa.h, blinded CRT on sp_int, Hash-DRBG per key)",
    .version = wolf_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT | RLAB_CAP_EXPORT |
            RLAB_CAP_OAEP | RLAB_CAP_OAEP_LABEL | RLAB_CAP_OAEP_MGF1 | RLAB_CAP_PSS |
            RLAB_CAP_PSS_MGF1 | RLAB_CAP_PKCS1_SIGN | RLAB_CAP_PKCS1_CRYPT | RLAB_CAP_RAW |
            RLAB_CAP_HASH,
    .hashes = RLAB_HASH_ALL,
    .limit = wolf_limit,
    .init = rlab_wolf_init,
    .cleanup = rlab_wolf_cleanup,

    .keygen = rlab_wolf_keygen,
    .from_components = rlab_wolf_from_components,
    .to_components = rlab_wolf_to_components,
    .import = rlab_wolf_import,
    .export_key = rlab_wolf_export,
    .key_free = rlab_wolf_key_free,

    .oaep_encrypt = rlab_wolf_oaep_encrypt,
    .oaep_decrypt = rlab_wolf_oaep_decrypt,
    .pss_sign = rlab_wolf_pss_sign,
    .pss_verify = rlab_wolf_pss_verify,
    .pkcs1_sign = rlab_wolf_pkcs1_sign,
    .pkcs1_verify = rlab_wolf_pkcs1_verify,
    .pkcs1_encrypt = rlab_wolf_pkcs1_encrypt,
    .pkcs1_decrypt = rlab_wolf_pkcs1_decrypt,
    .raw_public = rlab_wolf_raw_public,
    .raw_private = rlab_wolf_raw_private,

    .aead_new = NULL, /* table-based AES in Debian's build: see wolf_sym.c */
    .aead_seal = NULL,
    .aead_open = NULL,
    .aead_free = NULL,

    .hash_new = rlab_wolf_hash_new,
    .hash_update = rlab_wolf_hash_update,
    .hash_final = rlab_wolf_hash_final,
    .hash_free = rlab_wolf_hash_free,
};
