/*
 * rsalab keygen: generate a key pair and write PREFIX.pem (PKCS#8, 0600)
 * and PREFIX.pub.pem (SubjectPublicKeyInfo, 0644).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/ops.h"
#include "apps/commands.h"
#include "core/keyfile.h"
#include "apps/opts.h"

static const char cmd[] = "keygen";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab keygen [--backend B] [--bits N] [--e E] --out PREFIX [--force]\n"
            "\n"
            "Generate an RSA key pair and write it as two PEM files:\n"
            "  PREFIX.pem      private key, PKCS#8 (\"PRIVATE KEY\"), file mode 0600\n"
            "  PREFIX.pub.pem  public key, SubjectPublicKeyInfo (\"PUBLIC KEY\"), mode 0644\n"
            "\n"
            "  --backend B   backend that generates the key (default: %s;\n"
            "                see 'rsalab backends')\n"
            "  --bits N      modulus size in bits, 1024..16384 (default: 2048)\n"
            "  --e E         public exponent, odd, >= 3 (default: 65537)\n"
            "  --out PREFIX  output file prefix (required)\n"
            "  --force       replace existing files; without it an existing\n"
            "                PREFIX.pem or PREFIX.pub.pem is an error (status 2)\n"
            "                and nothing is written\n"
            "\n"
            "Exit status: 0 written, 2 usage or input error.\n",
            RLAB_APP_DEFAULT_BACKEND);
}

enum { OPT_BACKEND = 1, OPT_BITS, OPT_E, OPT_OUT, OPT_FORCE };

static const struct rlab_opt options[] = {
    {"backend", 1, OPT_BACKEND}, {"bits", 1, OPT_BITS}, {"e", 1, OPT_E},
    {"out", 1, OPT_OUT},         {"force", 0, OPT_FORCE}, {NULL, 0, 0},
};

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    if (s != NULL) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

/* Export in one format and write the file. */
static int export_write(const rlab_key *k, rlab_keyfmt fmt, const char *path,
                        unsigned mode, int force)
{
    struct rlab_buf pem = RLAB_BUF_INIT;
    rlab_error_clear();
    int rc = rlab_key_export(k->be, k, fmt, RLAB_ENC_PEM, &pem);
    if (rc != RLAB_OK)
        return rlab_app_fail(cmd, "export", rc);
    rc = rlab_file_write(path, pem.data, pem.len, mode, force);
    rlab_buf_clear(&pem);
    if (rc != RLAB_OK)
        return rlab_app_fail(cmd, rc == RLAB_ERR_EXISTS ? "will not overwrite" : "write", rc);
    return RLAB_EXIT_OK;
}

static int generate(const struct rlab_backend *be, unsigned bits,
                    unsigned long e, const char *priv_path,
                    const char *pub_path, int force)
{
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits};
    int st = rlab_app_check(cmd, be, &q);
    if (st == RLAB_EXIT_OK) {
        struct rlab_op_query qe = {.op = RLAB_OP_EXPORT};
        st = rlab_app_check(cmd, be, &qe);
    }
    if (st != RLAB_EXIT_OK)
        return st;

    /* Refuse before generating anything: neither file is touched unless
     * both may be written. */
    struct stat sb;
    if (!force) {
        const char *paths[2] = {priv_path, pub_path};
        for (int i = 0; i < 2; i++) {
            if (lstat(paths[i], &sb) == 0) {
                rlab_error_set(RLAB_ERR_EXISTS, "nothing written; --force replaces it");
                return rlab_app_fail(cmd, paths[i], RLAB_ERR_EXISTS);
            }
        }
    }

    rlab_key *k = NULL;
    rlab_error_clear();
    int rc = rlab_keygen(be, bits, e, NULL, &k);
    if (rc != RLAB_OK)
        return rlab_app_fail(cmd, "key generation", rc);
    st = export_write(k, RLAB_KEYFMT_PKCS8, priv_path, 0600, force);
    if (st == RLAB_EXIT_OK) {
        st = export_write(k, RLAB_KEYFMT_SPKI, pub_path, 0644, force);
        /* Lost a race for the public file: take the private one back so
         * that the pair stays all-or-nothing. */
        if (st != RLAB_EXIT_OK && !force)
            unlink(priv_path);
    }
    rlab_key_free(k);
    return st;
}

int rlab_cmd_keygen(int argc, char **argv)
{
    const char *backend = NULL, *prefix = NULL;
    unsigned long bits = 2048, e = 65537;
    int force = 0;
    struct rlab_optparse p;
    rlab_opt_init(&p, cmd, argc, argv, options);
    for (int id; (id = rlab_opt_next_named(&p)) != RLAB_OPT_END;) {
        int st = RLAB_EXIT_OK;
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout); return RLAB_EXIT_OK;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_BACKEND: backend = p.arg; break;
        case OPT_BITS: st = rlab_opt_ulong(cmd, "bits", p.arg, 1024, 16384, &bits); break;
        case OPT_E: st = rlab_opt_ulong(cmd, "e", p.arg, 3, 0xffffffffUL, &e); break;
        case OPT_OUT: prefix = p.arg; break;
        case OPT_FORCE: force = 1; break;
        default: return RLAB_EXIT_USAGE;
        }
        if (st != RLAB_EXIT_OK)
            return st;
    }
    if (prefix == NULL || prefix[0] == '\0')
        return rlab_app_usage_error(cmd, "--out PREFIX is required");
    if (e % 2 == 0)
        return rlab_app_usage_error(cmd, "--e: the public exponent must be odd");

    const struct rlab_backend *be;
    int st = rlab_app_backend(cmd, backend, &be);
    if (st != RLAB_EXIT_OK)
        return st;

    char *priv_path = join(prefix, ".pem");
    char *pub_path = join(prefix, ".pub.pem");
    if (priv_path == NULL || pub_path == NULL)
        st = rlab_app_error(cmd, NULL, RLAB_ERR_NOMEM);
    else
        st = generate(be, (unsigned)bits, e, priv_path, pub_path, force);
    free(priv_path);
    free(pub_path);
    return st;
}
