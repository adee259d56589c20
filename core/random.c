/* see random.h */
#include "core/random.h"

#include <errno.h>
#include <sys/random.h>

#include "base/ct.h"
#include "base/errors.h"

int rlab_random(const struct rlab_rng *rng, uint8_t *out, size_t len)
{
    if (rng != NULL && rng->fill != NULL) {
        int rc = rng->fill(rng->ctx, out, len);
        if (rc != RLAB_OK)
            rlab_wipe(out, len);
        return rc == RLAB_OK ? RLAB_OK : RLAB_ERR_RNG;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = getrandom(out + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rlab_wipe(out, len);
            return RLAB_ERR_RNG;
        }
        done += (size_t)n;
    }
    return RLAB_OK;
}
