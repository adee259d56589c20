/* see fileio.h */
#include "core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ct.h"
#include "base/errors.h"

static int is_stdin(const char *path)
{
    return strcmp(path, "-") == 0;
}

void *rlab_file_open_input(const char *path, int *err)
{
    *err = RLAB_OK;
    if (is_stdin(path))
        return stdin;
    /* O_NONBLOCK so that opening a FIFO with no writer cannot hang; the
     * descriptor is refused below anyway unless it is a regular file. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        *err = rlab_error_set(e == ENOENT ? RLAB_ERR_NOT_FOUND : RLAB_ERR_IO,
                              "%s: %s", path, strerror(e));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        *err = rlab_error_set(RLAB_ERR_IO, "%s: not a regular file", path);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (f == NULL) {
        close(fd);
        *err = rlab_error_set(RLAB_ERR_IO, "%s: %s", path, strerror(errno));
    }
    return f;
}

/* Grow by copying into a fresh block and wiping the old one: realloc would
 * leave a copy of a private key in freed memory. */
static int grow(uint8_t **p, size_t *cap, size_t used, size_t limit)
{
    size_t ncap = *cap ? *cap * 2 : 4096;
    if (ncap > limit)
        ncap = limit;
    uint8_t *n = malloc(ncap);
    if (n == NULL)
        return RLAB_ERR_NOMEM;
    if (used > 0)
        memcpy(n, *p, used);
    rlab_free_secret(*p, *cap);
    *p = n;
    *cap = ncap;
    return RLAB_OK;
}

int rlab_file_read(const char *path, size_t max, struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    int rc;
    FILE *f = rlab_file_open_input(path, &rc);
    if (f == NULL)
        return rc;
    const char *shown = is_stdin(path) ? "standard input" : path;

    /* Room for max bytes, one more to see that there is more, and the NUL. */
    size_t limit = max + 2, cap = 0, used = 0;
    uint8_t *p = NULL;
    rc = RLAB_OK;
    for (;;) {
        if (used + 1 >= cap) {
            if (cap == limit) {
                rc = rlab_error_set(RLAB_ERR_TOO_BIG, "%s: larger than %zu bytes",
                                    shown, max);
                break;
            }
            if ((rc = grow(&p, &cap, used, limit)) != RLAB_OK)
                break;
        }
        size_t n = fread(p + used, 1, cap - 1 - used, f);
        used += n;
        if (n == 0) {
            if (ferror(f))
                rc = rlab_error_set(RLAB_ERR_IO, "%s: %s", shown, strerror(errno));
            break;
        }
    }
    if (rc == RLAB_OK && used > max)
        rc = rlab_error_set(RLAB_ERR_TOO_BIG, "%s: larger than %zu bytes", shown, max);
    if (f != stdin)
        fclose(f);
    if (rc != RLAB_OK) {
        rlab_free_secret(p, cap);
        return rc;
    }
    p[used] = '\0';
    /* rlab_buf_clear wipes len bytes; past used + 1 nothing was written. */
    rlab_wipe(p + used + 1, cap - used - 1);
    out->data = p;
    out->len = used;
    return RLAB_OK;
}

/* ---- the streaming writer ---------------------------------------------- */

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void release(struct rlab_filew *w)
{
    if (w->buf != NULL) {
        rlab_wipe(w->buf, RLAB_FILEW_BUF);
        munmap(w->buf, RLAB_FILEW_BUF);
    }
    w->buf = NULL;
    w->buf_len = 0;
    free(w->path);
    free(w->tmp);
    w->path = w->tmp = NULL;
    w->fd = -1;
}

void rlab_filew_abort(struct rlab_filew *w)
{
    if (w == NULL)
        return;
    if (w->fd >= 0)
        close(w->fd);
    if (w->tmp != NULL)
        unlink(w->tmp);
    release(w);
}

static int check_target(const char *path, int force)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return RLAB_OK;
    if (!force)
        return rlab_error_set(RLAB_ERR_EXISTS, "%s", path);
    /* rename() would replace a device or fifo (think /dev/null) by a plain
     * file: never do that. */
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        return rlab_error_set(RLAB_ERR_IO, "%s: not a regular file", path);
    return RLAB_OK;
}

int rlab_filew_open(struct rlab_filew *w, const char *path, unsigned mode,
                    int force)
{
    *w = (struct rlab_filew)RLAB_FILEW_INIT;
    int rc = check_target(path, force);
    if (rc != RLAB_OK)
        return rc;
    size_t plen = strlen(path);
    w->path = strdup(path);
    w->tmp = malloc(plen + sizeof ".tmp.XXXXXX");
    if (w->path == NULL || w->tmp == NULL) {
        release(w);
        return RLAB_ERR_NOMEM;
    }
    memcpy(w->tmp, path, plen);
    memcpy(w->tmp + plen, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    /* mkstemp creates the file 0600. */
    w->fd = mkstemp(w->tmp);
    if (w->fd < 0) {
        rc = rlab_error_set(RLAB_ERR_IO, "%s: %s", path, strerror(errno));
        free(w->tmp);
        w->tmp = NULL;
        release(w);
        return rc;
    }
    w->mode = mode;
    w->force = force;
    return RLAB_OK;
}

int rlab_filew_write(struct rlab_filew *w, const void *p, size_t len)
{
    if (w->fd < 0)
        return RLAB_ERR_INVALID_ARG;
    const uint8_t *q = p;
    if (w->buf == NULL && len < RLAB_FILEW_BUF) {
        /* mapped: given back whole at the end, not left in the heap */
        void *m = mmap(NULL, RLAB_FILEW_BUF, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return RLAB_ERR_NOMEM;
        w->buf = m;
    }
    while (len > 0) {
        if (w->buf_len == 0 && len >= RLAB_FILEW_BUF) {
            /* A whole piece or more: straight to the file. */
            if (write_all(w->fd, q, len) != 0)
                return rlab_error_set(RLAB_ERR_IO, "%s: %s", w->path, strerror(errno));
            w->written += len;
            return RLAB_OK;
        }
        size_t take = RLAB_FILEW_BUF - w->buf_len;
        if (take > len)
            take = len;
        memcpy(w->buf + w->buf_len, q, take);
        w->buf_len += take;
        w->written += take;
        q += take;
        len -= take;
        if (w->buf_len == RLAB_FILEW_BUF) {
            int rc = rlab_filew_flush(w);
            if (rc != RLAB_OK)
                return rc;
        }
    }
    return RLAB_OK;
}

int rlab_filew_flush(struct rlab_filew *w)
{
    if (w->fd < 0)
        return RLAB_ERR_INVALID_ARG;
    if (w->buf_len == 0)
        return RLAB_OK;
    int bad = write_all(w->fd, w->buf, w->buf_len) != 0;
    rlab_wipe(w->buf, w->buf_len);
    w->buf_len = 0;
    if (bad)
        return rlab_error_set(RLAB_ERR_IO, "%s: %s", w->path, strerror(errno));
    return RLAB_OK;
}

/* Close the temporary after fsync; the name is not given yet. */
static int finish(struct rlab_filew *w)
{
    if (w->fd < 0)
        return RLAB_ERR_INVALID_ARG;
    int rc = rlab_filew_flush(w);
    if (rc == RLAB_OK && (fchmod(w->fd, (mode_t)w->mode) != 0 || fsync(w->fd) != 0))
        rc = rlab_error_set(RLAB_ERR_IO, "%s: %s", w->path, strerror(errno));
    if (close(w->fd) != 0 && rc == RLAB_OK)
        rc = rlab_error_set(RLAB_ERR_IO, "%s: %s", w->path, strerror(errno));
    w->fd = -1;
    return rc;
}

/* Give the closed temporary its final name. */
static int place(struct rlab_filew *w)
{
    if (w->force) {
        if (rename(w->tmp, w->path) != 0)
            return rlab_error_set(RLAB_ERR_IO, "%s: %s", w->path, strerror(errno));
        return RLAB_OK;
    }
    /* link() refuses an existing target atomically, closing the window
     * between the check at open and the final name appearing. */
    if (link(w->tmp, w->path) == 0) {
        unlink(w->tmp);
        return RLAB_OK;
    }
    int e = errno;
    if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP) {
        /* A file system without hard links: check, then rename. */
        struct stat st;
        if (lstat(w->path, &st) == 0)
            e = EEXIST;
        else if (rename(w->tmp, w->path) == 0)
            return RLAB_OK;
        else
            e = errno;
    }
    return e == EEXIST ? rlab_error_set(RLAB_ERR_EXISTS, "%s", w->path)
                       : rlab_error_set(RLAB_ERR_IO, "%s: %s", w->path, strerror(e));
}

int rlab_filew_commit(struct rlab_filew *w)
{
    int rc = finish(w);
    if (rc == RLAB_OK)
        rc = place(w);
    if (rc != RLAB_OK) {
        rlab_filew_abort(w);
        return rc;
    }
    release(w);
    return RLAB_OK;
}

int rlab_file_write(const char *path, const uint8_t *data, size_t len,
                    unsigned mode, int force)
{
    struct rlab_file_part part = {path, data, len, mode};
    return rlab_files_write(&part, 1, force);
}

int rlab_files_write(const struct rlab_file_part *parts, size_t n, int force)
{
    struct rlab_filew w[4];
    if (n == 0 || n > sizeof w / sizeof w[0])
        return RLAB_ERR_INVALID_ARG;
    size_t opened = 0;
    int rc = RLAB_OK;
    for (; opened < n; opened++) {
        rc = rlab_filew_open(&w[opened], parts[opened].path, parts[opened].mode, force);
        if (rc != RLAB_OK)
            break;
        rc = rlab_filew_write(&w[opened], parts[opened].data, parts[opened].len);
        if (rc == RLAB_OK)
            rc = finish(&w[opened]);
        if (rc != RLAB_OK) {
            opened++;
            break;
        }
    }
    /* Every temporary is written: re-check the targets, then name them. */
    for (size_t i = 0; rc == RLAB_OK && i < n; i++)
        rc = check_target(parts[i].path, force);
    size_t placed = 0;
    for (; rc == RLAB_OK && placed < n; placed++)
        rc = place(&w[placed]);
    for (size_t i = 0; i < opened; i++) {
        if (i < placed && rc == RLAB_OK)
            release(&w[i]);
        else
            rlab_filew_abort(&w[i]);
    }
    return rc;
}
