/*
 * Internals shared by the files of the mbedTLS 2.28 backend.  Nothing here is
 * seen outside backends/mbedtls/; the only symbol the rest of rsalab uses is
 * `rlab_backend_mbedtls` (mbedtls.c).
 *
 * Files:
 *   mbed_rng.c   CTR_DRBG set-up, rng adapters, key locking, error mapping
 *   mbed_key.c   keygen, components in and out, key_free
 *   mbed_der.c   strict DER structure checks and the PKCS#8 / RSAPublicKey
 *                writers mbedTLS 2.28 lacks
 *   mbed_io.c    import / export slots (PEM and DER, through mbedtls_pk)
 *   mbed_rsa.c   OAEP, PSS, PKCS#1 v1.5, raw operations
 *   mbed_sym.c   AES-GCM and hashes
 *   mbedtls.c    limit(), version(), and the backend struct itself
 *
 * Names: functions shared between these files are external symbols of the
 * static library, so they carry the project prefix `rlab_mbed_`; everything
 * else is static with the `mbed_` prefix.
 */
#ifndef RLAB_MBED_INTERNAL_H
#define RLAB_MBED_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>

#include "backends/backend.h"

extern const struct rlab_backend rlab_backend_mbedtls;

/*
 * A key of this backend.  `pk` always holds an RSA context (mbedtls_pk_rsa()).
 *
 * Why a lock: in mbedTLS 2.28 the padding mode and hash of an operation are
 * fields of the mbedtls_rsa_context (ctx->padding, ctx->hash_id), not call
 * parameters, so every operation must set them and then run without another
 * thread changing them.  The slots take `const rlab_key *`; the key is
 * logically constant (its numbers never change after creation), but those two
 * fields, the blinding values Vi/Vf and the Montgomery caches RN/RP/RQ do
 * change under the hood.  `lock` is held from set-padding to the end of each
 * RSA operation, so one key may be shared between threads.  The library's own
 * ctx->mutex already serialises every exponentiation on one context, so the
 * extra lock costs no parallelism.
 *
 * Copying the context per operation was rejected: besides the cost, each
 * copy would carry the same blinding pair (Vi, Vf) and square it the same
 * way, so blinding values would repeat across operations.
 */
struct mbed_key {
    struct rlab_key base; /* first: rlab_key * <-> mbed_key * */
    pthread_mutex_t lock;
    mbedtls_pk_context pk;
};

/* ---- mbed_rng.c -------------------------------------------------------- */

/* Seed the shared CTR_DRBG from the entropy module, personalisation
 * "rsalab".  Idempotent.  RLAB_OK or RLAB_ERR_RNG. */
int rlab_mbed_init(void);
void rlab_mbed_cleanup(void);

/* mbedTLS-style generator over the shared DRBG (thread-safe in 2.28 with
 * MBEDTLS_THREADING_C).  p_rng is ignored: pass NULL. */
int rlab_mbed_drbg(void *p_rng, unsigned char *out, size_t len);

/*
 * The caller's rlab_rng seen as an mbedTLS f_rng.
 *
 * `first_len`: when not SIZE_MAX, only the first call, and only when it asks
 * for exactly first_len bytes, goes to the caller's generator; every other
 * call goes to the DRBG.  PSS signing needs this: mbedtls_rsa_rsassa_pss_sign
 * draws the salt with one f_rng call and then hands the same f_rng to
 * mbedtls_rsa_private for blinding, which must never use the caller's bytes.
 * With SIZE_MAX every call goes to the caller (OAEP seeds, v1.5 padding,
 * keygen: operations without a private-key step).
 *
 * `failed` is set when the caller's generator reported an error, so that the
 * slot can return RLAB_ERR_RNG rather than a generic library error.
 */
struct mbed_rng {
    const struct rlab_rng *rng; /* NULL: everything from the DRBG */
    size_t first_len;
    int used;
    int failed;
};
void rlab_mbed_rng_setup(struct mbed_rng *a, const struct rlab_rng *rng,
                         size_t first_len);
int rlab_mbed_rng_fn(void *p_rng, unsigned char *out, size_t len);

/* The mbed_key behind a key, or NULL when the key is NULL or belongs to
 * another backend. */
struct mbed_key *rlab_mbed_key(const rlab_key *k);

/* Lock the key and select padding (MBEDTLS_RSA_PKCS_V15 / _V21) and hash for
 * the operation that follows; unlock when done. */
mbedtls_rsa_context *rlab_mbed_lock(struct mbed_key *mk, int padding,
                                    mbedtls_md_type_t md);
void rlab_mbed_unlock(struct mbed_key *mk);

/* rlab_hash -> mbedTLS digest; MBEDTLS_MD_NONE for hashes 2.28 lacks
 * (SHA-512/224, SHA-512/256) and for RLAB_HASH_NONE. */
mbedtls_md_type_t rlab_mbed_md(rlab_hash h);

/* Record a library error as display detail and return `err`. */
int rlab_mbed_fail(int err, const char *what, int mbed_ret);

/* ---- mbed_key.c -------------------------------------------------------- */

/* A new key with an initialised, empty pk context (not yet set up). */
struct mbed_key *rlab_mbed_key_new(void);
/* After the pk context holds an RSA key: check it (check_pubkey, and
 * check_privkey when `priv`) and fill base.bits / base.has_private.
 * RLAB_OK or RLAB_ERR_KEY_INVALID. */
int rlab_mbed_key_finish(struct mbed_key *mk, int priv);

int rlab_mbed_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                     rlab_key **out);
int rlab_mbed_from_components(const struct rlab_components *c, rlab_key **out);
int rlab_mbed_to_components(const rlab_key *k, struct rlab_components *out);
void rlab_mbed_key_free(rlab_key *k);

/* ---- mbed_der.c -------------------------------------------------------- */

/*
 * Structure checks, strict DER: every length minimal, every INTEGER minimal
 * and non-negative, nothing after the outer SEQUENCE, versions 0, the
 * algorithm exactly rsaEncryption with NULL parameters.  They look at the
 * shape only; the numbers are checked later by mbedTLS.  RLAB_OK or
 * RLAB_ERR_KEY_FORMAT (detail says what was wrong).
 */
int rlab_mbed_der_check(rlab_keyfmt fmt, const uint8_t *der, size_t len);

/* n and e (content bytes of their INTEGERs, pointing into der) of a key
 * that passed rlab_mbed_der_check; 0, or -1 when the shape is not right.
 * For messages that name what mbedTLS refused in a well-shaped key. */
int rlab_mbed_der_public(rlab_keyfmt fmt, const uint8_t *der, size_t len, const uint8_t **n,
                         size_t *nlen, const uint8_t **e, size_t *elen);

/* Wrap an RSAPrivateKey, which must sit at the END of buf[0..size) at
 * buf + size - *len, into a PrivateKeyInfo in place (written backwards in
 * front of it); *len becomes the PrivateKeyInfo length.  RLAB_OK or
 * RLAB_ERR_BUFFER_TOO_SMALL. */
int rlab_mbed_der_wrap_pkcs8(uint8_t *buf, size_t size, size_t *len);

/* ---- mbed_io.c --------------------------------------------------------- */

int rlab_mbed_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                     size_t len, rlab_key **out);
int rlab_mbed_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                     struct rlab_buf *out);

/* ---- mbed_rsa.c -------------------------------------------------------- */

int rlab_mbed_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen);
int rlab_mbed_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen);
int rlab_mbed_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                       const struct rlab_rng *rng, const uint8_t *digest,
                       size_t digest_len, uint8_t *sig, size_t *sig_len);
int rlab_mbed_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len);
int rlab_mbed_pkcs1_sign(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len, uint8_t *sig,
                         size_t *sig_len);
int rlab_mbed_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len);
int rlab_mbed_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                            const uint8_t *msg, size_t msg_len, uint8_t *out,
                            size_t *outlen);
int rlab_mbed_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct,
                            size_t ct_len, uint8_t *out, size_t *outlen);
int rlab_mbed_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen);
int rlab_mbed_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                          uint8_t *out, size_t *outlen);

/* ---- mbed_sym.c -------------------------------------------------------- */

int rlab_mbed_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out);
int rlab_mbed_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, uint8_t *out, uint8_t *tag, size_t tag_len);
int rlab_mbed_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, const uint8_t *tag, size_t tag_len,
                        uint8_t *out);
void rlab_mbed_aead_free(rlab_aead_ctx *c);

int rlab_mbed_hash_new(rlab_hash h, rlab_hash_ctx **out);
int rlab_mbed_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len);
int rlab_mbed_hash_final(rlab_hash_ctx *c, uint8_t *out);
void rlab_mbed_hash_free(rlab_hash_ctx *c);

#endif
