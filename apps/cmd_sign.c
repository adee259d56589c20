/*
 * rsalab sign / verify: RSA-PSS (default, SHA-256) or PKCS#1 v1.5
 * signatures over an input of any size, hashed in a stream.
 */
#include <stdlib.h>
#include <string.h>

#include "backends/ops.h"
#include "apps/commands.h"
#include "base/ct.h"
#include "apps/opts.h"

enum { OPT_SALT = RLAB_OPT_RSA_NEXT, OPT_SIG };

static const struct rlab_opt sign_options[] = {
    RLAB_APP_RSA_OPTS, {"salt-len", 1, OPT_SALT}, {"out", 1, RLAB_OPT_OUT}, {NULL, 0, 0},
};

static const struct rlab_opt verify_options[] = {
    RLAB_APP_RSA_OPTS, {"salt-len", 1, OPT_SALT}, {"sig", 1, OPT_SIG}, {NULL, 0, 0},
};

struct sign_args {
    struct rlab_app_rsa_args r; /* r.cmd first: "sign" or "verify" */
    int verify;
    const char *sig;
    int salt_set;
    int salt_len;
};

static void usage(FILE *f, int verify)
{
    if (verify)
        fprintf(f, "usage: rsalab verify [--backend B] --key FILE --sig FILE\n"
                   "              [--padding pss|pkcs1] [--hash H] [--mgf1-hash H]\n"
                   "              [--salt-len N|auto] [--in FILE]\n"
                   "\nVerify a signature over the input (hashed in a stream, any size).\n"
                   "Prints \"signature ok\" or \"signature invalid\".\n\n");
    else
        fprintf(f, "usage: rsalab sign [--backend B] --key FILE [--padding pss|pkcs1]\n"
                   "              [--hash H] [--mgf1-hash H] [--salt-len N]\n"
                   "              [--in FILE] [--out FILE]\n"
                   "\nSign the input (hashed in a stream, any size); writes the raw signature\n"
                   "bytes (k bytes, k = modulus length).\n\n");
    fprintf(f,
            "  --backend B     backend to use (default: %s; see 'rsalab backends')\n"
            "%s"
            "  --padding P     pss (default) or pkcs1 (PKCS#1 v1.5 with DigestInfo)\n"
            "  --hash H        message hash (default: sha256): sha1, sha224, sha256,\n"
            "                  sha384, sha512, sha512-224, sha512-256\n"
            "  --mgf1-hash H   PSS MGF1 hash (default: the --hash)\n",
            RLAB_APP_DEFAULT_BACKEND,
            verify ? RLAB_APP_HELP_PUBLIC_KEY : RLAB_APP_HELP_PRIVATE_KEY);
    if (verify)
        fprintf(f,
                "  --salt-len N    PSS salt length in bytes, or auto (default: auto,\n"
                "                  recovered from the signature); longer than the key\n"
                "                  allows (k - hLen - 2) is a usage error, exit 2\n"
                "  --sig FILE      the signature, raw bytes (required)\n"
                "  --in FILE       signed data (default: standard input, also '-')\n"
                "\nExit status: 0 signature ok, 1 signature invalid, 2 usage or input error.\n");
    else
        fprintf(f,
                "  --salt-len N    PSS salt length in bytes (default: the hash length);\n"
                "                  at most k - hLen - 2, longer is a usage error, exit 2\n"
                "  --in FILE       data to sign (default: standard input, also '-')\n"
                "  --out FILE      signature output (default: standard output, also '-',\n"
                "                  but never a terminal)\n"
                "\nExit status: 0 signed, 2 usage or input error.\n");
}

static int parse_salt(struct sign_args *a, const char *text)
{
    a->salt_set = 1;
    if (strcmp(text, "auto") == 0) {
        if (!a->verify)
            return rlab_app_usage_error(a->r.cmd, "--salt-len auto is for verify only");
        a->salt_len = RLAB_PSS_SALT_AUTO;
        return RLAB_EXIT_OK;
    }
    unsigned long v;
    int st = rlab_opt_ulong(a->r.cmd, "salt-len", text, 0, 2048, &v);
    a->salt_len = (int)v;
    return st;
}

/* Parse the options into *a; returns -1 to go on, else an exit status. */
static int parse(struct sign_args *a, int argc, char **argv)
{
    struct rlab_optparse p;
    struct rlab_app_rsa_args *r = &a->r;
    rlab_opt_init(&p, r->cmd, argc, argv, a->verify ? verify_options : sign_options);
    for (int id; (id = rlab_opt_next_named(&p)) != RLAB_OPT_END;) {
        int st = RLAB_EXIT_OK;
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout, a->verify); return RLAB_EXIT_OK;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_SIG: a->sig = p.arg; break;
        case OPT_SALT: st = parse_salt(a, p.arg); break;
        default: st = rlab_app_rsa_opt(r, id, p.arg, "pss"); break;
        }
        if (st != RLAB_EXIT_OK)
            return st;
    }
    int st = rlab_app_rsa_done(r);
    if (st != RLAB_EXIT_OK)
        return st;
    if (a->verify && a->sig == NULL)
        return rlab_app_usage_error(r->cmd, "--sig FILE is required");
    if (a->verify && strcmp(a->sig, "-") == 0 && strcmp(r->key, "-") == 0)
        return rlab_app_usage_error(r->cmd, "--sig and --key cannot both be standard input");
    if (a->verify && strcmp(a->sig, "-") == 0 && (r->in == NULL || strcmp(r->in, "-") == 0))
        return rlab_app_usage_error(r->cmd, "--sig and --in cannot both be standard input");
    if (r->pkcs1 && (r->mgf1_set || a->salt_set))
        return rlab_app_usage_error(r->cmd, "--mgf1-hash and --salt-len apply to PSS only");
    if (!a->salt_set)
        a->salt_len = a->verify ? RLAB_PSS_SALT_AUTO : (int)rlab_hash_len(r->hash);
    if (!a->verify && (st = rlab_app_refuse_terminal(r->cmd, r->out)) != RLAB_EXIT_OK)
        return st;
    return -1;
}

/*
 * A salt longer than the key allows is a usage error (exit 2) for sign and
 * verify alike: no signature with it can exist, so verify has nothing to
 * check (RFC 8017 9.1.1: emLen >= hLen + sLen + 2, emLen = ceil((bits-1)/8)).
 */
static int check_salt(const struct sign_args *a, const rlab_key *k)
{
    if (a->r.pkcs1 || a->salt_len == RLAB_PSS_SALT_AUTO)
        return RLAB_EXIT_OK;
    size_t em_len = ((size_t)k->bits + 6) / 8, hl = rlab_hash_len(a->r.hash);
    size_t most = em_len < hl + 2 ? 0 : em_len - hl - 2;
    if (em_len >= hl + 2 && (size_t)a->salt_len <= most)
        return RLAB_EXIT_OK;
    if (em_len < hl + 2)
        return rlab_app_usage_error(a->r.cmd, "a %u-bit key is too small for PSS with %s "
                                    "(it takes at least %zu bits)", k->bits,
                                    rlab_hash_name(a->r.hash), (hl + 1) * 8 + 2);
    return rlab_app_usage_error(a->r.cmd, "--salt-len: a PSS salt of %d bytes is too long for "
                                "a %u-bit key with %s (at most %zu)", a->salt_len, k->bits,
                                rlab_hash_name(a->r.hash), most);
}

static int do_sign(const struct sign_args *a, const rlab_key *k,
                   const uint8_t *digest, size_t dlen)
{
    const struct rlab_app_rsa_args *r = &a->r;
    const struct rlab_backend *be = k->be;
    size_t klen = rlab_key_size(k), sig_len = klen;
    uint8_t *sig = malloc(klen);
    if (sig == NULL)
        return rlab_app_error(r->cmd, NULL, RLAB_ERR_NOMEM);
    struct rlab_pss_params pp = {.hash = r->hash, .mgf1_hash = r->mgf1,
                                 .salt_len = a->salt_len};
    rlab_error_clear();
    int rc = r->pkcs1 ? rlab_pkcs1_sign(be, k, r->hash, digest, dlen, sig, &sig_len)
                      : rlab_pss_sign(be, k, &pp, NULL, digest, dlen, sig, &sig_len);
    int st = rlab_app_write_result(r->cmd, "signing", rc, r->out, sig, sig_len, 0644);
    free(sig);
    return st;
}

static int do_verify(const struct sign_args *a, const rlab_key *k,
                     const struct rlab_buf *sig, const uint8_t *digest, size_t dlen)
{
    const struct rlab_app_rsa_args *r = &a->r;
    const struct rlab_backend *be = k->be;
    struct rlab_pss_params pp = {.hash = r->hash, .mgf1_hash = r->mgf1,
                                 .salt_len = a->salt_len};
    int rc = RLAB_ERR_VERIFY;
    rlab_error_clear();
    /* A signature of the wrong length is simply not a valid signature. */
    if (sig->len == rlab_key_size(k))
        rc = r->pkcs1 ? rlab_pkcs1_verify(be, k, r->hash, digest, dlen, sig->data, sig->len)
                      : rlab_pss_verify(be, k, &pp, digest, dlen, sig->data, sig->len);
    if (rc == RLAB_OK) {
        printf("signature ok\n");
        return RLAB_EXIT_OK;
    }
    if (rc == RLAB_ERR_VERIFY || rc == RLAB_ERR_RANGE) {
        printf("signature invalid\n");
        return RLAB_EXIT_NO;
    }
    return rlab_app_fail(r->cmd, "verification", rc);
}

static int run(int verify, int argc, char **argv)
{
    struct sign_args a = {
        .r = {.cmd = verify ? "verify" : "sign", .hash = RLAB_HASH_SHA256},
        .verify = verify,
    };
    int st = parse(&a, argc, argv);
    if (st >= 0)
        return st;

    const struct rlab_app_rsa_args *r = &a.r;
    struct rlab_op_query q = {.hash = r->hash};
    if (r->pkcs1) {
        q.op = verify ? RLAB_OP_PKCS1_VERIFY : RLAB_OP_PKCS1_SIGN;
    } else {
        q.op = verify ? RLAB_OP_PSS_VERIFY : RLAB_OP_PSS_SIGN;
        q.mgf1_hash = r->mgf1;
        q.salt_len = a.salt_len;
    }
    rlab_key *k = NULL;
    st = rlab_app_open_key(r->cmd, r->backend, &q, r->key, !verify, &k);
    if (st != RLAB_EXIT_OK)
        return st;

    struct rlab_buf sig = RLAB_BUF_INIT;
    st = check_salt(&a, k);
    if (st == RLAB_EXIT_OK && verify)
        st = rlab_app_read(r->cmd, a.sig, rlab_key_size(k), &sig);
    uint8_t digest[RLAB_HASH_MAX_LEN];
    size_t dlen = rlab_hash_len(r->hash);
    if (st == RLAB_EXIT_OK)
        st = rlab_app_hash_input(r->cmd, k->be, r->hash, r->in, digest);
    if (st == RLAB_EXIT_OK)
        st = verify ? do_verify(&a, k, &sig, digest, dlen) : do_sign(&a, k, digest, dlen);
    rlab_buf_clear(&sig);
    rlab_wipe(digest, sizeof digest);
    rlab_key_free(k);
    return st;
}

int rlab_cmd_sign(int argc, char **argv) { return run(0, argc, argv); }

int rlab_cmd_verify(int argc, char **argv) { return run(1, argc, argv); }
