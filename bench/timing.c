/*
 * The timing group: a dudect-style leakage test (Reparaz, Balasch,
 * Verbauwhede, "Dude, is my code constant time?", 2017) of each backend's
 * private-key operations, through the entry points of backends/ops.h.
 *
 * For each operation two classes of input, A and B (B possibly of several
 * kinds), are measured interleaved in a random order, each measurement one
 * call between two reads of the clock.  A Welch t-test compares the classes
 * on every measurement and on the measurements below each of several
 * percentiles (the crops: the upper tail is mostly interrupts and other
 * tenants of the machine, and cropping it makes a small difference visible).
 * The worst |t| over the crops is the figure: above 10 a leak, above 4.5
 * suspicious.  docs/TIMING.md says what this can and cannot see.
 *
 * Never pass/fail: the figures go into the result like any other.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "bench/timing_int.h"
#include "core/random.h"

/* ---- the clock ---------------------------------------------------------- */

uint64_t rlab_bench_tick(void)
{
#if defined(__x86_64__)
    /* The fences keep the operation from moving across the reads. */
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

const char *rlab_bench_tick_name(void)
{
#if defined(__x86_64__)
    return "cycles (rdtsc, time-stamp counter ticks)";
#else
    return "ns (CLOCK_MONOTONIC)";
#endif
}

/* ---- names --------------------------------------------------------------- */

static const struct {
    const char *key, *name;
} op_names[RLAB_BT_COUNT] = {
    [RLAB_BT_OAEP] = {"oaep", "oaep-sha256-decrypt"},
    [RLAB_BT_PKCS1] = {"pkcs1", "pkcs1-decrypt"},
    [RLAB_BT_PSS] = {"pss", "pss-sha256-sign"},
    [RLAB_BT_RAW] = {"raw", "raw-private"},
    [RLAB_BT_HANDSHAKE] = {"handshake", "handshake-oaep"},
};

const char *rlab_bench_timing_op_key(enum rlab_bench_timing_op op)
{
    return (unsigned)op < RLAB_BT_COUNT ? op_names[op].key : "unknown";
}

const char *rlab_bench_timing_op_name(enum rlab_bench_timing_op op)
{
    return (unsigned)op < RLAB_BT_COUNT ? op_names[op].name : "unknown";
}

int rlab_bench_timing_op_find(const char *key)
{
    for (int i = 0; i < RLAB_BT_COUNT; i++)
        if (strcmp(op_names[i].key, key) == 0 || strcmp(op_names[i].name, key) == 0)
            return i;
    return -1;
}

const char *rlab_bench_timing_verdict(double abs_t)
{
    if (isnan(abs_t))
        return "-";
    return abs_t > RLAB_BENCH_T_LEAK ? "leak" : abs_t > RLAB_BENCH_T_SUSPICIOUS ? "suspicious"
                                                                             : "no leak seen";
}

/* ---- statistics ------------------------------------------------------------ */

/* Crop 0 keeps everything; crop c >= 1 keeps what lies below the
 * 100 * (1 - 0.5^c) percentile of the calibration measurements (50, 75,
 * 87.5, ... 99.9), dudect's spacing: dense near the top, where the tail
 * begins. */
#define NCROP 11
#define MIN_SIDE 20 /* measurements per side before a crop's t counts */

struct welford {
    double n, mean, m2;
};

static void wf_add(struct welford *w, double x)
{
    w->n += 1;
    double d = x - w->mean;
    w->mean += d / w->n;
    w->m2 += d * (x - w->mean);
}

/* Welch's t of B against A; NAN when a side is too small or flat. */
static double welch(const struct welford *a, const struct welford *b)
{
    if (a->n < MIN_SIDE || b->n < MIN_SIDE)
        return NAN;
    double va = a->m2 / (a->n - 1), vb = b->m2 / (b->n - 1);
    double se = sqrt(va / a->n + vb / b->n);
    return se > 0 ? (b->mean - a->mean) / se : NAN;
}

struct test {
    uint32_t side_a, side_b; /* class bit masks */
    struct welford w[NCROP][2];
};

struct stats {
    size_t n_tests;
    struct test t[RLAB_BENCH_TIMING_TESTS];
    double thr[NCROP]; /* crop thresholds; thr[0] = +inf */
};

static double crop_pct(int c)
{
    return c == 0 ? 100.0 : 100.0 * (1.0 - pow(0.5, c));
}

static void stats_add(struct stats *s, size_t cls, double x)
{
    uint32_t bit = 1u << cls;
    for (size_t i = 0; i < s->n_tests; i++) {
        struct test *t = &s->t[i];
        int side = (t->side_a & bit) ? 0 : (t->side_b & bit) ? 1 : -1;
        if (side < 0)
            continue;
        for (int c = 0; c < NCROP; c++)
            if (x < s->thr[c])
                wf_add(&t->w[c][side], x);
    }
}

/* The worst crop of test i into out (name set by the caller). */
static void stats_result(const struct stats *s, size_t i, struct rlab_bench_ttest *out)
{
    const struct test *t = &s->t[i];
    int worst = -1;
    double wt = NAN;
    for (int c = 0; c < NCROP; c++) {
        double v = welch(&t->w[c][0], &t->w[c][1]);
        if (!isnan(v) && (worst < 0 || fabs(v) > fabs(wt))) {
            worst = c;
            wt = v;
        }
    }
    out->t_uncropped = welch(&t->w[0][0], &t->w[0][1]);
    out->t = wt;
    int c = worst < 0 ? 0 : worst;
    out->crop = crop_pct(c);
    out->n_a = (uint64_t)t->w[c][0].n;
    out->n_b = (uint64_t)t->w[c][1].n;
    out->mean_a = t->w[c][0].n > 0 ? t->w[c][0].mean : NAN;
    out->mean_b = t->w[c][1].n > 0 ? t->w[c][1].mean : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Tests of an operation with n classes: A against all of B; then, when B
 * has several kinds, A against each kind and each kind against the other
 * kinds (the comparison a padding oracle needs). */
static void stats_plan(struct stats *s, const struct rlab_bt_target *tg,
                       struct rlab_bench_timing *res)
{
    memset(s, 0, sizeof *s);
    size_t nb = tg->n_classes - 1;
    uint32_t all_b = ((1u << tg->n_classes) - 1) & ~1u;
    s->t[0].side_a = 1u;
    s->t[0].side_b = all_b;
    snprintf(res->test[0].name, sizeof res->test[0].name, "%s-vs-%s", tg->class_name[0],
             nb > 1 ? "invalid" : tg->class_name[1]);
    s->n_tests = 1;
    for (size_t k = 1; nb > 1 && k <= nb && s->n_tests + 2 <= RLAB_BENCH_TIMING_TESTS; k++) {
        size_t i = s->n_tests++;
        s->t[i].side_a = 1u;
        s->t[i].side_b = 1u << k;
        snprintf(res->test[i].name, sizeof res->test[i].name, "%s-vs-%s", tg->class_name[0],
                 tg->class_name[k]);
        i = s->n_tests++;
        s->t[i].side_a = all_b & ~(1u << k);
        s->t[i].side_b = 1u << k;
        snprintf(res->test[i].name, sizeof res->test[i].name, "other-invalid-vs-%s",
                 tg->class_name[k]);
    }
    res->n_tests = s->n_tests;
}

/* ---- the measuring loop --------------------------------------------------- */

#define BATCH 512

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static double worst_abs(const struct stats *s, size_t i)
{
    struct rlab_bench_ttest t;
    stats_result(s, i, &t);
    return fabs(t.t);
}

/*
 * Measure target tg until each of A and B has `samples` measurements after
 * a calibration prefix (which sets the crops and is then dropped).  Fills
 * res; returns RLAB_OK, or the rc of an input that answered wrongly (res
 * FAILED with the reason).
 */
static int measure(const struct rlab_bt_target *tg, int b_expect, uint64_t samples,
                   double budget, struct rlab_bench_timing *res)
{
    struct stats *s = calloc(1, sizeof *s);
    if (s == NULL)
        return RLAB_ERR_NOMEM;
    stats_plan(s, tg, res);
    uint64_t seed = 0;
    while (seed == 0)
        if (rlab_random(NULL, (uint8_t *)&seed, sizeof seed) != RLAB_OK)
            seed = (uint64_t)rlab_bench_now_ns();
    uint64_t cal_n = samples / 5;
    cal_n = cal_n < 200 ? 200 : cal_n > 10000 ? 10000 : cal_n;
    double *cal = malloc(cal_n * sizeof *cal);
    if (cal == NULL) {
        free(s);
        return RLAB_ERR_NOMEM;
    }
    uint64_t total = 0, cal_have = 0, count[2] = {0, 0};
    uint64_t want_total = 2 * samples;
    double first = want_total / 1000.0 > 100 ? want_total / 1000.0 : 100;
    double ratio = pow((double)want_total / first, 1.0 / (RLAB_BENCH_TIMING_TRACE - 2));
    double next_cp = first;
    uint8_t cls[BATCH];
    uint16_t idx[BATCH];
    uint64_t dt[BATCH];
    int rc = RLAB_OK;
    uint64_t t_start = rlab_bench_now_ns();
    uint64_t budget_ns = budget > 0 ? (uint64_t)(budget * 1e9) : UINT64_MAX;
    int out_of_time = 0;
    while (rc == RLAB_OK && (count[0] < samples || count[1] < samples)) {
        if (rlab_bench_now_ns() - t_start > budget_ns && cal_have == cal_n) {
            out_of_time = 1;
            break;
        }
        /* The order of the batch, drawn before anything is timed. */
        for (size_t i = 0; i < BATCH; i++) {
            uint64_t r = xorshift(&seed);
            cls[i] = (r & 1) ? (uint8_t)(1 + (r >> 8) % (tg->n_classes - 1)) : 0;
            idx[i] = (uint16_t)((r >> 32) % RLAB_BT_POOL);
        }
        for (size_t i = 0; i < BATCH; i++) {
            tg->prepare(tg->ctx, cls[i], idx[i]);
            uint64_t t0 = rlab_bench_tick();
            int r = tg->run(tg->ctx, cls[i], idx[i]);
            uint64_t t1 = rlab_bench_tick();
            dt[i] = t1 - t0;
            if (cls[i] == 0 ? r != RLAB_OK : r != b_expect && r != RLAB_OK) {
                rlab_bench_cell_set(&res->cell, RLAB_BENCH_FAILED,
                                    cls[i] == 0 ? "a class-A input was refused"
                                                : "a class-B input failed unexpectedly",
                                    r);
                rc = r != RLAB_OK ? r : RLAB_ERR_INVALID_ARG;
                break;
            }
            if (cls[i] != 0 && r == RLAB_OK && b_expect != RLAB_OK)
                res->invalid_ok++;
        }
        if (rc != RLAB_OK)
            break;
        for (size_t i = 0; i < BATCH; i++) {
            double x = (double)dt[i];
            if (cal_have < cal_n) {
                cal[cal_have++] = x;
                if (cal_have == cal_n) {
                    qsort(cal, cal_n, sizeof *cal, cmp_double);
                    s->thr[0] = INFINITY;
                    for (int c = 1; c < NCROP; c++)
                        s->thr[c] = rlab_bench_percentile(cal, cal_n, crop_pct(c));
                }
                continue;
            }
            stats_add(s, cls[i], x);
            count[cls[i] != 0]++;
            total++;
            if ((double)total >= next_cp && res->n_trace < RLAB_BENCH_TIMING_TRACE - 1) {
                res->trace_n[res->n_trace] = total;
                res->trace_t[res->n_trace++] = (float)worst_abs(s, 0);
                while (next_cp <= (double)total)
                    next_cp *= ratio;
            }
        }
    }
    if (rc == RLAB_OK) {
        res->trace_n[res->n_trace] = total;
        res->trace_t[res->n_trace++] = (float)worst_abs(s, 0);
        for (size_t i = 0; i < s->n_tests; i++)
            stats_result(s, i, &res->test[i]);
        res->per_class = count[0] < count[1] ? count[0] : count[1];
        res->cell.status = RLAB_BENCH_DONE;
        res->cell.stat.n = (unsigned)(res->per_class > UINT32_MAX ? UINT32_MAX : res->per_class);
        if (out_of_time)
            snprintf(res->cell.reason, sizeof res->cell.reason,
                     "time budget of %.0f s: stopped at %llu of %llu measurements per class",
                     budget, (unsigned long long)res->per_class,
                     (unsigned long long)samples);
    }
    res->seconds = (double)(rlab_bench_now_ns() - t_start) / 1e9;
    free(cal);
    free(s);
    return rc;
}

/* ---- inputs ---------------------------------------------------------------- */

/* The inputs of every class and the output buffer of one operation. */
struct bt_ops {
    enum rlab_bench_timing_op op;
    const struct rlab_backend *be;
    const rlab_key *k;
    size_t klen;
    struct rlab_oaep_params oaep;
    struct rlab_pss_params pss;
    uint8_t *in;  /* [class][RLAB_BT_POOL][klen] */
    uint8_t *out; /* klen */
    size_t outlen;
};

static const uint8_t *input(const struct bt_ops *o, size_t cls, size_t i)
{
    return o->in + (cls * RLAB_BT_POOL + i) * o->klen;
}

static void ops_prepare(void *ctx, size_t cls, size_t i)
{
    struct bt_ops *o = ctx;
    (void)cls;
    (void)i;
    o->outlen = o->klen;
}

static int ops_run(void *ctx, size_t cls, size_t i)
{
    struct bt_ops *o = ctx;
    const uint8_t *x = input(o, cls, i);
    switch (o->op) {
    case RLAB_BT_OAEP:
        return rlab_oaep_decrypt(o->be, o->k, &o->oaep, x, o->klen, o->out, &o->outlen);
    case RLAB_BT_PKCS1: return rlab_pkcs1_decrypt(o->be, o->k, x, o->klen, o->out, &o->outlen);
    case RLAB_BT_PSS:
        return rlab_pss_sign(o->be, o->k, &o->pss, NULL, x, 32, o->out, &o->outlen);
    case RLAB_BT_RAW: return rlab_raw_private(o->be, o->k, x, o->klen, o->out, &o->outlen);
    default: return RLAB_ERR_INVALID_ARG;
    }
}

/* A public key able to run m^e mod n for the inputs: k itself when its
 * backend has the raw operation, else a copy in the default provider. */
struct pub {
    const struct rlab_backend *be;
    const rlab_key *k;
    rlab_key *owned;
};

static int pub_get(const struct rlab_backend *be, const rlab_key *k, struct pub *p,
                   const char **why)
{
    struct rlab_op_query q = {.op = RLAB_OP_RAW_PUBLIC};
    memset(p, 0, sizeof *p);
    if (rlab_backend_check(be, &q) == NULL) {
        p->be = be;
        p->k = k;
        return RLAB_OK;
    }
    const struct rlab_backend *dp = rlab_backend_default_provider();
    struct rlab_buf spki = RLAB_BUF_INIT;
    int rc = dp == NULL || rlab_backend_check(dp, &q) != NULL ? RLAB_ERR_UNSUPPORTED
             : rlab_key_export(be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &spki);
    if (rc == RLAB_OK)
        rc = rlab_key_import(dp, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, spki.data, spki.len,
                             &p->owned);
    rlab_buf_clear(&spki);
    if (rc != RLAB_OK) {
        *why = "no raw public operation here or in the default provider to make the "
               "invalid inputs";
        return RLAB_ERR_UNSUPPORTED;
    }
    p->be = dp;
    p->k = p->owned;
    return RLAB_OK;
}

static int rnd(uint8_t *p, size_t n)
{
    return rlab_random(NULL, p, n);
}

static int rnd_nonzero(uint8_t *p, size_t n)
{
    int rc = rnd(p, n);
    for (size_t i = 0; i < n && rc == RLAB_OK; i++)
        while (p[i] == 0 && rc == RLAB_OK)
            rc = rnd(p + i, 1);
    return rc;
}

/* A backend with hash slots for building paddings: be, or the default
 * provider. */
static const struct rlab_backend *hasher(const struct rlab_backend *be)
{
    return (be->caps & RLAB_CAP_HASH) ? be : rlab_backend_default_provider();
}

/* dst ^= MGF1-SHA256(seed)[0..len) (RFC 8017 B.2.1). */
static int mgf1_xor(const struct rlab_backend *h, const uint8_t *seed, size_t seed_len,
                    uint8_t *dst, size_t len)
{
    uint8_t d[32];
    int rc = RLAB_OK;
    for (uint32_t c = 0; rc == RLAB_OK && (size_t)c * 32 < len; c++) {
        uint8_t ctr[4] = {(uint8_t)(c >> 24), (uint8_t)(c >> 16), (uint8_t)(c >> 8),
                          (uint8_t)c};
        rlab_hash_ctx *x = NULL;
        rc = rlab_hash_new(h, RLAB_HASH_SHA256, &x);
        if (rc == RLAB_OK)
            rc = rlab_hash_update(h, x, seed, seed_len);
        if (rc == RLAB_OK)
            rc = rlab_hash_update(h, x, ctr, sizeof ctr);
        if (rc == RLAB_OK) {
            rc = rlab_hash_final(h, x, d);
            x = NULL;
        }
        rlab_hash_free(h, x);
        for (size_t i = 0; rc == RLAB_OK && i < 32 && c * 32 + i < len; i++)
            dst[c * 32 + i] ^= d[i];
    }
    return rc;
}

enum { OAEP_VALID = 0, OAEP_BAD_FIRST, OAEP_BAD_LHASH, OAEP_NO_SEP, OAEP_CLASSES };
static const char *const oaep_class[OAEP_CLASSES] = {"valid", "bad-first-byte", "bad-lhash",
                                                     "no-separator"};

/* EME-OAEP-SHA256 block of a 32-byte random message, spoilt as `kind`
 * says (RFC 8017 7.1.1; the spoiling happens before masking, so the block
 * is otherwise random). */
static int oaep_block(const struct rlab_backend *h, size_t k, int kind, uint8_t *em)
{
    const size_t hl = 32, ml = 32;
    uint8_t *seed = em + 1, *db = em + 1 + hl;
    size_t db_len = k - hl - 1;
    memset(em, 0, k);
    int rc = rlab_backend_hash(h, RLAB_HASH_SHA256, (const uint8_t *)"", 0, db);
    if (rc == RLAB_OK && kind != OAEP_NO_SEP) {
        db[db_len - ml - 1] = 0x01;
        rc = rnd(db + db_len - ml, ml);
    }
    if (rc == RLAB_OK && kind == OAEP_BAD_LHASH) {
        uint8_t at_x[2];
        rc = rnd_nonzero(at_x, 2);
        db[at_x[0] % hl] ^= at_x[1];
    }
    if (rc == RLAB_OK)
        rc = rnd(seed, hl);
    if (rc == RLAB_OK)
        rc = mgf1_xor(h, seed, hl, db, db_len);
    if (rc == RLAB_OK)
        rc = mgf1_xor(h, db, db_len, seed, hl);
    /* Y: any non-zero value keeps the block below n when n's top byte is
     * above 1 (every key of a whole number of bytes). */
    if (kind == OAEP_BAD_FIRST)
        em[0] = 0x01;
    return rc;
}

enum { V15_VALID = 0, V15_BAD_FIRST, V15_BAD_TYPE, V15_NO_SEP, V15_SHORT_PS, V15_CLASSES };
static const char *const v15_class[V15_CLASSES] = {"valid", "bad-first-byte", "bad-block-type",
                                                   "no-separator", "short-padding"};

/* EME-PKCS1-v1_5 block 00 02 PS 00 M of a 32-byte random message, spoilt
 * as `kind` says (RFC 8017 7.2.1). */
static int v15_block(size_t k, int kind, uint8_t *em)
{
    const size_t ml = 32;
    size_t sep = k - ml - 1;
    int rc = rnd_nonzero(em + 2, k - 2);
    em[0] = 0x00;
    em[1] = 0x02;
    if (rc != RLAB_OK)
        return rc;
    switch (kind) {
    case V15_BAD_FIRST: /* the rest valid */
        em[0] = 0x01;
        em[sep] = 0x00;
        break;
    case V15_VALID: em[sep] = 0x00; break;
    case V15_BAD_TYPE: {
        uint8_t t;
        rc = rnd_nonzero(&t, 1);
        em[1] = t == 2 ? 3 : t;
        em[sep] = 0x00;
        break;
    }
    case V15_NO_SEP: break; /* PS runs to the end: no zero byte at all */
    default: {
        /* A zero inside the first 8 bytes of PS (index 2..9), none before. */
        uint8_t at;
        rc = rnd(&at, 1);
        em[2 + at % 8] = 0x00;
        break;
    }
    }
    return rc;
}

/* c = em^e mod n; RLAB_ERR_RANGE when em is not below n. */
static int encrypt_raw(const struct pub *p, const uint8_t *em, size_t k, uint8_t *c)
{
    size_t len = k;
    return rlab_raw_public(p->be, p->k, em, k, c, &len);
}

/* Build every input of o's operation; why says what went wrong. */
static int make_inputs(struct bt_ops *o, const struct pub *p, size_t n_classes,
                       const char **why)
{
    size_t k = o->klen;
    const struct rlab_backend *h = hasher(o->be);
    uint8_t *em = malloc(k);
    if (em == NULL)
        return RLAB_ERR_NOMEM;
    int rc = h == NULL && o->op == RLAB_BT_OAEP ? RLAB_ERR_UNSUPPORTED : RLAB_OK;
    *why = "making the inputs";
    /* Fixed inputs: one value per class, repeated through the pool. */
    uint8_t fixed[2][32];
    if (rc == RLAB_OK && o->op == RLAB_BT_PSS) {
        memset(fixed[0], 0, 32);
        rc = rnd(fixed[1], 32);
    }
    for (size_t cls = 0; cls < n_classes && rc == RLAB_OK; cls++) {
        for (size_t i = 0; i < RLAB_BT_POOL && rc == RLAB_OK; i++) {
            uint8_t *x = o->in + (cls * RLAB_BT_POOL + i) * k;
            if (i > 0 && (o->op == RLAB_BT_PSS || o->op == RLAB_BT_RAW)) {
                memcpy(x, o->in + cls * RLAB_BT_POOL * k, k);
                continue;
            }
            switch (o->op) {
            case RLAB_BT_OAEP: rc = oaep_block(h, k, (int)cls, em); break;
            case RLAB_BT_PKCS1: rc = v15_block(k, (int)cls, em); break;
            case RLAB_BT_PSS: memcpy(x, fixed[cls], 32); continue;
            default:
                /* The private result y: full length (below 2^(8(k-1))), or
                 * with all but its last 16 bytes zero. */
                memset(em, 0, k);
                rc = rnd(cls == 0 ? em + 1 : em + k - 16, cls == 0 ? k - 1 : 16);
                em[1] |= cls == 0 ? 0x80 : 0;
                break;
            }
            if (rc == RLAB_OK)
                rc = encrypt_raw(p, em, k, x);
            if (rc == RLAB_ERR_RANGE)
                *why = "a spoilt block is not below n for this modulus";
        }
    }
    rlab_free_secret(em, k);
    return rc;
}

/* ---- one operation on one backend -------------------------------------- */

static struct rlab_op_query query_of(enum rlab_bench_timing_op op)
{
    static const rlab_op ops[RLAB_BT_COUNT] = {
        [RLAB_BT_OAEP] = RLAB_OP_OAEP_DECRYPT, [RLAB_BT_PKCS1] = RLAB_OP_PKCS1_DECRYPT,
        [RLAB_BT_PSS] = RLAB_OP_PSS_SIGN,      [RLAB_BT_RAW] = RLAB_OP_RAW_PRIVATE,
        [RLAB_BT_HANDSHAKE] = RLAB_OP_OAEP_DECRYPT,
    };
    struct rlab_op_query q = {.op = ops[op]};
    if (op == RLAB_BT_OAEP || op == RLAB_BT_PSS || op == RLAB_BT_HANDSHAKE) {
        q.hash = q.mgf1_hash = RLAB_HASH_SHA256;
        q.salt_len = op == RLAB_BT_PSS ? 32 : 0;
    }
    return q;
}

static void skip(struct rlab_bench_timing *res, const char *why)
{
    rlab_bench_cell_set(&res->cell, RLAB_BENCH_SKIPPED, why, RLAB_OK);
}

static void run_handshake(const struct rlab_backend *be, const rlab_key *k, uint64_t samples,
                          double budget, struct rlab_bench_timing *res)
{
    struct rlab_bt_hs *h = NULL;
    struct rlab_bt_target tg;
    char why[RLAB_BENCH_REASON];
    int rc = rlab_bt_hs_new(be, k, &h, &tg, why, sizeof why);
    if (rc == RLAB_ERR_UNSUPPORTED)
        skip(res, why);
    else if (rc != RLAB_OK)
        rlab_bench_cell_set(&res->cell, RLAB_BENCH_FAILED, why, rc);
    else
        measure(&tg, RLAB_OK, samples, budget, res);
    rlab_bt_hs_free(h);
}

static void run_op(const struct rlab_backend *be, const rlab_key *k,
                   enum rlab_bench_timing_op op, uint64_t samples, double budget,
                   struct rlab_bench_timing *res)
{
    struct rlab_op_query q = query_of(op);
    const char *why = rlab_backend_check(be, &q);
    if (why != NULL) {
        skip(res, why);
        return;
    }
    if (op == RLAB_BT_HANDSHAKE) {
        run_handshake(be, k, samples, budget, res);
        return;
    }
    struct rlab_bt_target tg = {.prepare = ops_prepare, .run = ops_run};
    struct bt_ops o = {.op = op, .be = be, .k = k, .klen = rlab_key_size(k),
                       .oaep = {.hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256},
                       .pss = {.hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256,
                               .salt_len = 32}};
    tg.ctx = &o;
    switch (op) {
    case RLAB_BT_OAEP:
        tg.n_classes = OAEP_CLASSES;
        memcpy(tg.class_name, oaep_class, sizeof oaep_class);
        break;
    case RLAB_BT_PKCS1:
        tg.n_classes = V15_CLASSES;
        memcpy(tg.class_name, v15_class, sizeof v15_class);
        break;
    case RLAB_BT_PSS:
        tg.n_classes = 2;
        tg.class_name[0] = "zero-digest";
        tg.class_name[1] = "random-digest";
        break;
    default:
        tg.n_classes = 2;
        tg.class_name[0] = "full-result";
        tg.class_name[1] = "short-result";
        break;
    }
    int decrypt = op == RLAB_BT_OAEP || op == RLAB_BT_PKCS1;
    struct pub p;
    int rc = RLAB_OK;
    if (op != RLAB_BT_PSS && pub_get(be, k, &p, &why) != RLAB_OK) {
        skip(res, why);
        return;
    }
    o.in = calloc(tg.n_classes * RLAB_BT_POOL, o.klen);
    o.out = calloc(1, o.klen);
    if (o.in == NULL || o.out == NULL)
        rc = RLAB_ERR_NOMEM;
    why = "memory";
    if (rc == RLAB_OK)
        rc = make_inputs(&o, &p, tg.n_classes, &why);
    if (rc != RLAB_OK)
        rlab_bench_cell_set(&res->cell, RLAB_BENCH_FAILED, why, rc);
    else
        measure(&tg, decrypt ? RLAB_ERR_DECRYPT : RLAB_OK, samples, budget, res);
    if (res->invalid_ok > 0 && res->cell.status == RLAB_BENCH_DONE)
        snprintf(res->cell.reason, sizeof res->cell.reason,
                 "%llu invalid inputs answered with a message (implicit rejection)",
                 (unsigned long long)res->invalid_ok);
    if (op != RLAB_BT_PSS)
        rlab_key_free(p.owned);
    free(o.in);
    rlab_free_secret(o.out, o.klen);
}

/* ---- the group --------------------------------------------------------------- */

/* Seconds per measurement, roughly: a private operation at 2048 bits takes
 * about a millisecond on the slower backends, and grows as bits^2.6. */
static double per_measurement(unsigned bits)
{
    return 1.2e-3 * pow(bits / 2048.0, 2.6);
}

double rlab_bench_plan_timing(const struct rlab_bench_config *c)
{
    unsigned n_ops = 0;
    for (int op = 0; op < RLAB_BT_COUNT; op++)
        n_ops += (c->timing_ops >> op) & 1u;
    return (double)c->n_backends * n_ops * 2.2 * (double)c->timing_samples *
           per_measurement(c->timing_bits);
}

int rlab_bench_run_timing(struct rlab_bench_run *run)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *c = &r->cfg;
    snprintf(r->timing_clock, sizeof r->timing_clock, "%s", rlab_bench_tick_name());
    double cost = 2.2 * (double)c->timing_samples * per_measurement(c->timing_bits);
    for (size_t b = 0; b < c->n_backends; b++) {
        const struct rlab_backend *be = c->backends[b];
        char source[48];
        rlab_key *k = NULL;
        for (int op = 0; op < RLAB_BT_COUNT; op++) {
            struct rlab_bench_timing *res = &r->timing[b][op];
            memset(res, 0, sizeof *res);
            if (!((c->timing_ops >> op) & 1u))
                continue;
            rlab_bench_step(run, RLAB_BG_TIMING, be->name, rlab_bench_timing_op_name(op), cost);
            if (k == NULL)
                k = rlab_bench_shared_key(run, be, c->timing_bits, source, sizeof source);
            if (k == NULL) {
                skip(res, source);
                continue;
            }
            rlab_error_clear();
            run_op(be, k, (enum rlab_bench_timing_op)op, c->timing_samples, c->timing_budget,
                   res);
            rlab_error_clear();
        }
        rlab_key_free(k);
    }
    return RLAB_OK;
}
