/*
 * The chunking group: the original exercise's way of moving a large payload
 * (cut into RSA-OAEP-SHA256 blocks of k - 2*hLen - 2 bytes, each encrypted
 * and decrypted with one RSA key) against an AEAD stream cut into chunks of
 * 1 KiB .. 1 MiB, in MB/s of payload sealed and opened.
 *
 * The AEAD curve uses AES-256-GCM through rlab_aead_seal/rlab_aead_open with
 * a per-chunk nonce (a random base XOR the chunk counter), which is what the
 * C2SP chunked-encryption stream (core/stream.h) does per chunk, at any chunk
 * size; core/stream.h itself only has the protocol's 16 KiB, so it is timed
 * as one more point of its own ("stream-cobblestone-256").  To time every
 * chunk size through rlab_stream_* once it takes a chunk size, replace
 * aead_chunk_once() by a seal_chunk + open_chunk pair as stream_chunk_once()
 * in ceilings.c does.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "bench/bench_int.h"

#define RSA_PAYLOAD (64 * 1024) /* cycled through block by block */

double rlab_bench_plan_chunking(const struct rlab_bench_config *c)
{
    return (double)c->n_backends * (double)(c->n_chunks + 2) * rlab_bench_figure_cost(c);
}

const struct rlab_backend *rlab_bench_aead_provider(const struct rlab_backend *be)
{
    struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = 32,
                              .aead_iv_len = 12, .aead_tag_len = 16};
    if (rlab_backend_check(be, &q) == NULL)
        return be;
    const struct rlab_backend *d = rlab_backend_default_provider();
    if (d != NULL && rlab_backend_check(d, &q) == NULL)
        return d;
    return NULL;
}

/* ---- RSA blocks ---------------------------------------------------------- */

struct rsa_chunks {
    const rlab_key *k;
    struct rlab_oaep_params oaep;
    uint8_t *payload, *ct, *out;
    size_t block, pos;
};

static int rsa_chunk_once(void *p)
{
    struct rsa_chunks *c = p;
    const struct rlab_backend *be = c->k->be;
    size_t n = c->block, ctlen = rlab_key_size(c->k), outlen = ctlen;
    if (c->pos + n > RSA_PAYLOAD)
        c->pos = 0;
    int rc = rlab_oaep_encrypt(be, c->k, &c->oaep, NULL, c->payload + c->pos, n, c->ct, &ctlen);
    if (rc == RLAB_OK)
        rc = rlab_oaep_decrypt(be, c->k, &c->oaep, c->ct, ctlen, c->out, &outlen);
    c->pos += n;
    return rc;
}

static int time_rsa(struct rlab_bench_run *run, size_t b)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *cfg = &r->cfg;
    struct rlab_bench_chunking *ch = &r->chunking[b];
    const struct rlab_backend *be = cfg->backends[b];
    struct rlab_op_query q = {.op = RLAB_OP_OAEP_DECRYPT, .hash = RLAB_HASH_SHA256,
                              .mgf1_hash = RLAB_HASH_SHA256};
    const char *why = rlab_backend_check(be, &q);
    q.op = RLAB_OP_OAEP_ENCRYPT;
    if (why == NULL)
        why = rlab_backend_check(be, &q);
    if (why != NULL) {
        rlab_bench_cell_set(&ch->rsa, RLAB_BENCH_SKIPPED, why, RLAB_OK);
        return RLAB_OK;
    }
    char source[64];
    rlab_key *k = rlab_bench_shared_key(run, be, cfg->chunk_rsa_bits, source, sizeof source);
    if (k == NULL) {
        rlab_bench_cell_set(&ch->rsa, RLAB_BENCH_SKIPPED, source, RLAB_OK);
        return RLAB_OK;
    }
    size_t klen = rlab_key_size(k);
    struct rsa_chunks c = {.k = k, .block = klen - 2 * 32 - 2,
                           .oaep = {.hash = RLAB_HASH_SHA256, .mgf1_hash = RLAB_HASH_SHA256}};
    ch->rsa_block = c.block;
    c.payload = malloc(RSA_PAYLOAD);
    c.ct = malloc(klen);
    c.out = malloc(klen);
    int rc = RLAB_OK;
    if (c.payload == NULL || c.ct == NULL || c.out == NULL) {
        rc = RLAB_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < RSA_PAYLOAD; i++)
        c.payload[i] = (uint8_t)(i * 7 + 3);
    /* One block round trip first: the loop must time working decryptions. */
    rlab_error_clear();
    int r1 = rsa_chunk_once(&c);
    if (r1 == RLAB_OK && memcmp(c.out, c.payload, c.block) != 0)
        r1 = RLAB_ERR_DECRYPT;
    if (r1 != RLAB_OK) {
        rlab_bench_cell_set(&ch->rsa, RLAB_BENCH_FAILED, "RSA-OAEP block round trip", r1);
        goto done;
    }
    c.pos = 0;
    rlab_bench_time_loop(rsa_chunk_once, &c, (double)c.block / 1e6, cfg, &ch->rsa);
    snprintf(ch->rsa.reason, sizeof ch->rsa.reason, "%u-bit %s, %zu-byte blocks",
             cfg->chunk_rsa_bits, source, c.block);
done:
    free(c.payload);
    free(c.ct);
    rlab_free_secret(c.out, klen);
    rlab_key_free(k);
    return rc;
}

/* ---- AEAD chunks --------------------------------------------------------- */

struct aead_chunks {
    const struct rlab_backend *be;
    rlab_aead_ctx *ctx;
    uint8_t *pt, *ct, *out;
    size_t chunk;
    uint8_t base[12];
    uint64_t counter;
    uint8_t tag[16];
};

static int aead_chunk_once(void *p)
{
    struct aead_chunks *c = p;
    uint8_t nonce[12];
    memcpy(nonce, c->base, sizeof nonce);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(c->counter >> (8 * i));
    c->counter++;
    int rc = rlab_aead_seal(c->be, c->ctx, nonce, sizeof nonce, NULL, 0, c->pt, c->chunk, c->ct,
                            c->tag, sizeof c->tag);
    if (rc == RLAB_OK)
        rc = rlab_aead_open(c->be, c->ctx, nonce, sizeof nonce, NULL, 0, c->ct, c->chunk, c->tag,
                            sizeof c->tag, c->out);
    return rc;
}

static int time_aead(const struct rlab_backend *aead_be, size_t chunk,
                     const struct rlab_bench_config *cfg, struct rlab_bench_cell *cell)
{
    struct aead_chunks c = {.be = aead_be, .chunk = chunk};
    static const uint8_t key[32] = {0x42, 0x17, 0x99};
    for (size_t i = 0; i < sizeof c.base; i++)
        c.base[i] = (uint8_t)(0xc3 ^ (i * 29));
    c.pt = malloc(chunk);
    c.ct = malloc(chunk);
    c.out = malloc(chunk);
    int rc = RLAB_OK;
    if (c.pt == NULL || c.ct == NULL || c.out == NULL) {
        rc = RLAB_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < chunk; i++)
        c.pt[i] = (uint8_t)(i * 13 + 1);
    rlab_error_clear();
    int r1 = rlab_aead_new(aead_be, key, sizeof key, &c.ctx);
    if (r1 == RLAB_OK)
        r1 = aead_chunk_once(&c);
    if (r1 == RLAB_OK && memcmp(c.out, c.pt, chunk) != 0)
        r1 = RLAB_ERR_AUTH;
    if (r1 != RLAB_OK)
        rlab_bench_cell_set(cell, RLAB_BENCH_FAILED, "AES-256-GCM chunk round trip", r1);
    else
        rlab_bench_time_loop(aead_chunk_once, &c, (double)chunk / 1e6, cfg, cell);
done:
    if (c.ctx != NULL)
        rlab_aead_free(aead_be, c.ctx);
    free(c.pt);
    free(c.ct);
    free(c.out);
    return rc;
}

int rlab_bench_run_chunking(struct rlab_bench_run *run)
{
    struct rlab_bench_result *r = run->r;
    const struct rlab_bench_config *cfg = &r->cfg;
    double one = rlab_bench_figure_cost(cfg);
    for (size_t b = 0; b < cfg->n_backends; b++) {
        const struct rlab_backend *be = cfg->backends[b];
        struct rlab_bench_chunking *ch = &r->chunking[b];
        if (be->parent != NULL) { /* a variant: measured in ops and handshake */
            rlab_bench_cell_set(&ch->rsa, RLAB_BENCH_SKIPPED,
                                "a variant: see its backend", RLAB_OK);
            continue;
        }
        rlab_bench_step(run, RLAB_BG_CHUNKING, be->name, "RSA-OAEP blocks", one);
        int rc = time_rsa(run, b);
        if (rc != RLAB_OK)
            return rc;
        const struct rlab_backend *ab = rlab_bench_aead_provider(be);
        snprintf(ch->aead_from, sizeof ch->aead_from, "%s", ab ? ab->name : "");
        for (size_t i = 0; i < cfg->n_chunks; i++) {
            if (ab == NULL) {
                rlab_bench_cell_set(&ch->aead[i], RLAB_BENCH_SKIPPED,
                                    "no AES-256-GCM in this backend or a default provider",
                                    RLAB_OK);
                continue;
            }
            char what[48];
            snprintf(what, sizeof what, "AES-256-GCM, %zu-byte chunks", cfg->chunks[i]);
            rlab_bench_step(run, RLAB_BG_CHUNKING, be->name, what, one);
            rc = time_aead(ab, cfg->chunks[i], cfg, &ch->aead[i]);
            if (rc != RLAB_OK)
                return rc;
        }
        rlab_bench_step(run, RLAB_BG_CHUNKING, be->name, "stream, 16 KiB chunks", one);
        if (ab == NULL)
            rlab_bench_cell_set(&ch->stream, RLAB_BENCH_SKIPPED,
                                "no AES-256-GCM in this backend or a default provider", RLAB_OK);
        else
            rlab_bench_ceiling_stream(ab, cfg, &ch->stream);
    }
    return RLAB_OK;
}
