/*
 * rsalab interop: the cross-backend matrix (vectors/interop.h) printed as a
 * table per key size, or as JSON.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "apps/commands.h"
#include "apps/opts.h"
#include "vectors/interop.h"

static const char cmd[] = "interop";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab interop [--bits N] [--full] [--primes U] [--json] [--no-cli]\n"
            "\n"
            "For every ordered pair (A, B) of backends, A == B included, and the\n"
            "openssl command-line tool as one more party when it is installed:\n"
            "A generates a key and exports it as PKCS#8 PEM, SubjectPublicKeyInfo PEM\n"
            "and PKCS#1 DER, which B imports (import-pkcs8, import-spki,\n"
            "import-pkcs1der: B must get A's key); A encrypts with OAEP-SHA256 and B\n"
            "decrypts (oaep-sha256); A signs with PSS-SHA256 (salt 32) and PKCS#1\n"
            "v1.5 SHA-256 and B verifies (pss-sha256, pkcs1-sha256).\n"
            "\n"
            "  --bits N   only this key size (default: 2048 and 4096)\n"
            "  --full     also 1024 and 3072 bits\n"
            "  --primes U keys of U primes, 2..5 (default: 2); more than two are\n"
            "             multi-prime keys (RFC 8017 3.2), skipped with the reason by\n"
            "             the parties that cannot make or take them\n"
            "  --json     the matrix as JSON on standard output\n"
            "  --no-cli   leave the openssl command-line tool out\n"
            "\n"
            "The matrix has a cell per pair and in it a character per check: '.' ok,\n"
            "'X' failed, a letter for a skip, explained under the matrix (every\n"
            "check with its detail in --json).\n"
            "Exit status: 0 no failing cell, 1 a cell failed, 2 usage error.\n");
}

enum { OPT_BITS = 1, OPT_FULL, OPT_JSON, OPT_NO_CLI, OPT_PRIMES };

static const struct rlab_opt options[] = {
    {"bits", 1, OPT_BITS}, {"full", 0, OPT_FULL}, {"json", 0, OPT_JSON},
    {"no-cli", 0, OPT_NO_CLI}, {"primes", 1, OPT_PRIMES}, {NULL, 0, 0},
};

/* ---- text ----------------------------------------------------------------- */

/*
 * The terminal shows a compact matrix: one row per A, one column per B
 * (numbered; the key is the row labels), and in each cell one character per
 * check, in rlab_iop_op order: '.' ok, 'X' failed, a letter for a skip,
 * whose reason the legend under the matrix gives ('*' once the letters run
 * out).  Failures are listed in full below it; --json has every cell with
 * its detail.
 */
#define SKIP_LETTERS 26

struct notes {
    const char *reasons[SKIP_LETTERS];
    size_t count[SKIP_LETTERS];
    size_t n, other;
};

/* The letter for a skip reason, 'a'.. in order of first appearance. */
static char note_letter(struct notes *nt, const char *reason)
{
    for (size_t i = 0; i < nt->n; i++)
        if (strcmp(nt->reasons[i], reason) == 0) {
            nt->count[i]++;
            return (char)('a' + i);
        }
    if (nt->n == SKIP_LETTERS) {
        nt->other++;
        return '*';
    }
    nt->reasons[nt->n] = reason;
    nt->count[nt->n] = 1;
    return (char)('a' + nt->n++);
}

static void print_matrix(const struct rlab_iop_matrix *m)
{
    struct notes nt = {{0}, {0}, 0, 0};
    int w = 4;
    for (size_t i = 0; i < m->n; i++)
        if ((int)strlen(m->parties[i].name) > w)
            w = (int)strlen(m->parties[i].name);
    if (m->primes > 2)
        printf("\n== interop, %u-bit keys of %u primes ==\n", m->bits, m->primes);
    else
        printf("\n== interop, %u-bit keys ==\n", m->bits);
    printf("row A makes the key, exports it, encrypts and signs; column B imports,\n"
           "decrypts and verifies.  Each cell, one character per check:\n ");
    for (int op = 0; op < RLAB_IOP_COUNT; op++)
        printf(" %s", rlab_iop_op_name((rlab_iop_op)op));
    printf("\n  . ok   X failed   a-z skipped (reasons below)   every detail: --json\n\n");
    printf("%*s", w + 3, "A \\ B");
    for (size_t b = 0; b < m->n; b++)
        printf(" %-*zu", RLAB_IOP_COUNT, b + 1);
    printf("\n");
    for (size_t a = 0; a < m->n; a++) {
        printf("%2zu %-*s", a + 1, w, m->parties[a].name);
        for (size_t b = 0; b < m->n; b++) {
            char cell[RLAB_IOP_COUNT + 1];
            for (int op = 0; op < RLAB_IOP_COUNT; op++) {
                const struct rlab_iop_cell *c = rlab_iop_cell_at(m, a, b, (rlab_iop_op)op);
                cell[op] = c->status == RLAB_IOP_OK     ? '.'
                           : c->status == RLAB_IOP_FAIL ? 'X'
                                                        : note_letter(&nt, c->detail != NULL
                                                                               ? c->detail
                                                                               : "?");
            }
            cell[RLAB_IOP_COUNT] = '\0';
            printf(" %s", cell);
        }
        printf("\n");
    }
    if (nt.n > 0)
        printf("\n");
    for (size_t i = 0; i < nt.n; i++)
        printf("  %c: %s (%zu)\n", (char)('a' + i), nt.reasons[i], nt.count[i]);
    if (nt.other > 0)
        printf("  *: %zu checks skipped for other reasons (see --json)\n", nt.other);
    for (size_t a = 0; a < m->n; a++)
        for (size_t b = 0; b < m->n; b++)
            for (int op = 0; op < RLAB_IOP_COUNT; op++) {
                const struct rlab_iop_cell *c = rlab_iop_cell_at(m, a, b, (rlab_iop_op)op);
                if (c->status == RLAB_IOP_FAIL)
                    printf("  FAIL %s -> %s %s: %s\n", m->parties[a].name, m->parties[b].name,
                           rlab_iop_op_name((rlab_iop_op)op), c->detail ? c->detail : "");
            }
    size_t ok, fail, skip;
    rlab_iop_count(m, &ok, &fail, &skip);
    printf("  %u-bit: %zu checks, %zu ok, %zu failed, %zu skipped\n", m->bits,
           ok + fail + skip, ok, fail, skip);
}

/* ---- JSON ----------------------------------------------------------------- */

static json_t *matrix_json(const struct rlab_iop_matrix *m)
{
    static const char *const st[] = {"ok", "fail", "skip"};
    json_t *parties = json_array(), *cells = json_array();
    for (size_t i = 0; i < m->n; i++)
        json_array_append_new(parties, json_pack("{s:s, s:s}", "name", m->parties[i].name,
                                                 "kind", m->parties[i].be ? "backend"
                                                                          : "command-line"));
    for (size_t a = 0; a < m->n; a++)
        for (size_t b = 0; b < m->n; b++)
            for (int op = 0; op < RLAB_IOP_COUNT; op++) {
                const struct rlab_iop_cell *c = rlab_iop_cell_at(m, a, b, (rlab_iop_op)op);
                json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "a", m->parties[a].name, "b",
                                      m->parties[b].name, "op",
                                      rlab_iop_op_name((rlab_iop_op)op), "status",
                                      st[c->status]);
                if (o != NULL)
                    json_object_set_new(o, "detail",
                                        c->detail ? json_string(c->detail) : json_null());
                json_array_append_new(cells, o);
            }
    size_t ok, fail, skip;
    rlab_iop_count(m, &ok, &fail, &skip);
    return json_pack("{s:I, s:I, s:o, s:o, s:{s:I, s:I, s:I}}", "bits", (json_int_t)m->bits,
                     "primes", (json_int_t)m->primes, "parties", parties, "cells", cells, "summary", "ok", (json_int_t)ok,
                     "failed", (json_int_t)fail, "skipped", (json_int_t)skip);
}

/* ---- the command -------------------------------------------------------- */

int rlab_cmd_interop(int argc, char **argv)
{
    unsigned long bits = 0, primes = 2;
    int full = 0, json = 0, no_cli = 0;
    struct rlab_optparse p;
    rlab_opt_init(&p, cmd, argc, argv, options);
    int id, st;
    while ((id = rlab_opt_next_named(&p)) != RLAB_OPT_END) {
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return RLAB_EXIT_OK;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_BITS:
            if ((st = rlab_opt_ulong(cmd, "bits", p.arg, 1024, 16384, &bits)) != 0)
                return st;
            break;
        case OPT_FULL: full = 1; break;
        case OPT_JSON: json = 1; break;
        case OPT_NO_CLI: no_cli = 1; break;
        case OPT_PRIMES:
            if ((st = rlab_opt_ulong(cmd, "primes", p.arg, 2, RLAB_MAX_PRIMES, &primes)) != 0)
                return st;
            break;
        default: return rlab_app_usage_error(cmd, "unhandled option");
        }
    }
    unsigned sizes[4];
    size_t n_sizes = 0;
    if (bits != 0) {
        sizes[n_sizes++] = (unsigned)bits;
    } else {
        if (full)
            sizes[n_sizes++] = 1024;
        sizes[n_sizes++] = 2048;
        if (full)
            sizes[n_sizes++] = 3072;
        sizes[n_sizes++] = 4096;
    }
    size_t n_be = rlab_backend_count();
    if (n_be == 0)
        return rlab_app_usage_error(cmd, "no usable backend in this build");
    struct rlab_iop_party *parties = calloc(n_be + 1, sizeof *parties);
    if (parties == NULL)
        return rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
    size_t n = 0;
    for (size_t i = 0; i < n_be; i++) {
        parties[n].be = rlab_backend_at(i);
        parties[n++].name = rlab_backend_at(i)->name;
    }
    if (!no_cli && rlab_iop_cli_available()) {
        parties[n].be = NULL;
        parties[n++].name = "openssl-cli";
    } else if (!no_cli && !json) {
        printf("(the openssl command-line tool is not installed: not in the matrix)\n");
    }

    json_t *out = json ? json_array() : NULL;
    size_t failed = 0;
    st = RLAB_EXIT_OK;
    for (size_t s = 0; s < n_sizes; s++) {
        struct rlab_iop_matrix m;
        rlab_error_clear();
        int rc = rlab_iop_run_primes(parties, n, sizes[s], (unsigned)primes, &m);
        if (rc != RLAB_OK) {
            st = rlab_app_error(cmd, "matrix", rc);
            break;
        }
        size_t ok, fail, skip;
        rlab_iop_count(&m, &ok, &fail, &skip);
        failed += fail;
        if (json)
            json_array_append_new(out, matrix_json(&m));
        else
            print_matrix(&m);
        fflush(stdout);
        rlab_iop_matrix_free(&m);
    }
    if (st == RLAB_EXIT_OK && json) {
        json_t *root = json_pack("{s:o, s:b}", "sizes", out, "ok", failed == 0);
        out = NULL;
        if (root == NULL || json_dumpf(root, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0)
            st = rlab_app_error(cmd, "JSON", RLAB_ERR_NOMEM);
        printf("\n");
        json_decref(root);
    } else if (st == RLAB_EXIT_OK) {
        printf("\n%s: %zu failing cell(s)\n", failed ? "FAILED" : "OK", failed);
    }
    json_decref(out);
    free(parties);
    if (st == RLAB_EXIT_OK && failed > 0)
        st = RLAB_EXIT_NO;
    return st;
}
