/* Named limits: the bounds dipkg puts on its inputs and its resources, in
 * one place, so that a limit is changed once and the messages that state it
 * agree with it.  The thread bound is public (DIPKG_MAX_JOBS in dipkg.h),
 * because the command line checks --jobs against it.  (Not "limits.h": with
 * -Isrc that name would shadow the C library's <limits.h>.) */
#ifndef DIPKG_LIMIT_H
#define DIPKG_LIMIT_H

#include "dipkg.h"

enum {
  /// Worker threads of a run, at most (dipkg_world_set_jobs() clamps).
  DIPKG_LIMIT_JOBS = DIPKG_MAX_JOBS,
  /// Bytes of one facts file (YAML), at most.
  DIPKG_LIMIT_FACTS_FILE = 64 * 1024 * 1024,
  /// Bytes of one article text (`text:`), at most.
  DIPKG_LIMIT_TEXT_FILE = 64 * 1024 * 1024,
  /// Bytes of a query text (file, -e or standard input), at most.
  DIPKG_LIMIT_QUERY_TEXT = 64 * 1024 * 1024,
  /// Bytes of RDF read from standard input, at most (it is kept in memory:
  /// a load parses its inputs twice).
  DIPKG_LIMIT_STDIN_RDF = 512 * 1024 * 1024,
  /// Directory levels read below an input directory, at most.
  DIPKG_LIMIT_DIR_DEPTH = 64
};

#endif
