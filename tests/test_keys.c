/*
 * Keys on one backend: export/import round trips in the four formats, DER
 * and PEM; keys converted from one format to another still work; components
 * out and back in; the public half exported from a private key; a private
 * format asked of a public key; rlab_keyfile_parse() naming each of the
 * eight forms.
 *
 * usage: suite_keys BACKEND [SEED]
 *
 * RSALAB_TEST_SMALL_KEYS=1 (set by the memcheck.keys.* tests) runs every
 * case on 1024-bit keys only: the same code and error paths, without
 * valgrind spending minutes in 2048-bit key generation and in OpenSSL's
 * primality checks of every imported private key (EVP_PKEY_check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/ops.h"
#include "core/keycache.h"
#include "core/keyfile.h"
#include "tests/testutil.h"

static const unsigned sizes[] = {1024, 2048};
#define NSIZES 2
#define MAXK 512

/* The key size of the single-size cases, and how many of sizes[] the
 * export/import round trip walks; see RSALAB_TEST_SMALL_KEYS above. */
static unsigned main_bits = 2048;
static int n_sizes = NSIZES;

static const char *const pem_label[RLAB_KEYFMT_COUNT] = {
    [RLAB_KEYFMT_PKCS1_PRIV] = "RSA PRIVATE KEY",
    [RLAB_KEYFMT_PKCS1_PUB] = "RSA PUBLIC KEY",
    [RLAB_KEYFMT_PKCS8] = "PRIVATE KEY",
    [RLAB_KEYFMT_SPKI] = "PUBLIC KEY",
};

static int need_io(const struct rlab_backend *be)
{
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT}, qi = {.op = RLAB_OP_IMPORT};
    return tu_need(be, &qe) && tu_need(be, &qi);
}

/* Check the outer shape of an encoding: PEM armour with the right label and
 * a final newline, or a DER SEQUENCE. */
static void check_shape(rlab_keyfmt f, rlab_encoding e, const struct rlab_buf *b)
{
    if (!TU_CHECK(b->len > 0 && b->data != NULL, "empty %s %s encoding",
                  rlab_keyfmt_name(f), tu_enc_name(e)))
        return;
    if (e == RLAB_ENC_DER) {
        TU_CHECK(b->data[0] == 0x30, "DER does not start with a SEQUENCE: %s",
                 tu_hex(b->data, b->len));
        return;
    }
    char begin[64], end[64];
    snprintf(begin, sizeof begin, "-----BEGIN %s-----\n", pem_label[f]);
    snprintf(end, sizeof end, "-----END %s-----\n", pem_label[f]);
    size_t lb = strlen(begin), le = strlen(end);
    TU_CHECK(b->len > lb + le && memcmp(b->data, begin, lb) == 0,
             "PEM does not start with '%.*s'", (int)lb - 1, begin);
    TU_CHECK(b->len > le && memcmp(b->data + b->len - le, end, le) == 0,
             "PEM does not end with '%.*s' and a newline", (int)le - 1, end);
}

/* Components of a and b equal (every component a has). */
static void check_same_components(const struct rlab_backend *be, const rlab_key *a,
                                  const rlab_key *b, const char *what)
{
    struct rlab_components ca = {0}, cb = {0};
    if (TU_RC(rlab_key_to_components(be, a, &ca), RLAB_OK, "to_components (original)") &&
        TU_RC(rlab_key_to_components(be, b, &cb), RLAB_OK, "to_components (re-imported)")) {
        TU_CHECK(tu_int_eq(&ca.n, &cb.n) && tu_int_eq(&ca.e, &cb.e), "%s: n or e differ",
                 what);
        TU_CHECK(tu_int_eq(&ca.d, &cb.d), "%s: d differs", what);
        TU_CHECK(tu_int_eq(&ca.p, &cb.p) && tu_int_eq(&ca.q, &cb.q), "%s: p or q differ",
                 what);
        TU_CHECK(tu_int_eq(&ca.dp, &cb.dp) && tu_int_eq(&ca.dq, &cb.dq) &&
                     tu_int_eq(&ca.qinv, &cb.qinv),
                 "%s: CRT values differ", what);
    }
    rlab_components_clear(&ca);
    rlab_components_clear(&cb);
}

/* ---- export -> import -> export, every form ------------------------------------ */

START_TEST(test_export_import_roundtrip)
{
    const struct rlab_backend *be = tu_backend(0);
    unsigned bits = sizes[_i];
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        for (int e = RLAB_ENC_DER; e <= RLAB_ENC_PEM; e++) {
            for (int from_pub = 0; from_pub <= !tu_is_private_fmt(f); from_pub++) {
                tu_case("%s keys %u export %s %s from the %s key, import, export again",
                        be->name, bits, rlab_keyfmt_name(f), tu_enc_name(e),
                        from_pub ? "public" : "private");
                if (!need_io(be))
                    continue;
                rlab_key *src = from_pub ? tu_pubkey(be, bits, 0) : tu_key(be, bits, 0);
                if (src == NULL)
                    continue;
                struct rlab_buf b1 = RLAB_BUF_INIT, b2 = RLAB_BUF_INIT;
                rlab_key *k2 = NULL;
                if (TU_RC(rlab_key_export(be, src, f, e, &b1), RLAB_OK, "export_key")) {
                    check_shape(f, e, &b1);
                    if (TU_RC(rlab_key_import(be, f, e, b1.data, b1.len, &k2), RLAB_OK, "import")) {
                        TU_CHECK(k2->bits == bits, "imported key has %u bits", k2->bits);
                        TU_CHECK(k2->has_private == tu_is_private_fmt(f),
                                 "imported key has_private=%d", k2->has_private);
                        TU_CHECK(k2->be == be, "imported key belongs to another backend");
                        if (TU_RC(rlab_key_export(be, k2, f, e, &b2), RLAB_OK, "export again"))
                            TU_CHECK(tu_bytes_eq(b1.data, b1.len, b2.data, b2.len),
                                     "second export differs (%zu vs %zu bytes)", b1.len,
                                     b2.len);
                    }
                }
                struct rlab_op_query qc = {.op = RLAB_OP_TO_COMPONENTS};
                if (k2 != NULL && tu_case_ok() && tu_is_private_fmt(f)) {
                    tu_case("%s keys %u components after %s %s import", be->name, bits,
                            rlab_keyfmt_name(f), tu_enc_name(e));
                    if (tu_need(be, &qc))
                        check_same_components(be, src, k2, rlab_keyfmt_name(f));
                }
                rlab_key_free(k2);
                rlab_buf_clear(&b1);
                rlab_buf_clear(&b2);
            }
        }
    }
    tu_test_end();
}
END_TEST

/* ---- converted keys still work ------------------------------------------------- */

/* Export k in form (f1,e1), import, export in (f2,e2), import. */
static rlab_key *convert(const struct rlab_backend *be, const rlab_key *k, rlab_keyfmt f1,
                         rlab_encoding e1, rlab_keyfmt f2, rlab_encoding e2)
{
    struct rlab_buf b = RLAB_BUF_INIT;
    rlab_key *mid = NULL, *out = NULL;
    if (TU_RC(rlab_key_export(be, k, f1, e1, &b), RLAB_OK, "export (first form)") &&
        TU_RC(rlab_key_import(be, f1, e1, b.data, b.len, &mid), RLAB_OK, "import (first form)")) {
        rlab_buf_clear(&b);
        if (TU_RC(rlab_key_export(be, mid, f2, e2, &b), RLAB_OK, "export (second form)"))
            TU_RC(rlab_key_import(be, f2, e2, b.data, b.len, &out), RLAB_OK, "import (second form)");
    }
    rlab_buf_clear(&b);
    rlab_key_free(mid);
    return out;
}

/* priv signs and decrypts what pub verifies and encrypts (OAEP, PSS with
 * SHA-256), whichever of them is the converted key. */
static void check_pair_works(const struct rlab_backend *be, const rlab_key *priv,
                             const rlab_key *pub)
{
    struct rlab_oaep_params op = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};
    struct rlab_pss_params pp = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 32};
    uint8_t msg[48], ct[MAXK], pt[MAXK], dig[32], sig[MAXK];
    size_t lc = sizeof ct, lp = sizeof pt, ls = sizeof sig;
    tu_rand(msg, sizeof msg);
    tu_rand(dig, sizeof dig);
    if (TU_RC(rlab_oaep_encrypt(be, pub, &op, NULL, msg, sizeof msg, ct, &lc), RLAB_OK,
              "oaep_encrypt") &&
        TU_RC(rlab_oaep_decrypt(be, priv, &op, ct, lc, pt, &lp), RLAB_OK, "oaep_decrypt"))
        TU_CHECK(tu_bytes_eq(pt, lp, msg, sizeof msg), "decrypted message differs");
    if (TU_RC(rlab_pss_sign(be, priv, &pp, NULL, dig, sizeof dig, sig, &ls), RLAB_OK, "pss_sign"))
        TU_RC(rlab_pss_verify(be, pub, &pp, dig, sizeof dig, sig, ls), RLAB_OK, "pss_verify");
}

static int need_ops(const struct rlab_backend *be)
{
    const struct rlab_op_query q[] = {
        {.op = RLAB_OP_OAEP_ENCRYPT, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256},
        {.op = RLAB_OP_OAEP_DECRYPT, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256},
        {.op = RLAB_OP_PSS_SIGN, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256,
         .salt_len = 32},
        {.op = RLAB_OP_PSS_VERIFY, .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256,
         .salt_len = 32},
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if (!tu_need(be, &q[i]))
            return 0;
    return need_io(be);
}

START_TEST(test_converted_keys_work)
{
    const struct rlab_backend *be = tu_backend(0);
    const unsigned bits = main_bits;
    /* _i == 0: private forms; _i == 1: public forms. */
    const rlab_keyfmt priv_f[2] = {RLAB_KEYFMT_PKCS1_PRIV, RLAB_KEYFMT_PKCS8};
    const rlab_keyfmt pub_f[2] = {RLAB_KEYFMT_PKCS1_PUB, RLAB_KEYFMT_SPKI};
    const rlab_keyfmt *fs = _i == 0 ? priv_f : pub_f;
    for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
            rlab_keyfmt f1 = fs[a / 2], f2 = fs[b / 2];
            rlab_encoding e1 = (rlab_encoding)(a % 2), e2 = (rlab_encoding)(b % 2);
            tu_case("%s keys %u %s %s -> %s %s, converted key used", be->name, bits,
                    rlab_keyfmt_name(f1), tu_enc_name(e1), rlab_keyfmt_name(f2), tu_enc_name(e2));
            if (!need_ops(be))
                continue;
            rlab_key *priv = tu_key(be, bits, 0), *pub = tu_pubkey(be, bits, 0);
            if (priv == NULL || pub == NULL)
                continue;
            rlab_key *conv = convert(be, priv, f1, e1, f2, e2);
            if (conv == NULL)
                continue;
            if (_i == 0)
                check_pair_works(be, conv, pub);
            else
                check_pair_works(be, priv, conv);
            rlab_key_free(conv);
        }
    }
    tu_test_end();
}
END_TEST

/* ---- components ------------------------------------------------------------------ */

START_TEST(test_components_roundtrip)
{
    const struct rlab_backend *be = tu_backend(0);
    const unsigned bits = main_bits;
    struct rlab_op_query qt = {.op = RLAB_OP_TO_COMPONENTS};
    struct rlab_op_query qf = {.op = RLAB_OP_FROM_COMPONENTS};
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT};

    tu_case("%s keys %u all components out and in, PKCS#1 identical", be->name, bits);
    rlab_key *priv = tu_key(be, bits, 0);
    struct rlab_components c = {0};
    if (priv != NULL && tu_need(be, &qt) && tu_need(be, &qf) &&
        TU_RC(rlab_key_to_components(be, priv, &c), RLAB_OK, "to_components")) {
        TU_CHECK(c.n.len > 0 && c.e.len > 0 && c.d.len > 0, "n, e or d missing");
        TU_CHECK(c.p.len > 0 && c.q.len > 0 && c.dp.len > 0 && c.dq.len > 0 &&
                     c.qinv.len > 0,
                 "a generated key lacks CRT components");
        rlab_key *k2 = NULL;
        if (TU_RC(rlab_key_from_components(be, &c, &k2), RLAB_OK, "from_components")) {
            TU_CHECK(k2->has_private && k2->bits == bits, "key from components: bits %u priv %d",
                     k2->bits, k2->has_private);
            struct rlab_buf b1 = RLAB_BUF_INIT, b2 = RLAB_BUF_INIT;
            if (tu_need(be, &qe) &&
                TU_RC(rlab_key_export(be, priv, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, &b1),
                      RLAB_OK, "export original") &&
                TU_RC(rlab_key_export(be, k2, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, &b2), RLAB_OK,
                      "export rebuilt"))
                TU_CHECK(tu_bytes_eq(b1.data, b1.len, b2.data, b2.len),
                         "PKCS#1 of the rebuilt key differs");
            rlab_buf_clear(&b1);
            rlab_buf_clear(&b2);
            rlab_key_free(k2);
        }
    }

    tu_case("%s keys %u private key from n, e, d only", be->name, bits);
    rlab_key *pub = tu_pubkey(be, bits, 0);
    if (c.n.len > 0 && pub != NULL && need_ops(be)) {
        struct rlab_components ned = {.n = c.n, .e = c.e, .d = c.d};
        rlab_key *k3 = NULL;
        if (TU_RC(rlab_key_from_components(be, &ned, &k3), RLAB_OK, "from_components(n, e, d)")) {
            TU_CHECK(k3->has_private, "key from n, e, d is not private");
            check_pair_works(be, k3, pub);
            rlab_key_free(k3);
        }
    }

    tu_case("%s keys %u public key from n, e", be->name, bits);
    if (c.n.len > 0 && priv != NULL && need_ops(be)) {
        struct rlab_components ne = {.n = c.n, .e = c.e};
        rlab_key *k4 = NULL;
        if (TU_RC(rlab_key_from_components(be, &ne, &k4), RLAB_OK, "from_components(n, e)")) {
            TU_CHECK(!k4->has_private && k4->bits == bits, "public key: bits %u priv %d",
                     k4->bits, k4->has_private);
            check_pair_works(be, priv, k4);
            struct rlab_components c4 = {0};
            if (TU_RC(rlab_key_to_components(be, k4, &c4), RLAB_OK, "to_components(public)"))
                TU_CHECK(tu_int_eq(&c4.n, &c.n) && tu_int_eq(&c4.e, &c.e) && c4.d.len == 0 &&
                             c4.p.len == 0,
                         "public key components: n/e differ or private parts present");
            rlab_components_clear(&c4);
            rlab_key_free(k4);
        }
    }
    rlab_components_clear(&c);
    tu_test_end();
}
END_TEST

/* ---- public formats from a private key, private formats from a public key ---------- */

START_TEST(test_public_export_of_private_key)
{
    const struct rlab_backend *be = tu_backend(0);
    const unsigned bits = main_bits;
    const rlab_keyfmt fs[2] = {RLAB_KEYFMT_PKCS1_PUB, RLAB_KEYFMT_SPKI};
    for (int i = 0; i < 4; i++) {
        rlab_keyfmt f = fs[i / 2];
        rlab_encoding e = (rlab_encoding)(i % 2);
        tu_case("%s keys %u %s %s of a private key == of its public key", be->name, bits,
                rlab_keyfmt_name(f), tu_enc_name(e));
        struct rlab_op_query qe = {.op = RLAB_OP_EXPORT};
        if (!tu_need(be, &qe))
            continue;
        rlab_key *priv = tu_key(be, bits, 0), *pub = tu_pubkey(be, bits, 0);
        if (priv == NULL || pub == NULL)
            continue;
        TU_SAME_EXPORT(be, priv, "export from private", be, pub, "export from public", f, e,
                       "public encodings");
    }
    tu_test_end();
}
END_TEST

START_TEST(test_private_export_of_public_key)
{
    const struct rlab_backend *be = tu_backend(0);
    const unsigned bits = main_bits;
    const rlab_keyfmt fs[2] = {RLAB_KEYFMT_PKCS1_PRIV, RLAB_KEYFMT_PKCS8};
    for (int i = 0; i < 4; i++) {
        rlab_keyfmt f = fs[i / 2];
        rlab_encoding e = (rlab_encoding)(i % 2);
        tu_case("%s keys %u %s %s of a public key -> KEY_NOT_PRIVATE", be->name, bits,
                rlab_keyfmt_name(f), tu_enc_name(e));
        struct rlab_op_query qe = {.op = RLAB_OP_EXPORT};
        if (!tu_need(be, &qe))
            continue;
        rlab_key *pub = tu_pubkey(be, bits, 0);
        if (pub == NULL)
            continue;
        struct rlab_buf a = RLAB_BUF_INIT;
        TU_RC(rlab_key_export(be, pub, f, e, &a), RLAB_ERR_KEY_NOT_PRIVATE, "export_key");
        TU_CHECK(a.len == 0, "a failed export left %zu bytes", a.len);
        rlab_buf_clear(&a);
    }
    tu_test_end();
}
END_TEST

/* ---- key files ---------------------------------------------------------------------- */

START_TEST(test_keyfile_detects_every_form)
{
    const struct rlab_backend *be = tu_backend(0);
    const unsigned bits = main_bits;
    char dir[] = "/tmp/rsalab-keys-XXXXXX";
    int have_dir = mkdtemp(dir) != NULL;
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        for (int e = RLAB_ENC_DER; e <= RLAB_ENC_PEM; e++) {
            tu_case("%s keyfile %u detects %s %s", be->name, bits, rlab_keyfmt_name(f),
                    tu_enc_name(e));
            if (!need_io(be))
                continue;
            rlab_key *priv = tu_key(be, bits, 0);
            if (priv == NULL)
                continue;
            struct rlab_buf b = RLAB_BUF_INIT;
            rlab_key *k = NULL;
            rlab_keyfmt gf = RLAB_KEYFMT_COUNT;
            rlab_encoding ge = (rlab_encoding)-1;
            if (TU_RC(rlab_key_export(be, priv, f, e, &b), RLAB_OK, "export_key") &&
                TU_RC(rlab_keyfile_parse(be, b.data, b.len, &k, &gf, &ge), RLAB_OK,
                      "rlab_keyfile_parse")) {
                TU_CHECK(gf == (rlab_keyfmt)f, "detected format %s", rlab_keyfmt_name(gf));
                TU_CHECK(ge == (rlab_encoding)e, "detected encoding %s", tu_enc_name(ge));
                TU_CHECK(k->has_private == tu_is_private_fmt(f) && k->bits == bits,
                         "parsed key: bits %u priv %d", k->bits, k->has_private);
            }
            rlab_key_free(k);
            k = NULL;
            /* The same through a real file. */
            char path[sizeof dir + 32];
            snprintf(path, sizeof path, "%s/%s.%s", dir, rlab_keyfmt_name(f), tu_enc_name(e));
            if (b.len > 0 && TU_CHECK(have_dir, "mkdtemp failed") &&
                TU_RC(rlab_file_write(path, b.data, b.len, 0600, 0), RLAB_OK,
                      "rlab_file_write") &&
                TU_RC(rlab_keyfile_load(be, path, &k), RLAB_OK, "rlab_keyfile_load"))
                TU_CHECK(k->has_private == tu_is_private_fmt(f), "loaded key priv %d",
                         k->has_private);
            rlab_key_free(k);
            unlink(path);
            rlab_buf_clear(&b);
        }
    }
    if (have_dir)
        rmdir(dir);
    tu_test_end();
}
END_TEST

/*
 * core/keycache: a key is imported once per distinct SPKI, later lookups are
 * hits that give the same key and canonical bytes; a key that does not
 * import is never cached; with every entry in use a key is imported for the
 * caller alone; an unreferenced entry is evicted least recently used first.
 */
START_TEST(test_keycache)
{
    const struct rlab_backend *be = tu_backend(0);
    tu_case("%s keycache %u", be->name, main_bits);
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT}, qi = {.op = RLAB_OP_IMPORT};
    if (!tu_need(be, &qe) || !tu_need(be, &qi)) {
        tu_test_end();
        return;
    }
    struct rlab_buf spki[3] = {RLAB_BUF_INIT, RLAB_BUF_INIT, RLAB_BUF_INIT};
    for (int i = 0; i < 3; i++) {
        rlab_key *pub = tu_pubkey(be, main_bits, i);
        if (pub == NULL || !TU_RC(rlab_key_export(be, pub, RLAB_KEYFMT_SPKI, RLAB_ENC_DER,
                                                  &spki[i]), RLAB_OK, "export SPKI"))
            goto out;
    }
    struct rlab_keycache *c = NULL;
    if (!TU_RC(rlab_keycache_new(2, &c), RLAB_OK, "keycache_new"))
        goto out;
    rlab_key *a = NULL, *a2 = NULL, *b = NULL, *x = NULL, *extra = NULL;
    const uint8_t *ca, *ca2, *cx;
    size_t la, la2, lx;
    TU_RC(rlab_keycache_get(c, be, spki[0].data, spki[0].len, &a, &ca, &la), RLAB_OK, "get a");
    TU_RC(rlab_keycache_get(c, be, spki[0].data, spki[0].len, &a2, &ca2, &la2), RLAB_OK,
          "get a again");
    TU_CHECK(a != NULL && a == a2 && rlab_keycache_hits(c) == 1, "second lookup is a hit");
    TU_CHECK(tu_bytes_eq(ca, la, spki[0].data, spki[0].len) && ca == ca2,
             "canonical bytes are the key's export");
    /* a bad key: refused each time, never cached */
    uint8_t bad[64];
    memcpy(bad, spki[0].data, sizeof bad);
    for (int i = 0; i < 2; i++)
        TU_CHECK(rlab_keycache_get(c, be, bad, sizeof bad, &x, &cx, &lx) != RLAB_OK &&
                     x == NULL, "a cut SPKI is refused (try %d)", i);
    TU_CHECK(rlab_keycache_size(c) == 1, "a refused key takes no entry");
    const uint8_t *cb, *ce;
    size_t lb, le;
    TU_RC(rlab_keycache_get(c, be, spki[1].data, spki[1].len, &b, &cb, &lb), RLAB_OK, "get b");
    /* both entries referenced: the third key is the caller's alone */
    TU_RC(rlab_keycache_get(c, be, spki[2].data, spki[2].len, &extra, &ce, &le), RLAB_OK,
          "get c with the cache full");
    TU_CHECK(extra != NULL && extra != a && extra != b && rlab_keycache_size(c) == 2,
             "a key beyond a full cache is not cached");
    rlab_keycache_put(c, extra);
    rlab_keycache_put(c, a);
    rlab_keycache_put(c, a2);
    rlab_keycache_put(c, b);
    /* a (used before b) goes first */
    TU_RC(rlab_keycache_get(c, be, spki[2].data, spki[2].len, &extra, &ce, &le), RLAB_OK,
          "get c with free entries");
    rlab_keycache_put(c, extra);
    unsigned long h = rlab_keycache_hits(c);
    TU_RC(rlab_keycache_get(c, be, spki[1].data, spki[1].len, &b, &cb, &lb), RLAB_OK, "get b");
    rlab_keycache_put(c, b);
    TU_CHECK(rlab_keycache_hits(c) == h + 1, "the recently used entry stayed");
    TU_RC(rlab_keycache_get(c, be, spki[0].data, spki[0].len, &a, &ca, &la), RLAB_OK, "get a");
    rlab_keycache_put(c, a);
    TU_CHECK(rlab_keycache_hits(c) == h + 1, "the least recently used entry was evicted");
    rlab_keycache_free(c);
out:
    for (int i = 0; i < 3; i++)
        rlab_buf_clear(&spki[i]);
    tu_test_end();
}
END_TEST

int main(int argc, char **argv)
{
    tu_init(argc, argv, 1);
    const char *small = getenv("RSALAB_TEST_SMALL_KEYS");
    if (small != NULL && strcmp(small, "1") == 0) {
        main_bits = sizes[0];
        n_sizes = 1;
        printf("RSALAB_TEST_SMALL_KEYS=1: %u-bit keys only\n", main_bits);
    }
    Suite *s = suite_create("keys");
    TCase *tc = tu_tcase(s, "export-import");
    tcase_add_loop_test(tc, test_export_import_roundtrip, 0, n_sizes);
    tc = tu_tcase(s, "converted");
    tcase_add_loop_test(tc, test_converted_keys_work, 0, 2);
    tc = tu_tcase(s, "components");
    tcase_add_test(tc, test_components_roundtrip);
    tc = tu_tcase(s, "public-private");
    tcase_add_test(tc, test_public_export_of_private_key);
    tcase_add_test(tc, test_private_export_of_public_key);
    tc = tu_tcase(s, "keyfile");
    tcase_add_test(tc, test_keyfile_detects_every_form);
    tc = tu_tcase(s, "keycache");
    tcase_add_test(tc, test_keycache);
    return tu_run(s);
}
