/* Helpers shared by test_gmp_hash.c and test_gmp_pad.c; see test_gmp_pad.h. */
#include "tests/gmp/test_gmp_pad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/hexutil.h"

#ifndef RLAB_VECTOR_DIR
#error "RLAB_VECTOR_DIR must name the cryptography_vectors folder"
#endif

/* ---- vector files ---------------------------------------------------------- */

char *gp_slurp(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", RLAB_VECTOR_DIR, rel);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open vector file %s", path);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

struct rlab_buf gp_hex(const char *s)
{
    struct rlab_buf b = RLAB_BUF_INIT;
    ck_assert_int_eq(rlab_hex_decode(s, strlen(s), &b), RLAB_OK);
    return b;
}

void gp_assert_bytes(const uint8_t *got, const uint8_t *want, size_t len,
                     const char *what)
{
    if (memcmp(got, want, len) != 0) {
        char g[2 * 1024 + 1], w[2 * 1024 + 1];
        size_t n = len > 1024 ? 1024 : len;
        rlab_hex_encode(got, n, g);
        rlab_hex_encode(want, n, w);
        ck_abort_msg("%s: got %s want %s", what, g, w);
    }
}

/* ---- deterministic randomness ------------------------------------------------ */

uint64_t gp_seed;

uint64_t gp_splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* ---- cases ------------------------------------------------------------------ */

void gp_add(Suite *s, const char *name, const TTest *t, int loop_end)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 600);
    if (loop_end > 0)
        tcase_add_loop_test(tc, t, 0, loop_end);
    else
        tcase_add_test(tc, t);
    suite_add_tcase(s, tc);
}
