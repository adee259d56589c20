/*
 * The plain types every layer shares: hash, key-format and operation
 * identifiers with their names and sizes, key components, padding
 * parameters and the randomness callback.  Tables only: nothing here calls
 * a backend.  Part of the leaf of basics (base/), which includes nothing
 * outside base/ and links nothing of the project.
 */
#ifndef RLAB_TYPES_H
#define RLAB_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/errors.h"

/* ---- hashes ------------------------------------------------------------ */

typedef enum rlab_hash {
    RLAB_HASH_NONE = 0, /* v1.5 signature of a raw digest-less block: unused */
    RLAB_HASH_SHA1,
    RLAB_HASH_SHA224,
    RLAB_HASH_SHA256,
    RLAB_HASH_SHA384,
    RLAB_HASH_SHA512,
    RLAB_HASH_SHA512_224,
    RLAB_HASH_SHA512_256,
    /* FIPS 202 */
    RLAB_HASH_SHA3_224,
    RLAB_HASH_SHA3_256,
    RLAB_HASH_SHA3_384,
    RLAB_HASH_SHA3_512,
    /* Extendable-output functions.  Where one fixed length is needed (a
     * digest to sign, rlab_hash_len, the hash slots' hash_final) it is RFC
     * 8702's: 32 bytes for SHAKE128, 64 for SHAKE256.  In RSA they exist
     * only for RSASSA-PSS (RFC 8702), where the mask is the same SHAKE
     * rather than MGF1: PSS parameters with mgf1_hash == SHAKE128/256 mean
     * "SHAKE as the mask function" (see backend.h). */
    RLAB_HASH_SHAKE128,
    RLAB_HASH_SHAKE256,
    RLAB_HASH_COUNT
} rlab_hash;

#define RLAB_HASH_BIT(h) (1u << (unsigned)(h))
/* SHA-1 and the whole SHA-2 family (not SHA-3): what every full backend
 * has.  A backend with SHA-3 adds RLAB_HASH_SHA3_ALL. */
#define RLAB_HASH_ALL                                                              \
    (RLAB_HASH_BIT(RLAB_HASH_SHA1) | RLAB_HASH_BIT(RLAB_HASH_SHA224) |             \
     RLAB_HASH_BIT(RLAB_HASH_SHA256) | RLAB_HASH_BIT(RLAB_HASH_SHA384) |           \
     RLAB_HASH_BIT(RLAB_HASH_SHA512) | RLAB_HASH_BIT(RLAB_HASH_SHA512_224) |       \
     RLAB_HASH_BIT(RLAB_HASH_SHA512_256))
/* SHA3-224/256/384/512, SHAKE128 and SHAKE256. */
#define RLAB_HASH_SHA3_ALL                                                         \
    (RLAB_HASH_BIT(RLAB_HASH_SHA3_224) | RLAB_HASH_BIT(RLAB_HASH_SHA3_256) |       \
     RLAB_HASH_BIT(RLAB_HASH_SHA3_384) | RLAB_HASH_BIT(RLAB_HASH_SHA3_512) |       \
     RLAB_HASH_BIT(RLAB_HASH_SHAKE128) | RLAB_HASH_BIT(RLAB_HASH_SHAKE256))
#define RLAB_HASH_MAX_LEN 64
/* Largest block: SHAKE128's rate (168 bytes); SHA3-224's is 144. */
#define RLAB_HASH_MAX_BLOCK 168

/* Digest length in bytes (0 for NONE or out of range); for SHAKE128 and
 * SHAKE256 the fixed lengths of RFC 8702, 32 and 64. */
size_t rlab_hash_len(rlab_hash h);
/* Block length in bytes, for HMAC (0 for NONE or out of range); for the
 * SHA-3 family the Keccak rate (144, 136, 104, 72; SHAKE 168, 136). */
size_t rlab_hash_block_len(rlab_hash h);
/* 1 for SHAKE128 and SHAKE256 (any output length), else 0. */
int rlab_hash_is_xof(rlab_hash h);
/* 1 for the six hashes of FIPS 202 (SHA3-* and SHAKE*), else 0. */
int rlab_hash_is_sha3(rlab_hash h);
/* Canonical name: "sha1", "sha256", "sha512-256", "sha3-256", "shake128",
 * ...; "none". */
const char *rlab_hash_name(rlab_hash h);
/* Parse "sha256", "SHA-256", "sha512/256", "sha512-256", "sha3-256",
 * "SHA3_256", "shake128", "SHAKE-128", ... ;
 * returns RLAB_OK or RLAB_ERR_INVALID_ARG. */
int rlab_hash_from_name(const char *name, rlab_hash *out);

/* ---- randomness -------------------------------------------------------- */

/* Fill out[0..len) with random bytes; return RLAB_OK or RLAB_ERR_RNG. */
typedef int (*rlab_rng_fn)(void *ctx, uint8_t *out, size_t len);

struct rlab_rng {
    rlab_rng_fn fill;
    void *ctx;
};

/* ---- keys -------------------------------------------------------------- */

/*
 * RSA key components, big-endian unsigned, no leading zero bytes needed (any
 * are accepted on input).  n and e are always present; a private key has d
 * and, when known, p, q, dp, dq, qinv (all five or none).  Owned by the
 * holder: release with rlab_components_clear(), which wipes.
 *
 * Multi-prime keys (RFC 8017 3.2, RSAPrivateKey version 1): p and q are
 * r_1 and r_2; the further primes r_3 .. r_u are other[0 .. n_other), each
 * with its exponent d_i = d mod (r_i - 1) and coefficient
 * t_i = (r_1 ... r_(i-1))^-1 mod r_i.  n_other is 0 for a two-prime key
 * (so a zero-initialised struct is a two-prime one) and at most
 * RLAB_MAX_PRIMES - 2; other primes need p, q and the CRT values.  A
 * backend without RLAB_CAP_MULTI_PRIME never gets n_other > 0 (the entry
 * points refuse it) and never sets it.
 */
#define RLAB_MAX_PRIMES 5 /* u, all primes counted (OpenSSL's limit too) */

struct rlab_prime_info {
    struct rlab_buf r, d, t;
};

struct rlab_components {
    struct rlab_buf n, e, d, p, q, dp, dq, qinv;
    size_t n_other;
    struct rlab_prime_info other[RLAB_MAX_PRIMES - 2];
};

/* Number of primes of a private key's components: 2 + n_other. */
static inline unsigned rlab_components_primes(const struct rlab_components *c)
{
    return 2u + (unsigned)c->n_other;
}

/*
 * Most primes a key of `bits` bits may have: 2 below 1024 bits, 3 below
 * 4096, 4 below 8192, else 5.  These are OpenSSL 3's caps
 * (ossl_rsa_multip_cap): each prime keeps at least about 1024 / 3 bits at
 * the smallest sizes, so factoring by ECM stays harder than factoring n.
 * Key generation of every backend follows them; import accepts what the
 * key's backend accepts.
 */
unsigned rlab_max_primes(unsigned bits);

void rlab_components_clear(struct rlab_components *c);

typedef enum rlab_keyfmt {
    RLAB_KEYFMT_PKCS1_PRIV = 0, /* RSAPrivateKey            PEM "RSA PRIVATE KEY" */
    RLAB_KEYFMT_PKCS1_PUB,      /* RSAPublicKey             PEM "RSA PUBLIC KEY"  */
    RLAB_KEYFMT_PKCS8,          /* PrivateKeyInfo, rsaEncryption, unencrypted
                                                            PEM "PRIVATE KEY"     */
    RLAB_KEYFMT_SPKI,           /* SubjectPublicKeyInfo     PEM "PUBLIC KEY"      */
    RLAB_KEYFMT_COUNT
} rlab_keyfmt;

typedef enum rlab_encoding {
    RLAB_ENC_DER = 0,
    RLAB_ENC_PEM,
} rlab_encoding;

const char *rlab_keyfmt_name(rlab_keyfmt f); /* "pkcs1-priv", "spki", ... */

/* ---- padding parameters ------------------------------------------------ */

struct rlab_oaep_params {
    rlab_hash hash;
    rlab_hash mgf1_hash;
    const uint8_t *label; /* may be NULL when label_len == 0 */
    size_t label_len;
};

/* PSS salt length: >= 0 explicit, or RLAB_PSS_SALT_AUTO (verify only:
 * recover the salt length from the signature). */
#define RLAB_PSS_SALT_AUTO (-1)

struct rlab_pss_params {
    rlab_hash hash;
    rlab_hash mgf1_hash;
    int salt_len;
};

/* Operations, for rlab_backend_check() and for reports. */
typedef enum rlab_op {
    RLAB_OP_KEYGEN = 0,
    RLAB_OP_FROM_COMPONENTS,
    RLAB_OP_TO_COMPONENTS,
    RLAB_OP_IMPORT,
    RLAB_OP_EXPORT,
    RLAB_OP_OAEP_ENCRYPT,
    RLAB_OP_OAEP_DECRYPT,
    RLAB_OP_PSS_SIGN,
    RLAB_OP_PSS_VERIFY,
    RLAB_OP_PKCS1_SIGN,
    RLAB_OP_PKCS1_VERIFY,
    RLAB_OP_PKCS1_ENCRYPT,
    RLAB_OP_PKCS1_DECRYPT,
    RLAB_OP_RAW_PUBLIC,
    RLAB_OP_RAW_PRIVATE,
    RLAB_OP_AEAD,
    RLAB_OP_HASH,
    RLAB_OP_COUNT
} rlab_op;

const char *rlab_op_name(rlab_op op);

#endif
