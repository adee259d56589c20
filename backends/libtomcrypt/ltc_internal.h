/*
 * Internals shared by the files of the libtomcrypt backend (libtomcrypt 1.18
 * with libtommath as its math descriptor, ltm_desc).  Nothing here is seen
 * outside backends/libtomcrypt/; the only symbol the rest of rsalab uses is
 * `rlab_backend_libtomcrypt` (libtomcrypt.c).
 *
 * Files:
 *   ltc_glue.c     descriptor registration, the generators (the system one
 *                  and the caller's rlab_rng as a prng descriptor), key
 *                  lookup, hash mapping, error detail
 *   ltc_key.c      keys: generation, components in and out, validation
 *   ltc_io.c       import / export slots (DER and PEM: backends/keycodec.h,
 *                  shared)
 *   ltc_rsa.c      OAEP, PSS, PKCS#1 v1.5, raw operations
 *   ltc_unpad.c    v1.5 decryption (constant-time decoder of our own)
 *   ltc_hash.c     hash slots
 *   libtomcrypt.c  limit(), version(), init, and the backend struct
 *
 * Names: functions shared between these files carry the project prefix
 * `rlab_ltc_`; everything else is static with the `ltc_` prefix.
 *
 * libtomcrypt keeps its algorithms in global descriptor tables and its math
 * in the global `ltc_mp`; rlab_ltc_init() fills them once, before any other
 * slot runs (the registry calls init first).
 */
#ifndef RLAB_LTC_INTERNAL_H
#define RLAB_LTC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <tomcrypt.h>

#include "backends/backend.h"

extern const struct rlab_backend rlab_backend_libtomcrypt;

/* A key of this backend.  `rsa` always has N and e; a private key also has
 * d, p, q, dP, dQ and qP (a key given as n, e, d gets its primes recovered
 * in ltc_key.c, so every private operation runs CRT with the library's
 * blinding and CRT check).  The numbers never change after creation and
 * libtomcrypt keeps no per-operation state in the key, so one key may be
 * used by several threads at once. */
struct ltc_key {
    struct rlab_key base; /* first: rlab_key * <-> ltc_key * */
    rsa_key rsa;
    int loaded;           /* rsa holds numbers (rsa_free needed) */
};

/* ---- ltc_glue.c --------------------------------------------------------- */

/* Set ltc_mp = ltm_desc, register the hashes, the system prng (sprng) and
 * the caller-rng prng.  Idempotent.  RLAB_OK or RLAB_ERR_BACKEND. */
int rlab_ltc_init(void);

/*
 * A generator for one library call: `idx` and `state` go to the library's
 * (prng_state *, int prng_idx) parameters.  With rng == NULL they name the
 * system generator (sprng, /dev/urandom); otherwise the caller's generator,
 * reached through a thread-local pointer that rlab_ltc_rng_begin() sets and
 * rlab_ltc_rng_end() clears (libtomcrypt's prng_state cannot carry a
 * pointer of ours).  Blinding never goes through it: libtomcrypt blinds with
 * ltc_mp.rand, which libtommath feeds from the operating system.
 */
struct ltc_rng {
    int idx;
    prng_state state;
    int failed; /* set when the caller's generator reported an error */
};
void rlab_ltc_rng_begin(struct ltc_rng *g, const struct rlab_rng *rng);
void rlab_ltc_rng_end(struct ltc_rng *g);

/* The ltc_key behind a key, or NULL (NULL key, or another backend's). */
struct ltc_key *rlab_ltc_key(const rlab_key *k);

/* rlab_hash -> index in hash_descriptor[], or -1. */
int rlab_ltc_hash_idx(rlab_hash h);

/* Record a libtomcrypt error as display detail and return `err`. */
int rlab_ltc_fail(int err, const char *what, int ltc_err);

/* ---- ltc_key.c ---------------------------------------------------------- */

struct ltc_key *rlab_ltc_key_new(void);
/* n and e (big-endian) make a public key: n odd (and not 0), e odd,
 * 3 <= e < n.  RLAB_OK or RLAB_ERR_KEY_INVALID (detail names the value). */
int rlab_ltc_check_public(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len);
/* Validate a key that `rsa` now holds (rsa_import or rsa_set_*): n odd and
 * above e, e odd and >= 3; private: n = p*q, e*d = 1 mod p-1 and q-1,
 * dP, dQ, qP the CRT values of p, q, d.  Fills base.bits/has_private.
 * RLAB_OK or RLAB_ERR_KEY_INVALID (detail says which). */
int rlab_ltc_key_finish(struct ltc_key *lk);

int rlab_ltc_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                    rlab_key **out);
int rlab_ltc_from_components(const struct rlab_components *c, rlab_key **out);
int rlab_ltc_to_components(const rlab_key *k, struct rlab_components *out);
void rlab_ltc_key_free(rlab_key *k);

/* ---- ltc_io.c ----------------------------------------------------------- */

int rlab_ltc_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                    size_t len, rlab_key **out);
int rlab_ltc_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                    struct rlab_buf *out);

/* ---- ltc_rsa.c ---------------------------------------------------------- */

int rlab_ltc_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                          const struct rlab_rng *rng, const uint8_t *msg,
                          size_t msg_len, uint8_t *out, size_t *outlen);
int rlab_ltc_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                          const uint8_t *ct, size_t ct_len, uint8_t *out,
                          size_t *outlen);
int rlab_ltc_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                      const struct rlab_rng *rng, const uint8_t *digest,
                      size_t digest_len, uint8_t *sig, size_t *sig_len);
int rlab_ltc_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                        const uint8_t *digest, size_t digest_len,
                        const uint8_t *sig, size_t sig_len);
int rlab_ltc_pkcs1_sign(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                        size_t digest_len, uint8_t *sig, size_t *sig_len);
int rlab_ltc_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                          const uint8_t *digest, size_t digest_len,
                          const uint8_t *sig, size_t sig_len);
int rlab_ltc_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                           const uint8_t *msg, size_t msg_len, uint8_t *out,
                           size_t *outlen);
/* ltc_unpad.c */
int rlab_ltc_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len,
                           uint8_t *out, size_t *outlen);
int rlab_ltc_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                        uint8_t *out, size_t *outlen);
int rlab_ltc_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen);

/* ---- ltc_hash.c --------------------------------------------------------- */

int rlab_ltc_hash_new(rlab_hash h, rlab_hash_ctx **out);
int rlab_ltc_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len);
int rlab_ltc_hash_final(rlab_hash_ctx *c, uint8_t *out);
void rlab_ltc_hash_free(rlab_hash_ctx *c);

#endif
