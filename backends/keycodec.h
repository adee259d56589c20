/*
 * A strict DER / PEM codec of the four RSA key formats, shared by the
 * backends whose library has no ASN.1 of its own or one too lax for the
 * interface (nettle, libgcrypt, bearssl, wolfssl, libtomcrypt, botan).  Library rlab_keycodec (keycodec_der.c,
 * keycodec_pem.c), which links only rlab_base: a backend folder may link it
 * (docs/ARCHITECTURE.md), and it knows no backend.
 *
 * What is accepted: minimal definite lengths, minimal non-negative
 * INTEGERs, version 0 (two primes), rsaEncryption with NULL parameters, no
 * PKCS#8 attributes, no trailing bytes at any level, PEM with exactly the
 * format's label (keycodec_pem.c says which armour).  The reader branches
 * on structure (tags, lengths) only, and on the sign and leading byte of
 * each INTEGER, which DER makes unavoidable; base64 is decoded without
 * tables indexed by secret characters.
 */
#ifndef RLAB_KEYCODEC_H
#define RLAB_KEYCODEC_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/errors.h"
#include "base/types.h"

/* Largest INTEGER content the writer takes, in bytes. */
#define RLAB_KEYCODEC_MAX_INT 65536

/*
 * decode: *out gets n, e (and d, p, q, dp, dq, qinv for the private
 * formats), minimal big-endian; RLAB_OK, RLAB_ERR_KEY_FORMAT (detail set)
 * or RLAB_ERR_NOMEM; on error *out is cleared.  Numbers are not checked:
 * that is the backend's job, with its own arithmetic.
 * encode: a public format of private components writes the public half; a
 * private format needs all eight components (else RLAB_ERR_KEY_NOT_PRIVATE).
 * The caller clears *out (rlab_buf_clear wipes).
 */
int rlab_keycodec_der_decode(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                             size_t len, struct rlab_components *out);
int rlab_keycodec_der_encode(const struct rlab_components *c, rlab_keyfmt fmt,
                             rlab_encoding enc, struct rlab_buf *out);

/* The PEM label of a format ("RSA PRIVATE KEY", "RSA PUBLIC KEY",
 * "PRIVATE KEY", "PUBLIC KEY"), or NULL for a value outside rlab_keyfmt. */
const char *rlab_keycodec_pem_label(rlab_keyfmt fmt);

/* One PEM block with exactly `label` to its DER bytes (*der, which the
 * caller clears), and back: 64-character lines, LF, final newline. */
int rlab_keycodec_pem_decode(const char *label, const uint8_t *in, size_t len,
                             struct rlab_buf *der);
int rlab_keycodec_pem_encode(const char *label, const uint8_t *der, size_t der_len,
                             struct rlab_buf *out);

#endif
