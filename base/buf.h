/*
 * rlab_buf: a byte buffer owned by whoever holds the struct.
 *
 * Functions that produce output of a size the caller cannot know in advance
 * (key export, component export, file reads) fill a caller-provided
 * struct rlab_buf; the caller releases it with rlab_buf_clear(), which wipes
 * the bytes before freeing them, so it is safe for secrets.
 */
#ifndef RLAB_BUF_H
#define RLAB_BUF_H

#include <stddef.h>
#include <stdint.h>

struct rlab_buf {
    uint8_t *data;
    size_t len;
};

#define RLAB_BUF_INIT {NULL, 0}

/* Allocate len bytes (zeroed); returns RLAB_OK or RLAB_ERR_NOMEM. */
int rlab_buf_alloc(struct rlab_buf *b, size_t len);
/* Copy len bytes from p into a fresh allocation. */
int rlab_buf_set(struct rlab_buf *b, const void *p, size_t len);
/* Wipe and free; leaves {NULL, 0}.  NULL ok. */
void rlab_buf_clear(struct rlab_buf *b);

#endif
