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

/* `size` bytes at a multiple of `align` (a power of two) in the current
 * block, or in a fresh one.  Strings take alignment 1, so that they pack
 * without the padding max_align_t would cost each (8 bytes on average);
 * the padding is paid by the aligned allocation after them instead. */
static void *
arena_take(DipkgArena *arena, size_t size, size_t align)
{
  if (size > SIZE_MAX - ARENA_BLOCK)
    return NULL;
  Block *b = arena->head;
  size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
  if (!b || at > b->size || b->size - at < size) {
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
    at = 0;
  }
  void *p = b->data + at;
  b->used = at + size;
  return p;
}

void *
dipkg_arena_alloc(DipkgArena *arena, size_t size)
{
  return arena_take(arena, size, alignof(max_align_t));
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
  char *p = arena_take(arena, len + 1, 1);
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
