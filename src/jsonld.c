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

static json_t *
document(const DipkgGraph *g)
{
  const DipkgPrefix *w = g->prefixes;
  json_t *doc = json_object(), *nodes = json_array();
  json_t *ctx = context_object(w);
  if (!doc || !nodes || !ctx || json_object_set_new(doc, "@context", ctx)) {
    json_decref(doc), json_decref(nodes);
    if (!doc)
      json_decref(ctx);
    return NULL;
  }
  ctx = NULL;
  if (json_object_set_new(doc, "@graph", nodes)) {
    json_decref(doc);
    return NULL;
  }
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
  if (failed) {
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

typedef struct JsonldWriter {
  DipkgGraphSink sink;
  DipkgGraph *graph;
  FILE *stream;
} JsonldWriter;

static void *
jsonld_open(FILE *stream, const DipkgPrefix *prefixes)
{
  JsonldWriter *w = dipkg_calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->graph = dipkg_graph_new_with_prefixes(prefixes);
  if (!w->graph) {
    dipkg_free(w);
    return NULL;
  }
  w->stream = stream;
  dipkg_graph_sink_init(&w->sink, w->graph);
  return w;
}

static DipkgSink *
jsonld_sink(void *w)
{
  return &((JsonldWriter *)w)->sink.base;
}

static DipkgStatus
jsonld_finish(void *v)
{
  JsonldWriter *w = v;
  DipkgStatus st = dipkg_graph_seal(w->graph);
  return st ? st : dipkg_jsonld_write(w->graph, w->stream);
}

static void
jsonld_free(void *v)
{
  JsonldWriter *w = v;
  if (!w)
    return;
  dipkg_graph_free(w->graph);
  dipkg_free(w);
}

const DipkgDocWriter dipkg_jsonld_writer = {jsonld_open, jsonld_sink,
                                            jsonld_finish, jsonld_free};
