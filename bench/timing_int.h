/*
 * Inside the bench library: the timing group (bench/timing*.c).  Not part
 * of the bench API; bench.h has the result types, docs/TIMING.md the method.
 */
#ifndef RLAB_BENCH_TIMING_INT_H
#define RLAB_BENCH_TIMING_INT_H

#include "bench/bench_int.h"

int rlab_bench_run_timing(struct rlab_bench_run *run);
double rlab_bench_plan_timing(const struct rlab_bench_config *c);

/* The clock of the timing group: the CPU's time-stamp counter where there
 * is one (x86-64, read between fences), else CLOCK_MONOTONIC in ns. */
uint64_t rlab_bench_tick(void);
const char *rlab_bench_tick_name(void);

/*
 * The most classes one operation compares: class 0 is A (valid input, or
 * the first fixed input); classes 1..n are the kinds of B (invalid
 * paddings of several kinds, or the second fixed input).
 */
#define RLAB_BT_MAX_CLASSES 6
#define RLAB_BT_POOL 128 /* inputs prepared per class, drawn at random */

/*
 * One operation under test.  prepare() runs before the clock starts (to
 * reset output lengths or restore a handshake state); run() is what is
 * timed: it processes input `i` of class `cls` and returns the entry
 * point's rc.  Both must not allocate.
 */
struct rlab_bt_target {
    size_t n_classes;                           /* A and the kinds of B */
    const char *class_name[RLAB_BT_MAX_CLASSES]; /* "valid", "bad-lhash" */
    void (*prepare)(void *ctx, size_t cls, size_t i);
    int (*run)(void *ctx, size_t cls, size_t i);
    void *ctx;
    int b_may_succeed; /* class B may answer RLAB_OK (implicit rejection,
                          the handshake's hidden failure, fixed inputs) */
};

/*
 * The handshake target (bench/timing_hs.c): a server at the point of reading
 * ClientKey, restored from a copy before each measurement, with pools of
 * good and bad ClientKey frames signed by a client of the same handshake.
 * Uses key k (>= 2048 bits) of backend be for every role.
 */
struct rlab_bt_hs;
int rlab_bt_hs_new(const struct rlab_backend *be, const rlab_key *k, struct rlab_bt_hs **out,
                   struct rlab_bt_target *t, char *why, size_t why_len);
void rlab_bt_hs_free(struct rlab_bt_hs *h);

#endif
