/* SPARQL 1.1 property paths in the query text: the parser of a path over
 * the lexer's tokens, and the check that finds every triple pattern whose
 * predicate is a path (in `;` and `,` lists, `[ ]` and collections) and
 * rewrites its predicate into one IRI of dipkg's own,
 * <urn:dipkg:path:N>, which the storage queries read through answers by
 * evaluating the path (read_storage.c, path_eval.c).  Pure text
 * processing: no Redland here.  Private to the sparql_* modules, query.c
 * and the path evaluation. */
#ifndef DIPKG_SPARQL_PATH_H
#define DIPKG_SPARQL_PATH_H

#include "diag.h"
#include "vocab.h"

#include <stdbool.h>
#include <stddef.h>

/// The IRI a path occurrence is rewritten to is this prefix, the query's
/// nonce (DIPKG_PATH_NONCE hex digits, random per prepared query, so that
/// no query text can name it), ':', then its index (0-based) in
/// DipkgSparql.paths.  It never appears in any output.
#define DIPKG_PATH_IRI "urn:dipkg:path:"
#define DIPKG_PATH_NONCE 16

typedef enum DipkgPathOp {
  DIPKG_PATH_LINK,  // iri (iri: the predicate)
  DIPKG_PATH_INV,   // ^a
  DIPKG_PATH_SEQ,   // a / b
  DIPKG_PATH_ALT,   // a | b
  DIPKG_PATH_NPS,   // !(iri | ^iri ...): members chained by `next`
  DIPKG_PATH_OPT,   // a?
  DIPKG_PATH_STAR,  // a*
  DIPKG_PATH_PLUS   // a+
} DipkgPathOp;

/// One node of a path expression; children are indexes into the path's
/// node array (-1: none).
typedef struct DipkgPathNode {
  DipkgPathOp op;
  int a, b;
  int next;            // NPS: the next member (a LINK), -1 at the end
  bool inverse;        // an NPS member written ^iri
  char *iri;           // LINK: the predicate as written (<iri>, prefix:local or
                       // "a"), then the full IRI once resolved (owned)
  unsigned line, col;  // where it is written
} DipkgPathNode;

/// A path expression: its nodes and the root.
typedef struct DipkgPath {
  DipkgPathNode *nodes;  // owned
  size_t n, cap;
  int root;
  size_t first, last;                // the tokens of the path in the query text
  char nonce[DIPKG_PATH_NONCE + 1];  // its query's (see DIPKG_PATH_IRI)
} DipkgPath;

struct DipkgChecker;

/* The "paths" check: parses every property path of the query in `c`,
 * adds it to c->out->paths and rewrites it into its <urn:dipkg:path:N>
 * IRI; a malformed path is a located error (c->failed). */
void dipkg_path_check(struct DipkgChecker *c);

/// Resolves the IRIs of `paths` (`n` of them) against `prefixes` (the
/// prefixes in force, NULL-terminated): a prefixed name becomes its IRI,
/// `a` rdf:type, <iri> its text.  A relative <iri> or an undeclared prefix
/// is a located error in `diags` for file `name`: DIPKG_ERR_QUERY.
DipkgStatus dipkg_path_resolve(DipkgPath *paths, size_t n,
                               const DipkgPrefix *prefixes, const char *name,
                               DipkgDiagList *diags);

/// Frees the nodes of `paths` (`n` of them; not the array).
void dipkg_paths_free(DipkgPath *paths, size_t n);

#endif
