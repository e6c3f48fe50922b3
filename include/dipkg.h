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
  DIPKG_ERR_STORE  ///< A store cannot be opened, or is not a dipkg store.
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

/// Sets the base IRI of minted data IRIs.  It must be an absolute http(s)
/// IRI ending in '/' or '#'.  Returns DIPKG_ERR_USAGE (with a diagnostic)
/// otherwise and keeps the previous base.
DipkgStatus dipkg_world_set_base(DipkgWorld *world, const char *base);

/// The current base IRI (borrowed).
const char *dipkg_world_base(const DipkgWorld *world);

/// Sets how many worker threads map files (0: the number of online CPUs).
/// Output is byte-identical whatever the number.
void dipkg_world_set_jobs(DipkgWorld *world, unsigned jobs);

/// Stops reporting errors after `max` of them (0: no limit; default 100).
void dipkg_world_set_max_errors(DipkgWorld *world, unsigned max);

/// Loads the ontology from a Turtle file.  With `path` NULL, the file is
/// searched for: $DIPKG_ONTOLOGY, then ontology/dip.ttl beside the
/// executable, then ../share/dipkg/dip.ttl relative to it.  Replaces an
/// earlier ontology.  On failure the world keeps no ontology and a
/// diagnostic says why.
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
  DIPKG_FORMAT_RDFXML
} DipkgFormat;

/// Parses a format name ("turtle", "ttl", "ntriples", "nt", "nquads", "nq",
/// "rdfxml", "xml").  Returns DIPKG_ERR_USAGE for any other name.
DipkgStatus dipkg_format_from_name(const char *name, DipkgFormat *format);

/// The canonical name of `format` ("turtle", ...).
const char *dipkg_format_name(DipkgFormat format);

/// A set of facts files, resolved together: references between files are
/// allowed, ids are global.
typedef struct DipkgCorpusImpl DipkgCorpus;

/// A new empty corpus using `world` (borrowed: it must outlive the corpus).
/// NULL when out of memory.
DipkgCorpus *dipkg_corpus_new(DipkgWorld *world);

/// Frees `corpus`.
void dipkg_corpus_free(DipkgCorpus *corpus);

/// Adds a facts file, or a directory walked recursively (sorted by name,
/// hidden entries skipped) for *.yaml and *.yml files.  The same file given
/// twice is read once.  DIPKG_ERR_IO (with a diagnostic) if `path` cannot
/// be read; DIPKG_ERR_USAGE if a directory holds no facts file.
DipkgStatus dipkg_corpus_add_path(DipkgCorpus *corpus, const char *path);

/// Adds a facts file given in memory: `len` bytes of YAML, copied.  `name`
/// names it in messages, and the article's `text:` path is resolved
/// relative to its directory.  DIPKG_ERR_LIMIT (with a diagnostic) above
/// the file size limit (64 MiB).
DipkgStatus dipkg_corpus_add_buffer(DipkgCorpus *corpus, const char *name,
                                    const void *data, size_t len);

/// The RDF syntax of a file, by its extension: "turtle" (.ttl, .turtle),
/// "ntriples" (.nt), "nquads" (.nq), "rdfxml" (.rdf, .owl, .xml), "trig"
/// (.trig); NULL for any other name.
const char *dipkg_rdf_syntax_for_path(const char *path);

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
  DIPKG_COUNT_TRIPLES,  ///< Statements written (N-Quads: quads).
  DIPKG_COUNT_ERRORS,
  DIPKG_COUNT_WARNINGS,
  DIPKG_COUNT_INDEX_BYTES  ///< Memory of the id index (facts runs only): the
                           ///< one structure that grows with the corpus.
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

/// Exports the corpus to `path` in `format`, atomically: the output goes to
/// a temporary file in the same directory, renamed over `path` only when
/// the whole corpus was valid and written; on any failure `path` is
/// untouched and the temporary file removed.  With `path` NULL the output
/// goes to standard output, and nothing is written unless the corpus is
/// valid.  `stats` as for dipkg_corpus_validate().
DipkgStatus dipkg_corpus_export(DipkgCorpus *corpus, DipkgFormat format,
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

/// Loads a corpus of facts (may be NULL) and RDF files (`rdf`, a
/// NULL-terminated list of Turtle, N-Triples, N-Quads, RDF/XML or TriG
/// files, may be NULL) into the store, creating it if needed.  Every named
/// graph loaded replaces the graph of the same name (each article and each
/// entity has its own: loading an article again is idempotent), and the
/// ontology is (re)loaded into the graph <https://w3id.org/dipkg/ns>.
/// All or nothing: the input is validated first, and the store is written
/// in a transaction (sqlite) or on a copy swapped in at the end (bdb), so
/// that a failed load leaves it as it was.  `stats` as for export.
DipkgStatus dipkg_store_load(DipkgStore *store, DipkgCorpus *facts,
                             const char *const *rdf, DipkgStats **stats);

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
  DIPKG_RESULTS_DEFAULT    ///< CSV for tables, Turtle for graphs.
} DipkgResultFormat;

/// Parses "table", "csv", "tsv", "json", "xml", "turtle", "ntriples".
DipkgStatus dipkg_result_format_from_name(const char *name,
                                          DipkgResultFormat *format);

/// Runs the SPARQL query `text` (`name` names it in messages: a file name,
/// or NULL) over the store and writes the results to `out` in `format`.
/// `bindings` (NULL-terminated "VAR=TERM" strings, or NULL) set query
/// parameters: each replaces the values of the query's `VALUES ?VAR { ... }`
/// with TERM (an IRI, a prefixed name, a literal or a number)
/// (TABLE and TURTLE adapt to the query form: a graph is written as Turtle
/// for TABLE).  The prefixes of the ontology and the usual vocabularies are
/// predeclared; the query's own PREFIX lines win.  Constructs rasqal lacks
/// or gets wrong are refused with a located message, or rewritten (see
/// docs/sparql.md).  The query runs in a child process, so that a crash in
/// the query engine cannot take the caller down, and nothing is written
/// unless it completes: DIPKG_ERR_QUERY for a query that cannot run
/// (syntax, unsupported construct), DIPKG_ERR_QUERY_FAILED for one that
/// failed while running.  `rows`, if not NULL, receives the number of rows
/// (or statements) written.
DipkgStatus dipkg_store_query(DipkgStore *store, const char *text,
                              const char *name, const char *const *bindings,
                              DipkgResultFormat format, FILE *out,
                              uint64_t *rows);

/// Writes to `out` the query `text` as dipkg would run it, without running
/// it: the predeclared prefixes it lacks on its first line, then the query
/// with the rewrites of docs/sparql.md and the `bindings` applied.  Checks
/// and errors are those of dipkg_store_query().  With `out` NULL it only
/// checks the query (to find its errors before loading anything).
DipkgStatus dipkg_query_explain(DipkgWorld *world, const char *text,
                                const char *name, const char *const *bindings,
                                FILE *out);

#ifdef __cplusplus
}
#endif

#endif /* DIPKG_H */
