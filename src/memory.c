#include "memory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef DIPKG_FAULT_INJECTION
#include <stdatomic.h>
/* Test builds fail the Nth allocation (counting from 1) and, with
 * dipkg_fault_sticky, every one after it.  Set by the test harness. */
atomic_ulong dipkg_fault_countdown;
int dipkg_fault_sticky;
static int
fault_now(void)
{
  unsigned long n = atomic_load(&dipkg_fault_countdown);
  while (n > 0) {
    if (atomic_compare_exchange_weak(&dipkg_fault_countdown, &n, n - 1)) {
      if (n == 1) {
        if (dipkg_fault_sticky)
          atomic_store(&dipkg_fault_countdown, 1);
        return 1;
      }
      return 0;
    }
  }
  return 0;
}
#define FAULT() fault_now()
#else
#define FAULT() 0
#endif

void *
dipkg_malloc(size_t size)
{
  return FAULT() ? NULL : malloc(size ? size : 1);
}

void *
dipkg_calloc(size_t n, size_t size)
{
  return FAULT() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *
dipkg_realloc(void *ptr, size_t size)
{
  return FAULT() ? NULL : realloc(ptr, size ? size : 1);
}

void
dipkg_free(void *ptr)
{
  free(ptr);
}

char *
dipkg_strndup(const char *s, size_t len)
{
  char *copy = dipkg_malloc(len + 1);
  if (copy) {
    memcpy(copy, s, len);
    copy[len] = '\0';
  }
  return copy;
}

char *
dipkg_strdup(const char *s)
{
  return dipkg_strndup(s, strlen(s));
}

int
dipkg_grow(void **items, size_t *cap, size_t need, size_t size)
{
  if (need <= *cap)
    return 0;
  size_t n = *cap ? *cap : 8;
  while (n < need) {
    if (n > SIZE_MAX / 2)
      return -1;
    n *= 2;
  }
  if (n > SIZE_MAX / size)
    return -1;
  void *grown = dipkg_realloc(*items, n * size);
  if (!grown)
    return -1;
  *items = grown;
  *cap = n;
  return 0;
}
