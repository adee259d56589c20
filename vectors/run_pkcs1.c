/*
 * PKCS#1 v1.5: signature verification (valid, invalid, acceptable) and
 * signing known answers (the scheme is deterministic); decryption known
 * answers and, with the padding string replayed, encryption known answers.
 * see vec_int.h
 */
#include <stdlib.h>
#include <string.h>

#include "core/ct.h"
#include "vec_int.h"

static const rlab_key *checked_key(struct rlab_vec_ctx *x, const struct rlab_vec_case *c,
                                   rlab_vec_kind K, const struct rlab_op_query *q,
                                   int want_private)
{
    const char *why = rlab_backend_check(x->be, q);
    if (why != NULL) {
        rlab_vec_skip(x, K, why);
        return NULL;
    }
    int skip;
    const rlab_key *k = want_private ? rlab_vec_key_private(x, c, &why, &skip)
                                     : rlab_vec_key_public(x, c, &why, &skip);
    if (k == NULL)
        rlab_vec_key_missing(x, K, c, why, skip);
    return k;
}

/* ---- signatures --------------------------------------------------------- */

static void verify(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_VERIFY;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_VERIFY, .hash = c->hash};
    const rlab_key *k = checked_key(x, c, K, &q, 0);
    if (k == NULL)
        return;
    uint8_t dg[RLAB_HASH_MAX_LEN];
    size_t dg_len;
    int rc = rlab_vec_digest(x, c, dg, &dg_len);
    if (rc != RLAB_OK) {
        rlab_vec_fail(x, K, c, "a digest of the message", "%s", rlab_vec_errstr(rc));
        return;
    }
    rlab_error_clear();
    rc = x->be->pkcs1_verify(k, c->hash, dg, dg_len, c->out.data, c->out.len);
    rlab_vec_judge_verify(x, K, c, rc);
}

static void sign_kat(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_SIGN_KAT;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_SIGN, .hash = c->hash};
    const rlab_key *k = checked_key(x, c, K, &q, 1);
    if (k == NULL)
        return;
    uint8_t dg[RLAB_HASH_MAX_LEN];
    size_t dg_len, sig_len = rlab_key_size(k);
    uint8_t *sig = malloc(sig_len);
    if (sig == NULL) {
        x->nomem = 1;
        return;
    }
    char want[RLAB_VEC_HEXSTR_SIZE], got[RLAB_VEC_HEXSTR_SIZE];
    rlab_vec_hexstr(c->out.data, c->out.len, want, sizeof want);
    int rc = rlab_vec_digest(x, c, dg, &dg_len);
    if (rc == RLAB_OK) {
        rlab_error_clear();
        rc = x->be->pkcs1_sign(k, c->hash, dg, dg_len, sig, &sig_len);
    }
    if (rc != RLAB_OK)
        rlab_vec_fail(x, K, c, want, "%s", rlab_vec_errstr(rc));
    else if (sig_len != c->out.len || !rlab_ct_equal(sig, c->out.data, sig_len))
        rlab_vec_fail(x, K, c, want, "%s", rlab_vec_hexstr(sig, sig_len, got, sizeof got));
    else
        rlab_vec_pass(x, K);
    free(sig);
}

void rlab_vec_run_pkcs1_sig(struct rlab_vec_ctx *x)
{
    for (size_t i = 0; i < x->f->n_cases; i++) {
        const struct rlab_vec_case *c = &x->f->cases[i];
        int sign_too = c->sign && c->expect == RLAB_VEC_VALID;
        if (c->skip != NULL) {
            rlab_vec_skip(x, RLAB_VEC_K_VERIFY, c->skip);
            if (sign_too)
                rlab_vec_skip(x, RLAB_VEC_K_SIGN_KAT, c->skip);
            continue;
        }
        verify(x, c);
        if (sign_too)
            sign_kat(x, c);
    }
}

/* ---- encryption --------------------------------------------------------- */

static void decrypt(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_DECRYPT;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_DECRYPT};
    const rlab_key *k = checked_key(x, c, K, &q, 1);
    if (k == NULL)
        return;
    size_t out_len = rlab_key_size(k);
    uint8_t *out = malloc(out_len);
    if (out == NULL) {
        x->nomem = 1;
        return;
    }
    rlab_error_clear();
    int rc = x->be->pkcs1_decrypt(k, c->out.data, c->out.len, out, &out_len);
    rlab_vec_judge_decrypt(x, K, c, rc, out, rc == RLAB_OK ? out_len : 0);
    free(out);
}

static void encrypt_kat(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_ENCRYPT_KAT;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_ENCRYPT, .replay_rng = 1};
    const rlab_key *k = checked_key(x, c, K, &q, 0);
    if (k == NULL)
        return;
    size_t out_len = rlab_key_size(k);
    uint8_t *out = malloc(out_len);
    if (out == NULL) {
        x->nomem = 1;
        return;
    }
    struct rlab_rng rng;
    struct rlab_vec_replay rp;
    rlab_vec_replay_init(&rp, &rng, &c->seed);
    char want[RLAB_VEC_HEXSTR_SIZE], got[RLAB_VEC_HEXSTR_SIZE];
    rlab_vec_hexstr(c->out.data, c->out.len, want, sizeof want);
    rlab_error_clear();
    int rc = x->be->pkcs1_encrypt(k, &rng, c->msg.data, c->msg.len, out, &out_len);
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

void rlab_vec_run_pkcs1_crypt(struct rlab_vec_ctx *x)
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
