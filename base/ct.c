/* see ct.h */
#include "base/ct.h"

#include <stdlib.h>
#include <string.h>

/*
 * A volatile function pointer keeps the compiler from proving the store dead:
 * explicit_bzero where libc has it is the same trick inside libc.
 */
static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;

void rlab_wipe(void *p, size_t len)
{
    if (p != NULL && len > 0)
        wipe_memset(p, 0, len);
}

void rlab_free_secret(void *p, size_t len)
{
    if (p == NULL)
        return;
    rlab_wipe(p, len);
    free(p);
}

int rlab_ct_equal(const void *a, const void *b, size_t len)
{
    const volatile uint8_t *x = a;
    const volatile uint8_t *y = b;
    uint32_t acc = 0;
    for (size_t i = 0; i < len; i++)
        acc |= (uint32_t)(x[i] ^ y[i]);
    return (int)(rlab_ct_is_zero32(acc) & 1u);
}

void rlab_ct_copy_if(uint32_t mask, uint8_t *dst, const uint8_t *src, size_t len)
{
    uint8_t m = (uint8_t)(mask & 0xff);
    for (size_t i = 0; i < len; i++)
        dst[i] = (uint8_t)((src[i] & m) | (dst[i] & (uint8_t)~m));
}
