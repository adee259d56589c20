/*
 * Negative cases (part of suite_negative, see test_negative.h): messages too
 * long, a public key where a private one is needed, raw input out of range,
 * output buffers one byte too small.  Each failure leaves *outlen == 0.
 */
#include <string.h>

#include "backends/ops.h"
#include "tests/test_negative.h"
#include "tests/testutil.h"

/* ---- messages too long ------------------------------------------------------------------ */

START_TEST(test_message_too_long)
{
    const struct rlab_backend *be = tu_backend(0);
    const rlab_hash hs[3] = {RLAB_HASH_SHA1, RLAB_HASH_SHA256, RLAB_HASH_SHA512};
    uint8_t msg[MAXK + 1], ct[MAXK];
    tu_rand(msg, sizeof msg);
    for (int i = 0; i < 3; i++) {
        tu_case("%s negative %u oaep %s message max+1 and k bytes -> MSG_TOO_LONG", be->name,
                BITS, rlab_hash_name(hs[i]));
        struct rlab_op_query q = {.op = RLAB_OP_OAEP_ENCRYPT, .hash = hs[i], .mgf1_hash = hs[i]};
        rlab_key *pub = tu_pubkey(be, BITS, 0);
        if (pub == NULL || !tu_need(be, &q))
            continue;
        struct rlab_oaep_params p = {hs[i], hs[i], NULL, 0};
        size_t k = rlab_key_size(pub);
        size_t lens[2] = {(size_t)tu_oaep_max(pub, hs[i]) + 1, k};
        for (int j = 0; j < 2; j++) {
            size_t lc = sizeof ct;
            TU_RC(rlab_oaep_encrypt(be, pub, &p, NULL, msg, lens[j], ct, &lc), RLAB_ERR_MSG_TOO_LONG,
                  j == 0 ? "oaep_encrypt of max+1 bytes" : "oaep_encrypt of k bytes");
            TU_CHECK(lc == 0, "*outlen is %zu after a failure", lc);
        }
        size_t lc = sizeof ct;
        TU_RC(rlab_oaep_encrypt(be, pub, &p, NULL, msg, lens[0] - 1, ct, &lc), RLAB_OK,
              "oaep_encrypt of exactly max bytes");
    }
    tu_case("%s negative %u pkcs1 encrypt of k-10 bytes -> MSG_TOO_LONG", be->name, BITS);
    rlab_key *pub = tu_pubkey(be, BITS, 0);
    if (pub != NULL && tu_need(be, &neg_q_v15_enc)) {
        size_t lc = sizeof ct;
        TU_RC(rlab_pkcs1_encrypt(be, pub, NULL, msg, rlab_key_size(pub) - 10, ct, &lc),
              RLAB_ERR_MSG_TOO_LONG, "pkcs1_encrypt of k-10 bytes");
        TU_CHECK(lc == 0, "*outlen is %zu after a failure", lc);
    }
    tu_test_end();
}
END_TEST

/* ---- public key where a private key is needed ------------------------------------------ */

START_TEST(test_public_key_cannot_decrypt_or_sign)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *pub = tu_pubkey(be, BITS, 0);
    uint8_t in[MAXK], out[MAXK], dig[32];
    tu_rand(dig, sizeof dig);
    struct {
        const char *name;
        const struct rlab_op_query *q;
    } ops[] = {
        {"oaep_decrypt", &neg_q_oaep_dec}, {"pkcs1_decrypt", &neg_q_v15_dec},
        {"pss_sign", &neg_q_pss_sign},     {"pkcs1_sign", &neg_q_v15_sign},
        {"raw_private", &(const struct rlab_op_query){.op = RLAB_OP_RAW_PRIVATE}},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        tu_case("%s negative %u %s with a public-only key -> KEY_NOT_PRIVATE", be->name, BITS,
                ops[i].name);
        if (pub == NULL || !tu_need(be, ops[i].q))
            continue;
        size_t k = rlab_key_size(pub), lo = sizeof out;
        tu_rand_below_n(pub, in);
        memset(out, SENTINEL, sizeof out);
        int rc;
        switch (i) {
        case 0: rc = rlab_oaep_decrypt(be, pub, &neg_oaep256, in, k, out, &lo); break;
        case 1: rc = rlab_pkcs1_decrypt(be, pub, in, k, out, &lo); break;
        case 2: rc = rlab_pss_sign(be, pub, &neg_pss256, NULL, dig, sizeof dig, out, &lo); break;
        case 3: rc = rlab_pkcs1_sign(be, pub, RLAB_HASH_SHA256, dig, sizeof dig, out, &lo); break;
        default: rc = rlab_raw_private(be, pub, in, k, out, &lo); break;
        }
        TU_RC(rc, RLAB_ERR_KEY_NOT_PRIVATE, ops[i].name);
        TU_CHECK(lo == 0, "*outlen is %zu after a failure", lo);
    }
    tu_test_end();
}
END_TEST

/* ---- raw input out of range ---------------------------------------------------------------- */

START_TEST(test_raw_input_out_of_range)
{
    const struct rlab_backend *be = tu_backend(0);
    struct rlab_op_query qpub = {.op = RLAB_OP_RAW_PUBLIC};
    struct rlab_op_query qpriv = {.op = RLAB_OP_RAW_PRIVATE};
    struct rlab_op_query qc = {.op = RLAB_OP_TO_COMPONENTS};
    rlab_key *priv = tu_key(be, BITS, 0);
    for (int which = 0; which < 3; which++) {
        static const char *const names[3] = {"n", "n+1", "2^(8k)-1"};
        tu_case("%s negative %u raw input %s -> RANGE", be->name, BITS, names[which]);
        if (priv == NULL || !tu_need(be, &qpub) || !tu_need(be, &qpriv))
            continue;
        size_t k = rlab_key_size(priv);
        uint8_t in[MAXK], out[MAXK];
        memset(in, 0xff, k);
        if (which < 2) {
            struct rlab_components c = {0};
            if (!tu_need(be, &qc) ||
                !TU_RC(rlab_key_to_components(be, priv, &c), RLAB_OK, "to_components")) {
                rlab_components_clear(&c);
                continue;
            }
            const uint8_t *np = c.n.data;
            size_t nl = c.n.len;
            while (nl > 0 && *np == 0) {
                np++;
                nl--;
            }
            memset(in, 0, k);
            if (TU_CHECK(nl == k, "n has %zu significant bytes, k is %zu", nl, k))
                memcpy(in, np, nl);
            /* n + which, carrying; n < 2^(8k) - 1 so nothing falls off. */
            unsigned carry = (unsigned)which;
            for (size_t j = k; j-- > 0 && carry;) {
                carry += in[j];
                in[j] = (uint8_t)carry;
                carry >>= 8;
            }
            rlab_components_clear(&c);
        }
        size_t lo = sizeof out;
        TU_RC(rlab_raw_public(be, priv, in, k, out, &lo), RLAB_ERR_RANGE, "raw_public");
        TU_CHECK(lo == 0, "raw_public: *outlen is %zu after a failure", lo);
        lo = sizeof out;
        TU_RC(rlab_raw_private(be, priv, in, k, out, &lo), RLAB_ERR_RANGE, "raw_private");
        TU_CHECK(lo == 0, "raw_private: *outlen is %zu after a failure", lo);
    }
    tu_test_end();
}
END_TEST

/* ---- output buffer too small ---------------------------------------------------------------- */

START_TEST(test_output_buffer_too_small)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *priv = tu_key(be, BITS, 0);
    static const char *const names[6] = {"oaep_encrypt", "pkcs1_encrypt", "pss_sign",
                                         "pkcs1_sign",   "raw_public",    "raw_private"};
    const struct rlab_op_query *qs[6] = {
        &neg_q_oaep_enc, &neg_q_v15_enc, &neg_q_pss_sign, &neg_q_v15_sign,
        &(const struct rlab_op_query){.op = RLAB_OP_RAW_PUBLIC},
        &(const struct rlab_op_query){.op = RLAB_OP_RAW_PRIVATE},
    };
    for (int i = 0; i < 6; i++) {
        tu_case("%s negative %u %s into k-1 bytes -> BUFFER_TOO_SMALL", be->name, BITS,
                names[i]);
        if (priv == NULL || !tu_need(be, qs[i]))
            continue;
        size_t k = rlab_key_size(priv), lo = k - 1;
        uint8_t in[MAXK], out[MAXK];
        tu_rand_below_n(priv, in);
        int rc;
        switch (i) {
        case 0: rc = rlab_oaep_encrypt(be, priv, &neg_oaep256, NULL, in, 16, out, &lo); break;
        case 1: rc = rlab_pkcs1_encrypt(be, priv, NULL, in, 16, out, &lo); break;
        case 2: rc = rlab_pss_sign(be, priv, &neg_pss256, NULL, in, 32, out, &lo); break;
        case 3: rc = rlab_pkcs1_sign(be, priv, RLAB_HASH_SHA256, in, 32, out, &lo); break;
        case 4: rc = rlab_raw_public(be, priv, in, k, out, &lo); break;
        default: rc = rlab_raw_private(be, priv, in, k, out, &lo); break;
        }
        TU_RC(rc, RLAB_ERR_BUFFER_TOO_SMALL, names[i]);
        TU_CHECK(lo == 0, "*outlen is %zu after a failure", lo);
    }
    tu_test_end();
}
END_TEST

/*
 * Decryption capacity: the contract (backend.h) decides BUFFER_TOO_SMALL from
 * public sizes alone, before the private operation, so a valid ciphertext
 * into one byte less than the longest possible plaintext is refused with it,
 * and a buffer of exactly that size works.
 */
START_TEST(test_decrypt_capacity)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *priv = tu_key(be, BITS, 0);
    for (int v15 = 0; v15 < 2; v15++) {
        const struct rlab_op_query qe = {.op = v15 ? RLAB_OP_PKCS1_ENCRYPT : RLAB_OP_OAEP_ENCRYPT,
                                         .hash = RLAB_HASH_SHA256,
                                         .mgf1_hash = RLAB_HASH_SHA256};
        struct rlab_op_query qd = qe;
        qd.op = v15 ? RLAB_OP_PKCS1_DECRYPT : RLAB_OP_OAEP_DECRYPT;
        tu_case("%s negative %u %s decrypt into max-1 bytes -> BUFFER_TOO_SMALL, max ok",
                be->name, BITS, v15 ? "pkcs1" : "oaep");
        if (priv == NULL || !tu_need(be, &qe) || !tu_need(be, &qd))
            continue;
        size_t k = rlab_key_size(priv);
        size_t max = v15 ? k - 11 : (size_t)tu_oaep_max(priv, RLAB_HASH_SHA256);
        uint8_t msg[16], ct[MAXK], out[MAXK];
        tu_rand(msg, sizeof msg);
        size_t lc = sizeof ct;
        int rc = v15 ? rlab_pkcs1_encrypt(be, priv, NULL, msg, sizeof msg, ct, &lc)
                     : rlab_oaep_encrypt(be, priv, &neg_oaep256, NULL, msg, sizeof msg, ct, &lc);
        if (!TU_RC(rc, RLAB_OK, "encrypt"))
            continue;
        size_t lo = max - 1;
        rc = v15 ? rlab_pkcs1_decrypt(be, priv, ct, lc, out, &lo)
                 : rlab_oaep_decrypt(be, priv, &neg_oaep256, ct, lc, out, &lo);
        TU_RC(rc, RLAB_ERR_BUFFER_TOO_SMALL, "decrypt into max-1 bytes");
        TU_CHECK(lo == 0, "*outlen is %zu after a failure", lo);
        lo = max;
        rc = v15 ? rlab_pkcs1_decrypt(be, priv, ct, lc, out, &lo)
                 : rlab_oaep_decrypt(be, priv, &neg_oaep256, ct, lc, out, &lo);
        TU_RC(rc, RLAB_OK, "decrypt into exactly max bytes");
        TU_CHECK(lo == sizeof msg && memcmp(out, msg, lo) == 0, "plaintext differs");
    }
    tu_test_end();
}
END_TEST

/* A PSS salt one byte longer than the key allows is MSG_TOO_LONG on every
 * backend; the longest allowed salt signs and verifies. */
START_TEST(test_pss_salt_too_long)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *priv = tu_key(be, BITS, 0);
    const struct rlab_op_query q = {.op = RLAB_OP_PSS_SIGN, .hash = RLAB_HASH_SHA256,
                                    .mgf1_hash = RLAB_HASH_SHA256};
    tu_case("%s negative %u pss sign salt max+1 -> MSG_TOO_LONG, max ok", be->name, BITS);
    if (priv != NULL && tu_need(be, &q)) {
        int max = tu_pss_max_salt(BITS, RLAB_HASH_SHA256);
        uint8_t dig[32], sig[MAXK];
        tu_rand(dig, sizeof dig);
        struct rlab_pss_params p = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, max + 1};
        size_t ls = sizeof sig;
        TU_RC(rlab_pss_sign(be, priv, &p, NULL, dig, sizeof dig, sig, &ls), RLAB_ERR_MSG_TOO_LONG,
              "pss_sign with salt max+1");
        TU_CHECK(ls == 0, "*outlen is %zu after a failure", ls);
        p.salt_len = max;
        ls = sizeof sig;
        if (TU_RC(rlab_pss_sign(be, priv, &p, NULL, dig, sizeof dig, sig, &ls), RLAB_OK,
                  "pss_sign with salt max"))
            TU_RC(rlab_pss_verify(be, priv, &p, dig, sizeof dig, sig, ls), RLAB_OK,
                  "pss_verify with salt max");
    }
    tu_test_end();
}
END_TEST

TCase *negative_too_long_tcase(Suite *s)
{
    TCase *tc = tu_tcase(s, "too-long");
    tcase_add_test(tc, test_message_too_long);
    return tc;
}

void negative_limits_tcases(Suite *s)
{
    TCase *tc = tu_tcase(s, "private-needed");
    tcase_add_test(tc, test_public_key_cannot_decrypt_or_sign);
    tc = tu_tcase(s, "range-and-buffers");
    tcase_add_test(tc, test_raw_input_out_of_range);
    tcase_add_test(tc, test_output_buffer_too_small);
    tcase_add_test(tc, test_decrypt_capacity);
    tcase_add_test(tc, test_pss_salt_too_long);
}
