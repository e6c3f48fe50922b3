/* The stream of statements the mapper produces, and what consumes it: the
 * writers (writer.c), the raptor serializer (rdf_raptor.c), counters. */
#ifndef DIPKG_SINK_H
#define DIPKG_SINK_H

#include "dipkg.h"

#include <stddef.h>
#include <stdint.h>

typedef enum DipkgTermKind {
  DIPKG_TERM_IRI,
  DIPKG_TERM_BLANK,
  DIPKG_TERM_LITERAL
} DipkgTermKind;

/// An RDF term.  Strings are borrowed; `str` is valid UTF-8 of `len` bytes
/// (NUL-terminated).  A literal has either a datatype IRI, a language tag,
/// or neither (xsd:string).
typedef struct DipkgTerm {
  DipkgTermKind kind;
  const char *str;
  size_t len;
  const char *datatype;
  const char *lang;
} DipkgTerm;

typedef struct DipkgSink DipkgSink;

/// A consumer of statements.  Implementations embed this struct first.
/// Statements come in graphs: begin_graph, statements, end_graph.  All of
/// a subject's statements within a graph are consecutive.
struct DipkgSink {
  DipkgStatus (*begin_graph)(DipkgSink *sink, const char *graph_iri);
  DipkgStatus (*statement)(DipkgSink *sink, const DipkgTerm *s,
                           const DipkgTerm *p, const DipkgTerm *o);
  DipkgStatus (*end_graph)(DipkgSink *sink);
  uint64_t n_statements;  // maintained by the implementation
};

/// A sink that only counts (used by validate).
typedef struct DipkgCountSink {
  DipkgSink base;
} DipkgCountSink;

/// Initialises a counting sink.
void dipkg_count_sink_init(DipkgCountSink *sink);

#endif
