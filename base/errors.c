/* see errors.h */
#include "base/errors.h"

#include <stdarg.h>
#include <stdio.h>

#define RLAB_X_TEXT(name, text) text,
static const char *const err_text[] = {RLAB_ERROR_LIST(RLAB_X_TEXT)};
#undef RLAB_X_TEXT
#define RLAB_X_NAME(name, text) #name,
static const char *const err_name[] = {RLAB_ERROR_LIST(RLAB_X_NAME)};
#undef RLAB_X_NAME

static _Thread_local char detail[256];

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
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return err;
}

const char *rlab_error_detail(void) { return detail; }

void rlab_error_clear(void) { detail[0] = '\0'; }
