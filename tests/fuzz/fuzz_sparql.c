/* Fuzz target: the SPARQL text dipkg handles before rasqal runs anything:
 * its tokenizer, checks and rewrites (src/sparql.c), the --bind values,
 * and rasqal's own parser as dipkg calls it (src/query.c), which runs in
 * the calling process (queries run in a child).  Input: optional lines
 * "#bind VAR=TERM" first, then the query.  Every located message must
 * point inside the query as written. */
#include "fuzz.h"

#include "diag.h"
#include "query.h"
#include "sparql.h"
#include "vocab.h"

#include <string.h>

static unsigned
count_lines(const char *s, size_t len)
{
  unsigned n = 1;
  for (size_t i = 0; i < len; i++)
    n += s[i] == '\n';
  return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  FUZZ_ASSERT(text, "out of memory");
  memcpy(text, data, size);
  text[size] = '\0';
  // Up to four bindings from the leading "#bind " lines.
  char *bindings[5] = {0};
  size_t nb = 0;
  char *q = text;
  while (nb < 4 && !strncmp(q, "#bind ", 6)) {
    char *end = strchr(q, '\n');
    if (!end)
      break;
    *end = '\0';
    bindings[nb++] = q + 6;
    q = end + 1;
  }
  size_t qlen = size - (size_t)(q - text);
  DipkgDiagList diags = {0};
  DipkgSparql prepared;
  DipkgStatus st = dipkg_sparql_prepare(q, qlen, "fuzz.rq", dipkg_vocab_prefixes,
                                        (const char *const *)bindings, &diags,
                                        &prepared);
  if (!st) {
    FUZZ_ASSERT(prepared.executed && prepared.checked, "nothing prepared");
    st = dipkg_query_check(&prepared, "fuzz.rq", &diags);
  }
  FUZZ_ASSERT(st == DIPKG_SUCCESS || st == DIPKG_ERR_QUERY ||
                st == DIPKG_ERR_USAGE,
              "unexpected status %d", (int)st);
  unsigned lines = count_lines(q, qlen);
  for (size_t i = 0; i < diags.n; i++)
    FUZZ_ASSERT(diags.items[i].loc.line <= lines,
                "message at line %u of a %u-line query: %s",
                diags.items[i].loc.line, lines, diags.items[i].message);
  FUZZ_ASSERT(st || !diags.errors, "success with an error");
  dipkg_sparql_fini(&prepared);
  dipkg_diag_list_clear(&diags);
  free(text);
  return 0;
}
