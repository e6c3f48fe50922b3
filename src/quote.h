/* Locating quotes in an article's text: white-space-insensitive, otherwise
 * verbatim; positions in Unicode code points, as NIF counts them. */
#ifndef DIPKG_QUOTE_H
#define DIPKG_QUOTE_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct DipkgTextIndex DipkgTextIndex;

/// Prepares `text` (valid UTF-8, `len` bytes, borrowed: it must outlive the
/// index) for searching.  NULL when out of memory.
DipkgTextIndex *dipkg_text_index_new(const char *text, size_t len);
/// Frees the index.  NULL is a no-op.
void dipkg_text_index_free(DipkgTextIndex *ti);

/// A located quote: code point offsets [begin, end) and the matched bytes.
typedef struct DipkgMatch {
  size_t begin, end;  // code points
  size_t byte_begin, byte_end;
} DipkgMatch;

/// Finds the first occurrence of `quote`, comparing runs of white space as
/// equal and ignoring white space at the quote's ends.  Returns false if
/// absent (or if the quote is only white space); when the search could not
/// allocate, also sets `*oom`.
bool dipkg_text_find(const DipkgTextIndex *ti, const char *quote, size_t len,
                     DipkgMatch *match, bool *oom);

/// Number of occurrences of `quote` in the text (matched as by
/// dipkg_text_find(), overlapping ones counted), stopping at `max`.  0 when
/// out of memory (then `*oom` is set).
size_t dipkg_text_count(const DipkgTextIndex *ti, const char *quote, size_t len,
                        size_t max, bool *oom);

/// Describes the passage of the text closest to `quote` (fewest edits) into
/// `out`: "the closest passage (N edits) is '...'", or a sentence saying
/// none is similar.  Bounded in time: very long inputs get no suggestion.
void dipkg_text_closest(const DipkgTextIndex *ti, const char *quote, size_t len,
                        DipkgBuf *out);

#endif
