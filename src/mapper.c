#include "mapper.h"

#include "buf.h"
#include "iri.h"
#include "memory.h"
#include "vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every constant IRI the mapper can write (classes of entities and events,
 * and the CAMEO and PLOVER concepts, come from the ontology itself), in
 * one list: each X(NAME, IRI) defines the term NAME and puts it in
 * vocabulary[], which a test checks against the ontology. */
#define VOCABULARY(X)                                                          \
  X(RDF_TYPE, RDF "type")                                                      \
  X(RDFS_LABEL, RDFS "label")                                                  \
  X(SKOS_ALT, SKOS "altLabel")                                                 \
  X(OWL_SAME, OWL "sameAs")                                                    \
  X(DCT_CREATED, DCTERMS "created")                                            \
  X(PROV_AGENT, PROV "Agent")                                                  \
  X(PROV_DERIVED, PROV "wasDerivedFrom")                                       \
  X(PROV_ATTRIBUTED, PROV "wasAttributedTo")                                   \
  X(PROV_GENERATED_AT, PROV "generatedAtTime")                                 \
  X(PROV_QUOTED, PROV "wasQuotedFrom")                                         \
  X(SEM_EARLIEST_BEGIN, SEM "hasEarliestBeginTimeStamp")                       \
  X(SEM_LATEST_BEGIN, SEM "hasLatestBeginTimeStamp")                           \
  X(SEM_EARLIEST_END, SEM "hasEarliestEndTimeStamp")                           \
  X(SEM_LATEST_END, SEM "hasLatestEndTimeStamp")                               \
  X(SCHEMA_START, SCHEMA "startDate")                                          \
  X(SCHEMA_END, SCHEMA "endDate")                                              \
  X(SCHEMA_LOCATION, SCHEMA "location")                                        \
  X(SCHEMA_ATTENDEE, SCHEMA "attendee")                                        \
  X(SCHEMA_ORGANIZER, SCHEMA "organizer")                                      \
  X(SCHEMA_SUPER_EVENT, SCHEMA "superEvent")                                   \
  X(SCHEMA_EVENT_STATUS, SCHEMA "eventStatus")                                 \
  X(SCHEMA_SCHEDULED, SCHEMA "EventScheduled")                                 \
  X(NIF_CONTEXT, NIF "Context")                                                \
  X(NIF_OFFSET_STRING, NIF "OffsetBasedString")                                \
  X(NIF_IS_STRING, NIF "isString")                                             \
  X(NIF_BEGIN, NIF "beginIndex")                                               \
  X(NIF_END, NIF "endIndex")                                                   \
  X(NIF_ANCHOR, NIF "anchorOf")                                                \
  X(NIF_REFERENCE, NIF "referenceContext")                                     \
  X(NIF_SOURCE_URL, NIF "sourceUrl")                                           \
  X(C_ARTICLE, DIP "Article")                                                  \
  X(C_RECORD, DIP "Record")                                                    \
  X(C_POSITION, DIP "Position")                                                \
  X(C_QUOTE, DIP "Quote")                                                      \
  X(P_HEADLINE, DIP "headline")                                                \
  X(P_PUBLISHER, DIP "publisher")                                              \
  X(P_PUBLISHED, DIP "published")                                              \
  X(P_DATELINE, DIP "dateline")                                                \
  X(P_URL, DIP "url")                                                          \
  X(P_LANGUAGE, DIP "language")                                                \
  X(P_AUTHOR, DIP "author")                                                    \
  X(P_TEXT, DIP "text")                                                        \
  X(P_RETRIEVED, DIP "retrieved")                                              \
  X(P_WITHIN, DIP "within")                                                    \
  X(P_DESCRIPTION, DIP "description")                                          \
  X(P_POSITION, DIP "position")                                                \
  X(P_TITLE, DIP "title")                                                      \
  X(P_OF, DIP "of")                                                            \
  X(P_DATE, DIP "date")                                                        \
  X(P_START, DIP "startDate")                                                  \
  X(P_END, DIP "endDate")                                                      \
  X(P_EDTF, DIP "edtf")                                                        \
  X(P_APPROX, DIP "dateApproximate")                                           \
  X(P_UNCERTAIN, DIP "dateUncertain")                                          \
  X(P_STATUS, DIP "status")                                                    \
  X(P_EVENT_TYPE, DIP "eventType")                                             \
  X(P_ENTITY_TYPE, DIP "entityType")                                           \
  X(P_REPORTED_IN, DIP "reportedIn")                                           \
  X(P_ACTOR, DIP "actor")                                                      \
  X(P_TARGET, DIP "target")                                                    \
  X(P_PARTICIPANT, DIP "participant")                                          \
  X(P_LOCATION, DIP "location")                                                \
  X(P_FORUM, DIP "forum")                                                      \
  X(P_CONCERNS, DIP "concerns")                                                \
  X(P_REVERSES, DIP "reverses")                                                \
  X(P_FOLLOWS, DIP "follows")                                                  \
  X(P_PART_OF, DIP "partOf")                                                   \
  X(P_RESPONDS_TO, DIP "respondsTo")                                           \
  X(P_HAS_CAUSE, DIP "hasCause")                                               \
  X(P_SUMMARY, DIP "summary")                                                  \
  X(P_QUOTE, DIP "quote")                                                      \
  X(P_CAMEO, DIP "cameoCode")                                                  \
  X(P_PLOVER, DIP "ploverType")                                                \
  X(P_CAMEO_CONCEPT, DIP "cameo")                                              \
  X(P_PLOVER_CONCEPT, DIP "plover")                                            \
  X(P_MODE_CONCEPT, DIP "mode")                                                \
  X(P_CONTEXT_CONCEPT, DIP "context")

#define DEFINE_TERM(name, iri)                                                 \
  static const DipkgTerm name = {DIPKG_TERM_IRI, iri, sizeof(iri) - 1, NULL,   \
                                 NULL};
#define LIST_TERM(name, iri) &(name),
VOCABULARY(DEFINE_TERM)

static const char *const status_iris[4] = {DIP "Occurred", DIP "Ongoing",
                                           DIP "Planned", DIP "Agreed"};

static const DipkgTerm *const vocabulary[] = {VOCABULARY(LIST_TERM)};

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

static void
emit_day(Mapper *m, const DipkgTerm *s, const DipkgTerm *p, const char day[11])
{
  DipkgTerm o = literal(day, 10, XSD "date", NULL);
  emit(m, s, p, &o);
}

/* SEM's four bounds of a position's dates: begins within `from`, ends
 * within `to` (either may be absent). */
static void
emit_bounds(Mapper *m, const DipkgTerm *s, const DipkgDatePoint *from,
            const DipkgDatePoint *to)
{
  char begin_lo[11], begin_hi[11], end_lo[11], end_hi[11];
  bool has_begin_lo = dipkg_date_bound(from, false, begin_lo);
  bool has_begin_hi = dipkg_date_bound(from, true, begin_hi);
  bool has_end_lo = dipkg_date_bound(to, false, end_lo);
  bool has_end_hi = dipkg_date_bound(to, true, end_hi);
  // As for events: a coarse start cannot outlast a finer end.
  if (has_begin_hi && has_end_hi && strcmp(begin_hi, end_hi) > 0)
    memcpy(begin_hi, end_hi, sizeof begin_hi);
  if (has_end_lo && has_begin_lo && strcmp(end_lo, begin_lo) < 0)
    memcpy(end_lo, begin_lo, sizeof end_lo);
  if (has_begin_lo)
    emit_day(m, s, &SEM_EARLIEST_BEGIN, begin_lo);
  if (has_begin_hi)
    emit_day(m, s, &SEM_LATEST_BEGIN, begin_hi);
  if (has_end_lo)
    emit_day(m, s, &SEM_EARLIEST_END, end_lo);
  if (has_end_hi)
    emit_day(m, s, &SEM_LATEST_END, end_hi);
}

/* SEM's four bounds of an event, as xsd:date.  The date (or the interval's
 * start) bounds the begin; the date (or the interval's end) bounds the end.
 * An open or unknown start leaves the begin bounded only by the end, an
 * open end leaves the end bounded only by the begin.  The status changes
 * what the end means: an ongoing event was still under way at the date
 * given for its end (the article's "as of"), so that date is its earliest
 * end and it has no latest one; a planned or agreed event has not happened
 * yet, so its date bounds when it is to happen, and a plan open at the end
 * ("2023-03-23/..": from the announcement on) has only an earliest begin
 * and end: nothing is closed on the day it was announced. */
static void
emit_event_bounds(Mapper *m, const DipkgTerm *s, const DipkgDate *d,
                  DipkgEventStatus status)
{
  const DipkgDatePoint *first = &d->start;
  const DipkgDatePoint *last = d->interval ? &d->end : &d->start;
  char begin_lo[11], begin_hi[11], end_lo[11], end_hi[11];
  bool has_begin_lo = dipkg_date_bound(first, false, begin_lo);
  bool has_begin_hi = dipkg_date_bound(first, true, begin_hi);
  bool has_end_lo = dipkg_date_bound(last, false, end_lo);
  bool has_end_hi = dipkg_date_bound(last, true, end_hi);
  if (!has_begin_hi && has_end_hi) {
    memcpy(begin_hi, end_hi, sizeof begin_hi);  // it began before it ended
    has_begin_hi = true;
  }
  if (!has_end_lo && has_begin_lo) {
    memcpy(end_lo, begin_lo, sizeof end_lo);  // it ends after it began
    has_end_lo = true;
  }
  // A coarse start and a finer end ("2018/2018-04-18"): it began by the
  // time it ended, and ended after it began.
  if (has_begin_hi && has_end_hi && strcmp(begin_hi, end_hi) > 0)
    memcpy(begin_hi, end_hi, sizeof begin_hi);
  if (has_end_lo && has_begin_lo && strcmp(end_lo, begin_lo) < 0)
    memcpy(end_lo, begin_lo, sizeof end_lo);
  if (status == DIPKG_STATUS_ONGOING)
    has_end_hi = false;
  // A plan "from this day on" (an interval open at the end) may begin any
  // day from its start: the start is its earliest begin, not its last.
  if ((status == DIPKG_STATUS_PLANNED || status == DIPKG_STATUS_AGREED) &&
      d->interval && !d->end.precision)
    has_begin_hi = false;
  if (has_begin_lo)
    emit_day(m, s, &SEM_EARLIEST_BEGIN, begin_lo);
  if (has_begin_hi)
    emit_day(m, s, &SEM_LATEST_BEGIN, begin_hi);
  if (has_end_lo)
    emit_day(m, s, &SEM_EARLIEST_END, end_lo);
  if (has_end_hi)
    emit_day(m, s, &SEM_LATEST_END, end_hi);
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

/* The PLOVER mode and contexts of an event, as links to their concepts:
 * the curator's values, else the class's (a class's mode only with the
 * class's own PLOVER type). */
static void
map_plover_details(Mapper *m, const DipkgTerm *s, const DipkgEventFacts *ev,
                   const char *plover)
{
  const char *mode = NULL;
  size_t mode_len = 0;
  if (ev->plover_mode.str) {
    mode = ev->plover_mode.str;
    mode_len = ev->plover_mode.len;
  } else if (dipkg_class_plover_mode(ev->cls) &&
             !strcmp(plover, dipkg_class_plover(ev->cls))) {
    mode = dipkg_class_plover_mode(ev->cls);
    mode_len = strlen(mode);
  }
  if (mode) {
    dipkg_buf_clear(&m->scratch);
    dipkg_buf_puts(&m->scratch, DIP "plover-");
    dipkg_buf_puts(&m->scratch, plover);
    dipkg_buf_putc(&m->scratch, '-');
    dipkg_iri_append_encoded(&m->scratch, mode, mode_len);
    DipkgTerm o = scratch_term(m, DIPKG_TERM_IRI, NULL);
    emit(m, s, &P_MODE_CONCEPT, &o);
  }
}

/* The PLOVER contexts of an event (any event: a context says what it is
 * about, whatever its type): the curator's, else the class's. */
static void
map_plover_contexts(Mapper *m, const DipkgTerm *s, const DipkgEventFacts *ev)
{
  if (ev->plover_context.n) {
    for (size_t i = 0; i < ev->plover_context.n; i++) {
      const DipkgValue *c = &ev->plover_context.items[i];
      DipkgTerm o = mint(m, DIP "plover-context-", c->str, c->len, NULL);
      emit(m, s, &P_CONTEXT_CONCEPT, &o);
    }
  } else if (dipkg_class_plover_context(ev->cls)) {
    const char *c = dipkg_class_plover_context(ev->cls);
    DipkgTerm o = mint(m, DIP "plover-context-", c, strlen(c), NULL);
    emit(m, s, &P_CONTEXT_CONCEPT, &o);
  }
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
  o = literal(ev->date.str, ev->date.len, EDTF_DATATYPE, NULL);
  emit(m, &s, &P_EDTF, &o);
  emit_flag(m, &s, &P_APPROX, d->start.approximate || d->end.approximate);
  emit_flag(m, &s, &P_UNCERTAIN, d->start.uncertain || d->end.uncertain);
  emit_event_bounds(m, &s, d, ev->status_value);
  // schema.org's view, for consumers that know only schema.org (and the
  // JSON-LD of published pages): dates, place, who, part of what, status.
  emit_point(m, &s, &SCHEMA_START, &d->start);
  if (d->interval)
    emit_point(m, &s, &SCHEMA_END, &d->end);
  if (ev->status_value == DIPKG_STATUS_PLANNED ||
      ev->status_value == DIPKG_STATUS_AGREED)
    emit(m, &s, &SCHEMA_EVENT_STATUS, &SCHEMA_SCHEDULED);

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
  for (size_t i = 0; i < ev->caused_by.n; i++)
    emit_ref(m, &s, &P_HAS_CAUSE, &ev->caused_by.items[i], true);
  emit_refs(m, &s, &SCHEMA_ORGANIZER, &ev->actors);
  emit_refs(m, &s, &SCHEMA_ATTENDEE, &ev->participants);
  emit_ref(m, &s, &SCHEMA_LOCATION, &ev->location, false);
  emit_ref(m, &s, &SCHEMA_SUPER_EVENT, &ev->part_of, true);
  if (ev->summary.str) {
    o = text(m, &ev->summary);
    emit(m, &s, &P_SUMMARY, &o);
  }
  const char *cameo =
    ev->cameo.str ? ev->cameo.str : dipkg_class_cameo(ev->cls);
  if (cameo) {
    o = literal(cameo, strlen(cameo), NULL, NULL);
    emit(m, &s, &P_CAMEO, &o);
    o = mint(m, DIP "cameo-", cameo, strlen(cameo), NULL);
    emit(m, &s, &P_CAMEO_CONCEPT, &o);
  }
  const char *plover =
    ev->plover.str ? ev->plover.str : dipkg_class_plover(ev->cls);
  if (plover) {
    o = literal(plover, strlen(plover), NULL, NULL);
    emit(m, &s, &P_PLOVER, &o);
    o = mint(m, DIP "plover-", plover, strlen(plover), NULL);
    emit(m, &s, &P_PLOVER_CONCEPT, &o);
    map_plover_details(m, &s, ev, plover);
  }
  map_plover_contexts(m, &s, ev);
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
  emit(m, &s, &P_REPORTED_IN, &m->article);
  for (size_t i = 0; i < ev->quotes.n; i++) {
    const DipkgQuoteSpan *span = ev->spans ? &ev->spans[i] : NULL;
    emit(m, &quotes[i], &RDF_TYPE, &C_QUOTE);
    if (span && span->located)
      emit(m, &quotes[i], &RDF_TYPE, &NIF_OFFSET_STRING);
    emit(m, &quotes[i], &PROV_QUOTED, &m->article);
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

/* The record of a named graph: the graph is what was curated, and it (not
 * the events it describes) derives from the article, is attributed to the
 * curator and was made on the day curated.  `article` may be NULL (an
 * entity of a gazetteer, reported by no article). */
static void
map_record(Mapper *m, const char *graph, const DipkgTerm *article,
           bool curation)
{
  DipkgTerm g = iri(graph, strlen(graph));
  emit(m, &g, &RDF_TYPE, &C_RECORD);
  if (!article || !article->str)
    return;
  emit(m, &g, &PROV_DERIVED, article);
  if (!curation)
    return;  // told once, in the article's record
  const DipkgArticleFacts *a = &m->f->article;
  if (a->curator.str) {
    // The curator as an agent of its own: {base}curator/{name, encoded}.
    dipkg_buf_clear(&m->scratch);
    dipkg_buf_puts(&m->scratch, m->cx->world->base);
    dipkg_buf_puts(&m->scratch, "curator/");
    dipkg_iri_append_encoded(&m->scratch, a->curator.str, a->curator.len);
    DipkgTerm who = scratch_term(m, DIPKG_TERM_IRI, NULL);
    emit(m, &g, &PROV_ATTRIBUTED, &who);
    emit(m, &who, &RDF_TYPE, &PROV_AGENT);
    DipkgTerm name = plain(&a->curator);
    emit(m, &who, &RDFS_LABEL, &name);
  }
  if (a->curated.str) {
    const DipkgDatePoint *when = &a->curated_date.start;
    emit_point(m, &g, &DCT_CREATED, when);
    if (when->precision == DIPKG_PREC_DATETIME)
      emit_point(m, &g, &PROV_GENERATED_AT, when);
  }
  if (a->retrieved.str)
    emit_point(m, &g, &P_RETRIEVED, &a->retrieved_date.start);
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
    if (!m.st)
      map_record(&m, graph, &m.article, true);
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
    if (!m.st)
      map_record(&m, graph, &m.article, false);
    map_entity(&m, e);
  }
  if (!m.st)
    m.st = sink->end_graph(sink);
  if (m.scratch.oom && !m.st)
    m.st = DIPKG_ERR_NO_MEMORY;
  dipkg_buf_free(&m.scratch);
  return m.st;
}
