/*
 * Hashes through a backend's own hash slots: SHAVS ShortMsg/LongMsg and
 * Monte; HMAC (RFC 2202/4231) and HKDF (RFC 5869) through core/hmac.h with
 * the backend as the hash provider.  see vec_int.h
 *
 * Monte (SHAVS 6.4): for each checkpoint j, MD0 = MD1 = MD2 = Seed; for
 * i = 3..1002, MDi = SHA(MD(i-3) || MD(i-2) || MD(i-1)); the checkpoint is
 * MD1002, which is the Seed of checkpoint j+1.  Each case here starts from
 * the file's previous checkpoint, so one wrong checkpoint fails alone.
 *
 * SHA-3 Monte (SHA3VS 6.2.3): MD0 = Seed, MDi = SHA3(MD(i-1)) for
 * i = 1..1000; the checkpoint is MD1000.
 *
 * SHAKE Monte (SHA3VS 6.3.3), lengths in bytes between min and max: the
 * output length starts at max; for i = 1..1000, Msg_i = the first 16 bytes
 * of Output_(i-1), zero-padded when it is shorter (Output_0 = the seed;
 * SHAKE256's minimum is 2 bytes), Output_i = SHAKE(Msg_i) of the
 * current length, and the next length is min + (the last two bytes of
 * Output_i, big-endian) mod (max - min + 1).  The checkpoint is
 * Output_1000; the next checkpoint continues with the length it implies,
 * so a case again needs only the previous checkpoint.
 *
 * SHAKE ShortMsg/LongMsg/VariableOut take output of the file's length
 * through rlab_hash_final_xof.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "core/hmac.h"
#include "vectors/vec_int.h"

/* Hash p in pieces of uneven sizes so that partial-block buffering is
 * exercised, not only one-shot input.  out gets rlab_hash_len(h) bytes, or
 * out_len bytes of a SHAKE when out_len is not 0. */
static int digest_n(const struct rlab_backend *be, rlab_hash h, const uint8_t *p,
                    size_t len, uint8_t *out, size_t out_len)
{
    rlab_hash_ctx *hc = NULL;
    int rc = rlab_hash_new(be, h, &hc);
    if (rc != RLAB_OK)
        return rc;
    static const size_t pieces[] = {1, 62, 131, 3};
    size_t off = 0;
    for (size_t i = 0; rc == RLAB_OK && i < sizeof pieces / sizeof pieces[0]; i++) {
        size_t n = len - off < pieces[i] ? len - off : pieces[i];
        if (n > 0)
            rc = rlab_hash_update(be, hc, p + off, n);
        off += n;
    }
    if (rc == RLAB_OK && off < len)
        rc = rlab_hash_update(be, hc, p + off, len - off);
    if (rc != RLAB_OK) {
        rlab_hash_free(be, hc);
        return rc;
    }
    if (out_len != 0)
        return rlab_hash_final_xof(be, hc, out, out_len);
    return rlab_hash_final(be, hc, out);
}

static int digest(const struct rlab_backend *be, rlab_hash h, const uint8_t *p,
                  size_t len, uint8_t *out)
{
    return digest_n(be, h, p, len, out, 0);
}

static void judge_bytes(struct rlab_vec_ctx *x, rlab_vec_kind K, const struct rlab_vec_case *c,
                        int rc, const uint8_t *got, size_t got_len, const struct rlab_buf *want)
{
    char w[RLAB_VEC_HEXSTR_SIZE], g[RLAB_VEC_HEXSTR_SIZE];
    rlab_vec_hexstr(want->data, want->len, w, sizeof w);
    if (rc != RLAB_OK)
        rlab_vec_fail(x, K, c, w, "%s", rlab_vec_errstr(rc));
    else if (got_len < want->len || !rlab_ct_equal(got, want->data, want->len))
        rlab_vec_fail(x, K, c, w, "%s", rlab_vec_hexstr(got, got_len, g, sizeof g));
    else
        rlab_vec_pass(x, K);
}

/* Why case c cannot run on this backend (the parser's reason or the
 * backend's answer for its hash), or NULL. */
static const char *why_not(const struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    struct rlab_op_query q = {.op = RLAB_OP_HASH, .hash = c->hash};
    /* SHAKE files ask for output lengths of their own (any but 0 would do
     * for the query: it only asks for variable-length output). */
    if (rlab_hash_is_xof(c->hash) && x->f->family == RLAB_VEC_HASH)
        q.xof_len = c->out.len != 0 ? c->out.len : 1;
    return c->skip != NULL ? c->skip : rlab_backend_check(x->be, &q);
}

/* SHA3VS 6.2.3. */
static int monte_sha3(const struct rlab_backend *be, rlab_hash h, const struct rlab_buf *seed,
                      uint8_t *out)
{
    size_t hl = rlab_hash_len(h);
    if (seed->len != hl)
        return rlab_error_set(RLAB_ERR_PARSE, "seed of %zu bytes for a %zu-byte hash",
                              seed->len, hl);
    uint8_t md[RLAB_HASH_MAX_LEN];
    memcpy(md, seed->data, hl);
    for (int i = 1; i <= 1000; i++) {
        int rc = digest(be, h, md, hl, md);
        if (rc != RLAB_OK)
            return rc;
    }
    memcpy(out, md, hl);
    return RLAB_OK;
}

/* SHA3VS 6.3.3; out has room for c->xof_max bytes, *out_len gets the
 * checkpoint's length.  first: the case starts from the file's seed. */
static int monte_shake(const struct rlab_backend *be, const struct rlab_vec_case *c, int first,
                       uint8_t *out, size_t *out_len)
{
    size_t lo = c->xof_min, hi = c->xof_max, range = hi - lo + 1;
    const struct rlab_buf *seed = &c->seed;
    if (seed->len < 2 || lo < 2)
        return rlab_error_set(RLAB_ERR_PARSE, "SHAKE Monte seed or output under 2 bytes");
    size_t len = hi;
    if (!first) /* the length the previous checkpoint left */
        len = lo + (((size_t)seed->data[seed->len - 2] << 8 | seed->data[seed->len - 1]) % range);
    uint8_t msg[16] = {0};
    memcpy(msg, seed->data, seed->len < 16 ? seed->len : 16);
    for (int i = 1; i <= 1000; i++) {
        int rc = digest_n(be, c->hash, msg, sizeof msg, out, len);
        if (rc != RLAB_OK)
            return rc;
        *out_len = len;
        memset(msg, 0, sizeof msg);
        memcpy(msg, out, len < 16 ? len : 16);
        len = lo + (((size_t)out[len - 2] << 8 | out[len - 1]) % range);
    }
    return RLAB_OK;
}

static int monte(const struct rlab_backend *be, rlab_hash h, const struct rlab_buf *seed,
                 uint8_t *out)
{
    size_t hl = rlab_hash_len(h);
    if (seed->len != hl)
        return rlab_error_set(RLAB_ERR_PARSE, "seed of %zu bytes for a %zu-byte hash",
                              seed->len, hl);
    /* m holds MD(i-3) || MD(i-2) || MD(i-1) */
    uint8_t m[3 * RLAB_HASH_MAX_LEN], md[RLAB_HASH_MAX_LEN];
    for (int j = 0; j < 3; j++)
        memcpy(m + (size_t)j * hl, seed->data, hl);
    for (int i = 3; i <= 1002; i++) {
        int rc = digest(be, h, m, 3 * hl, md);
        if (rc != RLAB_OK)
            return rc;
        memmove(m, m + hl, 2 * hl);
        memcpy(m + 2 * hl, md, hl);
    }
    memcpy(out, md, hl);
    return RLAB_OK;
}

void rlab_vec_run_hash(struct rlab_vec_ctx *x)
{
    int is_monte = x->f->entry->fmt == RLAB_VEC_FMT_SHAVS_MONTE;
    rlab_vec_kind K = is_monte ? RLAB_VEC_K_MONTE : RLAB_VEC_K_HASH;
    for (size_t i = 0; i < x->f->n_cases; i++) {
        const struct rlab_vec_case *c = &x->f->cases[i];
        const char *why = why_not(x, c);
        if (why != NULL) {
            rlab_vec_skip(x, K, why);
            continue;
        }
        rlab_error_clear();
        if (rlab_hash_is_xof(c->hash)) {
            /* output of the file's length (Monte: up to its maximum) */
            size_t room = is_monte ? c->xof_max : c->out.len, got = room;
            uint8_t *out = malloc(room ? room : 1);
            if (out == NULL) {
                x->nomem = 1;
                return;
            }
            int rc = is_monte ? monte_shake(x->be, c, i == 0, out, &got)
                              : digest_n(x->be, c->hash, c->msg.data, c->msg.len, out, room);
            judge_bytes(x, K, c, rc, out, got == c->out.len ? got : 0, &c->out);
            free(out);
            continue;
        }
        uint8_t out[RLAB_HASH_MAX_LEN];
        int rc;
        if (is_monte && rlab_hash_is_sha3(c->hash))
            rc = monte_sha3(x->be, c->hash, &c->seed, out);
        else if (is_monte)
            rc = monte(x->be, c->hash, &c->seed, out);
        else
            rc = digest(x->be, c->hash, c->msg.data, c->msg.len, out);
        judge_bytes(x, K, c, rc, out, rlab_hash_len(c->hash), &c->out);
    }
}

static void hkdf(struct rlab_vec_ctx *x, const struct rlab_vec_case *c)
{
    const rlab_vec_kind K = RLAB_VEC_K_HKDF;
    size_t hl = rlab_hash_len(c->hash);
    uint8_t prk[RLAB_HASH_MAX_LEN];
    uint8_t *okm = malloc(c->out.len ? c->out.len : 1);
    if (okm == NULL) {
        x->nomem = 1;
        return;
    }
    rlab_error_clear();
    int rc = rlab_hkdf_extract(x->be, c->hash, c->salt.data, c->salt.len, c->skey.data,
                               c->skey.len, prk);
    char w[RLAB_VEC_HEXSTR_SIZE], g[RLAB_VEC_HEXSTR_SIZE];
    if (rc == RLAB_OK && c->prk.len > 0 &&
        (c->prk.len != hl || !rlab_ct_equal(prk, c->prk.data, hl))) {
        rlab_vec_fail(x, K, c, rlab_vec_hexstr(c->prk.data, c->prk.len, w, sizeof w),
                      "PRK %s", rlab_vec_hexstr(prk, hl, g, sizeof g));
    } else {
        if (rc == RLAB_OK)
            rc = rlab_hkdf_expand(x->be, c->hash, prk, hl, c->info.data, c->info.len, okm,
                                  c->out.len);
        judge_bytes(x, K, c, rc, okm, c->out.len, &c->out);
    }
    rlab_wipe(prk, sizeof prk);
    free(okm);
}

void rlab_vec_run_mac(struct rlab_vec_ctx *x)
{
    int is_hkdf = x->f->family == RLAB_VEC_HKDF;
    rlab_vec_kind K = is_hkdf ? RLAB_VEC_K_HKDF : RLAB_VEC_K_HMAC;
    for (size_t i = 0; i < x->f->n_cases; i++) {
        const struct rlab_vec_case *c = &x->f->cases[i];
        /* core/hmac.c would fall back to the default provider for a hash the
         * backend lacks; that would credit the wrong library, so skip. */
        const char *why = why_not(x, c);
        if (why != NULL) {
            rlab_vec_skip(x, K, why);
            continue;
        }
        if (is_hkdf) {
            hkdf(x, c);
            continue;
        }
        uint8_t mac[RLAB_HASH_MAX_LEN];
        rlab_error_clear();
        int rc = rlab_hmac(x->be, c->hash, c->skey.data, c->skey.len, c->msg.data,
                           c->msg.len, mac);
        /* A shorter expected MAC is a truncated one (RFC 4231 case 5). */
        judge_bytes(x, K, c, rc, mac, rlab_hash_len(c->hash), &c->out);
    }
}
