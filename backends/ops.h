/*
 * One entry point per backend operation.
 *
 * Callers (core/, vectors/, bench/, apps/, tests/) never call a slot of
 * struct rlab_backend directly: they call these, which do once what every
 * slot's contract in backend.h promises and then call the slot.  So a slot
 * may assume, when it is called:
 *
 *  - the slot is present and the backend has the capability and the hashes
 *    the call names (else RLAB_ERR_UNSUPPORTED, with a reason in the detail);
 *  - the key is not NULL and belongs to this backend (else
 *    RLAB_ERR_INVALID_ARG), and is private where the operation needs it
 *    (else RLAB_ERR_KEY_NOT_PRIVATE);
 *  - pointers are usable: an input pointer is non-NULL when its length is
 *    not 0, padding parameters are non-NULL, a label pointer is non-NULL when
 *    its length is not 0, a digest is exactly the hash's length, a PSS salt
 *    for signing is explicit (RLAB_ERR_INVALID_ARG otherwise);
 *  - the output capacity, which the slot gets in *outlen as backend.h says,
 *    was checked from public sizes alone: encryption, signing and raw
 *    outputs have room for k bytes; decryption has room for the longest
 *    plaintext the key and padding allow (k - 2*hLen - 2, k - 11); else
 *    RLAB_ERR_BUFFER_TOO_SMALL;
 *  - exact k-byte inputs: a ciphertext that is not k bytes was already
 *    answered RLAB_ERR_DECRYPT, a signature that is not k bytes
 *    RLAB_ERR_VERIFY, a raw input that is not k bytes RLAB_ERR_RANGE;
 *  - a message, PSS salt or DigestInfo too long for the key and padding was
 *    answered RLAB_ERR_MSG_TOO_LONG, with a detail that names which.
 *
 * After the slot returns, the entry point enforces the output rules: on any
 * failure `*outlen` is 0 and, for private-key outputs (decryption, signing,
 * raw private), the whole output buffer is wiped.
 *
 * Each entry point says whether the slot behind it must run in constant
 * time with respect to secrets (CT) and who owns what.
 */
#ifndef RLAB_OPS_H
#define RLAB_OPS_H

#include "backends/backend.h"

/* ---- keys ---------------------------------------------------------------- */

/* Generate a key.  The caller owns *out (rlab_key_free).  A size the
 * backend cannot make (its limit() says so) is RLAB_ERR_UNSUPPORTED with the
 * reason; an even e or e < 3 is RLAB_ERR_INVALID_ARG.  CT: the private
 * parts (prime generation may leak the number of candidates tried). */
int rlab_keygen(const struct rlab_backend *be, unsigned bits, unsigned long e,
                const struct rlab_rng *rng, rlab_key **out);
/* A key of `primes` primes (2 is rlab_keygen).  More than two needs
 * RLAB_CAP_MULTI_PRIME and the keygen_multi slot, and at most
 * rlab_max_primes(bits) primes (OpenSSL's caps): else RLAB_ERR_UNSUPPORTED
 * with the reason.  CT and owns: as rlab_keygen. */
int rlab_keygen_primes(const struct rlab_backend *be, unsigned bits, unsigned primes,
                       unsigned long e, const struct rlab_rng *rng, rlab_key **out);
/* Build a key from components (borrowed; the caller still clears them).
 * Components with other primes (c->n_other > 0) on a backend without
 * RLAB_CAP_MULTI_PRIME are RLAB_ERR_UNSUPPORTED with the reason.
 * The caller owns *out. */
int rlab_key_from_components(const struct rlab_backend *be,
                             const struct rlab_components *c, rlab_key **out);
/* Fill *out (caller clears it with rlab_components_clear, which wipes). */
int rlab_key_to_components(const struct rlab_backend *be, const rlab_key *k,
                           struct rlab_components *out);
/* Parse one key of a known format; *out owned by the caller. */
int rlab_key_import(const struct rlab_backend *be, rlab_keyfmt fmt,
                    rlab_encoding enc, const uint8_t *in, size_t len,
                    rlab_key **out);
/* Encode a key into *out (caller clears it). */
int rlab_key_export(const struct rlab_backend *be, const rlab_key *k,
                    rlab_keyfmt fmt, rlab_encoding enc, struct rlab_buf *out);

/* ---- RSA ----------------------------------------------------------------- */

/* Public key; not CT (nothing secret but the message, which is in a fixed
 * position).  out: k bytes. */
int rlab_oaep_encrypt(const struct rlab_backend *be, const rlab_key *k,
                      const struct rlab_oaep_params *p,
                      const struct rlab_rng *rng, const uint8_t *msg,
                      size_t msg_len, uint8_t *out, size_t *outlen);
/* CT: every failure is RLAB_ERR_DECRYPT and the slot must not branch on
 * which check failed.  out: room for k - 2*hLen - 2 bytes. */
int rlab_oaep_decrypt(const struct rlab_backend *be, const rlab_key *k,
                      const struct rlab_oaep_params *p, const uint8_t *ct,
                      size_t ct_len, uint8_t *out, size_t *outlen);
/* CT (private operation).  p->salt_len explicit.  sig: k bytes. */
int rlab_pss_sign(const struct rlab_backend *be, const rlab_key *k,
                  const struct rlab_pss_params *p, const struct rlab_rng *rng,
                  const uint8_t *digest, size_t digest_len, uint8_t *sig,
                  size_t *sig_len);
/* Public; not CT.  RLAB_OK or RLAB_ERR_VERIFY. */
int rlab_pss_verify(const struct rlab_backend *be, const rlab_key *k,
                    const struct rlab_pss_params *p, const uint8_t *digest,
                    size_t digest_len, const uint8_t *sig, size_t sig_len);
/* CT (private operation).  sig: k bytes. */
int rlab_pkcs1_sign(const struct rlab_backend *be, const rlab_key *k,
                    rlab_hash hash, const uint8_t *digest, size_t digest_len,
                    uint8_t *sig, size_t *sig_len);
/* Public; not CT.  RLAB_OK or RLAB_ERR_VERIFY. */
int rlab_pkcs1_verify(const struct rlab_backend *be, const rlab_key *k,
                      rlab_hash hash, const uint8_t *digest, size_t digest_len,
                      const uint8_t *sig, size_t sig_len);
/* Public; not CT.  out: k bytes. */
int rlab_pkcs1_encrypt(const struct rlab_backend *be, const rlab_key *k,
                       const struct rlab_rng *rng, const uint8_t *msg,
                       size_t msg_len, uint8_t *out, size_t *outlen);
/* CT as for OAEP (vectors only; the protocol never uses v1.5).  out: room
 * for k - 11 bytes. */
int rlab_pkcs1_decrypt(const struct rlab_backend *be, const rlab_key *k,
                       const uint8_t *ct, size_t ct_len, uint8_t *out,
                       size_t *outlen);
/* m^e mod n; in and out k bytes; not CT. */
int rlab_raw_public(const struct rlab_backend *be, const rlab_key *k,
                    const uint8_t *in, size_t in_len, uint8_t *out,
                    size_t *outlen);
/* Blinded CRT private operation, checked before release; CT. */
int rlab_raw_private(const struct rlab_backend *be, const rlab_key *k,
                     const uint8_t *in, size_t in_len, uint8_t *out,
                     size_t *outlen);

/* ---- AES-GCM --------------------------------------------------------------- */

/* key_len 16 or 32; the context (owned by the caller, rlab_aead_free) holds
 * the key schedule.  CT: the slots must be (AES-NI or bitsliced). */
int rlab_aead_new(const struct rlab_backend *be, const uint8_t *key,
                  size_t key_len, rlab_aead_ctx **out);
/* iv non-empty, tag_len 4..16; out may equal in. */
int rlab_aead_seal(const struct rlab_backend *be, rlab_aead_ctx *c,
                   const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                   size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                   uint8_t *tag, size_t tag_len);
/* RLAB_ERR_AUTH with out zeroed on a tag mismatch (compared in CT). */
int rlab_aead_open(const struct rlab_backend *be, rlab_aead_ctx *c,
                   const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                   size_t aad_len, const uint8_t *in, size_t len,
                   const uint8_t *tag, size_t tag_len, uint8_t *out);
void rlab_aead_free(const struct rlab_backend *be, rlab_aead_ctx *c);

/* ---- hashes ---------------------------------------------------------------- */

/* Incremental hash: new, update*, final (which frees) or free. */
int rlab_hash_new(const struct rlab_backend *be, rlab_hash h,
                  rlab_hash_ctx **out);
int rlab_hash_update(const struct rlab_backend *be, rlab_hash_ctx *c,
                     const uint8_t *p, size_t len);
/* out gets rlab_hash_len(h) bytes (SHAKE128/256: 32/64, RFC 8702). */
int rlab_hash_final(const struct rlab_backend *be, rlab_hash_ctx *c,
                    uint8_t *out);
/* SHAKE128/256 contexts only: out_len bytes of the XOF output; frees c like
 * rlab_hash_final.  RLAB_ERR_UNSUPPORTED (with the reason) when the backend
 * has no hash_final_xof slot, RLAB_ERR_INVALID_ARG for a fixed-length
 * hash.  Ask rlab_backend_check() with .xof_len first to report a skip. */
int rlab_hash_final_xof(const struct rlab_backend *be, rlab_hash_ctx *c,
                        uint8_t *out, size_t out_len);
void rlab_hash_free(const struct rlab_backend *be, rlab_hash_ctx *c);

#endif
