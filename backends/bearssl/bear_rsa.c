/*
 * RSA operations of the BearSSL backend: OAEP, PKCS#1 v1.5 signatures and
 * the raw primitives, through the implementations BearSSL picks for this CPU
 * (br_rsa_*_get_default: i62 on x86-64, else i31).  Contracts in
 * backends/backend.h; ops.c has already checked sizes, hashes and keys.
 *
 * How private operations are protected: BearSSL does not blind.  Its
 * private operation is written to be constant-time instead (Montgomery
 * arithmetic on fixed-size limb arrays, a fixed-window exponentiation that
 * reads every table entry, no secret-dependent branch or memory index), and
 * its OAEP decoding checks the padding without a secret-dependent branch
 * until the verdict.  BearSSL does not check its CRT result either, so every
 * private result here (signatures, raw private) is run through the public
 * exponent and compared with what went in before it is released (the
 * Bellcore fault attack on CRT); a mismatch is RLAB_ERR_FAULT with the
 * output wiped.
 *
 * What BearSSL 0.6 lacks: PSS (added after 0.6), PKCS#1 v1.5 encryption and
 * general v1.5 decryption (only br_rsa_ssl_decrypt, which insists on a
 * 48-byte TLS premaster secret), SHA-512/224 and SHA-512/256, and an OAEP
 * MGF1 hash apart from the label hash (one br_hash_class serves both).
 * Those slots are NULL or the caps unset (bearssl.c).
 */
#include <string.h>

#include "base/ct.h"
#include "backends/bearssl/bear_internal.h"

#define BEAR_MAXK (RLAB_BEAR_MAX_BITS / 8)

/* Empty inputs may come as NULL; BearSSL may memcpy from them. */
static const void *bear_nonnull(const void *p)
{
    static const uint8_t zero;
    return p != NULL ? p : &zero;
}

static const br_hash_class *bear_hash(rlab_hash h, rlab_hash mgf1)
{
    if (mgf1 != h) {
        rlab_error_set(RLAB_ERR_UNSUPPORTED,
                       "BearSSL uses one hash for the OAEP label and MGF1");
        return NULL;
    }
    const br_hash_class *hc = rlab_bear_hash_class(h);
    if (hc == NULL)
        rlab_error_set(RLAB_ERR_UNSUPPORTED, "BearSSL has no %s", rlab_hash_name(h));
    return hc;
}

/* see bear_internal.h */
int rlab_bear_public_op(const struct bear_key *bk, uint8_t *x, size_t len)
{
    return rlab_bear_impl.pub(x, len, &bk->pk) == 1;
}

/* Is in (k bytes) below n (k bytes, minimal)?  Public values. */
static int bear_below_n(const struct bear_key *bk, const uint8_t *in, size_t len)
{
    return len == bk->c.n.len && memcmp(in, bk->c.n.data, len) < 0;
}

/* ---- OAEP --------------------------------------------------------------- */

/* see backend.h */
int rlab_bear_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const struct rlab_rng *rng, const uint8_t *msg,
                           size_t msg_len, uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, klen = rlab_key_size(k);
    *outlen = 0;
    struct bear_key *bk = rlab_bear_key(k);
    if (bk == NULL)
        return RLAB_ERR_INVALID_ARG;
    const br_hash_class *hc = bear_hash(p->hash, p->mgf1_hash);
    if (hc == NULL)
        return RLAB_ERR_UNSUPPORTED;
    struct bear_rng r;
    rlab_bear_rng_setup(&r, rng);
    size_t n = rlab_bear_impl.oaep_enc(&r.vtable, hc, p->label, p->label_len, &bk->pk, out,
                                       cap, bear_nonnull(msg), msg_len);
    if (n != klen || r.failed) {
        rlab_wipe(out, cap < klen ? cap : klen);
        return r.failed ? rlab_error_set(RLAB_ERR_RNG, "the caller's generator failed")
                        : rlab_error_set(RLAB_ERR_BACKEND, "br_rsa_oaep_encrypt failed");
    }
    *outlen = klen;
    return RLAB_OK;
}

/* see backend.h */
int rlab_bear_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                           const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen)
{
    size_t cap = *outlen;
    *outlen = 0;
    struct bear_key *bk = rlab_bear_key(k);
    if (bk == NULL || ct_len != rlab_key_size(k) || ct_len > BEAR_MAXK)
        return RLAB_ERR_DECRYPT;
    const br_hash_class *hc = bear_hash(p->hash, p->mgf1_hash);
    if (hc == NULL)
        return RLAB_ERR_UNSUPPORTED;
    uint8_t buf[BEAR_MAXK];
    size_t len = ct_len;
    memcpy(buf, ct, ct_len);
    /* BearSSL checks the length, the range and the padding together and
     * answers 1 or 0; only then do we branch (on the verdict alone). */
    uint32_t ok = rlab_bear_impl.oaep_dec(hc, p->label, p->label_len, &bk->sk, buf, &len);
    int rc = RLAB_ERR_DECRYPT;
    if (ok == 1 && len <= cap) {
        memcpy(out, buf, len);
        *outlen = len;
        rc = RLAB_OK;
    }
    rlab_wipe(buf, sizeof buf);
    return rc;
}

/* ---- PKCS#1 v1.5 signatures --------------------------------------------- */

/* see backend.h */
int rlab_bear_pkcs1_sign(const rlab_key *k, rlab_hash hash,
                         const uint8_t *digest, size_t digest_len, uint8_t *sig,
                         size_t *sig_len)
{
    size_t klen = rlab_key_size(k);
    *sig_len = 0;
    struct bear_key *bk = rlab_bear_key(k);
    const unsigned char *oid = rlab_bear_hash_oid(hash);
    if (bk == NULL || oid == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (!rlab_bear_impl.pkcs1_sign(oid, digest, digest_len, &bk->sk, sig)) {
        rlab_wipe(sig, klen);
        return rlab_error_set(RLAB_ERR_BACKEND, "br_rsa_pkcs1_sign failed");
    }
    /* The fault check: the signature must verify before it leaves. */
    uint8_t h[RLAB_HASH_MAX_LEN];
    if (!rlab_bear_impl.pkcs1_vrfy(sig, klen, oid, digest_len, &bk->pk, h) ||
        !rlab_ct_equal(h, digest, digest_len)) {
        rlab_wipe(sig, klen);
        return rlab_error_set(RLAB_ERR_FAULT, "the signature does not verify");
    }
    *sig_len = klen;
    return RLAB_OK;
}

/* see backend.h */
int rlab_bear_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len)
{
    struct bear_key *bk = rlab_bear_key(k);
    const unsigned char *oid = rlab_bear_hash_oid(hash);
    if (bk == NULL || oid == NULL)
        return RLAB_ERR_INVALID_ARG;
    /* br_rsa_pkcs1_vrfy checks the padding and the DigestInfo for `oid`
     * and hands back the hash inside, which we compare. */
    uint8_t h[RLAB_HASH_MAX_LEN];
    if (!rlab_bear_impl.pkcs1_vrfy(sig, sig_len, oid, digest_len, &bk->pk, h))
        return RLAB_ERR_VERIFY;
    return memcmp(h, digest, digest_len) == 0 ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* ---- raw ---------------------------------------------------------------- */

/* see backend.h */
int rlab_bear_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen)
{
    *outlen = 0;
    struct bear_key *bk = rlab_bear_key(k);
    if (bk == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (!bear_below_n(bk, in, in_len))
        return RLAB_ERR_RANGE;
    memmove(out, in, in_len);
    if (!rlab_bear_public_op(bk, out, in_len)) {
        rlab_wipe(out, in_len);
        return rlab_error_set(RLAB_ERR_BACKEND, "br_rsa_public failed");
    }
    *outlen = in_len;
    return RLAB_OK;
}

/* see backend.h */
int rlab_bear_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                          uint8_t *out, size_t *outlen)
{
    *outlen = 0;
    struct bear_key *bk = rlab_bear_key(k);
    if (bk == NULL || in_len > BEAR_MAXK)
        return RLAB_ERR_INVALID_ARG;
    if (!bear_below_n(bk, in, in_len))
        return RLAB_ERR_RANGE;
    uint8_t x[BEAR_MAXK], y[BEAR_MAXK];
    memcpy(x, in, in_len);
    int rc = RLAB_OK;
    if (!rlab_bear_impl.priv(x, &bk->sk)) {
        rc = rlab_error_set(RLAB_ERR_BACKEND, "br_rsa_private failed");
    } else {
        memcpy(y, x, in_len);
        if (!rlab_bear_public_op(bk, y, in_len) || !rlab_ct_equal(y, in, in_len))
            rc = rlab_error_set(RLAB_ERR_FAULT, "x^d^e != x");
    }
    if (rc == RLAB_OK) {
        memcpy(out, x, in_len);
        *outlen = in_len;
    }
    rlab_wipe(x, sizeof x);
    rlab_wipe(y, sizeof y);
    return rc;
}
