/* JSON (jansson): the same rows as the CSV, with the machine and the
 * configuration as objects; see bench.h. */
#include <jansson.h>
#include <math.h>

#include "bench/bench.h"

static json_t *num_or_null(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
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
    json_object_set_new(o, "git_revision", json_string(m->git_rev));
    return o;
}

static json_t *uint_array(const unsigned *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

static json_t *config_json(const struct rlab_bench_config *c)
{
    json_t *o = json_object(), *groups = json_array(), *chunks = json_array(),
           *payloads = json_array();
    for (int g = 0; g < RLAB_BG_COUNT; g++)
        if (c->groups & (1u << g))
            json_array_append_new(groups,
                                  json_string(rlab_bench_group_name((enum rlab_bench_group)g)));
    json_object_set_new(o, "groups", groups);
    json_object_set_new(o, "quick", json_boolean(c->quick));
    json_object_set_new(o, "bits", uint_array(c->bits, c->n_bits));
    json_object_set_new(o, "keygen_bits", uint_array(c->keygen_bits, c->n_keygen_bits));
    json_object_set_new(o, "trials", json_integer(c->trials));
    json_object_set_new(o, "trial_seconds", json_real(c->trial_seconds));
    json_object_set_new(o, "warmup_seconds", json_real(c->warmup_seconds));
    json_object_set_new(o, "keygen_budget_seconds", json_real(c->keygen_budget));
    for (size_t i = 0; i < c->n_chunks; i++)
        json_array_append_new(chunks, json_integer((json_int_t)c->chunks[i]));
    json_object_set_new(o, "chunk_bytes", chunks);
    for (size_t i = 0; i < c->n_payloads; i++)
        json_array_append_new(payloads, json_integer((json_int_t)c->payloads[i]));
    json_object_set_new(o, "payload_bytes", payloads);
    json_object_set_new(o, "memcpy_bytes", json_integer((json_int_t)c->memcpy_bytes));
    json_object_set_new(o, "tcp_bytes", json_integer((json_int_t)c->tcp_bytes));
    json_object_set_new(o, "handshake_identity_bits", json_integer(c->hs_id_bits));
    json_object_set_new(o, "handshake_transient_bits", json_integer(c->hs_tr_bits));
    if (c->groups & (1u << RLAB_BG_TIMING)) {
        json_t *ops = json_array();
        for (int op = 0; op < RLAB_BT_COUNT; op++)
            if ((c->timing_ops >> op) & 1u)
                json_array_append_new(
                    ops, json_string(rlab_bench_timing_op_name((enum rlab_bench_timing_op)op)));
        json_object_set_new(o, "timing_operations", ops);
        json_object_set_new(o, "timing_samples_per_class",
                            json_integer((json_int_t)c->timing_samples));
        json_object_set_new(o, "timing_bits", json_integer(c->timing_bits));
        json_object_set_new(o, "timing_budget_seconds", json_real(c->timing_budget));
    }
    return o;
}

static void set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, json_string(v));
}

static int json_row(void *ctx, const struct rlab_bench_row *row)
{
    json_t *o = json_object();
    set_str(o, "group", row->group);
    set_str(o, "backend", row->backend);
    set_str(o, "peer", row->peer);
    set_str(o, "library", row->library);
    json_object_set_new(o, "bits", row->bits ? json_integer(row->bits) : json_null());
    set_str(o, "operation", row->operation);
    json_object_set_new(o, "size", row->size ? json_integer((json_int_t)row->size) : json_null());
    set_str(o, "unit", row->unit);
    set_str(o, "status", rlab_bench_status_name(row->status));
    int done = row->status == RLAB_BENCH_DONE;
    json_object_set_new(o, "samples",
                        done && row->samples ? json_integer(row->samples) : json_null());
    json_object_set_new(o, "iters_per_trial",
                        done && row->iters ? json_integer((json_int_t)row->iters) : json_null());
    json_object_set_new(o, "median", num_or_null(row->median));
    json_object_set_new(o, "p10", num_or_null(row->p10));
    json_object_set_new(o, "p90", num_or_null(row->p90));
    json_object_set_new(o, "p99", num_or_null(row->p99));
    json_object_set_new(o, "max", num_or_null(row->max));
    json_object_set_new(o, "ratio", num_or_null(row->ratio));
    set_str(o, "ratio_to", row->ratio_to);
    set_str(o, "note", row->note);
    return json_array_append_new(ctx, o) == 0 ? 0 : RLAB_ERR_NOMEM;
}

int rlab_bench_emit_json(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_config *c = &r->cfg;
    json_t *root = json_object(), *backends = json_array(), *rows = json_array();
    json_object_set_new(root, "machine", machine_json(r));
    json_object_set_new(root, "config", config_json(c));
    if (c->groups & (1u << RLAB_BG_TIMING))
        json_object_set_new(root, "timing_clock", json_string(r->timing_clock));
    for (size_t b = 0; b < c->n_backends; b++) {
        json_t *be = json_object();
        set_str(be, "name", c->backends[b]->name);
        set_str(be, "library", r->versions[b]);
        json_array_append_new(backends, be);
    }
    json_object_set_new(root, "backends", backends);
    int rc = rlab_bench_rows(r, json_row, rows);
    json_object_set_new(root, "rows", rows);
    json_object_set_new(root, "wall_seconds", json_real(r->wall_seconds));
    if (rc == 0)
        rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 ? 0 : RLAB_ERR_IO;
    fputc('\n', f);
    json_decref(root);
    return rc == 0 && !ferror(f) ? RLAB_OK : RLAB_ERR_IO;
}
