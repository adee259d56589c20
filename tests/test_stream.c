/*
 * The message stream (core/stream.h, C2SP chunked encryption) over one
 * backend: known answers for Cobblestone-128 and -256, round trips at the
 * chunk boundaries and at random sizes through both the chunk API and the
 * push reader (fed in random pieces), every kind of damage (tampered chunk
 * or header, wrong key or context, reordered, duplicated or dropped chunks,
 * missing final chunk, data after it), sticky errors, argument limits, and
 * no allocation per chunk.
 *
 * The backend under test provides the AEAD and SHA-512; one without AES-GCM
 * (gmp) runs every case with its own SHA-512 for the key derivation and the
 * default provider's AEAD, as the protocol does, and its cases say so.
 *
 * Allocation counting: this binary is linked with -Wl,--wrap=malloc,calloc,
 * realloc (tests/suites.cmake), so every allocation made by code linked
 * into it statically (rsalab's libraries, including the stream) passes
 * through the counters below; the test checks first that the wrap is in
 * force, so that it cannot pass vacuously.
 *
 * usage: suite_stream BACKEND [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/hexutil.h"
#include "core/stream.h"
#include "tests/testutil.h"

/* ---- allocation counting (--wrap) ------------------------------------------ */

static unsigned long n_allocs;
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n)
{
    n_allocs++;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t size)
{
    n_allocs++;
    return __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n)
{
    n_allocs++;
    return __real_realloc(p, n);
}

/* ---- set-up ------------------------------------------------------------------- */

#define CH RLAB_STREAM_CHUNK
#define CT_CH RLAB_STREAM_MAX_CT_CHUNK

/* AEAD provider and hash provider for the backend under test. */
static const struct rlab_backend *aead_be(void)
{
    const struct rlab_backend *be = tu_backend(0);
    return (be->caps & RLAB_CAP_AEAD) ? be : rlab_backend_default_provider();
}

static const struct rlab_backend *hash_be(void)
{
    return tu_backend(0);
}

/* "openssl" or "gmp(+openssl aead)", for case names. */
static const char *who(void)
{
    static char buf[96];
    const struct rlab_backend *a = aead_be();
    snprintf(buf, sizeof buf, "%s%s%s%s", tu_backend(0)->name, a != tu_backend(0) ? "(+" : "",
             a != tu_backend(0) ? (a != NULL ? a->name : "no") : "",
             a != tu_backend(0) ? " aead)" : "");
    return buf;
}

/* The case can run: an AEAD provider for this key size exists. */
static int need(size_t key_len)
{
    if (aead_be() == NULL) {
        tu_skip("no backend with AES-GCM in this build");
        return 0;
    }
    struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = key_len, .aead_iv_len = 12,
                              .aead_tag_len = 16};
    return tu_need(aead_be(), &q);
}

static struct rlab_buf hex(const char *s)
{
    struct rlab_buf b = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_hex_decode(s, strlen(s), &b), RLAB_OK);
    return b;
}

/* Ciphertext length of a message of len bytes. */
static size_t ct_size(size_t len)
{
    return RLAB_STREAM_HEADER + len + RLAB_STREAM_TAG * (len / CH + 1);
}

/* Seal msg whole (salt NULL: random) into a fresh buffer of ct_size(len). */
static uint8_t *seal_all(const uint8_t *key, size_t key_len, const uint8_t *ctx, size_t ctx_len,
                         const uint8_t *salt, const uint8_t *msg, size_t len)
{
    uint8_t *ct = malloc(ct_size(len));
    ck_assert_ptr_nonnull(ct);
    struct rlab_stream s;
    int rc = salt != NULL ? rlab_stream_seal_init_salt(&s, aead_be(), hash_be(), key, key_len,
                                                       ctx, ctx_len, salt, ct)
                          : rlab_stream_seal_init(&s, aead_be(), hash_be(), key, key_len, ctx,
                                                  ctx_len, NULL, ct);
    size_t at = RLAB_STREAM_HEADER, off = 0;
    int final = 0;
    while (rc == RLAB_OK && !final) {
        size_t n = len - off < CH ? len - off : CH;
        final = n < CH;
        size_t outlen = ct_size(len) - at;
        rc = rlab_stream_seal_chunk(&s, msg + off, n, final, ct + at, &outlen);
        if (rc == RLAB_OK && !TU_CHECK(outlen == n + RLAB_STREAM_TAG, "chunk of %zu bytes "
                                       "sealed to %zu", n, outlen))
            rc = RLAB_ERR_INVALID_ARG;
        at += outlen;
        off += n;
    }
    if (rc == RLAB_OK)
        rc = rlab_stream_end(&s);
    rlab_stream_clear(&s);
    if (!TU_RC(rc, RLAB_OK, "seal") || !TU_CHECK(at == ct_size(len), "sealed %zu bytes, "
                                                  "expected %zu", at, ct_size(len))) {
        free(ct);
        return NULL;
    }
    return ct;
}

/* How an opening went. */
struct opened {
    int rc;          /* first error, or RLAB_OK */
    size_t released; /* plaintext bytes released before it */
    int sticky;      /* the error came back on one more call, with nothing out */
};

/* Open ct through the chunk API, cutting it as a framing layer would (one
 * 16400-byte piece after another, the rest last).  out has room for
 * ct_len bytes. */
static struct opened open_framed(const uint8_t *key, size_t key_len, const uint8_t *ctx,
                                 size_t ctx_len, const uint8_t *ct, size_t ct_len, uint8_t *out)
{
    struct opened o = {0};
    struct rlab_stream s;
    memset(&s, 0, sizeof s);
    if (ct_len < RLAB_STREAM_HEADER) { /* a framing layer never gets this far */
        o.rc = RLAB_ERR_TRUNCATED;
        o.sticky = 1;
        return o;
    }
    o.rc = rlab_stream_open_init(&s, aead_be(), hash_be(), key, key_len, ctx, ctx_len, ct);
    size_t at = RLAB_STREAM_HEADER;
    while (o.rc == RLAB_OK && at < ct_len) {
        size_t n = ct_len - at < CT_CH ? ct_len - at : CT_CH;
        int final = 0;
        size_t outlen = ct_len - o.released; /* the room left */
        o.rc = rlab_stream_open_chunk(&s, ct + at, n, &final, out + o.released, &outlen);
        o.released += outlen;
        at += n;
    }
    if (o.rc == RLAB_OK)
        o.rc = rlab_stream_end(&s);
    if (o.rc != RLAB_OK) {
        /* one more chunk and end(): the same error, nothing out */
        static const uint8_t zeros[CT_CH];
        int final = 7;
        size_t outlen = ct_len - o.released;
        int r1 = rlab_stream_open_chunk(&s, zeros, sizeof zeros, &final, out + o.released,
                                        &outlen);
        o.sticky = r1 == o.rc && outlen == 0 && final == 0 && rlab_stream_end(&s) == o.rc;
    }
    rlab_stream_clear(&s);
    return o;
}

/* Open ct through the push reader fed in random pieces of 1..max_piece
 * bytes.  out has room for ct_len bytes. */
static struct opened open_reader(const uint8_t *key, size_t key_len, const uint8_t *ctx,
                                 size_t ctx_len, const uint8_t *ct, size_t ct_len, uint8_t *out,
                                 uint32_t max_piece)
{
    struct opened o = {0};
    static struct rlab_stream_reader r; /* 16 KiB: not on the stack */
    uint8_t chunk[CH];
    o.rc = rlab_stream_reader_init(&r, aead_be(), hash_be(), key, key_len, ctx, ctx_len);
    size_t pos = 0;
    while (o.rc == RLAB_OK && pos < ct_len) {
        size_t piece = 1 + tu_rand_below(max_piece);
        if (piece > ct_len - pos)
            piece = ct_len - pos;
        size_t used = 0, n = sizeof chunk;
        o.rc = rlab_stream_reader_feed(&r, ct + pos, piece, &used, chunk, &n);
        if (o.rc == RLAB_OK && (used == 0 || used > piece)) {
            TU_CHECK(0, "feed used %zu of %zu bytes", used, piece);
            o.rc = RLAB_ERR_INVALID_ARG;
        }
        memcpy(out + o.released, chunk, n);
        o.released += n;
        pos += used;
    }
    if (o.rc == RLAB_OK) {
        size_t n = sizeof chunk;
        o.rc = rlab_stream_reader_finish(&r, chunk, &n);
        memcpy(out + o.released, chunk, n);
        o.released += n;
    }
    if (o.rc != RLAB_OK) {
        size_t used = 7, n = sizeof chunk, n2 = sizeof chunk;
        int r1 = rlab_stream_reader_feed(&r, ct, ct_len > 0 ? 1 : 0, &used, chunk, &n);
        int r2 = rlab_stream_reader_finish(&r, chunk, &n2);
        o.sticky = r1 == o.rc && r2 == o.rc && used == 0 && n == 0 && n2 == 0;
    }
    rlab_stream_reader_clear(&r);
    return o;
}

/* ---- known answers ---------------------------------------------------------- */

/* Wycheproof c2sp_chunked_encryption tcId 2 ("short message, single chunk")
 * of the AES-128-GCM file and of the AES-256-GCM file (C2SP/wycheproof
 * testvectors_v1, the latter not kept in the repository), ct decompressed. */
static const struct {
    const char *key, *ct, *aead_key, *base_nonce;
} kat[] = {
    {"59454c4c4f57205355424d4152494e45",
     "99ef5b6b98795b7b37a41d6321d8dd472347c76185f40027e921542dd7e4305bb67a175e5088a8a4db92ef4d"
     "3419bda917dd5099085be2f35cf32165613d4fe58db45dd4619b454586232f2661a2bf",
     "18efc971cf196407e112951a187c63b6", "5f73d9f150410098b2cc408c"},
    {"59454c4c4f57205355424d4152494e452059454c4c4f57205355424d4152494e",
     "a1a1b56f6db58cd1ede0c5c9db62aef20d3f96a6c594bb9252bb38122de91236502b42a1d7fcab820ffa2929"
     "40d2f86add212cfa42c38df19d3cc9139ee61a5990d3db57433514229beea49a8a72bd",
     "14769f63d5e1008908efe8662d188e058d05be2ef94d5b4bc626bc33be412568",
     "e73f670906cb3124dea731e1"},
};
static const char kat_sha512[] =
    "e85f32a85f1d4f7c9b2d36d20eca8435d81253e7075e9dea069eb1b6da48daf92ef1797367b520d8a46c4f72"
    "cecb85b1daff8887fcb41721d39943d1952fc180";

START_TEST(test_known_answer)
{
    struct rlab_buf key = hex(kat[_i].key), ct = hex(kat[_i].ct), ak = hex(kat[_i].aead_key),
                    bn = hex(kat[_i].base_nonce), sha = hex(kat_sha512);
    tu_case("%s Cobblestone-%zu Wycheproof tcId 2: derivation, open, reseal with its salt",
            who(), key.len * 8);
    if (need(key.len)) {
        uint8_t k[32], n[12], c[32], pt[64], h[64], re[sizeof pt + 80];
        if (TU_RC(rlab_stream_derive(hash_be(), key.data, key.len, ct.data, NULL, 0, k, n, c),
                  RLAB_OK, "derive")) {
            TU_CHECK(tu_bytes_eq(k, key.len, ak.data, ak.len), "aeadKey %s", tu_hex(k, key.len));
            TU_CHECK(tu_bytes_eq(n, 12, bn.data, bn.len), "baseNonce %s", tu_hex(n, 12));
            TU_CHECK(tu_bytes_eq(c, 32, ct.data + 24, 32), "commitment %s", tu_hex(c, 32));
        }
        struct rlab_stream s;
        int final = 0;
        size_t len = sizeof pt;
        if (TU_RC(rlab_stream_open_init(&s, aead_be(), hash_be(), key.data, key.len, NULL, 0,
                                        ct.data),
                  RLAB_OK, "open_init") &&
            TU_RC(rlab_stream_open_chunk(&s, ct.data + 56, ct.len - 56, &final, pt, &len),
                  RLAB_OK, "open_chunk") &&
            TU_CHECK(final == 1 && len == 7, "final %d, %zu bytes", final, len) &&
            TU_RC(rlab_backend_hash(hash_be(), RLAB_HASH_SHA512, pt, len, h), RLAB_OK, "sha512"))
            TU_CHECK(tu_bytes_eq(h, 64, sha.data, sha.len), "message SHA-512 %s", tu_hex(h, 64));
        rlab_stream_clear(&s);
        size_t rlen = sizeof re - 56;
        if (TU_CHECK(len == 7, "no message to reseal") &&
            TU_RC(rlab_stream_seal_init_salt(&s, aead_be(), hash_be(), key.data, key.len, NULL,
                                             0, ct.data, re),
                  RLAB_OK, "seal_init_salt") &&
            TU_RC(rlab_stream_seal_chunk(&s, pt, len, 1, re + 56, &rlen), RLAB_OK, "seal_chunk"))
            TU_CHECK(tu_bytes_eq(re, 56 + rlen, ct.data, ct.len), "resealed %s",
                     tu_hex(re, 56 + rlen));
        rlab_stream_clear(&s);
    }
    rlab_buf_clear(&key);
    rlab_buf_clear(&ct);
    rlab_buf_clear(&ak);
    rlab_buf_clear(&bn);
    rlab_buf_clear(&sha);
    tu_test_end();
}
END_TEST

/* ---- round trips ------------------------------------------------------------ */

START_TEST(test_roundtrip)
{
    const size_t key_len = _i == 0 ? 32 : 16;
    size_t sizes[] = {0, 1, CH - 1, CH, CH + 1, 3 * CH, 3 * CH + 5, 0, 0, 0, 0};
    for (size_t i = 7; i < sizeof sizes / sizeof sizes[0]; i++)
        sizes[i] = tu_rand_below(5 * CH);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t len = sizes[i];
        uint8_t ctx_buf[40];
        size_t ctx_len = i % 3 == 0 ? 0 : 1 + tu_rand_below(sizeof ctx_buf);
        tu_case("%s Cobblestone-%zu len=%zu ctx=%zu: seal, open by chunks and by the reader",
                who(), key_len * 8, len, ctx_len);
        if (!need(key_len))
            continue;
        uint8_t key[32];
        tu_rand(key, key_len);
        tu_rand(ctx_buf, ctx_len);
        uint8_t *msg = malloc(len + 1), *out = malloc(ct_size(len));
        ck_assert(msg && out);
        tu_rand(msg, len);
        uint8_t *ct = seal_all(key, key_len, ctx_buf, ctx_len, NULL, msg, len);
        if (ct != NULL) {
            struct opened o = open_framed(key, key_len, ctx_buf, ctx_len, ct, ct_size(len), out);
            if (TU_RC(o.rc, RLAB_OK, "open by chunks"))
                TU_CHECK(tu_bytes_eq(out, o.released, msg, len), "chunks: %zu bytes back, "
                         "content differs or short", o.released);
            memset(out, 0, ct_size(len));
            o = open_reader(key, key_len, ctx_buf, ctx_len, ct, ct_size(len), out,
                            i % 2 ? 97 : 3 * CT_CH);
            if (TU_RC(o.rc, RLAB_OK, "open by the reader"))
                TU_CHECK(tu_bytes_eq(out, o.released, msg, len), "reader: %zu bytes back, "
                         "content differs or short", o.released);
            /* Below 8 bytes a ciphertext equals its plaintext by chance too
             * often (1 in 256 for one byte) for a check that must not flake. */
            TU_CHECK(len < 8 || !tu_bytes_eq(ct + 56, len, msg, len), "ciphertext is the "
                     "plaintext");
        }
        free(ct);
        free(msg);
        free(out);
    }
    tu_test_end();
}
END_TEST

/* Two seals of one message under one key: fresh salts, so nothing repeats;
 * a caller rng gives the header it dictates. */
START_TEST(test_salt)
{
    tu_case("%s salt: random per message, or the caller's rng", who());
    if (need(32)) {
        uint8_t key[32], msg[100], h1[56], h2[56];
        tu_rand(key, sizeof key);
        tu_rand(msg, sizeof msg);
        uint8_t *a = seal_all(key, 32, NULL, 0, NULL, msg, sizeof msg);
        uint8_t *b = seal_all(key, 32, NULL, 0, NULL, msg, sizeof msg);
        if (a != NULL && b != NULL) {
            TU_CHECK(!tu_bytes_eq(a, 24, b, 24), "two messages with the same salt");
            TU_CHECK(!tu_bytes_eq(a + 56, sizeof msg, b + 56, sizeof msg),
                     "two messages with the same ciphertext");
        }
        struct tu_prng p1, p2;
        tu_prng_seed(&p1, 42);
        tu_prng_seed(&p2, 42);
        struct rlab_rng g1 = tu_prng_rng(&p1), g2 = tu_prng_rng(&p2);
        struct rlab_stream s1, s2;
        uint8_t salt[24];
        g2.fill(g2.ctx, salt, sizeof salt);
        if (TU_RC(rlab_stream_seal_init(&s1, aead_be(), hash_be(), key, 32, NULL, 0, &g1, h1),
                  RLAB_OK, "seal_init with rng") &&
            TU_RC(rlab_stream_seal_init_salt(&s2, aead_be(), hash_be(), key, 32, NULL, 0, salt,
                                             h2),
                  RLAB_OK, "seal_init_salt"))
            TU_CHECK(tu_bytes_eq(h1, 56, h2, 56) && tu_bytes_eq(h1, 24, salt, 24),
                     "the rng's salt was not used");
        rlab_stream_clear(&s1);
        rlab_stream_clear(&s2);
        free(a);
        free(b);
    }
    tu_test_end();
}
END_TEST

/* ---- damage ------------------------------------------------------------------ */

/* A 4-chunk message (3 full, final of 100 bytes) and its ciphertext. */
#define DMG_LEN (3 * CH + 100)
struct damage {
    uint8_t key[32], ctx[16], msg[DMG_LEN];
    uint8_t *ct;
    size_t ct_len;
};

static int damage_setup(struct damage *d)
{
    tu_rand(d->key, sizeof d->key);
    tu_rand(d->ctx, sizeof d->ctx);
    tu_rand(d->msg, sizeof d->msg);
    d->ct_len = ct_size(DMG_LEN);
    d->ct = seal_all(d->key, 32, d->ctx, sizeof d->ctx, NULL, d->msg, DMG_LEN);
    return d->ct != NULL;
}

static uint8_t *chunk_at(uint8_t *ct, size_t i)
{
    return ct + RLAB_STREAM_HEADER + i * CT_CH;
}

/* Open the damaged ciphertext both ways: must fail with want, release
 * exactly `prefix` bytes equal to the message's start, and stay failed. */
static void expect_fail(const struct damage *d, const uint8_t *key, const uint8_t *ctx,
                        size_t ctx_len, const uint8_t *ct, size_t ct_len, int want_framed,
                        int want_reader, size_t prefix)
{
    uint8_t *out = malloc(ct_len + CT_CH);
    ck_assert_ptr_nonnull(out);
    struct opened o = open_framed(key, 32, ctx, ctx_len, ct, ct_len, out);
    if (TU_RC(o.rc, want_framed, "open by chunks")) {
        TU_CHECK(o.released == prefix && tu_bytes_eq(out, prefix, d->msg, prefix),
                 "chunks: released %zu bytes, expected the first %zu of the message",
                 o.released, prefix);
        TU_CHECK(o.sticky, "chunks: the error did not repeat");
    }
    o = open_reader(key, 32, ctx, ctx_len, ct, ct_len, out, 1 + tu_rand_below(2 * CT_CH));
    if (TU_RC(o.rc, want_reader, "open by the reader")) {
        TU_CHECK(o.released == prefix && tu_bytes_eq(out, prefix, d->msg, prefix),
                 "reader: released %zu bytes, expected the first %zu of the message",
                 o.released, prefix);
        TU_CHECK(o.sticky, "reader: the error did not repeat");
    }
    free(out);
}

START_TEST(test_damage)
{
    struct damage d;
    tu_case("%s damage set-up", who());
    if (!need(32) || !damage_setup(&d)) {
        tu_test_end();
        return;
    }
    uint8_t *ct = malloc(d.ct_len + 2 * CT_CH);
    ck_assert_ptr_nonnull(ct);
    const size_t n = d.ct_len, last = 3; /* chunk indexes 0..3 */
    const size_t last_len = 100 + RLAB_STREAM_TAG;

    for (size_t c = 0; c <= last; c++) {
        size_t span = c < last ? CT_CH : last_len;
        size_t bit = tu_rand_below((uint32_t)span * 8);
        tu_case("%s chunk %zu, bit %zu flipped", who(), c, bit);
        memcpy(ct, d.ct, n);
        chunk_at(ct, c)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, ct, n, RLAB_ERR_AUTH, RLAB_ERR_AUTH, c * CH);
    }
    for (int part = 0; part < 2; part++) {
        size_t byte = part == 0 ? tu_rand_below(24) : 24 + tu_rand_below(32);
        tu_case("%s header: %s byte %zu changed", who(), part ? "commitment" : "salt", byte);
        memcpy(ct, d.ct, n);
        ct[byte] ^= 0x01;
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, ct, n, RLAB_ERR_AUTH, RLAB_ERR_AUTH, 0);
    }
    {
        tu_case("%s wrong key (one bit)", who());
        uint8_t k2[32];
        memcpy(k2, d.key, 32);
        k2[tu_rand_below(32)] ^= 0x80;
        expect_fail(&d, k2, d.ctx, sizeof d.ctx, d.ct, n, RLAB_ERR_AUTH, RLAB_ERR_AUTH, 0);
        tu_case("%s wrong context: one byte changed, one byte short, empty", who());
        uint8_t c2[16];
        memcpy(c2, d.ctx, 16);
        c2[tu_rand_below(16)] ^= 0x01;
        expect_fail(&d, d.key, c2, 16, d.ct, n, RLAB_ERR_AUTH, RLAB_ERR_AUTH, 0);
        expect_fail(&d, d.key, d.ctx, 15, d.ct, n, RLAB_ERR_AUTH, RLAB_ERR_AUTH, 0);
        expect_fail(&d, d.key, NULL, 0, d.ct, n, RLAB_ERR_AUTH, RLAB_ERR_AUTH, 0);
    }
    {
        tu_case("%s chunks 0 and 1 swapped", who());
        memcpy(ct, d.ct, n);
        memcpy(chunk_at(ct, 0), chunk_at(d.ct, 1), CT_CH);
        memcpy(chunk_at(ct, 1), chunk_at(d.ct, 0), CT_CH);
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, ct, n, RLAB_ERR_AUTH, RLAB_ERR_AUTH, 0);

        tu_case("%s chunk 0 duplicated in place of chunk 1", who());
        memcpy(ct, d.ct, n);
        memcpy(chunk_at(ct, 1), chunk_at(d.ct, 0), CT_CH);
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, ct, n, RLAB_ERR_AUTH, RLAB_ERR_AUTH, CH);

        tu_case("%s chunk 1 dropped", who());
        memcpy(ct, d.ct, RLAB_STREAM_HEADER + CT_CH);
        memcpy(ct + RLAB_STREAM_HEADER + CT_CH, chunk_at(d.ct, 2), CT_CH + last_len);
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, ct, n - CT_CH, RLAB_ERR_AUTH, RLAB_ERR_AUTH,
                    CH);

        tu_case("%s chunk 0 inserted again after itself", who());
        memcpy(ct, d.ct, RLAB_STREAM_HEADER + CT_CH);
        memcpy(ct + RLAB_STREAM_HEADER + CT_CH, d.ct + RLAB_STREAM_HEADER, n - 56);
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, ct, n + CT_CH, RLAB_ERR_AUTH,
                    RLAB_ERR_AUTH, CH);
    }
    {
        tu_case("%s final chunk dropped (truncated at a chunk boundary)", who());
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, d.ct, n - last_len, RLAB_ERR_TRUNCATED,
                    RLAB_ERR_TRUNCATED, 3 * CH);
        tu_case("%s cut inside the final chunk (tag gone in part)", who());
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, d.ct, n - 5, RLAB_ERR_AUTH, RLAB_ERR_AUTH,
                    3 * CH);
        tu_case("%s cut inside a full chunk", who());
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, d.ct, n - last_len - 1, RLAB_ERR_AUTH,
                    RLAB_ERR_AUTH, 2 * CH);
        tu_case("%s cut 5 bytes after a chunk boundary (less than a tag)", who());
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, d.ct, n - last_len + 5, RLAB_ERR_PARSE,
                    RLAB_ERR_TRUNCATED, 3 * CH);
        tu_case("%s header only; half a header", who());
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, d.ct, 56, RLAB_ERR_TRUNCATED,
                    RLAB_ERR_TRUNCATED, 0);
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, d.ct, 30, RLAB_ERR_TRUNCATED,
                    RLAB_ERR_TRUNCATED, 0);
    }
    {
        /* The framed reader sees a chunk after the final one: TRAILING; the
         * unframed one cannot tell where the final chunk ended, so the
         * extra bytes make its last chunk fail to authenticate. */
        tu_case("%s a whole chunk after the final chunk (unframed)", who());
        memcpy(ct, d.ct, n);
        memcpy(ct + n, chunk_at(d.ct, 0), CT_CH);
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, ct, n + CT_CH, RLAB_ERR_AUTH,
                    RLAB_ERR_AUTH, 3 * CH);
        tu_case("%s chunk API: the final chunk, then it again, then chunk 0", who());
        struct rlab_stream s;
        static uint8_t out[CT_CH];
        size_t len;
        int final = 0, ok = TU_RC(rlab_stream_open_init(&s, aead_be(), hash_be(), d.key, 32,
                                                        d.ctx, sizeof d.ctx, d.ct),
                                  RLAB_OK, "open_init");
        for (size_t c = 0; ok && c <= last; c++) {
            len = sizeof out;
            ok = TU_RC(rlab_stream_open_chunk(&s, chunk_at(d.ct, c), c < last ? CT_CH : last_len,
                                              &final, out, &len),
                       RLAB_OK, "open_chunk") &&
                 TU_CHECK(final == (c == last), "chunk %zu: final %d", c, final);
        }
        if (ok) {
            len = sizeof out;
            TU_RC(rlab_stream_open_chunk(&s, chunk_at(d.ct, last), last_len, &final, out, &len),
                  RLAB_ERR_TRAILING, "the final chunk again");
            TU_CHECK(len == 0 && final == 0, "%zu bytes out, final %d", len, final);
            len = sizeof out;
            TU_RC(rlab_stream_open_chunk(&s, chunk_at(d.ct, 0), CT_CH, &final, out, &len),
                  RLAB_ERR_TRAILING, "then chunk 0");
            TU_RC(rlab_stream_end(&s), RLAB_ERR_TRAILING, "then end");
        }
        rlab_stream_clear(&s);
        tu_case("%s 20 bytes after the final chunk", who());
        memcpy(ct, d.ct, n);
        tu_rand(ct + n, 20);
        expect_fail(&d, d.key, d.ctx, sizeof d.ctx, ct, n + 20, RLAB_ERR_AUTH, RLAB_ERR_AUTH,
                    3 * CH);
        tu_case("%s the final chunk of another message (same key and context)", who());
        uint8_t *other = seal_all(d.key, 32, d.ctx, sizeof d.ctx, NULL, d.msg, DMG_LEN);
        if (other != NULL) {
            memcpy(ct, d.ct, n);
            memcpy(chunk_at(ct, last), chunk_at(other, last), last_len);
            expect_fail(&d, d.key, d.ctx, sizeof d.ctx, ct, n, RLAB_ERR_AUTH, RLAB_ERR_AUTH,
                        3 * CH);
        }
        free(other);
    }
    {
        tu_case("%s reader: bytes fed after a successful finish", who());
        static struct rlab_stream_reader r;
        uint8_t chunk[CH];
        size_t used, got = 0, pos = 0, k;
        int rc = rlab_stream_reader_init(&r, aead_be(), hash_be(), d.key, 32, d.ctx, 16);
        while (rc == RLAB_OK && pos < n) {
            k = sizeof chunk;
            rc = rlab_stream_reader_feed(&r, d.ct + pos, n - pos, &used, chunk, &k);
            pos += used;
            got += k;
        }
        k = sizeof chunk;
        if (TU_RC(rc, RLAB_OK, "feed") &&
            TU_RC(rlab_stream_reader_finish(&r, chunk, &k), RLAB_OK, "finish")) {
            got += k;
            TU_CHECK(got == DMG_LEN, "%zu bytes out", got);
            k = sizeof chunk;
            TU_RC(rlab_stream_reader_finish(&r, chunk, &k), RLAB_OK, "finish again");
            TU_CHECK(k == 0, "finish again released %zu bytes", k);
            k = sizeof chunk;
            TU_RC(rlab_stream_reader_feed(&r, d.ct, 0, &used, chunk, &k), RLAB_OK,
                  "feed of nothing");
            TU_RC(rlab_stream_reader_feed(&r, d.ct, 1, &used, chunk, &k), RLAB_ERR_TRAILING,
                  "one byte after the end");
            TU_RC(rlab_stream_reader_finish(&r, chunk, &k), RLAB_ERR_TRAILING, "then finish");
        }
        rlab_stream_reader_clear(&r);
    }
    free(ct);
    free(d.ct);
    tu_test_end();
}
END_TEST

/* ---- sticky errors and argument limits ------------------------------------------ */

START_TEST(test_sticky_and_limits)
{
    uint8_t key[32], hdr[56], pt[CH], out[CT_CH + 1];
    tu_rand(key, sizeof key);
    tu_rand(pt, sizeof pt);
    struct rlab_stream s;
    size_t len;
    int final;

    tu_case("%s seal: a wrong-length non-final chunk fails, and every call after it", who());
    if (need(32) &&
        TU_RC(rlab_stream_seal_init(&s, aead_be(), hash_be(), key, 32, NULL, 0, NULL, hdr),
              RLAB_OK, "seal_init")) {
        len = sizeof out;
        TU_RC(rlab_stream_seal_chunk(&s, pt, CH - 1, 0, out, &len), RLAB_ERR_INVALID_ARG,
              "non-final chunk of 16383");
        len = sizeof out;
        TU_RC(rlab_stream_seal_chunk(&s, pt, CH, 0, out, &len), RLAB_ERR_INVALID_ARG,
              "a good chunk after");
        TU_CHECK(len == 0, "%zu bytes out after the error", len);
        TU_RC(rlab_stream_end(&s), RLAB_ERR_INVALID_ARG, "end after");
    }
    rlab_stream_clear(&s);

    tu_case("%s seal: a final chunk of 16384 bytes is refused", who());
    if (need(32) &&
        TU_RC(rlab_stream_seal_init(&s, aead_be(), hash_be(), key, 32, NULL, 0, NULL, hdr),
              RLAB_OK, "seal_init")) {
        len = sizeof out;
        TU_RC(rlab_stream_seal_chunk(&s, pt, CH, 1, out, &len), RLAB_ERR_INVALID_ARG,
              "final chunk of 16384");
    }
    rlab_stream_clear(&s);
    tu_case("%s seal: output one byte short", who());
    if (need(32) &&
        TU_RC(rlab_stream_seal_init(&s, aead_be(), hash_be(), key, 32, NULL, 0, NULL, hdr),
              RLAB_OK, "seal_init")) {
        len = 10 + RLAB_STREAM_TAG - 1;
        TU_RC(rlab_stream_seal_chunk(&s, pt, 10, 1, out, &len), RLAB_ERR_BUFFER_TOO_SMALL,
              "room for one byte less than chunk + tag");
    }
    rlab_stream_clear(&s);
    tu_case("%s seal: end() before the final chunk is truncation, for good", who());
    if (need(32) &&
        TU_RC(rlab_stream_seal_init(&s, aead_be(), hash_be(), key, 32, NULL, 0, NULL, hdr),
              RLAB_OK, "seal_init")) {
        len = sizeof out;
        TU_RC(rlab_stream_end(&s), RLAB_ERR_TRUNCATED, "end before the final chunk");
        TU_RC(rlab_stream_seal_chunk(&s, pt, 0, 1, out, &len), RLAB_ERR_TRUNCATED,
              "then a final chunk");
    }
    rlab_stream_clear(&s);
    tu_case("%s seal: empty final chunk, then a chunk after it", who());
    if (need(32) &&
        TU_RC(rlab_stream_seal_init(&s, aead_be(), hash_be(), key, 32, NULL, 0, NULL, hdr),
              RLAB_OK, "seal_init")) {
        len = sizeof out;
        TU_RC(rlab_stream_seal_chunk(&s, pt, 0, 1, out, &len), RLAB_OK, "empty final chunk");
        TU_CHECK(len == RLAB_STREAM_TAG && rlab_stream_done(&s), "%zu bytes, done %d", len,
                 rlab_stream_done(&s));
        TU_RC(rlab_stream_end(&s), RLAB_OK, "end after the final chunk");
        len = sizeof out;
        TU_RC(rlab_stream_seal_chunk(&s, pt, 0, 1, out, &len), RLAB_ERR_TRAILING,
              "a chunk after the final one");
        TU_RC(rlab_stream_end(&s), RLAB_ERR_TRAILING, "end after that");
    }
    rlab_stream_clear(&s);

    tu_case("%s open: chunk lengths 15 and 16401, small output, a sealing stream", who());
    if (need(32) &&
        TU_RC(rlab_stream_seal_init(&s, aead_be(), hash_be(), key, 32, NULL, 0, NULL, hdr),
              RLAB_OK, "seal_init")) {
        len = sizeof out;
        TU_RC(rlab_stream_open_chunk(&s, out, 20, &final, out, &len), RLAB_ERR_INVALID_ARG,
              "open_chunk on a sealing stream");
        rlab_stream_clear(&s);
        uint8_t big[CT_CH + 1] = {0};
        if (TU_RC(rlab_stream_open_init(&s, aead_be(), hash_be(), key, 32, NULL, 0, hdr),
                  RLAB_OK, "open_init")) {
            len = sizeof out;
            TU_RC(rlab_stream_open_chunk(&s, big, 15, &final, out, &len), RLAB_ERR_PARSE,
                  "15-byte chunk");
            TU_RC(rlab_stream_open_chunk(&s, big, 20, &final, out, &len), RLAB_ERR_PARSE,
                  "then a 20-byte one");
        }
        rlab_stream_clear(&s);
        if (TU_RC(rlab_stream_open_init(&s, aead_be(), hash_be(), key, 32, NULL, 0, hdr),
                  RLAB_OK, "open_init")) {
            len = sizeof out;
            TU_RC(rlab_stream_open_chunk(&s, big, CT_CH + 1, &final, out, &len), RLAB_ERR_PARSE,
                  "16401-byte chunk");
        }
        rlab_stream_clear(&s);
        if (TU_RC(rlab_stream_open_init(&s, aead_be(), hash_be(), key, 32, NULL, 0, hdr),
                  RLAB_OK, "open_init")) {
            len = 100;
            TU_RC(rlab_stream_open_chunk(&s, big, CT_CH, &final, out, &len),
                  RLAB_ERR_BUFFER_TOO_SMALL, "room for 100 bytes, chunk of 16384");
        }
    }
    rlab_stream_clear(&s);

    tu_case("%s key sizes other than 16 and 32 are refused at init", who());
    static const size_t bad[] = {0, 1, 15, 17, 24, 31, 33};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0] && need(16); i++) {
        static struct rlab_stream_reader r;
        TU_RC(rlab_stream_seal_init(&s, aead_be(), hash_be(), key, bad[i], NULL, 0, NULL, hdr),
              RLAB_ERR_INVALID_ARG, "seal_init");
        rlab_stream_clear(&s);
        TU_RC(rlab_stream_open_init(&s, aead_be(), hash_be(), key, bad[i], NULL, 0, hdr),
              RLAB_ERR_INVALID_ARG, "open_init");
        rlab_stream_clear(&s);
        TU_RC(rlab_stream_reader_init(&r, aead_be(), hash_be(), key, bad[i], NULL, 0),
              RLAB_ERR_INVALID_ARG, "reader_init");
        rlab_stream_reader_clear(&r);
    }

    tu_case("%s the 2^38-chunk limit", who());
    if (need(16) &&
        TU_RC(rlab_stream_seal_init(&s, aead_be(), hash_be(), key, 16, NULL, 0, NULL, hdr),
              RLAB_OK, "seal_init")) {
        s.counter = RLAB_STREAM_MAX_CHUNKS - 1; /* white box: 2^38 chunks take too long */
        len = sizeof out;
        TU_RC(rlab_stream_seal_chunk(&s, pt, CH, 0, out, &len), RLAB_OK, "chunk 2^38 - 1");
        len = sizeof out;
        TU_RC(rlab_stream_seal_chunk(&s, pt, 0, 1, out, &len), RLAB_ERR_TOO_BIG, "chunk 2^38");
    }
    rlab_stream_clear(&s);

    tu_case("%s a backend without AES-GCM as the AEAD provider", tu_backend(0)->name);
    if (tu_backend(0)->caps & RLAB_CAP_AEAD) {
        tu_skip("%s has AES-GCM (gmp runs this case)", tu_backend(0)->name);
    } else {
        static struct rlab_stream_reader r;
        TU_RC(rlab_stream_seal_init(&s, tu_backend(0), NULL, key, 32, NULL, 0, NULL, hdr),
              RLAB_ERR_UNSUPPORTED, "seal_init");
        rlab_stream_clear(&s);
        TU_RC(rlab_stream_open_init(&s, tu_backend(0), NULL, key, 32, NULL, 0, hdr),
              RLAB_ERR_UNSUPPORTED, "open_init");
        rlab_stream_clear(&s);
        TU_RC(rlab_stream_reader_init(&r, tu_backend(0), NULL, key, 32, NULL, 0),
              RLAB_ERR_UNSUPPORTED, "reader_init");
        rlab_stream_reader_clear(&r);
    }
    tu_test_end();
}
END_TEST

/* ---- bounded memory ------------------------------------------------------------- */

START_TEST(test_no_alloc_per_chunk)
{
    tu_case("%s 64 chunks sealed, opened and read: no allocation after init", who());
    struct rlab_buf probe = RLAB_BUF_INIT;
    unsigned long before = n_allocs;
    ck_assert_int_eq(rlab_buf_alloc(&probe, 1), RLAB_OK);
    rlab_buf_clear(&probe);
    if (!TU_CHECK(n_allocs > before, "allocation counter not wired (link without "
                  "-Wl,--wrap=malloc?): this case would prove nothing") ||
        !need(32)) {
        tu_test_end();
        return;
    }
    enum { N = 64 };
    static uint8_t pt[CH], ct[CT_CH], back[CH];
    static struct rlab_stream_reader r;
    uint8_t key[32], hdr[56];
    tu_rand(key, sizeof key);
    tu_rand(pt, sizeof pt);
    struct rlab_stream sealer, opener;
    int ok = TU_RC(rlab_stream_seal_init(&sealer, aead_be(), hash_be(), key, 32, NULL, 0, NULL,
                                         hdr), RLAB_OK, "seal_init") &&
             TU_RC(rlab_stream_open_init(&opener, aead_be(), hash_be(), key, 32, NULL, 0, hdr),
                   RLAB_OK, "open_init") &&
             TU_RC(rlab_stream_reader_init(&r, aead_be(), hash_be(), key, 32, NULL, 0), RLAB_OK,
                   "reader_init");
    size_t used, k;
    if (ok) {
        k = sizeof back;
        ok = TU_RC(rlab_stream_reader_feed(&r, hdr, sizeof hdr, &used, back, &k), RLAB_OK,
                   "reader: header");
    }
    unsigned long in_loop = 0;
    for (int i = 0; ok && i < N; i++) {
        int final = i == N - 1, f = 0;
        size_t n = final ? 1000 : CH, len = sizeof ct, blen = sizeof back;
        unsigned long a0 = n_allocs;
        ok = rlab_stream_seal_chunk(&sealer, pt, n, final, ct, &len) == RLAB_OK &&
             rlab_stream_open_chunk(&opener, ct, len, &f, back, &blen) == RLAB_OK &&
             blen == n && f == final;
        size_t pos = 0;
        while (ok && pos < len) {
            k = sizeof back;
            ok = rlab_stream_reader_feed(&r, ct + pos, len - pos, &used, back, &k) == RLAB_OK;
            pos += used;
        }
        if (ok && final) {
            k = sizeof back;
            ok = rlab_stream_reader_finish(&r, back, &k) == RLAB_OK && k == n;
        }
        in_loop += n_allocs - a0;
        TU_CHECK(ok, "chunk %d failed", i);
    }
    TU_CHECK(in_loop == 0, "%lu allocations during %d chunks", in_loop, N);
    rlab_stream_clear(&sealer);
    rlab_stream_clear(&opener);
    rlab_stream_reader_clear(&r);
    tu_test_end();
}
END_TEST

int main(int argc, char **argv)
{
    tu_init(argc, argv, 1);
    Suite *s = suite_create("stream");
    TCase *tc = tu_tcase(s, "known-answer");
    tcase_add_loop_test(tc, test_known_answer, 0, 2);
    tc = tu_tcase(s, "roundtrip");
    tcase_add_loop_test(tc, test_roundtrip, 0, 2);
    tcase_add_test(tc, test_salt);
    tc = tu_tcase(s, "damage");
    tcase_add_test(tc, test_damage);
    tc = tu_tcase(s, "limits");
    tcase_add_test(tc, test_sticky_and_limits);
    tcase_add_test(tc, test_no_alloc_per_chunk);
    return tu_run(s);
}
