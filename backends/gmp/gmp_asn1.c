/*
 * A small strict DER reader and writer, just enough for RSA keys.
 * See gmp_der.h for the rules and the contract of every function.
 *
 * The reader never trusts a length: each one is compared with the bytes
 * that remain before the value is touched.  It reads only the tags the
 * caller asks for, so there is no generic walker to recurse with.
 */
#include <string.h>

#include "backends/gmp/gmp_der.h"

#include "base/errors.h"

static int gmp_bad(const struct rlab_gmp_der_in *r, const char *what,
                   const char *why)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s: %s: %s", r->what, what, why);
}

static const char *gmp_tag_name(uint8_t tag)
{
    switch (tag) {
    case RLAB_GMP_TAG_INTEGER: return "INTEGER";
    case RLAB_GMP_TAG_BIT_STRING: return "BIT STRING";
    case RLAB_GMP_TAG_OCTET_STRING: return "OCTET STRING";
    case RLAB_GMP_TAG_NULL: return "NULL";
    case RLAB_GMP_TAG_OID: return "OBJECT IDENTIFIER";
    case RLAB_GMP_TAG_SEQUENCE: return "SEQUENCE";
    default: return "tag";
    }
}

/* see gmp_der.h */
void rlab_gmp_der_in_init(struct rlab_gmp_der_in *r, const uint8_t *p,
                          size_t len, const char *what)
{
    r->p = p;
    r->len = len;
    r->depth = 0;
    r->what = what;
}

/* see gmp_der.h */
int rlab_gmp_der_read(struct rlab_gmp_der_in *r, uint8_t tag, const char *what,
                      struct rlab_gmp_der_in *content)
{
    if (r->len == 0)
        return gmp_bad(r, what, "missing (input ends)");
    if (r->p[0] != tag) {
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "%s: %s: expected %s (tag 0x%02x), found tag 0x%02x",
                              r->what, what, gmp_tag_name(tag), tag, r->p[0]);
    }
    if (r->len < 2)
        return gmp_bad(r, what, "truncated before its length");

    size_t hdr = 2;
    size_t vlen = r->p[1];
    if (vlen == 0x80)
        return gmp_bad(r, what, "indefinite length (BER, not DER)");
    if (vlen > 0x80) {
        size_t nbytes = vlen & 0x7f;
        /* 4 length bytes already allow 4 GiB: more is never a key. */
        if (nbytes > 4)
            return gmp_bad(r, what, "length field longer than 4 bytes");
        if (r->len - 2 < nbytes)
            return gmp_bad(r, what, "truncated inside its length");
        if (r->p[2] == 0)
            return gmp_bad(r, what, "non-minimal length (leading zero byte)");
        vlen = 0;
        for (size_t i = 0; i < nbytes; i++)
            vlen = (vlen << 8) | r->p[2 + i];
        if (vlen < 0x80)
            return gmp_bad(r, what, "non-minimal length (long form below 128)");
        hdr += nbytes;
    }
    if (vlen > r->len - hdr) {
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "%s: %s: length %zu exceeds the %zu bytes left",
                              r->what, what, vlen, r->len - hdr);
    }
    unsigned depth = r->depth;
    if (tag & 0x20) {
        if (depth >= RLAB_GMP_DER_MAX_DEPTH)
            return gmp_bad(r, what, "nested too deeply");
        depth++;
    }
    content->p = r->p + hdr;
    content->len = vlen;
    content->depth = depth;
    content->what = what;
    r->p += hdr + vlen;
    r->len -= hdr + vlen;
    return RLAB_OK;
}

/* Read an INTEGER, check it is minimal and not negative, and leave in *v the
 * magnitude without its sign byte. */
static int gmp_read_int(struct rlab_gmp_der_in *r, const char *what,
                        struct rlab_gmp_der_in *v)
{
    int rc = rlab_gmp_der_read(r, RLAB_GMP_TAG_INTEGER, what, v);
    if (rc != RLAB_OK)
        return rc;
    if (v->len == 0)
        return gmp_bad(r, what, "INTEGER with no content bytes");
    if (v->p[0] & 0x80)
        return gmp_bad(r, what, "negative INTEGER");
    if (v->len > 1 && v->p[0] == 0x00) {
        if (!(v->p[1] & 0x80))
            return gmp_bad(r, what, "non-minimal INTEGER (superfluous leading 0x00)");
        v->p++;
        v->len--;
    }
    return RLAB_OK;
}

/* see gmp_der.h */
int rlab_gmp_der_read_uint(struct rlab_gmp_der_in *r, const char *what,
                           struct rlab_buf *out)
{
    struct rlab_gmp_der_in v;
    int rc = gmp_read_int(r, what, &v);
    if (rc != RLAB_OK)
        return rc;
    return rlab_buf_set(out, v.p, v.len);
}

/* see gmp_der.h */
int rlab_gmp_der_read_small(struct rlab_gmp_der_in *r, const char *what,
                            unsigned long *out)
{
    struct rlab_gmp_der_in v;
    int rc = gmp_read_int(r, what, &v);
    if (rc != RLAB_OK)
        return rc;
    if (v.len > sizeof *out)
        return gmp_bad(r, what, "INTEGER too large");
    unsigned long x = 0;
    for (size_t i = 0; i < v.len; i++)
        x = (x << 8) | v.p[i];
    *out = x;
    return RLAB_OK;
}

/* see gmp_der.h */
int rlab_gmp_der_done(const struct rlab_gmp_der_in *r)
{
    if (r->len != 0) {
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s: %zu trailing bytes",
                              r->what, r->len);
    }
    return RLAB_OK;
}

/* ---- writer ------------------------------------------------------------ */

static size_t gmp_len_bytes(size_t len)
{
    size_t n = 0;
    for (; len > 0; len >>= 8)
        n++;
    return n;
}

/* see gmp_der.h */
size_t rlab_gmp_der_hdr_size(size_t len)
{
    return len < 0x80 ? 2 : 2 + gmp_len_bytes(len);
}

/* Skip leading zero bytes of an unsigned big-endian value. */
static void gmp_strip(const uint8_t **v, size_t *len)
{
    while (*len > 0 && (*v)[0] == 0) {
        (*v)++;
        (*len)--;
    }
}

/* see gmp_der.h */
size_t rlab_gmp_der_uint_content(const uint8_t *v, size_t len)
{
    gmp_strip(&v, &len);
    if (len == 0)
        return 1;
    return len + ((v[0] & 0x80) ? 1 : 0);
}

/* see gmp_der.h */
size_t rlab_gmp_der_uint_size(const uint8_t *v, size_t len)
{
    size_t c = rlab_gmp_der_uint_content(v, len);
    return rlab_gmp_der_hdr_size(c) + c;
}

/* see gmp_der.h */
void rlab_gmp_der_put_bytes(struct rlab_gmp_der_out *w, const uint8_t *p,
                            size_t len)
{
    if (w->overflow || len > w->cap - w->pos) {
        w->overflow = 1;
        return;
    }
    if (len > 0)
        memcpy(w->p + w->pos, p, len);
    w->pos += len;
}

/* see gmp_der.h */
void rlab_gmp_der_put_hdr(struct rlab_gmp_der_out *w, uint8_t tag, size_t len)
{
    uint8_t h[2 + sizeof(size_t)];
    size_t n = 0;
    h[n++] = tag;
    if (len < 0x80) {
        h[n++] = (uint8_t)len;
    } else {
        size_t nb = gmp_len_bytes(len);
        h[n++] = (uint8_t)(0x80 | nb);
        for (size_t i = nb; i > 0; i--)
            h[n++] = (uint8_t)(len >> (8 * (i - 1)));
    }
    rlab_gmp_der_put_bytes(w, h, n);
}

/* see gmp_der.h */
void rlab_gmp_der_put_uint(struct rlab_gmp_der_out *w, const uint8_t *v,
                           size_t len)
{
    static const uint8_t zero = 0;
    gmp_strip(&v, &len);
    rlab_gmp_der_put_hdr(w, RLAB_GMP_TAG_INTEGER, rlab_gmp_der_uint_content(v, len));
    if (len == 0 || (v[0] & 0x80))
        rlab_gmp_der_put_bytes(w, &zero, 1);
    rlab_gmp_der_put_bytes(w, v, len);
}
