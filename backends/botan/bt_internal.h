/*
 * Internals shared by the files of the Botan 2 backend, which uses Botan only
 * through its C FFI (botan/ffi.h, API 2.x of Debian's 2.19), so the project
 * stays C.  Nothing here is seen outside backends/botan/; the only symbol the
 * rest of rsalab uses is `rlab_backend_botan` (botan.c).
 *
 * Files:
 *   bt_glue.c   the system generator, the caller's rlab_rng as a custom
 *               botan_rng_t, key lookup, algorithm names, error detail
 *   bt_math.c   botan_mp helpers: key checks, prime recovery, prime generation
 *   bt_key.c    keys: generation, components in and out, freeing
 *   bt_io.c     import / export slots (DER and PEM: backends/keycodec.h,
 *               shared)
 *   bt_rsa.c    OAEP, PSS, PKCS#1 v1.5, raw operations
 *   bt_sym.c    AES-GCM and hash slots
 *   botan.c     limit(), version(), and the backend struct
 *
 * Names: the library owns the botan_ prefix, so functions shared between
 * these files are `rlab_bt_*` and statics are `bt_*`.
 */
#ifndef RLAB_BT_INTERNAL_H
#define RLAB_BT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <botan/ffi.h>

#include "backends/backend.h"

extern const struct rlab_backend rlab_backend_botan;

/* A key of this backend: `pub` always, `priv` for a private key (NULL
 * otherwise).  Botan's key objects are immutable after creation and every
 * operation object (botan_pk_op_*) is made per call, so one key may be used
 * by several threads at once. */
struct bt_key {
    struct rlab_key base; /* first: rlab_key * <-> bt_key * */
    botan_pubkey_t pub;
    botan_privkey_t priv;
};

/* ---- bt_glue.c ---------------------------------------------------------- */

/* Open the system generator (botan_rng_init "system": getrandom, thread
 * safe).  Idempotent.  RLAB_OK or RLAB_ERR_RNG. */
int rlab_bt_init(void);
void rlab_bt_cleanup(void);
/* The system generator (after init). */
botan_rng_t rlab_bt_system_rng(void);

/*
 * A generator for one call: g->rng is the system generator when rng is
 * NULL, else a custom botan_rng_t (botan_rng_init_custom, FFI 2.18) whose
 * every request goes to the caller's rlab_rng.  Only padding randomness is
 * drawn from g->rng: the FFI builds its private-key operations with
 * Botan's system generator, so blinding never sees the caller's bytes.
 * RLAB_OK or RLAB_ERR_RNG / RLAB_ERR_NOMEM.
 */
struct bt_rng {
    botan_rng_t rng;
    const struct rlab_rng *caller;
    int failed; /* the caller's generator reported an error */
    int own;    /* rng is ours to destroy */
};
int rlab_bt_rng_begin(struct bt_rng *g, const struct rlab_rng *rng);
void rlab_bt_rng_end(struct bt_rng *g);

/* The bt_key behind a key, or NULL (NULL key, or another backend's). */
struct bt_key *rlab_bt_key(const rlab_key *k);

/* Botan's name of a hash ("SHA-256"), or NULL for one Botan 2 lacks. */
const char *rlab_bt_hash_name(rlab_hash h);

/* Record a Botan FFI error as display detail and return `err`. */
int rlab_bt_fail(int err, const char *what, int botan_rc);

/* ---- bt_math.c ---------------------------------------------------------- */

/* *mp = a new botan_mp_t holding the big-endian p[0..len). */
int rlab_bt_mp_new(botan_mp_t *mp, const uint8_t *p, size_t len);
/* Big-endian bytes of mp into b (at least one byte; caller clears). */
int rlab_bt_mp_out(botan_mp_t mp, struct rlab_buf *b);

/* n odd and above e; e odd and >= 3.  RLAB_OK or RLAB_ERR_KEY_INVALID. */
int rlab_bt_check_public(botan_mp_t n, botan_mp_t e);
/* n = p*q, e*d = 1 mod p-1 and q-1, dp, dq, qinv the CRT values, d in
 * 1..n-1; v holds n, e, d, p, q, dp, dq, qinv.  RLAB_OK or KEY_INVALID. */
int rlab_bt_check_private(const struct rlab_buf v[8]);

/* Fill v[3..7] (p, q, dp, dq, qinv) from v[0..2] (n, e, d) and, when v[3]
 * and v[4] are not empty, the given p and q.  RLAB_OK or KEY_INVALID. */
int rlab_bt_complete(struct rlab_buf v[8]);

/* Two primes for a `bits`-bit modulus with public exponent e (any odd
 * e >= 3), drawn from rng: p of (bits+1)/2 bits, q of bits/2, the top two
 * bits set, gcd(p-1, e) = gcd(q-1, e) = 1, |p - q| > 2^(bits/2 - 100). */
int rlab_bt_gen_primes(unsigned bits, botan_mp_t e, botan_rng_t rng, botan_mp_t p,
                       botan_mp_t q);

/* ---- bt_key.c ----------------------------------------------------------- */

struct bt_key *rlab_bt_key_new(void);
/* After bk->priv and/or bk->pub are set: derive pub from priv when needed,
 * check the numbers (rlab_bt_check_*, and botan_privkey_check_key), fill
 * base.bits / base.has_private.  RLAB_OK or RLAB_ERR_KEY_INVALID. */
int rlab_bt_key_finish(struct bt_key *bk);

int rlab_bt_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                   rlab_key **out);
int rlab_bt_from_components(const struct rlab_components *c, rlab_key **out);
int rlab_bt_to_components(const rlab_key *k, struct rlab_components *out);
void rlab_bt_key_free(rlab_key *k);

/* ---- bt_io.c ------------------------------------------------------------ */

int rlab_bt_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                   size_t len, rlab_key **out);
int rlab_bt_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                   struct rlab_buf *out);

/* ---- bt_rsa.c ----------------------------------------------------------- */

int rlab_bt_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                         const struct rlab_rng *rng, const uint8_t *msg,
                         size_t msg_len, uint8_t *out, size_t *outlen);
int rlab_bt_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                         const uint8_t *ct, size_t ct_len, uint8_t *out,
                         size_t *outlen);
int rlab_bt_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                     const struct rlab_rng *rng, const uint8_t *digest,
                     size_t digest_len, uint8_t *sig, size_t *sig_len);
int rlab_bt_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                       const uint8_t *digest, size_t digest_len,
                       const uint8_t *sig, size_t sig_len);
int rlab_bt_pkcs1_sign(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                       size_t digest_len, uint8_t *sig, size_t *sig_len);
int rlab_bt_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len);
int rlab_bt_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                          const uint8_t *msg, size_t msg_len, uint8_t *out,
                          size_t *outlen);
int rlab_bt_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len,
                          uint8_t *out, size_t *outlen);
int rlab_bt_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                       uint8_t *out, size_t *outlen);
int rlab_bt_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                        uint8_t *out, size_t *outlen);

/* ---- bt_sym.c ----------------------------------------------------------- */

int rlab_bt_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out);
int rlab_bt_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                      const uint8_t *aad, size_t aad_len, const uint8_t *in,
                      size_t len, uint8_t *out, uint8_t *tag, size_t tag_len);
int rlab_bt_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                      const uint8_t *aad, size_t aad_len, const uint8_t *in,
                      size_t len, const uint8_t *tag, size_t tag_len,
                      uint8_t *out);
void rlab_bt_aead_free(rlab_aead_ctx *c);

int rlab_bt_hash_new(rlab_hash h, rlab_hash_ctx **out);
int rlab_bt_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len);
int rlab_bt_hash_final(rlab_hash_ctx *c, uint8_t *out);
void rlab_bt_hash_free(rlab_hash_ctx *c);

#endif
