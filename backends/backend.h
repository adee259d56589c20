/*
 * The RSA backend interface.
 *
 * A backend is one `const struct rlab_backend`, defined with designated
 * initialisers at the end of its own file (backends/<lib>/<lib>.c).  Every
 * operation is a function pointer; a NULL slot means "unsupported", and so
 * does a missing capability bit or hash bit.  Callers never guess: they ask
 * rlab_backend_check() (registry.c), which returns NULL when the operation can
 * run or a static sentence saying why not, and report that as a skip.
 *
 * Nobody outside backends/ calls a slot: callers go through the entry
 * points of backends/ops.h (rlab_oaep_decrypt(be, key, ...) and the rest),
 * which check the contract once and then call the slot.  ops.h lists what a
 * slot may therefore assume (slot present, capability and hashes, key of
 * this backend and private where needed, usable pointers, digest length,
 * explicit PSS salt, output capacity from public sizes, exact k-byte
 * inputs, message / salt / DigestInfo that fit the key).  A slot does not
 * repeat those checks.  What stays with every slot:
 *
 *  - Return RLAB_OK or an rlab_err code (base/errors.h), converting the
 *    library's errors; library detail goes to rlab_error_set() for display
 *    only.  Never print.
 *  - Big integers cross the interface as unsigned big-endian byte strings.
 *  - Output buffers are caller-owned: `out` has room for `*outlen` bytes on
 *    entry (at least what ops.h promises); on return `*outlen` is the number
 *    written, and 0 on failure.  Every RSA output is at most rlab_key_size()
 *    bytes (the modulus length, k).  The entry point wipes a private output
 *    after a failed slot; the slot wipes its own temporaries with the
 *    library's wipe (OPENSSL_cleanse, mbedtls_platform_zeroize, rlab_wipe).
 *  - Sign and verify take the message DIGEST, so that callers may hash data
 *    of any size in a stream.
 *  - SHA-3 and SHAKE (FIPS 202).  SHA3-224/256/384/512 go everywhere a
 *    SHA-2 hash goes (v1.5 DigestInfo OIDs 2.16.840.1.101.3.4.2.7 to .10,
 *    OAEP and PSS hash and MGF1 hash).  SHAKE128/256 exist in RSA only as
 *    RSASSA-PSS of RFC 8702: p->hash = SHAKE128 (or 256) with
 *    p->mgf1_hash = the same SHAKE, which means "the mask is SHAKE itself",
 *    not MGF1 over SHAKE; the digest is 32 (64) bytes and RFC 8702 fixes
 *    the salt at 32 (64) bytes.  rlab_backend_check() refuses every other
 *    use of SHAKE (OAEP, v1.5, mixed with another hash) for all backends.
 *  - Randomness: slots that consume randomness for padding or key
 *    generation take `const struct rlab_rng *rng`.  rng == NULL means the
 *    backend's own secure generator.  A backend that cannot draw padding
 *    bytes from a caller's generator lacks RLAB_CAP_RNG_REPLAY, and its slots
 *    are then only ever called with rng == NULL.  Blinding of private
 *    operations always uses the backend's own generator, never `rng`.
 *  - Decryption (OAEP, v1.5) returns RLAB_ERR_DECRYPT for every failure of
 *    the ciphertext, whatever check failed, and does so without a
 *    secret-dependent branch where the library allows it.
 *  - Verification returns RLAB_OK or RLAB_ERR_VERIFY, whatever is wrong with
 *    the signature.
 *  - Keys: a key belongs to the backend that made it.  Move keys between
 *    backends through components or an encoding.
 *
 * Each slot below says, in one line, whether it must run in constant time
 * with respect to secrets ("CT") and who owns what ("owns").
 */
#ifndef RLAB_BACKEND_H
#define RLAB_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/errors.h"
#include "base/types.h"

/* ---- keys -------------------------------------------------------------- */

/*
 * The base of every backend's key.  A backend's key struct has this as its
 * first member (struct ossl_key { struct rlab_key base; EVP_PKEY *pk; }).
 */
typedef struct rlab_key {
    const struct rlab_backend *be;
    unsigned bits;     /* modulus size in bits */
    int has_private;   /* 1 for a private key */
} rlab_key;

/* Modulus length in bytes (k). */
static inline size_t rlab_key_size(const rlab_key *k)
{
    return ((size_t)k->bits + 7) / 8;
}

/* ---- AEAD -------------------------------------------------------------- */

typedef struct rlab_aead_ctx rlab_aead_ctx; /* backend-defined */
#define RLAB_GCM_TAG_MAX 16

/* ---- hash contexts ----------------------------------------------------- */

typedef struct rlab_hash_ctx rlab_hash_ctx; /* backend-defined */

/* ---- capabilities ------------------------------------------------------ */

enum rlab_cap {
    RLAB_CAP_KEYGEN = 1u << 0,
    RLAB_CAP_COMPONENTS = 1u << 1,   /* from_components / to_components */
    RLAB_CAP_IMPORT = 1u << 2,       /* every rlab_keyfmt, DER and PEM */
    RLAB_CAP_EXPORT = 1u << 3,       /* every rlab_keyfmt, DER and PEM */
    RLAB_CAP_OAEP = 1u << 4,
    RLAB_CAP_OAEP_LABEL = 1u << 5,   /* non-empty labels */
    RLAB_CAP_OAEP_MGF1 = 1u << 6,    /* MGF1 hash independent of the hash */
    RLAB_CAP_PSS = 1u << 7,
    RLAB_CAP_PSS_MGF1 = 1u << 8,     /* MGF1 hash independent of the hash */
    RLAB_CAP_PSS_AUTO = 1u << 9,     /* verify with RLAB_PSS_SALT_AUTO */
    RLAB_CAP_PKCS1_SIGN = 1u << 10,  /* v1.5 sign + verify */
    RLAB_CAP_PKCS1_CRYPT = 1u << 11, /* v1.5 encrypt + decrypt */
    RLAB_CAP_RAW = 1u << 12,         /* raw public + private */
    RLAB_CAP_RNG_REPLAY = 1u << 13,  /* honours a caller rng for padding */
    RLAB_CAP_AEAD = 1u << 14,        /* AES-GCM, 128/256-bit keys, 96-bit IV */
    RLAB_CAP_AEAD_ANY_IV = 1u << 15, /* AES-GCM with IVs other than 96 bits */
    RLAB_CAP_HASH = 1u << 16,        /* hash slots */
    /* Multi-prime keys (RFC 8017 3.2): components with n_other > 0, import
     * and export of RSAPrivateKey version 1, private operations on them;
     * keygen of more than two primes when keygen_multi is present too. */
    RLAB_CAP_MULTI_PRIME = 1u << 24,
};

/* What an operation is asked to do, for rlab_backend_check(). Unused fields
 * are 0 / RLAB_HASH_NONE. */
struct rlab_op_query {
    rlab_op op;
    rlab_hash hash;
    rlab_hash mgf1_hash;  /* OAEP / PSS */
    int salt_len;         /* PSS; RLAB_PSS_SALT_AUTO allowed for verify */
    size_t label_len;     /* OAEP */
    int replay_rng;       /* caller passes its own rng */
    size_t aead_key_len;  /* 16 or 32 */
    size_t aead_iv_len;   /* bytes */
    size_t aead_tag_len;  /* bytes, 4..16 */
    unsigned bits;        /* keygen: modulus size */
    int empty_msg;        /* OAEP / v1.5 encryption or decryption of an empty
                             message (a library may refuse that corner) */
    unsigned primes;      /* keygen, from_components, import: primes of the
                             key; 0 or 2 for two, 3..RLAB_MAX_PRIMES for a
                             multi-prime key (RLAB_CAP_MULTI_PRIME) */
    size_t xof_len;       /* RLAB_OP_HASH of SHAKE: an output length other
                             than rlab_hash_len() (needs hash_final_xof) */
};

/* ---- the backend ------------------------------------------------------- */

struct rlab_backend {
    const char *name;          /* "openssl", "mbedtls", "gmp" */
    const char *description;   /* one line for `rsalab backends` */
    /* Library version string as the library reports it at run time. */
    const char *(*version)(void);
    unsigned caps;             /* enum rlab_cap bits */
    unsigned hashes;           /* RLAB_HASH_BIT() of hashes for RSA paddings
                                  and (with RLAB_CAP_HASH) the hash slots */

    /*
     * Optional: why a hash missing from `hashes` is missing ("mbedTLS 2.28
     * has no SHA-3"), a static sentence; NULL for a hash it has or when the
     * generic reason will do.  rlab_backend_check() reports it in place of
     * "no <hash>".
     */
    const char *(*hash_absent)(rlab_hash h);

    /*
     * Optional: finer limits than caps/hashes can say (a hash pair the
     * library refuses, a salt length it cannot express).  Return NULL when
     * the query can run, else a static sentence naming the library's limit.
     * Called by rlab_backend_check() only after caps, hashes and NULL slots
     * were checked.
     */
    const char *(*limit)(const struct rlab_op_query *q);

    /* Optional one-time set-up and tear-down (seeding a DRBG, ...).
     * rlab_registry_init() calls init for each backend; a backend whose
     * init fails is left out of the registry with its reason. */
    int (*init)(void);
    void (*cleanup)(void);

    /* -- keys -- */

    /* Generate a key of `bits` bits with public exponent e (odd, >= 3).
     * CT: arithmetic on the kept primes (rejected candidates may leak).
     * owns: rng borrowed for the call; *out passes to the caller. */
    int (*keygen)(unsigned bits, unsigned long e, const struct rlab_rng *rng,
                  rlab_key **out);
    /* Optional, with RLAB_CAP_MULTI_PRIME: a key of `primes` primes,
     * 3 <= primes <= rlab_max_primes(bits) (checked by the entry point).
     * CT and owns: as keygen. */
    int (*keygen_multi)(unsigned bits, unsigned primes, unsigned long e,
                        const struct rlab_rng *rng, rlab_key **out);
    /* Build a key from components; validates consistency where the library
     * can (private keys: at least n = p*q and the CRT values when given).
     * CT: not required (the caller holds the components in the clear).
     * owns: c borrowed and copied; *out passes to the caller. */
    int (*from_components)(const struct rlab_components *c, rlab_key **out);
    /* Fill every component the key has (public key: n and e only).
     * CT: not required (a copy out).  owns: the slot allocates the buffers
     * of *out; the caller clears them with rlab_components_clear(). */
    int (*to_components)(const rlab_key *k, struct rlab_components *out);
    /* Parse exactly one key of the given format.  PEM input is the whole PEM
     * text (one block, surrounding whitespace allowed); DER input is exact
     * (trailing bytes are RLAB_ERR_KEY_FORMAT).
     * CT: no branch on private-key bytes where the library allows (gmp's
     * decoder is checked by gmp.ctgrind).  owns: in borrowed; *out passes to
     * the caller. */
    int (*import)(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in,
                  size_t len, rlab_key **out);
    /* Encode a key; a public format from a private key writes its public
     * half; a private format from a public key is RLAB_ERR_KEY_NOT_PRIVATE.
     * PEM output ends with a newline.
     * CT: as import.  owns: the slot allocates out->data; the caller frees
     * it with rlab_buf_clear() (which wipes). */
    int (*export_key)(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                      struct rlab_buf *out);
    /* Wipe and free.  NULL ok.  CT: not relevant.  owns: takes k back. */
    void (*key_free)(rlab_key *k);

    /* -- RSA operations --
     * For all: the key, params, digest and inputs are borrowed for the call;
     * out / sig are the caller's buffers (ops.h gives their sizes). */

    /* CT: no (public key; the message sits at a fixed place).  Writes k
     * bytes.  owns: padding temporaries wiped by the slot. */
    int (*oaep_encrypt)(const rlab_key *k, const struct rlab_oaep_params *p,
                        const struct rlab_rng *rng, const uint8_t *msg,
                        size_t msg_len, uint8_t *out, size_t *outlen);
    /* CT: yes: one RLAB_ERR_DECRYPT for every failure, no branch on which
     * check failed.  owns: the decoded block wiped by the slot. */
    int (*oaep_decrypt)(const rlab_key *k, const struct rlab_oaep_params *p,
                        const uint8_t *ct, size_t ct_len, uint8_t *out,
                        size_t *outlen);
    /* CT: yes (private operation, blinded).  Writes k bytes.  owns: the
     * encoded block and salt wiped by the slot. */
    int (*pss_sign)(const rlab_key *k, const struct rlab_pss_params *p,
                    const struct rlab_rng *rng, const uint8_t *digest,
                    size_t digest_len, uint8_t *sig, size_t *sig_len);
    /* RLAB_OK when valid, RLAB_ERR_VERIFY when not (any reason).
     * CT: no (public).  owns: nothing kept. */
    int (*pss_verify)(const rlab_key *k, const struct rlab_pss_params *p,
                      const uint8_t *digest, size_t digest_len,
                      const uint8_t *sig, size_t sig_len);
    /* v1.5 with DigestInfo for `hash`.  CT: yes (private operation).
     * Writes k bytes.  owns: the encoded block wiped by the slot. */
    int (*pkcs1_sign)(const rlab_key *k, rlab_hash hash, const uint8_t *digest,
                      size_t digest_len, uint8_t *sig, size_t *sig_len);
    /* CT: no (public); compare the whole re-encoded block rather than parse.
     * owns: nothing kept. */
    int (*pkcs1_verify)(const rlab_key *k, rlab_hash hash,
                        const uint8_t *digest, size_t digest_len,
                        const uint8_t *sig, size_t sig_len);
    /* CT: no (public).  Writes k bytes.  owns: as oaep_encrypt. */
    int (*pkcs1_encrypt)(const rlab_key *k, const struct rlab_rng *rng,
                         const uint8_t *msg, size_t msg_len, uint8_t *out,
                         size_t *outlen);
    /* CT: as oaep_decrypt, where the library allows (mbedTLS 2.28.3 predates
     * the Marvin fix).  owns: as oaep_decrypt. */
    int (*pkcs1_decrypt)(const rlab_key *k, const uint8_t *ct, size_t ct_len,
                         uint8_t *out, size_t *outlen);
    /* in_len == k bytes, value < n (else RLAB_ERR_RANGE); out gets k bytes.
     * CT: no (public).  owns: nothing kept. */
    int (*raw_public)(const rlab_key *k, const uint8_t *in, size_t in_len,
                      uint8_t *out, size_t *outlen);
    /* Blinded CRT private operation, result checked before release.
     * CT: yes.  owns: CRT temporaries wiped by the slot. */
    int (*raw_private)(const rlab_key *k, const uint8_t *in, size_t in_len,
                       uint8_t *out, size_t *outlen);

    /* -- optional symmetric slots -- */

    /* AES-GCM with a 16- or 32-byte key.  seal writes len bytes to out and
     * tag_len (4..16) bytes to tag; open checks the tag in constant time and
     * on failure returns RLAB_ERR_AUTH with out zeroed.  out may equal in.
     * CT: all four (AES-NI or bitsliced; the tag compared in CT).
     * owns: aead_new makes *out, the caller's until aead_free, which wipes
     * the key schedule; a context is not for concurrent use. */
    int (*aead_new)(const uint8_t *key, size_t key_len, rlab_aead_ctx **out);
    int (*aead_seal)(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                     const uint8_t *aad, size_t aad_len, const uint8_t *in,
                     size_t len, uint8_t *out, uint8_t *tag, size_t tag_len);
    int (*aead_open)(rlab_aead_ctx *c, const uint8_t *iv, size_t iv_len,
                     const uint8_t *aad, size_t aad_len, const uint8_t *in,
                     size_t len, const uint8_t *tag, size_t tag_len,
                     uint8_t *out);
    void (*aead_free)(rlab_aead_ctx *c); /* wipes; NULL ok */

    /* Incremental hash: new, update*, final (which also frees).
     * CT: yes in the data (HMAC keys and HKDF secrets pass through).
     * owns: hash_new makes *out, the caller's until hash_final,
     * hash_final_xof or hash_free, each of which wipes the state.
     *
     * hash_final writes rlab_hash_len(h) bytes for every hash, SHAKE128 and
     * SHAKE256 included: their fixed lengths are RFC 8702's, 32 and 64 bytes
     * (the first bytes of the XOF output), which is what PSS with SHAKE
     * signs.  Other output lengths of an XOF go through hash_final_xof. */
    int (*hash_new)(rlab_hash h, rlab_hash_ctx **out);
    int (*hash_update)(rlab_hash_ctx *c, const uint8_t *p, size_t len);
    int (*hash_final)(rlab_hash_ctx *c, uint8_t *out); /* frees c */
    void (*hash_free)(rlab_hash_ctx *c);               /* abandon; NULL ok */
    /* Optional, for SHAKE128/SHAKE256 contexts only: out_len (any, 0
     * included) bytes of output, then frees c like hash_final.  A context
     * of a fixed-length hash is RLAB_ERR_INVALID_ARG (c freed all the
     * same).  NULL: the backend gives SHAKE only at its RFC 8702 length. */
    int (*hash_final_xof)(rlab_hash_ctx *c, uint8_t *out, size_t out_len);

    /* A variant of another backend (same library and keys, one thing
     * changed, such as "gmp/mpn"): that backend; NULL for a backend.  Keys
     * of the parent work with the variant and the other way round. */
    const struct rlab_backend *parent;
};

/* ---- registry (registry.c) --------------------------------------------- */

/* Calls each compiled-in backend's init once; idempotent.  Returns the
 * number of usable backends. */
size_t rlab_registry_init(void);
void rlab_registry_cleanup(void);
/* Usable backends in a fixed order: openssl, mbedtls, gmp, nettle,
 * libgcrypt, bearssl, wolfssl, libtomcrypt, botan (those built). */
size_t rlab_backend_count(void);
const struct rlab_backend *rlab_backend_at(size_t i);
/* A usable backend or variant by name. */
const struct rlab_backend *rlab_backend_find(const char *name);
/* Variants ("gmp/mpn") worth measuring beside their backend on this
 * machine; not in the backend listing, found by name too. */
size_t rlab_backend_variant_count(void);
const struct rlab_backend *rlab_backend_variant_at(size_t i);
/* The backend that provides AES-GCM and hashes to backends without them
 * (openssl when built, else the first with RLAB_CAP_AEAD). */
const struct rlab_backend *rlab_backend_default_provider(void);

/* NULL when backend `be` can run query `q`; else a static reason. */
const char *rlab_backend_check(const struct rlab_backend *be,
                               const struct rlab_op_query *q);

/* One-shot hash through a backend's hash slots (or the default provider's
 * when `be` has none).  out gets rlab_hash_len(h) bytes (SHAKE: 32 / 64). */
int rlab_backend_hash(const struct rlab_backend *be, rlab_hash h,
                      const uint8_t *p, size_t len, uint8_t *out);

/* Free a key through its own backend.  NULL ok. */
static inline void rlab_key_free(rlab_key *k)
{
    if (k != NULL)
        k->be->key_free(k);
}

#endif
