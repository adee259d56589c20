/*
 * Plumbing of the nettle backend: randomness as nettle wants it, the wiping
 * allocator for GMP, key lookup and the hash table.  Contracts in
 * ntl_internal.h.
 *
 * nettle has no generator of its own that it trusts by default (yarrow256
 * needs seeding and reseeding by the caller), and every function that needs
 * randomness takes a (ctx, nettle_random_func) pair instead.  That is what
 * makes RLAB_CAP_RNG_REPLAY possible here: padding randomness goes through
 * the caller's rlab_rng, blinding always through getrandom(2).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <gmp.h>

#include "backends/nettle/ntl_internal.h"
#include "base/ct.h"

static int ntl_getrandom(uint8_t *out, size_t len)
{
    while (len > 0) {
        ssize_t n = getrandom(out, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return RLAB_ERR_RNG;
        }
        out += n;
        len -= (size_t)n;
    }
    return RLAB_OK;
}

/* see ntl_internal.h */
int rlab_ntl_fill(const struct rlab_rng *rng, uint8_t *out, size_t len)
{
    if (len == 0)
        return RLAB_OK;
    if (rng != NULL && rng->fill != NULL)
        return rng->fill(rng->ctx, out, len) == RLAB_OK ? RLAB_OK : RLAB_ERR_RNG;
    return ntl_getrandom(out, len);
}

/* see ntl_internal.h */
void rlab_ntl_random(void *ctx, size_t len, uint8_t *dst)
{
    struct ntl_rng *r = ctx;
    if (rlab_ntl_fill(r != NULL ? r->rng : NULL, dst, len) != RLAB_OK) {
        if (r != NULL)
            r->failed = 1;
        memset(dst, 0xff, len);
    }
}

/* ---- the wiping allocator ---------------------------------------------------- */

/*
 * mpz_t values hold d, p, q and the CRT values, and nettle's own scratch
 * (TMP_GMP_ALLOC) comes from GMP's allocator too.  GMP passes the block size
 * to free and realloc, so every block is wiped before it goes back; realloc
 * never lets the C library move a secret and leave the old copy behind.
 * Process-wide and idempotent in effect: the gmp backend installs the same
 * kind of functions, and either set only adds wiping to malloc/free.
 */
static void *ntl_alloc(size_t size)
{
    return malloc(size != 0 ? size : 1);
}

static void *ntl_realloc(void *old, size_t old_size, size_t new_size)
{
    void *p = malloc(new_size != 0 ? new_size : 1);
    if (p != NULL && old != NULL) {
        memcpy(p, old, old_size < new_size ? old_size : new_size);
        rlab_free_secret(old, old_size);
    }
    return p;
}

static void ntl_free(void *p, size_t size)
{
    rlab_free_secret(p, size);
}

static void ntl_mem_set(void)
{
    mp_set_memory_functions(ntl_alloc, ntl_realloc, ntl_free);
}

/* see ntl_internal.h */
void rlab_ntl_mem_install(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ntl_mem_set);
}

/* ---- keys and hashes ----------------------------------------------------------- */

/* see ntl_internal.h */
const struct ntl_key *rlab_ntl_key(const rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_nettle)
        return NULL;
    return (const struct ntl_key *)k;
}

/* see ntl_internal.h */
const struct nettle_hash *rlab_ntl_hash(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return &nettle_sha1;
    case RLAB_HASH_SHA224: return &nettle_sha224;
    case RLAB_HASH_SHA256: return &nettle_sha256;
    case RLAB_HASH_SHA384: return &nettle_sha384;
    case RLAB_HASH_SHA512: return &nettle_sha512;
    case RLAB_HASH_SHA512_224: return &nettle_sha512_224;
    case RLAB_HASH_SHA512_256: return &nettle_sha512_256;
    default: return NULL;
    }
}
