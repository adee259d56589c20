/*
 * rsalab keycheck: the key-strictness matrix.  Every key of the corpus
 * (vectors/data/keycheck/) is imported on every backend (or those named)
 * and the verdict printed with the library's reason.  A measurement: the
 * exit status is 0 whatever the backends decided, unless --strict is given.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apps/commands.h"
#include "apps/opts.h"
#include "vectors/keycheck.h"

static const char cmd[] = "keycheck";

#define KC_MAX_BACKENDS 32

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab keycheck [--backends LIST] [--corpus DIR] [--json | --markdown]\n"
            "                       [--strict]\n"
            "\n"
            "Import every malformed or weak key of the corpus on every backend and\n"
            "print which backend accepts or refuses which key, with the library's\n"
            "reason: a matrix with its legend, the counts per backend and every\n"
            "reason.  Each corpus file breaks one rule (non-minimal INTEGER, even or\n"
            "prime modulus, p*q != n, wrong d or CRT values, e = 1, even or huge e,\n"
            "version 2, trailing bytes, PEM label, ...) or is a valid control key.\n"
            "\n"
            "  --backends LIST  comma-separated backends (default: every usable one)\n"
            "  --corpus DIR     the corpus folder with its index.txt (default:\n"
            "                   $RSALAB_KEYCHECK, else vectors/data/keycheck of the\n"
            "                   sources)\n"
            "  --json           every cell with its detail as JSON\n"
            "  --markdown       the report as a Markdown page (results/keycheck.md)\n"
            "  --strict         exit 1 when a backend accepts a key that breaks a rule\n"
            "                   or refuses a valid control (for a backend that must\n"
            "                   refuse every one, such as gmp)\n"
            "\n"
            "Exit status: 0 the matrix was measured (whatever the backends decided),\n"
            "1 with --strict a verdict differs from the corpus index, 2 usage or\n"
            "input error (unknown backend, missing or malformed corpus).  See\n"
            "docs/VECTORS.md.\n");
}

enum { OPT_BACKENDS = 1, OPT_CORPUS, OPT_JSON, OPT_MARKDOWN, OPT_STRICT };

static const struct rlab_opt options[] = {
    {"backends", 1, OPT_BACKENDS}, {"corpus", 1, OPT_CORPUS}, {"json", 0, OPT_JSON},
    {"markdown", 0, OPT_MARKDOWN}, {"strict", 0, OPT_STRICT}, {NULL, 0, 0},
};

struct run {
    const char *backends, *corpus;
    int json, markdown, strict;
    const struct rlab_backend *be[KC_MAX_BACKENDS];
    size_t n_be;
};

static int parse(int argc, char **argv, struct run *o)
{
    struct rlab_optparse p;
    rlab_opt_init(&p, cmd, argc, argv, options);
    int id;
    while ((id = rlab_opt_next_named(&p)) != RLAB_OPT_END) {
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return -1;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_BACKENDS: o->backends = p.arg; break;
        case OPT_CORPUS: o->corpus = p.arg; break;
        case OPT_JSON: o->json = 1; break;
        case OPT_MARKDOWN: o->markdown = 1; break;
        case OPT_STRICT: o->strict = 1; break;
        default: return rlab_app_usage_error(cmd, "unhandled option");
        }
    }
    if (o->json && o->markdown)
        return rlab_app_usage_error(cmd, "--json and --markdown exclude each other");
    return RLAB_EXIT_OK;
}

/* The backends named by --backends, else every usable one. */
static int pick_backends(struct run *o)
{
    int st = rlab_app_registry(cmd);
    if (st != RLAB_EXIT_OK)
        return st;
    if (o->backends == NULL) {
        for (size_t i = 0; i < rlab_backend_count() && o->n_be < KC_MAX_BACKENDS; i++)
            o->be[o->n_be++] = rlab_backend_at(i);
        return RLAB_EXIT_OK;
    }
    char *items[KC_MAX_BACKENDS], *copy = NULL;
    size_t n = 0;
    st = rlab_opt_list(cmd, "backends", o->backends, items, KC_MAX_BACKENDS, &n, &copy);
    for (size_t i = 0; i < n && st == RLAB_EXIT_OK; i++) {
        const struct rlab_backend *be;
        st = rlab_app_backend(cmd, items[i], &be);
        for (size_t j = 0; j < o->n_be && st == RLAB_EXIT_OK; j++)
            if (o->be[j] == be)
                st = rlab_app_usage_error(cmd, "--backends: '%s' given twice", items[i]);
        if (st == RLAB_EXIT_OK)
            o->be[o->n_be++] = be;
    }
    free(copy);
    return st;
}

static int corpus_dir(const struct run *o, const char **dir)
{
    *dir = o->corpus != NULL ? o->corpus : rlab_kc_default_dir();
    if (*dir == NULL)
        return rlab_app_usage_error(cmd, "no corpus folder: give --corpus DIR "
                                    "(the sources have vectors/data/keycheck)");
    struct stat st;
    if (stat(*dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return rlab_app_usage_error(cmd, "--corpus %s: not a folder", *dir);
    return RLAB_EXIT_OK;
}

/* With --strict: 1 when any verdict differs from the index (named on
 * standard error), else 0. */
static int strict_status(const struct rlab_kc_matrix *m)
{
    int st = RLAB_EXIT_OK;
    for (size_t i = 0; i < m->corpus->n; i++)
        for (size_t b = 0; b < m->n_backends; b++) {
            if (rlab_kc_as_expected(m, i, b))
                continue;
            const struct rlab_kc_cell *c = rlab_kc_cell_at(m, i, b);
            fprintf(stderr, "rsalab keycheck: %s %s %s (expected: %s)\n",
                    m->backends[b]->name,
                    c->verdict == RLAB_KC_ACCEPTED ? "accepted"
                    : c->verdict == RLAB_KC_SKIPPED ? "skipped"
                                                    : "refused",
                    m->corpus->v[i].file, m->corpus->v[i].expect_accept ? "accept" : "refuse");
            st = RLAB_EXIT_NO;
        }
    return st;
}

int rlab_cmd_keycheck(int argc, char **argv)
{
    struct run o = {0};
    int st = parse(argc, argv, &o);
    if (st != RLAB_EXIT_OK)
        return st < 0 ? RLAB_EXIT_OK : st;
    const char *dir;
    if ((st = corpus_dir(&o, &dir)) != RLAB_EXIT_OK || (st = pick_backends(&o)) != RLAB_EXIT_OK)
        return st;
    struct rlab_kc_corpus corpus;
    int rc = rlab_kc_load(dir, &corpus);
    if (rc != RLAB_OK)
        return rlab_app_fail(cmd, dir, rc);
    struct rlab_kc_matrix m;
    rc = rlab_kc_run(&corpus, o.be, o.n_be, &m);
    if (rc != RLAB_OK) {
        rlab_kc_corpus_free(&corpus);
        return rlab_app_fail(cmd, "running the corpus", rc);
    }
    if (o.json)
        rc = rlab_kc_report_json(stdout, &m);
    else if (o.markdown)
        rlab_kc_report_markdown(stdout, &m);
    else
        rlab_kc_report_text(stdout, &m);
    if (rc == RLAB_OK && fflush(stdout) != 0)
        rc = RLAB_ERR_IO;
    st = rc != RLAB_OK ? rlab_app_fail(cmd, "writing the report", rc)
         : o.strict    ? strict_status(&m)
                       : RLAB_EXIT_OK;
    rlab_kc_matrix_free(&m);
    rlab_kc_corpus_free(&corpus);
    return st;
}
