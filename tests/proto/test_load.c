/*
 * rsalab/1 under load: 32 clients connected to one server at once, each in
 * its own thread with its own rlab_client, each sending files to the inbox
 * and chat lines that the server relays to every other client.
 *
 * All clients finish their handshakes before any of them sends (a barrier),
 * so they really are connected at once.  Then each sends its files and its
 * lines, interleaved, while receiving the others' lines, and closes once it
 * has every line it should.  Checked on arrival:
 *   - every line is one that some other client sent (sender and index are in
 *     its text, its SHA-256 in a table made up front), none is missing,
 *     duplicated or corrupted, and none comes back to its sender;
 *   - every inbox file has the SHA-256 of the file sent, under its own name,
 *     and the inbox holds nothing else (no temporaries, no duplicates); the
 *     server's own log line for it gives the same size and SHA-256;
 *   - the server logs one "result=ok" line per client, none other, each with
 *     the client's count of files; no client saw an error.
 * File and line contents are made from a seed (printed; RSALAB_TEST_SEED
 * replays).  Timings are printed for information, never asserted.
 *
 *   test_load BACKEND [--small]
 *
 * --small (the sanitizer build): smaller files and lines, still 32 clients.
 */
#include <dirent.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/ops.h"
#include "tests/keydir.h"
#include "tests/proto/harness.h"

#define CLIENTS 32
#define TKEYS 4 /* distinct client transient keys (make_tkeys) */
#define FILES 4           /* files per client */
#define LINES 8           /* chat lines per client */
#define HEAD_MAX 96       /* the text header of a line */

struct plan {
    size_t file_size;     /* each of a client's FILES files */
    size_t line_min, line_span; /* a line is line_min + [0, line_span) bytes */
};

static const struct plan full = {2u << 20, 24u << 10, 18u << 10};  /* 8 MiB out, ~8 MiB in */
static const struct plan small = {512u << 10, 12u << 10, 28u << 10}; /* lines span chunks */

struct client {
    unsigned id;
    pthread_t thread;
    struct rlab_tkey *tk;
    char path[FILES][256];
    uint8_t file_sha[FILES][32];
    uint8_t got[CLIENTS][LINES];    /* lines received, by sender and index */
    unsigned received, dups, bad;
    int failed;
    char err[512];
    double t_connected, t_sent, t_done;
};

static struct ph_keys K;
static struct ph_server S;
static struct plan P;
static unsigned long long seed;
static const struct rlab_backend *sym;
static struct client C[CLIENTS];
static uint8_t line_sha[CLIENTS][LINES][32];
static pthread_barrier_t connected;

static double now_s(void)
{
    return (double)rlab_now_ms() / 1000.0;
}

/* splitmix64: the deterministic content of files and lines. */
static uint64_t mix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t stream_of(unsigned kind, unsigned client, unsigned index)
{
    uint64_t x = seed ^ ((uint64_t)kind << 56 | (uint64_t)client << 32 | index);
    mix(&x);
    return x;
}

/* Line `index` of `client`: a readable header saying whose it is, then
 * letters; its length varies.  buf holds line_min + line_span bytes. */
static size_t make_line(unsigned client, unsigned index, uint8_t *buf)
{
    uint64_t x = stream_of(2, client, index);
    size_t len = P.line_min + (size_t)(mix(&x) % P.line_span);
    int h = snprintf((char *)buf, HEAD_MAX, "client %u line %u, %zu bytes: ", client, index, len);
    for (size_t i = (size_t)h; i < len; i++)
        buf[i] = (uint8_t)('a' + mix(&x) % 26);
    return len;
}

/* Make client c's files (in the server's scratch folder) and their SHA-256. */
static int make_files(struct client *c)
{
    uint64_t *blk = malloc(65536);
    int rc = blk != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
    for (unsigned f = 0; f < FILES && rc == RLAB_OK; f++) {
        snprintf(c->path[f], sizeof c->path[f], "%s/c%02u-f%u.bin", S.dir, c->id, f);
        FILE *out = fopen(c->path[f], "wb");
        rlab_hash_ctx *hc = NULL;
        if (out == NULL)
            rc = RLAB_ERR_IO;
        if (rc == RLAB_OK)
            rc = rlab_hash_new(sym, RLAB_HASH_SHA256, &hc);
        uint64_t x = stream_of(1, c->id, f);
        for (size_t done = 0; rc == RLAB_OK && done < P.file_size;) {
            size_t n = P.file_size - done < 65536 ? P.file_size - done : 65536;
            for (size_t i = 0; i < 65536 / 8; i++)
                blk[i] = mix(&x);
            if (fwrite(blk, 1, n, out) != n)
                rc = RLAB_ERR_IO;
            if (rc == RLAB_OK)
                rc = rlab_hash_update(sym, hc, (const uint8_t *)blk, n);
            done += n;
        }
        if (rc == RLAB_OK) {
            rc = rlab_hash_final(sym, hc, c->file_sha[f]);
            hc = NULL;
        }
        rlab_hash_free(sym, hc);
        if (out != NULL && fclose(out) != 0)
            rc = RLAB_ERR_IO;
    }
    free(blk);
    return rc;
}

static void fail(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct client *c, const char *fmt, ...)
{
    if (c->failed++)
        return; /* keep the first */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

/* A relayed line: whose is it, is it intact, is it new. */
static void on_line(void *ctx, const char *from, const uint8_t *text, size_t len)
{
    struct client *c = ctx;
    char head[HEAD_MAX];
    size_t hl = len < sizeof head - 1 ? len : sizeof head - 1;
    memcpy(head, text, hl);
    head[hl] = '\0';
    unsigned who, idx;
    uint8_t d[32];
    if (strcmp(from, "alice") != 0) {
        c->bad++;
        fail(c, "a line from \"%s\", not alice", from);
    } else if (sscanf(head, "client %u line %u,", &who, &idx) != 2 || who >= CLIENTS ||
               idx >= LINES) {
        c->bad++;
        fail(c, "a line that no client sent: \"%.40s\"", head);
    } else if (who == c->id) {
        c->bad++;
        fail(c, "its own line %u came back", idx);
    } else if (rlab_backend_hash(sym, RLAB_HASH_SHA256, text, len, d) != RLAB_OK ||
               memcmp(d, line_sha[who][idx], 32) != 0) {
        c->bad++;
        fail(c, "line %u of client %u corrupted (%zu bytes)", idx, who, len);
    } else if (c->got[who][idx]++) {
        c->dups++;
        fail(c, "line %u of client %u received twice", idx, who);
    } else {
        c->received++;
    }
}

static void *client_main(void *arg)
{
    struct client *c = arg;
    const unsigned expect = (CLIENTS - 1) * LINES;
    uint8_t *line = malloc(P.line_min + P.line_span);
    struct rlab_client *cl = NULL;
    struct rlab_client_config cc = {
        .be = K.cbe, .identity = K.alice, .pin = K.pin.data, .pin_len = K.pin.len,
        .port = ph_port(&S), .transient = c->tk, .hs_timeout_ms = 60000, .ctx = c,
        .chat = on_line,
    };
    int rc = line != NULL ? rlab_client_connect(&cc, &cl) : RLAB_ERR_NOMEM;
    if (rc != RLAB_OK)
        fail(c, "connect: %s (%s)", rlab_strerror(rc), rlab_error_detail());
    c->t_connected = now_s();
    /* Nobody sends before everybody is connected. */
    pthread_barrier_wait(&connected);
    for (unsigned f = 0; f < FILES && rc == RLAB_OK; f++) {
        uint8_t d[32];
        uint64_t n = 0;
        rc = rlab_client_send_file(cl, c->path[f], NULL, NULL, d, &n);
        if (rc != RLAB_OK)
            fail(c, "file %u: %s (%s)", f, rlab_strerror(rc), rlab_error_detail());
        else if (n != P.file_size || memcmp(d, c->file_sha[f], 32) != 0)
            fail(c, "file %u: sent %" PRIu64 " bytes with another SHA-256 than made", f, n);
        for (unsigned i = f * LINES / FILES; rc == RLAB_OK && i < (f + 1) * LINES / FILES; i++) {
            size_t len = make_line(c->id, i, line);
            rc = rlab_client_send_line(cl, line, len);
            if (rc != RLAB_OK)
                fail(c, "line %u: %s (%s)", i, rlab_strerror(rc), rlab_error_detail());
        }
    }
    c->t_sent = now_s();
    /* Every other client's lines, then a clean close (even after a bad line,
     * so that one client's failure does not spread to the others). */
    uint64_t deadline = rlab_now_ms() + 180000;
    while (rc == RLAB_OK && c->received + c->dups + c->bad < expect) {
        int w = rlab_client_wait(cl, -1, 200);
        if (w < 0) {
            rc = -w;
            fail(c, "session ended with %u of %u lines: %s (%s)", c->received, expect,
                 rlab_strerror(rc), rlab_error_detail());
        } else if (rlab_now_ms() > deadline) {
            rc = RLAB_ERR_IO;
            fail(c, "only %u of %u lines after 180 s", c->received, expect);
        }
    }
    if (rc == RLAB_OK) {
        rc = rlab_client_close(cl, 60000);
        if (rc != RLAB_OK)
            fail(c, "close: %s (%s)", rlab_strerror(rc), rlab_error_detail());
    }
    c->t_done = now_s();
    rlab_client_free(cl);
    free(line);
    return NULL;
}

/* A transient key for every other client from `first`, from the key folder
 * when ctest names one (tests/keydir.h), else generated (two threads share
 * the work: key generation is most of the set-up).  Four different keys
 * (TKEYS) among the clients: what the server sees of a client's transient
 * key is its public half, and four are enough to mix them; thirty-two would
 * be thirty-two key generations on a fresh build. */
static void *make_tkeys(void *arg)
{
    unsigned first = *(const unsigned *)arg;
    for (unsigned c = first; c < CLIENTS; c += 2) {
        rlab_key *key = NULL;
        int rc = tk_dir_key(K.cbe, RLAB_TKEY_BITS, 100 + (int)(c % TKEYS), &key);
        if (rc == RLAB_OK)
            rc = rlab_tkey_adopt(key, &C[c].tk);
        if (rc != RLAB_OK) {
            fail(&C[c], "transient key: %s", rlab_error_detail());
            break;
        }
    }
    return NULL;
}

/* Occurrences of needle in the server's log. */
static unsigned log_count(const char *needle)
{
    unsigned n = 0;
    pthread_mutex_lock(&S.lock);
    for (const char *p = S.log; p != NULL && (p = strstr(p, needle)) != NULL; p++)
        n++;
    pthread_mutex_unlock(&S.lock);
    return n;
}

static int sha256_file(const char *path, uint8_t d[32], uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return RLAB_ERR_IO;
    rlab_hash_ctx *hc = NULL;
    int rc = rlab_hash_new(sym, RLAB_HASH_SHA256, &hc);
    static uint8_t buf[1 << 20];
    size_t n;
    *size = 0;
    while (rc == RLAB_OK && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        rc = rlab_hash_update(sym, hc, buf, n);
        *size += n;
    }
    if (rc == RLAB_OK && ferror(f))
        rc = RLAB_ERR_IO;
    if (rc == RLAB_OK)
        rc = rlab_hash_final(sym, hc, d);
    else
        rlab_hash_free(sym, hc);
    fclose(f);
    return rc;
}

static void hex(const uint8_t *d, char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Every inbox entry is one of the files sent, intact; every file is there
 * once; the server logged it with the same size and SHA-256.  Failures. */
static unsigned check_inbox(void)
{
    unsigned failures = 0, seen[CLIENTS][FILES] = {{0}};
    DIR *d = opendir(S.inbox);
    if (d == NULL) {
        printf("FAIL: cannot open the inbox %s\n", S.inbox);
        return 1;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        unsigned who, f;
        char tail;
        if (sscanf(de->d_name, "c%2u-f%1u.bi%c", &who, &f, &tail) != 3 || tail != 'n' ||
            who >= CLIENTS || f >= FILES || strlen(de->d_name) != 10) {
            printf("FAIL: inbox entry \"%s\" was never sent (a temporary or a duplicate?)\n",
                   de->d_name);
            failures++;
            continue;
        }
        seen[who][f]++;
        char path[512], want[65], got_hex[65], line[700];
        snprintf(path, sizeof path, "%s/%s", S.inbox, de->d_name);
        uint8_t got[32];
        uint64_t size = 0;
        if (sha256_file(path, got, &size) != RLAB_OK) {
            printf("FAIL: cannot read %s\n", path);
            failures++;
            continue;
        }
        hex(C[who].file_sha[f], want);
        hex(got, got_hex);
        if (size != P.file_size || memcmp(got, C[who].file_sha[f], 32) != 0) {
            printf("FAIL: %s: %" PRIu64 " bytes, sha256 %s; sent %zu bytes, sha256 %s\n",
                   de->d_name, size, got_hex, P.file_size, want);
            failures++;
        }
        snprintf(line, sizeof line, "file %s from alice: %zu bytes, sha256 %s", path,
                 P.file_size, want);
        if (log_count(line) != 1) {
            printf("FAIL: the server's log has %u lines \"%s\"\n", log_count(line), line);
            failures++;
        }
    }
    closedir(d);
    for (unsigned c = 0; c < CLIENTS; c++)
        for (unsigned f = 0; f < FILES; f++)
            if (seen[c][f] != 1) {
                printf("FAIL: c%02u-f%u.bin is in the inbox %u times\n", c, f, seen[c][f]);
                failures++;
            }
    return failures;
}

int main(int argc, char **argv)
{
    if (argc < 2 || (argc > 2 && strcmp(argv[2], "--small") != 0)) {
        fprintf(stderr, "usage: test_load BACKEND [--small]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *unfit = ph_unfit(argv[1], argv[1]);
    if (unfit != NULL) {
        printf("SKIP: rsalab/1 needs OAEP and PSS with SHA-256: %s\n", unfit);
        return 77;
    }
    P = argc > 2 ? small : full;
    const char *seed_env = getenv("RSALAB_TEST_SEED");
    seed = seed_env ? strtoull(seed_env, NULL, 10) : (unsigned long long)time(NULL);
    double t0 = now_s();
    printf("test_load: %d clients on %s, seed %llu (RSALAB_TEST_SEED=%llu replays)\n", CLIENTS,
           argv[1], seed, seed);
    printf("  each sends %d files of %zu bytes and %d chat lines of %zu..%zu bytes, and "
           "receives %d lines (~%zu KiB)\n", FILES, P.file_size, LINES, P.line_min,
           P.line_min + P.line_span - 1, (CLIENTS - 1) * LINES,
           (CLIENTS - 1) * LINES * (P.line_min + P.line_span / 2) / 1024);
    if (argc > 2)
        printf("  --small: sanitizer build, payloads reduced (the RSS and speed of a "
               "sanitized build say nothing); still %d clients at once\n", CLIENTS);
    if (ph_keys_make(&K, argv[1], argv[1]) != 0) {
        printf("FAIL: cannot make keys on %s (%s)\n", argv[1], rlab_error_detail());
        return 1;
    }
    sym = rlab_sess_sym_provider(K.cbe);
    struct ph_server_opts o = {.hs_timeout_ms = 60000};
    if (ph_server_start(&S, &K, &o) != 0) {
        printf("FAIL: cannot start the server (%s)\n", rlab_error_detail());
        return 1;
    }
    /* Transient keys and contents up front: the clients then only talk. */
    uint8_t *line = malloc(P.line_min + P.line_span);
    int rc = line != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
    static unsigned halves[2] = {0, 1};
    pthread_t kt;
    if (rc == RLAB_OK && pthread_create(&kt, NULL, make_tkeys, &halves[1]) != 0)
        rc = RLAB_ERR_NOMEM;
    if (rc == RLAB_OK) {
        make_tkeys(&halves[0]);
        pthread_join(kt, NULL);
    }
    for (unsigned c = 0; c < CLIENTS && rc == RLAB_OK; c++)
        if (C[c].failed) {
            printf("FAIL: client %u: %s\n", c, C[c].err);
            rc = RLAB_ERR_RNG;
        }
    double t_keys = now_s();
    for (unsigned c = 0; c < CLIENTS && rc == RLAB_OK; c++) {
        C[c].id = c;
        rc = make_files(&C[c]);
        for (unsigned i = 0; i < LINES && rc == RLAB_OK; i++) {
            size_t len = make_line(c, i, line);
            rc = rlab_backend_hash(sym, RLAB_HASH_SHA256, line, len, line_sha[c][i]);
        }
    }
    free(line);
    if (rc != RLAB_OK) {
        printf("FAIL: set-up: %s (%s)\n", rlab_strerror(rc), rlab_error_detail());
        return 1;
    }
    double t_setup = now_s();
    printf("  set-up: %d identity and %d client transient keys %.1f s, files and lines "
           "%.1f s\n", 3, TKEYS, t_keys - t0, t_setup - t_keys);

    pthread_barrier_init(&connected, NULL, CLIENTS);
    unsigned started = 0;
    for (unsigned c = 0; c < CLIENTS; c++) {
        if (pthread_create(&C[c].thread, NULL, client_main, &C[c]) != 0) {
            printf("FAIL: cannot start client thread %u\n", c);
            return 1; /* the others wait at the barrier: nothing to join */
        }
        started++;
    }
    for (unsigned c = 0; c < started; c++)
        pthread_join(C[c].thread, NULL);
    pthread_barrier_destroy(&connected);
    double t_conn = 0, t_sent = 0, t_done = 0;
    for (unsigned c = 0; c < CLIENTS; c++) {
        t_conn = C[c].t_connected > t_conn ? C[c].t_connected : t_conn;
        t_sent = C[c].t_sent > t_sent ? C[c].t_sent : t_sent;
        t_done = C[c].t_done > t_done ? C[c].t_done : t_done;
    }
    printf("  all %d connected: %.1f s; all sent: %.1f s more; all lines received and "
           "closed: %.1f s more\n", CLIENTS, t_conn - t_setup, t_sent - t_conn, t_done - t_sent);

    unsigned failures = 0;
    for (unsigned c = 0; c < CLIENTS; c++) {
        if (C[c].failed || C[c].received != (CLIENTS - 1) * LINES) {
            printf("FAIL: client %u: %s (%u of %d lines, %u duplicated, %u bad)\n", c,
                   C[c].failed ? C[c].err : "lines missing", C[c].received,
                   (CLIENTS - 1) * LINES, C[c].dups, C[c].bad);
            failures++;
        }
        rlab_tkey_put(C[c].tk);
    }
    /* The server logs a connection when it has ended on its side too. */
    for (int i = 0; i < 300 && log_count("result=") < CLIENTS; i++)
        usleep(100000);
    char okline[64];
    snprintf(okline, sizeof okline, "result=ok (%d files, ", FILES);
    unsigned ended = log_count("result="), ok = log_count(okline);
    if (ended != CLIENTS || ok != CLIENTS) {
        printf("FAIL: the server logged %u connections, %u of them \"%s...\"; want %d and %d\n",
               ended, ok, okline, CLIENTS, CLIENTS);
        failures++;
    }
    if (failures != 0 || getenv("RSALAB_TEST_VERBOSE") != NULL)
        printf("server log:\n%s", S.log ? S.log : "");
    failures += check_inbox();
    double t_end = now_s();
    printf("  inbox checked: %.1f s; total %.1f s\n", t_end - t_done, t_end - t0);
    uint64_t bytes = (uint64_t)CLIENTS * FILES * P.file_size;
    printf("  %d files (%" PRIu64 " MiB) and %d lines relayed %d times, in %.1f s after the "
           "barrier\n", CLIENTS * FILES, bytes >> 20, CLIENTS * LINES, CLIENTS - 1,
           t_done - t_conn);
    ph_server_stop(&S);
    ph_keys_clear(&K);
    printf("%s: %u failure(s)\n", failures == 0 ? "PASS" : "FAIL", failures);
    return failures == 0 ? 0 : 1;
}
