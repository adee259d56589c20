/*
 * Cross-backend tests for one ordered pair (A, B): keys written by A are read
 * by B in every form, with the same components, and B's encodings of them
 * are byte-identical to A's; OAEP and v1.5 ciphertexts made by A decrypt
 * under B; PSS and v1.5 signatures made by A verify under B; raw private
 * operations and v1.5 signatures (both deterministic) are byte-identical;
 * AES-GCM and hashes agree where both have them; B refuses A's key objects.
 * The pair (B, A) is its own ctest.
 *
 * usage: suite_cross BACKEND_A BACKEND_B [SEED]
 */
#include <stdio.h>
#include <string.h>

#include "backends/ops.h"
#include "tests/testutil.h"

static const unsigned sizes[] = {1024, 2048, 3072};
#define NSIZES 3
#define MAXK 512

static int need_both(const struct rlab_backend *a, const struct rlab_op_query *qa,
                     const struct rlab_backend *b, const struct rlab_op_query *qb)
{
    return tu_need(a, qa) && tu_need(b, qb);
}

static void check_components_equal(const struct rlab_backend *a, const rlab_key *ka,
                                   const struct rlab_backend *b, const rlab_key *kb)
{
    struct rlab_op_query qc = {.op = RLAB_OP_TO_COMPONENTS};
    if (!need_both(a, &qc, b, &qc))
        return;
    struct rlab_components ca = {0}, cb = {0};
    if (TU_RC(rlab_key_to_components(a, ka, &ca), RLAB_OK, "A to_components") &&
        TU_RC(rlab_key_to_components(b, kb, &cb), RLAB_OK, "B to_components")) {
        TU_CHECK(tu_int_eq(&ca.n, &cb.n) && tu_int_eq(&ca.e, &cb.e), "n or e differ");
        if (kb->has_private) {
            TU_CHECK(tu_int_eq(&ca.d, &cb.d), "d differs");
            TU_CHECK(tu_int_eq(&ca.p, &cb.p) && tu_int_eq(&ca.q, &cb.q), "p or q differ");
            TU_CHECK(tu_int_eq(&ca.dp, &cb.dp) && tu_int_eq(&ca.dq, &cb.dq) &&
                         tu_int_eq(&ca.qinv, &cb.qinv),
                     "CRT values differ");
        } else {
            TU_CHECK(cb.d.len == 0, "B's public key has a d");
        }
    }
    rlab_components_clear(&ca);
    rlab_components_clear(&cb);
}

/* ---- keys ------------------------------------------------------------------------------ */

START_TEST(test_keys_written_by_a_read_by_b)
{
    const struct rlab_backend *a = tu_backend(0), *b = tu_backend(1);
    unsigned bits = sizes[_i];
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT}, qi = {.op = RLAB_OP_IMPORT};
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        for (int e = RLAB_ENC_DER; e <= RLAB_ENC_PEM; e++) {
            tu_case("cross %s->%s %u %s %s: B imports A's, same components, same bytes out",
                    a->name, b->name, bits, rlab_keyfmt_name(f), tu_enc_name(e));
            rlab_key *ka = tu_key(a, bits, 0);
            if (ka == NULL || !need_both(a, &qe, b, &qi))
                continue;
            struct rlab_buf wa = RLAB_BUF_INIT, wb = RLAB_BUF_INIT;
            rlab_key *kb = NULL;
            if (TU_RC(rlab_key_export(a, ka, f, e, &wa), RLAB_OK, "A export") &&
                TU_RC(rlab_key_import(b, f, e, wa.data, wa.len, &kb), RLAB_OK, "B import")) {
                TU_CHECK(kb->bits == bits && kb->has_private == tu_is_private_fmt(f),
                         "B's key: bits %u private %d", kb->bits, kb->has_private);
                check_components_equal(a, ka, b, kb);
                if (tu_need(b, &qe) && TU_RC(rlab_key_export(b, kb, f, e, &wb), RLAB_OK, "B export"))
                    TU_CHECK(tu_bytes_eq(wa.data, wa.len, wb.data, wb.len),
                             "B's re-encoding differs from A's (%zu vs %zu bytes)", wa.len,
                             wb.len);
            }
            rlab_key_free(kb);
            rlab_buf_clear(&wa);
            rlab_buf_clear(&wb);
        }
    }
    tu_test_end();
}
END_TEST

/* B holds A's key (through PKCS#8 DER); every form B writes equals A's. */
START_TEST(test_b_encodings_equal_a)
{
    const struct rlab_backend *a = tu_backend(0), *b = tu_backend(1);
    unsigned bits = sizes[_i];
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT};
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        for (int e = RLAB_ENC_DER; e <= RLAB_ENC_PEM; e++) {
            tu_case("cross %s->%s %u B's %s %s of A's key == A's", a->name, b->name, bits,
                    rlab_keyfmt_name(f), tu_enc_name(e));
            rlab_key *ka = tu_key(a, bits, 0);
            if (ka == NULL || !need_both(a, &qe, b, &qe))
                continue;
            rlab_key *kb = tu_key_from(b, a, bits, 0);
            if (kb == NULL)
                continue;
            TU_SAME_EXPORT(a, ka, "A export", b, kb, "B export", (rlab_keyfmt)f,
                           (rlab_encoding)e, "encodings");
        }
    }
    tu_test_end();
}
END_TEST

/* ---- OAEP --------------------------------------------------------------------------------- */

static void oaep_case(unsigned bits, rlab_hash h, rlab_hash m, int with_label)
{
    const struct rlab_backend *a = tu_backend(0), *b = tu_backend(1);
    static const uint8_t label[] = "cross label";
    tu_case("cross %s->%s %u oaep %s/mgf1=%s label=%s: A encrypts, B decrypts", a->name,
            b->name, bits, rlab_hash_name(h), rlab_hash_name(m), with_label ? "yes" : "no");
    struct rlab_oaep_params p = {h, m, with_label ? label : NULL,
                                 with_label ? sizeof label - 1 : 0};
    struct rlab_op_query qa = {.op = RLAB_OP_OAEP_ENCRYPT, .hash = h, .mgf1_hash = m,
                               .label_len = p.label_len};
    struct rlab_op_query qb = qa;
    qb.op = RLAB_OP_OAEP_DECRYPT;
    if (!need_both(a, &qa, b, &qb))
        return;
    rlab_key *pa = tu_pubkey(a, bits, 0), *kb = tu_key_from(b, a, bits, 0);
    if (pa == NULL || kb == NULL)
        return;
    long mlen = tu_oaep_max(pa, h);
    uint8_t msg[MAXK], ct[MAXK], pt[MAXK];
    size_t lc = sizeof ct, lp = sizeof pt;
    tu_rand(msg, (size_t)mlen);
    if (TU_RC(rlab_oaep_encrypt(a, pa, &p, NULL, msg, (size_t)mlen, ct, &lc), RLAB_OK,
              "A oaep_encrypt") &&
        TU_RC(rlab_oaep_decrypt(b, kb, &p, ct, lc, pt, &lp), RLAB_OK, "B oaep_decrypt"))
        TU_CHECK(tu_bytes_eq(pt, lp, msg, (size_t)mlen), "B's plaintext differs");
}

START_TEST(test_oaep_a_to_b)
{
    unsigned bits = sizes[_i];
    size_t k = (bits + 7) / 8;
    for (int i = 0; i < TU_NHASH; i++) {
        rlab_hash h = tu_hashes[i];
        if (k < 2 * rlab_hash_len(h) + 2)
            continue; /* the hash does not fit this modulus */
        oaep_case(bits, h, h, 0);
        oaep_case(bits, h, h, 1);
    }
    oaep_case(bits, RLAB_HASH_SHA256, RLAB_HASH_SHA1, 1);
    oaep_case(bits, RLAB_HASH_SHA1, RLAB_HASH_SHA512, 0);
    oaep_case(bits, RLAB_HASH_SHA384, RLAB_HASH_SHA256, 0);
    tu_test_end();
}
END_TEST

/* ---- signatures ------------------------------------------------------------------------------ */

static void pss_case(unsigned bits, rlab_hash h, rlab_hash m, int salt)
{
    const struct rlab_backend *a = tu_backend(0), *b = tu_backend(1);
    tu_case("cross %s->%s %u pss %s/mgf1=%s salt=%d: A signs, B verifies", a->name, b->name,
            bits, rlab_hash_name(h), rlab_hash_name(m), salt);
    struct rlab_op_query qa = {.op = RLAB_OP_PSS_SIGN, .hash = h, .mgf1_hash = m,
                               .salt_len = salt};
    struct rlab_op_query qb = qa;
    qb.op = RLAB_OP_PSS_VERIFY;
    if (!need_both(a, &qa, b, &qb))
        return;
    rlab_key *ka = tu_key(a, bits, 0), *kb = tu_key_from(b, a, bits, 0);
    if (ka == NULL || kb == NULL)
        return;
    size_t hl = rlab_hash_len(h);
    uint8_t dig[RLAB_HASH_MAX_LEN], sig[MAXK];
    size_t ls = sizeof sig;
    tu_rand(dig, hl);
    struct rlab_pss_params p = {h, m, salt};
    if (!TU_RC(rlab_pss_sign(a, ka, &p, NULL, dig, hl, sig, &ls), RLAB_OK, "A pss_sign") ||
        !TU_RC(rlab_pss_verify(b, kb, &p, dig, hl, sig, ls), RLAB_OK, "B pss_verify"))
        return;
    tu_case("cross %s->%s %u pss %s/mgf1=%s salt=%d: B verifies with salt=auto", a->name,
            b->name, bits, rlab_hash_name(h), rlab_hash_name(m), salt);
    qb.salt_len = RLAB_PSS_SALT_AUTO;
    if (!tu_need(b, &qb))
        return;
    p.salt_len = RLAB_PSS_SALT_AUTO;
    TU_RC(rlab_pss_verify(b, kb, &p, dig, hl, sig, ls), RLAB_OK, "B pss_verify (auto)");
}

START_TEST(test_pss_a_to_b)
{
    unsigned bits = sizes[_i];
    for (int i = 0; i < TU_NHASH; i++) {
        rlab_hash h = tu_hashes[i];
        int max = tu_pss_max_salt(bits, h), hl = (int)rlab_hash_len(h);
        if (max < 0)
            continue;
        pss_case(bits, h, h, 0);
        if (hl < max)
            pss_case(bits, h, h, hl);
        pss_case(bits, h, h, max);
    }
    pss_case(bits, RLAB_HASH_SHA256, RLAB_HASH_SHA1, 32);
    pss_case(bits, RLAB_HASH_SHA512, RLAB_HASH_SHA256, 20);
    tu_test_end();
}
END_TEST

START_TEST(test_pkcs1_sign_identical)
{
    const struct rlab_backend *a = tu_backend(0), *b = tu_backend(1);
    unsigned bits = sizes[_i];
    for (int i = 0; i < TU_NHASH; i++) {
        rlab_hash h = tu_hashes[i];
        tu_case("cross %s->%s %u pkcs1 %s: B verifies A's signature, B's is byte-identical",
                a->name, b->name, bits, rlab_hash_name(h));
        struct rlab_op_query qs = {.op = RLAB_OP_PKCS1_SIGN, .hash = h};
        struct rlab_op_query qv = {.op = RLAB_OP_PKCS1_VERIFY, .hash = h};
        if (!need_both(a, &qs, b, &qv) || !tu_need(b, &qs))
            continue;
        rlab_key *ka = tu_key(a, bits, 0), *kb = tu_key_from(b, a, bits, 0);
        if (ka == NULL || kb == NULL)
            continue;
        size_t hl = rlab_hash_len(h), la, lb;
        uint8_t dig[RLAB_HASH_MAX_LEN], sa[MAXK], sb[MAXK];
        tu_rand(dig, hl);
        la = sizeof sa;
        lb = sizeof sb;
        if (TU_RC(rlab_pkcs1_sign(a, ka, h, dig, hl, sa, &la), RLAB_OK, "A pkcs1_sign")) {
            TU_RC(rlab_pkcs1_verify(b, kb, h, dig, hl, sa, la), RLAB_OK, "B pkcs1_verify");
            if (TU_RC(rlab_pkcs1_sign(b, kb, h, dig, hl, sb, &lb), RLAB_OK, "B pkcs1_sign"))
                TU_CHECK(tu_bytes_eq(sa, la, sb, lb), "signatures differ: A %s",
                         tu_hex(sa, la));
        }
    }
    tu_test_end();
}
END_TEST

/* ---- v1.5 encryption, raw -------------------------------------------------------------------- */

START_TEST(test_pkcs1_encrypt_a_to_b)
{
    const struct rlab_backend *a = tu_backend(0), *b = tu_backend(1);
    unsigned bits = sizes[_i];
    tu_case("cross %s->%s %u pkcs1 encrypt by A, decrypt by B", a->name, b->name, bits);
    struct rlab_op_query qe = {.op = RLAB_OP_PKCS1_ENCRYPT}, qd = {.op = RLAB_OP_PKCS1_DECRYPT};
    if (need_both(a, &qe, b, &qd)) {
        rlab_key *pa = tu_pubkey(a, bits, 0), *kb = tu_key_from(b, a, bits, 0);
        if (pa != NULL && kb != NULL) {
            size_t mlen = rlab_key_size(pa) - 11, lc = MAXK, lp = MAXK;
            uint8_t msg[MAXK], ct[MAXK], pt[MAXK];
            tu_rand(msg, mlen);
            if (TU_RC(rlab_pkcs1_encrypt(a, pa, NULL, msg, mlen, ct, &lc), RLAB_OK,
                      "A pkcs1_encrypt") &&
                TU_RC(rlab_pkcs1_decrypt(b, kb, ct, lc, pt, &lp), RLAB_OK, "B pkcs1_decrypt"))
                TU_CHECK(tu_bytes_eq(pt, lp, msg, mlen), "B's plaintext differs");
        }
    }
    tu_test_end();
}
END_TEST

START_TEST(test_raw_identical)
{
    const struct rlab_backend *a = tu_backend(0), *b = tu_backend(1);
    unsigned bits = sizes[_i];
    struct rlab_op_query qpriv = {.op = RLAB_OP_RAW_PRIVATE}, qpub = {.op = RLAB_OP_RAW_PUBLIC};
    for (int r = 0; r < 3; r++) {
        tu_case("cross %s->%s %u raw private and public byte-identical #%d", a->name, b->name,
                bits, r);
        if (!need_both(a, &qpriv, b, &qpriv) || !need_both(a, &qpub, b, &qpub))
            break;
        rlab_key *ka = tu_key(a, bits, 0), *kb = tu_key_from(b, a, bits, 0);
        if (ka == NULL || kb == NULL)
            break;
        size_t k = rlab_key_size(ka), la = MAXK, lb = MAXK;
        uint8_t x[MAXK], ya[MAXK], yb[MAXK];
        tu_rand_below_n(ka, x);
        if (TU_RC(rlab_raw_private(a, ka, x, k, ya, &la), RLAB_OK, "A raw_private") &&
            TU_RC(rlab_raw_private(b, kb, x, k, yb, &lb), RLAB_OK, "B raw_private"))
            TU_CHECK(tu_bytes_eq(ya, la, yb, lb), "x^d differs for x=%s", tu_hex(x, k));
        la = lb = MAXK;
        if (TU_RC(rlab_raw_public(a, ka, x, k, ya, &la), RLAB_OK, "A raw_public") &&
            TU_RC(rlab_raw_public(b, kb, x, k, yb, &lb), RLAB_OK, "B raw_public"))
            TU_CHECK(tu_bytes_eq(ya, la, yb, lb), "x^e differs for x=%s", tu_hex(x, k));
    }
    tu_test_end();
}
END_TEST

/* ---- symmetric slots, foreign keys ------------------------------------------------------------- */

START_TEST(test_symmetric_agree)
{
    const struct rlab_backend *a = tu_backend(0), *b = tu_backend(1);
    for (size_t key_len = 16; key_len <= 32; key_len += 16) {
        tu_case("cross %s->%s aes-%zu-gcm: same ciphertext and tag, B opens A's", a->name,
                b->name, key_len * 8);
        struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = key_len,
                                  .aead_iv_len = 12, .aead_tag_len = 16};
        if (!need_both(a, &q, b, &q))
            continue;
        uint8_t key[32], iv[12], aad[7], msg[333], ca[333], cb[333], pt[333], ta[16], tb[16];
        tu_rand(key, key_len);
        tu_rand(iv, sizeof iv);
        tu_rand(aad, sizeof aad);
        tu_rand(msg, sizeof msg);
        rlab_aead_ctx *xa = NULL, *xb = NULL;
        if (TU_RC(rlab_aead_new(a, key, key_len, &xa), RLAB_OK, "A aead_new") &&
            TU_RC(rlab_aead_new(b, key, key_len, &xb), RLAB_OK, "B aead_new") &&
            TU_RC(rlab_aead_seal(a, xa, iv, 12, aad, sizeof aad, msg, sizeof msg, ca, ta, 16),
                  RLAB_OK, "A seal") &&
            TU_RC(rlab_aead_seal(b, xb, iv, 12, aad, sizeof aad, msg, sizeof msg, cb, tb, 16),
                  RLAB_OK, "B seal")) {
            TU_CHECK(tu_bytes_eq(ca, sizeof ca, cb, sizeof cb) && tu_bytes_eq(ta, 16, tb, 16),
                     "ciphertexts or tags differ");
            if (TU_RC(rlab_aead_open(b, xb, iv, 12, aad, sizeof aad, ca, sizeof ca, ta, 16, pt),
                      RLAB_OK, "B open"))
                TU_CHECK(tu_bytes_eq(pt, sizeof pt, msg, sizeof msg), "B's plaintext differs");
        }
        if (xa)
            rlab_aead_free(a, xa);
        if (xb)
            rlab_aead_free(b, xb);
    }
    for (int i = 0; i < TU_NHASH; i++) {
        rlab_hash h = tu_hashes[i];
        tu_case("cross %s->%s %s of 1000 random bytes agrees", a->name, b->name,
                rlab_hash_name(h));
        struct rlab_op_query q = {.op = RLAB_OP_HASH, .hash = h};
        if (!need_both(a, &q, b, &q))
            continue;
        uint8_t msg[1000], da[RLAB_HASH_MAX_LEN], db[RLAB_HASH_MAX_LEN];
        tu_rand(msg, sizeof msg);
        if (TU_RC(rlab_backend_hash(a, h, msg, sizeof msg, da), RLAB_OK, "A hash") &&
            TU_RC(rlab_backend_hash(b, h, msg, sizeof msg, db), RLAB_OK, "B hash"))
            TU_CHECK(tu_bytes_eq(da, rlab_hash_len(h), db, rlab_hash_len(h)), "digests differ");
    }
    tu_test_end();
}
END_TEST

/* A key belongs to its backend: B's slots refuse A's key objects. */
START_TEST(test_b_refuses_a_key_object)
{
    const struct rlab_backend *a = tu_backend(0), *b = tu_backend(1);
    const unsigned bits = 1024;
    tu_case("cross %s->%s B's slots given A's key object -> INVALID_ARG", a->name, b->name);
    rlab_key *ka = tu_key(a, bits, 0);
    struct rlab_op_query qo = {.op = RLAB_OP_OAEP_ENCRYPT, .hash = RLAB_HASH_SHA256,
                               .mgf1_hash = RLAB_HASH_SHA256};
    struct rlab_op_query qr = {.op = RLAB_OP_RAW_PRIVATE}, qe = {.op = RLAB_OP_EXPORT};
    if (ka != NULL && tu_need(b, &qo) && tu_need(b, &qr) && tu_need(b, &qe)) {
        struct rlab_oaep_params p = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};
        uint8_t in[MAXK], out[MAXK];
        size_t lo = sizeof out, k = rlab_key_size(ka);
        tu_rand_below_n(ka, in);
        TU_RC(rlab_oaep_encrypt(b, ka, &p, NULL, in, 16, out, &lo), RLAB_ERR_INVALID_ARG,
              "B oaep_encrypt with A's key");
        lo = sizeof out;
        TU_RC(rlab_raw_private(b, ka, in, k, out, &lo), RLAB_ERR_INVALID_ARG,
              "B raw_private with A's key");
        struct rlab_buf w = RLAB_BUF_INIT;
        TU_RC(rlab_key_export(b, ka, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &w), RLAB_ERR_INVALID_ARG,
              "B export_key with A's key");
        rlab_buf_clear(&w);
    }
    tu_test_end();
}
END_TEST

int main(int argc, char **argv)
{
    tu_init(argc, argv, 2);
    Suite *s = suite_create("cross");
    TCase *tc = tu_tcase(s, "keys");
    tcase_add_loop_test(tc, test_keys_written_by_a_read_by_b, 0, NSIZES);
    tcase_add_loop_test(tc, test_b_encodings_equal_a, 0, NSIZES);
    tc = tu_tcase(s, "oaep");
    tcase_add_loop_test(tc, test_oaep_a_to_b, 0, NSIZES);
    tc = tu_tcase(s, "signatures");
    tcase_add_loop_test(tc, test_pss_a_to_b, 0, NSIZES);
    tcase_add_loop_test(tc, test_pkcs1_sign_identical, 0, NSIZES);
    tc = tu_tcase(s, "pkcs1-raw");
    tcase_add_loop_test(tc, test_pkcs1_encrypt_a_to_b, 0, NSIZES);
    tcase_add_loop_test(tc, test_raw_identical, 0, NSIZES);
    tc = tu_tcase(s, "other");
    tcase_add_test(tc, test_symmetric_agree);
    tcase_add_test(tc, test_b_refuses_a_key_object);
    return tu_run(s);
}
