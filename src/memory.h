/* Allocation wrappers: every allocation dipkg itself makes goes through
 * these, so that a test build can fail the Nth one (see memory.c). */
#ifndef DIPKG_MEMORY_H
#define DIPKG_MEMORY_H

#include <stddef.h>

/// malloc(); NULL on failure (or on an injected failure).
void *dipkg_malloc(size_t size);
/// calloc(); NULL on failure.
void *dipkg_calloc(size_t n, size_t size);
/// realloc(); NULL on failure, `ptr` then still valid.
void *dipkg_realloc(void *ptr, size_t size);
/// free(); NULL is a no-op.
void dipkg_free(void *ptr);
/// A NUL-terminated copy of the first `len` bytes of `s`; NULL on failure.
char *dipkg_strndup(const char *s, size_t len);
/// A copy of `s`; NULL on failure.
char *dipkg_strdup(const char *s);

/// Grows `*items` (of `*cap` elements of `size` bytes) so that `need`
/// elements fit, doubling.  Returns 0, or -1 on failure (array unchanged).
int dipkg_grow(void **items, size_t *cap, size_t need, size_t size);

#endif
