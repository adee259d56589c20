/*
 * RSASSA-PSS: verification of known signatures (valid, invalid,
 * acceptable), and for vectors that give d and the salt, signing: a known
 * answer with the salt replayed when the backend takes the caller's rng,
 * else sign with the backend's own salt and verify the result (counted as
 * passed only when it verifies).  see vec_int.h
 */
#include <stdlib.h>
#include <string.h>

#include "core/ct.h"
#include "vec_int.h"

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
    uint8_t dg[RLAB_HASH_MAX_LEN];
    size_t dg_len;
    int rc = rlab_vec_digest(x, c, dg, &dg_len);
    if (rc != RLAB_OK) {
        rlab_vec_fail(x, K, c, "a digest of the message", "%s", rlab_vec_errstr(rc));
        return;
    }
    struct rlab_pss_params p = params(c);
    rlab_error_clear();
    rc = x->be->pss_verify(k, &p, dg, dg_len, c->out.data, c->out.len);
    rlab_vec_judge_verify(x, K, c, rc);
}

/* Sign with the salt replayed (kat) or the backend's own, into *sig. */
static int sign(struct rlab_vec_ctx *x, const struct rlab_vec_case *c, const rlab_key *k,
                int kat, uint8_t *sig, size_t *sig_len, struct rlab_vec_replay *rp)
{
    uint8_t dg[RLAB_HASH_MAX_LEN];
    size_t dg_len;
    int rc = rlab_vec_digest(x, c, dg, &dg_len);
    if (rc != RLAB_OK)
        return rc;
    struct rlab_rng rng;
    rlab_vec_replay_init(rp, &rng, &c->seed);
    struct rlab_pss_params p = params(c);
    rlab_error_clear();
    return x->be->pss_sign(k, &p, kat ? &rng : NULL, dg, dg_len, sig, sig_len);
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
    size_t sig_len = rlab_key_size(k);
    uint8_t *sig = malloc(sig_len);
    if (sig == NULL) {
        x->nomem = 1;
        return;
    }
    char want[RLAB_VEC_HEXSTR_SIZE], got[RLAB_VEC_HEXSTR_SIZE];
    rlab_vec_hexstr(c->out.data, c->out.len, want, sizeof want);
    struct rlab_vec_replay rp;
    int rc = sign(x, c, k, kat, sig, &sig_len, &rp);
    if (rc != RLAB_OK) {
        rlab_vec_fail(x, K, c, kat ? want : "a signature", "%s%s", rlab_vec_errstr(rc),
                      rp.overrun ? " (asked for more random bytes than the salt has)" : "");
    } else if (kat) {
        if (sig_len == c->out.len && rlab_ct_equal(sig, c->out.data, sig_len))
            rlab_vec_pass(x, K);
        else
            rlab_vec_fail(x, K, c, want, "%s (used %zu of the salt's %zu bytes)",
                          rlab_vec_hexstr(sig, sig_len, got, sizeof got), rp.pos, rp.len);
    } else {
        /* No replay: the signature must at least verify. */
        uint8_t dg[RLAB_HASH_MAX_LEN];
        size_t dg_len;
        struct rlab_pss_params p = params(c);
        rc = rlab_vec_digest(x, c, dg, &dg_len);
        if (rc == RLAB_OK) {
            rlab_error_clear();
            rc = x->be->pss_verify(k, &p, dg, dg_len, sig, sig_len);
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
            sign_check(x, c);
    }
}
