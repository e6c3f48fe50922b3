/* A growable byte buffer with a sticky out-of-memory flag: appends after a
 * failed allocation are ignored, and the caller checks `oom` once. */
#ifndef DIPKG_BUF_H
#define DIPKG_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct DipkgBuf {
  char
    *data;  ///< Owned; not NUL-terminated unless dipkg_buf_cstr() was called.
  size_t len;
  size_t cap;
  bool oom;  ///< Set when an allocation failed; the content is then incomplete.
} DipkgBuf;

#define DIPKG_BUF_INIT                                                         \
  {                                                                            \
    NULL, 0, 0, false                                                          \
  }

/// Makes room for `extra` more bytes.  Returns false (and sets oom) on failure.
bool dipkg_buf_reserve_slow(DipkgBuf *buf, size_t extra);

static inline bool
dipkg_buf_reserve(DipkgBuf *buf, size_t extra)
{
  return !buf->oom &&
         (buf->cap - buf->len > extra || dipkg_buf_reserve_slow(buf, extra));
}

static inline void
dipkg_buf_append(DipkgBuf *buf, const char *data, size_t len)
{
  if (len && data && dipkg_buf_reserve(buf, len) && buf->data) {
    memcpy(buf->data + buf->len, data, len);
    buf->len += len;
  }
}

static inline void
dipkg_buf_putc(DipkgBuf *buf, char c)
{
  if (dipkg_buf_reserve(buf, 1))
    buf->data[buf->len++] = c;
}

static inline void
dipkg_buf_puts(DipkgBuf *buf, const char *s)
{
  dipkg_buf_append(buf, s, strlen(s));
}

/// Appends printf-formatted text.
void dipkg_buf_printf(DipkgBuf *buf, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/// Appends the decimal form of `n`.
void dipkg_buf_put_u64(DipkgBuf *buf, unsigned long long n);

/// NUL-terminates the content (not counted in len) and returns it; a
/// static empty string if the buffer failed.  Borrowed.
const char *dipkg_buf_cstr(DipkgBuf *buf);

/// Takes the content as a NUL-terminated heap string (caller frees with
/// dipkg_free) and resets the buffer.  NULL if the buffer failed.
char *dipkg_buf_take(DipkgBuf *buf);

/// Empties the buffer, keeping its memory.
static inline void
dipkg_buf_clear(DipkgBuf *buf)
{
  buf->len = 0;
}

/// Releases the memory; the buffer is then empty and usable.
void dipkg_buf_free(DipkgBuf *buf);

#endif
