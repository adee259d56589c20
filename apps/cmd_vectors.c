/* placeholder */
#include <stdio.h>
#include "commands.h"
int rlab_cmd_vectors(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "rsalab vectors: not built yet\n");
    return RLAB_EXIT_USAGE;
}
