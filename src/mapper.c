#include "mapper.h"

#include "buf.h"
#include "iri.h"
#include "memory.h"
#include "vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TERM(name, iri)                                                        \
  static const DipkgTerm name = {DIPKG_TERM_IRI, iri, sizeof(iri) - 1, NULL,   \
                                 NULL}

TERM(RDF_TYPE, RDF "type");
TERM(RDFS_LABEL, RDFS "label");
TERM(SKOS_ALT, SKOS "altLabel");
TERM(OWL_SAME, OWL "sameAs");
TERM(PROV_DERIVED, PROV "wasDerivedFrom");
TERM(SEM_EARLIEST, SEM "hasEarliestBeginTimeStamp");
TERM(SEM_LATEST, SEM "hasLatestEndTimeStamp");
TERM(NIF_CONTEXT, NIF "Context");
TERM(NIF_OFFSET_STRING, NIF "OffsetBasedString");
TERM(NIF_IS_STRING, NIF "isString");
TERM(NIF_BEGIN, NIF "beginIndex");
TERM(NIF_END, NIF "endIndex");
TERM(NIF_ANCHOR, NIF "anchorOf");
TERM(NIF_REFERENCE, NIF "referenceContext");
TERM(NIF_SOURCE_URL, NIF "sourceUrl");
TERM(C_ARTICLE, DIP "Article");
TERM(C_POSITION, DIP "Position");
TERM(C_QUOTE, DIP "Quote");
TERM(P_HEADLINE, DIP "headline");
TERM(P_PUBLISHER, DIP "publisher");
TERM(P_PUBLISHED, DIP "published");
TERM(P_DATELINE, DIP "dateline");
TERM(P_URL, DIP "url");
TERM(P_LANGUAGE, DIP "language");
TERM(P_AUTHOR, DIP "author");
TERM(P_TEXT, DIP "text");
TERM(P_WITHIN, DIP "within");
TERM(P_DESCRIPTION, DIP "description");
TERM(P_POSITION, DIP "position");
TERM(P_TITLE, DIP "title");
TERM(P_OF, DIP "of");
TERM(P_DATE, DIP "date");
TERM(P_START, DIP "startDate");
TERM(P_END, DIP "endDate");
TERM(P_EDTF, DIP "edtf");
TERM(P_APPROX, DIP "dateApproximate");
TERM(P_UNCERTAIN, DIP "dateUncertain");
TERM(P_STATUS, DIP "status");
TERM(P_EVENT_TYPE, DIP "eventType");
TERM(P_ENTITY_TYPE, DIP "entityType");
TERM(P_ACTOR, DIP "actor");
TERM(P_TARGET, DIP "target");
TERM(P_PARTICIPANT, DIP "participant");
TERM(P_LOCATION, DIP "location");
TERM(P_FORUM, DIP "forum");
TERM(P_CONCERNS, DIP "concerns");
TERM(P_REVERSES, DIP "reverses");
TERM(P_FOLLOWS, DIP "follows");
TERM(P_PART_OF, DIP "partOf");
TERM(P_RESPONDS_TO, DIP "respondsTo");
TERM(P_SUMMARY, DIP "summary");
TERM(P_QUOTE, DIP "quote");
TERM(P_CAMEO, DIP "cameoCode");
TERM(P_PLOVER, DIP "ploverType");

static const char *const status_iris[4] = {DIP "Occurred", DIP "Ongoing",
                                           DIP "Planned", DIP "Agreed"};

/* Every constant IRI the mapper can write (classes of entities and events
 * come from the ontology itself). */
static const DipkgTerm *const vocabulary[] = {
  &RDF_TYPE,          &RDFS_LABEL,    &SKOS_ALT,       &OWL_SAME,
  &PROV_DERIVED,      &SEM_EARLIEST,  &SEM_LATEST,     &NIF_CONTEXT,
  &NIF_OFFSET_STRING, &NIF_IS_STRING, &NIF_BEGIN,      &NIF_END,
  &NIF_ANCHOR,        &NIF_REFERENCE, &NIF_SOURCE_URL, &C_ARTICLE,
  &C_POSITION,        &C_QUOTE,       &P_HEADLINE,     &P_PUBLISHER,
  &P_PUBLISHED,       &P_DATELINE,    &P_URL,          &P_LANGUAGE,
  &P_AUTHOR,          &P_TEXT,        &P_WITHIN,       &P_DESCRIPTION,
  &P_POSITION,        &P_TITLE,       &P_OF,           &P_DATE,
  &P_START,           &P_END,         &P_EDTF,         &P_APPROX,
  &P_UNCERTAIN,       &P_STATUS,      &P_ACTOR,        &P_TARGET,
  &P_PARTICIPANT,     &P_LOCATION,    &P_FORUM,        &P_CONCERNS,
  &P_REVERSES,        &P_FOLLOWS,     &P_PART_OF,      &P_RESPONDS_TO,
  &P_SUMMARY,         &P_QUOTE,       &P_CAMEO,        &P_PLOVER,
  &P_EVENT_TYPE,      &P_ENTITY_TYPE,
};

const char *
dipkg_map_vocabulary(size_t i)
{
  enum { N_TERMS = sizeof vocabulary / sizeof *vocabulary };
  if (i < N_TERMS)
    return vocabulary[i]->str;
  return i < N_TERMS + 4 ? status_iris[i - N_TERMS] : NULL;
}

typedef struct Mapper {
  const DipkgMapContext *cx;
  const DipkgFacts *f;
  DipkgArena *arena;
  DipkgSink *sink;
  DipkgBuf scratch;
  DipkgStatus st;
  DipkgTerm article;  // the article's IRI (if any)
  DipkgTerm context;  // the NIF context of its text (if any)
} Mapper;

static DipkgTerm
iri(const char *s, size_t len)
{
  return (DipkgTerm){DIPKG_TERM_IRI, s, len, NULL, NULL};
}

static DipkgTerm
literal(const char *s, size_t len, const char *datatype, const char *lang)
{
  return (DipkgTerm){DIPKG_TERM_LITERAL, s, len, datatype, lang};
}

static DipkgTerm
text(const Mapper *m, const DipkgValue *v)
{
  return literal(v->str, v->len, NULL, m->f->lang);
}

static DipkgTerm
plain(const DipkgValue *v)
{
  return literal(v->str, v->len, NULL, NULL);
}

static void
emit(Mapper *m, const DipkgTerm *s, const DipkgTerm *p, const DipkgTerm *o)
{
  if (!m->st)
    m->st = m->sink->statement(m->sink, s, p, o);
}

/* Copies the scratch buffer into the arena as a term. */
static DipkgTerm
scratch_term(Mapper *m, DipkgTermKind kind, const char *datatype)
{
  DipkgTerm t = {kind, "", 0, datatype, NULL};
  char *s = m->scratch.oom
              ? NULL
              : dipkg_arena_strndup(m->arena, m->scratch.data, m->scratch.len);
  if (!s) {
    m->st = DIPKG_ERR_NO_MEMORY;
    return t;
  }
  t.str = s;
  t.len = m->scratch.len;
  return t;
}

/* {namespace}{id}[{suffix}], the id percent-encoded (ids are checked to be
 * [a-z0-9-], so encoding changes nothing; it is the second line of defence
 * against injection). */
static DipkgTerm
mint(Mapper *m, const char *ns, const char *id, size_t len, const char *suffix)
{
  dipkg_buf_clear(&m->scratch);
  dipkg_buf_puts(&m->scratch, ns);
  dipkg_iri_append_encoded(&m->scratch, id, len);
  if (suffix)
    dipkg_buf_puts(&m->scratch, suffix);
  return scratch_term(m, DIPKG_TERM_IRI, NULL);
}

static DipkgTerm
entity_iri(Mapper *m, const DipkgValue *v)
{
  return mint(m, m->cx->world->ns_entity, v->str, v->len, NULL);
}

static DipkgTerm
event_iri(Mapper *m, const DipkgValue *v)
{
  return mint(m, m->cx->world->ns_event, v->str, v->len, NULL);
}

static DipkgTerm
number(Mapper *m, size_t n)
{
  dipkg_buf_clear(&m->scratch);
  dipkg_buf_put_u64(&m->scratch, n);
  return scratch_term(m, DIPKG_TERM_LITERAL, XSD "nonNegativeInteger");
}

static void
emit_refs(Mapper *m, const DipkgTerm *s, const DipkgTerm *p,
          const DipkgValues *vs)
{
  for (size_t i = 0; i < vs->n; i++) {
    DipkgTerm o = entity_iri(m, &vs->items[i]);
    emit(m, s, p, &o);
  }
}

static void
emit_ref(Mapper *m, const DipkgTerm *s, const DipkgTerm *p, const DipkgValue *v,
         bool event)
{
  if (!v->str)
    return;
  DipkgTerm o = event ? event_iri(m, v) : entity_iri(m, v);
  emit(m, s, p, &o);
}

static void
emit_point(Mapper *m, const DipkgTerm *s, const DipkgTerm *p,
           const DipkgDatePoint *pt)
{
  const char *dt = dipkg_date_datatype(pt);
  if (!dt)
    return;
  DipkgTerm o = literal(pt->lexical, strlen(pt->lexical), dt, NULL);
  emit(m, s, p, &o);
}

/* The bounds of a date or an interval: earliest begin, latest end. */
static void
emit_bounds(Mapper *m, const DipkgTerm *s, const DipkgDatePoint *first,
            const DipkgDatePoint *last)
{
  char lo[11], hi[11];
  if (dipkg_date_bound(first, false, lo)) {
    DipkgTerm o = literal(lo, 10, XSD "date", NULL);
    emit(m, s, &SEM_EARLIEST, &o);
  }
  if (dipkg_date_bound(last, true, hi)) {
    DipkgTerm o = literal(hi, 10, XSD "date", NULL);
    emit(m, s, &SEM_LATEST, &o);
  }
}

static void
emit_flag(Mapper *m, const DipkgTerm *s, const DipkgTerm *p, bool on)
{
  static const DipkgTerm yes = {DIPKG_TERM_LITERAL, "true", 4, XSD "boolean",
                                NULL};
  if (on)
    emit(m, s, p, &yes);
}

/* ------------------------------------------------------------ article */

static void
map_article(Mapper *m)
{
  const DipkgArticleFacts *a = &m->f->article;
  const DipkgTerm *s = &m->article;
  emit(m, s, &RDF_TYPE, &C_ARTICLE);
  DipkgTerm o = text(m, &a->headline);
  emit(m, s, &P_HEADLINE, &o);
  emit_ref(m, s, &P_PUBLISHER, &a->publisher, false);
  emit_point(m, s, &P_PUBLISHED, &a->published_date.start);
  emit_ref(m, s, &P_DATELINE, &a->dateline, false);
  if (a->url.str) {
    o = iri(a->url.str, a->url.len);
    emit(m, s, &P_URL, &o);
  }
  o = literal(m->f->lang, strlen(m->f->lang), NULL, NULL);
  emit(m, s, &P_LANGUAGE, &o);
  for (size_t i = 0; i < a->authors.n; i++) {
    o = plain(&a->authors.items[i]);
    emit(m, s, &P_AUTHOR, &o);
  }
  if (!m->f->text)
    return;
  emit(m, s, &P_TEXT, &m->context);
  const DipkgTerm *c = &m->context;
  emit(m, c, &RDF_TYPE, &NIF_CONTEXT);
  emit(m, c, &RDF_TYPE, &NIF_OFFSET_STRING);
  o = literal(m->f->text, m->f->text_len, NULL, NULL);
  emit(m, c, &NIF_IS_STRING, &o);
  o = number(m, 0);
  emit(m, c, &NIF_BEGIN, &o);
  o = number(m, m->f->text_chars);
  emit(m, c, &NIF_END, &o);
  if (a->url.str) {
    o = iri(a->url.str, a->url.len);
    emit(m, c, &NIF_SOURCE_URL, &o);
  }
}

/* ----------------------------------------------------------- entities */

/* Whether `e` is the canonical definition of its entity (the first in
 * input order), the only one written. */
static bool
is_canonical(const Mapper *m, const DipkgEntityFacts *e)
{
  const DipkgIdInfo *info =
    dipkg_index_get(m->cx->index, DIPKG_ID_ENTITY, e->id.str, e->id.len);
  return info && info->file == m->cx->file_no &&
         info->loc.line == e->id.loc.line && info->loc.col == e->id.loc.col;
}

static void
map_position(Mapper *m, const DipkgTerm *s, const DipkgPositionFacts *p)
{
  emit(m, s, &RDF_TYPE, &C_POSITION);
  DipkgTerm o = text(m, &p->title);
  emit(m, s, &P_TITLE, &o);
  emit_ref(m, s, &P_OF, &p->of, false);
  const DipkgDatePoint *from = p->from.str ? &p->from_date.start : NULL;
  const DipkgDatePoint *to = p->to.str ? &p->to_date.start : NULL;
  if (from)
    emit_point(m, s, &P_START, from);
  if (to)
    emit_point(m, s, &P_END, to);
  emit_flag(m, s, &P_APPROX,
            (from && from->approximate) || (to && to->approximate));
  emit_flag(m, s, &P_UNCERTAIN,
            (from && from->uncertain) || (to && to->uncertain));
  static const DipkgDatePoint none = {0};
  emit_bounds(m, s, from ? from : &none, to ? to : &none);
}

static void
map_entity(Mapper *m, const DipkgEntityFacts *e)
{
  DipkgTerm s = entity_iri(m, &e->id);
  DipkgTerm o = iri(e->cls->iri, strlen(e->cls->iri));
  emit(m, &s, &RDF_TYPE, &o);
  emit(m, &s, &P_ENTITY_TYPE, &o);
  o = text(m, &e->name);
  emit(m, &s, &RDFS_LABEL, &o);
  for (size_t i = 0; i < e->aliases.n; i++) {
    o = text(m, &e->aliases.items[i]);
    emit(m, &s, &SKOS_ALT, &o);
  }
  if (e->wikidata.str) {
    o = mint(m, WD, e->wikidata.str, e->wikidata.len, NULL);
    emit(m, &s, &OWL_SAME, &o);
  }
  emit_ref(m, &s, &P_WITHIN, &e->within, false);
  if (e->description.str) {
    o = text(m, &e->description);
    emit(m, &s, &P_DESCRIPTION, &o);
  }
  DipkgTerm *positions = NULL;
  if (e->n_positions) {
    positions = dipkg_arena_calloc(m->arena, e->n_positions, sizeof *positions);
    if (!positions) {
      m->st = DIPKG_ERR_NO_MEMORY;
      return;
    }
  }
  for (size_t i = 0; i < e->n_positions; i++) {
    char suffix[32];
    snprintf(suffix, sizeof suffix, "#position-%zu", i + 1);
    positions[i] =
      mint(m, m->cx->world->ns_entity, e->id.str, e->id.len, suffix);
    emit(m, &s, &P_POSITION, &positions[i]);
  }
  if (m->article.str)
    emit(m, &s, &PROV_DERIVED, &m->article);
  for (size_t i = 0; i < e->n_positions; i++)
    map_position(m, &positions[i], &e->positions[i]);
}

/* ------------------------------------------------------------- events */

static const char *
entity_name(const Mapper *m, const DipkgValue *v)
{
  const DipkgIdInfo *info =
    dipkg_index_get(m->cx->index, DIPKG_ID_ENTITY, v->str, v->len);
  return info && info->name ? info->name : v->str;
}

static void
put_names(Mapper *m, const DipkgValues *vs)
{
  for (size_t i = 0; i < vs->n; i++) {
    if (i)
      dipkg_buf_append(&m->scratch, ", ", 2);
    dipkg_buf_puts(&m->scratch, entity_name(m, &vs->items[i]));
  }
}

/* A deterministic label for an untitled event:
 * "Export controls lifted (Japan → South Korea), 2023-03-23". */
static DipkgTerm
generated_title(Mapper *m, const DipkgEventFacts *ev)
{
  dipkg_buf_clear(&m->scratch);
  const char *label = ev->cls->label ? ev->cls->label : ev->cls->local;
  if (label[0] >= 'a' && label[0] <= 'z') {
    dipkg_buf_putc(&m->scratch, (char)(label[0] - 'a' + 'A'));
    dipkg_buf_puts(&m->scratch, label + 1);
  } else {
    dipkg_buf_puts(&m->scratch, label);
  }
  const DipkgValues *who = ev->actors.n ? &ev->actors : &ev->participants;
  if (who->n || ev->targets.n) {
    dipkg_buf_append(&m->scratch, " (", 2);
    put_names(m, who);
    if (ev->targets.n) {
      dipkg_buf_puts(&m->scratch, who->n ? " \xE2\x86\x92 " : "\xE2\x86\x92 ");
      put_names(m, &ev->targets);
    }
    dipkg_buf_putc(&m->scratch, ')');
  }
  dipkg_buf_append(&m->scratch, ", ", 2);
  dipkg_buf_append(&m->scratch, ev->date.str, ev->date.len);
  // The template and the class label are English, whatever the article's
  // language (the names inside stay as curated).
  DipkgTerm t = scratch_term(m, DIPKG_TERM_LITERAL, NULL);
  t.lang = "en";
  return t;
}

static void
map_event(Mapper *m, const DipkgEventFacts *ev)
{
  DipkgTerm s = event_iri(m, &ev->id);
  DipkgTerm o = iri(ev->cls->iri, strlen(ev->cls->iri));
  emit(m, &s, &RDF_TYPE, &o);
  emit(m, &s, &P_EVENT_TYPE, &o);
  o = ev->title.str ? text(m, &ev->title) : generated_title(m, ev);
  emit(m, &s, &RDFS_LABEL, &o);
  o = iri(status_iris[ev->status_value], strlen(status_iris[ev->status_value]));
  emit(m, &s, &P_STATUS, &o);

  const DipkgDate *d = &ev->when;
  if (d->interval) {
    emit_point(m, &s, &P_START, &d->start);
    emit_point(m, &s, &P_END, &d->end);
  } else {
    emit_point(m, &s, &P_DATE, &d->start);
  }
  o = plain(&ev->date);
  emit(m, &s, &P_EDTF, &o);
  emit_flag(m, &s, &P_APPROX, d->start.approximate || d->end.approximate);
  emit_flag(m, &s, &P_UNCERTAIN, d->start.uncertain || d->end.uncertain);
  emit_bounds(m, &s, &d->start, d->interval ? &d->end : &d->start);

  emit_refs(m, &s, &P_ACTOR, &ev->actors);
  emit_refs(m, &s, &P_TARGET, &ev->targets);
  emit_refs(m, &s, &P_PARTICIPANT, &ev->participants);
  emit_ref(m, &s, &P_LOCATION, &ev->location, false);
  emit_ref(m, &s, &P_FORUM, &ev->forum, false);
  emit_refs(m, &s, &P_CONCERNS, &ev->concerns);
  emit_ref(m, &s, &P_REVERSES, &ev->reverses, true);
  emit_ref(m, &s, &P_FOLLOWS, &ev->follows, true);
  emit_ref(m, &s, &P_PART_OF, &ev->part_of, true);
  emit_ref(m, &s, &P_RESPONDS_TO, &ev->responds_to, true);
  if (ev->summary.str) {
    o = text(m, &ev->summary);
    emit(m, &s, &P_SUMMARY, &o);
  }
  const char *cameo =
    ev->cameo.str ? ev->cameo.str : dipkg_class_cameo(ev->cls);
  if (cameo) {
    o = literal(cameo, strlen(cameo), NULL, NULL);
    emit(m, &s, &P_CAMEO, &o);
  }
  const char *plover =
    ev->plover.str ? ev->plover.str : dipkg_class_plover(ev->cls);
  if (plover) {
    o = literal(plover, strlen(plover), NULL, NULL);
    emit(m, &s, &P_PLOVER, &o);
  }
  DipkgTerm *quotes = NULL;
  if (ev->quotes.n) {
    quotes = dipkg_arena_calloc(m->arena, ev->quotes.n, sizeof *quotes);
    if (!quotes) {
      m->st = DIPKG_ERR_NO_MEMORY;
      return;
    }
  }
  for (size_t i = 0; i < ev->quotes.n; i++) {
    char suffix[32];
    snprintf(suffix, sizeof suffix, "#quote-%zu", i + 1);
    quotes[i] = mint(m, m->cx->world->ns_event, ev->id.str, ev->id.len, suffix);
    emit(m, &s, &P_QUOTE, &quotes[i]);
  }
  emit(m, &s, &PROV_DERIVED, &m->article);
  for (size_t i = 0; i < ev->quotes.n; i++) {
    const DipkgQuoteSpan *span = ev->spans ? &ev->spans[i] : NULL;
    emit(m, &quotes[i], &RDF_TYPE, &C_QUOTE);
    if (span && span->located) {
      o = literal(span->anchor, span->anchor_len, NULL, NULL);
      emit(m, &quotes[i], &NIF_ANCHOR, &o);
      o = number(m, span->begin);
      emit(m, &quotes[i], &NIF_BEGIN, &o);
      o = number(m, span->end);
      emit(m, &quotes[i], &NIF_END, &o);
      emit(m, &quotes[i], &NIF_REFERENCE, &m->context);
    } else {
      o = plain(&ev->quotes.items[i]);
      emit(m, &quotes[i], &NIF_ANCHOR, &o);
    }
  }
}

/* {namespace}{id} for a graph name, in the arena. */
static const char *
graph_iri(Mapper *m, const char *ns, const DipkgValue *id)
{
  DipkgTerm t = mint(m, ns, id->str, id->len, NULL);
  return m->st ? NULL : t.str;
}

DipkgStatus
dipkg_map_facts(const DipkgMapContext *cx, const DipkgFacts *f,
                DipkgArena *arena, DipkgSink *sink)
{
  Mapper m = {cx, f, arena, sink, DIPKG_BUF_INIT, DIPKG_SUCCESS, {0}, {0}};
  if (f->article.present) {
    const char *graph = graph_iri(&m, cx->world->ns_graph, &f->article.id);
    m.article = mint(&m, cx->world->ns_article, f->article.id.str,
                     f->article.id.len, NULL);
    if (f->text) {
      char suffix[64];
      snprintf(suffix, sizeof suffix, "#char=0,%zu", f->text_chars);
      m.context = mint(&m, cx->world->ns_article, f->article.id.str,
                       f->article.id.len, suffix);
    }
    if (!m.st)
      m.st = sink->begin_graph(sink, graph);
    map_article(&m);
    for (size_t i = 0; i < f->n_events && !m.st; i++)
      map_event(&m, &f->events[i]);
  }
  for (size_t i = 0; i < f->n_entities && !m.st; i++) {
    const DipkgEntityFacts *e = &f->entities[i];
    if (!is_canonical(&m, e))
      continue;
    const char *graph = graph_iri(&m, cx->world->ns_entity_graph, &e->id);
    if (!m.st)
      m.st = sink->begin_graph(sink, graph);
    map_entity(&m, e);
  }
  if (!m.st)
    m.st = sink->end_graph(sink);
  if (m.scratch.oom && !m.st)
    m.st = DIPKG_ERR_NO_MEMORY;
  dipkg_buf_free(&m.scratch);
  return m.st;
}
