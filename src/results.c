#include "results.h"

#include "arena.h"
#include "buf.h"
#include "format.h"
#include "hash.h"
#include "memory.h"
#include "utf8.h"
#include "writer.h"

#include <stdlib.h>
#include <string.h>

enum { TABLE_CELL_MAX = 60 };  // characters shown of one value in a table

struct DipkgResults {
  DipkgResultFormat format;
  FILE *out;
  const DipkgPrefix *prefixes;
  DipkgBuf buf;  // the current piece of output
  size_t n_vars;
  char **names;  // owned copies
  uint64_t count;
  bool started;  // head written
  bool is_boolean;
  bool boolean;
  bool is_graph;
  char **cells;  // table: every cell, row by row
  size_t n_cells, cells_cap;
  DipkgWriter writer;         // CONSTRUCT
  const DipkgDocWriter *doc;  // JSON-LD: the output-format table's writer
  void *doc_state;            // ... open from the first statement (owned)
  DipkgArena *arena;  // Turtle: the statements, grouped by subject at the end
  // Blank nodes are written b0, b1, ... in order of first appearance: their
  // labels in the store are dipkg's (f<hash>_genid1), and SPARQL scopes a
  // blank node label to the result anyway.
  char **blanks;  // the store's labels, by number (owned)
  size_t n_blanks, blanks_cap;
  DipkgHashSet blank_set;   // over `blanks`: number + 1
  char blank_label[4][24];  // the labels of the current row or statement
  struct Triple *triples;
  size_t n_triples, triples_cap;
  bool oom;
  bool io_error;
};

static DipkgStatus
flush(DipkgResults *r)
{
  if (r->buf.oom)
    return DIPKG_ERR_NO_MEMORY;
  if (r->buf.len && fwrite(r->buf.data, 1, r->buf.len, r->out) != r->buf.len)
    r->io_error = true;
  dipkg_buf_clear(&r->buf);
  return r->io_error ? DIPKG_ERR_IO : DIPKG_SUCCESS;
}

DipkgResults *
dipkg_results_new(DipkgResultFormat format, FILE *out,
                  const DipkgPrefix *prefixes)
{
  DipkgResults *r = dipkg_calloc(1, sizeof *r);
  if (r) {
    r->format = format;
    r->out = out;
    r->prefixes = prefixes;
  }
  return r;
}

void
dipkg_results_free(DipkgResults *r)
{
  if (!r)
    return;
  for (size_t i = 0; i < r->n_vars; i++)
    dipkg_free(r->names[i]);
  dipkg_free(r->names);
  for (size_t i = 0; i < r->n_cells; i++)
    dipkg_free(r->cells[i]);
  dipkg_free(r->cells);
  dipkg_buf_free(&r->buf);
  dipkg_arena_free(r->arena);
  dipkg_free(r->triples);
  if (r->is_graph)
    dipkg_writer_fini(&r->writer);
  if (r->doc_state)
    r->doc->free(r->doc_state);
  for (size_t i = 0; i < r->n_blanks; i++)
    dipkg_free(r->blanks[i]);
  dipkg_free(r->blanks);
  dipkg_hashset_free(&r->blank_set);
  dipkg_free(r);
}

typedef struct Label {
  const char *str;
  size_t len;
} Label;

static uint64_t
blank_hash(const void *user, uint64_t entry)
{
  const DipkgResults *r = user;
  return dipkg_hash_str(0, r->blanks[entry - 1]);
}

static bool
blank_is(const void *user, uint64_t entry, const void *key)
{
  const DipkgResults *r = user;
  const Label *l = key;
  const char *b = r->blanks[entry - 1];
  return strlen(b) == l->len && !memcmp(b, l->str, l->len);
}

/* The number of blank node `label` in this result (a new one the first
 * time), or (size_t)-1 when out of memory. */
static size_t
blank_number(DipkgResults *r, const char *label, size_t len)
{
  if (!dipkg_hashset_reserve(&r->blank_set, blank_hash, r))
    return (size_t)-1;
  Label key = {label, len};
  uint64_t *slot = dipkg_hashset_find(
    &r->blank_set, dipkg_hash_bytes(0, label, len), blank_is, r, &key);
  if (*slot)
    return (size_t)*slot - 1;
  if (dipkg_grow((void **)&r->blanks, &r->blanks_cap, r->n_blanks + 1,
                 sizeof *r->blanks))
    return (size_t)-1;
  char *copy = dipkg_strndup(label, len);
  if (!copy)
    return (size_t)-1;
  r->blanks[r->n_blanks] = copy;
  dipkg_hashset_put(&r->blank_set, slot, ++r->n_blanks);
  return r->n_blanks - 1;
}

/* `t`, or its copy in `tmp` with the result's label of a blank node
 * (written into label slot `slot`); NULL when out of memory. */
static const DipkgTerm *
relabel(DipkgResults *r, const DipkgTerm *t, DipkgTerm *tmp, size_t slot)
{
  if (!t || t->kind != DIPKG_TERM_BLANK)
    return t;
  size_t n = blank_number(r, t->str, t->len);
  if (n == (size_t)-1)
    return NULL;
  int len =
    snprintf(r->blank_label[slot], sizeof r->blank_label[slot], "b%zu", n);
  *tmp = *t;
  tmp->str = r->blank_label[slot];
  tmp->len = (size_t)len;
  return tmp;
}

uint64_t
dipkg_results_count(const DipkgResults *r)
{
  return r->count;
}

/* --------------------------------------------------------- escaping */

static void
json_string(DipkgBuf *b, const char *s, size_t len)
{
  dipkg_buf_putc(b, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"':
      dipkg_buf_puts(b, "\\\"");
      break;
    case '\\':
      dipkg_buf_puts(b, "\\\\");
      break;
    case '\n':
      dipkg_buf_puts(b, "\\n");
      break;
    case '\r':
      dipkg_buf_puts(b, "\\r");
      break;
    case '\t':
      dipkg_buf_puts(b, "\\t");
      break;
    default:
      if (c < 0x20 || c == 0x7F)
        dipkg_buf_printf(b, "\\u%04X", c);
      else
        dipkg_buf_putc(b, (char)c);
    }
  }
  dipkg_buf_putc(b, '"');
}

/* XML text or attribute content.  Characters XML 1.0 cannot carry at all
 * (C0 controls other than tab, LF, CR) become U+FFFD. */
static void
xml_text(DipkgBuf *b, const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '&':
      dipkg_buf_puts(b, "&amp;");
      break;
    case '<':
      dipkg_buf_puts(b, "&lt;");
      break;
    case '>':
      dipkg_buf_puts(b, "&gt;");
      break;
    case '"':
      dipkg_buf_puts(b, "&quot;");
      break;
    case '\r':
      dipkg_buf_puts(b, "&#13;");  // a raw CR would be normalised away
      break;
    default:
      if (c < 0x20 && c != '\t' && c != '\n')
        dipkg_buf_puts(b, "\xEF\xBF\xBD");
      else
        dipkg_buf_putc(b, (char)c);
    }
  }
}

/* A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF. */
static void
csv_field(DipkgBuf *b, const char *s, size_t len)
{
  if (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) &&
      !memchr(s, '\r', len)) {
    dipkg_buf_append(b, s, len);
    return;
  }
  dipkg_buf_putc(b, '"');
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '"')
      dipkg_buf_putc(b, '"');
    dipkg_buf_putc(b, s[i]);
  }
  dipkg_buf_putc(b, '"');
}

/* --------------------------------------------------------- bindings */

DipkgStatus
dipkg_results_head(DipkgResults *r, const char *const *names, size_t n)
{
  r->names = dipkg_calloc(n + 1, sizeof *r->names);
  if (!r->names)
    return DIPKG_ERR_NO_MEMORY;
  for (size_t i = 0; i < n; i++) {
    r->names[i] = dipkg_strdup(names[i]);
    if (!r->names[i])
      return DIPKG_ERR_NO_MEMORY;
    r->n_vars++;
  }
  r->started = true;
  DipkgBuf *b = &r->buf;
  switch (r->format) {
  case DIPKG_RESULTS_CSV:
  case DIPKG_RESULTS_TSV:
    for (size_t i = 0; i < n; i++) {
      if (i)
        dipkg_buf_putc(b, r->format == DIPKG_RESULTS_CSV ? ',' : '\t');
      if (r->format == DIPKG_RESULTS_TSV)
        dipkg_buf_putc(b, '?');
      dipkg_buf_puts(b, names[i]);
    }
    dipkg_buf_puts(b, r->format == DIPKG_RESULTS_CSV ? "\r\n" : "\n");
    break;
  case DIPKG_RESULTS_JSON:
    dipkg_buf_puts(b, "{\n  \"head\": {\n    \"vars\": [");
    for (size_t i = 0; i < n; i++) {
      dipkg_buf_puts(b, i ? ", " : " ");
      json_string(b, names[i], strlen(names[i]));
    }
    dipkg_buf_puts(b, n ? " ]\n  },\n" : "]\n  },\n");
    dipkg_buf_puts(b, "  \"results\": {\n    \"bindings\": [");
    break;
  case DIPKG_RESULTS_XML:
    dipkg_buf_puts(b,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
                   "  <head>\n");
    for (size_t i = 0; i < n; i++) {
      dipkg_buf_puts(b, "    <variable name=\"");
      xml_text(b, names[i], strlen(names[i]));
      dipkg_buf_puts(b, "\"/>\n");
    }
    dipkg_buf_puts(b, "  </head>\n  <results>\n");
    break;
  default:
    break;
  }
  return flush(r);
}

/* A term as the table shows it: a prefixed name or <IRI>, a literal's
 * lexical form, _:label.  Control characters become spaces; long values are
 * cut with an ellipsis. */
static char *
table_cell(const DipkgResults *r, const DipkgTerm *t)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  if (!t) {
    dipkg_buf_puts(&b, "");
  } else if (t->kind == DIPKG_TERM_IRI) {
    const DipkgPrefix *best = NULL;
    size_t best_len = 0;
    for (const DipkgPrefix *p = r->prefixes; p && p->name; p++) {
      size_t n = strlen(p->iri);
      if (n > best_len && n <= t->len && !memcmp(t->str, p->iri, n) &&
          dipkg_turtle_local_ok(t->str + n, t->len - n)) {
        best = p;
        best_len = n;
      }
    }
    if (best)
      dipkg_buf_printf(&b, "%s:%.*s", best->name, (int)(t->len - best_len),
                       t->str + best_len);
    else
      dipkg_buf_printf(&b, "<%.*s>", (int)t->len, t->str);
  } else if (t->kind == DIPKG_TERM_BLANK) {
    dipkg_buf_printf(&b, "_:%.*s", (int)t->len, t->str);
  } else {
    dipkg_buf_append(&b, t->str, t->len);
  }
  // Clean and cut.
  DipkgBuf out = DIPKG_BUF_INIT;
  size_t chars = 0;
  for (size_t i = 0; i < b.len;) {
    uint32_t cp;
    size_t n = dipkg_utf8_decode(b.data + i, b.len - i, &cp);
    if (!n) {
      n = 1;
      cp = 0xFFFD;
    }
    if (++chars > TABLE_CELL_MAX) {
      dipkg_buf_puts(&out, "\xE2\x80\xA6");
      break;
    }
    if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029)
      dipkg_buf_putc(&out, ' ');
    else
      dipkg_buf_append(&out, b.data + i, n);
    i += n;
  }
  dipkg_buf_free(&b);
  char *s = dipkg_buf_take(&out);
  return s;
}

/* Display width: East Asian wide characters take two columns. */
static size_t
display_width(const char *s)
{
  size_t w = 0, len = strlen(s);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    size_t n = dipkg_utf8_decode(s + i, len - i, &cp);
    if (!n) {
      n = 1;
      cp = '?';
    }
    bool wide =
      (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
      (cp >= 0x20000 && cp <= 0x3FFFD);
    w += wide ? 2 : 1;
    i += n;
  }
  return w;
}

static void
tsv_term(DipkgBuf *b, const DipkgTerm *t)
{
  if (t)
    dipkg_write_nt_term(b, t);  // Turtle's N-Triples subset: valid TSV terms
}

static void
json_term(DipkgBuf *b, const DipkgTerm *t)
{
  switch (t->kind) {
  case DIPKG_TERM_IRI:
    dipkg_buf_puts(b, "{ \"type\": \"uri\", \"value\": ");
    json_string(b, t->str, t->len);
    break;
  case DIPKG_TERM_BLANK:
    dipkg_buf_puts(b, "{ \"type\": \"bnode\", \"value\": ");
    json_string(b, t->str, t->len);
    break;
  case DIPKG_TERM_LITERAL:
    dipkg_buf_puts(b, "{ \"type\": \"literal\", \"value\": ");
    json_string(b, t->str, t->len);
    if (t->lang) {
      dipkg_buf_puts(b, ", \"xml:lang\": ");
      json_string(b, t->lang, strlen(t->lang));
    } else if (t->datatype) {
      dipkg_buf_puts(b, ", \"datatype\": ");
      json_string(b, t->datatype, strlen(t->datatype));
    }
    break;
  }
  dipkg_buf_puts(b, " }");
}

static void
xml_term(DipkgBuf *b, const DipkgTerm *t)
{
  switch (t->kind) {
  case DIPKG_TERM_IRI:
    dipkg_buf_puts(b, "<uri>");
    xml_text(b, t->str, t->len);
    dipkg_buf_puts(b, "</uri>");
    break;
  case DIPKG_TERM_BLANK:
    dipkg_buf_puts(b, "<bnode>");
    xml_text(b, t->str, t->len);
    dipkg_buf_puts(b, "</bnode>");
    break;
  case DIPKG_TERM_LITERAL:
    dipkg_buf_puts(b, "<literal");
    if (t->lang) {
      dipkg_buf_puts(b, " xml:lang=\"");
      xml_text(b, t->lang, strlen(t->lang));
      dipkg_buf_putc(b, '"');
    } else if (t->datatype) {
      dipkg_buf_puts(b, " datatype=\"");
      xml_text(b, t->datatype, strlen(t->datatype));
      dipkg_buf_putc(b, '"');
    }
    dipkg_buf_putc(b, '>');
    xml_text(b, t->str, t->len);
    dipkg_buf_puts(b, "</literal>");
    break;
  }
}

static DipkgStatus write_row(DipkgResults *r, const DipkgTerm *const *v);

DipkgStatus
dipkg_results_row(DipkgResults *r, const DipkgTerm *const *v)
{
  size_t n = r->n_vars;
  bool blank = false;
  for (size_t i = 0; i < n && !blank; i++)
    blank = v[i] && v[i]->kind == DIPKG_TERM_BLANK;
  if (!blank)
    return write_row(r, v);
  // A row with blank nodes: relabelled copies.
  const DipkgTerm **row = dipkg_calloc(n + 1, sizeof *row);
  DipkgTerm *tmp = dipkg_calloc(n + 1, sizeof *tmp);
  char(*labels)[24] = dipkg_calloc(n + 1, sizeof *labels);
  DipkgStatus st = DIPKG_ERR_NO_MEMORY;
  if (row && tmp && labels) {
    st = DIPKG_SUCCESS;
    for (size_t i = 0; i < n && !st; i++) {
      row[i] = relabel(r, v[i], &tmp[i], 0);
      if (v[i] && !row[i])
        st = DIPKG_ERR_NO_MEMORY;
      else if (row[i] && row[i] != v[i]) {  // keep the label past this call
        memcpy(labels[i], r->blank_label[0], sizeof labels[i]);
        tmp[i].str = labels[i];
      }
    }
    if (!st)
      st = write_row(r, row);
  }
  dipkg_free(row);
  dipkg_free(tmp);
  dipkg_free(labels);
  return st;
}

static DipkgStatus
write_row(DipkgResults *r, const DipkgTerm *const *v)
{
  DipkgBuf *b = &r->buf;
  size_t n = r->n_vars;
  switch (r->format) {
  case DIPKG_RESULTS_TABLE:
    if (dipkg_grow((void **)&r->cells, &r->cells_cap, r->n_cells + n,
                   sizeof *r->cells))
      return DIPKG_ERR_NO_MEMORY;
    for (size_t i = 0; i < n; i++) {
      char *cell = table_cell(r, v[i]);
      if (!cell)
        return DIPKG_ERR_NO_MEMORY;
      r->cells[r->n_cells++] = cell;
    }
    break;
  case DIPKG_RESULTS_CSV:
    for (size_t i = 0; i < n; i++) {
      if (i)
        dipkg_buf_putc(b, ',');
      if (!v[i])
        continue;
      if (v[i]->kind == DIPKG_TERM_BLANK)
        dipkg_buf_puts(b, "_:");
      csv_field(b, v[i]->str, v[i]->len);
    }
    dipkg_buf_puts(b, "\r\n");
    break;
  case DIPKG_RESULTS_TSV:
    for (size_t i = 0; i < n; i++) {
      if (i)
        dipkg_buf_putc(b, '\t');
      tsv_term(b, v[i]);
    }
    dipkg_buf_putc(b, '\n');
    break;
  case DIPKG_RESULTS_JSON: {
    dipkg_buf_puts(b, r->count ? ",\n      {" : "\n      {");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
      if (!v[i])
        continue;
      dipkg_buf_puts(b, first ? "\n        " : ",\n        ");
      first = false;
      json_string(b, r->names[i], strlen(r->names[i]));
      dipkg_buf_puts(b, ": ");
      json_term(b, v[i]);
    }
    dipkg_buf_puts(b, first ? "}" : "\n      }");
    break;
  }
  case DIPKG_RESULTS_XML:
    dipkg_buf_puts(b, "    <result>\n");
    for (size_t i = 0; i < n; i++) {
      if (!v[i])
        continue;
      dipkg_buf_puts(b, "      <binding name=\"");
      xml_text(b, r->names[i], strlen(r->names[i]));
      dipkg_buf_puts(b, "\">");
      xml_term(b, v[i]);
      dipkg_buf_puts(b, "</binding>\n");
    }
    dipkg_buf_puts(b, "    </result>\n");
    break;
  default:
    return DIPKG_ERR_USAGE;
  }
  r->count++;
  return flush(r);
}

/* ------------------------------------------------------ ASK, graphs */

DipkgStatus
dipkg_results_boolean(DipkgResults *r, bool value)
{
  r->is_boolean = true;
  r->boolean = value;
  return DIPKG_SUCCESS;
}

typedef struct Triple {
  DipkgTerm s, p, o;
  size_t seq;
} Triple;

static bool
copy_term(DipkgArena *a, DipkgTerm *to, const DipkgTerm *from)
{
  *to = *from;
  to->str = dipkg_arena_strndup(a, from->str, from->len);
  if (from->datatype)
    to->datatype =
      dipkg_arena_strndup(a, from->datatype, strlen(from->datatype));
  if (from->lang)
    to->lang = dipkg_arena_strndup(a, from->lang, strlen(from->lang));
  return to->str && (!from->datatype || to->datatype) &&
         (!from->lang || to->lang);
}

/* The JSON-LD document writer, opened once (its graph begun). */
static DipkgStatus
doc_open(DipkgResults *r)
{
  if (r->doc_state)
    return DIPKG_SUCCESS;
  const DipkgFormatRow *row = dipkg_format_row(DIPKG_FORMAT_JSONLD);
  r->doc = row ? row->doc : NULL;
  if (!r->doc)
    return DIPKG_ERR_INTERNAL;
  r->doc_state =
    r->doc->open(r->out, r->prefixes ? r->prefixes : dipkg_vocab_prefixes);
  if (!r->doc_state)
    return DIPKG_ERR_NO_MEMORY;
  DipkgSink *sink = r->doc->sink(r->doc_state);
  return sink->begin_graph(sink, NULL);
}

/* The JSON-LD document, written at the end: it groups each subject's
 * statements in one node object. */
static DipkgStatus
write_jsonld(DipkgResults *r)
{
  DipkgStatus st = flush(r);
  if (!st)
    st = doc_open(r);  // an empty graph is a document too
  DipkgSink *sink = st ? NULL : r->doc->sink(r->doc_state);
  if (!st)
    st = sink->end_graph(sink);
  if (!st)
    st = r->doc->finish(r->doc_state);
  if (!st && (ferror(r->out) || fflush(r->out)))
    st = DIPKG_ERR_IO;
  return st;
}

DipkgStatus
dipkg_results_fit_format(DipkgResultFormat *format, bool graph,
                         const char *name, DipkgDiagList *diags)
{
  if (*format == DIPKG_RESULTS_DEFAULT)
    *format = graph ? DIPKG_RESULTS_TURTLE : DIPKG_RESULTS_CSV;
  if (graph && *format == DIPKG_RESULTS_TABLE)
    *format = DIPKG_RESULTS_TURTLE;
  bool graph_format = *format == DIPKG_RESULTS_TURTLE ||
                      *format == DIPKG_RESULTS_NTRIPLES ||
                      *format == DIPKG_RESULTS_JSONLD;
  if (graph == graph_format)
    return DIPKG_SUCCESS;
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, name,
                 (DipkgLoc){0, 0, 0}, "%s",
                 graph ? "a CONSTRUCT query gives a graph: use --format "
                         "turtle, ntriples or jsonld"
                 : *format == DIPKG_RESULTS_JSONLD
                   ? "this query gives a table: use --format table, csv, "
                     "tsv, json or xml (jsonld is for the graphs of "
                     "CONSTRUCT)"
                   : "this query gives a table: use --format table, csv, "
                     "tsv, json or xml");
  return DIPKG_ERR_USAGE;
}

DipkgStatus
dipkg_results_statement(DipkgResults *r, const DipkgTerm *s, const DipkgTerm *p,
                        const DipkgTerm *o)
{
  DipkgTerm s2, o2;
  s = relabel(r, s, &s2, 1);
  o = relabel(r, o, &o2, 2);
  if (!s || !o)
    return DIPKG_ERR_NO_MEMORY;
  r->count++;
  if (r->format == DIPKG_RESULTS_JSONLD) {
    DipkgStatus st = doc_open(r);
    DipkgSink *sink = st ? NULL : r->doc->sink(r->doc_state);
    return st ? st : sink->statement(sink, s, p, o);
  }
  if (r->format != DIPKG_RESULTS_TURTLE) {
    if (!r->is_graph)
      dipkg_writer_init(&r->writer, DIPKG_FORMAT_NTRIPLES, NULL, &r->buf);
    r->is_graph = true;
    DipkgStatus st = r->writer.base.statement(&r->writer.base, s, p, o);
    return st ? st : flush(r);
  }
  // Turtle groups a subject's statements: collect them, write at the end.
  if (!r->arena && !(r->arena = dipkg_arena_new()))
    return DIPKG_ERR_NO_MEMORY;
  if (dipkg_grow((void **)&r->triples, &r->triples_cap, r->n_triples + 1,
                 sizeof *r->triples))
    return DIPKG_ERR_NO_MEMORY;
  Triple *t = &r->triples[r->n_triples];
  if (!copy_term(r->arena, &t->s, s) || !copy_term(r->arena, &t->p, p) ||
      !copy_term(r->arena, &t->o, o))
    return DIPKG_ERR_NO_MEMORY;
  t->seq = r->n_triples++;
  return DIPKG_SUCCESS;
}

static int
compare_triples(const void *a, const void *b)
{
  const Triple *x = a, *y = b;
  if (x->s.kind != y->s.kind)
    return x->s.kind < y->s.kind ? -1 : 1;
  int c = strcmp(x->s.str, y->s.str);
  if (!c)
    c = strcmp(x->p.str, y->p.str);
  return c ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

static DipkgStatus
write_turtle(DipkgResults *r)
{
  if (r->n_triples > 1)
    qsort(r->triples, r->n_triples, sizeof *r->triples, compare_triples);
  dipkg_writer_turtle_prologue(r->prefixes, &r->buf);
  DipkgWriter w;
  dipkg_writer_init(&w, DIPKG_FORMAT_TURTLE, r->prefixes, &r->buf);
  DipkgStatus st = w.base.begin_graph(&w.base, NULL);
  for (size_t i = 0; i < r->n_triples && !st; i++) {
    const Triple *t = &r->triples[i];
    st = w.base.statement(&w.base, &t->s, &t->p, &t->o);
    if (!st && r->buf.len > 65536)
      st = flush(r);
  }
  if (!st)
    st = w.base.end_graph(&w.base);
  dipkg_writer_fini(&w);
  return st ? st : flush(r);
}

static void
table_line(DipkgResults *r, const size_t *width, char **cells)
{
  for (size_t i = 0; i < r->n_vars; i++) {
    dipkg_buf_puts(&r->buf, i ? " | " : " ");
    dipkg_buf_puts(&r->buf, cells[i]);
    if (i + 1 < r->n_vars)
      for (size_t k = display_width(cells[i]); k < width[i]; k++)
        dipkg_buf_putc(&r->buf, ' ');
  }
  dipkg_buf_putc(&r->buf, '\n');
}

static DipkgStatus
write_table(DipkgResults *r)
{
  size_t n = r->n_vars;
  size_t *width = dipkg_calloc(n + 1, sizeof *width);
  if (!width)
    return DIPKG_ERR_NO_MEMORY;
  for (size_t i = 0; i < n; i++)
    width[i] = display_width(r->names[i]);
  for (size_t c = 0; n && c < r->n_cells; c++) {
    size_t w = display_width(r->cells[c]);
    if (w > width[c % n])
      width[c % n] = w;
  }
  table_line(r, width, r->names);
  for (size_t i = 0; i < n; i++) {
    dipkg_buf_puts(&r->buf, i ? "-+-" : "-");
    for (size_t k = 0; k < width[i]; k++)
      dipkg_buf_putc(&r->buf, '-');
  }
  dipkg_buf_puts(&r->buf, "-\n");
  DipkgStatus st = DIPKG_SUCCESS;
  for (size_t row = 0; n && row * n < r->n_cells && !st; row++) {
    table_line(r, width, r->cells + row * n);
    if (r->buf.len > 65536)
      st = flush(r);
  }
  dipkg_buf_printf(&r->buf, "(%llu row%s)\n", (unsigned long long)r->count,
                   r->count == 1 ? "" : "s");
  dipkg_free(width);
  return st ? st : flush(r);
}

DipkgStatus
dipkg_results_end(DipkgResults *r)
{
  DipkgBuf *b = &r->buf;
  if (r->is_boolean) {
    switch (r->format) {
    case DIPKG_RESULTS_JSON:
      dipkg_buf_printf(b, "{\n  \"head\": {},\n  \"boolean\": %s\n}\n",
                       r->boolean ? "true" : "false");
      break;
    case DIPKG_RESULTS_XML:
      dipkg_buf_printf(
        b,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n"
        "  <head/>\n  <boolean>%s</boolean>\n</sparql>\n",
        r->boolean ? "true" : "false");
      break;
    default:  // the CSV and TSV formats define no ASK form: a plain word
      dipkg_buf_puts(b, r->boolean ? "true\n" : "false\n");
      break;
    }
    return flush(r);
  }
  if (r->format == DIPKG_RESULTS_TURTLE)
    return write_turtle(r);
  if (r->format == DIPKG_RESULTS_NTRIPLES)
    return flush(r);
  if (r->format == DIPKG_RESULTS_JSONLD)
    return write_jsonld(r);
  switch (r->format) {
  case DIPKG_RESULTS_TABLE:
    return write_table(r);
  case DIPKG_RESULTS_JSON:
    dipkg_buf_puts(b, r->count ? "\n    ]\n  }\n}\n" : " ]\n  }\n}\n");
    break;
  case DIPKG_RESULTS_XML:
    dipkg_buf_puts(b, "  </results>\n</sparql>\n");
    break;
  default:
    break;
  }
  return flush(r);
}
