/* Running SPARQL with rasqal and Redland: the syntax check (rasqal, with
 * located messages), execution over a model, and the conversion of
 * Redland's results into the result writers' terms. */
#ifndef DIPKG_QUERY_H
#define DIPKG_QUERY_H

#include "diag.h"
#include "model.h"
#include "results.h"
#include "sparql.h"

/// Parses the query with rasqal, and records its projected variables in
/// `q` (Redland gives no names when there are no rows).  A syntax error
/// becomes a diagnostic at its line (and the column of the offending token
/// where it can be found) in the query as written, and DIPKG_ERR_QUERY.
DipkgStatus dipkg_query_check(DipkgSparql *q, const char *name,
                              DipkgDiagList *diags);

/// Runs the prepared query over `model`, writing to `results`.
/// DIPKG_ERR_QUERY_FAILED (with the engine's messages) if it fails.
DipkgStatus dipkg_query_run(DipkgModel *model, const DipkgSparql *q,
                            const char *name, DipkgResults *results,
                            DipkgDiagList *diags);

#endif
