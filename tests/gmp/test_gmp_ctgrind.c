/*
 * ctgrind: no branch and no memory index of the gmp backend's private
 * operation and of its OAEP and PKCS #1 v1.5 decoders depends on a secret.
 *
 * Run under valgrind memcheck (ctest: `valgrind --error-exitcode=1`).  The
 * key's secret limbs are marked undefined, so is every value computed from
 * them; memcheck then reports any conditional jump or memory address that
 * depends on them ("Conditional jump or move depends on uninitialised
 * value(s)", "Use of uninitialised value"), and the run fails.  Results are
 * marked defined again only where the API hands them to the caller (a
 * return code, an output length, output bytes) and before this test looks
 * at them.
 *
 * What stays defined, because GMP 6.2's mpn_sec_* functions treat it as
 * public (gmp_internal.h): the top limb of p and q (mpn_sec_div_r normalises
 * the divisor by its leading zeros and looks up an approximate inverse of
 * its top bits) and the low byte of p and q (mpn_sec_powm's binvert_limb
 * table).  The keys (1024 and 2048 bits, generated here) have primes of a
 * whole number of limbs, so the normalisation never pulls in bits of a
 * second limb.
 *
 * The private operation runs with each engine of gmp_r52.h valgrind can
 * execute: mpn (mpn_sec_powm) and r52, the radix-2^52 dual exponentiation
 * with the portable kernel (its window, table look-up, conversions and
 * almost-Montgomery arithmetic are what the IFMA kernel runs too, with the
 * multiplication in vector instructions).  Valgrind does not emulate
 * AVX-512, so the IFMA kernel itself is not run here: its constant-time
 * argument is in gmp_ifma.c (no branch but on loop counters and the digit
 * count; the look-up loads every entry and selects with mask registers).
 * The engine's per-key constants (the primes in radix 2^52, R^2 mod p and
 * mod q, -p^-1 and -q^-1 mod 2^52) are marked undefined too.
 *
 * Multi-prime keys (1536 and 3072 bits, three primes of whole limbs) run
 * the private operation of gmp_rsa_multi.c with their further primes,
 * exponents and coefficients marked undefined as well.
 *
 * Outside valgrind the test cannot see anything and exits 77 (skipped).
 * A positive control checks that the private operation's output is indeed
 * undefined before it is released, i.e. that the marking reaches it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "backends/ops.h"
#include "backends/backend.h"
#include "backends/gmp/gmp_internal.h"
#include "backends/gmp/gmp_pad.h"
#include "backends/gmp/gmp_r52.h"
#include "base/errors.h"

static int failures;

#define CHECK(cond, ...)                                                                \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                 \
            printf(__VA_ARGS__);                                                        \
            printf("\n");                                                               \
            failures++;                                                                 \
        }                                                                               \
    } while (0)

static void secret(const void *p, size_t len)
{
    VALGRIND_MAKE_MEM_UNDEFINED(p, len);
}

static void public(const void *p, size_t len)
{
    VALGRIND_MAKE_MEM_DEFINED(p, len);
}

/* Mark every secret of the key undefined but what GMP treats as public. */
static void mark_key(const struct rlab_gmp_key *k)
{
    size_t lb = sizeof(mp_limb_t);
    secret(k->d, (size_t)k->nn * lb);
    secret(k->dp, (size_t)k->pn * lb);
    secret(k->dq, (size_t)k->qn * lb);
    secret(k->qinv, (size_t)k->pn * lb);
    secret(k->p, (size_t)k->pn * lb);
    secret(k->q, (size_t)k->qn * lb);
    /* the low byte and the top limb: little-endian limbs, byte 0 is the
     * lowest */
    public(k->p, 1);
    public(k->q, 1);
    public(k->p + k->pn - 1, lb);
    public(k->q + k->qn - 1, lb);
    if (k->r52 != NULL) {
        secret(k->r52->mem, k->r52->mem_words * sizeof(uint64_t));
        secret(k->r52->k0, sizeof k->r52->k0);
    }
    /* the primes after p and q of a multi-prime key, their exponents and
     * coefficients, with the same public bytes as p and q */
    for (size_t i = 0; i < k->n_other; i++) {
        secret(k->ri[i], (size_t)k->rn[i] * lb);
        secret(k->di[i], (size_t)k->rn[i] * lb);
        secret(k->ti[i], (size_t)k->rn[i] * lb);
        public(k->ri[i], 1);
        public(k->ri[i] + k->rn[i] - 1, lb);
    }
}

/* 1 when some bit of p[0..len) is undefined (memcheck's V bits). */
static int any_undefined(const void *p, size_t len)
{
    static uint8_t vbits[RLAB_GMP_MAX_BITS / 8];
    if (VALGRIND_GET_VBITS(p, vbits, len) != 1)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (vbits[i] != 0)
            return 1;
    return 0;
}

static int zero_rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(0x5a ^ i);
    return RLAB_OK;
}

/* One key size: private operations (crossing a refresh of the blinding
 * factors), then OAEP and v1.5 decoding of their results, good and bad. */
static void run(unsigned bits)
{
    const struct rlab_backend *be = &rlab_backend_gmp;
    rlab_key *key = NULL;
    if (rlab_keygen(be, bits, 65537, NULL, &key) != RLAB_OK) {
        CHECK(0, "keygen %u: %s", bits, rlab_error_detail());
        return;
    }
    const struct rlab_gmp_key *k = rlab_gmp_key_of(key);
    CHECK(k->pbits % GMP_NUMB_BITS == 0 && k->qbits % GMP_NUMB_BITS == 0,
          "primes of whole limbs expected");
    CHECK(k->r52 != NULL, "no radix-2^52 constants for a %u-bit key", bits);
    size_t kl = k->k, l;
    uint8_t msg[32], ct[RLAB_GMP_MAX_BITS / 8], em[RLAB_GMP_MAX_BITS / 8];
    uint8_t out[RLAB_GMP_MAX_BITS / 8];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(3 * i + 1);
    struct rlab_rng rng = {zero_rng, NULL};
    struct rlab_oaep_params op = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};
    struct rlab_oaep_params wrong = {RLAB_HASH_SHA256, RLAB_HASH_SHA1, NULL, 0};

    mark_key(k);

    /* private operations, blinding refresh included */
    l = kl;
    CHECK(rlab_oaep_encrypt(be, key, &op, &rng, msg, sizeof msg, ct, &l) == RLAB_OK, "encrypt");
    for (unsigned i = 0; i < RLAB_GMP_BLIND_REFRESH + 2; i++) {
        int rc = rlab_gmp_rsa_private(k, ct, em);
        if (i == 0)
            CHECK(any_undefined(em, kl), "the marking does not reach the result");
        public(&rc, sizeof rc);
        CHECK(rc == RLAB_OK, "private operation %u: %s", i, rlab_errname(rc));
    }

    /* OAEP decoding of the (undefined) block: right and wrong parameters */
    secret(em, kl);
    l = sizeof out;
    int rc = rlab_gmp_oaep_decode(&op, em, kl, out, &l);
    public(&rc, sizeof rc);
    public(&l, sizeof l);
    public(out, sizeof out);
    CHECK(rc == RLAB_OK && l == sizeof msg && memcmp(out, msg, l) == 0, "OAEP decode");
    secret(em, kl);
    l = sizeof out;
    rc = rlab_gmp_oaep_decode(&wrong, em, kl, out, &l);
    public(&rc, sizeof rc);
    public(&l, sizeof l);
    CHECK(rc == RLAB_ERR_DECRYPT && l == 0, "OAEP decode with the wrong MGF1 hash");

    /* PKCS #1 v1.5 decoding, good and (the same block, as v1.5) bad */
    l = kl;
    CHECK(rlab_pkcs1_encrypt(be, key, &rng, msg, sizeof msg, ct, &l) == RLAB_OK, "v1.5 encrypt");
    rc = rlab_gmp_rsa_private(k, ct, em);
    public(&rc, sizeof rc);
    CHECK(rc == RLAB_OK, "private operation");
    secret(em, kl);
    l = sizeof out;
    rc = rlab_gmp_pkcs1_enc_decode(em, kl, out, &l);
    public(&rc, sizeof rc);
    public(&l, sizeof l);
    public(out, sizeof out);
    CHECK(rc == RLAB_OK && l == sizeof msg && memcmp(out, msg, l) == 0, "v1.5 decode");
    l = kl;
    CHECK(rlab_oaep_encrypt(be, key, &op, &rng, msg, sizeof msg, ct, &l) == RLAB_OK, "encrypt");
    rc = rlab_gmp_rsa_private(k, ct, em);
    public(&rc, sizeof rc);
    secret(em, kl);
    l = sizeof out;
    rc = rlab_gmp_pkcs1_enc_decode(em, kl, out, &l);
    public(&rc, sizeof rc);
    public(&l, sizeof l);
    CHECK(rc == RLAB_ERR_DECRYPT && l == 0, "v1.5 decode of an OAEP block");

    rlab_key_free(key);
}

/* A multi-prime key (gmp_rsa_multi.c): private operations across a refresh
 * of the blinding factors, with the positive control, then OAEP decoding of
 * one result.  Primes of whole limbs (bits / primes a multiple of 64), as
 * for the two-prime keys. */
static void run_multi(unsigned bits, unsigned primes)
{
    const struct rlab_backend *be = &rlab_backend_gmp;
    rlab_key *key = NULL;
    if (rlab_keygen_primes(be, bits, primes, 65537, NULL, &key) != RLAB_OK) {
        CHECK(0, "keygen %u bits, %u primes: %s", bits, primes, rlab_error_detail());
        return;
    }
    const struct rlab_gmp_key *k = rlab_gmp_key_of(key);
    CHECK(k->n_other == primes - 2, "%zu other primes", k->n_other);
    for (size_t i = 0; i < k->n_other; i++)
        CHECK(k->rbits[i] % GMP_NUMB_BITS == 0, "primes of whole limbs expected");
    size_t kl = k->k, l;
    uint8_t msg[32], ct[RLAB_GMP_MAX_BITS / 8], em[RLAB_GMP_MAX_BITS / 8];
    uint8_t out[RLAB_GMP_MAX_BITS / 8];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(5 * i + 2);
    struct rlab_rng rng = {zero_rng, NULL};
    struct rlab_oaep_params op = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};

    mark_key(k);
    l = kl;
    CHECK(rlab_oaep_encrypt(be, key, &op, &rng, msg, sizeof msg, ct, &l) == RLAB_OK, "encrypt");
    for (unsigned i = 0; i < RLAB_GMP_BLIND_REFRESH + 2; i++) {
        int rc = rlab_gmp_rsa_private(k, ct, em);
        if (i == 0)
            CHECK(any_undefined(em, kl), "the marking does not reach the result");
        public(&rc, sizeof rc);
        CHECK(rc == RLAB_OK, "multi-prime private operation %u: %s", i, rlab_errname(rc));
    }
    secret(em, kl);
    l = sizeof out;
    int rc = rlab_gmp_oaep_decode(&op, em, kl, out, &l);
    public(&rc, sizeof rc);
    public(&l, sizeof l);
    public(out, sizeof out);
    CHECK(rc == RLAB_OK && l == sizeof msg && memcmp(out, msg, l) == 0,
          "OAEP decode (multi-prime)");
    rlab_key_free(key);
}

int main(void)
{
    if (!RUNNING_ON_VALGRIND) {
        printf("gmp.ctgrind: not under valgrind, nothing to see: skipped\n");
        return 77;
    }
    rlab_registry_init();
    if (rlab_backend_find("gmp") != &rlab_backend_gmp) {
        printf("gmp.ctgrind: the gmp backend is not in the registry\n");
        return 1;
    }
    static const struct {
        rlab_gmp_engine_id id;
        const char *name;
    } engines[] = {{RLAB_GMP_ENGINE_MPN, "mpn"}, {RLAB_GMP_ENGINE_R52, "r52"}};
    for (size_t i = 0; i < sizeof engines / sizeof engines[0]; i++) {
        if (rlab_gmp_engine_set(engines[i].id) != RLAB_OK) {
            CHECK(0, "engine %s: %s", engines[i].name, rlab_error_detail());
            continue;
        }
        printf("gmp.ctgrind: engine %s\n", engines[i].name);
        run(1024);
        run(2048);
    }
    printf("gmp.ctgrind: multi-prime keys\n");
    run_multi(1536, 3);
    run_multi(3072, 3);
    printf("gmp.ctgrind: %s\n", failures == 0 ? "passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
