/*
 * Keys of the wolfSSL backend: generation, components in and out, the key
 * checks, freeing.  Contracts in backends/backend.h and wolf_internal.h.
 *
 * wolfCrypt's decoders and wc_RsaPublicKeyDecodeRaw take whatever numbers
 * they are given (an even n, e = 1, a d that belongs to another key), and
 * wc_CheckRsaKey is not built into Debian's library (it needs
 * WOLFSSL_RSA_KEY_CHECK).  So every key is checked here with wolfCrypt's own
 * big-number functions (mp_*, exported under WOLFSSL_PUBLIC_MP):
 *
 *  - public: n odd and at most RSA_MAX_SIZE bits (4096 in Debian's build:
 *    SP_INT_BITS; larger keys are RLAB_ERR_UNSUPPORTED), e odd, 3 <= e < n;
 *  - private: p, q > 1, n = p*q, 0 < d < n, dP = d mod (p-1),
 *    dQ = d mod (q-1), e*dP = 1 mod (p-1), e*dQ = 1 mod (q-1), u*q = 1 mod p
 *    and u < p.
 *
 * These checks compare secret values with the variable-time mp_cmp; the
 * outcome (accept or refuse the key) is public anyway.
 *
 * A private key from n, e, d alone gets p and q back with the classic
 * method (RFC 8017 does not give one; this is the algorithm of NIST SP
 * 800-56B C.2): k = e*d - 1 = 2^t r, and for small bases g a square root of
 * 1 other than +-1 among g^r, g^2r, ... splits n by a gcd.
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/wolfssl/wolf_internal.h"

/* see wolf_internal.h */
struct wolf_key *rlab_wolf_key_new(void)
{
    struct wolf_key *wk = calloc(1, sizeof *wk);
    if (wk == NULL)
        return NULL;
    wk->base.be = &rlab_backend_wolfssl;
    if (pthread_mutex_init(&wk->lock, NULL) != 0) {
        free(wk);
        return NULL;
    }
    int ret = wc_InitRsaKey(&wk->rsa, NULL);
    if (ret == 0) {
        wk->rsa_ready = 1;
        ret = wc_InitRng(&wk->rng);
    }
    if (ret == 0) {
        wk->rng_ready = 1;
        ret = wc_RsaSetRNG(&wk->rsa, &wk->rng); /* blinding generator */
    }
    if (ret != 0) {
        rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_InitRsaKey / wc_InitRng", ret);
        rlab_wolf_key_free(&wk->base);
        return NULL;
    }
    return wk;
}

/* see backend.h; wc_FreeRsaKey zeroes the private numbers (mp_forcezero),
 * wc_FreeRng the DRBG state */
void rlab_wolf_key_free(rlab_key *k)
{
    struct wolf_key *wk = rlab_wolf_key(k);
    if (wk == NULL)
        return;
    if (wk->rsa_ready)
        wc_FreeRsaKey(&wk->rsa);
    if (wk->rng_ready)
        wc_FreeRng(&wk->rng);
    pthread_mutex_destroy(&wk->lock);
    rlab_free_secret(wk, sizeof *wk);
}

static int wolf_bad(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_INVALID, "%s", what);
}

static int wolf_check_public(RsaKey *r)
{
    if (mp_iszero(&r->n))
        return wolf_bad("n is 0");
    if (mp_iseven(&r->n))
        return wolf_bad("n has the small factor 2");
    if (mp_count_bits(&r->n) > RSA_MAX_SIZE)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "Debian's wolfSSL handles moduli of at most %d bits "
                              "(SP_INT_BITS); this one has %d",
                              RSA_MAX_SIZE, mp_count_bits(&r->n));
    if (mp_cmp_d(&r->e, 3) == MP_LT)
        return wolf_bad("e is below 3");
    if (mp_iseven(&r->e))
        return wolf_bad("e is even");
    if (mp_cmp(&r->e, &r->n) != MP_LT)
        return wolf_bad("e is not below n");
    return RLAB_OK;
}

/* x = (a - 1); y = v mod x; is y == want?  And e*y == 1 mod x? */
static int wolf_check_crt(RsaKey *r, mp_int *prime, mp_int *dx, mp_int *t1, mp_int *t2)
{
    /* t1 = prime - 1, t2 = d mod t1 */
    if (mp_sub_d(prime, 1, t1) != MP_OKAY || mp_mod(&r->d, t1, t2) != MP_OKAY)
        return 0;
    if (mp_cmp(t2, dx) != MP_EQ)
        return 0;
    /* t2 = e * dx mod (prime - 1) must be 1 */
    if (mp_mulmod(&r->e, dx, t1, t2) != MP_OKAY)
        return 0;
    return mp_cmp_d(t2, 1) == MP_EQ;
}

static int wolf_check_private(RsaKey *r)
{
    mp_int t1, t2;
    if (mp_init_multi(&t1, &t2, NULL, NULL, NULL, NULL) != MP_OKAY)
        return RLAB_ERR_NOMEM;
    int rc = RLAB_OK;
    if (mp_cmp_d(&r->p, 1) != MP_GT || mp_cmp_d(&r->q, 1) != MP_GT ||
        mp_mul(&r->p, &r->q, &t1) != MP_OKAY || mp_cmp(&t1, &r->n) != MP_EQ)
        rc = wolf_bad("n != p*q");
    else if (mp_iszero(&r->d) || mp_cmp(&r->d, &r->n) != MP_LT)
        rc = wolf_bad("d is zero or not below n");
    else if (!wolf_check_crt(r, &r->p, &r->dP, &t1, &t2) ||
             !wolf_check_crt(r, &r->q, &r->dQ, &t1, &t2))
        rc = wolf_bad("d, dp, dq and e are not consistent with p and q");
    else if (mp_cmp(&r->u, &r->p) != MP_LT || mp_mulmod(&r->u, &r->q, &r->p, &t1) != MP_OKAY ||
             mp_cmp_d(&t1, 1) != MP_EQ)
        rc = wolf_bad("qinv is not the inverse of q mod p");
    mp_forcezero(&t1);
    mp_forcezero(&t2);
    return rc;
}

/* see wolf_internal.h */
int rlab_wolf_key_finish(struct wolf_key *wk, int priv)
{
    int rc = wolf_check_public(&wk->rsa);
    if (rc == RLAB_OK && priv)
        rc = wolf_check_private(&wk->rsa);
    if (rc != RLAB_OK)
        return rc;
    wk->rsa.type = priv ? RSA_PRIVATE : RSA_PUBLIC;
    wk->base.bits = (unsigned)mp_count_bits(&wk->rsa.n);
    wk->base.has_private = priv;
    return RLAB_OK;
}

/* see backend.h */
int rlab_wolf_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                     rlab_key **out)
{
    *out = NULL;
    if (e < 3 || (e & 1) == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "e must be odd and >= 3");
    if (rng != NULL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "wc_MakeRsaKey draws from a WC_RNG, not a caller's generator");
    if (bits < RSA_MIN_SIZE || bits > RSA_MAX_SIZE || e > 0x7fffffffUL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "wc_MakeRsaKey (Debian build) makes %d- to %d-bit keys "
                              "with e below 2^31",
                              RSA_MIN_SIZE, RSA_MAX_SIZE);
    struct wolf_key *wk = rlab_wolf_key_new();
    if (wk == NULL)
        return RLAB_ERR_NOMEM;
    int ret = wc_MakeRsaKey(&wk->rsa, (int)bits, (long)e, &wk->rng);
    int rc = ret == 0 ? rlab_wolf_key_finish(wk, 1)
                      : rlab_wolf_fail(RLAB_ERR_KEYGEN, "wc_MakeRsaKey", ret);
    if (rc != RLAB_OK) {
        rlab_wolf_key_free(&wk->base);
        return rc == RLAB_ERR_KEY_INVALID ? RLAB_ERR_KEYGEN : rc;
    }
    *out = &wk->base;
    return RLAB_OK;
}

/* ---- components ---------------------------------------------------------- */

static int wolf_read(mp_int *x, const struct rlab_buf *b)
{
    if (b->len == 0)
        return mp_set(x, 0) == MP_OKAY ? RLAB_OK : RLAB_ERR_BACKEND;
    if (b->len > RSA_MAX_SIZE / 8 + 1)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "Debian's wolfSSL handles numbers of at most %d bits",
                              RSA_MAX_SIZE);
    return mp_read_unsigned_bin(x, b->data, (word32)b->len) == MP_OKAY
               ? RLAB_OK
               : rlab_error_set(RLAB_ERR_KEY_INVALID, "a component is too large");
}

/* p and q from n, e, d (see the top of this file), then dP, dQ, u. */
static int wolf_recover(RsaKey *r)
{
    mp_int k, y, x, g;
    if (mp_init_multi(&k, &y, &x, &g, NULL, NULL) != MP_OKAY)
        return RLAB_ERR_NOMEM;
    int rc = rlab_error_set(RLAB_ERR_KEY_INVALID, "n, e, d do not factor n");
    /* k = e*d - 1 = 2^t * r */
    if (mp_mul(&r->e, &r->d, &k) != MP_OKAY || mp_sub_d(&k, 1, &k) != MP_OKAY ||
        mp_iszero(&k) || mp_iseven(&r->n))
        goto done;
    int t = mp_cnt_lsb(&k);
    if (t == 0 || mp_div_2d(&k, t, &k, NULL) != MP_OKAY)
        goto done;
    static const mp_digit bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47,
                                     53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107};
    int found = 0;
    for (size_t i = 0; i < sizeof bases / sizeof bases[0] && !found; i++) {
        if (mp_set(&g, bases[i]) != MP_OKAY || mp_exptmod(&g, &k, &r->n, &y) != MP_OKAY)
            goto done;
        for (int j = 0; j < t && !found; j++) {
            if (mp_sqrmod(&y, &r->n, &x) != MP_OKAY)
                goto done;
            if (mp_cmp_d(&x, 1) == MP_EQ) {
                /* y^2 = 1: y is a square root of 1; +-1 teaches nothing */
                if (mp_cmp_d(&y, 1) == MP_EQ)
                    break;
                if (mp_add_d(&y, 1, &g) != MP_OKAY)
                    goto done;
                if (mp_cmp(&g, &r->n) == MP_EQ)
                    break;
                if (mp_sub_d(&y, 1, &y) != MP_OKAY || mp_gcd(&y, &r->n, &r->p) != MP_OKAY)
                    goto done;
                found = mp_cmp_d(&r->p, 1) == MP_GT;
                break;
            }
            if (mp_copy(&x, &y) != MP_OKAY)
                goto done;
        }
    }
    if (!found || mp_div(&r->n, &r->p, &r->q, &x) != MP_OKAY || !mp_iszero(&x))
        goto done;
    if (mp_cmp(&r->p, &r->q) == MP_LT)
        mp_exch(&r->p, &r->q); /* p > q, as most producers write it */
    if (mp_sub_d(&r->p, 1, &x) != MP_OKAY || mp_mod(&r->d, &x, &r->dP) != MP_OKAY ||
        mp_sub_d(&r->q, 1, &x) != MP_OKAY || mp_mod(&r->d, &x, &r->dQ) != MP_OKAY ||
        mp_invmod(&r->q, &r->p, &r->u) != MP_OKAY)
        goto done;
    rc = RLAB_OK;
done:
    mp_forcezero(&k);
    mp_forcezero(&y);
    mp_forcezero(&x);
    mp_forcezero(&g);
    return rc;
}

/* see backend.h */
int rlab_wolf_from_components(const struct rlab_components *c, rlab_key **out)
{
    *out = NULL;
    int have_p = c->p.len > 0, have_q = c->q.len > 0;
    int n_crt = (c->dp.len > 0) + (c->dq.len > 0) + (c->qinv.len > 0);
    if (c->n.len == 0 || c->e.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "n and e are required");
    if (have_p != have_q || (n_crt != 0 && n_crt != 3) || (n_crt == 3 && !have_p) ||
        (have_p && n_crt == 0))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "give p, q, dp, dq, qinv all together or none");
    if (n_crt == 3 && c->d.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "CRT values without d");
    int priv = c->d.len > 0;

    struct wolf_key *wk = rlab_wolf_key_new();
    if (wk == NULL)
        return RLAB_ERR_NOMEM;
    RsaKey *r = &wk->rsa;
    const struct rlab_buf *src[8] = {&c->n, &c->e, &c->d, &c->p,
                                     &c->q, &c->dp, &c->dq, &c->qinv};
    mp_int *dst[8] = {&r->n, &r->e, &r->d, &r->p, &r->q, &r->dP, &r->dQ, &r->u};
    int rc = RLAB_OK;
    for (int i = 0; i < (!priv ? 2 : n_crt == 3 ? 8 : 3) && rc == RLAB_OK; i++)
        rc = wolf_read(dst[i], src[i]);
    if (rc == RLAB_OK)
        rc = wolf_check_public(r);
    if (rc == RLAB_OK && priv && n_crt == 0)
        rc = wolf_recover(r);
    if (rc == RLAB_OK)
        rc = rlab_wolf_key_finish(wk, priv);
    if (rc != RLAB_OK) {
        rlab_wolf_key_free(&wk->base);
        return rc;
    }
    *out = &wk->base;
    return RLAB_OK;
}

static int wolf_write(const mp_int *x, struct rlab_buf *b)
{
    int n = mp_unsigned_bin_size((mp_int *)(uintptr_t)x);
    int rc = rlab_buf_alloc(b, n > 0 ? (size_t)n : 1);
    if (rc != RLAB_OK)
        return rc;
    if (n > 0 && mp_to_unsigned_bin((mp_int *)(uintptr_t)x, b->data) != MP_OKAY)
        return RLAB_ERR_BACKEND;
    return RLAB_OK;
}

/* see backend.h */
int rlab_wolf_to_components(const rlab_key *k, struct rlab_components *out)
{
    const struct rlab_components empty = {0};
    *out = empty;
    struct wolf_key *wk = rlab_wolf_key(k);
    if (wk == NULL)
        return RLAB_ERR_INVALID_ARG;
    RsaKey *r = &wk->rsa;
    const mp_int *src[8] = {&r->n, &r->e, &r->d, &r->p, &r->q, &r->dP, &r->dQ, &r->u};
    struct rlab_buf *dst[8] = {&out->n,  &out->e,  &out->d,  &out->p,
                               &out->q,  &out->dp, &out->dq, &out->qinv};
    /* The numbers never change after creation: no lock needed to read. */
    for (int i = 0; i < (k->has_private ? 8 : 2); i++) {
        int rc = wolf_write(src[i], dst[i]);
        if (rc != RLAB_OK) {
            rlab_components_clear(out);
            return rc;
        }
    }
    return RLAB_OK;
}
