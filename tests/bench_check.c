/*
 * bench_check CSV JSON GROUP...: checks the files of one `rsalab bench` run
 * -- never its timings.  The CSV parses (header, 19 fields per row, numbers
 * where numbers go, known statuses); the JSON parses and holds the same rows
 * in the same order; every GROUP has its group row and the rows its
 * configuration (read from the JSON) implies, with the protocol groups
 * reported as skips with their reason.  Exit 0 when all holds, 1 otherwise
 * (each problem printed).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCOL 19
#define MAXROWS 20000

static const char *const header[NCOL] = {
    "group", "backend", "peer", "library", "bits", "operation", "size", "unit", "status",
    "samples", "iters_per_trial", "median", "p10", "p90", "p99", "max", "ratio", "ratio_to",
    "note"};

struct row {
    char *f[NCOL];
};

static struct row rows[MAXROWS];
static size_t nrows;
static int bad;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("bench_check: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    bad = 1;
}

/* Split one CSV line (RFC 4180 quoting, no embedded newlines). */
static int split(char *line, char **out)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == NCOL)
            return -1;
        char *start = p, *w = p;
        if (*p == '"') {
            start = w = ++p;
            for (;;) {
                if (*p == '\0')
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
        } else {
            while (*p != ',' && *p != '\0')
                *w++ = *p++;
        }
        char end = *p;
        *w = '\0';
        out[n++] = start;
        if (end == '\0')
            return n;
        if (end != ',')
            return -1;
        p++;
    }
}

static int is_number(const char *s, int integer)
{
    if (*s == '\0')
        return 1; /* empty: not applicable */
    char *end;
    if (integer)
        strtoull(s, &end, 10);
    else
        strtod(s, &end);
    return *end == '\0';
}

static void read_csv(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fail("cannot open %s", path);
        return;
    }
    char line[8192];
    int have_header = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#')
            continue;
        char *fields[NCOL];
        int n = split(line, fields);
        if (n != NCOL) {
            fail("CSV line with a wrong field count: %s", line);
            continue;
        }
        if (!have_header) {
            for (int i = 0; i < NCOL; i++)
                if (strcmp(fields[i], header[i]) != 0)
                    fail("CSV header column '%s', expected '%s'", fields[i], header[i]);
            have_header = 1;
            continue;
        }
        if (nrows == MAXROWS) {
            fail("too many rows");
            break;
        }
        for (int i = 0; i < NCOL; i++)
            rows[nrows].f[i] = strdup(fields[i]);
        const char *st = fields[8];
        if (strcmp(st, "ok") && strcmp(st, "skipped") && strcmp(st, "failed") &&
            strcmp(st, "not-run"))
            fail("unknown status '%s' in group %s", st, fields[0]);
        for (int i = 4; i <= 16; i++)
            if ((i == 4 || i == 6 || i == 9 || i == 10) ? !is_number(fields[i], 1)
                : i >= 11                               ? !is_number(fields[i], 0)
                                                        : 0)
                fail("not a number: '%s' (column %s)", fields[i], header[i]);
        if (strcmp(st, "ok") == 0 && strcmp(fields[5], "group") != 0 && fields[11][0] == '\0')
            fail("an ok row without a median: %s %s", fields[0], fields[5]);
        nrows++;
    }
    fclose(f);
    if (!have_header)
        fail("no CSV header in %s", path);
}

static size_t count(const char *group, const char *op, const char *status)
{
    size_t n = 0;
    for (size_t i = 0; i < nrows; i++)
        if (strcmp(rows[i].f[0], group) == 0 && (op == NULL || strcmp(rows[i].f[5], op) == 0) &&
            (status == NULL || strcmp(rows[i].f[8], status) == 0))
            n++;
    return n;
}

static void expect(const char *group, const char *op, const char *status, size_t want)
{
    size_t got = count(group, op, status);
    if (got != want) {
        char a[160], b[64];
        snprintf(a, sizeof a, "%s/%s/%s", group, op ? op : "*", status ? status : "*");
        snprintf(b, sizeof b, "%zu, expected %zu", got, want);
        fail("rows %s: %s", a, b);
    }
}

static const char *group_note(const char *group)
{
    for (size_t i = 0; i < nrows; i++)
        if (strcmp(rows[i].f[0], group) == 0 && strcmp(rows[i].f[5], "group") == 0)
            return rows[i].f[18];
    return NULL;
}

static size_t jlen(json_t *config, const char *key)
{
    return json_array_size(json_object_get(config, key));
}

/* timing: per backend and operation asked, either one skip/failure row
 * with its reason, or comparison rows whose |t| is a finite number with
 * their per-class count and crop, and trace rows; never the size of t. */
static void check_timing(json_t *root, size_t nb)
{
    json_t *config = json_object_get(root, "config");
    json_t *ops = json_object_get(config, "timing_operations");
    json_t *backends = json_object_get(root, "backends");
    if (json_array_size(ops) == 0)
        fail("timing: no timing_operations in the JSON config");
    expect("timing", "group", "ok", 1);
    for (size_t b = 0; b < nb; b++) {
        const char *be = json_string_value(json_object_get(json_array_get(backends, b), "name"));
        for (size_t o = 0; o < json_array_size(ops); o++) {
            const char *op = json_string_value(json_array_get(ops, o));
            size_t oplen = strlen(op), compared = 0, other = 0, trace = 0;
            for (size_t i = 0; i < nrows; i++) {
                char **f = rows[i].f;
                if (strcmp(f[1], be ? be : "") != 0 || strncmp(f[5], op, oplen) != 0)
                    continue;
                if (strcmp(f[0], "timing-trace") == 0) {
                    trace++;
                    continue;
                }
                if (strcmp(f[0], "timing") != 0)
                    continue;
                if (strcmp(f[8], "ok") != 0) {
                    other++;
                    if (f[18][0] == '\0')
                        fail("timing %s %s: %s without a reason", be, op, f[8]);
                    continue;
                }
                compared++;
                char *end;
                double t = strtod(f[11], &end);
                if (f[11][0] == '\0' || *end != '\0' || !(t >= 0 && t < 1e300))
                    fail("timing %s %s: |t| '%s' is not a finite number", be, f[5], f[11]);
                if (f[5][oplen] != ':' || strstr(f[5] + oplen, "-vs-") == NULL)
                    fail("timing %s: operation '%s' names no comparison", be, f[5]);
                if (strtoul(f[9], NULL, 10) == 0 || f[13][0] == '\0' || f[12][0] == '\0')
                    fail("timing %s %s: samples, |t| uncropped or crop missing", be, f[5]);
                if (strcmp(f[7], "|t|") != 0)
                    fail("timing %s %s: unit '%s'", be, f[5], f[7]);
            }
            if (compared + other == 0)
                fail("timing %s %s: no row", be, op);
            if (compared > 0 && other > 0)
                fail("timing %s %s: both measured and skipped rows", be, op);
            if (compared > 0 && trace < 2)
                fail("timing %s %s: %zu trace rows", be, op, trace);
        }
    }
}

static void check_group(const char *g, json_t *root)
{
    json_t *config = json_object_get(root, "config");
    size_t nb = json_array_size(json_object_get(root, "backends"));
    expect(g, "group", NULL, 1);
    if (strcmp(g, "keygen") == 0) {
        expect("keygen", "keygen", NULL, nb * jlen(config, "keygen_bits"));
        size_t keys = 0;
        for (size_t i = 0; i < nrows; i++)
            if (strcmp(rows[i].f[0], "keygen") == 0 && strcmp(rows[i].f[8], "ok") == 0)
                keys += strtoul(rows[i].f[9], NULL, 10);
        expect("keygen-cdf", "keygen", "ok", keys);
    } else if (strcmp(g, "ops") == 0) {
        static const char *const ops[] = {"oaep-sha256-encrypt", "oaep-sha256-decrypt",
                                          "pss-sha256-sign", "pss-sha256-verify",
                                          "pkcs1-sha256-sign", "pkcs1-sha256-verify",
                                          "raw-private", "raw-public"};
        for (size_t i = 0; i < 8; i++)
            expect("ops", ops[i], NULL, nb * jlen(config, "bits"));
        if (count("check", NULL, NULL) == 0)
            fail("no check rows");
    } else if (strcmp(g, "chunking") == 0) {
        expect("chunking", "rsa-oaep-sha256-blocks", NULL, nb);
        expect("chunking", "aes-256-gcm-chunks", NULL, nb * jlen(config, "chunk_bytes"));
        expect("chunking", "stream-cobblestone-256", NULL, nb);
    } else if (strcmp(g, "handshake") == 0) {
        expect("handshake", "bound", NULL, nb);
        expect("handshake", "cost:pss-sha256-sign", NULL, nb);
        const char *n = group_note("handshake");
        if (count("handshake", "handshakes", NULL) == 0 &&
            (n == NULL || strstr(n, "needs core/session") == NULL))
            fail("handshake: no rows and no skip reason");
    } else if (strcmp(g, "throughput") == 0) {
        expect("ceiling", "memcpy", "ok", 1);
        expect("ceiling", "tcp-loopback", "ok", 1);
        expect("ceiling", "stream-seal-open", NULL, nb);
        const char *n = group_note("throughput");
        if (count("throughput", "transfer", NULL) == 0 &&
            (n == NULL || strstr(n, "needs core/session") == NULL))
            fail("throughput: no rows and no skip reason");
    } else if (strcmp(g, "timing") == 0) {
        check_timing(root, nb);
    } else {
        fail("unknown group %s", g);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_check CSV JSON GROUP...\n");
        return 2;
    }
    read_csv(argv[1]);
    json_error_t err;
    json_t *root = json_load_file(argv[2], 0, &err);
    if (root == NULL) {
        fail("JSON does not parse: %s", err.text);
        return 1;
    }
    json_t *jr = json_object_get(root, "rows");
    if (json_array_size(jr) != nrows) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%zu", json_array_size(jr));
        snprintf(b, sizeof b, "%zu", nrows);
        fail("JSON has %s rows, CSV %s", a, b);
    }
    int diffs = 0;
    for (size_t i = 0; i < nrows && i < json_array_size(jr) && diffs < 5; i++) {
        json_t *o = json_array_get(jr, i);
        static const int cols[] = {0, 1, 5, 8};
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
            const char *v = json_string_value(json_object_get(o, header[cols[k]]));
            if ((v == NULL || strcmp(v, rows[i].f[cols[k]]) != 0) && diffs++ < 5)
                fail("JSON and CSV differ in column %s: '%s'", header[cols[k]],
                     v ? v : "(missing)");
        }
    }
    for (int i = 3; i < argc; i++)
        check_group(argv[i], root);
    json_decref(root);
    for (size_t i = 0; i < nrows; i++)
        for (int k = 0; k < NCOL; k++)
            free(rows[i].f[k]);
    if (!bad)
        printf("bench_check: %zu rows, groups ok\n", nrows);
    return bad;
}
