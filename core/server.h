/*
 * The rsalab/1 server: one event loop (poll) over the listening socket, every
 * session and the operator's console, so that a slow, stalled or hostile
 * client never blocks the others: every socket is non-blocking, each
 * session's output queue is capped (a client that cannot keep up with what
 * it is sent is dropped with an alert), and time-outs end handshakes and
 * stalled messages.
 *
 * Chat lines from a client go to every other client and to the console
 * handler; lines typed on the console go to every client; files go to the
 * inbox.  The server makes its transient key at start and a new one every
 * rotate_s seconds (the old one is wiped once no handshake holds it).
 *
 * No printing here: the owner's handlers get one log line per event (a
 * connection's end with its peer, key fingerprint, backend and result; a
 * file received; a rotation) and each chat line.
 */
#ifndef RLAB_SERVER_H
#define RLAB_SERVER_H

#include <signal.h>
#include <stdint.h>

#include "core/authset.h"
#include "core/session.h"

struct rlab_server_config {
    const struct rlab_backend *be;
    const rlab_key *identity;          /* borrowed */
    const struct rlab_authset *auth;   /* borrowed */
    const char *host;                  /* NULL: 127.0.0.1 */
    unsigned port;                     /* 0: any free port (rlab_server_port) */
    const char *inbox;                 /* folder for received files (must exist) */
    unsigned max_clients;              /* 0: 64 */
    unsigned rotate_s;                 /* 0: 3600 */
    unsigned tkey_bits;                /* 0: 2048 */
    unsigned hs_timeout_ms, stall_timeout_ms; /* 0: 10 s, 30 s (tests: any, e.g. 200 ms) */
    unsigned stop_grace_ms;            /* on stop, wait this long for the peers'
                                          closes (0: 3000) */
    int console_fd;                    /* lines to broadcast; -1: none */
    int no_digest;                     /* do not SHA-256 received files (their
                                          log line then has no digest); the
                                          AEAD stream authenticates them anyway */
    struct rlab_tkey *transient;       /* tests: the first transient key (a
                                          reference is taken); NULL: made here */
    void (*tamper)(void *ctx, int field, uint8_t *p, size_t len); /* tests only */
    void *tamper_ctx;
    void *ctx;
    void (*log)(void *ctx, const char *line);
    void (*chat)(void *ctx, const char *from, const uint8_t *text, size_t len);
};

struct rlab_server_stats {
    uint64_t accepted, refused_busy, ok, failed, files, file_bytes, chats, rotations;
    unsigned clients; /* connected now */
};

struct rlab_server;

int rlab_server_new(const struct rlab_server_config *cfg, struct rlab_server **out);
unsigned rlab_server_port(const struct rlab_server *srv);
/* Serve until *stop becomes non-zero (checked at least every 200 ms).  Then
 * stop gracefully: accept nothing more, send the close message on every open
 * session and keep serving them until each has answered with its own (a
 * message the peer is sending still arrives whole), for at most
 * stop_grace_ms; a handshake in progress is dropped, and whatever is left at
 * the end is closed (logged as an error). */
int rlab_server_run(struct rlab_server *srv, volatile sig_atomic_t *stop);
void rlab_server_stats(const struct rlab_server *srv, struct rlab_server_stats *out);
/* Close every connection and the listener; wipe the transient key. */
void rlab_server_free(struct rlab_server *srv);

/* Shared with the client: a connected TCP socket to host:port (blocking
 * connect with a time-out, then non-blocking), or -1 with the detail set. */
int rlab_tcp_connect(const char *host, unsigned port, unsigned timeout_ms);
/* Non-blocking mode and TCP_NODELAY. */
int rlab_tcp_prepare(int fd);

#endif
