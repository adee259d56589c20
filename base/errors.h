/*
 * rsalab error codes.
 *
 * One X-macro list gives both the enum and the strings, so they cannot drift
 * apart.  Every function in core/, backends/, vectors/ and bench/ returns
 * RLAB_OK (0) or one of these codes; none of them prints.
 *
 * Decryption: every failure of a private-key decryption (bad padding, wrong
 * length, value out of range, wrong key) is RLAB_ERR_DECRYPT and nothing
 * else, so that an error code can never act as a padding oracle.
 */
#ifndef RLAB_ERRORS_H
#define RLAB_ERRORS_H

#include <stddef.h>

#define RLAB_ERROR_LIST(X)                                                     \
    X(RLAB_OK, "success")                                                      \
    X(RLAB_ERR_INVALID_ARG, "invalid argument")                                \
    X(RLAB_ERR_UNSUPPORTED, "operation not supported by this backend")         \
    X(RLAB_ERR_NOMEM, "out of memory")                                         \
    X(RLAB_ERR_BUFFER_TOO_SMALL, "output buffer too small")                    \
    X(RLAB_ERR_KEY_FORMAT, "malformed key encoding")                           \
    X(RLAB_ERR_KEY_INVALID, "key failed validation")                           \
    X(RLAB_ERR_KEY_NOT_PRIVATE, "a private key is needed")                     \
    X(RLAB_ERR_MSG_TOO_LONG, "message too long for this key and padding")      \
    X(RLAB_ERR_DECRYPT, "decryption failed")                                   \
    X(RLAB_ERR_VERIFY, "signature is not valid")                               \
    X(RLAB_ERR_RANGE, "input out of range for this modulus")                   \
    X(RLAB_ERR_AUTH, "authentication failed (tag mismatch)")                   \
    X(RLAB_ERR_RNG, "random number generator failed")                          \
    X(RLAB_ERR_FAULT, "private operation failed its self-check")              \
    X(RLAB_ERR_KEYGEN, "key generation failed")                                \
    X(RLAB_ERR_BACKEND, "crypto library error")                                \
    X(RLAB_ERR_IO, "input/output error")                                       \
    X(RLAB_ERR_EXISTS, "file exists")                                          \
    X(RLAB_ERR_PARSE, "malformed input")                                       \
    X(RLAB_ERR_NOT_FOUND, "not found")                                        \
    X(RLAB_ERR_TOO_BIG, "input larger than the limit")                         \
    X(RLAB_ERR_TRUNCATED, "stream ended before its final chunk (truncated)")   \
    X(RLAB_ERR_TRAILING, "data after the final chunk of a stream")

#define RLAB_X_ENUM(name, text) name,
typedef enum rlab_err { RLAB_ERROR_LIST(RLAB_X_ENUM) RLAB_ERR_COUNT } rlab_err;
#undef RLAB_X_ENUM

/* Static description of an error code; never NULL. */
const char *rlab_strerror(int err);

/* Symbolic name of an error code ("RLAB_ERR_DECRYPT"); never NULL. */
const char *rlab_errname(int err);

/*
 * Per-thread detail for the last error, for display only (a library's own
 * message, which validation check failed on key import, ...).  Never set on
 * decryption failures beyond the generic text.  rlab_error_set() stores a
 * printf-style detail and returns err, so it can be used as
 * `return rlab_error_set(RLAB_ERR_KEY_INVALID, "n is even");`.  An argument
 * may point into the detail itself, to add context to it:
 * `rlab_error_set(rc, "testGroups[%zu]: %s", i, rlab_error_detail())`.
 * A detail is kept whole up to 8 KiB; a longer one ends in "...".
 */
int rlab_error_set(int err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *rlab_error_detail(void); /* "" when none */
void rlab_error_clear(void);

#endif
