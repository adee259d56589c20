/*
 * RSAES-OAEP: decryption known answers (valid, invalid, acceptable) and,
 * where the vector gives the seed and the backend takes the caller's rng,
 * encryption known answers.  see vec_int.h
 */
#include <stdlib.h>
#include <string.h>

#include "core/ct.h"
#include "vec_int.h"

static struct rlab_oaep_params params(const struct rlab_vec_case *c)
{
    struct rlab_oaep_params p = {
        .hash = c->hash,
        .mgf1_hash = c->mgf1,
        .label = c->label.len ? c->label.data : NULL,
        .label_len = c->label.len,
    };
    return p;
}

static void decrypt(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_DECRYPT;
    struct rlab_op_query q = {.op = RLAB_OP_OAEP_DECRYPT, .hash = c->hash,
                              .mgf1_hash = c->mgf1, .label_len = c->label.len};
    const char *why = rlab_backend_check(x->be, &q);
    if (why != NULL) {
        rlab_vec_skip(x, K, why);
        return;
    }
    int skip;
    const rlab_key *k = rlab_vec_key_private(x, c, &why, &skip);
    if (k == NULL) {
        rlab_vec_key_missing(x, K, c, why, skip);
        return;
    }
    size_t cap = rlab_key_size(k), out_len = cap;
    uint8_t *out = malloc(cap);
    if (out == NULL) {
        x->nomem = 1;
        return;
    }
    struct rlab_oaep_params p = params(c);
    rlab_error_clear();
    int rc = x->be->oaep_decrypt(k, &p, c->out.data, c->out.len, out, &out_len);
    rlab_vec_judge_decrypt(x, K, c, rc, out, rc == RLAB_OK ? out_len : 0);
    free(out);
}

static void encrypt_kat(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_ENCRYPT_KAT;
    struct rlab_op_query q = {.op = RLAB_OP_OAEP_ENCRYPT, .hash = c->hash,
                              .mgf1_hash = c->mgf1, .label_len = c->label.len,
                              .replay_rng = 1};
    const char *why = rlab_backend_check(x->be, &q);
    if (why != NULL) {
        rlab_vec_skip(x, K, why);
        return;
    }
    int skip;
    const rlab_key *k = rlab_vec_key_public(x, c, &why, &skip);
    if (k == NULL) {
        rlab_vec_key_missing(x, K, c, why, skip);
        return;
    }
    size_t cap = rlab_key_size(k), out_len = cap;
    uint8_t *out = malloc(cap);
    if (out == NULL) {
        x->nomem = 1;
        return;
    }
    struct rlab_rng rng;
    struct rlab_vec_replay rp;
    rlab_vec_replay_init(&rp, &rng, &c->seed);
    struct rlab_oaep_params p = params(c);
    char want[RLAB_VEC_HEXSTR_SIZE], got[RLAB_VEC_HEXSTR_SIZE];
    rlab_vec_hexstr(c->out.data, c->out.len, want, sizeof want);
    rlab_error_clear();
    int rc = x->be->oaep_encrypt(k, &p, &rng, c->msg.data, c->msg.len, out, &out_len);
    if (rc != RLAB_OK)
        rlab_vec_fail(x, K, c, want, "%s%s", rlab_vec_errstr(rc),
                      rp.overrun ? " (asked for more random bytes than the seed has)" : "");
    else if (out_len != c->out.len || !rlab_ct_equal(out, c->out.data, out_len))
        rlab_vec_fail(x, K, c, want, "%s (used %zu of the seed's %zu bytes)",
                      rlab_vec_hexstr(out, out_len, got, sizeof got), rp.pos, rp.len);
    else
        rlab_vec_pass(x, K);
    free(out);
}

void rlab_vec_run_oaep(struct rlab_vec_ctx *x)
{
    for (size_t i = 0; i < x->f->n_cases; i++) {
        const struct rlab_vec_case *c = &x->f->cases[i];
        int kat = c->seed.len > 0 && c->expect == RLAB_VEC_VALID;
        if (c->skip != NULL) {
            rlab_vec_skip(x, RLAB_VEC_K_DECRYPT, c->skip);
            if (kat)
                rlab_vec_skip(x, RLAB_VEC_K_ENCRYPT_KAT, c->skip);
            continue;
        }
        decrypt(x, c);
        if (kat)
            encrypt_kat(x, c);
    }
}
