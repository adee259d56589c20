/* see inbox.h */
#include "core/inbox.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/errors.h"

#define TMP_NAME "/.rlab-in.XXXXXX"

int rlab_inbox_check_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 255)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "a file name of %zu bytes", n);
    if (strchr(name, '/') != NULL)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "file name \"%.64s\" contains '/'", name);
    if (name[0] == '.')
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "file name \"%.64s\" starts with '.'",
                              name);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return rlab_error_set(RLAB_ERR_INVALID_ARG,
                                  "file name with a control character (byte %zu)", i);
    return RLAB_OK;
}

/* The longest name the inbox's file system takes (255 when it does not say). */
static size_t name_max(const char *dir)
{
    long m = pathconf(dir, _PC_NAME_MAX);
    return m > 0 ? (size_t)m : 255;
}

/* Candidate i of the series for target `base` (DIR/name): 0 is the name
 * itself, then name.1, ...  Returns 0, or -1 when it does not fit in
 * `max` bytes of file name (or in the buffer). */
static int candidate(const char *base, size_t base_name_len, size_t max, int i, char *out,
                     size_t out_len)
{
    char sfx[16] = ""; /* "." and any int */
    if (i > 0)
        snprintf(sfx, sizeof sfx, ".%d", i);
    if (base_name_len + strlen(sfx) > max)
        return -1;
    int n = snprintf(out, out_len, "%s%s", base, sfx);
    return n < 0 || (size_t)n >= out_len ? -1 : 0;
}

int rlab_inbox_open(const char *dir, const char *name, struct rlab_filew *w)
{
    *w = (struct rlab_filew)RLAB_FILEW_INIT;
    int rc = rlab_inbox_check_name(name);
    if (rc != RLAB_OK)
        return rc;
    size_t nl = strlen(name), max = name_max(dir);
    if (nl > max)
        return rlab_error_set(RLAB_ERR_INVALID_ARG,
                              "a file name of %zu bytes: the inbox's file system takes %zu", nl,
                              max);
    size_t dl = strlen(dir);
    if (dl + 1 + nl + 4 >= 4096)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "inbox path too long");
    char *path = malloc(dl + 1 + nl + 1), *tmp = malloc(dl + sizeof TMP_NAME);
    if (path == NULL || tmp == NULL) {
        free(path);
        free(tmp);
        return RLAB_ERR_NOMEM;
    }
    snprintf(path, dl + 1 + nl + 1, "%s/%s", dir, name);
    /* Refuse early a name whose whole series is taken: the peer then sends
     * no data for nothing.  The name is chosen again at commit. */
    char c[4096];
    struct stat st;
    int free_name = 0;
    for (int i = 0; i <= RLAB_INBOX_SUFFIX_MAX && !free_name; i++) {
        if (candidate(path, nl, max, i, c, sizeof c) != 0)
            break;
        free_name = lstat(c, &st) != 0 && errno == ENOENT;
    }
    if (!free_name) {
        rc = rlab_error_set(RLAB_ERR_EXISTS, "%s/%.64s: no free name (it and its suffixed names "
                            "are taken)", dir, name);
        free(path);
        free(tmp);
        return rc;
    }
    memcpy(tmp, dir, dl);
    memcpy(tmp + dl, TMP_NAME, sizeof TMP_NAME);
    /* mkstemp creates the file 0600. */
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = rlab_error_set(RLAB_ERR_IO, "%s: %s", dir, strerror(errno));
        free(path);
        free(tmp);
        return rc;
    }
    w->fd = fd;
    w->path = path;
    w->tmp = tmp;
    w->mode = 0644;
    return RLAB_OK;
}

/* Link the closed temporary to the first free candidate. */
static int place(struct rlab_filew *w, char *final_path, size_t final_len)
{
    /* w->path is DIR/name, made by rlab_inbox_open (under 4096 bytes). */
    char dir[4096], c[4096];
    const char *slash = strrchr(w->path, '/');
    size_t dl = (size_t)(slash - w->path);
    memcpy(dir, w->path, dl);
    dir[dl] = '\0';
    size_t max = name_max(dl > 0 ? dir : "/"), nl = strlen(slash + 1);
    for (int i = 0; i <= RLAB_INBOX_SUFFIX_MAX; i++) {
        if (candidate(w->path, nl, max, i, c, sizeof c) != 0)
            break;
        /* link(2) refuses an existing name atomically. */
        int e = link(w->tmp, c) == 0 ? 0 : errno;
        if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP) {
            /* A file system without hard links: check, then rename (the
             * server is one thread: no transfer of its own comes between). */
            struct stat st;
            if (lstat(c, &st) == 0)
                e = EEXIST;
            else
                e = rename(w->tmp, c) == 0 ? 0 : errno;
        }
        if (e == EEXIST)
            continue;
        if (e != 0)
            return rlab_error_set(RLAB_ERR_IO, "%s: %s", c, strerror(e));
        if (final_path != NULL)
            snprintf(final_path, final_len, "%s", c);
        return RLAB_OK;
    }
    return rlab_error_set(RLAB_ERR_EXISTS, "%.200s: no free name (it and its suffixed names "
                          "are taken)", w->path);
}

int rlab_inbox_commit(struct rlab_filew *w, char *final_path, size_t final_len)
{
    if (w->fd < 0)
        return RLAB_ERR_INVALID_ARG;
    int rc = rlab_filew_flush(w);
    if (rc == RLAB_OK && (fchmod(w->fd, (mode_t)w->mode) != 0 || fsync(w->fd) != 0))
        rc = rlab_error_set(RLAB_ERR_IO, "%s: %s", w->path, strerror(errno));
    if (close(w->fd) != 0 && rc == RLAB_OK)
        rc = rlab_error_set(RLAB_ERR_IO, "%s: %s", w->path, strerror(errno));
    w->fd = -1;
    if (rc == RLAB_OK)
        rc = place(w, final_path, final_len);
    /* Linked or not, the temporary goes (after a rename it is gone already). */
    rlab_filew_abort(w);
    return rc;
}
