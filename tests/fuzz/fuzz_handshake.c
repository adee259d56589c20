/*
 * Fuzz target: the rsalab/1 handshake state machine (core/handshake.c) on
 * either side, driven by frames from a fuzzed peer.  The honest side's
 * randomness and every key are fixed (the gmp backend replays a seeded
 * generator), so a recorded honest transcript in the corpus reaches the end
 * of the handshake and the fuzzer mutates from deep states.
 *
 * Input: one byte (even: we are the server, fed client frames; odd: we are
 * the client, fed server frames), then frames as type (1 byte), length
 * (2 bytes, big-endian), body.
 *
 * Meaning: a failed handshake stays failed with an alert and an error; a
 * handshake that completes has authenticated the one authorized client (as
 * server) or the pinned server (as client).
 *
 * RSALAB_FUZZ_WRITE_SEEDS=DIR writes the two honest transcripts there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "core/authset.h"
#include "core/handshake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A deterministic generator (splitmix64 over a counter). */
struct drbg {
    uint64_t s;
};

static int drbg_fill(void *ctx, uint8_t *out, size_t len)
{
    struct drbg *d = ctx;
    for (size_t i = 0; i < len; i++) {
        if (i % 8 == 0) {
            uint64_t z = (d->s += 0x9e3779b97f4a7c15ull);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            d->s = z ^ (z >> 31) ^ d->s;
        }
        out[i] = (uint8_t)(d->s >> (8 * (i % 8)));
    }
    return RLAB_OK;
}

static const struct rlab_backend *be;
static rlab_key *s_id, *s_tk, *c_id, *c_tk;
static struct rlab_buf s_spki, c_spki;

static int authorize(void *ctx, const uint8_t *spki, size_t len)
{
    (void)ctx;
    return len == c_spki.len && memcmp(spki, c_spki.data, len) == 0;
}

static int setup(void)
{
    static int done;
    if (done)
        return be != NULL;
    done = 1;
    be = rlab_backend_find("gmp");
    if (be == NULL)
        return 0;
    struct drbg d = {42};
    struct rlab_rng rng = {drbg_fill, &d};
    if (rlab_keygen(be, 2048, 65537, &rng, &s_id) != RLAB_OK ||
        rlab_keygen(be, 2048, 65537, &rng, &s_tk) != RLAB_OK ||
        rlab_keygen(be, 2048, 65537, &rng, &c_id) != RLAB_OK ||
        rlab_keygen(be, 2048, 65537, &rng, &c_tk) != RLAB_OK ||
        rlab_spki_of(be, s_id, &s_spki) != RLAB_OK || rlab_spki_of(be, c_id, &c_spki) != RLAB_OK)
        abort();
    return 1;
}

static void config(struct rlab_hs_config *c, int server, struct rlab_rng *rng)
{
    memset(c, 0, sizeof *c);
    c->role = server ? RLAB_HS_SERVER : RLAB_HS_CLIENT;
    c->be = be;
    c->identity = server ? s_id : c_id;
    c->transient = server ? s_tk : c_tk;
    c->pin = s_spki.data;
    c->pin_len = s_spki.len;
    c->authorize = authorize;
    c->rng = rng;
}

/* Run an honest handshake; write each side's sent frames as a seed. */
static void write_seeds(const char *dir)
{
    struct drbg ds = {1}, dc = {2};
    struct rlab_rng rs = {drbg_fill, &ds}, rc = {drbg_fill, &dc};
    static struct rlab_hs hs[2];
    struct rlab_hs_config cfg;
    config(&cfg, 0, &rc);
    rlab_hs_init(&hs[0], &cfg);
    config(&cfg, 1, &rs);
    rlab_hs_init(&hs[1], &cfg);
    static uint8_t seed[2][32768];
    size_t len[2] = {1, 1};
    seed[0][0] = 0; /* fed to a server: the client's frames */
    seed[1][0] = 1;
    for (int rounds = 0; rounds < 16; rounds++) {
        for (int side = 0; side < 2; side++) {
            while (rlab_hs_next(&hs[side]) == RLAB_HS_WRITE) {
                uint8_t type, body[RLAB_FRAME_HELLO_MAX];
                size_t n;
                if (rlab_hs_write(&hs[side], &type, body, sizeof body, &n) != RLAB_OK)
                    abort();
                uint8_t *o = seed[side] + len[side];
                o[0] = type;
                o[1] = (uint8_t)(n >> 8);
                o[2] = (uint8_t)n;
                memcpy(o + 3, body, n);
                len[side] += 3 + n;
                if (rlab_hs_read(&hs[!side], type, body, n) != RLAB_OK)
                    abort();
            }
        }
    }
    if (rlab_hs_next(&hs[0]) != RLAB_HS_SPLIT || rlab_hs_next(&hs[1]) != RLAB_HS_SPLIT)
        abort();
    for (int side = 0; side < 2; side++) {
        char path[512];
        snprintf(path, sizeof path, "%s/honest-%s.bin", dir, side ? "server" : "client");
        FILE *f = fopen(path, "wb");
        if (f == NULL || fwrite(seed[side], 1, len[side], f) != len[side])
            abort();
        fclose(f);
        rlab_hs_clear(&hs[side]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!setup() || size < 1)
        return 0;
    static int seeded;
    const char *dir = getenv("RSALAB_FUZZ_WRITE_SEEDS");
    if (!seeded && dir != NULL) {
        seeded = 1;
        write_seeds(dir);
    }
    int server = (data[0] & 1) == 0;
    /* The honest side: the same seeds as in write_seeds(). */
    struct drbg d = {server ? 1u : 2u};
    struct rlab_rng rng = {drbg_fill, &d};
    static struct rlab_hs hs;
    struct rlab_hs_config cfg;
    config(&cfg, server, &rng);
    if (rlab_hs_init(&hs, &cfg) != RLAB_OK)
        abort();
    size_t at = 1;
    for (;;) {
        while (rlab_hs_next(&hs) == RLAB_HS_WRITE) {
            uint8_t type, body[RLAB_FRAME_HELLO_MAX];
            size_t n;
            if (rlab_hs_write(&hs, &type, body, sizeof body, &n) != RLAB_OK)
                break;
        }
        enum rlab_hs_action a = rlab_hs_next(&hs);
        if (a != RLAB_HS_READ || size - at < 3)
            break;
        uint8_t type = data[at];
        size_t n = (size_t)data[at + 1] << 8 | data[at + 2];
        at += 3;
        if (n > size - at)
            n = size - at;
        rlab_hs_read(&hs, type, data + at, n);
        at += n;
    }
    enum rlab_hs_action a = rlab_hs_next(&hs);
    if (a == RLAB_HS_FAILED) {
        if (rlab_hs_alert(&hs) == RLAB_ALERT_NONE || rlab_hs_error(&hs) == RLAB_OK)
            abort();
        if (rlab_hs_read(&hs, RLAB_FRAME_FINISHED, data, size > 32 ? 32 : size) == RLAB_OK ||
            rlab_hs_next(&hs) != RLAB_HS_FAILED)
            abort();
    } else if (a == RLAB_HS_SPLIT) {
        struct rlab_hs_keys k;
        if (rlab_hs_split(&hs, &k) != RLAB_OK)
            abort();
        const struct rlab_buf *want = server ? &c_spki : &s_spki;
        if (getenv("RSALAB_FUZZ_VERBOSE") != NULL)
            fprintf(stderr, "handshake completed as %s\n", server ? "server" : "client");
        if (k.peer_spki_len != want->len || memcmp(k.peer_spki, want->data, want->len) != 0)
            abort();
    }
    rlab_hs_clear(&hs);
    rlab_error_clear();
    return 0;
}
