/*
 * What serve, chat, send and demo share: loading the identity key and the
 * pinned server key, printing progress, formatting rates.
 */
#ifndef RLAB_APPS_NETOPTS_H
#define RLAB_APPS_NETOPTS_H

#include <stdint.h>
#include <stdio.h>

#include "backends/backend.h"
#include "base/buf.h"

#define RLAB_APP_DEFAULT_PORT 7350

/* Load a private identity key of at least 2048 bits; exit status. */
int rlab_app_load_identity(const char *cmd, const struct rlab_backend *be, const char *path,
                           rlab_key **out);
/* Load a key file (public or private) and give its canonical SPKI DER. */
int rlab_app_load_pin(const char *cmd, const struct rlab_backend *be, const char *path,
                      struct rlab_buf *spki);
/* A progress bar on f (a terminal): "\r[=====>    ]  45%  12.3 MB/s". */
void rlab_app_progress(FILE *f, const char *label, uint64_t done, uint64_t total,
                       double seconds);
/* "64.0 MiB" */
void rlab_app_size(char *out, size_t cap, uint64_t bytes);
/* Seconds on the monotonic clock. */
double rlab_app_now(void);
/* A port number option (1..65535). */
int rlab_app_port(const char *cmd, const char *text, unsigned *out);
/* This process's peak resident set so far (VmHWM in /proc/self/status), in
 * KiB; 0 when it cannot be read. */
unsigned long rlab_app_peak_rss_kib(void);

#endif
