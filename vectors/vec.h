/*
 * Conformance vectors: the catalogue of vector files, loading them, running
 * them over a backend, and the result model the reports are written from.
 *
 * Flow (apps/cmd_vectors.c):
 *
 *   rlab_vec_discover()      -> the catalogue: every known file, found or not
 *   rlab_vec_load(entry)     -> a parsed file (parse once, run on every backend)
 *   rlab_vec_run(be, file)   -> one struct rlab_vec_result per (backend, file)
 *   rlab_vec_report_*()      -> text, Markdown or JSON (report.c)
 *
 * Counting.  A vector CASE (one record of the file) gives one or more CHECKS,
 * each of one kind: an OAEP case with a seed is a "decrypt" check and an
 * "encrypt-kat" check; a SigVer case is one "verify" check.  Every check is
 * counted exactly once as passed, failed, skipped (with its reason) or, for
 * Wycheproof "acceptable" cases, acceptable (accepted or rejected: neither is
 * a failure).  total = passed + failed + skipped + acceptable.
 *
 * A whole file may be "not applicable" to a backend (AES-GCM or hash files
 * on a backend without those optional slots): then it has no checks and
 * na_reason says why; that is neither a skip nor a pass.
 *
 * Nothing here prints except report.c, which writes to the FILE* it is given.
 */
#ifndef RLAB_VEC_H
#define RLAB_VEC_H

#include <stddef.h>
#include <stdio.h>

#include "backends/backend.h"

/* ---- what a file tests ----------------------------------------------- */

typedef enum rlab_vec_format {
    RLAB_VEC_FMT_PKCS1TXT = 0, /* RSA Labs / pyca "# Label:" + hex blocks */
    RLAB_VEC_FMT_CAVP_SIG,     /* CAVP SigGen / SigVer .rsp (and 186-2 .txt) */
    RLAB_VEC_FMT_OAEP_LABEL,   /* BoringSSL evp_tests style key = value */
    RLAB_VEC_FMT_SHAVS,        /* SHAVS ShortMsg / LongMsg */
    RLAB_VEC_FMT_SHAVS_MONTE,  /* SHAVS Monte */
    RLAB_VEC_FMT_GCM,          /* CAVP gcmEncryptExtIV / gcmDecrypt */
    RLAB_VEC_FMT_HMAC,         /* RFC 2202 / 4231 in pyca's key = value */
    RLAB_VEC_FMT_HKDF,         /* RFC 5869 in pyca's key = value */
    RLAB_VEC_FMT_WYCHEPROOF,   /* Wycheproof JSON (RSA schemas only) */
    RLAB_VEC_FMT_WYCHEPROOF_STREAM, /* Wycheproof c2sp_chunked_encryption */
} rlab_vec_format;

typedef enum rlab_vec_family {
    RLAB_VEC_OAEP = 0,
    RLAB_VEC_PSS,
    RLAB_VEC_PKCS1_SIG,
    RLAB_VEC_PKCS1_CRYPT,
    RLAB_VEC_AEAD,
    RLAB_VEC_HASH,
    RLAB_VEC_HMAC,
    RLAB_VEC_HKDF,
    RLAB_VEC_STREAM, /* C2SP chunked encryption: core/stream.h */
    RLAB_VEC_PKCS1_GEN, /* PKCS#1 v1.5 signature generation (Wycheproof) */
} rlab_vec_family;

const char *rlab_vec_family_name(rlab_vec_family f);

/* ---- the catalogue (sources.c) ---------------------------------------- */

struct rlab_vec_entry {
    char *source;  /* "rsalabs", "cavp", "pyca", "rfc", "wycheproof" */
    char *name;    /* file stem, e.g. "SigVerPSS_186-3" */
    char *path;    /* full path */
    rlab_vec_format fmt;
    rlab_vec_family family;
    rlab_hash hash;  /* hash for formats that do not name it (else NONE) */
    int encrypt;     /* GCM: 1 for an encrypt (seal) file, 0 for decrypt */
    int found;       /* the file exists and can be read */
    char *not_run;   /* set when found but not run: why (not an RSA schema) */
};

struct rlab_vec_catalogue {
    struct rlab_vec_entry *v;
    size_t n;
};

/*
 * Every file of the catalogue under vector_dir (python3-cryptography-vectors'
 * data folder), plus every *.json under wycheproof_dir (NULL: none) that is a
 * Wycheproof test file; JSON files of other schemas are listed with not_run
 * set.  Files missing on disk are listed with found = 0.  Returns RLAB_OK or
 * RLAB_ERR_NOMEM.
 */
int rlab_vec_discover(const char *vector_dir, const char *wycheproof_dir,
                      struct rlab_vec_catalogue *out);

/*
 * The entry for one file given on the command line: a catalogue name
 * ("SigVer15_186-3"), "source.name" ("wycheproof.rsa_pkcs1_2048_test", looked
 * up in wycheproof_dir), the path of a catalogue file, the path of a copy of
 * one (recognised by its file name), or the path of a Wycheproof JSON file.
 * RLAB_ERR_NOT_FOUND when it is none of these.
 */
int rlab_vec_entry_for(const char *file, const char *vector_dir,
                       const char *wycheproof_dir, struct rlab_vec_entry *out);

void rlab_vec_entry_clear(struct rlab_vec_entry *e);

/* Where the vectors are when no option says: $RSALAB_VECTORS, else Debian's
 * python3-cryptography-vectors folder; $RSALAB_WYCHEPROOF, else the sample
 * folder beside the source tree (../shared/vectors/wycheproof) when it
 * exists, else NULL. */
const char *rlab_vec_default_vector_dir(void);
const char *rlab_vec_default_wycheproof_dir(void);
void rlab_vec_catalogue_free(struct rlab_vec_catalogue *c);

/* ---- loading and running (vec.c) --------------------------------------- */

struct rlab_vec_file; /* opaque: the parsed cases and keys */

/*
 * Parse a found entry.  On failure returns RLAB_ERR_IO / RLAB_ERR_PARSE /
 * RLAB_ERR_NOMEM with a message in rlab_error_detail().  The entry must
 * outlive the file.
 */
int rlab_vec_load(const struct rlab_vec_entry *e, struct rlab_vec_file **out);
void rlab_vec_file_free(struct rlab_vec_file *f);
size_t rlab_vec_file_cases(const struct rlab_vec_file *f);

/* ---- results ----------------------------------------------------------- */

typedef enum rlab_vec_kind {
    RLAB_VEC_K_DECRYPT = 0,  /* decrypt a known ciphertext (or refuse it) */
    RLAB_VEC_K_ENCRYPT_KAT,  /* encrypt with the vector's seed replayed */
    RLAB_VEC_K_VERIFY,       /* verify a known signature (or refuse it) */
    RLAB_VEC_K_SIGN_KAT,     /* sign; deterministic or salt replayed */
    RLAB_VEC_K_SIGN_VERIFY,  /* sign with own salt, then verify it */
    RLAB_VEC_K_GCM_SEAL,
    RLAB_VEC_K_GCM_OPEN,
    RLAB_VEC_K_HASH,
    RLAB_VEC_K_MONTE,
    RLAB_VEC_K_HMAC,
    RLAB_VEC_K_HKDF,
    RLAB_VEC_K_STREAM_OPEN, /* decrypt a whole stream through the push reader */
    RLAB_VEC_K_STREAM_KDF,  /* derived AEAD key and base nonce */
    RLAB_VEC_K_STREAM_SEAL, /* re-encrypt with the vector's salt */
    RLAB_VEC_K_COUNT
} rlab_vec_kind;

const char *rlab_vec_kind_name(rlab_vec_kind k);

struct rlab_vec_tally {
    size_t passed, failed, skipped;
    size_t acc_accepted, acc_rejected; /* "acceptable" cases */
};

/* A named case: a failure, or an acceptable case and what happened to it. */
struct rlab_vec_note {
    char *case_id;
    char *context; /* section, comment, flags from the file; may be "" */
    rlab_vec_kind kind;
    char *expected;
    char *got;
};

struct rlab_vec_skip {
    char *reason;
    size_t count;
};

struct rlab_vec_result {
    const struct rlab_backend *be;
    const struct rlab_vec_entry *entry; /* not owned */
    size_t cases;                       /* vector cases in the file */
    struct rlab_vec_tally total;
    struct rlab_vec_tally by_kind[RLAB_VEC_K_COUNT];
    struct rlab_vec_skip *skips;
    size_t n_skips;
    struct rlab_vec_note *failures;
    size_t n_failures;
    struct rlab_vec_note *acceptable;
    size_t n_acceptable;
    char *na_reason; /* whole file not applicable to this backend */
    char *error;     /* file could not be loaded: counts as one failure */
};

/* Checks in a result (passed + failed + skipped + acceptable). */
size_t rlab_vec_checks(const struct rlab_vec_tally *t);

/*
 * Run every case of f on backend be into r (initialised here; release with
 * rlab_vec_result_clear).  Returns RLAB_OK, or RLAB_ERR_NOMEM; vector
 * failures are in r, not in the return code.
 */
int rlab_vec_run(const struct rlab_backend *be, const struct rlab_vec_file *f,
                 struct rlab_vec_result *r);

/* A result for a file that could not be loaded (error copied). */
int rlab_vec_result_error(const struct rlab_backend *be,
                          const struct rlab_vec_entry *e, const char *error,
                          struct rlab_vec_result *r);

void rlab_vec_result_clear(struct rlab_vec_result *r);

/* ---- reports (report.c) ------------------------------------------------ */

struct rlab_vec_report {
    const char *vector_dir;
    const char *wycheproof_dir; /* NULL when none */
    const struct rlab_vec_catalogue *catalogue; /* for "not found" lists; may be NULL */
    const struct rlab_backend *const *backends;
    size_t n_backends;
    const struct rlab_vec_result *results;
    size_t n_results;
};

/* Plain text for people.  verbose: every failure, acceptable case and kind. */
void rlab_vec_report_text(FILE *f, const struct rlab_vec_report *rep, int verbose);
/* A Markdown page (results/conformance.md). */
void rlab_vec_report_markdown(FILE *f, const struct rlab_vec_report *rep);
/* The same data as JSON; returns RLAB_OK or RLAB_ERR_NOMEM / RLAB_ERR_IO. */
int rlab_vec_report_json(FILE *f, const struct rlab_vec_report *rep);

/* Overall counts over rep (for exit status). */
void rlab_vec_report_totals(const struct rlab_vec_report *rep,
                            struct rlab_vec_tally *out, size_t *errors);

#endif
