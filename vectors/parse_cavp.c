/*
 * CAVP RSA signature files (SigGen15/SigGenPSS/SigVer15/SigVerPSS, .rsp and
 * the FIPS 186-2 .txt files that add d and SaltVal) and BoringSSL's
 * evp_tests format used by pyca's oaep-label.txt.  see vec_int.h
 *
 * What the CAVP files give (read from the files, not assumed):
 *   SigGen*_186-3.rsp : [mod], n, e; cases SHAAlg, Msg, S.  No d: only the
 *                       expected signature can be checked (verify).
 *   SigGen*_186-2.txt : [mod], n, e, d; cases SHAAlg, [SaltVal,] Msg, S:
 *                       sign KATs (PSS with SaltVal replayed) and verify.
 *   SigVer*_186-3.rsp : [mod], n, p, q; cases SHAAlg, e, d, Msg, S,
 *                       SaltVal, [EM ...], Result = P | F (reason).  The
 *                       "e changed" cases carry their own e: keys per case.
 *   "# Salt len: N" in the header is the PSS salt length (0 for
 *   SigGenPSS_186-3.rsp, whose signatures do verify with salt length 0).
 */
#include <stdlib.h>
#include <string.h>

#include "vectors/vec_int.h"

struct cavp {
    struct rlab_vec_file *f;
    int siggen;                  /* SigGen file: no Result lines */
    int salt_len_hdr;            /* -1 when the header does not say */
    unsigned long mod;
    struct rlab_buf n, e, d;
    rlab_hash hash;
    /* the case being read */
    int open;
    struct rlab_buf msg, sig, salt;
    int have_result;
    rlab_vec_expect expect;
    char result[96];
    size_t index;
};

static void pending_clear(struct cavp *s)
{
    rlab_buf_clear(&s->msg);
    rlab_buf_clear(&s->sig);
    rlab_buf_clear(&s->salt);
    s->open = 0;
    s->have_result = 0;
    s->result[0] = '\0';
}

static int buf_copy(struct rlab_buf *dst, const struct rlab_buf *src)
{
    return rlab_buf_set(dst, src->data, src->len);
}

/* Emit the case being read, if any. */
static int flush(struct cavp *s, size_t line)
{
    if (!s->open)
        return RLAB_OK;
    if (s->msg.data == NULL || s->sig.data == NULL)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: case without Msg or S", line);
    if (s->n.len == 0 || s->e.len == 0)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: case before n and e", line);
    if (!s->siggen && !s->have_result)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: SigVer case without Result", line);

    struct rlab_vec_key k = {0};
    int rc = buf_copy(&k.c.n, &s->n);
    if (rc == RLAB_OK)
        rc = buf_copy(&k.c.e, &s->e);
    if (rc == RLAB_OK && s->d.len > 0)
        rc = buf_copy(&k.c.d, &s->d);
    if (rc != RLAB_OK) {
        rlab_vec_key_clear(&k);
        return rc;
    }
    size_t key = rlab_vec_key_add(s->f, &k);
    struct rlab_vec_case *c = key == SIZE_MAX ? NULL : rlab_vec_case_new(s->f);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    s->index++;
    snprintf(c->id, sizeof c->id, "%zu", s->index);
    c->key = key;
    c->hash = c->mgf1 = s->hash;
    c->expect = s->siggen ? RLAB_VEC_VALID : s->expect;
    c->sign = s->siggen && s->d.len > 0;
    if (s->f->family == RLAB_VEC_PSS)
        c->salt_len = s->salt_len_hdr >= 0 ? s->salt_len_hdr : (int)s->salt.len;
    c->context = rlab_vec_strdupf("mod=%lu %s%s%s", s->mod, rlab_hash_name(s->hash),
                                  s->result[0] ? " Result = " : "", s->result);
    c->msg = s->msg;
    c->out = s->sig;
    if (c->sign && s->f->family == RLAB_VEC_PSS)
        c->seed = s->salt; /* the salt to replay for the sign KAT */
    else
        rlab_buf_clear(&s->salt);
    s->msg = (struct rlab_buf)RLAB_BUF_INIT;
    s->sig = (struct rlab_buf)RLAB_BUF_INIT;
    s->salt = (struct rlab_buf)RLAB_BUF_INIT;
    pending_clear(s);
    return c->context != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

static int result(struct cavp *s, const struct rlab_kv *kv)
{
    size_t n = kv->value_len < sizeof s->result - 1 ? kv->value_len : sizeof s->result - 1;
    memcpy(s->result, kv->value, n);
    s->result[n] = '\0';
    if (kv->value_len >= 1 && kv->value[0] == 'P')
        s->expect = RLAB_VEC_VALID;
    else if (kv->value_len >= 1 && kv->value[0] == 'F')
        s->expect = RLAB_VEC_INVALID;
    else
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: Result is neither P nor F", kv->line);
    s->have_result = 1;
    return RLAB_OK;
}

static int pair(struct cavp *s, struct rlab_kv *kv)
{
    int rc = RLAB_OK;
    if (rlab_kv_key_is(kv, "n")) {
        if ((rc = flush(s, kv->line)) == RLAB_OK) {
            rlab_buf_clear(&s->e);
            rlab_buf_clear(&s->d);
            rc = rlab_kv_hex(kv, &s->n);
            rlab_vec_strip_zeros(&s->n);
        }
    } else if (rlab_kv_key_is(kv, "e")) {
        rc = rlab_kv_hex(kv, &s->e);
        rlab_vec_strip_zeros(&s->e);
    } else if (rlab_kv_key_is(kv, "d")) {
        rc = rlab_kv_hex(kv, &s->d);
        rlab_vec_strip_zeros(&s->d);
    } else if (rlab_kv_key_is(kv, "SHAAlg")) {
        if (s->msg.data != NULL)
            rc = flush(s, kv->line);
        if (rc == RLAB_OK)
            rc = rlab_kv_hash(kv, &s->hash);
        s->open = 1;
    } else if (rlab_kv_key_is(kv, "Msg")) {
        if (s->msg.data != NULL)
            rc = flush(s, kv->line);
        s->open = 1;
        if (rc == RLAB_OK)
            rc = rlab_kv_hex(kv, &s->msg);
    } else if (rlab_kv_key_is(kv, "S")) {
        s->open = 1;
        rc = rlab_kv_hex(kv, &s->sig);
    } else if (rlab_kv_key_is(kv, "SaltVal")) {
        s->open = 1;
        rc = rlab_kv_hex(kv, &s->salt);
        /* SigVer15 writes "SaltVal = 00" for "no salt". */
        if (rc == RLAB_OK && s->f->family != RLAB_VEC_PSS)
            rlab_buf_clear(&s->salt);
    } else if (rlab_kv_key_is(kv, "Result")) {
        if ((rc = result(s, kv)) == RLAB_OK)
            rc = flush(s, kv->line);
    }
    /* p, q (SigVer) and "EM with ..." lines are informational. */
    return rc;
}

int rlab_vec_parse_cavp_sig(struct rlab_vec_file *f, const char *text, size_t len)
{
    struct cavp s = {.f = f, .salt_len_hdr = -1, .hash = RLAB_HASH_NONE};
    s.siggen = strstr(f->entry->name, "SigGen") != NULL;
    struct rlab_kv kv;
    rlab_kv_init(&kv, text, len);
    int rc = RLAB_OK;
    rlab_kv_event ev;
    while (rc == RLAB_OK && (ev = rlab_kv_next(&kv)) != RLAB_KV_END) {
        if (ev == RLAB_KV_COMMENT && kv.value_len > 9 &&
            strncmp(kv.value, "Salt len:", 9) == 0) {
            s.salt_len_hdr = atoi(kv.value + 9);
        } else if (ev == RLAB_KV_SECTION && rlab_kv_key_is(&kv, "mod")) {
            unsigned long mod = 0;
            if ((rc = flush(&s, kv.line)) == RLAB_OK && (rc = rlab_kv_ulong(&kv, &mod)) == RLAB_OK)
                s.mod = mod;
        } else if (ev == RLAB_KV_PAIR) {
            rc = pair(&s, &kv);
        }
    }
    if (rc == RLAB_OK)
        rc = flush(&s, kv.line);
    pending_clear(&s);
    rlab_buf_clear(&s.n);
    rlab_buf_clear(&s.e);
    rlab_buf_clear(&s.d);
    return rc;
}

/* ---- BoringSSL evp_tests (oaep-label.txt) ------------------------------ */

struct evp {
    struct rlab_vec_file *f;
    int open;
    unsigned long count;
    struct rlab_vec_key key;
    rlab_hash hash, mgf1;
    int mgf1_set;
    struct rlab_buf label, in, out;
};

static int evp_flush(struct evp *s, size_t line)
{
    if (!s->open)
        return RLAB_OK;
    if (s->key.der.len == 0 || s->in.data == NULL || s->out.data == NULL ||
        s->hash == RLAB_HASH_NONE)
        return rlab_error_set(RLAB_ERR_PARSE, "line %zu: incomplete OAEP case", line);
    size_t key = rlab_vec_key_add(s->f, &s->key);
    struct rlab_vec_case *c = key == SIZE_MAX ? NULL : rlab_vec_case_new(s->f);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    snprintf(c->id, sizeof c->id, "%lu", s->count);
    c->context = rlab_vec_strdupf("OAEPDigest=%s MGF1=%s", rlab_hash_name(s->hash),
                                  rlab_hash_name(s->mgf1_set ? s->mgf1 : s->hash));
    c->key = key;
    c->hash = s->hash;
    c->mgf1 = s->mgf1_set ? s->mgf1 : s->hash; /* BoringSSL: MGF1 defaults to the OAEP digest */
    c->expect = RLAB_VEC_VALID;
    c->label = s->label;
    c->out = s->in;  /* Input: the ciphertext */
    c->msg = s->out; /* Output: the plaintext */
    s->label = s->in = s->out = (struct rlab_buf)RLAB_BUF_INIT;
    s->open = 0;
    s->mgf1_set = 0;
    s->hash = RLAB_HASH_NONE;
    return c->context != NULL ? RLAB_OK : RLAB_ERR_NOMEM;
}

/* Output = "Hello World" (a quoted string) or hex. */
static int evp_bytes(const struct rlab_kv *kv, struct rlab_buf *b)
{
    if (kv->value_len >= 2 && kv->value[0] == '"' && kv->value[kv->value_len - 1] == '"') {
        rlab_buf_clear(b);
        return rlab_buf_set(b, kv->value + 1, kv->value_len - 2);
    }
    return rlab_kv_hex(kv, b);
}

int rlab_vec_parse_oaep_label(struct rlab_vec_file *f, const char *text, size_t len)
{
    struct evp s = {.f = f};
    struct rlab_kv kv;
    rlab_kv_init(&kv, text, len);
    int rc = RLAB_OK;
    while (rc == RLAB_OK && rlab_kv_next(&kv) != RLAB_KV_END) {
        if (kv.key_len == 0)
            continue;
        if (rlab_kv_key_is(&kv, "COUNT")) {
            if ((rc = evp_flush(&s, kv.line)) == RLAB_OK)
                rc = rlab_kv_ulong(&kv, &s.count);
            s.open = 1;
        } else if (rlab_kv_key_is(&kv, "KEY")) {
            rlab_vec_key_clear(&s.key);
            rc = rlab_kv_hex(&kv, &s.key.der);
            s.key.der_fmt = RLAB_KEYFMT_PKCS8;
        } else if (rlab_kv_key_is(&kv, "RSAPadding")) {
            if (kv.value_len != 4 || memcmp(kv.value, "OAEP", 4) != 0)
                rc = rlab_error_set(RLAB_ERR_PARSE, "line %zu: padding is not OAEP", kv.line);
        } else if (rlab_kv_key_is(&kv, "OAEPDigest")) {
            rc = rlab_kv_hash(&kv, &s.hash);
        } else if (rlab_kv_key_is(&kv, "MGF1Digest")) {
            rc = rlab_kv_hash(&kv, &s.mgf1);
            s.mgf1_set = 1;
        } else if (rlab_kv_key_is(&kv, "OAEPLabel")) {
            rc = rlab_kv_hex(&kv, &s.label);
        } else if (rlab_kv_key_is(&kv, "Input")) {
            rc = rlab_kv_hex(&kv, &s.in);
        } else if (rlab_kv_key_is(&kv, "Output")) {
            rc = evp_bytes(&kv, &s.out);
        }
    }
    if (rc == RLAB_OK)
        rc = evp_flush(&s, kv.line);
    rlab_vec_key_clear(&s.key);
    rlab_buf_clear(&s.label);
    rlab_buf_clear(&s.in);
    rlab_buf_clear(&s.out);
    return rc;
}
