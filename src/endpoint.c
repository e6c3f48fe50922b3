/* A SPARQL 1.1 Protocol client: `dipkg query --endpoint URL`.  The query
 * is sent as written (with the --bind values and the predeclared prefixes
 * it lacks, none of the rewrites or refusals for rasqal: the remote engine
 * judges it) by POST as application/sparql-query.  Tables come back as
 * application/sparql-results+json and graphs as N-Triples; both are read
 * here and written by the same result writers as local queries
 * (src/results.c), so every --format reads the same whichever engine
 * answered.  Nothing is written unless the whole answer came and parsed. */
#include "endpoint.h"

#include "diag.h"
#include "exec.h"
#include "http.h"
#include "memory.h"
#include "results.h"
#include "sparql.h"
#include "utf8.h"
#include "world.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------- JSON reader */

typedef enum JsonKind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } JsonKind;

typedef struct Json Json;
struct Json {
  JsonKind kind;
  bool boolean;
  char *str;     // J_STR (NUL-terminated, may hold no NUL inside), J_NUM
  size_t len;    // of str
  Json **items;  // J_ARR values; J_OBJ values
  char **keys;   // J_OBJ keys
  size_t n, cap;
};

typedef struct JsonReader {
  const char *p, *end;
  bool oom;
  unsigned depth;
} JsonReader;

static void
json_free(Json *j)
{
  if (!j)
    return;
  for (size_t i = 0; i < j->n; i++) {
    json_free(j->items[i]);
    if (j->keys)
      dipkg_free(j->keys[i]);
  }
  dipkg_free(j->items);
  dipkg_free(j->keys);
  dipkg_free(j->str);
  dipkg_free(j);
}

static void
json_ws(JsonReader *r)
{
  while (r->p < r->end &&
         (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static int
hexval(char ch)
{
  int c = (unsigned char)ch;
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static int
hex4(const char *p)
{
  int v = 0;
  for (int i = 0; i < 4; i++) {
    int d = hexval(p[i]);
    if (d < 0)
      return -1;
    v = v * 16 + d;
  }
  return v;
}

static void
put_utf8(DipkgBuf *b, unsigned long cp)
{
  char out[4];
  size_t n;
  if (cp < 0x80) {
    out[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  dipkg_buf_append(b, out, n);
}

/* A JSON string at r->p (after the quote) into a new NUL-terminated copy;
 * NULL on a syntax error or out of memory. */
static char *
json_string(JsonReader *r, size_t *len)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  while (r->p < r->end && *r->p != '"') {
    unsigned char c = (unsigned char)*r->p++;
    if (c < 0x20)
      goto bad;
    if (c != '\\') {
      dipkg_buf_putc(&b, (char)c);
      continue;
    }
    if (r->p >= r->end)
      goto bad;
    c = (unsigned char)*r->p++;
    const char *simple = strchr("\"\\/bfnrt", c);
    if (simple && c) {
      static const char to[] = "\"\\/\b\f\n\r\t";
      dipkg_buf_putc(&b, to[simple - "\"\\/bfnrt"]);
      continue;
    }
    if (c != 'u' || r->end - r->p < 4)
      goto bad;
    int u = hex4(r->p);
    r->p += 4;
    if (u < 0)
      goto bad;
    unsigned long cp = (unsigned long)u;
    if (u >= 0xD800 && u <= 0xDBFF && r->end - r->p >= 6 && r->p[0] == '\\' &&
        r->p[1] == 'u') {
      int lo = hex4(r->p + 2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + (((unsigned long)u - 0xD800) << 10) +
             ((unsigned long)lo - 0xDC00);
        r->p += 6;
      }
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
      goto bad;  // a lone surrogate, or a NUL: not text dipkg can carry
    put_utf8(&b, cp);
  }
  if (r->p >= r->end)
    goto bad;
  r->p++;
  dipkg_buf_putc(&b, '\0');
  if (b.oom) {
    r->oom = true;
    goto bad;
  }
  *len = b.len - 1;
  return b.data;
bad:
  dipkg_buf_free(&b);
  return NULL;
}

static Json *json_value(JsonReader *r);

static bool
json_push(JsonReader *r, Json *j, char *key, Json *item)
{
  if (j->n == j->cap) {
    size_t cap = j->cap ? j->cap * 2 : 8;
    Json **items = dipkg_realloc(j->items, cap * sizeof *items);
    if (items)
      j->items = items;
    char **keys = NULL;
    if (items && j->kind == J_OBJ) {
      keys = dipkg_realloc(j->keys, cap * sizeof *keys);
      if (keys)
        j->keys = keys;
    }
    if (!items || (j->kind == J_OBJ && !keys)) {
      r->oom = true;
      return false;
    }
    j->cap = cap;
  }
  if (j->kind == J_OBJ)
    j->keys[j->n] = key;
  j->items[j->n++] = item;
  return true;
}

static Json *
json_value(JsonReader *r)
{
  json_ws(r);
  if (r->p >= r->end || ++r->depth > 64)
    return NULL;
  Json *j = dipkg_calloc(1, sizeof *j);
  if (!j) {
    r->oom = true;
    return NULL;
  }
  char c = *r->p;
  if (c == '{' || c == '[') {
    j->kind = c == '{' ? J_OBJ : J_ARR;
    char close = c == '{' ? '}' : ']';
    r->p++;
    json_ws(r);
    if (r->p < r->end && *r->p == close) {
      r->p++;
      goto done;
    }
    for (;;) {
      char *key = NULL;
      if (j->kind == J_OBJ) {
        json_ws(r);
        size_t klen;
        if (r->p >= r->end || *r->p != '"')
          goto bad;
        r->p++;
        if (!(key = json_string(r, &klen)))
          goto bad;
        json_ws(r);
        if (r->p >= r->end || *r->p != ':') {
          dipkg_free(key);
          goto bad;
        }
        r->p++;
      }
      Json *item = json_value(r);
      if (!item || !json_push(r, j, key, item)) {
        dipkg_free(key);
        json_free(item);
        goto bad;
      }
      json_ws(r);
      if (r->p < r->end && *r->p == ',') {
        r->p++;
        continue;
      }
      if (r->p < r->end && *r->p == close) {
        r->p++;
        goto done;
      }
      goto bad;
    }
  }
  if (c == '"') {
    j->kind = J_STR;
    r->p++;
    if (!(j->str = json_string(r, &j->len)))
      goto bad;
    goto done;
  }
  static const struct {
    const char *word;
    JsonKind kind;
    bool value;
  } words[] = {
    {"true", J_BOOL, true}, {"false", J_BOOL, false}, {"null", J_NULL, false}};
  for (size_t i = 0; i < 3; i++) {
    size_t n = strlen(words[i].word);
    if ((size_t)(r->end - r->p) >= n && !memcmp(r->p, words[i].word, n)) {
      j->kind = words[i].kind;
      j->boolean = words[i].value;
      r->p += n;
      goto done;
    }
  }
  const char *start = r->p;
  while (r->p < r->end && strchr("+-0123456789.eE", *r->p) && *r->p)
    r->p++;
  if (r->p == start)
    goto bad;
  j->kind = J_NUM;
  j->len = (size_t)(r->p - start);
  if (!(j->str = dipkg_strndup(start, j->len))) {
    r->oom = true;
    goto bad;
  }
done:
  r->depth--;
  return j;
bad:
  json_free(j);
  return NULL;
}

static const Json *
json_get(const Json *j, const char *key)
{
  if (!j || j->kind != J_OBJ)
    return NULL;
  for (size_t i = 0; i < j->n; i++)
    if (!strcmp(j->keys[i], key))
      return j->items[i];
  return NULL;
}

static const char *
json_str(const Json *j)
{
  return j && j->kind == J_STR ? j->str : NULL;
}

/* ------------------------------------------------ results from JSON */

#define XSD_STRING "http://www.w3.org/2001/XMLSchema#string"
#define RDF_LANGSTRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

/* The term of one JSON binding; false if it is malformed. */
static bool
term_of(const Json *b, DipkgTerm *t)
{
  const char *type = json_str(json_get(b, "type"));
  const Json *value = json_get(b, "value");
  if (!type || !value || value->kind != J_STR)
    return false;
  memset(t, 0, sizeof *t);
  t->str = value->str;
  t->len = value->len;
  if (!strcmp(type, "uri")) {
    t->kind = DIPKG_TERM_IRI;
  } else if (!strcmp(type, "bnode")) {
    t->kind = DIPKG_TERM_BLANK;
  } else if (!strcmp(type, "literal") || !strcmp(type, "typed-literal")) {
    t->kind = DIPKG_TERM_LITERAL;
    t->lang = json_str(json_get(b, "xml:lang"));
    t->datatype = json_str(json_get(b, "datatype"));
    // A plain literal has no datatype in dipkg's terms; RDF 1.1 engines
    // name xsd:string and rdf:langString.
    if (t->lang || (t->datatype && !strcmp(t->datatype, XSD_STRING)))
      t->datatype = NULL;
    if (t->datatype && !strcmp(t->datatype, RDF_LANGSTRING))
      t->datatype = NULL;
  } else {
    return false;
  }
  return true;
}

/* Writes a sparql-results+json document to `r`.  DIPKG_ERR_QUERY_FAILED
 * with a message in `why` when it is not one. */
static DipkgStatus
write_json_results(const DipkgBuf *body, DipkgResults *r, const char **why)
{
  JsonReader rd = {body->data, body->data + body->len, false, 0};
  Json *doc = json_value(&rd);
  DipkgStatus st = DIPKG_SUCCESS;
  *why = NULL;
  if (!doc) {
    st = rd.oom ? DIPKG_ERR_NO_MEMORY : DIPKG_ERR_QUERY_FAILED;
    *why = "the endpoint's answer is not JSON";
    return st;
  }
  const Json *boolean = json_get(doc, "boolean");
  const Json *vars = json_get(json_get(doc, "head"), "vars");
  const Json *rows = json_get(json_get(doc, "results"), "bindings");
  if (boolean && boolean->kind == J_BOOL) {
    st = dipkg_results_boolean(r, boolean->boolean);
  } else if (!vars || vars->kind != J_ARR || !rows || rows->kind != J_ARR) {
    st = DIPKG_ERR_QUERY_FAILED;
    *why = "the endpoint's answer is not SPARQL JSON results";
  } else {
    const char **names = dipkg_calloc(vars->n + 1, sizeof *names);
    DipkgTerm *terms = dipkg_calloc(vars->n + 1, sizeof *terms);
    const DipkgTerm **values = dipkg_calloc(vars->n + 1, sizeof *values);
    if (!names || !terms || !values)
      st = DIPKG_ERR_NO_MEMORY;
    for (size_t i = 0; !st && i < vars->n; i++)
      if (!(names[i] = json_str(vars->items[i]))) {
        st = DIPKG_ERR_QUERY_FAILED;
        *why = "the endpoint's answer names a variable that is not a string";
      }
    if (!st)
      st = dipkg_results_head(r, names, vars->n);
    for (size_t k = 0; !st && k < rows->n; k++) {
      const Json *row = rows->items[k];
      for (size_t i = 0; !st && i < vars->n; i++) {
        const Json *b = json_get(row, names[i]);
        values[i] = NULL;
        if (!b)
          continue;
        if (!term_of(b, &terms[i])) {
          st = DIPKG_ERR_QUERY_FAILED;
          *why = "the endpoint's answer has a malformed binding";
        } else if (dipkg_utf8_invalid_at(terms[i].str, terms[i].len) <
                   terms[i].len) {
          st = DIPKG_ERR_QUERY_FAILED;
          *why = "the endpoint's answer is not valid UTF-8";
        } else {
          values[i] = &terms[i];
        }
      }
      if (!st)
        st = dipkg_results_row(r, values);
    }
    dipkg_free(names);
    dipkg_free(terms);
    dipkg_free(values);
  }
  json_free(doc);
  return st;
}

/* ----------------------------------------------- graphs from N-Triples */

/* One N-Triples term at *p into `t` (strings in `b`, which the caller
 * clears per statement; offsets are fixed up by the caller). */
static bool
nt_term(const char **pp, const char *end, DipkgBuf *b, DipkgTerm *t,
        size_t *str_at, size_t *extra_at)
{
  const char *p = *pp;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  if (p >= end)
    return false;
  memset(t, 0, sizeof *t);
  *extra_at = (size_t)-1;
  *str_at = b->len;
  char close;
  if (*p == '<') {
    t->kind = DIPKG_TERM_IRI;
    close = '>';
  } else if (*p == '"') {
    t->kind = DIPKG_TERM_LITERAL;
    close = '"';
  } else if (p + 1 < end && p[0] == '_' && p[1] == ':') {
    t->kind = DIPKG_TERM_BLANK;
    p += 2;
    const char *s = p;
    while (p < end && !strchr(" \t.", *p))
      p++;
    dipkg_buf_append(b, s, (size_t)(p - s));
    t->len = (size_t)(p - s);
    dipkg_buf_putc(b, '\0');
    *pp = p;
    return t->len > 0;
  } else {
    return false;
  }
  p++;
  while (p < end && *p != close) {
    if (*p != '\\') {
      dipkg_buf_putc(b, *p++);
      continue;
    }
    if (++p >= end)
      return false;
    char c = *p++;
    const char *simple = strchr("tbnrf\"'\\", c);
    if (simple && c) {
      static const char to[] = "\t\b\n\r\f\"'\\";
      dipkg_buf_putc(b, to[simple - "tbnrf\"'\\"]);
      continue;
    }
    int digits = c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (!digits || end - p < digits)
      return false;
    unsigned long cp = 0;
    for (int i = 0; i < digits; i++) {
      int h = hexval(p[i]);
      if (h < 0)
        return false;
      cp = cp * 16 + (unsigned long)h;
    }
    p += digits;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    put_utf8(b, cp);
  }
  if (p >= end)
    return false;
  p++;
  t->len = b->len - *str_at;
  dipkg_buf_putc(b, '\0');
  if (t->kind == DIPKG_TERM_LITERAL && p < end && *p == '@') {
    const char *s = ++p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '-'))
      p++;
    *extra_at = b->len;
    dipkg_buf_append(b, s, (size_t)(p - s));
    dipkg_buf_putc(b, '\0');
    t->lang = "";  // fixed up by the caller
  } else if (t->kind == DIPKG_TERM_LITERAL && end - p > 2 && p[0] == '^' &&
             p[1] == '^' && p[2] == '<') {
    p += 3;
    const char *s = p;
    while (p < end && *p != '>')
      p++;
    if (p >= end)
      return false;
    *extra_at = b->len;
    dipkg_buf_append(b, s, (size_t)(p - s));
    dipkg_buf_putc(b, '\0');
    p++;
    t->datatype = "";  // fixed up by the caller
  }
  *pp = p;
  return true;
}

DipkgStatus
dipkg_ntriples_parse(const char *data, size_t len, DipkgTripleFunc fn,
                     void *user, const char **why)
{
  const char *p = data, *end = data + len;
  DipkgBuf b = DIPKG_BUF_INIT;
  DipkgStatus st = DIPKG_SUCCESS;
  while (!st && p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
      eol = end;
    const char *q = p;
    while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
      q++;
    if (q == eol || *q == '#') {
      p = eol + (eol < end);
      continue;
    }
    dipkg_buf_clear(&b);
    DipkgTerm t[3];
    size_t at[3], extra[3];
    bool ok = true;
    for (int i = 0; ok && i < 3; i++)
      ok = nt_term(&q, eol, &b, &t[i], &at[i], &extra[i]);
    if (b.oom) {
      st = DIPKG_ERR_NO_MEMORY;
      break;
    }
    if (!ok || t[1].kind != DIPKG_TERM_IRI || t[0].kind == DIPKG_TERM_LITERAL) {
      st = DIPKG_ERR_QUERY_FAILED;
      *why = "the endpoint's answer is not N-Triples";
      break;
    }
    for (int i = 0; i < 3; i++) {
      t[i].str = b.data + at[i];
      if (t[i].lang)
        t[i].lang = b.data + extra[i];
      if (t[i].datatype)
        t[i].datatype = b.data + extra[i];
      if (t[i].datatype && !strcmp(t[i].datatype, XSD_STRING))
        t[i].datatype = NULL;
      if (dipkg_utf8_invalid_at(t[i].str, t[i].len) < t[i].len) {
        st = DIPKG_ERR_QUERY_FAILED;
        *why = "the endpoint's answer is not valid UTF-8";
      }
    }
    if (!st)
      st = fn(user, &t[0], &t[1], &t[2]);
    p = eol + (eol < end);
  }
  dipkg_buf_free(&b);
  return st;
}

static DipkgStatus
add_statement(void *user, const DipkgTerm *s, const DipkgTerm *p,
              const DipkgTerm *o)
{
  return dipkg_results_statement(user, s, p, o);
}

/* Writes an N-Triples document to `r`. */
static DipkgStatus
write_ntriples(const DipkgBuf *body, DipkgResults *r, const char **why)
{
  return dipkg_ntriples_parse(body->data, body->len, add_statement, r, why);
}

/* ----------------------------------------------------- the request */

/* The line and column a server's message names ("line 3", "line 3,
 * column 5", "at 3:5"), or {0, 0}. */
static DipkgLoc
message_loc(const char *msg)
{
  DipkgLoc loc = {0, 0, 0};
  for (const char *p = msg; *p; p++) {
    if (strncasecmp(p, "line ", 5) || !isdigit((unsigned char)p[5]))
      continue;
    char *after;
    unsigned long line = strtoul(p + 5, &after, 10);
    if (line == 0 || line > 1000000)
      continue;
    loc.line = (unsigned)line;
    loc.col = 1;
    const char *c = after;
    while (*c == ',' || *c == ' ')
      c++;
    if (!strncasecmp(c, "column ", 7) && isdigit((unsigned char)c[7]))
      loc.col = (unsigned)strtoul(c + 7, NULL, 10);
    if (!loc.col)
      loc.col = 1;
    return loc;
  }
  return loc;
}

static const char *
accept_for(bool graph)
{
  return graph ? "application/n-triples, text/plain;q=0.5"
               : "application/sparql-results+json";
}

DipkgStatus
dipkg_endpoint_query(DipkgWorld *w, const char *url, const char *text,
                     const char *name, const char *const *bindings,
                     DipkgResultFormat format,
                     const DipkgEndpointOptions *options, FILE *out,
                     uint64_t *rows_out)
{
  DipkgEndpointOptions defaults = {0, 0};
  if (!options)
    options = &defaults;
  unsigned timeout_ms = options->timeout_ms;
  DipkgDiagList diags = {0};
  const char *shown = name ? name : "<query>";
  if (rows_out)
    *rows_out = 0;
  DipkgSparql q;
  DipkgStatus st = dipkg_sparql_prepare_unchecked(
    text, strlen(text), shown, w->prefixes, bindings, &diags, &q);
  bool graph = false;
  if (!st) {
    graph = q.form == DIPKG_QUERY_CONSTRUCT || q.form == DIPKG_QUERY_DESCRIBE;
    st = dipkg_results_fit_format(&format, graph, shown, &diags);
  }
  DipkgHttpResponse res;
  memset(&res, 0, sizeof res);
  if (!st) {
    char *form = NULL;
    if (options->form) {
      char *escaped = dipkg_http_escape(q.executed);
      DipkgBuf b = DIPKG_BUF_INIT;
      if (escaped)
        dipkg_buf_printf(&b, "query=%s", escaped);
      dipkg_free(escaped);
      dipkg_buf_putc(&b, '\0');
      if (!escaped || b.oom)
        dipkg_buf_free(&b);
      form = b.data;
    }
    DipkgHttpRequest req = {
      .method = "POST",
      .url = url,
      .content_type = options->form ? "application/x-www-form-urlencoded"
                                    : "application/sparql-query",
      .accept = accept_for(graph),
      .body = options->form ? form : q.executed,
      .body_len = strlen(options->form && form ? form : q.executed),
      .timeout_ms = timeout_ms};
    st = options->form && !form ? DIPKG_ERR_NO_MEMORY
                                : dipkg_http_perform(NULL, &req, &res);
    dipkg_free(form);
    if (st == DIPKG_ERR_IO && res.timed_out) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_FAILED,
                     shown, (DipkgLoc){0, 0, 0},
                     "no answer from %s within %u s (--timeout): %s", url,
                     timeout_ms / 1000, res.error);
      st = DIPKG_ERR_QUERY_FAILED;
    } else if (st == DIPKG_ERR_IO) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, url,
                     (DipkgLoc){0, 0, 0}, "cannot reach the endpoint: %s",
                     res.error);
    }
  }
  if (!st && (res.status < 200 || res.status > 299)) {
    // The server's own words: a query it cannot parse is the query's
    // fault (exit 2, at the line it names); anything else a failure.
    char *msg = dipkg_http_error_text(&res.body, res.content_type, 2000);
    if (!msg) {
      st = DIPKG_ERR_NO_MEMORY;
    } else if (res.status == 400) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, shown,
                     message_loc(msg), "the endpoint refused the query: %s",
                     *msg ? msg : "400 Bad Request");
      st = DIPKG_ERR_QUERY;
    } else {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_FAILED,
                     shown, (DipkgLoc){0, 0, 0},
                     "the endpoint %s answered HTTP %ld%s%s", url, res.status,
                     *msg ? ": " : "", msg);
      st = DIPKG_ERR_QUERY_FAILED;
    }
    dipkg_free(msg);
  }
  if (!st && res.max_rows) {
    // Virtuoso says so when the answer reached its ResultSetMaxRows, and
    // cuts it there: a partial answer would pass for the whole one.
    dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_FAILED, url,
                   (DipkgLoc){0, 0, 0},
                   "the answer reached the endpoint's row limit "
                   "(X-SPARQL-MaxRows: %lu) and may be cut there; raise it "
                   "(Virtuoso: ResultSetMaxRows in [SPARQL] of virtuoso.ini) "
                   "or ask for fewer rows",
                   res.max_rows);
    st = DIPKG_ERR_QUERY_FAILED;
  }
  FILE *spool = NULL;
  if (!st)
    st = dipkg_exec_spool_open(&diags, &spool);
  DipkgResults *r = NULL;
  if (!st && !(r = dipkg_results_new(format, spool, w->prefixes)))
    st = DIPKG_ERR_NO_MEMORY;
  if (!st) {
    const char *why = NULL;
    st = graph ? write_ntriples(&res.body, r, &why)
               : write_json_results(&res.body, r, &why);
    if (!st)
      st = dipkg_results_end(r);
    if (why)
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_FAILED, url,
                     (DipkgLoc){0, 0, 0}, "%s (Content-Type %s)", why,
                     res.content_type ? res.content_type : "none");
    if (rows_out)
      *rows_out = dipkg_results_count(r);
  }
  if (!st)
    st = dipkg_exec_spool_copy(spool, out, &diags);
  if (st == DIPKG_ERR_NO_MEMORY)
    dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, NULL,
                   (DipkgLoc){0, 0, 0}, "out of memory");
  dipkg_results_free(r);
  if (spool)
    fclose(spool);
  dipkg_http_response_fini(&res);
  if (q.executed || q.checked)
    dipkg_sparql_fini(&q);
  dipkg_world_deliver(w, &diags);
  return st;
}
