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

static void text_backend(FILE *f, const struct rlab_vec_report *rep,
                         const struct rlab_backend *be, int verbose)
{
    struct rlab_vec_tally sum = {0};
    size_t files = 0, na = 0, errors = 0;
    fprintf(f, "\n== %s (%s) ==\n", be->name, version_of(be));
    fprintf(f, "%-11s %-38s %6s %7s %7s %6s %7s %7s\n", "source", "file", "cases", "checks",
            "passed", "failed", "skipped", "accept");
    for (size_t i = 0; i < rep->n_results; i++) {
        const struct rlab_vec_result *r = &rep->results[i];
        if (r->be != be)
            continue;
        files++;
        if (r->error != NULL) {
            errors++;
            fprintf(f, "%-11s %-38s  ERROR: %s\n", r->entry->source, r->entry->name, r->error);
            continue;
        }
        if (r->na_reason != NULL) {
            na++;
            if (verbose)
                fprintf(f, "%-11s %-38s %6zu  n/a: %s\n", r->entry->source, r->entry->name,
                        r->cases, r->na_reason);
            continue;
        }
        char acc[32];
        acc_str(&r->total, acc, sizeof acc);
        fprintf(f, "%-11s %-38s %6zu %7zu %7zu %6zu %7zu %7s\n", r->entry->source,
                r->entry->name, r->cases, rlab_vec_checks(&r->total), r->total.passed,
                r->total.failed, r->total.skipped, acc);
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
        tally_add(&sum, &r->total);
    }
    if (na > 0) {
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
    char acc[32];
    acc_str(&sum, acc, sizeof acc);
    fprintf(f, "%-11s %-38s %6s %7zu %7zu %6zu %7zu %7s\n", "total",
            errors ? "(with unreadable files)" : "", "", rlab_vec_checks(&sum), sum.passed,
            sum.failed + errors, sum.skipped, acc);
    (void)files;
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
    struct rlab_vec_tally t;
    size_t errors;
    rlab_vec_report_totals(rep, &t, &errors);
    fprintf(f, "\n%s: %zu checks, %zu passed, %zu failed, %zu skipped, %zu acceptable "
               "(%zu accepted, %zu rejected)%s\n",
            t.failed + errors ? "FAILED" : "OK", rlab_vec_checks(&t), t.passed, t.failed,
            t.skipped, t.acc_accepted + t.acc_rejected, t.acc_accepted, t.acc_rejected,
            errors ? ", and files that could not be read" : "");
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

void rlab_vec_report_markdown(FILE *f, const struct rlab_vec_report *rep)
{
    fprintf(f, "# Conformance vectors\n\nGenerated by `rsalab vectors --markdown`. Vectors from "
               "`%s`", rep->vector_dir);
    if (rep->wycheproof_dir != NULL)
        fprintf(f, " and Wycheproof JSON from `%s`", rep->wycheproof_dir);
    fprintf(f, ". Checks per file: passed, failed, skipped (reasons below each table), "
               "acceptable (accepted/rejected). See docs/VECTORS.md.\n");
    fprintf(f, "\n| backend | files run | n/a | checks | passed | failed | skipped | acceptable |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (size_t b = 0; b < rep->n_backends; b++) {
        struct rlab_vec_tally sum = {0};
        size_t run = 0, na = 0, errors = 0;
        for (size_t i = 0; i < rep->n_results; i++) {
            const struct rlab_vec_result *r = &rep->results[i];
            if (r->be != rep->backends[b])
                continue;
            na += r->na_reason != NULL;
            errors += r->error != NULL;
            run += r->na_reason == NULL && r->error == NULL;
            tally_add(&sum, &r->total);
        }
        char acc[32];
        acc_str(&sum, acc, sizeof acc);
        fprintf(f, "| %s | %zu | %zu | %zu | %zu | %zu | %zu | %s |\n", rep->backends[b]->name,
                run, na, rlab_vec_checks(&sum), sum.passed, sum.failed + errors, sum.skipped, acc);
    }
    for (size_t b = 0; b < rep->n_backends; b++) {
        const struct rlab_backend *be = rep->backends[b];
        fprintf(f, "\n## %s (%s)\n\n", be->name, version_of(be));
        fprintf(f, "| source | file | cases | checks | passed | failed | skipped | acceptable | kinds |\n"
                   "|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        struct rlab_vec_tally sum = {0};
        for (size_t i = 0; i < rep->n_results; i++) {
            const struct rlab_vec_result *r = &rep->results[i];
            if (r->be != be)
                continue;
            fprintf(f, "| %s | %s | %zu | ", r->entry->source, r->entry->name, r->cases);
            if (r->error != NULL || r->na_reason != NULL) {
                fprintf(f, "%s | | | | | | ", r->error != NULL ? "**error**" : "n/a");
                md_cell(f, r->error != NULL ? r->error : r->na_reason);
                fprintf(f, " |\n");
                continue;
            }
            char acc[32], kinds[256];
            acc_str(&r->total, acc, sizeof acc);
            kinds_str(r, kinds, sizeof kinds);
            fprintf(f, "%zu | %zu | %s%zu%s | %zu | %s | %s |\n", rlab_vec_checks(&r->total),
                    r->total.passed, r->total.failed ? "**" : "", r->total.failed,
                    r->total.failed ? "**" : "", r->total.skipped, acc, kinds);
            tally_add(&sum, &r->total);
        }
        char acc[32];
        acc_str(&sum, acc, sizeof acc);
        fprintf(f, "| **total** | | | %zu | %zu | %zu | %zu | %s | |\n", rlab_vec_checks(&sum),
                sum.passed, sum.failed, sum.skipped, acc);
        int header = 0;
        for (size_t i = 0; i < rep->n_results; i++) {
            const struct rlab_vec_result *r = &rep->results[i];
            if (r->be != be)
                continue;
            for (size_t s = 0; s < r->n_skips; s++) {
                if (!header++)
                    fprintf(f, "\nSkips:\n\n");
                fprintf(f, "- %s/%s: %zu × ", r->entry->source, r->entry->name,
                        r->skips[s].count);
                md_cell(f, r->skips[s].reason);
                fprintf(f, "\n");
            }
        }
        header = 0;
        for (size_t i = 0; i < rep->n_results; i++) {
            const struct rlab_vec_result *r = &rep->results[i];
            if (r->be != be)
                continue;
            for (size_t n = 0; n < r->n_failures + r->n_acceptable; n++) {
                int fail = n < r->n_failures;
                const struct rlab_vec_note *v = fail ? &r->failures[n]
                                                     : &r->acceptable[n - r->n_failures];
                if (!header++)
                    fprintf(f, "\nFailures and acceptable cases:\n\n");
                fprintf(f, "- %s %s/%s case %s [%s] ", fail ? "**FAIL**" : "acceptable",
                        r->entry->source, r->entry->name, v->case_id,
                        rlab_vec_kind_name(v->kind));
                md_cell(f, v->context);
                fprintf(f, ": expected ");
                md_cell(f, v->expected);
                fprintf(f, ", got ");
                md_cell(f, v->got);
                fprintf(f, "\n");
            }
        }
    }
    if (rep->catalogue != NULL) {
        int header = 0;
        for (size_t i = 0; i < rep->catalogue->n; i++) {
            const struct rlab_vec_entry *e = &rep->catalogue->v[i];
            if (e->found && e->not_run == NULL)
                continue;
            if (!header++)
                fprintf(f, "\n## Files not found or not run\n\n");
            fprintf(f, "- %s/%s: %s\n", e->source, e->name,
                    e->found ? e->not_run : "not found");
        }
    }
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
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "backend", r->be->name, "source",
                          r->entry->source, "file", r->entry->name, "path", r->entry->path,
                          "cases", (json_int_t)r->cases);
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
    for (size_t b = 0; b < rep->n_backends; b++) {
        const struct rlab_backend *be = rep->backends[b];
        struct rlab_vec_tally sum = {0};
        for (size_t i = 0; i < rep->n_results; i++)
            if (rep->results[i].be == be)
                tally_add(&sum, &rep->results[i].total);
        json_t *o = json_pack("{s:s, s:s}", "name", be->name, "version", version_of(be));
        if (o != NULL)
            json_object_set_new(o, "checks", tally_json(&sum));
        json_array_append_new(backends, o);
    }
    for (size_t i = 0; i < rep->n_results; i++)
        json_array_append_new(results, result_json(&rep->results[i]));
    if (rep->catalogue != NULL) {
        for (size_t i = 0; i < rep->catalogue->n; i++) {
            const struct rlab_vec_entry *e = &rep->catalogue->v[i];
            if (!e->found)
                json_array_append_new(missing, json_pack("{s:s, s:s, s:s}", "source", e->source,
                                                         "file", e->name, "path", e->path));
            else if (e->not_run != NULL)
                json_array_append_new(not_run, json_pack("{s:s, s:s, s:s}", "source", e->source,
                                                         "file", e->name, "reason", e->not_run));
        }
    }
    struct rlab_vec_tally t;
    size_t errors;
    rlab_vec_report_totals(rep, &t, &errors);
    json_object_set_new(root, "backends", backends);
    json_object_set_new(root, "results", results);
    json_object_set_new(root, "not_found", missing);
    json_object_set_new(root, "not_run", not_run);
    json_object_set_new(root, "summary", tally_json(&t));
    json_object_set_new(root, "unreadable_files", json_integer((json_int_t)errors));
    json_object_set_new(root, "ok", json_boolean(t.failed == 0 && errors == 0));
    int rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 ? RLAB_OK
                                                                            : RLAB_ERR_IO;
    fputc('\n', f);
    json_decref(root);
    return rc;
}
