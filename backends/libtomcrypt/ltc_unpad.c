/*
 * PKCS#1 v1.5 decryption of the libtomcrypt backend: the library's blinded,
 * CRT-checked private operation (rsa_exptmod), then our own constant-time
 * removal of the padding.
 *
 * Why not rsa_decrypt_key_ex(LTC_PKCS_1_V1_5): pkcs_1_v1_5_decode in 1.18
 * refuses a valid block whose message is empty (it treats a separator in
 * the last byte as "no separator"), so a ciphertext of an empty message made
 * by any other library fails; and it leaves at the first bad byte and scans
 * for the separator with a data-dependent loop, so its timing tells valid
 * padding from invalid.  The decoder here looks at every byte of the block
 * whatever it holds, and only the final answer (valid or not) is branched
 * on, after the message has been moved into place.
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/libtomcrypt/ltc_internal.h"

/*
 * Move the last `mlen` bytes of buf[0..len) to its front, in time that
 * depends on len only: log2(len) passes, each shifting by a power of two
 * or not under a mask (the shift is len - mlen, secret).
 */
static void ltc_ct_shift_left(uint8_t *buf, size_t len, size_t mlen)
{
    size_t s = len - mlen;
    for (size_t step = 1; step < len; step <<= 1) {
        uint32_t mask = 0u - (uint32_t)((s & step) != 0);
        for (size_t i = 0; i + step < len; i++)
            buf[i] = (uint8_t)rlab_ct_select32(mask, buf[i + step], buf[i]);
        for (size_t i = len - step; i < len; i++)
            buf[i] = (uint8_t)rlab_ct_select32(mask, 0, buf[i]);
    }
}

/* see backend.h */
int rlab_ltc_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len,
                           uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, klen = rlab_key_size(k);
    *outlen = 0;
    struct ltc_key *lk = rlab_ltc_key(k);
    /* ops.c guarantees cap >= k - 11 and ct_len == k. */
    size_t room = cap < klen - 11 ? cap : klen - 11;
    zeromem(out, room);
    uint8_t *em = malloc(klen);
    if (em == NULL)
        return RLAB_ERR_NOMEM;
    unsigned long elen = (unsigned long)klen;
    int err = rsa_exptmod(ct, ct_len, em, &elen, PK_PRIVATE, &lk->rsa);
    /* rsa_exptmod fails only for public reasons (a value not below n, no
     * memory) or a CRT fault; none depends on the padding. */
    if (err != CRYPT_OK || elen != klen) {
        free(em);
        return RLAB_ERR_DECRYPT;
    }

    /* EM = 0x00 || 0x02 || PS (>= 8 non-zero bytes) || 0x00 || M */
    uint32_t good = rlab_ct_eq32(em[0], 0) & rlab_ct_eq32(em[1], 2);
    uint32_t found = 0;
    size_t zero_at = 0;
    for (size_t i = 2; i < klen; i++) {
        uint32_t z = rlab_ct_eq32(em[i], 0);
        zero_at = rlab_ct_select_size(z & ~found, i, zero_at);
        found |= z;
    }
    good &= found;
    good &= ~rlab_ct_lt32((uint32_t)zero_at, 10); /* PS of 8 bytes or more */
    size_t mlen = klen - 1 - zero_at;             /* meaningful when found */
    good &= ~rlab_ct_lt32((uint32_t)room, (uint32_t)mlen);
    mlen = rlab_ct_select_size(good, mlen, 0);

    /* The message is the tail of EM: take the last `room` bytes, then move
     * its last mlen bytes to the front. */
    memcpy(out, em + klen - room, room);
    ltc_ct_shift_left(out, room, mlen);
    zeromem(em, klen);
    free(em);

    /* From here the validity is released: branching on it is fine. */
    if (!(good & 1)) {
        zeromem(out, room);
        return RLAB_ERR_DECRYPT;
    }
    *outlen = mlen;
    return RLAB_OK;
}
