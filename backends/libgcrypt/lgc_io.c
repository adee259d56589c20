/*
 * Import and export slots of the libgcrypt backend: the strict codec of
 * backends/keycodec.h between the bytes and struct rlab_components, and
 * the validated key building of lgc_key.c between the components and
 * libgcrypt's S-expressions.  A well-formed encoding whose numbers do not
 * make a key is RLAB_ERR_KEY_INVALID; a malformed one RLAB_ERR_KEY_FORMAT.
 */
#include "backends/libgcrypt/lgc_internal.h"
#include "backends/keycodec.h"

/* see backend.h */
int rlab_lgc_import(rlab_keyfmt fmt, rlab_encoding enc, const uint8_t *in, size_t len,
                    rlab_key **out)
{
    *out = NULL;
    struct rlab_components c = {0};
    int rc = rlab_keycodec_der_decode(fmt, enc, in, len, &c);
    if (rc == RLAB_OK)
        rc = rlab_lgc_from_components(&c, out);
    rlab_components_clear(&c);
    return rc;
}

/* see backend.h */
int rlab_lgc_export(const rlab_key *k, rlab_keyfmt fmt, rlab_encoding enc,
                    struct rlab_buf *out)
{
    struct rlab_components c = {0};
    int rc = rlab_lgc_to_components(k, &c);
    if (rc == RLAB_OK)
        rc = rlab_keycodec_der_encode(&c, fmt, enc, out);
    rlab_components_clear(&c);
    return rc;
}
