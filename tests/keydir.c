/* see keydir.h */
#include "tests/keydir.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "backends/ops.h"
#include "core/fileio.h"

static int key_path(const struct rlab_backend *be, unsigned bits, int slot, char *path,
                    size_t len)
{
    const char *dir = getenv("RSALAB_TEST_KEY_DIR");
    if (dir == NULL || dir[0] == '\0')
        return -1;
    struct rlab_op_query qe = {.op = RLAB_OP_EXPORT}, qi = {.op = RLAB_OP_IMPORT};
    if (rlab_backend_check(be, &qe) != NULL || rlab_backend_check(be, &qi) != NULL)
        return -1;
    int n = snprintf(path, len, "%s/%s-%u-%d.p8.der", dir, be->name, bits, slot);
    return n > 0 && (size_t)n < len ? 0 : -1;
}

int tk_dir_load(const struct rlab_backend *be, unsigned bits, int slot, rlab_key **out)
{
    *out = NULL;
    char path[1024];
    if (key_path(be, bits, slot, path, sizeof path) != 0)
        return RLAB_ERR_UNSUPPORTED;
    struct rlab_buf der = RLAB_BUF_INIT;
    int rc = rlab_file_read(path, 1 << 16, &der);
    if (rc == RLAB_OK)
        rc = rlab_key_import(be, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, der.data, der.len, out);
    rlab_buf_clear(&der);
    if (rc == RLAB_OK && (*out)->bits != bits) {
        rlab_key_free(*out);
        *out = NULL;
        rc = RLAB_ERR_KEY_INVALID;
    }
    rlab_error_clear();
    return rc;
}

void tk_dir_save(const struct rlab_backend *be, unsigned bits, int slot, const rlab_key *key)
{
    char path[1024];
    if (key_path(be, bits, slot, path, sizeof path) != 0)
        return;
    mkdir(getenv("RSALAB_TEST_KEY_DIR"), 0700);
    struct rlab_buf der = RLAB_BUF_INIT;
    /* written beside, then renamed: a reader never sees half a file */
    if (rlab_key_export(be, key, RLAB_KEYFMT_PKCS8, RLAB_ENC_DER, &der) == RLAB_OK)
        rlab_file_write(path, der.data, der.len, 0600, 1);
    rlab_buf_clear(&der);
    rlab_error_clear();
}

int tk_dir_key(const struct rlab_backend *be, unsigned bits, int slot, rlab_key **out)
{
    if (tk_dir_load(be, bits, slot, out) == RLAB_OK)
        return RLAB_OK;
    int rc = rlab_keygen(be, bits, 65537, NULL, out);
    if (rc == RLAB_OK)
        tk_dir_save(be, bits, slot, *out);
    return rc;
}
