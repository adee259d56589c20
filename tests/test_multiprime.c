/*
 * Multi-prime RSA keys (RFC 8017 3.2: RSAPrivateKey version 1 with
 * otherPrimeInfos r_i, d_i, t_i) on one backend, from committed keys made by
 * `openssl genpkey -pkeyopt rsa_keygen_primes:N` (tests/data/multiprime):
 *
 *  - import in PKCS #1 and PKCS #8, DER and PEM, and export byte for byte
 *    the same (and the SubjectPublicKeyInfo of the public half);
 *  - components out and back in, with the extra primes carried;
 *  - private operations (raw, OAEP, PSS, v1.5 signatures, across a refresh
 *    of the blinding factors), and the same raw results and v1.5 signatures
 *    as OpenSSL's for the same key;
 *  - every broken r_i, d_i, t_i refused, and the DER shapes RFC 8017 A.1.2
 *    forbids (version 1 without otherPrimeInfos, version 0 with them);
 *  - key generation with 3 and 4 primes where the backend has it, and the
 *    size caps (OpenSSL's, rlab_max_primes).
 *
 * A backend without RLAB_CAP_MULTI_PRIME must refuse every multi-prime key
 * (import and components): those cases check the refusal, they are not
 * skips.  Key generation it lacks is a skip with its reason.
 *
 * usage: suite_multiprime BACKEND [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "tests/testutil.h"

#ifndef RLAB_MP_DATA
#error "RLAB_MP_DATA must name tests/data/multiprime"
#endif

#define MAXK 512

struct mp_key {
    const char *name;
    unsigned bits, primes;
};

static const struct mp_key mp_keys[] = {
    {"rsa2048-3p", 2048, 3},
    {"rsa4096-4p", 4096, 4},
};
#define NKEYS (sizeof mp_keys / sizeof mp_keys[0])

static int read_file(const char *name, const char *ext, struct rlab_buf *out)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.%s", RLAB_MP_DATA, name, ext);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return TU_CHECK(0, "cannot open %s", path);
    uint8_t tmp[8192];
    size_t n = fread(tmp, 1, sizeof tmp, f);
    fclose(f);
    return TU_CHECK(n > 0 && n < sizeof tmp, "bad size of %s", path) &&
           TU_RC(rlab_buf_set(out, tmp, n), RLAB_OK, "copy");
}

static const struct {
    rlab_keyfmt fmt;
    rlab_encoding enc;
    const char *ext;
} mp_files[] = {
    {RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, "pkcs1.der"},
    {RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_PEM, "pkcs1.pem"},
    {RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, "pkcs8.der"},
    {RLAB_KEYFMT_PKCS8, RLAB_ENC_PEM, "pkcs8.pem"},
};
#define NFILES (sizeof mp_files / sizeof mp_files[0])

/* 1 when be takes multi-prime keys for op; else the reason in *why. */
static int mp_can(const struct rlab_backend *be, rlab_op op, unsigned primes,
                  const char **why)
{
    struct rlab_op_query q = {.op = op, .primes = primes};
    *why = rlab_backend_check(be, &q);
    return *why == NULL;
}

/* The committed key through its PKCS #1 DER, or NULL (case marked). */
static rlab_key *mp_load(const struct rlab_backend *be, const struct mp_key *mk)
{
    struct rlab_buf der = RLAB_BUF_INIT;
    rlab_key *k = NULL;
    if (read_file(mk->name, "pkcs1.der", &der))
        TU_RC(rlab_key_import(be, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, der.data, der.len, &k),
              RLAB_OK, "import");
    rlab_buf_clear(&der);
    return k;
}

/* ---- import and export ------------------------------------------------------ */

START_TEST(test_import_export)
{
    const struct rlab_backend *be = tu_backend(0);
    const struct mp_key *mk = &mp_keys[_i / NFILES];
    size_t fi = (size_t)_i % NFILES;
    struct rlab_buf in = RLAB_BUF_INIT, out = RLAB_BUF_INIT, spki = RLAB_BUF_INIT;
    struct rlab_components c = {0};
    rlab_key *k = NULL;
    const char *why;
    if (!mp_can(be, RLAB_OP_IMPORT, mk->primes, &why)) {
        tu_case("%s %s %s: refused", be->name, mk->name, mp_files[fi].ext);
        if (read_file(mk->name, mp_files[fi].ext, &in)) {
            int rc = rlab_key_import(be, mp_files[fi].fmt, mp_files[fi].enc, in.data, in.len,
                                     &k);
            TU_CHECK(rc != RLAB_OK && k == NULL, "a %u-prime key was accepted (%s)",
                     mk->primes, why);
            printf("  %s refuses it: %s (%s)\n", be->name, rlab_errname(rc),
                   rlab_error_detail());
        }
        rlab_key_free(k);
        rlab_buf_clear(&in);
        tu_test_end();
        return;
    }
    tu_case("%s %s %s: import, export byte-exact", be->name, mk->name, mp_files[fi].ext);
    if (read_file(mk->name, mp_files[fi].ext, &in) &&
        TU_RC(rlab_key_import(be, mp_files[fi].fmt, mp_files[fi].enc, in.data, in.len, &k),
              RLAB_OK, "import") &&
        TU_RC(rlab_key_export(be, k, mp_files[fi].fmt, mp_files[fi].enc, &out), RLAB_OK,
              "export")) {
        TU_CHECK(k->bits == mk->bits && k->has_private, "bits %u", k->bits);
        TU_CHECK(tu_bytes_eq(in.data, in.len, out.data, out.len),
                 "export differs from the file (%zu vs %zu bytes)", out.len, in.len);
        rlab_buf_clear(&out);
        if (read_file(mk->name, "spki.der", &spki) &&
            TU_RC(rlab_key_export(be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &out), RLAB_OK,
                  "export spki"))
            TU_CHECK(tu_bytes_eq(spki.data, spki.len, out.data, out.len), "SPKI differs");
        if (TU_RC(rlab_key_to_components(be, k, &c), RLAB_OK, "to_components"))
            TU_CHECK(c.n_other == mk->primes - 2, "%zu other primes, want %u", c.n_other,
                     mk->primes - 2);
    }
    rlab_components_clear(&c);
    rlab_key_free(k);
    rlab_buf_clear(&in);
    rlab_buf_clear(&out);
    rlab_buf_clear(&spki);
    tu_test_end();
}
END_TEST

/* ---- components ------------------------------------------------------------- */

/* Components of the committed key, read by the first backend that takes
 * multi-prime keys (the one under test when it does). */
static int mp_components(const struct mp_key *mk, struct rlab_components *c)
{
    const char *why;
    const struct rlab_backend *src = tu_backend(0);
    if (!mp_can(src, RLAB_OP_TO_COMPONENTS, mk->primes, &why))
        src = rlab_backend_find("gmp");
    if (src == NULL || !mp_can(src, RLAB_OP_TO_COMPONENTS, mk->primes, &why))
        src = rlab_backend_find("openssl");
    if (src == NULL || !mp_can(src, RLAB_OP_TO_COMPONENTS, mk->primes, &why)) {
        tu_skip("no backend in this build reads multi-prime keys");
        return 0;
    }
    rlab_key *k = mp_load(src, mk);
    int ok = k != NULL && TU_RC(rlab_key_to_components(src, k, c), RLAB_OK, "to_components");
    rlab_key_free(k);
    return ok;
}

START_TEST(test_components)
{
    const struct rlab_backend *be = tu_backend(0);
    const struct mp_key *mk = &mp_keys[_i];
    struct rlab_components c = {0};
    struct rlab_buf der = RLAB_BUF_INIT, out = RLAB_BUF_INIT;
    rlab_key *k = NULL;
    const char *why;
    int can = mp_can(be, RLAB_OP_FROM_COMPONENTS, mk->primes, &why);
    tu_case("%s %s: components in and out%s", be->name, mk->name, can ? "" : " refused");
    if (mp_components(mk, &c)) {
        int rc = rlab_key_from_components(be, &c, &k);
        if (!can) {
            TU_RC(rc, RLAB_ERR_UNSUPPORTED, "from_components of a multi-prime key");
        } else if (TU_RC(rc, RLAB_OK, "from_components") && read_file(mk->name, "pkcs1.der", &der) &&
                   TU_RC(rlab_key_export(be, k, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, &out),
                         RLAB_OK, "export")) {
            TU_CHECK(tu_bytes_eq(der.data, der.len, out.data, out.len),
                     "the key rebuilt from components exports differently");
        }
    }
    rlab_components_clear(&c);
    rlab_key_free(k);
    rlab_buf_clear(&der);
    rlab_buf_clear(&out);
    tu_test_end();
}
END_TEST

/* ---- private operations ----------------------------------------------------- */

/* Raw, OAEP, PSS and v1.5 on k (bits), the public half checking. */
static void mp_ops(const struct rlab_backend *be, const rlab_key *k)
{
    uint8_t x[MAXK], y[MAXK], z[MAXK], msg[32], dg[32];
    size_t kl = rlab_key_size(k), l;
    /* raw: more operations than one blinding refresh period */
    for (int i = 0; i < 40 && tu_case_ok(); i++) {
        tu_rand_below_n(k, x);
        l = kl;
        if (!TU_RC(rlab_raw_private(be, k, x, kl, y, &l), RLAB_OK, "raw private"))
            break;
        l = kl;
        if (TU_RC(rlab_raw_public(be, k, y, kl, z, &l), RLAB_OK, "raw public"))
            TU_CHECK(tu_bytes_eq(x, kl, z, l), "raw private then public: not the input");
    }
    tu_rand(msg, sizeof msg);
    tu_rand(dg, sizeof dg);
    struct rlab_oaep_params op = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};
    l = kl;
    if (TU_RC(rlab_oaep_encrypt(be, k, &op, NULL, msg, sizeof msg, y, &l), RLAB_OK, "oaep")) {
        size_t ml = kl;
        if (TU_RC(rlab_oaep_decrypt(be, k, &op, y, kl, z, &ml), RLAB_OK, "oaep decrypt"))
            TU_CHECK(tu_bytes_eq(msg, sizeof msg, z, ml), "OAEP round trip");
    }
    struct rlab_pss_params pp = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 32};
    l = kl;
    if (TU_RC(rlab_pss_sign(be, k, &pp, NULL, dg, sizeof dg, y, &l), RLAB_OK, "pss sign"))
        TU_RC(rlab_pss_verify(be, k, &pp, dg, sizeof dg, y, l), RLAB_OK, "pss verify");
    l = kl;
    if (TU_RC(rlab_pkcs1_sign(be, k, RLAB_HASH_SHA256, dg, sizeof dg, y, &l), RLAB_OK,
              "v1.5 sign"))
        TU_RC(rlab_pkcs1_verify(be, k, RLAB_HASH_SHA256, dg, sizeof dg, y, l), RLAB_OK,
              "v1.5 verify");
}

START_TEST(test_private_ops)
{
    const struct rlab_backend *be = tu_backend(0);
    const struct mp_key *mk = &mp_keys[_i];
    const char *why;
    tu_case("%s %s: raw, OAEP, PSS, v1.5", be->name, mk->name);
    if (!mp_can(be, RLAB_OP_IMPORT, mk->primes, &why)) {
        tu_skip("%s", why);
        tu_test_end();
        return;
    }
    rlab_key *k = mp_load(be, mk);
    if (k != NULL)
        mp_ops(be, k);

    /* the same numbers as OpenSSL for the same key */
    const struct rlab_backend *ref = rlab_backend_find("openssl");
    if (ref != NULL && ref != be && k != NULL) {
        tu_case("%s %s: raw private and v1.5 signatures equal OpenSSL's", be->name, mk->name);
        rlab_key *rk = mp_load(ref, mk);
        uint8_t x[MAXK], y[MAXK], z[MAXK], dg[32];
        size_t kl = rlab_key_size(k), l1 = kl, l2 = kl;
        for (int i = 0; i < 4 && rk != NULL && tu_case_ok(); i++) {
            tu_rand_below_n(k, x);
            l1 = l2 = kl;
            if (TU_RC(rlab_raw_private(be, k, x, kl, y, &l1), RLAB_OK, "raw private") &&
                TU_RC(rlab_raw_private(ref, rk, x, kl, z, &l2), RLAB_OK, "openssl raw"))
                TU_CHECK(tu_bytes_eq(y, l1, z, l2), "raw private differs from OpenSSL's");
        }
        tu_rand(dg, sizeof dg);
        l1 = l2 = kl;
        if (rk != NULL &&
            TU_RC(rlab_pkcs1_sign(be, k, RLAB_HASH_SHA256, dg, sizeof dg, y, &l1), RLAB_OK,
                  "sign") &&
            TU_RC(rlab_pkcs1_sign(ref, rk, RLAB_HASH_SHA256, dg, sizeof dg, z, &l2), RLAB_OK,
                  "openssl sign"))
            TU_CHECK(tu_bytes_eq(y, l1, z, l2), "v1.5 signature differs from OpenSSL's");
        rlab_key_free(rk);
    }
    rlab_key_free(k);
    tu_test_end();
}
END_TEST

/* ---- broken keys -------------------------------------------------------------- */

enum { BR_R, BR_D, BR_T, BR_T_ZERO, BR_T_IS_R, BR_R_IS_P, BR_D_OFF, BR_NO_T, BR_COUNT };
static const char *const br_names[BR_COUNT] = {
    "r_3 changed", "d_3 changed", "t_3 changed", "t_3 = 0", "t_3 = r_3",
    "r_3 = p", "d_3 off by 2", "t_3 missing",
};

/* dst = a copy of src (dst's old buffer released). */
static void replace(struct rlab_buf *dst, const struct rlab_buf *src)
{
    struct rlab_buf tmp = RLAB_BUF_INIT;
    ck_assert(rlab_buf_set(&tmp, src->data, src->len) == RLAB_OK);
    rlab_buf_clear(dst);
    *dst = tmp;
}

/* Flip bit `bit` of the last byte of b. */
static void flip(struct rlab_buf *b, uint8_t bit)
{
    b->data[b->len - 1] ^= bit;
}

START_TEST(test_broken_components)
{
    const struct rlab_backend *be = tu_backend(0);
    const struct mp_key *mk = &mp_keys[0];
    int br = _i;
    const char *why;
    tu_case("%s %s: %s refused", be->name, mk->name, br_names[br]);
    if (!mp_can(be, RLAB_OP_FROM_COMPONENTS, mk->primes, &why)) {
        tu_skip("%s", why); /* refusing good keys is test_components' check */
        tu_test_end();
        return;
    }
    struct rlab_components c = {0};
    rlab_key *k = NULL;
    if (mp_components(mk, &c)) {
        struct rlab_prime_info *o = &c.other[0];
        int want = RLAB_ERR_KEY_INVALID;
        switch (br) {
        case BR_R: flip(&o->r, 2); break; /* stays odd */
        case BR_D: flip(&o->d, 1); break;
        case BR_T: flip(&o->t, 1); break;
        case BR_T_ZERO: memset(o->t.data, 0, o->t.len); break;
        case BR_T_IS_R: replace(&o->t, &o->r); break;
        case BR_R_IS_P: replace(&o->r, &c.p); break;
        case BR_D_OFF: flip(&o->d, 2); break;
        case BR_NO_T:
            rlab_buf_clear(&o->t);
            want = RLAB_ERR_INVALID_ARG;
            break;
        default: break;
        }
        int rc = rlab_key_from_components(be, &c, &k);
        TU_CHECK(rc == want || (rc != RLAB_OK && be != rlab_backend_find("gmp")),
                 "from_components: %s (%s), want %s", rlab_errname(rc), rlab_error_detail(),
                 rlab_errname(want));
        TU_CHECK(k == NULL, "a key came back");
        if (rc != RLAB_OK)
            printf("  %s: %s\n", br_names[br], rlab_error_detail());
    }
    rlab_key_free(k);
    rlab_components_clear(&c);
    tu_test_end();
}
END_TEST

/* Length of the TLV at p (public DER). */
static size_t tlv_len(const uint8_t *p, size_t *hdr)
{
    if (p[1] < 0x80) {
        *hdr = 2;
        return p[1];
    }
    size_t nb = p[1] & 0x7f, len = 0;
    for (size_t i = 0; i < nb; i++)
        len = (len << 8) | p[2 + i];
    *hdr = 2 + nb;
    return len;
}

/* RFC 8017 A.1.2: otherPrimeInfos exactly in version 1 keys; a changed
 * coefficient inside the DER. */
START_TEST(test_broken_der)
{
    const struct rlab_backend *be = tu_backend(0);
    const struct mp_key *mk = &mp_keys[0];
    const char *why;
    static const char *const names[3] = {"version 1 without otherPrimeInfos",
                                         "version 0 with otherPrimeInfos",
                                         "t_3 changed in the DER"};
    tu_case("%s %s: %s refused", be->name, mk->name, names[_i]);
    if (!mp_can(be, RLAB_OP_IMPORT, mk->primes, &why)) {
        tu_skip("%s", why);
        tu_test_end();
        return;
    }
    struct rlab_buf der = RLAB_BUF_INIT;
    rlab_key *k = NULL;
    if (read_file(mk->name, "pkcs1.der", &der)) {
        size_t h0, h, pos;
        tlv_len(der.data, &h0);
        pos = h0;
        for (int i = 0; i < 9; i++) { /* version, n, e, d, p, q, dp, dq, qinv */
            size_t len = tlv_len(der.data + pos, &h);
            pos += h + len;
        }
        /* pos: the start of otherPrimeInfos */
        uint8_t *buf = malloc(der.len);
        size_t blen = der.len;
        memcpy(buf, der.data, der.len);
        int want = RLAB_ERR_KEY_FORMAT;
        if (_i == 0) {
            size_t content = pos - h0; /* 2-byte long form, as for the original */
            buf[2] = (uint8_t)(content >> 8);
            buf[3] = (uint8_t)content;
            blen = pos;
        } else if (_i == 1) {
            buf[h0 + 2] = 0; /* version INTEGER 1 -> 0 */
        } else {
            buf[blen - 1] ^= 1; /* the last byte of the DER is t_3's */
            want = RLAB_ERR_KEY_INVALID;
        }
        int rc = rlab_key_import(be, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, buf, blen, &k);
        TU_CHECK(rc == want || (rc != RLAB_OK && be != rlab_backend_find("gmp")),
                 "import: %s (%s), want %s", rlab_errname(rc), rlab_error_detail(),
                 rlab_errname(want));
        TU_CHECK(k == NULL, "a key came back");
        if (rc != RLAB_OK)
            printf("  %s: %s\n", names[_i], rlab_error_detail());
        free(buf);
    }
    rlab_key_free(k);
    rlab_buf_clear(&der);
    tu_test_end();
}
END_TEST

/* ---- key generation ------------------------------------------------------------- */

START_TEST(test_keygen)
{
    static const struct {
        unsigned bits, primes;
        int ok;
    } cases[] = {{1024, 3, 1}, {2048, 3, 1}, {4096, 4, 1}, {2048, 4, 0}, {1024, 4, 0}};
    const struct rlab_backend *be = tu_backend(0);
    unsigned bits = cases[_i].bits, primes = cases[_i].primes;
    tu_case("%s keygen %u bits, %u primes%s", be->name, bits, primes,
            cases[_i].ok ? "" : ": over the cap, refused");
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits};
    struct rlab_op_query qm = {.op = RLAB_OP_KEYGEN, .bits = bits, .primes = 3};
    rlab_key *k = NULL;
    struct rlab_components c = {0};
    if (!tu_need(be, &q) || !tu_need(be, &qm)) {
        tu_test_end();
        return;
    }
    int rc = rlab_keygen_primes(be, bits, primes, 65537, NULL, &k);
    if (!cases[_i].ok) {
        TU_RC(rc, RLAB_ERR_UNSUPPORTED, "keygen over the cap");
        TU_CHECK(k == NULL, "a key came back");
    } else if (TU_RC(rc, RLAB_OK, "keygen") &&
               TU_RC(rlab_key_to_components(be, k, &c), RLAB_OK, "to_components")) {
        TU_CHECK(k->bits == bits, "%u bits", k->bits);
        TU_CHECK(c.n_other == primes - 2, "%zu other primes", c.n_other);
        mp_ops(be, k);
        /* the other multi-prime backend validates it (gmp: every check of
         * RFC 8017 3.2; openssl: EVP_PKEY_check) */
        const struct rlab_backend *other =
            rlab_backend_find(strcmp(be->name, "gmp") == 0 ? "openssl" : "gmp");
        rlab_key *k2 = NULL;
        if (other != NULL && other != be)
            TU_RC(rlab_key_from_components(other, &c, &k2), RLAB_OK, "validated elsewhere");
        rlab_key_free(k2);
    }
    rlab_components_clear(&c);
    rlab_key_free(k);
    tu_test_end();
}
END_TEST

int main(int argc, char **argv)
{
    tu_init(argc, argv, 1);
    Suite *s = suite_create("multiprime");
    TCase *tc = tu_tcase(s, "codec");
    tcase_add_loop_test(tc, test_import_export, 0, (int)(NKEYS * NFILES));
    tcase_add_loop_test(tc, test_components, 0, (int)NKEYS);
    tc = tu_tcase(s, "ops");
    tcase_add_loop_test(tc, test_private_ops, 0, (int)NKEYS);
    tc = tu_tcase(s, "broken");
    tcase_add_loop_test(tc, test_broken_components, 0, BR_COUNT);
    tcase_add_loop_test(tc, test_broken_der, 0, 3);
    tc = tu_tcase(s, "keygen");
    tcase_add_loop_test(tc, test_keygen, 0, 5);
    return tu_run(s);
}
