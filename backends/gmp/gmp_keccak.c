/*
 * SHA-3 and SHAKE (FIPS 202): the Keccak-f[1600] permutation and the sponge
 * around it.  See gmp_hash.h.
 *
 * Constant time by construction: the permutation is a fixed sequence of
 * xors, ands, nots and rotations by constant amounts on the 25 lanes, with
 * no table lookup but the round constant of the (public) round number; the
 * sponge's control flow and the lanes it touches depend only on the input
 * and output lengths, never on a byte of data.
 *
 * Lanes are little-endian: byte i of the rate is byte i % 8 of lane i / 8
 * (FIPS 202 3.1.2 with the byte order of its appendix B.1).
 */
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_hash.h"

/* ---- Keccak-f[1600] --------------------------------------------------------- */

/* iota: the round constants RC[ir] of FIPS 202 3.2.5. */
static const uint64_t keccak_rc[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull,
    0x8000000080008000ull, 0x000000000000808bull, 0x0000000080000001ull,
    0x8000000080008081ull, 0x8000000000008009ull, 0x000000000000008aull,
    0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull,
    0x8000000000008003ull, 0x8000000000008002ull, 0x8000000000000080ull,
    0x000000000000800aull, 0x800000008000000aull, 0x8000000080008081ull,
    0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

/* rho: the rotation of lane x + 5y (FIPS 202 3.2.2, table 2). */
static const unsigned keccak_rho[25] = {
    0,  1,  62, 28, 27,
    36, 44, 6,  55, 20,
    3,  10, 43, 25, 39,
    41, 45, 15, 21, 8,
    18, 2,  61, 56, 14,
};

static inline uint64_t rol64(uint64_t x, unsigned n)
{
    /* n = 0 gives x | x: no shift by 64 */
    return (x << n) | (x >> ((64u - n) & 63u));
}

void rlab_gmp_keccak_f1600(uint64_t a[25])
{
    uint64_t b[25], c[5], d[5];
    for (unsigned round = 0; round < 24; round++) {
        /* theta */
        for (unsigned x = 0; x < 5; x++)
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (unsigned x = 0; x < 5; x++)
            d[x] = c[(x + 4) % 5] ^ rol64(c[(x + 1) % 5], 1);
        for (unsigned i = 0; i < 25; i++)
            a[i] ^= d[i % 5];
        /* rho and pi: lane (x, y) moves to (y, 2x + 3y) */
        for (unsigned y = 0; y < 5; y++)
            for (unsigned x = 0; x < 5; x++)
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rol64(a[x + 5 * y], keccak_rho[x + 5 * y]);
        /* chi */
        for (unsigned y = 0; y < 25; y += 5)
            for (unsigned x = 0; x < 5; x++)
                a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
        /* iota */
        a[0] ^= keccak_rc[round];
    }
    rlab_wipe(b, sizeof b);
    rlab_wipe(c, sizeof c);
    rlab_wipe(d, sizeof d);
}

/* ---- the sponge ------------------------------------------------------------- */

int rlab_gmp_keccak_init(struct rlab_gmp_keccak *c, rlab_hash alg)
{
    memset(c, 0, sizeof *c);
    /* rate = 200 - 2 * capacity/8 bytes; domain bits 01 (SHA-3) or 1111
     * (SHAKE) with the first bit of pad10*1, as one byte (FIPS 202 B.2). */
    switch (alg) {
    case RLAB_HASH_SHA3_224: c->rate = 144; c->out_len = 28; c->suffix = 0x06; break;
    case RLAB_HASH_SHA3_256: c->rate = 136; c->out_len = 32; c->suffix = 0x06; break;
    case RLAB_HASH_SHA3_384: c->rate = 104; c->out_len = 48; c->suffix = 0x06; break;
    case RLAB_HASH_SHA3_512: c->rate = 72; c->out_len = 64; c->suffix = 0x06; break;
    case RLAB_HASH_SHAKE128: c->rate = 168; c->out_len = 32; c->suffix = 0x1f; break;
    case RLAB_HASH_SHAKE256: c->rate = 136; c->out_len = 64; c->suffix = 0x1f; break;
    default: return RLAB_ERR_UNSUPPORTED;
    }
    return RLAB_OK;
}

static inline void keccak_xor_byte(uint64_t *s, size_t i, uint8_t v)
{
    s[i / 8] ^= (uint64_t)v << (8 * (i % 8));
}

void rlab_gmp_keccak_update(struct rlab_gmp_keccak *c, const uint8_t *p, size_t len)
{
    /* Absorbing after squeezing began is a caller's error; ignore it as
     * the hash contexts ignore updates after final. */
    if (c->squeezing || len == 0)
        return;
    while (len > 0) {
        if (c->pos % 8 == 0 && len >= 8 && c->pos + 8 <= c->rate) {
            uint64_t w = 0;
            for (unsigned i = 0; i < 8; i++)
                w |= (uint64_t)p[i] << (8 * i);
            c->s[c->pos / 8] ^= w;
            c->pos += 8;
            p += 8;
            len -= 8;
        } else {
            keccak_xor_byte(c->s, c->pos++, *p++);
            len--;
        }
        if (c->pos == c->rate) {
            rlab_gmp_keccak_f1600(c->s);
            c->pos = 0;
        }
    }
}

void rlab_gmp_keccak_squeeze(struct rlab_gmp_keccak *c, uint8_t *out, size_t len)
{
    if (!c->squeezing) {
        /* pad10*1 with the domain bits: the suffix byte at pos, 0x80 in the
         * rate's last byte (the same byte when pos = rate - 1). */
        keccak_xor_byte(c->s, c->pos, c->suffix);
        keccak_xor_byte(c->s, c->rate - 1, 0x80);
        rlab_gmp_keccak_f1600(c->s);
        c->pos = 0;
        c->squeezing = 1;
    }
    for (size_t i = 0; i < len; i++) {
        if (c->pos == c->rate) {
            rlab_gmp_keccak_f1600(c->s);
            c->pos = 0;
        }
        out[i] = (uint8_t)(c->s[c->pos / 8] >> (8 * (c->pos % 8)));
        c->pos++;
    }
}

void rlab_gmp_keccak_final(struct rlab_gmp_keccak *c, uint8_t *out)
{
    rlab_gmp_keccak_squeeze(c, out, c->out_len);
    rlab_wipe(c, sizeof *c);
}

int rlab_gmp_shake_xor(rlab_hash alg, const uint8_t *seed, size_t seed_len,
                       uint8_t *mask, size_t mask_len)
{
    if (!rlab_hash_is_xof(alg))
        return RLAB_ERR_UNSUPPORTED;
    if ((mask == NULL && mask_len > 0) || (seed == NULL && seed_len > 0))
        return RLAB_ERR_INVALID_ARG;
    struct rlab_gmp_keccak c;
    rlab_gmp_keccak_init(&c, alg);
    rlab_gmp_keccak_update(&c, seed, seed_len);
    uint8_t block[168];
    for (size_t done = 0; done < mask_len; done += sizeof block) {
        size_t n = mask_len - done < sizeof block ? mask_len - done : sizeof block;
        rlab_gmp_keccak_squeeze(&c, block, n);
        for (size_t i = 0; i < n; i++)
            mask[done + i] ^= block[i];
    }
    /* The output masks secrets (a PSS DB holds no secret, but the function
     * is general): no copy may remain. */
    rlab_wipe(block, sizeof block);
    rlab_wipe(&c, sizeof c);
    return RLAB_OK;
}
