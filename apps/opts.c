/* see opts.h */
#include "backends/ops.h"
#include "apps/opts.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ct.h"
#include "core/keyfile.h"

/* ---- option parsing ---------------------------------------------------- */

void rlab_opt_init(struct rlab_optparse *p, const char *cmd, int argc,
                   char **argv, const struct rlab_opt *opts)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    p->i = 1;
    p->opts = opts;
}

int rlab_opt_next(struct rlab_optparse *p)
{
    p->arg = NULL;
    p->name = NULL;
    if (p->i >= p->argc)
        return RLAB_OPT_END;
    const char *a = p->argv[p->i++];
    p->name = a;
    if (p->only_positional || a[0] != '-' || a[1] == '\0') {
        p->arg = a; /* "-" alone is a file name (stdin/stdout) */
        return RLAB_OPT_POSITIONAL;
    }
    if (strcmp(a, "--") == 0) {
        p->only_positional = 1;
        return rlab_opt_next(p);
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
        return RLAB_OPT_HELP;
    if (a[1] != '-') {
        rlab_app_usage_error(p->cmd, "unknown option '%s'", a);
        return RLAB_OPT_ERROR;
    }
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    for (const struct rlab_opt *o = p->opts; o != NULL && o->name != NULL; o++) {
        if (strlen(o->name) != nlen || strncmp(o->name, name, nlen) != 0)
            continue;
        if (!o->has_arg) {
            if (eq != NULL) {
                rlab_app_usage_error(p->cmd, "option '--%s' takes no value", o->name);
                return RLAB_OPT_ERROR;
            }
            return o->id;
        }
        if (eq != NULL) {
            p->arg = eq + 1;
        } else if (p->i < p->argc) {
            p->arg = p->argv[p->i++];
        } else {
            rlab_app_usage_error(p->cmd, "option '--%s' needs a value", o->name);
            return RLAB_OPT_ERROR;
        }
        return o->id;
    }
    rlab_app_usage_error(p->cmd, "unknown option '%.*s'", (int)(nlen + 2), a);
    return RLAB_OPT_ERROR;
}

int rlab_opt_next_named(struct rlab_optparse *p)
{
    int id = rlab_opt_next(p);
    if (id != RLAB_OPT_POSITIONAL)
        return id;
    rlab_app_usage_error(p->cmd, "unexpected argument '%s'", p->arg);
    return RLAB_OPT_ERROR;
}

int rlab_opt_ulong(const char *cmd, const char *opt, const char *text,
                   unsigned long min, unsigned long max, unsigned long *out)
{
    /* Plain decimal digits only: strtoul would take a sign, spaces, and
     * octal ("010001" is 4097) or hex, none of which a user means. */
    unsigned long v = 0;
    int ok = text[0] != '\0';
    for (const char *c = text; ok && *c != '\0'; c++) {
        if (*c < '0' || *c > '9' || v > (ULONG_MAX - (unsigned long)(*c - '0')) / 10)
            ok = 0;
        else
            v = v * 10 + (unsigned long)(*c - '0');
    }
    /* A leading zero is refused too: it is how octal is written elsewhere. */
    if (ok && text[0] == '0' && text[1] != '\0')
        return rlab_app_usage_error(cmd, "--%s: '%s' has a leading zero; numbers are "
                                    "plain decimal", opt, text);
    if (!ok)
        return rlab_app_usage_error(cmd, "--%s: '%s' is not a decimal number (digits "
                                    "only, from %lu to %lu)", opt, text, min, max);
    if (v < min || v > max)
        return rlab_app_usage_error(cmd, "--%s: %s is out of range (from %lu to %lu)", opt,
                                    text, min, max);
    *out = v;
    return RLAB_EXIT_OK;
}

int rlab_opt_list(const char *cmd, const char *opt, const char *text,
                  char **items, size_t max, size_t *n, char **copy)
{
    *n = 0;
    *copy = strdup(text);
    if (*copy == NULL)
        return rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
    char *p = *copy;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        if (p[0] == '\0') {
            free(*copy);
            *copy = NULL;
            return rlab_app_usage_error(cmd, "--%s: '%s' has an empty item", opt, text);
        }
        if (*n == max) {
            free(*copy);
            *copy = NULL;
            return rlab_app_usage_error(cmd, "--%s: more than %zu items", opt, max);
        }
        items[(*n)++] = p;
        if (comma == NULL)
            return RLAB_EXIT_OK;
        p = comma + 1;
    }
}

int rlab_opt_hash(const char *cmd, const char *opt, const char *text,
                  rlab_hash *out)
{
    if (rlab_hash_from_name(text, out) != RLAB_OK)
        return rlab_app_usage_error(cmd,
                                    "--%s: unknown hash '%s' (sha1, sha224, sha256, sha384, "
                                    "sha512, sha512-224, sha512-256, sha3-224, sha3-256, "
                                    "sha3-384, sha3-512, shake128, shake256)",
                                    opt, text);
    return RLAB_EXIT_OK;
}

/* ---- messages ---------------------------------------------------------- */

int rlab_app_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "rsalab %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'rsalab %s --help')\n", cmd);
    return RLAB_EXIT_USAGE;
}

int rlab_app_status(int err)
{
    if (err == RLAB_OK)
        return RLAB_EXIT_OK;
    if (err == RLAB_ERR_VERIFY || err == RLAB_ERR_DECRYPT)
        return RLAB_EXIT_NO;
    return RLAB_EXIT_USAGE;
}

int rlab_app_error(const char *cmd, const char *what, int err)
{
    const char *detail = rlab_error_detail();
    fprintf(stderr, "rsalab %s: ", cmd);
    if (what != NULL)
        fprintf(stderr, "%s: ", what);
    /* "message too long" would be wrong for a salt or a DigestInfo: the
     * detail names which was too long, so it stands alone. */
    if (err == RLAB_ERR_MSG_TOO_LONG && detail[0] != '\0')
        fputs(detail, stderr);
    else
        fputs(rlab_strerror(err), stderr);
    if (detail[0] != '\0' && err != RLAB_ERR_MSG_TOO_LONG)
        fprintf(stderr, " (%s)", detail);
    fputc('\n', stderr);
    rlab_error_clear();
    return rlab_app_status(err);
}

int rlab_app_fail(const char *cmd, const char *what, int err)
{
    rlab_app_error(cmd, what, err);
    return RLAB_EXIT_USAGE;
}

/* ---- backends ---------------------------------------------------------- */

int rlab_app_registry(const char *cmd)
{
    if (rlab_registry_init() != 0)
        return RLAB_EXIT_OK;
    fprintf(stderr, "rsalab %s: no usable backend in this build\n", cmd);
    return RLAB_EXIT_USAGE;
}

void rlab_app_print_backend_names(FILE *f)
{
    for (size_t i = 0; i < rlab_backend_count(); i++)
        fprintf(f, "%s%s", i ? " " : "", rlab_backend_at(i)->name);
}

int rlab_app_backend(const char *cmd, const char *name,
                     const struct rlab_backend **out)
{
    *out = NULL;
    int st = rlab_app_registry(cmd);
    if (st != RLAB_EXIT_OK)
        return st;
    if (name == NULL) {
        *out = rlab_backend_find(RLAB_APP_DEFAULT_BACKEND);
        if (*out == NULL)
            *out = rlab_backend_at(0);
        return RLAB_EXIT_OK;
    }
    *out = rlab_backend_find(name);
    if (*out != NULL)
        return RLAB_EXIT_OK;
    fprintf(stderr, "rsalab %s: unknown backend '%s' (available: ", cmd, name);
    rlab_app_print_backend_names(stderr);
    fprintf(stderr, ")\n");
    return RLAB_EXIT_USAGE;
}

int rlab_app_check(const char *cmd, const struct rlab_backend *be,
                   const struct rlab_op_query *q)
{
    const char *why = rlab_backend_check(be, q);
    if (why == NULL)
        return RLAB_EXIT_OK;
    fprintf(stderr, "rsalab %s: not supported: %s\n", cmd, why);
    return RLAB_EXIT_USAGE;
}

static int has_hash_slots(const struct rlab_backend *be, rlab_hash h)
{
    return be != NULL && (be->caps & RLAB_CAP_HASH) &&
           (be->hashes & RLAB_HASH_BIT(h)) && be->hash_new && be->hash_update &&
           be->hash_final && be->hash_free;
}

const struct rlab_backend *rlab_app_hash_provider(const struct rlab_backend *be,
                                                  rlab_hash h)
{
    if (has_hash_slots(be, h))
        return be;
    const struct rlab_backend *d = rlab_backend_default_provider();
    return has_hash_slots(d, h) ? d : NULL;
}

/* ---- files ------------------------------------------------------------- */

int rlab_app_load_key(const char *cmd, const struct rlab_backend *be,
                      const char *path, rlab_key **out)
{
    rlab_error_clear();
    int rc = rlab_keyfile_load(be, path, out);
    if (rc == RLAB_OK)
        return RLAB_EXIT_OK;
    /* A key that is not a key is an input error, never "check said no". */
    /* rlab_file_read's detail already names the path. */
    return rlab_app_fail(cmd, (rc == RLAB_ERR_IO || rc == RLAB_ERR_NOT_FOUND || rc == RLAB_ERR_TOO_BIG) ? "cannot read the key" : path, rc);
}

static int is_stdio(const char *path)
{
    return path == NULL || strcmp(path, "-") == 0;
}

const char *rlab_app_input_name(const char *path)
{
    return is_stdio(path) ? "standard input" : path;
}

int rlab_app_read(const char *cmd, const char *path, size_t max,
                  struct rlab_buf *out)
{
    out->data = NULL;
    out->len = 0;
    const char *shown = rlab_app_input_name(path);
    int orc;
    FILE *f = rlab_file_open_input(is_stdio(path) ? "-" : path, &orc);
    if (f == NULL)
        return rlab_app_fail(cmd, "cannot read the input", orc);
    int st = RLAB_EXIT_OK;
    if (rlab_buf_alloc(out, max + 1) != RLAB_OK) {
        st = rlab_app_error(cmd, shown, RLAB_ERR_NOMEM);
    } else {
        size_t used = 0;
        while (used < max + 1) {
            size_t n = fread(out->data + used, 1, max + 1 - used, f);
            if (n == 0)
                break;
            used += n;
        }
        if (ferror(f)) {
            rlab_error_set(RLAB_ERR_IO, "%s", strerror(errno));
            st = rlab_app_error(cmd, shown, RLAB_ERR_IO);
        }
        /* Wipe what rlab_buf_clear would not see once len shrinks. */
        rlab_wipe(out->data + used, max + 1 - used);
        out->len = used;
    }
    if (f != stdin)
        fclose(f);
    if (st != RLAB_EXIT_OK)
        rlab_buf_clear(out);
    return st;
}

static int write_stream(FILE *f, const uint8_t *data, size_t len)
{
    if (len > 0 && fwrite(data, 1, len, f) != len)
        return -1;
    return fflush(f) == 0 ? 0 : -1;
}

int rlab_app_write(const char *cmd, const char *path, const uint8_t *data,
                   size_t len, unsigned mode)
{
    if (is_stdio(path)) {
        if (write_stream(stdout, data, len) != 0) {
            rlab_error_set(RLAB_ERR_IO, "%s", strerror(errno));
            return rlab_app_error(cmd, "standard output", RLAB_ERR_IO);
        }
        return RLAB_EXIT_OK;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        FILE *f = fopen(path, "wb");
        int bad = f == NULL || write_stream(f, data, len) != 0;
        int e = errno;
        if (f != NULL && fclose(f) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        if (bad) {
            rlab_error_set(RLAB_ERR_IO, "%s", strerror(e));
            return rlab_app_error(cmd, path, RLAB_ERR_IO);
        }
        return RLAB_EXIT_OK;
    }
    rlab_error_clear();
    int rc = rlab_file_write(path, data, len, mode, 1);
    if (rc != RLAB_OK)
        return rlab_app_fail(cmd, "cannot write output", rc);
    return RLAB_EXIT_OK;
}

int rlab_app_binary_to_terminal(const char *path, int stdout_is_tty)
{
    return is_stdio(path) && stdout_is_tty;
}

int rlab_app_refuse_terminal(const char *cmd, const char *path)
{
    if (!rlab_app_binary_to_terminal(path, isatty(STDOUT_FILENO)))
        return RLAB_EXIT_OK;
    return rlab_app_usage_error(cmd, "will not write binary output to a terminal; "
                                "give --out FILE or redirect standard output");
}

int rlab_app_write_result(const char *cmd, const char *what, int rc,
                          const char *path, const uint8_t *data, size_t len,
                          unsigned mode)
{
    if (rc != RLAB_OK)
        return rlab_app_fail(cmd, what, rc);
    return rlab_app_write(cmd, path, data, len, mode);
}

int rlab_app_hash_input(const char *cmd, const struct rlab_backend *be,
                        rlab_hash h, const char *path, uint8_t *digest)
{
    const struct rlab_backend *hp = rlab_app_hash_provider(be, h);
    if (hp == NULL) {
        fprintf(stderr, "rsalab %s: no backend can compute %s here\n", cmd,
                rlab_hash_name(h));
        return RLAB_EXIT_USAGE;
    }
    const char *shown = rlab_app_input_name(path);
    int orc;
    FILE *f = rlab_file_open_input(is_stdio(path) ? "-" : path, &orc);
    if (f == NULL)
        return rlab_app_fail(cmd, "cannot read the input", orc);
    rlab_hash_ctx *c = NULL;
    rlab_error_clear();
    int rc = rlab_hash_new(hp, h, &c);
    static uint8_t chunk[1 << 16];
    while (rc == RLAB_OK) {
        size_t n = fread(chunk, 1, sizeof chunk, f);
        if (n == 0)
            break;
        rc = rlab_hash_update(hp, c, chunk, n);
    }
    int io_error = ferror(f);
    int e = errno;
    if (f != stdin)
        fclose(f);
    if (rc == RLAB_OK && io_error) {
        rlab_error_set(RLAB_ERR_IO, "%s", strerror(e));
        rlab_hash_free(hp, c);
        return rlab_app_error(cmd, shown, RLAB_ERR_IO);
    }
    if (rc != RLAB_OK) {
        rlab_hash_free(hp, c);
        return rlab_app_fail(cmd, "hashing the input", rc);
    }
    rc = rlab_hash_final(hp, c, digest);
    if (rc != RLAB_OK)
        return rlab_app_fail(cmd, "hashing the input", rc);
    return RLAB_EXIT_OK;
}

/* ---- encrypt, decrypt, sign, verify ------------------------------------ */

int rlab_app_rsa_opt(struct rlab_app_rsa_args *a, int id, const char *arg,
                     const char *scheme)
{
    switch (id) {
    case RLAB_OPT_BACKEND: a->backend = arg; return RLAB_EXIT_OK;
    case RLAB_OPT_KEY: a->key = arg; return RLAB_EXIT_OK;
    case RLAB_OPT_IN: a->in = arg; return RLAB_EXIT_OK;
    case RLAB_OPT_OUT: a->out = arg; return RLAB_EXIT_OK;
    case RLAB_OPT_PADDING:
        if (strcmp(arg, scheme) == 0)
            a->pkcs1 = 0;
        else if (strcmp(arg, "pkcs1") == 0)
            a->pkcs1 = 1;
        else
            return rlab_app_usage_error(a->cmd, "--padding: '%s' is not %s or pkcs1", arg,
                                        scheme);
        return RLAB_EXIT_OK;
    case RLAB_OPT_HASH:
        a->hash_set = 1;
        return rlab_opt_hash(a->cmd, "hash", arg, &a->hash);
    case RLAB_OPT_MGF1:
        a->mgf1_set = 1;
        return rlab_opt_hash(a->cmd, "mgf1-hash", arg, &a->mgf1);
    default: return RLAB_EXIT_USAGE;
    }
}

int rlab_app_rsa_done(struct rlab_app_rsa_args *a)
{
    if (a->key == NULL)
        return rlab_app_usage_error(a->cmd, "--key FILE is required");
    /* Reading the key would take all of standard input and leave the
     * message empty. */
    if (strcmp(a->key, "-") == 0 && is_stdio(a->in))
        return rlab_app_usage_error(a->cmd, "--key - and --in %s would both read standard "
                                    "input; give one of them a file",
                                    a->in != NULL ? "-" : "(standard input by default)");
    if (!a->mgf1_set)
        a->mgf1 = a->hash;
    return RLAB_EXIT_OK;
}

int rlab_app_open_key(const char *cmd, const char *backend,
                      const struct rlab_op_query *q, const char *path,
                      int need_private, rlab_key **out)
{
    const struct rlab_backend *be;
    *out = NULL;
    int st = rlab_app_backend(cmd, backend, &be);
    if (st == RLAB_EXIT_OK)
        st = rlab_app_check(cmd, be, q);
    if (st == RLAB_EXIT_OK)
        st = rlab_app_load_key(cmd, be, path, out);
    if (st != RLAB_EXIT_OK)
        return st;
    if (need_private && !(*out)->has_private) {
        rlab_error_clear();
        st = rlab_app_error(cmd, path, RLAB_ERR_KEY_NOT_PRIVATE);
        rlab_key_free(*out);
        *out = NULL;
    }
    return st;
}
