/*
 * The rsalab bench: every group of measurements (keygen, ops, chunking,
 * handshake, throughput and its ceilings, timing) over every backend, into
 * one result struct that every emitter (terminal tables, CSV, JSON,
 * REPORT.md) reads, and from whose CSV gnuplot draws the plots.
 *
 * Method (docs/BENCHMARKS.md): CLOCK_MONOTONIC; for each figure a warm-up
 * that also estimates its cost, then `trials` timed trials of a fixed number
 * of iterations each lasting at least `trial_seconds`; the rate of each trial
 * is one sample, reported as median, p10 and p90.  Key generation is random,
 * so each key is one sample (milliseconds per key), reported as a
 * distribution.  All buffers are allocated before the timed loops.  Timing is
 * never pass/fail: an operation that returns an error is reported as failed,
 * with the error; a group that cannot run yet is a skip with its reason,
 * never a made-up number.
 *
 * Nothing here prints except the emitters, which write to the FILE they are
 * given; progress goes through a callback.
 */
#ifndef RLAB_BENCH_H
#define RLAB_BENCH_H

#include <stdint.h>
#include <stdio.h>

#include "backends/backend.h"

#define RLAB_BENCH_MAX_BACKENDS 12
#define RLAB_BENCH_MAX_BITS 8
#define RLAB_BENCH_MAX_KEYS 200     /* keys per keygen series */
#define RLAB_BENCH_MAX_CHUNKS 12    /* chunk sizes of the chunking group */
#define RLAB_BENCH_MAX_PAYLOADS 8   /* payload sizes of the throughput group */
#define RLAB_BENCH_MAX_HS_ROWS 128  /* (server, client) pairs */
#define RLAB_BENCH_MAX_TPUT_ROWS 512 /* (server, client, payload) */
#define RLAB_BENCH_REASON 192

/* ---- groups ------------------------------------------------------------ */

enum rlab_bench_group {
    RLAB_BG_KEYGEN = 0,
    RLAB_BG_OPS,
    RLAB_BG_CHUNKING,
    RLAB_BG_HANDSHAKE,
    RLAB_BG_THROUGHPUT, /* includes the ceilings */
    RLAB_BG_TIMING,
    RLAB_BG_COUNT
};
#define RLAB_BG_ALL ((1u << RLAB_BG_COUNT) - 1)
/* What `all` and no group mean: every group but timing, which takes tens of
 * minutes per backend at its default size and runs only when named. */
#define RLAB_BG_DEFAULT (RLAB_BG_ALL & ~(1u << RLAB_BG_TIMING))

const char *rlab_bench_group_name(enum rlab_bench_group g); /* "keygen" */
/* The group called `name`, or -1. */
int rlab_bench_group_find(const char *name);

/* ---- operations of the ops group (table order) -------------------------- */

enum rlab_bench_op {
    RLAB_BENCH_OAEP_ENCRYPT = 0, /* OAEP-SHA256, 32-byte message; ops/s */
    RLAB_BENCH_OAEP_DECRYPT,
    RLAB_BENCH_PSS_SIGN,         /* PSS-SHA256, salt 32; on a digest */
    RLAB_BENCH_PSS_VERIFY,
    RLAB_BENCH_PKCS1_SIGN,       /* PKCS#1 v1.5 SHA-256 (DigestInfo) */
    RLAB_BENCH_PKCS1_VERIFY,
    RLAB_BENCH_RAW_PRIVATE,      /* x^d mod n (CRT, blinded) */
    RLAB_BENCH_RAW_PUBLIC,       /* x^e mod n */
    RLAB_BENCH_OP_COUNT
};

/* The openssl backend's operations of the `openssl speed` check. */
enum rlab_bench_speed_op {
    RLAB_BENCH_SPEED_SIGN = 0, /* PKCS#1 v1.5 SHA-256 sign */
    RLAB_BENCH_SPEED_VERIFY,   /* PKCS#1 v1.5 SHA-256 verify */
    RLAB_BENCH_SPEED_RAW_PUBLIC,
    RLAB_BENCH_SPEED_OP_COUNT
};

const char *rlab_bench_op_name(enum rlab_bench_op op);  /* "oaep-sha256-encrypt" */
const char *rlab_bench_op_label(enum rlab_bench_op op); /* "OAEP-SHA256 encrypt" */
const char *rlab_bench_speed_op_name(enum rlab_bench_speed_op op);

/* ---- cells ------------------------------------------------------------- */

enum rlab_bench_status {
    RLAB_BENCH_NOT_RUN = 0,
    RLAB_BENCH_DONE,
    RLAB_BENCH_SKIPPED, /* cannot run: reason says why */
    RLAB_BENCH_FAILED,  /* the operation returned an error: reason */
};

const char *rlab_bench_status_name(enum rlab_bench_status s); /* "ok", ... */

struct rlab_bench_stat {
    double median, p10, p90; /* in the cell's unit */
    double max;              /* keygen: slowest key; else the best trial */
    unsigned n;              /* samples: trials, or keys */
    uint64_t iters;          /* iterations per trial (0 for keygen) */
};

struct rlab_bench_cell {
    enum rlab_bench_status status;
    struct rlab_bench_stat stat;
    char reason[RLAB_BENCH_REASON]; /* skip/failure reason, or a note */
};

/* ---- the machine --------------------------------------------------------- */

struct rlab_bench_machine {
    char cpu[128];         /* model name */
    unsigned cpus;         /* online CPUs */
    char flags_present[128];
    char flags_absent[128];/* of the ones RSA code cares about */
    char kernel[200];
    char compiler[96];
    char build_type[64];   /* CMake build type, plus "+ASan/UBSan" */
    char git_rev[64];      /* `git rev-parse --short HEAD` of the source tree */
    char date[32];         /* UTC, ISO 8601 */
};

/* Fill in the machine description; never fails (unknown fields say so). */
void rlab_bench_machine_read(struct rlab_bench_machine *m);

/* ---- configuration ----------------------------------------------------- */

struct rlab_bench_progress {
    const char *group;   /* "ops" */
    const char *backend; /* "mbedtls", or "" */
    const char *what;    /* "4096-bit", "16 KiB chunks", ... */
    double fraction;     /* of the whole run done, 0..1 */
    double elapsed;      /* seconds since the run started */
    double left;         /* estimated seconds left (< 0: unknown) */
};

typedef void (*rlab_bench_progress_fn)(void *ctx, const struct rlab_bench_progress *p);

struct rlab_bench_config {
    unsigned groups; /* 1u << enum rlab_bench_group */
    int quick;
    size_t n_backends;
    const struct rlab_backend *backends[RLAB_BENCH_MAX_BACKENDS];
    size_t n_bits; /* modulus sizes of the ops group */
    unsigned bits[RLAB_BENCH_MAX_BITS];
    size_t n_keygen_bits;
    unsigned keygen_bits[RLAB_BENCH_MAX_BITS];
    unsigned keys;              /* keys per keygen series; 0 = default */
    unsigned trials;            /* timed trials per figure */
    double trial_seconds;       /* minimum length of one trial */
    double warmup_seconds;
    double keygen_budget;       /* seconds; a series stops after this (>= 1 key) */
    int speed_check;            /* run `openssl speed` and compare */
    /* chunking: the RSA key size and the AEAD chunk sizes (bytes) */
    unsigned chunk_rsa_bits;
    size_t n_chunks;
    size_t chunks[RLAB_BENCH_MAX_CHUNKS];
    /* ceilings: bytes per memcpy trial and per loopback TCP trial */
    size_t memcpy_bytes, tcp_bytes;
    /* handshake: identity and transient key sizes (rsalab/1 defaults 2048) */
    unsigned hs_id_bits, hs_tr_bits;
    /* throughput: payload sizes in bytes */
    size_t n_payloads;
    uint64_t payloads[RLAB_BENCH_MAX_PAYLOADS];
    /* timing (bench/timing.c): measurements per class, the modulus size,
     * and which operations (1u << enum rlab_bench_timing_op) */
    uint64_t timing_samples;
    double timing_budget; /* seconds per (backend, operation); 0: none */
    unsigned timing_bits;
    unsigned timing_ops;
    rlab_bench_progress_fn progress;
    void *progress_ctx;
};

/* Defaults for a full or quick run: every group but timing (RLAB_BG_DEFAULT),
 * every usable backend, the sizes of docs/BENCHMARKS.md; timing: 100,000
 * measurements per class (quick: 5,000) at 2048 bits, every operation. */
void rlab_bench_config_default(struct rlab_bench_config *c, int quick);
/* Keys per keygen series at `bits` (c->keys, or the default for the mode). */
unsigned rlab_bench_keys_for(const struct rlab_bench_config *c, unsigned bits);

/* ---- results of each group ----------------------------------------------- */

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

/* chunking, one backend: the original exercise's RSA blocks against AEAD
 * chunks of each size (MB/s of payload, sealed and opened). */
struct rlab_bench_chunking {
    char aead_from[48];                 /* backend providing AES-GCM */
    size_t rsa_block;                   /* k - 2*hLen - 2 payload bytes */
    struct rlab_bench_cell rsa;         /* MB/s */
    struct rlab_bench_cell aead[RLAB_BENCH_MAX_CHUNKS]; /* MB/s, cfg chunks */
    struct rlab_bench_cell stream;      /* core/stream, 16 KiB, MB/s */
};

/* The ceilings the throughput is compared with (MB/s). */
struct rlab_bench_ceilings {
    struct rlab_bench_cell memcpy_rate;                          /* one copy */
    struct rlab_bench_cell tcp;                                  /* loopback */
    struct rlab_bench_cell inbox;       /* the server's file writer, alone */
    uint64_t inbox_bytes;               /* the file size it was measured with */
    struct rlab_bench_cell stream[RLAB_BENCH_MAX_BACKENDS];      /* seal+open */
    char stream_from[RLAB_BENCH_MAX_BACKENDS][48];
};

/*
 * One handshake figure: `server` and `client` are backend indices in cfg.
 * rate: handshakes per second (median, p10, p90 over trials); latency in
 * milliseconds per handshake (p50, p90, p99, max over all handshakes).
 * bound and ratio are filled by rlab_bench_hs_bound() (rlab_bench_add_hs
 * calls it).
 */
struct rlab_bench_hs_row {
    size_t server, client;
    unsigned id_bits, tr_bits;
    struct rlab_bench_cell rate;
    double lat_p50_ms, lat_p90_ms, lat_p99_ms, lat_max_ms;
    unsigned lat_samples;
    double bound;     /* handshakes/s from the operation costs; NAN unknown */
    double ratio;     /* rate.median / bound */
};

/*
 * One transfer through the protocol: `payload` bytes from client to server
 * over loopback.  rate in MB/s (10^6 bytes/s) of payload; peak resident set
 * of each side in KiB (VmHWM, -1 unknown).  Ratios to the ceilings are
 * computed by the emitters from r->ceil.
 */
struct rlab_bench_tput_row {
    size_t server, client;
    uint64_t payload;
    struct rlab_bench_cell rate;
    long rss_server_kib, rss_client_kib;
};

/* The RSA operations of one side of an rsalab/1 handshake. */
enum rlab_bench_hs_op {
    RLAB_BENCH_HS_SIGN = 0, /* PSS-SHA256 sign, identity key */
    RLAB_BENCH_HS_VERIFY,   /* PSS-SHA256 verify, the peer's identity key */
    RLAB_BENCH_HS_ENCRYPT,  /* OAEP-SHA256 encrypt, the peer's transient key */
    RLAB_BENCH_HS_DECRYPT,  /* OAEP-SHA256 decrypt, own transient key */
    RLAB_BENCH_HS_OPS
};

/* ---- timing (dudect-style leakage test, bench/timing.c, docs/TIMING.md) --- */

/* The operations of the timing group; each compares class A with class B. */
enum rlab_bench_timing_op {
    RLAB_BT_OAEP = 0,  /* OAEP-SHA256 decrypt: valid vs invalid (3 kinds) */
    RLAB_BT_PKCS1,     /* v1.5 decrypt: valid vs invalid (4 kinds) */
    RLAB_BT_PSS,       /* PSS-SHA256 sign: two fixed digests */
    RLAB_BT_RAW,       /* raw private: two fixed inputs (full / short result) */
    RLAB_BT_HANDSHAKE, /* rsalab/1 server reading ClientKey: good vs bad ct */
    RLAB_BT_COUNT
};
#define RLAB_BT_ALL ((1u << RLAB_BT_COUNT) - 1)
#define RLAB_BENCH_TIMING_TESTS 9  /* comparisons per operation */
#define RLAB_BENCH_TIMING_TRACE 40 /* points of |t| against measurements */
#define RLAB_BENCH_T_LEAK 10.0     /* |t| above: reported as a leak */
#define RLAB_BENCH_T_SUSPICIOUS 4.5/* |t| above: suspicious */

/* "oaep" (the --op name), "oaep-sha256-decrypt" (the CSV's). */
const char *rlab_bench_timing_op_key(enum rlab_bench_timing_op op);
const char *rlab_bench_timing_op_name(enum rlab_bench_timing_op op);
/* The op called `key`, or -1. */
int rlab_bench_timing_op_find(const char *key);
/* "leak", "suspicious" or "no leak seen" for a |t|. */
const char *rlab_bench_timing_verdict(double abs_t);

/*
 * One Welch t-test between two sets of measurements, cropped as dudect
 * does: the test is run on all measurements and on those below each of
 * several percentiles of the pooled distribution; the figure is the crop
 * with the largest |t|.  t > 0: B is slower.
 */
struct rlab_bench_ttest {
    char name[64];         /* "valid-vs-invalid", "valid-vs-bad-lhash", ... */
    double t;              /* signed t of the worst crop */
    double t_uncropped;    /* signed t over every measurement */
    double crop;           /* percentile of the worst crop; 100: uncropped */
    uint64_t n_a, n_b;     /* measurements of each side in the worst crop */
    double mean_a, mean_b; /* their means, in clock units */
};

struct rlab_bench_timing {
    /* DONE, SKIPPED (the backend cannot, with the reason) or FAILED; the
     * reason also carries notes (implicit rejection seen, key source). */
    struct rlab_bench_cell cell;
    uint64_t per_class;    /* measurements of the smaller of classes A, B
                              (fewer than asked when the budget ran out:
                              the reason says so) */
    uint64_t invalid_ok;   /* class-B inputs the backend answered RLAB_OK */
    double seconds;
    size_t n_tests;        /* test[0] is A against all of B */
    struct rlab_bench_ttest test[RLAB_BENCH_TIMING_TESTS];
    size_t n_trace;        /* test[0]'s worst |t| after trace_n measurements */
    uint64_t trace_n[RLAB_BENCH_TIMING_TRACE];
    float trace_t[RLAB_BENCH_TIMING_TRACE];
};

struct rlab_bench_result {
    struct rlab_bench_config cfg;
    struct rlab_bench_machine machine;
    char versions[RLAB_BENCH_MAX_BACKENDS][96];

    /* Per group: NOT_RUN (not asked for), DONE, or SKIPPED with a reason
     * (DONE with a reason: partly measured, the reason says what is not). */
    struct rlab_bench_cell group[RLAB_BG_COUNT];
    double group_seconds[RLAB_BG_COUNT];

    /* keygen[backend][keygen bits index]: ms per key; samples sorted */
    struct rlab_bench_cell keygen[RLAB_BENCH_MAX_BACKENDS][RLAB_BENCH_MAX_BITS];
    float keygen_ms[RLAB_BENCH_MAX_BACKENDS][RLAB_BENCH_MAX_BITS][RLAB_BENCH_MAX_KEYS];

    /* ops[backend][bits index][op]: ops/s, all on one key per size */
    struct rlab_bench_cell ops[RLAB_BENCH_MAX_BACKENDS][RLAB_BENCH_MAX_BITS]
                              [RLAB_BENCH_OP_COUNT];
    char key_source[RLAB_BENCH_MAX_BACKENDS][RLAB_BENCH_MAX_BITS][48];
    struct rlab_bench_speed speed;

    struct rlab_bench_chunking chunking[RLAB_BENCH_MAX_BACKENDS];
    struct rlab_bench_ceilings ceil;

    /* handshake: the four operation costs of each backend (ops/s, copied
     * from the ops group or measured by the handshake group), the bound of
     * each backend with itself as both sides (measured even while the
     * protocol is missing), then the measured rows */
    struct rlab_bench_cell hs_ops[RLAB_BENCH_MAX_BACKENDS][RLAB_BENCH_HS_OPS];
    struct rlab_bench_hs_row hs_bound[RLAB_BENCH_MAX_BACKENDS];
    size_t n_hs;
    struct rlab_bench_hs_row hs[RLAB_BENCH_MAX_HS_ROWS];
    size_t n_tput;
    struct rlab_bench_tput_row tput[RLAB_BENCH_MAX_TPUT_ROWS];

    /* timing[backend][op]; clock says what one unit is */
    struct rlab_bench_timing timing[RLAB_BENCH_MAX_BACKENDS][RLAB_BT_COUNT];
    char timing_clock[64];

    double wall_seconds;
};

/* Copy the config, read the machine and library versions: enough for the
 * header, before the long part. */
void rlab_bench_init(struct rlab_bench_result *r, const struct rlab_bench_config *c);
/* Run the groups in cfg.groups; fills r.  Returns RLAB_OK, or
 * RLAB_ERR_NOMEM. */
int rlab_bench_run(struct rlab_bench_result *r);

/* ---- derived figures ------------------------------------------------------ */

/* Index of the "openssl" backend in r->cfg, or -1. */
int rlab_bench_openssl_index(const struct rlab_bench_result *r);
/* Speed of an ops cell relative to openssl's at the same size (> 1:
 * faster); NAN when not comparable. */
double rlab_bench_ops_ratio(const struct rlab_bench_result *r, size_t backend,
                            size_t bits, enum rlab_bench_op op);
/* Keygen: openssl's median time over this one's; NAN when not comparable. */
double rlab_bench_keygen_ratio(const struct rlab_bench_result *r, size_t backend,
                               size_t kbits);
/* How much slower the openssl backend is than `openssl speed`, in percent
 * (negative: faster); NAN when not measured. */
double rlab_bench_speed_overhead(const struct rlab_bench_result *r,
                                 enum rlab_bench_speed_op op);
/* 1 when some operation returned an error. */
int rlab_bench_any_failed(const struct rlab_bench_result *r);

/* ---- pieces for the groups (and for the protocol groups to come) ---------- */

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t rlab_bench_now_ns(void);

/* Sort v[0..n) in place and fill median, p10, p90, max (linear
 * interpolation between order statistics) and n. */
void rlab_bench_summarise(double *v, size_t n, struct rlab_bench_stat *out);
/* Percentile p (0..100) of sorted[0..n); n > 0. */
double rlab_bench_percentile(const double *sorted, size_t n, double p);

/*
 * The timing loop every rate figure uses: fn(ctx) is one iteration (an RSA
 * operation, one chunk sealed and opened, one copy).  Warm-up for
 * cfg->warmup_seconds, which sets the iterations per trial so that a trial
 * lasts >= cfg->trial_seconds, then cfg->trials trials.  cell gets
 * iterations per second times `scale` (1 for ops/s; bytes per iteration /
 * 1e6 for MB/s), DONE, or FAILED with fn's error.  fn must not allocate.
 */
void rlab_bench_time_loop(int (*fn)(void *ctx), void *ctx, double scale,
                          const struct rlab_bench_config *cfg,
                          struct rlab_bench_cell *cell);

/* Set cell to status with a reason; when rc != RLAB_OK the reason gets the
 * error and rlab_error_detail(). */
void rlab_bench_cell_set(struct rlab_bench_cell *c, enum rlab_bench_status st,
                         const char *what, int rc);

/* Ceilings (MB/s, as cells), each measured with cfg's trials:
 *  - memcpy of cfg->memcpy_bytes between two buffers (MB copied per s);
 *  - loopback TCP: a thread writes cfg->tcp_bytes into a socket on
 *    127.0.0.1 in 256 KiB writes while this thread reads them in 256 KiB
 *    reads, as the protocol does (the time from the first write to the last
 *    byte read; a new connection per trial);
 *  - the inbox write: a file of `bytes` written into `dir` through core's
 *    file writer (core/fileio.h) 16 KiB at a time, as the server stores
 *    what it receives, committed and removed: a transfer can go no faster
 *    than its file is stored;
 *  - the message stream sealing and opening 16 KiB chunks in memory with
 *    aead_be's AES-256-GCM (core/stream.h), as the protocol does. */
void rlab_bench_ceiling_memcpy(const struct rlab_bench_config *cfg,
                               struct rlab_bench_cell *out);
void rlab_bench_ceiling_tcp(const struct rlab_bench_config *cfg,
                            struct rlab_bench_cell *out);
void rlab_bench_ceiling_inbox(const struct rlab_bench_config *cfg, const char *dir,
                              uint64_t bytes, struct rlab_bench_cell *out);
/* The folder the bench's transfers use for their files: /dev/shm when it
 * is writable, else /tmp. */
const char *rlab_bench_scratch_dir(void);
void rlab_bench_ceiling_stream(const struct rlab_backend *aead_be,
                               const struct rlab_bench_config *cfg,
                               struct rlab_bench_cell *out);

/* `rsalab bench --transfer-side ...`: one side of a throughput transfer, in
 * a process of its own made by the bench (bench/session.c); not for users.
 * argv[0] is "--transfer-side".  Exit status 0 done, 1 failed, 2 bad use. */
int rlab_bench_transfer_side(int argc, char **argv);

/* Peak resident set of this process (VmHWM of /proc/self/status) in KiB,
 * or -1.  rlab_bench_reset_peak_rss() resets it (writes "5" to
 * /proc/self/clear_refs); RLAB_OK or RLAB_ERR_IO. */
long rlab_bench_peak_rss_kib(void);
int rlab_bench_reset_peak_rss(void);

/* The backend whose AES-GCM `be` uses: itself, or the default provider;
 * NULL when there is none. */
const struct rlab_backend *rlab_bench_aead_provider(const struct rlab_backend *be);

/*
 * The handshake bound of rsalab/1 from the operation costs measured in this
 * run (the ops group's cells at id_bits and tr_bits; rlab_bench_run measures
 * them in the handshake group when ops did not run at those sizes).  Each
 * side does one PSS-SHA256 sign and one verify with identity keys and one
 * OAEP-SHA256 encrypt and one decrypt with transient keys; the handshake is
 * a chain of those steps, so one connection at a time is bounded by
 *      1 / (cost(server side) + cost(client side)).
 * Sets row->bound (NAN when a cost is missing) and row->ratio.
 */
void rlab_bench_hs_bound(const struct rlab_bench_result *r, struct rlab_bench_hs_row *row);

/* Append a measured row (bound and ratio filled in); RLAB_ERR_TOO_BIG when
 * full. */
int rlab_bench_add_hs(struct rlab_bench_result *r, const struct rlab_bench_hs_row *row);
int rlab_bench_add_tput(struct rlab_bench_result *r, const struct rlab_bench_tput_row *row);
/* p50, p90, p99 and max of latencies ms[0..n) (sorted in place) into row. */
void rlab_bench_hs_latency(double *ms, size_t n, struct rlab_bench_hs_row *row);

/* Parse `openssl speed -mr` output: the "+F2:<i>:<bits>:<sign>:<verify>"
 * line for `bits`.  Returns RLAB_OK or RLAB_ERR_PARSE. */
int rlab_bench_parse_speed(const char *text, unsigned bits, double *sign,
                           double *verify);
/* Run `openssl speed -elapsed -seconds S -mr rsa2048` once and fill command,
 * cli_version and cli_* (or status SKIPPED with the reason). */
void rlab_bench_openssl_speed(struct rlab_bench_speed *s, int seconds);

/* ---- rows: the flat view every file emitter reads ------------------------ */

/*
 * One figure of the result as a row (docs/BENCHMARKS.md, "Files"): CSV and
 * JSON are both written from rlab_bench_rows(), so they always hold the same
 * rows.  Strings point into r or static storage; NAN means "empty".
 */
struct rlab_bench_row {
    const char *group;     /* keygen, keygen-cdf, ops, check, chunking,
                              ceiling, handshake, throughput, timing,
                              timing-trace */
    const char *backend;   /* backend name; "-" for machine figures */
    const char *peer;      /* client backend of handshake/throughput; "" */
    const char *library;
    unsigned bits;         /* 0: not applicable */
    const char *operation;
    uint64_t size;         /* bytes (chunk, block, payload); keygen-cdf:
                              rank of the key; 0: not applicable */
    const char *unit;      /* ms, ops/s, MB/s, handshakes/s, x, MiB */
    enum rlab_bench_status status;
    unsigned samples;
    uint64_t iters;
    double median, p10, p90, p99, max;
    double ratio;          /* see ratio_to */
    const char *ratio_to;  /* what ratio compares with */
    const char *note;
};

typedef int (*rlab_bench_row_fn)(void *ctx, const struct rlab_bench_row *row);
/* Call fn for every row in order; stops at (and returns) fn's first
 * non-zero return. */
int rlab_bench_rows(const struct rlab_bench_result *r, rlab_bench_row_fn fn, void *ctx);

/* ---- emitters ------------------------------------------------------------ */

void rlab_bench_emit_header(const struct rlab_bench_result *r, FILE *f);
/* The comparison tables of every group that ran, for a terminal. */
void rlab_bench_emit_table(const struct rlab_bench_result *r, FILE *f);
/* The timing group's parts of the table, of REPORT.md and of the rows
 * (bench/timing_emit.c), called by the emitters above. */
void rlab_bench_timing_table(const struct rlab_bench_result *r, FILE *f);
void rlab_bench_timing_reading(const struct rlab_bench_result *r, FILE *f);
void rlab_bench_timing_report(const struct rlab_bench_result *r, FILE *f);
int rlab_bench_timing_rows(const struct rlab_bench_result *r, rlab_bench_row_fn fn, void *ctx);
int rlab_bench_emit_csv(const struct rlab_bench_result *r, FILE *f);
int rlab_bench_emit_json(const struct rlab_bench_result *r, FILE *f);
/* REPORT.md of a run folder; `plots` lists the PNG file names drawn
 * (NULL-terminated; may be empty), `plot_note` says why some are missing. */
int rlab_bench_emit_report(const struct rlab_bench_result *r, const char *const *plots,
                           const char *plot_note, FILE *f);

/* ---- plots --------------------------------------------------------------- */

#define RLAB_BENCH_MAX_PLOTS 8

/*
 * Draw the PNGs of a run folder by running gnuplot (RSALAB_GNUPLOT, or
 * `gnuplot` on PATH) on the scripts in RSALAB_GNUPLOT_DIR (default: the
 * source tree's bench/) with `csv` as data.  Only the plots whose groups ran
 * are drawn.  names[] gets the PNG file names made (NULL-terminated); note
 * says what was skipped and why ("" when nothing).  gnuplot's messages go to
 * <dir>/gnuplot.log (removed when empty).  Returns the number of plots.
 */
size_t rlab_bench_plot(const struct rlab_bench_result *r, const char *dir, const char *csv,
                       char names[RLAB_BENCH_MAX_PLOTS][32], char *note, size_t note_cap);

#endif
