#include "fpset.h"

#include "memory.h"

DipkgFpAdd
dipkg_fpset_add(DipkgFpSet *set, uint64_t f)
{
  f |= 1;  // never 0, the empty slot
  if (2 * (set->n + 1) > set->cap) {
    size_t cap = set->cap ? 2 * set->cap : 64;
    uint64_t *slots = dipkg_calloc(cap, sizeof *slots);
    if (!slots)
      return DIPKG_FP_NO_MEMORY;
    for (size_t i = 0; i < set->cap; i++)
      if (set->slots[i]) {
        size_t k = (size_t)set->slots[i] & (cap - 1);
        while (slots[k])
          k = (k + 1) & (cap - 1);
        slots[k] = set->slots[i];
      }
    dipkg_free(set->slots);
    set->slots = slots;
    set->cap = cap;
  }
  size_t k = (size_t)f & (set->cap - 1);
  while (set->slots[k]) {
    if (set->slots[k] == f)
      return DIPKG_FP_PRESENT;
    k = (k + 1) & (set->cap - 1);
  }
  set->slots[k] = f;
  set->n++;
  return DIPKG_FP_ADDED;
}

void
dipkg_fpset_clear(DipkgFpSet *set)
{
  dipkg_free(set->slots);
  *set = (DipkgFpSet){0};
}
