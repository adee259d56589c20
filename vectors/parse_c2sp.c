/*
 * Wycheproof JSON of schema c2sp_chunked_encryption (jansson, zlib).
 * see vec_int.h for where each field goes.
 *
 * Group: "aead" (AEAD_AES_128_GCM or AEAD_AES_256_GCM), "sha" (SHA-512).
 * Test: "tcId", "comment", "flags", "key", "ctx", "ct" (zlib-compressed,
 * then hex), "aeadKey", "baseNonce", "msgLength", "msgSha512", "result".
 * The ciphertext is decompressed here, once, so that every backend runs the
 * same bytes; some are over 4 MiB (chunk counters past 0xff) and compress
 * to almost nothing, so the output is capped.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/fileio.h"
#include "vectors/vec_int.h"

/* Decompressed ciphertexts above this are refused (a zip bomb, not a test). */
#define CT_MAX ((size_t)64 << 20)

static const char *str(json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static int hex_member(json_t *o, const char *name, struct rlab_buf *b, int required)
{
    const char *v = str(o, name);
    if (v == NULL)
        return required ? rlab_error_set(RLAB_ERR_PARSE, "no \"%s\"", name) : RLAB_OK;
    if (rlab_vec_hex(b, v, strlen(v)) != RLAB_OK)
        return rlab_error_set(RLAB_ERR_PARSE, "bad hex in \"%s\"", name);
    return RLAB_OK;
}

/* zlib stream in z (whole) into out. */
static int inflate_all(const struct rlab_buf *z, struct rlab_buf *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return rlab_error_set(RLAB_ERR_NOMEM, "inflateInit failed");
    size_t cap = 4096, len = 0;
    uint8_t *p = malloc(cap);
    int zr = Z_OK, rc = RLAB_OK;
    zs.next_in = z->data;
    zs.avail_in = (uInt)z->len;
    while (p != NULL && zr != Z_STREAM_END) {
        if (len == cap) {
            if (cap >= CT_MAX) {
                rc = rlab_error_set(RLAB_ERR_TOO_BIG, "\"ct\" inflates past %zu bytes",
                                    (size_t)CT_MAX);
                break;
            }
            uint8_t *q = realloc(p, cap * 2);
            if (q == NULL) {
                free(p);
                p = NULL;
                break;
            }
            p = q;
            cap *= 2;
        }
        zs.next_out = p + len;
        zs.avail_out = (uInt)(cap - len);
        zr = inflate(&zs, Z_NO_FLUSH);
        len = cap - zs.avail_out;
        if (zr != Z_OK && zr != Z_STREAM_END) {
            rc = rlab_error_set(RLAB_ERR_PARSE, "\"ct\" is not a zlib stream (%s)",
                                zs.msg != NULL ? zs.msg : "inflate error");
            break;
        }
    }
    if (rc == RLAB_OK && p != NULL && zs.avail_in != 0)
        rc = rlab_error_set(RLAB_ERR_PARSE, "bytes after the zlib stream of \"ct\"");
    inflateEnd(&zs);
    if (p == NULL)
        return RLAB_ERR_NOMEM;
    if (rc != RLAB_OK) {
        free(p);
        return rc;
    }
    rlab_buf_clear(out);
    out->data = p;
    out->len = len;
    return RLAB_OK;
}

static char *context_of(json_t *t, unsigned *sf)
{
    static const struct {
        const char *name;
        unsigned bit;
    } known[] = {{"PartialPlaintext", RLAB_VEC_SF_PARTIAL},
                 {"InvalidKeySize", RLAB_VEC_SF_KEY_SIZE},
                 {"HeaderFailure", RLAB_VEC_SF_HEADER}};
    const char *comment = str(t, "comment");
    char fl[200] = "";
    size_t used = 0, i;
    json_t *v;
    *sf = 0;
    json_array_foreach(json_object_get(t, "flags"), i, v) {
        const char *s = json_string_value(v);
        if (s == NULL)
            continue;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strcmp(s, known[k].name) == 0)
                *sf |= known[k].bit;
        if (used < sizeof fl)
            used += (size_t)snprintf(fl + used, sizeof fl - used, "%s%s", used ? "," : "", s);
    }
    return rlab_vec_strdupf("%s%s%s%s", comment != NULL ? comment : "", fl[0] ? " [" : "", fl,
                            fl[0] ? "]" : "");
}

static int test_case(struct rlab_vec_file *f, json_t *t, int key_len, const char *skip)
{
    struct rlab_vec_case *c = rlab_vec_case_new(f);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    json_int_t id = json_integer_value(json_object_get(t, "tcId"));
    snprintf(c->id, sizeof c->id, "tcId %lld", (long long)id);
    c->salt_len = key_len;
    c->hash = RLAB_HASH_SHA512;
    c->context = context_of(t, &c->stream_flags);
    if (c->context == NULL)
        return RLAB_ERR_NOMEM;
    const char *result = str(t, "result");
    if (result != NULL && strcmp(result, "valid") == 0)
        c->expect = RLAB_VEC_VALID;
    else if (result != NULL && strcmp(result, "invalid") == 0)
        c->expect = RLAB_VEC_INVALID;
    else /* the schema has no "acceptable" for this type */
        return rlab_error_set(RLAB_ERR_PARSE, "tcId %lld: result must be valid or invalid",
                              (long long)id);
    if (skip != NULL && (c->skip = rlab_vec_strdupf("%s", skip)) == NULL)
        return RLAB_ERR_NOMEM;

    struct rlab_buf z = RLAB_BUF_INIT;
    int rc = hex_member(t, "key", &c->skey, 1);
    if (rc == RLAB_OK)
        rc = hex_member(t, "ctx", &c->info, 1);
    if (rc == RLAB_OK)
        rc = hex_member(t, "ct", &z, 1);
    if (rc == RLAB_OK)
        rc = inflate_all(&z, &c->out);
    rlab_buf_clear(&z);
    if (rc == RLAB_OK)
        rc = hex_member(t, "aeadKey", &c->prk, 0);
    if (rc == RLAB_OK)
        rc = hex_member(t, "baseNonce", &c->iv, 0);
    if (rc == RLAB_OK)
        rc = hex_member(t, "msgSha512", &c->tag, 0);
    json_t *ml = json_object_get(t, "msgLength");
    if (rc == RLAB_OK && ml != NULL) {
        if (!json_is_integer(ml) || json_integer_value(ml) < 0 ||
            (unsigned long long)json_integer_value(ml) > CT_MAX)
            rc = rlab_error_set(RLAB_ERR_PARSE, "bad msgLength");
        else
            c->msg_len = (long)json_integer_value(ml);
    }
    if (rc == RLAB_OK && (c->msg_len >= 0) != (c->tag.data != NULL))
        rc = rlab_error_set(RLAB_ERR_PARSE, "msgLength and msgSha512 come together");
    if (rc == RLAB_OK && c->tag.data != NULL && c->tag.len != 64)
        rc = rlab_error_set(RLAB_ERR_PARSE, "msgSha512 is not 64 bytes");
    if (rc == RLAB_OK && c->expect == RLAB_VEC_VALID && c->msg_len < 0)
        rc = rlab_error_set(RLAB_ERR_PARSE, "a valid case without msgLength");
    if (rc != RLAB_OK)
        return rlab_error_set(rc, "tcId %lld: %s", (long long)id, rlab_error_detail());
    return RLAB_OK;
}

int rlab_vec_parse_c2sp(struct rlab_vec_file *f, const char *text, size_t len)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    if (root == NULL)
        return rlab_error_set(RLAB_ERR_PARSE, "JSON line %d: %s", jerr.line, jerr.text);
    json_t *groups = json_object_get(root, "testGroups");
    int rc = json_is_array(groups) ? RLAB_OK
                                   : rlab_error_set(RLAB_ERR_PARSE, "no testGroups array");
    size_t gi;
    json_t *g;
    json_array_foreach(groups, gi, g) {
        if (rc != RLAB_OK)
            break;
        const char *aead = str(g, "aead"), *sha = str(g, "sha");
        int key_len = 0;
        char *skip = NULL;
        if (aead != NULL && strcmp(aead, "AEAD_AES_128_GCM") == 0)
            key_len = 16;
        else if (aead != NULL && strcmp(aead, "AEAD_AES_256_GCM") == 0)
            key_len = 32;
        else
            skip = rlab_vec_strdupf("AEAD %s is not AES-GCM", aead ? aead : "(none)");
        if (skip == NULL && (sha == NULL || strcmp(sha, "SHA-512") != 0))
            skip = rlab_vec_strdupf("KDF hash %s is not SHA-512", sha ? sha : "(none)");
        size_t i;
        json_t *t;
        json_array_foreach(json_object_get(g, "tests"), i, t) {
            if ((rc = test_case(f, t, key_len, skip)) != RLAB_OK)
                break;
        }
        free(skip);
        if (rc != RLAB_OK)
            rc = rlab_error_set(rc, "testGroups[%zu]: %s", gi, rlab_error_detail());
    }
    json_decref(root);
    return rc;
}
