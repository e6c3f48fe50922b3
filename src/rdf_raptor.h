/* The raptor2 boundary: parsing RDF files into DipkgTerm statements, and the
 * RDF/XML serializer.  Apart from the Redland wrappers (model.c, query.c,
 * read_storage.c) and the term converter (rdf_term.h), no other module
 * includes raptor's headers. */
#ifndef DIPKG_RDF_RAPTOR_H
#define DIPKG_RDF_RAPTOR_H

#include "diag.h"
#include "dipkg.h"
#include "sink.h"
#include "vocab.h"

#include <stdio.h>

/// Called for each parsed statement; `g` is NULL outside named graphs.
/// Return non-zero status to stop the parse with that status.
typedef DipkgStatus (*DipkgStatementFunc)(void *user, const DipkgTerm *s,
                                          const DipkgTerm *p,
                                          const DipkgTerm *o,
                                          const DipkgTerm *g);

/// Parses the RDF file at `path` with raptor ("-": standard input, read
/// once and kept for later parses, named DIPKG_STDIN_NAME in messages).
/// `syntax` is a raptor parser name ("turtle", "ntriples", "nquads",
/// "rdfxml", "trig"), or NULL when the caller could not tell it (then a
/// usage error that says how to name it; the syntax of a file name is
/// dipkg_rdf_syntax_for_path(), from the format table, which stays above
/// this module).  Syntax errors become located diagnostics in `diags`
/// (with `display` as the file name) and DIPKG_ERR_DATA.
DipkgStatus dipkg_rdf_parse_file(const char *path, const char *display,
                                 const char *syntax, DipkgStatementFunc fn,
                                 void *user, DipkgDiagList *diags);

/// The raptor parser name of an RDF syntax named by the user ("turtle",
/// "ttl", "ntriples", "nt", "nquads", "nq", "rdfxml", "rdf", "xml",
/// "trig"), or NULL.
const char *dipkg_rdf_syntax_from_name(const char *name);

/// A sink that serializes RDF/XML (raptor's "rdfxml-abbrev") to `stream`.
/// It holds the statements until dipkg_rdfxml_sink_finish().
typedef struct DipkgRdfxmlSink DipkgRdfxmlSink;

/// A new RDF/XML sink writing to `stream` (borrowed) with the given
/// namespace prefixes (NULL-terminated array, borrowed).  NULL on failure.
DipkgRdfxmlSink *dipkg_rdfxml_sink_new(FILE *stream,
                                       const DipkgPrefix *prefixes);
/// The sink interface of `x`.
DipkgSink *dipkg_rdfxml_sink_base(DipkgRdfxmlSink *x);
/// Writes the document out.  DIPKG_ERR_RDF on a serializer failure.
DipkgStatus dipkg_rdfxml_sink_finish(DipkgRdfxmlSink *x);
/// Frees the sink.  NULL is a no-op.
void dipkg_rdfxml_sink_free(DipkgRdfxmlSink *x);

#endif
