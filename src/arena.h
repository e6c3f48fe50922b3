/* Bump allocator: what lives and dies together is allocated from one arena
 * and freed at once: everything parsed from one facts file (corpus.c), the
 * id index, the ontology, a graph, a set of results. */
#ifndef DIPKG_ARENA_H
#define DIPKG_ARENA_H

#include <stddef.h>

typedef struct DipkgArena DipkgArena;

/// A new arena; NULL when out of memory.
DipkgArena *dipkg_arena_new(void);
/// Frees the arena and everything allocated from it.  NULL is a no-op.
void dipkg_arena_free(DipkgArena *arena);
/// Frees everything allocated from the arena but keeps its first block.
void dipkg_arena_reset(DipkgArena *arena);
/// `size` bytes aligned for any type; NULL when out of memory.  Valid
/// until the next reset or free.
void *dipkg_arena_alloc(DipkgArena *arena, size_t size);
/// Zeroed array of `n` elements of `size` bytes; NULL on failure/overflow.
void *dipkg_arena_calloc(DipkgArena *arena, size_t n, size_t size);
/// NUL-terminated copy of `len` bytes of `s`, not aligned (strings pack
/// without padding); NULL when out of memory.
char *dipkg_arena_strndup(DipkgArena *arena, const char *s, size_t len);
/// Bytes currently allocated from the system for this arena.
size_t dipkg_arena_footprint(const DipkgArena *arena);

#endif
