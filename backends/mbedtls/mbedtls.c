/* placeholder: replaced by the mbedtls backend */
#include "backends/backend.h"
const struct rlab_backend rlab_backend_mbedtls = {
    .name = "mbedtls",
};
