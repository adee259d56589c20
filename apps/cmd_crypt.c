/*
 * rsalab encrypt / decrypt: RSA-OAEP (default, SHA-256) or PKCS#1 v1.5
 * encryption of one message, from a file or standard input to a file or
 * standard output.
 *
 * Decryption reports every failure of the ciphertext, whatever its cause, as
 * the one message "decryption failed" with status 1: the command must not be
 * a padding oracle either.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/ct.h"
#include "opts.h"

enum { OPT_BACKEND = 1, OPT_KEY, OPT_PADDING, OPT_HASH, OPT_MGF1, OPT_LABEL,
       OPT_IN, OPT_OUT };

static const struct rlab_opt options[] = {
    {"backend", 1, OPT_BACKEND}, {"key", 1, OPT_KEY},
    {"padding", 1, OPT_PADDING}, {"hash", 1, OPT_HASH},
    {"mgf1-hash", 1, OPT_MGF1},  {"label", 1, OPT_LABEL},
    {"in", 1, OPT_IN},           {"out", 1, OPT_OUT},
    {NULL, 0, 0},
};

struct crypt_args {
    const char *cmd;
    int decrypt;
    const char *backend, *key, *in, *out, *label;
    int pkcs1;
    rlab_hash hash, mgf1;
    int hash_set, mgf1_set;
};

static void usage(FILE *f, int decrypt)
{
    const char *c = decrypt ? "decrypt" : "encrypt";
    fprintf(f,
            "usage: rsalab %s [--backend B] --key FILE [--padding oaep|pkcs1]\n"
            "              [--hash H] [--mgf1-hash H] [--label TEXT] [--in FILE] [--out FILE]\n"
            "\n",
            c);
    if (decrypt)
        fprintf(f, "Decrypt one RSA ciphertext with a private key.\n");
    else
        fprintf(f, "Encrypt one message with an RSA public key.\n");
    fprintf(f,
            "\n"
            "  --backend B     backend to use (default: %s; see 'rsalab backends')\n"
            "  --key FILE      %s key file: PEM or DER, PKCS#1, PKCS#8 or\n"
            "                  SubjectPublicKeyInfo, detected automatically\n"
            "  --padding P     oaep (default) or pkcs1 (PKCS#1 v1.5)\n"
            "  --hash H        OAEP hash (default: sha256): sha1, sha224, sha256, sha384,\n"
            "                  sha512, sha512-224, sha512-256\n"
            "  --mgf1-hash H   OAEP MGF1 hash (default: the --hash)\n"
            "  --label TEXT    OAEP label (default: empty)\n"
            "  --in FILE       input (default: standard input, also '-')\n"
            "  --out FILE      output (default: standard output, also '-')\n"
            "\n",
            RLAB_APP_DEFAULT_BACKEND,
            decrypt ? "private" : "public or private (its public half is used)");
    if (decrypt)
        fprintf(f, "Exit status: 0 decrypted; 1 decryption failed (one message, whatever\n"
                   "the cause); 2 usage or input error (bad option, unreadable key, ...).\n");
    else
        fprintf(f, "The message must fit the key: at most k - 2*hLen - 2 bytes for OAEP,\n"
                   "k - 11 for PKCS#1 v1.5 (k = modulus bytes).\n"
                   "Exit status: 0 encrypted, 2 usage or input error (message too long, ...).\n");
}

/* Parse the options into *a; returns -1 to go on, else an exit status. */
static int parse(struct crypt_args *a, int argc, char **argv)
{
    struct rlab_optparse p;
    rlab_opt_init(&p, a->cmd, argc, argv, options);
    for (int id; (id = rlab_opt_next(&p)) != RLAB_OPT_END;) {
        int st = RLAB_EXIT_OK;
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout, a->decrypt); return RLAB_EXIT_OK;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case RLAB_OPT_POSITIONAL:
            return rlab_app_usage_error(a->cmd, "unexpected argument '%s'", p.arg);
        case OPT_BACKEND: a->backend = p.arg; break;
        case OPT_KEY: a->key = p.arg; break;
        case OPT_IN: a->in = p.arg; break;
        case OPT_OUT: a->out = p.arg; break;
        case OPT_LABEL: a->label = p.arg; break;
        case OPT_PADDING:
            if (strcmp(p.arg, "oaep") == 0)
                a->pkcs1 = 0;
            else if (strcmp(p.arg, "pkcs1") == 0)
                a->pkcs1 = 1;
            else
                return rlab_app_usage_error(a->cmd, "--padding: '%s' is not oaep or pkcs1",
                                            p.arg);
            break;
        case OPT_HASH:
            st = rlab_opt_hash(a->cmd, "hash", p.arg, &a->hash);
            a->hash_set = 1;
            break;
        case OPT_MGF1:
            st = rlab_opt_hash(a->cmd, "mgf1-hash", p.arg, &a->mgf1);
            a->mgf1_set = 1;
            break;
        default: return RLAB_EXIT_USAGE;
        }
        if (st != RLAB_EXIT_OK)
            return st;
    }
    if (a->key == NULL)
        return rlab_app_usage_error(a->cmd, "--key FILE is required");
    if (a->pkcs1 && (a->hash_set || a->mgf1_set || a->label != NULL))
        return rlab_app_usage_error(a->cmd,
                                    "--hash, --mgf1-hash and --label apply to OAEP only");
    if (!a->mgf1_set)
        a->mgf1 = a->hash;
    return -1;
}

static int do_encrypt(const struct crypt_args *a, const rlab_key *k,
                      const struct rlab_oaep_params *op)
{
    const struct rlab_backend *be = k->be;
    size_t klen = rlab_key_size(k);
    size_t overhead = a->pkcs1 ? 11 : 2 * rlab_hash_len(a->hash) + 2;
    char scheme[32];
    snprintf(scheme, sizeof scheme, "%s%s", a->pkcs1 ? "PKCS#1 v1.5" : "OAEP-",
             a->pkcs1 ? "" : rlab_hash_name(a->hash));
    if (klen < overhead) {
        fprintf(stderr, "rsalab %s: a %u-bit key is too small for %s\n", a->cmd, k->bits,
                scheme);
        return RLAB_EXIT_USAGE;
    }
    size_t max = klen - overhead;
    struct rlab_buf msg = RLAB_BUF_INIT;
    int st = rlab_app_read(a->cmd, a->in, max, &msg);
    if (st != RLAB_EXIT_OK)
        return st;
    if (msg.len > max) {
        rlab_error_set(RLAB_ERR_MSG_TOO_LONG,
                       "a %u-bit key takes at most %zu bytes with %s", k->bits, max, scheme);
        rlab_app_error(a->cmd, a->in != NULL && strcmp(a->in, "-") != 0 ? a->in
                                                                      : "standard input",
                       RLAB_ERR_MSG_TOO_LONG);
        rlab_buf_clear(&msg);
        return RLAB_EXIT_USAGE;
    }
    uint8_t *ct = malloc(klen);
    size_t ct_len = klen;
    int rc = RLAB_ERR_NOMEM;
    rlab_error_clear();
    if (ct != NULL)
        rc = a->pkcs1 ? be->pkcs1_encrypt(k, NULL, msg.data, msg.len, ct, &ct_len)
                      : be->oaep_encrypt(k, op, NULL, msg.data, msg.len, ct, &ct_len);
    rlab_buf_clear(&msg);
    if (rc != RLAB_OK) {
        rlab_app_error(a->cmd, "encryption", rc);
        st = RLAB_EXIT_USAGE;
    } else
        st = rlab_app_write(a->cmd, a->out, ct, ct_len, 0644);
    free(ct);
    return st;
}

static int do_decrypt(const struct crypt_args *a, const rlab_key *k,
                      const struct rlab_oaep_params *op)
{
    const struct rlab_backend *be = k->be;
    if (!k->has_private) {
        rlab_error_clear();
        return rlab_app_error(a->cmd, a->key, RLAB_ERR_KEY_NOT_PRIVATE);
    }
    size_t klen = rlab_key_size(k);
    struct rlab_buf ct = RLAB_BUF_INIT;
    int st = rlab_app_read(a->cmd, a->in, klen, &ct);
    if (st != RLAB_EXIT_OK)
        return st;
    uint8_t *pt = malloc(klen);
    size_t pt_len = klen;
    int rc = RLAB_ERR_DECRYPT;
    /* A ciphertext of the wrong length is one more way to fail decryption,
     * reported like all the others. */
    if (pt != NULL && ct.len == klen)
        rc = a->pkcs1 ? be->pkcs1_decrypt(k, ct.data, ct.len, pt, &pt_len)
                      : be->oaep_decrypt(k, op, ct.data, ct.len, pt, &pt_len);
    rlab_buf_clear(&ct);
    if (pt == NULL) {
        st = rlab_app_error(a->cmd, NULL, RLAB_ERR_NOMEM);
    } else if (rc != RLAB_OK) {
        fprintf(stderr, "rsalab %s: %s\n", a->cmd, rlab_strerror(RLAB_ERR_DECRYPT));
        rlab_error_clear();
        st = RLAB_EXIT_NO;
    } else {
        st = rlab_app_write(a->cmd, a->out, pt, pt_len, 0600);
    }
    rlab_free_secret(pt, klen);
    return st;
}

static int run(int decrypt, int argc, char **argv)
{
    struct crypt_args a = {
        .cmd = decrypt ? "decrypt" : "encrypt",
        .decrypt = decrypt,
        .hash = RLAB_HASH_SHA256,
    };
    int st = parse(&a, argc, argv);
    if (st >= 0)
        return st;

    const struct rlab_backend *be;
    st = rlab_app_backend(a.cmd, a.backend, &be);
    if (st != RLAB_EXIT_OK)
        return st;
    struct rlab_op_query q = {
        .hash = a.pkcs1 ? RLAB_HASH_NONE : a.hash,
        .mgf1_hash = a.pkcs1 ? RLAB_HASH_NONE : a.mgf1,
        .label_len = a.label ? strlen(a.label) : 0,
    };
    if (a.pkcs1)
        q.op = decrypt ? RLAB_OP_PKCS1_DECRYPT : RLAB_OP_PKCS1_ENCRYPT;
    else
        q.op = decrypt ? RLAB_OP_OAEP_DECRYPT : RLAB_OP_OAEP_ENCRYPT;
    st = rlab_app_check(a.cmd, be, &q);
    if (st != RLAB_EXIT_OK)
        return st;

    rlab_key *k = NULL;
    st = rlab_app_load_key(a.cmd, be, a.key, &k);
    if (st != RLAB_EXIT_OK)
        return st;
    struct rlab_oaep_params op = {
        .hash = a.hash,
        .mgf1_hash = a.mgf1,
        .label = (const uint8_t *)a.label,
        .label_len = q.label_len,
    };
    st = decrypt ? do_decrypt(&a, k, &op) : do_encrypt(&a, k, &op);
    rlab_key_free(k);
    return st;
}

int rlab_cmd_encrypt(int argc, char **argv) { return run(0, argc, argv); }

int rlab_cmd_decrypt(int argc, char **argv) { return run(1, argc, argv); }
