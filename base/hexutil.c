/* see hexutil.h */
#include "base/hexutil.h"

#include "base/errors.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int skippable(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':';
}

int rlab_hex_decode(const char *hex, size_t hex_len, struct rlab_buf *out)
{
    size_t digits = 0;
    for (size_t i = 0; i < hex_len; i++) {
        if (skippable(hex[i]))
            continue;
        if (hexval(hex[i]) < 0)
            return RLAB_ERR_PARSE;
        digits++;
    }
    int rc = rlab_buf_alloc(out, (digits + 1) / 2);
    if (rc != RLAB_OK)
        return rc;
    /* An odd count gets an implicit leading zero nibble. */
    size_t nib = (digits % 2 == 1) ? 1 : 0;
    for (size_t i = 0; i < hex_len; i++) {
        if (skippable(hex[i]))
            continue;
        uint8_t v = (uint8_t)hexval(hex[i]);
        if (nib % 2 == 0)
            out->data[nib / 2] = (uint8_t)(v << 4);
        else
            out->data[nib / 2] |= v;
        nib++;
    }
    return RLAB_OK;
}

void rlab_hex_encode(const uint8_t *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}
