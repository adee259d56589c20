/*
 * Loading a vector file (dispatch to its parser) and running it over one
 * backend (dispatch to the family's runner).  see vec.h, vec_int.h
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hexutil.h"
#include "core/fileio.h"
#include "vectors/vec_int.h"

const char *rlab_vec_family_name(rlab_vec_family f)
{
    switch (f) {
    case RLAB_VEC_OAEP: return "RSAES-OAEP";
    case RLAB_VEC_PSS: return "RSASSA-PSS";
    case RLAB_VEC_PKCS1_SIG: return "RSASSA-PKCS1-v1_5";
    case RLAB_VEC_PKCS1_CRYPT: return "RSAES-PKCS1-v1_5";
    case RLAB_VEC_AEAD: return "AES-GCM";
    case RLAB_VEC_HASH: return "SHA";
    case RLAB_VEC_HMAC: return "HMAC";
    case RLAB_VEC_HKDF: return "HKDF";
    case RLAB_VEC_STREAM: return "C2SP-chunked-encryption";
    case RLAB_VEC_PKCS1_GEN: return "RSASSA-PKCS1-v1_5 generation";
    }
    return "unknown";
}

/* ---- building files ---------------------------------------------------- */

char *rlab_vec_strdupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

struct rlab_vec_case *rlab_vec_case_new(struct rlab_vec_file *f)
{
    if (f->n_cases == f->cap_cases) {
        size_t cap = f->cap_cases ? 2 * f->cap_cases : 64;
        struct rlab_vec_case *v = realloc(f->cases, cap * sizeof *v);
        if (v == NULL)
            return NULL;
        f->cases = v;
        f->cap_cases = cap;
    }
    struct rlab_vec_case *c = &f->cases[f->n_cases++];
    memset(c, 0, sizeof *c);
    c->salt_len = -1;
    c->msg_len = -1;
    return c;
}

void rlab_vec_key_clear(struct rlab_vec_key *k)
{
    rlab_components_clear(&k->c);
    rlab_buf_clear(&k->der);
    memset(k, 0, sizeof *k);
}

static int buf_eq(const struct rlab_buf *a, const struct rlab_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static int key_eq(const struct rlab_vec_key *a, const struct rlab_vec_key *b)
{
    return buf_eq(&a->c.n, &b->c.n) && buf_eq(&a->c.e, &b->c.e) &&
           buf_eq(&a->c.d, &b->c.d) && buf_eq(&a->c.p, &b->c.p) &&
           buf_eq(&a->c.q, &b->c.q) && buf_eq(&a->c.dp, &b->c.dp) &&
           buf_eq(&a->c.dq, &b->c.dq) && buf_eq(&a->c.qinv, &b->c.qinv) &&
           buf_eq(&a->der, &b->der) && a->der_fmt == b->der_fmt &&
           a->der_enc == b->der_enc &&
           a->multi_prime == b->multi_prime;
}

size_t rlab_vec_key_add(struct rlab_vec_file *f, struct rlab_vec_key *k)
{
    if (f->n_keys > 0 && key_eq(&f->keys[f->n_keys - 1], k)) {
        rlab_vec_key_clear(k);
        return f->n_keys - 1;
    }
    if (f->n_keys == f->cap_keys) {
        size_t cap = f->cap_keys ? 2 * f->cap_keys : 16;
        struct rlab_vec_key *v = realloc(f->keys, cap * sizeof *v);
        if (v == NULL) {
            rlab_vec_key_clear(k);
            return SIZE_MAX;
        }
        f->keys = v;
        f->cap_keys = cap;
    }
    f->keys[f->n_keys] = *k;
    memset(k, 0, sizeof *k);
    return f->n_keys++;
}

int rlab_vec_hex(struct rlab_buf *b, const char *hex, size_t len)
{
    rlab_buf_clear(b);
    return rlab_hex_decode(hex, len, b);
}

void rlab_vec_strip_zeros(struct rlab_buf *b)
{
    size_t i = 0;
    while (i + 1 < b->len && b->data[i] == 0)
        i++;
    if (i > 0) {
        memmove(b->data, b->data + i, b->len - i);
        b->len -= i;
    }
}

int rlab_vec_read_file(const char *path, struct rlab_buf *out)
{
    return rlab_file_read(path, RLAB_VECFILE_MAX, out);
}

/* ---- loading ----------------------------------------------------------- */

int rlab_vec_load(const struct rlab_vec_entry *e, struct rlab_vec_file **out)
{
    *out = NULL;
    struct rlab_vec_file *f = calloc(1, sizeof *f);
    if (f == NULL)
        return RLAB_ERR_NOMEM;
    f->entry = e;
    f->family = e->family;
    struct rlab_buf text = RLAB_BUF_INIT;
    rlab_error_clear();
    int rc = rlab_vec_read_file(e->path, &text);
    if (rc == RLAB_OK) {
        const char *t = (const char *)text.data;
        switch (e->fmt) {
        case RLAB_VEC_FMT_PKCS1TXT: rc = rlab_vec_parse_pkcs1txt(f, t, text.len); break;
        case RLAB_VEC_FMT_CAVP_SIG: rc = rlab_vec_parse_cavp_sig(f, t, text.len); break;
        case RLAB_VEC_FMT_OAEP_LABEL: rc = rlab_vec_parse_oaep_label(f, t, text.len); break;
        case RLAB_VEC_FMT_SHAVS:
        case RLAB_VEC_FMT_SHAVS_MONTE:
        case RLAB_VEC_FMT_GCM:
        case RLAB_VEC_FMT_HMAC:
        case RLAB_VEC_FMT_HKDF: rc = rlab_vec_parse_sym(f, t, text.len); break;
        case RLAB_VEC_FMT_WYCHEPROOF: rc = rlab_vec_parse_wycheproof(f, t, text.len); break;
        case RLAB_VEC_FMT_WYCHEPROOF_STREAM: rc = rlab_vec_parse_c2sp(f, t, text.len); break;
        default: rc = rlab_error_set(RLAB_ERR_PARSE, "unknown format");
        }
    }
    rlab_buf_clear(&text);
    if (rc == RLAB_OK && f->n_cases == 0)
        rc = rlab_error_set(RLAB_ERR_PARSE, "%s: no test cases found", e->path);
    if (rc != RLAB_OK) {
        rlab_vec_file_free(f);
        return rc;
    }
    *out = f;
    return RLAB_OK;
}

static void case_clear(struct rlab_vec_case *c)
{
    free(c->context);
    free(c->skip);
    struct rlab_buf *bufs[] = {&c->msg, &c->out, &c->seed, &c->label, &c->skey,
                               &c->iv,  &c->aad, &c->tag,  &c->salt,  &c->info,
                               &c->prk};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        rlab_buf_clear(bufs[i]);
}

void rlab_vec_file_free(struct rlab_vec_file *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->n_cases; i++)
        case_clear(&f->cases[i]);
    for (size_t i = 0; i < f->n_keys; i++)
        rlab_vec_key_clear(&f->keys[i]);
    free(f->cases);
    free(f->keys);
    free(f);
}

size_t rlab_vec_file_cases(const struct rlab_vec_file *f)
{
    return f != NULL ? f->n_cases : 0;
}

/* ---- running ----------------------------------------------------------- */

/* Files of the optional symmetric slots do not apply to a backend without
 * them (by design: it borrows the default provider's); say so instead of
 * counting skips. */
static char *not_applicable(const struct rlab_backend *be, rlab_vec_family fam)
{
    if (fam == RLAB_VEC_AEAD && !(be->caps & RLAB_CAP_AEAD))
        return rlab_vec_strdupf("%s has no AES-GCM slots (optional in the "
                                "interface; it uses the default provider's)",
                                be->name);
    if (fam == RLAB_VEC_STREAM && !(be->caps & RLAB_CAP_AEAD))
        return rlab_vec_strdupf("%s has no AEAD; the protocol uses %s's for its streams",
                                be->name, rlab_backend_default_provider() != NULL
                                              ? rlab_backend_default_provider()->name
                                              : "the default provider");
    if ((fam == RLAB_VEC_HASH || fam == RLAB_VEC_HMAC || fam == RLAB_VEC_HKDF) &&
        !(be->caps & RLAB_CAP_HASH))
        return rlab_vec_strdupf("%s has no hash slots (optional in the "
                                "interface; it uses the default provider's)",
                                be->name);
    return NULL;
}

static void ctx_free(struct rlab_vec_ctx *x)
{
    size_t n = x->f->n_keys;
    for (size_t i = 0; i < n; i++) {
        if (x->pub != NULL)
            rlab_key_free(x->pub[i]);
        if (x->priv != NULL)
            rlab_key_free(x->priv[i]);
        if (x->pub_err != NULL)
            free(x->pub_err[i]);
        if (x->priv_err != NULL)
            free(x->priv_err[i]);
    }
    free(x->pub);
    free(x->priv);
    free(x->pub_err);
    free(x->priv_err);
    free(x->pub_skip);
    free(x->priv_skip);
}

int rlab_vec_run(const struct rlab_backend *be, const struct rlab_vec_file *f,
                 struct rlab_vec_result *r)
{
    memset(r, 0, sizeof *r);
    r->be = be;
    r->entry = f->entry;
    r->cases = f->n_cases;
    char *na = not_applicable(be, f->family);
    if (na != NULL) {
        r->na_reason = na;
        return RLAB_OK;
    }
    struct rlab_vec_ctx x = {.be = be, .f = f, .r = r};
    size_t n = f->n_keys ? f->n_keys : 1;
    x.pub = calloc(n, sizeof *x.pub);
    x.priv = calloc(n, sizeof *x.priv);
    x.pub_err = calloc(n, sizeof *x.pub_err);
    x.priv_err = calloc(n, sizeof *x.priv_err);
    x.pub_skip = calloc(n, sizeof *x.pub_skip);
    x.priv_skip = calloc(n, sizeof *x.priv_skip);
    if (!x.pub || !x.priv || !x.pub_err || !x.priv_err || !x.pub_skip || !x.priv_skip) {
        ctx_free(&x);
        return RLAB_ERR_NOMEM;
    }
    switch (f->family) {
    case RLAB_VEC_OAEP: rlab_vec_run_oaep(&x); break;
    case RLAB_VEC_PSS: rlab_vec_run_pss(&x); break;
    case RLAB_VEC_PKCS1_SIG: rlab_vec_run_pkcs1_sig(&x); break;
    case RLAB_VEC_PKCS1_CRYPT: rlab_vec_run_pkcs1_crypt(&x); break;
    case RLAB_VEC_AEAD: rlab_vec_run_aead(&x); break;
    case RLAB_VEC_HASH: rlab_vec_run_hash(&x); break;
    case RLAB_VEC_HMAC:
    case RLAB_VEC_HKDF: rlab_vec_run_mac(&x); break;
    case RLAB_VEC_STREAM: rlab_vec_run_stream(&x); break;
    case RLAB_VEC_PKCS1_GEN: rlab_vec_run_pkcs1_gen(&x); break;
    }
    ctx_free(&x);
    return x.nomem ? RLAB_ERR_NOMEM : RLAB_OK;
}
