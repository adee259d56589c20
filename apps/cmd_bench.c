/*
 * rsalab bench: the comparison users come for.  Option handling and output
 * only; the measuring is bench/ (bench.h), the method docs/BENCHMARKS.md.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "apps/commands.h"
#include "apps/opts.h"

static const char cmd[] = "bench";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab bench [--quick] [--backends LIST] [--bits LIST] [--keys N]\n"
            "                    [--csv FILE] [--json FILE]\n"
            "\n"
            "Time every backend on the same key per size: key generation (median,\n"
            "p10, p90 ms per key), OAEP-SHA256 encrypt and decrypt, PSS-SHA256 sign and\n"
            "verify, raw private and raw public operations (operations per second, with\n"
            "the ratio to openssl); then the openssl backend's RSA-2048 PKCS#1 v1.5 sign\n"
            "and verify beside `openssl speed rsa2048` run in the same invocation.\n"
            "The machine (CPU, flags, libraries, compiler, build type) is printed first.\n"
            "\n"
            "  --quick          5 trials of 0.1 s per operation, 5 keys at 2048 bits and\n"
            "                   3 at 4096 (8 s cap per series); under 90 s with three\n"
            "                   backends on a 2-core machine (default: 7 trials of 0.2 s,\n"
            "                   10 keys, 120 s cap)\n"
            "  --backends LIST  comma-separated backends (default: all; see 'rsalab backends')\n"
            "  --bits LIST      comma-separated modulus sizes (default: 2048,4096; e.g.\n"
            "                   1024,2048,3072,4096)\n"
            "  --keys N         keys per keygen series, 1..1000\n"
            "  --csv FILE       also write the results as CSV\n"
            "  --json FILE      also write the results as JSON\n"
            "\n"
            "Timing is never pass/fail. Exit status: 0 measured; 1 some operation\n"
            "returned an error (shown as FAILED); 2 usage error.\n");
}

enum { OPT_QUICK = 1, OPT_BACKENDS, OPT_BITS, OPT_KEYS, OPT_CSV, OPT_JSON };

static const struct rlab_opt options[] = {
    {"quick", 0, OPT_QUICK}, {"backends", 1, OPT_BACKENDS}, {"bits", 1, OPT_BITS},
    {"keys", 1, OPT_KEYS},   {"csv", 1, OPT_CSV},           {"json", 1, OPT_JSON},
    {NULL, 0, 0},
};

/* Split a comma-separated list in place; returns the number of items or
 * -1 when there are more than max or an item is empty. */
static int split(char *list, char **items, int max)
{
    int n = 0;
    for (char *save = NULL, *t = strtok_r(list, ",", &save); t != NULL;
         t = strtok_r(NULL, ",", &save)) {
        if (n == max)
            return -1;
        items[n++] = t;
    }
    return n > 0 ? n : -1;
}

static int set_backends(struct rlab_bench_config *c, const char *text)
{
    char *copy = strdup(text), *items[RLAB_BENCH_MAX_BACKENDS];
    int n = copy ? split(copy, items, RLAB_BENCH_MAX_BACKENDS) : -1;
    int st = RLAB_EXIT_OK;
    if (n < 0)
        st = rlab_app_usage_error(cmd, "--backends: '%s' is not a list of backends", text);
    c->n_backends = 0;
    for (int i = 0; i < n && st == RLAB_EXIT_OK; i++) {
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
    char *copy = strdup(text), *items[RLAB_BENCH_MAX_BITS];
    int n = copy ? split(copy, items, RLAB_BENCH_MAX_BITS) : -1;
    int st = RLAB_EXIT_OK;
    if (n < 0)
        st = rlab_app_usage_error(cmd, "--bits: '%s' is not a list of at most %d sizes", text,
                                  RLAB_BENCH_MAX_BITS);
    c->n_bits = 0;
    for (int i = 0; i < n && st == RLAB_EXIT_OK; i++) {
        unsigned long v;
        st = rlab_opt_ulong(cmd, "bits", items[i], 1024, 16384, &v);
        if (st == RLAB_EXIT_OK)
            c->bits[c->n_bits++] = (unsigned)v;
    }
    free(copy);
    return st;
}

/* Refuse before a long run rather than after it. */
static int output_dir_ok(const char *opt, const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0)
        return RLAB_EXIT_OK;
    char *copy = strdup(path);
    int ok = copy != NULL && access(dirname(copy), W_OK) == 0;
    free(copy);
    if (!ok)
        return rlab_app_usage_error(cmd, "--%s: cannot write in the folder of '%s'", opt, path);
    return RLAB_EXIT_OK;
}

static void on_progress(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "bench: %s\n", msg);
}

/* Emit into memory, then write the file atomically. */
static int write_report(const struct rlab_bench_result *r, const char *path,
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

int rlab_cmd_bench(int argc, char **argv)
{
    int quick = 0;
    const char *backends = NULL, *bits = NULL, *csv = NULL, *json = NULL;
    unsigned long keys = 0;
    struct rlab_optparse p;
    rlab_opt_init(&p, cmd, argc, argv, options);
    for (int id; (id = rlab_opt_next_named(&p)) != RLAB_OPT_END;) {
        int st = RLAB_EXIT_OK;
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return RLAB_EXIT_OK;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_QUICK: quick = 1; break;
        case OPT_BACKENDS: backends = p.arg; break;
        case OPT_BITS: bits = p.arg; break;
        case OPT_KEYS: st = rlab_opt_ulong(cmd, "keys", p.arg, 1, 1000, &keys); break;
        case OPT_CSV: csv = p.arg; break;
        case OPT_JSON: json = p.arg; break;
        default: return RLAB_EXIT_USAGE;
        }
        if (st != RLAB_EXIT_OK)
            return st;
    }
    int st = rlab_app_registry(cmd);
    if (st != RLAB_EXIT_OK)
        return st;
    struct rlab_bench_config cfg;
    rlab_bench_config_default(&cfg, quick);
    cfg.keys = (unsigned)keys;
    cfg.progress = on_progress;
    if (backends != NULL)
        st = set_backends(&cfg, backends);
    if (st == RLAB_EXIT_OK && bits != NULL)
        st = set_bits(&cfg, bits);
    if (st == RLAB_EXIT_OK)
        st = output_dir_ok("csv", csv);
    if (st == RLAB_EXIT_OK)
        st = output_dir_ok("json", json);
    if (st != RLAB_EXIT_OK)
        return st;

    struct rlab_bench_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
    rlab_bench_init(r, &cfg);
    rlab_bench_emit_header(r, stdout);
    fflush(stdout);
    int rc = rlab_bench_run(r);
    if (rc != RLAB_OK) {
        st = rlab_app_error(cmd, NULL, rc);
    } else {
        rlab_bench_emit_table(r, stdout);
        fflush(stdout);
        if (csv != NULL)
            st = write_report(r, csv, rlab_bench_emit_csv);
        if (json != NULL && st == RLAB_EXIT_OK)
            st = write_report(r, json, rlab_bench_emit_json);
        if (st == RLAB_EXIT_OK && rlab_bench_any_failed(r))
            st = RLAB_EXIT_NO;
    }
    free(r);
    return st;
}
