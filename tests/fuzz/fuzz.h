/* The fuzz targets' shared pieces.  Each target defines
 * LLVMFuzzerTestOneInput() (and may define LLVMFuzzerInitialize()); it is
 * linked with libFuzzer for `make fuzz`, and with replay.c for the replay
 * of saved inputs in `make check`.  A broken invariant aborts, which both
 * drivers report as a crash with the input that caused it. */
#ifndef DIPKG_FUZZ_H
#define DIPKG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a message when `cond` is false: a broken invariant. */
#define FUZZ_ASSERT(cond, ...)                                                 \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__,    \
              #cond);                                                          \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      abort();                                                                 \
    }                                                                          \
  } while (0)

#endif
