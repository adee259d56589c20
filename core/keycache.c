/* A small cache of imported peer public keys; see keycache.h. */
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/buf.h"
#include "base/errors.h"
#include "core/keycache.h"

struct entry {
    const struct rlab_backend *be;
    uint8_t *spki;          /* the bytes as received */
    size_t len;
    struct rlab_buf canon;  /* be's export */
    rlab_key *key;
    unsigned refs;
    unsigned long used;     /* the lookup count at the last use (LRU) */
    int uncached;           /* a caller's own import, freed at put */
};

struct rlab_keycache {
    struct entry *v;
    size_t cap, n;
    unsigned long clock, hits;
    /* keys imported for one caller when every entry was in use */
    struct entry *extra;
    size_t n_extra, cap_extra;
};

int rlab_keycache_new(size_t cap, struct rlab_keycache **out)
{
    *out = NULL;
    struct rlab_keycache *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    c->cap = cap ? cap : RLAB_KEYCACHE_DEFAULT;
    c->v = calloc(c->cap, sizeof *c->v);
    if (c->v == NULL) {
        free(c);
        return RLAB_ERR_NOMEM;
    }
    *out = c;
    return RLAB_OK;
}

static void entry_clear(struct entry *e)
{
    rlab_key_free(e->key);
    free(e->spki);
    rlab_buf_clear(&e->canon);
    memset(e, 0, sizeof *e);
}

void rlab_keycache_free(struct rlab_keycache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        entry_clear(&c->v[i]);
    for (size_t i = 0; i < c->n_extra; i++)
        entry_clear(&c->extra[i]);
    free(c->extra);
    free(c->v);
    free(c);
}

static int import(struct entry *e, const struct rlab_backend *be, const uint8_t *spki,
                  size_t len)
{
    memset(e, 0, sizeof *e);
    e->be = be;
    e->canon = (struct rlab_buf)RLAB_BUF_INIT;
    e->spki = malloc(len ? len : 1);
    if (e->spki == NULL)
        return RLAB_ERR_NOMEM;
    memcpy(e->spki, spki, len);
    e->len = len;
    int rc = rlab_key_import(be, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, spki, len, &e->key);
    if (rc == RLAB_OK)
        rc = rlab_key_export(be, e->key, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &e->canon);
    if (rc != RLAB_OK)
        entry_clear(e);
    return rc;
}

/* A free or least recently used unreferenced entry, or NULL. */
static struct entry *victim(struct rlab_keycache *c)
{
    if (c->n < c->cap)
        return &c->v[c->n++];
    struct entry *best = NULL;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].refs == 0 && (best == NULL || c->v[i].used < best->used))
            best = &c->v[i];
    if (best != NULL)
        entry_clear(best);
    return best;
}

int rlab_keycache_get(struct rlab_keycache *c, const struct rlab_backend *be,
                      const uint8_t *spki, size_t len, rlab_key **out,
                      const uint8_t **canon, size_t *canon_len)
{
    *out = NULL;
    c->clock++;
    for (size_t i = 0; i < c->n; i++) {
        struct entry *e = &c->v[i];
        if (e->key != NULL && e->be == be && e->len == len && memcmp(e->spki, spki, len) == 0) {
            e->refs++;
            e->used = c->clock;
            c->hits++;
            *out = e->key;
            *canon = e->canon.data;
            *canon_len = e->canon.len;
            return RLAB_OK;
        }
    }
    struct entry *e = victim(c);
    if (e == NULL) {
        if (c->n_extra == c->cap_extra) {
            size_t nc = c->cap_extra ? 2 * c->cap_extra : 4;
            struct entry *nv = realloc(c->extra, nc * sizeof *nv);
            if (nv == NULL)
                return RLAB_ERR_NOMEM;
            c->extra = nv;
            c->cap_extra = nc;
        }
        e = &c->extra[c->n_extra];
        int rc = import(e, be, spki, len);
        if (rc != RLAB_OK)
            return rc;
        e->uncached = 1;
        c->n_extra++;
    } else {
        int rc = import(e, be, spki, len);
        if (rc != RLAB_OK) {
            /* leave the slot empty: the last one if it was just taken */
            if (e == &c->v[c->n - 1])
                c->n--;
            return rc;
        }
    }
    e->refs = 1;
    e->used = c->clock;
    *out = e->key;
    *canon = e->canon.data;
    *canon_len = e->canon.len;
    return RLAB_OK;
}

void rlab_keycache_put(struct rlab_keycache *c, rlab_key *k)
{
    if (k == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].key == k) {
            if (c->v[i].refs > 0)
                c->v[i].refs--;
            return;
        }
    for (size_t i = 0; i < c->n_extra; i++)
        if (c->extra[i].key == k) {
            entry_clear(&c->extra[i]);
            c->extra[i] = c->extra[--c->n_extra];
            return;
        }
}

size_t rlab_keycache_size(const struct rlab_keycache *c)
{
    return c->n;
}

unsigned long rlab_keycache_hits(const struct rlab_keycache *c)
{
    return c->hits;
}
