/*
 * Internals shared by the files of the wolfSSL (wolfCrypt) backend.  Nothing
 * here is seen outside backends/wolfssl/; the only symbol the rest of rsalab
 * uses is `rlab_backend_wolfssl` (wolfssl.c).
 *
 * Files:
 *   wolf_rng.c   wolfCrypt set-up, key lookup and locking, hash tables,
 *                error detail
 *   wolf_key.c   the key struct, keygen, components in and out, and the key
 *                checks wolfCrypt does not make (wc_CheckRsaKey is not
 *                built into Debian's library)
 *   wolf_io.c    import / export slots: the strict DER / PEM reader of
 *                backends/keycodec.h before wolfCrypt's decoders;
 *                wolfCrypt's DER writers and wc_DerToPemEx out
 *   wolf_rsa.c   OAEP, PSS, PKCS#1 v1.5, raw operations
 *   wolf_sym.c   hashes (wc_Hash*)
 *   wolfssl.c    limit(), version(), and the backend struct itself
 *
 * <wolfssl/options.h> comes first: it holds the configure options Debian's
 * library was built with, and the structs below (RsaKey, WC_RNG, mp_int)
 * change size with them.
 */
#ifndef RLAB_WOLF_INTERNAL_H
#define RLAB_WOLF_INTERNAL_H

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>
#include <wolfssl/wolfcrypt/wolfmath.h>

#include "backends/backend.h"

extern const struct rlab_backend rlab_backend_wolfssl;

#if !defined(WC_RSA_BLINDING) || !defined(WOLFSSL_KEY_GEN) || !defined(WOLFSSL_PUBLIC_MP)
#error "the wolfssl backend needs a wolfSSL built with RSA blinding, keygen and public mp"
#endif

/*
 * A key of this backend.  wolfCrypt's RsaKey carries per-operation state
 * (key->state, key->data) and its blinding generator (key->rng), so one key
 * is used by one thread at a time: `lock` is held around every RSA call.
 * Each key has its own Hash-DRBG, seeded from the operating system when the
 * key is made: wc_RsaSetRNG makes it the blinding generator of every private
 * operation, and it draws padding too (wolfCrypt cannot take a caller's
 * generator).  A key without its own DRBG would have to share one, and share
 * its lock, across every key.
 */
struct wolf_key {
    struct rlab_key base; /* first: rlab_key * <-> wolf_key * */
    pthread_mutex_t lock;
    WC_RNG rng;
    int rng_ready;
    RsaKey rsa;
    int rsa_ready;
};

/* ---- wolf_rng.c -------------------------------------------------------- */

/* wolfCrypt_Init; RLAB_OK or RLAB_ERR_BACKEND. */
int rlab_wolf_init(void);
void rlab_wolf_cleanup(void);

/* The wolf_key behind a key, or NULL (NULL key, another backend's key). */
struct wolf_key *rlab_wolf_key(const rlab_key *k);

/* rlab_hash -> wolfCrypt hash type and MGF1 id; WC_HASH_TYPE_NONE /
 * WC_MGF1NONE for RLAB_HASH_NONE. */
enum wc_HashType rlab_wolf_hash_type(rlab_hash h);
int rlab_wolf_mgf(rlab_hash h);

/* Record wolfCrypt's error text as display detail and return `err`. */
int rlab_wolf_fail(int err, const char *what, int wolf_ret);

/* ---- wolf_key.c -------------------------------------------------------- */

/* A new key with an initialised RsaKey and a seeded DRBG set as its
 * blinding generator.  NULL on failure (detail set). */
struct wolf_key *rlab_wolf_key_new(void);
/*
 * After the RsaKey holds a key: the checks of wolf_key.c (public: n odd,
 * within wolfCrypt's sizes, e odd, 3 <= e < n; private: n = p*q, d, dP, dQ,
 * u consistent with p, q and e), then base.bits / base.has_private.
 * RLAB_OK, RLAB_ERR_KEY_INVALID or RLAB_ERR_UNSUPPORTED (size).
 */
int rlab_wolf_key_finish(struct wolf_key *wk, int priv);

int rlab_wolf_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                     rlab_key **out);
int rlab_wolf_from_components(const struct rlab_components *c, rlab_key **out);
int rlab_wolf_to_components(const rlab_key *k, struct rlab_components *out);
void rlab_wolf_key_free(rlab_key *k);

/* ---- wolf_io.c --------------------------------------------------------- */

int rlab_wolf_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                     size_t len, rlab_key **out);
int rlab_wolf_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                     struct rlab_buf *out);

/* ---- wolf_rsa.c -------------------------------------------------------- */

int rlab_wolf_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen);
int rlab_wolf_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen);
int rlab_wolf_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                       const struct rlab_rng *rng, const uint8_t *digest,
                       size_t digest_len, uint8_t *sig, size_t *sig_len);
int rlab_wolf_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len);
int rlab_wolf_pkcs1_sign(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len, uint8_t *sig,
                         size_t *sig_len);
int rlab_wolf_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len);
int rlab_wolf_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                            const uint8_t *msg, size_t msg_len, uint8_t *out,
                            size_t *outlen);
int rlab_wolf_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct,
                            size_t ct_len, uint8_t *out, size_t *outlen);
int rlab_wolf_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen);
int rlab_wolf_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                          uint8_t *out, size_t *outlen);

/* ---- wolf_sym.c -------------------------------------------------------- */

int rlab_wolf_hash_new(rlab_hash h, rlab_hash_ctx **out);
int rlab_wolf_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len);
int rlab_wolf_hash_final(rlab_hash_ctx *c, uint8_t *out);
void rlab_wolf_hash_free(rlab_hash_ctx *c);

#endif
