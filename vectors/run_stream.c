/*
 * C2SP chunked encryption (Wycheproof c2sp_chunked_encryption) through
 * core/stream.h, as the file's document asks (vectors/data/wycheproof/
 * c2sp_chunked_encryption.md).  Three checks:
 *
 *  stream-open      every case: the whole ciphertext through the push
 *                   reader in odd-sized pieces.  valid: msgLength bytes
 *                   with SHA-512 msgSha512.  invalid: an error (InvalidKeySize
 *                   at init; otherwise RLAB_ERR_AUTH or RLAB_ERR_TRUNCATED),
 *                   no byte released past the valid prefix (PartialPlaintext:
 *                   exactly msgLength bytes with msgSha512; else none), and
 *                   the same error again on a further feed and finish.
 *  stream-kdf       cases that give aeadKey and baseNonce: the derivation
 *                   from key, salt (the first 24 bytes) and ctx gives them,
 *                   and the commitment that follows the salt.
 *  stream-seal-kat  valid cases: re-encrypting the message with the
 *                   vector's salt gives the ciphertext byte for byte.
 *
 * Every operation runs on the backend under test (AEAD and SHA-512).
 */
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "core/stream.h"
#include "vectors/vec_int.h"

/* Piece sizes fed to the reader, cycled from an offset that depends on the
 * case: byte by byte, across the header, inside and across chunks. */
static const size_t pieces[] = {1, 3, 55, 2, 4099, 16400, 9973, 16401, 13, 65537, 7, 16399};
#define N_PIECES (sizeof pieces / sizeof pieces[0])

static const char *sha_hex(const uint8_t *p, size_t len, char *buf, size_t size)
{
    return rlab_vec_hexstr(p, len, buf, size);
}

/* Outcome of one pass of the reader over a case. */
struct opened {
    int rc;          /* first error, or RLAB_OK */
    int at_init;     /* the error came from reader_init */
    uint8_t *msg;    /* released plaintext (malloc'd, ct.len + 1 bytes) */
    size_t released; /* bytes released before the error / end */
    int repeat_ok;   /* the error repeated on feed and finish, nothing released */
    int repeat_rc;   /* what came back instead, when not */
};

/* Append n released bytes; 0 when they do not fit (a reader bug). */
static int take(struct opened *o, size_t cap, const uint8_t *p, size_t n)
{
    if (n > cap - o->released)
        return 0;
    memcpy(o->msg + o->released, p, n);
    o->released += n;
    return 1;
}

static void run_reader(struct rlab_vec_ctx *x, const struct rlab_vec_case *c, size_t start,
                       struct opened *o, uint8_t *chunk)
{
    const struct rlab_backend *be = x->be;
    const uint8_t *ct = c->out.data;
    size_t ct_len = c->out.len, cap = ct_len;
    struct rlab_stream_reader *r = malloc(sizeof *r);
    memset(o, 0, sizeof *o);
    o->msg = malloc(cap + 1);
    if (r == NULL || o->msg == NULL) {
        free(r);
        x->nomem = 1;
        o->rc = RLAB_ERR_NOMEM;
        return;
    }
    rlab_error_clear();
    o->rc = rlab_stream_reader_init(r, be, be, c->skey.data, c->skey.len, c->info.data,
                                    c->info.len);
    o->at_init = o->rc != RLAB_OK;
    size_t pos = 0, k = start;
    while (o->rc == RLAB_OK && pos < ct_len) {
        size_t piece = pieces[k++ % N_PIECES];
        if (piece > ct_len - pos)
            piece = ct_len - pos;
        size_t off = 0;
        while (o->rc == RLAB_OK && off < piece) {
            size_t used = 0, n = RLAB_STREAM_CHUNK;
            o->rc = rlab_stream_reader_feed(r, ct + pos + off, piece - off, &used, chunk, &n);
            if (o->rc == RLAB_OK && (!take(o, cap, chunk, n) || used == 0 || used > piece - off))
                o->rc = rlab_error_set(RLAB_ERR_INVALID_ARG, "reader broke its contract "
                                       "(used %zu of %zu, released %zu)", used, piece - off, n);
            off += used;
        }
        pos += piece;
    }
    if (o->rc == RLAB_OK) {
        size_t n = RLAB_STREAM_CHUNK;
        o->rc = rlab_stream_reader_finish(r, chunk, &n);
        if (o->rc == RLAB_OK && !take(o, cap, chunk, n))
            o->rc = RLAB_ERR_INVALID_ARG;
    }
    if (o->rc != RLAB_OK) {
        /* Sticky: one more byte and one more finish give the same error. */
        static const uint8_t one = 0;
        size_t used = 1, n = RLAB_STREAM_CHUNK, n2 = RLAB_STREAM_CHUNK;
        int r1 = rlab_stream_reader_feed(r, &one, 1, &used, chunk, &n);
        int r2 = rlab_stream_reader_finish(r, chunk, &n2);
        o->repeat_ok = r1 == o->rc && r2 == o->rc && used == 0 && n == 0 && n2 == 0;
        o->repeat_rc = r1 != o->rc ? r1 : r2;
    }
    rlab_stream_reader_clear(r);
    free(r);
}

/* SHA-512 of the released bytes equals want (64 bytes). */
static int sha_matches(struct rlab_vec_ctx *x, const struct opened *o,
                       const struct rlab_buf *want, char *got, size_t size)
{
    uint8_t h[64];
    int rc = rlab_backend_hash(x->be, RLAB_HASH_SHA512, o->msg, o->released, h);
    if (rc != RLAB_OK) {
        snprintf(got, size, "SHA-512 failed: %s", rlab_vec_errstr(rc));
        return 0;
    }
    sha_hex(h, sizeof h, got, size);
    return want->len == sizeof h && memcmp(h, want->data, sizeof h) == 0;
}

static void judge_open(struct rlab_vec_ctx *x, const struct rlab_vec_case *c,
                       const struct opened *o)
{
    const rlab_vec_kind K = RLAB_VEC_K_STREAM_OPEN;
    char want[160], got[RLAB_VEC_HEXSTR_SIZE];
    if (c->expect == RLAB_VEC_VALID) {
        snprintf(want, sizeof want, "%ld bytes, SHA-512 %s", c->msg_len,
                 sha_hex(c->tag.data, c->tag.len, got, sizeof got));
        if (o->rc != RLAB_OK)
            rlab_vec_fail(x, K, c, want, "%s after %zu bytes", rlab_vec_errstr(o->rc),
                          o->released);
        else if (o->released != (size_t)c->msg_len)
            rlab_vec_fail(x, K, c, want, "%zu bytes", o->released);
        else if (!sha_matches(x, o, &c->tag, got, sizeof got))
            rlab_vec_fail(x, K, c, want, "SHA-512 %s", got);
        else
            rlab_vec_pass(x, K);
        return;
    }
    int key_size = (c->stream_flags & RLAB_VEC_SF_KEY_SIZE) != 0;
    int partial = (c->stream_flags & RLAB_VEC_SF_PARTIAL) != 0;
    size_t prefix = partial ? (size_t)c->msg_len : 0;
    snprintf(want, sizeof want, "%s, %zu bytes released, the error repeated",
             key_size ? "RLAB_ERR_INVALID_ARG at init" : "RLAB_ERR_AUTH or RLAB_ERR_TRUNCATED",
             prefix);
    if (o->rc == RLAB_OK)
        rlab_vec_fail(x, K, c, want, "success with %zu bytes", o->released);
    else if (key_size && !(o->at_init && o->rc == RLAB_ERR_INVALID_ARG))
        rlab_vec_fail(x, K, c, want, "%s%s", rlab_vec_errstr(o->rc),
                      o->at_init ? " at init" : " after init");
    else if (!key_size && o->rc != RLAB_ERR_AUTH && o->rc != RLAB_ERR_TRUNCATED)
        rlab_vec_fail(x, K, c, want, "%s", rlab_vec_errstr(o->rc));
    else if (o->released != prefix)
        rlab_vec_fail(x, K, c, want, "%s with %zu bytes released", rlab_errname(o->rc),
                      o->released);
    else if (partial && !sha_matches(x, o, &c->tag, got, sizeof got))
        rlab_vec_fail(x, K, c, want, "a released prefix with SHA-512 %s", got);
    else if (!o->repeat_ok)
        rlab_vec_fail(x, K, c, want, "%s, then %s on a further read", rlab_errname(o->rc),
                      rlab_errname(o->repeat_rc));
    else
        rlab_vec_pass(x, K);
}

static void check_kdf(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_STREAM_KDF;
    uint8_t key[RLAB_STREAM_KEY_MAX], nonce[RLAB_STREAM_NONCE], commit[RLAB_STREAM_COMMIT];
    char want[2 * RLAB_VEC_HEXSTR_SIZE + 16], got[RLAB_VEC_HEXSTR_SIZE], w2[RLAB_VEC_HEXSTR_SIZE];
    snprintf(want, sizeof want, "aeadKey %s baseNonce %s",
             rlab_vec_hexstr(c->prk.data, c->prk.len, got, sizeof got),
             rlab_vec_hexstr(c->iv.data, c->iv.len, w2, sizeof w2));
    if (c->out.len < RLAB_STREAM_HEADER) {
        rlab_vec_fail(x, K, c, want, "a ciphertext without a whole header");
        return;
    }
    rlab_error_clear();
    int rc = rlab_stream_derive(x->be, c->skey.data, c->skey.len, c->out.data, c->info.data,
                                c->info.len, key, nonce, commit);
    if (rc != RLAB_OK)
        rlab_vec_fail(x, K, c, want, "%s", rlab_vec_errstr(rc));
    else if (c->prk.len != c->skey.len || memcmp(key, c->prk.data, c->prk.len) != 0)
        rlab_vec_fail(x, K, c, want, "aeadKey %s",
                      rlab_vec_hexstr(key, c->skey.len, got, sizeof got));
    else if (c->iv.len != sizeof nonce || memcmp(nonce, c->iv.data, sizeof nonce) != 0)
        rlab_vec_fail(x, K, c, want, "baseNonce %s",
                      rlab_vec_hexstr(nonce, sizeof nonce, got, sizeof got));
    else if (memcmp(commit, c->out.data + RLAB_STREAM_SALT, sizeof commit) != 0)
        rlab_vec_fail(x, K, c, "the commitment that follows the salt", "commitment %s",
                      rlab_vec_hexstr(commit, sizeof commit, got, sizeof got));
    else
        rlab_vec_pass(x, K);
    rlab_wipe(key, sizeof key);
}

/* Re-encrypt the opened message with the vector's salt. */
static void check_seal(struct rlab_vec_ctx *x, const struct rlab_vec_case *c,
                       const struct opened *o, uint8_t *chunk)
{
    const rlab_vec_kind K = RLAB_VEC_K_STREAM_SEAL;
    const char *want = "the vector's ciphertext byte for byte";
    if (o->rc != RLAB_OK || o->released != (size_t)c->msg_len ||
        c->out.len < RLAB_STREAM_HEADER) {
        rlab_vec_fail(x, K, c, want, "no message to seal (stream-open failed)");
        return;
    }
    struct rlab_stream s;
    uint8_t header[RLAB_STREAM_HEADER];
    rlab_error_clear();
    int rc = rlab_stream_seal_init_salt(&s, x->be, x->be, c->skey.data, c->skey.len,
                                        c->info.data, c->info.len, c->out.data, header);
    if (rc != RLAB_OK) {
        rlab_vec_fail(x, K, c, want, "seal_init: %s", rlab_vec_errstr(rc));
        rlab_stream_clear(&s);
        return;
    }
    size_t at = RLAB_STREAM_HEADER, off = 0, mismatch = SIZE_MAX;
    if (memcmp(header, c->out.data, RLAB_STREAM_HEADER) != 0)
        mismatch = 0;
    for (int final = 0; rc == RLAB_OK && mismatch == SIZE_MAX && !final;) {
        size_t len = o->released - off;
        final = len < RLAB_STREAM_CHUNK;
        if (!final)
            len = RLAB_STREAM_CHUNK;
        size_t n = RLAB_STREAM_MAX_CT_CHUNK;
        rc = rlab_stream_seal_chunk(&s, o->msg + off, len, final, chunk, &n);
        if (rc != RLAB_OK)
            break;
        if (n > c->out.len - at || memcmp(chunk, c->out.data + at, n) != 0)
            mismatch = at;
        at += n;
        off += len;
    }
    if (rc == RLAB_OK && mismatch == SIZE_MAX && at != c->out.len)
        mismatch = at;
    if (rc != RLAB_OK)
        rlab_vec_fail(x, K, c, want, "seal_chunk at byte %zu: %s", off, rlab_vec_errstr(rc));
    else if (mismatch != SIZE_MAX)
        rlab_vec_fail(x, K, c, want, "a difference at ciphertext byte %zu (of %zu)", mismatch,
                      c->out.len);
    else
        rlab_vec_pass(x, K);
    rlab_stream_clear(&s);
}

void rlab_vec_run_stream(struct rlab_vec_ctx *x)
{
    uint8_t *chunk = malloc(RLAB_STREAM_MAX_CT_CHUNK);
    if (chunk == NULL) {
        x->nomem = 1;
        return;
    }
    for (size_t i = 0; i < x->f->n_cases && !x->nomem; i++) {
        const struct rlab_vec_case *c = &x->f->cases[i];
        int kdf = c->prk.len > 0 && c->iv.len > 0;
        int seal = c->expect == RLAB_VEC_VALID;
        /* The group's AEAD on this backend (an unknown one was marked skip
         * by the parser). */
        struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = (size_t)c->salt_len,
                                  .aead_iv_len = RLAB_STREAM_NONCE,
                                  .aead_tag_len = RLAB_STREAM_TAG};
        const char *why = c->skip != NULL ? c->skip : rlab_backend_check(x->be, &q);
        if (why != NULL) {
            rlab_vec_skip(x, RLAB_VEC_K_STREAM_OPEN, why);
            if (kdf)
                rlab_vec_skip(x, RLAB_VEC_K_STREAM_KDF, why);
            if (seal)
                rlab_vec_skip(x, RLAB_VEC_K_STREAM_SEAL, why);
            continue;
        }
        struct opened o;
        run_reader(x, c, i, &o, chunk);
        if (!x->nomem) {
            judge_open(x, c, &o);
            if (kdf)
                check_kdf(x, c);
            if (seal)
                check_seal(x, c, &o, chunk);
        }
        free(o.msg);
    }
    free(chunk);
}
