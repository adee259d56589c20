/*
 * Keys of the Botan backend: generation, components in and out, checks,
 * freeing.  Contracts in backends/backend.h; the key struct in
 * bt_internal.h.
 *
 * Keys from components go through an RSAPrivateKey encoding
 * (botan_privkey_load_rsa_pkcs1) rather than botan_privkey_load_rsa(p, q,
 * e): the latter computes d itself (mod lcm(p-1, q-1)) and would drop a
 * caller's d that is valid but reduced differently (mod phi), so the
 * components would not come back as they went in.
 *
 * Every key is checked (rlab_bt_key_finish): our own checks with botan_mp
 * (bt_math.c), then botan_privkey_check_key, which adds Botan's own tests
 * (primality of p and q among them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/botan/bt_internal.h"
#include "backends/keycodec.h"

/* see bt_internal.h */
struct bt_key *rlab_bt_key_new(void)
{
    struct bt_key *bk = calloc(1, sizeof *bk);
    if (bk != NULL)
        bk->base.be = &rlab_backend_botan;
    return bk;
}

/* see backend.h; Botan keeps the numbers in secure_vectors, wiped when
 * the key objects are destroyed. */
void rlab_bt_key_free(rlab_key *k)
{
    struct bt_key *bk = rlab_bt_key(k);
    if (bk == NULL)
        return;
    if (bk->priv != NULL)
        botan_privkey_destroy(bk->priv);
    if (bk->pub != NULL)
        botan_pubkey_destroy(bk->pub);
    botan_scrub_mem(bk, sizeof *bk);
    free(bk);
}

/* One field of a key ("n", "e", "d", "p", "q", "d1", "d2", "c") as bytes. */
static int bt_field(const struct bt_key *bk, const char *name, int priv, struct rlab_buf *out)
{
    botan_mp_t x = NULL;
    if (botan_mp_init(&x) != BOTAN_FFI_SUCCESS)
        return RLAB_ERR_NOMEM;
    int r = priv ? botan_privkey_get_field(x, bk->priv, name)
                 : botan_pubkey_get_field(x, bk->pub, name);
    int rc = r == BOTAN_FFI_SUCCESS ? rlab_bt_mp_out(x, out)
                                    : rlab_bt_fail(RLAB_ERR_BACKEND, "botan_*_get_field", r);
    botan_mp_destroy(x);
    return rc;
}

static const char *const bt_fields[8] = {"n", "e", "d", "p", "q", "d1", "d2", "c"};

/* All eight values of a private key, or n and e of a public one. */
static int bt_values(const struct bt_key *bk, struct rlab_buf v[8])
{
    int priv = bk->priv != NULL, rc = RLAB_OK;
    for (int i = 0; rc == RLAB_OK && i < (priv ? 8 : 2); i++)
        rc = bt_field(bk, bt_fields[i], priv, &v[i]);
    return rc;
}

static void bt_values_clear(struct rlab_buf v[8])
{
    for (int i = 0; i < 8; i++)
        rlab_buf_clear(&v[i]);
}

/* see bt_internal.h */
int rlab_bt_key_finish(struct bt_key *bk)
{
    if (bk->pub == NULL) {
        int r = botan_privkey_export_pubkey(&bk->pub, bk->priv);
        if (r != BOTAN_FFI_SUCCESS) {
            bk->pub = NULL;
            return rlab_bt_fail(RLAB_ERR_KEY_INVALID, "botan_privkey_export_pubkey", r);
        }
    }
    struct rlab_buf v[8];
    memset(v, 0, sizeof v);
    botan_mp_t n = NULL, e = NULL;
    int rc = bt_values(bk, v);
    if (rc == RLAB_OK)
        rc = rlab_bt_mp_new(&n, v[0].data, v[0].len);
    if (rc == RLAB_OK)
        rc = rlab_bt_mp_new(&e, v[1].data, v[1].len);
    if (rc == RLAB_OK)
        rc = rlab_bt_check_public(n, e);
    if (rc == RLAB_OK && bk->priv != NULL)
        rc = rlab_bt_check_private(v);
    if (rc == RLAB_OK && bk->priv != NULL) {
        int r = botan_privkey_check_key(bk->priv, rlab_bt_system_rng(), 0);
        if (r != BOTAN_FFI_SUCCESS)
            rc = rlab_bt_fail(RLAB_ERR_KEY_INVALID, "botan_privkey_check_key", r);
    }
    size_t bits = 0;
    if (rc == RLAB_OK && botan_mp_num_bits(n, &bits) != BOTAN_FFI_SUCCESS)
        rc = RLAB_ERR_BACKEND;
    if (rc == RLAB_OK) {
        bk->base.bits = (unsigned)bits;
        bk->base.has_private = bk->priv != NULL;
    }
    if (n != NULL)
        botan_mp_destroy(n);
    if (e != NULL)
        botan_mp_destroy(e);
    bt_values_clear(v);
    return rc;
}

/* e as a botan_mp_t. */
static int bt_mp_ulong(botan_mp_t *mp, unsigned long e)
{
    uint8_t b[sizeof e];
    for (size_t i = 0; i < sizeof e; i++)
        b[i] = (uint8_t)(e >> (8 * (sizeof e - 1 - i)));
    return rlab_bt_mp_new(mp, b, sizeof b);
}

/*
 * see backend.h
 *
 * e = 65537: botan_privkey_create("RSA", bits), the library's own key
 * generation.  Any other e: the FFI cannot pass e, so the primes are drawn
 * here (bt_math.c, with botan_mp_rand_bits and botan_mp_is_prime) and the
 * key made by botan_privkey_load_rsa(p, q, e).  Either way every byte of
 * randomness comes from g.rng, so a caller's generator replays the key.
 */
int rlab_bt_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                   rlab_key **out)
{
    *out = NULL;
    if (e < 3 || (e & 1) == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "e must be odd and >= 3");
    if (bits < 1024 || bits > 16384)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "Botan 2 generates RSA keys of 1024 bits and more");
    struct bt_key *bk = rlab_bt_key_new();
    if (bk == NULL)
        return RLAB_ERR_NOMEM;
    struct bt_rng g;
    botan_mp_t me = NULL, p = NULL, q = NULL;
    int rc = rlab_bt_rng_begin(&g, rng);
    if (rc != RLAB_OK)
        goto done;
    int r;
    if (e == 65537) {
        char size[16];
        snprintf(size, sizeof size, "%u", bits);
        r = botan_privkey_create(&bk->priv, "RSA", size, g.rng);
    } else {
        rc = bt_mp_ulong(&me, e);
        if (rc == RLAB_OK)
            rc = rlab_bt_mp_new(&p, NULL, 0);
        if (rc == RLAB_OK)
            rc = rlab_bt_mp_new(&q, NULL, 0);
        if (rc == RLAB_OK)
            rc = rlab_bt_gen_primes(bits, me, g.rng, p, q);
        if (rc != RLAB_OK)
            goto done;
        r = botan_privkey_load_rsa(&bk->priv, p, q, me);
    }
    if (r != BOTAN_FFI_SUCCESS) {
        bk->priv = NULL;
        rc = rlab_bt_fail(g.failed ? RLAB_ERR_RNG : RLAB_ERR_KEYGEN, "botan_privkey_create", r);
        goto done;
    }
    rc = rlab_bt_key_finish(bk);
    if (rc == RLAB_OK && bk->base.bits != bits)
        rc = rlab_error_set(RLAB_ERR_KEYGEN, "Botan made %u bits, not %u", bk->base.bits,
                            bits);
done:
    rlab_bt_rng_end(&g);
    if (me != NULL)
        botan_mp_destroy(me);
    if (p != NULL)
        botan_mp_destroy(p);
    if (q != NULL)
        botan_mp_destroy(q);
    if (rc != RLAB_OK) {
        rlab_bt_key_free(&bk->base);
        return rc;
    }
    *out = &bk->base;
    return RLAB_OK;
}

/* A public key from n and e (big-endian). */
static int bt_load_public(struct bt_key *bk, const struct rlab_buf *nb, const struct rlab_buf *eb)
{
    botan_mp_t n = NULL, e = NULL;
    int rc = rlab_bt_mp_new(&n, nb->data, nb->len);
    if (rc == RLAB_OK)
        rc = rlab_bt_mp_new(&e, eb->data, eb->len);
    if (rc == RLAB_OK)
        rc = rlab_bt_check_public(n, e);
    if (rc == RLAB_OK) {
        int r = botan_pubkey_load_rsa(&bk->pub, n, e);
        if (r != BOTAN_FFI_SUCCESS) {
            bk->pub = NULL;
            rc = rlab_bt_fail(RLAB_ERR_KEY_INVALID, "botan_pubkey_load_rsa", r);
        }
    }
    if (n != NULL)
        botan_mp_destroy(n);
    if (e != NULL)
        botan_mp_destroy(e);
    return rc;
}

/* see backend.h */
int rlab_bt_from_components(const struct rlab_components *c, rlab_key **out)
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

    struct bt_key *bk = rlab_bt_key_new();
    if (bk == NULL)
        return RLAB_ERR_NOMEM;
    struct rlab_buf v[8], der = RLAB_BUF_INIT;
    memset(v, 0, sizeof v);
    int rc;
    if (c->d.len == 0) {
        rc = bt_load_public(bk, &c->n, &c->e);
    } else {
        const struct rlab_buf *src[8] = {&c->n, &c->e, &c->d, &c->p,
                                         &c->q, &c->dp, &c->dq, &c->qinv};
        rc = RLAB_OK;
        for (int i = 0; rc == RLAB_OK && i < 8; i++)
            if (src[i]->len > 0)
                rc = rlab_buf_set(&v[i], src[i]->data, src[i]->len);
        if (rc == RLAB_OK && n_crt == 0)
            rc = rlab_bt_complete(v);
        /* Check before Botan sees the numbers: its loader takes them as
         * they are. */
        if (rc == RLAB_OK)
            rc = rlab_bt_check_private(v);
        if (rc == RLAB_OK) {
            /* Borrowed views of v, which is cleared below. */
            const struct rlab_components rsa = {.n = v[0], .e = v[1], .d = v[2], .p = v[3],
                                                .q = v[4], .dp = v[5], .dq = v[6], .qinv = v[7]};
            rc = rlab_keycodec_der_encode(&rsa, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, &der);
        }
        if (rc == RLAB_OK) {
            int r = botan_privkey_load_rsa_pkcs1(&bk->priv, der.data, der.len);
            if (r != BOTAN_FFI_SUCCESS) {
                bk->priv = NULL;
                rc = rlab_bt_fail(RLAB_ERR_KEY_INVALID, "botan_privkey_load_rsa_pkcs1", r);
            }
        }
    }
    if (rc == RLAB_OK)
        rc = rlab_bt_key_finish(bk);
    bt_values_clear(v);
    rlab_buf_clear(&der);
    if (rc != RLAB_OK) {
        rlab_bt_key_free(&bk->base);
        return rc;
    }
    *out = &bk->base;
    return RLAB_OK;
}

/* see backend.h */
int rlab_bt_to_components(const rlab_key *k, struct rlab_components *out)
{
    const struct rlab_components empty = {0};
    struct bt_key *bk = rlab_bt_key(k);
    *out = empty;
    if (bk == NULL)
        return RLAB_ERR_INVALID_ARG;
    struct rlab_buf v[8];
    memset(v, 0, sizeof v);
    int rc = bt_values(bk, v);
    if (rc != RLAB_OK) {
        bt_values_clear(v);
        return rc;
    }
    struct rlab_buf *dst[8] = {&out->n, &out->e, &out->d, &out->p,
                               &out->q, &out->dp, &out->dq, &out->qinv};
    for (int i = 0; i < 8; i++)
        *dst[i] = v[i];
    return RLAB_OK;
}
