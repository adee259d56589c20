/* see testutil.h */
#include "backends/ops.h"
#include "tests/testutil.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* ---- set-up ------------------------------------------------------------- */

static const struct rlab_backend *backends[2];
static uint64_t seed;
static struct tu_prng run_prng;

const rlab_hash tu_hashes[7] = {
    RLAB_HASH_SHA1,   RLAB_HASH_SHA224,     RLAB_HASH_SHA256,     RLAB_HASH_SHA384,
    RLAB_HASH_SHA512, RLAB_HASH_SHA512_224, RLAB_HASH_SHA512_256,
};

static void usage(const char *prog, int nbackends)
{
    fprintf(stderr, "usage: %s %s [SEED]   (or RSALAB_TEST_SEED=SEED)\n", prog,
            nbackends == 2 ? "BACKEND_A BACKEND_B" : "BACKEND");
    exit(2);
}

static int parse_seed(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || *end != '\0')
        return 0;
    *out = (uint64_t)v;
    return 1;
}

void tu_init(int argc, char **argv, int nbackends)
{
    if (argc < 1 + nbackends || argc > 2 + nbackends)
        usage(argv[0], nbackends);
    rlab_registry_init();
    for (int i = 0; i < nbackends; i++) {
        backends[i] = rlab_backend_find(argv[1 + i]);
        if (backends[i] == NULL) {
            fprintf(stderr, "%s: backend '%s' is not in the registry (usable:", argv[0],
                    argv[1 + i]);
            for (size_t j = 0; j < rlab_backend_count(); j++)
                fprintf(stderr, " %s", rlab_backend_at(j)->name);
            fprintf(stderr, ")\n");
            exit(2);
        }
    }
    const char *env = getenv("RSALAB_TEST_SEED");
    if (argc == 2 + nbackends) {
        if (!parse_seed(argv[1 + nbackends], &seed))
            usage(argv[0], nbackends);
    } else if (env != NULL && *env != '\0') {
        if (!parse_seed(env, &seed))
            usage(argv[0], nbackends);
    } else if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed) {
        seed = (uint64_t)time(NULL);
    }
    tu_prng_seed(&run_prng, seed);
    for (int i = 0; i < nbackends; i++)
        printf("backend %s: %s\n", backends[i]->name,
               backends[i]->version ? backends[i]->version() : "(no version)");
    printf("seed %" PRIu64 " (RSALAB_TEST_SEED=%" PRIu64 " replays this run)\n", seed, seed);
    fflush(stdout);
}

const struct rlab_backend *tu_backend(int i)
{
    return backends[i];
}

uint64_t tu_seed(void)
{
    return seed;
}

/* ---- deterministic randomness ------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t prng_next(struct tu_prng *p)
{
    uint64_t *s = p->s;
    uint64_t r = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

void tu_prng_seed(struct tu_prng *p, uint64_t sd)
{
    for (int i = 0; i < 4; i++)
        p->s[i] = splitmix64(&sd);
}

static void prng_fill(struct tu_prng *p, uint8_t *out, size_t len)
{
    while (len > 0) {
        uint64_t v = prng_next(p);
        size_t n = len < 8 ? len : 8;
        memcpy(out, &v, n);
        out += n;
        len -= n;
    }
}

static int prng_rng_fill(void *ctx, uint8_t *out, size_t len)
{
    prng_fill(ctx, out, len);
    return RLAB_OK;
}

struct rlab_rng tu_prng_rng(struct tu_prng *p)
{
    struct rlab_rng r = {prng_rng_fill, p};
    return r;
}

void tu_rand(void *out, size_t len)
{
    prng_fill(&run_prng, out, len);
}

uint32_t tu_rand_below(uint32_t n)
{
    return (uint32_t)(prng_next(&run_prng) % n);
}

/* ---- cases ----------------------------------------------------------------- */

static struct {
    char name[256];
    int open, failed, skipped;
} cur;
static unsigned n_passed, n_failed, n_skipped;
static unsigned fails_in_test;     /* failed cases in the running test function */
static unsigned tests_failed_soft; /* test functions failed by tu_test_end() */

static void case_close(void)
{
    if (!cur.open)
        return;
    if (cur.failed)
        n_failed++;
    else if (cur.skipped)
        n_skipped++;
    else
        n_passed++;
    cur.open = 0;
}

void tu_case(const char *fmt, ...)
{
    case_close();
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cur.name, sizeof cur.name, fmt, ap);
    va_end(ap);
    cur.open = 1;
    cur.failed = 0;
    cur.skipped = 0;
}

int tu_case_ok(void)
{
    return cur.open && !cur.failed && !cur.skipped;
}

static void mark_skipped(const char *reason)
{
    if (cur.skipped || cur.failed)
        return;
    cur.skipped = 1;
    printf("SKIP %s: %s\n", cur.name, reason);
}

int tu_need(const struct rlab_backend *be, const struct rlab_op_query *q)
{
    const char *why = rlab_backend_check(be, q);
    if (why == NULL)
        return 1;
    mark_skipped(why);
    return 0;
}

void tu_skip(const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    mark_skipped(reason);
}

static void mark_failed(const char *file, int line, const char *msg)
{
    if (!cur.failed)
        fails_in_test++;
    cur.failed = 1;
    cur.skipped = 0;
    printf("FAIL %s: %s (%s:%d)\n", cur.name, msg, file, line);
    fflush(stdout);
}

int tu_check_at(const char *file, int line, int ok, const char *fmt, ...)
{
    if (ok)
        return 1;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mark_failed(file, line, msg);
    return 0;
}

int tu_rc_at(const char *file, int line, int got, int want, const char *what)
{
    if (got == want)
        return 1;
    char msg[512];
    const char *detail = rlab_error_detail();
    snprintf(msg, sizeof msg, "%s: expected %s, got %s%s%s%s", what, rlab_errname(want),
             rlab_errname(got), *detail ? " (" : "", detail, *detail ? ")" : "");
    mark_failed(file, line, msg);
    return 0;
}

void tu_test_end(void)
{
    case_close();
    unsigned n = fails_in_test;
    fails_in_test = 0;
    if (n > 0) {
        tests_failed_soft++;
        ck_abort_msg("%u case(s) failed; see the FAIL lines above", n);
    }
}

/* A case left open by a hard libcheck failure is not counted twice. */
static void fixture_setup(void)
{
    cur.open = 0;
    fails_in_test = 0;
}

static void fixture_teardown(void)
{
}

TCase *tu_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

/* ---- run ------------------------------------------------------------------- */

int tu_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    case_close();
    /* Test functions that failed outside tu_test_end (a hard assertion)
     * count as one failed case each. */
    unsigned hard = (unsigned)nf > tests_failed_soft ? (unsigned)nf - tests_failed_soft : 0;
    n_failed += hard;
    printf("%s%s%s: %u passed, %u failed, %u skipped (seed %" PRIu64 ")\n",
           backends[0]->name, backends[1] ? "->" : "", backends[1] ? backends[1]->name : "",
           n_passed, n_failed, n_skipped, seed);
    tu_keys_free();
    rlab_registry_cleanup();
    if (n_failed > 0 || nf > 0)
        return 1;
    if (n_passed == 0 && n_skipped > 0)
        return 77;
    if (n_passed == 0)
        return 1; /* a suite that checked nothing is a defect */
    return 0;
}

/* ---- small helpers ------------------------------------------------------------ */

int tu_pss_max_salt(unsigned bits, rlab_hash h)
{
    long em_len = ((long)bits - 1 + 7) / 8;
    long m = em_len - (long)rlab_hash_len(h) - 2;
    return m < 0 ? -1 : (int)m;
}

long tu_oaep_max(const rlab_key *k, rlab_hash h)
{
    long m = (long)rlab_key_size(k) - 2 * (long)rlab_hash_len(h) - 2;
    return m < 0 ? -1 : m;
}

const char *tu_hex(const uint8_t *p, size_t len)
{
    static char buf[2 * 32 + 4];
    size_t n = len > 32 ? 32 : len;
    for (size_t i = 0; i < n; i++)
        snprintf(buf + 2 * i, 3, "%02x", p[i]);
    if (len > n)
        strcpy(buf + 2 * n, "...");
    return buf;
}

int tu_bytes_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

int tu_int_eq(const struct rlab_buf *a, const struct rlab_buf *b)
{
    size_t i = 0, j = 0;
    while (i < a->len && a->data[i] == 0)
        i++;
    while (j < b->len && b->data[j] == 0)
        j++;
    return tu_bytes_eq(a->data + i, a->len - i, b->data + j, b->len - j);
}

void tu_rand_below_n(const rlab_key *k, uint8_t *out)
{
    /* n >= 2^(bits-1) >= 2^(8(k-1)), so a zero top byte keeps us below n. */
    size_t len = rlab_key_size(k);
    tu_rand(out, len);
    out[0] = 0;
}

/* ---- key encodings ------------------------------------------------------------ */

const char *tu_enc_name(rlab_encoding e)
{
    return e == RLAB_ENC_PEM ? "pem" : "der";
}

int tu_is_private_fmt(rlab_keyfmt f)
{
    return f == RLAB_KEYFMT_PKCS1_PRIV || f == RLAB_KEYFMT_PKCS8;
}

void tu_same_export_at(const char *file, int line, const struct rlab_backend *ba,
                       const rlab_key *ka, const char *what_a,
                       const struct rlab_backend *bb, const rlab_key *kb,
                       const char *what_b, rlab_keyfmt f, rlab_encoding e,
                       const char *what)
{
    struct rlab_buf wa = RLAB_BUF_INIT, wb = RLAB_BUF_INIT;
    if (tu_rc_at(file, line, rlab_key_export(ba, ka, f, e, &wa), RLAB_OK, what_a) &&
        tu_rc_at(file, line, rlab_key_export(bb, kb, f, e, &wb), RLAB_OK, what_b))
        tu_check_at(file, line, tu_bytes_eq(wa.data, wa.len, wb.data, wb.len),
                    "%s differ (%zu vs %zu bytes)", what, wa.len, wb.len);
    rlab_buf_clear(&wa);
    rlab_buf_clear(&wb);
}
