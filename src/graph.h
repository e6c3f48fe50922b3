/* Graphs in memory: a deduplicated, sorted, read-only set of statements
 * with an index by subject and one by object, built from a corpus
 * (corpus.c) or read from a store (store.c), written by graph_write.c.  The resource descriptions of `dipkg serve` and `dipkg
 * publish`, the JSON-LD writer and the HTML pages read them.  Once built a
 * graph is never modified, so any number of threads may read it. */
#ifndef DIPKG_GRAPH_H
#define DIPKG_GRAPH_H

#include "dipkg.h"
#include "hash.h"
#include "sink.h"
#include "vocab.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/// One statement: indexes into the graph's terms.
typedef struct DipkgTriple {
  uint32_t s, p, o;
} DipkgTriple;

struct DipkgGraphImpl {
  DipkgWorld *world;  // borrowed: prefixes, base, ontology; NULL for a
                      // graph that is only written (the JSON-LD writer's)
  const DipkgPrefix *prefixes;  // borrowed, NULL-terminated: the world's
  struct DipkgArena *arena;
  DipkgTerm *terms;  // interned, each once
  size_t n_terms, terms_cap;
  uint32_t *rank;        // rank[i]: position of term i in term order
  DipkgHashSet slots;    // the terms: their ids + 1
  DipkgTriple *triples;  // sorted by (s, p, o) in term order, no repeats
  size_t n, cap;
  uint32_t *by_object;  // triple indexes sorted by (o, s, p)
  bool sealed;
  bool oom;
};

/// A new empty graph over `world` (borrowed; may be NULL for a graph that
/// is only written, then `prefixes` abbreviate).  NULL when out of memory.
DipkgGraph *dipkg_graph_new(DipkgWorld *world);

/// The same, with the prefixes to write it with (borrowed).
DipkgGraph *dipkg_graph_new_with_prefixes(const DipkgPrefix *prefixes);

/// Adds a statement (terms copied).  Only before dipkg_graph_seal().
DipkgStatus dipkg_graph_add(DipkgGraph *g, const DipkgTerm *s,
                            const DipkgTerm *p, const DipkgTerm *o);

/// Sorts, removes repeats and builds the indexes.  DIPKG_ERR_NO_MEMORY
/// when an earlier add or this failed.
DipkgStatus dipkg_graph_seal(DipkgGraph *g);

/// Ends the filling of `g` (NULL when it could not be made): when `st`
/// is DIPKG_SUCCESS, seals it and on success hands it to `*out` (the
/// caller then frees it with dipkg_graph_free()); otherwise, or if sealing
/// fails, frees it.  Returns `st`, or the failure of the seal.
DipkgStatus dipkg_graph_finish(DipkgGraph *g, DipkgStatus st, DipkgGraph **out);

/// The id of the IRI `iri`, or -1 if the graph has no such term.
int64_t dipkg_graph_iri_id(const DipkgGraph *g, const char *iri);

/// The statements with subject id `s`: [*first, *first + count).
size_t dipkg_graph_subject_range(const DipkgGraph *g, uint32_t s,
                                 size_t *first);

/// The statements with object id `o`: by_object[*first .. + count).
size_t dipkg_graph_object_range(const DipkgGraph *g, uint32_t o, size_t *first);

/// The first object of (s, p) (p an IRI), or NULL.
const DipkgTerm *dipkg_graph_value(const DipkgGraph *g, uint32_t s,
                                   const char *p);

/// A display label of term `id`: its rdfs:label, skos:prefLabel,
/// schema:name or dip:headline (English or untagged first), else NULL.
const DipkgTerm *dipkg_graph_label(const DipkgGraph *g, uint32_t id);

/// Whether `iri` is one of the label properties dipkg_graph_label() reads.
bool dipkg_graph_is_label_property(const char *iri, size_t len);

/// A sink that adds what it receives to `g` (ignoring graphs).
typedef struct DipkgGraphSink {
  DipkgSink base;
  DipkgGraph *graph;
} DipkgGraphSink;

void dipkg_graph_sink_init(DipkgGraphSink *sink, DipkgGraph *graph);

/// Writes a sealed graph as a document (JSON-LD, PLOVER records).
typedef DipkgStatus (*DipkgGraphWriteFn)(const DipkgGraph *g, FILE *out);

/// The output-format row of a document format written from a whole graph
/// (format.h's DipkgDocWriter): open collects the statements into a graph
/// with the prefixes, finish seals it and has `write` write it to `stream`.
/// NULL when out of memory; free with dipkg_graph_doc_free().
void *dipkg_graph_doc_open(FILE *stream, const DipkgPrefix *prefixes,
                           DipkgGraphWriteFn write);
DipkgSink *dipkg_graph_doc_sink(void *doc);
DipkgStatus dipkg_graph_doc_finish(void *doc);
void dipkg_graph_doc_free(void *doc);

/// Compares two terms in the graph's order (kind, text, datatype, lang).
int dipkg_term_compare(const DipkgTerm *a, const DipkgTerm *b);

#endif
