/* Graphs in memory (graph.h): interned terms, sorted statements, an index
 * by object, descriptions.  Filling one from a corpus is corpus.c's
 * (dipkg_corpus_graph), from a store store.c's (dipkg_store_graph), and
 * writing one out graph_write.c's. */
#include "graph.h"

#include "arena.h"
#include "hash.h"
#include "memory.h"
#include "vocab.h"
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

DipkgGraph *
dipkg_graph_new(DipkgWorld *world)
{
  DipkgGraph *g = dipkg_calloc(1, sizeof *g);
  if (!g)
    return NULL;
  g->world = world;
  g->prefixes = world ? world->prefixes : dipkg_vocab_prefixes;
  g->arena = dipkg_arena_new();
  if (!g->arena) {
    dipkg_free(g);
    return NULL;
  }
  return g;
}

DipkgGraph *
dipkg_graph_new_with_prefixes(const DipkgPrefix *prefixes)
{
  DipkgGraph *g = dipkg_graph_new(NULL);
  if (g)
    g->prefixes = prefixes;
  return g;
}

void
dipkg_graph_free(DipkgGraph *g)
{
  if (!g)
    return;
  dipkg_arena_free(g->arena);
  dipkg_free(g->terms);
  dipkg_free(g->rank);
  dipkg_hashset_free(&g->slots);
  dipkg_free(g->triples);
  dipkg_free(g->by_object);
  dipkg_free(g);
}

uint64_t
dipkg_graph_size(const DipkgGraph *g)
{
  return g ? g->n : 0;
}

static int
opt_compare(const char *a, const char *b)
{
  if (!a || !b)
    return (a != NULL) - (b != NULL);
  return strcmp(a, b);
}

int
dipkg_term_compare(const DipkgTerm *a, const DipkgTerm *b)
{
  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->str, b->str, n);
  if (c || a->len != b->len)
    return c ? c : (a->len < b->len ? -1 : 1);
  c = opt_compare(a->datatype, b->datatype);
  return c ? c : opt_compare(a->lang, b->lang);
}

static bool
term_equal(const DipkgTerm *a, const DipkgTerm *b)
{
  return a->kind == b->kind && a->len == b->len &&
         !memcmp(a->str, b->str, a->len) &&
         !opt_compare(a->datatype, b->datatype) &&
         !opt_compare(a->lang, b->lang);
}

/* The term table's entries are term ids + 1. */
static uint64_t
entry_hash(const void *user, uint64_t entry)
{
  const DipkgGraph *g = user;
  return dipkg_hash_term(0, &g->terms[entry - 1]);
}

static bool
entry_is(const void *user, uint64_t entry, const void *key)
{
  const DipkgGraph *g = user;
  return term_equal(&g->terms[entry - 1], key);
}

static int64_t
find_term(const DipkgGraph *g, const DipkgTerm *t)
{
  const uint64_t *slot =
    dipkg_hashset_find(&g->slots, dipkg_hash_term(0, t), entry_is, g, t);
  return slot && *slot ? (int64_t)*slot - 1 : -1;
}

static const char *
arena_copy(DipkgGraph *g, const char *s)
{
  return s ? dipkg_arena_strndup(g->arena, s, strlen(s)) : NULL;
}

/* The id of `t`, interned if new; -1 when out of memory. */
static int64_t
intern(DipkgGraph *g, const DipkgTerm *t)
{
  if (!dipkg_hashset_reserve(&g->slots, entry_hash, g))
    return -1;
  uint64_t hash = dipkg_hash_term(0, t);
  uint64_t *slot = dipkg_hashset_find(&g->slots, hash, entry_is, g, t);
  if (*slot)
    return (int64_t)*slot - 1;
  if (g->n_terms >= UINT32_MAX - 1)
    return -1;
  if (dipkg_grow((void **)&g->terms, &g->terms_cap, g->n_terms + 1,
                 sizeof *g->terms))
    return -1;
  DipkgTerm copy = *t;
  copy.str = dipkg_arena_strndup(g->arena, t->str, t->len);
  copy.datatype = arena_copy(g, t->datatype);
  copy.lang = arena_copy(g, t->lang);
  if (!copy.str || (t->datatype && !copy.datatype) || (t->lang && !copy.lang))
    return -1;
  g->terms[g->n_terms] = copy;
  dipkg_hashset_put(&g->slots, slot, g->n_terms + 1);
  return (int64_t)g->n_terms++;
}

DipkgStatus
dipkg_graph_add(DipkgGraph *g, const DipkgTerm *s, const DipkgTerm *p,
                const DipkgTerm *o)
{
  if (g->oom)
    return DIPKG_ERR_NO_MEMORY;
  if (g->sealed)
    return DIPKG_ERR_INTERNAL;
  int64_t si = intern(g, s), pi = si < 0 ? -1 : intern(g, p),
          oi = pi < 0 ? -1 : intern(g, o);
  if (oi < 0 ||
      dipkg_grow((void **)&g->triples, &g->cap, g->n + 1, sizeof *g->triples)) {
    g->oom = true;
    return DIPKG_ERR_NO_MEMORY;
  }
  g->triples[g->n++] = (DipkgTriple){(uint32_t)si, (uint32_t)pi, (uint32_t)oi};
  return DIPKG_SUCCESS;
}

/* qsort has no context argument: the graph being sealed.  Sealing happens
 * once per graph and is serialised by this lock. */
#include <pthread.h>
static pthread_mutex_t seal_lock = PTHREAD_MUTEX_INITIALIZER;
static const DipkgGraph *sorting;

static int
compare_ids(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return dipkg_term_compare(&sorting->terms[x], &sorting->terms[y]);
}

static int
compare_spo(const void *a, const void *b)
{
  const DipkgTriple *x = a, *y = b;
  const uint32_t *r = sorting->rank;
  if (r[x->s] != r[y->s])
    return r[x->s] < r[y->s] ? -1 : 1;
  if (r[x->p] != r[y->p])
    return r[x->p] < r[y->p] ? -1 : 1;
  if (r[x->o] != r[y->o])
    return r[x->o] < r[y->o] ? -1 : 1;
  return 0;
}

static int
compare_osp(const void *a, const void *b)
{
  const DipkgTriple *x = &sorting->triples[*(const uint32_t *)a],
                    *y = &sorting->triples[*(const uint32_t *)b];
  const uint32_t *r = sorting->rank;
  if (r[x->o] != r[y->o])
    return r[x->o] < r[y->o] ? -1 : 1;
  if (r[x->s] != r[y->s])
    return r[x->s] < r[y->s] ? -1 : 1;
  if (r[x->p] != r[y->p])
    return r[x->p] < r[y->p] ? -1 : 1;
  return 0;
}

DipkgStatus
dipkg_graph_seal(DipkgGraph *g)
{
  if (g->oom)
    return DIPKG_ERR_NO_MEMORY;
  if (g->sealed)
    return DIPKG_SUCCESS;
  uint32_t *order = dipkg_calloc(g->n_terms + 1, sizeof *order);
  g->rank = dipkg_calloc(g->n_terms + 1, sizeof *g->rank);
  g->by_object = dipkg_calloc(g->n + 1, sizeof *g->by_object);
  if (!order || !g->rank || !g->by_object) {
    dipkg_free(order);
    g->oom = true;
    return DIPKG_ERR_NO_MEMORY;
  }
  for (size_t i = 0; i < g->n_terms; i++)
    order[i] = (uint32_t)i;
  pthread_mutex_lock(&seal_lock);
  sorting = g;
  qsort(order, g->n_terms, sizeof *order, compare_ids);
  for (size_t i = 0; i < g->n_terms; i++)
    g->rank[order[i]] = (uint32_t)i;
  if (g->n)  // an empty graph has no array (qsort's NULL is undefined)
    qsort(g->triples, g->n, sizeof *g->triples, compare_spo);
  size_t kept = 0;
  for (size_t i = 0; i < g->n; i++)
    if (!kept || compare_spo(&g->triples[kept - 1], &g->triples[i]))
      g->triples[kept++] = g->triples[i];
  g->n = kept;
  for (size_t i = 0; i < g->n; i++)
    g->by_object[i] = (uint32_t)i;
  qsort(g->by_object, g->n, sizeof *g->by_object, compare_osp);
  sorting = NULL;
  pthread_mutex_unlock(&seal_lock);
  dipkg_free(order);
  g->sealed = true;
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_graph_finish(DipkgGraph *g, DipkgStatus st, DipkgGraph **out)
{
  *out = NULL;
  if (!st)
    st = g ? dipkg_graph_seal(g) : DIPKG_ERR_NO_MEMORY;
  if (st) {
    dipkg_graph_free(g);
    return st;
  }
  *out = g;
  return DIPKG_SUCCESS;
}

int64_t
dipkg_graph_iri_id(const DipkgGraph *g, const char *iri)
{
  DipkgTerm t = {DIPKG_TERM_IRI, iri, strlen(iri), NULL, NULL};
  return find_term(g, &t);
}

size_t
dipkg_graph_subject_range(const DipkgGraph *g, uint32_t s, size_t *first)
{
  // Binary search by the subject's rank.
  size_t lo = 0, hi = g->n;
  uint32_t r = g->rank[s];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (g->rank[g->triples[mid].s] < r)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < g->n && g->triples[end].s == s)
    end++;
  *first = lo;
  return end - lo;
}

size_t
dipkg_graph_object_range(const DipkgGraph *g, uint32_t o, size_t *first)
{
  size_t lo = 0, hi = g->n;
  uint32_t r = g->rank[o];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (g->rank[g->triples[g->by_object[mid]].o] < r)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < g->n && g->triples[g->by_object[end]].o == o)
    end++;
  *first = lo;
  return end - lo;
}

static bool
term_is(const DipkgTerm *t, const char *iri)
{
  size_t n = strlen(iri);
  return t->kind == DIPKG_TERM_IRI && t->len == n && !memcmp(t->str, iri, n);
}

const DipkgTerm *
dipkg_graph_value(const DipkgGraph *g, uint32_t s, const char *p)
{
  size_t first, n = dipkg_graph_subject_range(g, s, &first);
  for (size_t i = first; i < first + n; i++)
    if (term_is(&g->terms[g->triples[i].p], p))
      return &g->terms[g->triples[i].o];
  return NULL;
}

static const char *const label_properties[] = {RDFS "label",  SKOS "prefLabel",
                                               SCHEMA "name", DIP "headline",
                                               DIP "name",    NULL};

bool
dipkg_graph_is_label_property(const char *iri, size_t len)
{
  for (size_t i = 0; label_properties[i]; i++)
    if (strlen(label_properties[i]) == len &&
        !memcmp(label_properties[i], iri, len))
      return true;
  return false;
}

const DipkgTerm *
dipkg_graph_label(const DipkgGraph *g, uint32_t id)
{
  size_t first, n = dipkg_graph_subject_range(g, id, &first);
  const DipkgTerm *best = NULL;
  int best_score = 0;
  for (size_t i = first; i < first + n; i++) {
    const DipkgTerm *p = &g->terms[g->triples[i].p];
    const DipkgTerm *o = &g->terms[g->triples[i].o];
    if (o->kind != DIPKG_TERM_LITERAL)
      continue;
    for (int k = 0; label_properties[k]; k++)
      if (term_is(p, label_properties[k])) {
        // Earlier properties first; English or untagged before others.
        int score =
          100 - k * 10 + (!o->lang || !strncmp(o->lang, "en", 2) ? 5 : 0);
        if (score > best_score) {
          best = o;
          best_score = score;
        }
      }
  }
  return best;
}

/* ------------------------------------------------------- sinks */

static DipkgStatus
sink_begin(DipkgSink *sink, const char *graph)
{
  (void)sink, (void)graph;
  return DIPKG_SUCCESS;
}

static DipkgStatus
sink_end(DipkgSink *sink)
{
  (void)sink;
  return DIPKG_SUCCESS;
}

static DipkgStatus
sink_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
               const DipkgTerm *o)
{
  DipkgGraphSink *gs = (DipkgGraphSink *)sink;
  sink->n_statements++;
  return dipkg_graph_add(gs->graph, s, p, o);
}

void
dipkg_graph_sink_init(DipkgGraphSink *sink, DipkgGraph *graph)
{
  sink->base.begin_graph = sink_begin;
  sink->base.statement = sink_statement;
  sink->base.end_graph = sink_end;
  sink->base.n_statements = 0;
  sink->graph = graph;
}

/* ------------------------------------------------- descriptions */

typedef struct Builder {
  const DipkgGraph *from;
  DipkgGraph *to;
  DipkgStatus st;
} Builder;

static void
copy_triple(Builder *b, size_t i)
{
  if (b->st)
    return;
  const DipkgTriple *t = &b->from->triples[i];
  b->st = dipkg_graph_add(b->to, &b->from->terms[t->s], &b->from->terms[t->p],
                          &b->from->terms[t->o]);
}

/* The statements of `id`, and, depth-first, of the blank nodes it
 * reaches (their concise bounded description). */
static void
copy_subject(Builder *b, uint32_t id, unsigned depth)
{
  size_t first, n = dipkg_graph_subject_range(b->from, id, &first);
  for (size_t i = first; i < first + n; i++) {
    copy_triple(b, i);
    uint32_t o = b->from->triples[i].o;
    if (b->from->terms[o].kind == DIPKG_TERM_BLANK && depth < 8 && o != id)
      copy_subject(b, o, depth + 1);
  }
}

/* The label statements of `id`. */
static void
copy_labels(Builder *b, uint32_t id)
{
  size_t first, n = dipkg_graph_subject_range(b->from, id, &first);
  for (size_t i = first; i < first + n; i++) {
    const DipkgTerm *p = &b->from->terms[b->from->triples[i].p];
    if (dipkg_graph_is_label_property(p->str, p->len))
      copy_triple(b, i);
  }
}

DipkgStatus
dipkg_graph_describe(const DipkgGraph *g, const char *iri, DipkgGraph **out)
{
  *out = NULL;
  DipkgGraph *d = dipkg_graph_new(g->world);
  if (!d)
    return DIPKG_ERR_NO_MEMORY;
  Builder b = {g, d, DIPKG_SUCCESS};
  int64_t id = dipkg_graph_iri_id(g, iri);
  size_t iri_len = strlen(iri);
  if (id >= 0) {
    copy_subject(&b, (uint32_t)id, 0);
    // The resources it links to: their labels.
    size_t first, n = dipkg_graph_subject_range(g, (uint32_t)id, &first);
    for (size_t i = first; i < first + n; i++)
      if (g->terms[g->triples[i].o].kind == DIPKG_TERM_IRI)
        copy_labels(&b, g->triples[i].o);
    // The statements pointing at it, and the labels of their subjects.
    n = dipkg_graph_object_range(g, (uint32_t)id, &first);
    for (size_t i = first; i < first + n; i++) {
      copy_triple(&b, g->by_object[i]);
      copy_labels(&b, g->triples[g->by_object[i]].s);
    }
  }
  // Its fragments (IRI#...: quotes, text contexts) are part of it.  Terms
  // sorted by text put them right after IRI#; find them by scanning the
  // subjects (triples are in subject order).
  size_t lo = 0, hi = g->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const DipkgTerm *s = &g->terms[g->triples[mid].s];
    int c = s->kind != DIPKG_TERM_IRI ? (s->kind < DIPKG_TERM_IRI ? -1 : 1)
                                      : strncmp(s->str, iri, iri_len);
    if (c < 0 || (c == 0 && s->len <= iri_len))
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < g->n; i++) {
    const DipkgTerm *s = &g->terms[g->triples[i].s];
    if (s->kind != DIPKG_TERM_IRI || s->len <= iri_len ||
        strncmp(s->str, iri, iri_len))
      break;
    if (s->str[iri_len] == '#')
      copy_triple(&b, i);
  }
  if (!b.st)
    b.st = dipkg_graph_seal(d);
  if (b.st) {
    dipkg_graph_free(d);
    return b.st;
  }
  *out = d;
  return DIPKG_SUCCESS;
}

/* ------------------------------------------ a document from a graph */

typedef struct GraphDoc {
  DipkgGraphSink sink;
  DipkgGraph *graph;
  FILE *stream;
  DipkgGraphWriteFn write;
} GraphDoc;

void *
dipkg_graph_doc_open(FILE *stream, const DipkgPrefix *prefixes,
                     DipkgGraphWriteFn write)
{
  GraphDoc *d = dipkg_calloc(1, sizeof *d);
  if (!d)
    return NULL;
  d->graph = dipkg_graph_new_with_prefixes(prefixes);
  if (!d->graph) {
    dipkg_free(d);
    return NULL;
  }
  d->stream = stream;
  d->write = write;
  dipkg_graph_sink_init(&d->sink, d->graph);
  return d;
}

DipkgSink *
dipkg_graph_doc_sink(void *doc)
{
  return &((GraphDoc *)doc)->sink.base;
}

DipkgStatus
dipkg_graph_doc_finish(void *doc)
{
  GraphDoc *d = doc;
  DipkgStatus st = dipkg_graph_seal(d->graph);
  return st ? st : d->write(d->graph, d->stream);
}

void
dipkg_graph_doc_free(void *doc)
{
  GraphDoc *d = doc;
  if (!d)
    return;
  dipkg_graph_free(d->graph);
  dipkg_free(d);
}
