/*
 * Tests of the gmp backend's keys and RSA primitives (gmp_key.c, gmp_rsa.c,
 * gmp_keygen.c):
 *
 *  - key generation: the FIPS 186-5 properties of its output at 1024, 2048,
 *    3072 and 4096 bits (and 1090, 2050: primes not a whole number of limbs) (sizes, top bits, primality, gcd(p-1, e) = 1,
 *    |p - q| > 2^(nlen/2 - 100), 2^(nlen/2) < d < lambda(n), CRT values),
 *    which also pass import validation; its argument checks; replay of a
 *    caller's rng gives the same key, another seed another key;
 *  - validation: the good key is accepted, and for each check a key made
 *    from the good key's components with one of them changed is refused
 *    with RLAB_ERR_KEY_INVALID and a detail naming that check (where a
 *    change cannot avoid breaking a later check too, the detail still names
 *    the first one, which is the one under test);
 *  - n, e, d only: the factors and CRT values are recovered exactly;
 *  - raw operations at 1024..4096 bits and on keys with p and q of different
 *    limb counts, either one the larger: raw_private(raw_public(x)) = x and
 *    back for x = 0, 1, 2, n-2, n-1 and random x, against mpz_powm, and
 *    x >= n or a wrong length refused; enough private operations on one key
 *    to cross blinding refreshes, also from several threads at once.
 *
 * GMP's mpz is used here to build and check numbers; it is the library under
 * the backend, so it is an independent reference only for our own code.
 * Random choices come from a seed printed at start (RSALAB_TEST_SEED=<n>
 * replays it).
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gmp.h>

#include "backends/ops.h"
#include "backends/backend.h"
#include "backends/gmp/gmp_der.h"
#include "backends/gmp/gmp_internal.h"
#include "base/errors.h"

static const struct rlab_backend *const be = &rlab_backend_gmp;
static uint64_t seed;

/* ---- a replayable rng (splitmix64) ---------------------------------------- */

struct sm_rng {
    uint64_t s;
};

static uint64_t sm_next(struct sm_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int sm_fill(void *ctx, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)sm_next(ctx);
    return RLAB_OK;
}

/* ---- numbers <-> components ---------------------------------------------- */

static void to_mpz(mpz_t z, const struct rlab_buf *b)
{
    mpz_import(z, b->len, 1, 1, 0, 0, b->data);
}

static void set_buf(struct rlab_buf *b, const mpz_t z)
{
    rlab_buf_clear(b);
    size_t len = (mpz_sizeinbase(z, 2) + 7) / 8, cnt = 0;
    ck_assert_int_eq(rlab_buf_alloc(b, len), RLAB_OK);
    if (mpz_sgn(z) != 0)
        mpz_export(b->data, &cnt, 1, 1, 0, 0, z);
    ck_assert(cnt <= len);
}

static void copy_comp(struct rlab_components *dst, const struct rlab_components *src)
{
    const struct rlab_buf *s[8] = {&src->n, &src->e, &src->d, &src->p,
                                   &src->q, &src->dp, &src->dq, &src->qinv};
    struct rlab_buf *d[8] = {&dst->n, &dst->e, &dst->d, &dst->p,
                             &dst->q, &dst->dp, &dst->dq, &dst->qinv};
    memset(dst, 0, sizeof *dst);
    for (int i = 0; i < 8; i++)
        if (s[i]->len > 0)
            ck_assert_int_eq(rlab_buf_set(d[i], s[i]->data, s[i]->len), RLAB_OK);
}

/* All eight components as numbers. */
struct nums {
    mpz_t n, e, d, p, q, dp, dq, qinv;
};

static void nums_from(struct nums *v, const struct rlab_components *c)
{
    mpz_inits(v->n, v->e, v->d, v->p, v->q, v->dp, v->dq, v->qinv, NULL);
    to_mpz(v->n, &c->n);
    to_mpz(v->e, &c->e);
    to_mpz(v->d, &c->d);
    to_mpz(v->p, &c->p);
    to_mpz(v->q, &c->q);
    to_mpz(v->dp, &c->dp);
    to_mpz(v->dq, &c->dq);
    to_mpz(v->qinv, &c->qinv);
}

static void nums_to(struct rlab_components *c, const struct nums *v)
{
    memset(c, 0, sizeof *c);
    set_buf(&c->n, v->n);
    set_buf(&c->e, v->e);
    set_buf(&c->d, v->d);
    set_buf(&c->p, v->p);
    set_buf(&c->q, v->q);
    set_buf(&c->dp, v->dp);
    set_buf(&c->dq, v->dq);
    set_buf(&c->qinv, v->qinv);
}

static void nums_clear(struct nums *v)
{
    mpz_clears(v->n, v->e, v->d, v->p, v->q, v->dp, v->dq, v->qinv, NULL);
}

/* lambda(n) = lcm(p-1, q-1) */
static void lambda(mpz_t lam, const mpz_t p, const mpz_t q)
{
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    mpz_sub_ui(a, p, 1);
    mpz_sub_ui(b, q, 1);
    mpz_lcm(lam, a, b);
    mpz_clears(a, b, NULL);
}

/* d, dp, dq, qinv for n = p q and e (any order of p and q). */
static void complete_key(struct nums *v)
{
    mpz_t lam, t;
    mpz_inits(lam, t, NULL);
    mpz_mul(v->n, v->p, v->q);
    lambda(lam, v->p, v->q);
    ck_assert(mpz_invert(v->d, v->e, lam));
    mpz_sub_ui(t, v->p, 1);
    mpz_mod(v->dp, v->d, t);
    mpz_sub_ui(t, v->q, 1);
    mpz_mod(v->dq, v->d, t);
    ck_assert(mpz_invert(v->qinv, v->q, v->p));
    mpz_clears(lam, t, NULL);
}

/* ---- keys shared by the tests (made in main, before libcheck forks) -------- */

/* the usual sizes, and two whose primes do not fill whole limbs */
static const unsigned sizes[] = {1024, 2048, 3072, 4096, 1090, 2050};
#define N_SIZES (sizeof sizes / sizeof sizes[0])
static rlab_key *keys[N_SIZES];
static struct rlab_components good; /* keys[0]'s */

/* ---- raw operations --------------------------------------------------------- */

/* raw ops on x, checked against mpz_powm both ways. */
static void raw_check(const rlab_key *k, const mpz_t x, const struct nums *v)
{
    size_t kl = rlab_key_size(k), l;
    uint8_t in[RLAB_GMP_MAX_BITS / 8], y[RLAB_GMP_MAX_BITS / 8], z[RLAB_GMP_MAX_BITS / 8];
    memset(in, 0, kl);
    size_t cnt = 0;
    if (mpz_sgn(x) != 0)
        mpz_export(in + kl - (mpz_sizeinbase(x, 2) + 7) / 8, &cnt, 1, 1, 0, 0, x);
    mpz_t want, got;
    mpz_inits(want, got, NULL);

    l = kl;
    ck_assert_int_eq(rlab_raw_private(be, k, in, kl, y, &l), RLAB_OK);
    ck_assert_uint_eq(l, kl);
    mpz_import(got, kl, 1, 1, 0, 0, y);
    mpz_powm(want, x, v->d, v->n);
    ck_assert_msg(mpz_cmp(got, want) == 0, "raw_private wrong at %zu bits", kl * 8);
    l = kl;
    ck_assert_int_eq(rlab_raw_public(be, k, y, kl, z, &l), RLAB_OK);
    ck_assert_msg(memcmp(z, in, kl) == 0, "raw_public(raw_private(x)) != x");

    l = kl;
    ck_assert_int_eq(rlab_raw_public(be, k, in, kl, y, &l), RLAB_OK);
    mpz_import(got, kl, 1, 1, 0, 0, y);
    mpz_powm(want, x, v->e, v->n);
    ck_assert_msg(mpz_cmp(got, want) == 0, "raw_public wrong at %zu bits", kl * 8);
    l = kl;
    ck_assert_int_eq(rlab_raw_private(be, k, y, kl, z, &l), RLAB_OK);
    ck_assert_msg(memcmp(z, in, kl) == 0, "raw_private(raw_public(x)) != x");
    mpz_clears(want, got, NULL);
}

static void raw_all(const rlab_key *k, struct sm_rng *r)
{
    struct rlab_components c;
    struct nums v;
    ck_assert_int_eq(rlab_key_to_components(be, k, &c), RLAB_OK);
    nums_from(&v, &c);
    mpz_t x;
    mpz_init(x);
    for (int i = 0; i < 8; i++) {
        switch (i) {
        case 0: mpz_set_ui(x, 0); break;
        case 1: mpz_set_ui(x, 1); break;
        case 2: mpz_set_ui(x, 2); break;
        case 3: mpz_sub_ui(x, v.n, 2); break;
        case 4: mpz_sub_ui(x, v.n, 1); break;
        default:
            mpz_set_ui(x, 0);
            for (size_t j = 0; j < rlab_key_size(k) / 8 + 1; j++) {
                mpz_mul_2exp(x, x, 64);
                mpz_add_ui(x, x, (unsigned long)sm_next(r));
            }
            mpz_mod(x, x, v.n);
        }
        raw_check(k, x, &v);
    }

    /* x = n, and inputs of the wrong length */
    size_t kl = rlab_key_size(k), l;
    uint8_t in[RLAB_GMP_MAX_BITS / 8 + 1], out[RLAB_GMP_MAX_BITS / 8 + 1];
    memset(in, 0, sizeof in);
    memcpy(in + kl - c.n.len, c.n.data, c.n.len);
    l = kl;
    ck_assert_int_eq(rlab_raw_private(be, k, in, kl, out, &l), RLAB_ERR_RANGE);
    ck_assert_uint_eq(l, 0);
    l = kl;
    ck_assert_int_eq(rlab_raw_public(be, k, in, kl, out, &l), RLAB_ERR_RANGE);
    l = kl + 1;
    ck_assert_int_eq(rlab_raw_private(be, k, in, kl - 1, out, &l), RLAB_ERR_RANGE);
    l = kl + 1;
    ck_assert_int_eq(rlab_raw_public(be, k, in, kl + 1, out, &l), RLAB_ERR_RANGE);
    mpz_clear(x);
    nums_clear(&v);
    rlab_components_clear(&c);
}

START_TEST(raw_roundtrip_keygen_sizes)
{
    struct sm_rng r = {seed ^ (uint64_t)_i};
    raw_all(keys[_i], &r);
}
END_TEST

/* p and q of different limb counts, either one the larger, and moduli whose
 * bit length is not a multiple of 8 or 64. */
START_TEST(raw_roundtrip_unbalanced)
{
    static const unsigned shapes[][2] = {
        {520, 505}, {505, 520}, {577, 448}, {448, 577}, {513, 512}, {700, 1350},
    };
    struct sm_rng r = {seed + 77 * (uint64_t)_i};
    struct nums v;
    struct rlab_components c;
    mpz_inits(v.n, v.e, v.d, v.p, v.q, v.dp, v.dq, v.qinv, NULL);
    mpz_set_ui(v.e, 65537);
    mpz_t *f[2] = {&v.p, &v.q};
    for (int j = 0; j < 2; j++) {
        do {
            mpz_set_ui(*f[j], 1);
            for (unsigned b = 1; b < shapes[_i][j]; b += 32) {
                mpz_mul_2exp(*f[j], *f[j], 32);
                mpz_add_ui(*f[j], *f[j], (unsigned long)(sm_next(&r) >> 32));
            }
            mpz_tdiv_q_2exp(*f[j], *f[j], mpz_sizeinbase(*f[j], 2) - shapes[_i][j]);
            mpz_setbit(*f[j], shapes[_i][j] - 1);
            mpz_nextprime(*f[j], *f[j]);
            mpz_sub_ui(v.d, *f[j], 1);
        } while (mpz_sizeinbase(*f[j], 2) != shapes[_i][j] || mpz_gcd_ui(NULL, v.d, 65537) != 1);
    }
    complete_key(&v);
    nums_to(&c, &v);
    rlab_key *k = NULL;
    ck_assert_int_eq(rlab_key_from_components(be, &c, &k), RLAB_OK);
    raw_all(k, &r);
    rlab_key_free(k);
    rlab_components_clear(&c);
    nums_clear(&v);
}
END_TEST

/* Enough private operations on one key to cross several refreshes of the
 * blinding factors (RLAB_GMP_BLIND_REFRESH). */
START_TEST(blinding_refreshes)
{
    const rlab_key *k = keys[0];
    size_t kl = rlab_key_size(k), l;
    uint8_t x[128], y[128], z[128];
    struct sm_rng r = {seed + 5};
    for (unsigned i = 0; i < 3 * RLAB_GMP_BLIND_REFRESH + 5; i++) {
        sm_fill(&r, x, kl);
        x[0] = 0;
        l = kl;
        ck_assert_int_eq(rlab_raw_private(be, k, x, kl, y, &l), RLAB_OK);
        l = kl;
        ck_assert_int_eq(rlab_raw_public(be, k, y, kl, z, &l), RLAB_OK);
        ck_assert_msg(memcmp(x, z, kl) == 0, "private operation %u wrong", i);
    }
}
END_TEST

static void *thread_ops(void *arg)
{
    struct sm_rng r = {(uint64_t)(uintptr_t)arg};
    const rlab_key *k = keys[0];
    size_t kl = rlab_key_size(k), l;
    uint8_t x[128], y[128], z[128];
    for (int i = 0; i < 40; i++) {
        sm_fill(&r, x, kl);
        x[0] = 0;
        l = kl;
        if (rlab_raw_private(be, k, x, kl, y, &l) != RLAB_OK)
            return (void *)1;
        l = kl;
        if (rlab_raw_public(be, k, y, kl, z, &l) != RLAB_OK || memcmp(x, z, kl) != 0)
            return (void *)1;
    }
    return NULL;
}

START_TEST(threads_share_a_key)
{
    pthread_t t[4];
    for (uintptr_t i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, thread_ops, (void *)(seed + i)), 0);
    for (int i = 0; i < 4; i++) {
        void *res;
        ck_assert_int_eq(pthread_join(t[i], &res), 0);
        ck_assert_msg(res == NULL, "thread %d got a wrong result", i);
    }
}
END_TEST

/* ---- key generation ---------------------------------------------------------- */

START_TEST(keygen_fips_properties)
{
    unsigned bits = sizes[_i], h = bits / 2;
    struct rlab_components c;
    ck_assert_int_eq(rlab_key_to_components(be, keys[_i], &c), RLAB_OK);
    struct nums v;
    nums_from(&v, &c);
    mpz_t t, u, lam;
    mpz_inits(t, u, lam, NULL);

    ck_assert_uint_eq(keys[_i]->bits, bits);
    ck_assert_uint_eq(mpz_sizeinbase(v.n, 2), bits);
    ck_assert_int_eq(mpz_cmp_ui(v.e, 65537), 0);
    mpz_mul(t, v.p, v.q);
    ck_assert(mpz_cmp(t, v.n) == 0);
    mpz_t *pq[2] = {&v.p, &v.q};
    for (int j = 0; j < 2; j++) {
        ck_assert_uint_eq(mpz_sizeinbase(*pq[j], 2), h);
        ck_assert(mpz_tstbit(*pq[j], h - 1) && mpz_tstbit(*pq[j], h - 2));
        ck_assert(mpz_probab_prime_p(*pq[j], 30) > 0);
        mpz_sub_ui(t, *pq[j], 1);
        ck_assert_uint_eq(mpz_gcd_ui(NULL, t, 65537), 1);
    }
    ck_assert_msg(mpz_cmp(v.p, v.q) > 0, "p > q expected");
    /* |p - q| > 2^(nlen/2 - 100) */
    mpz_sub(t, v.p, v.q);
    mpz_abs(t, t);
    mpz_set_ui(u, 0);
    mpz_setbit(u, h - 100);
    ck_assert(mpz_cmp(t, u) > 0);
    /* 2^(nlen/2) < d < lambda(n), e d = 1 mod lambda(n) */
    lambda(lam, v.p, v.q);
    mpz_set_ui(u, 0);
    mpz_setbit(u, h);
    ck_assert(mpz_cmp(v.d, u) > 0);
    ck_assert(mpz_cmp(v.d, lam) < 0);
    mpz_mul(t, v.e, v.d);
    mpz_mod(t, t, lam);
    ck_assert_int_eq(mpz_cmp_ui(t, 1), 0);
    /* CRT values */
    mpz_sub_ui(u, v.p, 1);
    mpz_mod(t, v.d, u);
    ck_assert(mpz_cmp(t, v.dp) == 0);
    mpz_sub_ui(u, v.q, 1);
    mpz_mod(t, v.d, u);
    ck_assert(mpz_cmp(t, v.dq) == 0);
    mpz_mul(t, v.qinv, v.q);
    mpz_mod(t, t, v.p);
    ck_assert_int_eq(mpz_cmp_ui(t, 1), 0);
    ck_assert(mpz_cmp(v.qinv, v.p) < 0);
    /* and import validation agrees */
    rlab_key *k = NULL;
    ck_assert_int_eq(rlab_key_from_components(be, &c, &k), RLAB_OK);
    rlab_key_free(k);

    mpz_clears(t, u, lam, NULL);
    nums_clear(&v);
    rlab_components_clear(&c);
}
END_TEST

START_TEST(keygen_arguments)
{
    rlab_key *k = (rlab_key *)1;
    /* a size the backend cannot make is a skip with its reason */
    ck_assert_int_eq(rlab_keygen(be, 1023, 65537, NULL, &k), RLAB_ERR_UNSUPPORTED);
    ck_assert_ptr_null(k);
    ck_assert_int_eq(rlab_keygen(be, 512, 65537, NULL, &k), RLAB_ERR_UNSUPPORTED);
    ck_assert_int_eq(rlab_keygen(be, RLAB_GMP_MAX_BITS + 2, 65537, NULL, &k), RLAB_ERR_UNSUPPORTED);
    ck_assert_int_eq(rlab_keygen(be, 2048, 3, NULL, &k), RLAB_ERR_INVALID_ARG);
    ck_assert_int_eq(rlab_keygen(be, 2048, 65535, NULL, &k), RLAB_ERR_INVALID_ARG);
    ck_assert_int_eq(rlab_keygen(be, 2048, 65538, NULL, &k), RLAB_ERR_INVALID_ARG);
    ck_assert_ptr_null(k);
    /* a larger odd e is taken */
    ck_assert_int_eq(rlab_keygen(be, 1024, 4294967297ul + 2, NULL, &k), RLAB_OK);
    rlab_key_free(k);
}
END_TEST

START_TEST(keygen_replays_rng)
{
    struct sm_rng r1 = {seed}, r2 = {seed}, r3 = {seed + 1};
    struct rlab_rng g1 = {sm_fill, &r1}, g2 = {sm_fill, &r2}, g3 = {sm_fill, &r3};
    rlab_key *a = NULL, *b = NULL, *c = NULL;
    ck_assert_int_eq(rlab_keygen(be, 1024, 65537, &g1, &a), RLAB_OK);
    ck_assert_int_eq(rlab_keygen(be, 1024, 65537, &g2, &b), RLAB_OK);
    ck_assert_int_eq(rlab_keygen(be, 1024, 65537, &g3, &c), RLAB_OK);
    struct rlab_components ca, cb, cc;
    ck_assert_int_eq(rlab_key_to_components(be, a, &ca), RLAB_OK);
    ck_assert_int_eq(rlab_key_to_components(be, b, &cb), RLAB_OK);
    ck_assert_int_eq(rlab_key_to_components(be, c, &cc), RLAB_OK);
    ck_assert(ca.d.len == cb.d.len && memcmp(ca.d.data, cb.d.data, ca.d.len) == 0);
    ck_assert(ca.n.len == cb.n.len && memcmp(ca.n.data, cb.n.data, ca.n.len) == 0);
    ck_assert(ca.n.len != cc.n.len || memcmp(ca.n.data, cc.n.data, ca.n.len) != 0);
    rlab_components_clear(&ca);
    rlab_components_clear(&cb);
    rlab_components_clear(&cc);
    rlab_key_free(a);
    rlab_key_free(b);
    rlab_key_free(c);
}
END_TEST

/* ---- validation: one broken check at a time --------------------------------- */

static void expect_refused(const struct rlab_components *c, const char *check)
{
    rlab_key *k = (rlab_key *)1;
    rlab_error_clear();
    int rc = rlab_key_from_components(be, c, &k);
    ck_assert_msg(rc == RLAB_ERR_KEY_INVALID, "%s: got %s", check, rlab_errname(rc));
    ck_assert_ptr_null(k);
    ck_assert_msg(strstr(rlab_error_detail(), check) != NULL, "wanted \"%s\", detail is \"%s\"",
                  check, rlab_error_detail());
}

START_TEST(good_key_accepted)
{
    rlab_key *k = NULL;
    ck_assert_int_eq(rlab_key_from_components(be, &good, &k), RLAB_OK);
    ck_assert_int_eq(k->has_private, 1);
    rlab_key_free(k);
    struct rlab_components pub;
    memset(&pub, 0, sizeof pub);
    pub.n = good.n;
    pub.e = good.e;
    ck_assert_int_eq(rlab_key_from_components(be, &pub, &k), RLAB_OK);
    ck_assert_int_eq(k->has_private, 0);
    rlab_key_free(k);
}
END_TEST

/* Small odd prime factors below the validation bound. */
static int has_small_factor(const mpz_t x)
{
    for (unsigned long f = 3; f < 4096; f += 2)
        if (mpz_divisible_ui_p(x, f))
            return 1;
    return 0;
}

/* The public checks, on public keys so that nothing else is involved. */
START_TEST(public_check_breaks)
{
    struct nums v;
    nums_from(&v, &good);
    struct rlab_components c;
    memset(&c, 0, sizeof c);
    const char *check = NULL;
    switch (_i) {
    case 0: /* n even, and no odd small factor to blur the case */
        check = "n is even";
        mpz_sub_ui(v.n, v.n, 1);
        while (has_small_factor(v.n))
            mpz_sub_ui(v.n, v.n, 2);
        break;
    case 1: /* n with a small factor, still odd and of the same size */
        check = "small factor";
        mpz_sub_ui(v.n, v.n, mpz_fdiv_ui(v.n, 3));
        if (mpz_even_p(v.n))
            mpz_sub_ui(v.n, v.n, 3);
        break;
    case 2: /* n of 511 bits */
        check = "modulus must have";
        mpz_tdiv_q_2exp(v.n, v.n, mpz_sizeinbase(v.n, 2) - 511);
        mpz_setbit(v.n, 0);
        while (has_small_factor(v.n))
            mpz_add_ui(v.n, v.n, 2);
        break;
    case 3:
        check = "e is below 3";
        mpz_set_ui(v.e, 1);
        break;
    case 4:
        check = "e is even";
        mpz_set_ui(v.e, 65538);
        break;
    case 5:
        check = "e is not below n";
        mpz_add_ui(v.e, v.n, 2);
        break;
    }
    set_buf(&c.n, v.n);
    set_buf(&c.e, v.e);
    expect_refused(&c, check);
    rlab_components_clear(&c);
    nums_clear(&v);
}
END_TEST

START_TEST(private_check_breaks)
{
    struct nums v;
    nums_from(&v, &good);
    mpz_t lam, t;
    mpz_inits(lam, t, NULL);
    lambda(lam, v.p, v.q);
    const char *check = NULL;
    switch (_i) {
    case 0: /* d >= n, but still e d = 1 mod lambda and the CRT values hold */
        check = "d is not in [1, n)";
        mpz_sub(t, v.n, v.d);
        mpz_cdiv_q(t, t, lam);
        mpz_addmul(v.d, t, lam);
        break;
    case 1:
        check = "p and q must be greater than 1";
        mpz_set(v.q, v.n);
        mpz_set_ui(v.p, 1);
        break;
    case 2:
        check = "p equals q";
        mpz_set(v.q, v.p);
        break;
    case 3:
        check = "n is not p*q";
        mpz_add_ui(v.p, v.p, 2);
        break;
    case 4: /* e changed: d no longer inverts it; everything else holds */
        check = "e*d is not 1 mod lcm(p-1, q-1)";
        mpz_add_ui(v.e, v.e, 2);
        break;
    case 5:
        check = "dp is not d mod (p-1)";
        mpz_add_ui(v.dp, v.dp, 2);
        break;
    case 6:
        check = "dq is not d mod (q-1)";
        mpz_sub_ui(v.dq, v.dq, 2);
        break;
    case 7: /* qinv + p: the same residue, out of range */
        check = "qinv is not in [1, p)";
        mpz_add(v.qinv, v.qinv, v.p);
        break;
    case 8:
        check = "qinv*q is not 1 mod p";
        mpz_add_ui(v.qinv, v.qinv, 1);
        if (mpz_cmp(v.qinv, v.p) >= 0)
            mpz_sub_ui(v.qinv, v.qinv, 2);
        break;
    case 9: /* d wrong, no factors given: recovery cannot work */
        check = "cannot recover p and q";
        mpz_add_ui(v.d, v.d, 2);
        break;
    }
    struct rlab_components c;
    nums_to(&c, &v);
    if (_i == 9) {
        rlab_buf_clear(&c.p);
        rlab_buf_clear(&c.q);
        rlab_buf_clear(&c.dp);
        rlab_buf_clear(&c.dq);
        rlab_buf_clear(&c.qinv);
    }
    expect_refused(&c, check);
    rlab_components_clear(&c);
    mpz_clears(lam, t, NULL);
    nums_clear(&v);
}
END_TEST

/* Import validates too: a PKCS#1 key whose dp is off. */
START_TEST(import_validates)
{
    struct nums v;
    nums_from(&v, &good);
    mpz_add_ui(v.dp, v.dp, 2);
    struct rlab_components c;
    nums_to(&c, &v);
    struct rlab_buf der = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_gmp_der_encode(&c, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, &der), RLAB_OK);
    rlab_key *k = (rlab_key *)1;
    ck_assert_int_eq(rlab_key_import(be, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, der.data, der.len, &k),
                     RLAB_ERR_KEY_INVALID);
    ck_assert_ptr_null(k);
    ck_assert(strstr(rlab_error_detail(), "dp") != NULL);
    rlab_buf_clear(&der);
    rlab_components_clear(&c);
    nums_clear(&v);
}
END_TEST

START_TEST(partial_crt_refused)
{
    struct rlab_components c;
    copy_comp(&c, &good);
    rlab_buf_clear(&c.qinv);
    rlab_key *k = NULL;
    ck_assert_int_eq(rlab_key_from_components(be, &c, &k), RLAB_ERR_INVALID_ARG);
    rlab_components_clear(&c);
    copy_comp(&c, &good);
    rlab_buf_clear(&c.d);
    ck_assert_int_eq(rlab_key_from_components(be, &c, &k), RLAB_ERR_INVALID_ARG);
    rlab_components_clear(&c);
}
END_TEST

/* n, e, d only: p, q (p > q), dp, dq and qinv come back exactly, and the
 * key computes what the full key computes. */
START_TEST(recover_factors)
{
    size_t si = (size_t)_i;
    struct rlab_components full, ned, back;
    ck_assert_int_eq(rlab_key_to_components(be, keys[si], &full), RLAB_OK);
    memset(&ned, 0, sizeof ned);
    ck_assert_int_eq(rlab_buf_set(&ned.n, full.n.data, full.n.len), RLAB_OK);
    ck_assert_int_eq(rlab_buf_set(&ned.e, full.e.data, full.e.len), RLAB_OK);
    ck_assert_int_eq(rlab_buf_set(&ned.d, full.d.data, full.d.len), RLAB_OK);
    rlab_key *k = NULL;
    ck_assert_int_eq(rlab_key_from_components(be, &ned, &k), RLAB_OK);
    ck_assert_int_eq(rlab_key_to_components(be, k, &back), RLAB_OK);
    const struct rlab_buf *a[5] = {&full.p, &full.q, &full.dp, &full.dq, &full.qinv};
    const struct rlab_buf *b[5] = {&back.p, &back.q, &back.dp, &back.dq, &back.qinv};
    for (int j = 0; j < 5; j++)
        ck_assert_msg(a[j]->len == b[j]->len && memcmp(a[j]->data, b[j]->data, a[j]->len) == 0,
                      "component %d differs after recovery", j);
    size_t kl = rlab_key_size(k), l1 = kl, l2 = kl;
    uint8_t x[512], y1[512], y2[512];
    struct sm_rng r = {seed + 9};
    sm_fill(&r, x, kl);
    x[0] = 0;
    ck_assert_int_eq(rlab_raw_private(be, k, x, kl, y1, &l1), RLAB_OK);
    ck_assert_int_eq(rlab_raw_private(be, keys[si], x, kl, y2, &l2), RLAB_OK);
    ck_assert(memcmp(y1, y2, kl) == 0);
    rlab_key_free(k);
    rlab_components_clear(&full);
    rlab_components_clear(&ned);
    rlab_components_clear(&back);
}
END_TEST

/* ---- main ------------------------------------------------------------------- */

static Suite *validate_suite(void)
{
    Suite *s = suite_create("gmp.validate");
    TCase *tc = tcase_create("keys");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, keygen_fips_properties, 0, (int)N_SIZES);
    tcase_add_test(tc, keygen_arguments);
    tcase_add_test(tc, keygen_replays_rng);
    tcase_add_test(tc, good_key_accepted);
    tcase_add_loop_test(tc, public_check_breaks, 0, 6);
    tcase_add_loop_test(tc, private_check_breaks, 0, 10);
    tcase_add_test(tc, import_validates);
    tcase_add_test(tc, partial_crt_refused);
    tcase_add_loop_test(tc, recover_factors, 0, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("raw");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, raw_roundtrip_keygen_sizes, 0, (int)N_SIZES);
    tcase_add_loop_test(tc, raw_roundtrip_unbalanced, 0, 6);
    tcase_add_test(tc, blinding_refreshes);
    tcase_add_test(tc, threads_share_a_key);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    const char *env = getenv("RSALAB_TEST_SEED");
    if (argc > 1)
        seed = strtoull(argv[1], NULL, 0);
    else if (env != NULL)
        seed = strtoull(env, NULL, 0);
    else
        seed = (uint64_t)time(NULL);
    printf("gmp.validate seed %llu (RSALAB_TEST_SEED=%llu replays it)\n",
           (unsigned long long)seed, (unsigned long long)seed);
    fflush(stdout);

    /* The registry runs the backend's init (wiping allocator, prime table). */
    if (rlab_registry_init() == 0 || rlab_backend_find("gmp") != be)
        return 1;
    for (size_t i = 0; i < N_SIZES; i++) {
        struct sm_rng r = {seed + 1000 * i};
        struct rlab_rng g = {sm_fill, &r};
        if (rlab_keygen(be, sizes[i], 65537, &g, &keys[i]) != RLAB_OK) {
            printf("keygen %u failed: %s\n", sizes[i], rlab_error_detail());
            return 1;
        }
    }
    if (rlab_key_to_components(be, keys[0], &good) != RLAB_OK)
        return 1;

    SRunner *sr = srunner_create(validate_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    rlab_components_clear(&good);
    for (size_t i = 0; i < N_SIZES; i++)
        rlab_key_free(keys[i]);
    return failed == 0 ? 0 : 1;
}
