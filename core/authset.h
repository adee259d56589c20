/*
 * Pinned identity keys: the set of client keys a server accepts (as SSH's
 * authorized_keys), each with a display name.  Keys are compared by their
 * canonical SubjectPublicKeyInfo DER as the server's backend writes it.
 */
#ifndef RLAB_AUTHSET_H
#define RLAB_AUTHSET_H

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

#define RLAB_AUTHSET_MAX 1024

struct rlab_authset_entry {
    uint8_t *spki;
    size_t spki_len;
    char name[64];   /* the file's stem ("alice" for alice.pub.pem) */
};

struct rlab_authset {
    struct rlab_authset_entry *v;
    size_t n;
    char last_error[256]; /* why a file was refused, for the caller to show */
};

/* Load a key file, or every regular file of a folder (a file that is not a
 * key is an error naming it: an authorization list must not half-load).
 * Each key is imported by `be` (private files are reduced to their public
 * half). */
int rlab_authset_load(struct rlab_authset *set, const struct rlab_backend *be,
                      const char *path);
/* Canonical SPKI DER of a key (through its backend) into a fresh buffer. */
int rlab_spki_of(const struct rlab_backend *be, const rlab_key *k, struct rlab_buf *out);
/* The entry for spki, or NULL. */
const struct rlab_authset_entry *rlab_authset_find(const struct rlab_authset *set,
                                                   const uint8_t *spki, size_t len);
/* rlab_hs_authorize_fn over a struct rlab_authset. */
int rlab_authset_authorize(void *set, const uint8_t *spki, size_t len);
void rlab_authset_clear(struct rlab_authset *set);

#endif
