/*
 * Keys of the libgcrypt backend: generation (gcry_pk_genkey), building from
 * components with validation, factor recovery from n, e, d, components out.
 * Contracts in backends/backend.h; struct lgc_key in lgc_internal.h.
 *
 * libgcrypt keeps keys as S-expressions and checks them only when asked
 * (gcry_pk_testkey: n = p*q and e*d = 1 mod lcm; not u, and nothing of a
 * public key).  Every key is validated here first, then handed to
 * gcry_pk_testkey as well.  The checks use gcry_mpi arithmetic, whose timing
 * depends on the values; they run once per key and their outcome is public.
 */
#include <limits.h>
#include <stdlib.h>

/* AddressSanitizer's leak checker (see rlab_lgc_keygen). */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LGC_LSAN_OFF() __lsan_disable()
#define LGC_LSAN_ON() __lsan_enable()
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define LGC_LSAN_OFF() __lsan_disable()
#define LGC_LSAN_ON() __lsan_enable()
#endif
#endif
#ifndef LGC_LSAN_OFF
#define LGC_LSAN_OFF() ((void)0)
#define LGC_LSAN_ON() ((void)0)
#endif

#include "backends/libgcrypt/lgc_internal.h"
#include "base/ct.h"

#define LGC_RECOVER_TRIES 64

static int lgc_invalid(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_INVALID, "libgcrypt backend: %s", what);
}

static int lgc_check_public(gcry_mpi_t n, gcry_mpi_t e)
{
    unsigned bits = gcry_mpi_get_nbits(n);
    if (bits == 0)
        return lgc_invalid("n is 0");
    if (bits < RLAB_LGC_MIN_BITS || bits > RLAB_LGC_MAX_BITS)
        return rlab_error_set(RLAB_ERR_KEY_INVALID,
                              "libgcrypt backend: n has %u bits; %u to %u are accepted", bits,
                              RLAB_LGC_MIN_BITS, RLAB_LGC_MAX_BITS);
    if (!gcry_mpi_test_bit(n, 0))
        return lgc_invalid("n is even");
    if (gcry_mpi_cmp_ui(e, 3) < 0)
        return lgc_invalid("e is below 3");
    if (!gcry_mpi_test_bit(e, 0))
        return lgc_invalid("e is even");
    if (gcry_mpi_cmp(e, n) >= 0)
        return lgc_invalid("e is not below n");
    return RLAB_OK;
}

/* The private values (PKCS#1 meaning) against n and e. */
static int lgc_check_private(const struct lgc_key *k)
{
    gcry_mpi_t t = gcry_mpi_snew(0), u = gcry_mpi_snew(0), g = gcry_mpi_snew(0),
               lam = gcry_mpi_snew(0);
    int rc = RLAB_OK;
    if (gcry_mpi_cmp_ui(k->d, 1) < 0 || gcry_mpi_cmp(k->d, k->n) >= 0)
        rc = lgc_invalid("d is not in [1, n)");
    else if (gcry_mpi_cmp_ui(k->p, 1) <= 0 || gcry_mpi_cmp_ui(k->q, 1) <= 0)
        rc = lgc_invalid("p and q must be greater than 1");
    else if (gcry_mpi_cmp(k->p, k->q) == 0)
        rc = lgc_invalid("p equals q");
    if (rc != RLAB_OK)
        goto out;
    gcry_mpi_mul(t, k->p, k->q);
    if (gcry_mpi_cmp(t, k->n) != 0) {
        rc = lgc_invalid("n is not p*q");
        goto out;
    }
    gcry_mpi_sub_ui(t, k->p, 1);
    gcry_mpi_sub_ui(u, k->q, 1);
    gcry_mpi_gcd(g, t, u);
    gcry_mpi_div(lam, NULL, t, g, 0);
    gcry_mpi_mul(lam, lam, u); /* lcm(p-1, q-1) */
    gcry_mpi_mulm(g, k->e, k->d, lam);
    if (gcry_mpi_cmp_ui(g, 1) != 0) {
        rc = lgc_invalid("e*d is not 1 mod lcm(p-1, q-1)");
        goto out;
    }
    gcry_mpi_mod(g, k->d, t);
    if (gcry_mpi_cmp(g, k->dp) != 0) {
        rc = lgc_invalid("dp is not d mod (p-1)");
        goto out;
    }
    gcry_mpi_mod(g, k->d, u);
    if (gcry_mpi_cmp(g, k->dq) != 0) {
        rc = lgc_invalid("dq is not d mod (q-1)");
        goto out;
    }
    gcry_mpi_mulm(g, k->qinv, k->q, k->p);
    if (gcry_mpi_cmp_ui(k->qinv, 1) < 0 || gcry_mpi_cmp(k->qinv, k->p) >= 0 ||
        gcry_mpi_cmp_ui(g, 1) != 0)
        rc = lgc_invalid("qinv is not the inverse of q mod p");
out:
    gcry_mpi_release(t);
    gcry_mpi_release(u);
    gcry_mpi_release(g);
    gcry_mpi_release(lam);
    return rc;
}

/*
 * p and q from n, e, d (SP 800-56B rev. 2, appendix C.2), as in the nettle
 * and gmp backends: e*d - 1 = 2^t r, r odd; a base g whose powers g^r,
 * g^2r, ... reach 1 through y != +-1 gives the factor gcd(y - 1, n).
 * Fixed small bases, so the result needs no generator.  *p > *q.
 */
static int lgc_recover(gcry_mpi_t n, gcry_mpi_t e, gcry_mpi_t d, gcry_mpi_t *p, gcry_mpi_t *q)
{
    static const unsigned bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};
    int rc = lgc_invalid("cannot recover p and q from n, e and d");
    gcry_mpi_t k = gcry_mpi_snew(0), r = gcry_mpi_snew(0), y = gcry_mpi_snew(0),
               x = gcry_mpi_snew(0), nm1 = gcry_mpi_new(0), g = gcry_mpi_new(0);
    gcry_mpi_mul(k, e, d);
    gcry_mpi_sub_ui(k, k, 1);
    gcry_mpi_sub_ui(nm1, n, 1);
    if (gcry_mpi_cmp_ui(d, 1) < 0 || gcry_mpi_cmp(d, n) >= 0 || gcry_mpi_test_bit(k, 0))
        goto out;
    unsigned t = 0;
    while (t < gcry_mpi_get_nbits(k) && !gcry_mpi_test_bit(k, t))
        t++;
    gcry_mpi_rshift(r, k, t);
    for (unsigned i = 0; i < LGC_RECOVER_TRIES; i++) {
        gcry_mpi_set_ui(g, i < sizeof bases / sizeof bases[0] ? bases[i] : 59 + 2 * i);
        gcry_mpi_powm(y, g, r, n);
        if (gcry_mpi_cmp_ui(y, 1) == 0 || gcry_mpi_cmp(y, nm1) == 0)
            continue;
        for (unsigned j = 0; j < t; j++) {
            gcry_mpi_mulm(x, y, y, n);
            if (gcry_mpi_cmp_ui(x, 1) == 0) {
                gcry_mpi_sub_ui(y, y, 1);
                *p = gcry_mpi_snew(0);
                *q = gcry_mpi_snew(0);
                gcry_mpi_gcd(*p, y, n);
                gcry_mpi_div(*q, NULL, n, *p, 0);
                if (gcry_mpi_cmp(*p, *q) < 0)
                    gcry_mpi_swap(*p, *q);
                rc = RLAB_OK;
                goto out;
            }
            if (gcry_mpi_cmp(x, nm1) == 0)
                break;
            gcry_mpi_swap(x, y);
        }
    }
out:
    gcry_mpi_release(k);
    gcry_mpi_release(r);
    gcry_mpi_release(y);
    gcry_mpi_release(x);
    gcry_mpi_release(nm1);
    gcry_mpi_release(g);
    return rc;
}

/* see backend.h; gcry_mpi_release and gcry_sexp_release of secure objects
 * wipe them */
void rlab_lgc_key_free(rlab_key *k)
{
    struct lgc_key *lk = (struct lgc_key *)(uintptr_t)rlab_lgc_key(k);
    if (lk == NULL)
        return;
    gcry_sexp_release(lk->pub);
    gcry_sexp_release(lk->priv);
    gcry_mpi_t *m[8] = {&lk->n, &lk->e, &lk->d, &lk->p, &lk->q, &lk->dp, &lk->dq, &lk->qinv};
    for (int i = 0; i < 8; i++)
        gcry_mpi_release(*m[i]);
    rlab_free_secret(lk, sizeof *lk);
}

/* lk holds n, e (and all private values when priv): check, build the
 * S-expressions, ask libgcrypt's own test.  Frees lk on failure. */
static int lgc_finish(struct lgc_key *lk, int priv, rlab_key **out)
{
    int rc = lgc_check_public(lk->n, lk->e);
    if (rc == RLAB_OK && priv)
        rc = lgc_check_private(lk);
    gcry_error_t e = 0;
    if (rc == RLAB_OK)
        e = gcry_sexp_build(&lk->pub, NULL, "(public-key (rsa (n %m)(e %m)))", lk->n, lk->e);
    /* libgcrypt's p, q, u have u = p^-1 mod q, and its CRT (secret_core_crt
     * in 1.10) also needs its p below its q: it adds q once to make
     * m2 - m1 non-negative, and with p > q the difference can stay
     * negative, which gives a negative root that the public check accepts
     * and the result conversion refuses (GPG_ERR_INV_ARG, now and then).
     * So the smaller prime goes first: PKCS#1's q with qinv when q < p,
     * else PKCS#1's p with p^-1 mod q. */
    gcry_mpi_t u_own = NULL;
    if (rc == RLAB_OK && e == 0 && priv) {
        gcry_mpi_t lp = lk->q, lq = lk->p, u = lk->qinv;
        if (gcry_mpi_cmp(lk->p, lk->q) < 0) {
            lp = lk->p;
            lq = lk->q;
            u = u_own = gcry_mpi_snew(0);
            if (u_own == NULL || !gcry_mpi_invm(u_own, lp, lq))
                rc = lgc_invalid("p has no inverse mod q");
        }
        if (rc == RLAB_OK)
            e = gcry_sexp_build(&lk->priv, NULL,
                                "(private-key (rsa (n %m)(e %m)(d %m)(p %m)(q %m)(u %m)))",
                                lk->n, lk->e, lk->d, lp, lq, u);
    }
    gcry_mpi_release(u_own);
    if (rc == RLAB_OK && e != 0)
        rc = rlab_lgc_fail(RLAB_ERR_NOMEM, "gcry_sexp_build", e);
    if (rc == RLAB_OK && priv && (e = gcry_pk_testkey(lk->priv)) != 0)
        rc = rlab_lgc_fail(RLAB_ERR_KEY_INVALID, "gcry_pk_testkey", e);
    if (rc != RLAB_OK) {
        rlab_lgc_key_free(&lk->base);
        return rc;
    }
    lk->base.bits = gcry_mpi_get_nbits(lk->n);
    lk->base.has_private = priv;
    *out = &lk->base;
    return RLAB_OK;
}

static struct lgc_key *lgc_key_new(void)
{
    struct lgc_key *lk = calloc(1, sizeof *lk);
    if (lk != NULL)
        lk->base.be = &rlab_backend_libgcrypt;
    return lk;
}

/* dp, dq (and qinv when *qinv is NULL) from d, p, q, in secure memory. */
static int lgc_crt(struct lgc_key *lk)
{
    gcry_mpi_t t = gcry_mpi_snew(0);
    lk->dp = gcry_mpi_snew(0);
    lk->dq = gcry_mpi_snew(0);
    gcry_mpi_sub_ui(t, lk->p, 1);
    gcry_mpi_mod(lk->dp, lk->d, t);
    gcry_mpi_sub_ui(t, lk->q, 1);
    gcry_mpi_mod(lk->dq, lk->d, t);
    gcry_mpi_release(t);
    if (lk->qinv != NULL)
        return RLAB_OK;
    lk->qinv = gcry_mpi_snew(0);
    return gcry_mpi_invm(lk->qinv, lk->q, lk->p) ? RLAB_OK : lgc_invalid("q has no inverse mod p");
}

/* see backend.h */
int rlab_lgc_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng, rlab_key **out)
{
    *out = NULL;
    if (rng != NULL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "gcry_pk_genkey draws only from libgcrypt's own generator");
    if (bits % 2 != 0 || bits < RLAB_LGC_MIN_BITS || bits > RLAB_LGC_MAX_BITS || e > UINT_MAX)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "gcry_pk_genkey: even sizes of %u to %u bits, e below 2^32",
                              RLAB_LGC_MIN_BITS, RLAB_LGC_MAX_BITS);
    gcry_sexp_t parms = NULL, key = NULL, sk = NULL;
    gcry_error_t ge = gcry_sexp_build(&parms, NULL, "(genkey (rsa (nbits %u)(rsa-use-e %u)))",
                                      bits, (unsigned)e);
    /* The first GCRY_VERY_STRONG_RANDOM request (keygen's primes) makes
     * libgcrypt allocate its jitter-entropy collector once, with a 128 KiB
     * buffer whose only pointer lives in secure memory, an mmap'd pool that
     * LeakSanitizer does not scan: a permanent allocation it would report
     * as a leak.  Not a per-key leak (valgrind sees it reachable), so the
     * leak checker is paused around the call in sanitizer builds only. */
    if (ge == 0) {
        LGC_LSAN_OFF();
        ge = gcry_pk_genkey(&key, parms);
        LGC_LSAN_ON();
    }
    gcry_sexp_release(parms);
    if (ge != 0)
        return rlab_lgc_fail(RLAB_ERR_KEYGEN, "gcry_pk_genkey", ge);
    struct lgc_key *lk = lgc_key_new();
    gcry_mpi_t n = NULL, ee = NULL, d = NULL, p = NULL, q = NULL, u = NULL;
    int rc = lk != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
    sk = gcry_sexp_find_token(key, "private-key", 0);
    if (rc == RLAB_OK &&
        (sk == NULL || (ge = gcry_sexp_extract_param(sk, NULL, "nedpqu", &n, &ee, &d, &p, &q,
                                                     &u, NULL)) != 0))
        rc = rlab_lgc_fail(RLAB_ERR_KEYGEN, "gcry_sexp_extract_param", ge);
    if (rc == RLAB_OK) {
        /* PKCS#1 p is libgcrypt's q, and its qinv libgcrypt's u. */
        lk->n = n;
        lk->e = ee;
        n = ee = NULL;
        lk->d = rlab_lgc_mpi_secure(d);
        lk->p = rlab_lgc_mpi_secure(q);
        lk->q = rlab_lgc_mpi_secure(p);
        lk->qinv = rlab_lgc_mpi_secure(u);
        rc = lgc_crt(lk);
    }
    gcry_mpi_t *m[6] = {&n, &ee, &d, &p, &q, &u};
    for (int i = 0; i < 6; i++)
        gcry_mpi_release(*m[i]);
    gcry_sexp_release(sk);
    gcry_sexp_release(key);
    if (rc != RLAB_OK) {
        rlab_lgc_key_free(lk != NULL ? &lk->base : NULL);
        return rc;
    }
    return lgc_finish(lk, 1, out);
}

/* see backend.h */
int rlab_lgc_from_components(const struct rlab_components *c, rlab_key **out)
{
    *out = NULL;
    int ncrt = (c->p.len > 0) + (c->q.len > 0) + (c->dp.len > 0) + (c->dq.len > 0) +
               (c->qinv.len > 0);
    if (c->n.len == 0 || c->e.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "n and e are required");
    if ((ncrt != 0 && ncrt != 5) || (ncrt == 5 && c->d.len == 0))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "a private key needs d, and p, q, dp, dq, qinv all or none");
    struct lgc_key *lk = lgc_key_new();
    if (lk == NULL)
        return RLAB_ERR_NOMEM;
    lk->n = rlab_lgc_mpi(c->n.data, c->n.len, 0);
    lk->e = rlab_lgc_mpi(c->e.data, c->e.len, 0);
    int priv = c->d.len > 0, rc = RLAB_OK;
    if (priv)
        lk->d = rlab_lgc_mpi(c->d.data, c->d.len, 1);
    if (lk->n == NULL || lk->e == NULL || (priv && lk->d == NULL))
        rc = RLAB_ERR_NOMEM;
    if (rc == RLAB_OK && ncrt == 5) {
        const struct rlab_buf *src[5] = {&c->p, &c->q, &c->dp, &c->dq, &c->qinv};
        gcry_mpi_t *dst[5] = {&lk->p, &lk->q, &lk->dp, &lk->dq, &lk->qinv};
        for (int i = 0; rc == RLAB_OK && i < 5; i++)
            if ((*dst[i] = rlab_lgc_mpi(src[i]->data, src[i]->len, 1)) == NULL)
                rc = RLAB_ERR_NOMEM;
    } else if (rc == RLAB_OK && priv) {
        rc = lgc_check_public(lk->n, lk->e);
        if (rc == RLAB_OK)
            rc = lgc_recover(lk->n, lk->e, lk->d, &lk->p, &lk->q);
        if (rc == RLAB_OK)
            rc = lgc_crt(lk);
    }
    if (rc != RLAB_OK) {
        rlab_lgc_key_free(&lk->base);
        return rc;
    }
    return lgc_finish(lk, priv, out);
}

/* see backend.h */
int rlab_lgc_to_components(const rlab_key *k, struct rlab_components *out)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    gcry_mpi_t x[8] = {lk->n, lk->e, lk->d, lk->p, lk->q, lk->dp, lk->dq, lk->qinv};
    struct rlab_buf *dst[8] = {&out->n,  &out->e,  &out->d,  &out->p,
                               &out->q,  &out->dp, &out->dq, &out->qinv};
    int rc = RLAB_OK;
    for (int i = 0; rc == RLAB_OK && i < (k->has_private ? 8 : 2); i++)
        rc = rlab_lgc_mpi_out(x[i], dst[i]);
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}
