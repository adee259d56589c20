/*
 * EME-OAEP (RFC 8017 7.1.1 step 2 and 7.1.2 step 3).  See gmp_pad.h.
 *
 * Decoding is where Manger's attack lives: an attacker who can tell "first
 * byte not zero" from any other failure decrypts a ciphertext in a few
 * thousand queries.  So decoding looks at every byte of the block whatever
 * it contains, folds every check into one mask, and only the final return
 * value depends on that mask.
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_hash.h"
#include "backends/gmp/gmp_pad.h"

/* Are the hashes usable and the label well-formed?  hlen gets hLen. */
static int oaep_params(const struct rlab_oaep_params *p, size_t *hlen)
{
    if (p == NULL || (p->label == NULL && p->label_len > 0))
        return RLAB_ERR_INVALID_ARG;
    *hlen = rlab_gmp_hash_len(p->hash);
    /* No standard defines OAEP with SHAKE. */
    if (p->hash == RLAB_HASH_NONE || *hlen == 0 || rlab_hash_is_xof(p->hash) ||
        p->mgf1_hash == RLAB_HASH_NONE || rlab_gmp_hash_len(p->mgf1_hash) == 0)
        return RLAB_ERR_UNSUPPORTED;
    return RLAB_OK;
}

int rlab_gmp_oaep_encode(const struct rlab_oaep_params *p,
                         const struct rlab_rng *rng, const uint8_t *msg,
                         size_t msg_len, uint8_t *em, size_t k)
{
    size_t hlen;
    int rc = oaep_params(p, &hlen);
    if (rc != RLAB_OK)
        return rc;
    if (em == NULL || (msg == NULL && msg_len > 0))
        return RLAB_ERR_INVALID_ARG;
    if (k < 2 * hlen + 2 || msg_len > k - 2 * hlen - 2)
        return RLAB_ERR_MSG_TOO_LONG;

    /* EM = 0x00 || seed || DB, built in place; DB = lHash || PS || 01 || M. */
    uint8_t *seed = em + 1;
    uint8_t *db = em + 1 + hlen;
    size_t db_len = k - hlen - 1;
    em[0] = 0x00;
    rc = rlab_gmp_hash(p->hash, p->label, p->label_len, db);
    if (rc != RLAB_OK)
        goto fail;
    memset(db + hlen, 0, db_len - hlen - msg_len - 1);
    db[db_len - msg_len - 1] = 0x01;
    if (msg_len > 0)
        memcpy(db + db_len - msg_len, msg, msg_len);

    rc = rlab_gmp_random(rng, seed, hlen);
    if (rc != RLAB_OK)
        goto fail;
    rc = rlab_gmp_mgf1_xor(p->mgf1_hash, seed, hlen, db, db_len);
    if (rc != RLAB_OK)
        goto fail;
    rc = rlab_gmp_mgf1_xor(p->mgf1_hash, db, db_len, seed, hlen);
    if (rc != RLAB_OK)
        goto fail;
    return RLAB_OK;

fail:
    /* An unfinished block may hold the message in clear. */
    rlab_wipe(em, k);
    return rc;
}

void rlab_gmp_ct_shift_left(uint8_t *buf, size_t len, size_t shift)
{
    /* Shift by each power of two present in `shift`, each pass touching
     * every byte, so the access pattern depends on len only.  Shifts up to
     * and including len are reachable (shift == len empties the buffer). */
    for (unsigned b = 0; b < 8 * sizeof(size_t) && ((size_t)1 << b) <= len; b++) {
        size_t step = (size_t)1 << b;
        uint8_t m = (uint8_t)(0u - (unsigned)((shift >> b) & 1u));
        for (size_t i = 0; i < len; i++) {
            uint8_t src = i + step < len ? buf[i + step] : 0;
            buf[i] = (uint8_t)((src & m) | (buf[i] & (uint8_t)~m));
        }
    }
}

/*
 * The checks of RFC 8017 7.1.2 step 3 on the unmasked block w (k bytes):
 * Y = 0, lHash' = lHash, DB = lHash' || 00..00 || 01 || M.  Returns ~0 when
 * all hold, else 0; *sep gets the index of the 01 in DB when they hold.
 * Every byte of DB is read whatever came before it.
 */
static uint32_t oaep_check(const uint8_t *w, size_t k, size_t hlen,
                           const uint8_t *lhash, size_t *sep)
{
    const uint8_t *db = w + 1 + hlen;
    size_t db_len = k - hlen - 1;
    uint32_t good = rlab_ct_is_zero32(w[0]);
    good &= 0u - (uint32_t)rlab_ct_equal(db, lhash, hlen);

    /* The first 01 after lHash' is the separator; any byte other than 00
     * before it is bad, anything after it is the message. */
    uint32_t looking = ~0u, bad = 0;
    size_t at = 0;
    for (size_t i = hlen; i < db_len; i++) {
        uint32_t is0 = rlab_ct_is_zero32(db[i]);
        uint32_t is1 = rlab_ct_eq32(db[i], 1);
        at = rlab_ct_select_size(looking & is1, i, at);
        bad |= looking & ~is0 & ~is1;
        looking &= ~is1;
    }
    *sep = at;
    return good & ~looking & ~bad;
}

int rlab_gmp_oaep_decode(const struct rlab_oaep_params *p, const uint8_t *em,
                         size_t k, uint8_t *out, size_t *outlen)
{
    if (outlen == NULL)
        return RLAB_ERR_INVALID_ARG;
    size_t cap = *outlen;
    *outlen = 0;
    size_t hlen;
    int rc = oaep_params(p, &hlen);
    if (rc != RLAB_OK)
        return rc;
    if (em == NULL || out == NULL)
        return RLAB_ERR_INVALID_ARG;
    /* Public sizes only, before em is read. */
    if (k < 2 * hlen + 2)
        return RLAB_ERR_DECRYPT;
    size_t max_msg = k - 2 * hlen - 2;
    if (cap < max_msg)
        return RLAB_ERR_BUFFER_TOO_SMALL;

    uint8_t *work = malloc(k);
    if (work == NULL)
        return RLAB_ERR_NOMEM;
    memcpy(work, em, k);
    uint8_t *seed = work + 1;
    uint8_t *db = work + 1 + hlen;
    size_t db_len = k - hlen - 1;
    uint8_t lhash[RLAB_HASH_MAX_LEN];

    /* These fail only on parameters, never on the contents of em. */
    rc = rlab_gmp_hash(p->hash, p->label, p->label_len, lhash);
    if (rc == RLAB_OK)
        rc = rlab_gmp_mgf1_xor(p->mgf1_hash, db, db_len, seed, hlen);
    if (rc == RLAB_OK)
        rc = rlab_gmp_mgf1_xor(p->mgf1_hash, seed, hlen, db, db_len);
    if (rc == RLAB_OK) {
        size_t sep;
        uint32_t good = oaep_check(work, k, hlen, lhash, &sep);
        /* The message area is DB[hLen + 1 ..], max_msg bytes; the message
         * starts sep - hLen bytes into it.  Slide it to the front, then copy
         * the whole area out under the mask (zeros on failure). */
        uint8_t *area = db + hlen + 1;
        size_t shift = rlab_ct_select_size(good, sep - hlen, 0);
        rlab_gmp_ct_shift_left(area, max_msg, shift);
        uint8_t m = (uint8_t)(good & 0xff);
        for (size_t i = 0; i < max_msg; i++)
            out[i] = area[i] & m;
        *outlen = rlab_ct_select_size(good, max_msg - shift, 0);
        /* The one place the outcome becomes a value the caller branches on. */
        rc = (int)rlab_ct_select32(good, RLAB_OK, RLAB_ERR_DECRYPT);
    }
    rlab_wipe(lhash, sizeof lhash);
    rlab_free_secret(work, k);
    return rc;
}
