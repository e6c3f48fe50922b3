/* The Redland (librdf) boundary: opening storages from a store spec,
 * adding statements in named graphs, replacing graphs, transactions, and
 * reading back what the stats need.  Only this module, query.c (running
 * queries), read_storage.c (the indexed reads queries go through) and
 * path_eval.c (property paths, read through it) include Redland's
 * headers; every Redland ownership rule stays in those. */
#ifndef DIPKG_MODEL_H
#define DIPKG_MODEL_H

#include "backend.h"
#include "diag.h"
#include "sink.h"
#include "sparql_path.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct DipkgModel DipkgModel;

/// Opens the storage of `spec` (at `location` instead of the spec's, if
/// not NULL: the copy a load writes into).  With `create`, for a load: a
/// missing store is created (for sqlite, with the indexes Redland's schema
/// lacks).  Without, for a read: the store is checked (dipkg_store_verify)
/// and opened read-only where the backend can.  DIPKG_ERR_STORE with a
/// diagnostic on failure.
DipkgStatus dipkg_model_open(const DipkgStoreSpec *spec, const char *location,
                             bool create, DipkgDiagList *diags,
                             DipkgModel **out);

/// Flushes and closes.  NULL is a no-op.
void dipkg_model_close(DipkgModel *model);

/// Starts, commits or rolls back a transaction.  DIPKG_ERR_STORE if the
/// storage has none (then nothing happened).
DipkgStatus dipkg_model_begin(DipkgModel *model);
DipkgStatus dipkg_model_commit(DipkgModel *model);
DipkgStatus dipkg_model_rollback(DipkgModel *model);

/// A sink adding statements to the model, each in the graph of the last
/// begin_graph().  With `replace`, the first time a graph is begun its
/// former statements are removed.  With `check_duplicates` (which needs
/// `replace`), a statement the graph already holds is skipped (the hashes
/// storage keeps duplicates; the sqlite storage skips them itself): the
/// check remembers a fingerprint of each statement of the session and asks
/// the store only when a fingerprint comes back.  Messages from Redland go
/// to `diags` while the sink is used.
DipkgSink *dipkg_model_sink(DipkgModel *model, bool replace,
                            bool check_duplicates, DipkgDiagList *diags);

/// Forgets which graphs the sink replaced (a new load session).
void dipkg_model_sink_reset(DipkgModel *model);

/// Number of statements (counted: Redland's own size is wrong for some
/// storages), and of named graphs.
DipkgStatus dipkg_model_count(DipkgModel *model, uint64_t *statements,
                              uint64_t *graphs);

/// Calls `fn` for every `s rdf:type C` with an IRI subject and class.
DipkgStatus dipkg_model_each_type(DipkgModel *model,
                                  void (*fn)(void *user, const char *subject,
                                             const char *cls),
                                  void *user);

/* For query.c only: the Redland world and the model queries read. */
struct librdf_world_s;
struct librdf_model_s;
struct librdf_world_s *dipkg_model_redland_world(DipkgModel *model);
/// The model queries run on: reads answered from the store's indexes
/// (read_storage.c); falls back to the store's model.
struct librdf_model_s *dipkg_model_redland_reader(DipkgModel *model);

/// See dipkg_read_storage_set_paths(): the property paths of the query
/// about to run (borrowed until the next call).  DIPKG_ERR_NO_MEMORY when
/// the model has no read storage (the paths could not be answered).
DipkgStatus dipkg_model_set_paths(DipkgModel *model, const DipkgPath *paths,
                                  size_t n, size_t limit);

/// See dipkg_read_storage_path_status().
DipkgStatus dipkg_model_path_status(DipkgModel *model);

/// Leaves the statements of graph `iri` (NULL: none) out of the default
/// graph of the queries read through dipkg_model_redland_reader(); GRAPH
/// <iri> still reads them.  DIPKG_ERR_NO_MEMORY on failure.
DipkgStatus dipkg_model_hide_graph(DipkgModel *model, const char *iri);

/// See dipkg_read_storage_set_named(); DIPKG_ERR_NO_MEMORY on failure.
DipkgStatus dipkg_model_set_named(DipkgModel *model, const char *ontology,
                                  bool all);

/// See dipkg_read_storage_list_graph(); DIPKG_ERR_NO_MEMORY on failure.
DipkgStatus dipkg_model_list_graph(DipkgModel *model, const char *iri);

/// Sets *has to whether the store has a graph named `iri`;
/// DIPKG_ERR_NO_MEMORY on failure.
DipkgStatus dipkg_model_has_graph(DipkgModel *model, const char *iri,
                                  bool *has);

/// The dataset of the queries (see dipkg_read_storage_set_dataset): the
/// graphs of `dataset` (copied), or, with NULL or no graphs, the store's
/// own.  DIPKG_ERR_NO_MEMORY on failure.
DipkgStatus dipkg_model_set_dataset(DipkgModel *model,
                                    const DipkgDataset *dataset);

/// See dipkg_read_storage_set_files(); DIPKG_ERR_NO_MEMORY on failure.
DipkgStatus dipkg_model_set_files(DipkgModel *model, bool merge,
                                  const char *const *inputs, size_t n_inputs,
                                  const char *const *named, size_t n_named);

/// Whether the reads of the last query ran out of memory where its answer
/// could not show it (see dipkg_read_storage_take_lost); resets.
bool dipkg_model_reader_lost(DipkgModel *model);

/// Routes Redland's log messages to `diags` (NULL: drop them) with
/// `file` as their file name; returns the previous list.
DipkgDiagList *dipkg_model_set_log(DipkgModel *model, DipkgDiagList *diags,
                                   const char *file);

#endif
