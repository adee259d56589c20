/*
 * Fuzz target: the message-stream decoder (core/stream.c, the push reader),
 * with a fixed key and context, on the openssl AEAD.  The input is a
 * ciphertext fed in pieces.  Meaning: whatever decodes completely must
 * re-encode, with the salt of its header, to exactly the input; a stream
 * that fails keeps failing, and releases nothing after the failure.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "core/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t ctx[] = "rsalab/1 fuzz";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rlab_stream_reader rd;
    static uint8_t pt[1 << 20], out[(1 << 20) + 4096], chunk[RLAB_STREAM_MAX_CT_CHUNK];
    const struct rlab_backend *be = rlab_backend_default_provider();
    if (be == NULL || size < 1 || size > (1 << 20))
        return 0;
    size_t step = (size_t)data[0] * 61 % 20000 + 1;
    data++;
    size--;
    if (rlab_stream_reader_init(&rd, be, be, key, sizeof key, ctx, sizeof ctx - 1) != RLAB_OK)
        abort();
    size_t got = 0, at = 0;
    int err = RLAB_OK;
    while (at < size && err == RLAB_OK) {
        size_t piece = size - at < step ? size - at : step, off = 0;
        while (off < piece && err == RLAB_OK) {
            size_t used = 0, n = sizeof pt - got;
            if (n < RLAB_STREAM_CHUNK)
                return rlab_stream_reader_clear(&rd), 0;
            err = rlab_stream_reader_feed(&rd, data + at + off, piece - off, &used, pt + got, &n);
            if (err != RLAB_OK && (n != 0 || used != 0))
                abort();
            got += n;
            off += used;
        }
        at += piece;
    }
    if (err == RLAB_OK) {
        size_t n = sizeof pt - got;
        if (n < RLAB_STREAM_CHUNK)
            return rlab_stream_reader_clear(&rd), 0;
        err = rlab_stream_reader_finish(&rd, pt + got, &n);
        if (err != RLAB_OK && n != 0)
            abort();
        got += n;
    }
    if (err != RLAB_OK) {
        /* Sticky: a further feed fails the same way and releases nothing. */
        size_t used = 0, n = RLAB_STREAM_CHUNK;
        if (rlab_stream_reader_feed(&rd, data, size, &used, pt, &n) != err || n != 0)
            abort();
        rlab_stream_reader_clear(&rd);
        return 0;
    }
    rlab_stream_reader_clear(&rd);
    /* Decoded completely: re-encode with the same salt. */
    struct rlab_stream s;
    uint8_t hdr[RLAB_STREAM_HEADER];
    if (size < RLAB_STREAM_HEADER ||
        rlab_stream_seal_init_salt(&s, be, be, key, sizeof key, ctx, sizeof ctx - 1, data,
                                   hdr) != RLAB_OK)
        abort();
    memcpy(out, hdr, sizeof hdr);
    size_t olen = sizeof hdr, off = 0;
    for (;;) {
        size_t len = got - off >= RLAB_STREAM_CHUNK ? RLAB_STREAM_CHUNK : got - off;
        int final = len < RLAB_STREAM_CHUNK;
        size_t n = sizeof chunk;
        if (rlab_stream_seal_chunk(&s, pt + off, len, final, chunk, &n) != RLAB_OK ||
            olen + n > sizeof out)
            abort();
        memcpy(out + olen, chunk, n);
        olen += n;
        off += len;
        if (final)
            break;
    }
    rlab_stream_clear(&s);
    if (olen != size || memcmp(out, data, size) != 0)
        abort();
    return 0;
}
