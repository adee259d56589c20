/*
 * What the RSA runners (run_oaep.c, run_pss.c, run_pkcs1.c) share: the walk
 * over a file's cases, the backend-then-key step before each check, the
 * key-sized output buffer, and the judgement of a known answer.  see vec_int.h
 */
#include <stdlib.h>

#include "base/ct.h"
#include "vectors/vec_int.h"

void rlab_vec_run_cases(struct rlab_vec_ctx *x, rlab_vec_kind k1, rlab_vec_check_fn *first,
                        rlab_vec_kind k2, rlab_vec_check_fn *second, rlab_vec_second_if when)
{
    for (size_t i = 0; i < x->f->n_cases; i++) {
        const struct rlab_vec_case *c = &x->f->cases[i];
        int has = when == RLAB_VEC_SECOND_IF_SEED ? c->seed.len > 0 : c->sign;
        int second_too = has && c->expect == RLAB_VEC_VALID;
        if (c->skip != NULL) {
            rlab_vec_skip(x, k1, c->skip);
            if (second_too)
                rlab_vec_skip(x, k2, c->skip);
            continue;
        }
        first(x, c);
        if (second_too)
            second(x, c);
    }
}

const rlab_key *rlab_vec_checked_key(struct rlab_vec_ctx *x, const struct rlab_vec_case *c,
                                     rlab_vec_kind k, const struct rlab_op_query *q,
                                     int want_private)
{
    const char *why = rlab_backend_check(x->be, q);
    if (why != NULL) {
        rlab_vec_skip(x, k, why);
        return NULL;
    }
    int skip;
    const rlab_key *key = want_private ? rlab_vec_key_private(x, c, &why, &skip)
                                       : rlab_vec_key_public(x, c, &why, &skip);
    if (key == NULL)
        rlab_vec_key_missing(x, k, c, why, skip);
    return key;
}

uint8_t *rlab_vec_key_buf(struct rlab_vec_ctx *x, const rlab_key *k, size_t *len)
{
    *len = rlab_key_size(k);
    uint8_t *p = malloc(*len);
    if (p == NULL)
        x->nomem = 1;
    return p;
}

void rlab_vec_judge_kat(struct rlab_vec_ctx *x, rlab_vec_kind k, const struct rlab_vec_case *c,
                        int rc, const uint8_t *got, size_t got_len,
                        const struct rlab_vec_replay *rp, const char *what)
{
    char want[RLAB_VEC_HEXSTR_SIZE], g[RLAB_VEC_HEXSTR_SIZE];
    rlab_vec_hexstr(c->out.data, c->out.len, want, sizeof want);
    if (rc != RLAB_OK) {
        /* An rng error from a short vector is the vector's doing, not the
         * backend's: say so. */
        if (rp != NULL && rp->overrun)
            rlab_vec_fail(x, k, c, want, "%s (asked for more random bytes than the %s has)",
                          rlab_vec_errstr(rc), what);
        else
            rlab_vec_fail(x, k, c, want, "%s", rlab_vec_errstr(rc));
    } else if (got_len != c->out.len || !rlab_ct_equal(got, c->out.data, got_len)) {
        rlab_vec_hexstr(got, got_len, g, sizeof g);
        if (rp != NULL)
            rlab_vec_fail(x, k, c, want, "%s (used %zu of the %s's %zu bytes)", g, rp->pos,
                          what, rp->len);
        else
            rlab_vec_fail(x, k, c, want, "%s", g);
    } else {
        rlab_vec_pass(x, k);
    }
}
