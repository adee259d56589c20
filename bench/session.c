/*
 * The rsalab/1 figures of the bench: handshakes per second and transfers
 * through real sessions over 127.0.0.1 (core/server.h, core/client.h).
 *
 * Handshakes: a server thread and a client in this process; each handshake
 * is a complete session (connect, handshake, close messages), timed from
 * connect to the end of the handshake for the latency and over whole
 * trials for the rate.  The client's transient key is made once per pair,
 * as a client process makes one at start; the server's at its start.
 *
 * Transfers: the server and the client each in a process of their own, so
 * that each side's peak resident set (VmHWM) is its own; the payload is a
 * sparse file read through the page cache and the inbox is in /dev/shm when
 * there is one, so that the figure is the protocol's, not the disk's; the
 * server does not compute the files' SHA-256 for its log (no_digest).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/ops.h"
#include "bench/bench_int.h"
#include "core/client.h"
#include "core/fileio.h"
#include "core/keycache.h"
#include "core/server.h"

struct pair {
    const struct rlab_backend *sbe, *cbe;
    rlab_key *server_id, *client_id;
    struct rlab_buf pin;
    struct rlab_authset auth;
    char dir[64];
};

/* k's SPKI as backend be writes it. */
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

static void pair_clear(struct pair *p)
{
    rlab_key_free(p->server_id);
    rlab_key_free(p->client_id);
    rlab_buf_clear(&p->pin);
    rlab_authset_clear(&p->auth);
    if (p->dir[0] != '\0')
        rmdir(p->dir);
    memset(p, 0, sizeof *p);
}

static int pair_init(struct pair *p, const struct rlab_backend *sbe,
                     const struct rlab_backend *cbe, unsigned id_bits)
{
    memset(p, 0, sizeof *p);
    p->sbe = sbe;
    p->cbe = cbe;
    int rc = rlab_keygen(sbe, id_bits, 65537, NULL, &p->server_id);
    if (rc == RLAB_OK)
        rc = rlab_keygen(cbe, id_bits, 65537, NULL, &p->client_id);
    if (rc == RLAB_OK)
        rc = spki_as(cbe, p->server_id, &p->pin);
    struct rlab_buf client_spki = RLAB_BUF_INIT;
    if (rc == RLAB_OK)
        rc = spki_as(sbe, p->client_id, &client_spki);
    if (rc == RLAB_OK) {
        p->auth.v = calloc(1, sizeof *p->auth.v);
        if (p->auth.v == NULL)
            rc = RLAB_ERR_NOMEM;
    }
    if (rc == RLAB_OK) {
        p->auth.v[0].spki = client_spki.data;
        p->auth.v[0].spki_len = client_spki.len;
        snprintf(p->auth.v[0].name, sizeof p->auth.v[0].name, "bench");
        p->auth.n = 1;
        client_spki.data = NULL;
    }
    rlab_buf_clear(&client_spki);
    const char *base = rlab_bench_scratch_dir();
    snprintf(p->dir, sizeof p->dir, "%s/rsalab-bench.XXXXXX", base);
    if (rc == RLAB_OK && mkdtemp(p->dir) == NULL) {
        p->dir[0] = '\0';
        rc = RLAB_ERR_IO;
    }
    return rc;
}

static int server_new(struct pair *p, struct rlab_server **out)
{
    struct rlab_server_config sc = {
        .be = p->sbe, .identity = p->server_id, .auth = &p->auth, .port = 0,
        .inbox = p->dir, .console_fd = -1, .max_clients = 8,
    };
    return rlab_server_new(&sc, out);
}

struct server_thread {
    struct rlab_server *srv;
    volatile sig_atomic_t stop;
};

static void *serve(void *arg)
{
    struct server_thread *t = arg;
    rlab_server_run(t->srv, &t->stop);
    return NULL;
}

static double now_s(void)
{
    return (double)rlab_bench_now_ns() / 1e9;
}

/* ---- handshakes --------------------------------------------------------------- */

int rlab_bench_handshakes(const struct rlab_backend *sbe, const struct rlab_backend *cbe,
                          const struct rlab_bench_config *c, struct rlab_bench_hs_row *row,
                          char *why, size_t why_len)
{
    struct pair p;
    struct server_thread st = {0};
    pthread_t th;
    int started = 0;
    struct rlab_tkey *tk = NULL;
    struct rlab_keycache *keys = NULL;
    struct rlab_buf own = RLAB_BUF_INIT;
    double *lat = NULL;
    size_t n_lat = 0, cap_lat = 0;
    double rates[64];
    unsigned trials = c->trials < 64 ? c->trials : 64;
    int rc = pair_init(&p, sbe, cbe, c->hs_id_bits);
    if (rc == RLAB_OK)
        rc = rlab_tkey_new(cbe, c->hs_tr_bits, &tk);
    /* The client keeps the server keys it validated, as a long-lived client
     * process does (a server does the same for its clients' keys). */
    if (rc == RLAB_OK)
        rc = rlab_keycache_new(0, &keys);
    if (rc == RLAB_OK)
        rc = rlab_spki_of(cbe, p.client_id, &own);
    if (rc == RLAB_OK)
        rc = server_new(&p, &st.srv);
    if (rc == RLAB_OK && pthread_create(&th, NULL, serve, &st) != 0)
        rc = RLAB_ERR_NOMEM;
    started = rc == RLAB_OK;
    struct rlab_client_config cc = {
        .be = cbe, .identity = p.client_id, .pin = p.pin.data, .pin_len = p.pin.len,
        .port = started ? rlab_server_port(st.srv) : 0, .transient = tk, .keys = keys,
        .identity_spki = own.data, .identity_spki_len = own.len,
    };
    /* warm-up: one session */
    for (unsigned t = 0; rc == RLAB_OK && t <= trials; t++) {
        double t0 = now_s();
        unsigned done = 0;
        do {
            struct rlab_client *cl = NULL;
            double h0 = now_s();
            rc = rlab_client_connect(&cc, &cl);
            double h1 = now_s();
            if (rc == RLAB_OK)
                rc = rlab_client_close(cl, 5000);
            rlab_client_free(cl);
            if (rc != RLAB_OK)
                break;
            done++;
            if (t > 0) {
                if (n_lat == cap_lat) {
                    cap_lat = cap_lat ? 2 * cap_lat : 256;
                    double *nl = realloc(lat, cap_lat * sizeof *nl);
                    if (nl == NULL) {
                        rc = RLAB_ERR_NOMEM;
                        break;
                    }
                    lat = nl;
                }
                lat[n_lat++] = (h1 - h0) * 1000.0;
            }
        } while (t > 0 && now_s() - t0 < c->trial_seconds);
        if (t > 0 && rc == RLAB_OK)
            rates[t - 1] = done / (now_s() - t0);
    }
    if (rc != RLAB_OK)
        snprintf(why, why_len, "%s -> %s: %s", cbe->name, sbe->name,
                 rlab_error_detail()[0] ? rlab_error_detail() : rlab_strerror(rc));
    if (started) {
        st.stop = 1;
        pthread_join(th, NULL);
    }
    rlab_server_free(st.srv);
    rlab_tkey_put(tk);
    rlab_keycache_free(keys);
    rlab_buf_clear(&own);
    pair_clear(&p);
    if (rc == RLAB_OK) {
        rlab_bench_summarise(rates, trials, &row->rate.stat);
        row->rate.status = RLAB_BENCH_DONE;
        rlab_bench_hs_latency(lat, n_lat, row);
    }
    free(lat);
    return rc;
}

/* ---- transfers -------------------------------------------------------------------- */

static long peak_rss(void)
{
    return rlab_bench_peak_rss_kib();
}

struct tput_msg {
    int rc;
    double seconds;
    long rss_kib;
    char why[200];
};

static volatile sig_atomic_t server_stop;

static void on_term(int sig)
{
    (void)sig;
    server_stop = 1;
}

/* ---- the two sides, each a fresh process ------------------------------------------ */

/*
 * Each side is this program again (fork, then exec of /proc/self/exe with
 * `bench --transfer-side`), not a bare fork: a child forked from the bench
 * would inherit the state of every library the bench has used, and some do
 * not survive fork() -- Botan 2's RSA hands half of each private operation
 * to its thread pool, whose threads a forked child does not have, and waits
 * for it forever.  The keys travel as DER files in the pair's folder.
 */

static int file_put(const char *dir, const char *name, const struct rlab_buf *b)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return rlab_file_write(path, b->data, b->len, 0600, 1);
}

static int file_get(const char *dir, const char *name, struct rlab_buf *b)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return rlab_file_read(path, 1 << 16, b);
}

static void side_files_remove(const char *dir)
{
    static const char *const names[] = {"server.p8", "client.p8", "pin.spki", "auth.spki"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[160];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
}

static int side_files_write(const struct pair *p)
{
    struct rlab_buf sk = RLAB_BUF_INIT, ck = RLAB_BUF_INIT, auth = RLAB_BUF_INIT;
    int rc = rlab_key_export(p->sbe, p->server_id, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, &sk);
    if (rc == RLAB_OK)
        rc = rlab_key_export(p->cbe, p->client_id, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, &ck);
    if (rc == RLAB_OK)
        rc = file_put(p->dir, "server.p8", &sk);
    if (rc == RLAB_OK)
        rc = file_put(p->dir, "client.p8", &ck);
    if (rc == RLAB_OK)
        rc = file_put(p->dir, "pin.spki", &p->pin);
    auth.data = p->auth.v[0].spki;
    auth.len = p->auth.v[0].spki_len;
    if (rc == RLAB_OK)
        rc = file_put(p->dir, "auth.spki", &auth);
    rlab_buf_clear(&sk);
    rlab_buf_clear(&ck);
    return rc;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* fork + exec of this program as one side; the child's pid, or -1. */
static pid_t side_spawn(const char *role, const struct pair *p, const struct rlab_backend *be,
                        int fd_a, int fd_b, const char *extra)
{
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", fd_a);
    snprintf(b, sizeof b, "%d", fd_b);
    char *argv[] = {"rsalab", "bench", "--transfer-side", (char *)role, (char *)p->dir,
                    (char *)be->name, a, b, (char *)extra, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        /* every pipe is close-on-exec but the two this side keeps */
        if (fd_a >= 0)
            fcntl(fd_a, F_SETFD, 0);
        fcntl(fd_b, F_SETFD, 0);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    return pid;
}

/* The server side: argv = DIR BACKEND READY_FD REPORT_FD. */
static int side_server(const char *dir, const struct rlab_backend *be, int ready, int report)
{
    struct tput_msg m = {0};
    rlab_key *id = NULL;
    struct rlab_buf der = RLAB_BUF_INIT, auth_der = RLAB_BUF_INIT;
    struct rlab_authset auth = {0};
    rlab_bench_reset_peak_rss();
    signal(SIGTERM, on_term);
    char inbox[96];
    snprintf(inbox, sizeof inbox, "%s/in", dir);
    mkdir(inbox, 0700);
    m.rc = file_get(dir, "server.p8", &der);
    if (m.rc == RLAB_OK)
        m.rc = rlab_key_import(be, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, der.data, der.len, &id);
    if (m.rc == RLAB_OK)
        m.rc = file_get(dir, "auth.spki", &auth_der);
    if (m.rc == RLAB_OK && (auth.v = calloc(1, sizeof *auth.v)) == NULL)
        m.rc = RLAB_ERR_NOMEM;
    if (m.rc == RLAB_OK) {
        auth.v[0].spki = auth_der.data;
        auth.v[0].spki_len = auth_der.len;
        snprintf(auth.v[0].name, sizeof auth.v[0].name, "bench");
        auth.n = 1;
        auth_der.data = NULL;
    }
    struct rlab_server_config sc = {
        .be = be, .identity = id, .auth = &auth, .port = 0, .inbox = inbox, .console_fd = -1,
        /* the figure is the protocol's: the log line's SHA-256 would cost
         * more CPU per byte than the decryption (BENCHMARKS.md) */
        .no_digest = 1,
    };
    struct rlab_server *srv = NULL;
    if (m.rc == RLAB_OK)
        m.rc = rlab_server_new(&sc, &srv);
    unsigned port = m.rc == RLAB_OK ? rlab_server_port(srv) : 0;
    ssize_t w = write(ready, &port, sizeof port);
    (void)w;
    if (m.rc == RLAB_OK)
        m.rc = rlab_server_run(srv, &server_stop);
    if (m.rc != RLAB_OK)
        snprintf(m.why, sizeof m.why, "%s", rlab_error_detail());
    rlab_server_free(srv);
    char got[160];
    snprintf(got, sizeof got, "%s/payload.bin", inbox);
    unlink(got);
    rmdir(inbox);
    rlab_key_free(id);
    rlab_buf_clear(&der);
    rlab_buf_clear(&auth_der);
    rlab_authset_clear(&auth);
    m.rss_kib = peak_rss();
    w = write(report, &m, sizeof m);
    (void)w;
    return m.rc == RLAB_OK ? 0 : 1;
}

/* The client side: argv = DIR BACKEND PORT REPORT_FD. */
static int side_client(const char *dir, const struct rlab_backend *be, unsigned port, int report)
{
    struct tput_msg m = {0};
    rlab_key *id = NULL;
    struct rlab_buf der = RLAB_BUF_INIT, pin = RLAB_BUF_INIT;
    rlab_bench_reset_peak_rss();
    m.rc = file_get(dir, "client.p8", &der);
    if (m.rc == RLAB_OK)
        m.rc = rlab_key_import(be, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, der.data, der.len, &id);
    if (m.rc == RLAB_OK)
        m.rc = file_get(dir, "pin.spki", &pin);
    char src[128];
    snprintf(src, sizeof src, "%s/payload.bin", dir);
    struct rlab_client_config cc = {
        .be = be, .identity = id, .pin = pin.data, .pin_len = pin.len, .port = port,
    };
    struct rlab_client *cl = NULL;
    if (m.rc == RLAB_OK)
        m.rc = rlab_client_connect(&cc, &cl);
    double t0 = now_s();
    if (m.rc == RLAB_OK)
        m.rc = rlab_client_send_file(cl, src, NULL, NULL, NULL, NULL);
    /* The server answers the close after it has taken the whole file. */
    if (m.rc == RLAB_OK)
        m.rc = rlab_client_close(cl, 600000);
    m.seconds = now_s() - t0;
    if (m.rc != RLAB_OK)
        snprintf(m.why, sizeof m.why, "%s", rlab_error_detail());
    rlab_client_free(cl);
    rlab_key_free(id);
    rlab_buf_clear(&der);
    rlab_buf_clear(&pin);
    m.rss_kib = peak_rss();
    ssize_t w = write(report, &m, sizeof m);
    (void)w;
    return m.rc == RLAB_OK ? 0 : 1;
}

int rlab_bench_transfer_side(int argc, char **argv)
{
    /* argv: --transfer-side ROLE DIR BACKEND FD_A FD_B [PORT] */
    if (argc < 6)
        return 2;
    const struct rlab_backend *be = rlab_backend_find(argv[3]);
    int fd_a = atoi(argv[4]), fd_b = atoi(argv[5]);
    if (be == NULL)
        return 2;
    if (strcmp(argv[1], "server") == 0)
        return side_server(argv[2], be, fd_a, fd_b);
    if (strcmp(argv[1], "client") == 0 && argc >= 7)
        return side_client(argv[2], be, (unsigned)atoi(argv[6]), fd_b);
    return 2;
}

int rlab_bench_transfer(const struct rlab_backend *sbe, const struct rlab_backend *cbe,
                        const struct rlab_bench_config *c, uint64_t payload,
                        struct rlab_bench_tput_row *row, char *why, size_t why_len)
{
    struct pair p;
    int rc = pair_init(&p, sbe, cbe, c->hs_id_bits);
    char src[128];
    snprintf(src, sizeof src, "%s/payload.bin", p.dir);
    int fd = rc == RLAB_OK ? open(src, O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
    if (fd < 0 || ftruncate(fd, (off_t)payload) != 0)
        rc = rc == RLAB_OK ? RLAB_ERR_IO : rc;
    if (fd >= 0)
        close(fd);
    if (rc == RLAB_OK)
        rc = side_files_write(&p);
    int sp[2] = {-1, -1}, cp[2] = {-1, -1}, ready[2] = {-1, -1};
    if (rc == RLAB_OK &&
        (pipe2(sp, O_CLOEXEC) != 0 || pipe2(cp, O_CLOEXEC) != 0 || pipe2(ready, O_CLOEXEC) != 0))
        rc = RLAB_ERR_IO;
    fflush(NULL);
    pid_t server = -1, client = -1;
    if (rc == RLAB_OK && (server = side_spawn("server", &p, sbe, ready[1], sp[1], NULL)) < 0)
        rc = RLAB_ERR_IO;
    /* Only the children write into the pipes: with the parent's ends
     * closed, a child that dies shows as the end of its pipe at once. */
    close_fd(&ready[1]);
    close_fd(&sp[1]);
    unsigned port = 0;
    if (rc == RLAB_OK && (read(ready[0], &port, sizeof port) != (ssize_t)sizeof port || port == 0))
        rc = RLAB_ERR_IO;
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%u", port);
    if (rc == RLAB_OK && (client = side_spawn("client", &p, cbe, -1, cp[1], port_s)) < 0)
        rc = RLAB_ERR_IO;
    close_fd(&cp[1]);
    struct tput_msg cm = {.rc = RLAB_ERR_IO}, sm = {.rc = RLAB_ERR_IO};
    if (client > 0) {
        if (read(cp[0], &cm, sizeof cm) != (ssize_t)sizeof cm)
            cm.rc = RLAB_ERR_IO;
        waitpid(client, NULL, 0);
    }
    if (server > 0) {
        kill(server, SIGTERM);
        if (read(sp[0], &sm, sizeof sm) != (ssize_t)sizeof sm)
            sm.rc = RLAB_ERR_IO;
        waitpid(server, NULL, 0);
    }
    for (int i = 0; i < 2; i++) {
        if (sp[i] >= 0) close(sp[i]);
        if (cp[i] >= 0) close(cp[i]);
        if (ready[i] >= 0) close(ready[i]);
    }
    unlink(src);
    side_files_remove(p.dir);
    if (rc == RLAB_OK)
        rc = cm.rc;
    if (rc != RLAB_OK)
        snprintf(why, why_len, "%s -> %s: %s", cbe->name, sbe->name,
                 cm.why[0] ? cm.why : rlab_strerror(rc));
    pair_clear(&p);
    if (rc != RLAB_OK)
        return rc;
    double mbs = cm.seconds > 0 ? (double)payload / cm.seconds / 1e6 : NAN;
    row->rate.status = RLAB_BENCH_DONE;
    row->rate.stat.median = row->rate.stat.p10 = row->rate.stat.p90 = row->rate.stat.max = mbs;
    row->rate.stat.n = 1;
    row->rss_client_kib = cm.rss_kib;
    row->rss_server_kib = sm.rc == RLAB_OK ? sm.rss_kib : -1;
    return RLAB_OK;
}
