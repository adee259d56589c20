/*
 * PKCS#1 v1.5: signature verification (valid, invalid, acceptable) and
 * signing known answers (the scheme is deterministic), and Wycheproof
 * signature generation files; decryption known answers and, with the
 * padding string replayed, encryption known answers.
 * see vec_int.h
 */
#include <stdlib.h>

#include "base/ct.h"
#include "backends/ops.h"
#include "vectors/vec_int.h"

/* ---- signatures --------------------------------------------------------- */

static void verify(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_VERIFY;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_VERIFY, .hash = c->hash};
    const rlab_key *k = rlab_vec_checked_key(x, c, K, &q, 0);
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
    rc = rlab_pkcs1_verify(x->be, k, c->hash, dg, dg_len, c->out.data, c->out.len);
    rlab_vec_judge_verify(x, K, c, rc);
}

static void sign_kat(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_SIGN_KAT;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_SIGN, .hash = c->hash};
    const rlab_key *k = rlab_vec_checked_key(x, c, K, &q, 1);
    if (k == NULL)
        return;
    uint8_t dg[RLAB_HASH_MAX_LEN];
    size_t dg_len, sig_len;
    uint8_t *sig = rlab_vec_key_buf(x, k, &sig_len);
    if (sig == NULL)
        return;
    int rc = rlab_vec_digest(x, c, dg, &dg_len);
    if (rc == RLAB_OK) {
        rlab_error_clear();
        rc = rlab_pkcs1_sign(x->be, k, c->hash, dg, dg_len, sig, &sig_len);
    }
    rlab_vec_judge_kat(x, K, c, rc, sig, sig_len, NULL, NULL);
    free(sig);
}

void rlab_vec_run_pkcs1_sig(struct rlab_vec_ctx *x)
{
    rlab_vec_run_cases(x, RLAB_VEC_K_VERIFY, verify, RLAB_VEC_K_SIGN_KAT, sign_kat,
                       RLAB_VEC_SECOND_IF_SIGN);
}

/* ---- encryption --------------------------------------------------------- */

static void decrypt(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_DECRYPT;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_DECRYPT,
                              .empty_msg = c->expect != RLAB_VEC_INVALID && c->msg.len == 0};
    const rlab_key *k = rlab_vec_checked_key(x, c, K, &q, 1);
    if (k == NULL)
        return;
    size_t out_len;
    uint8_t *out = rlab_vec_key_buf(x, k, &out_len);
    if (out == NULL)
        return;
    rlab_error_clear();
    int rc = rlab_pkcs1_decrypt(x->be, k, c->out.data, c->out.len, out, &out_len);
    rlab_vec_judge_decrypt(x, K, c, rc, out, rc == RLAB_OK ? out_len : 0);
    free(out);
}

static void encrypt_kat(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_ENCRYPT_KAT;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_ENCRYPT, .replay_rng = 1,
                              .empty_msg = c->msg.len == 0};
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
    rlab_error_clear();
    int rc = rlab_pkcs1_encrypt(x->be, k, &rng, c->msg.data, c->msg.len, out, &out_len);
    rlab_vec_judge_kat(x, K, c, rc, out, out_len, &rp, "seed");
    free(out);
}

void rlab_vec_run_pkcs1_crypt(struct rlab_vec_ctx *x)
{
    rlab_vec_run_cases(x, RLAB_VEC_K_DECRYPT, decrypt, RLAB_VEC_K_ENCRYPT_KAT, encrypt_kat,
                       RLAB_VEC_SECOND_IF_SEED);
}

/* ---- signature generation (Wycheproof rsassa_pkcs1_generate) ----------- */

/*
 * Sign the case's message with the file's private key and judge the result
 * by the case's verdict:
 *   valid       the key is taken and the signature equals the vector's;
 *   invalid     the key (marked invalid by the file) is refused, at import
 *               or when signing: a signature made with it is a failure;
 *   acceptable  either way (counted apart), but a signature that is made
 *               must equal the vector's.
 * A key a library cannot take (RLAB_ERR_UNSUPPORTED, a multi-prime key) is
 * a skip with its reason, whatever the verdict.
 */
static void gen_refused(struct rlab_vec_ctx *x, const struct rlab_vec_case *c,
                        const char *want, const char *why)
{
    const rlab_vec_kind K = RLAB_VEC_K_SIGN_KAT;
    if (c->expect == RLAB_VEC_INVALID)
        rlab_vec_pass(x, K);
    else if (c->expect == RLAB_VEC_ACCEPTABLE)
        rlab_vec_accept(x, K, c, 0, why);
    else
        rlab_vec_fail(x, K, c, want, "%s", why);
}

static void gen_case(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_SIGN_KAT;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_SIGN, .hash = c->hash};
    const char *why = rlab_backend_check(x->be, &q);
    if (why != NULL) {
        rlab_vec_skip(x, K, why);
        return;
    }
    int skip;
    const rlab_key *k = rlab_vec_key_private(x, c, &why, &skip);
    if (k == NULL) {
        if (skip)
            rlab_vec_skip(x, K, why);
        else
            gen_refused(x, c, "the vector's key to be accepted", why);
        return;
    }
    uint8_t dg[RLAB_HASH_MAX_LEN];
    size_t dg_len, sig_len;
    uint8_t *sig = rlab_vec_key_buf(x, k, &sig_len);
    if (sig == NULL)
        return;
    int rc = rlab_vec_digest(x, c, dg, &dg_len);
    if (rc != RLAB_OK) {
        rlab_vec_fail(x, K, c, "a digest of the message", "%s", rlab_vec_errstr(rc));
        free(sig);
        return;
    }
    rlab_error_clear();
    rc = rlab_pkcs1_sign(x->be, k, c->hash, dg, dg_len, sig, &sig_len);
    char want[RLAB_VEC_HEXSTR_SIZE], got[RLAB_VEC_HEXSTR_SIZE];
    rlab_vec_hexstr(c->out.data, c->out.len, want, sizeof want);
    if (rc != RLAB_OK) {
        gen_refused(x, c, want, rlab_vec_errstr(rc));
    } else if (c->expect == RLAB_VEC_INVALID) {
        rlab_vec_hexstr(sig, sig_len, got, sizeof got);
        rlab_vec_fail(x, K, c, "the key refused (the file marks it invalid)",
                      "a signature: %s", got);
    } else if (sig_len != c->out.len || !rlab_ct_equal(sig, c->out.data, sig_len)) {
        rlab_vec_hexstr(sig, sig_len, got, sizeof got);
        rlab_vec_fail(x, K, c, want, "%s", got);
    } else if (c->expect == RLAB_VEC_ACCEPTABLE) {
        rlab_vec_accept(x, K, c, 1, "signed, equal to the vector's signature");
    } else {
        rlab_vec_pass(x, K);
    }
    free(sig);
}

void rlab_vec_run_pkcs1_gen(struct rlab_vec_ctx *x)
{
    for (size_t i = 0; i < x->f->n_cases; i++) {
        const struct rlab_vec_case *c = &x->f->cases[i];
        if (c->skip != NULL)
            rlab_vec_skip(x, RLAB_VEC_K_SIGN_KAT, c->skip);
        else
            gen_case(x, c);
    }
}
