/*
 * Plots: gnuplot, run as a program on the scripts bench/<name>.gp, reading
 * the run's CSV.  See bench.h (rlab_bench_plot).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"

#ifndef RSALAB_SOURCE_DIR
#define RSALAB_SOURCE_DIR "."
#endif

static const struct {
    const char *script, *png;
    enum rlab_bench_group group;
} plots[] = {
    {"ops.gp", "ops.png", RLAB_BG_OPS},
    {"keygen.gp", "keygen-cdf.png", RLAB_BG_KEYGEN},
    {"chunking.gp", "chunking.png", RLAB_BG_CHUNKING},
    {"throughput.gp", "throughput.png", RLAB_BG_THROUGHPUT},
    {"handshake.gp", "handshake.png", RLAB_BG_HANDSHAKE},
    {"timing.gp", "timing.png", RLAB_BG_TIMING},
};

/* Append s to a gnuplot single-quoted string ('' stands for a quote). */
static void quoted(char *dst, size_t cap, const char *s)
{
    size_t len = strlen(dst);
    if (len + 1 < cap)
        dst[len++] = '\'';
    for (; *s && len + 3 < cap; s++) {
        if (*s == '\'')
            dst[len++] = '\'';
        dst[len++] = *s;
    }
    if (len + 1 < cap)
        dst[len++] = '\'';
    dst[len] = '\0';
}

static void var(char *dst, size_t cap, const char *name, const char *value)
{
    size_t len = strlen(dst);
    snprintf(dst + len, cap - len, "%s=", name);
    quoted(dst, cap, value);
    len = strlen(dst);
    snprintf(dst + len, cap - len, "; ");
}

/* Run gnuplot once; its output goes to logfd.  Returns the exit status,
 * 127 when it could not be started. */
static int run_gnuplot(const char *prog, const char *vars, const char *script, int logfd)
{
    pid_t pid = fork();
    if (pid < 0)
        return 127;
    if (pid == 0) {
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        execlp(prog, prog, "-e", vars, script, (char *)NULL);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 126;
}

static int wanted(const struct rlab_bench_result *r, size_t i, char *why, size_t cap)
{
    if (!(r->cfg.groups & (1u << plots[i].group)))
        return 0;
    if (plots[i].group == RLAB_BG_THROUGHPUT && r->n_tput == 0) {
        snprintf(why, cap, "%s: no transfer measured (%s)", plots[i].png,
                 r->group[RLAB_BG_THROUGHPUT].reason);
        return 0;
    }
    if (plots[i].group == RLAB_BG_HANDSHAKE && r->n_hs == 0) {
        snprintf(why, cap, "%s: no handshake measured (%s)", plots[i].png,
                 r->group[RLAB_BG_HANDSHAKE].reason);
        return 0;
    }
    return 1;
}

size_t rlab_bench_plot(const struct rlab_bench_result *r, const char *dir, const char *csv,
                       char names[RLAB_BENCH_MAX_PLOTS][32], char *note, size_t note_cap)
{
    const char *prog = getenv("RSALAB_GNUPLOT");
    const char *gpdir = getenv("RSALAB_GNUPLOT_DIR");
    if (prog == NULL || prog[0] == '\0')
        prog = "gnuplot";
    if (gpdir == NULL || gpdir[0] == '\0')
        gpdir = RSALAB_SOURCE_DIR "/bench";
    note[0] = '\0';
    size_t n = 0;
    names[0][0] = '\0';

    const struct rlab_bench_machine *m = &r->machine;
    char caption[1024], backends[RLAB_BENCH_MAX_BACKENDS * 24] = "", kbits[128] = "",
         aeadnames[RLAB_BENCH_MAX_BACKENDS * 64] = "";
    snprintf(caption, sizeof caption, "%s, %u CPUs; %s; %s; rsalab %s%s; %s", m->cpu, m->cpus,
             m->kernel, m->build_type, m->git_rev, r->cfg.quick ? ", --quick" : "", m->date);
    for (size_t b = 0; b < r->cfg.n_backends; b++) {
        size_t len = strlen(backends);
        snprintf(backends + len, sizeof backends - len, "%s%s", b ? " " : "",
                 r->cfg.backends[b]->name);
    }
    /* A backend without AES-GCM is shown with the provider it borrows. */
    for (size_t b = 0; b < r->cfg.n_backends; b++) {
        const struct rlab_backend *be = r->cfg.backends[b];
        const struct rlab_backend *ab = rlab_bench_aead_provider(be);
        size_t len = strlen(aeadnames);
        if (ab == NULL || ab == be)
            snprintf(aeadnames + len, sizeof aeadnames - len, "%s%s", b ? " " : "", be->name);
        else
            snprintf(aeadnames + len, sizeof aeadnames - len, "%s%s(+%s-aead)", b ? " " : "",
                     be->name, ab->name);
    }
    for (size_t i = 0; i < r->cfg.n_keygen_bits; i++) {
        size_t len = strlen(kbits);
        snprintf(kbits + len, sizeof kbits - len, "%s%u", i ? " " : "", r->cfg.keygen_bits[i]);
    }
    /* timing: the operations measured, one panel each */
    char tops[256] = "";
    for (int op = 0; op < RLAB_BT_COUNT; op++) {
        if (!((r->cfg.timing_ops >> op) & 1u))
            continue;
        size_t len = strlen(tops);
        snprintf(tops + len, sizeof tops - len, "%s%s", len ? " " : "",
                 rlab_bench_timing_op_name((enum rlab_bench_timing_op)op));
    }
    char logpath[4096];
    snprintf(logpath, sizeof logpath, "%s/gnuplot.log", dir);
    int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (logfd < 0) {
        snprintf(note, note_cap, "Plots skipped: cannot write %s.", logpath);
        return 0;
    }
    char skipped[1024] = "";
    for (size_t i = 0; i < sizeof plots / sizeof plots[0]; i++) {
        char why[256] = "";
        if (!wanted(r, i, why, sizeof why)) {
            if (why[0]) {
                size_t len = strlen(skipped);
                snprintf(skipped + len, sizeof skipped - len, "%s%s", len ? "; " : "", why);
            }
            continue;
        }
        char script[4096], out[4096], vars[8192] = "";
        snprintf(script, sizeof script, "%s/%s", gpdir, plots[i].script);
        snprintf(out, sizeof out, "%s/%s", dir, plots[i].png);
        if (access(script, R_OK) != 0) {
            snprintf(note, note_cap, "Plots skipped: gnuplot script %s not found "
                     "(set RSALAB_GNUPLOT_DIR to the source tree's bench/).", script);
            break;
        }
        var(vars, sizeof vars, "dir", gpdir);
        var(vars, sizeof vars, "kbits", kbits);
        var(vars, sizeof vars, "aeadnames", aeadnames);
        var(vars, sizeof vars, "csv", csv);
        var(vars, sizeof vars, "out", out);
        var(vars, sizeof vars, "backends", backends);
        var(vars, sizeof vars, "caption", caption);
        var(vars, sizeof vars, "timingops", tops);
        int st = run_gnuplot(prog, vars, script, logfd);
        if (st == 127) {
            snprintf(note, note_cap, "Plots skipped: `%s` could not be run (install "
                     "gnuplot-nox; scripts/setup does). The data files are complete.", prog);
            n = 0;
            break;
        }
        if (st != 0) {
            size_t len = strlen(skipped);
            snprintf(skipped + len, sizeof skipped - len, "%s%s: gnuplot failed (see "
                     "gnuplot.log)", len ? "; " : "", plots[i].png);
            continue;
        }
        snprintf(names[n], 32, "%s", plots[i].png);
        n++;
        names[n][0] = '\0';
    }
    struct stat sb;
    int empty = fstat(logfd, &sb) == 0 && sb.st_size == 0;
    close(logfd);
    if (empty)
        unlink(logpath);
    if (note[0] == '\0' && skipped[0] != '\0')
        snprintf(note, note_cap, "Plots not drawn: %s.", skipped);
    return n;
}
