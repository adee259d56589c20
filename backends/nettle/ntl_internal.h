/*
 * Internals shared by the files of the nettle backend (nettle 3.8 with its
 * public-key half, hogweed, on GMP).  Only `rlab_backend_nettle` (nettle.c)
 * is used outside backends/nettle/.
 *
 * Files:
 *   ntl_rand.c   randomness (getrandom(2), the caller's rng as a
 *                nettle_random_func), the wiping GMP allocator, hash table
 *   ntl_key.c    keygen, key validation and factor recovery, components
 *   (keys in DER and PEM: backends/keycodec.h, shared)
 *   ntl_io.c     import / export slots
 *   ntl_rsa.c    PSS, PKCS#1 v1.5, raw operations
 *   ntl_sym.c    AES-GCM (gcm_aes128 / gcm_aes256) and hashes
 *   nettle.c     version, limit() and the backend struct
 *
 * Names: functions shared between these files carry the prefix `rlab_ntl_`;
 * statics use `ntl_`.
 */
#ifndef RLAB_NTL_INTERNAL_H
#define RLAB_NTL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/nettle-meta.h>
#include <nettle/rsa.h>

#include "backends/backend.h"

extern const struct rlab_backend rlab_backend_nettle;

/* Largest component (bytes) the DER writer takes; far above any key. */
#define RLAB_NTL_MAX_INT 65536
/* Modulus sizes this backend accepts on import and makes (bits).  The lower
 * bound is the smallest modulus that carries an SHA-1 PKCS#1 v1.5 signature
 * nettle would still compute with; the upper one bounds the cost of a
 * validation. */
#define RLAB_NTL_MIN_BITS 512
#define RLAB_NTL_MAX_BITS 16384

/*
 * A key.  `pub` is always set up (rsa_public_key_prepare succeeded); `priv`
 * only when base.has_private, with all of p, q, a = dp, b = dq, c = qinv and
 * d filled and checked (ntl_key.c), because nettle's side-channel silent
 * root (_rsa_sec_compute_root) asserts on sizes that an inconsistent key
 * would break.  Keys are never changed after creation: nettle's _tr
 * functions take them const, so a key may be shared between threads.
 */
struct ntl_key {
    struct rlab_key base; /* first */
    struct rsa_public_key pub;
    struct rsa_private_key priv;
};

/* The ntl_key behind k, or NULL when k is NULL or another backend's. */
const struct ntl_key *rlab_ntl_key(const rlab_key *k);

/* ---- ntl_rand.c ------------------------------------------------------------ */

/*
 * Randomness for nettle's `nettle_random_func` (void: it cannot fail).
 * `rng` NULL means getrandom(2).  A failure of either source sets `failed`
 * and fills the request with 0xff bytes (never zeros: nettle's blinding
 * loops until its random value is invertible), and the slot that passed
 * the context returns RLAB_ERR_RNG afterwards, discarding the result.
 */
struct ntl_rng {
    const struct rlab_rng *rng;
    int failed;
};
void rlab_ntl_random(void *ctx, size_t len, uint8_t *dst); /* a nettle_random_func */
/* RLAB_OK or RLAB_ERR_RNG: fill out from the caller's rng, or getrandom. */
int rlab_ntl_fill(const struct rlab_rng *rng, uint8_t *out, size_t len);

/* Install the wiping allocator for GMP (process-wide, once). */
void rlab_ntl_mem_install(void);

/* nettle's description of hash h, or NULL. */
const struct nettle_hash *rlab_ntl_hash(rlab_hash h);

/* ---- ntl_key.c ------------------------------------------------------------- */

int rlab_ntl_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                    rlab_key **out);
int rlab_ntl_from_components(const struct rlab_components *c, rlab_key **out);
int rlab_ntl_to_components(const rlab_key *k, struct rlab_components *out);
void rlab_ntl_key_free(rlab_key *k);

/* ---- ntl_io.c -------------------------------------------------------------- */

int rlab_ntl_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in, size_t len,
                    rlab_key **out);
int rlab_ntl_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                    struct rlab_buf *out);

/* ---- ntl_rsa.c ------------------------------------------------------------- */

int rlab_ntl_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                      const struct rlab_rng *rng, const uint8_t *digest, size_t digest_len,
                      uint8_t *sig, size_t *sig_len);
int rlab_ntl_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                        const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                        size_t sig_len);
int rlab_ntl_pkcs1_sign(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                        size_t digest_len, uint8_t *sig, size_t *sig_len);
int rlab_ntl_pkcs1_verify(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                          size_t digest_len, const uint8_t *sig, size_t sig_len);
int rlab_ntl_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen);
int rlab_ntl_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen);
int rlab_ntl_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len, uint8_t *out,
                        size_t *outlen);
int rlab_ntl_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len, uint8_t *out,
                         size_t *outlen);

/* ---- ntl_sym.c ------------------------------------------------------------- */

int rlab_ntl_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out);
int rlab_ntl_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                       uint8_t *tag, size_t tag_len);
int rlab_ntl_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, size_t len, const uint8_t *tag,
                       size_t tag_len, uint8_t *out);
void rlab_ntl_aead_free(rlab_aead_ctx *c);

int rlab_ntl_hash_new(rlab_hash h, rlab_hash_ctx **out);
int rlab_ntl_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len);
int rlab_ntl_hash_final(rlab_hash_ctx *c, uint8_t *out);
void rlab_ntl_hash_free(rlab_hash_ctx *c);

#endif
