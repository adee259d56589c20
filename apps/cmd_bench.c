/* placeholder */
#include <stdio.h>
#include "commands.h"
int rlab_cmd_bench(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "rsalab bench: not built yet\n");
    return RLAB_EXIT_USAGE;
}
