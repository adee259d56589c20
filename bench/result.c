/* Names and derived figures shared by every emitter; see bench.h. */
#include <math.h>
#include <string.h>

#include "bench/bench.h"

static const struct {
    const char *name, *label;
} op_info[RLAB_BENCH_OP_COUNT] = {
    [RLAB_BENCH_OAEP_ENCRYPT] = {"oaep-sha256-encrypt", "OAEP-SHA256 encrypt"},
    [RLAB_BENCH_OAEP_DECRYPT] = {"oaep-sha256-decrypt", "OAEP-SHA256 decrypt"},
    [RLAB_BENCH_PSS_SIGN] = {"pss-sha256-sign", "PSS-SHA256 sign"},
    [RLAB_BENCH_PSS_VERIFY] = {"pss-sha256-verify", "PSS-SHA256 verify"},
    [RLAB_BENCH_PKCS1_SIGN] = {"pkcs1-sha256-sign", "v1.5-SHA256 sign"},
    [RLAB_BENCH_PKCS1_VERIFY] = {"pkcs1-sha256-verify", "v1.5-SHA256 verify"},
    [RLAB_BENCH_RAW_PRIVATE] = {"raw-private", "raw private"},
    [RLAB_BENCH_RAW_PUBLIC] = {"raw-public", "raw public"},
};

const char *rlab_bench_op_name(enum rlab_bench_op op)
{
    return (unsigned)op < RLAB_BENCH_OP_COUNT ? op_info[op].name : "unknown";
}

const char *rlab_bench_op_label(enum rlab_bench_op op)
{
    return (unsigned)op < RLAB_BENCH_OP_COUNT ? op_info[op].label : "unknown";
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

static int usable(const struct rlab_bench_cell *c)
{
    return c->status == RLAB_BENCH_DONE && c->stat.median > 0;
}

double rlab_bench_ops_ratio(const struct rlab_bench_result *r, size_t backend,
                            size_t bits, enum rlab_bench_op op)
{
    int o = rlab_bench_openssl_index(r);
    if (o < 0)
        return NAN;
    const struct rlab_bench_cell *c = &r->ops[backend][bits][op], *ref = &r->ops[o][bits][op];
    return usable(c) && usable(ref) ? c->stat.median / ref->stat.median : NAN;
}

double rlab_bench_keygen_ratio(const struct rlab_bench_result *r, size_t backend,
                               size_t kbits)
{
    int o = rlab_bench_openssl_index(r);
    if (o < 0)
        return NAN;
    const struct rlab_bench_cell *c = &r->keygen[backend][kbits], *ref = &r->keygen[o][kbits];
    /* Times, not rates: higher is faster when the reference is on top. */
    return usable(c) && usable(ref) ? ref->stat.median / c->stat.median : NAN;
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

static int failed(const struct rlab_bench_cell *c)
{
    return c->status == RLAB_BENCH_FAILED;
}

int rlab_bench_any_failed(const struct rlab_bench_result *r)
{
    const struct rlab_bench_config *c = &r->cfg;
    int f = failed(&r->ceil.memcpy_rate) || failed(&r->ceil.tcp) || failed(&r->ceil.inbox);
    for (size_t b = 0; b < c->n_backends; b++) {
        for (size_t i = 0; i < c->n_keygen_bits; i++)
            f |= failed(&r->keygen[b][i]);
        for (size_t i = 0; i < c->n_bits; i++)
            for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++)
                f |= failed(&r->ops[b][i][op]);
        f |= failed(&r->chunking[b].rsa) || failed(&r->chunking[b].stream) ||
             failed(&r->ceil.stream[b]);
        for (size_t i = 0; i < c->n_chunks; i++)
            f |= failed(&r->chunking[b].aead[i]);
        for (int op = 0; op < RLAB_BENCH_HS_OPS; op++)
            f |= failed(&r->hs_ops[b][op]);
        for (int op = 0; op < RLAB_BT_COUNT; op++)
            f |= failed(&r->timing[b][op].cell);
    }
    for (int op = 0; op < RLAB_BENCH_SPEED_OP_COUNT; op++)
        f |= failed(&r->speed.ours[op]);
    for (size_t i = 0; i < r->n_hs; i++)
        f |= failed(&r->hs[i].rate);
    for (size_t i = 0; i < r->n_tput; i++)
        f |= failed(&r->tput[i].rate);
    return f;
}
