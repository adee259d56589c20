/*
 * The rsalab bench: RSA operations of every backend, timed through the
 * backend interface (the same slots the tests use), into one result struct
 * that every emitter (table, CSV, JSON) reads.
 *
 * Method (docs/BENCHMARKS.md): CLOCK_MONOTONIC; for each operation a
 * warm-up that also estimates its cost, then `trials` timed trials of a fixed
 * number of operations each lasting at least `trial_seconds`; the rate of
 * each trial is one sample, reported as median, p10 and p90.  Key generation
 * is random, so each key is one sample (milliseconds per key).  All buffers
 * are allocated before the timed loops.  Timing is never pass/fail: an
 * operation that returns an error is reported as failed, with the error.
 *
 * Nothing here prints except the emitters, which write to the FILE they are
 * given; progress goes through a callback.
 */
#ifndef RLAB_BENCH_H
#define RLAB_BENCH_H

#include <stdint.h>
#include <stdio.h>

#include "backends/backend.h"

#define RLAB_BENCH_MAX_BACKENDS 8
#define RLAB_BENCH_MAX_BITS 8
#define RLAB_BENCH_REASON 192

/* Rows of the table, in table order. */
enum rlab_bench_op {
    RLAB_BENCH_KEYGEN = 0,   /* ms per key */
    RLAB_BENCH_OAEP_ENCRYPT, /* OAEP-SHA256, 32-byte message; ops/s */
    RLAB_BENCH_OAEP_DECRYPT,
    RLAB_BENCH_PSS_SIGN,     /* PSS-SHA256, salt 32; ops/s on a digest */
    RLAB_BENCH_PSS_VERIFY,
    RLAB_BENCH_RAW_PRIVATE,  /* x^d mod n (CRT, blinded) */
    RLAB_BENCH_RAW_PUBLIC,   /* x^e mod n */
    RLAB_BENCH_OP_COUNT
};

/* The extra operations of the `openssl speed` check. */
enum rlab_bench_speed_op {
    RLAB_BENCH_SPEED_SIGN = 0, /* PKCS#1 v1.5 SHA-256 sign */
    RLAB_BENCH_SPEED_VERIFY,   /* PKCS#1 v1.5 SHA-256 verify */
    RLAB_BENCH_SPEED_RAW_PUBLIC,
    RLAB_BENCH_SPEED_OP_COUNT
};

const char *rlab_bench_op_name(enum rlab_bench_op op);       /* "oaep-sha256-encrypt" */
const char *rlab_bench_op_label(enum rlab_bench_op op);      /* for the table */
const char *rlab_bench_op_unit(enum rlab_bench_op op);       /* "ms" or "ops/s" */
const char *rlab_bench_speed_op_name(enum rlab_bench_speed_op op);

enum rlab_bench_status {
    RLAB_BENCH_NOT_RUN = 0,
    RLAB_BENCH_DONE,
    RLAB_BENCH_SKIPPED, /* the backend cannot: reason says why */
    RLAB_BENCH_FAILED,  /* the operation returned an error: reason */
};

const char *rlab_bench_status_name(enum rlab_bench_status s);

struct rlab_bench_stat {
    double median, p10, p90; /* ops/s, or ms per key for keygen */
    unsigned n;              /* samples: trials, or keys */
    uint64_t iters;          /* operations per trial (0 for keygen) */
};

struct rlab_bench_cell {
    enum rlab_bench_status status;
    struct rlab_bench_stat stat;
    char reason[RLAB_BENCH_REASON];
};

struct rlab_bench_machine {
    char cpu[128];         /* model name */
    unsigned cpus;         /* online CPUs */
    char flags_present[128];
    char flags_absent[128];/* of the ones RSA code cares about */
    char kernel[200];
    char compiler[96];
    char build_type[64];   /* CMake build type, plus "+ASan/UBSan" */
    char date[32];         /* UTC, ISO 8601 */
};

/* Fill in the machine description; never fails (unknown fields say so). */
void rlab_bench_machine_read(struct rlab_bench_machine *m);

typedef void (*rlab_bench_progress_fn)(void *ctx, const char *msg);

struct rlab_bench_config {
    int quick;
    size_t n_backends;
    const struct rlab_backend *backends[RLAB_BENCH_MAX_BACKENDS];
    size_t n_bits;
    unsigned bits[RLAB_BENCH_MAX_BITS];
    unsigned keys;              /* keys per keygen series; 0 = default */
    unsigned trials;            /* timed trials per operation */
    double trial_seconds;       /* minimum length of one trial */
    double warmup_seconds;
    double keygen_budget;       /* seconds; a series stops after this (>= 1 key) */
    int speed_check;            /* run `openssl speed` and compare */
    rlab_bench_progress_fn progress;
    void *progress_ctx;
};

/* Defaults for a full or quick run: every usable backend, 2048 and 4096. */
void rlab_bench_config_default(struct rlab_bench_config *c, int quick);
/* Keys per keygen series at `bits` (c->keys, or the default for the mode). */
unsigned rlab_bench_keys_for(const struct rlab_bench_config *c, unsigned bits);

struct rlab_bench_speed {
    enum rlab_bench_status status; /* SKIPPED when the CLI is absent */
    char reason[RLAB_BENCH_REASON];
    char command[96];
    char cli_version[96];
    unsigned rounds;               /* alternations of ours and the CLI */
    double cli_sign, cli_verify;   /* per second, best +F2 line of the rounds */
    /* openssl backend, the round with the best median */
    struct rlab_bench_cell ours[RLAB_BENCH_SPEED_OP_COUNT];
};

struct rlab_bench_result {
    struct rlab_bench_config cfg;
    struct rlab_bench_machine machine;
    char versions[RLAB_BENCH_MAX_BACKENDS][96];
    /* cells[backend][bits][op], indices as in cfg */
    struct rlab_bench_cell cells[RLAB_BENCH_MAX_BACKENDS][RLAB_BENCH_MAX_BITS]
                                [RLAB_BENCH_OP_COUNT];
    /* Where each backend's key for the operations came from, per size. */
    char key_source[RLAB_BENCH_MAX_BACKENDS][RLAB_BENCH_MAX_BITS][48];
    struct rlab_bench_speed speed;
    double wall_seconds;
};

/* Copy the config, read the machine and library versions: enough for the
 * header, before the long part. */
void rlab_bench_init(struct rlab_bench_result *r, const struct rlab_bench_config *c);
/* Run everything; fills r.  Returns RLAB_OK, or RLAB_ERR_NOMEM. */
int rlab_bench_run(struct rlab_bench_result *r);

/* Index of the "openssl" backend in r->cfg, or -1. */
int rlab_bench_openssl_index(const struct rlab_bench_result *r);
/* Speed of cell relative to openssl's at the same size (> 1: faster; for
 * keygen openssl's median time over this one's); NAN when not comparable. */
double rlab_bench_ratio(const struct rlab_bench_result *r, size_t backend,
                        size_t bits, enum rlab_bench_op op);
/* How much slower the openssl backend is than `openssl speed`, in percent
 * (negative: faster); NAN when not measured. */
double rlab_bench_speed_overhead(const struct rlab_bench_result *r,
                                 enum rlab_bench_speed_op op);
/* 1 when some operation returned an error. */
int rlab_bench_any_failed(const struct rlab_bench_result *r);

/* ---- pieces ------------------------------------------------------------ */

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t rlab_bench_now_ns(void);

/* Sort v[0..n) in place and fill median, p10, p90 (linear interpolation
 * between order statistics) and n. */
void rlab_bench_summarise(double *v, size_t n, struct rlab_bench_stat *out);
/* Percentile p (0..100) of sorted[0..n); n > 0. */
double rlab_bench_percentile(const double *sorted, size_t n, double p);

/* Parse `openssl speed -mr` output: the "+F2:<i>:<bits>:<sign>:<verify>"
 * line for `bits`.  Returns RLAB_OK or RLAB_ERR_PARSE. */
int rlab_bench_parse_speed(const char *text, unsigned bits, double *sign,
                           double *verify);
/* Run `openssl speed -elapsed -seconds S -mr rsa2048` once and fill command,
 * cli_version and cli_* (or status SKIPPED with the reason). */
void rlab_bench_openssl_speed(struct rlab_bench_speed *s, int seconds);

/* ---- emitters (one per format, all from the result) --------------------- */

void rlab_bench_emit_header(const struct rlab_bench_result *r, FILE *f);
void rlab_bench_emit_table(const struct rlab_bench_result *r, FILE *f);
int rlab_bench_emit_csv(const struct rlab_bench_result *r, FILE *f);
int rlab_bench_emit_json(const struct rlab_bench_result *r, FILE *f);

#endif
