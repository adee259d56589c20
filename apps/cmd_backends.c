/* placeholder */
#include <stdio.h>
#include "commands.h"
int rlab_cmd_backends(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "rsalab backends: not built yet\n");
    return RLAB_EXIT_USAGE;
}
