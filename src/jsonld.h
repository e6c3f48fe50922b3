/* JSON-LD: graphs in memory written as compact, readable JSON-LD 1.1 on
 * Jansson, with dipkg's @context (the prefixes of the vocabularies and of
 * the data), and schema.org JSON-LD for the HTML pages. */
#ifndef DIPKG_JSONLD_H
#define DIPKG_JSONLD_H

#include "buf.h"
#include "dipkg.h"

#include <stdio.h>

/// Writes `g` to `out` as one JSON-LD document: {"@context": {...},
/// "@graph": [...]}, one node object per subject (subject order), "@type"
/// for rdf:type, compact IRIs where a prefix applies, plain strings for
/// xsd:string literals.  DIPKG_ERR_IO if writing failed.
DipkgStatus dipkg_jsonld_write(const DipkgGraph *g, FILE *out);

/// Appends the same document to `buf`, with "/" escaped so that it can be
/// embedded in an HTML <script> element.
DipkgStatus dipkg_jsonld_append(const DipkgGraph *g, DipkgBuf *buf,
                                int for_html);

/// Appends dipkg's @context document ({"@context": {...}}) for `world`.
DipkgStatus dipkg_jsonld_context(const DipkgWorld *world, DipkgBuf *buf);

/// The document writer of the output-format table's JSON-LD row
/// (format.c): statements gathered into a graph, written at the end.
struct DipkgDocWriter;
extern const struct DipkgDocWriter dipkg_jsonld_writer;

/// The same for a dataset (the portable export): the default graph's node
/// objects first, then one {"@id": G, "@graph": [...]} per named graph G,
/// in the order the graphs began; a graph begun twice is one graph.
extern const struct DipkgDocWriter dipkg_jsonld_dataset_writer;

#endif
