/*
 * The terminal view: machine header, then one comparison table per group
 * that ran (backends as columns, at most a screen's width per block), with
 * footnotes for skips and failures.  See docs/BENCHMARKS.md ("Reading the
 * tables").
 */
#include <math.h>
#include <string.h>

#include "bench/bench.h"

#define LABEL_W 24
#define CELL_W 20
#define SCREEN_W 104
#define MAX_NOTES 48

struct notes {
    size_t n;
    char text[MAX_NOTES][RLAB_BENCH_REASON + 64];
};

static size_t note_add(struct notes *ns, const char *backend, const char *reason)
{
    char text[RLAB_BENCH_REASON + 64];
    size_t bl = strlen(backend);
    if (strncmp(reason, backend, bl) == 0 && reason[bl] == ':')
        snprintf(text, sizeof text, "%s", reason);
    else
        snprintf(text, sizeof text, "%s: %s", backend, reason);
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
    if (isnan(v))
        snprintf(out, cap, "-");
    else if (v >= 100)
        snprintf(out, cap, "%.0f", v);
    else if (v >= 10)
        snprintf(out, cap, "%.1f", v);
    else
        snprintf(out, cap, "%.2f", v);
}

/* A cell that did not produce a figure: "skip [n]", "FAILED [n]", "-". */
static int fmt_missing(char *out, size_t cap, const struct rlab_bench_cell *c,
                       const char *backend, struct notes *ns)
{
    if (c->status == RLAB_BENCH_DONE)
        return 0;
    if (c->status == RLAB_BENCH_NOT_RUN)
        snprintf(out, cap, "-");
    else
        snprintf(out, cap, "%s [%zu]", c->status == RLAB_BENCH_FAILED ? "FAILED" : "skip",
                 note_add(ns, backend, c->reason));
    return 1;
}

/* "value suffix  ratio" for a rate cell. */
static void fmt_rate(char *out, size_t cap, const struct rlab_bench_cell *c, double ratio,
                     const char *backend, struct notes *ns)
{
    if (fmt_missing(out, cap, c, backend, ns))
        return;
    char m[24], x[24] = "";
    fmt_num(m, sizeof m, c->stat.median);
    if (!isnan(ratio))
        snprintf(x, sizeof x, " %.2fx", ratio);
    snprintf(out, cap, "%s%s", m, x);
}

typedef void (*cell_fn)(const struct rlab_bench_result *r, size_t row, size_t b, char *out,
                        size_t cap, struct notes *ns);

static void table(const struct rlab_bench_result *r, FILE *f, const char *title,
                  const char *const *labels, size_t nrows, cell_fn cell, struct notes *ns)
{
    const struct rlab_bench_config *c = &r->cfg;
    size_t per = (SCREEN_W - LABEL_W) / (CELL_W + 3);
    if (per < 1)
        per = 1;
    fprintf(f, "\n%s\n", title);
    for (size_t first = 0; first < c->n_backends; first += per) {
        size_t last = first + per < c->n_backends ? first + per : c->n_backends;
        fprintf(f, "%-*s", LABEL_W, "");
        for (size_t b = first; b < last; b++)
            fprintf(f, " | %-*s", CELL_W, c->backends[b]->name);
        fprintf(f, "\n%.*s", LABEL_W, "------------------------------------------");
        for (size_t b = first; b < last; b++)
            fprintf(f, "-+-%.*s", CELL_W, "----------------------------------------");
        fputc('\n', f);
        for (size_t row = 0; row < nrows; row++) {
            fprintf(f, "%-*s", LABEL_W, labels[row]);
            for (size_t b = first; b < last; b++) {
                char v[64];
                cell(r, row, b, v, sizeof v, ns);
                fprintf(f, " | %-*s", CELL_W, v);
            }
            fputc('\n', f);
        }
    }
}

/* ---- header ----------------------------------------------------------------- */

void rlab_bench_emit_header(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_machine *m = &r->machine;
    const struct rlab_bench_config *c = &r->cfg;
    fprintf(f, "rsalab bench%s, %s, git %s\n", c->quick ? " --quick" : "", m->date, m->git_rev);
    fprintf(f, "cpu:       %s (%u online)\n", m->cpu, m->cpus);
    fprintf(f, "cpu flags: present: %s; absent: %s\n",
            m->flags_present[0] ? m->flags_present : "none",
            m->flags_absent[0] ? m->flags_absent : "none");
    fprintf(f, "system:    %s\n", m->kernel);
    fprintf(f, "compiler:  %s, build type %s\n", m->compiler, m->build_type);
    for (size_t i = 0; i < c->n_backends; i++)
        fprintf(f, "%s %-11s %s\n", i == 0 ? "libraries:" : "          ",
                c->backends[i]->name, r->versions[i]);
    if (c->groups & ~(1u << RLAB_BG_TIMING))
        fprintf(f, "method:    monotonic clock; per figure a %.2f s warm-up, then %u trials of\n"
                   "           >= %.2f s; median of the trials (ops/s, MB/s); keygen: ms per key\n",
                c->warmup_seconds, c->trials, c->trial_seconds);
    if (c->groups & (1u << RLAB_BG_TIMING))
        fprintf(f, "timing:    Welch's t-test, classes interleaved in random order, cropped at\n"
                   "           several percentiles; %llu measurements per class, %u bits%s\n",
                (unsigned long long)c->timing_samples, c->timing_bits,
                c->timing_budget > 0 ? ", with a time budget" : "");
}

/* ---- keygen ------------------------------------------------------------------ */

static void keygen_cell(const struct rlab_bench_result *r, size_t row, size_t b, char *out,
                        size_t cap, struct notes *ns)
{
    const struct rlab_bench_cell *c = &r->keygen[b][row];
    const char *be = r->cfg.backends[b]->name;
    if (fmt_missing(out, cap, c, be, ns))
        return;
    char m[24], lo[24], hi[24], x[24] = "", mark[16] = "";
    fmt_num(m, sizeof m, c->stat.median);
    fmt_num(lo, sizeof lo, c->stat.p10);
    fmt_num(hi, sizeof hi, c->stat.p90);
    double ratio = rlab_bench_keygen_ratio(r, b, row);
    if (!isnan(ratio))
        snprintf(x, sizeof x, " %.1fx", ratio);
    if (c->reason[0])
        snprintf(mark, sizeof mark, "[%zu]", note_add(ns, be, c->reason));
    snprintf(out, cap, "%s [%s-%s]%s%s", m, lo, hi, x, mark);
}

static void emit_keygen(const struct rlab_bench_result *r, FILE *f, struct notes *ns)
{
    const struct rlab_bench_config *c = &r->cfg;
    char labels[RLAB_BENCH_MAX_BITS][LABEL_W + 1];
    const char *lp[RLAB_BENCH_MAX_BITS];
    for (size_t i = 0; i < c->n_keygen_bits; i++) {
        snprintf(labels[i], sizeof labels[i], "keygen %u (%u keys)", c->keygen_bits[i],
                 rlab_bench_keys_for(c, c->keygen_bits[i]));
        lp[i] = labels[i];
    }
    table(r, f, "keygen: ms per key, median [p10-p90]; x = speed relative to openssl", lp,
          c->n_keygen_bits, keygen_cell, ns);
}

/* ---- ops --------------------------------------------------------------------- */

static void ops_cell(const struct rlab_bench_result *r, size_t row, size_t b, char *out,
                     size_t cap, struct notes *ns)
{
    size_t bi = row % r->cfg.n_bits, op = row / r->cfg.n_bits;
    fmt_rate(out, cap, &r->ops[b][bi][op], rlab_bench_ops_ratio(r, b, bi, (enum rlab_bench_op)op),
             r->cfg.backends[b]->name, ns);
}

static void emit_speed(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_speed *s = &r->speed;
    fprintf(f, "\nharness check, openssl backend against `openssl speed`, RSA-2048:\n");
    if (s->status != RLAB_BENCH_DONE) {
        fprintf(f, "  skipped: %s\n", s->reason);
        return;
    }
    fprintf(f, "  (%s; %s; best of %u alternating rounds on each side)\n", s->command,
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
        char cli[32], ours[48], ovs[16] = "-";
        fmt_num(cli, sizeof cli, rows[i].sign ? s->cli_sign : s->cli_verify);
        if (c->status == RLAB_BENCH_DONE)
            fmt_num(ours, sizeof ours, c->stat.median);
        else
            snprintf(ours, sizeof ours, "%s", rlab_bench_status_name(c->status));
        double ov = rlab_bench_speed_overhead(r, rows[i].op);
        if (!isnan(ov))
            snprintf(ovs, sizeof ovs, "%.1f%%", ov);
        fprintf(f, "  %-30s %12s/s %14s/s %9s\n", rows[i].label, cli, ours, ovs);
        if (c->status != RLAB_BENCH_DONE && c->reason[0])
            fprintf(f, "    %s\n", c->reason);
    }
    fprintf(f, "  overhead = (openssl speed - backend) / openssl speed; the aim is < 3%%\n");
}

static void emit_ops(const struct rlab_bench_result *r, FILE *f, struct notes *ns)
{
    const struct rlab_bench_config *c = &r->cfg;
    size_t n = RLAB_BENCH_OP_COUNT * c->n_bits;
    char labels[RLAB_BENCH_OP_COUNT * RLAB_BENCH_MAX_BITS][LABEL_W + 1];
    const char *lp[RLAB_BENCH_OP_COUNT * RLAB_BENCH_MAX_BITS];
    for (size_t row = 0; row < n; row++) {
        snprintf(labels[row], sizeof labels[row], "%-19s %4u",
                 rlab_bench_op_label((enum rlab_bench_op)(row / c->n_bits)),
                 c->bits[row % c->n_bits]);
        lp[row] = labels[row];
    }
    table(r, f, "ops: operations per second (median of trials); x = relative to openssl", lp,
          n, ops_cell, ns);
    /* Which key each backend used, when not the shared one. */
    for (size_t b = 0; b < c->n_backends; b++)
        for (size_t i = 0; i < c->n_bits; i++)
            if (strstr(r->key_source[b][i], "PKCS#8") == NULL &&
                strcmp(r->key_source[b][i], "own key (shared)") != 0 && r->key_source[b][i][0])
                fprintf(f, "  %s %u-bit: %s\n", c->backends[b]->name, c->bits[i],
                        r->key_source[b][i]);
    emit_speed(r, f);
}

/* ---- chunking ---------------------------------------------------------------- */

static void chunk_cell(const struct rlab_bench_result *r, size_t row, size_t b, char *out,
                       size_t cap, struct notes *ns)
{
    const struct rlab_bench_chunking *ch = &r->chunking[b];
    const struct rlab_bench_cell *c = row == 0                    ? &ch->rsa
                                      : row <= r->cfg.n_chunks ? &ch->aead[row - 1]
                                                               : &ch->stream;
    double x = NAN;
    if (row > 0 && c->status == RLAB_BENCH_DONE && ch->rsa.status == RLAB_BENCH_DONE)
        x = c->stat.median / ch->rsa.stat.median;
    if (fmt_missing(out, cap, c, r->cfg.backends[b]->name, ns))
        return;
    char m[24], xs[24] = "";
    fmt_num(m, sizeof m, c->stat.median);
    if (!isnan(x))
        snprintf(xs, sizeof xs, " %.0fx", x);
    snprintf(out, cap, "%s%s", m, xs);
}

static void size_name(char *out, size_t cap, uint64_t n)
{
    if (n >= (1u << 30) && n % (1u << 30) == 0)
        snprintf(out, cap, "%llu GiB", (unsigned long long)(n >> 30));
    else if (n >= (1u << 20) && n % (1u << 20) == 0)
        snprintf(out, cap, "%llu MiB", (unsigned long long)(n >> 20));
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(out, cap, "%llu KiB", (unsigned long long)(n >> 10));
    else
        snprintf(out, cap, "%llu B", (unsigned long long)n);
}

static void emit_chunking(const struct rlab_bench_result *r, FILE *f, struct notes *ns)
{
    const struct rlab_bench_config *c = &r->cfg;
    char labels[RLAB_BENCH_MAX_CHUNKS + 2][48];
    const char *lp[RLAB_BENCH_MAX_CHUNKS + 2];
    snprintf(labels[0], sizeof labels[0], "RSA-OAEP %u, k-66 B", c->chunk_rsa_bits);
    for (size_t i = 0; i < c->n_chunks; i++) {
        char sz[24];
        size_name(sz, sizeof sz, c->chunks[i]);
        snprintf(labels[i + 1], sizeof labels[i + 1], "AES-GCM %.12s", sz);
    }
    snprintf(labels[c->n_chunks + 1], sizeof labels[0], "stream 16 KiB");
    for (size_t i = 0; i < c->n_chunks + 2; i++)
        lp[i] = labels[i];
    table(r, f,
          "chunking: MB/s of payload encrypted and decrypted; x = speed-up over RSA blocks", lp,
          c->n_chunks + 2, chunk_cell, ns);
}

/* ---- handshake and throughput ---------------------------------------------- */

static void emit_skip(const struct rlab_bench_result *r, FILE *f, enum rlab_bench_group g)
{
    const struct rlab_bench_cell *c = &r->group[g];
    if (c->status == RLAB_BENCH_SKIPPED)
        fprintf(f, "  skipped: %s\n", c->reason);
}

static void emit_handshake(const struct rlab_bench_result *r, FILE *f, struct notes *ns)
{
    const struct rlab_bench_config *c = &r->cfg;
    fprintf(f, "\nhandshake (rsalab/1, identity %u-bit, transient %u-bit):\n", c->hs_id_bits,
            c->hs_tr_bits);
    for (size_t b = 0; b < c->n_backends; b++) {
        char v[24];
        fmt_num(v, sizeof v, r->hs_bound[b].bound);
        fprintf(f, "  %-12s bound %8s handshakes/s (both sides: 2 private + 2 public ops each)\n",
                c->backends[b]->name, v);
    }
    for (size_t i = 0; i < r->n_hs; i++) {
        const struct rlab_bench_hs_row *h = &r->hs[i];
        char v[24], p50[24], p99[24];
        if (fmt_missing(v, sizeof v, &h->rate, c->backends[h->server]->name, ns)) {
            fprintf(f, "  %s <- %s: %s\n", c->backends[h->server]->name,
                    c->backends[h->client]->name, v);
            continue;
        }
        fmt_num(v, sizeof v, h->rate.stat.median);
        fmt_num(p50, sizeof p50, h->lat_p50_ms);
        fmt_num(p99, sizeof p99, h->lat_p99_ms);
        fprintf(f, "  %s <- %s: %s handshakes/s (%.2fx bound), latency p50 %s ms, p99 %s ms\n",
                c->backends[h->server]->name, c->backends[h->client]->name, v, h->ratio, p50,
                p99);
    }
    emit_skip(r, f, RLAB_BG_HANDSHAKE);
}

static void emit_throughput(const struct rlab_bench_result *r, FILE *f, struct notes *ns)
{
    const struct rlab_bench_config *c = &r->cfg;
    const struct rlab_bench_ceilings *ce = &r->ceil;
    char v[24];
    fprintf(f, "\nthroughput ceilings (MB/s, this run):\n");
    fmt_num(v, sizeof v, ce->memcpy_rate.status == RLAB_BENCH_DONE ? ce->memcpy_rate.stat.median
                                                                  : NAN);
    fprintf(f, "  %-40s %10s\n", "memcpy", v);
    fmt_num(v, sizeof v, ce->tcp.status == RLAB_BENCH_DONE ? ce->tcp.stat.median : NAN);
    fprintf(f, "  %-40s %10s\n", "loopback TCP", v);
    if (ce->inbox.status != RLAB_BENCH_NOT_RUN) {
        char label[64], sz[24];
        size_name(sz, sizeof sz, ce->inbox_bytes);
        snprintf(label, sizeof label, "inbox write, %s file", sz);
        fmt_num(v, sizeof v, ce->inbox.status == RLAB_BENCH_DONE ? ce->inbox.stat.median : NAN);
        fprintf(f, "  %-40s %10s\n", label, v);
    }
    for (size_t b = 0; b < c->n_backends; b++) {
        char label[160];
        snprintf(label, sizeof label, "stream seal+open, %s%s%s%s", c->backends[b]->name,
                 strcmp(ce->stream_from[b], c->backends[b]->name) ? " (+" : "",
                 strcmp(ce->stream_from[b], c->backends[b]->name) ? ce->stream_from[b] : "",
                 strcmp(ce->stream_from[b], c->backends[b]->name) ? " aead)" : "");
        fmt_num(v, sizeof v, ce->stream[b].status == RLAB_BENCH_DONE ? ce->stream[b].stat.median
                                                                     : NAN);
        fprintf(f, "  %-40s %10s%s%s\n", label, v,
                ce->stream[b].status == RLAB_BENCH_DONE ? "" : "  ",
                ce->stream[b].status == RLAB_BENCH_DONE ? "" : ce->stream[b].reason);
    }
    for (size_t i = 0; i < r->n_tput; i++) {
        const struct rlab_bench_tput_row *t = &r->tput[i];
        char sz[24];
        size_name(sz, sizeof sz, t->payload);
        if (fmt_missing(v, sizeof v, &t->rate, c->backends[t->server]->name, ns)) {
            fprintf(f, "  transfer %s -> %s, %s: %s\n", c->backends[t->client]->name,
                    c->backends[t->server]->name, sz, v);
            continue;
        }
        fmt_num(v, sizeof v, t->rate.stat.median);
        fprintf(f, "  transfer %s -> %s, %s: %s MB/s, peak RSS %ld / %ld KiB\n",
                c->backends[t->client]->name, c->backends[t->server]->name, sz, v,
                t->rss_client_kib, t->rss_server_kib);
    }
    emit_skip(r, f, RLAB_BG_THROUGHPUT);
}

void rlab_bench_emit_table(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_config *c = &r->cfg;
    struct notes ns = {0};
    if (c->groups & (1u << RLAB_BG_KEYGEN))
        emit_keygen(r, f, &ns);
    if (c->groups & (1u << RLAB_BG_OPS))
        emit_ops(r, f, &ns);
    if (c->groups & (1u << RLAB_BG_CHUNKING))
        emit_chunking(r, f, &ns);
    if (c->groups & (1u << RLAB_BG_HANDSHAKE))
        emit_handshake(r, f, &ns);
    if (c->groups & (1u << RLAB_BG_THROUGHPUT))
        emit_throughput(r, f, &ns);
    rlab_bench_timing_table(r, f);
    if (ns.n > 0)
        fputc('\n', f);
    for (size_t i = 0; i < ns.n; i++)
        fprintf(f, "[%zu] %s\n", i + 1, ns.text[i]);
    fprintf(f, "\nwall time: %.1f s\n", r->wall_seconds);
}
