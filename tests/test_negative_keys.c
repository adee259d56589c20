/*
 * Negative cases for key input (part of suite_negative): bytes that are no
 * key (random, text, armoured junk, empty), a DER key with a trailing byte,
 * PEM of one format given as another, and keys truncated at several points,
 * through the backend's import, rlab_keyfile_parse() and rlab_keyfile_load().
 * Each must give RLAB_ERR_KEY_FORMAT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/ops.h"
#include "core/keyfile.h"
#include "tests/test_negative.h"
#include "tests/testutil.h"

/* ---- key files that are not keys -------------------------------------------------------- */

static void check_not_a_key(const struct rlab_backend *be, const char *dir, const char *tag,
                            const uint8_t *data, size_t len)
{
    tu_case("%s negative not-a-key %s (%zu bytes) -> KEY_FORMAT", be->name, tag, len);
    struct rlab_op_query qi = {.op = RLAB_OP_IMPORT};
    if (!tu_need(be, &qi))
        return;
    rlab_key *k = NULL;
    TU_RC(rlab_keyfile_parse(be, data, len, &k, NULL, NULL), RLAB_ERR_KEY_FORMAT,
          "rlab_keyfile_parse");
    TU_CHECK(k == NULL, "a key came back");
    rlab_key_free(k);
    k = NULL;
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        for (int e = RLAB_ENC_DER; e <= RLAB_ENC_PEM; e++) {
            char what[64];
            snprintf(what, sizeof what, "import as %s %s", rlab_keyfmt_name(f),
                     e ? "pem" : "der");
            TU_RC(rlab_key_import(be, f, e, data, len, &k), RLAB_ERR_KEY_FORMAT, what);
            rlab_key_free(k);
            k = NULL;
        }
    }
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, tag);
    if (TU_RC(rlab_file_write(path, data, len, 0600, 1), RLAB_OK, "rlab_file_write")) {
        TU_RC(rlab_keyfile_load(be, path, &k), RLAB_ERR_KEY_FORMAT, "rlab_keyfile_load");
        rlab_key_free(k);
        unlink(path);
    }
}

START_TEST(test_not_a_key)
{
    const struct rlab_backend *be = tu_backend(0);
    char dir[] = "/tmp/rsalab-neg-XXXXXX";
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp");
    uint8_t rnd[1200];
    tu_rand(rnd, sizeof rnd);
    rnd[0] = 0x5a; /* not a DER SEQUENCE, not PEM */
    check_not_a_key(be, dir, "random-1200", rnd, sizeof rnd);
    check_not_a_key(be, dir, "random-16", rnd, 16);
    rnd[0] = 0x30; /* looks like a SEQUENCE, contents random */
    check_not_a_key(be, dir, "random-der-like", rnd, 300);
    const char *text = "This is a text file.\nIt holds no key at all.\n";
    check_not_a_key(be, dir, "text", (const uint8_t *)text, strlen(text));
    const char *bad_pem = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n"
                          "-----END RSA PRIVATE KEY-----\n";
    check_not_a_key(be, dir, "pem-armoured-junk", (const uint8_t *)bad_pem, strlen(bad_pem));
    check_not_a_key(be, dir, "empty", (const uint8_t *)"", 0);
    rmdir(dir);
    tu_test_end();
}
END_TEST

/* DER with a trailing byte, and PEM of one format fed to another's import. */
START_TEST(test_key_encoding_mismatch)
{
    const struct rlab_backend *be = tu_backend(0);
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT}, qi = {.op = RLAB_OP_IMPORT};
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        tu_case("%s negative %s der + 1 trailing byte, and as the other formats -> KEY_FORMAT",
                be->name, rlab_keyfmt_name(f));
        rlab_key *priv = tu_key(be, BITS, 0);
        if (priv == NULL || !tu_need(be, &qe) || !tu_need(be, &qi))
            continue;
        struct rlab_buf der = RLAB_BUF_INIT, pem = RLAB_BUF_INIT;
        rlab_key *k = NULL;
        if (TU_RC(rlab_key_export(be, priv, f, RLAB_ENC_DER, &der), RLAB_OK, "export der") &&
            TU_RC(rlab_key_export(be, priv, f, RLAB_ENC_PEM, &pem), RLAB_OK, "export pem")) {
            uint8_t *longer = malloc(der.len + 1);
            ck_assert(longer != NULL);
            memcpy(longer, der.data, der.len);
            longer[der.len] = 0;
            TU_RC(rlab_key_import(be, f, RLAB_ENC_DER, longer, der.len + 1, &k), RLAB_ERR_KEY_FORMAT,
                  "import of der + 1 byte");
            rlab_key_free(k);
            k = NULL;
            free(longer);
            for (int g = 0; g < RLAB_KEYFMT_COUNT; g++) {
                if (g == f)
                    continue;
                char what[80];
                snprintf(what, sizeof what, "%s pem imported as %s", rlab_keyfmt_name(f),
                         rlab_keyfmt_name(g));
                TU_RC(rlab_key_import(be, g, RLAB_ENC_PEM, pem.data, pem.len, &k), RLAB_ERR_KEY_FORMAT,
                      what);
                rlab_key_free(k);
                k = NULL;
            }
        }
        rlab_buf_clear(&der);
        rlab_buf_clear(&pem);
    }
    tu_test_end();
}
END_TEST

START_TEST(test_truncated_key)
{
    const struct rlab_backend *be = tu_backend(0);
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT}, qi = {.op = RLAB_OP_IMPORT};
    for (int f = 0; f < RLAB_KEYFMT_COUNT; f++) {
        for (int e = RLAB_ENC_DER; e <= RLAB_ENC_PEM; e++) {
            rlab_key *priv = tu_key(be, BITS, 0);
            struct rlab_buf b = RLAB_BUF_INIT;
            tu_case("%s negative truncated %s %s", be->name, rlab_keyfmt_name(f),
                    e ? "pem" : "der");
            if (priv == NULL || !tu_need(be, &qe) || !tu_need(be, &qi) ||
                !TU_RC(rlab_key_export(be, priv, f, e, &b), RLAB_OK, "export"))
                continue;
            /* PEM: inside the BEGIN line, just after it, a third and half of
             * the body, just before the END line, inside the END line.  DER:
             * the header alone, a third, a half, all but one byte. */
            const char *endl = strstr((const char *)b.data, "-----END");
            size_t end_at = endl ? (size_t)(endl - (const char *)b.data) : b.len / 2;
            const char *nl = memchr(b.data, '\n', b.len);
            size_t begin_end = nl ? (size_t)(nl - (const char *)b.data) + 1 : 10;
            size_t cuts_pem[] = {10, begin_end, b.len / 3, b.len / 2, end_at, b.len - 3};
            size_t cuts_der[] = {4, b.len / 3, b.len / 2, b.len - 1};
            size_t *cuts = e ? cuts_pem : cuts_der;
            size_t ncuts = e ? 6 : 4;
            for (size_t i = 0; i < ncuts; i++) {
                tu_case("%s negative %s %s cut to %zu of %zu bytes -> KEY_FORMAT", be->name,
                        rlab_keyfmt_name(f), e ? "pem" : "der", cuts[i], b.len);
                rlab_key *k = NULL;
                TU_RC(rlab_key_import(be, f, e, b.data, cuts[i], &k), RLAB_ERR_KEY_FORMAT, "import");
                rlab_key_free(k);
                k = NULL;
                TU_RC(rlab_keyfile_parse(be, b.data, cuts[i], &k, NULL, NULL),
                      RLAB_ERR_KEY_FORMAT, "rlab_keyfile_parse");
                rlab_key_free(k);
            }
            rlab_buf_clear(&b);
        }
    }
    tu_test_end();
}
END_TEST

TCase *negative_key_files_tcase(Suite *s)
{
    TCase *tc = tu_tcase(s, "key-files");
    tcase_add_test(tc, test_not_a_key);
    tcase_add_test(tc, test_key_encoding_mismatch);
    tcase_add_test(tc, test_truncated_key);
    return tc;
}
