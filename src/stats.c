#include "stats.h"

#include "memory.h"

#include <stdlib.h>
#include <string.h>

DipkgStats *
dipkg_stats_new(void)
{
  return dipkg_calloc(1, sizeof(DipkgStats));
}

void
dipkg_stats_free(DipkgStats *stats)
{
  if (!stats)
    return;
  dipkg_free(stats->classes);
  dipkg_free(stats);
}

void
dipkg_stats_add_class(DipkgStats *stats, const DipkgClass *cls, uint64_t n)
{
  for (size_t i = 0; i < stats->n_classes; i++) {
    if (stats->classes[i].cls == cls) {
      stats->classes[i].count += n;
      return;
    }
  }
  if (dipkg_grow((void **)&stats->classes, &stats->cap, stats->n_classes + 1,
                 sizeof *stats->classes)) {
    stats->oom = true;
    return;
  }
  stats->classes[stats->n_classes++] = (DipkgClassCount){cls, n};
}

static const char *
name_of(const DipkgClass *c)
{
  return c->local ? c->local : c->iri;
}

static int
compare_rows(const void *a, const void *b)
{
  const DipkgClassCount *x = a, *y = b;
  if (x->cls->is_event != y->cls->is_event)
    return x->cls->is_event ? -1 : 1;
  return strcmp(name_of(x->cls), name_of(y->cls));
}

void
dipkg_stats_finish(DipkgStats *stats)
{
  if (stats->n_classes)
    qsort(stats->classes, stats->n_classes, sizeof *stats->classes,
          compare_rows);
}

uint64_t
dipkg_stats_count(const DipkgStats *stats, DipkgCount what)
{
  return (unsigned)what < DIPKG_N_COUNTS ? stats->counts[what] : 0;
}

size_t
dipkg_stats_n_classes(const DipkgStats *stats)
{
  return stats->n_classes;
}

const char *
dipkg_stats_class(const DipkgStats *stats, size_t i, int *is_event,
                  uint64_t *count)
{
  if (i >= stats->n_classes)
    return NULL;
  if (is_event)
    *is_event = stats->classes[i].cls->is_event;
  if (count)
    *count = stats->classes[i].count;
  return name_of(stats->classes[i].cls);
}
