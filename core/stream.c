/*
 * C2SP chunked-encryption v1 (Cobblestone) over the backends' AES-GCM and
 * core/hmac.h's HKDF.  see stream.h; the byte-exact description is
 * docs/PROTOCOL.md, "Message streams".
 */
#include "core/stream.h"

#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "core/hmac.h"
#include "core/random.h"

enum {
    ST_CLEARED = 0,
    ST_SEAL,   /* sealing, final chunk not yet written */
    ST_OPEN,   /* opening, final chunk not yet seen */
    ST_DONE,   /* the final chunk went through */
    ST_FAILED, /* sticky: s->err */
};

/* "c2sp.org/chunked-encryption@v1+" || AEAD name || 0x00 || salt || ctx */
static const char info_prefix[] = "c2sp.org/chunked-encryption@v1+";
#define INFO_PREFIX_LEN (sizeof info_prefix - 1)
#define AEAD_NAME_LEN 16 /* both names below */
#define INFO_FIXED (INFO_PREFIX_LEN + AEAD_NAME_LEN + 1 + RLAB_STREAM_SALT)

static const char *aead_name(size_t key_len)
{
    return key_len == 16 ? "AEAD_AES_128_GCM" : key_len == 32 ? "AEAD_AES_256_GCM" : NULL;
}

/* see stream.h */
int rlab_stream_derive(const struct rlab_backend *hash_be, const uint8_t *key,
                       size_t key_len, const uint8_t salt[RLAB_STREAM_SALT],
                       const uint8_t *ctx, size_t ctx_len, uint8_t *aead_key,
                       uint8_t base_nonce[RLAB_STREAM_NONCE],
                       uint8_t commitment[RLAB_STREAM_COMMIT])
{
    const char *name = aead_name(key_len);
    if (name == NULL)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "a stream key is 16 or 32 bytes, not %zu", key_len);
    if (key == NULL || salt == NULL || (ctx == NULL && ctx_len > 0) || aead_key == NULL ||
        base_nonce == NULL || commitment == NULL || ctx_len > SIZE_MAX / 2)
        return RLAB_ERR_INVALID_ARG;

    /* The info is built whole because core/hmac.h takes it in one piece;
     * a context of a few hundred bytes (the protocol's) stays on the stack,
     * a longer one costs one allocation per message, never per chunk. */
    uint8_t small[INFO_FIXED + 256];
    size_t info_len = INFO_FIXED + ctx_len;
    uint8_t *info = info_len <= sizeof small ? small : malloc(info_len);
    if (info == NULL)
        return RLAB_ERR_NOMEM;
    memcpy(info, info_prefix, INFO_PREFIX_LEN);
    memcpy(info + INFO_PREFIX_LEN, name, AEAD_NAME_LEN);
    info[INFO_PREFIX_LEN + AEAD_NAME_LEN] = 0x00;
    memcpy(info + INFO_PREFIX_LEN + AEAD_NAME_LEN + 1, salt, RLAB_STREAM_SALT);
    if (ctx_len > 0)
        memcpy(info + INFO_FIXED, ctx, ctx_len);

    uint8_t okm[RLAB_STREAM_KEY_MAX + RLAB_STREAM_NONCE + RLAB_STREAM_COMMIT];
    size_t okm_len = key_len + RLAB_STREAM_NONCE + RLAB_STREAM_COMMIT;
    int rc = rlab_hkdf_expand(hash_be, RLAB_HASH_SHA512, key, key_len, info, info_len,
                              okm, okm_len);
    if (info != small)
        free(info);
    if (rc == RLAB_OK) {
        memcpy(aead_key, okm, key_len);
        memcpy(base_nonce, okm + key_len, RLAB_STREAM_NONCE);
        memcpy(commitment, okm + key_len + RLAB_STREAM_NONCE, RLAB_STREAM_COMMIT);
    } else {
        rlab_wipe(aead_key, key_len);
        rlab_wipe(base_nonce, RLAB_STREAM_NONCE);
        rlab_wipe(commitment, RLAB_STREAM_COMMIT);
    }
    rlab_wipe(okm, sizeof okm);
    return rc;
}

/* ---- state ---------------------------------------------------------------- */

/* Enter the failed state for good: the key goes at once. */
static int fail(struct rlab_stream *s, int rc)
{
    if (s->aead != NULL)
        rlab_aead_free(s->be, s->aead);
    s->aead = NULL;
    rlab_wipe(s->base_nonce, sizeof s->base_nonce);
    s->state = ST_FAILED;
    s->err = rc;
    return rc;
}

/* The final chunk went through: nothing more to do with the key. */
static void done(struct rlab_stream *s)
{
    rlab_aead_free(s->be, s->aead);
    s->aead = NULL;
    rlab_wipe(s->base_nonce, sizeof s->base_nonce);
    s->state = ST_DONE;
}

/* base nonce XOR the chunk number as a 96-bit big-endian integer */
static void chunk_nonce(const struct rlab_stream *s, uint8_t nonce[RLAB_STREAM_NONCE])
{
    memcpy(nonce, s->base_nonce, RLAB_STREAM_NONCE);
    for (int i = 0; i < 8; i++)
        nonce[RLAB_STREAM_NONCE - 1 - i] ^= (uint8_t)(s->counter >> (8 * i));
}

/* Derive, check the commitment when opening (expect != NULL), and make the
 * AEAD context.  commit_out gets the commitment when sealing. */
static int start(struct rlab_stream *s, const struct rlab_backend *aead_be,
                 const struct rlab_backend *hash_be, const uint8_t *key, size_t key_len,
                 const uint8_t *ctx, size_t ctx_len, const uint8_t *salt,
                 const uint8_t *expect, uint8_t *commit_out)
{
    uint8_t aead_key[RLAB_STREAM_KEY_MAX], commit[RLAB_STREAM_COMMIT];
    memset(s, 0, sizeof *s);
    s->be = aead_be;
    if (aead_be == NULL)
        return fail(s, RLAB_ERR_INVALID_ARG);
    if (aead_name(key_len) == NULL)
        return fail(s, rlab_error_set(RLAB_ERR_INVALID_ARG,
                                      "a stream key is 16 or 32 bytes, not %zu", key_len));
    struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = key_len,
                              .aead_iv_len = RLAB_STREAM_NONCE,
                              .aead_tag_len = RLAB_STREAM_TAG};
    const char *why = rlab_backend_check(aead_be, &q);
    if (why != NULL)
        return fail(s, rlab_error_set(RLAB_ERR_UNSUPPORTED, "%s: %s", aead_be->name, why));

    int rc = rlab_stream_derive(hash_be != NULL ? hash_be : aead_be, key, key_len, salt, ctx,
                                ctx_len, aead_key, s->base_nonce, commit);
    if (rc == RLAB_OK && expect != NULL && !rlab_ct_equal(commit, expect, RLAB_STREAM_COMMIT))
        rc = rlab_error_set(RLAB_ERR_AUTH, "stream commitment mismatch (wrong key or "
                                           "context, or a modified header)");
    if (rc == RLAB_OK)
        rc = rlab_aead_new(aead_be, aead_key, key_len, &s->aead);
    if (rc == RLAB_OK && commit_out != NULL)
        memcpy(commit_out, commit, RLAB_STREAM_COMMIT);
    rlab_wipe(aead_key, sizeof aead_key);
    rlab_wipe(commit, sizeof commit);
    if (rc != RLAB_OK)
        return fail(s, rc);
    s->state = expect != NULL ? ST_OPEN : ST_SEAL;
    return RLAB_OK;
}

/* ---- sealing ------------------------------------------------------------- */

/* see stream.h */
int rlab_stream_seal_init_salt(struct rlab_stream *s, const struct rlab_backend *aead_be,
                               const struct rlab_backend *hash_be, const uint8_t *key,
                               size_t key_len, const uint8_t *ctx, size_t ctx_len,
                               const uint8_t salt[RLAB_STREAM_SALT],
                               uint8_t header_out[RLAB_STREAM_HEADER])
{
    if (s == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (salt == NULL || header_out == NULL) {
        memset(s, 0, sizeof *s);
        return fail(s, RLAB_ERR_INVALID_ARG);
    }
    /* salt may point into header_out: copy it first. */
    uint8_t salt_copy[RLAB_STREAM_SALT];
    memcpy(salt_copy, salt, sizeof salt_copy);
    int rc = start(s, aead_be, hash_be, key, key_len, ctx, ctx_len, salt_copy, NULL,
                   header_out + RLAB_STREAM_SALT);
    if (rc != RLAB_OK) {
        memset(header_out, 0, RLAB_STREAM_HEADER);
        return rc;
    }
    memcpy(header_out, salt_copy, RLAB_STREAM_SALT);
    return RLAB_OK;
}

/* see stream.h */
int rlab_stream_seal_init(struct rlab_stream *s, const struct rlab_backend *aead_be,
                          const struct rlab_backend *hash_be, const uint8_t *key,
                          size_t key_len, const uint8_t *ctx, size_t ctx_len,
                          const struct rlab_rng *rng, uint8_t header_out[RLAB_STREAM_HEADER])
{
    if (s == NULL)
        return RLAB_ERR_INVALID_ARG;
    uint8_t salt[RLAB_STREAM_SALT];
    int rc = rlab_random(rng, salt, sizeof salt);
    if (rc != RLAB_OK) {
        memset(s, 0, sizeof *s);
        if (header_out != NULL)
            memset(header_out, 0, RLAB_STREAM_HEADER);
        return fail(s, rc);
    }
    return rlab_stream_seal_init_salt(s, aead_be, hash_be, key, key_len, ctx, ctx_len, salt,
                                      header_out);
}

/* The checks every chunk call starts with; RLAB_OK to go on. */
static int chunk_gate(struct rlab_stream *s, int want_state)
{
    if (s->state == ST_FAILED)
        return s->err;
    if (s->state == ST_DONE)
        return fail(s, rlab_error_set(RLAB_ERR_TRAILING, "chunk after the final chunk"));
    if (s->state != want_state)
        return fail(s, rlab_error_set(RLAB_ERR_INVALID_ARG, "stream not started for this "
                                                             "direction"));
    if (s->counter >= RLAB_STREAM_MAX_CHUNKS)
        return fail(s, rlab_error_set(RLAB_ERR_TOO_BIG, "2^38 chunks: the format's limit"));
    return RLAB_OK;
}

/* see stream.h */
int rlab_stream_seal_chunk(struct rlab_stream *s, const uint8_t *pt, size_t len,
                           int final, uint8_t *out, size_t *outlen)
{
    if (s == NULL || outlen == NULL)
        return RLAB_ERR_INVALID_ARG;
    size_t cap = *outlen;
    *outlen = 0;
    int rc = chunk_gate(s, ST_SEAL);
    if (rc != RLAB_OK)
        return rc;
    if ((pt == NULL && len > 0) || out == NULL)
        return fail(s, RLAB_ERR_INVALID_ARG);
    if (final ? len >= RLAB_STREAM_CHUNK : len != RLAB_STREAM_CHUNK)
        return fail(s, rlab_error_set(RLAB_ERR_INVALID_ARG,
                                      "%s chunk of %zu bytes (a chunk is 16384 bytes, the "
                                      "final one shorter)", final ? "final" : "non-final",
                                      len));
    if (cap < len + RLAB_STREAM_TAG)
        return fail(s, RLAB_ERR_BUFFER_TOO_SMALL);
    uint8_t nonce[RLAB_STREAM_NONCE];
    chunk_nonce(s, nonce);
    /* The tag goes after the ciphertext; seal reads pt before writing out
     * at the same offsets, so out == pt is fine. */
    rc = rlab_aead_seal(s->be, s->aead, nonce, sizeof nonce, NULL, 0, pt, len, out,
                        out + len, RLAB_STREAM_TAG);
    if (rc != RLAB_OK) {
        rlab_wipe(out, len + RLAB_STREAM_TAG);
        return fail(s, rc);
    }
    s->counter++;
    *outlen = len + RLAB_STREAM_TAG;
    if (final)
        done(s);
    return RLAB_OK;
}

/* ---- opening ------------------------------------------------------------- */

/* see stream.h */
int rlab_stream_open_init(struct rlab_stream *s, const struct rlab_backend *aead_be,
                          const struct rlab_backend *hash_be, const uint8_t *key,
                          size_t key_len, const uint8_t *ctx, size_t ctx_len,
                          const uint8_t header[RLAB_STREAM_HEADER])
{
    if (s == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (header == NULL) {
        memset(s, 0, sizeof *s);
        return fail(s, RLAB_ERR_INVALID_ARG);
    }
    return start(s, aead_be, hash_be, key, key_len, ctx, ctx_len, header,
                 header + RLAB_STREAM_SALT, NULL);
}

/* see stream.h */
int rlab_stream_open_chunk(struct rlab_stream *s, const uint8_t *ct, size_t ct_len,
                           int *final_out, uint8_t *out, size_t *outlen)
{
    if (s == NULL || outlen == NULL)
        return RLAB_ERR_INVALID_ARG;
    size_t cap = *outlen;
    *outlen = 0;
    if (final_out != NULL)
        *final_out = 0;
    int rc = chunk_gate(s, ST_OPEN);
    if (rc != RLAB_OK)
        return rc;
    if (ct == NULL || out == NULL || final_out == NULL)
        return fail(s, RLAB_ERR_INVALID_ARG);
    if (ct_len < RLAB_STREAM_TAG || ct_len > RLAB_STREAM_MAX_CT_CHUNK)
        return fail(s, rlab_error_set(RLAB_ERR_PARSE,
                                      "a stream chunk is 16 to 16400 bytes, not %zu", ct_len));
    size_t len = ct_len - RLAB_STREAM_TAG;
    if (cap < len)
        return fail(s, RLAB_ERR_BUFFER_TOO_SMALL);
    /* The length alone says whether this is the final chunk: only a
     * 16400-byte chunk can have a successor. */
    int final = ct_len < RLAB_STREAM_MAX_CT_CHUNK;
    uint8_t nonce[RLAB_STREAM_NONCE];
    chunk_nonce(s, nonce);
    rc = rlab_aead_open(s->be, s->aead, nonce, sizeof nonce, NULL, 0, ct, len, ct + len,
                        RLAB_STREAM_TAG, out);
    if (rc != RLAB_OK)
        return fail(s, rc); /* the entry point wiped out */
    s->counter++;
    *outlen = len;
    *final_out = final;
    if (final)
        done(s);
    return RLAB_OK;
}

/* see stream.h */
int rlab_stream_end(struct rlab_stream *s)
{
    if (s == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (s->state == ST_DONE)
        return RLAB_OK;
    if (s->state == ST_FAILED)
        return s->err;
    return fail(s, rlab_error_set(RLAB_ERR_TRUNCATED,
                                  "stream ended after %llu chunks without its final chunk",
                                  (unsigned long long)s->counter));
}

/* see stream.h */
int rlab_stream_done(const struct rlab_stream *s)
{
    return s != NULL && s->state == ST_DONE;
}

/* see stream.h */
void rlab_stream_clear(struct rlab_stream *s)
{
    if (s == NULL)
        return;
    if (s->aead != NULL)
        rlab_aead_free(s->be, s->aead);
    rlab_wipe(s, sizeof *s);
}
