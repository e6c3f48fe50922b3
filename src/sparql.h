/* SPARQL text before it reaches rasqal: the preparation of a query (this
 * module's entry points), which runs the bindings (sparql_bind.c), the
 * tokenizer (sparql_lex.c) and the checks for the constructs rasqal 0.9.33
 * lacks or gets wrong (sparql_check.c: each refused with the construct's
 * name and the rewrite that works, or rewritten), then adds the prologue
 * of predeclared prefixes.  Pure text processing: no Redland here.  The
 * supported subset is documented in docs/sparql.md. */
#ifndef DIPKG_SPARQL_H
#define DIPKG_SPARQL_H

#include "diag.h"
#include "sparql_path.h"
#include "vocab.h"

#include <stdbool.h>
#include <stddef.h>

/// The infix of the helper variables the rewrites add (?x__dipkg1): not
/// shown in results.  Queries should not use it in their own names.
#define DIPKG_SPARQL_HELPER "__dipkg"

typedef enum DipkgQueryForm {
  DIPKG_QUERY_SELECT,
  DIPKG_QUERY_ASK,
  DIPKG_QUERY_CONSTRUCT,
  DIPKG_QUERY_DESCRIBE,
  DIPKG_QUERY_UNKNOWN
} DipkgQueryForm;

/// The helper column of a GROUP BY query that tells a group from rasqal's
/// row for no solutions (unbound there).
#define DIPKG_SPARQL_GROUP_GUARD "rows" DIPKG_SPARQL_HELPER
/// The same guard as a count of the rows binding the variable: 0 there.
#define DIPKG_SPARQL_GROUP_COUNT "rowcount" DIPKG_SPARQL_HELPER

/// A query ready for rasqal.
typedef struct DipkgSparql {
  char *checked;    // prologue + the query as written (for the syntax check)
  char *executed;   // prologue + the query with rewrites applied
  size_t prologue;  // length in characters of the prologue (all on line 1)
  DipkgQueryForm form;
  unsigned rewrites;  // how many edits (rewrites, bindings) were made
  char **vars;  // the projected variables, set by dipkg_query_check() (owned)
  size_t n_vars;
  // An aggregate query without GROUP BY is one group, also over no rows,
  // where rasqal 0.9.33 gives none: the row SPARQL gives instead.  For each
  // projected aggregate (name, value): "0" for COUNT, SUM and AVG, "" for
  // GROUP_CONCAT, NULL (unbound) for MIN, MAX and SAMPLE.  n_empty_row is 0
  // when the query is not such a query.
  struct DipkgEmptyGroupValue {
    char *var;
    const char *value;  // static
  } * empty_row;
  size_t n_empty_row;
  bool implicit_group;
  bool group_guard;     // the query projects DIPKG_SPARQL_GROUP_GUARD
  bool with_ontology;   // the query declares "# dipkg: with-ontology"
  bool empty_template;  // CONSTRUCT {} ...: the empty graph, whatever the
                        // WHERE clause matches (rasqal 0.9.33 crashes)
  bool check_executed;  // `checked` lacks constructs dipkg rewrote
                        // (EXISTS, MINUS): check `executed` too
  bool star_expanded;   // SELECT * was listed: the executed text's columns
  bool graph_by_name;   // GRAPH <iri> (or FROM): every graph is a named
                        // graph, not only those GRAPH ?g ranges over
  char *base;  // the base IRI of the query (its file's file: IRI), or NULL:
               // relative IRIs resolve against it (owned)
  DipkgPrefix *prefixes;  // the prefixes in force: the query's own PREFIX
                          // lines, then the predeclared ones it does not
                          // redefine (NULL-terminated, owned)
  DipkgPath *paths;       // the property paths, rewritten to <urn:dipkg:path:N>
  size_t n_paths;         // (N: the index here), IRIs resolved (owned)
} DipkgSparql;

/// Checks and prepares `text` (UTF-8, `len` bytes; `name` is the file name
/// for messages).  `prefixes` (NULL-terminated) are declared unless the
/// query declares the same prefix itself.  Unsupported or unsafe constructs
/// become located errors in `diags` and DIPKG_ERR_QUERY.  `bindings`
/// (NULL-terminated "VAR=TERM", or NULL) replace the values of the query's
/// `VALUES ?VAR { ... }` blocks with TERM; a binding without such a block,
/// or whose TERM is not one RDF term, is an error.  On success `out` owns
/// its strings and arrays (free with dipkg_sparql_fini()); on failure it
/// holds nothing to free.
DipkgStatus dipkg_sparql_prepare(const char *text, size_t len, const char *name,
                                 const DipkgPrefix *prefixes,
                                 const char *const *bindings,
                                 DipkgDiagList *diags, DipkgSparql *out);

/// What a query may do and how it is prepared (the parts of a
/// DipkgQueryPolicy that concern the text).  Zero: the defaults.
typedef struct DipkgSparqlOptions {
  bool raw;            // no dipkg rewrites or refusals beyond safety
  bool allow_service;  // SERVICE may make outbound requests
  bool dataset_given;  // the dataset comes apart from the query (the
                       // Protocol's default-graph-uri, named-graph-uri):
                       // its FROM and FROM NAMED clauses are dropped
} DipkgSparqlOptions;

/// dipkg_sparql_prepare() with `options` (NULL: the defaults).
DipkgStatus dipkg_sparql_prepare_with(const char *text, size_t len,
                                      const char *name,
                                      const DipkgPrefix *prefixes,
                                      const char *const *bindings,
                                      const DipkgSparqlOptions *options,
                                      DipkgDiagList *diags, DipkgSparql *out);

/// dipkg_sparql_prepare() without the checks and rewrites for rasqal: the
/// bindings and the prologue only, for a query another engine runs (a
/// remote endpoint judges the query itself).
DipkgStatus dipkg_sparql_prepare_unchecked(
  const char *text, size_t len, const char *name, const DipkgPrefix *prefixes,
  const char *const *bindings, DipkgDiagList *diags, DipkgSparql *out);

/// Frees what dipkg_sparql_prepare() allocated.
void dipkg_sparql_fini(DipkgSparql *q);

/// Column (1-based, in characters) of the first token on `line` of the
/// checked text whose text is `token`, or 0 if none: used to place rasqal's
/// "unexpected X" errors, which come with a line but no column.
unsigned dipkg_sparql_find_token(const DipkgSparql *q, unsigned line,
                                 const char *token);

#endif
