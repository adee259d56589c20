/*
 * DER shapes of the four key formats, checked strictly before mbedtls_pk sees
 * the bytes, and the PKCS#8 writer that mbedTLS 2.28 lacks.
 *
 * Why check first: mbedtls_pk_parse_key() tries PKCS#8, then PKCS#1, then
 * SEC1, and mbedtls_pk_parse_public_key() tries RSAPublicKey, then SPKI; both
 * accept some trailing bytes after a well-formed prefix and non-minimal
 * lengths.  The interface asks for exactly the requested format, so the shape
 * is decided here (every length minimal, INTEGERs minimal and non-negative,
 * versions 0, rsaEncryption with NULL parameters, nothing left over), and a
 * failure here is RLAB_ERR_KEY_FORMAT.  What mbedTLS refuses afterwards in a
 * well-shaped encoding is a bad key, RLAB_ERR_KEY_INVALID (mbed_io.c).
 *
 * All functions read public input and may branch on it.
 */
#include <stdint.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/oid.h>

#include "backends/mbedtls/mbed_internal.h"

#define MBED_SEQ (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)
#define MBED_ATTRS (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0)

/* Bytes a minimal DER length field takes for `len`. */
static size_t mbed_len_size(size_t len)
{
    size_t n = 1;
    if (len >= 0x80)
        for (size_t v = len; v > 0; v >>= 8)
            n++;
    return n;
}

/* One tag and its length, which must be in minimal form and fit before end. */
static int mbed_tag(unsigned char **p, const unsigned char *end, size_t *len, int tag)
{
    unsigned char *start = *p;
    if (mbedtls_asn1_get_tag(p, end, len, tag) != 0)
        return -1;
    return (size_t)(*p - start) == 1 + mbed_len_size(*len) ? 0 : -1;
}

/* An INTEGER in minimal, non-negative form; *v, *vlen give its content. */
static int mbed_int(unsigned char **p, const unsigned char *end,
                    const unsigned char **v, size_t *vlen)
{
    size_t len;
    if (mbed_tag(p, end, &len, MBEDTLS_ASN1_INTEGER) != 0 || len == 0)
        return -1;
    const unsigned char *c = *p;
    if (c[0] & 0x80)
        return -1; /* negative */
    if (len > 1 && c[0] == 0 && !(c[1] & 0x80))
        return -1; /* superfluous leading zero */
    *v = c;
    *vlen = len;
    *p += len;
    return 0;
}

static int mbed_int_zero(unsigned char **p, const unsigned char *end)
{
    const unsigned char *v;
    size_t vlen;
    return mbed_int(p, end, &v, &vlen) == 0 && vlen == 1 && v[0] == 0 ? 0 : -1;
}

/* SEQUENCE that ends exactly at `end`. */
static int mbed_seq_exact(unsigned char **p, const unsigned char *end)
{
    size_t len;
    if (mbed_tag(p, end, &len, MBED_SEQ) != 0)
        return -1;
    return *p + len == end ? 0 : -1;
}

static int mbed_bad(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s", what);
}

/* RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dp, dq, qinv } */
static int mbed_check_rsa_priv(unsigned char *p, const unsigned char *end)
{
    const unsigned char *v;
    size_t vlen;
    if (mbed_seq_exact(&p, end) != 0)
        return mbed_bad("RSAPrivateKey: not one DER SEQUENCE");
    unsigned char *ver = p;
    if (mbed_int_zero(&p, end) != 0) {
        if (mbed_int(&ver, end, &v, &vlen) == 0 && vlen == 1 && v[0] == 1)
            return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                                  "mbedtls: RSAPrivateKey version 1: mbedTLS 2.28 has no "
                                  "multi-prime RSA keys (RFC 8017 3.2)");
        return mbed_bad("RSAPrivateKey: version is not 0 (two-prime)");
    }
    for (int i = 0; i < 8; i++)
        if (mbed_int(&p, end, &v, &vlen) != 0)
            return mbed_bad("RSAPrivateKey: bad or missing INTEGER");
    return p == end ? RLAB_OK : mbed_bad("RSAPrivateKey: extra data");
}

/* RSAPublicKey ::= SEQUENCE { n, e } */
static int mbed_check_rsa_pub(unsigned char *p, const unsigned char *end)
{
    const unsigned char *v;
    size_t vlen;
    if (mbed_seq_exact(&p, end) != 0)
        return mbed_bad("RSAPublicKey: not one DER SEQUENCE");
    if (mbed_int(&p, end, &v, &vlen) != 0 || mbed_int(&p, end, &v, &vlen) != 0)
        return mbed_bad("RSAPublicKey: bad or missing INTEGER");
    return p == end ? RLAB_OK : mbed_bad("RSAPublicKey: extra data");
}

/* AlgorithmIdentifier { rsaEncryption, NULL } */
static int mbed_check_alg(unsigned char **p, const unsigned char *end)
{
    static const char oid[] = MBEDTLS_OID_PKCS1_RSA;
    size_t len, olen;
    if (mbed_tag(p, end, &len, MBED_SEQ) != 0)
        return mbed_bad("AlgorithmIdentifier: not a SEQUENCE");
    const unsigned char *aend = *p + len;
    if (mbed_tag(p, aend, &olen, MBEDTLS_ASN1_OID) != 0)
        return mbed_bad("AlgorithmIdentifier: no OID");
    if (olen != sizeof oid - 1 || memcmp(*p, oid, olen) != 0)
        return mbed_bad("not an RSA key (algorithm is not rsaEncryption)");
    *p += olen;
    if (mbed_tag(p, aend, &len, MBEDTLS_ASN1_NULL) != 0 || len != 0 || *p != aend)
        return mbed_bad("rsaEncryption parameters must be NULL");
    return RLAB_OK;
}

/* PrivateKeyInfo ::= SEQUENCE { 0, AlgorithmIdentifier, OCTET STRING
 * (RSAPrivateKey), [0] attributes OPTIONAL } */
static int mbed_check_pkcs8(unsigned char *p, const unsigned char *end)
{
    size_t len;
    if (mbed_seq_exact(&p, end) != 0)
        return mbed_bad("PrivateKeyInfo: not one DER SEQUENCE");
    if (mbed_int_zero(&p, end) != 0)
        return mbed_bad("PrivateKeyInfo: version is not 0");
    int rc = mbed_check_alg(&p, end);
    if (rc != RLAB_OK)
        return rc;
    if (mbed_tag(&p, end, &len, MBEDTLS_ASN1_OCTET_STRING) != 0)
        return mbed_bad("PrivateKeyInfo: no privateKey OCTET STRING");
    rc = mbed_check_rsa_priv(p, p + len);
    if (rc != RLAB_OK)
        return rc;
    p += len;
    if (p != end && (mbed_tag(&p, end, &len, MBED_ATTRS) != 0 || p + len != end))
        return mbed_bad("PrivateKeyInfo: extra data");
    return RLAB_OK;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING
 * (RSAPublicKey) } */
static int mbed_check_spki(unsigned char *p, const unsigned char *end)
{
    size_t len;
    if (mbed_seq_exact(&p, end) != 0)
        return mbed_bad("SubjectPublicKeyInfo: not one DER SEQUENCE");
    int rc = mbed_check_alg(&p, end);
    if (rc != RLAB_OK)
        return rc;
    if (mbed_tag(&p, end, &len, MBEDTLS_ASN1_BIT_STRING) != 0 || len < 1 ||
        p + len != end)
        return mbed_bad("SubjectPublicKeyInfo: bad subjectPublicKey");
    if (p[0] != 0)
        return mbed_bad("SubjectPublicKeyInfo: BIT STRING with unused bits");
    return mbed_check_rsa_pub(p + 1, end);
}

/* see mbed_internal.h */
int rlab_mbed_der_check(rlab_keyfmt fmt, const uint8_t *der, size_t len)
{
    /* mbedtls_asn1_get_* take non-const pointers but only read. */
    unsigned char *p = (unsigned char *)(uintptr_t)der;
    const unsigned char *end = p + len;
    if (der == NULL || len == 0)
        return mbed_bad("empty input");
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: return mbed_check_rsa_priv(p, end);
    case RLAB_KEYFMT_PKCS1_PUB: return mbed_check_rsa_pub(p, end);
    case RLAB_KEYFMT_PKCS8: return mbed_check_pkcs8(p, end);
    case RLAB_KEYFMT_SPKI: return mbed_check_spki(p, end);
    default: return RLAB_ERR_INVALID_ARG;
    }
}

/* n and e of the RSA key SEQUENCE at p (after the version when private). */
static int mbed_ne(unsigned char *p, const unsigned char *end, int is_private,
                   const uint8_t **n, size_t *nlen, const uint8_t **e, size_t *elen)
{
    size_t len;
    if (mbed_tag(&p, end, &len, MBED_SEQ) != 0)
        return -1;
    end = p + len;
    if (is_private && mbed_int_zero(&p, end) != 0)
        return -1;
    return mbed_int(&p, end, n, nlen) == 0 && mbed_int(&p, end, e, elen) == 0 ? 0 : -1;
}

/* see mbed_internal.h */
int rlab_mbed_der_public(rlab_keyfmt fmt, const uint8_t *der, size_t len, const uint8_t **n,
                         size_t *nlen, const uint8_t **e, size_t *elen)
{
    unsigned char *p = (unsigned char *)(uintptr_t)der;
    const unsigned char *end = p + len;
    size_t l;
    if (rlab_mbed_der_check(fmt, der, len) != RLAB_OK)
        return -1;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: return mbed_ne(p, end, 1, n, nlen, e, elen);
    case RLAB_KEYFMT_PKCS1_PUB: return mbed_ne(p, end, 0, n, nlen, e, elen);
    case RLAB_KEYFMT_PKCS8:
        /* SEQUENCE { 0, AlgorithmIdentifier, OCTET STRING { key } } */
        if (mbed_tag(&p, end, &l, MBED_SEQ) != 0 || mbed_int_zero(&p, end) != 0 ||
            mbed_tag(&p, end, &l, MBED_SEQ) != 0)
            return -1;
        p += l;
        if (mbed_tag(&p, end, &l, MBEDTLS_ASN1_OCTET_STRING) != 0)
            return -1;
        return mbed_ne(p, p + l, 1, n, nlen, e, elen);
    case RLAB_KEYFMT_SPKI:
        /* SEQUENCE { AlgorithmIdentifier, BIT STRING { 00, key } } */
        if (mbed_tag(&p, end, &l, MBED_SEQ) != 0 || mbed_tag(&p, end, &l, MBED_SEQ) != 0)
            return -1;
        p += l;
        if (mbed_tag(&p, end, &l, MBEDTLS_ASN1_BIT_STRING) != 0 || l < 1)
            return -1;
        return mbed_ne(p + 1, p + l, 0, n, nlen, e, elen);
    default: return -1;
    }
}

/* see mbed_internal.h */
int rlab_mbed_der_wrap_pkcs8(uint8_t *buf, size_t size, size_t *len)
{
    static const char oid[] = MBEDTLS_OID_PKCS1_RSA;
    unsigned char *p = buf + size - *len;
    size_t n = *len;
    int ret;
#define MBED_W(call)                                                           \
    do {                                                                       \
        if ((ret = (call)) < 0)                                                \
            return RLAB_ERR_BUFFER_TOO_SMALL;                                  \
        n += (size_t)ret;                                                      \
    } while (0)
    MBED_W(mbedtls_asn1_write_len(&p, buf, n));
    MBED_W(mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_OCTET_STRING));
    /* par_len 0: the function writes the NULL parameters itself */
    MBED_W(mbedtls_asn1_write_algorithm_identifier(&p, buf, oid, sizeof oid - 1, 0));
    MBED_W(mbedtls_asn1_write_int(&p, buf, 0));
    MBED_W(mbedtls_asn1_write_len(&p, buf, n));
    MBED_W(mbedtls_asn1_write_tag(&p, buf, MBED_SEQ));
#undef MBED_W
    *len = n;
    return RLAB_OK;
}
