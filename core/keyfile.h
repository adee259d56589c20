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
#include "core/fileio.h"

int rlab_keyfile_parse(const struct rlab_backend *be, const uint8_t *data,
                       size_t len, rlab_key **out, rlab_keyfmt *fmt_out,
                       rlab_encoding *enc_out);

/* Read and parse a key file; see rlab_keyfile_parse().
 * The file is read with rlab_file_read() under RLAB_KEYFILE_MAX. */
int rlab_keyfile_load(const struct rlab_backend *be, const char *path,
                      rlab_key **out);

#endif
