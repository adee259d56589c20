/* JSON (jansson): the same result as the CSV, nested; see bench.h. */
#include <jansson.h>
#include <math.h>

#include "bench/bench.h"

static json_t *num_or_null(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *cell_json(const struct rlab_bench_cell *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(rlab_bench_status_name(c->status)));
    if (c->status == RLAB_BENCH_DONE) {
        json_object_set_new(o, "samples", json_integer(c->stat.n));
        json_object_set_new(o, "iters_per_trial", json_integer((json_int_t)c->stat.iters));
        json_object_set_new(o, "median", num_or_null(c->stat.median));
        json_object_set_new(o, "p10", num_or_null(c->stat.p10));
        json_object_set_new(o, "p90", num_or_null(c->stat.p90));
    }
    if (c->reason[0] != '\0')
        json_object_set_new(o, "note", json_string(c->reason));
    return o;
}

static json_t *machine_json(const struct rlab_bench_result *r)
{
    const struct rlab_bench_machine *m = &r->machine;
    json_t *o = json_object();
    json_object_set_new(o, "date", json_string(m->date));
    json_object_set_new(o, "cpu", json_string(m->cpu));
    json_object_set_new(o, "cpus", json_integer(m->cpus));
    json_object_set_new(o, "flags_present", json_string(m->flags_present));
    json_object_set_new(o, "flags_absent", json_string(m->flags_absent));
    json_object_set_new(o, "system", json_string(m->kernel));
    json_object_set_new(o, "compiler", json_string(m->compiler));
    json_object_set_new(o, "build_type", json_string(m->build_type));
    return o;
}

static json_t *config_json(const struct rlab_bench_config *c)
{
    json_t *o = json_object(), *bits = json_array();
    json_object_set_new(o, "quick", json_boolean(c->quick));
    for (size_t i = 0; i < c->n_bits; i++)
        json_array_append_new(bits, json_integer(c->bits[i]));
    json_object_set_new(o, "bits", bits);
    json_object_set_new(o, "trials", json_integer(c->trials));
    json_object_set_new(o, "trial_seconds", json_real(c->trial_seconds));
    json_object_set_new(o, "warmup_seconds", json_real(c->warmup_seconds));
    json_object_set_new(o, "keygen_budget_seconds", json_real(c->keygen_budget));
    return o;
}

static json_t *speed_json(const struct rlab_bench_result *r)
{
    const struct rlab_bench_speed *s = &r->speed;
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(rlab_bench_status_name(s->status)));
    if (s->status != RLAB_BENCH_DONE) {
        json_object_set_new(o, "reason", json_string(s->reason));
        return o;
    }
    json_object_set_new(o, "command", json_string(s->command));
    json_object_set_new(o, "cli_version", json_string(s->cli_version));
    json_object_set_new(o, "rounds", json_integer(s->rounds));
    json_object_set_new(o, "cli_sign_per_s", json_real(s->cli_sign));
    json_object_set_new(o, "cli_verify_per_s", json_real(s->cli_verify));
    json_t *ours = json_object();
    for (int op = 0; op < RLAB_BENCH_SPEED_OP_COUNT; op++) {
        json_t *c = cell_json(&s->ours[op]);
        double ov = rlab_bench_speed_overhead(r, (enum rlab_bench_speed_op)op);
        json_object_set_new(c, "overhead_percent", num_or_null(ov));
        json_object_set_new(ours, rlab_bench_speed_op_name((enum rlab_bench_speed_op)op), c);
    }
    json_object_set_new(o, "openssl_backend", ours);
    return o;
}

int rlab_bench_emit_json(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_config *c = &r->cfg;
    json_t *root = json_object(), *backends = json_array(), *results = json_array();
    json_object_set_new(root, "machine", machine_json(r));
    json_object_set_new(root, "config", config_json(c));
    for (size_t b = 0; b < c->n_backends; b++) {
        json_t *be = json_object();
        json_object_set_new(be, "name", json_string(c->backends[b]->name));
        json_object_set_new(be, "library", json_string(r->versions[b]));
        json_array_append_new(backends, be);
        for (size_t bi = 0; bi < c->n_bits; bi++) {
            for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++) {
                json_t *cell = cell_json(&r->cells[b][bi][op]);
                json_object_set_new(cell, "backend", json_string(c->backends[b]->name));
                json_object_set_new(cell, "bits", json_integer(c->bits[bi]));
                json_object_set_new(cell, "operation",
                                    json_string(rlab_bench_op_name((enum rlab_bench_op)op)));
                json_object_set_new(cell, "unit",
                                    json_string(rlab_bench_op_unit((enum rlab_bench_op)op)));
                double x = rlab_bench_ratio(r, b, bi, (enum rlab_bench_op)op);
                json_object_set_new(cell, "ratio_to_openssl", num_or_null(x));
                if (op != RLAB_BENCH_KEYGEN)
                    json_object_set_new(cell, "key", json_string(r->key_source[b][bi]));
                json_array_append_new(results, cell);
            }
        }
    }
    json_object_set_new(root, "backends", backends);
    json_object_set_new(root, "results", results);
    json_object_set_new(root, "speed_check", speed_json(r));
    json_object_set_new(root, "wall_seconds", json_real(r->wall_seconds));
    int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    json_decref(root);
    return rc == 0 && !ferror(f) ? RLAB_OK : RLAB_ERR_IO;
}
