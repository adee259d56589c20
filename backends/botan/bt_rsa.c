/*
 * RSA operations of the Botan backend, through the FFI's botan_pk_op_*
 * objects, one per call, named by padding strings:
 *
 *   OAEP          "OAEP(<hash>,MGF1(<mgf1 hash>))"
 *   v1.5 crypt    "PKCS1v15"
 *   PSS           "PSSR_Raw(<hash>,MGF1,<salt>)", verify with any salt
 *                 length: "PSSR_Raw(<hash>)" (the _Raw forms take the
 *                 digest rather than the message)
 *   v1.5 sign     "EMSA_PKCS1(Raw,<hash>)": the digest in, Botan prepends
 *                 the DigestInfo; verification re-encodes and compares
 *   raw           "Raw" (encryption: m^e mod n; signing: the private
 *                 operation, k bytes out)
 *
 * Contracts in backends/backend.h; ops.c has already checked sizes, key
 * types and capabilities (see backends/ops.h), so the slots only convert.
 *
 * Private operations: Botan 2 blinds (a blinder made with the system
 * generator when the FFI creates the operation), masks the CRT exponents,
 * uses fixed-window Montgomery exponentiation, and checks the result with
 * the public exponent before release.  The caller's generator only ever
 * reaches the padding (OAEP seed, v1.5 padding, PSS salt).  OAEP and v1.5
 * decoding are constant time in Botan (CT::poison-checked), with one
 * exception thrown at the end for an invalid block.
 *
 * What Botan 2's FFI cannot express: an OAEP label is part of the padding
 * string, parsed as text, so a label holding a NUL, '(' ')' or ',' cannot
 * be passed; RLAB_CAP_OAEP_LABEL is unset rather than half-true.  PSS uses
 * the signature hash for MGF1 (no RLAB_CAP_PSS_MGF1).
 */
#include <stdio.h>
#include <string.h>

#include "backends/botan/bt_internal.h"

static const uint8_t *bt_nonnull(const uint8_t *p)
{
    static const uint8_t zero;
    return p != NULL ? p : &zero;
}

static int bt_hash(rlab_hash h, const char **name)
{
    *name = rlab_bt_hash_name(h);
    return *name != NULL ? RLAB_OK
                         : rlab_error_set(RLAB_ERR_UNSUPPORTED, "Botan 2 has no %s",
                                          rlab_hash_name(h));
}

/* Encrypt with the public key under padding `pad`: k bytes to out. */
static int bt_encrypt(const rlab_key *k, const char *pad, const struct rlab_rng *rng,
                      const uint8_t *msg, size_t msg_len, uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, klen = rlab_key_size(k);
    *outlen = 0;
    struct bt_key *bk = rlab_bt_key(k);
    botan_pk_op_encrypt_t op = NULL;
    struct bt_rng g;
    int rc = rlab_bt_rng_begin(&g, rng);
    if (rc != RLAB_OK)
        return rc;
    int r = botan_pk_op_encrypt_create(&op, bk->pub, pad, 0);
    size_t olen = cap;
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_pk_op_encrypt(op, g.rng, out, &olen, bt_nonnull(msg), msg_len);
    if (op != NULL)
        botan_pk_op_encrypt_destroy(op);
    int failed = g.failed;
    rlab_bt_rng_end(&g);
    if (r != BOTAN_FFI_SUCCESS || olen != klen) {
        botan_scrub_mem(out, cap < klen ? cap : klen);
        return rlab_bt_fail(failed ? RLAB_ERR_RNG : RLAB_ERR_BACKEND, pad, r);
    }
    *outlen = klen;
    return RLAB_OK;
}

/* Decrypt with the private key under `pad` into out[0..min(cap, k)): every
 * failure is RLAB_ERR_DECRYPT with out wiped and no detail. */
static int bt_decrypt(const rlab_key *k, const char *pad, const uint8_t *ct, size_t ct_len,
                      uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, klen = rlab_key_size(k), room = cap < klen ? cap : klen;
    *outlen = 0;
    struct bt_key *bk = rlab_bt_key(k);
    botan_scrub_mem(out, room);
    botan_pk_op_decrypt_t op = NULL;
    int r = botan_pk_op_decrypt_create(&op, bk->priv, pad, 0);
    size_t olen = room;
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_pk_op_decrypt(op, out, &olen, ct, ct_len);
    if (op != NULL)
        botan_pk_op_decrypt_destroy(op);
    if (r != BOTAN_FFI_SUCCESS || olen > room) {
        botan_scrub_mem(out, room);
        return RLAB_ERR_DECRYPT;
    }
    *outlen = olen;
    return RLAB_OK;
}

/* Sign `in` (a digest, or the raw block) with the private key under `pad`:
 * k bytes to sig. */
static int bt_sign(const rlab_key *k, const char *pad, const struct rlab_rng *rng,
                   const uint8_t *in, size_t in_len, uint8_t *sig, size_t *sig_len)
{
    size_t cap = *sig_len, klen = rlab_key_size(k);
    *sig_len = 0;
    struct bt_key *bk = rlab_bt_key(k);
    botan_pk_op_sign_t op = NULL;
    struct bt_rng g;
    int rc = rlab_bt_rng_begin(&g, rng);
    if (rc != RLAB_OK)
        return rc;
    int r = botan_pk_op_sign_create(&op, bk->priv, pad, 0);
    size_t olen = cap;
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_pk_op_sign_update(op, in, in_len);
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_pk_op_sign_finish(op, g.rng, sig, &olen);
    if (op != NULL)
        botan_pk_op_sign_destroy(op);
    int failed = g.failed;
    rlab_bt_rng_end(&g);
    if (r != BOTAN_FFI_SUCCESS || olen != klen) {
        botan_scrub_mem(sig, cap < klen ? cap : klen);
        return rlab_bt_fail(failed ? RLAB_ERR_RNG : RLAB_ERR_BACKEND, pad, r);
    }
    *sig_len = klen;
    return RLAB_OK;
}

/* RLAB_OK when sig verifies over digest under `pad`, else RLAB_ERR_VERIFY. */
static int bt_verify(const rlab_key *k, const char *pad, const uint8_t *digest,
                     size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    struct bt_key *bk = rlab_bt_key(k);
    botan_pk_op_verify_t op = NULL;
    int r = botan_pk_op_verify_create(&op, bk->pub, pad, 0);
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_pk_op_verify_update(op, digest, digest_len);
    if (r == BOTAN_FFI_SUCCESS)
        r = botan_pk_op_verify_finish(op, sig, sig_len);
    if (op != NULL)
        botan_pk_op_verify_destroy(op);
    return r == BOTAN_FFI_SUCCESS ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* ---- OAEP --------------------------------------------------------------- */

static int bt_oaep_pad(const struct rlab_oaep_params *p, char *pad, size_t size)
{
    const char *h, *m;
    int rc = bt_hash(p->hash, &h);
    if (rc == RLAB_OK)
        rc = bt_hash(p->mgf1_hash, &m);
    if (rc != RLAB_OK)
        return rc;
    if (p->label_len > 0)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "Botan 2's FFI takes the OAEP label as text in the padding name");
    snprintf(pad, size, "OAEP(%s,MGF1(%s))", h, m);
    return RLAB_OK;
}

/* see backend.h */
int rlab_bt_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                         const struct rlab_rng *rng, const uint8_t *msg,
                         size_t msg_len, uint8_t *out, size_t *outlen)
{
    char pad[64];
    int rc = bt_oaep_pad(p, pad, sizeof pad);
    if (rc != RLAB_OK) {
        *outlen = 0;
        return rc;
    }
    return bt_encrypt(k, pad, rng, msg, msg_len, out, outlen);
}

/* see backend.h */
int rlab_bt_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                         const uint8_t *ct, size_t ct_len, uint8_t *out,
                         size_t *outlen)
{
    char pad[64];
    int rc = bt_oaep_pad(p, pad, sizeof pad);
    if (rc != RLAB_OK) {
        *outlen = 0;
        return rc;
    }
    return bt_decrypt(k, pad, ct, ct_len, out, outlen);
}

/* ---- PSS ---------------------------------------------------------------- */

static int bt_pss_pad(const struct rlab_pss_params *p, char *pad, size_t size)
{
    const char *h;
    int rc = bt_hash(p->hash, &h);
    if (rc != RLAB_OK)
        return rc;
    if (p->mgf1_hash != p->hash)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "Botan 2's PSS uses the signature hash for MGF1");
    if (p->salt_len == RLAB_PSS_SALT_AUTO)
        snprintf(pad, size, "PSSR_Raw(%s)", h);
    else
        snprintf(pad, size, "PSSR_Raw(%s,MGF1,%d)", h, p->salt_len);
    return RLAB_OK;
}

/* see backend.h */
int rlab_bt_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                     const struct rlab_rng *rng, const uint8_t *digest,
                     size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    char pad[64];
    int rc = bt_pss_pad(p, pad, sizeof pad);
    if (rc != RLAB_OK) {
        *sig_len = 0;
        return rc;
    }
    return bt_sign(k, pad, rng, digest, digest_len, sig, sig_len);
}

/* see backend.h */
int rlab_bt_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                       const uint8_t *digest, size_t digest_len,
                       const uint8_t *sig, size_t sig_len)
{
    char pad[64];
    int rc = bt_pss_pad(p, pad, sizeof pad);
    if (rc != RLAB_OK)
        return rc;
    return bt_verify(k, pad, digest, digest_len, sig, sig_len);
}

/* ---- PKCS#1 v1.5 -------------------------------------------------------- */

/* see backend.h */
int rlab_bt_pkcs1_sign(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                       size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    const char *h;
    char pad[64];
    int rc = bt_hash(hash, &h);
    if (rc != RLAB_OK) {
        *sig_len = 0;
        return rc;
    }
    snprintf(pad, sizeof pad, "EMSA_PKCS1(Raw,%s)", h);
    return bt_sign(k, pad, NULL, digest, digest_len, sig, sig_len);
}

/* see backend.h */
int rlab_bt_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len,
                         const uint8_t *sig, size_t sig_len)
{
    const char *h;
    char pad[64];
    int rc = bt_hash(hash, &h);
    if (rc != RLAB_OK)
        return rc;
    snprintf(pad, sizeof pad, "EMSA_PKCS1(Raw,%s)", h);
    return bt_verify(k, pad, digest, digest_len, sig, sig_len);
}

/* see backend.h; Botan draws each padding byte with next_nonzero_byte(),
 * one byte per request. */
int rlab_bt_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                          const uint8_t *msg, size_t msg_len, uint8_t *out,
                          size_t *outlen)
{
    return bt_encrypt(k, "PKCS1v15", rng, msg, msg_len, out, outlen);
}

/* see backend.h */
int rlab_bt_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len,
                          uint8_t *out, size_t *outlen)
{
    return bt_decrypt(k, "PKCS1v15", ct, ct_len, out, outlen);
}

/* ---- raw ---------------------------------------------------------------- */

/* Is in (k bytes) below n? */
static int bt_below_n(const struct bt_key *bk, const uint8_t *in, size_t len)
{
    botan_mp_t x = NULL, n = NULL;
    int ok = rlab_bt_mp_new(&x, in, len) == RLAB_OK && botan_mp_init(&n) == BOTAN_FFI_SUCCESS &&
             botan_pubkey_get_field(n, bk->pub, "n") == BOTAN_FFI_SUCCESS;
    int cmp = 0;
    ok = ok && botan_mp_cmp(&cmp, x, n) == BOTAN_FFI_SUCCESS && cmp < 0;
    if (x != NULL)
        botan_mp_destroy(x);
    if (n != NULL)
        botan_mp_destroy(n);
    return ok;
}

/* see backend.h */
int rlab_bt_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                       uint8_t *out, size_t *outlen)
{
    if (!bt_below_n(rlab_bt_key(k), in, in_len)) {
        *outlen = 0;
        return RLAB_ERR_RANGE;
    }
    return bt_encrypt(k, "Raw", NULL, in, in_len, out, outlen);
}

/* see backend.h */
int rlab_bt_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                        uint8_t *out, size_t *outlen)
{
    if (!bt_below_n(rlab_bt_key(k), in, in_len)) {
        *outlen = 0;
        return RLAB_ERR_RANGE;
    }
    return bt_sign(k, "Raw", NULL, in, in_len, out, outlen);
}
