/*
 * The gmp backend: our own RSA on GMP's mpn layer.  This file joins the
 * paddings (gmp_pad.h), the DER/PEM codec (gmp_der.h) and the key and RSA
 * primitives (gmp_internal.h) into the slots of backends/backend.h.
 *
 * Conventions on top of backend.h's:
 *  - sizes are checked against public values before any private operation:
 *    a decryption needs room for the longest plaintext the padding allows
 *    (k - 2h - 2 for OAEP, k - 11 for v1.5), a signature or ciphertext
 *    output room for k bytes;
 *  - decryption: a ciphertext that is not k bytes or not below n, and every
 *    padding failure, is RLAB_ERR_DECRYPT with *outlen = 0 and out wiped;
 *  - verification: a signature that is not k bytes or not below n is
 *    RLAB_ERR_VERIFY; v1.5 re-encodes the expected block and compares all k
 *    bytes in constant time (it never parses the recovered block);
 *  - no AES-GCM: the aead slots stay NULL (the protocol takes the default
 *    provider's).
 */
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_der.h"
#include "backends/gmp/gmp_hash.h"
#include "backends/gmp/gmp_internal.h"
#include "backends/gmp/gmp_pad.h"

/* Longest modulus in bytes: stack buffers for encoded blocks. */
#define GMP_MAX_K (RLAB_GMP_MAX_BITS / 8)

/* Shared start of the slots that write an RSA-sized output: the key is
 * ours, pointers are usable, and *outlen is 0 from here on. */
static int gmp_begin(const rlab_key *key, const uint8_t *in, size_t in_len, uint8_t *out,
                     size_t *outlen, size_t *cap, const struct rlab_gmp_key **k)
{
    if (outlen == NULL)
        return RLAB_ERR_INVALID_ARG;
    *cap = *outlen;
    *outlen = 0;
    *k = rlab_gmp_key_of(key);
    if (*k == NULL || (in == NULL && in_len > 0) || (out == NULL && *cap > 0))
        return RLAB_ERR_INVALID_ARG;
    return RLAB_OK;
}

static int gmp_digest_ok(rlab_hash h, const uint8_t *digest, size_t digest_len)
{
    size_t hl = rlab_hash_len(h);
    if (hl == 0 || digest == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (digest_len != hl)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "gmp: a %s digest is %zu bytes, got %zu",
                              rlab_hash_name(h), hl, digest_len);
    return RLAB_OK;
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
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
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
    if (out == NULL || rlab_gmp_key_of(key) == NULL)
        return RLAB_ERR_INVALID_ARG;
    out->data = NULL;
    out->len = 0;
    if ((fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8) && !key->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
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
    size_t cap;
    const struct rlab_gmp_key *k;
    int rc = gmp_begin(key, msg, msg_len, out, outlen, &cap, &k);
    if (rc != RLAB_OK)
        return rc;
    if (p == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (cap < k->k)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    uint8_t em[GMP_MAX_K];
    rc = rlab_gmp_oaep_encode(p, rng, msg, msg_len, em, k->k);
    return gmp_encrypt_block(k, rc, em, out, outlen);
}

static int gmp_pkcs1_encrypt(const rlab_key *key, const struct rlab_rng *rng,
                             const uint8_t *msg, size_t msg_len, uint8_t *out, size_t *outlen)
{
    size_t cap;
    const struct rlab_gmp_key *k;
    int rc = gmp_begin(key, msg, msg_len, out, outlen, &cap, &k);
    if (rc != RLAB_OK)
        return rc;
    if (cap < k->k)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    uint8_t em[GMP_MAX_K];
    rc = rlab_gmp_pkcs1_enc_encode(rng, msg, msg_len, em, k->k);
    return gmp_encrypt_block(k, rc, em, out, outlen);
}

/* ---- decryption -------------------------------------------------------- */

/*
 * Private operation on ct into em (k bytes).  Any failure of the ciphertext
 * (length, range) is RLAB_ERR_DECRYPT; a failed fault check stays
 * RLAB_ERR_FAULT (it says nothing about the ciphertext).
 */
static int gmp_decrypt_block(const struct rlab_gmp_key *k, const uint8_t *ct, size_t ct_len,
                             uint8_t *em)
{
    if (ct == NULL || ct_len != k->k)
        return RLAB_ERR_DECRYPT;
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
    size_t cap;
    const struct rlab_gmp_key *k;
    int rc = gmp_begin(key, ct, ct_len, out, outlen, &cap, &k);
    if (rc != RLAB_OK)
        return rc;
    if (p == NULL || rlab_hash_len(p->hash) == 0 || rlab_hash_len(p->mgf1_hash) == 0 ||
        (p->label == NULL && p->label_len > 0))
        return RLAB_ERR_INVALID_ARG;
    if (!key->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    size_t h = rlab_hash_len(p->hash);
    if (k->k < 2 * h + 2)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "gmp: key too small for OAEP with %s",
                              rlab_hash_name(p->hash));
    if (cap < k->k - 2 * h - 2)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    uint8_t em[GMP_MAX_K];
    rc = gmp_decrypt_block(k, ct, ct_len, em);
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
    size_t cap;
    const struct rlab_gmp_key *k;
    int rc = gmp_begin(key, ct, ct_len, out, outlen, &cap, &k);
    if (rc != RLAB_OK)
        return rc;
    if (!key->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    if (k->k < 11)
        return RLAB_ERR_INVALID_ARG;
    if (cap < k->k - 11)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    uint8_t em[GMP_MAX_K];
    rc = gmp_decrypt_block(k, ct, ct_len, em);
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

/* Public operation on a signature into em (k bytes); RLAB_ERR_VERIFY when it
 * is not k bytes or not below n. */
static int gmp_open_sig(const struct rlab_gmp_key *k, const uint8_t *sig, size_t sig_len,
                        uint8_t *em)
{
    if (sig == NULL || sig_len != k->k)
        return RLAB_ERR_VERIFY;
    int rc = rlab_gmp_rsa_public(k, sig, em);
    return rc == RLAB_ERR_RANGE ? RLAB_ERR_VERIFY : rc;
}

static int gmp_pss_sign(const rlab_key *key, const struct rlab_pss_params *p,
                        const struct rlab_rng *rng, const uint8_t *digest, size_t digest_len,
                        uint8_t *sig, size_t *sig_len)
{
    size_t cap;
    const struct rlab_gmp_key *k;
    int rc = gmp_begin(key, digest, digest_len, sig, sig_len, &cap, &k);
    if (rc != RLAB_OK)
        return rc;
    if (p == NULL || rlab_hash_len(p->mgf1_hash) == 0)
        return RLAB_ERR_INVALID_ARG;
    rc = gmp_digest_ok(p->hash, digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    if (!key->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    if (cap < k->k)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    /* emBits = modBits - 1: one byte shorter than k when modBits = 1 mod 8 */
    size_t em_bits = (size_t)key->bits - 1, em_len = (em_bits + 7) / 8;
    uint8_t em[GMP_MAX_K];
    em[0] = 0;
    rc = rlab_gmp_pss_encode(p, rng, digest, digest_len, em + (k->k - em_len), em_bits);
    return gmp_sign_block(k, rc, em, sig, cap, sig_len);
}

static int gmp_pss_verify(const rlab_key *key, const struct rlab_pss_params *p,
                          const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                          size_t sig_len)
{
    const struct rlab_gmp_key *k = rlab_gmp_key_of(key);
    if (k == NULL || p == NULL || rlab_hash_len(p->mgf1_hash) == 0)
        return RLAB_ERR_INVALID_ARG;
    int rc = gmp_digest_ok(p->hash, digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    uint8_t em[GMP_MAX_K];
    rc = gmp_open_sig(k, sig, sig_len, em);
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
    size_t cap;
    const struct rlab_gmp_key *k;
    int rc = gmp_begin(key, digest, digest_len, sig, sig_len, &cap, &k);
    if (rc == RLAB_OK)
        rc = gmp_digest_ok(hash, digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    if (!key->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    if (cap < k->k)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    uint8_t em[GMP_MAX_K];
    rc = rlab_gmp_pkcs1_sig_encode(hash, digest, digest_len, em, k->k);
    return gmp_sign_block(k, rc, em, sig, cap, sig_len);
}

static int gmp_pkcs1_verify(const rlab_key *key, rlab_hash hash, const uint8_t *digest,
                            size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    const struct rlab_gmp_key *k = rlab_gmp_key_of(key);
    if (k == NULL)
        return RLAB_ERR_INVALID_ARG;
    int rc = gmp_digest_ok(hash, digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    uint8_t em[GMP_MAX_K], want[GMP_MAX_K];
    rc = gmp_open_sig(k, sig, sig_len, em);
    /* re-encode what a valid signature must give and compare every byte */
    if (rc == RLAB_OK && rlab_gmp_pkcs1_sig_encode(hash, digest, digest_len, want, k->k) != RLAB_OK)
        rc = RLAB_ERR_VERIFY;
    if (rc == RLAB_OK && !rlab_ct_equal(em, want, k->k))
        rc = RLAB_ERR_VERIFY;
    return rc == RLAB_OK ? RLAB_OK : rlab_error_set(rc, "gmp: v1.5 signature not valid");
}

/* ---- raw ----------------------------------------------------------------- */

static int gmp_raw(const rlab_key *key, int private_op, const uint8_t *in, size_t in_len,
                   uint8_t *out, size_t *outlen)
{
    size_t cap;
    const struct rlab_gmp_key *k;
    int rc = gmp_begin(key, in, in_len, out, outlen, &cap, &k);
    if (rc != RLAB_OK)
        return rc;
    if (private_op && !key->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    if (cap < k->k)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    if (in_len != k->k)
        return rlab_error_set(RLAB_ERR_RANGE, "gmp: raw input must be %zu bytes", k->k);
    rc = private_op ? rlab_gmp_rsa_private(k, in, out) : rlab_gmp_rsa_public(k, in, out);
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
    return gmp_raw(key, 0, in, in_len, out, outlen);
}

static int gmp_raw_private(const rlab_key *key, const uint8_t *in, size_t in_len, uint8_t *out,
                           size_t *outlen)
{
    return gmp_raw(key, 1, in, in_len, out, outlen);
}

/* ---- the backend --------------------------------------------------------- */

static const char *gmp_lib_version(void)
{
    return gmp_version;
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
    .description = "our own RSA on GMP's mpn_sec_* (blinded CRT, FIPS 186-5 keygen)",
    .version = gmp_lib_version,
    .caps = RLAB_CAP_KEYGEN | RLAB_CAP_COMPONENTS | RLAB_CAP_IMPORT | RLAB_CAP_EXPORT |
            RLAB_CAP_OAEP | RLAB_CAP_OAEP_LABEL | RLAB_CAP_OAEP_MGF1 | RLAB_CAP_PSS |
            RLAB_CAP_PSS_MGF1 | RLAB_CAP_PSS_AUTO | RLAB_CAP_PKCS1_SIGN |
            RLAB_CAP_PKCS1_CRYPT | RLAB_CAP_RAW | RLAB_CAP_RNG_REPLAY | RLAB_CAP_HASH,
    .hashes = RLAB_HASH_ALL,
    .limit = gmp_limit,
    .init = gmp_init,
    .cleanup = NULL,

    .keygen = gmp_keygen_slot,
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
    .hash_free = rlab_gmp_hash_free,
};
