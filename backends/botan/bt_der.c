/*
 * Strict DER shape of the four key formats, checked before Botan sees the
 * bytes, and an RSAPrivateKey writer for keys built from components.
 *
 * Why check first: Botan's BER_Decoder is a BER decoder (it takes
 * non-minimal lengths and INTEGERs), its PKCS#8 loader also accepts
 * encrypted keys and other algorithms, and its SPKI loader accepts any
 * public key.  The interface asks for exactly the requested format, so the
 * shape is decided here, with the same rules as the libtomcrypt and mbedtls
 * backends: single-byte tags, definite lengths in their shortest form,
 * INTEGERs minimal and non-negative, versions 0, rsaEncryption with NULL
 * parameters, BIT STRING with no unused bits, no PKCS#8 attributes, nothing
 * left over at any level.  A failure here is RLAB_ERR_KEY_FORMAT; what the
 * key layer refuses afterwards is RLAB_ERR_KEY_INVALID.
 *
 * Everything here reads public input (the shape of the encoding) and may
 * branch on it; the INTEGER contents are only located, not interpreted.
 */
#include <string.h>

#include "base/buf.h"
#include "backends/botan/bt_internal.h"

#define BT_T_INT 0x02
#define BT_T_BITS 0x03
#define BT_T_OCTETS 0x04
#define BT_T_NULL 0x05
#define BT_T_OID 0x06
#define BT_T_SEQ 0x30

/* rsaEncryption, 1.2.840.113549.1.1.1 */
static const uint8_t bt_rsa_oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};

struct bt_rd {
    const uint8_t *p, *end;
};

static int bt_bad(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s", what);
}

/* One element with tag `tag`: *v gets its contents; r moves past it.  The
 * length must be definite, minimal and fit in what remains. */
static int bt_get(struct bt_rd *r, uint8_t tag, struct bt_span *v)
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

/* An INTEGER in minimal, non-negative form; *v gets its value without the
 * sign byte (zero is one byte 0x00). */
static int bt_int(struct bt_rd *r, struct bt_span *v)
{
    if (bt_get(r, BT_T_INT, v) != 0 || v->len == 0)
        return -1;
    if (v->p[0] & 0x80)
        return -1; /* negative */
    if (v->len > 1 && v->p[0] == 0 && !(v->p[1] & 0x80))
        return -1; /* superfluous leading zero */
    if (v->len > 1 && v->p[0] == 0) {
        v->p++;
        v->len--;
    }
    return 0;
}

static int bt_int_zero(struct bt_rd *r)
{
    struct bt_span v;
    return bt_int(r, &v) == 0 && v.len == 1 && v.p[0] == 0 ? 0 : -1;
}

/* The contents of a SEQUENCE that fills r exactly. */
static int bt_seq_exact(struct bt_rd *r, struct bt_rd *in)
{
    struct bt_span s;
    if (bt_get(r, BT_T_SEQ, &s) != 0 || r->p != r->end)
        return -1;
    in->p = s.p;
    in->end = s.p + s.len;
    return 0;
}

/* RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dp, dq, qinv } */
static int bt_check_rsa_priv(const uint8_t *der, size_t len, struct bt_span v[8])
{
    struct bt_rd r = {der, der + len}, in;
    if (bt_seq_exact(&r, &in) != 0)
        return bt_bad("RSAPrivateKey: not one DER SEQUENCE");
    struct bt_span ver;
    if (bt_int(&in, &ver) != 0)
        return bt_bad("RSAPrivateKey: bad version");
    if (ver.len != 1 || ver.p[0] != 0)
        return bt_bad(ver.len == 1 && ver.p[0] == 1
                          ? "RSAPrivateKey: version 1 (multi-prime) not supported"
                          : "RSAPrivateKey: version is not 0");
    for (int i = 0; i < 8; i++)
        if (bt_int(&in, &v[i]) != 0)
            return bt_bad("RSAPrivateKey: bad or missing INTEGER");
    return in.p == in.end ? RLAB_OK : bt_bad("RSAPrivateKey: extra data");
}

/* RSAPublicKey ::= SEQUENCE { n, e } */
static int bt_check_rsa_pub(const uint8_t *der, size_t len, struct bt_span v[2])
{
    struct bt_rd r = {der, der + len}, in;
    if (bt_seq_exact(&r, &in) != 0)
        return bt_bad("RSAPublicKey: not one DER SEQUENCE");
    if (bt_int(&in, &v[0]) != 0 || bt_int(&in, &v[1]) != 0)
        return bt_bad("RSAPublicKey: bad or missing INTEGER");
    return in.p == in.end ? RLAB_OK : bt_bad("RSAPublicKey: extra data");
}

/* AlgorithmIdentifier ::= SEQUENCE { rsaEncryption, NULL } */
static int bt_check_alg(struct bt_rd *r)
{
    struct bt_span s, oid, null;
    if (bt_get(r, BT_T_SEQ, &s) != 0)
        return bt_bad("AlgorithmIdentifier: not a SEQUENCE");
    struct bt_rd a = {s.p, s.p + s.len};
    if (bt_get(&a, BT_T_OID, &oid) != 0)
        return bt_bad("AlgorithmIdentifier: no OID");
    if (oid.len != sizeof bt_rsa_oid || memcmp(oid.p, bt_rsa_oid, oid.len) != 0)
        return bt_bad("not an RSA key (algorithm is not rsaEncryption)");
    if (bt_get(&a, BT_T_NULL, &null) != 0 || null.len != 0 || a.p != a.end)
        return bt_bad("rsaEncryption parameters must be NULL");
    return RLAB_OK;
}

/* PrivateKeyInfo ::= SEQUENCE { 0, AlgorithmIdentifier, OCTET STRING } */
static int bt_check_pkcs8(const uint8_t *der, size_t len, struct bt_span *inner,
                          struct bt_span v[8])
{
    struct bt_rd r = {der, der + len}, in;
    if (bt_seq_exact(&r, &in) != 0)
        return bt_bad("PrivateKeyInfo: not one DER SEQUENCE");
    if (bt_int_zero(&in) != 0)
        return bt_bad("PrivateKeyInfo: version is not 0");
    int rc = bt_check_alg(&in);
    if (rc != RLAB_OK)
        return rc;
    if (bt_get(&in, BT_T_OCTETS, inner) != 0)
        return bt_bad("PrivateKeyInfo: no privateKey OCTET STRING");
    if (in.p != in.end)
        return bt_bad("PrivateKeyInfo: attributes or extra data");
    return bt_check_rsa_priv(inner->p, inner->len, v);
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING } */
static int bt_check_spki(const uint8_t *der, size_t len, struct bt_span *inner,
                         struct bt_span v[2])
{
    struct bt_rd r = {der, der + len}, in;
    struct bt_span bits;
    if (bt_seq_exact(&r, &in) != 0)
        return bt_bad("SubjectPublicKeyInfo: not one DER SEQUENCE");
    int rc = bt_check_alg(&in);
    if (rc != RLAB_OK)
        return rc;
    if (bt_get(&in, BT_T_BITS, &bits) != 0 || bits.len < 1 || in.p != in.end)
        return bt_bad("SubjectPublicKeyInfo: bad subjectPublicKey");
    if (bits.p[0] != 0)
        return bt_bad("SubjectPublicKeyInfo: BIT STRING with unused bits");
    inner->p = bits.p + 1;
    inner->len = bits.len - 1;
    return bt_check_rsa_pub(inner->p, inner->len, v);
}

/* see bt_internal.h */
int rlab_bt_der_parse(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                      struct bt_der_key *out)
{
    const struct bt_der_key empty = {0};
    *out = empty;
    out->inner.p = der;
    out->inner.len = len;
    if (der == NULL || len == 0)
        return bt_bad("empty input");
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: return bt_check_rsa_priv(der, len, out->v);
    case RLAB_KEYFMT_PKCS1_PUB: return bt_check_rsa_pub(der, len, out->v);
    case RLAB_KEYFMT_PKCS8: return bt_check_pkcs8(der, len, &out->inner, out->v);
    case RLAB_KEYFMT_SPKI: return bt_check_spki(der, len, &out->inner, out->v);
    default: return RLAB_ERR_INVALID_ARG;
    }
}

/* Write tag and minimal length of `len` at p (NULL: count only); returns
 * the header size. */
static size_t bt_put_hdr(uint8_t *p, uint8_t tag, size_t len)
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

/* Content bytes of the INTEGER for big-endian b: leading zeros dropped,
 * a 0x00 sign byte added when the top bit is set; zero is one 0x00. */
static size_t bt_int_body(const struct rlab_buf *b, size_t *skip, int *pad)
{
    size_t i = 0;
    while (i < b->len && b->data[i] == 0)
        i++;
    *skip = i;
    if (i == b->len) {
        *pad = 1;
        return 1;
    }
    *pad = (b->data[i] & 0x80) != 0;
    return b->len - i + (size_t)*pad;
}

/* see bt_internal.h */
int rlab_bt_der_write_priv(const struct rlab_buf v[8], struct rlab_buf *out)
{
    size_t skip[8], body = 3; /* version INTEGER 0 */
    int pad[8];
    for (int i = 0; i < 8; i++) {
        size_t n = bt_int_body(&v[i], &skip[i], &pad[i]);
        body += bt_put_hdr(NULL, BT_T_INT, n) + n;
    }
    size_t total = bt_put_hdr(NULL, BT_T_SEQ, body) + body;
    int rc = rlab_buf_alloc(out, total);
    if (rc != RLAB_OK)
        return rc;
    uint8_t *p = out->data;
    p += bt_put_hdr(p, BT_T_SEQ, body);
    static const uint8_t version[] = {0x02, 0x01, 0x00};
    memcpy(p, version, sizeof version);
    p += sizeof version;
    for (int i = 0; i < 8; i++) {
        size_t n = v[i].len - skip[i];
        p += bt_put_hdr(p, BT_T_INT, n + (size_t)pad[i]);
        if (pad[i])
            *p++ = 0;
        if (n > 0)
            memcpy(p, v[i].data + skip[i], n);
        p += n;
    }
    return RLAB_OK;
}
