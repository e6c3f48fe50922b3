/* PLOVER records (plover.h) on Jansson.  The field names are the PLOVER
 * manual's (draft 2.0, chapter "Data Fields": the record, entity, location
 * and citation objects); the few fields PLOVER has no name for (the CAMEO
 * code, the curated EDTF date, the status) are added under names of our
 * own, as the manual invites.  docs/plover.md describes every field.
 * Everything is read from the graph the mapper made, so the record says
 * exactly what the RDF export says. */
#include "plover.h"

#include "format.h"
#include "graph.h"
#include "memory.h"
#include "vocab.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* What the citation object says of the coding. */
#define CODEBOOK "PLOVER manual, draft 2.0"
#define CODER "dipkg (events curated by hand from the article)"

static bool
is_iri(const DipkgGraph *g, uint32_t id, const char *iri)
{
  const DipkgTerm *t = &g->terms[id];
  return t->kind == DIPKG_TERM_IRI && !strcmp(t->str, iri);
}

/* The part of `iri` after its last '/' or '#'. */
static const char *
local_name(const char *iri)
{
  const char *s = iri;
  for (const char *p = iri; *p; p++)
    if (*p == '/' || *p == '#')
      s = p + 1;
  return s;
}

/* The first object of (s, p), as a term id; -1 if none. */
static int64_t
object_id(const DipkgGraph *g, uint32_t s, const char *p)
{
  size_t first, n = dipkg_graph_subject_range(g, s, &first);
  for (size_t i = first; i < first + n; i++)
    if (is_iri(g, g->triples[i].p, p))
      return g->triples[i].o;
  return -1;
}

/* The first literal object of (s, p) as a JSON string, or NULL. */
static json_t *
literal(const DipkgGraph *g, uint32_t s, const char *p)
{
  const DipkgTerm *t = dipkg_graph_value(g, s, p);
  return t && t->kind == DIPKG_TERM_LITERAL ? json_stringn(t->str, t->len)
                                            : NULL;
}

/* Sets `key` of `o` to `v` (stolen).  False when `v` is NULL (out of
 * memory) or the set failed; `o` is then left for the caller to free. */
static bool
put(json_t *o, const char *key, json_t *v)
{
  return v && !json_object_set_new(o, key, v);
}

/* Sets `key` to `v` when `v` is not NULL: for optional fields, whose
 * absence is not an error.  False only when the set failed. */
static bool
put_opt(json_t *o, const char *key, json_t *v)
{
  return !v || !json_object_set_new(o, key, v);
}

static bool
append(json_t *a, json_t *v)
{
  return v && !json_array_append_new(a, v);
}

/* The country entity `e` belongs to: itself if it is a dip:Country, else
 * the country of what it is dip:within, else the country of the first
 * position a person holds.  -1 if none is known. */
static int64_t
country_of(const DipkgGraph *g, uint32_t e, int depth)
{
  if (depth > 16)  // a cycle of dip:within: no answer rather than a loop
    return -1;
  int64_t type = object_id(g, e, DIP "entityType");
  if (type >= 0 && is_iri(g, (uint32_t)type, DIP "Country"))
    return e;
  int64_t up = object_id(g, e, DIP "within");
  if (up >= 0)
    return country_of(g, (uint32_t)up, depth + 1);
  int64_t pos = object_id(g, e, DIP "position");
  int64_t of = pos >= 0 ? object_id(g, (uint32_t)pos, DIP "of") : -1;
  return of >= 0 ? country_of(g, (uint32_t)of, depth + 1) : -1;
}

/* The Wikidata id ("Q17") of entity `e` from its owl:sameAs, or NULL. */
static json_t *
wikidata_id(const DipkgGraph *g, uint32_t e)
{
  size_t first, n = dipkg_graph_subject_range(g, e, &first);
  size_t wd_len = strlen(WD);
  for (size_t i = first; i < first + n; i++) {
    const DipkgTerm *o = &g->terms[g->triples[i].o];
    if (is_iri(g, g->triples[i].p, OWL "sameAs") && o->kind == DIPKG_TERM_IRI &&
        o->len > wd_len && !strncmp(o->str, WD, wd_len))
      return json_string(o->str + wd_len);
  }
  return NULL;
}

static json_t *
label_of(const DipkgGraph *g, uint32_t id)
{
  const DipkgTerm *t = dipkg_graph_label(g, id);
  return t ? json_stringn(t->str, t->len) : NULL;
}

/* PLOVER's entity object for entity `e`: the dipkg id, the name, the
 * Wikidata id and the name it identifies when known, the country. */
static json_t *
entity_object(const DipkgGraph *g, uint32_t e)
{
  json_t *o = json_object();
  if (!o)
    return NULL;
  json_t *wd = wikidata_id(g, e);
  int64_t country = country_of(g, e, 0);
  bool ok = put(o, "entity_id", json_string(local_name(g->terms[e].str))) &&
            put_opt(o, "entity_text", label_of(g, e)) &&
            put_opt(o, "identifier_id", wd) &&
            put_opt(o, "identifier_text", wd ? label_of(g, e) : NULL) &&
            put_opt(o, "country_name",
                    country >= 0 ? label_of(g, (uint32_t)country) : NULL);
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* A list of the entity objects of the objects of (ev, p), in IRI order. */
static json_t *
entity_list(const DipkgGraph *g, uint32_t ev, const char *p)
{
  json_t *a = json_array();
  size_t first, n = dipkg_graph_subject_range(g, ev, &first);
  for (size_t i = first; a && i < first + n; i++)
    if (is_iri(g, g->triples[i].p, p) &&
        !append(a, entity_object(g, g->triples[i].o))) {
      json_decref(a);
      return NULL;
    }
  return a;
}

/* The values of the concepts (ev, p) whose IRIs start with `prefix`, the
 * prefix stripped (dip:plover-context-economic: "economic"). */
static json_t *
concept_list(const DipkgGraph *g, uint32_t ev, const char *p,
             const char *prefix)
{
  json_t *a = json_array();
  size_t first, n = dipkg_graph_subject_range(g, ev, &first);
  size_t len = strlen(prefix);
  for (size_t i = first; a && i < first + n; i++) {
    const DipkgTerm *o = &g->terms[g->triples[i].o];
    if (is_iri(g, g->triples[i].p, p) && o->kind == DIPKG_TERM_IRI &&
        o->len > len && !strncmp(o->str, prefix, len) &&
        !append(a, json_string(o->str + len))) {
      json_decref(a);
      return NULL;
    }
  }
  return a;
}

typedef struct Quote {
  unsigned long n;  // its number: #quote-N
  uint32_t id;
} Quote;

static int
quote_cmp(const void *a, const void *b)
{
  const Quote *x = a, *y = b;
  return x->n < y->n ? -1 : x->n > y->n;
}

/* The verbatim quotes of `ev` (nif:anchorOf), in the order the curator
 * gave them (their numbers, not their IRIs: quote-10 after quote-9). */
static json_t *
quote_list(const DipkgGraph *g, uint32_t ev)
{
  size_t first, n = dipkg_graph_subject_range(g, ev, &first);
  Quote *q = dipkg_calloc(n + 1, sizeof *q);
  json_t *a = q ? json_array() : NULL;
  if (!a) {
    dipkg_free(q);
    return NULL;
  }
  size_t k = 0;
  for (size_t i = first; i < first + n; i++)
    if (is_iri(g, g->triples[i].p, DIP "quote")) {
      const char *iri = g->terms[g->triples[i].o].str;
      const char *mark = strstr(iri, "#quote-");
      q[k].n = mark ? strtoul(mark + 7, NULL, 10) : 0;
      q[k++].id = g->triples[i].o;
    }
  qsort(q, k, sizeof *q, quote_cmp);
  bool ok = true;
  for (size_t i = 0; ok && i < k; i++) {
    json_t *text = literal(g, q[i].id, NIF "anchorOf");
    ok = !text || append(a, text);
  }
  dipkg_free(q);
  if (!ok) {
    json_decref(a);
    return NULL;
  }
  return a;
}

/* The PLOVER date fields of `ev` from its SEM bounds (xsd:date).  `date`
 * is the first day the event is known to have begun (its earliest begin),
 * or, when its start is open, the first day of its known end; `enddate`
 * the last day by which it had ended, when known and another day.  A month
 * or a year is thus its first and last day; `date_edtf` keeps the date as
 * curated. */
static bool
put_dates(json_t *rec, const DipkgGraph *g, uint32_t ev)
{
  static const char *const order[] = {
    SEM "hasEarliestBeginTimeStamp", SEM "hasEarliestEndTimeStamp",
    SEM "hasLatestBeginTimeStamp", SEM "hasLatestEndTimeStamp"};
  const DipkgTerm *date = NULL;
  for (size_t i = 0; !date && i < sizeof order / sizeof *order; i++)
    date = dipkg_graph_value(g, ev, order[i]);
  const DipkgTerm *end = dipkg_graph_value(g, ev, SEM "hasLatestEndTimeStamp");
  if (end && date && end->len == date->len &&
      !memcmp(end->str, date->str, end->len))
    end = NULL;
  return put_opt(rec, "date",
                 date ? json_stringn(date->str, date->len) : NULL) &&
         put_opt(rec, "enddate",
                 end ? json_stringn(end->str, end->len) : NULL) &&
         put_opt(rec, "date_edtf", literal(g, ev, DIP "edtf"));
}

/* Sets "event_loc" to PLOVER's location object for the event's
 * dip:location, when it has one.  False when out of memory. */
static bool
put_location(json_t *rec, const DipkgGraph *g, uint32_t ev)
{
  int64_t place = object_id(g, ev, DIP "location");
  if (place < 0)
    return true;
  json_t *o = json_object();
  int64_t country = country_of(g, (uint32_t)place, 0);
  if (!o || !put_opt(o, "resolved_place", label_of(g, (uint32_t)place)) ||
      !put_opt(o, "country",
               country >= 0 ? label_of(g, (uint32_t)country) : NULL)) {
    json_decref(o);
    return false;
  }
  return put(rec, "event_loc", o);
}

/* A list of one string. */
static json_t *
one_string(const DipkgTerm *t)
{
  json_t *a = json_array();
  if (a && !append(a, json_stringn(t->str, t->len))) {
    json_decref(a);
    return NULL;
  }
  return a;
}

/* The record of the article that reported `article`: who curated it
 * (prov:wasAttributedTo) and when (dcterms:created); -1 if none. */
static int64_t
record_of(const DipkgGraph *g, uint32_t article)
{
  size_t first, n = dipkg_graph_object_range(g, article, &first);
  for (size_t i = first; i < first + n; i++) {
    const DipkgTriple *t = &g->triples[g->by_object[i]];
    if (is_iri(g, t->p, PROV "wasDerivedFrom") &&
        object_id(g, t->s, PROV "wasAttributedTo") >= 0)
      return t->s;
  }
  return -1;
}

/* PLOVER's citation object for `article`. */
static json_t *
cite_object(const DipkgGraph *g, uint32_t article)
{
  json_t *o = json_object();
  if (!o)
    return NULL;
  int64_t publisher = object_id(g, article, DIP "publisher");
  bool ok =
    put(o, "citation", json_string(g->terms[article].str)) &&
    put_opt(o, "url", literal(g, article, DIP "url")) &&
    put_opt(o, "title", literal(g, article, DIP "headline")) &&
    put_opt(o, "language", literal(g, article, DIP "language")) &&
    put_opt(o, "publication",
            publisher >= 0 ? label_of(g, (uint32_t)publisher) : NULL) &&
    put_opt(o, "publication_date", literal(g, article, DIP "published")) &&
    put(o, "coder", json_string(CODER)) &&
    put(o, "codebook", json_string(CODEBOOK));
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* The record of event `ev`, whose PLOVER type is `type`; NULL when out of
 * memory. */
static json_t *
record(const DipkgGraph *g, uint32_t ev, const DipkgTerm *type)
{
  json_t *rec = json_object();
  if (!rec)
    return NULL;
  // The mode concept is dip:plover-TYPE-MODE (mapper.c).
  size_t prefix_len = strlen(DIP "plover-") + type->len + 1;
  char *mode_prefix = dipkg_malloc(prefix_len + 1);
  if (!mode_prefix) {
    json_decref(rec);
    return NULL;
  }
  snprintf(mode_prefix, prefix_len + 1, "%splover-%s-", DIP, type->str);
  int64_t article = object_id(g, ev, DIP "reportedIn");
  int64_t rec_node = article >= 0 ? record_of(g, (uint32_t)article) : -1;
  int64_t curator = rec_node >= 0
                      ? object_id(g, (uint32_t)rec_node, PROV "wasAttributedTo")
                      : -1;
  int64_t status = object_id(g, ev, DIP "status");
  char status_name[32] = "";
  if (status >= 0) {
    snprintf(status_name, sizeof status_name, "%s",
             local_name(g->terms[(uint32_t)status].str));
    status_name[0] = (char)(status_name[0] | 0x20);  // Occurred: occurred
  }
  // Participants stand as the actors of an event that names no actor (a
  // summit, an agreement): PLOVER's actor list holds them all.
  bool has_actor = object_id(g, ev, DIP "actor") >= 0;
  bool ok =
    put(rec, "id", json_string(local_name(g->terms[ev].str))) &&
    put_dates(rec, g, ev) &&
    put(rec, "actor",
        entity_list(g, ev, has_actor ? DIP "actor" : DIP "participant")) &&
    put(rec, "recipient", entity_list(g, ev, DIP "target")) &&
    put(rec, "event", one_string(type)) &&
    put(rec, "mode", concept_list(g, ev, DIP "mode", mode_prefix)) &&
    put(rec, "context",
        concept_list(g, ev, DIP "context", DIP "plover-context-")) &&
    put_location(rec, g, ev) && put(rec, "event_text", quote_list(g, ev)) &&
    put_opt(rec, "cameo", literal(g, ev, DIP "cameoCode")) &&
    put_opt(rec, "status", status >= 0 ? json_string(status_name) : NULL) &&
    put_opt(rec, "cite_info",
            article >= 0 ? cite_object(g, (uint32_t)article) : NULL) &&
    put_opt(rec, "coder",
            curator >= 0 ? label_of(g, (uint32_t)curator) : NULL) &&
    put_opt(rec, "coded_date",
            rec_node >= 0 ? literal(g, (uint32_t)rec_node, DCTERMS "created")
                          : NULL) &&
    put_opt(rec, "comment", literal(g, ev, RDFS "label"));
  dipkg_free(mode_prefix);
  if (!ok) {
    json_decref(rec);
    return NULL;
  }
  return rec;
}

static int
append_chunk(const char *data, size_t size, void *user)
{
  DipkgBuf *b = user;
  dipkg_buf_append(b, data, size);
  return b->oom ? -1 : 0;
}

DipkgStatus
dipkg_plover_append(const DipkgGraph *g, DipkgBuf *buf)
{
  // Events are the subjects of dip:eventType; the statements are sorted
  // by subject, so each event is met once, in IRI order.
  for (size_t i = 0; i < g->n; i++) {
    const DipkgTriple *t = &g->triples[i];
    if (!is_iri(g, t->p, DIP "eventType") ||
        (i > 0 && g->triples[i - 1].s == t->s &&
         is_iri(g, g->triples[i - 1].p, DIP "eventType")))
      continue;
    const DipkgTerm *type = dipkg_graph_value(g, t->s, DIP "ploverType");
    if (!type || type->kind != DIPKG_TERM_LITERAL)
      continue;  // PLOVER does not code this class of event
    json_t *rec = record(g, t->s, type);
    if (!rec)
      return DIPKG_ERR_NO_MEMORY;
    int rc = json_dump_callback(rec, append_chunk, buf, JSON_COMPACT);
    json_decref(rec);
    dipkg_buf_putc(buf, '\n');
    if (rc || buf->oom)
      return DIPKG_ERR_NO_MEMORY;
  }
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_plover_write(const DipkgGraph *g, FILE *out)
{
  DipkgBuf buf = DIPKG_BUF_INIT;
  DipkgStatus st = dipkg_plover_append(g, &buf);
  if (!st && buf.len && fwrite(buf.data, 1, buf.len, out) != buf.len)
    st = DIPKG_ERR_IO;
  dipkg_buf_free(&buf);
  return st;
}

/* ------------------------------------------- the output-format row */

static void *
plover_open(FILE *stream, const DipkgPrefix *prefixes)
{
  return dipkg_graph_doc_open(stream, prefixes, dipkg_plover_write);
}

const DipkgDocWriter dipkg_plover_writer = {plover_open, dipkg_graph_doc_sink,
                                            dipkg_graph_doc_finish,
                                            dipkg_graph_doc_free};
