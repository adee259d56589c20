/*
 * OAEP and PKCS#1 v1.5 decryption of the libgcrypt backend: libgcrypt's
 * blinded private operation, then our own constant-time padding removal.
 *
 * Why not gcry_pk_decrypt with (flags oaep) or (flags pkcs1): the decoders
 * of 1.10.1 accept invalid blocks (OAEP never checks that PS is zeros; v1.5
 * works on the value with its leading zeros stripped, makes the 0x00 before
 * 0x02 optional and has no 8-byte minimum for PS) and leave early at the
 * first bad byte, so their timing separates valid padding from invalid.
 * Here every byte of the block is looked at whatever it holds, all checks
 * fold into one mask, and only the final verdict is branched on, after the
 * message has been moved into place.
 *
 * Getting the block as exactly k bytes without a length leak.  libgcrypt's
 * MPIs carry no fixed width: every conversion to bytes (the S-expression
 * round trip of the result included) drops leading zero bytes in a short
 * data-dependent loop, and "the block starts with 0x00" is precisely
 * Manger's oracle.  So the ciphertext is blinded here as well, before
 * libgcrypt sees it: the private operation returns m * r mod n for a fresh
 * random r, a value whose length says nothing about m.  Unblinding
 * (gcry_mpi_mulm by r^-1) and the export then work on m: bit 8k is set
 * first, so gcry_mpi_print always writes k + 1 bytes, the first being 0x01.
 * What remains is libgcrypt's limb-level normalisation of m, which tells
 * whether its top limb (at least the top 8 bytes) is all zeros; for a block
 * whose second byte is 0x02, or a random one, that is out of reach.
 *
 * The private operation itself is gcry_pk_sign with (flags raw): libgcrypt
 * blinds it again (its own r), uses CRT, and checks the result with the
 * public exponent before returning it, which gcry_pk_decrypt does not.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/libgcrypt/lgc_internal.h"
#include "base/ct.h"

/* A random r in [1, n) with an inverse mod n, from libgcrypt's generator;
 * r and ri in secure memory.  RLAB_OK or RLAB_ERR_BACKEND. */
static int lgc_blinder(const struct lgc_key *lk, gcry_mpi_t r, gcry_mpi_t ri)
{
    unsigned nbits = gcry_mpi_get_nbits(lk->n);
    /* A failure to invert means r shares a factor with n: never for a real
     * key, but the loop must end. */
    for (int tries = 0; tries < 64; tries++) {
        gcry_mpi_randomize(r, nbits, GCRY_STRONG_RANDOM);
        gcry_mpi_mod(r, r, lk->n);
        if (gcry_mpi_cmp_ui(r, 0) != 0 && gcry_mpi_invm(ri, r, lk->n))
            return RLAB_OK;
    }
    return rlab_error_set(RLAB_ERR_BACKEND, "libgcrypt: no invertible blinding value");
}

/* c^d mod n through gcry_pk_sign (flags raw); *out a new secure MPI. */
static int lgc_root(const struct lgc_key *lk, gcry_mpi_t c, gcry_mpi_t *out)
{
    gcry_sexp_t data = NULL, res = NULL, l = NULL;
    gcry_error_t e = gcry_sexp_build(&data, NULL, "(data (flags raw)(value %m))", c);
    if (e == 0)
        e = gcry_pk_sign(&res, data, lk->priv);
    int rc = RLAB_OK;
    if (e != 0)
        rc = rlab_lgc_fail(gcry_err_code(e) == GPG_ERR_BAD_SIGNATURE ? RLAB_ERR_FAULT
                                                                     : RLAB_ERR_BACKEND,
                           "gcry_pk_sign", e);
    if (rc == RLAB_OK)
        l = gcry_sexp_find_token(res, "s", 0);
    gcry_mpi_t s = l != NULL ? gcry_sexp_nth_mpi(l, 1, GCRYMPI_FMT_USG) : NULL;
    if (rc == RLAB_OK && s == NULL)
        rc = rlab_error_set(RLAB_ERR_BACKEND, "libgcrypt result without (s)");
    if (s != NULL) {
        *out = rlab_lgc_mpi_secure(s);
        if (*out == NULL)
            rc = RLAB_ERR_NOMEM;
    }
    gcry_mpi_release(s);
    gcry_sexp_release(l);
    gcry_sexp_release(res);
    gcry_sexp_release(data);
    return rc;
}

/*
 * EM = c^d mod n as exactly k bytes into em (see the top of the file).
 * ct is k bytes; RLAB_ERR_DECRYPT when c >= n (a public fact), another
 * code for a library failure.  em is wiped on failure.
 */
static int lgc_private_block(const struct lgc_key *lk, const uint8_t *ct, size_t ct_len,
                             uint8_t *em)
{
    size_t k = rlab_key_size(&lk->base);
    unsigned nbits = gcry_mpi_get_nbits(lk->n);
    gcry_mpi_t c = rlab_lgc_mpi(ct, ct_len, 0);
    gcry_mpi_t r = gcry_mpi_snew(nbits), ri = gcry_mpi_snew(nbits);
    gcry_mpi_t cb = gcry_mpi_new(nbits), mb = NULL, m = gcry_mpi_snew(nbits + 8);
    uint8_t *buf = gcry_malloc_secure(k + 1);
    int rc = RLAB_OK;
    if (c == NULL || r == NULL || ri == NULL || cb == NULL || m == NULL || buf == NULL)
        rc = RLAB_ERR_NOMEM;
    else if (gcry_mpi_cmp(c, lk->n) >= 0)
        rc = RLAB_ERR_DECRYPT;
    if (rc == RLAB_OK)
        rc = lgc_blinder(lk, r, ri);
    if (rc == RLAB_OK) {
        gcry_mpi_powm(cb, r, lk->e, lk->n); /* r^e */
        gcry_mpi_mulm(cb, cb, c, lk->n);    /* c r^e */
        rc = lgc_root(lk, cb, &mb);         /* m r */
    }
    size_t w = 0;
    if (rc == RLAB_OK) {
        gcry_mpi_mulm(m, mb, ri, lk->n); /* m */
        gcry_mpi_set_bit(m, (unsigned)(8 * k));
        gcry_error_t e = gcry_mpi_print(GCRYMPI_FMT_USG, buf, k + 1, &w, m);
        if (e != 0 || w != k + 1)
            rc = rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_mpi_print", e);
    }
    if (rc == RLAB_OK)
        memcpy(em, buf + 1, k);
    else
        rlab_wipe(em, k);
    if (buf != NULL) {
        rlab_wipe(buf, k + 1);
        gcry_free(buf);
    }
    gcry_mpi_release(m); /* secure MPIs are wiped on release */
    gcry_mpi_release(mb);
    gcry_mpi_release(cb);
    gcry_mpi_release(ri);
    gcry_mpi_release(r);
    gcry_mpi_release(c);
    return rc;
}

/*
 * Move the last `mlen` bytes of buf[0..len) to its front, zeros after them,
 * in time that depends on len only: one pass per bit of the (secret) shift
 * len - mlen, each moving every byte or none under a mask.
 */
static void lgc_ct_shift_left(uint8_t *buf, size_t len, size_t mlen)
{
    size_t s = len - mlen;
    for (size_t step = 1; step < len; step <<= 1) {
        uint32_t mask = 0u - (uint32_t)((s & step) != 0);
        for (size_t i = 0; i + step < len; i++)
            buf[i] = (uint8_t)rlab_ct_select32(mask, buf[i + step], buf[i]);
        for (size_t i = len - step; i < len; i++)
            buf[i] = (uint8_t)rlab_ct_select32(mask, 0, buf[i]);
    }
}

/*
 * Copy the message at em[start..k) to out[0..room): the last `room` bytes
 * of the block, then shifted so that its last mlen bytes come first.
 * Nothing here depends on mlen but the masks.
 */
static void lgc_take_message(const uint8_t *em, size_t k, size_t room, size_t mlen,
                             uint8_t *out)
{
    memcpy(out, em + k - room, room);
    lgc_ct_shift_left(out, room, mlen);
}

/* Finish a decryption: release the message when good, else wipe it. */
static int lgc_verdict(uint32_t good, uint8_t *out, size_t room, size_t mlen, size_t *outlen)
{
    /* From here the validity is released: branching on it is fine. */
    if (!(good & 1)) {
        rlab_wipe(out, room);
        *outlen = 0;
        return RLAB_ERR_DECRYPT;
    }
    *outlen = mlen;
    return RLAB_OK;
}

/* dst ^= MGF1(hash, seed)[0..len): RFC 8017 B.2.1.  Secret inputs; the
 * hash context lives in secure memory.  RLAB_OK or RLAB_ERR_BACKEND. */
static int lgc_mgf1_xor(rlab_hash hash, const uint8_t *seed, size_t seed_len, uint8_t *dst,
                        size_t len)
{
    gcry_md_hd_t h = NULL;
    gcry_error_t e = gcry_md_open(&h, rlab_lgc_md(hash), GCRY_MD_FLAG_SECURE);
    if (e != 0)
        return rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_md_open", e);
    size_t hl = rlab_hash_len(hash);
    for (uint32_t ctr = 0; (size_t)ctr * hl < len; ctr++) {
        uint8_t cb[4] = {(uint8_t)(ctr >> 24), (uint8_t)(ctr >> 16), (uint8_t)(ctr >> 8),
                         (uint8_t)ctr};
        gcry_md_reset(h);
        gcry_md_write(h, seed, seed_len);
        gcry_md_write(h, cb, sizeof cb);
        const uint8_t *mask = gcry_md_read(h, 0);
        size_t off = (size_t)ctr * hl, n = len - off < hl ? len - off : hl;
        for (size_t i = 0; i < n; i++)
            dst[off + i] ^= mask[i];
    }
    gcry_md_close(h); /* wipes its secure buffer */
    return RLAB_OK;
}

/* see backend.h */
int rlab_lgc_oaep_decrypt(const rlab_key *k, const struct rlab_oaep_params *p,
                          const uint8_t *ct, size_t ct_len, uint8_t *out, size_t *outlen)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    size_t cap = *outlen, kb = rlab_key_size(k), hl = rlab_hash_len(p->hash);
    *outlen = 0;
    /* ops.c: kb >= 2 hl + 2 and cap >= kb - 2 hl - 2. */
    size_t room = kb - 2 * hl - 2;
    room = cap < room ? cap : room;
    rlab_wipe(out, room);
    uint8_t *em = gcry_malloc_secure(kb);
    if (em == NULL)
        return RLAB_ERR_NOMEM;
    uint8_t lhash[RLAB_HASH_MAX_LEN];
    int rc = lgc_private_block(lk, ct, ct_len, em);
    if (rc == RLAB_OK) {
        gcry_md_hash_buffer(rlab_lgc_md(p->hash), lhash, p->label_len > 0 ? p->label : lhash,
                            p->label_len);
        /* EM = Y || maskedSeed (hl) || maskedDB (kb - hl - 1) */
        uint8_t *seed = em + 1, *db = em + 1 + hl;
        size_t db_len = kb - hl - 1;
        rc = lgc_mgf1_xor(p->mgf1_hash, db, db_len, seed, hl);
        if (rc == RLAB_OK)
            rc = lgc_mgf1_xor(p->mgf1_hash, seed, hl, db, db_len);
    }
    if (rc != RLAB_OK) {
        /* c >= n, or a library failure: neither depends on the padding. */
        rlab_wipe(em, kb);
        gcry_free(em);
        return rc;
    }

    /* DB = lHash' || PS (zeros) || 0x01 || M, checked in one mask. */
    const uint8_t *db = em + 1 + hl;
    size_t db_len = kb - hl - 1;
    uint32_t good = rlab_ct_eq32(em[0], 0);
    good &= 0u - (uint32_t)rlab_ct_equal(db, lhash, hl);
    uint32_t found = 0, bad_ps = 0;
    size_t one_at = 0;
    for (size_t i = hl; i < db_len; i++) {
        uint32_t is1 = rlab_ct_eq32(db[i], 1), is0 = rlab_ct_eq32(db[i], 0);
        one_at = rlab_ct_select_size(is1 & ~found, i, one_at);
        bad_ps |= ~found & ~is1 & ~is0; /* a byte other than 0 before the 0x01 */
        found |= is1;
    }
    good &= found & ~bad_ps;
    size_t mlen = db_len - 1 - one_at; /* meaningful when found */
    good &= ~rlab_ct_lt32((uint32_t)room, (uint32_t)mlen);
    mlen = rlab_ct_select_size(good, mlen, 0);
    lgc_take_message(em, kb, room, mlen, out);
    rlab_wipe(em, kb);
    gcry_free(em);
    rlab_wipe(lhash, sizeof lhash);
    return lgc_verdict(good, out, room, mlen, outlen);
}

/* see backend.h */
int rlab_lgc_pkcs1_decrypt(const rlab_key *k, const uint8_t *ct, size_t ct_len, uint8_t *out,
                           size_t *outlen)
{
    const struct lgc_key *lk = rlab_lgc_key(k);
    size_t cap = *outlen, kb = rlab_key_size(k);
    *outlen = 0;
    /* ops.c: cap >= kb - 11. */
    size_t room = cap < kb - 11 ? cap : kb - 11;
    rlab_wipe(out, room);
    uint8_t *em = gcry_malloc_secure(kb);
    if (em == NULL)
        return RLAB_ERR_NOMEM;
    int rc = lgc_private_block(lk, ct, ct_len, em);
    if (rc != RLAB_OK) { /* em was wiped */
        gcry_free(em);
        return rc;
    }

    /* EM = 0x00 || 0x02 || PS (>= 8 non-zero bytes) || 0x00 || M */
    uint32_t good = rlab_ct_eq32(em[0], 0) & rlab_ct_eq32(em[1], 2);
    uint32_t found = 0;
    size_t zero_at = 0;
    for (size_t i = 2; i < kb; i++) {
        uint32_t z = rlab_ct_eq32(em[i], 0);
        zero_at = rlab_ct_select_size(z & ~found, i, zero_at);
        found |= z;
    }
    good &= found;
    good &= ~rlab_ct_lt32((uint32_t)zero_at, 10); /* PS of 8 bytes or more */
    size_t mlen = kb - 1 - zero_at;               /* meaningful when found */
    good &= ~rlab_ct_lt32((uint32_t)room, (uint32_t)mlen);
    mlen = rlab_ct_select_size(good, mlen, 0);
    lgc_take_message(em, kb, room, mlen, out);
    rlab_wipe(em, kb);
    gcry_free(em);
    return lgc_verdict(good, out, room, mlen, outlen);
}
