/*
 * Encoding methods of PKCS #1 v2.2 (RFC 8017) on byte strings, and the gmp
 * backend's randomness.  No bignums here: the caller converts between the
 * encoded message EM and integers.  k is the modulus length in bytes.
 *
 * Hashes are the backend's own (gmp_hash.h); any of SHA-1, SHA-2 and SHA-3
 * can be the message hash or the MGF1 hash.  SHAKE128/256 exist for PSS
 * only (RFC 8702): as the hash, with the same SHAKE as the mask function in
 * place of MGF1 (p->mgf1_hash names it); OAEP, MGF1 and v1.5 refuse them
 * with RLAB_ERR_UNSUPPORTED.  Randomness (OAEP seeds, PSS salts, v1.5
 * padding) comes from `rng` when it is not NULL, else from getrandom(2).
 * Every intermediate that depends on a secret (DB, seeds, masks, copies of
 * the message) is wiped before return, on every path.
 *
 * Error codes: RLAB_ERR_INVALID_ARG for parameters that can never work (a
 * NULL pointer, a digest_len that is not the hash's length, a negative salt
 * length when signing), RLAB_ERR_UNSUPPORTED for RLAB_HASH_NONE or an
 * unknown hash, RLAB_ERR_NOMEM, RLAB_ERR_RNG, and per function as below.
 */
#ifndef RLAB_GMP_PAD_H
#define RLAB_GMP_PAD_H

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

/* Fill out[0..len) from rng, or from getrandom(2) when rng is NULL (looping
 * over short reads and EINTR).  RLAB_OK or RLAB_ERR_RNG; on failure out is
 * zeroed. */
int rlab_gmp_random(const struct rlab_rng *rng, uint8_t *out, size_t len);

/* MGF1 (RFC 8017 B.2.1) over a fixed-length hash (SHAKE:
 * RLAB_ERR_UNSUPPORTED): WRITES mask_len bytes of MGF1(seed) to mask (it does
 * not xor).  RLAB_ERR_INVALID_ARG when mask_len > 2^32 * hLen. */
int rlab_gmp_mgf1(rlab_hash h, const uint8_t *seed, size_t seed_len,
                  uint8_t *mask, size_t mask_len);
/* mask[i] ^= MGF1(seed)[i] for i < mask_len, without a temporary of
 * mask_len bytes.  Same errors as rlab_gmp_mgf1; seed and mask must not
 * overlap. */
int rlab_gmp_mgf1_xor(rlab_hash h, const uint8_t *seed, size_t seed_len,
                      uint8_t *mask, size_t mask_len);

/* ---- OAEP (RFC 8017 7.1) ----------------------------------------------------- */

/* EME-OAEP encoding: em gets k bytes, 0x00 || maskedSeed || maskedDB.  The
 * seed (hLen bytes of p->hash) is drawn from rng.  RLAB_ERR_MSG_TOO_LONG
 * when msg_len > k - 2*hLen - 2 (which includes k too small for the hash). */
int rlab_gmp_oaep_encode(const struct rlab_oaep_params *p,
                         const struct rlab_rng *rng, const uint8_t *msg,
                         size_t msg_len, uint8_t *em, size_t k);

/* EME-OAEP decoding of the k-byte block em.  *outlen is the capacity of out
 * on entry and the message length on return (0 on any failure).
 *
 * Returns RLAB_ERR_BUFFER_TOO_SMALL when the capacity is below
 * k - 2*hLen - 2, the longest message the block can hold: that depends only
 * on public sizes and is checked before em is read.  Every failure of the
 * block itself (first byte, lHash, separator, k < 2*hLen + 2) is
 * RLAB_ERR_DECRYPT.  Constant time: no branch or memory index depends on
 * em; all checks are folded into one mask, and the message is moved into
 * place by a fixed sequence of passes over the whole buffer.  out gets
 * k - 2*hLen - 2 bytes written in every case (the message, then zeros; all
 * zeros on failure). */
int rlab_gmp_oaep_decode(const struct rlab_oaep_params *p, const uint8_t *em,
                         size_t k, uint8_t *out, size_t *outlen);

/* ---- PSS (RFC 8017 9.1) ------------------------------------------------------- */

/* EMSA-PSS encoding of digest (the message's hash under p->hash).  The
 * mask is MGF1 with p->mgf1_hash, or, when that is SHAKE128/256, that SHAKE
 * itself (RFC 8702 2.2; both hashes must then be the same SHAKE).  em gets
 * (em_bits + 7) / 8 bytes, em_bits = modBits - 1; when em_bits is a multiple
 * of 8 that is one byte shorter than k and the caller puts a zero byte in
 * front.  The salt (p->salt_len bytes, >= 0) comes from rng.
 * RLAB_ERR_MSG_TOO_LONG when the block cannot hold hLen + salt_len + 2
 * bytes; RLAB_ERR_INVALID_ARG for RLAB_PSS_SALT_AUTO. */
int rlab_gmp_pss_encode(const struct rlab_pss_params *p,
                        const struct rlab_rng *rng, const uint8_t *digest,
                        size_t digest_len, uint8_t *em, size_t em_bits);

/* EMSA-PSS verification of em ((em_bits + 7) / 8 bytes) against digest.
 * p->salt_len is the expected salt length, or RLAB_PSS_SALT_AUTO to accept
 * the salt length the block carries.  RLAB_OK or RLAB_ERR_VERIFY for any
 * failure, including a digest_len that is not the hash's length. */
int rlab_gmp_pss_verify(const struct rlab_pss_params *p, const uint8_t *digest,
                        size_t digest_len, const uint8_t *em, size_t em_bits);

/* ---- PKCS #1 v1.5 (RFC 8017 9.2 and 7.2) -------------------------------------- */

/* DER prefix of DigestInfo for hash h (the digest follows it); *len gets its
 * length.  NULL for RLAB_HASH_NONE / unknown. */
const uint8_t *rlab_gmp_digestinfo_prefix(rlab_hash h, size_t *len);

/* EMSA-PKCS1-v1_5: em gets k bytes 00 01 FF..FF 00 DigestInfo(h, digest).
 * RLAB_ERR_MSG_TOO_LONG when fewer than 8 bytes of FF would fit. */
int rlab_gmp_pkcs1_sig_encode(rlab_hash h, const uint8_t *digest,
                              size_t digest_len, uint8_t *em, size_t k);

/* Verification by re-encoding (never parsing): encodes the expected block
 * and compares all k bytes with em in constant time.  RLAB_OK or
 * RLAB_ERR_VERIFY for any failure. */
int rlab_gmp_pkcs1_sig_verify(rlab_hash h, const uint8_t *digest,
                              size_t digest_len, const uint8_t *em, size_t k);

/* RSAES-PKCS1-v1_5 encoding: em gets k bytes 00 02 PS 00 M, PS at least 8
 * nonzero random bytes.  RLAB_ERR_MSG_TOO_LONG when msg_len > k - 11. */
int rlab_gmp_pkcs1_enc_encode(const struct rlab_rng *rng, const uint8_t *msg,
                              size_t msg_len, uint8_t *em, size_t k);

/* RSAES-PKCS1-v1_5 decoding of the k-byte block em.  As for OAEP: *outlen is
 * capacity in, message length out (0 on failure); RLAB_ERR_BUFFER_TOO_SMALL
 * when the capacity is below k - 11 (checked before em is read); every
 * failure of the block (00 02, fewer than 8 nonzero PS bytes, no 00
 * separator, k < 11) is RLAB_ERR_DECRYPT; constant time; out gets k - 11
 * bytes written in every case. */
int rlab_gmp_pkcs1_enc_decode(const uint8_t *em, size_t k, uint8_t *out,
                              size_t *outlen);

/* ---- shared by the decoders ---------------------------------------------------- */

/* Constant-time left shift: moves buf[shift..len) to buf[0..len-shift) and
 * zero-fills the tail, for a secret shift < len, with a memory access
 * pattern that depends only on len (one pass over buf per bit of len). */
void rlab_gmp_ct_shift_left(uint8_t *buf, size_t len, size_t shift);

#endif
