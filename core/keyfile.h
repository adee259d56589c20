/*
 * Key files: read a key in any supported form and write key pairs.
 *
 * rlab_keyfile_parse() detects the form: PEM by its label ("RSA PRIVATE KEY",
 * "RSA PUBLIC KEY", "PRIVATE KEY", "PUBLIC KEY"), otherwise DER tried as
 * PKCS#8, PKCS#1 RSAPrivateKey, SubjectPublicKeyInfo and PKCS#1 RSAPublicKey
 * in that order.  The key is imported by backend `be`.  On failure returns
 * RLAB_ERR_KEY_FORMAT (not a key / truncated / unsupported label) or the
 * backend's error (RLAB_ERR_KEY_INVALID, ...); *out is NULL.
 * If fmt_out is not NULL it receives the detected format.
 */
#ifndef RLAB_KEYFILE_H
#define RLAB_KEYFILE_H

#include "backends/backend.h"

int rlab_keyfile_parse(const struct rlab_backend *be, const uint8_t *data,
                       size_t len, rlab_key **out, rlab_keyfmt *fmt_out,
                       rlab_encoding *enc_out);

/* Read a whole file (or stdin when path is "-") into *out.  Errors:
 * RLAB_ERR_IO (detail names the path and errno text). */
int rlab_file_read(const char *path, struct rlab_buf *out);

/* Read and parse a key file; see rlab_keyfile_parse(). */
int rlab_keyfile_load(const struct rlab_backend *be, const char *path,
                      rlab_key **out);

/* Write data to path atomically (temporary file + rename) with the given
 * mode.  Without `force`, an existing path is RLAB_ERR_EXISTS. */
int rlab_file_write(const char *path, const uint8_t *data, size_t len,
                    unsigned mode, int force);

#endif
