/*
 * Fuzz target: the vector-file parsers (vectors/parse_*.c) through
 * rlab_vec_load(), which reads the file by path as apps/cmd_vectors does.
 *
 * Input: the first byte picks one of the catalogue's kinds of file below
 * (format, family, hash, name); the rest is the file's contents, written to
 * a memfd and loaded through its /proc/self/fd path.  A file that loads
 * must be coherent for the runners (at least one case; for the RSA
 * families every case names an existing key), and a small one is then run
 * on every backend (rlab_vec_run), which must record at least one check per
 * case and consistent tallies.  A broken property prints and abort()s.  RLAB_FUZZ_VERBOSE=1
 * in the environment prints each load's outcome.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vectors/vec_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct kind {
    const char *name;
    rlab_vec_format fmt;
    rlab_vec_family family;
    rlab_hash hash;
    int encrypt;
};

/* One of each way sources.c classifies a file. */
static const struct kind kinds[] = {
    {"oaep-vect", RLAB_VEC_FMT_PKCS1TXT, RLAB_VEC_OAEP, RLAB_HASH_SHA1, 0},
    {"pss-vect", RLAB_VEC_FMT_PKCS1TXT, RLAB_VEC_PSS, RLAB_HASH_SHA1, 0},
    {"pkcs1v15crypt-vectors", RLAB_VEC_FMT_PKCS1TXT, RLAB_VEC_PKCS1_CRYPT, RLAB_HASH_NONE, 0},
    {"pkcs1v15sign-vectors", RLAB_VEC_FMT_PKCS1TXT, RLAB_VEC_PKCS1_SIG, RLAB_HASH_SHA1, 0},
    {"oaep-sha256-sha1", RLAB_VEC_FMT_PKCS1TXT, RLAB_VEC_OAEP, RLAB_HASH_NONE, 0},
    {"SigGen15_186-3", RLAB_VEC_FMT_CAVP_SIG, RLAB_VEC_PKCS1_SIG, RLAB_HASH_NONE, 0},
    {"SigVer15_186-3", RLAB_VEC_FMT_CAVP_SIG, RLAB_VEC_PKCS1_SIG, RLAB_HASH_NONE, 0},
    {"SigGenPSS_186-3", RLAB_VEC_FMT_CAVP_SIG, RLAB_VEC_PSS, RLAB_HASH_NONE, 0},
    {"SigVerPSS_186-3", RLAB_VEC_FMT_CAVP_SIG, RLAB_VEC_PSS, RLAB_HASH_NONE, 0},
    {"oaep-label", RLAB_VEC_FMT_OAEP_LABEL, RLAB_VEC_OAEP, RLAB_HASH_NONE, 0},
    {"SHA256ShortMsg", RLAB_VEC_FMT_SHAVS, RLAB_VEC_HASH, RLAB_HASH_SHA256, 0},
    {"SHA1Monte", RLAB_VEC_FMT_SHAVS_MONTE, RLAB_VEC_HASH, RLAB_HASH_SHA1, 0},
    {"gcmEncryptExtIV128", RLAB_VEC_FMT_GCM, RLAB_VEC_AEAD, RLAB_HASH_NONE, 1},
    {"gcmDecrypt128", RLAB_VEC_FMT_GCM, RLAB_VEC_AEAD, RLAB_HASH_NONE, 0},
    {"rfc-4231-sha256", RLAB_VEC_FMT_HMAC, RLAB_VEC_HMAC, RLAB_HASH_SHA256, 0},
    {"rfc-5869-HKDF-SHA256", RLAB_VEC_FMT_HKDF, RLAB_VEC_HKDF, RLAB_HASH_NONE, 0},
    {"rsa_oaep_test", RLAB_VEC_FMT_WYCHEPROOF, RLAB_VEC_OAEP, RLAB_HASH_NONE, 0},
    {"rsa_pkcs1_test", RLAB_VEC_FMT_WYCHEPROOF, RLAB_VEC_PKCS1_CRYPT, RLAB_HASH_NONE, 0},
    {"rsa_signature_test", RLAB_VEC_FMT_WYCHEPROOF, RLAB_VEC_PKCS1_SIG, RLAB_HASH_NONE, 0},
    {"rsa_pss_test", RLAB_VEC_FMT_WYCHEPROOF, RLAB_VEC_PSS, RLAB_HASH_NONE, 0},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static void fail(const struct kind *k, const char *why, size_t i)
{
    fprintf(stderr, "fuzz_vectors: %s: %s (case %zu)\n", k->name, why, i);
    abort();
}

static int is_rsa(rlab_vec_family f)
{
    return f == RLAB_VEC_OAEP || f == RLAB_VEC_PSS || f == RLAB_VEC_PKCS1_SIG ||
           f == RLAB_VEC_PKCS1_CRYPT;
}

static void check(const struct kind *k, const struct rlab_vec_file *f)
{
    if (f->n_cases == 0 || rlab_vec_file_cases(f) != f->n_cases)
        fail(k, "loaded without cases", 0);
    for (size_t i = 0; i < f->n_cases; i++) {
        const struct rlab_vec_case *c = &f->cases[i];
        if (c->context == NULL || memchr(c->id, '\0', sizeof c->id) == NULL)
            fail(k, "case without context or with an unterminated id", i);
        if (!is_rsa(f->family) || c->skip != NULL)
            continue;
        if (c->key >= f->n_keys)
            fail(k, "case names a key that does not exist", i);
    }
}

/* Small enough to run on every backend at fuzzing speed: a few cases, keys
 * of at most 2048 bits (key validation tests primality). */
static int small(const struct rlab_vec_file *f)
{
    if (f->n_cases > 32)
        return 0;
    for (size_t i = 0; i < f->n_keys; i++) {
        const struct rlab_components *c = &f->keys[i].c;
        const struct rlab_buf *b[] = {&c->n, &c->e, &c->d, &c->p, &c->q, &c->dp, &c->dq, &c->qinv};
        for (size_t j = 0; j < sizeof b / sizeof b[0]; j++)
            if (b[j]->len > 256)
                return 0;
        if (f->keys[i].der.len > 2048)
            return 0;
    }
    return 1;
}

static void tally_add(struct rlab_vec_tally *sum, const struct rlab_vec_tally *t)
{
    sum->passed += t->passed;
    sum->failed += t->failed;
    sum->skipped += t->skipped;
    sum->acc_accepted += t->acc_accepted;
    sum->acc_rejected += t->acc_rejected;
}

/* A loaded file through the runners of every backend: keys built from
 * what the file says (from_components / import of fuzzed values) and every
 * check recorded once.  Failed checks are expected (the values are fuzzed);
 * only a crash or an inconsistent result is a finding. */
static void run_all(const struct kind *k, const struct rlab_vec_file *f)
{
    for (size_t b = 0; b < rlab_backend_count(); b++) {
        struct rlab_vec_result r;
        int rc = rlab_vec_run(rlab_backend_at(b), f, &r);
        if (rc != RLAB_OK && rc != RLAB_ERR_NOMEM)
            fail(k, "rlab_vec_run returned an error", b);
        if (rc == RLAB_OK && r.na_reason == NULL) {
            struct rlab_vec_tally sum = {0};
            for (int i = 0; i < RLAB_VEC_K_COUNT; i++)
                tally_add(&sum, &r.by_kind[i]);
            if (memcmp(&sum, &r.total, sizeof sum) != 0 || r.total.failed != r.n_failures)
                fail(k, "result tallies disagree", b);
            if (rlab_vec_checks(&r.total) < f->n_cases)
                fail(k, "a case recorded no check", b);
        }
        rlab_vec_result_clear(&r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        rlab_registry_init();
        fd = memfd_create("fuzz_vectors", 0);
        if (fd < 0) {
            perror("memfd_create");
            abort();
        }
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (size == 0)
        return 0;
    const struct kind *k = &kinds[data[0] % N_KINDS];
    data++;
    size--;
    if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size)) {
        perror("memfd write");
        abort();
    }
    struct rlab_vec_entry e = {
        .source = (char *)"fuzz",
        .name = (char *)k->name,
        .path = path,
        .fmt = k->fmt,
        .family = k->family,
        .hash = k->hash,
        .encrypt = k->encrypt,
        .found = 1,
    };
    struct rlab_vec_file *f = NULL;
    int rc = rlab_vec_load(&e, &f);
    if (getenv("RLAB_FUZZ_VERBOSE") != NULL) /* to see what a seed exercises */
        fprintf(stderr, "    %s: %s %s, %zu cases\n", k->name, rlab_errname(rc),
                rlab_error_detail(), f != NULL ? f->n_cases : 0);
    if (rc == RLAB_OK) {
        if (f == NULL)
            fail(k, "loaded without a file", 0);
        check(k, f);
        if (small(f))
            run_all(k, f);
    } else if (f != NULL) {
        fail(k, "failed load left a file", 0);
    }
    rlab_vec_file_free(f);
    return 0;
}
