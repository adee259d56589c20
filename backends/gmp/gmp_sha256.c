/*
 * SHA-224 and SHA-256 (FIPS 180-4, sections 6.2 and 6.3).  See gmp_hash.h.
 * The two differ only in the initial value and in how much of the final
 * state is output.
 */
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_hash.h"

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t IV224[8] = {0xc1059ed8, 0x367cd507, 0x3070dd17,
                                  0xf70e5939, 0xffc00b31, 0x68581511,
                                  0x64f98fa7, 0xbefa4fa4};
static const uint32_t IV256[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                  0xa54ff53a, 0x510e527f, 0x9b05688c,
                                  0x1f83d9ab, 0x5be0cd19};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22))
#define BSIG1(x) (rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25))
#define SSIG0(x) (rotr(x, 7) ^ rotr(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (rotr(x, 17) ^ rotr(x, 19) ^ ((x) >> 10))

/* One 64-byte block into the state (uint32_t h[8]). */
static void sha256_block(void *state, const uint8_t *blk)
{
    uint32_t *h = state, w[64];
    for (int t = 0; t < 16; t++)
        w[t] = rlab_gmp_load_be32(blk + 4 * t);
    for (int t = 16; t < 64; t++)
        w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];

    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = hh + BSIG1(e) + CH(e, f, g) + K256[t] + w[t];
        uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
    rlab_wipe(w, sizeof w);
}

void rlab_gmp_sha256_init(struct rlab_gmp_sha256 *c, size_t out_len)
{
    /* Anything but 28 is SHA-256: the dispatcher only passes 28 or 32. */
    memcpy(c->h, out_len == 28 ? IV224 : IV256, sizeof c->h);
    c->out_len = out_len == 28 ? 28 : 32;
    c->bytes = 0;
    c->fill = 0;
}

void rlab_gmp_sha256_update(struct rlab_gmp_sha256 *c, const uint8_t *p,
                            size_t len)
{
    c->bytes += (uint64_t)len;
    rlab_gmp_md_update(c->h, sha256_block, c->buf, sizeof c->buf, &c->fill, p, len);
}

void rlab_gmp_sha256_final(struct rlab_gmp_sha256 *c, uint8_t *out)
{
    uint8_t len_field[8];
    rlab_gmp_store_be64(len_field, c->bytes << 3);
    rlab_gmp_md_final(c->h, sha256_block, c->buf, sizeof c->buf, c->fill, len_field,
                      sizeof len_field);
    /* SHA-224 is the leftmost 224 bits: seven whole words. */
    for (size_t i = 0; i < c->out_len / 4; i++)
        rlab_gmp_store_be32(out + 4 * i, c->h[i]);
    rlab_wipe(c, sizeof *c);
}
