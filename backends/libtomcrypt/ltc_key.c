/*
 * Keys of the libtomcrypt backend: generation (rsa_make_key), components in
 * (rsa_set_key, rsa_set_factors, rsa_set_crt_params) and out, validation,
 * freeing.  Contracts in backends/backend.h; the key struct in
 * ltc_internal.h.
 *
 * libtomcrypt validates nothing it is given: rsa_set_* and rsa_import store
 * whatever numbers arrive, and a private operation on a key whose CRT values
 * do not match its primes returns garbage (or, with LTC_RSA_CRT_HARDENING,
 * an error).  So every key is checked here, with libtommath (the math
 * behind ltm_desc, whose mp_int the key fields point to), the way the other
 * backends check theirs: see rlab_ltc_key_finish().  The checks run on
 * secrets with variable-time libtommath calls; their outcome (the key is
 * accepted or refused) is public anyway, and they run once per key.
 */
#include <limits.h>
#include <stdlib.h>

#include <tommath.h>

#include "backends/libtomcrypt/ltc_internal.h"

/* see ltc_internal.h */
struct ltc_key *rlab_ltc_key_new(void)
{
    struct ltc_key *lk = calloc(1, sizeof *lk);
    if (lk != NULL)
        lk->base.be = &rlab_backend_libtomcrypt;
    return lk;
}

/* see backend.h; rsa_free clears every number through ltc_mp.deinit, and
 * libtommath's mp_clear zeroes the digits before freeing them. */
void rlab_ltc_key_free(rlab_key *k)
{
    struct ltc_key *lk = rlab_ltc_key(k);
    if (lk == NULL)
        return;
    if (lk->loaded)
        rsa_free(&lk->rsa);
    zeromem(lk, sizeof *lk);
    free(lk);
}

static int ltc_invalid(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_INVALID, "%s", what);
}

/* x == a mod m, for m > 0 (t is scratch). */
static int ltc_eq_mod(const mp_int *x, const mp_int *a, const mp_int *m, mp_int *t)
{
    return mp_mod(a, m, t) == MP_OKAY && mp_cmp(x, t) == MP_EQ;
}

/* The private-key checks of rlab_ltc_key_finish(). */
static int ltc_check_private(const rsa_key *r)
{
    mp_int *n = r->N, *e = r->e, *d = r->d, *p = r->p, *q = r->q;
    mp_int t, pm1, qm1, ed1;
    if (mp_init_multi(&t, &pm1, &qm1, &ed1, NULL) != MP_OKAY)
        return RLAB_ERR_NOMEM;
    int rc = RLAB_ERR_KEY_INVALID;
    const char *why = "d must be in 1..n-1";
    if (mp_cmp_d(d, 0) != MP_GT || mp_cmp(d, n) != MP_LT)
        goto done;
    why = "p and q must be above 1 with n = p*q";
    if (mp_cmp_d(p, 1) != MP_GT || mp_cmp_d(q, 1) != MP_GT || mp_mul(p, q, &t) != MP_OKAY ||
        mp_cmp(&t, n) != MP_EQ)
        goto done;
    why = "e*d is not 1 mod p-1 and q-1";
    if (mp_sub_d(p, 1, &pm1) != MP_OKAY || mp_sub_d(q, 1, &qm1) != MP_OKAY ||
        mp_mul(e, d, &ed1) != MP_OKAY || mp_sub_d(&ed1, 1, &ed1) != MP_OKAY ||
        mp_mod(&ed1, &pm1, &t) != MP_OKAY || !mp_iszero(&t) ||
        mp_mod(&ed1, &qm1, &t) != MP_OKAY || !mp_iszero(&t))
        goto done;
    why = "dp, dq or qinv does not match p, q, d";
    if (!ltc_eq_mod(r->dP, d, &pm1, &t) || !ltc_eq_mod(r->dQ, d, &qm1, &t) ||
        mp_cmp(r->qP, p) != MP_LT || mp_mulmod(r->qP, q, p, &t) != MP_OKAY ||
        mp_cmp_d(&t, 1) != MP_EQ)
        goto done;
    rc = RLAB_OK;
done:
    mp_clear_multi(&t, &pm1, &qm1, &ed1, NULL);
    return rc == RLAB_OK ? RLAB_OK : ltc_invalid(why);
}

/* The public checks of rlab_ltc_key_finish(). */
static int ltc_check_ne(const mp_int *n, const mp_int *e)
{
    if (mp_iszero(n))
        return ltc_invalid("n is 0");
    if (mp_iseven(n))
        return ltc_invalid("n has the small factor 2");
    if (mp_cmp_d(e, 3) == MP_LT)
        return ltc_invalid("e is below 3");
    if (mp_iseven(e))
        return ltc_invalid("e is even");
    if (mp_cmp(e, n) != MP_LT)
        return ltc_invalid("e is not below n");
    return RLAB_OK;
}

/* see ltc_internal.h */
int rlab_ltc_check_public(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len)
{
    mp_int mn, me;
    if (mp_init_multi(&mn, &me, NULL) != MP_OKAY)
        return RLAB_ERR_NOMEM;
    int rc = mp_from_ubin(&mn, n, n_len) == MP_OKAY && mp_from_ubin(&me, e, e_len) == MP_OKAY
                 ? ltc_check_ne(&mn, &me)
                 : RLAB_ERR_NOMEM;
    mp_clear_multi(&mn, &me, NULL);
    return rc;
}

/* see ltc_internal.h */
int rlab_ltc_key_finish(struct ltc_key *lk)
{
    const rsa_key *r = &lk->rsa;
    int rc = ltc_check_ne(r->N, r->e);
    if (rc != RLAB_OK)
        return rc;
    int priv = r->type == PK_PRIVATE;
    if (priv) {
        rc = ltc_check_private(r);
        if (rc != RLAB_OK)
            return rc;
    }
    lk->base.bits = (unsigned)mp_count_bits(r->N);
    lk->base.has_private = priv;
    return RLAB_OK;
}

/* see backend.h */
int rlab_ltc_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                    rlab_key **out)
{
    *out = NULL;
    if (e < 3 || (e & 1) == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "e must be odd and >= 3");
    if (bits % 16 != 0 || bits < 512 || bits > 16384 || e > LONG_MAX)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "rsa_make_key takes the size in bytes of two equal "
                              "primes (bits a multiple of 16, 512 to 16384 here) "
                              "and e as a long");
    struct ltc_key *lk = rlab_ltc_key_new();
    if (lk == NULL)
        return RLAB_ERR_NOMEM;
    /* Every byte rsa_make_key draws goes into the primes (no private
     * operation runs inside it), so all of it may come from the caller. */
    struct ltc_rng g;
    rlab_ltc_rng_begin(&g, rng);
    int err = rsa_make_key(&g.state, g.idx, (int)(bits / 8), (long)e, &lk->rsa);
    rlab_ltc_rng_end(&g);
    int rc;
    if (err != CRYPT_OK) {
        rc = rlab_ltc_fail(g.failed ? RLAB_ERR_RNG
                           : err == CRYPT_INVALID_KEYSIZE ? RLAB_ERR_UNSUPPORTED
                                                          : RLAB_ERR_KEYGEN,
                           "rsa_make_key", err);
        goto fail;
    }
    lk->loaded = 1;
    rc = rlab_ltc_key_finish(lk);
    if (rc != RLAB_OK)
        goto fail;
    if (lk->base.bits != bits) {
        rc = rlab_error_set(RLAB_ERR_KEYGEN, "rsa_make_key made %u bits, not %u",
                            lk->base.bits, bits);
        goto fail;
    }
    *out = &lk->base;
    return RLAB_OK;
fail:
    rlab_ltc_key_free(&lk->base);
    return rc;
}

/* ---- components in ------------------------------------------------------ */

/*
 * p and q from n, e, d (RFC 8017 has none; this is the classic method of
 * NIST SP 800-56B Appendix C): k = e*d - 1 = 2^t * r with r odd; for small
 * bases g, y = g^r mod n, then square: a square root of 1 other than +-1
 * gives p = gcd(y - 1, n).  Deterministic bases, so the same key always
 * gives the same primes; p gets the larger.  Refuses (KEY_INVALID) when no
 * factor shows up, which for a real key is vanishingly rare.
 */
static int ltc_recover_pq(const mp_int *n, const mp_int *e, const mp_int *d, mp_int *p,
                          mp_int *q)
{
    static const mp_digit bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47};
    mp_int k, r, y, x, nm1, g;
    if (mp_init_multi(&k, &r, &y, &x, &nm1, &g, NULL) != MP_OKAY)
        return RLAB_ERR_NOMEM;
    int rc = RLAB_ERR_KEY_INVALID, found = 0;
    if (mp_mul(e, d, &k) != MP_OKAY || mp_sub_d(&k, 1, &k) != MP_OKAY || mp_iszero(&k) ||
        mp_sub_d(n, 1, &nm1) != MP_OKAY)
        goto done;
    int t = mp_cnt_lsb(&k);
    if (mp_div_2d(&k, t, &r, NULL) != MP_OKAY)
        goto done;
    for (size_t i = 0; !found && i < sizeof bases / sizeof bases[0]; i++) {
        mp_set(&g, bases[i]);
        if (mp_exptmod(&g, &r, n, &y) != MP_OKAY)
            goto done;
        for (int j = 0; j < t && !found; j++) {
            if (mp_cmp_d(&y, 1) == MP_EQ || mp_cmp(&y, &nm1) == MP_EQ)
                break;
            if (mp_sqrmod(&y, n, &x) != MP_OKAY)
                goto done;
            if (mp_cmp_d(&x, 1) == MP_EQ) {
                /* y is a non-trivial square root of 1 */
                if (mp_sub_d(&y, 1, &y) != MP_OKAY || mp_gcd(&y, n, p) != MP_OKAY)
                    goto done;
                found = 1;
            }
            mp_exch(&x, &y);
        }
    }
    if (!found || mp_cmp_d(p, 1) != MP_GT || mp_div(n, p, q, &x) != MP_OKAY ||
        !mp_iszero(&x))
        goto done;
    if (mp_cmp(p, q) == MP_LT)
        mp_exch(p, q);
    rc = RLAB_OK;
done:
    mp_clear_multi(&k, &r, &y, &x, &nm1, &g, NULL);
    return rc == RLAB_OK ? RLAB_OK
                         : rc == RLAB_ERR_NOMEM ? rc
                                                : ltc_invalid("cannot find p and q from n, e, d");
}

/* Big-endian bytes of x into b (at least one byte). */
static int ltc_mp_out(const mp_int *x, struct rlab_buf *b)
{
    size_t n = mp_ubin_size(x);
    int rc = rlab_buf_alloc(b, n > 0 ? n : 1);
    if (rc != RLAB_OK)
        return rc;
    size_t w = 0;
    if (n > 0 && (mp_to_ubin(x, b->data, b->len, &w) != MP_OKAY || w != n)) {
        rlab_buf_clear(b);
        return RLAB_ERR_BACKEND;
    }
    return RLAB_OK;
}

/* Give the private key in lk (N, e, d set) primes and CRT values, from
 * p and q when given (pb, qb non-empty), else recovered from n, e, d. */
static int ltc_complete(struct ltc_key *lk, const struct rlab_buf *pb,
                        const struct rlab_buf *qb)
{
    const rsa_key *r = &lk->rsa;
    mp_int p, q, t;
    if (mp_init_multi(&p, &q, &t, NULL) != MP_OKAY)
        return RLAB_ERR_NOMEM;
    struct rlab_buf v[5] = {RLAB_BUF_INIT, RLAB_BUF_INIT, RLAB_BUF_INIT, RLAB_BUF_INIT,
                            RLAB_BUF_INIT};
    int rc;
    if (pb->len > 0) {
        rc = mp_from_ubin(&p, pb->data, pb->len) == MP_OKAY &&
                     mp_from_ubin(&q, qb->data, qb->len) == MP_OKAY
                 ? RLAB_OK
                 : RLAB_ERR_NOMEM;
        if (rc == RLAB_OK && (mp_cmp_d(&p, 1) != MP_GT || mp_cmp_d(&q, 1) != MP_GT))
            rc = ltc_invalid("p and q must be above 1");
    } else {
        rc = ltc_recover_pq(r->N, r->e, r->d, &p, &q);
    }
    if (rc != RLAB_OK)
        goto done;
    rc = RLAB_ERR_KEY_INVALID;
    /* v: p, q, d mod p-1, d mod q-1, q^-1 mod p */
    if (ltc_mp_out(&p, &v[0]) != RLAB_OK || ltc_mp_out(&q, &v[1]) != RLAB_OK ||
        mp_sub_d(&p, 1, &t) != MP_OKAY || mp_mod(r->d, &t, &t) != MP_OKAY ||
        ltc_mp_out(&t, &v[2]) != RLAB_OK || mp_sub_d(&q, 1, &t) != MP_OKAY ||
        mp_mod(r->d, &t, &t) != MP_OKAY || ltc_mp_out(&t, &v[3]) != RLAB_OK ||
        mp_invmod(&q, &p, &t) != MP_OKAY || ltc_mp_out(&t, &v[4]) != RLAB_OK) {
        rc = ltc_invalid("p, q and d do not give CRT values");
        goto done;
    }
    int err = rsa_set_factors(v[0].data, v[0].len, v[1].data, v[1].len, &lk->rsa);
    if (err == CRYPT_OK)
        err = rsa_set_crt_params(v[2].data, v[2].len, v[3].data, v[3].len, v[4].data,
                                 v[4].len, &lk->rsa);
    rc = err == CRYPT_OK ? RLAB_OK : rlab_ltc_fail(RLAB_ERR_BACKEND, "rsa_set_factors", err);
done:
    for (int i = 0; i < 5; i++)
        rlab_buf_clear(&v[i]);
    mp_clear_multi(&p, &q, &t, NULL);
    return rc;
}

/* see backend.h */
int rlab_ltc_from_components(const struct rlab_components *c, rlab_key **out)
{
    *out = NULL;
    int have_p = c->p.len > 0, have_q = c->q.len > 0;
    int n_crt = (c->dp.len > 0) + (c->dq.len > 0) + (c->qinv.len > 0);
    if (c->n.len == 0 || c->e.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "n and e are required");
    if (have_p != have_q || (n_crt != 0 && n_crt != 3) || (n_crt == 3 && !have_p))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "give p, q, dp, dq, qinv all together or none");
    if (have_p && c->d.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "a private key needs d");

    struct ltc_key *lk = rlab_ltc_key_new();
    if (lk == NULL)
        return RLAB_ERR_NOMEM;
    int rc = RLAB_OK;
    int err = rsa_set_key(c->n.data, c->n.len, c->e.data, c->e.len,
                          c->d.len > 0 ? c->d.data : NULL, c->d.len, &lk->rsa);
    if (err != CRYPT_OK) {
        rc = rlab_ltc_fail(RLAB_ERR_KEY_INVALID, "rsa_set_key", err);
        goto fail;
    }
    lk->loaded = 1;
    if (c->d.len > 0) {
        if (n_crt == 3) {
            err = rsa_set_factors(c->p.data, c->p.len, c->q.data, c->q.len, &lk->rsa);
            if (err == CRYPT_OK)
                err = rsa_set_crt_params(c->dp.data, c->dp.len, c->dq.data, c->dq.len,
                                         c->qinv.data, c->qinv.len, &lk->rsa);
            if (err != CRYPT_OK)
                rc = rlab_ltc_fail(RLAB_ERR_KEY_INVALID, "rsa_set_factors", err);
        } else {
            rc = ltc_complete(lk, &c->p, &c->q);
        }
        if (rc != RLAB_OK)
            goto fail;
    }
    rc = rlab_ltc_key_finish(lk);
    if (rc != RLAB_OK)
        goto fail;
    *out = &lk->base;
    return RLAB_OK;
fail:
    rlab_ltc_key_free(&lk->base);
    return rc;
}

/* ---- components out ----------------------------------------------------- */

/* see backend.h */
int rlab_ltc_to_components(const rlab_key *k, struct rlab_components *out)
{
    const struct rlab_components empty = {0};
    struct ltc_key *lk = rlab_ltc_key(k);
    *out = empty;
    if (lk == NULL)
        return RLAB_ERR_INVALID_ARG;
    const rsa_key *r = &lk->rsa;
    const mp_int *src[8] = {r->N, r->e, r->d, r->p, r->q, r->dP, r->dQ, r->qP};
    struct rlab_buf *dst[8] = {&out->n, &out->e, &out->d, &out->p,
                               &out->q, &out->dp, &out->dq, &out->qinv};
    int rc = RLAB_OK;
    for (int i = 0; rc == RLAB_OK && i < (lk->base.has_private ? 8 : 2); i++)
        rc = ltc_mp_out(src[i], dst[i]);
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}
