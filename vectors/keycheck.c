/* The key-strictness corpus and its matrix.  see keycheck.h */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/ops.h"
#include "core/fileio.h"
#include "vectors/keycheck.h"
#include "vectors/vec_int.h"

/* ---- the index ----------------------------------------------------------- */

enum { KC_FIELDS = 7 };

/* Split line (modified in place) at '|' into exactly KC_FIELDS trimmed
 * fields; 0 when the count is wrong or a field is empty. */
static int split(char *line, char *f[KC_FIELDS])
{
    size_t n = 0;
    for (char *p = line;; p++) {
        char *bar = strchr(p, '|');
        if (n == KC_FIELDS)
            return 0;
        f[n++] = p;
        if (bar == NULL)
            break;
        *bar = '\0';
        p = bar;
    }
    for (size_t i = 0; i < n; i++) {
        char *s = f[i];
        while (*s == ' ' || *s == '\t')
            s++;
        char *e = s + strlen(s);
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            *--e = '\0';
        if (*s == '\0')
            return 0;
        f[i] = s;
    }
    return n == KC_FIELDS;
}

static int fmt_of(const char *name, rlab_keyfmt *fmt)
{
    for (int i = 0; i < RLAB_KEYFMT_COUNT; i++) {
        if (strcmp(name, rlab_keyfmt_name((rlab_keyfmt)i)) == 0) {
            *fmt = (rlab_keyfmt)i;
            return 1;
        }
    }
    return 0;
}

static void key_clear(struct rlab_kc_key *k)
{
    free(k->file);
    free(k->path);
    free(k->rule);
    free(k->source);
    free(k->what);
    memset(k, 0, sizeof *k);
}

/* One index line into k; RLAB_ERR_PARSE names the line. */
static int parse_line(const char *dir, char *line, size_t lineno, struct rlab_kc_key *k)
{
    char *f[KC_FIELDS];
    memset(k, 0, sizeof *k);
    if (!split(line, f))
        return rlab_error_set(RLAB_ERR_PARSE, "index.txt line %zu: expected %d fields "
                              "separated by '|'", lineno, KC_FIELDS);
    if (strchr(f[0], '/') != NULL || f[0][0] == '.')
        return rlab_error_set(RLAB_ERR_PARSE, "index.txt line %zu: '%s' is not a file name "
                              "of the corpus folder", lineno, f[0]);
    if (!fmt_of(f[1], &k->fmt))
        return rlab_error_set(RLAB_ERR_PARSE, "index.txt line %zu: unknown format '%s'",
                              lineno, f[1]);
    if (strcmp(f[2], "der") == 0)
        k->enc = RLAB_ENC_DER;
    else if (strcmp(f[2], "pem") == 0)
        k->enc = RLAB_ENC_PEM;
    else
        return rlab_error_set(RLAB_ERR_PARSE, "index.txt line %zu: encoding '%s' is not "
                              "der or pem", lineno, f[2]);
    if (strcmp(f[3], "accept") == 0)
        k->expect_accept = 1;
    else if (strcmp(f[3], "refuse") != 0)
        return rlab_error_set(RLAB_ERR_PARSE, "index.txt line %zu: expect '%s' is not "
                              "accept or refuse", lineno, f[3]);
    k->file = strdup(f[0]);
    k->path = rlab_vec_strdupf("%s/%s", dir, f[0]);
    k->rule = strdup(f[4]);
    k->source = strdup(f[5]);
    k->what = strdup(f[6]);
    if (!k->file || !k->path || !k->rule || !k->source || !k->what) {
        key_clear(k);
        return RLAB_ERR_NOMEM;
    }
    struct stat st;
    if (stat(k->path, &st) != 0 || !S_ISREG(st.st_mode)) {
        int rc = rlab_error_set(RLAB_ERR_IO, "index.txt line %zu: no file %s", lineno, k->path);
        key_clear(k);
        return rc;
    }
    return RLAB_OK;
}

int rlab_kc_load(const char *dir, struct rlab_kc_corpus *out)
{
    memset(out, 0, sizeof *out);
    char *index = rlab_vec_strdupf("%s/index.txt", dir);
    out->dir = strdup(dir);
    if (index == NULL || out->dir == NULL) {
        free(index);
        rlab_kc_corpus_free(out);
        return RLAB_ERR_NOMEM;
    }
    struct rlab_buf text = RLAB_BUF_INIT;
    int rc = rlab_file_read(index, RLAB_VECFILE_MAX, &text);
    free(index);
    /* A NUL-terminated copy to cut into lines. */
    char *t = rc == RLAB_OK ? strndup((const char *)text.data, text.len) : NULL;
    rlab_buf_clear(&text);
    if (rc == RLAB_OK && t == NULL)
        rc = RLAB_ERR_NOMEM;
    size_t lineno = 0;
    for (char *line = t, *next; rc == RLAB_OK && line != NULL; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        const char *s = line + strspn(line, " \t\r");
        if (*s == '\0' || *s == '#')
            continue;
        struct rlab_kc_key *v = realloc(out->v, (out->n + 1) * sizeof *v);
        if (v == NULL) {
            rc = RLAB_ERR_NOMEM;
            break;
        }
        out->v = v;
        if ((rc = parse_line(dir, line, lineno, &v[out->n])) == RLAB_OK)
            out->n++;
    }
    free(t);
    if (rc == RLAB_OK && out->n == 0)
        rc = rlab_error_set(RLAB_ERR_PARSE, "%s/index.txt lists no key", dir);
    if (rc != RLAB_OK)
        rlab_kc_corpus_free(out);
    return rc;
}

void rlab_kc_corpus_free(struct rlab_kc_corpus *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        key_clear(&c->v[i]);
    free(c->v);
    free(c->dir);
    memset(c, 0, sizeof *c);
}

#ifndef RLAB_KEYCHECK_DIR_DEFAULT
#define RLAB_KEYCHECK_DIR_DEFAULT "vectors/data/keycheck"
#endif

const char *rlab_kc_default_dir(void)
{
    const char *env = getenv("RSALAB_KEYCHECK");
    if (env != NULL && env[0] != '\0')
        return env;
    struct stat st;
    if (stat(RLAB_KEYCHECK_DIR_DEFAULT, &st) == 0 && S_ISDIR(st.st_mode))
        return RLAB_KEYCHECK_DIR_DEFAULT;
    return NULL;
}

/* ---- the matrix ---------------------------------------------------------- */

static int import_cell(const struct rlab_backend *be, const struct rlab_kc_key *k,
                       const struct rlab_buf *data, struct rlab_kc_cell *cell)
{
    struct rlab_op_query q = {.op = RLAB_OP_IMPORT};
    const char *why = rlab_backend_check(be, &q);
    if (why != NULL) {
        cell->verdict = RLAB_KC_SKIPPED;
        cell->rc = RLAB_ERR_UNSUPPORTED;
        cell->detail = strdup(why);
        return cell->detail != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
    }
    rlab_key *key = NULL;
    rlab_error_clear();
    int rc = rlab_key_import(be, k->fmt, k->enc, data->data, data->len, &key);
    if (rc == RLAB_ERR_NOMEM)
        return rc;
    cell->rc = rc;
    cell->detail = strdup(rc == RLAB_OK ? "" : rlab_error_detail());
    if (rc == RLAB_OK && key != NULL) {
        cell->verdict = RLAB_KC_ACCEPTED;
        cell->bits = key->bits;
        cell->has_private = key->has_private;
    } else {
        cell->verdict = RLAB_KC_REFUSED;
        if (rc == RLAB_OK) /* success without a key: a broken slot, say so */
            cell->rc = RLAB_ERR_BACKEND;
    }
    rlab_key_free(key);
    return cell->detail != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

int rlab_kc_run(const struct rlab_kc_corpus *c, const struct rlab_backend *const *backends,
                size_t n_backends, struct rlab_kc_matrix *m)
{
    memset(m, 0, sizeof *m);
    m->corpus = c;
    m->backends = backends;
    m->n_backends = n_backends;
    m->cells = calloc(c->n * n_backends + 1, sizeof *m->cells);
    if (m->cells == NULL)
        return RLAB_ERR_NOMEM;
    int rc = RLAB_OK;
    for (size_t i = 0; rc == RLAB_OK && i < c->n; i++) {
        struct rlab_buf data = RLAB_BUF_INIT;
        rc = rlab_file_read(c->v[i].path, RLAB_KEYFILE_MAX, &data);
        for (size_t b = 0; rc == RLAB_OK && b < n_backends; b++)
            rc = import_cell(backends[b], &c->v[i], &data, &m->cells[i * n_backends + b]);
        rlab_buf_clear(&data);
    }
    if (rc != RLAB_OK)
        rlab_kc_matrix_free(m);
    return rc;
}

void rlab_kc_matrix_free(struct rlab_kc_matrix *m)
{
    if (m == NULL)
        return;
    if (m->cells != NULL && m->corpus != NULL)
        for (size_t i = 0; i < m->corpus->n * m->n_backends; i++)
            free(m->cells[i].detail);
    free(m->cells);
    memset(m, 0, sizeof *m);
}

int rlab_kc_as_expected(const struct rlab_kc_matrix *m, size_t key, size_t backend)
{
    const struct rlab_kc_cell *c = rlab_kc_cell_at(m, key, backend);
    if (c->verdict == RLAB_KC_SKIPPED)
        return 0;
    return (c->verdict == RLAB_KC_ACCEPTED) == (m->corpus->v[key].expect_accept != 0);
}

void rlab_kc_tally(const struct rlab_kc_matrix *m, size_t backend, struct rlab_kc_tally *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < m->corpus->n; i++) {
        const struct rlab_kc_cell *c = rlab_kc_cell_at(m, i, backend);
        int control = m->corpus->v[i].expect_accept;
        t->keys++;
        if (c->verdict == RLAB_KC_SKIPPED) {
            t->skipped++;
        } else if (c->verdict == RLAB_KC_ACCEPTED) {
            t->accepted++;
            t->bad_accepted += !control;
        } else {
            t->refused++;
            t->control_refused += control;
        }
    }
}
