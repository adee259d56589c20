/*
 * The bench driver: configuration defaults, the group table, progress
 * accounting and the shared key per size.  Each group lives in its own file
 * (keygen.c, ops.c, chunking.c, protocol.c); see bench.h and bench_int.h.
 */
#include <string.h>

#include "backends/ops.h"
#include "bench/bench_int.h"
#include "bench/timing_int.h"

static const struct {
    const char *name;
    int (*run)(struct rlab_bench_run *run);
    double (*plan)(const struct rlab_bench_config *c);
} groups[RLAB_BG_COUNT] = {
    [RLAB_BG_KEYGEN] = {"keygen", rlab_bench_run_keygen, rlab_bench_plan_keygen},
    [RLAB_BG_OPS] = {"ops", rlab_bench_run_ops, rlab_bench_plan_ops},
    [RLAB_BG_CHUNKING] = {"chunking", rlab_bench_run_chunking, rlab_bench_plan_chunking},
    [RLAB_BG_HANDSHAKE] = {"handshake", rlab_bench_run_handshake, rlab_bench_plan_handshake},
    [RLAB_BG_THROUGHPUT] = {"throughput", rlab_bench_run_throughput,
                            rlab_bench_plan_throughput},
    [RLAB_BG_TIMING] = {"timing", rlab_bench_run_timing, rlab_bench_plan_timing},
};

const char *rlab_bench_group_name(enum rlab_bench_group g)
{
    return (unsigned)g < RLAB_BG_COUNT ? groups[g].name : "unknown";
}

int rlab_bench_group_find(const char *name)
{
    for (int g = 0; g < RLAB_BG_COUNT; g++)
        if (strcmp(groups[g].name, name) == 0)
            return g;
    return -1;
}

void rlab_bench_config_default(struct rlab_bench_config *c, int quick)
{
    memset(c, 0, sizeof *c);
    c->quick = quick;
    c->groups = RLAB_BG_DEFAULT;
    size_t n = rlab_backend_count();
    for (size_t i = 0; i < n && c->n_backends < RLAB_BENCH_MAX_BACKENDS; i++)
        c->backends[c->n_backends++] = rlab_backend_at(i);
    /* and the variants worth a row here ("gmp/mpn" where gmp runs IFMA) */
    n = rlab_backend_variant_count();
    for (size_t i = 0; i < n && c->n_backends < RLAB_BENCH_MAX_BACKENDS; i++)
        c->backends[c->n_backends++] = rlab_backend_variant_at(i);
    /* --quick keeps every group but at fewer sizes and shorter trials: with
     * nine backends it must stay well inside two minutes on two cores. */
    static const unsigned all_bits[] = {1024, 2048, 3072, 4096};
    static const unsigned quick_ops_bits[] = {2048, 4096};
    static const unsigned quick_kg_bits[] = {1024, 2048};
    if (quick) {
        memcpy(c->bits, quick_ops_bits, sizeof quick_ops_bits);
        c->n_bits = 2;
        memcpy(c->keygen_bits, quick_kg_bits, sizeof quick_kg_bits);
        c->n_keygen_bits = 2;
    } else {
        memcpy(c->bits, all_bits, sizeof all_bits);
        c->n_bits = 4;
        memcpy(c->keygen_bits, all_bits, sizeof all_bits);
        c->n_keygen_bits = 4;
    }
    c->trials = quick ? 5 : 9;
    c->trial_seconds = quick ? 0.03 : 0.2;
    c->warmup_seconds = quick ? 0.02 : 0.2;
    /* 4096-bit keygen of OpenSSL 3.0 and mbedTLS takes seconds per key and
     * varies by a factor of several: a ceiling keeps a run inside its time
     * limit whatever the draw. */
    c->keygen_budget = quick ? 1.5 : 120.0;
    c->speed_check = 1;
    c->chunk_rsa_bits = 2048;
    static const size_t all_chunks[] = {1024, 4096, 16384, 65536, 262144, 1048576};
    static const size_t quick_chunks[] = {1024, 16384, 1048576};
    if (quick) {
        memcpy(c->chunks, quick_chunks, sizeof quick_chunks);
        c->n_chunks = 3;
    } else {
        memcpy(c->chunks, all_chunks, sizeof all_chunks);
        c->n_chunks = 6;
    }
    c->memcpy_bytes = (size_t)64 << 20;
    c->tcp_bytes = quick ? (size_t)32 << 20 : (size_t)256 << 20;
    c->hs_id_bits = 2048;
    c->hs_tr_bits = 2048;
    static const uint64_t all_payloads[] = {1u << 20, 16u << 20, 256u << 20, 1u << 30};
    static const uint64_t quick_payloads[] = {1u << 20, 16u << 20};
    if (quick) {
        memcpy(c->payloads, quick_payloads, sizeof quick_payloads);
        c->n_payloads = 2;
    } else {
        memcpy(c->payloads, all_payloads, sizeof all_payloads);
        c->n_payloads = 4;
    }
    /* dudect's scale: 10^5 measurements per class resolve a difference of a
     * few hundred cycles in half a million on a busy machine (docs/TIMING.md);
     * --quick is a smoke run, not a verdict. */
    c->timing_samples = quick ? 5000 : 100000;
    c->timing_bits = 2048;
    c->timing_ops = RLAB_BT_ALL;
}

unsigned rlab_bench_keys_for(const struct rlab_bench_config *c, unsigned bits)
{
    unsigned n = c->keys;
    if (n == 0)
        n = !c->quick ? 20 : bits <= 1024 ? 8 : 4;
    return n > RLAB_BENCH_MAX_KEYS ? RLAB_BENCH_MAX_KEYS : n;
}

static void read_git_rev(char *out, size_t cap)
{
#ifdef RSALAB_SOURCE_DIR
    /* Reading only: rev-parse writes nothing in the repository. */
    FILE *p = popen("git -C '" RSALAB_SOURCE_DIR "' rev-parse --short=12 HEAD 2>/dev/null", "r");
    if (p != NULL) {
        if (fgets(out, (int)cap, p) == NULL)
            out[0] = '\0';
        out[strcspn(out, "\n")] = '\0';
        pclose(p);
    }
#endif
    if (out[0] == '\0')
        snprintf(out, cap, "unknown");
}

void rlab_bench_init(struct rlab_bench_result *r, const struct rlab_bench_config *c)
{
    memset(r, 0, sizeof *r);
    r->cfg = *c;
    rlab_bench_machine_read(&r->machine);
    read_git_rev(r->machine.git_rev, sizeof r->machine.git_rev);
    for (size_t i = 0; i < c->n_backends; i++) {
        const char *v = c->backends[i]->version ? c->backends[i]->version() : NULL;
        snprintf(r->versions[i], sizeof r->versions[i], "%s", v ? v : "unknown");
    }
}

double rlab_bench_figure_cost(const struct rlab_bench_config *c)
{
    return c->warmup_seconds + c->trials * c->trial_seconds + 0.005;
}

void rlab_bench_step(struct rlab_bench_run *run, enum rlab_bench_group g,
                     const char *backend, const char *what, double cost)
{
    run->done += run->pending;
    run->pending = cost;
    const struct rlab_bench_config *c = &run->r->cfg;
    if (c->progress == NULL)
        return;
    double elapsed = (double)(rlab_bench_now_ns() - run->t0) / 1e9;
    double planned = run->planned > run->done ? run->planned : run->done + cost;
    struct rlab_bench_progress p = {
        .group = rlab_bench_group_name(g),
        .backend = backend ? backend : "",
        .what = what ? what : "",
        .fraction = planned > 0 ? run->done / planned : 0,
        .elapsed = elapsed,
        /* The plan's remaining seconds, scaled by how the plan has fared so
         * far (a loaded machine runs everything slower). */
        .left = run->done > 1.0 ? (planned - run->done) * elapsed / run->done
                                : planned - run->done,
    };
    c->progress(c->progress_ctx, &p);
}

static int can(const struct rlab_backend *be, rlab_op op, unsigned bits)
{
    struct rlab_op_query q = {.op = op, .bits = bits};
    return rlab_backend_check(be, &q) == NULL;
}

/* Make the reference key of a size with the first backend able to. */
static void make_shared(struct rlab_bench_run *run, size_t slot, unsigned bits)
{
    const struct rlab_bench_config *c = &run->r->cfg;
    size_t nreg = rlab_backend_count();
    for (size_t i = 0; i < c->n_backends + nreg; i++) {
        const struct rlab_backend *be = i < c->n_backends ? c->backends[i]
                                                          : rlab_backend_at(i - c->n_backends);
        if (!can(be, RLAB_OP_KEYGEN, bits) || !can(be, RLAB_OP_EXPORT, bits))
            continue;
        rlab_key *k = NULL;
        if (rlab_keygen(be, bits, 65537, NULL, &k) == RLAB_OK &&
            rlab_key_export(be, k, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, &run->keys[slot].der) ==
                RLAB_OK) {
            snprintf(run->keys[slot].from, sizeof run->keys[slot].from, "%s", be->name);
            rlab_key_free(k);
            return;
        }
        rlab_key_free(k);
        rlab_buf_clear(&run->keys[slot].der);
    }
}

rlab_key *rlab_bench_shared_key(struct rlab_bench_run *run, const struct rlab_backend *be,
                                unsigned bits, char *source, size_t cap)
{
    size_t slot = 0;
    while (slot < run->n_keys && run->keys[slot].bits != bits)
        slot++;
    if (slot == run->n_keys && slot < RLAB_BENCH_MAX_SHARED_KEYS) {
        run->keys[slot].bits = bits;
        run->n_keys++;
        make_shared(run, slot, bits);
    }
    rlab_key *k = NULL;
    if (slot < run->n_keys && run->keys[slot].der.len > 0 && can(be, RLAB_OP_IMPORT, bits) &&
        rlab_key_import(be, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, run->keys[slot].der.data,
                        run->keys[slot].der.len, &k) == RLAB_OK) {
        if (strcmp(run->keys[slot].from, be->name) == 0)
            snprintf(source, cap, "own key (shared)");
        else
            snprintf(source, cap, "%s key, PKCS#8 DER", run->keys[slot].from);
        return k;
    }
    rlab_error_clear();
    int rc = can(be, RLAB_OP_KEYGEN, bits) ? rlab_keygen(be, bits, 65537, NULL, &k)
                                          : RLAB_ERR_UNSUPPORTED;
    if (rc == RLAB_OK) {
        snprintf(source, cap, "own key");
        return k;
    }
    snprintf(source, cap, "no key: cannot import or generate one");
    return NULL;
}

int rlab_bench_run(struct rlab_bench_result *r)
{
    struct rlab_bench_run run = {.r = r, .t0 = rlab_bench_now_ns()};
    for (int g = 0; g < RLAB_BG_COUNT; g++)
        if ((r->cfg.groups & (1u << g)) && groups[g].plan != NULL)
            run.planned += groups[g].plan(&r->cfg);
    int rc = RLAB_OK;
    for (int g = 0; g < RLAB_BG_COUNT && rc == RLAB_OK; g++) {
        if (!(r->cfg.groups & (1u << g)))
            continue;
        uint64_t t0 = rlab_bench_now_ns();
        if (groups[g].run == NULL) {
            rlab_bench_cell_set(&r->group[g], RLAB_BENCH_SKIPPED, "not built", RLAB_OK);
        } else {
            rc = groups[g].run(&run);
            if (rc == RLAB_OK && r->group[g].status == RLAB_BENCH_NOT_RUN)
                r->group[g].status = RLAB_BENCH_DONE;
        }
        r->group_seconds[g] = (double)(rlab_bench_now_ns() - t0) / 1e9;
    }
    for (size_t i = 0; i < run.n_keys; i++)
        rlab_buf_clear(&run.keys[i].der);
    r->wall_seconds = (double)(rlab_bench_now_ns() - run.t0) / 1e9;
    return rc;
}
