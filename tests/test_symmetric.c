/*
 * The optional symmetric slots of one backend: AES-GCM (round trips with
 * 128- and 256-bit keys, known answers, tampering) and the hashes (FIPS
 * 180-4 "abc" answers for all seven), and core/hmac.h's HMAC and HKDF over
 * this backend's hashes (RFC 4231 cases 1-2, RFC 5869 case 1).  A backend
 * without RLAB_CAP_AEAD / RLAB_CAP_HASH shows each case as a skip with the
 * reason.
 *
 * usage: suite_symmetric BACKEND [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/hexutil.h"
#include "core/hmac.h"
#include "tests/testutil.h"

/* Decode a hex literal for a comparison; aborts the test on bad hex. */
static struct rlab_buf hex(const char *s)
{
    struct rlab_buf b = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_hex_decode(s, strlen(s), &b), RLAB_OK);
    return b;
}

static int need_aead(const struct rlab_backend *be, size_t key_len, size_t tag_len)
{
    struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = key_len, .aead_iv_len = 12,
                              .aead_tag_len = tag_len};
    return tu_need(be, &q);
}

/* ---- AES-GCM ------------------------------------------------------------------------ */

START_TEST(test_aead_roundtrip)
{
    const struct rlab_backend *be = tu_backend(0);
    const size_t key_len = _i == 0 ? 16 : 32;
    const size_t lens[] = {0, 1, 15, 16, 17, 100, 4099};
    const size_t tags[] = {16, 12};
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            size_t len = lens[i], aad_len = (i % 2) ? 13 : 0, tag_len = tags[t];
            tu_case("%s aes-%zu-gcm len=%zu aad=%zu tag=%zu seal/open (also in place)",
                    be->name, key_len * 8, len, aad_len, tag_len);
            if (!need_aead(be, key_len, tag_len))
                continue;
            uint8_t key[32], iv[12], aad[13], tag[16];
            uint8_t *msg = malloc(len + 1), *ct = malloc(len + 1), *pt = malloc(len + 1);
            ck_assert(msg && ct && pt);
            tu_rand(key, key_len);
            tu_rand(iv, sizeof iv);
            tu_rand(aad, sizeof aad);
            tu_rand(msg, len);
            rlab_aead_ctx *c = NULL;
            if (TU_RC(rlab_aead_new(be, key, key_len, &c), RLAB_OK, "aead_new")) {
                if (TU_RC(rlab_aead_seal(be, c, iv, 12, aad, aad_len, msg, len, ct, tag, tag_len),
                          RLAB_OK, "aead_seal") &&
                    TU_RC(rlab_aead_open(be, c, iv, 12, aad, aad_len, ct, len, tag, tag_len, pt),
                          RLAB_OK, "aead_open")) {
                    TU_CHECK(tu_bytes_eq(pt, len, msg, len), "opened text differs");
                    /* Below 8 bytes a ciphertext equals its plaintext by
                     * chance too often (1 in 256 for one byte) to check. */
                    TU_CHECK(len < 8 || !tu_bytes_eq(ct, len, msg, len),
                             "ciphertext equals plaintext");
                }
                /* In place: out == in. */
                uint8_t tag2[16];
                memcpy(pt, msg, len);
                if (TU_RC(rlab_aead_seal(be, c, iv, 12, aad, aad_len, pt, len, pt, tag2, tag_len),
                          RLAB_OK, "aead_seal in place")) {
                    TU_CHECK(tu_bytes_eq(pt, len, ct, len) && tu_bytes_eq(tag2, tag_len, tag, tag_len),
                             "in-place seal differs");
                    if (TU_RC(rlab_aead_open(be, c, iv, 12, aad, aad_len, pt, len, tag2, tag_len, pt),
                              RLAB_OK, "aead_open in place"))
                        TU_CHECK(tu_bytes_eq(pt, len, msg, len), "in-place open differs");
                }
            }
            rlab_aead_free(be, c);
            free(msg);
            free(ct);
            free(pt);
        }
    }
    tu_test_end();
}
END_TEST

/* McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 2
 * (AES-128) and 14 (AES-256): zero key, zero IV, one zero block. */
START_TEST(test_aead_known_answer)
{
    const struct rlab_backend *be = tu_backend(0);
    static const struct {
        size_t key_len;
        const char *ct, *tag;
    } kat[2] = {
        {16, "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"},
        {32, "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    };
    for (int i = 0; i < 2; i++) {
        tu_case("%s aes-%zu-gcm known answer (GCM spec case %d)", be->name, kat[i].key_len * 8,
                i == 0 ? 2 : 14);
        if (!need_aead(be, kat[i].key_len, 16))
            continue;
        uint8_t key[32] = {0}, iv[12] = {0}, pt[16] = {0}, ct[16], tag[16];
        struct rlab_buf want_ct = hex(kat[i].ct), want_tag = hex(kat[i].tag);
        rlab_aead_ctx *c = NULL;
        if (TU_RC(rlab_aead_new(be, key, kat[i].key_len, &c), RLAB_OK, "aead_new") &&
            TU_RC(rlab_aead_seal(be, c, iv, 12, NULL, 0, pt, 16, ct, tag, 16), RLAB_OK,
                  "aead_seal")) {
            TU_CHECK(tu_bytes_eq(ct, 16, want_ct.data, want_ct.len), "ciphertext %s",
                     tu_hex(ct, 16));
            TU_CHECK(tu_bytes_eq(tag, 16, want_tag.data, want_tag.len), "tag %s",
                     tu_hex(tag, 16));
        }
        rlab_aead_free(be, c);
        rlab_buf_clear(&want_ct);
        rlab_buf_clear(&want_tag);
    }
    tu_test_end();
}
END_TEST

START_TEST(test_aead_tamper)
{
    const struct rlab_backend *be = tu_backend(0);
    const size_t key_len = _i == 0 ? 16 : 32;
    static const char *const what[4] = {"tag", "ciphertext", "aad", "iv"};
    for (int w = 0; w < 4; w++) {
        tu_case("%s aes-%zu-gcm flipped bit in the %s -> AUTH, output zeroed", be->name,
                key_len * 8, what[w]);
        if (!need_aead(be, key_len, 16))
            continue;
        uint8_t key[32], iv[12], aad[20], msg[64], ct[64], out[64], tag[16];
        tu_rand(key, key_len);
        tu_rand(iv, sizeof iv);
        tu_rand(aad, sizeof aad);
        tu_rand(msg, sizeof msg);
        rlab_aead_ctx *c = NULL;
        if (TU_RC(rlab_aead_new(be, key, key_len, &c), RLAB_OK, "aead_new") &&
            TU_RC(rlab_aead_seal(be, c, iv, 12, aad, sizeof aad, msg, sizeof msg, ct, tag, 16),
                  RLAB_OK, "aead_seal")) {
            uint8_t *target[4] = {tag, ct, aad, iv};
            size_t tlen[4] = {16, sizeof ct, sizeof aad, 12};
            size_t bit = tu_rand_below((uint32_t)(tlen[w] * 8));
            target[w][bit / 8] ^= (uint8_t)(1u << (bit % 8));
            memset(out, 0xA5, sizeof out);
            TU_RC(rlab_aead_open(be, c, iv, 12, aad, sizeof aad, ct, sizeof ct, tag, 16, out),
                  RLAB_ERR_AUTH, "aead_open");
            size_t nonzero = 0;
            for (size_t i = 0; i < sizeof out; i++)
                nonzero += out[i] != 0;
            TU_CHECK(nonzero == 0, "%zu output bytes not zeroed after a failed open", nonzero);
        }
        rlab_aead_free(be, c);
    }
    tu_test_end();
}
END_TEST

/* ---- hashes ------------------------------------------------------------------------- */

/* FIPS 180-4 examples (NIST CSRC "Examples with Intermediate Values"). */
static const char *const abc_digest[RLAB_HASH_COUNT] = {
    [RLAB_HASH_SHA1] = "a9993e364706816aba3e25717850c26c9cd0d89d",
    [RLAB_HASH_SHA224] = "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
    [RLAB_HASH_SHA256] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    [RLAB_HASH_SHA384] = "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
                         "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    [RLAB_HASH_SHA512] = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                         "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    [RLAB_HASH_SHA512_224] = "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa",
    [RLAB_HASH_SHA512_256] = "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
};

START_TEST(test_hash_abc)
{
    const struct rlab_backend *be = tu_backend(0);
    for (int i = 0; i < TU_NHASH; i++) {
        rlab_hash h = tu_hashes[i];
        tu_case("%s hash %s(\"abc\") one call, three updates, one-shot helper", be->name,
                rlab_hash_name(h));
        struct rlab_op_query q = {.op = RLAB_OP_HASH, .hash = h};
        if (!tu_need(be, &q))
            continue;
        struct rlab_buf want = hex(abc_digest[h]);
        size_t hl = rlab_hash_len(h);
        TU_CHECK(want.len == hl, "table length %zu vs rlab_hash_len %zu", want.len, hl);
        uint8_t out[RLAB_HASH_MAX_LEN];
        rlab_hash_ctx *c = NULL;
        if (TU_RC(rlab_hash_new(be, h, &c), RLAB_OK, "hash_new") &&
            TU_RC(rlab_hash_update(be, c, (const uint8_t *)"abc", 3), RLAB_OK, "hash_update") &&
            TU_RC(rlab_hash_final(be, c, out), RLAB_OK, "hash_final"))
            TU_CHECK(tu_bytes_eq(out, hl, want.data, want.len), "digest %s", tu_hex(out, hl));
        c = NULL;
        memset(out, 0, sizeof out);
        if (TU_RC(rlab_hash_new(be, h, &c), RLAB_OK, "hash_new") &&
            TU_RC(rlab_hash_update(be, c, (const uint8_t *)"a", 1), RLAB_OK, "hash_update a") &&
            TU_RC(rlab_hash_update(be, c, (const uint8_t *)"", 0), RLAB_OK, "hash_update empty") &&
            TU_RC(rlab_hash_update(be, c, (const uint8_t *)"bc", 2), RLAB_OK, "hash_update bc") &&
            TU_RC(rlab_hash_final(be, c, out), RLAB_OK, "hash_final"))
            TU_CHECK(tu_bytes_eq(out, hl, want.data, want.len), "digest in pieces %s",
                     tu_hex(out, hl));
        memset(out, 0, sizeof out);
        if (TU_RC(rlab_backend_hash(be, h, (const uint8_t *)"abc", 3, out), RLAB_OK,
                  "rlab_backend_hash"))
            TU_CHECK(tu_bytes_eq(out, hl, want.data, want.len), "one-shot digest %s",
                     tu_hex(out, hl));
        /* An abandoned context is freed without a final (ASan sees leaks). */
        c = NULL;
        if (TU_RC(rlab_hash_new(be, h, &c), RLAB_OK, "hash_new"))
            rlab_hash_free(be, c);
        rlab_hash_free(be, NULL);
        rlab_buf_clear(&want);
    }
    tu_test_end();
}
END_TEST

/* ---- HMAC and HKDF over this backend ------------------------------------------------- */

/* RFC 4231 test cases 1 and 2. */
static const struct {
    rlab_hash h;
    int tc;
    const char *mac;
} rfc4231[] = {
    {RLAB_HASH_SHA224, 1, "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22"},
    {RLAB_HASH_SHA256, 1, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {RLAB_HASH_SHA384, 1, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6"
                          "82aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"},
    {RLAB_HASH_SHA512, 1, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                          "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {RLAB_HASH_SHA224, 2, "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44"},
    {RLAB_HASH_SHA256, 2, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {RLAB_HASH_SHA384, 2, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
                          "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"},
    {RLAB_HASH_SHA512, 2, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                          "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
};

START_TEST(test_hmac_rfc4231)
{
    const struct rlab_backend *be = tu_backend(0);
    uint8_t key1[20];
    memset(key1, 0x0b, sizeof key1);
    for (size_t i = 0; i < sizeof rfc4231 / sizeof rfc4231[0]; i++) {
        rlab_hash h = rfc4231[i].h;
        tu_case("%s hmac-%s RFC 4231 case %d", be->name, rlab_hash_name(h), rfc4231[i].tc);
        struct rlab_op_query q = {.op = RLAB_OP_HASH, .hash = h};
        if (!tu_need(be, &q))
            continue;
        const uint8_t *key = rfc4231[i].tc == 1 ? key1 : (const uint8_t *)"Jefe";
        size_t key_len = rfc4231[i].tc == 1 ? sizeof key1 : 4;
        const char *msg = rfc4231[i].tc == 1 ? "Hi There" : "what do ya want for nothing?";
        uint8_t out[RLAB_HASH_MAX_LEN];
        struct rlab_buf want = hex(rfc4231[i].mac);
        if (TU_RC(rlab_hmac(be, h, key, key_len, (const uint8_t *)msg, strlen(msg), out),
                  RLAB_OK, "rlab_hmac"))
            TU_CHECK(tu_bytes_eq(out, rlab_hash_len(h), want.data, want.len), "mac %s",
                     tu_hex(out, rlab_hash_len(h)));
        rlab_buf_clear(&want);
    }
    tu_test_end();
}
END_TEST

START_TEST(test_hkdf_rfc5869)
{
    const struct rlab_backend *be = tu_backend(0);
    tu_case("%s hkdf-sha256 RFC 5869 case 1 (extract and expand)", be->name);
    struct rlab_op_query q = {.op = RLAB_OP_HASH, .hash = RLAB_HASH_SHA256};
    if (tu_need(be, &q)) {
        uint8_t ikm[22], salt[13], info[10], prk[32], okm[42];
        memset(ikm, 0x0b, sizeof ikm);
        for (int i = 0; i < 13; i++)
            salt[i] = (uint8_t)i;
        for (int i = 0; i < 10; i++)
            info[i] = (uint8_t)(0xf0 + i);
        struct rlab_buf want_prk =
            hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        struct rlab_buf want_okm = hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56"
                                       "ecc4c5bf34007208d5b887185865");
        if (TU_RC(rlab_hkdf_extract(be, RLAB_HASH_SHA256, salt, sizeof salt, ikm, sizeof ikm,
                                    prk),
                  RLAB_OK, "rlab_hkdf_extract")) {
            TU_CHECK(tu_bytes_eq(prk, 32, want_prk.data, want_prk.len), "prk %s",
                     tu_hex(prk, 32));
            if (TU_RC(rlab_hkdf_expand(be, RLAB_HASH_SHA256, prk, 32, info, sizeof info, okm,
                                       sizeof okm),
                      RLAB_OK, "rlab_hkdf_expand"))
                TU_CHECK(tu_bytes_eq(okm, 42, want_okm.data, want_okm.len), "okm %s",
                         tu_hex(okm, 42));
        }
        rlab_buf_clear(&want_prk);
        rlab_buf_clear(&want_okm);
    }
    tu_test_end();
}
END_TEST

int main(int argc, char **argv)
{
    tu_init(argc, argv, 1);
    Suite *s = suite_create("symmetric");
    TCase *tc = tu_tcase(s, "aes-gcm");
    tcase_add_loop_test(tc, test_aead_roundtrip, 0, 2);
    tcase_add_test(tc, test_aead_known_answer);
    tcase_add_loop_test(tc, test_aead_tamper, 0, 2);
    tc = tu_tcase(s, "hash");
    tcase_add_test(tc, test_hash_abc);
    tc = tu_tcase(s, "hmac-hkdf");
    tcase_add_test(tc, test_hmac_rfc4231);
    tcase_add_test(tc, test_hkdf_rfc5869);
    return tu_run(s);
}
