/*
 * The gmp backend's own hashes: SHA-1 (gmp_sha1.c), SHA-224/256
 * (gmp_sha256.c) and SHA-384/512/512-224/512-256 (gmp_sha512.c) after
 * FIPS 180-4, SHA3-224/256/384/512 and SHAKE128/256 after FIPS 202
 * (gmp_keccak.c), with one dispatching context (gmp_hash.c) and the
 * backend's hash slots built on it.
 *
 * All of them are incremental, take input of any length in any number of
 * pieces (byte counts are kept in 64 bits, 128 for the SHA-512 family, so
 * inputs beyond 2^32 bytes are hashed right), and run in time that depends
 * only on the input length, never on its bytes.  *_final writes the digest
 * and wipes the whole context; a context is then unusable until re-initialised.
 */
#ifndef RLAB_GMP_HASH_H
#define RLAB_GMP_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

/* ---- Merkle-Damgard block buffering, shared by the three families -------- */

/* Big-endian words, as FIPS 180-4 reads and writes them. */
static inline uint32_t rlab_gmp_load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static inline uint64_t rlab_gmp_load_be64(const uint8_t *p)
{
    return (uint64_t)rlab_gmp_load_be32(p) << 32 | rlab_gmp_load_be32(p + 4);
}

static inline void rlab_gmp_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void rlab_gmp_store_be64(uint8_t *p, uint64_t v)
{
    rlab_gmp_store_be32(p, (uint32_t)(v >> 32));
    rlab_gmp_store_be32(p + 4, (uint32_t)v);
}

/* A family's compression function: one block into the state (h[]). */
typedef void (*rlab_gmp_compress_fn)(void *state, const uint8_t *block);

/* Appends p[0..len) to the partial block buf[0..*fill) of blk bytes, runs
 * compress on every block completed, full blocks of p straight from p, and
 * keeps the rest in buf.  Control flow depends on len and *fill only. */
void rlab_gmp_md_update(void *state, rlab_gmp_compress_fn compress, uint8_t *buf,
                        size_t blk, size_t *fill, const uint8_t *p, size_t len);
/* The closing blocks of FIPS 180-4 5.1: 0x80, zeros, then the message bit
 * length len_field[0..len_bytes) (big-endian, 8 or 16 bytes) at the block's
 * end; one or two more compressions.  buf holds `fill` (< blk) bytes. */
void rlab_gmp_md_final(void *state, rlab_gmp_compress_fn compress, uint8_t *buf,
                       size_t blk, size_t fill, const uint8_t *len_field,
                       size_t len_bytes);

/* ---- the families, for gmp_hash.c and the tests ------------------------- */

struct rlab_gmp_sha1 {
    uint32_t h[5];
    uint64_t bytes;      /* message length so far */
    uint8_t buf[64];     /* a partial block */
    size_t fill;         /* bytes in buf */
};

void rlab_gmp_sha1_init(struct rlab_gmp_sha1 *c);
void rlab_gmp_sha1_update(struct rlab_gmp_sha1 *c, const uint8_t *p, size_t len);
void rlab_gmp_sha1_final(struct rlab_gmp_sha1 *c, uint8_t out[20]);

struct rlab_gmp_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    uint8_t buf[64];
    size_t fill;
    size_t out_len;      /* 28 for SHA-224, 32 for SHA-256 */
};

/* out_len selects the variant: 28 (SHA-224) or 32 (SHA-256). */
void rlab_gmp_sha256_init(struct rlab_gmp_sha256 *c, size_t out_len);
void rlab_gmp_sha256_update(struct rlab_gmp_sha256 *c, const uint8_t *p, size_t len);
/* Writes c->out_len bytes. */
void rlab_gmp_sha256_final(struct rlab_gmp_sha256 *c, uint8_t *out);

struct rlab_gmp_sha512 {
    uint64_t h[8];
    uint64_t bytes_lo, bytes_hi; /* 128-bit message length in bytes */
    uint8_t buf[128];
    size_t fill;
    size_t out_len;      /* 28, 32, 48 or 64 */
};

/* alg is one of RLAB_HASH_SHA384, _SHA512, _SHA512_224, _SHA512_256;
 * returns RLAB_OK or RLAB_ERR_UNSUPPORTED. */
int rlab_gmp_sha512_init(struct rlab_gmp_sha512 *c, rlab_hash alg);
void rlab_gmp_sha512_update(struct rlab_gmp_sha512 *c, const uint8_t *p, size_t len);
/* Writes c->out_len bytes. */
void rlab_gmp_sha512_final(struct rlab_gmp_sha512 *c, uint8_t *out);

/* ---- FIPS 202: SHA-3 and SHAKE (gmp_keccak.c) ------------------------------- */

/* The sponge: state, rate, position in the current block.  Absorbing ends
 * with the first squeeze; squeezes then continue the output stream. */
struct rlab_gmp_keccak {
    uint64_t s[25];
    size_t rate;         /* bytes: 144, 136, 104, 72; SHAKE 168, 136 */
    size_t pos;          /* bytes absorbed / given out of the current block */
    size_t out_len;      /* fixed output (28..64; SHAKE: 32 and 64, RFC 8702) */
    uint8_t suffix;      /* domain bits and first padding bit: 0x06 or 0x1f */
    int squeezing;
};

/* The permutation, 24 rounds, in place.  Constant time. */
void rlab_gmp_keccak_f1600(uint64_t a[25]);
/* alg: RLAB_HASH_SHA3_* or RLAB_HASH_SHAKE*; else RLAB_ERR_UNSUPPORTED. */
int rlab_gmp_keccak_init(struct rlab_gmp_keccak *c, rlab_hash alg);
/* Absorb; ignored once squeezing began. */
void rlab_gmp_keccak_update(struct rlab_gmp_keccak *c, const uint8_t *p, size_t len);
/* The next len bytes of output (the first call pads and ends absorbing).
 * For SHA3-* only the first out_len bytes are the digest. */
void rlab_gmp_keccak_squeeze(struct rlab_gmp_keccak *c, uint8_t *out, size_t len);
/* out_len bytes, then wipes the context. */
void rlab_gmp_keccak_final(struct rlab_gmp_keccak *c, uint8_t *out);
/* mask[i] ^= SHAKE(seed)[i] for i < mask_len: the mask function of
 * RSASSA-PSS with SHAKE (RFC 8702 2.2).  alg SHAKE128 or SHAKE256, else
 * RLAB_ERR_UNSUPPORTED; seed and mask must not overlap. */
int rlab_gmp_shake_xor(rlab_hash alg, const uint8_t *seed, size_t seed_len,
                       uint8_t *mask, size_t mask_len);

/* ---- any of the thirteen ---------------------------------------------------- */

struct rlab_gmp_hash {
    rlab_hash alg;
    union {
        struct rlab_gmp_sha1 sha1;
        struct rlab_gmp_sha256 sha256;
        struct rlab_gmp_sha512 sha512;
        struct rlab_gmp_keccak keccak;
    } u;
};

/* Digest length in bytes, 0 for RLAB_HASH_NONE / an unknown value.  The same
 * as rlab_hash_len() (registry.c); kept here so that the backend's own code
 * does not depend on the registry library it is linked under. */
size_t rlab_gmp_hash_len(rlab_hash alg);

/* RLAB_OK, or RLAB_ERR_UNSUPPORTED for RLAB_HASH_NONE / an unknown value. */
int rlab_gmp_hash_init(struct rlab_gmp_hash *c, rlab_hash alg);
void rlab_gmp_hash_update(struct rlab_gmp_hash *c, const uint8_t *p, size_t len);
/* Writes rlab_hash_len(c->alg) bytes and wipes the context (SHAKE: the
 * first 32 or 64 bytes of its output, RFC 8702). */
void rlab_gmp_hash_final(struct rlab_gmp_hash *c, uint8_t *out);
/* One shot: out gets rlab_hash_len(alg) bytes.  RLAB_ERR_UNSUPPORTED as init. */
int rlab_gmp_hash(rlab_hash alg, const uint8_t *p, size_t len, uint8_t *out);

/* ---- the backend's hash slots (struct rlab_backend.hash_*) ----------------- */

/* Allocates a context; RLAB_ERR_UNSUPPORTED, RLAB_ERR_NOMEM or
 * RLAB_ERR_INVALID_ARG (out NULL). */
int rlab_gmp_hash_new(rlab_hash h, rlab_hash_ctx **out);
int rlab_gmp_hash_update_slot(rlab_hash_ctx *c, const uint8_t *p, size_t len);
/* Writes the digest, then wipes and frees c (also on error). */
int rlab_gmp_hash_final_slot(rlab_hash_ctx *c, uint8_t *out);
/* SHAKE only: out_len bytes of output, then wipes and frees c (also on
 * error); RLAB_ERR_INVALID_ARG for a fixed-length hash. */
int rlab_gmp_hash_final_xof_slot(rlab_hash_ctx *c, uint8_t *out, size_t out_len);
/* Wipes and frees without a digest.  NULL ok. */
void rlab_gmp_hash_free(rlab_hash_ctx *c);

#endif
