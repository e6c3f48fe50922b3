/*
 * dipkg: curated facts about diplomatic events -> RDF knowledge graph.
 *
 * This is the only public header.  All types are opaque; every function
 * documents who owns what it returns.  Ownership rule for the whole API:
 * a function never takes ownership of its arguments; whatever a `*_new`
 * returns is freed by the matching `*_free`, and every `*_free(NULL)` is a
 * no-op.  Strings returned as `const char *` are borrowed and stay valid
 * as long as the object they came from.
 *
 * Errors: functions return a DipkgStatus.  Problems in the input are
 * reported as diagnostics (file, line, column, message) through the
 * callback installed with dipkg_world_set_diagnostic_func(); the library
 * never prints anything itself.
 *
 * Threads.  Objects are not locked: one object (a world and what was made
 * from it: corpora, stores) is used by one thread at a time; distinct
 * worlds may be used by distinct threads at once.  Functions without an
 * object (dipkg_strerror, dipkg_format_from_name, dipkg_query_policy_init,
 * dipkg_diagnostic_print, dipkg_rdf_syntax_for_path, dipkg_file_kind) may
 * be called from any thread.  dipkg_remove_temporaries() may be called
 * from any thread while others run (that is its purpose).  A world's jobs
 * (dipkg_world_set_jobs) are threads the library starts and joins within
 * one call.
 *
 * Child processes.  dipkg_store_query() runs the query engine in a child
 * process made with fork() (unless the store's DipkgQueryPolicy says
 * in_process), so that a crash of the engine, or a query past its time or
 * memory limit, cannot take the host down.  What that means for a host:
 *  - stdio: the library calls fflush(NULL) before fork(), so that buffered
 *    output is not written twice; a host writing through its own buffers
 *    (not stdio) must flush them before calling dipkg_store_query().
 *  - threads: the child is a copy of the calling thread only.  It uses
 *    only the library and Redland (and malloc), never a lock of the host;
 *    but a lock another thread of the host held at the fork stays held in
 *    the child forever.  Hosts whose other threads hold locks inside
 *    functions the library calls (malloc replacements, custom allocators)
 *    should use in_process, or query from a process of their own.
 *  - signals: the child unblocks SIGINT, SIGTERM and SIGHUP and gives them
 *    their default action; it is killed when the thread that called
 *    dipkg_store_query() ends (PR_SET_PDEATHSIG on Linux) and by
 *    dipkg_remove_temporaries().  The caller waits for it (waitpid on its
 *    own pid only: a SIGCHLD handler of the host that reaps every child
 *    with waitpid(-1, ...) would take that status away).
 *  - in_process: no child, no fork; then no time or memory limit either,
 *    and an engine crash is a crash of the host.
 * dipkg_store_load, dipkg_store_stats and everything else run in the
 * calling process.
 */
#ifndef DIPKG_H
#define DIPKG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Version of the library and of the tool, as "MAJOR.MINOR.PATCH".
#define DIPKG_VERSION "0.1.0"

/// Namespace of the dipkg ontology (ontology/dip.ttl).
#define DIPKG_NS "https://w3id.org/dipkg/ns#"

/// Default base IRI for minted data IRIs ({base}event/{id}, ...).
#define DIPKG_DEFAULT_BASE "https://example.org/dipkg/"

/// Outcome of an operation.  dipkg_strerror() gives a sentence for each.
typedef enum DipkgStatus {
  DIPKG_SUCCESS = 0,    ///< Done.
  DIPKG_ERR_DATA,       ///< The input facts are invalid; diagnostics say where.
  DIPKG_ERR_USAGE,      ///< An argument or option is invalid.
  DIPKG_ERR_IO,         ///< A file could not be read or written.
  DIPKG_ERR_NO_MEMORY,  ///< An allocation failed.
  DIPKG_ERR_ONTOLOGY,   ///< The ontology is missing or malformed.
  DIPKG_ERR_RDF,        ///< The RDF library (raptor/Redland) failed.
  DIPKG_ERR_LIMIT,      ///< An input exceeded a safety limit.
  DIPKG_ERR_INTERNAL,   ///< A bug in dipkg.
  DIPKG_ERR_QUERY,  ///< A query is invalid, or uses what the engine cannot run.
  DIPKG_ERR_QUERY_FAILED,  ///< A valid query failed while running.
  DIPKG_ERR_STORE,       ///< A store cannot be opened, or is not a dipkg store.
  DIPKG_ERR_QUERY_LIMIT  ///< A query exceeded its time or memory limit.
} DipkgStatus;

/// A static, English sentence describing `status`; never NULL.
const char *dipkg_strerror(DipkgStatus status);

/// How serious a diagnostic is.  Only errors make a run fail.
typedef enum DipkgSeverity {
  DIPKG_SEVERITY_ERROR,
  DIPKG_SEVERITY_WARNING,
  DIPKG_SEVERITY_NOTE  ///< Additional information attached to the previous one.
} DipkgSeverity;

/// One located problem.  All pointers are borrowed for the duration of the
/// callback only.  `line` and `col` are 1-based (0 when the problem concerns
/// a whole file); `col` counts characters, not bytes.  `width` is the number
/// of characters the problem spans on its line (0 if unknown).
typedef struct DipkgDiagnostic {
  DipkgSeverity severity;
  DipkgStatus status;
  const char *file;  ///< The file as the user named it, or NULL.
  unsigned line;
  unsigned col;
  unsigned width;
  const char *message;  ///< Without location or severity prefix.
} DipkgDiagnostic;

/// Receives diagnostics, in a deterministic order (input order of the files,
/// then position in the file).
typedef void (*DipkgDiagnosticFunc)(void *user, const DipkgDiagnostic *diag);

/// Writes `diag` as "file:line:col: severity: message\n" to `stream`.
void dipkg_diagnostic_print(const DipkgDiagnostic *diag, FILE *stream);

/* ------------------------------------------------------------------ */
/* Interruption.                                                       */

/// Removes what the runs in progress in this process created and have not
/// finished: an export's temporary output, a load's working copy of a
/// store, a query's spool, and kills a query's child process.  For a host
/// that ends on SIGINT, SIGTERM or SIGHUP: block those signals in every
/// thread, wait for them in one thread with sigwait(), call this there,
/// then end the process (the CLI does so).  Not async-signal-safe: never
/// call it from a signal handler.  After it, the runs in progress fail
/// instead of committing, and no new temporary can be made: the process
/// is expected to end.
void dipkg_remove_temporaries(void);

/* ------------------------------------------------------------------ */
/* World: configuration and the loaded ontology.                       */

/// Shared configuration of a run: ontology, base IRI, limits, callbacks.
typedef struct DipkgWorldImpl DipkgWorld;

/// A new world with defaults (base DIPKG_DEFAULT_BASE, no ontology loaded,
/// diagnostics discarded).  NULL when out of memory.  Free with
/// dipkg_world_free().
DipkgWorld *dipkg_world_new(void);

/// Frees `world` and everything it owns.
void dipkg_world_free(DipkgWorld *world);

/// Installs the diagnostic callback (NULL discards diagnostics).
void dipkg_world_set_diagnostic_func(DipkgWorld *world,
                                     DipkgDiagnosticFunc func, void *user);

/// The stages of a long operation that report progress.
typedef enum DipkgPhase {
  DIPKG_PHASE_READ,  ///< Reading and indexing facts files (every operation
                     ///< on a corpus starts with it).
  DIPKG_PHASE_MAP,   ///< Checking and mapping facts files (validate, export,
                     ///< load, stats, queries over facts).
  DIPKG_PHASE_RDF    ///< Loading RDF files into a store.
} DipkgPhase;

/// Receives progress: `done` of the `total` files of `phase` are finished.
/// Called in the thread that called the library, in order, after each
/// file (`done` from 1 to `total`).  It must not call back into the
/// library with the same world.  The library never prints progress: the caller renders it,
/// and should throttle what it draws (calls come once per file).
typedef void (*DipkgProgressFunc)(void *user, DipkgPhase phase, uint64_t done,
                                  uint64_t total);

/// Installs the progress callback (NULL, the default, reports nothing).
void dipkg_world_set_progress_func(DipkgWorld *world, DipkgProgressFunc func,
                                   void *user);

/// Sets the base IRI of minted data IRIs.  It must be an absolute http(s)
/// IRI ending in '/' or '#'.  Returns DIPKG_ERR_USAGE (with a diagnostic)
/// otherwise and keeps the previous base.
DipkgStatus dipkg_world_set_base(DipkgWorld *world, const char *base);

/// The current base IRI (borrowed).
const char *dipkg_world_base(const DipkgWorld *world);

/// Worker threads a run uses, at most.
#define DIPKG_MAX_JOBS 64
/// Bytes of one facts file dipkg reads, at most.
#define DIPKG_MAX_FACTS_FILE (64 * 1024 * 1024)
/// Bytes of a query text dipkg reads, at most.
#define DIPKG_MAX_QUERY_TEXT (64 * 1024 * 1024)

/// Sets how many worker threads map files (0: the number of online CPUs);
/// more than DIPKG_MAX_JOBS means DIPKG_MAX_JOBS.  Output is
/// byte-identical whatever the number.
void dipkg_world_set_jobs(DipkgWorld *world, unsigned jobs);

/// Whether an article's `text:` may name a file outside the directory tree
/// of the facts given to dipkg_corpus_add_path() (default 0: refused, with
/// an error at the `text:` value).  The tree is the directory given, or the
/// directory of the file given; symbolic links are resolved before the
/// check, so a link inside the tree that points out of it is refused too.
/// Without the check a facts file could read any file the process can
/// (`text: /etc/shadow`) into the graph.
void dipkg_world_set_allow_outside_text(DipkgWorld *world, int allow);

/// Sets the RDF syntax of the RDF inputs whose name does not tell it,
/// standard input ("-") above all: "turtle" (or "ttl"), "ntriples" ("nt"),
/// "nquads" ("nq"), "rdfxml" ("rdf", "xml") or "trig"; NULL for none (the
/// default).  DIPKG_ERR_USAGE (with a diagnostic) for any other name.
DipkgStatus dipkg_world_set_input_format(DipkgWorld *world, const char *name);

/// Stops reporting errors after `max` of them (0: no limit; default 100).
void dipkg_world_set_max_errors(DipkgWorld *world, unsigned max);

/// With `strict` set, the warnings of facts files (curation rules: an
/// occurred event dated after its article, a planned one before it, a
/// malformed language tag, a quote found twice, ...) are errors, so a run
/// with any of them fails.  Default off.
void dipkg_world_set_strict(DipkgWorld *world, int strict);

/// Loads the ontology from a Turtle file, or every .ttl file of a
/// directory.  With `path` NULL it is searched for: $DIPKG_ONTOLOGY, then
/// relative to the executable: ontology/ beside it, ../share/dipkg/ontology
/// (an installed tree, wherever it was moved), ../ontology; then
/// PREFIX/share/dipkg/ontology of the `make install` that built the
/// library (for programs linked with it).  Replaces an earlier ontology.
/// On failure the world keeps no ontology and a diagnostic says why.
DipkgStatus dipkg_world_load_ontology(DipkgWorld *world, const char *path);

/// The path the ontology was loaded from (borrowed), or NULL.
const char *dipkg_world_ontology_path(const DipkgWorld *world);

/// What the ontology says of one of its classes.  Strings are borrowed
/// from the world's ontology; any may be NULL except `iri`.
typedef struct DipkgClassInfo {
  const char *iri;
  const char *name;  ///< Local name in the dip: namespace (the `type:` value).
  const char *label;
  const char *comment;
  const char *parent;  ///< Local name of the first dip: superclass.
  const char *cameo;   ///< CAMEO code, own or inherited.
  const char *plover;  ///< PLOVER event type, own or inherited.
  int is_event;
  int is_entity;
} DipkgClassInfo;

/// Number of dip: classes in the loaded ontology (0 if none is loaded).
size_t dipkg_world_n_classes(const DipkgWorld *world);

/// Fills `info` for dip: class `i` (sorted by name).  Returns
/// DIPKG_ERR_USAGE if `i` is out of range.
DipkgStatus dipkg_world_class(const DipkgWorld *world, size_t i,
                              DipkgClassInfo *info);

/* ------------------------------------------------------------------ */
/* Corpus: the set of facts files one command works on.                */

/// RDF syntaxes dipkg writes.
typedef enum DipkgFormat {
  DIPKG_FORMAT_TURTLE,
  DIPKG_FORMAT_NTRIPLES,
  DIPKG_FORMAT_NQUADS,
  DIPKG_FORMAT_RDFXML,
  DIPKG_FORMAT_TRIG,    ///< One graph block per article and entity graph.
  DIPKG_FORMAT_JSONLD,  ///< JSON-LD 1.1 with dipkg's @context (one graph).
  /// Not RDF: one PLOVER JSON record per event a line (docs/plover.md).
  DIPKG_FORMAT_PLOVER_JSONL
} DipkgFormat;

/// What dipkg knows of an output format: one row of its format table.
/// Strings and lists are static.
typedef struct DipkgFormatDesc {
  DipkgFormat format;
  const char *name;               ///< Canonical name ("turtle").
  const char *const *aliases;     ///< Other names, NULL-terminated ("ttl").
  const char *const *extensions;  ///< With the dot, NULL-terminated; the
                                  ///< first is the usual one (".ttl").
  const char *media_type;         ///< "text/turtle".
  int streaming;  ///< Statements are written as they are made (0: the
                  ///< document is held in memory until the end).
  int quads;      ///< Keeps named graphs.
} DipkgFormatDesc;

/// Row `i` of the output-format table (in the order to list them to
/// users), or NULL past the end.
const DipkgFormatDesc *dipkg_format_desc(size_t i);

/// Parses a format name or alias of the table ("turtle", "ttl", "ntriples",
/// "nt", "nquads", "nq", "trig", "rdfxml", "xml", "rdf", "jsonld",
/// "plover-jsonl", "plover").  Returns
/// DIPKG_ERR_USAGE for any other name.
DipkgStatus dipkg_format_from_name(const char *name, DipkgFormat *format);

/// The canonical name of `format` ("turtle", ...).
const char *dipkg_format_name(DipkgFormat format);

/// The output format a file name asks for, by its extension (see
/// dipkg_format_desc()); a final ".gz" sets `*gzip` and the extension
/// before it counts.  A name with no extension (/dev/stdout, a FIFO) gets
/// Turtle.  DIPKG_ERR_USAGE for an extension no format has.
DipkgStatus dipkg_format_for_path(const char *path, DipkgFormat *format,
                                  int *gzip);

/// A set of facts files, resolved together: references between files are
/// allowed, ids are global.
typedef struct DipkgCorpusImpl DipkgCorpus;

/// A new empty corpus using `world` (borrowed: it must outlive the corpus).
/// NULL when out of memory.
DipkgCorpus *dipkg_corpus_new(DipkgWorld *world);

/// Frees `corpus`.
void dipkg_corpus_free(DipkgCorpus *corpus);

/// Adds a facts file, or a directory walked recursively (sorted by name,
/// hidden entries skipped) for *.yaml, *.yml and *.json files (any case),
/// each also gzipped (*.yaml.gz: read through zlib, as is a `text:` file
/// whose name ends in .gz).  The same file given
/// twice is read once.  DIPKG_ERR_IO (with a diagnostic) if `path` cannot
/// be read; DIPKG_ERR_USAGE if a directory holds no facts file.
DipkgStatus dipkg_corpus_add_path(DipkgCorpus *corpus, const char *path);

/// Adds a facts file given in memory: `len` bytes of YAML, copied.  `name`
/// names it in messages, and the article's `text:` path is resolved
/// relative to its directory.  DIPKG_ERR_LIMIT (with a diagnostic) above
/// the file size limit (64 MiB).
DipkgStatus dipkg_corpus_add_buffer(DipkgCorpus *corpus, const char *name,
                                    const void *data, size_t len);

/// Adds a facts file read from `stream` to its end (standard input, a pipe):
/// read once and kept in memory, since a run reads each file twice.  `name`
/// names it in messages (the command line gives "<stdin>" for "-") and
/// locates `text:` paths as for dipkg_corpus_add_buffer(): with no '/' in
/// it, they are relative to the current directory and must stay inside it.
/// DIPKG_ERR_IO (with a diagnostic) on a read error, DIPKG_ERR_LIMIT above
/// the file size limit (64 MiB).
DipkgStatus dipkg_corpus_add_stream(DipkgCorpus *corpus, const char *name,
                                    FILE *stream);

/// The RDF syntax of a file, by its extension: "turtle" (.ttl, .turtle),
/// "ntriples" (.nt), "nquads" (.nq), "rdfxml" (.rdf, .owl, .xml), "trig"
/// (.trig); NULL for any other name.  A gzip file's is that of its name
/// without .gz (x.ttl.gz: "turtle"); dipkg reads it through zlib.
const char *dipkg_rdf_syntax_for_path(const char *path);

/// What kind of file `mode` (a stat() st_mode) says, as a noun phrase for
/// messages: "a regular file", "a directory", "a FIFO (named pipe)", "a
/// character device", ...  The string is static; any thread may call this.
const char *dipkg_file_kind(unsigned mode);

/// Number of files added so far.
size_t dipkg_corpus_n_files(const DipkgCorpus *corpus);

/// Counts gathered by a validation or an export.
typedef struct DipkgStatsImpl DipkgStats;

/// What dipkg_stats_count() can count.
typedef enum DipkgCount {
  DIPKG_COUNT_FILES,
  DIPKG_COUNT_ARTICLES,
  DIPKG_COUNT_EVENTS,
  DIPKG_COUNT_ENTITIES,  ///< Distinct entity ids.
  DIPKG_COUNT_QUOTES,
  DIPKG_COUNT_TRIPLES,  ///< Statements: written by an export (N-Quads:
                        ///< quads; what dipkg_corpus_stats() counts too),
                        ///< added by a load (facts, RDF files, what the
                        ///< closure infers, and the ontology), held by a
                        ///< store (dipkg_store_stats(): all its graphs).
  DIPKG_COUNT_ERRORS,
  DIPKG_COUNT_WARNINGS,
  DIPKG_COUNT_INDEX_BYTES,     ///< Memory of the id index (facts runs only),
                               ///< which grows with the ids.
  DIPKG_COUNT_FILE_LIST_BYTES  ///< Memory of the list of input files (facts
                               ///< runs only): their names and entries,
                               ///< which grow with the files.
} DipkgCount;

/// The value of one counter.
uint64_t dipkg_stats_count(const DipkgStats *stats, DipkgCount what);

/// Number of (class, count) rows: one per event or entity class used.
size_t dipkg_stats_n_classes(const DipkgStats *stats);

/// Row `i` (sorted: event classes first, then entity classes, each by name):
/// the class's local name (borrowed), whether it is an event class, and its
/// number of instances.  NULL if `i` is out of range.
const char *dipkg_stats_class(const DipkgStats *stats, size_t i, int *is_event,
                              uint64_t *count);

/// Frees `stats`.
void dipkg_stats_free(DipkgStats *stats);

/// Runs every check of an export and writes nothing.  Returns DIPKG_SUCCESS
/// when the corpus is clean, DIPKG_ERR_DATA when diagnostics reported
/// errors.  If `stats` is not NULL it receives the counts (caller frees),
/// also on DIPKG_ERR_DATA.
DipkgStatus dipkg_corpus_validate(DipkgCorpus *corpus, DipkgStats **stats);

/// Like dipkg_corpus_validate(), and also counts the statements an export
/// to N-Triples would write (DIPKG_COUNT_TRIPLES).
DipkgStatus dipkg_corpus_stats(DipkgCorpus *corpus, DipkgStats **stats);

/// Exports the corpus to `path` in `format`, gzip-compressed when `path`
/// ends in ".gz".  A regular file (or a new one) is replaced atomically:
/// the output goes to a temporary file in the same directory (removed on
/// SIGINT/SIGTERM/SIGHUP by dipkg_remove_temporaries()), renamed over
/// `path` only when the whole corpus was valid and written, keeping the
/// file's mode; on any failure `path` is untouched and the temporary file
/// removed.  A symbolic link is written through (the file it names is
/// replaced).  Anything else (a FIFO, a device such as /dev/null) is
/// written into, never replaced, and only once the run succeeded.  A `path`
/// that is one of the inputs (or the ontology), by device and inode, is
/// refused with DIPKG_ERR_USAGE before anything is read.  With `path` NULL
/// the output streams to standard output (RDF/XML: at the end); after a
/// failure part of it may have been written, and a diagnostic says so.
/// `stats` as for dipkg_corpus_validate().
DipkgStatus dipkg_corpus_export(DipkgCorpus *corpus, DipkgFormat format,
                                const char *path, DipkgStats **stats);

/// What dipkg_corpus_export_extended() adds to the facts' statements.
enum {
  /// The materialised class and property hierarchies, as a store loads
  /// them (see dipkg_store_set_closure()).
  DIPKG_EXPORT_CLOSURE = 1,
  /// The ontology and the CAMEO/PLOVER schemes, in the named graph
  /// <https://w3id.org/dipkg/ns> (N-Quads; merged into the one graph of
  /// the other formats).
  DIPKG_EXPORT_ONTOLOGY = 2
};

/// Like dipkg_corpus_export(), adding what `extras` (DIPKG_EXPORT_* flags)
/// names, so that another SPARQL engine loading the output answers as
/// dipkg_store_query() does over a store loaded with the same facts.  With
/// `extras` 0 it is dipkg_corpus_export().  Atomic as it is; the corpus is
/// validated before anything is written.  DIPKG_COUNT_TRIPLES counts every
/// statement written.  `stats` as for dipkg_corpus_validate().
DipkgStatus dipkg_corpus_export_extended(DipkgCorpus *corpus,
                                         DipkgFormat format, unsigned extras,
                                         const char *path, DipkgStats **stats);

/// Exports the corpus into `stream` (not atomic: on DIPKG_ERR_DATA part of
/// the output may have been written).  `stats` as for
/// dipkg_corpus_validate().
DipkgStatus dipkg_corpus_write(DipkgCorpus *corpus, DipkgFormat format,
                               FILE *stream, DipkgStats **stats);

/* ------------------------------------------------------------------ */
/* Stores and SPARQL.                                                  */

/// A graph store: a persistent Redland storage or one in memory.
typedef struct DipkgStoreImpl DipkgStore;

/// Opens the store described by `spec`: "memory:" (in this process only),
/// "bdb:DIR" (Redland hashes on Berkeley DB, the default store),
/// "sqlite:PATH" (Redland's sqlite storage, indexed by dipkg), or
/// "TYPE:OPTIONS" for any other Redland storage (postgresql, mysql,
/// virtuoso, ...: OPTIONS is Redland's option string; name='...' names the
/// storage).  Nothing is read or created until the store is used.
/// DIPKG_ERR_USAGE (with a diagnostic) for a malformed spec.  Free with
/// dipkg_store_free().
DipkgStatus dipkg_store_open(DipkgWorld *world, const char *spec,
                             DipkgStore **store);

/// Frees the store handle (the data stays).  NULL is a no-op.
void dipkg_store_free(DipkgStore *store);

/// Whether to materialise the RDFS closure of the class and property
/// hierarchies when loading (default on): `s a dip:Summit` then also gets
/// `s a dip:Meeting, dip:Consultation, dip:Event, sem:Event, schema:Event`,
/// and `s dip:actor x` also `s sem:hasActor x`, so that queries for a class
/// or property find every instance of its subclasses or sub-properties.
void dipkg_store_set_closure(DipkgStore *store, int closure);

/// Whether queries see the ontology (the graph https://w3id.org/dipkg/ns:
/// classes, CAMEO and PLOVER codes) in their default graph (default off:
/// the default graph holds the loaded data only, and
/// `GRAPH <https://w3id.org/dipkg/ns> { ... }` reads the ontology).
void dipkg_store_set_with_ontology(DipkgStore *store, int with_ontology);

/// What the default graph of a store's queries is
/// (dipkg_store_set_default_graph()).
typedef enum DipkgDefaultGraph {
  /// The union of every graph of the data, without repeats: the facts'
  /// graphs, the graphs of N-Quads and TriG inputs, the inputs' statements
  /// outside any graph, the named-graph files of
  /// dipkg_store_load_dataset() (the default).
  DIPKG_DEFAULT_GRAPH_UNION,
  /// The RDF merge of the inputs' statements outside any named graph only
  /// (Turtle, N-Triples and RDF/XML files, the default graph of N-Quads and
  /// TriG files): the dataset of the W3C SPARQL tests, whose named graphs
  /// (and the facts' graphs) are read through GRAPH only.
  DIPKG_DEFAULT_GRAPH_MERGE
} DipkgDefaultGraph;

/// Sets what the default graph of the store's queries is (see
/// DipkgDefaultGraph); the ontology joins it with
/// dipkg_store_set_with_ontology() in both cases.
void dipkg_store_set_default_graph(DipkgStore *store, DipkgDefaultGraph mode);

/// Parses "union" or "merge"; DIPKG_ERR_USAGE for anything else.
DipkgStatus dipkg_default_graph_from_name(const char *name,
                                          DipkgDefaultGraph *mode);

/// Loads a corpus of facts (may be NULL) and RDF files (`rdf`, a
/// NULL-terminated list of Turtle, N-Triples, N-Quads, RDF/XML or TriG
/// files, may be NULL) into the store, creating it if needed.  In `rdf`,
/// "-" is standard input (read once; its syntax set with
/// dipkg_world_set_input_format(); its graph <file:///dev/stdin>), and a
/// name ending in .gz is read through zlib (x.ttl.gz: Turtle).  Every named
/// graph loaded replaces the graph of the same name (each article and each
/// entity has its own: loading an article again is idempotent), and the
/// ontology is (re)loaded into the graph <https://w3id.org/dipkg/ns>.
/// All or nothing: the input is validated first, and a store on disk (bdb,
/// sqlite) is written in a working copy swapped in at the end under the
/// store's lock, so that a failed or interrupted load leaves it as it was
/// (docs/safety.md).  A path that holds anything but a dipkg store of that
/// kind (or nothing) is refused, and so is a base other than the one the
/// store records (see dipkg_store_set_rebase()).  `stats` as for export.
DipkgStatus dipkg_store_load(DipkgStore *store, DipkgCorpus *facts,
                             const char *const *rdf, DipkgStats **stats);

/// dipkg_store_load(), and the RDF files of `named` (NULL-terminated, may
/// be NULL) loaded as named graphs: the statements of such a file outside
/// any graph are the graph named by the file's file: IRI, which `GRAPH ?g`
/// ranges over and which DIPKG_DEFAULT_GRAPH_MERGE leaves out of the
/// default graph (unless the file is in `rdf` too).  The store handle
/// remembers which files were which for its queries (a store on disk does
/// not: its file graphs are its inputs').
DipkgStatus dipkg_store_load_dataset(DipkgStore *store, DipkgCorpus *facts,
                                     const char *const *rdf,
                                     const char *const *named,
                                     DipkgStats **stats);

/// How long a load waits for the lock of a store on disk that another load
/// holds (default 60 s; 0: fail at once) before failing with
/// DIPKG_ERR_STORE.  The wait is announced by a warning naming the pid.
void dipkg_store_set_lock_wait(DipkgStore *store, unsigned seconds);

/// Lets the next load replace the base IRI the store records (default
/// off: a load whose world base differs fails with DIPKG_ERR_USAGE).
void dipkg_store_set_rebase(DipkgStore *store, int rebase);

/// Sets the world's base IRI to the one the store recorded at its last
/// load (nothing happens for a store without one).  For a host that was
/// given no base: queries and loads then mint and find the store's IRIs.
/// DIPKG_ERR_STORE for a store whose metadata cannot be read.
DipkgStatus dipkg_store_use_recorded_base(DipkgStore *store);

/// Counts what the store holds: statements (DIPKG_COUNT_TRIPLES), named
/// graphs (DIPKG_COUNT_FILES counts graphs here), articles, events and
/// entities by their most specific class.  Caller frees `stats`.
DipkgStatus dipkg_store_stats(DipkgStore *store, DipkgStats **stats);

/// Formats of query results.
typedef enum DipkgResultFormat {
  DIPKG_RESULTS_TABLE,     ///< Aligned columns, for people.
  DIPKG_RESULTS_CSV,       ///< SPARQL 1.1 Query Results CSV.
  DIPKG_RESULTS_TSV,       ///< SPARQL 1.1 Query Results TSV.
  DIPKG_RESULTS_JSON,      ///< application/sparql-results+json.
  DIPKG_RESULTS_XML,       ///< application/sparql-results+xml.
  DIPKG_RESULTS_TURTLE,    ///< CONSTRUCT results.
  DIPKG_RESULTS_NTRIPLES,  ///< CONSTRUCT results.
  DIPKG_RESULTS_DEFAULT,   ///< CSV for tables, Turtle for graphs.
  DIPKG_RESULTS_JSONLD     ///< CONSTRUCT results as JSON-LD (the writer of
                           ///< the output-format table's "jsonld" row).
} DipkgResultFormat;

/// Parses "table", "csv", "tsv", "json", "xml", "turtle", "ntriples", and
/// the names of JSON-LD in the output-format table ("jsonld", "json-ld").
DipkgStatus dipkg_result_format_from_name(const char *name,
                                          DipkgResultFormat *format);

/// How a store runs its queries (dipkg_store_set_query_policy()).  Zero
/// (dipkg_query_policy_init()) is the default: a child process, no limits,
/// SERVICE refused, dipkg's rewrites and refusals on.
typedef struct DipkgQueryPolicy {
  unsigned timeout_ms;    ///< 0: no limit.  Past it the query is stopped.
  uint64_t memory_bytes;  ///< 0: no limit.  Cap on the query child's address
                          ///< space (RLIMIT_AS).
  int in_process;         ///< run in the calling process (no child, no limits):
                          ///< valgrind, hosts that cannot fork
  int allow_service;      ///< let SERVICE make outbound requests (refused
                          ///< otherwise)
  int raw;  ///< no dipkg rewrites or refusals beyond safety (read-only,
            ///< SERVICE): rasqal's own behaviour, for comparisons
} DipkgQueryPolicy;

/// Fills `policy` with the defaults (all zero: see DipkgQueryPolicy).
void dipkg_query_policy_init(DipkgQueryPolicy *policy);

/// Sets how the store's queries run from now on (`policy` is copied).
void dipkg_store_set_query_policy(DipkgStore *store,
                                  const DipkgQueryPolicy *policy);

/// Runs the SPARQL query `text` (`name` names it in messages: a file name,
/// or NULL) over the store and writes the results to `out` in `format`.
/// `bindings` (NULL-terminated "VAR=TERM" strings, or NULL) set query
/// parameters: each replaces the values of the query's `VALUES ?VAR { ... }`
/// with TERM (an IRI, a prefixed name, a literal or a number)
/// (TABLE and TURTLE adapt to the query form: a graph is written as Turtle
/// for TABLE).  The prefixes of the ontology and the usual vocabularies are
/// predeclared; the query's own PREFIX lines win.  Constructs rasqal lacks
/// or gets wrong are refused with a located message, or rewritten (see
/// docs/sparql.md).  The query runs in a child process under the store's
/// DipkgQueryPolicy (see "Child processes" at the top of this header), so
/// that a crash in the query engine cannot take the caller down, and
/// nothing is written unless it completes: DIPKG_ERR_QUERY for a query that
/// cannot run (syntax, unsupported construct, an update, a refused
/// SERVICE), DIPKG_ERR_QUERY_FAILED for one that failed while running,
/// DIPKG_ERR_QUERY_LIMIT for one stopped by the policy's time or memory
/// limit.  `rows`, if not NULL, receives the number of rows
/// (or statements) written.
DipkgStatus dipkg_store_query(DipkgStore *store, const char *text,
                              const char *name, const char *const *bindings,
                              DipkgResultFormat format, FILE *out,
                              uint64_t *rows);

/// The RDF dataset of a query given apart from its text, as the SPARQL
/// 1.1 Protocol's default-graph-uri and named-graph-uri parameters give it
/// (Protocol section 2.1.4): graph IRIs, borrowed.
typedef struct DipkgDataset {
  const char *const *default_graphs;  ///< merged into the default graph
  size_t n_default;
  const char *const *named_graphs;  ///< the graphs GRAPH reads
  size_t n_named;
} DipkgDataset;

/// Sets the dataset of the queries run on `store` from now on, in place of
/// the one their FROM and FROM NAMED clauses describe (those clauses are
/// then ignored, as the Protocol says): the default graph is the RDF merge
/// of `dataset->default_graphs` (empty when there are none), and GRAPH
/// reads `dataset->named_graphs` only.  A graph the store does not hold is
/// an empty graph, not an error.  NULL, or a dataset with no graphs, goes
/// back to each query's own dataset.  The IRIs are copied; an IRI that is
/// not absolute is DIPKG_ERR_USAGE with a diagnostic (the dataset is then
/// unchanged); DIPKG_ERR_NO_MEMORY likewise.
DipkgStatus dipkg_store_set_dataset(DipkgStore *store,
                                    const DipkgDataset *dataset);

/// Writes to `out` the query `text` as dipkg would run it, without running
/// it: the predeclared prefixes it lacks on its first line, then the query
/// with the rewrites of docs/sparql.md and the `bindings` applied.  Checks
/// and errors are those of dipkg_store_query().  With `out` NULL it only
/// checks the query (to find its errors before loading anything).
DipkgStatus dipkg_query_explain(DipkgWorld *world, const char *text,
                                const char *name, const char *const *bindings,
                                FILE *out);

/// dipkg_query_explain() with the checks of `policy` (raw, allow_service;
/// NULL: the defaults), as dipkg_store_query() applies them under it.
DipkgStatus dipkg_query_explain_with(DipkgWorld *world,
                                     const DipkgQueryPolicy *policy,
                                     const char *text, const char *name,
                                     const char *const *bindings, FILE *out);

/* ------------------------------------------------------------------ */
/* Graphs in memory and resource descriptions (linked data).           */

/// A read-only set of statements in memory, deduplicated and indexed by
/// subject and by object; safe to read from any number of threads.
typedef struct DipkgGraphImpl DipkgGraph;

/// Maps the corpus into a new graph (`*graph`, caller frees with
/// dipkg_graph_free(); NULL on failure).  The statements are those of an
/// export (no closure, no ontology).  `stats` as for
/// dipkg_corpus_validate().  DIPKG_ERR_DATA when the facts have errors.
DipkgStatus dipkg_corpus_graph(DipkgCorpus *corpus, DipkgGraph **graph,
                               DipkgStats **stats);

/// Reads every statement of the store's default graph (the union of its
/// named graphs, without repeats) into a new graph (`*graph`, caller
/// frees).  `world` (borrowed, must outlive the graph) gives the prefixes
/// and the base.  The read runs through dipkg_store_query().
DipkgStatus dipkg_store_graph(DipkgWorld *world, DipkgStore *store,
                              DipkgGraph **graph);

/// Frees `graph`.  NULL is a no-op.
void dipkg_graph_free(DipkgGraph *graph);

/// Number of statements.
uint64_t dipkg_graph_size(const DipkgGraph *graph);

/// The description of the resource `iri` (a new graph in `*out`, caller
/// frees): its own statements (with the blank nodes they reach and its
/// fragments IRI#...), the labels of the resources it links to, and the
/// statements that point at it with the labels of their subjects.  Empty
/// (size 0) when the graph does not know `iri`.
DipkgStatus dipkg_graph_describe(const DipkgGraph *graph, const char *iri,
                                 DipkgGraph **out);

/// Writes `graph` to `out` in `format` (N-Quads is written as N-Triples:
/// the graph has no names).  Deterministic: statements in term order.
DipkgStatus dipkg_graph_write(const DipkgGraph *graph, DipkgFormat format,
                              FILE *out);

/* ------------------------------------------------------------------ */
/* The linked-data server (docs/publishing.md).                        */

/// A running HTTP server: resources, /sparql, /.well-known/void.
typedef struct DipkgServerImpl DipkgServer;

/// How a server runs.  Strings and the stream are borrowed.
typedef struct DipkgServerOptions {
  const char *listen;         ///< "HOST:PORT" (IPv4); port 0 picks a free one
  unsigned query_timeout_ms;  ///< 0: no limit.  Past it: 503.
  uint64_t query_memory;      ///< 0: no limit.  Address-space cap of a query.
  unsigned threads;           ///< request threads (0: 4)
  FILE *access_log;           ///< one line per request, or NULL
  const char *dataset_meta;  ///< Turtle with the licence and publisher, or NULL
} DipkgServerOptions;

/// The defaults: 127.0.0.1:8080, 10 s per query, 4 threads, no log.
void dipkg_server_options_init(DipkgServerOptions *options);

/// Starts serving `graph` (descriptions and pages) and `store` (SPARQL) in
/// threads of its own, and returns.  `world`, `store` and `graph` are
/// borrowed and must outlive the server.  DIPKG_ERR_USAGE for a bad
/// `listen`, DIPKG_ERR_IO when it cannot listen (diagnostics say why).
/// Stop with dipkg_server_stop().
DipkgStatus dipkg_server_start(DipkgWorld *world, DipkgStore *store,
                               const DipkgGraph *graph,
                               const DipkgServerOptions *options,
                               DipkgServer **server);

/// The TCP port the server listens on.
unsigned dipkg_server_port(const DipkgServer *server);

/// Stops accepting connections, lets the requests in progress finish, and
/// frees the server.  NULL is a no-op.
void dipkg_server_stop(DipkgServer *server);

/// Writes `graph` to `path` in `format`, atomically (a temporary file
/// renamed over `path` when complete; on failure `path` is untouched).
/// NULL `path`: standard output.
DipkgStatus dipkg_graph_export(const DipkgGraph *graph, DipkgFormat format,
                               const char *path);

/// The VoID and DCAT description of `graph` (a new graph in `*out`,
/// caller frees): counts of triples, entities, classes, properties, a
/// class partition per class, the SPARQL endpoint {base}sparql, the dumps,
/// example resources, and the statements of `meta` (a Turtle file with
/// the licence and publisher; NULL: a CC BY 4.0 licence).
DipkgStatus dipkg_graph_void(const DipkgGraph *graph, const char *meta,
                             DipkgGraph **out);

/// What dipkg_graph_publish() did.
typedef struct DipkgPublishCounts {
  uint64_t resources;  ///< resources published (each REL/index.*)
  uint64_t written;    ///< files written (new or changed)
  uint64_t unchanged;  ///< files left alone: their content was the same
  uint64_t skipped;    ///< IRIs under the base that are no safe path
} DipkgPublishCounts;

/// Writes the static site of `graph` into directory `dir` (created if
/// needed; see docs/publishing.md): REL/index.{html,ttl,jsonld,nt} for
/// every resource {base}REL, the home page, style.css, context.jsonld,
/// void.ttl, sitemap.xml, dump/dataset.ttl, dump/dataset.nq.gz (the named
/// graphs of `corpus`, if not NULL), .htaccess and nginx.conf.  Each file
/// is replaced atomically, and only when its content changes.
DipkgStatus dipkg_graph_publish(const DipkgGraph *graph, DipkgCorpus *corpus,
                                const char *dir, DipkgPublishCounts *counts);

/// How dipkg_endpoint_query() talks to an endpoint.
typedef struct DipkgEndpointOptions {
  unsigned timeout_ms;  ///< bounds the whole request; 0: none
  /// Send the query URL-encoded in a form (application/x-www-form-urlencoded)
  /// instead of directly as application/sparql-query.  Both are SPARQL 1.1
  /// Protocol; Virtuoso 7.2 never answers the direct form.
  int form;
} DipkgEndpointOptions;

/// Runs the SPARQL query `text` on a remote SPARQL 1.1 Protocol endpoint
/// `url` (POST) and writes the results to `out` in `format`, as
/// dipkg_store_query() does (the same writers, the same rules for
/// `format`, `bindings` and the predeclared prefixes; nothing written
/// unless the whole answer came).  None of the checks and rewrites for
/// rasqal apply: the remote engine judges the query.  `options` may be
/// NULL (no time-out, direct POST).  DIPKG_ERR_QUERY when the endpoint
/// refuses the query (HTTP 400: its message, located at the line it
/// names), DIPKG_ERR_QUERY_FAILED for any other answer that is not a
/// result (its status and message) or a time-out, DIPKG_ERR_IO when the
/// endpoint cannot be reached.  `rows` as for dipkg_store_query().
DipkgStatus dipkg_endpoint_query(DipkgWorld *world, const char *url,
                                 const char *text, const char *name,
                                 const char *const *bindings,
                                 DipkgResultFormat format,
                                 const DipkgEndpointOptions *options, FILE *out,
                                 uint64_t *rows);

/// Called by dipkg_corpus_push() after each graph: graphs made so far, and
/// how many of them were sent.
typedef void (*DipkgPushProgressFunc)(void *user, uint64_t graphs,
                                      uint64_t sent);

/// How dipkg_corpus_push() works.  All pointers borrowed.
typedef struct DipkgPushOptions {
  const char *user;      ///< HTTP user (Basic or Digest, as the store asks)
  const char *password;  ///< with `user`
  int dry_run;           ///< read the manifest and count; send nothing
  int no_closure;        ///< do not materialise the hierarchies
  DipkgPushProgressFunc progress;  ///< or NULL
  void *progress_user;
  unsigned connections;  ///< Graph Store requests in flight (0: 4; max 64)
} DipkgPushOptions;

/// What a push did (or, with dry_run, would do).
typedef struct DipkgPushSummary {
  uint64_t sent;       ///< graphs replaced (PUT)
  uint64_t unchanged;  ///< graphs the store already had
  uint64_t deleted;    ///< graphs of articles no longer in the corpus
  uint64_t triples;    ///< statements in the graphs sent
  double seconds;
} DipkgPushSummary;

/// Syncs a store with the corpus through the SPARQL 1.1 Graph Store HTTP
/// Protocol at `url` (for Virtuoso: http://HOST:PORT/sparql-graph-crud-auth).
/// The graphs are those `dipkg_store_load()` makes: the ontology's, each
/// article's and each entity's, with the closure unless
/// `options->no_closure`.  Each is replaced with PUT unless the store's
/// manifest graph ({base}push-manifest, a content hash per graph) says it
/// has that content already; graphs the manifest names that the corpus no
/// longer makes are deleted; the manifest is updated.  A second push of
/// the same corpus sends nothing.  Connection errors and 5xx answers are
/// retried with backoff (5 tries); a 4xx stops the push with the server's
/// message.  An interrupted push leaves the manifest such that the next
/// push sends whatever it did not finish.  The corpus is validated before
/// anything is sent.  `options` may be NULL; `summary` (may be NULL)
/// receives the counts, also on failure (what was done).  DIPKG_ERR_DATA
/// for an invalid corpus, DIPKG_ERR_STORE when the store refused a request,
/// DIPKG_ERR_IO when it could not be reached.
DipkgStatus dipkg_corpus_push(DipkgCorpus *corpus, const char *url,
                              const DipkgPushOptions *options,
                              DipkgPushSummary *summary);

#ifdef __cplusplus
}
#endif

#endif /* DIPKG_H */
