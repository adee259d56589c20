/* The human-readable report: machine header, one table, the speed check.
 * See bench.h and docs/BENCHMARKS.md ("Reading the table"). */
#include <math.h>
#include <string.h>

#include "bench/bench.h"

#define VALUE_W 21
#define RATIO_W 6
#define MAX_NOTES 32

/* Footnotes: each distinct reason gets one number. */
struct notes {
    size_t n;
    char text[MAX_NOTES][RLAB_BENCH_REASON + 64];
};

static size_t note_add(struct notes *ns, const char *text)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->text[i], text) == 0)
            return i + 1;
    if (ns->n == MAX_NOTES)
        return 0;
    snprintf(ns->text[ns->n], sizeof ns->text[0], "%s", text);
    return ++ns->n;
}

static void fmt_num(char *out, size_t cap, double v)
{
    if (v >= 100)
        snprintf(out, cap, "%.0f", v);
    else if (v >= 10)
        snprintf(out, cap, "%.1f", v);
    else
        snprintf(out, cap, "%.2f", v);
}

/* A reason as a footnote, naming the backend when the reason does not. */
static size_t note_for(struct notes *ns, const char *backend, const char *reason)
{
    char text[RLAB_BENCH_REASON + 64];
    size_t bl = strlen(backend);
    if (strncmp(reason, backend, bl) == 0 && reason[bl] == ':')
        snprintf(text, sizeof text, "%s", reason);
    else
        snprintf(text, sizeof text, "%s: %s", backend, reason);
    return note_add(ns, text);
}

static void fmt_cell(char *out, size_t cap, const struct rlab_bench_cell *c,
                     enum rlab_bench_op op, const char *backend, struct notes *ns)
{
    char m[24], lo[24], hi[24], mark[16] = "";
    if (c->status == RLAB_BENCH_SKIPPED || c->status == RLAB_BENCH_FAILED ||
        c->status == RLAB_BENCH_NOT_RUN) {
        size_t k = c->status == RLAB_BENCH_NOT_RUN ? 0 : note_for(ns, backend, c->reason);
        snprintf(out, cap, "%s [%zu]",
                 c->status == RLAB_BENCH_FAILED    ? "FAILED"
                 : c->status == RLAB_BENCH_SKIPPED ? "skip"
                                                   : "-",
                 k);
        return;
    }
    if (c->reason[0] != '\0')
        snprintf(mark, sizeof mark, " [%zu]", note_for(ns, backend, c->reason));
    fmt_num(m, sizeof m, c->stat.median);
    if (op == RLAB_BENCH_KEYGEN) {
        fmt_num(lo, sizeof lo, c->stat.p10);
        fmt_num(hi, sizeof hi, c->stat.p90);
        snprintf(out, cap, "%s [%s-%s]%s", m, lo, hi, mark);
    } else {
        snprintf(out, cap, "%s/s%s", m, mark);
    }
}

void rlab_bench_emit_header(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_machine *m = &r->machine;
    const struct rlab_bench_config *c = &r->cfg;
    fprintf(f, "rsalab bench%s, %s\n", c->quick ? " --quick" : "", m->date);
    fprintf(f, "cpu:       %s (%u online)\n", m->cpu, m->cpus);
    fprintf(f, "cpu flags: present: %s; absent: %s\n",
            m->flags_present[0] ? m->flags_present : "none",
            m->flags_absent[0] ? m->flags_absent : "none");
    fprintf(f, "system:    %s\n", m->kernel);
    fprintf(f, "compiler:  %s, build type %s\n", m->compiler, m->build_type);
    for (size_t i = 0; i < c->n_backends; i++)
        fprintf(f, "%s %-8s %s\n", i == 0 ? "libraries:" : "          ",
                c->backends[i]->name, r->versions[i]);
    fprintf(f, "method:    monotonic clock; per operation a %.2f s warm-up, then %u trials\n"
               "           of >= %.2f s; median rate of the trials; keygen: median ms per key\n"
               "           [p10-p90] over up to %u keys (2048) / %u keys (4096), %.0f s cap\n",
            c->warmup_seconds, c->trials, c->trial_seconds, rlab_bench_keys_for(c, 2048),
            rlab_bench_keys_for(c, 4096), c->keygen_budget);
}

static void rule(FILE *f, size_t nb)
{
    fprintf(f, "%.*s", 27, "--------------------------------");
    for (size_t b = 0; b < nb; b++)
        fprintf(f, "+%.*s", VALUE_W + RATIO_W + 3,
                "----------------------------------------");
    fputc('\n', f);
}

static void emit_speed(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_speed *s = &r->speed;
    fprintf(f, "\nharness check, openssl backend against `openssl speed`, RSA-2048:\n");
    if (s->status != RLAB_BENCH_DONE) {
        fprintf(f, "  skipped: %s\n", s->reason);
        return;
    }
    fprintf(f, "  (%s; %s)\n  best of %u alternating rounds on each side\n", s->command,
            s->cli_version, s->rounds);
    fprintf(f, "  %-30s %14s %16s %9s\n", "", "openssl speed", "openssl backend", "overhead");
    static const struct {
        enum rlab_bench_speed_op op;
        const char *label;
        int sign;
    } rows[] = {
        {RLAB_BENCH_SPEED_SIGN, "sign (PKCS#1 v1.5 SHA-256)", 1},
        {RLAB_BENCH_SPEED_VERIFY, "verify (PKCS#1 v1.5 SHA-256)", 0},
        {RLAB_BENCH_SPEED_RAW_PUBLIC, "verify vs raw public", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct rlab_bench_cell *c = &s->ours[rows[i].op];
        char cli[32], ours[48];
        fmt_num(cli, sizeof cli, rows[i].sign ? s->cli_sign : s->cli_verify);
        if (c->status == RLAB_BENCH_DONE)
            fmt_num(ours, sizeof ours, c->stat.median);
        else
            snprintf(ours, sizeof ours, "%s", rlab_bench_status_name(c->status));
        double ov = rlab_bench_speed_overhead(r, rows[i].op);
        char ovs[16] = "-";
        if (!isnan(ov))
            snprintf(ovs, sizeof ovs, "%.1f%%", ov);
        fprintf(f, "  %-30s %12s/s %14s/s %9s\n", rows[i].label, cli, ours, ovs);
        if (c->status != RLAB_BENCH_DONE && c->reason[0])
            fprintf(f, "    %s\n", c->reason);
    }
    fprintf(f, "  overhead = (openssl speed - backend) / openssl speed; the aim is < 3%%\n");
}

/* Which key each backend's operations ran on: one line when all shared the
 * same key, else one line per size naming each backend's source. */
static void emit_keys(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_config *c = &r->cfg;
    const char *maker = NULL;
    int shared = 1;
    for (size_t bi = 0; bi < c->n_bits; bi++) {
        for (size_t b = 0; b < c->n_backends; b++) {
            const char *src = r->key_source[b][bi];
            if (strcmp(src, "own key (shared)") == 0) {
                if (maker != NULL && strcmp(maker, c->backends[b]->name) != 0)
                    shared = 0;
                maker = c->backends[b]->name;
            } else if (strstr(src, " key, PKCS#8 DER") == NULL) {
                shared = 0;
            }
        }
    }
    if (shared && maker != NULL) {
        fprintf(f, "keys: one per size, generated by %s; the other backends imported it\n"
                   "      (PKCS#8 DER)\n",
                maker);
        return;
    }
    for (size_t bi = 0; bi < c->n_bits; bi++) {
        fprintf(f, "%u-bit key:", c->bits[bi]);
        for (size_t b = 0; b < c->n_backends; b++)
            if (r->key_source[b][bi][0])
                fprintf(f, " %s: %s;", c->backends[b]->name, r->key_source[b][bi]);
        fputc('\n', f);
    }
}

void rlab_bench_emit_table(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_config *c = &r->cfg;
    struct notes ns = {0};
    int o = rlab_bench_openssl_index(r);

    fprintf(f, "\n%-20s %5s ", "operation", "bits");
    for (size_t b = 0; b < c->n_backends; b++)
        fprintf(f, "| %-*s %*s ", VALUE_W, c->backends[b]->name, RATIO_W,
                o >= 0 ? "xossl" : "");
    fputc('\n', f);
    rule(f, c->n_backends);
    for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++) {
        for (size_t bi = 0; bi < c->n_bits; bi++) {
            fprintf(f, "%-20s %5u ", rlab_bench_op_label((enum rlab_bench_op)op), c->bits[bi]);
            for (size_t b = 0; b < c->n_backends; b++) {
                char v[128], ratio[16] = "";
                fmt_cell(v, sizeof v, &r->cells[b][bi][op], (enum rlab_bench_op)op,
                         c->backends[b]->name, &ns);
                double x = rlab_bench_ratio(r, b, bi, (enum rlab_bench_op)op);
                if (!isnan(x))
                    snprintf(ratio, sizeof ratio, "%.2fx", x);
                fprintf(f, "| %-*s %*s ", VALUE_W, v, RATIO_W, ratio);
            }
            fputc('\n', f);
        }
    }
    rule(f, c->n_backends);
    fprintf(f, "rates are operations per second (higher is faster)");
    if (o >= 0)
        fprintf(f, "; xossl = speed relative to\nopenssl in this run (keygen: openssl's median "
                   "time / this one's)");
    fputc('\n', f);
    for (size_t i = 0; i < ns.n; i++)
        fprintf(f, "[%zu] %s\n", i + 1, ns.text[i]);

    emit_keys(r, f);
    emit_speed(r, f);
    fprintf(f, "\nwall time: %.1f s\n", r->wall_seconds);
}
