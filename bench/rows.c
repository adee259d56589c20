/*
 * The flat view of a result: one row per figure (bench.h, struct
 * rlab_bench_row), in a fixed order, which the CSV and JSON emitters both
 * write.  Column meanings per group: docs/BENCHMARKS.md, "Files".
 */
#include <math.h>
#include <string.h>

#include "bench/bench.h"

struct walk {
    const struct rlab_bench_result *r;
    rlab_bench_row_fn fn;
    void *ctx;
    int rc;
};

static struct rlab_bench_row blank(const char *group)
{
    return (struct rlab_bench_row){.group = group, .backend = "-", .peer = "", .library = "",
                                   .operation = "", .unit = "", .median = NAN, .p10 = NAN,
                                   .p90 = NAN, .p99 = NAN, .max = NAN, .ratio = NAN,
                                   .ratio_to = "", .note = ""};
}

/* Copy a cell's figures into a row. */
static void with_cell(struct rlab_bench_row *row, const struct rlab_bench_cell *c)
{
    row->status = c->status;
    row->note = c->reason;
    if (c->status != RLAB_BENCH_DONE)
        return;
    row->samples = c->stat.n;
    row->iters = c->stat.iters;
    row->median = c->stat.median;
    row->p10 = c->stat.p10;
    row->p90 = c->stat.p90;
    row->max = c->stat.max;
}

static void emit(struct walk *w, const struct rlab_bench_row *row)
{
    if (w->rc == 0)
        w->rc = w->fn(w->ctx, row);
}

static const char *be_name(const struct rlab_bench_result *r, size_t b)
{
    return r->cfg.backends[b]->name;
}

static int ran(const struct rlab_bench_result *r, enum rlab_bench_group g)
{
    return (r->cfg.groups & (1u << g)) != 0;
}

static void group_row(struct walk *w, enum rlab_bench_group g)
{
    struct rlab_bench_row row = blank(rlab_bench_group_name(g));
    row.operation = "group";
    row.unit = "s";
    row.status = w->r->group[g].status;
    row.note = w->r->group[g].reason;
    row.median = w->r->group_seconds[g];
    emit(w, &row);
}

static void keygen_rows(struct walk *w)
{
    const struct rlab_bench_result *r = w->r;
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t b = 0; b < c->n_backends; b++) {
        for (size_t i = 0; i < c->n_keygen_bits; i++) {
            struct rlab_bench_row row = blank("keygen");
            row.backend = be_name(r, b);
            row.library = r->versions[b];
            row.bits = c->keygen_bits[i];
            row.operation = "keygen";
            row.unit = "ms";
            with_cell(&row, &r->keygen[b][i]);
            row.ratio = rlab_bench_keygen_ratio(r, b, i);
            row.ratio_to = isnan(row.ratio) ? "" : "openssl";
            emit(w, &row);
        }
    }
    /* The distribution itself, for the CDF plot: one row per key, in order
     * of time; size = rank (1..n), ratio = rank / n. */
    for (size_t b = 0; b < c->n_backends; b++) {
        for (size_t i = 0; i < c->n_keygen_bits; i++) {
            const struct rlab_bench_cell *cell = &r->keygen[b][i];
            if (cell->status != RLAB_BENCH_DONE)
                continue;
            for (unsigned k = 0; k < cell->stat.n; k++) {
                struct rlab_bench_row row = blank("keygen-cdf");
                row.backend = be_name(r, b);
                row.library = r->versions[b];
                row.bits = c->keygen_bits[i];
                row.operation = "keygen";
                row.size = k + 1;
                row.unit = "ms";
                row.status = RLAB_BENCH_DONE;
                row.samples = cell->stat.n;
                row.median = r->keygen_ms[b][i][k];
                row.ratio = (double)(k + 1) / cell->stat.n;
                row.ratio_to = "cumulative fraction";
                emit(w, &row);
            }
        }
    }
}

static void speed_rows(struct walk *w)
{
    const struct rlab_bench_result *r = w->r;
    const struct rlab_bench_speed *s = &r->speed;
    struct rlab_bench_row row = blank("check");
    if (s->status != RLAB_BENCH_DONE) {
        row.backend = "openssl-speed";
        row.operation = "check";
        row.status = s->status;
        row.note = s->reason;
        emit(w, &row);
        return;
    }
    static const char *const cli_ops[2] = {"pkcs1-sha256-sign", "pkcs1-sha256-verify"};
    for (int i = 0; i < 2; i++) {
        row = blank("check");
        row.backend = "openssl-speed";
        row.library = s->cli_version;
        row.bits = 2048;
        row.operation = cli_ops[i];
        row.unit = "ops/s";
        row.status = RLAB_BENCH_DONE;
        row.samples = s->rounds;
        row.median = i == 0 ? s->cli_sign : s->cli_verify;
        row.note = s->command;
        emit(w, &row);
    }
    int o = rlab_bench_openssl_index(r);
    for (int op = 0; op < RLAB_BENCH_SPEED_OP_COUNT; op++) {
        double cli = op == RLAB_BENCH_SPEED_SIGN ? s->cli_sign : s->cli_verify;
        row = blank("check");
        row.backend = "openssl";
        row.library = o >= 0 ? r->versions[o] : "";
        row.bits = 2048;
        row.operation = rlab_bench_speed_op_name((enum rlab_bench_speed_op)op);
        row.unit = "ops/s";
        with_cell(&row, &s->ours[op]);
        if (s->ours[op].status == RLAB_BENCH_DONE && cli > 0) {
            row.ratio = s->ours[op].stat.median / cli;
            row.ratio_to = op == RLAB_BENCH_SPEED_SIGN ? "openssl speed sign"
                                                       : "openssl speed verify";
        }
        emit(w, &row);
    }
}

static void ops_rows(struct walk *w)
{
    const struct rlab_bench_result *r = w->r;
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t b = 0; b < c->n_backends; b++) {
        for (size_t i = 0; i < c->n_bits; i++) {
            for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++) {
                struct rlab_bench_row row = blank("ops");
                row.backend = be_name(r, b);
                row.library = r->versions[b];
                row.bits = c->bits[i];
                row.operation = rlab_bench_op_name((enum rlab_bench_op)op);
                row.unit = "ops/s";
                with_cell(&row, &r->ops[b][i][op]);
                if (row.note[0] == '\0')
                    row.note = r->key_source[b][i];
                row.ratio = rlab_bench_ops_ratio(r, b, i, (enum rlab_bench_op)op);
                row.ratio_to = isnan(row.ratio) ? "" : "openssl";
                emit(w, &row);
            }
        }
    }
    speed_rows(w);
}

static double speedup(const struct rlab_bench_cell *c, const struct rlab_bench_cell *rsa)
{
    if (c->status != RLAB_BENCH_DONE || rsa->status != RLAB_BENCH_DONE || rsa->stat.median <= 0)
        return NAN;
    return c->stat.median / rsa->stat.median;
}

static void chunking_rows(struct walk *w)
{
    const struct rlab_bench_result *r = w->r;
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t b = 0; b < c->n_backends; b++) {
        const struct rlab_bench_chunking *ch = &r->chunking[b];
        struct rlab_bench_row row = blank("chunking");
        row.backend = be_name(r, b);
        row.library = r->versions[b];
        row.bits = c->chunk_rsa_bits;
        row.operation = "rsa-oaep-sha256-blocks";
        row.size = ch->rsa_block;
        row.unit = "MB/s";
        with_cell(&row, &ch->rsa);
        emit(w, &row);
        char note[RLAB_BENCH_REASON * 2];
        for (size_t i = 0; i <= c->n_chunks; i++) {
            const struct rlab_bench_cell *cell = i < c->n_chunks ? &ch->aead[i] : &ch->stream;
            row = blank("chunking");
            row.backend = be_name(r, b);
            row.library = r->versions[b];
            row.operation = i < c->n_chunks ? "aes-256-gcm-chunks" : "stream-cobblestone-256";
            row.size = i < c->n_chunks ? c->chunks[i] : 16384;
            row.unit = "MB/s";
            with_cell(&row, cell);
            row.ratio = speedup(cell, &ch->rsa);
            row.ratio_to = isnan(row.ratio) ? "" : "rsa-oaep-sha256-blocks";
            if (cell->status == RLAB_BENCH_DONE && strcmp(ch->aead_from, be_name(r, b)) != 0) {
                snprintf(note, sizeof note, "AES-GCM of %s (default provider)%s%s",
                         ch->aead_from, cell->reason[0] ? "; " : "", cell->reason);
                row.note = note;
            }
            emit(w, &row);
        }
    }
}

static void handshake_rows(struct walk *w)
{
    const struct rlab_bench_result *r = w->r;
    const struct rlab_bench_config *c = &r->cfg;
    static const char *const cost_names[RLAB_BENCH_HS_OPS] = {
        [RLAB_BENCH_HS_SIGN] = "cost:pss-sha256-sign",
        [RLAB_BENCH_HS_VERIFY] = "cost:pss-sha256-verify",
        [RLAB_BENCH_HS_ENCRYPT] = "cost:oaep-sha256-encrypt",
        [RLAB_BENCH_HS_DECRYPT] = "cost:oaep-sha256-decrypt",
    };
    for (size_t b = 0; b < c->n_backends; b++) {
        for (int op = 0; op < RLAB_BENCH_HS_OPS; op++) {
            struct rlab_bench_row row = blank("handshake");
            row.backend = be_name(r, b);
            row.library = r->versions[b];
            row.bits = op <= RLAB_BENCH_HS_VERIFY ? c->hs_id_bits : c->hs_tr_bits;
            row.operation = cost_names[op];
            row.unit = "ops/s";
            with_cell(&row, &r->hs_ops[b][op]);
            emit(w, &row);
        }
        struct rlab_bench_row row = blank("handshake");
        row.backend = row.peer = be_name(r, b);
        row.library = r->versions[b];
        row.bits = c->hs_id_bits;
        row.operation = "bound";
        row.unit = "handshakes/s";
        row.median = r->hs_bound[b].bound;
        row.status = isnan(row.median) ? RLAB_BENCH_SKIPPED : RLAB_BENCH_DONE;
        row.note = isnan(row.median) ? "an operation cost is missing"
                                     : "1 / (both sides' 2 private + 2 public operations)";
        emit(w, &row);
    }
    for (size_t i = 0; i < r->n_hs; i++) {
        const struct rlab_bench_hs_row *h = &r->hs[i];
        struct rlab_bench_row row = blank("handshake");
        row.backend = be_name(r, h->server);
        row.peer = be_name(r, h->client);
        row.library = r->versions[h->server];
        row.bits = h->id_bits;
        row.operation = "handshakes";
        row.unit = "handshakes/s";
        with_cell(&row, &h->rate);
        row.ratio = h->ratio;
        row.ratio_to = isnan(h->ratio) ? "" : "bound";
        emit(w, &row);
        row = blank("handshake");
        row.backend = be_name(r, h->server);
        row.peer = be_name(r, h->client);
        row.library = r->versions[h->server];
        row.bits = h->id_bits;
        row.operation = "latency";
        row.unit = "ms";
        row.status = h->lat_samples > 0 ? RLAB_BENCH_DONE : RLAB_BENCH_SKIPPED;
        row.samples = h->lat_samples;
        row.median = h->lat_p50_ms;
        row.p90 = h->lat_p90_ms;
        row.p99 = h->lat_p99_ms;
        row.max = h->lat_max_ms;
        emit(w, &row);
    }
}

static double ratio_to(const struct rlab_bench_cell *rate, const struct rlab_bench_cell *ceil)
{
    if (rate->status != RLAB_BENCH_DONE || ceil->status != RLAB_BENCH_DONE ||
        ceil->stat.median <= 0)
        return NAN;
    return rate->stat.median / ceil->stat.median;
}

static void throughput_rows(struct walk *w)
{
    const struct rlab_bench_result *r = w->r;
    const struct rlab_bench_config *c = &r->cfg;
    const struct rlab_bench_ceilings *ce = &r->ceil;
    struct rlab_bench_row row = blank("ceiling");
    row.operation = "memcpy";
    row.size = c->memcpy_bytes;
    row.unit = "MB/s";
    with_cell(&row, &ce->memcpy_rate);
    emit(w, &row);
    row = blank("ceiling");
    row.operation = "tcp-loopback";
    row.size = c->tcp_bytes;
    row.unit = "MB/s";
    with_cell(&row, &ce->tcp);
    emit(w, &row);
    if (ce->inbox.status != RLAB_BENCH_NOT_RUN) {
        row = blank("ceiling");
        row.operation = "inbox-write";
        row.size = ce->inbox_bytes;
        row.unit = "MB/s";
        with_cell(&row, &ce->inbox);
        emit(w, &row);
    }
    for (size_t b = 0; b < c->n_backends; b++) {
        row = blank("ceiling");
        row.backend = be_name(r, b);
        row.library = r->versions[b];
        row.operation = "stream-seal-open";
        row.size = 16384;
        row.unit = "MB/s";
        with_cell(&row, &ce->stream[b]);
        emit(w, &row);
    }
    for (size_t i = 0; i < r->n_tput; i++) {
        const struct rlab_bench_tput_row *t = &r->tput[i];
        row = blank("throughput");
        row.backend = be_name(r, t->server);
        row.peer = be_name(r, t->client);
        row.library = r->versions[t->server];
        row.operation = "transfer";
        row.size = t->payload;
        row.unit = "MB/s";
        with_cell(&row, &t->rate);
        row.ratio = ratio_to(&t->rate, &ce->tcp);
        row.ratio_to = "tcp-loopback";
        emit(w, &row);
        const struct {
            const char *op;
            const struct rlab_bench_cell *ceil;
        } ratios[] = {{"ratio:memcpy", &ce->memcpy_rate},
                      {"ratio:tcp-loopback", &ce->tcp},
                      {"ratio:inbox-write", &ce->inbox},
                      {"ratio:stream-seal-open", &ce->stream[t->server]}};
        for (size_t k = 0; k < sizeof ratios / sizeof ratios[0]; k++) {
            row = blank("throughput");
            row.backend = be_name(r, t->server);
            row.peer = be_name(r, t->client);
            row.operation = ratios[k].op;
            row.size = t->payload;
            row.unit = "x";
            row.median = ratio_to(&t->rate, ratios[k].ceil);
            row.status = isnan(row.median) ? RLAB_BENCH_SKIPPED : RLAB_BENCH_DONE;
            emit(w, &row);
        }
        const long rss[2] = {t->rss_server_kib, t->rss_client_kib};
        for (int k = 0; k < 2; k++) {
            row = blank("throughput");
            row.backend = be_name(r, t->server);
            row.peer = be_name(r, t->client);
            row.operation = k == 0 ? "peak-rss-server" : "peak-rss-client";
            row.size = t->payload;
            row.unit = "MiB";
            row.status = rss[k] >= 0 ? RLAB_BENCH_DONE : RLAB_BENCH_SKIPPED;
            row.median = rss[k] >= 0 ? (double)rss[k] / 1024.0 : NAN;
            row.note = "VmHWM of /proc/self/status";
            emit(w, &row);
        }
    }
}

int rlab_bench_rows(const struct rlab_bench_result *r, rlab_bench_row_fn fn, void *ctx)
{
    struct walk w = {.r = r, .fn = fn, .ctx = ctx};
    for (int g = 0; g < RLAB_BG_COUNT; g++) {
        if (!ran(r, (enum rlab_bench_group)g))
            continue;
        group_row(&w, (enum rlab_bench_group)g);
        switch (g) {
        case RLAB_BG_KEYGEN: keygen_rows(&w); break;
        case RLAB_BG_OPS: ops_rows(&w); break;
        case RLAB_BG_CHUNKING: chunking_rows(&w); break;
        case RLAB_BG_HANDSHAKE: handshake_rows(&w); break;
        case RLAB_BG_THROUGHPUT: throughput_rows(&w); break;
        case RLAB_BG_TIMING:
            if (w.rc == 0)
                w.rc = rlab_bench_timing_rows(r, fn, ctx);
            break;
        default: break;
        }
    }
    return w.rc;
}
