/*
 * The four RSA key structures over the DER reader/writer and PEM armour:
 *
 *   RSAPrivateKey ::= SEQUENCE { version 0 or 1, n, e, d, p, q, dp, dq, qinv,
 *                                otherPrimeInfos (version 1 only) }
 *   OtherPrimeInfo ::= SEQUENCE { prime r_i, exponent d_i, coefficient t_i }
 *   RSAPublicKey  ::= SEQUENCE { n, e }
 *   PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier,
 *                                 privateKey OCTET STRING (RSAPrivateKey) }
 *   SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier,
 *                                 subjectPublicKey BIT STRING (RSAPublicKey) }
 *   AlgorithmIdentifier ::= SEQUENCE { rsaEncryption, NULL }
 *
 * See gmp_der.h for the contract and for what is refused.
 */
#include <stdio.h>
#include <string.h>

#include "backends/gmp/gmp_der.h"

#include "base/ct.h"
#include "base/errors.h"

/* SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }: the one AlgorithmIdentifier
 * we write, byte for byte. */
static const uint8_t gmp_alg_der[15] = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
    0x05, 0x00,
};
#define GMP_RSA_OID (gmp_alg_der + 4)
#define GMP_RSA_OID_LEN 9

static const char *const gmp_pem_label[RLAB_KEYFMT_COUNT] = {
    [RLAB_KEYFMT_PKCS1_PRIV] = "RSA PRIVATE KEY",
    [RLAB_KEYFMT_PKCS1_PUB] = "RSA PUBLIC KEY",
    [RLAB_KEYFMT_PKCS8] = "PRIVATE KEY",
    [RLAB_KEYFMT_SPKI] = "PUBLIC KEY",
};

static int gmp_fmt_error(const char *what, const char *why)
{
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s: %s", what, why);
}

/* ---- reading ----------------------------------------------------------- */

static int gmp_read_version(struct rlab_gmp_der_in *seq, const char *multi)
{
    unsigned long version = 0;
    int rc = rlab_gmp_der_read_small(seq, "version", &version);
    if (rc != RLAB_OK)
        return rc;
    if (version == 1)
        return gmp_fmt_error(seq->what, multi);
    if (version != 0) {
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "%s: unknown version %lu",
                              seq->what, version);
    }
    return RLAB_OK;
}

/* OtherPrimeInfos ::= SEQUENCE SIZE(1..MAX) OF SEQUENCE { prime, exponent,
 * coefficient }: at least one, at most RLAB_MAX_PRIMES - 2 (more is
 * RLAB_ERR_UNSUPPORTED: a valid key we do not take). */
static int gmp_read_other_primes(struct rlab_gmp_der_in *r, struct rlab_components *c)
{
    struct rlab_gmp_der_in infos;
    int rc = rlab_gmp_der_read(r, RLAB_GMP_TAG_SEQUENCE, "otherPrimeInfos", &infos);
    if (rc != RLAB_OK)
        return rc;
    if (infos.len == 0)
        return gmp_fmt_error("otherPrimeInfos", "empty (version 1 needs at least one)");
    while (rc == RLAB_OK && infos.len > 0) {
        if (c->n_other == RLAB_MAX_PRIMES - 2)
            return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                                  "otherPrimeInfos: more than %u primes not supported",
                                  RLAB_MAX_PRIMES);
        struct rlab_prime_info *o = &c->other[c->n_other];
        struct rlab_gmp_der_in info;
        rc = rlab_gmp_der_read(&infos, RLAB_GMP_TAG_SEQUENCE, "OtherPrimeInfo", &info);
        if (rc == RLAB_OK)
            c->n_other++; /* counted now so that clearing reaches its parts */
        if (rc == RLAB_OK)
            rc = rlab_gmp_der_read_uint(&info, "prime", &o->r);
        if (rc == RLAB_OK)
            rc = rlab_gmp_der_read_uint(&info, "exponent", &o->d);
        if (rc == RLAB_OK)
            rc = rlab_gmp_der_read_uint(&info, "coefficient", &o->t);
        if (rc == RLAB_OK)
            rc = rlab_gmp_der_done(&info);
    }
    return rc;
}

static int gmp_read_rsa_private(struct rlab_gmp_der_in *r, struct rlab_components *c)
{
    struct rlab_gmp_der_in seq;
    unsigned long version = 0;
    int rc = rlab_gmp_der_read(r, RLAB_GMP_TAG_SEQUENCE, "RSAPrivateKey", &seq);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_small(&seq, "version", &version);
    if (rc == RLAB_OK && version > 1)
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "RSAPrivateKey: unknown version %lu",
                            version);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "modulus", &c->n);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "publicExponent", &c->e);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "privateExponent", &c->d);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "prime1", &c->p);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "prime2", &c->q);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "exponent1", &c->dp);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "exponent2", &c->dq);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "coefficient", &c->qinv);
    /* RFC 8017 A.1.2: otherPrimeInfos present exactly when version is 1 */
    if (rc == RLAB_OK && version == 1)
        rc = gmp_read_other_primes(&seq, c);
    if (rc == RLAB_OK && version == 0 && seq.len > 0 && seq.p[0] == RLAB_GMP_TAG_SEQUENCE)
        rc = gmp_fmt_error("RSAPrivateKey", "otherPrimeInfos in a version 0 key");
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_done(&seq);
    return rc;
}

static int gmp_read_rsa_public(struct rlab_gmp_der_in *r, struct rlab_components *c)
{
    struct rlab_gmp_der_in seq;
    int rc = rlab_gmp_der_read(r, RLAB_GMP_TAG_SEQUENCE, "RSAPublicKey", &seq);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "modulus", &c->n);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read_uint(&seq, "publicExponent", &c->e);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_done(&seq);
    return rc;
}

/* AlgorithmIdentifier: rsaEncryption with NULL parameters, nothing else. */
static int gmp_read_algorithm(struct rlab_gmp_der_in *r)
{
    struct rlab_gmp_der_in alg, oid, params;
    int rc = rlab_gmp_der_read(r, RLAB_GMP_TAG_SEQUENCE, "AlgorithmIdentifier", &alg);
    if (rc != RLAB_OK)
        return rc;
    rc = rlab_gmp_der_read(&alg, RLAB_GMP_TAG_OID, "algorithm", &oid);
    if (rc != RLAB_OK)
        return rc;
    if (oid.len != GMP_RSA_OID_LEN || memcmp(oid.p, GMP_RSA_OID, GMP_RSA_OID_LEN) != 0) {
        char hex[2 * 16 + 4] = "";
        size_t n = oid.len < 16 ? oid.len : 16;
        for (size_t i = 0; i < n; i++)
            snprintf(hex + 2 * i, 3, "%02x", oid.p[i]);
        if (oid.len > n)
            strcat(hex, "...");
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "AlgorithmIdentifier: OID %s is not rsaEncryption "
                              "(1.2.840.113549.1.1.1)", hex);
    }
    if (alg.len == 0)
        return gmp_fmt_error("AlgorithmIdentifier",
                             "rsaEncryption parameters absent (must be NULL)");
    rc = rlab_gmp_der_read(&alg, RLAB_GMP_TAG_NULL, "parameters", &params);
    if (rc != RLAB_OK)
        return rc;
    if (params.len != 0)
        return gmp_fmt_error("AlgorithmIdentifier", "NULL parameters with content");
    return rlab_gmp_der_done(&alg);
}

static int gmp_read_pkcs8(struct rlab_gmp_der_in *r, struct rlab_components *c)
{
    struct rlab_gmp_der_in pki, key;
    int rc = rlab_gmp_der_read(r, RLAB_GMP_TAG_SEQUENCE, "PrivateKeyInfo", &pki);
    if (rc == RLAB_OK)
        rc = gmp_read_version(&pki, "version 1 (OneAsymmetricKey) not supported");
    if (rc == RLAB_OK)
        rc = gmp_read_algorithm(&pki);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read(&pki, RLAB_GMP_TAG_OCTET_STRING, "privateKey", &key);
    if (rc == RLAB_OK)
        rc = gmp_read_rsa_private(&key, c);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_done(&key);
    if (rc == RLAB_OK && pki.len > 0 && pki.p[0] == 0xa0)
        rc = gmp_fmt_error("PrivateKeyInfo", "attributes not supported");
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_done(&pki);
    return rc;
}

static int gmp_read_spki(struct rlab_gmp_der_in *r, struct rlab_components *c)
{
    struct rlab_gmp_der_in spki, bits;
    int rc = rlab_gmp_der_read(r, RLAB_GMP_TAG_SEQUENCE, "SubjectPublicKeyInfo", &spki);
    if (rc == RLAB_OK)
        rc = gmp_read_algorithm(&spki);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_read(&spki, RLAB_GMP_TAG_BIT_STRING, "subjectPublicKey", &bits);
    if (rc != RLAB_OK)
        return rc;
    if (bits.len == 0)
        return gmp_fmt_error("subjectPublicKey", "BIT STRING with no content bytes");
    if (bits.p[0] != 0) {
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "subjectPublicKey: BIT STRING with %u unused bits (must be 0)",
                              (unsigned)bits.p[0]);
    }
    bits.p++;
    bits.len--;
    rc = gmp_read_rsa_public(&bits, c);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_done(&bits);
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_done(&spki);
    return rc;
}

static int gmp_decode_der(rlab_keyfmt fmt, const uint8_t *der, size_t len,
                          struct rlab_components *out)
{
    struct rlab_gmp_der_in r;
    rlab_gmp_der_in_init(&r, der, len, "key");
    int rc;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: rc = gmp_read_rsa_private(&r, out); break;
    case RLAB_KEYFMT_PKCS1_PUB: rc = gmp_read_rsa_public(&r, out); break;
    case RLAB_KEYFMT_PKCS8: rc = gmp_read_pkcs8(&r, out); break;
    case RLAB_KEYFMT_SPKI: rc = gmp_read_spki(&r, out); break;
    default: return RLAB_ERR_INVALID_ARG;
    }
    if (rc == RLAB_OK)
        rc = rlab_gmp_der_done(&r);
    return rc;
}

/* see gmp_der.h */
int rlab_gmp_der_decode(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                        size_t len, struct rlab_components *out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM) ||
        (in == NULL && len > 0))
        return RLAB_ERR_INVALID_ARG;
    if (len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");

    int rc;
    if (enc == RLAB_ENC_PEM) {
        struct rlab_buf der = RLAB_BUF_INIT;
        rc = rlab_gmp_pem_decode(gmp_pem_label[fmt], in, len, &der);
        if (rc == RLAB_OK)
            rc = gmp_decode_der(fmt, der.data, der.len, out);
        rlab_buf_clear(&der);
    } else {
        rc = gmp_decode_der(fmt, in, len, out);
    }
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}

/* ---- writing ----------------------------------------------------------- */

/* The components in RSAPrivateKey order. */
static void gmp_private_parts(const struct rlab_components *c,
                              const struct rlab_buf *parts[8])
{
    parts[0] = &c->n;
    parts[1] = &c->e;
    parts[2] = &c->d;
    parts[3] = &c->p;
    parts[4] = &c->q;
    parts[5] = &c->dp;
    parts[6] = &c->dq;
    parts[7] = &c->qinv;
}

static int gmp_present(const struct rlab_buf *b)
{
    return b->data != NULL && b->len > 0;
}

/* Content length of one OtherPrimeInfo. */
static size_t gmp_other_content(const struct rlab_prime_info *o)
{
    return rlab_gmp_der_uint_size(o->r.data, o->r.len) +
           rlab_gmp_der_uint_size(o->d.data, o->d.len) +
           rlab_gmp_der_uint_size(o->t.data, o->t.len);
}

/* Content length of otherPrimeInfos (0 for a two-prime key). */
static size_t gmp_others_content(const struct rlab_components *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_other; i++) {
        size_t one = gmp_other_content(&c->other[i]);
        n += rlab_gmp_der_hdr_size(one) + one;
    }
    return n;
}

/* Content length of RSAPrivateKey (with_private) or RSAPublicKey. */
static size_t gmp_rsa_content(const struct rlab_components *c, int with_private)
{
    const struct rlab_buf *parts[8];
    gmp_private_parts(c, parts);
    size_t n = with_private ? 3 : 0; /* INTEGER 0 or 1 */
    for (size_t i = 0; i < (with_private ? 8u : 2u); i++)
        n += rlab_gmp_der_uint_size(parts[i]->data, parts[i]->len);
    if (with_private && c->n_other > 0) {
        size_t o = gmp_others_content(c);
        n += rlab_gmp_der_hdr_size(o) + o;
    }
    return n;
}

static void gmp_put_rsa(struct rlab_gmp_der_out *w, const struct rlab_components *c,
                        int with_private)
{
    /* version: 1 (multi) exactly when there are other primes */
    const uint8_t version = c->n_other > 0 ? 1 : 0;
    const struct rlab_buf *parts[8];
    gmp_private_parts(c, parts);
    rlab_gmp_der_put_hdr(w, RLAB_GMP_TAG_SEQUENCE, gmp_rsa_content(c, with_private));
    if (with_private)
        rlab_gmp_der_put_uint(w, &version, 1);
    for (size_t i = 0; i < (with_private ? 8u : 2u); i++)
        rlab_gmp_der_put_uint(w, parts[i]->data, parts[i]->len);
    if (!with_private || c->n_other == 0)
        return;
    rlab_gmp_der_put_hdr(w, RLAB_GMP_TAG_SEQUENCE, gmp_others_content(c));
    for (size_t i = 0; i < c->n_other; i++) {
        const struct rlab_prime_info *o = &c->other[i];
        rlab_gmp_der_put_hdr(w, RLAB_GMP_TAG_SEQUENCE, gmp_other_content(o));
        rlab_gmp_der_put_uint(w, o->r.data, o->r.len);
        rlab_gmp_der_put_uint(w, o->d.data, o->d.len);
        rlab_gmp_der_put_uint(w, o->t.data, o->t.len);
    }
}

/* Size of the whole DER encoding of fmt. */
static size_t gmp_der_size(const struct rlab_components *c, rlab_keyfmt fmt)
{
    int priv = fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
    size_t rsa = gmp_rsa_content(c, priv);
    rsa += rlab_gmp_der_hdr_size(rsa);
    size_t outer;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS8:
        outer = 3 + sizeof gmp_alg_der + rlab_gmp_der_hdr_size(rsa) + rsa;
        break;
    case RLAB_KEYFMT_SPKI:
        outer = sizeof gmp_alg_der + rlab_gmp_der_hdr_size(rsa + 1) + 1 + rsa;
        break;
    default:
        return rsa;
    }
    return rlab_gmp_der_hdr_size(outer) + outer;
}

static void gmp_put_der(struct rlab_gmp_der_out *w, const struct rlab_components *c,
                        rlab_keyfmt fmt)
{
    static const uint8_t version0[3] = {RLAB_GMP_TAG_INTEGER, 1, 0};
    static const uint8_t no_unused_bits = 0;
    size_t outer;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV: gmp_put_rsa(w, c, 1); return;
    case RLAB_KEYFMT_PKCS1_PUB: gmp_put_rsa(w, c, 0); return;
    case RLAB_KEYFMT_PKCS8: {
        size_t rsa = gmp_der_size(c, RLAB_KEYFMT_PKCS1_PRIV);
        outer = 3 + sizeof gmp_alg_der + rlab_gmp_der_hdr_size(rsa) + rsa;
        rlab_gmp_der_put_hdr(w, RLAB_GMP_TAG_SEQUENCE, outer);
        rlab_gmp_der_put_bytes(w, version0, sizeof version0);
        rlab_gmp_der_put_bytes(w, gmp_alg_der, sizeof gmp_alg_der);
        rlab_gmp_der_put_hdr(w, RLAB_GMP_TAG_OCTET_STRING, rsa);
        gmp_put_rsa(w, c, 1);
        return;
    }
    case RLAB_KEYFMT_SPKI: {
        size_t rsa = gmp_der_size(c, RLAB_KEYFMT_PKCS1_PUB);
        outer = sizeof gmp_alg_der + rlab_gmp_der_hdr_size(rsa + 1) + 1 + rsa;
        rlab_gmp_der_put_hdr(w, RLAB_GMP_TAG_SEQUENCE, outer);
        rlab_gmp_der_put_bytes(w, gmp_alg_der, sizeof gmp_alg_der);
        rlab_gmp_der_put_hdr(w, RLAB_GMP_TAG_BIT_STRING, rsa + 1);
        rlab_gmp_der_put_bytes(w, &no_unused_bits, 1);
        gmp_put_rsa(w, c, 0);
        return;
    }
    default: w->overflow = 1; return;
    }
}

/* see gmp_der.h */
int rlab_gmp_der_encode(const struct rlab_components *c, rlab_keyfmt fmt,
                        rlab_encoding enc, struct rlab_buf *out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    out->data = NULL;
    out->len = 0;
    if (c == NULL || (unsigned)fmt >= RLAB_KEYFMT_COUNT ||
        (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;

    const struct rlab_buf *parts[8];
    gmp_private_parts(c, parts);
    if (!gmp_present(&c->n) || !gmp_present(&c->e))
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "encode: n or e missing");
    int priv = fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
    for (size_t i = 0; i < (priv ? 8u : 2u); i++) {
        if (!gmp_present(parts[i]))
            return rlab_error_set(RLAB_ERR_KEY_NOT_PRIVATE,
                                  "encode: %s needs d, p, q, dp, dq and qinv",
                                  rlab_keyfmt_name(fmt));
        /* Bounding each part keeps every size sum far from overflow. */
        if (parts[i]->len > RLAB_GMP_DER_MAX_INT)
            return rlab_error_set(RLAB_ERR_INVALID_ARG, "encode: component too large");
    }
    if (priv && c->n_other > RLAB_MAX_PRIMES - 2)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "encode: more than %u primes",
                              RLAB_MAX_PRIMES);
    for (size_t i = 0; priv && i < c->n_other; i++) {
        const struct rlab_buf *o[3] = {&c->other[i].r, &c->other[i].d, &c->other[i].t};
        for (size_t j = 0; j < 3; j++) {
            if (!gmp_present(o[j]))
                return rlab_error_set(RLAB_ERR_INVALID_ARG,
                                      "encode: prime r_%zu needs r, d and t", i + 3);
            if (o[j]->len > RLAB_GMP_DER_MAX_INT)
                return rlab_error_set(RLAB_ERR_INVALID_ARG, "encode: component too large");
        }
    }

    struct rlab_buf der = RLAB_BUF_INIT;
    int rc = rlab_buf_alloc(&der, gmp_der_size(c, fmt));
    if (rc != RLAB_OK)
        return rc;
    struct rlab_gmp_der_out w = {der.data, der.len, 0, 0};
    gmp_put_der(&w, c, fmt);
    if (w.overflow || w.pos != w.cap) {
        rlab_buf_clear(&der);
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "encode: internal size mismatch");
    }
    if (enc == RLAB_ENC_DER) {
        *out = der;
        return RLAB_OK;
    }
    rc = rlab_gmp_pem_encode(gmp_pem_label[fmt], der.data, der.len, out);
    rlab_buf_clear(&der);
    return rc;
}
