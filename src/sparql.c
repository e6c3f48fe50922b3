#include "sparql.h"

#include "buf.h"
#include "memory.h"
#include "sparql_bind.h"
#include "sparql_check.h"
#include "sparql_lex.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The prefixes in force in the query (see DipkgSparql.prefixes); NULL when
 * out of memory. */
static DipkgPrefix *
prefixes_in_force(const DipkgChecker *c, const DipkgPrefix *predeclared_list)
{
  size_t n = 0;
  for (const DipkgPrefix *p = predeclared_list; p && p->name; p++)
    n++;
  for (size_t i = 0; i + 2 < c->n; i++)
    n += is(c, i, "PREFIX");
  DipkgPrefix *out = dipkg_calloc(n + 1, sizeof *out);
  if (!out)
    return NULL;
  size_t k = 0;
  bool oom = false;
  for (size_t i = 0; i + 2 < c->n; i++) {
    if (!is(c, i, "PREFIX") || !kind(c, i + 1, T_PNAME) ||
        !kind(c, i + 2, T_IRI) || c->t[i + 2].len < 3)
      continue;
    const char *iri = c->s + c->t[i + 2].start + 1;
    size_t iri_len = c->t[i + 2].len - 2;
    if (!memchr(iri, ':', iri_len))
      continue;  // relative to a BASE: not used to shorten IRIs
    char *name = dipkg_strndup(c->s + c->t[i + 1].start, c->t[i + 1].len - 1);
    char *value = dipkg_strndup(iri, iri_len);
    out[k].name = name;
    out[k++].iri = value;
    oom |= !name || !value;
  }
  for (const DipkgPrefix *p = predeclared_list; p && p->name; p++) {
    if (dipkg_checker_declares(c, p->name, strlen(p->name)))
      continue;
    char *name = dipkg_strdup(p->name), *value = dipkg_strdup(p->iri);
    out[k].name = name;
    out[k++].iri = value;
    oom |= !name || !value;
  }
  if (oom) {
    for (size_t i = 0; i < k; i++) {
      dipkg_free((char *)(uintptr_t)out[i].name);
      dipkg_free((char *)(uintptr_t)out[i].iri);
    }
    dipkg_free(out);
    return NULL;
  }
  return out;
}

/* Whether the query is an aggregate query without GROUP BY or HAVING, and
 * if so the value of each projected aggregate over no rows (see
 * DipkgSparql.empty_row). */
static bool
implicit_group(const DipkgChecker *c, DipkgSparql *out)
{
  size_t select = 0;
  while (select < c->n && !is(c, select, "SELECT"))
    select++;
  size_t where = select;
  while (where < c->n && !is(c, where, "WHERE") && !is(c, where, "{"))
    where++;
  if (where >= c->n)
    return true;
  size_t open = is(c, where, "{") ? where : where + 1;
  for (size_t i = dipkg_checker_matching(c, open); i < c->n; i++)
    if (is(c, i, "GROUP") || is(c, i, "HAVING"))
      return true;  // not one implicit group (or a HAVING that may drop it)
  static const struct {
    const char *name, *value;
  } values[] = {{"COUNT", "0"},      {"SUM", "0"},  {"AVG", "0"},
                {"MIN", NULL},       {"MAX", NULL}, {"SAMPLE", NULL},
                {"GROUP_CONCAT", ""}};
  size_t n = 0;
  for (size_t i = select; i < where; i++)
    n += is(c, i, "AS");
  if (!n)
    return true;
  out->empty_row = dipkg_calloc(n, sizeof *out->empty_row);
  if (!out->empty_row)
    return false;
  for (size_t i = select + 1; i + 1 < where; i++) {
    // ( AGG ( ... ) AS ?v )
    if (!is(c, i, "(") || !dipkg_checker_is_aggregate(c, i + 1))
      continue;
    size_t close = dipkg_checker_matching(c, i + 2);
    // The AS must be in the SELECT clause, where the n slots were counted.
    if (close + 2 >= where || !is(c, close + 1, "AS") ||
        !kind(c, close + 2, T_VAR))
      continue;
    for (size_t k = 0; k < sizeof values / sizeof *values; k++) {
      if (!is(c, i + 1, values[k].name) || out->n_empty_row >= n)
        continue;
      char *var = dipkg_strndup(c->s + c->t[close + 2].start + 1,
                                c->t[close + 2].len - 1);
      if (!var)
        return false;
      out->empty_row[out->n_empty_row++] =
        (struct DipkgEmptyGroupValue){var, values[k].value};
    }
  }
  out->implicit_group = out->n_empty_row > 0;
  return true;
}

static DipkgQueryForm
form_of(const DipkgChecker *c)
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

/* Whether the comment lines that open the query include the line
 * "# dipkg: with-ontology": the query's declaration that it reads the
 * ontology in its default graph (as --with-ontology does). */
static bool
declares_ontology(const char *text, size_t len)
{
  static const char mark[] = "# dipkg: with-ontology";
  size_t at = 0;
  while (at < len) {
    while (at < len && strchr(" \t\r", text[at]))
      at++;
    if (at >= len || text[at] != '#')
      return false;  // the first line that is not a comment ends the header
    const char *nl = memchr(text + at, '\n', len - at);
    size_t end = nl ? (size_t)(nl - text) : len;
    size_t n = end - at;
    while (n && strchr(" \t\r", text[at + n - 1]))
      n--;
    if (n == sizeof mark - 1 && !memcmp(text + at, mark, n))
      return true;
    at = end + 1;
  }
  return false;
}

/* Set by dipkg_sparql_prepare_unchecked() around its call. */
static _Thread_local bool prepare_unchecked;

DipkgStatus
dipkg_sparql_prepare(const char *text, size_t len, const char *name,
                     const DipkgPrefix *prefixes, const char *const *bindings,
                     DipkgDiagList *diags, DipkgSparql *out)
{
  return dipkg_sparql_prepare_with(text, len, name, prefixes, bindings, NULL,
                                   diags, out);
}

DipkgStatus
dipkg_sparql_prepare_with(const char *text, size_t len, const char *name,
                          const DipkgPrefix *prefixes,
                          const char *const *bindings,
                          const DipkgSparqlOptions *options,
                          DipkgDiagList *diags, DipkgSparql *out)
{
  static const DipkgSparqlOptions defaults = {false, false, false};
  if (!options)
    options = &defaults;
  memset(out, 0, sizeof *out);
  size_t bad = dipkg_utf8_invalid_at(text, len);
  if (bad < len || memchr(text, '\0', len)) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, name,
                   (DipkgLoc){0, 0, 0}, "the query is not valid UTF-8 text");
    return DIPKG_ERR_QUERY;
  }
  // Parameters first: the checks then see the query as it will run.
  char *bound = NULL;
  if (bindings && bindings[0]) {
    DipkgStatus st = dipkg_sparql_bind(text, len, name, prefixes, bindings,
                                       diags, &bound, &len);
    if (st)
      return st;
    text = bound;
  }
  // Triple patterns after a block move before it (rasqal joins them
  // wrongly), unless the query is to run as written.
  char *moved = NULL;
  if (!prepare_unchecked && !options->raw) {
    DipkgStatus st = dipkg_sparql_reorder(text, len, name, diags, &moved, &len);
    if (st) {
      dipkg_free(bound);
      return st;
    }
    if (moved)
      text = moved;
  }
  DipkgChecker c;
  DipkgLexer x;
  if (!dipkg_checker_init(&c, &x, text, len, name, diags)) {
    dipkg_free(moved);
    dipkg_free(bound);
    return DIPKG_ERR_NO_MEMORY;
  }
  dipkg_sparql_checks_run(&c, prefixes, options, prepare_unchecked, out);
  DipkgStatus st = c.oom      ? DIPKG_ERR_NO_MEMORY
                   : c.failed ? DIPKG_ERR_QUERY
                              : DIPKG_SUCCESS;
  if (st) {  // the paths found before the refusal
    dipkg_paths_free(out->paths, out->n_paths);
    dipkg_free(out->paths);
    out->paths = NULL;
    out->n_paths = 0;
  }
  if (!st) {
    // The prologue: one line of PREFIX declarations the query lacks, in
    // front of its first line.  A BASE that opens the query must stay
    // first (rasqal 0.9.33 reads BASE only before every PREFIX): it moves
    // to the front of the prologue, and spaces take its place, so that
    // lines and columns stay those of the query as written.
    DipkgBuf pro = DIPKG_BUF_INIT, a = DIPKG_BUF_INIT, b = DIPKG_BUF_INIT;
    bool lost;
    bool base = is(&c, 0, "BASE") && kind(&c, 1, T_IRI);
    if (base) {
      dipkg_buf_printf(&pro, "BASE %.*s ", (int)c.t[1].len, c.s + c.t[1].start);
      dipkg_checker_blank(&c, 0);
      dipkg_checker_blank(&c, 1);
      base = !c.oom;
      pro.oom |= c.oom;  // the query would lose its BASE
    }
    for (const DipkgPrefix *p = prefixes; p && p->name; p++)
      if (!dipkg_checker_declares(&c, p->name, strlen(p->name)))
        dipkg_buf_printf(&pro, "PREFIX %s: <%s> ", p->name, p->iri);
    dipkg_buf_append(&a, pro.data, pro.len);
    if (base) {
      size_t from = c.t[0].start, to = c.t[1].start + c.t[1].len;
      dipkg_buf_append(&a, text, from);
      dipkg_buf_append(&a, c.repl[0], strlen(c.repl[0]));
      dipkg_buf_append(&a, text + c.t[0].len + from,
                       c.t[1].start - (from + c.t[0].len));
      dipkg_buf_append(&a, c.repl[1], strlen(c.repl[1]));
      dipkg_buf_append(&a, text + to, len - to);
    } else {
      dipkg_buf_append(&a, text, len);
    }
    // The constructs rewritten into others are an empty group {} in the
    // text checked, padded with spaces (lines and columns kept): rasqal
    // 0.9.33 cannot parse them.
    size_t shift = a.len - len;  // the prologue
    for (size_t i = 0; c.hidden && i < c.n && !a.oom; i++)
      if (c.hidden[i]) {
        // A token lies in `text`, so `a` holds its len > 0 bytes (a.oom
        // else): a.data is set.
        // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
        memset(a.data + shift + c.t[i].start, ' ', c.t[i].len);
        if (i == 0 || !c.hidden[i - 1])  // the first token of a construct
          memcpy(a.data + shift + c.t[i].start, "{}", 2);
      }
    // A prefixed name rewritten into its IRI (rasqal 0.9.33 misreads its
    // local part) is an IRI of as many bytes in the text checked.
    for (size_t i = 0; c.repl && i < c.n && !a.oom; i++)
      if (kind(&c, i, T_PNAME) && c.repl[i] && c.repl[i][0] == '<' &&
          c.t[i].len >= 2) {
        // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
        memset(a.data + shift + c.t[i].start, 'x', c.t[i].len);
        a.data[shift + c.t[i].start] = '<';
        a.data[shift + c.t[i].start + c.t[i].len - 1] = '>';
      }
    // A property path is one IRI in the text checked ("a", padded).
    for (size_t k = 0; k < out->n_paths && !a.oom; k++)
      for (size_t i = out->paths[k].first;
           i <= out->paths[k].last && !(c.hidden && c.hidden[i]); i++) {
        // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
        memset(a.data + shift + c.t[i].start, ' ', c.t[i].len);
        if (i == out->paths[k].first)
          a.data[shift + c.t[i].start] = 'a';
      }
    dipkg_buf_append(&b, pro.data, pro.len);
    dipkg_checker_apply(&c, &b);
    // rasqal 0.9.33 reports a syntax error at a comment that ends the
    // query without a line end: both texts end with one.
    if (!a.len || a.data[a.len - 1] != '\n')
      dipkg_buf_putc(&a, '\n');
    if (!b.len || b.data[b.len - 1] != '\n')
      dipkg_buf_putc(&b, '\n');
    lost = a.oom || b.oom;
    out->prologue = pro.len;
    out->form = form_of(&c);
    out->with_ontology = declares_ontology(text, len);
    for (size_t i = 0; i + 2 < c.n; i++)
      if (is(&c, i, "CONSTRUCT"))
        out->empty_template = is(&c, i + 1, "{") && is(&c, i + 2, "}");
    out->rewrites = c.edits;
    out->checked = dipkg_buf_take(&a);
    out->executed = dipkg_buf_take(&b);
    out->prefixes = prefixes_in_force(&c, prefixes);
    lost = lost || pro.oom;  // a prologue cut short would change the query
    dipkg_buf_free(&pro);
    if (lost || !out->checked || !out->executed || !out->prefixes ||
        !implicit_group(&c, out)) {
      dipkg_sparql_fini(out);
      st = DIPKG_ERR_NO_MEMORY;
    } else if (out->n_paths) {
      st = dipkg_path_resolve(out->paths, out->n_paths, out->prefixes, name,
                              diags);
      if (st)
        dipkg_sparql_fini(out);
    }
  }
  dipkg_checker_fini(&c, &x);
  dipkg_free(moved);
  dipkg_free(bound);
  return st;
}

DipkgStatus
dipkg_sparql_prepare_unchecked(const char *text, size_t len, const char *name,
                               const DipkgPrefix *prefixes,
                               const char *const *bindings,
                               DipkgDiagList *diags, DipkgSparql *out)
{
  prepare_unchecked = true;
  DipkgStatus st =
    dipkg_sparql_prepare(text, len, name, prefixes, bindings, diags, out);
  prepare_unchecked = false;
  return st;
}

void
dipkg_sparql_fini(DipkgSparql *q)
{
  dipkg_free(q->checked);
  dipkg_free(q->executed);
  dipkg_free(q->base);
  q->base = NULL;
  for (size_t i = 0; i < q->n_vars; i++)
    dipkg_free(q->vars[i]);
  dipkg_free(q->vars);
  for (DipkgPrefix *p = q->prefixes; p && p->name; p++) {
    dipkg_free((char *)(uintptr_t)p->name);
    dipkg_free((char *)(uintptr_t)p->iri);
  }
  dipkg_free(q->prefixes);
  q->prefixes = NULL;
  for (size_t i = 0; i < q->n_empty_row; i++)
    dipkg_free(q->empty_row[i].var);
  dipkg_free(q->empty_row);
  q->empty_row = NULL;
  q->n_empty_row = 0;
  q->implicit_group = false;
  dipkg_paths_free(q->paths, q->n_paths);
  dipkg_free(q->paths);
  q->paths = NULL;
  q->n_paths = 0;
  q->checked = q->executed = NULL;
  q->vars = NULL;
  q->n_vars = 0;
}

unsigned
dipkg_sparql_find_token(const DipkgSparql *q, unsigned line, const char *token)
{
  const char *text = q->checked + q->prologue;
  DipkgLexer x = {text, strlen(text), 0, 1, 1, NULL, 0, 0, false};
  dipkg_sparql_tokenize(&x);
  // The first token on the line that is `token` (keywords in any case);
  // else the last one that starts with it (rasqal's lexer names only the
  // first character of a variable, '?', or of a word it cannot read).
  unsigned exact = 0, prefix = 0;
  size_t tlen = strlen(token);
  for (size_t i = 0; i < x.n && !exact; i++) {
    if (x.toks[i].line != line || x.toks[i].len < tlen ||
        strncasecmp(text + x.toks[i].start, token, tlen))
      continue;
    if (x.toks[i].len == tlen)
      exact = x.toks[i].col;
    else
      prefix = x.toks[i].col;
  }
  dipkg_free(x.toks);
  return exact ? exact : prefix;
}
