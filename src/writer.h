/* Streaming writers for N-Triples, N-Quads, Turtle and TriG.  They write into a
 * DipkgBuf, so that worker threads can each fill their own buffer and the
 * buffers can be written out in input order. */
#ifndef DIPKG_WRITER_H
#define DIPKG_WRITER_H

#include "buf.h"
#include "sink.h"
#include "vocab.h"

#include <stdbool.h>

typedef struct DipkgWriter {
  DipkgSink base;
  DipkgFormat format;           // TURTLE, NTRIPLES, NQUADS or TRIG
  DipkgBuf *out;                // borrowed
  const DipkgPrefix *prefixes;  // Turtle: NULL-terminated, borrowed
  const char *graph;            // N-Quads: the current graph IRI (borrowed)
  size_t graph_len;
  DipkgBuf subject;  // Turtle: the open subject and predicate
  DipkgTermKind subject_kind;
  DipkgBuf predicate;
  bool open;      // Turtle: a subject's statement is unterminated
  bool in_block;  // TriG: a graph block is open
} DipkgWriter;

/// Prepares a writer of `format` (not RDF/XML) appending to `out`.
/// `prefixes` (Turtle and TriG) must outlive the writer.  Release with
/// dipkg_writer_fini().
void dipkg_writer_init(DipkgWriter *w, DipkgFormat format,
                       const DipkgPrefix *prefixes, DipkgBuf *out);

/// Releases the writer's own memory (not `out`).
void dipkg_writer_fini(DipkgWriter *w);

/// Appends the Turtle (and TriG) prologue (@prefix lines and a blank line)
/// to `out`.
void dipkg_writer_turtle_prologue(const DipkgPrefix *prefixes, DipkgBuf *out);

/// Appends the N-Triples form of a term (IRI, blank node or literal).
void dipkg_write_nt_term(DipkgBuf *out, const DipkgTerm *t);

/// Whether `s` can be written as the local part of a prefixed name.
bool dipkg_turtle_local_ok(const char *s, size_t len);

#endif
