/*
 * The catalogue: which vector files exist, where, in which format, testing
 * what.  see vec.h
 *
 * Paths are relative to python3-cryptography-vectors' data folder
 * (/usr/lib/python3/dist-packages/cryptography_vectors on Debian).  A name
 * ending in "/<star>.txt" stands for every such file of that folder.  Wycheproof
 * files are found by reading each *.json of the Wycheproof folder and
 * keeping those whose "schema" is one of the RSA schemas below.
 * The list itself is data, vectors/catalogue.txt, which CMake also reads to
 * register the ctest entries (tests/vectors.cmake).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vectors/vec_int.h"

struct source {
    const char *source, *rel;
    rlab_vec_format fmt;
    rlab_vec_family family;
    rlab_hash hash;
    int encrypt;
};

/* From vectors/catalogue.txt, through CMake. */
#include "vectors/catalogue.inc"

static const struct source catalogue[] = {RLAB_CATALOGUE_FILES};

/* ---- growing the list --------------------------------------------------- */

static int push(struct rlab_vec_catalogue *c, const char *source, const char *path,
                const struct source *s)
{
    struct rlab_vec_entry *v = realloc(c->v, (c->n + 1) * sizeof *v);
    if (v == NULL)
        return RLAB_ERR_NOMEM;
    c->v = v;
    struct rlab_vec_entry *e = &v[c->n];
    memset(e, 0, sizeof *e);
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t stem = dot != NULL ? (size_t)(dot - base) : strlen(base);
    e->source = strdup(source);
    e->path = strdup(path);
    e->name = strndup(base, stem);
    if (e->source == NULL || e->path == NULL || e->name == NULL) {
        rlab_vec_entry_clear(e);
        return RLAB_ERR_NOMEM;
    }
    if (s != NULL) {
        e->fmt = s->fmt;
        e->family = s->family;
        e->hash = s->hash;
        e->encrypt = s->encrypt;
    }
    struct stat st;
    e->found = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    c->n++;
    return RLAB_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dir ending with suffix; *out NULL-terminated. */
static int list_dir(const char *dir, const char *suffix, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return RLAB_OK;
    size_t sl = strlen(suffix);
    struct dirent *de;
    int rc = RLAB_OK;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l <= sl || strcmp(de->d_name + l - sl, suffix) != 0)
            continue;
        char **v = realloc(*out, (*n + 2) * sizeof *v);
        if (v == NULL || (v[*n] = strdup(de->d_name)) == NULL) {
            if (v != NULL)
                *out = v;
            rc = RLAB_ERR_NOMEM;
            break;
        }
        *out = v;
        (*n)++;
        v[*n] = NULL;
    }
    closedir(d);
    if (*out != NULL)
        qsort(*out, *n, sizeof **out, cmp_str);
    return rc;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static char *join(const char *dir, const char *rel)
{
    return rlab_vec_strdupf("%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "", rel);
}

#ifndef RLAB_SOURCE_DIR
#define RLAB_SOURCE_DIR "."
#endif

/* A catalogue path: under the vector folder, or, with "@/", under the
 * source tree (files kept in vectors/data/). */
static char *catalogue_path(const char *vector_dir, const char *rel)
{
    if (strncmp(rel, "@/", 2) == 0)
        return join(RLAB_SOURCE_DIR, rel + 2);
    return join(vector_dir, rel);
}

/* ---- Wycheproof --------------------------------------------------------- */

static const struct {
    const char *prefix;
    rlab_vec_family family;
    rlab_vec_format fmt;
} rsa_schemas[] = {RLAB_CATALOGUE_SCHEMAS};

/*
 * The value of the top-level "schema" member, found by a scan of the text
 * (cheaper than parsing every JSON file of a full checkout); "" when the
 * file has no testGroups (a schema definition, not vectors).
 */
static int schema_of(const char *path, char *out, size_t size)
{
    struct rlab_buf text = RLAB_BUF_INIT;
    out[0] = '\0';
    int rc = rlab_vec_read_file(path, &text);
    if (rc != RLAB_OK)
        return rc;
    const char *t = (const char *)text.data;
    const char *p = strstr(t, "\"schema\"");
    if (p != NULL && strstr(t, "\"testGroups\"") != NULL) {
        p += 8;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ':')
            p++;
        if (*p == '"') {
            p++;
            size_t n = 0;
            while (p[n] != '\0' && p[n] != '"' && n + 1 < size)
                n++;
            memcpy(out, p, n);
            out[n] = '\0';
        }
    }
    rlab_buf_clear(&text);
    return RLAB_OK;
}

/* Classify one JSON file into a new entry, or leave the catalogue as is when
 * it is not a test file. */
static int wycheproof_file(struct rlab_vec_catalogue *c, const char *path)
{
    char schema[128];
    if (schema_of(path, schema, sizeof schema) != RLAB_OK || schema[0] == '\0')
        return RLAB_OK;
    int rc = push(c, "wycheproof", path, NULL);
    if (rc != RLAB_OK)
        return rc;
    struct rlab_vec_entry *e = &c->v[c->n - 1];
    e->fmt = RLAB_VEC_FMT_WYCHEPROOF;
    for (size_t i = 0; i < sizeof rsa_schemas / sizeof rsa_schemas[0]; i++) {
        size_t l = strlen(rsa_schemas[i].prefix);
        /* "..._schema.json" or "..._schema_v1.json", not a longer name */
        if (strncmp(schema, rsa_schemas[i].prefix, l) == 0 &&
            (schema[l] == '.' || schema[l] == '_')) {
            e->family = rsa_schemas[i].family;
            e->fmt = rsa_schemas[i].fmt;
            return RLAB_OK;
        }
    }
    e->not_run = rlab_vec_strdupf("schema %s is not an RSA schema: not run", schema);
    return e->not_run != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

static int is_dir(const char *p);

static int wycheproof_dir(struct rlab_vec_catalogue *c, const char *dir)
{
    /* A whole checkout: its vector folder (v1 names first). */
    char *v1 = join(dir, "testvectors_v1"), *v0 = join(dir, "testvectors");
    if (v1 == NULL || v0 == NULL) {
        free(v1);
        free(v0);
        return RLAB_ERR_NOMEM;
    }
    if (is_dir(v1))
        dir = v1;
    else if (is_dir(v0))
        dir = v0;
    char **names;
    size_t n;
    int rc = list_dir(dir, ".json", &names, &n);
    for (size_t i = 0; rc == RLAB_OK && i < n; i++) {
        char *path = join(dir, names[i]);
        rc = path != NULL ? wycheproof_file(c, path) : RLAB_ERR_NOMEM;
        free(path);
    }
    free_list(names, n);
    free(v1);
    free(v0);
    return rc;
}

/* ---- the catalogue ------------------------------------------------------ */

int rlab_vec_discover(const char *vector_dir, const char *wycheproof_dir_path,
                      struct rlab_vec_catalogue *out)
{
    memset(out, 0, sizeof *out);
    int rc = RLAB_OK;
    for (size_t i = 0; rc == RLAB_OK && i < sizeof catalogue / sizeof catalogue[0]; i++) {
        const struct source *s = &catalogue[i];
        const char *star = strstr(s->rel, "/*");
        if (star == NULL) {
            char *path = catalogue_path(vector_dir, s->rel);
            rc = path != NULL ? push(out, s->source, path, s) : RLAB_ERR_NOMEM;
            free(path);
            continue;
        }
        /* A folder glob: every file with the suffix after the '*'. */
        char *rel_dir = strndup(s->rel, (size_t)(star - s->rel));
        char *dir = rel_dir != NULL ? join(vector_dir, rel_dir) : NULL;
        char **names = NULL;
        size_t n = 0;
        rc = dir != NULL ? list_dir(dir, star + 2, &names, &n) : RLAB_ERR_NOMEM;
        if (rc == RLAB_OK && n == 0)
            rc = push(out, s->source, dir, s); /* listed as not found */
        for (size_t j = 0; rc == RLAB_OK && j < n; j++) {
            char *path = join(dir, names[j]);
            rc = path != NULL ? push(out, s->source, path, s) : RLAB_ERR_NOMEM;
            free(path);
        }
        free_list(names, n);
        free(dir);
        free(rel_dir);
    }
    if (rc == RLAB_OK && wycheproof_dir_path != NULL)
        rc = wycheproof_dir(out, wycheproof_dir_path);
    if (rc != RLAB_OK)
        rlab_vec_catalogue_free(out);
    return rc;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int copy_entry(const struct rlab_vec_entry *src, struct rlab_vec_entry *dst)
{
    *dst = *src;
    dst->source = strdup(src->source);
    dst->name = strdup(src->name);
    dst->path = strdup(src->path);
    dst->not_run = src->not_run != NULL ? strdup(src->not_run) : NULL;
    if (!dst->source || !dst->name || !dst->path || (src->not_run && !dst->not_run)) {
        rlab_vec_entry_clear(dst);
        return RLAB_ERR_NOMEM;
    }
    return RLAB_OK;
}

/* A Wycheproof file by path: classified on its own, no folder scan. */
static int wycheproof_one(const char *path, struct rlab_vec_entry *out)
{
    struct rlab_vec_catalogue one = {0};
    int rc = wycheproof_file(&one, path);
    if (rc == RLAB_OK && one.n == 1) {
        *out = one.v[0];
        free(one.v);
        return RLAB_OK;
    }
    rlab_vec_catalogue_free(&one);
    return rc == RLAB_OK ? RLAB_ERR_NOT_FOUND : rc;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t l = strlen(s), n = strlen(suffix);
    return l > n && strcmp(s + l - n, suffix) == 0;
}

int rlab_vec_entry_for(const char *file, const char *vector_dir,
                       const char *wycheproof_dir_path, struct rlab_vec_entry *out)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    int exists = stat(file, &st) == 0 && S_ISREG(st.st_mode);
    if (exists && ends_with(file, ".json"))
        return wycheproof_one(file, out);

    struct rlab_vec_catalogue cat;
    int rc = rlab_vec_discover(vector_dir, NULL, &cat);
    if (rc != RLAB_OK)
        return rc;
    rc = RLAB_ERR_NOT_FOUND;
    for (size_t i = 0; i < cat.n; i++) {
        const struct rlab_vec_entry *e = &cat.v[i];
        char qualified[256];
        snprintf(qualified, sizeof qualified, "%s.%s", e->source, e->name);
        if (strcmp(file, e->name) == 0 || strcmp(file, qualified) == 0 ||
            (e->found && same_file(file, e->path))) {
            rc = copy_entry(e, out);
            break;
        }
    }
    /* A copy of a catalogue file elsewhere: known by its name, read from
     * the path given. */
    if (rc == RLAB_ERR_NOT_FOUND && exists) {
        const char *base = strrchr(file, '/');
        base = base != NULL ? base + 1 : file;
        for (size_t i = 0; i < cat.n; i++) {
            const struct rlab_vec_entry *e = &cat.v[i];
            size_t nl = strlen(e->name);
            if (strncmp(base, e->name, nl) != 0 || base[nl] != '.')
                continue;
            if ((rc = copy_entry(e, out)) == RLAB_OK) {
                free(out->path);
                out->path = strdup(file);
                out->found = 1;
                if (out->path == NULL) {
                    rlab_vec_entry_clear(out);
                    rc = RLAB_ERR_NOMEM;
                }
            }
            break;
        }
    }
    rlab_vec_catalogue_free(&cat);
    /* A Wycheproof file by name: "rsa_pss_..._test" or "wycheproof.rsa_...". */
    if (rc == RLAB_ERR_NOT_FOUND && wycheproof_dir_path != NULL) {
        const char *name = strncmp(file, "wycheproof.", 11) == 0 ? file + 11 : file;
        struct rlab_vec_catalogue wp = {0};
        if ((rc = wycheproof_dir(&wp, wycheproof_dir_path)) != RLAB_OK) {
            rlab_vec_catalogue_free(&wp);
            return rc;
        }
        rc = RLAB_ERR_NOT_FOUND;
        for (size_t i = 0; i < wp.n; i++)
            if (wp.v[i].fmt == RLAB_VEC_FMT_WYCHEPROOF && strcmp(wp.v[i].name, name) == 0) {
                rc = copy_entry(&wp.v[i], out);
                break;
            }
        rlab_vec_catalogue_free(&wp);
    }
    return rc;
}

void rlab_vec_entry_clear(struct rlab_vec_entry *e)
{
    if (e == NULL)
        return;
    free(e->source);
    free(e->name);
    free(e->path);
    free(e->not_run);
    memset(e, 0, sizeof *e);
}

void rlab_vec_catalogue_free(struct rlab_vec_catalogue *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        rlab_vec_entry_clear(&c->v[i]);
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

/* ---- default folders ----------------------------------------------------- */

#ifndef RLAB_VECTOR_DIR_DEFAULT
#define RLAB_VECTOR_DIR_DEFAULT "/usr/lib/python3/dist-packages/cryptography_vectors"
#endif

static int is_dir(const char *p)
{
    struct stat st;
    return p != NULL && p[0] != '\0' && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *rlab_vec_default_vector_dir(void)
{
    const char *env = getenv("RSALAB_VECTORS");
    return env != NULL && env[0] != '\0' ? env : RLAB_VECTOR_DIR_DEFAULT;
}

const char *rlab_vec_default_wycheproof_dir(void)
{
    const char *env = getenv("RSALAB_WYCHEPROOF");
    if (env != NULL && env[0] != '\0')
        return env;
#ifdef RLAB_WYCHEPROOF_DIR_DEFAULT
    if (is_dir(RLAB_WYCHEPROOF_DIR_DEFAULT))
        return RLAB_WYCHEPROOF_DIR_DEFAULT;
#endif
    return NULL;
}
