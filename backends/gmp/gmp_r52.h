/*
 * The radix-2^52 exponentiation engine of the gmp backend: the two CRT
 * half-exponentiations of the private operation (x_p^dp mod p and
 * x_q^dq mod q) run together, as one "dual" exponentiation, on numbers held
 * as 52-bit digits in 64-bit words, with almost-Montgomery multiplication.
 *
 * Two kernels implement the arithmetic (struct rlab_gmp_r52_kernel):
 *   - "ifma" (gmp_ifma.c): AVX-512 IFMA (vpmadd52luq / vpmadd52huq on 512-bit
 *     vectors), the only code of the project compiled for AVX-512, chosen at
 *     run time when the CPU and the OS support it (cpuid leaf 7, XCR0);
 *   - "r52" (gmp_r52.c): the same algorithm in portable C, the reference the
 *     IFMA kernel is tested against, and what runs under valgrind (which does
 *     not emulate AVX-512) in the ctgrind test.
 * The exponentiation driver (window, table, conversions) is shared.
 *
 * Engines of the private operation (rlab_gmp_engine):
 *   RLAB_GMP_ENGINE_MPN   GMP's mpn_sec_powm, one prime after the other;
 *   RLAB_GMP_ENGINE_R52   the driver with the portable kernel;
 *   RLAB_GMP_ENGINE_IFMA  the driver with the IFMA kernel.
 * The default is IFMA where available and MPN elsewhere; the environment
 * variable RSALAB_GMP_ENGINE (mpn, r52, ifma, auto), read once, overrides it.
 * A key whose primes have no kernel size (see rlab_gmp_r52_digits) always
 * runs on MPN.
 *
 * Constant time: no branch and no memory index depends on a secret (the
 * primes, the exponents, the bases, the Montgomery constants).  Public: the
 * digit count and the exponent bit length (max(pbits, qbits)).
 */
#ifndef RLAB_GMP_R52_H
#define RLAB_GMP_R52_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#define RLAB_GMP_R52_BITS 52
#define RLAB_GMP_R52_MASK ((UINT64_C(1) << 52) - 1)
/* Fixed window width and table size of the exponentiation. */
#define RLAB_GMP_R52_WIN 5
#define RLAB_GMP_R52_TAB (1u << RLAB_GMP_R52_WIN)

typedef enum {
    RLAB_GMP_ENGINE_MPN = 0,
    RLAB_GMP_ENGINE_R52 = 1,
    RLAB_GMP_ENGINE_IFMA = 2,
} rlab_gmp_engine_id;

/*
 * One kernel.  Numbers of n digits (n a multiple of 4), two at a time: every
 * pointer names 2 n words, the number for modulus 0 then the one for
 * modulus 1.  Digits are below 2^52 on input and output.
 *
 * amm2: r = a b 2^(-52 n) mod m (almost: r < 2^(52 n) and r = a b R^-1 + t m
 * for some t >= 0; r < 2m when a, b < 2m and 4m < 2^(52 n)), for both moduli.
 * k0[i] = -m_i^-1 mod 2^52.  r may alias a or b.
 * sel2: r = table entry idx[i] for modulus i; entry j of the table is at
 * tab + 2 n j and holds both moduli's numbers like every operand.  Every
 * entry is read, the right one kept by a mask (idx[i] < RLAB_GMP_R52_TAB).
 * has(n): 1 when the kernel handles n digits.
 */
struct rlab_gmp_r52_kernel {
    const char *name;
    int (*has)(size_t n);
    void (*amm2)(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                 const uint64_t k0[2], size_t n);
    void (*sel2)(uint64_t *r, const uint64_t *tab, const uint64_t idx[2], size_t n);
};

extern const struct rlab_gmp_r52_kernel rlab_gmp_r52_ref;
/* NULL when the build has no IFMA kernel. */
extern const struct rlab_gmp_r52_kernel *const rlab_gmp_r52_ifma;

/* 1 when the CPU has AVX-512F, VL and IFMA and the OS saves the zmm state
 * (XCR0 bits 1, 2, 5, 6, 7).  Computed once. */
int rlab_gmp_cpu_has_ifma(void);

/* The engine chosen for this process (environment + CPU), computed once.
 * RLAB_OK, or RLAB_ERR_UNSUPPORTED with a detail when RSALAB_GMP_ENGINE
 * names an engine this CPU or build lacks or an unknown one; the private
 * operation then fails with that code rather than silently run another. */
int rlab_gmp_engine(rlab_gmp_engine_id *id);
/* Override the choice (tests).  RLAB_ERR_UNSUPPORTED when not available. */
int rlab_gmp_engine_set(rlab_gmp_engine_id id);
/* The engine of the calling thread's private operations from now on, over
 * the process's choice (the "gmp/mpn" variant, gmp_variant.c); -1 goes
 * back to the process's choice.  Returns the previous setting. */
int rlab_gmp_engine_thread(int id);
/* The "gmp/mpn" variant (gmp_variant.c), for the registry. */
const struct rlab_backend *rlab_gmp_variant_mpn(void);
/* "mpn", "r52", "ifma", or "unavailable" when the environment asks for an
 * engine the machine lacks. */
const char *rlab_gmp_engine_name(void);

/* Most digits the engine takes (primes up to 52 * 64 - 2 bits); larger keys
 * run on MPN. */
#define RLAB_GMP_R52_MAX_DIGITS 64

/* Digits for a prime of `bits` bits: the least multiple of 4 with
 * 52 n >= bits + 2 (so 4m < 2^(52 n)). */
size_t rlab_gmp_r52_digits(mp_bitcnt_t bits);

/*
 * Per-key constants, built when the key is built (rlab_gmp_rsa_prepare) and
 * wiped when it is freed: the two primes in radix 2^52, -m^-1 mod 2^52 and
 * R^2 mod m (R = 2^(52 n)), computed in constant time.
 */
struct rlab_gmp_r52_key {
    size_t n;           /* digits per number */
    mp_bitcnt_t ebits;  /* exponent bits: max(pbits, qbits) */
    mp_size_t en;       /* exponent limbs: max(pn, qn) */
    uint64_t k0[2];
    uint64_t *m;        /* 2 n: p, q */
    uint64_t *rr;       /* 2 n */
    uint64_t *mem;      /* the allocation behind m and rr */
    size_t mem_words;
};

/* The constants for primes p (pn limbs, pbits bits) and q, or NULL when
 * out of memory. */
struct rlab_gmp_r52_key *rlab_gmp_r52_key_new(const mp_limb_t *p, mp_size_t pn,
                                              mp_bitcnt_t pbits, const mp_limb_t *q,
                                              mp_size_t qn, mp_bitcnt_t qbits);
void rlab_gmp_r52_key_free(struct rlab_gmp_r52_key *c);

/* Scratch words of one dual exponentiation (rlab_gmp_r52_powm2). */
size_t rlab_gmp_r52_itch(const struct rlab_gmp_r52_key *c);

/*
 * sp = xp^ep mod p and sq = xq^eq mod q with kernel kn: xp, ep, sp are pn
 * limbs; xq, eq, sq qn limbs; xp < p, xq < q; exponents below 2^c->ebits.
 * ws: rlab_gmp_r52_itch(c) words.  Constant time (see above).
 */
void rlab_gmp_r52_powm2(const struct rlab_gmp_r52_kernel *kn, const struct rlab_gmp_r52_key *c,
                        mp_limb_t *sp, const mp_limb_t *xp, const mp_limb_t *ep, mp_size_t pn,
                        mp_limb_t *sq, const mp_limb_t *xq, const mp_limb_t *eq, mp_size_t qn,
                        uint64_t *ws);

/* Limbs <-> digits, constant time in the values: {a, an} -> n digits
 * (an * 64 <= 52 n); n digits -> {r, rn} (digits above rn limbs dropped). */
void rlab_gmp_r52_from_limbs(uint64_t *r, size_t n, const mp_limb_t *a, mp_size_t an);
void rlab_gmp_r52_to_limbs(mp_limb_t *r, mp_size_t rn, const uint64_t *a, size_t n);

#endif
