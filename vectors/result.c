/* Recording checks into a struct rlab_vec_result.  see vec.h, vec_int.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "vectors/vec_int.h"

const char *rlab_vec_kind_name(rlab_vec_kind k)
{
    static const char *const names[RLAB_VEC_K_COUNT] = {
        [RLAB_VEC_K_DECRYPT] = "decrypt",
        [RLAB_VEC_K_ENCRYPT_KAT] = "encrypt-kat",
        [RLAB_VEC_K_VERIFY] = "verify",
        [RLAB_VEC_K_SIGN_KAT] = "sign-kat",
        [RLAB_VEC_K_SIGN_VERIFY] = "sign+verify",
        [RLAB_VEC_K_GCM_SEAL] = "gcm-seal",
        [RLAB_VEC_K_GCM_OPEN] = "gcm-open",
        [RLAB_VEC_K_HASH] = "hash",
        [RLAB_VEC_K_MONTE] = "hash-monte",
        [RLAB_VEC_K_HMAC] = "hmac",
        [RLAB_VEC_K_HKDF] = "hkdf",
        [RLAB_VEC_K_STREAM_OPEN] = "stream-open",
        [RLAB_VEC_K_STREAM_KDF] = "stream-kdf",
        [RLAB_VEC_K_STREAM_SEAL] = "stream-seal-kat",
    };
    return (unsigned)k < RLAB_VEC_K_COUNT ? names[k] : "unknown";
}

size_t rlab_vec_checks(const struct rlab_vec_tally *t)
{
    return t->passed + t->failed + t->skipped + t->acc_accepted + t->acc_rejected;
}

void rlab_vec_pass(struct rlab_vec_ctx *x, rlab_vec_kind k)
{
    x->r->total.passed++;
    x->r->by_kind[k].passed++;
}

void rlab_vec_skip(struct rlab_vec_ctx *x, rlab_vec_kind k, const char *reason)
{
    struct rlab_vec_result *r = x->r;
    r->total.skipped++;
    r->by_kind[k].skipped++;
    for (size_t i = 0; i < r->n_skips; i++) {
        if (strcmp(r->skips[i].reason, reason) == 0) {
            r->skips[i].count++;
            return;
        }
    }
    struct rlab_vec_skip *s = realloc(r->skips, (r->n_skips + 1) * sizeof *s);
    char *copy = strdup(reason);
    if (s == NULL || copy == NULL) {
        /* The count stays right; only the reason text is lost. */
        if (s != NULL)
            r->skips = s;
        free(copy);
        x->nomem = 1;
        return;
    }
    r->skips = s;
    r->skips[r->n_skips].reason = copy;
    r->skips[r->n_skips].count = 1;
    r->n_skips++;
}

static int add_note(struct rlab_vec_note **v, size_t *n, rlab_vec_kind k,
                    const struct rlab_vec_case *c, const char *expected,
                    const char *got)
{
    struct rlab_vec_note *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (nv == NULL)
        return RLAB_ERR_NOMEM;
    *v = nv;
    struct rlab_vec_note *note = &nv[*n];
    note->kind = k;
    note->case_id = strdup(c != NULL ? c->id : "-");
    note->context = strdup(c != NULL && c->context != NULL ? c->context : "");
    note->expected = strdup(expected);
    note->got = strdup(got);
    if (!note->case_id || !note->context || !note->expected || !note->got) {
        free(note->case_id);
        free(note->context);
        free(note->expected);
        free(note->got);
        return RLAB_ERR_NOMEM;
    }
    (*n)++;
    return RLAB_OK;
}

void rlab_vec_fail(struct rlab_vec_ctx *x, rlab_vec_kind k,
                   const struct rlab_vec_case *c, const char *expected,
                   const char *got_fmt, ...)
{
    char got[512];
    va_list ap;
    va_start(ap, got_fmt);
    vsnprintf(got, sizeof got, got_fmt, ap);
    va_end(ap);
    x->r->total.failed++;
    x->r->by_kind[k].failed++;
    if (add_note(&x->r->failures, &x->r->n_failures, k, c, expected, got) != RLAB_OK)
        x->nomem = 1;
}

void rlab_vec_accept(struct rlab_vec_ctx *x, rlab_vec_kind k,
                     const struct rlab_vec_case *c, int accepted,
                     const char *got)
{
    if (accepted) {
        x->r->total.acc_accepted++;
        x->r->by_kind[k].acc_accepted++;
    } else {
        x->r->total.acc_rejected++;
        x->r->by_kind[k].acc_rejected++;
    }
    if (add_note(&x->r->acceptable, &x->r->n_acceptable, k, c,
                 "acceptable (either outcome)", got) != RLAB_OK)
        x->nomem = 1;
}

void rlab_vec_key_missing(struct rlab_vec_ctx *x, rlab_vec_kind k,
                          const struct rlab_vec_case *c, const char *why,
                          int skip)
{
    if (skip)
        rlab_vec_skip(x, k, why);
    else
        rlab_vec_fail(x, k, c, "the vector's key to be accepted", "%s", why);
}

static void notes_free(struct rlab_vec_note *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].case_id);
        free(v[i].context);
        free(v[i].expected);
        free(v[i].got);
    }
    free(v);
}

void rlab_vec_result_clear(struct rlab_vec_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_skips; i++)
        free(r->skips[i].reason);
    free(r->skips);
    notes_free(r->failures, r->n_failures);
    notes_free(r->acceptable, r->n_acceptable);
    free(r->na_reason);
    free(r->error);
    memset(r, 0, sizeof *r);
}

int rlab_vec_result_error(const struct rlab_backend *be,
                          const struct rlab_vec_entry *e, const char *error,
                          struct rlab_vec_result *r)
{
    memset(r, 0, sizeof *r);
    r->be = be;
    r->entry = e;
    r->error = strdup(error);
    return r->error != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

/* ---- formatting helpers ------------------------------------------------ */

const char *rlab_vec_errstr(int rc)
{
    static _Thread_local char buf[300];
    const char *detail = rlab_error_detail();
    if (rc != RLAB_OK && detail[0] != '\0')
        snprintf(buf, sizeof buf, "%s (%s)", rlab_errname(rc), detail);
    else
        snprintf(buf, sizeof buf, "%s", rlab_errname(rc));
    return buf;
}

const char *rlab_vec_hexstr(const uint8_t *p, size_t len, char *buf, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    size_t shown = len > 24 ? 24 : len;
    size_t j = 0;
    if (size < RLAB_VEC_HEXSTR_SIZE) {
        if (size > 0)
            buf[0] = '\0';
        return buf;
    }
    if (len == 0) {
        snprintf(buf, size, "(empty)");
        return buf;
    }
    for (size_t i = 0; i < shown; i++) {
        buf[j++] = digits[p[i] >> 4];
        buf[j++] = digits[p[i] & 15];
    }
    snprintf(buf + j, size - j, "%s (%zu bytes)", shown < len ? "..." : "", len);
    return buf;
}

/* ---- judging ----------------------------------------------------------- */

void rlab_vec_judge_decrypt(struct rlab_vec_ctx *x, rlab_vec_kind k,
                            const struct rlab_vec_case *c, int rc,
                            const uint8_t *out, size_t out_len)
{
    char want[RLAB_VEC_HEXSTR_SIZE], got[RLAB_VEC_HEXSTR_SIZE];
    int match = rc == RLAB_OK && out_len == c->msg.len &&
                rlab_ct_equal(out, c->msg.data, out_len);
    rlab_vec_hexstr(c->msg.data, c->msg.len, want, sizeof want);
    if (rc == RLAB_OK)
        rlab_vec_hexstr(out, out_len, got, sizeof got);
    switch (c->expect) {
    case RLAB_VEC_VALID:
        if (match)
            rlab_vec_pass(x, k);
        else if (rc == RLAB_OK)
            rlab_vec_fail(x, k, c, want, "a different plaintext %s", got);
        else
            rlab_vec_fail(x, k, c, want, "%s", rlab_vec_errstr(rc));
        break;
    case RLAB_VEC_INVALID:
        if (rc == RLAB_ERR_DECRYPT)
            rlab_vec_pass(x, k);
        else if (rc == RLAB_OK)
            rlab_vec_fail(x, k, c, "RLAB_ERR_DECRYPT (invalid ciphertext)",
                          "decrypted to %s", got);
        else
            rlab_vec_fail(x, k, c, "RLAB_ERR_DECRYPT (the single decryption error)",
                          "%s", rlab_vec_errstr(rc));
        break;
    case RLAB_VEC_ACCEPTABLE:
        if (rc == RLAB_OK && !match) {
            rlab_vec_fail(x, k, c, want, "a different plaintext %s", got);
        } else {
            char note[RLAB_VEC_HEXSTR_SIZE + 32];
            snprintf(note, sizeof note, "%s%s", rc == RLAB_OK ? "accepted: " : "rejected: ",
                     rc == RLAB_OK ? got : rlab_vec_errstr(rc));
            rlab_vec_accept(x, k, c, rc == RLAB_OK, note);
        }
        break;
    }
}

void rlab_vec_judge_verify(struct rlab_vec_ctx *x, rlab_vec_kind k,
                           const struct rlab_vec_case *c, int rc)
{
    switch (c->expect) {
    case RLAB_VEC_VALID:
        if (rc == RLAB_OK)
            rlab_vec_pass(x, k);
        else
            rlab_vec_fail(x, k, c, "valid (RLAB_OK)", "%s", rlab_vec_errstr(rc));
        break;
    case RLAB_VEC_INVALID:
        if (rc == RLAB_ERR_VERIFY)
            rlab_vec_pass(x, k);
        else if (rc == RLAB_OK)
            rlab_vec_fail(x, k, c, "invalid (RLAB_ERR_VERIFY)", "accepted (RLAB_OK)");
        else
            rlab_vec_fail(x, k, c, "invalid (RLAB_ERR_VERIFY)", "%s", rlab_vec_errstr(rc));
        break;
    case RLAB_VEC_ACCEPTABLE: {
        char note[320];
        snprintf(note, sizeof note, "%s", rc == RLAB_OK ? "accepted (RLAB_OK)"
                                                        : rlab_vec_errstr(rc));
        rlab_vec_accept(x, k, c, rc == RLAB_OK, note);
        break;
    }
    }
}
