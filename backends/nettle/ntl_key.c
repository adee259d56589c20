/*
 * Keys of the nettle backend: generation (rsa_generate_keypair), building
 * from components with validation, factor recovery from n, e, d, and
 * components out.  Contracts in backends/backend.h; struct ntl_key in
 * ntl_internal.h.
 *
 * nettle's key layer is lax: rsa_public_key_prepare checks only that n is
 * odd and not tiny, rsa_private_key_prepare only the sizes of p, q and c,
 * and nothing checks that the numbers belong together, while the
 * side-channel silent root asserts on limb counts an inconsistent key can
 * break.  So every key is validated here before nettle sees it.  The checks
 * use mpz functions, whose timing depends on the values: validation runs
 * once per key, on import, and its outcome (key accepted or not) is public.
 */
#include <stdlib.h>

#include <nettle/bignum.h>

#include "backends/nettle/ntl_internal.h"
#include "base/ct.h"

/* Bases tried by factor recovery before giving up. */
#define NTL_RECOVER_TRIES 64

static int ntl_invalid(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_INVALID, "nettle backend: %s", what);
}

static void ntl_mpz_in(mpz_t x, const struct rlab_buf *b)
{
    nettle_mpz_set_str_256_u(x, b->len, b->data);
}

static int ntl_mpz_out(const mpz_t x, struct rlab_buf *b)
{
    size_t n = (mpz_sizeinbase(x, 2) + 7) / 8;
    int rc = rlab_buf_alloc(b, n > 0 ? n : 1);
    if (rc == RLAB_OK)
        nettle_mpz_get_str_256(b->len, b->data, x);
    return rc;
}

static int ntl_check_public(const mpz_t n, const mpz_t e)
{
    size_t bits = mpz_sizeinbase(n, 2);
    if (mpz_sgn(n) == 0)
        return ntl_invalid("n is 0");
    if (mpz_sgn(n) < 0 || bits < RLAB_NTL_MIN_BITS || bits > RLAB_NTL_MAX_BITS)
        return rlab_error_set(RLAB_ERR_KEY_INVALID,
                              "nettle backend: n has %zu bits; %u to %u are accepted",
                              mpz_sgn(n) > 0 ? bits : 0, RLAB_NTL_MIN_BITS, RLAB_NTL_MAX_BITS);
    if (mpz_even_p(n))
        return ntl_invalid("n is even");
    if (mpz_cmp_ui(e, 3) < 0)
        return ntl_invalid("e is below 3");
    if (mpz_even_p(e))
        return ntl_invalid("e is even");
    if (mpz_cmp(e, n) >= 0)
        return ntl_invalid("e is not below n");
    return RLAB_OK;
}

/* The private key (priv->d, p, q, a, b, c) against n and e; first failure
 * names itself. */
static int ntl_check_private(const mpz_t n, const mpz_t e, const struct rsa_private_key *k)
{
    mpz_t t, u, lam;
    mpz_inits(t, u, lam, NULL);
    int rc = RLAB_OK;
    if (mpz_sgn(k->d) <= 0 || mpz_cmp(k->d, n) >= 0)
        rc = ntl_invalid("d is not in [1, n)");
    else if (mpz_cmp_ui(k->p, 1) <= 0 || mpz_cmp_ui(k->q, 1) <= 0)
        rc = ntl_invalid("p and q must be greater than 1");
    else if (mpz_cmp(k->p, k->q) == 0)
        rc = ntl_invalid("p equals q");
    if (rc != RLAB_OK)
        goto out;
    mpz_mul(t, k->p, k->q);
    if (mpz_cmp(t, n) != 0) {
        rc = ntl_invalid("n is not p*q");
        goto out;
    }
    mpz_sub_ui(t, k->p, 1);
    mpz_sub_ui(u, k->q, 1);
    mpz_lcm(lam, t, u);
    mpz_mul(u, e, k->d);
    mpz_sub_ui(u, u, 1);
    if (!mpz_divisible_p(u, lam)) {
        rc = ntl_invalid("e*d is not 1 mod lcm(p-1, q-1)");
        goto out;
    }
    mpz_sub_ui(u, k->p, 1);
    mpz_mod(t, k->d, u);
    if (mpz_cmp(t, k->a) != 0) {
        rc = ntl_invalid("dp is not d mod (p-1)");
        goto out;
    }
    mpz_sub_ui(u, k->q, 1);
    mpz_mod(t, k->d, u);
    if (mpz_cmp(t, k->b) != 0) {
        rc = ntl_invalid("dq is not d mod (q-1)");
        goto out;
    }
    mpz_mul(t, k->c, k->q);
    mpz_mod(t, t, k->p);
    if (mpz_sgn(k->c) <= 0 || mpz_cmp(k->c, k->p) >= 0 || mpz_cmp_ui(t, 1) != 0)
        rc = ntl_invalid("qinv is not the inverse of q mod p");
out:
    mpz_clears(t, u, lam, NULL);
    return rc;
}

/*
 * p and q from n, e, d (SP 800-56B rev. 2, appendix C.2): e*d - 1 = 2^t r
 * with r odd; for most g, g^r, g^2r, ... reaches 1 through a square root y
 * of 1 other than +-1, and gcd(y - 1, n) is a factor.  Small bases in
 * turn, so the result does not depend on a generator.  p > q.
 */
static int ntl_recover(const mpz_t n, const mpz_t e, const mpz_t d, mpz_t p, mpz_t q)
{
    static const unsigned bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};
    int rc = ntl_invalid("cannot recover p and q from n, e and d");
    mpz_t k, r, y, x, nm1;
    mpz_inits(k, r, y, x, nm1, NULL);
    mpz_mul(k, e, d);
    mpz_sub_ui(k, k, 1);
    mpz_sub_ui(nm1, n, 1);
    if (mpz_sgn(d) <= 0 || mpz_cmp(d, n) >= 0 || mpz_sgn(k) <= 0 || mpz_odd_p(k))
        goto out;
    mp_bitcnt_t t = mpz_scan1(k, 0);
    mpz_tdiv_q_2exp(r, k, t);
    for (unsigned i = 0; i < NTL_RECOVER_TRIES; i++) {
        unsigned long g = i < sizeof bases / sizeof bases[0] ? bases[i] : 59 + 2 * i;
        mpz_set_ui(x, g);
        mpz_powm(y, x, r, n);
        if (mpz_cmp_ui(y, 1) == 0 || mpz_cmp(y, nm1) == 0)
            continue;
        for (mp_bitcnt_t j = 0; j < t; j++) {
            mpz_mul(x, y, y);
            mpz_mod(x, x, n);
            if (mpz_cmp_ui(x, 1) == 0) {
                mpz_sub_ui(y, y, 1);
                mpz_gcd(p, y, n);
                mpz_divexact(q, n, p);
                if (mpz_cmp(p, q) < 0)
                    mpz_swap(p, q);
                rc = RLAB_OK;
                goto out;
            }
            if (mpz_cmp(x, nm1) == 0)
                break;
            mpz_swap(x, y);
        }
    }
out:
    mpz_clears(k, r, y, x, nm1, NULL);
    return rc;
}

static struct ntl_key *ntl_key_new(void)
{
    rlab_ntl_mem_install();
    struct ntl_key *nk = calloc(1, sizeof *nk);
    if (nk == NULL)
        return NULL;
    nk->base.be = &rlab_backend_nettle;
    rsa_public_key_init(&nk->pub);
    rsa_private_key_init(&nk->priv);
    return nk;
}

/* see backend.h; mpz_clear wipes through the allocator of ntl_rand.c */
void rlab_ntl_key_free(rlab_key *k)
{
    struct ntl_key *nk = (struct ntl_key *)(uintptr_t)rlab_ntl_key(k);
    if (nk == NULL)
        return;
    rsa_public_key_clear(&nk->pub);
    rsa_private_key_clear(&nk->priv);
    rlab_free_secret(nk, sizeof *nk);
}

/* pub->n, pub->e (and priv when `priv`) are filled: check and prepare. */
static int ntl_key_finish(struct ntl_key *nk, int priv, rlab_key **out)
{
    int rc = ntl_check_public(nk->pub.n, nk->pub.e);
    if (rc == RLAB_OK && priv)
        rc = ntl_check_private(nk->pub.n, nk->pub.e, &nk->priv);
    if (rc == RLAB_OK && !rsa_public_key_prepare(&nk->pub))
        rc = ntl_invalid("rsa_public_key_prepare refused the key");
    if (rc == RLAB_OK && priv &&
        (!rsa_private_key_prepare(&nk->priv) || nk->priv.size != nk->pub.size))
        rc = ntl_invalid("rsa_private_key_prepare refused the key");
    if (rc != RLAB_OK) {
        rlab_ntl_key_free(&nk->base);
        return rc;
    }
    nk->base.bits = (unsigned)mpz_sizeinbase(nk->pub.n, 2);
    nk->base.has_private = priv;
    *out = &nk->base;
    return RLAB_OK;
}

/* see backend.h */
int rlab_ntl_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng, rlab_key **out)
{
    *out = NULL;
    if (bits < RLAB_NTL_MIN_BITS || bits > RLAB_NTL_MAX_BITS)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "nettle backend: keygen of %u to %u bits",
                              RLAB_NTL_MIN_BITS, RLAB_NTL_MAX_BITS);
    struct ntl_key *nk = ntl_key_new();
    if (nk == NULL)
        return RLAB_ERR_NOMEM;
    mpz_set_ui(nk->pub.e, e);
    /* Every byte keygen draws may come from the caller: no private-key
     * operation runs inside it. */
    struct ntl_rng r = {rng, 0};
    int ok = rsa_generate_keypair(&nk->pub, &nk->priv, &r, rlab_ntl_random, NULL, NULL, bits, 0);
    if (!ok || r.failed) {
        rlab_ntl_key_free(&nk->base);
        return r.failed ? RLAB_ERR_RNG
                        : rlab_error_set(RLAB_ERR_KEYGEN, "rsa_generate_keypair failed");
    }
    return ntl_key_finish(nk, 1, out);
}

/* see backend.h */
int rlab_ntl_from_components(const struct rlab_components *c, rlab_key **out)
{
    *out = NULL;
    int ncrt = (c->p.len > 0) + (c->q.len > 0) + (c->dp.len > 0) + (c->dq.len > 0) +
               (c->qinv.len > 0);
    if (c->n.len == 0 || c->e.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "n and e are required");
    if ((ncrt != 0 && ncrt != 5) || (ncrt == 5 && c->d.len == 0))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "a private key needs d, and p, q, dp, dq, qinv all or none");
    struct ntl_key *nk = ntl_key_new();
    if (nk == NULL)
        return RLAB_ERR_NOMEM;
    ntl_mpz_in(nk->pub.n, &c->n);
    ntl_mpz_in(nk->pub.e, &c->e);
    int priv = c->d.len > 0;
    if (!priv)
        return ntl_key_finish(nk, 0, out);
    struct rsa_private_key *k = &nk->priv;
    ntl_mpz_in(k->d, &c->d);
    if (ncrt == 5) {
        ntl_mpz_in(k->p, &c->p);
        ntl_mpz_in(k->q, &c->q);
        ntl_mpz_in(k->a, &c->dp);
        ntl_mpz_in(k->b, &c->dq);
        ntl_mpz_in(k->c, &c->qinv);
        return ntl_key_finish(nk, 1, out);
    }
    int rc = ntl_check_public(nk->pub.n, nk->pub.e);
    if (rc == RLAB_OK)
        rc = ntl_recover(nk->pub.n, nk->pub.e, k->d, k->p, k->q);
    if (rc != RLAB_OK) {
        rlab_ntl_key_free(&nk->base);
        return rc;
    }
    /* The CRT values follow from p, q, d; q is invertible mod p (p != q). */
    mpz_sub_ui(k->a, k->p, 1);
    mpz_mod(k->a, k->d, k->a);
    mpz_sub_ui(k->b, k->q, 1);
    mpz_mod(k->b, k->d, k->b);
    if (!mpz_invert(k->c, k->q, k->p)) {
        rlab_ntl_key_free(&nk->base);
        return ntl_invalid("q is not invertible mod p");
    }
    return ntl_key_finish(nk, 1, out);
}

/* see backend.h */
int rlab_ntl_to_components(const rlab_key *k, struct rlab_components *out)
{
    const struct ntl_key *nk = rlab_ntl_key(k);
    const struct rsa_private_key *pk = &nk->priv;
    const mpz_srcptr x[8] = {nk->pub.n, nk->pub.e, pk->d, pk->p, pk->q, pk->a, pk->b, pk->c};
    struct rlab_buf *dst[8] = {&out->n,  &out->e,  &out->d,  &out->p,
                               &out->q,  &out->dp, &out->dq, &out->qinv};
    int rc = RLAB_OK;
    for (int i = 0; rc == RLAB_OK && i < (k->has_private ? 8 : 2); i++)
        rc = ntl_mpz_out(x[i], dst[i]);
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}
