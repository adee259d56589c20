/*
 * The groups that run through the rsalab/1 protocol: handshake and
 * throughput: the bound from the operation costs, the ceilings, and the
 * figures of real sessions (bench/session.c).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backends/ops.h"
#include "bench/bench_int.h"
#include "bench/rsa_ops.h"
#include "core/handshake.h"


/* ---- handshake ------------------------------------------------------------ */

double rlab_bench_plan_handshake(const struct rlab_bench_config *c)
{
    int have = 0;
    for (size_t i = 0; i < c->n_bits; i++)
        have += c->bits[i] == c->hs_id_bits || c->bits[i] == c->hs_tr_bits;
    if ((c->groups & (1u << RLAB_BG_OPS)) && have > 0)
        return 0.1;
    return (double)c->n_backends * RLAB_BENCH_HS_OPS * rlab_bench_figure_cost(c);
}

static const enum rlab_bench_op hs_table_op[RLAB_BENCH_HS_OPS] = {
    [RLAB_BENCH_HS_SIGN] = RLAB_BENCH_PSS_SIGN,
    [RLAB_BENCH_HS_VERIFY] = RLAB_BENCH_PSS_VERIFY,
    [RLAB_BENCH_HS_ENCRYPT] = RLAB_BENCH_OAEP_ENCRYPT,
    [RLAB_BENCH_HS_DECRYPT] = RLAB_BENCH_OAEP_DECRYPT,
};

/* The ops group's cell for this operation at this size, when it ran. */
static const struct rlab_bench_cell *ops_cell(const struct rlab_bench_result *r, size_t b,
                                              unsigned bits, enum rlab_bench_hs_op op)
{
    if (!(r->cfg.groups & (1u << RLAB_BG_OPS)))
        return NULL;
    for (size_t i = 0; i < r->cfg.n_bits; i++)
        if (r->cfg.bits[i] == bits && r->ops[b][i][hs_table_op[op]].status != RLAB_BENCH_NOT_RUN)
            return &r->ops[b][i][hs_table_op[op]];
    return NULL;
}

/* Fill r->hs_ops[b]: from the ops group, else timed here on shared keys. */
static int hs_costs(struct rlab_bench_run *run, size_t b)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *c = &r->cfg;
    const struct rlab_backend *be = c->backends[b];
    for (int op = 0; op < RLAB_BENCH_HS_OPS; op++) {
        unsigned bits = op <= RLAB_BENCH_HS_VERIFY ? c->hs_id_bits : c->hs_tr_bits;
        const struct rlab_bench_cell *from = ops_cell(r, b, bits, (enum rlab_bench_hs_op)op);
        if (from != NULL) {
            r->hs_ops[b][op] = *from;
            continue;
        }
        char source[64];
        rlab_key *k = rlab_bench_shared_key(run, be, bits, source, sizeof source);
        if (k == NULL) {
            rlab_bench_cell_set(&r->hs_ops[b][op], RLAB_BENCH_SKIPPED, source, RLAB_OK);
            continue;
        }
        struct rlab_bench_keyops ko;
        if (rlab_bench_keyops_init(&ko, be, k) != RLAB_OK) {
            rlab_key_free(k);
            return RLAB_ERR_NOMEM;
        }
        rlab_bench_time_op(&ko, rlab_bench_kind_of(hs_table_op[op]), c, &r->hs_ops[b][op]);
        rlab_bench_keyops_clear(&ko);
        rlab_key_free(k);
    }
    return RLAB_OK;
}

/* Full handshakes for each pair: every backend with itself, and in a full
 * run every ordered pair of different backends too. */
static int run_handshake_pairs(struct rlab_bench_run *run)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t s = 0; s < c->n_backends; s++) {
        for (size_t k = 0; k < c->n_backends; k++) {
            if (c->quick && s != k)
                continue;
            struct rlab_bench_hs_row row = {.server = s, .client = k, .id_bits = c->hs_id_bits,
                                            .tr_bits = c->hs_tr_bits};
            char label[80], why[RLAB_BENCH_REASON];
            snprintf(label, sizeof label, "handshakes with %s clients", c->backends[k]->name);
            const char *unfit = rlab_hs_unfit(c->backends[s]);
            if (unfit == NULL)
                unfit = rlab_hs_unfit(c->backends[k]);
            if (unfit != NULL) {
                snprintf(why, sizeof why, "rsalab/1 cannot run: %s", unfit);
                rlab_bench_cell_set(&row.rate, RLAB_BENCH_SKIPPED, why, RLAB_OK);
                row.lat_p50_ms = row.lat_p90_ms = row.lat_p99_ms = row.lat_max_ms = NAN;
                if (rlab_bench_add_hs(r, &row) != RLAB_OK)
                    return RLAB_OK;
                continue;
            }
            rlab_bench_step(run, RLAB_BG_HANDSHAKE, c->backends[s]->name, label,
                            (double)(c->trials + 1) * c->trial_seconds + 1.0);
            int rc = rlab_bench_handshakes(c->backends[s], c->backends[k], c, &row, why,
                                           sizeof why);
            if (rc != RLAB_OK)
                rlab_bench_cell_set(&row.rate, RLAB_BENCH_FAILED, why, rc);
            if (rlab_bench_add_hs(r, &row) != RLAB_OK)
                return RLAB_OK; /* the table is full: the rest are not run */
        }
    }
    return RLAB_OK;
}

int rlab_bench_run_handshake(struct rlab_bench_run *run)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t b = 0; b < c->n_backends; b++) {
        rlab_bench_step(run, RLAB_BG_HANDSHAKE, c->backends[b]->name, "operation costs",
                        RLAB_BENCH_HS_OPS * rlab_bench_figure_cost(c));
        int rc = hs_costs(run, b);
        if (rc != RLAB_OK)
            return rc;
        struct rlab_bench_hs_row *row = &r->hs_bound[b];
        *row = (struct rlab_bench_hs_row){.server = b, .client = b, .id_bits = c->hs_id_bits,
                                          .tr_bits = c->hs_tr_bits};
        rlab_bench_hs_bound(r, row);
    }
    return run_handshake_pairs(run);
}

static double side_cost(const struct rlab_bench_result *r, size_t b)
{
    double s = 0;
    for (int op = 0; op < RLAB_BENCH_HS_OPS; op++) {
        const struct rlab_bench_cell *c = &r->hs_ops[b][op];
        if (c->status != RLAB_BENCH_DONE || c->stat.median <= 0)
            return NAN;
        s += 1.0 / c->stat.median;
    }
    return s;
}

void rlab_bench_hs_bound(const struct rlab_bench_result *r, struct rlab_bench_hs_row *row)
{
    double cost = side_cost(r, row->server) + side_cost(r, row->client);
    row->bound = isnan(cost) || cost <= 0 ? NAN : 1.0 / cost;
    row->ratio = row->rate.status == RLAB_BENCH_DONE && !isnan(row->bound)
                     ? row->rate.stat.median / row->bound
                     : NAN;
}

int rlab_bench_add_hs(struct rlab_bench_result *r, const struct rlab_bench_hs_row *row)
{
    if (r->n_hs == RLAB_BENCH_MAX_HS_ROWS)
        return RLAB_ERR_TOO_BIG;
    r->hs[r->n_hs] = *row;
    rlab_bench_hs_bound(r, &r->hs[r->n_hs]);
    r->n_hs++;
    return RLAB_OK;
}

void rlab_bench_hs_latency(double *ms, size_t n, struct rlab_bench_hs_row *row)
{
    struct rlab_bench_stat st;
    rlab_bench_summarise(ms, n, &st); /* sorts */
    row->lat_samples = (unsigned)n;
    if (n == 0) {
        row->lat_p50_ms = row->lat_p90_ms = row->lat_p99_ms = row->lat_max_ms = NAN;
        return;
    }
    row->lat_p50_ms = st.median;
    row->lat_p90_ms = st.p90;
    row->lat_p99_ms = rlab_bench_percentile(ms, n, 99);
    row->lat_max_ms = st.max;
}

/* ---- throughput ----------------------------------------------------------- */

double rlab_bench_plan_throughput(const struct rlab_bench_config *c)
{
    double one = rlab_bench_figure_cost(c);
    /* memcpy; TCP at about 1 GB/s under load; one stream per backend */
    uint64_t biggest = 0;
    for (size_t i = 0; i < c->n_payloads; i++)
        biggest = c->payloads[i] > biggest ? c->payloads[i] : biggest;
    return one + (double)(c->trials + 1) * (double)(c->tcp_bytes + biggest) / 1e9 +
           (double)c->n_backends * one;
}

int rlab_bench_add_tput(struct rlab_bench_result *r, const struct rlab_bench_tput_row *row)
{
    if (r->n_tput == RLAB_BENCH_MAX_TPUT_ROWS)
        return RLAB_ERR_TOO_BIG;
    r->tput[r->n_tput++] = *row;
    return RLAB_OK;
}

/* Transfers of every payload size, each backend with itself. */
static int run_transfers(struct rlab_bench_run *run)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *c = &r->cfg;
    for (size_t b = 0; b < c->n_backends; b++) {
        if (c->backends[b]->parent != NULL)
            continue; /* a variant: its stream is its backend's */
        const char *unfit = rlab_hs_unfit(c->backends[b]);
        for (size_t i = 0; i < c->n_payloads; i++) {
            struct rlab_bench_tput_row row = {.server = b, .client = b,
                                              .payload = c->payloads[i],
                                              .rss_server_kib = -1, .rss_client_kib = -1};
            char label[64], why[RLAB_BENCH_REASON];
            snprintf(label, sizeof label, "transfer of %llu bytes",
                     (unsigned long long)c->payloads[i]);
            if (unfit != NULL) {
                snprintf(why, sizeof why, "rsalab/1 cannot run: %s", unfit);
                rlab_bench_cell_set(&row.rate, RLAB_BENCH_SKIPPED, why, RLAB_OK);
                if (rlab_bench_add_tput(r, &row) != RLAB_OK)
                    return RLAB_OK;
                continue;
            }
            rlab_bench_step(run, RLAB_BG_THROUGHPUT, c->backends[b]->name, label,
                            (double)c->payloads[i] / 200e6 + 1.0);
            int rc = rlab_bench_transfer(c->backends[b], c->backends[b], c, c->payloads[i],
                                         &row, why, sizeof why);
            if (rc != RLAB_OK)
                rlab_bench_cell_set(&row.rate, RLAB_BENCH_FAILED, why, rc);
            if (rlab_bench_add_tput(r, &row) != RLAB_OK)
                return RLAB_OK;
        }
    }
    return RLAB_OK;
}

int rlab_bench_run_throughput(struct rlab_bench_run *run)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *c = &r->cfg;
    struct rlab_bench_ceilings *ce = &r->ceil;
    rlab_bench_step(run, RLAB_BG_THROUGHPUT, "", "ceiling: memcpy", rlab_bench_figure_cost(c));
    rlab_bench_ceiling_memcpy(c, &ce->memcpy_rate);
    rlab_bench_step(run, RLAB_BG_THROUGHPUT, "", "ceiling: loopback TCP",
                    (double)(c->trials + 1) * (double)c->tcp_bytes / 1e9);
    rlab_bench_ceiling_tcp(c, &ce->tcp);
    ce->inbox_bytes = 0;
    for (size_t i = 0; i < c->n_payloads; i++)
        if (c->payloads[i] > ce->inbox_bytes)
            ce->inbox_bytes = c->payloads[i];
    rlab_bench_step(run, RLAB_BG_THROUGHPUT, "", "ceiling: inbox write",
                    (double)(c->trials + 1) * (double)ce->inbox_bytes / 1e9);
    rlab_bench_ceiling_inbox(c, rlab_bench_scratch_dir(), ce->inbox_bytes, &ce->inbox);
    for (size_t b = 0; b < c->n_backends; b++) {
        const struct rlab_backend *ab = rlab_bench_aead_provider(c->backends[b]);
        snprintf(ce->stream_from[b], sizeof ce->stream_from[b], "%s", ab ? ab->name : "");
        if (ab == NULL) {
            rlab_bench_cell_set(&ce->stream[b], RLAB_BENCH_SKIPPED,
                                "no AES-256-GCM in this backend or a default provider",
                                RLAB_OK);
            continue;
        }
        /* A backend without AES-GCM uses its provider's: the same figure,
         * measured once. */
        size_t same = 0;
        while (same < b && strcmp(ce->stream_from[same], ab->name) != 0)
            same++;
        if (same < b && ce->stream[same].status == RLAB_BENCH_DONE) {
            ce->stream[b] = ce->stream[same];
            continue;
        }
        rlab_bench_step(run, RLAB_BG_THROUGHPUT, c->backends[b]->name, "ceiling: stream",
                        rlab_bench_figure_cost(c));
        rlab_bench_ceiling_stream(ab, c, &ce->stream[b]);
    }
    return run_transfers(run);
}
