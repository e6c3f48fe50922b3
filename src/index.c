#include "index.h"

#include "arena.h"
#include "hash.h"
#include "memory.h"

#include <string.h>

/* One table per kind of id; its entries are DipkgIdInfo pointers (into the
 * arena). */
struct DipkgIndex {
  DipkgArena *arena;
  DipkgHashSet tables[3];
};

/* An id being looked up. */
typedef struct Key {
  const char *id;
  size_t len;
} Key;

static const DipkgIdInfo *
info_of(uint64_t entry)
{
  return (const DipkgIdInfo *)(uintptr_t)entry;
}

static uint64_t
entry_hash(const void *user, uint64_t entry)
{
  (void)user;
  return dipkg_hash_bytes(0, info_of(entry)->id, info_of(entry)->id_len);
}

static bool
entry_is(const void *user, uint64_t entry, const void *key)
{
  (void)user;
  const Key *k = key;
  const DipkgIdInfo *e = info_of(entry);
  return e->id_len == k->len && !memcmp(e->id, k->id, k->len);
}

static uint64_t *
find_slot(const DipkgHashSet *t, const char *id, size_t len)
{
  Key key = {id, len};
  return dipkg_hashset_find(t, dipkg_hash_bytes(0, id, len), entry_is, NULL,
                            &key);
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
    dipkg_hashset_free(&index->tables[i]);
  dipkg_arena_free(index->arena);
  dipkg_free(index);
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
  DipkgHashSet *t = &index->tables[kind];
  if (!dipkg_hashset_reserve(t, entry_hash, NULL))
    return DIPKG_INDEX_NO_MEMORY;
  uint64_t *slot = find_slot(t, info->id, info->id_len);
  if (*slot) {
    const DipkgIdInfo *old = info_of(*slot);
    *existing = old;
    if (kind == DIPKG_ID_ENTITY && info->canon_len == old->canon_len &&
        !memcmp(info->canon, old->canon, info->canon_len))
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
  dipkg_hashset_put(t, slot, (uint64_t)(uintptr_t)e);
  return DIPKG_INDEX_ADDED;
}

const DipkgIdInfo *
dipkg_index_get(const DipkgIndex *index, DipkgIdKind kind, const char *id,
                size_t len)
{
  const uint64_t *slot = find_slot(&index->tables[kind], id, len);
  return slot && *slot ? info_of(*slot) : NULL;
}

size_t
dipkg_index_count(const DipkgIndex *index, DipkgIdKind kind)
{
  return index->tables[kind].n;
}

void
dipkg_index_each(const DipkgIndex *index, DipkgIdKind kind,
                 bool (*fn)(void *user, const DipkgIdInfo *info), void *user)
{
  const DipkgHashSet *t = &index->tables[kind];
  for (size_t i = 0; i < t->cap; i++)
    if (t->slots[i] && !fn(user, info_of(t->slots[i])))
      return;
}

size_t
dipkg_index_footprint(const DipkgIndex *index)
{
  size_t n = dipkg_arena_footprint(index->arena);
  for (int i = 0; i < 3; i++)
    n += index->tables[i].cap * sizeof *index->tables[i].slots;
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
