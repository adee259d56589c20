/*
 * Symmetric slots of the Botan backend: AES-GCM ("AES-128/GCM(t)",
 * "AES-256/GCM(t)" through botan_cipher_*) and the hashes (botan_hash_*).
 * Contracts in backends/backend.h.
 *
 * Botan 2 picks AES-NI / CLMUL when the CPU has them and otherwise its
 * vector-permutation AES and constant-time GHASH, so these slots are
 * constant time as ops.h asks.  GCM tags are 8 or 12..16 bytes (Botan's GCM
 * refuses others; limit() in botan.c says so); any non-empty IV length.
 *
 * The tag length is part of the cipher's name, so the context keeps one
 * encryption and one decryption object for the last tag length used (16
 * from the start: what the stream uses) and makes new ones only when it
 * changes.  Whole blocks go straight from in to out; only the last partial
 * block and the tag pass through a small scratch buffer of the context, so
 * sealing and opening allocate nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/botan/bt_internal.h"

struct rlab_aead_ctx {
    uint8_t key[32];
    size_t key_len;
    size_t tag_len;          /* of enc/dec; 0 while there are none */
    size_t ug;               /* update granularity of enc/dec */
    botan_cipher_t enc, dec;
    uint8_t *buf;            /* scratch for the final call: ug + 16 bytes */
    size_t buf_size;
};

struct rlab_hash_ctx {
    botan_hash_t h;
};

static void bt_ciphers_free(rlab_aead_ctx *c)
{
    if (c->enc != NULL)
        botan_cipher_destroy(c->enc);
    if (c->dec != NULL)
        botan_cipher_destroy(c->dec);
    c->enc = c->dec = NULL;
    c->tag_len = 0;
    if (c->buf != NULL) {
        botan_scrub_mem(c->buf, c->buf_size);
        free(c->buf);
    }
    c->buf = NULL;
    c->buf_size = 0;
}

/* see backend.h */
void rlab_bt_aead_free(rlab_aead_ctx *c)
{
    if (c == NULL)
        return;
    bt_ciphers_free(c); /* Botan clears the key schedules on destruction */
    botan_scrub_mem(c, sizeof *c);
    free(c);
}

/* Cipher objects for tag_len and the scratch buffer; nothing to do when
 * the tag length is the one of the last call. */
static int bt_ready(rlab_aead_ctx *c, size_t tag_len)
{
    if (c->tag_len == tag_len)
        return RLAB_OK;
    bt_ciphers_free(c);
    char name[32];
    snprintf(name, sizeof name, "AES-%zu/GCM(%zu)", c->key_len * 8, tag_len);
    size_t ue = 0, ud = 0;
    int r = botan_cipher_init(&c->enc, name, BOTAN_CIPHER_INIT_FLAG_ENCRYPT);
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_cipher_init(&c->dec, name, BOTAN_CIPHER_INIT_FLAG_DECRYPT);
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_cipher_set_key(c->enc, c->key, c->key_len);
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_cipher_set_key(c->dec, c->key, c->key_len);
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_cipher_get_update_granularity(c->enc, &ue);
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_cipher_get_update_granularity(c->dec, &ud);
    if (r != BOTAN_FFI_SUCCESS || ue == 0 || ue != ud) {
        bt_ciphers_free(c);
        return rlab_bt_fail(RLAB_ERR_UNSUPPORTED, name, r);
    }
    c->ug = ue;
    c->buf_size = ue + RLAB_GCM_TAG_MAX;
    c->buf = malloc(c->buf_size);
    if (c->buf == NULL) {
        bt_ciphers_free(c);
        return RLAB_ERR_NOMEM;
    }
    c->tag_len = tag_len;
    return RLAB_OK;
}

/* see backend.h; the cipher objects for 16-byte tags (what the stream
 * uses) are made here, so that sealing and opening allocate nothing. */
int rlab_bt_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out)
{
    *out = NULL;
    if (key == NULL || (key_len != 16 && key_len != 32))
        return RLAB_ERR_INVALID_ARG;
    rlab_aead_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    memcpy(c->key, key, key_len);
    c->key_len = key_len;
    int rc = bt_ready(c, RLAB_GCM_TAG_MAX);
    if (rc != RLAB_OK) {
        rlab_bt_aead_free(c);
        return rc;
    }
    *out = c;
    return RLAB_OK;
}

static int bt_gcm_args(const rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                       const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                       const uint8_t *out, const uint8_t *tag, size_t tag_len)
{
    if (c == NULL || iv == NULL || iv_len == 0 || tag == NULL || tag_len < 4 ||
        tag_len > RLAB_GCM_TAG_MAX || (aad_len > 0 && aad == NULL) ||
        (len > 0 && (in == NULL || out == NULL)))
        return RLAB_ERR_INVALID_ARG;
    return RLAB_OK;
}

/*
 * One message through `ci`: associated data, nonce, then the whole blocks
 * of in[0..len) straight from in to out (the FFI copies each block in
 * before it writes it out, so in may equal out), then the last partial
 * block, plus `extra` bytes (the tag, when opening), as the final input
 * from c->buf.  *fin gets the bytes the final call left in c->buf.
 */
static int bt_run(rlab_aead_ctx *c, botan_cipher_t ci, const uint8_t *iv, size_t iv_len,
                  const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                  uint8_t *out, const uint8_t *extra, size_t extra_len, size_t *fin)
{
    static const uint8_t none;
    size_t bulk = len - len % c->ug, rest = len - bulk, written = 0, consumed = 0;
    *fin = 0;
    int r = botan_cipher_set_associated_data(ci, aad_len > 0 ? aad : &none, aad_len);
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_cipher_start(ci, iv, iv_len);
    if (r == BOTAN_FFI_SUCCESS && bulk > 0) {
        r = botan_cipher_update(ci, 0, out, bulk, &written, in, bulk, &consumed);
        if (r == BOTAN_FFI_SUCCESS && (written != bulk || consumed != bulk))
            r = BOTAN_FFI_ERROR_INTERNAL_ERROR;
    }
    if (r == BOTAN_FFI_SUCCESS) {
        if (rest > 0)
            memcpy(c->buf, in + bulk, rest);
        if (extra_len > 0)
            memcpy(c->buf + rest, extra, extra_len);
        r = botan_cipher_update(ci, BOTAN_CIPHER_UPDATE_FLAG_FINAL, c->buf, c->buf_size,
                                fin, c->buf, rest + extra_len, &consumed);
        if (r == BOTAN_FFI_SUCCESS && consumed != rest + extra_len)
            r = BOTAN_FFI_ERROR_INTERNAL_ERROR;
    }
    if (r != BOTAN_FFI_SUCCESS)
        botan_cipher_reset(ci);
    return r;
}

/* see backend.h */
int rlab_bt_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                      const uint8_t *aad, size_t aad_len, const uint8_t *in,
                      size_t len, uint8_t *out, uint8_t *tag, size_t tag_len)
{
    int rc = bt_gcm_args(c, iv, iv_len, aad, aad_len, in, len, out, tag, tag_len);
    if (rc == RLAB_OK)
        rc = bt_ready(c, tag_len);
    if (rc != RLAB_OK)
        return rc;
    size_t fin = 0, rest = len % c->ug;
    int r = bt_run(c, c->enc, iv, iv_len, aad, aad_len, in, len, out, NULL, 0, &fin);
    if (r != BOTAN_FFI_SUCCESS || fin != rest + tag_len) {
        if (len > 0)
            botan_scrub_mem(out, len);
        botan_scrub_mem(c->buf, c->buf_size);
        return rlab_bt_fail(RLAB_ERR_BACKEND, "botan_cipher_update (GCM seal)", r);
    }
    if (rest > 0)
        memcpy(out + len - rest, c->buf, rest);
    memcpy(tag, c->buf + rest, tag_len);
    botan_scrub_mem(c->buf, c->buf_size);
    return RLAB_OK;
}

/* see backend.h; Botan compares the tag in constant time; the plaintext
 * of the whole blocks is already in out then, and is wiped on a mismatch. */
int rlab_bt_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                      const uint8_t *aad, size_t aad_len, const uint8_t *in,
                      size_t len, const uint8_t *tag, size_t tag_len,
                      uint8_t *out)
{
    int rc = bt_gcm_args(c, iv, iv_len, aad, aad_len, in, len, out, tag, tag_len);
    if (rc == RLAB_OK)
        rc = bt_ready(c, tag_len);
    if (rc != RLAB_OK)
        return rc;
    size_t fin = 0, rest = len % c->ug;
    int r = bt_run(c, c->dec, iv, iv_len, aad, aad_len, in, len, out, tag, tag_len, &fin);
    if (r != BOTAN_FFI_SUCCESS || fin != rest) {
        if (len > 0)
            botan_scrub_mem(out, len);
        botan_scrub_mem(c->buf, c->buf_size);
        return r == BOTAN_FFI_ERROR_BAD_MAC
                   ? RLAB_ERR_AUTH
                   : rlab_bt_fail(RLAB_ERR_BACKEND, "botan_cipher_update (GCM open)", r);
    }
    if (rest > 0)
        memcpy(out + len - rest, c->buf, rest);
    botan_scrub_mem(c->buf, c->buf_size);
    return RLAB_OK;
}

/* ---- hashes ------------------------------------------------------------- */

/* see backend.h */
int rlab_bt_hash_new(rlab_hash h, rlab_hash_ctx **out)
{
    *out = NULL;
    const char *name = rlab_bt_hash_name(h);
    if (name == NULL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "Botan 2 has no %s", rlab_hash_name(h));
    rlab_hash_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    int r = botan_hash_init(&c->h, name, 0);
    if (r != BOTAN_FFI_SUCCESS) {
        free(c);
        return rlab_bt_fail(RLAB_ERR_BACKEND, "botan_hash_init", r);
    }
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
int rlab_bt_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len)
{
    if (c == NULL || (len > 0 && p == NULL))
        return RLAB_ERR_INVALID_ARG;
    if (len == 0)
        return RLAB_OK;
    int r = botan_hash_update(c->h, p, len);
    return r == BOTAN_FFI_SUCCESS ? RLAB_OK : rlab_bt_fail(RLAB_ERR_BACKEND, "botan_hash_update", r);
}

/* see backend.h */
int rlab_bt_hash_final(rlab_hash_ctx *c, uint8_t *out)
{
    if (c == NULL || out == NULL) {
        rlab_bt_hash_free(c);
        return RLAB_ERR_INVALID_ARG;
    }
    int r = botan_hash_final(c->h, out);
    rlab_bt_hash_free(c);
    return r == BOTAN_FFI_SUCCESS ? RLAB_OK : rlab_bt_fail(RLAB_ERR_BACKEND, "botan_hash_final", r);
}

/* see backend.h; botan_hash_destroy frees the state, which Botan keeps in
 * a secure_vector (wiped). */
void rlab_bt_hash_free(rlab_hash_ctx *c)
{
    if (c == NULL)
        return;
    botan_hash_destroy(c->h);
    free(c);
}
