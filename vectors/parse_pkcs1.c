/*
 * The RSA Labs PKCS#1 v2.1 test-vector format (pkcs-1v2-1d2-vec/oaep-vect.txt,
 * pss-vect.txt) and pyca's files in the same style (pkcs1v15crypt-vectors.txt,
 * pkcs1v15sign-vectors.txt, every oaep-custom/ file).  see vec_int.h
 *
 * Shape, as read from the files: "# Example N: ..." (or a bare "# Example")
 * starts a key; "# Public key" / "# Private key" open its two halves, whose
 * fields are "# Modulus:", "# Exponent:" (e in the public half, d in the
 * private one), "# Public exponent:", "# Prime 1:", "# Prime 2:",
 * "# Prime exponent 1:", "# Prime exponent 2:", "# Coefficient:".  Each case
 * has "# Message:" (or "# Message to be signed:"), then "# Seed:" or
 * "# Salt:", then "# Encryption:" or "# Signature:".  A field's value is the
 * hex on the lines after its label, up to the next '#' line.  Case headers
 * ("# OAEP Example 1 alg=sha224 mgf1=sha1") may name the hashes; the first
 * case of pkcs1v15crypt-vectors.txt has no header at all, so cases are
 * delimited by "# Message" and numbered here as key.case.
 */
#include <stdlib.h>
#include <string.h>

#include "vectors/vec_int.h"

enum field {
    F_NONE = 0, F_N, F_E, F_D, F_P, F_Q, F_DP, F_DQ, F_QINV,
    F_MSG, F_SEED, F_SALT, F_CT, F_SIG,
};

struct p1 {
    struct rlab_vec_file *f;
    struct rlab_vec_key key;   /* the key being read */
    size_t key_index;          /* SIZE_MAX until added to the file */
    unsigned keyno, caseno;
    int private_half;
    enum field field;
    char *acc;                 /* hex of the current field */
    size_t acc_len, acc_cap;
    struct rlab_buf msg, seed, salt, ct, sig;
    rlab_hash hash, mgf1;      /* from the case header, else the entry's */
};

static struct rlab_buf *target(struct p1 *s, enum field fl)
{
    switch (fl) {
    case F_N: return &s->key.c.n;
    case F_E: return &s->key.c.e;
    case F_D: return &s->key.c.d;
    case F_P: return &s->key.c.p;
    case F_Q: return &s->key.c.q;
    case F_DP: return &s->key.c.dp;
    case F_DQ: return &s->key.c.dq;
    case F_QINV: return &s->key.c.qinv;
    case F_MSG: return &s->msg;
    case F_SEED: return &s->seed;
    case F_SALT: return &s->salt;
    case F_CT: return &s->ct;
    case F_SIG: return &s->sig;
    default: return NULL;
    }
}

/* The current field's hex is complete: decode it. */
static int end_field(struct p1 *s, size_t line)
{
    struct rlab_buf *b = target(s, s->field);
    int rc = RLAB_OK;
    if (b != NULL) {
        rc = rlab_vec_hex(b, s->acc != NULL ? s->acc : "", s->acc_len);
        if (rc != RLAB_OK)
            rc = rlab_error_set(RLAB_ERR_PARSE, "line %zu: bad hex", line);
        else if (s->field <= F_QINV)
            rlab_vec_strip_zeros(b);
    }
    s->field = F_NONE;
    s->acc_len = 0;
    return rc;
}

static int append(struct p1 *s, const char *p, size_t n)
{
    if (s->acc_len + n + 1 > s->acc_cap) {
        size_t cap = (s->acc_cap + n + 1) * 2;
        char *a = realloc(s->acc, cap);
        if (a == NULL)
            return RLAB_ERR_NOMEM;
        s->acc = a;
        s->acc_cap = cap;
    }
    memcpy(s->acc + s->acc_len, p, n);
    s->acc_len += n;
    s->acc[s->acc_len] = '\0';
    return RLAB_OK;
}

static void case_bufs_clear(struct p1 *s)
{
    rlab_buf_clear(&s->msg);
    rlab_buf_clear(&s->seed);
    rlab_buf_clear(&s->salt);
    rlab_buf_clear(&s->ct);
    rlab_buf_clear(&s->sig);
}

static int flush_case(struct p1 *s, size_t line)
{
    if (s->msg.data == NULL)
        return RLAB_OK;
    rlab_vec_family fam = s->f->family;
    int sig_family = fam == RLAB_VEC_PSS || fam == RLAB_VEC_PKCS1_SIG;
    struct rlab_buf *out = sig_family ? &s->sig : &s->ct;
    if (out->data == NULL)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: case %u.%u has no %s", line,
                              s->keyno, s->caseno + 1, sig_family ? "Signature" : "Encryption");
    if (s->key_index == SIZE_MAX) {
        if (s->key.c.n.len == 0 || s->key.c.e.len == 0)
            return rlab_error_set(RLAB_ERR_PARSE, "line %zu: case before its key", line);
        s->key_index = rlab_vec_key_add(s->f, &s->key);
        if (s->key_index == SIZE_MAX)
            return RLAB_ERR_NOMEM;
    }
    struct rlab_vec_case *c = rlab_vec_case_new(s->f);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    s->caseno++;
    snprintf(c->id, sizeof c->id, "%u.%u", s->keyno, s->caseno);
    c->key = s->key_index;
    c->expect = RLAB_VEC_VALID;
    c->hash = s->hash;
    c->mgf1 = s->mgf1;
    c->sign = sig_family && s->f->keys[s->key_index].c.d.len > 0;
    const struct rlab_buf *n = &s->f->keys[s->key_index].c.n;
    size_t bits = (n->len - 1) * 8;
    for (uint8_t top = n->data[0]; top != 0; top >>= 1)
        bits++;
    c->context = rlab_vec_strdupf("key %u (%zu-bit modulus)", s->keyno, bits);
    c->msg = s->msg;
    c->out = *out;
    *out = (struct rlab_buf)RLAB_BUF_INIT;
    s->msg = (struct rlab_buf)RLAB_BUF_INIT;
    if (fam == RLAB_VEC_PSS) {
        c->seed = s->salt;
        c->salt_len = (int)s->salt.len;
        s->salt = (struct rlab_buf)RLAB_BUF_INIT;
    } else if (!sig_family) {
        c->seed = s->seed;
        s->seed = (struct rlab_buf)RLAB_BUF_INIT;
    }
    case_bufs_clear(s);
    return c->context != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

/* "alg=sha224 mgf1=sha1" in a case header. */
static int header_opts(struct p1 *s, const char *t, size_t line)
{
    const char *names[2] = {"alg=", "mgf1="};
    rlab_hash *dst[2] = {&s->hash, &s->mgf1};
    for (int i = 0; i < 2; i++) {
        const char *p = strstr(t, names[i]);
        if (p == NULL)
            continue;
        p += strlen(names[i]);
        char name[16];
        size_t n = 0;
        while (p[n] != '\0' && p[n] != ' ' && p[n] != '\r' && n < sizeof name - 1) {
            name[n] = p[n];
            n++;
        }
        name[n] = '\0';
        if (rlab_hash_from_name(name, dst[i]) != RLAB_OK)
            return rlab_error_set(RLAB_ERR_PARSE, "line %zu: unknown hash %s", line, name);
    }
    return RLAB_OK;
}

static int starts(const char *t, const char *prefix)
{
    return strncmp(t, prefix, strlen(prefix)) == 0;
}

static int comment(struct p1 *s, const char *t, size_t line)
{
    int rc = end_field(s, line);
    if (rc != RLAB_OK)
        return rc;
    if (starts(t, "# Example")) {
        if ((rc = flush_case(s, line)) != RLAB_OK)
            return rc;
        rlab_vec_key_clear(&s->key);
        s->key_index = SIZE_MAX;
        s->keyno++;
        s->caseno = 0;
        s->private_half = 0;
    } else if (starts(t, "# Public key")) {
        s->private_half = 0;
    } else if (starts(t, "# Private key")) {
        s->private_half = 1;
    } else if (starts(t, "# Modulus:")) {
        s->field = F_N;
    } else if (starts(t, "# Public exponent:")) {
        s->field = F_E;
    } else if (starts(t, "# Exponent:")) {
        s->field = s->private_half ? F_D : F_E;
    } else if (starts(t, "# Prime 1:")) {
        s->field = F_P;
    } else if (starts(t, "# Prime 2:")) {
        s->field = F_Q;
    } else if (starts(t, "# Prime exponent 1:")) {
        s->field = F_DP;
    } else if (starts(t, "# Prime exponent 2:")) {
        s->field = F_DQ;
    } else if (starts(t, "# Coefficient:")) {
        s->field = F_QINV;
    } else if (starts(t, "# Message")) {
        if ((rc = flush_case(s, line)) != RLAB_OK)
            return rc;
        s->field = F_MSG;
    } else if (starts(t, "# Seed:")) {
        s->field = F_SEED;
    } else if (starts(t, "# Salt:")) {
        s->field = F_SALT;
    } else if (starts(t, "# Encryption:")) {
        s->field = F_CT;
    } else if (starts(t, "# Signature:")) {
        s->field = F_SIG;
    } else if (starts(t, "# ====")) {
        rc = flush_case(s, line);
    } else if (strstr(t, "Example") != NULL) {
        if ((rc = flush_case(s, line)) == RLAB_OK)
            rc = header_opts(s, t, line);
    }
    return rc;
}

int rlab_vec_parse_pkcs1txt(struct rlab_vec_file *f, const char *text, size_t len)
{
    struct p1 s = {.f = f, .key_index = SIZE_MAX};
    s.hash = s.mgf1 = f->entry->hash != RLAB_HASH_NONE ? f->entry->hash : RLAB_HASH_SHA1;
    const char *p = text, *end = text + len;
    size_t line = 0;
    int rc = RLAB_OK;
    char buf[256];
    while (rc == RLAB_OK && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl != NULL ? nl : end;
        line++;
        while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > p && *p == '#') {
            size_t n = (size_t)(e - p) < sizeof buf - 1 ? (size_t)(e - p) : sizeof buf - 1;
            memcpy(buf, p, n);
            buf[n] = '\0';
            rc = comment(&s, buf, line);
        } else if (s.field != F_NONE && e > p) {
            rc = append(&s, p, (size_t)(e - p));
        }
        p = nl != NULL ? nl + 1 : end;
    }
    if (rc == RLAB_OK)
        rc = end_field(&s, line);
    if (rc == RLAB_OK)
        rc = flush_case(&s, line);
    rlab_vec_key_clear(&s.key);
    case_bufs_clear(&s);
    free(s.acc);
    return rc;
}
