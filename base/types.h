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
    RLAB_HASH_COUNT
} rlab_hash;

#define RLAB_HASH_BIT(h) (1u << (unsigned)(h))
/* Every hash of the enum, for a backend that has them all. */
#define RLAB_HASH_ALL (((1u << (unsigned)RLAB_HASH_COUNT) - 1u) & ~RLAB_HASH_BIT(RLAB_HASH_NONE))
#define RLAB_HASH_MAX_LEN 64
#define RLAB_HASH_MAX_BLOCK 128

/* Digest length in bytes (0 for NONE or out of range). */
size_t rlab_hash_len(rlab_hash h);
/* Block length in bytes, for HMAC (0 for NONE or out of range). */
size_t rlab_hash_block_len(rlab_hash h);
/* Canonical name: "sha1", "sha256", "sha512-256", ...; "none". */
const char *rlab_hash_name(rlab_hash h);
/* Parse "sha256", "SHA-256", "sha512/256", "sha512-256", ... ;
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
 */
struct rlab_components {
    struct rlab_buf n, e, d, p, q, dp, dq, qinv;
};

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
