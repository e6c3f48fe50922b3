/* Diagnostics collected per file, then delivered in a deterministic order
 * through the world's callback (see corpus.c). */
#ifndef DIPKG_DIAG_H
#define DIPKG_DIAG_H

#include "dipkg.h"

#include <stdbool.h>
#include <stddef.h>

/// A location in a source file: 1-based line and column (characters), and
/// how many characters the offending text spans on that line.
typedef struct DipkgLoc {
  unsigned line;
  unsigned col;
  unsigned width;
} DipkgLoc;

typedef struct DipkgDiagEntry {
  DipkgSeverity severity;
  DipkgStatus status;
  const char *file;  // a copy, in the message's block (or NULL)
  DipkgLoc loc;
  char *message;  // owned
  size_t seq;     // insertion order, for a stable sort
} DipkgDiagEntry;

/// An ordered list of diagnostics.  Zero-initialise, free with
/// dipkg_diag_list_clear().
typedef struct DipkgDiagList {
  DipkgDiagEntry *items;
  size_t n;
  size_t cap;
  unsigned errors;
  unsigned warnings;
  bool oom;     // a diagnostic was lost for lack of memory
  bool strict;  // warnings are recorded as errors (--strict)
} DipkgDiagList;

/// Appends a diagnostic (`file` is copied); in a strict list a warning is
/// recorded as an error.  A NOTE attaches to
/// the diagnostic before it and moves with it when the list is sorted.
void dipkg_diag_add(DipkgDiagList *list, DipkgSeverity severity,
                    DipkgStatus status, const char *file, DipkgLoc loc,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/// Shorthand for an error with status DIPKG_ERR_DATA.
#define dipkg_diag_error(list, file, loc, ...)                                 \
  dipkg_diag_add((list), DIPKG_SEVERITY_ERROR, DIPKG_ERR_DATA, (file), (loc),  \
                 __VA_ARGS__)
#define dipkg_diag_warning(list, file, loc, ...)                               \
  dipkg_diag_add((list), DIPKG_SEVERITY_WARNING, DIPKG_ERR_DATA, (file),       \
                 (loc), __VA_ARGS__)
#define dipkg_diag_note(list, file, loc, ...)                                  \
  dipkg_diag_add((list), DIPKG_SEVERITY_NOTE, DIPKG_ERR_DATA, (file), (loc),   \
                 __VA_ARGS__)

/// Sorts: the diagnostics about `main_file` first, by line and column, then
/// those about other files (such as an article's text), by file name and
/// position; notes stay after their diagnostic, equal positions keep their
/// insertion order.
void dipkg_diag_sort(DipkgDiagList *list, const char *main_file);

/// Moves every entry of `from` to the end of `to`.
void dipkg_diag_move(DipkgDiagList *to, DipkgDiagList *from);

/// Frees the entries; the list is then empty and reusable.
void dipkg_diag_list_clear(DipkgDiagList *list);

/// Appends a quoted, escaped rendering of `len` bytes of `s` to `buf`, cut
/// to about `max` bytes with "..." (for messages).  Control characters and
/// invalid UTF-8 are shown as \xNN.
struct DipkgBuf;
void dipkg_diag_quote(struct DipkgBuf *buf, const char *s, size_t len,
                      size_t max);

/// The same, into a static thread-local buffer: valid until the next call
/// in the same thread with the same `slot` (0..3).
const char *dipkg_diag_q(int slot, const char *s, size_t len);

#endif
