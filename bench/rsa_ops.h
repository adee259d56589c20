/*
 * Inside the bench library: timing one backend's RSA operations on one key.
 * Used by bench.c (the driver); not part of the bench API.
 */
#ifndef RLAB_BENCH_RSA_OPS_H
#define RLAB_BENCH_RSA_OPS_H

#include "bench/bench.h"

/* Every operation the bench can time on a key. */
enum rlab_bench_kind {
    RLAB_BK_OAEP_ENCRYPT = 0,
    RLAB_BK_OAEP_DECRYPT,
    RLAB_BK_PSS_SIGN,
    RLAB_BK_PSS_VERIFY,
    RLAB_BK_RAW_PRIVATE,
    RLAB_BK_RAW_PUBLIC,
    RLAB_BK_PKCS1_SIGN,
    RLAB_BK_PKCS1_VERIFY,
    RLAB_BK_COUNT
};

/*
 * Everything a timed loop touches, allocated before any timing starts:
 * inputs (a 32-byte message, a SHA-256-sized digest, a value below n), a
 * ciphertext and signatures made once up front for the inverse operations,
 * and one output buffer of k bytes.
 */
struct rlab_bench_keyops {
    const struct rlab_backend *be; /* the backend or variant that runs them */
    const rlab_key *k;
    size_t klen;
    uint8_t msg[32];
    uint8_t digest[32];
    struct rlab_oaep_params oaep;
    struct rlab_pss_params pss;
    uint8_t *ct, *pss_sig, *pkcs1_sig, *raw_in, *out;
    size_t ct_len, pss_sig_len, pkcs1_sig_len;
    int ct_rc, pss_sig_rc, pkcs1_sig_rc; /* how making them went */
};

/* Allocate buffers and make the ciphertext and signatures (checking that
 * they decrypt and verify).  RLAB_OK or RLAB_ERR_NOMEM; other failures are
 * kept per operation and reported when that operation is timed.  be runs
 * the operations: k's backend, or a variant of it ("gmp/mpn"). */
int rlab_bench_keyops_init(struct rlab_bench_keyops *o, const struct rlab_backend *be,
                           const rlab_key *k);
void rlab_bench_keyops_clear(struct rlab_bench_keyops *o);

/* Time one operation into cell: SKIPPED when the backend cannot run it,
 * FAILED when it returns an error. */
void rlab_bench_time_op(struct rlab_bench_keyops *o, enum rlab_bench_kind kind,
                        const struct rlab_bench_config *cfg,
                        struct rlab_bench_cell *cell);

/* Generate up to n keys (n <= RLAB_BENCH_MAX_KEYS), timing each (ms); stop
 * early once `budget` seconds have gone by (with at least one key).  ms[]
 * gets the times sorted; every key is freed outside the timed region. */
void rlab_bench_time_keygen(const struct rlab_backend *be, unsigned bits,
                            unsigned n, double budget,
                            struct rlab_bench_cell *cell, float *ms);

/* The bench kind of an ops-group operation. */
enum rlab_bench_kind rlab_bench_kind_of(enum rlab_bench_op op);

#endif
