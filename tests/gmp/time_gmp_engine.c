/*
 * time_gmp_engine: the raw private operation of the gmp backend against
 * OpenSSL's on the same key, in the same process, by per-thread CPU time
 * (CLOCK_THREAD_CPUTIME_ID, so time spent waiting for a core on a shared
 * machine is not counted).  Not a test (timing never decides pass/fail);
 * a measuring tool for the radix-2^52 engine, built with the tests.
 *
 *   time_gmp_engine [bits,... [rounds [ops]]]
 *
 * For each size: one key (made by OpenSSL, loaded into gmp), then `rounds`
 * rounds (default 7), each timing `ops` operations (default: about 0.2 s
 * of work) of OpenSSL then of gmp.  Prints per round and the medians of the
 * per-operation times and of the ratio openssl / gmp (above 1: gmp faster).
 * The engine is the one RSALAB_GMP_ENGINE picks (mpn, r52, ifma, auto).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/backend.h"
#include "backends/ops.h"
#include "backends/gmp/gmp_r52.h"
#include "base/errors.h"

#define MAX_ROUNDS 64

static double thread_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Seconds per operation of `ops` private operations; -1 on an error. */
static double time_ops(const struct rlab_backend *be, const rlab_key *k, const uint8_t *in,
                       uint8_t *out, size_t klen, unsigned ops)
{
    double t0 = thread_seconds();
    for (unsigned i = 0; i < ops; i++) {
        size_t l = klen;
        if (rlab_raw_private(be, k, in, klen, out, &l) != RLAB_OK)
            return -1;
    }
    return (thread_seconds() - t0) / ops;
}

static int run(const struct rlab_backend *ossl, const struct rlab_backend *gmp, unsigned bits,
               unsigned rounds, unsigned ops)
{
    rlab_key *ko = NULL, *kg = NULL;
    struct rlab_components c;
    memset(&c, 0, sizeof c);
    if (rlab_keygen(ossl, bits, 65537, NULL, &ko) != RLAB_OK ||
        rlab_key_to_components(ossl, ko, &c) != RLAB_OK ||
        rlab_key_from_components(gmp, &c, &kg) != RLAB_OK) {
        printf("%u: key: %s\n", bits, rlab_error_detail());
        rlab_components_clear(&c);
        rlab_key_free(ko);
        return 1;
    }
    rlab_components_clear(&c);
    size_t klen = bits / 8;
    uint8_t in[1024], out1[1024], out2[1024];
    for (size_t i = 0; i < klen; i++)
        in[i] = (uint8_t)(i * 37 + 11);
    in[0] = 0x3c; /* below n */
    size_t l1 = klen, l2 = klen;
    if (rlab_raw_private(ossl, ko, in, klen, out1, &l1) != RLAB_OK ||
        rlab_raw_private(gmp, kg, in, klen, out2, &l2) != RLAB_OK || l1 != l2 ||
        memcmp(out1, out2, l1) != 0) {
        printf("%u: the two backends disagree or fail\n", bits);
        rlab_key_free(ko);
        rlab_key_free(kg);
        return 1;
    }
    if (ops == 0) {
        /* about 0.2 s per backend per round */
        double t = time_ops(ossl, ko, in, out1, klen, 3);
        ops = t > 0 ? (unsigned)(0.2 / t) + 1 : 1;
    }
    double to[MAX_ROUNDS], tg[MAX_ROUNDS], ratio[MAX_ROUNDS];
    for (unsigned r = 0; r < rounds; r++) {
        to[r] = time_ops(ossl, ko, in, out1, klen, ops);
        tg[r] = time_ops(gmp, kg, in, out2, klen, ops);
        if (to[r] < 0 || tg[r] < 0) {
            printf("%u: a private operation failed: %s\n", bits, rlab_error_detail());
            rlab_key_free(ko);
            rlab_key_free(kg);
            return 1;
        }
        ratio[r] = to[r] / tg[r];
        printf("%u round %u: openssl %.1f us, gmp %.1f us, ratio %.3f\n", bits, r,
               to[r] * 1e6, tg[r] * 1e6, ratio[r]);
    }
    printf("%u median (%u rounds x %u ops): openssl %.1f us, gmp (%s) %.1f us, "
           "openssl/gmp %.3fx\n",
           bits, rounds, ops, median(to, rounds) * 1e6, rlab_gmp_engine_name(),
           median(tg, rounds) * 1e6, median(ratio, rounds));
    fflush(stdout);
    rlab_key_free(ko);
    rlab_key_free(kg);
    return 0;
}

int main(int argc, char **argv)
{
    const char *sizes = argc > 1 ? argv[1] : "2048,3072,4096";
    unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 7;
    unsigned ops = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 0;
    if (rounds == 0 || rounds > MAX_ROUNDS) {
        printf("rounds: 1 to %d\n", MAX_ROUNDS);
        return 2;
    }
    rlab_registry_init();
    const struct rlab_backend *ossl = rlab_backend_find("openssl");
    const struct rlab_backend *gmp = rlab_backend_find("gmp");
    if (ossl == NULL || gmp == NULL) {
        printf("needs the openssl and gmp backends\n");
        return 2;
    }
    int rc = 0;
    for (const char *s = sizes; *s != '\0';) {
        char *end;
        unsigned long bits = strtoul(s, &end, 10);
        if (end == s || bits < 1024 || bits > 8192) {
            printf("bad size list: %s\n", sizes);
            return 2;
        }
        rc |= run(ossl, gmp, (unsigned)bits, rounds, ops);
        s = *end == ',' ? end + 1 : end;
    }
    return rc;
}
