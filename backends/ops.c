/* see ops.h */
#include "backends/ops.h"

#include "base/ct.h"

/* ---- shared checks ------------------------------------------------------- */

/* The slot and capability for q, as rlab_backend_check() decides them; the
 * reason goes to the error detail. */
static int ops_supported(const struct rlab_backend *be, const struct rlab_op_query *q)
{
    if (be == NULL)
        return RLAB_ERR_INVALID_ARG;
    const char *why = rlab_backend_check(be, q);
    return why == NULL ? RLAB_OK : rlab_error_set(RLAB_ERR_UNSUPPORTED, "%s", why);
}

/* The key is there and is this backend's. */
static int ops_key(const struct rlab_backend *be, const rlab_key *k, int need_private)
{
    if (k == NULL || (k->be != be && (be->parent == NULL || k->be != be->parent)) ||
        k->bits == 0)
        return RLAB_ERR_INVALID_ARG;
    if (need_private && !k->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    return RLAB_OK;
}

/* Output capacity out of *outlen, which is 0 from here on. */
static int ops_out(uint8_t *out, size_t *outlen, size_t *cap)
{
    *cap = 0;
    if (outlen == NULL)
        return RLAB_ERR_INVALID_ARG;
    *cap = *outlen;
    *outlen = 0;
    return out == NULL && *cap > 0 ? RLAB_ERR_INVALID_ARG : RLAB_OK;
}

static int ops_in(const uint8_t *in, size_t len)
{
    return in == NULL && len > 0 ? RLAB_ERR_INVALID_ARG : RLAB_OK;
}

static int ops_digest(rlab_hash h, const uint8_t *digest, size_t digest_len)
{
    size_t hl = rlab_hash_len(h);
    if (digest == NULL || hl == 0)
        return RLAB_ERR_INVALID_ARG;
    if (digest_len != hl)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "a %s digest is %zu bytes, got %zu",
                              rlab_hash_name(h), hl, digest_len);
    return RLAB_OK;
}

/* After a slot that wrote a private-key output: nothing of it survives a
 * failure. */
static int ops_secret_done(int rc, uint8_t *out, size_t cap, size_t *outlen)
{
    if (rc != RLAB_OK) {
        if (out != NULL)
            rlab_wipe(out, cap);
        *outlen = 0;
    }
    return rc;
}

static int ops_public_done(int rc, size_t *outlen)
{
    if (rc != RLAB_OK)
        *outlen = 0;
    return rc;
}

/* ---- keys ---------------------------------------------------------------- */

/* see ops.h */
int rlab_keygen(const struct rlab_backend *be, unsigned bits, unsigned long e,
                const struct rlab_rng *rng, rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits, .replay_rng = rng != NULL};
    int rc = ops_supported(be, &q);
    if (rc != RLAB_OK)
        return rc;
    if (e < 3 || (e & 1) == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "e must be odd and at least 3");
    return be->keygen(bits, e, rng, out);
}

/* see ops.h */
int rlab_keygen_primes(const struct rlab_backend *be, unsigned bits, unsigned primes,
                       unsigned long e, const struct rlab_rng *rng, rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    if (primes < 2)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "a key has at least 2 primes");
    if (primes == 2)
        return rlab_keygen(be, bits, e, rng, out);
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits, .primes = primes,
                              .replay_rng = rng != NULL};
    int rc = ops_supported(be, &q);
    if (rc != RLAB_OK)
        return rc;
    if (e < 3 || (e & 1) == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "e must be odd and at least 3");
    return be->keygen_multi(bits, primes, e, rng, out);
}

/* see ops.h */
int rlab_key_from_components(const struct rlab_backend *be,
                             const struct rlab_components *c, rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    struct rlab_op_query q = {.op = RLAB_OP_FROM_COMPONENTS};
    if (c != NULL && c->n_other > 0)
        q.primes = rlab_components_primes(c);
    int rc = ops_supported(be, &q);
    if (rc != RLAB_OK)
        return rc;
    if (c == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (c->n_other > RLAB_MAX_PRIMES - 2)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "at most %u primes", RLAB_MAX_PRIMES);
    return be->from_components(c, out);
}

/* see ops.h */
int rlab_key_to_components(const struct rlab_backend *be, const rlab_key *k,
                           struct rlab_components *out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = (struct rlab_components){0};
    struct rlab_op_query q = {.op = RLAB_OP_TO_COMPONENTS};
    int rc = ops_supported(be, &q);
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 0);
    if (rc != RLAB_OK)
        return rc;
    rc = be->to_components(k, out);
    if (rc != RLAB_OK)
        rlab_components_clear(out);
    return rc;
}

/* see ops.h */
int rlab_key_import(const struct rlab_backend *be, rlab_keyfmt fmt,
                    rlab_encoding enc, const uint8_t *in, size_t len,
                    rlab_key **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    struct rlab_op_query q = {.op = RLAB_OP_IMPORT};
    int rc = ops_supported(be, &q);
    if (rc == RLAB_OK)
        rc = ops_in(in, len);
    if (rc != RLAB_OK)
        return rc;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    return be->import(fmt, enc, in, len, out);
}

/* see ops.h */
int rlab_key_export(const struct rlab_backend *be, const rlab_key *k,
                    rlab_keyfmt fmt, rlab_encoding enc, struct rlab_buf *out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    out->data = NULL;
    out->len = 0;
    struct rlab_op_query q = {.op = RLAB_OP_EXPORT};
    int rc = ops_supported(be, &q);
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 0);
    if (rc != RLAB_OK)
        return rc;
    if ((unsigned)fmt >= RLAB_KEYFMT_COUNT || (enc != RLAB_ENC_DER && enc != RLAB_ENC_PEM))
        return RLAB_ERR_INVALID_ARG;
    if ((fmt == RLAB_KEYFMT_PKCS1_PRIV || fmt == RLAB_KEYFMT_PKCS8) && !k->has_private)
        return RLAB_ERR_KEY_NOT_PRIVATE;
    rc = be->export_key(k, fmt, enc, out);
    if (rc != RLAB_OK)
        rlab_buf_clear(out);
    return rc;
}

/* ---- encryption ---------------------------------------------------------- */

static int ops_oaep_params(const struct rlab_oaep_params *p)
{
    if (p == NULL || rlab_hash_len(p->hash) == 0 || rlab_hash_len(p->mgf1_hash) == 0 ||
        (p->label == NULL && p->label_len > 0))
        return RLAB_ERR_INVALID_ARG;
    return RLAB_OK;
}

static struct rlab_op_query oaep_query(rlab_op op, const struct rlab_oaep_params *p, int replay)
{
    struct rlab_op_query q = {.op = op, .hash = p->hash, .mgf1_hash = p->mgf1_hash,
                              .label_len = p->label_len, .replay_rng = replay};
    return q;
}

/* Longest OAEP plaintext, or 0 with *fits = 0 when the key is too small. */
static size_t oaep_room(const rlab_key *k, rlab_hash h, int *fits)
{
    size_t kb = rlab_key_size(k), hl = rlab_hash_len(h);
    *fits = kb >= 2 * hl + 2;
    return *fits ? kb - 2 * hl - 2 : 0;
}

/* see ops.h */
int rlab_oaep_encrypt(const struct rlab_backend *be, const rlab_key *k,
                      const struct rlab_oaep_params *p,
                      const struct rlab_rng *rng, const uint8_t *msg,
                      size_t msg_len, uint8_t *out, size_t *outlen)
{
    size_t cap;
    int rc = ops_out(out, outlen, &cap);
    if (rc == RLAB_OK)
        rc = ops_oaep_params(p);
    if (rc == RLAB_OK) {
        struct rlab_op_query q = oaep_query(RLAB_OP_OAEP_ENCRYPT, p, rng != NULL);
        rc = ops_supported(be, &q);
    }
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 0);
    if (rc == RLAB_OK)
        rc = ops_in(msg, msg_len);
    if (rc != RLAB_OK)
        return rc;
    if (cap < rlab_key_size(k))
        return RLAB_ERR_BUFFER_TOO_SMALL;
    int fits;
    size_t room = oaep_room(k, p->hash, &fits);
    if (!fits || msg_len > room)
        return rlab_error_set(RLAB_ERR_MSG_TOO_LONG,
                              "OAEP with %s carries at most %zu bytes with a %u-bit key",
                              rlab_hash_name(p->hash), room, k->bits);
    *outlen = cap;
    rc = be->oaep_encrypt(k, p, rng, msg, msg_len, out, outlen);
    return ops_public_done(rc, outlen);
}

/* see ops.h */
int rlab_pkcs1_encrypt(const struct rlab_backend *be, const rlab_key *k,
                       const struct rlab_rng *rng, const uint8_t *msg,
                       size_t msg_len, uint8_t *out, size_t *outlen)
{
    size_t cap;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_ENCRYPT, .replay_rng = rng != NULL};
    int rc = ops_out(out, outlen, &cap);
    if (rc == RLAB_OK)
        rc = ops_supported(be, &q);
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 0);
    if (rc == RLAB_OK)
        rc = ops_in(msg, msg_len);
    if (rc != RLAB_OK)
        return rc;
    size_t kb = rlab_key_size(k);
    if (cap < kb)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    if (kb < 11 || msg_len > kb - 11)
        return rlab_error_set(RLAB_ERR_MSG_TOO_LONG,
                              "v1.5 encryption carries at most %zu bytes with a %u-bit key",
                              kb < 11 ? 0 : kb - 11, k->bits);
    *outlen = cap;
    rc = be->pkcs1_encrypt(k, rng, msg, msg_len, out, outlen);
    return ops_public_done(rc, outlen);
}

/* ---- decryption ---------------------------------------------------------- */

/* see ops.h */
int rlab_oaep_decrypt(const struct rlab_backend *be, const rlab_key *k,
                      const struct rlab_oaep_params *p, const uint8_t *ct,
                      size_t ct_len, uint8_t *out, size_t *outlen)
{
    size_t cap;
    int rc = ops_out(out, outlen, &cap);
    if (rc == RLAB_OK)
        rc = ops_oaep_params(p);
    if (rc == RLAB_OK) {
        struct rlab_op_query q = oaep_query(RLAB_OP_OAEP_DECRYPT, p, 0);
        rc = ops_supported(be, &q);
    }
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 1);
    if (rc == RLAB_OK)
        rc = ops_in(ct, ct_len);
    if (rc != RLAB_OK)
        return rc;
    int fits;
    size_t room = oaep_room(k, p->hash, &fits);
    if (!fits)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "a %u-bit key is too small for OAEP with %s",
                              k->bits, rlab_hash_name(p->hash));
    /* Decided from public sizes alone, before anything about ct. */
    if (cap < room)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    rlab_wipe(out, cap);
    if (ct_len != rlab_key_size(k))
        return RLAB_ERR_DECRYPT;
    *outlen = cap;
    rc = be->oaep_decrypt(k, p, ct, ct_len, out, outlen);
    return ops_secret_done(rc, out, cap, outlen);
}

/* see ops.h */
int rlab_pkcs1_decrypt(const struct rlab_backend *be, const rlab_key *k,
                       const uint8_t *ct, size_t ct_len, uint8_t *out,
                       size_t *outlen)
{
    size_t cap;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_DECRYPT};
    int rc = ops_out(out, outlen, &cap);
    if (rc == RLAB_OK)
        rc = ops_supported(be, &q);
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 1);
    if (rc == RLAB_OK)
        rc = ops_in(ct, ct_len);
    if (rc != RLAB_OK)
        return rc;
    size_t kb = rlab_key_size(k);
    if (kb < 11)
        return RLAB_ERR_INVALID_ARG;
    if (cap < kb - 11)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    rlab_wipe(out, cap);
    if (ct_len != kb)
        return RLAB_ERR_DECRYPT;
    *outlen = cap;
    rc = be->pkcs1_decrypt(k, ct, ct_len, out, outlen);
    return ops_secret_done(rc, out, cap, outlen);
}

/* ---- signatures ---------------------------------------------------------- */

static int ops_pss_params(const struct rlab_pss_params *p)
{
    if (p == NULL || rlab_hash_len(p->hash) == 0 || rlab_hash_len(p->mgf1_hash) == 0)
        return RLAB_ERR_INVALID_ARG;
    if (p->salt_len < 0 && p->salt_len != RLAB_PSS_SALT_AUTO)
        return RLAB_ERR_INVALID_ARG;
    return RLAB_OK;
}

static struct rlab_op_query pss_query(rlab_op op, const struct rlab_pss_params *p, int replay)
{
    struct rlab_op_query q = {.op = op, .hash = p->hash, .mgf1_hash = p->mgf1_hash,
                              .salt_len = p->salt_len, .replay_rng = replay};
    return q;
}

/* see ops.h */
int rlab_pss_sign(const struct rlab_backend *be, const rlab_key *k,
                  const struct rlab_pss_params *p, const struct rlab_rng *rng,
                  const uint8_t *digest, size_t digest_len, uint8_t *sig,
                  size_t *sig_len)
{
    size_t cap;
    int rc = ops_out(sig, sig_len, &cap);
    if (rc == RLAB_OK)
        rc = ops_pss_params(p);
    if (rc == RLAB_OK && p->salt_len == RLAB_PSS_SALT_AUTO)
        rc = rlab_error_set(RLAB_ERR_INVALID_ARG, "signing needs an explicit salt length");
    if (rc == RLAB_OK) {
        struct rlab_op_query q = pss_query(RLAB_OP_PSS_SIGN, p, rng != NULL);
        rc = ops_supported(be, &q);
    }
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 1);
    if (rc == RLAB_OK)
        rc = ops_digest(p->hash, digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    size_t kb = rlab_key_size(k);
    if (cap < kb)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    /* RFC 8017 9.1.1: emLen >= hLen + sLen + 2, emLen = ceil((modBits-1)/8). */
    size_t em_len = ((size_t)k->bits - 1 + 7) / 8, hl = rlab_hash_len(p->hash);
    if (em_len < hl + 2 || (size_t)p->salt_len > em_len - hl - 2)
        return rlab_error_set(RLAB_ERR_MSG_TOO_LONG,
                              "a PSS salt of %d bytes is too long for a %u-bit key with %s "
                              "(at most %zu)", p->salt_len, k->bits, rlab_hash_name(p->hash),
                              em_len < hl + 2 ? 0 : em_len - hl - 2);
    *sig_len = cap;
    rc = be->pss_sign(k, p, rng, digest, digest_len, sig, sig_len);
    return ops_secret_done(rc, sig, cap, sig_len);
}

/* see ops.h */
int rlab_pss_verify(const struct rlab_backend *be, const rlab_key *k,
                    const struct rlab_pss_params *p, const uint8_t *digest,
                    size_t digest_len, const uint8_t *sig, size_t sig_len)
{
    int rc = ops_pss_params(p);
    if (rc == RLAB_OK) {
        struct rlab_op_query q = pss_query(RLAB_OP_PSS_VERIFY, p, 0);
        rc = ops_supported(be, &q);
    }
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 0);
    if (rc == RLAB_OK)
        rc = ops_digest(p->hash, digest, digest_len);
    if (rc == RLAB_OK)
        rc = ops_in(sig, sig_len);
    if (rc != RLAB_OK)
        return rc;
    if (sig_len != rlab_key_size(k))
        return RLAB_ERR_VERIFY;
    return be->pss_verify(k, p, digest, digest_len, sig, sig_len);
}

/* DigestInfo length for a v1.5 signature: the DER prefix and the digest. */
static size_t digestinfo_len(rlab_hash h)
{
    return rlab_hash_len(h) + (h == RLAB_HASH_SHA1 ? 15 : 19);
}

/* see ops.h */
int rlab_pkcs1_sign(const struct rlab_backend *be, const rlab_key *k,
                    rlab_hash hash, const uint8_t *digest, size_t digest_len,
                    uint8_t *sig, size_t *sig_len)
{
    size_t cap;
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_SIGN, .hash = hash};
    int rc = ops_out(sig, sig_len, &cap);
    if (rc == RLAB_OK)
        rc = ops_supported(be, &q);
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 1);
    if (rc == RLAB_OK)
        rc = ops_digest(hash, digest, digest_len);
    if (rc != RLAB_OK)
        return rc;
    size_t kb = rlab_key_size(k);
    if (cap < kb)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    if (kb < digestinfo_len(hash) + 11)
        return rlab_error_set(RLAB_ERR_MSG_TOO_LONG,
                              "a %s DigestInfo does not fit a v1.5 signature with a %u-bit key",
                              rlab_hash_name(hash), k->bits);
    *sig_len = cap;
    rc = be->pkcs1_sign(k, hash, digest, digest_len, sig, sig_len);
    return ops_secret_done(rc, sig, cap, sig_len);
}

/* see ops.h */
int rlab_pkcs1_verify(const struct rlab_backend *be, const rlab_key *k,
                      rlab_hash hash, const uint8_t *digest, size_t digest_len,
                      const uint8_t *sig, size_t sig_len)
{
    struct rlab_op_query q = {.op = RLAB_OP_PKCS1_VERIFY, .hash = hash};
    int rc = ops_supported(be, &q);
    if (rc == RLAB_OK)
        rc = ops_key(be, k, 0);
    if (rc == RLAB_OK)
        rc = ops_digest(hash, digest, digest_len);
    if (rc == RLAB_OK)
        rc = ops_in(sig, sig_len);
    if (rc != RLAB_OK)
        return rc;
    if (sig_len != rlab_key_size(k))
        return RLAB_ERR_VERIFY;
    return be->pkcs1_verify(k, hash, digest, digest_len, sig, sig_len);
}

/* ---- raw ----------------------------------------------------------------- */

static int ops_raw(const struct rlab_backend *be, rlab_op op, const rlab_key *k,
                   const uint8_t *in, size_t in_len, uint8_t *out, size_t *outlen,
                   size_t *cap)
{
    struct rlab_op_query q = {.op = op};
    int rc = ops_out(out, outlen, cap);
    if (rc == RLAB_OK)
        rc = ops_supported(be, &q);
    if (rc == RLAB_OK)
        rc = ops_key(be, k, op == RLAB_OP_RAW_PRIVATE);
    if (rc == RLAB_OK)
        rc = ops_in(in, in_len);
    if (rc != RLAB_OK)
        return rc;
    size_t kb = rlab_key_size(k);
    if (*cap < kb)
        return RLAB_ERR_BUFFER_TOO_SMALL;
    if (in_len != kb)
        return rlab_error_set(RLAB_ERR_RANGE, "raw input must be %zu bytes", kb);
    *outlen = *cap;
    return RLAB_OK;
}

/* see ops.h */
int rlab_raw_public(const struct rlab_backend *be, const rlab_key *k,
                    const uint8_t *in, size_t in_len, uint8_t *out,
                    size_t *outlen)
{
    size_t cap;
    int rc = ops_raw(be, RLAB_OP_RAW_PUBLIC, k, in, in_len, out, outlen, &cap);
    if (rc != RLAB_OK)
        return rc;
    rc = be->raw_public(k, in, in_len, out, outlen);
    return ops_public_done(rc, outlen);
}

/* see ops.h */
int rlab_raw_private(const struct rlab_backend *be, const rlab_key *k,
                     const uint8_t *in, size_t in_len, uint8_t *out,
                     size_t *outlen)
{
    size_t cap;
    int rc = ops_raw(be, RLAB_OP_RAW_PRIVATE, k, in, in_len, out, outlen, &cap);
    if (rc != RLAB_OK)
        return rc;
    rc = be->raw_private(k, in, in_len, out, outlen);
    return ops_secret_done(rc, out, cap, outlen);
}

/* ---- AES-GCM --------------------------------------------------------------- */

/* see ops.h */
int rlab_aead_new(const struct rlab_backend *be, const uint8_t *key,
                  size_t key_len, rlab_aead_ctx **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = key_len,
                              .aead_iv_len = 12, .aead_tag_len = 16};
    int rc = ops_supported(be, &q);
    if (rc != RLAB_OK)
        return rc;
    if (key == NULL)
        return RLAB_ERR_INVALID_ARG;
    return be->aead_new(key, key_len, out);
}

static int ops_gcm_args(const struct rlab_backend *be, const rlab_aead_ctx *c,
                        const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                        size_t aad_len, const uint8_t *in, size_t len, const void *out,
                        const void *tag, size_t tag_len)
{
    if (be == NULL || c == NULL || iv == NULL || tag == NULL ||
        (aad == NULL && aad_len > 0) || ((in == NULL || out == NULL) && len > 0))
        return RLAB_ERR_INVALID_ARG;
    if (tag_len < 4 || tag_len > RLAB_GCM_TAG_MAX)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "a GCM tag is 4 to 16 bytes");
    if (iv_len == 0)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "a GCM IV is not empty");
    struct rlab_op_query q = {.op = RLAB_OP_AEAD, .aead_key_len = 16,
                              .aead_iv_len = iv_len, .aead_tag_len = tag_len};
    return ops_supported(be, &q);
}

/* see ops.h */
int rlab_aead_seal(const struct rlab_backend *be, rlab_aead_ctx *c,
                   const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                   size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                   uint8_t *tag, size_t tag_len)
{
    int rc = ops_gcm_args(be, c, iv, iv_len, aad, aad_len, in, len, out, tag, tag_len);
    if (rc != RLAB_OK)
        return rc;
    return be->aead_seal(c, iv, iv_len, aad, aad_len, in, len, out, tag, tag_len);
}

/* see ops.h */
int rlab_aead_open(const struct rlab_backend *be, rlab_aead_ctx *c,
                   const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                   size_t aad_len, const uint8_t *in, size_t len,
                   const uint8_t *tag, size_t tag_len, uint8_t *out)
{
    int rc = ops_gcm_args(be, c, iv, iv_len, aad, aad_len, in, len, out, tag, tag_len);
    if (rc != RLAB_OK)
        return rc;
    rc = be->aead_open(c, iv, iv_len, aad, aad_len, in, len, tag, tag_len, out);
    if (rc != RLAB_OK && out != NULL)
        rlab_wipe(out, len);
    return rc;
}

/* see ops.h */
void rlab_aead_free(const struct rlab_backend *be, rlab_aead_ctx *c)
{
    if (be != NULL && c != NULL && be->aead_free != NULL)
        be->aead_free(c);
}

/* ---- hashes ---------------------------------------------------------------- */

/* see ops.h */
int rlab_hash_new(const struct rlab_backend *be, rlab_hash h, rlab_hash_ctx **out)
{
    if (out == NULL)
        return RLAB_ERR_INVALID_ARG;
    *out = NULL;
    struct rlab_op_query q = {.op = RLAB_OP_HASH, .hash = h};
    int rc = ops_supported(be, &q);
    if (rc != RLAB_OK)
        return rc;
    return be->hash_new(h, out);
}

/* see ops.h */
int rlab_hash_update(const struct rlab_backend *be, rlab_hash_ctx *c,
                     const uint8_t *p, size_t len)
{
    if (be == NULL || c == NULL || (p == NULL && len > 0))
        return RLAB_ERR_INVALID_ARG;
    return be->hash_update(c, p, len);
}

/* see ops.h */
int rlab_hash_final(const struct rlab_backend *be, rlab_hash_ctx *c, uint8_t *out)
{
    if (be == NULL || c == NULL || out == NULL) {
        rlab_hash_free(be, c);
        return RLAB_ERR_INVALID_ARG;
    }
    return be->hash_final(c, out);
}

/* see ops.h */
int rlab_hash_final_xof(const struct rlab_backend *be, rlab_hash_ctx *c, uint8_t *out,
                        size_t out_len)
{
    if (be == NULL || c == NULL || (out == NULL && out_len > 0)) {
        rlab_hash_free(be, c);
        return RLAB_ERR_INVALID_ARG;
    }
    if (be->hash_final_xof == NULL) {
        rlab_hash_free(be, c);
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "%s: SHAKE output only at its RFC 8702 length", be->name);
    }
    return be->hash_final_xof(c, out, out_len);
}

/* see ops.h */
void rlab_hash_free(const struct rlab_backend *be, rlab_hash_ctx *c)
{
    if (be != NULL && c != NULL && be->hash_free != NULL)
        be->hash_free(c);
}
