/*
 * One context for any of the thirteen hashes, and the gmp backend's hash slots
 * on top of it.  See gmp_hash.h.
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_hash.h"

/* ---- block buffering -------------------------------------------------------- */

void rlab_gmp_md_update(void *state, rlab_gmp_compress_fn compress, uint8_t *buf,
                        size_t blk, size_t *fill, const uint8_t *p, size_t len)
{
    if (*fill > 0) {
        size_t take = blk - *fill;
        if (take > len)
            take = len;
        memcpy(buf + *fill, p, take);
        *fill += take;
        p += take;
        len -= take;
        if (*fill < blk)
            return;
        compress(state, buf);
        *fill = 0;
    }
    for (; len >= blk; p += blk, len -= blk)
        compress(state, p);
    if (len > 0) {
        memcpy(buf, p, len);
        *fill = len;
    }
}

void rlab_gmp_md_final(void *state, rlab_gmp_compress_fn compress, uint8_t *buf,
                       size_t blk, size_t fill, const uint8_t *len_field,
                       size_t len_bytes)
{
    size_t room = blk - len_bytes; /* where the length field starts */
    buf[fill++] = 0x80;
    if (fill > room) {
        memset(buf + fill, 0, blk - fill);
        compress(state, buf);
        fill = 0;
    }
    memset(buf + fill, 0, room - fill);
    memcpy(buf + room, len_field, len_bytes);
    compress(state, buf);
}

/* ---- any of the thirteen ---------------------------------------------------- */

size_t rlab_gmp_hash_len(rlab_hash alg)
{
    switch (alg) {
    case RLAB_HASH_SHA1: return 20;
    case RLAB_HASH_SHA224: return 28;
    case RLAB_HASH_SHA256: return 32;
    case RLAB_HASH_SHA384: return 48;
    case RLAB_HASH_SHA512: return 64;
    case RLAB_HASH_SHA512_224: return 28;
    case RLAB_HASH_SHA512_256: return 32;
    case RLAB_HASH_SHA3_224: return 28;
    case RLAB_HASH_SHA3_256: return 32;
    case RLAB_HASH_SHA3_384: return 48;
    case RLAB_HASH_SHA3_512: return 64;
    case RLAB_HASH_SHAKE128: return 32; /* RFC 8702 */
    case RLAB_HASH_SHAKE256: return 64;
    default: return 0;
    }
}

int rlab_gmp_hash_init(struct rlab_gmp_hash *c, rlab_hash alg)
{
    c->alg = alg;
    switch (alg) {
    case RLAB_HASH_SHA1:
        rlab_gmp_sha1_init(&c->u.sha1);
        return RLAB_OK;
    case RLAB_HASH_SHA224:
        rlab_gmp_sha256_init(&c->u.sha256, 28);
        return RLAB_OK;
    case RLAB_HASH_SHA256:
        rlab_gmp_sha256_init(&c->u.sha256, 32);
        return RLAB_OK;
    case RLAB_HASH_SHA384:
    case RLAB_HASH_SHA512:
    case RLAB_HASH_SHA512_224:
    case RLAB_HASH_SHA512_256:
        return rlab_gmp_sha512_init(&c->u.sha512, alg);
    case RLAB_HASH_SHA3_224:
    case RLAB_HASH_SHA3_256:
    case RLAB_HASH_SHA3_384:
    case RLAB_HASH_SHA3_512:
    case RLAB_HASH_SHAKE128:
    case RLAB_HASH_SHAKE256:
        return rlab_gmp_keccak_init(&c->u.keccak, alg);
    default:
        c->alg = RLAB_HASH_NONE;
        return RLAB_ERR_UNSUPPORTED;
    }
}

void rlab_gmp_hash_update(struct rlab_gmp_hash *c, const uint8_t *p, size_t len)
{
    if (len == 0)
        return; /* p may be NULL for empty input */
    switch (c->alg) {
    case RLAB_HASH_SHA1:
        rlab_gmp_sha1_update(&c->u.sha1, p, len);
        break;
    case RLAB_HASH_SHA224:
    case RLAB_HASH_SHA256:
        rlab_gmp_sha256_update(&c->u.sha256, p, len);
        break;
    case RLAB_HASH_SHA384:
    case RLAB_HASH_SHA512:
    case RLAB_HASH_SHA512_224:
    case RLAB_HASH_SHA512_256:
        rlab_gmp_sha512_update(&c->u.sha512, p, len);
        break;
    case RLAB_HASH_SHA3_224:
    case RLAB_HASH_SHA3_256:
    case RLAB_HASH_SHA3_384:
    case RLAB_HASH_SHA3_512:
    case RLAB_HASH_SHAKE128:
    case RLAB_HASH_SHAKE256:
        rlab_gmp_keccak_update(&c->u.keccak, p, len);
        break;
    default:
        break;
    }
}

void rlab_gmp_hash_final(struct rlab_gmp_hash *c, uint8_t *out)
{
    switch (c->alg) {
    case RLAB_HASH_SHA1:
        rlab_gmp_sha1_final(&c->u.sha1, out);
        break;
    case RLAB_HASH_SHA224:
    case RLAB_HASH_SHA256:
        rlab_gmp_sha256_final(&c->u.sha256, out);
        break;
    case RLAB_HASH_SHA384:
    case RLAB_HASH_SHA512:
    case RLAB_HASH_SHA512_224:
    case RLAB_HASH_SHA512_256:
        rlab_gmp_sha512_final(&c->u.sha512, out);
        break;
    case RLAB_HASH_SHA3_224:
    case RLAB_HASH_SHA3_256:
    case RLAB_HASH_SHA3_384:
    case RLAB_HASH_SHA3_512:
    case RLAB_HASH_SHAKE128:
    case RLAB_HASH_SHAKE256:
        rlab_gmp_keccak_final(&c->u.keccak, out);
        break;
    default:
        break;
    }
    rlab_wipe(c, sizeof *c);
}

int rlab_gmp_hash(rlab_hash alg, const uint8_t *p, size_t len, uint8_t *out)
{
    struct rlab_gmp_hash c;
    int rc = rlab_gmp_hash_init(&c, alg);
    if (rc != RLAB_OK)
        return rc;
    rlab_gmp_hash_update(&c, p, len);
    rlab_gmp_hash_final(&c, out);
    return RLAB_OK;
}

/* ---- backend slots ---------------------------------------------------------- */

/* The backend-defined hash context of backend.h, for this backend. */
struct rlab_hash_ctx {
    struct rlab_gmp_hash h;
};

int rlab_gmp_hash_new(rlab_hash h, rlab_hash_ctx **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    rlab_hash_ctx *c = malloc(sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    int rc = rlab_gmp_hash_init(&c->h, h);
    if (rc != RLAB_OK) {
        rlab_free_secret(c, sizeof *c);
        return rc;
    }
    *out = c;
    return RLAB_OK;
}

int rlab_gmp_hash_update_slot(rlab_hash_ctx *c, const uint8_t *p, size_t len)
{
    if (c == NULL || (p == NULL && len > 0))
        return RLAB_ERR_INVALID_ARG;
    rlab_gmp_hash_update(&c->h, p, len);
    return RLAB_OK;
}

int rlab_gmp_hash_final_slot(rlab_hash_ctx *c, uint8_t *out)
{
    if (c == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (out == NULL) {
        rlab_gmp_hash_free(c);
        return RLAB_ERR_INVALID_ARG;
    }
    rlab_gmp_hash_final(&c->h, out);
    rlab_free_secret(c, sizeof *c);
    return RLAB_OK;
}

int rlab_gmp_hash_final_xof_slot(rlab_hash_ctx *c, uint8_t *out, size_t out_len)
{
    if (c == NULL)
        return RLAB_ERR_INVALID_ARG;
    if ((out == NULL && out_len > 0) || !rlab_hash_is_xof(c->h.alg)) {
        rlab_gmp_hash_free(c);
        return RLAB_ERR_INVALID_ARG;
    }
    rlab_gmp_keccak_squeeze(&c->h.u.keccak, out, out_len);
    rlab_free_secret(c, sizeof *c);
    return RLAB_OK;
}

void rlab_gmp_hash_free(rlab_hash_ctx *c)
{
    rlab_free_secret(c, sizeof *c);
}
