#include "writer.h"

#include <string.h>

/* Bytes that need an escape inside a quoted literal: '"', '\\', and the
 * C0 controls and DEL.  (N-Triples requires escaping only '"', '\\', LF and
 * CR; escaping the other controls too keeps output readable and safe.) */
static bool
needs_escape(unsigned char c)
{
  return c < 0x20 || c == '"' || c == '\\' || c == 0x7F;
}

static void
put_uchar(DipkgBuf *out, unsigned char c)
{
  static const char hex[] = "0123456789ABCDEF";
  char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
  dipkg_buf_append(out, esc, 6);
}

/* Escaped string content; with `long_form` newlines stay raw (Turtle
 * triple-quoted strings). */
static void
put_escaped(DipkgBuf *out, const char *s, size_t len, bool long_form)
{
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!needs_escape(c) || (long_form && c == '\n'))
      continue;
    dipkg_buf_append(out, s + start, i - start);
    start = i + 1;
    switch (c) {
    case '"':
      dipkg_buf_append(out, "\\\"", 2);
      break;
    case '\\':
      dipkg_buf_append(out, "\\\\", 2);
      break;
    case '\n':
      dipkg_buf_append(out, "\\n", 2);
      break;
    case '\r':
      dipkg_buf_append(out, "\\r", 2);
      break;
    case '\t':
      dipkg_buf_append(out, "\\t", 2);
      break;
    default:
      put_uchar(out, c);
      break;
    }
  }
  dipkg_buf_append(out, s + start, len - start);
}

/* Bytes IRIREF forbids: the C0 controls, space, DEL and <>"{}|^`\ (a
 * table: this test runs on every byte of every IRI written). */
static const bool iri_forbidden[256] = {
  [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
  [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0A] = 1, [0x0B] = 1,
  [0x0C] = 1, [0x0D] = 1, [0x0E] = 1, [0x0F] = 1, [0x10] = 1, [0x11] = 1,
  [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
  [0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1, [0x1D] = 1,
  [0x1E] = 1, [0x1F] = 1, [' '] = 1,  ['<'] = 1,  ['>'] = 1,  ['"'] = 1,
  ['{'] = 1,  ['}'] = 1,  ['|'] = 1,  ['^'] = 1,  ['`'] = 1,  ['\\'] = 1,
  [0x7F] = 1};

/* IRI content: anything IRIREF forbids is written as \u00XX (dipkg's own
 * IRIs never contain such bytes; this keeps any bug from breaking the
 * syntax). */
static void
put_iri(DipkgBuf *out, const char *s, size_t len)
{
  dipkg_buf_putc(out, '<');
  size_t start = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!iri_forbidden[c])
      continue;
    dipkg_buf_append(out, s + start, i - start);
    put_uchar(out, c);
    start = i + 1;
  }
  dipkg_buf_append(out, s + start, len - start);
  dipkg_buf_putc(out, '>');
}

static void
put_blank(DipkgBuf *out, const DipkgTerm *t)
{
  dipkg_buf_append(out, "_:", 2);
  for (size_t i = 0; i < t->len; i++) {
    char c = t->str[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_';
    dipkg_buf_putc(out, (char)(ok ? c : '_'));
  }
}

void
dipkg_write_nt_term(DipkgBuf *out, const DipkgTerm *t)
{
  switch (t->kind) {
  case DIPKG_TERM_IRI:
    put_iri(out, t->str, t->len);
    return;
  case DIPKG_TERM_BLANK:
    put_blank(out, t);
    return;
  case DIPKG_TERM_LITERAL:
    dipkg_buf_putc(out, '"');
    put_escaped(out, t->str, t->len, false);
    dipkg_buf_putc(out, '"');
    if (t->lang) {
      dipkg_buf_putc(out, '@');
      dipkg_buf_puts(out, t->lang);
    } else if (t->datatype) {
      dipkg_buf_append(out, "^^", 2);
      put_iri(out, t->datatype, strlen(t->datatype));
    }
    return;
  }
}

static DipkgStatus
nt_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
             const DipkgTerm *o)
{
  DipkgWriter *w = (DipkgWriter *)sink;
  dipkg_write_nt_term(w->out, s);
  dipkg_buf_putc(w->out, ' ');
  dipkg_write_nt_term(w->out, p);
  dipkg_buf_putc(w->out, ' ');
  dipkg_write_nt_term(w->out, o);
  if (w->format == DIPKG_FORMAT_NQUADS && w->graph) {
    dipkg_buf_putc(w->out, ' ');
    put_iri(w->out, w->graph, w->graph_len);
  }
  dipkg_buf_append(w->out, " .\n", 3);
  sink->n_statements++;
  return w->out->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

static DipkgStatus
nt_begin_graph(DipkgSink *sink, const char *graph)
{
  DipkgWriter *w = (DipkgWriter *)sink;
  w->graph = graph;
  w->graph_len = graph ? strlen(graph) : 0;
  return DIPKG_SUCCESS;
}

static DipkgStatus
nt_end_graph(DipkgSink *sink)
{
  DipkgWriter *w = (DipkgWriter *)sink;
  w->graph = NULL;
  return DIPKG_SUCCESS;
}

/* ---------------- Turtle ---------------- */

bool
dipkg_turtle_local_ok(const char *s, size_t len)
{
  // A conservative subset of PN_LOCAL: ASCII letters, digits, '_' and '-',
  // not starting with '-'.
  if (len == 0 || s[0] == '-')
    return false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  }
  return true;
}

static void
put_turtle_iri(DipkgWriter *w, const char *s, size_t len)
{
  const DipkgPrefix *best = NULL;
  size_t best_len = 0;
  for (const DipkgPrefix *p = w->prefixes; p && p->name; p++) {
    size_t n = strlen(p->iri);
    if (n > best_len && n <= len && !memcmp(s, p->iri, n) &&
        dipkg_turtle_local_ok(s + n, len - n)) {
      best = p;
      best_len = n;
    }
  }
  if (!best) {
    put_iri(w->out, s, len);
    return;
  }
  dipkg_buf_puts(w->out, best->name);
  dipkg_buf_putc(w->out, ':');
  dipkg_buf_append(w->out, s + best_len, len - best_len);
}

static void
put_turtle_term(DipkgWriter *w, const DipkgTerm *t)
{
  if (t->kind == DIPKG_TERM_IRI) {
    put_turtle_iri(w, t->str, t->len);
    return;
  }
  if (t->kind == DIPKG_TERM_BLANK) {
    put_blank(w->out, t);
    return;
  }
  if (t->datatype && !strcmp(t->datatype, XSD "boolean") &&
      ((t->len == 4 && !memcmp(t->str, "true", 4)) ||
       (t->len == 5 && !memcmp(t->str, "false", 5)))) {
    dipkg_buf_append(w->out, t->str, t->len);
    return;
  }
  bool long_form = memchr(t->str, '\n', t->len) != NULL;
  dipkg_buf_append(w->out, long_form ? "\"\"\"" : "\"", long_form ? 3 : 1);
  put_escaped(w->out, t->str, t->len, long_form);
  dipkg_buf_append(w->out, long_form ? "\"\"\"" : "\"", long_form ? 3 : 1);
  if (t->lang) {
    dipkg_buf_putc(w->out, '@');
    dipkg_buf_puts(w->out, t->lang);
  } else if (t->datatype) {
    dipkg_buf_append(w->out, "^^", 2);
    put_turtle_iri(w, t->datatype, strlen(t->datatype));
  }
}

static bool
same_term_text(const DipkgBuf *b, const DipkgTerm *t)
{
  return b->len == t->len && !memcmp(b->data, t->str, t->len);
}

static void
remember(DipkgBuf *b, const DipkgTerm *t)
{
  dipkg_buf_clear(b);
  dipkg_buf_append(b, t->str, t->len);
}

static DipkgStatus
ttl_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
              const DipkgTerm *o)
{
  DipkgWriter *w = (DipkgWriter *)sink;
  bool same_subject =
    w->open && s->kind == w->subject_kind && same_term_text(&w->subject, s);
  if (same_subject && same_term_text(&w->predicate, p)) {
    dipkg_buf_append(w->out, ", ", 2);
  } else {
    if (same_subject) {
      dipkg_buf_append(w->out, " ;\n    ", 7);
    } else {
      if (w->open)
        dipkg_buf_append(w->out, " .\n\n", 4);
      put_turtle_term(w, s);
      dipkg_buf_putc(w->out, ' ');
      remember(&w->subject, s);
      w->subject_kind = s->kind;
    }
    if (p->len == sizeof(RDF "type") - 1 && !memcmp(p->str, RDF "type", p->len))
      dipkg_buf_putc(w->out, 'a');
    else
      put_turtle_term(w, p);
    dipkg_buf_putc(w->out, ' ');
    remember(&w->predicate, p);
  }
  put_turtle_term(w, o);
  w->open = true;
  sink->n_statements++;
  bool oom = w->out->oom || w->subject.oom || w->predicate.oom;
  return oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

static DipkgStatus
ttl_end_graph(DipkgSink *sink)
{
  DipkgWriter *w = (DipkgWriter *)sink;
  if (w->open)
    dipkg_buf_append(w->out, " .\n\n", 4);
  w->open = false;
  return w->out->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

static DipkgStatus
ttl_begin_graph(DipkgSink *sink, const char *graph)
{
  (void)graph;
  return ttl_end_graph(sink);
}

/* ---------------- TriG: Turtle inside one block per graph ---------------- */

static void
trig_close(DipkgWriter *w)
{
  if (w->open)
    dipkg_buf_append(w->out, " .\n", 3);
  if (w->in_block)
    dipkg_buf_append(w->out, "}\n\n", 3);
  else if (w->open)
    dipkg_buf_putc(w->out, '\n');
  w->open = false;
  w->in_block = false;
}

static DipkgStatus
trig_begin_graph(DipkgSink *sink, const char *graph)
{
  DipkgWriter *w = (DipkgWriter *)sink;
  trig_close(w);
  if (graph) {  // NULL: the default graph, outside any block
    put_turtle_iri(w, graph, strlen(graph));
    dipkg_buf_append(w->out, " {\n", 3);
    w->in_block = true;
  }
  return w->out->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

static DipkgStatus
trig_end_graph(DipkgSink *sink)
{
  DipkgWriter *w = (DipkgWriter *)sink;
  trig_close(w);
  return w->out->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

void
dipkg_writer_turtle_prologue(const DipkgPrefix *prefixes, DipkgBuf *out)
{
  for (const DipkgPrefix *p = prefixes; p->name; p++)
    dipkg_buf_printf(out, "@prefix %s: <%s> .\n", p->name, p->iri);
  dipkg_buf_putc(out, '\n');
}

void
dipkg_writer_init(DipkgWriter *w, DipkgFormat format,
                  const DipkgPrefix *prefixes, DipkgBuf *out)
{
  memset(w, 0, sizeof *w);
  w->format = format;
  w->out = out;
  w->prefixes = prefixes;
  if (format == DIPKG_FORMAT_TURTLE) {
    w->base.begin_graph = ttl_begin_graph;
    w->base.statement = ttl_statement;
    w->base.end_graph = ttl_end_graph;
  } else if (format == DIPKG_FORMAT_TRIG) {
    w->base.begin_graph = trig_begin_graph;
    w->base.statement = ttl_statement;
    w->base.end_graph = trig_end_graph;
  } else {
    w->base.begin_graph = nt_begin_graph;
    w->base.statement = nt_statement;
    w->base.end_graph = nt_end_graph;
  }
}

void
dipkg_writer_fini(DipkgWriter *w)
{
  dipkg_buf_free(&w->subject);
  dipkg_buf_free(&w->predicate);
}
