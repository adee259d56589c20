/* see bench.h */
#include <stdlib.h>

#include "bench/bench.h"

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
        out->median = out->p10 = out->p90 = 0;
        return;
    }
    qsort(v, n, sizeof v[0], cmp_double);
    out->median = rlab_bench_percentile(v, n, 50);
    out->p10 = rlab_bench_percentile(v, n, 10);
    out->p90 = rlab_bench_percentile(v, n, 90);
}
