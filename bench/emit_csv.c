/*
 * CSV: one row per (backend, size, operation), then the rows of the
 * `openssl speed` check; "#" comment lines first describe the machine
 * (gnuplot skips them).  Columns are documented in docs/BENCHMARKS.md.
 */
#include <math.h>
#include <string.h>

#include "bench/bench.h"

static void field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
    fputc('"', f);
}

static void number(FILE *f, double v, int present)
{
    if (present && !isnan(v))
        fprintf(f, "%.6g", v);
}

static void row(FILE *f, const char *backend, const char *library, unsigned bits,
                const char *op, const char *unit, const struct rlab_bench_cell *c,
                double ratio, const char *key)
{
    int done = c->status == RLAB_BENCH_DONE;
    field(f, backend);
    fputc(',', f);
    field(f, library);
    fprintf(f, ",%u,%s,%s,%s,", bits, op, unit, rlab_bench_status_name(c->status));
    if (done)
        fprintf(f, "%u,%llu", c->stat.n, (unsigned long long)c->stat.iters);
    else
        fputc(',', f);
    fputc(',', f);
    number(f, c->stat.median, done);
    fputc(',', f);
    number(f, c->stat.p10, done);
    fputc(',', f);
    number(f, c->stat.p90, done);
    fputc(',', f);
    number(f, ratio, done);
    fputc(',', f);
    field(f, key);
    fputc(',', f);
    field(f, c->reason);
    fputc('\n', f);
}

int rlab_bench_emit_csv(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_machine *m = &r->machine;
    const struct rlab_bench_config *c = &r->cfg;
    fprintf(f, "# rsalab bench%s, %s, wall %.1f s\n", c->quick ? " --quick" : "", m->date,
            r->wall_seconds);
    fprintf(f, "# cpu: %s (%u online); flags present: %s; absent: %s\n", m->cpu, m->cpus,
            m->flags_present, m->flags_absent);
    fprintf(f, "# system: %s; compiler: %s; build type: %s\n", m->kernel, m->compiler,
            m->build_type);
    fprintf(f, "# method: warm-up %.2f s, %u trials >= %.2f s, keygen budget %.0f s\n",
            c->warmup_seconds, c->trials, c->trial_seconds, c->keygen_budget);
    fprintf(f, "backend,library,bits,operation,unit,status,samples,iters_per_trial,"
               "median,p10,p90,ratio_to_openssl,key,note\n");
    for (size_t b = 0; b < c->n_backends; b++)
        for (size_t bi = 0; bi < c->n_bits; bi++)
            for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++)
                row(f, c->backends[b]->name, r->versions[b], c->bits[bi],
                    rlab_bench_op_name((enum rlab_bench_op)op),
                    rlab_bench_op_unit((enum rlab_bench_op)op), &r->cells[b][bi][op],
                    rlab_bench_ratio(r, b, bi, (enum rlab_bench_op)op),
                    op == RLAB_BENCH_KEYGEN ? "" : r->key_source[b][bi]);

    const struct rlab_bench_speed *s = &r->speed;
    if (s->status == RLAB_BENCH_DONE) {
        /* The CLI's own figures, then the backend's beside them; for these
         * rows ratio_to_openssl is relative to `openssl speed`. */
        struct rlab_bench_cell cli = {.status = RLAB_BENCH_DONE, .stat = {.n = 1}};
        snprintf(cli.reason, sizeof cli.reason, "%s", s->command);
        cli.stat.median = s->cli_sign;
        cli.stat.p10 = cli.stat.p90 = NAN;
        row(f, "openssl-speed", s->cli_version, 2048, "check:sign", "ops/s", &cli, NAN, "");
        cli.stat.median = s->cli_verify;
        row(f, "openssl-speed", s->cli_version, 2048, "check:verify", "ops/s", &cli, NAN, "");
        int o = rlab_bench_openssl_index(r);
        for (int op = 0; op < RLAB_BENCH_SPEED_OP_COUNT; op++) {
            double cli_rate = op == RLAB_BENCH_SPEED_SIGN ? s->cli_sign : s->cli_verify;
            char name[64];
            snprintf(name, sizeof name, "check:%s",
                     rlab_bench_speed_op_name((enum rlab_bench_speed_op)op));
            row(f, "openssl", o >= 0 ? r->versions[o] : "", 2048, name, "ops/s",
                &s->ours[op], s->ours[op].stat.median / cli_rate, "");
        }
    }
    return ferror(f) ? RLAB_ERR_IO : RLAB_OK;
}
