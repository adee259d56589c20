/*
 * Randomness for the gmp backend: the caller's rng when given (replayed
 * seeds and salts in known-answer tests), else the kernel's getrandom(2).
 * See gmp_pad.h.
 */
#include <errno.h>
#include <sys/random.h>

#include "base/ct.h"
#include "backends/gmp/gmp_pad.h"

/* getrandom(2) returns at most 32 MiB per call and may return less when a
 * signal arrives, so keep asking until len bytes have come. */
static int gmp_getrandom(uint8_t *out, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(out + got, len - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return rlab_error_set(RLAB_ERR_RNG, "getrandom: errno %d", errno);
        }
        got += (size_t)n;
    }
    return RLAB_OK;
}

int rlab_gmp_random(const struct rlab_rng *rng, uint8_t *out, size_t len)
{
    if (len == 0)
        return RLAB_OK;
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    int rc;
    if (rng != NULL) {
        if (rng->fill == NULL)
            return RLAB_ERR_INVALID_ARG;
        rc = rng->fill(rng->ctx, out, len) == RLAB_OK ? RLAB_OK : RLAB_ERR_RNG;
    } else {
        rc = gmp_getrandom(out, len);
    }
    /* Never hand back half-filled buffers that a caller might still use. */
    if (rc != RLAB_OK)
        rlab_wipe(out, len);
    return rc;
}
