/* see keyfile.h */
#include "backends/ops.h"
#include "core/keyfile.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/ct.h"
#include "core/fileio.h"

/* ---- detection --------------------------------------------------------- */

static const struct {
    const char *label;
    rlab_keyfmt fmt;
} pem_labels[] = {
    {"RSA PRIVATE KEY", RLAB_KEYFMT_PKCS1_PRIV},
    {"RSA PUBLIC KEY", RLAB_KEYFMT_PKCS1_PUB},
    {"PRIVATE KEY", RLAB_KEYFMT_PKCS8},
    {"PUBLIC KEY", RLAB_KEYFMT_SPKI},
};

/* DER trial order: private forms first, since a private key is the more
 * useful reading of an ambiguous blob, and PKCS#8 before PKCS#1 because its
 * outer structure is the more distinctive. */
static const rlab_keyfmt der_order[] = {
    RLAB_KEYFMT_PKCS8,
    RLAB_KEYFMT_PKCS1_PRIV,
    RLAB_KEYFMT_SPKI,
    RLAB_KEYFMT_PKCS1_PUB,
};

static const uint8_t *find(const uint8_t *hay, size_t hay_len, const char *needle)
{
    return memmem(hay, hay_len, needle, strlen(needle));
}

/*
 * One PEM block: [begin, end) spans "-----BEGIN label-----" through the end
 * of its END line, so text around it (comments, other blocks) is not handed
 * to the backend.
 */
struct pem_block {
    const uint8_t *begin, *end;
    char label[64];
};

/* Next BEGIN line at or after p.  Returns 0 when there is none, 1 with the
 * block filled in, or an error code for a malformed or truncated block. */
static int next_pem_block(const uint8_t *p, const uint8_t *lim, struct pem_block *b)
{
    const uint8_t *begin = find(p, (size_t)(lim - p), "-----BEGIN ");
    if (begin == NULL)
        return 0;
    const uint8_t *lab = begin + strlen("-----BEGIN ");
    const uint8_t *dash = find(lab, (size_t)(lim - lab), "-----");
    const uint8_t *nl = memchr(lab, '\n', (size_t)(lim - lab));
    if (dash == NULL || (nl != NULL && nl < dash) ||
        (size_t)(dash - lab) >= sizeof b->label)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "malformed PEM BEGIN line");
    memcpy(b->label, lab, (size_t)(dash - lab));
    b->label[dash - lab] = '\0';

    char end_line[96];
    snprintf(end_line, sizeof end_line, "-----END %s-----", b->label);
    const uint8_t *body = dash + 5;
    const uint8_t *end = find(body, (size_t)(lim - body), end_line);
    if (end == NULL)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                              "truncated PEM: no END line for '%s'", b->label);
    end += strlen(end_line);
    if (end < lim && *end == '\r')
        end++;
    if (end < lim && *end == '\n')
        end++;
    b->begin = begin;
    b->end = end;
    return 1;
}

static int pem_label_fmt(const char *label, rlab_keyfmt *fmt)
{
    for (size_t i = 0; i < sizeof pem_labels / sizeof pem_labels[0]; i++) {
        if (strcmp(label, pem_labels[i].label) == 0) {
            *fmt = pem_labels[i].fmt;
            return 1;
        }
    }
    return 0;
}

static int parse_pem(const struct rlab_backend *be, const uint8_t *data,
                     size_t len, rlab_key **out, rlab_keyfmt *fmt_out)
{
    const uint8_t *p = data, *lim = data + len;
    char first_label[64] = "";
    for (;;) {
        struct pem_block b;
        int found = next_pem_block(p, lim, &b);
        if (found != 1) {
            if (found != 0)
                return found;
            if (strcmp(first_label, "ENCRYPTED PRIVATE KEY") == 0)
                return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                                      "encrypted private keys are not supported");
            return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                                  "PEM label '%s' is not an RSA key", first_label);
        }
        if (first_label[0] == '\0')
            snprintf(first_label, sizeof first_label, "%s", b.label);
        rlab_keyfmt fmt;
        if (pem_label_fmt(b.label, &fmt)) {
            rlab_error_clear();
            int rc = rlab_key_import(be, fmt, RLAB_ENC_PEM, b.begin, (size_t)(b.end - b.begin), out);
            if (rc == RLAB_OK)
                *fmt_out = fmt;
            return rc;
        }
        p = b.end;
    }
}

static int parse_der(const struct rlab_backend *be, const uint8_t *data,
                     size_t len, rlab_key **out, rlab_keyfmt *fmt_out)
{
    /* Every form is a SEQUENCE: anything else is not a key, and saying so
     * beats four backend errors about the wrong structure. */
    if (data[0] != 0x30)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "neither PEM nor DER");
    int first_other = RLAB_OK;
    char other_detail[256] = "";
    for (size_t i = 0; i < sizeof der_order / sizeof der_order[0]; i++) {
        rlab_error_clear();
        int rc = rlab_key_import(be, der_order[i], RLAB_ENC_DER, data, len, out);
        if (rc == RLAB_OK) {
            *fmt_out = der_order[i];
            return RLAB_OK;
        }
        *out = NULL;
        if (rc == RLAB_ERR_NOMEM)
            return rc;
        /* A structure that parsed but failed validation is the real answer;
         * keep the first such error rather than a later format mismatch. */
        if (rc != RLAB_ERR_KEY_FORMAT && first_other == RLAB_OK) {
            first_other = rc;
            snprintf(other_detail, sizeof other_detail, "%s", rlab_error_detail());
        }
    }
    if (first_other != RLAB_OK)
        return rlab_error_set(first_other, "%s", other_detail);
    return rlab_error_set(RLAB_ERR_KEY_FORMAT,
                          "DER is not a PKCS#8, PKCS#1 or SubjectPublicKeyInfo RSA key");
}

int rlab_keyfile_parse(const struct rlab_backend *be, const uint8_t *data,
                       size_t len, rlab_key **out, rlab_keyfmt *fmt_out,
                       rlab_encoding *enc_out)
{
    *out = NULL;
    if (be == NULL || (data == NULL && len > 0))
        return RLAB_ERR_INVALID_ARG;
    if (be->import == NULL || !(be->caps & RLAB_CAP_IMPORT))
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "%s cannot import keys", be->name);
    if (len == 0)
        return rlab_error_set(RLAB_ERR_KEY_FORMAT, "empty input");

    rlab_keyfmt fmt = RLAB_KEYFMT_COUNT;
    rlab_encoding enc;
    int rc;
    if (find(data, len, "-----BEGIN ") != NULL) {
        enc = RLAB_ENC_PEM;
        rc = parse_pem(be, data, len, out, &fmt);
    } else {
        enc = RLAB_ENC_DER;
        rc = parse_der(be, data, len, out, &fmt);
    }
    if (rc != RLAB_OK) {
        if (*out != NULL) {
            rlab_key_free(*out);
            *out = NULL;
        }
        return rc;
    }
    if (fmt_out != NULL)
        *fmt_out = fmt;
    if (enc_out != NULL)
        *enc_out = enc;
    return RLAB_OK;
}

/* ---- loading ----------------------------------------------------------- */

int rlab_keyfile_load(const struct rlab_backend *be, const char *path,
                      rlab_key **out)
{
    *out = NULL;
    struct rlab_buf b = RLAB_BUF_INIT;
    int rc = rlab_file_read(path, RLAB_KEYFILE_MAX, &b);
    if (rc != RLAB_OK)
        return rc;
    rc = rlab_keyfile_parse(be, b.data, b.len, out, NULL, NULL);
    rlab_buf_clear(&b);
    return rc;
}
