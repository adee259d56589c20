/*
 * The rsalab/1 client: one session to a server, driven by a small poll loop
 * that can also watch one more descriptor (the chat's standard input).
 * Received chat lines go to the owner's handler; files are refused (a server
 * does not send them).  No printing here.
 */
#ifndef RLAB_CLIENT_H
#define RLAB_CLIENT_H

#include <stdint.h>

#include "core/session.h"

struct rlab_client_config {
    const struct rlab_backend *be;
    const rlab_key *identity;            /* borrowed */
    const uint8_t *identity_spki;        /* its SPKI DER as be exports it (borrowed;
                                            NULL: exported at each connect) */
    size_t identity_spki_len;
    const uint8_t *pin;                  /* the server's SPKI DER, borrowed */
    size_t pin_len;
    const char *host;                    /* NULL: 127.0.0.1 */
    unsigned port;
    struct rlab_tkey *transient;         /* NULL: made at connect (2048 bits) */
    unsigned hs_timeout_ms;              /* 0: 10 s */
    struct rlab_keycache *keys;          /* the server keys validated by earlier
                                            connections of this thread (borrowed;
                                            NULL: validated again) */
    void (*tamper)(void *ctx, int field, uint8_t *p, size_t len); /* tests only */
    void *tamper_ctx;
    void *ctx;
    void (*chat)(void *ctx, const char *from, const uint8_t *text, size_t len);
};

struct rlab_client;

/* Connect and run the handshake to its end (or failure, or time-out).  On
 * failure *out is NULL and the detail says what happened (the server's
 * alert, a wrong server key, ...). */
int rlab_client_connect(const struct rlab_client_config *cfg, struct rlab_client **out);

/* One round of the session's loop: wait up to timeout_ms (-1: until
 * something happens) for the socket or extra_fd (if >= 0), handle what came.
 * Returns 1 when extra_fd is readable, 0 otherwise (something was handled,
 * or the time ran out), or MINUS an rlab error code when the session ended
 * (with the detail; a clean end is -RLAB_ERR_IO too: see
 * rlab_client_closed).  Callers
 * loop on it until what they wait for happened. */
int rlab_client_wait(struct rlab_client *cl, int extra_fd, int timeout_ms);

int rlab_client_send_line(struct rlab_client *cl, const uint8_t *text, size_t len);

/* Stream a file (regular file) as one message, in bounded memory, reading
 * and receiving while it sends.  progress (may be NULL) is called as bytes
 * go out; sha256 (may be NULL) gets the SHA-256 of what was sent.  Returns
 * when every byte is queued and flushed to the socket. */
int rlab_client_send_file(struct rlab_client *cl, const char *path,
                          void (*progress)(void *ctx, uint64_t done, uint64_t total),
                          void *ctx, uint8_t sha256[32], uint64_t *sent);

/* Send the close message and wait (up to timeout_ms) for the server's. */
int rlab_client_close(struct rlab_client *cl, int timeout_ms);
/* 1 when the session ended cleanly. */
int rlab_client_closed(const struct rlab_client *cl);
struct rlab_sess *rlab_client_session(struct rlab_client *cl);
void rlab_client_free(struct rlab_client *cl);

#endif
