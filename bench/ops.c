/*
 * The ops group: every RSA operation of every backend on ONE key per size
 * (bench_int.h: rlab_bench_shared_key), then the `openssl speed` check.
 */
#include <string.h>

#include "backends/ops.h"
#include "bench/bench_int.h"
#include "bench/rsa_ops.h"

double rlab_bench_plan_ops(const struct rlab_bench_config *c)
{
    double s = (double)c->n_backends * (double)c->n_bits * RLAB_BENCH_OP_COUNT *
               rlab_bench_figure_cost(c);
    if (c->speed_check)
        s += (c->quick ? 2 : 3) * (2.0 * (c->quick ? 1 : 2) + 3 * rlab_bench_figure_cost(c));
    return s;
}

static void mark_ops(struct rlab_bench_cell *cells, enum rlab_bench_status st,
                     const char *reason)
{
    for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++)
        rlab_bench_cell_set(&cells[op], st, reason, RLAB_OK);
}

static int run_size(struct rlab_bench_run *run, size_t bi)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *c = &r->cfg;
    unsigned bits = c->bits[bi];
    for (size_t b = 0; b < c->n_backends; b++) {
        const struct rlab_backend *be = c->backends[b];
        struct rlab_bench_cell *cells = r->ops[b][bi];
        char what[32];
        snprintf(what, sizeof what, "%u-bit", bits);
        rlab_bench_step(run, RLAB_BG_OPS, be->name, what,
                        RLAB_BENCH_OP_COUNT * rlab_bench_figure_cost(c));
        rlab_key *k = rlab_bench_shared_key(run, be, bits, r->key_source[b][bi],
                                            sizeof r->key_source[b][bi]);
        if (k == NULL) {
            mark_ops(cells, RLAB_BENCH_SKIPPED, r->key_source[b][bi]);
            continue;
        }
        struct rlab_bench_keyops ops;
        if (rlab_bench_keyops_init(&ops, c->backends[b], k) != RLAB_OK) {
            rlab_key_free(k);
            return RLAB_ERR_NOMEM;
        }
        for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++)
            rlab_bench_time_op(&ops, rlab_bench_kind_of((enum rlab_bench_op)op), c, &cells[op]);
        rlab_bench_keyops_clear(&ops);
        rlab_key_free(k);
    }
    return RLAB_OK;
}

/* The openssl backend's v1.5 sign / verify and raw public at 2048 bits,
 * then `openssl speed rsa2048`, back to back. */
static int run_speed_check(struct rlab_bench_run *run)
{
    struct rlab_bench_result *r = run->r;
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
    char source[64];
    rlab_key *k = rlab_bench_shared_key(run, be, 2048, source, sizeof source);
    if (k == NULL) {
        s->status = RLAB_BENCH_SKIPPED;
        snprintf(s->reason, sizeof s->reason, "openssl backend: %s", source);
        return RLAB_OK;
    }
    struct rlab_bench_keyops ops;
    if (rlab_bench_keyops_init(&ops, k->be, k) != RLAB_OK) {
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
    /* Our side gets trials as long as the CLI's runs, or the comparison
     * would set a 30 ms trial against a 1 s one. */
    struct rlab_bench_config cfg = r->cfg;
    int seconds = cfg.quick ? 1 : 2;
    if (cfg.trial_seconds < 0.1)
        cfg.trial_seconds = 0.1;
    s->rounds = cfg.quick ? 2 : 3;
    for (unsigned round = 0; round < s->rounds; round++) {
        char what[48];
        snprintf(what, sizeof what, "speed check, round %u of %u", round + 1, s->rounds);
        rlab_bench_step(run, RLAB_BG_OPS, "openssl", what,
                        2.0 * seconds + 3 * rlab_bench_figure_cost(&r->cfg));
        for (int op = 0; op < RLAB_BENCH_SPEED_OP_COUNT; op++) {
            struct rlab_bench_cell cell;
            rlab_bench_time_op(&ops, kinds[op], &cfg, &cell);
            struct rlab_bench_cell *best = &s->ours[op];
            if (round == 0 || cell.status != RLAB_BENCH_DONE ||
                (best->status == RLAB_BENCH_DONE && cell.stat.median > best->stat.median))
                *best = cell;
        }
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

int rlab_bench_run_ops(struct rlab_bench_run *run)
{
    int rc = RLAB_OK;
    for (size_t bi = 0; bi < run->r->cfg.n_bits && rc == RLAB_OK; bi++)
        rc = run_size(run, bi);
    if (rc == RLAB_OK)
        rc = run_speed_check(run);
    return rc;
}
