/* Atomic output: a file is written under a temporary name in the same
 * directory and renamed over the target only when complete; standard
 * output is spooled and copied only on success.  So a failed run leaves
 * an earlier good output intact and never prints half a graph. */
#ifndef DIPKG_OUTPUT_H
#define DIPKG_OUTPUT_H

#include "diag.h"

#include <stdio.h>

typedef struct DipkgOutput {
  FILE *fp;          // where to write
  char *tmp_path;    // the temporary file (NULL for stdout)
  const char *path;  // the target, or NULL for stdout
} DipkgOutput;

/// Opens the temporary output for `path` (NULL: standard output).
/// Problems become diagnostics; returns DIPKG_ERR_IO.
DipkgStatus dipkg_output_open(DipkgOutput *out, const char *path,
                              DipkgDiagList *diags);

/// Flushes, syncs and renames (or copies the spool to standard output).
/// On failure the target is untouched and the temporary file removed.
DipkgStatus dipkg_output_commit(DipkgOutput *out, DipkgDiagList *diags);

/// Discards the output: closes and removes the temporary file.
void dipkg_output_abort(DipkgOutput *out);

#endif
