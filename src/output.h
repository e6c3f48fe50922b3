/* Where an export's bytes go, safely.  Three kinds of target:
 *
 * - a regular file, or a name that does not exist yet: written under a
 *   temporary name beside the target (".NAME.tmp-PID-XXXXXX", registered
 *   with temp.h so that SIGINT/SIGTERM/SIGHUP remove it), synced, and
 *   renamed over the target only when complete, keeping the existing
 *   file's mode (and owner where allowed).  A symbolic link is followed:
 *   the file it names is replaced, the link stays.
 * - anything else that exists (a FIFO, /dev/null, /dev/stdout, a terminal,
 *   a character device): written straight into, never replaced; the bytes
 *   are spooled first so that nothing is written unless the run succeeded.
 * - standard output (no path): streamed, as the writer produces them.
 *
 * An output may be gzip-compressed (deterministic: no name, no time in the
 * header, so equal input gives byte-identical files). */
#ifndef DIPKG_OUTPUT_H
#define DIPKG_OUTPUT_H

#include "diag.h"
#include "temp.h"

#include <stdbool.h>
#include <stdio.h>

/// Options of dipkg_output_open().
enum {
  DIPKG_OUTPUT_GZIP = 1  ///< compress with gzip
};

typedef struct DipkgGzip DipkgGzip;

typedef struct DipkgOutput {
  FILE *fp;             // where the writer writes (the gzip stream if any)
  FILE *file;           // the temporary file, the spool, or stdout
  DipkgGzip *gz;        // the compressor behind `fp`, or NULL
  const char *display;  // the target as the user named it (borrowed)
  char *target;         // the target with links followed (owned), or NULL
  char *tmp_path;       // the temporary file (owned), or NULL
  DipkgTemp *temp;      // its registration
  int direct_fd;        // a non-regular target, opened; -1 otherwise
} DipkgOutput;

/// Opens an output for `path` (NULL: standard output).  Before creating a
/// temporary, removes the stale temporaries of `path` left by dipkg runs
/// that were killed (their process is gone), with a note in `diags`.
/// Problems become diagnostics in `diags`; returns DIPKG_ERR_IO (or
/// DIPKG_ERR_NO_MEMORY).  On failure nothing is left to release.
DipkgStatus dipkg_output_open(DipkgOutput *out, const char *path,
                              unsigned flags, DipkgDiagList *diags);

/// The flags an output named `path` takes (NULL: standard output): gzip
/// when the name ends in ".gz".
unsigned dipkg_output_flags_for(const char *path);

/// Finishes the output: flushes (and ends the gzip stream), then syncs and
/// renames the temporary over the target, or copies the spool into a
/// non-regular target, or flushes standard output.  On failure a file
/// target is untouched and the temporary removed.  Releases `out` always.
DipkgStatus dipkg_output_commit(DipkgOutput *out, DipkgDiagList *diags);

/// Reports a failed write into `out->fp` (errno value `err`): names the
/// target, or the spool and TMPDIR when the bytes were going to a spool.
/// Returns DIPKG_ERR_IO.
DipkgStatus dipkg_output_write_error(const DipkgOutput *out,
                                     DipkgDiagList *diags, int err);

/// Discards the output: removes the temporary file (standard output
/// cannot take back what was streamed).  Releases `out`.
void dipkg_output_abort(DipkgOutput *out);

/// The directory spool files go to: $TMPDIR when set and not empty, else
/// "/tmp" (borrowed from the environment or static).
const char *dipkg_spool_dir(void);

/// A new spool: a temporary file in dipkg_spool_dir(), already unlinked
/// (it vanishes when closed or when the process dies), open for reading
/// and writing.  The caller closes it with fclose().  NULL on failure, with
/// a diagnostic in `diags` that names the directory and the remedy
/// ("cannot create a spool file in /tmp: No space left on device; set
/// TMPDIR to a directory with room").
FILE *dipkg_spool_open(DipkgDiagList *diags);

/// Adds the diagnostic for a failed write to a spool (errno value `err`),
/// naming the directory and the remedy.  Returns DIPKG_ERR_IO.
DipkgStatus dipkg_spool_error(DipkgDiagList *diags, int err);

#endif
