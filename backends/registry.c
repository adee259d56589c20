/*
 * The list of compiled-in backends, and the helpers that are the same for
 * every backend.  This is the only file with `#if HAVE_<LIB>`.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "backends/backend.h"

#if HAVE_OPENSSL
extern const struct rlab_backend rlab_backend_openssl;
#endif
#if HAVE_MBEDTLS
extern const struct rlab_backend rlab_backend_mbedtls;
#endif
#if HAVE_GMP
extern const struct rlab_backend rlab_backend_gmp;
const struct rlab_backend *rlab_gmp_variant_mpn(void);
#endif
#if HAVE_NETTLE
extern const struct rlab_backend rlab_backend_nettle;
#endif
#if HAVE_LIBGCRYPT
extern const struct rlab_backend rlab_backend_libgcrypt;
#endif
#if HAVE_BEARSSL
extern const struct rlab_backend rlab_backend_bearssl;
#endif
#if HAVE_WOLFSSL
extern const struct rlab_backend rlab_backend_wolfssl;
#endif
#if HAVE_LIBTOMCRYPT
extern const struct rlab_backend rlab_backend_libtomcrypt;
#endif
#if HAVE_BOTAN
extern const struct rlab_backend rlab_backend_botan;
#endif

/* The fixed order of every listing and table. */
static const struct rlab_backend *const compiled[] = {
#if HAVE_OPENSSL
    &rlab_backend_openssl,
#endif
#if HAVE_MBEDTLS
    &rlab_backend_mbedtls,
#endif
#if HAVE_GMP
    &rlab_backend_gmp,
#endif
#if HAVE_NETTLE
    &rlab_backend_nettle,
#endif
#if HAVE_LIBGCRYPT
    &rlab_backend_libgcrypt,
#endif
#if HAVE_BEARSSL
    &rlab_backend_bearssl,
#endif
#if HAVE_WOLFSSL
    &rlab_backend_wolfssl,
#endif
#if HAVE_LIBTOMCRYPT
    &rlab_backend_libtomcrypt,
#endif
#if HAVE_BOTAN
    &rlab_backend_botan,
#endif
    NULL,
};

#define N_COMPILED (sizeof compiled / sizeof compiled[0] - 1)

static const struct rlab_backend *usable[N_COMPILED + 1];
static size_t n_usable;
static int initialised;

size_t rlab_registry_init(void)
{
    if (initialised)
        return n_usable;
    initialised = 1;
    for (size_t i = 0; i < N_COMPILED; i++) {
        const struct rlab_backend *be = compiled[i];
        if (be->init != NULL && be->init() != RLAB_OK)
            continue;
        usable[n_usable++] = be;
    }
    return n_usable;
}

void rlab_registry_cleanup(void)
{
    for (size_t i = 0; i < n_usable; i++)
        if (usable[i]->cleanup != NULL)
            usable[i]->cleanup();
    n_usable = 0;
    initialised = 0;
}

size_t rlab_backend_count(void)
{
    rlab_registry_init();
    return n_usable;
}

const struct rlab_backend *rlab_backend_at(size_t i)
{
    rlab_registry_init();
    return i < n_usable ? usable[i] : NULL;
}

/* The variants, each with its parent (which must be usable). */
static const struct rlab_backend *variant(size_t i, int *useful)
{
#if HAVE_GMP
    if (i-- == 0) {
        const struct rlab_backend *v = rlab_gmp_variant_mpn();
        /* worth a row only where gmp itself runs another engine */
        const char *ver = rlab_backend_gmp.version();
        *useful = strstr(ver, "engine mpn") == NULL;
        return v;
    }
#endif
    (void)i;
    *useful = 0;
    return NULL;
}

static int parent_usable(const struct rlab_backend *v)
{
    for (size_t i = 0; i < n_usable; i++)
        if (usable[i] == v->parent)
            return 1;
    return 0;
}

const struct rlab_backend *rlab_backend_find(const char *name)
{
    rlab_registry_init();
    for (size_t i = 0; i < n_usable; i++)
        if (strcmp(usable[i]->name, name) == 0)
            return usable[i];
    int useful;
    const struct rlab_backend *v;
    for (size_t i = 0; (v = variant(i, &useful)) != NULL; i++)
        if (strcmp(v->name, name) == 0 && parent_usable(v))
            return v;
    return NULL;
}

size_t rlab_backend_variant_count(void)
{
    size_t n = 0;
    int useful;
    const struct rlab_backend *v;
    rlab_registry_init();
    for (size_t i = 0; (v = variant(i, &useful)) != NULL; i++)
        n += useful && parent_usable(v);
    return n;
}

const struct rlab_backend *rlab_backend_variant_at(size_t k)
{
    int useful;
    const struct rlab_backend *v;
    rlab_registry_init();
    for (size_t i = 0; (v = variant(i, &useful)) != NULL; i++)
        if (useful && parent_usable(v) && k-- == 0)
            return v;
    return NULL;
}

const struct rlab_backend *rlab_backend_default_provider(void)
{
    const struct rlab_backend *be = rlab_backend_find("openssl");
    if (be != NULL)
        return be;
    for (size_t i = 0; i < rlab_backend_count(); i++)
        if ((usable[i]->caps & RLAB_CAP_AEAD) && (usable[i]->caps & RLAB_CAP_HASH))
            return usable[i];
    return NULL;
}

/* ---- capability checks ------------------------------------------------- */

/* Is the slot for op present? */
static int slot_present(const struct rlab_backend *be, rlab_op op)
{
    switch (op) {
    case RLAB_OP_KEYGEN: return be->keygen != NULL;
    case RLAB_OP_FROM_COMPONENTS: return be->from_components != NULL;
    case RLAB_OP_TO_COMPONENTS: return be->to_components != NULL;
    case RLAB_OP_IMPORT: return be->import != NULL;
    case RLAB_OP_EXPORT: return be->export_key != NULL;
    case RLAB_OP_OAEP_ENCRYPT: return be->oaep_encrypt != NULL;
    case RLAB_OP_OAEP_DECRYPT: return be->oaep_decrypt != NULL;
    case RLAB_OP_PSS_SIGN: return be->pss_sign != NULL;
    case RLAB_OP_PSS_VERIFY: return be->pss_verify != NULL;
    case RLAB_OP_PKCS1_SIGN: return be->pkcs1_sign != NULL;
    case RLAB_OP_PKCS1_VERIFY: return be->pkcs1_verify != NULL;
    case RLAB_OP_PKCS1_ENCRYPT: return be->pkcs1_encrypt != NULL;
    case RLAB_OP_PKCS1_DECRYPT: return be->pkcs1_decrypt != NULL;
    case RLAB_OP_RAW_PUBLIC: return be->raw_public != NULL;
    case RLAB_OP_RAW_PRIVATE: return be->raw_private != NULL;
    case RLAB_OP_AEAD:
        return be->aead_new && be->aead_seal && be->aead_open && be->aead_free;
    case RLAB_OP_HASH:
        return be->hash_new && be->hash_update && be->hash_final && be->hash_free;
    default: return 0;
    }
}

static unsigned op_cap(rlab_op op)
{
    switch (op) {
    case RLAB_OP_KEYGEN: return RLAB_CAP_KEYGEN;
    case RLAB_OP_FROM_COMPONENTS:
    case RLAB_OP_TO_COMPONENTS: return RLAB_CAP_COMPONENTS;
    case RLAB_OP_IMPORT: return RLAB_CAP_IMPORT;
    case RLAB_OP_EXPORT: return RLAB_CAP_EXPORT;
    case RLAB_OP_OAEP_ENCRYPT:
    case RLAB_OP_OAEP_DECRYPT: return RLAB_CAP_OAEP;
    case RLAB_OP_PSS_SIGN:
    case RLAB_OP_PSS_VERIFY: return RLAB_CAP_PSS;
    case RLAB_OP_PKCS1_SIGN:
    case RLAB_OP_PKCS1_VERIFY: return RLAB_CAP_PKCS1_SIGN;
    case RLAB_OP_PKCS1_ENCRYPT:
    case RLAB_OP_PKCS1_DECRYPT: return RLAB_CAP_PKCS1_CRYPT;
    case RLAB_OP_RAW_PUBLIC:
    case RLAB_OP_RAW_PRIVATE: return RLAB_CAP_RAW;
    case RLAB_OP_AEAD: return RLAB_CAP_AEAD;
    case RLAB_OP_HASH: return RLAB_CAP_HASH;
    default: return 0;
    }
}

static _Thread_local char reason_buf[160];

static const char *reason(const struct rlab_backend *be, const char *what)
{
    snprintf(reason_buf, sizeof reason_buf, "%s: %s", be->name, what);
    return reason_buf;
}

static int hash_ok(const struct rlab_backend *be, rlab_hash h)
{
    return (unsigned)h < RLAB_HASH_COUNT && h != RLAB_HASH_NONE &&
           (be->hashes & RLAB_HASH_BIT(h)) != 0;
}

/* Why be lacks hash h: the backend's own sentence, else a generic one. */
static const char *hash_missing(const struct rlab_backend *be, rlab_hash h, int mgf1)
{
    char what[120];
    const char *why = be->hash_absent != NULL ? be->hash_absent(h) : NULL;
    if (why != NULL)
        snprintf(what, sizeof what, "%s (%s%s)", why, mgf1 ? "MGF1 " : "", rlab_hash_name(h));
    else if (rlab_hash_is_sha3(h))
        snprintf(what, sizeof what, "SHA-3/SHAKE not wired to this backend (%s%s)",
                 mgf1 ? "MGF1 " : "", rlab_hash_name(h));
    else
        snprintf(what, sizeof what, "no %s%s", rlab_hash_name(h), mgf1 ? " for MGF1" : "");
    return reason(be, what);
}

/* SHAKE in RSA is RSASSA-PSS of RFC 8702 only, with the same SHAKE as the
 * mask; any other use is outside every standard, whatever the backend. */
static const char *shake_misuse(const struct rlab_op_query *q, int oaep, int pss, int pkcs1)
{
    int xh = rlab_hash_is_xof(q->hash), xm = rlab_hash_is_xof(q->mgf1_hash);
    if (oaep && (xh || xm))
        return "no standard defines RSA-OAEP with SHAKE";
    if (pkcs1 && xh)
        return "no standard defines PKCS #1 v1.5 signatures with SHAKE "
               "(RFC 8702 defines RSASSA-PSS only)";
    if (pss && (xh || xm) && q->hash != q->mgf1_hash)
        return "RSASSA-PSS with SHAKE masks with the same SHAKE (RFC 8702): "
               "hash and mask must be the same SHAKE";
    if (q->op == RLAB_OP_HASH && q->xof_len != 0 && !xh)
        return "only SHAKE128 and SHAKE256 have a variable output length";
    return NULL;
}

const char *rlab_backend_check(const struct rlab_backend *be,
                               const struct rlab_op_query *q)
{
    char what[120];
    if (!slot_present(be, q->op) || !(be->caps & op_cap(q->op))) {
        snprintf(what, sizeof what, "no %s operation", rlab_op_name(q->op));
        return reason(be, what);
    }
    int uses_hash = q->op == RLAB_OP_OAEP_ENCRYPT || q->op == RLAB_OP_OAEP_DECRYPT ||
                    q->op == RLAB_OP_PSS_SIGN || q->op == RLAB_OP_PSS_VERIFY ||
                    q->op == RLAB_OP_PKCS1_SIGN || q->op == RLAB_OP_PKCS1_VERIFY ||
                    q->op == RLAB_OP_HASH;
    int uses_mgf1 = q->op == RLAB_OP_OAEP_ENCRYPT || q->op == RLAB_OP_OAEP_DECRYPT ||
                    q->op == RLAB_OP_PSS_SIGN || q->op == RLAB_OP_PSS_VERIFY;
    int oaep = q->op == RLAB_OP_OAEP_ENCRYPT || q->op == RLAB_OP_OAEP_DECRYPT;
    int pss = q->op == RLAB_OP_PSS_SIGN || q->op == RLAB_OP_PSS_VERIFY;
    int pkcs1 = q->op == RLAB_OP_PKCS1_SIGN || q->op == RLAB_OP_PKCS1_VERIFY;
    const char *misuse = shake_misuse(q, oaep, pss, pkcs1);
    if (misuse != NULL)
        return reason(be, misuse);
    if (uses_hash && !hash_ok(be, q->hash))
        return hash_missing(be, q->hash, 0);
    if (uses_mgf1 && !hash_ok(be, q->mgf1_hash))
        return hash_missing(be, q->mgf1_hash, 1);
    if (q->op == RLAB_OP_HASH && q->xof_len != 0 && be->hash_final_xof == NULL)
        return reason(be, "SHAKE output only at its RFC 8702 length (32 or 64 bytes)");
    if (oaep && q->label_len > 0 && !(be->caps & RLAB_CAP_OAEP_LABEL))
        return reason(be, "no OAEP labels");
    if (oaep && q->mgf1_hash != q->hash && !(be->caps & RLAB_CAP_OAEP_MGF1))
        return reason(be, "OAEP MGF1 hash must equal the hash");
    if (pss && q->mgf1_hash != q->hash && !(be->caps & RLAB_CAP_PSS_MGF1))
        return reason(be, "PSS MGF1 hash must equal the hash");
    if (q->op == RLAB_OP_PSS_VERIFY && q->salt_len == RLAB_PSS_SALT_AUTO &&
        !(be->caps & RLAB_CAP_PSS_AUTO))
        return reason(be, "cannot recover the PSS salt length");
    if (q->primes > 2) {
        if (!(be->caps & RLAB_CAP_MULTI_PRIME) ||
            (q->op == RLAB_OP_KEYGEN && be->keygen_multi == NULL)) {
            /* the backend's own sentence (its limit()) when it has one */
            const char *why = be->limit != NULL ? be->limit(q) : NULL;
            return reason(be, why != NULL ? why : "no multi-prime RSA keys");
        }
        if (q->primes > RLAB_MAX_PRIMES)
            return reason(be, "more than 5 primes");
        if (q->op == RLAB_OP_KEYGEN && q->primes > rlab_max_primes(q->bits)) {
            snprintf(what, sizeof what,
                     "%u primes need a larger key (at most %u primes at %u bits; "
                     "OpenSSL's caps)", q->primes, rlab_max_primes(q->bits), q->bits);
            return reason(be, what);
        }
    }
    if (q->replay_rng && !(be->caps & RLAB_CAP_RNG_REPLAY))
        return reason(be, "cannot take padding randomness from the caller");
    if (q->op == RLAB_OP_AEAD) {
        if (q->aead_key_len != 16 && q->aead_key_len != 32)
            return reason(be, "AES-GCM key must be 128 or 256 bits");
        if (q->aead_iv_len != 12 && !(be->caps & RLAB_CAP_AEAD_ANY_IV))
            return reason(be, "AES-GCM IVs other than 96 bits");
    }
    if (be->limit != NULL) {
        const char *why = be->limit(q);
        if (why != NULL)
            return reason(be, why);
    }
    return NULL;
}

int rlab_backend_hash(const struct rlab_backend *be, rlab_hash h,
                      const uint8_t *p, size_t len, uint8_t *out)
{
    if (be == NULL || !(be->caps & RLAB_CAP_HASH) || !hash_ok(be, h))
        be = rlab_backend_default_provider();
    if (be == NULL || !(be->caps & RLAB_CAP_HASH) || !hash_ok(be, h))
        return RLAB_ERR_UNSUPPORTED;
    rlab_hash_ctx *c = NULL;
    int rc = be->hash_new(h, &c);
    if (rc != RLAB_OK)
        return rc;
    rc = be->hash_update(c, p, len);
    if (rc != RLAB_OK) {
        be->hash_free(c);
        return rc;
    }
    return be->hash_final(c, out);
}
