#include "sparql_bind.h"

#include "memory.h"
#include "sparql_check.h"

#include <string.h>

/* Whether the string token `s` (`len` bytes) is closed by its quote: the
 * lexer ends an unterminated string at a line end or at the end. */
static bool
string_closed(const char *s, size_t len)
{
  char q = s[0];
  bool lng = len >= 6 && s[1] == q && s[2] == q;
  for (size_t i = lng ? 3 : 1; i < len;) {
    if (s[i] == '\\')
      i += 2;
    else if (s[i] == q &&
             (!lng || (i + 2 < len && s[i + 1] == q && s[i + 2] == q)))
      return i + (lng ? 3 : 1) == len;
    else
      i++;
  }
  return false;
}

/* Whether `term` is exactly one RDF term: an IRI, a prefixed name, a number,
 * true/false, or a string with an optional language tag or datatype.  The
 * tokens must cover the whole text: white space or a comment between or
 * around them would end up in the query (a `#` there comments out the rest
 * of the query's line). */
static bool
single_term(const char *term)
{
  DipkgLexer x = {term, strlen(term), 0, 1, 1, NULL, 0, 0, false};
  dipkg_sparql_tokenize(&x);
  bool ok = false, whole = !x.oom && x.n >= 1;
  for (size_t i = 0, at = 0; whole && i < x.n; i++) {
    whole = x.toks[i].start == at;
    at = x.toks[i].start + x.toks[i].len;
    if (i == x.n - 1)
      whole = whole && at == x.len;
    if (x.toks[i].kind == T_STRING)
      whole = whole && string_closed(term + x.toks[i].start, x.toks[i].len);
  }
  if (whole) {
    DipkgTokKind k = x.toks[0].kind;
    if (x.n == 1)
      ok = k == T_IRI || k == T_PNAME || k == T_NUMBER || k == T_STRING ||
           (k == T_WORD && x.toks[0].len == strlen(term) &&
            (!strcmp(term, "true") || !strcmp(term, "false")));
    else if (k == T_STRING && x.n == 2)
      ok = x.toks[1].kind == T_LANG;
    else if (k == T_STRING && x.n == 3)
      ok = x.toks[1].kind == T_PUNCT && x.toks[1].len == 2 &&
           (x.toks[2].kind == T_IRI || x.toks[2].kind == T_PNAME);
  }
  dipkg_free(x.toks);
  return ok;
}

/* Sets parameter ?var to `term`: the values of `VALUES ?var { ... }`, or
 * the expression of `BIND (... AS ?var)`. */
static void
bind_values(DipkgChecker *c, const char *binding)
{
  const char *eq = strchr(binding, '=');
  const char *var =
    binding[0] == '?' || binding[0] == '$' ? binding + 1 : binding;
  DipkgLoc none = {0, 0, 0};
  if (!eq || eq <= var) {
    dipkg_diag_add(c->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, c->name,
                   none,
                   "invalid binding %s: expected VAR=TERM, such as "
                   "country=entity:japan",
                   dipkg_diag_q(0, binding, strlen(binding)));
    c->failed = true;
    return;
  }
  size_t vlen = (size_t)(eq - var);
  const char *term = eq + 1;
  if (!single_term(term)) {
    dipkg_diag_add(c->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, c->name,
                   none,
                   "invalid binding %s: the value must be one RDF term (an "
                   "IRI <...>, a prefixed name, a number or a literal)",
                   dipkg_diag_q(0, binding, strlen(binding)));
    c->failed = true;
    return;
  }
  bool found = false;
  for (size_t i = 0; i + 2 < c->n; i++) {
    if (!is(c, i, "VALUES") || !kind(c, i + 1, T_VAR) || !is(c, i + 2, "{") ||
        c->t[i + 1].len != vlen + 1 ||
        memcmp(c->s + c->t[i + 1].start + 1, var, vlen))
      continue;
    size_t close = dipkg_checker_matching(c, i + 2);
    if (close >= c->n)
      break;
    // The VALUES keeps one row: the term.  (A VALUES rewritten into FILTER
    // IN keeps its FILTER form with the one value.)
    dipkg_checker_insert(c, close, " ");
    dipkg_checker_insert(c, close, term);
    dipkg_checker_insert(c, close, " ");
    for (size_t k = i + 3; k < close; k++) {
      dipkg_buf_clear(&c->ins[k]);
      if (!c->repl[k])
        dipkg_checker_replace(c, k, "");
    }
    found = true;
  }
  // BIND (TERM AS ?var): the expression is replaced.
  for (size_t i = 0; i + 1 < c->n; i++) {
    if (!is(c, i, "BIND") || !is(c, i + 1, "("))
      continue;
    size_t close = dipkg_checker_matching(c, i + 1), as = i + 2;
    while (as < close && !is(c, as, "AS"))
      as++;
    if (as + 2 != close || !kind(c, as + 1, T_VAR) ||
        c->t[as + 1].len != vlen + 1 ||
        memcmp(c->s + c->t[as + 1].start + 1, var, vlen))
      continue;
    dipkg_checker_insert(c, as, term);
    dipkg_checker_insert(c, as, " ");
    for (size_t k = i + 2; k < as; k++)
      if (!c->repl[k])
        dipkg_checker_replace(c, k, "");
    found = true;
  }
  if (!found) {
    dipkg_diag_add(c->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, c->name,
                   none,
                   "cannot bind ?%.*s: the query has no 'VALUES ?%.*s { ... }' "
                   "and no 'BIND (... AS ?%.*s)'",
                   (int)vlen, var, (int)vlen, var, (int)vlen, var);
    c->failed = true;
  }
}

/* The length of the variable name of binding "VAR=TERM" ("?VAR", "$VAR"
 * too), and where the name starts. */
static size_t
binding_var(const char *binding, const char **var)
{
  *var = binding[0] == '?' || binding[0] == '$' ? binding + 1 : binding;
  const char *eq = strchr(*var, '=');
  return eq ? (size_t)(eq - *var) : 0;
}

/* Whether every prefixed name in binding `term` has a declared prefix. */
static bool
binding_prefixes_declared(const DipkgChecker *c, const char *term,
                          const DipkgPrefix *prefixes)
{
  DipkgLexer x = {term, strlen(term), 0, 1, 1, NULL, 0, 0, false};
  dipkg_sparql_tokenize(&x);
  bool ok = !x.oom;
  for (size_t i = 0; ok && i < x.n; i++) {
    if (x.toks[i].kind != T_PNAME)
      continue;
    const char *s = term + x.toks[i].start;
    size_t len = (size_t)((const char *)memchr(s, ':', x.toks[i].len) - s);
    ok = dipkg_checker_declares(c, s, len) ||
         dipkg_sparql_prefix_listed(prefixes, s, len);
  }
  dipkg_free(x.toks);
  return ok;
}

/* Applies the --bind values to the query text: `*out` receives the bound
 * text (caller frees).  Bad bindings are usage errors. */
DipkgStatus
dipkg_sparql_bind(const char *text, size_t len, const char *name,
                  const DipkgPrefix *prefixes, const char *const *bindings,
                  DipkgDiagList *diags, char **out, size_t *out_len)
{
  *out = NULL;
  DipkgChecker c;
  DipkgLexer x;
  if (!dipkg_checker_init(&c, &x, text, len, name, diags))
    return DIPKG_ERR_NO_MEMORY;
  DipkgLoc none = {0, 0, 0};
  for (size_t i = 0; !c.oom && bindings[i]; i++) {
    const char *var, *other;
    size_t vlen = binding_var(bindings[i], &var);
    bool twice = false;
    for (size_t k = 0; k < i && !twice; k++)
      twice = binding_var(bindings[k], &other) == vlen && vlen &&
              !memcmp(var, other, vlen);
    if (twice) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, name, none,
                     "?%.*s is bound twice (--bind %s): give one value",
                     (int)vlen, var,
                     dipkg_diag_q(0, bindings[i], strlen(bindings[i])));
      c.failed = true;
    } else if (vlen &&
               !binding_prefixes_declared(&c, var + vlen + 1, prefixes)) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, name, none,
                     "invalid binding %s: its prefix is not declared (by "
                     "the query or among dipkg's predeclared prefixes)",
                     dipkg_diag_q(0, bindings[i], strlen(bindings[i])));
      c.failed = true;
    } else {
      bind_values(&c, bindings[i]);
    }
  }
  DipkgStatus st = c.oom      ? DIPKG_ERR_NO_MEMORY
                   : c.failed ? DIPKG_ERR_USAGE
                              : DIPKG_SUCCESS;
  if (!st) {
    DipkgBuf b = DIPKG_BUF_INIT;
    dipkg_checker_apply(&c, &b);
    *out_len = b.len;
    *out = dipkg_buf_take(&b);
    if (!*out)
      st = DIPKG_ERR_NO_MEMORY;
  }
  dipkg_checker_fini(&c, &x);
  return st;
}
