#include "quote.h"

#include "diag.h"
#include "memory.h"
#include "utf8.h"

#include <string.h>

struct DipkgTextIndex {
  const char *text;
  size_t len;
  char *norm;  // the text with each run of white space as one ' '
  size_t norm_len;
  size_t *norm_byte;  // for each byte of norm: offset of its origin in text
  size_t *norm_cp;    // ... and the code point offset of that origin
};

/* Normalises `s`: white-space runs become one space, leading and trailing
 * white space goes.  With `byte_map`/`cp_map`, records each output byte's
 * origin.  Returns the output length. */
static size_t
normalise(const char *s, size_t len, char *out, size_t *byte_map,
          size_t *cp_map)
{
  size_t o = 0, cp = 0;
  bool pending_space = false;
  size_t space_byte = 0, space_cp = 0;
  for (size_t i = 0; i < len;) {
    uint32_t c;
    size_t n = dipkg_utf8_decode(s + i, len - i, &c);
    if (!n) {  // not reached for validated text; treat the byte as text
      n = 1;
      c = 0xFFFD;
    }
    if (dipkg_utf8_is_space(c)) {
      if (!pending_space) {
        pending_space = true;
        space_byte = i;
        space_cp = cp;
      }
    } else {
      if (pending_space && o > 0) {
        if (byte_map) {
          byte_map[o] = space_byte;
          cp_map[o] = space_cp;
        }
        out[o++] = ' ';
      }
      pending_space = false;
      for (size_t k = 0; k < n; k++) {
        if (byte_map) {
          byte_map[o] = i;
          cp_map[o] = cp;
        }
        out[o++] = s[i + k];
      }
    }
    i += n;
    cp++;
  }
  return o;
}

DipkgTextIndex *
dipkg_text_index_new(const char *text, size_t len)
{
  DipkgTextIndex *ti = dipkg_calloc(1, sizeof *ti);
  if (!ti)
    return NULL;
  ti->text = text;
  ti->len = len;
  ti->norm = dipkg_malloc(len + 1);
  ti->norm_byte = dipkg_malloc((len + 1) * sizeof *ti->norm_byte);
  ti->norm_cp = dipkg_malloc((len + 1) * sizeof *ti->norm_cp);
  if (!ti->norm || !ti->norm_byte || !ti->norm_cp) {
    dipkg_text_index_free(ti);
    return NULL;
  }
  ti->norm_len = normalise(text, len, ti->norm, ti->norm_byte, ti->norm_cp);
  return ti;
}

void
dipkg_text_index_free(DipkgTextIndex *ti)
{
  if (!ti)
    return;
  dipkg_free(ti->norm);
  dipkg_free(ti->norm_byte);
  dipkg_free(ti->norm_cp);
  dipkg_free(ti);
}

/* Maps the normalised range [nb, ne) back to the original text. */
static void
map_back(const DipkgTextIndex *ti, size_t nb, size_t ne, DipkgMatch *m)
{
  size_t last = ne - 1;  // the match never ends on a space: quotes are trimmed
  uint32_t c;
  size_t n = dipkg_utf8_decode(ti->text + ti->norm_byte[last],
                               ti->len - ti->norm_byte[last], &c);
  m->byte_begin = ti->norm_byte[nb];
  m->begin = ti->norm_cp[nb];
  m->byte_end = ti->norm_byte[last] + (n ? n : 1);
  m->end = ti->norm_cp[last] + 1;
}

bool
dipkg_text_find(const DipkgTextIndex *ti, const char *quote, size_t len,
                DipkgMatch *match, bool *oom)
{
  *oom = false;
  char *q = dipkg_malloc(len + 1);
  if (!q) {
    *oom = true;
    return false;
  }
  size_t qlen = normalise(quote, len, q, NULL, NULL);
  bool found = false;
  if (qlen > 0 && qlen <= ti->norm_len) {
    const char *hit = memmem(ti->norm, ti->norm_len, q, qlen);
    if (hit) {
      // UTF-8 is self-synchronising: a match of valid UTF-8 in valid UTF-8
      // always starts and ends on character boundaries.
      size_t nb = (size_t)(hit - ti->norm);
      map_back(ti, nb, nb + qlen, match);
      found = true;
    }
  }
  dipkg_free(q);
  return found;
}

size_t
dipkg_text_count(const DipkgTextIndex *ti, const char *quote, size_t len,
                 size_t max, bool *oom)
{
  *oom = false;
  char *q = dipkg_malloc(len + 1);
  if (!q) {
    *oom = true;
    return 0;
  }
  size_t qlen = normalise(quote, len, q, NULL, NULL);
  size_t n = 0;
  if (qlen > 0) {
    const char *from = ti->norm, *end = ti->norm + ti->norm_len;
    const char *hit;
    while (n < max && (size_t)(end - from) >= qlen &&
           (hit = memmem(from, (size_t)(end - from), q, qlen))) {
      n++;
      from = hit + 1;
    }
  }
  dipkg_free(q);
  return n;
}

/* Decodes valid UTF-8 into code points; stores each code point's byte
 * offset in `at` (with one more entry for the end).  Returns the count. */
static size_t
decode(const char *s, size_t len, uint32_t *out, size_t *at)
{
  size_t n = 0, i = 0;
  while (i < len) {
    size_t k = dipkg_utf8_decode(s + i, len - i, &out[n]);
    if (!k) {
      out[n] = 0xFFFD;
      k = 1;
    }
    at[n++] = i;
    i += k;
  }
  at[n] = len;
  return n;
}

void
dipkg_text_closest(const DipkgTextIndex *ti, const char *quote, size_t len,
                   DipkgBuf *out)
{
  char *qb = dipkg_malloc(len + 1);
  if (!qb)
    return;
  size_t mb = normalise(quote, len, qb, NULL, NULL);
  size_t m = dipkg_utf8_count(qb, mb),
         n = dipkg_utf8_count(ti->norm, ti->norm_len);
  // Semi-global edit distance (Sellers), in code points: the quote must be
  // matched whole, the passage may start and end anywhere in the text.
  const char *none = n == 0     ? "the text is empty"
                     : m > 4096 ? "the quote is too long to suggest a passage"
                     : (double)m * (double)n > 2e8
                       ? "the text is too long to suggest a passage"
                       : NULL;
  if (m == 0 || none) {
    dipkg_buf_puts(out, none ? none : "the quote is blank");
    dipkg_free(qb);
    return;
  }
  uint32_t *q = dipkg_malloc(m * sizeof *q);
  size_t *q_at = dipkg_malloc((m + 1) * sizeof *q_at);
  uint32_t *t = dipkg_malloc(n * sizeof *t);
  size_t *t_at = dipkg_malloc((n + 1) * sizeof *t_at);
  size_t *cost = dipkg_malloc((n + 1) * sizeof *cost);
  size_t *start = dipkg_malloc((n + 1) * sizeof *start);
  size_t *prev_cost = dipkg_malloc((n + 1) * sizeof *prev_cost);
  size_t *prev_start = dipkg_malloc((n + 1) * sizeof *prev_start);
  if (!q || !q_at || !t || !t_at || !cost || !start || !prev_cost ||
      !prev_start)
    goto out;
  decode(qb, mb, q, q_at);
  decode(ti->norm, ti->norm_len, t, t_at);
  for (size_t j = 0; j <= n; j++) {
    prev_cost[j] = 0;
    prev_start[j] = j;
  }
  for (size_t i = 1; i <= m; i++) {
    cost[0] = i;
    start[0] = 0;
    for (size_t j = 1; j <= n; j++) {
      size_t best = prev_cost[j - 1] + (q[i - 1] != t[j - 1]);
      size_t from = prev_start[j - 1];
      if (prev_cost[j] + 1 < best) {
        best = prev_cost[j] + 1;
        from = prev_start[j];
      }
      if (cost[j - 1] + 1 < best) {
        best = cost[j - 1] + 1;
        from = start[j - 1];
      }
      cost[j] = best;
      start[j] = from;
    }
    size_t *swap = prev_cost;
    prev_cost = cost;
    cost = swap;
    swap = prev_start;
    prev_start = start;
    start = swap;
  }
  // The fewest edits; among equals, the passage whose length is nearest the
  // quote's, then the first.
  size_t best_j = 1;
  for (size_t j = 1; j <= n; j++) {
    size_t len_j = j - prev_start[j], len_b = best_j - prev_start[best_j];
    size_t off_j = len_j > m ? len_j - m : m - len_j;
    size_t off_b = len_b > m ? len_b - m : m - len_b;
    if (prev_cost[j] < prev_cost[best_j] ||
        (prev_cost[j] == prev_cost[best_j] && off_j < off_b))
      best_j = j;
  }
  size_t edits = prev_cost[best_j], from = prev_start[best_j];
  if (edits * 2 > m || best_j <= from) {
    dipkg_buf_puts(out, "no similar passage is in the text");
  } else {
    DipkgMatch match;
    map_back(ti, t_at[from], t_at[best_j], &match);
    dipkg_buf_printf(out, "the closest passage (%zu edit%s) is ", edits,
                     edits == 1 ? "" : "s");
    dipkg_diag_quote(out, ti->text + match.byte_begin,
                     match.byte_end - match.byte_begin, 300);
  }
out:
  dipkg_free(q), dipkg_free(q_at), dipkg_free(t), dipkg_free(t_at);
  dipkg_free(cost), dipkg_free(start), dipkg_free(prev_cost);
  dipkg_free(prev_start);
  dipkg_free(qb);
}
