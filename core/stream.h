/*
 * Message streams: C2SP chunked-encryption v1 (c2sp.org/chunked-encryption,
 * "Cobblestone"), the format of every rsalab/1 application message.
 *
 * Byte layout (docs/PROTOCOL.md, "Message streams", has the derivation
 * with every label):
 *
 *   salt (24) || commitment (32) || chunk 0 || chunk 1 || ... || final chunk
 *
 * Each chunk is AES-GCM(key, base_nonce XOR counter, aad = empty) of 16384
 * plaintext bytes, 16-byte tag appended; the final chunk is strictly
 * shorter (0..16383 bytes of plaintext, so 16..16399 bytes on the wire).
 * key, base_nonce and commitment come from HKDF-Expand-SHA512 of the input
 * key with the salt and the context.  A 16-byte input key is Cobblestone-128
 * (AES-128-GCM), a 32-byte one Cobblestone-256 (AES-256-GCM, the protocol's).
 *
 * Two layers:
 *
 *  - struct rlab_stream: one chunk in, one chunk out.  For callers that
 *    already see chunk boundaries (the protocol: one chunk per frame).
 *  - struct rlab_stream_reader: a push decoder for unframed ciphertext (a
 *    file, the Wycheproof vectors): feed it bytes in pieces of any size, it
 *    releases plaintext one authenticated chunk at a time.
 *
 * Common contracts:
 *
 *  - Caller-allocated structs, no allocation after init: init makes the
 *    backend's AEAD context (one allocation inside the backend; a context
 *    string over 256 bytes costs one more, freed at once) and runs the KDF;
 *    every chunk after that is allocation-free.  Memory is bounded by
 *    the struct (rlab_stream_reader holds one ciphertext chunk, 16400 bytes)
 *    whatever the message length.
 *  - `aead_be` provides AES-GCM and must have RLAB_CAP_AEAD (a backend
 *    without it, gmp, gets RLAB_ERR_UNSUPPORTED: pass
 *    rlab_backend_default_provider() instead; nothing is substituted
 *    silently).  `hash_be` provides SHA-512 for the KDF; NULL means aead_be;
 *    a backend without hash slots falls back to the default provider as in
 *    core/hmac.h.  Both are borrowed and must outlive the struct.
 *  - All crypto goes through backends/ops.h and core/hmac.h.
 *  - Sticky errors: after any error every later call on the same struct
 *    returns that same error, outputs nothing (*outlen = 0) and changes
 *    nothing.  Only _clear() leaves that state.
 *  - Output lengths follow backend.h: `*outlen` is the capacity of `out` on
 *    entry and the number of bytes written on return (0 on any failure, and
 *    then `out` holds no plaintext).
 *  - Secrets (derived key, input key copies) are wiped by _clear() and on
 *    every failure path; the commitment is compared in constant time.  The
 *    chunk lengths are public (they are on the wire), so branching on them
 *    is not a leak.
 *  - Errors: RLAB_ERR_INVALID_ARG (NULL pointers, key not 16 or 32 bytes,
 *    a non-final chunk that is not exactly 16384 bytes, wrong direction),
 *    RLAB_ERR_UNSUPPORTED (aead_be without AES-GCM of that size),
 *    RLAB_ERR_BUFFER_TOO_SMALL, RLAB_ERR_RNG, RLAB_ERR_AUTH (commitment
 *    mismatch: wrong key, wrong context or modified header; or a chunk that
 *    does not authenticate: modified, reordered, duplicated, dropped, or a
 *    final chunk that is not the real one), RLAB_ERR_PARSE (a chunk shorter
 *    than a tag or longer than 16400 bytes), RLAB_ERR_TRUNCATED (the input
 *    ended before the final chunk), RLAB_ERR_TRAILING (a chunk after the
 *    final one), RLAB_ERR_TOO_BIG (2^38 chunks: the format's limit),
 *    RLAB_ERR_NOMEM, or the backend's error.
 *
 * Not safe for concurrent use of one struct; separate structs are
 * independent.
 */
#ifndef RLAB_STREAM_H
#define RLAB_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

#define RLAB_STREAM_CHUNK 16384 /* plaintext bytes of a non-final chunk */
#define RLAB_STREAM_TAG 16      /* AES-GCM tag appended to every chunk */
#define RLAB_STREAM_NONCE 12    /* AES-GCM nonce */
#define RLAB_STREAM_SALT 24
#define RLAB_STREAM_COMMIT 32
#define RLAB_STREAM_HEADER (RLAB_STREAM_SALT + RLAB_STREAM_COMMIT) /* 56 */
#define RLAB_STREAM_MAX_CT_CHUNK (RLAB_STREAM_CHUNK + RLAB_STREAM_TAG) /* 16400 */
#define RLAB_STREAM_KEY_MAX 32
/* The format allows chunk numbers below 2^38 (4 PiB per message). */
#define RLAB_STREAM_MAX_CHUNKS ((uint64_t)1 << 38)

/* A stream in one direction; contents private to stream.c. */
struct rlab_stream {
    const struct rlab_backend *be; /* AEAD provider (borrowed) */
    rlab_aead_ctx *aead;           /* owned: holds the derived key */
    uint8_t base_nonce[RLAB_STREAM_NONCE];
    uint64_t counter; /* number of the next chunk */
    int state;        /* 0 cleared, else enum in stream.c */
    int err;          /* the sticky error */
};

/*
 * The key derivation alone (the first step of every init), for tests and
 * the vector runner: HKDF-Expand-SHA512(prk = key, info = "c2sp.org/
 * chunked-encryption@v1+" || AEAD name || 0x00 || salt || ctx) split into
 * aead_key (key_len bytes), base_nonce (12) and commitment (32).  key_len 16
 * or 32 (else RLAB_ERR_INVALID_ARG); ctx may be empty (NULL with 0).  On
 * failure the outputs are wiped.  CT in the key.
 */
int rlab_stream_derive(const struct rlab_backend *hash_be, const uint8_t *key,
                       size_t key_len, const uint8_t salt[RLAB_STREAM_SALT],
                       const uint8_t *ctx, size_t ctx_len, uint8_t *aead_key,
                       uint8_t base_nonce[RLAB_STREAM_NONCE],
                       uint8_t commitment[RLAB_STREAM_COMMIT]);

/* ---- sealing ------------------------------------------------------------ */

/*
 * Start sealing one message.  A fresh salt comes from rng (NULL: the
 * kernel's getrandom(2), through core/random.h); header_out gets the 56 bytes that precede the
 * first chunk.  key (key_len 16 or 32 bytes) and ctx are only read during
 * the call.  One key may seal many messages: the random salt makes each
 * message's derived key and nonce new.  On failure the stream is in the
 * failed state (clear it all the same).
 */
int rlab_stream_seal_init(struct rlab_stream *s, const struct rlab_backend *aead_be,
                          const struct rlab_backend *hash_be, const uint8_t *key,
                          size_t key_len, const uint8_t *ctx, size_t ctx_len,
                          const struct rlab_rng *rng,
                          uint8_t header_out[RLAB_STREAM_HEADER]);

/*
 * The same with the caller's salt (known-answer tests).  The salt must never
 * repeat under one key: the protocol never calls this.
 */
int rlab_stream_seal_init_salt(struct rlab_stream *s, const struct rlab_backend *aead_be,
                               const struct rlab_backend *hash_be, const uint8_t *key,
                               size_t key_len, const uint8_t *ctx, size_t ctx_len,
                               const uint8_t salt[RLAB_STREAM_SALT],
                               uint8_t header_out[RLAB_STREAM_HEADER]);

/*
 * Seal the next chunk.  final = 0: len must be exactly RLAB_STREAM_CHUNK.
 * final = 1: len < RLAB_STREAM_CHUNK (0 allowed: a message whose length is
 * a multiple of 16384, including the empty one, ends with an empty chunk).
 * out gets len + RLAB_STREAM_TAG bytes (*outlen must allow that); out may
 * equal pt.  After the final chunk every call is RLAB_ERR_TRAILING.
 */
int rlab_stream_seal_chunk(struct rlab_stream *s, const uint8_t *pt, size_t len,
                           int final, uint8_t *out, size_t *outlen);

/* ---- opening ------------------------------------------------------------ */

/*
 * Start opening one message from its 56-byte header: derives the keys and
 * checks the commitment in constant time before anything else; a wrong
 * key, a wrong context or a modified header is RLAB_ERR_AUTH here, before
 * any chunk.  key and ctx are only read during the call.
 */
int rlab_stream_open_init(struct rlab_stream *s, const struct rlab_backend *aead_be,
                          const struct rlab_backend *hash_be, const uint8_t *key,
                          size_t key_len, const uint8_t *ctx, size_t ctx_len,
                          const uint8_t header[RLAB_STREAM_HEADER]);

/*
 * Open the next chunk, whose length tells what it is: exactly
 * RLAB_STREAM_MAX_CT_CHUNK bytes is a non-final chunk, 16..16399 bytes the
 * final one (*final_out = 1), anything else RLAB_ERR_PARSE.  out gets
 * ct_len - RLAB_STREAM_TAG bytes, released only once the tag checked (on
 * RLAB_ERR_AUTH it is wiped); *outlen must allow ct_len - 16.  out may
 * equal ct.  A chunk after the final one is RLAB_ERR_TRAILING.
 */
int rlab_stream_open_chunk(struct rlab_stream *s, const uint8_t *ct, size_t ct_len,
                           int *final_out, uint8_t *out, size_t *outlen);

/*
 * The input of the stream has ended (the peer closed, or the next message
 * began).  RLAB_OK when the final chunk was sealed or opened; else
 * RLAB_ERR_TRUNCATED, and the stream fails.  The plaintext of the chunks
 * before is authentic but incomplete: a receiver must discard it.
 */
int rlab_stream_end(struct rlab_stream *s);

/* 1 after the final chunk was sealed or opened successfully, else 0. */
int rlab_stream_done(const struct rlab_stream *s);

/* Free the AEAD context (which wipes the key) and wipe the struct.  NULL
 * and a zeroed or already-cleared struct are fine. */
void rlab_stream_clear(struct rlab_stream *s);

/* ---- push decoder for unframed ciphertext --------------------------------- */

struct rlab_stream_reader {
    struct rlab_stream s;
    const struct rlab_backend *aead_be, *hash_be; /* borrowed */
    uint8_t key[RLAB_STREAM_KEY_MAX];             /* copy until the header is in */
    size_t key_len;
    const uint8_t *ctx; /* borrowed until the header is in */
    size_t ctx_len;
    size_t have;        /* bytes in buf */
    int state, err;
    uint8_t buf[RLAB_STREAM_MAX_CT_CHUNK]; /* the header, then one chunk */
};

/*
 * Start decoding one message (header and chunks, as one byte string).  The
 * key is copied (wiped as soon as the header is checked, or by clear); ctx
 * is BORROWED and must stay valid and unchanged until the first 56 bytes
 * have been fed (or until clear).  A key that is not 16 or 32 bytes, or an
 * aead_be without AES-GCM, fails here.
 */
int rlab_stream_reader_init(struct rlab_stream_reader *r,
                            const struct rlab_backend *aead_be,
                            const struct rlab_backend *hash_be, const uint8_t *key,
                            size_t key_len, const uint8_t *ctx, size_t ctx_len);

/*
 * Feed ciphertext bytes.  Consumes input until all of it is taken
 * (*consumed = in_len) or until one full chunk has been opened, whose
 * plaintext goes to out; then *consumed < in_len may hold and the caller
 * calls again with the rest.  out must have room for RLAB_STREAM_CHUNK
 * bytes (*outlen >= RLAB_STREAM_CHUNK, checked even when nothing comes
 * out).  A full-length chunk is opened as soon as its last byte arrives;
 * the final (short) chunk can only be recognised at the end of input, by
 * rlab_stream_reader_finish().  Bytes fed after a successful finish are
 * RLAB_ERR_TRAILING.  On error *consumed = 0 and *outlen = 0.
 */
int rlab_stream_reader_feed(struct rlab_stream_reader *r, const uint8_t *in,
                            size_t in_len, size_t *consumed, uint8_t *out,
                            size_t *outlen);

/*
 * End of input: opens the buffered final chunk into out (room for
 * RLAB_STREAM_CHUNK bytes).  RLAB_ERR_TRUNCATED when the input ended inside
 * the header, at a chunk boundary or with fewer bytes than a tag;
 * RLAB_ERR_AUTH when the buffered bytes are not the real final chunk (a
 * modified chunk, or trailing data after it).  Once it succeeded, calling
 * it again returns RLAB_OK with nothing.
 */
int rlab_stream_reader_finish(struct rlab_stream_reader *r, uint8_t *out,
                              size_t *outlen);

/* Wipe everything (key copy, buffered ciphertext, stream).  NULL ok. */
void rlab_stream_reader_clear(struct rlab_stream_reader *r);

#endif
