/*
 * Key generation after FIPS 186-5 appendix A.1.3 (random probable primes)
 * with the Miller-Rabin test of B.3.1 and the round counts of table B.1.
 *
 * A prime of `bits` = nlen/2 bits:
 *  - a random start from the caller's rng (or getrandom), its top two bits
 *    set (so p >= 1.5 * 2^(bits-1) > sqrt(2) * 2^(bits-1), and p*q has
 *    exactly nlen bits) and its low bit set;
 *  - an incremental sieve over the next GMP_WINDOW odd numbers: the start's
 *    residues modulo the odd primes below 2^18 are computed once, and every
 *    multiple of one of them is struck out, so that only about one odd
 *    number in eleven reaches Miller-Rabin.  Searching upwards from a random
 *    start is the usual trade of speed for a slight bias towards primes that
 *    follow long gaps (FIPS draws a fresh number each time); the candidates
 *    examined, struck out or not, count against FIPS's limit of 5 * nlen/2;
 *  - gcd(p - 1, e) = 1, decided by mpn_sec_invert modulo the public e;
 *  - for q, |p - q| > 2^(nlen/2 - 100);
 *  - Miller-Rabin with random bases from the rng, each exponentiation by
 *    mpn_sec_powm (constant time in the candidate).  mpz_powm would be about
 *    15% faster, but the candidate that passes is the secret prime; with
 *    mpn_sec_powm a 2048-bit key still takes a fraction of OpenSSL 3's time.
 *    What does depend on the prime: the sieve (which offsets are struck
 *    out) and the 2-adic valuation of p - 1 (the squarings after the
 *    exponentiation), as in every sieve-and-Miller-Rabin generator.
 *
 * Then, with no mpz and no variable-time inverse on a secret:
 *  - g = gcd(p-1, q-1) by a branch-free binary gcd with a fixed number of
 *    steps, lambda = (p-1) ((q-1) / g) (mpn_sec_div_qr; g's limb count, one
 *    except with negligible probability, is the only thing its timing shows);
 *  - d = e^-1 mod lambda from the inverse of lambda modulo the public e:
 *    with u = e - (lambda^-1 mod e), d = (1 + u lambda) / e, exact, d < lambda;
 *  - d > 2^(nlen/2) or start again; dp, dq, qinv by rlab_gmp_crt_values.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_internal.h"
#include "backends/gmp/gmp_pad.h"

#define GMP_SIEVE_LIMIT (1u << 18)
#define GMP_NPRIMES_MAX 23000 /* pi(2^18) = 23000, less the prime 2 */
#define GMP_WINDOW 2048       /* odd candidates per sieve window */
#define GMP_MAX(a, b) ((a) > (b) ? (a) : (b))

/* ---- the small primes -------------------------------------------------- */

static uint32_t gmp_primes[GMP_NPRIMES_MAX];
static size_t gmp_nprimes;
/* Products of consecutive primes that fit in a limb, for one mpn_mod_1
 * per group when computing residues. */
static struct {
    mp_limb_t prod;
    uint32_t first, count;
} gmp_groups[GMP_NPRIMES_MAX];
static size_t gmp_ngroups;
static pthread_once_t gmp_primes_once = PTHREAD_ONCE_INIT;

static void gmp_primes_build(void)
{
    static uint8_t composite[GMP_SIEVE_LIMIT / 2]; /* index i: the odd 2i+1 */
    for (uint32_t i = 1; i < GMP_SIEVE_LIMIT / 2; i++) {
        if (composite[i])
            continue;
        uint32_t p = 2 * i + 1;
        if (gmp_nprimes < GMP_NPRIMES_MAX)
            gmp_primes[gmp_nprimes++] = p;
        for (uint64_t j = (uint64_t)p * p / 2; j < GMP_SIEVE_LIMIT / 2; j += p)
            composite[j] = 1;
    }
    for (size_t i = 0; i < gmp_nprimes;) {
        mp_limb_t prod = 1;
        size_t j = i;
        while (j < gmp_nprimes && prod <= GMP_NUMB_MAX / gmp_primes[j])
            prod *= gmp_primes[j++];
        gmp_groups[gmp_ngroups].prod = prod;
        gmp_groups[gmp_ngroups].first = (uint32_t)i;
        gmp_groups[gmp_ngroups].count = (uint32_t)(j - i);
        gmp_ngroups++;
        i = j;
    }
}

/* see gmp_internal.h */
const uint32_t *rlab_gmp_small_primes(size_t *count)
{
    pthread_once(&gmp_primes_once, gmp_primes_build);
    *count = gmp_nprimes;
    return gmp_primes;
}

/* see gmp_internal.h */
unsigned rlab_gmp_mr_rounds(unsigned bits)
{
    if (bits >= 1536)
        return 4; /* 1536 bits: 2^-128; 2048 bits: 2^-144 */
    if (bits >= 1024)
        return 5; /* 2^-112 */
    return 7;     /* below the table (keys under 2048 bits): our margin */
}

/* ---- one prime ----------------------------------------------------------- */

struct gmp_gen {
    const struct rlab_rng *rng;
    unsigned bits;      /* of the prime */
    mp_size_t pn;       /* its limbs */
    mp_limb_t e;
    mp_limb_t *tp;      /* mpn_sec_* scratch */
    mp_limb_t *t;       /* 7 pn + 2 limbs: Miller-Rabin (6 pn), window start */
    uint32_t *res;      /* residues of the window start */
    uint8_t *sieve;     /* GMP_WINDOW flags */
    unsigned long tried;
};

/* pn limbs of random bits, masked to g->bits. */
static int gmp_random_bits(struct gmp_gen *g, mp_limb_t *x)
{
    size_t len = ((size_t)g->bits + 7) / 8;
    uint8_t buf[RLAB_GMP_MAX_BITS / 8];
    int rc = rlab_gmp_random(g->rng, buf, len);
    if (rc == RLAB_OK)
        rlab_gmp_from_bytes(x, g->pn, buf, len);
    rlab_wipe(buf, len);
    unsigned top = g->bits % GMP_NUMB_BITS;
    if (top != 0)
        x[g->pn - 1] &= ((mp_limb_t)1 << top) - 1;
    return rc;
}

static mp_limb_t gmp_bit(const mp_limb_t *x, mp_bitcnt_t i)
{
    return (x[i / GMP_NUMB_BITS] >> (i % GMP_NUMB_BITS)) & 1;
}

/* Bit length of {x, n} (0 for zero); the outcome is public where used. */
static mp_bitcnt_t gmp_bitlen(const mp_limb_t *x, mp_size_t n)
{
    while (n > 0 && x[n - 1] == 0)
        n--;
    return n == 0 ? 0 : mpn_sizeinbase(x, n, 2);
}

static int gmp_is_one(const mp_limb_t *x, mp_size_t n)
{
    return x[0] == 1 && (n == 1 || mpn_zero_p(x + 1, n - 1));
}

/* Miller-Rabin (FIPS 186-5 B.3.1) on odd w of g->bits bits: *prime = 1 when
 * it passes `rounds` rounds with random bases 1 < b < w - 1.  Temporaries in
 * g->t (6 pn limbs). */
static int gmp_miller_rabin(struct gmp_gen *g, const mp_limb_t *w, unsigned rounds, int *prime)
{
    mp_size_t n = g->pn;
    mp_limb_t *wm1 = g->t, *m = wm1 + n, *b = m + n, *z = b + n, *sq = z + n;
    mpn_copyi(wm1, w, n);
    wm1[0] -= 1; /* w odd: no borrow */
    /* w - 1 = 2^a m, m odd */
    mp_bitcnt_t a = mpn_scan1(wm1, 0);
    mp_size_t ls = (mp_size_t)(a / GMP_NUMB_BITS);
    unsigned bs = (unsigned)(a % GMP_NUMB_BITS);
    mpn_zero(m, n);
    if (bs != 0)
        mpn_rshift(m, wm1 + ls, n - ls, bs);
    else
        mpn_copyi(m, wm1 + ls, n - ls);
    *prime = 0;
    for (unsigned r = 0; r < rounds; r++) {
        do {
            int rc = gmp_random_bits(g, b);
            if (rc != RLAB_OK)
                return rc;
        } while (mpn_cmp(b, wm1, n) >= 0 || (b[0] <= 1 && mpn_zero_p(b + 1, n - 1)));
        mpn_sec_powm(z, b, n, m, g->bits, w, n, g->tp);
        int pass = gmp_is_one(z, n) || mpn_cmp(z, wm1, n) == 0;
        for (mp_bitcnt_t j = 1; j < a && !pass; j++) {
            mpn_sec_sqr(sq, z, n, g->tp);
            mpn_sec_div_r(sq, 2 * n, w, n, g->tp);
            mpn_copyi(z, sq, n);
            if (mpn_cmp(z, wm1, n) == 0)
                pass = 1;
            else if (gmp_is_one(z, n))
                break;
        }
        if (!pass)
            return RLAB_OK;
    }
    *prime = 1;
    return RLAB_OK;
}

/* 1 when gcd(w - 1, e) = 1: (w - 1) mod e has an inverse modulo e. */
static int gmp_coprime_e(struct gmp_gen *g, const mp_limb_t *w)
{
    mp_size_t n = g->pn;
    mp_limb_t *x = g->t, r, inv;
    mpn_copyi(x, w, n);
    x[0] -= 1;
    mpn_sec_div_r(x, n, &g->e, 1, g->tp);
    r = x[0];
    return mpn_sec_invert(&inv, &r, &g->e, 1, 2 * GMP_NUMB_BITS, g->tp);
}

/* Residues of the window start x modulo every small prime. */
static void gmp_residues(struct gmp_gen *g, const mp_limb_t *x)
{
    for (size_t i = 0; i < gmp_ngroups; i++) {
        mp_limb_t r = mpn_mod_1(x, g->pn, gmp_groups[i].prod);
        for (uint32_t j = 0; j < gmp_groups[i].count; j++) {
            uint32_t k = gmp_groups[i].first + j;
            g->res[k] = (uint32_t)(r % gmp_primes[k]);
        }
    }
}

/* Strike out the offsets i (candidate x + 2i) divisible by a small prime. */
static void gmp_sieve(struct gmp_gen *g)
{
    memset(g->sieve, 0, GMP_WINDOW);
    for (size_t k = 0; k < gmp_nprimes; k++) {
        uint64_t p = gmp_primes[k];
        /* x + 2i = 0 mod p  <=>  i = (p - r) * (p + 1)/2 mod p */
        uint64_t i = (p - g->res[k]) % p * ((p + 1) / 2) % p;
        for (; i < GMP_WINDOW; i += p)
            g->sieve[i] = 1;
    }
}

/* |x - y| > 2^(bits - 100), on n limbs; d: n limbs of scratch. */
static int gmp_far_apart(const mp_limb_t *x, const mp_limb_t *y, mp_size_t n,
                         unsigned bits, mp_limb_t *d)
{
    if (mpn_sub_n(d, x, y, n))
        mpn_sub_n(d, y, x, n);
    /* |x - y| >= 2^(bits - 99) implies the bound (and misses it by at most
     * a factor of two, which only costs a redraw) */
    return gmp_bitlen(d, n) >= bits - 98;
}

/*
 * One prime into w (pn limbs).  other: the first prime when drawing the
 * second (for the |p - q| condition), else NULL.
 */
static int gmp_prime(struct gmp_gen *g, mp_limb_t *w, const mp_limb_t *other)
{
    mp_size_t n = g->pn;
    mp_limb_t *x = g->t + 6 * n; /* the window start: n limbs */
    unsigned long limit = 5ul * g->bits;
    g->tried = 0;
    while (g->tried < limit) {
        int rc = gmp_random_bits(g, x);
        if (rc != RLAB_OK)
            return rc;
        x[(g->bits - 1) / GMP_NUMB_BITS] |= (mp_limb_t)1 << ((g->bits - 1) % GMP_NUMB_BITS);
        x[(g->bits - 2) / GMP_NUMB_BITS] |= (mp_limb_t)1 << ((g->bits - 2) % GMP_NUMB_BITS);
        x[0] |= 1;
        gmp_residues(g, x);
        gmp_sieve(g);
        for (unsigned i = 0; i < GMP_WINDOW && g->tried < limit; i++) {
            g->tried++;
            if (g->sieve[i])
                continue;
            mpn_copyi(w, x, n);
            mp_limb_t cy = mpn_sec_add_1(w, w, n, 2 * (mp_limb_t)i, g->tp);
            /* past the top bit (x was within 2^13 of 2^bits): new window */
            if (cy != 0 || gmp_bit(w, g->bits - 1) == 0 || gmp_bit(w, g->bits - 2) == 0 ||
                (g->bits % GMP_NUMB_BITS != 0 && (w[n - 1] >> (g->bits % GMP_NUMB_BITS)) != 0))
                break;
            if (other != NULL && !gmp_far_apart(w, other, n, g->bits, g->t))
                continue;
            if (!gmp_coprime_e(g, w))
                continue;
            int prime;
            rc = gmp_miller_rabin(g, w, rlab_gmp_mr_rounds(g->bits), &prime);
            if (rc != RLAB_OK)
                return rc;
            if (prime)
                return RLAB_OK;
        }
    }
    return rlab_error_set(RLAB_ERR_KEYGEN, "gmp: no prime of %u bits within %lu candidates",
                          g->bits, limit);
}

/* ---- lambda and d ------------------------------------------------------ */

/* x /= 2^v, v = the 2-adic valuation of x != 0, in `steps` fixed steps (a
 * bound on v); returns v.  tmp: n limbs. */
static mp_limb_t gmp_ct_odd(mp_limb_t *x, mp_size_t n, mp_bitcnt_t steps, mp_limb_t *tmp)
{
    mp_limb_t v = 0;
    for (mp_bitcnt_t i = 0; i < steps; i++) {
        mp_limb_t even = (x[0] & 1) ^ 1;
        mpn_rshift(tmp, x, n, 1);
        mpn_cnd_swap(even, x, tmp, n);
        v += even;
    }
    return v;
}

/* a = gcd(a, b) for odd a and b below 2^(steps/2): binary gcd whose every
 * step does the same work.  Each step at least halves a*b until b = 0. */
static void gmp_ct_gcd(mp_limb_t *a, mp_limb_t *b, mp_size_t n, mp_bitcnt_t steps,
                       mp_limb_t *tmp)
{
    for (mp_bitcnt_t i = 0; i < steps; i++) {
        mp_limb_t odd = b[0] & 1;
        mp_limb_t lt = mpn_sub_n(tmp, b, a, n);
        mpn_cnd_swap(odd & lt, a, b, n); /* a odd stays odd */
        mpn_cnd_sub_n(odd, b, b, a, n);
        mpn_rshift(b, b, n, 1);
    }
}

/* x <<= c for a secret c < steps, in `steps` fixed steps; tmp: n limbs. */
static void gmp_ct_shl(mp_limb_t *x, mp_size_t n, mp_limb_t c, mp_bitcnt_t steps,
                       mp_limb_t *tmp)
{
    for (mp_bitcnt_t i = 0; i < steps; i++) {
        mp_limb_t more = ((mp_limb_t)i - c) >> (GMP_NUMB_BITS - 1); /* i < c */
        mpn_lshift(tmp, x, n, 1);
        mpn_cnd_swap(more, x, tmp, n);
    }
}

struct gmp_keybuf {
    mp_size_t pn;
    size_t limbs;
    mp_limb_t *all;
    mp_limb_t *p, *q, *n, *lam, *d, *x, *dp, *dq, *qinv, *pm1, *qm1, *a, *b, *quot, *tmp;
};

/* lam = lcm(p - 1, q - 1) and d = e^-1 mod lam (2 pn limbs each). */
static void gmp_lambda_d(struct gmp_keybuf *kb, unsigned bits, mp_limb_t e, mp_limb_t *tp)
{
    mp_size_t pn = kb->pn, ln = 2 * pn;
    mpn_copyi(kb->pm1, kb->p, pn);
    kb->pm1[0] -= 1;
    mpn_copyi(kb->qm1, kb->q, pn);
    kb->qm1[0] -= 1;

    /* g = gcd(p-1, q-1) = 2^min(s,t) gcd(odd parts) */
    mpn_copyi(kb->a, kb->pm1, pn);
    mpn_copyi(kb->b, kb->qm1, pn);
    mp_limb_t s = gmp_ct_odd(kb->a, pn, bits, kb->tmp);
    mp_limb_t t = gmp_ct_odd(kb->b, pn, bits, kb->tmp);
    gmp_ct_gcd(kb->a, kb->b, pn, 2 * (mp_bitcnt_t)bits, kb->tmp);
    mp_limb_t s_lt = (s - t) >> (GMP_NUMB_BITS - 1);
    gmp_ct_shl(kb->a, pn, t ^ ((s ^ t) & (0 - s_lt)), bits, kb->tmp);
    mp_size_t gn = pn;
    while (gn > 1 && kb->a[gn - 1] == 0) /* g's limb count: see the top */
        gn--;

    /* lam = (p-1) * ((q-1) / g) */
    mpn_copyi(kb->b, kb->qm1, pn);
    mpn_zero(kb->quot, pn + 1);
    kb->quot[pn - gn] = mpn_sec_div_qr(kb->quot, kb->b, pn, kb->a, gn, tp);
    mpn_zero(kb->lam, ln);
    mpn_sec_mul(kb->lam, kb->pm1, pn, kb->quot, pn - gn + 1, tp);

    /* d = (1 + (e - (lam^-1 mod e)) lam) / e */
    mp_limb_t r, inv;
    mpn_copyi(kb->x, kb->lam, ln);
    mpn_sec_div_r(kb->x, ln, &e, 1, tp);
    r = kb->x[0];
    mpn_sec_invert(&inv, &r, &e, 1, 2 * GMP_NUMB_BITS, tp); /* gcd(lam, e) = 1 */
    kb->x[ln] = mpn_mul_1(kb->x, kb->lam, ln, e - inv);
    mpn_sec_add_1(kb->x, kb->x, ln + 1, 1, tp);
    kb->d[ln] = mpn_sec_div_qr(kb->d, kb->x, ln + 1, &e, 1, tp);
}

static int gmp_keybuf_alloc(struct gmp_keybuf *kb, mp_size_t pn)
{
    memset(kb, 0, sizeof *kb);
    kb->pn = pn;
    kb->limbs = 23 * (size_t)pn + 4;
    kb->all = rlab_gmp_limbs_alloc(kb->limbs);
    if (kb->all == NULL)
        return RLAB_ERR_NOMEM;
    mp_limb_t *z = kb->all;
    kb->p = z, z += pn;
    kb->q = z, z += pn;
    kb->n = z, z += 2 * pn;
    kb->lam = z, z += 2 * pn;
    kb->d = z, z += 2 * pn + 1;
    kb->x = z, z += 2 * pn + 1;
    kb->dp = z, z += pn;
    kb->dq = z, z += pn;
    kb->qinv = z, z += pn;
    kb->pm1 = z, z += pn;
    kb->qm1 = z, z += pn;
    kb->a = z, z += pn;
    kb->b = z, z += pn;
    kb->quot = z, z += pn + 1;
    kb->tmp = z;
    return RLAB_OK;
}

static mp_size_t gmp_scratch(mp_size_t pn, unsigned bits)
{
    mp_size_t ln = 2 * pn, i = mpn_sec_powm_itch(pn, bits, pn);
    i = GMP_MAX(i, mpn_sec_sqr_itch(pn));
    i = GMP_MAX(i, mpn_sec_mul_itch(pn, pn));
    i = GMP_MAX(i, mpn_sec_div_r_itch(2 * pn, pn));
    i = GMP_MAX(i, mpn_sec_div_r_itch(pn, 1));
    i = GMP_MAX(i, mpn_sec_div_r_itch(ln, 1));
    i = GMP_MAX(i, mpn_sec_div_qr_itch(pn, pn));
    i = GMP_MAX(i, mpn_sec_div_qr_itch(ln + 1, 1));
    i = GMP_MAX(i, mpn_sec_invert_itch(1));
    i = GMP_MAX(i, mpn_sec_add_1_itch(ln + 1));
    return i;
}

/* see gmp_internal.h */
int rlab_gmp_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                    rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    if (bits % 2 != 0 || bits < RLAB_GMP_KEYGEN_MIN_BITS || bits > RLAB_GMP_MAX_BITS)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "gmp: keygen takes an even number of bits from %u to %u",
                              RLAB_GMP_KEYGEN_MIN_BITS, RLAB_GMP_MAX_BITS);
    if (e < 65537 || e % 2 == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "gmp: keygen takes an odd e of at least 65537");
    rlab_gmp_mem_install();
    size_t np;
    rlab_gmp_small_primes(&np);

    unsigned h = bits / 2;
    mp_size_t pn = (mp_size_t)((h + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS);
    mp_size_t nn = (mp_size_t)((bits + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS);
    struct gmp_gen g = {.rng = rng, .bits = h, .pn = pn, .e = (mp_limb_t)e};
    struct gmp_keybuf kb;
    size_t itch = (size_t)gmp_scratch(pn, h), tn = 7 * (size_t)pn + 2;
    g.tp = rlab_gmp_limbs_alloc(itch);
    g.t = rlab_gmp_limbs_alloc(tn);
    g.res = calloc(np, sizeof *g.res);
    g.sieve = malloc(GMP_WINDOW);
    int rc = gmp_keybuf_alloc(&kb, pn);
    if (g.tp == NULL || g.t == NULL || g.res == NULL || g.sieve == NULL)
        rc = RLAB_ERR_NOMEM;
    for (int attempt = 0; rc == RLAB_OK; attempt++) {
        if (attempt == 8) {
            rc = rlab_error_set(RLAB_ERR_KEYGEN, "gmp: d stayed below 2^(nlen/2)");
            break;
        }
        rc = gmp_prime(&g, kb.p, NULL);
        if (rc == RLAB_OK)
            rc = gmp_prime(&g, kb.q, kb.p);
        if (rc != RLAB_OK)
            break;
        /* p > q, the usual order (qinv = q^-1 mod p) */
        mpn_cnd_swap(mpn_sub_n(kb.tmp, kb.p, kb.q, pn), kb.p, kb.q, pn);
        gmp_lambda_d(&kb, h, (mp_limb_t)e, g.tp);
        /* FIPS 186-5 A.1.1: d > 2^(nlen/2); here d >= 2^(nlen/2 + 1) */
        if (gmp_bitlen(kb.d, 2 * pn + 1) < h + 2)
            continue;
        mpn_mul_n(kb.n, kb.p, kb.q, pn); /* n is public */
        rc = rlab_gmp_crt_values(kb.d, nn, kb.p, pn, kb.q, pn, kb.dp, kb.dq, kb.qinv);
        if (rc == RLAB_OK)
            rc = rlab_gmp_key_from_limbs(kb.n, nn, (mp_limb_t)e, kb.d, kb.p, pn, kb.q, pn,
                                         kb.dp, kb.dq, kb.qinv, out);
        break;
    }
    rlab_gmp_limbs_free(kb.all, kb.limbs);
    rlab_gmp_limbs_free(g.tp, itch);
    rlab_gmp_limbs_free(g.t, tn);
    rlab_free_secret(g.res, np * sizeof *g.res);
    rlab_free_secret(g.sieve, GMP_WINDOW);
    return rc;
}

/* ---- multi-prime keys (RFC 8017 3.2) ----------------------------------- */

/*
 * FIPS 186-5 has no multi-prime keys; the generator above is applied per
 * prime and the rest follows the two-prime path: primes of bits/u bits (the
 * first bits % u one bit longer), each with its top two bits set, pairwise
 * |r_i - r_j| > 2^(bits_i - 100) between primes of one size, the last
 * prime drawn again until n has exactly nlen bits (three top-two-bit primes
 * multiply to at least 0.42 * 2^(sum of bits), so that happens), lambda =
 * lcm(r_i - 1) with the branch-free gcd above, d = e^-1 mod lambda >
 * 2^(nlen/2), then d_i = d mod (r_i - 1) and t_i = (r_1 ... r_(i-1))^-1 mod
 * r_i with mpn_sec_div_r and mpn_sec_invert.
 */

struct gmp_mkey {
    size_t u;
    unsigned bits[RLAB_MAX_PRIMES];
    mp_size_t rn[RLAB_MAX_PRIMES];
    mp_size_t nn, ln;   /* n; lambda, d and products (nn + u + 2) */
    size_t limbs;
    mp_limb_t *all;
    mp_limb_t *r[RLAB_MAX_PRIMES], *dr[RLAB_MAX_PRIMES], *tr[RLAB_MAX_PRIMES];
    mp_limb_t *n, *lam, *d, *x, *a, *b, *rm1, *quot, *prod, *p2, *tmp;
};

static int gmp_mkey_alloc(struct gmp_mkey *mk)
{
    mp_size_t ln = mk->ln;
    /* every slot of rn[0] limbs, the largest: qinv (in tr[1]) has p's */
    size_t rmax = (size_t)mk->rn[0];
    mk->limbs = 3 * rmax * mk->u + 11 * (size_t)ln + 8;
    mk->all = rlab_gmp_limbs_alloc(mk->limbs);
    if (mk->all == NULL)
        return RLAB_ERR_NOMEM;
    mp_limb_t *z = mk->all;
    for (size_t i = 0; i < mk->u; i++) {
        mk->r[i] = z, z += rmax;
        mk->dr[i] = z, z += rmax;
        mk->tr[i] = z, z += rmax;
    }
    mk->n = z, z += ln;
    mk->lam = z, z += ln;
    mk->d = z, z += ln + 1;
    mk->x = z, z += ln + 1;
    mk->a = z, z += ln;
    mk->b = z, z += ln;
    mk->rm1 = z, z += ln;
    mk->quot = z, z += ln + 1;
    mk->prod = z, z += ln + 1;
    mk->p2 = z, z += ln + 1;
    mk->tmp = z;
    return RLAB_OK;
}

/* Scratch for every mpn_sec_* call below on operands of up to m limbs. */
static mp_size_t gmp_mscratch(mp_size_t m)
{
    mp_size_t i = 0;
    for (mp_size_t a = 1; a <= m; a++) {
        i = GMP_MAX(i, mpn_sec_add_1_itch(a));
        i = GMP_MAX(i, mpn_sec_invert_itch(a));
        for (mp_size_t b = 1; b <= a; b++) {
            i = GMP_MAX(i, mpn_sec_mul_itch(a, b));
            i = GMP_MAX(i, mpn_sec_div_r_itch(a, b));
            i = GMP_MAX(i, mpn_sec_div_qr_itch(a, b));
        }
    }
    return i;
}

/* lam = lcm(r_i - 1), *lsz its (public) limb count; then d = e^-1 mod lam
 * (lsz + 1 limbs) as in gmp_lambda_d. */
static void gmp_mlambda_d(struct gmp_mkey *mk, mp_limb_t e, mp_size_t *lsz, mp_limb_t *tp)
{
    mp_size_t ln = mk->ln, cur = mk->rn[0];
    mpn_zero(mk->lam, ln);
    mpn_copyi(mk->lam, mk->r[0], cur);
    mk->lam[0] -= 1;
    for (size_t i = 1; i < mk->u; i++) {
        mp_size_t rn = mk->rn[i];
        mp_bitcnt_t steps = (mp_bitcnt_t)cur * GMP_NUMB_BITS;
        /* g = gcd(lam, r - 1) = 2^min(s, t) gcd(odd parts) */
        mpn_zero(mk->rm1, ln);
        mpn_copyi(mk->rm1, mk->r[i], rn);
        mk->rm1[0] -= 1;
        mpn_copyi(mk->a, mk->lam, ln);
        mpn_copyi(mk->b, mk->rm1, ln);
        mp_limb_t s = gmp_ct_odd(mk->a, cur, steps, mk->tmp);
        mp_limb_t t = gmp_ct_odd(mk->b, cur, steps, mk->tmp);
        gmp_ct_gcd(mk->a, mk->b, cur, 2 * steps, mk->tmp);
        mp_limb_t s_lt = (s - t) >> (GMP_NUMB_BITS - 1);
        gmp_ct_shl(mk->a, cur, t ^ ((s ^ t) & (0 - s_lt)), steps, mk->tmp);
        mp_size_t gn = rn;
        while (gn > 1 && mk->a[gn - 1] == 0) /* g's limb count, as above */
            gn--;
        /* lam = lam ((r - 1) / g) */
        mp_size_t qn = rn - gn + 1;
        mpn_zero(mk->quot, qn);
        mk->quot[rn - gn] = mpn_sec_div_qr(mk->quot, mk->rm1, rn, mk->a, gn, tp);
        mpn_zero(mk->prod, cur + qn);
        mpn_sec_mul(mk->prod, mk->lam, cur, mk->quot, qn, tp);
        cur += qn;
        mpn_copyi(mk->lam, mk->prod, cur);
    }
    /* d = (1 + (e - (lam^-1 mod e)) lam) / e */
    mp_limb_t r, inv;
    mpn_zero(mk->x, ln + 1);
    mpn_copyi(mk->x, mk->lam, cur);
    mpn_sec_div_r(mk->x, cur, &e, 1, tp);
    r = mk->x[0];
    mpn_sec_invert(&inv, &r, &e, 1, 2 * GMP_NUMB_BITS, tp); /* gcd(lam, e) = 1 */
    mk->x[cur] = mpn_mul_1(mk->x, mk->lam, cur, e - inv);
    mpn_sec_add_1(mk->x, mk->x, cur + 1, 1, tp);
    mpn_zero(mk->d, ln + 1);
    mk->d[cur] = mpn_sec_div_qr(mk->d, mk->x, cur + 1, &e, 1, tp);
    *lsz = cur + 1;
}

/* n = r_0 ... r_(u-1) (public); its bit length. */
static mp_bitcnt_t gmp_mproduct(struct gmp_mkey *mk)
{
    mp_size_t cur = mk->rn[0];
    mpn_zero(mk->n, mk->ln);
    mpn_copyi(mk->n, mk->r[0], cur);
    for (size_t i = 1; i < mk->u; i++) {
        mpn_mul(mk->prod, mk->n, cur, mk->r[i], mk->rn[i]);
        cur += mk->rn[i];
        mpn_copyi(mk->n, mk->prod, cur);
    }
    return gmp_bitlen(mk->n, mk->ln);
}

/* d_i = d mod (r_i - 1) for the primes after p and q, t_i = (r_0 ... r_(i-1))^-1
 * mod r_i; d: nn limbs.  RLAB_OK or RLAB_ERR_KEY_INVALID. */
static int gmp_mcrt(struct gmp_mkey *mk, mp_limb_t *tp)
{
    mp_size_t nn = mk->nn, cur = mk->rn[0];
    mpn_zero(mk->p2, mk->ln + 1);
    mpn_copyi(mk->p2, mk->r[0], cur); /* the running product, secret */
    int ok = 1;
    for (size_t i = 1; i < mk->u; i++) {
        mp_size_t rn = mk->rn[i];
        if (i >= 2) {
            mpn_copyi(mk->rm1, mk->r[i], rn);
            mk->rm1[0] -= 1;
            mpn_copyi(mk->x, mk->d, nn);
            mpn_sec_div_r(mk->x, nn, mk->rm1, rn, tp);
            mpn_copyi(mk->dr[i], mk->x, rn);
            mpn_copyi(mk->x, mk->p2, cur);
            mpn_sec_div_r(mk->x, cur, mk->r[i], rn, tp);
            ok &= mpn_sec_invert(mk->tr[i], mk->x, mk->r[i], rn,
                                 2 * (mp_bitcnt_t)rn * GMP_NUMB_BITS, tp);
        }
        mpn_sec_mul(mk->prod, mk->p2, cur, mk->r[i], rn, tp);
        cur += rn;
        mpn_copyi(mk->p2, mk->prod, cur);
    }
    return ok ? RLAB_OK : rlab_error_set(RLAB_ERR_KEY_INVALID, "gmp: primes not coprime");
}

/* Draw prime i into mk->r[i]: far from the earlier primes of its size. */
static int gmp_mprime(struct gmp_gen *g, struct gmp_mkey *mk, size_t i)
{
    g->bits = mk->bits[i];
    g->pn = mk->rn[i];
    for (int tries = 0; tries < 16; tries++) {
        int rc = gmp_prime(g, mk->r[i], NULL);
        if (rc != RLAB_OK)
            return rc;
        int far = 1;
        for (size_t j = 0; j < i; j++)
            if (mk->bits[j] == mk->bits[i])
                far &= gmp_far_apart(mk->r[i], mk->r[j], mk->rn[i], mk->bits[i], g->t);
        if (far)
            return RLAB_OK;
    }
    return rlab_error_set(RLAB_ERR_KEYGEN, "gmp: primes kept falling too close");
}

/* see gmp_internal.h */
int rlab_gmp_keygen_multi(unsigned bits, unsigned primes, unsigned long e,
                          const struct rlab_rng *rng, rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    if (bits % 2 != 0 || bits < RLAB_GMP_KEYGEN_MIN_BITS || bits > RLAB_GMP_MAX_BITS)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "gmp: keygen takes an even number of bits from %u to %u",
                              RLAB_GMP_KEYGEN_MIN_BITS, RLAB_GMP_MAX_BITS);
    if (primes < 3 || primes > rlab_max_primes(bits))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "gmp: %u primes at %u bits (at most %u)", primes, bits,
                              rlab_max_primes(bits));
    if (e < 65537 || e % 2 == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "gmp: keygen takes an odd e of at least 65537");
    rlab_gmp_mem_install();
    size_t np;
    rlab_gmp_small_primes(&np);

    struct gmp_mkey mk = {.u = primes};
    for (size_t i = 0; i < primes; i++) {
        mk.bits[i] = bits / primes + (i < bits % primes ? 1u : 0u);
        mk.rn[i] = (mp_size_t)((mk.bits[i] + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS);
    }
    mp_size_t pn = mk.rn[0];
    mk.nn = (mp_size_t)((bits + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS);
    mk.ln = mk.nn + (mp_size_t)primes + 2;
    struct gmp_gen g = {.rng = rng, .bits = mk.bits[0], .pn = pn, .e = (mp_limb_t)e};
    size_t itch = (size_t)GMP_MAX(gmp_scratch(pn, mk.bits[0]), gmp_mscratch(mk.ln + 1));
    size_t tn = 7 * (size_t)pn + 2;
    g.tp = rlab_gmp_limbs_alloc(itch);
    g.t = rlab_gmp_limbs_alloc(tn);
    g.res = calloc(np, sizeof *g.res);
    g.sieve = malloc(GMP_WINDOW);
    int rc = gmp_mkey_alloc(&mk);
    if (g.tp == NULL || g.t == NULL || g.res == NULL || g.sieve == NULL)
        rc = RLAB_ERR_NOMEM;
    for (int attempt = 0; rc == RLAB_OK; attempt++) {
        if (attempt == 8) {
            rc = rlab_error_set(RLAB_ERR_KEYGEN, "gmp: d stayed below 2^(nlen/2)");
            break;
        }
        for (size_t i = 0; i + 1 < primes && rc == RLAB_OK; i++)
            rc = gmp_mprime(&g, &mk, i);
        /* the last prime again until n has exactly `bits` bits */
        for (int tries = 0; rc == RLAB_OK; tries++) {
            if (tries == 64) {
                rc = rlab_error_set(RLAB_ERR_KEYGEN, "gmp: n kept falling short of %u bits",
                                    bits);
                break;
            }
            rc = gmp_mprime(&g, &mk, primes - 1);
            if (rc == RLAB_OK && gmp_mproduct(&mk) == bits)
                break;
        }
        if (rc != RLAB_OK)
            break;
        mp_size_t lsz;
        gmp_mlambda_d(&mk, (mp_limb_t)e, &lsz, g.tp);
        /* FIPS 186-5 A.1.1's bound, as for two primes */
        if (gmp_bitlen(mk.d, lsz) < bits / 2 + 2)
            continue;
        rc = gmp_mcrt(&mk, g.tp);
        if (rc == RLAB_OK)
            rc = rlab_gmp_crt_values(mk.d, mk.nn, mk.r[0], mk.rn[0], mk.r[1], mk.rn[1],
                                     mk.dr[0], mk.dr[1], mk.tr[1]);
        struct rlab_gmp_other other[RLAB_MAX_PRIMES - 2];
        for (size_t i = 2; i < primes; i++)
            other[i - 2] = (struct rlab_gmp_other){mk.r[i], mk.dr[i], mk.tr[i], mk.rn[i]};
        if (rc == RLAB_OK)
            rc = rlab_gmp_key_from_limbs_multi(mk.n, mk.nn, (mp_limb_t)e, mk.d, mk.r[0],
                                               mk.rn[0], mk.r[1], mk.rn[1], mk.dr[0],
                                               mk.dr[1], mk.tr[1], other, primes - 2, out);
        break;
    }
    rlab_gmp_limbs_free(mk.all, mk.limbs);
    rlab_gmp_limbs_free(g.tp, itch);
    rlab_gmp_limbs_free(g.t, tn);
    rlab_free_secret(g.res, np * sizeof *g.res);
    rlab_free_secret(g.sieve, GMP_WINDOW);
    return rc;
}
