/* The command-line front end's shared pieces.  The front end only calls
 * the public API (include/dipkg.h); this header is private to it. */
#ifndef DIPKG_CLI_H
#define DIPKG_CLI_H

#include "dipkg.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/// Exit statuses: 0 success.
enum { EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_SYSTEM = 3 };

typedef struct Options {
  const char *format;
  const char *output;
  const char *base;
  const char *ontology;
  const char *store;
  const char *expression;  // query -e
  const char **bindings;   // query --bind, NULL-terminated (owned)
  size_t n_bindings;
  unsigned jobs;
  unsigned max_errors;
  bool max_errors_set;
  bool brief;
  bool quiet;
  bool no_closure;
  bool with_ontology;
  bool explain;  // query --explain
} Options;

/// Prints diagnostics with the offending source line under each.
typedef struct Printer {
  bool brief;
  char *cached_file;
  char *cached;
  size_t cached_len;
} Printer;

/// What one command works with.
typedef struct Session {
  Options o;
  Printer printer;
  DipkgWorld *world;
  DipkgCorpus *corpus;  // facts inputs (NULL if none)
  const char **rdf;     // RDF inputs, NULL-terminated
  size_t n_rdf;
  const char *query_file;  // a *.rq argument
} Session;

/// What a command accepts as arguments.
enum {
  ARGS_FACTS = 1,       // facts files and directories
  ARGS_RDF = 2,         // RDF files (by extension)
  ARGS_QUERY_FILE = 4,  // one *.rq / *.sparql file
  ARGS_REQUIRED = 8     // at least one input
};

/// The diagnostic callback: the located message, then the source line
/// with a caret under the offending text (unless the printer is brief).
void cli_on_diagnostic(void *user, const DipkgDiagnostic *d);

/// Prints "dipkg: MESSAGE" and a hint, returns EXIT_USAGE.
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/// Parses the options of a command; returns -1 to go on, or an exit status
/// (0 after --help).
int cli_parse(int argc, char **argv, Options *o, const char *help);

/// Sets the session up: world (diagnostics, base, jobs, limits, ontology),
/// and the inputs sorted into facts and RDF files.  Returns -1 to go on, or
/// an exit status.
int cli_setup(Session *s, int nargs, char **args, unsigned accepts);

/// Frees what cli_setup() made.
void cli_teardown(Session *s);

/// The exit status of a library status.
int cli_exit_code(DipkgStatus st);

/// "1 article", "2 articles".
const char *cli_counted(uint64_t n, const char *noun, char *buf, size_t size);

/// "1 article, 25 events, 27 entities".
void cli_print_counts(FILE *f, const DipkgStats *stats);

/// The counts table of `stats` (`store`: graphs instead of files).
void cli_print_stats(FILE *out, const DipkgStats *stats, bool store);

/// Checks that standard output was written; returns `rc` or EXIT_SYSTEM.
int cli_finish_stdout(int rc);

/* The commands. */
int cmd_export(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_classes(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_query(int argc, char **argv);

/* Their help texts (main.c). */
extern const char cli_export_help[], cli_validate_help[], cli_stats_help[],
  cli_classes_help[], cli_load_help[], cli_query_help[];

#endif
