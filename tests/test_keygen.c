/*
 * Key generation on one backend: two keys generated one after the other
 * differ (the exercise rsalab grew from wrote one key for both sides); the
 * modulus has exactly the bits asked for and n = p*q with p and q of half
 * that size; e is the one requested; the pair is consistent (raw, OAEP and
 * PSS round trips); a caller rng replays a key where the backend takes one.
 *
 * usage: suite_keygen BACKEND [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "tests/testutil.h"

#define MAXK 512

/* ---- big-endian helpers (public values only) ------------------------------------ */

static size_t int_bits(const struct rlab_buf *b)
{
    size_t i = 0;
    while (i < b->len && b->data[i] == 0)
        i++;
    if (i == b->len)
        return 0;
    size_t bits = (b->len - i) * 8;
    for (uint8_t top = b->data[i]; !(top & 0x80); top = (uint8_t)(top << 1))
        bits--;
    return bits;
}

static int int_is_ulong(const struct rlab_buf *b, unsigned long v)
{
    uint8_t be[sizeof v];
    for (size_t i = 0; i < sizeof v; i++)
        be[i] = (uint8_t)(v >> (8 * (sizeof v - 1 - i)));
    struct rlab_buf w = {be, sizeof be};
    return tu_int_eq(b, &w);
}

/* a < b as unsigned big-endian integers. */
static int int_less(const struct rlab_buf *a, const struct rlab_buf *b)
{
    size_t ba = int_bits(a), bb = int_bits(b);
    if (ba != bb)
        return ba < bb;
    size_t n = (ba + 7) / 8;
    return memcmp(a->data + a->len - n, b->data + b->len - n, n) < 0;
}

/* n == p*q, by schoolbook multiplication on 8-bit digits. */
static int is_product(const struct rlab_buf *n, const struct rlab_buf *p,
                      const struct rlab_buf *q)
{
    size_t len = p->len + q->len;
    uint32_t *acc = calloc(len, sizeof *acc);
    uint8_t *prod = calloc(len, 1);
    ck_assert(acc != NULL && prod != NULL);
    /* Little-endian accumulation: index 0 is the least significant byte. */
    for (size_t i = 0; i < p->len; i++) {
        uint32_t pi = p->data[p->len - 1 - i];
        uint32_t carry = 0;
        for (size_t j = 0; j < q->len; j++) {
            uint32_t t = acc[i + j] + pi * q->data[q->len - 1 - j] + carry;
            acc[i + j] = t & 0xff;
            carry = t >> 8;
        }
        for (size_t j = i + q->len; carry != 0 && j < len; j++) {
            uint32_t t = acc[j] + carry;
            acc[j] = t & 0xff;
            carry = t >> 8;
        }
    }
    for (size_t i = 0; i < len; i++)
        prod[len - 1 - i] = (uint8_t)acc[i];
    struct rlab_buf pb = {prod, len};
    int eq = tu_int_eq(n, &pb);
    free(acc);
    free(prod);
    return eq;
}

/* ---- checks on one generated key ------------------------------------------------- */

static void check_consistent(const struct rlab_backend *be, const rlab_key *k)
{
    struct rlab_op_query qr = {.op = RLAB_OP_RAW_PRIVATE};
    struct rlab_op_query qo = {.op = RLAB_OP_OAEP_DECRYPT, .hash = RLAB_HASH_SHA256,
                               .mgf1_hash = RLAB_HASH_SHA256};
    struct rlab_op_query qp = {.op = RLAB_OP_PSS_SIGN, .hash = RLAB_HASH_SHA256,
                               .mgf1_hash = RLAB_HASH_SHA256, .salt_len = 32};
    size_t kl = rlab_key_size(k);
    uint8_t x[MAXK], y[MAXK], z[MAXK];
    if (rlab_backend_check(be, &qr) == NULL) {
        for (int i = 0; i < 2; i++) {
            size_t ly = sizeof y, lz = sizeof z;
            tu_rand_below_n(k, x);
            if (TU_RC(rlab_raw_private(be, k, x, kl, y, &ly), RLAB_OK, "raw_private") &&
                TU_RC(rlab_raw_public(be, k, y, ly, z, &lz), RLAB_OK, "raw_public"))
                TU_CHECK(tu_bytes_eq(z, lz, x, kl), "(x^d)^e != x for x=%s", tu_hex(x, kl));
        }
    }
    if (rlab_backend_check(be, &qo) == NULL) {
        struct rlab_oaep_params p = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};
        size_t ly = sizeof y, lz = sizeof z;
        tu_rand(x, 32);
        if (TU_RC(rlab_oaep_encrypt(be, k, &p, NULL, x, 32, y, &ly), RLAB_OK, "oaep_encrypt") &&
            TU_RC(rlab_oaep_decrypt(be, k, &p, y, ly, z, &lz), RLAB_OK, "oaep_decrypt"))
            TU_CHECK(tu_bytes_eq(z, lz, x, 32), "OAEP round trip differs");
    }
    if (rlab_backend_check(be, &qp) == NULL) {
        struct rlab_pss_params p = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, 32};
        size_t ly = sizeof y;
        tu_rand(x, 32);
        if (TU_RC(rlab_pss_sign(be, k, &p, NULL, x, 32, y, &ly), RLAB_OK, "pss_sign"))
            TU_RC(rlab_pss_verify(be, k, &p, x, 32, y, ly), RLAB_OK, "pss_verify");
    }
}

/* Size, n = p*q, e, d in range, consistency. */
static void check_key(const struct rlab_backend *be, const rlab_key *k, unsigned bits,
                      unsigned long e)
{
    TU_CHECK(k->bits == bits, "key->bits is %u", k->bits);
    TU_CHECK(k->has_private, "generated key is not private");
    TU_CHECK(k->be == be, "generated key belongs to another backend");
    struct rlab_op_query qc = {.op = RLAB_OP_TO_COMPONENTS};
    if (rlab_backend_check(be, &qc) == NULL) {
        struct rlab_components c = {0};
        if (TU_RC(rlab_key_to_components(be, k, &c), RLAB_OK, "to_components")) {
            TU_CHECK(int_bits(&c.n) == bits, "n has %zu bits", int_bits(&c.n));
            TU_CHECK(int_is_ulong(&c.e, e), "e is %s, asked for %lu", tu_hex(c.e.data, c.e.len),
                     e);
            TU_CHECK(int_bits(&c.d) > 0 && int_less(&c.d, &c.n), "d is 0 or not below n");
            if (TU_CHECK(c.p.len > 0 && c.q.len > 0, "no p and q")) {
                TU_CHECK(int_bits(&c.p) == (bits + 1) / 2 && int_bits(&c.q) == bits / 2,
                         "p has %zu bits and q %zu", int_bits(&c.p), int_bits(&c.q));
                TU_CHECK(is_product(&c.n, &c.p, &c.q), "n != p*q");
                TU_CHECK(!tu_int_eq(&c.p, &c.q), "p == q");
                TU_CHECK(int_less(&c.dp, &c.p) && int_less(&c.dq, &c.q) &&
                             int_less(&c.qinv, &c.p),
                         "CRT values out of range");
            }
        }
        rlab_components_clear(&c);
    }
    check_consistent(be, k);
}

/* ---- tests ------------------------------------------------------------------------- */

static const unsigned sizes[] = {1024, 1536, 2048, 3072, 4096};
#define NSIZES 5

START_TEST(test_keygen_size_and_structure)
{
    const struct rlab_backend *be = tu_backend(0);
    unsigned bits = sizes[_i];
    tu_case("%s keygen %u e=65537: size, n=p*q, e, d, consistency", be->name, bits);
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits};
    if (tu_need(be, &q)) {
        /* The cached key of that size is generated here, by this backend. */
        rlab_key *k = tu_key(be, bits, 0);
        if (k != NULL)
            check_key(be, k, bits, 65537);
    }
    tu_test_end();
}
END_TEST

START_TEST(test_two_keys_differ)
{
    const struct rlab_backend *be = tu_backend(0);
    const unsigned bits = 2048;
    tu_case("%s keygen %u two keys in a row differ in n, d, p and q", be->name, bits);
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits};
    struct rlab_op_query qc = {.op = RLAB_OP_TO_COMPONENTS};
    rlab_key *a = NULL, *b = NULL;
    struct rlab_components ca = {0}, cb = {0};
    if (tu_need(be, &q) && tu_need(be, &qc) &&
        TU_RC(rlab_keygen(be, bits, 65537, NULL, &a), RLAB_OK, "keygen #1") &&
        TU_RC(rlab_keygen(be, bits, 65537, NULL, &b), RLAB_OK, "keygen #2") &&
        TU_RC(rlab_key_to_components(be, a, &ca), RLAB_OK, "to_components #1") &&
        TU_RC(rlab_key_to_components(be, b, &cb), RLAB_OK, "to_components #2")) {
        TU_CHECK(!tu_int_eq(&ca.n, &cb.n), "same n: %s", tu_hex(ca.n.data, ca.n.len));
        TU_CHECK(!tu_int_eq(&ca.d, &cb.d), "same d");
        TU_CHECK(!tu_int_eq(&ca.p, &cb.p) && !tu_int_eq(&ca.q, &cb.q) &&
                     !tu_int_eq(&ca.p, &cb.q) && !tu_int_eq(&ca.q, &cb.p),
                 "a prime is shared between the two keys");
        check_key(be, a, bits, 65537);
        check_key(be, b, bits, 65537);
    }
    rlab_components_clear(&ca);
    rlab_components_clear(&cb);
    rlab_key_free(a);
    rlab_key_free(b);
    tu_test_end();
}
END_TEST

START_TEST(test_public_exponent)
{
    const struct rlab_backend *be = tu_backend(0);
    const unsigned bits = 1024;
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits};

    /* Any odd e >= 65537 is valid for every backend (FIPS 186-5). */
    const unsigned long es[2] = {65539, 2147483647ul};
    for (int i = 0; i < 2; i++) {
        tu_case("%s keygen %u e=%lu", be->name, bits, es[i]);
        rlab_key *k = NULL;
        if (tu_need(be, &q) && TU_RC(rlab_keygen(be, bits, es[i], NULL, &k), RLAB_OK, "keygen"))
            check_key(be, k, bits, es[i]);
        rlab_key_free(k);
    }

    /* e = 3 is legal RSA, but FIPS 186-5 asks for e > 2^16 and a backend may
     * refuse it by policy: then it must refuse it as an invalid argument. */
    tu_case("%s keygen %u e=3", be->name, bits);
    rlab_key *k = NULL;
    if (tu_need(be, &q)) {
        int rc = rlab_keygen(be, bits, 3, NULL, &k);
        if (rc == RLAB_ERR_INVALID_ARG)
            tu_skip("%s refuses e=3: %s", be->name, rlab_error_detail());
        else if (TU_RC(rc, RLAB_OK, "keygen e=3"))
            check_key(be, k, bits, 3);
    }
    rlab_key_free(k);
    k = NULL;

    const unsigned long bad[3] = {65536, 1, 0};
    for (int i = 0; i < 3; i++) {
        tu_case("%s keygen %u e=%lu -> INVALID_ARG", be->name, bits, bad[i]);
        if (!tu_need(be, &q))
            continue;
        TU_RC(rlab_keygen(be, bits, bad[i], NULL, &k), RLAB_ERR_INVALID_ARG, "keygen");
        TU_CHECK(k == NULL, "a key came back");
        rlab_key_free(k);
        k = NULL;
    }
    tu_test_end();
}
END_TEST

/* With a caller rng (RLAB_CAP_RNG_REPLAY) the key is a function of the rng
 * stream: the same stream gives the same key, another stream another key. */
START_TEST(test_keygen_replayed_rng)
{
    const struct rlab_backend *be = tu_backend(0);
    const unsigned bits = 1024;
    tu_case("%s keygen %u from a replayed caller rng", be->name, bits);
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits, .replay_rng = 1};
    struct rlab_op_query qc = {.op = RLAB_OP_TO_COMPONENTS};
    rlab_key *k[3] = {NULL, NULL, NULL};
    struct rlab_components c[3];
    memset(c, 0, sizeof c);
    if (tu_need(be, &q) && tu_need(be, &qc)) {
        for (int i = 0; i < 3; i++) {
            struct tu_prng pr;
            tu_prng_seed(&pr, tu_seed() + (i == 2));
            struct rlab_rng rng = tu_prng_rng(&pr);
            if (!TU_RC(rlab_keygen(be, bits, 65537, &rng, &k[i]), RLAB_OK, "keygen") ||
                !TU_RC(rlab_key_to_components(be, k[i], &c[i]), RLAB_OK, "to_components"))
                break;
        }
        if (tu_case_ok()) {
            TU_CHECK(tu_int_eq(&c[0].n, &c[1].n) && tu_int_eq(&c[0].d, &c[1].d),
                     "same rng stream, different keys");
            TU_CHECK(!tu_int_eq(&c[0].n, &c[2].n), "different rng streams, same key");
            check_key(be, k[0], bits, 65537);
        }
    }
    for (int i = 0; i < 3; i++) {
        rlab_components_clear(&c[i]);
        rlab_key_free(k[i]);
    }
    tu_test_end();
}
END_TEST

int main(int argc, char **argv)
{
    tu_init(argc, argv, 1);
    Suite *s = suite_create("keygen");
    TCase *tc = tu_tcase(s, "structure");
    tcase_add_loop_test(tc, test_keygen_size_and_structure, 0, NSIZES);
    tc = tu_tcase(s, "fresh");
    tcase_add_test(tc, test_two_keys_differ);
    tcase_add_test(tc, test_public_exponent);
    tcase_add_test(tc, test_keygen_replayed_rng);
    return tu_run(s);
}
