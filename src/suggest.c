#include "suggest.h"

#include <ctype.h>
#include <string.h>

enum { MAX_WORD = 64 };

size_t
dipkg_edit_distance(const char *a, size_t alen, const char *b, size_t blen,
                    size_t limit)
{
  if (alen > MAX_WORD || blen > MAX_WORD)
    return limit + 1;
  size_t diff = alen > blen ? alen - blen : blen - alen;
  if (diff > limit)
    return limit + 1;
  // Three rows of the optimal string alignment (restricted
  // Damerau-Levenshtein) matrix.
  size_t rows[3][MAX_WORD + 1];
  size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
  for (size_t j = 0; j <= blen; j++)
    prev[j] = j;
  for (size_t i = 1; i <= alen; i++) {
    cur[0] = i;
    size_t row_min = cur[0];
    int ca = tolower((unsigned char)a[i - 1]);
    for (size_t j = 1; j <= blen; j++) {
      int cb = tolower((unsigned char)b[j - 1]);
      size_t cost = ca != cb;
      size_t best = prev[j - 1] + cost;
      if (prev[j] + 1 < best)
        best = prev[j] + 1;
      if (cur[j - 1] + 1 < best)
        best = cur[j - 1] + 1;
      if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < best)
        best = prev2[j - 2] + 1;
      cur[j] = best;
      if (best < row_min)
        row_min = best;
    }
    if (row_min > limit)
      return limit + 1;
    size_t *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[blen] > limit ? limit + 1 : prev[blen];
}

void
dipkg_suggest_init(DipkgSuggest *s, const char *word, size_t len)
{
  s->word = word;
  s->len = len;
  s->best = NULL;
  s->best_distance = (size_t)-1;
}

static size_t
allowed_distance(size_t len)
{
  size_t d = len / 3;
  if (d < 1)
    d = 1;
  return d > 3 ? 3 : d;
}

void
dipkg_suggest_offer(DipkgSuggest *s, const char *candidate)
{
  size_t limit = allowed_distance(s->len);
  size_t clen = strlen(candidate);
  size_t d = dipkg_edit_distance(s->word, s->len, candidate, clen, limit);
  // A word of 4 or more characters that starts the candidate ("alias" for
  // "aliases", "part" for "part_of") is as good as one edit.
  if (d > limit && s->len >= 4 && s->len < clen &&
      dipkg_edit_distance(s->word, s->len, candidate, s->len, 0) == 0)
    d = 1;
  if (d <= limit && d < s->best_distance) {
    s->best = candidate;
    s->best_distance = d;
  }
}

const char *
dipkg_suggest_result(const DipkgSuggest *s)
{
  return s->best;
}
