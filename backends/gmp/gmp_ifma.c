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
 * Layout: a number of n digits is V = n / 4 vectors of four 64-bit lanes
 * (ymm: AVX-512VL forms of vpmadd52luq / vpmadd52huq / valignq).  The
 * accumulators of both moduli (2 V registers, at most 20 of the 32) stay in
 * registers through the n digit steps; the operands a and m are read from
 * memory.  The two multiplications are independent, so interleaving them
 * step by step gives the out-of-order core two dependency chains (the
 * digit y of one step needs the low digit of the previous one).
 *
 * Per step i, modulus k (acc = the accumulator, acc_0 its low digit, kept in
 * a scalar register as well so that y comes from the integer unit):
 *   t = acc_0 + lo52(a_0 b_i);  y = t k0 mod 2^52;  c = (t + lo52(m_0 y)) >> 52
 *   acc += lo52(a b_i) + lo52(m y)     (vpmadd52luq)
 *   acc >>= one digit                   (valignq; the low digit, = c 2^52, goes)
 *   acc += hi52(a b_i) + hi52(m y)     (vpmadd52huq)
 *   acc_0 = lane 0 + c
 * The vector lane 0 never receives c: it is dropped at the next step's
 * shift, and the scalar copy carries the right value.  At the end one carry
 * pass brings the digits below 2^52.
 *
 * Constant time: the only branches are on i and on the digit count; every
 * table entry is loaded and kept or not by a mask register (vpcmpeqq on the
 * secret index, then a masked move).
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
#define R52_VMAX 10 /* 40 digits */

typedef unsigned __int128 ifma_u128;

/* One step of one modulus: the scalar side.  Given acc_0 (x0) and lane 1
 * (x1) at the start of the step, the digit y and acc_0 after it. */
R52_INLINE uint64_t ifma_step_scalar(uint64_t x0, uint64_t x1, uint64_t bi, uint64_t a0,
                                     uint64_t a1, uint64_t m0, uint64_t m1, uint64_t k0,
                                     uint64_t *y)
{
    const uint64_t mask = RLAB_GMP_R52_MASK;
    ifma_u128 pa = (ifma_u128)a0 * bi;
    uint64_t t = x0 + ((uint64_t)pa & mask);
    uint64_t yy = (t * k0) & mask;
    ifma_u128 pm = (ifma_u128)m0 * yy;
    uint64_t c = (t + ((uint64_t)pm & mask)) >> 52;
    *y = yy;
    return x1 + ((a1 * bi) & mask) + ((m1 * yy) & mask) + (uint64_t)(pa >> 52) +
           (uint64_t)(pm >> 52) + c;
}

/* One step of one modulus: the vector side, V vectors in acc. */
R52_INLINE void ifma_step_vec(__m256i *acc, const uint64_t *a, const uint64_t *m, uint64_t bi,
                              uint64_t y, const size_t V)
{
    const __m256i zero = _mm256_setzero_si256();
    const __m256i bv = _mm256_set1_epi64x((long long)bi), yv = _mm256_set1_epi64x((long long)y);
#pragma GCC unroll 16
    for (size_t v = 0; v < V; v++) {
        __m256i av = _mm256_loadu_si256((const __m256i *)(a + 4 * v));
        __m256i mv = _mm256_loadu_si256((const __m256i *)(m + 4 * v));
        acc[v] = _mm256_madd52lo_epu64(_mm256_madd52lo_epu64(acc[v], av, bv), mv, yv);
    }
#pragma GCC unroll 16
    for (size_t v = 0; v + 1 < V; v++)
        acc[v] = _mm256_alignr_epi64(acc[v + 1], acc[v], 1);
    acc[V - 1] = _mm256_alignr_epi64(zero, acc[V - 1], 1);
#pragma GCC unroll 16
    for (size_t v = 0; v < V; v++) {
        __m256i av = _mm256_loadu_si256((const __m256i *)(a + 4 * v));
        __m256i mv = _mm256_loadu_si256((const __m256i *)(m + 4 * v));
        acc[v] = _mm256_madd52hi_epu64(_mm256_madd52hi_epu64(acc[v], av, bv), mv, yv);
    }
}

/* Lane 1 of a vector. */
R52_INLINE uint64_t ifma_lane1(__m256i v)
{
    return (uint64_t)_mm_extract_epi64(_mm256_castsi256_si128(v), 1);
}

/* One dual multiplication of V vectors (n = 4 V digits). */
R52_INLINE void ifma_amm2(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                          const uint64_t k0[2], const size_t V)
{
    const size_t n = 4 * V;
    const uint64_t mask = RLAB_GMP_R52_MASK;
    __m256i x[R52_VMAX], z[R52_VMAX]; /* accumulators: modulus 0, modulus 1 */
    const uint64_t *a1 = a + n, *m1 = m + n, *b1 = b + n;
    uint64_t x0 = 0, z0 = 0, yx, yz;

#pragma GCC unroll 16
    for (size_t v = 0; v < V; v++) {
        x[v] = _mm256_setzero_si256();
        z[v] = _mm256_setzero_si256();
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t bx = b[i], bz = b1[i];
        uint64_t x1 = ifma_lane1(x[0]), z1 = ifma_lane1(z[0]);
        x0 = ifma_step_scalar(x0, x1, bx, a[0], a[1], m[0], m[1], k0[0], &yx);
        z0 = ifma_step_scalar(z0, z1, bz, a1[0], a1[1], m1[0], m1[1], k0[1], &yz);
        ifma_step_vec(x, a, m, bx, yx, V);
        ifma_step_vec(z, a1, m1, bz, yz, V);
    }

    /* carry pass, in place (a and b are no longer read): the lanes hold
     * digits of up to 61 bits, lane 0 without its carry (x0 has it).  (A
     * vector carry pass with mask registers measured slower here.) */
#pragma GCC unroll 16
    for (size_t v = 0; v < V; v++) {
        _mm256_storeu_si256((__m256i *)(r + 4 * v), x[v]);
        _mm256_storeu_si256((__m256i *)(r + n + 4 * v), z[v]);
    }
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
}

R52_IFMA static void ifma_amm2_20(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                  const uint64_t *m, const uint64_t k0[2])
{
    ifma_amm2(r, a, b, m, k0, 5);
}

R52_IFMA static void ifma_amm2_32(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                  const uint64_t *m, const uint64_t k0[2])
{
    ifma_amm2(r, a, b, m, k0, 8);
}

R52_IFMA static void ifma_amm2_40(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                  const uint64_t *m, const uint64_t k0[2])
{
    ifma_amm2(r, a, b, m, k0, 10);
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

/* The look-up for V vectors: every entry of both tables is loaded; a mask
 * register from a vector compare of the (secret) index keeps one. */
R52_INLINE void ifma_sel2_v(uint64_t *r, const uint64_t *tab, const uint64_t idx[2],
                            const size_t V)
{
    const size_t n = 4 * V;
    const __m256i wx = _mm256_set1_epi64x((long long)idx[0]);
    const __m256i wz = _mm256_set1_epi64x((long long)idx[1]);
    __m256i ax[R52_VMAX], az[R52_VMAX];
#pragma GCC unroll 16
    for (size_t v = 0; v < V; v++) {
        ax[v] = _mm256_setzero_si256();
        az[v] = _mm256_setzero_si256();
    }
    for (uint64_t e = 0; e < RLAB_GMP_R52_TAB; e++) {
        const __m256i ev = _mm256_set1_epi64x((long long)e);
        const __mmask8 hx = _mm256_cmpeq_epi64_mask(wx, ev);
        const __mmask8 hz = _mm256_cmpeq_epi64_mask(wz, ev);
        const uint64_t *t = tab + 2 * n * e;
#pragma GCC unroll 16
        for (size_t v = 0; v < V; v++) {
            /* a full load, then a masked move: a masked load would skip
             * the memory access of the entries not wanted */
            __m256i ex = _mm256_loadu_si256((const __m256i *)(t + 4 * v));
            __m256i ez = _mm256_loadu_si256((const __m256i *)(t + n + 4 * v));
            ax[v] = _mm256_mask_mov_epi64(ax[v], hx, ex);
            az[v] = _mm256_mask_mov_epi64(az[v], hz, ez);
        }
    }
#pragma GCC unroll 16
    for (size_t v = 0; v < V; v++) {
        _mm256_storeu_si256((__m256i *)(r + 4 * v), ax[v]);
        _mm256_storeu_si256((__m256i *)(r + n + 4 * v), az[v]);
    }
}

R52_IFMA static void ifma_sel2(uint64_t *r, const uint64_t *tab, const uint64_t idx[2],
                               size_t n)
{
    switch (n) {
    case 20:
        ifma_sel2_v(r, tab, idx, 5);
        break;
    case 32:
        ifma_sel2_v(r, tab, idx, 8);
        break;
    case 40:
        ifma_sel2_v(r, tab, idx, 10);
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
