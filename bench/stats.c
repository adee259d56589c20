/* Order statistics and the timing loop every rate figure uses; see bench.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"

#define MAX_TRIALS 64

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double rlab_bench_percentile(const double *sorted, size_t n, double p)
{
    if (n == 1)
        return sorted[0];
    /* Linear interpolation between the two nearest order statistics (the
     * usual "type 7" definition), so p50 of an even count is the mean of
     * the middle two. */
    double pos = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)pos;
    if (lo >= n - 1)
        return sorted[n - 1];
    double frac = pos - (double)lo;
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

void rlab_bench_summarise(double *v, size_t n, struct rlab_bench_stat *out)
{
    out->n = (unsigned)n;
    if (n == 0) {
        out->median = out->p10 = out->p90 = out->max = 0;
        return;
    }
    qsort(v, n, sizeof v[0], cmp_double);
    out->median = rlab_bench_percentile(v, n, 50);
    out->p10 = rlab_bench_percentile(v, n, 10);
    out->p90 = rlab_bench_percentile(v, n, 90);
    out->max = v[n - 1];
}

void rlab_bench_cell_set(struct rlab_bench_cell *c, enum rlab_bench_status st,
                         const char *what, int rc)
{
    c->status = st;
    const char *detail = rlab_error_detail();
    if (rc == RLAB_OK)
        snprintf(c->reason, sizeof c->reason, "%s", what);
    else if (detail[0] != '\0')
        snprintf(c->reason, sizeof c->reason, "%s: %s (%s)", what, rlab_strerror(rc), detail);
    else
        snprintf(c->reason, sizeof c->reason, "%s: %s", what, rlab_strerror(rc));
}

void rlab_bench_time_loop(int (*fn)(void *ctx), void *ctx, double scale,
                          const struct rlab_bench_config *cfg,
                          struct rlab_bench_cell *cell)
{
    memset(cell, 0, sizeof *cell);
    /* Warm-up: caches, branch predictors, lazy library set-up, CPU clock;
     * it also tells how many iterations make a trial long enough. */
    rlab_error_clear();
    uint64_t warm_ns = (uint64_t)(cfg->warmup_seconds * 1e9);
    uint64_t t0 = rlab_bench_now_ns(), t1;
    uint64_t count = 0;
    int rc;
    do {
        rc = fn(ctx);
        count++;
        t1 = rlab_bench_now_ns();
    } while (rc == RLAB_OK && t1 - t0 < warm_ns);
    if (rc != RLAB_OK) {
        rlab_bench_cell_set(cell, RLAB_BENCH_FAILED, "operation", rc);
        return;
    }
    double per_op = (double)(t1 - t0) / (double)count;
    double want = ceil(cfg->trial_seconds * 1e9 / (per_op > 1 ? per_op : 1));
    uint64_t iters = want < 1 ? 1 : (uint64_t)want;

    double rates[MAX_TRIALS];
    unsigned trials = cfg->trials < 1 ? 1 : cfg->trials > MAX_TRIALS ? MAX_TRIALS : cfg->trials;
    for (unsigned t = 0; t < trials; t++) {
        t0 = rlab_bench_now_ns();
        for (uint64_t i = 0; i < iters && rc == RLAB_OK; i++)
            rc = fn(ctx);
        t1 = rlab_bench_now_ns();
        if (rc != RLAB_OK) {
            rlab_bench_cell_set(cell, RLAB_BENCH_FAILED, "operation", rc);
            return;
        }
        rates[t] = (double)iters * 1e9 / (double)(t1 - t0 ? t1 - t0 : 1) * scale;
    }
    rlab_bench_summarise(rates, trials, &cell->stat);
    cell->stat.iters = iters;
    cell->status = RLAB_BENCH_DONE;
}
