/*
 * Symmetric slots of the mbedTLS backend: AES-GCM (mbedtls_gcm, 128- and
 * 256-bit keys, any non-empty IV length, tags of 4..16 bytes) and
 * incremental hashes (mbedtls_md).  Contracts in backends/backend.h; the
 * entry points (backends/ops.h) have checked the key size, the pointers, the
 * IV (not empty) and the tag length (4..16) before a slot here runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>

#include "base/ct.h"
#include "backends/mbedtls/mbed_internal.h"

struct rlab_aead_ctx {
    mbedtls_gcm_context gcm;
};

struct rlab_hash_ctx {
    mbedtls_md_context_t md;
};

/* see backend.h; key_len is 16 or 32 (ops.c) */
int rlab_mbed_aead_new(const uint8_t *key, size_t key_len, rlab_aead_ctx **out)
{
    *out = NULL;
    rlab_aead_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    mbedtls_gcm_init(&c->gcm);
    int ret = mbedtls_gcm_setkey(&c->gcm, MBEDTLS_CIPHER_ID_AES, key,
                                 (unsigned)(key_len * 8));
    if (ret != 0) {
        rlab_mbed_aead_free(c);
        return rlab_mbed_fail(RLAB_ERR_BACKEND, "mbedtls_gcm_setkey", ret);
    }
    *out = c;
    return RLAB_OK;
}

/* see backend.h; mbedtls_gcm_free zeroizes the key schedule */
void rlab_mbed_aead_free(rlab_aead_ctx *c)
{
    if (c == NULL)
        return;
    mbedtls_gcm_free(&c->gcm);
    rlab_free_secret(c, sizeof *c);
}

/* see backend.h; in-place (out == in) is allowed for encryption by 2.28 */
int rlab_mbed_aead_seal(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, uint8_t *out, uint8_t *tag, size_t tag_len)
{
    int ret = mbedtls_gcm_crypt_and_tag(&c->gcm, MBEDTLS_GCM_ENCRYPT, len, iv, iv_len,
                                        aad, aad_len, in, out, tag_len, tag);
    if (ret != 0) {
        if (len > 0)
            mbedtls_platform_zeroize(out, len);
        return rlab_mbed_fail(RLAB_ERR_BACKEND, "mbedtls_gcm_crypt_and_tag", ret);
    }
    return RLAB_OK;
}

/* Do [a, a+n) and [b, b+n) share a byte? */
static int mbed_overlap(const uint8_t *a, const uint8_t *b, size_t n)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x < y + n && y < x + n;
}

/*
 * see backend.h
 *
 * 2.28 documents that for decryption the output must not be the input, while
 * the interface allows out == in.  Overlapping calls therefore decrypt
 * through a small bounce buffer; mbedtls_gcm_update accepts any multiple of
 * 16 bytes per call, so the chunking does not change the result.  The tag is
 * computed here and compared with rlab_ct_equal, then the plaintext is
 * wiped on mismatch.
 */
int rlab_mbed_aead_open(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                        const uint8_t *aad, size_t aad_len, const uint8_t *in,
                        size_t len, const uint8_t *tag, size_t tag_len,
                        uint8_t *out)
{
    uint8_t want[16], bounce[1024];
    int ret = mbedtls_gcm_starts(&c->gcm, MBEDTLS_GCM_DECRYPT, iv, iv_len, aad, aad_len);
    if (ret == 0 && len > 0 && mbed_overlap(in, out, len)) {
        for (size_t off = 0; ret == 0 && off < len; off += sizeof bounce) {
            size_t n = len - off < sizeof bounce ? len - off : sizeof bounce;
            ret = mbedtls_gcm_update(&c->gcm, n, in + off, bounce);
            if (ret == 0)
                memcpy(out + off, bounce, n);
        }
        mbedtls_platform_zeroize(bounce, sizeof bounce);
    } else if (ret == 0 && len > 0) {
        ret = mbedtls_gcm_update(&c->gcm, len, in, out);
    }
    if (ret == 0)
        ret = mbedtls_gcm_finish(&c->gcm, want, tag_len);
    if (ret != 0) {
        if (len > 0)
            mbedtls_platform_zeroize(out, len);
        return rlab_mbed_fail(RLAB_ERR_BACKEND, "mbedtls_gcm", ret);
    }
    int ok = rlab_ct_equal(want, tag, tag_len);
    mbedtls_platform_zeroize(want, sizeof want);
    if (!ok) {
        if (len > 0)
            mbedtls_platform_zeroize(out, len);
        return RLAB_ERR_AUTH;
    }
    return RLAB_OK;
}

/* see backend.h */
int rlab_mbed_hash_new(rlab_hash h, rlab_hash_ctx **out)
{
    *out = NULL;
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(rlab_mbed_md(h));
    if (info == NULL)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "mbedTLS 2.28 has no %s",
                              rlab_hash_name(h));
    rlab_hash_ctx *c = calloc(1, sizeof *c);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    mbedtls_md_init(&c->md);
    int ret = mbedtls_md_setup(&c->md, info, 0);
    if (ret == 0)
        ret = mbedtls_md_starts(&c->md);
    if (ret != 0) {
        rlab_mbed_hash_free(c);
        return rlab_mbed_fail(RLAB_ERR_BACKEND, "mbedtls_md_setup", ret);
    }
    *out = c;
    return RLAB_OK;
}

/* see backend.h */
int rlab_mbed_hash_update(rlab_hash_ctx *c, const uint8_t *p, size_t len)
{
    if (c == NULL || (len > 0 && p == NULL))
        return RLAB_ERR_INVALID_ARG;
    if (len == 0)
        return RLAB_OK;
    int ret = mbedtls_md_update(&c->md, p, len);
    return ret == 0 ? RLAB_OK : rlab_mbed_fail(RLAB_ERR_BACKEND, "mbedtls_md_update", ret);
}

/* see backend.h */
int rlab_mbed_hash_final(rlab_hash_ctx *c, uint8_t *out)
{
    if (c == NULL || out == NULL) {
        rlab_mbed_hash_free(c);
        return RLAB_ERR_INVALID_ARG;
    }
    int ret = mbedtls_md_finish(&c->md, out);
    rlab_mbed_hash_free(c);
    return ret == 0 ? RLAB_OK : rlab_mbed_fail(RLAB_ERR_BACKEND, "mbedtls_md_finish", ret);
}

/* see backend.h; mbedtls_md_free zeroizes the digest state */
void rlab_mbed_hash_free(rlab_hash_ctx *c)
{
    if (c == NULL)
        return;
    mbedtls_md_free(&c->md);
    rlab_free_secret(c, sizeof *c);
}
