/*
 * Transient keys: the RSA keys used only for OAEP key transport in the
 * rsalab/1 handshake, made at start and (server) rotated on an interval, so
 * that a recorded session cannot be decrypted once its transient keys are
 * gone, even with both identity keys (docs/PROTOCOL.md, "Forward secrecy").
 *
 * A transient key lives only in memory.  It is reference-counted so that a
 * rotation does not pull it from under a handshake in progress: each
 * handshake holds a reference until it ends, and the last reference wipes
 * and frees the key.  The count is atomic, so that threads may share a key
 * (a test's clients do); a key's other fields are set once, at creation.
 */
#ifndef RLAB_TKEY_H
#define RLAB_TKEY_H

#include <stdint.h>

#include "backends/backend.h"
#include "base/buf.h"

#define RLAB_TKEY_BITS 2048

struct rlab_tkey {
    rlab_key *key;
    struct rlab_buf spki; /* the public half as SPKI DER, exported once */
    unsigned refs;
    uint64_t made_ms; /* monotonic time of generation */
};

/* Generate a transient key of `bits` (0: RLAB_TKEY_BITS) with backend be;
 * *out holds one reference. */
int rlab_tkey_new(const struct rlab_backend *be, unsigned bits, struct rlab_tkey **out);
/* A transient key around `key` (a private key made elsewhere, e.g. a pool
 * of keys generated ahead of time); takes ownership of key, also on failure.
 * *out holds one reference. */
int rlab_tkey_adopt(rlab_key *key, struct rlab_tkey **out);
/* Take another reference; returns t. */
struct rlab_tkey *rlab_tkey_get(struct rlab_tkey *t);
/* Drop a reference; the last one wipes and frees the key.  NULL ok. */
void rlab_tkey_put(struct rlab_tkey *t);

/* Monotonic milliseconds. */
uint64_t rlab_now_ms(void);

#endif
