#include "sparql_path.h"

#include "buf.h"
#include "hash.h"
#include "limit.h"
#include "memory.h"
#include "sparql_check.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------ the parser */

typedef struct Parser {
  DipkgChecker *c;
  size_t i;     // the next token
  size_t from;  // the first token of the path
  DipkgPath *path;
  bool bad;
} Parser;

static int
new_node(Parser *p, DipkgPathOp op, int a, int b, size_t at)
{
  DipkgPath *path = p->path;
  if (path->n == path->cap) {
    size_t cap = path->cap ? path->cap * 2 : 8;
    DipkgPathNode *nodes = dipkg_realloc(path->nodes, cap * sizeof *nodes);
    if (!nodes) {
      p->c->oom = true;
      p->bad = true;
      return -1;
    }
    path->nodes = nodes;
    path->cap = cap;
  }
  size_t k = at < p->c->n ? at : p->c->n - 1;
  path->nodes[path->n] =
    (DipkgPathNode){op, a, b, -1, false, NULL, p->c->t[k].line, p->c->t[k].col};
  return (int)path->n++;
}

/* A parse error at p->i: refused when what was read is a path (it has a
 * path operator); anything else at a verb's place is rasqal's syntax
 * error to report (a misspelt keyword before "(", for one). */
static void
fail(Parser *p, const char *what)
{
  if (p->bad)
    return;
  p->bad = true;
  size_t k = p->i < p->c->n ? p->i : p->c->n - 1;
  bool path = false;
  for (size_t j = p->from; j <= k && !path; j++)
    path = kind(p->c, j, T_PUNCT) && p->c->t[j].len == 1 &&
           strchr("^/|!*+?", p->c->s[p->c->t[j].start]);
  if (path)
    REFUSE(p->c, k, "malformed property path: %s", what);
}

/* A LINK node for the iri-like token at p->i. */
static int
link_node(Parser *p)
{
  int k = new_node(p, DIPKG_PATH_LINK, -1, -1, p->i);
  if (k < 0)
    return -1;
  const DipkgTok *t = &p->c->t[p->i];
  p->path->nodes[k].iri = dipkg_strndup(p->c->s + t->start, t->len);
  if (!p->path->nodes[k].iri) {
    p->c->oom = true;
    p->bad = true;
    return -1;
  }
  p->i++;
  return k;
}

static int parse_alt(Parser *p);

/* PathOneInPropertySet: iri, a, ^iri, ^a. */
static int
parse_nps_member(Parser *p)
{
  bool inverse = is(p->c, p->i, "^");
  if (inverse)
    p->i++;
  if (!is_iri_like(p->c, p->i)) {
    fail(p, "an IRI expected in the negated property set");
    return -1;
  }
  int k = link_node(p);
  if (k >= 0)
    p->path->nodes[k].inverse = inverse;
  return k;
}

/* PathPrimary: iri, a, !NPS, ( Path ). */
static int
parse_primary(Parser *p)
{
  DipkgChecker *c = p->c;
  if (is_iri_like(c, p->i))
    return link_node(p);
  if (is(c, p->i, "(")) {
    p->i++;
    int k = parse_alt(p);
    if (!is(c, p->i, ")")) {
      fail(p, "')' expected");
      return -1;
    }
    p->i++;
    return k;
  }
  if (is(c, p->i, "!")) {
    int nps = new_node(p, DIPKG_PATH_NPS, -1, -1, p->i);
    p->i++;
    if (nps < 0)
      return -1;
    if (!is(c, p->i, "(")) {
      p->path->nodes[nps].a = parse_nps_member(p);
      return p->bad ? -1 : nps;
    }
    p->i++;
    int last = -1;
    while (!p->bad && !is(c, p->i, ")")) {
      if (last >= 0) {
        if (!is(c, p->i, "|")) {
          fail(p, "'|' or ')' expected in the negated property set");
          return -1;
        }
        p->i++;
      }
      int m = parse_nps_member(p);
      if (m < 0)
        return -1;
      if (last < 0)
        p->path->nodes[nps].a = m;
      else
        p->path->nodes[last].next = m;
      last = m;
    }
    p->i++;
    return p->bad ? -1 : nps;
  }
  fail(p, "an IRI, '^', '!' or '(' expected");
  return -1;
}

/* PathElt: PathPrimary PathMod?  (a '?' read as a modifier only when it is
 * not the start of a variable: the lexer made ?x one token). */
static int
parse_elt(Parser *p)
{
  int k = parse_primary(p);
  if (k < 0)
    return -1;
  static const struct {
    const char *mod;
    DipkgPathOp op;
  } mods[] = {
    {"?", DIPKG_PATH_OPT}, {"*", DIPKG_PATH_STAR}, {"+", DIPKG_PATH_PLUS}};
  for (size_t m = 0; m < 3; m++)
    if (is(p->c, p->i, mods[m].mod)) {
      k = new_node(p, mods[m].op, k, -1, p->i);
      p->i++;
      break;
    }
  return k;
}

/* PathEltOrInverse: ^? PathElt. */
static int
parse_inverse(Parser *p)
{
  if (!is(p->c, p->i, "^"))
    return parse_elt(p);
  size_t at = p->i++;
  int k = parse_elt(p);
  return k < 0 ? -1 : new_node(p, DIPKG_PATH_INV, k, -1, at);
}

static int
parse_seq(Parser *p)
{
  int k = parse_inverse(p);
  while (k >= 0 && is(p->c, p->i, "/")) {
    size_t at = p->i++;
    int b = parse_inverse(p);
    k = b < 0 ? -1 : new_node(p, DIPKG_PATH_SEQ, k, b, at);
  }
  return k;
}

static int
parse_alt(Parser *p)
{
  int k = parse_seq(p);
  while (k >= 0 && is(p->c, p->i, "|")) {
    size_t at = p->i++;
    int b = parse_seq(p);
    k = b < 0 ? -1 : new_node(p, DIPKG_PATH_ALT, k, b, at);
  }
  return k;
}

/* ------------------------------------------- the triples of a group */

typedef struct Scan {
  DipkgChecker *c;
  bool bad;
  bool template;  // the group is also a template (CONSTRUCT WHERE { })
} Scan;

static size_t scan_group(Scan *s, size_t open);
static size_t scan_properties(Scan *s, size_t i, const char *end);

/* Writes DIPKG_PATH_NONCE hex digits and a NUL to `out`: the fingerprint
 * of the query's text.  The same query is rewritten the same way (--explain
 * prints the same text every run), and no query can name its own paths'
 * answers: spelling the IRI out changes the text, hence the nonce. */
static void
new_nonce(const DipkgChecker *c, char *out)
{
  uint64_t r = dipkg_fingerprint(DIPKG_FINGERPRINT_START, c->s, strlen(c->s));
  for (int k = DIPKG_PATH_NONCE - 1; k >= 0; k--, r >>= 4)
    out[k] = "0123456789abcdef"[r & 15];
  out[DIPKG_PATH_NONCE] = '\0';
}

/* Records the path at tokens [from, to) and rewrites it. */
static void
add_path(Scan *s, DipkgPath *path, size_t from, size_t to)
{
  DipkgChecker *c = s->c;
  DipkgSparql *out = c->out;
  DipkgPath *grown =
    dipkg_realloc(out->paths, (out->n_paths + 1) * sizeof *out->paths);
  if (!grown) {
    c->oom = true;
    dipkg_paths_free(path, 1);
    return;
  }
  out->paths = grown;
  path->first = from;
  path->last = to - 1;
  // One nonce for all the paths of a query.
  if (out->n_paths)
    memcpy(path->nonce, out->paths[0].nonce, sizeof path->nonce);
  else
    new_nonce(s->c, path->nonce);
  out->paths[out->n_paths] = *path;
  char iri[64];
  snprintf(iri, sizeof iri, "<" DIPKG_PATH_IRI "%s:%zu>", path->nonce,
           out->n_paths);
  out->n_paths++;
  out->check_executed = true;
  // The path's tokens are the path's own: a token check (a prefixed name
  // rewritten into its IRI) may have edited one; the path's IRIs are
  // resolved from the text as written (dipkg_path_resolve).
  for (size_t k = from; k < to; k++) {
    dipkg_free(c->repl[k]);
    c->repl[k] = NULL;
  }
  dipkg_checker_replace(c, from, iri);
  for (size_t k = from + 1; k < to; k++)
    dipkg_checker_replace(c, k, "");
}

/* The operators nested at path node k, itself included (0 for an IRI);
 * `depth` holds those of the nodes before k (a node's operands come
 * before it). */
static int
node_depth(const DipkgPath *path, const int *depth, size_t k)
{
  const DipkgPathNode *n = &path->nodes[k];
  int d = 0;
  if (n->op == DIPKG_PATH_LINK)
    return 0;
  if (n->op != DIPKG_PATH_NPS) {
    if (n->a >= 0)
      d = depth[n->a];
    if (n->b >= 0 && depth[n->b] > d)
      d = depth[n->b];
  }
  return d + 1;
}

/* Whether the operators of `path` nest at most DIPKG_LIMIT_QUERY_NESTING
 * deep (path_eval.c recurses once per level); else refused at the
 * operator that goes over. */
static bool
path_depth_ok(Scan *s, const DipkgPath *path)
{
  int *depth = dipkg_malloc((path->n ? path->n : 1) * sizeof *depth);
  if (!depth) {
    s->c->oom = true;
    return false;
  }
  bool ok = true;
  for (size_t k = 0; k < path->n && ok; k++) {
    depth[k] = node_depth(path, depth, k);
    if (depth[k] > DIPKG_LIMIT_QUERY_NESTING) {
      DipkgLoc at = {path->nodes[k].line, path->nodes[k].col, 1};
      dipkg_diag_add(s->c->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY,
                     s->c->name, at,
                     "property path nested more than %d operators deep: "
                     "split it into several triple patterns",
                     DIPKG_LIMIT_QUERY_NESTING);
      s->c->failed = true;
      ok = false;
    }
  }
  dipkg_free(depth);
  return ok;
}

/* Parses the verb at token i: a variable, or a path (a lone IRI is not
 * rewritten).  The index after it. */
static size_t
scan_verb(Scan *s, size_t i)
{
  DipkgChecker *c = s->c;
  if (kind(c, i, T_VAR))
    return i + 1;
  DipkgPath path = {NULL, 0, 0, -1, 0, 0, ""};
  Parser p = {c, i, i, &path, false};
  path.root = parse_alt(&p);
  if (p.bad || path.root < 0 || !path_depth_ok(s, &path)) {
    s->bad = true;
    dipkg_paths_free(&path, 1);
    return c->n;
  }
  if (p.i == i + 1) {
    // One token, an IRI: a plain predicate.  (A parenthesised one, (:p),
    // is a path to rasqal, which rejects it: rewritten.)
    dipkg_paths_free(&path, 1);
  } else if (s->template) {
    // The rewrite would put dipkg's own IRI into the output's triples.
    REFUSE(c, i,
           "a property path in CONSTRUCT WHERE { ... }, whose group is "
           "also the template: write CONSTRUCT { template } WHERE { ... }");
    s->bad = true;
    dipkg_paths_free(&path, 1);
    return c->n;
  } else
    add_path(s, &path, i, p.i);
  return p.i;
}

/* Skips the term at token i (scanning the property lists of `[ ... ]` and
 * the members of collections); the index after it. */
static size_t
scan_term(Scan *s, size_t i)
{
  DipkgChecker *c = s->c;
  if (is(c, i, "[")) {
    if (is(c, i + 1, "]"))
      return i + 2;
    i = scan_properties(s, i + 1, "]");
    return is(c, i, "]") ? i + 1 : c->n;
  }
  if (is(c, i, "(")) {
    i++;
    while (!s->bad && i < c->n && !is(c, i, ")"))
      i = scan_term(s, i);
    return i + 1;
  }
  if (kind(c, i, T_STRING)) {
    if (kind(c, i + 1, T_LANG))
      return i + 2;
    if (is(c, i + 1, "^^"))
      return i + 3;
    return i + 1;
  }
  if (is(c, i, "+") || is(c, i, "-"))  // a signed number
    return i + 2;
  return i + 1;
}

/* Whether token i can start a verb. */
static bool
verb_start(const DipkgChecker *c, size_t i)
{
  return kind(c, i, T_VAR) || is_iri_like(c, i) || is(c, i, "^") ||
         is(c, i, "!") || is(c, i, "(");
}

/* Scans a property list from token i (verb objects ; verb objects ...)
 * up to `end` ("]") or the end of the triples; the index after it. */
static size_t
scan_properties(Scan *s, size_t i, const char *end)
{
  DipkgChecker *c = s->c;
  while (!s->bad && i < c->n && verb_start(c, i)) {
    i = scan_verb(s, i);
    i = scan_term(s, i);
    while (!s->bad && is(c, i, ",") && i < c->n)
      i = scan_term(s, i + 1);
    if (!is(c, i, ";"))
      break;
    while (is(c, i, ";"))
      i++;
    if (end && is(c, i, end))
      break;
  }
  return i;
}

/* Skips a bracket opened at token i; the index after its close. */
static size_t
skip_bracket(const DipkgChecker *c, size_t i)
{
  size_t close = dipkg_checker_matching(c, i);
  return close < c->n ? close + 1 : c->n;
}

/* Scans the expression of a FILTER or BIND opened at `open` for EXISTS
 * groups; the index after its close. */
static size_t
scan_expression(Scan *s, size_t open)
{
  DipkgChecker *c = s->c;
  size_t close = dipkg_checker_matching(c, open);
  for (size_t k = open; k < close && !s->bad; k++)
    if (is(c, k, "EXISTS") && is(c, k + 1, "{"))
      k = scan_group(s, k + 1) - 1;
  return close < c->n ? close + 1 : c->n;
}

/* Scans the group opened at token `open` ("{"); the index after its
 * close. */
static size_t
scan_group(Scan *s, size_t open)
{
  DipkgChecker *c = s->c;
  size_t close = dipkg_checker_matching(c, open);
  size_t i = open + 1;
  if (is(c, i, "SELECT")) {  // a subquery: its WHERE group
    while (i < close && !is(c, i, "{"))
      i++;
    if (i < close)
      scan_group(s, i);
    return close < c->n ? close + 1 : c->n;
  }
  while (!s->bad && i < close) {
    if (is(c, i, "{")) {
      i = scan_group(s, i);
    } else if (is(c, i, ".") || is(c, i, "OPTIONAL") || is(c, i, "MINUS") ||
               is(c, i, "UNION")) {
      i++;
    } else if (is(c, i, "GRAPH")) {
      i += 2;
    } else if (is(c, i, "SERVICE")) {
      i += is(c, i + 1, "SILENT") ? 3 : 2;
    } else if (is(c, i, "FILTER")) {
      i++;
      if (is(c, i, "NOT"))
        i++;
      if (is(c, i, "EXISTS") && is(c, i + 1, "{"))
        i = scan_group(s, i + 1);
      else if (is(c, i, "("))
        i = scan_expression(s, i);
      else if (is(c, i + 1, "("))  // FILTER fn(...)
        i = scan_expression(s, i + 1);
      else
        i++;
    } else if (is(c, i, "BIND") && is(c, i + 1, "(")) {
      i = scan_expression(s, i + 1);
    } else if (is(c, i, "VALUES")) {
      i++;
      if (is(c, i, "("))
        i = skip_bracket(c, i);
      else
        i++;
      if (is(c, i, "{"))
        i = skip_bracket(c, i);
    } else {
      size_t at = i;
      i = scan_term(s, i);
      i = scan_properties(s, i, NULL);
      if (i == at)
        i++;  // not a triple: rasqal reports it
    }
  }
  return close < c->n ? close + 1 : c->n;
}

/* Whether the query's brackets nest at most DIPKG_LIMIT_QUERY_NESTING
 * deep (the parser and the scanner above recurse once per level); else
 * refused at the bracket that goes over. */
static bool
nesting_ok(DipkgChecker *c)
{
  int depth = 0;
  for (size_t i = 0; i < c->n; i++)
    if (is(c, i, "(") || is(c, i, "[") || is(c, i, "{")) {
      if (++depth > DIPKG_LIMIT_QUERY_NESTING) {
        REFUSE(c, i,
               "brackets nested more than %d deep: write the query with "
               "fewer levels",
               DIPKG_LIMIT_QUERY_NESTING);
        return false;
      }
    } else if (is(c, i, ")") || is(c, i, "]") || is(c, i, "}")) {
      depth--;
    }
  return true;
}

/* Whether the group opened at token `open` is the WHERE of the short
 * form CONSTRUCT [FROM [NAMED] iri ...] WHERE { ... }: the grammar has no
 * paths in it (it is the template too). */
static bool
construct_where(const DipkgChecker *c, size_t open)
{
  if (open < 2 || !is(c, open - 1, "WHERE"))
    return false;
  size_t k = open - 2;
  while (k > 0 && (is(c, k, "FROM") || is(c, k, "NAMED") || is_iri_like(c, k)))
    k--;
  return is(c, k, "CONSTRUCT");
}

void
dipkg_path_check(DipkgChecker *c)
{
  if (!nesting_ok(c))
    return;
  // The IRIs paths are rewritten to are dipkg's own: a query naming one
  // would read a path's answers (BIND it to ?p, then ?s ?p ?o).
  for (size_t i = 0; i < c->n; i++)
    if (kind(c, i, T_IRI) && memmem(c->s + c->t[i].start, c->t[i].len,
                                    DIPKG_PATH_IRI, strlen(DIPKG_PATH_IRI)))
      REFUSE(c, i,
             "IRIs starting with " DIPKG_PATH_IRI " are dipkg's own (the "
             "property paths of the query): use another IRI");
  Scan s = {c, false, false};
  int depth = 0;
  size_t values_open = c->n;  // the "(" of a VALUES (?x ?y) clause
  for (size_t i = 0; i < c->n && !s.bad && !c->oom; i++) {
    if (is(c, i, "(")) {
      if (depth++ == 0 && i > 0 && is(c, i - 1, "VALUES"))
        values_open = i;
    } else if (is(c, i, ")")) {
      depth--;
    } else if (is(c, i, "{") && depth == 0) {
      // The query's groups: not a CONSTRUCT template (no paths there),
      // nor the data of a VALUES clause.
      bool values =
        (i > 1 && kind(c, i - 1, T_VAR) && is(c, i - 2, "VALUES")) ||
        (is(c, i - 1, ")") && values_open < c->n &&
         dipkg_checker_matching(c, values_open) == i - 1);
      if (i > 0 && (is(c, i - 1, "CONSTRUCT") || values)) {
        i = dipkg_checker_matching(c, i);
      } else {
        s.template = construct_where(c, i);
        i = scan_group(&s, i) - 1;
      }
    }
  }
}

/* ------------------------------------------------------ resolution */

DipkgStatus
dipkg_path_resolve(DipkgPath *paths, size_t n, const DipkgPrefix *prefixes,
                   const char *name, DipkgDiagList *diags)
{
  for (size_t k = 0; k < n; k++)
    for (size_t i = 0; i < paths[k].n; i++) {
      DipkgPathNode *node = &paths[k].nodes[i];
      if (node->op != DIPKG_PATH_LINK)
        continue;
      const char *w = node->iri;
      DipkgBuf b = DIPKG_BUF_INIT;
      DipkgLoc at = {node->line, node->col, (unsigned)strlen(w)};
      if (!strcmp(w, "a")) {
        dipkg_buf_puts(&b, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
      } else if (*w == '<') {
        size_t len = strlen(w) - 2;
        const char *colon = memchr(w + 1, ':', len);
        if (!colon || strcspn(w + 1, "/?#") < (size_t)(colon - w - 1)) {
          dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, name, at,
                         "a relative IRI in a property path: write the IRI "
                         "in full, or with a prefix");
          return DIPKG_ERR_QUERY;
        }
        dipkg_buf_append(&b, w + 1, len);
      } else {
        const char *colon = strchr(w, ':');
        size_t plen = colon ? (size_t)(colon - w) : 0;
        const DipkgPrefix *p = prefixes;
        while (p && p->name &&
               (strlen(p->name) != plen || strncmp(p->name, w, plen)))
          p++;
        if (!colon || !p || !p->name) {
          dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, name, at,
                         "undeclared prefix '%.*s:' in a property path "
                         "(declare it with PREFIX %.*s: <...>)",
                         (int)plen, w, (int)plen, w);
          return DIPKG_ERR_QUERY;
        }
        dipkg_buf_puts(&b, p->iri);
        for (const char *q = colon + 1; *q; q++) {
          if (*q == '\\' && q[1])  // a local name escape: \. is .
            q++;
          dipkg_buf_putc(&b, *q);
        }
      }
      char *iri = dipkg_buf_take(&b);
      if (!iri)
        return DIPKG_ERR_NO_MEMORY;
      dipkg_free(node->iri);
      node->iri = iri;
    }
  return DIPKG_SUCCESS;
}

void
dipkg_paths_free(DipkgPath *paths, size_t n)
{
  for (size_t k = 0; paths && k < n; k++) {
    for (size_t i = 0; i < paths[k].n; i++)
      dipkg_free(paths[k].nodes[i].iri);
    dipkg_free(paths[k].nodes);
    paths[k].nodes = NULL;
    paths[k].n = paths[k].cap = 0;
  }
}
