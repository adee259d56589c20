/* see rsa_ops.h */
#include "backends/ops.h"
#include "bench/rsa_ops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"

int rlab_bench_keyops_init(struct rlab_bench_keyops *o, const struct rlab_backend *be,
                           const rlab_key *k)
{
    memset(o, 0, sizeof *o);
    o->be = be;
    o->k = k;
    o->klen = rlab_key_size(k);
    o->oaep = (struct rlab_oaep_params){.hash = RLAB_HASH_SHA256,
                                        .mgf1_hash = RLAB_HASH_SHA256};
    o->pss = (struct rlab_pss_params){.hash = RLAB_HASH_SHA256,
                                      .mgf1_hash = RLAB_HASH_SHA256, .salt_len = 32};
    for (size_t i = 0; i < sizeof o->msg; i++) {
        o->msg[i] = (uint8_t)(0x5a ^ i);
        o->digest[i] = (uint8_t)(0xa5 + 7 * i);
    }
    uint8_t **bufs[] = {&o->ct, &o->pss_sig, &o->pkcs1_sig, &o->raw_in, &o->out};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
        *bufs[i] = calloc(1, o->klen);
        if (*bufs[i] == NULL) {
            rlab_bench_keyops_clear(o);
            return RLAB_ERR_NOMEM;
        }
    }
    /* A leading zero byte keeps the value below n whatever n is. */
    for (size_t i = 1; i < o->klen; i++)
        o->raw_in[i] = (uint8_t)(i * 131 + 17);

    size_t outlen;
    o->ct_rc = o->pss_sig_rc = o->pkcs1_sig_rc = RLAB_ERR_UNSUPPORTED;
    if (be->oaep_encrypt != NULL) {
        o->ct_len = o->klen;
        o->ct_rc = rlab_oaep_encrypt(be, k, &o->oaep, NULL, o->msg, sizeof o->msg, o->ct, &o->ct_len);
        outlen = o->klen;
        /* The decrypt loop must time successful decryptions. */
        if (o->ct_rc == RLAB_OK && be->oaep_decrypt != NULL &&
            (rlab_oaep_decrypt(be, k, &o->oaep, o->ct, o->ct_len, o->out, &outlen) != RLAB_OK ||
             outlen != sizeof o->msg || memcmp(o->out, o->msg, outlen) != 0))
            o->ct_rc = RLAB_ERR_DECRYPT;
    }
    if (be->pss_sign != NULL) {
        o->pss_sig_len = o->klen;
        o->pss_sig_rc = rlab_pss_sign(be, k, &o->pss, NULL, o->digest, sizeof o->digest,
                                     o->pss_sig, &o->pss_sig_len);
        if (o->pss_sig_rc == RLAB_OK && be->pss_verify != NULL)
            o->pss_sig_rc = rlab_pss_verify(be, k, &o->pss, o->digest, sizeof o->digest,
                                           o->pss_sig, o->pss_sig_len);
    }
    if (be->pkcs1_sign != NULL) {
        o->pkcs1_sig_len = o->klen;
        o->pkcs1_sig_rc = rlab_pkcs1_sign(be, k, RLAB_HASH_SHA256, o->digest, sizeof o->digest,
                                         o->pkcs1_sig, &o->pkcs1_sig_len);
        if (o->pkcs1_sig_rc == RLAB_OK && be->pkcs1_verify != NULL)
            o->pkcs1_sig_rc = rlab_pkcs1_verify(be, k, RLAB_HASH_SHA256, o->digest,
                                               sizeof o->digest, o->pkcs1_sig,
                                               o->pkcs1_sig_len);
    }
    return RLAB_OK;
}

void rlab_bench_keyops_clear(struct rlab_bench_keyops *o)
{
    free(o->ct);
    free(o->pss_sig);
    free(o->pkcs1_sig);
    free(o->raw_in);
    /* The output buffer held decrypted messages and private results. */
    rlab_free_secret(o->out, o->klen);
    memset(o, 0, sizeof *o);
}

static struct rlab_op_query query_for(enum rlab_bench_kind kind)
{
    static const rlab_op ops[RLAB_BK_COUNT] = {
        [RLAB_BK_OAEP_ENCRYPT] = RLAB_OP_OAEP_ENCRYPT,
        [RLAB_BK_OAEP_DECRYPT] = RLAB_OP_OAEP_DECRYPT,
        [RLAB_BK_PSS_SIGN] = RLAB_OP_PSS_SIGN,
        [RLAB_BK_PSS_VERIFY] = RLAB_OP_PSS_VERIFY,
        [RLAB_BK_RAW_PRIVATE] = RLAB_OP_RAW_PRIVATE,
        [RLAB_BK_RAW_PUBLIC] = RLAB_OP_RAW_PUBLIC,
        [RLAB_BK_PKCS1_SIGN] = RLAB_OP_PKCS1_SIGN,
        [RLAB_BK_PKCS1_VERIFY] = RLAB_OP_PKCS1_VERIFY,
    };
    struct rlab_op_query q = {.op = ops[kind], .hash = RLAB_HASH_SHA256,
                              .mgf1_hash = RLAB_HASH_SHA256, .salt_len = 32};
    return q;
}

/* The inverse operations need their input made first; NULL when it was. */
static const char *missing_input(const struct rlab_bench_keyops *o,
                                 enum rlab_bench_kind kind, int *rc)
{
    switch (kind) {
    case RLAB_BK_OAEP_DECRYPT: *rc = o->ct_rc; return o->ct_rc ? "making a test ciphertext" : NULL;
    case RLAB_BK_PSS_VERIFY:
        *rc = o->pss_sig_rc;
        return o->pss_sig_rc ? "making a test PSS signature" : NULL;
    case RLAB_BK_PKCS1_VERIFY:
        *rc = o->pkcs1_sig_rc;
        return o->pkcs1_sig_rc ? "making a test v1.5 signature" : NULL;
    default: *rc = RLAB_OK; return NULL;
    }
}

struct op_arg {
    struct rlab_bench_keyops *o;
    enum rlab_bench_kind kind;
};

static int op_once(struct rlab_bench_keyops *o, enum rlab_bench_kind kind);

static int op_fn(void *ctx)
{
    struct op_arg *a = ctx;
    return op_once(a->o, a->kind);
}

enum rlab_bench_kind rlab_bench_kind_of(enum rlab_bench_op op)
{
    static const enum rlab_bench_kind kinds[RLAB_BENCH_OP_COUNT] = {
        [RLAB_BENCH_OAEP_ENCRYPT] = RLAB_BK_OAEP_ENCRYPT,
        [RLAB_BENCH_OAEP_DECRYPT] = RLAB_BK_OAEP_DECRYPT,
        [RLAB_BENCH_PSS_SIGN] = RLAB_BK_PSS_SIGN,
        [RLAB_BENCH_PSS_VERIFY] = RLAB_BK_PSS_VERIFY,
        [RLAB_BENCH_PKCS1_SIGN] = RLAB_BK_PKCS1_SIGN,
        [RLAB_BENCH_PKCS1_VERIFY] = RLAB_BK_PKCS1_VERIFY,
        [RLAB_BENCH_RAW_PRIVATE] = RLAB_BK_RAW_PRIVATE,
        [RLAB_BENCH_RAW_PUBLIC] = RLAB_BK_RAW_PUBLIC,
    };
    return kinds[op];
}

/* One operation; kept free of allocation so the loop times the backend. */
static int op_once(struct rlab_bench_keyops *o, enum rlab_bench_kind kind)
{
    const rlab_key *k = o->k;
    const struct rlab_backend *be = o->be;
    size_t outlen = o->klen;
    switch (kind) {
    case RLAB_BK_OAEP_ENCRYPT:
        return rlab_oaep_encrypt(be, k, &o->oaep, NULL, o->msg, sizeof o->msg, o->out, &outlen);
    case RLAB_BK_OAEP_DECRYPT:
        return rlab_oaep_decrypt(be, k, &o->oaep, o->ct, o->ct_len, o->out, &outlen);
    case RLAB_BK_PSS_SIGN:
        return rlab_pss_sign(be, k, &o->pss, NULL, o->digest, sizeof o->digest, o->out, &outlen);
    case RLAB_BK_PSS_VERIFY:
        return rlab_pss_verify(be, k, &o->pss, o->digest, sizeof o->digest, o->pss_sig,
                              o->pss_sig_len);
    case RLAB_BK_RAW_PRIVATE:
        return rlab_raw_private(be, k, o->raw_in, o->klen, o->out, &outlen);
    case RLAB_BK_RAW_PUBLIC:
        return rlab_raw_public(be, k, o->raw_in, o->klen, o->out, &outlen);
    case RLAB_BK_PKCS1_SIGN:
        return rlab_pkcs1_sign(be, k, RLAB_HASH_SHA256, o->digest, sizeof o->digest, o->out,
                              &outlen);
    case RLAB_BK_PKCS1_VERIFY:
        return rlab_pkcs1_verify(be, k, RLAB_HASH_SHA256, o->digest, sizeof o->digest,
                                o->pkcs1_sig, o->pkcs1_sig_len);
    default: return RLAB_ERR_INVALID_ARG;
    }
}

void rlab_bench_time_op(struct rlab_bench_keyops *o, enum rlab_bench_kind kind,
                        const struct rlab_bench_config *cfg,
                        struct rlab_bench_cell *cell)
{
    memset(cell, 0, sizeof *cell);
    struct rlab_op_query q = query_for(kind);
    const char *why = rlab_backend_check(o->be, &q);
    if (why != NULL) {
        rlab_bench_cell_set(cell, RLAB_BENCH_SKIPPED, why, RLAB_OK);
        return;
    }
    if ((kind == RLAB_BK_OAEP_DECRYPT || kind == RLAB_BK_RAW_PRIVATE ||
         kind == RLAB_BK_PSS_SIGN || kind == RLAB_BK_PKCS1_SIGN) && !o->k->has_private) {
        rlab_bench_cell_set(cell, RLAB_BENCH_SKIPPED, "no private key", RLAB_OK);
        return;
    }
    int rc;
    const char *what = missing_input(o, kind, &rc);
    if (what != NULL) {
        rlab_bench_cell_set(cell, RLAB_BENCH_FAILED, what, rc);
        return;
    }

    rlab_bench_time_loop(op_fn, &(struct op_arg){o, kind}, 1.0, cfg, cell);
}

void rlab_bench_time_keygen(const struct rlab_backend *be, unsigned bits,
                            unsigned n, double budget,
                            struct rlab_bench_cell *cell, float *ms_out)
{
    memset(cell, 0, sizeof *cell);
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits};
    const char *why = rlab_backend_check(be, &q);
    if (why != NULL) {
        rlab_bench_cell_set(cell, RLAB_BENCH_SKIPPED, why, RLAB_OK);
        return;
    }
    if (n > RLAB_BENCH_MAX_KEYS)
        n = RLAB_BENCH_MAX_KEYS;
    double ms[RLAB_BENCH_MAX_KEYS];
    uint64_t start = rlab_bench_now_ns();
    unsigned done = 0;
    for (; done < n; done++) {
        rlab_key *k = NULL;
        rlab_error_clear();
        uint64_t t0 = rlab_bench_now_ns();
        int rc = rlab_keygen(be, bits, 65537, NULL, &k);
        uint64_t t1 = rlab_bench_now_ns();
        rlab_key_free(k);
        if (rc != RLAB_OK) {
            rlab_bench_cell_set(cell, RLAB_BENCH_FAILED, "keygen", rc);
            return;
        }
        ms[done] = (double)(t1 - t0) / 1e6;
        if ((double)(rlab_bench_now_ns() - start) / 1e9 >= budget && done + 1 < n) {
            done++;
            snprintf(cell->reason, sizeof cell->reason,
                     "stopped after %u of %u keys: %.1f s time budget", done, n, budget);
            break;
        }
    }
    rlab_bench_summarise(ms, done, &cell->stat);
    for (unsigned i = 0; i < done; i++)
        ms_out[i] = (float)ms[i];
    cell->status = RLAB_BENCH_DONE;
}
