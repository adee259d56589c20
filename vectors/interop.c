/*
 * The interop matrix engine.  see interop.h
 *
 * Each party A generates one key per size and exports it; every party B
 * (A itself included) then imports the three encodings and decrypts and
 * verifies what A produced with that key.  The openssl command-line tool
 * takes part through files in a private folder made with mkdtemp().
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/ops.h"
#include "vectors/interop_int.h"
#include "vectors/vec_int.h"

const char *rlab_iop_op_name(rlab_iop_op op)
{
    static const char *const names[RLAB_IOP_COUNT] = {
        [RLAB_IOP_IMPORT_PKCS8] = "import-pkcs8",
        [RLAB_IOP_IMPORT_SPKI] = "import-spki",
        [RLAB_IOP_IMPORT_PKCS1DER] = "import-pkcs1der",
        [RLAB_IOP_OAEP] = "oaep-sha256",
        [RLAB_IOP_PSS] = "pss-sha256",
        [RLAB_IOP_PKCS1] = "pkcs1-sha256",
    };
    return (unsigned)op < RLAB_IOP_COUNT ? names[op] : "unknown";
}

/* ---- party A: make a key ------------------------------------------------ */

static int export_all(const rlab_key *k, struct rlab_iop_material *m)
{
    const struct rlab_backend *be = k->be;
    int rc = rlab_key_export(be, k, RLAB_KEYFMT_PKCS8, RLAB_ENC_PEM, &m->pkcs8_pem);
    if (rc == RLAB_OK)
        rc = rlab_key_export(be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_PEM, &m->spki_pem);
    if (rc == RLAB_OK)
        rc = rlab_key_export(be, k, RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, &m->pkcs1_der);
    if (rc == RLAB_OK)
        rc = rlab_key_export(be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &m->spki_der);
    return rc;
}

static int write_material(struct rlab_iop_material *m)
{
    const struct rlab_buf *bufs[] = {&m->pkcs8_pem, &m->spki_pem, &m->pkcs1_der};
    const char *names[] = {"key.pem", "pub.pem", "key.der"};
    for (int i = 0; i < 3; i++) {
        char *p = rlab_iop_path(m->dir, names[i]);
        int rc = p != NULL ? rlab_iop_write(p, bufs[i]->data, bufs[i]->len) : RLAB_ERR_NOMEM;
        free(p);
        if (rc != RLAB_OK)
            return rc;
    }
    return RLAB_OK;
}

static void gen_backend(const struct rlab_backend *be, unsigned bits, unsigned primes,
                        struct rlab_iop_material *m)
{
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits,
                              .primes = primes > 2 ? primes : 0};
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT};
    const char *why = rlab_backend_check(be, &q);
    if (why == NULL)
        why = rlab_backend_check(be, &qe);
    if (why != NULL) {
        m->unsupported = 1;
        m->error = rlab_vec_strdupf("%s cannot make a %u-bit key: %s", be->name, bits, why);
        return;
    }
    rlab_error_clear();
    int rc = rlab_keygen_primes(be, bits, primes, 65537, NULL, &m->key);
    if (rc == RLAB_ERR_UNSUPPORTED) {
        /* A size the backend cannot make (rlab_keygen's contract): a skip
         * with its reason, as everywhere else. */
        m->unsupported = 1;
        m->error = rlab_vec_strdupf("%s cannot make a %u-bit key: %s", be->name, bits,
                                    rlab_error_detail());
        return;
    }
    if (rc != RLAB_OK) {
        m->error = rlab_vec_strdupf("keygen: %s", rlab_vec_errstr(rc));
        return;
    }
    rlab_error_clear();
    if ((rc = export_all(m->key, m)) != RLAB_OK)
        m->error = rlab_vec_strdupf("export: %s", rlab_vec_errstr(rc));
    else if (write_material(m) != RLAB_OK)
        m->error = rlab_vec_strdupf("cannot write the key files in %s", m->dir);
}

static int cli(struct rlab_iop_work *w, char *err, size_t size, const char *const argv[])
{
    return rlab_iop_cli_run(argv, w->errfile, err, size);
}

static int read_into(const char *dir, const char *name, struct rlab_buf *b)
{
    char *p = rlab_iop_path(dir, name);
    int rc = p != NULL ? rlab_vec_read_file(p, b) : RLAB_ERR_NOMEM;
    free(p);
    return rc;
}

static void gen_cli(struct rlab_iop_work *w, unsigned bits, struct rlab_iop_material *m)
{
    char err[300], bitsopt[40], primesopt[40];
    snprintf(bitsopt, sizeof bitsopt, "rsa_keygen_bits:%u", bits);
    snprintf(primesopt, sizeof primesopt, "rsa_keygen_primes:%u", w->primes);
    char *key = rlab_iop_path(m->dir, "key.pem"), *pub = rlab_iop_path(m->dir, "pub.pem");
    char *der = rlab_iop_path(m->dir, "key.der"), *pubder = rlab_iop_path(m->dir, "pub.der");
    if (!key || !pub || !der || !pubder) {
        w->nomem = 1;
        goto out;
    }
    const char *gen[] = {"openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", bitsopt,
                         "-pkeyopt", primesopt, "-out", key, NULL};
    const char *topub[] = {"openssl", "pkey", "-in", key, "-pubout", "-out", pub, NULL};
    const char *todata[] = {"openssl", "rsa", "-in", key, "-outform", "DER", "-traditional",
                            "-out", der, NULL};
    const char *topubder[] = {"openssl", "pkey", "-in", key, "-pubout", "-outform", "DER",
                              "-out", pubder, NULL};
    const char *const *steps[] = {gen, topub, todata, topubder};
    for (int i = 0; i < 4; i++) {
        if (cli(w, err, sizeof err, steps[i]) != 0) {
            m->error = rlab_vec_strdupf("openssl %s: %s", steps[i][1], err);
            goto out;
        }
    }
    if (read_into(m->dir, "key.pem", &m->pkcs8_pem) != RLAB_OK ||
        read_into(m->dir, "pub.pem", &m->spki_pem) != RLAB_OK ||
        read_into(m->dir, "key.der", &m->pkcs1_der) != RLAB_OK ||
        read_into(m->dir, "pub.der", &m->spki_der) != RLAB_OK)
        m->error = rlab_vec_strdupf("cannot read the openssl tool's key files");
out:
    free(key);
    free(pub);
    free(der);
    free(pubder);
}

/* ---- party B: import ---------------------------------------------------- */

static const struct {
    rlab_keyfmt fmt;
    rlab_encoding enc;
    const char *file;
    int private_key;
} import_spec[3] = {
    [RLAB_IOP_IMPORT_PKCS8] = {RLAB_KEYFMT_PKCS8, RLAB_ENC_PEM, "key.pem", 1},
    [RLAB_IOP_IMPORT_SPKI] = {RLAB_KEYFMT_SPKI, RLAB_ENC_PEM, "pub.pem", 0},
    [RLAB_IOP_IMPORT_PKCS1DER] = {RLAB_KEYFMT_PKCS1_PRIV, RLAB_ENC_DER, "key.der", 1},
};

static const struct rlab_buf *encoding(const struct rlab_iop_material *m, rlab_iop_op op)
{
    return op == RLAB_IOP_IMPORT_PKCS8 ? &m->pkcs8_pem
           : op == RLAB_IOP_IMPORT_SPKI ? &m->spki_pem
                                        : &m->pkcs1_der;
}

/* Backend B imports; *out keeps the key for the operations. */
static void import_backend(struct rlab_iop_work *w, const struct rlab_backend *be,
                           const struct rlab_iop_material *m, rlab_iop_op op,
                           struct rlab_iop_cell *c, rlab_key **out)
{
    struct rlab_op_query q = {.op = RLAB_OP_IMPORT};
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT};
    if (import_spec[op].private_key && w->primes > 2)
        q.primes = w->primes;
    const char *why = rlab_backend_check(be, &q);
    if (why == NULL)
        why = rlab_backend_check(be, &qe);
    if (why != NULL) {
        rlab_iop_set(w, c, RLAB_IOP_SKIP, "%s", why);
        return;
    }
    const struct rlab_buf *in = encoding(m, op);
    rlab_error_clear();
    int rc = rlab_key_import(be, import_spec[op].fmt, import_spec[op].enc, in->data, in->len, out);
    if (rc != RLAB_OK) {
        *out = NULL;
        rlab_iop_set(w, c, RLAB_IOP_FAIL, "import: %s", rlab_vec_errstr(rc));
        return;
    }
    struct rlab_buf spki = RLAB_BUF_INIT;
    rlab_error_clear();
    rc = rlab_key_export(be, *out, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, &spki);
    if (rc != RLAB_OK)
        rlab_iop_set(w, c, RLAB_IOP_FAIL, "re-export of the imported key: %s", rlab_vec_errstr(rc));
    else if (spki.len != m->spki_der.len || memcmp(spki.data, m->spki_der.data, spki.len) != 0)
        rlab_iop_set(w, c, RLAB_IOP_FAIL, "the imported key is not A's key (public key differs)");
    else if (import_spec[op].private_key && !(*out)->has_private)
        rlab_iop_set(w, c, RLAB_IOP_FAIL, "a private encoding imported as a public key");
    else
        rlab_iop_set(w, c, RLAB_IOP_OK, NULL);
    rlab_buf_clear(&spki);
}

/* The openssl tool imports: `openssl pkey -check` on private keys (a
 * pairwise consistency check), then the public half re-exported as DER
 * (two runs: -check writes its verdict into the -out file). */
static void import_cli(struct rlab_iop_work *w, const struct rlab_iop_material *m, rlab_iop_op op,
                       struct rlab_iop_cell *c)
{
    char err[300];
    char *in = rlab_iop_path(m->dir, import_spec[op].file);
    char *out = rlab_iop_path(w->root, "reexport.der");
    if (in == NULL || out == NULL) {
        w->nomem = 1;
        free(in);
        free(out);
        return;
    }
    int der = import_spec[op].enc == RLAB_ENC_DER;
    const char *check[] = {"openssl", "pkey", "-in", in, "-inform", der ? "DER" : "PEM",
                           "-check", "-noout", NULL};
    const char *argv[16];
    int n = 0;
    argv[n++] = "openssl";
    argv[n++] = "pkey";
    argv[n++] = "-in";
    argv[n++] = in;
    argv[n++] = "-inform";
    argv[n++] = der ? "DER" : "PEM";
    if (!import_spec[op].private_key)
        argv[n++] = "-pubin";
    argv[n++] = "-pubout";
    argv[n++] = "-outform";
    argv[n++] = "DER";
    argv[n++] = "-out";
    argv[n++] = out;
    argv[n] = NULL;
    struct rlab_buf spki = RLAB_BUF_INIT;
    if (import_spec[op].private_key && cli(w, err, sizeof err, check) != 0)
        rlab_iop_set(w, c, RLAB_IOP_FAIL, "openssl pkey -check: %s", err);
    else if (cli(w, err, sizeof err, argv) != 0)
        rlab_iop_set(w, c, RLAB_IOP_FAIL, "openssl pkey: %s", err);
    else if (rlab_vec_read_file(out, &spki) != RLAB_OK)
        rlab_iop_set(w, c, RLAB_IOP_FAIL, "openssl pkey wrote no public key");
    else if (spki.len != m->spki_der.len || memcmp(spki.data, m->spki_der.data, spki.len) != 0)
        rlab_iop_set(w, c, RLAB_IOP_FAIL, "openssl read a different key (public key differs)");
    else
        rlab_iop_set(w, c, RLAB_IOP_OK, NULL);
    rlab_buf_clear(&spki);
    unlink(out);
    free(in);
    free(out);
}

/* ---- the matrix --------------------------------------------------------- */

static void material_clear(struct rlab_iop_material *m)
{
    free(m->error);
    rlab_key_free(m->key);
    rlab_buf_clear(&m->pkcs8_pem);
    rlab_buf_clear(&m->spki_pem);
    rlab_buf_clear(&m->pkcs1_der);
    rlab_buf_clear(&m->spki_der);
    free(m->dir);
    memset(m, 0, sizeof *m);
}

/* Remove a folder of ours and the files in it (no subfolders). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *p = rlab_iop_path(dir, de->d_name);
        if (p != NULL)
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

static void pair(struct rlab_iop_work *w, const struct rlab_iop_matrix *mx, size_t a, size_t b,
                 const struct rlab_iop_material *ma)
{
    const struct rlab_iop_party *B = &mx->parties[b];
    rlab_key *imported[3] = {NULL, NULL, NULL};
    if (ma->error != NULL && ma->unsupported) {
        for (int op = 0; op < RLAB_IOP_COUNT; op++)
            rlab_iop_set(w, rlab_iop_cell_at(mx, a, b, (rlab_iop_op)op), RLAB_IOP_SKIP, "%s",
                         ma->error);
        return;
    }
    if (ma->error != NULL) {
        for (int op = 0; op < RLAB_IOP_COUNT; op++)
            rlab_iop_set(w, rlab_iop_cell_at(mx, a, b, (rlab_iop_op)op), RLAB_IOP_FAIL,
                     "%s could not make a key: %s", mx->parties[a].name, ma->error);
        return;
    }
    for (int op = 0; op < 3; op++) {
        struct rlab_iop_cell *c = rlab_iop_cell_at(mx, a, b, (rlab_iop_op)op);
        if (B->be != NULL)
            import_backend(w, B->be, ma, (rlab_iop_op)op, c, &imported[op]);
        else
            import_cli(w, ma, (rlab_iop_op)op, c);
    }
    struct rlab_iop_ops ops = {
        .w = w, .A = &mx->parties[a], .B = B, .ma = ma,
        .b_priv = imported[RLAB_IOP_IMPORT_PKCS8], .b_pub = imported[RLAB_IOP_IMPORT_SPKI],
        .bits = mx->bits,
    };
    rlab_iop_oaep(&ops, rlab_iop_cell_at(mx, a, b, RLAB_IOP_OAEP));
    rlab_iop_sign(&ops, 1, rlab_iop_cell_at(mx, a, b, RLAB_IOP_PSS));
    rlab_iop_sign(&ops, 0, rlab_iop_cell_at(mx, a, b, RLAB_IOP_PKCS1));
    for (int i = 0; i < 3; i++)
        rlab_key_free(imported[i]);
}

int rlab_iop_run(const struct rlab_iop_party *parties, size_t n, unsigned bits,
                 struct rlab_iop_matrix *m)
{
    return rlab_iop_run_primes(parties, n, bits, 2, m);
}

int rlab_iop_run_primes(const struct rlab_iop_party *parties, size_t n, unsigned bits,
                        unsigned primes, struct rlab_iop_matrix *m)
{
    memset(m, 0, sizeof *m);
    m->bits = bits;
    m->primes = primes;
    m->n = n;
    m->parties = parties;
    m->cells = calloc(n * n * RLAB_IOP_COUNT + 1, sizeof *m->cells);
    struct rlab_iop_material *mat = calloc(n + 1, sizeof *mat);
    struct rlab_iop_work w = {{0}, NULL, 0, primes};
    const char *tmp = getenv("TMPDIR");
    snprintf(w.root, sizeof w.root, "%s/rsalab-interop-XXXXXX",
             tmp != NULL && tmp[0] != '\0' && strlen(tmp) < 32 ? tmp : "/tmp");
    if (m->cells == NULL || mat == NULL) {
        free(mat);
        rlab_iop_matrix_free(m);
        return RLAB_ERR_NOMEM;
    }
    if (mkdtemp(w.root) == NULL) {
        free(mat);
        rlab_iop_matrix_free(m);
        return rlab_error_set(RLAB_ERR_IO, "cannot make a temporary folder");
    }
    w.errfile = rlab_iop_path(w.root, "stderr.txt");
    for (size_t a = 0; a < n && !w.nomem; a++) {
        char sub[32];
        snprintf(sub, sizeof sub, "party%zu", a);
        mat[a].dir = rlab_iop_path(w.root, sub);
        if (w.errfile == NULL || mat[a].dir == NULL || mkdir(mat[a].dir, 0700) != 0) {
            w.nomem = 1;
            break;
        }
        if (parties[a].be != NULL)
            gen_backend(parties[a].be, bits, primes, &mat[a]);
        else
            gen_cli(&w, bits, &mat[a]);
        for (size_t b = 0; b < n; b++)
            pair(&w, m, a, b, &mat[a]);
    }
    for (size_t a = 0; a < n; a++) {
        if (mat[a].dir != NULL)
            remove_dir(mat[a].dir);
        material_clear(&mat[a]);
    }
    free(mat);
    remove_dir(w.root);
    free(w.errfile);
    return w.nomem ? RLAB_ERR_NOMEM : RLAB_OK;
}

void rlab_iop_matrix_free(struct rlab_iop_matrix *m)
{
    if (m == NULL)
        return;
    if (m->cells != NULL)
        for (size_t i = 0; i < m->n * m->n * RLAB_IOP_COUNT; i++)
            free(m->cells[i].detail);
    free(m->cells);
    memset(m, 0, sizeof *m);
}

void rlab_iop_count(const struct rlab_iop_matrix *m, size_t *ok, size_t *fail, size_t *skip)
{
    *ok = *fail = *skip = 0;
    for (size_t i = 0; i < m->n * m->n * RLAB_IOP_COUNT; i++) {
        switch (m->cells[i].status) {
        case RLAB_IOP_OK: (*ok)++; break;
        case RLAB_IOP_FAIL: (*fail)++; break;
        case RLAB_IOP_SKIP: (*skip)++; break;
        }
    }
}
