/* see buf.h */
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "base/errors.h"

int rlab_buf_alloc(struct rlab_buf *b, size_t len)
{
    b->data = calloc(1, len ? len : 1);
    b->len = 0;
    if (b->data == NULL)
        return RLAB_ERR_NOMEM;
    b->len = len;
    return RLAB_OK;
}

int rlab_buf_set(struct rlab_buf *b, const void *p, size_t len)
{
    int rc = rlab_buf_alloc(b, len);
    if (rc == RLAB_OK && len > 0)
        memcpy(b->data, p, len);
    return rc;
}

void rlab_buf_clear(struct rlab_buf *b)
{
    if (b == NULL)
        return;
    rlab_free_secret(b->data, b->len);
    b->data = NULL;
    b->len = 0;
}
