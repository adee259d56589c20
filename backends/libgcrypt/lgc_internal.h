/*
 * Internals shared by the files of the libgcrypt backend (Debian's
 * libgcrypt20-dev, libgcrypt 1.10).  Only `rlab_backend_libgcrypt`
 * (libgcrypt.c) is used outside backends/libgcrypt/.
 *
 * Files:
 *   lgc_util.c   library set-up (secure memory), errors, MPI <-> bytes,
 *                hash ids, draws from the caller's rng
 *   lgc_key.c    keygen, key validation and factor recovery, components
 *   (keys in DER and PEM: backends/keycodec.h, shared)
 *   lgc_io.c     import / export slots
 *   lgc_rsa.c    OAEP, PSS, PKCS#1 v1.5, raw operations (gcry_pk_*)
 *   lgc_unpad.c  OAEP and v1.5 decryption: blinded raw private operation,
 *                constant-time padding removal of our own
 *   lgc_sym.c    AES-GCM (gcry_cipher) and hashes (gcry_md)
 *   libgcrypt.c  version, limit() and the backend struct
 *
 * Names: functions shared between these files carry the prefix `rlab_lgc_`;
 * statics use `lgc_` (not `gcry_`, which is the library's).
 */
#ifndef RLAB_LGC_INTERNAL_H
#define RLAB_LGC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gcrypt.h>

#include "backends/backend.h"

extern const struct rlab_backend rlab_backend_libgcrypt;

#define RLAB_LGC_MAX_INT 65536
#define RLAB_LGC_MIN_BITS 512
#define RLAB_LGC_MAX_BITS 16384

/*
 * A key.  `pub` is (public-key (rsa (n)(e))); for a private key `priv` is
 * (private-key (rsa (n)(e)(d)(p)(q)(u))) in libgcrypt's convention, u =
 * p^-1 mod q with p < q (its CRT needs both; lgc_key.c puts the smaller
 * prime first, so libgcrypt's p is PKCS#1's q and u is qinv when q < p).
 * The MPIs keep the PKCS#1 values for
 * export; the private ones live in libgcrypt's secure memory (gcry_mpi_snew,
 * wiped on release), and so does `priv`, built from them.  Nothing changes
 * after creation, and gcry_pk_* take the S-expressions read-only, so a key
 * may be shared between threads.
 */
struct lgc_key {
    struct rlab_key base; /* first */
    gcry_sexp_t pub, priv;
    gcry_mpi_t n, e;
    gcry_mpi_t d, p, q, dp, dq, qinv; /* PKCS#1 meaning; NULL for a public key */
};

/* ---- lgc_util.c ------------------------------------------------------------ */

/* Check the version, set up secure memory (auto-expanding, warnings off)
 * unless the application already initialised libgcrypt.  RLAB_OK or
 * RLAB_ERR_BACKEND. */
int rlab_lgc_init(void);

/* The lgc_key behind k, or NULL when k is NULL or another backend's. */
const struct lgc_key *rlab_lgc_key(const rlab_key *k);

/* libgcrypt's id for h (GCRY_MD_*), 0 when it has none. */
int rlab_lgc_md(rlab_hash h);

/* Record a library error as display detail and return err. */
int rlab_lgc_fail(int err, const char *what, gcry_error_t e);

/* Unsigned big-endian bytes to a new MPI, in secure memory when `secret`.
 * NULL on allocation failure. */
gcry_mpi_t rlab_lgc_mpi(const uint8_t *p, size_t len, int secret);
/* A copy of x in secure memory. */
gcry_mpi_t rlab_lgc_mpi_secure(gcry_mpi_t x);
/* x as minimal unsigned big-endian bytes (zero: one 0x00). */
int rlab_lgc_mpi_out(gcry_mpi_t x, struct rlab_buf *out);
/* x as exactly len big-endian bytes; RLAB_ERR_BACKEND when it does not fit. */
int rlab_lgc_mpi_fixed(gcry_mpi_t x, uint8_t *out, size_t len);

/* len bytes from the caller's rng; RLAB_OK or RLAB_ERR_RNG. */
int rlab_lgc_draw(const struct rlab_rng *rng, uint8_t *out, size_t len);

/* ---- lgc_key.c ------------------------------------------------------------- */

int rlab_lgc_keygen(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                    rlab_key **out);
int rlab_lgc_from_components(const struct rlab_components *c, rlab_key **out);
int rlab_lgc_to_components(const rlab_key *k, struct rlab_components *out);
void rlab_lgc_key_free(rlab_key *k);

/* ---- lgc_io.c -------------------------------------------------------------- */

int rlab_lgc_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in, size_t len,
                    rlab_key **out);
int rlab_lgc_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                    struct rlab_buf *out);

/* ---- lgc_rsa.c ------------------------------------------------------------- */

int rlab_lgc_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                          const struct rlab_rng *rng, const uint8_t *msg, size_t msg_len,
                          uint8_t *out, size_t *outlen);
/* lgc_unpad.c */
int rlab_lgc_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                          const uint8_t *ct, size_t ct_len, uint8_t *out, size_t *outlen);
int rlab_lgc_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                      const struct rlab_rng *rng, const uint8_t *digest, size_t digest_len,
                      uint8_t *sig, size_t *sig_len);
int rlab_lgc_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                        const uint8_t *digest, size_t digest_len, const uint8_t *sig,
                        size_t sig_len);
int rlab_lgc_pkcs1_sign(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                        size_t digest_len, uint8_t *sig, size_t *sig_len);
int rlab_lgc_pkcs1_verify(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                          size_t digest_len, const uint8_t *sig, size_t sig_len);
int rlab_lgc_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen);
int rlab_lgc_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen);
int rlab_lgc_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len, uint8_t *out,
                        size_t *outlen);
int rlab_lgc_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len, uint8_t *out,
                         size_t *outlen);

/* ---- lgc_sym.c ------------------------------------------------------------- */

int rlab_lgc_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out);
int rlab_lgc_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                       uint8_t *tag, size_t tag_len);
int rlab_lgc_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, size_t len, const uint8_t *tag,
                       size_t tag_len, uint8_t *out);
void rlab_lgc_aead_free(rlab_aead_ctx *c);

int rlab_lgc_hash_new(rlab_hash h, rlab_hash_ctx **out);
int rlab_lgc_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len);
int rlab_lgc_hash_final(rlab_hash_ctx *c, uint8_t *out);
void rlab_lgc_hash_free(rlab_hash_ctx *c);

#endif
