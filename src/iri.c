#include "iri.h"

#include "utf8.h"

#include <string.h>
#include <strings.h>

bool
dipkg_id_check(const char *s, size_t len, const char **why, size_t *at)
{
  if (len == 0) {
    *why = "an id cannot be empty";
    *at = 0;
    return false;
  }
  if (len > DIPKG_MAX_ID) {
    *why = "an id is at most 200 characters long";
    *at = DIPKG_MAX_ID;
    return false;
  }
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    bool ok =
      (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
    if (!ok) {
      *at = i;
      if (c >= 'A' && c <= 'Z')
        *why = "ids use lower-case letters only";
      else if (c == '-')
        *why = "an id cannot start with '-'";
      else
        *why = "ids use only a-z, 0-9 and '-'";
      return false;
    }
  }
  return true;
}

static bool
is_hex(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static bool
is_unreserved(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

/* RFC 3987 ucschar, and iprivate (allowed in the query only). */
static bool
ucschar(uint32_t cp, bool in_query)
{
  if ((cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD) ||
      (cp >= 0x100000 && cp <= 0x10FFFD))
    return in_query;  // iprivate
  if ((cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFDCF) ||
      (cp >= 0xFDF0 && cp <= 0xFFEF))
    return true;
  // %x10000-1FFFD / %x20000-2FFFD / ... / %xE1000-EFFFD
  if (cp < 0x10000 || cp > 0xEFFFD || (cp & 0xFFFF) > 0xFFFD)
    return false;
  return cp < 0xE0000 || cp >= 0xE1000;
}

bool
dipkg_iri_check_http(const char *s, size_t len, const char **why, size_t *at)
{
  size_t scheme = 0;
  if (len >= 7 && !strncasecmp(s, "http://", 7))
    scheme = 7;
  else if (len >= 8 && !strncasecmp(s, "https://", 8))
    scheme = 8;
  if (!scheme) {
    *why = "expected an absolute http:// or https:// IRI";
    *at = 0;
    return false;
  }
  size_t host_end = scheme;
  while (host_end < len && s[host_end] != '/' && s[host_end] != '?' &&
         s[host_end] != '#')
    host_end++;
  if (host_end == scheme || s[scheme] == ':' || s[scheme] == '@') {
    *why = "the IRI has no host";
    *at = scheme;
    return false;
  }
  enum { AUTHORITY, PATH, QUERY, FRAGMENT } part = AUTHORITY;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    if (i == host_end && part == AUTHORITY)
      part = PATH;
    if (c >= 0x80) {
      uint32_t cp;
      size_t n = dipkg_utf8_decode(s + i, len - i, &cp);
      if (!n || !ucschar(cp, part == QUERY)) {
        *why = "the IRI contains a character IRIs do not allow";
        *at = i;
        return false;
      }
      i += n;
      continue;
    }
    if (c <= 0x20 || c == 0x7F || strchr("<>\"{}|\\^`", c) ||
        ((c == '[' || c == ']') && part != AUTHORITY) ||
        (c == '#' && part == FRAGMENT)) {
      *why = c == ' ' ? "the IRI contains a space (write it as %20)"
                      : "the IRI contains a character IRIs do not allow";
      *at = i;
      return false;
    }
    if (c == '%' && (i + 2 >= len || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))) {
      *why = "'%' must be followed by two hexadecimal digits";
      *at = i;
      return false;
    }
    if (c == '?' && part == PATH)
      part = QUERY;
    else if (c == '#')
      part = FRAGMENT;
    i++;
  }
  return true;
}

void
dipkg_iri_append_encoded(DipkgBuf *buf, const char *s, size_t len)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (is_unreserved(c))
      continue;
    dipkg_buf_append(buf, s + start, i - start);
    char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
    dipkg_buf_append(buf, esc, 3);
    start = i + 1;
  }
  dipkg_buf_append(buf, s + start, len - start);
}
