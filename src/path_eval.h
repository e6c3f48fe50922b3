/* The evaluation of a SPARQL 1.1 property path (sparql_path.h) over one
 * active graph, as SPARQL 1.1 defines it (18.4, 18.5): sequence and
 * alternative keep duplicates (a bag), ZeroOrOne, ZeroOrMore and OneOrMore
 * give each pair of ends once, a zero-length path matches every subject and
 * object of the graph when both ends are free, and a given end even when
 * the graph lacks it.  The graph is read through a find function (the
 * read storage's, for the default graph or one named graph); a given end
 * is where the evaluation starts.  Redland is the boundary here, as in
 * read_storage.c. */
#ifndef DIPKG_PATH_EVAL_H
#define DIPKG_PATH_EVAL_H

#include "diag.h"
#include "sparql_path.h"

#include <redland.h>
#include <stddef.h>

/// How the active graph is read: `find` returns the statements of the
/// graph matching `pattern` (borrowed; NULL parts are free), a stream the
/// evaluation frees, or NULL on failure.
typedef struct DipkgPathGraph {
  librdf_world *world;
  librdf_stream *(*find)(void *user, librdf_statement *pattern);
  void *user;
} DipkgPathGraph;

/// The solutions of a path: pairs (subject, object), each node owned.
typedef struct DipkgPathPairs {
  librdf_node **nodes;  // 2 per pair: subject, object
  size_t n;             // pairs
  size_t cap;
} DipkgPathPairs;

/// Appends to `out` the solutions of `path` (its IRIs resolved) in `graph`
/// from `s` to `o` (borrowed; NULL: a free end).  The work (statements
/// read, nodes reached, solutions) is bounded by `limit`: over it, nothing
/// is appended and DIPKG_ERR_QUERY_LIMIT is returned (never a part of the
/// answer).  DIPKG_ERR_NO_MEMORY when an allocation or a read fails.
DipkgStatus dipkg_path_eval(const DipkgPathGraph *graph, const DipkgPath *path,
                            librdf_node *s, librdf_node *o, size_t limit,
                            DipkgPathPairs *out);

/// Frees the nodes of `pairs` and empties it.
void dipkg_path_pairs_free(DipkgPathPairs *pairs);

#endif
