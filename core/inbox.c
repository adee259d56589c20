/* see inbox.h */
#include "core/inbox.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/errors.h"

int rlab_inbox_check_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 255)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "a file name of %zu bytes", n);
    if (strchr(name, '/') != NULL)
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "file name \"%.64s\" contains '/'", name);
    if (name[0] == '.')
        return rlab_error_set(RLAB_ERR_INVALID_ARG, "file name \"%.64s\" starts with '.'",
                              name);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return rlab_error_set(RLAB_ERR_INVALID_ARG,
                                  "file name with a control character (byte %zu)", i);
    return RLAB_OK;
}

int rlab_inbox_open(const char *dir, const char *name, struct rlab_filew *w)
{
    int rc = rlab_inbox_check_name(name);
    if (rc != RLAB_OK)
        return rc;
    char path[4096];
    struct stat st;
    for (int i = 0; i < 1000; i++) {
        int n = i == 0 ? snprintf(path, sizeof path, "%s/%s", dir, name)
                       : snprintf(path, sizeof path, "%s/%s.%d", dir, name, i);
        if (n < 0 || (size_t)n >= sizeof path)
            return rlab_error_set(RLAB_ERR_INVALID_ARG, "inbox path too long");
        if (lstat(path, &st) != 0)
            return rlab_filew_open(w, path, 0644, 0);
    }
    return rlab_error_set(RLAB_ERR_EXISTS, "%s/%s: 1000 files of that name", dir, name);
}
