/*
 * Hash slots of the wolfSSL backend (wc_HashInit / Update / Final over the
 * wc_HashAlg union): SHA-1 and the whole SHA-2 family, SHA-512/224 and
 * SHA-512/256 included.  Contracts in backends/backend.h.
 *
 * No AES-GCM slots, on purpose: Debian's libwolfssl is built without
 * --enable-aesni, so wolfCrypt's AES is the T-table C implementation, whose
 * memory accesses depend on the key and data (cache timing).  backends/ops.h
 * asks AES-GCM slots to be constant-time (AES-NI or bitsliced), so this
 * backend leaves AES-GCM to the default provider, as gmp does.
 */
#include <stdlib.h>

#include "base/ct.h"
#include "backends/wolfssl/wolf_internal.h"

struct rlab_hash_ctx {
    wc_HashAlg alg;
    enum wc_HashType type;
};

/* see backend.h */
int rlab_wolf_hash_new(rlab_hash h, rlab_hash_ctx **out)
{
    *out = NULL;
    enum wc_HashType t = rlab_wolf_hash_type(h);
    if (t == WC_HASH_TYPE_NONE)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "wolfCrypt: no %s", rlab_hash_name(h));
    rlab_hash_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    c->type = t;
    int ret = wc_HashInit(&c->alg, t);
    if (ret != 0) {
        rlab_free_secret(c, sizeof *c);
        return rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_HashInit", ret);
    }
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
int rlab_wolf_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len)
{
    if (c == NULL || (len > 0 && p == NULL))
        return RLAB_ERR_INVALID_ARG;
    /* wc_HashUpdate takes a word32 length. */
    while (len > 0) {
        word32 n = len > 0x40000000u ? 0x40000000u : (word32)len;
        int ret = wc_HashUpdate(&c->alg, c->type, p, n);
        if (ret != 0)
            return rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_HashUpdate", ret);
        p += n;
        len -= n;
    }
    return RLAB_OK;
}

/* see backend.h */
int rlab_wolf_hash_final(rlab_hash_ctx *c, uint8_t *out)
{
    if (c == NULL || out == NULL) {
        rlab_wolf_hash_free(c);
        return RLAB_ERR_INVALID_ARG;
    }
    int ret = wc_HashFinal(&c->alg, c->type, out);
    rlab_wolf_hash_free(c);
    return ret == 0 ? RLAB_OK : rlab_wolf_fail(RLAB_ERR_BACKEND, "wc_HashFinal", ret);
}

/* see backend.h; the state is wiped with the context */
void rlab_wolf_hash_free(rlab_hash_ctx *c)
{
    if (c == NULL)
        return;
    wc_HashFree(&c->alg, c->type);
    rlab_free_secret(c, sizeof *c);
}
