/*
 * rsalab serve: the rsalab/1 server (core/server.h) on a TCP port.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "apps/commands.h"
#include "apps/netopts.h"
#include "apps/opts.h"
#include "core/server.h"

static const char cmd[] = "serve";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab serve --key FILE --authorized DIR_OR_FILE [--host H] [--port P]\n"
            "                    [--backend B] [--inbox DIR] [--max-clients N]\n"
            "                    [--rotate SECONDS] [--handshake-timeout SECONDS]\n"
            "                    [--no-digest]\n"
            "\n"
            "Serve rsalab/1: clients authenticate with pinned keys, exchange keys with\n"
            "forward secrecy, chat and send files.  A chat line from one client goes to\n"
            "every other client and is printed here; lines typed here go to every\n"
            "client; files go to the inbox.  One log line per connection on stderr.\n"
            "\n"
            "  --key FILE          the server's identity (private key, >= 2048 bits)\n"
            "  --authorized P      a client public key file, or a folder of them; a\n"
            "                      client is named after its file (alice.pub.pem: alice)\n"
            "  --host H            address to listen on (default 127.0.0.1)\n"
            "  --port P            TCP port (default %d; 0 picks a free one)\n"
            "  --backend B         RSA backend (default %s)\n"
            "  --inbox DIR         where received files go (default ./inbox, made if\n"
            "                      missing)\n"
            "  --max-clients N     connections at once (default 64); more are refused\n"
            "                      with an alert\n"
            "  --rotate SECONDS    new transient key every SECONDS (default 3600)\n"
            "  --handshake-timeout SECONDS   (default 10)\n"
            "  --no-digest         do not log each received file's SHA-256 (saves about\n"
            "                      0.6 s of CPU per GB; the stream is authenticated\n"
            "                      either way)\n"
            "\n"
            "Stops on Ctrl-C (SIGINT) or SIGTERM.  Exit status: 0 stopped, 2 usage\n"
            "or input error.\n",
            RLAB_APP_DEFAULT_PORT, RLAB_APP_DEFAULT_BACKEND);
}

enum { OPT_KEY = 1, OPT_AUTH, OPT_HOST, OPT_PORT, OPT_BACKEND, OPT_INBOX, OPT_MAX, OPT_ROTATE,
       OPT_HST, OPT_NODIGEST };

static const struct rlab_opt options[] = {
    {"key", 1, OPT_KEY},         {"authorized", 1, OPT_AUTH}, {"host", 1, OPT_HOST},
    {"port", 1, OPT_PORT},       {"backend", 1, OPT_BACKEND}, {"inbox", 1, OPT_INBOX},
    {"max-clients", 1, OPT_MAX}, {"rotate", 1, OPT_ROTATE},   {"handshake-timeout", 1, OPT_HST},
    {"no-digest", 0, OPT_NODIGEST}, {NULL, 0, 0},
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    fprintf(stderr, "%s %s\n", ts, line);
}

static void chat_line(void *ctx, const char *from, const uint8_t *text, size_t len)
{
    (void)ctx;
    printf("<%s> %.*s\n", from, (int)len, (const char *)text);
    fflush(stdout);
}

struct args {
    const char *key, *auth, *host, *backend, *inbox;
    unsigned port;
    unsigned long max_clients, rotate, hs_timeout;
    int no_digest;
};

static int parse(int argc, char **argv, struct args *a)
{
    struct rlab_optparse p;
    rlab_opt_init(&p, cmd, argc, argv, options);
    int id, st = RLAB_EXIT_OK;
    while (st == RLAB_EXIT_OK && (id = rlab_opt_next_named(&p)) != RLAB_OPT_END) {
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return -1;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_KEY: a->key = p.arg; break;
        case OPT_AUTH: a->auth = p.arg; break;
        case OPT_HOST: a->host = p.arg; break;
        case OPT_BACKEND: a->backend = p.arg; break;
        case OPT_INBOX: a->inbox = p.arg; break;
        case OPT_PORT: st = rlab_app_port(cmd, p.arg, &a->port); break;
        case OPT_MAX: st = rlab_opt_ulong(cmd, "max-clients", p.arg, 1, 100000, &a->max_clients); break;
        case OPT_ROTATE: st = rlab_opt_ulong(cmd, "rotate", p.arg, 1, 31536000, &a->rotate); break;
        case OPT_NODIGEST: a->no_digest = 1; break;
        case OPT_HST: st = rlab_opt_ulong(cmd, "handshake-timeout", p.arg, 1, 3600, &a->hs_timeout); break;
        }
    }
    if (st == RLAB_EXIT_OK && (a->key == NULL || a->auth == NULL))
        return rlab_app_usage_error(cmd, "--key and --authorized are required");
    return st;
}

int rlab_cmd_serve(int argc, char **argv)
{
    struct args a = {.host = "127.0.0.1", .inbox = "inbox", .port = RLAB_APP_DEFAULT_PORT,
                     .max_clients = 64, .rotate = 3600, .hs_timeout = 10};
    int st = parse(argc, argv, &a);
    if (st != RLAB_EXIT_OK)
        return st < 0 ? RLAB_EXIT_OK : st;
    const struct rlab_backend *be;
    if ((st = rlab_app_backend(cmd, a.backend, &be)) != RLAB_EXIT_OK)
        return st;
    rlab_key *id = NULL;
    if ((st = rlab_app_load_identity(cmd, be, a.key, &id)) != RLAB_EXIT_OK)
        return st;
    struct rlab_authset auth = {0};
    rlab_error_clear();
    int rc = rlab_authset_load(&auth, be, a.auth);
    if (rc != RLAB_OK) {
        st = rlab_app_fail(cmd, auth.last_error[0] ? auth.last_error : a.auth, rc);
        goto out;
    }
    struct stat sb;
    if (stat(a.inbox, &sb) != 0 && mkdir(a.inbox, 0700) != 0) {
        st = rlab_app_usage_error(cmd, "--inbox %s: %s", a.inbox, strerror(errno));
        goto out;
    }
    if (stat(a.inbox, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        st = rlab_app_usage_error(cmd, "--inbox %s: not a folder", a.inbox);
        goto out;
    }
    struct rlab_server_config sc = {
        .be = be, .identity = id, .auth = &auth, .host = a.host, .port = a.port,
        .inbox = a.inbox, .max_clients = (unsigned)a.max_clients, .rotate_s = (unsigned)a.rotate,
        .hs_timeout_ms = (unsigned)a.hs_timeout * 1000u, .console_fd = STDIN_FILENO,
        .no_digest = a.no_digest,
        .log = log_line, .chat = chat_line,
    };
    struct rlab_server *srv = NULL;
    rlab_error_clear();
    if ((rc = rlab_server_new(&sc, &srv)) != RLAB_OK) {
        st = rlab_app_fail(cmd, "cannot start", rc);
        goto out;
    }
    const struct rlab_backend *sym = rlab_sess_sym_provider(be);
    struct rlab_buf spki = RLAB_BUF_INIT;
    char fp[48] = "?";
    if (rlab_spki_of(be, id, &spki) == RLAB_OK)
        rlab_hs_fingerprint(sym, spki.data, spki.len, fp);
    rlab_buf_clear(&spki);
    fprintf(stderr, "rsalab serve: listening on %s port %u; backend %s%s%s%s; identity %s "
            "(%u bits); %zu authorized key(s); inbox %s\n", a.host, rlab_server_port(srv),
            be->name, sym != be ? " (+" : "", sym != be ? sym->name : "",
            sym != be ? " aead)" : "", fp, id->bits, auth.n, a.inbox);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    rc = rlab_server_run(srv, &stop_flag);
    struct rlab_server_stats s;
    rlab_server_stats(srv, &s);
    rlab_server_free(srv);
    fprintf(stderr, "rsalab serve: stopped; %llu connection(s): %llu ok, %llu failed, %llu "
            "refused busy; %llu file(s) received\n", (unsigned long long)s.accepted,
            (unsigned long long)s.ok, (unsigned long long)s.failed,
            (unsigned long long)s.refused_busy, (unsigned long long)s.files);
    fprintf(stderr, "rsalab serve: peak resident set %lu KiB\n", rlab_app_peak_rss_kib());
    st = rc == RLAB_OK ? RLAB_EXIT_OK : rlab_app_fail(cmd, "server loop", rc);
out:
    rlab_authset_clear(&auth);
    rlab_key_free(id);
    return st;
}
