/*
 * Keys, replayed randomness and digests for the runners.  see vec_int.h
 *
 * Keys are built once per (backend, file key) and cached in the run context,
 * so a file with 450 cases over 15 keys builds 15 keys, not 450.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "vectors/vec_int.h"

static int has_crt(const struct rlab_components *c)
{
    return c->p.len && c->q.len && c->dp.len && c->dq.len && c->qinv.len;
}

static int import_der(const struct rlab_backend *be, const struct rlab_vec_key *k,
                      rlab_key **out, const char **what)
{
    struct rlab_op_query q = {.op = RLAB_OP_IMPORT};
    *what = rlab_keyfmt_name(k->der_fmt);
    if (rlab_backend_check(be, &q) != NULL)
        return RLAB_ERR_UNSUPPORTED;
    return rlab_key_import(be, k->der_fmt, k->der_enc, k->der.data, k->der.len, out);
}

static int from_components(const struct rlab_backend *be,
                           const struct rlab_components *c, rlab_key **out)
{
    struct rlab_op_query q = {.op = RLAB_OP_FROM_COMPONENTS};
    if (rlab_backend_check(be, &q) != NULL)
        return RLAB_ERR_UNSUPPORTED;
    return rlab_key_from_components(be, c, out);
}

/* Build the public (want_private == 0) or private key for file key k. */
static int build(const struct rlab_backend *be, const struct rlab_vec_key *k,
                 int want_private, rlab_key **out, const char **what)
{
    if (!want_private) {
        if (k->c.n.len > 0 && k->c.e.len > 0) {
            /* Shallow copies: the file keeps ownership. */
            struct rlab_components pub = {.n = k->c.n, .e = k->c.e};
            *what = "components n, e";
            return from_components(be, &pub, out);
        }
        if (k->der.len > 0)
            return import_der(be, k, out, what);
        *what = "public key";
        return rlab_error_set(RLAB_ERR_PARSE, "the file gives no public key");
    }
    if (k->multi_prime || (k->der.len > 0 && !has_crt(&k->c)))
        return import_der(be, k, out, what);
    if (has_crt(&k->c)) {
        *what = "components n, e, d, p, q, dp, dq, qinv";
        return from_components(be, &k->c, out);
    }
    if (k->c.d.len > 0) {
        struct rlab_components ned = {.n = k->c.n, .e = k->c.e, .d = k->c.d};
        *what = "components n, e, d (the file gives no primes)";
        return from_components(be, &ned, out);
    }
    *what = "private key";
    return rlab_error_set(RLAB_ERR_PARSE, "the file gives no private key");
}

static const rlab_key *get(struct rlab_vec_ctx *x, const struct rlab_vec_case *c,
                           int want_private, const char **why, int *skip)
{
    rlab_key **slot = want_private ? &x->priv[c->key] : &x->pub[c->key];
    char **err = want_private ? &x->priv_err[c->key] : &x->pub_err[c->key];
    int *sk = want_private ? &x->priv_skip[c->key] : &x->pub_skip[c->key];
    if (*slot != NULL)
        return *slot;
    if (*err == NULL) {
        const struct rlab_vec_key *k = &x->f->keys[c->key];
        const char *what = "key";
        rlab_error_clear();
        int rc = build(x->be, k, want_private, slot, &what);
        if (rc == RLAB_OK && *slot != NULL)
            return *slot;
        *slot = NULL;
        /* A library that says it cannot (UNSUPPORTED) is a skip; a key a
         * library refuses although it is valid is a failure.  Multi-prime
         * keys are a skip only on a backend without RLAB_CAP_MULTI_PRIME. */
        *sk = rc == RLAB_ERR_UNSUPPORTED ||
              (k->multi_prime && want_private && !(x->be->caps & RLAB_CAP_MULTI_PRIME));
        *err = rlab_vec_strdupf("%s: %s key from %s%s: %s", x->be->name,
                                want_private ? "private" : "public", what,
                                k->multi_prime ? " (multi-prime key)" : "",
                                rlab_vec_errstr(rc == RLAB_OK ? RLAB_ERR_BACKEND : rc));
        if (*err == NULL) {
            x->nomem = 1;
            *why = "out of memory";
            *skip = 0;
            return NULL;
        }
    }
    *why = *err;
    *skip = *sk;
    return NULL;
}

const rlab_key *rlab_vec_key_public(struct rlab_vec_ctx *x,
                                    const struct rlab_vec_case *c,
                                    const char **why, int *skip)
{
    return get(x, c, 0, why, skip);
}

const rlab_key *rlab_vec_key_private(struct rlab_vec_ctx *x,
                                     const struct rlab_vec_case *c,
                                     const char **why, int *skip)
{
    return get(x, c, 1, why, skip);
}

/* ---- replayed randomness ----------------------------------------------- */

static int replay_fill(void *ctx, uint8_t *out, size_t len)
{
    struct rlab_vec_replay *rp = ctx;
    if (len == 0)
        return RLAB_OK;
    if (len > rp->len - rp->pos) {
        rp->overrun = 1;
        memset(out, 0, len);
        return RLAB_ERR_RNG;
    }
    memcpy(out, rp->p + rp->pos, len);
    rp->pos += len;
    return RLAB_OK;
}

void rlab_vec_replay_init(struct rlab_vec_replay *rp, struct rlab_rng *rng,
                          const struct rlab_buf *bytes)
{
    rp->p = bytes->data;
    rp->len = bytes->len;
    rp->pos = 0;
    rp->overrun = 0;
    rng->fill = replay_fill;
    rng->ctx = rp;
}

/* ---- digests ----------------------------------------------------------- */

int rlab_vec_digest(struct rlab_vec_ctx *x, const struct rlab_vec_case *c,
                    uint8_t *out, size_t *out_len)
{
    *out_len = rlab_hash_len(c->hash);
    if (*out_len == 0)
        return RLAB_ERR_INVALID_ARG;
    return rlab_backend_hash(x->be, c->hash, c->msg.data, c->msg.len, out);
}
