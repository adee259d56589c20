/* see errors.h */
#include "base/errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RLAB_X_TEXT(name, text) text,
static const char *const err_text[] = {RLAB_ERROR_LIST(RLAB_X_TEXT)};
#undef RLAB_X_TEXT
#define RLAB_X_NAME(name, text) #name,
static const char *const err_name[] = {RLAB_ERROR_LIST(RLAB_X_NAME)};
#undef RLAB_X_NAME

/* Room for a path (PATH_MAX) and a library's message with some context. */
#define RLAB_DETAIL_MAX 8192
static _Thread_local char detail[RLAB_DETAIL_MAX];

const char *rlab_strerror(int err)
{
    if (err < 0 || err >= RLAB_ERR_COUNT)
        return "unknown error";
    return err_text[err];
}

const char *rlab_errname(int err)
{
    if (err < 0 || err >= RLAB_ERR_COUNT)
        return "RLAB_ERR_UNKNOWN";
    return err_name[err];
}

int rlab_error_set(int err, const char *fmt, ...)
{
    /* Format into a temporary first: an argument may point into `detail`
     * itself (rlab_error_set(rc, "context: %s", rlab_error_detail())), and
     * vsnprintf into the buffer it reads from is undefined behaviour. */
    char tmp[RLAB_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        tmp[0] = '\0';
    } else if ((size_t)n >= sizeof tmp) {
        /* Say that it was cut rather than cut silently. */
        memcpy(tmp + sizeof tmp - 4, "...", 4);
    }
    memcpy(detail, tmp, strlen(tmp) + 1);
    return err;
}

const char *rlab_error_detail(void) { return detail; }

void rlab_error_clear(void) { detail[0] = '\0'; }
