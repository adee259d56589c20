/*
 * Plumbing of the libgcrypt backend: library set-up, error detail, MPI
 * conversions, hash ids, the caller's rng.  Contracts in lgc_internal.h.
 *
 * libgcrypt must be initialised by "the application" before use: version
 * check, secure memory, then GCRYCTL_INITIALIZATION_FINISHED.  rsalab is
 * the application here, so init() does it, unless something else in the
 * process already has.  Secure memory is a locked pool (mlock) from which
 * gcry_mpi_snew and gcry_malloc_secure allocate and which is wiped on
 * release; it is set to grow on demand (GCRYCTL_AUTO_EXPAND_SECMEM),
 * because libgcrypt treats an exhausted pool as a fatal error, and its
 * warnings are switched off (a library must not print).
 */
#include <string.h>

#include "backends/libgcrypt/lgc_internal.h"

#define LGC_SECMEM (64u * 1024u)
#define LGC_SECMEM_CHUNK (256u * 1024u)

/* see lgc_internal.h */
int rlab_lgc_init(void)
{
    if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
        return RLAB_OK;
    /* 1.10 is what the backend is written for; any later 1.x is fine. */
    if (gcry_check_version("1.10.0") == NULL)
        return rlab_error_set(RLAB_ERR_BACKEND, "libgcrypt %s is older than 1.10",
                              gcry_check_version(NULL));
    gcry_control(GCRYCTL_DISABLE_SECMEM_WARN);
    gcry_error_t e = gcry_control(GCRYCTL_INIT_SECMEM, LGC_SECMEM, 0);
    if (e == 0)
        e = gcry_control(GCRYCTL_AUTO_EXPAND_SECMEM, LGC_SECMEM_CHUNK, 0);
    if (e != 0)
        return rlab_lgc_fail(RLAB_ERR_BACKEND, "secure memory", e);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    return RLAB_OK;
}

/* see lgc_internal.h */
const struct lgc_key *rlab_lgc_key(const rlab_key *k)
{
    if (k == NULL || k->be != &rlab_backend_libgcrypt)
        return NULL;
    return (const struct lgc_key *)k;
}

/* see lgc_internal.h */
int rlab_lgc_md(rlab_hash h)
{
    switch (h) {
    case RLAB_HASH_SHA1: return GCRY_MD_SHA1;
    case RLAB_HASH_SHA224: return GCRY_MD_SHA224;
    case RLAB_HASH_SHA256: return GCRY_MD_SHA256;
    case RLAB_HASH_SHA384: return GCRY_MD_SHA384;
    case RLAB_HASH_SHA512: return GCRY_MD_SHA512;
    case RLAB_HASH_SHA512_224: return GCRY_MD_SHA512_224;
    case RLAB_HASH_SHA512_256: return GCRY_MD_SHA512_256;
    default: return 0;
    }
}

/* see lgc_internal.h */
int rlab_lgc_fail(int err, const char *what, gcry_error_t e)
{
    return rlab_error_set(err, "%s: %s (%s)", what, gcry_strerror(e), gcry_strsource(e));
}

/* see lgc_internal.h */
gcry_mpi_t rlab_lgc_mpi(const uint8_t *p, size_t len, int secret)
{
    gcry_mpi_t x = NULL;
    if (len == 0)
        return secret ? gcry_mpi_snew(0) : gcry_mpi_new(0);
    if (gcry_mpi_scan(&x, GCRYMPI_FMT_USG, p, len, NULL) != 0)
        return NULL;
    if (!secret)
        return x;
    gcry_mpi_t s = rlab_lgc_mpi_secure(x);
    gcry_mpi_release(x); /* wipes its limbs */
    return s;
}

/* see lgc_internal.h */
gcry_mpi_t rlab_lgc_mpi_secure(gcry_mpi_t x)
{
    gcry_mpi_t s = gcry_mpi_snew(gcry_mpi_get_nbits(x));
    if (s != NULL)
        gcry_mpi_set(s, x);
    return s;
}

/* see lgc_internal.h */
int rlab_lgc_mpi_out(gcry_mpi_t x, struct rlab_buf *out)
{
    size_t n = 0;
    gcry_error_t e = gcry_mpi_print(GCRYMPI_FMT_USG, NULL, 0, &n, x);
    if (e != 0)
        return rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_mpi_print", e);
    int rc = rlab_buf_alloc(out, n > 0 ? n : 1);
    if (rc != RLAB_OK || n == 0)
        return rc;
    e = gcry_mpi_print(GCRYMPI_FMT_USG, out->data, out->len, &n, x);
    if (e != 0) {
        rlab_buf_clear(out);
        return rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_mpi_print", e);
    }
    return RLAB_OK;
}

/* see lgc_internal.h */
int rlab_lgc_mpi_fixed(gcry_mpi_t x, uint8_t *out, size_t len)
{
    size_t n = (gcry_mpi_get_nbits(x) + 7) / 8;
    if (n > len)
        return rlab_error_set(RLAB_ERR_BACKEND, "result longer than the modulus");
    memset(out, 0, len - n);
    if (n == 0)
        return RLAB_OK;
    size_t w = 0;
    gcry_error_t e = gcry_mpi_print(GCRYMPI_FMT_USG, out + len - n, n, &w, x);
    if (e != 0 || w != n) {
        memset(out, 0, len);
        return rlab_lgc_fail(RLAB_ERR_BACKEND, "gcry_mpi_print", e);
    }
    return RLAB_OK;
}

/* see lgc_internal.h */
int rlab_lgc_draw(const struct rlab_rng *rng, uint8_t *out, size_t len)
{
    if (len == 0)
        return RLAB_OK;
    return rng->fill(rng->ctx, out, len) == RLAB_OK ? RLAB_OK : RLAB_ERR_RNG;
}
