/*
 * Our strict DER reader for the four key formats, run before wolfCrypt's
 * decoders see the bytes.  wc_RsaPrivateKeyDecode and wc_RsaPublicKeyDecode
 * are lenient where the interface is strict: they stop after the key and
 * leave trailing bytes to the caller, wc_RsaPublicKeyDecode takes either
 * public format for the other, and they accept some non-minimal encodings.
 * So the shape is decided here and wolfCrypt reads the numbers afterwards
 * (wolf_io.c); this reader also hands back the components, which the import
 * compares with what wolfCrypt read.
 *
 * What is accepted: single-byte tags, definite lengths in their shortest
 * form (at most 4 length bytes), every length checked against what remains,
 * INTEGERs minimal and non-negative, RSAPrivateKey and PrivateKeyInfo
 * version 0 only, no PKCS#8 attributes, rsaEncryption with NULL parameters,
 * a BIT STRING with no unused bits, and nothing after any structure, inner or
 * outer.  Every refusal is RLAB_ERR_KEY_FORMAT with a detail naming what was
 * wrong.  The reader follows the schema, so nesting depth is bounded by it.
 */
#include <string.h>

#include "base/ct.h"
#include "backends/wolfssl/wolf_internal.h"

enum {
    WOLF_INTEGER = 0x02,
    WOLF_BIT_STRING = 0x03,
    WOLF_OCTET_STRING = 0x04,
    WOLF_NULL = 0x05,
    WOLF_OID = 0x06,
    WOLF_SEQUENCE = 0x30,
};

/* rsaEncryption, 1.2.840.113549.1.1.1, as the full AlgorithmIdentifier
 * SEQUENCE { OID, NULL }. */
static const uint8_t wolf_rsa_alg[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48,
                                       0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

struct wolf_in {
    const uint8_t *p;
    size_t len;
};

static int wolf_fmt(const char *what, const char *why)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s: %s", what, why);
}

/* One TLV with tag `tag`; *v is its content and r moves past it. */
static int wolf_tlv(struct wolf_in *r, uint8_t tag, const char *what, struct wolf_in *v)
{
    if (r->len < 2)
        return wolf_fmt(what, "truncated");
    if (r->p[0] != tag)
        return wolf_fmt(what, "unexpected tag");
    size_t hdr = 2, len = r->p[1];
    if (len & 0x80) {
        size_t n = len & 0x7f;
        if (n == 0 || n > 4)
            return wolf_fmt(what, "indefinite or oversized length");
        if (r->len < 2 + n)
            return wolf_fmt(what, "truncated");
        if (r->p[2] == 0)
            return wolf_fmt(what, "length not in its shortest form");
        len = 0;
        for (size_t i = 0; i < n; i++)
            len = (len << 8) | r->p[2 + i];
        if (len < 0x80)
            return wolf_fmt(what, "length not in its shortest form");
        hdr += n;
    }
    if (len > r->len - hdr)
        return wolf_fmt(what, "truncated");
    v->p = r->p + hdr;
    v->len = len;
    r->p += hdr + len;
    r->len -= hdr + len;
    return RLAB_OK;
}

/* A minimal non-negative INTEGER; *out gets its value without the sign byte
 * (zero: empty). */
static int wolf_uint(struct wolf_in *r, const char *what, struct rlab_buf *out)
{
    struct wolf_in v;
    int rc = wolf_tlv(r, WOLF_INTEGER, what, &v);
    if (rc != RLAB_OK)
        return rc;
    if (v.len == 0)
        return wolf_fmt(what, "empty INTEGER");
    if (v.p[0] & 0x80)
        return wolf_fmt(what, "negative INTEGER");
    if (v.len > 1 && v.p[0] == 0 && !(v.p[1] & 0x80))
        return wolf_fmt(what, "INTEGER not in its shortest form");
    if (v.p[0] == 0) {
        v.p++;
        v.len--;
    }
    if (out == NULL)
        return RLAB_OK;
    return v.len == 0 ? RLAB_OK : rlab_buf_set(out, v.p, v.len);
}

static int wolf_version0(struct wolf_in *r, const char *what)
{
    struct wolf_in v, save = *r;
    int rc = wolf_tlv(&save, WOLF_INTEGER, what, &v);
    if (rc != RLAB_OK)
        return rc;
    if (v.len != 1 || v.p[0] != 0)
        return wolf_fmt(what, "version is not 0");
    *r = save;
    return RLAB_OK;
}

/* The SEQUENCE filling all of r, whose content goes to *v. */
static int wolf_outer(struct wolf_in *r, const char *what, struct wolf_in *v)
{
    int rc = wolf_tlv(r, WOLF_SEQUENCE, what, v);
    if (rc == RLAB_OK && r->len != 0)
        rc = wolf_fmt(what, "trailing bytes");
    return rc;
}

/* RSAPrivateKey ::= SEQUENCE { 0, n, e, d, p, q, dp, dq, qinv } */
static int wolf_rsa_priv(struct wolf_in r, struct rlab_components *c)
{
    static const char *const names[8] = {"RSAPrivateKey n",  "RSAPrivateKey e",
                                         "RSAPrivateKey d",  "RSAPrivateKey p",
                                         "RSAPrivateKey q",  "RSAPrivateKey dp",
                                         "RSAPrivateKey dq", "RSAPrivateKey qinv"};
    struct rlab_buf *dst[8] = {&c->n, &c->e, &c->d, &c->p, &c->q, &c->dp, &c->dq, &c->qinv};
    struct wolf_in v;
    int rc = wolf_outer(&r, "RSAPrivateKey", &v);
    if (rc == RLAB_OK)
        rc = wolf_version0(&v, "RSAPrivateKey (multi-prime keys are not supported)");
    for (int i = 0; i < 8 && rc == RLAB_OK; i++)
        rc = wolf_uint(&v, names[i], dst[i]);
    if (rc == RLAB_OK && v.len != 0)
        rc = wolf_fmt("RSAPrivateKey", "extra data (multi-prime keys are not supported)");
    return rc;
}

/* RSAPublicKey ::= SEQUENCE { n, e } */
static int wolf_rsa_pub(struct wolf_in r, struct rlab_components *c)
{
    struct wolf_in v;
    int rc = wolf_outer(&r, "RSAPublicKey", &v);
    if (rc == RLAB_OK)
        rc = wolf_uint(&v, "RSAPublicKey n", &c->n);
    if (rc == RLAB_OK)
        rc = wolf_uint(&v, "RSAPublicKey e", &c->e);
    if (rc == RLAB_OK && v.len != 0)
        rc = wolf_fmt("RSAPublicKey", "extra data");
    return rc;
}

static int wolf_alg(struct wolf_in *r, const char *what)
{
    /* The whole AlgorithmIdentifier has exactly one DER form. */
    if (r->len < sizeof wolf_rsa_alg || r->p[0] != WOLF_SEQUENCE)
        return wolf_fmt(what, "no AlgorithmIdentifier");
    if (memcmp(r->p, wolf_rsa_alg, sizeof wolf_rsa_alg) != 0)
        return wolf_fmt(what, "algorithm is not rsaEncryption with NULL parameters");
    r->p += sizeof wolf_rsa_alg;
    r->len -= sizeof wolf_rsa_alg;
    return RLAB_OK;
}

/* PrivateKeyInfo ::= SEQUENCE { 0, AlgorithmIdentifier, OCTET STRING } */
static int wolf_pkcs8(struct wolf_in r, struct rlab_components *c)
{
    struct wolf_in v, inner;
    int rc = wolf_outer(&r, "PrivateKeyInfo", &v);
    if (rc == RLAB_OK)
        rc = wolf_version0(&v, "PrivateKeyInfo");
    if (rc == RLAB_OK)
        rc = wolf_alg(&v, "PrivateKeyInfo");
    if (rc == RLAB_OK)
        rc = wolf_tlv(&v, WOLF_OCTET_STRING, "PrivateKeyInfo privateKey", &inner);
    if (rc == RLAB_OK && v.len != 0)
        rc = wolf_fmt("PrivateKeyInfo", "attributes or extra data");
    if (rc == RLAB_OK)
        rc = wolf_rsa_priv(inner, c);
    return rc;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING } */
static int wolf_spki(struct wolf_in r, struct rlab_components *c)
{
    struct wolf_in v, bits;
    int rc = wolf_outer(&r, "SubjectPublicKeyInfo", &v);
    if (rc == RLAB_OK)
        rc = wolf_alg(&v, "SubjectPublicKeyInfo");
    if (rc == RLAB_OK)
        rc = wolf_tlv(&v, WOLF_BIT_STRING, "SubjectPublicKeyInfo subjectPublicKey", &bits);
    if (rc == RLAB_OK && v.len != 0)
        rc = wolf_fmt("SubjectPublicKeyInfo", "extra data");
    if (rc == RLAB_OK && (bits.len < 1 || bits.p[0] != 0))
        rc = wolf_fmt("SubjectPublicKeyInfo", "BIT STRING with unused bits");
    if (rc == RLAB_OK) {
        bits.p++;
        bits.len--;
        rc = wolf_rsa_pub(bits, c);
    }
    return rc;
}

/* see wolf_internal.h */
int rlab_wolf_der_decode(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                         struct rlab_components *out)
{
    const struct rlab_components empty = {0};
    *out = empty;
    if (der == NULL || len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");
    struct wolf_in r = {der, len};
    int rc;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: rc = wolf_rsa_priv(r, out); break;
    case RLAB_KEYFMT_PKCS1_PUB: rc = wolf_rsa_pub(r, out); break;
    case RLAB_KEYFMT_PKCS8: rc = wolf_pkcs8(r, out); break;
    case RLAB_KEYFMT_SPKI: rc = wolf_spki(r, out); break;
    default: rc = RLAB_ERR_INVALID_ARG; break;
    }
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}
