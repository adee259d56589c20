/*
 * Symmetric slots of the nettle backend: AES-GCM through gcm_aes128 /
 * gcm_aes256 (any IV length: nettle hashes IVs other than 96 bits as GCM
 * specifies; tags of 4..16 bytes by truncating gcm_*_digest), and the hashes
 * through nettle's struct nettle_hash table.  Contracts in backends/backend.h.
 *
 * nettle has no GCM "open": gcm_*_decrypt decrypts and gcm_*_digest gives
 * the expected tag, which is compared here with nettle's own constant-time
 * memeql_sec; on a mismatch the plaintext is wiped.  nettle has no wipe
 * function; rlab_wipe (base/ct.h) clears contexts before they are freed.
 * nettle's AES uses AES-NI where the CPU has it (fat build), else tables.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/gcm.h>
#include <nettle/memops.h>

#include "backends/nettle/ntl_internal.h"
#include "base/ct.h"

struct rlab_aead_ctx {
    size_t key_len;
    union {
        struct gcm_aes128_ctx a128;
        struct gcm_aes256_ctx a256;
    } u;
};

struct rlab_hash_ctx {
    const struct nettle_hash *h;
    size_t size; /* bytes of the whole allocation, for the wipe */
    alignas(max_align_t) uint8_t state[];
};

/* see backend.h */
int rlab_ntl_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out)
{
    *out = NULL;
    if (key == NULL || (key_len != 16 && key_len != 32))
        return RLAB_ERR_INVALID_ARG;
    rlab_aead_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    c->key_len = key_len;
    if (key_len == 16)
        gcm_aes128_set_key(&c->u.a128, key);
    else
        gcm_aes256_set_key(&c->u.a256, key);
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
void rlab_ntl_aead_free(rlab_aead_ctx *c)
{
    if (c != NULL)
        rlab_free_secret(c, sizeof *c);
}

/* IV and AAD into a fresh GCM state (set_iv resets the counters). */
static void ntl_gcm_start(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                          const uint8_t *aad, size_t aad_len)
{
    if (c->key_len == 16) {
        gcm_aes128_set_iv(&c->u.a128, iv_len, iv);
        if (aad_len > 0)
            gcm_aes128_update(&c->u.a128, aad_len, aad);
    } else {
        gcm_aes256_set_iv(&c->u.a256, iv_len, iv);
        if (aad_len > 0)
            gcm_aes256_update(&c->u.a256, aad_len, aad);
    }
}

static void ntl_gcm_digest(rlab_aead_ctx *c, uint8_t *tag, size_t tag_len)
{
    if (c->key_len == 16)
        gcm_aes128_digest(&c->u.a128, tag_len, tag);
    else
        gcm_aes256_digest(&c->u.a256, tag_len, tag);
}

/* see backend.h; nettle's GCM works in place (out == in) */
int rlab_ntl_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                       uint8_t *tag, size_t tag_len)
{
    if (c == NULL || iv == NULL || iv_len == 0 || tag == NULL || tag_len < 4 ||
        tag_len > RLAB_GCM_TAG_MAX || (aad_len > 0 && aad == NULL) ||
        (len > 0 && (in == NULL || out == NULL)))
        return RLAB_ERR_INVALID_ARG;
    ntl_gcm_start(c, iv, iv_len, aad, aad_len);
    if (len > 0) {
        if (c->key_len == 16)
            gcm_aes128_encrypt(&c->u.a128, len, out, in);
        else
            gcm_aes256_encrypt(&c->u.a256, len, out, in);
    }
    ntl_gcm_digest(c, tag, tag_len);
    return RLAB_OK;
}

/* see backend.h */
int rlab_ntl_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                       size_t aad_len, const uint8_t *in, size_t len, const uint8_t *tag,
                       size_t tag_len, uint8_t *out)
{
    if (c == NULL || iv == NULL || iv_len == 0 || tag == NULL || tag_len < 4 ||
        tag_len > RLAB_GCM_TAG_MAX || (aad_len > 0 && aad == NULL) ||
        (len > 0 && (in == NULL || out == NULL)))
        return RLAB_ERR_INVALID_ARG;
    uint8_t want[RLAB_GCM_TAG_MAX];
    ntl_gcm_start(c, iv, iv_len, aad, aad_len);
    if (len > 0) {
        if (c->key_len == 16)
            gcm_aes128_decrypt(&c->u.a128, len, out, in);
        else
            gcm_aes256_decrypt(&c->u.a256, len, out, in);
    }
    ntl_gcm_digest(c, want, tag_len);
    int ok = memeql_sec(want, tag, tag_len);
    rlab_wipe(want, sizeof want);
    if (!ok) {
        if (len > 0)
            rlab_wipe(out, len);
        return RLAB_ERR_AUTH;
    }
    return RLAB_OK;
}

/* see backend.h */
int rlab_ntl_hash_new(rlab_hash h, rlab_hash_ctx **out)
{
    *out = NULL;
    const struct nettle_hash *nh = rlab_ntl_hash(h);
    if (nh == NULL)
        return RLAB_ERR_UNSUPPORTED;
    size_t size = sizeof(rlab_hash_ctx) + nh->context_size;
    rlab_hash_ctx *c = calloc(1, size);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    c->h = nh;
    c->size = size;
    nh->init(c->state);
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
int rlab_ntl_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len)
{
    if (c == NULL || (len > 0 && p == NULL))
        return RLAB_ERR_INVALID_ARG;
    if (len > 0)
        c->h->update(c->state, len, p);
    return RLAB_OK;
}

/* see backend.h */
int rlab_ntl_hash_final(rlab_hash_ctx *c, uint8_t *out)
{
    if (c == NULL || out == NULL) {
        rlab_ntl_hash_free(c);
        return RLAB_ERR_INVALID_ARG;
    }
    c->h->digest(c->state, c->h->digest_size, out);
    rlab_ntl_hash_free(c);
    return RLAB_OK;
}

/* see backend.h */
void rlab_ntl_hash_free(rlab_hash_ctx *c)
{
    if (c != NULL)
        rlab_free_secret(c, c->size);
}
