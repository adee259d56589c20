/*
 * MGF1 (RFC 8017 B.2.1) over the backend's own hashes.  See gmp_pad.h.
 */
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_hash.h"
#include "backends/gmp/gmp_pad.h"

int rlab_gmp_mgf1_xor(rlab_hash h, const uint8_t *seed, size_t seed_len,
                      uint8_t *mask, size_t mask_len)
{
    size_t hlen = rlab_gmp_hash_len(h);
    /* MGF1 over SHAKE is defined nowhere: RFC 8702 uses SHAKE itself. */
    if (hlen == 0 || h == RLAB_HASH_NONE || rlab_hash_is_xof(h))
        return RLAB_ERR_UNSUPPORTED;
    if (mask_len == 0)
        return RLAB_OK;
    if (mask == NULL || (seed == NULL && seed_len > 0))
        return RLAB_ERR_INVALID_ARG;
    /* The counter is 32 bits: at most 2^32 blocks of output. */
    if ((uint64_t)((mask_len - 1) / hlen) > 0xffffffffu)
        return RLAB_ERR_INVALID_ARG;

    uint8_t block[RLAB_HASH_MAX_LEN];
    struct rlab_gmp_hash c;
    uint32_t counter = 0;
    for (size_t done = 0; done < mask_len; done += hlen, counter++) {
        uint8_t ctr[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
                          (uint8_t)(counter >> 8), (uint8_t)counter};
        rlab_gmp_hash_init(&c, h);
        rlab_gmp_hash_update(&c, seed, seed_len);
        rlab_gmp_hash_update(&c, ctr, sizeof ctr);
        rlab_gmp_hash_final(&c, block);
        size_t n = mask_len - done < hlen ? mask_len - done : hlen;
        for (size_t i = 0; i < n; i++)
            mask[done + i] ^= block[i];
    }
    /* The output masks secrets (an OAEP seed, a DB): no copy may remain. */
    rlab_wipe(block, sizeof block);
    return RLAB_OK;
}

int rlab_gmp_mgf1(rlab_hash h, const uint8_t *seed, size_t seed_len,
                  uint8_t *mask, size_t mask_len)
{
    if (mask != NULL)
        memset(mask, 0, mask_len);
    return rlab_gmp_mgf1_xor(h, seed, seed_len, mask, mask_len);
}
