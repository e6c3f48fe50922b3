/* HTML pages (html.h).  Pages are built from the whole graph in memory:
 * an event page follows links (quotes to their article's text, actors to
 * their labels) that a description alone does not hold. */
#include "html.h"

#include "graph.h"
#include "jsonld.h"
#include "memory.h"
#include "ontology.h"
#include "vocab.h"
#include "world.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char dipkg_html_stylesheet[] =
  "/* dipkg: plain and readable */\n"
  "body{font:16px/1.5 Georgia,'Times New Roman',serif;max-width:46em;"
  "margin:2em auto;padding:0 1em;color:#1d1d1d;background:#fdfdfb}\n"
  "h1{font-size:1.7em;line-height:1.2;margin:.2em 0 .4em}\n"
  "h2{font-size:1.15em;margin:1.6em 0 .4em;border-bottom:1px solid #ddd}\n"
  "a{color:#0b4f8a}a:visited{color:#5a3d86}\n"
  "nav,footer,.formats{font:14px/1.4 system-ui,sans-serif;color:#555}\n"
  "nav a,footer a{margin-right:1em}\n"
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}\n"
  "dt{font-weight:bold;color:#444}dd{margin:0}\n"
  "blockquote{margin:.6em 0;padding:.4em 1em;border-left:4px solid #c9b458;"
  "background:#f7f4e6}\n"
  "mark{background:#fbe58b;padding:0 .1em}\n"
  ".type{font:14px system-ui,sans-serif;color:#555}\n"
  "code{font:13px/1.3 ui-monospace,monospace;background:#f0f0ee;"
  "padding:0 .2em}\n"
  "ol.timeline{list-style:none;padding:0;border-left:3px solid #ccc}\n"
  "ol.timeline li{margin:0 0 .7em;padding-left:1em}\n"
  "ol.timeline time{font:14px system-ui,sans-serif;font-weight:bold;"
  "display:block;color:#333}\n"
  "table{border-collapse:collapse;font-size:14px;width:100%}\n"
  "td,th{border-top:1px solid #e3e3e3;padding:.2em .4em;text-align:left;"
  "vertical-align:top;word-break:break-word}\n"
  "textarea{width:100%;font:13px ui-monospace,monospace}\n";

void
dipkg_html_escape(DipkgBuf *out, const char *s, size_t len)
{
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    const char *rep = NULL;
    switch (s[i]) {
    case '&':
      rep = "&amp;";
      break;
    case '<':
      rep = "&lt;";
      break;
    case '>':
      rep = "&gt;";
      break;
    case '"':
      rep = "&quot;";
      break;
    case '\'':
      rep = "&#39;";
      break;
    default:
      continue;
    }
    dipkg_buf_append(out, s + start, i - start);
    dipkg_buf_puts(out, rep);
    start = i + 1;
  }
  dipkg_buf_append(out, s + start, len - start);
}

static void
esc(DipkgBuf *out, const char *s)
{
  dipkg_html_escape(out, s, strlen(s));
}

static void
esc_term(DipkgBuf *out, const DipkgTerm *t)
{
  dipkg_html_escape(out, t->str, t->len);
}

typedef struct Page {
  const DipkgGraph *g;
  const DipkgWorld *w;
  const DipkgHtmlSite *site;
  DipkgBuf *out;
} Page;

static bool
under_base(const Page *pg, const char *iri, size_t len)
{
  size_t n = strlen(pg->w->base);
  return len > n && !strncmp(iri, pg->w->base, n);
}

/* The href of a resource IRI: local when under the base. */
static void
put_href(const Page *pg, const char *iri, size_t len)
{
  if (!under_base(pg, iri, len)) {
    dipkg_html_escape(pg->out, iri, len);
    return;
  }
  size_t n = strlen(pg->w->base);
  const char *rel = iri + n;
  size_t rel_len = len - n;
  const char *hash = memchr(rel, '#', rel_len);
  size_t path_len = hash ? (size_t)(hash - rel) : rel_len;
  esc(pg->out, pg->site->root);
  dipkg_html_escape(pg->out, rel, path_len);
  if (pg->site->directories)
    dipkg_buf_putc(pg->out, '/');
  if (hash)
    dipkg_html_escape(pg->out, hash, rel_len - path_len);
}

/* A short name for an IRI without a label: its compact form. */
static void
put_name(const Page *pg, const DipkgTerm *t)
{
  if (t->kind != DIPKG_TERM_IRI) {
    esc_term(pg->out, t);
    return;
  }
  for (const DipkgPrefix *p = pg->w->prefixes; p->name; p++) {
    size_t n = strlen(p->iri);
    if (t->len > n && !strncmp(t->str, p->iri, n)) {
      esc(pg->out, p->name);
      dipkg_buf_putc(pg->out, ':');
      dipkg_html_escape(pg->out, t->str + n, t->len - n);
      return;
    }
  }
  esc_term(pg->out, t);
}

static int64_t
id_of(const Page *pg, const DipkgTerm *t)
{
  return t->kind == DIPKG_TERM_IRI ? dipkg_graph_iri_id(pg->g, t->str) : -1;
}

/* A link to the resource `t`, with its label as text. */
static void
put_link(const Page *pg, const DipkgTerm *t)
{
  if (t->kind == DIPKG_TERM_LITERAL) {
    esc_term(pg->out, t);
    return;
  }
  int64_t id = id_of(pg, t);
  const DipkgTerm *label =
    id >= 0 ? dipkg_graph_label(pg->g, (uint32_t)id) : NULL;
  if (t->kind == DIPKG_TERM_IRI) {
    dipkg_buf_puts(pg->out, "<a href=\"");
    put_href(pg, t->str, t->len);
    dipkg_buf_puts(pg->out, "\">");
  }
  if (label)
    esc_term(pg->out, label);
  else
    put_name(pg, t);
  if (t->kind == DIPKG_TERM_IRI)
    dipkg_buf_puts(pg->out, "</a>");
}

static bool
is(const DipkgTerm *t, const char *iri)
{
  return t->len == strlen(iri) && !memcmp(t->str, iri, t->len);
}

/* The objects of (s, p), up to `max`. */
static size_t
values(const Page *pg, uint32_t s, const char *p, const DipkgTerm **out,
       size_t max)
{
  size_t first, n = dipkg_graph_subject_range(pg->g, s, &first), k = 0;
  for (size_t i = first; i < first + n && k < max; i++)
    if (is(&pg->g->terms[pg->g->triples[i].p], p))
      out[k++] = &pg->g->terms[pg->g->triples[i].o];
  return k;
}

static void
row_links(const Page *pg, uint32_t s, const char *p, const char *title)
{
  const DipkgTerm *v[64];
  size_t n = values(pg, s, p, v, 64);
  if (!n)
    return;
  dipkg_buf_printf(pg->out, "<dt>%s</dt><dd>", title);
  for (size_t i = 0; i < n; i++) {
    if (i)
      dipkg_buf_puts(pg->out, ", ");
    put_link(pg, v[i]);
  }
  dipkg_buf_puts(pg->out, "</dd>\n");
}

/* --------------------------------------------------- page skeleton */

static void
put_doc_link(const Page *pg, const char *rel, size_t rel_len, const char *ext)
{
  if (pg->site->directories) {
    dipkg_buf_printf(pg->out, "index.%s", ext);
    return;
  }
  esc(pg->out, pg->site->root);
  dipkg_html_escape(pg->out, rel, rel_len);
  dipkg_buf_printf(pg->out, ".%s", ext);
}

static void
head(const Page *pg, const char *title, size_t title_len, const char *iri,
     json_t *schema)
{
  DipkgBuf *o = pg->out;
  dipkg_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width\">\n"
                    "<title>");
  dipkg_html_escape(o, title, title_len);
  dipkg_buf_puts(
    o, " \xE2\x80\x94 dipkg</title>\n<link rel=\"stylesheet\" href=\"");
  esc(o, pg->site->root);
  dipkg_buf_puts(o, "style.css\">\n");
  size_t n = strlen(pg->w->base);
  if (iri && strlen(iri) > n) {
    static const struct {
      const char *ext, *type;
    } alts[] = {{"ttl", "text/turtle"},
                {"jsonld", "application/ld+json"},
                {"nt", "application/n-triples"}};
    for (size_t i = 0; i < sizeof alts / sizeof *alts; i++) {
      dipkg_buf_printf(o, "<link rel=\"alternate\" type=\"%s\" href=\"",
                       alts[i].type);
      put_doc_link(pg, iri + n, strlen(iri) - n, alts[i].ext);
      dipkg_buf_puts(o, "\">\n");
    }
    dipkg_buf_puts(o, "<link rel=\"canonical\" href=\"");
    esc(o, iri);
    dipkg_buf_puts(o, "\">\n");
  }
  if (schema) {
    // JSON_ESCAPE_SLASH: no "</script>" can appear inside.
    char *text = json_dumps(schema, JSON_INDENT(1) | JSON_ESCAPE_SLASH);
    if (text) {
      dipkg_buf_puts(o, "<script type=\"application/ld+json\">\n");
      dipkg_buf_puts(o, text);
      dipkg_buf_puts(o, "\n</script>\n");
      free(text);
    } else {
      o->oom = true;
    }
  }
  dipkg_buf_puts(o, "</head>\n<body>\n<nav><a href=\"");
  esc(o, pg->site->root);
  dipkg_buf_puts(o, "\">Home</a><a href=\"");
  esc(o, pg->site->root);
  dipkg_buf_puts(o, "sparql\">SPARQL</a><a href=\"");
  esc(o, pg->site->root);
  dipkg_buf_puts(o, ".well-known/void\">Dataset (VoID)</a></nav>\n");
}

static void
formats(const Page *pg, const char *iri)
{
  size_t n = strlen(pg->w->base);
  if (strlen(iri) <= n)
    return;
  DipkgBuf *o = pg->out;
  dipkg_buf_puts(o, "<p class=\"formats\">IRI <code>");
  esc(o, iri);
  dipkg_buf_puts(o, "</code> \xC2\xB7 this description as ");
  static const struct {
    const char *ext, *name;
  } f[] = {{"ttl", "Turtle"},
           {"jsonld", "JSON-LD"},
           {"nt", "N-Triples"},
           {"rdf", "RDF/XML"}};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
    if (pg->site->directories && i == 3)
      break;  // publish writes no RDF/XML
    dipkg_buf_puts(o, i ? ", <a href=\"" : "<a href=\"");
    put_doc_link(pg, iri + n, strlen(iri) - n, f[i].ext);
    dipkg_buf_printf(o, "\">%s</a>", f[i].name);
  }
  dipkg_buf_puts(o, "</p>\n");
}

static void
foot(const Page *pg)
{
  dipkg_buf_puts(pg->out, "<footer><p>Published by dipkg " DIPKG_VERSION
                          ".</p></footer>\n</body>\n</html>\n");
}

/* ------------------------------------------------------ the parts */

static const DipkgClass *
class_of(const Page *pg, uint32_t s, const char *type_property)
{
  const DipkgTerm *t = dipkg_graph_value(pg->g, s, type_property);
  if (!t || !pg->w->ontology)
    return NULL;
  return dipkg_ontology_class_iri(pg->w->ontology, t->str);
}

static void
put_class(const Page *pg, uint32_t s, const char *type_property, bool codes)
{
  const DipkgTerm *t = dipkg_graph_value(pg->g, s, type_property);
  if (!t)
    return;
  const DipkgClass *c = class_of(pg, s, type_property);
  DipkgBuf *o = pg->out;
  dipkg_buf_puts(o, "<dt>Type</dt><dd>");
  if (c && c->label)
    esc(o, c->label);
  else
    put_name(pg, t);
  if (codes) {
    const DipkgTerm *cameo = dipkg_graph_value(pg->g, s, DIP_CAMEO);
    const DipkgTerm *plover = dipkg_graph_value(pg->g, s, DIP_PLOVER);
    if (cameo) {
      dipkg_buf_puts(o, " \xC2\xB7 CAMEO <code>");
      esc_term(o, cameo);
      dipkg_buf_puts(o, "</code>");
    }
    if (plover) {
      dipkg_buf_puts(o, " \xC2\xB7 PLOVER <code>");
      esc_term(o, plover);
      dipkg_buf_puts(o, "</code>");
    }
  }
  dipkg_buf_puts(o, "</dd>\n");
}

/* "2023-03 (month)": an EDTF date and its precision in words. */
static void
put_date(const Page *pg, const DipkgTerm *edtf)
{
  DipkgBuf *o = pg->out;
  esc_term(o, edtf);
  const char *s = edtf->str;
  size_t digits_dashes = strspn(s, "0123456789-");
  const char *precision = NULL;
  if (memchr(s, '/', edtf->len))
    precision = "an interval";
  else if (digits_dashes == 10)
    precision = "day";
  else if (digits_dashes == 7)
    precision = "month";
  else if (digits_dashes == 4)
    precision = "year";
  dipkg_buf_puts(o, " <span class=\"type\">(");
  dipkg_buf_puts(o, precision ? precision : "as given");
  if (memchr(s, '~', edtf->len) || memchr(s, '%', edtf->len))
    dipkg_buf_puts(o, ", approximate");
  if (memchr(s, '?', edtf->len) || memchr(s, '%', edtf->len))
    dipkg_buf_puts(o, ", uncertain");
  dipkg_buf_puts(o, ")</span>");
}

/* Byte offset of character `chars` of UTF-8 `s` (`len` bytes). */
static size_t
byte_offset(const char *s, size_t len, uint64_t chars)
{
  size_t i = 0;
  for (uint64_t c = 0; i < len && c < chars; c++) {
    i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
      i++;
  }
  return i;
}

static bool
sentence_end(const char *s, size_t i, size_t len)
{
  return s[i] == '\n' ||
         ((s[i] == '.' || s[i] == '?' || s[i] == '!') &&
          (i + 1 >= len || s[i + 1] == ' ' || s[i + 1] == '\n'));
}

/* The quote `q`, in its sentence of the article's text, marked; a link to
 * the article. */
static void
put_quote(const Page *pg, const DipkgTerm *q)
{
  DipkgBuf *o = pg->out;
  int64_t qid = id_of(pg, q);
  if (qid < 0)
    return;
  const DipkgTerm *anchor =
    dipkg_graph_value(pg->g, (uint32_t)qid, NIF "anchorOf");
  const DipkgTerm *begin =
    dipkg_graph_value(pg->g, (uint32_t)qid, NIF "beginIndex");
  const DipkgTerm *end =
    dipkg_graph_value(pg->g, (uint32_t)qid, NIF "endIndex");
  const DipkgTerm *ctx =
    dipkg_graph_value(pg->g, (uint32_t)qid, NIF "referenceContext");
  int64_t cid = ctx ? id_of(pg, ctx) : -1;
  const DipkgTerm *text =
    cid >= 0 ? dipkg_graph_value(pg->g, (uint32_t)cid, NIF "isString") : NULL;
  dipkg_buf_puts(o, "<blockquote>");
  if (text && begin && end) {
    size_t b =
      byte_offset(text->str, text->len, strtoull(begin->str, NULL, 10));
    size_t e = byte_offset(text->str, text->len, strtoull(end->str, NULL, 10));
    if (e < b)
      e = b;
    size_t from = b, to = e;
    while (from > 0 && !sentence_end(text->str, from - 1, text->len))
      from--;
    while (from < b && text->str[from] == ' ')
      from++;
    while (to < text->len && !sentence_end(text->str, to, text->len))
      to++;
    if (to < text->len && text->str[to] != '\n')
      to++;  // the sentence's full stop
    dipkg_html_escape(o, text->str + from, b - from);
    dipkg_buf_puts(o, "<mark>");
    dipkg_html_escape(o, text->str + b, e - b);
    dipkg_buf_puts(o, "</mark>");
    dipkg_html_escape(o, text->str + e, to - e);
  } else if (anchor) {
    dipkg_buf_puts(o, "<mark>");
    esc_term(o, anchor);
    dipkg_buf_puts(o, "</mark>");
  }
  dipkg_buf_puts(o, "</blockquote>\n");
}

typedef struct Related {
  const char *property;
  const char *forward;   // "reverses"
  const char *backward;  // "reversed by"
} Related;

static const Related related[] = {
  {DIP "reverses", "Reverses", "Reversed by"},
  {DIP "follows", "Follows", "Followed by"},
  {DIP "partOf", "Part of", "Has part"},
  {DIP "respondsTo", "Responds to", "Responded to by"},
};

static void
put_related(const Page *pg, uint32_t s)
{
  DipkgBuf *o = pg->out;
  bool any = false;
  for (size_t r = 0; r < sizeof related / sizeof *related; r++) {
    const DipkgTerm *v[64];
    size_t n = values(pg, s, related[r].property, v, 64);
    for (size_t i = 0; i < n; i++) {
      if (!any)
        dipkg_buf_puts(o, "<h2>Related events</h2>\n<ul>\n");
      any = true;
      dipkg_buf_printf(o, "<li>%s ", related[r].forward);
      put_link(pg, v[i]);
      dipkg_buf_puts(o, "</li>\n");
    }
    size_t first, m = dipkg_graph_object_range(pg->g, s, &first);
    for (size_t i = first; i < first + m; i++) {
      const DipkgTriple *t = &pg->g->triples[pg->g->by_object[i]];
      if (!is(&pg->g->terms[t->p], related[r].property))
        continue;
      if (!any)
        dipkg_buf_puts(o, "<h2>Related events</h2>\n<ul>\n");
      any = true;
      dipkg_buf_printf(o, "<li>%s ", related[r].backward);
      put_link(pg, &pg->g->terms[t->s]);
      dipkg_buf_puts(o, "</li>\n");
    }
  }
  if (any)
    dipkg_buf_puts(o, "</ul>\n");
}

/* Every statement of `s`, and those pointing at it, as tables. */
static void
put_statements(const Page *pg, uint32_t s)
{
  DipkgBuf *o = pg->out;
  size_t first, n = dipkg_graph_subject_range(pg->g, s, &first);
  if (n) {
    dipkg_buf_puts(o, "<h2>Statements</h2>\n<table>\n");
    for (size_t i = first; i < first + n; i++) {
      const DipkgTriple *t = &pg->g->triples[i];
      dipkg_buf_puts(o, "<tr><th>");
      put_name(pg, &pg->g->terms[t->p]);
      dipkg_buf_puts(o, "</th><td>");
      put_link(pg, &pg->g->terms[t->o]);
      const DipkgTerm *lit = &pg->g->terms[t->o];
      if (lit->kind == DIPKG_TERM_LITERAL && lit->lang)
        dipkg_buf_printf(o, " <span class=\"type\">@%s</span>", lit->lang);
      dipkg_buf_puts(o, "</td></tr>\n");
    }
    dipkg_buf_puts(o, "</table>\n");
  }
  n = dipkg_graph_object_range(pg->g, s, &first);
  if (n) {
    dipkg_buf_puts(o, "<h2>Referred to by</h2>\n<table>\n");
    for (size_t i = first; i < first + n && i < first + 500; i++) {
      const DipkgTriple *t = &pg->g->triples[pg->g->by_object[i]];
      dipkg_buf_puts(o, "<tr><td>");
      put_link(pg, &pg->g->terms[t->s]);
      dipkg_buf_puts(o, "</td><th>");
      put_name(pg, &pg->g->terms[t->p]);
      dipkg_buf_puts(o, "</th></tr>\n");
    }
    dipkg_buf_puts(o, "</table>\n");
  }
}

/* ----------------------------------------------------- schema.org */

static json_t *
jstr(const DipkgTerm *t)
{
  return t ? json_stringn(t->str, t->len) : NULL;
}

static void
jset(json_t *o, const char *key, json_t *v)
{
  if (v)
    json_object_set_new(o, key, v);
}

static json_t *
schema_thing(const Page *pg, const DipkgTerm *t)
{
  json_t *o = json_object();
  if (!o)
    return NULL;
  jset(o, "@id", jstr(t));
  int64_t id = id_of(pg, t);
  if (id >= 0)
    jset(o, "name", jstr(dipkg_graph_label(pg->g, (uint32_t)id)));
  return o;
}

static json_t *
schema_event(const Page *pg, uint32_t s, const char *iri)
{
  json_t *o = json_object();
  if (!o)
    return NULL;
  jset(o, "@context", json_string("https://schema.org"));
  jset(o, "@type", json_string("Event"));
  jset(o, "@id", json_string(iri));
  jset(o, "name", jstr(dipkg_graph_label(pg->g, s)));
  jset(o, "description", jstr(dipkg_graph_value(pg->g, s, DIP "summary")));
  const DipkgTerm *date = dipkg_graph_value(pg->g, s, DIP "date");
  const DipkgTerm *start = dipkg_graph_value(pg->g, s, DIP "startDate");
  const DipkgTerm *end = dipkg_graph_value(pg->g, s, DIP "endDate");
  const DipkgTerm *edtf = dipkg_graph_value(pg->g, s, DIP "edtf");
  jset(o, "startDate", jstr(start ? start : date ? date : edtf));
  jset(o, "endDate", jstr(end ? end : date));
  const DipkgTerm *loc = dipkg_graph_value(pg->g, s, DIP "location");
  if (loc) {
    json_t *place = schema_thing(pg, loc);
    jset(place, "@type", json_string("Place"));
    jset(o, "location", place);
  }
  json_t *who = json_array();
  static const char *const roles[] = {DIP "actor", DIP "target",
                                      DIP "participant"};
  for (size_t r = 0; who && r < 3; r++) {
    const DipkgTerm *v[64];
    size_t n = values(pg, s, roles[r], v, 64);
    for (size_t i = 0; i < n; i++)
      json_array_append_new(who, schema_thing(pg, v[i]));
  }
  if (who && json_array_size(who))
    json_object_set_new(o, "attendee", who);
  else
    json_decref(who);
  const DipkgTerm *src = dipkg_graph_value(pg->g, s, DIP "reportedIn");
  if (src) {
    json_t *art = schema_thing(pg, src);
    jset(art, "@type", json_string("NewsArticle"));
    jset(o, "subjectOf", art);
  }
  return o;
}

static json_t *
schema_other(const Page *pg, uint32_t s, const char *iri, const char *type)
{
  json_t *o = json_object();
  if (!o)
    return NULL;
  jset(o, "@context", json_string("https://schema.org"));
  jset(o, "@type", json_string(type));
  jset(o, "@id", json_string(iri));
  jset(o, "name", jstr(dipkg_graph_label(pg->g, s)));
  const DipkgTerm *d = dipkg_graph_value(pg->g, s, DIP "description");
  jset(o, "description", jstr(d));
  const DipkgTerm *same = dipkg_graph_value(pg->g, s, OWL "sameAs");
  jset(o, "sameAs", jstr(same));
  return o;
}

/* ------------------------------------------------------- the pages */

static void
title(const Page *pg, uint32_t s, const char *iri)
{
  const DipkgTerm *label = dipkg_graph_label(pg->g, s);
  dipkg_buf_puts(pg->out, "<h1>");
  if (label)
    esc_term(pg->out, label);
  else
    esc(pg->out, iri);
  dipkg_buf_puts(pg->out, "</h1>\n");
}

/* The opening of the page of `s`: its title, the links to its formats,
 * and the paragraph of its property `lead` when it has one. */
static void
page_opening(const Page *pg, uint32_t s, const char *iri, const char *lead)
{
  title(pg, s, iri);
  formats(pg, iri);
  const DipkgTerm *text = dipkg_graph_value(pg->g, s, lead);
  if (text) {
    dipkg_buf_puts(pg->out, "<p>");
    esc_term(pg->out, text);
    dipkg_buf_puts(pg->out, "</p>\n");
  }
}

static void
event_page(const Page *pg, uint32_t s, const char *iri)
{
  DipkgBuf *o = pg->out;
  page_opening(pg, s, iri, DIP "summary");
  dipkg_buf_puts(o, "<dl>\n");
  put_class(pg, s, DIP "eventType", true);
  const DipkgTerm *edtf = dipkg_graph_value(pg->g, s, DIP "edtf");
  if (edtf) {
    dipkg_buf_puts(o, "<dt>Date</dt><dd><time>");
    put_date(pg, edtf);
    dipkg_buf_puts(o, "</time></dd>\n");
  }
  const DipkgTerm *status = dipkg_graph_value(pg->g, s, DIP "status");
  if (status) {
    dipkg_buf_puts(o, "<dt>Status</dt><dd>");
    const DipkgTerm *name = status;
    if (status->len > strlen(DIP) && !strncmp(status->str, DIP, strlen(DIP)))
      dipkg_html_escape(o, status->str + strlen(DIP),
                        status->len - strlen(DIP));
    else
      put_link(pg, name);
    dipkg_buf_puts(o, "</dd>\n");
  }
  row_links(pg, s, DIP "actor", "Actors");
  row_links(pg, s, DIP "target", "Targets");
  row_links(pg, s, DIP "participant", "Participants");
  row_links(pg, s, DIP "concerns", "Concerns");
  row_links(pg, s, DIP "location", "Location");
  row_links(pg, s, DIP "forum", "Forum");
  row_links(pg, s, DIP "reportedIn", "Source");
  dipkg_buf_puts(o, "</dl>\n");
  const DipkgTerm *quotes[64];
  size_t nq = values(pg, s, DIP "quote", quotes, 64);
  if (nq) {
    dipkg_buf_puts(o, "<h2>In the words of the article</h2>\n");
    for (size_t i = 0; i < nq; i++)
      put_quote(pg, quotes[i]);
    const DipkgTerm *src = dipkg_graph_value(pg->g, s, DIP "reportedIn");
    int64_t aid = src ? id_of(pg, src) : -1;
    const DipkgTerm *url =
      aid >= 0 ? dipkg_graph_value(pg->g, (uint32_t)aid, DIP "url") : NULL;
    if (src) {
      dipkg_buf_puts(o, "<p>From ");
      put_link(pg, src);
      if (url) {
        dipkg_buf_puts(o, " (<a href=\"");
        esc_term(o, url);
        dipkg_buf_puts(o, "\">the article as published</a>)");
      }
      dipkg_buf_puts(o, ".</p>\n");
    }
  }
  put_related(pg, s);
  put_statements(pg, s);
}

typedef struct TimelineRow {
  const DipkgTerm *event;
  const DipkgTerm *when;  // dip:edtf, or NULL
  const DipkgTerm *role;
} TimelineRow;

/* The date an EDTF value is placed by on a timeline: its first date
 * ("../2023-03" at 2023-03, "2018/.." at 2018). */
static const char *
timeline_key(const DipkgTerm *edtf)
{
  const char *s = edtf->str;
  while (*s && !(*s >= '0' && *s <= '9'))
    s++;
  return s;
}

static int
compare_rows(const void *a, const void *b)
{
  const TimelineRow *x = a, *y = b;
  if (!x->when || !y->when) {
    if (x->when || y->when)
      return x->when ? -1 : 1;
  } else {
    int c = strcmp(timeline_key(x->when), timeline_key(y->when));
    if (!c)
      c = strcmp(x->when->str, y->when->str);
    if (c)
      return c;
  }
  int c = strcmp(x->event->str, y->event->str);
  return c ? c : strcmp(x->role->str, y->role->str);
}

static void
entity_page(const Page *pg, uint32_t s, const char *iri)
{
  DipkgBuf *o = pg->out;
  page_opening(pg, s, iri, DIP "description");
  dipkg_buf_puts(o, "<dl>\n");
  put_class(pg, s, DIP "entityType", false);
  row_links(pg, s, SKOS "altLabel", "Also called");
  row_links(pg, s, DIP "within", "Within");
  row_links(pg, s, OWL "sameAs", "Same as");
  dipkg_buf_puts(o, "</dl>\n");
  // Its events: the subjects of statements pointing at it that are events.
  size_t first, n = dipkg_graph_object_range(pg->g, s, &first);
  TimelineRow *rows = dipkg_calloc(n + 1, sizeof *rows);
  size_t k = 0;
  for (size_t i = first; rows && i < first + n; i++) {
    const DipkgTriple *t = &pg->g->triples[pg->g->by_object[i]];
    const DipkgTerm *p = &pg->g->terms[t->p];
    // The roles as the facts give them (dip:), not their closure
    // (sem:hasActor).
    if (!dipkg_graph_value(pg->g, t->s, DIP "eventType") ||
        strncmp(p->str, DIP, strlen(DIP)))
      continue;
    rows[k++] = (TimelineRow){&pg->g->terms[t->s],
                              dipkg_graph_value(pg->g, t->s, DIP "edtf"),
                              &pg->g->terms[t->p]};
  }
  if (!rows)
    o->oom = true;
  if (k) {
    qsort(rows, k, sizeof *rows, compare_rows);
    dipkg_buf_puts(o, "<h2>Timeline</h2>\n<ol class=\"timeline\">\n");
    for (size_t i = 0; i < k; i++) {
      if (i && rows[i].event == rows[i - 1].event)
        continue;  // one entry per event, with every role
      dipkg_buf_puts(o, "<li><time>");
      if (rows[i].when)
        esc_term(o, rows[i].when);
      else
        dipkg_buf_puts(o, "undated");
      dipkg_buf_puts(o, "</time>");
      put_link(pg, rows[i].event);
      dipkg_buf_puts(o, " <span class=\"type\">(");
      for (size_t j = i; j < k && rows[j].event == rows[i].event; j++) {
        const DipkgTerm *r = rows[j].role;
        const char *hash = strrchr(r->str, '#');
        const char *slash = strrchr(r->str, '/');
        const char *local = hash && hash > slash ? hash + 1
                            : slash              ? slash + 1
                                                 : r->str;
        if (j > i)
          dipkg_buf_puts(o, ", ");
        esc(o, local);
      }
      dipkg_buf_puts(o, ")</span></li>\n");
    }
    dipkg_buf_puts(o, "</ol>\n");
  }
  dipkg_free(rows);
  put_statements(pg, s);
}

DipkgStatus
dipkg_html_resource(const DipkgGraph *g, const char *iri,
                    const DipkgHtmlSite *site, DipkgBuf *out)
{
  Page pg = {g, g->world, site, out};
  int64_t id = dipkg_graph_iri_id(g, iri);
  size_t first;
  bool subject = id >= 0 && dipkg_graph_subject_range(g, (uint32_t)id, &first);
  bool object = id >= 0 && dipkg_graph_object_range(g, (uint32_t)id, &first);
  if (!subject && !object)
    return DIPKG_ERR_USAGE;
  uint32_t s = (uint32_t)id;
  const DipkgTerm *label = dipkg_graph_label(g, s);
  const char *shown = label ? label->str : iri;
  size_t shown_len = label ? label->len : strlen(iri);
  bool event = dipkg_graph_value(g, s, DIP "eventType") != NULL;
  bool entity = !event && dipkg_graph_value(g, s, DIP "entityType") != NULL;
  const DipkgTerm *type = dipkg_graph_value(g, s, RDF "type");
  bool article = type && !strcmp(type->str, DIP_ARTICLE);
  // schema.org types: events as schema:Event (what search engines read),
  // articles as NewsArticle, the rest as Thing.
  json_t *schema =
    event ? schema_event(&pg, s, iri)
          : schema_other(&pg, s, iri, article ? "NewsArticle" : "Thing");
  head(&pg, shown, shown_len, iri, schema);
  json_decref(schema);
  dipkg_buf_puts(out, "<main>\n");
  if (event) {
    event_page(&pg, s, iri);
  } else if (entity) {
    entity_page(&pg, s, iri);
  } else {
    title(&pg, s, iri);
    formats(&pg, iri);
    put_statements(&pg, s);
  }
  dipkg_buf_puts(out, "</main>\n");
  foot(&pg);
  return out->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

typedef struct Entry {
  const DipkgTerm *iri;
  const DipkgTerm *key;  // date or label, for sorting
} Entry;

static int
compare_entries(const void *a, const void *b)
{
  const Entry *x = a, *y = b;
  int c = x->key && y->key ? strcmp(x->key->str, y->key->str)
                           : (x->key != NULL) - (y->key != NULL);
  return c ? c : strcmp(x->iri->str, y->iri->str);
}

DipkgStatus
dipkg_html_home(const DipkgGraph *g, const DipkgHtmlSite *site, DipkgBuf *out)
{
  Page pg = {g, g->world, site, out};
  Entry *events = dipkg_calloc(g->n + 1, sizeof *events);
  Entry *entities = dipkg_calloc(g->n + 1, sizeof *entities);
  size_t n_events = 0, n_entities = 0, n_articles = 0;
  if (!events || !entities) {
    dipkg_free(events), dipkg_free(entities);
    return DIPKG_ERR_NO_MEMORY;
  }
  for (size_t i = 0; i < g->n; i++) {
    const DipkgTriple *t = &g->triples[i];
    const DipkgTerm *p = &g->terms[t->p];
    if (g->terms[t->s].kind != DIPKG_TERM_IRI)
      continue;
    if (is(p, DIP "eventType"))
      events[n_events++] =
        (Entry){&g->terms[t->s], dipkg_graph_value(g, t->s, DIP "edtf")};
    else if (is(p, DIP "entityType"))
      entities[n_entities++] =
        (Entry){&g->terms[t->s], dipkg_graph_label(g, t->s)};
    else if (is(p, RDF "type") && is(&g->terms[t->o], DIP_ARTICLE))
      n_articles++;
  }
  qsort(events, n_events, sizeof *events, compare_entries);
  qsort(entities, n_entities, sizeof *entities, compare_entries);
  head(&pg, "Diplomatic events", 17, NULL, NULL);
  dipkg_buf_puts(out, "<main>\n<h1>Diplomatic events</h1>\n");
  dipkg_buf_printf(out,
                   "<p>%zu events, %zu entities and %zu articles; %llu "
                   "statements.  Every page links its description in Turtle "
                   "and JSON-LD; the whole graph answers SPARQL at <a "
                   "href=\"",
                   n_events, n_entities, n_articles, (unsigned long long)g->n);
  esc(out, site->root);
  dipkg_buf_puts(out, "sparql\">sparql</a>, and is described (VoID, DCAT) at "
                      "<a href=\"");
  esc(out, site->root);
  dipkg_buf_puts(out, ".well-known/void\">.well-known/void</a>.</p>\n");
  dipkg_buf_puts(out, "<h2>Events</h2>\n<ol class=\"timeline\">\n");
  for (size_t i = 0; i < n_events; i++) {
    dipkg_buf_puts(out, "<li><time>");
    if (events[i].key)
      esc_term(out, events[i].key);
    dipkg_buf_puts(out, "</time>");
    put_link(&pg, events[i].iri);
    dipkg_buf_puts(out, "</li>\n");
  }
  dipkg_buf_puts(out, "</ol>\n<h2>Entities</h2>\n<ul>\n");
  for (size_t i = 0; i < n_entities; i++) {
    dipkg_buf_puts(out, "<li>");
    put_link(&pg, entities[i].iri);
    dipkg_buf_puts(out, "</li>\n");
  }
  dipkg_buf_puts(out, "</ul>\n</main>\n");
  foot(&pg);
  dipkg_free(events), dipkg_free(entities);
  return out->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

DipkgStatus
dipkg_html_service(const DipkgWorld *world, DipkgBuf *out)
{
  DipkgHtmlSite site = {"/", false};
  Page pg = {NULL, world, &site, out};
  head(&pg, "SPARQL endpoint", 15, NULL, NULL);
  dipkg_buf_puts(
    out, "<main>\n<h1>SPARQL endpoint</h1>\n"
         "<p>SPARQL 1.1 Query over the whole graph (GET <code>?query=</code>, "
         "POST a form or <code>application/sparql-query</code>).  The usual "
         "prefixes (dip:, schema:, sem:, prov:, rdfs:, ...) are predeclared.  "
         "Read-only: SPARQL Update is refused.</p>\n"
         "<form method=\"get\" action=\"/sparql\">\n"
         "<textarea name=\"query\" rows=\"8\">SELECT ?event ?label WHERE {\n"
         "  ?event a dip:Event ; rdfs:label ?label .\n} LIMIT 20</textarea>\n"
         "<p><button type=\"submit\">Run</button> (results as JSON; send "
         "<code>Accept</code> for XML, CSV or TSV)</p>\n</form>\n</main>\n");
  foot(&pg);
  return out->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}
