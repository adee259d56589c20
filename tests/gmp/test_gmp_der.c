/*
 * Tests of the gmp backend's DER/PEM code (backends/gmp/gmp_der.h).
 *
 *  - fixtures: keys written by the openssl CLI (tests/gmp/data/gen.sh) in
 *    all four formats, DER and PEM, decode to the components `openssl rsa
 *    -text` printed, and re-encode byte-identical to openssl's files, from
 *    any source format;
 *  - malformed inputs, hand-made so that each differs from a valid one in
 *    one way, are refused with RLAB_ERR_KEY_FORMAT and the detail naming
 *    that way; every prefix of every fixture is refused;
 *  - a random-mutation loop (seed printed; RSALAB_TEST_SEED=<n> replays it):
 *    every mutated input either fails cleanly (KEY_FORMAT, output cleared)
 *    or decodes to a key whose encoding is exactly the input (DER is one
 *    encoding per key, so anything else accepted would be a parser bug).
 *
 * Each input sits in its own exact-size allocation so that ASan sees any
 * read past its end.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/gmp/gmp_der.h"
#include "base/errors.h"

#ifndef RLAB_GMPDER_DATA
#error "RLAB_GMPDER_DATA must name tests/gmp/data"
#endif

static const char *const key_names[] = {"rsa512", "rsa1024", "rsa2048"};
#define N_KEYS (sizeof key_names / sizeof key_names[0])

static const struct {
    rlab_keyfmt fmt;
    const char *suffix;
} formats[] = {
    {RLAB_KEYFMT_PKCS1_PRIV, "pkcs1"},
    {RLAB_KEYFMT_PKCS1_PUB, "rsapub"},
    {RLAB_KEYFMT_PKCS8, "pkcs8"},
    {RLAB_KEYFMT_SPKI, "spki"},
};
#define N_FMTS (sizeof formats / sizeof formats[0])

static int is_private(rlab_keyfmt f)
{
    return f == RLAB_KEYFMT_PKCS1_PRIV || f == RLAB_KEYFMT_PKCS8;
}

/* ---- helpers ----------------------------------------------------------- */

static struct rlab_buf read_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", RLAB_GMPDER_DATA, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    ck_assert(n > 0);
    rewind(f);
    struct rlab_buf b = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_buf_alloc(&b, (size_t)n), RLAB_OK);
    ck_assert_uint_eq(fread(b.data, 1, b.len, f), b.len);
    fclose(f);
    return b;
}

static struct rlab_buf fixture(size_t key, size_t fmt, rlab_encoding enc)
{
    char name[64];
    snprintf(name, sizeof name, "%s.%s.%s", key_names[key], formats[fmt].suffix,
             enc == RLAB_ENC_DER ? "der" : "pem");
    return read_file(name);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex (odd length allowed: a leading 0 is implied) into a fresh buffer. */
static struct rlab_buf from_hex(const char *hex, size_t n)
{
    struct rlab_buf b = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_buf_alloc(&b, (n + 1) / 2), RLAB_OK);
    size_t o = 0, i = 0;
    if (n % 2) {
        b.data[o++] = (uint8_t)hexval(hex[i++]);
    }
    for (; i < n; i += 2) {
        int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);
        ck_assert_msg(hi >= 0 && lo >= 0, "bad hex in test data");
        b.data[o++] = (uint8_t)(hi << 4 | lo);
    }
    return b;
}

static struct rlab_buf hex(const char *h)
{
    return from_hex(h, strlen(h));
}

/* The expected components of a fixture key, from NAME.txt. */
static void expected_components(size_t key, struct rlab_components *c)
{
    char name[64];
    snprintf(name, sizeof name, "%s.txt", key_names[key]);
    struct rlab_buf txt = read_file(name);
    memset(c, 0, sizeof *c);
    const char *p = (const char *)txt.data, *end = p + txt.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eq = memchr(p, '=', (size_t)(end - p));
        ck_assert(nl != NULL && eq != NULL && eq < nl);
        struct rlab_buf v = from_hex(eq + 1, (size_t)(nl - eq - 1));
        size_t klen = (size_t)(eq - p);
        struct rlab_buf *slot =
            klen == 1 && p[0] == 'n' ? &c->n :
            klen == 1 && p[0] == 'e' ? &c->e :
            klen == 1 && p[0] == 'd' ? &c->d :
            klen == 1 && p[0] == 'p' ? &c->p :
            klen == 1 && p[0] == 'q' ? &c->q :
            klen == 2 && memcmp(p, "dp", 2) == 0 ? &c->dp :
            klen == 2 && memcmp(p, "dq", 2) == 0 ? &c->dq :
            klen == 4 && memcmp(p, "qinv", 4) == 0 ? &c->qinv : NULL;
        ck_assert_msg(slot != NULL, "unknown component in %s", name);
        *slot = v;
        p = nl + 1;
    }
    rlab_buf_clear(&txt);
}

static void assert_buf_eq(const struct rlab_buf *a, const struct rlab_buf *b,
                          const char *what)
{
    ck_assert_msg(a->len == b->len, "%s: length %zu, expected %zu", what, a->len, b->len);
    if (a->len > 0)
        ck_assert_msg(memcmp(a->data, b->data, a->len) == 0, "%s differs", what);
}

static int components_empty(const struct rlab_components *c)
{
    const struct rlab_buf *b[] = {&c->n, &c->e, &c->d, &c->p,
                                  &c->q, &c->dp, &c->dq, &c->qinv};
    for (size_t i = 0; i < 8; i++)
        if (b[i]->data != NULL || b[i]->len != 0)
            return 0;
    return 1;
}

/* Decode a copy of in[0..len) held in its own allocation of exactly len. */
static int decode_copy(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                       size_t len, struct rlab_components *out)
{
    uint8_t *copy = malloc(len ? len : 1);
    ck_assert(copy != NULL);
    if (len > 0)
        memcpy(copy, in, len);
    int rc = rlab_gmp_der_decode(fmt, enc, copy, len, out);
    free(copy);
    return rc;
}

/* Expect RLAB_ERR_KEY_FORMAT, a cleared output and a detail containing
 * `detail`. */
static void expect_refused(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                           size_t len, const char *detail, const char *name)
{
    struct rlab_components c;
    memset(&c, 0xa5, sizeof c); /* garbage: decode must initialise it */
    rlab_error_clear();
    int rc = decode_copy(fmt, enc, in, len, &c);
    ck_assert_msg(rc == RLAB_ERR_KEY_FORMAT, "%s: got %s, expected RLAB_ERR_KEY_FORMAT",
                  name, rlab_errname(rc));
    ck_assert_msg(components_empty(&c), "%s: output not cleared", name);
    ck_assert_msg(strstr(rlab_error_detail(), detail) != NULL,
                  "%s: detail \"%s\" does not mention \"%s\"", name,
                  rlab_error_detail(), detail);
}

/* ---- fixtures ---------------------------------------------------------- */

/* Every fixture decodes to openssl's components and re-encodes to the same
 * bytes; and from the private PKCS#1 key, every format encodes to
 * openssl's file (public halves included). */
START_TEST(fixtures_decode_and_reencode)
{
    size_t key = (size_t)_i / (N_FMTS * 2);
    size_t fmt = (size_t)_i / 2 % N_FMTS;
    rlab_encoding enc = _i % 2 ? RLAB_ENC_PEM : RLAB_ENC_DER;
    rlab_keyfmt f = formats[fmt].fmt;
    struct rlab_buf file = fixture(key, fmt, enc);
    struct rlab_components want, got;
    expected_components(key, &want);

    ck_assert_int_eq(decode_copy(f, enc, file.data, file.len, &got), RLAB_OK);
    assert_buf_eq(&got.n, &want.n, "n");
    assert_buf_eq(&got.e, &want.e, "e");
    if (is_private(f)) {
        assert_buf_eq(&got.d, &want.d, "d");
        assert_buf_eq(&got.p, &want.p, "p");
        assert_buf_eq(&got.q, &want.q, "q");
        assert_buf_eq(&got.dp, &want.dp, "dp");
        assert_buf_eq(&got.dq, &want.dq, "dq");
        assert_buf_eq(&got.qinv, &want.qinv, "qinv");
    } else {
        ck_assert(got.d.data == NULL && got.qinv.data == NULL);
    }

    struct rlab_buf again = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_gmp_der_encode(&got, f, enc, &again), RLAB_OK);
    assert_buf_eq(&again, &file, "re-encoding");
    rlab_buf_clear(&again);

    /* From openssl's components (all private parts) to this format. */
    ck_assert_int_eq(rlab_gmp_der_encode(&want, f, enc, &again), RLAB_OK);
    assert_buf_eq(&again, &file, "encoding from components");
    rlab_buf_clear(&again);

    rlab_components_clear(&got);
    rlab_components_clear(&want);
    rlab_buf_clear(&file);
}
END_TEST

/* Leading zero bytes in the components do not change the encoding. */
START_TEST(encode_ignores_leading_zeros)
{
    struct rlab_components want, padded;
    expected_components(1, &want);
    memset(&padded, 0, sizeof padded);
    struct rlab_buf *src[] = {&want.n, &want.e, &want.d, &want.p,
                              &want.q, &want.dp, &want.dq, &want.qinv};
    struct rlab_buf *dst[] = {&padded.n, &padded.e, &padded.d, &padded.p,
                              &padded.q, &padded.dp, &padded.dq, &padded.qinv};
    for (size_t i = 0; i < 8; i++) {
        ck_assert_int_eq(rlab_buf_alloc(dst[i], src[i]->len + 3), RLAB_OK);
        memcpy(dst[i]->data + 3, src[i]->data, src[i]->len);
    }
    for (size_t fmt = 0; fmt < N_FMTS; fmt++) {
        struct rlab_buf file = fixture(1, fmt, RLAB_ENC_DER);
        struct rlab_buf out = RLAB_BUF_INIT;
        ck_assert_int_eq(rlab_gmp_der_encode(&padded, formats[fmt].fmt, RLAB_ENC_DER, &out),
                         RLAB_OK);
        assert_buf_eq(&out, &file, formats[fmt].suffix);
        rlab_buf_clear(&out);
        rlab_buf_clear(&file);
    }
    rlab_components_clear(&padded);
    rlab_components_clear(&want);
}
END_TEST

START_TEST(encode_private_needs_private_parts)
{
    struct rlab_buf file = fixture(0, 3, RLAB_ENC_DER); /* SPKI */
    struct rlab_components pub;
    struct rlab_buf out = RLAB_BUF_INIT;
    ck_assert_int_eq(decode_copy(RLAB_KEYFMT_SPKI, RLAB_ENC_DER, file.data, file.len, &pub),
                     RLAB_OK);
    ck_assert_int_eq(rlab_gmp_der_encode(&pub, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_PEM, &out),
                     RLAB_ERR_KEY_NOT_PRIVATE);
    ck_assert(out.data == NULL);
    ck_assert_int_eq(rlab_gmp_der_encode(&pub, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, &out),
                     RLAB_ERR_KEY_NOT_PRIVATE);
    /* d alone, without the CRT values, is not enough either. */
    ck_assert_int_eq(rlab_buf_set(&pub.d, "\x05", 1), RLAB_OK);
    ck_assert_int_eq(rlab_gmp_der_encode(&pub, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, &out),
                     RLAB_ERR_KEY_NOT_PRIVATE);
    ck_assert_int_eq(rlab_gmp_der_encode(&pub, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &out), RLAB_OK);
    assert_buf_eq(&out, &file, "spki");
    rlab_buf_clear(&out);
    rlab_components_clear(&pub);
    rlab_buf_clear(&file);
}
END_TEST

/* PEM layout variations that stay within the rules are accepted. */
START_TEST(pem_layout_accepted)
{
    static const char *const texts[] = {
        "-----BEGIN RSA PUBLIC KEY-----\nMAcCAgDFAgED\n-----END RSA PUBLIC KEY-----\n",
        "-----BEGIN RSA PUBLIC KEY-----\nMAcCAgDFAgED\n-----END RSA PUBLIC KEY-----",
        (" \t\r\n\n-----BEGIN RSA PUBLIC KEY-----\r\nMAcC\r\nAgDF\r\nAgED\r\n"
         "-----END RSA PUBLIC KEY-----\r\n\n \t"),
        "-----BEGIN RSA PUBLIC KEY-----\nMA\ncCAgDFAg\nED\n-----END RSA PUBLIC KEY-----\n",
        "-----BEGIN RSA PUBLIC KEY-----\nMAYCAQUCAQM=\n-----END RSA PUBLIC KEY-----\n",
        "-----BEGIN RSA PUBLIC KEY-----\nMAYCAQUCAQ\nM=\n-----END RSA PUBLIC KEY-----\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct rlab_components c;
        int rc = decode_copy(RLAB_KEYFMT_PKCS1_PUB, RLAB_ENC_PEM, (const uint8_t *)texts[i],
                             strlen(texts[i]), &c);
        ck_assert_msg(rc == RLAB_OK, "text %zu: %s (%s)", i, rlab_errname(rc),
                      rlab_error_detail());
        ck_assert_uint_eq(c.e.len, 1);
        ck_assert_uint_eq(c.e.data[0], 3);
        rlab_components_clear(&c);
    }
    /* And a whole key on one line. */
    struct rlab_buf file = fixture(2, 0, RLAB_ENC_PEM);
    struct rlab_buf joined = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_buf_alloc(&joined, file.len), RLAB_OK);
    size_t o = 0;
    const char *first = memchr(file.data, '\n', file.len);
    const char *last = NULL;
    for (size_t i = file.len - 1; i > 0 && last == NULL; i--)
        if (file.data[i - 1] == '\n' && file.data[i] == '-')
            last = (const char *)file.data + i;
    ck_assert(first != NULL && last != NULL);
    size_t head = (size_t)(first - (const char *)file.data) + 1;
    memcpy(joined.data, file.data, head);
    o = head;
    for (const char *p = first + 1; p < last; p++)
        if (*p != '\n')
            joined.data[o++] = (uint8_t)*p;
    joined.data[o++] = '\n';
    size_t tail = file.len - (size_t)(last - (const char *)file.data);
    memcpy(joined.data + o, last, tail);
    o += tail;
    struct rlab_components c;
    ck_assert_int_eq(decode_copy(RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_PEM, joined.data, o, &c),
                     RLAB_OK);
    rlab_components_clear(&c);
    rlab_buf_clear(&joined);
    rlab_buf_clear(&file);
}
END_TEST

/* ---- malformed inputs -------------------------------------------------- */

struct bad_case {
    const char *name;
    rlab_keyfmt fmt;
    const char *hex;    /* DER in hex */
    const char *detail; /* substring of the error detail */
};

/* A valid RSAPrivateKey body used below (version, n=0xc5, e=3, d..qinv). */
#define PRIV_BODY "020100020200c5020103020107020105020109020101020103020104"
#define ALG "300d06092a864886f70d0101010500"

static const struct bad_case good_der[] = {
    {"RSAPublicKey", RLAB_KEYFMT_PKCS1_PUB, "3007020200c5020103", NULL},
    {"RSAPrivateKey", RLAB_KEYFMT_PKCS1_PRIV, "301c" PRIV_BODY, NULL},
    {"PrivateKeyInfo", RLAB_KEYFMT_PKCS8, "3032020100" ALG "041e301c" PRIV_BODY, NULL},
    {"SPKI", RLAB_KEYFMT_SPKI, "301b" ALG "030a003007020200c5020103", NULL},
    {"zero INTEGER", RLAB_KEYFMT_PKCS1_PUB, "3006020100020103", NULL},
    {"long-form lengths", RLAB_KEYFMT_PKCS1_PUB,
     "30818602818000808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
     "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7"
     "c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
     "f0f1f2f3f4f5f6f7f8f9fafbfcfdfe020103", NULL},
};

static const struct bad_case bad_der[] = {
    {"trailing byte", RLAB_KEYFMT_PKCS1_PUB, "3007020200c502010300", "trailing"},
    {"non-minimal length 0x81 0x07", RLAB_KEYFMT_PKCS1_PUB, "308107020200c5020103",
     "non-minimal length"},
    {"non-minimal length 0x81 0x05", RLAB_KEYFMT_PKCS1_PUB, "300b028105000000c5c5020103",
     "non-minimal length"},
    {"length with leading zero byte", RLAB_KEYFMT_PKCS1_PUB, "30820007020200c5020103",
     "non-minimal length"},
    {"indefinite length", RLAB_KEYFMT_PKCS1_PUB, "3080020200c50201030000", "indefinite"},
    {"length beyond the input", RLAB_KEYFMT_PKCS1_PUB, "3008020200c5020103", "exceeds"},
    {"inner length beyond its SEQUENCE", RLAB_KEYFMT_PKCS1_PUB, "3007020600c5020103",
     "exceeds"},
    {"huge length", RLAB_KEYFMT_PKCS1_PUB, "3084ffffffff020200c5020103", "exceeds"},
    {"5-byte length field", RLAB_KEYFMT_PKCS1_PUB, "30850000000007020200c5020103",
     "longer than 4"},
    {"truncated inside length", RLAB_KEYFMT_PKCS1_PUB, "3082", "truncated"},
    {"negative modulus", RLAB_KEYFMT_PKCS1_PUB, "30060201c5020103", "negative"},
    {"negative exponent", RLAB_KEYFMT_PKCS1_PUB, "3007020200c50201fd", "negative"},
    {"superfluous leading 0x00", RLAB_KEYFMT_PKCS1_PUB, "300702020005020103", "superfluous"},
    {"superfluous leading 0x00 (2)", RLAB_KEYFMT_PKCS1_PUB, "3008020300 00c5020103",
     "superfluous"},
    {"empty INTEGER", RLAB_KEYFMT_PKCS1_PUB, "30050200020103", "no content"},
    {"missing exponent", RLAB_KEYFMT_PKCS1_PUB, "3004020200c5", "missing"},
    {"SET instead of SEQUENCE", RLAB_KEYFMT_PKCS1_PUB, "3107020200c5020103",
     "expected SEQUENCE"},
    {"empty input", RLAB_KEYFMT_PKCS1_PUB, "", "empty input"},
    {"private: version 1 without otherPrimeInfos", RLAB_KEYFMT_PKCS1_PRIV,
     "301c020101020200c5020103020107020105020109020101020103020104", "otherPrimeInfos"},
    {"private: version 1, empty otherPrimeInfos", RLAB_KEYFMT_PKCS1_PRIV,
     "301e020101020200c50201030201070201050201090201010201030201043000", "empty"},
    {"private: version 1, OtherPrimeInfo short", RLAB_KEYFMT_PKCS1_PRIV,
     "3024020101020200c50201030201070201050201090201010201030201043006300402010702",
     "truncated"},
    {"private: version 2", RLAB_KEYFMT_PKCS1_PRIV,
     "301c020102020200c5020103020107020105020109020101020103020104", "unknown version"},
    {"private: otherPrimeInfos in version 0", RLAB_KEYFMT_PKCS1_PRIV, "301e" PRIV_BODY "3000",
     "version 0"},
    {"private: missing qinv", RLAB_KEYFMT_PKCS1_PRIV,
     "3019020100020200c5020103020107020105020109020101020103", "missing"},
    {"private: public key given", RLAB_KEYFMT_PKCS1_PRIV, "3007020200c5020103",
     "unknown version"},
    {"pkcs8: version 1", RLAB_KEYFMT_PKCS8, "3032020101" ALG "041e301c" PRIV_BODY,
     "OneAsymmetricKey"},
    {"pkcs8: RSASSA-PSS OID", RLAB_KEYFMT_PKCS8,
     "3032020100300d06092a864886f70d01010a0500041e301c" PRIV_BODY, "not rsaEncryption"},
    {"pkcs8: parameters absent", RLAB_KEYFMT_PKCS8,
     "3030020100300b06092a864886f70d010101041e301c" PRIV_BODY, "absent"},
    {"pkcs8: NULL with content", RLAB_KEYFMT_PKCS8,
     "3033020100300e06092a864886f70d010101050100041e301c" PRIV_BODY, "with content"},
    {"pkcs8: parameters not NULL", RLAB_KEYFMT_PKCS8,
     "3032020100300d06092a864886f70d0101013000041e301c" PRIV_BODY, "expected NULL"},
    {"pkcs8: attributes", RLAB_KEYFMT_PKCS8, "3034020100" ALG "041e301c" PRIV_BODY "a000",
     "attributes"},
    {"pkcs8: trailing byte in OCTET STRING", RLAB_KEYFMT_PKCS8,
     "3033020100" ALG "041f301c" PRIV_BODY "00", "trailing"},
    {"pkcs8: multi-prime inside", RLAB_KEYFMT_PKCS8,
     "3032020100" ALG "041e301c020101020200c5020103020107020105020109020101020103020104",
     "otherPrimeInfos"},
    {"spki: unused bits", RLAB_KEYFMT_SPKI, "301b" ALG "030a013007020200c5020103",
     "unused bits"},
    {"spki: empty BIT STRING", RLAB_KEYFMT_SPKI, "3011" ALG "0300", "no content"},
    {"spki: trailing byte in BIT STRING", RLAB_KEYFMT_SPKI,
     "301c" ALG "030b003007020200c502010300", "trailing"},
    {"spki: wrong OID", RLAB_KEYFMT_SPKI,
     "301b300d06092a864886f70d0101050500030a003007020200c5020103", "not rsaEncryption"},
    {"spki: parameters absent", RLAB_KEYFMT_SPKI,
     "3019300b06092a864886f70d010101030a003007020200c5020103", "absent"},
    {"spki: OCTET STRING instead of BIT STRING", RLAB_KEYFMT_SPKI,
     "301b" ALG "040a003007020200c5020103", "expected BIT STRING"},
    {"spki: negative modulus inside", RLAB_KEYFMT_SPKI,
     "301a" ALG "0309003006" "0201c5020103", "negative"},
};

START_TEST(good_der_accepted)
{
    const struct bad_case *g = &good_der[_i];
    struct rlab_buf der = hex(g->hex);
    struct rlab_components c;
    int rc = decode_copy(g->fmt, RLAB_ENC_DER, der.data, der.len, &c);
    ck_assert_msg(rc == RLAB_OK, "%s: %s (%s)", g->name, rlab_errname(rc), rlab_error_detail());
    struct rlab_buf again = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_gmp_der_encode(&c, g->fmt, RLAB_ENC_DER, &again), RLAB_OK);
    assert_buf_eq(&again, &der, g->name);
    rlab_buf_clear(&again);
    rlab_components_clear(&c);
    rlab_buf_clear(&der);
}
END_TEST

START_TEST(bad_der_refused)
{
    const struct bad_case *b = &bad_der[_i];
    char clean[256];
    size_t n = 0;
    for (const char *p = b->hex; *p && n + 1 < sizeof clean; p++)
        if (*p != ' ')
            clean[n++] = *p;
    clean[n] = '\0';
    struct rlab_buf der = hex(clean);
    expect_refused(b->fmt, RLAB_ENC_DER, der.data, der.len, b->detail, b->name);
    rlab_buf_clear(&der);
}
END_TEST

/* Every proper prefix of every DER fixture is refused; so is every PEM
 * prefix that cuts more than the final newline. */
START_TEST(every_prefix_refused)
{
    for (size_t key = 0; key < 2; key++) {
        for (size_t fmt = 0; fmt < N_FMTS; fmt++) {
            for (int e = 0; e < 2; e++) {
                rlab_encoding enc = e ? RLAB_ENC_PEM : RLAB_ENC_DER;
                struct rlab_buf file = fixture(key, fmt, enc);
                size_t stop = enc == RLAB_ENC_PEM ? file.len - 1 : file.len;
                for (size_t len = 0; len < stop; len++) {
                    struct rlab_components c;
                    int rc = decode_copy(formats[fmt].fmt, enc, file.data, len, &c);
                    ck_assert_msg(rc == RLAB_ERR_KEY_FORMAT,
                                  "%s.%s prefix %zu of %zu: %s", key_names[key],
                                  formats[fmt].suffix, len, file.len, rlab_errname(rc));
                    ck_assert(components_empty(&c));
                }
                rlab_buf_clear(&file);
            }
        }
    }
}
END_TEST

/* A SEQUENCE nested 10000 deep, in place of each key structure: refused at
 * the first tag the schema does not expect, without recursion. */
START_TEST(deep_nesting_refused)
{
    enum { DEPTH = 10000, CAP = 4 * DEPTH };
    uint8_t *buf = malloc(CAP);
    ck_assert(buf != NULL);
    size_t pos = CAP; /* built from the inside out */
    for (size_t i = 0; i < DEPTH; i++) {
        size_t inner = CAP - pos;
        if (inner < 0x80) {
            buf[--pos] = (uint8_t)inner;
        } else if (inner < 0x100) {
            buf[--pos] = (uint8_t)inner;
            buf[--pos] = 0x81;
        } else {
            buf[--pos] = (uint8_t)inner;
            buf[--pos] = (uint8_t)(inner >> 8);
            buf[--pos] = 0x82;
        }
        buf[--pos] = 0x30;
    }
    for (size_t fmt = 0; fmt < N_FMTS; fmt++)
        expect_refused(formats[fmt].fmt, RLAB_ENC_DER, buf + pos, CAP - pos, "expected",
                       "nested SEQUENCEs");

    /* The reader itself stops at RLAB_GMP_DER_MAX_DEPTH. */
    struct rlab_gmp_der_in r, inner;
    rlab_gmp_der_in_init(&r, buf + pos, CAP - pos, "test");
    unsigned levels = 0;
    int rc;
    while ((rc = rlab_gmp_der_read(&r, RLAB_GMP_TAG_SEQUENCE, "level", &inner)) == RLAB_OK) {
        r = inner;
        levels++;
    }
    ck_assert_int_eq(rc, RLAB_ERR_KEY_FORMAT);
    ck_assert_uint_eq(levels, RLAB_GMP_DER_MAX_DEPTH);
    ck_assert_ptr_nonnull(strstr(rlab_error_detail(), "nested too deeply"));
    free(buf);
}
END_TEST

/* ---- PEM --------------------------------------------------------------- */

struct bad_pem {
    const char *name;
    const char *text;
    const char *detail;
};

#define BEGIN "-----BEGIN RSA PUBLIC KEY-----\n"
#define END "-----END RSA PUBLIC KEY-----\n"

static const struct bad_pem bad_pems[] = {
    {"wrong label", "-----BEGIN PUBLIC KEY-----\nMAcCAgDFAgED\n-----END PUBLIC KEY-----\n",
     "label is \"PUBLIC KEY\""},
    {"END label differs", BEGIN "MAcCAgDFAgED\n-----END PUBLIC KEY-----\n", "END label"},
    {"bad base64 character", BEGIN "MAcCAg*FAgED\n" END, "bad character 0x2a"},
    {"space inside a line", BEGIN "MAcC AgDFAgED\n" END, "bad character 0x20"},
    {"missing padding", BEGIN "MAYCAQUCAQM\n" END, "multiple of 4"},
    {"non-canonical '==' padding", BEGIN "MAYCAQUCAR==\n" END, "non-canonical"},
    {"three '='", BEGIN "MAYCAQUCA===\n" END, "more than two"},
    {"data after padding", BEGIN "MAYCAQUCAQM=\nAAAA\n" END, "after '='"},
    {"non-canonical padding bits", BEGIN "MAYCAQUCAQN=\n" END, "non-canonical"},
    {"missing END line", BEGIN "MAcCAgDFAgED\n", "missing END"},
    {"missing END, no newline", BEGIN "MAcCAgDFAgED", "missing END"},
    {"BEGIN line only", "-----BEGIN RSA PUBLIC KEY-----", "missing END"},
    {"encrypted PEM", BEGIN "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
     "00112233445566778899AABBCCDDEEFF\n\nMAcCAgDFAgED\n" END,
     "encrypted PEM not supported"},
    {"other header", BEGIN "Comment: hello\n\nMAcCAgDFAgED\n" END, "headers not supported"},
    {"data after END", BEGIN "MAcCAgDFAgED\n" END "x", "data after the END"},
    {"second block after END", BEGIN "MAcCAgDFAgED\n" END BEGIN "MAcCAgDFAgED\n" END,
     "data after the END"},
    {"text before BEGIN", "key:\n" BEGIN "MAcCAgDFAgED\n" END, "BEGIN"},
    {"text after BEGIN", "-----BEGIN RSA PUBLIC KEY----- x\nMAcCAgDFAgED\n" END,
     "after the BEGIN"},
    {"blank line in body", BEGIN "MAcCAg\n\nDFAgED\n" END, "blank line"},
    {"lone CR", BEGIN "MAcCAg\rDFAgED\n" END, "bad character 0x0d"},
    {"empty body", BEGIN END, "empty body"},
    {"NUL byte", BEGIN "MAcC\0AgDFAgED\n" END, "bad character 0x00"},
    {"DER inside is bad", BEGIN "MAgCAgDFAgED\n" END, "exceeds"},
    {"DER given as PEM", "\x30\x07\x02\x02\x00\xc5\x02\x01\x03", "BEGIN"},
};

START_TEST(bad_pem_refused)
{
    const struct bad_pem *b = &bad_pems[_i];
    size_t len = strlen(b->text);
    if (strcmp(b->name, "NUL byte") == 0)
        len = sizeof(BEGIN "MAcC\0AgDFAgED\n" END) - 1;
    expect_refused(RLAB_KEYFMT_PKCS1_PUB, RLAB_ENC_PEM, (const uint8_t *)b->text, len,
                   b->detail, b->name);
}
END_TEST

/* The real fixtures, decoded with the label of another format. */
START_TEST(pem_label_must_match_format)
{
    for (size_t have = 0; have < N_FMTS; have++) {
        struct rlab_buf file = fixture(0, have, RLAB_ENC_PEM);
        for (size_t want = 0; want < N_FMTS; want++) {
            if (want == have)
                continue;
            expect_refused(formats[want].fmt, RLAB_ENC_PEM, file.data, file.len, "label",
                           formats[have].suffix);
        }
        /* And PEM given where DER is expected. */
        expect_refused(formats[have].fmt, RLAB_ENC_DER, file.data, file.len, "expected",
                       "PEM as DER");
        rlab_buf_clear(&file);
    }
}
END_TEST

/* ---- random mutations -------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64*: reproducible from the printed seed */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t rnd_below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

/* Apply 1..4 random edits to buf[0..*len) (capacity cap). */
static void mutate(uint8_t *buf, size_t *len, size_t cap)
{
    static const uint8_t interesting[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x30,
                                          0x7f, 0x80, 0x81, 0x82, 0x84, 0xff,
                                          '=', '-', '\n', 'A', '/'};
    size_t edits = 1 + rnd_below(4);
    for (size_t k = 0; k < edits; k++) {
        size_t n = *len;
        size_t at = rnd_below(n);
        switch (rnd_below(7)) {
        case 0: /* flip a bit */
            if (n) buf[at] ^= (uint8_t)(1u << rnd_below(8));
            break;
        case 1: /* random byte */
            if (n) buf[at] = (uint8_t)rnd();
            break;
        case 2: /* interesting byte */
            if (n) buf[at] = interesting[rnd_below(sizeof interesting)];
            break;
        case 3: /* insert */
            if (n < cap) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = (uint8_t)rnd();
                *len = n + 1;
            }
            break;
        case 4: /* delete */
            if (n) {
                memmove(buf + at, buf + at + 1, n - at - 1);
                *len = n - 1;
            }
            break;
        case 5: /* truncate */
            *len = at;
            break;
        default: { /* duplicate a short slice */
            size_t sl = 1 + rnd_below(8);
            if (at + sl <= n && n + sl <= cap) {
                memmove(buf + at + sl, buf + at, n - at);
                *len = n + sl;
            }
            break;
        }
        }
    }
}

/* Non-whitespace bytes of a and b are the same sequence. */
static int same_but_whitespace(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < alen && (a[i] == ' ' || a[i] == '\t' || a[i] == '\r' || a[i] == '\n'))
            i++;
        while (j < blen && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\n'))
            j++;
        if (i == alen || j == blen)
            return i == alen && j == blen;
        if (a[i++] != b[j++])
            return 0;
    }
}

START_TEST(random_mutations)
{
    uint64_t seed = 0x5eedDE4ULL;
    const char *env = getenv("RSALAB_TEST_SEED");
    if (env != NULL && *env != '\0')
        seed = strtoull(env, NULL, 0);
    printf("gmp.der random_mutations: seed %llu (RSALAB_TEST_SEED=%llu replays it)\n",
           (unsigned long long)seed, (unsigned long long)seed);
    fflush(stdout);
    rng_state = seed ? seed : 1;

    enum { ROUNDS = 10000 };
    size_t refused = 0, same_key = 0, other_key = 0;
    for (size_t round = 0; round < ROUNDS; round++) {
        size_t key = round % 2, fmt = round / 2 % N_FMTS;
        rlab_encoding enc = round / 8 % 2 ? RLAB_ENC_PEM : RLAB_ENC_DER;
        rlab_keyfmt f = formats[fmt].fmt;
        struct rlab_buf file = fixture(key, fmt, enc);
        size_t cap = file.len + 64, len = file.len;
        uint8_t *work = malloc(cap);
        ck_assert(work != NULL);
        memcpy(work, file.data, file.len);
        mutate(work, &len, cap);

        struct rlab_components c;
        int rc = decode_copy(f, enc, work, len, &c);
        if (rc != RLAB_OK) {
            ck_assert_msg(rc == RLAB_ERR_KEY_FORMAT, "seed %llu round %zu: %s",
                          (unsigned long long)seed, round, rlab_errname(rc));
            ck_assert_msg(components_empty(&c), "seed %llu round %zu: output not cleared",
                          (unsigned long long)seed, round);
            refused++;
        } else {
            struct rlab_buf again = RLAB_BUF_INIT;
            ck_assert_int_eq(rlab_gmp_der_encode(&c, f, enc, &again), RLAB_OK);
            int same = enc == RLAB_ENC_DER
                           ? again.len == len && memcmp(again.data, work, len) == 0
                           : same_but_whitespace(again.data, again.len, work, len);
            ck_assert_msg(same, "seed %llu round %zu: accepted input is not the "
                          "encoding of what it decoded to", (unsigned long long)seed, round);
            if (same_but_whitespace(again.data, again.len, file.data, file.len))
                same_key++;
            else
                other_key++;
            rlab_buf_clear(&again);
            rlab_components_clear(&c);
        }
        free(work);
        rlab_buf_clear(&file);
    }
    printf("gmp.der random_mutations: %d inputs: %zu refused, %zu decoded to the same "
           "key, %zu to another key (a changed integer byte), each its own exact encoding\n",
           ROUNDS, refused, same_key, other_key);
    ck_assert_uint_eq(refused + same_key + other_key, ROUNDS);
    ck_assert(refused > ROUNDS / 2);
}
END_TEST

/* ---- runner ------------------------------------------------------------ */

static Suite *der_suite(void)
{
    Suite *s = suite_create("gmp.der");
    TCase *tc = tcase_create("fixtures");
    tcase_add_loop_test(tc, fixtures_decode_and_reencode, 0, (int)(N_KEYS * N_FMTS * 2));
    tcase_add_test(tc, encode_ignores_leading_zeros);
    tcase_add_test(tc, encode_private_needs_private_parts);
    tcase_add_test(tc, pem_layout_accepted);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, good_der_accepted, 0, (int)(sizeof good_der / sizeof good_der[0]));
    tcase_add_loop_test(tc, bad_der_refused, 0, (int)(sizeof bad_der / sizeof bad_der[0]));
    tcase_add_test(tc, every_prefix_refused);
    tcase_add_test(tc, deep_nesting_refused);
    tcase_add_loop_test(tc, bad_pem_refused, 0, (int)(sizeof bad_pems / sizeof bad_pems[0]));
    tcase_add_test(tc, pem_label_must_match_format);
    suite_add_tcase(s, tc);

    tc = tcase_create("mutations");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, random_mutations);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(der_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
