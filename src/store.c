/* Stores: loading facts and RDF all or nothing, counting what a store
 * holds, and running queries in a child process. */
#include "dipkg.h"

#include "arena.h"
#include "backend.h"
#include "buf.h"
#include "closure.h"
#include "corpus.h"
#include "exec.h"
#include "graph.h"
#include "hash.h"
#include "memory.h"
#include "model.h"
#include "query.h"
#include "rdf_raptor.h"
#include "results.h"
#include "sparql.h"
#include "stats.h"
#include "world.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/// The named graph of the ontology in every store.
#define ONTOLOGY_GRAPH "https://w3id.org/dipkg/ns"
#define XSD_STRING "http://www.w3.org/2001/XMLSchema#string"

/* A copy of a DipkgDataset, owned. */
typedef struct OwnedDataset {
  char **defaults;
  size_t n_defaults;
  char **named;
  size_t n_named;
} OwnedDataset;

struct DipkgStoreImpl {
  DipkgWorld *world;
  DipkgStoreSpec spec;
  DipkgModel *kept;  // a model kept open: memory: (whose statements live
                     // in it) and pass-through storages (which may too)
  bool closure;
  bool rebase;              // a load may replace the recorded base
  unsigned lock_wait_s;     // how long a load waits for the store's lock
  DipkgQueryPolicy policy;  // how its queries run
  bool with_ontology;  // the ontology graph in the default graph of queries
  // The dataset given apart from the queries (dipkg_store_set_dataset):
  // owned copies; no graphs when none is given.
  OwnedDataset dataset;
  DipkgDefaultGraph default_graph;  // what the default graph of queries is
  char **inputs;       // owned: file: IRIs of the graphs of RDF inputs loaded
  size_t n_inputs;     // through this handle, and of named-graph files (see
  char **named_files;  // dipkg_store_load_dataset())
  size_t n_named_files;
};

/* Frees the `*n` strings of `*list` and the array; leaves it empty. */
static void
free_strings(char ***list, size_t *n)
{
  for (size_t i = 0; i < *n; i++)
    dipkg_free((*list)[i]);
  dipkg_free(*list);
  *list = NULL;
  *n = 0;
}

/// How long a load waits for another load of the same store by default.
#define LOCK_WAIT_DEFAULT_S 60

static void
deliver(DipkgWorld *w, DipkgDiagList *list)
{
  dipkg_world_deliver(w, list);
}

static DipkgStatus
report(DipkgWorld *w, DipkgStatus status, const char *file, const char *fmt,
       const char *detail)
{
  DipkgDiagList list = {0};
  dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, status, file, (DipkgLoc){0, 0, 0},
                 "%s%s%s", fmt, detail ? ": " : "", detail ? detail : "");
  deliver(w, &list);
  return status;
}

DipkgStatus
dipkg_store_open(DipkgWorld *world, const char *spec, DipkgStore **out)
{
  *out = NULL;
  DipkgStore *s = dipkg_calloc(1, sizeof *s);
  if (!s)
    return DIPKG_ERR_NO_MEMORY;
  DipkgDiagList diags = {0};
  DipkgStatus st = dipkg_store_spec_parse(spec, &s->spec, &diags);
  deliver(world, &diags);
  if (st) {
    dipkg_free(s);
    return st;
  }
  s->world = world;
  s->closure = true;
  s->lock_wait_s = LOCK_WAIT_DEFAULT_S;
  dipkg_query_policy_init(&s->policy);
  *out = s;
  return DIPKG_SUCCESS;
}

/* Frees the copies of a dataset. */
static void
dataset_free(OwnedDataset *d)
{
  for (size_t i = 0; d->defaults && i < d->n_defaults; i++)
    dipkg_free(d->defaults[i]);
  for (size_t i = 0; d->named && i < d->n_named; i++)
    dipkg_free(d->named[i]);
  dipkg_free(d->defaults);
  dipkg_free(d->named);
  memset(d, 0, sizeof *d);
}

/* Copies of the `n` strings at `from` into `*to` (NULL when n is 0); on
 * failure `*to` holds what was copied (NULL entries after). */
static bool
strings_copy(const char *const *from, size_t n, char ***to)
{
  *to = NULL;
  if (!n)
    return true;
  char **copy = dipkg_calloc(n, sizeof *copy);
  if (!copy)
    return false;
  *to = copy;
  for (size_t i = 0; i < n; i++)
    if (!(copy[i] = dipkg_strdup(from[i])))
      return false;
  return true;
}

/* Whether `iri` is an absolute IRI: a scheme, ':', and no character that
 * an IRI cannot hold (RFC 3987). */
static bool
absolute_iri(const char *iri)
{
  const char *c = iri;
  if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
    return false;
  while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
         (*c >= '0' && *c <= '9') || *c == '+' || *c == '-' || *c == '.')
    c++;
  if (*c != ':')
    return false;
  for (; *c; c++)
    if ((unsigned char)*c <= 0x20 || strchr("<>\"{}|^`\\", *c))
      return false;
  return true;
}

DipkgStatus
dipkg_store_set_dataset(DipkgStore *s, const DipkgDataset *dataset)
{
  OwnedDataset copy = {0};
  if (dataset) {
    const char *const *lists[2] = {dataset->default_graphs,
                                   dataset->named_graphs};
    const size_t counts[2] = {dataset->n_default, dataset->n_named};
    for (size_t k = 0; k < 2; k++)
      for (size_t i = 0; i < counts[k]; i++)
        if (!absolute_iri(lists[k][i]))
          return report(s->world, DIPKG_ERR_USAGE, NULL,
                        k ? "a named graph of the dataset is not an absolute "
                            "IRI"
                          : "a default graph of the dataset is not an "
                            "absolute IRI",
                        lists[k][i]);
    // The counts first: on a failure dataset_free() frees what was made.
    copy.n_defaults = dataset->n_default;
    copy.n_named = dataset->n_named;
    bool ok =
      strings_copy(dataset->default_graphs, dataset->n_default, &copy.defaults);
    ok =
      strings_copy(dataset->named_graphs, dataset->n_named, &copy.named) && ok;
    if (!ok) {
      dataset_free(&copy);
      return DIPKG_ERR_NO_MEMORY;
    }
  }
  dataset_free(&s->dataset);
  s->dataset = copy;
  return DIPKG_SUCCESS;
}

void
dipkg_store_free(DipkgStore *s)
{
  if (!s)
    return;
  dipkg_model_close(s->kept);
  dipkg_store_spec_fini(&s->spec);
  dataset_free(&s->dataset);
  free_strings(&s->inputs, &s->n_inputs);
  free_strings(&s->named_files, &s->n_named_files);
  dipkg_free(s);
}

void
dipkg_store_set_default_graph(DipkgStore *s, DipkgDefaultGraph mode)
{
  s->default_graph = mode;
}

DipkgStatus
dipkg_default_graph_from_name(const char *name, DipkgDefaultGraph *mode)
{
  if (!strcmp(name, "union"))
    *mode = DIPKG_DEFAULT_GRAPH_UNION;
  else if (!strcmp(name, "merge"))
    *mode = DIPKG_DEFAULT_GRAPH_MERGE;
  else
    return DIPKG_ERR_USAGE;
  return DIPKG_SUCCESS;
}

void
dipkg_store_set_with_ontology(DipkgStore *s, int with_ontology)
{
  s->with_ontology = with_ontology != 0;
}

void
dipkg_store_set_closure(DipkgStore *s, int closure)
{
  s->closure = closure != 0;
}

void
dipkg_store_set_query_policy(DipkgStore *s, const DipkgQueryPolicy *policy)
{
  s->policy = *policy;
}

static char *file_iri(const char *path);

/* Appends a copy of `text` to `*list` (`*n` strings); false when out of
 * memory. */
static bool
push_string(char ***list, size_t *n, const char *text)
{
  char **grown = dipkg_realloc(*list, (*n + 1) * sizeof *grown);
  if (!grown)
    return false;
  *list = grown;
  grown[*n] = dipkg_strdup(text);
  if (!grown[*n])
    return false;
  (*n)++;
  return true;
}

static bool
has_string(char *const *list, size_t n, const char *text)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(list[i], text))
      return true;
  return false;
}

DipkgStatus
dipkg_store_load_dataset(DipkgStore *s, DipkgCorpus *facts,
                         const char *const *rdf, const char *const *named,
                         DipkgStats **stats)
{
  size_t nr = 0, nn = 0;
  while (rdf && rdf[nr])
    nr++;
  while (named && named[nn])
    nn++;
  // Each file is loaded once (a named-graph file that is an input too is
  // one graph in both roles); the graphs' IRIs are recorded for queries.
  const char **all = dipkg_calloc(nr + nn + 1, sizeof *all);
  char **inputs = NULL, **named_iris = NULL;
  size_t n_inputs = 0, n_named = 0, n_all = 0;
  DipkgStatus st = all ? DIPKG_SUCCESS : DIPKG_ERR_NO_MEMORY;
  for (size_t i = 0; !st && i < nr + nn; i++) {
    const char *path = i < nr ? rdf[i] : named[i - nr];
    char *iri = file_iri(path);
    if (!iri) {
      st = DIPKG_ERR_NO_MEMORY;
      break;
    }
    if (!has_string(inputs, n_inputs, iri) &&
        !has_string(named_iris, n_named, iri))
      all[n_all++] = path;
    if (!(i < nr ? push_string(&inputs, &n_inputs, iri)
                 : push_string(&named_iris, &n_named, iri)))
      st = DIPKG_ERR_NO_MEMORY;
    dipkg_free(iri);
  }
  if (!st)
    st = dipkg_store_load(s, facts, all, stats);
  for (size_t i = 0; !st && i < n_inputs; i++)
    if (!push_string(&s->inputs, &s->n_inputs, inputs[i]))
      st = DIPKG_ERR_NO_MEMORY;
  for (size_t i = 0; !st && i < n_named; i++)
    if (!push_string(&s->named_files, &s->n_named_files, named_iris[i]))
      st = DIPKG_ERR_NO_MEMORY;
  free_strings(&inputs, &n_inputs);
  free_strings(&named_iris, &n_named);
  dipkg_free(all);
  return st;
}

void
dipkg_store_set_lock_wait(DipkgStore *s, unsigned seconds)
{
  s->lock_wait_s = seconds;
}

void
dipkg_store_set_rebase(DipkgStore *s, int rebase)
{
  s->rebase = rebase != 0;
}

DipkgStatus
dipkg_store_use_recorded_base(DipkgStore *s)
{
  DipkgStoreMeta meta;
  bool found = false;
  DipkgDiagList diags = {0};
  DipkgStatus st = dipkg_store_meta_read(&s->spec, &meta, &found, &diags);
  if (!st && found && meta.base && strcmp(meta.base, s->world->base))
    st = dipkg_world_set_base(s->world, meta.base);
  deliver(s->world, &diags);
  dipkg_store_meta_fini(&meta);
  return st;
}

/* ------------------------------------------------------- loading */

typedef struct RdfLoad {
  DipkgSink *sink;
  const char *file_graph;  // the graph of statements outside named graphs
  const char *current;     // the graph begun last (borrowed or file_graph)
  char *current_copy;
  uint64_t statements;
  DipkgStatus st;
  char blank_prefix[24];  // makes the file's blank nodes its own
} RdfLoad;

/* Blank nodes are local to their file: raptor names them per parse
 * (genid1, ...) and two files' _:b are two nodes.  Each file's labels get
 * a prefix made from the file's name, the same at every load of that file
 * (which replaces its graphs, so its blank nodes with them). */
static void
set_blank_prefix(RdfLoad *l, const char *file)
{
  uint64_t h = dipkg_fingerprint(DIPKG_FINGERPRINT_START, file, strlen(file));
  snprintf(l->blank_prefix, sizeof l->blank_prefix, "f%016llx",
           (unsigned long long)h);
}

/* `t`, with a blank node's label prefixed into `buf` (which must outlive
 * the returned term). */
static const DipkgTerm *
local_blank(const RdfLoad *l, const DipkgTerm *t, DipkgTerm *copy,
            DipkgBuf *buf)
{
  if (t->kind != DIPKG_TERM_BLANK)
    return t;
  dipkg_buf_puts(buf, l->blank_prefix);
  dipkg_buf_putc(buf, '_');
  dipkg_buf_append(buf, t->str, t->len);
  *copy = *t;
  copy->str = buf->data;
  copy->len = buf->len;
  return copy;
}

static DipkgStatus
count_statement(void *user, const DipkgTerm *s, const DipkgTerm *p,
                const DipkgTerm *o, const DipkgTerm *g)
{
  (void)s, (void)p, (void)o, (void)g;
  ((RdfLoad *)user)->statements++;
  return DIPKG_SUCCESS;
}

static DipkgStatus
load_statement(void *user, const DipkgTerm *s, const DipkgTerm *p,
               const DipkgTerm *o, const DipkgTerm *g)
{
  RdfLoad *l = user;
  const char *graph = l->file_graph;
  if (g && g->kind == DIPKG_TERM_IRI)
    graph = g->str;
  if (!l->current || strcmp(l->current, graph)) {
    dipkg_free(l->current_copy);
    l->current_copy = dipkg_strdup(graph);
    if (!l->current_copy)
      return DIPKG_ERR_NO_MEMORY;
    l->current = l->current_copy;
    DipkgStatus st = l->sink->begin_graph(l->sink, l->current);
    if (st)
      return st;
  }
  l->statements++;
  DipkgTerm s2, o2;
  DipkgBuf sb = DIPKG_BUF_INIT, ob = DIPKG_BUF_INIT;
  const DipkgTerm *subject = local_blank(l, s, &s2, &sb);
  const DipkgTerm *object = local_blank(l, o, &o2, &ob);
  // "abc"^^xsd:string is "abc" (RDF 1.1): stored in one form, so that
  // rasqal's DISTINCT, = and STRDT see one term, not two.
  DipkgTerm plain;
  if (object->kind == DIPKG_TERM_LITERAL && object->datatype &&
      !strcmp(object->datatype, XSD_STRING)) {
    plain = *object;
    plain.datatype = NULL;
    object = &plain;
  }
  DipkgStatus st = sb.oom || ob.oom
                     ? DIPKG_ERR_NO_MEMORY
                     : l->sink->statement(l->sink, subject, p, object);
  dipkg_buf_free(&sb);
  dipkg_buf_free(&ob);
  return st;
}

/* Parses the RDF input `path` as the user named it ("-" for standard
 * input): its syntax by its name (the format table), or `fallback` (a
 * raptor parser name from --input-format, or NULL) when the name does not
 * tell.  Otherwise as dipkg_rdf_parse_file(). */
static DipkgStatus
parse_input(const char *path, const char *fallback, DipkgStatementFunc fn,
            void *user, DipkgDiagList *diags)
{
  const char *syntax = dipkg_rdf_syntax_for_path(path);
  return dipkg_rdf_parse_file(path, path, syntax ? syntax : fallback, fn, user,
                              diags);
}

/* The file: IRI of `path`, the graph of its statements. */
static char *
file_iri(const char *path)
{
  if (!strcmp(path, "-"))  // standard input
    return dipkg_strdup("file:///dev/stdin");
  char *resolved = realpath(path, NULL);  // malloc'd by libc
  const char *real = resolved ? resolved : path;
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, "file://");
  for (const char *p = real; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || strchr("-._~/", c))
      dipkg_buf_putc(&b, (char)c);
    else
      dipkg_buf_printf(&b, "%%%02X", c);
  }
  free(resolved);
  return dipkg_buf_take(&b);
}

static DipkgStatus
load_rdf_file(DipkgWorld *w, DipkgSink *sink, const char *path,
              uint64_t *statements)
{
  char *graph = file_iri(path);
  if (!graph)
    return DIPKG_ERR_NO_MEMORY;
  RdfLoad l = {sink, graph, NULL, NULL, 0, DIPKG_SUCCESS, ""};
  set_blank_prefix(&l, graph);
  DipkgDiagList diags = {0};
  DipkgStatus st =
    parse_input(path, w->input_syntax, load_statement, &l, &diags);
  deliver(w, &diags);
  if (!st && l.current)
    st = sink->end_graph(sink);
  *statements += l.statements;
  dipkg_free(graph);
  dipkg_free(l.current_copy);
  return st;
}

static DipkgStatus
load_ontology(DipkgWorld *w, DipkgSink *sink)
{
  DipkgStatus st = sink->begin_graph(sink, ONTOLOGY_GRAPH);
  RdfLoad l = {sink, ONTOLOGY_GRAPH, ONTOLOGY_GRAPH, NULL, 0, DIPKG_SUCCESS,
               ""};
  for (size_t i = 0; !st && i < dipkg_ontology_n_files(w->ontology); i++) {
    const char *path = dipkg_ontology_file(w->ontology, i);
    const char *slash = strrchr(path, '/');
    set_blank_prefix(&l,
                     slash ? slash + 1 : path);  // not where it is installed
    DipkgDiagList diags = {0};
    st = dipkg_rdf_parse_file(path, path, "turtle", load_statement, &l, &diags);
    deliver(w, &diags);
  }
  dipkg_free(l.current_copy);
  return st ? st : sink->end_graph(sink);
}

/* Checks that each RDF file parses before anything is written. */
static DipkgStatus
check_rdf_files(DipkgWorld *w, const char *const *rdf)
{
  DipkgStatus st = DIPKG_SUCCESS;
  for (size_t i = 0; rdf && rdf[i]; i++) {
    RdfLoad l = {0};
    DipkgDiagList diags = {0};
    DipkgStatus s =
      parse_input(rdf[i], w->input_syntax, count_statement, &l, &diags);
    deliver(w, &diags);
    if (s && !st)
      st = s;
  }
  return st;
}

/* A fingerprint of the ontology's files ("fnv1a64:HEX"; caller frees):
 * recorded in a store, to tell later which ontology its closure used. */
static char *
ontology_fingerprint(const DipkgWorld *w)
{
  uint64_t h = DIPKG_FINGERPRINT_START;
  for (size_t i = 0; i < dipkg_ontology_n_files(w->ontology); i++) {
    FILE *f = fopen(dipkg_ontology_file(w->ontology, i), "rb");
    char chunk[4096];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
      h = dipkg_fingerprint(h, chunk, n);
    if (f)
      fclose(f);
  }
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, "fnv1a64:%016llx", (unsigned long long)h);
  return b.oom ? (dipkg_buf_free(&b), NULL) : dipkg_buf_take(&b);
}

/* A sink in front of the store's that watches the free space of a load's
 * working copy (a full disk stops the load cleanly, before the database
 * runs out of room). */
typedef struct SpaceGuard {
  DipkgSink base;
  DipkgSink *next;
  DipkgStoreTxn *txn;
  DipkgDiagList *log;
} SpaceGuard;

static DipkgStatus
guard_begin(DipkgSink *sink, const char *graph)
{
  SpaceGuard *g = (SpaceGuard *)sink;
  return g->next->begin_graph(g->next, graph);
}

static DipkgStatus
guard_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
                const DipkgTerm *o)
{
  SpaceGuard *g = (SpaceGuard *)sink;
  DipkgStatus st =
    g->txn ? dipkg_store_txn_check_space(g->txn, g->log) : DIPKG_SUCCESS;
  if (!st)
    st = g->next->statement(g->next, s, p, o);
  g->base.n_statements = g->next->n_statements;
  return st;
}

static DipkgStatus
guard_end(DipkgSink *sink)
{
  SpaceGuard *g = (SpaceGuard *)sink;
  return g->next->end_graph(g->next);
}

/* Refuses a load whose base differs from the one the store records. */
static DipkgStatus
check_base(DipkgStore *s, const DipkgStoreMeta *meta)
{
  const char *base = s->world->base;
  if (!meta || !meta->base || !strcmp(meta->base, base) || s->rebase)
    return DIPKG_SUCCESS;
  DipkgDiagList diags = {0};
  dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, NULL,
                 (DipkgLoc){0, 0, 0},
                 "the store %s was loaded with the base %s, and this load's "
                 "base is %s: load with --base %s, or give --rebase to record "
                 "the new base (graphs not loaded again keep their IRIs under "
                 "the old one); the store is unchanged",
                 s->spec.text, meta->base, base, meta->base);
  deliver(s->world, &diags);
  return DIPKG_ERR_USAGE;
}

DipkgStatus
dipkg_store_load(DipkgStore *s, DipkgCorpus *facts, const char *const *rdf,
                 DipkgStats **stats_out)
{
  if (stats_out)
    *stats_out = NULL;
  DipkgWorld *w = s->world;
  dipkg_world_begin_run(w);
  DipkgStatus st = dipkg_world_require_ontology(w);
  if (st)
    return st;
  // RDF files are parsed once before the store is touched; the facts are
  // checked as they are written, and a failure undoes the write (below).
  st = check_rdf_files(w, rdf);
  if (st)
    return st;
  const DipkgStoreSpec *spec = &s->spec;
  const DipkgBackend *be = spec->backend;
  bool other = be->pass_through;
  if ((other || be->in_place) && facts) {
    // Nothing can undo a partial write here: a memory store is written in
    // place, without a transaction, and another storage may lack them (only
    // known once it is open).  The run writes each file as soon as it is
    // mapped, while later files are still being checked, so a bad file
    // found late would leave the earlier ones half replaced: validate first.
    st = dipkg_corpus_validate(facts, NULL);
    if (st)
      return st;
  }
  // Where to write: a memory store in place; a store on disk in a working
  // copy, under its lock, swapped in at the end (backend.c); another
  // storage in a transaction if it has them.
  DipkgStoreTxn *txn = NULL;
  if (be->disk) {
    st = dipkg_store_txn_begin(w, spec, s->lock_wait_s, &txn);
    if (!st)
      st = check_base(s, dipkg_store_txn_meta(txn));
    if (st) {
      dipkg_store_txn_end(txn);
      return st;
    }
  }
  // Redland's messages (the real reason of a failure: "database is
  // locked", a full disk) go here until the model is closed.
  DipkgDiagList log = {0};
  DipkgModel *model = s->kept;
  if (!model)
    st = dipkg_model_open(spec, txn ? dipkg_store_txn_where(txn) : NULL, true,
                          &log, &model);
  bool transaction = false;
  if (!st && (txn || other)) {
    // In a working copy a transaction is for speed (one commit); the
    // copy is what makes the load all or nothing.
    transaction = dipkg_model_begin(model) == DIPKG_SUCCESS;
    if (!transaction && other) {
      dipkg_diag_add(&log, DIPKG_SEVERITY_WARNING, DIPKG_ERR_STORE, NULL,
                     (DipkgLoc){0, 0, 0},
                     "the %s storage has no transactions: if the load fails "
                     "part-way (a full disk, a lost connection), the store is "
                     "left partly loaded",
                     spec->type);
    }
  }
  DipkgStats *stats = NULL;
  uint64_t rdf_statements = 0, ontology_statements = 0;
  if (!st) {
    DipkgSink *base = dipkg_model_sink(model, true, false, &log);
    SpaceGuard guard = {
      {guard_begin, guard_statement, guard_end, 0}, base, txn, &log};
    DipkgClosureSink closure;
    dipkg_closure_sink_init(&closure, &guard.base, w->ontology, s->closure);
    dipkg_model_sink_reset(model);
    st = load_ontology(w, &closure.base);
    ontology_statements = closure.base.n_statements;
    if (!st && facts) {
      DipkgRunSpec run = {.mode = DIPKG_RUN_SINK, .sink = &closure.base};
      st = dipkg_corpus_run(facts, &run, &stats);
    }
    // RDF files may repeat statements, and not grouped by subject: the
    // hashes storage must check what the graph holds.
    dipkg_model_sink(model, true, be->hashes, &log);
    uint64_t before = base->n_statements;
    size_t n_rdf = 0;
    while (rdf && rdf[n_rdf])
      n_rdf++;
    for (size_t i = 0; !st && i < n_rdf; i++) {
      uint64_t read = 0;
      st = load_rdf_file(w, &closure.base, rdf[i], &read);
      if (!st)
        dipkg_world_progress(w, DIPKG_PHASE_RDF, i + 1, n_rdf);
    }
    // What the store received: the files' statements and their closure,
    // without repeats.
    rdf_statements = base->n_statements - before;
    dipkg_closure_sink_fini(&closure);
  }
  if (!stats)
    stats = dipkg_stats_new();
  if (stats)  // statements added: the facts' (counted by the run), these
    stats->counts[DIPKG_COUNT_TRIPLES] += rdf_statements + ontology_statements;
  // Finish or undo.
  if (transaction) {
    if (st)
      dipkg_model_rollback(model);
    else
      st = dipkg_model_commit(model);
  }
  DipkgStoreMeta meta = {0};
  if (!st && txn) {
    // What the store records about itself: the base of its IRIs, who
    // wrote it, and how many statements it holds (checked by stats).
    meta.base = dipkg_strdup(w->base);
    meta.version = dipkg_strdup(DIPKG_VERSION);
    meta.ontology = ontology_fingerprint(w);
    uint64_t graphs = 0;
    if (!meta.base || !meta.version || !meta.ontology)
      st = DIPKG_ERR_NO_MEMORY;
    else
      st = dipkg_model_count(model, &meta.statements, &graphs);
    meta.has_statements = !st;
  }
  if (model && model != s->kept) {
    if (be->in_place && !st) {
      s->kept = model;
      dipkg_model_set_log(model, NULL, NULL);
    } else {
      dipkg_model_close(model);  // flushes: its messages still go to `log`
    }
  } else if (model) {
    dipkg_model_set_log(model, NULL, NULL);
  }
  if (!st && txn)
    st = dipkg_store_txn_commit(txn, &meta, &log);
  dipkg_store_meta_fini(&meta);
  dipkg_store_txn_end(txn);
  deliver(w, &log);
  if (st && st != DIPKG_ERR_DATA &&
      !(stats && stats->counts[DIPKG_COUNT_ERRORS]))
    report(w, st, NULL, "the load failed; the store is unchanged", NULL);
  if (stats_out)
    *stats_out = stats;
  else
    dipkg_stats_free(stats);
  return st;
}

/* ------------------------------------------------------- counting */

typedef struct TypeRow {
  const char *subject;
  const DipkgClass *cls;
} TypeRow;

typedef struct TypeScan {
  const DipkgOntology *onto;
  DipkgArena *arena;
  TypeRow *rows;
  size_t n, cap;
  bool oom;
} TypeScan;

static void
on_type(void *user, const char *subject, const char *cls_iri)
{
  TypeScan *t = user;
  const DipkgClass *cls = dipkg_ontology_class_iri(t->onto, cls_iri);
  if (!cls || !cls->local || t->oom)
    return;
  if (dipkg_grow((void **)&t->rows, &t->cap, t->n + 1, sizeof *t->rows)) {
    t->oom = true;
    return;
  }
  char *copy = dipkg_arena_strndup(t->arena, subject, strlen(subject));
  if (!copy) {
    t->oom = true;
    return;
  }
  t->rows[t->n++] = (TypeRow){copy, cls};
}

static int
compare_rows(const void *a, const void *b)
{
  const TypeRow *x = a, *y = b;
  int c = strcmp(x->subject, y->subject);
  return c ? c : strcmp(x->cls->iri, y->cls->iri);
}

/* Counts each subject once, under its most specific dip: class (one that
 * is not a superclass of another of its classes). */
static void
count_types(TypeScan *t, DipkgStats *stats)
{
  if (t->n > 1)
    qsort(t->rows, t->n, sizeof *t->rows, compare_rows);
  const DipkgClass *article =
    dipkg_ontology_class_iri(t->onto, DIPKG_NS "Article");
  for (size_t i = 0; i < t->n;) {
    size_t j = i;
    while (j < t->n && !strcmp(t->rows[j].subject, t->rows[i].subject))
      j++;
    const DipkgClass *best = NULL;
    for (size_t k = i; k < j && !best; k++) {
      bool general = false;
      for (size_t m = i; m < j && !general; m++)
        general = m != k && t->rows[m].cls != t->rows[k].cls &&
                  dipkg_class_is_a(t->rows[m].cls, t->rows[k].cls);
      if (!general)
        best = t->rows[k].cls;
    }
    if (best == article)
      stats->counts[DIPKG_COUNT_ARTICLES]++;
    else if (best && (best->is_event || best->is_entity)) {
      dipkg_stats_add_class(stats, best, 1);
      stats
        ->counts[best->is_event ? DIPKG_COUNT_EVENTS : DIPKG_COUNT_ENTITIES]++;
    }
    i = j;
  }
}

/* Checks the statements counted against the count the store recorded at
 * its last load (a store on disk): a difference is damage. */
static DipkgStatus
check_count(DipkgStore *s, uint64_t statements)
{
  DipkgStoreMeta meta;
  bool found = false;
  DipkgDiagList diags = {0};
  DipkgStatus st = dipkg_store_meta_read(&s->spec, &meta, &found, &diags);
  if (!st && found && meta.has_statements && meta.statements != statements) {
    dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE,
                   s->spec.location, (DipkgLoc){0, 0, 0},
                   "the store is damaged: it holds %llu statements where the "
                   "last load left %llu (restore it from a backup, or load "
                   "its inputs again into a new store)",
                   (unsigned long long)statements,
                   (unsigned long long)meta.statements);
    st = DIPKG_ERR_STORE;
  }
  dipkg_store_meta_fini(&meta);
  deliver(s->world, &diags);
  return st;
}

DipkgStatus
dipkg_store_stats(DipkgStore *s, DipkgStats **out)
{
  *out = NULL;
  DipkgWorld *w = s->world;
  DipkgStatus st = dipkg_world_require_ontology(w);
  if (st)
    return st;
  DipkgDiagList diags = {0};
  DipkgModel *model = s->kept;
  if (!model)
    st = dipkg_model_open(&s->spec, NULL, false, &diags, &model);
  deliver(w, &diags);
  if (st)
    return st;
  DipkgStats *stats = dipkg_stats_new();
  TypeScan scan = {w->ontology, dipkg_arena_new(), NULL, 0, 0, false};
  if (!stats || !scan.arena) {
    st = DIPKG_ERR_NO_MEMORY;
  } else {
    uint64_t statements, graphs;
    st = dipkg_model_count(model, &statements, &graphs);
    stats->counts[DIPKG_COUNT_TRIPLES] = statements;
    stats->counts[DIPKG_COUNT_FILES] = graphs;
    if (!st)
      st = check_count(s, statements);
    if (!st)
      st = dipkg_model_each_type(model, on_type, &scan);
    if (!st && scan.oom)
      st = DIPKG_ERR_NO_MEMORY;
    if (!st)
      count_types(&scan, stats);
    dipkg_stats_finish(stats);
  }
  dipkg_free(scan.rows);
  dipkg_arena_free(scan.arena);
  if (model != s->kept)
    dipkg_model_close(model);
  if (st) {
    dipkg_stats_free(stats);
    return st;
  }
  *out = stats;
  return DIPKG_SUCCESS;
}

/* -------------------------------------------------------- queries */

DipkgStatus
dipkg_result_format_from_name(const char *name, DipkgResultFormat *format)
{
  static const struct {
    const char *name;
    DipkgResultFormat format;
  } names[] = {
    {"table", DIPKG_RESULTS_TABLE}, {"csv", DIPKG_RESULTS_CSV},
    {"tsv", DIPKG_RESULTS_TSV},     {"json", DIPKG_RESULTS_JSON},
    {"xml", DIPKG_RESULTS_XML},     {"turtle", DIPKG_RESULTS_TURTLE},
    {"ttl", DIPKG_RESULTS_TURTLE},  {"ntriples", DIPKG_RESULTS_NTRIPLES},
    {"nt", DIPKG_RESULTS_NTRIPLES}};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(name, names[i].name)) {
      *format = names[i].format;
      return DIPKG_SUCCESS;
    }
  // JSON-LD by the names the output-format table gives it.
  DipkgFormat f;
  if (!dipkg_format_from_name(name, &f) && f == DIPKG_FORMAT_JSONLD) {
    *format = DIPKG_RESULTS_JSONLD;
    return DIPKG_SUCCESS;
  }
  return DIPKG_ERR_USAGE;
}

/* What a query runs, in the child or here. */
typedef struct QueryWork {
  DipkgStore *store;
  const DipkgSparql *q;
  const char *name;
  DipkgResultFormat format;
} QueryWork;

/* Runs the query in this process, writing results to `out` (a
 * DipkgExecWork). */
static DipkgStatus
run_here(void *user, FILE *out, DipkgDiagList *diags, uint64_t *rows)
{
  const QueryWork *work = user;
  DipkgStore *s = work->store;
  DipkgModel *model = s->kept;
  DipkgStatus st = DIPKG_SUCCESS;
  if (!model)
    st = dipkg_model_open(&s->spec, NULL, false, diags, &model);
  if (st)
    return st;
  st = dipkg_model_hide_graph(
    model, s->with_ontology || work->q->with_ontology ? NULL : ONTOLOGY_GRAPH);
  if (!st)
    st = dipkg_model_set_named(model, ONTOLOGY_GRAPH, work->q->graph_by_name);
  if (!st) {
    const OwnedDataset *d = &s->dataset;
    DipkgDataset view = {(const char *const *)d->defaults, d->n_defaults,
                         (const char *const *)d->named, d->n_named};
    st = dipkg_model_set_dataset(model, &view);
  }
  if (!st)
    st = dipkg_model_set_files(
      model, s->default_graph == DIPKG_DEFAULT_GRAPH_MERGE,
      (const char *const *)s->inputs, s->n_inputs,
      (const char *const *)s->named_files, s->n_named_files);
  if (st) {
    if (model != s->kept)
      dipkg_model_close(model);
    return st;
  }
  DipkgResults *r = dipkg_results_new(work->format, out, work->q->prefixes);
  st = r ? dipkg_query_run(model, work->q, work->name, r, diags)
         : DIPKG_ERR_NO_MEMORY;
  if (r)
    *rows = dipkg_results_count(r);
  dipkg_results_free(r);
  if (model != s->kept)
    dipkg_model_close(model);
  return st;
}

DipkgStatus
dipkg_store_query(DipkgStore *s, const char *text, const char *name,
                  const char *const *bindings, DipkgResultFormat format,
                  FILE *out, uint64_t *rows_out)
{
  DipkgWorld *w = s->world;
  DipkgDiagList diags = {0};
  const char *shown = name ? name : "<query>";
  uint64_t rows = 0;
  DipkgSparqlOptions options = {s->policy.raw != 0,
                                s->policy.allow_service != 0,
                                s->dataset.n_defaults + s->dataset.n_named > 0};
  DipkgSparql q;
  DipkgStatus st = dipkg_sparql_prepare_with(
    text, strlen(text), shown, w->prefixes, bindings, &options, &diags, &q);
  if (!st)
    st = dipkg_query_check(&q, shown, &diags);
  // A query read from a file resolves relative IRIs (FROM <data.ttl>)
  // against the file, as SPARQL does against the query's address.
  if (!st && name && access(name, R_OK) == 0 && !(q.base = file_iri(name)))
    st = DIPKG_ERR_NO_MEMORY;
  if (!st) {
    bool graph = q.form == DIPKG_QUERY_CONSTRUCT;
    st = dipkg_results_fit_format(&format, graph, shown, &diags);
  }
  if (!st) {
    QueryWork work = {s, &q, shown, format};
    st = dipkg_exec_run(&s->policy, shown, run_here, &work, out, &diags, &rows);
  }
  dipkg_sparql_fini(&q);
  deliver(w, &diags);
  if (rows_out)
    *rows_out = rows;
  return st;
}

DipkgStatus
dipkg_query_explain(DipkgWorld *w, const char *text, const char *name,
                    const char *const *bindings, FILE *out)
{
  return dipkg_query_explain_with(w, NULL, text, name, bindings, out);
}

DipkgStatus
dipkg_query_explain_with(DipkgWorld *w, const DipkgQueryPolicy *policy,
                         const char *text, const char *name,
                         const char *const *bindings, FILE *out)
{
  DipkgQueryPolicy defaults;
  if (!policy) {
    dipkg_query_policy_init(&defaults);
    policy = &defaults;
  }
  DipkgSparqlOptions options = {policy->raw != 0, policy->allow_service != 0,
                                false};
  DipkgDiagList diags = {0};
  const char *shown = name ? name : "<query>";
  DipkgSparql q;
  DipkgStatus st = dipkg_sparql_prepare_with(
    text, strlen(text), shown, w->prefixes, bindings, &options, &diags, &q);
  if (!st)
    st = dipkg_query_check(&q, shown, &diags);
  if (!st && out &&
      (fputs(q.executed, out) == EOF ||
       (*q.executed && q.executed[strlen(q.executed) - 1] != '\n' &&
        putc('\n', out) == EOF) ||
       fflush(out)))
    st =
      report(w, DIPKG_ERR_IO, NULL, "cannot write the query", strerror(errno));
  dipkg_sparql_fini(&q);
  deliver(w, &diags);
  return st;
}

/* ------------------------------------------------------ from a store */

static DipkgStatus
add_parsed(void *user, const DipkgTerm *s, const DipkgTerm *p,
           const DipkgTerm *o, const DipkgTerm *g)
{
  (void)g;
  return dipkg_graph_add(user, s, p, o);
}

DipkgStatus
dipkg_store_graph(DipkgWorld *world, DipkgStore *store, DipkgGraph **out)
{
  *out = NULL;
  // Through the query path: the store's union default graph without
  // repeats, read in the query's child (rasqal cannot take this process
  // down), then parsed back.
  FILE *spool = tmpfile();
  if (!spool) {
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, NULL,
                   (DipkgLoc){0, 0, 0}, "cannot create a spool file: %s",
                   strerror(errno));
    dipkg_world_deliver(world, &list);
    return DIPKG_ERR_IO;
  }
  DipkgStatus st =
    dipkg_store_query(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n",
                      "<describe>", NULL, DIPKG_RESULTS_NTRIPLES, spool, NULL);
  DipkgGraph *g = st ? NULL : dipkg_graph_new(world);
  if (!st && !g)
    st = DIPKG_ERR_NO_MEMORY;
  if (!st) {
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fileno(spool));
    rewind(spool);
    DipkgDiagList diags = {0};
    st =
      dipkg_rdf_parse_file(path, "<store>", "ntriples", add_parsed, g, &diags);
    dipkg_world_deliver(world, &diags);
  }
  fclose(spool);
  return dipkg_graph_finish(g, st, out);
}
