/* rsalab: git-style dispatch to the subcommands in apps/cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "backends/backend.h"
#include "apps/commands.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"backends", rlab_cmd_backends, "list backends, library versions and capabilities"},
    {"keygen", rlab_cmd_keygen, "generate a key pair (PKCS#8 + SubjectPublicKeyInfo PEM)"},
    {"encrypt", rlab_cmd_encrypt, "encrypt with a public key (OAEP or PKCS#1 v1.5)"},
    {"decrypt", rlab_cmd_decrypt, "decrypt with a private key"},
    {"sign", rlab_cmd_sign, "sign (PSS or PKCS#1 v1.5)"},
    {"verify", rlab_cmd_verify, "verify a signature (exit 0 valid, 1 not)"},
    {"bench", rlab_cmd_bench, "compare backends: keygen, encrypt/decrypt, sign/verify, raw"},
    {"vectors", rlab_cmd_vectors, "run conformance vectors on every backend"},
    {"interop", rlab_cmd_interop, "cross-backend interoperability matrix"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: rsalab <command> [options]   (rsalab <command> --help)\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return RLAB_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return RLAB_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].run(argc - 1, argv + 1);
            rlab_registry_cleanup();
            return rc;
        }
    }
    fprintf(stderr, "rsalab: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return RLAB_EXIT_USAGE;
}
