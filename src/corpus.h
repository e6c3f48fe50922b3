/* Running a command over a corpus: pass 1 indexes every id (files in
 * parallel, merged in input order), pass 2 checks and maps each file (in
 * parallel) and hands the results to the output in input order.  Only the
 * index and the list of files (a name and a 48-byte entry a file, the
 * directory prefixes stored once) live for the whole run; each file's facts
 * and path are dropped once its statements are out. */
#ifndef DIPKG_CORPUS_H
#define DIPKG_CORPUS_H

#include "sink.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/// Where a run's statements go.
typedef enum DipkgRunMode {
  DIPKG_RUN_CHECK,   // nowhere: validation
  DIPKG_RUN_STREAM,  // a writer format, into `stream`
  DIPKG_RUN_SINK     // one shared sink, fed by the calling thread
} DipkgRunMode;

typedef struct DipkgRunSpec {
  DipkgRunMode mode;
  DipkgFormat format;  // DIPKG_RUN_STREAM: a streaming format (format.h)
  FILE *stream;        // DIPKG_RUN_STREAM
  uint64_t *written;   // DIPKG_RUN_STREAM, optional: += the bytes written
  DipkgSink *sink;     // DIPKG_RUN_SINK
  bool count;          // DIPKG_RUN_CHECK: map to count the statements
} DipkgRunSpec;

/// Runs `spec` over the corpus.  Diagnostics are delivered through the
/// world.  Returns DIPKG_ERR_DATA if the facts have errors (statements may
/// have been produced before the first error was known), or another status
/// for failures.  `stats` as in the public API.
DipkgStatus dipkg_corpus_run(DipkgCorpus *corpus, const DipkgRunSpec *spec,
                             DipkgStats **stats);

/// Whether `path` names (through any link, or as a hard link) a regular
/// file that is one of the corpus's input files or the world's ontology:
/// a write path must refuse it.  `*name` receives the input's name as the
/// user gave it (borrowed from the corpus, valid until its next call, or
/// from the world).  Same file means same device and inode, not the same
/// name.
bool dipkg_corpus_is_input(DipkgCorpus *corpus, const char *path,
                           const char **name);

/// Writes an export's bytes into `stream`, adding their number to
/// `*written`; returns a status (DIPKG_ERR_IO for a failed write).
typedef DipkgStatus (*DipkgExportWrite)(void *user, FILE *stream,
                                        uint64_t *written);

/// The output side of every export of `corpus`: refuses an output that is
/// one of the inputs, opens `path` (NULL: standard output; gzip-compressed
/// when the name ends in ".gz", dipkg_output_flags_for()), has `write` fill
/// it, then commits it, or on failure removes it (or says how much of
/// standard output is incomplete).  Diagnostics go to the world.
DipkgStatus dipkg_corpus_export_to(DipkgCorpus *corpus, const char *path,
                                   DipkgExportWrite write, void *user);

/// The world `corpus` was made with (borrowed).
DipkgWorld *dipkg_corpus_world(const DipkgCorpus *corpus);

#endif
