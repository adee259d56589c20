/*
 * rsalab subcommands.  Each takes argc/argv starting at the subcommand name
 * (argv[0] == "keygen", ...) and returns the process exit status:
 *   0  success
 *   1  a verification or check said no (bad signature, failed vector, ...)
 *   2  usage or input error (bad option, unreadable or malformed file, ...)
 * Each prints its own --help.
 */
#ifndef RLAB_APPS_COMMANDS_H
#define RLAB_APPS_COMMANDS_H

#define RLAB_EXIT_OK 0
#define RLAB_EXIT_NO 1
#define RLAB_EXIT_USAGE 2

int rlab_cmd_backends(int argc, char **argv);
int rlab_cmd_keygen(int argc, char **argv);
int rlab_cmd_encrypt(int argc, char **argv);
int rlab_cmd_decrypt(int argc, char **argv);
int rlab_cmd_sign(int argc, char **argv);
int rlab_cmd_verify(int argc, char **argv);
int rlab_cmd_bench(int argc, char **argv);
int rlab_cmd_vectors(int argc, char **argv);
int rlab_cmd_interop(int argc, char **argv);
int rlab_cmd_keycheck(int argc, char **argv);
int rlab_cmd_serve(int argc, char **argv);
int rlab_cmd_chat(int argc, char **argv);
int rlab_cmd_send(int argc, char **argv);
int rlab_cmd_demo(int argc, char **argv);

#endif
