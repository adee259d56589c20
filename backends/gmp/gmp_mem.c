/*
 * Memory for the gmp backend: GMP's allocator replaced by one that wipes,
 * and wiped limb buffers of our own.
 *
 * GMP hands its free and realloc functions the size of the block, so a
 * block is wiped in full before it goes back to malloc.  realloc never lets
 * the C library move a block behind our back (that would leave a stale copy
 * of a secret in freed memory): it allocates, copies and wipes the old block
 * itself.  The functions are process-wide (mp_set_memory_functions); they
 * only add wiping to malloc/free, so memory GMP obtained before they were
 * installed is still released correctly.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_internal.h"

/* GMP's allocation functions may not fail (it aborts on NULL itself). */
static void *gmp_alloc(size_t size)
{
    return malloc(size != 0 ? size : 1);
}

static void *gmp_realloc(void *old, size_t old_size, size_t new_size)
{
    void *p = malloc(new_size != 0 ? new_size : 1);
    if (p == NULL)
        return NULL;
    if (old != NULL) {
        memcpy(p, old, old_size < new_size ? old_size : new_size);
        rlab_free_secret(old, old_size);
    }
    return p;
}

static void gmp_free(void *p, size_t size)
{
    rlab_free_secret(p, size);
}

static pthread_once_t gmp_mem_once = PTHREAD_ONCE_INIT;

static void gmp_mem_set(void)
{
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}

/* see gmp_internal.h */
void rlab_gmp_mem_install(void)
{
    pthread_once(&gmp_mem_once, gmp_mem_set);
}

/* see gmp_internal.h */
mp_limb_t *rlab_gmp_limbs_alloc(size_t n)
{
    if (n == 0 || n > SIZE_MAX / sizeof(mp_limb_t))
        return NULL;
    return calloc(n, sizeof(mp_limb_t));
}

/* see gmp_internal.h */
void rlab_gmp_limbs_free(mp_limb_t *p, size_t n)
{
    rlab_free_secret(p, n * sizeof(mp_limb_t));
}
