/* The SPARQL token scanner: the query text as a list of tokens (kind,
 * byte range, line and column), comments and white space skipped.  It
 * recognises just enough of SPARQL's lexical grammar for the checks and
 * the bindings (sparql_check.c, sparql_bind.c): a malformed query still
 * gives tokens, and rasqal reports the error.  Private to the sparql_*
 * modules. */
#ifndef DIPKG_SPARQL_LEX_H
#define DIPKG_SPARQL_LEX_H

#include <stdbool.h>
#include <stddef.h>

typedef enum DipkgTokKind {
  T_IRI,     // <...>
  T_PNAME,   // prefix:local, prefix:, :local
  T_VAR,     // ?x, $x
  T_STRING,  // '...', "...", '''...''', """..."""
  T_NUMBER,
  T_WORD,  // keywords, function names, a, true, false
  T_LANG,  // @en
  T_PUNCT
} DipkgTokKind;

typedef struct DipkgTok {
  DipkgTokKind kind;
  size_t start, len;
  unsigned line, col;
} DipkgTok;

typedef struct DipkgLexer {
  const char *s;
  size_t len, pos;
  unsigned line, col;
  DipkgTok *toks;
  size_t n, cap;
  bool oom;
} DipkgLexer;

/* Appends the tokens of x->s[x->pos .. x->len) to x->toks (grown with
 * dipkg_grow; the caller frees x->toks with dipkg_free, also when x->oom
 * is set on return: out of memory, the tokens are cut short). */
void dipkg_sparql_tokenize(DipkgLexer *x);

#endif
