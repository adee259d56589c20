/*
 * The operation cells of the interop matrix: A encrypts and B decrypts, A
 * signs and B verifies, each side a backend or the openssl tool.  see
 * interop_int.h
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/ops.h"
#include "vectors/interop_int.h"
#include "vectors/vec_int.h"

#define PSS_SALT 32

void rlab_iop_set(struct rlab_iop_work *w, struct rlab_iop_cell *c, rlab_iop_status st,
                  const char *fmt, ...)
{
    c->status = st;
    free(c->detail);
    c->detail = NULL;
    if (fmt == NULL)
        return;
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->detail = strdup(buf);
    if (c->detail == NULL)
        w->nomem = 1;
}

char *rlab_iop_path(const char *dir, const char *name)
{
    return rlab_vec_strdupf("%s/%s", dir, name);
}

int rlab_iop_write(const char *path, const uint8_t *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return RLAB_ERR_IO;
    int ok = len == 0 || fwrite(p, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    return ok ? RLAB_OK : RLAB_ERR_IO;
}

/* Scratch files of one operation, in the run's folder. */
struct files {
    char *msg, *data, *out, *key, *pub;
};

static int files_init(const struct rlab_iop_ops *o, struct files *f)
{
    f->msg = rlab_iop_path(o->w->root, "msg.bin");
    f->data = rlab_iop_path(o->w->root, "data.bin");
    f->out = rlab_iop_path(o->w->root, "out.bin");
    f->key = rlab_iop_path(o->ma->dir, "key.pem");
    f->pub = rlab_iop_path(o->ma->dir, "pub.pem");
    if (f->msg && f->data && f->out && f->key && f->pub)
        return RLAB_OK;
    o->w->nomem = 1;
    return RLAB_ERR_NOMEM;
}

static void files_clear(struct files *f)
{
    char *v[] = {f->msg, f->data, f->out};
    for (int i = 0; i < 3; i++)
        if (v[i] != NULL)
            unlink(v[i]);
    free(f->msg);
    free(f->data);
    free(f->out);
    free(f->key);
    free(f->pub);
}

static int run(const struct rlab_iop_ops *o, char *err, size_t size, const char *const argv[])
{
    return rlab_iop_cli_run(argv, o->w->errfile, err, size);
}

static void message(const struct rlab_iop_ops *o, char *msg, size_t size)
{
    snprintf(msg, size, "rsalab interop %u-bit: %s -> %s", o->bits, o->A->name, o->B->name);
}

/* ---- OAEP --------------------------------------------------------------- */

static const struct rlab_oaep_params oaep = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};

/* A encrypts msg into ct.  RLAB_OK, or the cell is set. */
static int oaep_encrypt(const struct rlab_iop_ops *o, const struct files *f, const char *msg,
                        struct rlab_buf *ct, struct rlab_iop_cell *c)
{
    char err[300];
    if (o->A->be != NULL) {
        const struct rlab_backend *be = o->A->be;
        struct rlab_op_query q = {.op = RLAB_OP_OAEP_ENCRYPT, .hash = RLAB_HASH_SHA256,
                                  .mgf1_hash = RLAB_HASH_SHA256};
        const char *why = rlab_backend_check(be, &q);
        if (why != NULL) {
            rlab_iop_set(o->w, c, RLAB_IOP_SKIP, "%s", why);
            return RLAB_ERR_UNSUPPORTED;
        }
        size_t len = rlab_key_size(o->ma->key);
        int rc = rlab_buf_alloc(ct, len);
        if (rc == RLAB_OK) {
            rlab_error_clear();
            rc = rlab_oaep_encrypt(be, o->ma->key, &oaep, NULL, (const uint8_t *)msg, strlen(msg),
                                  ct->data, &ct->len);
        }
        if (rc != RLAB_OK)
            rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "%s encrypt: %s", o->A->name,
                         rlab_vec_errstr(rc));
        return rc;
    }
    const char *argv[] = {"openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", f->pub,
                          "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256",
                          "-pkeyopt", "rsa_mgf1_md:sha256", "-in", f->msg, "-out", f->data,
                          NULL};
    if (run(o, err, sizeof err, argv) != 0 || rlab_vec_read_file(f->data, ct) != RLAB_OK) {
        rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "openssl pkeyutl -encrypt: %s", err);
        return RLAB_ERR_BACKEND;
    }
    return RLAB_OK;
}

void rlab_iop_oaep(const struct rlab_iop_ops *o, struct rlab_iop_cell *c)
{
    struct files f = {0};
    struct rlab_buf ct = RLAB_BUF_INIT, pt = RLAB_BUF_INIT;
    char msg[160], err[300];
    message(o, msg, sizeof msg);
    if (files_init(o, &f) != RLAB_OK ||
        rlab_iop_write(f.msg, (const uint8_t *)msg, strlen(msg)) != RLAB_OK) {
        rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "cannot write scratch files");
        goto out;
    }
    if (oaep_encrypt(o, &f, msg, &ct, c) != RLAB_OK)
        goto out;
    int rc;
    if (o->B->be != NULL) {
        const struct rlab_backend *be = o->B->be;
        struct rlab_op_query q = {.op = RLAB_OP_OAEP_DECRYPT, .hash = RLAB_HASH_SHA256,
                                  .mgf1_hash = RLAB_HASH_SHA256};
        const char *why = rlab_backend_check(be, &q);
        if (why != NULL) {
            rlab_iop_set(o->w, c, RLAB_IOP_SKIP, "%s", why);
            goto out;
        }
        struct rlab_op_query qm = {.op = RLAB_OP_IMPORT, .primes = o->w->primes};
        if (o->b_priv == NULL && o->w->primes > 2 && (why = rlab_backend_check(be, &qm)) != NULL) {
            rlab_iop_set(o->w, c, RLAB_IOP_SKIP, "%s", why);
            goto out;
        }
        if (o->b_priv == NULL) {
            rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "no key: %s did not import A's PKCS#8 key",
                         o->B->name);
            goto out;
        }
        rc = rlab_buf_alloc(&pt, rlab_key_size(o->b_priv));
        if (rc == RLAB_OK) {
            rlab_error_clear();
            rc = rlab_oaep_decrypt(be, o->b_priv, &oaep, ct.data, ct.len, pt.data, &pt.len);
        }
        snprintf(err, sizeof err, "%s decrypt: %s", o->B->name, rlab_vec_errstr(rc));
    } else {
        const char *argv[] = {"openssl", "pkeyutl", "-decrypt", "-inkey", f.key,
                              "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt",
                              "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256",
                              "-in", f.data, "-out", f.out, NULL};
        char e2[256] = "cannot write the ciphertext file";
        rc = rlab_iop_write(f.data, ct.data, ct.len);
        if (rc == RLAB_OK && run(o, e2, sizeof e2, argv) != 0)
            rc = RLAB_ERR_DECRYPT;
        if (rc == RLAB_OK)
            rc = rlab_vec_read_file(f.out, &pt);
        snprintf(err, sizeof err, "openssl pkeyutl -decrypt: %s", rc ? e2 : "");
    }
    if (rc != RLAB_OK)
        rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "%s", err);
    else if (pt.len != strlen(msg) || memcmp(pt.data, msg, pt.len) != 0)
        rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "decrypted to a different message");
    else
        rlab_iop_set(o->w, c, RLAB_IOP_OK, NULL);
out:
    rlab_buf_clear(&ct);
    rlab_buf_clear(&pt);
    files_clear(&f);
}

/* ---- signatures ------------------------------------------------------------ */

static int digest(const struct rlab_backend *be, const char *msg, uint8_t *dg)
{
    return rlab_backend_hash(be, RLAB_HASH_SHA256, (const uint8_t *)msg, strlen(msg), dg);
}

static const struct rlab_pss_params pss_params = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, PSS_SALT};

/* A signs msg into sig.  RLAB_OK, or the cell is set. */
static int sign(const struct rlab_iop_ops *o, const struct files *f, int pss, const char *msg,
                struct rlab_buf *sig, struct rlab_iop_cell *c)
{
    char err[300];
    if (o->A->be != NULL) {
        const struct rlab_backend *be = o->A->be;
        struct rlab_op_query q = {.op = pss ? RLAB_OP_PSS_SIGN : RLAB_OP_PKCS1_SIGN,
                                  .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256,
                                  .salt_len = PSS_SALT};
        const char *why = rlab_backend_check(be, &q);
        if (why != NULL) {
            rlab_iop_set(o->w, c, RLAB_IOP_SKIP, "%s", why);
            return RLAB_ERR_UNSUPPORTED;
        }
        uint8_t dg[RLAB_HASH_MAX_LEN];
        int rc = digest(be, msg, dg);
        if (rc == RLAB_OK)
            rc = rlab_buf_alloc(sig, rlab_key_size(o->ma->key));
        if (rc == RLAB_OK) {
            rlab_error_clear();
            rc = pss ? rlab_pss_sign(be, o->ma->key, &pss_params, NULL, dg, 32, sig->data, &sig->len)
                     : rlab_pkcs1_sign(be, o->ma->key, RLAB_HASH_SHA256, dg, 32, sig->data,
                                      &sig->len);
        }
        if (rc != RLAB_OK)
            rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "%s sign: %s", o->A->name,
                         rlab_vec_errstr(rc));
        return rc;
    }
    const char *argv[16];
    int n = 0;
    argv[n++] = "openssl";
    argv[n++] = "dgst";
    argv[n++] = "-sha256";
    argv[n++] = "-sign";
    argv[n++] = f->key;
    if (pss) {
        argv[n++] = "-sigopt";
        argv[n++] = "rsa_padding_mode:pss";
        argv[n++] = "-sigopt";
        argv[n++] = "rsa_pss_saltlen:32";
    }
    argv[n++] = "-out";
    argv[n++] = f->data;
    argv[n++] = f->msg;
    argv[n] = NULL;
    if (run(o, err, sizeof err, argv) != 0 || rlab_vec_read_file(f->data, sig) != RLAB_OK) {
        rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "openssl dgst -sign: %s", err);
        return RLAB_ERR_BACKEND;
    }
    return RLAB_OK;
}

/* B verifies; returns RLAB_OK when valid, or sets the cell. */
static int verify_cli(const struct rlab_iop_ops *o, const struct files *f, int pss,
                      const struct rlab_buf *sig, char *err, size_t size)
{
    if (rlab_iop_write(f->data, sig->data, sig->len) != RLAB_OK) {
        snprintf(err, size, "cannot write the signature file");
        return RLAB_ERR_IO;
    }
    const char *argv[16];
    int n = 0;
    argv[n++] = "openssl";
    argv[n++] = "dgst";
    argv[n++] = "-sha256";
    argv[n++] = "-verify";
    argv[n++] = f->pub;
    if (pss) {
        argv[n++] = "-sigopt";
        argv[n++] = "rsa_padding_mode:pss";
        argv[n++] = "-sigopt";
        argv[n++] = "rsa_pss_saltlen:-2"; /* recover the salt length */
    }
    argv[n++] = "-signature";
    argv[n++] = f->data;
    argv[n++] = f->msg;
    argv[n] = NULL;
    char e2[280];
    if (run(o, e2, sizeof e2, argv) != 0) {
        snprintf(err, size, "openssl dgst -verify: %s", e2);
        return RLAB_ERR_VERIFY;
    }
    return RLAB_OK;
}

void rlab_iop_sign(const struct rlab_iop_ops *o, int pss, struct rlab_iop_cell *c)
{
    struct files f = {0};
    struct rlab_buf sig = RLAB_BUF_INIT;
    char msg[160], err[320];
    message(o, msg, sizeof msg);
    if (files_init(o, &f) != RLAB_OK ||
        rlab_iop_write(f.msg, (const uint8_t *)msg, strlen(msg)) != RLAB_OK) {
        rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "cannot write scratch files");
        goto out;
    }
    if (sign(o, &f, pss, msg, &sig, c) != RLAB_OK)
        goto out;
    int rc;
    if (o->B->be != NULL) {
        const struct rlab_backend *be = o->B->be;
        struct rlab_op_query q = {.op = pss ? RLAB_OP_PSS_VERIFY : RLAB_OP_PKCS1_VERIFY,
                                  .hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256,
                                  .salt_len = PSS_SALT};
        const char *why = rlab_backend_check(be, &q);
        if (why != NULL) {
            rlab_iop_set(o->w, c, RLAB_IOP_SKIP, "%s", why);
            goto out;
        }
        if (o->b_pub == NULL) {
            rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "no key: %s did not import A's "
                         "SubjectPublicKeyInfo", o->B->name);
            goto out;
        }
        uint8_t dg[RLAB_HASH_MAX_LEN];
        rc = digest(be, msg, dg);
        if (rc == RLAB_OK) {
            rlab_error_clear();
            rc = pss ? rlab_pss_verify(be, o->b_pub, &pss_params, dg, 32, sig.data, sig.len)
                     : rlab_pkcs1_verify(be, o->b_pub, RLAB_HASH_SHA256, dg, 32, sig.data, sig.len);
        }
        snprintf(err, sizeof err, "%s verify: %s", o->B->name, rlab_vec_errstr(rc));
    } else {
        rc = verify_cli(o, &f, pss, &sig, err, sizeof err);
    }
    if (rc != RLAB_OK)
        rlab_iop_set(o->w, c, RLAB_IOP_FAIL, "%s", err);
    else
        rlab_iop_set(o->w, c, RLAB_IOP_OK, NULL);
out:
    rlab_buf_clear(&sig);
    files_clear(&f);
}
