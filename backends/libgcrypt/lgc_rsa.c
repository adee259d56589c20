/*
 * RSA operations of the libgcrypt backend, all through the S-expression
 * API: gcry_pk_encrypt / decrypt / sign / verify with a (data (flags ...))
 * or (enc-val (flags ...)) expression naming the padding.  Contracts in
 * backends/backend.h; backends/ops.c has already checked sizes, keys and
 * capabilities.
 *
 * Private operations: libgcrypt blinds every RSA decryption and signature
 * unless the caller asks for (flags no-blinding), which we never do, and
 * checks every signature with the public exponent before returning it
 * (rsa.c, rsa_sign); raw private therefore goes through gcry_pk_sign with
 * (flags raw), to get that check.  Decryption (OAEP, v1.5) does not use
 * libgcrypt's decoders at all: lgc_unpad.c says why.
 *
 * Caller randomness: libgcrypt has no generator hook, but its padding
 * encoders take a (random-override <bytes>) element, meant for tests, that
 * replaces the random bytes of one operation: the OAEP seed, the PSS salt,
 * the v1.5 encryption padding.  With a caller rng we draw exactly those
 * bytes from it and pass them that way (RLAB_CAP_RNG_REPLAY); blinding
 * still comes from libgcrypt's own generator.
 *
 * Limits of 1.10: OAEP and PSS use one hash for the padding and MGF1; PSS
 * verification needs the salt length; the OAEP and v1.5 encoders refuse an
 * empty message (GPG_ERR_INV_OBJ): limit() says so for queries with
 * empty_msg, and the slots answer RLAB_ERR_UNSUPPORTED should one come.
 * gcry_pk_verify does not check s < n, so that range is checked here.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/libgcrypt/lgc_internal.h"
#include "base/ct.h"

static const char *lgc_hash_name(rlab_hash h)
{
    return gcry_md_algo_name(rlab_lgc_md(h));
}

/* Is the big-endian value in[0..len) below n?  (public input) */
static int lgc_below_n(const struct lgc_key *lk, const uint8_t *in, size_t len, gcry_mpi_t *x)
{
    *x = rlab_lgc_mpi(in, len, 0);
    return *x != NULL && gcry_mpi_cmp(*x, lk->n) < 0;
}

/* The MPI of element `name` in res as k bytes into out. */
static int lgc_result_mpi(const struct lgc_key *lk, gcry_sexp_t res, const char *name,
                          uint8_t *out, size_t *outlen)
{
    gcry_sexp_t l = gcry_sexp_find_token(res, name, 0);
    gcry_mpi_t x = l != NULL ? gcry_sexp_nth_mpi(l, 1, GCRYMPI_FMT_USG) : NULL;
    size_t k = rlab_key_size(&lk->base);
    int rc = x != NULL ? rlab_lgc_mpi_fixed(x, out, k)
                       : rlab_error_set(RLAB_ERR_BACKEND, "libgcrypt result without (%s)", name);
    gcry_mpi_release(x);
    gcry_sexp_release(l);
    if (rc == RLAB_OK)
        *outlen = k;
    return rc;
}

static int lgc_empty_message(void)
{
    return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                          "libgcrypt 1.10 refuses to pad an empty message (GPG_ERR_INV_OBJ)");
}

/* Encrypt data with the public key; the ciphertext (element a) into out. */
static int lgc_encrypt(const struct lgc_key *lk, gcry_sexp_t data, uint8_t *out,
                       size_t *outlen)
{
    gcry_sexp_t res = NULL;
    gcry_error_t e = gcry_pk_encrypt(&res, data, lk->pub);
    int rc = e == 0 ? lgc_result_mpi(lk, res, "a", out, outlen)
                    : rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_pk_encrypt", e);
    gcry_sexp_release(res);
    return rc;
}

/* Sign data with the private key; the signature (element s) into out. */
static int lgc_sign(const struct lgc_key *lk, gcry_sexp_t data, uint8_t *out, size_t *outlen)
{
    gcry_sexp_t res = NULL;
    gcry_error_t e = gcry_pk_sign(&res, data, lk->priv);
    int rc = RLAB_OK;
    if (e != 0)
        rc = rlab_lgc_fail(gcry_err_code(e) == GPG_ERR_BAD_SIGNATURE ? RLAB_ERR_FAULT
                                                                     : RLAB_ERR_BACKEND,
                           "gcry_pk_sign", e);
    else
        rc = lgc_result_mpi(lk, res, "s", out, outlen);
    gcry_sexp_release(res);
    return rc;
}

/* Verify sig (k bytes) over data; RLAB_OK or RLAB_ERR_VERIFY. */
static int lgc_verify(const struct lgc_key *lk, gcry_sexp_t data, const uint8_t *sig,
                      size_t sig_len)
{
    gcry_mpi_t s = NULL;
    gcry_sexp_t sv = NULL;
    int ok = data != NULL && lgc_below_n(lk, sig, sig_len, &s) &&
             gcry_sexp_build(&sv, NULL, "(sig-val (rsa (s %m)))", s) == 0 &&
             gcry_pk_verify(sv, data, lk->pub) == 0;
    gcry_sexp_release(sv);
    gcry_mpi_release(s);
    return ok ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* ---- OAEP ------------------------------------------------------------------------ */

/* see backend.h */
int rlab_lgc_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                          const struct rlab_rng *rng, const uint8_t *msg, size_t msg_len,
                          uint8_t *out, size_t *outlen)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    if (msg_len == 0)
        return lgc_empty_message();
    const char *label = p->label_len > 0 ? (const char *)p->label : "";
    uint8_t seed[RLAB_HASH_MAX_LEN];
    size_t hl = rlab_hash_len(p->hash);
    int rc = rng != NULL ? rlab_lgc_draw(rng, seed, hl) : RLAB_OK;
    gcry_sexp_t data = NULL;
    gcry_error_t e = 0;
    if (rc == RLAB_OK && rng != NULL)
        e = gcry_sexp_build(&data, NULL,
                            "(data (flags oaep)(hash-algo %s)(label %b)(value %b)"
                            "(random-override %b))",
                            lgc_hash_name(p->hash), (int)p->label_len, label, (int)msg_len, msg,
                            (int)hl, seed);
    else if (rc == RLAB_OK)
        e = gcry_sexp_build(&data, NULL, "(data (flags oaep)(hash-algo %s)(label %b)(value %b))",
                            lgc_hash_name(p->hash), (int)p->label_len, label, (int)msg_len,
                            msg);
    if (rc == RLAB_OK)
        rc = e == 0 ? lgc_encrypt(lk, data, out, outlen)
                    : rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_sexp_build", e);
    gcry_sexp_release(data);
    rlab_wipe(seed, sizeof seed);
    return rc;
}

/* ---- PSS ------------------------------------------------------------------------- */

/* see backend.h */
int rlab_lgc_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                      const struct rlab_rng *rng, const uint8_t *digest, size_t digest_len,
                      uint8_t *sig, size_t *sig_len)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    size_t salt_len = (size_t)p->salt_len;
    int rc = RLAB_OK;
    gcry_sexp_t data = NULL;
    gcry_error_t e;
    if (rng != NULL && salt_len > 0) {
        uint8_t *salt = malloc(salt_len);
        if (salt == NULL)
            return RLAB_ERR_NOMEM;
        rc = rlab_lgc_draw(rng, salt, salt_len);
        e = gcry_sexp_build(&data, NULL,
                            "(data (flags pss)(hash %s %b)(salt-length %u)(random-override %b))",
                            lgc_hash_name(p->hash), (int)digest_len, digest, (unsigned)salt_len,
                            (int)salt_len, salt);
        rlab_free_secret(salt, salt_len);
    } else {
        e = gcry_sexp_build(&data, NULL, "(data (flags pss)(hash %s %b)(salt-length %u))",
                            lgc_hash_name(p->hash), (int)digest_len, digest, (unsigned)salt_len);
    }
    if (rc == RLAB_OK)
        rc = e == 0 ? lgc_sign(lk, data, sig, sig_len)
                    : rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_sexp_build", e);
    gcry_sexp_release(data);
    return rc;
}

/* see backend.h */
int rlab_lgc_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                        const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                        size_t sig_len)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    gcry_sexp_t data = NULL;
    gcry_sexp_build(&data, NULL, "(data (flags pss)(hash %s %b)(salt-length %u))",
                    lgc_hash_name(p->hash), (int)digest_len, digest, (unsigned)p->salt_len);
    int rc = lgc_verify(lk, data, sig, sig_len);
    gcry_sexp_release(data);
    return rc;
}

/* ---- PKCS#1 v1.5 ------------------------------------------------------------------- */

/* see backend.h; libgcrypt writes the DigestInfo from the hash's OID */
int rlab_lgc_pkcs1_sign(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                        size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    gcry_sexp_t data = NULL;
    gcry_error_t e = gcry_sexp_build(&data, NULL, "(data (flags pkcs1)(hash %s %b))",
                                     lgc_hash_name(hash), (int)digest_len, digest);
    int rc = e == 0 ? lgc_sign(lk, data, sig, sig_len)
                    : rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_sexp_build", e);
    gcry_sexp_release(data);
    return rc;
}

/* see backend.h; libgcrypt re-encodes the block and compares the numbers,
 * it does not parse the recovered DigestInfo */
int rlab_lgc_pkcs1_verify(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                          size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    gcry_sexp_t data = NULL;
    gcry_sexp_build(&data, NULL, "(data (flags pkcs1)(hash %s %b))", lgc_hash_name(hash),
                    (int)digest_len, digest);
    int rc = lgc_verify(lk, data, sig, sig_len);
    gcry_sexp_release(data);
    return rc;
}

/* v1.5 padding bytes from the caller: len non-zero bytes, a zero byte is
 * drawn again (as OpenSSL and mbedTLS do), one byte at a time. */
static int lgc_v15_padding(const struct rlab_rng *rng, uint8_t *ps, size_t len)
{
    int rc = rlab_lgc_draw(rng, ps, len);
    for (size_t i = 0; rc == RLAB_OK && i < len; i++)
        while (rc == RLAB_OK && ps[i] == 0)
            rc = rlab_lgc_draw(rng, ps + i, 1);
    return rc;
}

/* see backend.h */
int rlab_lgc_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    if (msg_len == 0)
        return lgc_empty_message();
    size_t ps_len = rlab_key_size(k) - 3 - msg_len; /* ops.c: msg_len <= k - 11 */
    gcry_sexp_t data = NULL;
    gcry_error_t e;
    int rc = RLAB_OK;
    if (rng != NULL) {
        uint8_t *ps = malloc(ps_len);
        if (ps == NULL)
            return RLAB_ERR_NOMEM;
        rc = lgc_v15_padding(rng, ps, ps_len);
        e = gcry_sexp_build(&data, NULL, "(data (flags pkcs1)(value %b)(random-override %b))",
                            (int)msg_len, msg, (int)ps_len, ps);
        rlab_free_secret(ps, ps_len);
    } else {
        e = gcry_sexp_build(&data, NULL, "(data (flags pkcs1)(value %b))", (int)msg_len, msg);
    }
    if (rc == RLAB_OK)
        rc = e == 0 ? lgc_encrypt(lk, data, out, outlen)
                    : rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_sexp_build", e);
    gcry_sexp_release(data);
    return rc;
}

/* ---- raw ------------------------------------------------------------------------- */

/* see backend.h */
int rlab_lgc_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len, uint8_t *out,
                        size_t *outlen)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    gcry_mpi_t x = NULL;
    gcry_sexp_t data = NULL;
    int rc = RLAB_ERR_RANGE;
    if (lgc_below_n(lk, in, in_len, &x)) {
        gcry_error_t e = gcry_sexp_build(&data, NULL, "(data (flags raw)(value %m))", x);
        rc = e == 0 ? lgc_encrypt(lk, data, out, outlen)
                    : rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_sexp_build", e);
    }
    gcry_sexp_release(data);
    gcry_mpi_release(x);
    return rc;
}

/* see backend.h; through gcry_pk_sign for its blinding and its check */
int rlab_lgc_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len, uint8_t *out,
                         size_t *outlen)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    gcry_mpi_t x = NULL;
    gcry_sexp_t data = NULL;
    int rc = RLAB_ERR_RANGE;
    if (lgc_below_n(lk, in, in_len, &x)) {
        gcry_error_t e = gcry_sexp_build(&data, NULL, "(data (flags raw)(value %m))", x);
        rc = e == 0 ? lgc_sign(lk, data, out, outlen)
                    : rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_sexp_build", e);
    }
    gcry_sexp_release(data);
    gcry_mpi_release(x);
    return rc;
}
