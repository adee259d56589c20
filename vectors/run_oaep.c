/*
 * RSAES-OAEP: decryption known answers (valid, invalid, acceptable) and,
 * where the vector gives the seed and the backend takes the caller's rng,
 * encryption known answers.  see vec_int.h
 */
#include <stdlib.h>

#include "backends/ops.h"
#include "vectors/vec_int.h"

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
                              .mgf1_hash = c->mgf1, .label_len = c->label.len,
                              .empty_msg = c->expect != RLAB_VEC_INVALID && c->msg.len == 0};
    const rlab_key *k = rlab_vec_checked_key(x, c, K, &q, 1);
    if (k == NULL)
        return;
    size_t out_len;
    uint8_t *out = rlab_vec_key_buf(x, k, &out_len);
    if (out == NULL)
        return;
    struct rlab_oaep_params p = params(c);
    rlab_error_clear();
    int rc = rlab_oaep_decrypt(x->be, k, &p, c->out.data, c->out.len, out, &out_len);
    rlab_vec_judge_decrypt(x, K, c, rc, out, rc == RLAB_OK ? out_len : 0);
    free(out);
}

static void encrypt_kat(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_ENCRYPT_KAT;
    struct rlab_op_query q = {.op = RLAB_OP_OAEP_ENCRYPT, .hash = c->hash,
                              .mgf1_hash = c->mgf1, .label_len = c->label.len,
                              .replay_rng = 1, .empty_msg = c->msg.len == 0};
    const rlab_key *k = rlab_vec_checked_key(x, c, K, &q, 0);
    if (k == NULL)
        return;
    size_t out_len;
    uint8_t *out = rlab_vec_key_buf(x, k, &out_len);
    if (out == NULL)
        return;
    struct rlab_rng rng;
    struct rlab_vec_replay rp;
    rlab_vec_replay_init(&rp, &rng, &c->seed);
    struct rlab_oaep_params p = params(c);
    rlab_error_clear();
    int rc = rlab_oaep_encrypt(x->be, k, &p, &rng, c->msg.data, c->msg.len, out, &out_len);
    rlab_vec_judge_kat(x, K, c, rc, out, out_len, &rp, "seed");
    free(out);
}

void rlab_vec_run_oaep(struct rlab_vec_ctx *x)
{
    rlab_vec_run_cases(x, RLAB_VEC_K_DECRYPT, decrypt, RLAB_VEC_K_ENCRYPT_KAT, encrypt_kat,
                       RLAB_VEC_SECOND_IF_SEED);
}
