/*
 * Keys of the mbedTLS backend: generation, components in and out, freeing.
 * Contracts in backends/backend.h; the key struct in mbed_internal.h.
 */
#include <limits.h>
#include <stdlib.h>

#include <mbedtls/bignum.h>

#include "base/ct.h"
#include "backends/mbedtls/mbed_internal.h"

/* see mbed_internal.h */
struct mbed_key *rlab_mbed_key_new(void)
{
    struct mbed_key *mk = calloc(1, sizeof *mk);
    if (mk == NULL)
        return NULL;
    if (pthread_mutex_init(&mk->lock, NULL) != 0) {
        free(mk);
        return NULL;
    }
    mk->base.be = &rlab_backend_mbedtls;
    mbedtls_pk_init(&mk->pk);
    return mk;
}

/* see backend.h; mbedtls_pk_free -> mbedtls_rsa_free zeroizes every MPI */
void rlab_mbed_key_free(rlab_key *k)
{
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL)
        return;
    mbedtls_pk_free(&mk->pk);
    pthread_mutex_destroy(&mk->lock);
    rlab_free_secret(mk, sizeof *mk);
}

/* see mbed_internal.h */
int rlab_mbed_key_finish(struct mbed_key *mk, int priv)
{
    if (mbedtls_pk_get_type(&mk->pk) != MBEDTLS_PK_RSA)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "not an RSA key");
    const mbedtls_rsa_context *rsa = mbedtls_pk_rsa(mk->pk);
    /* check_pubkey: n odd, >= 128 bits, within MBEDTLS_MPI_MAX_SIZE; e odd,
     * 3 <= e < n.  check_privkey adds n = p*q, e*d = 1 mod p-1 and q-1, and
     * dp, dq, qinv consistent with p, q, d. */
    int ret = mbedtls_rsa_check_pubkey(rsa);
    if (ret != 0)
        return rlab_mbed_fail(RLAB_ERR_KEY_INVALID, "mbedtls_rsa_check_pubkey", ret);
    if (priv) {
        ret = mbedtls_rsa_check_privkey(rsa);
        if (ret != 0)
            return rlab_mbed_fail(RLAB_ERR_KEY_INVALID, "mbedtls_rsa_check_privkey",
                                  ret);
    }
    mk->base.bits = (unsigned)mbedtls_mpi_bitlen(&rsa->N);
    mk->base.has_private = priv;
    return RLAB_OK;
}

static int mbed_setup_rsa(struct mbed_key *mk)
{
    int ret = mbedtls_pk_setup(&mk->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
    return ret == 0 ? RLAB_OK : rlab_mbed_fail(RLAB_ERR_NOMEM, "mbedtls_pk_setup", ret);
}

/* see backend.h */
int rlab_mbed_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                     rlab_key **out)
{
    *out = NULL;
    if (e < 3 || (e & 1) == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "e must be odd and >= 3");
    if (bits < 128 || bits > MBEDTLS_MPI_MAX_BITS || bits % 2 != 0)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "mbedtls_rsa_gen_key (2.28) makes only even sizes "
                              "of 128 to %d bits",
                              MBEDTLS_MPI_MAX_BITS);
    if (e > INT_MAX)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "mbedtls_rsa_gen_key (2.28) takes e as an int");

    struct mbed_key *mk = rlab_mbed_key_new();
    if (mk == NULL)
        return RLAB_ERR_NOMEM;
    int rc = mbed_setup_rsa(mk);
    if (rc != RLAB_OK)
        goto fail;

    /* No private-key operation runs inside gen_key, so every byte it draws
     * may come from the caller's generator (first_len = SIZE_MAX). */
    struct mbed_rng a;
    rlab_mbed_rng_setup(&a, rng, SIZE_MAX);
    int ret = mbedtls_rsa_gen_key(mbedtls_pk_rsa(mk->pk), rlab_mbed_rng_fn, &a,
                                  bits, (int)e);
    if (ret != 0) {
        rc = rlab_mbed_fail(a.failed ? RLAB_ERR_RNG : RLAB_ERR_KEYGEN,
                            "mbedtls_rsa_gen_key", ret);
        goto fail;
    }
    rc = rlab_mbed_key_finish(mk, 1);
    if (rc != RLAB_OK)
        goto fail;
    *out = &mk->base;
    return RLAB_OK;
fail:
    rlab_mbed_key_free(&mk->base);
    return rc;
}

static const unsigned char *mbed_opt(const struct rlab_buf *b)
{
    return b->len > 0 ? b->data : NULL;
}

/* Do the CRT values the caller gave match those mbedTLS derived?  They are
 * unique (dp = d mod p-1 is the inverse of e mod p-1, qinv the inverse of q
 * mod p), so any other value is an inconsistent key.  The comparison runs on
 * secrets with mbedtls_mpi_cmp_mpi, whose timing depends on the values; the
 * outcome (match or refuse the key) is public anyway. */
static int mbed_crt_match(const mbedtls_rsa_context *rsa,
                          const struct rlab_components *c)
{
    mbedtls_mpi dp, dq, qp, x;
    mbedtls_mpi_init(&dp);
    mbedtls_mpi_init(&dq);
    mbedtls_mpi_init(&qp);
    mbedtls_mpi_init(&x);
    int rc = RLAB_ERR_KEY_INVALID;
    if (mbedtls_rsa_export_crt(rsa, &dp, &dq, &qp) != 0)
        goto done;
    if (mbedtls_mpi_read_binary(&x, c->dp.data, c->dp.len) != 0 ||
        mbedtls_mpi_cmp_mpi(&x, &dp) != 0)
        goto done;
    if (mbedtls_mpi_read_binary(&x, c->dq.data, c->dq.len) != 0 ||
        mbedtls_mpi_cmp_mpi(&x, &dq) != 0)
        goto done;
    if (mbedtls_mpi_read_binary(&x, c->qinv.data, c->qinv.len) != 0 ||
        mbedtls_mpi_cmp_mpi(&x, &qp) != 0)
        goto done;
    rc = RLAB_OK;
done:
    mbedtls_mpi_free(&dp); /* mbedtls_mpi_free zeroizes */
    mbedtls_mpi_free(&dq);
    mbedtls_mpi_free(&qp);
    mbedtls_mpi_free(&x);
    return rc == RLAB_OK ? RLAB_OK
                         : rlab_error_set(rc, "dp, dq or qinv does not match p, q, d");
}

/* see backend.h */
int rlab_mbed_from_components(const struct rlab_components *c, rlab_key **out)
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
    int priv = c->d.len > 0 || have_p;

    struct mbed_key *mk = rlab_mbed_key_new();
    if (mk == NULL)
        return RLAB_ERR_NOMEM;
    int rc = mbed_setup_rsa(mk);
    if (rc != RLAB_OK)
        goto fail;
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(mk->pk);
    int ret = mbedtls_rsa_import_raw(rsa, c->n.data, c->n.len, mbed_opt(&c->p),
                                     c->p.len, mbed_opt(&c->q), c->q.len,
                                     mbed_opt(&c->d), c->d.len, c->e.data, c->e.len);
    if (ret != 0) {
        rc = rlab_mbed_fail(RLAB_ERR_KEY_INVALID, "mbedtls_rsa_import_raw", ret);
        goto fail;
    }
    /* Derives what is missing (p and q from n, e, d; the CRT values) and
     * checks the context is usable; consistency is key_finish's job. */
    ret = mbedtls_rsa_complete(rsa);
    if (ret != 0) {
        rc = rlab_mbed_fail(RLAB_ERR_KEY_INVALID, "mbedtls_rsa_complete", ret);
        goto fail;
    }
    rc = rlab_mbed_key_finish(mk, priv);
    if (rc == RLAB_OK && n_crt == 3)
        rc = mbed_crt_match(rsa, c);
    if (rc != RLAB_OK)
        goto fail;
    *out = &mk->base;
    return RLAB_OK;
fail:
    rlab_mbed_key_free(&mk->base);
    return rc;
}

static int mbed_mpi_out(const mbedtls_mpi *x, struct rlab_buf *b)
{
    size_t n = mbedtls_mpi_size(x);
    int rc = rlab_buf_alloc(b, n > 0 ? n : 1);
    if (rc != RLAB_OK)
        return rc;
    if (mbedtls_mpi_write_binary(x, b->data, b->len) != 0)
        return RLAB_ERR_BACKEND;
    return RLAB_OK;
}

/* see backend.h */
int rlab_mbed_to_components(const rlab_key *k, struct rlab_components *out)
{
    const struct rlab_components empty = {0};
    struct mbed_key *mk = rlab_mbed_key(k);
    *out = empty;
    if (mk == NULL)
        return RLAB_ERR_INVALID_ARG;
    const mbedtls_rsa_context *rsa = mbedtls_pk_rsa(mk->pk);
    int priv = mk->base.has_private;

    /* N, E and the private values never change after creation, so no lock
     * is needed to read them (the lock guards padding, hash and blinding). */
    mbedtls_mpi x[8];
    for (int i = 0; i < 8; i++)
        mbedtls_mpi_init(&x[i]);
    int rc = RLAB_ERR_BACKEND;
    if (priv) {
        if (mbedtls_rsa_export(rsa, &x[0], &x[3], &x[4], &x[2], &x[1]) != 0 ||
            mbedtls_rsa_export_crt(rsa, &x[5], &x[6], &x[7]) != 0)
            goto done;
    } else if (mbedtls_rsa_export(rsa, &x[0], NULL, NULL, NULL, &x[1]) != 0) {
        goto done;
    }
    struct rlab_buf *dst[8] = {&out->n,  &out->e,  &out->d,  &out->p,
                               &out->q,  &out->dp, &out->dq, &out->qinv};
    for (int i = 0; i < (priv ? 8 : 2); i++) {
        rc = mbed_mpi_out(&x[i], dst[i]);
        if (rc != RLAB_OK)
            goto done;
    }
    rc = RLAB_OK;
done:
    for (int i = 0; i < 8; i++)
        mbedtls_mpi_free(&x[i]);
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}
