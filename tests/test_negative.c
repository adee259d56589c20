/*
 * Negative cases on one backend, each asserting the error code the interface
 * documents: wrong key, flipped bits in ciphertexts and signatures, messages
 * too long, malformed and truncated key files, a public key where a private
 * one is needed, raw input out of range, output buffers too small.  Every
 * failed decryption must also leave *outlen == 0 and the output buffer either
 * untouched or zeroed (no plaintext, no partial decoding).  The key-file
 * cases are in test_negative_keys.c.
 *
 * usage: suite_negative BACKEND [SEED]
 */
#include <stdio.h>
#include <string.h>

#include "test_negative.h"
#include "testutil.h"

#define BITS 2048
#define MAXK 512
#define SENTINEL 0xA5

static const struct rlab_oaep_params oaep256 = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};
static const struct rlab_pss_params pss256 = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 32};

static const struct rlab_op_query q_oaep_enc = {.op = RLAB_OP_OAEP_ENCRYPT,
                                                .hash = RLAB_HASH_SHA256,
                                                .mgf1_hash = RLAB_HASH_SHA256};
static const struct rlab_op_query q_oaep_dec = {.op = RLAB_OP_OAEP_DECRYPT,
                                                .hash = RLAB_HASH_SHA256,
                                                .mgf1_hash = RLAB_HASH_SHA256};
static const struct rlab_op_query q_pss_sign = {.op = RLAB_OP_PSS_SIGN,
                                                .hash = RLAB_HASH_SHA256,
                                                .mgf1_hash = RLAB_HASH_SHA256,
                                                .salt_len = 32};
static const struct rlab_op_query q_pss_verify = {.op = RLAB_OP_PSS_VERIFY,
                                                  .hash = RLAB_HASH_SHA256,
                                                  .mgf1_hash = RLAB_HASH_SHA256,
                                                  .salt_len = 32};
static const struct rlab_op_query q_v15_sign = {.op = RLAB_OP_PKCS1_SIGN,
                                                .hash = RLAB_HASH_SHA256};
static const struct rlab_op_query q_v15_verify = {.op = RLAB_OP_PKCS1_VERIFY,
                                                  .hash = RLAB_HASH_SHA256};
static const struct rlab_op_query q_v15_enc = {.op = RLAB_OP_PKCS1_ENCRYPT};
static const struct rlab_op_query q_v15_dec = {.op = RLAB_OP_PKCS1_DECRYPT};

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

/* v1.5 decryption of a corrupted ciphertext: the padding of a random block
 * is valid with probability about 2^-16, so RLAB_OK is possible in principle;
 * it must then at least not give back the original message. */
static void check_v15_decrypt_rejected(int rc, const uint8_t *out, size_t outlen, size_t cap,
                                       const uint8_t *msg, size_t mlen, const char *what)
{
    if (rc == RLAB_OK) {
        printf("NOTE %s: corrupted v1.5 ciphertext decoded to %zu bytes (possible, rare)\n",
               what, outlen);
        TU_CHECK(!tu_bytes_eq(out, outlen, msg, mlen), "%s: gave back the original message",
                 what);
        return;
    }
    check_decrypt_failed(rc, out, outlen, cap, what);
}

static int oaep_decrypt_into(const struct rlab_backend *be, const rlab_key *k,
                             const struct rlab_oaep_params *p, const uint8_t *ct, size_t lc,
                             uint8_t *out, size_t *outlen)
{
    memset(out, SENTINEL, MAXK);
    *outlen = MAXK;
    return be->oaep_decrypt(k, p, ct, lc, out, outlen);
}

static int v15_decrypt_into(const struct rlab_backend *be, const rlab_key *k,
                            const uint8_t *ct, size_t lc, uint8_t *out, size_t *outlen)
{
    memset(out, SENTINEL, MAXK);
    *outlen = MAXK;
    return be->pkcs1_decrypt(k, ct, lc, out, outlen);
}

/* ---- wrong key --------------------------------------------------------------------- */

START_TEST(test_decrypt_with_wrong_key)
{
    const struct rlab_backend *be = tu_backend(0);
    uint8_t msg[32], ct[MAXK], out[MAXK];
    size_t lc = sizeof ct, lo;
    tu_rand(msg, sizeof msg);

    tu_case("%s negative %u oaep sha256 decrypt with another key -> DECRYPT", be->name, BITS);
    rlab_key *pub0 = tu_pubkey(be, BITS, 0), *priv1 = tu_key(be, BITS, 1);
    if (pub0 && priv1 && tu_need(be, &q_oaep_enc) && tu_need(be, &q_oaep_dec) &&
        TU_RC(be->oaep_encrypt(pub0, &oaep256, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "oaep_encrypt")) {
        int rc = oaep_decrypt_into(be, priv1, &oaep256, ct, lc, out, &lo);
        check_decrypt_failed(rc, out, lo, MAXK, "oaep_decrypt with key #1");
    }

    tu_case("%s negative %u pkcs1 decrypt with another key -> DECRYPT", be->name, BITS);
    lc = sizeof ct;
    if (pub0 && priv1 && tu_need(be, &q_v15_enc) && tu_need(be, &q_v15_dec) &&
        TU_RC(be->pkcs1_encrypt(pub0, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "pkcs1_encrypt")) {
        int rc = v15_decrypt_into(be, priv1, ct, lc, out, &lo);
        check_v15_decrypt_rejected(rc, out, lo, MAXK, msg, sizeof msg,
                                   "pkcs1_decrypt with key #1");
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
    if (priv0 && pub1 && tu_need(be, &q_pss_sign) && tu_need(be, &q_pss_verify) &&
        TU_RC(be->pss_sign(priv0, &pss256, NULL, dig, sizeof dig, sig, &ls), RLAB_OK,
              "pss_sign"))
        TU_RC(be->pss_verify(pub1, &pss256, dig, sizeof dig, sig, ls), RLAB_ERR_VERIFY,
              "pss_verify with key #1");

    tu_case("%s negative %u pkcs1 sha256 verify with another key -> VERIFY", be->name, BITS);
    ls = sizeof sig;
    if (priv0 && pub1 && tu_need(be, &q_v15_sign) && tu_need(be, &q_v15_verify) &&
        TU_RC(be->pkcs1_sign(priv0, RLAB_HASH_SHA256, dig, sizeof dig, sig, &ls), RLAB_OK,
              "pkcs1_sign"))
        TU_RC(be->pkcs1_verify(pub1, RLAB_HASH_SHA256, dig, sizeof dig, sig, ls),
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
    uint8_t msg[40], ct[MAXK], bad[MAXK], out[MAXK];
    size_t pos[24 + 16], lo;
    tu_rand(msg, sizeof msg);
    for (int v15 = 0; v15 <= 1; v15++) {
        tu_case("%s negative %u %s ciphertext", be->name, BITS, v15 ? "pkcs1" : "oaep sha256");
        if (priv == NULL || pub == NULL)
            break;
        if (!(v15 ? tu_need(be, &q_v15_enc) && tu_need(be, &q_v15_dec)
                  : tu_need(be, &q_oaep_enc) && tu_need(be, &q_oaep_dec)))
            continue;
        size_t lc = sizeof ct;
        int rc = v15 ? be->pkcs1_encrypt(pub, NULL, msg, sizeof msg, ct, &lc)
                     : be->oaep_encrypt(pub, &oaep256, NULL, msg, sizeof msg, ct, &lc);
        if (!TU_RC(rc, RLAB_OK, "encrypt"))
            continue;
        size_t n = flip_positions(lc, v15 ? 8 : 16, pos);
        for (size_t i = 0; i < n; i++) {
            tu_case("%s negative %u %s ciphertext bit %zu flipped -> DECRYPT", be->name, BITS,
                    v15 ? "pkcs1" : "oaep sha256", pos[i]);
            memcpy(bad, ct, lc);
            bad[pos[i] / 8] ^= (uint8_t)(0x80u >> (pos[i] % 8));
            if (v15) {
                rc = v15_decrypt_into(be, priv, bad, lc, out, &lo);
                check_v15_decrypt_rejected(rc, out, lo, MAXK, msg, sizeof msg,
                                           "pkcs1_decrypt");
            } else {
                rc = oaep_decrypt_into(be, priv, &oaep256, bad, lc, out, &lo);
                check_decrypt_failed(rc, out, lo, MAXK, "oaep_decrypt");
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
        if (!(v15 ? tu_need(be, &q_v15_sign) && tu_need(be, &q_v15_verify)
                  : tu_need(be, &q_pss_sign) && tu_need(be, &q_pss_verify)))
            continue;
        size_t ls = sizeof sig;
        int rc = v15 ? be->pkcs1_sign(priv, RLAB_HASH_SHA256, dig, sizeof dig, sig, &ls)
                     : be->pss_sign(priv, &pss256, NULL, dig, sizeof dig, sig, &ls);
        if (!TU_RC(rc, RLAB_OK, "sign"))
            continue;
        size_t n = flip_positions(ls, 8, pos);
        for (size_t i = 0; i < n; i++) {
            tu_case("%s negative %u %s signature bit %zu flipped -> VERIFY", be->name, BITS,
                    name, pos[i]);
            memcpy(bad, sig, ls);
            bad[pos[i] / 8] ^= (uint8_t)(0x80u >> (pos[i] % 8));
            rc = v15 ? be->pkcs1_verify(pub, RLAB_HASH_SHA256, dig, sizeof dig, bad, ls)
                     : be->pss_verify(pub, &pss256, dig, sizeof dig, bad, ls);
            TU_RC(rc, RLAB_ERR_VERIFY, "verify");
        }
        tu_case("%s negative %u %s signature, digest changed -> VERIFY", be->name, BITS, name);
        uint8_t dig2[32];
        memcpy(dig2, dig, sizeof dig);
        dig2[31] ^= 1;
        rc = v15 ? be->pkcs1_verify(pub, RLAB_HASH_SHA256, dig2, sizeof dig2, sig, ls)
                 : be->pss_verify(pub, &pss256, dig2, sizeof dig2, sig, ls);
        TU_RC(rc, RLAB_ERR_VERIFY, "verify of another digest");
        tu_case("%s negative %u %s signature one byte short / long -> VERIFY", be->name,
                BITS, name);
        memcpy(bad, sig, ls);
        bad[ls] = 0;
        for (int d = -1; d <= 1; d += 2) {
            size_t l = (size_t)((long)ls + d);
            const uint8_t *s = d < 0 ? sig + 1 : bad;
            rc = v15 ? be->pkcs1_verify(pub, RLAB_HASH_SHA256, dig, sizeof dig, s, l)
                     : be->pss_verify(pub, &pss256, dig, sizeof dig, s, l);
            TU_RC(rc, RLAB_ERR_VERIFY, d < 0 ? "verify of k-1 bytes" : "verify of k+1 bytes");
        }
    }
    tu_test_end();
}
END_TEST

/* Parameters that differ from the ones used to sign or encrypt. */
START_TEST(test_wrong_parameters)
{
    const struct rlab_backend *be = tu_backend(0);
    rlab_key *priv = tu_key(be, BITS, 0), *pub = tu_pubkey(be, BITS, 0);
    uint8_t dig[32], sig[MAXK], msg[16], ct[MAXK], out[MAXK];
    size_t ls = sizeof sig, lc = sizeof ct, lo;
    tu_rand(dig, sizeof dig);
    tu_rand(msg, sizeof msg);

    tu_case("%s negative %u oaep label 'a' decrypted with label 'b' -> DECRYPT", be->name,
            BITS);
    struct rlab_oaep_params la = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, (const uint8_t *)"a", 1};
    struct rlab_oaep_params lb = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, (const uint8_t *)"b", 1};
    struct rlab_op_query q = q_oaep_dec;
    q.label_len = 1;
    if (priv && pub && tu_need(be, &q) &&
        TU_RC(be->oaep_encrypt(pub, &la, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "oaep_encrypt")) {
        int rc = oaep_decrypt_into(be, priv, &lb, ct, lc, out, &lo);
        check_decrypt_failed(rc, out, lo, MAXK, "oaep_decrypt, other label");
        rc = oaep_decrypt_into(be, priv, &oaep256, ct, lc, out, &lo);
        check_decrypt_failed(rc, out, lo, MAXK, "oaep_decrypt, no label");
    }

    tu_case("%s negative %u oaep sha256 decrypted as sha1 -> DECRYPT", be->name, BITS);
    struct rlab_oaep_params s1 = {RLAB_HASH_SHA1, RLAB_HASH_SHA1, NULL, 0};
    q = q_oaep_dec;
    q.hash = q.mgf1_hash = RLAB_HASH_SHA1;
    lc = sizeof ct;
    if (priv && pub && tu_need(be, &q) &&
        TU_RC(be->oaep_encrypt(pub, &oaep256, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "oaep_encrypt")) {
        int rc = oaep_decrypt_into(be, priv, &s1, ct, lc, out, &lo);
        check_decrypt_failed(rc, out, lo, MAXK, "oaep_decrypt as sha1");
    }

    tu_case("%s negative %u pss salt 32 verified with salt 20 -> VERIFY", be->name, BITS);
    if (priv && pub && tu_need(be, &q_pss_sign) &&
        TU_RC(be->pss_sign(priv, &pss256, NULL, dig, sizeof dig, sig, &ls), RLAB_OK,
              "pss_sign")) {
        struct rlab_pss_params p20 = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 20};
        TU_RC(be->pss_verify(pub, &p20, dig, sizeof dig, sig, ls), RLAB_ERR_VERIFY,
              "pss_verify salt 20");
    }

    tu_case("%s negative %u pkcs1 sha256 signature verified as sha512-256 -> VERIFY",
            be->name, BITS);
    q = q_v15_verify;
    q.hash = RLAB_HASH_SHA512_256;
    ls = sizeof sig;
    if (priv && pub && tu_need(be, &q_v15_sign) && tu_need(be, &q) &&
        TU_RC(be->pkcs1_sign(priv, RLAB_HASH_SHA256, dig, sizeof dig, sig, &ls), RLAB_OK,
              "pkcs1_sign"))
        TU_RC(be->pkcs1_verify(pub, RLAB_HASH_SHA512_256, dig, sizeof dig, sig, ls),
              RLAB_ERR_VERIFY, "pkcs1_verify as sha512-256");

    tu_case("%s negative %u oaep ciphertext one byte short -> DECRYPT", be->name, BITS);
    lc = sizeof ct;
    if (priv && pub && tu_need(be, &q_oaep_dec) &&
        TU_RC(be->oaep_encrypt(pub, &oaep256, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "oaep_encrypt")) {
        int rc = oaep_decrypt_into(be, priv, &oaep256, ct + 1, lc - 1, out, &lo);
        check_decrypt_failed(rc, out, lo, MAXK, "oaep_decrypt of k-1 bytes");
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
    uint8_t n[MAXK + 1] = {0}, in[MAXK + 1], out[MAXK], dig[32];
    int have_n = 0;
    tu_rand(dig, sizeof dig);
    if (priv != NULL && rlab_backend_check(be, &qc) == NULL) {
        struct rlab_components c = {0};
        size_t k = rlab_key_size(priv);
        if (be->to_components(priv, &c) == RLAB_OK && c.n.len >= k) {
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
            const struct rlab_op_query *q[4] = {&q_oaep_dec, &q_v15_dec, &q_pss_verify,
                                                &q_v15_verify};
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
            size_t lo;
            int rc;
            switch (op) {
            case 0:
                rc = oaep_decrypt_into(be, priv, &oaep256, in, len, out, &lo);
                check_decrypt_failed(rc, out, lo, MAXK, ops[op]);
                break;
            case 1:
                rc = v15_decrypt_into(be, priv, in, len, out, &lo);
                check_decrypt_failed(rc, out, lo, MAXK, ops[op]);
                break;
            case 2:
                TU_RC(be->pss_verify(pub, &pss256, dig, sizeof dig, in, len), RLAB_ERR_VERIFY,
                      ops[op]);
                break;
            default:
                TU_RC(be->pkcs1_verify(pub, RLAB_HASH_SHA256, dig, sizeof dig, in, len),
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
        if (priv == NULL || !tu_need(be, &q_pss_sign) || !tu_need(be, &q_v15_sign))
            continue;
        size_t lo = sizeof out;
        TU_RC(be->pss_sign(priv, &pss256, NULL, dig, lens[i], out, &lo), RLAB_ERR_INVALID_ARG,
              "pss_sign");
        TU_CHECK(lo == 0, "pss_sign: *outlen is %zu after a failure", lo);
        lo = sizeof out;
        TU_RC(be->pkcs1_sign(priv, RLAB_HASH_SHA256, dig, lens[i], out, &lo),
              RLAB_ERR_INVALID_ARG, "pkcs1_sign");
        TU_CHECK(lo == 0, "pkcs1_sign: *outlen is %zu after a failure", lo);
    }
    tu_test_end();
}
END_TEST

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
            TU_RC(be->oaep_encrypt(pub, &p, NULL, msg, lens[j], ct, &lc), RLAB_ERR_MSG_TOO_LONG,
                  j == 0 ? "oaep_encrypt of max+1 bytes" : "oaep_encrypt of k bytes");
            TU_CHECK(lc == 0, "*outlen is %zu after a failure", lc);
        }
        size_t lc = sizeof ct;
        TU_RC(be->oaep_encrypt(pub, &p, NULL, msg, lens[0] - 1, ct, &lc), RLAB_OK,
              "oaep_encrypt of exactly max bytes");
    }
    tu_case("%s negative %u pkcs1 encrypt of k-10 bytes -> MSG_TOO_LONG", be->name, BITS);
    rlab_key *pub = tu_pubkey(be, BITS, 0);
    if (pub != NULL && tu_need(be, &q_v15_enc)) {
        size_t lc = sizeof ct;
        TU_RC(be->pkcs1_encrypt(pub, NULL, msg, rlab_key_size(pub) - 10, ct, &lc),
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
        {"oaep_decrypt", &q_oaep_dec}, {"pkcs1_decrypt", &q_v15_dec},
        {"pss_sign", &q_pss_sign},     {"pkcs1_sign", &q_v15_sign},
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
        case 0: rc = be->oaep_decrypt(pub, &oaep256, in, k, out, &lo); break;
        case 1: rc = be->pkcs1_decrypt(pub, in, k, out, &lo); break;
        case 2: rc = be->pss_sign(pub, &pss256, NULL, dig, sizeof dig, out, &lo); break;
        case 3: rc = be->pkcs1_sign(pub, RLAB_HASH_SHA256, dig, sizeof dig, out, &lo); break;
        default: rc = be->raw_private(pub, in, k, out, &lo); break;
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
                !TU_RC(be->to_components(priv, &c), RLAB_OK, "to_components")) {
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
        TU_RC(be->raw_public(priv, in, k, out, &lo), RLAB_ERR_RANGE, "raw_public");
        TU_CHECK(lo == 0, "raw_public: *outlen is %zu after a failure", lo);
        lo = sizeof out;
        TU_RC(be->raw_private(priv, in, k, out, &lo), RLAB_ERR_RANGE, "raw_private");
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
        &q_oaep_enc, &q_v15_enc, &q_pss_sign, &q_v15_sign,
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
        case 0: rc = be->oaep_encrypt(priv, &oaep256, NULL, in, 16, out, &lo); break;
        case 1: rc = be->pkcs1_encrypt(priv, NULL, in, 16, out, &lo); break;
        case 2: rc = be->pss_sign(priv, &pss256, NULL, in, 32, out, &lo); break;
        case 3: rc = be->pkcs1_sign(priv, RLAB_HASH_SHA256, in, 32, out, &lo); break;
        case 4: rc = be->raw_public(priv, in, k, out, &lo); break;
        default: rc = be->raw_private(priv, in, k, out, &lo); break;
        }
        TU_RC(rc, RLAB_ERR_BUFFER_TOO_SMALL, names[i]);
        TU_CHECK(lo == 0, "*outlen is %zu after a failure", lo);
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
    tcase_add_test(tc, test_wrong_parameters);
    tcase_add_test(tc, test_out_of_range_ciphertext_and_signature);
    tcase_add_test(tc, test_sign_digest_length_mismatch);
    tc = tu_tcase(s, "too-long");
    tcase_add_test(tc, test_message_too_long);
    negative_key_files_tcase(s);
    tc = tu_tcase(s, "private-needed");
    tcase_add_test(tc, test_public_key_cannot_decrypt_or_sign);
    tc = tu_tcase(s, "range-and-buffers");
    tcase_add_test(tc, test_raw_input_out_of_range);
    tcase_add_test(tc, test_output_buffer_too_small);
    return tu_run(s);
}
