/*
 * HMAC (RFC 2104) and HKDF (RFC 5869) over any backend's hash slots.
 *
 * `be` provides the hash; a backend without hash slots falls back to
 * rlab_backend_default_provider().  Keys longer than the hash's block are
 * hashed first, as the RFC says.  Secrets on the stack are wiped.
 */
#ifndef RLAB_HMAC_H
#define RLAB_HMAC_H

#include "backends/backend.h"

/* out gets rlab_hash_len(h) bytes. */
int rlab_hmac(const struct rlab_backend *be, rlab_hash h, const uint8_t *key,
              size_t key_len, const uint8_t *msg, size_t msg_len, uint8_t *out);

/* HKDF-Extract: prk gets rlab_hash_len(h) bytes. */
int rlab_hkdf_extract(const struct rlab_backend *be, rlab_hash h,
                      const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                      size_t ikm_len, uint8_t *prk);

/* HKDF-Expand: out_len <= 255 * rlab_hash_len(h). */
int rlab_hkdf_expand(const struct rlab_backend *be, rlab_hash h,
                     const uint8_t *prk, size_t prk_len, const uint8_t *info,
                     size_t info_len, uint8_t *out, size_t out_len);

#endif
