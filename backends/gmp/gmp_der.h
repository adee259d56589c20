/*
 * DER and PEM for the gmp backend's key formats: our own strict reader and
 * writer (gmp_asn1.c), PEM armour and base64 (gmp_pem.c) and the four key
 * structures (gmp_der_key.c).  No GMP here: these files only move bytes.
 *
 * What is accepted (anything else is RLAB_ERR_KEY_FORMAT with a detail set
 * through rlab_error_set() that names what was wrong):
 *
 *  - DER only: single-byte tags, definite lengths in the shortest form (long
 *    form only from 128, no leading zero length byte, at most 4 length
 *    bytes), every length checked against the bytes that remain before
 *    anything is read, no trailing bytes at any level (also inside the
 *    PKCS#8 OCTET STRING and the SPKI BIT STRING), nesting bounded by
 *    RLAB_GMP_DER_MAX_DEPTH.  The reader follows the schema: it never walks
 *    an unknown structure, so a deep nest is refused at its first tag.
 *  - INTEGERs in their minimal two's-complement form (no superfluous 0x00 or
 *    0xff, at least one content byte); negative key values are refused.
 *  - RSAPrivateKey (PKCS#1) version 0 (two primes) without
 *    otherPrimeInfos, or version 1 (multi-prime, RFC 8017 A.1.2) with a
 *    non-empty otherPrimeInfos of at most RLAB_MAX_PRIMES - 2 entries (more
 *    is RLAB_ERR_UNSUPPORTED).  RSAPublicKey (PKCS#1): SEQUENCE { n, e }.
 *  - PrivateKeyInfo (PKCS#8) version 0 only.  Decided: version 1
 *    (OneAsymmetricKey, RFC 5958) is refused even without its optional
 *    public key, and so are the optional [0] attributes: no producer of RSA
 *    keys we interoperate with writes them, and accepting them would be
 *    accepting two encodings of one key.
 *  - AlgorithmIdentifier: rsaEncryption (1.2.840.113549.1.1.1) with NULL
 *    parameters.  Decided: absent parameters are refused (RFC 8017 A.1 and
 *    RFC 4055 say the parameters SHALL be NULL; OpenSSL always writes NULL).
 *    RSASSA-PSS keys (1.2.840.113549.1.1.10) are refused as a wrong OID.
 *  - SubjectPublicKeyInfo: that AlgorithmIdentifier and a BIT STRING with 0
 *    unused bits whose content is exactly one RSAPublicKey.
 *  - PEM: optional whitespace (space, tab, CR, LF), then exactly
 *    "-----BEGIN <label>-----" with the label of the format ("RSA PRIVATE
 *    KEY", "RSA PUBLIC KEY", "PRIVATE KEY", "PUBLIC KEY"), lines ending in
 *    LF or CRLF, base64 lines of any non-zero length from the strict
 *    alphabet (no spaces, no blank lines), '=' padding only at the very end
 *    and canonical (unused bits zero), "-----END <same label>-----", then
 *    only whitespace.  No RFC 1421 headers: "Proc-Type: 4,ENCRYPTED" gives
 *    the detail "encrypted PEM not supported", any other header line "PEM
 *    headers not supported".
 *
 * Decoded components are big-endian and minimal (the DER sign byte and any
 * leading zeros stripped); the value zero is one byte 0x00.  Whether the
 * numbers make a valid key is not decided here (see key validation).
 *
 * Memory holding private-key bytes (DER, base64 text, decoded integers) is
 * wiped before it is freed, on every path.
 */
#ifndef RLAB_GMP_DER_H
#define RLAB_GMP_DER_H

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

/*
 * Parse exactly one key of format fmt in DER or PEM (the whole input: see
 * above).  *out is overwritten on entry (not freed: pass it empty) and gets
 * n, e, and for the private formats d, p, q, dp, dq, qinv; the caller
 * releases it with rlab_components_clear().  On error *out is cleared and
 * wiped.  Returns RLAB_OK, RLAB_ERR_KEY_FORMAT (detail set), RLAB_ERR_NOMEM,
 * or RLAB_ERR_INVALID_ARG for a bad fmt/enc or a NULL pointer.
 */
int rlab_gmp_der_decode(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                        size_t len, struct rlab_components *out);

/*
 * Encode c as fmt in DER or PEM (64-character lines, "\n" line ends, ending
 * with a newline).  Leading zero bytes of the components are ignored.  A
 * public format from private components writes the public half; a private
 * format needs d, p, q, dp, dq and qinv, else RLAB_ERR_KEY_NOT_PRIVATE.  The
 * output is the one DER encoding, so it is byte-identical to what OpenSSL
 * writes for the same key.  *out is overwritten on entry and released by the
 * caller with rlab_buf_clear() (which wipes).  Returns RLAB_OK,
 * RLAB_ERR_KEY_NOT_PRIVATE, RLAB_ERR_NOMEM, or RLAB_ERR_INVALID_ARG (bad
 * fmt/enc, n or e missing, a component over RLAB_GMP_DER_MAX_INT bytes).
 */
int rlab_gmp_der_encode(const struct rlab_components *c, rlab_keyfmt fmt,
                        rlab_encoding enc, struct rlab_buf *out);

/* ---- internal to backends/gmp: the DER reader and writer (gmp_asn1.c) --- */

#define RLAB_GMP_DER_MAX_DEPTH 8
#define RLAB_GMP_DER_MAX_INT 65536 /* bytes of one INTEGER we will write */

enum {
    RLAB_GMP_TAG_INTEGER = 0x02,
    RLAB_GMP_TAG_BIT_STRING = 0x03,
    RLAB_GMP_TAG_OCTET_STRING = 0x04,
    RLAB_GMP_TAG_NULL = 0x05,
    RLAB_GMP_TAG_OID = 0x06,
    RLAB_GMP_TAG_SEQUENCE = 0x30,
};

/* A window over DER bytes still to be read.  `depth` counts the constructed
 * values around it; `what` names it in error details ("RSAPrivateKey"). */
struct rlab_gmp_der_in {
    const uint8_t *p;
    size_t len;
    unsigned depth;
    const char *what;
};

/* A window over the whole input, at depth 0. */
void rlab_gmp_der_in_init(struct rlab_gmp_der_in *r, const uint8_t *p,
                          size_t len, const char *what);

/* Read one TLV whose tag must be `tag`; *content is its value (named
 * `what`, one level deeper for constructed tags) and r moves past it. */
int rlab_gmp_der_read(struct rlab_gmp_der_in *r, uint8_t tag, const char *what,
                      struct rlab_gmp_der_in *content);

/* Read a non-negative minimal INTEGER into out (minimal big-endian, zero is
 * one 0x00 byte; the buffer is wiped when cleared).  `what` names it. */
int rlab_gmp_der_read_uint(struct rlab_gmp_der_in *r, const char *what,
                           struct rlab_buf *out);

/* Read a non-negative minimal INTEGER that must fit in an unsigned long
 * (versions). */
int rlab_gmp_der_read_small(struct rlab_gmp_der_in *r, const char *what,
                            unsigned long *out);

/* RLAB_OK when nothing is left in r, else the "trailing bytes" error. */
int rlab_gmp_der_done(const struct rlab_gmp_der_in *r);

/* A bounded writer.  Sizes are computed first (the _size functions), the
 * buffer allocated once at the exact size, then filled; writes past `cap`
 * set `overflow` instead of writing. */
struct rlab_gmp_der_out {
    uint8_t *p;
    size_t cap, pos;
    int overflow;
};

/* Bytes of a tag + length header for a value of `len` bytes. */
size_t rlab_gmp_der_hdr_size(size_t len);
/* Content bytes of an INTEGER holding the unsigned big-endian value v
 * (leading zeros ignored, a 0x00 sign byte added when the top bit is set). */
size_t rlab_gmp_der_uint_content(const uint8_t *v, size_t len);
/* Whole TLV size of that INTEGER. */
size_t rlab_gmp_der_uint_size(const uint8_t *v, size_t len);

void rlab_gmp_der_put_hdr(struct rlab_gmp_der_out *w, uint8_t tag, size_t len);
void rlab_gmp_der_put_bytes(struct rlab_gmp_der_out *w, const uint8_t *p,
                            size_t len);
void rlab_gmp_der_put_uint(struct rlab_gmp_der_out *w, const uint8_t *v,
                           size_t len);

/* ---- internal to backends/gmp: PEM armour (gmp_pem.c) ------------------- */

/* Unwrap the one PEM block labelled `label` (rules above) into der, wiped
 * when cleared.  RLAB_OK, RLAB_ERR_KEY_FORMAT (detail) or RLAB_ERR_NOMEM. */
int rlab_gmp_pem_decode(const char *label, const uint8_t *in, size_t len,
                        struct rlab_buf *der);

/* Wrap der in a PEM block labelled `label`: 64-character lines, "\n" line
 * ends, a final newline.  RLAB_OK or RLAB_ERR_NOMEM / RLAB_ERR_INVALID_ARG. */
int rlab_gmp_pem_encode(const char *label, const uint8_t *der, size_t der_len,
                        struct rlab_buf *out);

#endif
