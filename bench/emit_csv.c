/*
 * CSV: "#" comment lines describing the machine and the run (gnuplot skips
 * them), a header, then one line per row of rlab_bench_rows().  Columns are
 * documented in docs/BENCHMARKS.md ("Files").
 */
#include <inttypes.h>
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

static void number(FILE *f, double v)
{
    fputc(',', f);
    if (!isnan(v) && !isinf(v))
        fprintf(f, "%.6g", v);
}

static int csv_row(void *ctx, const struct rlab_bench_row *row)
{
    FILE *f = ctx;
    int done = row->status == RLAB_BENCH_DONE;
    fprintf(f, "%s,", row->group);
    field(f, row->backend);
    fputc(',', f);
    field(f, row->peer);
    fputc(',', f);
    field(f, row->library);
    fputc(',', f);
    if (row->bits)
        fprintf(f, "%u", row->bits);
    fprintf(f, ",%s,", row->operation);
    if (row->size)
        fprintf(f, "%" PRIu64, row->size);
    fprintf(f, ",%s,%s,", row->unit, rlab_bench_status_name(row->status));
    if (done && row->samples)
        fprintf(f, "%u", row->samples);
    fputc(',', f);
    if (done && row->iters)
        fprintf(f, "%" PRIu64, row->iters);
    number(f, row->median);
    number(f, row->p10);
    number(f, row->p90);
    number(f, row->p99);
    number(f, row->max);
    number(f, row->ratio);
    fputc(',', f);
    field(f, row->ratio_to);
    fputc(',', f);
    field(f, row->note);
    fputc('\n', f);
    return ferror(f) ? RLAB_ERR_IO : 0;
}

int rlab_bench_emit_csv(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_machine *m = &r->machine;
    const struct rlab_bench_config *c = &r->cfg;
    fprintf(f, "# rsalab bench%s, %s, wall %.1f s, git %s\n", c->quick ? " --quick" : "",
            m->date, r->wall_seconds, m->git_rev);
    fprintf(f, "# cpu: %s (%u online); flags present: %s; absent: %s\n", m->cpu, m->cpus,
            m->flags_present, m->flags_absent);
    fprintf(f, "# system: %s; compiler: %s; build type: %s\n", m->kernel, m->compiler,
            m->build_type);
    fprintf(f, "# method: warm-up %.3f s, %u trials >= %.3f s, keygen budget %.1f s\n",
            c->warmup_seconds, c->trials, c->trial_seconds, c->keygen_budget);
    if (c->groups & (1u << RLAB_BG_TIMING))
        fprintf(f, "# timing: %llu measurements per class, %u bits, clock %s\n",
                (unsigned long long)c->timing_samples, c->timing_bits, r->timing_clock);
    fprintf(f, "group,backend,peer,library,bits,operation,size,unit,status,samples,"
               "iters_per_trial,median,p10,p90,p99,max,ratio,ratio_to,note\n");
    int rc = rlab_bench_rows(r, csv_row, f);
    return rc == 0 && !ferror(f) ? RLAB_OK : RLAB_ERR_IO;
}
