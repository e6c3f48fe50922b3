/* The storage queries read from: Redland's own storage, with every triple
 * pattern answered from an index where the storage has one (see
 * read_storage.c for why Redland alone does not). */
#ifndef DIPKG_READ_STORAGE_H
#define DIPKG_READ_STORAGE_H

#include "sparql_path.h"

#include <stdbool.h>
#include <stddef.h>

struct librdf_world_s;
struct librdf_storage_s;

/// A read-only storage over `inner` (borrowed: it must outlive the new
/// storage), or NULL.  With `indexes` (a hashes storage), patterns are
/// answered from its indexes; with any storage, a statement held by several
/// graphs is found once outside GRAPH.  Free with librdf_free_storage().
struct librdf_storage_s *dipkg_read_storage_new(struct librdf_world_s *world,
                                                struct librdf_storage_s *inner,
                                                bool indexes);

/// Leaves the statements of `graph` (an IRI; NULL: none) out of the
/// default graph that `storage` (made by dipkg_read_storage_new) shows
/// queries; `GRAPH <graph> { ... }` still reads them.  False when out of
/// memory (nothing is hidden then).
bool dipkg_read_storage_hide(struct librdf_storage_s *storage,
                             const char *graph);

/// The named graphs GRAPH ?g ranges over: with `all`, every graph of the
/// store; else every graph but `ontology` (an IRI) and the graphs of input
/// files without graphs (file: IRIs), whose statements are the default
/// graph's.  rasqal reads GRAPH <iri> only from a named graph: a query that
/// names a graph needs `all`.  Forgets the graphs of
/// dipkg_read_storage_list_graph().  False when out of memory.
bool dipkg_read_storage_set_named(struct librdf_storage_s *storage,
                                  const char *ontology, bool all);

/// The dataset of the queries, given apart from their text (the SPARQL 1.1
/// Protocol's default-graph-uri and named-graph-uri): with `given`, the
/// default graph is the RDF merge of the `n_defaults` graphs at `defaults`
/// (empty when there are none) and GRAPH reads the `n_named` graphs at
/// `named` only (a graph the store lacks is an empty one); the hidden graph
/// and set_named() do not apply then.  Without, the store's own dataset
/// (above).  The IRIs are copied.  False when out of memory: no dataset is
/// given then (the caller must not run the query).
bool dipkg_read_storage_set_dataset(struct librdf_storage_s *storage,
                                    bool given, const char *const *defaults,
                                    size_t n_defaults, const char *const *named,
                                    size_t n_named);

/// The dataset `storage` shows queries (without a dataset given apart).  With `merge`, the default graph
/// holds only the graphs of input files without graphs (file: IRIs: the
/// `inputs`, and any file graph not among `named`), and the ontology when
/// it is not hidden (dipkg_read_storage_hide()); else it is the union of
/// every graph but the hidden one.  The `named` graphs (file: IRIs of
/// files loaded as named graphs) are named graphs, which GRAPH ?g ranges
/// over, although their IRIs are file: IRIs.  False when out of memory
/// (the dataset is then the union, without those named graphs).
bool dipkg_read_storage_set_files(struct librdf_storage_s *storage, bool merge,
                                  const char *const *inputs, size_t n_inputs,
                                  const char *const *named, size_t n_named);

/// Lists `graph` (an IRI) among the named graphs rasqal is given, also
/// when the store has no graph of that name (then GRAPH <graph> { ... }
/// reads nothing, where rasqal would give one empty solution), until the
/// next dipkg_read_storage_set_named().  False when out of memory.
bool dipkg_read_storage_list_graph(struct librdf_storage_s *storage,
                                   const char *graph);

/// 1 if the store under `storage` has a graph named `graph` (an IRI), 0 if
/// not (nor, with a dataset given, when the graph is not among its named
/// graphs), -1 when out of memory.
int dipkg_read_storage_has_graph(struct librdf_storage_s *storage,
                                 const char *graph);

/// Whether a read of `storage` (made by dipkg_read_storage_new) ran out of
/// memory since the last call, in a way its answer could not show (a
/// statement two graphs hold may then have come twice).  Resets the flag.
bool dipkg_read_storage_take_lost(struct librdf_storage_s *storage);

/// The property paths of the query about to run (`paths`, `n` of them,
/// borrowed until the next call; NULL, 0: none).  A pattern whose
/// predicate is <urn:dipkg:path:N> is answered by evaluating paths[N]
/// (path_eval.c) over the graph the pattern reads (the default graph, or
/// the named graph of find_statements_in_context), from its given ends,
/// each evaluation bounded by `limit`; no other pattern sees those
/// statements.  Resets the status of dipkg_read_storage_path_status().
void dipkg_read_storage_set_paths(struct librdf_storage_s *storage,
                                  const DipkgPath *paths, size_t n,
                                  size_t limit);

/// The first failure of a path evaluation since the last
/// dipkg_read_storage_set_paths() (DIPKG_ERR_QUERY_LIMIT: over the limit;
/// DIPKG_ERR_NO_MEMORY...), or DIPKG_SUCCESS.  Such a pattern read no
/// statements: the query's answer must not be used.
DipkgStatus dipkg_read_storage_path_status(struct librdf_storage_s *storage);

#endif
