/*
 * Tests of the gmp backend's own hashes and of HMAC/HKDF (core/hmac.c) over
 * those hashes.  Known answers from python3-cryptography-vectors: NIST SHAVS
 * (ShortMsg, LongMsg, Monte), RFC 4231 and RFC 2202 (HMAC), RFC 5869
 * (HKDF).  Part of test_gmp_pad (see test_gmp_pad.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/gmp/gmp_hash.h"
#include "core/hmac.h"
#include "tests/gmp/test_gmp_pad.h"

/* Next "Name = value" line of *cur (comments, blanks and [..] skipped).
 * Returns 0 at the end.  name and value point into the (modified) text. */
static int next_kv(char **cur, char **name, char **value)
{
    while (**cur != '\0') {
        char *line = *cur;
        char *nl = strchr(line, '\n');
        *cur = nl ? nl + 1 : line + strlen(line);
        if (nl)
            *nl = '\0';
        char *eq = strchr(line, '=');
        if (line[0] == '#' || line[0] == '[' || eq == NULL)
            continue;
        char *end = eq;
        while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        *end = '\0';
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t vl = strlen(v);
        while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
            v[--vl] = '\0';
        *name = line;
        *value = v;
        return 1;
    }
    return 0;
}

/* ---- SHAVS ----------------------------------------------------------------------- */

static const struct {
    rlab_hash h;
    const char *file; /* path prefix under hashes/ */
} shavs[] = {
    {RLAB_HASH_SHA1, "hashes/SHA1/SHA1"},
    {RLAB_HASH_SHA224, "hashes/SHA2/SHA224"},
    {RLAB_HASH_SHA256, "hashes/SHA2/SHA256"},
    {RLAB_HASH_SHA384, "hashes/SHA2/SHA384"},
    {RLAB_HASH_SHA512, "hashes/SHA2/SHA512"},
    {RLAB_HASH_SHA512_224, "hashes/SHA2/SHA512_224"},
    {RLAB_HASH_SHA512_256, "hashes/SHA2/SHA512_256"},
};

/* ShortMsg / LongMsg: Len (bits), Msg, MD.  Each message is hashed in one
 * call and again in uneven pieces, through the one-shot, the context and
 * the backend slot APIs. */
static void run_msg_file(rlab_hash h, const char *rel, uint64_t *rs)
{
    char *text = gp_slurp(rel), *cur = text, *k, *v;
    long bits = -1;
    struct rlab_buf msg = RLAB_BUF_INIT;
    int cases = 0;
    while (next_kv(&cur, &k, &v)) {
        if (strcmp(k, "Len") == 0) {
            bits = strtol(v, NULL, 10);
        } else if (strcmp(k, "Msg") == 0) {
            msg = gp_hex(v);
        } else if (strcmp(k, "MD") == 0) {
            struct rlab_buf md = gp_hex(v);
            size_t len = (size_t)bits / 8; /* Len = 0 comes with Msg = 00 */
            ck_assert_uint_eq(md.len, rlab_hash_len(h));
            uint8_t out[RLAB_HASH_MAX_LEN];
            ck_assert_int_eq(rlab_gmp_hash(h, msg.data, len, out), RLAB_OK);
            gp_assert_bytes(out, md.data, md.len, rel);

            struct rlab_gmp_hash c;
            ck_assert_int_eq(rlab_gmp_hash_init(&c, h), RLAB_OK);
            for (size_t done = 0; done < len;) {
                size_t n = (size_t)(gp_splitmix(rs) % 200);
                n = n > len - done ? len - done : n;
                rlab_gmp_hash_update(&c, msg.data + done, n);
                done += n;
            }
            rlab_gmp_hash_final(&c, out);
            gp_assert_bytes(out, md.data, md.len, rel);

            rlab_hash_ctx *s = NULL;
            ck_assert_int_eq(rlab_gmp_hash_new(h, &s), RLAB_OK);
            ck_assert_int_eq(rlab_gmp_hash_update_slot(s, msg.data, len), RLAB_OK);
            memset(out, 0, sizeof out);
            ck_assert_int_eq(rlab_gmp_hash_final_slot(s, out), RLAB_OK);
            gp_assert_bytes(out, md.data, md.len, rel);

            rlab_buf_clear(&md);
            rlab_buf_clear(&msg);
            cases++;
        }
    }
    free(text);
    ck_assert_msg(cases >= 64, "%s: only %d cases", rel, cases);
}

START_TEST(test_shavs_msg)
{
    uint64_t rs = gp_seed;
    char rel[256];
    snprintf(rel, sizeof rel, "%sShortMsg.rsp", shavs[_i].file);
    run_msg_file(shavs[_i].h, rel, &rs);
    snprintf(rel, sizeof rel, "%sLongMsg.rsp", shavs[_i].file);
    run_msg_file(shavs[_i].h, rel, &rs);
}
END_TEST

/* Monte Carlo: MD0 = MD1 = MD2 = Seed; for i = 3..1002,
 * MDi = SHA(MD(i-3) || MD(i-2) || MD(i-1)); checkpoint MD1002, which seeds
 * the next of 100 rounds. */
START_TEST(test_shavs_monte)
{
    rlab_hash h = shavs[_i].h;
    size_t hl = rlab_hash_len(h);
    char rel[256];
    snprintf(rel, sizeof rel, "%sMonte.rsp", shavs[_i].file);
    char *text = gp_slurp(rel), *cur = text, *k, *v;
    uint8_t md[3][RLAB_HASH_MAX_LEN], m[3 * RLAB_HASH_MAX_LEN];
    int have_seed = 0, checkpoints = 0;
    while (next_kv(&cur, &k, &v)) {
        if (strcmp(k, "Seed") == 0) {
            struct rlab_buf s = gp_hex(v);
            ck_assert_uint_eq(s.len, hl);
            memcpy(md[2], s.data, hl);
            rlab_buf_clear(&s);
            have_seed = 1;
        } else if (strcmp(k, "MD") == 0) {
            ck_assert(have_seed);
            memcpy(md[0], md[2], hl);
            memcpy(md[1], md[2], hl);
            for (int i = 3; i <= 1002; i++) {
                memcpy(m, md[0], hl);
                memcpy(m + hl, md[1], hl);
                memcpy(m + 2 * hl, md[2], hl);
                memcpy(md[0], md[1], hl);
                memcpy(md[1], md[2], hl);
                ck_assert_int_eq(rlab_gmp_hash(h, m, 3 * hl, md[2]), RLAB_OK);
            }
            struct rlab_buf want = gp_hex(v);
            ck_assert_uint_eq(want.len, hl);
            gp_assert_bytes(md[2], want.data, hl, rel);
            rlab_buf_clear(&want);
            checkpoints++;
        }
    }
    free(text);
    ck_assert_int_eq(checkpoints, 100);
}
END_TEST

/* Lengths beyond 2^32 bytes (and the 128-bit counter's carry) without
 * hashing gigabytes: the final block of a message of a given length is
 * built by hand and fed as data to a fresh context, whose raw state must then
 * equal the state final() reached from the counter. */
START_TEST(test_hash_long_lengths)
{
    static const uint8_t tail[5] = {1, 2, 3, 4, 5};

    /* SHA-256 with 2^32 + 5 bytes counted. */
    struct rlab_gmp_sha256 a, b;
    rlab_gmp_sha256_init(&a, 32);
    rlab_gmp_sha256_update(&a, tail, 5);
    a.bytes = ((uint64_t)1 << 32) + 5;
    uint8_t blk[128] = {0}, out[64];
    memcpy(blk, tail, 5);
    blk[5] = 0x80;
    uint64_t bits = (((uint64_t)1 << 32) + 5) * 8;
    for (int i = 0; i < 8; i++)
        blk[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    rlab_gmp_sha256_init(&b, 32);
    rlab_gmp_sha256_update(&b, blk, 64);
    rlab_gmp_sha256_final(&a, out);
    for (int i = 0; i < 8; i++)
        ck_assert_uint_eq(((uint32_t)out[4 * i] << 24 | (uint32_t)out[4 * i + 1] << 16 |
                           (uint32_t)out[4 * i + 2] << 8 | out[4 * i + 3]),
                          b.h[i]);

    /* SHA-1, same length. */
    struct rlab_gmp_sha1 s1a, s1b;
    rlab_gmp_sha1_init(&s1a);
    rlab_gmp_sha1_update(&s1a, tail, 5);
    s1a.bytes = ((uint64_t)1 << 32) + 5;
    rlab_gmp_sha1_init(&s1b);
    rlab_gmp_sha1_update(&s1b, blk, 64);
    rlab_gmp_sha1_final(&s1a, out);
    for (int i = 0; i < 5; i++)
        ck_assert_uint_eq(((uint32_t)out[4 * i] << 24 | (uint32_t)out[4 * i + 1] << 16 |
                           (uint32_t)out[4 * i + 2] << 8 | out[4 * i + 3]),
                          s1b.h[i]);

    /* SHA-512: the byte counter carries into its high word, and the bit
     * length is the 128-bit (hi, lo) * 8. */
    struct rlab_gmp_sha512 c, d;
    ck_assert_int_eq(rlab_gmp_sha512_init(&c, RLAB_HASH_SHA512), RLAB_OK);
    c.bytes_lo = UINT64_MAX - 2;
    rlab_gmp_sha512_update(&c, tail, 5);
    ck_assert_uint_eq(c.bytes_hi, 1);
    ck_assert_uint_eq(c.bytes_lo, 2);
    memset(blk, 0, sizeof blk);
    memcpy(blk, tail, 5);
    blk[5] = 0x80;
    /* bytes = 2^64 + 2  ->  bits = 2^67 + 16: hi = 8, lo = 16 */
    blk[127 - 8] = 8;
    blk[127] = 16;
    ck_assert_int_eq(rlab_gmp_sha512_init(&d, RLAB_HASH_SHA512), RLAB_OK);
    rlab_gmp_sha512_update(&d, blk, 128);
    rlab_gmp_sha512_final(&c, out);
    for (int i = 0; i < 8; i++) {
        uint64_t w = 0;
        for (int j = 0; j < 8; j++)
            w = w << 8 | out[8 * i + j];
        ck_assert_uint_eq(w, d.h[i]);
    }
    /* final() wiped the context. */
    static const struct rlab_gmp_sha512 zero;
    ck_assert(memcmp(&c, &zero, sizeof c) == 0);
}
END_TEST

START_TEST(test_hash_api)
{
    uint8_t out[RLAB_HASH_MAX_LEN];
    struct rlab_gmp_hash c;
    rlab_hash_ctx *s = (rlab_hash_ctx *)&c;
    ck_assert_int_eq(rlab_gmp_hash_init(&c, RLAB_HASH_NONE), RLAB_ERR_UNSUPPORTED);
    ck_assert_int_eq(rlab_gmp_hash_init(&c, RLAB_HASH_COUNT), RLAB_ERR_UNSUPPORTED);
    ck_assert_int_eq(rlab_gmp_hash(RLAB_HASH_NONE, NULL, 0, out), RLAB_ERR_UNSUPPORTED);
    ck_assert_int_eq(rlab_gmp_hash_new(RLAB_HASH_NONE, &s), RLAB_ERR_UNSUPPORTED);
    ck_assert_ptr_null(s);
    rlab_gmp_hash_free(NULL);
    ck_assert_int_eq(rlab_gmp_hash_new(RLAB_HASH_SHA256, &s), RLAB_OK);
    ck_assert_int_eq(rlab_gmp_hash_update_slot(s, (const uint8_t *)"abc", 3), RLAB_OK);
    rlab_gmp_hash_free(s); /* abandoned: no leak under ASan */
    /* Empty input and a NULL pointer with length 0. */
    ck_assert_int_eq(rlab_gmp_hash(RLAB_HASH_SHA256, NULL, 0, out), RLAB_OK);
    struct rlab_buf want =
        gp_hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    gp_assert_bytes(out, want.data, 32, "sha256('')");
    rlab_buf_clear(&want);
}
END_TEST

/* ---- HMAC and HKDF over the gmp hashes --------------------------------------- */

/* A backend with only the gmp hash slots, so that core/hmac.c is exercised
 * over these hashes whatever the gmp backend's struct holds today. */
static const struct rlab_backend hash_only = {
    .name = "gmp-hashes",
    .caps = RLAB_CAP_HASH,
    .hashes = RLAB_HASH_BIT(RLAB_HASH_SHA1) | RLAB_HASH_BIT(RLAB_HASH_SHA224) |
              RLAB_HASH_BIT(RLAB_HASH_SHA256) | RLAB_HASH_BIT(RLAB_HASH_SHA384) |
              RLAB_HASH_BIT(RLAB_HASH_SHA512) | RLAB_HASH_BIT(RLAB_HASH_SHA512_224) |
              RLAB_HASH_BIT(RLAB_HASH_SHA512_256),
    .hash_new = rlab_gmp_hash_new,
    .hash_update = rlab_gmp_hash_update_slot,
    .hash_final = rlab_gmp_hash_final_slot,
    .hash_free = rlab_gmp_hash_free,
};

static const struct {
    rlab_hash h;
    const char *file;
} rfc4231[] = {
    {RLAB_HASH_SHA224, "HMAC/rfc-4231-sha224.txt"},
    {RLAB_HASH_SHA256, "HMAC/rfc-4231-sha256.txt"},
    {RLAB_HASH_SHA384, "HMAC/rfc-4231-sha384.txt"},
    {RLAB_HASH_SHA512, "HMAC/rfc-4231-sha512.txt"},
    {RLAB_HASH_SHA1, "HMAC/rfc-2202-sha1.txt"},
};

START_TEST(test_hmac_rfc)
{
    rlab_hash h = rfc4231[_i].h;
    char *text = gp_slurp(rfc4231[_i].file), *cur = text, *k, *v;
    struct rlab_buf key = RLAB_BUF_INIT, msg = RLAB_BUF_INIT;
    int cases = 0;
    while (next_kv(&cur, &k, &v)) {
        if (strcmp(k, "Key") == 0) {
            key = gp_hex(v);
        } else if (strcmp(k, "Msg") == 0) {
            msg = gp_hex(v);
        } else if (strcmp(k, "MD") == 0) {
            struct rlab_buf md = gp_hex(v);
            uint8_t out[RLAB_HASH_MAX_LEN];
            ck_assert_uint_eq(md.len, rlab_hash_len(h));
            ck_assert_int_eq(rlab_hmac(&hash_only, h, key.data, key.len, msg.data,
                                       msg.len, out),
                             RLAB_OK);
            gp_assert_bytes(out, md.data, md.len, rfc4231[_i].file);
            rlab_buf_clear(&md);
            rlab_buf_clear(&key);
            rlab_buf_clear(&msg);
            cases++;
        }
    }
    free(text);
    ck_assert_int_ge(cases, 6);
}
END_TEST

START_TEST(test_hkdf_rfc)
{
    static const char *const files[] = {"KDF/rfc-5869-HKDF-SHA256.txt",
                                        "KDF/rfc-5869-HKDF-SHA1.txt"};
    rlab_hash h = _i == 0 ? RLAB_HASH_SHA256 : RLAB_HASH_SHA1;
    char *text = gp_slurp(files[_i]), *cur = text, *k, *v;
    struct rlab_buf ikm = RLAB_BUF_INIT, salt = RLAB_BUF_INIT, info = RLAB_BUF_INIT;
    size_t L = 0;
    uint8_t prk[RLAB_HASH_MAX_LEN];
    int cases = 0;
    while (next_kv(&cur, &k, &v)) {
        if (strcmp(k, "IKM") == 0) {
            ikm = gp_hex(v);
        } else if (strcmp(k, "salt") == 0) {
            salt = gp_hex(v);
        } else if (strcmp(k, "info") == 0) {
            info = gp_hex(v);
        } else if (strcmp(k, "L") == 0) {
            L = (size_t)strtoul(v, NULL, 10);
        } else if (strcmp(k, "PRK") == 0) {
            struct rlab_buf want = gp_hex(v);
            ck_assert_int_eq(rlab_hkdf_extract(&hash_only, h, salt.data, salt.len,
                                               ikm.data, ikm.len, prk),
                             RLAB_OK);
            gp_assert_bytes(prk, want.data, want.len, "HKDF PRK");
            rlab_buf_clear(&want);
        } else if (strcmp(k, "OKM") == 0) {
            struct rlab_buf want = gp_hex(v);
            ck_assert_uint_eq(want.len, L);
            uint8_t *okm = malloc(L);
            ck_assert_int_eq(rlab_hkdf_expand(&hash_only, h, prk, rlab_hash_len(h),
                                              info.data, info.len, okm, L),
                             RLAB_OK);
            gp_assert_bytes(okm, want.data, L, "HKDF OKM");
            free(okm);
            rlab_buf_clear(&want);
            rlab_buf_clear(&ikm);
            rlab_buf_clear(&salt);
            rlab_buf_clear(&info);
            cases++;
        }
    }
    free(text);
    ck_assert_int_ge(cases, 3);
    uint8_t big[8];
    ck_assert_int_eq(rlab_hkdf_expand(&hash_only, h, prk, 20, NULL, 0, big,
                                      255 * rlab_hash_len(h) + 1),
                     RLAB_ERR_INVALID_ARG);
}
END_TEST

void gp_hash_tcases(Suite *s)
{
    gp_add(s, "shavs", test_shavs_msg, (int)(sizeof shavs / sizeof shavs[0]));
    gp_add(s, "monte", test_shavs_monte, (int)(sizeof shavs / sizeof shavs[0]));
    gp_add(s, "long-lengths", test_hash_long_lengths, 0);
    gp_add(s, "hash-api", test_hash_api, 0);
    gp_add(s, "hmac", test_hmac_rfc, (int)(sizeof rfc4231 / sizeof rfc4231[0]));
    gp_add(s, "hkdf", test_hkdf_rfc, 2);
}
