/*
 * RSA operations of the libtomcrypt backend: OAEP and v1.5 encryption
 * (rsa_encrypt_key_ex / rsa_decrypt_key_ex), PSS and v1.5 signatures
 * (rsa_sign_hash_ex / rsa_verify_hash_ex), raw rsa_exptmod.  Contracts in
 * backends/backend.h; ops.c has already checked sizes, key types and
 * capabilities (see backends/ops.h), so the slots only convert.
 *
 * Private operations: rsa_exptmod blinds (LTC_RSA_BLINDING: a random r from
 * ltc_mp.rand, i.e. libtommath's mp_rand over the operating system's
 * generator, never the caller's), runs CRT, and checks the result with the
 * public exponent before release (LTC_RSA_CRT_HARDENING).  The arithmetic is
 * libtommath's, which is not constant time; blinding is what stands between
 * the exponent and the timing of mp_exptmod.
 *
 * Known weakness kept, reported in docs/BACKENDS.md (libtomcrypt): 1.18's OAEP
 * decoder leaves early and scans for the separator with a data-dependent
 * loop, so its timing depends on the padding.  Our error codes reveal
 * nothing: every failure is RLAB_ERR_DECRYPT with the output wiped.  v1.5
 * decryption does not use the library's decoder at all (ltc_unpad.c).
 *
 * What 1.18 cannot express: one hash_idx serves as the OAEP label hash and
 * the MGF1 hash, and as the PSS hash and MGF1 hash (no RLAB_CAP_*_MGF1).
 *
 * Every pointer handed to libtomcrypt is non-NULL: its LTC_ARGCHK aborts the
 * process on a NULL argument, even for empty inputs.
 */
#include <string.h>

#include <tommath.h>

#include "backends/libtomcrypt/ltc_internal.h"

static const uint8_t *ltc_nonnull(const uint8_t *p)
{
    static const uint8_t zero;
    return p != NULL ? p : &zero;
}

/* hash_descriptor index for one hash (and an MGF1 hash that must match). */
static int ltc_hash(rlab_hash h, rlab_hash mgf1, int *idx)
{
    *idx = rlab_ltc_hash_idx(h);
    if (*idx < 0)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED, "libtomcrypt: no %s", rlab_hash_name(h));
    if (mgf1 != h)
        return rlab_error_set(RLAB_ERR_UNSUPPORTED,
                              "libtomcrypt 1.18 uses one hash for the padding and MGF1");
    return RLAB_OK;
}

static int ltc_private_fail(const char *what, int err, const struct ltc_rng *g)
{
    if (g != NULL && g->failed)
        return rlab_ltc_fail(RLAB_ERR_RNG, what, err);
    /* CRYPT_ERROR is what LTC_RSA_CRT_HARDENING returns on a bad result. */
    return rlab_ltc_fail(err == CRYPT_ERROR ? RLAB_ERR_FAULT : RLAB_ERR_BACKEND, what, err);
}

/* End of an operation that wrote k bytes to out (encryption, signing, raw):
 * on failure out is wiped. */
static int ltc_done(int err, int rc_fail, uint8_t *out, size_t klen, unsigned long olen,
                    size_t *outlen)
{
    if (rc_fail != RLAB_OK || err != CRYPT_OK || olen != klen) {
        zeromem(out, klen);
        return rc_fail != RLAB_OK ? rc_fail : RLAB_ERR_BACKEND;
    }
    *outlen = klen;
    return RLAB_OK;
}

/* Room libtomcrypt may write when decrypting: min(cap, k), wiped first. */
static size_t ltc_room(const rlab_key *k, uint8_t *out, size_t cap)
{
    size_t klen = rlab_key_size(k), room = cap < klen ? cap : klen;
    zeromem(out, room);
    return room;
}

/* End of a decryption: every failure is RLAB_ERR_DECRYPT, out wiped, no
 * detail. */
static int ltc_decrypt_done(int err, int stat, uint8_t *out, size_t room,
                            unsigned long olen, size_t *outlen)
{
    if (err != CRYPT_OK || stat != 1 || olen > room) {
        zeromem(out, room);
        rlab_error_clear();
        return RLAB_ERR_DECRYPT;
    }
    *outlen = olen;
    return RLAB_OK;
}

/* ---- OAEP --------------------------------------------------------------- */

/* see backend.h */
int rlab_ltc_oaep_encrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                          const struct rlab_rng *rng, const uint8_t *msg,
                          size_t msg_len, uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, klen = rlab_key_size(k);
    *outlen = 0;
    struct ltc_key *lk = rlab_ltc_key(k);
    int idx, rc = ltc_hash(p->hash, p->mgf1_hash, &idx);
    if (rc != RLAB_OK)
        return rc;
    struct ltc_rng g;
    unsigned long olen = (unsigned long)cap;
    rlab_ltc_rng_begin(&g, rng);
    int err = rsa_encrypt_key_ex(ltc_nonnull(msg), msg_len, out, &olen,
                                 p->label_len > 0 ? p->label : NULL, p->label_len, &g.state,
                                 g.idx, idx, LTC_PKCS_1_OAEP, &lk->rsa);
    rlab_ltc_rng_end(&g);
    if (err != CRYPT_OK)
        rc = rlab_ltc_fail(g.failed ? RLAB_ERR_RNG : RLAB_ERR_BACKEND, "rsa_encrypt_key_ex",
                           err);
    return ltc_done(err, rc, out, klen, olen, outlen);
}

/* see backend.h */
int rlab_ltc_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                          const uint8_t *ct, size_t ct_len, uint8_t *out,
                          size_t *outlen)
{
    size_t cap = *outlen;
    *outlen = 0;
    struct ltc_key *lk = rlab_ltc_key(k);
    int idx, rc = ltc_hash(p->hash, p->mgf1_hash, &idx);
    if (rc != RLAB_OK)
        return rc;
    size_t room = ltc_room(k, out, cap);
    unsigned long olen = (unsigned long)room;
    int stat = 0;
    int err = rsa_decrypt_key_ex(ct, ct_len, out, &olen, p->label_len > 0 ? p->label : NULL,
                                 p->label_len, idx, LTC_PKCS_1_OAEP, &stat, &lk->rsa);
    return ltc_decrypt_done(err, stat, out, room, olen, outlen);
}

/* ---- PSS ---------------------------------------------------------------- */

/* see backend.h */
int rlab_ltc_pss_sign(const rlab_key *k, const struct rlab_pss_params *p,
                      const struct rlab_rng *rng, const uint8_t *digest,
                      size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    size_t cap = *sig_len, klen = rlab_key_size(k);
    *sig_len = 0;
    struct ltc_key *lk = rlab_ltc_key(k);
    int idx, rc = ltc_hash(p->hash, p->mgf1_hash, &idx);
    if (rc != RLAB_OK)
        return rc;
    /* The salt is the only thing pkcs_1_pss_encode draws from the
     * generator; blinding in rsa_exptmod uses ltc_mp.rand. */
    struct ltc_rng g;
    unsigned long olen = (unsigned long)cap;
    rlab_ltc_rng_begin(&g, rng);
    int err = rsa_sign_hash_ex(digest, digest_len, sig, &olen, LTC_PKCS_1_PSS, &g.state,
                               g.idx, idx, (unsigned long)p->salt_len, &lk->rsa);
    rlab_ltc_rng_end(&g);
    if (err != CRYPT_OK)
        rc = ltc_private_fail("rsa_sign_hash_ex", err, &g);
    return ltc_done(err, rc, sig, klen, olen, sig_len);
}

/*
 * The salt length of a PSS signature, for verification with
 * RLAB_PSS_SALT_AUTO (rsa_verify_hash_ex wants it given): open the
 * signature, unmask DB with the library's MGF1 and find the 0x01 that ends
 * the zero padding (RFC 8017 9.1.2 steps 7 to 10).  The full verification
 * is then rsa_verify_hash_ex's, with the length found.  Public data only.
 */
static int ltc_pss_salt_len(struct ltc_key *lk, int idx, const uint8_t *sig, size_t klen,
                            unsigned long *salt)
{
    size_t hlen = hash_descriptor[idx].hashsize;
    unsigned em_bits = lk->base.bits - 1;
    size_t em_len = (em_bits + 7) / 8;
    if (em_len < hlen + 2)
        return RLAB_ERR_VERIFY;
    uint8_t em[2048], mask[2048];
    unsigned long olen = sizeof em;
    if (klen > sizeof em ||
        rsa_exptmod(sig, klen, em, &olen, PK_PUBLIC, &lk->rsa) != CRYPT_OK || olen != klen)
        return RLAB_ERR_VERIFY;
    const uint8_t *e = em + (klen - em_len); /* a leading zero byte when k > emLen */
    size_t db_len = em_len - hlen - 1;
    if (pkcs_1_mgf1(idx, e + db_len, hlen, mask, db_len) != CRYPT_OK)
        return RLAB_ERR_VERIFY;
    for (size_t i = 0; i < db_len; i++)
        mask[i] ^= e[i];
    mask[0] &= (uint8_t)(0xff >> (8 * em_len - em_bits));
    size_t i = 0;
    while (i < db_len && mask[i] == 0)
        i++;
    if (i == db_len || mask[i] != 0x01)
        return RLAB_ERR_VERIFY;
    *salt = (unsigned long)(db_len - i - 1);
    return RLAB_OK;
}

/* see backend.h */
int rlab_ltc_pss_verify(const rlab_key *k, const struct rlab_pss_params *p,
                        const uint8_t *digest, size_t digest_len,
                        const uint8_t *sig, size_t sig_len)
{
    struct ltc_key *lk = rlab_ltc_key(k);
    int idx, rc = ltc_hash(p->hash, p->mgf1_hash, &idx);
    if (rc != RLAB_OK)
        return rc;
    unsigned long salt = (unsigned long)p->salt_len;
    if (p->salt_len == RLAB_PSS_SALT_AUTO &&
        ltc_pss_salt_len(lk, idx, sig, sig_len, &salt) != RLAB_OK)
        return RLAB_ERR_VERIFY;
    int stat = 0;
    int err = rsa_verify_hash_ex(sig, sig_len, digest, digest_len, LTC_PKCS_1_PSS, idx, salt,
                                 &stat, &lk->rsa);
    return err == CRYPT_OK && stat == 1 ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* ---- PKCS#1 v1.5 -------------------------------------------------------- */

/* DigestInfo of `digest` (RFC 8017 9.2 note 1) into di; its length. */
static size_t ltc_digestinfo(rlab_hash h, const uint8_t *digest, uint8_t di[83])
{
    static const uint8_t sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                   0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
    /* SHA-2: 2.16.840.1.101.3.4.2.<arc> */
    static const uint8_t arc[RLAB_HASH_COUNT] = {
        [RLAB_HASH_SHA224] = 4, [RLAB_HASH_SHA256] = 1,     [RLAB_HASH_SHA384] = 2,
        [RLAB_HASH_SHA512] = 3, [RLAB_HASH_SHA512_224] = 5, [RLAB_HASH_SHA512_256] = 6};
    size_t hlen = rlab_hash_len(h), n;
    if (h == RLAB_HASH_SHA1) {
        memcpy(di, sha1, sizeof sha1);
        n = sizeof sha1;
    } else {
        const uint8_t pre[19] = {0x30, (uint8_t)(0x11 + hlen), 0x30, 0x0d, 0x06, 0x09, 0x60,
                                 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, arc[h],
                                 0x05, 0x00, 0x04, (uint8_t)hlen};
        memcpy(di, pre, sizeof pre);
        n = sizeof pre;
    }
    memcpy(di + n, digest, hlen);
    return n + hlen;
}

/* see backend.h */
int rlab_ltc_pkcs1_sign(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                        size_t digest_len, uint8_t *sig, size_t *sig_len)
{
    size_t cap = *sig_len, klen = rlab_key_size(k);
    *sig_len = 0;
    struct ltc_key *lk = rlab_ltc_key(k);
    int idx, rc = ltc_hash(hash, hash, &idx);
    if (rc != RLAB_OK)
        return rc;
    /* rsa_sign_hash_ex builds the DigestInfo from the descriptor's OID; v1.5
     * draws nothing from the generator, but the library wants a valid one. */
    struct ltc_rng g;
    unsigned long olen = (unsigned long)cap;
    rlab_ltc_rng_begin(&g, NULL);
    int err = rsa_sign_hash_ex(digest, digest_len, sig, &olen, LTC_PKCS_1_V1_5, &g.state,
                               g.idx, idx, 0, &lk->rsa);
    rlab_ltc_rng_end(&g);
    if (err != CRYPT_OK)
        rc = ltc_private_fail("rsa_sign_hash_ex", err, NULL);
    return ltc_done(err, rc, sig, klen, olen, sig_len);
}

/*
 * see backend.h
 *
 * Not rsa_verify_hash_ex: for v1.5 it DER-decodes the DigestInfo it finds
 * in the block (accepting what its decoder accepts).  Here the expected
 * block is encoded with the library (pkcs_1_v1_5_encode) and compared with
 * the opened signature, every byte, with mem_neq.
 */
int rlab_ltc_pkcs1_verify(const rlab_key *k, rlab_hash hash,
                          const uint8_t *digest, size_t digest_len,
                          const uint8_t *sig, size_t sig_len)
{
    struct ltc_key *lk = rlab_ltc_key(k);
    int idx, rc = ltc_hash(hash, hash, &idx);
    if (rc != RLAB_OK)
        return rc;
    size_t klen = rlab_key_size(k);
    uint8_t di[83], want[2048], got[2048];
    if (digest_len != rlab_hash_len(hash) || sig_len != klen || klen > sizeof want)
        return RLAB_ERR_VERIFY;
    size_t di_len = ltc_digestinfo(hash, digest, di);
    unsigned long wlen = sizeof want, glen = sizeof got;
    if (pkcs_1_v1_5_encode(di, di_len, LTC_PKCS_1_EMSA, lk->base.bits, NULL, 0, want,
                           &wlen) != CRYPT_OK ||
        rsa_exptmod(sig, sig_len, got, &glen, PK_PUBLIC, &lk->rsa) != CRYPT_OK ||
        wlen != klen || glen != klen)
        return RLAB_ERR_VERIFY;
    return mem_neq(want, got, klen) == 0 ? RLAB_OK : RLAB_ERR_VERIFY;
}

/* see backend.h */
int rlab_ltc_pkcs1_encrypt(const rlab_key *k, const struct rlab_rng *rng,
                           const uint8_t *msg, size_t msg_len, uint8_t *out,
                           size_t *outlen)
{
    size_t cap = *outlen, klen = rlab_key_size(k);
    *outlen = 0;
    struct ltc_key *lk = rlab_ltc_key(k);
    /* The padding string is drawn in one read, then each zero byte is
     * redrawn one byte at a time. */
    struct ltc_rng g;
    unsigned long olen = (unsigned long)cap;
    rlab_ltc_rng_begin(&g, rng);
    int err = rsa_encrypt_key_ex(ltc_nonnull(msg), msg_len, out, &olen, NULL, 0, &g.state,
                                 g.idx, rlab_ltc_hash_idx(RLAB_HASH_SHA256), LTC_PKCS_1_V1_5,
                                 &lk->rsa);
    rlab_ltc_rng_end(&g);
    int rc = RLAB_OK;
    if (err != CRYPT_OK)
        rc = rlab_ltc_fail(g.failed ? RLAB_ERR_RNG : RLAB_ERR_BACKEND, "rsa_encrypt_key_ex",
                           err);
    return ltc_done(err, rc, out, klen, olen, outlen);
}

/* ---- raw ---------------------------------------------------------------- */

/* Is in (k bytes) below n?  rsa_exptmod only refuses values above n. */
static int ltc_below_n(struct ltc_key *lk, const uint8_t *in, size_t len)
{
    mp_int x;
    if (mp_init(&x) != MP_OKAY)
        return 0;
    int ok = mp_from_ubin(&x, in, len) == MP_OKAY && mp_cmp(&x, lk->rsa.N) == MP_LT;
    mp_clear(&x);
    return ok;
}

static int ltc_raw(const rlab_key *k, int which, const uint8_t *in, size_t in_len,
                   uint8_t *out, size_t *outlen)
{
    size_t cap = *outlen, klen = rlab_key_size(k);
    *outlen = 0;
    struct ltc_key *lk = rlab_ltc_key(k);
    if (!ltc_below_n(lk, in, in_len))
        return RLAB_ERR_RANGE;
    unsigned long olen = (unsigned long)cap;
    int err = rsa_exptmod(in, in_len, out, &olen, which, &lk->rsa);
    int rc = RLAB_OK;
    if (err != CRYPT_OK)
        rc = which == PK_PRIVATE ? ltc_private_fail("rsa_exptmod", err, NULL)
                                 : rlab_ltc_fail(RLAB_ERR_BACKEND, "rsa_exptmod", err);
    return ltc_done(err, rc, out, klen, olen, outlen);
}

/* see backend.h */
int rlab_ltc_raw_public(const rlab_key *k, const uint8_t *in, size_t in_len,
                        uint8_t *out, size_t *outlen)
{
    return ltc_raw(k, PK_PUBLIC, in, in_len, out, outlen);
}

/* see backend.h */
int rlab_ltc_raw_private(const rlab_key *k, const uint8_t *in, size_t in_len,
                         uint8_t *out, size_t *outlen)
{
    return ltc_raw(k, PK_PRIVATE, in, in_len, out, outlen);
}
