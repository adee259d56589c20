/* placeholder */
#include <stdio.h>
#include "commands.h"
int rlab_cmd_sign(int argc, char **argv) { (void)argc; (void)argv; return RLAB_EXIT_USAGE; }
int rlab_cmd_verify(int argc, char **argv) { (void)argc; (void)argv; return RLAB_EXIT_USAGE; }
