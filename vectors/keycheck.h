/*
 * The key-strictness matrix: a corpus of malformed and weak keys
 * (vectors/data/keycheck/, written by scripts/keycheck_corpus.py), each
 * imported on every backend, and whether each backend accepted or refused
 * it with the library's reason.  A measurement: a backend that accepts a
 * bad key is reported, not hidden.  See docs/VECTORS.md.
 *
 * Flow (apps/cmd_keycheck.c):
 *
 *   rlab_kc_load(dir)          -> the corpus: index.txt and the file names
 *   rlab_kc_run(corpus, bes)   -> one cell per (key, backend)
 *   rlab_kc_report_*()         -> text, Markdown or JSON (keycheck_report.c)
 *
 * Nothing here prints except the report functions, which write to the FILE*
 * they are given.
 */
#ifndef RLAB_VEC_KEYCHECK_H
#define RLAB_VEC_KEYCHECK_H

#include <stddef.h>
#include <stdio.h>

#include "backends/backend.h"

/* One file of the corpus, as index.txt describes it. */
struct rlab_kc_key {
    char *file;        /* name in the corpus folder */
    char *path;        /* folder + name */
    rlab_keyfmt fmt;   /* imported as this format ... */
    rlab_encoding enc; /* ... and encoding */
    int expect_accept; /* 1 for the valid controls, 0 for a broken rule */
    char *rule;        /* "wrong-dp", ... ("valid" for the controls) */
    char *source;      /* where the rule comes from */
    char *what;        /* what was changed */
};

struct rlab_kc_corpus {
    char *dir;
    struct rlab_kc_key *v;
    size_t n;
};

/*
 * Read dir/index.txt: one key per line, "file | format | encoding | expect |
 * rule | source | what", '#' comments and blank lines ignored.  Every file
 * named must exist.  Returns RLAB_OK, RLAB_ERR_IO (index or key file
 * missing), RLAB_ERR_PARSE (a bad line, or no key at all; the line is named
 * in the detail) or RLAB_ERR_NOMEM.  Release with rlab_kc_corpus_free().
 */
int rlab_kc_load(const char *dir, struct rlab_kc_corpus *out);
void rlab_kc_corpus_free(struct rlab_kc_corpus *c);

/* $RSALAB_KEYCHECK, else the corpus of the source tree when it exists,
 * else NULL. */
const char *rlab_kc_default_dir(void);

typedef enum rlab_kc_verdict {
    RLAB_KC_REFUSED = 0,
    RLAB_KC_ACCEPTED,
    RLAB_KC_SKIPPED, /* the backend cannot import keys at all */
} rlab_kc_verdict;

struct rlab_kc_cell {
    rlab_kc_verdict verdict;
    int rc;           /* the import's rlab_err code (RLAB_OK when accepted) */
    char *detail;     /* the library's reason (rlab_error_detail), or the
                         skip reason; "" when none */
    unsigned bits;    /* accepted: modulus size */
    int has_private;  /* accepted: a private key */
};

struct rlab_kc_matrix {
    const struct rlab_kc_corpus *corpus;
    const struct rlab_backend *const *backends;
    size_t n_backends;
    struct rlab_kc_cell *cells; /* cells[key * n_backends + backend] */
};

/*
 * Import every key of c on every backend (each file read once).  The
 * corpus and the backend array must outlive m.  Returns RLAB_OK,
 * RLAB_ERR_IO (a key file could not be read; detail) or RLAB_ERR_NOMEM.
 * Release with rlab_kc_matrix_free().
 */
int rlab_kc_run(const struct rlab_kc_corpus *c, const struct rlab_backend *const *backends,
                size_t n_backends, struct rlab_kc_matrix *m);
void rlab_kc_matrix_free(struct rlab_kc_matrix *m);

static inline const struct rlab_kc_cell *rlab_kc_cell_at(const struct rlab_kc_matrix *m,
                                                         size_t key, size_t backend)
{
    return &m->cells[key * m->n_backends + backend];
}

/* 1 when the cell's verdict is what the index expects (a skip is not). */
int rlab_kc_as_expected(const struct rlab_kc_matrix *m, size_t key, size_t backend);

/* One backend's counts over the corpus. */
struct rlab_kc_tally {
    size_t keys, refused, accepted, skipped;
    size_t bad_accepted;      /* keys that break a rule, accepted */
    size_t control_refused;   /* valid controls refused */
};
void rlab_kc_tally(const struct rlab_kc_matrix *m, size_t backend, struct rlab_kc_tally *t);

/* ---- reports (keycheck_report.c) --------------------------------------- */

/* The compact matrix with its legend, the counts per backend, then every
 * cell's reason. */
void rlab_kc_report_text(FILE *f, const struct rlab_kc_matrix *m);
/* A Markdown page (results/keycheck.md). */
void rlab_kc_report_markdown(FILE *f, const struct rlab_kc_matrix *m);
/* JSON with every detail; RLAB_OK, RLAB_ERR_NOMEM or RLAB_ERR_IO. */
int rlab_kc_report_json(FILE *f, const struct rlab_kc_matrix *m);

#endif
