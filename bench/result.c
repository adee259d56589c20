/* Names and derived figures shared by every emitter; see bench.h. */
#include <math.h>
#include <string.h>

#include "bench/bench.h"

static const struct {
    const char *name, *label, *unit;
} op_info[RLAB_BENCH_OP_COUNT] = {
    [RLAB_BENCH_KEYGEN] = {"keygen", "keygen ms [p10-p90]", "ms"},
    [RLAB_BENCH_OAEP_ENCRYPT] = {"oaep-sha256-encrypt", "OAEP-SHA256 encrypt", "ops/s"},
    [RLAB_BENCH_OAEP_DECRYPT] = {"oaep-sha256-decrypt", "OAEP-SHA256 decrypt", "ops/s"},
    [RLAB_BENCH_PSS_SIGN] = {"pss-sha256-sign", "PSS-SHA256 sign", "ops/s"},
    [RLAB_BENCH_PSS_VERIFY] = {"pss-sha256-verify", "PSS-SHA256 verify", "ops/s"},
    [RLAB_BENCH_RAW_PRIVATE] = {"raw-private", "raw private", "ops/s"},
    [RLAB_BENCH_RAW_PUBLIC] = {"raw-public", "raw public", "ops/s"},
};

const char *rlab_bench_op_name(enum rlab_bench_op op)
{
    return (unsigned)op < RLAB_BENCH_OP_COUNT ? op_info[op].name : "unknown";
}

const char *rlab_bench_op_label(enum rlab_bench_op op)
{
    return (unsigned)op < RLAB_BENCH_OP_COUNT ? op_info[op].label : "unknown";
}

const char *rlab_bench_op_unit(enum rlab_bench_op op)
{
    return (unsigned)op < RLAB_BENCH_OP_COUNT ? op_info[op].unit : "";
}

const char *rlab_bench_speed_op_name(enum rlab_bench_speed_op op)
{
    static const char *const names[RLAB_BENCH_SPEED_OP_COUNT] = {
        [RLAB_BENCH_SPEED_SIGN] = "pkcs1-sha256-sign",
        [RLAB_BENCH_SPEED_VERIFY] = "pkcs1-sha256-verify",
        [RLAB_BENCH_SPEED_RAW_PUBLIC] = "raw-public",
    };
    return (unsigned)op < RLAB_BENCH_SPEED_OP_COUNT ? names[op] : "unknown";
}

const char *rlab_bench_status_name(enum rlab_bench_status s)
{
    switch (s) {
    case RLAB_BENCH_DONE: return "ok";
    case RLAB_BENCH_SKIPPED: return "skipped";
    case RLAB_BENCH_FAILED: return "failed";
    default: return "not-run";
    }
}

int rlab_bench_openssl_index(const struct rlab_bench_result *r)
{
    for (size_t i = 0; i < r->cfg.n_backends; i++)
        if (strcmp(r->cfg.backends[i]->name, "openssl") == 0)
            return (int)i;
    return -1;
}

double rlab_bench_ratio(const struct rlab_bench_result *r, size_t backend,
                        size_t bits, enum rlab_bench_op op)
{
    int o = rlab_bench_openssl_index(r);
    if (o < 0)
        return NAN;
    const struct rlab_bench_cell *c = &r->cells[backend][bits][op];
    const struct rlab_bench_cell *ref = &r->cells[o][bits][op];
    if (c->status != RLAB_BENCH_DONE || ref->status != RLAB_BENCH_DONE ||
        c->stat.median <= 0 || ref->stat.median <= 0)
        return NAN;
    /* Higher is faster in both cases: rates divide directly, times invert. */
    if (op == RLAB_BENCH_KEYGEN)
        return ref->stat.median / c->stat.median;
    return c->stat.median / ref->stat.median;
}

double rlab_bench_speed_overhead(const struct rlab_bench_result *r,
                                 enum rlab_bench_speed_op op)
{
    const struct rlab_bench_speed *s = &r->speed;
    if (s->status != RLAB_BENCH_DONE || (unsigned)op >= RLAB_BENCH_SPEED_OP_COUNT)
        return NAN;
    const struct rlab_bench_cell *c = &s->ours[op];
    double cli = op == RLAB_BENCH_SPEED_SIGN ? s->cli_sign : s->cli_verify;
    if (c->status != RLAB_BENCH_DONE || cli <= 0)
        return NAN;
    return (cli - c->stat.median) / cli * 100.0;
}

int rlab_bench_any_failed(const struct rlab_bench_result *r)
{
    for (size_t b = 0; b < r->cfg.n_backends; b++)
        for (size_t i = 0; i < r->cfg.n_bits; i++)
            for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++)
                if (r->cells[b][i][op].status == RLAB_BENCH_FAILED)
                    return 1;
    for (int op = 0; op < RLAB_BENCH_SPEED_OP_COUNT; op++)
        if (r->speed.ours[op].status == RLAB_BENCH_FAILED)
            return 1;
    return 0;
}
