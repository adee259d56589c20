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
            "usage: rsalab interop [--bits N] [--full] [--json] [--no-cli]\n"
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
            "  --json     the matrix as JSON on standard output\n"
            "  --no-cli   leave the openssl command-line tool out\n"
            "\n"
            "Each cell is ok, FAIL or skip (with the library's reason).\n"
            "Exit status: 0 no failing cell, 1 a cell failed, 2 usage error.\n");
}

enum { OPT_BITS = 1, OPT_FULL, OPT_JSON, OPT_NO_CLI };

static const struct rlab_opt options[] = {
    {"bits", 1, OPT_BITS}, {"full", 0, OPT_FULL}, {"json", 0, OPT_JSON},
    {"no-cli", 0, OPT_NO_CLI}, {NULL, 0, 0},
};

/* ---- text ----------------------------------------------------------------- */

struct notes {
    const char *reasons[64];
    size_t n;
};

static size_t note_index(struct notes *nt, const char *reason)
{
    for (size_t i = 0; i < nt->n; i++)
        if (strcmp(nt->reasons[i], reason) == 0)
            return i + 1;
    if (nt->n == sizeof nt->reasons / sizeof nt->reasons[0])
        return 0;
    nt->reasons[nt->n++] = reason;
    return nt->n;
}

static void print_matrix(const struct rlab_iop_matrix *m)
{
    struct notes nt = {{0}, 0};
    int w = 8;
    for (size_t i = 0; i < m->n; i++)
        if ((int)strlen(m->parties[i].name) > w)
            w = (int)strlen(m->parties[i].name);
    printf("\n== interop, %u-bit keys (row A -> B: A makes the key, exports, encrypts, signs;"
           " B imports, decrypts, verifies) ==\n",
           m->bits);
    printf("%-*s", 2 * w + 4, "A -> B");
    for (int op = 0; op < RLAB_IOP_COUNT; op++)
        printf(" %-16s", rlab_iop_op_name((rlab_iop_op)op));
    printf("\n");
    for (size_t a = 0; a < m->n; a++) {
        for (size_t b = 0; b < m->n; b++) {
            printf("%*s -> %-*s", w, m->parties[a].name, w, m->parties[b].name);
            for (int op = 0; op < RLAB_IOP_COUNT; op++) {
                const struct rlab_iop_cell *c = rlab_iop_cell_at(m, a, b, (rlab_iop_op)op);
                char cell[24];
                if (c->status == RLAB_IOP_OK)
                    snprintf(cell, sizeof cell, "ok");
                else if (c->status == RLAB_IOP_FAIL)
                    snprintf(cell, sizeof cell, "FAIL");
                else
                    snprintf(cell, sizeof cell, "skip[%zu]",
                             note_index(&nt, c->detail != NULL ? c->detail : "?"));
                printf(" %-16s", cell);
            }
            printf("\n");
        }
    }
    for (size_t i = 0; i < nt.n; i++)
        printf("  skip[%zu]: %s\n", i + 1, nt.reasons[i]);
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
    printf("  %u-bit: %zu cells, %zu ok, %zu failed, %zu skipped\n", m->bits, ok + fail + skip,
           ok, fail, skip);
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
    return json_pack("{s:I, s:o, s:o, s:{s:I, s:I, s:I}}", "bits", (json_int_t)m->bits,
                     "parties", parties, "cells", cells, "summary", "ok", (json_int_t)ok,
                     "failed", (json_int_t)fail, "skipped", (json_int_t)skip);
}

/* ---- the command -------------------------------------------------------- */

int rlab_cmd_interop(int argc, char **argv)
{
    unsigned long bits = 0;
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
        int rc = rlab_iop_run(parties, n, sizes[s], &m);
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
