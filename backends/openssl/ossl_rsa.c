/*
 * OpenSSL backend: RSA encryption (OAEP, PKCS#1 v1.5) and the raw
 * operations, through EVP_PKEY_encrypt / EVP_PKEY_decrypt with OSSL_PARAM.
 *
 * The entry points (backends/ops.h) have checked the arguments, the key,
 * the output capacity (from public sizes alone) and the exact k-byte inputs
 * before a slot here runs.
 *
 * Decryption: every failure of the ciphertext is RLAB_ERR_DECRYPT with a
 * generic detail, *outlen = 0 and the caller's buffer wiped.  The library's
 * own reason is dropped (ERR_clear_error) so no later call or message can
 * tell which check failed.
 *
 * OpenSSL's private operation is blinded by default, and its CRT result is
 * checked against the public exponent before release (rsa_ossl_mod_exp).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "base/ct.h"
#include "backends/openssl/ossl_internal.h"

/* Parameters and cache tag for OAEP (a label is never cached). */
static void ossl_oaep_params(const struct rlab_oaep_params *p, OSSL_PARAM params[5],
                             uint32_t *tag)
{
    const char *md = rlab_ossl_md_name(p->hash);
    const char *mgf = rlab_ossl_md_name(p->mgf1_hash);
    size_t i = 0;
    params[i++] = OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_PAD_MODE,
                                                   (char *)OSSL_PKEY_RSA_PAD_MODE_OAEP, 0);
    params[i++] = OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST,
                                                   (char *)md, 0);
    params[i++] = OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST,
                                                   (char *)mgf, 0);
    /* The provider copies the label into memory it owns and frees. */
    if (p->label_len > 0)
        params[i++] = OSSL_PARAM_construct_octet_string(
            OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL, (void *)p->label, p->label_len);
    params[i] = OSSL_PARAM_construct_end();
    *tag = p->label_len > 0 ? OSSL_TAG_NONE
                            : (uint32_t)p->hash | (uint32_t)p->mgf1_hash << 8;
}

static void ossl_pad_params(const char *mode, OSSL_PARAM params[2])
{
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_PAD_MODE,
                                                 (char *)mode, 0);
    params[1] = OSSL_PARAM_construct_end();
}

/* ---- public-key operations -------------------------------------------- */

/* Encrypt under params; ops.c checked sizes.  out gets k bytes. */
static int ossl_encrypt(const rlab_key *key, enum ossl_slot slot, uint32_t tag,
                        const OSSL_PARAM *params, const uint8_t *in, size_t in_len,
                        uint8_t *out, size_t k, size_t *outlen)
{
    size_t olen = k;
    EVP_PKEY_CTX *ctx = rlab_ossl_ctx(key, slot, tag, params);
    int ok = ctx != NULL && EVP_PKEY_encrypt(ctx, out, &olen, in, in_len) == 1 &&
             olen == k;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return rlab_ossl_fail(RLAB_ERR_BACKEND, "EVP_PKEY_encrypt");
    *outlen = olen;
    return RLAB_OK;
}

/* see backend.h */
int rlab_ossl_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen)
{
    (void)rng; /* NULL: no RLAB_CAP_RNG_REPLAY, so ops.c refused a caller's */
    OSSL_PARAM params[5];
    uint32_t tag;
    *outlen = 0;
    ossl_oaep_params(p, params, &tag);
    return ossl_encrypt(k, OSSL_SLOT_ENC_OAEP, tag, params, msg, msg_len, out,
                        rlab_key_size(k), outlen);
}

/* see backend.h */
int rlab_ossl_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                            const uint8_t *msg, size_t msg_len, uint8_t *out,
                            size_t *outlen)
{
    (void)rng; /* NULL: see rlab_ossl_oaep_encrypt */
    OSSL_PARAM params[2];
    *outlen = 0;
    ossl_pad_params(OSSL_PKEY_RSA_PAD_MODE_PKCSV15, params);
    return ossl_encrypt(k, OSSL_SLOT_ENC_V15, 0, params, msg, msg_len, out,
                        rlab_key_size(k), outlen);
}

/* ---- decryption -------------------------------------------------------- */

/*
 * Decrypt into a k-byte scratch buffer (the provider wants room for k bytes
 * whatever the plaintext) and copy out on success.  The only branch after
 * the private operation is on the library's single success/failure return.
 *
 * PKCS#1 v1.5: OpenSSL 3.0 has no implicit rejection (3.2 added it), so the
 * failure is an explicit error return; its padding check is constant time
 * inside the library, and we add no branch on why it failed.  Callers that
 * face an attacker (the protocol) use OAEP, and substitute a random secret
 * on failure above this layer.
 */
static int ossl_decrypt(const rlab_key *key, enum ossl_slot slot, uint32_t tag,
                        const OSSL_PARAM *params, const uint8_t *ct, size_t ct_len,
                        uint8_t *out, size_t cap, size_t *outlen)
{
    size_t kb = rlab_key_size(key);
    uint8_t *scratch = malloc(kb);
    if (scratch == NULL)
        return RLAB_ERR_NOMEM;
    size_t olen = kb;
    EVP_PKEY_CTX *ctx = rlab_ossl_ctx(key, slot, tag, params);
    if (ctx == NULL) {
        free(scratch);
        return rlab_ossl_fail(RLAB_ERR_BACKEND, "EVP_PKEY_decrypt_init_ex");
    }
    /* ct is exactly k bytes (RFC 8017 7.1.2 step 1), checked by ops.c. */
    int ok = EVP_PKEY_decrypt(ctx, scratch, &olen, ct, ct_len) == 1 && olen <= cap;
    EVP_PKEY_CTX_free(ctx);
    if (ok) {
        memcpy(out, scratch, olen);
        *outlen = olen;
    } else {
        rlab_wipe(out, cap);
    }
    rlab_free_secret(scratch, kb);
    return ok ? RLAB_OK : rlab_ossl_quiet(RLAB_ERR_DECRYPT, "decryption failed");
}

/* see backend.h */
int rlab_ossl_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen)
{
    OSSL_PARAM params[5];
    uint32_t tag;
    size_t cap = *outlen;
    *outlen = 0;
    ossl_oaep_params(p, params, &tag);
    return ossl_decrypt(k, OSSL_SLOT_DEC_OAEP, tag, params, ct, ct_len, out, cap, outlen);
}

/* see backend.h */
int rlab_ossl_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len,
                            uint8_t *out, size_t *outlen)
{
    OSSL_PARAM params[2];
    size_t cap = *outlen;
    *outlen = 0;
    ossl_pad_params(OSSL_PKEY_RSA_PAD_MODE_PKCSV15, params);
    return ossl_decrypt(k, OSSL_SLOT_DEC_V15, 0, params, ct, ct_len, out, cap, outlen);
}

/* ---- raw --------------------------------------------------------------- */

/* After a failed raw operation: was the input >= n?  (The input of a raw
 * operation is public for our purposes: benchmarks and vectors.) */
static int ossl_raw_failure(EVP_PKEY *pk, const uint8_t *in, size_t in_len,
                            const char *what)
{
    BIGNUM *n = NULL, *x = BN_bin2bn(in, (int)in_len, NULL);
    int big = x != NULL && EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
              BN_ucmp(x, n) >= 0;
    BN_free(n);
    BN_clear_free(x);
    if (big)
        return rlab_ossl_quiet(RLAB_ERR_RANGE, "openssl: input is not below n");
    return rlab_ossl_fail(RLAB_ERR_BACKEND, what);
}

static int ossl_raw(const rlab_key *k, int private_op, const uint8_t *in,
                    size_t in_len, uint8_t *out, size_t *outlen)
{
    /* in is k bytes and out has room for k (ops.c). */
    EVP_PKEY *pk = rlab_ossl_pkey(k);
    OSSL_PARAM params[2];
    size_t cap = *outlen, kb = rlab_key_size(k);
    *outlen = 0;
    ossl_pad_params(OSSL_PKEY_RSA_PAD_MODE_NONE, params);
    size_t olen = kb;
    EVP_PKEY_CTX *ctx =
        rlab_ossl_ctx(k, private_op ? OSSL_SLOT_DEC_RAW : OSSL_SLOT_ENC_RAW, 0, params);
    int ok = ctx != NULL &&
             (private_op ? EVP_PKEY_decrypt(ctx, out, &olen, in, in_len)
                         : EVP_PKEY_encrypt(ctx, out, &olen, in, in_len)) == 1 &&
             olen == kb;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) {
        rlab_wipe(out, cap);
        return ossl_raw_failure(pk, in, in_len,
                                private_op ? "raw private operation" : "raw public operation");
    }
    *outlen = kb;
    return RLAB_OK;
}

/* see backend.h */
int rlab_ossl_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen)
{
    return ossl_raw(k, 0, in, in_len, out, outlen);
}

/* see backend.h */
int rlab_ossl_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                          uint8_t *out, size_t *outlen)
{
    return ossl_raw(k, 1, in, in_len, out, outlen);
}
