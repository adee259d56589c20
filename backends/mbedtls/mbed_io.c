/*
 * Key import and export in the four rlab_keyfmt formats, DER and PEM, through
 * mbedtls_pk.  Contracts in backends/backend.h.
 *
 * Import: the PEM label is matched exactly (one block, whitespace around it
 * allowed), the DER shape is checked strictly (mbed_der.c), then mbedtls_pk
 * parses the numbers and mbedtls_rsa_check_* validates them.
 *
 * Export: mbedtls_pk writes RSAPrivateKey (mbedtls_pk_write_key_der), SPKI
 * (mbedtls_pk_write_pubkey_der) and RSAPublicKey (mbedtls_pk_write_pubkey,
 * the inner part of SPKI).  2.28 cannot write PKCS#8 or the "RSA PUBLIC KEY"
 * PEM label, so PKCS#8 is wrapped with the library's ASN.1 writer and every
 * PEM is made by mbedtls_pem_write_buffer with the label of the format.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/pem.h>

#include "base/ct.h"
#include "backends/mbedtls/mbed_internal.h"

struct mbed_label {
    const char *begin, *end;
};

static const struct mbed_label mbed_labels[RLAB_KEYFMT_COUNT] = {
    [RLAB_KEYFMT_PKCS1_PRIV] = {"-----BEGIN RSA PRIVATE KEY-----\n",
                                "-----END RSA PRIVATE KEY-----\n"},
    [RLAB_KEYFMT_PKCS1_PUB] = {"-----BEGIN RSA PUBLIC KEY-----\n",
                               "-----END RSA PUBLIC KEY-----\n"},
    [RLAB_KEYFMT_PKCS8] = {"-----BEGIN PRIVATE KEY-----\n",
                           "-----END PRIVATE KEY-----\n"},
    [RLAB_KEYFMT_SPKI] = {"-----BEGIN PUBLIC KEY-----\n",
                          "-----END PUBLIC KEY-----\n"},
};

static int mbed_is_private_fmt(rlab_keyfmt fmt)
{
    return fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8;
}

static int mbed_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Decode the single PEM block of format `fmt` into pem->buf / pem->buflen.
 * mbedtls_pem_read_buffer finds the header with strstr and stops after the
 * footer, so what lies before and after is checked here.
 */
static int mbed_pem_decode(rlab_keyfmt fmt, const uint8_t *in, size_t len,
                           mbedtls_pem_context *pem)
{
    if (memchr(in, '\0', len) != NULL)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "PEM text holds a NUL byte");
    char *txt = malloc(len + 1); /* the parser wants a C string */
    if (txt == NULL)
        return RLAB_ERR_NOMEM;
    memcpy(txt, in, len);
    txt[len] = '\0';

    /* Labels without their trailing newline, so that CRLF files match. */
    const char *begin = mbed_labels[fmt].begin, *end = mbed_labels[fmt].end;
    char hdr[64], ftr[64];
    size_t hl = strlen(begin) - 1, fl = strlen(end) - 1;
    memcpy(hdr, begin, hl);
    hdr[hl] = '\0';
    memcpy(ftr, end, fl);
    ftr[fl] = '\0';

    int rc = RLAB_OK;
    size_t i = 0, used = 0;
    while (i < len && mbed_space(txt[i]))
        i++;
    if (strncmp(txt + i, hdr, hl) != 0) {
        rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "expected a %s block", hdr);
        goto done;
    }
    int ret = mbedtls_pem_read_buffer(pem, hdr, ftr, (unsigned char *)txt + i,
                                      NULL, 0, &used);
    if (ret != 0) {
        rc = rlab_mbed_fail(RLAB_ERR_KEY_FORMAT,
                            ret == MBEDTLS_ERR_PEM_PASSWORD_REQUIRED
                                ? "encrypted PEM is not supported"
                                : "mbedtls_pem_read_buffer",
                            ret);
        goto done;
    }
    for (i += used; i < len; i++) {
        if (!mbed_space(txt[i])) {
            rc = rlab_error_set(RLAB_ERR_KEY_FORMAT, "data after the PEM block");
            goto done;
        }
    }
done:
    rlab_free_secret(txt, len + 1);
    return rc;
}

/* Compare the big-endian unsigned a with b (minimal DER contents). */
static int mbed_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    while (alen > 1 && a[0] == 0)
        a++, alen--;
    while (blen > 1 && b[0] == 0)
        b++, blen--;
    if (alen != blen)
        return alen < blen ? -1 : 1;
    return memcmp(a, b, alen);
}

/*
 * mbedTLS refused a key whose shape rlab_mbed_der_check accepted, so the
 * problem is in the numbers; its own message ("only RSA and EC are
 * supported") would mislead.  Name the public problem when there is one
 * (mbedtls_rsa_check_pubkey's rules), else say the private values do not
 * fit.  Public values only are branched on.
 */
static int mbed_invalid(rlab_keyfmt fmt, const uint8_t *der, size_t len, int priv, int ret)
{
    const char *fn = priv ? "mbedtls_pk_parse_key" : "mbedtls_pk_parse_public_key";
    const uint8_t *n = NULL, *e = NULL;
    size_t nlen = 0, elen = 0;
    static const uint8_t three = 3;
    const char *why = "the private values do not fit n and e";
    if (rlab_mbed_der_public(fmt, der, len, &n, &nlen, &e, &elen) != 0) {
        why = "not a valid RSA key";
    } else {
        size_t nbits = 0;
        for (size_t i = 0; i < nlen; i++)
            if (n[i] != 0) {
                nbits = (nlen - i) * 8;
                for (uint8_t top = n[i]; top < 0x80; top <<= 1)
                    nbits--;
                break;
            }
        if (nbits == 0)
            why = "n is 0";
        else if ((n[nlen - 1] & 1) == 0)
            why = "n is even";
        else if (nbits < 128)
            why = "n has fewer than 128 bits";
        else if (mbed_cmp(e, elen, &three, 1) < 0)
            why = "e is below 3";
        else if ((e[elen - 1] & 1) == 0)
            why = "e is even";
        else if (mbed_cmp(e, elen, n, nlen) >= 0)
            why = "e is not below n";
        else if (!priv)
            why = "n or e out of mbedTLS's range";
    }
    return rlab_error_set(RLAB_ERR_KEY_INVALID, "mbedtls: invalid RSA key: %s (%s: -0x%04x)",
                          why, fn, (unsigned)(ret < 0 ? -ret : ret));
}

/* see backend.h */
int rlab_mbed_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                     size_t len, rlab_key **out)
{
    *out = NULL;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (in == NULL || len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");

    mbedtls_pem_context pem;
    mbedtls_pem_init(&pem);
    const uint8_t *der = in;
    size_t der_len = len;
    struct mbed_key *mk = NULL;
    int rc = RLAB_OK;
    if (enc == RLAB_ENC_PEM) {
        rc = mbed_pem_decode(fmt, in, len, &pem);
        if (rc != RLAB_OK)
            goto done;
        der = pem.buf;
        der_len = pem.buflen;
    }
    rc = rlab_mbed_der_check(fmt, der, der_len);
    if (rc != RLAB_OK)
        goto done;

    mk = rlab_mbed_key_new();
    if (mk == NULL) {
        rc = RLAB_ERR_NOMEM;
        goto done;
    }
    int priv = mbed_is_private_fmt(fmt);
    /* The shape is right, so whatever mbedTLS refuses now is in the numbers
     * (even n, p or q zero, ...): an invalid key, not a format error. */
    int ret = priv ? mbedtls_pk_parse_key(&mk->pk, der, der_len, NULL, 0)
                   : mbedtls_pk_parse_public_key(&mk->pk, der, der_len);
    if (ret != 0) {
        rc = mbed_invalid(fmt, der, der_len, priv, ret);
        goto done;
    }
    rc = rlab_mbed_key_finish(mk, priv);
done:
    mbedtls_pem_free(&pem); /* zeroizes the decoded DER */
    if (rc != RLAB_OK) {
        if (mk != NULL)
            rlab_mbed_key_free(&mk->base);
        return rc;
    }
    *out = &mk->base;
    return RLAB_OK;
}

/* DER of `fmt` at the end of buf[0..size); its length in *der_len. */
static int mbed_write_der(struct mbed_key *mk, rlab_keyfmt fmt, uint8_t *buf,
                          size_t size, size_t *der_len)
{
    int ret;
    unsigned char *p;
    switch (fmt) {
    case RLAB_KEYFMT_PKCS1_PRIV:
    case RLAB_KEYFMT_PKCS8:
        ret = mbedtls_pk_write_key_der(&mk->pk, buf, size);
        break;
    case RLAB_KEYFMT_SPKI:
        ret = mbedtls_pk_write_pubkey_der(&mk->pk, buf, size);
        break;
    case RLAB_KEYFMT_PKCS1_PUB:
        p = buf + size;
        ret = mbedtls_pk_write_pubkey(&p, buf, &mk->pk);
        break;
    default:
        return RLAB_ERR_INVALID_ARG;
    }
    if (ret < 0)
        return rlab_mbed_fail(RLAB_ERR_BACKEND, "mbedtls_pk_write", ret);
    *der_len = (size_t)ret;
    if (fmt == RLAB_KEYFMT_PKCS8)
        return rlab_mbed_der_wrap_pkcs8(buf, size, der_len);
    return RLAB_OK;
}

static int mbed_write_pem(rlab_keyfmt fmt, const uint8_t *der, size_t der_len,
                          struct rlab_buf *out)
{
    const struct mbed_label *l = &mbed_labels[fmt];
    size_t need = 0;
    int ret = mbedtls_pem_write_buffer(l->begin, l->end, der, der_len, NULL, 0, &need);
    if (ret != MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL || need == 0)
        return rlab_mbed_fail(RLAB_ERR_BACKEND, "mbedtls_pem_write_buffer", ret);
    int rc = rlab_buf_alloc(out, need);
    if (rc != RLAB_OK)
        return rc;
    size_t olen = 0;
    ret = mbedtls_pem_write_buffer(l->begin, l->end, der, der_len, out->data,
                                   out->len, &olen);
    if (ret != 0 || olen == 0 || olen > out->len) {
        rlab_buf_clear(out);
        return rlab_mbed_fail(RLAB_ERR_BACKEND, "mbedtls_pem_write_buffer", ret);
    }
    out->len = olen - 1; /* olen counts the terminating NUL */
    return RLAB_OK;
}

/* see backend.h */
int rlab_mbed_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                     struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    struct mbed_key *mk = rlab_mbed_key(k);
    if (mk == NULL || (unsigned)fmt >= RLAB_KEYFMT_COUNT ||
        (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if (mbed_is_private_fmt(fmt) && !mk->base.has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;

    /* Room for nine INTEGERs of at most k+1 content bytes with 5-byte
     * headers, the PKCS#8 wrapping and the outer headers. */
    size_t size = 9 * (rlab_key_size(k) + 6) + 64;
    uint8_t *buf = malloc(size);
    if (buf == NULL)
        return RLAB_ERR_NOMEM;
    size_t der_len = 0;
    /* Writing reads N, E and the private values only, which never change
     * after creation: no lock needed. */
    int rc = mbed_write_der(mk, fmt, buf, size, &der_len);
    if (rc == RLAB_OK) {
        const uint8_t *der = buf + size - der_len;
        rc = enc == RLAB_ENC_DER ? rlab_buf_set(out, der, der_len)
                                 : mbed_write_pem(fmt, der, der_len, out);
    }
    rlab_free_secret(buf, size);
    return rc;
}
