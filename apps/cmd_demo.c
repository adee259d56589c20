/*
 * rsalab demo: the whole product in one command.  Keys in a temporary
 * folder, a server and two clients on 127.0.0.1, chat lines both ways, a
 * file of --size bytes streamed to the server's inbox and checked, every
 * phase timed.
 */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apps/commands.h"
#include "apps/netopts.h"
#include "apps/opts.h"
#include "backends/ops.h"
#include "core/client.h"
#include "core/fileio.h"
#include "core/server.h"

static const char cmd[] = "demo";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab demo [--backend B] [--server-backend B] [--size BYTES]\n"
            "                   [--bits N]\n"
            "\n"
            "Make keys in a temporary folder, start an rsalab/1 server and two clients\n"
            "(alice and bob) on 127.0.0.1, exchange chat lines, stream a file of BYTES\n"
            "(default 67108864, 64 MiB) from alice to the server's inbox, check its\n"
            "SHA-256, and print the time of each phase.  Everything is removed after.\n"
            "\n"
            "  --backend B         the clients' RSA backend (default %s)\n"
            "  --server-backend B  the server's (default: the clients')\n"
            "  --size BYTES        file size (default 67108864)\n"
            "  --bits N            identity key size (default 2048)\n"
            "\n"
            "Exit status: 0 everything checked, 1 something failed, 2 usage error.\n",
            RLAB_APP_DEFAULT_BACKEND);
}

enum { OPT_BACKEND = 1, OPT_SBACKEND, OPT_SIZE, OPT_BITS };

static const struct rlab_opt options[] = {
    {"backend", 1, OPT_BACKEND}, {"server-backend", 1, OPT_SBACKEND},
    {"size", 1, OPT_SIZE},       {"bits", 1, OPT_BITS}, {NULL, 0, 0},
};

struct line_box {
    char from[64], text[256];
    int n;
};

static void on_chat(void *ctx, const char *from, const uint8_t *text, size_t len)
{
    struct line_box *b = ctx;
    snprintf(b->from, sizeof b->from, "%s", from);
    snprintf(b->text, sizeof b->text, "%.*s", (int)len, (const char *)text);
    b->n++;
}

/* The server's log lines, kept until the phases are printed. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char *log_text;
static size_t log_len;

static void server_log(void *ctx, const char *line)
{
    (void)ctx;
    pthread_mutex_lock(&log_lock);
    size_t l = strlen(line);
    char *n = realloc(log_text, log_len + l + 12);
    if (n != NULL) {
        log_text = n;
        log_len += (size_t)sprintf(log_text + log_len, "  server: %s\n", line);
    }
    pthread_mutex_unlock(&log_lock);
}

struct server_thread {
    struct rlab_server *srv;
    volatile sig_atomic_t stop;
    int rc;
};

static void *serve(void *arg)
{
    struct server_thread *t = arg;
    t->rc = rlab_server_run(t->srv, &t->stop);
    return NULL;
}

static double phase_start;

static void phase(const char *what)
{
    printf("%-44s", what);
    fflush(stdout);
    phase_start = rlab_app_now();
}

static double phase_end(const char *extra)
{
    double s = rlab_app_now() - phase_start;
    printf("%9.3f s%s%s\n", s, extra[0] ? "  " : "", extra);
    return s;
}

/* Write a key's public half to dir/name.pub.pem. */
static int write_pub(const rlab_key *k, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.pub.pem", dir, name);
    struct rlab_buf pem = RLAB_BUF_INIT;
    int rc = rlab_key_export(k->be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_PEM, &pem);
    if (rc == RLAB_OK)
        rc = rlab_file_write(path, pem.data, pem.len, 0644, 0);
    rlab_buf_clear(&pem);
    return rc;
}

/* A file of `size` bytes of a simple pseudo-random pattern. */
static int make_file(const char *path, uint64_t size)
{
    struct rlab_filew w;
    int rc = rlab_filew_open(&w, path, 0600, 0);
    uint8_t buf[65536];
    uint64_t x = 0x9e3779b97f4a7c15ull;
    while (rc == RLAB_OK && size > 0) {
        for (size_t i = 0; i < sizeof buf; i += 8) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            memcpy(buf + i, &x, 8);
        }
        size_t n = size < sizeof buf ? (size_t)size : sizeof buf;
        rc = rlab_filew_write(&w, buf, n);
        size -= n;
    }
    if (rc == RLAB_OK)
        return rlab_filew_commit(&w);
    rlab_filew_abort(&w);
    return rc;
}

static int sha256_file(const struct rlab_backend *be, const char *path, uint8_t d[32])
{
    const struct rlab_backend *sym = rlab_sess_sym_provider(be);
    int rc;
    FILE *f = rlab_file_open_input(path, &rc);
    if (f == NULL)
        return rc;
    rlab_hash_ctx *h = NULL;
    rc = rlab_hash_new(sym, RLAB_HASH_SHA256, &h);
    uint8_t buf[65536];
    size_t n;
    while (rc == RLAB_OK && (n = fread(buf, 1, sizeof buf, f)) > 0)
        rc = rlab_hash_update(sym, h, buf, n);
    fclose(f);
    if (rc == RLAB_OK)
        return rlab_hash_final(sym, h, d);
    rlab_hash_free(sym, h);
    return rc;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char p[4096];
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

struct demo {
    const struct rlab_backend *cbe, *sbe;
    unsigned bits;
    uint64_t size;
    char dir[64], auth[128], inbox[128];
    rlab_key *server_id, *alice_id, *bob_id;
    struct rlab_buf pin;
    struct server_thread st;
    pthread_t thread;
    int started;
    struct rlab_client *alice, *bob;
    struct line_box alice_box, bob_box;
};

static int fail(const char *what, int rc)
{
    const char *d = rlab_error_detail();
    printf("FAILED\n");
    fprintf(stderr, "rsalab demo: %s: %s\n", what, d[0] ? d : rlab_strerror(rc));
    return RLAB_EXIT_NO;
}

static int make_keys(struct demo *d)
{
    char extra[96];
    phase("keys: server, alice, bob");
    int rc = rlab_keygen(d->sbe, d->bits, 65537, NULL, &d->server_id);
    if (rc == RLAB_OK)
        rc = rlab_keygen(d->cbe, d->bits, 65537, NULL, &d->alice_id);
    if (rc == RLAB_OK)
        rc = rlab_keygen(d->cbe, d->bits, 65537, NULL, &d->bob_id);
    if (rc == RLAB_OK && mkdir(d->auth, 0700) != 0)
        rc = RLAB_ERR_IO;
    if (rc == RLAB_OK && mkdir(d->inbox, 0700) != 0)
        rc = RLAB_ERR_IO;
    if (rc == RLAB_OK)
        rc = write_pub(d->alice_id, d->auth, "alice");
    if (rc == RLAB_OK)
        rc = write_pub(d->bob_id, d->auth, "bob");
    if (rc != RLAB_OK)
        return fail("keys", rc);
    snprintf(extra, sizeof extra, "3 x RSA-%u identity keys", d->bits);
    phase_end(extra);
    return RLAB_EXIT_OK;
}

/* The server's public key as the clients' backend reads it. */
static int server_pin(struct demo *d)
{
    struct rlab_buf der = RLAB_BUF_INIT;
    rlab_key *k = NULL;
    int rc = rlab_key_export(d->sbe, d->server_id, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &der);
    if (rc == RLAB_OK)
        rc = rlab_key_import(d->cbe, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, der.data, der.len, &k);
    if (rc == RLAB_OK)
        rc = rlab_spki_of(d->cbe, k, &d->pin);
    rlab_key_free(k);
    rlab_buf_clear(&der);
    return rc;
}

static struct rlab_authset auth;

static int start_server(struct demo *d)
{
    phase("server: transient key, listen");
    int rc = rlab_authset_load(&auth, d->sbe, d->auth);
    struct rlab_server_config sc = {
        .be = d->sbe, .identity = d->server_id, .auth = &auth, .port = 0,
        .inbox = d->inbox, .console_fd = -1, .log = server_log,
    };
    if (rc == RLAB_OK)
        rc = rlab_server_new(&sc, &d->st.srv);
    if (rc == RLAB_OK && pthread_create(&d->thread, NULL, serve, &d->st) != 0)
        rc = RLAB_ERR_NOMEM;
    if (rc != RLAB_OK)
        return fail("server", rc);
    d->started = 1;
    char extra[64];
    snprintf(extra, sizeof extra, "127.0.0.1 port %u", rlab_server_port(d->st.srv));
    phase_end(extra);
    return RLAB_EXIT_OK;
}

static int connect_one(struct demo *d, const char *name, rlab_key *id, struct line_box *box,
                       struct rlab_client **out)
{
    char what[64];
    snprintf(what, sizeof what, "%s: transient key + handshake", name);
    phase(what);
    struct rlab_client_config cc = {
        .be = d->cbe, .identity = id, .pin = d->pin.data, .pin_len = d->pin.len,
        .port = rlab_server_port(d->st.srv), .ctx = box, .chat = on_chat,
    };
    int rc = rlab_client_connect(&cc, out);
    if (rc != RLAB_OK)
        return fail(name, rc);
    char extra[96];
    snprintf(extra, sizeof extra, "server %s",
             rlab_sess_peer_fingerprint(rlab_client_session(*out)));
    phase_end(extra);
    return RLAB_EXIT_OK;
}

/* from sends text; to must receive it, relayed by the server. */
static int chat_line(struct rlab_client *from, struct rlab_client *to, struct line_box *box,
                     const char *label, const char *text)
{
    phase(label);
    int before = box->n;
    int rc = rlab_client_send_line(from, (const uint8_t *)text, strlen(text));
    double until = rlab_app_now() + 10;
    while (rc == RLAB_OK && box->n == before && rlab_app_now() < until) {
        int w = rlab_client_wait(to, -1, 50);
        if (w < 0)
            rc = -w;
        (void)rlab_client_wait(from, -1, 0);
    }
    if (rc == RLAB_OK && (box->n == before || strcmp(box->text, text) != 0))
        rc = rlab_error_set(RLAB_ERR_VERIFY, "the line did not arrive");
    if (rc != RLAB_OK)
        return fail(label, rc);
    char extra[400];
    snprintf(extra, sizeof extra, "<%s> %s", box->from, box->text);
    phase_end(extra);
    return RLAB_EXIT_OK;
}

static int transfer(struct demo *d)
{
    char src[128], got[300], sz[32], extra[160];
    snprintf(src, sizeof src, "%s/payload.bin", d->dir);
    rlab_app_size(sz, sizeof sz, d->size);
    phase("file: write the payload to disk");
    int rc = make_file(src, d->size);
    if (rc != RLAB_OK)
        return fail("payload", rc);
    phase_end(sz);

    phase("file: alice -> server inbox");
    uint8_t sent[32], recv[32];
    uint64_t n = 0;
    rc = rlab_client_send_file(d->alice, src, NULL, NULL, sent, &n);
    /* The server commits the file once the final chunk authenticated. */
    snprintf(got, sizeof got, "%s/payload.bin", d->inbox);
    struct stat st;
    for (int i = 0; rc == RLAB_OK && i < 300 && (stat(got, &st) != 0 || (uint64_t)st.st_size != n);
         i++)
        usleep(10000);
    if (rc != RLAB_OK)
        return fail("transfer", rc);
    double s = rlab_app_now() - phase_start;
    snprintf(extra, sizeof extra, "%.1f MB/s", s > 0 ? (double)n / s / 1e6 : 0.0);
    phase_end(extra);

    phase("file: SHA-256 of the inbox copy");
    rc = sha256_file(d->sbe, got, recv);
    if (rc == RLAB_OK && memcmp(sent, recv, 32) != 0)
        rc = rlab_error_set(RLAB_ERR_VERIFY, "the inbox copy differs");
    if (rc != RLAB_OK)
        return fail("check", rc);
    char hex[17];
    for (int i = 0; i < 8; i++)
        snprintf(hex + 2 * i, 3, "%02x", recv[i]);
    snprintf(extra, sizeof extra, "match (%s...)", hex);
    phase_end(extra);
    return RLAB_EXIT_OK;
}

static int run(struct demo *d)
{
    int st = make_keys(d);
    if (st == RLAB_EXIT_OK && server_pin(d) != RLAB_OK)
        st = fail("server key", RLAB_ERR_KEY_FORMAT);
    if (st == RLAB_EXIT_OK)
        st = start_server(d);
    if (st == RLAB_EXIT_OK)
        st = connect_one(d, "alice", d->alice_id, &d->alice_box, &d->alice);
    if (st == RLAB_EXIT_OK)
        st = connect_one(d, "bob", d->bob_id, &d->bob_box, &d->bob);
    if (st == RLAB_EXIT_OK)
        st = chat_line(d->alice, d->bob, &d->bob_box, "chat: alice -> bob",
                       "hello bob, this line is an AEAD stream");
    if (st == RLAB_EXIT_OK)
        st = chat_line(d->bob, d->alice, &d->alice_box, "chat: bob -> alice",
                       "hi alice, keys exchanged with forward secrecy");
    if (st == RLAB_EXIT_OK)
        st = transfer(d);
    if (st == RLAB_EXIT_OK) {
        phase("close: both clients");
        int rc = rlab_client_close(d->alice, 5000);
        if (rc == RLAB_OK)
            rc = rlab_client_close(d->bob, 5000);
        st = rc == RLAB_OK ? RLAB_EXIT_OK : fail("close", rc);
        if (st == RLAB_EXIT_OK)
            phase_end("clean close messages");
    }
    return st;
}

int rlab_cmd_demo(int argc, char **argv)
{
    struct rlab_optparse p;
    rlab_opt_init(&p, cmd, argc, argv, options);
    const char *cb = NULL, *sb = NULL;
    unsigned long size = 64ul << 20, bits = 2048;
    int id, st = RLAB_EXIT_OK;
    while (st == RLAB_EXIT_OK && (id = rlab_opt_next_named(&p)) != RLAB_OPT_END) {
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return RLAB_EXIT_OK;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_BACKEND: cb = p.arg; break;
        case OPT_SBACKEND: sb = p.arg; break;
        case OPT_SIZE: st = rlab_opt_ulong(cmd, "size", p.arg, 0, 1ul << 40, &size); break;
        case OPT_BITS: st = rlab_opt_ulong(cmd, "bits", p.arg, 2048, 8192, &bits); break;
        }
    }
    struct demo d = {.bits = (unsigned)bits, .size = size};
    if (st == RLAB_EXIT_OK)
        st = rlab_app_backend(cmd, cb, &d.cbe);
    if (st == RLAB_EXIT_OK)
        st = rlab_app_backend(cmd, sb != NULL ? sb : d.cbe->name, &d.sbe);
    if (st != RLAB_EXIT_OK)
        return st;
    snprintf(d.dir, sizeof d.dir, "/tmp/rsalab-demo.XXXXXX");
    if (mkdtemp(d.dir) == NULL)
        return rlab_app_usage_error(cmd, "cannot make a temporary folder");
    snprintf(d.auth, sizeof d.auth, "%s/authorized", d.dir);
    snprintf(d.inbox, sizeof d.inbox, "%s/inbox", d.dir);
    const struct rlab_backend *cs = rlab_sess_sym_provider(d.cbe), *ss = rlab_sess_sym_provider(d.sbe);
    printf("rsalab demo: clients on %s%s%s%s, server on %s%s%s%s, in %s\n", d.cbe->name,
           cs != d.cbe ? " (+" : "", cs != d.cbe ? cs->name : "", cs != d.cbe ? " aead)" : "",
           d.sbe->name, ss != d.sbe ? " (+" : "", ss != d.sbe ? ss->name : "",
           ss != d.sbe ? " aead)" : "", d.dir);
    double t0 = rlab_app_now();
    signal(SIGPIPE, SIG_IGN);
    rlab_error_clear();
    st = run(&d);
    rlab_client_free(d.alice);
    rlab_client_free(d.bob);
    if (d.started) {
        d.st.stop = 1;
        pthread_join(d.thread, NULL);
    }
    rlab_server_free(d.st.srv);
    rlab_authset_clear(&auth);
    rlab_key_free(d.server_id);
    rlab_key_free(d.alice_id);
    rlab_key_free(d.bob_id);
    rlab_buf_clear(&d.pin);
    remove_tree(d.dir);
    printf("%-44s%9.3f s  %s\n", "total", rlab_app_now() - t0,
           st == RLAB_EXIT_OK ? "everything checked" : "FAILED");
    if (log_text != NULL) {
        printf("\nserver log:\n%s", log_text);
        free(log_text);
        log_text = NULL;
        log_len = 0;
    }
    return st;
}
