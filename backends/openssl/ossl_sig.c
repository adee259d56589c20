/*
 * OpenSSL backend: RSA signatures (PSS and PKCS#1 v1.5) over a digest,
 * through EVP_PKEY_sign / EVP_PKEY_verify with the signature digest set as
 * an OSSL_PARAM (so v1.5 wraps the digest in its DigestInfo).
 *
 * The entry points (backends/ops.h) have checked the key, the digest
 * length, the explicit salt, the output capacity, the signature length and
 * whether the salt or DigestInfo fits the key before a slot here runs.
 * Verification answers RLAB_OK or RLAB_ERR_VERIFY for anything wrong with
 * the signature (padding, salt length, key).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "base/ct.h"
#include "backends/openssl/ossl_internal.h"

struct ossl_sig_req {
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

/* The request of all four slots: fills r->params for `mode`. */
static void ossl_sig_setup(struct ossl_sig_req *r, const char *mode, rlab_hash hash,
                           rlab_hash mgf1)
{
    const char *md = rlab_ossl_md_name(hash);
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
        r->params[i++] = OSSL_PARAM_construct_utf8_string(
            OSSL_SIGNATURE_PARAM_MGF1_DIGEST, (char *)mgf, 0);
        r->params[i++] = OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_PSS_SALTLEN,
                                                  &r->salt);
    }
    r->params[i] = OSSL_PARAM_construct_end();
}

/* sig has room for k bytes (ops.c); *sig_len is the capacity on entry. */
static int ossl_sign(struct ossl_sig_req *r, const rlab_key *k,
                     const uint8_t *digest, size_t digest_len, uint8_t *sig,
                     size_t *sig_len)
{
    size_t kb = rlab_key_size(k), cap = *sig_len, olen = cap;
    *sig_len = 0;
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
    /* sig is exactly k bytes (RFC 8017 8.1.2 / 8.2.2 step 1), checked by
     * ops.c: OpenSSL alone would accept a shorter integer. */
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

/* Can the salt fit: emLen >= hLen + sLen + 2, emLen = ceil((bits - 1) / 8)? */
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
    (void)rng; /* NULL: no RLAB_CAP_RNG_REPLAY, so ops.c refused a caller's */
    struct ossl_sig_req r;
    ossl_sig_setup(&r, OSSL_PKEY_RSA_PAD_MODE_PSS, p->hash, p->mgf1_hash);
    r.salt = p->salt_len; /* explicit and fitting the key (ops.c) */
    return ossl_sign(&r, k, digest, digest_len, sig, sig_len);
}

/* see backend.h */
int rlab_ossl_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len)
{
    struct ossl_sig_req r;
    ossl_sig_setup(&r, OSSL_PKEY_RSA_PAD_MODE_PSS, p->hash, p->mgf1_hash);
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
    struct ossl_sig_req r;
    ossl_sig_setup(&r, OSSL_PKEY_RSA_PAD_MODE_PKCSV15, hash, hash);
    return ossl_sign(&r, k, digest, digest_len, sig, sig_len);
}

/* see backend.h */
int rlab_ossl_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len)
{
    struct ossl_sig_req r;
    ossl_sig_setup(&r, OSSL_PKEY_RSA_PAD_MODE_PKCSV15, hash, hash);
    return ossl_verify(&r, k, digest, digest_len, sig, sig_len);
}
