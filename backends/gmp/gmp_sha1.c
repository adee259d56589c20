/*
 * SHA-1 (FIPS 180-4, section 6.1).  See gmp_hash.h.
 *
 * Kept for the vectors and for OAEP/PSS with SHA-1, which old keys and the
 * RSA Labs test files still use; not collision resistant.
 */
#include <string.h>

#include "core/ct.h"
#include "gmp_hash.h"

static uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

/* One 64-byte block into the state. */
static void sha1_block(uint32_t h[5], const uint8_t *blk)
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = load_be32(blk + 4 * t);
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
    if (c->fill > 0) {
        size_t take = sizeof c->buf - c->fill;
        if (take > len)
            take = len;
        memcpy(c->buf + c->fill, p, take);
        c->fill += take;
        p += take;
        len -= take;
        if (c->fill < sizeof c->buf)
            return;
        sha1_block(c->h, c->buf);
        c->fill = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        sha1_block(c->h, p);
    if (len > 0) {
        memcpy(c->buf, p, len);
        c->fill = len;
    }
}

void rlab_gmp_sha1_final(struct rlab_gmp_sha1 *c, uint8_t out[20])
{
    uint64_t bits = c->bytes << 3;
    /* Padding: 0x80, zeros to 56 mod 64, then the 64-bit bit length. */
    c->buf[c->fill++] = 0x80;
    if (c->fill > 56) {
        memset(c->buf + c->fill, 0, 64 - c->fill);
        sha1_block(c->h, c->buf);
        c->fill = 0;
    }
    memset(c->buf + c->fill, 0, 56 - c->fill);
    store_be32(c->buf + 56, (uint32_t)(bits >> 32));
    store_be32(c->buf + 60, (uint32_t)bits);
    sha1_block(c->h, c->buf);
    for (int i = 0; i < 5; i++)
        store_be32(out + 4 * i, c->h[i]);
    rlab_wipe(c, sizeof *c);
}
