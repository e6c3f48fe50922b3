/* JSON-LD writer (jsonld.h) on Jansson.  No C library writes JSON-LD; the
 * document is built as Jansson values and dumped with sorted-by-insertion
 * keys, so the output is deterministic.  tests/jsonld checks with an
 * independent processor that it expands to the graph of the N-Triples. */
#include "jsonld.h"

#include "format.h"
#include "graph.h"
#include "memory.h"
#include "vocab.h"
#include "world.h"

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

static json_t *compact(const DipkgPrefix *w, const char *iri, size_t len);

/* The @context: every prefix (vocabularies and data), and the type of
 * dip:edtf (EDTF), so that its values are plain strings in the document. */
static json_t *
context_object(const DipkgPrefix *prefixes)
{
  json_t *ctx = json_object();
  for (const DipkgPrefix *p = prefixes; ctx && p->name; p++)
    if (json_object_set_new(ctx, p->name, json_string(p->iri))) {
      json_decref(ctx);
      return NULL;
    }
  json_t *key = ctx ? compact(prefixes, DIP "edtf", strlen(DIP "edtf")) : NULL;
  json_t *def = json_object();
  if (!key || !def ||
      json_object_set_new(def, "@type", json_string(EDTF_DATATYPE)) ||
      json_object_set_new(ctx, json_string_value(key), def)) {
    if (!key || !def)
      json_decref(def);
    json_decref(key);
    json_decref(ctx);
    return NULL;
  }
  json_decref(key);
  return ctx;
}

/* `iri` as a compact IRI when a prefix applies (the longest), else as it
 * is.  The suffix must not begin with "//" (it would read as an IRI). */
static json_t *
compact(const DipkgPrefix *w, const char *iri, size_t len)
{
  const DipkgPrefix *best = NULL;
  size_t best_len = 0;
  for (const DipkgPrefix *p = w; p->name; p++) {
    size_t n = strlen(p->iri);
    if (n > best_len && n < len && !memcmp(iri, p->iri, n) &&
        !(len - n >= 2 && iri[n] == '/' && iri[n + 1] == '/')) {
      best = p;
      best_len = n;
    }
  }
  if (!best)
    return json_stringn(iri, len);
  size_t name_len = strlen(best->name);
  char *text = malloc(name_len + 1 + len - best_len + 1);
  if (!text)
    return NULL;
  memcpy(text, best->name, name_len);
  text[name_len] = ':';
  memcpy(text + name_len + 1, iri + best_len, len - best_len);
  text[name_len + 1 + len - best_len] = '\0';
  json_t *s = json_string(text);
  free(text);
  return s;
}

static json_t *
node_ref(const DipkgPrefix *w, const DipkgTerm *t)
{
  if (t->kind == DIPKG_TERM_BLANK) {
    size_t n = t->len + 3;
    char *text = malloc(n);
    if (!text)
      return NULL;
    snprintf(text, n, "_:%s", t->str);
    json_t *s = json_string(text);
    free(text);
    return s;
  }
  return compact(w, t->str, t->len);
}

static json_t *
value_object(const DipkgPrefix *w, const DipkgTerm *t)
{
  if (t->kind != DIPKG_TERM_LITERAL) {
    json_t *ref = node_ref(w, t);
    json_t *o = ref ? json_object() : NULL;
    if (!o || json_object_set_new(o, "@id", ref)) {
      json_decref(o);
      return NULL;
    }
    return o;
  }
  json_t *value = json_stringn(t->str, t->len);
  if (!value)
    return NULL;
  if (!t->lang && (!t->datatype || !strcmp(t->datatype, XSD "string")))
    return value;
  json_t *o = json_object();
  if (!o || json_object_set_new(o, "@value", value)) {
    json_decref(o);
    return NULL;
  }
  json_t *extra = t->lang ? json_string(t->lang)
                          : compact(w, t->datatype, strlen(t->datatype));
  if (!extra ||
      json_object_set_new(o, t->lang ? "@language" : "@type", extra)) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* Sets key to `v`, or makes it an array of the values when it repeats. */
static int
add_value(json_t *node, const char *key, json_t *v)
{
  if (!v)
    return -1;
  json_t *old = json_object_get(node, key);
  if (!old)
    return json_object_set_new(node, key, v);
  if (json_is_array(old))
    return json_array_append_new(old, v);
  json_t *arr = json_array();
  if (!arr || json_array_append(arr, old) || json_array_append_new(arr, v)) {
    json_decref(arr);
    return -1;
  }
  return json_object_set_new(node, key, arr);
}

/* A new document {"@context": ..., "@graph": []} with `prefixes`; its
 * "@graph" array (borrowed from the document) goes to `*nodes`.  NULL when
 * out of memory.  The caller owns the document. */
static json_t *
empty_document(const DipkgPrefix *w, json_t **nodes)
{
  json_t *doc = json_object();
  *nodes = json_array();
  json_t *ctx = context_object(w);
  if (!doc || !*nodes || !ctx || json_object_set_new(doc, "@context", ctx)) {
    json_decref(doc), json_decref(*nodes);
    if (!doc)
      json_decref(ctx);
    return NULL;
  }
  if (json_object_set_new(doc, "@graph", *nodes)) {
    json_decref(doc);
    return NULL;
  }
  return doc;
}

/* Appends one node object per subject of `g` (sealed) to the array
 * `nodes`, abbreviated with `w`.  0, or -1 when out of memory. */
static int
append_nodes(const DipkgPrefix *w, const DipkgGraph *g, json_t *nodes)
{
  int failed = 0;
  for (size_t i = 0; !failed && i < g->n;) {
    // One node object per subject: "@id", then "@type", then the
    // properties in order.
    size_t end = i;
    while (end < g->n && g->triples[end].s == g->triples[i].s)
      end++;
    json_t *node = json_object();
    if (!node || json_array_append_new(nodes, node) ||
        json_object_set_new(node, "@id",
                            node_ref(w, &g->terms[g->triples[i].s]))) {
      failed = 1;
      break;
    }
    for (int pass = 0; pass < 2 && !failed; pass++)
      for (size_t k = i; k < end && !failed; k++) {
        const DipkgTerm *p = &g->terms[g->triples[k].p];
        const DipkgTerm *o = &g->terms[g->triples[k].o];
        bool type =
          !strcmp(p->str, RDF "type") && o->kind != DIPKG_TERM_LITERAL;
        if (type != (pass == 0))
          continue;
        if (type) {
          failed = add_value(node, "@type", node_ref(w, o));
          continue;
        }
        json_t *key = compact(w, p->str, p->len);
        // The @context types dip:edtf: its EDTF values go as strings.
        bool coerced = !strcmp(p->str, DIP "edtf") && o->datatype &&
                       !strcmp(o->datatype, EDTF_DATATYPE) && !o->lang;
        failed = !key || add_value(node, json_string_value(key),
                                   coerced ? json_stringn(o->str, o->len)
                                           : value_object(w, o));
        json_decref(key);
      }
    i = end;
  }
  return failed;
}

static json_t *
document(const DipkgGraph *g)
{
  json_t *nodes;
  json_t *doc = empty_document(g->prefixes, &nodes);
  if (doc && append_nodes(g->prefixes, g, nodes)) {
    json_decref(doc);
    return NULL;
  }
  return doc;
}

static int
append_chunk(const char *data, size_t size, void *user)
{
  DipkgBuf *b = user;
  dipkg_buf_append(b, data, size);
  return b->oom ? -1 : 0;
}

DipkgStatus
dipkg_jsonld_append(const DipkgGraph *g, DipkgBuf *buf, int for_html)
{
  json_t *doc = document(g);
  if (!doc)
    return DIPKG_ERR_NO_MEMORY;
  size_t flags = JSON_INDENT(2) | (for_html ? JSON_ESCAPE_SLASH : 0);
  int rc = json_dump_callback(doc, append_chunk, buf, flags);
  json_decref(doc);
  dipkg_buf_putc(buf, '\n');
  return rc || buf->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

DipkgStatus
dipkg_jsonld_write(const DipkgGraph *g, FILE *out)
{
  DipkgBuf buf = DIPKG_BUF_INIT;
  DipkgStatus st = dipkg_jsonld_append(g, &buf, 0);
  if (!st && fwrite(buf.data, 1, buf.len, out) != buf.len)
    st = DIPKG_ERR_IO;
  dipkg_buf_free(&buf);
  return st;
}

DipkgStatus
dipkg_jsonld_context(const DipkgWorld *world, DipkgBuf *buf)
{
  json_t *doc = json_object(), *ctx = context_object(world->prefixes);
  if (!doc || !ctx || json_object_set_new(doc, "@context", ctx)) {
    json_decref(doc);
    if (!doc)
      json_decref(ctx);
    return DIPKG_ERR_NO_MEMORY;
  }
  int rc = json_dump_callback(doc, append_chunk, buf, JSON_INDENT(2));
  json_decref(doc);
  dipkg_buf_putc(buf, '\n');
  return rc || buf->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

/* ------------------------------------------- the output-format row */

static void *
jsonld_open(FILE *stream, const DipkgPrefix *prefixes)
{
  return dipkg_graph_doc_open(stream, prefixes, dipkg_jsonld_write);
}

const DipkgDocWriter dipkg_jsonld_writer = {jsonld_open, dipkg_graph_doc_sink,
                                            dipkg_graph_doc_finish,
                                            dipkg_graph_doc_free};

/* ------------------------------------------- a dataset: named graphs */

/* One graph of the dataset; `name` NULL for the default graph. */
typedef struct NamedGraph {
  char *name;
  DipkgGraph *graph;
} NamedGraph;

typedef struct DatasetWriter {
  DipkgSink base;
  const DipkgPrefix *prefixes;
  FILE *stream;
  NamedGraph *graphs;  // in the order they first began
  size_t n, cap;
  size_t *slots;  // open addressing on the name: index + 1 (0: empty)
  size_t n_slots;
  DipkgGraphSink current;  // adds to the graph begun last
  bool oom;
} DatasetWriter;

static uint64_t
name_hash(const char *name)
{
  uint64_t h = 0xcbf29ce484222325u;
  for (const char *c = name ? name : ""; *c; c++)
    h = (h ^ (unsigned char)*c) * 0x100000001b3u;
  return h;
}

static bool
same_name(const char *a, const char *b)
{
  return a && b ? !strcmp(a, b) : a == b;
}

/* The slot of `name`: its graph's, or the empty one it would take. */
static size_t *
name_slot(DatasetWriter *d, const char *name)
{
  size_t i = (size_t)name_hash(name) & (d->n_slots - 1);
  while (d->slots[i] && !same_name(d->graphs[d->slots[i] - 1].name, name))
    i = (i + 1) & (d->n_slots - 1);
  return &d->slots[i];
}

/* The graph named `name`, made when new.  NULL when out of memory. */
static DipkgGraph *
dataset_graph(DatasetWriter *d, const char *name)
{
  if ((d->n + 1) * 2 > d->n_slots) {
    size_t n_slots = d->n_slots ? d->n_slots * 2 : 64;
    size_t *slots = dipkg_calloc(n_slots, sizeof *slots);
    if (!slots)
      return NULL;
    dipkg_free(d->slots);
    d->slots = slots;
    d->n_slots = n_slots;
    for (size_t i = 0; i < d->n; i++)
      *name_slot(d, d->graphs[i].name) = i + 1;
  }
  size_t *slot = name_slot(d, name);
  if (*slot)
    return d->graphs[*slot - 1].graph;
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 64;
    NamedGraph *grown = dipkg_realloc(d->graphs, cap * sizeof *grown);
    if (!grown)
      return NULL;
    d->graphs = grown;
    d->cap = cap;
  }
  NamedGraph *g = &d->graphs[d->n];
  g->name = name ? dipkg_strdup(name) : NULL;
  g->graph = dipkg_graph_new_with_prefixes(d->prefixes);
  if ((name && !g->name) || !g->graph) {
    dipkg_free(g->name);
    dipkg_graph_free(g->graph);
    return NULL;
  }
  *slot = ++d->n;
  return g->graph;
}

static DipkgStatus
dataset_begin(DipkgSink *sink, const char *graph)
{
  DatasetWriter *d = (DatasetWriter *)sink;
  DipkgGraph *g = dataset_graph(d, graph);
  if (!g) {
    d->oom = true;
    return DIPKG_ERR_NO_MEMORY;
  }
  dipkg_graph_sink_init(&d->current, g);
  return DIPKG_SUCCESS;
}

static DipkgStatus
dataset_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
                  const DipkgTerm *o)
{
  DatasetWriter *d = (DatasetWriter *)sink;
  if (!d->current.graph) {  // statements before any graph: the default one
    DipkgStatus st = dataset_begin(sink, NULL);
    if (st)
      return st;
  }
  sink->n_statements++;
  return dipkg_graph_add(d->current.graph, s, p, o);
}

static DipkgStatus
dataset_end(DipkgSink *sink)
{
  (void)sink;
  return DIPKG_SUCCESS;
}

static void *
dataset_open(FILE *stream, const DipkgPrefix *prefixes)
{
  DatasetWriter *d = dipkg_calloc(1, sizeof *d);
  if (!d)
    return NULL;
  d->base = (DipkgSink){dataset_begin, dataset_statement, dataset_end, 0};
  d->prefixes = prefixes;
  d->stream = stream;
  return d;
}

static DipkgSink *
dataset_sink(void *d)
{
  return &((DatasetWriter *)d)->base;
}

/* The default graph's node objects at the top of "@graph", then one
 * {"@id": name, "@graph": [...]} per named graph, in the order the graphs
 * began. */
static DipkgStatus
dataset_finish(void *v)
{
  DatasetWriter *d = v;
  if (d->oom)
    return DIPKG_ERR_NO_MEMORY;
  for (size_t i = 0; i < d->n; i++) {
    DipkgStatus st = dipkg_graph_seal(d->graphs[i].graph);
    if (st)
      return st;
  }
  json_t *nodes;
  json_t *doc = empty_document(d->prefixes, &nodes);
  int failed = !doc;
  for (size_t i = 0; !failed && i < d->n; i++)
    if (!d->graphs[i].name)
      failed = append_nodes(d->prefixes, d->graphs[i].graph, nodes);
  for (size_t i = 0; !failed && i < d->n; i++) {
    const char *name = d->graphs[i].name;
    if (!name || !d->graphs[i].graph->n)
      continue;
    // Each *_new call takes its value, also when it fails.
    json_t *named = json_object(), *inner = NULL;
    failed = json_array_append_new(nodes, named) ||
             json_object_set_new(named, "@id",
                                 compact(d->prefixes, name, strlen(name))) ||
             json_object_set_new(named, "@graph", inner = json_array()) ||
             append_nodes(d->prefixes, d->graphs[i].graph, inner);
  }
  DipkgBuf buf = DIPKG_BUF_INIT;
  if (!failed)
    failed = json_dump_callback(doc, append_chunk, &buf, JSON_INDENT(2));
  json_decref(doc);
  dipkg_buf_putc(&buf, '\n');
  DipkgStatus st = failed || buf.oom ? DIPKG_ERR_NO_MEMORY
                   : fwrite(buf.data, 1, buf.len, d->stream) != buf.len
                     ? DIPKG_ERR_IO
                     : DIPKG_SUCCESS;
  dipkg_buf_free(&buf);
  return st;
}

static void
dataset_free(void *v)
{
  DatasetWriter *d = v;
  if (!d)
    return;
  for (size_t i = 0; i < d->n; i++) {
    dipkg_free(d->graphs[i].name);
    dipkg_graph_free(d->graphs[i].graph);
  }
  dipkg_free(d->graphs);
  dipkg_free(d->slots);
  dipkg_free(d);
}

const DipkgDocWriter dipkg_jsonld_dataset_writer = {
  dataset_open, dataset_sink, dataset_finish, dataset_free};
