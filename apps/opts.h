/*
 * Helpers shared by the rsalab subcommands: option parsing, backend lookup,
 * error messages, input and output files.
 *
 * Convention: every helper that can fail prints one line to stderr, naming
 * the subcommand ("rsalab keygen: ..."), and returns the exit status the
 * subcommand should return (RLAB_EXIT_USAGE or RLAB_EXIT_NO from
 * commands.h); it returns RLAB_EXIT_OK (0) on success.  So a caller writes
 *
 *     int st = rlab_app_backend(cmd, name, &be);
 *     if (st != RLAB_EXIT_OK)
 *         return st;
 *
 * Messages have the form  `rsalab <cmd>: <what>: <rlab_strerror> (<detail>)`
 * where the detail is rlab_error_detail() when it is not empty.
 */
#ifndef RLAB_APPS_OPTS_H
#define RLAB_APPS_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backends/backend.h"
#include "apps/commands.h"

/* The backend used when --backend is not given (the first usable backend
 * when this one is not built). */
#define RLAB_APP_DEFAULT_BACKEND "openssl"

/* ---- option parsing ---------------------------------------------------- */

/*
 * Long options only: "--name value" or "--name=value"; "-h" and "--help"
 * are always recognised; "--" ends the options.  A table of struct rlab_opt
 * ends with an entry whose name is NULL.
 */
struct rlab_opt {
    const char *name; /* without the leading "--" */
    int has_arg;      /* 1 when the option takes a value */
    int id;           /* > 0, returned by rlab_opt_next() */
};

enum {
    RLAB_OPT_END = 0,         /* no more arguments */
    RLAB_OPT_HELP = -1,       /* -h or --help: print usage to stdout, exit 0 */
    RLAB_OPT_ERROR = -2,      /* unknown option / missing value: printed */
    RLAB_OPT_POSITIONAL = -3, /* a non-option argument, in p->arg */
};

struct rlab_optparse {
    const char *cmd;             /* subcommand name, for messages */
    int argc;
    char **argv;
    int i;                       /* next argv index */
    int only_positional;         /* after "--" */
    const struct rlab_opt *opts;
    const char *arg;             /* value of the option just returned */
    const char *name;            /* the option as written, for messages */
};

/* argv[0] is the subcommand name, as the subcommands receive it. */
void rlab_opt_init(struct rlab_optparse *p, const char *cmd, int argc,
                   char **argv, const struct rlab_opt *opts);
/* The next option's id, or one of the RLAB_OPT_* values above. */
int rlab_opt_next(struct rlab_optparse *p);
/* rlab_opt_next() for a command that takes no positional argument: one is
 * reported ("unexpected argument '...'") and returned as RLAB_OPT_ERROR. */
int rlab_opt_next_named(struct rlab_optparse *p);

/* Value parsers: 0 on success, else RLAB_EXIT_USAGE after a message naming
 * the option.  Numbers are plain decimal digits: no sign, no spaces, no
 * leading zero (octal elsewhere), no 0x; anything else is refused. */
int rlab_opt_ulong(const char *cmd, const char *opt, const char *text,
                   unsigned long min, unsigned long max, unsigned long *out);
/* A comma-separated list: at most `max` items, none empty ("a,", "a,,b" and
 * "" are refused).  items[] point into *copy, which the caller frees (NULL
 * on failure). */
int rlab_opt_list(const char *cmd, const char *opt, const char *text,
                  char **items, size_t max, size_t *n, char **copy);
int rlab_opt_hash(const char *cmd, const char *opt, const char *text,
                  rlab_hash *out);

/* ---- messages ---------------------------------------------------------- */

/* "rsalab <cmd>: <message> (see 'rsalab <cmd> --help')"; returns
 * RLAB_EXIT_USAGE. */
int rlab_app_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "rsalab <cmd>: <what>: <strerror> (<detail>)"; `what` may be NULL.
 * Returns rlab_app_status(err). */
int rlab_app_error(const char *cmd, const char *what, int err);

/* rlab_app_error(), but always RLAB_EXIT_USAGE: for steps whose failure is
 * never a "no" from a check (reading a key, writing, generating...). */
int rlab_app_fail(const char *cmd, const char *what, int err);

/* Exit status for an rlab_err: 0 for RLAB_OK, 1 for RLAB_ERR_VERIFY and
 * RLAB_ERR_DECRYPT (the input was checked and said no), 2 otherwise. */
int rlab_app_status(int err);

/* ---- backends ---------------------------------------------------------- */

/* rlab_registry_init(); when no backend is usable, says so and returns
 * RLAB_EXIT_USAGE. */
int rlab_app_registry(const char *cmd);

/* Look a backend up by name (NULL: RLAB_APP_DEFAULT_BACKEND).  Initialises
 * the registry.  Unknown name: message listing the usable backends. */
int rlab_app_backend(const char *cmd, const char *name,
                     const struct rlab_backend **out);

/* Print the usable backends' names, separated by single spaces. */
void rlab_app_print_backend_names(FILE *f);

/* rlab_backend_check(); when it refuses, prints the reason and returns
 * RLAB_EXIT_USAGE. */
int rlab_app_check(const char *cmd, const struct rlab_backend *be,
                   const struct rlab_op_query *q);

/* The backend whose hash slots compute hash h for `be`: `be` itself when it
 * has them, else rlab_backend_default_provider(); NULL when none can. */
const struct rlab_backend *rlab_app_hash_provider(const struct rlab_backend *be,
                                                  rlab_hash h);

/* ---- files ------------------------------------------------------------- */

/* How messages name an input: "standard input" for NULL or "-". */
const char *rlab_app_input_name(const char *path);

/* rlab_keyfile_load() with the message on failure. */
int rlab_app_load_key(const char *cmd, const struct rlab_backend *be,
                      const char *path, rlab_key **out);

/*
 * Read a file (path NULL or "-": standard input) into *out, at most max + 1
 * bytes, so that the caller can tell "longer than max" (out->len > max)
 * without reading an unbounded input.  The caller clears *out (wiped).
 */
int rlab_app_read(const char *cmd, const char *path, size_t max,
                  struct rlab_buf *out);

/*
 * Write len bytes to path (NULL or "-": standard output).  A regular file is
 * replaced atomically (temporary file + rename) and gets `mode`; an existing
 * special file (/dev/null, a fifo) is written in place.
 */
int rlab_app_write(const char *cmd, const char *path, const uint8_t *data,
                   size_t len, unsigned mode);

/* 1 when the output (NULL or "-": standard output) would be a terminal:
 * binary output (ciphertext, signature) is never written to one, as age
 * refuses to.  The decision alone, for tests. */
int rlab_app_binary_to_terminal(const char *path, int stdout_is_tty);
/* The same with isatty(1): a usage error with a message, else 0. */
int rlab_app_refuse_terminal(const char *cmd, const char *path);

/* The output step of a command: when rc is an error, "rsalab <cmd>: <what>:
 * ..." and RLAB_EXIT_USAGE; else rlab_app_write(). */
int rlab_app_write_result(const char *cmd, const char *what, int rc,
                          const char *path, const uint8_t *data, size_t len,
                          unsigned mode);

/*
 * Hash a whole input (path NULL or "-": standard input) in a stream, with
 * bounded memory whatever its size, through rlab_app_hash_provider(be, h).
 * digest gets rlab_hash_len(h) bytes.
 */
int rlab_app_hash_input(const char *cmd, const struct rlab_backend *be,
                        rlab_hash h, const char *path, uint8_t *digest);

/* ---- encrypt, decrypt, sign, verify ------------------------------------ */

/*
 * The options the four RSA operation commands share.  Their ids come first
 * in each command's table; a command numbers its own from RLAB_OPT_RSA_NEXT.
 * verify has no --out, so RLAB_APP_RSA_OPTS leaves it out of the shared
 * table entries.
 */
enum {
    RLAB_OPT_BACKEND = 1,
    RLAB_OPT_KEY,
    RLAB_OPT_PADDING,
    RLAB_OPT_HASH,
    RLAB_OPT_MGF1,
    RLAB_OPT_IN,
    RLAB_OPT_OUT,
    RLAB_OPT_RSA_NEXT,
};

#define RLAB_APP_RSA_OPTS                                                     \
    {"backend", 1, RLAB_OPT_BACKEND}, {"key", 1, RLAB_OPT_KEY},               \
    {"padding", 1, RLAB_OPT_PADDING}, {"hash", 1, RLAB_OPT_HASH},             \
    {"mgf1-hash", 1, RLAB_OPT_MGF1},  {"in", 1, RLAB_OPT_IN}

/* The --key lines of the help texts (two columns, 80 characters wide). */
#define RLAB_APP_HELP_PRIVATE_KEY                                              \
    "  --key FILE      private key: PKCS#8 or PKCS#1 RSAPrivateKey, PEM or\n"  \
    "                  DER, detected automatically\n"
#define RLAB_APP_HELP_PUBLIC_KEY                                               \
    "  --key FILE      public key: SubjectPublicKeyInfo or PKCS#1\n"           \
    "                  RSAPublicKey, PEM or DER, detected automatically; a\n"  \
    "                  private key's public half also does\n"

struct rlab_app_rsa_args {
    const char *cmd;
    const char *backend, *key, *in, *out;
    int pkcs1;          /* --padding pkcs1; else the command's own scheme */
    rlab_hash hash;     /* the caller sets the default */
    rlab_hash mgf1;     /* default: hash (rlab_app_rsa_done) */
    int hash_set, mgf1_set;
};

/*
 * Take one of the shared options (id and its value); `scheme` is the name
 * --padding gives the command's own scheme ("oaep", "pss").  Returns 0, or
 * RLAB_EXIT_USAGE after a message, or for an id that is not shared.
 */
int rlab_app_rsa_opt(struct rlab_app_rsa_args *a, int id, const char *arg,
                     const char *scheme);

/* After the options: --key is required (else usage error); an unset MGF1
 * hash becomes the hash.  Returns 0 or RLAB_EXIT_USAGE. */
int rlab_app_rsa_done(struct rlab_app_rsa_args *a);

/*
 * What every key-using command does first, in this order so that the first
 * problem is the one reported: find the backend (NULL: the default), ask it
 * whether it can do q, load the key, and, when need_private, refuse a key
 * without its private half.  On success *out is the key (caller frees).
 */
int rlab_app_open_key(const char *cmd, const char *backend,
                      const struct rlab_op_query *q, const char *path,
                      int need_private, rlab_key **out);

#endif
