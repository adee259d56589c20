/*
 * Forward secrecy, shown: record a real session's bytes, then give a fresh
 * process (fs_decrypt) both identity private keys: it cannot decrypt the
 * recording.  Given the transient private keys too, the same recording
 * decrypts, and the plaintext is the one sent, so the test reads the right
 * bytes.
 *
 *   test_fs BACKEND PATH_TO_FS_DECRYPT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/ops.h"
#include "core/fileio.h"
#include "tests/proto/harness.h"

static const char secret_line[] = "the eagle lands at dawn";
static const char secret_file[] = "coordinates: 51.4778 N, 0.0015 W";

static int write_key(const rlab_key *k, const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct rlab_buf pem = RLAB_BUF_INIT;
    int rc = rlab_key_export(k->be, k, RLAB_KEYFMT_PKCS8, RLAB_ENC_PEM, &pem);
    if (rc == RLAB_OK)
        rc = rlab_file_write(path, pem.data, pem.len, 0600, 1);
    rlab_buf_clear(&pem);
    return rc;
}

/* Run fs_decrypt with the given key files; its stdout in out. */
static int run(const char *tool, const char *be, const char *dir, const char *const *keys,
               char *out, size_t cap)
{
    char cmd[2048];
    int n = snprintf(cmd, sizeof cmd, "%s %s %s", tool, be, dir);
    for (size_t i = 0; keys[i] != NULL; i++)
        n += snprintf(cmd + n, sizeof cmd - (size_t)n, " %s/%s", dir, keys[i]);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    size_t got = fread(out, 1, cap - 1, p);
    out[got] = '\0';
    int st = pclose(p);
    printf("$ fs_decrypt ... %s\n%s", keys[2] ? "(identity + transient keys)" : "(identity keys)",
           out);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_fs BACKEND FS_DECRYPT\n");
        return 2;
    }
    const char *unfit = ph_unfit(argv[1], argv[1]);
    if (unfit != NULL) {
        printf("SKIP: rsalab/1 needs OAEP and PSS with SHA-256: %s\n", unfit);
        return 77;
    }
    struct ph_keys k;
    struct ph_server s;
    if (ph_keys_make(&k, argv[1], argv[1]) != 0)
        return 1;
    struct rlab_tkey *st = NULL, *ct = NULL;
    int fails = 0;
    if (rlab_tkey_new(k.sbe, 0, &st) != RLAB_OK || rlab_tkey_new(k.cbe, 0, &ct) != RLAB_OK)
        return 1;
    struct ph_server_opts o = {.transient = st};
    if (ph_server_start(&s, &k, &o) != 0)
        return 1;

    /* A session through a recording proxy. */
    struct ph_proxy *px;
    struct rlab_client *cl = NULL;
    char fpath[256];
    struct rlab_client_config cc = {
        .be = k.cbe, .identity = k.alice, .pin = k.pin.data, .pin_len = k.pin.len,
        .transient = ct,
    };
    int rc = ph_proxy_start(&px, ph_port(&s), NULL, 1) == 0 ? RLAB_OK : RLAB_ERR_IO;
    cc.port = ph_proxy_port(px);
    if (rc == RLAB_OK)
        rc = rlab_client_connect(&cc, &cl);
    if (rc == RLAB_OK)
        rc = rlab_client_send_line(cl, (const uint8_t *)secret_line, strlen(secret_line));
    FILE *f = fopen((snprintf(fpath, sizeof fpath, "%s/orders.txt", s.dir), fpath), "w");
    if (f != NULL) {
        fputs(secret_file, f);
        fclose(f);
    }
    if (rc == RLAB_OK)
        rc = rlab_client_send_file(cl, fpath, NULL, NULL, NULL, NULL);
    if (rc == RLAB_OK)
        rc = rlab_client_close(cl, 5000);
    rlab_client_free(cl);
    ph_proxy_stop(px);
    if (rc != RLAB_OK) {
        printf("FAIL: the recorded session did not complete: %s\n", rlab_error_detail());
        return 1;
    }

    /* The recording and the keys, for a fresh process. */
    const uint8_t *c2s, *s2c;
    size_t c2s_len, s2c_len;
    ph_proxy_recording(px, &c2s, &c2s_len, &s2c, &s2c_len);
    char dir[64] = "/tmp/rsalab-fs.XXXXXX", p1[128], p2[128];
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(p1, sizeof p1, "%s/c2s.bin", dir);
    snprintf(p2, sizeof p2, "%s/s2c.bin", dir);
    rc = rlab_file_write(p1, c2s, c2s_len, 0600, 1);
    if (rc == RLAB_OK)
        rc = rlab_file_write(p2, s2c, s2c_len, 0600, 1);
    if (rc == RLAB_OK)
        rc = write_key(k.server_id, dir, "server-identity.pem");
    if (rc == RLAB_OK)
        rc = write_key(k.alice, dir, "client-identity.pem");
    if (rc == RLAB_OK)
        rc = write_key(st->key, dir, "server-transient.pem");
    if (rc == RLAB_OK)
        rc = write_key(ct->key, dir, "client-transient.pem");
    ph_proxy_free(px);
    printf("recorded %zu bytes client->server, %zu server->client\n", c2s_len, s2c_len);

    static char out[65536];
    const char *identity[] = {"server-identity.pem", "client-identity.pem", NULL};
    int st1 = run(argv[2], argv[1], dir, identity, out, sizeof out);
    if (st1 != 1 || strstr(out, secret_line) != NULL || strstr(out, secret_file) != NULL) {
        printf("FAIL: with the identity keys alone fs_decrypt exited %d\n", st1);
        fails++;
    }
    const char *all[] = {"server-identity.pem", "client-identity.pem", "server-transient.pem",
                         "client-transient.pem", NULL};
    int st2 = run(argv[2], argv[1], dir, all, out, sizeof out);
    if (st2 != 0 || strstr(out, secret_line) == NULL || strstr(out, secret_file) == NULL) {
        printf("FAIL: with the transient keys fs_decrypt exited %d without the plaintext\n", st2);
        fails++;
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fails++;
    ph_server_stop(&s);
    rlab_tkey_put(st);
    rlab_tkey_put(ct);
    ph_keys_clear(&k);
    printf("%s: forward secrecy %s\n", fails ? "FAIL" : "PASS",
           fails ? "NOT shown" : "shown (identity keys alone cannot decrypt the recording)");
    printf("%d passed, %d failed\n", 2 - fails, fails);
    return fails ? 1 : 0;
}
