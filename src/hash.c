#include "hash.h"

#include "memory.h"

#include <string.h>

uint64_t
dipkg_hash_mix(uint64_t x)
{
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDu;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53u;
  x ^= x >> 33;
  return x;
}

uint64_t
dipkg_hash_bytes(uint64_t seed, const void *data, size_t len)
{
  // Multiply and fold eight bytes a step (a facts file is hashed whole on
  // each read of a run), then avalanche.
  const unsigned char *p = data;
  uint64_t h =
    (seed * 0x9E3779B97F4A7C15u) ^ 0x9E3779B97F4A7C15u ^ (uint64_t)len;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    h = (h ^ (w * 0xBF58476D1CE4E5B9u)) * 0x94D049BB133111EBu;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  for (size_t k = 0; i + k < len; k++)
    tail |= (uint64_t)p[i + k] << (8 * k);
  h = (h ^ (tail * 0xBF58476D1CE4E5B9u)) * 0x94D049BB133111EBu;
  return dipkg_hash_mix(h);
}

uint64_t
dipkg_hash_str(uint64_t seed, const char *s)
{
  return dipkg_hash_bytes(seed, s, strlen(s));
}

uint64_t
dipkg_fingerprint(uint64_t h, const void *data, size_t len)
{
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++)
    h = (h ^ p[i]) * 0x100000001b3u;
  return h;
}

uint64_t
dipkg_hash_term(uint64_t seed, const DipkgTerm *t)
{
  // Each part is hashed with its length, after a tag that says which part
  // it is: a datatype never matches a language, nor text a datatype.
  uint64_t h =
    dipkg_hash_bytes(seed ^ (0x100u + (uint64_t)t->kind), t->str, t->len);
  if (t->datatype)
    h = dipkg_hash_str(h ^ 0x200u, t->datatype);
  if (t->lang)
    h = dipkg_hash_str(h ^ 0x300u, t->lang);
  return h;
}

bool
dipkg_hashset_reserve(DipkgHashSet *set, DipkgHashOf hash_of, const void *user)
{
  if ((set->n + 1) * 4 <= set->cap * 3)
    return true;
  size_t cap = set->cap ? set->cap * 2 : 64;
  if (cap < set->cap || cap > SIZE_MAX / sizeof *set->slots)
    return false;
  uint64_t *slots = dipkg_calloc(cap, sizeof *slots);
  if (!slots)
    return false;
  for (size_t i = 0; i < set->cap; i++) {
    uint64_t e = set->slots[i];
    if (!e)
      continue;
    size_t k = (size_t)hash_of(user, e) & (cap - 1);
    while (slots[k])
      k = (k + 1) & (cap - 1);
    slots[k] = e;
  }
  dipkg_free(set->slots);
  set->slots = slots;
  set->cap = cap;
  return true;
}

void
dipkg_hashset_empty(DipkgHashSet *set)
{
  if (set->n)
    memset(set->slots, 0, set->cap * sizeof *set->slots);
  set->n = 0;
}

void
dipkg_hashset_free(DipkgHashSet *set)
{
  dipkg_free(set->slots);
  *set = (DipkgHashSet){0};
}

static uint64_t
fp_hash(const void *user, uint64_t entry)
{
  (void)user;
  return entry;
}

static bool
fp_equal(const void *user, uint64_t entry, const void *key)
{
  (void)user;
  return entry == *(const uint64_t *)key;
}

DipkgHashAdd
dipkg_hashset_add_fp(DipkgHashSet *set, uint64_t f)
{
  if (!f)
    f = 1;  // 0 is the empty slot
  if (!dipkg_hashset_reserve(set, fp_hash, NULL))
    return DIPKG_HASH_NO_MEMORY;
  uint64_t *slot = dipkg_hashset_find(set, f, fp_equal, NULL, &f);
  if (*slot)
    return DIPKG_HASH_PRESENT;
  dipkg_hashset_put(set, slot, f);
  return DIPKG_HASH_ADDED;
}
