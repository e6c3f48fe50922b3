/* Counters of a run (DipkgStats of the public API). */
#ifndef DIPKG_STATS_H
#define DIPKG_STATS_H

#include "dipkg.h"
#include "ontology.h"

#include <stdint.h>

enum { DIPKG_N_COUNTS = DIPKG_COUNT_FILE_LIST_BYTES + 1 };

typedef struct DipkgClassCount {
  const DipkgClass *cls;
  uint64_t count;
} DipkgClassCount;

struct DipkgStatsImpl {
  uint64_t counts[DIPKG_N_COUNTS];
  DipkgClassCount *classes;  // sorted once finished
  size_t n_classes;
  size_t cap;
  bool oom;
};

/// A new zeroed stats object, or NULL.
DipkgStats *dipkg_stats_new(void);
/// Adds `n` instances of `cls`.
void dipkg_stats_add_class(DipkgStats *stats, const DipkgClass *cls,
                           uint64_t n);
/// Sorts the class rows for the public accessors.
void dipkg_stats_finish(DipkgStats *stats);

#endif
