#include "index.h"

#include "arena.h"
#include "memory.h"

#include <string.h>

typedef struct Table {
  DipkgIdInfo **slots;  // open addressing, power-of-two size
  size_t cap;
  size_t count;
} Table;

struct DipkgIndex {
  DipkgArena *arena;
  Table tables[3];
};

static uint64_t
hash(const char *s, size_t len)
{
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ULL;
  }
  return h ^ (h >> 29);
}

DipkgIndex *
dipkg_index_new(void)
{
  DipkgIndex *index = dipkg_calloc(1, sizeof *index);
  if (index && !(index->arena = dipkg_arena_new())) {
    dipkg_free(index);
    return NULL;
  }
  return index;
}

void
dipkg_index_free(DipkgIndex *index)
{
  if (!index)
    return;
  for (int i = 0; i < 3; i++)
    dipkg_free(index->tables[i].slots);
  dipkg_arena_free(index->arena);
  dipkg_free(index);
}

static DipkgIdInfo **
find_slot(const Table *t, const char *id, size_t len)
{
  size_t mask = t->cap - 1;
  for (size_t i = (size_t)hash(id, len) & mask;; i = (i + 1) & mask) {
    DipkgIdInfo *e = t->slots[i];
    if (!e || (e->id_len == len && !memcmp(e->id, id, len)))
      return &t->slots[i];
  }
}

static bool
grow(Table *t)
{
  size_t cap = t->cap ? t->cap * 2 : 1024;
  DipkgIdInfo **slots = dipkg_calloc(cap, sizeof *slots);
  if (!slots)
    return false;
  Table bigger = {slots, cap, t->count};
  for (size_t i = 0; i < t->cap; i++)
    if (t->slots[i])
      *find_slot(&bigger, t->slots[i]->id, t->slots[i]->id_len) = t->slots[i];
  dipkg_free(t->slots);
  *t = bigger;
  return true;
}

static const char *
copy(DipkgArena *a, const char *s, size_t len, bool *oom)
{
  if (!s)
    return NULL;
  char *c = dipkg_arena_strndup(a, s, len);
  if (!c)
    *oom = true;
  return c;
}

DipkgIndexResult
dipkg_index_add(DipkgIndex *index, DipkgIdKind kind, const DipkgIdInfo *info,
                const DipkgIdInfo **existing)
{
  Table *t = &index->tables[kind];
  if ((t->count + 1) * 4 > t->cap * 3 && !grow(t))
    return DIPKG_INDEX_NO_MEMORY;
  DipkgIdInfo **slot = find_slot(t, info->id, info->id_len);
  if (*slot) {
    *existing = *slot;
    if (kind == DIPKG_ID_ENTITY && info->canon_len == (*slot)->canon_len &&
        !memcmp(info->canon, (*slot)->canon, info->canon_len))
      return DIPKG_INDEX_SAME;
    return DIPKG_INDEX_CONFLICT;
  }
  DipkgIdInfo *e = dipkg_arena_alloc(index->arena, sizeof *e);
  if (!e)
    return DIPKG_INDEX_NO_MEMORY;
  bool oom = false;
  *e = *info;
  e->id = copy(index->arena, info->id, info->id_len, &oom);
  e->name = info->name
              ? copy(index->arena, info->name, strlen(info->name), &oom)
              : NULL;
  e->lang = info->lang
              ? copy(index->arena, info->lang, strlen(info->lang), &oom)
              : NULL;
  e->canon = copy(index->arena, info->canon, info->canon_len, &oom);
  if (oom)
    return DIPKG_INDEX_NO_MEMORY;
  *slot = e;
  t->count++;
  return DIPKG_INDEX_ADDED;
}

const DipkgIdInfo *
dipkg_index_get(const DipkgIndex *index, DipkgIdKind kind, const char *id,
                size_t len)
{
  const Table *t = &index->tables[kind];
  return t->cap ? *find_slot(t, id, len) : NULL;
}

size_t
dipkg_index_count(const DipkgIndex *index, DipkgIdKind kind)
{
  return index->tables[kind].count;
}

void
dipkg_index_each(const DipkgIndex *index, DipkgIdKind kind,
                 bool (*fn)(void *user, const DipkgIdInfo *info), void *user)
{
  const Table *t = &index->tables[kind];
  for (size_t i = 0; i < t->cap; i++)
    if (t->slots[i] && !fn(user, t->slots[i]))
      return;
}

size_t
dipkg_index_footprint(const DipkgIndex *index)
{
  size_t n = dipkg_arena_footprint(index->arena);
  for (int i = 0; i < 3; i++)
    n += index->tables[i].cap * sizeof(DipkgIdInfo *);
  return n;
}

/* A canonical form is a sequence of "field\0value\0" pairs. */
const char *
dipkg_canon_diff(const char *a, size_t alen, const char *b, size_t blen)
{
  size_t i = 0, j = 0;
  while (i < alen && j < blen) {
    const char *fa = a + i, *fb = b + j;
    size_t fal = strlen(fa), fbl = strlen(fb);
    const char *va = fa + fal + 1, *vb = fb + fbl + 1;
    if (strcmp(fa, fb))
      return strcmp(fa, fb) < 0 ? fa : fb;  // a field only one side has
    if (strcmp(va, vb))
      return fa;
    i += fal + 1 + strlen(va) + 1;
    j += fbl + 1 + strlen(vb) + 1;
  }
  if (i < alen)
    return a + i;
  if (j < blen)
    return b + j;
  return NULL;
}
