#include "model.h"

#include "buf.h"
#include "hash.h"
#include "memory.h"
#include "read_storage.h"
#include "vocab.h"

#include <errno.h>
#include <pthread.h>
#include <redland.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct DipkgModel {
  DipkgStoreSpec spec;  // a copy, owned
  librdf_world *world;
  librdf_storage *storage;
  librdf_model *model;
  librdf_storage *reader;  // queries read through it (hashes storages)
  librdf_model *reader_model;
  DipkgDiagList *log;  // where Redland's messages go, or NULL
  const char *log_file;
  bool in_transaction;
  // The sink.
  DipkgSink sink;
  bool replace, check_duplicates;
  librdf_node *graph;        // the current graph
  DipkgHashSet replaced;     // graphs already replaced in this session (their
                             // IRIs, owned, as entries)
  librdf_uri *xsd_cache[8];  // datatype URIs, looked up by string
  char *xsd_keys[8];
  uint64_t graph_hash;  // of the current graph's IRI
  DipkgHashSet seen;    // fingerprints of the statements added this session
};

/* ---------------------------------------------------------- logging */

/* The model whose operation is under way in this thread: Redland's
 * messages go to its list.  (The world, and so the logger, is shared.) */
static _Thread_local DipkgModel *log_model;

static int
on_log(void *user, librdf_log_message *msg)
{
  (void)user;
  DipkgModel *m = log_model;
  if (!m || !m->log || librdf_log_message_level(msg) < LIBRDF_LOG_ERROR)
    return 1;  // warnings ("variable bound but unused"...) are noise
  raptor_locator *at = librdf_log_message_locator(msg);
  DipkgLoc loc = {0, 0, 0};
  if (at && at->line > 0) {
    loc.line = (unsigned)at->line;
    loc.col = at->column > 0 ? (unsigned)at->column : 0;
  }
  const char *text = librdf_log_message_message(msg);
  dipkg_diag_add(m->log, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, m->log_file,
                 loc, "%s", text ? text : "(no message)");
  return 1;
}

DipkgDiagList *
dipkg_model_set_log(DipkgModel *m, DipkgDiagList *diags, const char *file)
{
  DipkgDiagList *old = m->log;
  m->log = diags;
  log_model = m;
  m->log_file = file;
  return old;
}

/* ------------------------------------------------------------ world */

/* One Redland world for every open model of the process: a second world
 * cannot load the storage modules the first one loaded (Redland then says
 * "storage 'sqlite' not found"). */
static pthread_mutex_t world_mu = PTHREAD_MUTEX_INITIALIZER;
static librdf_world *shared_world;
static unsigned world_users;

static librdf_world *
acquire_world(void)
{
  pthread_mutex_lock(&world_mu);
  if (!shared_world) {
    shared_world = librdf_new_world();
    if (shared_world) {
      librdf_world_set_logger(shared_world, NULL, on_log);
      librdf_world_open(shared_world);
    }
  }
  librdf_world *w = shared_world;
  if (w)
    world_users++;
  pthread_mutex_unlock(&world_mu);
  return w;
}

static void
release_world(void)
{
  pthread_mutex_lock(&world_mu);
  if (world_users && --world_users == 0) {
    librdf_free_world(shared_world);
    shared_world = NULL;
  }
  pthread_mutex_unlock(&world_mu);
}

/* ---------------------------------------------------------- opening */

static DipkgStatus
store_error(DipkgDiagList *diags, const DipkgStoreSpec *spec, const char *what)
{
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, NULL,
                 (DipkgLoc){0, 0, 0}, "store %s: %s",
                 dipkg_diag_q(0, spec->text, strlen(spec->text)), what);
  return DIPKG_ERR_STORE;
}

DipkgStatus
dipkg_model_open(const DipkgStoreSpec *spec, const char *location, bool create,
                 DipkgDiagList *diags, DipkgModel **out)
{
  *out = NULL;
  const char *where = location ? location : spec->location;
  bool exists = dipkg_store_spec_exists(spec, where);
  if (!exists && !create)
    return store_error(diags, spec,
                       "no store there yet (create it with 'dipkg load')");
  // A read checks the store first (a missing or truncated database) and
  // opens it read-only: it never writes.
  if (!create) {
    DipkgStatus st = dipkg_store_verify(spec, diags);
    if (st)
      return st;
  }
  char *options = spec->backend->options(spec, where, create, exists);
  if (!options)
    return DIPKG_ERR_NO_MEMORY;
  DipkgModel *m = dipkg_calloc(1, sizeof *m);
  if (!m || !dipkg_store_spec_copy(&m->spec, spec)) {
    if (m)
      dipkg_store_spec_fini(&m->spec);
    dipkg_free(m);
    dipkg_free(options);
    return DIPKG_ERR_NO_MEMORY;
  }
  m->log = diags;
  log_model = m;
  m->world = acquire_world();
  if (m->world) {
    const char *name =
      spec->backend->redland_name ? spec->backend->redland_name : where;
    m->storage = librdf_new_storage(m->world, spec->type, name, options);
  }
  dipkg_free(options);
  if (m->storage)
    m->model = librdf_new_model(m->world, m->storage, NULL);
  DipkgStatus st = DIPKG_SUCCESS;
  if (!m->model)
    st = store_error(diags, spec,
                     !spec->backend->scheme
                       ? "Redland cannot open this storage (is its "
                         "librdf-storage package installed?)"
                       : "Redland cannot open it");
  if (!st && !librdf_model_supports_contexts(m->model))
    st = store_error(diags, spec,
                     "the storage has no named graphs (Redland's contexts), "
                     "and dipkg keeps each article in its own graph: add "
                     "contexts='yes' to its options");
  if (!st && create && spec->backend->prepare)
    st = spec->backend->prepare(where, diags);
  if (st) {
    dipkg_model_close(m);
    return st;
  }
  m->log = NULL;
  *out = m;
  return DIPKG_SUCCESS;
}

void
dipkg_model_close(DipkgModel *m)
{
  if (!m)
    return;
  if (m->in_transaction)
    dipkg_model_rollback(m);
  if (m->graph)
    librdf_free_node(m->graph);
  for (size_t i = 0; i < 8; i++) {
    if (m->xsd_cache[i])
      librdf_free_uri(m->xsd_cache[i]);
    dipkg_free(m->xsd_keys[i]);
  }
  dipkg_model_sink_reset(m);
  dipkg_hashset_free(&m->replaced);
  if (m->reader_model)
    librdf_free_model(m->reader_model);
  if (m->reader)
    librdf_free_storage(m->reader);
  if (m->model) {
    librdf_model_sync(m->model);
    librdf_free_model(m->model);
  }
  if (m->storage)
    librdf_free_storage(m->storage);
  if (m->world)
    release_world();
  if (log_model == m)
    log_model = NULL;
  dipkg_store_spec_fini(&m->spec);
  dipkg_free(m);
}

struct librdf_world_s *
dipkg_model_redland_world(DipkgModel *m)
{
  return m->world;
}

struct librdf_model_s *
dipkg_model_redland_reader(DipkgModel *m)
{
  // Only the hashes storages need the indexed reads (Redland's sqlite
  // storage turns every pattern into an indexed SQL query itself); all
  // need the union default graph without repeats.
  bool hashes = m->spec.backend->hashes;
  if (!m->reader_model) {
    if (!m->reader)
      m->reader = dipkg_read_storage_new(m->world, m->storage, hashes);
    if (m->reader)
      m->reader_model = librdf_new_model(m->world, m->reader, NULL);
  }
  return m->reader_model ? m->reader_model : m->model;
}

DipkgStatus
dipkg_model_set_paths(DipkgModel *m, const DipkgPath *paths, size_t n,
                      size_t limit)
{
  dipkg_model_redland_reader(m);
  if (!m->reader)
    return DIPKG_ERR_NO_MEMORY;
  dipkg_read_storage_set_paths(m->reader, paths, n, limit);
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_model_path_status(DipkgModel *m)
{
  return m->reader ? dipkg_read_storage_path_status(m->reader) : DIPKG_SUCCESS;
}

DipkgStatus
dipkg_model_hide_graph(DipkgModel *m, const char *iri)
{
  dipkg_model_redland_reader(m);
  if (!m->reader)
    return DIPKG_ERR_NO_MEMORY;
  return dipkg_read_storage_hide(m->reader, iri) ? DIPKG_SUCCESS
                                                 : DIPKG_ERR_NO_MEMORY;
}

DipkgStatus
dipkg_model_set_named(DipkgModel *m, const char *ontology, bool all)
{
  dipkg_model_redland_reader(m);
  if (!m->reader)
    return DIPKG_ERR_NO_MEMORY;
  return dipkg_read_storage_set_named(m->reader, ontology, all)
           ? DIPKG_SUCCESS
           : DIPKG_ERR_NO_MEMORY;
}

DipkgStatus
dipkg_model_list_graph(DipkgModel *m, const char *iri)
{
  dipkg_model_redland_reader(m);
  if (!m->reader)
    return DIPKG_ERR_NO_MEMORY;
  return dipkg_read_storage_list_graph(m->reader, iri) ? DIPKG_SUCCESS
                                                       : DIPKG_ERR_NO_MEMORY;
}

DipkgStatus
dipkg_model_has_graph(DipkgModel *m, const char *iri, bool *has)
{
  dipkg_model_redland_reader(m);
  int found = m->reader ? dipkg_read_storage_has_graph(m->reader, iri) : -1;
  *has = found > 0;
  return found < 0 ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

DipkgStatus
dipkg_model_set_dataset(DipkgModel *m, const DipkgDataset *dataset)
{
  dipkg_model_redland_reader(m);
  if (!m->reader)
    return DIPKG_ERR_NO_MEMORY;
  bool given = dataset && (dataset->n_default || dataset->n_named);
  return dipkg_read_storage_set_dataset(
           m->reader, given, given ? dataset->default_graphs : NULL,
           given ? dataset->n_default : 0, given ? dataset->named_graphs : NULL,
           given ? dataset->n_named : 0)
           ? DIPKG_SUCCESS
           : DIPKG_ERR_NO_MEMORY;
}

DipkgStatus
dipkg_model_set_files(DipkgModel *m, bool merge, const char *const *inputs,
                      size_t n_inputs, const char *const *named, size_t n_named)
{
  dipkg_model_redland_reader(m);
  if (!m->reader)
    return DIPKG_ERR_NO_MEMORY;
  return dipkg_read_storage_set_files(m->reader, merge, inputs, n_inputs, named,
                                      n_named)
           ? DIPKG_SUCCESS
           : DIPKG_ERR_NO_MEMORY;
}

bool
dipkg_model_reader_lost(DipkgModel *m)
{
  return m->reader && dipkg_read_storage_take_lost(m->reader);
}

DipkgStatus
dipkg_model_begin(DipkgModel *m)
{
  if (librdf_model_transaction_start(m->model))
    return DIPKG_ERR_STORE;
  m->in_transaction = true;
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_model_commit(DipkgModel *m)
{
  m->in_transaction = false;
  return librdf_model_transaction_commit(m->model) ? DIPKG_ERR_STORE
                                                   : DIPKG_SUCCESS;
}

DipkgStatus
dipkg_model_rollback(DipkgModel *m)
{
  m->in_transaction = false;
  return librdf_model_transaction_rollback(m->model) ? DIPKG_ERR_STORE
                                                     : DIPKG_SUCCESS;
}

/* ------------------------------------------------------------- sink */

static librdf_uri *
datatype_uri(DipkgModel *m, const char *iri)
{
  // The mapper's datatypes are a handful: cache the first eight by their
  // text (never by pointer: raptor reuses its buffers for the terms of RDF
  // files, so one address names many datatypes), fall back to Redland's
  // own URI interning.
  for (size_t i = 0; i < 8; i++) {
    if (m->xsd_keys[i] && !strcmp(m->xsd_keys[i], iri))
      return m->xsd_cache[i];
    if (!m->xsd_keys[i]) {
      m->xsd_keys[i] = dipkg_strdup(iri);
      m->xsd_cache[i] = m->xsd_keys[i]
                          ? librdf_new_uri(m->world, (const unsigned char *)iri)
                          : NULL;
      if (!m->xsd_cache[i]) {
        dipkg_free(m->xsd_keys[i]);
        m->xsd_keys[i] = NULL;
      }
      return m->xsd_cache[i];
    }
  }
  return NULL;
}

/* A new Redland node for `t` (the caller owns it), or NULL. */
static librdf_node *
node_of(DipkgModel *m, const DipkgTerm *t)
{
  switch (t->kind) {
  case DIPKG_TERM_IRI:
    return librdf_new_node_from_counted_uri_string(
      m->world, (const unsigned char *)t->str, t->len);
  case DIPKG_TERM_BLANK:
    return librdf_new_node_from_counted_blank_identifier(
      m->world, (const unsigned char *)t->str, t->len);
  case DIPKG_TERM_LITERAL: {
    librdf_uri *dt = NULL;
    bool own = false;
    if (t->datatype && !t->lang) {
      dt = datatype_uri(m, t->datatype);
      if (!dt) {
        dt = librdf_new_uri(m->world, (const unsigned char *)t->datatype);
        own = true;
      }
      if (!dt)
        return NULL;
    }
    librdf_node *n = librdf_new_node_from_typed_counted_literal(
      m->world, (const unsigned char *)t->str, t->len, t->lang,
      t->lang ? strlen(t->lang) : 0, dt);
    if (own)
      librdf_free_uri(dt);
    return n;
  }
  }
  return NULL;
}

/* The replaced set's entries are the graphs' IRIs (owned strings). */
static const char *
iri_of(uint64_t entry)
{
  return (const char *)(uintptr_t)entry;
}

static uint64_t
iri_hash(const void *user, uint64_t entry)
{
  (void)user;
  return dipkg_hash_str(0, iri_of(entry));
}

static bool
iri_is(const void *user, uint64_t entry, const void *key)
{
  (void)user;
  return !strcmp(iri_of(entry), key);
}

/* Adds `graph` to the set of graphs replaced in this session; false if it
 * was there already (or, with *oom, if it could not be added). */
static bool
first_time(DipkgModel *m, const char *graph, bool *oom)
{
  if (!dipkg_hashset_reserve(&m->replaced, iri_hash, NULL)) {
    *oom = true;
    return false;
  }
  uint64_t *slot = dipkg_hashset_find(&m->replaced, dipkg_hash_str(0, graph),
                                      iri_is, NULL, graph);
  if (*slot)
    return false;
  char *copy = dipkg_strdup(graph);
  if (!copy) {
    *oom = true;
    return false;
  }
  dipkg_hashset_put(&m->replaced, slot, (uint64_t)(uintptr_t)copy);
  return true;
}

static DipkgStatus
model_begin_graph(DipkgSink *sink, const char *graph)
{
  DipkgModel *m = (DipkgModel *)((char *)sink - offsetof(DipkgModel, sink));
  if (m->graph)
    librdf_free_node(m->graph);
  m->graph =
    librdf_new_node_from_uri_string(m->world, (const unsigned char *)graph);
  if (!m->graph)
    return DIPKG_ERR_NO_MEMORY;
  m->graph_hash = dipkg_hash_str(0, graph);
  // A graph is emptied the first time this session writes to it, and only
  // then: N-Quads inputs may come back to a graph later.
  if (!m->replace)
    return DIPKG_SUCCESS;
  bool oom = false;
  if (!first_time(m, graph, &oom))
    return oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
  return librdf_model_context_remove_statements(m->model, m->graph)
           ? DIPKG_ERR_STORE
           : DIPKG_SUCCESS;
}

static DipkgStatus
model_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
                const DipkgTerm *o)
{
  DipkgModel *m = (DipkgModel *)((char *)sink - offsetof(DipkgModel, sink));
  librdf_node *ns = node_of(m, s), *np = node_of(m, p), *no = node_of(m, o);
  // librdf_new_statement_from_nodes takes the nodes, also on failure.
  librdf_statement *st = librdf_new_statement_from_nodes(m->world, ns, np, no);
  if (!st || !ns || !np || !no) {
    if (st)
      librdf_free_statement(st);
    return DIPKG_ERR_NO_MEMORY;
  }
  DipkgStatus rc = DIPKG_SUCCESS;
  bool skip = false;
  if (m->check_duplicates) {
    // Every statement of a graph this session writes to was added in this
    // session (the graph was emptied first), so a statement whose
    // fingerprint is new is new; only on a fingerprint seen before does
    // the store say (through its indexes) whether it is a duplicate.
    uint64_t f =
      dipkg_hash_term(dipkg_hash_term(dipkg_hash_term(m->graph_hash, s), p), o);
    DipkgHashAdd added = dipkg_hashset_add_fp(&m->seen, f);
    if (added == DIPKG_HASH_NO_MEMORY) {
      librdf_free_statement(st);
      return DIPKG_ERR_NO_MEMORY;
    }
    if (added == DIPKG_HASH_PRESENT) {
      librdf_stream *found = librdf_model_find_statements_in_context(
        dipkg_model_redland_reader(m), st, m->graph);
      skip = found && !librdf_stream_end(found);
      if (found)
        librdf_free_stream(found);
    }
  }
  // librdf_model_context_add_statement copies the statement.
  if (!skip && librdf_model_context_add_statement(m->model, m->graph, st))
    rc = DIPKG_ERR_STORE;
  librdf_free_statement(st);
  if (!rc && !skip)
    sink->n_statements++;
  return rc;
}

static DipkgStatus
model_end_graph(DipkgSink *sink)
{
  (void)sink;
  return DIPKG_SUCCESS;
}

DipkgSink *
dipkg_model_sink(DipkgModel *m, bool replace, bool check_duplicates,
                 DipkgDiagList *diags)
{
  m->sink.begin_graph = model_begin_graph;
  m->sink.statement = model_statement;
  m->sink.end_graph = model_end_graph;
  m->replace = replace;
  m->check_duplicates = check_duplicates;
  m->log = diags;
  log_model = m;
  return &m->sink;
}

void
dipkg_model_sink_reset(DipkgModel *m)
{
  for (size_t i = 0; i < m->replaced.cap; i++)
    dipkg_free((void *)(uintptr_t)m->replaced.slots[i]);
  dipkg_hashset_empty(&m->replaced);
  dipkg_hashset_free(&m->seen);
}

/* ---------------------------------------------------------- reading */

DipkgStatus
dipkg_model_count(DipkgModel *m, uint64_t *statements, uint64_t *graphs)
{
  *statements = *graphs = 0;
  librdf_stream *all = librdf_model_as_stream(m->model);
  if (!all)
    return DIPKG_ERR_STORE;
  for (; !librdf_stream_end(all); librdf_stream_next(all))
    (*statements)++;
  librdf_free_stream(all);
  librdf_iterator *it = librdf_model_get_contexts(m->model);
  if (it) {
    for (; !librdf_iterator_end(it); librdf_iterator_next(it))
      (*graphs)++;
    librdf_free_iterator(it);
  }
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_model_each_type(DipkgModel *m,
                      void (*fn)(void *user, const char *subject,
                                 const char *cls),
                      void *user)
{
  librdf_node *type = librdf_new_node_from_uri_string(
    m->world, (const unsigned char *)RDF "type");
  librdf_statement *pattern =
    type ? librdf_new_statement_from_nodes(m->world, NULL, type, NULL) : NULL;
  if (!pattern) {
    if (type)
      librdf_free_node(type);
    return DIPKG_ERR_NO_MEMORY;
  }
  librdf_stream *found = librdf_model_find_statements(m->model, pattern);
  DipkgStatus st = found ? DIPKG_SUCCESS : DIPKG_ERR_STORE;
  for (; found && !librdf_stream_end(found); librdf_stream_next(found)) {
    librdf_statement *s = librdf_stream_get_object(found);  // borrowed
    librdf_node *subject = librdf_statement_get_subject(s);
    librdf_node *object = librdf_statement_get_object(s);
    if (!librdf_node_is_resource(subject) || !librdf_node_is_resource(object))
      continue;
    fn(user, (const char *)librdf_uri_as_string(librdf_node_get_uri(subject)),
       (const char *)librdf_uri_as_string(librdf_node_get_uri(object)));
  }
  if (found)
    librdf_free_stream(found);
  librdf_free_statement(pattern);
  return st;
}
