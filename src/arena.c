#include "arena.h"

#include "memory.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { ARENA_BLOCK = 64 * 1024 };

typedef struct Block {
  struct Block *next;
  size_t size;
  size_t used;
  alignas(max_align_t) unsigned char data[];
} Block;

struct DipkgArena {
  Block *head;   // current block; older blocks follow
  Block *first;  // the first block allocated, kept by reset
  size_t footprint;
};

DipkgArena *
dipkg_arena_new(void)
{
  return dipkg_calloc(1, sizeof(DipkgArena));
}

static void
free_blocks(Block *b, const Block *keep)
{
  while (b && b != keep) {
    Block *next = b->next;
    dipkg_free(b);
    b = next;
  }
}

void
dipkg_arena_free(DipkgArena *arena)
{
  if (!arena)
    return;
  free_blocks(arena->head, NULL);
  dipkg_free(arena);
}

void
dipkg_arena_reset(DipkgArena *arena)
{
  Block *first = arena->first;
  if (!first)
    return;
  for (Block *b = arena->head; b;) {
    Block *next = b->next;
    if (b != first)
      dipkg_free(b);
    b = next;
  }
  if (first->size > ARENA_BLOCK) {  // do not keep an oversized block
    dipkg_free(first);
    arena->head = arena->first = NULL;
    arena->footprint = 0;
    return;
  }
  first->next = NULL;
  first->used = 0;
  arena->head = first;
  arena->footprint = first->size;
}

void *
dipkg_arena_alloc(DipkgArena *arena, size_t size)
{
  const size_t align = alignof(max_align_t);
  if (size > SIZE_MAX - align)
    return NULL;
  size = (size + align - 1) & ~(align - 1);
  Block *b = arena->head;
  if (!b || b->size - b->used < size) {
    size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
    if (cap > SIZE_MAX - sizeof(Block))
      return NULL;
    Block *fresh = dipkg_malloc(sizeof(Block) + cap);
    if (!fresh)
      return NULL;
    fresh->size = cap;
    fresh->used = 0;
    arena->footprint += cap;
    if (!arena->first)
      arena->first = fresh;
    if (b && size > ARENA_BLOCK / 4) {
      // A large allocation gets a block of its own, kept behind the
      // current one so that the current one's free space stays in use.
      fresh->next = b->next;
      b->next = fresh;
    } else {
      fresh->next = b;
      arena->head = fresh;
    }
    b = fresh;
  }
  void *p = b->data + b->used;
  b->used += size;
  return p;
}

void *
dipkg_arena_calloc(DipkgArena *arena, size_t n, size_t size)
{
  if (size && n > SIZE_MAX / size)
    return NULL;
  void *p = dipkg_arena_alloc(arena, n * size);
  if (p)
    memset(p, 0, n * size);
  return p;
}

char *
dipkg_arena_strndup(DipkgArena *arena, const char *s, size_t len)
{
  if (len == SIZE_MAX)
    return NULL;
  char *p = dipkg_arena_alloc(arena, len + 1);
  if (p) {
    memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

size_t
dipkg_arena_footprint(const DipkgArena *arena)
{
  return arena->footprint;
}
