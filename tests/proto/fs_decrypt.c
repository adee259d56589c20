/*
 * fs_decrypt: an eavesdropper's tool, for the forward-secrecy test.  Given a
 * recorded rsalab/1 session (the two directions' bytes) and some private
 * keys, recover the session secrets and print the client's messages, or say
 * that it cannot.  It knows only what docs/PROTOCOL.md says: it re-derives
 * the key schedule itself and checks the client's Finished with it, so a
 * success proves it read the right bytes.
 *
 *   fs_decrypt BACKEND DIR KEYFILE...     (DIR/c2s.bin, DIR/s2c.bin)
 *
 * Exit status: 0 decrypted (messages on stdout), 1 cannot, 2 bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "base/ct.h"
#include "core/fileio.h"
#include "core/frame.h"
#include "core/hmac.h"
#include "core/keyfile.h"
#include "core/stream.h"

struct frames {
    uint8_t type[4096];
    struct rlab_buf body[4096];
    size_t n;
};

static int split(const struct rlab_buf *b, struct frames *f)
{
    struct rlab_frame_reader *r = malloc(sizeof *r);
    if (r == NULL)
        return -1;
    rlab_frame_reader_init(r);
    size_t at = 0;
    while (at < b->len && f->n < 4096) {
        uint8_t type;
        const uint8_t *body;
        size_t blen, used;
        int rc = rlab_frame_reader_feed(r, b->data + at, b->len - at, &used, &type, &body, &blen);
        at += used;
        if (rc < 0)
            break;
        if (rc == 1) {
            f->type[f->n] = type;
            rlab_buf_set(&f->body[f->n], body, blen);
            f->n++;
        }
    }
    free(r);
    return 0;
}

static int vec16(struct rlab_rd *r, const uint8_t **p, size_t *n)
{
    return rlab_rd_vec16(r, p, n);
}

/* Try every key on ct; 1 when one yields a 32-byte secret. */
static int try_keys(const struct rlab_backend *be, rlab_key **keys, size_t nk,
                    const uint8_t *ct, size_t ct_len, uint8_t out[32])
{
    static const struct rlab_oaep_params oaep = {RLAB_HASH_SHA256, RLAB_HASH_SHA256, NULL, 0};
    for (size_t i = 0; i < nk; i++) {
        uint8_t pt[2048];
        size_t pt_len = sizeof pt;
        if (rlab_oaep_decrypt(be, keys[i], &oaep, ct, ct_len, pt, &pt_len) == RLAB_OK &&
            pt_len == 32) {
            memcpy(out, pt, 32);
            return 1;
        }
    }
    return 0;
}

static int expand(const struct rlab_backend *sym, const uint8_t prk[32], const char *label,
                  const uint8_t th[32], uint8_t out[32])
{
    uint8_t info[64];
    size_t l = strlen(label);
    memcpy(info, "rsalab/1 ", 9);
    memcpy(info + 9, label, l);
    memcpy(info + 9 + l, th, 32);
    return rlab_hkdf_expand(sym, RLAB_HASH_SHA256, prk, 32, info, 9 + l + 32, out, 32);
}

/* Decrypt and print the client's messages. */
static int print_messages(const struct rlab_backend *sym, const struct frames *c2s,
                          const uint8_t key[32])
{
    struct rlab_stream st;
    memset(&st, 0, sizeof st);
    uint64_t seq = 0;
    int open = 0, meta = 0, printed = 0;
    static uint8_t pt[RLAB_STREAM_MAX_CT_CHUNK];
    for (size_t i = 3; i < c2s->n; i++) {
        const struct rlab_buf *b = &c2s->body[i];
        if (c2s->type[i] == RLAB_FRAME_MSG_START && b->len == 8 + RLAB_STREAM_HEADER) {
            uint8_t ctx[32];
            memcpy(ctx, "rsalab/1 message", 16);
            ctx[16] = 'C';
            for (int k = 0; k < 8; k++)
                ctx[17 + k] = (uint8_t)(seq >> (56 - 8 * k));
            if (rlab_stream_open_init(&st, sym, sym, key, 32, ctx, 25, b->data + 8) != RLAB_OK)
                return -1;
            open = 1;
            meta = 0;
            continue;
        }
        if (c2s->type[i] != RLAB_FRAME_CHUNK || !open)
            continue;
        int final = 0;
        size_t n = sizeof pt;
        if (rlab_stream_open_chunk(&st, b->data, b->len, &final, pt, &n) != RLAB_OK)
            return -1;
        size_t at = 0;
        if (!meta) {
            struct rlab_rd r = rlab_rd_init(pt, n);
            uint8_t kind;
            uint64_t size;
            const uint8_t *name;
            size_t nl;
            if (!rlab_rd_u8(&r, &kind) || !rlab_rd_u64(&r, &size) || !vec16(&r, &name, &nl))
                return -1;
            printf("message %llu kind %u name \"%.*s\": ", (unsigned long long)seq, kind,
                   (int)nl, (const char *)name);
            at = n - r.left;
            meta = 1;
        }
        fwrite(pt + at, 1, n - at, stdout);
        if (final) {
            printf("\n");
            rlab_stream_clear(&st);
            open = 0;
            seq++;
            printed++;
        }
    }
    return printed;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: fs_decrypt BACKEND DIR KEYFILE...\n");
        return 2;
    }
    const struct rlab_backend *be = rlab_backend_find(argv[1]);
    const struct rlab_backend *sym = rlab_backend_default_provider();
    if (be == NULL || sym == NULL)
        return 2;
    char path[4096];
    struct rlab_buf c2s_raw = RLAB_BUF_INIT, s2c_raw = RLAB_BUF_INIT;
    snprintf(path, sizeof path, "%s/c2s.bin", argv[2]);
    int rc = rlab_file_read(path, (size_t)1 << 30, &c2s_raw);
    snprintf(path, sizeof path, "%s/s2c.bin", argv[2]);
    if (rc == RLAB_OK)
        rc = rlab_file_read(path, (size_t)1 << 30, &s2c_raw);
    static struct frames c2s, s2c;
    if (rc != RLAB_OK || split(&c2s_raw, &c2s) != 0 || split(&s2c_raw, &s2c) != 0 ||
        c2s.n < 4 || s2c.n < 1 || c2s.type[0] != RLAB_FRAME_CLIENT_HELLO ||
        s2c.type[0] != RLAB_FRAME_SERVER_HELLO || c2s.type[1] != RLAB_FRAME_CLIENT_KEY) {
        fprintf(stderr, "fs_decrypt: not a recorded rsalab/1 session\n");
        return 2;
    }
    size_t nk = 0;
    rlab_key *keys[16];
    for (int i = 3; i < argc && nk < 16; i++)
        if (rlab_keyfile_load(be, argv[i], &keys[nk]) == RLAB_OK && keys[nk]->has_private)
            nk++;
    const struct rlab_buf *ch = &c2s.body[0], *sh = &s2c.body[0], *ck = &c2s.body[1];
    struct rlab_rd r = rlab_rd_init(sh->data, sh->len);
    const uint8_t *sr, *p, *eks, *ekc, *cr;
    size_t n, eks_len, ekc_len;
    uint16_t ver;
    int ok = rlab_rd_u16(&r, &ver) && rlab_rd_bytes(&r, 32, &sr) && vec16(&r, &p, &n) &&
             vec16(&r, &p, &n) && vec16(&r, &eks, &eks_len);
    struct rlab_rd rc2 = rlab_rd_init(ck->data, ck->len);
    ok = ok && vec16(&rc2, &ekc, &ekc_len);
    struct rlab_rd rc1 = rlab_rd_init(ch->data, ch->len);
    ok = ok && rlab_rd_bytes(&rc1, 6, &p) && rlab_rd_bytes(&rc1, 32, &cr);
    if (!ok) {
        fprintf(stderr, "fs_decrypt: malformed handshake\n");
        return 2;
    }
    uint8_t ks[32], kc[32];
    int got_ks = try_keys(be, keys, nk, eks, eks_len, ks);
    int got_kc = try_keys(be, keys, nk, ekc, ekc_len, kc);
    printf("%zu private key(s) tried: server secret %s, client secret %s\n", nk,
           got_ks ? "recovered" : "NOT recovered", got_kc ? "recovered" : "NOT recovered");
    if (!got_ks || !got_kc) {
        printf("cannot decrypt: no key given opens the key transport\n");
        return 1;
    }
    /* The key schedule, from the document. */
    uint8_t th[32], prk[32], salt[64], ikm[64], c2s_key[32], fin_c[32], mac[32];
    struct rlab_buf t = RLAB_BUF_INIT;
    rlab_buf_alloc(&t, ch->len + sh->len + ck->len);
    memcpy(t.data, ch->data, ch->len);
    memcpy(t.data + ch->len, sh->data, sh->len);
    memcpy(t.data + ch->len + sh->len, ck->data, ck->len);
    memcpy(salt, cr, 32);
    memcpy(salt + 32, sr, 32);
    memcpy(ikm, kc, 32);
    memcpy(ikm + 32, ks, 32);
    rc = rlab_backend_hash(sym, RLAB_HASH_SHA256, t.data, t.len, th);
    if (rc == RLAB_OK)
        rc = rlab_hkdf_extract(sym, RLAB_HASH_SHA256, salt, 64, ikm, 64, prk);
    if (rc == RLAB_OK)
        rc = expand(sym, prk, "c2s key", th, c2s_key);
    if (rc == RLAB_OK)
        rc = expand(sym, prk, "c finished", th, fin_c);
    if (rc == RLAB_OK)
        rc = rlab_hmac(sym, RLAB_HASH_SHA256, fin_c, 32, th, 32, mac);
    if (rc != RLAB_OK || c2s.type[2] != RLAB_FRAME_FINISHED || c2s.body[2].len != 32 ||
        memcmp(mac, c2s.body[2].data, 32) != 0) {
        printf("the derived keys do not match the client's Finished\n");
        return 1;
    }
    printf("client Finished verified with the derived keys\n");
    int m = print_messages(sym, &c2s, c2s_key);
    printf("%d message(s) decrypted\n", m);
    return m > 0 ? 0 : 1;
}
