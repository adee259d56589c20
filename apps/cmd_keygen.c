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
#include "core/fileio.h"
#include "apps/opts.h"

static const char cmd[] = "keygen";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rsalab keygen [--backend B] [--bits N] [--e E] [--primes U] --out PREFIX\n"
            "                     [--force]\n"
            "\n"
            "Generate an RSA key pair and write it as two PEM files:\n"
            "  PREFIX.pem      private key, PKCS#8 (\"PRIVATE KEY\"), file mode 0600\n"
            "  PREFIX.pub.pem  public key, SubjectPublicKeyInfo (\"PUBLIC KEY\"), mode 0644\n"
            "\n"
            "  --backend B   backend that generates the key (default: %s;\n"
            "                see 'rsalab backends')\n"
            "  --bits N      modulus size in bits, 1024..16384 (default: 2048); some\n"
            "                backends make even sizes only\n"
            "  --e E         public exponent, odd, >= 3, plain decimal (default: 65537;\n"
            "                the gmp backend takes only e >= 65537)\n"
            "  --primes U    number of primes, 2..5 (default: 2); more than two makes a\n"
            "                multi-prime key (RFC 8017 3.2) where the backend has them\n"
            "                (gmp, openssl), within OpenSSL's caps: 3 primes from 1024\n"
            "                bits, 4 from 4096, 5 from 8192\n"
            "  --out PREFIX  output file prefix (required; 'dir/' alone is refused)\n"
            "  --force       replace existing files; without it an existing\n"
            "                PREFIX.pem or PREFIX.pub.pem is an error (status 2)\n"
            "                and nothing is written.  Both files are written or\n"
            "                neither is.\n"
            "\n"
            "Exit status: 0 written, 2 usage or input error.\n",
            RLAB_APP_DEFAULT_BACKEND);
}

enum { OPT_BACKEND = 1, OPT_BITS, OPT_E, OPT_OUT, OPT_FORCE, OPT_PRIMES };

static const struct rlab_opt options[] = {
    {"backend", 1, OPT_BACKEND}, {"bits", 1, OPT_BITS}, {"e", 1, OPT_E},
    {"out", 1, OPT_OUT},         {"force", 0, OPT_FORCE}, {"primes", 1, OPT_PRIMES},
    {NULL, 0, 0},
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

/* Export both halves, then write both files all or nothing: a private key
 * is never left without its public half (nor an old pair half replaced). */
static int export_write(const rlab_key *k, const char *priv_path, const char *pub_path,
                        int force)
{
    struct rlab_buf priv = RLAB_BUF_INIT, pub = RLAB_BUF_INIT;
    rlab_error_clear();
    int rc = rlab_key_export(k->be, k, RLAB_KEYFMT_PKCS8, RLAB_ENC_PEM, &priv);
    if (rc == RLAB_OK)
        rc = rlab_key_export(k->be, k, RLAB_KEYFMT_SPKI, RLAB_ENC_PEM, &pub);
    int st = RLAB_EXIT_OK;
    if (rc != RLAB_OK) {
        st = rlab_app_fail(cmd, "export", rc);
    } else {
        const struct rlab_file_part parts[2] = {
            {priv_path, priv.data, priv.len, 0600},
            {pub_path, pub.data, pub.len, 0644},
        };
        rlab_error_clear();
        rc = rlab_files_write(parts, 2, force);
        if (rc != RLAB_OK)
            st = rlab_app_fail(cmd, rc == RLAB_ERR_EXISTS ? "will not overwrite (nothing written)"
                                                          : "nothing written", rc);
    }
    rlab_buf_clear(&priv);
    rlab_buf_clear(&pub);
    return st;
}

static int generate(const struct rlab_backend *be, unsigned bits, unsigned primes,
                    unsigned long e, const char *priv_path,
                    const char *pub_path, int force)
{
    struct rlab_op_query q = {.op = RLAB_OP_KEYGEN, .bits = bits,
                              .primes = primes > 2 ? primes : 0};
    int st = rlab_app_check(cmd, be, &q);
    if (st == RLAB_EXIT_OK) {
        struct rlab_op_query qe = {.op = RLAB_OP_EXPORT};
        st = rlab_app_check(cmd, be, &qe);
    }
    if (st != RLAB_EXIT_OK)
        return st;

    /* Refuse before generating anything (rlab_files_write checks again
     * before it names the files). */
    struct stat sb;
    const char *paths[2] = {priv_path, pub_path};
    for (int i = 0; i < 2; i++) {
        if (lstat(paths[i], &sb) != 0)
            continue;
        if (!force) {
            rlab_error_set(RLAB_ERR_EXISTS, "nothing written; --force replaces it");
            return rlab_app_fail(cmd, paths[i], RLAB_ERR_EXISTS);
        }
        if (!S_ISREG(sb.st_mode)) {
            rlab_error_set(RLAB_ERR_IO, "%s: not a regular file; nothing written", paths[i]);
            return rlab_app_fail(cmd, "will not replace", RLAB_ERR_IO);
        }
    }

    rlab_key *k = NULL;
    rlab_error_clear();
    int rc = rlab_keygen_primes(be, bits, primes, e, NULL, &k);
    if (rc != RLAB_OK)
        return rlab_app_fail(cmd, "key generation", rc);
    st = export_write(k, priv_path, pub_path, force);
    rlab_key_free(k);
    return st;
}

int rlab_cmd_keygen(int argc, char **argv)
{
    const char *backend = NULL, *prefix = NULL;
    unsigned long bits = 2048, e = 65537, primes = 2;
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
        case OPT_PRIMES:
            st = rlab_opt_ulong(cmd, "primes", p.arg, 2, RLAB_MAX_PRIMES, &primes);
            break;
        case OPT_FORCE: force = 1; break;
        default: return RLAB_EXIT_USAGE;
        }
        if (st != RLAB_EXIT_OK)
            return st;
    }
    if (prefix == NULL || prefix[0] == '\0')
        return rlab_app_usage_error(cmd, "--out PREFIX is required");
    /* "dir/" would write the hidden files dir/.pem and dir/.pub.pem. */
    const char *base = strrchr(prefix, '/');
    if ((base != NULL ? base[1] : prefix[0]) == '\0')
        return rlab_app_usage_error(cmd, "--out '%s' has an empty file name; give a prefix "
                                    "such as '%sidentity'", prefix, prefix);
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
        st = generate(be, (unsigned)bits, (unsigned)primes, e, priv_path, pub_path, force);
    free(priv_path);
    free(pub_path);
    return st;
}
