/*
 * rsalab/1 streaming under load: many clients at once each stream files of
 * random size through the real protocol to one server running in its own
 * process, so that its file descriptors and memory can be read alone from
 * /proc/<pid>.
 *
 * Every client connects first (a barrier), then streams its messages: the
 * content is made on the fly from a seed (never held whole, never on the
 * client's disk) and hashed as it goes.  On arrival a checker reads the
 * server's log line for each file (size and SHA-256 as the server computed
 * them), then the file itself from the inbox, hashes it, compares both with
 * what was sent and removes it (the disk holds only what is in flight).
 * Checked at the end:
 *   - every message arrived once, whole, under its own name; nothing else is
 *     in the inbox (no temporary, no duplicate);
 *   - the server logged one "result=ok" per client and no error;
 *   - the server's open descriptors are the same before and after;
 *   - its peak resident memory (VmHWM) is under its resident memory after a
 *     warm-up session + 16 MiB + clients x 768 KiB.
 *     Why that bound: a server session holds a fixed set of buffers (a 256
 *     KiB receive buffer, the file writer's 256 KiB write-behind buffer, a
 *     frame reader and two chunk buffers of 16 KiB, the handshake state, a
 *     32 KiB first allocation of the output queue, a 64 KiB chat buffer when
 *     a chat line arrives, and a hash), about 600 KiB at most; its output
 *     queue can grow to RLAB_SESS_OUT_MAX (8 MiB) only with relayed chat
 *     lines a client does not read, and here the server sends nothing but
 *     its close (99 bytes).  A received file is written in pieces, so its
 *     size must not show at all; 16 MiB covers allocator slack.  Measured
 *     without the sanitizers: about 400 KiB per client at the peak.  The
 *     sanitizer build checks the same bound with its own overhead (shadow
 *     memory, redzones) added, 3 x the growth, with a 16 MiB quarantine
 *     (ASAN_OPTIONS in tests/proto/CMakeLists.txt) so that freed memory is
 *     reused as it is without the sanitizers;
 *   - a normal session is served afterwards.
 * Timings are printed, never asserted.
 *
 *   test_streams BACKEND [--clients N] [--max-size BYTES] [--messages N]
 *                [--budget SECONDS] [--sanitize]
 *
 * --messages is the most each client sends; with --budget a client starts no
 * new message once the budget has run out (it finishes the one in progress).
 * Seed: RSALAB_TEST_SEED (printed).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/ops.h"
#include "tests/proto/harness.h"

#define CLIENTS_MAX 256
#define BLOCK 65536
#define QUEUE_LOW (256u << 10) /* a client writes while less is queued */

struct msg {
    uint64_t size;
    uint8_t sha[32];
    int sent;      /* size and sha are set (before the final chunk goes) */
    int arrived;   /* times the checker saw it */
};

struct client {
    unsigned id;
    pthread_t thread;
    struct msg *m;
    unsigned n_sent;
    uint64_t bytes;
    int failed;
    char err[512];
};

static struct ph_keys K;
static struct ph_server S;
static const struct rlab_backend *sym;
static unsigned long long seed;
static unsigned n_clients = 64, max_msgs = 2;
static uint64_t max_size = 2u << 20;
static uint64_t budget_end_ms; /* 0: none */
static struct client C[CLIENTS_MAX];
static pthread_barrier_t connected;
static pthread_mutex_t connect_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int clients_done;

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

static void fail(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct client *c, const char *fmt, ...)
{
    if (c->failed++)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

/* Wait until less than `level` bytes are queued. */
static int drain(struct rlab_client *cl, size_t level)
{
    while (rlab_sess_pending(rlab_client_session(cl)) > level) {
        int w = rlab_client_wait(cl, -1, 200);
        if (w < 0)
            return -w;
    }
    return RLAB_OK;
}

/* Message i of client c: made, hashed and sent block by block. */
static int send_one(struct client *c, struct rlab_client *cl, unsigned i, uint64_t *blk)
{
    struct rlab_sess *s = rlab_client_session(cl);
    uint64_t x = stream_of(1, c->id, i);
    uint64_t size = max_size ? mix(&x) % (max_size + 1) : 0;
    char name[32];
    snprintf(name, sizeof name, "c%03u-m%05u.bin", c->id, i);
    rlab_hash_ctx *hc = NULL;
    int rc = rlab_hash_new(sym, RLAB_HASH_SHA256, &hc);
    if (rc == RLAB_OK)
        rc = rlab_sess_msg_begin(s, RLAB_MSG_FILE, size, name);
    for (uint64_t done = 0; rc == RLAB_OK && done < size;) {
        size_t n = size - done < BLOCK ? (size_t)(size - done) : BLOCK;
        for (size_t k = 0; k < BLOCK / 8; k++)
            blk[k] = mix(&x);
        rc = rlab_hash_update(sym, hc, (const uint8_t *)blk, n);
        if (rc == RLAB_OK)
            rc = drain(cl, QUEUE_LOW);
        if (rc == RLAB_OK)
            rc = rlab_sess_msg_write(s, (const uint8_t *)blk, n);
        done += n;
    }
    if (rc == RLAB_OK) {
        rc = rlab_hash_final(sym, hc, c->m[i].sha);
        hc = NULL;
    }
    rlab_hash_free(sym, hc);
    if (rc == RLAB_OK) {
        c->m[i].size = size;
        __atomic_store_n(&c->m[i].sent, 1, __ATOMIC_RELEASE);
        rc = rlab_sess_msg_end(s);
    }
    if (rc != RLAB_OK)
        fail(c, "message %u (%" PRIu64 " bytes): %s (%s)", i, size, rlab_strerror(rc),
             rlab_error_detail());
    else
        c->bytes += size;
    return rc;
}

static void *client_main(void *arg)
{
    struct client *c = arg;
    uint64_t *blk = malloc(BLOCK);
    struct rlab_client *cl = NULL;
    struct rlab_client_config cc = {
        .be = K.cbe, .identity = K.alice, .pin = K.pin.data, .pin_len = K.pin.len,
        .port = ph_port(&S), .transient = K.client_tk, .hs_timeout_ms = 120000,
    };
    /* One handshake at a time: the clients share their keys (a backend's
     * key is not meant for two private operations at once).  The streams,
     * the point here, all run at once. */
    pthread_mutex_lock(&connect_lock);
    int rc = blk != NULL ? rlab_client_connect(&cc, &cl) : RLAB_ERR_NOMEM;
    pthread_mutex_unlock(&connect_lock);
    if (rc != RLAB_OK)
        fail(c, "connect: %s (%s)", rlab_strerror(rc), rlab_error_detail());
    pthread_barrier_wait(&connected);
    for (unsigned i = 0; rc == RLAB_OK && i < max_msgs; i++) {
        if (i > 0 && budget_end_ms != 0 && rlab_now_ms() >= budget_end_ms)
            break;
        rc = send_one(c, cl, i, blk);
        if (rc == RLAB_OK)
            c->n_sent++;
    }
    if (rc == RLAB_OK && (rc = drain(cl, 0)) == RLAB_OK)
        rc = rlab_client_close(cl, 300000);
    if (rc != RLAB_OK)
        fail(c, "session: %s (%s)", rlab_strerror(rc), rlab_error_detail());
    rlab_client_free(cl);
    free(blk);
    return NULL;
}

/* ---- the checker: files as they arrive ------------------------------------- */

static unsigned check_failures;
static uint64_t checked_files, checked_bytes;

static void check_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void check_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    check_failures++;
}

static void hex(const uint8_t *d, char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int sha256_file(const char *path, uint8_t d[32], uint64_t *size, uint8_t *buf)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return RLAB_ERR_IO;
    rlab_hash_ctx *hc = NULL;
    int rc = rlab_hash_new(sym, RLAB_HASH_SHA256, &hc);
    size_t n;
    *size = 0;
    while (rc == RLAB_OK && (n = fread(buf, 1, 1 << 20, f)) > 0) {
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

/* One "file PATH from alice: N bytes, sha256 H" line of the server's log. */
static void check_line(const char *line, uint8_t *buf)
{
    char path[512], logged_hex[65];
    unsigned long long size;
    if (sscanf(line, "file %511s from alice: %llu bytes, sha256 %64s", path, &size,
               logged_hex) != 3) {
        check_fail("unexpected log line \"%s\"", line);
        return;
    }
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    unsigned c, i;
    char tail;
    if (sscanf(base, "c%3u-m%5u.bi%c", &c, &i, &tail) != 3 || tail != 'n' ||
        strlen(base) != 15 || c >= n_clients || i >= max_msgs) {
        check_fail("inbox file \"%s\" was never sent (a duplicate?)", base);
        return;
    }
    struct msg *m = &C[c].m[i];
    if (!__atomic_load_n(&m->sent, __ATOMIC_ACQUIRE)) {
        check_fail("%s arrived before it was sent whole", base);
        return;
    }
    char want[65], got_hex[65];
    hex(m->sha, want);
    if (m->arrived++)
        check_fail("%s arrived twice", base);
    if (size != m->size || strcmp(logged_hex, want) != 0)
        check_fail("%s: the server logged %llu bytes, sha256 %s; sent %" PRIu64
                   " bytes, sha256 %s", base, size, logged_hex, m->size, want);
    uint8_t got[32];
    uint64_t disk = 0;
    if (sha256_file(path, got, &disk, buf) != RLAB_OK) {
        check_fail("cannot read %s", path);
        return;
    }
    hex(got, got_hex);
    if (disk != m->size || memcmp(got, m->sha, 32) != 0)
        check_fail("%s on disk: %" PRIu64 " bytes, sha256 %s; sent %" PRIu64
                   " bytes, sha256 %s", base, disk, got_hex, m->size, want);
    unlink(path);
    checked_files++;
    checked_bytes += disk;
}

static void *checker(void *arg)
{
    (void)arg;
    uint8_t *buf = malloc(1 << 20);
    pthread_mutex_lock(&S.lock); /* from here on: the warm-up is not checked */
    size_t at = S.log_len;
    pthread_mutex_unlock(&S.lock);
    for (;;) {
        int last = __atomic_load_n(&clients_done, __ATOMIC_ACQUIRE);
        char *lines = NULL;
        pthread_mutex_lock(&S.lock);
        size_t end = S.log_len;
        while (end > at && S.log[end - 1] != '\n')
            end--;
        if (end > at && (lines = malloc(end - at + 1)) != NULL) {
            memcpy(lines, S.log + at, end - at);
            lines[end - at] = '\0';
            at = end;
        }
        pthread_mutex_unlock(&S.lock);
        for (char *l = lines, *nl; buf != NULL && l != NULL && *l; l = nl + 1) {
            nl = strchr(l, '\n');
            *nl = '\0';
            if (strncmp(l, "file ", 5) == 0)
                check_line(l, buf);
        }
        free(lines);
        if (last)
            break;
        usleep(20000);
    }
    free(buf);
    return NULL;
}

/* ---- main ------------------------------------------------------------------ */

static int usage(void)
{
    fprintf(stderr, "usage: test_streams BACKEND [--clients N] [--max-size BYTES] "
                    "[--messages N] [--budget SECONDS] [--sanitize]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *unfit = ph_unfit(argv[1], argv[1]);
    if (unfit != NULL) {
        printf("SKIP: rsalab/1 needs OAEP and PSS with SHA-256: %s\n", unfit);
        return 77;
    }
    int sanitize = 0;
    unsigned budget_s = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--sanitize") == 0)
            sanitize = 1;
        else if (i + 1 < argc && strcmp(argv[i], "--clients") == 0)
            n_clients = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--max-size") == 0)
            max_size = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--messages") == 0)
            max_msgs = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--budget") == 0)
            budget_s = (unsigned)strtoul(argv[++i], NULL, 10);
        else
            return usage();
    }
    if (n_clients == 0 || n_clients > CLIENTS_MAX || max_msgs == 0 || max_msgs > 99999)
        return usage();
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *seed_env = getenv("RSALAB_TEST_SEED");
    seed = seed_env ? strtoull(seed_env, NULL, 10) : (unsigned long long)time(NULL);
    printf("test_streams: %u clients on %s, up to %u message(s) each of 0..%" PRIu64
           " bytes%s, seed %llu (RSALAB_TEST_SEED=%llu replays)\n", n_clients, argv[1],
           max_msgs, max_size, budget_s ? " within the budget" : "", seed, seed);
    double t0 = (double)rlab_now_ms() / 1000;
    if (ph_keys_make(&K, argv[1], argv[1]) != 0) {
        printf("FAIL: cannot make keys on %s (%s)\n", argv[1], rlab_error_detail());
        return 1;
    }
    sym = rlab_sess_sym_provider(K.cbe);
    struct ph_server_opts o = {.hs_timeout_ms = 120000, .max_clients = n_clients + 8,
                               .fork = 1};
    if (ph_server_start(&S, &K, &o) != 0) {
        printf("FAIL: cannot start the server (%s)\n", rlab_error_detail());
        return 1;
    }
    pid_t pid = ph_server_pid(&S);
    char why[512];
    unsigned failures = 0;
    if (ph_normal_session(&S, &K, ph_port(&S), 100000, why, sizeof why) != 0) {
        printf("FAIL: warm-up: %s\n", why);
        failures++;
    }
    int fds_before = ph_proc_fds(pid);
    unsigned long rss0 = 0, hwm0 = 0;
    ph_proc_mem(pid, &rss0, &hwm0);
    int rc = RLAB_OK;
    for (unsigned c = 0; c < n_clients && rc == RLAB_OK; c++) {
        C[c].id = c;
        if ((C[c].m = calloc(max_msgs, sizeof *C[c].m)) == NULL)
            rc = RLAB_ERR_NOMEM;
    }
    if (rc != RLAB_OK) {
        printf("FAIL: set-up: %s\n", rlab_strerror(rc));
        return 1;
    }
    printf("  server pid %d: %d fds, VmRSS %lu KiB after a warm-up session\n", (int)pid,
           fds_before, rss0);
    double t1 = (double)rlab_now_ms() / 1000;
    if (budget_s)
        budget_end_ms = rlab_now_ms() + budget_s * 1000ull;
    pthread_t chk;
    if (pthread_create(&chk, NULL, checker, NULL) != 0)
        return 1;
    pthread_barrier_init(&connected, NULL, n_clients);
    for (unsigned c = 0; c < n_clients; c++)
        if (pthread_create(&C[c].thread, NULL, client_main, &C[c]) != 0) {
            printf("FAIL: cannot start client thread %u\n", c);
            return 1;
        }
    for (unsigned c = 0; c < n_clients; c++)
        pthread_join(C[c].thread, NULL);
    double t2 = (double)rlab_now_ms() / 1000;
    /* Each connection is logged once it ended on the server too. */
    for (int i = 0; i < 600 && ph_log_count(&S, "result=") < n_clients + 1; i++)
        usleep(100000);
    __atomic_store_n(&clients_done, 1, __ATOMIC_RELEASE);
    pthread_join(chk, NULL);
    pthread_barrier_destroy(&connected);

    uint64_t sent = 0, bytes = 0;
    for (unsigned c = 0; c < n_clients; c++) {
        if (C[c].failed) {
            printf("FAIL: client %u: %s\n", c, C[c].err);
            failures++;
        }
        for (unsigned i = 0; i < C[c].n_sent; i++)
            if (C[c].m[i].arrived != 1) {
                printf("FAIL: c%03u-m%05u.bin arrived %d times\n", c, i, C[c].m[i].arrived);
                failures++;
            }
        sent += C[c].n_sent;
        bytes += C[c].bytes;
    }
    failures += check_failures;
    unsigned ok = ph_log_count(&S, "result=ok"), ended = ph_log_count(&S, "result=");
    if (ok != n_clients + 1 || ended != ok) {
        printf("FAIL: the server logged %u connections, %u ok; want %u, all ok\n", ended, ok,
               n_clients + 1);
        failures++;
    }
    int left = ph_inbox_count(&S);
    if (left != 0) {
        printf("FAIL: %d entries left in the inbox (temporaries or files never logged)\n",
               left);
        failures++;
    }
    int fds_after = ph_proc_fds(pid);
    unsigned long rss1 = 0, hwm1 = 0;
    ph_proc_mem(pid, &rss1, &hwm1);
    unsigned long growth = (16ul << 10) + n_clients * 768ul; /* KiB */
    unsigned long bound = rss0 + (sanitize ? 3 * growth : growth);
    printf("  %" PRIu64 " messages, %" PRIu64 " MiB in %.1f s (%.1f MiB/s); %" PRIu64
           " files checked on arrival\n", sent, bytes >> 20, t2 - t1,
           (double)bytes / 1048576.0 / (t2 - t1 > 0 ? t2 - t1 : 1), checked_files);
    printf("  server fds: %d before, %d after; VmRSS %lu KiB after; VmHWM %lu KiB "
           "(bound %lu KiB = %lu KiB + %s16 MiB + %u x 768 KiB%s)\n", fds_before, fds_after,
           rss1, hwm1, bound, rss0, sanitize ? "3 x (" : "", n_clients, sanitize ? ")" : "");
    if (fds_before < 0 || fds_after != fds_before) {
        printf("FAIL: the server's descriptors went from %d to %d\n", fds_before, fds_after);
        failures++;
    }
    if (hwm1 == 0 || hwm1 > bound) {
        printf("FAIL: the server's peak resident memory %lu KiB is over %lu KiB\n", hwm1,
               bound);
        failures++;
    }
    if (ph_normal_session(&S, &K, ph_port(&S), 100000, why, sizeof why) != 0) {
        printf("FAIL: after the load: %s\n", why);
        failures++;
    }
    if (failures != 0 || getenv("RSALAB_TEST_VERBOSE") != NULL) {
        pthread_mutex_lock(&S.lock);
        size_t l = S.log_len;
        printf("server log (last lines):\n%s", S.log ? S.log + (l > 4000 ? l - 4000 : 0) : "");
        pthread_mutex_unlock(&S.lock);
    }
    ph_server_stop(&S);
    if (S.exit_status != 0) {
        printf("FAIL: the server process exited with %d\n", S.exit_status);
        failures++;
    }
    for (unsigned c = 0; c < n_clients; c++)
        free(C[c].m);
    ph_keys_clear(&K);
    rlab_registry_cleanup();
    printf("  total %.1f s\n", (double)rlab_now_ms() / 1000 - t0);
    printf("%s: %u failure(s)\n", failures == 0 ? "PASS" : "FAIL", failures);
    return failures == 0 ? 0 : 1;
}
