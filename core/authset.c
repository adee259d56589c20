/* see authset.h */
#include "core/authset.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends/ops.h"
#include "core/keyfile.h"

int rlab_spki_of(const struct rlab_backend *be, const rlab_key *k, struct rlab_buf *out)
{
    return rlab_key_export(be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_DER, out);
}

static void stem(const char *path, char *out, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b != NULL ? b + 1 : path;
    size_t n = strcspn(b, ".");
    if (n == 0)
        n = strlen(b);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

static int add_file(struct rlab_authset *set, const struct rlab_backend *be, const char *path)
{
    if (set->n >= RLAB_AUTHSET_MAX)
        return rlab_error_set(RLAB_ERR_TOO_BIG, "more than %d authorized keys", RLAB_AUTHSET_MAX);
    rlab_key *k = NULL;
    int rc = rlab_keyfile_load(be, path, &k);
    if (rc != RLAB_OK) {
        snprintf(set->last_error, sizeof set->last_error, "%s: %s", path,
                 rlab_error_detail()[0] ? rlab_error_detail() : rlab_strerror(rc));
        return rc;
    }
    struct rlab_buf spki = RLAB_BUF_INIT;
    rc = rlab_spki_of(be, k, &spki);
    rlab_key_free(k);
    if (rc != RLAB_OK)
        return rc;
    struct rlab_authset_entry *v = realloc(set->v, (set->n + 1) * sizeof *v);
    if (v == NULL) {
        rlab_buf_clear(&spki);
        return RLAB_ERR_NOMEM;
    }
    set->v = v;
    v[set->n].spki = spki.data;
    v[set->n].spki_len = spki.len;
    stem(path, v[set->n].name, sizeof v[set->n].name);
    set->n++;
    return RLAB_OK;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int rlab_authset_load(struct rlab_authset *set, const struct rlab_backend *be, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return rlab_error_set(RLAB_ERR_NOT_FOUND, "%s: no such file or folder", path);
    if (!S_ISDIR(st.st_mode))
        return add_file(set, be, path);
    DIR *d = opendir(path);
    if (d == NULL)
        return rlab_error_set(RLAB_ERR_IO, "%s: cannot open the folder", path);
    char **names = NULL;
    size_t n = 0;
    int rc = RLAB_OK;
    struct dirent *de;
    while (rc == RLAB_OK && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char **nv = realloc(names, (n + 1) * sizeof *nv);
        if (nv == NULL || (nv[n] = strdup(de->d_name)) == NULL) {
            if (nv != NULL)
                names = nv;
            rc = RLAB_ERR_NOMEM;
            break;
        }
        names = nv;
        n++;
    }
    closedir(d);
    if (names != NULL)
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; rc == RLAB_OK && i < n; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
            rc = add_file(set, be, full);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc == RLAB_OK && set->n == 0)
        rc = rlab_error_set(RLAB_ERR_NOT_FOUND, "%s: no key files", path);
    return rc;
}

const struct rlab_authset_entry *rlab_authset_find(const struct rlab_authset *set,
                                                   const uint8_t *spki, size_t len)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->v[i].spki_len == len && memcmp(set->v[i].spki, spki, len) == 0)
            return &set->v[i];
    return NULL;
}

int rlab_authset_authorize(void *set, const uint8_t *spki, size_t len)
{
    return rlab_authset_find(set, spki, len) != NULL;
}

void rlab_authset_clear(struct rlab_authset *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->v[i].spki);
    free(set->v);
    memset(set, 0, sizeof *set);
}
