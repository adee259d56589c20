/*
 * Running the openssl command-line tool for the interop matrix: posix_spawn
 * with the standard streams redirected, never a shell, so no file name is
 * ever parsed as shell text.  see interop.h
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vectors/interop.h"

extern char **environ;

int rlab_iop_cli_run(const char *const argv[], const char *errfile, char *err,
                     size_t size)
{
    if (size > 0)
        err[0] = '\0';
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    int ok = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) == 0 &&
             posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) == 0 &&
             posix_spawn_file_actions_addopen(&fa, 2, errfile,
                                              O_WRONLY | O_CREAT | O_TRUNC, 0600) == 0;
    pid_t pid;
    /* posix_spawnp's argv is char *const[]: the strings are not modified. */
    int rc = ok ? posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) : -1;
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        snprintf(err, size, "cannot run %s: %s", argv[0], rc > 0 ? strerror(rc) : "spawn setup");
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno == EINTR)
            continue;
        snprintf(err, size, "waitpid failed");
        return -1;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code != 0 && size > 0) {
        FILE *f = fopen(errfile, "r");
        if (f != NULL) {
            if (fgets(err, (int)size, f) != NULL)
                err[strcspn(err, "\r\n")] = '\0';
            fclose(f);
        }
        if (err[0] == '\0')
            snprintf(err, size, "%s exited with %d", argv[0], code);
    }
    return code;
}

int rlab_iop_cli_available(void)
{
    static int known = -1;
    if (known < 0) {
        char err[64];
        const char *argv[] = {"openssl", "version", NULL};
        known = rlab_iop_cli_run(argv, "/dev/null", err, sizeof err) == 0;
    }
    return known;
}
