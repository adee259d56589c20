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
    {"keycheck", rlab_cmd_keycheck, "key strictness: which backend refuses which bad key"},
    {"serve", rlab_cmd_serve, "rsalab/1 server: authenticated chat and file inbox"},
    {"chat", rlab_cmd_chat, "rsalab/1 client: chat, /send files"},
    {"send", rlab_cmd_send, "rsalab/1 client: send files to a server's inbox"},
    {"demo", rlab_cmd_demo, "server and two clients on loopback: chat and a 64 MiB file"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: rsalab <command> [options]   (rsalab <command> --help)\n"
               "       rsalab --version\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

/* "rsalab 0.1.0" and one line per usable backend with its library. */
static int version(void)
{
    printf("rsalab %s\n", RLAB_VERSION);
    size_t n = rlab_registry_init();
    for (size_t i = 0; i < n; i++) {
        const struct rlab_backend *be = rlab_backend_at(i);
        const char *v = be->version != NULL ? be->version() : NULL;
        printf("  %-10s %s\n", be->name, v != NULL ? v : "unknown");
    }
    if (n == 0)
        printf("  (no usable backend in this build)\n");
    rlab_registry_cleanup();
    return fflush(stdout) == 0 ? RLAB_EXIT_OK : RLAB_EXIT_USAGE;
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
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)
        return version();
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
