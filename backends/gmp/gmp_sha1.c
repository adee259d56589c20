/*
 * SHA-1 (FIPS 180-4, section 6.1).  See gmp_hash.h.
 *
 * Kept for the vectors and for OAEP/PSS with SHA-1, which old keys and the
 * RSA Labs test files still use; not collision resistant.
 */
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_hash.h"

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

/* One 64-byte block into the state (uint32_t h[5]). */
static void sha1_block(void *state, const uint8_t *blk)
{
    uint32_t *h = state, w[80];
    for (int t = 0; t < 16; t++)
        w[t] = rlab_gmp_load_be32(blk + 4 * t);
    for (int t = 16; t < 80; t++)
        w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);

    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) {
            f = (b & c) | (~b & d);            /* Ch */
            k = 0x5a827999;
        } else if (t < 40) {
            f = b ^ c ^ d;                     /* Parity */
            k = 0x6ed9eba1;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d);   /* Maj */
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        uint32_t tmp = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    /* The schedule is derived from the message, which may be a secret. */
    rlab_wipe(w, sizeof w);
}

void rlab_gmp_sha1_init(struct rlab_gmp_sha1 *c)
{
    static const uint32_t iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe,
                                   0x10325476, 0xc3d2e1f0};
    memcpy(c->h, iv, sizeof iv);
    c->bytes = 0;
    c->fill = 0;
}

void rlab_gmp_sha1_update(struct rlab_gmp_sha1 *c, const uint8_t *p, size_t len)
{
    /* The length is kept modulo 2^64 bytes; FIPS 180-4 limits SHA-1 input
     * to 2^64 - 1 bits anyway. */
    c->bytes += (uint64_t)len;
    rlab_gmp_md_update(c->h, sha1_block, c->buf, sizeof c->buf, &c->fill, p, len);
}

void rlab_gmp_sha1_final(struct rlab_gmp_sha1 *c, uint8_t out[20])
{
    /* The 64-bit bit length closes the message. */
    uint8_t len_field[8];
    rlab_gmp_store_be64(len_field, c->bytes << 3);
    rlab_gmp_md_final(c->h, sha1_block, c->buf, sizeof c->buf, c->fill, len_field,
                      sizeof len_field);
    for (int i = 0; i < 5; i++)
        rlab_gmp_store_be32(out + 4 * i, c->h[i]);
    rlab_wipe(c, sizeof *c);
}
