/* Opening input files safely: everything dipkg reads (facts files, article
 * texts, RDF inputs, the ontology) is checked before it is opened, so that
 * a FIFO, a device or a socket given as an input is refused with a message
 * instead of blocking the run forever or acting on a device. */
#ifndef DIPKG_INPUT_H
#define DIPKG_INPUT_H

#include "arena.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <zlib.h>

/// How messages name standard input (given as "-").
#define DIPKG_STDIN_NAME "<stdin>"

/* dipkg_file_kind() is public (dipkg.h): the CLI names files the same way. */

/// Opens the regular file `path` for reading.  It is checked with stat()
/// first (anything but a regular file is refused without being opened),
/// opened without blocking and checked again on the open descriptor (a file
/// swapped for a FIFO in between is refused too).  On success `*fd`
/// receives the descriptor (blocking again; the caller closes it) and
/// `*sb` its status.  On failure an error "`what`: REASON" about `display`
/// goes to `diags` and DIPKG_ERR_IO is returned.
DipkgStatus dipkg_input_open(const char *path, const char *display,
                             const char *what, DipkgDiagList *diags, int *fd,
                             struct stat *sb);

/// Reads the regular file `path` whole into `arena` (NUL-terminated),
/// refusing files larger than `max` bytes (DIPKG_ERR_LIMIT) and anything
/// that is not a regular file (DIPKG_ERR_IO; see dipkg_input_open()).  A
/// name ending in .gz is decompressed (at most `max` bytes once
/// decompressed; bad gzip data is DIPKG_ERR_DATA).  Problems become
/// diagnostics about `display`.  `*sb`, if `sb` is not NULL, receives the
/// file's status as it was read.
DipkgStatus dipkg_input_read(const char *path, const char *display, size_t max,
                             DipkgArena *arena, DipkgDiagList *diags,
                             char **data, size_t *len, struct stat *sb);

/// Whether `path` names a gzip file (ends in .gz).
bool dipkg_input_is_gzip(const char *path);

/// Reads up to `n` bytes of the gzip stream `gz` into `buf`: the count, 0
/// at its end, or -1 on an error, with `*why` (in `why_buf`, `size` bytes,
/// or static) and `*status` set: DIPKG_ERR_IO when reading failed,
/// DIPKG_ERR_DATA for data that is corrupt, truncated or not gzip at all
/// (zlib would pass the last two).  `*checked` starts false.
long dipkg_input_gz_read(gzFile gz, char *buf, size_t n, bool *checked,
                         char *why_buf, size_t size, const char **why,
                         DipkgStatus *status);

/// A 64-bit hash of `len` bytes, for noticing that a file's content
/// changed (not cryptographic: it detects accidents, not adversaries).
uint64_t dipkg_input_hash(const void *data, size_t len);

#endif
