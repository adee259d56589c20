/*
 * Negative cases on one backend, each asserting the error code the interface
 * documents: wrong key, flipped bits in ciphertexts and signatures, messages
 * too long, malformed and truncated key files, a public key where a private
 * one is needed, raw input out of range, output buffers too small.  Every
 * failed decryption must also leave *outlen == 0 and the output buffer either
 * untouched or zeroed (no plaintext, no partial decoding).  This file holds
 * what the parts share, the wrong-key and flipped-bit cases, and main; the
 * other parts are listed in test_negative.h.
 *
 * usage: suite_negative BACKEND [SEED]
 */
#include <stdio.h>
#include <string.h>

#include "backends/ops.h"
#include "tests/test_negative.h"
#include "tests/testutil.h"

const struct rlab_oaep_params neg_oaep256 = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};
const struct rlab_pss_params neg_pss256 = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 32};

const struct rlab_op_query neg_q_oaep_enc = {.op = RLAB_OP_OAEP_ENCRYPT,
                                             .hash = RLAB_HASH_SHA256,
                                             .mgf1_hash = RLAB_HASH_SHA256};
const struct rlab_op_query neg_q_oaep_dec = {.op = RLAB_OP_OAEP_DECRYPT,
                                             .hash = RLAB_HASH_SHA256,
                                             .mgf1_hash = RLAB_HASH_SHA256};
const struct rlab_op_query neg_q_pss_sign = {.op = RLAB_OP_PSS_SIGN,
                                             .hash = RLAB_HASH_SHA256,
                                             .mgf1_hash = RLAB_HASH_SHA256,
                                             .salt_len = 32};
const struct rlab_op_query neg_q_pss_verify = {.op = RLAB_OP_PSS_VERIFY,
                                               .hash = RLAB_HASH_SHA256,
                                               .mgf1_hash = RLAB_HASH_SHA256,
                                               .salt_len = 32};
const struct rlab_op_query neg_q_v15_sign = {.op = RLAB_OP_PKCS1_SIGN,
                                             .hash = RLAB_HASH_SHA256};
const struct rlab_op_query neg_q_v15_verify = {.op = RLAB_OP_PKCS1_VERIFY,
                                               .hash = RLAB_HASH_SHA256};
const struct rlab_op_query neg_q_v15_enc = {.op = RLAB_OP_PKCS1_ENCRYPT};
const struct rlab_op_query neg_q_v15_dec = {.op = RLAB_OP_PKCS1_DECRYPT};

/* A failed decryption: the code, *outlen == 0, and out untouched or zeroed. */
static void check_decrypt_failed(int rc, const uint8_t *out, size_t outlen, size_t cap,
                                 const char *what)
{
    TU_RC(rc, RLAB_ERR_DECRYPT, what);
    TU_CHECK(outlen == 0, "%s: *outlen is %zu after a failure", what, outlen);
    size_t bad = 0;
    for (size_t i = 0; i < cap; i++)
        bad += out[i] != SENTINEL && out[i] != 0;
    TU_CHECK(bad == 0, "%s: %zu output bytes written and not wiped after a failure", what,
             bad);
}

void neg_oaep_fails(const struct rlab_backend *be, const rlab_key *k,
                    const struct rlab_oaep_params *p, const uint8_t *ct, size_t lc,
                    const char *what)
{
    uint8_t out[MAXK];
    size_t lo = MAXK;
    memset(out, SENTINEL, MAXK);
    int rc = rlab_oaep_decrypt(be, k, p, ct, lc, out, &lo);
    check_decrypt_failed(rc, out, lo, MAXK, what);
}

void neg_v15_fails(const struct rlab_backend *be, const rlab_key *k, const uint8_t *ct,
                   size_t lc, const uint8_t *msg, size_t mlen, const char *what)
{
    uint8_t out[MAXK];
    size_t lo = MAXK;
    memset(out, SENTINEL, MAXK);
    int rc = rlab_pkcs1_decrypt(be, k, ct, lc, out, &lo);
    if (msg != NULL && rc == RLAB_OK) {
        printf("NOTE %s: corrupted v1.5 ciphertext decoded to %zu bytes (possible, rare)\n",
               what, lo);
        TU_CHECK(!tu_bytes_eq(out, lo, msg, mlen), "%s: gave back the original message",
                 what);
        return;
    }
    check_decrypt_failed(rc, out, lo, MAXK, what);
}

/* ---- wrong key --------------------------------------------------------------------- */

START_TEST(test_decrypt_with_wrong_key)
{
    const struct rlab_backend *be = tu_backend(0);
    uint8_t msg[32], ct[MAXK];
    size_t lc = sizeof ct;
    tu_rand(msg, sizeof msg);

    tu_case("%s negative %u oaep sha256 decrypt with another key -> DECRYPT", be->name, BITS);
    rlab_key *pub0 = tu_pubkey(be, BITS, 0), *priv1 = tu_key(be, BITS, 1);
    if (pub0 && priv1 && tu_need(be, &neg_q_oaep_enc) && tu_need(be, &neg_q_oaep_dec) &&
        TU_RC(rlab_oaep_encrypt(be, pub0, &neg_oaep256, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "oaep_encrypt")) {
        neg_oaep_fails(be, priv1, &neg_oaep256, ct, lc, "oaep_decrypt with key #1");
    }

    tu_case("%s negative %u pkcs1 decrypt with another key -> DECRYPT", be->name, BITS);
    lc = sizeof ct;
    if (pub0 && priv1 && tu_need(be, &neg_q_v15_enc) && tu_need(be, &neg_q_v15_dec) &&
        TU_RC(rlab_pkcs1_encrypt(be, pub0, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "pkcs1_encrypt")) {
        neg_v15_fails(be, priv1, ct, lc, msg, sizeof msg, "pkcs1_decrypt with key #1");
    }
    tu_test_end();
}
END_TEST

START_TEST(test_verify_with_wrong_key)
{
    const struct rlab_backend *be = tu_backend(0);
    uint8_t dig[32], sig[MAXK];
    size_t ls = sizeof sig;
    tu_rand(dig, sizeof dig);
    rlab_key *priv0 = tu_key(be, BITS, 0), *pub1 = tu_pubkey(be, BITS, 1);

    tu_case("%s negative %u pss sha256 verify with another key -> VERIFY", be->name, BITS);
    if (priv0 && pub1 && tu_need(be, &neg_q_pss_sign) && tu_need(be, &neg_q_pss_verify) &&
        TU_RC(rlab_pss_sign(be, priv0, &neg_pss256, NULL, dig, sizeof dig, sig, &ls), RLAB_OK,
              "pss_sign"))
        TU_RC(rlab_pss_verify(be, pub1, &neg_pss256, dig, sizeof dig, sig, ls), RLAB_ERR_VERIFY,
              "pss_verify with key #1");

    tu_case("%s negative %u pkcs1 sha256 verify with another key -> VERIFY", be->name, BITS);
    ls = sizeof sig;
    if (priv0 && pub1 && tu_need(be, &neg_q_v15_sign) && tu_need(be, &neg_q_v15_verify) &&
        TU_RC(rlab_pkcs1_sign(be, priv0, RLAB_HASH_SHA256, dig, sizeof dig, sig, &ls), RLAB_OK,
              "pkcs1_sign"))
        TU_RC(rlab_pkcs1_verify(be, pub1, RLAB_HASH_SHA256, dig, sizeof dig, sig, ls),
              RLAB_ERR_VERIFY, "pkcs1_verify with key #1");
    tu_test_end();
}
END_TEST

/* ---- flipped bits --------------------------------------------------------------------- */

/* Bit positions to flip in a k-byte value: every bit of the first, middle and
 * last bytes, and `extra` random ones. */
static size_t flip_positions(size_t k, size_t extra, size_t *pos)
{
    size_t n = 0;
    const size_t bytes[3] = {0, k / 2, k - 1};
    for (int b = 0; b < 3; b++)
        for (size_t bit = 0; bit < 8; bit++)
            pos[n++] = bytes[b] * 8 + bit;
    for (size_t i = 0; i < extra; i++)
        pos[n++] = tu_rand_below((uint32_t)(k * 8));
    return n;
}

START_TEST(test_flipped_ciphertext_bit)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *priv = tu_key(be, BITS, 0), *pub = tu_pubkey(be, BITS, 0);
    uint8_t msg[40], ct[MAXK], bad[MAXK];
    size_t pos[24 + 16];
    tu_rand(msg, sizeof msg);
    for (int v15 = 0; v15 <= 1; v15++) {
        tu_case("%s negative %u %s ciphertext", be->name, BITS, v15 ? "pkcs1" : "oaep sha256");
        if (priv == NULL || pub == NULL)
            break;
        if (!(v15 ? tu_need(be, &neg_q_v15_enc) && tu_need(be, &neg_q_v15_dec)
                  : tu_need(be, &neg_q_oaep_enc) && tu_need(be, &neg_q_oaep_dec)))
            continue;
        size_t lc = sizeof ct;
        int rc = v15 ? rlab_pkcs1_encrypt(be, pub, NULL, msg, sizeof msg, ct, &lc)
                     : rlab_oaep_encrypt(be, pub, &neg_oaep256, NULL, msg, sizeof msg, ct, &lc);
        if (!TU_RC(rc, RLAB_OK, "encrypt"))
            continue;
        size_t n = flip_positions(lc, v15 ? 8 : 16, pos);
        for (size_t i = 0; i < n; i++) {
            tu_case("%s negative %u %s ciphertext bit %zu flipped -> DECRYPT", be->name, BITS,
                    v15 ? "pkcs1" : "oaep sha256", pos[i]);
            memcpy(bad, ct, lc);
            bad[pos[i] / 8] ^= (uint8_t)(0x80u >> (pos[i] % 8));
            if (v15) {
                neg_v15_fails(be, priv, bad, lc, msg, sizeof msg, "pkcs1_decrypt");
            } else {
                neg_oaep_fails(be, priv, &neg_oaep256, bad, lc, "oaep_decrypt");
            }
        }
    }
    tu_test_end();
}
END_TEST

START_TEST(test_flipped_signature_bit)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *priv = tu_key(be, BITS, 0), *pub = tu_pubkey(be, BITS, 0);
    uint8_t dig[32], sig[MAXK], bad[MAXK];
    size_t pos[24 + 8];
    tu_rand(dig, sizeof dig);
    for (int v15 = 0; v15 <= 1; v15++) {
        const char *name = v15 ? "pkcs1 sha256" : "pss sha256";
        tu_case("%s negative %u %s signature", be->name, BITS, name);
        if (priv == NULL || pub == NULL)
            break;
        if (!(v15 ? tu_need(be, &neg_q_v15_sign) && tu_need(be, &neg_q_v15_verify)
                  : tu_need(be, &neg_q_pss_sign) && tu_need(be, &neg_q_pss_verify)))
            continue;
        size_t ls = sizeof sig;
        int rc = v15 ? rlab_pkcs1_sign(be, priv, RLAB_HASH_SHA256, dig, sizeof dig, sig, &ls)
                     : rlab_pss_sign(be, priv, &neg_pss256, NULL, dig, sizeof dig, sig, &ls);
        if (!TU_RC(rc, RLAB_OK, "sign"))
            continue;
        size_t n = flip_positions(ls, 8, pos);
        for (size_t i = 0; i < n; i++) {
            tu_case("%s negative %u %s signature bit %zu flipped -> VERIFY", be->name, BITS,
                    name, pos[i]);
            memcpy(bad, sig, ls);
            bad[pos[i] / 8] ^= (uint8_t)(0x80u >> (pos[i] % 8));
            rc = v15 ? rlab_pkcs1_verify(be, pub, RLAB_HASH_SHA256, dig, sizeof dig, bad, ls)
                     : rlab_pss_verify(be, pub, &neg_pss256, dig, sizeof dig, bad, ls);
            TU_RC(rc, RLAB_ERR_VERIFY, "verify");
        }
        tu_case("%s negative %u %s signature, digest changed -> VERIFY", be->name, BITS, name);
        uint8_t dig2[32];
        memcpy(dig2, dig, sizeof dig);
        dig2[31] ^= 1;
        rc = v15 ? rlab_pkcs1_verify(be, pub, RLAB_HASH_SHA256, dig2, sizeof dig2, sig, ls)
                 : rlab_pss_verify(be, pub, &neg_pss256, dig2, sizeof dig2, sig, ls);
        TU_RC(rc, RLAB_ERR_VERIFY, "verify of another digest");
        tu_case("%s negative %u %s signature one byte short / long -> VERIFY", be->name,
                BITS, name);
        memcpy(bad, sig, ls);
        bad[ls] = 0;
        for (int d = -1; d <= 1; d += 2) {
            size_t l = (size_t)((long)ls + d);
            const uint8_t *s = d < 0 ? sig + 1 : bad;
            rc = v15 ? rlab_pkcs1_verify(be, pub, RLAB_HASH_SHA256, dig, sizeof dig, s, l)
                     : rlab_pss_verify(be, pub, &neg_pss256, dig, sizeof dig, s, l);
            TU_RC(rc, RLAB_ERR_VERIFY, d < 0 ? "verify of k-1 bytes" : "verify of k+1 bytes");
        }
    }
    tu_test_end();
}
END_TEST

int main(int argc, char **argv)
{
    tu_init(argc, argv, 1);
    Suite *s = suite_create("negative");
    TCase *tc = tu_tcase(s, "wrong-key");
    tcase_add_test(tc, test_decrypt_with_wrong_key);
    tcase_add_test(tc, test_verify_with_wrong_key);
    tc = tu_tcase(s, "flipped-bits");
    tcase_add_test(tc, test_flipped_ciphertext_bit);
    tcase_add_test(tc, test_flipped_signature_bit);
    negative_params_tests(tc);
    negative_too_long_tcase(s);
    negative_key_files_tcase(s);
    negative_limits_tcases(s);
    return tu_run(s);
}
