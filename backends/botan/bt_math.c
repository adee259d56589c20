/*
 * Number work the Botan FFI does not offer in one call, done with its
 * botan_mp_t functions: the key checks, p and q from n, e, d, the CRT values,
 * and prime generation for public exponents other than 65537 (the FFI's
 * botan_privkey_create always uses 65537).  Contracts in bt_internal.h.
 *
 * These run on secrets with Botan's general BigInt code, which is not
 * constant time; they run once per key, and the outcome of a check (accept
 * or refuse the key) is public anyway.  BigInt storage is a secure_vector,
 * wiped when botan_mp_destroy frees it.
 */
#include <string.h>

#include "base/buf.h"
#include "backends/botan/bt_internal.h"

/* see bt_internal.h */
int rlab_bt_mp_new(botan_mp_t *mp, const uint8_t *p, size_t len)
{
    *mp = NULL;
    if (botan_mp_init(mp) != BOTAN_FFI_SUCCESS) {
        *mp = NULL;
        return RLAB_ERR_NOMEM;
    }
    if (len > 0 && botan_mp_from_bin(*mp, p, len) != BOTAN_FFI_SUCCESS) {
        botan_mp_destroy(*mp);
        *mp = NULL;
        return RLAB_ERR_BACKEND;
    }
    return RLAB_OK;
}

/* see bt_internal.h */
int rlab_bt_mp_out(botan_mp_t mp, struct rlab_buf *b)
{
    size_t n = 0;
    if (botan_mp_num_bytes(mp, &n) != BOTAN_FFI_SUCCESS)
        return RLAB_ERR_BACKEND;
    int rc = rlab_buf_alloc(b, n > 0 ? n : 1);
    if (rc == RLAB_OK && n > 0 && botan_mp_to_bin(mp, b->data) != BOTAN_FFI_SUCCESS) {
        rlab_buf_clear(b);
        rc = RLAB_ERR_BACKEND;
    }
    return rc;
}

/* a < b ?  (errors read as "no") */
static int bt_lt(botan_mp_t a, botan_mp_t b)
{
    int r = 0;
    return botan_mp_cmp(&r, a, b) == BOTAN_FFI_SUCCESS && r < 0;
}

static int bt_invalid(const char *what)
{
    return rlab_error_set(RLAB_ERR_KEY_INVALID, "%s", what);
}

/* see bt_internal.h */
int rlab_bt_check_public(botan_mp_t n, botan_mp_t e)
{
    botan_mp_t three = NULL;
    if (botan_mp_init(&three) != BOTAN_FFI_SUCCESS)
        return RLAB_ERR_NOMEM;
    int rc = RLAB_OK;
    if (botan_mp_set_from_int(three, 3) != BOTAN_FFI_SUCCESS)
        rc = RLAB_ERR_BACKEND;
    else if (botan_mp_is_zero(n) != 0)
        rc = bt_invalid("n is 0");
    else if (botan_mp_get_bit(n, 0) != 1)
        rc = bt_invalid("n has the small factor 2");
    else if (bt_lt(e, three))
        rc = bt_invalid("e is below 3");
    else if (botan_mp_get_bit(e, 0) != 1)
        rc = bt_invalid("e is even");
    else if (!bt_lt(e, n))
        rc = bt_invalid("e is not below n");
    botan_mp_destroy(three);
    return rc;
}

/* Scratch numbers of the private checks and of rlab_bt_complete(). */
enum { BT_N, BT_E, BT_D, BT_P, BT_Q, BT_DP, BT_DQ, BT_QI, BT_T, BT_U, BT_R, BT_PM1,
       BT_QM1, BT_NMP };

static void bt_mps_free(botan_mp_t m[BT_NMP])
{
    for (int i = 0; i < BT_NMP; i++)
        if (m[i] != NULL)
            botan_mp_destroy(m[i]);
}

/* m[0..nv) from v[0..nv), the rest zero. */
static int bt_mps_new(botan_mp_t m[BT_NMP], const struct rlab_buf *v, int nv)
{
    memset(m, 0, sizeof(botan_mp_t) * BT_NMP);
    for (int i = 0; i < BT_NMP; i++) {
        int rc = rlab_bt_mp_new(&m[i], i < nv ? v[i].data : NULL, i < nv ? v[i].len : 0);
        if (rc != RLAB_OK) {
            bt_mps_free(m);
            return rc;
        }
    }
    return RLAB_OK;
}

/* Is x == a mod m?  (t scratch) */
static int bt_eq_mod(botan_mp_t x, botan_mp_t a, botan_mp_t m, botan_mp_t t, botan_mp_t u)
{
    return botan_mp_div(t, u, a, m) == BOTAN_FFI_SUCCESS && botan_mp_equal(x, u) == 1;
}

/* see bt_internal.h */
int rlab_bt_check_private(const struct rlab_buf v[8])
{
    botan_mp_t m[BT_NMP];
    int rc = bt_mps_new(m, v, 8);
    if (rc != RLAB_OK)
        return rc;
    const char *why = "d must be in 1..n-1";
    rc = RLAB_ERR_KEY_INVALID;
    if (botan_mp_is_zero(m[BT_D]) != 0 || !bt_lt(m[BT_D], m[BT_N]))
        goto done;
    why = "p and q must be above 1 with n = p*q";
    if (botan_mp_sub_u32(m[BT_PM1], m[BT_P], 1) != 0 ||
        botan_mp_sub_u32(m[BT_QM1], m[BT_Q], 1) != 0 || botan_mp_is_zero(m[BT_PM1]) != 0 ||
        botan_mp_is_zero(m[BT_QM1]) != 0 || botan_mp_is_positive(m[BT_PM1]) != 1 ||
        botan_mp_is_positive(m[BT_QM1]) != 1 ||
        botan_mp_mul(m[BT_T], m[BT_P], m[BT_Q]) != 0 || botan_mp_equal(m[BT_T], m[BT_N]) != 1)
        goto done;
    why = "e*d is not 1 mod p-1 and q-1";
    if (botan_mp_mul(m[BT_T], m[BT_E], m[BT_D]) != 0 ||
        botan_mp_sub_u32(m[BT_T], m[BT_T], 1) != 0 ||
        botan_mp_div(m[BT_U], m[BT_R], m[BT_T], m[BT_PM1]) != 0 ||
        botan_mp_is_zero(m[BT_R]) != 1 ||
        botan_mp_div(m[BT_U], m[BT_R], m[BT_T], m[BT_QM1]) != 0 ||
        botan_mp_is_zero(m[BT_R]) != 1)
        goto done;
    why = "dp, dq or qinv does not match p, q, d";
    if (!bt_eq_mod(m[BT_DP], m[BT_D], m[BT_PM1], m[BT_T], m[BT_U]) ||
        !bt_eq_mod(m[BT_DQ], m[BT_D], m[BT_QM1], m[BT_T], m[BT_U]) ||
        !bt_lt(m[BT_QI], m[BT_P]) ||
        botan_mp_mod_mul(m[BT_T], m[BT_QI], m[BT_Q], m[BT_P]) != 0 ||
        botan_mp_set_from_int(m[BT_U], 1) != 0 || botan_mp_equal(m[BT_T], m[BT_U]) != 1)
        goto done;
    rc = RLAB_OK;
done:
    bt_mps_free(m);
    return rc == RLAB_OK ? RLAB_OK : bt_invalid(why);
}

/*
 * p and q from n, e, d (the method of NIST SP 800-56B Appendix C, as in the
 * libtomcrypt backend): k = e*d - 1 = 2^t * r with r odd; for small bases g,
 * y = g^r mod n, squared until 1: a square root of 1 other than +-1 gives
 * p = gcd(y - 1, n).  Deterministic; p gets the larger prime.  m holds n,
 * e, d; p and q go to m[BT_P], m[BT_Q].
 */
static int bt_recover_pq(botan_mp_t m[BT_NMP])
{
    static const int bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47};
    botan_mp_t k = m[BT_T], r = m[BT_R], y = m[BT_U], x = m[BT_DP], nm1 = m[BT_DQ],
               g = m[BT_QI], one = m[BT_PM1];
    if (botan_mp_mul(k, m[BT_E], m[BT_D]) != 0 || botan_mp_sub_u32(k, k, 1) != 0 ||
        botan_mp_is_zero(k) != 0 || botan_mp_sub_u32(nm1, m[BT_N], 1) != 0 ||
        botan_mp_set_from_int(one, 1) != 0)
        return bt_invalid("cannot find p and q from n, e, d");
    size_t t = 0;
    while (botan_mp_get_bit(k, t) == 0)
        t++;
    if (botan_mp_rshift(r, k, t) != 0)
        return RLAB_ERR_BACKEND;
    int found = 0;
    for (size_t i = 0; !found && i < sizeof bases / sizeof bases[0]; i++) {
        if (botan_mp_set_from_int(g, bases[i]) != 0 ||
            botan_mp_powmod(y, g, r, m[BT_N]) != 0)
            return RLAB_ERR_BACKEND;
        for (size_t j = 0; j < t && !found; j++) {
            if (botan_mp_equal(y, one) == 1 || botan_mp_equal(y, nm1) == 1)
                break;
            if (botan_mp_mod_mul(x, y, y, m[BT_N]) != 0)
                return RLAB_ERR_BACKEND;
            if (botan_mp_equal(x, one) == 1) {
                if (botan_mp_sub_u32(y, y, 1) != 0 || botan_mp_gcd(m[BT_P], y, m[BT_N]) != 0)
                    return RLAB_ERR_BACKEND;
                found = 1;
            }
            if (botan_mp_swap(x, y) != 0)
                return RLAB_ERR_BACKEND;
        }
    }
    if (!found || !bt_lt(one, m[BT_P]) || botan_mp_div(m[BT_Q], x, m[BT_N], m[BT_P]) != 0 ||
        botan_mp_is_zero(x) != 1)
        return bt_invalid("cannot find p and q from n, e, d");
    if (bt_lt(m[BT_P], m[BT_Q]) && botan_mp_swap(m[BT_P], m[BT_Q]) != 0)
        return RLAB_ERR_BACKEND;
    return RLAB_OK;
}

/* see bt_internal.h */
int rlab_bt_complete(struct rlab_buf v[8])
{
    botan_mp_t m[BT_NMP];
    int rc = bt_mps_new(m, v, v[3].len > 0 && v[4].len > 0 ? 5 : 3);
    if (rc != RLAB_OK)
        return rc;
    if (v[3].len == 0 || v[4].len == 0)
        rc = bt_recover_pq(m);
    if (rc != RLAB_OK)
        goto done;
    rc = bt_invalid("p, q and d do not give CRT values");
    if (botan_mp_sub_u32(m[BT_PM1], m[BT_P], 1) != 0 ||
        botan_mp_sub_u32(m[BT_QM1], m[BT_Q], 1) != 0 || botan_mp_is_positive(m[BT_PM1]) != 1 ||
        botan_mp_is_positive(m[BT_QM1]) != 1 ||
        botan_mp_div(m[BT_T], m[BT_DP], m[BT_D], m[BT_PM1]) != 0 ||
        botan_mp_div(m[BT_T], m[BT_DQ], m[BT_D], m[BT_QM1]) != 0 ||
        botan_mp_mod_inverse(m[BT_QI], m[BT_Q], m[BT_P]) != 0 ||
        botan_mp_is_zero(m[BT_QI]) != 0)
        goto done;
    for (int i = 3; i < 8; i++) {
        rlab_buf_clear(&v[i]);
        rc = rlab_bt_mp_out(m[i], &v[i]);
        if (rc != RLAB_OK)
            goto done;
    }
    rc = RLAB_OK;
done:
    bt_mps_free(m);
    return rc;
}

/* One prime of `bits` bits (top two bits set) with gcd(x-1, e) = 1. */
static int bt_prime(botan_mp_t x, size_t bits, botan_mp_t e, botan_rng_t rng, botan_mp_t t,
                    botan_mp_t g)
{
    for (;;) {
        if (botan_mp_rand_bits(x, rng, bits) != 0 || botan_mp_set_bit(x, bits - 1) != 0 ||
            botan_mp_set_bit(x, bits - 2) != 0 || botan_mp_set_bit(x, 0) != 0 ||
            botan_mp_sub_u32(t, x, 1) != 0 || botan_mp_gcd(g, t, e) != 0)
            return RLAB_ERR_RNG;
        size_t gb = 0;
        if (botan_mp_num_bits(g, &gb) != 0)
            return RLAB_ERR_BACKEND;
        if (gb != 1) /* gcd(x-1, e) != 1 */
            continue;
        int pr = botan_mp_is_prime(x, rng, 128);
        if (pr < 0)
            return RLAB_ERR_RNG;
        if (pr == 1)
            return RLAB_OK;
    }
}

/* see bt_internal.h */
int rlab_bt_gen_primes(unsigned bits, botan_mp_t e, botan_rng_t rng, botan_mp_t p,
                       botan_mp_t q)
{
    botan_mp_t t = NULL, g = NULL;
    if (botan_mp_init(&t) != 0 || botan_mp_init(&g) != 0) {
        if (t != NULL)
            botan_mp_destroy(t);
        return RLAB_ERR_NOMEM;
    }
    int rc = bt_prime(p, (bits + 1) / 2, e, rng, t, g);
    while (rc == RLAB_OK) {
        rc = bt_prime(q, bits / 2, e, rng, t, g);
        if (rc != RLAB_OK)
            break;
        /* |p - q| > 2^(bits/2 - 100) (FIPS 186-5 A.1.3) */
        size_t db = 0;
        if (bt_lt(p, q) ? botan_mp_sub(t, q, p) != 0 : botan_mp_sub(t, p, q) != 0) {
            rc = RLAB_ERR_BACKEND;
            break;
        }
        if (botan_mp_num_bits(t, &db) != 0) {
            rc = RLAB_ERR_BACKEND;
            break;
        }
        if (db > bits / 2 - 100)
            break;
    }
    botan_mp_destroy(t);
    botan_mp_destroy(g);
    return rc;
}
