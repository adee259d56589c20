/*
 * The ceilings a transfer through the protocol is compared with, measured
 * in the same run (bench.h): memcpy, loopback TCP, and the message stream
 * in memory; and the peak resident set of this process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/ct.h"
#include "bench/bench.h"
#include "core/fileio.h"
#include "core/stream.h"

/* ---- memcpy -------------------------------------------------------------- */

struct copy {
    uint8_t *src, *dst;
    size_t len;
};

static int copy_once(void *p)
{
    struct copy *c = p;
    memcpy(c->dst, c->src, c->len);
    /* The copy is observable through c->dst, which outlives the loop; the
     * barrier keeps the compiler from merging repeated copies. */
    __asm__ volatile("" : : "r"(c->dst) : "memory");
    return RLAB_OK;
}

void rlab_bench_ceiling_memcpy(const struct rlab_bench_config *cfg,
                               struct rlab_bench_cell *out)
{
    struct copy c = {.len = cfg->memcpy_bytes};
    c.src = malloc(c.len);
    c.dst = malloc(c.len);
    if (c.src == NULL || c.dst == NULL) {
        memset(out, 0, sizeof *out);
        rlab_bench_cell_set(out, RLAB_BENCH_FAILED, "memcpy buffers", RLAB_ERR_NOMEM);
    } else {
        /* Touch every page first so that page faults are not timed. */
        memset(c.src, 0x5a, c.len);
        memset(c.dst, 0, c.len);
        rlab_bench_time_loop(copy_once, &c, (double)c.len / 1e6, cfg, out);
        snprintf(out->reason, sizeof out->reason, "%zu MiB per copy", c.len >> 20);
    }
    free(c.src);
    free(c.dst);
}

/* ---- loopback TCP -------------------------------------------------------- */

#define TCP_IO (256 * 1024) /* the size of the protocol's reads (core/session.c) */

struct sender {
    int fd;
    size_t total;
    int err; /* errno of a failed write, 0 */
};

static void *send_all(void *p)
{
    struct sender *s = p;
    static uint8_t buf[TCP_IO]; /* content does not matter; never written */
    size_t left = s->total;
    while (left > 0) {
        ssize_t n = write(s->fd, buf, left < TCP_IO ? left : TCP_IO);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            s->err = n < 0 ? errno : EPIPE;
            break;
        }
        left -= (size_t)n;
    }
    close(s->fd);
    return NULL;
}

/* A listening socket on 127.0.0.1 with a kernel-chosen port. */
static int listen_loopback(struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    socklen_t len = sizeof *addr;
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)addr, sizeof *addr) != 0 || listen(fd, 1) != 0 ||
        getsockname(fd, (struct sockaddr *)addr, &len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One trial: connect, let a thread send `total` bytes, read them all here.
 * Returns seconds from the start of sending to the last byte read, or a
 * negative value on error. */
static double tcp_trial(int lfd, const struct sockaddr_in *addr, size_t total, uint8_t *buf)
{
    int cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (cfd < 0)
        return -1;
    if (connect(cfd, (const struct sockaddr *)addr, sizeof *addr) != 0) {
        close(cfd);
        return -1;
    }
    int afd = accept(lfd, NULL, NULL);
    if (afd < 0) {
        close(cfd);
        return -1;
    }
    struct sender s = {.fd = cfd, .total = total};
    pthread_t th;
    uint64_t t0 = rlab_bench_now_ns();
    if (pthread_create(&th, NULL, send_all, &s) != 0) {
        close(cfd);
        close(afd);
        return -1;
    }
    size_t got = 0;
    for (;;) {
        ssize_t n = read(afd, buf, TCP_IO);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    uint64_t t1 = rlab_bench_now_ns();
    pthread_join(th, NULL);
    close(afd);
    if (got != total || s.err != 0)
        return -1;
    return (double)(t1 - t0) / 1e9;
}

void rlab_bench_ceiling_tcp(const struct rlab_bench_config *cfg, struct rlab_bench_cell *out)
{
    memset(out, 0, sizeof *out);
    struct sockaddr_in addr;
    uint8_t *buf = malloc(TCP_IO);
    int lfd = buf ? listen_loopback(&addr) : -1;
    if (lfd < 0) {
        rlab_bench_cell_set(out, RLAB_BENCH_FAILED, "loopback socket", RLAB_ERR_IO);
        free(buf);
        return;
    }
    double rates[64];
    unsigned trials = cfg->trials < 1 ? 1 : cfg->trials > 64 ? 64 : cfg->trials;
    /* One untimed transfer first: socket buffers grow, pages fault in. */
    int ok = tcp_trial(lfd, &addr, cfg->tcp_bytes / 4 + 1, buf) >= 0;
    for (unsigned t = 0; t < trials && ok; t++) {
        double s = tcp_trial(lfd, &addr, cfg->tcp_bytes, buf);
        ok = s > 0;
        if (ok)
            rates[t] = (double)cfg->tcp_bytes / 1e6 / s;
    }
    close(lfd);
    free(buf);
    if (!ok) {
        rlab_bench_cell_set(out, RLAB_BENCH_FAILED, "loopback transfer", RLAB_ERR_IO);
        return;
    }
    rlab_bench_summarise(rates, trials, &out->stat);
    out->stat.iters = 1;
    out->status = RLAB_BENCH_DONE;
    snprintf(out->reason, sizeof out->reason,
             "%zu MiB per trial, 256 KiB writes/reads, sender thread + receiver thread",
             cfg->tcp_bytes >> 20);
}

/* ---- the inbox write ----------------------------------------------------- */

const char *rlab_bench_scratch_dir(void)
{
    return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
}

/* One file of `bytes` through the server's writer; seconds, or -1. */
static double inbox_trial(const char *path, const uint8_t *piece, uint64_t bytes)
{
    struct rlab_filew w;
    uint64_t t0 = rlab_bench_now_ns();
    if (rlab_filew_open(&w, path, 0600, 1) != RLAB_OK)
        return -1;
    int rc = RLAB_OK;
    for (uint64_t done = 0; rc == RLAB_OK && done < bytes; done += RLAB_STREAM_CHUNK) {
        size_t n = bytes - done < RLAB_STREAM_CHUNK ? (size_t)(bytes - done) : RLAB_STREAM_CHUNK;
        rc = rlab_filew_write(&w, piece, n);
    }
    if (rc != RLAB_OK) {
        rlab_filew_abort(&w);
        return -1;
    }
    rc = rlab_filew_commit(&w);
    uint64_t t1 = rlab_bench_now_ns();
    unlink(path);
    return rc == RLAB_OK ? (double)(t1 - t0) / 1e9 : -1;
}

void rlab_bench_ceiling_inbox(const struct rlab_bench_config *cfg, const char *dir,
                              uint64_t bytes, struct rlab_bench_cell *out)
{
    memset(out, 0, sizeof *out);
    char path[256];
    snprintf(path, sizeof path, "%s/rsalab-bench-inbox.%ld", dir, (long)getpid());
    uint8_t *piece = malloc(RLAB_STREAM_CHUNK);
    if (piece == NULL || bytes == 0) {
        rlab_bench_cell_set(out, RLAB_BENCH_FAILED, "inbox write buffer", RLAB_ERR_NOMEM);
        free(piece);
        return;
    }
    memset(piece, 0x3c, RLAB_STREAM_CHUNK);
    double rates[64];
    unsigned trials = cfg->trials < 1 ? 1 : cfg->trials > 64 ? 64 : cfg->trials;
    int ok = inbox_trial(path, piece, bytes / 4 + 1) > 0; /* untimed */
    for (unsigned t = 0; t < trials && ok; t++) {
        double s = inbox_trial(path, piece, bytes);
        ok = s > 0;
        if (ok)
            rates[t] = (double)bytes / 1e6 / s;
    }
    free(piece);
    if (!ok) {
        rlab_bench_cell_set(out, RLAB_BENCH_FAILED, dir, RLAB_ERR_IO);
        return;
    }
    rlab_bench_summarise(rates, trials, &out->stat);
    out->stat.iters = 1;
    out->status = RLAB_BENCH_DONE;
    snprintf(out->reason, sizeof out->reason,
             "a %llu MiB file in %s through core's file writer, 16 KiB writes gathered "
             "into %u KiB, fsync",
             (unsigned long long)(bytes >> 20), dir, RLAB_FILEW_BUF / 1024);
}

/* ---- the message stream in memory -------------------------------------- */

struct streams {
    struct rlab_stream seal, open;
    uint8_t *pt, *ct, *out;
};

static int stream_chunk_once(void *p)
{
    struct streams *s = p;
    size_t ctlen = RLAB_STREAM_MAX_CT_CHUNK, outlen = RLAB_STREAM_CHUNK;
    int final = 0;
    int rc = rlab_stream_seal_chunk(&s->seal, s->pt, RLAB_STREAM_CHUNK, 0, s->ct, &ctlen);
    if (rc == RLAB_OK)
        rc = rlab_stream_open_chunk(&s->open, s->ct, ctlen, &final, s->out, &outlen);
    return rc;
}

void rlab_bench_ceiling_stream(const struct rlab_backend *aead_be,
                               const struct rlab_bench_config *cfg,
                               struct rlab_bench_cell *out)
{
    memset(out, 0, sizeof *out);
    static const uint8_t key[32] = {0x11, 0x22, 0x33};
    static const uint8_t ctx[] = "rsalab bench";
    uint8_t header[RLAB_STREAM_HEADER];
    struct streams s;
    memset(&s, 0, sizeof s);
    s.pt = malloc(RLAB_STREAM_CHUNK);
    s.ct = malloc(RLAB_STREAM_MAX_CT_CHUNK);
    s.out = malloc(RLAB_STREAM_CHUNK);
    if (s.pt == NULL || s.ct == NULL || s.out == NULL) {
        rlab_bench_cell_set(out, RLAB_BENCH_FAILED, "stream buffers", RLAB_ERR_NOMEM);
        goto done;
    }
    memset(s.pt, 0xa7, RLAB_STREAM_CHUNK);
    rlab_error_clear();
    int rc = rlab_stream_seal_init(&s.seal, aead_be, NULL, key, sizeof key, ctx, sizeof ctx - 1,
                                   NULL, header);
    if (rc == RLAB_OK)
        rc = rlab_stream_open_init(&s.open, aead_be, NULL, key, sizeof key, ctx,
                                   sizeof ctx - 1, header);
    if (rc == RLAB_OK)
        rc = stream_chunk_once(&s);
    if (rc == RLAB_OK && memcmp(s.out, s.pt, RLAB_STREAM_CHUNK) != 0)
        rc = RLAB_ERR_AUTH;
    if (rc != RLAB_OK) {
        rlab_bench_cell_set(out, RLAB_BENCH_FAILED, "core/stream chunk round trip", rc);
        goto done;
    }
    rlab_bench_time_loop(stream_chunk_once, &s, RLAB_STREAM_CHUNK / 1e6, cfg, out);
    snprintf(out->reason, sizeof out->reason,
             "core/stream Cobblestone-256 (%s AES-256-GCM), 16 KiB chunks sealed and opened",
             aead_be->name);
done:
    rlab_stream_clear(&s.seal);
    rlab_stream_clear(&s.open);
    free(s.pt);
    free(s.ct);
    free(s.out);
}

/* ---- resident set -------------------------------------------------------- */

long rlab_bench_peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

int rlab_bench_reset_peak_rss(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f == NULL)
        return RLAB_ERR_IO;
    int ok = fputs("5", f) >= 0;
    ok = fclose(f) == 0 && ok;
    return ok ? RLAB_OK : RLAB_ERR_IO;
}
