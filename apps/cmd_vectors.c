/*
 * rsalab vectors: run the conformance vectors (vectors/) on every backend,
 * or on one, and report per backend and per file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apps/commands.h"
#include "apps/opts.h"
#include "vectors/vec.h"

static const char cmd[] = "vectors";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab vectors [--backend B] [--file F]... [--wycheproof DIR]\n"
            "                      [--vectors DIR] [--json | --markdown] [--verbose]\n"
            "                      [--fail-on-skip] [--list]\n"
            "\n"
            "Run known-answer and Wycheproof vectors on every backend (or one) and\n"
            "print, per backend and per file: cases, checks, passed, failed, skipped\n"
            "(with reasons), acceptable (accepted/rejected); each failure is named.\n"
            "\n"
            "  --backend B      only this backend (default: every usable backend)\n"
            "  --file F         only this file: a path, or a name from --list\n"
            "                   (e.g. SigVer15_186-3, wycheproof.rsa_pkcs1_2048_test);\n"
            "                   may be repeated\n"
            "  --wycheproof DIR Wycheproof JSON folder (default: $RSALAB_WYCHEPROOF,\n"
            "                   else vectors/data/wycheproof in the sources\n"
            "                   when present); every RSA-schema *.json in it is run\n"
            "  --vectors DIR    python3-cryptography-vectors data folder (default:\n"
            "                   $RSALAB_VECTORS, else\n"
            "                   %s)\n"
            "  --json           the same report as JSON on standard output\n"
            "  --markdown       the same report as a Markdown page\n"
            "  --verbose        every failure, acceptable case and check kind\n"
            "  --fail-on-skip   a skipped check is a failure (for a backend that must\n"
            "                   run everything, such as gmp)\n"
            "  --list           list the catalogue (found or not) and exit\n"
            "\n"
            "Exit status: 0 no failure, 1 a vector failed (or, with --fail-on-skip,\n"
            "was skipped), 2 usage or input error (unknown or missing file or folder,\n"
            "a vector file that cannot be read or parsed).  When nothing ran (the\n"
            "files do not apply to the backend, or every check was skipped) the\n"
            "status is 0 and standard error says \"rsalab vectors: all skipped\" with\n"
            "the reasons in the report.  See docs/VECTORS.md.\n",
            rlab_vec_default_vector_dir());
}

enum {
    OPT_BACKEND = 1, OPT_FILE, OPT_WYCHEPROOF, OPT_VECTORS, OPT_JSON,
    OPT_MARKDOWN, OPT_VERBOSE, OPT_FAIL_ON_SKIP, OPT_LIST,
};

static const struct rlab_opt options[] = {
    {"backend", 1, OPT_BACKEND},   {"file", 1, OPT_FILE},
    {"wycheproof", 1, OPT_WYCHEPROOF}, {"vectors", 1, OPT_VECTORS},
    {"json", 0, OPT_JSON},         {"markdown", 0, OPT_MARKDOWN},
    {"verbose", 0, OPT_VERBOSE},   {"fail-on-skip", 0, OPT_FAIL_ON_SKIP},
    {"list", 0, OPT_LIST},         {NULL, 0, 0},
};

struct run {
    const char *vector_dir, *wycheproof_dir;
    const char *backend;
    const char **files;
    size_t n_files;
    int json, markdown, verbose, fail_on_skip, list;
};

/* A folder given by the user: exit 2 when it is not one. */
static int need_dir(const char *what, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return rlab_app_usage_error(cmd, "%s %s: %s", what, path, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return rlab_app_usage_error(cmd, "%s %s: not a folder", what, path);
    return RLAB_EXIT_OK;
}

/* A --file argument that is meant as a path (it has a '/' or a vector
 * file's extension) rather than a catalogue name. */
static int looks_like_path(const char *f)
{
    static const char *const ext[] = {".json", ".txt", ".rsp"};
    if (strchr(f, '/') != NULL)
        return 1;
    size_t l = strlen(f);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t n = strlen(ext[i]);
        if (l > n && strcmp(f + l - n, ext[i]) == 0)
            return 1;
    }
    return 0;
}

static int parse(int argc, char **argv, struct run *o)
{
    struct rlab_optparse p;
    rlab_opt_init(&p, cmd, argc, argv, options);
    int id;
    while ((id = rlab_opt_next_named(&p)) != RLAB_OPT_END) {
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return -1;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_BACKEND: o->backend = p.arg; break;
        case OPT_FILE: {
            const char **v = realloc(o->files, (o->n_files + 1) * sizeof *v);
            if (v == NULL)
                return rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
            o->files = v;
            o->files[o->n_files++] = p.arg;
            break;
        }
        case OPT_WYCHEPROOF: o->wycheproof_dir = p.arg; break;
        case OPT_VECTORS: o->vector_dir = p.arg; break;
        case OPT_JSON: o->json = 1; break;
        case OPT_MARKDOWN: o->markdown = 1; break;
        case OPT_VERBOSE: o->verbose = 1; break;
        case OPT_FAIL_ON_SKIP: o->fail_on_skip = 1; break;
        case OPT_LIST: o->list = 1; break;
        default: return rlab_app_usage_error(cmd, "unhandled option");
        }
    }
    if (o->json && o->markdown)
        return rlab_app_usage_error(cmd, "--json and --markdown exclude each other");
    /* A folder the user named (option or environment) must be there: a
     * typo would otherwise run nothing and pass. */
    const char *env_v = getenv("RSALAB_VECTORS"), *env_w = getenv("RSALAB_WYCHEPROOF");
    int st = RLAB_EXIT_OK;
    if (o->vector_dir != NULL)
        st = need_dir("--vectors", o->vector_dir);
    else if (env_v != NULL && env_v[0] != '\0')
        st = need_dir("$RSALAB_VECTORS", env_v);
    if (st == RLAB_EXIT_OK && o->wycheproof_dir != NULL)
        st = need_dir("--wycheproof", o->wycheproof_dir);
    else if (st == RLAB_EXIT_OK && env_w != NULL && env_w[0] != '\0')
        st = need_dir("$RSALAB_WYCHEPROOF", env_w);
    if (st != RLAB_EXIT_OK)
        return st;
    if (o->vector_dir == NULL)
        o->vector_dir = rlab_vec_default_vector_dir();
    if (o->wycheproof_dir == NULL)
        o->wycheproof_dir = rlab_vec_default_wycheproof_dir();
    return RLAB_EXIT_OK;
}

static int list(const struct rlab_vec_catalogue *cat)
{
    for (size_t i = 0; i < cat->n; i++) {
        const struct rlab_vec_entry *e = &cat->v[i];
        printf("%-10s %-40s %-18s %s  %s\n", e->source, e->name,
               e->not_run != NULL ? "-" : rlab_vec_family_name(e->family),
               !e->found ? "NOT FOUND" : e->not_run != NULL ? "not run" : "found", e->path);
    }
    return RLAB_EXIT_OK;
}

/* The entries to run: the named files, or every runnable catalogue file. */
static int select_entries(const struct run *o, const struct rlab_vec_catalogue *cat,
                          struct rlab_vec_catalogue *sel)
{
    memset(sel, 0, sizeof *sel);
    size_t n = o->n_files ? o->n_files : cat->n;
    sel->v = calloc(n ? n : 1, sizeof *sel->v);
    if (sel->v == NULL)
        return rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
    if (o->n_files == 0) {
        for (size_t i = 0; i < cat->n; i++) {
            const struct rlab_vec_entry *e = &cat->v[i];
            if (!e->found || e->not_run != NULL)
                continue;
            struct rlab_vec_entry *d = &sel->v[sel->n];
            *d = *e;
            d->source = strdup(e->source);
            d->name = strdup(e->name);
            d->path = strdup(e->path);
            d->not_run = NULL;
            sel->n++;
            if (!d->source || !d->name || !d->path)
                return rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
        }
        return RLAB_EXIT_OK;
    }
    for (size_t i = 0; i < o->n_files; i++) {
        struct stat st;
        if (looks_like_path(o->files[i]) && stat(o->files[i], &st) != 0)
            return rlab_app_usage_error(cmd, "--file %s: %s", o->files[i],
                                        errno == ENOENT ? "no such file" : strerror(errno));
        int rc = rlab_vec_entry_for(o->files[i], o->vector_dir, o->wycheproof_dir,
                                    &sel->v[sel->n]);
        if (rc == RLAB_ERR_NOT_FOUND)
            return rlab_app_usage_error(cmd, "'%s' is not a known vector file; "
                                        "'rsalab vectors --list' lists them", o->files[i]);
        if (rc != RLAB_OK)
            return rlab_app_error(cmd, o->files[i], rc);
        struct rlab_vec_entry *e = &sel->v[sel->n++];
        if (!e->found)
            return rlab_app_usage_error(cmd, "%s: not found", e->path);
        if (e->not_run != NULL)
            return rlab_app_usage_error(cmd, "%s: %s", e->path, e->not_run);
    }
    return RLAB_EXIT_OK;
}

/*
 * Load each file once and run it on every backend.  A file named on the
 * command line (named = 1) that cannot be read or parsed is an input error:
 * its name and what is wrong with it, exit 2, before anything runs on it.
 * In a catalogue run it is an ERROR row in the report (and exit 2 at the
 * end, see rlab_cmd_vectors).
 */
static int run_all(const struct rlab_vec_catalogue *sel, int named,
                   const struct rlab_backend **bes, size_t n_be,
                   struct rlab_vec_result *results, size_t *n_results)
{
    *n_results = 0;
    for (size_t i = 0; i < sel->n; i++) {
        struct rlab_vec_file *f = NULL;
        rlab_error_clear();
        int rc = rlab_vec_load(&sel->v[i], &f);
        char *err = NULL;
        if (rc != RLAB_OK && named)
            return rlab_app_fail(cmd, sel->v[i].path, rc);
        if (rc != RLAB_OK) {
            const char *what = rlab_strerror(rc), *detail = rlab_error_detail();
            size_t len = strlen(what) + strlen(detail) + 3;
            if ((err = malloc(len)) == NULL)
                return rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
            snprintf(err, len, "%s: %s", what, detail);
        }
        for (size_t b = 0; b < n_be; b++) {
            struct rlab_vec_result *r = &results[(*n_results)++];
            int rr = f != NULL ? rlab_vec_run(bes[b], f, r)
                               : rlab_vec_result_error(bes[b], &sel->v[i], err, r);
            if (rr != RLAB_OK) {
                free(err);
                rlab_vec_file_free(f);
                return rlab_app_error(cmd, sel->v[i].path, rr);
            }
        }
        free(err);
        rlab_vec_file_free(f);
    }
    return RLAB_EXIT_OK;
}

int rlab_cmd_vectors(int argc, char **argv)
{
    struct run o = {0};
    int st = parse(argc, argv, &o);
    if (st != RLAB_EXIT_OK) {
        free(o.files);
        return st < 0 ? RLAB_EXIT_OK : st;
    }
    struct rlab_vec_catalogue cat = {0}, sel = {0};
    struct rlab_vec_result *results = NULL;
    size_t n_results = 0;
    const struct rlab_backend **bes = NULL;
    size_t n_be = 0;

    int rc = rlab_vec_discover(o.vector_dir, o.wycheproof_dir, &cat);
    if (rc != RLAB_OK) {
        st = rlab_app_error(cmd, "catalogue", rc);
        goto out;
    }
    if (o.list) {
        st = list(&cat);
        goto out;
    }
    if (o.backend != NULL) {
        const struct rlab_backend *be;
        if ((st = rlab_app_backend(cmd, o.backend, &be)) != RLAB_EXIT_OK)
            goto out;
        bes = malloc(sizeof *bes);
        if (bes != NULL)
            bes[n_be++] = be;
    } else {
        size_t n = rlab_backend_count();
        bes = calloc(n ? n : 1, sizeof *bes);
        for (size_t i = 0; bes != NULL && i < n; i++)
            bes[n_be++] = rlab_backend_at(i);
    }
    if (bes == NULL || n_be == 0) {
        st = bes == NULL ? rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM)
                         : rlab_app_usage_error(cmd, "no usable backend in this build");
        goto out;
    }
    if ((st = select_entries(&o, &cat, &sel)) != RLAB_EXIT_OK)
        goto out;
    results = calloc(sel.n * n_be + 1, sizeof *results);
    if (results == NULL) {
        st = rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
        goto out;
    }
    if ((st = run_all(&sel, o.n_files > 0, bes, n_be, results, &n_results)) != RLAB_EXIT_OK)
        goto out;

    struct rlab_vec_report rep = {
        .vector_dir = o.vector_dir,
        .wycheproof_dir = o.wycheproof_dir,
        .catalogue = o.n_files ? NULL : &cat, /* "not found" only for full runs */
        .backends = bes,
        .n_backends = n_be,
        .results = results,
        .n_results = n_results,
    };
    if (o.json)
        rc = rlab_vec_report_json(stdout, &rep);
    else if (o.markdown)
        rlab_vec_report_markdown(stdout, &rep);
    else
        rlab_vec_report_text(stdout, &rep, o.verbose);
    if (rc != RLAB_OK) {
        st = rlab_app_error(cmd, "report", rc);
        goto out;
    }
    struct rlab_vec_tally t;
    size_t errors;
    rlab_vec_report_totals(&rep, &t, &errors);
    st = t.failed > 0 || (o.fail_on_skip && t.skipped > 0) ? RLAB_EXIT_NO : RLAB_EXIT_OK;
    if (errors > 0) {
        fprintf(stderr, "rsalab vectors: %zu file(s) could not be read or parsed (ERROR "
                        "in the report)\n", errors);
        st = RLAB_EXIT_USAGE;
    }
    if (o.fail_on_skip && t.skipped > 0)
        fprintf(stderr, "rsalab vectors: %zu check(s) skipped and --fail-on-skip given\n",
                t.skipped);
    /* Nothing ran (not applicable, or every check skipped): not a failure,
     * but never silent either.  ctest shows this line as "Skipped"
     * (tests/vectors.cmake, SKIP_REGULAR_EXPRESSION). */
    if (st == RLAB_EXIT_OK && t.passed + t.acc_accepted + t.acc_rejected == 0)
        fprintf(stderr, "rsalab vectors: all skipped: no check ran on %s (reasons in the "
                        "report)\n", n_be == 1 ? bes[0]->name : "any backend");
out:
    for (size_t i = 0; i < n_results; i++)
        rlab_vec_result_clear(&results[i]);
    free(results);
    rlab_vec_catalogue_free(&sel);
    rlab_vec_catalogue_free(&cat);
    free(bes);
    free(o.files);
    return st;
}
