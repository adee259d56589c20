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

#include "backends/ops.h"
#include "apps/commands.h"
#include "base/ct.h"
#include "apps/opts.h"

enum { OPT_LABEL = RLAB_OPT_RSA_NEXT };

static const struct rlab_opt options[] = {
    RLAB_APP_RSA_OPTS,
    {"out", 1, RLAB_OPT_OUT},
    {"label", 1, OPT_LABEL},
    {NULL, 0, 0},
};

struct crypt_args {
    struct rlab_app_rsa_args r; /* r.cmd first: "encrypt" or "decrypt" */
    int decrypt;
    const char *label;
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
            "%s"
            "  --padding P     oaep (default) or pkcs1 (PKCS#1 v1.5)\n"
            "  --hash H        OAEP hash (default: sha256): sha1, sha224, sha256, sha384,\n"
            "                  sha512, sha512-224, sha512-256\n"
            "  --mgf1-hash H   OAEP MGF1 hash (default: the --hash)\n"
            "  --label TEXT    OAEP label (default: empty)\n"
            "  --in FILE       input (default: standard input, also '-')\n"
            "  --out FILE      output (default: standard output, also '-'; encrypt\n"
            "                  never writes to a terminal)\n"
            "\n",
            RLAB_APP_DEFAULT_BACKEND, decrypt ? RLAB_APP_HELP_PRIVATE_KEY
                                              : RLAB_APP_HELP_PUBLIC_KEY);
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
    rlab_opt_init(&p, a->r.cmd, argc, argv, options);
    for (int id; (id = rlab_opt_next_named(&p)) != RLAB_OPT_END;) {
        int st = RLAB_EXIT_OK;
        switch (id) {
        case RLAB_OPT_HELP: usage(stdout, a->decrypt); return RLAB_EXIT_OK;
        case RLAB_OPT_ERROR: return RLAB_EXIT_USAGE;
        case OPT_LABEL: a->label = p.arg; break;
        default: st = rlab_app_rsa_opt(&a->r, id, p.arg, "oaep"); break;
        }
        if (st != RLAB_EXIT_OK)
            return st;
    }
    int st = rlab_app_rsa_done(&a->r);
    if (st != RLAB_EXIT_OK)
        return st;
    if (a->r.pkcs1 && (a->r.hash_set || a->r.mgf1_set || a->label != NULL))
        return rlab_app_usage_error(a->r.cmd,
                                    "--hash, --mgf1-hash and --label apply to OAEP only");
    if (!a->decrypt && (st = rlab_app_refuse_terminal(a->r.cmd, a->r.out)) != RLAB_EXIT_OK)
        return st;
    return -1;
}

static int do_encrypt(const struct rlab_app_rsa_args *a, const rlab_key *k,
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
        rlab_app_error(a->cmd, rlab_app_input_name(a->in), RLAB_ERR_MSG_TOO_LONG);
        rlab_buf_clear(&msg);
        return RLAB_EXIT_USAGE;
    }
    uint8_t *ct = malloc(klen);
    size_t ct_len = klen;
    int rc = RLAB_ERR_NOMEM;
    rlab_error_clear();
    if (ct != NULL)
        rc = a->pkcs1 ? rlab_pkcs1_encrypt(be, k, NULL, msg.data, msg.len, ct, &ct_len)
                      : rlab_oaep_encrypt(be, k, op, NULL, msg.data, msg.len, ct, &ct_len);
    rlab_buf_clear(&msg);
    st = rlab_app_write_result(a->cmd, "encryption", rc, a->out, ct, ct_len, 0644);
    free(ct);
    return st;
}

static int do_decrypt(const struct rlab_app_rsa_args *a, const rlab_key *k,
                      const struct rlab_oaep_params *op)
{
    const struct rlab_backend *be = k->be;
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
        rc = a->pkcs1 ? rlab_pkcs1_decrypt(be, k, ct.data, ct.len, pt, &pt_len)
                      : rlab_oaep_decrypt(be, k, op, ct.data, ct.len, pt, &pt_len);
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
        .r = {.cmd = decrypt ? "decrypt" : "encrypt", .hash = RLAB_HASH_SHA256},
        .decrypt = decrypt,
    };
    int st = parse(&a, argc, argv);
    if (st >= 0)
        return st;

    const struct rlab_app_rsa_args *r = &a.r;
    struct rlab_op_query q = {
        .hash = r->pkcs1 ? RLAB_HASH_NONE : r->hash,
        .mgf1_hash = r->pkcs1 ? RLAB_HASH_NONE : r->mgf1,
        .label_len = a.label ? strlen(a.label) : 0,
    };
    if (r->pkcs1)
        q.op = decrypt ? RLAB_OP_PKCS1_DECRYPT : RLAB_OP_PKCS1_ENCRYPT;
    else
        q.op = decrypt ? RLAB_OP_OAEP_DECRYPT : RLAB_OP_OAEP_ENCRYPT;
    rlab_key *k = NULL;
    st = rlab_app_open_key(r->cmd, r->backend, &q, r->key, decrypt, &k);
    if (st != RLAB_EXIT_OK)
        return st;
    struct rlab_oaep_params op = {
        .hash = r->hash,
        .mgf1_hash = r->mgf1,
        .label = (const uint8_t *)a.label,
        .label_len = q.label_len,
    };
    st = decrypt ? do_decrypt(r, k, &op) : do_encrypt(r, k, &op);
    rlab_key_free(k);
    return st;
}

int rlab_cmd_encrypt(int argc, char **argv) { return run(0, argc, argv); }

int rlab_cmd_decrypt(int argc, char **argv) { return run(1, argc, argv); }
