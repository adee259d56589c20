/*
 * The push decoder for unframed chunked-encryption ciphertext: gathers the
 * header, then one chunk at a time, over struct rlab_stream.  see stream.h
 *
 * Why the final chunk waits for finish(): a chunk shorter than 16400 bytes
 * is the final one, but a piece of input that ends short of 16400 bytes
 * may just be followed by more.  Only the end of input settles it.  A
 * full-length chunk, on the other hand, can never be final, so it is opened
 * and released as soon as its last byte is in.
 */
#include "core/stream.h"

#include <string.h>

#include "backends/ops.h"
#include "base/ct.h"

enum {
    R_CLEARED = 0,
    R_HEADER, /* gathering the 56-byte header */
    R_CHUNKS, /* gathering chunks */
    R_DONE,   /* the final chunk opened */
    R_FAILED, /* sticky: r->err */
};

static int rfail(struct rlab_stream_reader *r, int rc)
{
    rlab_stream_clear(&r->s);
    rlab_wipe(r->key, sizeof r->key);
    rlab_wipe(r->buf, sizeof r->buf);
    r->ctx = NULL;
    r->have = 0;
    r->state = R_FAILED;
    r->err = rc;
    return rc;
}

/* see stream.h */
int rlab_stream_reader_init(struct rlab_stream_reader *r,
                            const struct rlab_backend *aead_be,
                            const struct rlab_backend *hash_be, const uint8_t *key,
                            size_t key_len, const uint8_t *ctx, size_t ctx_len)
{
    if (r == NULL)
        return RLAB_ERR_INVALID_ARG;
    memset(r, 0, sizeof *r);
    if (aead_be == NULL || key == NULL || (ctx == NULL && ctx_len > 0))
        return rfail(r, RLAB_ERR_INVALID_ARG);
    /* Refuse what open_init would refuse now, not 56 bytes later. */
    if (key_len != 16 && key_len != 32)
        return rfail(r, rlab_error_set(RLAB_ERR_INVALID_ARG,
                                       "a stream key is 16 or 32 bytes, not %zu", key_len));
    struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = key_len,
                              .aead_iv_len = RLAB_STREAM_NONCE,
                              .aead_tag_len = RLAB_STREAM_TAG};
    const char *why = rlab_backend_check(aead_be, &q);
    if (why != NULL)
        return rfail(r, rlab_error_set(RLAB_ERR_UNSUPPORTED, "%s: %s", aead_be->name, why));
    r->aead_be = aead_be;
    r->hash_be = hash_be;
    memcpy(r->key, key, key_len);
    r->key_len = key_len;
    r->ctx = ctx;
    r->ctx_len = ctx_len;
    r->state = R_HEADER;
    return RLAB_OK;
}

/* The header is complete: check it and forget the key. */
static int header_in(struct rlab_stream_reader *r)
{
    int rc = rlab_stream_open_init(&r->s, r->aead_be, r->hash_be, r->key, r->key_len,
                                   r->ctx, r->ctx_len, r->buf);
    rlab_wipe(r->key, sizeof r->key);
    r->ctx = NULL;
    r->have = 0;
    if (rc != RLAB_OK)
        return rfail(r, rc);
    r->state = R_CHUNKS;
    return RLAB_OK;
}

/* see stream.h */
int rlab_stream_reader_feed(struct rlab_stream_reader *r, const uint8_t *in,
                            size_t in_len, size_t *consumed, uint8_t *out,
                            size_t *outlen)
{
    if (r == NULL || consumed == NULL || outlen == NULL)
        return RLAB_ERR_INVALID_ARG;
    size_t cap = *outlen;
    *outlen = 0;
    *consumed = 0;
    if (r->state == R_FAILED)
        return r->err;
    if (in == NULL && in_len > 0)
        return rfail(r, RLAB_ERR_INVALID_ARG);
    if (r->state == R_DONE)
        return in_len == 0 ? RLAB_OK
                           : rfail(r, rlab_error_set(RLAB_ERR_TRAILING,
                                                     "%zu bytes after the final chunk", in_len));
    if (r->state != R_HEADER && r->state != R_CHUNKS)
        return rfail(r, RLAB_ERR_INVALID_ARG);
    if (out == NULL || cap < RLAB_STREAM_CHUNK)
        return rfail(r, RLAB_ERR_BUFFER_TOO_SMALL);

    size_t used = 0;
    while (used < in_len) {
        size_t want = (r->state == R_HEADER ? RLAB_STREAM_HEADER : RLAB_STREAM_MAX_CT_CHUNK) -
                      r->have;
        size_t n = in_len - used < want ? in_len - used : want;
        memcpy(r->buf + r->have, in + used, n);
        r->have += n;
        used += n;
        if (r->state == R_HEADER) {
            if (r->have == RLAB_STREAM_HEADER) {
                int rc = header_in(r);
                if (rc != RLAB_OK)
                    return rc;
            }
            continue;
        }
        if (r->have == RLAB_STREAM_MAX_CT_CHUNK) {
            int final;
            size_t n_out = cap;
            int rc = rlab_stream_open_chunk(&r->s, r->buf, r->have, &final, out, &n_out);
            r->have = 0;
            if (rc != RLAB_OK)
                return rfail(r, rc);
            *consumed = used;
            *outlen = n_out;
            return RLAB_OK; /* one chunk per call: out holds only one */
        }
    }
    *consumed = used;
    return RLAB_OK;
}

/* see stream.h */
int rlab_stream_reader_finish(struct rlab_stream_reader *r, uint8_t *out, size_t *outlen)
{
    if (r == NULL || outlen == NULL)
        return RLAB_ERR_INVALID_ARG;
    size_t cap = *outlen;
    *outlen = 0;
    if (r->state == R_FAILED)
        return r->err;
    if (r->state == R_DONE)
        return RLAB_OK;
    if (r->state == R_HEADER)
        return rfail(r, rlab_error_set(RLAB_ERR_TRUNCATED,
                                       "input ended inside the stream header (%zu of 56 bytes)",
                                       r->have));
    if (r->state != R_CHUNKS)
        return rfail(r, RLAB_ERR_INVALID_ARG);
    if (out == NULL || cap < RLAB_STREAM_CHUNK)
        return rfail(r, RLAB_ERR_BUFFER_TOO_SMALL);
    if (r->have < RLAB_STREAM_TAG)
        return rfail(r, rlab_error_set(RLAB_ERR_TRUNCATED,
                                       "input ended %s",
                                       r->have == 0 ? "at a chunk boundary, without a final "
                                                      "chunk"
                                                    : "with fewer bytes than a tag"));
    int final;
    size_t n_out = cap;
    int rc = rlab_stream_open_chunk(&r->s, r->buf, r->have, &final, out, &n_out);
    r->have = 0;
    if (rc != RLAB_OK)
        return rfail(r, rc);
    /* have < 16400, so open_chunk took it as the final chunk. */
    rlab_wipe(r->buf, sizeof r->buf);
    rlab_stream_clear(&r->s);
    r->state = R_DONE;
    *outlen = n_out;
    return RLAB_OK;
}

/* see stream.h */
void rlab_stream_reader_clear(struct rlab_stream_reader *r)
{
    if (r == NULL)
        return;
    rlab_stream_clear(&r->s);
    rlab_wipe(r, sizeof *r);
}
