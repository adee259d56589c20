/* placeholder: replaced by the gmp backend */
#include "backends/backend.h"
const struct rlab_backend rlab_backend_gmp = {
    .name = "gmp",
};
