/*
 * RSA operations of the mbedTLS 2.28 backend: OAEP, PSS, PKCS#1 v1.5 and the
 * raw primitives.  Contracts in backends/backend.h; the entry points
 * (backends/ops.h) have checked the key, the hashes (MGF1 equal to the hash:
 * no RLAB_CAP_*_MGF1), the digest length, the salt, the output capacity and
 * the exact k-byte inputs before a slot here runs.
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

/* mbedTLS's name of a hash in `hashes` (ops.c checked it is one). */
static mbedtls_md_type_t mbed_hash(rlab_hash h)
{
    return rlab_mbed_md(h);
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

/* The part of a decryption output that mbedTLS may write: min(cap, k).
 * ops.c has made cap at least the longest plaintext and wiped out. */
static size_t mbed_room(const rlab_key *k, size_t cap)
{
    size_t klen = rlab_key_size(k);
    return cap < klen ? cap : klen;
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
    mbedtls_md_type_t md = mbed_hash(p->hash);
    size_t klen = rlab_key_size(k);
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
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
    (void)ct_len; /* k bytes: ops.c */
    mbedtls_md_type_t md = mbed_hash(p->hash);
    size_t room = mbed_room(k, *outlen);
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
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
    /* RFC 8017 9.1.1: emLen = ceil((modBits - 1) / 8) >= hLen + sLen + 2.
     * mbedTLS 2.28 tests against k instead of emLen, which lets one byte too
     * many through when modBits = 8m + 1; ops.c has kept the standard's
     * bound, and the salt is explicit. */
    mbedtls_md_type_t md = mbed_hash(p->hash);
    size_t klen = rlab_key_size(k), salt = (size_t)p->salt_len;
    *sig_len = 0;
    struct mbed_key *mk = rlab_mbed_key(k);

    /* The salt is the first f_rng call, of exactly `salt` bytes; blinding in
     * the private operation that follows always draws from the DRBG. */
    struct mbed_rng a;
    rlab_mbed_rng_setup(&a, rng, salt);
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V21, md);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsassa_pss_sign_ext(rsa, rlab_mbed_rng_fn, &a, md,
                                              (unsigned)digest_len, digest, p->salt_len,
                                              sig);
    rlab_mbed_unlock(mk);
    return mbed_private_done(ret, "mbedtls_rsa_rsassa_pss_sign_ext", &a, sig, klen, sig_len);
}

/* see backend.h */
int rlab_mbed_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len)
{
    (void)sig_len; /* k bytes: ops.c */
    mbedtls_md_type_t md = mbed_hash(p->hash);
    struct mbed_key *mk = rlab_mbed_key(k);
    int salt = p->salt_len == RLAB_PSS_SALT_AUTO ? MBEDTLS_RSA_SALT_LEN_ANY : p->salt_len;

    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V21, md);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsassa_pss_verify_ext(rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC,
                                                md, (unsigned)digest_len, digest, md,
                                                salt, sig);
    rlab_mbed_unlock(mk);
    return ret == 0 ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* ---- PKCS#1 v1.5 -------------------------------------------------------- */

/* see backend.h */
int rlab_mbed_pkcs1_sign(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len, uint8_t *sig,
                         size_t *sig_len)
{
    mbedtls_md_type_t md = mbed_hash(hash);
    size_t klen = rlab_key_size(k);
    *sig_len = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsassa_pkcs1_v15_sign(rsa, rlab_mbed_drbg, NULL,
                                                MBEDTLS_RSA_PRIVATE, md,
                                                (unsigned)digest_len, digest, sig);
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
    (void)sig_len; /* k bytes: ops.c */
    mbedtls_md_type_t md = mbed_hash(hash);
    struct mbed_key *mk = rlab_mbed_key(k);
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC,
                                                  md, (unsigned)digest_len, digest, sig);
    rlab_mbed_unlock(mk);
    return ret == 0 ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* see backend.h */
int rlab_mbed_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                            const uint8_t *msg, size_t msg_len, uint8_t *out,
                            size_t *outlen)
{
    size_t klen = rlab_key_size(k);
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
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
    (void)ct_len; /* k bytes: ops.c */
    size_t room = mbed_room(k, *outlen);
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
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

/* The raw slots' input is k bytes (ops.c); mbedTLS answers an input not
 * below n with a generic bad-input error, which this makes RLAB_ERR_RANGE. */
static int mbed_raw_in_range(struct mbed_key *mk, const uint8_t *in, size_t in_len)
{
    return mbed_below_n(mbedtls_pk_rsa(mk->pk), in, in_len) ? RLAB_OK : RLAB_ERR_RANGE;
}

/* see backend.h */
int rlab_mbed_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen)
{
    size_t klen = rlab_key_size(k);
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    int rc = mbed_raw_in_range(mk, in, in_len);
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
    size_t klen = rlab_key_size(k);
    *outlen = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    int rc = mbed_raw_in_range(mk, in, in_len);
    if (rc != RLAB_OK)
        return rc;
    mbedtls_rsa_context *rsa = rlab_mbed_lock(mk, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    if (rsa == NULL)
        return RLAB_ERR_BACKEND;
    int ret = mbedtls_rsa_private(rsa, rlab_mbed_drbg, NULL, in, out);
    rlab_mbed_unlock(mk);
    return mbed_private_done(ret, "mbedtls_rsa_private", NULL, out, klen, outlen);
}
