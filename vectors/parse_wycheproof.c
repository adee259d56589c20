/*
 * Wycheproof JSON for the RSA schemas (jansson).  see vec_int.h
 *
 * Both generations of field names are read:
 *   v1 (testvectors_v1/, *_schema_v1.json): the group has "privateKey" or
 *     "publicKey" objects of components ("modulus", "publicExponent",
 *     "privateExponent", "prime1", ..., "coefficient", "otherPrimeInfos"),
 *     plus "privateKeyPkcs8"/"privateKeyPem" or "publicKeyDer"/
 *     "publicKeyAsn"/"publicKeyPem", and "keySize".
 *   older (testvectors/, *_schema.json): "n", "e", "d" as group members,
 *     "privateKeyPkcs8"/"privateKeyPem" or "keyDer"/"keyAsn"/"keyPem", and
 *     "keysize".
 * Components are used when the group has them; an encoding otherwise (and
 * for multi-prime keys, which the two-prime interface cannot take apart).
 * Signature generation (rsassa_pkcs1_generate) is the exception: there the
 * private key is read in every form the group gives ("privateKey" or n, e,
 * d; "privateKeyPkcs8" or the older "privateKeyDer"; "privateKeyPem"), each
 * form a key of its own, and every test runs once per form (its case id
 * names the form).
 * For rsassa_pss_with_parameters the DER carries RSASSA-PSS parameters, so
 * its components are what we use.  Hashes "sha"/"mgfSha", "mgf" (MGF1, or
 * for PSS a SHAKE as the mask itself, RFC 8702), "sLen"; tests "tcId", "comment", "flags", "msg", "ct"/"sig", "label",
 * "result" (valid / invalid / acceptable).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "vectors/vec_int.h"

static const char *str(json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

/* A BigInt / HexBytes member into b; absent members leave b empty. */
static int hex_member(json_t *o, const char *name, struct rlab_buf *b, int integer)
{
    const char *v = str(o, name);
    if (v == NULL)
        return RLAB_OK;
    if (rlab_vec_hex(b, v, strlen(v)) != RLAB_OK)
        return rlab_error_set(RLAB_ERR_PARSE, "bad hex in \"%s\"", name);
    if (integer)
        rlab_vec_strip_zeros(b);
    return RLAB_OK;
}

/* The private key's components: the "privateKey" object, else the older
 * group members n, e, d.  Absent members leave their buffers empty. */
static int private_components(json_t *g, struct rlab_vec_key *k)
{
    json_t *pk = json_object_get(g, "privateKey");
    int rc = RLAB_OK;
    if (json_is_object(pk)) {
        static const char *const names[] = {"modulus", "publicExponent", "privateExponent",
                                            "prime1", "prime2", "exponent1", "exponent2",
                                            "coefficient"};
        struct rlab_buf *dst[] = {&k->c.n, &k->c.e, &k->c.d, &k->c.p,
                                  &k->c.q, &k->c.dp, &k->c.dq, &k->c.qinv};
        for (size_t i = 0; rc == RLAB_OK && i < 8; i++)
            rc = hex_member(pk, names[i], dst[i], 1);
        json_t *other = json_object_get(pk, "otherPrimeInfos");
        k->multi_prime = json_is_array(other) && json_array_size(other) > 0;
    } else {
        if ((rc = hex_member(g, "n", &k->c.n, 1)) == RLAB_OK &&
            (rc = hex_member(g, "e", &k->c.e, 1)) == RLAB_OK)
            rc = hex_member(g, "d", &k->c.d, 1);
    }
    return rc;
}

static int private_key(json_t *g, struct rlab_vec_key *k)
{
    int rc = private_components(g, k);
    if (rc != RLAB_OK)
        return rc;
    int need_encoding = k->multi_prime || k->c.p.len == 0;
    if (need_encoding && str(g, "privateKeyPkcs8") != NULL) {
        k->der_fmt = RLAB_KEYFMT_PKCS8;
        k->der_enc = RLAB_ENC_DER;
        rc = hex_member(g, "privateKeyPkcs8", &k->der, 0);
    } else if (need_encoding && str(g, "privateKeyPem") != NULL) {
        const char *pem = str(g, "privateKeyPem");
        k->der_fmt = RLAB_KEYFMT_PKCS8;
        k->der_enc = RLAB_ENC_PEM;
        rc = rlab_buf_set(&k->der, pem, strlen(pem));
    }
    if (rc == RLAB_OK && k->c.d.len == 0 && k->der.len == 0)
        rc = rlab_error_set(RLAB_ERR_PARSE, "group without a private key");
    return rc;
}

static int public_key(json_t *g, struct rlab_vec_key *k)
{
    json_t *pk = json_object_get(g, "publicKey");
    int rc;
    if (json_is_object(pk)) {
        if ((rc = hex_member(pk, "modulus", &k->c.n, 1)) == RLAB_OK)
            rc = hex_member(pk, "publicExponent", &k->c.e, 1);
    } else if ((rc = hex_member(g, "n", &k->c.n, 1)) == RLAB_OK) {
        rc = hex_member(g, "e", &k->c.e, 1);
    }
    if (rc != RLAB_OK || (k->c.n.len > 0 && k->c.e.len > 0))
        return rc;
    /* No components: an encoding, SubjectPublicKeyInfo first. */
    static const struct {
        const char *name;
        rlab_keyfmt fmt;
        rlab_encoding enc;
    } enc[] = {
        {"publicKeyDer", RLAB_KEYFMT_SPKI, RLAB_ENC_DER},
        {"keyDer", RLAB_KEYFMT_SPKI, RLAB_ENC_DER},
        {"publicKeyAsn", RLAB_KEYFMT_PKCS1_PUB, RLAB_ENC_DER},
        {"keyAsn", RLAB_KEYFMT_PKCS1_PUB, RLAB_ENC_DER},
        {"publicKeyPem", RLAB_KEYFMT_SPKI, RLAB_ENC_PEM},
        {"keyPem", RLAB_KEYFMT_SPKI, RLAB_ENC_PEM},
    };
    for (size_t i = 0; i < sizeof enc / sizeof enc[0]; i++) {
        const char *v = str(g, enc[i].name);
        if (v == NULL)
            continue;
        k->der_fmt = enc[i].fmt;
        k->der_enc = enc[i].enc;
        if (enc[i].enc == RLAB_ENC_PEM)
            return rlab_buf_set(&k->der, v, strlen(v));
        return hex_member(g, enc[i].name, &k->der, 0);
    }
    return rlab_error_set(RLAB_ERR_PARSE, "group without a public key");
}

/* Why no backend can run this group, or NULL. */
static char *group_skip(json_t *g, rlab_vec_family fam, rlab_hash *hash, rlab_hash *mgf1)
{
    const char *sha = str(g, "sha");
    *hash = *mgf1 = RLAB_HASH_NONE;
    if (fam == RLAB_VEC_PKCS1_CRYPT)
        return NULL;
    if (sha == NULL)
        return rlab_vec_strdupf("group has no \"sha\"");
    if (rlab_hash_from_name(sha, hash) != RLAB_OK)
        return rlab_vec_strdupf("hash %s is not in the rsalab interface", sha);
    *mgf1 = *hash;
    if (fam == RLAB_VEC_PKCS1_SIG || fam == RLAB_VEC_PKCS1_GEN)
        return NULL;
    const char *mgf = str(g, "mgf");
    rlab_hash xof;
    if (fam == RLAB_VEC_PSS && mgf != NULL && rlab_hash_from_name(mgf, &xof) == RLAB_OK &&
        rlab_hash_is_xof(xof)) {
        /* RFC 8702: the mask is the SHAKE itself ("mgf": "SHAKE128", an
         * empty "mgfSha"); the interface says so with mgf1 = that SHAKE. */
        *mgf1 = xof;
        return NULL;
    }
    if (mgf != NULL && strcmp(mgf, "MGF1") != 0)
        return rlab_vec_strdupf("mask generation function %s is neither MGF1 nor a SHAKE",
                                mgf);
    const char *msha = str(g, "mgfSha");
    if (msha != NULL && rlab_hash_from_name(msha, mgf1) != RLAB_OK)
        return rlab_vec_strdupf("MGF1 hash %s is not in the rsalab interface", msha);
    return NULL;
}

static rlab_vec_expect expect_of(const char *result, int *ok)
{
    *ok = 1;
    if (result != NULL && strcmp(result, "valid") == 0)
        return RLAB_VEC_VALID;
    if (result != NULL && strcmp(result, "invalid") == 0)
        return RLAB_VEC_INVALID;
    if (result != NULL && strcmp(result, "acceptable") == 0)
        return RLAB_VEC_ACCEPTABLE;
    *ok = 0;
    return RLAB_VEC_INVALID;
}

static char *context_of(json_t *t)
{
    const char *comment = str(t, "comment");
    json_t *flags = json_object_get(t, "flags");
    char fl[160] = "";
    size_t used = 0, i;
    json_t *v;
    json_array_foreach(flags, i, v) {
        const char *s = json_string_value(v);
        if (s != NULL && used < sizeof fl)
            used += (size_t)snprintf(fl + used, sizeof fl - used, "%s%s", used ? "," : "", s);
    }
    return rlab_vec_strdupf("%s%s%s%s", comment != NULL ? comment : "",
                            fl[0] ? " [" : "", fl, fl[0] ? "]" : "");
}

/* form: the key form of a signature generation case ("pkcs8", ...), named
 * in its id; NULL for the other schemas. */
static int test_case(struct rlab_vec_file *f, json_t *t, size_t key, rlab_hash hash,
                     rlab_hash mgf1, int salt_len, const char *skip, const char *form)
{
    int sig = f->family == RLAB_VEC_PSS || f->family == RLAB_VEC_PKCS1_SIG ||
              f->family == RLAB_VEC_PKCS1_GEN;
    int ok;
    struct rlab_vec_case *c = rlab_vec_case_new(f);
    if (c == NULL)
        return RLAB_ERR_NOMEM;
    json_int_t id = json_integer_value(json_object_get(t, "tcId"));
    snprintf(c->id, sizeof c->id, "tcId %lld%s%s%s", (long long)id, form ? " (" : "",
             form ? form : "", form ? ")" : "");
    c->key = key;
    c->hash = hash;
    c->mgf1 = mgf1;
    c->salt_len = salt_len;
    c->expect = expect_of(str(t, "result"), &ok);
    c->context = context_of(t);
    if (c->context == NULL)
        return RLAB_ERR_NOMEM;
    if (!ok)
        return rlab_error_set(RLAB_ERR_PARSE, "tcId %lld: unknown result", (long long)id);
    if (skip != NULL && (c->skip = rlab_vec_strdupf("%s", skip)) == NULL)
        return RLAB_ERR_NOMEM;
    int rc = hex_member(t, "msg", &c->msg, 0);
    if (rc == RLAB_OK)
        rc = hex_member(t, sig ? "sig" : "ct", &c->out, 0);
    if (rc == RLAB_OK)
        rc = hex_member(t, "label", &c->label, 0);
    if (rc == RLAB_OK && (c->msg.data == NULL || c->out.data == NULL))
        rc = rlab_error_set(RLAB_ERR_PARSE, "tcId %lld: no msg or %s", (long long)id,
                            sig ? "sig" : "ct");
    return rc;
}

/* ---- signature generation ---------------------------------------------- */

enum { GEN_FORMS = 3 };

/*
 * The private key of a generation group in each form it gives: k[i] named
 * forms[i], *n of them.  A multi-prime key is not given as components (the
 * interface is two-prime), only in its encodings.
 */
static int gen_keys(json_t *g, struct rlab_vec_key k[GEN_FORMS], const char *forms[GEN_FORMS],
                    size_t *n)
{
    *n = 0;
    struct rlab_vec_key *c = &k[*n];
    int rc = private_components(g, c);
    if (rc != RLAB_OK)
        return rc;
    int multi = c->multi_prime;
    if (!multi && c->c.n.len > 0 && c->c.e.len > 0 && c->c.d.len > 0)
        forms[(*n)++] = json_is_object(json_object_get(g, "privateKey")) ? "components"
                                                                          : "n, e, d";
    else
        rlab_vec_key_clear(c);
    const char *der = str(g, "privateKeyPkcs8");
    const char *der_name = "privateKeyPkcs8";
    if (der == NULL) {
        der = str(g, "privateKeyDer");
        der_name = "privateKeyDer";
    }
    if (der != NULL) {
        c = &k[*n];
        c->der_fmt = RLAB_KEYFMT_PKCS8;
        c->der_enc = RLAB_ENC_DER;
        c->multi_prime = multi;
        if ((rc = hex_member(g, der_name, &c->der, 0)) != RLAB_OK)
            return rc;
        forms[(*n)++] = "pkcs8";
    }
    const char *pem = str(g, "privateKeyPem");
    if (pem != NULL) {
        c = &k[*n];
        c->der_fmt = strstr(pem, "-----BEGIN RSA PRIVATE KEY-----") != NULL
                         ? RLAB_KEYFMT_PKCS1_PRIV
                         : RLAB_KEYFMT_PKCS8;
        c->der_enc = RLAB_ENC_PEM;
        c->multi_prime = multi;
        if ((rc = rlab_buf_set(&c->der, pem, strlen(pem))) != RLAB_OK)
            return rc;
        forms[(*n)++] = "pem";
    }
    if (*n == 0)
        return rlab_error_set(RLAB_ERR_PARSE, "group without a private key");
    return RLAB_OK;
}

static int gen_group(struct rlab_vec_file *f, json_t *g, size_t gi)
{
    struct rlab_vec_key k[GEN_FORMS];
    const char *forms[GEN_FORMS];
    size_t n;
    memset(k, 0, sizeof k);
    rlab_error_clear();
    int rc = gen_keys(g, k, forms, &n);
    if (rc != RLAB_OK) {
        for (size_t i = 0; i < GEN_FORMS; i++)
            rlab_vec_key_clear(&k[i]);
        return rlab_error_set(rc, "testGroups[%zu]: %s", gi, rlab_error_detail());
    }
    rlab_hash hash, mgf1;
    char *skip = group_skip(g, f->family, &hash, &mgf1);
    json_t *tests = json_object_get(g, "tests");
    for (size_t v = 0; v < n; v++) {
        size_t key = rc == RLAB_OK ? rlab_vec_key_add(f, &k[v]) : 0;
        if (rc == RLAB_OK && key == SIZE_MAX)
            rc = RLAB_ERR_NOMEM;
        size_t i;
        json_t *t;
        json_array_foreach(tests, i, t) {
            if (rc != RLAB_OK)
                break;
            rc = test_case(f, t, key, hash, mgf1, -1, skip, n > 1 ? forms[v] : NULL);
            if (rc == RLAB_ERR_PARSE)
                rc = rlab_error_set(rc, "testGroups[%zu]: %s", gi, rlab_error_detail());
        }
    }
    for (size_t i = 0; i < GEN_FORMS; i++)
        rlab_vec_key_clear(&k[i]);
    free(skip);
    return rc;
}

static int group(struct rlab_vec_file *f, json_t *g, size_t gi)
{
    if (f->family == RLAB_VEC_PKCS1_GEN)
        return gen_group(f, g, gi);
    int sig = f->family == RLAB_VEC_PSS || f->family == RLAB_VEC_PKCS1_SIG;
    struct rlab_vec_key k = {0};
    int rc = sig ? public_key(g, &k) : private_key(g, &k);
    /* rlab_error_set may be given its own detail (errors.h): the group's
     * index goes in front of what the key reader said. */
    if (rc != RLAB_OK) {
        rlab_vec_key_clear(&k);
        return rlab_error_set(rc, "testGroups[%zu]: %s", gi, rlab_error_detail());
    }
    size_t key = rlab_vec_key_add(f, &k);
    if (key == SIZE_MAX)
        return RLAB_ERR_NOMEM;
    rlab_hash hash, mgf1;
    char *skip = group_skip(g, f->family, &hash, &mgf1);
    int salt_len = -1;
    json_t *slen = json_object_get(g, "sLen");
    if (f->family == RLAB_VEC_PSS) {
        if (!json_is_integer(slen) || json_integer_value(slen) < 0 ||
            json_integer_value(slen) > 4096)
            rc = rlab_error_set(RLAB_ERR_PARSE, "testGroups[%zu]: bad sLen", gi);
        else
            salt_len = (int)json_integer_value(slen);
    }
    json_t *tests = json_object_get(g, "tests");
    size_t i;
    json_t *t;
    json_array_foreach(tests, i, t) {
        if (rc != RLAB_OK)
            break;
        rc = test_case(f, t, key, hash, mgf1, salt_len, skip, NULL);
        if (rc == RLAB_ERR_PARSE)
            rc = rlab_error_set(rc, "testGroups[%zu]: %s", gi, rlab_error_detail());
    }
    free(skip);
    return rc;
}

int rlab_vec_parse_wycheproof(struct rlab_vec_file *f, const char *text, size_t len)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    if (root == NULL)
        return rlab_error_set(RLAB_ERR_PARSE, "JSON line %d: %s", jerr.line, jerr.text);
    json_t *groups = json_object_get(root, "testGroups");
    int rc = RLAB_OK;
    if (!json_is_array(groups))
        rc = rlab_error_set(RLAB_ERR_PARSE, "no testGroups array");
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        if (rc != RLAB_OK)
            break;
        rc = group(f, g, i);
    }
    json_decref(root);
    return rc;
}
