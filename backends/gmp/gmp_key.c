/*
 * Keys of the gmp backend: validation on import, factor recovery, building
 * the fixed-size limb arrays, and components out.
 *
 * Validation and factor recovery use mpz on secret values (mpz_mod,
 * mpz_gcd, mpz_powm, ...), whose timing depends on those values.  That is a
 * deliberate exception: it is import-time work, done once, on the owner's
 * own key, before the key exists as an object; the operations an attacker
 * can drive and time (private operations, decryption) never touch mpz.
 * The CRT values of a key given without them are computed in constant time
 * (rlab_gmp_crt_values), as key generation does.
 *
 * Decisions:
 *  - modulus: 512 to 16384 bits on import (vectors carry 1024-bit and
 *    odd-sized keys; nothing below 512 is RSA any more), odd, without a
 *    prime factor below 4096, and not prime;
 *  - e: odd, 3 <= e < n (vectors use e = 3 and large random e); key
 *    generation is stricter (e >= 65537);
 *  - d: 1 <= d < n and e d = 1 mod lambda(n).  A d computed mod phi(n)
 *    satisfies that too, so such keys are accepted;
 *  - a private key given as n, e, d only: its factors are recovered with the
 *    method of NIST SP 800-56B rev. 2 appendix C.2 (the square roots of 1
 *    that e d - 1 exposes), then the key is checked like any other.
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_internal.h"

/* Prime factors below this are looked for in n. */
#define GMP_SMALL_FACTOR_BOUND 4096u
/* Bases tried by factor recovery before giving up. */
#define GMP_RECOVER_TRIES 100

static int gmp_invalid(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_INVALID, "gmp: %s", what);
}

/* see gmp_internal.h */
const struct rlab_gmp_key *rlab_gmp_key_of(const rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_gmp)
        return NULL;
    return (const struct rlab_gmp_key *)k;
}

/* ---- checks (mpz: see the comment at the top) -------------------------- */

static int gmp_check_public(const mpz_t n, const mpz_t e)
{
    size_t bits = mpz_sizeinbase(n, 2);
    if (mpz_sgn(n) <= 0 || bits < RLAB_GMP_MIN_BITS || bits > RLAB_GMP_MAX_BITS)
        return rlab_error_set(RLAB_ERR_KEY_INVALID,
                              "gmp: n is %zu bits; the modulus must have %u to %u bits",
                              mpz_sgn(n) > 0 ? bits : 0, RLAB_GMP_MIN_BITS,
                              RLAB_GMP_MAX_BITS);
    if (mpz_even_p(n))
        return gmp_invalid("n is even");
    size_t np;
    const uint32_t *primes = rlab_gmp_small_primes(&np);
    for (size_t i = 0; i < np && primes[i] < GMP_SMALL_FACTOR_BOUND; i++)
        if (mpz_divisible_ui_p(n, primes[i]))
            return rlab_error_set(RLAB_ERR_KEY_INVALID, "gmp: n has the small factor %u",
                                  (unsigned)primes[i]);
    /* A prime n is no RSA modulus (SP 800-56B rev. 2, 6.4.2.1): anyone can
     * invert e mod n - 1.  For a real modulus the test stops at its first
     * round (a Miller-Rabin base 2: one exponentiation mod n). */
    if (mpz_probab_prime_p(n, 1) != 0)
        return gmp_invalid("n is prime");
    if (mpz_cmp_ui(e, 3) < 0)
        return gmp_invalid("e is below 3");
    if (mpz_even_p(e))
        return gmp_invalid("e is even");
    if (mpz_cmp(e, n) >= 0)
        return gmp_invalid("e is not below n");
    return RLAB_OK;
}

/* Checks in a fixed order; the first failure names itself. */
static int gmp_check_private(mpz_srcptr n, mpz_srcptr e, mpz_srcptr d, mpz_srcptr p,
                             mpz_srcptr q, mpz_srcptr dp, mpz_srcptr dq, mpz_srcptr qinv)
{
    int rc = RLAB_OK;
    mpz_t t, u, lam;
    mpz_inits(t, u, lam, NULL);
    if (mpz_sgn(d) <= 0 || mpz_cmp(d, n) >= 0) {
        rc = gmp_invalid("d is not in [1, n)");
        goto out;
    }
    if (mpz_cmp_ui(p, 1) <= 0 || mpz_cmp_ui(q, 1) <= 0) {
        rc = gmp_invalid("p and q must be greater than 1");
        goto out;
    }
    if (mpz_cmp(p, q) == 0) {
        rc = gmp_invalid("p equals q");
        goto out;
    }
    mpz_mul(t, p, q);
    if (mpz_cmp(t, n) != 0) {
        rc = gmp_invalid("n is not p*q");
        goto out;
    }
    /* lambda(n) = lcm(p-1, q-1) */
    mpz_sub_ui(t, p, 1);
    mpz_sub_ui(u, q, 1);
    mpz_lcm(lam, t, u);
    mpz_mul(t, e, d);
    mpz_sub_ui(t, t, 1);
    if (!mpz_divisible_p(t, lam)) {
        rc = gmp_invalid("e*d is not 1 mod lcm(p-1, q-1)");
        goto out;
    }
    mpz_sub_ui(u, p, 1);
    mpz_mod(t, d, u);
    if (mpz_cmp(t, dp) != 0) {
        rc = gmp_invalid("dp is not d mod (p-1)");
        goto out;
    }
    mpz_sub_ui(u, q, 1);
    mpz_mod(t, d, u);
    if (mpz_cmp(t, dq) != 0) {
        rc = gmp_invalid("dq is not d mod (q-1)");
        goto out;
    }
    if (mpz_sgn(qinv) <= 0 || mpz_cmp(qinv, p) >= 0) {
        rc = gmp_invalid("qinv is not in [1, p)");
        goto out;
    }
    mpz_mul(t, qinv, q);
    mpz_mod(t, t, p);
    if (mpz_cmp_ui(t, 1) != 0)
        rc = gmp_invalid("qinv*q is not 1 mod p");
out:
    mpz_clears(t, u, lam, NULL);
    return rc;
}

/*
 * The further checks of a multi-prime key (RFC 8017 3.2), r[0] = p,
 * r[1] = q, r[i] (i >= 2) the prime r_(i+1) with exponent x[i] and
 * coefficient t[i].  The two-prime checks of dp, dq and qinv are
 * gmp_check_private's, run by the caller on (p, q) after these; here:
 * every prime > 1 and all distinct, n = their product, e d = 1 mod
 * lcm(r_i - 1), d_i = d mod (r_i - 1), 0 < t_i < r_i and
 * t_i (r_1 ... r_(i-1)) = 1 mod r_i.
 */
static int gmp_check_multi(mpz_srcptr n, mpz_srcptr e, mpz_srcptr d, mpz_t *r, mpz_t *x,
                           mpz_t *t, size_t u)
{
    int rc = RLAB_OK;
    mpz_t a, b, lam;
    mpz_inits(a, b, lam, NULL);
    if (mpz_sgn(d) <= 0 || mpz_cmp(d, n) >= 0) {
        rc = gmp_invalid("d is not in [1, n)");
        goto out;
    }
    for (size_t i = 0; i < u && rc == RLAB_OK; i++)
        if (mpz_cmp_ui(r[i], 1) <= 0)
            rc = rlab_error_set(RLAB_ERR_KEY_INVALID, "gmp: prime r_%zu is not greater than 1",
                                i + 1);
    for (size_t i = 0; i < u && rc == RLAB_OK; i++)
        for (size_t j = 0; j < i && rc == RLAB_OK; j++)
            if (mpz_cmp(r[i], r[j]) == 0)
                rc = rlab_error_set(RLAB_ERR_KEY_INVALID, "gmp: prime r_%zu equals r_%zu",
                                    i + 1, j + 1);
    if (rc != RLAB_OK)
        goto out;
    mpz_set_ui(a, 1);
    for (size_t i = 0; i < u; i++)
        mpz_mul(a, a, r[i]);
    if (mpz_cmp(a, n) != 0) {
        rc = gmp_invalid("n is not the product of the primes");
        goto out;
    }
    mpz_set_ui(lam, 1);
    for (size_t i = 0; i < u; i++) {
        mpz_sub_ui(a, r[i], 1);
        mpz_lcm(lam, lam, a);
    }
    mpz_mul(a, e, d);
    mpz_sub_ui(a, a, 1);
    if (!mpz_divisible_p(a, lam)) {
        rc = gmp_invalid("e*d is not 1 mod lcm(r_i - 1)");
        goto out;
    }
    for (size_t i = 2; i < u && rc == RLAB_OK; i++) {
        mpz_sub_ui(b, r[i], 1);
        mpz_mod(a, d, b);
        if (mpz_cmp(a, x[i]) != 0)
            rc = rlab_error_set(RLAB_ERR_KEY_INVALID,
                                "gmp: exponent d_%zu is not d mod (r_%zu - 1)", i + 1, i + 1);
    }
    mpz_set_ui(b, 1);
    for (size_t i = 0; i < u && rc == RLAB_OK; i++) {
        if (i >= 2) {
            if (mpz_sgn(t[i]) <= 0 || mpz_cmp(t[i], r[i]) >= 0) {
                rc = rlab_error_set(RLAB_ERR_KEY_INVALID,
                                    "gmp: coefficient t_%zu is not in [1, r_%zu)", i + 1, i + 1);
                break;
            }
            mpz_mul(a, t[i], b);
            mpz_mod(a, a, r[i]);
            if (mpz_cmp_ui(a, 1) != 0)
                rc = rlab_error_set(RLAB_ERR_KEY_INVALID,
                                    "gmp: coefficient t_%zu is not (r_1 ... r_%zu)^-1 mod r_%zu",
                                    i + 1, i, i + 1);
        }
        mpz_mul(b, b, r[i]);
    }
out:
    mpz_clears(a, b, lam, NULL);
    return rc;
}

/*
 * Factor n from e and d (SP 800-56B rev. 2, C.2): e d - 1 = 2^t r with r
 * odd is a multiple of lambda(n), so for most g the sequence g^r, g^2r, ...
 * reaches 1 through a square root of 1 other than +-1, and that root y
 * gives p = gcd(y - 1, n).  Bases are the small primes in turn, so the
 * result does not depend on a random generator.  p > q on success.
 */
static int gmp_recover(mpz_srcptr n, mpz_srcptr e, mpz_srcptr d, mpz_ptr p, mpz_ptr q)
{
    int rc = gmp_invalid("cannot recover p and q from n, e and d");
    mpz_t kk, r, y, x, nm1, g;
    mpz_inits(kk, r, y, x, nm1, g, NULL);
    mpz_mul(kk, e, d);
    mpz_sub_ui(kk, kk, 1);
    mpz_sub_ui(nm1, n, 1);
    if (mpz_sgn(kk) <= 0 || mpz_odd_p(kk))
        goto out;
    mp_bitcnt_t t = mpz_scan1(kk, 0);
    mpz_tdiv_q_2exp(r, kk, t);
    size_t np;
    const uint32_t *primes = rlab_gmp_small_primes(&np);
    for (size_t i = 0; i < GMP_RECOVER_TRIES && i <= np; i++) {
        mpz_set_ui(g, i == 0 ? 2 : primes[i - 1]);
        mpz_powm(y, g, r, n);
        if (mpz_cmp_ui(y, 1) == 0 || mpz_cmp(y, nm1) == 0)
            continue;
        for (mp_bitcnt_t j = 0; j < t; j++) {
            mpz_mul(x, y, y);
            mpz_mod(x, x, n);
            if (mpz_cmp_ui(x, 1) == 0) {
                mpz_sub_ui(y, y, 1);
                mpz_gcd(p, y, n);
                mpz_divexact(q, n, p);
                if (mpz_cmp(p, q) < 0)
                    mpz_swap(p, q);
                rc = RLAB_OK;
                goto out;
            }
            if (mpz_cmp(x, nm1) == 0)
                break;
            mpz_swap(x, y);
        }
    }
out:
    mpz_clears(kk, r, y, x, nm1, g, NULL);
    return rc;
}

/* ---- building ---------------------------------------------------------- */

/* A key with its arrays allocated (zeroed); priv: pn, qn > 0, and the
 * limb counts of the n_other further primes in rn. */
static struct rlab_gmp_key *gmp_key_alloc_mp(mp_size_t nn, mp_size_t en, int priv,
                                             mp_size_t pn, mp_size_t qn, size_t n_other,
                                             const mp_size_t *rn)
{
    struct rlab_gmp_key *k = calloc(1, sizeof *k);
    if (k == NULL)
        return NULL;
    k->base.be = &rlab_backend_gmp;
    k->nn = nn;
    k->en = en;
    k->pub = rlab_gmp_limbs_alloc(2 * (size_t)nn + (size_t)en);
    if (k->pub == NULL) {
        free(k);
        return NULL;
    }
    k->n = k->pub;
    k->e = k->n + nn;
    k->rre = k->e + en;
    if (!priv)
        return k;
    k->base.has_private = 1;
    k->pn = pn;
    k->qn = qn;
    k->sec_limbs = (size_t)nn + 3 * (size_t)pn + 2 * (size_t)qn;
    for (size_t i = 0; i < n_other; i++)
        k->sec_limbs += 3 * (size_t)rn[i];
    k->sec = rlab_gmp_limbs_alloc(k->sec_limbs);
    if (k->sec == NULL) {
        rlab_gmp_limbs_free(k->pub, 2 * (size_t)nn + (size_t)en);
        free(k);
        return NULL;
    }
    k->d = k->sec;
    k->p = k->d + nn;
    k->dp = k->p + pn;
    k->qinv = k->dp + pn;
    k->q = k->qinv + pn;
    k->dq = k->q + qn;
    k->nprimes = 2 + (unsigned)n_other;
    k->n_other = n_other;
    mp_limb_t *z = k->dq + qn;
    for (size_t i = 0; i < n_other; i++) {
        k->rn[i] = rn[i];
        k->ri[i] = z;
        k->di[i] = z + rn[i];
        k->ti[i] = z + 2 * rn[i];
        z += 3 * rn[i];
    }
    return k;
}

static struct rlab_gmp_key *gmp_key_alloc(mp_size_t nn, mp_size_t en, int priv,
                                          mp_size_t pn, mp_size_t qn)
{
    return gmp_key_alloc_mp(nn, en, priv, pn, qn, 0, NULL);
}

/* Sizes from the filled arrays, then the per-key constants. */
static int gmp_key_finish(struct rlab_gmp_key *k, rlab_key **out)
{
    k->base.bits = (unsigned)mpn_sizeinbase(k->n, k->nn, 2);
    k->k = ((size_t)k->base.bits + 7) / 8;
    k->ebits = mpn_sizeinbase(k->e, k->en, 2);
    if (k->base.has_private) {
        k->pbits = mpn_sizeinbase(k->p, k->pn, 2);
        k->qbits = mpn_sizeinbase(k->q, k->qn, 2);
        for (size_t i = 0; i < k->n_other; i++)
            k->rbits[i] = mpn_sizeinbase(k->ri[i], k->rn[i], 2);
    }
    int rc = rlab_gmp_rsa_prepare(k);
    if (rc != RLAB_OK) {
        rlab_gmp_key_free(&k->base);
        return rc;
    }
    *out = &k->base;
    return RLAB_OK;
}

/* dst (dn limbs) = v, zero-extended; v fits (checked by validation). */
static void gmp_put(mp_limb_t *dst, mp_size_t dn, const mpz_t v)
{
    mp_size_t vn = (mp_size_t)mpz_size(v);
    mpn_zero(dst, dn);
    mpn_copyi(dst, mpz_limbs_read(v), vn < dn ? vn : dn);
}

static void gmp_import(mpz_t z, const struct rlab_buf *b)
{
    mpz_import(z, b->len, 1, 1, 0, 0, b->data);
}

/* A private key sized for n, e, p and q, with d, p and q in place; the CRT
 * values are the caller's to fill.  *k is NULL on RLAB_ERR_NOMEM. */
static int gmp_alloc_private(mpz_srcptr n, mpz_srcptr e, mpz_srcptr d, mpz_srcptr p,
                             mpz_srcptr q, struct rlab_gmp_key **k)
{
    *k = gmp_key_alloc((mp_size_t)mpz_size(n), (mp_size_t)mpz_size(e), 1,
                       (mp_size_t)mpz_size(p), (mp_size_t)mpz_size(q));
    if (*k == NULL)
        return RLAB_ERR_NOMEM;
    gmp_put((*k)->d, (*k)->nn, d);
    gmp_put((*k)->p, (*k)->pn, p);
    gmp_put((*k)->q, (*k)->qn, q);
    return RLAB_OK;
}

/* A key given with its CRT values: check everything, then fill the arrays. */
static int gmp_build_full(const struct rlab_components *c, mpz_srcptr n, mpz_srcptr e,
                          struct rlab_gmp_key **out)
{
    mpz_t d, p, q, dp, dq, qinv;
    mpz_inits(d, p, q, dp, dq, qinv, NULL);
    gmp_import(d, &c->d);
    gmp_import(p, &c->p);
    gmp_import(q, &c->q);
    gmp_import(dp, &c->dp);
    gmp_import(dq, &c->dq);
    gmp_import(qinv, &c->qinv);
    int rc = gmp_check_private(n, e, d, p, q, dp, dq, qinv);
    struct rlab_gmp_key *k = NULL;
    if (rc == RLAB_OK)
        rc = gmp_alloc_private(n, e, d, p, q, &k);
    if (rc == RLAB_OK) {
        gmp_put(k->dp, k->pn, dp);
        gmp_put(k->dq, k->qn, dq);
        gmp_put(k->qinv, k->pn, qinv);
    }
    mpz_clears(d, p, q, dp, dq, qinv, NULL);
    *out = k;
    return rc;
}

/* A multi-prime key given with all its CRT values: the multi-prime checks,
 * then the two-prime checks of dp, dq and qinv (whose own n = p*q and
 * lambda conditions are replaced by the multi-prime ones), then the arrays. */
static int gmp_build_multi(const struct rlab_components *c, mpz_srcptr n, mpz_srcptr e,
                           struct rlab_gmp_key **out)
{
    size_t u = 2 + c->n_other;
    mpz_t d, dp, dq, qinv, pq, r[RLAB_MAX_PRIMES], x[RLAB_MAX_PRIMES], t[RLAB_MAX_PRIMES];
    mpz_inits(d, dp, dq, qinv, pq, NULL);
    for (size_t i = 0; i < u; i++)
        mpz_inits(r[i], x[i], t[i], NULL);
    gmp_import(d, &c->d);
    gmp_import(r[0], &c->p);
    gmp_import(r[1], &c->q);
    gmp_import(dp, &c->dp);
    gmp_import(dq, &c->dq);
    gmp_import(qinv, &c->qinv);
    for (size_t i = 2; i < u; i++) {
        gmp_import(r[i], &c->other[i - 2].r);
        gmp_import(x[i], &c->other[i - 2].d);
        gmp_import(t[i], &c->other[i - 2].t);
    }
    int rc = gmp_check_multi(n, e, d, r, x, t, u);
    if (rc == RLAB_OK) {
        /* dp, dq, qinv through the two-prime checks, on n' = p q and a
         * d' = d mod lcm(p-1, q-1) that satisfies their e d' condition
         * whenever e d = 1 mod lcm(r_i - 1) held above */
        mpz_t lam, a, dd;
        mpz_inits(lam, a, dd, NULL);
        mpz_mul(pq, r[0], r[1]);
        mpz_sub_ui(lam, r[0], 1);
        mpz_sub_ui(a, r[1], 1);
        mpz_lcm(lam, lam, a);
        mpz_mod(dd, d, lam);
        if (mpz_sgn(dd) == 0)
            rc = gmp_invalid("d is 0 mod lcm(p-1, q-1)");
        else
            rc = gmp_check_private(pq, e, dd, r[0], r[1], dp, dq, qinv);
        mpz_clears(lam, a, dd, NULL);
    }
    struct rlab_gmp_key *k = NULL;
    if (rc == RLAB_OK) {
        mp_size_t rn[RLAB_MAX_PRIMES - 2];
        for (size_t i = 2; i < u; i++)
            rn[i - 2] = (mp_size_t)mpz_size(r[i]);
        k = gmp_key_alloc_mp((mp_size_t)mpz_size(n), (mp_size_t)mpz_size(e), 1,
                             (mp_size_t)mpz_size(r[0]), (mp_size_t)mpz_size(r[1]), u - 2, rn);
        rc = k != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
    }
    if (rc == RLAB_OK) {
        gmp_put(k->d, k->nn, d);
        gmp_put(k->p, k->pn, r[0]);
        gmp_put(k->q, k->qn, r[1]);
        gmp_put(k->dp, k->pn, dp);
        gmp_put(k->dq, k->qn, dq);
        gmp_put(k->qinv, k->pn, qinv);
        for (size_t i = 2; i < u; i++) {
            gmp_put(k->ri[i - 2], k->rn[i - 2], r[i]);
            gmp_put(k->di[i - 2], k->rn[i - 2], x[i]);
            gmp_put(k->ti[i - 2], k->rn[i - 2], t[i]);
        }
    }
    mpz_clears(d, dp, dq, qinv, pq, NULL);
    for (size_t i = 0; i < u; i++)
        mpz_clears(r[i], x[i], t[i], NULL);
    *out = k;
    return rc;
}

/* A key given as n, e, d: recover p and q, compute the CRT values, check. */
static int gmp_build_recovered(const struct rlab_components *c, mpz_srcptr n, mpz_srcptr e,
                               struct rlab_gmp_key **out)
{
    mpz_t d, p, q, v1, v2, v3;
    mpz_inits(d, p, q, NULL);
    gmp_import(d, &c->d);
    int rc = RLAB_OK;
    if (mpz_sgn(d) <= 0 || mpz_cmp(d, n) >= 0)
        rc = gmp_invalid("d is not in [1, n)");
    if (rc == RLAB_OK)
        rc = gmp_recover(n, e, d, p, q); /* 1 < q < p < n on success */
    struct rlab_gmp_key *k = NULL;
    if (rc == RLAB_OK)
        rc = gmp_alloc_private(n, e, d, p, q, &k);
    if (rc == RLAB_OK)
        rc = rlab_gmp_crt_values(k->d, k->nn, k->p, k->pn, k->q, k->qn, k->dp, k->dq,
                                 k->qinv);
    if (rc == RLAB_OK)
        rc = gmp_check_private(n, e, d, p, q, mpz_roinit_n(v1, k->dp, k->pn),
                               mpz_roinit_n(v2, k->dq, k->qn),
                               mpz_roinit_n(v3, k->qinv, k->pn));
    mpz_clears(d, p, q, NULL);
    *out = k;
    return rc;
}

/* see gmp_internal.h */
int rlab_gmp_key_from_components(const struct rlab_components *c, rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    if (c == NULL || c->n.len == 0 || c->e.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "gmp: n and e are required");
    int has_d = c->d.len > 0;
    int ncrt = (c->p.len > 0) + (c->q.len > 0) + (c->dp.len > 0) + (c->dq.len > 0) +
               (c->qinv.len > 0);
    if ((ncrt != 0 && ncrt != 5) || (ncrt == 5 && !has_d))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "gmp: a private key needs d, and p, q, dp, dq, qinv all or none");
    if (c->n_other > RLAB_MAX_PRIMES - 2 || (c->n_other > 0 && ncrt != 5))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "gmp: other primes need d, p, q, dp, dq and qinv (at most %u "
                              "primes)", RLAB_MAX_PRIMES);
    for (size_t i = 0; i < c->n_other; i++)
        if (c->other[i].r.len == 0 || c->other[i].d.len == 0 || c->other[i].t.len == 0)
            return rlab_error_set(RLAB_ERR_INVALID_ARG,
                                  "gmp: prime r_%zu needs its exponent and coefficient", i + 3);
    rlab_gmp_mem_install();

    mpz_t n, e;
    mpz_inits(n, e, NULL);
    gmp_import(n, &c->n);
    gmp_import(e, &c->e);
    struct rlab_gmp_key *k = NULL;
    int rc = gmp_check_public(n, e);
    if (rc == RLAB_OK && c->n_other > 0) {
        rc = gmp_build_multi(c, n, e, &k);
    } else if (rc == RLAB_OK && ncrt == 5) {
        rc = gmp_build_full(c, n, e, &k);
    } else if (rc == RLAB_OK && has_d) {
        rc = gmp_build_recovered(c, n, e, &k);
    } else if (rc == RLAB_OK) {
        k = gmp_key_alloc((mp_size_t)mpz_size(n), (mp_size_t)mpz_size(e), 0, 0, 0);
        rc = k != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
    }
    if (rc == RLAB_OK) {
        gmp_put(k->n, k->nn, n);
        gmp_put(k->e, k->en, e);
    }
    mpz_clears(n, e, NULL);
    if (rc != RLAB_OK) {
        if (k != NULL)
            rlab_gmp_key_free(&k->base);
        return rc;
    }
    return gmp_key_finish(k, out);
}

/* see gmp_internal.h */
int rlab_gmp_key_from_limbs(const mp_limb_t *n, mp_size_t nn, mp_limb_t e,
                            const mp_limb_t *d, const mp_limb_t *p, mp_size_t pn,
                            const mp_limb_t *q, mp_size_t qn, const mp_limb_t *dp,
                            const mp_limb_t *dq, const mp_limb_t *qinv, rlab_key **out)
{
    rlab_gmp_mem_install();
    struct rlab_gmp_key *k = gmp_key_alloc(nn, 1, 1, pn, qn);
    if (k == NULL)
        return RLAB_ERR_NOMEM;
    mpn_copyi(k->n, n, nn);
    k->e[0] = e;
    mpn_copyi(k->d, d, nn);
    mpn_copyi(k->p, p, pn);
    mpn_copyi(k->q, q, qn);
    mpn_copyi(k->dp, dp, pn);
    mpn_copyi(k->dq, dq, qn);
    mpn_copyi(k->qinv, qinv, pn);
    return gmp_key_finish(k, out);
}

/* see gmp_internal.h */
int rlab_gmp_key_from_limbs_multi(const mp_limb_t *n, mp_size_t nn, mp_limb_t e,
                                  const mp_limb_t *d, const mp_limb_t *p, mp_size_t pn,
                                  const mp_limb_t *q, mp_size_t qn, const mp_limb_t *dp,
                                  const mp_limb_t *dq, const mp_limb_t *qinv,
                                  const struct rlab_gmp_other *other, size_t n_other,
                                  rlab_key **out)
{
    if (n_other > RLAB_MAX_PRIMES - 2)
        return RLAB_ERR_INVALID_ARG;
    rlab_gmp_mem_install();
    mp_size_t rn[RLAB_MAX_PRIMES - 2];
    for (size_t i = 0; i < n_other; i++)
        rn[i] = other[i].rn;
    struct rlab_gmp_key *k = gmp_key_alloc_mp(nn, 1, 1, pn, qn, n_other, rn);
    if (k == NULL)
        return RLAB_ERR_NOMEM;
    mpn_copyi(k->n, n, nn);
    k->e[0] = e;
    mpn_copyi(k->d, d, nn);
    mpn_copyi(k->p, p, pn);
    mpn_copyi(k->q, q, qn);
    mpn_copyi(k->dp, dp, pn);
    mpn_copyi(k->dq, dq, qn);
    mpn_copyi(k->qinv, qinv, pn);
    for (size_t i = 0; i < n_other; i++) {
        mpn_copyi(k->ri[i], other[i].r, rn[i]);
        mpn_copyi(k->di[i], other[i].d, rn[i]);
        mpn_copyi(k->ti[i], other[i].t, rn[i]);
    }
    return gmp_key_finish(k, out);
}

/* see gmp_internal.h */
int rlab_gmp_crt_values(const mp_limb_t *d, mp_size_t nn, const mp_limb_t *p,
                        mp_size_t pn, const mp_limb_t *q, mp_size_t qn, mp_limb_t *dp,
                        mp_limb_t *dq, mp_limb_t *qinv)
{
    mp_size_t mx = pn > qn ? pn : qn;
    mp_size_t itch = mpn_sec_div_r_itch(nn, pn);
    mp_size_t i2 = mpn_sec_div_r_itch(nn, qn);
    itch = itch > i2 ? itch : i2;
    i2 = mpn_sec_div_r_itch(mx, pn);
    itch = itch > i2 ? itch : i2;
    i2 = mpn_sec_invert_itch(pn);
    itch = itch > i2 ? itch : i2;
    size_t wn = (size_t)pn + (size_t)qn + (size_t)nn + (size_t)itch;
    mp_limb_t *ws = rlab_gmp_limbs_alloc(wn);
    if (ws == NULL)
        return RLAB_ERR_NOMEM;
    mp_limb_t *pm1 = ws, *qm1 = pm1 + pn, *t = qm1 + qn, *tp = t + nn;

    /* p and q are odd (n is), so subtracting 1 touches the low limb only */
    mpn_copyi(pm1, p, pn);
    pm1[0] -= 1;
    mpn_copyi(qm1, q, qn);
    qm1[0] -= 1;
    mpn_copyi(t, d, nn);
    mpn_sec_div_r(t, nn, pm1, pn, tp);
    mpn_copyi(dp, t, pn);
    mpn_copyi(t, d, nn);
    mpn_sec_div_r(t, nn, qm1, qn, tp);
    mpn_copyi(dq, t, qn);

    mpn_zero(t, mx);
    mpn_copyi(t, q, qn);
    if (qn >= pn)
        mpn_sec_div_r(t, qn, p, pn, tp);
    int ok = mpn_sec_invert(qinv, t, p, pn, 2 * (mp_bitcnt_t)pn * GMP_NUMB_BITS, tp);
    rlab_gmp_limbs_free(ws, wn);
    return ok ? RLAB_OK : gmp_invalid("q has no inverse mod p");
}

/* ---- components out ---------------------------------------------------- */

/* b = {a, an} as big-endian bytes without leading zeros (at least one). */
static int gmp_comp(struct rlab_buf *b, const mp_limb_t *a, mp_size_t an)
{
    size_t len = (size_t)an * sizeof(mp_limb_t);
    uint8_t *tmp = malloc(len);
    if (tmp == NULL)
        return RLAB_ERR_NOMEM;
    rlab_gmp_to_bytes(tmp, len, a, an);
    size_t z = 0;
    while (z + 1 < len && tmp[z] == 0)
        z++;
    int rc = rlab_buf_set(b, tmp + z, len - z);
    rlab_free_secret(tmp, len);
    return rc;
}

/* see gmp_internal.h */
int rlab_gmp_key_to_components(const rlab_key *key, struct rlab_components *out)
{
    const struct rlab_gmp_key *k = rlab_gmp_key_of(key);
    if (k == NULL || out == NULL)
        return RLAB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    int rc = gmp_comp(&out->n, k->n, k->nn);
    if (rc == RLAB_OK)
        rc = gmp_comp(&out->e, k->e, k->en);
    if (rc == RLAB_OK && k->base.has_private) {
        rc = gmp_comp(&out->d, k->d, k->nn);
        if (rc == RLAB_OK)
            rc = gmp_comp(&out->p, k->p, k->pn);
        if (rc == RLAB_OK)
            rc = gmp_comp(&out->q, k->q, k->qn);
        if (rc == RLAB_OK)
            rc = gmp_comp(&out->dp, k->dp, k->pn);
        if (rc == RLAB_OK)
            rc = gmp_comp(&out->dq, k->dq, k->qn);
        if (rc == RLAB_OK)
            rc = gmp_comp(&out->qinv, k->qinv, k->pn);
        for (size_t i = 0; i < k->n_other && rc == RLAB_OK; i++) {
            rc = gmp_comp(&out->other[i].r, k->ri[i], k->rn[i]);
            if (rc == RLAB_OK)
                rc = gmp_comp(&out->other[i].d, k->di[i], k->rn[i]);
            if (rc == RLAB_OK)
                rc = gmp_comp(&out->other[i].t, k->ti[i], k->rn[i]);
            out->n_other = i + 1;
        }
    }
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}

/* see gmp_internal.h */
void rlab_gmp_key_free(rlab_key *key)
{
    if (key == NULL)
        return;
    struct rlab_gmp_key *k = (struct rlab_gmp_key *)key;
    rlab_gmp_rsa_release(k);
    rlab_gmp_limbs_free(k->sec, k->sec_limbs);
    rlab_gmp_limbs_free(k->pub, 2 * (size_t)k->nn + (size_t)k->en);
    rlab_wipe(k, sizeof *k);
    free(k);
}
