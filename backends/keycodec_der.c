/*
 * The four RSA key structures in strict DER, read into and written from
 * struct rlab_components, for the backends whose library has no DER of its
 * own or one too lax for the interface (see backends/keycodec.h).
 *
 *   RSAPrivateKey  ::= SEQUENCE { version 0, n, e, d, p, q, dp, dq, qinv }
 *   RSAPublicKey   ::= SEQUENCE { n, e }
 *   PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier,
 *                                 OCTET STRING (RSAPrivateKey) }
 *   SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier,
 *                                 BIT STRING (0 unused bits, RSAPublicKey) }
 *   AlgorithmIdentifier ::= SEQUENCE { rsaEncryption, NULL }
 *
 * The reader follows the schema: it reads only the tag it expects next, and
 * each length is compared with the bytes left before anything is touched.
 * Key bytes are public in structure (tags, lengths) and secret in content;
 * the reader branches on structure only, except for the sign and leading
 * byte of each INTEGER, which the DER rules make unavoidable.
 */
#include <string.h>

#include "backends/keycodec.h"

enum {
    KC_INTEGER = 0x02,
    KC_BIT_STRING = 0x03,
    KC_OCTET_STRING = 0x04,
    KC_NULL = 0x05,
    KC_OID = 0x06,
    KC_SEQUENCE = 0x30,
};

/* AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL } */
static const uint8_t kc_alg_rsa[15] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                        0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

static const char *const kc_label[RLAB_KEYFMT_COUNT] = {
    [RLAB_KEYFMT_PKCS1_PRIV] = "RSA PRIVATE KEY",
    [RLAB_KEYFMT_PKCS1_PUB] = "RSA PUBLIC KEY",
    [RLAB_KEYFMT_PKCS8] = "PRIVATE KEY",
    [RLAB_KEYFMT_SPKI] = "PUBLIC KEY",
};

/* see keycodec.h */
const char *rlab_keycodec_pem_label(rlab_keyfmt fmt)
{
    return (unsigned)fmt < RLAB_KEYFMT_COUNT ? kc_label[fmt] : NULL;
}

/* ---- reader ---------------------------------------------------------------- */

/* Bytes still to read, and the name of the structure they belong to. */
struct kc_rd {
    const uint8_t *p;
    size_t len;
    const char *what;
};

static int kc_bad(const struct kc_rd *r, const char *field, const char *why)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s: %s: %s", r->what, field, why);
}

/* One TLV with tag `tag`; *val gets its content and r moves past it. */
static int kc_tlv(struct kc_rd *r, uint8_t tag, const char *field, struct kc_rd *val)
{
    if (r->len < 2)
        return kc_bad(r, field, r->len == 0 ? "missing" : "truncated");
    if (r->p[0] != tag)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s: %s: tag 0x%02x, expected 0x%02x",
                              r->what, field, r->p[0], tag);
    size_t hdr = 2, vlen = r->p[1];
    if (vlen == 0x80)
        return kc_bad(r, field, "indefinite length (BER)");
    if (vlen > 0x80) {
        size_t nb = vlen & 0x7f;
        if (nb > 4)
            return kc_bad(r, field, "length field over 4 bytes");
        if (r->len - 2 < nb)
            return kc_bad(r, field, "truncated in its length");
        if (r->p[2] == 0)
            return kc_bad(r, field, "non-minimal length (leading zero)");
        vlen = 0;
        for (size_t i = 0; i < nb; i++)
            vlen = vlen << 8 | r->p[2 + i];
        if (vlen < 0x80)
            return kc_bad(r, field, "non-minimal length (long form below 128)");
        hdr += nb;
    }
    if (vlen > r->len - hdr)
        return kc_bad(r, field, "length runs past the end of the input");
    val->p = r->p + hdr;
    val->len = vlen;
    val->what = r->what;
    r->p += hdr + vlen;
    r->len -= hdr + vlen;
    return RLAB_OK;
}

/* A minimal non-negative INTEGER; out gets its magnitude (0 is one 0x00). */
static int kc_uint(struct kc_rd *r, const char *field, struct rlab_buf *out)
{
    struct kc_rd v;
    int rc = kc_tlv(r, KC_INTEGER, field, &v);
    if (rc != RLAB_OK)
        return rc;
    if (v.len == 0)
        return kc_bad(r, field, "INTEGER without content");
    if (v.p[0] & 0x80)
        return kc_bad(r, field, "negative INTEGER");
    if (v.len > 1 && v.p[0] == 0) {
        if (!(v.p[1] & 0x80))
            return kc_bad(r, field, "non-minimal INTEGER (superfluous leading 0x00)");
        v.p++;
        v.len--;
    }
    return out != NULL ? rlab_buf_set(out, v.p, v.len) : RLAB_OK;
}

/* version INTEGER, which must be 0. */
static int kc_version0(struct kc_rd *r)
{
    struct rlab_buf v = RLAB_BUF_INIT;
    int rc = kc_uint(r, "version", &v);
    if (rc == RLAB_OK && !(v.len == 1 && v.data[0] == 0))
        rc = kc_bad(r, "version", "not 0 (multi-prime keys are not supported)");
    rlab_buf_clear(&v);
    return rc;
}

static int kc_end(const struct kc_rd *r)
{
    if (r->len != 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s: %zu trailing bytes", r->what, r->len);
    return RLAB_OK;
}

static int kc_read_rsa(struct kc_rd *in, int priv, struct rlab_components *c)
{
    static const char *const names[8] = {"n", "e", "d", "p", "q", "dp", "dq", "qinv"};
    struct rlab_buf *dst[8] = {&c->n, &c->e, &c->d, &c->p, &c->q, &c->dp, &c->dq, &c->qinv};
    struct kc_rd seq;
    in->what = priv ? "RSAPrivateKey" : "RSAPublicKey";
    int rc = kc_tlv(in, KC_SEQUENCE, "SEQUENCE", &seq);
    if (rc == RLAB_OK)
        rc = kc_end(in);
    if (rc == RLAB_OK && priv)
        rc = kc_version0(&seq);
    for (int i = 0; rc == RLAB_OK && i < (priv ? 8 : 2); i++)
        rc = kc_uint(&seq, names[i], dst[i]);
    return rc == RLAB_OK ? kc_end(&seq) : rc;
}

static int kc_read_alg(struct kc_rd *r)
{
    struct kc_rd alg, oid, par;
    int rc = kc_tlv(r, KC_SEQUENCE, "AlgorithmIdentifier", &alg);
    if (rc == RLAB_OK)
        rc = kc_tlv(&alg, KC_OID, "algorithm", &oid);
    if (rc != RLAB_OK)
        return rc;
    if (oid.len != kc_alg_rsa[3] || memcmp(oid.p, kc_alg_rsa + 4, oid.len) != 0)
        return kc_bad(r, "algorithm", "not rsaEncryption");
    rc = kc_tlv(&alg, KC_NULL, "parameters", &par);
    if (rc == RLAB_OK && par.len != 0)
        rc = kc_bad(r, "parameters", "NULL with content");
    return rc == RLAB_OK ? kc_end(&alg) : rc;
}

static int kc_read_pkcs8(struct kc_rd *in, struct rlab_components *c)
{
    struct kc_rd seq, oct;
    in->what = "PrivateKeyInfo";
    int rc = kc_tlv(in, KC_SEQUENCE, "SEQUENCE", &seq);
    if (rc == RLAB_OK)
        rc = kc_end(in);
    if (rc == RLAB_OK)
        rc = kc_version0(&seq);
    if (rc == RLAB_OK)
        rc = kc_read_alg(&seq);
    if (rc == RLAB_OK)
        rc = kc_tlv(&seq, KC_OCTET_STRING, "privateKey", &oct);
    /* No [0] attributes and no version-1 public key: one encoding per key. */
    if (rc == RLAB_OK)
        rc = kc_end(&seq);
    return rc == RLAB_OK ? kc_read_rsa(&oct, 1, c) : rc;
}

static int kc_read_spki(struct kc_rd *in, struct rlab_components *c)
{
    struct kc_rd seq, bits;
    in->what = "SubjectPublicKeyInfo";
    int rc = kc_tlv(in, KC_SEQUENCE, "SEQUENCE", &seq);
    if (rc == RLAB_OK)
        rc = kc_end(in);
    if (rc == RLAB_OK)
        rc = kc_read_alg(&seq);
    if (rc == RLAB_OK)
        rc = kc_tlv(&seq, KC_BIT_STRING, "subjectPublicKey", &bits);
    if (rc == RLAB_OK)
        rc = kc_end(&seq);
    if (rc != RLAB_OK)
        return rc;
    if (bits.len == 0 || bits.p[0] != 0)
        return kc_bad(&seq, "subjectPublicKey", "BIT STRING with unused bits");
    bits.p++;
    bits.len--;
    return kc_read_rsa(&bits, 0, c);
}

/* see keycodec.h */
int rlab_keycodec_der_decode(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in, size_t len,
                        struct rlab_components *out)
{
    *out = (struct rlab_components){0};
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT)
        return RLAB_ERR_INVALID_ARG;
    if (in == NULL || len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");
    struct rlab_buf der = RLAB_BUF_INIT;
    int rc = RLAB_OK;
    if (enc == RLAB_ENC_PEM) {
        rc = rlab_keycodec_pem_decode(kc_label[fmt], in, len, &der);
        if (rc != RLAB_OK)
            return rc;
        in = der.data;
        len = der.len;
    } else if (enc != RLAB_ENC_DER) {
        return RLAB_ERR_INVALID_ARG;
    }
    struct kc_rd r = {in, len, "key"};
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: rc = kc_read_rsa(&r, 1, out); break;
    case RLAB_KEYFMT_PKCS1_PUB: rc = kc_read_rsa(&r, 0, out); break;
    case RLAB_KEYFMT_PKCS8: rc = kc_read_pkcs8(&r, out); break;
    default: rc = kc_read_spki(&r, out); break;
    }
    rlab_buf_clear(&der);
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}

/* ---- writer ---------------------------------------------------------------- */

/* Sizes first, then one allocation of the exact size, then the bytes. */
struct kc_wr {
    uint8_t *p;
    size_t cap, pos;
    int overflow;
};

static size_t kc_hdr_size(size_t len)
{
    size_t n = 2;
    if (len >= 0x80)
        for (size_t v = len; v > 0; v >>= 8)
            n++;
    return n;
}

static void kc_strip(const uint8_t **v, size_t *len)
{
    while (*len > 0 && **v == 0) {
        (*v)++;
        (*len)--;
    }
}

/* Content bytes of the INTEGER holding the unsigned value b. */
static size_t kc_int_content(const struct rlab_buf *b)
{
    const uint8_t *v = b->data;
    size_t len = b->len;
    kc_strip(&v, &len);
    return len == 0 ? 1 : len + (v[0] >> 7);
}

static size_t kc_int_size(const struct rlab_buf *b)
{
    size_t c = kc_int_content(b);
    return kc_hdr_size(c) + c;
}

static void kc_put(struct kc_wr *w, const uint8_t *p, size_t len)
{
    if (w->overflow || len > w->cap - w->pos) {
        w->overflow = 1;
        return;
    }
    if (len > 0)
        memcpy(w->p + w->pos, p, len);
    w->pos += len;
}

static void kc_put_hdr(struct kc_wr *w, uint8_t tag, size_t len)
{
    uint8_t h[2 + sizeof(size_t)];
    size_t n = kc_hdr_size(len);
    h[0] = tag;
    if (n == 2) {
        h[1] = (uint8_t)len;
    } else {
        h[1] = (uint8_t)(0x80 | (n - 2));
        for (size_t i = 2; i < n; i++)
            h[i] = (uint8_t)(len >> (8 * (n - 1 - i)));
    }
    kc_put(w, h, n);
}

static void kc_put_int(struct kc_wr *w, const struct rlab_buf *b)
{
    static const uint8_t zero = 0;
    const uint8_t *v = b->data;
    size_t len = b->len;
    kc_strip(&v, &len);
    kc_put_hdr(w, KC_INTEGER, kc_int_content(b));
    if (len == 0 || (v[0] & 0x80))
        kc_put(w, &zero, 1);
    kc_put(w, v, len);
}

static void kc_parts(const struct rlab_components *c, const struct rlab_buf *parts[9])
{
    static const struct rlab_buf zero = {(uint8_t *)"", 0}; /* version 0 */
    const struct rlab_buf *p[9] = {&zero, &c->n, &c->e, &c->d, &c->p,
                                   &c->q, &c->dp, &c->dq, &c->qinv};
    memcpy(parts, p, sizeof p);
}

/* Content length of RSAPrivateKey (priv) or RSAPublicKey. */
static size_t kc_rsa_content(const struct rlab_components *c, int priv)
{
    const struct rlab_buf *parts[9];
    kc_parts(c, parts);
    size_t n = 0;
    for (int i = priv ? 0 : 1; i < (priv ? 9 : 3); i++)
        n += kc_int_size(parts[i]);
    return n;
}

static void kc_put_rsa(struct kc_wr *w, const struct rlab_components *c, int priv)
{
    const struct rlab_buf *parts[9];
    kc_parts(c, parts);
    kc_put_hdr(w, KC_SEQUENCE, kc_rsa_content(c, priv));
    for (int i = priv ? 0 : 1; i < (priv ? 9 : 3); i++)
        kc_put_int(w, parts[i]);
}

/* Writes fmt into w, or (w->p == NULL, cap 0) only measures: *size. */
static void kc_put_der(struct kc_wr *w, const struct rlab_components *c, rlab_keyfmt fmt,
                        size_t *size)
{
    static const uint8_t version0[3] = {KC_INTEGER, 1, 0}, no_unused = 0;
    int priv = fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
    size_t rsa = kc_rsa_content(c, priv);
    rsa += kc_hdr_size(rsa);
    size_t outer;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS8:
        outer = sizeof version0 + sizeof kc_alg_rsa + kc_hdr_size(rsa) + rsa;
        *size = kc_hdr_size(outer) + outer;
        kc_put_hdr(w, KC_SEQUENCE, outer);
        kc_put(w, version0, sizeof version0);
        kc_put(w, kc_alg_rsa, sizeof kc_alg_rsa);
        kc_put_hdr(w, KC_OCTET_STRING, rsa);
        break;
    case RLAB_KEYFMT_SPKI:
        outer = sizeof kc_alg_rsa + kc_hdr_size(rsa + 1) + 1 + rsa;
        *size = kc_hdr_size(outer) + outer;
        kc_put_hdr(w, KC_SEQUENCE, outer);
        kc_put(w, kc_alg_rsa, sizeof kc_alg_rsa);
        kc_put_hdr(w, KC_BIT_STRING, rsa + 1);
        kc_put(w, &no_unused, 1);
        break;
    default:
        *size = rsa;
        break;
    }
    kc_put_rsa(w, c, priv);
}

/* see keycodec.h */
int rlab_keycodec_der_encode(const struct rlab_components *c, rlab_keyfmt fmt, rlab_encoding enc,
                        struct rlab_buf *out)
{
    *out = (struct rlab_buf)RLAB_BUF_INIT;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    const struct rlab_buf *parts[9];
    kc_parts(c, parts);
    int priv = fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
    for (int i = 1; i < (priv ? 9 : 3); i++) {
        if (parts[i]->len == 0)
            return priv && i > 2 ? RLAB_ERR_KEY_NOT_PRIVATE : RLAB_ERR_INVALID_ARG;
        if (parts[i]->len > RLAB_KEYCODEC_MAX_INT)
            return rlab_error_set(RLAB_ERR_INVALID_ARG, "component too large to encode");
    }
    struct kc_wr measure = {NULL, 0, 0, 0};
    size_t size = 0;
    kc_put_der(&measure, c, fmt, &size);
    struct rlab_buf der = RLAB_BUF_INIT;
    int rc = rlab_buf_alloc(&der, size);
    if (rc != RLAB_OK)
        return rc;
    struct kc_wr w = {der.data, der.len, 0, 0};
    kc_put_der(&w, c, fmt, &size);
    if (w.overflow || w.pos != der.len) {
        rlab_buf_clear(&der);
        return rlab_error_set(RLAB_ERR_BACKEND, "DER writer: size mismatch");
    }
    if (enc == RLAB_ENC_DER) {
        *out = der;
        return RLAB_OK;
    }
    rc = rlab_keycodec_pem_encode(kc_label[fmt], der.data, der.len, out);
    rlab_buf_clear(&der);
    return rc;
}
