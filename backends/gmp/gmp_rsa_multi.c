/*
 * The private operation of multi-prime keys (RFC 8017 3.2 and 5.1.2, u >= 3
 * primes), beside the two-prime path of gmp_rsa.c and built the same way:
 * blinding, one exponentiation per prime with mpn_sec_powm at that prime's
 * limb count, Garner's recombination with mpn_sec_mul / mpn_sec_div_r, the
 * result raised to e and compared with the input before release.
 *
 * For x = in (public):
 *   1. xb = x A mod n with this key's blinding factors A = r^e mod n and
 *      Ai = r^-1 mod n (squared after every use, drawn afresh every
 *      RLAB_GMP_BLIND_REFRESH operations).  Blinding mod n rather than per
 *      prime (nettle's rsa_sec_compute_root_tr does the same) keeps one pair
 *      of factors whatever the number of primes;
 *   2. m_i = (xb mod r_i)^d_i mod r_i for every prime;
 *   3. Garner, RFC 8017 5.1.2 step 2.b in the order q, p, r_3, ..., r_u:
 *      m = m_q; R = q; then for each next prime r with coefficient c
 *      (qinv for p, t_i for r_i): h = (m_r - m) c mod r, m = m + R h,
 *      R = R r.  Every m stays below R, so the sizes are the sums of the
 *      primes' limb counts, all public;
 *   4. s = m Ai mod n, then s^e must equal x: the answer is a mask that
 *      zeroes s and makes the return code without a branch.
 *
 * The radix-2^52 engine is not used here: its dual exponentiation pairs two
 * primes of one size and stays the two-prime path's.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_internal.h"
#include "backends/gmp/gmp_pad.h"

#define GMP_LIMB_BYTES ((size_t)sizeof(mp_limb_t))
#define GMP_MAX(a, b) ((a) > (b) ? (a) : (b))

struct rlab_gmp_blind_mp {
    pthread_mutex_t lock;
    unsigned uses;  /* operations since the factors were drawn */
    mp_limb_t ok;   /* 1 when r was invertible at the last draw */
    mp_limb_t *v;   /* A, Ai: nn limbs each */
};

/* One prime in Garner's order: the modulus, its exponent, its coefficient
 * (NULL for the first), limb count and bit length. */
struct gmp_mp_prime {
    const mp_limb_t *r, *d, *c;
    mp_size_t n;
    mp_bitcnt_t bits;
};

static size_t gmp_mp_primes(const struct rlab_gmp_key *k, struct gmp_mp_prime *pr)
{
    pr[0] = (struct gmp_mp_prime){k->q, k->dq, NULL, k->qn, k->qbits};
    pr[1] = (struct gmp_mp_prime){k->p, k->dp, k->qinv, k->pn, k->pbits};
    for (size_t i = 0; i < k->n_other; i++)
        pr[2 + i] = (struct gmp_mp_prime){k->ri[i], k->di[i], k->ti[i], k->rn[i],
                                          k->rbits[i]};
    return 2 + k->n_other;
}

/* Sum and largest of the primes' limb counts. */
static void gmp_mp_sizes(const struct gmp_mp_prime *pr, size_t u, mp_size_t *sum,
                         mp_size_t *max)
{
    *sum = 0;
    *max = 0;
    for (size_t i = 0; i < u; i++) {
        *sum += pr[i].n;
        *max = GMP_MAX(*max, pr[i].n);
    }
}

/* 1 when {a, n} == {b, n}, else 0, without a branch. */
static mp_limb_t gmp_mp_eq(const mp_limb_t *a, const mp_limb_t *b, mp_size_t n)
{
    mp_limb_t d = 0;
    for (mp_size_t i = 0; i < n; i++)
        d |= a[i] ^ b[i];
    return ((d | (0 - d)) >> (GMP_NUMB_BITS - 1)) ^ 1;
}

/* r = a b mod m, all mn limbs; t: 2 mn limbs. */
static void gmp_mp_mulmod(mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b,
                          const mp_limb_t *m, mp_size_t mn, mp_limb_t *t, mp_limb_t *tp)
{
    mpn_sec_mul(t, a, mn, b, mn, tp);
    mpn_sec_div_r(t, 2 * mn, m, mn, tp);
    mpn_copyi(r, t, mn);
}

/* r = {a, an} {b, bn}, whichever is longer first (mpn_sec_mul wants it). */
static void gmp_mp_mul(mp_limb_t *r, const mp_limb_t *a, mp_size_t an, const mp_limb_t *b,
                       mp_size_t bn, mp_limb_t *tp)
{
    if (an >= bn)
        mpn_sec_mul(r, a, an, b, bn, tp);
    else
        mpn_sec_mul(r, b, bn, a, an, tp);
}

/* ---- blinding ---------------------------------------------------------- */

/* Draw r in [1, n), A = r^e mod n, Ai = r^-1 mod n.  t: 2 nn + 1 limbs. */
static int gmp_mp_draw(const struct rlab_gmp_key *k, mp_limb_t *a, mp_limb_t *ai,
                       mp_limb_t *ok, mp_limb_t *t, mp_limb_t *tp)
{
    mp_size_t nn = k->nn;
    mp_limb_t *r = t, *r2 = t + nn + 1;
    /* nn + 1 random limbs reduced mod n: the bias is below 2^-64 */
    int rc = rlab_gmp_random(NULL, (uint8_t *)r, (nn + 1) * GMP_LIMB_BYTES);
    if (rc != RLAB_OK)
        return rc;
    mpn_sec_div_r(r, nn + 1, k->n, nn, tp);
    mp_limb_t nz = 0;
    for (mp_size_t i = 0; i < nn; i++)
        nz |= r[i];
    r[0] |= ((nz | (0 - nz)) >> (GMP_NUMB_BITS - 1)) ^ 1; /* 0 -> 1 */
    mpn_sec_powm(a, r, nn, k->e, k->ebits, k->n, nn, tp);
    mpn_copyi(r2, r, nn);
    *ok = (mp_limb_t)mpn_sec_invert(ai, r2, k->n, nn, 2 * (mp_bitcnt_t)nn * GMP_NUMB_BITS,
                                    tp);
    return RLAB_OK;
}

/* This operation's factors into out (2 nn limbs); the key's advance. */
static int gmp_mp_blind_take(const struct rlab_gmp_key *k, mp_limb_t *out, mp_limb_t *ok,
                             mp_limb_t *t, mp_limb_t *tp)
{
    struct rlab_gmp_blind_mp *b = k->blind_mp;
    mp_size_t nn = k->nn;
    mp_limb_t *a = b->v, *ai = a + nn;
    int rc = RLAB_OK;
    pthread_mutex_lock(&b->lock);
    if (b->uses >= RLAB_GMP_BLIND_REFRESH) {
        mp_limb_t good = 0;
        rc = gmp_mp_draw(k, a, ai, &good, t, tp);
        if (rc == RLAB_OK) {
            b->uses = 0;
            b->ok = good;
        }
    }
    if (rc == RLAB_OK) {
        mpn_copyi(out, b->v, 2 * nn);
        *ok &= b->ok;
        gmp_mp_mulmod(a, a, a, k->n, nn, t, tp);
        gmp_mp_mulmod(ai, ai, ai, k->n, nn, t, tp);
        b->uses++;
    }
    pthread_mutex_unlock(&b->lock);
    return rc;
}

/* ---- Garner ------------------------------------------------------------ */

/*
 * One step: with m < R (cur limbs each), the prime pr and m_r = x^d mod pr
 * (mr), m += R ((m_r - m) c mod pr) and, unless last, R *= pr.  m and R
 * have room for cur + pr->n limbs.  t: 3 maxL + S limbs.
 */
static void gmp_mp_step(const struct gmp_mp_prime *pr, const mp_limb_t *mr, mp_limb_t *m,
                        mp_limb_t *R, mp_size_t cur, int last, mp_limb_t *t, mp_limb_t *tp)
{
    mp_size_t ln = pr->n;
    mp_limb_t *w = t, *h = w + GMP_MAX(cur, ln), *prod = h + 2 * ln;
    /* w = m mod r */
    mpn_zero(w, GMP_MAX(cur, ln));
    mpn_copyi(w, m, cur);
    if (cur >= ln)
        mpn_sec_div_r(w, cur, pr->r, ln, tp);
    /* w = (m_r - w) mod r, then h = w c mod r */
    mp_limb_t bw = mpn_sub_n(w, mr, w, ln);
    mpn_cnd_add_n(bw, w, w, pr->r, ln);
    mpn_sec_mul(h, w, ln, pr->c, ln, tp);
    mpn_sec_div_r(h, 2 * ln, pr->r, ln, tp);
    /* m += R h: below R r, so cur + ln limbs */
    gmp_mp_mul(prod, R, cur, h, ln, tp);
    mp_limb_t cy = mpn_add_n(m, prod, m, cur);
    mpn_sec_add_1(m + cur, prod + cur, ln, cy, tp);
    if (!last) {
        gmp_mp_mul(prod, R, cur, pr->r, ln, tp);
        mpn_copyi(R, prod, cur + ln);
    }
}

/* see gmp_internal.h */
int rlab_gmp_rsa_private_multi(const struct rlab_gmp_key *k, const uint8_t *in,
                               uint8_t *out)
{
    struct gmp_mp_prime pr[RLAB_MAX_PRIMES];
    size_t u = gmp_mp_primes(k, pr);
    mp_size_t nn = k->nn, sum, maxl;
    gmp_mp_sizes(pr, u, &sum, &maxl);
    mp_limb_t *ws = rlab_gmp_limbs_alloc(k->priv_itch);
    if (ws == NULL)
        return RLAB_ERR_NOMEM;
    mp_limb_t *x = ws;          /* nn */
    mp_limb_t *bl = x + nn;     /* A, Ai: 2 nn */
    mp_limb_t *xb = bl + 2 * nn; /* nn */
    mp_limb_t *m = xb + nn;     /* sum */
    mp_limb_t *R = m + sum;     /* sum */
    mp_limb_t *mr = R + sum;    /* maxl */
    mp_limb_t *base = mr + maxl; /* nn */
    mp_limb_t *chk = base + nn; /* nn */
    mp_limb_t *t = chk + nn;    /* 2 nn + 2 + 3 maxl + sum (see prepare) */
    mp_limb_t *tp = t + 2 * nn + 2 + 3 * maxl + sum;

    int rc = RLAB_OK;
    rlab_gmp_from_bytes(x, nn, in, k->k);
    if (!mpn_sub_n(t, x, k->n, nn)) { /* x >= n: public */
        rc = RLAB_ERR_RANGE;
        goto done;
    }
    mp_limb_t ok = 1;
    rc = gmp_mp_blind_take(k, bl, &ok, t, tp);
    if (rc != RLAB_OK)
        goto done;
    gmp_mp_mulmod(xb, x, bl, k->n, nn, t, tp);

    /* m = m_q, R = q, then one Garner step per further prime */
    mp_size_t cur = 0;
    for (size_t i = 0; i < u; i++) {
        mp_size_t ln = pr[i].n;
        mpn_copyi(base, xb, nn);
        mpn_sec_div_r(base, nn, pr[i].r, ln, tp);
        mpn_sec_powm(mr, base, ln, pr[i].d, pr[i].bits, pr[i].r, ln, tp);
        if (i == 0) {
            mpn_copyi(m, mr, ln);
            mpn_copyi(R, pr[0].r, ln);
        } else {
            gmp_mp_step(&pr[i], mr, m, R, cur, i + 1 == u, t, tp);
        }
        cur += ln;
    }
    /* m < n: its limbs above nn are zero */
    gmp_mp_mulmod(m, m, bl + nn, k->n, nn, t, tp);

    /* the fault check, as in the two-prime path */
    rlab_gmp_pub_limbs(k, chk, m, tp);
    ok &= gmp_mp_eq(chk, x, nn);
    mp_limb_t mask = 0 - ok;
    for (mp_size_t i = 0; i < nn; i++)
        m[i] &= mask;
    rlab_gmp_to_bytes(out, k->k, m, nn);
    rc = (int)((mp_limb_t)RLAB_ERR_FAULT & ~mask);
done:
    rlab_gmp_limbs_free(ws, k->priv_itch);
    return rc;
}

/* ---- per-key set-up ---------------------------------------------------- */

/* Largest scratch any mpn_sec_* call above asks for. */
static size_t gmp_mp_scratch(const struct rlab_gmp_key *k, const struct gmp_mp_prime *pr,
                             size_t u)
{
    mp_size_t nn = k->nn;
    mp_size_t i = (mp_size_t)k->pub_itch;
    i = GMP_MAX(i, mpn_sec_div_r_itch(nn + 1, nn));
    i = GMP_MAX(i, mpn_sec_div_r_itch(2 * nn, nn));
    i = GMP_MAX(i, mpn_sec_mul_itch(nn, nn));
    i = GMP_MAX(i, mpn_sec_powm_itch(nn, k->ebits, nn));
    i = GMP_MAX(i, mpn_sec_invert_itch(nn));
    mp_size_t cur = 0;
    for (size_t j = 0; j < u; j++) {
        mp_size_t ln = pr[j].n, hi = GMP_MAX(cur, ln), lo = cur + ln - hi;
        i = GMP_MAX(i, mpn_sec_div_r_itch(nn, ln));
        i = GMP_MAX(i, mpn_sec_powm_itch(ln, pr[j].bits, ln));
        if (j > 0) {
            if (cur >= ln)
                i = GMP_MAX(i, mpn_sec_div_r_itch(cur, ln));
            i = GMP_MAX(i, mpn_sec_mul_itch(ln, ln));
            i = GMP_MAX(i, mpn_sec_div_r_itch(2 * ln, ln));
            i = GMP_MAX(i, mpn_sec_mul_itch(hi, lo));
            i = GMP_MAX(i, mpn_sec_add_1_itch(ln));
        }
        cur += ln;
    }
    return (size_t)i;
}

/* see gmp_internal.h */
int rlab_gmp_rsa_prepare_multi(struct rlab_gmp_key *k)
{
    struct gmp_mp_prime pr[RLAB_MAX_PRIMES];
    size_t u = gmp_mp_primes(k, pr);
    mp_size_t sum, maxl;
    gmp_mp_sizes(pr, u, &sum, &maxl);
    size_t nn = (size_t)k->nn;
    /* x, A and Ai, xb, m, R, m_r, base, chk, t, then the mpn_sec_* scratch */
    k->priv_itch = nn + 2 * nn + nn + 2 * (size_t)sum + (size_t)maxl + nn + nn +
                   (2 * nn + 2 + 3 * (size_t)maxl + (size_t)sum) + gmp_mp_scratch(k, pr, u);

    struct rlab_gmp_blind_mp *b = calloc(1, sizeof *b);
    if (b == NULL)
        return RLAB_ERR_NOMEM;
    b->v = rlab_gmp_limbs_alloc(2 * nn);
    if (b->v == NULL || pthread_mutex_init(&b->lock, NULL) != 0) {
        rlab_gmp_limbs_free(b->v, 2 * nn);
        free(b);
        return RLAB_ERR_NOMEM;
    }
    b->uses = RLAB_GMP_BLIND_REFRESH; /* draw on first use */
    k->blind_mp = b;
    return RLAB_OK;
}

/* see gmp_internal.h */
void rlab_gmp_rsa_release_multi(struct rlab_gmp_key *k)
{
    struct rlab_gmp_blind_mp *b = k->blind_mp;
    if (b == NULL)
        return;
    pthread_mutex_destroy(&b->lock);
    rlab_gmp_limbs_free(b->v, 2 * (size_t)k->nn);
    free(b);
    k->blind_mp = NULL;
}
