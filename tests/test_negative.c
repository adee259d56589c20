/*
 * Negative cases on one backend, each asserting the error code the interface
 * documents: wrong key, flipped bits in ciphertexts and signatures, messages
 * too long, malformed and truncated key files, a public key where a private
 * one is needed, raw input out of range, output buffers too small.  Every
 * failed decryption must also leave *outlen == 0 and the output buffer either
 * untouched or zeroed (no plaintext, no partial decoding).
 *
 * usage: suite_negative BACKEND [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/keyfile.h"
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

/* ---- key files that are not keys -------------------------------------------------------- */

static void check_not_a_key(const struct rlab_backend *be, const char *dir, const char *tag,
                            const uint8_t *data, size_t len)
{
    tu_case("%s negative not-a-key %s (%zu bytes) -> KEY_FORMAT", be->name, tag, len);
    struct rlab_op_query qi = {.op = RLAB_OP_IMPORT};
    if (!tu_need(be, &qi))
        return;
    rlab_key *k = NULL;
    TU_RC(rlab_keyfile_parse(be, data, len, &k, NULL, NULL), RLAB_ERR_KEY_FORMAT,
          "rlab_keyfile_parse");
    TU_CHECK(k == NULL, "a key came back");
    rlab_key_free(k);
    k = NULL;
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        for (int e = RLAB_ENC_DER; e <= RLAB_ENC_PEM; e++) {
            char what[64];
            snprintf(what, sizeof what, "import as %s %s", rlab_keyfmt_name(f),
                     e ? "pem" : "der");
            TU_RC(be->import(f, e, data, len, &k), RLAB_ERR_KEY_FORMAT, what);
            rlab_key_free(k);
            k = NULL;
        }
    }
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, tag);
    if (TU_RC(rlab_file_write(path, data, len, 0600, 1), RLAB_OK, "rlab_file_write")) {
        TU_RC(rlab_keyfile_load(be, path, &k), RLAB_ERR_KEY_FORMAT, "rlab_keyfile_load");
        rlab_key_free(k);
        unlink(path);
    }
}

START_TEST(test_not_a_key)
{
    const struct rlab_backend *be = tu_backend(0);
    char dir[] = "/tmp/rsalab-neg-XXXXXX";
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp");
    uint8_t rnd[1200];
    tu_rand(rnd, sizeof rnd);
    rnd[0] = 0x5a; /* not a DER SEQUENCE, not PEM */
    check_not_a_key(be, dir, "random-1200", rnd, sizeof rnd);
    check_not_a_key(be, dir, "random-16", rnd, 16);
    rnd[0] = 0x30; /* looks like a SEQUENCE, contents random */
    check_not_a_key(be, dir, "random-der-like", rnd, 300);
    const char *text = "This is a text file.\nIt holds no key at all.\n";
    check_not_a_key(be, dir, "text", (const uint8_t *)text, strlen(text));
    const char *bad_pem = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n"
                          "-----END RSA PRIVATE KEY-----\n";
    check_not_a_key(be, dir, "pem-armoured-junk", (const uint8_t *)bad_pem, strlen(bad_pem));
    check_not_a_key(be, dir, "empty", (const uint8_t *)"", 0);
    rmdir(dir);
    tu_test_end();
}
END_TEST

/* DER with a trailing byte, and PEM of one format fed to another's import. */
START_TEST(test_key_encoding_mismatch)
{
    const struct rlab_backend *be = tu_backend(0);
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT}, qi = {.op = RLAB_OP_IMPORT};
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        tu_case("%s negative %s der + 1 trailing byte, and as the other formats -> KEY_FORMAT",
                be->name, rlab_keyfmt_name(f));
        rlab_key *priv = tu_key(be, BITS, 0);
        if (priv == NULL || !tu_need(be, &qe) || !tu_need(be, &qi))
            continue;
        struct rlab_buf der = RLAB_BUF_INIT, pem = RLAB_BUF_INIT;
        rlab_key *k = NULL;
        if (TU_RC(be->export_key(priv, f, RLAB_ENC_DER, &der), RLAB_OK, "export der") &&
            TU_RC(be->export_key(priv, f, RLAB_ENC_PEM, &pem), RLAB_OK, "export pem")) {
            uint8_t *longer = malloc(der.len + 1);
            ck_assert(longer != NULL);
            memcpy(longer, der.data, der.len);
            longer[der.len] = 0;
            TU_RC(be->import(f, RLAB_ENC_DER, longer, der.len + 1, &k), RLAB_ERR_KEY_FORMAT,
                  "import of der + 1 byte");
            rlab_key_free(k);
            k = NULL;
            free(longer);
            for (int g = 0; g < RLAB_KEYFMT_COUNT; g++) {
                if (g == f)
                    continue;
                char what[80];
                snprintf(what, sizeof what, "%s pem imported as %s", rlab_keyfmt_name(f),
                         rlab_keyfmt_name(g));
                TU_RC(be->import(g, RLAB_ENC_PEM, pem.data, pem.len, &k), RLAB_ERR_KEY_FORMAT,
                      what);
                rlab_key_free(k);
                k = NULL;
            }
        }
        rlab_buf_clear(&der);
        rlab_buf_clear(&pem);
    }
    tu_test_end();
}
END_TEST

START_TEST(test_truncated_key)
{
    const struct rlab_backend *be = tu_backend(0);
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT}, qi = {.op = RLAB_OP_IMPORT};
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        for (int e = RLAB_ENC_DER; e <= RLAB_ENC_PEM; e++) {
            rlab_key *priv = tu_key(be, BITS, 0);
            struct rlab_buf b = RLAB_BUF_INIT;
            tu_case("%s negative truncated %s %s", be->name, rlab_keyfmt_name(f),
                    e ? "pem" : "der");
            if (priv == NULL || !tu_need(be, &qe) || !tu_need(be, &qi) ||
                !TU_RC(be->export_key(priv, f, e, &b), RLAB_OK, "export"))
                continue;
            /* PEM: inside the BEGIN line, just after it, a third and half of
             * the body, just before the END line, inside the END line.  DER:
             * the header alone, a third, a half, all but one byte. */
            const char *endl = strstr((const char *)b.data, "-----END");
            size_t end_at = endl ? (size_t)(endl - (const char *)b.data) : b.len / 2;
            const char *nl = memchr(b.data, '\n', b.len);
            size_t begin_end = nl ? (size_t)(nl - (const char *)b.data) + 1 : 10;
            size_t cuts_pem[] = {10, begin_end, b.len / 3, b.len / 2, end_at, b.len - 3};
            size_t cuts_der[] = {4, b.len / 3, b.len / 2, b.len - 1};
            size_t *cuts = e ? cuts_pem : cuts_der;
            size_t ncuts = e ? 6 : 4;
            for (size_t i = 0; i < ncuts; i++) {
                tu_case("%s negative %s %s cut to %zu of %zu bytes -> KEY_FORMAT", be->name,
                        rlab_keyfmt_name(f), e ? "pem" : "der", cuts[i], b.len);
                rlab_key *k = NULL;
                TU_RC(be->import(f, e, b.data, cuts[i], &k), RLAB_ERR_KEY_FORMAT, "import");
                rlab_key_free(k);
                k = NULL;
                TU_RC(rlab_keyfile_parse(be, b.data, cuts[i], &k, NULL, NULL),
                      RLAB_ERR_KEY_FORMAT, "rlab_keyfile_parse");
                rlab_key_free(k);
            }
            rlab_buf_clear(&b);
        }
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
    tc = tu_tcase(s, "too-long");
    tcase_add_test(tc, test_message_too_long);
    tc = tu_tcase(s, "key-files");
    tcase_add_test(tc, test_not_a_key);
    tcase_add_test(tc, test_key_encoding_mismatch);
    tcase_add_test(tc, test_truncated_key);
    tc = tu_tcase(s, "private-needed");
    tcase_add_test(tc, test_public_key_cannot_decrypt_or_sign);
    tc = tu_tcase(s, "range-and-buffers");
    tcase_add_test(tc, test_raw_input_out_of_range);
    tcase_add_test(tc, test_output_buffer_too_small);
    return tu_run(s);
}
