/*
 * RSA operations of the mbedTLS 2.28 backend: OAEP, PSS, PKCS#1 v1.5 and the
 * raw primitives.  Contracts in backends/backend.h.
 *
 * Every private-key operation gets the backend's CTR_DRBG as f_rng, so
 * mbedtls_rsa_private always blinds (base and exponent); it also checks its
 * result with the public exponent before releasing it.  Caller randomness
 * (struct rlab_rng) only ever feeds padding: OAEP seeds, v1.5 padding, PSS
 * salts (see struct mbed_rng for how the salt is told apart from blinding).
 *
 * Known weakness kept on purpose: 2.28.3 predates the Marvin timing fix of
 * 2.28.7 (the private operation of a v1.5 decryption leaks through timing
 * whether the padding was valid), so this backend is a known-leaky control in
 * timing tests.  Our error codes reveal nothing: every decryption failure is
 * RLAB_ERR_DECRYPT with the output wiped.
 *
 * What 2.28 cannot express: the OAEP label hash and MGF1 hash are both
 * ctx->hash_id, and PSS computes H = Hash(M') with the MGF1 hash (sign:
 * ctx->hash_id, verify: mgf1_hash_id), so a MGF1 hash different from the
 * hash is RLAB_ERR_UNSUPPORTED for both schemes.  mgf1_hash_id of
 * mbedtls_rsa_rsassa_pss_verify_ext does not lift this for verification:
 * it also sets hLen and the hash of M', and with 2.28.3 an RFC 8017
 * signature made by OpenSSL (SHA-256, MGF1 with SHA-1) fails with
 * MBEDTLS_ERR_RSA_INVALID_PADDING whichever hash is passed there.
 */
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/platform_util.h>

#include "backends/mbedtls/mbed_internal.h"

/* Hash for OAEP / PSS / v1.5, and its length; the MGF1 hash must match. */
static int mbed_hash(rlab_hash h, rlab_hash mgf1, mbedtls_md_type_t *md, size_t *hlen)
{
    *md = rlab_mbed_md(h);
    if (*md == MBEDTLS_MD_NONE)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "mbedTLS 2.28 has no %s",
                              rlab_hash_name(h));
    if (mgf1 != h)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "mbedTLS 2.28 uses one hash for the padding and MGF1");
    *hlen = rlab_hash_len(h);
    return RLAB_OK;
}

/* Is in[0..k) (big-endian) below n?  Public input only. */
static int mbed_below_n(const mbedtls_rsa_context *rsa, const uint8_t *in, size_t len)
{
    mbedtls_mpi x;
    mbedtls_mpi_init(&x);
    int ok = mbedtls_mpi_read_binary(&x, in, len) == 0 &&
             mbedtls_mpi_cmp_mpi(&x, &rsa->N) < 0;
    mbedtls_mpi_free(&x);
    return ok;
}

/* Empty messages may come as NULL; mbedTLS may memcpy from them. */
static const uint8_t *mbed_nonnull(const uint8_t *p)
{
    static const uint8_t zero;
    return p != NULL ? p : &zero;
}

/* Map a failed signing or raw private operation. */
static int mbed_private_fail(const char *what, int ret, const struct mbed_rng *a)
{
    if (a != NULL && a->failed)
        return rlab_mbed_fail(RLAB_ERR_RNG, what, ret);
    if (ret == MBEDTLS_ERR_RSA_VERIFY_FAILED || ret == MBEDTLS_ERR_RSA_PRIVATE_FAILED)
        return rlab_mbed_fail(RLAB_ERR_FAULT, what, ret);
    return rlab_mbed_fail(RLAB_ERR_BACKEND, what, ret);
}

/* Shared checks of the signing slots, after the hash: *klen gets k. */
static int mbed_sign_args(const rlab_key *k, size_t digest_len, size_t hlen, size_t cap,
                          size_t *klen)
{
    if (digest_len != hlen)
        return RLAB_ERR_INVALID_ARG;
    if (!k->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    *klen = rlab_key_size(k);
    return cap < *klen ? RLAB_ERR_BUFFER_TOO_SMALL : RLAB_OK;
}

/* Shared checks of the verifying slots, after the hash. */
static int mbed_verify_args(const rlab_key *k, size_t digest_len, size_t hlen,
                            size_t sig_len)
{
    if (digest_len != hlen)
        return RLAB_ERR_INVALID_ARG;
    return sig_len == rlab_key_size(k) ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* Shared checks of the decrypting slots, whose padding takes pad bytes of
 * the k-byte block: cap must hold the longest plaintext, k - pad (backend.h),
 * whatever the ciphertext.  *room gets the part of out that mbedTLS may
 * write, min(cap, k); from the size check on, out[0..*room) is wiped and a
 * ciphertext that is not k bytes is RLAB_ERR_DECRYPT. */
static int mbed_decrypt_args(const rlab_key *k, size_t pad, size_t ct_len, uint8_t *out,
                             size_t cap, size_t *room)
{
    if (!k->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    size_t klen = rlab_key_size(k);
    /* A key too short for the padding has no plaintext at all; mbedTLS
     * then fails the decryption itself. */
    if (cap < (klen > pad ? klen - pad : 0))
        return RLAB_ERR_BUFFER_TOO_SMALL;
    *room = cap < klen ? cap : klen;
    mbedtls_platform_zeroize(out, *room);
    return ct_len == klen ? RLAB_OK : RLAB_ERR_DECRYPT;
}

/* End of a public operation (encryption) that wrote k bytes to out: on
 * failure out is wiped (it may hold the padded message). */
static int mbed_public_done(int ret, const char *what, const struct mbed_rng *a,
                            uint8_t *out, size_t klen, size_t *outlen)
{
    if (ret != 0) {
        mbedtls_platform_zeroize(out, klen);
        return rlab_mbed_fail(a != NULL && a->failed ? RLAB_ERR_RNG : RLAB_ERR_BACKEND,
                              what, ret);
    }
    *outlen = klen;
    return RLAB_OK;
}

/* End of a signing or raw private operation that wrote k bytes to out. */
static int mbed_private_done(int ret, const char *what, const struct mbed_rng *a,
                             uint8_t *out, size_t klen, size_t *outlen)
{
    if (ret != 0) {
        mbedtls_platform_zeroize(out, klen);
        return mbed_private_fail(what, ret, a);
    }
    *outlen = klen;
    return RLAB_OK;
}

/* End of a decryption into out[0..room): every failure is RLAB_ERR_DECRYPT
 * with out wiped and no detail. */
static int mbed_decrypt_done(int ret, uint8_t *out, size_t room, size_t olen,
                             size_t *outlen)
{
    if (ret != 0) {
        mbedtls_platform_zeroize(out, room);
        return RLAB_ERR_DECRYPT;
    }
    *outlen = olen;
    return RLAB_OK;
}

/* ---- OAEP --------------------------------------------------------------- */

/* see backend.h */
int rlab_mbed_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, hlen = 0;
    mbedtls_md_type_t md;
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL || p == NULL || (p->label_len > 0 && p->label == NULL) ||
        (msg_len > 0 && msg == NULL))
        return RLAB_ERR_INVALID_ARG;
    int rc = mbed_hash(p->hash, p->mgf1_hash, &md, &hlen);
    if (rc != RLAB_OK)
        return rc;
    size_t klen = rlab_key_size(k);
    if (cap < klen)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    if (klen < 2 * hlen + 2 || msg_len > klen - 2 * hlen - 2)
        return RLAB_ERR_MSG_TOO_LONG;

    struct mbed_rng a;
    rlab_mbed_rng_setup(&a, rng, SIZE_MAX);
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V21, md);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsaes_oaep_encrypt(rsa, rlab_mbed_rng_fn, &a,
                                             MBEDTLS_RSA_PUBLIC, p->label,
                                             p->label_len, msg_len,
                                             mbed_nonnull(msg), out);
    rlab_mbed_unlock(mk);
    return mbed_public_done(ret, "mbedtls_rsa_rsaes_oaep_encrypt", &a, out, klen, outlen);
}

/* see backend.h */
int rlab_mbed_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen)
{
    size_t cap = *outlen, hlen = 0, room = 0;
    mbedtls_md_type_t md;
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL || p == NULL || (p->label_len > 0 && p->label == NULL) ||
        ct == NULL)
        return RLAB_ERR_INVALID_ARG;
    int rc = mbed_hash(p->hash, p->mgf1_hash, &md, &hlen);
    if (rc == RLAB_OK)
        rc = mbed_decrypt_args(k, 2 * hlen + 2, ct_len, out, cap, &room);
    if (rc != RLAB_OK)
        return rc;

    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V21, md);
    if (rsa == NULL)
        return RLAB_ERR_DECRYPT;
    size_t olen = 0;
    /* 2.28 checks the padding without early exit and returns a single code
     * for every padding failure; range and length failures come from public
     * facts.  All of them are RLAB_ERR_DECRYPT here, with no detail. */
    int ret = mbedtls_rsa_rsaes_oaep_decrypt(rsa, rlab_mbed_drbg, NULL,
                                             MBEDTLS_RSA_PRIVATE, p->label,
                                             p->label_len, &olen, ct, out, room);
    rlab_mbed_unlock(mk);
    return mbed_decrypt_done(ret, out, room, olen, outlen);
}

/* ---- PSS ---------------------------------------------------------------- */

/* see backend.h */
int rlab_mbed_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                       const struct rlab_rng *rng, const uint8_t *digest,
                       size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    size_t cap = *sig_len, hlen = 0, klen = 0;
    mbedtls_md_type_t md;
    *sig_len = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL || p == NULL || digest == NULL || p->salt_len < 0)
        return RLAB_ERR_INVALID_ARG; /* RLAB_PSS_SALT_AUTO is for verify */
    int rc = mbed_hash(p->hash, p->mgf1_hash, &md, &hlen);
    if (rc == RLAB_OK)
        rc = mbed_sign_args(k, digest_len, hlen, cap, &klen);
    if (rc != RLAB_OK)
        return rc;
    /* RFC 8017 9.1.1: emLen = ceil((modBits - 1) / 8) >= hLen + sLen + 2.
     * mbedTLS 2.28 tests against k instead of emLen, which lets one byte too
     * many through when modBits = 8m + 1; the standard's bound is kept here. */
    size_t em_len = (k->bits - 1 + 7) / 8, salt = (size_t)p->salt_len;
    if (em_len < hlen + 2 || salt > em_len - hlen - 2)
        return rlab_error_set(RLAB_ERR_MSG_TOO_LONG,
                              "salt of %zu bytes does not fit a %u-bit key with %s",
                              salt, k->bits, rlab_hash_name(p->hash));

    /* The salt is the first f_rng call, of exactly `salt` bytes; blinding in
     * the private operation that follows always draws from the DRBG. */
    struct mbed_rng a;
    rlab_mbed_rng_setup(&a, rng, salt);
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V21, md);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsassa_pss_sign_ext(rsa, rlab_mbed_rng_fn, &a, md,
                                              (unsigned)hlen, digest, p->salt_len,
                                              sig);
    rlab_mbed_unlock(mk);
    return mbed_private_done(ret, "mbedtls_rsa_rsassa_pss_sign_ext", &a, sig, klen, sig_len);
}

/* see backend.h */
int rlab_mbed_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len)
{
    size_t hlen = 0;
    mbedtls_md_type_t md;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL || p == NULL || digest == NULL || sig == NULL ||
        p->salt_len < RLAB_PSS_SALT_AUTO)
        return RLAB_ERR_INVALID_ARG;
    int rc = mbed_hash(p->hash, p->mgf1_hash, &md, &hlen);
    if (rc == RLAB_OK)
        rc = mbed_verify_args(k, digest_len, hlen, sig_len);
    if (rc != RLAB_OK)
        return rc;
    int salt = p->salt_len == RLAB_PSS_SALT_AUTO ? MBEDTLS_RSA_SALT_LEN_ANY : p->salt_len;

    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V21, md);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsassa_pss_verify_ext(rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC,
                                                md, (unsigned)hlen, digest, md,
                                                salt, sig);
    rlab_mbed_unlock(mk);
    return ret == 0 ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* ---- PKCS#1 v1.5 -------------------------------------------------------- */

/* DigestInfo prefix lengths (RFC 8017 9.2 note 1). */
static size_t mbed_digestinfo_len(rlab_hash h)
{
    return (h == RLAB_HASH_SHA1 ? 15 : 19) + rlab_hash_len(h);
}

/* see backend.h */
int rlab_mbed_pkcs1_sign(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len, uint8_t *sig,
                         size_t *sig_len)
{
    size_t cap = *sig_len, hlen = 0, klen = 0;
    mbedtls_md_type_t md;
    *sig_len = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL || digest == NULL)
        return RLAB_ERR_INVALID_ARG;
    int rc = mbed_hash(hash, hash, &md, &hlen);
    if (rc == RLAB_OK)
        rc = mbed_sign_args(k, digest_len, hlen, cap, &klen);
    if (rc != RLAB_OK)
        return rc;
    if (klen < mbed_digestinfo_len(hash) + 11)
        return RLAB_ERR_MSG_TOO_LONG;

    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsassa_pkcs1_v15_sign(rsa, rlab_mbed_drbg, NULL,
                                                MBEDTLS_RSA_PRIVATE, md,
                                                (unsigned)hlen, digest, sig);
    rlab_mbed_unlock(mk);
    return mbed_private_done(ret, "mbedtls_rsa_rsassa_pkcs1_v15_sign", NULL, sig, klen,
                             sig_len);
}

/* see backend.h; 2.28 re-encodes the DigestInfo and compares every byte in
 * constant time (mbedtls_ct_memcmp), it does not parse the decoded block. */
int rlab_mbed_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len)
{
    size_t hlen = 0;
    mbedtls_md_type_t md;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL || digest == NULL || sig == NULL)
        return RLAB_ERR_INVALID_ARG;
    int rc = mbed_hash(hash, hash, &md, &hlen);
    if (rc == RLAB_OK)
        rc = mbed_verify_args(k, digest_len, hlen, sig_len);
    if (rc != RLAB_OK)
        return rc;
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC,
                                                  md, (unsigned)hlen, digest, sig);
    rlab_mbed_unlock(mk);
    return ret == 0 ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* see backend.h */
int rlab_mbed_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                            const uint8_t *msg, size_t msg_len, uint8_t *out,
                            size_t *outlen)
{
    size_t cap = *outlen;
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL || (msg_len > 0 && msg == NULL))
        return RLAB_ERR_INVALID_ARG;
    size_t klen = rlab_key_size(k);
    if (cap < klen)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    if (klen < 11 || msg_len > klen - 11)
        return RLAB_ERR_MSG_TOO_LONG;

    /* 2.28 draws the padding one byte per call, redrawing zeros. */
    struct mbed_rng a;
    rlab_mbed_rng_setup(&a, rng, SIZE_MAX);
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsaes_pkcs1_v15_encrypt(rsa, rlab_mbed_rng_fn, &a,
                                                  MBEDTLS_RSA_PUBLIC, msg_len,
                                                  mbed_nonnull(msg), out);
    rlab_mbed_unlock(mk);
    return mbed_public_done(ret, "mbedtls_rsa_rsaes_pkcs1_v15_encrypt", &a, out, klen,
                            outlen);
}

/* see backend.h; the unpadding in 2.28 is constant-time
 * (mbedtls_ct_rsaes_pkcs1_v15_unpadding), the private operation before it is
 * not (Marvin, fixed in 2.28.7; see the top of this file). */
int rlab_mbed_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct,
                            size_t ct_len, uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, room = 0;
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL || ct == NULL)
        return RLAB_ERR_INVALID_ARG;
    int rc = mbed_decrypt_args(k, 11, ct_len, out, cap, &room);
    if (rc != RLAB_OK)
        return rc;

    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    if (rsa == NULL)
        return RLAB_ERR_DECRYPT;
    size_t olen = 0;
    int ret = mbedtls_rsa_rsaes_pkcs1_v15_decrypt(rsa, rlab_mbed_drbg, NULL,
                                                  MBEDTLS_RSA_PRIVATE, &olen, ct,
                                                  out, room);
    rlab_mbed_unlock(mk);
    return mbed_decrypt_done(ret, out, room, olen, outlen);
}

/* ---- raw ---------------------------------------------------------------- */

/* Shared checks of the raw slots; *klen gets k. */
static int mbed_raw_args(struct mbed_key *mk, const uint8_t *in, size_t in_len,
                         size_t cap, size_t *klen)
{
    if (mk == NULL || in == NULL)
        return RLAB_ERR_INVALID_ARG;
    *klen = rlab_key_size(&mk->base);
    if (cap < *klen)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    if (in_len != *klen || !mbed_below_n(mbedtls_pk_rsa(mk->pk), in, in_len))
        return RLAB_ERR_RANGE;
    return RLAB_OK;
}

/* see backend.h */
int rlab_mbed_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, klen = 0;
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    int rc = mbed_raw_args(mk, in, in_len, cap, &klen);
    if (rc != RLAB_OK)
        return rc;
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_public(rsa, in, out);
    rlab_mbed_unlock(mk);
    return mbed_public_done(ret, "mbedtls_rsa_public", NULL, out, klen, outlen);
}

/* see backend.h */
int rlab_mbed_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                          uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, klen = 0;
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk != NULL && !k->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    int rc = mbed_raw_args(mk, in, in_len, cap, &klen);
    if (rc != RLAB_OK)
        return rc;
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_private(rsa, rlab_mbed_drbg, NULL, in, out);
    rlab_mbed_unlock(mk);
    return mbed_private_done(ret, "mbedtls_rsa_private", NULL, out, klen, outlen);
}
