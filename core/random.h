/*
 * Randomness for the protocol layer: the caller's generator when given (the
 * fuzzers and known-answer tests fix it), else the kernel's getrandom(2).
 */
#ifndef RLAB_RANDOM_H
#define RLAB_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "base/types.h"

/* Fill out[0..len); RLAB_OK or RLAB_ERR_RNG (out wiped). */
int rlab_random(const struct rlab_rng *rng, uint8_t *out, size_t len);

#endif
