/* placeholder */
#include <stdio.h>
#include "commands.h"
int rlab_cmd_keygen(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "rsalab keygen: not built yet\n");
    return RLAB_EXIT_USAGE;
}
