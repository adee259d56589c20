/*
 * RSA operations of the nettle backend.  Contracts in backends/backend.h;
 * backends/ops.c has already checked sizes, keys and capabilities.
 *
 * Private operations go only through nettle's blinded, side-channel silent
 * functions: rsa_compute_root_tr (PSS and raw), rsa_pkcs1_sign_tr (v1.5
 * signatures) and rsa_decrypt_tr (v1.5 decryption).  They blind with a
 * random value from our getrandom(2) source, compute the root with GMP's
 * mpn_sec_* functions at fixed sizes, and check the result with the public
 * exponent before they release it (nettle 3.8 rsa-sec-compute-root.c,
 * rsa-sign-tr.c).  Caller randomness (struct rlab_rng) only feeds padding:
 * the PSS salt, which nettle takes as bytes, and the v1.5 encryption
 * padding, which nettle draws through its random function.
 *
 * nettle 3.8 has no OAEP at all (it arrived in nettle 3.10): those slots
 * stay NULL (nettle.c).  Its PSS takes one hash for the message and MGF1,
 * and needs the salt length to verify.
 */
#include <stdlib.h>
#include <string.h>

#include <nettle/bignum.h>
#include <nettle/pss.h>

#include "backends/nettle/ntl_internal.h"
#include "base/ct.h"

/* DigestInfo prefixes (RFC 8017 9.2 note 1, and the SHA-512/t OIDs). */
static const uint8_t ntl_di_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                      0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
#define NTL_DI_SHA2(len, id)                                                                 \
    {0x30, (uint8_t)(0x11 + (len)), 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,      \
     0x65, 0x03, 0x04, 0x02, (id), 0x05, 0x00, 0x04, (len)}
static const uint8_t ntl_di_sha2[6][19] = {
    NTL_DI_SHA2(28, 4), NTL_DI_SHA2(32, 1), NTL_DI_SHA2(48, 2),
    NTL_DI_SHA2(64, 3), NTL_DI_SHA2(28, 5), NTL_DI_SHA2(32, 6),
};

/* DigestInfo of digest for hash h into di (room for 19 + 64 bytes). */
static size_t ntl_digestinfo(rlab_hash h, const uint8_t *digest, uint8_t *di)
{
    const uint8_t *pre = h == RLAB_HASH_SHA1 ? ntl_di_sha1 : ntl_di_sha2[h - RLAB_HASH_SHA224];
    size_t plen = h == RLAB_HASH_SHA1 ? sizeof ntl_di_sha1 : sizeof ntl_di_sha2[0];
    size_t hl = rlab_hash_len(h);
    memcpy(di, pre, plen);
    memcpy(di + plen, digest, hl);
    return plen + hl;
}

/* Big-endian bytes to x; 1 when x < n (so the value is a residue). */
static int ntl_below_n(const struct ntl_key *nk, mpz_t x, const uint8_t *in, size_t len)
{
    nettle_mpz_set_str_256_u(x, len, in);
    return mpz_cmp(x, nk->pub.n) < 0;
}

/* x (< n) as exactly k big-endian bytes. */
static void ntl_out(const struct ntl_key *nk, const mpz_t x, uint8_t *out, size_t *outlen)
{
    nettle_mpz_get_str_256(nk->pub.size, out, x);
    *outlen = nk->pub.size;
}

/* ---- PSS ------------------------------------------------------------------------- */

/* see backend.h */
int rlab_ntl_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                      const struct rlab_rng *rng, const uint8_t *digest, size_t digest_len,
                      uint8_t *sig, size_t *sig_len)
{
    (void)digest_len;
    const struct ntl_key *nk = rlab_ntl_key(k);
    size_t salt_len = (size_t)p->salt_len;
    uint8_t *salt = malloc(salt_len > 0 ? salt_len : 1);
    if (salt == NULL)
        return RLAB_ERR_NOMEM;
    int rc = rlab_ntl_fill(rng, salt, salt_len);
    mpz_t m, s;
    mpz_inits(m, s, NULL);
    struct ntl_rng blind = {NULL, 0};
    if (rc == RLAB_OK &&
        !pss_encode_mgf1(m, mpz_sizeinbase(nk->pub.n, 2) - 1, rlab_ntl_hash(p->hash), salt_len,
                         salt, digest))
        rc = rlab_error_set(RLAB_ERR_MSG_TOO_LONG, "pss_encode_mgf1: salt too long");
    if (rc == RLAB_OK && !rsa_compute_root_tr(&nk->pub, &nk->priv, &blind, rlab_ntl_random, s, m))
        rc = rlab_error_set(RLAB_ERR_FAULT, "rsa_compute_root_tr: result failed its check");
    if (rc == RLAB_OK && blind.failed)
        rc = RLAB_ERR_RNG;
    if (rc == RLAB_OK)
        ntl_out(nk, s, sig, sig_len);
    mpz_clears(m, s, NULL);
    rlab_free_secret(salt, salt_len > 0 ? salt_len : 1);
    return rc;
}

/* see backend.h */
int rlab_ntl_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                        const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                        size_t sig_len)
{
    (void)digest_len;
    const struct ntl_key *nk = rlab_ntl_key(k);
    mpz_t s, m;
    mpz_inits(s, m, NULL);
    int ok = ntl_below_n(nk, s, sig, sig_len);
    if (ok) {
        /* The public operation, as nettle's rsa_pss_*_verify_digest do it. */
        mpz_powm(m, s, nk->pub.e, nk->pub.n);
        ok = pss_verify_mgf1(m, mpz_sizeinbase(nk->pub.n, 2) - 1, rlab_ntl_hash(p->hash),
                             (size_t)p->salt_len, digest);
    }
    mpz_clears(s, m, NULL);
    return ok ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* ---- PKCS#1 v1.5 signatures ------------------------------------------------------------ */

/* see backend.h */
int rlab_ntl_pkcs1_sign(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                        size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    (void)digest_len;
    const struct ntl_key *nk = rlab_ntl_key(k);
    uint8_t di[19 + RLAB_HASH_MAX_LEN];
    size_t di_len = ntl_digestinfo(hash, digest, di);
    struct ntl_rng blind = {NULL, 0};
    mpz_t s;
    mpz_init(s);
    int rc = RLAB_OK;
    if (!rsa_pkcs1_sign_tr(&nk->pub, &nk->priv, &blind, rlab_ntl_random, di_len, di, s))
        rc = rlab_error_set(RLAB_ERR_FAULT, "rsa_pkcs1_sign_tr failed");
    else if (blind.failed)
        rc = RLAB_ERR_RNG;
    else
        ntl_out(nk, s, sig, sig_len);
    mpz_clear(s);
    return rc;
}

/* see backend.h; nettle re-encodes the DigestInfo and compares, it does not
 * parse the recovered block */
int rlab_ntl_pkcs1_verify(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                          size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    (void)digest_len;
    const struct ntl_key *nk = rlab_ntl_key(k);
    uint8_t di[19 + RLAB_HASH_MAX_LEN];
    size_t di_len = ntl_digestinfo(hash, digest, di);
    mpz_t s;
    mpz_init(s);
    int ok = ntl_below_n(nk, s, sig, sig_len) && rsa_pkcs1_verify(&nk->pub, di_len, di, s);
    mpz_clear(s);
    return ok ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* ---- PKCS#1 v1.5 encryption ------------------------------------------------------------ */

/* see backend.h; nettle draws the padding in one call and turns zero bytes
 * into 0x01 (pkcs1-encrypt.c), so a replayed stream is used as it is */
int rlab_ntl_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen)
{
    static const uint8_t empty = 0;
    const struct ntl_key *nk = rlab_ntl_key(k);
    struct ntl_rng r = {rng, 0};
    mpz_t c;
    mpz_init(c);
    int rc = RLAB_OK;
    if (!rsa_encrypt(&nk->pub, &r, rlab_ntl_random, msg_len, msg != NULL ? msg : &empty, c))
        rc = rlab_error_set(RLAB_ERR_MSG_TOO_LONG, "rsa_encrypt: message too long");
    else if (r.failed)
        rc = RLAB_ERR_RNG;
    else
        ntl_out(nk, c, out, outlen);
    mpz_clear(c);
    return rc;
}

/*
 * see backend.h
 *
 * rsa_decrypt_tr is side-channel silent in its root and its unpadding
 * (nettle 3.4 NEWS): no branch or memory access depends on whether the
 * padding was valid or on the message length.  It returns the length, which
 * the interface must return too, so the caller's own use of the length is
 * the remaining signal (rsa_sec_decrypt, which takes the length a priori,
 * does not fit an interface that returns it).  Every failure, including a
 * ciphertext >= n, is RLAB_ERR_DECRYPT without detail.
 */
int rlab_ntl_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen)
{
    const struct ntl_key *nk = rlab_ntl_key(k);
    size_t room = *outlen < nk->pub.size ? *outlen : nk->pub.size;
    struct ntl_rng blind = {NULL, 0};
    mpz_t c;
    mpz_init(c);
    nettle_mpz_set_str_256_u(c, ct_len, ct);
    size_t len = room;
    int ok = rsa_decrypt_tr(&nk->pub, &nk->priv, &blind, rlab_ntl_random, &len, out, c);
    mpz_clear(c);
    if (!ok || blind.failed) {
        rlab_wipe(out, room);
        *outlen = 0;
        return RLAB_ERR_DECRYPT;
    }
    *outlen = len;
    return RLAB_OK;
}

/* ---- raw ------------------------------------------------------------------------------- */

/* see backend.h */
int rlab_ntl_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len, uint8_t *out,
                        size_t *outlen)
{
    const struct ntl_key *nk = rlab_ntl_key(k);
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    int rc = RLAB_ERR_RANGE;
    if (ntl_below_n(nk, x, in, in_len)) {
        mpz_powm(y, x, nk->pub.e, nk->pub.n);
        ntl_out(nk, y, out, outlen);
        rc = RLAB_OK;
    }
    mpz_clears(x, y, NULL);
    return rc;
}

/* see backend.h */
int rlab_ntl_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len, uint8_t *out,
                         size_t *outlen)
{
    const struct ntl_key *nk = rlab_ntl_key(k);
    struct ntl_rng blind = {NULL, 0};
    mpz_t x, y;
    mpz_inits(x, y, NULL);
    int rc = RLAB_OK;
    if (!ntl_below_n(nk, x, in, in_len))
        rc = RLAB_ERR_RANGE;
    else if (!rsa_compute_root_tr(&nk->pub, &nk->priv, &blind, rlab_ntl_random, y, x))
        rc = rlab_error_set(RLAB_ERR_FAULT, "rsa_compute_root_tr: result failed its check");
    else if (blind.failed)
        rc = RLAB_ERR_RNG;
    else
        ntl_out(nk, y, out, outlen);
    mpz_clears(x, y, NULL);
    return rc;
}
