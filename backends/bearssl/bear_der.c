/*
 * Our strict DER reader for the four key formats, and the writer of the two
 * public ones.  BearSSL's br_skey_decoder reads RSAPrivateKey and PKCS#8 but
 * keeps only p, q, dp, dq, iq (no n, e, d) and reads no public key, and the
 * library writes only the private formats (bear_io.c uses those writers).
 *
 * What is accepted (see bear_internal.h): single-byte tags, definite lengths
 * in their shortest form (at most 4 length bytes), every length checked
 * against what remains, INTEGERs minimal and non-negative, RSAPrivateKey and
 * PrivateKeyInfo version 0 only, no PKCS#8 attributes, rsaEncryption with
 * NULL parameters, a BIT STRING with no unused bits, and nothing after any
 * structure, inner or outer.  Every refusal is RLAB_ERR_KEY_FORMAT with a
 * detail naming what was wrong.  The reader follows the schema, so nesting
 * depth is bounded by it.
 */
#include <string.h>

#include "base/ct.h"
#include "backends/bearssl/bear_internal.h"

enum {
    BEAR_INTEGER = 0x02,
    BEAR_BIT_STRING = 0x03,
    BEAR_OCTET_STRING = 0x04,
    BEAR_NULL = 0x05,
    BEAR_OID = 0x06,
    BEAR_SEQUENCE = 0x30,
};

/* rsaEncryption, 1.2.840.113549.1.1.1, as the full AlgorithmIdentifier
 * SEQUENCE { OID, NULL }. */
static const uint8_t bear_rsa_alg[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48,
                                       0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

struct bear_in {
    const uint8_t *p;
    size_t len;
};

static int bear_fmt(const char *what, const char *why)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s: %s", what, why);
}

/* One TLV with tag `tag`; *v is its content and r moves past it. */
static int bear_tlv(struct bear_in *r, uint8_t tag, const char *what, struct bear_in *v)
{
    if (r->len < 2)
        return bear_fmt(what, "truncated");
    if (r->p[0] != tag)
        return bear_fmt(what, "unexpected tag");
    size_t hdr = 2, len = r->p[1];
    if (len & 0x80) {
        size_t n = len & 0x7f;
        if (n == 0 || n > 4)
            return bear_fmt(what, "indefinite or oversized length");
        if (r->len < 2 + n)
            return bear_fmt(what, "truncated");
        if (r->p[2] == 0)
            return bear_fmt(what, "length not in its shortest form");
        len = 0;
        for (size_t i = 0; i < n; i++)
            len = (len << 8) | r->p[2 + i];
        if (len < 0x80)
            return bear_fmt(what, "length not in its shortest form");
        hdr += n;
    }
    if (len > r->len - hdr)
        return bear_fmt(what, "truncated");
    v->p = r->p + hdr;
    v->len = len;
    r->p += hdr + len;
    r->len -= hdr + len;
    return RLAB_OK;
}

/* A minimal non-negative INTEGER; *out gets its value without the sign byte
 * (zero: empty). */
static int bear_uint(struct bear_in *r, const char *what, struct rlab_buf *out)
{
    struct bear_in v;
    int rc = bear_tlv(r, BEAR_INTEGER, what, &v);
    if (rc != RLAB_OK)
        return rc;
    if (v.len == 0)
        return bear_fmt(what, "empty INTEGER");
    if (v.p[0] & 0x80)
        return bear_fmt(what, "negative INTEGER");
    if (v.len > 1 && v.p[0] == 0 && !(v.p[1] & 0x80))
        return bear_fmt(what, "INTEGER not in its shortest form");
    if (v.p[0] == 0) {
        v.p++;
        v.len--;
    }
    if (out == NULL)
        return RLAB_OK;
    return v.len == 0 ? RLAB_OK : rlab_buf_set(out, v.p, v.len);
}

static int bear_version0(struct bear_in *r, const char *what)
{
    struct bear_in v, save = *r;
    int rc = bear_tlv(&save, BEAR_INTEGER, what, &v);
    if (rc != RLAB_OK)
        return rc;
    if (v.len != 1 || v.p[0] != 0)
        return bear_fmt(what, "version is not 0");
    *r = save;
    return RLAB_OK;
}

/* The SEQUENCE filling all of r, whose content goes to *v. */
static int bear_outer(struct bear_in *r, const char *what, struct bear_in *v)
{
    int rc = bear_tlv(r, BEAR_SEQUENCE, what, v);
    if (rc == RLAB_OK && r->len != 0)
        rc = bear_fmt(what, "trailing bytes");
    return rc;
}

/* RSAPrivateKey ::= SEQUENCE { 0, n, e, d, p, q, dp, dq, qinv } */
static int bear_rsa_priv(struct bear_in r, struct rlab_components *c)
{
    static const char *const names[8] = {"RSAPrivateKey n",  "RSAPrivateKey e",
                                         "RSAPrivateKey d",  "RSAPrivateKey p",
                                         "RSAPrivateKey q",  "RSAPrivateKey dp",
                                         "RSAPrivateKey dq", "RSAPrivateKey qinv"};
    struct rlab_buf *dst[8] = {&c->n, &c->e, &c->d, &c->p, &c->q, &c->dp, &c->dq, &c->qinv};
    struct bear_in v;
    int rc = bear_outer(&r, "RSAPrivateKey", &v);
    if (rc == RLAB_OK)
        rc = bear_version0(&v, "RSAPrivateKey (multi-prime keys are not supported)");
    for (int i = 0; i < 8 && rc == RLAB_OK; i++)
        rc = bear_uint(&v, names[i], dst[i]);
    if (rc == RLAB_OK && v.len != 0)
        rc = bear_fmt("RSAPrivateKey", "extra data (multi-prime keys are not supported)");
    return rc;
}

/* RSAPublicKey ::= SEQUENCE { n, e } */
static int bear_rsa_pub(struct bear_in r, struct rlab_components *c)
{
    struct bear_in v;
    int rc = bear_outer(&r, "RSAPublicKey", &v);
    if (rc == RLAB_OK)
        rc = bear_uint(&v, "RSAPublicKey n", &c->n);
    if (rc == RLAB_OK)
        rc = bear_uint(&v, "RSAPublicKey e", &c->e);
    if (rc == RLAB_OK && v.len != 0)
        rc = bear_fmt("RSAPublicKey", "extra data");
    return rc;
}

static int bear_alg(struct bear_in *r, const char *what)
{
    /* The whole AlgorithmIdentifier has exactly one DER form. */
    if (r->len < sizeof bear_rsa_alg || r->p[0] != BEAR_SEQUENCE)
        return bear_fmt(what, "no AlgorithmIdentifier");
    if (memcmp(r->p, bear_rsa_alg, sizeof bear_rsa_alg) != 0)
        return bear_fmt(what, "algorithm is not rsaEncryption with NULL parameters");
    r->p += sizeof bear_rsa_alg;
    r->len -= sizeof bear_rsa_alg;
    return RLAB_OK;
}

/* PrivateKeyInfo ::= SEQUENCE { 0, AlgorithmIdentifier, OCTET STRING } */
static int bear_pkcs8(struct bear_in r, struct rlab_components *c)
{
    struct bear_in v, inner;
    int rc = bear_outer(&r, "PrivateKeyInfo", &v);
    if (rc == RLAB_OK)
        rc = bear_version0(&v, "PrivateKeyInfo");
    if (rc == RLAB_OK)
        rc = bear_alg(&v, "PrivateKeyInfo");
    if (rc == RLAB_OK)
        rc = bear_tlv(&v, BEAR_OCTET_STRING, "PrivateKeyInfo privateKey", &inner);
    if (rc == RLAB_OK && v.len != 0)
        rc = bear_fmt("PrivateKeyInfo", "attributes or extra data");
    if (rc == RLAB_OK)
        rc = bear_rsa_priv(inner, c);
    return rc;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING } */
static int bear_spki(struct bear_in r, struct rlab_components *c)
{
    struct bear_in v, bits;
    int rc = bear_outer(&r, "SubjectPublicKeyInfo", &v);
    if (rc == RLAB_OK)
        rc = bear_alg(&v, "SubjectPublicKeyInfo");
    if (rc == RLAB_OK)
        rc = bear_tlv(&v, BEAR_BIT_STRING, "SubjectPublicKeyInfo subjectPublicKey", &bits);
    if (rc == RLAB_OK && v.len != 0)
        rc = bear_fmt("SubjectPublicKeyInfo", "extra data");
    if (rc == RLAB_OK && (bits.len < 1 || bits.p[0] != 0))
        rc = bear_fmt("SubjectPublicKeyInfo", "BIT STRING with unused bits");
    if (rc == RLAB_OK) {
        bits.p++;
        bits.len--;
        rc = bear_rsa_pub(bits, c);
    }
    return rc;
}

/* see bear_internal.h */
int rlab_bear_der_decode(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                         struct rlab_components *out)
{
    const struct rlab_components empty = {0};
    *out = empty;
    if (der == NULL || len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");
    struct bear_in r = {der, len};
    int rc;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: rc = bear_rsa_priv(r, out); break;
    case RLAB_KEYFMT_PKCS1_PUB: rc = bear_rsa_pub(r, out); break;
    case RLAB_KEYFMT_PKCS8: rc = bear_pkcs8(r, out); break;
    case RLAB_KEYFMT_SPKI: rc = bear_spki(r, out); break;
    default: rc = RLAB_ERR_INVALID_ARG; break;
    }
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}

/* ---- writer ------------------------------------------------------------- */

static size_t bear_hdr_size(size_t len)
{
    size_t n = 2;
    for (size_t v = len; len >= 0x80 && v > 0; v >>= 8)
        n++;
    return n;
}

static uint8_t *bear_put_hdr(uint8_t *p, uint8_t tag, size_t len)
{
    *p++ = tag;
    if (len < 0x80) {
        *p++ = (uint8_t)len;
        return p;
    }
    size_t n = bear_hdr_size(len) - 2;
    *p++ = (uint8_t)(0x80 | n);
    for (size_t i = n; i > 0; i--)
        *p++ = (uint8_t)(len >> (8 * (i - 1)));
    return p;
}

/* Content bytes of the INTEGER of a minimal unsigned value (sign byte when
 * the top bit is set; zero is one 0x00 byte). */
static size_t bear_uint_content(const struct rlab_buf *v)
{
    if (v->len == 0)
        return 1;
    return v->len + ((v->data[0] & 0x80) != 0);
}

static uint8_t *bear_put_uint(uint8_t *p, const struct rlab_buf *v)
{
    size_t cl = bear_uint_content(v);
    p = bear_put_hdr(p, BEAR_INTEGER, cl);
    if (cl > v->len)
        *p++ = 0;
    if (v->len > 0)
        memcpy(p, v->data, v->len);
    return p + v->len;
}

/* see bear_internal.h */
int rlab_bear_der_encode_pub(rlab_keyfmt fmt, const struct rlab_buf *n,
                             const struct rlab_buf *e, struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    if (fmt != RLAB_KEYFMT_PKCS1_PUB && fmt != RLAB_KEYFMT_SPKI)
        return RLAB_ERR_INVALID_ARG;
    size_t nl = bear_uint_content(n), el = bear_uint_content(e);
    size_t body = bear_hdr_size(nl) + nl + bear_hdr_size(el) + el;
    size_t rsapub = bear_hdr_size(body) + body;
    size_t bits = rsapub + 1;
    size_t spki_body = sizeof bear_rsa_alg + bear_hdr_size(bits) + bits;
    size_t total = fmt == RLAB_KEYFMT_SPKI ? bear_hdr_size(spki_body) + spki_body : rsapub;
    int rc = rlab_buf_alloc(out, total);
    if (rc != RLAB_OK)
        return rc;
    uint8_t *p = out->data;
    if (fmt == RLAB_KEYFMT_SPKI) {
        p = bear_put_hdr(p, BEAR_SEQUENCE, spki_body);
        memcpy(p, bear_rsa_alg, sizeof bear_rsa_alg);
        p += sizeof bear_rsa_alg;
        p = bear_put_hdr(p, BEAR_BIT_STRING, bits);
        *p++ = 0; /* no unused bits */
    }
    p = bear_put_hdr(p, BEAR_SEQUENCE, body);
    p = bear_put_uint(p, n);
    p = bear_put_uint(p, e);
    return (size_t)(p - out->data) == total ? RLAB_OK : RLAB_ERR_BACKEND;
}
