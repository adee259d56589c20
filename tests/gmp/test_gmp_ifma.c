/*
 * gmp.ifma: the radix-2^52 engine (gmp_r52.h) against GMP.
 *
 * For each prime size of the engine (1024, 1536, 2048 bits: the halves of
 * 2048-, 3072- and 4096-bit keys), on random odd moduli and edge moduli
 * (2^B - 1, 2^(B-1) + 1, a modulus one bit shorter than its partner):
 *   - the dual exponentiation with the IFMA kernel against mpz_powm and
 *     mpn_sec_powm, COUNT inputs per size (two per dual call): random bases
 *     and edge bases (0, 1, 2, m - 1, m - 2, 2^(52 k) - 1, 2^(52 k),
 *     2^(52 k) + 1, all digits 2^52 - 1 up to m), exponents mostly short
 *     (the engine's exponent length is set per test, so the arithmetic is at
 *     full size either way), one in 250 of the prime's full length, and the
 *     largest exponent (all ones);
 *   - the same inputs through the portable kernel (one in 16), which must
 *     agree with IFMA;
 *   - the almost-Montgomery multiplication itself, both kernels, on random
 *     operands below 2m: equal outputs, digits below 2^52, the result below
 *     2^(52 n) and congruent to a b R^-1 mod m;
 *   - the table look-up, both kernels, for every pair of indices on random
 *     tables: the right entry for each modulus (with n = 20 one vector of
 *     the IFMA kernel holds digits of both).
 * COUNT is 100000 (5000 in a sanitizer build: RSALAB_TEST_SANITIZE), or
 * argv[2].  The seed is argv[1], RSALAB_TEST_SEED or the clock, and is
 * printed.  Without AVX-512 IFMA the portable kernel is checked alone and the
 * test exits 77 (skipped) saying so.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gmp.h>

#include "backends/gmp/gmp_internal.h"
#include "backends/gmp/gmp_r52.h"

#ifdef RSALAB_TEST_SANITIZE
#define DEFAULT_COUNT 5000ul
#else
#define DEFAULT_COUNT 100000ul
#endif

#define MAXL 40 /* limbs of the largest prime (2048 bits) + slack */

static uint64_t rng_state;
static unsigned long failures, checks;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void fail(const char *what, unsigned bits, unsigned long i)
{
    if (failures < 20)
        printf("FAIL %s: %u-bit prime, case %lu\n", what, bits, i);
    failures++;
}

/* Random value of exactly `bits` bits (top bit set) in {r, rn}. */
static void rnd_bits(mp_limb_t *r, mp_size_t rn, unsigned bits)
{
    for (mp_size_t i = 0; i < rn; i++)
        r[i] = 0;
    for (unsigned i = 0; i < (bits + 63) / 64; i++)
        r[i] = rnd();
    if (bits % 64)
        r[(bits - 1) / 64] &= (~(mp_limb_t)0) >> (64 - bits % 64);
    r[(bits - 1) / 64] |= (mp_limb_t)1 << ((bits - 1) % 64);
}

/* Random value below m (rn limbs): random limbs reduced with mpz. */
static void rnd_below(mp_limb_t *r, const mp_limb_t *m, mp_size_t rn)
{
    mpz_t a, mz;
    mpz_init(a);
    mpz_roinit_n(mz, m, rn);
    mp_limb_t t[2 * MAXL];
    for (mp_size_t i = 0; i < rn + 1; i++)
        t[i] = rnd();
    mpz_import(a, (size_t)rn + 1, -1, sizeof(mp_limb_t), 0, 0, t);
    /* sometimes a short value */
    if (rnd() % 8 == 0)
        mpz_tdiv_q_2exp(a, a, (mp_bitcnt_t)(rnd() % ((uint64_t)rn * 64)));
    mpz_mod(a, a, mz);
    memset(r, 0, (size_t)rn * sizeof *r);
    mpz_export(r, NULL, -1, sizeof(mp_limb_t), 0, 0, a);
    mpz_clear(a);
}

/* Edge base number `which` for modulus m: returns 0 when it is not below m
 * (then the caller draws a random one). */
static int edge_base(mp_limb_t *r, const mp_limb_t *m, mp_size_t rn, unsigned which)
{
    mpz_t a, mz;
    mpz_init(a);
    mpz_roinit_n(mz, m, rn);
    unsigned k = which / 5 + 1;
    switch (which % 5) {
    case 0: mpz_set_ui(a, which / 5); break;          /* 0, 1, 2, ... */
    case 1: mpz_sub_ui(a, mz, which / 5 + 1); break;  /* m - 1, m - 2, ... */
    case 2: mpz_setbit(a, 52 * k); mpz_sub_ui(a, a, 1); break; /* 2^52k - 1 */
    case 3: mpz_setbit(a, 52 * k); break;
    default: mpz_setbit(a, 52 * k); mpz_add_ui(a, a, 1); break;
    }
    int ok = mpz_sgn(a) >= 0 && mpz_cmp(a, mz) < 0;
    memset(r, 0, (size_t)rn * sizeof *r);
    if (ok)
        mpz_export(r, NULL, -1, sizeof(mp_limb_t), 0, 0, a);
    mpz_clear(a);
    return ok;
}

/* r = x^e mod m with mpz_powm (e: en limbs). */
static void ref_powm(mp_limb_t *r, const mp_limb_t *x, const mp_limb_t *e, mp_size_t en,
                     const mp_limb_t *m, mp_size_t mn)
{
    mpz_t a, xz, ez, mz;
    mpz_init(a);
    mpz_roinit_n(xz, x, mn);
    mpz_roinit_n(ez, e, en);
    mpz_roinit_n(mz, m, mn);
    mpz_powm(a, xz, ez, mz);
    memset(r, 0, (size_t)mn * sizeof *r);
    mpz_export(r, NULL, -1, sizeof(mp_limb_t), 0, 0, a);
    mpz_clear(a);
}

/* The AMM on random operands below 2m: kernels agree, and the value is
 * a b R^-1 mod m, below 2^(52 n). */
static void check_amm(const struct rlab_gmp_r52_kernel *kn, const struct rlab_gmp_r52_key *c,
                      const mp_limb_t *mods[2], mp_size_t mn, unsigned bits, unsigned long count)
{
    size_t n = c->n;
    uint64_t a[2 * 64], b[2 * 64], r1[2 * 64], r2[2 * 64];
    mpz_t az, bz, rz, mz, t;
    mpz_inits(az, bz, rz, t, NULL);
    for (unsigned long i = 0; i < count; i++) {
        for (int k = 0; k < 2; k++) {
            mp_limb_t x[MAXL + 1];
            mpz_roinit_n(mz, mods[k], mn);
            for (int s = 0; s < 2; s++) {
                /* below 2m: random limbs mod 2m, edges now and then */
                mpz_mul_2exp(t, mz, 1);
                mpz_set_ui(az, 0);
                for (mp_size_t l = 0; l <= mn; l++) {
                    mpz_mul_2exp(az, az, 64);
                    mpz_add_ui(az, az, (unsigned long)rnd());
                }
                mpz_mod(az, az, t);
                if (i % 97 == 0)
                    mpz_sub_ui(az, t, 1 + s);
                memset(x, 0, sizeof x);
                mpz_export(x, NULL, -1, sizeof(mp_limb_t), 0, 0, az);
                rlab_gmp_r52_from_limbs((s ? b : a) + k * n, n, x, mn + 1);
            }
        }
        if (kn != NULL)
            kn->amm2(r1, a, b, c->m, c->k0, n);
        rlab_gmp_r52_ref.amm2(r2, a, b, c->m, c->k0, n);
        checks++;
        if (kn != NULL && memcmp(r1, r2, 2 * n * sizeof *r1) != 0)
            fail("amm: IFMA and portable kernels differ", bits, i);
        for (int k = 0; k < 2; k++) {
            mp_limb_t x[MAXL + 2], y[MAXL + 2], z[MAXL + 2];
            int bad = 0;
            for (size_t j = 0; j < n; j++)
                bad |= r2[k * n + j] > RLAB_GMP_R52_MASK;
            rlab_gmp_r52_to_limbs(x, mn + 1, a + k * n, n);
            rlab_gmp_r52_to_limbs(y, mn + 1, b + k * n, n);
            rlab_gmp_r52_to_limbs(z, mn + 1, r2 + k * n, n);
            mpz_roinit_n(mz, mods[k], mn);
            mpz_import(az, (size_t)mn + 1, -1, sizeof(mp_limb_t), 0, 0, x);
            mpz_import(bz, (size_t)mn + 1, -1, sizeof(mp_limb_t), 0, 0, y);
            mpz_import(rz, (size_t)mn + 1, -1, sizeof(mp_limb_t), 0, 0, z);
            /* r R = a b mod m */
            mpz_mul_2exp(t, rz, 52 * n);
            mpz_submul(t, az, bz);
            mpz_mod(t, t, mz);
            bad |= mpz_sgn(t) != 0;
            mpz_mul_2exp(t, mz, 1);
            bad |= mpz_cmp(rz, t) >= 0; /* below 2m */
            if (bad)
                fail("amm: wrong value", bits, i);
        }
    }
    mpz_clears(az, bz, rz, t, NULL);
}

/* The table look-up, both kernels, on random tables: for every pair of
 * indices of a few tables, entry idx[0] of modulus 0 and entry idx[1] of
 * modulus 1, and nothing of the other entries. */
static void check_sel(const struct rlab_gmp_r52_kernel *kn, size_t n, unsigned bits)
{
    size_t words = 2 * n * RLAB_GMP_R52_TAB;
    uint64_t *tab = malloc(words * sizeof *tab);
    uint64_t r1[2 * 64], r2[2 * 64];
    if (tab == NULL) {
        fail("look-up: out of memory", bits, 0);
        return;
    }
    for (unsigned long rep = 0; rep < 4; rep++) {
        for (size_t j = 0; j < words; j++)
            tab[j] = rnd() & RLAB_GMP_R52_MASK;
        for (uint64_t i0 = 0; i0 < RLAB_GMP_R52_TAB; i0++) {
            for (uint64_t i1 = 0; i1 < RLAB_GMP_R52_TAB; i1++) {
                const uint64_t idx[2] = {i0, i1};
                rlab_gmp_r52_ref.sel2(r2, tab, idx, n);
                checks++;
                if (memcmp(r2, tab + 2 * n * i0, n * sizeof *r2) != 0 ||
                    memcmp(r2 + n, tab + 2 * n * i1 + n, n * sizeof *r2) != 0)
                    fail("look-up: portable kernel picks the wrong entry", bits, rep);
                if (kn == NULL)
                    continue;
                memset(r1, 0xa5, sizeof r1);
                kn->sel2(r1, tab, idx, n);
                if (memcmp(r1, r2, 2 * n * sizeof *r1) != 0)
                    fail("look-up: IFMA and portable kernels differ", bits, rep);
            }
        }
    }
    free(tab);
}

/* One pair of moduli (m0: mn limbs, b0 bits; m1, b1 bits). */
static void check_pair(const struct rlab_gmp_r52_kernel *kn, const mp_limb_t *m0, unsigned b0,
                       const mp_limb_t *m1, unsigned b1, mp_size_t mn, unsigned long count,
                       unsigned long *done)
{
    unsigned bits = b0 > b1 ? b0 : b1;
    struct rlab_gmp_r52_key *c = rlab_gmp_r52_key_new(m0, mn, b0, m1, mn, b1);
    if (c == NULL) {
        fail("key constants: out of memory", bits, 0);
        return;
    }
    const mp_limb_t *mods[2] = {m0, m1};
    check_amm(kn, c, mods, mn, bits, count / 50 + 1);
    check_sel(kn, c->n, bits);

    mp_bitcnt_t full = c->ebits;
    uint64_t *ws = calloc(rlab_gmp_r52_itch(c), sizeof *ws);
    mp_size_t itch = mpn_sec_powm_itch(mn, full, mn);
    mp_limb_t *tp = calloc((size_t)itch, sizeof *tp);
    mp_limb_t x[2][MAXL], e[2][MAXL], s1[2][MAXL], s2[2][MAXL], s3[2][MAXL], ref[2][MAXL];
    for (unsigned long i = 0; i < count / 2; i++) {
        /* exponent length: short, full length one in 250, all ones one in
         * 1000 */
        mp_bitcnt_t eb = 1 + rnd() % 80;
        int ones = i % 1000 == 7;
        if (i % 250 == 3 || ones || i == 0)
            eb = full;
        c->ebits = eb;
        for (int k = 0; k < 2; k++) {
            const mp_limb_t *m = mods[k];
            if (i % 4 != 0 || !edge_base(x[k], m, mn, (unsigned)(i / 4 % 64)))
                rnd_below(x[k], m, mn);
            memset(e[k], 0, sizeof e[k]);
            for (mp_bitcnt_t l = 0; l < (eb + 63) / 64; l++)
                e[k][l] = ones ? ~(mp_limb_t)0 : rnd();
            if (eb % 64)
                e[k][(eb - 1) / 64] &= (~(mp_limb_t)0) >> (64 - eb % 64);
            if (i % 5 == 0) /* the top bit set: the leading window is not empty */
                e[k][(eb - 1) / 64] |= (mp_limb_t)1 << ((eb - 1) % 64);
            ref_powm(ref[k], x[k], e[k], mn, m, mn);
        }
        if (kn != NULL) {
            rlab_gmp_r52_powm2(kn, c, s1[0], x[0], e[0], mn, s1[1], x[1], e[1], mn, ws);
            for (int k = 0; k < 2; k++) {
                checks++;
                if (mpn_cmp(s1[k], ref[k], mn) != 0)
                    fail("IFMA dual exponentiation differs from mpz_powm", bits, i);
            }
        }
        if (kn == NULL || i % 16 == 0) {
            rlab_gmp_r52_powm2(&rlab_gmp_r52_ref, c, s2[0], x[0], e[0], mn, s2[1], x[1], e[1],
                               mn, ws);
            for (int k = 0; k < 2; k++) {
                checks++;
                if (mpn_cmp(s2[k], ref[k], mn) != 0)
                    fail("portable dual exponentiation differs from mpz_powm", bits, i);
            }
        }
        for (int k = 0; k < 2; k++) {
            /* mpn_sec_powm wants B^E > 0 */
            if (mpn_zero_p(x[k], mn) || mpn_zero_p(e[k], mn))
                continue;
            mpn_sec_powm(s3[k], x[k], mn, e[k], eb, mods[k], mn, tp);
            checks++;
            if (mpn_cmp(s3[k], kn != NULL ? s1[k] : s2[k], mn) != 0)
                fail("dual exponentiation differs from mpn_sec_powm", bits, i);
        }
        *done += 2;
    }
    c->ebits = full;
    free(ws);
    free(tp);
    rlab_gmp_r52_key_free(c);
}

int main(int argc, char **argv)
{
    uint64_t seed;
    const char *s = argc > 1 ? argv[1] : getenv("RSALAB_TEST_SEED");
    if (s != NULL && *s != '\0')
        seed = strtoull(s, NULL, 0);
    else
        seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
    unsigned long count = argc > 2 ? strtoul(argv[2], NULL, 0) : DEFAULT_COUNT;
    printf("gmp.ifma: seed %" PRIu64 " (RSALAB_TEST_SEED=%" PRIu64 " reproduces), %lu inputs "
           "per size\n", seed, seed, count);
    rng_state = seed;
    rlab_gmp_mem_install();

    const struct rlab_gmp_r52_kernel *kn = NULL;
    if (rlab_gmp_r52_ifma != NULL && rlab_gmp_cpu_has_ifma())
        kn = rlab_gmp_r52_ifma;
    else
        printf("gmp.ifma: no AVX-512 IFMA on this machine: checking the portable kernel only\n");

    static const unsigned sizes[] = {1024, 1536, 2048};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        unsigned B = sizes[z];
        mp_size_t mn = B / 64;
        if (kn != NULL && !kn->has(rlab_gmp_r52_digits(B))) {
            fail("the IFMA kernel lacks this size", B, 0);
            continue;
        }
        /* 6 pairs: random, random; 2^B - 1 with 2^(B-1) + 1; a random modulus
         * with one a bit shorter; per pair count / 6 inputs */
        unsigned long done = 0;
        for (int pair = 0; pair < 6; pair++) {
            mp_limb_t m0[MAXL], m1[MAXL];
            unsigned b1 = B;
            rnd_bits(m0, mn, B);
            if (pair == 4) {
                memset(m0, 0xff, sizeof m0);
                memset(m1, 0, sizeof m1);
                m1[0] = 1;
                m1[mn - 1] = (mp_limb_t)1 << 63;
            } else {
                if (pair == 5)
                    b1 = B - 3;
                rnd_bits(m1, mn, b1);
            }
            m0[0] |= 1;
            m1[0] |= 1;
            unsigned long per = count / 6 + (pair < (int)(count % 6) ? 1 : 0);
            check_pair(kn, m0, B, m1, b1, mn, per + (per & 1), &done);
        }
        printf("gmp.ifma: %u-bit primes (%zu digits): %lu exponentiations checked\n", B,
               rlab_gmp_r52_digits(B), done);
    }
    printf("gmp.ifma: %lu checks, %lu failures: %s\n", checks, failures,
           failures == 0 ? "passed" : "FAILED");
    if (failures != 0)
        return 1;
    if (kn == NULL) {
        printf("gmp.ifma: skipped: the IFMA kernel could not run here (the portable one "
               "passed)\n");
        return 77;
    }
    return 0;
}
