/*
 * rsalab bench: the comparison users come for.  Option handling, the run
 * folder and output only; the measuring is bench/ (bench.h), the method
 * docs/BENCHMARKS.md.
 */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "apps/commands.h"
#include "apps/opts.h"

static const char cmd[] = "bench";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab bench [GROUP...] [--quick|--full] [--backends LIST] [--bits LIST]\n"
            "                    [--seconds S] [--trials N] [--keys N] [--no-speed]\n"
            "                    [--out DIR] [--csv FILE] [--json FILE]\n"
            "       rsalab bench timing [--backends LIST] [--bits N] [--samples N] [--op LIST]\n"
            "                           [--budget S]\n"
            "\n"
            "GROUP: keygen, ops, chunking, handshake, throughput, timing or all (default:\n"
            "all, which is every group but timing).  Every group runs over every backend\n"
            "given:\n"
            "  keygen      N keys per size: median, p10, p90, max ms per key; CDF plot\n"
            "  ops         OAEP-SHA256 encrypt/decrypt, PSS-SHA256 and v1.5 sign/verify,\n"
            "              raw public/private on one shared key per size (ops/s, median\n"
            "              of trials with p10/p90), then `openssl speed rsa2048` beside\n"
            "              the openssl backend\n"
            "  chunking    the payload as RSA-OAEP blocks against AES-256-GCM chunks of\n"
            "              1 KiB .. 1 MiB and the 16 KiB message stream (MB/s, speed-up)\n"
            "  handshake   rsalab/1 handshakes/s over loopback and their latency\n"
            "              (p50/p90/p99), with the bound from the same run's operation\n"
            "              costs (2 private + 2 public operations a side)\n"
            "  throughput  transfers through rsalab/1 of 1 MiB .. 1 GiB (--quick: 1 and\n"
            "              16 MiB) with each side's peak RSS, against the ceilings\n"
            "              (memcpy, loopback TCP, the inbox write, the stream in\n"
            "              memory)\n"
            "  timing      dudect-style leakage test (docs/TIMING.md): Welch's t-test\n"
            "              between two classes of input measured interleaved in random\n"
            "              order, cropped at several percentiles; |t| > 10 is reported as\n"
            "              a leak, > 4.5 as suspicious.  Operations (--op): oaep (valid\n"
            "              against invalid OAEP padding of 3 kinds), pkcs1 (v1.5, 4 kinds),\n"
            "              pss and raw (two fixed inputs), handshake (the rsalab/1 server\n"
            "              reading a good against a bad OAEP ciphertext).  Tens of\n"
            "              minutes per backend at the default size, so only when named\n"
            "              (scripts/timing-long runs it all)\n"
            "\n"
            "  --quick          fewer sizes, keys and shorter trials: every group in under\n"
            "                   two minutes (what scripts/bench runs)\n"
            "  --full           every size, longer trials (the default)\n"
            "  --backends LIST  comma-separated backends (default: all; 'rsalab backends')\n"
            "  --bits LIST      modulus sizes for keygen and ops (default 1024,2048,3072,\n"
            "                   4096; --quick: keygen 1024,2048, ops 2048,4096)\n"
            "  --seconds S      minimum length of one timed trial (0.0001..60)\n"
            "  --trials N       timed trials per figure, 1..64\n"
            "  --keys N         keys per keygen series, 1..%d\n"
            "  --no-speed       leave out the `openssl speed` comparison\n"
            "  --out DIR        the run folder (default: results/runs/<UTC time>/, and\n"
            "                   results/latest then points at it)\n"
            "  --csv FILE       also write the CSV here\n"
            "  --json FILE      also write the JSON here\n"
            "timing options:\n"
            "  --bits N         the modulus size (default 2048; the first of a list)\n"
            "  --samples N      measurements per class, 100..100000000 (default 100000;\n"
            "                   --quick: 5000)\n"
            "  --op LIST        comma-separated: oaep, pkcs1, pss, raw, handshake\n"
            "                   (default: all)\n"
            "  --budget S       stop each (backend, operation) after S seconds with the\n"
            "                   measurements made so far, said in the output (default:\n"
            "                   none)\n"
            "\n"
            "The run folder gets results.csv and results.json (the same rows), the PNG\n"
            "plots (gnuplot; skipped with a note when it is missing) and REPORT.md.\n"
            "Every output path is checked before measuring.  Timing is never pass/fail.\n"
            "Exit status: 0 measured (skips included); 1 some operation returned an\n"
            "error (FAILED); 2 usage error or an output that cannot be written.\n",
            RLAB_BENCH_MAX_KEYS);
}

enum {
    OPT_QUICK = 1, OPT_FULL, OPT_BACKENDS, OPT_BITS, OPT_SECONDS, OPT_TRIALS, OPT_KEYS,
    OPT_NO_SPEED, OPT_OUT, OPT_CSV, OPT_JSON, OPT_SAMPLES, OPT_OP, OPT_BUDGET
};

static const struct rlab_opt options[] = {
    {"quick", 0, OPT_QUICK},     {"full", 0, OPT_FULL},       {"backends", 1, OPT_BACKENDS},
    {"bits", 1, OPT_BITS},       {"seconds", 1, OPT_SECONDS}, {"trials", 1, OPT_TRIALS},
    {"keys", 1, OPT_KEYS},       {"no-speed", 0, OPT_NO_SPEED}, {"out", 1, OPT_OUT},
    {"csv", 1, OPT_CSV},         {"json", 1, OPT_JSON},       {"samples", 1, OPT_SAMPLES},
    {"op", 1, OPT_OP},           {"budget", 1, OPT_BUDGET},   {NULL, 0, 0},
};

struct args {
    int quick, full, no_speed;
    unsigned groups;
    const char *backends, *bits, *seconds, *out, *csv, *json, *ops;
    unsigned long trials, keys, samples, budget;
};

static int set_backends(struct rlab_bench_config *c, const char *text)
{
    char *items[RLAB_BENCH_MAX_BACKENDS], *copy = NULL;
    size_t n = 0;
    int st = rlab_opt_list(cmd, "backends", text, items, RLAB_BENCH_MAX_BACKENDS, &n, &copy);
    c->n_backends = 0;
    for (size_t i = 0; i < n && st == RLAB_EXIT_OK; i++) {
        const struct rlab_backend *be;
        st = rlab_app_backend(cmd, items[i], &be);
        for (size_t j = 0; j < c->n_backends && st == RLAB_EXIT_OK; j++)
            if (c->backends[j] == be)
                st = rlab_app_usage_error(cmd, "--backends: '%s' given twice", items[i]);
        if (st == RLAB_EXIT_OK)
            c->backends[c->n_backends++] = be;
    }
    free(copy);
    return st;
}

static int set_bits(struct rlab_bench_config *c, const char *text)
{
    char *items[RLAB_BENCH_MAX_BITS], *copy = NULL;
    size_t n = 0;
    int st = rlab_opt_list(cmd, "bits", text, items, RLAB_BENCH_MAX_BITS, &n, &copy);
    c->n_bits = c->n_keygen_bits = 0;
    for (size_t i = 0; i < n && st == RLAB_EXIT_OK; i++) {
        unsigned long v;
        st = rlab_opt_ulong(cmd, "bits", items[i], 1024, 16384, &v);
        if (st == RLAB_EXIT_OK)
            c->bits[c->n_bits++] = c->keygen_bits[c->n_keygen_bits++] = (unsigned)v;
    }
    free(copy);
    return st;
}

/* timing: --op LIST */
static int set_timing_ops(struct rlab_bench_config *c, const char *text)
{
    char *items[RLAB_BT_COUNT * 2], *copy = NULL;
    size_t n = 0;
    int st = rlab_opt_list(cmd, "op", text, items, RLAB_BT_COUNT * 2, &n, &copy);
    c->timing_ops = 0;
    for (size_t i = 0; i < n && st == RLAB_EXIT_OK; i++) {
        int op = rlab_bench_timing_op_find(items[i]);
        if (op < 0)
            st = rlab_app_usage_error(cmd, "--op: unknown operation '%s' (oaep, pkcs1, pss, "
                                           "raw, handshake)", items[i]);
        else
            c->timing_ops |= 1u << op;
    }
    free(copy);
    return st;
}

static int set_seconds(struct rlab_bench_config *c, const char *text)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !isfinite(v) || v < 0.0001 || v > 60)
        return rlab_app_usage_error(cmd, "--seconds: '%s' is not a number of seconds in "
                                         "0.0001..60", text);
    c->trial_seconds = v;
    /* The warm-up also sets the iterations per trial: keep it in step. */
    if (c->warmup_seconds > v)
        c->warmup_seconds = v;
    return RLAB_EXIT_OK;
}

/* mkdir -p; 0 or errno. */
static int make_dirs(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return ENAMETOOLONG;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return errno;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return errno;
    struct stat st;
    if (stat(buf, &st) != 0)
        return errno;
    if (!S_ISDIR(st.st_mode))
        return ENOTDIR;
    return access(buf, W_OK | X_OK) == 0 ? 0 : errno;
}

/* A file we will write: its folder must be writable, and it must not be a
 * folder itself.  Checked before a long run rather than after it. */
static int file_ok(const char *opt, const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0)
        return RLAB_EXIT_OK;
    struct stat st;
    if (path[0] == '\0' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return rlab_app_usage_error(cmd, "--%s: '%s' is not a file name", opt, path);
    char *copy = strdup(path);
    int ok = copy != NULL && access(dirname(copy), W_OK | X_OK) == 0;
    free(copy);
    if (!ok || (access(path, F_OK) == 0 && access(path, W_OK) != 0))
        return rlab_app_usage_error(cmd, "--%s: cannot write '%s'", opt, path);
    return RLAB_EXIT_OK;
}

/* The run folder: --out, or results/runs/<UTC time> (a suffix when two runs
 * start in the same second). */
static int prepare_out(const char *out, char *dir, size_t cap, char *stamp, size_t scap)
{
    stamp[0] = '\0';
    if (out != NULL) {
        snprintf(dir, cap, "%s", out);
        int e = make_dirs(dir);
        if (e != 0)
            return rlab_app_usage_error(cmd, "--out: cannot write in '%s': %s", out,
                                        strerror(e));
        return RLAB_EXIT_OK;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
    int e = make_dirs("results/runs");
    for (int i = 1; e == 0 && i < 100; i++) {
        if (i == 1)
            snprintf(stamp, scap, "%s", ts);
        else
            snprintf(stamp, scap, "%s-%d", ts, i);
        snprintf(dir, cap, "results/runs/%s", stamp);
        if (mkdir(dir, 0755) == 0)
            return RLAB_EXIT_OK;
        e = errno == EEXIST ? 0 : errno;
    }
    return rlab_app_usage_error(cmd, "cannot make a run folder under results/runs: %s "
                                     "(give one with --out)",
                                strerror(e ? e : EEXIST));
}

/* results/latest -> runs/<stamp>, replaced atomically. */
static void point_latest(const char *stamp)
{
    char target[128];
    snprintf(target, sizeof target, "runs/%s", stamp);
    if (symlink(target, "results/.latest.tmp") != 0 && errno == EEXIST) {
        unlink("results/.latest.tmp");
        if (symlink(target, "results/.latest.tmp") != 0)
            return;
    }
    if (rename("results/.latest.tmp", "results/latest") != 0) {
        unlink("results/.latest.tmp");
        fprintf(stderr, "rsalab bench: could not point results/latest at %s\n", target);
    }
}

static void on_progress(void *ctx, const struct rlab_bench_progress *p)
{
    (void)ctx;
    char left[32] = "?";
    if (p->left >= 0)
        snprintf(left, sizeof left, "%d:%02d", (int)p->left / 60, (int)p->left % 60);
    fprintf(stderr, "\r\033[Kbench: %s%s%s: %s  %3.0f%%  %d:%02d elapsed, ~%s left", p->group,
            p->backend[0] ? " " : "", p->backend, p->what, p->fraction * 100,
            (int)p->elapsed / 60, (int)p->elapsed % 60, left);
    fflush(stderr);
}

/* Emit into memory, then write the file atomically. */
static int write_emitted(const struct rlab_bench_result *r, const char *path,
                         int (*emit)(const struct rlab_bench_result *, FILE *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (m == NULL)
        return rlab_app_error(cmd, path, RLAB_ERR_NOMEM);
    int rc = emit(r, m);
    if (fclose(m) != 0 && rc == RLAB_OK)
        rc = RLAB_ERR_NOMEM;
    int st = rc == RLAB_OK ? rlab_app_write(cmd, path, (const uint8_t *)text, len, 0644)
                           : rlab_app_error(cmd, path, rc);
    free(text);
    return st;
}

static int write_report(const struct rlab_bench_result *r, const char *dir, const char *csv)
{
    char names[RLAB_BENCH_MAX_PLOTS][32], note[1536];
    size_t n = rlab_bench_plot(r, dir, csv, names, note, sizeof note);
    const char *list[RLAB_BENCH_MAX_PLOTS + 1];
    for (size_t i = 0; i < n; i++)
        list[i] = names[i];
    list[n] = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (m == NULL)
        return rlab_app_error(cmd, "REPORT.md", RLAB_ERR_NOMEM);
    int rc = rlab_bench_emit_report(r, list, note, m);
    fclose(m);
    char path[4200];
    snprintf(path, sizeof path, "%s/REPORT.md", dir);
    int st = rc == RLAB_OK ? rlab_app_write(cmd, path, (const uint8_t *)text, len, 0644)
                           : rlab_app_error(cmd, path, rc);
    free(text);
    printf("plots: %zu drawn", n);
    for (size_t i = 0; i < n; i++)
        printf("%s %s", i ? "," : ":", names[i]);
    printf("\n%s%s", note, note[0] ? "\n" : "");
    return st;
}

static int parse(int argc, char **argv, struct args *a)
{
    struct rlab_optparse p;
    rlab_opt_init(&p, cmd, argc, argv, options);
    for (int id; (id = rlab_opt_next(&p)) != RLAB_OPT_END;) {
        int st = RLAB_EXIT_OK;
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return -1;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case RLAB_OPT_POSITIONAL: {
            if (strcmp(p.arg, "all") == 0) {
                a->groups |= RLAB_BG_DEFAULT;
                break;
            }
            int g = rlab_bench_group_find(p.arg);
            if (g < 0)
                return rlab_app_usage_error(cmd, "unknown group '%s' (keygen, ops, chunking, "
                                                 "handshake, throughput, timing, all)", p.arg);
            a->groups |= 1u << g;
            break;
        }
        case OPT_QUICK: a->quick = 1; break;
        case OPT_FULL: a->full = 1; break;
        case OPT_BACKENDS: a->backends = p.arg; break;
        case OPT_BITS: a->bits = p.arg; break;
        case OPT_SECONDS: a->seconds = p.arg; break;
        case OPT_TRIALS: st = rlab_opt_ulong(cmd, "trials", p.arg, 1, 64, &a->trials); break;
        case OPT_KEYS:
            st = rlab_opt_ulong(cmd, "keys", p.arg, 1, RLAB_BENCH_MAX_KEYS, &a->keys);
            break;
        case OPT_NO_SPEED: a->no_speed = 1; break;
        case OPT_OUT: a->out = p.arg; break;
        case OPT_CSV: a->csv = p.arg; break;
        case OPT_JSON: a->json = p.arg; break;
        case OPT_SAMPLES:
            st = rlab_opt_ulong(cmd, "samples", p.arg, 100, 100000000, &a->samples);
            break;
        case OPT_OP: a->ops = p.arg; break;
        case OPT_BUDGET:
            st = rlab_opt_ulong(cmd, "budget", p.arg, 1, 864000, &a->budget);
            break;
        default: return RLAB_EXIT_USAGE;
        }
        if (st != RLAB_EXIT_OK)
            return st;
    }
    if (a->quick && a->full)
        return rlab_app_usage_error(cmd, "--quick and --full exclude each other");
    return RLAB_EXIT_OK;
}

static int configure(const struct args *a, struct rlab_bench_config *cfg)
{
    rlab_bench_config_default(cfg, a->quick);
    /* No group named: all of them but timing (which runs only when named). */
    cfg->groups = a->groups ? a->groups : RLAB_BG_DEFAULT;
    cfg->keys = (unsigned)a->keys;
    if (a->trials)
        cfg->trials = (unsigned)a->trials;
    cfg->speed_check = !a->no_speed;
    int st = RLAB_EXIT_OK;
    if (a->backends != NULL)
        st = set_backends(cfg, a->backends);
    if (st == RLAB_EXIT_OK && a->bits != NULL)
        st = set_bits(cfg, a->bits);
    if (st == RLAB_EXIT_OK && a->seconds != NULL)
        st = set_seconds(cfg, a->seconds);
    /* timing: one size, the first of --bits */
    if (st == RLAB_EXIT_OK && a->bits != NULL)
        cfg->timing_bits = cfg->bits[0];
    if (a->samples)
        cfg->timing_samples = a->samples;
    cfg->timing_budget = (double)a->budget;
    if (st == RLAB_EXIT_OK && a->ops != NULL)
        st = set_timing_ops(cfg, a->ops);
    if (isatty(STDERR_FILENO))
        cfg->progress = on_progress;
    return st;
}

int rlab_cmd_bench(int argc, char **argv)
{
    /* one side of a throughput transfer, started by the bench itself */
    if (argc >= 2 && strcmp(argv[1], "--transfer-side") == 0)
        return rlab_app_registry(cmd) == RLAB_EXIT_OK
                   ? rlab_bench_transfer_side(argc - 1, argv + 1)
                   : RLAB_EXIT_USAGE;
    struct args a = {0};
    int st = parse(argc, argv, &a);
    if (st != RLAB_EXIT_OK)
        return st < 0 ? RLAB_EXIT_OK : st;
    st = rlab_app_registry(cmd);
    struct rlab_bench_config cfg;
    if (st == RLAB_EXIT_OK)
        st = configure(&a, &cfg);
    /* Every output is checked before anything is measured. */
    if (st == RLAB_EXIT_OK)
        st = file_ok("csv", a.csv);
    if (st == RLAB_EXIT_OK)
        st = file_ok("json", a.json);
    char dir[4096], stamp[64];
    if (st == RLAB_EXIT_OK)
        st = prepare_out(a.out, dir, sizeof dir, stamp, sizeof stamp);
    if (st != RLAB_EXIT_OK)
        return st;

    struct rlab_bench_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
    rlab_bench_init(r, &cfg);
    rlab_bench_emit_header(r, stdout);
    fflush(stdout);
    int rc = rlab_bench_run(r);
    if (cfg.progress != NULL)
        fprintf(stderr, "\r\033[K");
    if (rc != RLAB_OK) {
        free(r);
        return rlab_app_error(cmd, NULL, rc);
    }
    rlab_bench_emit_table(r, stdout);
    fflush(stdout);
    char csv[4200], json[4200];
    snprintf(csv, sizeof csv, "%s/results.csv", dir);
    snprintf(json, sizeof json, "%s/results.json", dir);
    st = write_emitted(r, csv, rlab_bench_emit_csv);
    if (st == RLAB_EXIT_OK)
        st = write_emitted(r, json, rlab_bench_emit_json);
    if (st == RLAB_EXIT_OK && a.csv != NULL)
        st = write_emitted(r, a.csv, rlab_bench_emit_csv);
    if (st == RLAB_EXIT_OK && a.json != NULL)
        st = write_emitted(r, a.json, rlab_bench_emit_json);
    if (st == RLAB_EXIT_OK)
        st = write_report(r, dir, csv);
    if (st == RLAB_EXIT_OK && stamp[0] != '\0')
        point_latest(stamp);
    if (st == RLAB_EXIT_OK)
        printf("run folder: %s%s\n", dir, stamp[0] ? " (results/latest)" : "");
    if (st == RLAB_EXIT_OK && rlab_bench_any_failed(r))
        st = RLAB_EXIT_NO;
    free(r);
    return st;
}
