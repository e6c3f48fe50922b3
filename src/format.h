/* The output formats: one table, one row per format, holding everything
 * that differs between them (names, file extensions, media type, whether
 * the output streams, the prologue, the writer).  A new output format is a
 * new row here, and nothing else in the export path changes. */
#ifndef DIPKG_FORMAT_H
#define DIPKG_FORMAT_H

#include "buf.h"
#include "dipkg.h"
#include "sink.h"
#include "vocab.h"
#include "writer.h"

#include <stdio.h>

/// A writer that holds the statements and writes the whole document at the
/// end (RDF/XML: raptor's abbreviating serializer needs every statement).
typedef struct DipkgDocWriter {
  /// A new writer into `stream` (borrowed) with the given prefixes
  /// (borrowed, NULL-terminated).  NULL on failure.  Freed by `free`.
  void *(*open)(FILE *stream, const DipkgPrefix *prefixes);
  /// The sink the statements go to (owned by the writer).
  DipkgSink *(*sink)(void *writer);
  /// Writes the document out.  DIPKG_ERR_RDF on a serializer failure.
  DipkgStatus (*finish)(void *writer);
  void (*free)(void *writer);
} DipkgDocWriter;

/// One row of the table.  `desc` first: the public part (dipkg.h).
typedef struct DipkgFormatRow {
  DipkgFormatDesc desc;
  const char *raptor;  // raptor's name of the syntax (to read it back)
  /// Streaming formats: what precedes the statements (NULL: nothing), and
  /// the writer of each file's statements into a buffer.
  void (*prologue)(const DipkgPrefix *prefixes, DipkgBuf *out);
  void (*writer_init)(DipkgWriter *w, DipkgFormat format,
                      const DipkgPrefix *prefixes, DipkgBuf *out);
  /// Other formats: the document writer.
  const DipkgDocWriter *doc;
  /// An RDF format: an export may add to the facts what a store adds
  /// (--closure, --with-ontology: dipkg_corpus_export_extended()).
  bool graph;
  /// The document writer for such a dataset, whose ontology is a graph of
  /// its own, when `doc` writes the facts alone (NULL: `doc` does).
  const DipkgDocWriter *dataset;
} DipkgFormatRow;

/// The row of `format`, or NULL if dipkg cannot write it (yet).
const DipkgFormatRow *dipkg_format_row(DipkgFormat format);

/// The row whose extensions include `ext` (with its dot: ".ttl"), or NULL.
const DipkgFormatRow *dipkg_format_row_for_extension(const char *ext);

#endif
