/* see frame.h */
#include "core/frame.h"

#include <string.h>

#include "base/ct.h"
#include "base/errors.h"

size_t rlab_frame_limit(uint8_t type)
{
    switch (type) {
    case RLAB_FRAME_CLIENT_HELLO:
    case RLAB_FRAME_SERVER_HELLO:
    case RLAB_FRAME_CLIENT_KEY: return RLAB_FRAME_HELLO_MAX;
    case RLAB_FRAME_FINISHED: return 32;
    case RLAB_FRAME_MSG_START: return 8 + 56;
    case RLAB_FRAME_CHUNK: return RLAB_FRAME_MAX;
    case RLAB_FRAME_ALERT: return 2;
    default: return 0;
    }
}

void rlab_frame_header(uint8_t hdr[RLAB_FRAME_HDR], uint8_t type, size_t len)
{
    hdr[0] = type;
    hdr[1] = (uint8_t)(len >> 16);
    hdr[2] = (uint8_t)(len >> 8);
    hdr[3] = (uint8_t)len;
}

void rlab_frame_reader_init(struct rlab_frame_reader *r)
{
    r->have = 0;
    r->need = RLAB_FRAME_HDR;
    r->in_body = 0;
    r->failed = 0;
}

int rlab_frame_reader_partial(const struct rlab_frame_reader *r)
{
    return r->have > 0;
}

void rlab_frame_reader_clear(struct rlab_frame_reader *r)
{
    rlab_wipe(r->buf, sizeof r->buf);
    rlab_frame_reader_init(r);
}

int rlab_frame_reader_feed(struct rlab_frame_reader *r, const uint8_t *p,
                           size_t len, size_t *used, uint8_t *type,
                           const uint8_t **body, size_t *body_len)
{
    *used = 0;
    if (r->failed)
        return -RLAB_ERR_PARSE;
    /* A whole frame already in p is handed back where it lies: no copy. */
    if (r->have == 0 && len >= RLAB_FRAME_HDR) {
        size_t blen = (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
        size_t lim = rlab_frame_limit(p[0]);
        if (lim != 0 && blen <= lim && len - RLAB_FRAME_HDR >= blen) {
            *type = p[0];
            *body = p + RLAB_FRAME_HDR;
            *body_len = blen;
            *used = RLAB_FRAME_HDR + blen;
            return 1;
        }
    }
    for (;;) {
        size_t take = r->need - r->have;
        if (take > len - *used)
            take = len - *used;
        memcpy(r->buf + r->have, p + *used, take);
        r->have += take;
        *used += take;
        if (r->have < r->need)
            return 0;
        if (!r->in_body) {
            size_t blen = (size_t)r->buf[1] << 16 | (size_t)r->buf[2] << 8 | r->buf[3];
            size_t lim = rlab_frame_limit(r->buf[0]);
            if (lim == 0 || blen > lim) {
                r->failed = 1;
                return lim == 0 ? -rlab_error_set(RLAB_ERR_PARSE, "unknown frame type 0x%02x",
                                                  r->buf[0])
                                : -rlab_error_set(RLAB_ERR_PARSE,
                                                 "frame of type 0x%02x says %zu bytes, "
                                                 "over its limit of %zu",
                                                 r->buf[0], blen, lim);
            }
            r->in_body = 1;
            r->need = RLAB_FRAME_HDR + blen;
            if (blen > 0)
                continue;
        }
        *type = r->buf[0];
        *body = r->buf + RLAB_FRAME_HDR;
        *body_len = r->need - RLAB_FRAME_HDR;
        /* Next call starts a new frame. */
        r->have = 0;
        r->need = RLAB_FRAME_HDR;
        r->in_body = 0;
        return 1;
    }
}

/* ---- cursors ------------------------------------------------------------ */

int rlab_rd_bytes(struct rlab_rd *r, size_t n, const uint8_t **out)
{
    if (r->bad || n > r->left) {
        r->bad = 1;
        *out = NULL;
        return 0;
    }
    *out = r->p;
    r->p += n;
    r->left -= n;
    return 1;
}

int rlab_rd_u8(struct rlab_rd *r, uint8_t *v)
{
    const uint8_t *b;
    if (!rlab_rd_bytes(r, 1, &b)) {
        *v = 0;
        return 0;
    }
    *v = b[0];
    return 1;
}

int rlab_rd_u16(struct rlab_rd *r, uint16_t *v)
{
    const uint8_t *b;
    if (!rlab_rd_bytes(r, 2, &b)) {
        *v = 0;
        return 0;
    }
    *v = (uint16_t)(b[0] << 8 | b[1]);
    return 1;
}

int rlab_rd_u64(struct rlab_rd *r, uint64_t *v)
{
    const uint8_t *b;
    *v = 0;
    if (!rlab_rd_bytes(r, 8, &b))
        return 0;
    for (int i = 0; i < 8; i++)
        *v = *v << 8 | b[i];
    return 1;
}

int rlab_rd_vec16(struct rlab_rd *r, const uint8_t **out, size_t *len)
{
    uint16_t n;
    *len = 0;
    if (!rlab_rd_u16(r, &n) || !rlab_rd_bytes(r, n, out))
        return 0;
    *len = n;
    return 1;
}

int rlab_rd_done(const struct rlab_rd *r)
{
    return !r->bad && r->left == 0;
}

void rlab_wr_bytes(struct rlab_wr *w, const void *p, size_t n)
{
    if (w->bad || n > w->cap - w->len) {
        w->bad = 1;
        return;
    }
    if (n > 0)
        memcpy(w->p + w->len, p, n);
    w->len += n;
}

void rlab_wr_u8(struct rlab_wr *w, uint8_t v)
{
    rlab_wr_bytes(w, &v, 1);
}

void rlab_wr_u16(struct rlab_wr *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    rlab_wr_bytes(w, b, 2);
}

void rlab_wr_u64(struct rlab_wr *w, uint64_t v)
{
    uint8_t b[8];
    for (int i = 7; i >= 0; i--, v >>= 8)
        b[i] = (uint8_t)v;
    rlab_wr_bytes(w, b, 8);
}

void rlab_wr_vec16(struct rlab_wr *w, const void *p, size_t n)
{
    if (n > 0xffff) {
        w->bad = 1;
        return;
    }
    rlab_wr_u16(w, (uint16_t)n);
    rlab_wr_bytes(w, p, n);
}
