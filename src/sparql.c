#include "sparql.h"

#include "buf.h"
#include "memory.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ tokens */

typedef enum TokKind {
  T_IRI,     // <...>
  T_PNAME,   // prefix:local, prefix:, :local
  T_VAR,     // ?x, $x
  T_STRING,  // '...', "...", '''...''', """..."""
  T_NUMBER,
  T_WORD,  // keywords, function names, a, true, false
  T_LANG,  // @en
  T_PUNCT
} TokKind;

typedef struct Tok {
  TokKind kind;
  size_t start, len;
  unsigned line, col;
} Tok;

typedef struct Lexer {
  const char *s;
  size_t len, pos;
  unsigned line, col;
  Tok *toks;
  size_t n, cap;
  bool oom;
} Lexer;

static bool
name_char(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* Advances over `n` bytes, keeping line and column (in characters). */
static void
skip(Lexer *x, size_t n)
{
  for (size_t i = 0; i < n && x->pos < x->len; i++) {
    unsigned char c = (unsigned char)x->s[x->pos++];
    if (c == '\n') {
      x->line++;
      x->col = 1;
    } else if ((c & 0xC0) != 0x80) {
      x->col++;
    }
  }
}

static void
push(Lexer *x, TokKind kind, size_t start, unsigned line, unsigned col)
{
  if (dipkg_grow((void **)&x->toks, &x->cap, x->n + 1, sizeof *x->toks)) {
    x->oom = true;
    return;
  }
  x->toks[x->n++] = (Tok){kind, start, x->pos - start, line, col};
}

/* Length of an IRIREF starting at `i` ('<'), or 0 if it is not one. */
static size_t
iriref_length(const Lexer *x, size_t i)
{
  for (size_t k = i + 1; k < x->len; k++) {
    unsigned char c = (unsigned char)x->s[k];
    if (c == '>')
      return k - i + 1;
    if (c <= 0x20 || strchr("<\"{}|^`\\", c))
      return 0;
  }
  return 0;
}

static void
lex_string(Lexer *x)
{
  char q = x->s[x->pos];
  bool lng =
    x->pos + 2 < x->len && x->s[x->pos + 1] == q && x->s[x->pos + 2] == q;
  skip(x, lng ? 3 : 1);
  while (x->pos < x->len) {
    char c = x->s[x->pos];
    if (c == '\\') {
      skip(x, 2);
    } else if (c == q &&
               (!lng || (x->pos + 2 < x->len && x->s[x->pos + 1] == q &&
                         x->s[x->pos + 2] == q))) {
      skip(x, lng ? 3 : 1);
      return;
    } else if (!lng && c == '\n') {
      return;  // unterminated: rasqal reports it
    } else {
      skip(x, 1);
    }
  }
}

static void
tokenize(Lexer *x)
{
  while (x->pos < x->len && !x->oom) {
    unsigned char c = (unsigned char)x->s[x->pos];
    size_t start = x->pos;
    unsigned line = x->line, col = x->col;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      skip(x, 1);
      continue;
    }
    if (c == '#') {
      while (x->pos < x->len && x->s[x->pos] != '\n')
        skip(x, 1);
      continue;
    }
    if (c == '<') {
      size_t n = iriref_length(x, x->pos);
      if (n) {
        skip(x, n);
        push(x, T_IRI, start, line, col);
        continue;
      }
    }
    if ((c == '?' || c == '$') && x->pos + 1 < x->len &&
        name_char((unsigned char)x->s[x->pos + 1])) {
      skip(x, 1);
      while (x->pos < x->len && name_char((unsigned char)x->s[x->pos]))
        skip(x, 1);
      push(x, T_VAR, start, line, col);
      continue;
    }
    if (c == '"' || c == '\'') {
      lex_string(x);
      push(x, T_STRING, start, line, col);
      continue;
    }
    if ((c >= '0' && c <= '9') ||
        (c == '.' && x->pos + 1 < x->len && x->s[x->pos + 1] >= '0' &&
         x->s[x->pos + 1] <= '9')) {
      while (x->pos < x->len && ((x->s[x->pos] >= '0' && x->s[x->pos] <= '9') ||
                                 x->s[x->pos] == '.' || x->s[x->pos] == 'e' ||
                                 x->s[x->pos] == 'E'))
        skip(x, 1);
      push(x, T_NUMBER, start, line, col);
      continue;
    }
    if (c == '@') {
      skip(x, 1);
      while (x->pos < x->len &&
             (name_char((unsigned char)x->s[x->pos]) || x->s[x->pos] == '-'))
        skip(x, 1);
      push(x, T_LANG, start, line, col);
      continue;
    }
    if (name_char(c) || c == ':') {
      while (x->pos < x->len && (name_char((unsigned char)x->s[x->pos]) ||
                                 x->s[x->pos] == '-' || x->s[x->pos] == '.'))
        skip(x, 1);
      // A name does not end with '.': that is the end of a triple.
      while (x->pos > start && x->s[x->pos - 1] == '.') {
        x->pos--;
        x->col--;
      }
      if (x->pos < x->len && x->s[x->pos] == ':') {
        skip(x, 1);
        while (x->pos < x->len &&
               (name_char((unsigned char)x->s[x->pos]) || x->s[x->pos] == '-' ||
                x->s[x->pos] == '.' || x->s[x->pos] == ':' ||
                x->s[x->pos] == '%' || x->s[x->pos] == '\\'))
          skip(x, x->s[x->pos] == '\\' ? 2 : 1);
        while (x->pos > start && x->s[x->pos - 1] == '.') {
          x->pos--;
          x->col--;
        }
        push(x, T_PNAME, start, line, col);
      } else {
        push(x, T_WORD, start, line, col);
      }
      continue;
    }
    static const char *const two[] = {"^^", "&&", "||", "<=", ">=", "!="};
    size_t n = 1;
    for (size_t i = 0; i < sizeof two / sizeof *two; i++)
      if (x->pos + 1 < x->len && !strncmp(x->s + x->pos, two[i], 2))
        n = 2;
    skip(x, n);
    push(x, T_PUNCT, start, line, col);
  }
}

/* ------------------------------------------------------------ checks */

typedef struct Edit {
  size_t start, end;  // byte range of the original text replaced
  const char *with;
} Edit;

typedef struct Checker {
  const char *s;
  const char *name;
  const Tok *t;
  size_t n;
  DipkgDiagList *diags;
  bool failed;
  Edit *edits;
  size_t n_edits, edits_cap;
  bool oom;
} Checker;

static bool
is(const Checker *c, size_t i, const char *text)
{
  return i < c->n && c->t[i].len == strlen(text) &&
         !strncasecmp(c->s + c->t[i].start, text, c->t[i].len);
}

static bool
kind(const Checker *c, size_t i, TokKind k)
{
  return i < c->n && c->t[i].kind == k;
}

static bool
is_iri_like(const Checker *c, size_t i)
{
  return kind(c, i, T_IRI) || kind(c, i, T_PNAME) ||
         (kind(c, i, T_WORD) && c->t[i].len == 1 && c->s[c->t[i].start] == 'a');
}

static DipkgLoc
loc(const Checker *c, size_t i)
{
  return (DipkgLoc){c->t[i].line, c->t[i].col, (unsigned)c->t[i].len};
}

#define REFUSE(c, i, ...)                                                      \
  (dipkg_diag_add((c)->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY,           \
                  (c)->name, loc((c), (i)), __VA_ARGS__),                      \
   (c)->failed = true)

/* Index of the ')' matching the '(' at `open`, or c->n. */
static size_t
matching(const Checker *c, size_t open)
{
  int depth = 0;
  for (size_t i = open; i < c->n; i++) {
    if (is(c, i, "("))
      depth++;
    else if (is(c, i, ")") && --depth == 0)
      return i;
  }
  return c->n;
}

static void
add_edit(Checker *c, size_t start, size_t end, const char *with)
{
  if (dipkg_grow((void **)&c->edits, &c->edits_cap, c->n_edits + 1,
                 sizeof *c->edits)) {
    c->oom = true;
    return;
  }
  c->edits[c->n_edits++] = (Edit){start, end, with};
}

static const char path_hint[] =
  "property paths are not supported by rasqal 0.9.33; write each step as "
  "a triple pattern with an intermediate variable (?a ex:p ?m . ?m ex:q "
  "?b), and instead of rdfs:subClassOf* use the class closure dipkg "
  "materialises (?e a dip:TradeMeasure finds every subclass instance; "
  "see docs/sparql.md)";

static void
check_paths(Checker *c, size_t i)
{
  const char *p = c->s + c->t[i].start;
  if (c->t[i].kind != T_PUNCT || c->t[i].len != 1)
    return;
  bool path = false;
  switch (*p) {
  case '^':
  case '|':
    path = true;  // no other meaning in SPARQL
    break;
  case '/':
    path = i > 0 && is_iri_like(c, i - 1) &&
           (is_iri_like(c, i + 1) || is(c, i + 1, "^") || is(c, i + 1, "(") ||
            is(c, i + 1, "!"));
    break;
  case '*':
  case '+':
  case '?':
    path = i > 0 && is_iri_like(c, i - 1) &&
           (kind(c, i + 1, T_VAR) || is_iri_like(c, i + 1) ||
            kind(c, i + 1, T_STRING) || kind(c, i + 1, T_NUMBER) ||
            is(c, i + 1, "["));
    break;
  case '!':
    path =
      is_iri_like(c, i + 1) ||
      (is(c, i + 1, "(") && i > 0 &&
       (kind(c, i - 1, T_VAR) || is_iri_like(c, i - 1) || is(c, i - 1, "]")));
    break;
  default:
    break;
  }
  if (path)
    REFUSE(c, i, "'%c' makes a property path: %s", *p, path_hint);
}

static bool
is_aggregate(const Checker *c, size_t i)
{
  static const char *const names[] = {"COUNT", "SUM",    "AVG",         "MIN",
                                      "MAX",   "SAMPLE", "GROUP_CONCAT"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (is(c, i, names[k]) && is(c, i + 1, "("))
      return true;
  return false;
}

/* CONCAT(...) whose arguments are not all plain variables or literals:
 * rasqal 0.9.33 reads freed memory for computed arguments. */
static void
check_concat(Checker *c, size_t i)
{
  size_t close = matching(c, i + 1);
  size_t arg = i + 2;
  while (arg < close) {
    size_t end = arg;
    int depth = 0;
    while (end < close && !(depth == 0 && is(c, end, ","))) {
      if (is(c, end, "("))
        depth++;
      else if (is(c, end, ")"))
        depth--;
      end++;
    }
    size_t width = end - arg;
    bool simple =
      width == 1 &&
      (kind(c, arg, T_VAR) || kind(c, arg, T_STRING) || kind(c, arg, T_NUMBER));
    if (width == 2 && kind(c, arg, T_STRING) && kind(c, arg + 1, T_LANG))
      simple = true;
    if (width == 3 && kind(c, arg, T_STRING) && is(c, arg + 1, "^^"))
      simple = true;
    if (!simple) {
      REFUSE(c, arg,
             "CONCAT with a computed argument returns garbage in rasqal 0.9.33 "
             "(it reads freed memory); compute the argument first with "
             "BIND(... AS ?part) and pass ?part to CONCAT");
      return;
    }
    arg = end + 1;
  }
}

/* YEAR/MONTH/DAY are unbound on xsd:date in rasqal 0.9.33: rewritten to
 * read the digits of the lexical form, which works for xsd:date,
 * xsd:dateTime, xsd:gYearMonth and xsd:gYear alike. */
static void
rewrite_date_part(Checker *c, size_t i)
{
  static const struct {
    const char *name, *open, *close;
  } parts[] = {
    {"YEAR", "<http://www.w3.org/2001/XMLSchema#integer>(SUBSTR(STR(",
     "), 1, 4))"},
    {"MONTH", "<http://www.w3.org/2001/XMLSchema#integer>(SUBSTR(STR(",
     "), 6, 2))"},
    {"DAY", "<http://www.w3.org/2001/XMLSchema#integer>(SUBSTR(STR(",
     "), 9, 2))"},
  };
  for (size_t k = 0; k < 3; k++) {
    if (!is(c, i, parts[k].name) || !is(c, i + 1, "("))
      continue;
    size_t close = matching(c, i + 1);
    if (close >= c->n)
      return;  // rasqal reports the syntax error
    add_edit(c, c->t[i].start, c->t[i + 1].start + 1, parts[k].open);
    add_edit(c, c->t[close].start, c->t[close].start + 1, parts[k].close);
  }
}

/* Whether variable `v` (token index) occurs in a triple pattern: inside
 * braces, outside parentheses, outside VALUES. */
static bool
var_in_pattern(const Checker *c, size_t v, const bool *in_values)
{
  int braces = 0, parens = 0;
  for (size_t i = 0; i < c->n; i++) {
    if (is(c, i, "{"))
      braces++;
    else if (is(c, i, "}"))
      braces--;
    else if (is(c, i, "("))
      parens++;
    else if (is(c, i, ")"))
      parens--;
    else if (i != v && braces > 0 && parens == 0 && !in_values[i] &&
             kind(c, i, T_VAR) && c->t[i].len == c->t[v].len &&
             !memcmp(c->s + c->t[i].start + 1, c->s + c->t[v].start + 1,
                     c->t[v].len - 1))
      return true;
  }
  return false;
}

/* VALUES: after the query (at brace depth 0) rasqal 0.9.33 crashes; over a
 * variable no triple pattern binds it returns wrong rows. */
static void
check_values(Checker *c, bool *in_values)
{
  int depth = 0;
  bool seen_group = false;
  for (size_t i = 0; i < c->n; i++) {
    if (is(c, i, "{")) {
      depth++;
      seen_group = true;
    } else if (is(c, i, "}")) {
      depth--;
    }
    if (!is(c, i, "VALUES"))
      continue;
    if (depth == 0 && seen_group)
      REFUSE(c, i,
             "a VALUES clause after the query's WHERE block crashes "
             "rasqal 0.9.33; move it inside WHERE { ... }");
    // Mark the head variables and the data block.
    size_t k = i + 1;
    size_t head_start = k;
    if (is(c, k, "(")) {
      k = matching(c, k) + 1;
    } else {
      k++;
    }
    size_t head_end = k;
    if (is(c, k, "{")) {
      int d = 0;
      for (; k < c->n; k++) {
        in_values[k] = true;
        if (is(c, k, "{"))
          d++;
        else if (is(c, k, "}") && --d == 0)
          break;
      }
    }
    for (size_t h = head_start; h < head_end && h < c->n; h++)
      in_values[h] = true;
    for (size_t h = head_start; h < head_end && h < c->n; h++)
      if (kind(c, h, T_VAR) && !var_in_pattern(c, h, in_values))
        REFUSE(c, h,
               "VALUES binds %.*s, which no triple pattern uses: rasqal 0.9.33 "
               "returns wrong rows or crashes for such VALUES; bind only "
               "variables the patterns use",
               (int)c->t[h].len, c->s + c->t[h].start);
  }
}

/* Subqueries: a SELECT inside braces with GROUP BY or aggregates gives
 * wrong results. */
static void
check_subqueries(Checker *c)
{
  int depth = 0, sub_depth = -1;
  for (size_t i = 0; i < c->n; i++) {
    if (is(c, i, "{"))
      depth++;
    else if (is(c, i, "}")) {
      depth--;
      if (sub_depth >= 0 && depth < sub_depth)
        sub_depth = -1;
    } else if (is(c, i, "SELECT") && depth > 0 && sub_depth < 0) {
      sub_depth = depth;
    } else if (sub_depth >= 0 && ((is(c, i, "GROUP") && is(c, i + 1, "BY")) ||
                                  is_aggregate(c, i))) {
      REFUSE(c, i,
             "a subquery with GROUP BY or an aggregate gives wrong "
             "results in rasqal 0.9.33; aggregate in the outer query "
             "instead, or run the subquery on its own");
      sub_depth = -1;
    }
  }
}

/* ------------------------------------------------------------ prepare */

static bool
declared(const Checker *c, const char *prefix, size_t len)
{
  for (size_t i = 0; i + 2 < c->n; i++)
    if (is(c, i, "PREFIX") && kind(c, i + 1, T_PNAME) &&
        c->t[i + 1].len == len + 1 &&
        !memcmp(c->s + c->t[i + 1].start, prefix, len))
      return true;
  return false;
}

static bool
predeclared(const DipkgPrefix *prefixes, const char *prefix, size_t len)
{
  for (const DipkgPrefix *p = prefixes; p && p->name; p++)
    if (strlen(p->name) == len && !memcmp(p->name, prefix, len))
      return true;
  return false;
}

static void
check_prefixes(Checker *c, const DipkgPrefix *prefixes)
{
  for (size_t i = 0; i < c->n; i++) {
    if (!kind(c, i, T_PNAME) || (i > 0 && is(c, i - 1, "PREFIX")))
      continue;
    const char *s = c->s + c->t[i].start;
    size_t len = (size_t)((const char *)memchr(s, ':', c->t[i].len) - s);
    if (!declared(c, s, len) && !predeclared(prefixes, s, len))
      REFUSE(c, i,
             "undeclared prefix '%.*s:' (declare it with PREFIX %.*s: "
             "<...>)",
             (int)len, s, (int)len, s);
  }
}

static DipkgQueryForm
form_of(const Checker *c)
{
  for (size_t i = 0; i < c->n; i++) {
    if (is(c, i, "SELECT"))
      return DIPKG_QUERY_SELECT;
    if (is(c, i, "ASK"))
      return DIPKG_QUERY_ASK;
    if (is(c, i, "CONSTRUCT"))
      return DIPKG_QUERY_CONSTRUCT;
    if (is(c, i, "DESCRIBE"))
      return DIPKG_QUERY_DESCRIBE;
  }
  return DIPKG_QUERY_UNKNOWN;
}

static int
compare_edits(const void *a, const void *b)
{
  const Edit *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

DipkgStatus
dipkg_sparql_prepare(const char *text, size_t len, const char *name,
                     const DipkgPrefix *prefixes, DipkgDiagList *diags,
                     DipkgSparql *out)
{
  memset(out, 0, sizeof *out);
  size_t bad = dipkg_utf8_invalid_at(text, len);
  if (bad < len || memchr(text, '\0', len)) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, name,
                   (DipkgLoc){0, 0, 0}, "the query is not valid UTF-8 text");
    return DIPKG_ERR_QUERY;
  }
  Lexer x = {text, len, 0, 1, 1, NULL, 0, 0, false};
  tokenize(&x);
  Checker c = {text, name, x.toks, x.n, diags, false, NULL, 0, 0, x.oom};
  bool *in_values = c.oom ? NULL : dipkg_calloc(x.n + 1, sizeof *in_values);
  if (!in_values)
    c.oom = true;
  if (!c.oom) {
    check_prefixes(&c, prefixes);
    for (size_t i = 0; i < c.n; i++) {
      check_paths(&c, i);
      if (is(&c, i, "EXISTS"))
        REFUSE(&c, i,
               "FILTER EXISTS and NOT EXISTS are not supported by "
               "rasqal 0.9.33; use OPTIONAL { ... } with "
               "FILTER(BOUND(?v)) for EXISTS, FILTER(!BOUND(?v)) for "
               "NOT EXISTS, where ?v is bound only inside the OPTIONAL");
      else if (is(&c, i, "MINUS"))
        REFUSE(&c, i,
               "MINUS is not supported by rasqal 0.9.33; use OPTIONAL "
               "{ ... } with FILTER(!BOUND(?v)), where ?v is bound only "
               "inside the OPTIONAL");
      else if (is(&c, i, "DESCRIBE"))
        REFUSE(&c, i,
               "DESCRIBE is not supported by rasqal 0.9.33; use "
               "CONSTRUCT { <iri> ?p ?o } WHERE { <iri> ?p ?o }");
      else if (is(&c, i, "CONCAT") && is(&c, i + 1, "("))
        check_concat(&c, i);
      else
        rewrite_date_part(&c, i);
    }
    check_subqueries(&c);
    check_values(&c, in_values);
  }
  dipkg_free(in_values);
  DipkgStatus st = c.oom      ? DIPKG_ERR_NO_MEMORY
                   : c.failed ? DIPKG_ERR_QUERY
                              : DIPKG_SUCCESS;
  if (!st) {
    // The prologue: one line of PREFIX declarations the query lacks, in
    // front of its first line.
    DipkgBuf pro = DIPKG_BUF_INIT, a = DIPKG_BUF_INIT, b = DIPKG_BUF_INIT;
    for (const DipkgPrefix *p = prefixes; p && p->name; p++)
      if (!declared(&c, p->name, strlen(p->name)))
        dipkg_buf_printf(&pro, "PREFIX %s: <%s> ", p->name, p->iri);
    dipkg_buf_append(&a, pro.data, pro.len);
    dipkg_buf_append(&a, text, len);
    dipkg_buf_append(&b, pro.data, pro.len);
    if (c.n_edits > 1)
      qsort(c.edits, c.n_edits, sizeof *c.edits, compare_edits);
    size_t at = 0;
    for (size_t i = 0; i < c.n_edits; i++) {
      dipkg_buf_append(&b, text + at, c.edits[i].start - at);
      dipkg_buf_puts(&b, c.edits[i].with);
      at = c.edits[i].end;
    }
    dipkg_buf_append(&b, text + at, len - at);
    out->prologue = pro.len;
    out->form = form_of(&c);
    out->rewrites = (unsigned)(c.n_edits / 2);
    out->checked = dipkg_buf_take(&a);
    out->executed = dipkg_buf_take(&b);
    dipkg_buf_free(&pro);
    if (!out->checked || !out->executed) {
      dipkg_sparql_fini(out);
      st = DIPKG_ERR_NO_MEMORY;
    }
  }
  dipkg_free(c.edits);
  dipkg_free(x.toks);
  return st;
}

void
dipkg_sparql_fini(DipkgSparql *q)
{
  dipkg_free(q->checked);
  dipkg_free(q->executed);
  q->checked = q->executed = NULL;
}

DipkgLoc
dipkg_sparql_loc(const DipkgSparql *q, unsigned line, unsigned col)
{
  if (line == 1 && col > q->prologue)
    col -= (unsigned)q->prologue;
  else if (line == 1 && col)
    col = 1;
  return (DipkgLoc){line, col, 0};
}

unsigned
dipkg_sparql_find_token(const DipkgSparql *q, unsigned line, const char *token)
{
  const char *text = q->checked + q->prologue;
  Lexer x = {text, strlen(text), 0, 1, 1, NULL, 0, 0, false};
  tokenize(&x);
  unsigned col = 0;
  size_t tlen = strlen(token);
  for (size_t i = 0; i < x.n && !col; i++)
    if (x.toks[i].line == line && x.toks[i].len == tlen &&
        !memcmp(text + x.toks[i].start, token, tlen))
      col = x.toks[i].col;
  dipkg_free(x.toks);
  return col;
}
