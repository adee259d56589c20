/*
 * Keys kept between test processes: the key folder named by
 * RSALAB_TEST_KEY_DIR (ctest sets it to build/tests/keys on the tests that
 * only need a key, not a fresh one).  A key a backend generated is kept
 * there as PKCS#8 DER written by that backend, and later processes import it
 * with the same backend instead of generating again.  Anything wrong with a
 * file (missing, cut short, refused) just means the key is generated again
 * and the file rewritten.  No Check here: the libcheck suites (testkeys.c)
 * and the protocol tests' harness both use it.
 */
#ifndef RLAB_TEST_KEYDIR_H
#define RLAB_TEST_KEYDIR_H

#include "backends/backend.h"

/* The kept key (be, bits, slot) into *out (the caller's); RLAB_OK, or an
 * error code when there is none to use (no folder, no file, a bad file, a
 * backend that cannot import or export), with no error left set. */
int tk_dir_load(const struct rlab_backend *be, unsigned bits, int slot, rlab_key **out);
/* Keep key as (be, bits, slot); silently nothing when it cannot. */
void tk_dir_save(const struct rlab_backend *be, unsigned bits, int slot, const rlab_key *key);
/* The kept key (be, bits, slot), else one generated now with e = 65537 and
 * kept; the caller owns *out.  An rlab_err code (keygen's). */
int tk_dir_key(const struct rlab_backend *be, unsigned bits, int slot, rlab_key **out);

#endif
