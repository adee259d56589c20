/* see tkey.h */
#include "core/tkey.h"

#include <stdlib.h>
#include <time.h>

#include "backends/ops.h"

uint64_t rlab_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int rlab_tkey_adopt(rlab_key *key, struct rlab_tkey **out)
{
    *out = NULL;
    if (key == NULL)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "no key for a transient key");
    if (!key->has_private) {
        rlab_key_free(key);
        return rlab_error_set(RLAB_ERR_KEY_NOT_PRIVATE, "a transient key must be a private key");
    }
    struct rlab_tkey *t = calloc(1, sizeof *t);
    if (t == NULL) {
        rlab_key_free(key);
        return RLAB_ERR_NOMEM;
    }
    t->key = key;
    t->spki = (struct rlab_buf)RLAB_BUF_INIT;
    int rc = rlab_key_export(key->be, key, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &t->spki);
    if (rc != RLAB_OK) {
        rlab_key_free(t->key);
        rlab_buf_clear(&t->spki);
        free(t);
        return rc;
    }
    t->refs = 1;
    t->made_ms = rlab_now_ms();
    *out = t;
    return RLAB_OK;
}

int rlab_tkey_new(const struct rlab_backend *be, unsigned bits, struct rlab_tkey **out)
{
    *out = NULL;
    rlab_key *key = NULL;
    int rc = rlab_keygen(be, bits ? bits : RLAB_TKEY_BITS, 65537, NULL, &key);
    return rc == RLAB_OK ? rlab_tkey_adopt(key, out) : rc;
}

struct rlab_tkey *rlab_tkey_get(struct rlab_tkey *t)
{
    __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
    return t;
}

void rlab_tkey_put(struct rlab_tkey *t)
{
    if (t == NULL || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    rlab_key_free(t->key); /* the backend's free wipes */
    rlab_buf_clear(&t->spki);
    free(t);
}
