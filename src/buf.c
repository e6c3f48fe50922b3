#include "buf.h"

#include "memory.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

bool
dipkg_buf_reserve_slow(DipkgBuf *buf, size_t extra)
{
  if (buf->oom)
    return false;
  if (buf->cap - buf->len > extra)
    return true;
  if (extra > SIZE_MAX / 2 - buf->len) {
    buf->oom = true;
    return false;
  }
  size_t cap = buf->cap ? buf->cap : 256;
  while (cap - buf->len <= extra)
    cap *= 2;
  char *grown = dipkg_realloc(buf->data, cap);
  if (!grown) {
    buf->oom = true;
    return false;
  }
  buf->data = grown;
  buf->cap = cap;
  return true;
}

void
dipkg_buf_printf(DipkgBuf *buf, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    buf->oom = true;
    return;
  }
  if ((size_t)n < sizeof small) {
    dipkg_buf_append(buf, small, (size_t)n);
    return;
  }
  if (!dipkg_buf_reserve(buf, (size_t)n + 1))
    return;
  va_start(ap, fmt);
  vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf->len += (size_t)n;
}

void
dipkg_buf_put_u64(DipkgBuf *buf, unsigned long long n)
{
  char digits[24];
  size_t i = sizeof digits;
  do {
    digits[--i] = (char)('0' + n % 10);
    n /= 10;
  } while (n);
  dipkg_buf_append(buf, digits + i, sizeof digits - i);
}

const char *
dipkg_buf_cstr(DipkgBuf *buf)
{
  if (!dipkg_buf_reserve(buf, 1))
    return "";
  buf->data[buf->len] = '\0';
  return buf->data;
}

char *
dipkg_buf_take(DipkgBuf *buf)
{
  if (!dipkg_buf_reserve(buf, 1)) {
    dipkg_buf_free(buf);
    return NULL;
  }
  buf->data[buf->len] = '\0';
  char *s = buf->data;
  *buf = (DipkgBuf)DIPKG_BUF_INIT;
  return s;
}

void
dipkg_buf_free(DipkgBuf *buf)
{
  dipkg_free(buf->data);
  *buf = (DipkgBuf)DIPKG_BUF_INIT;
}
