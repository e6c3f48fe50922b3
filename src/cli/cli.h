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
  bool with_ontology;  // export: add the ontology; query: in the default graph
  bool explain;        // query --explain
  int progress;  // --progress 1, --no-progress 0, else -1 (set by cli_parse)
  bool strict;   // --strict: curation warnings are errors
  bool allow_outside_text;   // --allow-outside-text
  const char *input_format;  // --input-format: the RDF syntax of "-"
  unsigned lock_wait;        // load --lock-wait SECONDS
  bool lock_wait_set;
  bool rebase;                // load --rebase
  const char *timeout;        // query --timeout SECONDS
  const char *memory_limit;   // query --memory-limit SIZE
  bool allow_service;         // query --allow-service
  bool closure;               // export --closure
  const char *endpoint;       // query --endpoint
  const char *graph_store;    // push --graph-store
  const char *user;           // push --user
  const char *password_file;  // push --password-file
  bool dry_run;               // push --dry-run
  bool post_form;             // query --endpoint --post-form
  const char *default_graph;  // query --default-graph union|merge
  const char **named_graphs;  // query --named-graph FILE, NULL-terminated
  size_t n_named_graphs;      // (owned)
} Options;

/// Prints diagnostics with the offending source line under each, and
/// progress (a line redrawn on a terminal, which a diagnostic clears
/// first; lines otherwise).
typedef struct Printer {
  bool brief;
  char *cached_file;
  char *cached;
  size_t cached_len;
  bool progress_terminal;  // redraw one line (else: a line per update)
  bool progress_shown;     // a progress line is on the terminal
  int progress_phase;      // the phase last drawn (-1: none yet)
  double progress_last;    // when it was drawn (seconds, monotonic)
} Printer;

/// What one command works with.
typedef struct Session {
  Options o;
  Printer printer;
  DipkgWorld *world;
  DipkgCorpus *corpus;  // facts inputs (NULL if none)
  const char **rdf;     // RDF inputs, NULL-terminated
  size_t n_rdf;
  const char *query_file;  // a *.rq argument, or "-" (standard input)
  bool data_on_stdout;     // the work writes to standard output as it goes
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

/// The progress callback: renders on standard error, at most every 0.1 s
/// on a terminal (every second otherwise) and at the end of each phase.
void cli_on_progress(void *user, DipkgPhase phase, uint64_t done,
                     uint64_t total);

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

/// Blocks SIGINT, SIGTERM and SIGHUP and starts the thread that receives
/// them: it removes the run's temporaries (dipkg_remove_temporaries()) and
/// ends the process with the signal.  Call first, before any thread.
void cli_signals_start(void);

/// Removes "--NAME VALUE" or "--NAME=VALUE" (NAME given with its dashes)
/// from argv, shrinking *argc, and returns VALUE (borrowed from argv), or
/// NULL if absent.  A last "--NAME" without a value sets *missing.  For a
/// command's own options, taken out before cli_parse().
const char *cli_take_option(int *argc, char **argv, const char *name,
                            bool *missing);

/// From now on SIGINT and SIGTERM do not end the process: the first one
/// wakes cli_signals_wait_stop() (a second one ends it as usual).
void cli_signals_catch_stop(void);

/// Waits for SIGINT or SIGTERM (after cli_signals_catch_stop()); returns
/// the signal.
int cli_signals_wait_stop(void);

/// Checks that standard output was written; returns `rc` or EXIT_SYSTEM.
int cli_finish_stdout(int rc);

/// Prints "dipkg VERSION" on standard output (-V, --version); returns the
/// exit status.
int cli_print_version(void);

/* The commands. */
int cmd_export(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_classes(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_push(int argc, char **argv);

/* Their help texts (main.c). */
extern const char cli_export_help[], cli_validate_help[], cli_stats_help[],
  cli_classes_help[], cli_load_help[], cli_query_help[], cli_serve_help[],
  cli_publish_help[], cli_push_help[];

#endif
