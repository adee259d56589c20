/*
 * Internals of the gmp backend shared between its files: the key, the RSA
 * primitives, key generation and the wiping allocator.
 *
 * GMP provides the multi-precision arithmetic and nothing else.  Secret
 * numbers (d, p, q, dp, dq, qinv, blinding factors, intermediate results)
 * live in fixed-size limb arrays whose sizes come from public sizes only (the
 * limb counts of n, p and q), and are handled with GMP's mpn_sec_* functions,
 * mpn_cnd_* and branch-free limb loops.  mpz is used for public values (n, e,
 * precomputed public constants) and at import for validating a key and
 * recovering its factors, which is work on the owner's own key at load time
 * (see gmp_key.c).
 *
 * What GMP 6.2's mpn_sec_* functions treat as public, and so do we: the limb
 * counts and bit lengths of n, p and q, the top limb of p and q (the division
 * normalisation in mpn_sec_div_r) and the low byte of p and q (the
 * binvert_limb table in mpn_sec_powm).
 *
 * Functions here carry the rlab_gmp_ prefix because they are extern; statics
 * use gmp_.
 */
#ifndef RLAB_GMP_INTERNAL_H
#define RLAB_GMP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "backends/backend.h"

extern const struct rlab_backend rlab_backend_gmp;

/* Modulus sizes this backend accepts on import (bits), and for keygen. */
#define RLAB_GMP_MIN_BITS 512u
#define RLAB_GMP_MAX_BITS 16384u
#define RLAB_GMP_KEYGEN_MIN_BITS 1024u

/* Blinding factors are squared after each use and drawn afresh after this
 * many private operations. */
#define RLAB_GMP_BLIND_REFRESH 32u

struct rlab_gmp_blind; /* gmp_rsa.c */
struct rlab_gmp_blind_mp; /* gmp_rsa_multi.c */
struct rlab_gmp_r52_key; /* gmp_r52.h */

/*
 * Our key.  Public part always; the private part when base.has_private.
 * Every limb array is owned by the key; the secret ones share one
 * allocation (`sec`, `sec_limbs` limbs) that is wiped when the key is freed.
 * The key is never modified after it is built, except for the blinding
 * state, which has its own lock.
 */
struct rlab_gmp_key {
    struct rlab_key base;
    size_t k;          /* modulus length in bytes */

    /* public: n (nn limbs), e (en limbs, ebits bits), and for the
     * constant-time Montgomery public operation: ninv = -n^-1 mod 2^64 and
     * rre = R^e mod n with R = 2^(64 nn) */
    mp_size_t nn, en;
    mp_bitcnt_t ebits;
    mp_limb_t *n, *e, *rre;
    mp_limb_t ninv;
    mp_limb_t *pub;    /* the allocation behind n, e, rre */

    /* private: d (nn limbs), p, dp, qinv (pn limbs), q, dq (qn limbs) */
    mp_size_t pn, qn;
    mp_bitcnt_t pbits, qbits;
    mp_limb_t *d, *p, *q, *dp, *dq, *qinv;
    mp_limb_t *sec;
    size_t sec_limbs;

    size_t priv_itch;  /* scratch limbs of one private operation */
    size_t pub_itch;   /* scratch limbs of one public operation */
    struct rlab_gmp_blind *blind;
    struct rlab_gmp_r52_key *r52; /* radix-2^52 engine constants, or NULL */

    /* Multi-prime keys (RFC 8017 3.2): nprimes = 2 + n_other; other prime
     * i (r_(i+3) in the RFC's numbering) is ri[i] with its exponent di[i]
     * and coefficient ti[i], each rn[i] limbs, in `sec` after dq.  The
     * private operation of such a key is gmp_rsa_multi.c's, blinded mod n
     * (blind_mp), never the radix-2^52 engine. */
    unsigned nprimes;
    size_t n_other;
    mp_size_t rn[RLAB_MAX_PRIMES - 2];
    mp_bitcnt_t rbits[RLAB_MAX_PRIMES - 2];
    mp_limb_t *ri[RLAB_MAX_PRIMES - 2], *di[RLAB_MAX_PRIMES - 2], *ti[RLAB_MAX_PRIMES - 2];
    struct rlab_gmp_blind_mp *blind_mp;
};

/* The key behind k, or NULL when k is NULL or not a gmp key. */
const struct rlab_gmp_key *rlab_gmp_key_of(const rlab_key *k);

/* ---- memory (gmp_mem.c) --------------------------------------------------- */

/* Make GMP allocate through functions that wipe every block they free or
 * move (realloc).  Idempotent and thread-safe; the backend's init() calls
 * it, and so does every path that builds a key. */
void rlab_gmp_mem_install(void);

/* Zeroed limbs, or NULL.  Free with rlab_gmp_limbs_free(), which wipes. */
mp_limb_t *rlab_gmp_limbs_alloc(size_t n);
void rlab_gmp_limbs_free(mp_limb_t *p, size_t n);

/* ---- fixed-size conversions (gmp_rsa.c) ------------------------------------ */

/* Big-endian bytes -> rn limbs, zero-extended; len <= rn * sizeof(mp_limb_t).
 * Time depends on len and rn only. */
void rlab_gmp_from_bytes(mp_limb_t *r, mp_size_t rn, const uint8_t *in, size_t len);
/* The low len bytes of {a, an}, big-endian, into out (bytes beyond the limbs
 * are zero).  Time depends on len and an only. */
void rlab_gmp_to_bytes(uint8_t *out, size_t len, const mp_limb_t *a, mp_size_t an);

/* ---- the key (gmp_key.c) --------------------------------------------------- */

/*
 * Validate components and build a key (from_components and import).
 * Public key: n odd, RLAB_GMP_MIN_BITS..RLAB_GMP_MAX_BITS bits, no prime
 * factor below 2^12; e odd with 3 <= e < n.  Private key, in addition:
 * 1 <= d < n; p, q > 1 and p != q; n = p*q; e*d = 1 mod lcm(p-1, q-1);
 * dp = d mod (p-1); dq = d mod (q-1); 0 < qinv < p and qinv*q = 1 mod p.
 * A private key given as n, e, d only has its factors recovered
 * (SP 800-56B rev. 2, appendix C.2) and its CRT values computed.
 * Returns RLAB_OK, RLAB_ERR_KEY_INVALID with a detail naming the first
 * check that failed, RLAB_ERR_INVALID_ARG (missing n or e, p and q without
 * the CRT values) or RLAB_ERR_NOMEM.
 */
int rlab_gmp_key_from_components(const struct rlab_components *c, rlab_key **out);

/*
 * Build a key from limbs without validation (keygen, whose output is
 * consistent by construction).  n: nn limbs, e: one limb; p, dp, qinv: pn
 * limbs, q, dq: qn limbs, d: nn limbs.  Takes copies.
 */
int rlab_gmp_key_from_limbs(const mp_limb_t *n, mp_size_t nn, mp_limb_t e,
                            const mp_limb_t *d, const mp_limb_t *p, mp_size_t pn,
                            const mp_limb_t *q, mp_size_t qn, const mp_limb_t *dp,
                            const mp_limb_t *dq, const mp_limb_t *qinv,
                            rlab_key **out);

/* The primes after p and q of a multi-prime key, for the builder below:
 * r, d (= d mod (r - 1)), t (= (r_1 ... r_(i-1))^-1 mod r), rn limbs each. */
struct rlab_gmp_other {
    const mp_limb_t *r, *d, *t;
    mp_size_t rn;
};

/* rlab_gmp_key_from_limbs with n_other (1 .. RLAB_MAX_PRIMES - 2) further
 * primes (multi-prime keygen; consistent by construction).  Takes copies. */
int rlab_gmp_key_from_limbs_multi(const mp_limb_t *n, mp_size_t nn, mp_limb_t e,
                                  const mp_limb_t *d, const mp_limb_t *p, mp_size_t pn,
                                  const mp_limb_t *q, mp_size_t qn, const mp_limb_t *dp,
                                  const mp_limb_t *dq, const mp_limb_t *qinv,
                                  const struct rlab_gmp_other *other, size_t n_other,
                                  rlab_key **out);

/* dp = d mod (p-1), dq = d mod (q-1), qinv = q^-1 mod p, in constant time
 * (mpn_sec_div_r, mpn_sec_invert).  d: nn limbs; dp, qinv: pn limbs; dq: qn
 * limbs.  RLAB_OK, RLAB_ERR_KEY_INVALID (q not invertible mod p) or
 * RLAB_ERR_NOMEM. */
int rlab_gmp_crt_values(const mp_limb_t *d, mp_size_t nn, const mp_limb_t *p,
                        mp_size_t pn, const mp_limb_t *q, mp_size_t qn,
                        mp_limb_t *dp, mp_limb_t *dq, mp_limb_t *qinv);

int rlab_gmp_key_to_components(const rlab_key *k, struct rlab_components *out);
void rlab_gmp_key_free(rlab_key *k);

/* ---- RSA primitives (gmp_rsa.c) -------------------------------------------- */

/* Called once by the key builders: Montgomery constants, scratch sizes and
 * the blinding state.  RLAB_OK or RLAB_ERR_NOMEM. */
int rlab_gmp_rsa_prepare(struct rlab_gmp_key *k);
void rlab_gmp_rsa_release(struct rlab_gmp_key *k);

/*
 * out = in^e mod n.  in and out are k bytes (out may equal in).  Constant
 * time in the value of `in` (plaintexts are secret when encrypting): a fixed
 * Montgomery square-and-multiply over the public exponent's bits with
 * mpn_sec_sqr / mpn_sec_mul and a branch-free reduction.
 * RLAB_ERR_RANGE when in >= n (a comparison of public data).
 */
int rlab_gmp_rsa_public(const struct rlab_gmp_key *k, const uint8_t *in, uint8_t *out);

/*
 * out = in^d mod n: blinded, CRT with mpn_sec_* at the limb counts of p and
 * q, and the result raised to e and compared with `in` before release.
 * in and out are k bytes (out may equal in).  Returns RLAB_OK,
 * RLAB_ERR_RANGE (in >= n; in is public: a ciphertext or an encoded digest),
 * RLAB_ERR_FAULT (the check failed: out is all zeros), RLAB_ERR_RNG,
 * RLAB_ERR_NOMEM, RLAB_ERR_KEY_NOT_PRIVATE.  No branch and no memory index
 * depends on the key's secrets or on the result, up to the return code,
 * which is computed without a branch.
 */
int rlab_gmp_rsa_private(const struct rlab_gmp_key *k, const uint8_t *in, uint8_t *out);

/* r = x^e mod n for x < n (nn limbs each, r != x); ws: k->pub_itch limbs.
 * Constant time in x (the public operation's core). */
void rlab_gmp_pub_limbs(const struct rlab_gmp_key *k, mp_limb_t *r, const mp_limb_t *x,
                        mp_limb_t *ws);

/* ---- the multi-prime private operation (gmp_rsa_multi.c) ------------------- */

/*
 * rlab_gmp_rsa_private for a key of three or more primes (k->nprimes > 2),
 * same contract: x blinded mod n (A = r^e, Ai = r^-1, kept per key, squared
 * after each use and drawn afresh every RLAB_GMP_BLIND_REFRESH operations),
 * x^d_i mod r_i by mpn_sec_powm for every prime, RFC 8017's multi-prime
 * Garner recombination with mpn_sec_mul / mpn_sec_div_r, unblinding, then
 * the check s^e = x whose answer masks the output and the return code.
 */
int rlab_gmp_rsa_private_multi(const struct rlab_gmp_key *k, const uint8_t *in,
                               uint8_t *out);
/* Per-key set-up of the above (scratch size into k->priv_itch, blinding
 * state) and its release.  RLAB_OK or RLAB_ERR_NOMEM. */
int rlab_gmp_rsa_prepare_multi(struct rlab_gmp_key *k);
void rlab_gmp_rsa_release_multi(struct rlab_gmp_key *k);

/* ---- key generation (gmp_keygen.c) ------------------------------------------ */

/*
 * FIPS 186-5 A.1.3 / B.3.3 key pair: bits even, RLAB_GMP_KEYGEN_MIN_BITS ..
 * RLAB_GMP_MAX_BITS; e odd, >= 65537.  Randomness from rng (NULL: the
 * backend's getrandom).  RLAB_OK, RLAB_ERR_INVALID_ARG, RLAB_ERR_RNG,
 * RLAB_ERR_NOMEM or RLAB_ERR_KEYGEN (no prime within the FIPS budget).
 */
int rlab_gmp_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                    rlab_key **out);

/* A key of `primes` primes (3 .. rlab_max_primes(bits)), otherwise as
 * rlab_gmp_keygen: primes of bits/primes bits (the first bits % primes one
 * bit longer), pairwise |r_i - r_j| > 2^(bits_i - 100), n of exactly `bits`
 * bits (the last prime is drawn again otherwise), d = e^-1 mod
 * lcm(r_i - 1) > 2^(nlen/2), all without mpz on a secret. */
int rlab_gmp_keygen_multi(unsigned bits, unsigned primes, unsigned long e,
                          const struct rlab_rng *rng, rlab_key **out);

/* Miller-Rabin rounds for a prime of `bits` bits (FIPS 186-5 table B.1,
 * M-R only, error probability matching the key's security strength). */
unsigned rlab_gmp_mr_rounds(unsigned bits);

/* The odd primes below 2^18, ascending (built once, thread-safe). */
const uint32_t *rlab_gmp_small_primes(size_t *count);

#endif
