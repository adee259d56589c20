/*
 * The server's inbox: received files are written under a temporary name
 * (core/fileio.h's writer) and get their name only after the final chunk
 * authenticated; a transfer that fails leaves nothing.  A peer's file name
 * is a name, never a path: anything that could leave the inbox is refused.
 *
 * The temporary is DIR/.rlab-in.XXXXXX: short whatever the name (so a name
 * of up to 255 bytes never fails for the temporary's sake), and starting with
 * '.', which no peer's name may, so it cannot collide with a received file.
 * The final name is chosen at commit, not at open: two transfers of the same
 * name in progress at once each get their own (name, then name.1).
 */
#ifndef RLAB_INBOX_H
#define RLAB_INBOX_H

#include <stddef.h>

#include "core/fileio.h"

/* Candidate names per file: name, name.1, ..., name.999. */
#define RLAB_INBOX_SUFFIX_MAX 999

/* RLAB_OK when name is a plain file name (1..255 bytes, no '/', no NUL or
 * control character, not "." or "..", not starting with '.'); else
 * RLAB_ERR_INVALID_ARG with a detail saying why. */
int rlab_inbox_check_name(const char *name);

/* Check name (as above, and against the inbox file system's name length:
 * RLAB_ERR_INVALID_ARG), check that some name of the series is still free
 * (else RLAB_ERR_EXISTS), and open a writer on a new temporary in dir
 * (RLAB_ERR_IO if that fails).  Write with rlab_filew_write; end with
 * rlab_inbox_commit or rlab_filew_abort. */
int rlab_inbox_open(const char *dir, const char *name, struct rlab_filew *w);

/* Give the file mode 0644, fsync it, close it, and link it to the first
 * free name of the series (an existing file is never replaced); the path
 * given goes to final_path (may be NULL).  RLAB_ERR_EXISTS when every name of
 * the series is taken or too long for the file system, RLAB_ERR_IO on a
 * write or link failure.  The writer is released either way, the temporary
 * removed. */
int rlab_inbox_commit(struct rlab_filew *w, char *final_path, size_t final_len);

#endif
