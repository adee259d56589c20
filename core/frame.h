/*
 * rsalab/1 frames (docs/PROTOCOL.md, "Frames").
 *
 * Every protocol unit on the wire is a frame: a 4-byte header, type (1 byte)
 * and body length (3 bytes, big-endian), then the body.  The length is
 * checked against the type's hard limit before a single byte of the body is
 * read, so a peer can never make us buffer more than RLAB_FRAME_MAX bytes.
 *
 * No I/O here: rlab_frame_reader is fed bytes by whoever owns the socket (the
 * session code, a test, a fuzzer) and hands back whole frames.
 */
#ifndef RLAB_FRAME_H
#define RLAB_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define RLAB_FRAME_HDR 4

enum rlab_frame_type {
    RLAB_FRAME_CLIENT_HELLO = 0x01,
    RLAB_FRAME_SERVER_HELLO = 0x02,
    RLAB_FRAME_CLIENT_KEY = 0x03,
    RLAB_FRAME_FINISHED = 0x04,
    RLAB_FRAME_MSG_START = 0x10,
    RLAB_FRAME_CHUNK = 0x11,
    RLAB_FRAME_ALERT = 0x15,
};

/* Hard limits of bodies, per type; the largest is RLAB_FRAME_MAX. */
#define RLAB_FRAME_HELLO_MAX 8192u  /* two SPKI keys of up to 16384 bits ... */
#define RLAB_FRAME_MAX 16400u       /* a full stream chunk: 16384 + 16 */

/* Largest body allowed for a frame type; 0 for an unknown type. */
size_t rlab_frame_limit(uint8_t type);

/* Write a frame header for a body of len bytes (len <= limit of type). */
void rlab_frame_header(uint8_t hdr[RLAB_FRAME_HDR], uint8_t type, size_t len);

/*
 * The frame reader: a fixed buffer of RLAB_FRAME_HDR + RLAB_FRAME_MAX bytes
 * (inside the struct: no allocation).  Feed it bytes with
 * rlab_frame_reader_feed(); it takes as many as complete the current frame
 * and stops there, so that the caller can handle each frame before the next
 * (and stop reading after a fatal one).
 */
struct rlab_frame_reader {
    uint8_t buf[RLAB_FRAME_HDR + RLAB_FRAME_MAX];
    size_t have;     /* bytes of the current frame in buf */
    size_t need;     /* total bytes of the current frame, once the header is in */
    int in_body;     /* the header of the current frame was accepted */
    int failed;      /* sticky: a header was refused */
};

void rlab_frame_reader_init(struct rlab_frame_reader *r);

/*
 * Take up to len bytes from p; *used gets how many were taken.  Returns
 *   1  a whole frame is ready: *type, *body, *body_len point into the reader,
 *      or into p when the whole frame was there (valid until the next feed
 *      and while p is);
 *   0  more bytes are needed (all of p was taken);
 *  <0  minus an rlab error code: -RLAB_ERR_PARSE for an unknown type or a
 *      length over the type's limit (sticky: every later call returns it).
 */
int rlab_frame_reader_feed(struct rlab_frame_reader *r, const uint8_t *p,
                           size_t len, size_t *used, uint8_t *type,
                           const uint8_t **body, size_t *body_len);

/* True while part of a frame is buffered (a close now truncates it). */
int rlab_frame_reader_partial(const struct rlab_frame_reader *r);

/* Wipe the buffer (it may have held a chunk of plaintext's ciphertext or
 * handshake secrets in transit). */
void rlab_frame_reader_clear(struct rlab_frame_reader *r);

/* ---- byte helpers for message bodies ----------------------------------- */

/* A cursor over a body: every get fails (returns 0) once past the end, and
 * stays failed. */
struct rlab_rd {
    const uint8_t *p;
    size_t left;
    int bad;
};

static inline struct rlab_rd rlab_rd_init(const uint8_t *p, size_t len)
{
    struct rlab_rd r = {p, len, 0};
    return r;
}
int rlab_rd_bytes(struct rlab_rd *r, size_t n, const uint8_t **out);
int rlab_rd_u8(struct rlab_rd *r, uint8_t *v);
int rlab_rd_u16(struct rlab_rd *r, uint16_t *v);
int rlab_rd_u64(struct rlab_rd *r, uint64_t *v);
/* A u16 length then that many bytes. */
int rlab_rd_vec16(struct rlab_rd *r, const uint8_t **out, size_t *len);
/* True when every byte was consumed and nothing failed. */
int rlab_rd_done(const struct rlab_rd *r);

/* A writer into a fixed buffer; fails (sticky) when it would overflow. */
struct rlab_wr {
    uint8_t *p;
    size_t cap, len;
    int bad;
};

static inline struct rlab_wr rlab_wr_init(uint8_t *p, size_t cap)
{
    struct rlab_wr w = {p, cap, 0, 0};
    return w;
}
void rlab_wr_bytes(struct rlab_wr *w, const void *p, size_t n);
void rlab_wr_u8(struct rlab_wr *w, uint8_t v);
void rlab_wr_u16(struct rlab_wr *w, uint16_t v);
void rlab_wr_u64(struct rlab_wr *w, uint64_t v);
void rlab_wr_vec16(struct rlab_wr *w, const void *p, size_t n);

#endif
