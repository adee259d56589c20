/*
 * Internals shared by the files of the BearSSL backend.  Nothing here is
 * seen outside backends/bearssl/; the only symbol the rest of rsalab uses is
 * `rlab_backend_bearssl` (bearssl.c).
 *
 * Files:
 *   bear_rng.c   the shared HMAC_DRBG, the br_prng_class over a caller's
 *                rlab_rng, the implementations BearSSL picks for this CPU
 *   bear_key.c   the key struct, keygen, components in and out, validation
 *   bear_io.c    import / export slots: the strict DER / PEM codec of
 *                backends/keycodec.h in, and for the public formats out
 *                (BearSSL writes only the private formats, and reads none
 *                of them with n, e and d kept); br_pem_encode out
 *   bear_rsa.c   OAEP, PKCS#1 v1.5 signatures, raw operations
 *   bear_sym.c   AES-GCM (br_gcm over aes_x86ni or aes_ct64) and hashes
 *   bearssl.c    limit(), version(), and the backend struct itself
 *
 * Names: functions shared between these files are external symbols of the
 * static library, so they carry the prefix `rlab_bear_`; everything else is
 * static with the prefix `bear_`.
 */
#ifndef RLAB_BEAR_INTERNAL_H
#define RLAB_BEAR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "backends/backend.h"

extern const struct rlab_backend rlab_backend_bearssl;

/* BearSSL's RSA engines stop at 4096-bit moduli (bearssl_rsa.h). */
#define RLAB_BEAR_MAX_BITS 4096
/* br_rsa_keygen starts at 512 bits. */
#define RLAB_BEAR_MIN_KEYGEN_BITS 512

/*
 * A key of this backend.  BearSSL's own structs only point at big-endian
 * byte strings; `c` owns them (minimal big-endian, wiped by
 * rlab_components_clear), and pk / sk point into it.  A private key has all
 * eight components: BearSSL computes with p, q, dp, dq, iq only, but the
 * interface and the encodings carry n, e and d too.
 */
struct bear_key {
    struct rlab_key base; /* first: rlab_key * <-> bear_key * */
    struct rlab_components c;
    br_rsa_public_key pk;
    br_rsa_private_key sk; /* valid when base.has_private */
};

/* ---- bear_rng.c -------------------------------------------------------- */

/* The implementations BearSSL picks for this CPU (br_*_get_default), fetched
 * once by rlab_bear_init(). */
struct bear_impl {
    br_rsa_public pub;
    br_rsa_private priv;
    br_rsa_pkcs1_sign pkcs1_sign;
    br_rsa_pkcs1_vrfy pkcs1_vrfy;
    br_rsa_oaep_encrypt oaep_enc;
    br_rsa_oaep_decrypt oaep_dec;
    br_rsa_keygen keygen;
    br_rsa_compute_modulus modulus;
    br_rsa_compute_privexp privexp;
    const br_block_ctr_class *aes_ctr; /* aes_x86ni when the CPU has AES-NI */
    br_ghash ghash;                    /* pclmul when present, else ctmul64 */
    const char *rsa_name, *aes_name, *ghash_name;
};
extern struct bear_impl rlab_bear_impl;

/* Seed the shared HMAC_DRBG (SHA-256) from br_prng_seeder_system and fetch
 * the implementations.  Idempotent.  RLAB_OK or RLAB_ERR_RNG. */
int rlab_bear_init(void);
void rlab_bear_cleanup(void);

/*
 * A br_prng_class over either the caller's generator or the shared DRBG.
 * BearSSL's OAEP and keygen take `const br_prng_class **`; pass &r.vtable.
 * With rng == NULL (or no fill function) every byte comes from the shared
 * DRBG, under its lock.  `failed` is set when the caller's generator reported
 * an error; BearSSL cannot be told, so the slot checks it afterwards.
 */
struct bear_rng {
    const br_prng_class *vtable; /* first, as BearSSL requires */
    const struct rlab_rng *rng;
    int failed;
};
void rlab_bear_rng_setup(struct bear_rng *r, const struct rlab_rng *rng);
/* Bytes from the shared DRBG.  RLAB_OK or RLAB_ERR_RNG. */
int rlab_bear_random(void *out, size_t len);

/* The bear_key behind a key, or NULL when the key is NULL or belongs to
 * another backend. */
struct bear_key *rlab_bear_key(const rlab_key *k);

/* rlab_hash -> BearSSL hash class and PKCS#1 OID (length-prefixed); NULL for
 * the hashes BearSSL lacks (SHA-512/224, SHA-512/256). */
const br_hash_class *rlab_bear_hash_class(rlab_hash h);
const unsigned char *rlab_bear_hash_oid(rlab_hash h);

/* ---- bear_key.c -------------------------------------------------------- */

/*
 * Make a key from components (copied; leading zeros ignored): checks that
 * they form a key BearSSL can use and that the private values are
 * consistent (see bear_key.c).  `priv` asks for a private key, which needs
 * all eight components.  RLAB_OK, RLAB_ERR_KEY_INVALID,
 * RLAB_ERR_UNSUPPORTED (beyond BearSSL's sizes) or RLAB_ERR_NOMEM.
 */
int rlab_bear_key_make(const struct rlab_components *c, int priv, rlab_key **out);

int rlab_bear_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                     rlab_key **out);
int rlab_bear_from_components(const struct rlab_components *c, rlab_key **out);
int rlab_bear_to_components(const rlab_key *k, struct rlab_components *out);
void rlab_bear_key_free(rlab_key *k);

/* ---- bear_io.c --------------------------------------------------------- */

int rlab_bear_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                     size_t len, rlab_key **out);
int rlab_bear_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                     struct rlab_buf *out);

/* ---- bear_rsa.c -------------------------------------------------------- */

int rlab_bear_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen);
int rlab_bear_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen);
int rlab_bear_pkcs1_sign(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len, uint8_t *sig,
                         size_t *sig_len);
int rlab_bear_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len);
int rlab_bear_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen);
int rlab_bear_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                          uint8_t *out, size_t *outlen);

/* x^e mod n in place (x is k bytes); 1 on success.  Used to check private
 * results before they are released. */
int rlab_bear_public_op(const struct bear_key *bk, uint8_t *x, size_t len);

/* ---- bear_sym.c -------------------------------------------------------- */

int rlab_bear_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out);
int rlab_bear_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, uint8_t *out, uint8_t *tag, size_t tag_len);
int rlab_bear_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, const uint8_t *tag, size_t tag_len,
                        uint8_t *out);
void rlab_bear_aead_free(rlab_aead_ctx *c);

int rlab_bear_hash_new(rlab_hash h, rlab_hash_ctx **out);
int rlab_bear_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len);
int rlab_bear_hash_final(rlab_hash_ctx *c, uint8_t *out);
void rlab_bear_hash_free(rlab_hash_ctx *c);

#endif
