/* Writers of query results: the W3C SPARQL 1.1 result formats (CSV, TSV,
 * JSON, XML), an aligned table for people, and Turtle or N-Triples for
 * CONSTRUCT.  dipkg writes these itself rather than trusting rasqal's
 * writers, so that each can be checked against its specification. */
#ifndef DIPKG_RESULTS_H
#define DIPKG_RESULTS_H

#include "diag.h"
#include "dipkg.h"
#include "sink.h"
#include "vocab.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct DipkgResults DipkgResults;

/// A writer of `format` to `out` (borrowed).  `prefixes` (Turtle and the
/// table) abbreviate IRIs.  NULL when out of memory.
DipkgResults *dipkg_results_new(DipkgResultFormat format, FILE *out,
                                const DipkgPrefix *prefixes);

/// The format the answer of a query is written in: `*format` as asked,
/// with DIPKG_RESULTS_DEFAULT made CSV for a table and Turtle for a graph
/// (`graph`: CONSTRUCT or DESCRIBE), and TABLE made Turtle for a graph.  A
/// graph format (Turtle, N-Triples, JSON-LD) for a table, or a table format
/// for a graph, is DIPKG_ERR_USAGE with a diagnostic (file `name`) naming
/// the formats that fit.
DipkgStatus dipkg_results_fit_format(DipkgResultFormat *format, bool graph,
                                     const char *name, DipkgDiagList *diags);

/// Variable bindings: the names (without '?'), then rows of `n` values
/// (NULL for unbound), then the end.
DipkgStatus dipkg_results_head(DipkgResults *r, const char *const *names,
                               size_t n);
DipkgStatus dipkg_results_row(DipkgResults *r, const DipkgTerm *const *values);

/// An ASK answer.
DipkgStatus dipkg_results_boolean(DipkgResults *r, bool value);

/// A CONSTRUCT graph: its statements.
DipkgStatus dipkg_results_statement(DipkgResults *r, const DipkgTerm *s,
                                    const DipkgTerm *p, const DipkgTerm *o);

/// Finishes the document (the table is written here: it needs the widths
/// of all rows).  DIPKG_ERR_IO if writing failed.
DipkgStatus dipkg_results_end(DipkgResults *r);

/// Rows (or statements) written so far.
uint64_t dipkg_results_count(const DipkgResults *r);

/// Frees the writer.  NULL is a no-op.
void dipkg_results_free(DipkgResults *r);

#endif
