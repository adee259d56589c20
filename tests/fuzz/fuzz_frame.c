/*
 * Fuzz target: the rsalab/1 frame reader (core/frame.c), fed the input in
 * pieces whose sizes come from the input itself.  Meaning, not only
 * crashes: every frame handed out is within its type's limit, and the
 * frames handed out, re-encoded, are exactly the bytes consumed; after an
 * error the reader stays failed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rlab_frame_reader r;
    static uint8_t again[RLAB_FRAME_HDR + RLAB_FRAME_MAX];
    if (size < 1)
        return 0;
    size_t step = (size_t)data[0] % 97 + 1; /* piece size */
    data++;
    size--;
    rlab_frame_reader_init(&r);
    size_t at = 0, reencoded = 0, frames = 0;
    int failed = 0;
    while (at < size && !failed) {
        size_t piece = size - at < step ? size - at : step;
        size_t off = 0;
        while (off < piece) {
            uint8_t type;
            const uint8_t *body;
            size_t blen, used;
            int rc = rlab_frame_reader_feed(&r, data + at + off, piece - off, &used, &type,
                                            &body, &blen);
            off += used;
            if (rc < 0) {
                failed = 1;
                /* sticky */
                if (rlab_frame_reader_feed(&r, data, size, &used, &type, &body, &blen) >= 0 ||
                    used != 0)
                    abort();
                break;
            }
            if (rc == 1) {
                if (blen > rlab_frame_limit(type) || rlab_frame_limit(type) == 0)
                    abort();
                rlab_frame_header(again, type, blen);
                memcpy(again + RLAB_FRAME_HDR, body, blen);
                if (memcmp(again, data + reencoded, RLAB_FRAME_HDR + blen) != 0)
                    abort();
                reencoded += RLAB_FRAME_HDR + blen;
                frames++;
            }
            if (rc == 0 && used == 0)
                abort(); /* no progress without a frame */
        }
        at += piece;
    }
    /* Without an error, everything not handed out is a partial frame. */
    if (!failed && (size - reencoded > 0) != (rlab_frame_reader_partial(&r) != 0))
        abort();
    (void)frames;
    return 0;
}
