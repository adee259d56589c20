/*
 * OpenSSL backend: keys.  Key generation, components in and out, validation,
 * and the helpers every other file of the backend shares.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "base/ct.h"
#include "backends/openssl/ossl_internal.h"

/* ---- shared helpers ---------------------------------------------------- */

/* see ossl_internal.h */
EVP_PKEY *rlab_ossl_pkey(const rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_openssl)
        return NULL;
    return ((const struct ossl_key *)k)->pk;
}

/* see ossl_internal.h */
const char *rlab_ossl_md_name(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return "SHA1";
    case RLAB_HASH_SHA224: return "SHA2-224";
    case RLAB_HASH_SHA256: return "SHA2-256";
    case RLAB_HASH_SHA384: return "SHA2-384";
    case RLAB_HASH_SHA512: return "SHA2-512";
    case RLAB_HASH_SHA512_224: return "SHA2-512/224";
    case RLAB_HASH_SHA512_256: return "SHA2-512/256";
    case RLAB_HASH_SHA3_224: return "SHA3-224";
    case RLAB_HASH_SHA3_256: return "SHA3-256";
    case RLAB_HASH_SHA3_384: return "SHA3-384";
    case RLAB_HASH_SHA3_512: return "SHA3-512";
    case RLAB_HASH_SHAKE128: return "SHAKE-128";
    case RLAB_HASH_SHAKE256: return "SHAKE-256";
    default: return NULL;
    }
}

/* see ossl_internal.h */
int rlab_ossl_fail(int err, const char *what)
{
    unsigned long e = ERR_peek_error();
    const char *why = e != 0 ? ERR_reason_error_string(e) : NULL;
    if (why != NULL)
        rlab_error_set(err, "openssl: %s: %s", what, why);
    else
        rlab_error_set(err, "openssl: %s failed", what);
    ERR_clear_error();
    return err;
}

/* see ossl_internal.h */
int rlab_ossl_quiet(int err, const char *detail)
{
    ERR_clear_error();
    return rlab_error_set(err, "%s", detail);
}

/* see ossl_internal.h */
int rlab_ossl_has_private(const EVP_PKEY *pk)
{
    BIGNUM *d = NULL;
    int ok = EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_D, &d) == 1 &&
             d != NULL && !BN_is_zero(d);
    BN_clear_free(d);
    ERR_clear_error(); /* a public key's missing d is not an error here */
    return ok;
}

/* see ossl_internal.h */
int rlab_ossl_wrap(EVP_PKEY *pk, rlab_key **out)
{
    struct ossl_key *k = calloc(1, sizeof *k);
    if (k == NULL) {
        EVP_PKEY_free(pk);
        return RLAB_ERR_NOMEM;
    }
    k->lock = CRYPTO_THREAD_lock_new();
    if (k->lock == NULL) {
        free(k);
        EVP_PKEY_free(pk);
        return RLAB_ERR_NOMEM;
    }
    k->base.be = &rlab_backend_openssl;
    k->base.bits = (unsigned)EVP_PKEY_get_bits(pk);
    k->base.has_private = rlab_ossl_has_private(pk);
    k->pk = pk;
    *out = &k->base;
    return RLAB_OK;
}

/* see backend.h; EVP_PKEY_free clears the key's BIGNUMs itself */
void rlab_ossl_key_free(rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_openssl)
        return;
    struct ossl_key *ok = (struct ossl_key *)k;
    rlab_ossl_ctx_clear(ok);
    CRYPTO_THREAD_lock_free(ok->lock);
    EVP_PKEY_free(ok->pk);
    rlab_wipe(ok, sizeof *ok);
    free(ok);
}

/* ---- validation -------------------------------------------------------- */

/* see ossl_internal.h */
int rlab_ossl_has_factors(const EVP_PKEY *pk)
{
    BIGNUM *p = NULL;
    int ok = EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_FACTOR1, &p) == 1;
    BN_clear_free(p);
    ERR_clear_error();
    return ok;
}

/*
 * A key given as n, e, d only: OpenSSL has no factors to check, so show
 * that d undoes e on one fixed value below n (top byte zero).
 */
static int ossl_check_ed(EVP_PKEY *pk)
{
    size_t k = (size_t)EVP_PKEY_get_size(pk);
    uint8_t *buf = malloc(3 * k);
    if (buf == NULL)
        return RLAB_ERR_NOMEM;
    uint8_t *m = buf, *c = buf + k, *back = buf + 2 * k;
    m[0] = 0;
    for (size_t i = 1; i < k; i++)
        m[i] = (uint8_t)(0x5a ^ i);
    size_t clen = k, blen = k;
    int ok = 0;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
    if (ctx != NULL && EVP_PKEY_encrypt_init(ctx) == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1 &&
        EVP_PKEY_encrypt(ctx, c, &clen, m, k) == 1 &&
        EVP_PKEY_decrypt_init(ctx) == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1 &&
        EVP_PKEY_decrypt(ctx, back, &blen, c, clen) == 1)
        ok = blen == k && rlab_ct_equal(back, m, k);
    EVP_PKEY_CTX_free(ctx);
    rlab_free_secret(buf, 3 * k);
    ERR_clear_error();
    return ok ? RLAB_OK
              : rlab_error_set(RLAB_ERR_KEY_INVALID,
                               "openssl: d does not invert e modulo n");
}

/*
 * OpenSSL 3.0's public-key check looks for a factor of n with Miller-Rabin
 * at random bases, so a modulus with a small factor was refused only some of
 * the time (a fuzzer found one that passed about 29 times in 30).  Trial
 * division by every prime below 2^12 first makes that answer deterministic,
 * and matches the gmp backend's rule.
 */
static int ossl_small_factor_check(EVP_PKEY *pk)
{
    BIGNUM *n = NULL;
    if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) != 1)
        return rlab_ossl_fail(RLAB_ERR_KEY_INVALID, "EVP_PKEY_get_bn_param(n)");
    enum { LIMIT = 4096 };
    uint8_t composite[LIMIT] = {0};
    int rc = RLAB_OK;
    for (unsigned p = 2; p < LIMIT && rc == RLAB_OK; p++) {
        if (composite[p])
            continue;
        for (unsigned m = p * p; m < LIMIT; m += p)
            composite[m] = 1;
        BN_ULONG r = BN_mod_word(n, (BN_ULONG)p);
        if (r == (BN_ULONG)-1)
            rc = rlab_ossl_fail(RLAB_ERR_BACKEND, "BN_mod_word");
        else if (r == 0)
            rc = rlab_error_set(RLAB_ERR_KEY_INVALID, "openssl: n has the small factor %u", p);
    }
    BN_free(n);
    return rc;
}

/* see ossl_internal.h */
int rlab_ossl_validate(EVP_PKEY *pk, int is_private)
{
    if (!EVP_PKEY_is_a(pk, "RSA"))
        return rlab_error_set(RLAB_ERR_KEY_INVALID, "openssl: not an RSA key");
    int rc = ossl_small_factor_check(pk);
    if (rc != RLAB_OK)
        return rc;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
    if (ctx == NULL)
        return rlab_ossl_fail(RLAB_ERR_NOMEM, "EVP_PKEY_CTX_new_from_pkey");
    int full = is_private && rlab_ossl_has_factors(pk);
    int ok = full ? EVP_PKEY_check(ctx) : EVP_PKEY_public_check(ctx);
    EVP_PKEY_CTX_free(ctx);
    if (ok != 1)
        return rlab_ossl_fail(RLAB_ERR_KEY_INVALID,
                              full ? "EVP_PKEY_check" : "EVP_PKEY_public_check");
    if (is_private && !full)
        return ossl_check_ed(pk);
    return RLAB_OK;
}

/* ---- keygen ------------------------------------------------------------ */

static int ossl_keygen_primes(unsigned bits, size_t primes, unsigned long e,
                              const struct rlab_rng *rng, rlab_key **out);

/* see backend.h */
int rlab_ossl_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                     rlab_key **out)
{
    return ossl_keygen_primes(bits, 2, e, rng, out);
}

/* see backend.h: OSSL_PKEY_PARAM_RSA_PRIMES, which OpenSSL caps by size
 * itself (ossl_rsa_multip_cap, the rule of rlab_max_primes) */
int rlab_ossl_keygen_multi(unsigned bits, unsigned primes, unsigned long e,
                           const struct rlab_rng *rng, rlab_key **out)
{
    return ossl_keygen_primes(bits, primes, e, rng, out);
}

static int ossl_keygen_primes(unsigned bits, size_t primes, unsigned long e,
                              const struct rlab_rng *rng, rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    if (rng != NULL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "openssl: EVP key generation cannot take a "
                              "caller's random generator");
    if (bits < 512 || bits > 16384)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "openssl: modulus size %u outside 512..16384", bits);
    if (e < 3 || (e & 1) == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "openssl: public exponent must be odd and >= 3");

    int rc = RLAB_ERR_KEYGEN;
    size_t nbits = bits;
    EVP_PKEY *pk = NULL;
    BIGNUM *bn_e = BN_new();
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (bn_e == NULL || bld == NULL || ctx == NULL || !BN_set_word(bn_e, e) ||
        !OSSL_PARAM_BLD_push_size_t(bld, OSSL_PKEY_PARAM_RSA_BITS, nbits) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) ||
        !OSSL_PARAM_BLD_push_size_t(bld, OSSL_PKEY_PARAM_RSA_PRIMES, primes) ||
        (params = OSSL_PARAM_BLD_to_param(bld)) == NULL) {
        rc = rlab_ossl_fail(RLAB_ERR_NOMEM, "keygen parameters");
        goto done;
    }
    if (EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_CTX_set_params(ctx, params) != 1 ||
        EVP_PKEY_generate(ctx, &pk) != 1) {
        rc = rlab_ossl_fail(RLAB_ERR_KEYGEN, "EVP_PKEY_generate");
        goto done;
    }
    rc = rlab_ossl_wrap(pk, out);
done:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_e);
    return rc;
}

/* ---- components in ----------------------------------------------------- */

/*
 * OSSL_PARAM carries integers in native byte order.  We build those copies
 * ourselves (rather than through OSSL_PARAM_BLD, whose blocks are freed
 * without wiping) so that every secret byte is in memory we wipe.
 */
struct ossl_native {
    uint8_t *p;
    size_t len;
};

static int ossl_to_native(const struct rlab_buf *b, struct ossl_native *out)
{
    static const union {
        uint16_t u;
        uint8_t b[2];
    } probe = {1};
    out->len = b->len;
    out->p = malloc(b->len ? b->len : 1);
    if (out->p == NULL)
        return RLAB_ERR_NOMEM;
    for (size_t i = 0; i < b->len; i++)
        out->p[i] = probe.b[0] == 1 ? b->data[b->len - 1 - i] : b->data[i];
    return RLAB_OK;
}

static const char *const comp_names[8] = {
    OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
    OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
    OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
    OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
};

/* The primes after p and q (RFC 8017 3.2): OpenSSL names r_i FACTORi,
 * d_i EXPONENTi and t_i COEFFICIENT(i-1), for i = 3 .. 5. */
static const char *const comp_other[RLAB_MAX_PRIMES - 2][3] = {
    {OSSL_PKEY_PARAM_RSA_FACTOR3, OSSL_PKEY_PARAM_RSA_EXPONENT3,
     OSSL_PKEY_PARAM_RSA_COEFFICIENT2},
    {OSSL_PKEY_PARAM_RSA_FACTOR4, OSSL_PKEY_PARAM_RSA_EXPONENT4,
     OSSL_PKEY_PARAM_RSA_COEFFICIENT3},
    {OSSL_PKEY_PARAM_RSA_FACTOR5, OSSL_PKEY_PARAM_RSA_EXPONENT5,
     OSSL_PKEY_PARAM_RSA_COEFFICIENT4},
};

#define OSSL_COMP_MAX (8 + 3 * (RLAB_MAX_PRIMES - 2))

/* see backend.h */
int rlab_ossl_from_components(const struct rlab_components *c, rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    if (c == NULL)
        return RLAB_ERR_INVALID_ARG;
    const struct rlab_buf *in[OSSL_COMP_MAX] = {&c->n, &c->e, &c->d, &c->p,
                                                &c->q, &c->dp, &c->dq, &c->qinv};
    const char *names[OSSL_COMP_MAX];
    for (size_t i = 0; i < 8; i++)
        names[i] = comp_names[i];
    if (c->n_other > RLAB_MAX_PRIMES - 2)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "openssl: at most %u primes",
                              RLAB_MAX_PRIMES);
    for (size_t i = 0; i < c->n_other; i++) {
        const struct rlab_buf *o[3] = {&c->other[i].r, &c->other[i].d, &c->other[i].t};
        for (size_t j = 0; j < 3; j++) {
            if (o[j]->len == 0)
                return rlab_error_set(RLAB_ERR_INVALID_ARG,
                                      "openssl: prime r_%zu needs its exponent and "
                                      "coefficient", i + 3);
            in[8 + 3 * i + j] = o[j];
            names[8 + 3 * i + j] = comp_other[i][j];
        }
    }
    if (c->n.len == 0 || c->e.len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "openssl: n and e are required");
    size_t crt = 0;
    for (size_t i = 3; i < 8; i++)
        crt += in[i]->len > 0;
    if (crt != 0 && (crt != 5 || c->d.len == 0))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "openssl: give d with all of p, q, dp, dq, qinv or none");
    if (c->n_other > 0 && crt != 5)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "openssl: other primes need d, p, q, dp, dq and qinv");
    int is_private = c->d.len > 0;
    size_t count = !is_private ? 2 : crt ? 8 + 3 * c->n_other : 3;

    struct ossl_native nat[OSSL_COMP_MAX] = {{NULL, 0}};
    OSSL_PARAM params[OSSL_COMP_MAX + 1];
    int rc = RLAB_OK;
    for (size_t i = 0; i < count && rc == RLAB_OK; i++) {
        rc = ossl_to_native(in[i], &nat[i]);
        if (rc == RLAB_OK)
            params[i] = OSSL_PARAM_construct_BN(names[i], nat[i].p, nat[i].len);
    }
    params[count] = OSSL_PARAM_construct_end();

    EVP_PKEY *pk = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    if (rc == RLAB_OK) {
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
        if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
            EVP_PKEY_fromdata(ctx, &pk,
                              is_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                              params) != 1)
            rc = rlab_ossl_fail(RLAB_ERR_KEY_INVALID, "EVP_PKEY_fromdata");
    }
    EVP_PKEY_CTX_free(ctx);
    for (size_t i = 0; i < OSSL_COMP_MAX; i++)
        rlab_free_secret(nat[i].p, nat[i].len);
    if (rc == RLAB_OK)
        rc = rlab_ossl_validate(pk, is_private);
    if (rc != RLAB_OK) {
        EVP_PKEY_free(pk);
        return rc;
    }
    return rlab_ossl_wrap(pk, out);
}

/* ---- components out ---------------------------------------------------- */

/* Big-endian, minimal length (a zero value is one 0 byte). */
static int ossl_get_comp(const EVP_PKEY *pk, const char *name, struct rlab_buf *b)
{
    BIGNUM *bn = NULL;
    if (EVP_PKEY_get_bn_param(pk, name, &bn) != 1 || bn == NULL) {
        ERR_clear_error();
        return RLAB_ERR_NOT_FOUND;
    }
    size_t len = (size_t)BN_num_bytes(bn);
    int rc = rlab_buf_alloc(b, len ? len : 1);
    if (rc == RLAB_OK)
        BN_bn2binpad(bn, b->data, (int)b->len);
    BN_clear_free(bn);
    return rc;
}

/* see backend.h */
int rlab_ossl_to_components(const rlab_key *k, struct rlab_components *out)
{
    EVP_PKEY *pk = rlab_ossl_pkey(k);
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (pk == NULL)
        return RLAB_ERR_INVALID_ARG;
    struct rlab_buf *dst[8] = {&out->n, &out->e, &out->d, &out->p,
                               &out->q, &out->dp, &out->dq, &out->qinv};
    size_t count = k->has_private ? 8 : 2;
    int rc = RLAB_OK;
    for (size_t i = 0; i < count && rc == RLAB_OK; i++) {
        rc = ossl_get_comp(pk, comp_names[i], dst[i]);
        if (rc == RLAB_ERR_NOT_FOUND && i >= 3) {
            /* n, e, d only: the CRT values are all absent, not an error */
            for (size_t j = 3; j < 8; j++)
                rlab_buf_clear(dst[j]);
            rc = RLAB_OK;
            break;
        }
    }
    /* the primes after p and q, while OpenSSL has them */
    for (size_t i = 0; rc == RLAB_OK && k->has_private && out->qinv.len > 0 &&
                       i < RLAB_MAX_PRIMES - 2;
         i++) {
        struct rlab_prime_info *o = &out->other[i];
        rc = ossl_get_comp(pk, comp_other[i][0], &o->r);
        if (rc == RLAB_ERR_NOT_FOUND) {
            rc = RLAB_OK;
            break;
        }
        out->n_other = i + 1;
        if (rc == RLAB_OK)
            rc = ossl_get_comp(pk, comp_other[i][1], &o->d);
        if (rc == RLAB_OK)
            rc = ossl_get_comp(pk, comp_other[i][2], &o->t);
    }
    if (rc != RLAB_OK) {
        rlab_components_clear(out);
        return rc == RLAB_ERR_NOT_FOUND
                   ? rlab_error_set(RLAB_ERR_BACKEND, "openssl: key lacks n, e or d")
                   : rc;
    }
    return RLAB_OK;
}
