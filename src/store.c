/* Stores: loading facts and RDF all or nothing, counting what a store
 * holds, and running queries in a child process. */
#include "dipkg.h"

#include "arena.h"
#include "closure.h"
#include "corpus.h"
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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/// The named graph of the ontology in every store.
#define ONTOLOGY_GRAPH "https://w3id.org/dipkg/ns"
#define XSD_STRING "http://www.w3.org/2001/XMLSchema#string"

struct DipkgStoreImpl {
  DipkgWorld *world;
  DipkgStoreSpec spec;
  DipkgModel *kept;  // a model kept open: memory: (whose statements live
                     // in it) and pass-through storages (which may too)
  bool closure;
  bool with_ontology;  // the ontology graph in the default graph of queries
};

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
  *out = s;
  return DIPKG_SUCCESS;
}

void
dipkg_store_free(DipkgStore *s)
{
  if (!s)
    return;
  dipkg_model_close(s->kept);
  dipkg_store_spec_fini(&s->spec);
  dipkg_free(s);
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

/* ------------------------------------------------- copies on disk */

/* Copies the regular files of directory `from` into `to` (flat: a bdb
 * store directory holds only its database files). */
static DipkgStatus
copy_dir(DipkgWorld *w, const char *from, const char *to)
{
  DIR *d = opendir(from);
  if (!d)
    return report(w, DIPKG_ERR_IO, from, "cannot read the store",
                  strerror(errno));
  DipkgStatus st = DIPKG_SUCCESS;
  struct dirent *e;
  char src[PATH_MAX], dst[PATH_MAX];
  static char chunk[1 << 16];
  while (!st && (e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    snprintf(src, sizeof src, "%s/%s", from, e->d_name);
    snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
    FILE *in = fopen(src, "rb"), *outf = in ? fopen(dst, "wb") : NULL;
    if (!in || !outf) {
      st = report(w, DIPKG_ERR_IO, in ? dst : src, "cannot copy the store",
                  strerror(errno));
    } else {
      size_t n;
      while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        if (fwrite(chunk, 1, n, outf) != n) {
          st = report(w, DIPKG_ERR_IO, dst, "cannot copy the store",
                      strerror(errno));
          break;
        }
      if (!st && (ferror(in) || fflush(outf) || fsync(fileno(outf))))
        st = report(w, DIPKG_ERR_IO, dst, "cannot copy the store",
                    strerror(errno));
    }
    if (in)
      fclose(in);
    if (outf && fclose(outf) && !st)
      st =
        report(w, DIPKG_ERR_IO, dst, "cannot copy the store", strerror(errno));
  }
  closedir(d);
  return st;
}

/* Removes directory `dir` and the files in it (flat). */
static void
remove_dir(const char *dir)
{
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    char path[PATH_MAX];
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
        continue;
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      unlink(path);
    }
    closedir(d);
  }
  rmdir(dir);
}

/* Puts the directory `fresh` in the place of `target` (which may not
 * exist), atomically where the file system can exchange names. */
static DipkgStatus
swap_in(DipkgWorld *w, const char *fresh, const char *target)
{
  struct stat sb;
  if (stat(target, &sb)) {
    if (rename(fresh, target))
      return report(w, DIPKG_ERR_IO, target, "cannot create the store",
                    strerror(errno));
    return DIPKG_SUCCESS;
  }
#ifdef RENAME_EXCHANGE
  if (!renameat2(AT_FDCWD, fresh, AT_FDCWD, target, RENAME_EXCHANGE)) {
    remove_dir(fresh);  // now holds the old store
    return DIPKG_SUCCESS;
  }
#endif
  // No exchange: move the old one aside, the new one in, drop the old.
  char old[PATH_MAX];
  snprintf(old, sizeof old, "%s.old", fresh);
  if (rename(target, old))
    return report(w, DIPKG_ERR_IO, target, "cannot replace the store",
                  strerror(errno));
  if (rename(fresh, target)) {
    int err = errno;
    rename(old, target);
    return report(w, DIPKG_ERR_IO, target, "cannot replace the store",
                  strerror(err));
  }
  remove_dir(old);
  return DIPKG_SUCCESS;
}

/* A fresh sibling path of `target` for a copy: "TARGET.load-XXXXXX". */
static char *
sibling(const char *target, bool directory)
{
  size_t n = strlen(target) + 16;
  char *p = dipkg_malloc(n);
  if (!p)
    return NULL;
  snprintf(p, n, "%s.load-XXXXXX", target);
  if (directory) {
    if (!mkdtemp(p)) {
      dipkg_free(p);
      return NULL;
    }
    mode_t mask = umask(0);  // mkdtemp makes it 0700: give the usual mode
    umask(mask);
    chmod(p, 0777 & ~mask);
  } else {
    int fd = mkstemp(p);
    if (fd < 0) {
      dipkg_free(p);
      return NULL;
    }
    close(fd);
    unlink(p);  // the sqlite storage creates it
  }
  return p;
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
  uint64_t h = 0xcbf29ce484222325u;
  for (const char *c = file; *c; c++)
    h = (h ^ (unsigned char)*c) * 0x100000001b3u;
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

/* The file: IRI of `path`, the graph of its statements. */
static char *
file_iri(const char *path)
{
  char real[PATH_MAX];
  if (!realpath(path, real))
    snprintf(real, sizeof real, "%s", path);
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
    dipkg_rdf_parse_file(path, path, NULL, load_statement, &l, &diags);
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
  RdfLoad l = {sink,          ONTOLOGY_GRAPH, ONTOLOGY_GRAPH, NULL, 0,
               DIPKG_SUCCESS, ""};
  for (size_t i = 0; !st && i < dipkg_ontology_n_files(w->ontology); i++) {
    const char *path = dipkg_ontology_file(w->ontology, i);
    const char *slash = strrchr(path, '/');
    set_blank_prefix(&l, slash ? slash + 1 : path);  // not where it is installed
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
      dipkg_rdf_parse_file(rdf[i], rdf[i], NULL, count_statement, &l, &diags);
    deliver(w, &diags);
    if (s && !st)
      st = s;
  }
  return st;
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
  bool other = spec->kind == DIPKG_STORE_OTHER;
  if (other && facts) {
    // Nothing can undo a partial write here unless the storage has
    // transactions, which is only known once it is open: validate first.
    st = dipkg_corpus_validate(facts, NULL);
    if (st)
      return st;
  }
  // Where to write: a memory store in place; a bdb store in a copy of its
  // directory, swapped in at the end; a new sqlite store in a new file
  // renamed at the end, an existing one in a transaction.
  char *copy = NULL;
  bool exists = dipkg_store_spec_exists(spec);
  if (spec->kind == DIPKG_STORE_BDB ||
      (spec->kind == DIPKG_STORE_SQLITE && !exists)) {
    copy = sibling(spec->location, spec->kind == DIPKG_STORE_BDB);
    if (!copy)
      return report(w, DIPKG_ERR_IO, spec->location,
                    "cannot create a working copy of the store",
                    strerror(errno));
    if (spec->kind == DIPKG_STORE_BDB && exists)
      st = copy_dir(w, spec->location, copy);
  }
  DipkgModel *model = s->kept;
  DipkgDiagList diags = {0};
  if (!st && !model)
    st = dipkg_model_open(spec, copy, true, &diags, &model);
  deliver(w, &diags);
  bool transaction = false;
  if (!st && (spec->kind == DIPKG_STORE_SQLITE || other)) {
    transaction = dipkg_model_begin(model) == DIPKG_SUCCESS;
    if (!transaction && other) {
      DipkgDiagList warn = {0};
      dipkg_diag_add(&warn, DIPKG_SEVERITY_WARNING, DIPKG_ERR_STORE, NULL,
                     (DipkgLoc){0, 0, 0},
                     "the %s storage has no transactions: if the load fails "
                     "part-way (a full disk, a lost connection), the store is "
                     "left partly loaded",
                     spec->type);
      deliver(w, &warn);
    }
  }
  DipkgStats *stats = NULL;
  uint64_t rdf_statements = 0;
  if (!st) {
    bool hashes =
      spec->kind == DIPKG_STORE_MEMORY || spec->kind == DIPKG_STORE_BDB;
    DipkgDiagList log = {0};
    DipkgSink *base = dipkg_model_sink(model, true, false, &log);
    DipkgClosureSink closure;
    dipkg_closure_sink_init(&closure, base, w->ontology, s->closure);
    dipkg_model_sink_reset(model);
    st = load_ontology(w, &closure.base);
    if (!st && facts) {
      DipkgRunSpec run = {.mode = DIPKG_RUN_SINK, .sink = &closure.base};
      st = dipkg_corpus_run(facts, &run, &stats);
    }
    // RDF files may repeat statements, and not grouped by subject: the
    // hashes storage must check what the graph holds.
    dipkg_model_sink(model, true, hashes, &log);
    uint64_t before = base->n_statements;
    for (size_t i = 0; !st && rdf && rdf[i]; i++) {
      uint64_t read = 0;
      st = load_rdf_file(w, &closure.base, rdf[i], &read);
    }
    // What the store received: the files' statements and their closure,
    // without repeats.
    rdf_statements = base->n_statements - before;
    dipkg_closure_sink_fini(&closure);
    deliver(w, &log);
  }
  if (!stats)
    stats = dipkg_stats_new();
  if (stats)
    stats->counts[DIPKG_COUNT_TRIPLES] += rdf_statements;
  // Finish or undo.
  if (transaction)
    st = st ? (dipkg_model_rollback(model), st) : dipkg_model_commit(model);
  if (model != s->kept) {
    if ((spec->kind == DIPKG_STORE_MEMORY || spec->kind == DIPKG_STORE_OTHER) &&
        !st)
      s->kept = model;
    else
      dipkg_model_close(model);
  }
  if (copy) {
    if (!st)
      st = swap_in(w, copy, spec->location);
    else if (spec->kind == DIPKG_STORE_BDB)
      remove_dir(copy);
    else
      unlink(copy);
    dipkg_free(copy);
  }
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
  return DIPKG_ERR_USAGE;
}

/* Runs the query in this process, writing results to `out`. */
static DipkgStatus
run_here(DipkgStore *s, const DipkgSparql *q, const char *name,
         DipkgResultFormat format, FILE *out, DipkgDiagList *diags,
         uint64_t *rows)
{
  DipkgModel *model = s->kept;
  DipkgStatus st = DIPKG_SUCCESS;
  if (!model)
    st = dipkg_model_open(&s->spec, NULL, false, diags, &model);
  if (st)
    return st;
  st = dipkg_model_hide_graph(
    model, s->with_ontology || q->with_ontology ? NULL : ONTOLOGY_GRAPH);
  if (!st)
    st = dipkg_model_set_named(model, ONTOLOGY_GRAPH, q->graph_by_name);
  if (st) {
    if (model != s->kept)
      dipkg_model_close(model);
    return st;
  }
  DipkgResults *r = dipkg_results_new(format, out, q->prefixes);
  st = r ? dipkg_query_run(model, q, name, r, diags) : DIPKG_ERR_NO_MEMORY;
  if (r)
    *rows = dipkg_results_count(r);
  dipkg_results_free(r);
  if (model != s->kept)
    dipkg_model_close(model);
  return st;
}

/* Diagnostics cross from the child to the parent as lines:
 * "severity<TAB>status<TAB>line<TAB>col<TAB>message" (the message with its
 * newlines as spaces), then "rows<TAB>N". */
static void
send_diags(int fd, const DipkgDiagList *diags, uint64_t rows)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  for (size_t i = 0; i < diags->n; i++) {
    const DipkgDiagEntry *e = &diags->items[i];
    dipkg_buf_printf(&b, "%d\t%d\t%u\t%u\t", (int)e->severity, (int)e->status,
                     e->loc.line, e->loc.col);
    for (const char *p = e->message; *p; p++)
      dipkg_buf_putc(&b, (char)(*p == '\n' || *p == '\t' ? ' ' : *p));
    dipkg_buf_putc(&b, '\n');
  }
  dipkg_buf_printf(&b, "rows\t%llu\n", (unsigned long long)rows);
  for (size_t done = 0; done < b.len;) {
    ssize_t n = write(fd, b.data + done, b.len - done);
    if (n <= 0)
      break;
    done += (size_t)n;
  }
  dipkg_buf_free(&b);
}

static void
receive_diags(int fd, const char *name, DipkgDiagList *diags, uint64_t *rows)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  char chunk[4096];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      dipkg_buf_append(&b, chunk, (size_t)n);
  const char *text = dipkg_buf_cstr(&b);
  for (const char *line = text; *line;) {
    const char *end = strchr(line, '\n');
    if (!end)
      break;
    int sev, status;
    unsigned l, c;
    int used = 0;
    unsigned long long r;
    if (sscanf(line, "rows\t%llu", &r) == 1) {
      *rows = r;
    } else if (sscanf(line, "%d\t%d\t%u\t%u\t%n", &sev, &status, &l, &c,
                      &used) == 4 &&
               used > 0) {
      dipkg_diag_add(diags, (DipkgSeverity)sev, (DipkgStatus)status, name,
                     (DipkgLoc){l, c, 0}, "%.*s", (int)(end - line - used),
                     line + used);
    }
    line = end + 1;
  }
  dipkg_buf_free(&b);
}

static bool
isolate(void)
{
  const char *here = getenv("DIPKG_QUERY_IN_PROCESS");
  return !(here && !strcmp(here, "1"));
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
  DipkgSparql q;
  DipkgStatus st =
    dipkg_sparql_prepare(text, strlen(text), shown, w->prefixes, bindings,
                         &diags, &q);
  if (!st)
    st = dipkg_query_check(&q, shown, &diags);
  // A query read from a file resolves relative IRIs (FROM <data.ttl>)
  // against the file, as SPARQL does against the query's address.
  if (!st && name && access(name, R_OK) == 0 && !(q.base = file_iri(name)))
    st = DIPKG_ERR_NO_MEMORY;
  if (!st) {
    bool graph = q.form == DIPKG_QUERY_CONSTRUCT;
    if (format == DIPKG_RESULTS_DEFAULT)
      format = graph ? DIPKG_RESULTS_TURTLE : DIPKG_RESULTS_CSV;
    if (graph && format == DIPKG_RESULTS_TABLE)
      format = DIPKG_RESULTS_TURTLE;
    bool graph_format =
      format == DIPKG_RESULTS_TURTLE || format == DIPKG_RESULTS_NTRIPLES;
    if (graph != graph_format) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, shown,
                     (DipkgLoc){0, 0, 0},
                     graph ? "a CONSTRUCT query gives a graph: use --format "
                             "turtle or ntriples"
                           : "this query gives a table: use --format table, "
                             "csv, tsv, json or xml");
      st = DIPKG_ERR_USAGE;
    }
  }
  FILE *spool = NULL;
  if (!st && !(spool = tmpfile()))
    st = report(w, DIPKG_ERR_IO, NULL, "cannot create a spool file",
                strerror(errno));
  if (!st && !isolate()) {
    st = run_here(s, &q, shown, format, spool, &diags, &rows);
  } else if (!st) {
    // The query engine runs in a child: a crash in rasqal (docs/sparql.md
    // lists the known ones) cannot take this process down, and nothing is
    // written unless the query completes.
    int pipefd[2];
    fflush(NULL);
    pid_t pid = pipe(pipefd) ? -1 : fork();
    if (pid == 0) {
      close(pipefd[0]);
      DipkgDiagList child = {0};
      uint64_t n = 0;
      DipkgStatus cs = run_here(s, &q, shown, format, spool, &child, &n);
      if (!cs && fflush(spool))
        cs = DIPKG_ERR_IO;
      send_diags(pipefd[1], &child, n);
      _exit(cs);
    }
    if (pid < 0) {
      st = report(w, DIPKG_ERR_INTERNAL, NULL, "cannot start the query",
                  strerror(errno));
    } else {
      close(pipefd[1]);
      receive_diags(pipefd[0], shown, &diags, &rows);
      close(pipefd[0]);
      int status = 0;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
      if (WIFSIGNALED(status)) {
        dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_FAILED,
                       shown, (DipkgLoc){0, 0, 0},
                       "the query engine crashed (%s) while running the query: "
                       "a bug in rasqal 0.9.33, not in the data; no result was "
                       "written (docs/sparql.md lists the constructs known to "
                       "crash it)",
                       strsignal(WTERMSIG(status)));
        st = DIPKG_ERR_QUERY_FAILED;
      } else {
        st = WIFEXITED(status) ? (DipkgStatus)WEXITSTATUS(status)
                               : DIPKG_ERR_INTERNAL;
      }
    }
  }
  if (!st) {
    // The complete results, copied out.
    char chunk[65536];
    size_t n;
    rewind(spool);
    while ((n = fread(chunk, 1, sizeof chunk, spool)) > 0)
      if (fwrite(chunk, 1, n, out) != n)
        break;
    if (ferror(spool) || ferror(out) || fflush(out))
      st = report(w, DIPKG_ERR_IO, NULL, "cannot write the results",
                  strerror(errno));
  }
  if (spool)
    fclose(spool);
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
  DipkgDiagList diags = {0};
  const char *shown = name ? name : "<query>";
  DipkgSparql q;
  DipkgStatus st = dipkg_sparql_prepare(text, strlen(text), shown,
                                        w->prefixes, bindings, &diags, &q);
  if (!st)
    st = dipkg_query_check(&q, shown, &diags);
  if (!st && out &&
      (fputs(q.executed, out) == EOF ||
       (*q.executed && q.executed[strlen(q.executed) - 1] != '\n' &&
        putc('\n', out) == EOF) ||
       fflush(out)))
    st = report(w, DIPKG_ERR_IO, NULL, "cannot write the query",
                strerror(errno));
  dipkg_sparql_fini(&q);
  deliver(w, &diags);
  return st;
}
