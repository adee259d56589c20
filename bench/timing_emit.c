/*
 * The timing group in every output: the terminal table, REPORT.md and the
 * rows of the CSV and JSON (columns in docs/BENCHMARKS.md and
 * docs/TIMING.md).  See bench.h.
 */
#include <math.h>
#include <string.h>

#include "bench/bench.h"

static int ran(const struct rlab_bench_result *r)
{
    return (r->cfg.groups & (1u << RLAB_BG_TIMING)) != 0;
}

static int wanted(const struct rlab_bench_result *r, int op)
{
    return (r->cfg.timing_ops >> op) & 1u;
}

/* "12.3 LEAK", "5.1 suspicious", "0.8", or "skip"/"FAILED". */
static void cell_text(char *out, size_t cap, const struct rlab_bench_timing *t, size_t i)
{
    if (t->cell.status != RLAB_BENCH_DONE) {
        snprintf(out, cap, "%s", t->cell.status == RLAB_BENCH_FAILED   ? "FAILED"
                                 : t->cell.status == RLAB_BENCH_SKIPPED ? "skip"
                                                                        : "-");
        return;
    }
    if (i >= t->n_tests) {
        snprintf(out, cap, "-");
        return;
    }
    double a = fabs(t->test[i].t);
    if (isnan(a))
        snprintf(out, cap, "n/a");
    else
        snprintf(out, cap, "%.1f%s", a,
                 a > RLAB_BENCH_T_LEAK ? " LEAK" : a > RLAB_BENCH_T_SUSPICIOUS ? " susp." : "");
}

/* The longest test list of op over the backends (they share names). */
static const struct rlab_bench_timing *names_of(const struct rlab_bench_result *r, int op)
{
    const struct rlab_bench_timing *best = NULL;
    for (size_t b = 0; b < r->cfg.n_backends; b++)
        if (r->timing[b][op].cell.status == RLAB_BENCH_DONE &&
            (best == NULL || r->timing[b][op].n_tests > best->n_tests))
            best = &r->timing[b][op];
    return best;
}

#define LABEL_W 46
#define CELL_W 13

void rlab_bench_timing_table(const struct rlab_bench_result *r, FILE *f)
{
    if (!ran(r))
        return;
    const struct rlab_bench_config *c = &r->cfg;
    fprintf(f, "\ntiming: worst |t| of Welch's t-test over the crops (%u-bit key, %llu "
               "measurements per class asked,\n%s); > %.0f LEAK, > %.1f suspicious\n",
            c->timing_bits, (unsigned long long)c->timing_samples, r->timing_clock,
            RLAB_BENCH_T_LEAK, RLAB_BENCH_T_SUSPICIOUS);
    size_t per = (104 - LABEL_W) / (CELL_W + 3);
    for (size_t first = 0; first < c->n_backends; first += per) {
        size_t last = first + per < c->n_backends ? first + per : c->n_backends;
        fprintf(f, "%-*s", LABEL_W, "");
        for (size_t b = first; b < last; b++)
            fprintf(f, " | %-*s", CELL_W, c->backends[b]->name);
        fputc('\n', f);
        for (int op = 0; op < RLAB_BT_COUNT; op++) {
            if (!wanted(r, op))
                continue;
            const struct rlab_bench_timing *names = names_of(r, op);
            size_t n = names ? names->n_tests : 1;
            for (size_t i = 0; i < n; i++) {
                char label[LABEL_W + 32];
                snprintf(label, sizeof label, "%s%s%s", i == 0 ? rlab_bench_timing_op_name(op) : "",
                         i == 0 ? " " : "  ", names ? names->test[i].name : "");
                fprintf(f, "%-*.*s", LABEL_W, LABEL_W, label);
                for (size_t b = first; b < last; b++) {
                    char v[32];
                    cell_text(v, sizeof v, &r->timing[b][op], i);
                    fprintf(f, " | %-*s", CELL_W, v);
                }
                fputc('\n', f);
            }
        }
    }
    /* Skips, failures and notes, once each. */
    for (size_t b = 0; b < c->n_backends; b++)
        for (int op = 0; op < RLAB_BT_COUNT; op++) {
            const struct rlab_bench_timing *t = &r->timing[b][op];
            if (wanted(r, op) && t->cell.reason[0])
                fprintf(f, "  %s %s: %s%s\n", c->backends[b]->name,
                        rlab_bench_timing_op_name(op),
                        t->cell.status == RLAB_BENCH_SKIPPED  ? "skipped: "
                        : t->cell.status == RLAB_BENCH_FAILED ? "FAILED: "
                                                              : "",
                        t->cell.reason);
        }
}

void rlab_bench_timing_reading(const struct rlab_bench_result *r, FILE *f)
{
    if (!ran(r))
        return;
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t b = 0; b < c->n_backends; b++) {
        for (int op = 0; op < RLAB_BT_COUNT; op++) {
            const struct rlab_bench_timing *t = &r->timing[b][op];
            if (!wanted(r, op) || t->cell.status != RLAB_BENCH_DONE)
                continue;
            size_t worst = 0;
            for (size_t i = 1; i < t->n_tests; i++)
                if (fabs(t->test[i].t) > fabs(t->test[worst].t))
                    worst = i;
            const struct rlab_bench_ttest *x = &t->test[worst];
            double a = fabs(x->t);
            if (isnan(a) || a <= RLAB_BENCH_T_SUSPICIOUS)
                continue;
            fprintf(f, "- Timing, %s %s: %s, |t| = %.1f for %s (crop p%.4g; means %.0f and "
                       "%.0f, %+.0f units).\n",
                    c->backends[b]->name, rlab_bench_timing_op_name(op),
                    rlab_bench_timing_verdict(a), a, x->name, x->crop, x->mean_a, x->mean_b,
                    x->mean_b - x->mean_a);
        }
    }
}

void rlab_bench_timing_report(const struct rlab_bench_result *r, FILE *f)
{
    if (!ran(r))
        return;
    const struct rlab_bench_config *c = &r->cfg;
    fprintf(f, "\n## Timing\n\nWorst |t| of Welch's t-test over the crops (docs/TIMING.md); "
               "%u-bit key, %llu measurements per class asked; clock: %s. Above %.0f: leak; "
               "above %.1f: suspicious. A low |t| is no proof of constant time.\n\n",
            c->timing_bits, (unsigned long long)c->timing_samples, r->timing_clock,
            RLAB_BENCH_T_LEAK, RLAB_BENCH_T_SUSPICIOUS);
    fprintf(f, "| operation | comparison |");
    for (size_t b = 0; b < c->n_backends; b++)
        fprintf(f, " %s |", c->backends[b]->name);
    fprintf(f, "\n|---|---|");
    for (size_t b = 0; b < c->n_backends; b++)
        fputs("---:|", f);
    fputc('\n', f);
    for (int op = 0; op < RLAB_BT_COUNT; op++) {
        if (!wanted(r, op))
            continue;
        const struct rlab_bench_timing *names = names_of(r, op);
        size_t n = names ? names->n_tests : 1;
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "| %s | %s |", rlab_bench_timing_op_name(op),
                    names ? names->test[i].name : "-");
            for (size_t b = 0; b < c->n_backends; b++) {
                char v[32];
                cell_text(v, sizeof v, &r->timing[b][op], i);
                fprintf(f, " %s |", v);
            }
            fputc('\n', f);
        }
    }
    fputc('\n', f);
    for (size_t b = 0; b < c->n_backends; b++)
        for (int op = 0; op < RLAB_BT_COUNT; op++) {
            const struct rlab_bench_timing *t = &r->timing[b][op];
            if (wanted(r, op) && t->cell.reason[0])
                fprintf(f, "- %s %s: %s%s\n", c->backends[b]->name,
                        rlab_bench_timing_op_name(op),
                        t->cell.status == RLAB_BENCH_SKIPPED  ? "skipped: "
                        : t->cell.status == RLAB_BENCH_FAILED ? "FAILED: "
                                                              : "",
                        t->cell.reason);
        }
}

/* ---- rows ---------------------------------------------------------------- */

static struct rlab_bench_row blank(const char *group)
{
    return (struct rlab_bench_row){.group = group, .backend = "-", .peer = "", .library = "",
                                   .operation = "", .unit = "", .median = NAN, .p10 = NAN,
                                   .p90 = NAN, .p99 = NAN, .max = NAN, .ratio = NAN,
                                   .ratio_to = "", .note = ""};
}

/*
 * Per (backend, operation, comparison) one "timing" row: median = worst
 * |t|, p10 = |t| without cropping, p90 = the worst crop's percentile
 * (100: none), samples = measurements per class, ratio = mean of B over
 * mean of A in the worst crop, note = the verdict and means.  Then per
 * (backend, operation) "timing-trace" rows: size = measurements so far,
 * median = the first comparison's worst |t| then.
 */
int rlab_bench_timing_rows(const struct rlab_bench_result *r, rlab_bench_row_fn fn, void *ctx)
{
    const struct rlab_bench_config *c = &r->cfg;
    int rc = 0;
    char op[RLAB_BT_COUNT][RLAB_BENCH_TIMING_TESTS][96];
    char note[RLAB_BENCH_TIMING_TESTS][RLAB_BENCH_REASON + 160];
    for (size_t b = 0; b < c->n_backends && rc == 0; b++) {
        for (int o = 0; o < RLAB_BT_COUNT && rc == 0; o++) {
            const struct rlab_bench_timing *t = &r->timing[b][o];
            if (!wanted(r, o))
                continue;
            struct rlab_bench_row row = blank("timing");
            row.backend = c->backends[b]->name;
            row.library = r->versions[b];
            row.bits = c->timing_bits;
            row.unit = "|t|";
            row.status = t->cell.status;
            row.note = t->cell.reason;
            if (t->cell.status != RLAB_BENCH_DONE) {
                row.operation = rlab_bench_timing_op_name(o);
                rc = fn(ctx, &row);
                continue;
            }
            for (size_t i = 0; i < t->n_tests && rc == 0; i++) {
                const struct rlab_bench_ttest *x = &t->test[i];
                snprintf(op[o][i], sizeof op[o][i], "%s:%s", rlab_bench_timing_op_name(o),
                         x->name);
                snprintf(note[i], sizeof note[i], "%s; t %+.2f; means %.1f / %.1f (n %llu / "
                         "%llu)%s%s",
                         rlab_bench_timing_verdict(fabs(x->t)), x->t, x->mean_a, x->mean_b,
                         (unsigned long long)x->n_a, (unsigned long long)x->n_b,
                         t->cell.reason[0] ? "; " : "", t->cell.reason);
                row.operation = op[o][i];
                row.samples = (unsigned)t->per_class;
                row.median = fabs(x->t);
                row.p10 = fabs(x->t_uncropped);
                row.p90 = x->crop;
                row.ratio = x->mean_a > 0 ? x->mean_b / x->mean_a : NAN;
                row.ratio_to = "mean of class A, worst crop";
                row.note = note[i];
                rc = fn(ctx, &row);
            }
            for (size_t i = 0; i < t->n_trace && rc == 0; i++) {
                struct rlab_bench_row tr = blank("timing-trace");
                tr.backend = c->backends[b]->name;
                tr.library = r->versions[b];
                tr.bits = c->timing_bits;
                tr.operation = op[o][0];
                tr.size = t->trace_n[i];
                tr.unit = "|t|";
                tr.status = isnan(t->trace_t[i]) ? RLAB_BENCH_SKIPPED : RLAB_BENCH_DONE;
                tr.samples = (unsigned)t->per_class;
                tr.median = t->trace_t[i];
                rc = fn(ctx, &tr);
            }
        }
    }
    return rc;
}
