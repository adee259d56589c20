/*
 * The key cache of the test suites (see testutil.h): one key per (backend,
 * origin, size, slot), generated once per process, and the helpers that move
 * keys between backends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/ops.h"
#include "tests/keydir.h"
#include "tests/testutil.h"

#define TU_MAX_KEYS 96

static struct key_entry {
    const struct rlab_backend *be;
    const struct rlab_backend *origin; /* whose key this is a copy of */
    unsigned bits;
    int slot;
    int rc;              /* RLAB_OK, or why there is no key */
    const char *skip;    /* non-NULL: no key for a reason of the library's */
    char err[256];       /* the failure message when rc != RLAB_OK */
    rlab_key *key, *pub; /* pub made on first request */
} keys[TU_MAX_KEYS];
static size_t n_keys;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int tu_key_copy(const struct rlab_backend *dst, const rlab_key *src, int public_only,
                rlab_key **out)
{
    *out = NULL;
    const struct rlab_backend *sb = src->be;
    int priv = src->has_private && !public_only;
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT}, qi = {.op = RLAB_OP_IMPORT};
    if (rlab_backend_check(sb, &qe) == NULL && rlab_backend_check(dst, &qi) == NULL) {
        rlab_keyfmt fmt = priv ? RLAB_KEYFMT_PKCS8 : RLAB_KEYFMT_SPKI;
        struct rlab_buf der = RLAB_BUF_INIT;
        int rc = rlab_key_export(sb, src, fmt, RLAB_ENC_DER, &der);
        if (rc == RLAB_OK)
            rc = rlab_key_import(dst, fmt, RLAB_ENC_DER, der.data, der.len, out);
        rlab_buf_clear(&der);
        return rc;
    }
    struct rlab_op_query qt = {.op = RLAB_OP_TO_COMPONENTS};
    struct rlab_op_query qf = {.op = RLAB_OP_FROM_COMPONENTS};
    if (rlab_backend_check(sb, &qt) != NULL || rlab_backend_check(dst, &qf) != NULL)
        return RLAB_ERR_UNSUPPORTED;
    struct rlab_components c = {0};
    int rc = rlab_key_to_components(sb, src, &c);
    if (rc == RLAB_OK && !priv) {
        struct rlab_components pc = {0};
        pc.n = c.n;
        pc.e = c.e;
        c.n = (struct rlab_buf)RLAB_BUF_INIT;
        c.e = (struct rlab_buf)RLAB_BUF_INIT;
        rlab_components_clear(&c);
        c = pc;
    }
    if (rc == RLAB_OK)
        rc = rlab_key_from_components(dst, &c, out);
    rlab_components_clear(&c);
    return rc;
}

/* The key folder (tests/keydir.h): the eight cross.A-* tests share A's
 * keys, and valgrind rarely has to watch a key being generated. */
static int key_load(struct key_entry *e)
{
    int rc = tk_dir_load(e->be, e->bits, e->slot, &e->key);
    if (rc != RLAB_OK)
        return rc;
    e->rc = RLAB_OK;
    printf("key %s %u #%d from the key folder\n", e->be->name, e->bits, e->slot);
    fflush(stdout);
    return RLAB_OK;
}

static void key_save(const struct key_entry *e)
{
    tk_dir_save(e->be, e->bits, e->slot, e->key);
}

/* Generate (or import from a generating backend) the key of entry e. */
static void key_make(struct key_entry *e)
{
    if (e->origin != e->be) {
        rlab_key *k = tu_key(e->origin, e->bits, e->slot);
        if (k == NULL) {
            e->rc = RLAB_ERR_KEYGEN;
            snprintf(e->err, sizeof e->err, "no %u-bit key from %s", e->bits, e->origin->name);
            return;
        }
        e->rc = tu_key_copy(e->be, k, 0, &e->key);
        if (e->rc != RLAB_OK)
            snprintf(e->err, sizeof e->err, "importing a %u-bit %s key into %s: got %s (%s)",
                     e->bits, e->origin->name, e->be->name, rlab_errname(e->rc),
                     rlab_error_detail());
        return;
    }
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = e->bits};
    const char *why = rlab_backend_check(e->be, &q);
    if (why == NULL && key_load(e) == RLAB_OK)
        return;
    if (why == NULL) {
        double t0 = now();
        e->rc = rlab_keygen(e->be, e->bits, 65537, NULL, &e->key);
        if (e->rc != RLAB_OK) {
            snprintf(e->err, sizeof e->err, "keygen %s %u bits (key #%d): got %s (%s)",
                     e->be->name, e->bits, e->slot, rlab_errname(e->rc),
                     rlab_error_detail());
            return;
        }
        printf("key %s %u #%d generated in %.2f s\n", e->be->name, e->bits, e->slot,
               now() - t0);
        fflush(stdout);
        key_save(e);
        return;
    }
    /* No keygen here: borrow a key from the first backend that has one,
     * if this backend can take a key in at all. */
    struct rlab_op_query qi = {.op = RLAB_OP_IMPORT}, qf = {.op = RLAB_OP_FROM_COMPONENTS};
    if (rlab_backend_check(e->be, &qi) != NULL && rlab_backend_check(e->be, &qf) != NULL) {
        e->rc = RLAB_ERR_UNSUPPORTED;
        e->skip = why; /* no keygen, no import, no components: no key at all */
        return;
    }
    for (size_t i = 0; i < rlab_backend_count(); i++) {
        const struct rlab_backend *src = rlab_backend_at(i);
        if (src == e->be || rlab_backend_check(src, &q) != NULL)
            continue;
        rlab_key *k = tu_key(src, e->bits, e->slot);
        if (k == NULL) {
            e->rc = RLAB_ERR_KEYGEN;
            snprintf(e->err, sizeof e->err, "no key from %s for %s", src->name,
                     e->be->name);
            return;
        }
        e->rc = tu_key_copy(e->be, k, 0, &e->key);
        if (e->rc != RLAB_OK)
            snprintf(e->err, sizeof e->err, "importing a %u-bit %s key into %s: got %s (%s)",
                     e->bits, src->name, e->be->name, rlab_errname(e->rc),
                     rlab_error_detail());
        return;
    }
    e->rc = RLAB_ERR_UNSUPPORTED;
    e->skip = why;
}

static struct key_entry *key_entry(const struct rlab_backend *be,
                                   const struct rlab_backend *origin, unsigned bits, int slot)
{
    for (size_t i = 0; i < n_keys; i++)
        if (keys[i].be == be && keys[i].origin == origin && keys[i].bits == bits &&
            keys[i].slot == slot)
            return &keys[i];
    ck_assert_msg(n_keys < TU_MAX_KEYS, "key cache full");
    struct key_entry *e = &keys[n_keys++];
    memset(e, 0, sizeof *e);
    e->be = be;
    e->origin = origin;
    e->bits = bits;
    e->slot = slot;
    key_make(e);
    return e;
}

/* Report a missing key on the current case. */
static rlab_key *key_missing(const struct key_entry *e)
{
    if (e->skip != NULL)
        tu_skip("no key: %s", e->skip);
    else
        TU_CHECK(0, "%s", e->err);
    return NULL;
}

rlab_key *tu_key(const struct rlab_backend *be, unsigned bits, int slot)
{
    struct key_entry *e = key_entry(be, be, bits, slot);
    return e->rc == RLAB_OK ? e->key : key_missing(e);
}

rlab_key *tu_key_from(const struct rlab_backend *dst, const struct rlab_backend *origin,
                      unsigned bits, int slot)
{
    struct key_entry *e = key_entry(dst, origin, bits, slot);
    return e->rc == RLAB_OK ? e->key : key_missing(e);
}

rlab_key *tu_pubkey(const struct rlab_backend *be, unsigned bits, int slot)
{
    struct key_entry *e = key_entry(be, be, bits, slot);
    if (e->rc != RLAB_OK)
        return key_missing(e);
    if (e->pub == NULL) {
        int rc = tu_key_copy(be, e->key, 1, &e->pub);
        if (rc != RLAB_OK) {
            TU_CHECK(0, "making the public half of a %u-bit %s key: got %s (%s)", bits,
                     be->name, rlab_errname(rc), rlab_error_detail());
            return NULL;
        }
    }
    return e->pub;
}

void tu_keys_free(void)
{
    for (size_t i = 0; i < n_keys; i++) {
        rlab_key_free(keys[i].pub);
        rlab_key_free(keys[i].key);
    }
    n_keys = 0;
}

