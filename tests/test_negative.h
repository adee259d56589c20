/*
 * suite_negative is built from test_negative.c (RSA operations) and
 * test_negative_keys.c (key input); this is the seam between them.
 */
#ifndef RLAB_TEST_NEGATIVE_H
#define RLAB_TEST_NEGATIVE_H

#include <check.h>

/* Add the "key-files" test case (KEY_FORMAT for everything that is no key). */
TCase *negative_key_files_tcase(Suite *s);

#endif
