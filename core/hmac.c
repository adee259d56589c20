/*
 * HMAC (RFC 2104) and HKDF (RFC 5869) over a backend's hash slots.  See
 * hmac.h.  Nothing here knows which library computes the hash: the same code
 * runs over openssl's EVP digests, mbedTLS's md and the gmp backend's own
 * SHA implementations.
 */
#include "backends/ops.h"
#include "core/hmac.h"

#include <string.h>

#include "base/ct.h"

/* The backend that will hash with h: be itself when it has complete hash
 * slots for h, else the default provider under the same test. */
static int usable(const struct rlab_backend *be, rlab_hash h)
{
    return be != NULL && (be->caps & RLAB_CAP_HASH) && be->hash_new != NULL &&
           be->hash_update != NULL && be->hash_final != NULL &&
           be->hash_free != NULL && (be->hashes & RLAB_HASH_BIT(h)) != 0;
}

static const struct rlab_backend *pick(const struct rlab_backend *be, rlab_hash h)
{
    if ((unsigned)h >= RLAB_HASH_COUNT || h == RLAB_HASH_NONE)
        return NULL;
    if (usable(be, h))
        return be;
    be = rlab_backend_default_provider();
    return usable(be, h) ? be : NULL;
}

/* An HMAC in progress: the inner hash running, K0 kept for the outer one. */
struct hmac_state {
    const struct rlab_backend *be;
    rlab_hash h;
    rlab_hash_ctx *inner;
    uint8_t k0[RLAB_HASH_MAX_BLOCK];
};

static void hmac_abandon(struct hmac_state *st)
{
    if (st->inner != NULL)
        rlab_hash_free(st->be, st->inner);
    st->inner = NULL;
    rlab_wipe(st->k0, sizeof st->k0);
}

/* Hash of the concatenation of up to two pieces. */
static int hash2(const struct rlab_backend *be, rlab_hash h, const uint8_t *a,
                 size_t a_len, const uint8_t *b, size_t b_len, uint8_t *out)
{
    rlab_hash_ctx *c = NULL;
    int rc = rlab_hash_new(be, h, &c);
    if (rc != RLAB_OK)
        return rc;
    if (a_len > 0)
        rc = rlab_hash_update(be, c, a, a_len);
    if (rc == RLAB_OK && b_len > 0)
        rc = rlab_hash_update(be, c, b, b_len);
    if (rc != RLAB_OK) {
        rlab_hash_free(be, c);
        return rc;
    }
    return rlab_hash_final(be, c, out);
}

static int hmac_start(struct hmac_state *st, const struct rlab_backend *be,
                      rlab_hash h, const uint8_t *key, size_t key_len)
{
    size_t block = rlab_hash_block_len(h);
    uint8_t ipad[RLAB_HASH_MAX_BLOCK];
    int rc;

    st->be = be;
    st->h = h;
    st->inner = NULL;
    memset(st->k0, 0, sizeof st->k0);
    /* K0: the key, or its hash when longer than a block, zero-padded. */
    if (key_len > block) {
        rc = hash2(be, h, key, key_len, NULL, 0, st->k0);
        if (rc != RLAB_OK)
            goto fail;
    } else if (key_len > 0) {
        memcpy(st->k0, key, key_len);
    }
    for (size_t i = 0; i < block; i++)
        ipad[i] = (uint8_t)(st->k0[i] ^ 0x36);
    rc = rlab_hash_new(be, h, &st->inner);
    if (rc != RLAB_OK) {
        st->inner = NULL;
        goto fail;
    }
    rc = rlab_hash_update(be, st->inner, ipad, block);
    if (rc != RLAB_OK)
        goto fail;
    rlab_wipe(ipad, sizeof ipad);
    return RLAB_OK;

fail:
    rlab_wipe(ipad, sizeof ipad);
    hmac_abandon(st);
    return rc;
}

static int hmac_update(struct hmac_state *st, const uint8_t *p, size_t len)
{
    if (len == 0)
        return RLAB_OK;
    int rc = rlab_hash_update(st->be, st->inner, p, len);
    if (rc != RLAB_OK)
        hmac_abandon(st);
    return rc;
}

/* out gets the MAC; the state is wiped on every path. */
static int hmac_finish(struct hmac_state *st, uint8_t *out)
{
    size_t block = rlab_hash_block_len(st->h);
    size_t hlen = rlab_hash_len(st->h);
    uint8_t opad[RLAB_HASH_MAX_BLOCK];
    uint8_t inner[RLAB_HASH_MAX_LEN];

    rlab_hash_ctx *c = st->inner;
    st->inner = NULL; /* hash_final frees it, whatever it returns */
    int rc = rlab_hash_final(st->be, c, inner);
    for (size_t i = 0; i < block; i++)
        opad[i] = (uint8_t)(st->k0[i] ^ 0x5c);
    if (rc == RLAB_OK)
        rc = hash2(st->be, st->h, opad, block, inner, hlen, out);
    rlab_wipe(opad, sizeof opad);
    rlab_wipe(inner, sizeof inner);
    hmac_abandon(st);
    return rc;
}

int rlab_hmac(const struct rlab_backend *be, rlab_hash h, const uint8_t *key,
              size_t key_len, const uint8_t *msg, size_t msg_len, uint8_t *out)
{
    if (out == NULL || (key == NULL && key_len > 0) || (msg == NULL && msg_len > 0))
        return RLAB_ERR_INVALID_ARG;
    be = pick(be, h);
    if (be == NULL)
        return RLAB_ERR_UNSUPPORTED;
    struct hmac_state st;
    int rc = hmac_start(&st, be, h, key, key_len);
    if (rc != RLAB_OK)
        return rc;
    rc = hmac_update(&st, msg, msg_len);
    if (rc != RLAB_OK)
        return rc;
    return hmac_finish(&st, out);
}

int rlab_hkdf_extract(const struct rlab_backend *be, rlab_hash h,
                      const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                      size_t ikm_len, uint8_t *prk)
{
    /* RFC 5869 2.2: a missing salt is HashLen zero bytes, which as an HMAC
     * key is the same as the empty key. */
    return rlab_hmac(be, h, salt, salt_len, ikm, ikm_len, prk);
}

int rlab_hkdf_expand(const struct rlab_backend *be, rlab_hash h,
                     const uint8_t *prk, size_t prk_len, const uint8_t *info,
                     size_t info_len, uint8_t *out, size_t out_len)
{
    size_t hlen = rlab_hash_len(h);
    if (hlen == 0 || h == RLAB_HASH_NONE)
        return RLAB_ERR_UNSUPPORTED;
    if ((out == NULL && out_len > 0) || (prk == NULL && prk_len > 0) ||
        (info == NULL && info_len > 0) || out_len > 255 * hlen)
        return RLAB_ERR_INVALID_ARG;
    be = pick(be, h);
    if (be == NULL)
        return RLAB_ERR_UNSUPPORTED;

    /* T(i) = HMAC(PRK, T(i-1) || info || i), OKM = T(1) || T(2) || ... */
    uint8_t t[RLAB_HASH_MAX_LEN];
    size_t t_len = 0;
    int rc = RLAB_OK;
    for (size_t done = 0, i = 1; done < out_len; done += hlen, i++) {
        struct hmac_state st;
        uint8_t counter = (uint8_t)i;
        rc = hmac_start(&st, be, h, prk, prk_len);
        if (rc == RLAB_OK)
            rc = hmac_update(&st, t, t_len);
        if (rc == RLAB_OK)
            rc = hmac_update(&st, info, info_len);
        if (rc == RLAB_OK)
            rc = hmac_update(&st, &counter, 1);
        if (rc == RLAB_OK)
            rc = hmac_finish(&st, t);
        if (rc != RLAB_OK)
            break;
        t_len = hlen;
        size_t n = out_len - done < hlen ? out_len - done : hlen;
        memcpy(out + done, t, n);
    }
    rlab_wipe(t, sizeof t);
    if (rc != RLAB_OK && out != NULL)
        rlab_wipe(out, out_len);
    return rc;
}
