/* The world's internals, shared by the library's modules. */
#ifndef DIPKG_WORLD_H
#define DIPKG_WORLD_H

#include "diag.h"
#include "ontology.h"
#include "vocab.h"

#include <stdbool.h>

enum { DIPKG_N_PREFIXES = 16 };

struct DipkgWorldImpl {
  char *base;
  char *ns_article;       // {base}article/
  char *ns_entity;        // {base}entity/
  char *ns_event;         // {base}event/
  char *ns_graph;         // {base}graph/: one named graph per article
  char *ns_entity_graph;  // {base}graph/entity/: one per entity
  DipkgPrefix prefixes[DIPKG_N_PREFIXES];  // vocabulary + data prefixes
  unsigned jobs;
  unsigned max_errors;
  bool strict;  // curation warnings are errors
  DipkgDiagnosticFunc diag_func;
  void *diag_user;
  DipkgProgressFunc progress_func;
  void *progress_user;
  DipkgOntology *ontology;
  char *ontology_path;
  unsigned errors_delivered;
  bool errors_suppressed;
  bool allow_outside_text;   // `text:` may leave the facts' directory tree
  const char *input_syntax;  // raptor name for RDF inputs of no known name
};

/// Delivers the diagnostics of `list` (then clears it) through the
/// callback, honouring the error limit.
void dipkg_world_deliver(DipkgWorld *world, DipkgDiagList *list);

/// Resets the delivered-error count (at the start of a run).
void dipkg_world_begin_run(DipkgWorld *world);

/// Loads the default ontology unless one is loaded.
DipkgStatus dipkg_world_require_ontology(DipkgWorld *world);

/// The number of worker threads to use (jobs, or the CPU count).
unsigned dipkg_world_jobs(const DipkgWorld *world);

/// Reports progress through the callback, if one is installed (in the
/// thread that called the library).
void dipkg_world_progress(const DipkgWorld *world, DipkgPhase phase,
                          uint64_t done, uint64_t total);

#endif
