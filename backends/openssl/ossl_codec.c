/*
 * OpenSSL backend: key import and export through OSSL_DECODER and
 * OSSL_ENCODER.
 *
 * Import is strict about the format asked for; OpenSSL's decoders are not,
 * so we check the envelope ourselves before they run:
 *  - DER: one SEQUENCE covering the input exactly (OpenSSL's reader stops
 *    after the first TLV and would ignore trailing bytes), whose first two
 *    element tags match the format (its DER decoder accepts an
 *    RSAPrivateKey when asked for a PrivateKeyInfo and the other way round);
 *  - PEM: exactly one block with the format's own label, only whitespace
 *    around it, no headers (so no legacy encrypted PEM), plain base64.  We
 *    unwrap it here and hand the DER to the same DER path, so both
 *    encodings go through one set of checks.
 * The key itself is parsed by OpenSSL (input type "DER", the format's
 * structure, key type "RSA") and then validated (EVP_PKEY_check /
 * EVP_PKEY_public_check).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>

#include "base/ct.h"
#include "backends/openssl/ossl_internal.h"

struct ossl_fmt {
    const char *structure; /* OSSL_DECODER / OSSL_ENCODER structure name */
    const char *label;     /* PEM label */
    const char *asn1;      /* ASN.1 type name for messages */
    int selection;
    int is_private;
    uint8_t tags[2];   /* tags of the first two elements of the SEQUENCE */
};

static const struct ossl_fmt fmts[RLAB_KEYFMT_COUNT] = {
    [RLAB_KEYFMT_PKCS1_PRIV] = {"type-specific", "RSA PRIVATE KEY", "RSAPrivateKey",
                                EVP_PKEY_KEYPAIR, 1, {0x02, 0x02}},
    [RLAB_KEYFMT_PKCS1_PUB] = {"type-specific", "RSA PUBLIC KEY", "RSAPublicKey",
                               EVP_PKEY_PUBLIC_KEY, 0, {0x02, 0x02}},
    /* version INTEGER, then the AlgorithmIdentifier: an
     * EncryptedPrivateKeyInfo starts with a SEQUENCE and is refused before
     * any passphrase machinery could run */
    [RLAB_KEYFMT_PKCS8] = {"PrivateKeyInfo", "PRIVATE KEY", "PrivateKeyInfo",
                           EVP_PKEY_KEYPAIR, 1, {0x02, 0x30}},
    [RLAB_KEYFMT_SPKI] = {"SubjectPublicKeyInfo", "PUBLIC KEY",
                          "SubjectPublicKeyInfo", EVP_PKEY_PUBLIC_KEY, 0, {0x30, 0x03}},
};

/* ---- envelope checks --------------------------------------------------- */

/* One TLV at p[0..avail) with a definite, minimal length that fits. */
static int ossl_tlv(const uint8_t *p, size_t avail, size_t *hdr, size_t *body)
{
    if (avail < 2)
        return 0;
    *hdr = 2;
    if (p[1] < 0x80) {
        *body = p[1];
    } else {
        size_t nb = p[1] & 0x7fu;
        if (nb == 0 || nb > sizeof(size_t) || nb > avail - 2 || p[2] == 0)
            return 0; /* indefinite, oversized or non-minimal length */
        *body = 0;
        for (size_t i = 0; i < nb; i++)
            *body = (*body << 8) | p[2 + i];
        if (*body < 0x80)
            return 0;
        *hdr += nb;
    }
    return *body <= avail - *hdr;
}

/* The element at p[0..avail) is the INTEGER 0 (02 01 00). */
static int ossl_version_zero(const uint8_t *p, size_t avail)
{
    return avail >= 3 && p[0] == 0x02 && p[1] == 0x01 && p[2] == 0x00;
}

/* The element at p[0..avail) is an INTEGER in minimal, non-negative form
 * (OpenSSL reads the RSA numbers as unsigned and would take 02 01 FD as 253);
 * *adv gets its size.  Public values only: no secret is branched on. */
static int ossl_uint(const uint8_t *p, size_t avail, size_t *adv)
{
    size_t h, b;
    if (!ossl_tlv(p, avail, &h, &b) || p[0] != 0x02 || b == 0)
        return 0;
    const uint8_t *c = p + h;
    if ((c[0] & 0x80) != 0 || (b > 1 && c[0] == 0 && (c[1] & 0x80) == 0))
        return 0;
    *adv = h + b;
    return 1;
}

/* The RSA key SEQUENCE at p[0..avail): [version 0,] then n and e, both
 * minimal and non-negative.  Returns NULL or why not. */
static const char *ossl_rsa_seq(const uint8_t *p, size_t avail, int is_private)
{
    size_t h, b, adv;
    if (!ossl_tlv(p, avail, &h, &b) || p[0] != 0x30 || h + b != avail)
        return "the RSA key is not one DER SEQUENCE";
    const uint8_t *q = p + h, *end = p + h + b;
    if (is_private) {
        /* version 1: a multi-prime key (RFC 8017 3.2), whose
         * otherPrimeInfos OpenSSL reads itself */
        if (!ossl_version_zero(q, (size_t)(end - q)) &&
            !(ossl_uint(q, (size_t)(end - q), &adv) && adv == 3 && q[2] == 1))
            return "RSAPrivateKey version is neither 0 nor 1";
        q += 3;
    }
    for (int i = 0; i < 2; i++) {
        if (!ossl_uint(q, (size_t)(end - q), &adv))
            return i == 0 ? "n is not a minimal, non-negative DER INTEGER"
                          : "e is not a minimal, non-negative DER INTEGER";
        q += adv;
    }
    return NULL;
}

/* AlgorithmIdentifier at p: is its OID rsaEncryption (1.2.840.113549.1.1.1)? */
static int ossl_alg_is_rsa(const uint8_t *p, size_t avail)
{
    static const uint8_t rsa_oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                      0xf7, 0x0d, 0x01, 0x01, 0x01};
    size_t h, b;
    return ossl_tlv(p, avail, &h, &b) && p[0] == 0x30 && b >= sizeof rsa_oid &&
           memcmp(p + h, rsa_oid, sizeof rsa_oid) == 0;
}

enum { OSSL_SHAPE_OK = 0, OSSL_SHAPE_BAD, OSSL_SHAPE_OTHER_ALG };

/*
 * One DER SEQUENCE covering in[0..len) exactly whose first two elements
 * have the tags of the format.  This is what tells the four formats apart:
 * OpenSSL's DER decoder reads an RSAPrivateKey when asked for a
 * PrivateKeyInfo and the other way round.  Inside, the RSA key must be
 * version 0 (two primes) with n and e minimal and non-negative.  Returns
 * OSSL_SHAPE_OK, OSSL_SHAPE_OTHER_ALG (a PrivateKeyInfo or
 * SubjectPublicKeyInfo of another algorithm) or OSSL_SHAPE_BAD with *why.
 */
static int ossl_der_shape(const uint8_t *in, size_t len, const struct ossl_fmt *f,
                          const char **why)
{
    size_t h0, b0, h1, b1, h2, b2, h3, b3;
    *why = NULL;
    if (!ossl_tlv(in, len, &h0, &b0) || in[0] != 0x30 || h0 + b0 != len ||
        !ossl_tlv(in + h0, b0, &h1, &b1) || in[h0] != f->tags[0])
        return OSSL_SHAPE_BAD;
    size_t second = h0 + h1 + b1;
    if (second >= len || in[second] != f->tags[1])
        return OSSL_SHAPE_BAD;
    if (f->tags[1] == 0x02) /* RSAPrivateKey, RSAPublicKey */
        return (*why = ossl_rsa_seq(in, len, f->is_private)) == NULL ? OSSL_SHAPE_OK
                                                                     : OSSL_SHAPE_BAD;
    if (f->tags[0] == 0x30) {
        /* SubjectPublicKeyInfo: AlgorithmIdentifier, BIT STRING (00, key) */
        if (!ossl_alg_is_rsa(in + h0, b0))
            return OSSL_SHAPE_OTHER_ALG;
        if (!ossl_tlv(in + second, len - second, &h2, &b2) || b2 < 1 ||
            in[second + h2] != 0x00)
            return OSSL_SHAPE_BAD;
        const uint8_t *key = in + second + h2 + 1;
        return (*why = ossl_rsa_seq(key, b2 - 1, 0)) == NULL ? OSSL_SHAPE_OK : OSSL_SHAPE_BAD;
    }
    /* PrivateKeyInfo: version 0, AlgorithmIdentifier, OCTET STRING (key) */
    if (!ossl_version_zero(in + h0, b0))
        return OSSL_SHAPE_BAD;
    if (!ossl_alg_is_rsa(in + second, len - second))
        return OSSL_SHAPE_OTHER_ALG;
    if (!ossl_tlv(in + second, len - second, &h2, &b2))
        return OSSL_SHAPE_BAD;
    size_t third = second + h2 + b2;
    if (third >= len || in[third] != 0x04 || !ossl_tlv(in + third, len - third, &h3, &b3))
        return OSSL_SHAPE_BAD;
    return (*why = ossl_rsa_seq(in + third + h3, b3, 1)) == NULL ? OSSL_SHAPE_OK
                                                                 : OSSL_SHAPE_BAD;
}

static int ossl_is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int ossl_is_b64(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

/* Does in[*pos..) start with s?  Advances *pos past it when it does. */
static int ossl_eat(const uint8_t *in, size_t len, size_t *pos, const char *s)
{
    size_t n = strlen(s);
    if (len - *pos < n || memcmp(in + *pos, s, n) != 0)
        return 0;
    *pos += n;
    return 1;
}

/*
 * Exactly one PEM block with `label`, only whitespace around it, no headers
 * (so no legacy encrypted PEM) and a plain base64 body.  On success *der is
 * the decoded body (OPENSSL_malloc'd, *cap bytes allocated, *der_len used;
 * the caller frees it with OPENSSL_clear_free).  Else RLAB_ERR_KEY_FORMAT
 * with a detail.
 */
static int ossl_pem_unwrap(const uint8_t *in, size_t len, const struct ossl_fmt *f,
                           uint8_t **der, size_t *cap, size_t *der_len)
{
    char begin[64], end[64];
    snprintf(begin, sizeof begin, "-----BEGIN %s-----", f->label);
    snprintf(end, sizeof end, "-----END %s-----", f->label);
    size_t pos = 0;
    while (pos < len && ossl_is_space(in[pos]))
        pos++;
    if (!ossl_eat(in, len, &pos, begin) || pos >= len || !ossl_is_space(in[pos]))
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "openssl: PEM does not begin with %s", begin);
    size_t body = pos;
    while (pos < len && (ossl_is_b64(in[pos]) || ossl_is_space(in[pos])))
        pos++;
    size_t body_end = pos;
    if (!ossl_eat(in, len, &pos, end))
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "openssl: PEM body is not plain base64 ending with %s",
                              end);
    while (pos < len && ossl_is_space(in[pos]))
        pos++;
    if (pos != len)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "openssl: data after the PEM block");
    if (body_end - body > INT_MAX)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "openssl: PEM too large");

    /* base64 decodes to at most 3/4 of its length, plus a partial block */
    *cap = (body_end - body) / 4 * 3 + 3;
    *der = OPENSSL_malloc(*cap);
    EVP_ENCODE_CTX *ectx = EVP_ENCODE_CTX_new();
    int n1 = 0, n2 = 0, ok = 0;
    if (*der != NULL && ectx != NULL) {
        EVP_DecodeInit(ectx);
        ok = EVP_DecodeUpdate(ectx, *der, &n1, in + body, (int)(body_end - body)) >= 0 &&
             EVP_DecodeFinal(ectx, *der + n1, &n2) == 1;
    }
    EVP_ENCODE_CTX_free(ectx);
    ERR_clear_error();
    if (!ok) {
        OPENSSL_clear_free(*der, *cap);
        *der = NULL;
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "openssl: PEM body is not valid base64");
    }
    *der_len = (size_t)n1 + (size_t)n2;
    return RLAB_OK;
}

/* ---- import ------------------------------------------------------------ */

/* Run OpenSSL's DER decoder chain for `keytype` (NULL = any key type). */
static EVP_PKEY *ossl_decode(const struct ossl_fmt *f, const char *keytype,
                             const uint8_t *der, size_t len)
{
    EVP_PKEY *pk = NULL;
    OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(
        &pk, "DER", f->structure, keytype, f->selection, NULL, NULL);
    if (dctx != NULL && OSSL_DECODER_CTX_get_num_decoders(dctx) > 0) {
        const unsigned char *p = der;
        size_t left = len;
        if (OSSL_DECODER_from_data(dctx, &p, &left) != 1) {
            EVP_PKEY_free(pk);
            pk = NULL;
        }
    }
    OSSL_DECODER_CTX_free(dctx);
    return pk;
}

/* Why the RSA decoder said no: another algorithm's key, or not a key. */
static int ossl_not_rsa(const struct ossl_fmt *f, const uint8_t *der, size_t len)
{
    ERR_clear_error();
    EVP_PKEY *other = ossl_decode(f, NULL, der, len);
    ERR_clear_error();
    if (other != NULL) {
        const char *name = EVP_PKEY_get0_type_name(other);
        rlab_error_set(RLAB_ERR_KEY_FORMAT, "openssl: the %s holds a key of type %s, "
                       "not an RSA (rsaEncryption) key", f->asn1,
                       name != NULL ? name : "other than RSA");
        EVP_PKEY_free(other);
        return RLAB_ERR_KEY_FORMAT;
    }
    return rlab_error_set(RLAB_ERR_KEY_FORMAT, "openssl: not a valid %s", f->asn1);
}

/* Decode and validate one DER value of format f. */
static int ossl_import_der(const struct ossl_fmt *f, const uint8_t *der, size_t len,
                           rlab_key **out)
{
    const char *why;
    int shape = ossl_der_shape(der, len, f, &why);
    if (shape == OSSL_SHAPE_OTHER_ALG)
        return ossl_not_rsa(f, der, len); /* names the key type */
    if (shape != OSSL_SHAPE_OK && why != NULL)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "openssl: %s: %s", f->asn1, why);
    if (shape != OSSL_SHAPE_OK)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "openssl: input is not exactly one DER %s", f->asn1);
    EVP_PKEY *pk = ossl_decode(f, "RSA", der, len);
    if (pk == NULL)
        return ossl_not_rsa(f, der, len);
    int rc = RLAB_OK;
    if (!EVP_PKEY_is_a(pk, "RSA")) {
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "openssl: not an rsaEncryption key");
    } else if (rlab_ossl_has_private(pk) != f->is_private) {
        /* RSAPrivateKey asked, the type-specific decoder fell back to
         * RSAPublicKey */
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "openssl: not a valid %s", f->asn1);
    }
    ERR_clear_error();
    if (rc == RLAB_OK)
        rc = rlab_ossl_validate(pk, f->is_private);
    if (rc != RLAB_OK) {
        EVP_PKEY_free(pk);
        return rc;
    }
    return rlab_ossl_wrap(pk, out);
}

/* see backend.h */
int rlab_ossl_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                     size_t len, rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM) ||
        (in == NULL && len > 0))
        return RLAB_ERR_INVALID_ARG;
    const struct ossl_fmt *f = &fmts[fmt];
    if (enc == RLAB_ENC_DER)
        return ossl_import_der(f, in, len, out);
    uint8_t *der = NULL;
    size_t cap = 0, der_len = 0;
    int rc = ossl_pem_unwrap(in, len, f, &der, &cap, &der_len);
    if (rc == RLAB_OK)
        rc = ossl_import_der(f, der, der_len, out);
    OPENSSL_clear_free(der, cap);
    return rc;
}

/* ---- export ------------------------------------------------------------ */

/* see backend.h */
int rlab_ossl_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                     struct rlab_buf *out)
{
    EVP_PKEY *pk = rlab_ossl_pkey(k);
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    out->data = NULL;
    out->len = 0;
    if (pk == NULL || (unsigned)fmt >= RLAB_KEYFMT_COUNT ||
        (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    const struct ossl_fmt *f = &fmts[fmt];
    if (f->is_private && !k->has_private)
        return rlab_error_set(RLAB_ERR_KEY_NOT_PRIVATE,
                              "openssl: %s needs a private key", f->asn1);
    if (f->is_private && !rlab_ossl_has_factors(pk))
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "openssl: %s needs p and q; this key has n, e, d only",
                              f->asn1);

    unsigned char *data = NULL;
    size_t len = 0;
    OSSL_ENCODER_CTX *ectx = OSSL_ENCODER_CTX_new_for_pkey(
        pk, f->selection, enc == RLAB_ENC_PEM ? "PEM" : "DER", f->structure, NULL);
    int ok = ectx != NULL && OSSL_ENCODER_CTX_get_num_encoders(ectx) > 0 &&
             OSSL_ENCODER_to_data(ectx, &data, &len) == 1 && len > 0;
    OSSL_ENCODER_CTX_free(ectx);
    if (!ok) {
        OPENSSL_clear_free(data, len);
        return rlab_ossl_fail(RLAB_ERR_BACKEND, "OSSL_ENCODER_to_data");
    }
    int rc = rlab_buf_set(out, data, len);
    OPENSSL_clear_free(data, len);
    if (rc == RLAB_OK && enc == RLAB_ENC_PEM && out->data[out->len - 1] != '\n') {
        rlab_buf_clear(out);
        rc = rlab_error_set(RLAB_ERR_BACKEND, "openssl: PEM output lacks a final newline");
    }
    return rc;
}
