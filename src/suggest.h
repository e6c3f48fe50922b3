/* "Did you mean" suggestions for misspelt keys, classes and ids. */
#ifndef DIPKG_SUGGEST_H
#define DIPKG_SUGGEST_H

#include <stddef.h>

/// Optimal-string-alignment distance between two byte strings, compared
/// case-insensitively (ASCII), or `limit + 1` if it exceeds `limit`.
size_t dipkg_edit_distance(const char *a, size_t alen, const char *b,
                           size_t blen, size_t limit);

/// Accumulates the closest candidate to a misspelt word.
typedef struct DipkgSuggest {
  const char *word;
  size_t len;
  const char *best;  // borrowed candidate, or NULL
  size_t best_distance;
} DipkgSuggest;

/// Starts a search for the candidate nearest to `word`.
void dipkg_suggest_init(DipkgSuggest *s, const char *word, size_t len);
/// Considers `candidate` (NUL-terminated, borrowed until the result is
/// used).  Ties keep the earlier candidate.
void dipkg_suggest_offer(DipkgSuggest *s, const char *candidate);
/// The best candidate if it is close enough to be a plausible typo (at most
/// a third of the word's length, at least 1, at most 3 edits), else NULL.
const char *dipkg_suggest_result(const DipkgSuggest *s);

#endif
