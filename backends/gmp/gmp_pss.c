/*
 * EMSA-PSS (RFC 8017 9.1.1 and 9.1.2).  See gmp_pad.h.
 *
 * emBits = modBits - 1 keeps the encoded integer below the modulus: the
 * leftmost 8*emLen - emBits bits of EM are forced to zero on encoding and
 * must be zero on verification.  When modBits = 1 mod 8 that is a whole
 * byte, so emLen = k - 1 and the caller supplies the leading zero octet.
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_hash.h"
#include "backends/gmp/gmp_pad.h"

/* H = Hash(0x00 x 8 || mHash || salt). */
static void pss_hash(rlab_hash h, const uint8_t *mhash, size_t hlen,
                     const uint8_t *salt, size_t salt_len, uint8_t *out)
{
    static const uint8_t zeros[8] = {0};
    struct rlab_gmp_hash c;
    rlab_gmp_hash_init(&c, h);
    rlab_gmp_hash_update(&c, zeros, sizeof zeros);
    rlab_gmp_hash_update(&c, mhash, hlen);
    rlab_gmp_hash_update(&c, salt, salt_len);
    rlab_gmp_hash_final(&c, out);
}

/* SHAKE as hash and SHAKE as mask go together, the same SHAKE (RFC 8702). */
static int pss_hashes_ok(const struct rlab_pss_params *p)
{
    if (rlab_hash_is_xof(p->hash) || rlab_hash_is_xof(p->mgf1_hash))
        return p->hash == p->mgf1_hash;
    return p->hash != RLAB_HASH_NONE && rlab_gmp_hash_len(p->hash) != 0 &&
           p->mgf1_hash != RLAB_HASH_NONE && rlab_gmp_hash_len(p->mgf1_hash) != 0;
}

/* db ^= mask(H): MGF1 with the MGF1 hash, or the SHAKE itself. */
static int pss_mask_xor(rlab_hash mgf, const uint8_t *h, size_t hlen, uint8_t *db,
                        size_t db_len)
{
    if (rlab_hash_is_xof(mgf))
        return rlab_gmp_shake_xor(mgf, h, hlen, db, db_len);
    return rlab_gmp_mgf1_xor(mgf, h, hlen, db, db_len);
}

int rlab_gmp_pss_encode(const struct rlab_pss_params *p,
                        const struct rlab_rng *rng, const uint8_t *digest,
                        size_t digest_len, uint8_t *em, size_t em_bits)
{
    if (p == NULL || digest == NULL || em == NULL)
        return RLAB_ERR_INVALID_ARG;
    if (!pss_hashes_ok(p))
        return RLAB_ERR_UNSUPPORTED;
    size_t hlen = rlab_gmp_hash_len(p->hash);
    if (digest_len != hlen || p->salt_len < 0)
        return RLAB_ERR_INVALID_ARG;
    size_t slen = (size_t)p->salt_len;
    size_t em_len = (em_bits + 7) / 8;
    if (em_bits == 0 || em_len < hlen + 2 || em_len - hlen - 2 < slen)
        return RLAB_ERR_MSG_TOO_LONG;

    /* EM = maskedDB || H || 0xbc with DB = PS || 0x01 || salt; the salt is
     * drawn straight into its place in DB. */
    size_t db_len = em_len - hlen - 1;
    uint8_t *salt = em + db_len - slen;
    uint8_t *hash = em + db_len;
    memset(em, 0, db_len - slen - 1);
    em[db_len - slen - 1] = 0x01;
    int rc = rlab_gmp_random(rng, salt, slen);
    if (rc != RLAB_OK)
        goto fail;
    pss_hash(p->hash, digest, hlen, salt, slen, hash);
    rc = pss_mask_xor(p->mgf1_hash, hash, hlen, em, db_len);
    if (rc != RLAB_OK)
        goto fail;
    em[0] &= (uint8_t)(0xffu >> (8 * em_len - em_bits));
    em[em_len - 1] = 0xbc;
    return RLAB_OK;

fail:
    rlab_wipe(em, em_len);
    return rc;
}

int rlab_gmp_pss_verify(const struct rlab_pss_params *p, const uint8_t *digest,
                        size_t digest_len, const uint8_t *em, size_t em_bits)
{
    /* A signature is public: early exits are fine here.  Any failure,
     * including caller-side size mistakes, is a plain "not valid". */
    if (p == NULL || digest == NULL || em == NULL || !pss_hashes_ok(p))
        return RLAB_ERR_VERIFY;
    size_t hlen = rlab_gmp_hash_len(p->hash);
    if (digest_len != hlen || p->salt_len < RLAB_PSS_SALT_AUTO)
        return RLAB_ERR_VERIFY;
    size_t em_len = (em_bits + 7) / 8;
    uint8_t top = (uint8_t)(0xffu >> (8 * em_len - em_bits));
    if (em_bits == 0 || em_len < hlen + 2)
        return RLAB_ERR_VERIFY;
    if (p->salt_len != RLAB_PSS_SALT_AUTO &&
        em_len - hlen - 2 < (size_t)p->salt_len)
        return RLAB_ERR_VERIFY;
    if (em[em_len - 1] != 0xbc || (em[0] & (uint8_t)~top) != 0)
        return RLAB_ERR_VERIFY;

    size_t db_len = em_len - hlen - 1;
    const uint8_t *hash = em + db_len;
    uint8_t *db = malloc(db_len);
    if (db == NULL)
        return RLAB_ERR_NOMEM;
    memcpy(db, em, db_len);
    int rc = RLAB_ERR_VERIFY;
    if (pss_mask_xor(p->mgf1_hash, hash, hlen, db, db_len) != RLAB_OK)
        goto done;
    db[0] &= top;

    /* DB = zeros || 0x01 || salt: find the 0x01. */
    size_t one = 0;
    while (one < db_len && db[one] == 0)
        one++;
    if (one == db_len || db[one] != 0x01)
        goto done;
    size_t slen = db_len - one - 1;
    if (p->salt_len != RLAB_PSS_SALT_AUTO && slen != (size_t)p->salt_len)
        goto done;

    uint8_t expect[RLAB_HASH_MAX_LEN];
    pss_hash(p->hash, digest, hlen, db + one + 1, slen, expect);
    if (rlab_ct_equal(expect, hash, hlen))
        rc = RLAB_OK;
    rlab_wipe(expect, sizeof expect);
done:
    rlab_free_secret(db, db_len);
    return rc;
}
