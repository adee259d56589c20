/*
 * The RSA primitives of the gmp backend, after nettle's rsa-sec-compute-root
 * pattern (blinding, CRT with mpn_sec_* at fixed sizes, result checked with
 * the public exponent before release), written for this backend.
 *
 * Private operation, for x = in (public: a ciphertext or an encoded digest):
 *   1. take this key's blinding factors A = r^e and Ai = r^-1, kept per prime
 *      (mod p and mod q), squared after every use and drawn afresh every
 *      RLAB_GMP_BLIND_REFRESH operations with mpn_sec_invert (nettle draws
 *      them every time; the squaring schedule is OpenSSL's BN_BLINDING, and
 *      keeps a 2048-bit operation from paying two inversions that cost half
 *      as much as the exponentiations themselves);
 *   2. for each prime: s' = ((x mod p) * A_p)^dp mod p, s_p = s' * Ai_p mod p
 *      (mpn_sec_div_r, mpn_sec_mul, mpn_sec_powm over pbits exponent bits);
 *   3. Garner: s = s_q + q * ((s_p - s_q) * qinv mod p);
 *   4. check s^e = x mod n with the constant-time public operation, fold the
 *      answer into a mask, zero s with it, and turn it into the return code
 *      without a branch.
 * Every size used is a limb count of n, p or q; every scratch area is sized
 * up front (the _itch functions), allocated once per call and wiped.
 *
 * Public operation: Montgomery square-and-multiply over the bits of e (public)
 * with mpn_sec_sqr / mpn_sec_mul and a REDC of our own made of mpn_addmul_1,
 * mpn_add_n, mpn_sub_n and mpn_cnd_swap, so its time does not depend on the
 * value raised, which is secret when encrypting.  The input is not converted
 * to Montgomery form: after the loop the accumulator is x^e R^-(e-1), and one
 * more Montgomery multiplication by R^e mod n (precomputed per key) gives x^e.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_internal.h"
#include "backends/gmp/gmp_pad.h"
#include "backends/gmp/gmp_r52.h"

#if GMP_NAIL_BITS != 0
#error "the gmp backend needs a GMP built without nail bits"
#endif

#define GMP_LIMB_BYTES ((size_t)sizeof(mp_limb_t))

/* Scratch limbs of the radix-2^52 engine for this key (0 without it). */
static size_t gmp_r52_itch(const struct rlab_gmp_key *k)
{
    return k->r52 != NULL ? rlab_gmp_r52_itch(k->r52) : 0;
}

struct rlab_gmp_blind {
    pthread_mutex_t lock;
    unsigned uses;  /* operations since the factors were drawn */
    mp_limb_t ok;   /* 1 when both inverses existed at the last draw */
    mp_limb_t *v;   /* A_p, Ai_p (pn limbs each), A_q, Ai_q (qn limbs each) */
    size_t vn;
};

/* ---- conversions ------------------------------------------------------- */

/* see gmp_internal.h */
void rlab_gmp_from_bytes(mp_limb_t *r, mp_size_t rn, const uint8_t *in, size_t len)
{
    mpn_zero(r, rn);
    for (size_t i = 0; i < len; i++)
        r[i / GMP_LIMB_BYTES] |= (mp_limb_t)in[len - 1 - i] << (8 * (i % GMP_LIMB_BYTES));
}

/* see gmp_internal.h */
void rlab_gmp_to_bytes(uint8_t *out, size_t len, const mp_limb_t *a, mp_size_t an)
{
    for (size_t i = 0; i < len; i++) {
        size_t l = i / GMP_LIMB_BYTES;
        mp_limb_t v = l < (size_t)an ? a[l] : 0;
        out[len - 1 - i] = (uint8_t)(v >> (8 * (i % GMP_LIMB_BYTES)));
    }
}

/* ---- constant-time helpers --------------------------------------------- */

/* 1 when {a, n} == {b, n}, else 0, without a branch. */
static mp_limb_t gmp_ct_eq(const mp_limb_t *a, const mp_limb_t *b, mp_size_t n)
{
    mp_limb_t d = 0;
    for (mp_size_t i = 0; i < n; i++)
        d |= a[i] ^ b[i];
    return ((d | (0 - d)) >> (GMP_NUMB_BITS - 1)) ^ 1;
}

/* 1 when {a, n} < {m, n}; t gets a - m.  A borrow, not a branch. */
static mp_limb_t gmp_ct_lt(mp_limb_t *t, const mp_limb_t *a, const mp_limb_t *m, mp_size_t n)
{
    return mpn_sub_n(t, a, m, n);
}

/* -m^-1 mod 2^GMP_NUMB_BITS for odd m0: Newton's iteration doubles the
 * number of correct bits from 3 (m0 * m0 = 1 mod 8). */
static mp_limb_t gmp_neg_inv(mp_limb_t m0)
{
    mp_limb_t x = m0;
    for (int i = 0; i < 6; i++)
        x *= 2 - m0 * x;
    return 0 - x;
}

/*
 * r = t R^-1 mod m, for t < m R (2n limbs, destroyed), R = 2^(64 n).
 * Each row adds q * m so the low limb vanishes, and parks the row's carry in
 * that limb; the carries are added to the top half at the end.  The final
 * subtraction is chosen by a mask (mpn_cnd_swap), not a branch.
 */
static void gmp_redc(mp_limb_t *r, mp_limb_t *t, const mp_limb_t *m, mp_size_t n,
                     mp_limb_t minv)
{
    for (mp_size_t i = 0; i < n; i++)
        t[i] = mpn_addmul_1(t + i, m, n, t[i] * minv);
    mp_limb_t cy = mpn_add_n(r, t + n, t, n);
    mp_limb_t lt = gmp_ct_lt(t, r, m, n);
    mpn_cnd_swap(cy | (lt ^ 1), r, t, n);
}

/* r = x^e mod n for x < n (nn limbs each, r != x); ws: k->pub_itch limbs. */
static void gmp_pub_limbs(const struct rlab_gmp_key *k, mp_limb_t *r, const mp_limb_t *x,
                          mp_limb_t *ws)
{
    mp_size_t nn = k->nn;
    mp_limb_t *acc = ws, *t = ws + nn, *tp = ws + 3 * nn;
    mpn_copyi(acc, x, nn);
    for (mp_bitcnt_t i = k->ebits - 1; i-- > 0;) {
        mpn_sec_sqr(t, acc, nn, tp);
        gmp_redc(acc, t, k->n, nn, k->ninv);
        /* a branch on a bit of the public exponent */
        if ((k->e[i / GMP_NUMB_BITS] >> (i % GMP_NUMB_BITS)) & 1) {
            mpn_sec_mul(t, acc, nn, x, nn, tp);
            gmp_redc(acc, t, k->n, nn, k->ninv);
        }
    }
    mpn_sec_mul(t, acc, nn, k->rre, nn, tp);
    gmp_redc(r, t, k->n, nn, k->ninv);
}

/* see gmp_internal.h */
void rlab_gmp_pub_limbs(const struct rlab_gmp_key *k, mp_limb_t *r, const mp_limb_t *x,
                        mp_limb_t *ws)
{
    gmp_pub_limbs(k, r, x, ws);
}

/* ---- blinding ---------------------------------------------------------- */

/*
 * Draw r in [1, m), then a = r^e mod m and ai = r^-1 mod m.  ok is cleared
 * (without a branch) when r has no inverse, which happens only when m is
 * not prime.  t: 2 mn + 1 limbs; tp: the key's scratch.
 */
static int gmp_blind_draw(const struct rlab_gmp_key *k, const mp_limb_t *m, mp_size_t mn,
                          mp_limb_t *a, mp_limb_t *ai, mp_limb_t *ok, mp_limb_t *t,
                          mp_limb_t *tp)
{
    mp_limb_t *r = t, *r2 = t + mn + 1;
    /* mn + 1 random limbs reduced mod m: the bias is below 2^-64.
     * Blinding always uses the backend's own generator. */
    int rc = rlab_gmp_random(NULL, (uint8_t *)r, (mn + 1) * GMP_LIMB_BYTES);
    if (rc != RLAB_OK)
        return rc;
    mpn_sec_div_r(r, mn + 1, m, mn, tp);
    mp_limb_t nz = 0;
    for (mp_size_t i = 0; i < mn; i++)
        nz |= r[i];
    r[0] |= ((nz | (0 - nz)) >> (GMP_NUMB_BITS - 1)) ^ 1; /* 0 -> 1 */
    mpn_sec_powm(a, r, mn, k->e, k->ebits, m, mn, tp);
    mpn_copyi(r2, r, mn);
    *ok &= (mp_limb_t)mpn_sec_invert(ai, r2, m, mn, 2 * (mp_bitcnt_t)mn * GMP_NUMB_BITS, tp);
    return RLAB_OK;
}

/* v = v^2 mod m, in place; t: 2 mn limbs. */
static void gmp_sqr_mod(mp_limb_t *v, const mp_limb_t *m, mp_size_t mn, mp_limb_t *t,
                        mp_limb_t *tp)
{
    mpn_sec_sqr(t, v, mn, tp);
    mpn_sec_div_r(t, 2 * mn, m, mn, tp);
    mpn_copyi(v, t, mn);
}

/* Copy this operation's factors into out (vn limbs) and advance the key's:
 * square them, or draw new ones when they have been used enough. */
static int gmp_blind_take(const struct rlab_gmp_key *k, mp_limb_t *out, mp_limb_t *ok,
                          mp_limb_t *t, mp_limb_t *tp)
{
    struct rlab_gmp_blind *b = k->blind;
    mp_size_t pn = k->pn, qn = k->qn;
    mp_limb_t *ap = b->v, *aip = ap + pn, *aq = aip + pn, *aiq = aq + qn;
    int rc = RLAB_OK;
    pthread_mutex_lock(&b->lock);
    if (b->uses >= RLAB_GMP_BLIND_REFRESH) {
        mp_limb_t good = 1;
        rc = gmp_blind_draw(k, k->p, pn, ap, aip, &good, t, tp);
        if (rc == RLAB_OK)
            rc = gmp_blind_draw(k, k->q, qn, aq, aiq, &good, t, tp);
        if (rc == RLAB_OK) {
            b->uses = 0;
            b->ok = good;
        }
    }
    if (rc == RLAB_OK) {
        mpn_copyi(out, b->v, (mp_size_t)b->vn);
        *ok &= b->ok;
        gmp_sqr_mod(ap, k->p, pn, t, tp);
        gmp_sqr_mod(aip, k->p, pn, t, tp);
        gmp_sqr_mod(aq, k->q, qn, t, tp);
        gmp_sqr_mod(aiq, k->q, qn, t, tp);
        b->uses++;
    }
    pthread_mutex_unlock(&b->lock);
    return rc;
}

/* ---- the private operation --------------------------------------------- */

/* b = (x mod pr) A mod pr, the blinded base.  x: nn limbs; b: pn limbs;
 * t: 3 pn limbs. */
static void gmp_blind_base(const struct rlab_gmp_key *k, const mp_limb_t *x, const mp_limb_t *pr,
                           mp_size_t pn, const mp_limb_t *a, mp_limb_t *b, mp_limb_t *t,
                           mp_limb_t *tp)
{
    mpn_copyi(t, x, k->nn);
    mpn_sec_div_r(t, k->nn, pr, pn, tp);
    mpn_sec_mul(t + pn, t, pn, a, pn, tp);
    mpn_sec_div_r(t + pn, 2 * pn, pr, pn, tp);
    mpn_copyi(b, t + pn, pn);
}

/* s = s Ai mod pr, in place.  t: 2 pn limbs. */
static void gmp_unblind(const mp_limb_t *pr, mp_size_t pn, const mp_limb_t *ai, mp_limb_t *s,
                        mp_limb_t *t, mp_limb_t *tp)
{
    mpn_sec_mul(t, s, pn, ai, pn, tp);
    mpn_sec_div_r(t, 2 * pn, pr, pn, tp);
    mpn_copyi(s, t, pn);
}

/* The radix-2^52 kernel this key's private operation runs on with engine
 * eng, or NULL for mpn_sec_powm (engine MPN, or no kernel for its size). */
static const struct rlab_gmp_r52_kernel *gmp_kernel(const struct rlab_gmp_key *k,
                                                    rlab_gmp_engine_id eng)
{
    const struct rlab_gmp_r52_kernel *kn = NULL;
    if (k->r52 == NULL)
        return NULL;
    if (eng == RLAB_GMP_ENGINE_IFMA)
        kn = rlab_gmp_r52_ifma;
    else if (eng == RLAB_GMP_ENGINE_R52)
        kn = &rlab_gmp_r52_ref;
    return kn != NULL && kn->has(k->r52->n) ? kn : NULL;
}

/* s = sq + q ((sp - sq) qinv mod p): pn + qn limbs, the value below n. */
static void gmp_garner(const struct rlab_gmp_key *k, const mp_limb_t *sp, const mp_limb_t *sq,
                       mp_limb_t *s, mp_limb_t *t, mp_limb_t *tp)
{
    mp_size_t pn = k->pn, qn = k->qn;
    mpn_copyi(t, sq, qn);
    if (qn >= pn)
        mpn_sec_div_r(t, qn, k->p, pn, tp);
    else
        mpn_zero(t + qn, pn - qn); /* fewer limbs than p: already below p */
    mp_limb_t bw = mpn_sub_n(t, sp, t, pn);
    mpn_cnd_add_n(bw, t, t, k->p, pn);
    mp_limb_t *h = t + pn;
    mpn_sec_mul(h, t, pn, k->qinv, pn, tp);
    mpn_sec_div_r(h, 2 * pn, k->p, pn, tp);
    if (qn >= pn)
        mpn_sec_mul(s, k->q, qn, h, pn, tp);
    else
        mpn_sec_mul(s, h, pn, k->q, qn, tp);
    mp_limb_t cy = mpn_add_n(s, s, sq, qn);
    mpn_sec_add_1(s + qn, s + qn, pn, cy, tp);
}

/* see gmp_internal.h */
int rlab_gmp_rsa_private(const struct rlab_gmp_key *k, const uint8_t *in, uint8_t *out)
{
    if (!k->base.has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    if (k->n_other > 0) /* three or more primes: gmp_rsa_multi.c */
        return rlab_gmp_rsa_private_multi(k, in, out);
    mp_size_t nn = k->nn, pn = k->pn, qn = k->qn;
    mp_limb_t *ws = rlab_gmp_limbs_alloc(k->priv_itch);
    if (ws == NULL)
        return RLAB_ERR_NOMEM;
    mp_limb_t *x = ws;                    /* nn */
    mp_limb_t *bl = x + nn;               /* 2 pn + 2 qn */
    mp_limb_t *sp = bl + 2 * pn + 2 * qn; /* pn */
    mp_limb_t *sq = sp + pn;              /* qn */
    mp_limb_t *s = sq + qn;               /* nn + 1 */
    mp_limb_t *chk = s + nn + 1;          /* nn */
    mp_limb_t *bb = chk + nn;             /* pn + qn: blinded bases */
    mp_limb_t *w52 = bb + pn + qn;        /* the engine's scratch */
    mp_limb_t *t = w52 + gmp_r52_itch(k); /* see rlab_gmp_rsa_prepare */
    mp_limb_t *tp = t + 3 * nn + 3;

    int rc = RLAB_OK;
    rlab_gmp_engine_id eng;
    rc = rlab_gmp_engine(&eng);
    if (rc != RLAB_OK)
        goto done;
    rlab_gmp_from_bytes(x, nn, in, k->k);
    if (!gmp_ct_lt(t, x, k->n, nn)) {
        rc = RLAB_ERR_RANGE;
        goto done;
    }
    mp_limb_t ok = 1;
    rc = gmp_blind_take(k, bl, &ok, t, tp);
    if (rc != RLAB_OK)
        goto done;
    const mp_limb_t *ap = bl, *aip = bl + pn, *aq = bl + 2 * pn, *aiq = aq + qn;
    mp_limb_t *bp = bb, *bq = bb + pn;
    gmp_blind_base(k, x, k->p, pn, ap, bp, t, tp);
    gmp_blind_base(k, x, k->q, qn, aq, bq, t, tp);
    const struct rlab_gmp_r52_kernel *kn = gmp_kernel(k, eng);
    if (kn != NULL) {
        /* both halves at once in radix 2^52 */
        rlab_gmp_r52_powm2(kn, k->r52, sp, bp, k->dp, pn, sq, bq, k->dq, qn, w52);
    } else {
        mpn_sec_powm(sp, bp, pn, k->dp, k->pbits, k->p, pn, tp);
        mpn_sec_powm(sq, bq, qn, k->dq, k->qbits, k->q, qn, tp);
    }
    gmp_unblind(k->p, pn, aip, sp, t, tp);
    gmp_unblind(k->q, qn, aiq, sq, t, tp);
    gmp_garner(k, sp, sq, s, t, tp);

    /* The fault check: s^e must give x back.  A wrong s (a fault in one
     * half) would reveal a factor of n, so it is never released. */
    gmp_pub_limbs(k, chk, s, tp);
    ok &= gmp_ct_eq(chk, x, nn);
    mp_limb_t mask = 0 - ok;
    for (mp_size_t i = 0; i < nn; i++)
        s[i] &= mask;
    rlab_gmp_to_bytes(out, k->k, s, nn);
    rc = (int)((mp_limb_t)RLAB_ERR_FAULT & ~mask);
done:
    rlab_gmp_limbs_free(ws, k->priv_itch);
    return rc;
}

/* see gmp_internal.h */
int rlab_gmp_rsa_public(const struct rlab_gmp_key *k, const uint8_t *in, uint8_t *out)
{
    mp_size_t nn = k->nn;
    size_t n_ws = 2 * (size_t)nn + k->pub_itch;
    mp_limb_t *ws = rlab_gmp_limbs_alloc(n_ws);
    if (ws == NULL)
        return RLAB_ERR_NOMEM;
    mp_limb_t *x = ws, *r = ws + nn, *tp = ws + 2 * nn;
    int rc = RLAB_OK;
    rlab_gmp_from_bytes(x, nn, in, k->k);
    if (!gmp_ct_lt(r, x, k->n, nn)) {
        rc = RLAB_ERR_RANGE;
    } else {
        gmp_pub_limbs(k, r, x, tp);
        rlab_gmp_to_bytes(out, k->k, r, nn);
    }
    rlab_gmp_limbs_free(ws, n_ws);
    return rc;
}

/* ---- per-key set-up ---------------------------------------------------- */

#define GMP_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Largest scratch any mpn_sec_* call of the private operation asks for. */
static size_t gmp_priv_scratch(const struct rlab_gmp_key *k)
{
    mp_size_t nn = k->nn, pn = k->pn, qn = k->qn;
    mp_size_t hi = GMP_MAX(pn, qn), lo = pn + qn - hi;
    mp_size_t i = k->pub_itch;
    i = GMP_MAX(i, mpn_sec_div_r_itch(nn, pn));
    i = GMP_MAX(i, mpn_sec_div_r_itch(nn, qn));
    i = GMP_MAX(i, mpn_sec_div_r_itch(2 * pn, pn));
    i = GMP_MAX(i, mpn_sec_div_r_itch(2 * qn, qn));
    i = GMP_MAX(i, mpn_sec_div_r_itch(pn + 1, pn));
    i = GMP_MAX(i, mpn_sec_div_r_itch(qn + 1, qn));
    if (qn >= pn)
        i = GMP_MAX(i, mpn_sec_div_r_itch(qn, pn));
    i = GMP_MAX(i, mpn_sec_mul_itch(pn, pn));
    i = GMP_MAX(i, mpn_sec_mul_itch(qn, qn));
    i = GMP_MAX(i, mpn_sec_mul_itch(hi, lo));
    i = GMP_MAX(i, mpn_sec_sqr_itch(pn));
    i = GMP_MAX(i, mpn_sec_sqr_itch(qn));
    i = GMP_MAX(i, mpn_sec_powm_itch(pn, k->pbits, pn));
    i = GMP_MAX(i, mpn_sec_powm_itch(qn, k->qbits, qn));
    i = GMP_MAX(i, mpn_sec_powm_itch(pn, k->ebits, pn));
    i = GMP_MAX(i, mpn_sec_powm_itch(qn, k->ebits, qn));
    i = GMP_MAX(i, mpn_sec_invert_itch(pn));
    i = GMP_MAX(i, mpn_sec_invert_itch(qn));
    i = GMP_MAX(i, mpn_sec_add_1_itch(pn));
    return (size_t)i;
}

/* see gmp_internal.h */
int rlab_gmp_rsa_prepare(struct rlab_gmp_key *k)
{
    mp_size_t nn = k->nn;
    k->ninv = gmp_neg_inv(k->n[0]);

    /* R^e mod n: public values, so mpz is fine here. */
    mpz_t r, nz, ez;
    mpz_roinit_n(nz, k->n, nn);
    mpz_roinit_n(ez, k->e, k->en);
    mpz_init(r);
    mpz_setbit(r, (mp_bitcnt_t)nn * GMP_NUMB_BITS);
    mpz_mod(r, r, nz);
    mpz_powm(r, r, ez, nz);
    mpn_zero(k->rre, nn);
    mpn_copyi(k->rre, mpz_limbs_read(r), (mp_size_t)mpz_size(r));
    mpz_clear(r);

    k->pub_itch = 3 * (size_t)nn + (size_t)GMP_MAX(mpn_sec_sqr_itch(nn), mpn_sec_mul_itch(nn, nn));
    if (!k->base.has_private)
        return RLAB_OK;
    if (k->n_other > 0) /* three or more primes: gmp_rsa_multi.c */
        return rlab_gmp_rsa_prepare_multi(k);

    /* x, blinding copies, sp, sq, s, chk, t (3 nn + 3 covers nn, 3 pn, 3 qn,
     * 2 mn + 1), then the mpn_sec_* scratch */
    size_t pn = (size_t)k->pn, qn = (size_t)k->qn;
    /* the radix-2^52 engine's constants, when the primes are small enough
     * for it (which kernel runs is decided per operation) */
    mp_bitcnt_t hb = k->pbits > k->qbits ? k->pbits : k->qbits;
    if (rlab_gmp_r52_digits(hb) <= RLAB_GMP_R52_MAX_DIGITS) {
        k->r52 = rlab_gmp_r52_key_new(k->p, k->pn, k->pbits, k->q, k->qn, k->qbits);
        if (k->r52 == NULL)
            return RLAB_ERR_NOMEM;
    }
    /* x, blinding copies, sp, sq, s, chk, bases, engine, t (3 nn + 3 covers
     * nn, 3 pn, 3 qn, 2 mn + 1), then the mpn_sec_* scratch */
    k->priv_itch = (size_t)nn + 2 * pn + 2 * qn + pn + qn + (size_t)nn + 1 + (size_t)nn +
                   pn + qn + gmp_r52_itch(k) + 3 * (size_t)nn + 3 + gmp_priv_scratch(k);

    struct rlab_gmp_blind *b = calloc(1, sizeof *b);
    if (b == NULL)
        return RLAB_ERR_NOMEM;
    b->vn = 2 * pn + 2 * qn;
    b->v = rlab_gmp_limbs_alloc(b->vn);
    if (b->v == NULL || pthread_mutex_init(&b->lock, NULL) != 0) {
        rlab_gmp_limbs_free(b->v, b->vn);
        free(b);
        return RLAB_ERR_NOMEM;
    }
    b->uses = RLAB_GMP_BLIND_REFRESH; /* draw on first use */
    k->blind = b;
    return RLAB_OK;
}

/* see gmp_internal.h */
void rlab_gmp_rsa_release(struct rlab_gmp_key *k)
{
    rlab_gmp_rsa_release_multi(k);
    rlab_gmp_r52_key_free(k->r52);
    k->r52 = NULL;
    struct rlab_gmp_blind *b = k->blind;
    if (b == NULL)
        return;
    pthread_mutex_destroy(&b->lock);
    rlab_gmp_limbs_free(b->v, b->vn);
    free(b);
    k->blind = NULL;
}
