/*
 * Fuzz target: the gmp backend's strict DER/PEM key reader
 * (rlab_gmp_der_decode, backends/gmp/gmp_der.h), for every format and
 * encoding.
 *
 * Properties (a broken one prints and abort()s):
 *  - a failed decode leaves the components empty;
 *  - a decoded key encodes again in the same format and encoding;
 *  - DER: the re-encoding is byte-identical to the input (the reader accepts
 *    only the one DER encoding of a key);
 *  - PEM: the re-encoding decodes to the same components, and its body is
 *    the DER encoding of those components.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/gmp/gmp_der.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const enc_names[] = {"DER", "PEM"};

static void dump(const char *what, const uint8_t *p, size_t len)
{
    fprintf(stderr, "%s (%zu bytes): ", what, len);
    for (size_t i = 0; i < len && i < 512; i++)
        fprintf(stderr, "%02x", p[i]);
    fprintf(stderr, "%s\n", len > 512 ? "..." : "");
}

static void fail(rlab_keyfmt fmt, rlab_encoding enc, const char *why, int rc,
                 const uint8_t *data, size_t size)
{
    fprintf(stderr, "fuzz_gmp_der: %s %s: %s: %s (%s)\n", rlab_keyfmt_name(fmt),
            enc_names[enc], why, rlab_errname(rc), rlab_error_detail());
    dump("input", data, size);
    abort();
}

static int buf_empty(const struct rlab_buf *b)
{
    return b->data == NULL && b->len == 0;
}

static int same_components(const struct rlab_components *a,
                           const struct rlab_components *b)
{
    const struct rlab_buf *x[] = {&a->n, &a->e, &a->d, &a->p, &a->q, &a->dp, &a->dq, &a->qinv};
    const struct rlab_buf *y[] = {&b->n, &b->e, &b->d, &b->p, &b->q, &b->dp, &b->dq, &b->qinv};
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++) {
        if (x[i]->len != y[i]->len ||
            (x[i]->len != 0 && memcmp(x[i]->data, y[i]->data, x[i]->len) != 0))
            return 0;
    }
    return 1;
}

static void one(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *data, size_t size)
{
    struct rlab_components c;
    memset(&c, 0xa5, sizeof c); /* "overwritten on entry" */
    int rc = rlab_gmp_der_decode(fmt, enc, data, size, &c);
    if (rc != RLAB_OK) {
        if (!buf_empty(&c.n) || !buf_empty(&c.e) || !buf_empty(&c.d) || !buf_empty(&c.p) ||
            !buf_empty(&c.q) || !buf_empty(&c.dp) || !buf_empty(&c.dq) || !buf_empty(&c.qinv))
            fail(fmt, enc, "failed decode left components behind", rc, data, size);
        return;
    }
    struct rlab_buf out = RLAB_BUF_INIT;
    rc = rlab_gmp_der_encode(&c, fmt, enc, &out);
    if (rc != RLAB_OK)
        fail(fmt, enc, "a decoded key does not encode again", rc, data, size);
    if (enc == RLAB_ENC_DER) {
        if (out.len != size || memcmp(out.data, data, size) != 0) {
            dump("re-encoded", out.data, out.len);
            fail(fmt, enc, "re-encoding differs from the accepted DER", rc, data, size);
        }
    } else {
        struct rlab_components again = {0};
        rc = rlab_gmp_der_decode(fmt, enc, out.data, out.len, &again);
        if (rc != RLAB_OK)
            fail(fmt, enc, "own PEM output does not decode", rc, data, size);
        if (!same_components(&c, &again))
            fail(fmt, enc, "own PEM output decodes to other components", rc, data, size);
        rlab_components_clear(&again);
        struct rlab_buf der = RLAB_BUF_INIT, body = RLAB_BUF_INIT;
        static const char *const labels[] = {"RSA PRIVATE KEY", "RSA PUBLIC KEY",
                                             "PRIVATE KEY", "PUBLIC KEY"};
        rc = rlab_gmp_der_encode(&c, fmt, RLAB_ENC_DER, &der);
        if (rc != RLAB_OK)
            fail(fmt, enc, "a decoded key does not encode as DER", rc, data, size);
        rc = rlab_gmp_pem_decode(labels[fmt], data, size, &body);
        if (rc != RLAB_OK)
            fail(fmt, enc, "accepted PEM does not unwrap", rc, data, size);
        if (body.len != der.len || memcmp(body.data, der.data, der.len) != 0)
            fail(fmt, enc, "accepted PEM body is not the DER encoding", rc, data, size);
        rlab_buf_clear(&der);
        rlab_buf_clear(&body);
    }
    rlab_buf_clear(&out);
    rlab_components_clear(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        one((rlab_keyfmt)f, RLAB_ENC_DER, data, size);
        one((rlab_keyfmt)f, RLAB_ENC_PEM, data, size);
    }
    return 0;
}
