/*
 * Fault injection: sessions through a proxy that, seeded, drops, duplicates,
 * reorders, truncates, delays or flips a bit of one frame of the client's
 * traffic, chosen at random (handshake frames included).  Every fault must
 * be detected and reported on the affected side (the client's session fails
 * or the server logs the connection's error), no partial or wrong file may
 * be kept, and the server must stay up and serve a normal session at the
 * end.  A delay is not a fault: that session must succeed.
 *
 *   test_faults BACKEND [SESSIONS]      (seed: RSALAB_TEST_SEED, printed)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/ops.h"
#include "core/frame.h"
#include "tests/proto/harness.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
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

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    const char *unfit = ph_unfit(argv[1], argv[1]);
    if (unfit != NULL) {
        printf("SKIP: rsalab/1 needs OAEP and PSS with SHA-256: %s\n", unfit);
        return 77;
    }
    unsigned sessions = argc > 2 ? (unsigned)atoi(argv[2]) : 1000;
    const char *seed_env = getenv("RSALAB_TEST_SEED");
    unsigned long long seed = seed_env ? strtoull(seed_env, NULL, 10) : (unsigned long long)time(NULL);
    rng_state = seed * 2654435761ull + 1;
    printf("test_faults: %u sessions on %s, seed %llu (RSALAB_TEST_SEED=%llu replays)\n",
           sessions, argv[1], seed, seed);
    struct ph_keys k;
    struct ph_server s;
    if (ph_keys_make(&k, argv[1], argv[1]) != 0)
        return 1;
    struct ph_server_opts o = {.hs_timeout_ms = 1000, .stall_timeout_ms = 1000};
    if (ph_server_start(&s, &k, &o) != 0)
        return 1;
    struct rlab_tkey *tk;
    if (rlab_tkey_new(k.cbe, 0, &tk) != RLAB_OK)
        return 1;
    unsigned counts[16] = {0}, detected[16] = {0}, failures = 0;
    for (unsigned i = 0; i < sessions; i++) {
        static const enum ph_action kinds[] = {PH_FLIP, PH_DROP, PH_DUP, PH_SWAP, PH_CUT, PH_DELAY};
        struct ph_rule r = {.type = PH_ANY, .action = kinds[rnd() % 6], .index = rnd() % 7,
                            .flip_at = rnd(), .delay_ms = 50 + rnd() % 100};
        size_t size = rnd() % 40000;
        char path[256], name[32];
        snprintf(name, sizeof name, "payload-%u.bin", i);
        if (ph_make_file(&s, name, size, (uint32_t)i, path, sizeof path) != 0)
            return 1;
        ph_log_reset(&s);
        struct ph_proxy *p;
        if (ph_proxy_start(&p, ph_port(&s), &r, 0) != 0)
            return 1;
        struct rlab_client_config cc = {
            .be = k.cbe, .identity = k.alice, .pin = k.pin.data, .pin_len = k.pin.len,
            .port = ph_proxy_port(p), .transient = tk, .hs_timeout_ms = 2000,
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
        int ended = ph_log_wait(&s, "result=", 5000);
        int server_failed = ended && ph_log_wait(&s, "result=error", 0);
        int server_ok = ended && ph_log_wait(&s, "result=ok", 0);
        int kept;
        int inbox = inbox_ok(&s, path, &kept);
        unlink(path);
        counts[r.action]++;
        int ok;
        if (r.action == PH_DELAY)
            ok = !client_failed && server_ok && kept == 1;
        else
            ok = (client_failed || server_failed) && inbox;
        /* A fault after the whole exchange (e.g. on the last frames) may
         * leave the file complete: it must then be the right file. */
        if (r.action != PH_DELAY && (client_failed || server_failed))
            detected[r.action]++;
        if (!ok || !inbox) {
            failures++;
            printf("FAIL session %u: %s frame %u (size %zu): client %s, server %s, kept %d%s\n", i,
                   names[r.action], r.index, size, client_failed ? "failed" : "ok",
                   server_failed ? "failed" : (server_ok ? "ok" : "?"), kept,
                   inbox ? "" : ", bad inbox");
        }
    }
    char why[256];
    int normal = ph_normal_session(&s, &k, ph_port(&s), 30000, why, sizeof why);
    if (normal != 0)
        printf("FAIL: a normal session after the faults: %s\n", why);
    for (int a = 1; a < 16; a++)
        if (counts[a] != 0)
            printf("  %-10s %4u sessions, %4u detected%s\n", names[a], counts[a], detected[a],
                   a == PH_DELAY ? " (not a fault: all must succeed)" : "");
    rlab_tkey_put(tk);
    ph_server_stop(&s);
    ph_keys_clear(&k);
    unsigned bad = failures + (normal != 0);
    printf("%u passed, %u failed\n", sessions + 1 - bad, bad);
    return bad == 0 ? 0 : 1;
}
