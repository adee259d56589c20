/*
 * REPORT.md of a run folder: machine, libraries, a few generated sentences
 * of reading, the plots, then the tables of every group that ran.  Written
 * from the result struct, like the other emitters.
 */
#include <math.h>
#include <string.h>

#include "bench/bench.h"

static int ran(const struct rlab_bench_result *r, enum rlab_bench_group g)
{
    return (r->cfg.groups & (1u << g)) != 0;
}

static const char *name(const struct rlab_bench_result *r, size_t b)
{
    return r->cfg.backends[b]->name;
}

static void num(char *out, size_t cap, double v)
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

static double med(const struct rlab_bench_cell *c)
{
    return c->status == RLAB_BENCH_DONE ? c->stat.median : NAN;
}

/* A cell for a Markdown table: figure, or skip/FAILED with the reason. */
static void md_cell(FILE *f, const struct rlab_bench_cell *c, double ratio, const char *suffix)
{
    char v[32];
    if (c->status == RLAB_BENCH_DONE) {
        num(v, sizeof v, c->stat.median);
        fprintf(f, " %s", v);
        if (!isnan(ratio))
            fprintf(f, " (%.2f%s)", ratio, suffix);
    } else if (c->status == RLAB_BENCH_NOT_RUN) {
        fprintf(f, " -");
    } else {
        fprintf(f, " %s", c->status == RLAB_BENCH_FAILED ? "FAILED" : "skip");
    }
    fputs(" |", f);
}

static void header_row(FILE *f, const struct rlab_bench_result *r, const char *first,
                       int with_bits)
{
    fprintf(f, "| %s |%s", first, with_bits ? " bits |" : "");
    for (size_t b = 0; b < r->cfg.n_backends; b++)
        fprintf(f, " %s |", name(r, b));
    fprintf(f, "\n|---|%s", with_bits ? "---:|" : "");
    for (size_t b = 0; b < r->cfg.n_backends; b++)
        fputs("---:|", f);
    fputc('\n', f);
}

/* ---- reading ---------------------------------------------------------------- */

static void read_ops(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t i = 0; i < c->n_bits; i++) {
        /* Per size, the fastest backend of each operation, grouped. */
        int wins[RLAB_BENCH_MAX_BACKENDS] = {0};
        int counted = 0;
        for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++) {
            int best = -1;
            for (size_t b = 0; b < c->n_backends; b++)
                if (!isnan(med(&r->ops[b][i][op])) &&
                    (best < 0 || med(&r->ops[b][i][op]) > med(&r->ops[best][i][op])))
                    best = (int)b;
            if (best >= 0) {
                wins[best]++;
                counted++;
            }
        }
        if (counted == 0)
            continue;
        fprintf(f, "- At %u bits the fastest backend is", c->bits[i]);
        const char *sep = "";
        for (size_t b = 0; b < c->n_backends; b++) {
            if (wins[b] == 0)
                continue;
            fprintf(f, "%s %s for %d of %d operations", sep, name(r, b), wins[b], counted);
            sep = ",";
        }
        /* The private operation shows the spread best. */
        double lo = NAN, hi = NAN;
        size_t lob = 0, hib = 0;
        for (size_t b = 0; b < c->n_backends; b++) {
            double v = med(&r->ops[b][i][RLAB_BENCH_RAW_PRIVATE]);
            if (isnan(v))
                continue;
            if (isnan(hi) || v > hi) {
                hi = v;
                hib = b;
            }
            if (isnan(lo) || v < lo) {
                lo = v;
                lob = b;
            }
        }
        if (!isnan(lo) && hib != lob)
            fprintf(f, "; the raw private operation ranges from %.0f/s (%s) to %.0f/s (%s), "
                       "%.1fx",
                    lo, name(r, lob), hi, name(r, hib), hi / lo);
        fputs(".\n", f);
    }
    double ov_s = rlab_bench_speed_overhead(r, RLAB_BENCH_SPEED_SIGN);
    double ov_v = rlab_bench_speed_overhead(r, RLAB_BENCH_SPEED_VERIFY);
    if (!isnan(ov_s) && !isnan(ov_v))
        fprintf(f, "- Harness check: the openssl backend's RSA-2048 v1.5 sign is %.1f %% %s and "
                   "its verify %.1f %% %s than `openssl speed` in the same run: %s the 3 %% "
                   "aim.\n",
                fabs(ov_s), ov_s >= 0 ? "slower" : "faster", fabs(ov_v),
                ov_v >= 0 ? "slower" : "faster",
                fabs(ov_s) <= 3 && fabs(ov_v) <= 3 ? "within" : "outside");
    else if (r->speed.status == RLAB_BENCH_SKIPPED)
        fprintf(f, "- Harness check skipped: %s.\n", r->speed.reason);
}

static void read_keygen(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t i = 0; i < c->n_keygen_bits; i++) {
        int best = -1;
        for (size_t b = 0; b < c->n_backends; b++)
            if (!isnan(med(&r->keygen[b][i])) &&
                (best < 0 || med(&r->keygen[b][i]) < med(&r->keygen[best][i])))
                best = (int)b;
        if (best >= 0)
            fprintf(f, "- Key generation at %u bits: fastest median %s (%.1f ms per key, "
                       "slowest key %.1f ms).\n",
                    c->keygen_bits[i], name(r, (size_t)best), r->keygen[best][i].stat.median,
                    r->keygen[best][i].stat.max);
    }
}

static void read_chunking(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t b = 0; b < c->n_backends; b++) {
        const struct rlab_bench_chunking *ch = &r->chunking[b];
        double rsa = med(&ch->rsa), st = med(&ch->stream);
        if (isnan(rsa) || isnan(st))
            continue;
        fprintf(f, "- Chunking, %s: RSA-OAEP blocks of %zu bytes move %.3f MB/s; the "
                   "16 KiB AES-256-GCM stream%s moves %.0f MB/s, %.0fx faster.\n",
                name(r, b), ch->rsa_block, rsa,
                strcmp(ch->aead_from, name(r, b)) ? " (AES-GCM of the default provider)" : "",
                st, st / rsa);
    }
}

static void read_ceilings(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_ceilings *ce = &r->ceil;
    double mc = med(&ce->memcpy_rate), tcp = med(&ce->tcp);
    double ib = med(&ce->inbox);
    if (!isnan(mc) && !isnan(tcp))
        fprintf(f, "- Ceilings: memcpy %.0f MB/s, loopback TCP %.0f MB/s (%.2fx memcpy).\n", mc,
                tcp, tcp / mc);
    if (!isnan(ib))
        fprintf(f, "- Storing a %llu MiB file through the server's file writer alone: %.0f MB/s "
                   "(%.2fx memcpy).\n",
                (unsigned long long)(ce->inbox_bytes >> 20), ib, isnan(mc) ? NAN : ib / mc);
    for (size_t b = 0; b < r->cfg.n_backends; b++) {
        double st = med(&ce->stream[b]);
        if (isnan(st) || strcmp(ce->stream_from[b], name(r, b)) != 0)
            continue;
        fprintf(f, "- The stream's AES-256-GCM seal+open with %s: %.0f MB/s, %.2fx memcpy and "
                   "%.2fx loopback TCP",
                name(r, b), st, isnan(mc) ? NAN : st / mc, isnan(tcp) ? NAN : st / tcp);
        fprintf(f, "%s.\n", !isnan(tcp) && st < tcp ? " (the stream, not the socket, limits a "
                                                      "transfer)"
                                                    : "");
    }
    for (size_t i = 0; i < r->n_tput; i++) {
        const struct rlab_bench_tput_row *t = &r->tput[i];
        double v = med(&t->rate);
        if (isnan(v))
            continue;
        fprintf(f, "- Transfer %s -> %s, %llu bytes: %.0f MB/s = %.2fx loopback TCP, %.2fx the "
                   "stream, %.2fx the inbox write, %.2fx memcpy; peak RSS client %ld KiB, "
                   "server %ld KiB.\n",
                name(r, t->client), name(r, t->server), (unsigned long long)t->payload, v,
                v / tcp, v / med(&ce->stream[t->server]), v / ib, v / mc, t->rss_client_kib,
                t->rss_server_kib);
    }
}

static void read_handshake(const struct rlab_bench_result *r, FILE *f)
{
    size_t skipped = 0;
    for (size_t i = 0; i < r->n_hs; i++) {
        const struct rlab_bench_hs_row *h = &r->hs[i];
        if (h->rate.status != RLAB_BENCH_DONE) {
            skipped++; /* the tables give the reason */
            continue;
        }
        fprintf(f, "- Handshakes, %s server and %s client: %.0f/s, %.2fx the bound of %.0f/s; "
                   "latency p50 %.2f ms, p99 %.2f ms.\n",
                name(r, h->server), name(r, h->client), med(&h->rate), h->ratio, h->bound,
                h->lat_p50_ms, h->lat_p99_ms);
    }
    if (skipped > 0)
        fprintf(f, "- %zu handshake pair%s did not run (a backend without what rsalab/1 needs; "
                   "see the table).\n",
                skipped, skipped == 1 ? "" : "s");
}

/* ---- tables ------------------------------------------------------------------ */

static void tables(const struct rlab_bench_result *r, FILE *f)
{
    const struct rlab_bench_config *c = &r->cfg;
    if (ran(r, RLAB_BG_KEYGEN)) {
        fprintf(f, "\n## Key generation\n\nms per key: median (p10-p90, max); keys per series "
                   "in the CSV (`samples`).\n\n");
        header_row(f, r, "keygen", 1);
        for (size_t i = 0; i < c->n_keygen_bits; i++) {
            fprintf(f, "| keygen | %u |", c->keygen_bits[i]);
            for (size_t b = 0; b < c->n_backends; b++) {
                const struct rlab_bench_cell *k = &r->keygen[b][i];
                if (k->status != RLAB_BENCH_DONE) {
                    md_cell(f, k, NAN, "");
                    continue;
                }
                fprintf(f, " %.1f (%.1f-%.1f, %.1f) |", k->stat.median, k->stat.p10, k->stat.p90,
                        k->stat.max);
            }
            fputc('\n', f);
        }
    }
    if (ran(r, RLAB_BG_OPS)) {
        fprintf(f, "\n## Operations\n\nOperations per second, median of the trials; in "
                   "brackets the ratio to openssl in this run.\n\n");
        header_row(f, r, "operation", 1);
        for (int op = 0; op < RLAB_BENCH_OP_COUNT; op++)
            for (size_t i = 0; i < c->n_bits; i++) {
                fprintf(f, "| %s | %u |", rlab_bench_op_label((enum rlab_bench_op)op),
                        c->bits[i]);
                for (size_t b = 0; b < c->n_backends; b++)
                    md_cell(f, &r->ops[b][i][op],
                            rlab_bench_ops_ratio(r, b, i, (enum rlab_bench_op)op), "x");
                fputc('\n', f);
            }
        const struct rlab_bench_speed *s = &r->speed;
        if (s->status == RLAB_BENCH_DONE)
            fprintf(f, "\n`%s` (%s): sign %.0f/s, verify %.0f/s; openssl backend v1.5 sign "
                       "%.0f/s (%.1f %% overhead), verify %.0f/s (%.1f %% overhead).\n",
                    s->command, s->cli_version, s->cli_sign, s->cli_verify,
                    med(&s->ours[RLAB_BENCH_SPEED_SIGN]),
                    rlab_bench_speed_overhead(r, RLAB_BENCH_SPEED_SIGN),
                    med(&s->ours[RLAB_BENCH_SPEED_VERIFY]),
                    rlab_bench_speed_overhead(r, RLAB_BENCH_SPEED_VERIFY));
    }
    if (ran(r, RLAB_BG_CHUNKING)) {
        fprintf(f, "\n## Chunking\n\nMB/s of payload encrypted and decrypted; in brackets the "
                   "speed-up over RSA-OAEP blocks.\n\n");
        header_row(f, r, "method", 0);
        fprintf(f, "| RSA-OAEP-SHA256 %u, k-66 byte blocks |", c->chunk_rsa_bits);
        for (size_t b = 0; b < c->n_backends; b++)
            md_cell(f, &r->chunking[b].rsa, NAN, "");
        fputc('\n', f);
        for (size_t i = 0; i <= c->n_chunks; i++) {
            if (i < c->n_chunks)
                fprintf(f, "| AES-256-GCM, %zu-byte chunks |", c->chunks[i]);
            else
                fprintf(f, "| core/stream, 16384-byte chunks |");
            for (size_t b = 0; b < c->n_backends; b++) {
                const struct rlab_bench_chunking *ch = &r->chunking[b];
                const struct rlab_bench_cell *cell = i < c->n_chunks ? &ch->aead[i] : &ch->stream;
                md_cell(f, cell, med(cell) / med(&ch->rsa), "x");
            }
            fputc('\n', f);
        }
    }
    if (ran(r, RLAB_BG_HANDSHAKE)) {
        fprintf(f, "\n## Handshake\n\nBound (handshakes/s) = 1 / (server's + client's PSS "
                   "sign + verify at %u bits and OAEP encrypt + decrypt at %u bits), from this "
                   "run's operation costs.\n\n",
                c->hs_id_bits, c->hs_tr_bits);
        header_row(f, r, "figure", 0);
        fprintf(f, "| bound |");
        for (size_t b = 0; b < c->n_backends; b++) {
            char v[32];
            num(v, sizeof v, r->hs_bound[b].bound);
            fprintf(f, " %s |", v);
        }
        fputc('\n', f);
        if (r->group[RLAB_BG_HANDSHAKE].status == RLAB_BENCH_SKIPPED)
            fprintf(f, "\nSkipped: %s.\n", r->group[RLAB_BG_HANDSHAKE].reason);
    }
    if (ran(r, RLAB_BG_THROUGHPUT)) {
        const struct rlab_bench_ceilings *ce = &r->ceil;
        char a[32], b2[32], b3[32];
        num(a, sizeof a, med(&ce->memcpy_rate));
        num(b2, sizeof b2, med(&ce->tcp));
        num(b3, sizeof b3, med(&ce->inbox));
        fprintf(f, "\n## Throughput and its ceilings\n\nmemcpy: %s MB/s; loopback TCP: %s "
                   "MB/s; inbox write (%llu MiB file): %s MB/s.\n\n",
                a, b2, (unsigned long long)(ce->inbox_bytes >> 20), b3);
        header_row(f, r, "ceiling", 0);
        fprintf(f, "| stream seal+open, MB/s |");
        for (size_t b = 0; b < c->n_backends; b++)
            md_cell(f, &ce->stream[b], NAN, "");
        fputc('\n', f);
        if (r->group[RLAB_BG_THROUGHPUT].status == RLAB_BENCH_SKIPPED)
            fprintf(f, "\nSkipped: %s.\n", r->group[RLAB_BG_THROUGHPUT].reason);
    }
    rlab_bench_timing_report(r, f);
}

int rlab_bench_emit_report(const struct rlab_bench_result *r, const char *const *plots,
                           const char *plot_note, FILE *f)
{
    const struct rlab_bench_machine *m = &r->machine;
    const struct rlab_bench_config *c = &r->cfg;
    fprintf(f, "# rsalab bench%s, %s\n\n", c->quick ? " --quick" : "", m->date);
    fprintf(f, "Generated by `rsalab bench`; the data is in `results.csv` and `results.json` "
               "(columns: docs/BENCHMARKS.md). Compare ratios within this run rather than "
               "absolute rates across runs.\n\n");
    fprintf(f, "## Machine\n\n| | |\n|---|---|\n");
    fprintf(f, "| CPU | %s (%u online) |\n", m->cpu, m->cpus);
    fprintf(f, "| CPU flags present | %s |\n", m->flags_present[0] ? m->flags_present : "none");
    fprintf(f, "| CPU flags absent | %s |\n", m->flags_absent[0] ? m->flags_absent : "none");
    fprintf(f, "| kernel | %s |\n| compiler | %s |\n| build type | %s |\n", m->kernel,
            m->compiler, m->build_type);
    fprintf(f, "| git revision | %s |\n| wall time | %.1f s |\n", m->git_rev, r->wall_seconds);
    fprintf(f, "| method | %.3f s warm-up, %u trials >= %.3f s per figure |\n\n",
            c->warmup_seconds, c->trials, c->trial_seconds);
    fprintf(f, "| backend | library |\n|---|---|\n");
    for (size_t b = 0; b < c->n_backends; b++)
        fprintf(f, "| %s | %s |\n", name(r, b), r->versions[b]);

    fprintf(f, "\n## Reading\n\n");
    if (ran(r, RLAB_BG_OPS))
        read_ops(r, f);
    if (ran(r, RLAB_BG_KEYGEN))
        read_keygen(r, f);
    if (ran(r, RLAB_BG_CHUNKING))
        read_chunking(r, f);
    if (ran(r, RLAB_BG_THROUGHPUT))
        read_ceilings(r, f);
    if (ran(r, RLAB_BG_HANDSHAKE))
        read_handshake(r, f);
    rlab_bench_timing_reading(r, f);
    for (int g = 0; g < RLAB_BG_COUNT; g++)
        if (ran(r, (enum rlab_bench_group)g) && r->group[g].status == RLAB_BENCH_SKIPPED)
            fprintf(f, "- Skipped: %s.\n", r->group[g].reason);
    if (rlab_bench_any_failed(r))
        fprintf(f, "- Some operations FAILED: see the tables and the `note` column.\n");

    fprintf(f, "\n## Plots\n\n");
    for (size_t i = 0; plots != NULL && plots[i] != NULL; i++)
        fprintf(f, "![%s](%s)\n\n", plots[i], plots[i]);
    if (plot_note != NULL && plot_note[0] != '\0')
        fprintf(f, "%s\n", plot_note);
    tables(r, f);
    return ferror(f) ? RLAB_ERR_IO : RLAB_OK;
}
