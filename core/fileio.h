/*
 * Files: bounded reads and all-or-nothing writes.
 *
 * Every input read whole is read with a cap: a key file, a vector file or a
 * signature can never make rsalab allocate more than the cap, and a FIFO, a
 * character device or a directory is refused before it is read (only regular
 * files, or standard input as "-", are inputs).
 *
 * Writes go to a temporary name beside the target (created 0600, so a
 * private key is never readable by others even for a moment) and reach the
 * target name only on commit; abort, or any error, removes the temporary.
 */
#ifndef RLAB_FILEIO_H
#define RLAB_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Caps for inputs that are read whole (documented in the README). */
#define RLAB_KEYFILE_MAX ((size_t)1 << 20)     /* key files: 1 MiB */
#define RLAB_VECFILE_MAX ((size_t)256 << 20)   /* vector files: 256 MiB */

/* Read a whole regular file (or standard input when path is "-") of at most
 * `max` bytes into *out.  The buffer holds one more byte, a NUL after the
 * data, so text parsers may treat it as a C string; out->len excludes it.
 * Errors: RLAB_ERR_NOT_FOUND (no such file), RLAB_ERR_IO (not a regular
 * file, read error), RLAB_ERR_TOO_BIG (more than max bytes); the detail names
 * the path.  The buffer is wiped when released (rlab_buf_clear). */
int rlab_file_read(const char *path, size_t max, struct rlab_buf *out);

/* Open path for reading as an input: a regular file, or stdin for "-".
 * Returns NULL with the error detail set (as rlab_file_read) otherwise.
 * *err receives the error code. */
void *rlab_file_open_input(const char *path, int *err); /* FILE * */

/* ---- the streaming writer ---------------------------------------------- */

struct rlab_filew {
    int fd;            /* -1 when not open */
    char *path;        /* the target name */
    char *tmp;         /* the temporary name, beside the target */
    unsigned mode;
    int force;         /* replace an existing target on commit */
    unsigned long long written; /* bytes accepted, buffered ones included */
    uint8_t *buf;      /* write-behind buffer (RLAB_FILEW_BUF), made on demand */
    size_t buf_len;
};

#define RLAB_FILEW_INIT {-1, NULL, NULL, 0, 0, 0, NULL, 0}

/* Writes are gathered into pieces of this size: one write(2) per piece, not
 * one per 16 KiB chunk received, is what lets a file go to disk (or tmpfs)
 * at memory speed; see docs/BENCHMARKS.md.  The buffer is wiped when freed. */
#define RLAB_FILEW_BUF (256u * 1024u)

/* Create a temporary file beside `path` (in the same directory, so that the
 * rename is atomic).  Without `force`, an existing path is RLAB_ERR_EXISTS
 * now and again at commit.  A target that exists and is not a regular file
 * (a device, a FIFO) is RLAB_ERR_IO: it is never replaced by a file. */
int rlab_filew_open(struct rlab_filew *w, const char *path, unsigned mode,
                    int force);
/* Append len bytes (buffered). RLAB_ERR_IO on failure (the writer stays
 * open: abort). */
int rlab_filew_write(struct rlab_filew *w, const void *p, size_t len);
/* Write out what is buffered. RLAB_ERR_IO on failure. */
int rlab_filew_flush(struct rlab_filew *w);
/* fsync, close, and give the file its final name.  On failure the temporary
 * is removed.  Either way the writer is released. */
int rlab_filew_commit(struct rlab_filew *w);
/* Remove the temporary and release the writer.  Safe on a released or
 * never-opened writer. */
void rlab_filew_abort(struct rlab_filew *w);

/* Write data to path all at once through the writer above. */
int rlab_file_write(const char *path, const uint8_t *data, size_t len,
                    unsigned mode, int force);

/* Write several files all or nothing: every temporary is written first and
 * the names are given only when all were written (a key pair is never left
 * half-written).  On failure no target is created or replaced, except that a
 * crash between two renames can leave the first one renamed. */
struct rlab_file_part {
    const char *path;
    const uint8_t *data;
    size_t len;
    unsigned mode;
};
int rlab_files_write(const struct rlab_file_part *parts, size_t n, int force);

#endif
