#include "query.h"

#include "buf.h"
#include "limit.h"
#include "memory.h"
#include "rasqal_fix.h"
#include "rdf_term.h"

#include <locale.h>
#include <rasqal.h>
#include <redland.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------- syntax check */

typedef struct Check {
  const DipkgSparql *q;
  const char *name;
  DipkgDiagList *diags;
  bool failed;
} Check;

/* rasqal counts a lone CR as a line end too; dipkg's lines end at LF
 * (CRLF included), as in its other messages.  The LF-line of `text` on
 * which rasqal's line `line` starts. */
static int
lf_line(const char *text, int line)
{
  int rasqal_line = 1, lf = 1;
  for (const char *p = text; *p && rasqal_line < line; p++) {
    if (*p == '\n') {
      rasqal_line++;
      lf++;
    } else if (*p == '\r' && p[1] != '\n') {
      rasqal_line++;
    }
  }
  return lf;
}

/* Where a syntax error is: rasqal gives the line only.  The column is that
 * of the token its message names ("unexpected '?'"), the end of the query
 * for "unexpected $end", else the start of the line. */
static DipkgLoc
error_loc(const Check *c, int line, const char *message)
{
  const char *text = c->q->checked + c->q->prologue;
  line = line <= 0 ? 1 : lf_line(text, line);
  DipkgLoc loc = {(unsigned)line, 1, 0};
  const char *u = strstr(message, "unexpected ");
  if (u && !strncmp(u + 11, "$end", 4)) {
    loc.line = 1;
    loc.col = 1;
    for (const char *p = text; *p; p++) {
      if (*p == '\n') {
        loc.line++;
        loc.col = 1;
      } else if (((unsigned char)*p & 0xC0) != 0x80) {
        loc.col++;
      }
    }
    return loc;
  }
  // The offending token: "unexpected 'X'", "unexpected KEYWORD", or the
  // lexer's "syntax error at 'X'".
  const char *from = NULL, *end = NULL;
  const char *at = strstr(message, " at '");
  if (u && u[11] == '\'') {
    from = u + 12;
    end = strchr(from, '\'');
  } else if (u) {
    from = u + 11;
    end = from + strcspn(from, ", ");
  } else if (at) {
    from = at + 5;
    end = strchr(from, '\'');
  }
  if (from && end && end > from && end - from < 64) {
    char token[64];
    memcpy(token, from, (size_t)(end - from));
    token[end - from] = '\0';
    unsigned col = dipkg_sparql_find_token(c->q, (unsigned)line, token);
    if (col)
      loc.col = col;
  }
  return loc;
}

static void
on_check_log(void *user, raptor_log_message *msg)
{
  Check *c = user;
  if (msg->level < RAPTOR_LOG_LEVEL_ERROR)
    return;
  int line = msg->locator ? msg->locator->line : -1;
  DipkgLoc loc = error_loc(c, line, msg->text ? msg->text : "");
  dipkg_diag_add(c->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, c->name, loc,
                 "SPARQL syntax error: %s", msg->text ? msg->text : "?");
  c->failed = true;
}

/* Copies the names of the query's projected variables into `q`. */
static DipkgStatus
record_vars(DipkgSparql *q, rasqal_query *query)
{
  raptor_sequence *seq = rasqal_query_get_bound_variable_sequence(query);
  int n = seq ? raptor_sequence_size(seq) : 0;
  if (n <= 0)
    return DIPKG_SUCCESS;
  q->vars = dipkg_calloc((size_t)n, sizeof *q->vars);
  if (!q->vars)
    return DIPKG_ERR_NO_MEMORY;
  for (int i = 0; i < n; i++) {
    rasqal_variable *v = raptor_sequence_get_at(seq, i);
    q->vars[q->n_vars] =
      dipkg_strdup(v && v->name ? (const char *)v->name : "");
    if (!q->vars[q->n_vars])
      return DIPKG_ERR_NO_MEMORY;
    q->n_vars++;
  }
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_query_check(DipkgSparql *q, const char *name, DipkgDiagList *diags)
{
  Check c = {q, name, diags, false};
  rasqal_world *world = rasqal_new_world();
  if (!world || rasqal_world_open(world)) {
    if (world)
      rasqal_free_world(world);
    return DIPKG_ERR_NO_MEMORY;
  }
  rasqal_world_set_log_handler(world, &c, on_check_log);
  rasqal_query *query = rasqal_new_query(world, "sparql", NULL);
  DipkgStatus st = DIPKG_ERR_NO_MEMORY;
  if (query) {
    int rc =
      rasqal_query_prepare(query, (const unsigned char *)q->checked, NULL);
    st = rc || c.failed ? DIPKG_ERR_QUERY : record_vars(q, query);
    if (!st && q->check_executed) {
      // What `checked` leaves out (blanked) is in the rewritten text.
      rasqal_query *rewritten = rasqal_new_query(world, "sparql", NULL);
      rc = !rewritten || rasqal_query_prepare(
                           rewritten, (const unsigned char *)q->executed, NULL);
      st = !rewritten       ? DIPKG_ERR_NO_MEMORY
           : rc || c.failed ? DIPKG_ERR_QUERY
                            : DIPKG_SUCCESS;
      if (!st && q->star_expanded) {
        // The columns are those of the listed variables.
        for (size_t i = 0; i < q->n_vars; i++)
          dipkg_free(q->vars[i]);
        dipkg_free(q->vars);
        q->vars = NULL;
        q->n_vars = 0;
        st = record_vars(q, rewritten);
      }
      if (rewritten)
        rasqal_free_query(rewritten);
    }
    if (st && !c.failed)
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, name,
                     (DipkgLoc){1, 1, 0}, "SPARQL syntax error");
    rasqal_free_query(query);
  }
  rasqal_free_world(world);
  return st;
}

/* ------------------------------------------------------- execution */

/* The one row of an aggregate query without GROUP BY over no solutions
 * (rasqal 0.9.33 gives none): COUNT 0 and so on (DipkgSparql.empty_row),
 * the other columns unbound. */
static DipkgStatus
write_empty_group(const DipkgSparql *q, const char *const *names, size_t n,
                  DipkgResults *out)
{
  const DipkgTerm **row = dipkg_calloc(n + 1, sizeof *row);
  DipkgTerm *terms = dipkg_calloc(n + 1, sizeof *terms);
  DipkgStatus st = DIPKG_ERR_NO_MEMORY;
  if (row && terms) {
    for (size_t i = 0; i < n; i++)
      for (size_t k = 0; k < q->n_empty_row; k++) {
        const char *v = q->empty_row[k].value;
        if (!v || strcmp(q->empty_row[k].var, names[i]))
          continue;
        terms[i] = (DipkgTerm){DIPKG_TERM_LITERAL, v, strlen(v),
                               *v ? XSD "integer" : NULL, NULL};
        row[i] = &terms[i];
      }
    st = dipkg_results_row(out, row);
  }
  dipkg_free(row);
  dipkg_free(terms);
  return st;
}

/* Whether literal `t` is an xsd:date, xsd:dateTime or xsd:time whose time
 * zone rasqal 0.9.33 has mangled: it rewrites an offset with minutes
 * ("-03:30") with a stray last character ("-03:3\""), so the value is
 * lost. */
static bool
mangled_time_zone(const DipkgTerm *t)
{
  static const char *const types[] = {XSD "date", XSD "dateTime", XSD "time"};
  bool timed = false;
  for (size_t i = 0; i < 3 && t->kind == DIPKG_TERM_LITERAL && t->datatype; i++)
    timed |= !strcmp(t->datatype, types[i]);
  if (!timed)
    return false;
  for (size_t i = 0; i < t->len; i++) {
    char ch = t->str[i];
    if (!((ch >= '0' && ch <= '9') || (ch && strchr("-+:.TZ", ch))))
      return true;
  }
  return false;
}

/* Whether the row of `res` is rasqal's row for a GROUP BY over no
 * solutions: its guard column (see DIPKG_SPARQL_GROUP_GUARD) is unbound. */
static bool
no_group(librdf_query_results *res, int guard, bool count)
{
  librdf_node *n = librdf_query_results_get_binding_value(res, guard);
  bool none = !n;
  if (n && count) {  // the DIPKG_SPARQL_GROUP_COUNT column: 0 there
    const char *v = librdf_node_is_literal(n)
                      ? (const char *)librdf_node_get_literal_value(n)
                      : NULL;
    none = v && strtod(v, NULL) == 0;  // "0", or AVG's "0.0"
  }
  if (n)
    librdf_free_node(n);
  return none;
}

static DipkgStatus
write_bindings(const DipkgSparql *q, librdf_query_results *res,
               DipkgResults *out, bool *mangled)
{
  int n = librdf_query_results_get_bindings_count(res);
  if (n < 0)
    return DIPKG_ERR_QUERY_FAILED;
  if (n == 0 && q->n_vars) {  // no rows: Redland knows no names, rasqal did
    DipkgStatus st =
      dipkg_results_head(out, (const char *const *)q->vars, q->n_vars);
    if (!st && q->implicit_group)
      st = write_empty_group(q, (const char *const *)q->vars, q->n_vars, out);
    return st;
  }
  const char **names = dipkg_calloc((size_t)n + 1, sizeof *names);
  const DipkgTerm **row = dipkg_calloc((size_t)n + 1, sizeof *row);
  DipkgTerm *terms = dipkg_calloc((size_t)n + 1, sizeof *terms);
  librdf_node **nodes = dipkg_calloc((size_t)n + 1, sizeof *nodes);
  char(*langs)[DIPKG_RDF_LANG_SIZE] =
    dipkg_calloc((size_t)n + 1, sizeof *langs);
  DipkgStatus st = DIPKG_ERR_NO_MEMORY;
  if (!names || !row || !terms || !nodes || !langs)
    goto out;
  // The columns: the query's variables, without the helper variables of
  // dipkg's rewrites (which SELECT * would show).
  int *cols = dipkg_calloc((size_t)n + 1, sizeof *cols);
  size_t shown = 0;
  int guard = -1;
  bool counted = false;  // the guard is DIPKG_SPARQL_GROUP_COUNT
  if (!cols)
    goto out;
  for (int i = 0; i < n; i++) {
    const char *name = librdf_query_results_get_binding_name(res, i);
    if (q->group_guard && name && !strcmp(name, DIPKG_SPARQL_GROUP_GUARD))
      guard = i;
    if (q->group_guard && name && !strcmp(name, DIPKG_SPARQL_GROUP_COUNT)) {
      guard = i;
      counted = true;
    }
    if (name && strstr(name, DIPKG_SPARQL_HELPER))
      continue;
    names[shown] = name ? name : "";  // borrowed
    cols[shown++] = i;
  }
  st = dipkg_results_head(out, names, shown);
  if (!st && q->implicit_group && librdf_query_results_finished(res))
    st = write_empty_group(q, names, shown, out);
  while (!st && !librdf_query_results_finished(res)) {
    if (guard >= 0 && no_group(res, guard, counted)) {
      if (librdf_query_results_next(res) && !librdf_query_results_finished(res))
        st = DIPKG_ERR_QUERY_FAILED;
      continue;
    }
    for (size_t k = 0; k < shown; k++) {
      nodes[k] = librdf_query_results_get_binding_value(res, cols[k]);
      row[k] = NULL;
      if (nodes[k]) {  // owned
        dipkg_rdf_term_view(nodes[k], &terms[k], langs[k]);
        row[k] = &terms[k];
        *mangled |= mangled_time_zone(&terms[k]);
      }
    }
    st = dipkg_results_row(out, row);
    for (size_t k = 0; k < shown; k++)
      if (nodes[k])
        librdf_free_node(nodes[k]);
    if (librdf_query_results_next(res) && !librdf_query_results_finished(res))
      st = st ? st : DIPKG_ERR_QUERY_FAILED;
  }
  if (*mangled && !st)
    st = DIPKG_ERR_QUERY_FAILED;  // the rows hold values rasqal lost
  dipkg_free(cols);
out:
  dipkg_free(names);
  dipkg_free(row);
  dipkg_free(terms);
  dipkg_free(nodes);
  dipkg_free(langs);
  return st;
}

static DipkgStatus
write_graph(librdf_query_results *res, DipkgResults *out)
{
  librdf_stream *stream = librdf_query_results_as_stream(res);
  if (!stream)
    return DIPKG_ERR_QUERY_FAILED;
  DipkgStatus st = DIPKG_SUCCESS;
  for (; !st && !librdf_stream_end(stream); librdf_stream_next(stream)) {
    librdf_statement *s = librdf_stream_get_object(stream);  // borrowed
    DipkgTerm ts, tp, to;
    char l1[DIPKG_RDF_LANG_SIZE], l2[DIPKG_RDF_LANG_SIZE],
      l3[DIPKG_RDF_LANG_SIZE];
    dipkg_rdf_term_view(librdf_statement_get_subject(s), &ts, l1);
    dipkg_rdf_term_view(librdf_statement_get_predicate(s), &tp, l2);
    dipkg_rdf_term_view(librdf_statement_get_object(s), &to, l3);
    st = dipkg_results_statement(out, &ts, &tp, &to);
  }
  librdf_free_stream(stream);
  return st;
}

/* Whether every solution of `gp` needs a statement of the active graph:
 * a basic pattern with a triple pattern, a group with such a member (a
 * join), a union all of whose branches need one.  (OPTIONAL, MINUS,
 * FILTER, BIND, VALUES, subqueries and GRAPH blocks do not.) */
static bool
needs_statement(rasqal_graph_pattern *gp)
{
  rasqal_graph_pattern *sub;
  switch (rasqal_graph_pattern_get_operator(gp)) {
  case RASQAL_GRAPH_PATTERN_OPERATOR_BASIC:
    return rasqal_graph_pattern_get_triple(gp, 0) != NULL;
  case RASQAL_GRAPH_PATTERN_OPERATOR_GROUP:
    for (int i = 0; (sub = rasqal_graph_pattern_get_sub_graph_pattern(gp, i));
         i++)
      if (needs_statement(sub))
        return true;
    return false;
  case RASQAL_GRAPH_PATTERN_OPERATOR_UNION: {
    int i = 0;
    for (; (sub = rasqal_graph_pattern_get_sub_graph_pattern(gp, i)); i++)
      if (!needs_statement(sub))
        return false;
    return i > 0;
  }
  default:
    return false;
  }
}

/* Whether literal `l` is variable `v`. */
static bool
is_var(const rasqal_literal *l, const rasqal_variable *v)
{
  return l && l->type == RASQAL_LITERAL_VARIABLE && l->value.variable &&
         l->value.variable->name && v->name &&
         !strcmp((const char *)l->value.variable->name, (const char *)v->name);
}

static int
expression_has_var(void *user, rasqal_expression *e)
{
  return e->op == RASQAL_EXPR_LITERAL && is_var(e->literal, user);
}

/* Whether `gp` or a pattern under it reads variable `v` (in a triple
 * pattern or a FILTER). */
static bool
mentions(rasqal_graph_pattern *gp, rasqal_variable *v)
{
  rasqal_triple *t;
  for (int i = 0; rasqal_graph_pattern_get_operator(gp) ==
                    RASQAL_GRAPH_PATTERN_OPERATOR_BASIC &&
                  (t = rasqal_graph_pattern_get_triple(gp, i));
       i++)
    if (is_var(t->subject, v) || is_var(t->predicate, v) ||
        is_var(t->object, v))
      return true;
  rasqal_expression *e = rasqal_graph_pattern_get_filter_expression(gp);
  if (e && rasqal_expression_visit(e, expression_has_var, v))
    return true;
  rasqal_graph_pattern *sub;
  for (int i = 0; (sub = rasqal_graph_pattern_get_sub_graph_pattern(gp, i));
       i++)
    if (mentions(sub, v))
      return true;
  return false;
}

/* The GRAPH variable `v` read inside its block elsewhere than in the
 * block's own triple patterns (an OPTIONAL, a UNION, a FILTER...) under
 * `inner` (the block): rasqal binds it to each graph before evaluating the
 * block, where SPARQL evaluates the block and joins after. */
static bool
graph_var_inside(rasqal_graph_pattern *inner, rasqal_variable *v)
{
  if (rasqal_graph_pattern_get_operator(inner) !=
      RASQAL_GRAPH_PATTERN_OPERATOR_GROUP)
    return rasqal_graph_pattern_get_operator(inner) !=
             RASQAL_GRAPH_PATTERN_OPERATOR_BASIC &&
           mentions(inner, v);
  rasqal_expression *e = rasqal_graph_pattern_get_filter_expression(inner);
  if (e && rasqal_expression_visit(e, expression_has_var, v))
    return true;
  rasqal_graph_pattern *sub;
  for (int i = 0; (sub = rasqal_graph_pattern_get_sub_graph_pattern(inner, i));
       i++)
    if (rasqal_graph_pattern_get_operator(sub) !=
          RASQAL_GRAPH_PATTERN_OPERATOR_BASIC &&
        mentions(sub, v))
      return true;
  return false;
}

/* Refuses a `GRAPH ?g` block under `gp` that needs no statement (see
 * below), and lists the graph of every `GRAPH <iri>` block among the
 * dataset's named graphs (see dipkg_read_storage_list_graph(): a graph the
 * store lacks then reads no statements, where rasqal gave one empty
 * solution), and refuses a block over a graph the store lacks that needs
 * no statement (GRAPH <iri> {}, or only OPTIONAL, BIND...): its SPARQL
 * answer is no solution, rasqal's one, whatever is listed. */
static DipkgStatus
list_named_graphs(DipkgModel *model, rasqal_graph_pattern *gp, const char *name,
                  DipkgDiagList *diags)
{
  DipkgStatus st = DIPKG_SUCCESS;
  rasqal_literal *origin =
    rasqal_graph_pattern_get_operator(gp) == RASQAL_GRAPH_PATTERN_OPERATOR_GRAPH
      ? rasqal_graph_pattern_get_origin(gp)
      : NULL;
  if (origin && origin->type == RASQAL_LITERAL_VARIABLE) {
    // rasqal's row source for a block without a triple pattern cannot
    // start again: the block is answered for the first graph only.
    rasqal_graph_pattern *inner =
      rasqal_graph_pattern_get_sub_graph_pattern(gp, 0);
    rasqal_variable *v = origin->value.variable;
    const char *g = v && v->name ? (const char *)v->name : "g";
    if (inner && v && graph_var_inside(inner, v)) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, name,
                     (DipkgLoc){0, 0, 0},
                     "GRAPH ?%s { ... } reads ?%s inside its block (in an "
                     "OPTIONAL, UNION, FILTER or nested group): rasqal 0.9.33 "
                     "binds it to the graph first, SPARQL evaluates the block "
                     "and joins after; use another variable inside (?%s2) and "
                     "FILTER (!BOUND(?%s2) || sameTerm(?%s2, ?%s)) after the "
                     "block",
                     g, g, g, g, g, g);
      return DIPKG_ERR_QUERY;
    }
    if (!inner || !needs_statement(inner)) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, name,
                     (DipkgLoc){0, 0, 0},
                     "GRAPH ?%s { ... } without a triple pattern of its own: "
                     "rasqal 0.9.33 answers such a block for the first graph "
                     "only; put a triple pattern in it (SELECT DISTINCT ?%s "
                     "{ GRAPH ?%s { ?s ?p ?o } } lists the graphs)",
                     g, g, g);
      return DIPKG_ERR_QUERY;
    }
  }
  if (origin && origin->type == RASQAL_LITERAL_URI && origin->value.uri) {
    const char *iri = (const char *)raptor_uri_as_string(origin->value.uri);
    bool has = false;
    st = dipkg_model_list_graph(model, iri);
    if (!st)
      st = dipkg_model_has_graph(model, iri, &has);
    rasqal_graph_pattern *inner =
      rasqal_graph_pattern_get_sub_graph_pattern(gp, 0);
    if (!st && !has && (!inner || !needs_statement(inner))) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY, name,
                     (DipkgLoc){0, 0, 0},
                     "GRAPH <%s>: the dataset has no graph of that name, so "
                     "the block has no solution, but rasqal 0.9.33 gives one "
                     "empty solution for a block without a triple pattern "
                     "over a graph it lacks; leave the block out (with what "
                     "must join it), or put a triple pattern in it",
                     iri);
      st = DIPKG_ERR_QUERY;
    }
  }
  rasqal_graph_pattern *sub;
  for (int i = 0;
       !st && (sub = rasqal_graph_pattern_get_sub_graph_pattern(gp, i)); i++)
    st = list_named_graphs(model, sub, name, diags);
  return st;
}

static void
ignore_log(void *user, raptor_log_message *msg)
{
  (void)user;
  (void)msg;
}

/* For a query with GRAPH blocks (or FROM, rewritten to one): the checks
 * and listing of list_named_graphs() over the query as it runs. */
static DipkgStatus
prepare_named_graphs(DipkgModel *model, const DipkgSparql *q, const char *name,
                     DipkgDiagList *diags)
{
  if (!strcasestr(q->executed, "graph"))  // (a false match only costs time)
    return DIPKG_SUCCESS;
  // A world of its own: Redland's would print rasqal's warnings (which
  // the run itself reports).
  rasqal_world *rw = rasqal_new_world();
  if (!rw || rasqal_world_open(rw)) {
    if (rw)
      rasqal_free_world(rw);
    return DIPKG_ERR_NO_MEMORY;
  }
  rasqal_world_set_log_handler(rw, NULL, ignore_log);
  raptor_uri *base = q->base ? raptor_new_uri(rasqal_world_get_raptor(rw),
                                              (const unsigned char *)q->base)
                             : NULL;
  rasqal_query *query = rasqal_new_query(rw, "sparql", NULL);
  DipkgStatus st = DIPKG_ERR_NO_MEMORY;
  if (query && (base || !q->base)) {
    st = rasqal_query_prepare(query, (const unsigned char *)q->executed, base)
           ? DIPKG_ERR_QUERY_FAILED  // it parsed before: rasqal's message
           : DIPKG_SUCCESS;
    rasqal_graph_pattern *gp = rasqal_query_get_query_graph_pattern(query);
    if (!st && gp)
      st = list_named_graphs(model, gp, name, diags);
  }
  if (query)
    rasqal_free_query(query);
  if (base)
    raptor_free_uri(base);
  rasqal_free_world(rw);
  return st;
}

DipkgStatus
dipkg_query_run(DipkgModel *model, const DipkgSparql *q, const char *name,
                DipkgResults *results, DipkgDiagList *diags)
{
  librdf_world *world = dipkg_model_redland_world(model);
  if (q->empty_template)  // nothing to construct
    return dipkg_results_end(results);
  if (!dipkg_rasqal_fix_active())
    dipkg_diag_add(
      diags, DIPKG_SEVERITY_WARNING, DIPKG_ERR_QUERY_FAILED, name,
      (DipkgLoc){0, 0, 0},
      "dipkg's corrections of rasqal 0.9.33 (numeric types, "
      "SUBSTR, UCASE/LCASE) are not in effect in this program: answers may "
      "be wrong (docs/rasqal-bugs.md)");
  // rasqal's REGEX is the C library's regcomp(), which reads bytes in the
  // "C" locale: '.' would match one byte of "é", and "i" would not fold
  // "É".  This thread runs the query in a UTF-8 character locale (and
  // goes back to its own after).
  locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  locale_t before = utf8 ? uselocale(utf8) : (locale_t)0;
  DipkgDiagList engine = {0};
  DipkgDiagList *old = dipkg_model_set_log(model, &engine, name);
  DipkgStatus named = prepare_named_graphs(model, q, name, diags);
  if (!named && q->n_paths)  // answered by the read storage (path_eval.c)
    named =
      dipkg_model_set_paths(model, q->paths, q->n_paths, DIPKG_LIMIT_PATH_WORK);
  librdf_uri *base =
    q->base ? librdf_new_uri(world, (const unsigned char *)q->base) : NULL;
  librdf_query *query =
    named || (q->base && !base)
      ? NULL
      : librdf_new_query(world, "sparql", NULL,
                         (const unsigned char *)q->executed, base);
  if (base)
    librdf_free_uri(base);
  (void)dipkg_rasqal_fix_take_oom();  // this query's failures only
  librdf_query_results *res =
    query ? librdf_model_query_execute(dipkg_model_redland_reader(model), query)
          : NULL;
  DipkgStatus st = DIPKG_SUCCESS;
  bool mangled = false;
  if (named) {
    st = named;
  } else if (!query) {
    st = DIPKG_ERR_NO_MEMORY;
  } else if (!res) {  // NOLINT(bugprone-branch-clone): failed to start, kept
                      // apart from an answer of no known kind (below)
    st = DIPKG_ERR_QUERY_FAILED;
  } else if (librdf_query_results_is_boolean(res)) {
    int b = librdf_query_results_get_boolean(res);
    st = b < 0 ? DIPKG_ERR_QUERY_FAILED : dipkg_results_boolean(results, b > 0);
  } else if (librdf_query_results_is_bindings(res)) {
    st = write_bindings(q, res, results, &mangled);
  } else if (librdf_query_results_is_graph(res)) {
    st = write_graph(res, results);
  } else {
    st = DIPKG_ERR_QUERY_FAILED;
  }
  if (!st && engine.errors)
    st = DIPKG_ERR_QUERY_FAILED;
  DipkgStatus path_st = q->n_paths ? dipkg_model_path_status(model) : 0;
  if (q->n_paths)
    dipkg_model_set_paths(model, NULL, 0, 0);
  if (path_st == DIPKG_ERR_QUERY_LIMIT) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_LIMIT, name,
                   (DipkgLoc){0, 0, 0},
                   "a property path needs more work than dipkg allows (%d "
                   "statements read, nodes reached and solutions): no "
                   "answer is "
                   "written; give one end of the path a value (a constant, "
                   "or a variable bound by a pattern before it)",
                   (int)DIPKG_LIMIT_PATH_WORK);
    st = DIPKG_ERR_QUERY_LIMIT;
  } else if (path_st) {
    st = path_st;
  }
  if (dipkg_model_reader_lost(model) && (!st || st == DIPKG_ERR_QUERY_FAILED))
    st = DIPKG_ERR_NO_MEMORY;  // the rows may hold repeats: not an answer
  if (dipkg_rasqal_fix_take_oom() && (!st || st == DIPKG_ERR_QUERY_FAILED))
    st = DIPKG_ERR_NO_MEMORY;  // a value was dropped for want of memory
  if (!st)
    st = dipkg_results_end(results);
  if (st == DIPKG_ERR_QUERY_FAILED && mangled) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_FAILED, name,
                   (DipkgLoc){0, 0, 0},
                   "rasqal 0.9.33 mangled the time zone of an xsd:date, "
                   "xsd:dateTime or xsd:time value (an offset with minutes, "
                   "such as -03:30): no answer is written; store such values "
                   "in UTC (Z), or as plain strings");
  } else if (st == DIPKG_ERR_QUERY_FAILED) {
    // The engine's own words, when it gave any.
    if (engine.n)
      for (size_t i = 0; i < engine.n; i++) {
        const char *m = engine.items[i].message;
        dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_FAILED,
                       name, (DipkgLoc){0, 0, 0},
                       "the query failed while running: %s", m);
        if (strstr(m, "SQL compile"))
          dipkg_diag_add(diags, DIPKG_SEVERITY_NOTE, DIPKG_ERR_QUERY_FAILED,
                         name, (DipkgLoc){0, 0, 0},
                         "Redland's sqlite storage fails when a variable bound "
                         "to a literal is used as the subject of a pattern: "
                         "keep such variables to IRIs (FILTER(isIRI(?x)) in a "
                         "subquery, or a pattern that binds them to IRIs "
                         "first), or use a bdb store (docs/sparql.md)");
      }
    else
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_FAILED, name,
                     (DipkgLoc){0, 0, 0},
                     "the query failed while running (rasqal gave no reason)");
  }
  dipkg_diag_list_clear(&engine);
  dipkg_model_set_log(model, old, NULL);
  if (utf8) {
    uselocale(before);
    freelocale(utf8);
  }
  if (res)
    librdf_free_query_results(res);
  if (query)
    librdf_free_query(query);
  return st;
}
