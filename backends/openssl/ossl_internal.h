/*
 * Shared pieces of the OpenSSL 3 backend (EVP / OSSL_PARAM / OSSL_DECODER /
 * OSSL_ENCODER only; built with OPENSSL_NO_DEPRECATED to prove it).
 *
 * Functions shared between the backend's files are extern, so they carry the
 * `rlab_ossl_` prefix: a bare `ossl_` name could interpose one of libcrypto's
 * own exported internal symbols.  The slot functions themselves are declared
 * here and gathered into rlab_backend_openssl at the end of openssl.c.
 */
#ifndef RLAB_OSSL_INTERNAL_H
#define RLAB_OSSL_INTERNAL_H

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "backends/backend.h"

extern const struct rlab_backend rlab_backend_openssl;

/*
 * Operation kinds with a cached template context per key (ossl_ctx.c).
 * One slot per (operation, padding) so that a caller alternating PSS and
 * v1.5 on one key does not evict its own templates.
 */
enum ossl_slot {
    OSSL_SLOT_SIGN_PSS = 0,
    OSSL_SLOT_SIGN_V15,
    OSSL_SLOT_VERIFY_PSS,
    OSSL_SLOT_VERIFY_V15,
    OSSL_SLOT_ENC_OAEP,
    OSSL_SLOT_DEC_OAEP,
    OSSL_SLOT_ENC_V15,
    OSSL_SLOT_DEC_V15,
    OSSL_SLOT_ENC_RAW,
    OSSL_SLOT_DEC_RAW,
    OSSL_SLOT_COUNT
};

/* A tag that is never cached (an OAEP label, say, which no tag can name). */
#define OSSL_TAG_NONE UINT32_MAX

/* Our key: the base first, so an rlab_key * converts back. */
struct ossl_key {
    struct rlab_key base;
    EVP_PKEY *pk;        /* owned; an RSA key (never RSA-PSS) */
    CRYPTO_RWLOCK *lock; /* guards tmpl: keys are shared between threads */
    struct {
        EVP_PKEY_CTX *ctx; /* initialised for the slot's operation, or NULL */
        uint32_t tag;      /* which parameters ctx was set up with */
    } tmpl[OSSL_SLOT_COUNT];
};

/*
 * A context ready for `slot`'s operation on k's key with `params`.  `tag`
 * names the parameters uniquely within the slot (hash, MGF1 hash, salt
 * length); OSSL_TAG_NONE skips the cache.  Why a cache: creating and
 * initialising an EVP_PKEY_CTX fetches the algorithm and digests by name,
 * which costs about 7 us, a fifth of an RSA-2048 public operation;
 * duplicating a prepared template costs a fraction of a microsecond.
 * The caller frees the result with EVP_PKEY_CTX_free.  NULL on failure,
 * with the reason left in OpenSSL's error queue.
 */
EVP_PKEY_CTX *rlab_ossl_ctx(const rlab_key *k, enum ossl_slot slot, uint32_t tag,
                            const OSSL_PARAM *params);

/* Release every cached template of a key. */
void rlab_ossl_ctx_clear(struct ossl_key *k);

/* The EVP_PKEY of a key of this backend, or NULL when k is NULL or belongs
 * to another backend (callers return RLAB_ERR_INVALID_ARG). */
EVP_PKEY *rlab_ossl_pkey(const rlab_key *k);

/* OpenSSL's algorithm name for a hash ("SHA2-256", ...), NULL for NONE or an
 * out-of-range value. */
const char *rlab_ossl_md_name(rlab_hash h);

/*
 * Record the library's first queued error as display detail (prefixed by
 * `what`), empty the error queue so nothing leaks into a later call, and
 * return `err`.  Never used for decryption failures: see rlab_ossl_quiet().
 */
int rlab_ossl_fail(int err, const char *what);

/* Empty the error queue and set only a generic detail; returns err. */
int rlab_ossl_quiet(int err, const char *detail);

/* Wrap pk (taking ownership) into a fresh key; runs no checks.  On failure
 * pk is freed.  Returns RLAB_OK or RLAB_ERR_NOMEM. */
int rlab_ossl_wrap(EVP_PKEY *pk, rlab_key **out);

/* 1 when pk holds a private exponent. */
int rlab_ossl_has_private(const EVP_PKEY *pk);

/* 1 when pk holds its prime factors (not a key given as n, e, d only). */
int rlab_ossl_has_factors(const EVP_PKEY *pk);

/*
 * Validate a key the way import and from_components must: a public key with
 * EVP_PKEY_public_check; a private key with EVP_PKEY_check (public, private
 * and pairwise: p, q prime, n = p*q, d*e = 1 mod lambda(n), CRT values).
 * A private key without its factors (n, e, d only) cannot be checked by
 * OpenSSL, so it gets the public check plus an e/d round trip on a fixed
 * value.  Returns RLAB_OK or RLAB_ERR_KEY_INVALID (detail set).
 */
int rlab_ossl_validate(EVP_PKEY *pk, int is_private);

/* ---- slots (see backend.h for each contract) ---- */

/* ossl_key.c */
int rlab_ossl_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                     rlab_key **out);
int rlab_ossl_keygen_multi(unsigned bits, unsigned primes, unsigned long e,
                           const struct rlab_rng *rng, rlab_key **out);
int rlab_ossl_from_components(const struct rlab_components *c, rlab_key **out);
int rlab_ossl_to_components(const rlab_key *k, struct rlab_components *out);
void rlab_ossl_key_free(rlab_key *k);

/* ossl_codec.c */
int rlab_ossl_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                     size_t len, rlab_key **out);
int rlab_ossl_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                     struct rlab_buf *out);

/* ossl_rsa.c */
int rlab_ossl_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen);
int rlab_ossl_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen);
int rlab_ossl_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                            const uint8_t *msg, size_t msg_len, uint8_t *out,
                            size_t *outlen);
int rlab_ossl_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len,
                            uint8_t *out, size_t *outlen);
int rlab_ossl_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen);
int rlab_ossl_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                          uint8_t *out, size_t *outlen);

/* ossl_sig.c */
int rlab_ossl_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                       const struct rlab_rng *rng, const uint8_t *digest,
                       size_t digest_len, uint8_t *sig, size_t *sig_len);
int rlab_ossl_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len);
int rlab_ossl_pkcs1_sign(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len, uint8_t *sig,
                         size_t *sig_len);
int rlab_ossl_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len);

/* ossl_sym.c */
int rlab_ossl_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out);
int rlab_ossl_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, uint8_t *out, uint8_t *tag, size_t tag_len);
int rlab_ossl_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, const uint8_t *tag, size_t tag_len,
                        uint8_t *out);
void rlab_ossl_aead_free(rlab_aead_ctx *c);
int rlab_ossl_hash_new(rlab_hash h, rlab_hash_ctx **out);
int rlab_ossl_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len);
int rlab_ossl_hash_final(rlab_hash_ctx *c, uint8_t *out);
int rlab_ossl_hash_final_xof(rlab_hash_ctx *c, uint8_t *out, size_t out_len);
void rlab_ossl_hash_free(rlab_hash_ctx *c);

/* Largest GCM IV the 3.0 default provider accepts, in bytes. */
#define RLAB_OSSL_GCM_IV_MAX 128

#endif
