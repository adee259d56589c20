/* The machine a result was measured on; see bench.h. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"

#ifndef RSALAB_BUILD_TYPE
#define RSALAB_BUILD_TYPE "unknown"
#endif

/* CPU flags that decide which code paths the libraries take for bignum
 * arithmetic: OpenSSL 3.0 has AVX-512 IFMA code for 2048-bit (and larger)
 * Montgomery multiplication, and ADX/BMI2 code (mulx/adcx/adox) for the rest;
 * GMP picks its mpn kernels by the same flags. */
static const char *const rsa_flags[] = {"avx512ifma", "avx512f", "adx", "bmi2", "avx2"};

static void append(char *dst, size_t cap, const char *word)
{
    size_t len = strlen(dst);
    snprintf(dst + len, cap - len, "%s%s", len ? " " : "", word);
}

static int has_word(const char *line, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = line; (p = strstr(p, word)) != NULL; p += wl) {
        int start = p == line || p[-1] == ' ' || p[-1] == '\t';
        int end = p[wl] == '\0' || p[wl] == ' ' || p[wl] == '\n';
        if (start && end)
            return 1;
    }
    return 0;
}

static void trim_newline(char *s)
{
    s[strcspn(s, "\n")] = '\0';
}

static void read_cpuinfo(struct rlab_bench_machine *m)
{
    snprintf(m->cpu, sizeof m->cpu, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL)
        return;
    char line[4096];
    int have_model = 0, have_flags = 0;
    while ((!have_model || !have_flags) && fgets(line, sizeof line, f) != NULL) {
        char *colon = strchr(line, ':');
        if (colon == NULL)
            continue;
        const char *val = colon + 1 + (colon[1] == ' ');
        if (!have_model && strncmp(line, "model name", 10) == 0) {
            snprintf(m->cpu, sizeof m->cpu, "%s", val);
            trim_newline(m->cpu);
            have_model = 1;
        } else if (!have_flags && strncmp(line, "flags", 5) == 0) {
            have_flags = 1;
            for (size_t i = 0; i < sizeof rsa_flags / sizeof rsa_flags[0]; i++) {
                if (has_word(val, rsa_flags[i]))
                    append(m->flags_present, sizeof m->flags_present, rsa_flags[i]);
                else
                    append(m->flags_absent, sizeof m->flags_absent, rsa_flags[i]);
            }
        }
    }
    fclose(f);
}

static void compiler_name(char *out, size_t cap)
{
#if defined(__clang__)
    snprintf(out, cap, "clang %s", __clang_version__);
#elif defined(__GNUC__)
    snprintf(out, cap, "gcc %s", __VERSION__);
#else
    snprintf(out, cap, "%s", "unknown compiler");
#endif
}

void rlab_bench_machine_read(struct rlab_bench_machine *m)
{
    memset(m, 0, sizeof *m);
    read_cpuinfo(m);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    m->cpus = n > 0 ? (unsigned)n : 0;

    struct utsname u;
    if (uname(&u) == 0)
        snprintf(m->kernel, sizeof m->kernel, "%s %s %s", u.sysname, u.release, u.machine);
    else
        snprintf(m->kernel, sizeof m->kernel, "unknown");

    compiler_name(m->compiler, sizeof m->compiler);
#ifdef RSALAB_SANITIZED
    snprintf(m->build_type, sizeof m->build_type, "%s +ASan/UBSan", RSALAB_BUILD_TYPE);
#else
    snprintf(m->build_type, sizeof m->build_type, "%s", RSALAB_BUILD_TYPE);
#endif

    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) != NULL)
        strftime(m->date, sizeof m->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
