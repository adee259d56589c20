/* The keygen group: N keys per size and backend, as a distribution. */
#include "bench/bench_int.h"
#include "bench/rsa_ops.h"

/* A rough cost per key, only for the progress line's estimate. */
static double key_guess(unsigned bits)
{
    return bits <= 1024 ? 0.03 : bits <= 2048 ? 0.25 : bits <= 3072 ? 0.9 : 2.5;
}

double rlab_bench_plan_keygen(const struct rlab_bench_config *c)
{
    double s = 0;
    for (size_t i = 0; i < c->n_keygen_bits; i++) {
        double one = key_guess(c->keygen_bits[i]) * rlab_bench_keys_for(c, c->keygen_bits[i]);
        s += one < c->keygen_budget ? one : c->keygen_budget;
    }
    return s * (double)c->n_backends;
}

int rlab_bench_run_keygen(struct rlab_bench_run *run)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t bi = 0; bi < c->n_keygen_bits; bi++) {
        unsigned bits = c->keygen_bits[bi];
        unsigned n = rlab_bench_keys_for(c, bits);
        double cost = key_guess(bits) * n;
        for (size_t b = 0; b < c->n_backends; b++) {
            if (c->backends[b]->parent != NULL) {
                rlab_bench_cell_set(&r->keygen[b][bi], RLAB_BENCH_SKIPPED,
                                    "a variant: the key generation of its backend",
                                    RLAB_OK);
                continue;
            }
            char what[48];
            snprintf(what, sizeof what, "%u-bit, %u keys", bits, n);
            rlab_bench_step(run, RLAB_BG_KEYGEN, c->backends[b]->name, what,
                            cost < c->keygen_budget ? cost : c->keygen_budget);
            rlab_bench_time_keygen(c->backends[b], bits, n, c->keygen_budget,
                                   &r->keygen[b][bi], r->keygen_ms[b][bi]);
        }
    }
    return RLAB_OK;
}
