/* Named limits: the bounds dipkg puts on its inputs and its resources, in
 * one place, so that a limit is changed once and the messages that state it
 * agree with it.  The bounds the command line needs too are public
 * (DIPKG_MAX_* in dipkg.h: it checks --jobs, reads query texts and quotes
 * facts files) and named here after them.  (Not "limits.h": with
 * -Isrc that name would shadow the C library's <limits.h>.) */
#ifndef DIPKG_LIMIT_H
#define DIPKG_LIMIT_H

#include "dipkg.h"

enum {
  /// Worker threads of a run, at most (dipkg_world_set_jobs() clamps).
  DIPKG_LIMIT_JOBS = DIPKG_MAX_JOBS,
  /// Bytes of one facts file (YAML), at most.
  DIPKG_LIMIT_FACTS_FILE = DIPKG_MAX_FACTS_FILE,
  /// Bytes of one article text (`text:`), at most.
  DIPKG_LIMIT_TEXT_FILE = 64 * 1024 * 1024,
  /// Bytes of a query text (file, -e or standard input), at most.
  DIPKG_LIMIT_QUERY_TEXT = DIPKG_MAX_QUERY_TEXT,
  /// Bytes of RDF read from standard input, at most (it is kept in memory:
  /// a load parses its inputs twice).
  DIPKG_LIMIT_STDIN_RDF = 512 * 1024 * 1024,
  /// Directory levels read below an input directory, at most.
  DIPKG_LIMIT_DIR_DEPTH = 64,
  /// YAML: nesting levels, bytes of one scalar, aliases and nodes of one
  /// document, at most (the parser's defaults).
  DIPKG_LIMIT_YAML_DEPTH = 64,
  DIPKG_LIMIT_YAML_SCALAR = 1024 * 1024,
  DIPKG_LIMIT_YAML_ALIASES = 64,
  DIPKG_LIMIT_YAML_NODES = 4 * 1024 * 1024,
  /// Bytes of an HTTP reply (a remote endpoint's answer), at most.
  DIPKG_LIMIT_HTTP_REPLY = 1 << 30,
  /// The server: bytes of a request body (a POSTed query or form), of the
  /// request line and headers, and of the request target, at most.
  DIPKG_LIMIT_REQUEST_BODY = 1 << 20,
  DIPKG_LIMIT_REQUEST_HEADERS = 64 << 10,
  DIPKG_LIMIT_REQUEST_URL = 16 << 10,
  /// The work of one evaluation of a property path (statements read, nodes
  /// reached, solutions), at most: over it the query fails (see
  /// path_eval.h), never a part of the answer.
  DIPKG_LIMIT_PATH_WORK = 5 * 1000 * 1000,
  /// A query's nesting, at most: brackets ("(", "[", "{") open at once,
  /// and the operators of one property path nested in each other (a
  /// sequence or alternative of N steps nests N - 1 deep).  The rewrites
  /// and the path evaluator recurse once per level.
  DIPKG_LIMIT_QUERY_NESTING = 256
};

#endif
