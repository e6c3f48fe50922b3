/* The checks and rewrites of a SPARQL query for rasqal 0.9.33 (each
 * construct it lacks or gets wrong is refused with the construct's name
 * and the rewrite that works, or rewritten), and the token-edit machinery
 * they share with the bindings (sparql_bind.c) and the preparation
 * (sparql.c).  Private to the sparql_* modules. */
#ifndef DIPKG_SPARQL_CHECK_H
#define DIPKG_SPARQL_CHECK_H

#include "buf.h"
#include "sparql.h"
#include "sparql_lex.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Rewrites are token edits: a token replaced by other text, text inserted
 * before a token.  The text between tokens (white space, comments) is
 * kept, so the rewritten query reads like the original. */
typedef struct DipkgChecker {
  const char *s;
  const char *name;
  const DipkgTok *t;
  size_t n;
  DipkgDiagList *diags;
  bool failed;
  char **repl;    // per token: its replacement, or NULL (n + 1 entries)
  DipkgBuf *ins;  // per token: text inserted before it (n + 1 entries)
  unsigned edits;
  unsigned copies;  // variables renamed so far (for fresh names)
  bool oom;
  char *owned;  // the copy of the text that `s` points to (owned)
  // Set by dipkg_sparql_checks_run() for the checks, NULL otherwise:
  bool *in_values;  // per token: part of a VALUES clause (n + 1, owned)
  bool *hidden;     // per token: rewritten elsewhere, blank in the text checked
                    // for syntax (n + 1, owned; NULL: none), until fini
  const DipkgPrefix *prefixes;        // the predeclared prefixes
  const DipkgSparqlOptions *options;  // the policy
  DipkgSparql *out;                   // what the checks find out
  const char *check;  // the name of the check running (internal errors)
} DipkgChecker;

static inline bool
is(const DipkgChecker *c, size_t i, const char *text)
{
  return i < c->n && c->t[i].len == strlen(text) &&
         !strncasecmp(c->s + c->t[i].start, text, c->t[i].len);
}

static inline bool
kind(const DipkgChecker *c, size_t i, DipkgTokKind k)
{
  return i < c->n && c->t[i].kind == k;
}

static inline bool
is_iri_like(const DipkgChecker *c, size_t i)
{
  return kind(c, i, T_IRI) || kind(c, i, T_PNAME) ||
         (kind(c, i, T_WORD) && c->t[i].len == 1 && c->s[c->t[i].start] == 'a');
}

/* Whether tokens i and k are the same variable (?x and $x are). */
static inline bool
same_var(const DipkgChecker *c, size_t i, size_t k)
{
  return kind(c, i, T_VAR) && kind(c, k, T_VAR) && c->t[i].len == c->t[k].len &&
         !memcmp(c->s + c->t[i].start + 1, c->s + c->t[k].start + 1,
                 c->t[i].len - 1);
}

static inline DipkgLoc
loc(const DipkgChecker *c, size_t i)
{
  return (DipkgLoc){c->t[i].line, c->t[i].col, (unsigned)c->t[i].len};
}

#define REFUSE(c, i, ...)                                                      \
  (dipkg_diag_add((c)->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY,           \
                  (c)->name, loc((c), (i)), __VA_ARGS__),                      \
   (c)->failed = true)

/* Tokenizes a copy of `text` (`len` bytes) into `c` (tokens in `x`), with
 * no edits yet; `name` and `diags` are for messages (borrowed).  False
 * when out of memory before anything is allocated; otherwise c->oom tells
 * whether the rest failed, and dipkg_checker_fini() frees it all. */
bool dipkg_checker_init(DipkgChecker *c, DipkgLexer *x, const char *text,
                        size_t len, const char *name, DipkgDiagList *diags);

/* Frees what dipkg_checker_init() and the edits allocated. */
void dipkg_checker_fini(DipkgChecker *c, DipkgLexer *x);

/* Index of the token closing the bracket opened at `open` ("(" or "{"), or
 * c->n. */
size_t dipkg_checker_matching(const DipkgChecker *c, size_t open);

/* Replaces token i by `with` (copied); a second replacement of the same
 * token is an internal error (c->failed). */
void dipkg_checker_replace(DipkgChecker *c, size_t i, const char *with);

/* Inserts `text` (copied) before token i (i == c->n: at the end). */
void dipkg_checker_insert(DipkgChecker *c, size_t i, const char *text);

/* Replaces token i by as many spaces as it has characters. */
void dipkg_checker_blank(DipkgChecker *c, size_t i);

/* Appends the query text with the edits applied to `out`. */
void dipkg_checker_apply(const DipkgChecker *c, DipkgBuf *out);

/* Whether the query declares prefix `prefix` (`len` bytes, no colon) with
 * a PREFIX line. */
bool dipkg_checker_declares(const DipkgChecker *c, const char *prefix,
                            size_t len);

/* Whether token i opens an aggregate call (COUNT ( ..., SUM ( ...). */
bool dipkg_checker_is_aggregate(const DipkgChecker *c, size_t i);

/* Whether `prefix` (`len` bytes) is one of `prefixes` (NULL-terminated). */
bool dipkg_sparql_prefix_listed(const DipkgPrefix *prefixes, const char *prefix,
                                size_t len);

/* Runs the checks and rewrites on `c`: the safety refusals unless
 * `unchecked`, and unless `options->raw` or `unchecked` every refusal and
 * rewrite for rasqal 0.9.33; what they find out about the query goes to
 * `out` (the dataset, the grouping, the variables).  Refusals are located
 * errors in c->diags with c->failed set; out of memory sets c->oom. */
void dipkg_sparql_checks_run(DipkgChecker *c, const DipkgPrefix *prefixes,
                             const DipkgSparqlOptions *options, bool unchecked,
                             DipkgSparql *out);

/* Moves triple patterns that follow a UNION, an OPTIONAL or a subquery of
 * their group in front of the group's blocks where that keeps the
 * meaning (rasqal 0.9.33 joins them wrongly there): `*out` receives the
 * reordered text and `*out_len` its length (caller frees with dipkg_free),
 * or NULL when nothing moves.  Lines stay where they were; only the
 * columns of the line a pattern moves to change.  Two moves of one token
 * (a bug) give DIPKG_ERR_INTERNAL with the error in `diags`. */
DipkgStatus dipkg_sparql_reorder(const char *text, size_t len, const char *name,
                                 DipkgDiagList *diags, char **out,
                                 size_t *out_len);

#endif
