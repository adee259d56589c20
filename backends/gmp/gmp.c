/*
 * The gmp backend: our own RSA on GMP's mpn layer.  This file joins the
 * paddings (gmp_pad.h), the DER/PEM codec (gmp_der.h) and the key and RSA
 * primitives (gmp_internal.h) into the slots of backends/backend.h.
 *
 * The entry points (backends/ops.h) have already checked the arguments,
 * the key, the output capacity and the exact k-byte inputs when a slot here
 * runs.  What is left to this file:
 *  - decryption: a ciphertext not below n, and every padding failure, is
 *    RLAB_ERR_DECRYPT with *outlen = 0 and out wiped, without a branch on
 *    which check failed;
 *  - verification: a signature not below n is RLAB_ERR_VERIFY; v1.5
 *    re-encodes the expected block and compares all k bytes in constant
 *    time (it never parses the recovered block);
 *  - no AES-GCM: the aead slots stay NULL (the protocol takes the default
 *    provider's).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_der.h"
#include "backends/gmp/gmp_hash.h"
#include "backends/gmp/gmp_internal.h"
#include "backends/gmp/gmp_pad.h"
#include "backends/gmp/gmp_r52.h"

/* Longest modulus in bytes: stack buffers for encoded blocks. */
#define GMP_MAX_K (RLAB_GMP_MAX_BITS / 8)

/* The key of a slot: ops.c has checked that it is this backend's. */
static const struct rlab_gmp_key *gmp_key(const rlab_key *key)
{
    return (const struct rlab_gmp_key *)key;
}

/* ---- keys -------------------------------------------------------------- */

static int gmp_keygen_slot(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                           rlab_key **out)
{
    return rlab_gmp_keygen(bits, e, rng, out);
}

static int gmp_import_slot(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in, size_t len,
                      rlab_key **out)
{
    struct rlab_components c;
    memset(&c, 0, sizeof c);
    int rc = rlab_gmp_der_decode(fmt, enc, in, len, &c);
    if (rc == RLAB_OK)
        rc = rlab_gmp_key_from_components(&c, out);
    rlab_components_clear(&c);
    return rc;
}

static int gmp_export_slot(const rlab_key *key, rlab_keyfmt fmt, rlab_encoding enc,
                      struct rlab_buf *out)
{
    struct rlab_components c;
    int rc = rlab_gmp_key_to_components(key, &c);
    if (rc != RLAB_OK)
        return rc;
    rc = rlab_gmp_der_encode(&c, fmt, enc, out);
    rlab_components_clear(&c);
    return rc;
}

/* ---- encryption -------------------------------------------------------- */

/* Public operation into out on em (k bytes), which an encoder has just
 * filled; enc_rc is that encoder's result, returned as is when it failed.
 * em is wiped either way. */
static int gmp_encrypt_block(const struct rlab_gmp_key *k, int enc_rc, uint8_t *em,
                             uint8_t *out, size_t *outlen)
{
    if (enc_rc != RLAB_OK) {
        rlab_wipe(em, k->k);
        return enc_rc;
    }
    int rc = rlab_gmp_rsa_public(k, em, out);
    rlab_wipe(em, k->k);
    if (rc != RLAB_OK)
        return rc == RLAB_ERR_RANGE ? RLAB_ERR_BACKEND : rc; /* encodings start 00 */
    *outlen = k->k;
    return RLAB_OK;
}

static int gmp_oaep_encrypt(const rlab_key *key, const struct rlab_oaep_params *p,
                            const struct rlab_rng *rng, const uint8_t *msg, size_t msg_len,
                            uint8_t *out, size_t *outlen)
{
    const struct rlab_gmp_key *k = gmp_key(key);
    uint8_t em[GMP_MAX_K];
    int rc = rlab_gmp_oaep_encode(p, rng, msg, msg_len, em, k->k);
    return gmp_encrypt_block(k, rc, em, out, outlen);
}

static int gmp_pkcs1_encrypt(const rlab_key *key, const struct rlab_rng *rng,
                             const uint8_t *msg, size_t msg_len, uint8_t *out, size_t *outlen)
{
    const struct rlab_gmp_key *k = gmp_key(key);
    uint8_t em[GMP_MAX_K];
    int rc = rlab_gmp_pkcs1_enc_encode(rng, msg, msg_len, em, k->k);
    return gmp_encrypt_block(k, rc, em, out, outlen);
}

/* ---- decryption -------------------------------------------------------- */

/*
 * Private operation on ct (k bytes, checked by ops.c) into em (k bytes).  A
 * ciphertext not below n is RLAB_ERR_DECRYPT; a failed fault check stays
 * RLAB_ERR_FAULT (it says nothing about the ciphertext).
 */
static int gmp_decrypt_block(const struct rlab_gmp_key *k, const uint8_t *ct, uint8_t *em)
{
    int rc = rlab_gmp_rsa_private(k, ct, em);
    return rc == RLAB_ERR_RANGE ? RLAB_ERR_DECRYPT : rc;
}

static int gmp_decrypt_fail(int rc, uint8_t *out, size_t cap, size_t *outlen)
{
    rlab_wipe(out, cap);
    *outlen = 0;
    if (rc == RLAB_ERR_DECRYPT)
        return rlab_error_set(RLAB_ERR_DECRYPT, "decryption failed");
    return rc;
}

static int gmp_oaep_decrypt(const rlab_key *key, const struct rlab_oaep_params *p,
                            const uint8_t *ct, size_t ct_len, uint8_t *out, size_t *outlen)
{
    (void)ct_len; /* k bytes: ops.c */
    const struct rlab_gmp_key *k = gmp_key(key);
    size_t cap = *outlen;
    *outlen = 0;
    uint8_t em[GMP_MAX_K];
    int rc = gmp_decrypt_block(k, ct, em);
    if (rc == RLAB_OK) {
        *outlen = cap;
        rc = rlab_gmp_oaep_decode(p, em, k->k, out, outlen);
    }
    rlab_wipe(em, k->k);
    return rc == RLAB_OK ? RLAB_OK : gmp_decrypt_fail(rc, out, cap, outlen);
}

static int gmp_pkcs1_decrypt(const rlab_key *key, const uint8_t *ct, size_t ct_len,
                             uint8_t *out, size_t *outlen)
{
    (void)ct_len; /* k bytes: ops.c */
    const struct rlab_gmp_key *k = gmp_key(key);
    size_t cap = *outlen;
    *outlen = 0;
    uint8_t em[GMP_MAX_K];
    int rc = gmp_decrypt_block(k, ct, em);
    if (rc == RLAB_OK) {
        *outlen = cap;
        rc = rlab_gmp_pkcs1_enc_decode(em, k->k, out, outlen);
    }
    rlab_wipe(em, k->k);
    return rc == RLAB_OK ? RLAB_OK : gmp_decrypt_fail(rc, out, cap, outlen);
}

/* ---- signatures -------------------------------------------------------- */

/* Private operation into sig on em (k bytes); enc_rc and the wiping of em
 * as for gmp_encrypt_block. */
static int gmp_sign_block(const struct rlab_gmp_key *k, int enc_rc, uint8_t *em,
                          uint8_t *sig, size_t cap, size_t *sig_len)
{
    if (enc_rc != RLAB_OK) {
        rlab_wipe(em, k->k);
        return enc_rc;
    }
    int rc = rlab_gmp_rsa_private(k, em, sig);
    rlab_wipe(em, k->k);
    if (rc != RLAB_OK) {
        rlab_wipe(sig, cap);
        return rc == RLAB_ERR_RANGE ? RLAB_ERR_BACKEND : rc; /* encodings start 00 */
    }
    *sig_len = k->k;
    return RLAB_OK;
}

/* Public operation on a signature (k bytes, checked by ops.c) into em (k
 * bytes); RLAB_ERR_VERIFY when it is not below n. */
static int gmp_open_sig(const struct rlab_gmp_key *k, const uint8_t *sig, uint8_t *em)
{
    int rc = rlab_gmp_rsa_public(k, sig, em);
    return rc == RLAB_ERR_RANGE ? RLAB_ERR_VERIFY : rc;
}

static int gmp_pss_sign(const rlab_key *key, const struct rlab_pss_params *p,
                        const struct rlab_rng *rng, const uint8_t *digest, size_t digest_len,
                        uint8_t *sig, size_t *sig_len)
{
    const struct rlab_gmp_key *k = gmp_key(key);
    size_t cap = *sig_len;
    *sig_len = 0;
    /* emBits = modBits - 1: one byte shorter than k when modBits = 1 mod 8 */
    size_t em_bits = (size_t)key->bits - 1, em_len = (em_bits + 7) / 8;
    uint8_t em[GMP_MAX_K];
    em[0] = 0;
    int rc = rlab_gmp_pss_encode(p, rng, digest, digest_len, em + (k->k - em_len), em_bits);
    return gmp_sign_block(k, rc, em, sig, cap, sig_len);
}

static int gmp_pss_verify(const rlab_key *key, const struct rlab_pss_params *p,
                          const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                          size_t sig_len)
{
    (void)sig_len; /* k bytes: ops.c */
    const struct rlab_gmp_key *k = gmp_key(key);
    uint8_t em[GMP_MAX_K];
    int rc = gmp_open_sig(k, sig, em);
    size_t em_bits = (size_t)key->bits - 1, em_len = (em_bits + 7) / 8;
    /* when emLen < k the leading byte of the integer must be zero */
    if (rc == RLAB_OK && em_len < k->k && em[0] != 0)
        rc = RLAB_ERR_VERIFY;
    if (rc == RLAB_OK)
        rc = rlab_gmp_pss_verify(p, digest, digest_len, em + (k->k - em_len), em_bits);
    return rc == RLAB_OK ? RLAB_OK : rlab_error_set(rc, "gmp: PSS signature not valid");
}

static int gmp_pkcs1_sign(const rlab_key *key, rlab_hash hash, const uint8_t *digest,
                          size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    const struct rlab_gmp_key *k = gmp_key(key);
    size_t cap = *sig_len;
    *sig_len = 0;
    uint8_t em[GMP_MAX_K];
    int rc = rlab_gmp_pkcs1_sig_encode(hash, digest, digest_len, em, k->k);
    return gmp_sign_block(k, rc, em, sig, cap, sig_len);
}

static int gmp_pkcs1_verify(const rlab_key *key, rlab_hash hash, const uint8_t *digest,
                            size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    (void)sig_len; /* k bytes: ops.c */
    const struct rlab_gmp_key *k = gmp_key(key);
    uint8_t em[GMP_MAX_K], want[GMP_MAX_K];
    int rc = gmp_open_sig(k, sig, em);
    /* re-encode what a valid signature must give and compare every byte */
    if (rc == RLAB_OK && rlab_gmp_pkcs1_sig_encode(hash, digest, digest_len, want, k->k) != RLAB_OK)
        rc = RLAB_ERR_VERIFY;
    if (rc == RLAB_OK && !rlab_ct_equal(em, want, k->k))
        rc = RLAB_ERR_VERIFY;
    return rc == RLAB_OK ? RLAB_OK : rlab_error_set(rc, "gmp: v1.5 signature not valid");
}

/* ---- raw ----------------------------------------------------------------- */

/* in is k bytes and out has room for k (ops.c). */
static int gmp_raw(const rlab_key *key, int private_op, const uint8_t *in, uint8_t *out,
                   size_t *outlen)
{
    const struct rlab_gmp_key *k = gmp_key(key);
    size_t cap = *outlen;
    *outlen = 0;
    int rc = private_op ? rlab_gmp_rsa_private(k, in, out) : rlab_gmp_rsa_public(k, in, out);
    if (rc != RLAB_OK) {
        rlab_wipe(out, cap);
        return rc == RLAB_ERR_RANGE ? rlab_error_set(rc, "gmp: input is not below n") : rc;
    }
    *outlen = k->k;
    return RLAB_OK;
}

static int gmp_raw_public(const rlab_key *key, const uint8_t *in, size_t in_len, uint8_t *out,
                          size_t *outlen)
{
    (void)in_len;
    return gmp_raw(key, 0, in, out, outlen);
}

static int gmp_raw_private(const rlab_key *key, const uint8_t *in, size_t in_len, uint8_t *out,
                           size_t *outlen)
{
    (void)in_len;
    return gmp_raw(key, 1, in, out, outlen);
}

/* ---- the backend --------------------------------------------------------- */

/* The library version and the engine of the private operation (gmp_r52.h),
 * e.g. "GMP 6.2.1, engine ifma", as `rsalab backends` and the bench show it. */
static char gmp_version_text[96];
static pthread_once_t gmp_version_once = PTHREAD_ONCE_INIT;

static void gmp_version_fill(void)
{
    snprintf(gmp_version_text, sizeof gmp_version_text, "GMP %s, engine %s", gmp_version,
             rlab_gmp_engine_name());
}

static const char *gmp_lib_version(void)
{
    pthread_once(&gmp_version_once, gmp_version_fill);
    return gmp_version_text;
}

static const char *gmp_limit(const struct rlab_op_query *q)
{
    if (q->op == RLAB_OP_KEYGEN && q->bits != 0 &&
        (q->bits % 2 != 0 || q->bits < RLAB_GMP_KEYGEN_MIN_BITS || q->bits > RLAB_GMP_MAX_BITS))
        return "keygen takes an even number of bits from 1024 to 16384";
    return NULL;
}

static int gmp_init(void)
{
    rlab_gmp_mem_install();
    size_t n;
    rlab_gmp_small_primes(&n);
    return RLAB_OK;
}

const struct rlab_backend rlab_backend_gmp = {
    .name = "gmp",
    .description = "our own RSA on GMP's mpn_sec_* (blinded CRT, FIPS 186-5 keygen), "
                   "AVX-512 IFMA dual exponentiation where the CPU has it",
    .version = gmp_lib_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT | RLAB_CAP_EXPORT |
            RLAB_CAP_OAEP | RLAB_CAP_OAEP_LABEL | RLAB_CAP_OAEP_MGF1 | RLAB_CAP_PSS |
            RLAB_CAP_PSS_MGF1 | RLAB_CAP_PSS_AUTO | RLAB_CAP_PKCS1_SIGN |
            RLAB_CAP_PKCS1_CRYPT | RLAB_CAP_RAW | RLAB_CAP_RNG_REPLAY | RLAB_CAP_HASH |
            RLAB_CAP_MULTI_PRIME,
    .hashes = RLAB_HASH_ALL | RLAB_HASH_SHA3_ALL,
    .limit = gmp_limit,
    .init = gmp_init,
    .cleanup = NULL,

    .keygen = gmp_keygen_slot,
    .keygen_multi = rlab_gmp_keygen_multi,
    .from_components = rlab_gmp_key_from_components,
    .to_components = rlab_gmp_key_to_components,
    .import = gmp_import_slot,
    .export_key = gmp_export_slot,
    .key_free = rlab_gmp_key_free,

    .oaep_encrypt = gmp_oaep_encrypt,
    .oaep_decrypt = gmp_oaep_decrypt,
    .pss_sign = gmp_pss_sign,
    .pss_verify = gmp_pss_verify,
    .pkcs1_sign = gmp_pkcs1_sign,
    .pkcs1_verify = gmp_pkcs1_verify,
    .pkcs1_encrypt = gmp_pkcs1_encrypt,
    .pkcs1_decrypt = gmp_pkcs1_decrypt,
    .raw_public = gmp_raw_public,
    .raw_private = gmp_raw_private,

    .aead_new = NULL,
    .aead_seal = NULL,
    .aead_open = NULL,
    .aead_free = NULL,

    .hash_new = rlab_gmp_hash_new,
    .hash_update = rlab_gmp_hash_update_slot,
    .hash_final = rlab_gmp_hash_final_slot,
    .hash_final_xof = rlab_gmp_hash_final_xof_slot,
    .hash_free = rlab_gmp_hash_free,
};
