/* see server.h */
#include "core/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "core/inbox.h"
#include "core/keycache.h"

struct client {
    struct rlab_server *srv;
    struct rlab_sess *sess;
    char peer[64];               /* address:port */
    char name[64];               /* the authorized key's name */
    unsigned kind;               /* message being received */
    uint8_t *chat;               /* chat line being received */
    size_t chat_len;
    struct rlab_filew file;
    char file_name[RLAB_SESS_NAME_MAX + 1];
    rlab_hash_ctx *file_hash;
    uint64_t files, bytes_in;
};

struct rlab_server {
    struct rlab_server_config cfg;
    const struct rlab_backend *sym;
    int lfd, console_open;
    unsigned port;
    struct rlab_tkey *tkey;
    struct rlab_keycache *keys; /* client keys validated before */
    struct rlab_buf id_spki;    /* the identity's SPKI DER, exported once */
    struct client **c;
    size_t n;
    char line[RLAB_SESS_CHAT_MAX];
    size_t line_len;
    struct rlab_server_stats st;
};

static void slog(struct rlab_server *srv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void slog(struct rlab_server *srv, const char *fmt, ...)
{
    if (srv->cfg.log == NULL)
        return;
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    srv->cfg.log(srv->cfg.ctx, buf);
}

/* ---- receiving from a client ------------------------------------------------- */

static void file_abort(struct client *cl)
{
    rlab_filew_abort(&cl->file);
    rlab_hash_free(cl->srv->sym, cl->file_hash);
    cl->file_hash = NULL;
}

static int h_begin(void *ctx, struct rlab_sess *s, unsigned kind, uint64_t size, const char *name)
{
    struct client *cl = ctx;
    (void)size;
    cl->kind = kind;
    if (kind == RLAB_MSG_CHAT) {
        cl->chat_len = 0;
        if (cl->chat == NULL && (cl->chat = malloc(RLAB_SESS_CHAT_MAX)) == NULL)
            return RLAB_ERR_NOMEM;
        return RLAB_OK;
    }
    int rc = rlab_inbox_open(cl->srv->cfg.inbox, name, &cl->file);
    if (rc != RLAB_OK) {
        /* A name the inbox cannot take (malformed, too long for its file
         * system, or taken with all its suffixes) is the peer's to change. */
        rlab_sess_set_alert(s, rc == RLAB_ERR_INVALID_ARG || rc == RLAB_ERR_EXISTS
                                   ? RLAB_ALERT_BAD_NAME
                                   : RLAB_ALERT_INTERNAL);
        return rc;
    }
    snprintf(cl->file_name, sizeof cl->file_name, "%s", name);
    if (cl->srv->cfg.no_digest)
        return RLAB_OK;
    rc = rlab_hash_new(cl->srv->sym, RLAB_HASH_SHA256, &cl->file_hash);
    if (rc != RLAB_OK)
        file_abort(cl);
    return rc;
}

static int h_data(void *ctx, struct rlab_sess *s, const uint8_t *p, size_t len)
{
    struct client *cl = ctx;
    cl->bytes_in += len;
    if (cl->kind == RLAB_MSG_CHAT) {
        if (len > RLAB_SESS_CHAT_MAX - cl->chat_len) {
            rlab_sess_set_alert(s, RLAB_ALERT_TOO_LONG);
            return rlab_error_set(RLAB_ERR_TOO_BIG, "a chat line over %u bytes",
                                  RLAB_SESS_CHAT_MAX);
        }
        memcpy(cl->chat + cl->chat_len, p, len);
        cl->chat_len += len;
        return RLAB_OK;
    }
    int rc = rlab_filew_write(&cl->file, p, len);
    if (rc == RLAB_OK && cl->file_hash != NULL)
        rc = rlab_hash_update(cl->srv->sym, cl->file_hash, p, len);
    if (rc != RLAB_OK)
        rlab_sess_set_alert(s, RLAB_ALERT_INTERNAL);
    return rc;
}

static void relay(struct rlab_server *srv, struct client *from, const char *name,
                  const uint8_t *text, size_t len)
{
    for (size_t i = 0; i < srv->n; i++) {
        struct client *to = srv->c[i];
        if (to == from || !rlab_sess_ready(to->sess))
            continue;
        int rc = rlab_sess_send(to->sess, RLAB_MSG_CHAT, name, text, len);
        if (rc == RLAB_ERR_TOO_BIG || rc == RLAB_ERR_INVALID_ARG)
            rlab_sess_abort(to->sess, RLAB_ALERT_OVERLOADED, RLAB_ERR_TOO_BIG,
                            "too slow: its output queue is full");
    }
}

static int h_end(void *ctx, struct rlab_sess *s)
{
    struct client *cl = ctx;
    struct rlab_server *srv = cl->srv;
    if (cl->kind == RLAB_MSG_CHAT) {
        srv->st.chats++;
        if (srv->cfg.chat != NULL)
            srv->cfg.chat(srv->cfg.ctx, cl->name, cl->chat, cl->chat_len);
        relay(srv, cl, cl->name, cl->chat, cl->chat_len);
        rlab_wipe(cl->chat, cl->chat_len);
        cl->chat_len = 0;
        return RLAB_OK;
    }
    uint8_t d[32];
    int digest = cl->file_hash != NULL, rc = RLAB_OK;
    if (digest)
        rc = rlab_hash_final(srv->sym, cl->file_hash, d);
    cl->file_hash = NULL;
    uint64_t size = cl->file.written;
    char final_path[4096] = "?";
    if (rc == RLAB_OK)
        rc = rlab_inbox_commit(&cl->file, final_path, sizeof final_path);
    else
        rlab_filew_abort(&cl->file);
    if (rc != RLAB_OK) {
        rlab_sess_set_alert(s, rc == RLAB_ERR_EXISTS ? RLAB_ALERT_BAD_NAME : RLAB_ALERT_INTERNAL);
        return rc;
    }
    char hex[80] = "not computed (--no-digest)";
    for (int i = 0; digest && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    srv->st.files++;
    srv->st.file_bytes += size;
    cl->files++;
    slog(srv, "file %s from %s: %llu bytes, sha256 %s", final_path, cl->name,
         (unsigned long long)size, hex);
    return RLAB_OK;
}

static void h_abort(void *ctx, struct rlab_sess *s)
{
    struct client *cl = ctx;
    (void)s;
    if (cl->kind == RLAB_MSG_FILE)
        file_abort(cl);
    cl->chat_len = 0;
}

static void h_ready(void *ctx, struct rlab_sess *s)
{
    struct client *cl = ctx;
    size_t len;
    const uint8_t *spki = rlab_sess_peer_spki(s, &len);
    const struct rlab_authset_entry *e = rlab_authset_find(cl->srv->cfg.auth, spki, len);
    snprintf(cl->name, sizeof cl->name, "%s", e != NULL ? e->name : "?");
}

/* ---- connections ------------------------------------------------------------------ */

static void client_end(struct rlab_server *srv, size_t i)
{
    struct client *cl = srv->c[i];
    struct rlab_sess *s = cl->sess;
    int err = rlab_sess_error(s);
    const char *fp = rlab_sess_peer_fingerprint(s);
    char result[400];
    if (err == RLAB_OK)
        snprintf(result, sizeof result, "ok (%llu files, %llu bytes in)",
                 (unsigned long long)cl->files, (unsigned long long)cl->bytes_in);
    else
        snprintf(result, sizeof result, "error: %s%s%s", rlab_sess_detail(s),
                 rlab_sess_alert(s) && !rlab_sess_alert_from_peer(s) ? " (alert sent: " : "",
                 rlab_sess_alert(s) && !rlab_sess_alert_from_peer(s)
                     ? rlab_alert_text(rlab_sess_alert(s))
                     : "");
    size_t rl = strlen(result);
    if (err != RLAB_OK && rlab_sess_alert(s) && !rlab_sess_alert_from_peer(s) &&
        rl + 1 < sizeof result)
        memcpy(result + rl, ")", 2);
    slog(srv, "connection %s key=%s name=%s backend=%s result=%s", cl->peer,
         fp[0] ? fp : "-", cl->name[0] ? cl->name : "-", srv->cfg.be->name, result);
    if (err == RLAB_OK)
        srv->st.ok++;
    else
        srv->st.failed++;
    rlab_sess_free(s); /* aborts a file in progress through h_abort */
    file_abort(cl);
    if (cl->chat != NULL) {
        rlab_wipe(cl->chat, RLAB_SESS_CHAT_MAX);
        free(cl->chat);
    }
    free(cl);
    srv->c[i] = srv->c[--srv->n];
    srv->st.clients = (unsigned)srv->n;
}

static void refuse_busy(struct rlab_server *srv, int fd)
{
    uint8_t alert[RLAB_FRAME_HDR + 2];
    rlab_frame_header(alert, RLAB_FRAME_ALERT, 2);
    alert[4] = 0;
    alert[5] = RLAB_ALERT_OVERLOADED;
    (void)send(fd, alert, sizeof alert, MSG_NOSIGNAL | MSG_DONTWAIT);
    close(fd);
    srv->st.refused_busy++;
    slog(srv, "connection refused: %u clients already (--max-clients)", srv->cfg.max_clients);
}

static void accept_one(struct rlab_server *srv)
{
    struct sockaddr_storage a;
    socklen_t al = sizeof a;
    int fd = accept4(srv->lfd, (struct sockaddr *)&a, &al, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    srv->st.accepted++;
    if (srv->n >= srv->cfg.max_clients) {
        refuse_busy(srv, fd);
        return;
    }
    struct client *cl = calloc(1, sizeof *cl);
    struct client **nv = cl != NULL ? realloc(srv->c, (srv->n + 1) * sizeof *nv) : NULL;
    if (nv == NULL || rlab_tcp_prepare(fd) != 0) {
        free(cl);
        close(fd);
        return;
    }
    srv->c = nv;
    cl->srv = srv;
    cl->file = (struct rlab_filew)RLAB_FILEW_INIT;
    char host[INET6_ADDRSTRLEN] = "?", serv[16] = "?";
    getnameinfo((struct sockaddr *)&a, al, host, sizeof host, serv, sizeof serv,
                NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(cl->peer, sizeof cl->peer, "%s:%s", host, serv);
    struct rlab_sess_config sc = {
        .role = RLAB_HS_SERVER, .be = srv->cfg.be, .identity = srv->cfg.identity,
        .transient = srv->tkey, .authorize = rlab_authset_authorize,
        .authorize_ctx = (void *)srv->cfg.auth, .hs_timeout_ms = srv->cfg.hs_timeout_ms,
        .stall_timeout_ms = srv->cfg.stall_timeout_ms, .tamper = srv->cfg.tamper,
        .keys = srv->keys, .identity_spki = srv->id_spki.data,
        .identity_spki_len = srv->id_spki.len,
        .tamper_ctx = srv->cfg.tamper_ctx,
    };
    struct rlab_sess_handlers h = {cl, h_ready, h_begin, h_data, h_end, h_abort};
    int rc = rlab_sess_new(fd, &sc, &h, &cl->sess);
    if (rc != RLAB_OK) {
        slog(srv, "connection %s refused: %s", cl->peer, rlab_strerror(rc));
        free(cl);
        return;
    }
    srv->c[srv->n++] = cl;
    srv->st.clients = (unsigned)srv->n;
}

/* ---- the console -------------------------------------------------------------------- */

static void console_read(struct rlab_server *srv)
{
    char buf[4096];
    ssize_t n = read(srv->cfg.console_fd, buf, sizeof buf);
    if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN))
            srv->console_open = 0;
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] != '\n') {
            if (srv->line_len < sizeof srv->line)
                srv->line[srv->line_len++] = buf[i];
            continue;
        }
        if (srv->line_len > 0) {
            size_t ready = 0;
            for (size_t j = 0; j < srv->n; j++)
                ready += rlab_sess_ready(srv->c[j]->sess) != 0;
            if (ready == 0)
                slog(srv, "console line not sent: no client is connected");
            relay(srv, NULL, "server", (const uint8_t *)srv->line, srv->line_len);
            srv->st.chats++;
        }
        srv->line_len = 0;
    }
}

/* ---- the loop ---------------------------------------------------------------------------- */

static int listen_on(struct rlab_server *srv)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    char ps[16];
    snprintf(ps, sizeof ps, "%u", srv->cfg.port);
    const char *host = srv->cfg.host != NULL ? srv->cfg.host : "127.0.0.1";
    int e = getaddrinfo(host, ps, &hints, &res);
    if (e != 0)
        return rlab_error_set(RLAB_ERR_IO, "%s: %s", host, gai_strerror(e));
    int rc = RLAB_ERR_IO;
    for (struct addrinfo *a = res; a != NULL; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int one = 1;
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 128) == 0 &&
            rlab_tcp_prepare(fd) == 0) {
            struct sockaddr_storage ss;
            socklen_t sl = sizeof ss;
            getsockname(fd, (struct sockaddr *)&ss, &sl);
            srv->port = ntohs(ss.ss_family == AF_INET6
                                  ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                  : ((struct sockaddr_in *)&ss)->sin_port);
            srv->lfd = fd;
            rc = RLAB_OK;
            break;
        }
        rc = rlab_error_set(RLAB_ERR_IO, "%s port %u: %s", host, srv->cfg.port, strerror(errno));
        close(fd);
    }
    freeaddrinfo(res);
    return rc;
}

int rlab_server_new(const struct rlab_server_config *cfg, struct rlab_server **out)
{
    *out = NULL;
    if (cfg->be == NULL || cfg->identity == NULL || cfg->auth == NULL || cfg->inbox == NULL)
        return RLAB_ERR_INVALID_ARG;
    struct rlab_server *srv = calloc(1, sizeof *srv);
    if (srv == NULL)
        return RLAB_ERR_NOMEM;
    srv->cfg = *cfg;
    srv->lfd = -1;
    if (srv->cfg.max_clients == 0)
        srv->cfg.max_clients = 64;
    if (srv->cfg.rotate_s == 0)
        srv->cfg.rotate_s = 3600;
    if (srv->cfg.stop_grace_ms == 0)
        srv->cfg.stop_grace_ms = 3000;
    srv->console_open = cfg->console_fd >= 0;
    srv->sym = rlab_sess_sym_provider(cfg->be);
    int rc = srv->sym == NULL ? RLAB_ERR_UNSUPPORTED : listen_on(srv);
    if (rc == RLAB_OK)
        rc = rlab_keycache_new(0, &srv->keys);
    if (rc == RLAB_OK)
        rc = rlab_key_export(cfg->be, cfg->identity, RLAB_KEYFMT_SPKI, RLAB_ENC_DER,
                             &srv->id_spki);
    if (rc == RLAB_OK && cfg->transient != NULL)
        srv->tkey = rlab_tkey_get(cfg->transient);
    else if (rc == RLAB_OK)
        rc = rlab_tkey_new(cfg->be, cfg->tkey_bits, &srv->tkey);
    if (rc != RLAB_OK) {
        rlab_server_free(srv);
        return rc;
    }
    *out = srv;
    return RLAB_OK;
}

unsigned rlab_server_port(const struct rlab_server *srv)
{
    return srv->port;
}

void rlab_server_stats(const struct rlab_server *srv, struct rlab_server_stats *out)
{
    *out = srv->st;
}

static void rotate(struct rlab_server *srv, uint64_t now)
{
    if (now - srv->tkey->made_ms < (uint64_t)srv->cfg.rotate_s * 1000u)
        return;
    struct rlab_tkey *t;
    int rc = rlab_tkey_new(srv->cfg.be, srv->cfg.tkey_bits, &t);
    if (rc != RLAB_OK) {
        slog(srv, "transient key rotation failed: %s (keeping the old key)", rlab_strerror(rc));
        srv->tkey->made_ms = now; /* try again after another interval */
        return;
    }
    rlab_tkey_put(srv->tkey); /* wiped once the last handshake using it ends */
    srv->tkey = t;
    srv->st.rotations++;
    slog(srv, "transient key rotated (%u bits)", t->key->bits);
}

/* The server stops: no new connection; every open session gets the server's
 * close (the peer answers with its own and the session ends cleanly, a
 * message it is sending still arriving whole); a handshake in progress ends
 * (its peer sees the connection close: there is no close before the keys). */
static void begin_stop(struct rlab_server *srv)
{
    if (srv->lfd >= 0) {
        close(srv->lfd);
        srv->lfd = -1;
    }
    srv->console_open = 0;
    for (size_t i = 0; i < srv->n; i++) {
        struct rlab_sess *s = srv->c[i]->sess;
        if (rlab_sess_ready(s)) {
            int rc = rlab_sess_close(s);
            if (rc != RLAB_OK)
                rlab_sess_abort(s, RLAB_ALERT_NONE, rc,
                                "the server stopped and could not queue its close");
        } else if (!rlab_sess_done(s) && rlab_sess_peer_fingerprint(s)[0] == '\0') {
            /* No fingerprint yet: still in the handshake. */
            rlab_sess_abort(s, RLAB_ALERT_NONE, RLAB_ERR_IO,
                            "the server stopped during the handshake");
        }
    }
    if (srv->n > 0)
        slog(srv, "stopping: close sent to %zu session(s), waiting up to %u ms for theirs",
             srv->n, srv->cfg.stop_grace_ms);
}

/* The stop's grace period is over: end what is left. */
static void end_all(struct rlab_server *srv, const char *why)
{
    for (size_t i = 0; i < srv->n; i++)
        if (!rlab_sess_done(srv->c[i]->sess))
            rlab_sess_abort(srv->c[i]->sess, RLAB_ALERT_NONE, RLAB_ERR_IO, why);
    while (srv->n > 0)
        client_end(srv, srv->n - 1);
}

int rlab_server_run(struct rlab_server *srv, volatile sig_atomic_t *stop)
{
    struct pollfd *pf = NULL;
    size_t pf_cap = 0;
    int rc = RLAB_OK, stopping = 0;
    uint64_t stop_end = 0;
    for (;;) {
        if (*stop && !stopping) {
            stopping = 1;
            stop_end = rlab_now_ms() + srv->cfg.stop_grace_ms;
            begin_stop(srv);
        }
        if (stopping) {
            for (size_t i = srv->n; i-- > 0;)
                if (rlab_sess_done(srv->c[i]->sess))
                    client_end(srv, i);
            if (srv->n == 0)
                break;
            if (rlab_now_ms() >= stop_end) {
                end_all(srv, "the server stopped: the peer did not close in time");
                break;
            }
        }
        size_t need = srv->n + 2;
        if (need > pf_cap) {
            struct pollfd *np = realloc(pf, need * sizeof *np);
            if (np == NULL) {
                rc = RLAB_ERR_NOMEM;
                break;
            }
            pf = np;
            pf_cap = need;
        }
        size_t k = 0;
        pf[k++] = (struct pollfd){srv->lfd, POLLIN, 0}; /* -1 once stopping: ignored */
        int con = srv->console_open ? (int)k : -1;
        if (srv->console_open)
            pf[k++] = (struct pollfd){srv->cfg.console_fd, POLLIN, 0};
        size_t first = k;
        uint64_t now = rlab_now_ms(), wake = now + 200;
        if (stopping && stop_end < wake)
            wake = stop_end;
        for (size_t i = 0; i < srv->n; i++) {
            pf[k++] = (struct pollfd){rlab_sess_fd(srv->c[i]->sess),
                                      rlab_sess_events(srv->c[i]->sess), 0};
            uint64_t d = rlab_sess_deadline(srv->c[i]->sess);
            if (d != 0 && d < wake)
                wake = d;
        }
        int n = poll(pf, k, wake > now ? (int)(wake - now) : 0);
        if (n < 0 && errno != EINTR) {
            rc = rlab_error_set(RLAB_ERR_IO, "poll: %s", strerror(errno));
            break;
        }
        now = rlab_now_ms();
        /* Sessions first (their slots match pf[first..]), then new ones. */
        size_t count = srv->n;
        for (size_t i = 0; i < count; i++) {
            struct rlab_sess *s = srv->c[i]->sess;
            if (n > 0 && pf[first + i].revents)
                rlab_sess_io(s, pf[first + i].revents);
            rlab_sess_tick(s, now);
        }
        for (size_t i = srv->n; i-- > 0;)
            if (rlab_sess_done(srv->c[i]->sess))
                client_end(srv, i);
        if (n > 0 && con >= 0 && pf[con].revents)
            console_read(srv);
        if (n > 0 && srv->lfd >= 0 && (pf[0].revents & POLLIN))
            for (int j = 0; j < 16; j++) {
                size_t before = srv->st.accepted;
                accept_one(srv);
                if (srv->st.accepted == before)
                    break;
            }
        if (!stopping)
            rotate(srv, now);
    }
    free(pf);
    return rc;
}

void rlab_server_free(struct rlab_server *srv)
{
    if (srv == NULL)
        return;
    end_all(srv, "the server stopped");
    free(srv->c);
    if (srv->lfd >= 0)
        close(srv->lfd);
    rlab_tkey_put(srv->tkey);
    rlab_keycache_free(srv->keys);
    rlab_buf_clear(&srv->id_spki);
    rlab_wipe(srv->line, sizeof srv->line);
    free(srv);
}
