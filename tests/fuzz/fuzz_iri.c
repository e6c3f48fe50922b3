/* Fuzz target: ids, IRIs and percent-encoding, the parts every minted IRI
 * is made of.  An accepted id or IRI must be writable in N-Triples as it
 * is; an encoded string must use only unreserved characters and %XX, and
 * decode back to the input. */
#include "fuzz.h"

#include "iri.h"

#include <string.h>
#include <strings.h>

static int
hex(char c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *s = (const char *)data, *why = NULL;
  size_t at = (size_t)-1;
  if (dipkg_id_check(s, size, &why, &at)) {
    FUZZ_ASSERT(size >= 1 && size <= DIPKG_MAX_ID, "id of %zu bytes", size);
    for (size_t i = 0; i < size; i++)
      FUZZ_ASSERT((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
                    (s[i] == '-' && i > 0),
                  "id byte %zu", i);
  } else {
    FUZZ_ASSERT(why && at <= size, "id refused without a reason");
  }
  why = NULL;
  at = (size_t)-1;
  if (dipkg_iri_check_http(s, size, &why, &at)) {
    FUZZ_ASSERT(size > 7 && (!strncasecmp(s, "http://", 7) ||
                             !strncasecmp(s, "https://", 8)),
                "not http(s)");
    for (size_t i = 0; i < size; i++) {
      unsigned char c = data[i];
      FUZZ_ASSERT(c > 0x20 && c != 0x7f && !strchr("<>\"{}|\\^`", c),
                  "IRI byte %zu (0x%02x) needs escaping in N-Triples", i, c);
    }
  } else {
    FUZZ_ASSERT(why && at <= size, "IRI refused without a reason");
  }
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_iri_append_encoded(&b, s, size);
  FUZZ_ASSERT(!b.oom, "out of memory");
  size_t k = 0;
  for (size_t i = 0; i < b.len; i++, k++) {
    char c = b.data[i];
    unsigned char want = k < size ? data[k] : 0;
    if (c == '%') {
      FUZZ_ASSERT(i + 2 < b.len, "truncated escape");
      int h = hex(b.data[i + 1]), l = hex(b.data[i + 2]);
      FUZZ_ASSERT(h >= 0 && l >= 0, "bad escape");
      FUZZ_ASSERT(k < size && (unsigned char)(h * 16 + l) == want,
                  "escape decodes to another byte");
      i += 2;
    } else {
      FUZZ_ASSERT((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || strchr("-._~", c),
                  "reserved byte 0x%02x left unencoded", (unsigned char)c);
      FUZZ_ASSERT(k < size && (unsigned char)c == want, "byte changed");
    }
  }
  FUZZ_ASSERT(k == size, "encoding lost bytes (%zu of %zu)", k, size);
  dipkg_buf_free(&b);
  return 0;
}
