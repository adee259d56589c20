/* see client.h */
#include "core/client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "core/fileio.h"
#include "core/server.h"

struct rlab_client {
    struct rlab_client_config cfg;
    struct rlab_sess *sess;
    struct rlab_tkey *tkey;
    unsigned kind;
    char from[RLAB_SESS_NAME_MAX + 1];
    uint8_t *line;
    size_t line_len;
};

static int h_begin(void *ctx, struct rlab_sess *s, unsigned kind, uint64_t size, const char *name)
{
    struct rlab_client *cl = ctx;
    (void)size;
    if (kind != RLAB_MSG_CHAT) {
        rlab_sess_set_alert(s, RLAB_ALERT_UNEXPECTED);
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "the server sent a file: clients take none");
    }
    cl->kind = kind;
    snprintf(cl->from, sizeof cl->from, "%s", name);
    cl->line_len = 0;
    if (cl->line == NULL && (cl->line = malloc(RLAB_SESS_CHAT_MAX)) == NULL)
        return RLAB_ERR_NOMEM;
    return RLAB_OK;
}

static int h_data(void *ctx, struct rlab_sess *s, const uint8_t *p, size_t len)
{
    struct rlab_client *cl = ctx;
    if (len > RLAB_SESS_CHAT_MAX - cl->line_len) {
        rlab_sess_set_alert(s, RLAB_ALERT_TOO_LONG);
        return rlab_error_set(RLAB_ERR_TOO_BIG, "a chat line over %u bytes", RLAB_SESS_CHAT_MAX);
    }
    memcpy(cl->line + cl->line_len, p, len);
    cl->line_len += len;
    return RLAB_OK;
}

static int h_end(void *ctx, struct rlab_sess *s)
{
    struct rlab_client *cl = ctx;
    (void)s;
    if (cl->cfg.chat != NULL)
        cl->cfg.chat(cl->cfg.ctx, cl->from, cl->line, cl->line_len);
    rlab_wipe(cl->line, cl->line_len);
    cl->line_len = 0;
    return RLAB_OK;
}

static void h_abort(void *ctx, struct rlab_sess *s)
{
    struct rlab_client *cl = ctx;
    (void)s;
    cl->line_len = 0;
}

/* The session's error as the function result, with its detail. */
static int ended(struct rlab_client *cl)
{
    int err = rlab_sess_error(cl->sess);
    if (err == RLAB_OK)
        return RLAB_ERR_IO; /* a clean end: nothing more can be done on it */
    return rlab_error_set(err, "%s", rlab_sess_detail(cl->sess));
}

int rlab_client_wait(struct rlab_client *cl, int extra_fd, int timeout_ms)
{
    if (rlab_sess_done(cl->sess))
        return -ended(cl);
    struct pollfd pf[2] = {{rlab_sess_fd(cl->sess), rlab_sess_events(cl->sess), 0},
                           {extra_fd, POLLIN, 0}};
    uint64_t now = rlab_now_ms(), d = rlab_sess_deadline(cl->sess);
    int wait = timeout_ms;
    if (d != 0 && (wait < 0 || now + (uint64_t)wait > d))
        wait = d > now ? (int)(d - now) : 0;
    int n = poll(pf, extra_fd >= 0 ? 2 : 1, wait);
    if (n < 0 && errno != EINTR)
        return -rlab_error_set(RLAB_ERR_IO, "poll: %s", strerror(errno));
    if (n > 0 && pf[0].revents)
        rlab_sess_io(cl->sess, pf[0].revents);
    rlab_sess_tick(cl->sess, rlab_now_ms());
    if (rlab_sess_done(cl->sess))
        return -ended(cl);
    return n > 0 && extra_fd >= 0 && pf[1].revents ? 1 : 0;
}

int rlab_client_connect(const struct rlab_client_config *cfg, struct rlab_client **out)
{
    *out = NULL;
    struct rlab_client *cl = calloc(1, sizeof *cl);
    if (cl == NULL)
        return RLAB_ERR_NOMEM;
    cl->cfg = *cfg;
    int rc = RLAB_OK;
    if (cfg->transient != NULL)
        cl->tkey = rlab_tkey_get(cfg->transient);
    else
        rc = rlab_tkey_new(cfg->be, 0, &cl->tkey);
    int fd = -1;
    if (rc == RLAB_OK) {
        fd = rlab_tcp_connect(cfg->host ? cfg->host : "127.0.0.1", cfg->port,
                              cfg->hs_timeout_ms ? cfg->hs_timeout_ms : 10000);
        if (fd < 0)
            rc = RLAB_ERR_IO;
    }
    if (rc == RLAB_OK) {
        struct rlab_sess_config sc = {
            .role = RLAB_HS_CLIENT, .be = cfg->be, .identity = cfg->identity,
            .transient = cl->tkey, .pin = cfg->pin, .pin_len = cfg->pin_len,
            .identity_spki = cfg->identity_spki, .identity_spki_len = cfg->identity_spki_len,
            .hs_timeout_ms = cfg->hs_timeout_ms, .tamper = cfg->tamper, .keys = cfg->keys,
            .tamper_ctx = cfg->tamper_ctx,
        };
        struct rlab_sess_handlers h = {cl, NULL, h_begin, h_data, h_end, h_abort};
        rc = rlab_sess_new(fd, &sc, &h, &cl->sess);
    }
    /* The client's transient key is its own: the session holds it only
     * through the handshake, and we drop ours now. */
    rlab_tkey_put(cl->tkey);
    cl->tkey = NULL;
    while (rc == RLAB_OK && !rlab_sess_ready(cl->sess)) {
        int w = rlab_client_wait(cl, -1, 200);
        if (w < 0)
            rc = -w;
    }
    if (rc != RLAB_OK) {
        rlab_client_free(cl);
        return rc;
    }
    *out = cl;
    return RLAB_OK;
}

int rlab_client_send_line(struct rlab_client *cl, const uint8_t *text, size_t len)
{
    if (len > RLAB_SESS_CHAT_MAX)
        return rlab_error_set(RLAB_ERR_TOO_BIG, "a chat line is at most %u bytes",
                              RLAB_SESS_CHAT_MAX);
    int rc = rlab_sess_send(cl->sess, RLAB_MSG_CHAT, "", text, len);
    return rc == RLAB_OK || !rlab_sess_done(cl->sess) ? rc : ended(cl);
}

/* Wait until the output queue is below `level` bytes. */
static int drain(struct rlab_client *cl, size_t level)
{
    while (rlab_sess_pending(cl->sess) > level) {
        int w = rlab_client_wait(cl, -1, 200);
        if (w < 0)
            return -w;
    }
    return RLAB_OK;
}

int rlab_client_send_file(struct rlab_client *cl, const char *path,
                          void (*progress)(void *ctx, uint64_t done, uint64_t total),
                          void *ctx, uint8_t sha256[32], uint64_t *sent)
{
    int rc;
    if (sent != NULL)
        *sent = 0;
    FILE *f = rlab_file_open_input(path, &rc);
    if (f == NULL)
        return rc;
    if (f == stdin) /* a message needs a name and a size */
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "send a file, not standard input");
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint64_t total = sz > 0 ? (uint64_t)sz : 0, done = 0;
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    rc = rlab_sess_msg_begin(cl->sess, RLAB_MSG_FILE, total, base);
    const struct rlab_backend *sym = rlab_sess_sym_provider(cl->cfg.be);
    rlab_hash_ctx *hc = NULL;
    if (rc == RLAB_OK && sha256 != NULL)
        rc = rlab_hash_new(sym, RLAB_HASH_SHA256, &hc);
    /* Read and hand over 256 KiB at a time: fewer, larger system calls (the
     * session seals whole chunks straight from this buffer). */
    enum { PIECE = 256 * 1024 };
    uint8_t *buf = rc == RLAB_OK ? malloc(PIECE) : NULL;
    if (rc == RLAB_OK && buf == NULL)
        rc = RLAB_ERR_NOMEM;
    while (rc == RLAB_OK) {
        size_t n = fread(buf, 1, PIECE, f);
        if (n == 0) {
            if (ferror(f))
                rc = rlab_error_set(RLAB_ERR_IO, "%s: read error", path);
            break;
        }
        rc = drain(cl, 4 * PIECE);
        if (rc == RLAB_OK && hc != NULL)
            rc = rlab_hash_update(sym, hc, buf, n);
        if (rc == RLAB_OK)
            rc = rlab_sess_msg_write(cl->sess, buf, n);
        done += n;
        if (rc == RLAB_OK && progress != NULL)
            progress(ctx, done, total);
    }
    fclose(f);
    if (buf != NULL) {
        rlab_wipe(buf, PIECE);
        free(buf);
    }
    if (hc != NULL) {
        if (rc == RLAB_OK)
            rc = rlab_hash_final(sym, hc, sha256);
        else
            rlab_hash_free(sym, hc);
    }
    if (sent != NULL)
        *sent = done;
    if (rc == RLAB_OK)
        rc = rlab_sess_msg_end(cl->sess);
    if (rc == RLAB_OK)
        rc = drain(cl, 0);
    if (rc != RLAB_OK && rlab_sess_done(cl->sess))
        return ended(cl);
    if (rc != RLAB_OK) /* a message cut in the middle cannot be resumed */
        rlab_sess_abort(cl->sess, RLAB_ALERT_INTERNAL, rc,
                        "the file could not be sent whole; the session is closed");
    return rc;
}

int rlab_client_close(struct rlab_client *cl, int timeout_ms)
{
    int rc = rlab_sess_close(cl->sess);
    if (rc != RLAB_OK)
        return rc;
    uint64_t end = rlab_now_ms() + (uint64_t)timeout_ms;
    while (!rlab_sess_done(cl->sess)) {
        uint64_t now = rlab_now_ms();
        if (now >= end)
            return rlab_error_set(RLAB_ERR_IO, "the server did not answer the close in time");
        rlab_client_wait(cl, -1, (int)(end - now));
    }
    return rlab_sess_error(cl->sess) == RLAB_OK ? RLAB_OK : ended(cl);
}

int rlab_client_closed(const struct rlab_client *cl)
{
    return rlab_sess_done(cl->sess) && rlab_sess_error(cl->sess) == RLAB_OK;
}

struct rlab_sess *rlab_client_session(struct rlab_client *cl)
{
    return cl->sess;
}

void rlab_client_free(struct rlab_client *cl)
{
    if (cl == NULL)
        return;
    rlab_sess_free(cl->sess);
    rlab_tkey_put(cl->tkey);
    if (cl->line != NULL) {
        rlab_wipe(cl->line, RLAB_SESS_CHAT_MAX);
        free(cl->line);
    }
    free(cl);
}
