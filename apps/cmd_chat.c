/*
 * rsalab chat and rsalab send: rsalab/1 clients (core/client.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apps/commands.h"
#include "apps/netopts.h"
#include "apps/opts.h"
#include "core/client.h"

static void chat_usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab chat --key FILE --server-key FILE [--host H] [--port P]\n"
            "                   [--backend B] [--linger SECONDS]\n"
            "\n"
            "Chat with everyone connected to an rsalab/1 server.  Typed lines are sent;\n"
            "received lines are printed as <sender> text.  Commands:\n"
            "  /send PATH   stream a file to the server's inbox (progress bar)\n"
            "  /quit        close the session cleanly (so does end of input)\n"
            "When standard input is not a terminal, lines are read from it, so the\n"
            "chat can be scripted.\n"
            "\n"
            "  --key FILE         your identity (private key, >= 2048 bits), which the\n"
            "                     server must list in its --authorized keys\n"
            "  --server-key FILE  the server's public key: any other key is refused\n"
            "  --host H           server address (default 127.0.0.1)\n"
            "  --port P           server port (default %d)\n"
            "  --backend B        RSA backend (default %s)\n"
            "  --linger SECONDS   after the end of input, keep printing received lines\n"
            "                     this long before closing (default 0)\n"
            "\n"
            "Exit status: 0 closed cleanly, 1 the session failed (the server refused\n"
            "us, a wrong server key, a broken connection), 2 usage or input error.\n",
            RLAB_APP_DEFAULT_PORT, RLAB_APP_DEFAULT_BACKEND);
}

static void send_usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab send --key FILE --server-key FILE [--host H] [--port P]\n"
            "                   [--backend B] FILE...\n"
            "\n"
            "Send files to an rsalab/1 server's inbox, each as one message streamed in\n"
            "bounded memory.  A progress bar on a terminal; for each file its SHA-256,\n"
            "size and rate.  Options as for 'rsalab chat'.\n"
            "\n"
            "Exit status: 0 every file sent and the session closed cleanly, 1 the\n"
            "session failed, 2 usage or input error.\n");
}

enum { OPT_KEY = 1, OPT_SKEY, OPT_HOST, OPT_PORT, OPT_BACKEND, OPT_LINGER };

static const struct rlab_opt options[] = {
    {"key", 1, OPT_KEY},   {"server-key", 1, OPT_SKEY},   {"host", 1, OPT_HOST},
    {"port", 1, OPT_PORT}, {"backend", 1, OPT_BACKEND}, {"linger", 1, OPT_LINGER},
    {NULL, 0, 0},
};

struct args {
    const char *cmd, *key, *skey, *host, *backend;
    unsigned port;
    unsigned long linger;
    char **files;
    size_t n_files;
};

static int parse(int argc, char **argv, struct args *a, int takes_files, void (*usage)(FILE *))
{
    struct rlab_optparse p;
    rlab_opt_init(&p, a->cmd, argc, argv, options);
    int id, st = RLAB_EXIT_OK;
    a->files = calloc((size_t)argc + 1, sizeof *a->files);
    if (a->files == NULL)
        return rlab_app_error(a->cmd, NULL, RLAB_ERR_NOMEM);
    while (st == RLAB_EXIT_OK && (id = rlab_opt_next(&p)) != RLAB_OPT_END) {
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return -1;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case RLAB_OPT_POSITIONAL:
            if (!takes_files)
                return rlab_app_usage_error(a->cmd, "unexpected argument '%s'", p.arg);
            a->files[a->n_files++] = (char *)p.arg;
            break;
        case OPT_KEY: a->key = p.arg; break;
        case OPT_SKEY: a->skey = p.arg; break;
        case OPT_HOST: a->host = p.arg; break;
        case OPT_BACKEND: a->backend = p.arg; break;
        case OPT_PORT: st = rlab_app_port(a->cmd, p.arg, &a->port); break;
        case OPT_LINGER:
            if (takes_files)
                return rlab_app_usage_error(a->cmd, "--linger is for chat");
            st = rlab_opt_ulong(a->cmd, "linger", p.arg, 0, 86400, &a->linger);
            break;
        }
    }
    if (st == RLAB_EXIT_OK && (a->key == NULL || a->skey == NULL))
        return rlab_app_usage_error(a->cmd, "--key and --server-key are required");
    if (st == RLAB_EXIT_OK && takes_files && a->n_files == 0)
        return rlab_app_usage_error(a->cmd, "no file to send");
    return st;
}

static void on_chat(void *ctx, const char *from, const uint8_t *text, size_t len)
{
    (void)ctx;
    printf("<%s> %.*s\n", from, (int)len, (const char *)text);
    fflush(stdout);
}

/* Connect: exit status, and the client in *out. */
static int connect_client(const struct args *a, const struct rlab_backend **be_out,
                          rlab_key **id, struct rlab_buf *pin, struct rlab_client **out)
{
    const struct rlab_backend *be;
    int st = rlab_app_backend(a->cmd, a->backend, &be);
    if (st == RLAB_EXIT_OK)
        st = rlab_app_load_identity(a->cmd, be, a->key, id);
    if (st == RLAB_EXIT_OK)
        st = rlab_app_load_pin(a->cmd, be, a->skey, pin);
    if (st != RLAB_EXIT_OK)
        return st;
    *be_out = be;
    struct rlab_client_config cc = {
        .be = be, .identity = *id, .pin = pin->data, .pin_len = pin->len,
        .host = a->host, .port = a->port, .chat = on_chat,
    };
    rlab_error_clear();
    int rc = rlab_client_connect(&cc, out);
    if (rc != RLAB_OK) {
        const char *d = rlab_error_detail();
        fprintf(stderr, "rsalab %s: cannot open a session with %s port %u: %s\n", a->cmd,
                a->host, a->port, d[0] ? d : rlab_strerror(rc));
        rlab_error_clear();
        return RLAB_EXIT_NO;
    }
    const struct rlab_backend *sym = rlab_sess_sym_provider(be);
    fprintf(stderr, "rsalab %s: connected to %s port %u; server key %s (%u bits); backend "
            "%s%s%s%s\n", a->cmd, a->host, a->port,
            rlab_sess_peer_fingerprint(rlab_client_session(*out)),
            rlab_sess_peer_bits(rlab_client_session(*out)), be->name,
            sym != be ? " (+" : "", sym != be ? sym->name : "", sym != be ? " aead)" : "");
    return RLAB_EXIT_OK;
}

/* The session failed: say why; exit status 1. */
static int session_failed(const char *cmd, struct rlab_client *cl)
{
    struct rlab_sess *s = rlab_client_session(cl);
    fprintf(stderr, "rsalab %s: session ended: %s\n", cmd, rlab_sess_detail(s)[0]
                                                               ? rlab_sess_detail(s)
                                                               : rlab_error_detail());
    return RLAB_EXIT_NO;
}

struct progress {
    const char *label;
    double start;
    int tty;
};

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;
    static double last;
    double now = rlab_app_now();
    if (p->tty && (now - last > 0.1 || done == total)) {
        rlab_app_progress(stderr, p->label, done, total, now - p->start);
        last = now;
    }
}

static int send_one(const char *cmd, struct rlab_client *cl, const char *path)
{
    struct progress pr = {path, rlab_app_now(), isatty(STDERR_FILENO)};
    uint8_t d[32];
    uint64_t sent = 0;
    rlab_error_clear();
    int rc = rlab_client_send_file(cl, path, on_progress, &pr, d, &sent);
    double secs = rlab_app_now() - pr.start;
    if (pr.tty)
        fputc('\n', stderr);
    if (rc != RLAB_OK) {
        if (rlab_sess_done(rlab_client_session(cl)))
            return session_failed(cmd, cl);
        return rlab_app_fail(cmd, path, rc);
    }
    char hex[65], sz[32];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    rlab_app_size(sz, sizeof sz, sent);
    printf("%s  sha256 %s  %llu bytes (%s)  %.1f MB/s\n", path, hex, (unsigned long long)sent,
           sz, secs > 0 ? (double)sent / secs / 1e6 : 0.0);
    fflush(stdout);
    return RLAB_EXIT_OK;
}

static int finish(const char *cmd, struct rlab_client *cl, int st)
{
    if (rlab_sess_done(rlab_client_session(cl)))
        return st == RLAB_EXIT_OK ? session_failed(cmd, cl) : st;
    rlab_error_clear();
    int rc = rlab_client_close(cl, 5000);
    if (rc != RLAB_OK && st == RLAB_EXIT_OK) {
        fprintf(stderr, "rsalab %s: close: %s\n", cmd,
                rlab_error_detail()[0] ? rlab_error_detail() : rlab_strerror(rc));
        st = RLAB_EXIT_NO;
    }
    return st;
}

int rlab_cmd_send(int argc, char **argv)
{
    struct args a = {.cmd = "send", .host = "127.0.0.1", .port = RLAB_APP_DEFAULT_PORT};
    int st = parse(argc, argv, &a, 1, send_usage);
    const struct rlab_backend *be = NULL;
    rlab_key *id = NULL;
    struct rlab_buf pin = RLAB_BUF_INIT;
    struct rlab_client *cl = NULL;
    if (st == RLAB_EXIT_OK)
        st = connect_client(&a, &be, &id, &pin, &cl);
    for (size_t i = 0; st == RLAB_EXIT_OK && i < a.n_files; i++)
        st = send_one(a.cmd, cl, a.files[i]);
    int connected = cl != NULL;
    if (connected)
        st = finish(a.cmd, cl, st);
    rlab_client_free(cl);
    rlab_buf_clear(&pin);
    rlab_key_free(id);
    free(a.files);
    if (connected)
        fprintf(stderr, "rsalab send: peak resident set %lu KiB\n", rlab_app_peak_rss_kib());
    return st < 0 ? RLAB_EXIT_OK : st;
}

/* One typed line: a command or a chat line.  Returns 1 to quit. */
static int typed(const char *cmd, struct rlab_client *cl, char *line, size_t len, int *st)
{
    while (len > 0 && (line[len - 1] == '\r'))
        line[--len] = '\0';
    if (strcmp(line, "/quit") == 0)
        return 1;
    if (strncmp(line, "/send ", 6) == 0) {
        int r = send_one(cmd, cl, line + 6);
        if (rlab_sess_done(rlab_client_session(cl))) {
            *st = r;
            return 1;
        }
        return 0;
    }
    if (len == 0)
        return 0;
    rlab_error_clear();
    int rc = rlab_client_send_line(cl, (const uint8_t *)line, len);
    if (rc != RLAB_OK) {
        if (rlab_sess_done(rlab_client_session(cl))) {
            *st = session_failed(cmd, cl);
            return 1;
        }
        rlab_app_error(cmd, "line not sent", rc);
    }
    return 0;
}

int rlab_cmd_chat(int argc, char **argv)
{
    struct args a = {.cmd = "chat", .host = "127.0.0.1", .port = RLAB_APP_DEFAULT_PORT};
    int st = parse(argc, argv, &a, 0, chat_usage);
    const struct rlab_backend *be = NULL;
    rlab_key *id = NULL;
    struct rlab_buf pin = RLAB_BUF_INIT;
    struct rlab_client *cl = NULL;
    if (st == RLAB_EXIT_OK)
        st = connect_client(&a, &be, &id, &pin, &cl);
    if (st == RLAB_EXIT_OK && isatty(STDIN_FILENO))
        fprintf(stderr, "type a line to send it; /send PATH sends a file; /quit leaves\n");
    char *line = malloc(RLAB_SESS_CHAT_MAX + 1);
    size_t len = 0;
    int quit = line == NULL;
    signal(SIGPIPE, SIG_IGN);
    while (st == RLAB_EXIT_OK && !quit) {
        int w = rlab_client_wait(cl, STDIN_FILENO, -1);
        if (w < 0) {
            st = session_failed(a.cmd, cl);
            break;
        }
        if (w == 0)
            continue;
        char buf[4096];
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) { /* end of input: a line without newline still goes */
            if (len > 0) {
                line[len] = '\0';
                quit = typed(a.cmd, cl, line, len, &st);
            }
            double until = rlab_app_now() + (double)a.linger;
            while (st == RLAB_EXIT_OK && rlab_app_now() < until)
                if (rlab_client_wait(cl, -1, 100) < 0)
                    st = session_failed(a.cmd, cl);
            break;
        }
        for (ssize_t i = 0; i < n && !quit; i++) {
            if (buf[i] != '\n') {
                if (len < RLAB_SESS_CHAT_MAX)
                    line[len++] = buf[i];
                continue;
            }
            line[len] = '\0';
            quit = typed(a.cmd, cl, line, len, &st);
            len = 0;
        }
    }
    free(line);
    if (cl != NULL)
        st = finish(a.cmd, cl, st);
    rlab_client_free(cl);
    rlab_buf_clear(&pin);
    rlab_key_free(id);
    free(a.files);
    return st < 0 ? RLAB_EXIT_OK : st;
}
