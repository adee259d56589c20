/*
 * The plumbing every other file of the libtomcrypt backend uses: descriptor
 * registration, the two generators, key lookup, hash mapping, error detail.
 * See ltc_internal.h for the contracts.
 */
#include <stdint.h>
#include <string.h>

#include "backends/libtomcrypt/ltc_internal.h"

/* ---- the caller's generator as a prng descriptor ------------------------- */

/* The generator of the library call running on this thread (see struct
 * ltc_rng); NULL outside rlab_ltc_rng_begin/end. */
static _Thread_local struct {
    const struct rlab_rng *rng;
    struct ltc_rng *g;
} ltc_current;

static int ltc_caller_start(prng_state *prng)
{
    (void)prng;
    return CRYPT_OK;
}

static int ltc_caller_add_entropy(const unsigned char *in, unsigned long inlen,
                                  prng_state *prng)
{
    (void)in;
    (void)inlen;
    (void)prng;
    return CRYPT_OK;
}

static int ltc_caller_ready(prng_state *prng)
{
    (void)prng;
    return CRYPT_OK;
}

/* Short reads tell libtomcrypt the generator failed (CRYPT_ERROR_READPRNG). */
static unsigned long ltc_caller_read(unsigned char *out, unsigned long outlen,
                                     prng_state *prng)
{
    (void)prng;
    if (ltc_current.rng == NULL)
        return 0;
    if (outlen == 0)
        return 0;
    if (ltc_current.rng->fill(ltc_current.rng->ctx, out, outlen) != RLAB_OK) {
        ltc_current.g->failed = 1;
        return 0;
    }
    return outlen;
}

static int ltc_caller_done(prng_state *prng)
{
    (void)prng;
    return CRYPT_OK;
}

static int ltc_caller_export(unsigned char *out, unsigned long *outlen, prng_state *prng)
{
    (void)out;
    (void)outlen;
    (void)prng;
    return CRYPT_NOP;
}

static int ltc_caller_import(const unsigned char *in, unsigned long inlen,
                             prng_state *prng)
{
    (void)in;
    (void)inlen;
    (void)prng;
    return CRYPT_NOP;
}

static int ltc_caller_test(void)
{
    return CRYPT_NOP;
}

static const struct ltc_prng_descriptor ltc_caller_desc = {
    .name = "rsalab-caller",
    .export_size = 0,
    .start = ltc_caller_start,
    .add_entropy = ltc_caller_add_entropy,
    .ready = ltc_caller_ready,
    .read = ltc_caller_read,
    .done = ltc_caller_done,
    .pexport = ltc_caller_export,
    .pimport = ltc_caller_import,
    .test = ltc_caller_test,
};

static int ltc_sprng_idx = -1, ltc_caller_idx = -1;
static int ltc_hash_index[RLAB_HASH_COUNT];

/* ---- set-up ------------------------------------------------------------- */

static const struct ltc_hash_descriptor *ltc_hash_desc(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return &sha1_desc;
    case RLAB_HASH_SHA224: return &sha224_desc;
    case RLAB_HASH_SHA256: return &sha256_desc;
    case RLAB_HASH_SHA384: return &sha384_desc;
    case RLAB_HASH_SHA512: return &sha512_desc;
    case RLAB_HASH_SHA512_224: return &sha512_224_desc;
    case RLAB_HASH_SHA512_256: return &sha512_256_desc;
    default: return NULL;
    }
}

/* see ltc_internal.h */
int rlab_ltc_init(void)
{
    static int done;
    if (done)
        return RLAB_OK;
    /* The math provider: every rsa_* call goes through ltc_mp. */
    ltc_mp = ltm_desc;
    for (rlab_hash h = RLAB_HASH_SHA1; h < RLAB_HASH_COUNT; h++) {
        if (ltc_hash_desc(h) == NULL) { /* SHA-3 and SHAKE: not wired here */
            ltc_hash_index[h] = -1;
            continue;
        }
        int idx = register_hash(ltc_hash_desc(h));
        if (idx < 0)
            return rlab_error_set(RLAB_ERR_BACKEND, "register_hash(%s) failed",
                                  rlab_hash_name(h));
        ltc_hash_index[h] = idx;
    }
    ltc_sprng_idx = register_prng(&sprng_desc);
    ltc_caller_idx = register_prng(&ltc_caller_desc);
    if (ltc_sprng_idx < 0 || ltc_caller_idx < 0)
        return rlab_error_set(RLAB_ERR_BACKEND, "register_prng failed");
    done = 1;
    return RLAB_OK;
}

/* ---- per-call generators -------------------------------------------------- */

/* see ltc_internal.h */
void rlab_ltc_rng_begin(struct ltc_rng *g, const struct rlab_rng *rng)
{
    memset(&g->state, 0, sizeof g->state);
    g->failed = 0;
    if (rng != NULL && rng->fill != NULL) {
        g->idx = ltc_caller_idx;
        ltc_current.rng = rng;
        ltc_current.g = g;
    } else {
        /* sprng keeps no state: start only checks the source is there. */
        g->idx = ltc_sprng_idx;
        sprng_desc.start(&g->state);
    }
}

/* see ltc_internal.h */
void rlab_ltc_rng_end(struct ltc_rng *g)
{
    if (g->idx == ltc_caller_idx) {
        ltc_current.rng = NULL;
        ltc_current.g = NULL;
    }
    zeromem(&g->state, sizeof g->state);
}

/* ---- small helpers ------------------------------------------------------ */

/* see ltc_internal.h */
struct ltc_key *rlab_ltc_key(const rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_libtomcrypt)
        return NULL;
    /* Allocated non-const by ltc_key.c; the rsa_* functions take a
     * non-const rsa_key * although they only read it. */
    return (struct ltc_key *)(uintptr_t)k;
}

/* see ltc_internal.h */
int rlab_ltc_hash_idx(rlab_hash h)
{
    if ((unsigned)h >= RLAB_HASH_COUNT || h == RLAB_HASH_NONE)
        return -1;
    return ltc_hash_index[h];
}

/* see ltc_internal.h */
int rlab_ltc_fail(int err, const char *what, int ltc_err)
{
    return rlab_error_set(err, "%s: %s (%d)", what, error_to_string(ltc_err), ltc_err);
}
