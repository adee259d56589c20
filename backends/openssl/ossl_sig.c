/*
 * OpenSSL backend: RSA signatures (PSS and PKCS#1 v1.5) over a digest,
 * through EVP_PKEY_sign / EVP_PKEY_verify with the signature digest set as
 * an OSSL_PARAM (so v1.5 wraps the digest in its DigestInfo).
 *
 * Verification answers RLAB_OK or RLAB_ERR_VERIFY for anything wrong with
 * the signature (length, padding, salt length, key); only a bad argument
 * (foreign key, unknown hash, digest of the wrong length) is
 * RLAB_ERR_INVALID_ARG; a salt too long for the key is RLAB_ERR_MSG_TOO_LONG
 * when signing, as on every backend.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "base/ct.h"
#include "backends/openssl/ossl_internal.h"

struct ossl_sig_req {
    EVP_PKEY *pk;
    OSSL_PARAM params[5];
    int salt;          /* storage for the PSS salt-length parameter */
    int pss;           /* 1 for PSS, 0 for v1.5 */
    rlab_hash hash, mgf1;
};

/* Cache tag: the hash, the MGF1 hash and the salt length (set by then). */
static uint32_t ossl_sig_tag(const struct ossl_sig_req *r)
{
    return (uint32_t)r->hash | (uint32_t)r->mgf1 << 8 | (uint32_t)(r->salt + 2) << 16;
}

/* Checks shared by all four slots; fills r->params for `mode`. */
static int ossl_sig_setup(struct ossl_sig_req *r, const rlab_key *k,
                          const char *mode, rlab_hash hash, rlab_hash mgf1,
                          const uint8_t *digest, size_t digest_len)
{
    r->pk = rlab_ossl_pkey(k);
    const char *md = rlab_ossl_md_name(hash);
    if (r->pk == NULL || md == NULL || digest == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (digest_len != rlab_hash_len(hash))
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "openssl: a %s digest is %zu bytes, got %zu",
                              rlab_hash_name(hash), rlab_hash_len(hash), digest_len);
    r->pss = strcmp(mode, OSSL_PKEY_RSA_PAD_MODE_PSS) == 0;
    r->hash = hash;
    r->mgf1 = r->pss ? mgf1 : hash;
    r->salt = 0;
    size_t i = 0;
    r->params[i++] = OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE,
                                                      (char *)mode, 0);
    r->params[i++] = OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST,
                                                      (char *)md, 0);
    if (r->pss) {
        const char *mgf = rlab_ossl_md_name(mgf1);
        if (mgf == NULL)
            return RLAB_ERR_INVALID_ARG;
        r->params[i++] = OSSL_PARAM_construct_utf8_string(
            OSSL_SIGNATURE_PARAM_MGF1_DIGEST, (char *)mgf, 0);
        r->params[i++] = OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_PSS_SALTLEN,
                                                  &r->salt);
    }
    r->params[i] = OSSL_PARAM_construct_end();
    return RLAB_OK;
}

static int ossl_sign(struct ossl_sig_req *r, const rlab_key *k,
                     const uint8_t *digest, size_t digest_len, uint8_t *sig,
                     size_t cap, size_t *sig_len)
{
    if (!k->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    size_t kb = rlab_key_size(k);
    if (sig == NULL || cap < kb)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    size_t olen = cap;
    EVP_PKEY_CTX *ctx = rlab_ossl_ctx(
        k, r->pss ? OSSL_SLOT_SIGN_PSS : OSSL_SLOT_SIGN_V15, ossl_sig_tag(r), r->params);
    int ok = ctx != NULL && EVP_PKEY_sign(ctx, sig, &olen, digest, digest_len) == 1 &&
             olen == kb;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) {
        rlab_wipe(sig, cap);
        return rlab_ossl_fail(RLAB_ERR_BACKEND, "EVP_PKEY_sign");
    }
    *sig_len = olen;
    return RLAB_OK;
}

static int ossl_verify(struct ossl_sig_req *r, const rlab_key *k,
                       const uint8_t *digest, size_t digest_len,
                       const uint8_t *sig, size_t sig_len)
{
    /* A signature is exactly k bytes (RFC 8017 8.1.2 / 8.2.2 step 1);
     * OpenSSL alone would accept a shorter integer. */
    if (sig == NULL || sig_len != rlab_key_size(k))
        return rlab_ossl_quiet(RLAB_ERR_VERIFY, "openssl: signature is not k bytes");
    EVP_PKEY_CTX *ctx = rlab_ossl_ctx(
        k, r->pss ? OSSL_SLOT_VERIFY_PSS : OSSL_SLOT_VERIFY_V15, ossl_sig_tag(r), r->params);
    if (ctx == NULL) {
        return rlab_ossl_fail(RLAB_ERR_BACKEND, "EVP_PKEY_verify_init_ex");
    }
    int ok = EVP_PKEY_verify(ctx, sig, sig_len, digest, digest_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return rlab_ossl_fail(RLAB_ERR_VERIFY, "EVP_PKEY_verify");
    return RLAB_OK;
}

/* ---- PSS --------------------------------------------------------------- */

/* The salt must fit: emLen >= hLen + sLen + 2, emLen = ceil((bits - 1) / 8). */
static int ossl_pss_fits(const rlab_key *k, rlab_hash h, int salt)
{
    size_t em = ((size_t)k->bits - 1 + 7) / 8;
    return em >= rlab_hash_len(h) + (size_t)salt + 2;
}

/* see backend.h */
int rlab_ossl_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                       const struct rlab_rng *rng, const uint8_t *digest,
                       size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    if (sig_len == NULL)
        return RLAB_ERR_INVALID_ARG;
    size_t cap = *sig_len;
    *sig_len = 0;
    struct ossl_sig_req r;
    if (p == NULL)
        return RLAB_ERR_INVALID_ARG;
    int rc = ossl_sig_setup(&r, k, OSSL_PKEY_RSA_PAD_MODE_PSS, p->hash, p->mgf1_hash,
                            digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    if (rng != NULL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "openssl: EVP cannot take PSS salts from the caller");
    if (p->salt_len < 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "openssl: signing needs an explicit salt length");
    if (!ossl_pss_fits(k, p->hash, p->salt_len))
        return rlab_error_set(RLAB_ERR_MSG_TOO_LONG,
                              "openssl: salt of %d bytes too long for a %u-bit key with %s",
                              p->salt_len, k->bits, rlab_hash_name(p->hash));
    r.salt = p->salt_len;
    return ossl_sign(&r, k, digest, digest_len, sig, cap, sig_len);
}

/* see backend.h */
int rlab_ossl_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len)
{
    struct ossl_sig_req r;
    if (p == NULL || p->salt_len < RLAB_PSS_SALT_AUTO)
        return RLAB_ERR_INVALID_ARG;
    int rc = ossl_sig_setup(&r, k, OSSL_PKEY_RSA_PAD_MODE_PSS, p->hash, p->mgf1_hash,
                            digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    /* An explicit length is enforced by OpenSSL (the recovered salt must be
     * exactly that long); AUTO recovers it from the padding. */
    r.salt = p->salt_len == RLAB_PSS_SALT_AUTO ? RSA_PSS_SALTLEN_AUTO : p->salt_len;
    if (p->salt_len != RLAB_PSS_SALT_AUTO && !ossl_pss_fits(k, p->hash, p->salt_len))
        return rlab_ossl_quiet(RLAB_ERR_VERIFY,
                               "openssl: salt length impossible for this key");
    return ossl_verify(&r, k, digest, digest_len, sig, sig_len);
}

/* ---- PKCS#1 v1.5 ------------------------------------------------------- */

/* see backend.h */
int rlab_ossl_pkcs1_sign(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len, uint8_t *sig,
                         size_t *sig_len)
{
    if (sig_len == NULL)
        return RLAB_ERR_INVALID_ARG;
    size_t cap = *sig_len;
    *sig_len = 0;
    struct ossl_sig_req r;
    int rc = ossl_sig_setup(&r, k, OSSL_PKEY_RSA_PAD_MODE_PKCSV15, hash, hash,
                            digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    /* DigestInfo is 15 (SHA-1) or 19 (SHA-2) bytes plus the digest, and
     * needs 11 bytes of padding around it. */
    size_t t = (hash == RLAB_HASH_SHA1 ? 15 : 19) + digest_len;
    if (rlab_key_size(k) < t + 11)
        return rlab_error_set(RLAB_ERR_MSG_TOO_LONG,
                              "openssl: a %u-bit key is too small for %s DigestInfo",
                              k->bits, rlab_hash_name(hash));
    return ossl_sign(&r, k, digest, digest_len, sig, cap, sig_len);
}

/* see backend.h */
int rlab_ossl_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len)
{
    struct ossl_sig_req r;
    int rc = ossl_sig_setup(&r, k, OSSL_PKEY_RSA_PAD_MODE_PKCSV15, hash, hash,
                            digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    return ossl_verify(&r, k, digest, digest_len, sig, sig_len);
}
