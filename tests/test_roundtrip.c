/*
 * Round trips on one backend: encrypt/decrypt and sign/verify at 1024, 2048,
 * 3072 and 4096 bits, for every padding (OAEP, PSS, PKCS#1 v1.5 sign and
 * encrypt, raw) and every hash the interface names.  Each libcheck test runs
 * one padding at one size (a loop test over the sizes); each combination of
 * hash, MGF1 hash, label and salt length is one case.
 *
 * usage: suite_roundtrip BACKEND [SEED]
 */
#include <stdio.h>
#include <string.h>

#include "backends/ops.h"
#include "tests/testutil.h"

static const unsigned sizes[] = {1024, 2048, 3072, 4096};
#define NSIZES 4
#define MAXK 512

static const struct {
    rlab_hash h, m;
} mixed[] = {
    {RLAB_HASH_SHA256, RLAB_HASH_SHA1},
    {RLAB_HASH_SHA1, RLAB_HASH_SHA256},
    {RLAB_HASH_SHA512, RLAB_HASH_SHA256},
    {RLAB_HASH_SHA384, RLAB_HASH_SHA512_256},
    {RLAB_HASH_SHA224, RLAB_HASH_SHA512_224},
};
#define NMIXED (sizeof mixed / sizeof mixed[0])

/* FIPS 202: the SHA-3 hashes go wherever SHA-2 goes; SHAKE only into PSS
 * with itself as the mask (RFC 8702).  Backends without them skip with
 * their reason. */
static const rlab_hash sha3[] = {RLAB_HASH_SHA3_224, RLAB_HASH_SHA3_256, RLAB_HASH_SHA3_384,
                                 RLAB_HASH_SHA3_512};
#define NSHA3 (sizeof sha3 / sizeof sha3[0])
static const struct {
    rlab_hash h, m;
} mixed3[] = {
    {RLAB_HASH_SHA3_256, RLAB_HASH_SHA256},
    {RLAB_HASH_SHA256, RLAB_HASH_SHA3_256},
    {RLAB_HASH_SHA3_512, RLAB_HASH_SHA3_224},
};
#define NMIXED3 (sizeof mixed3 / sizeof mixed3[0])

static const uint8_t label[] = "rsalab roundtrip label";

/* ---- OAEP ------------------------------------------------------------------ */

/* One OAEP case: encrypt mlen random bytes with the public key, decrypt with
 * the private key, compare. */
static void oaep_case(const struct rlab_backend *be, unsigned bits, rlab_hash h,
                      rlab_hash m, int with_label, long mlen)
{
    tu_case("%s oaep %u %s/mgf1=%s label=%s mlen=%ld", be->name, bits, rlab_hash_name(h),
            rlab_hash_name(m), with_label ? "yes" : "no", mlen);
    struct rlab_oaep_params p = {h, m, with_label ? label : NULL,
                                 with_label ? sizeof label - 1 : 0};
    struct rlab_op_query qe = {.op = RLAB_OP_OAEP_ENCRYPT, .hash = h, .mgf1_hash = m,
                               .label_len = p.label_len, .empty_msg = mlen == 0};
    struct rlab_op_query qd = qe;
    qd.op = RLAB_OP_OAEP_DECRYPT;
    if (!tu_need(be, &qe) || !tu_need(be, &qd))
        return;
    rlab_key *priv = tu_key(be, bits, 0), *pub = tu_pubkey(be, bits, 0);
    if (priv == NULL || pub == NULL)
        return;
    size_t k = rlab_key_size(priv);
    uint8_t msg[MAXK], ct[MAXK], pt[MAXK];
    tu_rand(msg, (size_t)mlen);
    size_t ctlen = sizeof ct, ptlen = sizeof pt;
    if (!TU_RC(rlab_oaep_encrypt(be, pub, &p, NULL, msg, (size_t)mlen, ct, &ctlen), RLAB_OK,
               "oaep_encrypt"))
        return;
    TU_CHECK(ctlen == k, "ciphertext is %zu bytes, modulus %zu", ctlen, k);
    if (!TU_RC(rlab_oaep_decrypt(be, priv, &p, ct, ctlen, pt, &ptlen), RLAB_OK, "oaep_decrypt"))
        return;
    TU_CHECK(tu_bytes_eq(pt, ptlen, msg, (size_t)mlen),
             "decrypted %zu bytes differ from the %ld-byte message", ptlen, mlen);
}

/* OAEP is randomised: two encryptions of one message differ; with a caller
 * rng replayed from the same seed they are identical (RLAB_CAP_RNG_REPLAY). */
static void oaep_random_case(const struct rlab_backend *be, unsigned bits)
{
    tu_case("%s oaep %u sha256 randomised and replayable", be->name, bits);
    struct rlab_oaep_params p = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};
    struct rlab_op_query qe = {.op = RLAB_OP_OAEP_ENCRYPT, .hash = RLAB_HASH_SHA256,
                               .mgf1_hash = RLAB_HASH_SHA256};
    if (!tu_need(be, &qe))
        return;
    rlab_key *pub = tu_pubkey(be, bits, 0), *priv = tu_key(be, bits, 0);
    if (pub == NULL || priv == NULL)
        return;
    uint8_t msg[32], c1[MAXK], c2[MAXK], pt[MAXK];
    tu_rand(msg, sizeof msg);
    size_t l1 = sizeof c1, l2 = sizeof c2, lp = sizeof pt;
    if (!TU_RC(rlab_oaep_encrypt(be, pub, &p, NULL, msg, sizeof msg, c1, &l1), RLAB_OK,
               "oaep_encrypt #1") ||
        !TU_RC(rlab_oaep_encrypt(be, pub, &p, NULL, msg, sizeof msg, c2, &l2), RLAB_OK,
               "oaep_encrypt #2"))
        return;
    TU_CHECK(!tu_bytes_eq(c1, l1, c2, l2), "two OAEP encryptions are identical: %s",
             tu_hex(c1, l1));

    tu_case("%s oaep %u sha256 caller rng replayed", be->name, bits);
    qe.replay_rng = 1;
    if (!tu_need(be, &qe))
        return;
    struct tu_prng r1, r2;
    tu_prng_seed(&r1, tu_seed() ^ bits);
    tu_prng_seed(&r2, tu_seed() ^ bits);
    struct rlab_rng g1 = tu_prng_rng(&r1), g2 = tu_prng_rng(&r2);
    l1 = sizeof c1;
    l2 = sizeof c2;
    if (!TU_RC(rlab_oaep_encrypt(be, pub, &p, &g1, msg, sizeof msg, c1, &l1), RLAB_OK,
               "oaep_encrypt, rng #1") ||
        !TU_RC(rlab_oaep_encrypt(be, pub, &p, &g2, msg, sizeof msg, c2, &l2), RLAB_OK,
               "oaep_encrypt, rng #2"))
        return;
    TU_CHECK(tu_bytes_eq(c1, l1, c2, l2), "same rng stream, different ciphertexts");
    if (TU_RC(rlab_oaep_decrypt(be, priv, &p, c1, l1, pt, &lp), RLAB_OK, "oaep_decrypt"))
        TU_CHECK(tu_bytes_eq(pt, lp, msg, sizeof msg), "decrypted message differs");
}

START_TEST(test_oaep_roundtrip)
{
    const struct rlab_backend *be = tu_backend(0);
    unsigned bits = sizes[_i];
    size_t k = (bits + 7) / 8;
    for (int i = 0; i < TU_NHASH; i++) {
        rlab_hash h = tu_hashes[i];
        long max = (long)k - 2 * (long)rlab_hash_len(h) - 2;
        if (max < 0)
            continue; /* the hash does not fit this modulus: nothing to test */
        oaep_case(be, bits, h, h, 0, max);
        oaep_case(be, bits, h, h, 1, max);
        oaep_case(be, bits, h, h, 0, max / 2);
    }
    oaep_case(be, bits, RLAB_HASH_SHA256, RLAB_HASH_SHA256, 0, 0);
    oaep_case(be, bits, RLAB_HASH_SHA256, RLAB_HASH_SHA256, 1, 1);
    for (size_t i = 0; i < NMIXED; i++) {
        long max = (long)k - 2 * (long)rlab_hash_len(mixed[i].h) - 2;
        if (max >= 0)
            oaep_case(be, bits, mixed[i].h, mixed[i].m, (int)(i & 1), max);
    }
    for (size_t i = 0; i < NSHA3; i++) {
        long max = (long)k - 2 * (long)rlab_hash_len(sha3[i]) - 2;
        if (max < 0)
            continue;
        oaep_case(be, bits, sha3[i], sha3[i], 0, max);
        oaep_case(be, bits, sha3[i], sha3[i], 1, max / 2);
    }
    for (size_t i = 0; i < NMIXED3; i++) {
        long max = (long)k - 2 * (long)rlab_hash_len(mixed3[i].h) - 2;
        if (max >= 0)
            oaep_case(be, bits, mixed3[i].h, mixed3[i].m, (int)(i & 1), max);
    }
    oaep_random_case(be, bits);
    tu_test_end();
}
END_TEST

/* ---- PSS --------------------------------------------------------------------- */

/* Sign a random digest; verify with the explicit salt length, then (as a
 * case of its own, since it needs RLAB_CAP_PSS_AUTO) with the salt length
 * recovered from the signature. */
static void pss_case(const struct rlab_backend *be, unsigned bits, rlab_hash h, rlab_hash m,
                     int salt)
{
    tu_case("%s pss %u %s/mgf1=%s salt=%d sign+verify", be->name, bits, rlab_hash_name(h),
            rlab_hash_name(m), salt);
    struct rlab_op_query qs = {.op = RLAB_OP_PSS_SIGN, .hash = h, .mgf1_hash = m,
                               .salt_len = salt};
    struct rlab_op_query qv = qs;
    qv.op = RLAB_OP_PSS_VERIFY;
    if (!tu_need(be, &qs) || !tu_need(be, &qv))
        return;
    rlab_key *priv = tu_key(be, bits, 0), *pub = tu_pubkey(be, bits, 0);
    if (priv == NULL || pub == NULL)
        return;
    size_t hl = rlab_hash_len(h);
    uint8_t dig[RLAB_HASH_MAX_LEN], sig[MAXK];
    size_t siglen = sizeof sig;
    tu_rand(dig, hl);
    struct rlab_pss_params p = {h, m, salt};
    if (!TU_RC(rlab_pss_sign(be, priv, &p, NULL, dig, hl, sig, &siglen), RLAB_OK, "pss_sign"))
        return;
    TU_CHECK(siglen == rlab_key_size(priv), "signature is %zu bytes, modulus %zu", siglen,
             rlab_key_size(priv));
    TU_RC(rlab_pss_verify(be, pub, &p, dig, hl, sig, siglen), RLAB_OK, "pss_verify (explicit salt)");
    TU_RC(rlab_pss_verify(be, priv, &p, dig, hl, sig, siglen), RLAB_OK,
          "pss_verify with the private key object");

    tu_case("%s pss %u %s/mgf1=%s salt=%d verify salt=auto", be->name, bits,
            rlab_hash_name(h), rlab_hash_name(m), salt);
    qv.salt_len = RLAB_PSS_SALT_AUTO;
    if (!tu_need(be, &qv))
        return;
    p.salt_len = RLAB_PSS_SALT_AUTO;
    TU_RC(rlab_pss_verify(be, pub, &p, dig, hl, sig, siglen), RLAB_OK, "pss_verify (salt auto)");
}

/* Sign one digest twice with sha256: with salt 0 PSS is deterministic, with
 * a 32-byte salt it is not, and with a caller rng replayed from one seed
 * (RLAB_CAP_RNG_REPLAY) it is again. */
static void pss_random_case(const struct rlab_backend *be, unsigned bits)
{
    rlab_key *priv = tu_key(be, bits, 0);
    uint8_t dig[32], s1[MAXK], s2[MAXK];
    size_t l1, l2;
    tu_rand(dig, sizeof dig);
    for (int salt = 0; salt <= 32; salt += 32) {
        tu_case("%s pss %u sha256 salt=%d: two signatures %s", be->name, bits, salt,
                salt ? "differ" : "are identical");
        struct rlab_op_query q = {.op = RLAB_OP_PSS_SIGN, .hash = RLAB_HASH_SHA256,
                                  .mgf1_hash = RLAB_HASH_SHA256, .salt_len = salt};
        if (priv == NULL || !tu_need(be, &q))
            return;
        struct rlab_pss_params p = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, salt};
        l1 = sizeof s1;
        l2 = sizeof s2;
        if (TU_RC(rlab_pss_sign(be, priv, &p, NULL, dig, 32, s1, &l1), RLAB_OK, "pss_sign #1") &&
            TU_RC(rlab_pss_sign(be, priv, &p, NULL, dig, 32, s2, &l2), RLAB_OK, "pss_sign #2"))
            TU_CHECK(tu_bytes_eq(s1, l1, s2, l2) == (salt == 0),
                     salt ? "two salted signatures are identical" : "salt 0 is not deterministic");
    }
    tu_case("%s pss %u sha256 salt=32 caller rng replayed", be->name, bits);
    struct rlab_op_query q = {.op = RLAB_OP_PSS_SIGN, .hash = RLAB_HASH_SHA256,
                              .mgf1_hash = RLAB_HASH_SHA256, .salt_len = 32, .replay_rng = 1};
    if (!tu_need(be, &q))
        return;
    struct rlab_pss_params p = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 32};
    struct tu_prng r1, r2;
    tu_prng_seed(&r1, tu_seed() + bits);
    tu_prng_seed(&r2, tu_seed() + bits);
    struct rlab_rng g1 = tu_prng_rng(&r1), g2 = tu_prng_rng(&r2);
    l1 = sizeof s1;
    l2 = sizeof s2;
    if (TU_RC(rlab_pss_sign(be, priv, &p, &g1, dig, 32, s1, &l1), RLAB_OK, "pss_sign, rng #1") &&
        TU_RC(rlab_pss_sign(be, priv, &p, &g2, dig, 32, s2, &l2), RLAB_OK, "pss_sign, rng #2")) {
        TU_CHECK(tu_bytes_eq(s1, l1, s2, l2), "same rng stream, different signatures");
        TU_RC(rlab_pss_verify(be, priv, &p, dig, 32, s1, l1), RLAB_OK, "pss_verify");
    }
}

START_TEST(test_pss_roundtrip)
{
    const struct rlab_backend *be = tu_backend(0);
    unsigned bits = sizes[_i];
    for (int i = 0; i < TU_NHASH; i++) {
        rlab_hash h = tu_hashes[i];
        int max = tu_pss_max_salt(bits, h);
        int hl = (int)rlab_hash_len(h);
        if (max < 0)
            continue;
        pss_case(be, bits, h, h, 0);
        if (hl < max)
            pss_case(be, bits, h, h, hl);
        pss_case(be, bits, h, h, max);
    }
    for (size_t i = 0; i < NMIXED; i++) {
        int hl = (int)rlab_hash_len(mixed[i].h);
        if (hl <= tu_pss_max_salt(bits, mixed[i].h))
            pss_case(be, bits, mixed[i].h, mixed[i].m, hl);
    }
    for (size_t i = 0; i < NSHA3; i++) {
        int hl = (int)rlab_hash_len(sha3[i]);
        if (hl <= tu_pss_max_salt(bits, sha3[i]))
            pss_case(be, bits, sha3[i], sha3[i], hl);
    }
    for (size_t i = 0; i < NMIXED3; i++) {
        int hl = (int)rlab_hash_len(mixed3[i].h);
        if (hl <= tu_pss_max_salt(bits, mixed3[i].h))
            pss_case(be, bits, mixed3[i].h, mixed3[i].m, hl);
    }
    /* RFC 8702: SHAKE as hash and mask, salt = output length (32 / 64) */
    static const rlab_hash shake[] = {RLAB_HASH_SHAKE128, RLAB_HASH_SHAKE256};
    for (size_t i = 0; i < 2; i++) {
        int hl = (int)rlab_hash_len(shake[i]);
        if (hl <= tu_pss_max_salt(bits, shake[i]))
            pss_case(be, bits, shake[i], shake[i], hl);
    }
    pss_random_case(be, bits);
    tu_test_end();
}
END_TEST

/* ---- PKCS#1 v1.5 signatures ---------------------------------------------------- */

START_TEST(test_pkcs1_sign_roundtrip)
{
    const struct rlab_backend *be = tu_backend(0);
    unsigned bits = sizes[_i];
    for (size_t i = 0; i < TU_NHASH + NSHA3; i++) {
        rlab_hash h = i < TU_NHASH ? tu_hashes[i] : sha3[i - TU_NHASH];
        tu_case("%s pkcs1-sign %u %s", be->name, bits, rlab_hash_name(h));
        struct rlab_op_query qs = {.op = RLAB_OP_PKCS1_SIGN, .hash = h};
        struct rlab_op_query qv = {.op = RLAB_OP_PKCS1_VERIFY, .hash = h};
        if (!tu_need(be, &qs) || !tu_need(be, &qv))
            continue;
        rlab_key *priv = tu_key(be, bits, 0), *pub = tu_pubkey(be, bits, 0);
        if (priv == NULL || pub == NULL)
            continue;
        size_t hl = rlab_hash_len(h);
        uint8_t dig[RLAB_HASH_MAX_LEN], s1[MAXK], s2[MAXK];
        size_t l1 = sizeof s1, l2 = sizeof s2;
        tu_rand(dig, hl);
        if (!TU_RC(rlab_pkcs1_sign(be, priv, h, dig, hl, s1, &l1), RLAB_OK, "pkcs1_sign #1") ||
            !TU_RC(rlab_pkcs1_sign(be, priv, h, dig, hl, s2, &l2), RLAB_OK, "pkcs1_sign #2"))
            continue;
        TU_CHECK(l1 == rlab_key_size(priv), "signature is %zu bytes", l1);
        TU_CHECK(tu_bytes_eq(s1, l1, s2, l2), "v1.5 signing is not deterministic");
        TU_RC(rlab_pkcs1_verify(be, pub, h, dig, hl, s1, l1), RLAB_OK, "pkcs1_verify");
    }
    tu_test_end();
}
END_TEST

/* ---- PKCS#1 v1.5 encryption ------------------------------------------------------ */

START_TEST(test_pkcs1_encrypt_roundtrip)
{
    const struct rlab_backend *be = tu_backend(0);
    unsigned bits = sizes[_i];
    size_t k = (bits + 7) / 8;
    const size_t lens[] = {k - 11, (k - 11) / 2, 1, 0};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        tu_case("%s pkcs1-encrypt %u mlen=%zu", be->name, bits, lens[i]);
        struct rlab_op_query qe = {.op = RLAB_OP_PKCS1_ENCRYPT, .empty_msg = lens[i] == 0};
        struct rlab_op_query qd = {.op = RLAB_OP_PKCS1_DECRYPT, .empty_msg = lens[i] == 0};
        if (!tu_need(be, &qe) || !tu_need(be, &qd))
            continue;
        rlab_key *priv = tu_key(be, bits, 0), *pub = tu_pubkey(be, bits, 0);
        if (priv == NULL || pub == NULL)
            continue;
        uint8_t msg[MAXK], ct[MAXK], pt[MAXK];
        size_t lc = sizeof ct, lp = sizeof pt;
        tu_rand(msg, lens[i]);
        if (!TU_RC(rlab_pkcs1_encrypt(be, pub, NULL, msg, lens[i], ct, &lc), RLAB_OK,
                   "pkcs1_encrypt"))
            continue;
        TU_CHECK(lc == k, "ciphertext is %zu bytes", lc);
        if (TU_RC(rlab_pkcs1_decrypt(be, priv, ct, lc, pt, &lp), RLAB_OK, "pkcs1_decrypt"))
            TU_CHECK(tu_bytes_eq(pt, lp, msg, lens[i]), "decrypted message differs");
    }
    tu_test_end();
}
END_TEST

/* ---- raw ------------------------------------------------------------------------- */

START_TEST(test_raw_roundtrip)
{
    const struct rlab_backend *be = tu_backend(0);
    unsigned bits = sizes[_i];
    struct rlab_op_query qpub = {.op = RLAB_OP_RAW_PUBLIC};
    struct rlab_op_query qpriv = {.op = RLAB_OP_RAW_PRIVATE};
    for (int round = 0; round < 3; round++) {
        tu_case("%s raw %u public-then-private #%d", be->name, bits, round);
        if (!tu_need(be, &qpub) || !tu_need(be, &qpriv))
            break;
        rlab_key *priv = tu_key(be, bits, 0), *pub = tu_pubkey(be, bits, 0);
        if (priv == NULL || pub == NULL)
            break;
        size_t k = rlab_key_size(priv);
        uint8_t x[MAXK], y[MAXK], z[MAXK];
        size_t ly = sizeof y, lz = sizeof z;
        tu_rand_below_n(priv, x);
        if (TU_RC(rlab_raw_public(be, pub, x, k, y, &ly), RLAB_OK, "raw_public") &&
            TU_RC(rlab_raw_private(be, priv, y, ly, z, &lz), RLAB_OK, "raw_private"))
            TU_CHECK(tu_bytes_eq(z, lz, x, k), "(x^e)^d != x: x=%s", tu_hex(x, k));

        tu_case("%s raw %u private-then-public #%d", be->name, bits, round);
        ly = sizeof y;
        lz = sizeof z;
        tu_rand_below_n(priv, x);
        if (TU_RC(rlab_raw_private(be, priv, x, k, y, &ly), RLAB_OK, "raw_private") &&
            TU_RC(rlab_raw_public(be, pub, y, ly, z, &lz), RLAB_OK, "raw_public"))
            TU_CHECK(tu_bytes_eq(z, lz, x, k), "(x^d)^e != x: x=%s", tu_hex(x, k));
    }
    tu_case("%s raw %u fixed points 0 and 1", be->name, bits);
    rlab_key *priv = tu_key(be, bits, 0);
    if (priv != NULL && tu_need(be, &qpub) && tu_need(be, &qpriv)) {
        size_t k = rlab_key_size(priv);
        for (uint8_t v = 0; v <= 1; v++) {
            uint8_t x[MAXK] = {0}, y[MAXK];
            size_t ly = sizeof y;
            x[k - 1] = v;
            if (TU_RC(rlab_raw_private(be, priv, x, k, y, &ly), RLAB_OK, "raw_private of 0/1"))
                TU_CHECK(tu_bytes_eq(y, ly, x, k), "%u^d mod n != %u", v, v);
            ly = sizeof y;
            if (TU_RC(rlab_raw_public(be, priv, x, k, y, &ly), RLAB_OK, "raw_public of 0/1"))
                TU_CHECK(tu_bytes_eq(y, ly, x, k), "%u^e mod n != %u", v, v);
        }
    }
    tu_test_end();
}
END_TEST

/* ---- SHAKE outside RFC 8702 ---------------------------------------------------- */

/* SHAKE exists in RSA only as RSASSA-PSS with the same SHAKE as the mask:
 * every other use is refused on every backend, as RLAB_ERR_UNSUPPORTED with
 * a reason, before any key is touched. */
START_TEST(test_shake_outside_rfc8702)
{
    const struct rlab_backend *be = tu_backend(0);
    const struct {
        const char *what;
        struct rlab_op_query q;
    } refused[] = {
        {"v1.5 sign shake128", {.op = RLAB_OP_PKCS1_SIGN, .hash = RLAB_HASH_SHAKE128}},
        {"v1.5 verify shake256", {.op = RLAB_OP_PKCS1_VERIFY, .hash = RLAB_HASH_SHAKE256}},
        {"oaep shake128", {.op = RLAB_OP_OAEP_ENCRYPT, .hash = RLAB_HASH_SHAKE128,
                           .mgf1_hash = RLAB_HASH_SHAKE128}},
        {"oaep sha256/mgf shake256", {.op = RLAB_OP_OAEP_DECRYPT, .hash = RLAB_HASH_SHA256,
                                      .mgf1_hash = RLAB_HASH_SHAKE256}},
        {"pss shake128/mgf1 sha256", {.op = RLAB_OP_PSS_SIGN, .hash = RLAB_HASH_SHAKE128,
                                      .mgf1_hash = RLAB_HASH_SHA256, .salt_len = 32}},
        {"pss sha3-256/mask shake128", {.op = RLAB_OP_PSS_VERIFY, .hash = RLAB_HASH_SHA3_256,
                                        .mgf1_hash = RLAB_HASH_SHAKE128, .salt_len = 32}},
        {"pss shake128/mask shake256", {.op = RLAB_OP_PSS_VERIFY, .hash = RLAB_HASH_SHAKE128,
                                        .mgf1_hash = RLAB_HASH_SHAKE256, .salt_len = 32}},
        {"variable-length sha3-256", {.op = RLAB_OP_HASH, .hash = RLAB_HASH_SHA3_256,
                                      .xof_len = 10}},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        tu_case("%s refuses %s", be->name, refused[i].what);
        TU_CHECK(rlab_backend_check(be, &refused[i].q) != NULL, "accepted");
    }
    tu_case("%s pkcs1_sign with shake128 is RLAB_ERR_UNSUPPORTED", be->name);
    uint8_t dig[32] = {0}, sig[MAXK];
    size_t sl = sizeof sig;
    rlab_key *priv = tu_key(be, 2048, 0);
    if (priv != NULL)
        TU_RC(rlab_pkcs1_sign(be, priv, RLAB_HASH_SHAKE128, dig, sizeof dig, sig, &sl),
              RLAB_ERR_UNSUPPORTED, "pkcs1_sign shake128");
    tu_test_end();
}
END_TEST

int main(int argc, char **argv)
{
    tu_init(argc, argv, 1);
    Suite *s = suite_create("roundtrip");
    TCase *tc = tu_tcase(s, "oaep");
    tcase_add_loop_test(tc, test_oaep_roundtrip, 0, NSIZES);
    tc = tu_tcase(s, "pss");
    tcase_add_loop_test(tc, test_pss_roundtrip, 0, NSIZES);
    tc = tu_tcase(s, "pkcs1-sign");
    tcase_add_loop_test(tc, test_pkcs1_sign_roundtrip, 0, NSIZES);
    tc = tu_tcase(s, "pkcs1-encrypt");
    tcase_add_loop_test(tc, test_pkcs1_encrypt_roundtrip, 0, NSIZES);
    tc = tu_tcase(s, "raw");
    tcase_add_loop_test(tc, test_raw_roundtrip, 0, NSIZES);
    tc = tu_tcase(s, "shake-rules");
    tcase_add_test(tc, test_shake_outside_rfc8702);
    return tu_run(s);
}
