/* placeholder: replaced by the openssl backend */
#include "backends/backend.h"
const struct rlab_backend rlab_backend_openssl = {
    .name = "openssl",
};
