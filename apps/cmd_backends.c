/*
 * rsalab backends: what each compiled-in backend is and can do.  Every
 * operation is put to rlab_backend_check() with a representative query
 * (SHA-256, MGF1-SHA-256, 32-byte salt, no label, 2048 bits, AES-256-GCM
 * with a 96-bit IV), so "no" always comes with the backend's reason.
 */
#include <jansson.h>
#include <string.h>

#include "apps/commands.h"
#include "apps/opts.h"

static const char cmd[] = "backends";

static const struct {
    unsigned bit;
    const char *name;
} cap_names[] = {
    {RLAB_CAP_KEYGEN, "keygen"},         {RLAB_CAP_COMPONENTS, "components"},
    {RLAB_CAP_IMPORT, "import"},         {RLAB_CAP_EXPORT, "export"},
    {RLAB_CAP_OAEP, "oaep"},             {RLAB_CAP_OAEP_LABEL, "oaep-label"},
    {RLAB_CAP_OAEP_MGF1, "oaep-mgf1"},   {RLAB_CAP_PSS, "pss"},
    {RLAB_CAP_PSS_MGF1, "pss-mgf1"},     {RLAB_CAP_PSS_AUTO, "pss-auto-salt"},
    {RLAB_CAP_PKCS1_SIGN, "pkcs1-sign"}, {RLAB_CAP_PKCS1_CRYPT, "pkcs1-crypt"},
    {RLAB_CAP_RAW, "raw"},               {RLAB_CAP_RNG_REPLAY, "rng-replay"},
    {RLAB_CAP_AEAD, "aes-gcm"},          {RLAB_CAP_AEAD_ANY_IV, "aes-gcm-any-iv"},
    {RLAB_CAP_HASH, "hash"},             {RLAB_CAP_MULTI_PRIME, "multi-prime"},
};
#define N_CAPS (sizeof cap_names / sizeof cap_names[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: rsalab backends [--json]\n"
               "\n"
               "List the backends in this build: name, library version, description,\n"
               "capabilities, hashes, and for every operation whether it runs (checked\n"
               "with SHA-256, 2048 bits, ...) or why not.\n"
               "\n"
               "  --json   the same as one JSON document on standard output\n"
               "\n"
               "Exit status: 0, or 2 on a usage error.\n");
}

static const char *version_of(const struct rlab_backend *be)
{
    const char *v = be->version != NULL ? be->version() : NULL;
    return v != NULL ? v : "unknown";
}

static const char *check_op(const struct rlab_backend *be, rlab_op op)
{
    struct rlab_op_query q = {
        .op = op,
        .hash = RLAB_HASH_SHA256,
        .mgf1_hash = RLAB_HASH_SHA256,
        .salt_len = 32,
        .aead_key_len = 32,
        .aead_iv_len = 12,
        .aead_tag_len = 16,
        .bits = 2048,
    };
    return rlab_backend_check(be, &q);
}

/* Where a backend without symmetric slots gets them, as reports show it. */
static const char *symmetric_provider(const struct rlab_backend *be)
{
    const struct rlab_backend *d = rlab_backend_default_provider();
    if (check_op(be, RLAB_OP_AEAD) == NULL && check_op(be, RLAB_OP_HASH) == NULL)
        return be->name;
    if (d != NULL && check_op(d, RLAB_OP_AEAD) == NULL && check_op(d, RLAB_OP_HASH) == NULL)
        return d->name;
    return NULL;
}

static void print_text(const struct rlab_backend *be)
{
    printf("%s\n", be->name);
    printf("  library:      %s\n", version_of(be));
    printf("  description:  %s\n", be->description ? be->description : "");
    printf("  capabilities:");
    for (size_t i = 0; i < N_CAPS; i++)
        if (be->caps & cap_names[i].bit)
            printf(" %s", cap_names[i].name);
    printf("\n  hashes:      ");
    for (int h = RLAB_HASH_SHA1; h < RLAB_HASH_COUNT; h++)
        if (be->hashes & RLAB_HASH_BIT(h))
            printf(" %s", rlab_hash_name((rlab_hash)h));
    const char *sp = symmetric_provider(be);
    printf("\n  aes-gcm/hash: %s\n", sp == NULL ? "none" : sp);
    printf("  operations:\n");
    for (int op = 0; op < RLAB_OP_COUNT; op++) {
        const char *why = check_op(be, (rlab_op)op);
        printf("    %-16s %s%s\n", rlab_op_name((rlab_op)op), why ? "no: " : "yes",
               why ? why : "");
    }
}

static json_t *to_json(const struct rlab_backend *be)
{
    json_t *o = json_object();
    json_t *caps = json_array(), *hashes = json_array(), *ops = json_object();
    json_object_set_new(o, "name", json_string(be->name));
    json_object_set_new(o, "version", json_string(version_of(be)));
    json_object_set_new(o, "description", json_string(be->description ? be->description : ""));
    for (size_t i = 0; i < N_CAPS; i++)
        if (be->caps & cap_names[i].bit)
            json_array_append_new(caps, json_string(cap_names[i].name));
    for (int h = RLAB_HASH_SHA1; h < RLAB_HASH_COUNT; h++)
        if (be->hashes & RLAB_HASH_BIT(h))
            json_array_append_new(hashes, json_string(rlab_hash_name((rlab_hash)h)));
    for (int op = 0; op < RLAB_OP_COUNT; op++) {
        const char *why = check_op(be, (rlab_op)op);
        json_t *e = json_object();
        json_object_set_new(e, "supported", json_boolean(why == NULL));
        if (why != NULL)
            json_object_set_new(e, "reason", json_string(why));
        json_object_set_new(ops, rlab_op_name((rlab_op)op), e);
    }
    const char *sp = symmetric_provider(be);
    json_object_set_new(o, "capabilities", caps);
    json_object_set_new(o, "hashes", hashes);
    json_object_set_new(o, "symmetric_provider", sp ? json_string(sp) : json_null());
    json_object_set_new(o, "operations", ops);
    return o;
}

int rlab_cmd_backends(int argc, char **argv)
{
    enum { OPT_JSON = 1 };
    static const struct rlab_opt options[] = {{"json", 0, OPT_JSON}, {NULL, 0, 0}};
    int as_json = 0;
    struct rlab_optparse p;
    rlab_opt_init(&p, cmd, argc, argv, options);
    for (int id; (id = rlab_opt_next_named(&p)) != RLAB_OPT_END;) {
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return RLAB_EXIT_OK;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_JSON: as_json = 1; break;
        default: return RLAB_EXIT_USAGE;
        }
    }

    size_t n = rlab_registry_init();
    if (!as_json) {
        if (n == 0)
            printf("no usable backend in this build\n");
        for (size_t i = 0; i < n; i++) {
            if (i)
                printf("\n");
            print_text(rlab_backend_at(i));
        }
        return RLAB_EXIT_OK;
    }
    json_t *root = json_object(), *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, to_json(rlab_backend_at(i)));
    json_object_set_new(root, "backends", list);
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(root);
    if (rc != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "rsalab %s: cannot write the JSON output\n", cmd);
        return RLAB_EXIT_USAGE;
    }
    return RLAB_EXIT_OK;
}
