/*
 * The "key = value" line reader behind every CAVP-style file (.rsp, the
 * FIPS 186-2 .txt files, SHAVS, GCM, pyca's HMAC/HKDF files, BoringSSL's
 * evp_tests format).  see vec_int.h
 *
 * Seen in the files: CRLF and LF mixed in one file, "key =value" without
 * the space, keys with spaces ("EM with hash moved"), bare words ("FAIL"),
 * empty values ("PT = "), section headers "[mod = 1024]".
 */
#include <stdlib.h>
#include <string.h>

#include "vectors/vec_int.h"

void rlab_kv_init(struct rlab_kv *kv, const char *text, size_t len)
{
    memset(kv, 0, sizeof *kv);
    kv->p = text;
    kv->end = text + len;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && blank(**s))
        (*s)++;
    while (*e > *s && blank((*e)[-1]))
        (*e)--;
}

/* Split [s, e) at the first '=' into key and value. */
static int split(struct rlab_kv *kv, const char *s, const char *e)
{
    const char *eq = memchr(s, '=', (size_t)(e - s));
    const char *ks = s, *ke = eq != NULL ? eq : e;
    trim(&ks, &ke);
    kv->key = ks;
    kv->key_len = (size_t)(ke - ks);
    if (eq == NULL) {
        kv->value = e;
        kv->value_len = 0;
        return 0;
    }
    const char *vs = eq + 1, *ve = e;
    trim(&vs, &ve);
    kv->value = vs;
    kv->value_len = (size_t)(ve - vs);
    return 1;
}

rlab_kv_event rlab_kv_next(struct rlab_kv *kv)
{
    if (kv->p >= kv->end)
        return RLAB_KV_END;
    const char *s = kv->p;
    const char *nl = memchr(s, '\n', (size_t)(kv->end - s));
    const char *e = nl != NULL ? nl : kv->end;
    kv->p = nl != NULL ? nl + 1 : kv->end;
    kv->line++;
    trim(&s, &e);
    kv->key = kv->value = s;
    kv->key_len = kv->value_len = 0;
    if (s == e)
        return RLAB_KV_BLANK;
    if (*s == '#') {
        const char *vs = s + 1;
        trim(&vs, &e);
        kv->value = vs;
        kv->value_len = (size_t)(e - vs);
        return RLAB_KV_COMMENT;
    }
    if (*s == '[' && e[-1] == ']') {
        split(kv, s + 1, e - 1);
        return RLAB_KV_SECTION;
    }
    return split(kv, s, e) ? RLAB_KV_PAIR : RLAB_KV_WORD;
}

int rlab_kv_key_is(const struct rlab_kv *kv, const char *name)
{
    size_t n = strlen(name);
    return kv->key_len == n && memcmp(kv->key, name, n) == 0;
}

int rlab_kv_hex(const struct rlab_kv *kv, struct rlab_buf *b)
{
    int rc = rlab_vec_hex(b, kv->value, kv->value_len);
    if (rc != RLAB_OK)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: bad hex for %.*s",
                              kv->line, (int)kv->key_len, kv->key);
    return RLAB_OK;
}

int rlab_kv_ulong(const struct rlab_kv *kv, unsigned long *out)
{
    unsigned long v = 0;
    if (kv->value_len == 0 || kv->value_len > 9)
        goto bad;
    for (size_t i = 0; i < kv->value_len; i++) {
        char c = kv->value[i];
        if (c < '0' || c > '9')
            goto bad;
        v = v * 10 + (unsigned long)(c - '0');
    }
    *out = v;
    return RLAB_OK;
bad:
    return rlab_error_set(RLAB_ERR_PARSE, "line %zu: %.*s is not a number",
                          kv->line, (int)kv->key_len, kv->key);
}

int rlab_kv_hash(const struct rlab_kv *kv, rlab_hash *h)
{
    char name[32];
    size_t n = kv->value_len < sizeof name - 1 ? kv->value_len : sizeof name - 1;
    memcpy(name, kv->value, n);
    name[n] = '\0';
    if (rlab_hash_from_name(name, h) != RLAB_OK)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: unknown hash %s", kv->line, name);
    return RLAB_OK;
}
