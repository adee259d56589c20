/*
 * Negative cases (part of suite_negative, see test_negative.h): parameters
 * that differ from the ones used to encrypt or sign, values that are no
 * ciphertext or signature at all, digests of the wrong length.
 */
#include <string.h>

#include "backends/ops.h"
#include "tests/test_negative.h"
#include "tests/testutil.h"

/* Parameters that differ from the ones used to sign or encrypt. */
START_TEST(test_wrong_parameters)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *priv = tu_key(be, BITS, 0), *pub = tu_pubkey(be, BITS, 0);
    uint8_t dig[32], sig[MAXK], msg[16], ct[MAXK];
    size_t ls = sizeof sig, lc = sizeof ct;
    tu_rand(dig, sizeof dig);
    tu_rand(msg, sizeof msg);

    tu_case("%s negative %u oaep label 'a' decrypted with label 'b' -> DECRYPT", be->name,
            BITS);
    struct rlab_oaep_params la = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, (const uint8_t *)"a", 1};
    struct rlab_oaep_params lb = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, (const uint8_t *)"b", 1};
    struct rlab_op_query q = neg_q_oaep_dec;
    q.label_len = 1;
    if (priv && pub && tu_need(be, &q) &&
        TU_RC(rlab_oaep_encrypt(be, pub, &la, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "oaep_encrypt")) {
        neg_oaep_fails(be, priv, &lb, ct, lc, "oaep_decrypt, other label");
        neg_oaep_fails(be, priv, &neg_oaep256, ct, lc, "oaep_decrypt, no label");
    }

    tu_case("%s negative %u oaep sha256 decrypted as sha1 -> DECRYPT", be->name, BITS);
    struct rlab_oaep_params s1 = {RLAB_HASH_SHA1, RLAB_HASH_SHA1, NULL, 0};
    q = neg_q_oaep_dec;
    q.hash = q.mgf1_hash = RLAB_HASH_SHA1;
    lc = sizeof ct;
    if (priv && pub && tu_need(be, &q) &&
        TU_RC(rlab_oaep_encrypt(be, pub, &neg_oaep256, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "oaep_encrypt")) {
        neg_oaep_fails(be, priv, &s1, ct, lc, "oaep_decrypt as sha1");
    }

    tu_case("%s negative %u pss salt 32 verified with salt 20 -> VERIFY", be->name, BITS);
    if (priv && pub && tu_need(be, &neg_q_pss_sign) &&
        TU_RC(rlab_pss_sign(be, priv, &neg_pss256, NULL, dig, sizeof dig, sig, &ls), RLAB_OK,
              "pss_sign")) {
        struct rlab_pss_params p20 = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 20};
        TU_RC(rlab_pss_verify(be, pub, &p20, dig, sizeof dig, sig, ls), RLAB_ERR_VERIFY,
              "pss_verify salt 20");
    }

    tu_case("%s negative %u pkcs1 sha256 signature verified as sha512-256 -> VERIFY",
            be->name, BITS);
    q = neg_q_v15_verify;
    q.hash = RLAB_HASH_SHA512_256;
    ls = sizeof sig;
    if (priv && pub && tu_need(be, &neg_q_v15_sign) && tu_need(be, &q) &&
        TU_RC(rlab_pkcs1_sign(be, priv, RLAB_HASH_SHA256, dig, sizeof dig, sig, &ls), RLAB_OK,
              "pkcs1_sign"))
        TU_RC(rlab_pkcs1_verify(be, pub, RLAB_HASH_SHA512_256, dig, sizeof dig, sig, ls),
              RLAB_ERR_VERIFY, "pkcs1_verify as sha512-256");

    tu_case("%s negative %u oaep ciphertext one byte short -> DECRYPT", be->name, BITS);
    lc = sizeof ct;
    if (priv && pub && tu_need(be, &neg_q_oaep_dec) &&
        TU_RC(rlab_oaep_encrypt(be, pub, &neg_oaep256, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "oaep_encrypt")) {
        neg_oaep_fails(be, priv, &neg_oaep256, ct + 1, lc - 1, "oaep_decrypt of k-1 bytes");
    }
    tu_test_end();
}
END_TEST

/* Values that are no ciphertext or signature at all: 0, n, 2^(8k)-1, and
 * the wrong length (empty, k+1).  Decryption says DECRYPT (never RANGE: one
 * code for every failure), verification says VERIFY. */
START_TEST(test_out_of_range_ciphertext_and_signature)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *priv = tu_key(be, BITS, 0), *pub = tu_pubkey(be, BITS, 0);
    struct rlab_op_query qc = {.op = RLAB_OP_TO_COMPONENTS};
    uint8_t n[MAXK + 1] = {0}, in[MAXK + 1], dig[32];
    int have_n = 0;
    tu_rand(dig, sizeof dig);
    if (priv != NULL && rlab_backend_check(be, &qc) == NULL) {
        struct rlab_components c = {0};
        size_t k = rlab_key_size(priv);
        if (rlab_key_to_components(be, priv, &c) == RLAB_OK && c.n.len >= k) {
            memcpy(n, c.n.data + c.n.len - k, k);
            have_n = 1;
        }
        rlab_components_clear(&c);
    }
    static const char *const names[5] = {"0", "n", "2^(8k)-1", "empty", "k+1 bytes"};
    for (int v = 0; v < 5; v++) {
        if (v == 1 && !have_n)
            continue;
        for (int op = 0; op < 4; op++) {
            static const char *const ops[4] = {"oaep_decrypt", "pkcs1_decrypt", "pss_verify",
                                               "pkcs1_verify"};
            const struct rlab_op_query *q[4] = {&neg_q_oaep_dec, &neg_q_v15_dec, &neg_q_pss_verify,
                                                &neg_q_v15_verify};
            tu_case("%s negative %u %s of %s -> %s", be->name, BITS, ops[op], names[v],
                    op < 2 ? "DECRYPT" : "VERIFY");
            if (priv == NULL || pub == NULL || !tu_need(be, q[op]))
                continue;
            size_t k = rlab_key_size(priv), len = k;
            memset(in, v == 2 ? 0xff : 0, sizeof in);
            if (v == 1)
                memcpy(in, n, k);
            if (v == 3)
                len = 0;
            if (v == 4) {
                tu_rand_below_n(priv, in + 1);
                in[0] = 0;
                len = k + 1;
            }
            switch (op) {
            case 0:
                neg_oaep_fails(be, priv, &neg_oaep256, in, len, ops[op]);
                break;
            case 1:
                neg_v15_fails(be, priv, in, len, NULL, 0, ops[op]);
                break;
            case 2:
                TU_RC(rlab_pss_verify(be, pub, &neg_pss256, dig, sizeof dig, in, len), RLAB_ERR_VERIFY,
                      ops[op]);
                break;
            default:
                TU_RC(rlab_pkcs1_verify(be, pub, RLAB_HASH_SHA256, dig, sizeof dig, in, len),
                      RLAB_ERR_VERIFY, ops[op]);
                break;
            }
        }
    }
    tu_test_end();
}
END_TEST

/* A digest whose length is not the hash's is a caller error. */
START_TEST(test_sign_digest_length_mismatch)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *priv = tu_key(be, BITS, 0);
    uint8_t dig[RLAB_HASH_MAX_LEN], out[MAXK];
    tu_rand(dig, sizeof dig);
    const size_t lens[2] = {31, 48};
    for (int i = 0; i < 2; i++) {
        tu_case("%s negative %u pss_sign and pkcs1_sign sha256 of a %zu-byte digest -> "
                "INVALID_ARG",
                be->name, BITS, lens[i]);
        if (priv == NULL || !tu_need(be, &neg_q_pss_sign) || !tu_need(be, &neg_q_v15_sign))
            continue;
        size_t lo = sizeof out;
        TU_RC(rlab_pss_sign(be, priv, &neg_pss256, NULL, dig, lens[i], out, &lo), RLAB_ERR_INVALID_ARG,
              "pss_sign");
        TU_CHECK(lo == 0, "pss_sign: *outlen is %zu after a failure", lo);
        lo = sizeof out;
        TU_RC(rlab_pkcs1_sign(be, priv, RLAB_HASH_SHA256, dig, lens[i], out, &lo),
              RLAB_ERR_INVALID_ARG, "pkcs1_sign");
        TU_CHECK(lo == 0, "pkcs1_sign: *outlen is %zu after a failure", lo);
    }
    tu_test_end();
}
END_TEST

void negative_params_tests(TCase *tc)
{
    tcase_add_test(tc, test_wrong_parameters);
    tcase_add_test(tc, test_out_of_range_ciphertext_and_signature);
    tcase_add_test(tc, test_sign_digest_length_mismatch);
}
