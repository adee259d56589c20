/*
 * RSA operations of the wolfSSL backend: OAEP, PSS, PKCS#1 v1.5 and the raw
 * primitives, through wolfCrypt (rsa.h).  Contracts in backends/backend.h;
 * ops.c has already checked sizes, hashes and keys.
 *
 * Private operations: every key has its own Hash-DRBG set with wc_RsaSetRNG
 * (wolf_key.c), so wolfCrypt blinds each private operation (WC_RSA_BLINDING
 * is on in Debian's build: the base is multiplied by r^e, and the result by
 * r^-1) and computes with CRT in sp_int's constant-time exponentiation.
 * wolfCrypt 5.5.4 does not check its CRT result, so signatures and raw
 * private results are verified with the public key before release (a
 * mismatch is RLAB_ERR_FAULT, output wiped).
 *
 * Padding randomness comes from the key's DRBG: wolfCrypt takes a WC_RNG,
 * not a callback, so RLAB_CAP_RNG_REPLAY is unset and a caller's rng is
 * RLAB_ERR_UNSUPPORTED.  PSS verification needs the salt length
 * (RSA_PSS_SALT_LEN_DISCOVER is not in Debian's build): no PSS_AUTO.
 *
 * Decryption failures are all RLAB_ERR_DECRYPT, without detail.  wolfCrypt
 * 5.5.4's unpadding is written to be constant-time (RsaUnPad_OAEP,
 * RsaUnPad with ctMask*); 5.5.4 predates the Marvin fixes for v1.5
 * decryption timing (5.6.6), so v1.5 decryption is a known-leaky control.
 */
#include <string.h>

#include "base/ct.h"
#include "backends/wolfssl/wolf_internal.h"

#define WOLF_MAXK (RSA_MAX_SIZE / 8)

static const uint8_t wolf_dummy;

/* Empty inputs may come as NULL; wolfCrypt wants a pointer. */
static const byte *wolf_in(const uint8_t *p)
{
    return p != NULL ? p : &wolf_dummy;
}

/* wolfCrypt takes labels as non-const pointers; it only reads them. */
static byte *wolf_label(const struct rlab_oaep_params *p)
{
    return p->label_len > 0 ? (byte *)(uintptr_t)p->label : NULL;
}

static int wolf_no_rng(const struct rlab_rng *rng)
{
    if (rng == NULL)
        return RLAB_OK;
    return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                          "wolfCrypt draws padding from a WC_RNG, not a caller's generator");
}

/* Is in (k bytes) below n?  Public values. */
static int wolf_below_n(struct wolf_key *wk, const uint8_t *in, size_t len)
{
    mp_int x;
    if (mp_init(&x) != MP_OKAY)
        return 0;
    int ok = mp_read_unsigned_bin(&x, in, (word32)len) == MP_OKAY &&
             mp_cmp(&x, &wk->rsa.n) == MP_LT;
    mp_clear(&x);
    return ok;
}

/* The end of a private result of k bytes in out: ret is what wolfCrypt
 * returned (the length, or an error). */
static int wolf_private_done(int ret, const char *what, uint8_t *out, size_t klen,
                             size_t *outlen)
{
    if (ret < 0 || (size_t)ret != klen) {
        rlab_wipe(out, klen);
        return rlab_wolf_fail(RLAB_ERR_BACKEND, what, ret);
    }
    *outlen = klen;
    return RLAB_OK;
}

/* ---- OAEP --------------------------------------------------------------- */

/* see backend.h */
int rlab_wolf_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, klen = rlab_key_size(k);
    *outlen = 0;
    struct wolf_key *wk = rlab_wolf_key(k);
    int rc = wk == NULL ? RLAB_ERR_INVALID_ARG : wolf_no_rng(rng);
    if (rc != RLAB_OK)
        return rc;
    pthread_mutex_lock(&wk->lock);
    int ret = wc_RsaPublicEncrypt_ex(wolf_in(msg), (word32)msg_len, out, (word32)cap, &wk->rsa,
                                     &wk->rng, WC_RSA_OAEP_PAD, rlab_wolf_hash_type(p->hash),
                                     rlab_wolf_mgf(p->mgf1_hash), wolf_label(p),
                                     (word32)p->label_len);
    pthread_mutex_unlock(&wk->lock);
    if (ret < 0 || (size_t)ret != klen) {
        rlab_wipe(out, cap < klen ? cap : klen);
        return rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_RsaPublicEncrypt_ex", ret);
    }
    *outlen = klen;
    return RLAB_OK;
}

/* see backend.h */
int rlab_wolf_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen)
{
    size_t cap = *outlen;
    *outlen = 0;
    struct wolf_key *wk = rlab_wolf_key(k);
    if (wk == NULL)
        return RLAB_ERR_DECRYPT;
    if (!wolf_below_n(wk, ct, ct_len)) /* a public fact about ct */
        return RLAB_ERR_DECRYPT;
    pthread_mutex_lock(&wk->lock);
    int ret = wc_RsaPrivateDecrypt_ex(ct, (word32)ct_len, out, (word32)cap, &wk->rsa,
                                      WC_RSA_OAEP_PAD, rlab_wolf_hash_type(p->hash),
                                      rlab_wolf_mgf(p->mgf1_hash), wolf_label(p),
                                      (word32)p->label_len);
    pthread_mutex_unlock(&wk->lock);
    if (ret < 0) {
        rlab_wipe(out, cap < ct_len ? cap : ct_len);
        return RLAB_ERR_DECRYPT;
    }
    *outlen = (size_t)ret;
    return RLAB_OK;
}

/* ---- PSS ---------------------------------------------------------------- */

/* PSS verification with an explicit salt length; the key is locked. */
static int wolf_pss_check(struct wolf_key *wk, const struct rlab_pss_params *p,
                          const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                          size_t sig_len)
{
    uint8_t em[WOLF_MAXK], buf[WOLF_MAXK];
    if (sig_len > sizeof buf || !wolf_below_n(wk, sig, sig_len))
        return RLAB_ERR_VERIFY; /* wolfCrypt 5.5.4 takes s >= n (see below) */
    memcpy(buf, sig, sig_len);
    enum wc_HashType h = rlab_wolf_hash_type(p->hash);
    /* Verify_ex undoes the padding for this salt length and hands back
     * salt || H; CheckPadding_ex2 recomputes H from the digest and salt. */
    int n = wc_RsaPSS_Verify_ex(buf, (word32)sig_len, em, sizeof em, h,
                                rlab_wolf_mgf(p->mgf1_hash), p->salt_len, &wk->rsa);
    int ok = n > 0 && wc_RsaPSS_CheckPadding_ex2(digest, (word32)digest_len, em, (word32)n, h,
                                                 p->salt_len, (int)wk->base.bits, NULL) == 0;
    return ok ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* see backend.h */
int rlab_wolf_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                       const struct rlab_rng *rng, const uint8_t *digest,
                       size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    size_t cap = *sig_len, klen = rlab_key_size(k);
    *sig_len = 0;
    struct wolf_key *wk = rlab_wolf_key(k);
    int rc = wk == NULL ? RLAB_ERR_INVALID_ARG : wolf_no_rng(rng);
    if (rc != RLAB_OK)
        return rc;
    pthread_mutex_lock(&wk->lock);
    int ret = wc_RsaPSS_Sign_ex(digest, (word32)digest_len, sig, (word32)cap,
                                rlab_wolf_hash_type(p->hash), rlab_wolf_mgf(p->mgf1_hash),
                                p->salt_len, &wk->rsa, &wk->rng);
    if (ret >= 0 && (size_t)ret == klen &&
        wolf_pss_check(wk, p, digest, digest_len, sig, klen) != RLAB_OK)
        ret = -1; /* the fault check failed */
    pthread_mutex_unlock(&wk->lock);
    if (ret == -1) {
        rlab_wipe(sig, klen);
        return rlab_error_set(RLAB_ERR_FAULT, "the PSS signature does not verify");
    }
    return wolf_private_done(ret, "wc_RsaPSS_Sign_ex", sig, klen, sig_len);
}

/* see backend.h */
int rlab_wolf_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len)
{
    struct wolf_key *wk = rlab_wolf_key(k);
    if (wk == NULL || p->salt_len < 0)
        return RLAB_ERR_INVALID_ARG; /* no PSS_AUTO: ops.c never lets it here */
    pthread_mutex_lock(&wk->lock);
    int rc = wolf_pss_check(wk, p, digest, digest_len, sig, sig_len);
    pthread_mutex_unlock(&wk->lock);
    return rc;
}

/* ---- PKCS#1 v1.5 -------------------------------------------------------- */

/* DigestInfo prefixes (RFC 8017 9.2 note 1; the OIDs of FIPS 180-4's
 * truncated SHA-512 variants are 2.16.840.1.101.3.4.2.5 and .6). */
#define WOLF_SHA2_DI(id, hl)                                                    \
    {0x30, 17 + (hl), 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,           \
     0x65, 0x03, 0x04, 0x02, (id), 0x05, 0x00, 0x04, (hl)}
static const uint8_t wolf_di_sha2[RLAB_HASH_COUNT][19] = {
    [RLAB_HASH_SHA224] = WOLF_SHA2_DI(4, 28),     [RLAB_HASH_SHA256] = WOLF_SHA2_DI(1, 32),
    [RLAB_HASH_SHA384] = WOLF_SHA2_DI(2, 48),     [RLAB_HASH_SHA512] = WOLF_SHA2_DI(3, 64),
    [RLAB_HASH_SHA512_224] = WOLF_SHA2_DI(5, 28), [RLAB_HASH_SHA512_256] = WOLF_SHA2_DI(6, 32),
};
static const uint8_t wolf_di_sha1[15] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                         0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};

static const uint8_t *wolf_digestinfo(rlab_hash h, size_t *len)
{
    *len = 0;
    if (h == RLAB_HASH_SHA1) {
        *len = sizeof wolf_di_sha1;
        return wolf_di_sha1;
    }
    if ((unsigned)h >= RLAB_HASH_COUNT || wolf_di_sha2[h][0] == 0)
        return NULL;
    *len = sizeof wolf_di_sha2[h];
    return wolf_di_sha2[h];
}

/* DigestInfo || digest into di; its length, or 0. */
static size_t wolf_encode_di(rlab_hash h, const uint8_t *digest, size_t digest_len,
                             uint8_t di[19 + RLAB_HASH_MAX_LEN])
{
    size_t pl;
    const uint8_t *pre = wolf_digestinfo(h, &pl);
    if (pre == NULL || digest_len != rlab_hash_len(h))
        return 0;
    memcpy(di, pre, pl);
    memcpy(di + pl, digest, digest_len);
    return pl + digest_len;
}

/* Does sig verify as v1.5 for DigestInfo di?  The decoded block is compared
 * with ours in full: wolfCrypt checks the padding, we check every byte of
 * what it wraps.  Key locked. */
static int wolf_pkcs1_check(struct wolf_key *wk, const uint8_t *di, size_t di_len,
                            const uint8_t *sig, size_t sig_len)
{
    uint8_t dec[WOLF_MAXK];
    /* wolfCrypt 5.5.4 reduces a signature s >= n instead of refusing it
     * (Wycheproof rsa_signature_2048_sha256 tcId 244: s + n verifies), which
     * makes signatures malleable; RFC 8017 8.2.2 says s must be below n. */
    if (!wolf_below_n(wk, sig, sig_len))
        return RLAB_ERR_VERIFY;
    int n = wc_RsaSSL_Verify(sig, (word32)sig_len, dec, sizeof dec, &wk->rsa);
    return n >= 0 && (size_t)n == di_len && memcmp(dec, di, di_len) == 0 ? RLAB_OK
                                                                         : RLAB_ERR_VERIFY;
}

/* see backend.h */
int rlab_wolf_pkcs1_sign(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len, uint8_t *sig,
                         size_t *sig_len)
{
    size_t cap = *sig_len, klen = rlab_key_size(k);
    *sig_len = 0;
    struct wolf_key *wk = rlab_wolf_key(k);
    uint8_t di[19 + RLAB_HASH_MAX_LEN];
    size_t di_len = wolf_encode_di(hash, digest, digest_len, di);
    if (wk == NULL || di_len == 0)
        return RLAB_ERR_INVALID_ARG;
    pthread_mutex_lock(&wk->lock);
    int ret = wc_RsaSSL_Sign(di, (word32)di_len, sig, (word32)cap, &wk->rsa, &wk->rng);
    if (ret >= 0 && (size_t)ret == klen &&
        wolf_pkcs1_check(wk, di, di_len, sig, klen) != RLAB_OK)
        ret = -1;
    pthread_mutex_unlock(&wk->lock);
    rlab_wipe(di, sizeof di);
    if (ret == -1) {
        rlab_wipe(sig, klen);
        return rlab_error_set(RLAB_ERR_FAULT, "the v1.5 signature does not verify");
    }
    return wolf_private_done(ret, "wc_RsaSSL_Sign", sig, klen, sig_len);
}

/* see backend.h */
int rlab_wolf_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len)
{
    struct wolf_key *wk = rlab_wolf_key(k);
    uint8_t di[19 + RLAB_HASH_MAX_LEN];
    size_t di_len = wolf_encode_di(hash, digest, digest_len, di);
    if (wk == NULL || di_len == 0)
        return RLAB_ERR_INVALID_ARG;
    pthread_mutex_lock(&wk->lock);
    int rc = wolf_pkcs1_check(wk, di, di_len, sig, sig_len);
    pthread_mutex_unlock(&wk->lock);
    return rc;
}

/* see backend.h */
int rlab_wolf_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                            const uint8_t *msg, size_t msg_len, uint8_t *out,
                            size_t *outlen)
{
    size_t cap = *outlen, klen = rlab_key_size(k);
    *outlen = 0;
    struct wolf_key *wk = rlab_wolf_key(k);
    int rc = wk == NULL ? RLAB_ERR_INVALID_ARG : wolf_no_rng(rng);
    if (rc != RLAB_OK)
        return rc;
    pthread_mutex_lock(&wk->lock);
    int ret = wc_RsaPublicEncrypt(wolf_in(msg), (word32)msg_len, out, (word32)cap, &wk->rsa,
                                  &wk->rng);
    pthread_mutex_unlock(&wk->lock);
    if (ret < 0 || (size_t)ret != klen) {
        rlab_wipe(out, cap < klen ? cap : klen);
        return rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_RsaPublicEncrypt", ret);
    }
    *outlen = klen;
    return RLAB_OK;
}

/* see backend.h */
int rlab_wolf_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct,
                            size_t ct_len, uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen;
    *outlen = 0;
    struct wolf_key *wk = rlab_wolf_key(k);
    if (wk == NULL)
        return RLAB_ERR_DECRYPT;
    if (!wolf_below_n(wk, ct, ct_len))
        return RLAB_ERR_DECRYPT;
    pthread_mutex_lock(&wk->lock);
    int ret = wc_RsaPrivateDecrypt(ct, (word32)ct_len, out, (word32)cap, &wk->rsa);
    pthread_mutex_unlock(&wk->lock);
    if (ret < 0) {
        rlab_wipe(out, cap < ct_len ? cap : ct_len);
        return RLAB_ERR_DECRYPT;
    }
    *outlen = (size_t)ret;
    return RLAB_OK;
}

/* ---- raw ---------------------------------------------------------------- */

/* see backend.h */
int rlab_wolf_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen;
    *outlen = 0;
    struct wolf_key *wk = rlab_wolf_key(k);
    if (wk == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (!wolf_below_n(wk, in, in_len))
        return RLAB_ERR_RANGE;
    word32 olen = (word32)cap;
    pthread_mutex_lock(&wk->lock);
    int ret = wc_RsaFunction(in, (word32)in_len, out, &olen, RSA_PUBLIC_ENCRYPT, &wk->rsa,
                             &wk->rng);
    pthread_mutex_unlock(&wk->lock);
    if (ret != 0 || olen != in_len) {
        rlab_wipe(out, cap < in_len ? cap : in_len);
        return rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_RsaFunction (public)", ret);
    }
    *outlen = in_len;
    return RLAB_OK;
}

/* see backend.h */
int rlab_wolf_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                          uint8_t *out, size_t *outlen)
{
    *outlen = 0;
    struct wolf_key *wk = rlab_wolf_key(k);
    if (wk == NULL || in_len > WOLF_MAXK)
        return RLAB_ERR_INVALID_ARG;
    if (!wolf_below_n(wk, in, in_len))
        return RLAB_ERR_RANGE;
    uint8_t x[WOLF_MAXK], y[WOLF_MAXK];
    word32 xl = sizeof x, yl = sizeof y;
    pthread_mutex_lock(&wk->lock);
    int ret = wc_RsaFunction(in, (word32)in_len, x, &xl, RSA_PRIVATE_DECRYPT, &wk->rsa,
                             &wk->rng);
    int rc = RLAB_OK;
    if (ret != 0 || xl != in_len) {
        rc = rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_RsaFunction (private)", ret);
    } else {
        ret = wc_RsaFunction(x, xl, y, &yl, RSA_PUBLIC_ENCRYPT, &wk->rsa, &wk->rng);
        if (ret != 0 || yl != in_len || !rlab_ct_equal(y, in, in_len))
            rc = rlab_error_set(RLAB_ERR_FAULT, "x^d^e != x");
    }
    pthread_mutex_unlock(&wk->lock);
    if (rc == RLAB_OK) {
        memcpy(out, x, in_len);
        *outlen = in_len;
    }
    rlab_wipe(x, sizeof x);
    rlab_wipe(y, sizeof y);
    return rc;
}
