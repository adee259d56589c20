/*
 * The AVX-512 IFMA kernel of the radix-2^52 engine (see gmp_r52.h, and
 * gmp_r52.c for the algorithm): dual almost-Montgomery multiplication and
 * the dual constant-time table look-up, for 20, 32 and 40 digits (primes of
 * 1024, 1536 and 2048 bits, the halves of 2048-, 3072- and 4096-bit keys).
 *
 * This is the only file of the project with AVX-512 code, and only in the
 * functions marked R52_IFMA (a function-level target attribute, so the rest
 * of the build, and the code that decides whether to call this, stays
 * baseline x86-64).  They run only after rlab_gmp_cpu_has_ifma() said yes.
 *
 * Layout: the kernel's operands are pairs, modulus 0's n digits then
 * modulus 1's, 2 n words in a row; it reads them as W = n / 4 zmm vectors of
 * eight lanes and keeps the two accumulators the same way (W registers), so
 * every multiply-add serves both moduli.  With n = 20 vector 2 holds digits
 * 16-19 of modulus 0 (lanes 0-3) and 0-3 of modulus 1 (lanes 4-7): its
 * multipliers are blends, and its shift is masked.  The multiplicands a and
 * m stay in registers (2 W more); at n = 40 the compiler keeps some in
 * memory.
 *
 * Per step i, modulus k (acc = the accumulator, acc_0 its low digit, kept in
 * a scalar register as well so that y comes from the integer unit):
 *   t = acc_0 + lo52(a_0 b_i);  y = t k0 mod 2^52
 *   acc += lo52(a b_i) + lo52(m y)     (vpmadd52luq, into acc)
 *   acc >>= one digit                   (valignq; the low digit, = c 2^52, goes)
 *   acc += hi52(a b_i) + hi52(m y)     (vpmadd52huq into a fresh register,
 *                                        then one add)
 *   acc_0 = digit 1 before the step + lo52(a_1 b_i) + lo52(m_1 y)
 *           + hi52(a_0 b_i) + ((t + m_0 y) >> 52)
 * The vector lane 0 never receives the carry c: it is dropped at the next
 * step's shift, and the scalar copy carries the right value.  lo52(a_0 b_i)
 * and lo52(a_1 b_i) + hi52(a_0 b_i) are computed for all i before the
 * steps, with vector multiply-adds.  At the end one carry pass brings the digits below 2^52.
 *
 * Constant time: the only branches are on i and on the digit count; no
 * memory address depends on a value.  The look-up loads every table entry
 * whole and keeps one per modulus with an AND against a mask vector built
 * from a compare of the secret index; no masked load or store anywhere
 * (a "load, then masked move" is written as an AND because the compiler may
 * turn it into a masked load).
 */
#include <stddef.h>
#include <stdint.h>

#include "backends/gmp/gmp_r52.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RLAB_GMP_HAVE_IFMA 1
#endif

#ifdef RLAB_GMP_HAVE_IFMA

#include <immintrin.h>

#define R52_IFMA __attribute__((target("avx512f,avx512vl,avx512ifma")))
#define R52_INLINE static inline __attribute__((always_inline)) R52_IFMA
#define R52_WMAX 10 /* vectors of 2 x 40 digits */

typedef unsigned __int128 ifma_u128;

/* One step of one modulus: the scalar side.  Given acc_0 (x0) and digit 1
 * (x1) at the start of the step, lo(a_0 b_i) (pl) and lo(a_1 b_i) +
 * hi(a_0 b_i) (ph), both from the vector unit, the digit y and acc_0 after
 * the step. */
R52_INLINE uint64_t ifma_step_scalar(uint64_t x0, uint64_t x1, uint64_t pl, uint64_t ph,
                                     uint64_t m0, uint64_t m1, uint64_t k0, uint64_t *y)
{
    const uint64_t mask = RLAB_GMP_R52_MASK;
    uint64_t t = x0 + pl;
    uint64_t yy = (t * k0) & mask;
    ifma_u128 pm = (ifma_u128)m0 * yy;
    /* the carry out of digit 0 (no 128-bit sum: gcc would spill it) */
    uint64_t c = (t + ((uint64_t)pm & mask)) >> 52;
    *y = yy;
    return x1 + ph + ((m1 * yy) & mask) + (uint64_t)(pm >> 52) + c;
}

/* Digit 1 of modulus 1's accumulator: lane n + 1, in vector n / 8, lane 1
 * (n = 32, 40) or lane 5 (n = 20). */
R52_INLINE uint64_t ifma_q_digit1(__m512i v, const size_t n)
{
    if (n % 8 == 0)
        return (uint64_t)_mm_extract_epi64(_mm512_castsi512_si128(v), 1);
    return (uint64_t)_mm_extract_epi64(_mm512_extracti32x4_epi32(v, 2), 1);
}

/* Per vector v of a pair of n-digit numbers (2 n / 8 vectors): the lanes
 * below n belong to modulus 0, the others to modulus 1.  With n = 20 the
 * vector n / 8 = 2 holds both (lanes 0-3 and 4-7). */
#define IFMA_MIXED(n, v) ((n) % 8 != 0 && (v) == (n) / 8)
#define IFMA_OF_Q(n, v) (8 * (v) >= (n))
#define IFMA_Q_LANES ((__mmask8)0xf0)

/* A vector of the value for modulus 0 in its lanes and modulus 1 in its. */
R52_INLINE __m512i ifma_pick(__m512i p, __m512i q, const size_t n, const size_t v)
{
    if (IFMA_MIXED(n, v))
        return _mm512_mask_blend_epi64(IFMA_Q_LANES, p, q);
    return IFMA_OF_Q(n, v) ? q : p;
}

/* One dual multiplication of two n-digit numbers (n = 20, 32, 40): the
 * accumulators of both moduli are one array of 2 n lanes, W = n / 4 vectors
 * of eight, laid out like the operands in memory (modulus 0's digits, then
 * modulus 1's), so a, m and r are read and written as they are. */
R52_INLINE void ifma_amm2(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                          const uint64_t k0[2], const size_t n)
{
    const size_t W = n / 4;
    const uint64_t mask = RLAB_GMP_R52_MASK;
    __m512i acc[R52_WMAX], av[R52_WMAX], mv[R52_WMAX];
    const uint64_t *a1 = a + n, *m1 = m + n, *b1 = b + n;
    const __m512i zero = _mm512_setzero_si512();
    uint64_t x0 = 0, z0 = 0, yx, yz;

#pragma GCC unroll 16
    for (size_t v = 0; v < W; v++) {
        acc[v] = zero;
        av[v] = _mm512_loadu_si512((const void *)(a + 8 * v));
        mv[v] = _mm512_loadu_si512((const void *)(m + 8 * v));
    }
    /* the scalar side's products of b: lo(a_0 b_i) in pl, lo(a_1 b_i) +
     * hi(a_0 b_i) in ph, for every digit of both moduli at once */
    uint64_t pl[2 * RLAB_GMP_R52_MAX_DIGITS] __attribute__((aligned(64)));
    uint64_t ph[2 * RLAB_GMP_R52_MAX_DIGITS] __attribute__((aligned(64)));
    {
        const __m512i a0x = _mm512_set1_epi64((long long)a[0]);
        const __m512i a0z = _mm512_set1_epi64((long long)a1[0]);
        const __m512i a1x = _mm512_set1_epi64((long long)a[1]);
        const __m512i a1z = _mm512_set1_epi64((long long)a1[1]);
#pragma GCC unroll 16
        for (size_t v = 0; v < W; v++) {
            __m512i bv = _mm512_loadu_si512((const void *)(b + 8 * v));
            __m512i c0 = ifma_pick(a0x, a0z, n, v);
            __m512i c1 = ifma_pick(a1x, a1z, n, v);
            _mm512_store_si512((void *)(pl + 8 * v), _mm512_madd52lo_epu64(zero, bv, c0));
            _mm512_store_si512((void *)(ph + 8 * v),
                               _mm512_madd52hi_epu64(_mm512_madd52lo_epu64(zero, bv, c1), bv, c0));
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t bx = b[i], bz = b1[i];
        uint64_t x1 = (uint64_t)_mm_extract_epi64(_mm512_castsi512_si128(acc[0]), 1);
        uint64_t z1 = ifma_q_digit1(acc[n / 8], n);
        x0 = ifma_step_scalar(x0, x1, pl[i], ph[i], m[0], m[1], k0[0], &yx);
        z0 = ifma_step_scalar(z0, z1, pl[n + i], ph[n + i], m1[0], m1[1], k0[1], &yz);
        const __m512i bpx = _mm512_set1_epi64((long long)bx);
        const __m512i bpz = _mm512_set1_epi64((long long)bz);
        const __m512i ypx = _mm512_set1_epi64((long long)yx);
        const __m512i ypz = _mm512_set1_epi64((long long)yz);
        /* the low halves into the accumulator, the high halves into fresh
         * registers: the accumulator's chain per step is two multiply-adds,
         * the shift and one add (four multiply-adds and the shift when the
         * high halves go in after the shift) */
        __m512i hi[R52_WMAX];
#pragma GCC unroll 16
        for (size_t v = 0; v < W; v++) {
            __m512i bv = ifma_pick(bpx, bpz, n, v), yv = ifma_pick(ypx, ypz, n, v);
            acc[v] = _mm512_madd52lo_epu64(_mm512_madd52lo_epu64(acc[v], av[v], bv), mv[v], yv);
            hi[v] = _mm512_madd52hi_epu64(_mm512_madd52hi_epu64(zero, av[v], bv), mv[v], yv);
        }
        /* down one digit, each modulus on its own: modulus 0's top digit
         * gets 0, not modulus 1's low digit (which, like modulus 0's, is
         * dropped: the scalar copies carry it) */
#pragma GCC unroll 16
        for (size_t v = 0; v < W; v++) {
            __m512i up = v + 1 < W ? acc[v + 1] : zero;
            if (IFMA_MIXED(n, v))
                up = _mm512_maskz_alignr_epi64((__mmask8)0xf7, up, acc[v], 1);
            else if (8 * (v + 1) == n)
                up = _mm512_alignr_epi64(zero, acc[v], 1);
            else
                up = _mm512_alignr_epi64(up, acc[v], 1);
            acc[v] = _mm512_add_epi64(up, hi[v]);
        }
    }

    /* carry pass, in place (a and b are no longer read): the lanes hold
     * digits of up to 61 bits, each low digit without its carry (x0 and z0
     * have it).  (A vector carry pass, the remaining carries found at once
     * as ((G << 1) + P) ^ P over the lanes, measured no faster.) */
#pragma GCC unroll 16
    for (size_t v = 0; v < W; v++)
        _mm512_storeu_si512((void *)(r + 8 * v), acc[v]);
    r[0] = x0;
    r[n] = z0;
    uint64_t c0 = 0, c1 = 0;
    for (size_t j = 0; j < n; j++) {
        uint64_t s0 = r[j] + c0, s1 = r[n + j] + c1;
        r[j] = s0 & mask;
        r[n + j] = s1 & mask;
        c0 = s0 >> 52;
        c1 = s1 >> 52;
    }
    /* pl and ph hold products of secret digits: cleared (the empty asm
     * keeps the compiler from dropping the stores).  The registers are
     * not cleared. */
#pragma GCC unroll 16
    for (size_t v = 0; v < W; v++) {
        _mm512_store_si512((void *)(pl + 8 * v), zero);
        _mm512_store_si512((void *)(ph + 8 * v), zero);
    }
    __asm__ volatile("" : : "r"(pl), "r"(ph) : "memory");
}

R52_IFMA static void ifma_amm2_20(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                  const uint64_t *m, const uint64_t k0[2])
{
    ifma_amm2(r, a, b, m, k0, 20);
}

R52_IFMA static void ifma_amm2_32(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                  const uint64_t *m, const uint64_t k0[2])
{
    ifma_amm2(r, a, b, m, k0, 32);
}

R52_IFMA static void ifma_amm2_40(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                  const uint64_t *m, const uint64_t k0[2])
{
    ifma_amm2(r, a, b, m, k0, 40);
}

static int ifma_has(size_t n)
{
    return n == 20 || n == 32 || n == 40;
}

static void ifma_amm2_any(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                          const uint64_t k0[2], size_t n)
{
    switch (n) {
    case 20:
        ifma_amm2_20(r, a, b, m, k0);
        break;
    case 32:
        ifma_amm2_32(r, a, b, m, k0);
        break;
    case 40:
        ifma_amm2_40(r, a, b, m, k0);
        break;
    default:
        break; /* not reached: the driver asks has() first */
    }
}

/* The look-up for a pair of n-digit numbers: every entry is loaded whole;
 * a mask register from a vector compare of the (secret) indices, spread
 * over the lanes of their moduli, keeps one per modulus. */
R52_INLINE void ifma_sel2_n(uint64_t *r, const uint64_t *tab, const uint64_t idx[2],
                            const size_t n)
{
    const size_t W = n / 4;
    const __m512i wx = _mm512_set1_epi64((long long)idx[0]);
    const __m512i wz = _mm512_set1_epi64((long long)idx[1]);
    const __m512i ones = _mm512_set1_epi64(-1);
    __m512i acc[R52_WMAX], want[R52_WMAX];
#pragma GCC unroll 16
    for (size_t v = 0; v < W; v++) {
        acc[v] = _mm512_setzero_si512();
        want[v] = ifma_pick(wx, wz, n, v);
    }
    for (uint64_t e = 0; e < RLAB_GMP_R52_TAB; e++) {
        const __m512i ev = _mm512_set1_epi64((long long)e);
        const uint64_t *t = tab + 2 * n * e;
#pragma GCC unroll 16
        for (size_t v = 0; v < W; v++) {
            /* every lane loaded, then kept with an AND against a mask
             * vector the compiler cannot see through (the empty asm): a
             * masked move, or an AND with a mask it can trace back to a
             * mask register, gets folded into a masked load (gcc and clang
             * both do it), whose memory access for the lanes not wanted is
             * not guaranteed and which waits for the secret mask */
            __m512i keep =
                _mm512_maskz_mov_epi64(_mm512_cmpeq_epi64_mask(want[v], ev), ones);
            __asm__("" : "+v"(keep));
            __m512i ent = _mm512_loadu_si512((const void *)(t + 8 * v));
            acc[v] = _mm512_or_si512(acc[v], _mm512_and_si512(ent, keep));
        }
    }
#pragma GCC unroll 16
    for (size_t v = 0; v < W; v++)
        _mm512_storeu_si512((void *)(r + 8 * v), acc[v]);
}

R52_IFMA static void ifma_sel2(uint64_t *r, const uint64_t *tab, const uint64_t idx[2],
                               size_t n)
{
    switch (n) {
    case 20:
        ifma_sel2_n(r, tab, idx, 20);
        break;
    case 32:
        ifma_sel2_n(r, tab, idx, 32);
        break;
    case 40:
        ifma_sel2_n(r, tab, idx, 40);
        break;
    default:
        break;
    }
}

static const struct rlab_gmp_r52_kernel ifma_kernel = {
    .name = "ifma",
    .has = ifma_has,
    .amm2 = ifma_amm2_any,
    .sel2 = ifma_sel2,
};

const struct rlab_gmp_r52_kernel *const rlab_gmp_r52_ifma = &ifma_kernel;

#else

const struct rlab_gmp_r52_kernel *const rlab_gmp_r52_ifma = NULL;

#endif
