/*
 * RSASSA-PSS: verification of known signatures (valid, invalid,
 * acceptable), and for vectors that give d and the salt, signing: a known
 * answer with the salt replayed when the backend takes the caller's rng,
 * else sign with the backend's own salt and verify the result (counted as
 * passed only when it verifies).  see vec_int.h
 */
#include <stdlib.h>

#include "backends/ops.h"
#include "vectors/vec_int.h"

static struct rlab_pss_params params(const struct rlab_vec_case *c)
{
    struct rlab_pss_params p = {.hash = c->hash, .mgf1_hash = c->mgf1,
                                .salt_len = c->salt_len};
    return p;
}

static void verify(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_VERIFY;
    struct rlab_op_query q = {.op = RLAB_OP_PSS_VERIFY, .hash = c->hash,
                              .mgf1_hash = c->mgf1, .salt_len = c->salt_len};
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
    struct rlab_pss_params p = params(c);
    rlab_error_clear();
    rc = rlab_pss_verify(x->be, k, &p, dg, dg_len, c->out.data, c->out.len);
    rlab_vec_judge_verify(x, K, c, rc);
}

/* Sign with the salt replayed (kat) or the backend's own, into *sig; *rp is
 * set up first, so it can be read whatever the outcome. */
static int sign(struct rlab_vec_ctx *x, const struct rlab_vec_case *c, const rlab_key *k,
                int kat, uint8_t *sig, size_t *sig_len, struct rlab_vec_replay *rp)
{
    struct rlab_rng rng;
    rlab_vec_replay_init(rp, &rng, &c->seed);
    uint8_t dg[RLAB_HASH_MAX_LEN];
    size_t dg_len;
    int rc = rlab_vec_digest(x, c, dg, &dg_len);
    if (rc != RLAB_OK)
        return rc;
    struct rlab_pss_params p = params(c);
    rlab_error_clear();
    return rlab_pss_sign(x->be, k, &p, kat ? &rng : NULL, dg, dg_len, sig, sig_len);
}

static void sign_check(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    struct rlab_op_query q = {.op = RLAB_OP_PSS_SIGN, .hash = c->hash,
                              .mgf1_hash = c->mgf1, .salt_len = c->salt_len,
                              .replay_rng = 1};
    int kat = rlab_backend_check(x->be, &q) == NULL;
    rlab_vec_kind K = kat ? RLAB_VEC_K_SIGN_KAT : RLAB_VEC_K_SIGN_VERIFY;
    q.replay_rng = 0;
    const char *why = rlab_backend_check(x->be, &q);
    struct rlab_op_query qv = {.op = RLAB_OP_PSS_VERIFY, .hash = c->hash,
                               .mgf1_hash = c->mgf1, .salt_len = c->salt_len};
    if (why == NULL && !kat)
        why = rlab_backend_check(x->be, &qv);
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
    size_t sig_len;
    uint8_t *sig = rlab_vec_key_buf(x, k, &sig_len);
    if (sig == NULL)
        return;
    struct rlab_vec_replay rp;
    int rc = sign(x, c, k, kat, sig, &sig_len, &rp);
    if (kat) {
        rlab_vec_judge_kat(x, K, c, rc, sig, sig_len, &rp, "salt");
    } else if (rc != RLAB_OK) {
        /* The backend drew its own salt: the replay was not used. */
        rlab_vec_fail(x, K, c, "a signature", "%s", rlab_vec_errstr(rc));
    } else {
        /* No replay: the signature must at least verify. */
        uint8_t dg[RLAB_HASH_MAX_LEN];
        size_t dg_len;
        struct rlab_pss_params p = params(c);
        rc = rlab_vec_digest(x, c, dg, &dg_len);
        if (rc == RLAB_OK) {
            rlab_error_clear();
            rc = rlab_pss_verify(x->be, k, &p, dg, dg_len, sig, sig_len);
        }
        if (rc == RLAB_OK)
            rlab_vec_pass(x, K);
        else
            rlab_vec_fail(x, K, c, "its own signature to verify", "%s", rlab_vec_errstr(rc));
    }
    free(sig);
}

void rlab_vec_run_pss(struct rlab_vec_ctx *x)
{
    rlab_vec_run_cases(x, RLAB_VEC_K_VERIFY, verify, RLAB_VEC_K_SIGN_KAT, sign_check,
                       RLAB_VEC_SECOND_IF_SIGN);
}
