/*
 * The wolfSSL backend's plumbing: library set-up, key lookup, hash tables
 * and error detail.  See wolf_internal.h for the contracts.
 */
#include <stdint.h>

#include "backends/wolfssl/wolf_internal.h"

#include <wolfssl/wolfcrypt/wc_port.h>  /* after options.h */

static int wolf_initialised;

/* see wolf_internal.h */
int rlab_wolf_init(void)
{
    if (wolf_initialised)
        return RLAB_OK;
    int ret = wolfCrypt_Init();
    if (ret != 0)
        return rlab_wolf_fail(RLAB_ERR_BACKEND, "wolfCrypt_Init", ret);
    wolf_initialised = 1;
    return RLAB_OK;
}

/* see wolf_internal.h */
void rlab_wolf_cleanup(void)
{
    if (!wolf_initialised)
        return;
    wolfCrypt_Cleanup();
    wolf_initialised = 0;
}

/* see wolf_internal.h */
struct wolf_key *rlab_wolf_key(const rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_wolfssl)
        return NULL;
    /* Allocated non-const by wolf_key.c; the RsaKey underneath must stay
     * mutable (wolfCrypt keeps per-operation state in it). */
    return (struct wolf_key *)(uintptr_t)k;
}

/* see wolf_internal.h */
enum wc_HashType rlab_wolf_hash_type(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return WC_HASH_TYPE_SHA;
    case RLAB_HASH_SHA224: return WC_HASH_TYPE_SHA224;
    case RLAB_HASH_SHA256: return WC_HASH_TYPE_SHA256;
    case RLAB_HASH_SHA384: return WC_HASH_TYPE_SHA384;
    case RLAB_HASH_SHA512: return WC_HASH_TYPE_SHA512;
    case RLAB_HASH_SHA512_224: return WC_HASH_TYPE_SHA512_224;
    case RLAB_HASH_SHA512_256: return WC_HASH_TYPE_SHA512_256;
    default: return WC_HASH_TYPE_NONE;
    }
}

/* see wolf_internal.h */
int rlab_wolf_mgf(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return WC_MGF1SHA1;
    case RLAB_HASH_SHA224: return WC_MGF1SHA224;
    case RLAB_HASH_SHA256: return WC_MGF1SHA256;
    case RLAB_HASH_SHA384: return WC_MGF1SHA384;
    case RLAB_HASH_SHA512: return WC_MGF1SHA512;
    case RLAB_HASH_SHA512_224: return WC_MGF1SHA512_224;
    case RLAB_HASH_SHA512_256: return WC_MGF1SHA512_256;
    default: return WC_MGF1NONE;
    }
}

/* see wolf_internal.h */
int rlab_wolf_fail(int err, const char *what, int wolf_ret)
{
    return rlab_error_set(err, "%s: %s (%d)", what, wc_GetErrorString(wolf_ret), wolf_ret);
}
