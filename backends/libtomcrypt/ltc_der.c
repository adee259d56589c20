/*
 * Strict DER shape of the four key formats, checked before libtomcrypt sees
 * the bytes, and the PKCS#8 wrapping that libtomcrypt 1.18 cannot write.
 *
 * Why check first: rsa_import() tries SubjectPublicKeyInfo, then a PKCS#1
 * SEQUENCE of INTEGERs, and decides "private" from a first INTEGER of zero;
 * its DER decoder follows the data rather than a schema and reads INTEGERs
 * without asking for their minimal form.  The interface asks for exactly
 * the requested format, so the shape is decided here: single-byte tags,
 * definite lengths in their shortest form, INTEGERs minimal and
 * non-negative, versions 0, rsaEncryption with NULL parameters, BIT STRING
 * with no unused bits, no PKCS#8 attributes (as the gmp backend decides),
 * nothing left over at any level.  A failure here is RLAB_ERR_KEY_FORMAT;
 * what the key layer refuses afterwards is RLAB_ERR_KEY_INVALID.
 *
 * Everything here reads public input (the shape of the encoding) and may
 * branch on it; the INTEGER contents are not looked at beyond their first
 * two bytes.
 */
#include <string.h>

#include "base/buf.h"
#include "backends/libtomcrypt/ltc_internal.h"

#define LTC_T_INT 0x02
#define LTC_T_BITS 0x03
#define LTC_T_OCTETS 0x04
#define LTC_T_NULL 0x05
#define LTC_T_OID 0x06
#define LTC_T_SEQ 0x30

/* rsaEncryption, 1.2.840.113549.1.1.1 */
static const uint8_t ltc_rsa_oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};

struct ltc_rd {
    const uint8_t *p, *end;
};

static int ltc_bad(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s", what);
}

/* One element with tag `tag`: *v gets its contents; r moves past it.  The
 * length must be definite, minimal and fit in what remains. */
static int ltc_get(struct ltc_rd *r, uint8_t tag, struct ltc_span *v)
{
    size_t left = (size_t)(r->end - r->p);
    if (left < 2 || r->p[0] != tag)
        return -1;
    size_t len = r->p[1], hdr = 2;
    if (len & 0x80) {
        size_t nb = len & 0x7f;
        if (nb == 0 || nb > 4 || left < 2 + nb || r->p[2] == 0)
            return -1; /* indefinite, too long, or a leading zero byte */
        len = 0;
        for (size_t i = 0; i < nb; i++)
            len = (len << 8) | r->p[2 + i];
        if (len < 0x80)
            return -1; /* long form for a short length */
        hdr += nb;
    }
    if (len > left - hdr)
        return -1;
    v->p = r->p + hdr;
    v->len = len;
    r->p += hdr + len;
    return 0;
}

/* An INTEGER in minimal, non-negative form. */
static int ltc_int(struct ltc_rd *r, struct ltc_span *v)
{
    if (ltc_get(r, LTC_T_INT, v) != 0 || v->len == 0)
        return -1;
    if (v->p[0] & 0x80)
        return -1; /* negative */
    if (v->len > 1 && v->p[0] == 0 && !(v->p[1] & 0x80))
        return -1; /* superfluous leading zero */
    return 0;
}

static int ltc_int_zero(struct ltc_rd *r)
{
    struct ltc_span v;
    return ltc_int(r, &v) == 0 && v.len == 1 && v.p[0] == 0 ? 0 : -1;
}

/* The contents of a SEQUENCE that fills r exactly. */
static int ltc_seq_exact(struct ltc_rd *r, struct ltc_rd *in)
{
    struct ltc_span s;
    if (ltc_get(r, LTC_T_SEQ, &s) != 0 || r->p != r->end)
        return -1;
    in->p = s.p;
    in->end = s.p + s.len;
    return 0;
}

/* RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dp, dq, qinv } */
static int ltc_check_rsa_priv(const uint8_t *der, size_t len, struct ltc_span ne[2])
{
    struct ltc_rd r = {der, der + len}, in;
    struct ltc_span v;
    if (ltc_seq_exact(&r, &in) != 0)
        return ltc_bad("RSAPrivateKey: not one DER SEQUENCE");
    struct ltc_span ver;
    if (ltc_int(&in, &ver) != 0)
        return ltc_bad("RSAPrivateKey: bad version");
    if (ver.len != 1 || ver.p[0] != 0)
        return ltc_bad(ver.len == 1 && ver.p[0] == 1
                          ? "RSAPrivateKey: version 1 (multi-prime) not supported"
                          : "RSAPrivateKey: version is not 0");
    for (int i = 0; i < 8; i++) {
        if (ltc_int(&in, &v) != 0)
            return ltc_bad("RSAPrivateKey: bad or missing INTEGER");
        if (i < 2)
            ne[i] = v;
    }
    return in.p == in.end ? RLAB_OK : ltc_bad("RSAPrivateKey: extra data");
}

/* RSAPublicKey ::= SEQUENCE { n, e } */
static int ltc_check_rsa_pub(const uint8_t *der, size_t len, struct ltc_span ne[2])
{
    struct ltc_rd r = {der, der + len}, in;
    if (ltc_seq_exact(&r, &in) != 0)
        return ltc_bad("RSAPublicKey: not one DER SEQUENCE");
    if (ltc_int(&in, &ne[0]) != 0 || ltc_int(&in, &ne[1]) != 0)
        return ltc_bad("RSAPublicKey: bad or missing INTEGER");
    return in.p == in.end ? RLAB_OK : ltc_bad("RSAPublicKey: extra data");
}

/* AlgorithmIdentifier ::= SEQUENCE { rsaEncryption, NULL } */
static int ltc_check_alg(struct ltc_rd *r)
{
    struct ltc_span s, oid, null;
    if (ltc_get(r, LTC_T_SEQ, &s) != 0)
        return ltc_bad("AlgorithmIdentifier: not a SEQUENCE");
    struct ltc_rd a = {s.p, s.p + s.len};
    if (ltc_get(&a, LTC_T_OID, &oid) != 0)
        return ltc_bad("AlgorithmIdentifier: no OID");
    if (oid.len != sizeof ltc_rsa_oid || memcmp(oid.p, ltc_rsa_oid, oid.len) != 0)
        return ltc_bad("not an RSA key (algorithm is not rsaEncryption)");
    if (ltc_get(&a, LTC_T_NULL, &null) != 0 || null.len != 0 || a.p != a.end)
        return ltc_bad("rsaEncryption parameters must be NULL");
    return RLAB_OK;
}

/* PrivateKeyInfo ::= SEQUENCE { 0, AlgorithmIdentifier, OCTET STRING } */
static int ltc_check_pkcs8(const uint8_t *der, size_t len, struct ltc_span *inner,
                           struct ltc_span ne[2])
{
    struct ltc_rd r = {der, der + len}, in;
    if (ltc_seq_exact(&r, &in) != 0)
        return ltc_bad("PrivateKeyInfo: not one DER SEQUENCE");
    if (ltc_int_zero(&in) != 0)
        return ltc_bad("PrivateKeyInfo: version is not 0");
    int rc = ltc_check_alg(&in);
    if (rc != RLAB_OK)
        return rc;
    if (ltc_get(&in, LTC_T_OCTETS, inner) != 0)
        return ltc_bad("PrivateKeyInfo: no privateKey OCTET STRING");
    if (in.p != in.end)
        return ltc_bad("PrivateKeyInfo: attributes or extra data");
    return ltc_check_rsa_priv(inner->p, inner->len, ne);
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING } */
static int ltc_check_spki(const uint8_t *der, size_t len, struct ltc_span *inner,
                          struct ltc_span ne[2])
{
    struct ltc_rd r = {der, der + len}, in;
    struct ltc_span bits;
    if (ltc_seq_exact(&r, &in) != 0)
        return ltc_bad("SubjectPublicKeyInfo: not one DER SEQUENCE");
    int rc = ltc_check_alg(&in);
    if (rc != RLAB_OK)
        return rc;
    if (ltc_get(&in, LTC_T_BITS, &bits) != 0 || bits.len < 1 || in.p != in.end)
        return ltc_bad("SubjectPublicKeyInfo: bad subjectPublicKey");
    if (bits.p[0] != 0)
        return ltc_bad("SubjectPublicKeyInfo: BIT STRING with unused bits");
    inner->p = bits.p + 1;
    inner->len = bits.len - 1;
    return ltc_check_rsa_pub(inner->p, inner->len, ne);
}

/* see ltc_internal.h */
int rlab_ltc_der_check(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                       struct ltc_span *inner, struct ltc_span ne[2])
{
    inner->p = der;
    inner->len = len;
    if (der == NULL || len == 0)
        return ltc_bad("empty input");
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: return ltc_check_rsa_priv(der, len, ne);
    case RLAB_KEYFMT_PKCS1_PUB: return ltc_check_rsa_pub(der, len, ne);
    case RLAB_KEYFMT_PKCS8: return ltc_check_pkcs8(der, len, inner, ne);
    case RLAB_KEYFMT_SPKI: return ltc_check_spki(der, len, inner, ne);
    default: return RLAB_ERR_INVALID_ARG;
    }
}

/* Write tag and minimal length of `len` at p (NULL: count only); returns
 * the header size. */
static size_t ltc_put_hdr(uint8_t *p, uint8_t tag, size_t len)
{
    uint8_t tmp[6];
    size_t n = 0;
    tmp[n++] = tag;
    if (len < 0x80) {
        tmp[n++] = (uint8_t)len;
    } else {
        size_t nb = 0;
        for (size_t v = len; v > 0; v >>= 8)
            nb++;
        tmp[n++] = (uint8_t)(0x80 | nb);
        for (size_t i = nb; i > 0; i--)
            tmp[n++] = (uint8_t)(len >> (8 * (i - 1)));
    }
    if (p != NULL)
        memcpy(p, tmp, n);
    return n;
}

/* see ltc_internal.h */
int rlab_ltc_der_wrap_pkcs8(const uint8_t *rsa, size_t len, struct rlab_buf *out)
{
    /* version INTEGER 0, AlgorithmIdentifier { OID, NULL } */
    static const uint8_t head[] = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
                                   0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    size_t octets = ltc_put_hdr(NULL, LTC_T_OCTETS, len) + len;
    size_t body = sizeof head + octets;
    size_t total = ltc_put_hdr(NULL, LTC_T_SEQ, body) + body;
    int rc = rlab_buf_alloc(out, total);
    if (rc != RLAB_OK)
        return rc;
    uint8_t *p = out->data;
    p += ltc_put_hdr(p, LTC_T_SEQ, body);
    memcpy(p, head, sizeof head);
    p += sizeof head;
    p += ltc_put_hdr(p, LTC_T_OCTETS, len);
    memcpy(p, rsa, len);
    return RLAB_OK;
}
