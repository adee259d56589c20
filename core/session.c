/* see session.h */
#include "core/session.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/ops.h"
#include "base/ct.h"

/* One recv(2) takes up to this much: on a fast link, the number of system
 * calls, not the bytes, is what a small buffer costs (docs/BENCHMARKS.md). */
#define RLAB_SESS_IN (256u * 1024u)

enum { ST_HANDSHAKE = 1, ST_OPEN, ST_ENDED, ST_FAILED };

#define META_MAX (1 + 8 + 2 + RLAB_SESS_NAME_MAX)
#define MSG_CTX_LABEL "rsalab/1 message"

struct rlab_sess {
    int fd;
    struct rlab_sess_config cfg;
    struct rlab_sess_handlers h;
    void *user;
    const struct rlab_backend *sym;
    struct rlab_tkey *tkey; /* held during the handshake */
    int state, err, alert_peer, eof;
    unsigned alert;
    rlab_alert handler_alert; /* set by a handler for its error */
    char detail[256];
    char fp[48];
    uint64_t hs_deadline, stall_deadline;
    struct rlab_hs_keys keys;
    int sent_close, got_close;

    uint8_t *out; /* queued output: out[off..len) */
    uint8_t *in;  /* receive buffer of RLAB_SESS_IN bytes, made at the first read */
    size_t off, len, cap;

    int tx_open;
    uint64_t tx_seq;
    struct rlab_stream tx;
    size_t tx_have;
    uint8_t tx_buf[RLAB_STREAM_MAX_CT_CHUNK];

    int rx_open, rx_meta;
    unsigned rx_kind;
    uint64_t rx_seq;
    struct rlab_stream rx;
    uint8_t rx_pt[RLAB_STREAM_MAX_CT_CHUNK];

    struct rlab_frame_reader rd;
    struct rlab_hs hs;
};

const struct rlab_backend *rlab_sess_sym_provider(const struct rlab_backend *be)
{
    unsigned need = RLAB_CAP_AEAD | RLAB_CAP_HASH;
    if (be != NULL && (be->caps & need) == need)
        return be;
    return rlab_backend_default_provider();
}

/* ---- output queue ---------------------------------------------------------- */

static int out_reserve(struct rlab_sess *s, size_t n)
{
    if (s->off > 0 && s->off == s->len)
        s->off = s->len = 0;
    if (s->len - s->off + n > RLAB_SESS_OUT_MAX)
        return RLAB_ERR_TOO_BIG;
    if (s->len + n <= s->cap)
        return RLAB_OK;
    if (s->off > 0) { /* compact */
        memmove(s->out, s->out + s->off, s->len - s->off);
        s->len -= s->off;
        s->off = 0;
        if (s->len + n <= s->cap)
            return RLAB_OK;
    }
    size_t ncap = s->cap ? s->cap : 32768;
    while (ncap < s->len + n)
        ncap *= 2;
    uint8_t *p = realloc(s->out, ncap);
    if (p == NULL)
        return RLAB_ERR_NOMEM;
    s->out = p;
    s->cap = ncap;
    return RLAB_OK;
}

/* Queue a frame header and reserve room for its body; returns the body. */
static uint8_t *out_frame(struct rlab_sess *s, uint8_t type, size_t body_len, int *rc)
{
    *rc = out_reserve(s, RLAB_FRAME_HDR + body_len);
    if (*rc != RLAB_OK)
        return NULL;
    rlab_frame_header(s->out + s->len, type, body_len);
    uint8_t *body = s->out + s->len + RLAB_FRAME_HDR;
    s->len += RLAB_FRAME_HDR + body_len;
    return body;
}

static void flush(struct rlab_sess *s)
{
    while (s->off < s->len) {
        ssize_t n = send(s->fd, s->out + s->off, s->len - s->off, MSG_NOSIGNAL);
        if (n > 0) {
            s->off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        /* The peer is gone: nothing more can be sent. */
        s->off = s->len = 0;
        if (s->state == ST_HANDSHAKE || s->state == ST_OPEN) {
            s->state = ST_FAILED;
            s->err = RLAB_ERR_IO;
            snprintf(s->detail, sizeof s->detail, "connection lost while sending: %s",
                     strerror(errno));
        }
        return;
    }
    s->off = s->len = 0;
}

/* ---- failure ---------------------------------------------------------------- */

static void rx_abort(struct rlab_sess *s)
{
    if (s->rx_open) {
        s->rx_open = 0;
        rlab_stream_clear(&s->rx);
        if (s->rx_meta && s->h.abort != NULL)
            s->h.abort(s->h.ctx, s);
    }
    s->rx_meta = 0;
}

static void release_handshake(struct rlab_sess *s)
{
    rlab_tkey_put(s->tkey);
    s->tkey = NULL;
    rlab_hs_clear(&s->hs);
}

/* End the session with an error; send `alert` unless it came from the peer. */
static void sess_fail(struct rlab_sess *s, rlab_alert alert, int err, int from_peer,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void sess_fail(struct rlab_sess *s, rlab_alert alert, int err, int from_peer,
                      const char *fmt, ...)
{
    if (s->state == ST_FAILED)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->detail, sizeof s->detail, fmt, ap);
    va_end(ap);
    s->err = err != RLAB_OK ? err : RLAB_ERR_PARSE;
    s->alert = (unsigned)alert;
    s->alert_peer = from_peer;
    s->state = ST_FAILED;
    rx_abort(s);
    if (s->tx_open) {
        s->tx_open = 0;
        rlab_stream_clear(&s->tx);
    }
    release_handshake(s);
    /* Whatever was queued will not be read: only the alert goes out. */
    s->off = s->len = 0;
    if (!from_peer && alert != RLAB_ALERT_NONE) {
        int rc;
        uint8_t *b = out_frame(s, RLAB_FRAME_ALERT, 2, &rc);
        if (b != NULL) {
            b[0] = (uint8_t)(alert >> 8);
            b[1] = (uint8_t)alert;
            flush(s);
        }
    }
    s->off = s->len = 0;
}

void rlab_sess_abort(struct rlab_sess *s, rlab_alert alert, int err, const char *why)
{
    sess_fail(s, alert, err, 0, "%s", why);
}

/* ---- the handshake ----------------------------------------------------------- */

static void hs_failed(struct rlab_sess *s)
{
    const char *d = rlab_error_detail();
    int err = rlab_hs_error(&s->hs);
    sess_fail(s, rlab_hs_alert(&s->hs), err, 0, "%s", d[0] ? d : rlab_strerror(err));
    rlab_error_clear();
}

/* Write what the handshake wants written, and split when it is done. */
static void hs_drive(struct rlab_sess *s)
{
    for (;;) {
        enum rlab_hs_action a = rlab_hs_next(&s->hs);
        if (a == RLAB_HS_FAILED) {
            hs_failed(s);
            return;
        }
        if (a == RLAB_HS_READ)
            return;
        if (a == RLAB_HS_SPLIT) {
            rlab_hs_split(&s->hs, &s->keys);
            release_handshake(s);
            rlab_hs_fingerprint(s->sym, s->keys.peer_spki, s->keys.peer_spki_len, s->fp);
            s->state = ST_OPEN;
            s->hs_deadline = 0;
            if (s->h.ready != NULL)
                s->h.ready(s->h.ctx, s);
            return;
        }
        uint8_t body[RLAB_FRAME_HELLO_MAX], type = 0;
        size_t len;
        if (rlab_hs_write(&s->hs, &type, body, sizeof body, &len) != RLAB_OK) {
            hs_failed(s);
            return;
        }
        int rc;
        uint8_t *b = out_frame(s, type, len, &rc);
        if (b == NULL) {
            sess_fail(s, RLAB_ALERT_INTERNAL, rc, 0, "cannot queue a handshake frame");
            return;
        }
        memcpy(b, body, len);
        rlab_wipe(body, len);
    }
}

/* ---- set-up ------------------------------------------------------------------- */

int rlab_sess_new(int fd, const struct rlab_sess_config *cfg,
                  const struct rlab_sess_handlers *h, struct rlab_sess **out)
{
    *out = NULL;
    struct rlab_sess *s = calloc(1, sizeof *s);
    if (s == NULL) {
        close(fd);
        return RLAB_ERR_NOMEM;
    }
    s->fd = fd;
    s->cfg = *cfg;
    if (h != NULL)
        s->h = *h;
    s->sym = rlab_sess_sym_provider(cfg->be);
    s->state = ST_HANDSHAKE;
    rlab_frame_reader_init(&s->rd);
    if (s->sym == NULL || cfg->transient == NULL) {
        rlab_sess_free(s);
        return RLAB_ERR_UNSUPPORTED;
    }
    s->tkey = rlab_tkey_get(cfg->transient);
    struct rlab_hs_config hc = {
        .role = cfg->role, .be = cfg->be, .sym = s->sym, .identity = cfg->identity,
        .transient = s->tkey->key, .pin = cfg->pin, .pin_len = cfg->pin_len,
        .identity_spki = cfg->identity_spki, .identity_spki_len = cfg->identity_spki_len,
        .transient_spki = s->tkey->spki.data, .transient_spki_len = s->tkey->spki.len,
        .authorize = cfg->authorize, .authorize_ctx = cfg->authorize_ctx, .rng = cfg->rng,
        .keys = cfg->keys,
        .tamper = cfg->tamper, .tamper_ctx = cfg->tamper_ctx,
    };
    int rc = rlab_hs_init(&s->hs, &hc);
    if (rc != RLAB_OK) {
        rlab_sess_free(s);
        return rc;
    }
    s->hs_deadline = rlab_now_ms() + (cfg->hs_timeout_ms ? cfg->hs_timeout_ms : 10000);
    hs_drive(s);
    flush(s);
    *out = s;
    return RLAB_OK;
}

void rlab_sess_free(struct rlab_sess *s)
{
    if (s == NULL)
        return;
    rx_abort(s);
    rlab_stream_clear(&s->tx);
    release_handshake(s);
    if (s->fd >= 0)
        close(s->fd);
    if (s->out != NULL) {
        rlab_wipe(s->out, s->cap);
        free(s->out);
    }
    if (s->in != NULL)
        munmap(s->in, RLAB_SESS_IN); /* only ever held what crossed the wire */
    rlab_frame_reader_clear(&s->rd);
    rlab_wipe(s, sizeof *s);
    free(s);
}

/* ---- accessors ------------------------------------------------------------------ */

int rlab_sess_fd(const struct rlab_sess *s) { return s->fd; }
int rlab_sess_ready(const struct rlab_sess *s) { return s->state == ST_OPEN && !s->sent_close; }
int rlab_sess_error(const struct rlab_sess *s) { return s->state == ST_FAILED ? s->err : RLAB_OK; }
unsigned rlab_sess_alert(const struct rlab_sess *s) { return s->alert; }
int rlab_sess_alert_from_peer(const struct rlab_sess *s) { return s->alert_peer; }
const char *rlab_sess_detail(const struct rlab_sess *s) { return s->detail; }
void rlab_sess_set_user(struct rlab_sess *s, void *user) { s->user = user; }
void *rlab_sess_user(const struct rlab_sess *s) { return s->user; }
size_t rlab_sess_pending(const struct rlab_sess *s) { return s->len - s->off; }
const char *rlab_sess_peer_fingerprint(const struct rlab_sess *s) { return s->fp; }
unsigned rlab_sess_peer_bits(const struct rlab_sess *s) { return s->keys.peer_bits; }

const uint8_t *rlab_sess_peer_spki(const struct rlab_sess *s, size_t *len)
{
    *len = s->keys.peer_spki_len;
    return s->keys.peer_spki;
}

void rlab_sess_set_alert(struct rlab_sess *s, rlab_alert a)
{
    s->handler_alert = a;
}

int rlab_sess_done(const struct rlab_sess *s)
{
    if (s->state == ST_FAILED)
        return 1;
    return s->state == ST_ENDED && s->off == s->len;
}

short rlab_sess_events(const struct rlab_sess *s)
{
    if (rlab_sess_done(s))
        return 0;
    short ev = 0;
    if (!s->eof)
        ev |= POLLIN;
    if (s->off < s->len)
        ev |= POLLOUT;
    return ev;
}

uint64_t rlab_sess_deadline(const struct rlab_sess *s)
{
    if (s->state == ST_HANDSHAKE)
        return s->hs_deadline;
    if (s->state == ST_OPEN && s->rx_open)
        return s->stall_deadline;
    return 0;
}

void rlab_sess_tick(struct rlab_sess *s, uint64_t now)
{
    uint64_t d = rlab_sess_deadline(s);
    if (d == 0 || now < d)
        return;
    if (s->state == ST_HANDSHAKE)
        sess_fail(s, RLAB_ALERT_TIMEOUT, RLAB_ERR_IO, 0,
                  "handshake time-out: the peer did not finish in time");
    else
        sess_fail(s, RLAB_ALERT_TIMEOUT, RLAB_ERR_IO, 0,
                  "time-out: the peer stalled in the middle of a message");
}

/* ---- sending -------------------------------------------------------------------- */

/* The stream's context: label, direction, sequence number. */
static size_t msg_context(uint8_t *ctx, int c2s, uint64_t seq)
{
    size_t l = sizeof MSG_CTX_LABEL - 1;
    memcpy(ctx, MSG_CTX_LABEL, l);
    ctx[l] = c2s ? 'C' : 'S';
    for (int i = 0; i < 8; i++)
        ctx[l + 1 + i] = (uint8_t)(seq >> (56 - 8 * i));
    return l + 9;
}

/* Seal len bytes at p as the next chunk, straight into the output queue. */
static int seal_from(struct rlab_sess *s, const uint8_t *p, size_t len, int final)
{
    int rc;
    uint8_t *b = out_frame(s, RLAB_FRAME_CHUNK, len + RLAB_STREAM_TAG, &rc);
    if (b == NULL)
        return rc;
    size_t n = len + RLAB_STREAM_TAG;
    return rlab_stream_seal_chunk(&s->tx, p, len, final, b, &n);
}

static int seal_queue(struct rlab_sess *s, int final)
{
    int rc = seal_from(s, s->tx_buf, s->tx_have, final);
    rlab_wipe(s->tx_buf, s->tx_have);
    s->tx_have = 0;
    return rc;
}

int rlab_sess_msg_begin(struct rlab_sess *s, unsigned kind, uint64_t size, const char *name)
{
    if (s->state != ST_OPEN || s->tx_open || s->sent_close)
        return RLAB_ERR_INVALID_ARG;
    size_t nl = name != NULL ? strlen(name) : 0;
    if (nl > RLAB_SESS_NAME_MAX)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "a message name is at most %d bytes",
                              RLAB_SESS_NAME_MAX);
    uint8_t ctx[32];
    size_t cl = msg_context(ctx, s->cfg.role == RLAB_HS_CLIENT, s->tx_seq);
    int rc;
    uint8_t *b = out_frame(s, RLAB_FRAME_MSG_START, 8 + RLAB_STREAM_HEADER, &rc);
    if (b == NULL)
        return rc;
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(s->tx_seq >> (56 - 8 * i));
    rc = rlab_stream_seal_init(&s->tx, s->sym, s->sym, s->keys.send, RLAB_HS_KEY, ctx, cl,
                               s->cfg.rng, b + 8);
    if (rc != RLAB_OK) {
        rlab_stream_clear(&s->tx);
        sess_fail(s, RLAB_ALERT_INTERNAL, rc, 0, "cannot start a message stream");
        return rc;
    }
    s->tx_open = 1;
    s->tx_seq++;
    struct rlab_wr w = rlab_wr_init(s->tx_buf, META_MAX);
    rlab_wr_u8(&w, (uint8_t)kind);
    rlab_wr_u64(&w, size);
    rlab_wr_vec16(&w, name, nl);
    s->tx_have = w.len;
    return RLAB_OK;
}

int rlab_sess_msg_write(struct rlab_sess *s, const uint8_t *p, size_t len)
{
    if (s->state != ST_OPEN || !s->tx_open)
        return RLAB_ERR_INVALID_ARG;
    if (rlab_sess_pending(s) + len + len / 1024 + 64 > RLAB_SESS_OUT_MAX)
        return RLAB_ERR_TOO_BIG;
    while (len > 0) {
        if (s->tx_have == 0 && len >= RLAB_STREAM_CHUNK) {
            /* A whole chunk in the caller's buffer is sealed where it lies
             * (a full chunk is never the final one). */
            int rc = seal_from(s, p, RLAB_STREAM_CHUNK, 0);
            if (rc != RLAB_OK) {
                sess_fail(s, RLAB_ALERT_INTERNAL, rc, 0, "cannot seal a chunk");
                return rc;
            }
            p += RLAB_STREAM_CHUNK;
            len -= RLAB_STREAM_CHUNK;
            continue;
        }
        size_t take = RLAB_STREAM_CHUNK - s->tx_have;
        if (take > len)
            take = len;
        memcpy(s->tx_buf + s->tx_have, p, take);
        s->tx_have += take;
        p += take;
        len -= take;
        if (s->tx_have == RLAB_STREAM_CHUNK) {
            int rc = seal_queue(s, 0);
            if (rc != RLAB_OK) {
                sess_fail(s, RLAB_ALERT_INTERNAL, rc, 0, "cannot seal a chunk");
                return rc;
            }
        }
    }
    flush(s);
    return RLAB_OK;
}

int rlab_sess_msg_end(struct rlab_sess *s)
{
    if (s->state != ST_OPEN || !s->tx_open)
        return RLAB_ERR_INVALID_ARG;
    int rc = seal_queue(s, 1);
    rlab_stream_clear(&s->tx);
    s->tx_open = 0;
    if (rc != RLAB_OK) {
        sess_fail(s, RLAB_ALERT_INTERNAL, rc, 0, "cannot seal the final chunk");
        return rc;
    }
    flush(s);
    return RLAB_OK;
}

int rlab_sess_send(struct rlab_sess *s, unsigned kind, const char *name, const uint8_t *p,
                   size_t len)
{
    int rc = rlab_sess_msg_begin(s, kind, len, name);
    if (rc == RLAB_OK && len > 0)
        rc = rlab_sess_msg_write(s, p, len);
    if (rc == RLAB_OK)
        rc = rlab_sess_msg_end(s);
    return rc;
}

static void check_ended(struct rlab_sess *s)
{
    if (s->state == ST_OPEN && s->sent_close && s->got_close && !s->tx_open) {
        s->state = ST_ENDED;
        s->err = RLAB_OK;
    }
}

int rlab_sess_close(struct rlab_sess *s)
{
    if (s->state != ST_OPEN || s->sent_close)
        return RLAB_OK;
    if (s->tx_open)
        return RLAB_ERR_INVALID_ARG;
    int rc = rlab_sess_send(s, RLAB_MSG_CLOSE, NULL, NULL, 0);
    if (rc != RLAB_OK)
        return rc;
    s->sent_close = 1;
    check_ended(s);
    flush(s);
    return RLAB_OK;
}

/* ---- receiving ------------------------------------------------------------------- */

static void handler_failed(struct rlab_sess *s, int rc, const char *what)
{
    const char *d = rlab_error_detail();
    rlab_alert a = s->handler_alert != RLAB_ALERT_NONE ? s->handler_alert
                                                       : RLAB_ALERT_BAD_MESSAGE;
    s->handler_alert = RLAB_ALERT_NONE;
    sess_fail(s, a, rc, 0, "%s: %s", what, d[0] ? d : rlab_strerror(rc));
    rlab_error_clear();
}

static void on_msg_start(struct rlab_sess *s, const uint8_t *body, size_t len)
{
    if (s->got_close) {
        sess_fail(s, RLAB_ALERT_UNEXPECTED, RLAB_ERR_PARSE, 0, "data after the peer's close");
        return;
    }
    if (s->rx_open) {
        sess_fail(s, RLAB_ALERT_TRUNCATED, RLAB_ERR_TRUNCATED, 0,
                  "message %llu ended early: a new message began before its final chunk",
                  (unsigned long long)s->rx_seq);
        return;
    }
    struct rlab_rd r = rlab_rd_init(body, len);
    uint64_t seq;
    const uint8_t *hdr;
    if (!rlab_rd_u64(&r, &seq) || !rlab_rd_bytes(&r, RLAB_STREAM_HEADER, &hdr) ||
        !rlab_rd_done(&r)) {
        sess_fail(s, RLAB_ALERT_BAD_FRAME, RLAB_ERR_PARSE, 0, "malformed message start");
        return;
    }
    if (seq != s->rx_seq) {
        sess_fail(s, RLAB_ALERT_BAD_MESSAGE, RLAB_ERR_AUTH, 0,
                  "message %llu arrived where %llu was expected (replayed, reordered or "
                  "dropped)", (unsigned long long)seq, (unsigned long long)s->rx_seq);
        return;
    }
    uint8_t ctx[32];
    size_t cl = msg_context(ctx, s->cfg.role != RLAB_HS_CLIENT, seq);
    int rc = rlab_stream_open_init(&s->rx, s->sym, s->sym, s->keys.recv, RLAB_HS_KEY, ctx, cl,
                                   hdr);
    if (rc != RLAB_OK) {
        rlab_stream_clear(&s->rx);
        sess_fail(s, RLAB_ALERT_BAD_MESSAGE, rc, 0,
                  "message %llu: header does not authenticate", (unsigned long long)seq);
        return;
    }
    s->rx_open = 1;
    s->rx_meta = 0;
    s->stall_deadline = rlab_now_ms() + (s->cfg.stall_timeout_ms ? s->cfg.stall_timeout_ms
                                                                  : 30000);
}

/* The first plaintext bytes of a message: kind, size, name. */
static size_t parse_meta(struct rlab_sess *s, const uint8_t *p, size_t len)
{
    struct rlab_rd r = rlab_rd_init(p, len);
    uint8_t kind;
    uint64_t size;
    const uint8_t *name;
    size_t nl;
    if (!rlab_rd_u8(&r, &kind) || !rlab_rd_u64(&r, &size) || !rlab_rd_vec16(&r, &name, &nl) ||
        nl > RLAB_SESS_NAME_MAX || memchr(name, 0, nl) != NULL ||
        (kind != RLAB_MSG_CHAT && kind != RLAB_MSG_FILE && kind != RLAB_MSG_CLOSE)) {
        sess_fail(s, RLAB_ALERT_BAD_MESSAGE, RLAB_ERR_PARSE, 0, "malformed message header");
        return 0;
    }
    char nm[RLAB_SESS_NAME_MAX + 1];
    memcpy(nm, name, nl);
    nm[nl] = '\0';
    s->rx_kind = kind;
    s->rx_meta = 1;
    if (kind == RLAB_MSG_CLOSE) {
        if (r.left != 0) {
            sess_fail(s, RLAB_ALERT_BAD_MESSAGE, RLAB_ERR_PARSE, 0, "a close with content");
            return 0;
        }
        return len;
    }
    if (s->h.begin != NULL) {
        int rc = s->h.begin(s->h.ctx, s, kind, size, nm);
        if (rc != RLAB_OK) {
            s->rx_meta = 0; /* nothing to abort: begin refused it */
            handler_failed(s, rc, "message refused");
            return 0;
        }
    }
    return len - r.left;
}

static void on_chunk(struct rlab_sess *s, const uint8_t *body, size_t len)
{
    if (!s->rx_open) {
        /* Both are frames the state does not allow: the same alert. */
        sess_fail(s, RLAB_ALERT_UNEXPECTED, RLAB_ERR_PARSE, 0, "%s",
                  s->got_close ? "data after the peer's close" : "a chunk outside a message");
        return;
    }
    int final = 0;
    size_t n = sizeof s->rx_pt;
    int rc = rlab_stream_open_chunk(&s->rx, body, len, &final, s->rx_pt, &n);
    if (rc != RLAB_OK) {
        sess_fail(s, RLAB_ALERT_BAD_MESSAGE, rc, 0,
                  "message %llu: a chunk does not authenticate (tampered, reordered or "
                  "dropped)", (unsigned long long)s->rx_seq);
        return;
    }
    s->stall_deadline = rlab_now_ms() + (s->cfg.stall_timeout_ms ? s->cfg.stall_timeout_ms
                                                                  : 30000);
    size_t at = 0;
    if (!s->rx_meta) {
        at = parse_meta(s, s->rx_pt, n);
        if (s->state == ST_FAILED)
            return;
    }
    if (at < n && s->h.data != NULL && s->rx_kind != RLAB_MSG_CLOSE) {
        rc = s->h.data(s->h.ctx, s, s->rx_pt + at, n - at);
        if (rc != RLAB_OK) {
            handler_failed(s, rc, "message data refused");
            return;
        }
    }
    rlab_wipe(s->rx_pt, n);
    if (!final)
        return;
    rlab_stream_clear(&s->rx);
    s->rx_open = 0;
    s->rx_seq++;
    unsigned kind = s->rx_kind;
    s->rx_meta = 0;
    if (kind == RLAB_MSG_CLOSE) {
        s->got_close = 1;
        if (!s->sent_close && !s->tx_open)
            rlab_sess_close(s);
        check_ended(s);
        return;
    }
    if (s->h.end != NULL && (rc = s->h.end(s->h.ctx, s)) != RLAB_OK)
        handler_failed(s, rc, "message could not be completed");
}

static void on_frame(struct rlab_sess *s, uint8_t type, const uint8_t *body, size_t len)
{
    if (type == RLAB_FRAME_ALERT) {
        unsigned code = len == 2 ? (unsigned)(body[0] << 8 | body[1]) : RLAB_ALERT_BAD_FRAME;
        sess_fail(s, (rlab_alert)code, RLAB_ERR_VERIFY, 1, "the peer sent alert %u: %s", code,
                  rlab_alert_text(code));
        return;
    }
    if (s->state == ST_HANDSHAKE) {
        rlab_hs_read(&s->hs, type, body, len);
        hs_drive(s);
        return;
    }
    if (s->state != ST_OPEN && s->state != ST_ENDED)
        return;
    if (s->got_close && !(type == RLAB_FRAME_CHUNK && s->rx_open)) {
        sess_fail(s, RLAB_ALERT_UNEXPECTED, RLAB_ERR_PARSE, 0, "data after the peer's close");
        return;
    }
    switch (type) {
    case RLAB_FRAME_MSG_START: on_msg_start(s, body, len); break;
    case RLAB_FRAME_CHUNK: on_chunk(s, body, len); break;
    default:
        sess_fail(s, RLAB_ALERT_UNEXPECTED, RLAB_ERR_PARSE, 0,
                  "frame type 0x%02x after the handshake", type);
    }
}

static void on_eof(struct rlab_sess *s)
{
    s->eof = 1;
    if (rlab_frame_reader_partial(&s->rd)) {
        sess_fail(s, RLAB_ALERT_NONE, RLAB_ERR_TRUNCATED, 0,
                  "the connection closed in the middle of a frame");
    } else if (s->state == ST_HANDSHAKE) {
        sess_fail(s, RLAB_ALERT_NONE, RLAB_ERR_IO, 0,
                  "the peer closed the connection during the handshake");
    } else if (s->rx_open) {
        sess_fail(s, RLAB_ALERT_NONE, RLAB_ERR_TRUNCATED, 0,
                  "message %llu ended early: the connection closed before its final chunk",
                  (unsigned long long)s->rx_seq);
    } else if (s->state == ST_OPEN && !s->got_close) {
        sess_fail(s, RLAB_ALERT_NONE, RLAB_ERR_TRUNCATED, 0,
                  "the peer closed the connection without a close message");
    } else if (s->state == ST_OPEN) {
        s->state = ST_ENDED;
    }
}

static void on_readable(struct rlab_sess *s)
{
    if (s->in == NULL) {
        /* mapped, not malloc'd: given back whole when the session ends, so
         * that many short sessions do not leave the heap fragmented */
        void *m = mmap(NULL, RLAB_SESS_IN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        if (m == MAP_FAILED) {
            sess_fail(s, RLAB_ALERT_INTERNAL, RLAB_ERR_NOMEM, 0, "out of memory for a read");
            return;
        }
        s->in = m;
    }
    uint8_t *buf = s->in;
    /* At most 16 reads per call, so that one busy peer does not starve the
     * others; but once the session has ended cleanly, read on to the end of
     * what has arrived: anything there is data after the peer's close, and
     * must be reported as such however much came before it. */
    for (int rounds = 0; rounds < 16 || s->state == ST_ENDED; rounds++) {
        ssize_t n = recv(s->fd, buf, RLAB_SESS_IN, 0);
        if (n == 0) {
            on_eof(s);
            return;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                sess_fail(s, RLAB_ALERT_NONE, RLAB_ERR_IO, 0, "connection error: %s",
                          strerror(errno));
            return;
        }
        size_t at = 0;
        /* After a clean end, frames still in the buffer are data after the
         * close: read them too, to report it. */
        while (at < (size_t)n && s->state != ST_FAILED) {
            uint8_t type;
            const uint8_t *body;
            size_t blen, used;
            int rc = rlab_frame_reader_feed(&s->rd, buf + at, (size_t)n - at, &used, &type,
                                            &body, &blen);
            at += used;
            if (rc < 0) {
                const char *d = rlab_error_detail();
                /* A first frame of no known type: not rsalab/1 at all. */
                int first = s->state == ST_HANDSHAKE && s->hs.th_len == 0 &&
                            s->cfg.role == RLAB_HS_SERVER &&
                            rlab_frame_limit(s->rd.buf[0]) == 0;
                sess_fail(s, first ? RLAB_ALERT_BAD_VERSION : RLAB_ALERT_BAD_FRAME, -rc, 0, "%s",
                          d[0] ? d : "malformed frame");
                rlab_error_clear();
                break;
            }
            if (rc == 1)
                on_frame(s, type, body, blen);
        }
        /* buf is what crossed the wire (handshake frames and sealed
         * chunks): nothing secret, so it is not wiped. */
        if (s->state == ST_FAILED)
            return;
        if ((size_t)n < RLAB_SESS_IN)
            return;
    }
}

void rlab_sess_io(struct rlab_sess *s, short revents)
{
    if (rlab_sess_done(s))
        return;
    if (revents & (POLLIN | POLLHUP | POLLERR))
        on_readable(s);
    if (s->state == ST_FAILED)
        return;
    flush(s);
}
