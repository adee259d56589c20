/* see harness.h */
#include "tests/proto/harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/ops.h"
#include "core/fileio.h"
#include "core/frame.h"
#include "core/tkey.h"
#include "tests/keydir.h"

/* ---- keys ------------------------------------------------------------------ */

static int pub_pem(const rlab_key *k, const char *path)
{
    struct rlab_buf pem = RLAB_BUF_INIT;
    int rc = rlab_key_export(k->be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_PEM, &pem);
    if (rc == RLAB_OK)
        rc = rlab_file_write(path, pem.data, pem.len, 0644, 1);
    rlab_buf_clear(&pem);
    return rc;
}

/* k's SPKI re-read by backend be, as be writes it. */
static int spki_as(const struct rlab_backend *be, const rlab_key *k, struct rlab_buf *out)
{
    struct rlab_buf der = RLAB_BUF_INIT;
    rlab_key *c = NULL;
    int rc = rlab_key_export(k->be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &der);
    if (rc == RLAB_OK)
        rc = rlab_key_import(be, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, der.data, der.len, &c);
    if (rc == RLAB_OK)
        rc = rlab_spki_of(be, c, out);
    rlab_key_free(c);
    rlab_buf_clear(&der);
    return rc;
}

/* What a handshake asks of its backend: core/handshake.c says. */
static const char *unfit_one(const struct rlab_backend *be)
{
    return be == NULL ? NULL : rlab_hs_unfit(be);
}

/* see harness.h */
const char *ph_unfit(const char *a, const char *b)
{
    rlab_registry_init();
    const char *why = unfit_one(rlab_backend_find(a));
    return why != NULL ? why : unfit_one(rlab_backend_find(b));
}

/* Slots in the key folder (tests/keydir.h) for the protocol tests' keys,
 * apart from the suites' slots 0..3. */
enum { SLOT_SERVER_ID = 10, SLOT_ALICE, SLOT_MALLORY, SLOT_SERVER_TK, SLOT_CLIENT_TK };

int ph_keys_make(struct ph_keys *k, const char *server_be, const char *client_be)
{
    memset(k, 0, sizeof *k);
    rlab_registry_init();
    k->sbe = rlab_backend_find(server_be);
    k->cbe = rlab_backend_find(client_be);
    if (k->sbe == NULL || k->cbe == NULL)
        return -1;
    rlab_key *stk = NULL, *ctk = NULL;
    int rc = tk_dir_key(k->sbe, 2048, SLOT_SERVER_ID, &k->server_id);
    if (rc == RLAB_OK)
        rc = tk_dir_key(k->cbe, 2048, SLOT_ALICE, &k->alice);
    if (rc == RLAB_OK)
        rc = tk_dir_key(k->cbe, 2048, SLOT_MALLORY, &k->mallory);
    if (rc == RLAB_OK)
        rc = spki_as(k->cbe, k->server_id, &k->pin);
    if (rc == RLAB_OK)
        rc = spki_as(k->cbe, k->mallory, &k->wrong_pin);
    if (rc == RLAB_OK)
        rc = tk_dir_key(k->sbe, RLAB_TKEY_BITS, SLOT_SERVER_TK, &stk);
    if (rc == RLAB_OK)
        rc = rlab_tkey_adopt(stk, &k->server_tk);
    if (rc == RLAB_OK)
        rc = tk_dir_key(k->cbe, RLAB_TKEY_BITS, SLOT_CLIENT_TK, &ctk);
    if (rc == RLAB_OK)
        rc = rlab_tkey_adopt(ctk, &k->client_tk);
    return rc == RLAB_OK ? 0 : -1;
}

void ph_keys_clear(struct ph_keys *k)
{
    rlab_key_free(k->server_id);
    rlab_key_free(k->alice);
    rlab_key_free(k->mallory);
    rlab_buf_clear(&k->pin);
    rlab_buf_clear(&k->wrong_pin);
    rlab_tkey_put(k->server_tk);
    rlab_tkey_put(k->client_tk);
    k->server_tk = k->client_tk = NULL;
}

/* ---- the server ------------------------------------------------------------- */

static int ph_send_all_fd(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void log_append(struct ph_server *s, const char *p, size_t l)
{
    pthread_mutex_lock(&s->lock);
    char *n = realloc(s->log, s->log_len + l + 1);
    if (n != NULL) {
        s->log = n;
        memcpy(s->log + s->log_len, p, l);
        s->log_len += l;
        s->log[s->log_len] = '\0';
    }
    pthread_mutex_unlock(&s->lock);
}

static void log_line(void *ctx, const char *line)
{
    struct ph_server *s = ctx;
    if (s->log_wr >= 0) { /* the forked server: to the parent */
        size_t l = strlen(line);
        char *b = malloc(l + 1);
        if (b != NULL) {
            memcpy(b, line, l);
            b[l] = '\n';
            (void)ph_send_all_fd(s->log_wr, b, l + 1);
            free(b);
        }
        return;
    }
    pthread_mutex_lock(&s->lock);
    size_t l = strlen(line);
    char *n = realloc(s->log, s->log_len + l + 2);
    if (n != NULL) {
        s->log = n;
        memcpy(s->log + s->log_len, line, l);
        s->log_len += l;
        s->log[s->log_len++] = '\n';
        s->log[s->log_len] = '\0';
    }
    pthread_mutex_unlock(&s->lock);
    if (getenv("RSALAB_TEST_VERBOSE") != NULL)
        fprintf(stderr, "  server: %s\n", line);
}

static void *serve(void *arg)
{
    struct ph_server *s = arg;
    rlab_server_run(s->srv, &s->stop);
    return NULL;
}

/* The forked server's log, copied into s->log until the child exits. */
static void *log_reader(void *arg)
{
    struct ph_server *s = arg;
    char buf[4096];
    for (;;) {
        ssize_t n = read(s->log_rd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        log_append(s, buf, (size_t)n);
        if (getenv("RSALAB_TEST_VERBOSE") != NULL)
            fprintf(stderr, "  server: %.*s", (int)n, buf);
    }
    return NULL;
}

static volatile sig_atomic_t *child_stop;

static void on_term(int sig)
{
    (void)sig;
    if (child_stop != NULL)
        *child_stop = 1;
}

/* In the child: serve until SIGTERM, stop gracefully, exit. */
static void child_main(struct ph_server *s)
{
    child_stop = &s->stop;
    struct sigaction sa = {0};
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    int rc = rlab_server_run(s->srv, &s->stop);
    rlab_server_free(s->srv);
    s->srv = NULL;
    close(s->log_wr);
    /* exit, not _exit: the sanitizer build's leak check runs on the server
     * process too. */
    exit(rc == RLAB_OK ? 0 : 3);
}

static int start_forked(struct ph_server *s)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(p[0]);
        s->log_wr = p[1];
        child_main(s);
    }
    close(p[1]);
    s->pid = pid;
    s->log_rd = p[0];
    /* The parent's copy of the server is not used: only the child serves. */
    rlab_server_free(s->srv);
    s->srv = NULL;
    return pthread_create(&s->log_thread, NULL, log_reader, s) == 0 ? 0 : -1;
}

int ph_server_start(struct ph_server *s, struct ph_keys *k, const struct ph_server_opts *o)
{
    memset(s, 0, sizeof *s);
    s->log_rd = s->log_wr = -1;
    pthread_mutex_init(&s->lock, NULL);
    snprintf(s->dir, sizeof s->dir, "/tmp/rsalab-test.XXXXXX");
    if (mkdtemp(s->dir) == NULL)
        return -1;
    snprintf(s->inbox, sizeof s->inbox, "%s/inbox", s->dir);
    snprintf(s->auth, sizeof s->auth, "%s/authorized", s->dir);
    char alice[192];
    snprintf(alice, sizeof alice, "%s/alice.pub.pem", s->auth);
    if (mkdir(s->inbox, 0700) != 0 || mkdir(s->auth, 0700) != 0 || pub_pem(k->alice, alice) != 0)
        return -1;
    if (rlab_authset_load(&s->authset, k->sbe, s->auth) != RLAB_OK)
        return -1;
    struct rlab_server_config sc = {
        .be = k->sbe, .identity = k->server_id, .auth = &s->authset, .port = 0,
        .inbox = s->inbox, .console_fd = -1, .ctx = s, .log = log_line,
        .hs_timeout_ms = o ? o->hs_timeout_ms : 0, .stall_timeout_ms = o ? o->stall_timeout_ms : 0,
        .max_clients = o ? o->max_clients : 0,
        .transient = o && o->transient ? o->transient : k->server_tk,
        .tamper = o ? o->tamper : NULL, .stop_grace_ms = o ? o->stop_grace_ms : 0,
    };
    if (rlab_server_new(&sc, &s->srv) != RLAB_OK)
        return -1;
    s->port = rlab_server_port(s->srv);
    if (o != NULL && o->fork)
        return start_forked(s);
    return pthread_create(&s->thread, NULL, serve, s) == 0 ? 0 : -1;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(p);
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

void ph_server_halt(struct ph_server *s)
{
    if (s->srv != NULL && !s->halted) {
        s->stop = 1;
        pthread_join(s->thread, NULL);
        s->halted = 1;
    }
}

void ph_server_stop(struct ph_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        int st = 0;
        while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
            ;
        s->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        pthread_join(s->log_thread, NULL);
        close(s->log_rd);
        s->pid = 0;
    }
    ph_server_halt(s);
    if (s->srv != NULL) {
        rlab_server_free(s->srv);
        s->srv = NULL;
    }
    rlab_authset_clear(&s->authset);
    remove_tree(s->dir);
    free(s->log);
    s->log = NULL;
    pthread_mutex_destroy(&s->lock);
}

unsigned ph_port(const struct ph_server *s)
{
    return s->port;
}

pid_t ph_server_pid(const struct ph_server *s)
{
    return s->pid > 0 ? s->pid : getpid();
}

int ph_proc_fds(pid_t pid)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(p);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.')
            n++;
    closedir(d);
    return pid == getpid() ? n - 1 : n; /* not the one opendir holds */
}

int ph_proc_mem(pid_t pid, unsigned long *rss_kib, unsigned long *hwm_kib)
{
    char p[64], line[256];
    snprintf(p, sizeof p, "/proc/%d/status", (int)pid);
    FILE *f = fopen(p, "r");
    if (f == NULL)
        return -1;
    int got = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        got += sscanf(line, "VmRSS: %lu kB", rss_kib) == 1;
        got += sscanf(line, "VmHWM: %lu kB", hwm_kib) == 1;
    }
    fclose(f);
    return got == 2 ? 0 : -1;
}

unsigned ph_log_count(struct ph_server *s, const char *needle)
{
    unsigned n = 0;
    pthread_mutex_lock(&s->lock);
    for (const char *p = s->log; p != NULL && (p = strstr(p, needle)) != NULL; p++)
        n++;
    pthread_mutex_unlock(&s->lock);
    return n;
}

int ph_log_wait(struct ph_server *s, const char *needle, unsigned timeout_ms)
{
    for (unsigned waited = 0;; waited += 10) {
        pthread_mutex_lock(&s->lock);
        int found = s->log != NULL && strstr(s->log, needle) != NULL;
        pthread_mutex_unlock(&s->lock);
        if (found)
            return 1;
        if (waited >= timeout_ms)
            return 0;
        usleep(10000);
    }
}

void ph_log_reset(struct ph_server *s)
{
    pthread_mutex_lock(&s->lock);
    s->log_len = 0;
    if (s->log != NULL)
        s->log[0] = '\0';
    pthread_mutex_unlock(&s->lock);
}

int ph_inbox_count(const struct ph_server *s)
{
    DIR *d = opendir(s->inbox);
    int n = 0;
    if (d == NULL)
        return -1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

void ph_inbox_clear(const struct ph_server *s)
{
    DIR *d = opendir(s->inbox);
    if (d == NULL)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", s->inbox, de->d_name);
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            unlink(p);
    }
    closedir(d);
}

int ph_make_file(const struct ph_server *s, const char *name, size_t size, uint32_t seed,
                 char *path, size_t path_len)
{
    snprintf(path, path_len, "%s/%s", s->dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < size; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        fputc((int)(x & 0xff), f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* ---- clients ------------------------------------------------------------------ */

int ph_connect(struct ph_keys *k, unsigned port, rlab_key *id, const struct rlab_buf *pin,
               void (*tamper)(void *, int, uint8_t *, size_t), struct rlab_client **out)
{
    struct rlab_client_config cc = {
        .be = k->cbe, .identity = id, .pin = pin->data, .pin_len = pin->len, .port = port,
        .tamper = tamper, .transient = k->client_tk,
    };
    return rlab_client_connect(&cc, out);
}

static int sha256_path(const struct rlab_backend *be, const char *path, uint8_t d[32])
{
    struct rlab_buf b = RLAB_BUF_INIT;
    int rc = rlab_file_read(path, (size_t)1 << 30, &b);
    if (rc == RLAB_OK)
        rc = rlab_backend_hash(rlab_sess_sym_provider(be), RLAB_HASH_SHA256, b.data, b.len, d);
    rlab_buf_clear(&b);
    return rc;
}

int ph_normal_session(struct ph_server *s, struct ph_keys *k, unsigned port, size_t size,
                      char *why, size_t why_len)
{
    struct rlab_client *cl = NULL;
    char path[256], got[256];
    uint8_t sent[32], recv[32];
    uint64_t n = 0;
    static unsigned serial;
    char name[32];
    snprintf(name, sizeof name, "normal-%u.bin", serial++);
    int rc = ph_make_file(s, name, size, serial, path, sizeof path) == 0 ? RLAB_OK : RLAB_ERR_IO;
    if (rc == RLAB_OK)
        rc = ph_connect(k, port, k->alice, &k->pin, NULL, &cl);
    if (rc == RLAB_OK)
        rc = rlab_client_send_line(cl, (const uint8_t *)"hello", 5);
    if (rc == RLAB_OK)
        rc = rlab_client_send_file(cl, path, NULL, NULL, sent, &n);
    if (rc == RLAB_OK)
        rc = rlab_client_close(cl, 10000);
    char line[400];
    snprintf(line, sizeof line, "file %s/%s from alice: %zu bytes", s->inbox, name, size);
    if (rc == RLAB_OK && !ph_log_wait(s, line, 10000))
        rc = rlab_error_set(RLAB_ERR_NOT_FOUND, "the server did not log the file");
    snprintf(got, sizeof got, "%s/%s", s->inbox, name);
    if (rc == RLAB_OK)
        rc = sha256_path(k->sbe, got, recv);
    if (rc == RLAB_OK && memcmp(sent, recv, 32) != 0)
        rc = rlab_error_set(RLAB_ERR_VERIFY, "the inbox copy differs");
    if (rc != RLAB_OK)
        snprintf(why, why_len, "normal session: %s (%s)", rlab_strerror(rc), rlab_error_detail());
    rlab_client_free(cl);
    unlink(got);
    unlink(path);
    return rc == RLAB_OK ? 0 : -1;
}

/* ---- raw sockets ---------------------------------------------------------------- */

int ph_raw_connect(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int ph_send_all(int fd, const void *p, size_t len)
{
    const uint8_t *b = p;
    while (len > 0) {
        ssize_t n = send(fd, b, len, MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return -1;
        }
        b += n;
        len -= (size_t)n;
    }
    return 0;
}

int ph_read_alert(int fd, unsigned timeout_ms)
{
    struct rlab_frame_reader *r = malloc(sizeof *r);
    if (r == NULL)
        return -1;
    rlab_frame_reader_init(r);
    int result = -1;
    for (unsigned waited = 0; waited < timeout_ms && result == -1;) {
        struct pollfd pf = {fd, POLLIN, 0};
        int n = poll(&pf, 1, 50);
        waited += 50;
        if (n <= 0)
            continue;
        uint8_t buf[4096];
        ssize_t got = recv(fd, buf, sizeof buf, 0);
        if (got <= 0) {
            result = 0;
            break;
        }
        size_t at = 0;
        while (at < (size_t)got && result == -1) {
            uint8_t type;
            const uint8_t *body;
            size_t blen, used;
            int rc = rlab_frame_reader_feed(r, buf + at, (size_t)got - at, &used, &type, &body,
                                            &blen);
            at += used;
            if (rc < 0)
                break;
            if (rc == 1 && type == RLAB_FRAME_ALERT && blen == 2)
                result = body[0] << 8 | body[1];
        }
    }
    free(r);
    return result;
}

/* ---- the proxy -------------------------------------------------------------------- */

struct frame {
    uint8_t *p;
    size_t len;
};

struct ph_proxy {
    int lfd, cfd, sfd;
    unsigned port, target;
    struct ph_rule rule;
    int record;
    pthread_t thread;
    uint8_t *rec[2];
    size_t rec_len[2], rec_cap[2];
};

static void rec_add(struct ph_proxy *p, int dir, const uint8_t *b, size_t n)
{
    if (!p->record || n == 0)
        return;
    if (p->rec_len[dir] + n > p->rec_cap[dir]) {
        size_t c = p->rec_cap[dir] ? p->rec_cap[dir] : 65536;
        while (c < p->rec_len[dir] + n)
            c *= 2;
        uint8_t *np = realloc(p->rec[dir], c);
        if (np == NULL)
            return;
        p->rec[dir] = np;
        p->rec_cap[dir] = c;
    }
    memcpy(p->rec[dir] + p->rec_len[dir], b, n);
    p->rec_len[dir] += n;
}

static int fwd(struct ph_proxy *p, const uint8_t *b, size_t n)
{
    rec_add(p, 0, b, n);
    return ph_send_all(p->sfd, b, n);
}

struct tamper_state {
    unsigned seen;            /* frames of the rule's type so far */
    int holding, cut, in_msg, msg_match;
    struct frame held[64];    /* a held frame or message */
    size_t n_held;
    struct frame copy;        /* for INJECT_AFTER_CLOSE */
    unsigned msgs;            /* messages seen */
};

static struct frame dup_frame(const uint8_t *p, size_t len)
{
    struct frame f = {malloc(len), len};
    if (f.p != NULL)
        memcpy(f.p, p, len);
    return f;
}

static void flush_held(struct ph_proxy *p, struct tamper_state *t)
{
    for (size_t i = 0; i < t->n_held; i++) {
        fwd(p, t->held[i].p, t->held[i].len);
        free(t->held[i].p);
    }
    t->n_held = 0;
}

/* One whole frame (header included) from the client. */
static void on_client_frame(struct ph_proxy *p, struct tamper_state *t, uint8_t *f, size_t len)
{
    uint8_t type = f[0];
    const struct ph_rule *r = &p->rule;
    int final_chunk = type == RLAB_FRAME_CHUNK && len - RLAB_FRAME_HDR < RLAB_FRAME_MAX;
    if (t->cut)
        return;
    if (r->action == PH_INJECT_AFTER_MSG) {
        uint8_t want = r->inject_type ? r->inject_type : RLAB_FRAME_CHUNK;
        if (type == want && t->copy.p == NULL)
            t->copy = dup_frame(f, len);
        if (type == RLAB_FRAME_MSG_START)
            t->msgs++;
        if (!(final_chunk && t->msgs == r->index + 1) || t->copy.p == NULL) {
            fwd(p, f, len);
            return;
        }
        /* The message's last frame and the extra one in a single write, so
         * that they reach the server together. */
        uint8_t *both = malloc(len + t->copy.len);
        if (both != NULL) {
            memcpy(both, f, len);
            memcpy(both + len, t->copy.p, t->copy.len);
            fwd(p, both, len + t->copy.len);
            free(both);
        }
        free(t->copy.p);
        t->copy.p = NULL;
        return;
    }
    int msg_rule = r->action == PH_DROP_MSG || r->action == PH_DUP_MSG || r->action == PH_SWAP_MSG;
    if (msg_rule) {
        if (type == RLAB_FRAME_MSG_START) {
            t->in_msg = 1;
            t->msg_match = t->msgs == r->index ||
                           (r->action == PH_SWAP_MSG && t->msgs == r->index + 1);
            t->msgs++;
        }
        if (!t->in_msg || !t->msg_match) {
            fwd(p, f, len);
            return;
        }
        if (r->action == PH_DROP_MSG) {
            if (final_chunk)
                t->in_msg = 0;
            return;
        }
        if (t->n_held < 64)
            t->held[t->n_held++] = dup_frame(f, len);
        if (!final_chunk)
            return;
        t->in_msg = 0;
        if (r->action == PH_DUP_MSG) {
            for (size_t i = 0; i < t->n_held; i++)
                fwd(p, t->held[i].p, t->held[i].len);
            flush_held(p, t);
        } else if (t->msgs == r->index + 2) { /* both messages held: send 2nd first */
            size_t first = 0;
            for (size_t i = 1; i < t->n_held; i++)
                if (t->held[i].p[0] == RLAB_FRAME_MSG_START)
                    first = i;
            for (size_t i = first; i < t->n_held; i++) {
                fwd(p, t->held[i].p, t->held[i].len);
                free(t->held[i].p);
            }
            t->n_held = first;
            flush_held(p, t);
        }
        return;
    }
    if (t->holding) { /* SWAP: this is the frame after the held one */
        fwd(p, f, len);
        flush_held(p, t);
        t->holding = 0;
        return;
    }
    if ((type != r->type && r->type != PH_ANY) || r->action == PH_NONE) {
        fwd(p, f, len);
        return;
    }
    if (t->seen++ != r->index) {
        fwd(p, f, len);
        return;
    }
    switch (r->action) {
    case PH_FLIP:
        f[r->flip_at ? r->flip_at % len : len - 1] ^= (uint8_t)(1u << (r->flip_at % 8));
        fwd(p, f, len);
        break;
    case PH_DELAY:
        usleep(r->delay_ms * 1000u);
        fwd(p, f, len);
        break;
    case PH_DROP: break;
    case PH_DUP:
        fwd(p, f, len);
        fwd(p, f, len);
        break;
    case PH_SWAP:
        t->held[t->n_held++] = dup_frame(f, len);
        t->holding = 1;
        break;
    case PH_CUT:
        t->cut = 1;
        shutdown(p->sfd, SHUT_WR);
        break;
    case PH_INJECT_AFTER_CLOSE:
        t->copy = dup_frame(f, len);
        fwd(p, f, len);
        break;
    default: fwd(p, f, len);
    }
}

static void *proxy_main(void *arg)
{
    struct ph_proxy *p = arg;
    p->cfd = accept(p->lfd, NULL, NULL);
    p->sfd = p->cfd >= 0 ? ph_raw_connect(p->target) : -1;
    struct tamper_state t = {0};
    uint8_t *acc = malloc(RLAB_FRAME_HDR + RLAB_FRAME_MAX);
    size_t have = 0;
    int c_open = 1, s_open = 1;
    while (p->cfd >= 0 && p->sfd >= 0 && acc != NULL && (c_open || s_open)) {
        struct pollfd pf[2] = {{c_open ? p->cfd : -1, POLLIN, 0}, {s_open ? p->sfd : -1, POLLIN, 0}};
        if (poll(pf, 2, 30000) <= 0)
            break;
        uint8_t buf[65536];
        if (pf[1].revents) {
            ssize_t n = recv(p->sfd, buf, sizeof buf, 0);
            if (n <= 0) {
                s_open = 0;
                shutdown(p->cfd, SHUT_WR);
            } else {
                rec_add(p, 1, buf, (size_t)n);
                ph_send_all(p->cfd, buf, (size_t)n);
            }
        }
        if (pf[0].revents) {
            ssize_t n = recv(p->cfd, buf, sizeof buf, 0);
            if (n <= 0) {
                c_open = 0;
                flush_held(p, &t);
                if (t.copy.p != NULL) {
                    fwd(p, t.copy.p, t.copy.len);
                    free(t.copy.p);
                    t.copy.p = NULL;
                }
                shutdown(p->sfd, SHUT_WR);
                continue;
            }
            /* Split into frames (headers are trusted: this is our own client). */
            for (ssize_t i = 0; i < n;) {
                size_t need = RLAB_FRAME_HDR;
                if (have >= RLAB_FRAME_HDR)
                    need += (size_t)acc[1] << 16 | (size_t)acc[2] << 8 | acc[3];
                size_t take = need - have;
                if (take > (size_t)(n - i))
                    take = (size_t)(n - i);
                memcpy(acc + have, buf + i, take);
                have += take;
                i += (ssize_t)take;
                if (have >= RLAB_FRAME_HDR) {
                    size_t full = RLAB_FRAME_HDR +
                                  ((size_t)acc[1] << 16 | (size_t)acc[2] << 8 | acc[3]);
                    if (have == full) {
                        on_client_frame(p, &t, acc, have);
                        have = 0;
                    }
                }
            }
        }
    }
    free(acc);
    free(t.copy.p);
    for (size_t i = 0; i < t.n_held; i++)
        free(t.held[i].p);
    if (p->cfd >= 0)
        close(p->cfd);
    if (p->sfd >= 0)
        close(p->sfd);
    return NULL;
}

int ph_proxy_start(struct ph_proxy **out, unsigned target_port, const struct ph_rule *rule,
                   int record)
{
    struct ph_proxy *p = calloc(1, sizeof *p);
    if (p == NULL)
        return -1;
    p->target = target_port;
    if (rule != NULL)
        p->rule = *rule;
    p->record = record;
    p->cfd = p->sfd = -1;
    p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (p->lfd < 0 || bind(p->lfd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(p->lfd, 4) != 0 || getsockname(p->lfd, (struct sockaddr *)&a, &al) != 0) {
        free(p);
        return -1;
    }
    p->port = ntohs(a.sin_port);
    if (pthread_create(&p->thread, NULL, proxy_main, p) != 0) {
        close(p->lfd);
        free(p);
        return -1;
    }
    *out = p;
    return 0;
}

unsigned ph_proxy_port(const struct ph_proxy *p)
{
    return p->port;
}

void ph_proxy_stop(struct ph_proxy *p)
{
    pthread_join(p->thread, NULL);
    close(p->lfd);
}

void ph_proxy_recording(const struct ph_proxy *p, const uint8_t **c2s, size_t *c2s_len,
                        const uint8_t **s2c, size_t *s2c_len)
{
    *c2s = p->rec[0];
    *c2s_len = p->rec_len[0];
    *s2c = p->rec[1];
    *s2c_len = p->rec_len[1];
}

void ph_proxy_free(struct ph_proxy *p)
{
    if (p == NULL)
        return;
    free(p->rec[0]);
    free(p->rec[1]);
    free(p);
}
