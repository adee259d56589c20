/*
 * The protocol tests' harness: an in-process rsalab/1 server on a loopback
 * port with its log captured, keys made once per run, clients, raw sockets
 * that speak garbage, and a frame-aware proxy that tampers with what a real
 * client sends.  Every test here asserts what a side reports, never timing.
 */
#ifndef RLAB_TEST_HARNESS_H
#define RLAB_TEST_HARNESS_H

#include <pthread.h>
#include <signal.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "core/client.h"
#include "core/server.h"

struct ph_keys {
    const struct rlab_backend *sbe, *cbe;
    rlab_key *server_id;            /* server backend */
    rlab_key *alice, *mallory;      /* client backend; alice is authorized */
    struct rlab_buf pin;            /* server SPKI as the client backend writes it */
    struct rlab_buf wrong_pin;      /* mallory's SPKI */
    /* Transient keys for the harness's servers (unless ph_server_opts gives
     * one) and its clients: one each per process, not one per server or
     * connection as rsalab serve and connect make them, since key
     * generation would otherwise be most of the tests' time.  The forward
     * secrecy test makes its own. */
    struct rlab_tkey *server_tk, *client_tk;
};

/*
 * Can backends `a` and `b` run rsalab/1 with each other?  NULL when they
 * can (or a name is unknown: ph_keys_make reports that), else the first
 * backend's reason from rlab_backend_check() for an operation the protocol
 * needs (2048-bit keygen, OAEP and PSS with SHA-256).  Each test program
 * prints it and exits 77 (ctest: skipped).
 */
const char *ph_unfit(const char *a, const char *b);

/* Make (once) the keys for this pair of backends; 0 on success.  They come
 * from the key folder when ctest names one (RSALAB_TEST_KEY_DIR,
 * tests/keydir.h), else they are generated. */
int ph_keys_make(struct ph_keys *k, const char *server_be, const char *client_be);
void ph_keys_clear(struct ph_keys *k);

struct ph_server {
    struct rlab_server *srv;
    pthread_t thread;
    volatile sig_atomic_t stop;
    char dir[64], inbox[128], auth[128];
    pthread_mutex_t lock;
    char *log;      /* every log line, '\n'-separated */
    size_t log_len;
    struct rlab_authset authset;
    unsigned port;
    /* Forked servers (ph_server_opts.fork): the child's pid, the log pipe
     * and the thread that copies it into `log`; the child's exit status
     * after ph_server_stop (0: it stopped cleanly). */
    pid_t pid;
    int log_rd, log_wr;
    pthread_t log_thread;
    int exit_status;
    int halted;
};

struct ph_server_opts {
    unsigned hs_timeout_ms, stall_timeout_ms, max_clients;
    struct rlab_tkey *transient;
    void (*tamper)(void *ctx, int field, uint8_t *p, size_t len);
    unsigned stop_grace_ms;
    /* Run the server in a child process (so that its file descriptors and
     * memory can be measured alone, in /proc/<pid>); its log comes back
     * through a pipe.  Start it before making any thread. */
    int fork;
};

int ph_server_start(struct ph_server *s, struct ph_keys *k, const struct ph_server_opts *o);
void ph_server_stop(struct ph_server *s);
/* In-process servers: stop the loop (gracefully: see rlab_server_run) and
 * wait for it, keeping the folder and the log; ph_server_stop still ends. */
void ph_server_halt(struct ph_server *s);
unsigned ph_port(const struct ph_server *s);
/* The process that runs the server (the test itself unless forked). */
pid_t ph_server_pid(const struct ph_server *s);
/* Open file descriptors of process pid (/proc/<pid>/fd), -1 on error. */
int ph_proc_fds(pid_t pid);
/* VmRSS and VmHWM of process pid in KiB (/proc/<pid>/status); 0 on success. */
int ph_proc_mem(pid_t pid, unsigned long *rss_kib, unsigned long *hwm_kib);
/* Occurrences of needle in the server's log. */
unsigned ph_log_count(struct ph_server *s, const char *needle);
/* 1 when a log line containing `needle` appears within timeout_ms. */
int ph_log_wait(struct ph_server *s, const char *needle, unsigned timeout_ms);
/* Forget the log so far. */
void ph_log_reset(struct ph_server *s);
/* Entries in the inbox (finished files and temporaries alike). */
int ph_inbox_count(const struct ph_server *s);
/* Empty the inbox. */
void ph_inbox_clear(const struct ph_server *s);

/* A client of the pair's client backend; tamper may be NULL. */
int ph_connect(struct ph_keys *k, unsigned port, rlab_key *id, const struct rlab_buf *pin,
               void (*tamper)(void *, int, uint8_t *, size_t), struct rlab_client **out);
/* A whole normal session on port: handshake, a chat line, a file of `size`
 * bytes, clean close; and the file is in the inbox with the same SHA-256.
 * 0 on success; else -1 with the reason in why. */
int ph_normal_session(struct ph_server *s, struct ph_keys *k, unsigned port, size_t size,
                      char *why, size_t why_len);

/* A file of `size` deterministic bytes (seeded) in the server's folder. */
int ph_make_file(const struct ph_server *s, const char *name, size_t size, uint32_t seed,
                 char *path, size_t path_len);

/* Raw sockets. */
int ph_raw_connect(unsigned port);
int ph_send_all(int fd, const void *p, size_t len);
/* The code of the first alert the peer sends within timeout_ms; 0 when the
 * connection closed without one; -1 on time-out. */
int ph_read_alert(int fd, unsigned timeout_ms);

/* ---- the tampering proxy --------------------------------------------------- */

enum ph_action {
    PH_NONE = 0,
    PH_FLIP,      /* flip a bit in the body of the matched frame */
    PH_DROP,      /* drop the matched frame */
    PH_DUP,       /* send the matched frame twice */
    PH_SWAP,      /* send the matched frame after the next one */
    PH_CUT,       /* drop the matched frame and everything after; close */
    PH_DROP_MSG,  /* drop the whole message (MSG_START and its chunks) */
    PH_DUP_MSG,   /* send the whole message twice */
    PH_SWAP_MSG,  /* send the message after the next message */
    PH_INJECT_AFTER_CLOSE, /* at the client's end, send a copy of the matched frame */
    PH_INJECT_AFTER_MSG,   /* after message `index` ends, send a copy of the first
                              frame of type inject_type (0: CHUNK) in the same
                              write */
    PH_DELAY,     /* hold the matched frame delay_ms, then send it (no fault) */
};

struct ph_rule {
    uint8_t type;      /* frame type to match (client -> server); PH_ANY: any */
    unsigned index;    /* the index-th frame of that type (0-based) */
    enum ph_action action;
    unsigned flip_at;  /* PH_FLIP: byte offset in the frame, header included,
                          modulo its length (0: the last byte) */
    unsigned delay_ms; /* PH_DELAY */
    uint8_t inject_type; /* PH_INJECT_AFTER_MSG: the frame type copied (0: CHUNK) */
};

#define PH_ANY 0xff

struct ph_proxy;
/* Listen on a free port; forward one connection to target_port, applying
 * the rule to the client's frames.  Records both directions when record is
 * set (ph_proxy_recording). */
int ph_proxy_start(struct ph_proxy **out, unsigned target_port, const struct ph_rule *rule,
                   int record);
unsigned ph_proxy_port(const struct ph_proxy *p);
/* Wait (up to 30 s) for the forwarded connection to end. */
void ph_proxy_stop(struct ph_proxy *p);
/* After stop: the recorded bytes, client->server and server->client. */
void ph_proxy_recording(const struct ph_proxy *p, const uint8_t **c2s, size_t *c2s_len,
                        const uint8_t **s2c, size_t *s2c_len);
void ph_proxy_free(struct ph_proxy *p);

#endif
