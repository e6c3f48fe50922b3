#include "sparql_check.h"

#include "memory.h"
#include "sparql_path.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void edited_range(const DipkgChecker *c, size_t from, size_t to,
                         DipkgBuf *out);
static size_t enclosing_group(const DipkgChecker *c, size_t i);

/* Index of the token closing the bracket opened at `open` ("(" or "{"), or
 * c->n. */
size_t
dipkg_checker_matching(const DipkgChecker *c, size_t open)
{
  const char *o = is(c, open, "{") ? "{" : "(", *e = *o == '{' ? "}" : ")";
  int depth = 0;
  for (size_t i = open; i < c->n; i++) {
    if (is(c, i, o))
      depth++;
    else if (is(c, i, e) && --depth == 0)
      return i;
  }
  return c->n;
}

void
dipkg_checker_replace(DipkgChecker *c, size_t i, const char *with)
{
  if (c->repl[i]) {  // a second edit of the same token: keep the first
    c->failed = true;
    dipkg_diag_add(c->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_INTERNAL, c->name,
                   loc(c, i), "internal error: two rewrites of one token (%s)",
                   c->check ? c->check : "bindings");
    return;
  }
  c->repl[i] = dipkg_strdup(with);
  if (!c->repl[i])
    c->oom = true;
  c->edits++;
}

void
dipkg_checker_insert(DipkgChecker *c, size_t i, const char *text)
{
  dipkg_buf_puts(&c->ins[i], text);
  c->oom |= c->ins[i].oom;
  c->edits++;
}

/* Appends `text` right after token i (before the white space that
 * follows it). */
static void
append_after(DipkgChecker *c, size_t i, const char *text)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  if (c->repl[i])
    dipkg_buf_puts(&b, c->repl[i]);
  else
    dipkg_buf_append(&b, c->s + c->t[i].start, c->t[i].len);
  dipkg_buf_puts(&b, text);
  c->oom |= b.oom;
  dipkg_free(c->repl[i]);
  c->repl[i] = dipkg_buf_take(&b);
  c->oom |= !c->repl[i];
  c->edits++;
}

/* Property paths: parsed and rewritten by sparql_path.c, evaluated by
 * path_eval.c when the query runs (see docs/sparql.md). */
static void
check_paths(DipkgChecker *c)
{
  dipkg_path_check(c);
}

bool
dipkg_checker_is_aggregate(const DipkgChecker *c, size_t i)
{
  static const char *const names[] = {"COUNT", "SUM",    "AVG",         "MIN",
                                      "MAX",   "SAMPLE", "GROUP_CONCAT"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (is(c, i, names[k]) && is(c, i + 1, "("))
      return true;
  return false;
}

/* The namespace IRI of the prefix s[0 .. len) (without its brackets, in
 * *iri_len bytes): the query's own PREFIX declaration of it, else the
 * predeclared one; NULL when neither declares it.  The pointer is into
 * the query text or the prefix table (not owned). */
static const char *
prefix_iri(const DipkgChecker *c, const char *s, size_t len, size_t *iri_len)
{
  const char *found = NULL;
  for (size_t i = 0; i + 2 < c->n; i++)
    if (is(c, i, "PREFIX") && kind(c, i + 1, T_PNAME) &&
        c->t[i + 1].len == len + 1 &&
        !memcmp(c->s + c->t[i + 1].start, s, len) && kind(c, i + 2, T_IRI)) {
      found = c->s + c->t[i + 2].start + 1;
      *iri_len = c->t[i + 2].len - 2;
    }
  if (found)
    return found;
  for (const DipkgPrefix *p = c->prefixes; p && p->name; p++)
    if (strlen(p->name) == len && !memcmp(p->name, s, len)) {
      *iri_len = strlen(p->iri);
      return p->iri;
    }
  return NULL;
}

static bool
hex_digit(char ch)
{
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
         (ch >= 'A' && ch <= 'F');
}

/* The local part of a prefixed name, l[0 .. len), as SPARQL's PN_LOCAL
 * reads it: appends it with the escapes \x undone (a percent escape %XX
 * stays as written, SPARQL 19.8) to `out`, or returns the offset of the
 * first byte that is not PN_LOCAL (len when all are). */
static size_t
local_name(const char *l, size_t len, DipkgBuf *out)
{
  static const char escapable[] = "_~.-!$&'()*+,;=/?#@%";
  for (size_t k = 0; k < len; k++) {
    unsigned char ch = (unsigned char)l[k];
    if (ch == '\\') {
      if (k + 1 >= len || !strchr(escapable, l[k + 1]) || !l[k + 1])
        return k;
      dipkg_buf_append(out, l + k + 1, 1);
      k++;
    } else if (ch == '%') {
      if (k + 2 >= len || !hex_digit(l[k + 1]) || !hex_digit(l[k + 2]))
        return k;
      dipkg_buf_append(out, l + k, 3);
      k += 2;
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
               (ch >= '0' && ch <= '9') || ch == '_' || ch == ':' ||
               ((ch == '-' || ch == '.') && k > 0) || ch >= 0x80) {
      dipkg_buf_append(out, l + k, 1);
    } else {
      return k;  // '-' or '.' first, or not PN_LOCAL
    }
  }
  return len;
}

/* A prefixed name rasqal 0.9.33 misreads, at token i: a ':' in the local
 * part (":a:b:c" is read as three names, a triple), an escape \x ("Failed
 * to decode SPARQL ID") or a percent escape %XX (a syntax error).  SPARQL
 * 1.1 allows all three; the name is rewritten into the full IRI <...>
 * that it stands for.  A local part that is not PN_LOCAL is refused at the
 * byte that breaks it. */
static void
rewrite_pname(DipkgChecker *c, size_t i)
{
  const char *s = c->s + c->t[i].start;
  size_t len = c->t[i].len;
  const char *colon = memchr(s, ':', len);
  size_t plen = (size_t)(colon - s);
  const char *l = colon + 1;
  size_t llen = len - plen - 1;
  if (!memchr(l, ':', llen) && !memchr(l, '\\', llen) && !memchr(l, '%', llen))
    return;
  if ((plen == 1 && *s == '_') || (i > 0 && is(c, i - 1, "PREFIX")))
    return;  // a blank node label, or the declaration: rasqal judges them
  DipkgBuf b = DIPKG_BUF_INIT;
  size_t iri_len = 0;
  const char *iri = prefix_iri(c, s, plen, &iri_len);
  dipkg_buf_puts(&b, "<");
  if (iri)
    dipkg_buf_append(&b, iri, iri_len);
  size_t bad = local_name(l, llen, &b);
  dipkg_buf_puts(&b, ">");
  if (bad < llen) {
    DipkgLoc at = loc(c, i);
    at.col += (unsigned)(plen + 1 + bad);
    at.width = 1;
    if (l[bad] == '\\')
      dipkg_diag_add(c->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, c->name,
                     at,
                     "'\\%c' is not an escape of a prefixed name (SPARQL "
                     "has \\ before one of _~.-!$&'()*+,;=/?#@%%): write the "
                     "full IRI <...>",
                     bad + 1 < llen ? l[bad + 1] : ' ');
    else
      dipkg_diag_add(c->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, c->name,
                     at,
                     "'%c' cannot be here in the local part of a prefixed "
                     "name (%%XX with two hex digits; no '-' or '.' first): "
                     "write the full IRI <...>",
                     l[bad]);
    c->failed = true;
  } else if (iri) {
    char *text = b.oom ? NULL : dipkg_buf_take(&b);
    if (!text)
      c->oom = true;
    else
      dipkg_checker_replace(c, i, text);
    dipkg_free(text);
  }  // an undeclared prefix: check_prefixes refuses it
  dipkg_buf_free(&b);
}

/* Tokens rasqal 0.9.33 misreads: a prefixed name with ':', '\\' or '%' in
 * its local part (rewritten by rewrite_pname()), and a \u escape of half
 * a surrogate pair (not a character; rasqal accepts it). */
static void
check_lexical(DipkgChecker *c, size_t i)
{
  const char *s = c->s + c->t[i].start;
  size_t len = c->t[i].len;
  if (kind(c, i, T_PNAME)) {
    rewrite_pname(c, i);
    return;
  }
  if (!kind(c, i, T_STRING))
    return;
  for (size_t k = 0; k + 5 < len; k++)
    if (s[k] == '\\' && s[k + 1] == 'u' &&
        (s[k + 2] == 'd' || s[k + 2] == 'D') &&
        strchr("89abAB89cdefCDEF", s[k + 3]) && s[k + 3] >= '8') {
      REFUSE(c, i,
             "\\u%.4s is half of a surrogate pair, not a character: "
             "write the character, or \\U with its eight hex digits",
             s + k + 2);
      return;
    }
}

/* DATATYPE and IRI/URI of an IRI written out (rewritten), BNODE and
 * other IRI/URI calls (refused: IRI(?x) of a number or a language-tagged
 * literal is an IRI in rasqal, not an error) at token i:
 * see docs/rasqal-bugs.md. */
static void
check_datatype(DipkgChecker *c, size_t i)
{
  if (!is(c, i + 1, "("))
    return;
  if (is(c, i, "DATATYPE")) {
    // DATATYPE of a language-tagged literal is an error in rasqal 0.9.33,
    // rdf:langString in SPARQL 1.1.
    size_t close = dipkg_checker_matching(c, i + 1);
    if (close >= c->n)
      return;
    DipkgBuf b = DIPKG_BUF_INIT;
    dipkg_buf_puts(&b, "IF(LANG(");
    edited_range(c, i + 2, close - 1, &b);
    dipkg_buf_puts(&b,
                   ") != \"\", "
                   "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>, "
                   "DATATYPE");
    char *text = b.oom ? NULL : dipkg_buf_take(&b);
    dipkg_buf_free(&b);
    if (!text) {
      c->oom = true;
      return;
    }
    dipkg_checker_replace(c, i, text);
    dipkg_free(text);
    append_after(c, close, ")");
    return;
  }
  if (is(c, i, "BNODE") && !is(c, i + 2, ")"))
    REFUSE(c, i,
           "BNODE(string) gives the same blank node in every solution "
           "in rasqal 0.9.33; use BNODE() or IRI(CONCAT(...))");
  else if ((is(c, i, "IRI") || is(c, i, "URI")) && is(c, i + 3, ")") &&
           (kind(c, i + 2, T_IRI) || kind(c, i + 2, T_PNAME)))
    dipkg_checker_replace(c, i, "");  // IRI(<x>) is (<x>)
  else if ((is(c, i, "IRI") || is(c, i, "URI")) && !is(c, i + 2, "STR") &&
           !is(c, i + 2, "CONCAT") &&
           !(kind(c, i + 2, T_STRING) && is(c, i + 3, ")")))
    REFUSE(c, i,
           "%.*s(?x) is unbound in rasqal 0.9.33 when ?x is an IRI "
           "already, and an IRI when ?x is a number or a language-tagged "
           "literal (SPARQL: an error); write %.*s(STR(?x)), or the IRI "
           "itself",
           (int)c->t[i].len, c->s + c->t[i].start, (int)c->t[i].len,
           c->s + c->t[i].start);
}

/* The text a REPLACE alternative p[0 .. len) matches, into out (len + 1
 * bytes), when it matches one fixed ASCII text (literal characters and
 * escaped special ones, inside parentheses around the whole of it or
 * not); false for anything else. */
static bool
fixed_alternative(const char *p, size_t len, char *out)
{
  while (len >= 2 && p[0] == '(' && p[len - 1] == ')') {
    int depth = 0;  // does the first '(' close at the end?
    size_t k = 0;
    for (; k < len; k++) {
      if (p[k] == '\\') {
        k++;
        continue;
      }
      depth += p[k] == '(' ? 1 : p[k] == ')' ? -1 : 0;
      if (depth == 0)
        break;
    }
    if (k != len - 1)
      break;
    p++;
    len -= 2;
  }
  size_t n = 0;
  for (size_t k = 0; k < len; k++) {
    unsigned char ch = (unsigned char)p[k];
    if (ch == '\\' && k + 2 < len && p[k + 1] == '\\' &&
        strchr(".*+?()[]{}|^$-\\/", p[k + 2])) {
      out[n++] = p[k + 2];
      k += 2;
    } else if (ch >= 0x80 || ch == '\\' || strchr(".*+?()[]{}|^$", ch)) {
      return false;
    } else {
      out[n++] = (char)ch;
    }
  }
  out[n] = '\0';
  return true;
}

/* Whether the REPLACE pattern p[0 .. len) (its string's content) is
 * alternatives of fixed texts (fixed_alternative()), none of which
 * begins a later one (ASCII case ignored): POSIX takes the longest of
 * those matching at a place, XPath the first, which is then the same.
 * Out of memory: false, and c->oom set. */
static bool
fixed_alternatives(DipkgChecker *c, const char *p, size_t len)
{
  char *texts = dipkg_calloc(len + 1, 2);
  size_t *ends = dipkg_calloc(len + 2, sizeof *ends);
  size_t n = 0, used = 0, from = 0;
  int depth = 0;
  bool ok = texts && ends;
  c->oom |= !ok;
  for (size_t k = 0; ok && k <= len; k++) {
    if (k < len && p[k] == '\\') {
      k++;
      continue;
    }
    if (k < len && (p[k] == '(' || p[k] == ')'))
      depth += p[k] == '(' ? 1 : -1;
    if (k == len || (p[k] == '|' && depth == 0)) {
      ok = fixed_alternative(p + from, k - from, texts + used);
      used += strlen(texts + used) + 1;
      ends[n++] = used;
      from = k + 1;
    }
  }
  for (size_t a = 0; ok && a < n; a++)
    for (size_t b = a + 1; ok && b < n; b++) {
      const char *x = texts + (a ? ends[a - 1] : 0);
      const char *y = texts + (b ? ends[b - 1] : 0);
      ok = !(strlen(x) < strlen(y) && !strncasecmp(x, y, strlen(x)));
    }
  dipkg_free(texts);
  dipkg_free(ends);
  return ok;
}

/* Whether the pattern of REPLACE at token i (its token `pat`, before
 * `close`) is one whose matches POSIX regexec() finds as XPath does:
 * src/rasqal_fix.c runs REPLACE with it.  POSIX takes the longest match,
 * XPath the first by Perl's rules (REPLACE("abc", "a|ab", "x") is "xbc",
 * POSIX makes it "xc"); the two agree on patterns without '|', without a
 * quantifier after a group, and without lazy quantifiers (checked over
 * random patterns and texts against a Perl-style engine), and on
 * alternatives of fixed texts none of which begins a later one.  Others
 * are refused at token i. */
static bool
replace_pattern_ok(DipkgChecker *c, size_t i, size_t pat, size_t close)
{
  static const char hint[] =
    "; write REPLACE with a pattern without '|', without a quantifier "
    "after a group and without lazy quantifiers (several REPLACE calls "
    "for alternatives), or for a fixed text CONCAT(STRBEFORE(?s, \"x\"), "
    "\"y\", STRAFTER(?s, \"x\"))";
  if (pat >= close || !kind(c, pat, T_STRING) || !is(c, pat + 1, ",")) {
    REFUSE(c, i,
           "REPLACE with a computed pattern: dipkg runs REPLACE with POSIX "
           "regular expressions and checks the pattern first%s",
           hint);
    return false;
  }
  const char *p = c->s + c->t[pat].start;
  size_t len = c->t[pat].len;
  if (len >= 2 && memchr(p + 1, '|', len - 2) &&
      fixed_alternatives(c, p + 1, len - 2))
    return true;  // "(ab)|(a)": the longest is the first
  if (c->oom)
    return false;
  bool bracket = false;
  for (size_t k = 1; k + 1 < len; k++) {
    char ch = p[k], next = p[k + 1];
    if (ch == '\\') {
      k += p[k + 1] == '\\' ? 2 : 1;  // a regex escape \\x, a string one
      continue;
    }
    if (bracket) {
      bracket = ch != ']';
      continue;
    }
    bool quantifier = ch == '*' || ch == '+' || ch == '?' || ch == '}';
    const char *why =
      ch == '['   ? NULL
      : ch == '|' ? "an alternative '|'"
      : ch == ')' && (next == '*' || next == '+' || next == '?' || next == '{')
        ? "a quantifier after a group"
      : quantifier && next == '?' ? "a lazy quantifier"
                                  : NULL;
    bracket = ch == '[';
    if (bracket && p[k + 1] == ']')
      k++;  // "[]...]": the first ']' is a member
    if (why) {
      REFUSE(c, pat,
             "REPLACE with %s in its pattern: dipkg runs REPLACE with POSIX "
             "regular expressions, which take the longest match where "
             "SPARQL takes the first by Perl's rules%s",
             why, hint);
      return false;
    }
  }
  return true;
}

/* REGEX(text, "pattern" [, "flags"]).  rasqal 0.9.33 hands the pattern to
 * the C library's POSIX regcomp(), whose syntax differs from XPath's: '.'
 * also matches a line end, a backslash in brackets is itself ("[\\n]" is
 * a backslash or an n), and the flags m, x and q are ignored or fail.  A
 * pattern written as one string (no long string) is rewritten: '.' outside
 * brackets becomes "[^\n\r]" (unless the flag s asks for line ends too),
 * and the escapes \n, \r, \t become the characters; the flags m, x, q
 * and escapes that POSIX lacks (\d, \p{...}) are refused.  The same for
 * the pattern of REPLACE(text, "pattern", with [, "flags"]), which
 * src/rasqal_fix.c runs over POSIX too, once replace_pattern_ok() lets
 * it through. */
static void
check_regex(DipkgChecker *c, size_t i)
{
  bool replace = is(c, i, "REPLACE");
  if ((!is(c, i, "REGEX") && !replace) || !is(c, i + 1, "("))
    return;
  size_t close = dipkg_checker_matching(c, i + 1), flags = c->n, pat = flags;
  int depth = 0, commas = 0;
  for (size_t k = i + 2; k < close; k++) {
    if (is(c, k, "(")) {
      depth++;
    } else if (is(c, k, ")")) {
      depth--;
    } else if (depth == 0 && is(c, k, ",")) {
      // REGEX(text, pattern, flags), REPLACE(text, pattern, with, flags)
      commas++;
      if (commas == 1)
        pat = k + 1;
      else if (commas == (replace ? 3 : 2))
        flags = k + 1;
    }
  }
  if (replace && !replace_pattern_ok(c, i, pat, close))
    return;
  bool dotall = false;
  if (flags < close && kind(c, flags, T_STRING)) {
    const char *f = c->s + c->t[flags].start + 1;
    for (size_t k = 0; k + 2 < c->t[flags].len; k++) {
      if (f[k] == 's')
        dotall = true;
      else if (f[k] != 'i') {
        REFUSE(c, flags,
               "the regex flag '%c' is not supported by rasqal 0.9.33 (only i "
               "and s are): for m, match line by line with [^\\n]; for x, "
               "write the pattern without spaces; for q, escape the special "
               "characters",
               f[k]);
        return;
      }
    }
  }
  if (pat >= close || !kind(c, pat, T_STRING) || c->t[pat].len < 2 ||
      (c->t[pat].len >= 6 &&
       c->s[c->t[pat].start + 1] == c->s[c->t[pat].start]))
    return;  // a computed or long-string pattern: as it is
  const char *p = c->s + c->t[pat].start;
  size_t len = c->t[pat].len;
  DipkgBuf b = DIPKG_BUF_INIT;
  bool bracket = false, changed = false;
  dipkg_buf_putc(&b, p[0]);
  for (size_t k = 1; k + 1 < len; k++) {
    char ch = p[k];
    if (ch == '\\' && k + 2 < len && p[k + 1] == '\\' && k + 3 < len) {
      // A regex escape (\\x in the SPARQL string is \x in the regex).
      char e = p[k + 2];
      const char *as = e == 'n'   ? "\\n"
                       : e == 'r' ? "\\r"
                       : e == 't' ? "\\t"
                                  : NULL;
      if (as) {
        dipkg_buf_puts(&b, as);  // the character itself
        changed = true;
      } else if (strchr(".*+?()[]{}|^$-\\/", e)) {
        dipkg_buf_append(&b, p + k, 3);
      } else {
        REFUSE(c, pat,
               "the regex escape \\%c is not supported by rasqal 0.9.33 "
               "(POSIX regular expressions): write a bracket expression, "
               "[0-9] for \\d, [ \\t\\n\\r] for \\s",
               e);
        dipkg_buf_free(&b);
        return;
      }
      k += 2;
      continue;
    }
    if (ch == '\\') {  // a string escape (\n, \", \u0041): as it is
      dipkg_buf_append(&b, p + k, 2);
      k++;
      continue;
    }
    if (ch == '[' && !bracket)
      bracket = true;
    else if (ch == ']' && bracket)
      bracket = false;
    if (ch == '.' && !bracket && !dotall) {
      dipkg_buf_puts(&b, "[^\\n\\r]");
      changed = true;
      continue;
    }
    dipkg_buf_putc(&b, ch);
  }
  dipkg_buf_putc(&b, p[len - 1]);
  char *text = b.oom ? NULL : dipkg_buf_take(&b);
  dipkg_buf_free(&b);
  if (!text)
    c->oom = true;
  else if (changed)
    dipkg_checker_replace(c, pat, text);
  dipkg_free(text);
}

/* Whether token i lies in a FILTER EXISTS, FILTER NOT EXISTS or MINUS
 * block, which check_negation copies with its variables renamed. */
static bool
in_negation(const DipkgChecker *c, size_t i)
{
  for (size_t g = enclosing_group(c, i); g < c->n && g > 0;
       g = enclosing_group(c, g))
    if (is(c, g - 1, "EXISTS") || is(c, g - 1, "MINUS"))
      return true;
  return false;
}

/* CONCAT with an unbound argument: rasqal 0.9.33 reads it as "" where
 * SPARQL raises an error (`CONCAT(?e, "-")` is "-" for an unbound ?e).
 * Each variable argument ?v guards the call, IF(BOUND(?v), CONCAT(...),
 * ?v): the same value when every argument is bound, else the error an
 * unbound variable is.  (Inside a block check_negation copies with
 * renamed variables, the guard would name the wrong variable: left
 * alone.) */
static void
concat_unbound(DipkgChecker *c, size_t i, size_t close)
{
  if (in_negation(c, i))
    return;
  DipkgBuf open = DIPKG_BUF_INIT, shut = DIPKG_BUF_INIT;
  for (size_t a = i + 2; a < close; a++) {
    if (!kind(c, a, T_VAR))
      continue;
    bool seen = false;
    for (size_t b = i + 2; b < a && !seen; b++)
      seen = same_var(c, a, b);
    if (seen)
      continue;
    int n = (int)c->t[a].len;
    const char *v = c->s + c->t[a].start;
    dipkg_buf_printf(&open, "IF(BOUND(%.*s), ", n, v);
    DipkgBuf before = DIPKG_BUF_INIT;
    dipkg_buf_printf(&before, ", %.*s)", n, v);
    dipkg_buf_append(&before, shut.data, shut.len);
    dipkg_buf_free(&shut);
    shut = before;
  }
  const char *o = dipkg_buf_cstr(&open), *e = dipkg_buf_cstr(&shut);
  c->oom |= open.oom || shut.oom;
  if (open.len && o && e) {
    // In the token itself, not before it: text another check inserts
    // before the call (COALESCE( of a BIND) must enclose the guard.
    DipkgBuf call = DIPKG_BUF_INIT;
    dipkg_buf_puts(&call, o);
    if (c->repl[i])
      dipkg_buf_puts(&call, c->repl[i]);
    else
      dipkg_buf_append(&call, c->s + c->t[i].start, c->t[i].len);
    c->oom |= call.oom;
    dipkg_free(c->repl[i]);
    c->repl[i] = dipkg_buf_take(&call);
    c->oom |= !c->repl[i];
    c->edits++;
    append_after(c, close, e);
  }
  dipkg_buf_free(&open);
  dipkg_buf_free(&shut);
}

/* CONCAT(...) whose arguments are not all plain variables or literals:
 * rasqal 0.9.33 reads freed memory for computed arguments. */
static void
check_concat(DipkgChecker *c, size_t i)
{
  if (!is(c, i, "CONCAT") || !is(c, i + 1, "("))
    return;
  size_t close = dipkg_checker_matching(c, i + 1);
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
  concat_unbound(c, i, close);
}

/* Whether the variable at token k is one of the plain variables of a
 * SELECT clause (SELECT ?a ?b, not (... AS ?b)). */
static bool
in_select_list(const DipkgChecker *c, size_t k)
{
  while (k > 0 && kind(c, k - 1, T_VAR))
    k--;
  return k > 0 && (is(c, k - 1, "SELECT") || is(c, k - 1, "DISTINCT") ||
                   is(c, k - 1, "REDUCED"));
}

/* BOUND of a variable that nothing in the query binds (no triple pattern,
 * BIND, VALUES or AS has it: it occurs only in BOUND calls and SELECT
 * lists).  SPARQL: false.  rasqal 0.9.33 loses every row of a group with
 * FILTER (!BOUND(?e)) once the group is joined with anything after it
 * (`{ ?d ex:p ?x FILTER (!BOUND(?e)) } BIND ("x" AS ?k)` has no row):
 * BOUND(?e) is written `false`. */
static void
rewrite_bound_never(DipkgChecker *c, size_t i)
{
  if (!is(c, i, "BOUND") || !is(c, i + 1, "(") || !kind(c, i + 2, T_VAR) ||
      !is(c, i + 3, ")"))
    return;
  for (size_t k = 0; k < c->n; k++) {
    if (!same_var(c, k, i + 2))
      continue;
    bool in_bound =
      k >= 2 && is(c, k - 2, "BOUND") && is(c, k - 1, "(") && is(c, k + 1, ")");
    if (!in_bound && !in_select_list(c, k))
      return;
  }
  if (c->repl[i] || c->repl[i + 1] || c->repl[i + 2] || c->repl[i + 3])
    return;
  dipkg_checker_replace(c, i, "false");
  dipkg_checker_replace(c, i + 1, "");
  dipkg_checker_replace(c, i + 2, "");
  dipkg_checker_replace(c, i + 3, "");
}

/* YEAR/MONTH/DAY are unbound on xsd:date in rasqal 0.9.33: rewritten to
 * read the digits of the lexical form, which works for xsd:date,
 * xsd:dateTime, xsd:gYearMonth and xsd:gYear alike. */
static void
rewrite_date_part(DipkgChecker *c, size_t i)
{
  static const struct {
    const char *name, *close;
  } parts[] = {
    {"YEAR", "), 1, 4)) + 0)"},
    {"MONTH", "), 6, 2)) + 0)"},
    {"DAY", "), 9, 2)) + 0)"},
  };
  for (size_t k = 0; k < 3; k++) {
    if (!is(c, i, parts[k].name) || !is(c, i + 1, "("))
      continue;
    size_t close = dipkg_checker_matching(c, i + 1);
    if (close >= c->n)
      return;  // rasqal reports the syntax error
    // (xsd:integer(SUBSTR(...)) + 0): the cast keeps the digits as written
    // ("03"); the sum is the canonical integer (3).
    dipkg_checker_replace(c, i, "(<http://www.w3.org/2001/XMLSchema#integer>");
    dipkg_checker_replace(c, i + 1, "(SUBSTR(STR(");
    dipkg_checker_replace(c, close, parts[k].close);
  }
}

/* Marks the tokens of every VALUES clause (keyword, head, data block). */
static void
mark_values(DipkgChecker *c)
{
  bool *in_values = c->in_values;
  for (size_t i = 0; i < c->n; i++) {
    if (!is(c, i, "VALUES"))
      continue;
    size_t k = i + 1;
    k = is(c, k, "(") ? dipkg_checker_matching(c, k) + 1 : k + 1;
    if (is(c, k, "{"))
      k = dipkg_checker_matching(c, k);
    for (size_t m = i; m <= k && m < c->n; m++)
      in_values[m] = true;
  }
}

/* Whether variable `v` (token index) occurs in a triple pattern: inside
 * braces, outside parentheses, outside VALUES. */
static bool
var_in_pattern(const DipkgChecker *c, size_t v, const bool *in_values)
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
             same_var(c, i, v))
      return true;
  }
  return false;
}

/* Index of the '{' opening the group that contains token `i`, or c->n. */
static size_t
enclosing_group(const DipkgChecker *c, size_t i)
{
  int depth = 0;
  for (size_t k = i; k-- > 0;) {
    if (is(c, k, "}"))
      depth++;
    else if (is(c, k, "{") && depth-- == 0)
      return k;
  }
  return c->n;
}

/* Whether the block opened at `open` is one whose patterns must match:
 * a plain group or a GRAPH block, not an OPTIONAL, a UNION branch, a
 * subquery or a VALUES data block. */
static bool
mandatory_block(const DipkgChecker *c, size_t open, size_t close,
                const bool *in_values)
{
  if (in_values[open] || is(c, open + 1, "SELECT") || is(c, close + 1, "UNION"))
    return false;
  if (open == 0)
    return true;
  return !is(c, open - 1, "OPTIONAL") && !is(c, open - 1, "UNION") &&
         !is(c, open - 1, "MINUS") && !is(c, open - 1, "EXISTS");
}

/* Whether variable `v` is certainly bound by the part of the group [g, i)
 * before token i: it occurs in a triple pattern (or as GRAPH's variable, or
 * as the target of a BIND) of that group, or of a plain or GRAPH block in
 * it, not in an OPTIONAL, a UNION branch or a subquery. */
static bool
certainly_bound(const DipkgChecker *c, size_t g, size_t i, size_t v,
                const bool *in_values)
{
  int parens = 0;
  for (size_t k = g + 1; k < i; k++) {
    if (is(c, k, "{") && is(c, dipkg_checker_matching(c, k) + 1, "UNION") &&
        !(k > 0 && is(c, k - 1, "UNION")) && !in_values[k]) {
      // A UNION binds ?v certainly when each of its branches does.
      bool all = true;
      size_t b = k, close = dipkg_checker_matching(c, k);
      for (;;) {
        if (close >= i)
          return false;
        all = all && certainly_bound(c, b, close, v, in_values);
        if (!is(c, close + 1, "UNION") || !is(c, close + 2, "{"))
          break;
        b = close + 2;
        close = dipkg_checker_matching(c, b);
      }
      if (all)
        return true;
      k = close;
    } else if (is(c, k, "{")) {
      size_t close = dipkg_checker_matching(c, k);
      if (close >= i)
        return false;
      if (mandatory_block(c, k, close, in_values) &&
          certainly_bound(c, k, close, v, in_values))
        return true;
      k = close;
    } else if (is(c, k, "(")) {
      parens++;
    } else if (is(c, k, ")")) {
      parens--;
    } else if (same_var(c, k, v) &&
               (parens == 0 ||
                (parens == 1 && k > 0 && is(c, k - 1, "AS")))) {  // BIND
      if (!in_values[k] || var_in_pattern(c, k, in_values))
        return true;
    }
  }
  return false;
}

/* VALUES ?v { <iri> } at token `at`: the IRI replaces ?v in the triple
 * patterns of the group (not in expressions, not in subqueries), the
 * VALUES staying to bind ?v for the rest.  rasqal 0.9.33 evaluates a
 * GRAPH, OPTIONAL or UNION block on its own before joining it with the
 * VALUES, so `GRAPH ?g { ?s ?p ?v }` would read every statement of every
 * graph; with the IRI in the pattern it reads those that mention it.
 * The join with the VALUES makes ?v that IRI anyway: the same rows. */
static void
inline_value(DipkgChecker *c, size_t at, const bool *in_values)
{
  size_t g = enclosing_group(c, at);
  if (g >= c->n)
    return;
  size_t end = dipkg_checker_matching(c, g);
  char iri[512];
  if (c->t[at + 3].len >= sizeof iri)
    return;
  snprintf(iri, sizeof iri, "%.*s", (int)c->t[at + 3].len,
           c->s + c->t[at + 3].start);
  int parens = 0;
  for (size_t k = g + 1; k < end && k < c->n; k++) {
    if (is(c, k, "{") && is(c, k + 1, "SELECT")) {
      k = dipkg_checker_matching(c, k);  // a subquery has its own variables
    } else if (is(c, k, "(")) {
      parens++;
    } else if (is(c, k, ")")) {
      parens--;
    } else if (parens == 0 && !in_values[k] && !c->repl[k] &&
               same_var(c, k, at + 1) && !is(c, k - 1, "GRAPH")) {
      dipkg_checker_replace(c, k, iri);
    }
  }
}

/* Marks, for the leaves lo..hi-1 of a balanced binary tree, how many
 * subtrees each leaf opens (as their first leaf) and closes (as their
 * last). */
static void
balance(unsigned char *opens, unsigned char *closes, size_t lo, size_t hi)
{
  if (hi - lo < 2)
    return;
  opens[lo]++;
  closes[hi - 1]++;
  size_t mid = lo + (hi - lo) / 2;
  balance(opens, closes, lo, mid);
  balance(opens, closes, mid, hi);
}

/* Rewrites `VALUES ?var { ... }` at token `at` (its `}` at `close`, with
 * `n` values) into FILTER (sameTerm(?var, a) || sameTerm(?var, b) ...).
 * The disjunction is a balanced tree of parenthesised ||, not a chain:
 * rasqal 0.9.33 handles an expression by recursion over its depth, and a
 * chain as deep as the values (100,000 of them) overflowed its stack or
 * took minutes; the tree is 17 deep for 100,000. */
/* Whether token k (k > 0) continues the value of a VALUES block that starts
 * before it: a language tag or datatype of a literal ("x"@en, "x"^^<dt>),
 * or the digits of a signed number (the lexer reads -2 as '-' and 2). */
static bool
continues_value(const DipkgChecker *c, size_t k)
{
  return kind(c, k, T_LANG) || is(c, k, "^^") || is(c, k - 1, "^^") ||
         (kind(c, k, T_NUMBER) && (is(c, k - 1, "-") || is(c, k - 1, "+")));
}

static void
values_filter(DipkgChecker *c, size_t at, size_t close, size_t n,
              const char *var)
{
  size_t *starts = dipkg_calloc(n + 1, sizeof *starts);
  unsigned char *opens = dipkg_calloc(n + 1, 1);
  unsigned char *closes = dipkg_calloc(n + 1, 1);
  if (!starts || !opens || !closes) {
    c->oom = true;
    goto out;
  }
  // A value starts at each token that does not continue a literal
  // ("x"@en, "x"^^<dt>).
  size_t m = 0;
  for (size_t k = at + 3; k < close && m < n; k++)
    if (!continues_value(c, k))
      starts[m++] = k;
  if (m >= 2) {  // the root needs no parentheses of its own: FILTER's
    balance(opens, closes, 0, m / 2);
    balance(opens, closes, m / 2, m);
  }
  dipkg_checker_replace(c, at, "FILTER (");
  dipkg_checker_replace(c, at + 1, "");
  dipkg_checker_replace(c, at + 2, "");
  for (size_t j = 0; j < m; j++) {
    size_t last = (j + 1 < m ? starts[j + 1] : close) - 1;
    if (j)
      dipkg_checker_insert(c, starts[j], " || ");
    for (unsigned k = 0; k < opens[j]; k++)
      dipkg_checker_insert(c, starts[j], "(");
    dipkg_checker_insert(c, starts[j], "sameTerm(");
    dipkg_checker_insert(c, starts[j], var);
    dipkg_checker_insert(c, starts[j], ", ");
    char tail[300];  // ")" and a ")" per subtree closed: at most 65
    size_t t = 0;
    tail[t++] = ')';
    for (unsigned k = 0; k < closes[j] && t + 1 < sizeof tail; k++)
      tail[t++] = ')';
    tail[t] = '\0';
    append_after(c, last, tail);
  }
  dipkg_checker_replace(c, close, ")");
out:
  dipkg_free(starts);
  dipkg_free(opens);
  dipkg_free(closes);
}

/* Whether the terms at tokens a and b (one token each) certainly name
 * different RDF terms: two full IRIs, two prefixed names with the same
 * prefix, two plain strings with the same quotes, or two plain integers,
 * written differently (and without escapes, which could spell one term
 * two ways). */
static bool
certainly_different(const DipkgChecker *c, size_t a, size_t b)
{
  const DipkgTok *x = &c->t[a], *y = &c->t[b];
  const char *p = c->s + x->start, *q = c->s + y->start;
  if (x->kind != y->kind || memchr(p, '\\', x->len) || memchr(q, '\\', y->len))
    return false;
  bool differ = x->len != y->len || memcmp(p, q, x->len);
  switch (x->kind) {
  case T_IRI:
    return differ;
  case T_PNAME: {
    const char *cp = memchr(p, ':', x->len), *cq = memchr(q, ':', y->len);
    return differ && cp && cq && cp - p == cq - q &&
           !memcmp(p, q, (size_t)(cp - p)) && !memchr(p, '%', x->len) &&
           !memchr(q, '%', y->len) && memcmp(p, "_:", 2);
  }
  case T_STRING:
    return differ && p[0] == q[0] && x->len > 1 && y->len > 1 && p[1] != p[0] &&
           q[1] != q[0] &&  // not long strings
           !kind(c, a + 1, T_LANG) && !is(c, a + 1, "^^") &&
           !kind(c, b + 1, T_LANG) && !is(c, b + 1, "^^");
  case T_NUMBER:
    for (size_t k = 0; k < x->len; k++)
      if (p[k] < '0' || p[k] > '9' || (k == 0 && p[k] == '0' && x->len > 1))
        return false;
    for (size_t k = 0; k < y->len; k++)
      if (q[k] < '0' || q[k] > '9' || (k == 0 && q[k] == '0' && y->len > 1))
        return false;
    return differ;
  default:
    return false;
  }
}

/* One row of a VALUES block: for each variable of the head, the first
 * token of its value and the token after it (first == end: UNDEF). */
typedef struct ValuesCell {
  size_t first, end;
} ValuesCell;

/* Appends the condition of rows [lo, hi) of `cells` (`nv` per row) to
 * `b`: a balanced tree of ||, each row a conjunction of sameTerm. */
static void
values_condition(const DipkgChecker *c, const size_t *heads, size_t nv,
                 const ValuesCell *cells, size_t lo, size_t hi, DipkgBuf *b)
{
  if (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    dipkg_buf_puts(b, "(");
    values_condition(c, heads, nv, cells, lo, mid, b);
    dipkg_buf_puts(b, " || ");
    values_condition(c, heads, nv, cells, mid, hi, b);
    dipkg_buf_puts(b, ")");
    return;
  }
  size_t terms = 0;
  dipkg_buf_puts(b, "(");
  for (size_t v = 0; v < nv; v++) {
    const ValuesCell *cell = &cells[lo * nv + v];
    if (cell->first == cell->end)
      continue;
    dipkg_buf_printf(b, "%ssameTerm(%.*s, ", terms++ ? " && " : "",
                     (int)c->t[heads[v]].len, c->s + c->t[heads[v]].start);
    for (size_t k = cell->first; k < cell->end; k++)
      dipkg_buf_append(b, c->s + c->t[k].start, c->t[k].len);
    dipkg_buf_puts(b, ")");
  }
  dipkg_buf_puts(b, terms ? ")" : "true)");
}

/* Whether variable token v occurs anywhere in the block [open, close]. */
static bool
var_in_block(const DipkgChecker *c, size_t open, size_t close, size_t v)
{
  for (size_t k = open + 1; k < close; k++)
    if (k != v && same_var(c, k, v))
      return true;
  return false;
}

static size_t where_group(const DipkgChecker *c);

/* The '{' of the WHERE clause of the (sub)query whose SELECT is at token
 * `select`, or c->n. */
static size_t
where_group_of(const DipkgChecker *c, size_t select)
{
  size_t i = select;
  while (i < c->n && !is(c, i, "{"))
    i++;
  return i;
}

/* VALUES at token i (its data block closed at `close`) that dipkg turns
 * into a FILTER: a VALUES after a (sub)query's WHERE block (`post`, which
 * crashes rasqal 0.9.33), or one over several variables (wrong rows in
 * rasqal).  The VALUES joins with the group g (the WHERE block when
 * `post`).  A variable every pattern of g certainly binds: the join keeps
 * the solutions whose value is one of a row's, FILTER (sameTerm(?v, a) &&
 * ... || ...), once each when no two rows can match one solution.  A
 * variable g does not mention at all, with a single row: BIND (a AS ?v).
 * Anything else is refused. */
static void
values_rewrite(DipkgChecker *c, size_t i, size_t close, size_t g, bool post,
               const bool *in_values)
{
  size_t heads[64], nv = 0;
  size_t k = i + 1;
  if (is(c, k, "(")) {
    for (k++; k < close && kind(c, k, T_VAR) && nv < 64; k++)
      heads[nv++] = k;
    if (!is(c, k, ")"))
      return;  // rasqal reports the syntax error (or more than 64)
    k++;
  } else if (kind(c, k, T_VAR)) {
    heads[nv++] = k++;
  } else {
    return;  // rasqal reports the syntax error
  }
  if (!is(c, k, "{") || dipkg_checker_matching(c, k) != close || g >= c->n)
    return;
  size_t gclose = dipkg_checker_matching(c, g);
  if (gclose >= c->n)
    return;
  // The rows.
  size_t nrows = 0, cap = 0;
  ValuesCell *cells = NULL;
  bool paren = is(c, i + 1, "(");
  for (size_t m = k + 1; m < close;) {
    if (nrows == cap) {
      size_t ncap = cap ? 2 * cap : 8;
      ValuesCell *n = dipkg_realloc(cells, ncap * (nv ? nv : 1) * sizeof *n);
      if (!n) {
        c->oom = true;
        dipkg_free(cells);
        return;
      }
      cells = n, cap = ncap;
    }
    size_t row = nrows++;
    if (paren) {
      if (!is(c, m, "("))
        goto arity;
      m++;
    }
    for (size_t v = 0; v < nv; v++) {
      if (m >= close || is(c, m, ")"))
        goto arity;
      ValuesCell *cell = &cells[row * nv + v];
      cell->first = m;
      if (is(c, m, "UNDEF")) {
        cell->end = ++m;
        cell->first = cell->end;
        continue;
      }
      m++;
      if (kind(c, m, T_LANG))
        m++;
      else if (is(c, m, "^^"))
        m += 2;
      cell->end = m;
    }
    if (paren) {
      if (!is(c, m, ")"))
        goto arity;
      m++;
    }
  }
  // Each variable: certainly bound by g, or not in g at all (one row).
  bool bind[64] = {false};
  for (size_t v = 0; v < nv; v++) {
    bool all_undef = true;
    for (size_t r = 0; r < nrows; r++)
      all_undef &= cells[r * nv + v].first == cells[r * nv + v].end;
    if (all_undef)
      continue;
    if (certainly_bound(c, g, post ? gclose : i, heads[v], in_values) ||
        (!post && certainly_bound(c, close, gclose, heads[v], in_values)))
      continue;
    if (nrows == 1 && !var_in_block(c, g, gclose, heads[v]) &&
        cells[v].first != cells[v].end) {
      bind[v] = true;
      continue;
    }
    REFUSE(c, heads[v],
           "VALUES over %.*s, which the patterns of the group may leave "
           "unbound (or bind only in an OPTIONAL or a UNION branch): "
           "rasqal 0.9.33 gives wrong rows for such VALUES, and dipkg's "
           "rewrite into FILTER (sameTerm(%.*s, ...)) needs the variable "
           "bound; bind it in the group itself, or give one value per "
           "query (--bind)",
           (int)c->t[heads[v]].len, c->s + c->t[heads[v]].start,
           (int)c->t[heads[v]].len, c->s + c->t[heads[v]].start);
    goto out;
  }
  // Rows that one solution could match both of would each give it.
  for (size_t r = 0; r < nrows; r++)
    for (size_t s = r + 1; s < nrows; s++) {
      bool exclusive = false;
      for (size_t v = 0; v < nv && !exclusive; v++) {
        const ValuesCell *a = &cells[r * nv + v], *b = &cells[s * nv + v];
        exclusive = a->first != a->end && b->first != b->end &&
                    a->end == a->first + 1 && b->end == b->first + 1 &&
                    certainly_different(c, a->first, b->first);
      }
      if (!exclusive) {
        REFUSE(c, i,
               "rows %zu and %zu of this VALUES may both match one solution "
               "(UNDEF, or one term written two ways): SPARQL then gives "
               "the solution once per row, dipkg's rewrite into a FILTER "
               "once; write a UNION of one group per row, { ... FILTER "
               "(sameTerm(?v, a)) } UNION { ... FILTER (sameTerm(?v, b)) }",
               r + 1, s + 1);
        goto out;
      }
    }
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, " FILTER ");
  if (nrows)
    values_condition(c, heads, nv, cells, 0, nrows, &b);
  else
    dipkg_buf_puts(&b, "(false)");
  for (size_t v = 0; v < nv; v++)
    if (bind[v]) {
      dipkg_buf_puts(&b, " BIND (");
      for (size_t m = cells[v].first; m < cells[v].end; m++)
        dipkg_buf_append(&b, c->s + c->t[m].start, c->t[m].len);
      dipkg_buf_printf(&b, " AS %.*s)", (int)c->t[heads[v]].len,
                       c->s + c->t[heads[v]].start);
    }
  dipkg_buf_puts(&b, " ");
  const char *text = dipkg_buf_cstr(&b);
  c->oom |= b.oom || !text;
  if (!c->oom) {
    // In the group: the FILTER in place of the VALUES.  After the query:
    // at the end of its WHERE block, the VALUES blanked.
    if (post) {
      dipkg_checker_insert(c, gclose, text);
      for (size_t m = i; m <= close; m++)
        dipkg_checker_replace(c, m, "");
    } else {
      for (size_t m = i; m <= close; m++)
        dipkg_checker_replace(c, m, m == i ? text : "");
    }
  }
  dipkg_buf_free(&b);
  goto out;
arity:
  REFUSE(c, i,
         "row %zu of this VALUES does not have one value (or UNDEF) per "
         "variable (%zu): SPARQL forbids it",
         nrows, nv);
out:
  dipkg_free(cells);
}

/* VALUES.  rasqal 0.9.33 crashes on a VALUES clause after the query, and
 * returns wrong rows for VALUES over a variable no triple pattern binds, or
 * with more than one row.  Refused, except one variable with several
 * values: rewritten into FILTER(?v IN (...)), which is the same when the
 * patterns bind ?v. */
static void
check_values(DipkgChecker *c)
{
  const bool *in_values = c->in_values;
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
    // After a (sub)query's WHERE block: its SELECT, and the data block.
    size_t e = depth == 0 ? c->n : enclosing_group(c, i), select = c->n;
    if (depth == 0 && seen_group)
      for (select = 0; select < i && !is(c, select, "SELECT") &&
                       !is(c, select, "ASK") && !is(c, select, "CONSTRUCT");)
        select++;
    else if (e < c->n && is(c, e + 1, "SELECT"))
      select = e + 1;
    size_t data =
      is(c, i + 1, "(") ? dipkg_checker_matching(c, i + 1) + 1 : i + 2;
    size_t close = is(c, data, "{") ? dipkg_checker_matching(c, data) : c->n;
    if (close >= c->n)
      continue;  // rasqal reports the syntax error
    if (select < i) {
      bool grouped = false;
      for (size_t k = select; k < i && !grouped; k++)
        if ((is(c, k, "GROUP") && is(c, k + 1, "BY")) ||
            dipkg_checker_is_aggregate(c, k)) {
          grouped = true;
          REFUSE(c, i,
                 "a VALUES clause after a query with GROUP BY or an "
                 "aggregate crashes rasqal 0.9.33; filter the groups with "
                 "HAVING (sameTerm(?v, a) || ...) instead");
        }
      if (!grouped)
        values_rewrite(c, i, close,
                       is(c, select, "CONSTRUCT") ? where_group(c)
                                                  : where_group_of(c, select),
                       true, in_values);
      continue;
    }
    if (is(c, i + 1, "(")) {
      values_rewrite(c, i, close, enclosing_group(c, i), false, in_values);
      continue;
    }
    if (!kind(c, i + 1, T_VAR) || !is(c, i + 2, "{"))
      continue;  // rasqal reports the syntax error
    if (!var_in_pattern(c, i + 1, in_values)) {
      REFUSE(c, i + 1,
             "VALUES binds %.*s, which no triple pattern uses: rasqal 0.9.33 "
             "returns wrong rows or crashes for such VALUES; bind only "
             "variables the patterns use",
             (int)c->t[i + 1].len, c->s + c->t[i + 1].start);
      continue;
    }
    // The values: a value starts at each token that does not continue a
    // literal ("x"@en, "x"^^<dt>).
    size_t values = 0;
    for (size_t k = i + 3; k < close; k++) {
      if (is(c, k, "UNDEF")) {
        REFUSE(c, k,
               "UNDEF in VALUES is not supported (rasqal 0.9.33 gives "
               "wrong rows); use OPTIONAL for a value that may be "
               "missing");
        return;
      }
      values += !continues_value(c, k);
    }
    if (values == 1 && (kind(c, i + 3, T_IRI) || kind(c, i + 3, T_PNAME)))
      inline_value(c, i, in_values);
    if (values <= 1)
      continue;  // a single value: rasqal gets that right
    // Bound by the patterns of the group, before or after the VALUES (whose
    // own mention of the variable does not count).
    size_t g = enclosing_group(c, i);
    bool bound =
      g < c->n && (certainly_bound(c, g, i, i + 1, in_values) ||
                   certainly_bound(c, close, dipkg_checker_matching(c, g),
                                   i + 1, in_values));
    if (!bound) {
      REFUSE(c, i + 1,
             "VALUES with several values over %.*s, which may be unbound "
             "(bound only in an OPTIONAL or a UNION branch): rasqal 0.9.33 "
             "gives wrong rows for VALUES with several values, and dipkg's "
             "rewrite needs the variable bound; bind it in the group itself, "
             "or give one value per query (--bind)",
             (int)c->t[i + 1].len, c->s + c->t[i + 1].start);
      continue;
    }
    // FILTER (sameTerm(?v, a) || sameTerm(?v, b) ...): VALUES joins on RDF
    // terms, so sameTerm, not = or IN (which would match 2.0 for 2).
    char var[160];
    snprintf(var, sizeof var, "%.*s", (int)c->t[i + 1].len,
             c->s + c->t[i + 1].start);
    values_filter(c, i, close, values, var);
  }
}

/* Subqueries: a SELECT inside braces with GROUP BY or aggregates gives
 * wrong results. */
static void
check_subqueries(DipkgChecker *c)
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
    } else if (is(c, i, "SELECT") && depth > 0) {
      REFUSE(c, i,
             "a subquery inside a subquery gives wrong results in "
             "rasqal 0.9.33 (it shows the inner variables); write one "
             "level of subquery");
      sub_depth = -1;
    } else if (sub_depth >= 0 && (is(c, i, "LIMIT") || is(c, i, "OFFSET"))) {
      REFUSE(c, i,
             "a subquery with LIMIT or OFFSET joined to other patterns "
             "gives wrong rows in rasqal 0.9.33 (it is cut before the "
             "join); run the subquery as a query of its own");
      sub_depth = -1;
    } else if (sub_depth >= 0 && ((is(c, i, "GROUP") && is(c, i + 1, "BY")) ||
                                  dipkg_checker_is_aggregate(c, i))) {
      REFUSE(c, i,
             "a subquery with GROUP BY or an aggregate gives wrong "
             "results in rasqal 0.9.33; aggregate in the outer query "
             "instead, or run the subquery on its own");
      sub_depth = -1;
    }
  }
}

/* Aggregates over DISTINCT values with GROUP BY, which rasqal 0.9.33 counts
 * wrongly (check_aggregate_distinct): when every aggregate of the query is
 * over DISTINCT values of one variable ?x (or COUNT(DISTINCT *)), GROUP BY
 * lists variables only, and the WHERE group holds no subquery, the query
 * becomes the subquery that selects the distinct values first:
 *   SELECT ?g (COUNT(DISTINCT ?x) AS ?n) WHERE { ... } GROUP BY ?g
 *   SELECT ?g (COUNT(?x) AS ?n) WHERE { { SELECT DISTINCT ?g ?x WHERE {
 *   ... } } } GROUP BY ?g
 * the same groups, each over its distinct values (an unbound ?x is one
 * row of its group, which the aggregate skips as before).  Runs after
 * every other rewrite of the WHERE group, whose edits it encloses.  True
 * when the query can be rewritten; `apply`: rewrites it too. */
static bool
aggregate_distinct_subquery(DipkgChecker *c, bool apply)
{
  size_t select = 0;
  while (select < c->n && !is(c, select, "SELECT"))
    select++;
  size_t open = where_group(c);
  if (select >= c->n || open >= c->n)
    return false;
  size_t close = dipkg_checker_matching(c, open);
  if (close >= c->n || !is(c, close + 1, "GROUP") || !is(c, close + 2, "BY"))
    return false;
  // GROUP BY ?a ?b ..., then HAVING, ORDER BY, LIMIT, OFFSET or the end.
  size_t keys = close + 3, end = keys;
  while (kind(c, end, T_VAR))
    end++;
  if (end == keys ||
      (end < c->n && !is(c, end, "HAVING") && !is(c, end, "ORDER") &&
       !is(c, end, "LIMIT") && !is(c, end, "OFFSET")))
    return false;
  for (size_t k = open + 1; k < close; k++)
    if (is(c, k, "SELECT") || dipkg_checker_is_aggregate(c, k))
      return false;
  // Every aggregate: AGG(DISTINCT ?x) or AGG(DISTINCT ?x; SEPARATOR = ...)
  // over one ?x, or COUNT(DISTINCT *).
  size_t x = c->n, found = 0;
  for (size_t k = 0; k < c->n; k++) {
    if (!dipkg_checker_is_aggregate(c, k))
      continue;
    if (!is(c, k + 2, "DISTINCT") ||
        !(is(c, k + 4, ")") || is(c, k + 4, ";")) ||
        !(kind(c, k + 3, T_VAR) || (is(c, k, "COUNT") && is(c, k + 3, "*"))))
      return false;
    if (x < c->n &&
        !(is(c, x, "*") ? is(c, k + 3, "*") : same_var(c, x, k + 3)))
      return false;
    x = k + 3;
    found++;
  }
  if (!found)
    return false;
  // The first variable of the WHERE group's own patterns: check_grouping's
  // guard samples it, so the subquery must keep it.
  bool star = is(c, x, "*");
  int depth = 0, paren = 0;
  for (size_t k = open + 1; k < close && !star; k++) {
    depth += is(c, k, "{") - is(c, k, "}");
    paren += is(c, k, "(") - is(c, k, ")");
    if (is(c, k, "VALUES") || is(c, k, "UNION") || is(c, k, "OPTIONAL") ||
        is(c, k, "MINUS"))
      break;
    if (!depth && !paren && kind(c, k, T_VAR)) {
      bool kept = same_var(c, x, k);
      for (size_t g = keys; g < end; g++)
        kept = kept || same_var(c, g, k);
      if (!kept)
        return false;
      break;
    }
  }
  if (!apply)
    return true;
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, " { SELECT DISTINCT");
  if (star)
    dipkg_buf_puts(&b, " *");
  for (size_t g = keys; g < end && !star; g++)
    dipkg_buf_printf(&b, " %.*s", (int)c->t[g].len, c->s + c->t[g].start);
  bool listed = star;
  for (size_t g = keys; g < end; g++)
    listed = listed || same_var(c, g, x);
  if (!listed)
    dipkg_buf_printf(&b, " %.*s", (int)c->t[x].len, c->s + c->t[x].start);
  dipkg_buf_puts(&b, " WHERE {");
  const char *text = dipkg_buf_cstr(&b);
  c->oom |= b.oom || !text;
  if (!c->oom) {
    append_after(c, open, text);
    dipkg_checker_insert(c, close, " } } ");
    for (size_t k = 0; k < c->n; k++)
      if (dipkg_checker_is_aggregate(c, k))
        dipkg_checker_blank(c, k + 2);
  }
  dipkg_buf_free(&b);
  return !c->oom;
}

static void
rewrite_aggregate_distinct(DipkgChecker *c)
{
  if (!c->failed)
    aggregate_distinct_subquery(c, true);
}

/* COUNT(DISTINCT ...) and the other aggregates over DISTINCT values count
 * wrongly with GROUP BY in rasqal 0.9.33 (values seen in one group leak into
 * others): rewritten into the subquery that does the same correctly
 * (rewrite_aggregate_distinct), or refused with it. */
static void
check_aggregate_distinct(DipkgChecker *c)
{
  bool grouped = false;
  for (size_t i = 0; i + 1 < c->n && !grouped; i++)
    grouped = is(c, i, "GROUP") && is(c, i + 1, "BY");
  if (!grouped || aggregate_distinct_subquery(c, false))
    return;
  for (size_t i = 0; i + 2 < c->n; i++)
    if (dipkg_checker_is_aggregate(c, i) && is(c, i + 2, "DISTINCT"))
      REFUSE(
        c, i + 2,
        "%.*s(DISTINCT ...) with GROUP BY counts wrongly in rasqal 0.9.33; "
        "select the distinct values in a subquery first: SELECT ?g "
        "(COUNT(?x) AS ?n) WHERE { { SELECT DISTINCT ?g ?x WHERE { ... } } "
        "} GROUP BY ?g",
        (int)c->t[i].len, c->s + c->t[i].start);
}

/* The '{' of the query's WHERE clause (the first group after SELECT, ASK
 * or CONSTRUCT's template), or c->n. */
static size_t
where_group(const DipkgChecker *c)
{
  size_t i = 0;
  while (i < c->n && !is(c, i, "SELECT") && !is(c, i, "ASK") &&
         !is(c, i, "CONSTRUCT"))
    i++;
  if (is(c, i, "CONSTRUCT") && is(c, i + 1, "{"))
    i = dipkg_checker_matching(c, i + 1);
  while (i < c->n && !is(c, i, "{"))
    i++;
  return i;
}

/* COUNT.  rasqal 0.9.33 counts every row for COUNT(?v), bound or not:
 * COUNT(?v) is COUNT(*).  It becomes SUM(IF(BOUND(?v), 1, 0)), the same
 * by definition.  COUNT(DISTINCT ?v) counts an unbound ?v as one more
 * value, and two aggregates over DISTINCT values in one query share the
 * values they have seen (the second comes out as the first): refused
 * unless ?v is certainly bound, and refused in pairs. */
static void
check_count(DipkgChecker *c)
{
  const bool *in_values = c->in_values;
  size_t where = where_group(c);
  size_t end = where < c->n ? dipkg_checker_matching(c, where) : c->n;
  bool distinct_seen = false;
  for (size_t i = 0; i + 3 < c->n; i++) {
    if (!dipkg_checker_is_aggregate(c, i))
      continue;
    if (is(c, i + 2, "DISTINCT")) {
      if (distinct_seen) {
        REFUSE(c, i + 2,
               "a second aggregate over DISTINCT values in one "
               "query takes the first one's values in rasqal "
               "0.9.33; compute each in a query of its own");
        continue;
      }
      distinct_seen = true;
      if (is(c, i, "COUNT") && kind(c, i + 3, T_VAR) && is(c, i + 4, ")") &&
          (end >= c->n || !certainly_bound(c, where, end, i + 3, in_values)))
        REFUSE(c, i + 3,
               "COUNT(DISTINCT %.*s) counts an unbound %.*s as a value in "
               "rasqal 0.9.33, and %.*s may be unbound here; select the "
               "distinct values with FILTER (BOUND(%.*s)) in a subquery, "
               "then COUNT them",
               (int)c->t[i + 3].len, c->s + c->t[i + 3].start,
               (int)c->t[i + 3].len, c->s + c->t[i + 3].start,
               (int)c->t[i + 3].len, c->s + c->t[i + 3].start,
               (int)c->t[i + 3].len, c->s + c->t[i + 3].start);
      continue;
    }
    if (is(c, i, "COUNT") && kind(c, i + 2, T_VAR) && is(c, i + 3, ")")) {
      char sum[160];
      snprintf(sum, sizeof sum, "IF(BOUND(%.*s), 1, 0)", (int)c->t[i + 2].len,
               c->s + c->t[i + 2].start);
      dipkg_checker_replace(c, i, "SUM");
      dipkg_checker_replace(c, i + 2, sum);
    }
  }
}

/* Whether tokens [a, a + n) and [b, b + n) are the same text (keywords
 * in any case). */
static bool
same_tokens(const DipkgChecker *c, size_t a, size_t b, size_t n)
{
  for (size_t k = 0; k < n; k++) {
    const DipkgTok *x = &c->t[a + k], *y = &c->t[b + k];
    if (x->len != y->len ||
        strncasecmp(c->s + x->start, c->s + y->start, x->len))
      return false;
  }
  return true;
}

/* The aggregate function token i calls as rasqal runs it: COUNT(?v)
 * becomes SUM (check_count).  NULL when token i calls none. */
static const char *
aggregate_run(const DipkgChecker *c, size_t i)
{
  static const char *const names[] = {"COUNT", "SUM",    "AVG",         "MIN",
                                      "MAX",   "SAMPLE", "GROUP_CONCAT"};
  if (!dipkg_checker_is_aggregate(c, i))
    return NULL;
  if (is(c, i, "COUNT") && kind(c, i + 2, T_VAR) && is(c, i + 3, ")"))
    return "SUM";
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (is(c, i, names[k]))
      return names[k];
  return NULL;
}

/* Whether the query calls aggregate `name` (as rasqal runs it). */
static bool
calls_aggregate(const DipkgChecker *c, const char *name)
{
  for (size_t i = 0; i < c->n; i++) {
    const char *f = aggregate_run(c, i);
    if (f && !strcmp(f, name))
      return true;
  }
  return false;
}

/* rasqal 0.9.33 answers every call of one aggregate function in a query
 * with the value of its first: (SUM(?a) AS ?x) (SUM(?b) AS ?y) gives ?y
 * the sum of ?a, (SAMPLE(?a) ...) (SAMPLE(?b) ...) both a sample of ?a.
 * Two calls of one function (COUNT(?v) is a SUM once check_count has
 * rewritten it) with different arguments are refused. */
static void
check_same_aggregates(DipkgChecker *c)
{
  for (size_t i = 0; i < c->n; i++) {
    const char *f = aggregate_run(c, i);
    size_t end = f ? dipkg_checker_matching(c, i + 1) : c->n;
    if (end >= c->n)
      continue;
    for (size_t k = end + 1; k < c->n; k++) {
      const char *g = aggregate_run(c, k);
      size_t kend = g ? dipkg_checker_matching(c, k + 1) : c->n;
      if (!g || strcmp(f, g) || kend >= c->n)
        continue;
      if (kend - k == end - i && same_tokens(c, i + 1, k + 1, end - i))
        continue;  // the same call again: the same value
      if (is(c, i + 2, "DISTINCT") && is(c, k + 2, "DISTINCT"))
        continue;  // refused by check_count already
      REFUSE(c, k,
             "a second %s with other arguments is answered with the first "
             "one's value by rasqal 0.9.33 (every %s of a query gets one "
             "value); compute each in a query of its own%s",
             f, f,
             strcmp(f, "SUM") ? ""
                              : " (COUNT(?v) runs as SUM(IF(BOUND(?v), 1, "
                                "0)), so it counts as a SUM here)");
      return;
    }
  }
}

/* HAVING.  rasqal 0.9.33 fails at run time ("Aggregate expressions cannot
 * be evaluated in a general scalar expression") on an aggregate in HAVING
 * that the SELECT clause does not project: the SELECT clause gets it as a
 * hidden column, (AGG(...) AS ?having__dipkgN), as edited by the checks
 * before (COUNT(?v) by check_count). */
static void
check_having(DipkgChecker *c)
{
  size_t where = where_group(c);
  for (size_t h = where; h < c->n; h++) {
    if (!is(c, h, "HAVING"))
      continue;
    for (size_t i = h + 1;
         i < c->n && !is(c, i, "ORDER") && !is(c, i, "LIMIT") &&
         !is(c, i, "OFFSET") && !is(c, i, "VALUES");
         i++) {
      if (!dipkg_checker_is_aggregate(c, i))
        continue;
      size_t len = dipkg_checker_matching(c, i + 1) + 1 - i;
      bool projected = false;
      for (size_t k = 0; k + len <= where && !projected; k++)
        projected = same_tokens(c, i, k, len);
      size_t at = 0;  // the end of the SELECT clause
      while (at < where && !is(c, at, "SELECT"))
        at++;
      while (at < where && !is(c, at, "FROM") && !is(c, at, "WHERE"))
        at++;
      if (!projected && where < c->n) {
        // A hidden column of the SELECT clause: (AGG(...) AS ?having__dipkgN).
        DipkgBuf b = DIPKG_BUF_INIT;
        dipkg_buf_puts(&b, "(");
        edited_range(c, i, i + len - 1, &b);
        dipkg_buf_printf(&b, " AS ?having" DIPKG_SPARQL_HELPER "%u) ",
                         ++c->copies);
        const char *text = dipkg_buf_cstr(&b);
        c->oom |= b.oom || !text;
        if (!c->oom)
          dipkg_checker_insert(c, at, text);
        dipkg_buf_free(&b);
      }
      i += len - 1;
    }
  }
}

/* OPTIONAL.  rasqal 0.9.33 evaluates OPTIONAL { ... } with the variables it
 * shares with the patterns before it unbound once those patterns move on
 * to their next row, and returns invented rows (docs/sparql.md shows one).
 * Each shared variable ?v is copied before the OPTIONAL, BIND(?v AS ?c),
 * and the OPTIONAL uses ?c: the join is the same, and rasqal keeps ?c
 * bound.  Shared variables that are not certainly bound there (bound only
 * by an earlier OPTIONAL or a UNION branch), and OPTIONAL inside OPTIONAL,
 * cannot be rewritten this way and are refused. */
static void
check_optionals(DipkgChecker *c)
{
  const bool *in_values = c->in_values;
  for (size_t i = 0; i < c->n; i++) {
    if (!is(c, i, "OPTIONAL") || !is(c, i + 1, "{"))
      continue;
    size_t open = i + 1, close = dipkg_checker_matching(c, open);
    if (close >= c->n)
      return;  // rasqal reports the syntax error
    for (size_t k = open + 1; k < close; k++)
      if (is(c, k, "OPTIONAL")) {
        REFUSE(c, k,
               "OPTIONAL inside OPTIONAL gives wrong rows in rasqal "
               "0.9.33; write the inner OPTIONAL after the outer one, "
               "or join its patterns into the outer one");
        return;
      }
    size_t g = enclosing_group(c, i);
    if (g >= c->n)
      continue;
    for (size_t v = open + 1; v < close; v++) {
      if (!kind(c, v, T_VAR) || c->repl[v])
        continue;
      // Shared: the variable occurs in the group before the OPTIONAL.
      bool shared = false;
      for (size_t k = g + 1; k < i && !shared; k++)
        shared = same_var(c, k, v);
      if (!shared)
        continue;
      if (!certainly_bound(c, g, i, v, in_values)) {
        REFUSE(c, v,
               "%.*s is shared with this OPTIONAL but may be unbound before it "
               "(bound only in an earlier OPTIONAL or a UNION branch): rasqal "
               "0.9.33 joins such variables wrongly; put the patterns that "
               "bind it in the same OPTIONAL",
               (int)c->t[v].len, c->s + c->t[v].start);
        continue;
      }
      char copy[128];
      snprintf(copy, sizeof copy, "?%.*s__dipkg%u", (int)(c->t[v].len - 1),
               c->s + c->t[v].start + 1, ++c->copies);
      char bind[300];
      snprintf(bind, sizeof bind, "BIND (%.*s AS %s) ", (int)c->t[v].len,
               c->s + c->t[v].start, copy);
      dipkg_checker_insert(c, i, bind);
      for (size_t k = open + 1; k < close; k++)
        if (same_var(c, k, v) && !c->repl[k])
          dipkg_checker_replace(c, k, copy);
    }
  }
}

/* Whether tokens (from, to) hold no group: only triple patterns and
 * expressions. */
static bool
flat_block(const DipkgChecker *c, size_t from, size_t to)
{
  for (size_t k = from + 1; k < to; k++)
    if (is(c, k, "{") || is(c, k, "}"))
      return false;
  return true;
}

/* Whether variable `v` occurs in a triple pattern of the group opened at g
 * itself or of a GRAPH block of it holding no group (not in another nested
 * group, an expression or a VALUES block) before token `at`: then the
 * patterns before the block bind it.  (A VALUES block may become a FILTER,
 * which binds nothing.) */
static bool
in_triple_before(const DipkgChecker *c, size_t g, size_t at, size_t v,
                 const bool *in_values)
{
  int braces = 0, parens = 0;
  for (size_t k = g + 1; k < at; k++) {
    if (braces == 0 && k >= 2 && is(c, k, "{") && is(c, k - 2, "GRAPH")) {
      // A GRAPH block of the group binds its variables as the group does.
      size_t close = dipkg_checker_matching(c, k);
      if (close < at && flat_block(c, k, close) &&
          in_triple_before(c, k, close, v, in_values))
        return true;
      k = close < at ? close : at;
    } else if (is(c, k, "{"))
      braces++;
    else if (is(c, k, "}"))
      braces--;
    else if (is(c, k, "("))
      parens++;
    else if (is(c, k, ")"))
      parens--;
    else if (braces == 0 && parens == 0 && !in_values[k] && same_var(c, k, v))
      return true;
  }
  return false;
}

/* The block [first, last] (a GRAPH block from its graph term, or the
 * branches of a UNION) in the group opened at g, before which text goes at
 * token `at`: each variable it shares with the triple patterns of the group
 * before it is copied there by a BIND and renamed in the block, as for
 * OPTIONAL. */
static void
copy_shared_vars(DipkgChecker *c, size_t g, size_t at, size_t first,
                 size_t last, const bool *in_values)
{
  for (size_t v = first; v < last; v++) {
    if (!kind(c, v, T_VAR) || c->repl[v])
      continue;
    if (!in_triple_before(c, g, at, v, in_values))
      continue;
    char copy[128];
    snprintf(copy, sizeof copy, "?%.*s__dipkg%u", (int)(c->t[v].len - 1),
             c->s + c->t[v].start + 1, ++c->copies);
    char bind[300];
    snprintf(bind, sizeof bind, "BIND (%.*s AS %s) ", (int)c->t[v].len,
             c->s + c->t[v].start, copy);
    dipkg_checker_insert(c, at, bind);
    for (size_t k = first; k < last; k++)
      if (same_var(c, k, v) && !c->repl[k])
        dipkg_checker_replace(c, k, copy);
  }
}

/* Whether no check has edited tokens [from, to] yet. */
static bool
unedited(const DipkgChecker *c, size_t from, size_t to)
{
  for (size_t k = from; k <= to && k < c->n; k++)
    if (c->repl[k] || c->ins[k].len)
      return false;
  return true;
}

/* GRAPH and UNION after patterns.  rasqal 0.9.33 joins a GRAPH block or
 * a UNION with the patterns before it in its group as it does an OPTIONAL:
 * once those patterns move on to their next row, the variables they share
 * with the block are unbound inside it, and rows are invented or lost
 * (`?a ex:p ?b . ?a ex:q ?c . GRAPH ?g { ?a ex:r ?d }` has rows for
 * subjects without ex:p; two `GRAPH ?g` blocks lose rows).  The same
 * rewrite as for OPTIONAL makes them right: each shared variable that the
 * patterns before certainly bind is copied by a BIND before the block and
 * renamed inside it, the graph variable included.  Blocks holding groups
 * (an OPTIONAL, a subquery, nested braces) are left alone.  A subquery
 * after patterns is joined the same wrong way (`?a ex:p ?b . { SELECT ?a
 * ?f { ?a ex:num ?f } }` pairs ?b with other subjects' ?f), and gets the
 * same rewrite: its variable renamed throughout the subquery. */
static void
check_joined_blocks(DipkgChecker *c)
{
  const bool *in_values = c->in_values;
  for (size_t i = 0; i < c->n; i++) {
    size_t at = i, first, last;
    if (is(c, i, "GRAPH") && i + 2 < c->n && is(c, i + 2, "{")) {
      first = i + 1;
      last = dipkg_checker_matching(c, i + 2);
      if (last >= c->n)
        return;  // rasqal reports the syntax error
      if (!flat_block(c, i + 2, last))
        continue;
    } else if (is(c, i, "{") && !in_values[i] &&
               !(i > 0 && is(c, i - 1, "UNION")) &&
               is(c, dipkg_checker_matching(c, i) + 1, "UNION")) {
      first = i;
      bool flat = true;
      for (size_t b = i;; b = last + 2) {
        last = dipkg_checker_matching(c, b);
        if (last >= c->n)
          return;
        flat = flat && flat_block(c, b, last);
        if (!is(c, last + 1, "UNION") || !is(c, last + 2, "{"))
          break;
      }
      if (!flat) {
        i = last;
        continue;
      }
    } else if (is(c, i, "{") && is(c, i + 1, "SELECT") && !in_values[i] &&
               !(i > 0 && is(c, i - 1, "UNION"))) {
      // A subquery: the same join (renaming a variable throughout the
      // subquery keeps its meaning), unless an earlier rewrite edited it.
      first = i;
      last = dipkg_checker_matching(c, i);
      if (last >= c->n)
        return;
      if (!unedited(c, first, last)) {
        i = last;
        continue;
      }
    } else {
      continue;
    }
    size_t g = enclosing_group(c, i);
    if (g < c->n)
      copy_shared_vars(c, g, at, first, last, in_values);
    i = last;
  }
}

/* BIND whose expression fails.  SPARQL keeps the solution and leaves the
 * variable unbound; rasqal 0.9.33 drops the solution (`?s ?p ?o BIND
 * (LANG(?s) AS ?l)` has no row).  COALESCE of the one expression is the
 * same value when it succeeds, and in rasqal an unbound value when it
 * fails: BIND (e AS ?v) runs as BIND (COALESCE(e) AS ?v), unless e is a
 * constant. */
static void
rewrite_bind_errors(DipkgChecker *c)
{
  for (size_t i = 0; i + 1 < c->n; i++) {
    if (!is(c, i, "BIND") || !is(c, i + 1, "(") || c->t[i].kind != T_WORD)
      continue;
    size_t end = dipkg_checker_matching(c, i + 1);
    if (end >= c->n || end < i + 5 || !kind(c, end - 1, T_VAR) ||
        !is(c, end - 2, "AS"))
      continue;  // rasqal reports the syntax error
    if (end == i + 5 && !kind(c, i + 2, T_VAR))
      continue;  // a constant (a --bind value is one): it cannot fail
    dipkg_checker_insert(c, i + 2, "COALESCE(");
    dipkg_checker_insert(c, end - 2, ") ");
  }
}

/* GRAPH and ground triples.  rasqal 0.9.33 checks a triple pattern without
 * variables against the whole store, whatever graph GRAPH names: GRAPH ?g
 * { <s> <p> <o> } matches every graph.  Each such pattern gets a helper
 * variable as object, tied to the object by a FILTER in the same group:
 * GRAPH ?g { <s> <p> ?o__dipkg1 FILTER (sameTerm(?o__dipkg1, <o>)) },
 * which rasqal looks up in the graph. */

/* The end (exclusive) of the RDF term starting at token k, or 0 when it is
 * not a plain term (a blank node property list, a collection). */
static size_t
term_end(const DipkgChecker *c, size_t k, size_t limit)
{
  if (k >= limit)
    return 0;
  switch (c->t[k].kind) {
  case T_VAR:
  case T_IRI:
  case T_PNAME:
  case T_NUMBER:
  case T_WORD:
    return k + 1;
  case T_STRING:
    if (kind(c, k + 1, T_LANG) && k + 1 < limit)
      return k + 2;
    if (is(c, k + 1, "^^") && k + 2 < limit)
      return k + 3;
    return k + 1;
  default:
    return 0;
  }
}

static bool
has_var(const DipkgChecker *c, size_t from, size_t to)
{
  for (size_t k = from; k < to; k++)
    if (kind(c, k, T_VAR))
      return true;
  return false;
}

/* Rewrites the ground triples of the block [open, close] (and of the
 * blocks in it). */
static void
ground_triples_in(DipkgChecker *c, size_t open, size_t close)
{
  size_t k = open + 1;
  while (k < close && !c->oom) {
    if (is(c, k, "{")) {
      size_t end = dipkg_checker_matching(c, k);
      if (end > close)
        return;
      ground_triples_in(c, k, end);
      k = end + 1;
    } else if (is(c, k, ".") || is(c, k, "OPTIONAL") || is(c, k, "UNION") ||
               is(c, k, "MINUS")) {
      k++;
    } else if (is(c, k, "GRAPH")) {
      k += 2;  // its name; its block is a block like any other here
    } else if (is(c, k, "FILTER") || is(c, k, "BIND")) {
      k++;
      if (kind(c, k, T_WORD) && is(c, k + 1, "("))
        k++;  // FILTER regex(...)
      if (!is(c, k, "("))
        return;
      k = dipkg_checker_matching(c, k) + 1;
    } else if (is(c, k, "VALUES")) {
      k++;
      k = is(c, k, "(") ? dipkg_checker_matching(c, k) + 1 : k + 1;
      if (!is(c, k, "{"))
        return;
      k = dipkg_checker_matching(c, k) + 1;
    } else {
      // subject predicate object (, object)* (; predicate object ...)*
      size_t s0 = k, s1 = term_end(c, k, close);
      if (!s1)
        return;  // a form this does not follow: leave the block as it is
      k = s1;
      for (;;) {
        size_t p0 = k, p1 = term_end(c, k, close);
        if (!p1)
          return;
        k = p1;
        for (;;) {
          size_t o0 = k, o1 = term_end(c, k, close);
          if (!o1)
            return;
          k = o1;
          if (!has_var(c, s0, s1) && !has_var(c, p0, p1) &&
              !has_var(c, o0, o1)) {
            DipkgBuf obj = DIPKG_BUF_INIT, filter = DIPKG_BUF_INIT;
            dipkg_buf_append(&obj, c->s + c->t[o0].start,
                             c->t[o1 - 1].start + c->t[o1 - 1].len -
                               c->t[o0].start);
            char var[64];
            snprintf(var, sizeof var, "?o" DIPKG_SPARQL_HELPER "%u",
                     ++c->copies);
            dipkg_buf_printf(&filter, " FILTER (sameTerm(%s, %.*s)) ", var,
                             (int)obj.len, obj.data);
            c->oom |= obj.oom || filter.oom;
            if (!c->oom) {
              dipkg_checker_replace(c, o0, var);
              for (size_t t = o0 + 1; t < o1; t++)
                dipkg_checker_replace(c, t, "");
              dipkg_checker_insert(c, close, dipkg_buf_cstr(&filter));
            }
            dipkg_buf_free(&obj);
            dipkg_buf_free(&filter);
          }
          if (!is(c, k, ","))
            break;
          k++;
        }
        if (!is(c, k, ";"))
          break;
        while (is(c, k, ";"))
          k++;
        if (k >= close || is(c, k, ".") || is(c, k, "}"))
          break;
      }
    }
  }
}

static void
check_graph_ground(DipkgChecker *c)
{
  for (size_t i = 0; i + 2 < c->n; i++) {
    if (!is(c, i, "GRAPH") || !is(c, i + 2, "{"))
      continue;
    size_t close = dipkg_checker_matching(c, i + 2);
    if (close >= c->n)
      return;
    ground_triples_in(c, i + 2, close);
    i = close;  // nested GRAPH blocks were handled with this one
  }
}

/* Index of the '{' that the '}' at `close` closes, or c->n. */
static size_t
opening(const DipkgChecker *c, size_t close)
{
  int depth = 0;
  for (size_t k = close + 1; k-- > 0;) {
    if (is(c, k, "}"))
      depth++;
    else if (is(c, k, "{") && --depth == 0)
      return k;
  }
  return c->n;
}

/* The edited text of tokens [from, to]: the key expression as rasqal will
 * see it, to be repeated in the rewritten key. */
static void
edited_range(const DipkgChecker *c, size_t from, size_t to, DipkgBuf *out)
{
  for (size_t k = from; k <= to; k++) {
    if (k > from) {  // what is inserted before the range is not part of it
      dipkg_buf_append(out, c->s + c->t[k - 1].start + c->t[k - 1].len,
                       c->t[k].start - c->t[k - 1].start - c->t[k - 1].len);
      dipkg_buf_append(out, c->ins[k].data, c->ins[k].len);
    }
    if (c->repl[k])
      dipkg_buf_puts(out, c->repl[k]);
    else
      dipkg_buf_append(out, c->s + c->t[k].start, c->t[k].len);
  }
}

/* Whether the key tokens [from, to] use a variable that occurs in the
 * group [g, close] but may be unbound there (it is bound only inside an
 * OPTIONAL, a UNION branch or another nested block). */
static bool
key_may_be_unbound(const DipkgChecker *c, size_t from, size_t to, size_t g,
                   size_t close, const bool *in_values)
{
  for (size_t v = from; v <= to; v++) {
    if (!kind(c, v, T_VAR))
      continue;
    bool occurs = false;
    for (size_t k = g + 1; k < close && !occurs; k++)
      occurs = same_var(c, k, v);
    if (occurs && !certainly_bound(c, g, close, v, in_values))
      return true;
  }
  return false;
}

/* ORDER BY.  In rasqal 0.9.33 a key that is unbound (or an error) in a row
 * ends the comparison of that row: the keys after it are ignored, so rows
 * come out in storage order; and DESC puts unbound rows first, where SPARQL
 * puts them last.  Each key over a variable that may be unbound becomes two
 * keys with the same order: whether it is bound, then its value with ""
 * in place of an unbound one (all unbound rows then tie, and the next key
 * decides):  ?v  ->  BOUND(?v) COALESCE(?v, "")  and an expression E
 * ->  COALESCE(sameTerm(E, E), false) COALESCE(E, ""). */
static void
check_order_by(DipkgChecker *c)
{
  const bool *in_values = c->in_values;
  for (size_t i = 0; i + 1 < c->n; i++) {
    if (!is(c, i, "ORDER") || !is(c, i + 1, "BY"))
      continue;
    size_t close = i;  // the '}' ending the WHERE group of this query
    while (close > 0 && !is(c, close, "}"))
      close--;
    size_t g = opening(c, close);
    if (g >= c->n)
      continue;
    size_t k = i + 2;
    while (k < c->n) {
      bool dir = (is(c, k, "ASC") || is(c, k, "DESC")) && is(c, k + 1, "(");
      size_t start = k, from, to,
             end;  // key [start, end]; expression [from, to]
      if (dir || is(c, k, "(")) {
        end = dipkg_checker_matching(c, dir ? k + 1 : k);
        from = dir ? k + 2 : k + 1;
        to = end - 1;
      } else if (kind(c, k, T_VAR)) {
        from = to = end = k;
      } else if ((kind(c, k, T_WORD) || kind(c, k, T_PNAME) ||
                  kind(c, k, T_IRI)) &&
                 is(c, k + 1, "(")) {
        from = k;
        to = end = dipkg_checker_matching(c, k + 1);
      } else {
        break;  // LIMIT, OFFSET, the end of a subquery, the end
      }
      if (end >= c->n || from > to)
        return;  // rasqal reports the syntax error
      k = end + 1;
      if (!key_may_be_unbound(c, from, to, g, close, in_values))
        continue;
      DipkgBuf e = DIPKG_BUF_INIT, first = DIPKG_BUF_INIT;
      edited_range(c, from, to, &e);
      const char *d = !dir ? "" : is(c, start, "ASC") ? "ASC" : "DESC";
      if (from == to && kind(c, from, T_VAR))
        dipkg_buf_printf(&first, "%s%sBOUND(%.*s)%s ", d, dir ? "(" : "",
                         (int)e.len, e.data, dir ? ")" : "");
      else
        dipkg_buf_printf(&first, "%s%sCOALESCE(sameTerm(%.*s, %.*s), false)%s ",
                         d, dir ? "(" : "", (int)e.len, e.data, (int)e.len,
                         e.data, dir ? ")" : "");
      c->oom |= e.oom || first.oom;
      if (!c->oom) {
        dipkg_checker_insert(c, start, dipkg_buf_cstr(&first));
        dipkg_checker_insert(c, from, "COALESCE(");
        append_after(c, to, ", \"\")");
      }
      dipkg_buf_free(&e);
      dipkg_buf_free(&first);
    }
  }
}

/* Safety, checked also under the raw policy: `dipkg query` reads, so
 * SPARQL Update is refused up front (rasqal failed on it with no reason);
 * SERVICE would make the engine send requests to any server named in the
 * query (to addresses of the host's network, for a query sent to a
 * server), so it is refused unless the policy allows it. */
static void
check_safety(DipkgChecker *c)
{
  const DipkgSparqlOptions *options = c->options;
  static const char *const updates[] = {"INSERT", "DELETE", "DROP", "LOAD",
                                        "CLEAR",  "CREATE", "ADD",  "MOVE",
                                        "COPY",   "WITH"};
  bool update = false;
  for (size_t i = 0; i < c->n; i++) {
    if (!kind(c, i, T_WORD))
      continue;
    for (size_t k = 0; !update && k < sizeof updates / sizeof *updates; k++)
      if (is(c, i, updates[k])) {
        REFUSE(c, i,
               "%s is SPARQL Update: dipkg query runs read-only queries; to "
               "change a store use dipkg load",
               updates[k]);
        update = true;  // one message: the rest is the same update
      }
    if (is(c, i, "SERVICE") && !options->allow_service)
      REFUSE(c, i,
             "SERVICE makes the query engine send a request to another "
             "server: refused unless allowed (--allow-service)");
  }
}

/* The dataset.  dipkg's default graph is the union of the loaded graphs
 * (the ontology left out unless --with-ontology), and its named graphs are
 * the loaded graphs; rasqal 0.9.33 over Redland ignores FROM and FROM
 * NAMED.  One FROM <g> (and no FROM NAMED, no GRAPH) is the same query as
 * its WHERE group inside GRAPH <g> { ... }, which is what runs; any other
 * FROM or FROM NAMED is refused. */
static void drop_dataset(DipkgChecker *c, DipkgSparql *out);

static void
check_dataset(DipkgChecker *c)
{
  DipkgSparql *out = c->out;
  if (c->options->dataset_given) {  // the protocol's dataset replaces it
    drop_dataset(c, out);
    return;
  }
  size_t from = c->n, n_from = 0, n_named = 0, by_name = c->n, by_var = c->n;
  bool graph = false;
  for (size_t i = 0; i < c->n; i++) {
    if (is(c, i, "GRAPH")) {
      graph = true;
      if (kind(c, i + 1, T_VAR))
        by_var = by_var < c->n ? by_var : i;
      else
        by_name = by_name < c->n ? by_name : i;
    }
    if (!is(c, i, "FROM"))
      continue;
    if (is(c, i + 1, "NAMED")) {
      n_named++;
      continue;
    }
    n_from++;
    if (from == c->n)
      from = i;
  }
  if (n_named)
    REFUSE(c, from < c->n ? from : 0,
           "FROM NAMED is not supported (rasqal 0.9.33 under Redland ignores "
           "it): the named graphs of a query are the loaded graphs; use "
           "GRAPH ?g { ... } FILTER (?g IN (<g1>, <g2>)), or GRAPH <g1> { ... "
           "}");
  else if (n_from > 1 || (n_from && graph))
    REFUSE(c, from,
           "FROM is supported once, in a query without GRAPH (rasqal 0.9.33 "
           "under Redland ignores it; dipkg runs the query inside GRAPH <g> { "
           "... }): for several graphs use GRAPH ?g { ... } FILTER (?g IN "
           "(<g1>, <g2>)) (a statement two graphs hold then comes once per "
           "graph)");
  else if (n_from == 1 &&
           (kind(c, from + 1, T_IRI) || kind(c, from + 1, T_PNAME))) {
    size_t open = where_group(c);
    size_t close = open < c->n ? dipkg_checker_matching(c, open) : c->n;
    if (close >= c->n)
      return;  // a syntax error: rasqal reports it
    DipkgBuf g = DIPKG_BUF_INIT;
    dipkg_buf_printf(&g, " GRAPH %.*s {", (int)c->t[from + 1].len,
                     c->s + c->t[from + 1].start);
    char *text = g.oom ? NULL : dipkg_buf_take(&g);
    dipkg_buf_free(&g);
    c->oom |= !text;
    if (text)
      append_after(c, open, text);
    dipkg_free(text);
    dipkg_checker_insert(c, close, "} ");
    dipkg_checker_replace(c, from, "");
    dipkg_checker_replace(c, from + 1, "");
    by_name = from;
  }
  if (by_name < c->n && by_var < c->n)
    REFUSE(c, by_var,
           "GRAPH ?g and GRAPH <iri> in one query are not supported: GRAPH "
           "?g ranges over the named graphs of the data (not the ontology "
           "graph, not the graphs of RDF files without graphs), which GRAPH "
           "<iri> can read; split the query in two, or use GRAPH ?g { ... } "
           "FILTER (?g = <iri>) for a named graph of the data");
  out->graph_by_name = by_name < c->n;
}

/* The dataset given apart from the query (the SPARQL 1.1 Protocol's
 * default-graph-uri and named-graph-uri) replaces the one its FROM and
 * FROM NAMED clauses describe (Protocol 2.1.4): the clauses go, and the
 * storage reads the given graphs (read_storage.c). */
static void
drop_dataset(DipkgChecker *c, DipkgSparql *out)
{
  for (size_t i = 0; i + 1 < c->n; i++) {
    // GRAPH <iri> over a graph outside the dataset must read nothing (the
    // engine lists the graphs a query names: query.c).
    if (is(c, i, "GRAPH") && !kind(c, i + 1, T_VAR))
      out->graph_by_name = true;
    if (!is(c, i, "FROM"))
      continue;
    size_t iri = is(c, i + 1, "NAMED") ? i + 2 : i + 1;
    if (iri >= c->n || !(kind(c, iri, T_IRI) || kind(c, iri, T_PNAME)))
      continue;  // a syntax error: rasqal reports it
    for (size_t k = i; k <= iri; k++)
      dipkg_checker_replace(c, k, "");
    i = iri;
  }
}

/* Whether variable token v is among the `n` variable tokens at `vars`. */
static bool
var_listed(const DipkgChecker *c, const size_t *vars, size_t n, size_t v)
{
  for (size_t k = 0; k < n; k++)
    if (same_var(c, vars[k], v))
      return true;
  return false;
}

/* Grouping, in the outermost SELECT (rasqal 0.9.33 accepts what SPARQL
 * forbids, and answers it wrongly): a projected variable that is neither
 * grouped nor inside an aggregate, SELECT * with GROUP BY, and a variable
 * projected twice are refused; GROUP BY (expr AS ?v), which rasqal does
 * not group by, becomes BIND (expr AS ?v) at the end of the WHERE group
 * and GROUP BY ?v, the same grouping. */
/* Variables every solution of a group binds: at most BOUND_MAX tokens. */
enum { BOUND_MAX = 32 };
typedef struct Bound {
  size_t v[BOUND_MAX];
  size_t n;
} Bound;

static bool
bound_has(const DipkgChecker *c, const Bound *b, size_t v)
{
  for (size_t k = 0; k < b->n; k++)
    if (same_var(c, b->v[k], v))
      return true;
  return false;
}

static void
bound_add(const DipkgChecker *c, Bound *b, size_t v)
{
  if (b->n < BOUND_MAX && !bound_has(c, b, v))
    b->v[b->n++] = v;
}

/* Whether variable token `v` is projected by the subquery whose SELECT is
 * token `select` and whose WHERE group opens at `open`. */
static bool
subquery_projects(const DipkgChecker *c, size_t select, size_t open, size_t v)
{
  int paren = 0;
  for (size_t i = select + 1; i < open; i++) {
    if (is(c, i, "*") && !paren)
      return true;
    paren += is(c, i, "(") - is(c, i, ")");
    if (!paren && kind(c, i, T_VAR) && same_var(c, i, v))
      return true;
  }
  return false;
}

/* Fills `b` with variables every solution of the group between braces
 * `open` and `close` binds, as far as the text shows it: those of its own
 * patterns at its top level (not in an expression or a VALUES clause,
 * whose UNDEF leaves a variable unbound), those of a nested plain group,
 * those every branch of a UNION binds, those of a GRAPH's group, and those
 * a subquery projects from such.  OPTIONAL and MINUS blocks add none, nor
 * does a BIND (an expression that fails leaves its variable unbound). */
static void
bound_in(const DipkgChecker *c, size_t open, size_t close, Bound *b,
         int depth_left)
{
  int paren = 0;
  for (size_t i = open + 1; i < close; i++) {
    if (is(c, i, "VALUES")) {
      size_t data = i + 1;
      while (data < close && !is(c, data, "{"))
        data++;
      i = data < close ? dipkg_checker_matching(c, data) : close;
    } else if (is(c, i, "(")) {
      paren++;
    } else if (is(c, i, ")")) {
      paren--;
    } else if (!paren && kind(c, i, T_VAR)) {
      bound_add(c, b, i);
    } else if (is(c, i, "{")) {
      size_t end = dipkg_checker_matching(c, i);
      if (end >= close)
        return;
      // A group joined in: a plain one, the first branch of a UNION, or
      // the group of a GRAPH (whose solutions bind its variables too).
      bool plain = !paren && (is(c, i - 1, "{") || is(c, i - 1, "}") ||
                              is(c, i - 1, ".") || is(c, i - 1, "UNION") ||
                              (i >= 2 && is(c, i - 2, "GRAPH")));
      if (plain && depth_left > 0 && !is(c, i - 1, "UNION")) {
        Bound in = {{0}, 0};
        if (is(c, i + 1, "SELECT")) {
          size_t where = i + 1;
          while (where < end && !is(c, where, "{"))
            where++;
          size_t wend = where < end ? dipkg_checker_matching(c, where) : end;
          if (wend < end)
            bound_in(c, where, wend, &in, depth_left - 1);
          for (size_t k = 0; k < in.n; k++)
            if (subquery_projects(c, i + 1, where, in.v[k]))
              bound_add(c, b, in.v[k]);
        } else {
          bound_in(c, i, end, &in, depth_left - 1);
          // a UNION chain: what every branch binds
          size_t at = end;
          while (in.n && is(c, at + 1, "UNION") && is(c, at + 2, "{")) {
            size_t next = dipkg_checker_matching(c, at + 2);
            if (next >= close) {
              in.n = 0;
              break;
            }
            Bound other = {{0}, 0};
            bound_in(c, at + 2, next, &other, depth_left - 1);
            size_t kept = 0;
            for (size_t k = 0; k < in.n; k++)
              if (bound_has(c, &other, in.v[k]))
                in.v[kept++] = in.v[k];
            in.n = kept;
            at = next;
          }
          end = at;
          for (size_t k = 0; k < in.n; k++)
            bound_add(c, b, in.v[k]);
        }
      }
      i = end;
    }
  }
}

/* A variable every solution of the group between `open` and `close`
 * binds, or c->n when the text does not show one. */
static size_t
bound_everywhere(const DipkgChecker *c, size_t open, size_t close)
{
  Bound b = {{0}, 0};
  bound_in(c, open, close, &b, 4);
  return b.n ? b.v[0] : c->n;
}

static void
check_grouping(DipkgChecker *c)
{
  DipkgSparql *out = c->out;
  size_t select = 0;
  while (select < c->n && !is(c, select, "SELECT"))
    select++;
  size_t open = where_group(c);
  if (select >= c->n || open >= c->n)
    return;
  size_t close = dipkg_checker_matching(c, open);
  if (close >= c->n)
    return;
  size_t group = close + 1;
  while (group + 1 < c->n && !(is(c, group, "GROUP") && is(c, group + 1, "BY")))
    group++;
  bool grouped = group + 1 < c->n;
  bool aggregates = false;
  for (size_t i = select; i < open; i++)
    aggregates |= dipkg_checker_is_aggregate(c, i);
  size_t *keys = dipkg_calloc(c->n + 1, sizeof *keys);
  size_t n_keys = 0;
  if (!keys) {
    c->oom = true;
    return;
  }
  // The GROUP BY keys; (expr AS ?v) moves into the WHERE group.
  for (size_t i = grouped ? group + 2 : c->n; i < c->n; i++) {
    if (is(c, i, "HAVING") || is(c, i, "ORDER") || is(c, i, "LIMIT") ||
        is(c, i, "OFFSET") || is(c, i, "VALUES") || is(c, i, "}"))
      break;
    if (kind(c, i, T_VAR)) {
      keys[n_keys++] = i;
      continue;
    }
    size_t end = is(c, i, "(") ? dipkg_checker_matching(c, i) : i;
    if (end >= c->n)
      break;
    bool optional = false;
    for (size_t k = open; k < close; k++)
      optional |= is(c, k, "OPTIONAL") || is(c, k, "UNION");
    if (end > i + 2 && is(c, end - 2, "AS") && kind(c, end - 1, T_VAR) &&
        optional) {
      REFUSE(c, i,
             "GROUP BY (expr AS ?v) over OPTIONAL or UNION groups wrongly in "
             "rasqal 0.9.33 (as a BIND, it drops the rows where expr fails); "
             "group by the variables expr reads, and compute expr in the "
             "SELECT clause");
      break;
    }
    if (end > i + 2 && is(c, end - 2, "AS") && kind(c, end - 1, T_VAR)) {
      DipkgBuf b = DIPKG_BUF_INIT;
      dipkg_buf_puts(&b, "BIND (");
      edited_range(c, i + 1, end - 3, &b);  // with the rewrites made (YEAR)
      dipkg_buf_printf(&b, " AS %.*s) ", (int)c->t[end - 1].len,
                       c->s + c->t[end - 1].start);
      char *text = b.oom ? NULL : dipkg_buf_take(&b);
      dipkg_buf_free(&b);
      if (!text) {
        c->oom = true;
        break;
      }
      dipkg_checker_insert(c, close, text);
      dipkg_free(text);
      keys[n_keys++] = end - 1;
      for (size_t k = i; k <= end; k++) {
        if (k == end - 1)
          continue;
        dipkg_free(c->repl[k]);  // the key's edits moved into the BIND
        c->repl[k] = dipkg_strdup("");
        c->oom |= !c->repl[k];
        if (k > i)
          c->ins[k].len = 0;
      }
      c->edits++;
    } else if (is(c, i, "(") || kind(c, i, T_WORD)) {
      REFUSE(c, i,
             "GROUP BY an expression without a name is not supported by "
             "rasqal 0.9.33: name it, GROUP BY (expr AS ?key), or BIND (expr "
             "AS ?key) in WHERE and GROUP BY ?key");
      break;
    }
    i = end;
  }
  // The projection.
  size_t *shown = dipkg_calloc(c->n + 1, sizeof *shown);
  size_t n_shown = 0;
  if (!shown) {
    dipkg_free(keys);
    c->oom = true;
    return;
  }
  if (is(c, select + 1, "*") ||
      (is(c, select + 2, "*") &&
       (is(c, select + 1, "DISTINCT") || is(c, select + 1, "REDUCED"))))
    for (size_t i = open + 1, end = open; i < close && !c->failed; i++) {
      if (is(c, i, "BIND") && is(c, i + 1, "("))
        end = dipkg_checker_matching(c, i + 1);  // the variables a BIND reads
      if (!kind(c, i, T_VAR) || i > end || is(c, i - 1, "AS"))
        continue;
      size_t uses = 0;
      for (size_t k = open + 1; k < close; k++)
        uses += same_var(c, k, i);
      if (uses == 1)
        REFUSE(c, i,
               "%.*s is used once, in an expression, and never bound: "
               "rasqal 0.9.33 shows it as a column of SELECT *; name the "
               "projected variables",
               (int)c->t[i].len, c->s + c->t[i].start);
    }
  for (size_t i = select + 1; i < open && !c->failed; i++) {
    if (is(c, i, "WHERE") || is(c, i, "FROM"))
      break;
    if (is(c, i, "AS") && kind(c, i + 1, T_VAR)) {
      if (var_listed(c, shown, n_shown, i + 1))
        REFUSE(c, i + 1,
               "%.*s is projected twice: give each expression its "
               "own name",
               (int)c->t[i + 1].len, c->s + c->t[i + 1].start);
      for (size_t k = open + 1; k < close && !c->failed; k++)
        if (same_var(c, k, i + 1) && !var_listed(c, keys, n_keys, k))
          REFUSE(c, i + 1,
                 "AS %.*s names a variable of the WHERE clause: SPARQL "
                 "forbids it (rasqal 0.9.33 answers); choose a new name",
                 (int)c->t[i + 1].len, c->s + c->t[i + 1].start);
      shown[n_shown++] = i + 1;
      i++;
      continue;
    }
    if (dipkg_checker_is_aggregate(c, i)) {
      i = dipkg_checker_matching(c, i + 1);
      continue;
    }
    if ((grouped || aggregates) && is(c, i, "*"))
      REFUSE(c, i,
             "SELECT * with GROUP BY or an aggregate is not SPARQL: "
             "name the grouped variables and the aggregates");
    if (!kind(c, i, T_VAR))
      continue;
    bool plain = is(c, i - 1, "SELECT") || is(c, i - 1, "DISTINCT") ||
                 is(c, i - 1, "REDUCED") || kind(c, i - 1, T_VAR) ||
                 is(c, i - 1, ")");
    if (plain && var_listed(c, shown, n_shown, i))
      REFUSE(c, i, "%.*s is projected twice", (int)c->t[i].len,
             c->s + c->t[i].start);
    if (plain)
      shown[n_shown++] = i;
    if ((grouped || aggregates) && !var_listed(c, keys, n_keys, i))
      REFUSE(c, i,
             "%.*s is neither grouped nor inside an aggregate: SPARQL "
             "forbids it (rasqal 0.9.33 answers it with a value from the "
             "group); add it to GROUP BY, or use SAMPLE(%.*s)",
             (int)c->t[i].len, c->s + c->t[i].start, (int)c->t[i].len,
             c->s + c->t[i].start);
  }
  dipkg_free(shown);
  dipkg_free(keys);
  // rasqal 0.9.33 answers GROUP BY over no solutions with one row (COUNT 1)
  // where SPARQL has none.  A guard column marks that row: the sample of a
  // variable bound in every solution is unbound only there, and
  // write_bindings (query.c) leaves the row out.  Such a variable: one the
  // group's own patterns have at its top level (a VALUES clause, whose
  // UNDEF leaves a variable unbound, is skipped; the variables of OPTIONAL,
  // MINUS and UNION blocks are below the top level), or one that every
  // branch of a UNION at the top level binds.  Without one the query is
  // refused (a BIND of a constant as the guard is no way out: rasqal
  // 0.9.33 leaves it unbound in rows of a UNION beside it).
  if (!grouped || c->failed)
    return;
  size_t var = bound_everywhere(c, open, close);
  if (var == c->n) {
    REFUSE(c, select,
           "GROUP BY over a group with no variable that every solution "
           "binds is not supported: rasqal 0.9.33 answers it with one row "
           "(COUNT 0) when nothing matches, where SPARQL has none; add a "
           "triple pattern to the group itself, or a variable every UNION "
           "branch binds");
    return;
  }
  // The guard's aggregate must be one the query does not call (see
  // check_same_aggregates): a SAMPLE, unbound over no solutions, or else a
  // count (or average) of the rows binding the variable, 0 over none (MIN
  // and MAX will not do: rasqal 0.9.33 leaves MAX of equal IRIs unbound).
  DipkgBuf b = DIPKG_BUF_INIT;
  if (!calls_aggregate(c, "SAMPLE")) {
    dipkg_buf_printf(&b, "(SAMPLE(%.*s) AS ?%s) ", (int)c->t[var].len,
                     c->s + c->t[var].start, DIPKG_SPARQL_GROUP_GUARD);
  } else if (!calls_aggregate(c, "SUM")) {
    dipkg_buf_printf(&b, "(SUM(IF(BOUND(%.*s), 1, 0)) AS ?%s) ",
                     (int)c->t[var].len, c->s + c->t[var].start,
                     DIPKG_SPARQL_GROUP_COUNT);
  } else if (!calls_aggregate(c, "AVG")) {
    dipkg_buf_printf(&b, "(AVG(IF(BOUND(%.*s), 1, 0)) AS ?%s) ",
                     (int)c->t[var].len, c->s + c->t[var].start,
                     DIPKG_SPARQL_GROUP_COUNT);
  } else {
    REFUSE(c, select,
           "a GROUP BY query calling SAMPLE, SUM (or COUNT(?v)) and AVG is "
           "not supported: rasqal 0.9.33 answers GROUP BY over no solutions "
           "with one row, and dipkg needs one of them to find that row; "
           "compute one of them in a query of its own");
    return;
  }
  char *text = b.oom ? NULL : dipkg_buf_take(&b);
  dipkg_buf_free(&b);
  size_t at = select + 1;
  while (at < open && !is(c, at, "WHERE"))
    at++;
  if (!text)
    c->oom = true;
  else
    dipkg_checker_insert(c, at, text);
  dipkg_free(text);
  out->group_guard = true;
}

/* BIND (... AS ?v) where the group has ?v in scope already before it, and
 * a blank node label used in two groups or in an expression: SPARQL
 * forbids these; rasqal 0.9.33 accepts them and answers. */
/* Whether the expression [from, to] of group g reads a variable that g
 * does not bind before `from` but the query binds outside g: SPARQL
 * evaluates the group on its own (the variable is unbound there), rasqal
 * 0.9.33 sees the outer value.  The variable's token, or c->n. */
static size_t
outer_var(const DipkgChecker *c, size_t g, size_t from, size_t to)
{
  size_t close = dipkg_checker_matching(c, g), where = where_group(c);
  for (size_t v = from; v <= to; v++) {
    if (!kind(c, v, T_VAR))
      continue;
    bool inside = false, outside = false;
    for (size_t k = g + 1; k < from && !inside; k++)
      inside = same_var(c, k, v);
    for (size_t k = where; k < c->n && !inside && !outside; k++)
      outside = (k < g || k > close) && same_var(c, k, v);
    if (!inside && outside)
      return v;
  }
  return c->n;
}

/* Whether group g is a nested group or a UNION branch (not the WHERE
 * group, an OPTIONAL, a GRAPH block, a subquery's). */
static bool
nested_group(const DipkgChecker *c, size_t g)
{
  if (g < 2 || g >= c->n || g == where_group(c) || is(c, g - 1, "OPTIONAL") ||
      is(c, g - 1, "MINUS") || is(c, g - 1, "WHERE") ||
      is(c, g - 1, "EXISTS") || is(c, g - 2, "GRAPH") ||
      is(c, g - 2, "SERVICE"))
    return false;
  for (size_t k = g; k-- > 0;) {  // a subquery's group: SELECT ... {
    if (is(c, k, "SELECT"))
      return false;
    if (is(c, k, "{") || is(c, k, "}") || is(c, k, "."))
      break;
  }
  return true;
}

static void
check_scope(DipkgChecker *c)
{
  for (size_t i = 0; i < c->n && !c->failed; i++) {
    if ((is(c, i, "BIND") || is(c, i, "FILTER")) && c->t[i].kind == T_WORD) {
      size_t g = enclosing_group(c, i);
      size_t open = is(c, i + 1, "(") ? i + 1 : i + 2;
      size_t end = dipkg_checker_matching(c, open);
      size_t to = end;  // a BIND's own variable is not read
      if (is(c, i, "BIND") && end >= i + 3 && is(c, end - 2, "AS"))
        to = end - 3;
      // rasqal scopes a FILTER in a nested group right, but for a group
      // that is the whole of an OPTIONAL (OPTIONAL { { ... FILTER } }).
      bool scoped = is(c, i, "BIND") ||
                    (g >= 2 && is(c, g - 1, "{") && is(c, g - 2, "OPTIONAL"));
      if (g < c->n && end < c->n && scoped && nested_group(c, g)) {
        size_t v = outer_var(c, g, i, to);
        if (v < c->n) {
          REFUSE(c, v,
                 "%.*s is not bound in this group before its %.*s: SPARQL "
                 "evaluates the group on its own (%.*s is unbound here), "
                 "rasqal 0.9.33 reads the value from outside; bind %.*s "
                 "inside the group, or move the %.*s out of it",
                 (int)c->t[v].len, c->s + c->t[v].start, (int)c->t[i].len,
                 c->s + c->t[i].start, (int)c->t[v].len, c->s + c->t[v].start,
                 (int)c->t[v].len, c->s + c->t[v].start, (int)c->t[i].len,
                 c->s + c->t[i].start);
          continue;
        }
      }
    }
    if (is(c, i, "OPTIONAL") && is(c, i + 1, "{")) {
      // An OPTIONAL in a nested group that reads a variable the group
      // binds only outside: SPARQL joins it within the group first.
      size_t g = enclosing_group(c, i), end = dipkg_checker_matching(c, i + 1);
      if (g < c->n && end < c->n && nested_group(c, g)) {
        size_t v = outer_var(c, g, i, end);
        if (v < c->n)
          REFUSE(c, v,
                 "%.*s is not bound in this group before its OPTIONAL: SPARQL "
                 "evaluates the group on its own, rasqal 0.9.33 joins the "
                 "OPTIONAL with the outer %.*s; bind it inside the group, or "
                 "move the OPTIONAL out of it",
                 (int)c->t[v].len, c->s + c->t[v].start, (int)c->t[v].len,
                 c->s + c->t[v].start);
      }
    }
    if (is(c, i, "BIND") && is(c, i + 1, "(")) {
      size_t end = dipkg_checker_matching(c, i + 1);
      if (end >= c->n || !kind(c, end - 1, T_VAR) || !is(c, end - 2, "AS"))
        continue;
      size_t g = enclosing_group(c, i);
      for (size_t k = g + 1; k < i && g < c->n; k++)
        if (same_var(c, k, end - 1)) {
          REFUSE(c, end - 1,
                 "BIND to %.*s, which the group has bound before it: SPARQL "
                 "forbids it; give the BIND a new variable",
                 (int)c->t[end - 1].len, c->s + c->t[end - 1].start);
          break;
        }
      continue;
    }
    if (!kind(c, i, T_PNAME) || c->t[i].len < 2 ||
        memcmp(c->s + c->t[i].start, "_:", 2))
      continue;
    size_t g = enclosing_group(c, i);
    int paren = 0;
    for (size_t k = g + 1; k < i; k++)
      paren += is(c, k, "(") - is(c, k, ")");
    if (paren > 0) {
      REFUSE(c, i,
             "a blank node label in an expression is not SPARQL: use a "
             "variable");
      continue;
    }
    bool block = false;  // a group between the two: two graph patterns
    for (size_t k = i + 1; k < c->n; k++) {
      block |= is(c, k, "{");
      if (kind(c, k, T_PNAME) && c->t[k].len == c->t[i].len &&
          !memcmp(c->s + c->t[k].start, c->s + c->t[i].start, c->t[i].len) &&
          (block || enclosing_group(c, k) != g)) {
        REFUSE(c, k,
               "the blank node label %.*s is used in two groups: SPARQL "
               "forbids it; use a variable",
               (int)c->t[i].len, c->s + c->t[i].start);
        break;
      }
    }
  }
}

bool
dipkg_checker_declares(const DipkgChecker *c, const char *prefix, size_t len)
{
  for (size_t i = 0; i + 2 < c->n; i++)
    if (is(c, i, "PREFIX") && kind(c, i + 1, T_PNAME) &&
        c->t[i + 1].len == len + 1 &&
        !memcmp(c->s + c->t[i + 1].start, prefix, len))
      return true;
  return false;
}

bool
dipkg_sparql_prefix_listed(const DipkgPrefix *prefixes, const char *prefix,
                           size_t len)
{
  for (const DipkgPrefix *p = prefixes; p && p->name; p++)
    if (strlen(p->name) == len && !memcmp(p->name, prefix, len))
      return true;
  return false;
}

static void
check_prefixes(DipkgChecker *c)
{
  const DipkgPrefix *prefixes = c->prefixes;
  for (size_t i = 0; i < c->n; i++) {
    if (!kind(c, i, T_PNAME) || (i > 0 && is(c, i - 1, "PREFIX")))
      continue;
    const char *s = c->s + c->t[i].start;
    size_t len = (size_t)((const char *)memchr(s, ':', c->t[i].len) - s);
    if (len == 1 && *s == '_')
      continue;  // a blank node label (_:b), not a prefixed name
    if (!dipkg_checker_declares(c, s, len) &&
        !dipkg_sparql_prefix_listed(prefixes, s, len))
      REFUSE(c, i,
             "undeclared prefix '%.*s:' (declare it with PREFIX %.*s: "
             "<...>)",
             (int)len, s, (int)len, s);
  }
}

/* The query text with the edits applied. */
void
dipkg_checker_apply(const DipkgChecker *c, DipkgBuf *out)
{
  size_t at = 0;
  for (size_t i = 0; i < c->n; i++) {
    dipkg_buf_append(out, c->s + at, c->t[i].start - at);
    dipkg_buf_append(out, c->ins[i].data, c->ins[i].len);
    if (c->repl[i])
      dipkg_buf_puts(out, c->repl[i]);
    else
      dipkg_buf_append(out, c->s + c->t[i].start, c->t[i].len);
    at = c->t[i].start + c->t[i].len;
  }
  // Text inserted after the last token goes before the trailing white
  // space and comments, which could otherwise swallow it.
  dipkg_buf_append(out, c->ins[c->n].data, c->ins[c->n].len);
  dipkg_buf_append(out, c->s + at, strlen(c->s + at));
}

/* Replaces token i by as many spaces as it has characters. */
void
dipkg_checker_blank(DipkgChecker *c, size_t i)
{
  size_t chars = 0;
  for (size_t k = 0; k < c->t[i].len; k++)
    chars += ((unsigned char)c->s[c->t[i].start + k] & 0xC0) != 0x80;
  char *spaces = dipkg_calloc(chars + 1, 1);
  if (!spaces) {
    c->oom = true;
    return;
  }
  memset(spaces, ' ', chars);
  dipkg_checker_replace(c, i, spaces);
  dipkg_free(spaces);
}

/* Tokenizes a copy of `text` into a checker with no edits yet. */
bool
dipkg_checker_init(DipkgChecker *c, DipkgLexer *x, const char *text, size_t len,
                   const char *name, DipkgDiagList *diags)
{
  memset(c, 0, sizeof *c);
  memset(x, 0, sizeof *x);
  char *copy = dipkg_strndup(text, len);
  if (!copy)
    return false;
  *x = (DipkgLexer){copy, len, 0, 1, 1, NULL, 0, 0, false};
  dipkg_sparql_tokenize(x);
  *c = (DipkgChecker){.s = copy,
                      .name = name,
                      .t = x->toks,
                      .n = x->n,
                      .diags = diags,
                      .oom = x->oom,
                      .owned = copy};
  if (!c->oom) {
    c->repl = dipkg_calloc(x->n + 1, sizeof *c->repl);
    c->ins = dipkg_calloc(x->n + 1, sizeof *c->ins);
    c->oom = !c->repl || !c->ins;
  }
  return true;
}

void
dipkg_checker_fini(DipkgChecker *c, DipkgLexer *x)
{
  for (size_t i = 0; c->repl && i <= c->n; i++)
    dipkg_free(c->repl[i]);
  for (size_t i = 0; c->ins && i <= c->n; i++)
    dipkg_buf_free(&c->ins[i]);
  dipkg_free(c->repl);
  dipkg_free(c->ins);
  dipkg_free(x->toks);
  dipkg_free(c->hidden);
  dipkg_free(c->owned);
}

/* Erases tokens [from, to] from the rewritten query (whatever edits they
 * had: their text has been copied), keeping what was inserted before
 * `from`. */
static void
erase_tokens(DipkgChecker *c, size_t from, size_t to)
{
  for (size_t k = from; k <= to && k < c->n; k++) {
    dipkg_free(c->repl[k]);
    c->repl[k] = dipkg_strdup("");
    c->oom |= !c->repl[k];
    if (k > from)
      c->ins[k].len = 0;
    c->edits++;
  }
}

/* Whether the variable at token v is in a triple pattern (outside
 * parentheses) of the block (open, close). */
static bool
var_in_triples(const DipkgChecker *c, size_t open, size_t close, size_t v)
{
  int parens = 0;
  for (size_t k = open + 1; k < close; k++) {
    parens += is(c, k, "(") - is(c, k, ")");
    if (parens == 0 && same_var(c, k, v))
      return true;
  }
  return false;
}

/* Appends the edited tokens (open, close) to `b`, one space apart, the
 * variables renamed: a variable in `shared` (token indices, n) to its
 * copy ?v__dipkgN (base + its index) when `copy_shared`, any other to
 * ?v__dipkgM (M from `fresh` + the first index of that name in the
 * block). */
static void
copy_block(const DipkgChecker *c, size_t open, size_t close,
           const size_t *shared, size_t n, unsigned base, unsigned fresh,
           DipkgBuf *b)
{
  for (size_t k = open + 1; k < close; k++) {
    dipkg_buf_puts(b, " ");
    dipkg_buf_append(b, c->ins[k].data, c->ins[k].len);
    if (c->repl[k] || !kind(c, k, T_VAR)) {
      if (c->repl[k])
        dipkg_buf_puts(b, c->repl[k]);
      else
        dipkg_buf_append(b, c->s + c->t[k].start, c->t[k].len);
      continue;
    }
    size_t s = 0;
    while (s < n && !same_var(c, shared[s], k))
      s++;
    size_t first = k;  // the first mention of the name in the block
    for (size_t m = open + 1; m < k; m++)
      if (same_var(c, m, k)) {
        first = m;
        break;
      }
    dipkg_buf_printf(b, "?%.*s" DIPKG_SPARQL_HELPER "%u",
                     (int)(c->t[k].len - 1), c->s + c->t[k].start + 1,
                     s < n ? base + (unsigned)s
                           : fresh + (unsigned)(first - open));
  }
}

/* FILTER EXISTS, FILTER NOT EXISTS and MINUS, which rasqal 0.9.33 does not
 * parse or run.  Rewritten when the block holds triple patterns and
 * FILTERs only, every variable of its FILTERs is bound by its patterns,
 * and the variables it shares with its group (for MINUS: with the part of
 * the group before it) are certainly bound there; not inside an OPTIONAL,
 * a GRAPH or a SERVICE block.  With ?s shared and ?o not:
 *   FILTER NOT EXISTS { ?s :p ?o }  and  MINUS { ?s :p ?o }  become
 *   BIND (?s AS ?s__dipkg1) OPTIONAL { ?s__dipkg1 :p ?o__dipkg2
 *   BIND (true AS ?found__dipkg3) } FILTER (!BOUND(?found__dipkg3))
 * (at the end of the group for the FILTER, in place for MINUS; the copy of
 * ?s is the join rasqal gets right, see check_optionals): a solution stays
 * when the block has no match for it, once.  A MINUS that shares no
 * variable removes nothing: it goes.  FILTER EXISTS is the same with
 * FILTER (BOUND(...)), when every variable of the block is shared (and no
 * blank node): the block then matches a solution once at most, so the
 * OPTIONAL does not repeat it.  (A join with { SELECT DISTINCT ?s WHERE
 * { ... } } would do for any block, but rasqal 0.9.33 joins subqueries
 * wrongly: 171 rows for 36 on the W3C set data.)  The constructs are an
 * empty group {} in the text rasqal checks for syntax (`hidden`); the
 * rewritten text is checked too (out->check_executed). */
static void
check_negation(DipkgChecker *c)
{
  const bool *in_values = c->in_values;
  DipkgSparql *out = c->out;
  if (!c->hidden) {
    c->hidden = dipkg_calloc(c->n + 1, sizeof *c->hidden);
    c->oom |= !c->hidden;
  }
  bool *hidden = c->hidden;
  for (size_t i = 0; i < c->n && !c->oom; i++) {
    bool minus = is(c, i, "MINUS") && kind(c, i, T_WORD);
    if (!(minus || (is(c, i, "EXISTS") && kind(c, i, T_WORD))))
      continue;
    size_t open = i + 1, close = dipkg_checker_matching(c, open);
    if (!is(c, open, "{") || close >= c->n)
      continue;  // rasqal reports the syntax error
    // The whole construct [first, last], and whether it negates.
    size_t first = i, last = close;
    bool negated = minus;
    if (minus)
      ;  // MINUS { ... }
    else if (i >= 2 && is(c, i - 1, "NOT") && is(c, i - 2, "FILTER"))
      first = i - 2, negated = true;
    else if (i >= 1 && is(c, i - 1, "FILTER"))
      first = i - 1;
    else if (i >= 2 && is(c, i - 1, "(") && is(c, i - 2, "FILTER") &&
             is(c, close + 1, ")"))
      first = i - 2, last = close + 1;
    else if (i >= 3 && (is(c, i - 1, "NOT") || is(c, i - 1, "!")) &&
             is(c, i - 2, "(") && is(c, i - 3, "FILTER") &&
             is(c, close + 1, ")"))
      first = i - 3, last = close + 1, negated = true;
    else {
      REFUSE(c, i,
             "EXISTS is not supported by rasqal 0.9.33, and dipkg rewrites "
             "it only as a FILTER of its own: write FILTER EXISTS { ... } "
             "or FILTER NOT EXISTS { ... } (FILTER (a && b) is FILTER (a) "
             "FILTER (b))");
      continue;
    }
    const char *what = minus     ? "MINUS"
                       : negated ? "FILTER NOT EXISTS"
                                 : "FILTER EXISTS";
    static const char hint[] =
      "write OPTIONAL { ... BIND (true AS ?found) } FILTER (!BOUND(?found)) "
      "for NOT EXISTS and MINUS (FILTER (BOUND(?found)) for EXISTS, when the "
      "block can match a solution once only), the shared variables bound "
      "before it";
    // The block: triple patterns and FILTERs.
    size_t bad = c->n;
    for (size_t k = open + 1; k < close && bad == c->n; k++)
      if (is(c, k, "{") || is(c, k, "BIND") || is(c, k, "VALUES") ||
          is(c, k, "EXISTS"))
        bad = k;
    if (bad < c->n) {
      REFUSE(c, bad,
             "%s is not supported by rasqal 0.9.33, and dipkg rewrites it "
             "only over triple patterns and FILTERs; %s",
             what, hint);
      continue;
    }
    size_t g = enclosing_group(c, first);
    if (g >= c->n)
      continue;
    size_t gclose = dipkg_checker_matching(c, g);
    // Not inside an OPTIONAL (rasqal nests them wrongly), a GRAPH or
    // SERVICE block.
    const char *inside = NULL;
    for (size_t a = g; a < c->n && !inside; a = enclosing_group(c, a)) {
      if (a >= 1 && is(c, a - 1, "OPTIONAL"))
        inside = "an OPTIONAL";
      else if (a >= 2 && (is(c, a - 2, "GRAPH") || is(c, a - 2, "SERVICE")))
        inside = "a GRAPH block";
    }
    if (inside) {
      REFUSE(c, first,
             "%s is not supported by rasqal 0.9.33, and dipkg does not "
             "rewrite it inside %s; %s",
             what, inside, hint);
      continue;
    }
    // The shared variables: certainly bound in the group (before a MINUS).
    size_t shared[64], n = 0;
    size_t scope_end = minus ? first : gclose;
    for (size_t k = open + 1; k < close && bad == c->n; k++) {
      if (!kind(c, k, T_VAR))
        continue;
      if (!var_in_triples(c, open, close, k)) {
        bad = k;
        REFUSE(c, k,
               "%.*s is read by a FILTER inside this %s but bound by none of "
               "its patterns: %s is not supported by rasqal 0.9.33, and "
               "dipkg rewrites it only when the patterns inside bind what "
               "its FILTERs read; %s",
               (int)c->t[k].len, c->s + c->t[k].start, what, what, hint);
        break;
      }
      bool seen = false;
      for (size_t s = 0; s < n && !seen; s++)
        seen = same_var(c, shared[s], k);
      if (seen)
        continue;
      bool in_group = false;
      for (size_t m = g + 1; m < scope_end && !in_group; m++)
        in_group = (m < first || m > last) && same_var(c, m, k);
      if (!in_group)
        continue;
      if (n == 64 || !certainly_bound(c, g, scope_end, k, in_values)) {
        bad = k;
        REFUSE(c, k,
               "%.*s is shared with this %s but may be unbound in the group "
               "(bound only in an OPTIONAL or a UNION branch): %s is not "
               "supported by rasqal 0.9.33, and dipkg rewrites it only when "
               "the shared variables are bound; %s",
               (int)c->t[k].len, c->s + c->t[k].start, what, what, hint);
        break;
      }
      shared[n++] = k;
    }
    if (bad < c->n)
      continue;
    // FILTER EXISTS: each solution must match the block once at most (an
    // OPTIONAL would repeat it per match): every variable shared, no blank
    // node.
    for (size_t k = open + 1; k < close && !negated && bad == c->n; k++) {
      bool local = is(c, k, "[") || (kind(c, k, T_PNAME) &&
                                     !memcmp(c->s + c->t[k].start, "_:", 2));
      if (kind(c, k, T_VAR)) {
        local = true;
        for (size_t s = 0; s < n; s++)
          local = local && !same_var(c, shared[s], k);
      }
      if (local) {
        bad = k;
        REFUSE(c, k,
               "FILTER EXISTS is not supported by rasqal 0.9.33, and dipkg "
               "rewrites it only when the group binds every variable of the "
               "block (no blank nodes): then OPTIONAL { ... BIND (true AS "
               "?found) } FILTER (BOUND(?found)) keeps each solution once; "
               "with variables of its own, the block may match a solution "
               "several times: write the EXISTS as a separate query, or "
               "bind its variables in the group (if repeats do not matter)");
      }
    }
    if (bad < c->n)
      continue;
    // The rewrite.
    DipkgBuf b = DIPKG_BUF_INIT;
    unsigned base = c->copies + 1;
    unsigned fresh = base + (unsigned)n;
    c->copies = fresh + (unsigned)(close - open) + 1;
    if (minus && n == 0) {
      // A MINUS that shares no variable removes nothing.
    } else {
      for (size_t s = 0; s < n; s++)
        dipkg_buf_printf(&b, " BIND (%.*s AS ?%.*s" DIPKG_SPARQL_HELPER "%u)",
                         (int)c->t[shared[s]].len, c->s + c->t[shared[s]].start,
                         (int)(c->t[shared[s]].len - 1),
                         c->s + c->t[shared[s]].start + 1, base + (unsigned)s);
      dipkg_buf_puts(&b, " OPTIONAL {");
      copy_block(c, open, close, shared, n, base, fresh, &b);
      dipkg_buf_printf(&b,
                       " BIND (true AS ?found" DIPKG_SPARQL_HELPER "%u) } "
                       "FILTER (%sBOUND(?found" DIPKG_SPARQL_HELPER "%u)) ",
                       c->copies, negated ? "!" : "", c->copies);
    }
    const char *text = dipkg_buf_cstr(&b);
    c->oom |= b.oom || !text;
    if (!c->oom) {
      erase_tokens(c, first, last);
      if (minus)
        append_after(c, first, text);
      else
        dipkg_checker_insert(c, gclose, text);
      // Triples before and after it stay apart: "." between them.
      if (!is(c, first - 1, "{") && !is(c, first - 1, ".") &&
          !is(c, last + 1, ".") && !is(c, last + 1, "}"))
        append_after(c, first, " .");
      for (size_t k = first; k <= last; k++)
        hidden[k] = true;
      out->check_executed = true;
    }
    dipkg_buf_free(&b);
    i = last;
  }
}

/* The constructs rasqal 0.9.33 does not have: refused at token i (EXISTS
 * and MINUS: check_negation). */
static void
refuse_unsupported(DipkgChecker *c, size_t i)
{
  if (is(c, i, "DESCRIBE"))
    REFUSE(c, i,
           "DESCRIBE is not supported by rasqal 0.9.33; use "
           "CONSTRUCT { <iri> ?p ?o } WHERE { <iri> ?p ?o }");
}

/* The checks that look at one token (and those after it), in the order
 * they run at each token: a rewrite here edits the tokens it is called at
 * (the call, its brackets), which no later row of this table edits. */
static const struct {
  const char *name;
  void (*run)(DipkgChecker *c, size_t i);
} token_checks[] = {
  {"datatype", check_datatype},
  {"lexical", check_lexical},
  {"regex", check_regex},
  {"unsupported", refuse_unsupported},
  {"concat", check_concat},
  {"date-part", rewrite_date_part},
  {"bound-never", rewrite_bound_never},
};

/* Runs the token checks at every token: the token checks are one step of
 * the query checks. */
static void
check_tokens(DipkgChecker *c)
{
  for (size_t i = 0; i < c->n; i++)
    for (size_t k = 0; k < sizeof token_checks / sizeof *token_checks; k++) {
      c->check = token_checks[k].name;
      token_checks[k].run(c, i);
    }
}

/* The checks of a query, in the order they run.  A refusal adds an error
 * and the later checks still run (every refusal of a query is reported at
 * once); a rewrite is a token edit, applied after the last check, so each
 * check sees the tokens as written plus the edits made before it.  The
 * order matters where a check reads what an earlier one set:
 * - "safety" first, and the only one that also runs under the raw policy;
 * - "values-mark" fills c->in_values (which tokens belong to a VALUES
 *   clause), which "count", "values", "optionals" and "order-by" read;
 * - "tokens" before the whole-query checks: "grouping" and "order-by"
 *   copy expressions with the token rewrites made (YEAR(...));
 * - "dataset" and "grouping" record what they find in c->out (the graph
 *   by name, the projected variables) for the preparation;
 * - "order-by" after the other rewrites: it repeats the ORDER BY keys as
 *   edited by the checks before it (YEAR(...) rewritten, for one);
 * - "negation" after the others: it copies its blocks as edited by them,
 *   and marks them in c->hidden for the text checked for syntax;
 * - "aggregate-distinct-rewrite" last: it encloses the WHERE group, with
 *   every edit in it, in a subquery.
 * A new refusal or rewrite is one function (void (DipkgChecker *c), or
 * a token check (DipkgChecker *c, size_t i)) and one row here or in
 * token_checks. */
static void rewrite_select_star(DipkgChecker *c);

static const struct {
  const char *name;
  void (*run)(DipkgChecker *c);
  bool raw;  // runs also under the raw policy (safety)
} checks[] = {
  {"safety", check_safety, true},
  {"values-mark", mark_values, false},
  {"prefixes", check_prefixes, false},
  {"tokens", check_tokens, false},
  {"paths", check_paths, false},
  {"subqueries", check_subqueries, false},
  {"aggregate-distinct", check_aggregate_distinct, false},
  {"count", check_count, false},
  {"same-aggregates", check_same_aggregates, false},
  {"having", check_having, false},
  {"values", check_values, false},
  {"optionals", check_optionals, false},
  {"joined-blocks", check_joined_blocks, false},
  {"bind-errors", rewrite_bind_errors, false},
  {"graph-ground", check_graph_ground, false},
  {"dataset", check_dataset, false},
  {"grouping", check_grouping, false},
  {"scope", check_scope, false},
  {"order-by", check_order_by, false},
  {"negation", check_negation, false},
  {"aggregate-distinct-rewrite", rewrite_aggregate_distinct, false},
  {"select-star", rewrite_select_star, false},
};

void
dipkg_sparql_checks_run(DipkgChecker *c, const DipkgPrefix *prefixes,
                        const DipkgSparqlOptions *options, bool unchecked,
                        DipkgSparql *out)
{
  // A query for another engine (dipkg_sparql_prepare_unchecked) gets none
  // of the checks, not even the safety refusals: the remote engine judges
  // it.  A raw policy runs queries as written, with the safety refusals
  // only: for comparing with rasqal's own behaviour.
  if (unchecked)
    return;
  if (!c->oom) {
    c->in_values = dipkg_calloc(c->n + 1, sizeof *c->in_values);
    c->oom = !c->in_values;
  }
  c->prefixes = prefixes;
  c->options = options;
  c->out = out;
  for (size_t k = 0; k < sizeof checks / sizeof *checks && !c->oom; k++)
    if (checks[k].raw || !options->raw) {
      c->check = checks[k].name;
      checks[k].run(c);
    }
  c->check = NULL;
  dipkg_free(c->in_values);
  c->in_values = NULL;
  c->prefixes = NULL;
  c->options = NULL;
  c->out = NULL;
}

/* Adds the variable at token t to seen[0..*nseen) unless it is there:
 * the columns of SELECT *, in the order they first occur. */
static void
add_star_var(const DipkgChecker *c, size_t *seen, size_t *nseen, size_t t)
{
  for (size_t m = 0; m < *nseen; m++)
    if (same_var(c, seen[m], t))
      return;
  seen[(*nseen)++] = t;
}

/* SELECT * over a WHERE clause with a subquery: rasqal 0.9.33 also lists
 * the subquery's variables that it does not project (`SELECT * { ?a ex:p
 * ?b { SELECT ?a { ?a ex:q ?f } } }` has a column ?f).  The * becomes the
 * list of the variables in scope: in the order they first occur, those of
 * triple patterns (collections included), GRAPH, VALUES and AS, and of a
 * subquery those it projects; not those of expressions only (FILTER,
 * BIND), nor those in FILTER EXISTS,
 * NOT EXISTS or MINUS.  Left alone when a subquery has SELECT * itself. */
static void
rewrite_select_star(DipkgChecker *c)
{
  size_t select = 0;
  while (select < c->n && !is(c, select, "SELECT"))
    select++;
  size_t star = select + 1;
  if (is(c, star, "DISTINCT") || is(c, star, "REDUCED"))
    star++;
  if (!is(c, star, "*") || c->repl[star])
    return;
  size_t g = where_group(c);
  if (g >= c->n)
    return;
  size_t close = dipkg_checker_matching(c, g);
  bool subquery = false;
  for (size_t k = g + 1; k < close; k++)
    if (is(c, k, "{") && is(c, k + 1, "SELECT")) {
      subquery = true;
      if (is(c, k + 2, "*") ||
          (is(c, k + 3, "*") &&
           (is(c, k + 2, "DISTINCT") || is(c, k + 2, "REDUCED"))))
        return;
    }
  if (!subquery || close >= c->n)
    return;
  DipkgBuf list = DIPKG_BUF_INIT;
  size_t *seen = dipkg_calloc(close - g + 1, sizeof *seen);
  size_t nseen = 0;
  if (!seen) {
    c->oom = true;
    return;
  }
  for (size_t k = g + 1; k < close; k++) {
    if (is(c, k, "{") && k > 0 &&
        (is(c, k - 1, "EXISTS") || is(c, k - 1, "MINUS"))) {
      k = dipkg_checker_matching(c, k);
      continue;
    }
    if (is(c, k, "{") && is(c, k + 1, "SELECT")) {
      // A subquery: the variables it projects, then past it.
      size_t open = k + 2;
      while (open < close && !is(c, open, "{"))
        open++;
      int p = 0;
      for (size_t t = k + 2; t < open; t++) {
        p += is(c, t, "(") - is(c, t, ")");
        if (kind(c, t, T_VAR) && (p == 0 || is(c, t - 1, "AS")))
          add_star_var(c, seen, &nseen, t);
      }
      k = dipkg_checker_matching(c, k);
      continue;
    }
    if (is(c, k, "FILTER") || is(c, k, "BIND")) {
      // An expression (`FILTER (...)`, `FILTER regex(...)`, `BIND (...)`):
      // only BIND's AS variable is in scope.  FILTER [NOT] EXISTS goes on
      // to its group, skipped above.
      size_t open = k + 1;
      if (!is(c, open, "(") && is(c, open + 1, "("))
        open++;
      if (!is(c, open, "("))
        continue;
      size_t end = dipkg_checker_matching(c, open);
      for (size_t t = open; t < end && t < close; t++)
        if (kind(c, t, T_VAR) && is(c, t - 1, "AS"))
          add_star_var(c, seen, &nseen, t);
      k = end < close ? end : close;
      continue;
    }
    // Triple patterns (collections `( ?x ?y )` included), GRAPH, VALUES.
    if (kind(c, k, T_VAR))
      add_star_var(c, seen, &nseen, k);
  }
  for (size_t m = 0; m < nseen; m++)
    dipkg_buf_printf(&list, "%s%.*s", m ? " " : "", (int)c->t[seen[m]].len,
                     c->s + c->t[seen[m]].start);
  dipkg_free(seen);
  const char *text = dipkg_buf_cstr(&list);
  c->oom |= list.oom;
  if (text && nseen) {
    dipkg_checker_replace(c, star, text);
    c->out->check_executed = true;
    c->out->star_expanded = true;
  }
  dipkg_buf_free(&list);
}

/* Where the element of a group starting at token k ends (the index after
 * its last token), for the reordering below: a block (with its UNION
 * branches), a FILTER, a BIND, a VALUES clause, or a run of triple
 * patterns up to its '.' or the next keyword or brace.  `*what` gets the
 * element's kind. */
typedef enum {
  EL_TRIPLES,
  EL_JOIN,     // a plain group or a GRAPH block: joined wherever it is
  EL_AFTER,    // a UNION, an OPTIONAL, a subquery: what follows it is wrong
  EL_FILTER,   // applies to the whole group
  EL_ORDERED,  // BIND, VALUES, MINUS, SERVICE: where it stands matters
  EL_DOT
} GroupElement;

static size_t
group_element_end(const DipkgChecker *c, size_t k, size_t close,
                  GroupElement *what)
{
  if (is(c, k, ".")) {
    *what = EL_DOT;
    return k + 1;
  }
  if (is(c, k, "{")) {
    size_t end = dipkg_checker_matching(c, k);
    *what = is(c, k + 1, "SELECT") ? EL_AFTER : EL_JOIN;
    while (end < close && is(c, end + 1, "UNION") && is(c, end + 2, "{")) {
      *what = EL_AFTER;
      end = dipkg_checker_matching(c, end + 2);
    }
    return end + 1;
  }
  if (is(c, k, "OPTIONAL") || is(c, k, "GRAPH") || is(c, k, "MINUS") ||
      is(c, k, "SERVICE")) {
    size_t b = k + 1;
    while (b < close && !is(c, b, "{"))
      b++;
    *what = is(c, k, "OPTIONAL") ? EL_AFTER
            : is(c, k, "GRAPH")  ? EL_JOIN
                                 : EL_ORDERED;
    return dipkg_checker_matching(c, b) + 1;
  }
  if (is(c, k, "FILTER") || is(c, k, "BIND")) {
    *what = is(c, k, "FILTER") ? EL_FILTER : EL_ORDERED;
    size_t b = k + 1;
    while (b < close && !is(c, b, "(") && !is(c, b, "{"))
      b++;
    return dipkg_checker_matching(c, b) + 1;
  }
  if (is(c, k, "VALUES")) {
    *what = EL_ORDERED;
    size_t b = k + 1;
    while (b < close && !is(c, b, "{"))
      b++;
    return dipkg_checker_matching(c, b) + 1;
  }
  // Triple patterns: up to their '.', or a brace or keyword (a collection,
  // a blank node's brackets or label make it an ordered element: left
  // alone).
  *what = EL_TRIPLES;
  size_t e = k;
  for (; e < close; e++) {
    if (is(c, e, ".")) {
      e++;
      break;
    }
    if (is(c, e, "{") || is(c, e, "}") || is(c, e, "OPTIONAL") ||
        is(c, e, "GRAPH") || is(c, e, "FILTER") || is(c, e, "BIND") ||
        is(c, e, "VALUES") || is(c, e, "MINUS") || is(c, e, "SERVICE"))
      break;
    if (is(c, e, "(") || is(c, e, "[") || is(c, e, "]") || is(c, e, ")") ||
        (c->t[e].len > 2 && !strncmp(c->s + c->t[e].start, "_:", 2)))
      *what = EL_ORDERED;  // a blank node label's scope is its group
  }
  return e > k ? e : k + 1;
}

/* Whether a variable of tokens [from, to) that also occurs in the OPTIONAL
 * [o, oend) is not certainly bound by its group g before it: moving those
 * triple patterns in front of the OPTIONAL would change its join. */
static bool
joins_optional(const DipkgChecker *c, size_t g, size_t from, size_t to,
               size_t o, size_t oend, const bool *in_values)
{
  for (size_t v = from; v < to; v++) {
    if (!kind(c, v, T_VAR))
      continue;
    bool in_optional = false;
    for (size_t k = o; k < oend && !in_optional; k++)
      in_optional = same_var(c, k, v);
    if (in_optional && !certainly_bound(c, g, o, v, in_values))
      return true;
  }
  return false;
}

/* Moves tokens [from, to) before token `at`, between `lead` and `trail`,
 * as the source has them (`-2` is the two tokens `-` `2`: no space may
 * come between them), and blanks them where they were.  A gap between two
 * tokens becomes one space: its line breaks stay where they were (lines
 * keep their numbers) and a comment in it cannot swallow the text that
 * follows at the insertion point. */
static void
move_tokens(DipkgChecker *c, size_t from, size_t to, size_t at,
            const char *lead, const char *trail)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, lead);
  for (size_t t = from; t < to; t++) {
    if (t > from && c->t[t].start > c->t[t - 1].start + c->t[t - 1].len)
      dipkg_buf_putc(&b, ' ');
    dipkg_buf_append(&b, c->s + c->t[t].start, c->t[t].len);
    dipkg_checker_blank(c, t);
  }
  dipkg_buf_puts(&b, trail);
  const char *text = dipkg_buf_cstr(&b);
  c->oom |= b.oom;
  if (text)
    dipkg_checker_insert(c, at, text);
  dipkg_buf_free(&b);
}

/* Triple patterns after a UNION, an OPTIONAL or a subquery of their group:
 * rasqal 0.9.33 joins them with the block's variables unbound after its
 * first row (`{ ?b ex:year ?e } UNION { ?a ex:num ?k } ?a ex:link ?b`
 * pairs a link with any subject's numbers); so it does a GRAPH block or a
 * plain group there.  Join is commutative, so they move to the front of
 * the group's blocks (a block without blank node labels), where rasqal
 * joins right (and the copy rewrites of the checks apply), when the
 * group has no BIND, VALUES, MINUS or SERVICE, whose place matters, and,
 * for each OPTIONAL they pass, every variable they share with it is
 * certainly bound before it.  Returns the number of runs of triple
 * patterns moved. */
static unsigned
reorder_group(DipkgChecker *c, size_t g, const bool *in_values)
{
  size_t close = dipkg_checker_matching(c, g);
  if (close >= c->n)
    return 0;
  size_t front = c->n;  // the first block of the group
  bool after = false, ordered = false;
  for (size_t k = g + 1; k < close;) {
    GroupElement what;
    size_t end = group_element_end(c, k, close, &what);
    if (what == EL_ORDERED)
      ordered = true;
    if ((what == EL_JOIN || what == EL_AFTER) && front == c->n)
      front = k;
    after = after || what == EL_AFTER;
    k = end > k ? end : k + 1;
  }
  if (!after || ordered || front >= c->n)
    return 0;
  unsigned moved = 0;
  after = false;
  for (size_t k = front; k < close;) {
    GroupElement what;
    size_t end = group_element_end(c, k, close, &what);
    if (what == EL_AFTER)
      after = true;
    bool ok = (what == EL_TRIPLES || what == EL_JOIN) && after;
    for (size_t t = k; ok && what == EL_JOIN && t < end; t++)
      ok = !(c->t[t].len > 2 && !strncmp(c->s + c->t[t].start, "_:", 2));
    for (size_t o = front; ok && o < k;) {
      GroupElement w;
      size_t oend = group_element_end(c, o, close, &w);
      if (is(c, o, "OPTIONAL") &&
          joins_optional(c, g, k, end, o, oend, in_values))
        ok = false;
      o = oend > o ? oend : o + 1;
    }
    if (ok) {
      // Triple patterns before `front` without their '.' (`?a :b :c
      // OPTIONAL { ... }`) get one: the moved text follows them.
      bool dot = !is(c, front - 1, ".") && !is(c, front - 1, "{") &&
                 !is(c, front - 1, "}") && !is(c, front - 1, ")");
      move_tokens(c, k, end, front, dot ? ". " : "",
                  is(c, end - 1, ".") ? " " : " . ");
      moved++;
    }
    k = end > k ? end : k + 1;
  }
  return moved;
}

/* A FILTER between triple patterns of a group with a block: rasqal 0.9.33
 * then joins the patterns after the FILTER wrongly (`?b ?a ?c . FILTER
 * (BOUND(?c)) ?b ex:val ?f . GRAPH ?g { ?k ex:link ?b }` has rows that do
 * not join).  A FILTER applies to its whole group wherever it stands, so
 * it moves to the end of the group (a group without BIND, VALUES, MINUS
 * or SERVICE, as above).  Returns the number of FILTERs moved. */
static unsigned
reorder_filters(DipkgChecker *c, size_t g)
{
  size_t close = dipkg_checker_matching(c, g);
  if (close >= c->n)
    return 0;
  bool block = false;
  for (size_t k = g + 1; k < close;) {
    GroupElement what;
    size_t end = group_element_end(c, k, close, &what);
    if (what == EL_ORDERED)
      return 0;
    block = block || what == EL_JOIN || what == EL_AFTER;
    k = end > k ? end : k + 1;
  }
  if (!block)
    return 0;
  unsigned moved = 0;
  bool filter = false;  // a FILTER not moved yet before token k
  for (size_t k = g + 1; k < close;) {
    GroupElement what;
    size_t end = group_element_end(c, k, close, &what);
    if (what == EL_FILTER) {
      filter = true;
    } else if (what == EL_TRIPLES && filter) {
      // Every FILTER before these patterns (from the first one on).
      for (size_t f = g + 1; f < k;) {
        GroupElement w;
        size_t fend = group_element_end(c, f, close, &w);
        if (w == EL_FILTER && !c->repl[f]) {
          move_tokens(c, f, fend, close, " ", " ");
          moved++;
        }
        f = fend > f ? fend : f + 1;
      }
      filter = false;
    }
    k = end > k ? end : k + 1;
  }
  return moved;
}

DipkgStatus
dipkg_sparql_reorder(const char *text, size_t len, const char *name,
                     DipkgDiagList *diags, char **out, size_t *out_len)
{
  *out = NULL;
  DipkgChecker c;
  DipkgLexer x;
  if (!dipkg_checker_init(&c, &x, text, len, name, diags))
    return DIPKG_ERR_NO_MEMORY;
  bool *in_values = c.oom ? NULL : dipkg_calloc(c.n + 1, sizeof *in_values);
  c.oom |= !in_values;
  c.in_values = in_values;
  if (!c.oom)
    mark_values(&c);
  unsigned moved = 0;
  for (size_t i = 0; i < c.n && !c.oom && !c.failed; i++) {
    // A group inside a block moved already (its tokens blank, copied
    // whole) is left as it stands: edits would land where it was.
    if (!is(&c, i, "{") || in_values[i] || c.repl[i] ||
        (i > 0 && is(&c, i - 1, "CONSTRUCT")))
      continue;
    moved += reorder_group(&c, i, in_values);
    moved += reorder_filters(&c, i);
  }
  DipkgStatus st = c.oom      ? DIPKG_ERR_NO_MEMORY
                   : c.failed ? DIPKG_ERR_INTERNAL
                              : DIPKG_SUCCESS;
  if (!st && moved) {
    DipkgBuf b = DIPKG_BUF_INIT;
    dipkg_checker_apply(&c, &b);
    *out_len = b.len;
    *out = dipkg_buf_take(&b);
    if (!*out)
      st = DIPKG_ERR_NO_MEMORY;
  }
  c.in_values = NULL;
  dipkg_free(in_values);
  dipkg_checker_fini(&c, &x);
  return st;
}
