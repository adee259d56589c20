/*
 * The server's inbox: received files are written under a temporary name
 * (core/fileio.h's writer) and get their name only after the final chunk
 * authenticated; a transfer that fails leaves nothing.  A peer's file name
 * is a name, never a path: anything that could leave the inbox is refused.
 */
#ifndef RLAB_INBOX_H
#define RLAB_INBOX_H

#include "core/fileio.h"

/* RLAB_OK when name is a plain file name (1..255 bytes, no '/', no NUL or
 * control character, not "." or "..", not starting with '.'); else
 * RLAB_ERR_INVALID_ARG with a detail saying why. */
int rlab_inbox_check_name(const char *name);

/* Open a writer for dir/name; when that exists, dir/name.1, .2, ... (up to
 * 999).  The name is checked first. */
int rlab_inbox_open(const char *dir, const char *name, struct rlab_filew *w);

#endif
