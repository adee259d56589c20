/*
 * Tests of the gmp backend's encoding methods (MGF1, OAEP, PSS, PKCS #1
 * v1.5) and random source; main of test_gmp_pad, which also runs the hash
 * cases of test_gmp_hash.c (see test_gmp_pad.h).
 *
 * Known answers: the RSA Labs intermediate values for OAEP and PSS from
 * python3-cryptography-vectors.  Everything else is round trips and
 * corruptions driven by a seeded generator; the seed is printed and
 * RSALAB_TEST_SEED replays a run.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/gmp/gmp_hash.h"
#include "backends/gmp/gmp_pad.h"
#include "base/ct.h"
#include "base/hexutil.h"
#include "tests/gmp/test_gmp_pad.h"

/* ---- deterministic randomness ------------------------------------------------ */

static int prng_fill(void *ctx, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)gp_splitmix(ctx);
    return RLAB_OK;
}

/* A replaying generator: hands out exactly the bytes given, then fails. */
struct replay {
    const uint8_t *data;
    size_t len, pos;
};

static int replay_fill(void *ctx, uint8_t *out, size_t len)
{
    struct replay *r = ctx;
    if (r->len - r->pos < len)
        return RLAB_ERR_RNG;
    memcpy(out, r->data + r->pos, len);
    r->pos += len;
    return RLAB_OK;
}

static const rlab_hash all_hashes[] = {
    RLAB_HASH_SHA1,   RLAB_HASH_SHA224,     RLAB_HASH_SHA256,    RLAB_HASH_SHA384,
    RLAB_HASH_SHA512, RLAB_HASH_SHA512_224, RLAB_HASH_SHA512_256,
};
#define N_HASHES (sizeof all_hashes / sizeof all_hashes[0])

/* ---- MGF1 -------------------------------------------------------------------------- */

START_TEST(test_mgf1)
{
    /* MGF1 output is Hash(seed || C) blocks: check two blocks against the
     * definition, and that mgf1_xor is mgf1 xored in. */
    for (size_t t = 0; t < N_HASHES; t++) {
        rlab_hash h = all_hashes[t];
        size_t hl = rlab_hash_len(h);
        uint8_t seedb[7] = {9, 8, 7, 6, 5, 4, 3}, in[7 + 4];
        uint8_t mask[2 * RLAB_HASH_MAX_LEN - 3], blk[RLAB_HASH_MAX_LEN];
        size_t mlen = 2 * hl - 3;
        ck_assert_int_eq(rlab_gmp_mgf1(h, seedb, 7, mask, mlen), RLAB_OK);
        for (uint8_t ctr = 0; ctr < 2; ctr++) {
            memcpy(in, seedb, 7);
            in[7] = in[8] = in[9] = 0;
            in[10] = ctr;
            ck_assert_int_eq(rlab_gmp_hash(h, in, sizeof in, blk), RLAB_OK);
            size_t n = ctr == 0 ? hl : hl - 3;
            gp_assert_bytes(mask + ctr * hl, blk, n, "MGF1 block");
        }
        uint8_t x[2 * RLAB_HASH_MAX_LEN - 3];
        memset(x, 0x5a, mlen);
        ck_assert_int_eq(rlab_gmp_mgf1_xor(h, seedb, 7, x, mlen), RLAB_OK);
        for (size_t i = 0; i < mlen; i++)
            ck_assert_uint_eq(x[i], mask[i] ^ 0x5a);
    }
    uint8_t m[4];
    ck_assert_int_eq(rlab_gmp_mgf1(RLAB_HASH_NONE, m, 4, m, 4), RLAB_ERR_UNSUPPORTED);
}
END_TEST

/* ---- OAEP ----------------------------------------------------------------------------- */

static const size_t sizes[] = {128, 256, 384, 512};

/* The straightforward (branchy) OAEP check that the constant-time decoder
 * must agree with, used on corrupted blocks. */
static int oaep_reference_ok(const struct rlab_oaep_params *p, const uint8_t *em,
                             size_t k)
{
    size_t hl = rlab_hash_len(p->hash);
    uint8_t *w = malloc(k), lh[RLAB_HASH_MAX_LEN];
    memcpy(w, em, k);
    rlab_gmp_mgf1_xor(p->mgf1_hash, w + 1 + hl, k - hl - 1, w + 1, hl);
    rlab_gmp_mgf1_xor(p->mgf1_hash, w + 1, hl, w + 1 + hl, k - hl - 1);
    rlab_gmp_hash(p->hash, p->label, p->label_len, lh);
    int ok = w[0] == 0 && memcmp(w + 1 + hl, lh, hl) == 0;
    size_t i = 1 + 2 * hl;
    while (ok && i < k && w[i] == 0)
        i++;
    ok = ok && i < k && w[i] == 1;
    free(w);
    return ok;
}

START_TEST(test_oaep_roundtrip)
{
    uint64_t rs = gp_seed + 1;
    struct rlab_rng rng = {prng_fill, &rs};
    uint8_t label[40], msg[512], em[512], out[512];
    for (size_t si = 0; si < 4; si++) {
        size_t k = sizes[si];
        for (size_t a = 0; a < N_HASHES; a++) {
            for (size_t b = 0; b < N_HASHES; b++) {
                struct rlab_oaep_params p = {all_hashes[a], all_hashes[b], label,
                                             (size_t)(gp_splitmix(&rs) % sizeof label)};
                prng_fill(&rs, label, sizeof label);
                size_t hl = rlab_hash_len(p.hash);
                if (k < 2 * hl + 2) {
                    /* SHA-512 and k = 128: no room even for an empty message. */
                    ck_assert_int_eq(rlab_gmp_oaep_encode(&p, &rng, msg, 0, em, k),
                                     RLAB_ERR_MSG_TOO_LONG);
                    size_t ol = sizeof out;
                    ck_assert_int_eq(rlab_gmp_oaep_decode(&p, em, k, out, &ol),
                                     RLAB_ERR_DECRYPT);
                    continue;
                }
                size_t max = k - 2 * hl - 2;
                size_t lens[4] = {0, 1, max, (size_t)(gp_splitmix(&rs) % (max + 1))};
                for (int li = 0; li < 4; li++) {
                    size_t ml = lens[li];
                    prng_fill(&rs, msg, ml);
                    ck_assert_int_eq(rlab_gmp_oaep_encode(&p, &rng, msg, ml, em, k),
                                     RLAB_OK);
                    ck_assert_uint_eq(em[0], 0);
                    size_t ol = max;
                    memset(out, 0xee, sizeof out);
                    ck_assert_int_eq(rlab_gmp_oaep_decode(&p, em, k, out, &ol), RLAB_OK);
                    ck_assert_uint_eq(ol, ml);
                    gp_assert_bytes(out, msg, ml, "OAEP round trip");
                    for (size_t i = ml; i < max; i++)
                        ck_assert_uint_eq(out[i], 0);
                    /* Capacity below the largest possible message. */
                    ol = max - 1;
                    if (max > 0)
                        ck_assert_int_eq(rlab_gmp_oaep_decode(&p, em, k, out, &ol),
                                         RLAB_ERR_BUFFER_TOO_SMALL);
                    ck_assert_uint_eq(ol, 0);
                    /* A different label, and a label where there was none. */
                    struct rlab_oaep_params q = p;
                    uint8_t other[41];
                    memcpy(other, label, sizeof label);
                    if (q.label_len > 0)
                        other[gp_splitmix(&rs) % q.label_len] ^= 0x01;
                    else
                        q.label_len = 1;
                    q.label = other;
                    ol = max;
                    ck_assert_int_eq(rlab_gmp_oaep_decode(&q, em, k, out, &ol),
                                     RLAB_ERR_DECRYPT);
                    ck_assert_uint_eq(ol, 0);
                    for (size_t i = 0; i < max; i++)
                        ck_assert_uint_eq(out[i], 0);
                }
                ck_assert_int_eq(rlab_gmp_oaep_encode(&p, &rng, msg, max + 1, em, k),
                                 RLAB_ERR_MSG_TOO_LONG);
            }
        }
    }
}
END_TEST

/* Every single-byte change of an OAEP block is refused with DECRYPT (for
 * k = 128 every value at every position; for larger k one random change per
 * position), and the reference check agrees that the block is bad. */
START_TEST(test_oaep_corrupt)
{
    uint64_t rs = gp_seed + 2;
    struct rlab_rng rng = {prng_fill, &rs};
    uint8_t em[512], bad[512], out[512], msg[64];
    static const rlab_hash pairs[][2] = {{RLAB_HASH_SHA1, RLAB_HASH_SHA1},
                                         {RLAB_HASH_SHA256, RLAB_HASH_SHA1},
                                         {RLAB_HASH_SHA384, RLAB_HASH_SHA512_256}};
    for (size_t si = 0; si < 4; si++) {
        size_t k = sizes[si];
        for (size_t pi = 0; pi < 3; pi++) {
            struct rlab_oaep_params p = {pairs[pi][0], pairs[pi][1],
                                         (const uint8_t *)"label", 5};
            prng_fill(&rs, msg, sizeof msg);
            ck_assert_int_eq(rlab_gmp_oaep_encode(&p, &rng, msg, 17, em, k), RLAB_OK);
            for (size_t i = 0; i < k; i++) {
                unsigned lo = 1, hi = 255;
                if (k != 128)
                    lo = hi = 1 + (unsigned)(gp_splitmix(&rs) % 255);
                for (unsigned d = lo; d <= hi; d++) {
                    memcpy(bad, em, k);
                    bad[i] ^= (uint8_t)d;
                    size_t ol = sizeof out;
                    int rc = rlab_gmp_oaep_decode(&p, bad, k, out, &ol);
                    ck_assert_msg(rc == RLAB_ERR_DECRYPT && ol == 0,
                                  "k=%zu byte %zu ^%02x: rc %d", k, i, d, rc);
                    ck_assert(!oaep_reference_ok(&p, bad, k));
                }
            }
        }
    }
}
END_TEST

/* Blocks that are wrong in exactly one way, built from the inside, so each
 * check of the decoder is shown to matter on its own. */
START_TEST(test_oaep_each_check)
{
    const size_t k = 128, hl = 20;
    struct rlab_oaep_params p = {RLAB_HASH_SHA1, RLAB_HASH_SHA1, NULL, 0};
    uint8_t db[128], seedb[20] = {1, 2, 3}, em[128], out[128];
    enum { OK_CASE, Y_NONZERO, LHASH, NO_SEP, PS_NONZERO, EMPTY_OK, FULL_OK };
    for (int kind = OK_CASE; kind <= FULL_OK; kind++) {
        size_t dbl = k - hl - 1, ml = kind == EMPTY_OK ? 0 : kind == FULL_OK ? k - 2 * hl - 2 : 10;
        memset(db, 0, dbl);
        rlab_gmp_hash(RLAB_HASH_SHA1, NULL, 0, db);
        if (kind == LHASH)
            db[3] ^= 0x40;
        if (kind != NO_SEP)
            db[dbl - ml - 1] = 0x01;
        if (kind == PS_NONZERO)
            db[hl + 5] = 0x02;
        memset(db + dbl - ml, 0xab, ml);
        memcpy(em + 1, seedb, hl);
        memcpy(em + 1 + hl, db, dbl);
        rlab_gmp_mgf1_xor(RLAB_HASH_SHA1, em + 1, hl, em + 1 + hl, dbl);
        rlab_gmp_mgf1_xor(RLAB_HASH_SHA1, em + 1 + hl, dbl, em + 1, hl);
        em[0] = kind == Y_NONZERO ? 0x01 : 0x00;
        size_t ol = sizeof out;
        int rc = rlab_gmp_oaep_decode(&p, em, k, out, &ol);
        if (kind == OK_CASE || kind == EMPTY_OK || kind == FULL_OK) {
            ck_assert_int_eq(rc, RLAB_OK);
            ck_assert_uint_eq(ol, ml);
            for (size_t i = 0; i < ml; i++)
                ck_assert_uint_eq(out[i], 0xab);
        } else {
            ck_assert_msg(rc == RLAB_ERR_DECRYPT, "kind %d: rc %d", kind, rc);
            ck_assert_uint_eq(ol, 0);
        }
    }
}
END_TEST

/* ---- PKCS #1 v1.5 encryption ------------------------------------------------------ */

/* Reference v1.5 decoder (branchy): message offset or 0 when invalid. */
static size_t v15_reference(const uint8_t *em, size_t k)
{
    if (em[0] != 0 || em[1] != 2)
        return 0;
    size_t i = 2;
    while (i < k && em[i] != 0)
        i++;
    if (i == k || i < 10)
        return 0;
    return i + 1;
}

START_TEST(test_pkcs1_enc)
{
    uint64_t rs = gp_seed + 3;
    struct rlab_rng rng = {prng_fill, &rs};
    uint8_t msg[512], em[512], bad[512], out[512];
    for (size_t si = 0; si < 4; si++) {
        size_t k = sizes[si], max = k - 11;
        size_t lens[4] = {0, 1, max, (size_t)(gp_splitmix(&rs) % (max + 1))};
        for (int li = 0; li < 4; li++) {
            size_t ml = lens[li];
            prng_fill(&rs, msg, ml);
            ck_assert_int_eq(rlab_gmp_pkcs1_enc_encode(&rng, msg, ml, em, k), RLAB_OK);
            ck_assert_uint_eq(em[0], 0);
            ck_assert_uint_eq(em[1], 2);
            for (size_t i = 2; i < k - ml - 1; i++)
                ck_assert_uint_ne(em[i], 0);
            ck_assert_uint_eq(em[k - ml - 1], 0);
            size_t ol = max;
            ck_assert_int_eq(rlab_gmp_pkcs1_enc_decode(em, k, out, &ol), RLAB_OK);
            ck_assert_uint_eq(ol, ml);
            gp_assert_bytes(out, msg, ml, "v1.5 round trip");
            ol = max - 1;
            ck_assert_int_eq(rlab_gmp_pkcs1_enc_decode(em, k, out, &ol),
                             RLAB_ERR_BUFFER_TOO_SMALL);
        }
        ck_assert_int_eq(rlab_gmp_pkcs1_enc_encode(&rng, msg, max + 1, em, k),
                         RLAB_ERR_MSG_TOO_LONG);

        /* Every single-byte change (all values at k = 128, one random
         * value per position above): the decoder agrees with the reference
         * parser, and whatever breaks the structure is DECRYPT. */
        ck_assert_int_eq(rlab_gmp_pkcs1_enc_encode(&rng, msg, 16, em, k), RLAB_OK);
        for (size_t i = 0; i < k; i++) {
            unsigned lo = 1, hi = 255;
            if (k != 128)
                lo = hi = 1 + (unsigned)(gp_splitmix(&rs) % 255);
            for (unsigned d = lo; d <= hi; d++) {
                memcpy(bad, em, k);
                bad[i] ^= (uint8_t)d;
                size_t off = v15_reference(bad, k);
                size_t ol = sizeof out;
                int rc = rlab_gmp_pkcs1_enc_decode(bad, k, out, &ol);
                if (off == 0) {
                    ck_assert_msg(rc == RLAB_ERR_DECRYPT && ol == 0,
                                  "k=%zu byte %zu ^%02x: rc %d", k, i, d, rc);
                    for (size_t j = 0; j < max; j++)
                        ck_assert_uint_eq(out[j], 0);
                } else {
                    ck_assert_int_eq(rc, RLAB_OK);
                    ck_assert_uint_eq(ol, k - off);
                    gp_assert_bytes(out, bad + off, k - off, "v1.5 corrupted but valid");
                }
            }
        }
    }
    /* The separator at index 10 (8 PS bytes) is the earliest allowed. */
    uint8_t b[128];
    memset(b, 0x77, sizeof b);
    b[0] = 0;
    b[1] = 2;
    b[10] = 0;
    size_t ol = sizeof out;
    ck_assert_int_eq(rlab_gmp_pkcs1_enc_decode(b, 128, out, &ol), RLAB_OK);
    ck_assert_uint_eq(ol, 128 - 11);
    b[9] = 0;
    ol = sizeof out;
    ck_assert_int_eq(rlab_gmp_pkcs1_enc_decode(b, 128, out, &ol), RLAB_ERR_DECRYPT);
    /* No separator at all; the separator as the very last byte. */
    memset(b + 2, 0x77, sizeof b - 2);
    ol = sizeof out;
    ck_assert_int_eq(rlab_gmp_pkcs1_enc_decode(b, 128, out, &ol), RLAB_ERR_DECRYPT);
    b[127] = 0;
    ol = sizeof out;
    ck_assert_int_eq(rlab_gmp_pkcs1_enc_decode(b, 128, out, &ol), RLAB_OK);
    ck_assert_uint_eq(ol, 0);
    /* A generator that only gives zeros cannot fill PS. */
    struct replay zeros = {(const uint8_t[512]){0}, 512, 0};
    struct rlab_rng zr = {replay_fill, &zeros};
    ck_assert_int_eq(rlab_gmp_pkcs1_enc_encode(&zr, msg, 16, em, 128), RLAB_ERR_RNG);
}
END_TEST

/* ---- PKCS #1 v1.5 signatures --------------------------------------------------------- */

/* The DigestInfo prefixes as RFC 8017 section 9.2, note 1, lists them. */
static const char *const rfc8017_prefix[] = {
    [RLAB_HASH_SHA1] = "3021300906052b0e03021a05000414",
    [RLAB_HASH_SHA224] = "302d300d06096086480165030402040500041c",
    [RLAB_HASH_SHA256] = "3031300d060960864801650304020105000420",
    [RLAB_HASH_SHA384] = "3041300d060960864801650304020205000430",
    [RLAB_HASH_SHA512] = "3051300d060960864801650304020305000440",
    [RLAB_HASH_SHA512_224] = "302d300d06096086480165030402050500041c",
    [RLAB_HASH_SHA512_256] = "3031300d060960864801650304020605000420",
};

START_TEST(test_pkcs1_sig)
{
    uint64_t rs = gp_seed + 4;
    uint8_t digest[64], em[512], bad[512];
    for (size_t t = 0; t < N_HASHES; t++) {
        rlab_hash h = all_hashes[t];
        size_t hl = rlab_hash_len(h), plen;
        const uint8_t *prefix = rlab_gmp_digestinfo_prefix(h, &plen);
        struct rlab_buf want = gp_hex(rfc8017_prefix[h]);
        ck_assert_uint_eq(plen, want.len);
        gp_assert_bytes(prefix, want.data, plen, "DigestInfo prefix");
        for (size_t si = 0; si < 4; si++) {
            size_t k = sizes[si];
            prng_fill(&rs, digest, hl);
            ck_assert_int_eq(rlab_gmp_pkcs1_sig_encode(h, digest, hl, em, k), RLAB_OK);
            size_t ps = k - plen - hl - 3;
            ck_assert_uint_eq(em[0], 0);
            ck_assert_uint_eq(em[1], 1);
            for (size_t i = 0; i < ps; i++)
                ck_assert_uint_eq(em[2 + i], 0xff);
            ck_assert_uint_eq(em[2 + ps], 0);
            gp_assert_bytes(em + 3 + ps, want.data, plen, "EM DigestInfo");
            gp_assert_bytes(em + k - hl, digest, hl, "EM digest");
            ck_assert_int_eq(rlab_gmp_pkcs1_sig_verify(h, digest, hl, em, k), RLAB_OK);
            for (size_t i = 0; i < k; i++) {
                memcpy(bad, em, k);
                bad[i] ^= (uint8_t)(1 + gp_splitmix(&rs) % 255);
                ck_assert_int_eq(rlab_gmp_pkcs1_sig_verify(h, digest, hl, bad, k),
                                 RLAB_ERR_VERIFY);
            }
            /* Another hash of the same length must not verify. */
            for (size_t u = 0; u < N_HASHES; u++)
                if (u != t && rlab_hash_len(all_hashes[u]) == hl)
                    ck_assert_int_eq(rlab_gmp_pkcs1_sig_verify(all_hashes[u], digest,
                                                               hl, em, k),
                                     RLAB_ERR_VERIFY);
        }
        /* The smallest k that fits: 8 bytes of FF exactly. */
        size_t kmin = plen + hl + 11;
        ck_assert_int_eq(rlab_gmp_pkcs1_sig_encode(h, digest, hl, em, kmin), RLAB_OK);
        ck_assert_int_eq(rlab_gmp_pkcs1_sig_encode(h, digest, hl, em, kmin - 1),
                         RLAB_ERR_MSG_TOO_LONG);
        ck_assert_int_eq(rlab_gmp_pkcs1_sig_encode(h, digest, hl - 1, em, 256),
                         RLAB_ERR_INVALID_ARG);
        ck_assert_int_eq(rlab_gmp_pkcs1_sig_verify(h, digest, hl, em, kmin - 1),
                         RLAB_ERR_VERIFY);
        rlab_buf_clear(&want);
    }
    ck_assert_ptr_null(rlab_gmp_digestinfo_prefix(RLAB_HASH_NONE, NULL));
}
END_TEST

/* ---- PSS --------------------------------------------------------------------------------- */

/* Modulus bit lengths: multiples of 8, and 1 mod 8 where EM is a byte
 * shorter than the modulus, and a few in between. */
static const size_t mod_bits[] = {1024, 1025, 1028, 2048, 2049, 3071, 3072, 4096, 4097};

START_TEST(test_pss_roundtrip)
{
    uint64_t rs = gp_seed + 5;
    struct rlab_rng rng = {prng_fill, &rs};
    uint8_t digest[64], em[513], bad[513];
    for (size_t mi = 0; mi < sizeof mod_bits / sizeof mod_bits[0]; mi++) {
        size_t em_bits = mod_bits[mi] - 1, em_len = (em_bits + 7) / 8;
        size_t zbits = 8 * em_len - em_bits;
        ck_assert_uint_eq(em_len, mod_bits[mi] % 8 == 1 ? mod_bits[mi] / 8
                                                        : (mod_bits[mi] + 7) / 8);
        for (size_t a = 0; a < N_HASHES; a++) {
            for (size_t b = 0; b < N_HASHES; b++) {
                rlab_hash h = all_hashes[a];
                size_t hl = rlab_hash_len(h), smax = em_len - hl - 2;
                int salts[4] = {0, (int)(hl < smax ? hl : smax), (int)smax,
                                (int)(gp_splitmix(&rs) % (smax + 1))};
                for (int s = 0; s < 4; s++) {
                    struct rlab_pss_params p = {h, all_hashes[b], salts[s]};
                    prng_fill(&rs, digest, hl);
                    ck_assert_int_eq(rlab_gmp_pss_encode(&p, &rng, digest, hl, em, em_bits),
                                     RLAB_OK);
                    ck_assert_uint_eq(em[em_len - 1], 0xbc);
                    if (zbits > 0)
                        ck_assert_uint_eq(em[0] >> (8 - zbits), 0);
                    ck_assert_int_eq(rlab_gmp_pss_verify(&p, digest, hl, em, em_bits),
                                     RLAB_OK);
                    struct rlab_pss_params q = p;
                    q.salt_len = RLAB_PSS_SALT_AUTO;
                    ck_assert_int_eq(rlab_gmp_pss_verify(&q, digest, hl, em, em_bits),
                                     RLAB_OK);
                    q.salt_len = p.salt_len + 1;
                    ck_assert_int_eq(rlab_gmp_pss_verify(&q, digest, hl, em, em_bits),
                                     RLAB_ERR_VERIFY);
                    if (p.salt_len > 0) {
                        q.salt_len = p.salt_len - 1;
                        ck_assert_int_eq(rlab_gmp_pss_verify(&q, digest, hl, em, em_bits),
                                         RLAB_ERR_VERIFY);
                    }
                    digest[0] ^= 1;
                    ck_assert_int_eq(rlab_gmp_pss_verify(&p, digest, hl, em, em_bits),
                                     RLAB_ERR_VERIFY);
                    digest[0] ^= 1;
                    if (s != 0 || a != b)
                        continue;
                    /* Every byte changed (and every forbidden top bit set). */
                    for (size_t i = 0; i < em_len; i++) {
                        memcpy(bad, em, em_len);
                        bad[i] ^= (uint8_t)(1 + gp_splitmix(&rs) % 255);
                        ck_assert_int_eq(rlab_gmp_pss_verify(&p, digest, hl, bad, em_bits),
                                         RLAB_ERR_VERIFY);
                    }
                    for (size_t z = 0; z < zbits; z++) {
                        memcpy(bad, em, em_len);
                        bad[0] |= (uint8_t)(0x80 >> z);
                        ck_assert_int_eq(rlab_gmp_pss_verify(&p, digest, hl, bad, em_bits),
                                         RLAB_ERR_VERIFY);
                    }
                }
                struct rlab_pss_params big = {h, all_hashes[b], (int)smax + 1};
                ck_assert_int_eq(rlab_gmp_pss_encode(&big, &rng, digest, hl, em, em_bits),
                                 RLAB_ERR_MSG_TOO_LONG);
            }
        }
    }
    struct rlab_pss_params autop = {RLAB_HASH_SHA256, RLAB_HASH_SHA256,
                                    RLAB_PSS_SALT_AUTO};
    ck_assert_int_eq(rlab_gmp_pss_encode(&autop, &rng, digest, 32, em, 2047),
                     RLAB_ERR_INVALID_ARG);
    struct rlab_pss_params p = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 32};
    ck_assert_int_eq(rlab_gmp_pss_encode(&p, &rng, digest, 31, em, 2047),
                     RLAB_ERR_INVALID_ARG);
    ck_assert_int_eq(rlab_gmp_pss_encode(&p, &rng, digest, 32, em, 2047), RLAB_OK);
    ck_assert_int_eq(rlab_gmp_pss_verify(&p, digest, 31, em, 2047), RLAB_ERR_VERIFY);
}
END_TEST

/* ---- RSA Labs intermediate values ----------------------------------------------------- */

/* The hex bytes of the section whose "# " title line starts with `title`:
 * the lines after it up to a blank line or the next comment. */
static struct rlab_buf section(const char *text, const char *title)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\n# %s", title);
    const char *p = strstr(text, pat);
    ck_assert_msg(p != NULL, "section '%s' missing", title);
    p = strchr(p + 1, '\n');
    ck_assert_ptr_nonnull(p);
    const char *start = ++p;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n == strspn(p, " \t\r") || p[0] == '#')
            break;
        p += n + (nl != NULL);
        if (nl == NULL)
            break;
    }
    struct rlab_buf b = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_hex_decode(start, (size_t)(p - start), &b), RLAB_OK);
    ck_assert_msg(b.len > 0, "section '%s' empty", title);
    return b;
}

START_TEST(test_oaep_int)
{
    char *text = gp_slurp("asymmetric/RSA/pkcs-1v2-1d2-vec/oaep-int.txt");
    struct rlab_buf n = section(text, "Modulus:"), m = section(text, "Message to be encrypted:"),
                    sd = section(text, "seed:"), want = section(text, "EM = maskedSeed");
    size_t k = n.len;
    ck_assert_uint_eq(k, 128);
    ck_assert_uint_eq(want.len, k - 1); /* v2.0 wrote EM without the 0x00 */
    struct replay r = {sd.data, sd.len, 0};
    struct rlab_rng rng = {replay_fill, &r};
    struct rlab_oaep_params p = {RLAB_HASH_SHA1, RLAB_HASH_SHA1, NULL, 0};
    uint8_t em[128], out[128];
    ck_assert_int_eq(rlab_gmp_oaep_encode(&p, &rng, m.data, m.len, em, k), RLAB_OK);
    ck_assert_uint_eq(r.pos, sd.len);
    ck_assert_uint_eq(em[0], 0);
    gp_assert_bytes(em + 1, want.data, want.len, "oaep-int EM");
    size_t ol = sizeof out;
    ck_assert_int_eq(rlab_gmp_oaep_decode(&p, em, k, out, &ol), RLAB_OK);
    ck_assert_uint_eq(ol, m.len);
    gp_assert_bytes(out, m.data, m.len, "oaep-int message");
    /* The generator is asked for exactly hLen bytes: with fewer it fails. */
    r.pos = 1;
    ck_assert_int_eq(rlab_gmp_oaep_encode(&p, &rng, m.data, m.len, em, k), RLAB_ERR_RNG);
    rlab_buf_clear(&n);
    rlab_buf_clear(&m);
    rlab_buf_clear(&sd);
    rlab_buf_clear(&want);
    free(text);
}
END_TEST

START_TEST(test_pss_int)
{
    char *text = gp_slurp("asymmetric/RSA/pkcs-1v2-1d2-vec/pss-int.txt");
    struct rlab_buf n = section(text, "Modulus:"), m = section(text, "Message to be signed:"),
                    mh = section(text, "Message hash:"), salt = section(text, "salt:"),
                    want = section(text, "EM = maskedDB");
    ck_assert_uint_eq(n.len, 128);
    ck_assert_uint_ge(n.data[0], 0x80); /* 1024-bit modulus: emBits = 1023 */
    uint8_t digest[20], em[128];
    ck_assert_int_eq(rlab_gmp_hash(RLAB_HASH_SHA1, m.data, m.len, digest), RLAB_OK);
    gp_assert_bytes(digest, mh.data, 20, "pss-int message hash");
    struct replay r = {salt.data, salt.len, 0};
    struct rlab_rng rng = {replay_fill, &r};
    struct rlab_pss_params p = {RLAB_HASH_SHA1, RLAB_HASH_SHA1, (int)salt.len};
    ck_assert_int_eq(rlab_gmp_pss_encode(&p, &rng, digest, 20, em, 1023), RLAB_OK);
    ck_assert_uint_eq(want.len, 128);
    gp_assert_bytes(em, want.data, 128, "pss-int EM");
    ck_assert_int_eq(rlab_gmp_pss_verify(&p, digest, 20, want.data, 1023), RLAB_OK);
    p.salt_len = RLAB_PSS_SALT_AUTO;
    ck_assert_int_eq(rlab_gmp_pss_verify(&p, digest, 20, want.data, 1023), RLAB_OK);
    p.salt_len = 0;
    ck_assert_int_eq(rlab_gmp_pss_verify(&p, digest, 20, want.data, 1023), RLAB_ERR_VERIFY);
    rlab_buf_clear(&n);
    rlab_buf_clear(&m);
    rlab_buf_clear(&mh);
    rlab_buf_clear(&salt);
    rlab_buf_clear(&want);
    free(text);
}
END_TEST

START_TEST(test_random)
{
    uint8_t a[300], b[300];
    ck_assert_int_eq(rlab_gmp_random(NULL, a, sizeof a), RLAB_OK);
    ck_assert_int_eq(rlab_gmp_random(NULL, b, sizeof b), RLAB_OK);
    ck_assert(memcmp(a, b, sizeof a) != 0);
    ck_assert_int_eq(rlab_gmp_random(NULL, a, 0), RLAB_OK);
    /* A failing caller generator is RLAB_ERR_RNG and leaves zeros. */
    struct replay r = {b, 10, 0};
    struct rlab_rng rng = {replay_fill, &r};
    ck_assert_int_eq(rlab_gmp_random(&rng, a, 11), RLAB_ERR_RNG);
    for (size_t i = 0; i < 11; i++)
        ck_assert_uint_eq(a[i], 0);
    ck_assert_int_eq(rlab_gmp_random(&rng, a, 10), RLAB_OK);
    gp_assert_bytes(a, b, 10, "replayed bytes");
}
END_TEST

/* ---- main -------------------------------------------------------------------------------- */

int main(void)
{
    const char *env = getenv("RSALAB_TEST_SEED");
    gp_seed = env != NULL ? strtoull(env, NULL, 0) : 0x5eed0fa11u;
    printf("test_gmp_pad: seed %" PRIu64 " (RSALAB_TEST_SEED replays)\n", gp_seed);
    fflush(stdout);

    Suite *s = suite_create("gmp.pad");
    gp_hash_tcases(s);
    gp_add(s, "mgf1", test_mgf1, 0);
    gp_add(s, "oaep", test_oaep_roundtrip, 0);
    gp_add(s, "oaep-corrupt", test_oaep_corrupt, 0);
    gp_add(s, "oaep-checks", test_oaep_each_check, 0);
    gp_add(s, "oaep-int", test_oaep_int, 0);
    gp_add(s, "pkcs1-enc", test_pkcs1_enc, 0);
    gp_add(s, "pkcs1-sig", test_pkcs1_sig, 0);
    gp_add(s, "pss", test_pss_roundtrip, 0);
    gp_add(s, "pss-int", test_pss_int, 0);
    gp_add(s, "random", test_random, 0);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}