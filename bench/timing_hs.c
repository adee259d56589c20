/*
 * The handshake target of the timing group: the honest server of rsalab/1
 * reading the client's ClientKey (the frame that carries OAEP(server
 * transient key, kc)), through rlab_hs_read itself.
 *
 * A client and a server are run up to that point once; the server's state
 * is then copied (a struct rlab_hs holds everything but the peer keys,
 * which the copies share and only the original frees) and restored before
 * each measurement.  The client's state at "write ClientKey" is copied the
 * same way to write a pool of ClientKey frames for that one transcript:
 * good ones, and bad ones whose ciphertext the tamper hook spoils before
 * the client signs it, so that the signature holds and only the OAEP step
 * differs.  The server answers both with RLAB_OK (a bad secret shows only
 * at Finished): the measurement is the whole of rlab_hs_read, signature
 * check, decryption, substitution and key schedule.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "bench/timing_int.h"
#include "core/handshake.h"
#include "core/random.h"

struct frame {
    size_t len;
    uint8_t body[RLAB_FRAME_HELLO_MAX];
};

struct rlab_bt_hs {
    struct rlab_hs server, client; /* the states copied from (own the keys) */
    struct rlab_hs work;           /* the copy a measurement runs on */
    struct rlab_buf pin;
    int have_server, have_client;
    struct frame frames[2][RLAB_BT_POOL];
};

static int authorize_any(void *ctx, const uint8_t *spki, size_t len)
{
    (void)ctx;
    (void)spki;
    (void)len;
    return 1;
}

/* Spoil the ciphertext: one byte changed makes the block a random value,
 * whose padding fails with overwhelming probability. */
static void spoil(void *ctx, int field, uint8_t *p, size_t len)
{
    (void)ctx;
    if (field != RLAB_HS_FIELD_SECRET_CT || len == 0)
        return;
    uint8_t r[2] = {0, 0};
    if (rlab_random(NULL, r, sizeof r) != RLAB_OK)
        r[0] = 1;
    p[(len / 2 + r[1]) % len] ^= (uint8_t)(r[0] | 1);
}

static void hs_prepare(void *ctx, size_t cls, size_t i)
{
    struct rlab_bt_hs *h = ctx;
    (void)cls;
    (void)i;
    memcpy(&h->work, &h->server, sizeof h->work);
}

static int hs_run(void *ctx, size_t cls, size_t i)
{
    struct rlab_bt_hs *h = ctx;
    const struct frame *f = &h->frames[cls != 0][i];
    return rlab_hs_read(&h->work, RLAB_FRAME_CLIENT_KEY, f->body, f->len);
}

/* Move one frame from `from` to `to`; RLAB_OK or the failing side's rc. */
static int pass(struct rlab_hs *from, struct rlab_hs *to, struct frame *buf)
{
    uint8_t type;
    int rc = rlab_hs_write(from, &type, buf->body, sizeof buf->body, &buf->len);
    return rc == RLAB_OK ? rlab_hs_read(to, type, buf->body, buf->len) : rc;
}

/* A ClientKey from a copy of the client state; with bad != 0 its
 * ciphertext is spoilt before signing.  If server != NULL the copy also
 * writes its Finished and the server copy in h->work (which read this
 * ClientKey) checks it: *fin_rc gets that answer. */
static int client_key(struct rlab_bt_hs *h, int bad, struct frame *out, int *fin_rc)
{
    struct rlab_hs *c = malloc(sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    memcpy(c, &h->client, sizeof *c);
    c->cfg.tamper = bad ? spoil : NULL;
    uint8_t type;
    int rc = rlab_hs_write(c, &type, out->body, sizeof out->body, &out->len);
    if (rc == RLAB_OK && fin_rc != NULL) {
        struct frame *fin = malloc(sizeof *fin);
        memcpy(&h->work, &h->server, sizeof h->work);
        rc = fin == NULL ? RLAB_ERR_NOMEM
                         : rlab_hs_read(&h->work, RLAB_FRAME_CLIENT_KEY, out->body, out->len);
        if (rc == RLAB_OK)
            rc = rlab_hs_write(c, &type, fin->body, sizeof fin->body, &fin->len);
        if (rc == RLAB_OK)
            *fin_rc = rlab_hs_read(&h->work, type, fin->body, fin->len);
        free(fin);
        rlab_wipe(&h->work, sizeof h->work);
    }
    rlab_wipe(c, sizeof *c);
    free(c);
    return rc;
}

int rlab_bt_hs_new(const struct rlab_backend *be, const rlab_key *k, struct rlab_bt_hs **out,
                   struct rlab_bt_target *t, char *why, size_t why_len)
{
    *out = NULL;
    if (k->bits < RLAB_HS_MIN_BITS) {
        snprintf(why, why_len, "rsalab/1 keys are at least %u bits", RLAB_HS_MIN_BITS);
        return RLAB_ERR_UNSUPPORTED;
    }
    struct rlab_op_query qs[] = {
        {.op = RLAB_OP_PSS_SIGN, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256,
         .salt_len = 32},
        {.op = RLAB_OP_OAEP_ENCRYPT, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256},
        {.op = RLAB_OP_EXPORT},
        {.op = RLAB_OP_IMPORT},
    };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        const char *w = rlab_backend_check(be, &qs[i]);
        if (w != NULL) {
            snprintf(why, why_len, "the handshake needs it: %s", w);
            return RLAB_ERR_UNSUPPORTED;
        }
    }
    struct rlab_bt_hs *h = calloc(1, sizeof *h);
    if (h == NULL)
        return RLAB_ERR_NOMEM;
    *out = h;
    snprintf(why, why_len, "setting up the handshake");
    /* One key in every role: the measurement is the server's decryption
     * with its transient key, whatever the identities are. */
    int rc = rlab_key_export(be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &h->pin);
    struct rlab_hs_config sc = {.role = RLAB_HS_SERVER, .be = be, .identity = k,
                                .transient = k, .authorize = authorize_any};
    struct rlab_hs_config cc = {.role = RLAB_HS_CLIENT, .be = be, .identity = k,
                                .transient = k, .pin = h->pin.data, .pin_len = h->pin.len};
    if (rc == RLAB_OK)
        rc = rlab_hs_init(&h->server, &sc);
    h->have_server = 1;
    if (rc == RLAB_OK)
        rc = rlab_hs_init(&h->client, &cc);
    h->have_client = 1;
    struct frame *buf = &h->frames[0][0];
    if (rc == RLAB_OK)
        rc = pass(&h->client, &h->server, buf); /* ClientHello */
    if (rc == RLAB_OK)
        rc = pass(&h->server, &h->client, buf); /* ServerHello */
    if (rc == RLAB_OK && (rlab_hs_next(&h->client) != RLAB_HS_WRITE ||
                          rlab_hs_next(&h->server) != RLAB_HS_READ))
        rc = RLAB_ERR_INVALID_ARG;
    /* The classes are what they claim: a good ClientKey completes the
     * handshake, a bad one fails it at Finished. */
    int fin_good = RLAB_ERR_INVALID_ARG, fin_bad = RLAB_OK;
    if (rc == RLAB_OK)
        rc = client_key(h, 0, &h->frames[0][0], &fin_good);
    if (rc == RLAB_OK)
        rc = client_key(h, 1, &h->frames[1][0], &fin_bad);
    if (rc == RLAB_OK && (fin_good != RLAB_OK || fin_bad != RLAB_ERR_AUTH)) {
        snprintf(why, why_len, "checking the classes: good ClientKey %s, bad one %s at Finished",
                 fin_good == RLAB_OK ? "completes" : "fails",
                 fin_bad == RLAB_OK ? "completes" : "fails");
        rc = RLAB_ERR_INVALID_ARG;
    }
    for (size_t i = 1; i < RLAB_BT_POOL && rc == RLAB_OK; i++) {
        rc = client_key(h, 0, &h->frames[0][i], NULL);
        if (rc == RLAB_OK)
            rc = client_key(h, 1, &h->frames[1][i], NULL);
    }
    if (rc != RLAB_OK)
        return rc;
    *t = (struct rlab_bt_target){.n_classes = 2, .prepare = hs_prepare, .run = hs_run,
                                 .ctx = h};
    t->class_name[0] = "good-ct";
    t->class_name[1] = "bad-ct";
    return RLAB_OK;
}

void rlab_bt_hs_free(struct rlab_bt_hs *h)
{
    if (h == NULL)
        return;
    if (h->have_server)
        rlab_hs_clear(&h->server);
    if (h->have_client)
        rlab_hs_clear(&h->client);
    rlab_wipe(&h->work, sizeof h->work);
    rlab_buf_clear(&h->pin);
    rlab_wipe(h, sizeof *h);
    free(h);
}
