/*
 * PKCS #1 v1.5: EMSA-PKCS1-v1_5 for signatures (RFC 8017 9.2) and EME-PKCS1-
 * v1_5 for encryption (7.2).  See gmp_pad.h.
 *
 * Signatures are verified by building the one block that is valid and
 * comparing every byte, never by parsing the block (parsers have let forged
 * signatures through: Bleichenbacher 2006, BERserk).  Decryption is
 * Bleichenbacher 1998's oracle when any failure is distinguishable, so it
 * is decoded with masks like OAEP.
 */
#include <stdlib.h>
#include <string.h>

#include "base/ct.h"
#include "backends/gmp/gmp_hash.h"
#include "backends/gmp/gmp_pad.h"

/* DigestInfo ::= SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING digest },
 * everything up to the digest.  OIDs: 1.3.14.3.2.26 (SHA-1),
 * 2.16.840.1.101.3.4.2.{4,1,2,3,5,6} (SHA-224, -256, -384, -512, -512/224,
 * -512/256) and 2.16.840.1.101.3.4.2.{7,8,9,10} (SHA3-224, -256, -384,
 * -512).  SHAKE has no v1.5 signature: no prefix. */
#define SHA2_PREFIX(total, oid_last, dlen)                                      \
    {0x30, total, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, \
     0x04, 0x02, oid_last, 0x05, 0x00, 0x04, dlen}

static const uint8_t di_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                  0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
static const uint8_t di_sha224[] = SHA2_PREFIX(0x2d, 0x04, 0x1c);
static const uint8_t di_sha256[] = SHA2_PREFIX(0x31, 0x01, 0x20);
static const uint8_t di_sha384[] = SHA2_PREFIX(0x41, 0x02, 0x30);
static const uint8_t di_sha512[] = SHA2_PREFIX(0x51, 0x03, 0x40);
static const uint8_t di_sha512_224[] = SHA2_PREFIX(0x2d, 0x05, 0x1c);
static const uint8_t di_sha512_256[] = SHA2_PREFIX(0x31, 0x06, 0x20);
static const uint8_t di_sha3_224[] = SHA2_PREFIX(0x2d, 0x07, 0x1c);
static const uint8_t di_sha3_256[] = SHA2_PREFIX(0x31, 0x08, 0x20);
static const uint8_t di_sha3_384[] = SHA2_PREFIX(0x41, 0x09, 0x30);
static const uint8_t di_sha3_512[] = SHA2_PREFIX(0x51, 0x0a, 0x40);

const uint8_t *rlab_gmp_digestinfo_prefix(rlab_hash h, size_t *len)
{
    const uint8_t *p;
    size_t n;
    switch (h) {
    case RLAB_HASH_SHA1: p = di_sha1; n = sizeof di_sha1; break;
    case RLAB_HASH_SHA224: p = di_sha224; n = sizeof di_sha224; break;
    case RLAB_HASH_SHA256: p = di_sha256; n = sizeof di_sha256; break;
    case RLAB_HASH_SHA384: p = di_sha384; n = sizeof di_sha384; break;
    case RLAB_HASH_SHA512: p = di_sha512; n = sizeof di_sha512; break;
    case RLAB_HASH_SHA512_224: p = di_sha512_224; n = sizeof di_sha512_224; break;
    case RLAB_HASH_SHA512_256: p = di_sha512_256; n = sizeof di_sha512_256; break;
    case RLAB_HASH_SHA3_224: p = di_sha3_224; n = sizeof di_sha3_224; break;
    case RLAB_HASH_SHA3_256: p = di_sha3_256; n = sizeof di_sha3_256; break;
    case RLAB_HASH_SHA3_384: p = di_sha3_384; n = sizeof di_sha3_384; break;
    case RLAB_HASH_SHA3_512: p = di_sha3_512; n = sizeof di_sha3_512; break;
    default: p = NULL; n = 0; break;
    }
    if (len != NULL)
        *len = n;
    return p;
}

int rlab_gmp_pkcs1_sig_encode(rlab_hash h, const uint8_t *digest,
                              size_t digest_len, uint8_t *em, size_t k)
{
    size_t plen;
    const uint8_t *prefix = rlab_gmp_digestinfo_prefix(h, &plen);
    if (prefix == NULL)
        return RLAB_ERR_UNSUPPORTED;
    if (digest == NULL || em == NULL || digest_len != rlab_gmp_hash_len(h))
        return RLAB_ERR_INVALID_ARG;
    size_t tlen = plen + digest_len;
    if (k < tlen + 11) /* 00 01, at least 8 x FF, 00 */
        return RLAB_ERR_MSG_TOO_LONG;
    em[0] = 0x00;
    em[1] = 0x01;
    memset(em + 2, 0xff, k - tlen - 3);
    em[k - tlen - 1] = 0x00;
    memcpy(em + k - tlen, prefix, plen);
    memcpy(em + k - digest_len, digest, digest_len);
    return RLAB_OK;
}

int rlab_gmp_pkcs1_sig_verify(rlab_hash h, const uint8_t *digest,
                              size_t digest_len, const uint8_t *em, size_t k)
{
    if (em == NULL || k == 0)
        return RLAB_ERR_VERIFY;
    uint8_t *expect = malloc(k);
    if (expect == NULL)
        return RLAB_ERR_NOMEM;
    int rc = rlab_gmp_pkcs1_sig_encode(h, digest, digest_len, expect, k);
    if (rc == RLAB_OK)
        rc = rlab_ct_equal(expect, em, k) ? RLAB_OK : RLAB_ERR_VERIFY;
    else
        rc = RLAB_ERR_VERIFY;
    rlab_free_secret(expect, k);
    return rc;
}

/* Fill ps with n non-zero random bytes.  Bytes are drawn in order and zeros
 * skipped, so a replaying rng that holds exactly the n bytes of a vector's
 * PS reproduces it. */
static int nonzero_random(const struct rlab_rng *rng, uint8_t *ps, size_t n)
{
    uint8_t tmp[256];
    size_t filled = 0;
    /* A sound generator yields a zero byte with probability 1/256; hundreds
     * of rounds without progress mean a broken (or exhausted) generator. */
    for (int round = 0; filled < n && round < 1000; round++) {
        size_t want = n - filled < sizeof tmp ? n - filled : sizeof tmp;
        int rc = rlab_gmp_random(rng, tmp, want);
        if (rc != RLAB_OK) {
            rlab_wipe(tmp, sizeof tmp);
            return rc;
        }
        for (size_t i = 0; i < want; i++)
            if (tmp[i] != 0)
                ps[filled++] = tmp[i];
    }
    rlab_wipe(tmp, sizeof tmp);
    return filled == n ? RLAB_OK : RLAB_ERR_RNG;
}

int rlab_gmp_pkcs1_enc_encode(const struct rlab_rng *rng, const uint8_t *msg,
                              size_t msg_len, uint8_t *em, size_t k)
{
    if (em == NULL || (msg == NULL && msg_len > 0))
        return RLAB_ERR_INVALID_ARG;
    if (k < 11 || msg_len > k - 11)
        return RLAB_ERR_MSG_TOO_LONG;
    size_t ps_len = k - msg_len - 3;
    em[0] = 0x00;
    em[1] = 0x02;
    int rc = nonzero_random(rng, em + 2, ps_len);
    if (rc != RLAB_OK) {
        rlab_wipe(em, k);
        return rc;
    }
    em[2 + ps_len] = 0x00;
    if (msg_len > 0)
        memcpy(em + 3 + ps_len, msg, msg_len);
    return RLAB_OK;
}

int rlab_gmp_pkcs1_enc_decode(const uint8_t *em, size_t k, uint8_t *out,
                              size_t *outlen)
{
    if (outlen == NULL)
        return RLAB_ERR_INVALID_ARG;
    size_t cap = *outlen;
    *outlen = 0;
    if (em == NULL || out == NULL)
        return RLAB_ERR_INVALID_ARG;
    /* The index arithmetic below is 32-bit (core/ct.h masks); no RSA block
     * comes near 2^30 bytes. */
    if (k < 11 || k > ((size_t)1 << 30))
        return RLAB_ERR_DECRYPT;
    size_t max_msg = k - 11;
    if (cap < max_msg)
        return RLAB_ERR_BUFFER_TOO_SMALL;

    uint32_t good = rlab_ct_is_zero32(em[0]) & rlab_ct_eq32(em[1], 2);
    /* The separator is the first zero byte after 00 02; it must leave at
     * least 8 bytes of PS, i.e. sit at index 10 or later. */
    uint32_t looking = ~0u;
    size_t zero = 0;
    for (size_t i = 2; i < k; i++) {
        uint32_t is0 = rlab_ct_is_zero32(em[i]);
        zero = rlab_ct_select_size(looking & is0, i, zero);
        looking &= ~is0;
    }
    good &= ~looking; /* also caught below (zero stays 0), said for clarity */
    good &= ~rlab_ct_lt32((uint32_t)zero, 10);

    /* The message area is em[11..k); the message starts zero - 10 bytes in.
     * Work in `out` itself, then zero it all unless good. */
    memcpy(out, em + 11, max_msg);
    size_t shift = rlab_ct_select_size(good, zero - 10, 0);
    rlab_gmp_ct_shift_left(out, max_msg, shift);
    uint8_t m = (uint8_t)(good & 0xff);
    for (size_t i = 0; i < max_msg; i++)
        out[i] &= m;
    *outlen = rlab_ct_select_size(good, max_msg - shift, 0);
    return (int)rlab_ct_select32(good, RLAB_OK, RLAB_ERR_DECRYPT);
}
