/*
 * AES-GCM (CAVP gcmEncryptExtIV / gcmDecrypt): seal known answers, and
 * open with the expected plaintext or the expected tag failure (whose
 * output must come back zeroed, as the interface promises).  see vec_int.h
 */
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "vectors/vec_int.h"

static void seal(struct rlab_vec_ctx *x, const struct rlab_vec_case *c, rlab_aead_ctx *a)
{
    const rlab_vec_kind K = RLAB_VEC_K_GCM_SEAL;
    uint8_t *out = malloc(c->msg.len ? c->msg.len : 1);
    uint8_t tag[RLAB_GCM_TAG_MAX];
    if (out == NULL) {
        x->nomem = 1;
        return;
    }
    char want[2 * RLAB_VEC_HEXSTR_SIZE + 8], got[RLAB_VEC_HEXSTR_SIZE];
    char wct[RLAB_VEC_HEXSTR_SIZE], wtag[RLAB_VEC_HEXSTR_SIZE];
    snprintf(want, sizeof want, "%s tag %s",
             rlab_vec_hexstr(c->out.data, c->out.len, wct, sizeof wct),
             rlab_vec_hexstr(c->tag.data, c->tag.len, wtag, sizeof wtag));
    rlab_error_clear();
    int rc = rlab_aead_seal(x->be, a, c->iv.data, c->iv.len, c->aad.data, c->aad.len,
                              c->msg.data, c->msg.len, out, tag, c->tag.len);
    if (rc != RLAB_OK)
        rlab_vec_fail(x, K, c, want, "%s", rlab_vec_errstr(rc));
    else if (c->out.len != c->msg.len || !rlab_ct_equal(out, c->out.data, c->msg.len))
        rlab_vec_fail(x, K, c, want, "ciphertext %s",
                      rlab_vec_hexstr(out, c->msg.len, got, sizeof got));
    else if (!rlab_ct_equal(tag, c->tag.data, c->tag.len))
        rlab_vec_fail(x, K, c, want, "tag %s",
                      rlab_vec_hexstr(tag, c->tag.len, got, sizeof got));
    else
        rlab_vec_pass(x, K);
    free(out);
}

static int all_zero(const uint8_t *p, size_t len)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < len; i++)
        acc |= p[i];
    return acc == 0;
}

static void open_case(struct rlab_vec_ctx *x, const struct rlab_vec_case *c, rlab_aead_ctx *a)
{
    const rlab_vec_kind K = RLAB_VEC_K_GCM_OPEN;
    size_t len = c->out.len;
    uint8_t *out = malloc(len ? len : 1);
    if (out == NULL) {
        x->nomem = 1;
        return;
    }
    memset(out, 0xa5, len ? len : 1); /* so that "zeroed on failure" is seen */
    char want[RLAB_VEC_HEXSTR_SIZE], got[RLAB_VEC_HEXSTR_SIZE];
    rlab_error_clear();
    int rc = rlab_aead_open(x->be, a, c->iv.data, c->iv.len, c->aad.data, c->aad.len,
                              c->out.data, len, c->tag.data, c->tag.len, out);
    if (c->expect == RLAB_VEC_VALID) {
        rlab_vec_hexstr(c->msg.data, c->msg.len, want, sizeof want);
        if (rc != RLAB_OK)
            rlab_vec_fail(x, K, c, want, "%s", rlab_vec_errstr(rc));
        else if (c->msg.len != len || !rlab_ct_equal(out, c->msg.data, len))
            rlab_vec_fail(x, K, c, want, "%s", rlab_vec_hexstr(out, len, got, sizeof got));
        else
            rlab_vec_pass(x, K);
    } else if (rc == RLAB_OK) {
        rlab_vec_fail(x, K, c, "RLAB_ERR_AUTH (tag mismatch)", "opened to %s",
                      rlab_vec_hexstr(out, len, got, sizeof got));
    } else if (rc != RLAB_ERR_AUTH) {
        rlab_vec_fail(x, K, c, "RLAB_ERR_AUTH (tag mismatch)", "%s", rlab_vec_errstr(rc));
    } else if (!all_zero(out, len)) {
        rlab_vec_fail(x, K, c, "RLAB_ERR_AUTH with the output zeroed",
                      "RLAB_ERR_AUTH with output %s left",
                      rlab_vec_hexstr(out, len, got, sizeof got));
    } else {
        rlab_vec_pass(x, K);
    }
    free(out);
}

void rlab_vec_run_aead(struct rlab_vec_ctx *x)
{
    int sealing = x->f->entry->encrypt;
    rlab_vec_kind K = sealing ? RLAB_VEC_K_GCM_SEAL : RLAB_VEC_K_GCM_OPEN;
    for (size_t i = 0; i < x->f->n_cases; i++) {
        const struct rlab_vec_case *c = &x->f->cases[i];
        struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = c->skey.len,
                                  .aead_iv_len = c->iv.len, .aead_tag_len = c->tag.len};
        const char *why = c->skip != NULL ? c->skip : rlab_backend_check(x->be, &q);
        if (why != NULL) {
            rlab_vec_skip(x, K, why);
            continue;
        }
        rlab_aead_ctx *a = NULL;
        rlab_error_clear();
        int rc = rlab_aead_new(x->be, c->skey.data, c->skey.len, &a);
        if (rc != RLAB_OK) {
            rlab_vec_fail(x, K, c, "an AES-GCM context for the key", "%s", rlab_vec_errstr(rc));
            continue;
        }
        if (sealing)
            seal(x, c, a);
        else
            open_case(x, c, a);
        rlab_aead_free(x->be, a);
    }
}
