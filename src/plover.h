/* PLOVER records: the events of a graph in memory written as newline-
 * delimited JSON, one PLOVER record per event, for political-science tools
 * that read machine-coded event data (the PLOVER manual's "Data Fields"
 * chapter: id, date, actor, recipient, event, mode, context, event_text,
 * cite_info ...).  Not RDF: the graph the mapper made is read back, event
 * by event, and each event becomes one line. */
#ifndef DIPKG_PLOVER_H
#define DIPKG_PLOVER_H

#include "buf.h"
#include "dipkg.h"

#include <stdio.h>

/// Appends one PLOVER record (one line of compact JSON, keys in a fixed
/// order) per event of `g` that has a PLOVER type, in the order of the
/// events' IRIs, to `buf` (owned by the caller).  Events whose class PLOVER
/// does not code (a Statement: PLOVER dropped CAMEO's 01) are left out.
/// DIPKG_ERR_NO_MEMORY when an allocation failed (`buf` then holds part).
DipkgStatus dipkg_plover_append(const DipkgGraph *g, DipkgBuf *buf);

/// Writes the same records to `out` (borrowed).  DIPKG_ERR_IO if writing
/// failed.
DipkgStatus dipkg_plover_write(const DipkgGraph *g, FILE *out);

/// The document writer of the output-format table's PLOVER row (format.c):
/// statements gathered into a graph, the records written at the end.
struct DipkgDocWriter;
extern const struct DipkgDocWriter dipkg_plover_writer;

#endif
