/*
 * Hex helpers shared by vectors/, tests/ and apps/.
 */
#ifndef RLAB_HEXUTIL_H
#define RLAB_HEXUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Decode hex (upper or lower case; an odd number of digits gets a leading
 * zero; spaces, tabs, newlines and ':' are skipped) into a fresh buffer.
 * Returns RLAB_OK or RLAB_ERR_PARSE. */
int rlab_hex_decode(const char *hex, size_t hex_len, struct rlab_buf *out);

/* Encode len bytes as lower-case hex into out (2*len+1 bytes, NUL-ended). */
void rlab_hex_encode(const uint8_t *in, size_t len, char *out);

#endif
