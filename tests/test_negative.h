/*
 * suite_negative is built from test_negative.c (shared values, wrong keys,
 * flipped bits; main), test_negative_params.c (wrong parameters, values out
 * of range, digest lengths), test_negative_limits.c (messages too long,
 * public keys, raw input range, output buffers) and test_negative_keys.c
 * (key input); these are the seams between them.
 */
#ifndef RLAB_TEST_NEGATIVE_H
#define RLAB_TEST_NEGATIVE_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"

#define BITS 2048      /* every negative case uses keys of this size */
#define MAXK 512       /* room for any output at BITS (and k + 1 inputs) */
#define SENTINEL 0xA5  /* fills output buffers, to see what a failure wrote */

/* OAEP with SHA-256 and no label; PSS with SHA-256 and salt 32. */
extern const struct rlab_oaep_params neg_oaep256;
extern const struct rlab_pss_params neg_pss256;

/* The queries for those (and PKCS #1 v1.5 with SHA-256), for tu_need(). */
extern const struct rlab_op_query neg_q_oaep_enc, neg_q_oaep_dec;
extern const struct rlab_op_query neg_q_pss_sign, neg_q_pss_verify;
extern const struct rlab_op_query neg_q_v15_sign, neg_q_v15_verify;
extern const struct rlab_op_query neg_q_v15_enc, neg_q_v15_dec;

/* OAEP-decrypt ct with k (params p) into a SENTINEL-filled buffer and check
 * a failure: RLAB_ERR_DECRYPT, *outlen == 0, the buffer untouched or zeroed. */
void neg_oaep_fails(const struct rlab_backend *be, const rlab_key *k,
                    const struct rlab_oaep_params *p, const uint8_t *ct, size_t lc,
                    const char *what);
/* The same with PKCS #1 v1.5.  When msg is given, ct is msg's ciphertext
 * corrupted: a random block has valid padding with probability about 2^-16,
 * so decoding may succeed, but must not give back msg. */
void neg_v15_fails(const struct rlab_backend *be, const rlab_key *k, const uint8_t *ct,
                   size_t lc, const uint8_t *msg, size_t mlen, const char *what);

/* test_negative_params.c: its tests, added to the "flipped-bits" case. */
void negative_params_tests(TCase *tc);
/* test_negative_limits.c: the "too-long" test case; then the
 * "private-needed" and "range-and-buffers" ones. */
TCase *negative_too_long_tcase(Suite *s);
void negative_limits_tcases(Suite *s);
/* test_negative_keys.c: the "key-files" test case (KEY_FORMAT for
 * everything that is no key). */
TCase *negative_key_files_tcase(Suite *s);

#endif
