/*
 * Peer public keys already imported by a backend, kept by their exact
 * SubjectPublicKeyInfo bytes.
 *
 * Importing a key validates it, and some libraries make that expensive
 * (OpenSSL 3.0's public-key check runs Miller-Rabin on n: about 5 ms for a
 * 2048-bit key, more than the handshake's own RSA operations).  A server
 * sees the same client identity and transient keys session after session,
 * and a client the same server keys, so each side keeps the keys it has
 * validated and imports a key again only when its bytes are new.
 *
 * A cache belongs to one thread (a server's poll loop, a client's caller):
 * it has no lock.  Keys are public, so lookups compare bytes with memcmp.
 */
#ifndef RLAB_KEYCACHE_H
#define RLAB_KEYCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

#define RLAB_KEYCACHE_DEFAULT 64

struct rlab_keycache;

/* cap entries (0: RLAB_KEYCACHE_DEFAULT). */
int rlab_keycache_new(size_t cap, struct rlab_keycache **out);
/* Every reference must have been put back.  NULL ok. */
void rlab_keycache_free(struct rlab_keycache *c);

/*
 * The key whose SPKI DER is spki[0..len), imported by be, as a reference
 * the caller gives back with rlab_keycache_put; canon/canon_len get the
 * key's canonical SPKI as be exports it (pointing into the cache, valid
 * until the put).  A key that does not import is not cached: the import's
 * error is returned each time.  With every entry in use, the key is
 * imported for this caller alone (rlab_keycache_put frees it).
 */
int rlab_keycache_get(struct rlab_keycache *c, const struct rlab_backend *be,
                      const uint8_t *spki, size_t len, rlab_key **out,
                      const uint8_t **canon, size_t *canon_len);
/* Give back a reference from rlab_keycache_get.  NULL key ok. */
void rlab_keycache_put(struct rlab_keycache *c, rlab_key *k);

/* Entries held, and lookups answered from the cache (for tests). */
size_t rlab_keycache_size(const struct rlab_keycache *c);
unsigned long rlab_keycache_hits(const struct rlab_keycache *c);

#endif
