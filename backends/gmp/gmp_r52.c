/*
 * The radix-2^52 engine's portable parts (see gmp_r52.h): conversions, the
 * per-key constants, the exponentiation driver, the reference kernel and the
 * choice of engine.
 *
 * Almost-Montgomery multiplication (AMM), digit-serial, n digits, R = 2^(52 n):
 * for each digit b_i of b, the accumulator takes a b_i, then y m with
 * y = acc_0 (-m^-1) mod 2^52, which clears its low digit; the accumulator
 * then moves down one digit.  Products of two 52-bit digits are split in a
 * low and a high 52-bit half (what vpmadd52luq / vpmadd52huq add): the low
 * halves go to digit j before the move, the high halves to digit j after it
 * (= j + 1 before).  Digits are 64-bit words, so they absorb the sums without
 * carrying (at most 4 n 2^52 + carries < 2^61 for n <= 64); one carry pass
 * at the end brings them back below 2^52.  The result is below 2m for
 * inputs below 2m because 4m < R, so no subtraction is needed between
 * multiplications ("almost" Montgomery); one at the very end.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "base/errors.h"
#include "backends/gmp/gmp_internal.h"
#include "backends/gmp/gmp_r52.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

_Static_assert(_Generic((uint64_t)0, mp_limb_t: 1, default: 0),
               "the radix-2^52 engine needs 64-bit GMP limbs");

#define R52_MASK RLAB_GMP_R52_MASK

/* ---- conversions ------------------------------------------------------ */

/* see gmp_r52.h */
void rlab_gmp_r52_from_limbs(uint64_t *r, size_t n, const mp_limb_t *a, mp_size_t an)
{
    /* digit j is bits [52 j, 52 j + 52): at most two limbs, at public
     * positions */
    for (size_t j = 0; j < n; j++) {
        size_t bit = 52 * j, l = bit / 64, s = bit % 64;
        uint64_t v = 0;
        if (l < (size_t)an)
            v = a[l] >> s;
        if (s > 12 && l + 1 < (size_t)an)
            v |= a[l + 1] << (64 - s);
        r[j] = v & R52_MASK;
    }
}

/* see gmp_r52.h */
void rlab_gmp_r52_to_limbs(mp_limb_t *r, mp_size_t rn, const uint64_t *a, size_t n)
{
    for (mp_size_t i = 0; i < rn; i++) {
        /* limb i is bits [64 i, 64 i + 64): digits lo .. lo + 2 */
        size_t bit = 64 * (size_t)i, d = bit / 52, s = bit % 52;
        uint64_t v = 0;
        if (d < n)
            v = a[d] >> s;
        if (d + 1 < n)
            v |= a[d + 1] << (52 - s);
        if (s > 40 && d + 2 < n)
            v |= a[d + 2] << (104 - s);
        r[i] = v;
    }
}

/* ---- the reference kernel --------------------------------------------- */

typedef unsigned __int128 r52_u128;

static void r52_amm1(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                     uint64_t k0, size_t n, uint64_t *acc)
{
    memset(acc, 0, n * sizeof *acc);
    for (size_t i = 0; i < n; i++) {
        uint64_t bi = b[i];
        for (size_t j = 0; j < n; j++)
            acc[j] += (uint64_t)((r52_u128)a[j] * bi) & R52_MASK;
        uint64_t y = (acc[0] * k0) & R52_MASK;
        for (size_t j = 0; j < n; j++)
            acc[j] += (uint64_t)((r52_u128)m[j] * y) & R52_MASK;
        uint64_t c = acc[0] >> 52;
        for (size_t j = 0; j + 1 < n; j++)
            acc[j] = acc[j + 1];
        acc[n - 1] = 0;
        acc[0] += c;
        for (size_t j = 0; j < n; j++)
            acc[j] += (uint64_t)(((r52_u128)a[j] * bi) >> 52) +
                      (uint64_t)(((r52_u128)m[j] * y) >> 52);
    }
    uint64_t c = 0;
    for (size_t j = 0; j < n; j++) {
        uint64_t t = acc[j] + c;
        r[j] = t & R52_MASK;
        c = t >> 52;
    }
}

static int r52_ref_has(size_t n)
{
    return n > 0 && n % 4 == 0 && n <= RLAB_GMP_R52_MAX_DIGITS;
}

static void r52_ref_amm2(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                         const uint64_t k0[2], size_t n)
{
    uint64_t acc[RLAB_GMP_R52_MAX_DIGITS];
    r52_amm1(r, a, b, m, k0[0], n, acc);
    r52_amm1(r + n, a + n, b + n, m + n, k0[1], n, acc);
    rlab_wipe(acc, sizeof acc);
}

static void r52_ref_sel2(uint64_t *r, const uint64_t *tab, const uint64_t idx[2], size_t n)
{
    for (size_t i = 0; i < 2; i++) {
        uint64_t *ri = r + i * n;
        memset(ri, 0, n * sizeof *ri);
        for (uint64_t e = 0; e < RLAB_GMP_R52_TAB; e++) {
            uint64_t d = e ^ idx[i];
            uint64_t mask = ((d | (0 - d)) >> 63) - 1; /* all ones when e == idx */
            const uint64_t *t = tab + 2 * n * e + i * n;
            for (size_t j = 0; j < n; j++)
                ri[j] |= t[j] & mask;
        }
    }
}

const struct rlab_gmp_r52_kernel rlab_gmp_r52_ref = {
    .name = "r52",
    .has = r52_ref_has,
    .amm2 = r52_ref_amm2,
    .sel2 = r52_ref_sel2,
};

/* ---- per-key constants ------------------------------------------------- */

/* see gmp_r52.h */
size_t rlab_gmp_r52_digits(mp_bitcnt_t bits)
{
    size_t n = ((size_t)bits + 2 + 51) / 52;
    return (n + 3) / 4 * 4;
}

/* -m0^-1 mod 2^52 for odd m0 (Newton, branch-free). */
static uint64_t r52_k0(uint64_t m0)
{
    uint64_t x = m0;
    for (int i = 0; i < 6; i++)
        x *= 2 - m0 * x;
    return (0 - x) & R52_MASK;
}

/* rr = R^2 mod m (n digits), R = 2^(52 n), m of mn limbs: 2^(104 n) as a
 * limb array reduced with mpn_sec_div_r.  0 on NOMEM. */
static int r52_rr(uint64_t *rr, size_t n, const mp_limb_t *m, mp_size_t mn)
{
    mp_size_t tn = (mp_size_t)(104 * n / 64 + 1);
    size_t itch = (size_t)mpn_sec_div_r_itch(tn, mn);
    mp_limb_t *t = rlab_gmp_limbs_alloc((size_t)tn + itch);
    if (t == NULL)
        return 0;
    t[104 * n / 64] = (mp_limb_t)1 << (104 * n % 64);
    mpn_sec_div_r(t, tn, m, mn, t + tn);
    rlab_gmp_r52_from_limbs(rr, n, t, mn);
    rlab_gmp_limbs_free(t, (size_t)tn + itch);
    return 1;
}

/* see gmp_r52.h */
struct rlab_gmp_r52_key *rlab_gmp_r52_key_new(const mp_limb_t *p, mp_size_t pn,
                                              mp_bitcnt_t pbits, const mp_limb_t *q,
                                              mp_size_t qn, mp_bitcnt_t qbits)
{
    struct rlab_gmp_r52_key *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->ebits = pbits > qbits ? pbits : qbits;
    c->en = pn > qn ? pn : qn;
    c->n = rlab_gmp_r52_digits(c->ebits);
    c->mem_words = 4 * c->n;
    c->mem = rlab_gmp_limbs_alloc(c->mem_words);
    if (c->mem == NULL) {
        free(c);
        return NULL;
    }
    size_t n = c->n;
    c->m = c->mem;
    c->rr = c->mem + 2 * n;
    rlab_gmp_r52_from_limbs(c->m, n, p, pn);
    rlab_gmp_r52_from_limbs(c->m + n, n, q, qn);
    c->k0[0] = r52_k0(p[0]);
    c->k0[1] = r52_k0(q[0]);
    if (!r52_rr(c->rr, n, p, pn) || !r52_rr(c->rr + n, n, q, qn)) {
        rlab_gmp_r52_key_free(c);
        return NULL;
    }
    return c;
}

/* see gmp_r52.h */
void rlab_gmp_r52_key_free(struct rlab_gmp_r52_key *c)
{
    if (c == NULL)
        return;
    rlab_gmp_limbs_free(c->mem, c->mem_words);
    rlab_wipe(c, sizeof *c);
    free(c);
}

/* ---- the dual exponentiation ------------------------------------------- */

/* Words before the 64-byte aligned start, then table (TAB entries of 2 n),
 * acc, t, one, x (2 n each). */
#define R52_ALIGN_WORDS 8

/* see gmp_r52.h */
size_t rlab_gmp_r52_itch(const struct rlab_gmp_r52_key *c)
{
    return R52_ALIGN_WORDS + 2 * c->n * (RLAB_GMP_R52_TAB + 4);
}

/* Bits [pos, pos + w) of {e, en} (zero beyond), w <= 8.  pos and en are
 * public; the value is not used for any branch or index. */
static uint64_t r52_window(const mp_limb_t *e, mp_size_t en, mp_bitcnt_t pos, unsigned w)
{
    size_t l = pos / 64, s = pos % 64;
    uint64_t v = 0;
    if (l < (size_t)en)
        v = e[l] >> s;
    if (s + w > 64 && l + 1 < (size_t)en)
        v |= e[l + 1] << (64 - s);
    return v & ((UINT64_C(1) << w) - 1);
}

/* a = a - m when a >= m (n digits below 2^52 each), by a mask. */
static void r52_cond_sub(uint64_t *a, const uint64_t *m, size_t n)
{
    uint64_t borrow = 0;
    uint64_t t[RLAB_GMP_R52_MAX_DIGITS];
    for (size_t j = 0; j < n; j++) {
        uint64_t d = a[j] - m[j] - borrow;
        t[j] = d & R52_MASK;
        borrow = d >> 63;
    }
    uint64_t keep = 0 - borrow; /* all ones when a < m */
    for (size_t j = 0; j < n; j++)
        a[j] = (a[j] & keep) | (t[j] & ~keep);
    rlab_wipe(t, sizeof t);
}

/* see gmp_r52.h */
void rlab_gmp_r52_powm2(const struct rlab_gmp_r52_kernel *kn, const struct rlab_gmp_r52_key *c,
                        mp_limb_t *sp, const mp_limb_t *xp, const mp_limb_t *ep, mp_size_t pn,
                        mp_limb_t *sq, const mp_limb_t *xq, const mp_limb_t *eq, mp_size_t qn,
                        uint64_t *ws)
{
    size_t n = c->n, n2 = 2 * n;
    uint64_t *tab = ws + (R52_ALIGN_WORDS - ((uintptr_t)ws / 8) % R52_ALIGN_WORDS) %
                             R52_ALIGN_WORDS;
    uint64_t *acc = tab + n2 * RLAB_GMP_R52_TAB, *t = acc + n2, *one = t + n2, *x = one + n2;
    const uint64_t *m = c->m;
    uint64_t idx[2];

    memset(one, 0, n2 * sizeof *one);
    one[0] = one[n] = 1;
    rlab_gmp_r52_from_limbs(x, n, xp, pn);
    rlab_gmp_r52_from_limbs(x + n, n, xq, qn);

    /* table: entry j = x^j R mod m (almost) */
    kn->amm2(tab, c->rr, one, m, c->k0, n);
    kn->amm2(tab + n2, x, c->rr, m, c->k0, n);
    for (size_t j = 2; j < RLAB_GMP_R52_TAB; j++)
        kn->amm2(tab + n2 * j, tab + n2 * (j - 1), tab + n2, m, c->k0, n);

    /* windows from the top; the first one holds the leftover bits */
    mp_bitcnt_t eb = c->ebits;
    mp_bitcnt_t nwin = (eb + RLAB_GMP_R52_WIN - 1) / RLAB_GMP_R52_WIN;
    mp_bitcnt_t pos = (nwin - 1) * RLAB_GMP_R52_WIN;
    unsigned w0 = (unsigned)(eb - pos);
    idx[0] = r52_window(ep, pn, pos, w0);
    idx[1] = r52_window(eq, qn, pos, w0);
    kn->sel2(acc, tab, idx, n);
    while (pos > 0) {
        pos -= RLAB_GMP_R52_WIN;
        for (unsigned s = 0; s < RLAB_GMP_R52_WIN; s++)
            kn->amm2(acc, acc, acc, m, c->k0, n);
        idx[0] = r52_window(ep, pn, pos, RLAB_GMP_R52_WIN);
        idx[1] = r52_window(eq, qn, pos, RLAB_GMP_R52_WIN);
        kn->sel2(t, tab, idx, n);
        kn->amm2(acc, acc, t, m, c->k0, n);
    }

    /* out of Montgomery form: acc R^-1 <= m; then below m */
    kn->amm2(acc, acc, one, m, c->k0, n);
    r52_cond_sub(acc, m, n);
    r52_cond_sub(acc + n, m + n, n);
    rlab_gmp_r52_to_limbs(sp, pn, acc, n);
    rlab_gmp_r52_to_limbs(sq, qn, acc + n, n);
    idx[0] = idx[1] = 0;
    rlab_wipe(ws, rlab_gmp_r52_itch(c) * sizeof *ws);
}

/* ---- choosing the engine ----------------------------------------------- */

static int r52_cpu_check(void)
{
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) /* OSXSAVE */
        return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    /* SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM state enabled by the OS */
    if ((lo & 0xe6u) != 0xe6u)
        return 0;
    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    unsigned need = (1u << 16) | (1u << 21) | (1u << 31); /* AVX512F, IFMA, VL */
    return (b & need) == need;
#else
    return 0;
#endif
}

static pthread_once_t r52_once = PTHREAD_ONCE_INIT;
static int r52_has_ifma;
static rlab_gmp_engine_id r52_engine = RLAB_GMP_ENGINE_MPN;
static const char *r52_bad; /* the environment asked for what we lack */
static _Thread_local int r52_thread = -1; /* rlab_gmp_engine_thread */

static void r52_choose(void)
{
    r52_has_ifma = rlab_gmp_r52_ifma != NULL && r52_cpu_check();
    r52_engine = r52_has_ifma ? RLAB_GMP_ENGINE_IFMA : RLAB_GMP_ENGINE_MPN;
    const char *env = getenv("RSALAB_GMP_ENGINE");
    if (env == NULL || *env == '\0' || strcmp(env, "auto") == 0)
        return;
    if (strcmp(env, "mpn") == 0)
        r52_engine = RLAB_GMP_ENGINE_MPN;
    else if (strcmp(env, "r52") == 0)
        r52_engine = RLAB_GMP_ENGINE_R52;
    else if (strcmp(env, "ifma") == 0 && r52_has_ifma)
        r52_engine = RLAB_GMP_ENGINE_IFMA;
    else if (strcmp(env, "ifma") == 0)
        r52_bad = rlab_gmp_r52_ifma == NULL
                      ? "RSALAB_GMP_ENGINE=ifma, but this build has no IFMA kernel"
                      : "RSALAB_GMP_ENGINE=ifma, but this CPU or OS lacks AVX-512 IFMA/VL";
    else
        r52_bad = "RSALAB_GMP_ENGINE is not one of mpn, r52, ifma, auto";
}

/* see gmp_r52.h */
int rlab_gmp_cpu_has_ifma(void)
{
    pthread_once(&r52_once, r52_choose);
    return r52_has_ifma;
}

/* see gmp_r52.h */
int rlab_gmp_engine(rlab_gmp_engine_id *id)
{
    pthread_once(&r52_once, r52_choose);
    if (r52_thread >= 0) {
        *id = (rlab_gmp_engine_id)r52_thread;
        return RLAB_OK;
    }
    *id = r52_engine;
    if (r52_bad != NULL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "gmp: %s", r52_bad);
    return RLAB_OK;
}

/* see gmp_r52.h */
int rlab_gmp_engine_set(rlab_gmp_engine_id id)
{
    pthread_once(&r52_once, r52_choose);
    if (id == RLAB_GMP_ENGINE_IFMA && !r52_has_ifma)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "gmp: no AVX-512 IFMA here");
    r52_engine = id;
    r52_bad = NULL;
    return RLAB_OK;
}

/* see gmp_r52.h */
int rlab_gmp_engine_thread(int id)
{
    int prev = r52_thread;
    r52_thread = id;
    return prev;
}

/* see gmp_r52.h */
const char *rlab_gmp_engine_name(void)
{
    pthread_once(&r52_once, r52_choose);
    if (r52_bad != NULL)
        return "unavailable";
    switch (r52_engine) {
    case RLAB_GMP_ENGINE_R52:
        return "r52";
    case RLAB_GMP_ENGINE_IFMA:
        return "ifma";
    default:
        return "mpn";
    }
}
