/*
 * The plumbing every other file of the Botan backend uses: the system
 * generator, the caller's generator as a custom botan_rng_t, key lookup,
 * algorithm names, error detail.  See bt_internal.h for the contracts.
 */
#include <stdint.h>

#include "backends/botan/bt_internal.h"

static botan_rng_t bt_system;

/* see bt_internal.h */
int rlab_bt_init(void)
{
    if (bt_system != NULL)
        return RLAB_OK;
    int rc = botan_rng_init(&bt_system, "system");
    if (rc != BOTAN_FFI_SUCCESS) {
        bt_system = NULL;
        return rlab_bt_fail(RLAB_ERR_RNG, "botan_rng_init(system)", rc);
    }
    return RLAB_OK;
}

/* see bt_internal.h */
void rlab_bt_cleanup(void)
{
    if (bt_system != NULL)
        botan_rng_destroy(bt_system);
    bt_system = NULL;
}

/* see bt_internal.h */
botan_rng_t rlab_bt_system_rng(void)
{
    return bt_system;
}

/* Botan's get callback: 0 on success.  A failure is remembered so that the
 * slot reports RLAB_ERR_RNG rather than Botan's generic error. */
static int bt_caller_get(void *ctx, uint8_t *out, size_t len)
{
    struct bt_rng *g = ctx;
    if (len == 0)
        return 0;
    if (g->caller->fill(g->caller->ctx, out, len) != RLAB_OK) {
        g->failed = 1;
        return -1;
    }
    return 0;
}

/* see bt_internal.h */
int rlab_bt_rng_begin(struct bt_rng *g, const struct rlab_rng *rng)
{
    g->rng = bt_system;
    g->caller = NULL;
    g->failed = 0;
    g->own = 0;
    if (rng == NULL || rng->fill == NULL)
        return bt_system != NULL ? RLAB_OK : RLAB_ERR_RNG;
    g->caller = rng;
    int rc = botan_rng_init_custom(&g->rng, "rsalab-caller", g, bt_caller_get, NULL, NULL);
    if (rc != BOTAN_FFI_SUCCESS) {
        g->rng = NULL;
        return rlab_bt_fail(RLAB_ERR_RNG, "botan_rng_init_custom", rc);
    }
    g->own = 1;
    return RLAB_OK;
}

/* see bt_internal.h */
void rlab_bt_rng_end(struct bt_rng *g)
{
    if (g->own && g->rng != NULL)
        botan_rng_destroy(g->rng);
    g->rng = NULL;
    g->own = 0;
}

/* see bt_internal.h */
struct bt_key *rlab_bt_key(const rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_botan)
        return NULL;
    /* Allocated non-const by bt_key.c. */
    return (struct bt_key *)(uintptr_t)k;
}

/* see bt_internal.h */
const char *rlab_bt_hash_name(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return "SHA-1";
    case RLAB_HASH_SHA224: return "SHA-224";
    case RLAB_HASH_SHA256: return "SHA-256";
    case RLAB_HASH_SHA384: return "SHA-384";
    case RLAB_HASH_SHA512: return "SHA-512";
    case RLAB_HASH_SHA512_256: return "SHA-512-256";
    default: return NULL; /* Botan 2 has no SHA-512/224 */
    }
}

/* see bt_internal.h */
int rlab_bt_fail(int err, const char *what, int botan_rc)
{
    return rlab_error_set(err, "%s: %s (%d)", what, botan_error_description(botan_rc),
                          botan_rc);
}
