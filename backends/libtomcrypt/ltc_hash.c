/*
 * Hash slots of the libtomcrypt backend: SHA-1 and the SHA-2 family
 * (SHA-512/224 and SHA-512/256 included) through hash_descriptor[].
 * Contracts in backends/backend.h.
 *
 * No AEAD slots: libtomcrypt 1.18's AES is the table-driven reference code
 * and its GHASH uses 8-bit tables (LTC_GCM_TABLES), neither constant time,
 * while backends/ops.h asks AES-GCM slots to be.  The protocol takes the
 * default provider's AES-GCM instead (docs/BACKENDS.md, libtomcrypt).
 */
#include <stdlib.h>

#include "backends/libtomcrypt/ltc_internal.h"

struct rlab_hash_ctx {
    int idx;
    hash_state st;
};

/* see backend.h */
int rlab_ltc_hash_new(rlab_hash h, rlab_hash_ctx **out)
{
    *out = NULL;
    int idx = rlab_ltc_hash_idx(h);
    if (idx < 0)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "libtomcrypt: no %s", rlab_hash_name(h));
    rlab_hash_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    c->idx = idx;
    int err = hash_descriptor[idx].init(&c->st);
    if (err != CRYPT_OK) {
        rlab_ltc_hash_free(c);
        return rlab_ltc_fail(RLAB_ERR_BACKEND, "hash init", err);
    }
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
int rlab_ltc_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len)
{
    if (c == NULL || (len > 0 && p == NULL))
        return RLAB_ERR_INVALID_ARG;
    if (len == 0)
        return RLAB_OK;
    int err = hash_descriptor[c->idx].process(&c->st, p, (unsigned long)len);
    return err == CRYPT_OK ? RLAB_OK : rlab_ltc_fail(RLAB_ERR_BACKEND, "hash process", err);
}

/* see backend.h */
int rlab_ltc_hash_final(rlab_hash_ctx *c, uint8_t *out)
{
    if (c == NULL || out == NULL) {
        rlab_ltc_hash_free(c);
        return RLAB_ERR_INVALID_ARG;
    }
    int err = hash_descriptor[c->idx].done(&c->st, out);
    rlab_ltc_hash_free(c);
    return err == CRYPT_OK ? RLAB_OK : rlab_ltc_fail(RLAB_ERR_BACKEND, "hash done", err);
}

/* see backend.h; the state is wiped with the library's zeromem */
void rlab_ltc_hash_free(rlab_hash_ctx *c)
{
    if (c == NULL)
        return;
    zeromem(c, sizeof *c);
    free(c);
}
