/*
 * Keys of the BearSSL backend: the key layer BearSSL does not have.
 *
 * BearSSL keeps no key objects: br_rsa_public_key and br_rsa_private_key
 * only point at byte strings, and its private key is the CRT form alone
 * (p, q, dp, dq, iq), without n, e or d.  So this file owns the bytes, and
 * checks on the way in what BearSSL would never check:
 *
 *  - public: n odd and at most 4096 bits (BearSSL's limit: larger keys are
 *    RLAB_ERR_UNSUPPORTED), e odd, 3 <= e < n;
 *  - private: p, q odd and > 1; 0 < dp < p, 0 < dq < q, 0 < qinv < p,
 *    0 < d < n; n == p*q (br_rsa_compute_modulus); and a consistency test
 *    on three random values x: the CRT private operation y = x^(dp,dq,qinv)
 *    must equal x^d computed with the full exponent, and y^e must give x
 *    back.  That refuses a wrong d, dp, dq or qinv, a wrong e, and a key
 *    whose CRT values belong to another key.  (Without big-number arithmetic
 *    in BearSSL's public API this is a probabilistic test: a crafted dp that
 *    agrees with the true one on a subgroup of index 2^-t passes with
 *    probability 2^-3t.)
 *
 * A private key from n, e, d alone would need p and q recovered from them:
 * BearSSL has no function for it, so that is RLAB_ERR_UNSUPPORTED.
 *
 * The comparisons of private values branch on them (lengths and the first
 * differing byte); their outcome, accept or refuse the key, is public.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/bearssl/bear_internal.h"

#define BEAR_CHECK_ROUNDS 3

/* Bytes of b without its leading zeros. */
static void bear_trim(const struct rlab_buf *b, const uint8_t **p, size_t *len)
{
    size_t i = 0;
    while (i < b->len && b->data[i] == 0)
        i++;
    *p = b->data + i;
    *len = b->len - i;
}

/* Copy the minimal form of src into dst (empty when src is zero). */
static int bear_copy_min(struct rlab_buf *dst, const struct rlab_buf *src)
{
    const uint8_t *p;
    size_t len;
    bear_trim(src, &p, &len);
    if (len == 0) {
        dst->data = NULL;
        dst->len = 0;
        return RLAB_OK;
    }
    return rlab_buf_set(dst, p, len);
}

/* Compare minimal big-endian values: <0, 0, >0. */
static int bear_cmp(const struct rlab_buf *a, const struct rlab_buf *b)
{
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return a->len == 0 ? 0 : memcmp(a->data, b->data, a->len);
}

static int bear_odd(const struct rlab_buf *a)
{
    return a->len > 0 && (a->data[a->len - 1] & 1) != 0;
}

static unsigned bear_bits(const struct rlab_buf *a)
{
    if (a->len == 0)
        return 0;
    unsigned bits = (unsigned)(a->len - 1) * 8;
    for (unsigned t = a->data[0]; t != 0; t >>= 1)
        bits++;
    return bits;
}

static int bear_bad(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_INVALID, "%s", what);
}

/* Point pk / sk at the owned components. */
static void bear_wire(struct bear_key *bk)
{
    struct rlab_components *c = &bk->c;
    bk->pk = (br_rsa_public_key){c->n.data, c->n.len, c->e.data, c->e.len};
    if (!bk->base.has_private)
        return;
    bk->sk = (br_rsa_private_key){
        .n_bitlen = bk->base.bits,
        .p = c->p.data, .plen = c->p.len,
        .q = c->q.data, .qlen = c->q.len,
        .dp = c->dp.data, .dplen = c->dp.len,
        .dq = c->dq.data, .dqlen = c->dq.len,
        .iq = c->qinv.data, .iqlen = c->qinv.len,
    };
}

static int bear_check_public(const struct rlab_components *c)
{
    if (c->n.len == 0)
        return bear_bad("n is 0");
    if (!bear_odd(&c->n))
        return bear_bad("n has the small factor 2");
    if (bear_bits(&c->n) > RLAB_BEAR_MAX_BITS)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "BearSSL's RSA stops at %d-bit moduli (this one has %u)",
                              RLAB_BEAR_MAX_BITS, bear_bits(&c->n));
    if (c->e.len == 0 || (c->e.len == 1 && c->e.data[0] < 3))
        return bear_bad("e is below 3");
    if (!bear_odd(&c->e))
        return bear_bad("e is even");
    if (bear_cmp(&c->e, &c->n) >= 0)
        return bear_bad("e is not below n");
    return RLAB_OK;
}

/* n == p*q and the consistency test described at the top. */
static int bear_check_private(struct bear_key *bk)
{
    const struct rlab_components *c = &bk->c;
    if (!bear_odd(&c->p) || !bear_odd(&c->q) || (c->p.len == 1 && c->p.data[0] < 3) ||
        (c->q.len == 1 && c->q.data[0] < 3))
        return bear_bad("p or q is even or below 3");
    if (c->dp.len == 0 || c->dq.len == 0 || c->qinv.len == 0 || c->d.len == 0 ||
        bear_cmp(&c->dp, &c->p) >= 0 || bear_cmp(&c->dq, &c->q) >= 0 ||
        bear_cmp(&c->qinv, &c->p) >= 0 || bear_cmp(&c->d, &c->n) >= 0)
        return bear_bad("d, dp, dq or qinv is zero or out of range");

    size_t k = c->n.len;
    uint8_t *buf = calloc(4, k);
    if (buf == NULL)
        return RLAB_ERR_NOMEM;
    uint8_t *x = buf, *y = buf + k, *z = buf + 2 * k, *w = buf + 3 * k;
    int rc = RLAB_OK;
    /* BearSSL 0.6's i31 br_rsa_compute_modulus (the default on x86-64)
     * returns 0 for 4096-bit keys, an internal buffer being too small; the
     * i15 one, slower but public and correct, takes over then. */
    br_rsa_compute_modulus modulus = rlab_bear_impl.modulus;
    if (modulus(NULL, &bk->sk) == 0)
        modulus = br_rsa_i15_compute_modulus;
    size_t nl = modulus(NULL, &bk->sk);
    if (nl != k || modulus(z, &bk->sk) != k || memcmp(z, c->n.data, k) != 0) {
        rc = bear_bad("n != p*q");
        goto done;
    }
    /* x^d with d as the exponent of a "public" key over the same n. */
    br_rsa_public_key dk = {c->n.data, c->n.len, c->d.data, c->d.len};
    for (int i = 0; i < BEAR_CHECK_ROUNDS && rc == RLAB_OK; i++) {
        rc = rlab_bear_random(x + 1, k - 1);
        if (rc != RLAB_OK)
            break;
        x[0] = 0; /* below n */
        memcpy(y, x, k);
        memcpy(w, x, k);
        if (!rlab_bear_impl.priv(y, &bk->sk) || !rlab_bear_impl.pub(w, k, &dk)) {
            rc = bear_bad("BearSSL refused the private key");
            break;
        }
        memcpy(z, y, k);
        if (!rlab_bear_impl.pub(z, k, &bk->pk) || !rlab_ct_equal(z, x, k) ||
            !rlab_ct_equal(w, y, k))
            rc = bear_bad("d, dp, dq, qinv and e are not consistent with p and q");
    }
done:
    rlab_free_secret(buf, 4 * k);
    return rc;
}

/* see bear_internal.h */
int rlab_bear_key_make(const struct rlab_components *c, int priv, rlab_key **out)
{
    *out = NULL;
    struct bear_key *bk = calloc(1, sizeof *bk);
    if (bk == NULL)
        return RLAB_ERR_NOMEM;
    bk->base.be = &rlab_backend_bearssl;
    struct rlab_components *m = &bk->c;
    const struct rlab_buf *src[8] = {&c->n, &c->e, &c->d, &c->p,
                                     &c->q, &c->dp, &c->dq, &c->qinv};
    struct rlab_buf *dst[8] = {&m->n, &m->e, &m->d, &m->p, &m->q, &m->dp, &m->dq, &m->qinv};
    int rc = RLAB_OK;
    for (int i = 0; i < (priv ? 8 : 2) && rc == RLAB_OK; i++)
        rc = bear_copy_min(dst[i], src[i]);
    if (rc == RLAB_OK)
        rc = bear_check_public(m);
    if (rc == RLAB_OK) {
        bk->base.bits = bear_bits(&m->n);
        bk->base.has_private = priv;
        bear_wire(bk);
        if (priv)
            rc = bear_check_private(bk);
    }
    if (rc != RLAB_OK) {
        rlab_bear_key_free(&bk->base);
        return rc;
    }
    *out = &bk->base;
    return RLAB_OK;
}

/* see backend.h */
int rlab_bear_from_components(const struct rlab_components *c, rlab_key **out)
{
    *out = NULL;
    int have_p = c->p.len > 0, have_q = c->q.len > 0;
    int n_crt = (c->dp.len > 0) + (c->dq.len > 0) + (c->qinv.len > 0);
    if (c->n.len == 0 || c->e.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "n and e are required");
    if (have_p != have_q || (n_crt != 0 && n_crt != 3) || (n_crt == 3 && !have_p))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "give p, q, dp, dq, qinv all together or none");
    if (n_crt == 3 && c->d.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "CRT values without d");
    if (c->d.len > 0 && n_crt == 0)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "BearSSL computes with p, q, dp, dq, qinv only and has "
                              "no way to recover them from n, e, d");
    return rlab_bear_key_make(c, c->d.len > 0, out);
}

/* see backend.h */
int rlab_bear_to_components(const rlab_key *k, struct rlab_components *out)
{
    const struct rlab_components empty = {0};
    *out = empty;
    struct bear_key *bk = rlab_bear_key(k);
    if (bk == NULL)
        return RLAB_ERR_INVALID_ARG;
    const struct rlab_components *c = &bk->c;
    const struct rlab_buf *src[8] = {&c->n, &c->e, &c->d, &c->p,
                                     &c->q, &c->dp, &c->dq, &c->qinv};
    struct rlab_buf *dst[8] = {&out->n,  &out->e,  &out->d,  &out->p,
                               &out->q,  &out->dp, &out->dq, &out->qinv};
    for (int i = 0; i < (k->has_private ? 8 : 2); i++) {
        int rc = rlab_buf_set(dst[i], src[i]->data, src[i]->len);
        if (rc != RLAB_OK) {
            rlab_components_clear(out);
            return rc;
        }
    }
    return RLAB_OK;
}

/* see backend.h; rlab_components_clear wipes every component */
void rlab_bear_key_free(rlab_key *k)
{
    struct bear_key *bk = rlab_bear_key(k);
    if (bk == NULL)
        return;
    rlab_components_clear(&bk->c);
    rlab_free_secret(bk, sizeof *bk);
}

/* ---- keygen ------------------------------------------------------------- */

static int bear_buf_from(struct rlab_buf *b, const unsigned char *p, size_t len)
{
    struct rlab_buf tmp = {(uint8_t *)(uintptr_t)p, len};
    return bear_copy_min(b, &tmp);
}

/* see backend.h */
int rlab_bear_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                     rlab_key **out)
{
    *out = NULL;
    if (e < 3 || (e & 1) == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "e must be odd and >= 3");
    if (e > 0xffffffffUL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "br_rsa_keygen takes a 32-bit e");
    if (bits < RLAB_BEAR_MIN_KEYGEN_BITS || bits > RLAB_BEAR_MAX_BITS)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "br_rsa_keygen makes %d to %d bits",
                              RLAB_BEAR_MIN_KEYGEN_BITS, RLAB_BEAR_MAX_BITS);

    unsigned char kpriv[BR_RSA_KBUF_PRIV_SIZE(RLAB_BEAR_MAX_BITS)];
    unsigned char kpub[BR_RSA_KBUF_PUB_SIZE(RLAB_BEAR_MAX_BITS)];
    unsigned char d[RLAB_BEAR_MAX_BITS / 8];
    br_rsa_private_key sk;
    br_rsa_public_key pk;
    struct rlab_components c = {0};
    struct bear_rng r;
    rlab_bear_rng_setup(&r, rng);
    int rc = RLAB_OK;
    /* Key generation runs no private operation, so every byte it draws may
     * come from the caller's generator. */
    if (!rlab_bear_impl.keygen(&r.vtable, &sk, kpriv, &pk, kpub, bits, (uint32_t)e)) {
        rc = rlab_error_set(RLAB_ERR_KEYGEN, "br_rsa_keygen failed");
        goto done;
    }
    if (r.failed) {
        rc = rlab_error_set(RLAB_ERR_RNG, "the caller's generator failed");
        goto done;
    }
    size_t dlen = rlab_bear_impl.privexp(NULL, &sk, (uint32_t)e);
    if (dlen == 0 || dlen > sizeof d || rlab_bear_impl.privexp(d, &sk, (uint32_t)e) != dlen) {
        rc = rlab_error_set(RLAB_ERR_KEYGEN, "br_rsa_compute_privexp failed");
        goto done;
    }
    if ((rc = bear_buf_from(&c.n, pk.n, pk.nlen)) != RLAB_OK ||
        (rc = bear_buf_from(&c.e, pk.e, pk.elen)) != RLAB_OK ||
        (rc = bear_buf_from(&c.d, d, dlen)) != RLAB_OK ||
        (rc = bear_buf_from(&c.p, sk.p, sk.plen)) != RLAB_OK ||
        (rc = bear_buf_from(&c.q, sk.q, sk.qlen)) != RLAB_OK ||
        (rc = bear_buf_from(&c.dp, sk.dp, sk.dplen)) != RLAB_OK ||
        (rc = bear_buf_from(&c.dq, sk.dq, sk.dqlen)) != RLAB_OK ||
        (rc = bear_buf_from(&c.qinv, sk.iq, sk.iqlen)) != RLAB_OK)
        goto done;
    rc = rlab_bear_key_make(&c, 1, out);
    if (rc != RLAB_OK) {
        char why[160];
        snprintf(why, sizeof why, "%s", rlab_error_detail());
        rc = rlab_error_set(RLAB_ERR_KEYGEN, "generated key failed its checks: %s", why);
    }
done:
    rlab_components_clear(&c);
    rlab_wipe(kpriv, sizeof kpriv);
    rlab_wipe(d, sizeof d);
    rlab_wipe(&sk, sizeof sk);
    return rc;
}
