/* UTF-8 helpers shared by the reader, the quote locator and the writers. */
#ifndef DIPKG_UTF8_H
#define DIPKG_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Decodes one well-formed UTF-8 sequence (shortest form, no surrogates,
/// at most U+10FFFF) at `s`.  Returns its length in bytes and stores the
/// code point, or returns 0 if the bytes are not valid UTF-8.
static inline size_t
dipkg_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
  const unsigned char *u = (const unsigned char *)s;
  if (len == 0)
    return 0;
  if (u[0] < 0x80) {
    *cp = u[0];
    return 1;
  }
  size_t n;
  uint32_t c, min;
  if ((u[0] & 0xE0) == 0xC0) {
    n = 2, c = u[0] & 0x1F, min = 0x80;
  } else if ((u[0] & 0xF0) == 0xE0) {
    n = 3, c = u[0] & 0x0F, min = 0x800;
  } else if ((u[0] & 0xF8) == 0xF0) {
    n = 4, c = u[0] & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (len < n)
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((u[i] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (u[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return n;
}

/// Offset of the first byte that is not part of valid UTF-8, or `len`.
size_t dipkg_utf8_invalid_at(const char *s, size_t len);

/// Number of code points in valid UTF-8 `s`.
size_t dipkg_utf8_count(const char *s, size_t len);

/// Writes code point `cp` as UTF-8 into `out` (4 bytes room); returns the
/// number of bytes.
size_t dipkg_utf8_encode(uint32_t cp, char *out);

/// Whether `cp` is white space for quote matching: Unicode White_Space.
bool dipkg_utf8_is_space(uint32_t cp);

#endif
