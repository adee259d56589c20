/* see bench.h */
#include <time.h>

#include "bench/bench.h"

uint64_t rlab_bench_now_ns(void)
{
    struct timespec ts;
    /* CLOCK_MONOTONIC never jumps with the wall clock; it cannot fail on
     * Linux, so there is no error path worth a branch in a timed loop. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
