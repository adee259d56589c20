/*
 * The symmetric files, all key = value: SHAVS ShortMsg/LongMsg and Monte,
 * CAVP AES-GCM (gcmEncryptExtIV*, gcmDecrypt*), pyca's RFC 2202/4231 HMAC
 * and RFC 5869 HKDF files.  see vec_int.h
 *
 * Read from the files: SHAVS "Len" is in bits and "Msg = 00" stands for the
 * empty message when Len = 0; Monte files give one Seed and then COUNT/MD
 * checkpoints, each checkpoint being the seed of the next; the SHA-3
 * files (SHA3VS) are the same, and the SHAKE files name the digest
 * "Output": ShortMsg/LongMsg "Len, Msg, Output" under [Outputlen = N],
 * VariableOut "COUNT, Outputlen, Msg, Output" without Len (the whole Msg),
 * Monte a seed "Msg", then COUNT/Outputlen/Output, under [Minimum Output
 * Length (bits) = N] and [Maximum Output Length (bits) = N]; GCM decrypt cases
 * end with "PT = ..." or a bare "FAIL"; GCM "Count" restarts in every
 * [Keylen][IVlen][PTlen][AADlen][Taglen] section, so ids here are the case's
 * position in the file; HKDF gives "Hash = SHA-256", L in bytes and
 * optionally PRK.
 */
#include <stdlib.h>
#include <string.h>

#include "vectors/vec_int.h"

struct sym {
    struct rlab_vec_file *f;
    rlab_vec_format fmt;
    size_t index;
    char section[96];          /* GCM: the current [..] values */
    int open;
    unsigned long len_bits, count, okm_len, out_bits, xof_min, xof_max;
    int have_len, have_count, have_out_bits, fail;
    rlab_hash hash;
    struct rlab_buf a, b, c, d, e, g; /* per format, see emit() */
};

static void bufs_clear(struct sym *s)
{
    struct rlab_buf *v[] = {&s->a, &s->b, &s->c, &s->d, &s->e, &s->g};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        rlab_buf_clear(v[i]);
    s->open = 0;
    s->fail = 0;
    s->have_len = 0;
    s->have_out_bits = 0;
}

/* SHAKE "Outputlen" (bits) must match the Output given. */
static int check_out_bits(const struct sym *s, size_t line)
{
    if (s->have_out_bits && (s->out_bits % 8 != 0 || s->out_bits / 8 != s->b.len))
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: Outputlen does not fit Output", line);
    return RLAB_OK;
}

static struct rlab_vec_case *new_case(struct sym *s)
{
    struct rlab_vec_case *c = rlab_vec_case_new(s->f);
    if (c == NULL)
        return NULL;
    s->index++;
    snprintf(c->id, sizeof c->id, "%zu", s->index);
    c->hash = s->hash;
    c->expect = RLAB_VEC_VALID;
    return c;
}

#define TAKE(dst, src) do { (dst) = (src); (src) = (struct rlab_buf)RLAB_BUF_INIT; } while (0)

/* SHAVS: a = Msg, b = MD.  HMAC: a = Key, b = Msg, c = MD. */
static int emit_hash(struct sym *s, size_t line)
{
    struct rlab_vec_case *c = new_case(s);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    if (s->fmt == RLAB_VEC_FMT_SHAVS) {
        int rc = check_out_bits(s, line);
        if (rc != RLAB_OK)
            return rc;
        /* SHAKE VariableOut has no Len: the message is the whole Msg. */
        if (!s->have_len && rlab_hash_is_xof(s->hash) && s->a.data != NULL) {
            s->len_bits = 8 * (unsigned long)s->a.len;
            s->have_len = 1;
        }
        if (!s->have_len || s->len_bits % 8 != 0 || s->len_bits / 8 > s->a.len)
            return rlab_error_set(RLAB_ERR_PARSE, "line %zu: Len does not fit Msg", line);
        s->a.len = s->len_bits / 8; /* Len = 0 comes with "Msg = 00" */
        if (rlab_hash_is_xof(s->hash))
            c->context = rlab_vec_strdupf("Len = %lu Outputlen = %zu", s->len_bits,
                                          8 * s->b.len);
        else
            c->context = rlab_vec_strdupf("Len = %lu", s->len_bits);
        TAKE(c->msg, s->a);
        TAKE(c->out, s->b);
    } else { /* HMAC */
        c->context = rlab_vec_strdupf("key %zu bytes, message %zu bytes", s->a.len, s->b.len);
        TAKE(c->skey, s->a);
        TAKE(c->msg, s->b);
        TAKE(c->out, s->c);
    }
    bufs_clear(s);
    return c->context != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

/* Monte: a = the current seed (the previous checkpoint), b = MD. */
static int emit_monte(struct sym *s, size_t line)
{
    if (s->a.len == 0 || !s->have_count)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: MD before Seed/COUNT", line);
    int xof = rlab_hash_is_xof(s->hash);
    if (xof && (s->xof_min == 0 || s->xof_min % 8 != 0 || s->xof_max % 8 != 0 ||
                s->xof_max < s->xof_min || s->xof_max > 65536))
        return rlab_error_set(RLAB_ERR_PARSE,
                              "line %zu: SHAKE Monte without usable output length bounds", line);
    int prc = check_out_bits(s, line);
    if (prc != RLAB_OK)
        return prc;
    s->have_out_bits = 0;
    struct rlab_vec_case *c = new_case(s);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    snprintf(c->id, sizeof c->id, "%lu", s->count);
    c->context = rlab_vec_strdupf("COUNT = %lu", s->count);
    if (xof) {
        c->xof_min = s->xof_min / 8;
        c->xof_max = s->xof_max / 8;
    }
    int rc = rlab_buf_set(&c->seed, s->a.data, s->a.len);
    if (rc == RLAB_OK)
        rc = rlab_buf_set(&c->out, s->b.data, s->b.len);
    /* The checkpoint seeds the next round. */
    rlab_buf_clear(&s->a);
    TAKE(s->a, s->b);
    return rc == RLAB_OK && c->context != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

/* GCM: a = Key, b = IV, c = PT, d = AAD, e = CT, g = Tag. */
static int emit_gcm(struct sym *s, size_t line)
{
    if (!s->open)
        return RLAB_OK;
    if (s->a.data == NULL || s->b.data == NULL || s->e.data == NULL || s->g.data == NULL ||
        (s->c.data == NULL && !s->fail))
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: incomplete GCM case", line);
    struct rlab_vec_case *c = new_case(s);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    c->expect = s->fail ? RLAB_VEC_INVALID : RLAB_VEC_VALID;
    c->context = rlab_vec_strdupf("%s Count = %lu%s", s->section, s->count,
                                  s->fail ? " FAIL" : "");
    TAKE(c->skey, s->a);
    TAKE(c->iv, s->b);
    TAKE(c->msg, s->c);
    TAKE(c->aad, s->d);
    TAKE(c->out, s->e);
    TAKE(c->tag, s->g);
    bufs_clear(s);
    return c->context != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

/* HKDF: a = IKM, b = salt, c = info, d = PRK, e = OKM. */
static int emit_hkdf(struct sym *s, size_t line)
{
    if (s->a.data == NULL || s->e.data == NULL || s->hash == RLAB_HASH_NONE)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: incomplete HKDF case", line);
    if (s->okm_len != s->e.len)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: L differs from the OKM length", line);
    struct rlab_vec_case *c = new_case(s);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    snprintf(c->id, sizeof c->id, "%lu", s->count);
    c->context = rlab_vec_strdupf("%s L = %lu", rlab_hash_name(s->hash), s->okm_len);
    TAKE(c->skey, s->a);
    TAKE(c->salt, s->b);
    TAKE(c->info, s->c);
    TAKE(c->prk, s->d);
    TAKE(c->out, s->e);
    bufs_clear(s);
    return c->context != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

/* One "key = value" line of each format; a line that ends a case emits it. */
static int pair_shavs(struct sym *s, struct rlab_kv *kv)
{
    if (rlab_kv_key_is(kv, "Len")) {
        s->have_len = 1;
        return rlab_kv_ulong(kv, &s->len_bits);
    }
    if (rlab_kv_key_is(kv, "Msg"))
        return rlab_kv_hex(kv, &s->a);
    if (rlab_kv_key_is(kv, "Outputlen")) {
        s->have_out_bits = 1;
        return rlab_kv_ulong(kv, &s->out_bits);
    }
    if (rlab_kv_key_is(kv, "MD") || rlab_kv_key_is(kv, "Output")) {
        int rc = rlab_kv_hex(kv, &s->b);
        return rc == RLAB_OK ? emit_hash(s, kv->line) : rc;
    }
    return RLAB_OK;
}

static int pair_monte(struct sym *s, struct rlab_kv *kv)
{
    /* SHAKE Monte names its seed "Msg" */
    if (rlab_kv_key_is(kv, "Seed") || rlab_kv_key_is(kv, "Msg"))
        return rlab_kv_hex(kv, &s->a);
    if (rlab_kv_key_is(kv, "COUNT")) {
        s->have_count = 1;
        return rlab_kv_ulong(kv, &s->count);
    }
    if (rlab_kv_key_is(kv, "Outputlen")) {
        s->have_out_bits = 1;
        return rlab_kv_ulong(kv, &s->out_bits);
    }
    if (rlab_kv_key_is(kv, "MD") || rlab_kv_key_is(kv, "Output")) {
        int rc = rlab_kv_hex(kv, &s->b);
        return rc == RLAB_OK ? emit_monte(s, kv->line) : rc;
    }
    return RLAB_OK;
}

/* GCM: "Count" starts a case (and emits the one before it). */
static int pair_gcm(struct sym *s, struct rlab_kv *kv)
{
    static const char *const keys[] = {"Key", "IV", "PT", "AAD", "CT", "Tag"};
    struct rlab_buf *dst[] = {&s->a, &s->b, &s->c, &s->d, &s->e, &s->g};
    if (rlab_kv_key_is(kv, "Count")) {
        int rc = emit_gcm(s, kv->line);
        s->open = 1;
        return rc == RLAB_OK ? rlab_kv_ulong(kv, &s->count) : rc;
    }
    for (size_t i = 0; i < 6; i++)
        if (rlab_kv_key_is(kv, keys[i]))
            return rlab_kv_hex(kv, dst[i]);
    return RLAB_OK;
}

static int pair_hmac(struct sym *s, struct rlab_kv *kv)
{
    if (rlab_kv_key_is(kv, "Key"))
        return rlab_kv_hex(kv, &s->a);
    if (rlab_kv_key_is(kv, "Msg"))
        return rlab_kv_hex(kv, &s->b);
    if (rlab_kv_key_is(kv, "MD")) {
        int rc = rlab_kv_hex(kv, &s->c);
        return rc == RLAB_OK ? emit_hash(s, kv->line) : rc;
    }
    return RLAB_OK;
}

static int pair_hkdf(struct sym *s, struct rlab_kv *kv)
{
    static const char *const keys[] = {"IKM", "salt", "info", "PRK"};
    struct rlab_buf *dst[] = {&s->a, &s->b, &s->c, &s->d};
    if (rlab_kv_key_is(kv, "COUNT"))
        return rlab_kv_ulong(kv, &s->count);
    if (rlab_kv_key_is(kv, "Hash"))
        return rlab_kv_hash(kv, &s->hash);
    if (rlab_kv_key_is(kv, "L"))
        return rlab_kv_ulong(kv, &s->okm_len);
    for (size_t i = 0; i < 4; i++)
        if (rlab_kv_key_is(kv, keys[i]))
            return rlab_kv_hex(kv, dst[i]);
    if (rlab_kv_key_is(kv, "OKM")) {
        int rc = rlab_kv_hex(kv, &s->e);
        return rc == RLAB_OK ? emit_hkdf(s, kv->line) : rc;
    }
    return RLAB_OK;
}

static int pair(struct sym *s, struct rlab_kv *kv)
{
    switch (s->fmt) {
    case RLAB_VEC_FMT_SHAVS: return pair_shavs(s, kv);
    case RLAB_VEC_FMT_SHAVS_MONTE: return pair_monte(s, kv);
    case RLAB_VEC_FMT_GCM: return pair_gcm(s, kv);
    case RLAB_VEC_FMT_HMAC: return pair_hmac(s, kv);
    case RLAB_VEC_FMT_HKDF: return pair_hkdf(s, kv);
    default: return rlab_error_set(RLAB_ERR_PARSE, "not a symmetric format");
    }
}

/* GCM section headers accumulate into a context string. */
static void section(struct sym *s, const struct rlab_kv *kv)
{
    if (rlab_kv_key_is(kv, "Keylen"))
        s->section[0] = '\0';
    size_t used = strlen(s->section);
    snprintf(s->section + used, sizeof s->section - used, "%s%.*s=%.*s",
             used ? " " : "", (int)kv->key_len, kv->key, (int)kv->value_len, kv->value);
}

int rlab_vec_parse_sym(struct rlab_vec_file *f, const char *text, size_t len)
{
    struct sym s = {.f = f, .fmt = f->entry->fmt, .hash = f->entry->hash};
    struct rlab_kv kv;
    rlab_kv_init(&kv, text, len);
    int rc = RLAB_OK;
    rlab_kv_event ev;
    while (rc == RLAB_OK && (ev = rlab_kv_next(&kv)) != RLAB_KV_END) {
        if (ev == RLAB_KV_PAIR) {
            rc = pair(&s, &kv);
        } else if (ev == RLAB_KV_WORD && s.fmt == RLAB_VEC_FMT_GCM &&
                   rlab_kv_key_is(&kv, "FAIL")) {
            s.fail = 1;
        } else if (ev == RLAB_KV_SECTION && s.fmt == RLAB_VEC_FMT_GCM) {
            if ((rc = emit_gcm(&s, kv.line)) == RLAB_OK)
                section(&s, &kv);
        } else if (ev == RLAB_KV_SECTION && s.fmt == RLAB_VEC_FMT_SHAVS_MONTE) {
            if (rlab_kv_key_is(&kv, "Minimum Output Length (bits)"))
                rc = rlab_kv_ulong(&kv, &s.xof_min);
            else if (rlab_kv_key_is(&kv, "Maximum Output Length (bits)"))
                rc = rlab_kv_ulong(&kv, &s.xof_max);
        }
    }
    if (rc == RLAB_OK && s.fmt == RLAB_VEC_FMT_GCM)
        rc = emit_gcm(&s, kv.line);
    bufs_clear(&s);
    return rc;
}
