/*
 * The plain type tables (base/types.h): hash sizes and names, key-format and
 * operation names, key components.
 */
#include <string.h>

#include "base/types.h"

/* ---- hashes ------------------------------------------------------------ */

static const struct {
    const char *name;
    size_t len, block;
} hash_info[RLAB_HASH_COUNT] = {
    [RLAB_HASH_NONE] = {"none", 0, 0},
    [RLAB_HASH_SHA1] = {"sha1", 20, 64},
    [RLAB_HASH_SHA224] = {"sha224", 28, 64},
    [RLAB_HASH_SHA256] = {"sha256", 32, 64},
    [RLAB_HASH_SHA384] = {"sha384", 48, 128},
    [RLAB_HASH_SHA512] = {"sha512", 64, 128},
    [RLAB_HASH_SHA512_224] = {"sha512-224", 28, 128},
    [RLAB_HASH_SHA512_256] = {"sha512-256", 32, 128},
    [RLAB_HASH_SHA3_224] = {"sha3-224", 28, 144},
    [RLAB_HASH_SHA3_256] = {"sha3-256", 32, 136},
    [RLAB_HASH_SHA3_384] = {"sha3-384", 48, 104},
    [RLAB_HASH_SHA3_512] = {"sha3-512", 64, 72},
    [RLAB_HASH_SHAKE128] = {"shake128", 32, 168},
    [RLAB_HASH_SHAKE256] = {"shake256", 64, 136},
};

size_t rlab_hash_len(rlab_hash h)
{
    return (unsigned)h < RLAB_HASH_COUNT ? hash_info[h].len : 0;
}

size_t rlab_hash_block_len(rlab_hash h)
{
    return (unsigned)h < RLAB_HASH_COUNT ? hash_info[h].block : 0;
}

int rlab_hash_is_xof(rlab_hash h)
{
    return h == RLAB_HASH_SHAKE128 || h == RLAB_HASH_SHAKE256;
}

int rlab_hash_is_sha3(rlab_hash h)
{
    return h >= RLAB_HASH_SHA3_224 && h <= RLAB_HASH_SHAKE256;
}

const char *rlab_hash_name(rlab_hash h)
{
    return (unsigned)h < RLAB_HASH_COUNT ? hash_info[h].name : "unknown";
}

int rlab_hash_from_name(const char *name, rlab_hash *out)
{
    /* Normalise: lower case, drop '-' and '_' , '/' -> '-' position kept as
     * a separator only between 512 and 224/256. */
    char norm[32];
    size_t j = 0;
    for (size_t i = 0; name[i] != '\0'; i++) {
        char c = name[i];
        if (c == '-' || c == '_' || c == '/')
            continue;
        if (j + 1 >= sizeof norm)
            return RLAB_ERR_INVALID_ARG;
        norm[j++] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    }
    norm[j] = '\0';
    static const struct {
        const char *key;
        rlab_hash h;
    } names[] = {
        {"sha1", RLAB_HASH_SHA1},           {"sha224", RLAB_HASH_SHA224},
        {"sha256", RLAB_HASH_SHA256},       {"sha384", RLAB_HASH_SHA384},
        {"sha512", RLAB_HASH_SHA512},       {"sha512224", RLAB_HASH_SHA512_224},
        {"sha512256", RLAB_HASH_SHA512_256},
        {"sha3224", RLAB_HASH_SHA3_224},    {"sha3256", RLAB_HASH_SHA3_256},
        {"sha3384", RLAB_HASH_SHA3_384},    {"sha3512", RLAB_HASH_SHA3_512},
        {"shake128", RLAB_HASH_SHAKE128},   {"shake256", RLAB_HASH_SHAKE256},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(norm, names[i].key) == 0) {
            *out = names[i].h;
            return RLAB_OK;
        }
    }
    return RLAB_ERR_INVALID_ARG;
}

/* ---- names ------------------------------------------------------------- */

const char *rlab_keyfmt_name(rlab_keyfmt f)
{
    static const char *const names[RLAB_KEYFMT_COUNT] = {
        [RLAB_KEYFMT_PKCS1_PRIV] = "pkcs1-priv",
        [RLAB_KEYFMT_PKCS1_PUB] = "pkcs1-pub",
        [RLAB_KEYFMT_PKCS8] = "pkcs8",
        [RLAB_KEYFMT_SPKI] = "spki",
    };
    return (unsigned)f < RLAB_KEYFMT_COUNT ? names[f] : "unknown";
}

const char *rlab_op_name(rlab_op op)
{
    static const char *const names[RLAB_OP_COUNT] = {
        [RLAB_OP_KEYGEN] = "keygen",
        [RLAB_OP_FROM_COMPONENTS] = "from-components",
        [RLAB_OP_TO_COMPONENTS] = "to-components",
        [RLAB_OP_IMPORT] = "import",
        [RLAB_OP_EXPORT] = "export",
        [RLAB_OP_OAEP_ENCRYPT] = "oaep-encrypt",
        [RLAB_OP_OAEP_DECRYPT] = "oaep-decrypt",
        [RLAB_OP_PSS_SIGN] = "pss-sign",
        [RLAB_OP_PSS_VERIFY] = "pss-verify",
        [RLAB_OP_PKCS1_SIGN] = "pkcs1-sign",
        [RLAB_OP_PKCS1_VERIFY] = "pkcs1-verify",
        [RLAB_OP_PKCS1_ENCRYPT] = "pkcs1-encrypt",
        [RLAB_OP_PKCS1_DECRYPT] = "pkcs1-decrypt",
        [RLAB_OP_RAW_PUBLIC] = "raw-public",
        [RLAB_OP_RAW_PRIVATE] = "raw-private",
        [RLAB_OP_AEAD] = "aes-gcm",
        [RLAB_OP_HASH] = "hash",
    };
    return (unsigned)op < RLAB_OP_COUNT ? names[op] : "unknown";
}

void rlab_components_clear(struct rlab_components *c)
{
    if (c == NULL)
        return;
    rlab_buf_clear(&c->n);
    rlab_buf_clear(&c->e);
    rlab_buf_clear(&c->d);
    rlab_buf_clear(&c->p);
    rlab_buf_clear(&c->q);
    rlab_buf_clear(&c->dp);
    rlab_buf_clear(&c->dq);
    rlab_buf_clear(&c->qinv);
    for (size_t i = 0; i < RLAB_MAX_PRIMES - 2; i++) {
        rlab_buf_clear(&c->other[i].r);
        rlab_buf_clear(&c->other[i].d);
        rlab_buf_clear(&c->other[i].t);
    }
    c->n_other = 0;
}

unsigned rlab_max_primes(unsigned bits)
{
    if (bits < 1024)
        return 2;
    if (bits < 4096)
        return 3;
    if (bits < 8192)
        return 4;
    return 5;
}
