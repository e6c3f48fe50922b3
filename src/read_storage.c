/* The storage queries read from: a thin Redland storage over the store's
 * own, which answers every triple pattern from an index when the store has
 * one for it.
 *
 * rasqal asks Redland for each triple pattern of a query with
 * librdf_model_find_statements(), once per row of the patterns before it.
 * Redland's hashes storage (memory: and bdb:) has indexes for a pattern
 * with exactly one unknown part (sp2o, po2s, so2p) and, with
 * index-predicates, for a predicate alone (p2so); for anything else, and
 * in particular for a pattern whose three parts are all known by then
 * (`?c skos:notation ?code` once ?c and ?code are bound), it reads every
 * statement of the store.  A join then costs rows × store size: a query
 * over the 8,000-statement seed store took 75 s.  This storage answers a
 * fully known pattern from the sp2o index (the subject's objects for the
 * predicate, filtered), a pattern in a named graph whose subject and
 * predicate or predicate and object are known from the same indexes
 * (filtered by graph), and passes everything else on.  For every storage
 * it also makes the default graph the union of the named graphs without
 * repeats (a statement two graphs hold is found once), and answers the
 * patterns whose predicate is a property path's <urn:dipkg:path:...> IRI
 * by evaluating the path (path_eval.c).  It only reads: loads go to the
 * store's own storage. */
#include "read_storage.h"

#include <redland.h>
// (after redland.h, which declares the types it uses)
#include <rdf_storage_module.h>

#include "hash.h"
#include "memory.h"
#include "path_eval.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define READ_STORAGE_NAME "dipkg-read"

typedef struct Reader {
  librdf_storage *inner;  // borrowed: the store's storage
  bool indexes;           // a hashes storage: use its indexes (see above)
  bool lost;  // a dedupe map ran out of memory: the answer may repeat rows
  librdf_node *hidden;    // owned, or NULL: a graph left out of the default
                          // graph (and of GRAPH ?g), still read by GRAPH <iri>
  librdf_node *ontology;  // owned: left out of GRAPH ?g
  bool all_named;         // every graph is a named graph (GRAPH <iri>)
  librdf_node **listed;   // owned: graphs listed as named graphs even when
  size_t n_listed;        // the store has none of that name (GRAPH <iri>)
  // The dataset given with the queries (the SPARQL Protocol's
  // default-graph-uri and named-graph-uri), when `dataset`: the default
  // graph is the merge of `defaults` and GRAPH reads `named` only; the
  // hidden graph and `all_named` do not apply then.  Nodes owned.
  bool dataset;
  librdf_node **defaults;
  size_t n_defaults;
  librdf_node **named;
  size_t n_named;
  // The W3C default graph of the inputs (dipkg_read_storage_set_files):
  bool merge;  // the default graph: the inputs' file graphs only (else all)
  librdf_node **inputs;       // owned: file graphs of inputs, in the default
  size_t n_inputs;            // graph also when named
  librdf_node **files_named;  // owned: file graphs loaded as named graphs
  size_t n_files_named;
  // The property paths of the query running (dipkg_read_storage_set_paths):
  const DipkgPath *paths;  // borrowed
  size_t n_paths;
  size_t path_limit;
  DipkgStatus path_status;  // the first failure of an evaluation
} Reader;

/* Frees the graphs of `*nodes` and the array; leaves it empty. */
static void
free_nodes(librdf_node ***nodes, size_t *n)
{
  for (size_t i = 0; i < *n; i++)
    librdf_free_node((*nodes)[i]);
  dipkg_free(*nodes);
  *nodes = NULL;
  *n = 0;
}

/* Appends a copy of `node` to `*nodes` (`*n` of them); false when out of
 * memory. */
static bool
push_node(librdf_node ***nodes, size_t *n, librdf_node *node)
{
  librdf_node **grown = dipkg_realloc(*nodes, (*n + 1) * sizeof *grown);
  if (!grown)
    return false;
  *nodes = grown;
  grown[*n] = librdf_new_node_from_node(node);
  if (!grown[*n])
    return false;
  (*n)++;
  return true;
}

/* Whether `node` is one of the `n` graphs of `nodes`. */
static bool
has_node(librdf_node *const *nodes, size_t n, librdf_node *node)
{
  for (size_t i = 0; i < n; i++)
    if (librdf_node_equals(nodes[i], node))
      return true;
  return false;
}

/* The storage being created: librdf_new_storage() passes options as text
 * only, so the inner storage is handed to init() through here. */
static _Thread_local librdf_storage *pending_inner;
static _Thread_local bool pending_indexes;

static librdf_storage *
inner_of(librdf_storage *storage)
{
  return ((Reader *)librdf_storage_get_instance(storage))->inner;
}

static int
reader_init(librdf_storage *storage, const char *name, librdf_hash *options)
{
  (void)name;
  if (options)
    librdf_free_hash(options);  // init owns the options
  if (!pending_inner)
    return 1;
  Reader *r = dipkg_calloc(1, sizeof *r);
  if (!r)
    return 1;
  r->inner = pending_inner;
  r->indexes = pending_indexes;
  librdf_storage_set_instance(storage, r);
  return 0;
}

static void
reader_terminate(librdf_storage *storage)
{
  Reader *r = librdf_storage_get_instance(storage);
  if (r && r->hidden)
    librdf_free_node(r->hidden);
  if (r && r->ontology)
    librdf_free_node(r->ontology);
  if (r) {
    free_nodes(&r->listed, &r->n_listed);
    free_nodes(&r->defaults, &r->n_defaults);
    free_nodes(&r->inputs, &r->n_inputs);
    free_nodes(&r->files_named, &r->n_files_named);
    free_nodes(&r->named, &r->n_named);
  }
  dipkg_free(r);
}

static int
reader_open(librdf_storage *storage, librdf_model *model)
{
  (void)storage;
  (void)model;
  return 0;  // the inner storage is open already
}

static int
reader_close(librdf_storage *storage)
{
  (void)storage;
  return 0;
}

static int
reader_size(librdf_storage *storage)
{
  return librdf_storage_size(inner_of(storage));
}

/* A stream map keeping the statements that match a pattern (and, when the
 * pattern says so, lie in a given graph). */
typedef struct Filter {
  librdf_statement *pattern;  // owned
  librdf_node *graph;         // owned, or NULL: any graph
} Filter;

static void
filter_free(void *context)
{
  Filter *f = context;
  librdf_free_statement(f->pattern);
  if (f->graph)
    librdf_free_node(f->graph);
  dipkg_free(f);
}

static librdf_statement *
filter_map(librdf_stream *stream, void *context, librdf_statement *item)
{
  Filter *f = context;
  if (!librdf_statement_match(item, f->pattern))
    return NULL;
  if (f->graph) {
    librdf_node *g = librdf_stream_get_context2(stream);
    if (!g || !librdf_node_equals(g, f->graph))
      return NULL;
  }
  return item;
}

/* Adds a filter for `pattern` (and `graph`, if not NULL) to `stream`. */
static librdf_stream *
filtered(librdf_stream *stream, librdf_statement *pattern, librdf_node *graph)
{
  if (!stream)
    return NULL;
  Filter *f = dipkg_calloc(1, sizeof *f);
  if (f) {
    f->pattern = librdf_new_statement_from_statement(pattern);
    f->graph = graph ? librdf_new_node_from_node(graph) : NULL;
  }
  if (!f || !f->pattern || (graph && !f->graph) ||
      librdf_stream_add_map(stream, filter_map, filter_free, f)) {
    if (f)
      filter_free(f);
    librdf_free_stream(stream);
    return NULL;
  }
  return stream;
}

/* The statements matching `pattern` read from an index of the inner
 * storage: the pattern with one of its known parts left out (so that
 * Redland picks its index for the other two), then filtered.  NULL when
 * the pattern has no two known parts that an index covers. */
static librdf_stream *
indexed(librdf_storage *inner, librdf_statement *pattern, librdf_node *graph)
{
  librdf_node *s = librdf_statement_get_subject(pattern);
  librdf_node *p = librdf_statement_get_predicate(pattern);
  librdf_node *o = librdf_statement_get_object(pattern);
  if (!p || (!s && !o))
    return NULL;
  // Leave out the object when the subject is known (sp2o), else the
  // subject (po2s).
  librdf_statement *wider = librdf_new_statement_from_statement(pattern);
  if (!wider)
    return NULL;
  if (s && o) {
    librdf_free_node(librdf_statement_get_object(wider));
    librdf_statement_set_object(wider, NULL);
  }
  librdf_stream *found = librdf_storage_find_statements(inner, wider);
  librdf_free_statement(wider);
  return filtered(found, pattern, graph);
}

/* The default graph is the union of the named graphs, an RDF merge: a
 * statement that two graphs hold is in it once, but the storage returns it
 * once per graph.  A map keeps the first of each, by a 64-bit fingerprint
 * of its terms (a collision, which would drop a statement, has odds of
 * about n^2 / 2^65 for n statements in one answer). */
typedef struct Seen {
  DipkgHashSet set;  // fingerprints
  bool *lost;        // the reader's flag, set when the set cannot grow
  const Reader *r;   // borrowed: which graphs are in the default graph
} Seen;

/* The fingerprint of node `n`, continuing from `h`: that of the same
 * term as dipkg's own sinks see it. */
static uint64_t
node_hash(uint64_t h, librdf_node *n)
{
  size_t len = 0;
  DipkgTerm t = {DIPKG_TERM_LITERAL, NULL, 0, NULL, NULL};
  if (librdf_node_is_resource(n)) {
    t.kind = DIPKG_TERM_IRI;
    t.str =
      (const char *)librdf_uri_as_counted_string(librdf_node_get_uri(n), &len);
  } else if (librdf_node_is_blank(n)) {
    t.kind = DIPKG_TERM_BLANK;
    t.str = (const char *)librdf_node_get_counted_blank_identifier(n, &len);
  } else {
    t.str =
      (const char *)librdf_node_get_literal_value_as_counted_string(n, &len);
    t.lang = librdf_node_get_literal_value_language(n);
    librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(n);
    if (dt)
      t.datatype = (const char *)librdf_uri_as_string(dt);
  }
  t.len = len;
  if (!t.str)
    t.str = "";
  return dipkg_hash_term(h, &t);
}

/* Adds `f` to the set; false if it was there.  On lack of memory the
 * statement is kept (a repeat is better than a loss) and the reader's flag
 * is set, so that the query reports the failure instead of its answer. */
static bool
seen_add(Seen *seen, uint64_t f)
{
  DipkgHashAdd added = dipkg_hashset_add_fp(&seen->set, f);
  if (added == DIPKG_HASH_NO_MEMORY)
    *seen->lost = true;
  return added != DIPKG_HASH_PRESENT;
}

/* Whether graph `g` holds the statements of an input file without graphs
 * (dipkg names such a graph with the file's file: IRI). */
static bool
is_file_graph(librdf_node *g)
{
  librdf_uri *u = librdf_node_is_resource(g) ? librdf_node_get_uri(g) : NULL;
  return u && !strncmp((const char *)librdf_uri_as_string(u), "file:", 5);
}

/* Whether the statements of graph `g` are in the default graph (see
 * dipkg_read_storage_set_files()). */
static bool
in_default_graph(const Reader *r, librdf_node *g)
{
  if (!g)
    return true;
  if (r->hidden && librdf_node_equals(g, r->hidden))
    return false;
  if (!r->merge)
    return true;
  if (is_file_graph(g))
    return has_node(r->inputs, r->n_inputs, g) ||
           !has_node(r->files_named, r->n_files_named, g);
  return !r->hidden && r->ontology && librdf_node_equals(g, r->ontology);
}

static librdf_statement *
unique_map(librdf_stream *stream, void *context, librdf_statement *item)
{
  Seen *seen = context;
  const Reader *r = seen->r;
  librdf_node *g = librdf_stream_get_context2(stream);
  if (r->dataset ? !(g && has_node(r->defaults, r->n_defaults, g))
                 : (r->hidden || r->merge) && !in_default_graph(r, g))
    return NULL;
  uint64_t h = 0;
  h = node_hash(h, librdf_statement_get_subject(item));
  h = node_hash(h, librdf_statement_get_predicate(item));
  h = node_hash(h, librdf_statement_get_object(item));
  return seen_add(context, h) ? item : NULL;
}

static void
unique_free(void *context)
{
  Seen *seen = context;
  dipkg_hashset_free(&seen->set);
  dipkg_free(seen);
}

/* `stream` without repeated statements. */
static librdf_stream *
unique(Reader *r, librdf_stream *stream)
{
  if (!stream)
    return NULL;
  Seen *seen = dipkg_calloc(1, sizeof *seen);
  if (seen) {
    seen->lost = &r->lost;
    seen->r = r;
  }
  if (!seen || librdf_stream_add_map(stream, unique_map, unique_free, seen)) {
    r->lost = true;  // rasqal would take the NULL stream for no statements
    dipkg_free(seen);
    librdf_free_stream(stream);
    return NULL;
  }
  return stream;
}

/* The statements of `graph` matching `pattern`: from an index where one
 * applies. */
static librdf_stream *
in_graph(Reader *r, librdf_statement *pattern, librdf_node *graph)
{
  if (graph && r->indexes) {
    librdf_stream *s = indexed(r->inner, pattern, graph);
    if (s)
      return s;
  }
  return librdf_storage_find_statements_in_context(r->inner, pattern, graph);
}

static librdf_stream *path_statements(librdf_storage *storage,
                                      librdf_statement *pattern,
                                      librdf_node *graph);

static librdf_stream *
default_statements(librdf_storage *storage, librdf_statement *pattern)
{
  Reader *r = librdf_storage_get_instance(storage);
  // A dataset with no default graph has an empty one; with one, the
  // graph's own statements are the default graph (no repeats to drop).
  if (r->dataset && !r->n_defaults)
    return librdf_new_empty_stream(librdf_storage_get_world(storage));
  if (r->dataset && r->n_defaults == 1)
    return in_graph(r, pattern, r->defaults[0]);
  librdf_stream *s = NULL;
  if (r->indexes && librdf_statement_get_subject(pattern) &&
      librdf_statement_get_predicate(pattern) &&
      librdf_statement_get_object(pattern))
    s = indexed(r->inner, pattern, NULL);
  if (!s)
    s = librdf_storage_find_statements(r->inner, pattern);
  return unique(r, s);
}

static librdf_stream *
graph_statements(librdf_storage *storage, librdf_statement *pattern,
                 librdf_node *graph)
{
  Reader *r = librdf_storage_get_instance(storage);
  // A graph the dataset does not name is not there (an empty graph).
  if (r->dataset && !(graph && has_node(r->named, r->n_named, graph)))
    return librdf_new_empty_stream(librdf_storage_get_world(storage));
  return in_graph(r, pattern, graph);
}

static librdf_stream *
reader_find_statements(librdf_storage *storage, librdf_statement *pattern)
{
  librdf_stream *s = path_statements(storage, pattern, NULL);
  return s ? s : default_statements(storage, pattern);
}

static librdf_stream *
reader_find_in_context(librdf_storage *storage, librdf_statement *pattern,
                       librdf_node *graph)
{
  librdf_stream *s = path_statements(storage, pattern, graph);
  return s ? s : graph_statements(storage, pattern, graph);
}

/* ------------------------------------------------- property paths */

/* The graph a path is evaluated over: the default graph (graph NULL) or a
 * named graph, read as the query reads it. */
typedef struct PathRead {
  librdf_storage *storage;
  librdf_node *graph;  // borrowed
} PathRead;

static librdf_stream *
path_find(void *user, librdf_statement *pattern)
{
  const PathRead *pr = user;
  return pr->graph ? graph_statements(pr->storage, pattern, pr->graph)
                   : default_statements(pr->storage, pattern);
}

/* The statements (S, <urn:dipkg:path:N>, O) of a path's solutions, in a
 * graph (a stream over an array it owns). */
typedef struct Solutions {
  librdf_statement **items;
  size_t n, at;
  librdf_node *graph;  // owned, or NULL
} Solutions;

static int
solutions_end(void *context)
{
  const Solutions *s = context;
  return s->at >= s->n;
}

static int
solutions_next(void *context)
{
  Solutions *s = context;
  if (s->at < s->n)
    s->at++;
  return s->at >= s->n;
}

static void *
solutions_get(void *context, int flags)
{
  const Solutions *s = context;
  if (s->at >= s->n || !s->items)
    return NULL;
  if (flags == LIBRDF_ITERATOR_GET_METHOD_GET_CONTEXT)
    return s->graph;  // borrowed by the caller
  return flags == LIBRDF_ITERATOR_GET_METHOD_GET_OBJECT ? s->items[s->at]
                                                        : NULL;
}

static void
solutions_free(void *context)
{
  Solutions *s = context;
  for (size_t i = 0; s->items && i < s->n; i++)
    librdf_free_statement(s->items[i]);
  dipkg_free(s->items);
  if (s->graph)
    librdf_free_node(s->graph);
  dipkg_free(s);
}

/* The index N of a predicate <urn:dipkg:path:NONCE:N> with the nonce of
 * the paths in `r` (one or more digits in N), or -1 for any other node. */
static long
path_index(const Reader *r, librdf_node *p)
{
  if (!r->n_paths || !p || !librdf_node_is_resource(p))
    return -1;
  const char *iri = (const char *)librdf_uri_as_string(librdf_node_get_uri(p));
  size_t len = strlen(DIPKG_PATH_IRI);
  if (strncmp(iri, DIPKG_PATH_IRI, len) ||
      strncmp(iri + len, r->paths[0].nonce, DIPKG_PATH_NONCE) ||
      iri[len + DIPKG_PATH_NONCE] != ':')
    return -1;
  const char *d = iri + len + DIPKG_PATH_NONCE + 1;
  if (!*d)
    return -1;
  long n = 0;
  for (; *d; d++) {
    if (*d < '0' || *d > '9' || n > 1000000)
      return -1;
    n = n * 10 + (*d - '0');
  }
  return n;
}

/* For a pattern whose predicate is a path's: the statements of its
 * solutions in `graph` (NULL: the default graph), from the pattern's given
 * ends; on failure an empty stream, with the failure in r->path_status.
 * NULL for any other pattern. */
static librdf_stream *
path_statements(librdf_storage *storage, librdf_statement *pattern,
                librdf_node *graph)
{
  Reader *r = librdf_storage_get_instance(storage);
  librdf_node *p = librdf_statement_get_predicate(pattern);
  long k = path_index(r, p);
  if (k < 0)
    return NULL;
  librdf_world *world = librdf_storage_get_world(storage);
  if ((size_t)k >= r->n_paths || r->path_status)
    return librdf_new_empty_stream(world);
  PathRead pr = {storage, graph};
  DipkgPathGraph g = {world, path_find, &pr};
  DipkgPathPairs pairs = {NULL, 0, 0};
  DipkgStatus st = dipkg_path_eval(
    &g, &r->paths[k], librdf_statement_get_subject(pattern),
    librdf_statement_get_object(pattern), r->path_limit, &pairs);
  Solutions *sol = st ? NULL : dipkg_calloc(1, sizeof *sol);
  if (sol && pairs.n)
    sol->items = dipkg_calloc(pairs.n, sizeof *sol->items);
  if (sol && graph)
    sol->graph = librdf_new_node_from_node(graph);
  if (!st && (!sol || (pairs.n && !sol->items) || (graph && !sol->graph)))
    st = DIPKG_ERR_NO_MEMORY;
  for (size_t i = 0; !st && sol->items && i < pairs.n; i++) {
    librdf_node *pc = librdf_new_node_from_node(p);
    librdf_statement *t =
      pc ? librdf_new_statement_from_nodes(world, pairs.nodes[2 * i], pc,
                                           pairs.nodes[2 * i + 1])
         : NULL;
    if (pc) {  // the statement took the nodes (or freed them)
      pairs.nodes[2 * i] = pairs.nodes[2 * i + 1] = NULL;
    }
    if (!t)
      st = DIPKG_ERR_NO_MEMORY;
    else
      sol->items[sol->n++] = t;
  }
  dipkg_path_pairs_free(&pairs);
  librdf_stream *stream =
    st ? NULL
       : librdf_new_stream(world, sol, solutions_end, solutions_next,
                           solutions_get, solutions_free);
  if (!stream) {
    if (sol)
      solutions_free(sol);
    r->path_status = st ? st : DIPKG_ERR_NO_MEMORY;
    return librdf_new_empty_stream(world);
  }
  return stream;
}

void
dipkg_read_storage_set_paths(librdf_storage *storage, const DipkgPath *paths,
                             size_t n, size_t limit)
{
  Reader *r = librdf_storage_get_instance(storage);
  r->paths = paths;
  r->n_paths = paths ? n : 0;
  r->path_limit = limit;
  r->path_status = DIPKG_SUCCESS;
}

DipkgStatus
dipkg_read_storage_path_status(librdf_storage *storage)
{
  const Reader *r = librdf_storage_get_instance(storage);
  return r->path_status;
}

static int
reader_contains(librdf_storage *storage, librdf_statement *statement)
{
  librdf_stream *s = reader_find_statements(storage, statement);
  if (!s)
    return 0;
  int found = !librdf_stream_end(s);
  librdf_free_stream(s);
  return found;
}

static librdf_stream *
reader_serialise(librdf_storage *storage)
{
  return librdf_storage_serialise(inner_of(storage));
}

/* No find_sources, find_arcs or find_targets (nor the arcs_in/out and
 * has_arc functions built on them): Redland's librdf_storage_find_statements()
 * sends a pattern with one unknown part to those when a storage has them,
 * past find_statements, and they would read the inner storage's every
 * graph: the hidden ontology graph in the default graph (`?c a owl:Class`
 * found the ontology's classes), a statement two graphs hold twice, and
 * graphs outside a given dataset.  Without them every pattern comes to
 * reader_find_statements(), whose read of the inner storage still uses
 * its sp2o/po2s/so2p indexes (the inner storage dispatches it). */

static librdf_stream *
reader_context_serialise(librdf_storage *storage, librdf_node *graph)
{
  return librdf_storage_context_as_stream(inner_of(storage), graph);
}

/* Whether `g` is one of the named graphs GRAPH ?g ranges over: not the
 * hidden graph, and not the graphs of input files without graphs, which
 * are the default graph's. */
static bool
is_named(const Reader *r, librdf_node *g)
{
  if (r->dataset)
    return has_node(r->named, r->n_named, g);
  if (r->all_named)
    return true;
  if (is_file_graph(g))
    return has_node(r->files_named, r->n_files_named, g);
  return !(r->ontology && librdf_node_equals(g, r->ontology));
}

/* The graphs rasqal is given as the dataset's named graphs (an iterator
 * over an array it owns). */
typedef struct Graphs {
  librdf_node **nodes;
  size_t n, at;
} Graphs;

static int
graphs_end(void *context)
{
  const Graphs *g = context;
  return g->at >= g->n;
}

static int
graphs_next(void *context)
{
  Graphs *g = context;
  if (g->at < g->n)
    g->at++;
  return g->at >= g->n;
}

static void *
graphs_get(void *context, int flags)
{
  const Graphs *g = context;
  return flags == LIBRDF_ITERATOR_GET_METHOD_GET_OBJECT && g->at < g->n
           ? g->nodes[g->at]  // borrowed by the caller, as Redland's are
           : NULL;
}

static void
graphs_free(void *context)
{
  Graphs *g = context;
  free_nodes(&g->nodes, &g->n);
  dipkg_free(g);
}

/* The named graphs (rasqal asks for them before the query runs, then reads
 * each with find_statements_in_context): the store's (see is_named()),
 * then the graphs the query names that the store lacks.  rasqal 0.9.33
 * evaluates GRAPH <iri> over a graph it is not given as one empty solution
 * (its "empty" row source is the join identity, not no rows): listed, such
 * a graph reads no statements, as SPARQL says. */
static librdf_iterator *
reader_contexts(librdf_storage *storage)
{
  Reader *r = librdf_storage_get_instance(storage);
  Graphs *g = dipkg_calloc(1, sizeof *g);
  if (!g)
    return NULL;
  bool ok = true;
  librdf_iterator *it = librdf_storage_get_contexts(r->inner);
  for (; ok && it && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *node = librdf_iterator_get_object(it);  // borrowed
    if (node && is_named(r, node))
      ok = push_node(&g->nodes, &g->n, node);
  }
  if (it)
    librdf_free_iterator(it);
  for (size_t i = 0; ok && i < r->n_listed; i++)
    if (!has_node(g->nodes, g->n, r->listed[i]))
      ok = push_node(&g->nodes, &g->n, r->listed[i]);
  librdf_iterator *graphs =
    ok ? librdf_new_iterator(librdf_storage_get_world(storage), g, graphs_end,
                             graphs_next, graphs_get, graphs_free)
       : NULL;
  if (!graphs)
    graphs_free(g);
  return graphs;
}

static librdf_node *
reader_feature(librdf_storage *storage, librdf_uri *feature)
{
  return librdf_storage_get_feature(inner_of(storage), feature);
}

static void
reader_factory(librdf_storage_factory *f)
{
  f->version = LIBRDF_STORAGE_INTERFACE_VERSION;
  f->init = reader_init;
  f->terminate = reader_terminate;
  f->open = reader_open;
  f->close = reader_close;
  f->size = reader_size;
  f->contains_statement = reader_contains;
  f->serialise = reader_serialise;
  f->find_statements = reader_find_statements;
  f->context_serialise = reader_context_serialise;
  f->find_statements_in_context = reader_find_in_context;
  f->get_contexts = reader_contexts;
  f->get_feature = reader_feature;
}

librdf_storage *
dipkg_read_storage_new(librdf_world *world, librdf_storage *inner, bool indexes)
{
  if (librdf_storage_register_factory(world, READ_STORAGE_NAME,
                                      "dipkg indexed reads", reader_factory))
    return NULL;
  pending_inner = inner;
  pending_indexes = indexes;
  librdf_storage *s = librdf_new_storage(world, READ_STORAGE_NAME, NULL, NULL);
  pending_inner = NULL;
  return s;
}

bool
dipkg_read_storage_set_named(librdf_storage *storage, const char *ontology,
                             bool all)
{
  Reader *r = librdf_storage_get_instance(storage);
  r->all_named = all;
  free_nodes(&r->listed, &r->n_listed);
  if (r->ontology)
    librdf_free_node(r->ontology);
  r->ontology = librdf_new_node_from_uri_string(
    librdf_storage_get_world(storage), (const unsigned char *)ontology);
  return r->ontology != NULL;
}

/* Replaces `*nodes` with the graphs of the `n` IRIs of `iris`; false when
 * out of memory (then empty). */
static bool
set_nodes(librdf_world *world, librdf_node ***nodes, size_t *count,
          const char *const *iris, size_t n)
{
  free_nodes(nodes, count);
  for (size_t i = 0; i < n; i++) {
    librdf_node *node =
      librdf_new_node_from_uri_string(world, (const unsigned char *)iris[i]);
    bool ok = node && push_node(nodes, count, node);
    if (node)
      librdf_free_node(node);
    if (!ok) {
      free_nodes(nodes, count);
      return false;
    }
  }
  return true;
}

bool
dipkg_read_storage_set_files(librdf_storage *storage, bool merge,
                             const char *const *inputs, size_t n_inputs,
                             const char *const *named, size_t n_named)
{
  Reader *r = librdf_storage_get_instance(storage);
  librdf_world *world = librdf_storage_get_world(storage);
  bool ok =
    set_nodes(world, &r->inputs, &r->n_inputs, inputs, n_inputs) &&
    set_nodes(world, &r->files_named, &r->n_files_named, named, n_named);
  r->merge = ok && merge;
  if (!ok) {
    free_nodes(&r->inputs, &r->n_inputs);
    free_nodes(&r->files_named, &r->n_files_named);
  }
  return ok;
}

bool
dipkg_read_storage_list_graph(librdf_storage *storage, const char *graph)
{
  Reader *r = librdf_storage_get_instance(storage);
  librdf_node *node = librdf_new_node_from_uri_string(
    librdf_storage_get_world(storage), (const unsigned char *)graph);
  bool ok = node && push_node(&r->listed, &r->n_listed, node);
  if (node)
    librdf_free_node(node);
  return ok;
}

int
dipkg_read_storage_has_graph(librdf_storage *storage, const char *graph)
{
  Reader *r = librdf_storage_get_instance(storage);
  librdf_node *node = librdf_new_node_from_uri_string(
    librdf_storage_get_world(storage), (const unsigned char *)graph);
  if (!node)
    return -1;
  // With a dataset, a graph outside its named graphs is not there either.
  if (r->dataset && !has_node(r->named, r->n_named, node)) {
    librdf_free_node(node);
    return 0;
  }
  int found = 0;
  librdf_iterator *it = librdf_storage_get_contexts(r->inner);
  for (; !found && it && !librdf_iterator_end(it); librdf_iterator_next(it)) {
    librdf_node *g = librdf_iterator_get_object(it);  // borrowed
    found = g && librdf_node_equals(g, node);
  }
  if (it)
    librdf_free_iterator(it);
  librdf_free_node(node);
  return found;
}

bool
dipkg_read_storage_hide(librdf_storage *storage, const char *graph)
{
  Reader *r = librdf_storage_get_instance(storage);
  if (r->hidden)
    librdf_free_node(r->hidden);
  r->hidden = NULL;
  if (!graph)
    return true;
  r->hidden = librdf_new_node_from_uri_string(librdf_storage_get_world(storage),
                                              (const unsigned char *)graph);
  return r->hidden != NULL;
}

/* `n` nodes of the IRIs at `iris` into `*out` (NULL when n is 0). */
static bool
nodes_new(librdf_world *world, const char *const *iris, size_t n,
          librdf_node ***out)
{
  *out = NULL;
  if (!n)
    return true;
  librdf_node **nodes = dipkg_calloc(n, sizeof *nodes);
  if (!nodes)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!(nodes[i] = librdf_new_node_from_uri_string(
            world, (const unsigned char *)iris[i]))) {
      size_t made = i;
      free_nodes(&nodes, &made);
      return false;
    }
  *out = nodes;
  return true;
}

bool
dipkg_read_storage_set_dataset(librdf_storage *storage, bool given,
                               const char *const *defaults, size_t n_defaults,
                               const char *const *named, size_t n_named)
{
  Reader *r = librdf_storage_get_instance(storage);
  free_nodes(&r->defaults, &r->n_defaults);
  free_nodes(&r->named, &r->n_named);
  r->dataset = false;
  if (!given)
    return true;
  librdf_world *world = librdf_storage_get_world(storage);
  librdf_node **d, **n;
  if (!nodes_new(world, defaults, n_defaults, &d))
    return false;
  if (!nodes_new(world, named, n_named, &n)) {
    free_nodes(&d, &n_defaults);
    return false;
  }
  r->defaults = d, r->n_defaults = n_defaults;
  r->named = n, r->n_named = n_named;
  r->dataset = true;
  return true;
}

bool
dipkg_read_storage_take_lost(librdf_storage *storage)
{
  Reader *r = librdf_storage_get_instance(storage);
  bool lost = r && r->lost;
  if (r)
    r->lost = false;
  return lost;
}
