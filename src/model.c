#include "model.h"

#include "buf.h"
#include "memory.h"
#include "fpset.h"
#include "read_storage.h"
#include "vocab.h"

#include <errno.h>
#include <pthread.h>
#include <redland.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Name of the Redland hashes inside a bdb store directory. */
#define BDB_NAME "dipkg"

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
  librdf_node *graph;               // the current graph
  char **replaced;                  // graphs already replaced in this session:
  size_t replaced_cap, n_replaced;  // an open-addressing set
  librdf_uri *xsd_cache[8];         // datatype URIs, by their text
  char *xsd_keys[8];                // copies (owned)
  uint64_t graph_hash;  // of the current graph's IRI
  DipkgFpSet seen;  // fingerprints of the statements added this session
};

/* ----------------------------------------------------------- specs */

DipkgStatus
dipkg_store_spec_parse(const char *text, DipkgStoreSpec *spec,
                       DipkgDiagList *diags)
{
  memset(spec, 0, sizeof *spec);
  const char *colon = strchr(text, ':');
  DipkgLoc none = {0, 0, 0};
  if (!colon || colon == text) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, NULL, none,
                   "invalid store %s: expected memory:, bdb:DIR, sqlite:PATH "
                   "or a Redland storage as TYPE:OPTIONS",
                   dipkg_diag_q(0, text, strlen(text)));
    return DIPKG_ERR_USAGE;
  }
  size_t tl = (size_t)(colon - text);
  const char *rest = colon + 1;
  spec->text = dipkg_strdup(text);
  if (tl == 6 && !strncmp(text, "memory", 6)) {
    spec->kind = DIPKG_STORE_MEMORY;
    spec->type = dipkg_strdup("hashes");
  } else if (tl == 3 && !strncmp(text, "bdb", 3)) {
    spec->kind = DIPKG_STORE_BDB;
    spec->type = dipkg_strdup("hashes");
    spec->location = dipkg_strdup(rest);
  } else if (tl == 6 && !strncmp(text, "sqlite", 6)) {
    spec->kind = DIPKG_STORE_SQLITE;
    spec->type = dipkg_strdup("sqlite");
    spec->location = dipkg_strdup(rest);
  } else {
    spec->kind = DIPKG_STORE_OTHER;
    spec->type = dipkg_strndup(text, tl);
    spec->options = dipkg_strdup(rest);
    // The storage's name: the name='...' option, else "dipkg".
    const char *name = strstr(rest, "name='");
    if (name) {
      const char *end = strchr(name + 6, '\'');
      spec->location = end ? dipkg_strndup(name + 6, (size_t)(end - name - 6))
                           : dipkg_strdup(name + 6);
    } else {
      spec->location = dipkg_strdup(BDB_NAME);
    }
  }
  bool needs_location =
    spec->kind == DIPKG_STORE_BDB || spec->kind == DIPKG_STORE_SQLITE;
  if (!spec->text || !spec->type || (needs_location && !spec->location) ||
      (spec->kind == DIPKG_STORE_OTHER &&
       (!spec->options || !spec->location))) {
    dipkg_store_spec_fini(spec);
    return DIPKG_ERR_NO_MEMORY;
  }
  const char *problem = NULL;
  if (needs_location && !*spec->location)
    problem = spec->kind == DIPKG_STORE_BDB
                ? "bdb needs a directory after the colon"
                : "sqlite needs a file name after the colon";
  else if (needs_location && strchr(spec->location, '\''))
    problem = "the path cannot contain a quote (') (Redland's option "
              "strings cannot carry one)";
  else if (spec->kind == DIPKG_STORE_MEMORY && *rest)
    problem = "memory: takes nothing after the colon (for a store on disk, "
              "use bdb:DIR or sqlite:PATH)";
  if (problem) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, NULL, none,
                   "invalid store %s: %s", dipkg_diag_q(0, text, strlen(text)),
                   problem);
    dipkg_store_spec_fini(spec);
    return DIPKG_ERR_USAGE;
  }
  return DIPKG_SUCCESS;
}

void
dipkg_store_spec_fini(DipkgStoreSpec *spec)
{
  dipkg_free(spec->type);
  dipkg_free(spec->location);
  dipkg_free(spec->options);
  dipkg_free(spec->text);
  memset(spec, 0, sizeof *spec);
}

static bool
copy_spec(DipkgStoreSpec *to, const DipkgStoreSpec *from)
{
  *to = (DipkgStoreSpec){from->kind, NULL, NULL, NULL, NULL};
  to->type = dipkg_strdup(from->type);
  to->text = dipkg_strdup(from->text);
  to->location = from->location ? dipkg_strdup(from->location) : NULL;
  to->options = from->options ? dipkg_strdup(from->options) : NULL;
  return to->type && to->text && (!from->location || to->location) &&
         (!from->options || to->options);
}

/* The file of index `index` ("sp2o", ...) of a bdb store directory. */
static char *
bdb_file(const char *dir, const char *index)
{
  size_t n = strlen(dir) + strlen(index) + sizeof "/" BDB_NAME "-.db";
  char *p = dipkg_malloc(n);
  if (p)
    snprintf(p, n, "%s/" BDB_NAME "-%s.db", dir, index);
  return p;
}

/* The file that marks a bdb store directory. */
static char *
bdb_marker(const char *dir)
{
  return bdb_file(dir, "sp2o");
}

/* Whether the bdb store at `dir` has the predicate index (p2so): every
 * store dipkg creates has it. */
static bool
bdb_has_predicate_index(const char *dir)
{
  char *p = bdb_file(dir, "p2so");
  struct stat sb;
  bool has = p && !stat(p, &sb);
  dipkg_free(p);
  return has;
}

static bool
exists_at(DipkgStoreKind kind, const char *where)
{
  struct stat sb;
  if (kind == DIPKG_STORE_SQLITE)
    return !stat(where, &sb);
  if (kind == DIPKG_STORE_BDB) {
    char *marker = bdb_marker(where);
    bool exists = marker && !stat(marker, &sb);
    dipkg_free(marker);
    return exists;
  }
  return true;
}

bool
dipkg_store_spec_exists(const DipkgStoreSpec *spec)
{
  return exists_at(spec->kind, spec->location);
}

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

/* Adds the indexes Redland's sqlite schema lacks: without them every
 * literal and blank node lookup scans its table, and a load is quadratic.
 * The triples indexes serve both the duplicate check Redland makes before
 * each insert (subject, predicate, object and graph known: dipkg_spo has
 * three of them, so SQLite prefers it to dipkg_object, which would scan
 * every instance of a class for each `rdf:type` statement) and the
 * patterns of queries (by object, by literal, by graph).  Idempotent. */
static DipkgStatus
index_sqlite(const char *path, DipkgDiagList *diags)
{
  static const char sql[] =
    "CREATE INDEX IF NOT EXISTS dipkg_literal ON literals (text, language, "
    "datatype);"
    "CREATE INDEX IF NOT EXISTS dipkg_blank ON blanks (blank);"
    "CREATE INDEX IF NOT EXISTS dipkg_spo ON triples (subjectUri, "
    "predicateUri, objectUri);"
    "CREATE INDEX IF NOT EXISTS dipkg_blank_subject ON triples (subjectBlank, "
    "predicateUri);"
    "CREATE INDEX IF NOT EXISTS dipkg_context ON triples (contextUri);"
    "CREATE INDEX IF NOT EXISTS dipkg_object ON triples (objectUri, "
    "predicateUri);"
    "CREATE INDEX IF NOT EXISTS dipkg_literal_object ON triples "
    "(objectLiteral, predicateUri);";
  sqlite3 *db = NULL;
  char *err = NULL;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  if (rc != SQLITE_OK)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, path,
                   (DipkgLoc){0, 0, 0}, "cannot index the sqlite store: %s",
                   err  ? err
                   : db ? sqlite3_errmsg(db)
                        : "cannot open it");
  sqlite3_free(err);
  sqlite3_close(db);
  return rc == SQLITE_OK ? DIPKG_SUCCESS : DIPKG_ERR_STORE;
}

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
  bool exists = exists_at(spec->kind, where);
  if (!exists && !create)
    return store_error(diags, spec,
                       "no store there yet (create it with 'dipkg load')");
  char options[4096];
  switch (spec->kind) {
  case DIPKG_STORE_MEMORY:
    snprintf(options, sizeof options,
             "hash-type='memory',contexts='yes',index-predicates='yes'");
    break;
  case DIPKG_STORE_BDB:
    if (!exists && mkdir(where, 0777) && errno != EEXIST) {
      char why[256];
      snprintf(why, sizeof why, "cannot create the directory: %s",
               strerror(errno));
      return store_error(diags, spec, why);
    }
    // The predicate index (p2so) answers (?s p ?o) patterns, which
    // Redland otherwise answers by reading every statement.
    snprintf(options, sizeof options,
             "hash-type='bdb',dir='%s',contexts='yes'%s%s", where,
             exists ? "" : ",new='yes'",
             !exists || bdb_has_predicate_index(where)
               ? ",index-predicates='yes'"
               : "");
    break;
  case DIPKG_STORE_SQLITE:
    snprintf(options, sizeof options, "synchronous='normal'%s",
             exists ? "" : ",new='yes'");
    break;
  default:
    snprintf(options, sizeof options, "%s", spec->options);
    break;
  }
  DipkgModel *m = dipkg_calloc(1, sizeof *m);
  if (!m || !copy_spec(&m->spec, spec)) {
    if (m)
      dipkg_store_spec_fini(&m->spec);
    dipkg_free(m);
    return DIPKG_ERR_NO_MEMORY;
  }
  m->log = diags;
  log_model = m;
  m->world = acquire_world();
  if (m->world) {
    const char *name = spec->kind == DIPKG_STORE_BDB      ? BDB_NAME
                       : spec->kind == DIPKG_STORE_MEMORY ? "memory"
                                                          : where;
    m->storage = librdf_new_storage(m->world, spec->type, name, options);
  }
  if (m->storage)
    m->model = librdf_new_model(m->world, m->storage, NULL);
  DipkgStatus st = DIPKG_SUCCESS;
  if (!m->model)
    st = store_error(diags, spec,
                     spec->kind == DIPKG_STORE_OTHER
                       ? "Redland cannot open this storage (is its "
                         "librdf-storage package installed?)"
                       : "Redland cannot open it");
  if (!st && !librdf_model_supports_contexts(m->model))
    st = store_error(diags, spec,
                     "the storage has no named graphs (Redland's contexts), "
                     "and dipkg keeps each article in its own graph: add "
                     "contexts='yes' to its options");
  if (!st && spec->kind == DIPKG_STORE_SQLITE && create)
    st = index_sqlite(where, diags);
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
  dipkg_free(m->replaced);
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

const DipkgStoreSpec *
dipkg_model_spec(const DipkgModel *m)
{
  return &m->spec;
}

struct librdf_world_s *
dipkg_model_redland_world(DipkgModel *m)
{
  return m->world;
}

struct librdf_model_s *
dipkg_model_redland(DipkgModel *m)
{
  return m->model;
}

struct librdf_model_s *
dipkg_model_redland_reader(DipkgModel *m)
{
  // Only the hashes storages need the indexed reads (Redland's sqlite
  // storage turns every pattern into an indexed SQL query itself); all
  // need the union default graph without repeats.
  bool hashes =
    m->spec.kind == DIPKG_STORE_MEMORY || m->spec.kind == DIPKG_STORE_BDB;
  if (!m->reader_model) {
    if (!m->reader)
      m->reader = dipkg_read_storage_new(m->world, m->storage, hashes);
    if (m->reader)
      m->reader_model = librdf_new_model(m->world, m->reader, NULL);
  }
  return m->reader_model ? m->reader_model : m->model;
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
  // The mapper's datatypes are a handful of strings: cached by their text
  // (not by pointer: an RDF file's datatypes come from the parser's
  // buffers, which are reused, so one address held several datatypes and
  // "a"^^t:type2 was stored as "a"^^t:type1), then Redland's own URI
  // interning.
  for (size_t i = 0; i < 8; i++) {
    if (m->xsd_keys[i] && !strcmp(m->xsd_keys[i], iri))
      return m->xsd_cache[i];  // borrowed
    if (!m->xsd_keys[i]) {
      m->xsd_cache[i] = librdf_new_uri(m->world, (const unsigned char *)iri);
      m->xsd_keys[i] = m->xsd_cache[i] ? dipkg_strdup(iri) : NULL;
      if (m->xsd_cache[i] && !m->xsd_keys[i]) {
        librdf_free_uri(m->xsd_cache[i]);
        m->xsd_cache[i] = NULL;
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

static size_t
hash_string(const char *s)
{
  size_t h = 5381;
  for (; *s; s++)
    h = h * 33 ^ (unsigned char)*s;
  return h;
}

/* Adds `graph` to the set of graphs replaced in this session; false if it
 * was there already (or, with *oom, if it could not be added). */
static bool
first_time(DipkgModel *m, const char *graph, bool *oom)
{
  if ((m->n_replaced + 1) * 2 > m->replaced_cap) {
    size_t cap = m->replaced_cap ? m->replaced_cap * 2 : 256;
    char **slots = dipkg_calloc(cap, sizeof *slots);
    if (!slots) {
      *oom = true;
      return false;
    }
    for (size_t i = 0; i < m->replaced_cap; i++) {
      if (!m->replaced[i])
        continue;
      size_t k = hash_string(m->replaced[i]) & (cap - 1);
      while (slots[k])
        k = (k + 1) & (cap - 1);
      slots[k] = m->replaced[i];
    }
    dipkg_free(m->replaced);
    m->replaced = slots;
    m->replaced_cap = cap;
  }
  size_t k = hash_string(graph) & (m->replaced_cap - 1);
  while (m->replaced[k]) {
    if (!strcmp(m->replaced[k], graph))
      return false;
    k = (k + 1) & (m->replaced_cap - 1);
  }
  m->replaced[k] = dipkg_strdup(graph);
  if (!m->replaced[k]) {
    *oom = true;
    return false;
  }
  m->n_replaced++;
  return true;
}

/* FNV-1a over `len` bytes, continuing from `h`. */
static uint64_t
fnv(uint64_t h, const void *data, size_t len)
{
  const unsigned char *b = data;
  for (size_t i = 0; i < len; i++)
    h = (h ^ b[i]) * 0x100000001b3u;
  return h;
}

static uint64_t
term_hash(uint64_t h, const DipkgTerm *t)
{
  unsigned char kind = (unsigned char)t->kind;
  h = fnv(h, &kind, 1);
  h = fnv(h, t->str, t->len);
  if (t->datatype)
    h = fnv(fnv(h, "^", 1), t->datatype, strlen(t->datatype));
  if (t->lang)
    h = fnv(fnv(h, "@", 1), t->lang, strlen(t->lang));
  return fnv(h, "", 1);
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
  m->graph_hash = fnv(0xcbf29ce484222325u, graph, strlen(graph) + 1);
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
      term_hash(term_hash(term_hash(m->graph_hash, s), p), o);
    DipkgFpAdd added = dipkg_fpset_add(&m->seen, f);
    if (added == DIPKG_FP_NO_MEMORY) {
      librdf_free_statement(st);
      return DIPKG_ERR_NO_MEMORY;
    }
    if (added == DIPKG_FP_PRESENT) {
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
  for (size_t i = 0; i < m->replaced_cap; i++) {
    dipkg_free(m->replaced[i]);
    m->replaced[i] = NULL;
  }
  m->n_replaced = 0;
  dipkg_fpset_clear(&m->seen);
}

DipkgStatus
dipkg_model_remove_graph(DipkgModel *m, const char *iri)
{
  librdf_node *g =
    librdf_new_node_from_uri_string(m->world, (const unsigned char *)iri);
  if (!g)
    return DIPKG_ERR_NO_MEMORY;
  int rc = librdf_model_context_remove_statements(m->model, g);
  librdf_free_node(g);
  return rc ? DIPKG_ERR_STORE : DIPKG_SUCCESS;
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
