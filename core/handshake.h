/*
 * The rsalab/1 handshake (docs/PROTOCOL.md, "Handshake"), as a state machine
 * in the manner of Noise-C's HandshakeState: it says what it needs next
 * (rlab_hs_next), checks its state at every entry, and turns permanently
 * FAILED on any error, with the alert to send.
 *
 *   client                                   server
 *   WRITE ClientHello  ------------------>   READ ClientHello
 *   READ  ServerHello  <------------------   WRITE ServerHello
 *   WRITE ClientKey    ------------------>   READ ClientKey
 *   WRITE Finished     ------------------>   READ Finished
 *   READ  Finished     <------------------   WRITE Finished
 *   SPLIT                                    SPLIT
 *
 * No I/O: the caller moves frame bodies (core/frame.h) in and out.  All RSA
 * goes through the entry points of one backend (the side's own), hashes and
 * HMAC through `sym` (a backend with hash slots, else the default provider).
 *
 * Security properties the code keeps (and tests check):
 *  - an identity key not pinned / not authorized is refused before any
 *    private-key operation on the peer's behalf;
 *  - identity and transient keys below min_bits (at least 2048) are refused;
 *  - a failed OAEP decryption is not distinguishable from a success until
 *    Finished fails: the secret is replaced in constant time by one drawn
 *    beforehand, and the error is the same alert as a bad Finished;
 *  - Finished MACs are compared in constant time; every secret (randoms,
 *    kc, ks, PRK, Finished keys) is wiped by rlab_hs_clear and on failure.
 */
#ifndef RLAB_HANDSHAKE_H
#define RLAB_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"
#include "core/frame.h"

#define RLAB_PROTO_MAGIC "RLAB"
#define RLAB_PROTO_VERSION 1
#define RLAB_HS_RANDOM 32
#define RLAB_HS_SECRET 32
#define RLAB_HS_MAC 32
#define RLAB_HS_KEY 32           /* each direction's message key */
#define RLAB_HS_MIN_BITS 2048
#define RLAB_HS_MAX_SPKI 2200    /* SPKI DER of a key of up to 16384 bits */
#define RLAB_HS_TRANSCRIPT (3 * RLAB_FRAME_HELLO_MAX)

/* Alerts: the one byte-pair the protocol sends in clear before closing.
 * X(name, code, text). */
#define RLAB_ALERT_LIST(X)                                                     \
    X(RLAB_ALERT_NONE, 0, "no alert")                                          \
    X(RLAB_ALERT_BAD_FRAME, 1, "malformed frame")                              \
    X(RLAB_ALERT_BAD_VERSION, 2, "wrong protocol magic or version")            \
    X(RLAB_ALERT_UNKNOWN_KEY, 3, "identity key not authorized")                \
    X(RLAB_ALERT_BAD_SIGNATURE, 4, "handshake signature not valid")            \
    X(RLAB_ALERT_HANDSHAKE_FAILED, 5, "handshake failed (Finished)")           \
    X(RLAB_ALERT_BAD_MESSAGE, 6, "message failed authentication")              \
    X(RLAB_ALERT_TRUNCATED, 7, "message ended early")                          \
    X(RLAB_ALERT_UNEXPECTED, 8, "unexpected frame")                            \
    X(RLAB_ALERT_TIMEOUT, 9, "time-out")                                       \
    X(RLAB_ALERT_BAD_NAME, 10, "file name refused")                            \
    X(RLAB_ALERT_OVERLOADED, 11, "server busy or peer too slow")               \
    X(RLAB_ALERT_INTERNAL, 12, "internal error")                               \
    X(RLAB_ALERT_WEAK_KEY, 13, "key too small")                                \
    X(RLAB_ALERT_TOO_LONG, 14, "message too long")

#define RLAB_X_ALERT(name, code, text) name = code,
typedef enum rlab_alert { RLAB_ALERT_LIST(RLAB_X_ALERT) RLAB_ALERT_COUNT } rlab_alert;
#undef RLAB_X_ALERT

/* Static text of an alert code (any value; unknown codes say so). */
const char *rlab_alert_text(unsigned code);

enum rlab_hs_role { RLAB_HS_CLIENT = 0, RLAB_HS_SERVER = 1 };

enum rlab_hs_action {
    RLAB_HS_WRITE = 1, /* call rlab_hs_write and send the frame */
    RLAB_HS_READ,      /* feed the next frame to rlab_hs_read */
    RLAB_HS_SPLIT,     /* done: take the keys with rlab_hs_split */
    RLAB_HS_FAILED,    /* permanently failed: send rlab_hs_alert(), close */
};

/* Server: is this client identity (SPKI DER) authorized?  1 yes, 0 no. */
typedef int (*rlab_hs_authorize_fn)(void *ctx, const uint8_t *spki, size_t len);

struct rlab_keycache;

struct rlab_hs_config {
    enum rlab_hs_role role;
    const struct rlab_backend *be;  /* RSA for this side */
    const struct rlab_backend *sym; /* hashes/HMAC; NULL: be or default */
    const rlab_key *identity;       /* this side's identity (private), borrowed */
    const rlab_key *transient;      /* this side's transient (private), borrowed */
    /* The two keys' SPKI DER as be exports them, when the caller has them
     * (borrowed; NULL: exported here, which some libraries make slow). */
    const uint8_t *identity_spki, *transient_spki;
    size_t identity_spki_len, transient_spki_len;
    /* client: the pinned server identity as SPKI DER */
    const uint8_t *pin;
    size_t pin_len;
    /* server: the authorized client identities */
    rlab_hs_authorize_fn authorize;
    void *authorize_ctx;
    /* Randoms, secrets, OAEP seeds and PSS salts; NULL: the system's (and
     * the backend's own for padding).  A caller's generator (tests and
     * fuzzers, to replay a handshake) needs a backend with
     * RLAB_CAP_RNG_REPLAY. */
    const struct rlab_rng *rng;
    unsigned min_bits;              /* 0: RLAB_HS_MIN_BITS; never below it */
    /* Peer keys validated in earlier handshakes of this thread (borrowed;
     * NULL: every peer key is imported, and so validated, again). */
    struct rlab_keycache *keys;
    /* Tests and fuzzers only (NULL everywhere else): called on each field
     * this side is about to send, before it is signed or MACed, so that a
     * test can play a peer that sends a wrong secret under a valid
     * signature, a bad signature or a bad Finished. */
    void (*tamper)(void *ctx, int field, uint8_t *p, size_t len);
    void *tamper_ctx;
};

/* Fields for rlab_hs_config.tamper. */
enum { RLAB_HS_FIELD_SECRET_CT = 1, RLAB_HS_FIELD_SIGNATURE, RLAB_HS_FIELD_FINISHED };

/* What a finished handshake hands to the session. */
struct rlab_hs_keys {
    uint8_t send[RLAB_HS_KEY];  /* this side's message key */
    uint8_t recv[RLAB_HS_KEY];  /* the peer's message key */
    uint8_t th[32];             /* the transcript hash (session id) */
    uint8_t peer_spki[RLAB_HS_MAX_SPKI];
    size_t peer_spki_len;
    unsigned peer_bits;
};

struct rlab_hs {
    struct rlab_hs_config cfg;
    const struct rlab_backend *sym;
    int state, alert, err;
    uint8_t cr[RLAB_HS_RANDOM], sr[RLAB_HS_RANDOM];
    uint8_t kc[RLAB_HS_SECRET], ks[RLAB_HS_SECRET];
    uint8_t fin_c[RLAB_HS_MAC], fin_s[RLAB_HS_MAC];   /* Finished keys */
    uint8_t mac_c[RLAB_HS_MAC];                       /* the client's Finished */
    struct rlab_hs_keys keys;
    rlab_key *peer_identity, *peer_transient;         /* owned, or from cfg.keys */
    uint8_t own_spki[RLAB_HS_MAX_SPKI], own_tspki[RLAB_HS_MAX_SPKI];
    size_t own_spki_len, own_tspki_len;
    size_t th_len;                                    /* bytes in transcript */
    uint8_t transcript[RLAB_HS_TRANSCRIPT];           /* CH || SH || CK bodies */
};

/* NULL when backend be can play either side of a handshake; else why not
 * (a static reason from rlab_backend_check: no OAEP decryption, no PSS...). */
const char *rlab_hs_unfit(const struct rlab_backend *be);

/* Set up; the config's keys and pin are borrowed for the handshake's life.
 * On failure the state is FAILED (rlab_hs_next says so). */
int rlab_hs_init(struct rlab_hs *hs, const struct rlab_hs_config *cfg);

enum rlab_hs_action rlab_hs_next(const struct rlab_hs *hs);

/* Write the next frame: *type and body (out, cap bytes; RLAB_FRAME_HELLO_MAX
 * is always enough) with *len.  Only when rlab_hs_next says WRITE. */
int rlab_hs_write(struct rlab_hs *hs, uint8_t *type, uint8_t *out, size_t cap,
                  size_t *len);

/* Read the peer's next frame.  Only when rlab_hs_next says READ; any other
 * frame type, or a frame that does not parse or check, fails the handshake
 * for good. */
int rlab_hs_read(struct rlab_hs *hs, uint8_t type, const uint8_t *body, size_t len);

/* Only after SPLIT: copy the keys out (the caller wipes them). */
int rlab_hs_split(struct rlab_hs *hs, struct rlab_hs_keys *out);

/* The alert to send after a failure (RLAB_ALERT_NONE otherwise), and the
 * rlab error behind it. */
rlab_alert rlab_hs_alert(const struct rlab_hs *hs);
int rlab_hs_error(const struct rlab_hs *hs);

/* Mark failed from outside (a time-out, the peer's alert, a closed socket). */
void rlab_hs_fail(struct rlab_hs *hs, rlab_alert alert, int err);

/* Wipe every secret and free the peer keys.  NULL ok. */
void rlab_hs_clear(struct rlab_hs *hs);

/* SHA-256 of an SPKI DER, for display: "sha256:" and 16 hex bytes. */
void rlab_hs_fingerprint(const struct rlab_backend *sym, const uint8_t *spki,
                         size_t len, char out[48]);

#endif
