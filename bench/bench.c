/*
 * The bench driver: for every size, every backend's key generation, then its
 * operations on ONE key per size (made by the first backend that can
 * generate and export it, imported by the others as PKCS#8 DER), so that
 * every backend is timed on the same modulus; then the `openssl speed`
 * check.  See bench.h.
 */
#include <stdarg.h>
#include <string.h>

#include "backends/ops.h"
#include "bench/bench.h"
#include "bench/rsa_ops.h"

void rlab_bench_config_default(struct rlab_bench_config *c, int quick)
{
    memset(c, 0, sizeof *c);
    c->quick = quick;
    size_t n = rlab_backend_count();
    for (size_t i = 0; i < n && c->n_backends < RLAB_BENCH_MAX_BACKENDS; i++)
        c->backends[c->n_backends++] = rlab_backend_at(i);
    c->bits[c->n_bits++] = 2048;
    c->bits[c->n_bits++] = 4096;
    c->trials = quick ? 5 : 7;
    c->trial_seconds = quick ? 0.1 : 0.2;
    c->warmup_seconds = quick ? 0.05 : 0.2;
    /* 4096-bit keygen of OpenSSL 3.0 and mbedTLS takes seconds per key and
     * varies by a factor of several: a ceiling keeps --quick inside its
     * time limit whatever the draw. */
    c->keygen_budget = quick ? 8.0 : 120.0;
    c->speed_check = 1;
}

unsigned rlab_bench_keys_for(const struct rlab_bench_config *c, unsigned bits)
{
    if (c->keys > 0)
        return c->keys;
    if (!c->quick)
        return 10;
    return bits <= 2048 ? 5 : 3;
}

void rlab_bench_init(struct rlab_bench_result *r, const struct rlab_bench_config *c)
{
    memset(r, 0, sizeof *r);
    r->cfg = *c;
    rlab_bench_machine_read(&r->machine);
    for (size_t i = 0; i < c->n_backends; i++) {
        const char *v = c->backends[i]->version ? c->backends[i]->version() : NULL;
        snprintf(r->versions[i], sizeof r->versions[i], "%s", v ? v : "unknown");
    }
}

static void progress(const struct rlab_bench_config *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void progress(const struct rlab_bench_config *c, const char *fmt, ...)
{
    if (c->progress == NULL)
        return;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->progress(c->progress_ctx, msg);
}

static const enum rlab_bench_kind table_kind[RLAB_BENCH_OP_COUNT] = {
    [RLAB_BENCH_OAEP_ENCRYPT] = RLAB_BK_OAEP_ENCRYPT,
    [RLAB_BENCH_OAEP_DECRYPT] = RLAB_BK_OAEP_DECRYPT,
    [RLAB_BENCH_PSS_SIGN] = RLAB_BK_PSS_SIGN,
    [RLAB_BENCH_PSS_VERIFY] = RLAB_BK_PSS_VERIFY,
    [RLAB_BENCH_RAW_PRIVATE] = RLAB_BK_RAW_PRIVATE,
    [RLAB_BENCH_RAW_PUBLIC] = RLAB_BK_RAW_PUBLIC,
};

static int can(const struct rlab_backend *be, rlab_op op)
{
    struct rlab_op_query q = {.op = op, .bits = 2048};
    return rlab_backend_check(be, &q) == NULL;
}

/* Every operation cell of one backend and size gets the same verdict. */
static void mark_ops(struct rlab_bench_cell *cells, enum rlab_bench_status st,
                     const char *reason)
{
    for (int op = RLAB_BENCH_KEYGEN + 1; op < RLAB_BENCH_OP_COUNT; op++) {
        cells[op].status = st;
        snprintf(cells[op].reason, sizeof cells[op].reason, "%s", reason);
    }
}

/* The key this backend's operations run on: the shared reference key when
 * it can import it, else its own first generated key. */
static rlab_key *pick_key(const struct rlab_backend *be, const struct rlab_buf *ref,
                          const char *ref_from, rlab_key **own, char *source, size_t cap)
{
    rlab_key *k = NULL;
    if (ref->len > 0 && strcmp(be->name, ref_from) == 0 && *own != NULL) {
        snprintf(source, cap, "own key (shared)");
        k = *own;
        *own = NULL;
        return k;
    }
    if (ref->len > 0 && can(be, RLAB_OP_IMPORT) &&
        rlab_key_import(be, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, ref->data, ref->len, &k) == RLAB_OK) {
        snprintf(source, cap, "%s key, PKCS#8 DER", ref_from);
        return k;
    }
    if (*own != NULL) {
        snprintf(source, cap, "own key");
        k = *own;
        *own = NULL;
    }
    return k;
}

static int run_size(struct rlab_bench_result *r, size_t bi)
{
    const struct rlab_bench_config *c = &r->cfg;
    unsigned bits = c->bits[bi];
    unsigned nkeys = rlab_bench_keys_for(c, bits);
    struct rlab_buf ref = RLAB_BUF_INIT;
    const char *ref_from = "";
    int rc = RLAB_OK;

    for (size_t b = 0; b < c->n_backends && rc == RLAB_OK; b++) {
        const struct rlab_backend *be = c->backends[b];
        struct rlab_bench_cell *cells = r->cells[b][bi];
        progress(c, "%s %u-bit: keygen (up to %u keys)", be->name, bits, nkeys);
        rlab_key *own = NULL;
        rlab_bench_time_keygen(be, bits, nkeys, c->keygen_budget, &cells[RLAB_BENCH_KEYGEN],
                               &own);
        if (ref.len == 0 && own != NULL && can(be, RLAB_OP_EXPORT) &&
            rlab_key_export(be, own, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, &ref) == RLAB_OK)
            ref_from = be->name;

        rlab_key *k = pick_key(be, &ref, ref_from, &own, r->key_source[b][bi],
                               sizeof r->key_source[b][bi]);
        rlab_key_free(own);
        if (k == NULL) {
            mark_ops(cells, RLAB_BENCH_SKIPPED, "no key: cannot generate or import one");
            continue;
        }
        progress(c, "%s %u-bit: operations", be->name, bits);
        struct rlab_bench_keyops ops;
        if (rlab_bench_keyops_init(&ops, k) != RLAB_OK) {
            rc = RLAB_ERR_NOMEM;
        } else {
            for (int op = RLAB_BENCH_KEYGEN + 1; op < RLAB_BENCH_OP_COUNT; op++)
                rlab_bench_time_op(&ops, table_kind[op], c, &cells[op]);
            rlab_bench_keyops_clear(&ops);
        }
        rlab_key_free(k);
    }
    rlab_buf_clear(&ref);
    return rc;
}

/* The openssl backend's v1.5 sign / verify and raw public at 2048 bits,
 * then `openssl speed rsa2048`, back to back. */
static int run_speed_check(struct rlab_bench_result *r)
{
    struct rlab_bench_speed *s = &r->speed;
    int o = rlab_bench_openssl_index(r);
    if (!r->cfg.speed_check) {
        s->status = RLAB_BENCH_SKIPPED;
        snprintf(s->reason, sizeof s->reason, "not asked for");
        return RLAB_OK;
    }
    if (o < 0) {
        s->status = RLAB_BENCH_SKIPPED;
        snprintf(s->reason, sizeof s->reason, "the openssl backend is not in this run");
        return RLAB_OK;
    }
    const struct rlab_backend *be = r->cfg.backends[o];
    rlab_key *k = NULL;
    rlab_error_clear();
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = 2048};
    const char *why = rlab_backend_check(be, &q);
    int rc = why == NULL ? rlab_keygen(be, 2048, 65537, NULL, &k) : RLAB_ERR_UNSUPPORTED;
    if (rc != RLAB_OK) {
        s->status = RLAB_BENCH_SKIPPED;
        snprintf(s->reason, sizeof s->reason, "openssl backend: no 2048-bit key: %s",
                 rlab_strerror(rc));
        return RLAB_OK;
    }
    struct rlab_bench_keyops ops;
    if (rlab_bench_keyops_init(&ops, k) != RLAB_OK) {
        rlab_key_free(k);
        return RLAB_ERR_NOMEM;
    }
    /* Alternate our measurement and the CLI's a few times and keep each
     * side's best round: on a shared machine a burst of load during one
     * side's turn would otherwise decide the comparison. */
    static const enum rlab_bench_kind kinds[RLAB_BENCH_SPEED_OP_COUNT] = {
        [RLAB_BENCH_SPEED_SIGN] = RLAB_BK_PKCS1_SIGN,
        [RLAB_BENCH_SPEED_VERIFY] = RLAB_BK_PKCS1_VERIFY,
        [RLAB_BENCH_SPEED_RAW_PUBLIC] = RLAB_BK_RAW_PUBLIC,
    };
    int seconds = r->cfg.quick ? 1 : 2;
    s->rounds = r->cfg.quick ? 2 : 3;
    for (unsigned round = 0; round < s->rounds; round++) {
        progress(&r->cfg, "openssl 2048-bit: PKCS#1 v1.5 sign/verify, raw public (round %u of %u)",
                 round + 1, s->rounds);
        for (int op = 0; op < RLAB_BENCH_SPEED_OP_COUNT; op++) {
            struct rlab_bench_cell cell;
            rlab_bench_time_op(&ops, kinds[op], &r->cfg, &cell);
            struct rlab_bench_cell *best = &s->ours[op];
            if (round == 0 || cell.status != RLAB_BENCH_DONE ||
                (best->status == RLAB_BENCH_DONE && cell.stat.median > best->stat.median))
                *best = cell;
        }
        progress(&r->cfg, "openssl speed -elapsed -seconds %d -mr rsa2048 (round %u of %u)",
                 seconds, round + 1, s->rounds);
        struct rlab_bench_speed cli = {0};
        rlab_bench_openssl_speed(&cli, seconds);
        if (cli.status != RLAB_BENCH_DONE) {
            s->status = cli.status;
            snprintf(s->reason, sizeof s->reason, "%s", cli.reason);
            break;
        }
        s->status = RLAB_BENCH_DONE;
        snprintf(s->command, sizeof s->command, "%s", cli.command);
        snprintf(s->cli_version, sizeof s->cli_version, "%s", cli.cli_version);
        if (cli.cli_sign > s->cli_sign)
            s->cli_sign = cli.cli_sign;
        if (cli.cli_verify > s->cli_verify)
            s->cli_verify = cli.cli_verify;
    }
    rlab_bench_keyops_clear(&ops);
    rlab_key_free(k);
    return RLAB_OK;
}

int rlab_bench_run(struct rlab_bench_result *r)
{
    uint64_t t0 = rlab_bench_now_ns();
    int rc = RLAB_OK;
    for (size_t bi = 0; bi < r->cfg.n_bits && rc == RLAB_OK; bi++)
        rc = run_size(r, bi);
    if (rc == RLAB_OK)
        rc = run_speed_check(r);
    r->wall_seconds = (double)(rlab_bench_now_ns() - t0) / 1e9;
    return rc;
}
