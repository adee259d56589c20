/*
 * Inside the interop engine (interop.c, interop_ops.c): what party A made,
 * the scratch folder, and the operation cells.  see interop.h
 */
#ifndef RLAB_INTEROP_INT_H
#define RLAB_INTEROP_INT_H

#include <stdint.h>

#include "base/buf.h"
#include "vectors/interop.h"

/* The private scratch folder of one run (mkdtemp, removed at the end). */
struct rlab_iop_work {
    char root[64];
    char *errfile; /* the tool's stderr goes here */
    int nomem;
    unsigned primes; /* of every key made: 2, or more (RFC 8017 3.2) */
};

/* What party A made: its key (a backend's) and its encodings, in memory and
 * as the files key.pem (PKCS#8), pub.pem (SPKI), key.der (PKCS#1) in dir. */
struct rlab_iop_material {
    char *error; /* keygen or export failed: every cell of A's row fails */
    int unsupported; /* ... because A cannot make such a key: the row is
                      * skipped with `error` as the reason, not failed */
    rlab_key *key;
    struct rlab_buf pkcs8_pem, spki_pem, pkcs1_der, spki_der;
    char *dir;
};

/* One (A, B) pair for the operation cells. */
struct rlab_iop_ops {
    struct rlab_iop_work *w;
    const struct rlab_iop_party *A, *B;
    const struct rlab_iop_material *ma;
    const rlab_key *b_priv; /* B's import of A's PKCS#8 key (NULL: failed) */
    const rlab_key *b_pub;  /* B's import of A's SubjectPublicKeyInfo */
    unsigned bits;
};

/* Set a cell (detail printf-style, NULL for none). */
void rlab_iop_set(struct rlab_iop_work *w, struct rlab_iop_cell *c, rlab_iop_status st,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* "dir/name" (NULL on NOMEM). */
char *rlab_iop_path(const char *dir, const char *name);
int rlab_iop_write(const char *path, const uint8_t *p, size_t len);

/* OAEP-SHA256: A encrypts, B decrypts. */
void rlab_iop_oaep(const struct rlab_iop_ops *o, struct rlab_iop_cell *c);
/* PSS-SHA256 (pss = 1, salt 32) or v1.5 SHA-256: A signs, B verifies. */
void rlab_iop_sign(const struct rlab_iop_ops *o, int pss, struct rlab_iop_cell *c);

#endif
