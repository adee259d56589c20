/* see netopts.h */
#include "apps/netopts.h"

#include <string.h>
#include <time.h>

#include "apps/commands.h"
#include "apps/opts.h"
#include "core/authset.h"
#include "core/handshake.h"

int rlab_app_load_identity(const char *cmd, const struct rlab_backend *be, const char *path,
                           rlab_key **out)
{
    int st = rlab_app_load_key(cmd, be, path, out);
    if (st != RLAB_EXIT_OK)
        return st;
    if (!(*out)->has_private) {
        rlab_key_free(*out);
        *out = NULL;
        return rlab_app_usage_error(cmd, "%s: an identity key must be a private key", path);
    }
    if ((*out)->bits < RLAB_HS_MIN_BITS) {
        unsigned bits = (*out)->bits;
        rlab_key_free(*out);
        *out = NULL;
        return rlab_app_usage_error(cmd, "%s: a %u-bit key; rsalab/1 identity keys are at "
                                    "least %u bits", path, bits, RLAB_HS_MIN_BITS);
    }
    return RLAB_EXIT_OK;
}

int rlab_app_load_pin(const char *cmd, const struct rlab_backend *be, const char *path,
                      struct rlab_buf *spki)
{
    rlab_key *k = NULL;
    int st = rlab_app_load_key(cmd, be, path, &k);
    if (st != RLAB_EXIT_OK)
        return st;
    int rc = rlab_spki_of(be, k, spki);
    rlab_key_free(k);
    return rc == RLAB_OK ? RLAB_EXIT_OK : rlab_app_fail(cmd, path, rc);
}

void rlab_app_size(char *out, size_t cap, uint64_t b)
{
    if (b >= (1ull << 30))
        snprintf(out, cap, "%.2f GiB", (double)b / (1ull << 30));
    else if (b >= (1ull << 20))
        snprintf(out, cap, "%.1f MiB", (double)b / (1ull << 20));
    else if (b >= 1024)
        snprintf(out, cap, "%.1f KiB", (double)b / 1024);
    else
        snprintf(out, cap, "%llu B", (unsigned long long)b);
}

double rlab_app_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void rlab_app_progress(FILE *f, const char *label, uint64_t done, uint64_t total,
                       double seconds)
{
    const int width = 30;
    double frac = total > 0 ? (double)done / (double)total : 1.0;
    if (frac > 1)
        frac = 1;
    int fill = (int)(frac * width);
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
    bar[width] = '\0';
    char sz[32];
    rlab_app_size(sz, sizeof sz, done);
    double rate = seconds > 0 ? (double)done / seconds / 1e6 : 0;
    fprintf(f, "\r%-24.24s [%s] %3d%% %10s %8.1f MB/s", label, bar, (int)(frac * 100), sz, rate);
    fflush(f);
}

unsigned long rlab_app_peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long kib = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %lu kB", &kib) == 1)
            break;
    if (f != NULL)
        fclose(f);
    return kib;
}

int rlab_app_port(const char *cmd, const char *text, unsigned *out)
{
    unsigned long v;
    if (rlab_opt_ulong(cmd, "--port", text, 0, 65535, &v) != 0)
        return RLAB_EXIT_USAGE;
    *out = (unsigned)v;
    return RLAB_EXIT_OK;
}
