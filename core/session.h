/*
 * An rsalab/1 session over one connected socket (docs/PROTOCOL.md): the
 * handshake, then messages in both directions, each message one C2SP stream
 * (core/stream.h) whose chunks travel one per frame.
 *
 * This is the only protocol code that does I/O.  It is driven by an event
 * loop (core/server.c, core/client.c, the tests): the loop polls the fd for
 * rlab_sess_events(), calls rlab_sess_io() when it is ready and
 * rlab_sess_tick() for time-outs; the session calls back the owner's
 * handlers for what arrives.  The socket is non-blocking; nothing here
 * blocks.
 *
 * Memory is bounded whatever the traffic: one frame reader (16 KiB), one
 * chunk of plaintext being assembled for sending, an output queue capped at
 * RLAB_SESS_OUT_MAX, and a received message is handed over chunk by chunk.
 *
 * A message's plaintext starts with a small header (kind, declared size,
 * name) inside the encrypted stream, so names of files never cross the wire
 * in clear.  Every message is bound to its direction and sequence number by
 * the stream's context: a replayed, reordered or dropped message fails.
 *
 * Errors end the session for good: the session sends an alert when it can,
 * reports the error (rlab_sess_error, rlab_sess_detail), aborts a message
 * being received (handlers.abort, so that a partial file is removed) and
 * wants nothing more but to be closed (rlab_sess_done).
 */
#ifndef RLAB_SESSION_H
#define RLAB_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"
#include "core/handshake.h"
#include "core/stream.h"
#include "core/tkey.h"

#define RLAB_SESS_OUT_MAX (8u << 20)     /* queued output bytes, hard cap */
#define RLAB_SESS_NAME_MAX 255           /* a message's name */
#define RLAB_SESS_CHAT_MAX (64u << 10)   /* a chat line */

enum rlab_msg_kind {
    RLAB_MSG_CHAT = 1,  /* a chat line: name is the sender as the server names it */
    RLAB_MSG_FILE = 2,  /* a file: name is its base name */
    RLAB_MSG_CLOSE = 3, /* the sender closes the session: nothing follows */
};

struct rlab_sess;

/* What the owner is told.  Each returns RLAB_OK, or an rlab error that ends
 * the session with `alert` from the struct set by the handler (see
 * rlab_sess_set_alert); any may be NULL. */
struct rlab_sess_handlers {
    void *ctx;
    /* The handshake finished: the peer is authenticated. */
    void (*ready)(void *ctx, struct rlab_sess *s);
    /* A message began: kind, the size the sender declared, its name. */
    int (*begin)(void *ctx, struct rlab_sess *s, unsigned kind, uint64_t size,
                 const char *name);
    /* Authenticated plaintext of the message (one chunk at most). */
    int (*data)(void *ctx, struct rlab_sess *s, const uint8_t *p, size_t len);
    /* The final chunk authenticated: the message is complete. */
    int (*end)(void *ctx, struct rlab_sess *s);
    /* The message being received will not complete (error, close). */
    void (*abort)(void *ctx, struct rlab_sess *s);
};

struct rlab_sess_config {
    enum rlab_hs_role role;
    const struct rlab_backend *be;   /* RSA: this side's backend */
    const rlab_key *identity;        /* borrowed */
    const uint8_t *identity_spki;    /* its SPKI DER (borrowed; NULL: exported per session) */
    size_t identity_spki_len;
    struct rlab_tkey *transient;     /* a reference is taken for the handshake */
    const uint8_t *pin;              /* client: pinned server SPKI DER (borrowed) */
    size_t pin_len;
    rlab_hs_authorize_fn authorize;  /* server */
    void *authorize_ctx;
    unsigned hs_timeout_ms;          /* handshake must end by then (0: 10 s) */
    unsigned stall_timeout_ms;       /* a message in progress (0: 30 s) */
    const struct rlab_rng *rng;      /* NULL: system */
    struct rlab_keycache *keys;      /* peer keys validated before (borrowed; NULL: none) */
    /* Tests only: see rlab_hs_config.tamper. */
    void (*tamper)(void *ctx, int field, uint8_t *p, size_t len);
    void *tamper_ctx;
};

/* Make a session over a connected socket, which it owns from now on (even
 * on failure: closed).  The handshake starts at once (a client queues its
 * ClientHello).  *out is NULL on failure. */
int rlab_sess_new(int fd, const struct rlab_sess_config *cfg,
                  const struct rlab_sess_handlers *h, struct rlab_sess **out);
/* Close the socket, abort what is in progress, wipe, free.  NULL ok. */
void rlab_sess_free(struct rlab_sess *s);

int rlab_sess_fd(const struct rlab_sess *s);
/* poll(2) events the session waits for (POLLIN, POLLOUT). */
short rlab_sess_events(const struct rlab_sess *s);
/* Handle what poll reported (revents of the fd). */
void rlab_sess_io(struct rlab_sess *s, short revents);
/* Check time-outs against the monotonic clock (rlab_now_ms). */
void rlab_sess_tick(struct rlab_sess *s, uint64_t now_ms);
/* The earliest deadline, in rlab_now_ms time; 0 when none. */
uint64_t rlab_sess_deadline(const struct rlab_sess *s);

/* 1 once the handshake finished and the session is usable for sending. */
int rlab_sess_ready(const struct rlab_sess *s);
/* 1 when the session has ended (failed, or closed by both sides) and its
 * output is flushed or cannot be: the owner frees it. */
int rlab_sess_done(const struct rlab_sess *s);
/* The error that ended it (RLAB_OK for a clean close), the alert sent or
 * received, whether it was the peer's, and a sentence for people. */
int rlab_sess_error(const struct rlab_sess *s);
unsigned rlab_sess_alert(const struct rlab_sess *s);
int rlab_sess_alert_from_peer(const struct rlab_sess *s);
const char *rlab_sess_detail(const struct rlab_sess *s);
/* A handler sets the alert its error should send (default BAD_MESSAGE). */
void rlab_sess_set_alert(struct rlab_sess *s, rlab_alert a);

/* The authenticated peer (after ready): its identity SPKI, fingerprint,
 * and size in bits. */
const uint8_t *rlab_sess_peer_spki(const struct rlab_sess *s, size_t *len);
const char *rlab_sess_peer_fingerprint(const struct rlab_sess *s);
unsigned rlab_sess_peer_bits(const struct rlab_sess *s);
/* Owner's pointer, for the handlers. */
void rlab_sess_set_user(struct rlab_sess *s, void *user);
void *rlab_sess_user(const struct rlab_sess *s);

/* ---- sending --------------------------------------------------------------- */

/* Bytes queued for the socket. */
size_t rlab_sess_pending(const struct rlab_sess *s);

/* Start a message (only one at a time per direction; only after ready).
 * name: at most RLAB_SESS_NAME_MAX bytes. */
int rlab_sess_msg_begin(struct rlab_sess *s, unsigned kind, uint64_t size, const char *name);
/* Append plaintext; full chunks are sealed and queued as they fill.  Fails
 * with RLAB_ERR_TOO_BIG when the queue would pass RLAB_SESS_OUT_MAX (the
 * caller should wait for rlab_sess_pending to drop: a sender of large data
 * writes only while pending is below a chunk or two). */
int rlab_sess_msg_write(struct rlab_sess *s, const uint8_t *p, size_t len);
/* Seal the final chunk. */
int rlab_sess_msg_end(struct rlab_sess *s);
/* A whole message at once. */
int rlab_sess_send(struct rlab_sess *s, unsigned kind, const char *name, const uint8_t *p,
                   size_t len);
/* Send the close message; the session ends when the peer's close arrives
 * (or the peer closes the socket) and the output is flushed. */
int rlab_sess_close(struct rlab_sess *s);
/* End the session now with an alert (a server dropping a slow client). */
void rlab_sess_abort(struct rlab_sess *s, rlab_alert alert, int err, const char *why);

/* The backend used for hashes and AES-GCM: be itself, or the default
 * provider when be has none (reports say "gmp (+openssl aead)"). */
const struct rlab_backend *rlab_sess_sym_provider(const struct rlab_backend *be);

#endif
