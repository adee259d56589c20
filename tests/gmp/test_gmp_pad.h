/*
 * test_gmp_pad is built from test_gmp_hash.c (the gmp hashes, HMAC and HKDF
 * over them), test_gmp_pad.c (MGF1, OAEP, PSS, PKCS #1 v1.5, the random
 * source; main) and test_gmp_padutil.c (what both use).  Vector files are
 * read from RLAB_VECTOR_DIR (a CMake define); a file that cannot be read
 * fails the test.
 */
#ifndef RLAB_TEST_GMP_PAD_H
#define RLAB_TEST_GMP_PAD_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* The vector file RLAB_VECTOR_DIR/rel, whole and NUL-terminated (free()). */
char *gp_slurp(const char *rel);
/* Hex text decoded (fails the test on bad hex); the caller clears it. */
struct rlab_buf gp_hex(const char *s);
/* Fails the test with both values in hex unless got == want. */
void gp_assert_bytes(const uint8_t *got, const uint8_t *want, size_t len,
                     const char *what);

/* The run's seed (RSALAB_TEST_SEED or a fixed default), set by main. */
extern uint64_t gp_seed;
/* splitmix64: the next value of the stream whose state is *s. */
uint64_t gp_splitmix(uint64_t *s);

/* Add a test case (a loop test over 0..loop_end-1 when loop_end > 0). */
void gp_add(Suite *s, const char *name, const TTest *t, int loop_end);

/* The hash, HMAC and HKDF cases of test_gmp_hash.c, in their order. */
void gp_hash_tcases(Suite *s);

#endif
