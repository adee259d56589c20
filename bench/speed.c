/*
 * `openssl speed` in the same run, as a check on the harness: the openssl
 * backend's sign and verify rates through our interface should be within a
 * few percent of what the library's own tool measures.  See bench.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "bench/bench.h"

int rlab_bench_parse_speed(const char *text, unsigned bits, double *sign,
                           double *verify)
{
    /* Machine-readable lines: "+F2:<index>:<bits>:<sign/s>:<verify/s>". */
    for (const char *p = text; p != NULL && *p != '\0';) {
        unsigned idx, b;
        double s, v;
        int used = 0;
        if (sscanf(p, "+F2:%u:%u:%lf:%lf%n", &idx, &b, &s, &v, &used) == 4 && used > 0 &&
            b == bits && s > 0 && v > 0) {
            *sign = s;
            *verify = v;
            return RLAB_OK;
        }
        p = strchr(p, '\n');
        if (p != NULL)
            p++;
    }
    return RLAB_ERR_PARSE;
}

/* Run a shell command and keep up to cap-1 bytes of its output.  Returns the
 * exit status, or -1 when it could not be run. */
static int run_capture(const char *command, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *p = popen(command, "r");
    if (p == NULL)
        return -1;
    size_t used = 0;
    for (;;) {
        size_t n = fread(out + used, 1, cap - 1 - used, p);
        used += n;
        if (n == 0 || used == cap - 1)
            break;
    }
    out[used] = '\0';
    /* Drain anything beyond the buffer so the child is not killed by SIGPIPE. */
    char sink[512];
    while (fread(sink, 1, sizeof sink, p) > 0)
        ;
    int st = pclose(p);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

void rlab_bench_openssl_speed(struct rlab_bench_speed *s, int seconds)
{
    /* -elapsed: `openssl speed` divides by CPU user time unless told
     * otherwise, while we time with the monotonic clock; on a loaded machine
     * the two differ by the share of the CPU we got. */
    char out[8192];
    int st = run_capture("openssl version 2>&1", out, sizeof out);
    if (st != 0) {
        s->status = RLAB_BENCH_SKIPPED;
        snprintf(s->reason, sizeof s->reason, "%s",
                 st == 127 ? "the openssl command-line tool is not installed"
                           : "`openssl version` failed");
        return;
    }
    out[strcspn(out, "\n")] = '\0';
    snprintf(s->cli_version, sizeof s->cli_version, "%.*s", (int)sizeof s->cli_version - 1, out);

    snprintf(s->command, sizeof s->command, "openssl speed -elapsed -seconds %d -mr rsa2048",
             seconds);
    char cmdline[128];
    snprintf(cmdline, sizeof cmdline, "%s 2>&1", s->command);
    st = run_capture(cmdline, out, sizeof out);
    if (st != 0 || rlab_bench_parse_speed(out, 2048, &s->cli_sign, &s->cli_verify) != RLAB_OK) {
        s->status = RLAB_BENCH_SKIPPED;
        snprintf(s->reason, sizeof s->reason, "`%s` gave no +F2 line for 2048 bits (exit %d)",
                 s->command, st);
        return;
    }
    s->status = RLAB_BENCH_DONE;
}
