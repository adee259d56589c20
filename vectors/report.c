/*
 * Reports of a vectors run: plain text, Markdown and JSON, all from the same
 * struct rlab_vec_report.  see vec.h
 */
#include <jansson.h>
#include <string.h>

#include "vectors/vec.h"

#define FAILURES_SHOWN 10 /* per file in the text report unless verbose */

static const char *version_of(const struct rlab_backend *be)
{
    const char *v = be->version != NULL ? be->version() : NULL;
    return v != NULL ? v : "unknown version";
}

static void tally_add(struct rlab_vec_tally *t, const struct rlab_vec_tally *a)
{
    t->passed += a->passed;
    t->failed += a->failed;
    t->skipped += a->skipped;
    t->acc_accepted += a->acc_accepted;
    t->acc_rejected += a->acc_rejected;
}

void rlab_vec_report_totals(const struct rlab_vec_report *rep,
                            struct rlab_vec_tally *out, size_t *errors)
{
    memset(out, 0, sizeof *out);
    *errors = 0;
    for (size_t i = 0; i < rep->n_results; i++) {
        tally_add(out, &rep->results[i].total);
        if (rep->results[i].error != NULL)
            (*errors)++;
    }
}

/* ---- parts: RSA and each symmetric piece counted apart ------------------ */

/* The symmetric files outnumber the RSA ones by far (CAVP's GCM files alone
 * have tens of thousands of cases), so one grand total would hide the RSA
 * figures: every report gives a total per part. */
enum vec_part { PART_RSA, PART_GCM, PART_HASH, PART_HMAC, PART_HKDF, PART_STREAM, PART_COUNT };

static const char *const part_names[PART_COUNT] = {
    [PART_RSA] = "RSA",       [PART_GCM] = "AES-GCM", [PART_HASH] = "hashes",
    [PART_HMAC] = "HMAC",     [PART_HKDF] = "HKDF",   [PART_STREAM] = "chunked stream",
};

static enum vec_part part_of(const struct rlab_vec_result *r)
{
    switch (r->entry->family) {
    case RLAB_VEC_OAEP:
    case RLAB_VEC_PSS:
    case RLAB_VEC_PKCS1_SIG:
    case RLAB_VEC_PKCS1_GEN:
    case RLAB_VEC_PKCS1_CRYPT: return PART_RSA;
    case RLAB_VEC_AEAD: return PART_GCM;
    case RLAB_VEC_HASH: return PART_HASH;
    case RLAB_VEC_HMAC: return PART_HMAC;
    case RLAB_VEC_HKDF: return PART_HKDF;
    case RLAB_VEC_STREAM: return PART_STREAM;
    }
    return PART_RSA;
}

/* What one backend did in one part (or in all of them). */
struct part_sum {
    struct rlab_vec_tally t;
    size_t run, na, errors; /* files */
};

static size_t part_files(const struct part_sum *p)
{
    return p->run + p->na + p->errors;
}

static void part_add(struct part_sum *p, const struct rlab_vec_result *r)
{
    p->na += r->na_reason != NULL;
    p->errors += r->error != NULL;
    p->run += r->na_reason == NULL && r->error == NULL;
    tally_add(&p->t, &r->total);
}

/* Sums of backend be (NULL: every backend) per part, and over all parts. */
static void part_sums(const struct rlab_vec_report *rep, const struct rlab_backend *be,
                      struct part_sum parts[PART_COUNT], struct part_sum *all)
{
    memset(parts, 0, PART_COUNT * sizeof parts[0]);
    memset(all, 0, sizeof *all);
    for (size_t i = 0; i < rep->n_results; i++) {
        const struct rlab_vec_result *r = &rep->results[i];
        if (be != NULL && r->be != be)
            continue;
        part_add(&parts[part_of(r)], r);
        part_add(all, r);
    }
}

static void acc_str(const struct rlab_vec_tally *t, char *buf, size_t size)
{
    if (t->acc_accepted + t->acc_rejected == 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%zu/%zu", t->acc_accepted, t->acc_rejected);
}

static void kinds_str(const struct rlab_vec_result *r, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < RLAB_VEC_K_COUNT && used < size; k++) {
        size_t n = rlab_vec_checks(&r->by_kind[k]);
        if (n > 0)
            used += (size_t)snprintf(buf + used, size - used, "%s%zu %s", used ? ", " : "",
                                     n, rlab_vec_kind_name((rlab_vec_kind)k));
    }
}

/* ---- text --------------------------------------------------------------- */

static void text_notes(FILE *f, const char *label, const struct rlab_vec_result *r,
                       const struct rlab_vec_note *v, size_t n, int verbose)
{
    size_t shown = verbose || n <= FAILURES_SHOWN ? n : FAILURES_SHOWN;
    for (size_t i = 0; i < shown; i++)
        fprintf(f, "      %s %s/%s case %s [%s]%s%s%s: expected %s, got %s\n", label,
                r->entry->source, r->entry->name, v[i].case_id, rlab_vec_kind_name(v[i].kind),
                v[i].context[0] ? " (" : "", v[i].context, v[i].context[0] ? ")" : "",
                v[i].expected, v[i].got);
    if (shown < n)
        fprintf(f, "      ... %zu more (--verbose or --json for all)\n", n - shown);
}

/* One file's line and what follows it (skips, acceptable, failures). */
static void text_file(FILE *f, const struct rlab_vec_result *r, int verbose)
{
    if (r->error != NULL) {
        fprintf(f, "%-11s %-38s  ERROR: %s\n", r->entry->source, r->entry->name, r->error);
        return;
    }
    if (r->na_reason != NULL) {
        if (verbose)
            fprintf(f, "%-11s %-38s %6zu  n/a: %s\n", r->entry->source, r->entry->name,
                    r->cases, r->na_reason);
        return;
    }
    char acc[32];
    acc_str(&r->total, acc, sizeof acc);
    fprintf(f, "%-11s %-38s %6zu %7zu %7zu %6zu %7zu %7s\n", r->entry->source, r->entry->name,
            r->cases, rlab_vec_checks(&r->total), r->total.passed, r->total.failed,
            r->total.skipped, acc);
    if (verbose) {
        char kinds[256];
        kinds_str(r, kinds, sizeof kinds);
        fprintf(f, "      checks: %s\n", kinds);
    }
    for (size_t s = 0; s < r->n_skips; s++)
        fprintf(f, "      skipped %zu: %s\n", r->skips[s].count, r->skips[s].reason);
    if (r->n_acceptable > 0) {
        fprintf(f, "      acceptable: %zu accepted, %zu rejected\n", r->total.acc_accepted,
                r->total.acc_rejected);
        if (verbose)
            text_notes(f, "acceptable", r, r->acceptable, r->n_acceptable, 1);
    }
    text_notes(f, "FAIL", r, r->failures, r->n_failures, verbose);
}

/* The reasons of the files not applicable to be, each once. */
static void text_na(FILE *f, const struct rlab_vec_report *rep, const struct rlab_backend *be,
                    size_t na)
{
    if (na == 0)
        return;
    fprintf(f, "%-11s %zu file(s) not applicable:", "", na);
    const char *last = NULL;
    for (size_t i = 0; i < rep->n_results; i++) {
        const struct rlab_vec_result *r = &rep->results[i];
        if (r->be == be && r->na_reason != NULL &&
            (last == NULL || strcmp(last, r->na_reason) != 0)) {
            fprintf(f, "%s %s", last ? ";" : "", r->na_reason);
            last = r->na_reason;
        }
    }
    fprintf(f, "\n");
}

static void text_total(FILE *f, const char *label, const struct part_sum *p)
{
    char acc[32], what[48];
    acc_str(&p->t, acc, sizeof acc);
    snprintf(what, sizeof what, "%s%s", label, p->errors ? " (with unreadable files)" : "");
    fprintf(f, "%-11s %-38s %6s %7zu %7zu %6zu %7zu %7s\n", "total", what, "",
            rlab_vec_checks(&p->t), p->t.passed, p->t.failed + p->errors, p->t.skipped, acc);
}

static void text_backend(FILE *f, const struct rlab_vec_report *rep,
                         const struct rlab_backend *be, int verbose)
{
    struct part_sum parts[PART_COUNT], all;
    part_sums(rep, be, parts, &all);
    fprintf(f, "\n== %s (%s) ==\n", be->name, version_of(be));
    fprintf(f, "%-11s %-38s %6s %7s %7s %6s %7s %7s\n", "source", "file", "cases", "checks",
            "passed", "failed", "skipped", "accept");
    for (int p = 0; p < PART_COUNT; p++)
        for (size_t i = 0; i < rep->n_results; i++)
            if (rep->results[i].be == be && part_of(&rep->results[i]) == (enum vec_part)p)
                text_file(f, &rep->results[i], verbose);
    text_na(f, rep, be, all.na);
    for (int p = 0; p < PART_COUNT; p++)
        if (parts[p].run + parts[p].errors > 0)
            text_total(f, part_names[p], &parts[p]);
    text_total(f, "all", &all);
}

static void text_catalogue(FILE *f, const struct rlab_vec_catalogue *cat)
{
    if (cat == NULL)
        return;
    size_t missing = 0, not_run = 0;
    for (size_t i = 0; i < cat->n; i++) {
        missing += !cat->v[i].found;
        not_run += cat->v[i].found && cat->v[i].not_run != NULL;
    }
    if (missing > 0) {
        fprintf(f, "\nnot found (%zu):\n", missing);
        for (size_t i = 0; i < cat->n; i++)
            if (!cat->v[i].found)
                fprintf(f, "  %s/%s: %s\n", cat->v[i].source, cat->v[i].name, cat->v[i].path);
    }
    if (not_run > 0) {
        fprintf(f, "\nnot run (%zu):\n", not_run);
        for (size_t i = 0; i < cat->n; i++)
            if (cat->v[i].found && cat->v[i].not_run != NULL)
                fprintf(f, "  %s/%s: %s\n", cat->v[i].source, cat->v[i].name,
                        cat->v[i].not_run);
    }
}

void rlab_vec_report_text(FILE *f, const struct rlab_vec_report *rep, int verbose)
{
    fprintf(f, "rsalab vectors\n  vectors:    %s\n  wycheproof: %s\n", rep->vector_dir,
            rep->wycheproof_dir != NULL ? rep->wycheproof_dir : "(none: --wycheproof DIR)");
    for (size_t b = 0; b < rep->n_backends; b++)
        text_backend(f, rep, rep->backends[b], verbose);
    text_catalogue(f, rep->catalogue);
    struct part_sum parts[PART_COUNT], all;
    part_sums(rep, NULL, parts, &all);
    fprintf(f, "\n");
    for (int p = 0; p < PART_COUNT; p++)
        if (parts[p].run + parts[p].errors > 0)
            fprintf(f, "%-15s %zu checks, %zu passed, %zu failed, %zu skipped\n",
                    part_names[p], rlab_vec_checks(&parts[p].t), parts[p].t.passed,
                    parts[p].t.failed + parts[p].errors, parts[p].t.skipped);
    const struct rlab_vec_tally *t = &all.t;
    fprintf(f, "%s: %zu checks, %zu passed, %zu failed, %zu skipped, %zu acceptable "
               "(%zu accepted, %zu rejected)%s\n",
            t->failed + all.errors ? "FAILED" : "OK", rlab_vec_checks(t), t->passed, t->failed,
            t->skipped, t->acc_accepted + t->acc_rejected, t->acc_accepted, t->acc_rejected,
            all.errors ? ", and files that could not be read" : "");
}

/* ---- Markdown ----------------------------------------------------------- */

static void md_cell(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void md_intro(FILE *f, const struct rlab_vec_report *rep)
{
    fprintf(f, "# Conformance vectors\n\nGenerated by `rsalab vectors --markdown`. Vectors from "
               "`%s`", rep->vector_dir);
    if (rep->wycheproof_dir != NULL)
        fprintf(f, " and Wycheproof JSON from `%s`", rep->wycheproof_dir);
    fprintf(f, ". Checks per file: passed, failed, skipped (reasons below each table), "
               "acceptable (accepted/rejected). RSA and each symmetric piece (AES-GCM, "
               "hashes, HMAC, HKDF, the chunked stream) are totalled apart: the CAVP "
               "AES-GCM files alone hold most of the checks. See docs/VECTORS.md.\n");
}

static void md_sum_row(FILE *f, const char *backend, const char *part,
                       const struct part_sum *p)
{
    char acc[32];
    acc_str(&p->t, acc, sizeof acc);
    fprintf(f, "| %s | %s | %zu | %zu | %zu | %zu | %zu | %zu | %s |\n", backend, part, p->run,
            p->na, rlab_vec_checks(&p->t), p->t.passed, p->t.failed + p->errors,
            p->t.skipped, acc);
}

/* One row per backend and part, then the backend's whole. */
static void md_totals(FILE *f, const struct rlab_vec_report *rep)
{
    fprintf(f, "\n| backend | part | files run | n/a | checks | passed | failed | skipped | "
               "acceptable |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (size_t b = 0; b < rep->n_backends; b++) {
        struct part_sum parts[PART_COUNT], all;
        part_sums(rep, rep->backends[b], parts, &all);
        for (int p = 0; p < PART_COUNT; p++)
            if (part_files(&parts[p]) > 0)
                md_sum_row(f, rep->backends[b]->name, part_names[p], &parts[p]);
        md_sum_row(f, rep->backends[b]->name, "**all**", &all);
    }
}

static void md_file_row(FILE *f, const struct rlab_vec_result *r)
{
    fprintf(f, "| %s | %s | %zu | ", r->entry->source, r->entry->name, r->cases);
    if (r->error != NULL || r->na_reason != NULL) {
        fprintf(f, "%s | | | | | | ", r->error != NULL ? "**error**" : "n/a");
        md_cell(f, r->error != NULL ? r->error : r->na_reason);
        fprintf(f, " |\n");
        return;
    }
    char acc[32], kinds[256];
    acc_str(&r->total, acc, sizeof acc);
    kinds_str(r, kinds, sizeof kinds);
    fprintf(f, "%zu | %zu | %s%zu%s | %zu | %s | %s |\n", rlab_vec_checks(&r->total),
            r->total.passed, r->total.failed ? "**" : "", r->total.failed,
            r->total.failed ? "**" : "", r->total.skipped, acc, kinds);
}

static void md_total_row(FILE *f, const char *label, const struct part_sum *p)
{
    char acc[32];
    acc_str(&p->t, acc, sizeof acc);
    fprintf(f, "| **total %s** | | | %zu | %zu | %zu | %zu | %s | |\n", label,
            rlab_vec_checks(&p->t), p->t.passed, p->t.failed + p->errors, p->t.skipped, acc);
}

/* The files of be grouped by part, each part with its total. */
static void md_backend_table(FILE *f, const struct rlab_vec_report *rep,
                             const struct rlab_backend *be)
{
    struct part_sum parts[PART_COUNT], all;
    part_sums(rep, be, parts, &all);
    fprintf(f, "| source | file | cases | checks | passed | failed | skipped | acceptable | "
               "kinds |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (int p = 0; p < PART_COUNT; p++) {
        if (part_files(&parts[p]) == 0)
            continue;
        for (size_t i = 0; i < rep->n_results; i++)
            if (rep->results[i].be == be && part_of(&rep->results[i]) == (enum vec_part)p)
                md_file_row(f, &rep->results[i]);
        md_total_row(f, part_names[p], &parts[p]);
    }
    md_total_row(f, "(all)", &all);
}

static void md_skips(FILE *f, const struct rlab_vec_report *rep, const struct rlab_backend *be)
{
    int header = 0;
    for (size_t i = 0; i < rep->n_results; i++) {
        const struct rlab_vec_result *r = &rep->results[i];
        if (r->be != be)
            continue;
        for (size_t s = 0; s < r->n_skips; s++) {
            if (!header++)
                fprintf(f, "\nSkips:\n\n");
            fprintf(f, "- %s/%s: %zu × ", r->entry->source, r->entry->name, r->skips[s].count);
            md_cell(f, r->skips[s].reason);
            fprintf(f, "\n");
        }
    }
}

static void md_note(FILE *f, const struct rlab_vec_result *r, const struct rlab_vec_note *v,
                    int fail)
{
    fprintf(f, "- %s %s/%s case %s [%s] ", fail ? "**FAIL**" : "acceptable", r->entry->source,
            r->entry->name, v->case_id, rlab_vec_kind_name(v->kind));
    md_cell(f, v->context);
    fprintf(f, ": expected ");
    md_cell(f, v->expected);
    fprintf(f, ", got ");
    md_cell(f, v->got);
    fprintf(f, "\n");
}

static void md_notes(FILE *f, const struct rlab_vec_report *rep, const struct rlab_backend *be)
{
    int header = 0;
    for (size_t i = 0; i < rep->n_results; i++) {
        const struct rlab_vec_result *r = &rep->results[i];
        if (r->be != be)
            continue;
        for (size_t n = 0; n < r->n_failures + r->n_acceptable; n++) {
            int fail = n < r->n_failures;
            if (!header++)
                fprintf(f, "\nFailures and acceptable cases:\n\n");
            md_note(f, r, fail ? &r->failures[n] : &r->acceptable[n - r->n_failures], fail);
        }
    }
}

static void md_catalogue(FILE *f, const struct rlab_vec_catalogue *cat)
{
    if (cat == NULL)
        return;
    int header = 0;
    for (size_t i = 0; i < cat->n; i++) {
        const struct rlab_vec_entry *e = &cat->v[i];
        if (e->found && e->not_run == NULL)
            continue;
        if (!header++)
            fprintf(f, "\n## Files not found or not run\n\n");
        fprintf(f, "- %s/%s: %s\n", e->source, e->name, e->found ? e->not_run : "not found");
    }
}

void rlab_vec_report_markdown(FILE *f, const struct rlab_vec_report *rep)
{
    md_intro(f, rep);
    md_totals(f, rep);
    for (size_t b = 0; b < rep->n_backends; b++) {
        const struct rlab_backend *be = rep->backends[b];
        fprintf(f, "\n## %s (%s)\n\n", be->name, version_of(be));
        md_backend_table(f, rep, be);
        md_skips(f, rep, be);
        md_notes(f, rep, be);
    }
    md_catalogue(f, rep->catalogue);
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *tally_json(const struct rlab_vec_tally *t)
{
    return json_pack("{s:I, s:I, s:I, s:{s:I, s:I}, s:I}", "passed", (json_int_t)t->passed,
                     "failed", (json_int_t)t->failed, "skipped", (json_int_t)t->skipped,
                     "acceptable", "accepted", (json_int_t)t->acc_accepted, "rejected",
                     (json_int_t)t->acc_rejected, "total", (json_int_t)rlab_vec_checks(t));
}

static json_t *notes_json(const struct rlab_vec_note *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s}", "case", v[i].case_id,
                                           "kind", rlab_vec_kind_name(v[i].kind), "context",
                                           v[i].context, "expected", v[i].expected, "got",
                                           v[i].got));
    return a;
}

static json_t *result_json(const struct rlab_vec_result *r)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "backend", r->be->name, "part",
                          part_names[part_of(r)], "source", r->entry->source, "file",
                          r->entry->name, "path", r->entry->path, "cases",
                          (json_int_t)r->cases);
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "checks", tally_json(&r->total));
    json_t *kinds = json_object();
    for (int k = 0; kinds != NULL && k < RLAB_VEC_K_COUNT; k++)
        if (rlab_vec_checks(&r->by_kind[k]) > 0)
            json_object_set_new(kinds, rlab_vec_kind_name((rlab_vec_kind)k),
                                tally_json(&r->by_kind[k]));
    json_object_set_new(o, "by_kind", kinds);
    json_t *skips = json_array();
    for (size_t s = 0; skips != NULL && s < r->n_skips; s++)
        json_array_append_new(skips, json_pack("{s:s, s:I}", "reason", r->skips[s].reason,
                                               "count", (json_int_t)r->skips[s].count));
    json_object_set_new(o, "skips", skips);
    json_object_set_new(o, "failures", notes_json(r->failures, r->n_failures));
    json_object_set_new(o, "acceptable_cases", notes_json(r->acceptable, r->n_acceptable));
    json_object_set_new(o, "not_applicable",
                        r->na_reason != NULL ? json_string(r->na_reason) : json_null());
    json_object_set_new(o, "error", r->error != NULL ? json_string(r->error) : json_null());
    return o;
}

/* {"RSA": {files_run, not_applicable, unreadable, checks}, "AES-GCM": ...}
 * for the parts that have files. */
static json_t *parts_json(const struct part_sum parts[PART_COUNT])
{
    json_t *o = json_object();
    for (int p = 0; o != NULL && p < PART_COUNT; p++) {
        if (part_files(&parts[p]) == 0)
            continue;
        json_t *po = json_pack("{s:I, s:I, s:I}", "files_run", (json_int_t)parts[p].run,
                               "not_applicable", (json_int_t)parts[p].na, "unreadable",
                               (json_int_t)parts[p].errors);
        if (po != NULL)
            json_object_set_new(po, "checks", tally_json(&parts[p].t));
        json_object_set_new(o, part_names[p], po);
    }
    return o;
}

static json_t *backend_json(const struct rlab_vec_report *rep, const struct rlab_backend *be)
{
    struct part_sum parts[PART_COUNT], all;
    part_sums(rep, be, parts, &all);
    json_t *o = json_pack("{s:s, s:s}", "name", be->name, "version", version_of(be));
    if (o != NULL) {
        json_object_set_new(o, "checks", tally_json(&all.t));
        json_object_set_new(o, "by_part", parts_json(parts));
    }
    return o;
}

static void catalogue_json(const struct rlab_vec_catalogue *cat, json_t *missing,
                           json_t *not_run)
{
    for (size_t i = 0; cat != NULL && i < cat->n; i++) {
        const struct rlab_vec_entry *e = &cat->v[i];
        if (!e->found)
            json_array_append_new(missing, json_pack("{s:s, s:s, s:s}", "source", e->source,
                                                     "file", e->name, "path", e->path));
        else if (e->not_run != NULL)
            json_array_append_new(not_run, json_pack("{s:s, s:s, s:s}", "source", e->source,
                                                     "file", e->name, "reason", e->not_run));
    }
}

int rlab_vec_report_json(FILE *f, const struct rlab_vec_report *rep)
{
    json_t *root = json_object();
    json_t *backends = json_array();
    json_t *results = json_array();
    json_t *missing = json_array();
    json_t *not_run = json_array();
    if (!root || !backends || !results || !missing || !not_run) {
        json_decref(root);
        json_decref(backends);
        json_decref(results);
        json_decref(missing);
        json_decref(not_run);
        return RLAB_ERR_NOMEM;
    }
    json_object_set_new(root, "vector_dir", json_string(rep->vector_dir));
    json_object_set_new(root, "wycheproof_dir", rep->wycheproof_dir != NULL
                                                    ? json_string(rep->wycheproof_dir)
                                                    : json_null());
    for (size_t b = 0; b < rep->n_backends; b++)
        json_array_append_new(backends, backend_json(rep, rep->backends[b]));
    for (size_t i = 0; i < rep->n_results; i++)
        json_array_append_new(results, result_json(&rep->results[i]));
    catalogue_json(rep->catalogue, missing, not_run);
    struct part_sum parts[PART_COUNT], all;
    part_sums(rep, NULL, parts, &all);
    json_object_set_new(root, "backends", backends);
    json_object_set_new(root, "results", results);
    json_object_set_new(root, "not_found", missing);
    json_object_set_new(root, "not_run", not_run);
    json_object_set_new(root, "summary", tally_json(&all.t));
    json_object_set_new(root, "summary_by_part", parts_json(parts));
    json_object_set_new(root, "unreadable_files", json_integer((json_int_t)all.errors));
    json_object_set_new(root, "ok", json_boolean(all.t.failed == 0 && all.errors == 0));
    int rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 ? RLAB_OK
                                                                            : RLAB_ERR_IO;
    fputc('\n', f);
    json_decref(root);
    return rc;
}
