/*
 * Wiping and constant-time helpers.
 *
 * All helpers here run in time that depends only on their length arguments,
 * never on the bytes they look at.  Masks are all-ones (~0) for true and 0
 * for false, so they can be combined with & and | without branches.
 */
#ifndef RLAB_CT_H
#define RLAB_CT_H

#include <stddef.h>
#include <stdint.h>

/* Overwrite len bytes at p with zeros; not removed by the optimiser. NULL ok. */
void rlab_wipe(void *p, size_t len);

/* Wipe then free(p).  NULL ok. */
void rlab_free_secret(void *p, size_t len);

/* 1 when a[0..len) == b[0..len), else 0; constant time in the contents. */
int rlab_ct_equal(const void *a, const void *b, size_t len);

/* Masks: ~0 when the condition holds, else 0. */
static inline uint32_t rlab_ct_is_zero32(uint32_t x)
{
    /* (x | -x) has its top bit set iff x != 0 */
    return (uint32_t)(((x | (0u - x)) >> 31) - 1u);
}
static inline uint32_t rlab_ct_eq32(uint32_t a, uint32_t b)
{
    return rlab_ct_is_zero32(a ^ b);
}
/* a < b for values below 2^31 */
static inline uint32_t rlab_ct_lt32(uint32_t a, uint32_t b)
{
    return 0u - ((a - b) >> 31);
}
static inline uint32_t rlab_ct_select32(uint32_t mask, uint32_t a, uint32_t b)
{
    return (a & mask) | (b & ~mask);
}
static inline size_t rlab_ct_select_size(uint32_t mask, size_t a, size_t b)
{
    size_t m = (size_t)0 - (size_t)(mask & 1u);
    return (a & m) | (b & ~m);
}

/* dst[i] = mask ? src[i] : dst[i] for i < len, constant time. */
void rlab_ct_copy_if(uint32_t mask, uint8_t *dst, const uint8_t *src, size_t len);

#endif
