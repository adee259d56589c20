/*
 * Fault injection: sessions through a proxy that, seeded, drops, duplicates,
 * reorders, truncates, delays or flips a bit of one frame of the client's
 * traffic, chosen at random (handshake frames included).  Every fault must
 * be detected and reported on the affected side (the client's session fails
 * or the server logs the connection's error), no partial or wrong file may
 * be kept, and the server must stay up and serve a normal session at the
 * end.  A delay is not a fault: that session must succeed.
 *
 * Most of a faulted session is waiting (for a time-out, or a delay), so
 * several workers (8 unless --workers says) run sessions at once, each with
 * its own server (its own log and inbox) and proxy; every server must serve
 * a normal session at the end.
 *
 *   test_faults BACKEND [SESSIONS] [--workers N]
 *                                     (seed: RSALAB_TEST_SEED, printed)
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/ops.h"
#include "core/frame.h"
#include "tests/proto/harness.h"

/* Each session's fault comes from its own generator, seeded by the run's
 * seed and the session's number: a session is the same whichever worker
 * runs it and in whatever order. */
static uint32_t rnd(uint64_t *st)
{
    *st ^= *st << 13;
    *st ^= *st >> 7;
    *st ^= *st << 17;
    return (uint32_t)(*st >> 16);
}

static const char *const names[] = {
    [PH_FLIP] = "flip", [PH_DROP] = "drop", [PH_DUP] = "duplicate",
    [PH_SWAP] = "reorder", [PH_CUT] = "truncate", [PH_DELAY] = "delay",
};

/* Every inbox entry must be a finished copy of `want` (no temporaries). */
static int inbox_ok(struct ph_server *s, const char *want_path, int *kept)
{
    *kept = 0;
    DIR *d = opendir(s->inbox);
    if (d == NULL)
        return 0;
    struct dirent *de;
    int ok = 1;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char p[512], cmd[1200];
        snprintf(p, sizeof p, "%s/%s", s->inbox, de->d_name);
        snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", p, want_path);
        /* Temporaries start with '.' (core/inbox.h). */
        if (de->d_name[0] == '.' || system(cmd) != 0) {
            printf("  bad inbox entry %s\n", de->d_name);
            ok = 0;
        }
        (*kept)++;
        unlink(p);
    }
    closedir(d);
    return ok;
}

#define WORKERS_MAX 16

static struct ph_keys k;
static unsigned long long seed;
static unsigned sessions, next_session;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned counts[16], detected[16], failures;

struct worker {
    struct ph_server s;
    pthread_t thread;
    int err; /* the harness failed (not a fault finding) */
};

/* One faulted session through worker w's proxy and server; 0 when the
 * fault was handled as it must be. */
static int one_session(struct worker *w, unsigned i)
{
    struct ph_server *s = &w->s;
    uint64_t st = (seed + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)(i + 1) * 0xbf58476d1ce4e5b9ull;
    for (int j = 0; j < 4; j++)
        (void)rnd(&st);
    static const enum ph_action kinds[] = {PH_FLIP, PH_DROP, PH_DUP, PH_SWAP, PH_CUT, PH_DELAY};
    struct ph_rule r = {.type = PH_ANY, .action = kinds[rnd(&st) % 6], .index = rnd(&st) % 7,
                        .flip_at = rnd(&st), .delay_ms = 50 + rnd(&st) % 100};
    size_t size = rnd(&st) % 40000;
    char path[256], name[32];
    snprintf(name, sizeof name, "payload-%u.bin", i);
    if (ph_make_file(s, name, size, (uint32_t)i, path, sizeof path) != 0)
        return w->err = 1;
    ph_log_reset(s);
    struct ph_proxy *p;
    if (ph_proxy_start(&p, ph_port(s), &r, 0) != 0)
        return w->err = 1;
    struct rlab_client_config cc = {
        .be = k.cbe, .identity = k.alice, .pin = k.pin.data, .pin_len = k.pin.len,
        .port = ph_proxy_port(p), .transient = k.client_tk, .hs_timeout_ms = 2000,
    };
    struct rlab_client *cl = NULL;
    int rc = rlab_client_connect(&cc, &cl);
    if (rc == RLAB_OK)
        rc = rlab_client_send_file(cl, path, NULL, NULL, NULL, NULL);
    if (rc == RLAB_OK)
        rc = rlab_client_close(cl, 2000);
    int client_failed = rc != RLAB_OK;
    rlab_client_free(cl);
    ph_proxy_stop(p);
    ph_proxy_free(p);
    /* The server's verdict on this connection. */
    int ended = ph_log_wait(s, "result=", 5000);
    int server_failed = ended && ph_log_wait(s, "result=error", 0);
    int server_ok = ended && ph_log_wait(s, "result=ok", 0);
    int kept;
    int inbox = inbox_ok(s, path, &kept);
    unlink(path);
    int ok;
    if (r.action == PH_DELAY)
        ok = !client_failed && server_ok && kept == 1;
    else
        ok = (client_failed || server_failed) && inbox;
    pthread_mutex_lock(&lock);
    counts[r.action]++;
    /* A fault after the whole exchange (e.g. on the last frames) may leave
     * the file complete: it must then be the right file. */
    if (r.action != PH_DELAY && (client_failed || server_failed))
        detected[r.action]++;
    if (!ok || !inbox) {
        failures++;
        printf("FAIL session %u: %s frame %u (size %zu): client %s, server %s, kept %d%s\n", i,
               names[r.action], r.index, size, client_failed ? "failed" : "ok",
               server_failed ? "failed" : (server_ok ? "ok" : "?"), kept,
               inbox ? "" : ", bad inbox");
        fflush(stdout);
    }
    pthread_mutex_unlock(&lock);
    return 0;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (;;) {
        unsigned i = __atomic_fetch_add(&next_session, 1, __ATOMIC_RELAXED);
        if (i >= sessions || w->err)
            break;
        one_session(w, i);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    const char *unfit = ph_unfit(argv[1], argv[1]);
    if (unfit != NULL) {
        printf("SKIP: rsalab/1 needs OAEP and PSS with SHA-256: %s\n", unfit);
        return 77;
    }
    sessions = 1000;
    unsigned n_workers = 8;
    for (int a = 2; a < argc; a++) {
        if (strcmp(argv[a], "--workers") == 0 && a + 1 < argc)
            n_workers = (unsigned)atoi(argv[++a]);
        else if (argv[a][0] != '-')
            sessions = (unsigned)atoi(argv[a]);
        else {
            fprintf(stderr, "usage: test_faults BACKEND [SESSIONS] [--workers N]\n");
            return 2;
        }
    }
    if (n_workers < 1 || n_workers > WORKERS_MAX) {
        fprintf(stderr, "test_faults: --workers takes 1 to %d\n", WORKERS_MAX);
        return 2;
    }
    const char *seed_env = getenv("RSALAB_TEST_SEED");
    seed = seed_env ? strtoull(seed_env, NULL, 10) : (unsigned long long)time(NULL);
    printf("test_faults: %u sessions on %s, %u workers, seed %llu (RSALAB_TEST_SEED=%llu "
           "replays)\n", sessions, argv[1], n_workers, seed, seed);
    fflush(stdout);
    if (ph_keys_make(&k, argv[1], argv[1]) != 0)
        return 1;
    struct ph_server_opts o = {.hs_timeout_ms = 1000, .stall_timeout_ms = 1000};
    static struct worker W[WORKERS_MAX];
    for (unsigned w = 0; w < n_workers; w++) {
        if (ph_server_start(&W[w].s, &k, &o) != 0) {
            printf("FAIL: cannot start server %u\n", w);
            return 1;
        }
    }
    for (unsigned w = 0; w < n_workers; w++)
        if (pthread_create(&W[w].thread, NULL, worker_main, &W[w]) != 0) {
            printf("FAIL: cannot start worker %u\n", w);
            return 1;
        }
    unsigned bad = 0;
    for (unsigned w = 0; w < n_workers; w++) {
        pthread_join(W[w].thread, NULL);
        if (W[w].err) {
            printf("FAIL: worker %u: the harness could not make a file or a proxy\n", w);
            bad++;
        }
    }
    unsigned normal_bad = 0;
    for (unsigned w = 0; w < n_workers; w++) {
        char why[256];
        if (ph_normal_session(&W[w].s, &k, ph_port(&W[w].s), 30000, why, sizeof why) != 0) {
            printf("FAIL: a normal session after the faults (server %u): %s\n", w, why);
            normal_bad++;
        }
    }
    unsigned total = 0;
    for (int a = 1; a < 16; a++)
        if (counts[a] != 0) {
            total += counts[a];
            printf("  %-10s %4u sessions, %4u detected%s\n", names[a], counts[a], detected[a],
                   a == PH_DELAY ? " (not a fault: all must succeed)" : "");
        }
    if (total != sessions) {
        printf("FAIL: %u sessions ran, not %u\n", total, sessions);
        bad++;
    }
    for (unsigned w = 0; w < n_workers; w++) {
        ph_server_stop(&W[w].s);
    }
    ph_keys_clear(&k);
    bad += failures + normal_bad;
    printf("%u sessions and %u normal sessions: %u failed\n", total, n_workers, bad);
    return bad == 0 ? 0 : 1;
}
