/* A set of 64-bit fingerprints (open addressing), for recognising
 * statements seen before without keeping them. */
#ifndef DIPKG_FPSET_H
#define DIPKG_FPSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct DipkgFpSet {
  uint64_t *slots;  // 0 is an empty slot
  size_t cap, n;
} DipkgFpSet;

typedef enum DipkgFpAdd {
  DIPKG_FP_ADDED,    // new
  DIPKG_FP_PRESENT,  // added before
  DIPKG_FP_NO_MEMORY
} DipkgFpAdd;

/// Adds fingerprint `f` (its lowest bit is ignored) to `set`, which starts
/// zeroed.
DipkgFpAdd dipkg_fpset_add(DipkgFpSet *set, uint64_t f);

/// Frees the slots; the set is empty again.
void dipkg_fpset_clear(DipkgFpSet *set);

#endif
