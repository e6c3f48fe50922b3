/* Query execution: the query engine runs in a child process (or, when the
 * policy says so, in this one) under the limits of a DipkgQueryPolicy; its
 * output goes to a spool file and is copied out only when it completes.
 * The child protocol, the spool, the limits and what a signal does to the
 * child live here, so that store.c only says what to run. */
#ifndef DIPKG_EXEC_H
#define DIPKG_EXEC_H

#include "diag.h"
#include "dipkg.h"

#include <stdint.h>
#include <stdio.h>

/// The work to run: writes its output to `spool` (borrowed), its problems
/// to `diags` and the number of rows (or statements) written to `*rows`.
typedef DipkgStatus (*DipkgExecWork)(void *user, FILE *spool,
                                     DipkgDiagList *diags, uint64_t *rows);

/// Runs `work(user, ...)` under `policy`: in a child process unless
/// `policy->in_process`, with the policy's time and memory limits, and its
/// output spooled in a temporary file (in $TMPDIR, else /tmp; unlinked as
/// soon as it is made, so that nothing is left behind however the process
/// ends).  Only when the work completes is its output copied to `out`.
/// The child dies with the calling thread (PR_SET_PDEATHSIG), is killed by
/// dipkg_remove_temporaries(), and dies of SIGINT, SIGTERM and SIGHUP even
/// when the caller blocks them.  Diagnostics, named `name`, are appended to
/// `diags` (caller owns them).  DIPKG_ERR_QUERY_LIMIT when a limit stopped
/// the work, DIPKG_ERR_QUERY_FAILED when the child crashed, DIPKG_ERR_IO
/// when the spool cannot be made, written or copied out, else the work's
/// own status.  `*rows` receives the work's count (0 on failure).
DipkgStatus dipkg_exec_run(const DipkgQueryPolicy *policy, const char *name,
                           DipkgExecWork work, void *user, FILE *out,
                           DipkgDiagList *diags, uint64_t *rows);

/// A new spool file in $TMPDIR (else /tmp), unlinked as soon as it is made
/// (the caller closes `*out` with fclose()).  On failure `*out` is NULL, a
/// diagnostic naming the directory and the remedy goes to `diags`, and
/// DIPKG_ERR_IO (or DIPKG_ERR_NO_MEMORY) is returned.
DipkgStatus dipkg_exec_spool_open(DipkgDiagList *diags, FILE **out);

/// Copies the whole of `spool` (rewound first) to `out` and flushes `out`.
/// DIPKG_ERR_IO with a diagnostic in `diags` when reading or writing fails.
DipkgStatus dipkg_exec_spool_copy(FILE *spool, FILE *out, DipkgDiagList *diags);

#endif
