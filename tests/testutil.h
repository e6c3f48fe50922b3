/* Helpers shared by the Check suites.  Suites run from the repository root
 * (make check), so data paths are relative to it. */
#ifndef DIPKG_TESTUTIL_H
#define DIPKG_TESTUTIL_H

#include "dipkg.h"

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#define TU_ONTOLOGY "ontology"
#define TU_FACTS "facts"

/// An IRI namespace and the prefix tu_compact() writes for it.
typedef struct TuNamespace {
  const char *iri, *prefix;
} TuNamespace;

/// TSV results with the IRIs of the `n` namespaces written as prefixed
/// names (<https://example.org/dipkg/event/x> as event:x), so that expected
/// rows read as a person writes them (caller frees).  Exact otherwise.
char *tu_compact(const char *tsv, const TuNamespace *namespaces, size_t n);

/// Reads a whole file (NUL-terminated; caller frees), or NULL.
char *tu_read_file(const char *path, size_t *len);

/// Writes `content` to a file of that name in this process's scratch
/// directory and returns its path (static storage, valid until the next
/// call with the same slot).  Directories in `name` are created.
const char *tu_write(const char *name, const char *content);

/// The scratch directory of this process (created on first use, removed at
/// exit).
const char *tu_scratch(void);

/// A world with the shipped ontology whose diagnostics are captured.
/// Freed by tu_world_free().
DipkgWorld *tu_world(void);
void tu_world_free(DipkgWorld *world);

/// The diagnostics captured since the last tu_diags_clear(), one per line
/// as `dipkg_diagnostic_print` writes them.  Borrowed.
const char *tu_diags(void);
void tu_diags_clear(void);

/// Exports the files or directories `paths` (NULL-terminated) in `format`
/// with `jobs` threads (0: default) into a string (caller frees).  `*st`
/// receives the status.
char *tu_export(const char *const *paths, DipkgFormat format, unsigned jobs,
                DipkgStatus *st);

/// Validates `paths`; returns the status and leaves the diagnostics in
/// tu_diags().
DipkgStatus tu_validate(const char *const *paths);

/// Runs `cmd` with /bin/sh; captures standard output and error (caller
/// frees each; pass NULL to discard).  Returns the exit status, or -1.
int tu_run(const char *cmd, char **out, char **err);

/// The path of the dipkg executable under test ($DIPKG_EXE or ./dipkg).
const char *tu_exe(void);

/// Sorted, de-duplicated lines of `text` (caller frees), for comparing
/// graphs in N-Triples form.
char *tu_sorted_lines(const char *text);

/// Parses `path` with raptor (syntax by extension) and returns its
/// statements as canonical, sorted N-Triples lines (caller frees), with
/// graph names appended for quads.  NULL on a parse error.
char *tu_canonical(const char *path);

/// Checks that the file `expected_path` holds exactly `actual` (`what` names
/// it in the message, which shows the first line that differs).  With
/// DIPKG_UPDATE_EXPECTED=1 in the environment the file is written instead.
void tu_expect_file(const char *expected_path, const char *actual,
                    const char *what);

/// Sets the query policy of `store` for a test: the defaults, with
/// in_process when DIPKG_QUERY_IN_PROCESS=1 is in the environment (make
/// valgrind sets it, so that the queries' allocations are seen).
void tu_query_policy(DipkgStore *store);

/// Runs the suite and returns the process exit status (0 if all passed).
int tu_main(Suite *suite);

#endif
