#include "sparql_lex.h"

#include "memory.h"

#include <string.h>

static bool
name_char(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* Advances over `n` bytes, keeping line and column (in characters). */
static void
skip(DipkgLexer *x, size_t n)
{
  for (size_t i = 0; i < n && x->pos < x->len; i++) {
    unsigned char c = (unsigned char)x->s[x->pos++];
    if (c == '\n') {
      x->line++;
      x->col = 1;
    } else if ((c & 0xC0) != 0x80) {
      x->col++;
    }
  }
}

static void
push(DipkgLexer *x, DipkgTokKind kind, size_t start, unsigned line,
     unsigned col)
{
  if (dipkg_grow((void **)&x->toks, &x->cap, x->n + 1, sizeof *x->toks)) {
    x->oom = true;
    return;
  }
  x->toks[x->n++] = (DipkgTok){kind, start, x->pos - start, line, col};
}

/* Length of an IRIREF starting at `i` ('<'), or 0 if it is not one. */
static size_t
iriref_length(const DipkgLexer *x, size_t i)
{
  for (size_t k = i + 1; k < x->len; k++) {
    unsigned char c = (unsigned char)x->s[k];
    if (c == '>')
      return k - i + 1;
    if (c <= 0x20 || strchr("<\"{}|^`\\", c))
      return 0;
  }
  return 0;
}

static void
lex_string(DipkgLexer *x)
{
  char q = x->s[x->pos];
  bool lng =
    x->pos + 2 < x->len && x->s[x->pos + 1] == q && x->s[x->pos + 2] == q;
  skip(x, lng ? 3 : 1);
  while (x->pos < x->len) {
    char c = x->s[x->pos];
    if (c == '\\') {
      skip(x, 2);
    } else if (c == q &&
               (!lng || (x->pos + 2 < x->len && x->s[x->pos + 1] == q &&
                         x->s[x->pos + 2] == q))) {
      skip(x, lng ? 3 : 1);
      return;
    } else if (!lng && c == '\n') {
      return;  // unterminated: rasqal reports it
    } else {
      skip(x, 1);
    }
  }
}

void
dipkg_sparql_tokenize(DipkgLexer *x)
{
  while (x->pos < x->len && !x->oom) {
    unsigned char c = (unsigned char)x->s[x->pos];
    size_t start = x->pos;
    unsigned line = x->line, col = x->col;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      skip(x, 1);
      continue;
    }
    if (c == '#') {
      while (x->pos < x->len && x->s[x->pos] != '\n')
        skip(x, 1);
      continue;
    }
    if (c == '<') {
      size_t n = iriref_length(x, x->pos);
      if (n) {
        skip(x, n);
        push(x, T_IRI, start, line, col);
        continue;
      }
    }
    if ((c == '?' || c == '$') && x->pos + 1 < x->len &&
        name_char((unsigned char)x->s[x->pos + 1])) {
      skip(x, 1);
      while (x->pos < x->len && name_char((unsigned char)x->s[x->pos]))
        skip(x, 1);
      push(x, T_VAR, start, line, col);
      continue;
    }
    if (c == '"' || c == '\'') {
      lex_string(x);
      push(x, T_STRING, start, line, col);
      continue;
    }
    if ((c >= '0' && c <= '9') ||
        (c == '.' && x->pos + 1 < x->len && x->s[x->pos + 1] >= '0' &&
         x->s[x->pos + 1] <= '9')) {
      while (x->pos < x->len && ((x->s[x->pos] >= '0' && x->s[x->pos] <= '9') ||
                                 x->s[x->pos] == '.' || x->s[x->pos] == 'e' ||
                                 x->s[x->pos] == 'E'))
        skip(x, 1);
      push(x, T_NUMBER, start, line, col);
      continue;
    }
    if (c == '@') {
      skip(x, 1);
      while (x->pos < x->len &&
             (name_char((unsigned char)x->s[x->pos]) || x->s[x->pos] == '-'))
        skip(x, 1);
      push(x, T_LANG, start, line, col);
      continue;
    }
    if (name_char(c) || c == ':') {
      while (x->pos < x->len && (name_char((unsigned char)x->s[x->pos]) ||
                                 x->s[x->pos] == '-' || x->s[x->pos] == '.'))
        skip(x, 1);
      // A name does not end with '.': that is the end of a triple.
      while (x->pos > start && x->s[x->pos - 1] == '.') {
        x->pos--;
        x->col--;
      }
      if (x->pos < x->len && x->s[x->pos] == ':') {
        skip(x, 1);
        while (x->pos < x->len &&
               (name_char((unsigned char)x->s[x->pos]) || x->s[x->pos] == '-' ||
                x->s[x->pos] == '.' || x->s[x->pos] == ':' ||
                x->s[x->pos] == '%' || x->s[x->pos] == '\\'))
          skip(x, x->s[x->pos] == '\\' ? 2 : 1);
        // ... nor with '.', unless escaped (":a\\." ends with a dot).
        while (x->pos > start && x->s[x->pos - 1] == '.' &&
               x->s[x->pos - 2] != '\\') {
          x->pos--;
          x->col--;
        }
        push(x, T_PNAME, start, line, col);
      } else {
        push(x, T_WORD, start, line, col);
      }
      continue;
    }
    static const char *const two[] = {"^^", "&&", "||", "<=", ">=", "!="};
    size_t n = 1;
    for (size_t i = 0; i < sizeof two / sizeof *two; i++)
      if (x->pos + 1 < x->len && !strncmp(x->s + x->pos, two[i], 2))
        n = 2;
    skip(x, n);
    push(x, T_PUNCT, start, line, col);
  }
}
