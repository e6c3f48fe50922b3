/* SPARQL 1.1 property paths (sparql_path.c, path_eval.c): every operator,
 * bag and set semantics, cycles, zero-length paths, graphs, paths inside
 * OPTIONAL, UNION, subqueries and FILTER NOT EXISTS, a path beside a
 * ?s ?p ?o pattern, the seed corpus's CAMEO hierarchy, a store (never
 * written), and the work limit of one evaluation. */
#include "testutil.h"

#include "path_eval.h"

#include <redland.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *out, *err;

/* `dipkg query -f tsv ARGS -e QUERY` (the query in single quotes). */
static int
query(const char *args, const char *text)
{
  free(out);
  free(err);
  out = err = NULL;
  size_t len = strlen(tu_exe()) + strlen(args) + strlen(text) + 64;
  char *cmd = malloc(len);
  ck_assert_ptr_nonnull(cmd);
  snprintf(cmd, len, "%s query -f tsv %s -e '%s'", tu_exe(), args, text);
  int rc = tu_run(cmd, &out, &err);
  free(cmd);
  return rc;
}

static void
free_outputs(void)
{
  free(out);
  free(err);
  out = err = NULL;
}

static int
compare_lines(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of `text` sorted, repeats kept (caller frees): the answers
 * of a path are a bag. */
static char *
sorted_bag(const char *text)
{
  char *copy = strdup(text);
  size_t n = 0, cap = 16;
  char **lines = malloc(cap * sizeof *lines);
  ck_assert(copy && lines);
  for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l;
       l = strtok_r(NULL, "\n", &save)) {
    if (n == cap) {
      cap *= 2;
      lines = realloc(lines, cap * sizeof *lines);
      ck_assert_ptr_nonnull(lines);
    }
    lines[n++] = l;
  }
  qsort(lines, n, sizeof *lines, compare_lines);
  char *joined = calloc(strlen(text) + 2, 1);
  ck_assert_ptr_nonnull(joined);
  for (size_t i = 0; i < n; i++) {
    strcat(joined, lines[i]);
    strcat(joined, "\n");
  }
  free(lines);
  free(copy);
  return joined;
}

/* The rows of `out` (without the header line), sorted. */
static char *
rows(void)
{
  const char *nl = out ? strchr(out, '\n') : NULL;
  ck_assert_msg(nl != NULL, "no header in: %s / %s", out ? out : "",
                err ? err : "");
  return sorted_bag(nl + 1);
}

/* Runs `text` over the small graph and checks its sorted rows (with
 * <http://ex/X> written as :X, and "\n" between rows). */
static const char graph[] = "@prefix : <http://ex/> .\n"
                            ":a :p :b . :b :p :c . :c :p :a .\n"  // a cycle
                            ":a :q :b . :b :r :d .\n"
                            ":a :p2 :b .\n"  // a second way from a to b
                            ":d :name \"dee\" .\n";

static void
expect(const char *text, const char *expected)
{
  const char *data = tu_write("paths.ttl", graph);
  char args[512];
  snprintf(args, sizeof args, "%s", data);
  char full[2048];
  snprintf(full, sizeof full, "PREFIX : <http://ex/> %s", text);
  int rc = query(args, full);
  ck_assert_msg(rc == 0, "%s: exit %d: %s", text, rc, err ? err : "");
  if (!strncmp(text, "ASK", 3)) {  // true or false, no header
    ck_assert_msg(!strcmp(out, expected), "%s: %s", text, out);
    return;
  }
  char *got = rows();
  // :X for <http://ex/X>
  char *compact = malloc(strlen(got) + 1);
  ck_assert_ptr_nonnull(compact);
  size_t k = 0;
  for (const char *p = got; *p;) {
    if (!strncmp(p, "<http://ex/", 11)) {
      compact[k++] = ':';
      p += 11;
      while (*p && *p != '>')
        compact[k++] = *p++;
      if (*p)
        p++;
    } else {
      compact[k++] = *p++;
    }
  }
  compact[k] = '\0';
  char *want = sorted_bag(expected);
  char *sorted = sorted_bag(compact);
  ck_assert_msg(!strcmp(sorted, want), "%s:\ngot:\n%s\nwant:\n%s", text, sorted,
                want);
  free(sorted);
  free(want);
  free(compact);
  free(got);
}

START_TEST(test_sequence_inverse_alternative)
{
  expect("SELECT * { ?x :p/:p ?y }", ":a\t:c\n:b\t:a\n:c\t:b\n");
  expect("SELECT * { ?x ^:p ?y }", ":b\t:a\n:c\t:b\n:a\t:c\n");
  expect("SELECT * { :d ^:r/^:q ?y }", ":a\n");
  expect("SELECT * { ?x :q|:r ?y }", ":a\t:b\n:b\t:d\n");
  expect("SELECT * { ?x (:q|:p2)/:r ?y }", ":a\t:d\n:a\t:d\n");
  expect("SELECT * { ?x :q/^:p2 ?y }", ":a\t:a\n");
  // Grouping and nesting: ^(a/b) is ^b/^a.
  expect("SELECT * { ?x ^(:q/:r) ?y }", ":d\t:a\n");
  // (| binds looser than /: :name, or ^:r then :name.)
  expect("SELECT * { ?x :name|^:r/:name ?y }", ":d\t\"dee\"\n");
  expect("SELECT * { ?x (:r|:p2)/:name ?y }", ":b\t\"dee\"\n");
}
END_TEST

START_TEST(test_negated_property_sets)
{
  expect("SELECT * { ?x !:p ?y }",
         ":a\t:b\n:a\t:b\n:b\t:d\n:d\t\"dee\"\n");  // :q and :p2: a bag
  expect("SELECT * { ?x !(:p|:p2|:name) ?y }", ":a\t:b\n:b\t:d\n");
  // Inverse members only: the inverse arcs.
  expect("SELECT * { :b !(^:p|^:p2) ?y }", ":a\n");
  expect("SELECT * { :d !(:name|^:q) ?y }", ":b\n");
  expect("SELECT * { :b !(:p|^:p) ?y }", ":d\n:a\n:a\n");
}
END_TEST

START_TEST(test_closures_are_sets)
{
  // a reaches b by :p and by :p2: the bag has it twice, the closures once.
  expect("SELECT * { :a :p|:p2 ?y }", ":b\n:b\n");
  expect("SELECT * { :a (:p|:p2)? ?y }", ":a\n:b\n");
  expect("SELECT * { :a (:p|:p2)+ ?y }", ":a\n:b\n:c\n");
  expect("SELECT * { :a (:p|:p2)* ?y }", ":a\n:b\n:c\n");
  // A cycle: :a :p+ :a, and the walk ends.
  expect("ASK { :a :p+ :a }", "true\n");
  expect("ASK { :d :r+ :d }", "false\n");
  expect("SELECT * { ?x :p+ :a }", ":a\n:b\n:c\n");
  expect("SELECT * { :d :p+ ?y }", "");
  // A closure inside a sequence: each pair of the closure once, then the
  // join's bag.
  expect("SELECT * { :d (^:r)*/:q ?y }", "");
  expect("SELECT * { :b :p*/:r ?y }", ":d\n");
  expect("SELECT * { ?x (:q/:r)+ ?y }", ":a\t:d\n");
}
END_TEST

START_TEST(test_zero_length)
{
  // Both ends free: every subject and object of the graph, literals too.
  expect("SELECT * { ?x :r? ?x }", ":a\n:b\n:c\n:d\n\"dee\"\n");
  expect("SELECT (COUNT(*) AS ?n) { ?x :zz* ?y }",
         "\"5\"^^<http://www.w3.org/2001/XMLSchema#integer>\n");
  // A constant end the graph lacks still matches itself.
  expect("SELECT * { :nowhere :p* ?y }", ":nowhere\n");
  expect("SELECT * { ?x :p* :nowhere }", ":nowhere\n");
  expect("ASK { :nowhere :p? :nowhere }", "true\n");
  expect("ASK { :nowhere :p* :elsewhere }", "false\n");
  expect("SELECT * { \"x\" :p* ?y }", "\"x\"\n");
  expect("ASK { :a :p+ :nowhere }", "false\n");
}
END_TEST

START_TEST(test_in_patterns)
{
  // ; and , lists, [ ] and a bound end from an earlier pattern.
  expect("SELECT * { ?x :q ?m ; :q/:r ?y , ?z }", ":a\t:b\t:d\t:d\n");
  expect("SELECT * { [ :q/:r ?y ] }", ":d\n");
  expect("SELECT * { ?x :q ?m . ?m :r/:name ?n }", ":a\t:b\t\"dee\"\n");
  expect("SELECT * { ?x :name ?n OPTIONAL { ?x ^:r/^:q ?a } }",
         ":d\t\"dee\"\t:a\n");
  expect("SELECT * { ?x :name ?n OPTIONAL { ?x :p+ ?a } }", ":d\t\"dee\"\t\n");
  expect("SELECT * { { ?x :q ?y } UNION { ?x :q/:r ?y } }", ":a\t:b\n:a\t:d\n");
  expect("SELECT * { ?x :q ?m { SELECT ?m ?z { ?m :r/:name ?z } } }",
         ":a\t:b\t\"dee\"\n");
  expect("SELECT * { ?x :q ?m FILTER NOT EXISTS { ?m :p+ :d } }", ":a\t:b\n");
  expect("SELECT * { ?x :q ?m FILTER EXISTS { ?m :p/:p :a } }", ":a\t:b\n");
  expect("SELECT * { ?x :q ?m FILTER EXISTS { ?m :p/:p :b } }", "");
  expect("SELECT * { ?x :q ?m MINUS { ?x :p/:p :c } }", "");
}
END_TEST

/* A ?s ?p ?o pattern never sees what answers a path. */
START_TEST(test_beside_any_predicate)
{
  expect("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
         "\"7\"^^<http://www.w3.org/2001/XMLSchema#integer>\n");
  // a: 3 statements x 3 nodes reached (a, b, c); b: 2 x 3; c: 1 x 3;
  // d: 1 x 1 (itself).
  expect("SELECT (COUNT(*) AS ?n) { ?s ?p ?o . ?s :p* ?z }",
         "\"19\"^^<http://www.w3.org/2001/XMLSchema#integer>\n");
  expect("SELECT DISTINCT ?p { ?s :p/:p ?o . ?s ?p ?x }", ":p\n:q\n:p2\n:r\n");
}
END_TEST

START_TEST(test_graphs)
{
  const char *data = tu_write("paths.trig", "@prefix : <http://ex/> .\n"
                                            ":a :p :z .\n"
                                            ":g1 { :a :p :b . :b :p :c . }\n"
                                            ":g2 { :a :p :d . :d :p :a . }\n");
  ck_assert_int_eq(
    query(data, "PREFIX : <http://ex/> SELECT ?g ?y { GRAPH ?g { :a :p+ ?y "
                "} }"),
    0);
  char *got = rows();
  char *want = sorted_bag("<http://ex/g1>\t<http://ex/b>\n"
                          "<http://ex/g1>\t<http://ex/c>\n"
                          "<http://ex/g2>\t<http://ex/d>\n"
                          "<http://ex/g2>\t<http://ex/a>\n");
  ck_assert_str_eq(got, want);
  free(got);
  free(want);
  // One graph by name: its statements only.
  ck_assert_int_eq(
    query(data, "PREFIX : <http://ex/> SELECT ?y { GRAPH :g1 { :a :p+ ?y } "
                "}"),
    0);
  got = rows();
  ck_assert_str_eq(got, "<http://ex/b>\n<http://ex/c>\n");
  free(got);
  // The default graph: the union of the graphs (a path across them), or
  // with --default-graph merge the statements outside graphs only.
  ck_assert_int_eq(query(data, "PREFIX : <http://ex/> SELECT ?y { :b ^:p+ ?y "
                               "}"),
                   0);
  got = rows();
  ck_assert_str_eq(got, "<http://ex/a>\n<http://ex/d>\n");
  free(got);
  char args[512];
  snprintf(args, sizeof args, "--default-graph merge %s", data);
  ck_assert_int_eq(query(args, "PREFIX : <http://ex/> SELECT ?y { :a :p+ ?y }"),
                   0);
  got = rows();
  ck_assert_str_eq(got, "<http://ex/z>\n");
  free(got);
  // Zero-length in a graph: the nodes of that graph.
  ck_assert_int_eq(
    query(data, "PREFIX : <http://ex/> SELECT ?x { GRAPH :g2 { ?x :zz* ?x "
                "} }"),
    0);
  got = rows();
  ck_assert_str_eq(got, "<http://ex/a>\n<http://ex/d>\n");
  free(got);
}
END_TEST

/* skos:broader* over the CAMEO codes of the seed's events gives what
 * the hierarchy written out level by level gives. */
START_TEST(test_seed_cameo_hierarchy)
{
  static const char head[] =
    "# dipkg: with-ontology\n"
    "SELECT DISTINCT ?code ?top WHERE { ?e dip:cameoCode ?code . ?c "
    "skos:notation ?code ; skos:inScheme dip:CameoEventCodes . ";
  char q[2048];
  snprintf(q, sizeof q, "%s ?c skos:broader* ?t . ?t skos:notation ?top }",
           head);
  ck_assert_int_eq(query(TU_FACTS, q), 0);
  char *path = rows();
  snprintf(q, sizeof q,
           "%s { ?c skos:notation ?top } UNION { ?c skos:broader ?t . ?t "
           "skos:notation ?top } UNION { ?c skos:broader ?m . ?m "
           "skos:broader ?t . ?t skos:notation ?top } UNION { ?c "
           "skos:broader ?m . ?m skos:broader ?m2 . ?m2 skos:broader ?t . "
           "?t skos:notation ?top } }",
           head);
  ck_assert_int_eq(query(TU_FACTS, q), 0);
  char *levels = rows();
  ck_assert_str_eq(path, levels);
  ck_assert_uint_gt(strlen(path), 100);  // the seed's events have codes
  // No code is four levels deep (the levels above are all of them).
  snprintf(q, sizeof q,
           "# dipkg: with-ontology\nASK { ?c skos:broader/skos:broader/"
           "skos:broader/skos:broader ?t }");
  ck_assert_int_eq(query(TU_FACTS, q), 0);
  ck_assert_ptr_nonnull(strstr(out, "false"));
  // Every ancestor's code is a prefix of the event's code.
  for (char *line = path; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = '\0';
    char *tab = strchr(line, '\t');
    ck_assert_ptr_nonnull(tab);
    ck_assert_msg(!strncmp(line, tab + 1, strlen(tab + 1) - 1) ||
                    strlen(tab + 1) <= 2,
                  "%s", line);
    line = nl ? nl + 1 : NULL;
  }
  free(path);
  free(levels);
}
END_TEST

/* A path over a store: answered, and the store's files unchanged. */
START_TEST(test_store_not_written)
{
  const char *data = tu_write("store-paths.ttl", graph);
  char store[1024], cmd[4096];
  snprintf(store, sizeof store, "%s/paths.sqlite", tu_scratch());
  snprintf(cmd, sizeof cmd, "%s load --store sqlite:%s %s", tu_exe(), store,
           data);
  ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
  size_t before_len = 0, after_len = 0;
  char *before = tu_read_file(store, &before_len);
  ck_assert_ptr_nonnull(before);
  char args[1100];
  snprintf(args, sizeof args, "--store sqlite:%s", store);
  ck_assert_int_eq(
    query(args, "PREFIX : <http://ex/> SELECT ?y { :a (:p|:p2)+ ?y }"), 0);
  char *got = rows();
  ck_assert_str_eq(got, "<http://ex/a>\n<http://ex/b>\n<http://ex/c>\n");
  free(got);
  ck_assert_int_eq(query(args, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"), 0);
  ck_assert_ptr_nonnull(strstr(out, "\"7\""));
  char *after = tu_read_file(store, &after_len);
  ck_assert_ptr_nonnull(after);
  ck_assert_uint_eq(before_len, after_len);
  ck_assert(!memcmp(before, after, before_len));
  free(before);
  free(after);
}
END_TEST

/* A malformed path is refused where it breaks. */
START_TEST(test_malformed)
{
  const char *data = tu_write("paths.ttl", graph);
  ck_assert_int_eq(query(data, "PREFIX : <http://ex/>\nSELECT * {\n  ?x :p/ "
                               "?y }"),
                   2);
  ck_assert_ptr_nonnull(strstr(err, ":3:10: error: malformed property path"));
  ck_assert_int_eq(query(data, "PREFIX : <http://ex/>\nSELECT * {\n  ?x "
                               "!(:p|?z) ?y }"),
                   2);
  ck_assert_ptr_nonnull(strstr(err, ":3:11: error: malformed property path"));
  ck_assert_int_eq(query(data, "SELECT * { ?x <p>/<q> ?y }"), 2);
  ck_assert_ptr_nonnull(strstr(err, "relative IRI in a property path"));
  // dipkg's own IRIs would read a path's answers: refused.
  ck_assert_int_eq(query(data, "PREFIX : <http://ex/> SELECT * { ?x :p/:p "
                               "?y . ?s <urn:dipkg:path:0> ?o }"),
                   2);
  ck_assert_ptr_nonnull(strstr(err, "are dipkg's own"));
}
END_TEST

/* `dipkg query -f tsv DATA FILE` for the query text in `text`, written to
 * FILE (too long for a command-line argument). */
static int
query_file(const char *data, const char *text)
{
  free_outputs();
  const char *file = tu_write("long.rq", text);
  size_t len = strlen(tu_exe()) + strlen(data) + strlen(file) + 64;
  char *cmd = malloc(len);
  ck_assert_ptr_nonnull(cmd);
  snprintf(cmd, len, "%s query -f tsv %s %s", tu_exe(), data, file);
  int rc = tu_run(cmd, &out, &err);
  free(cmd);
  return rc;
}

/* A query nested deeper than DIPKG_LIMIT_QUERY_NESTING, in brackets or in
 * a path's operators, is refused where it goes over, not a crash. */
START_TEST(test_nesting_refused)
{
  const char *data = tu_write("paths.ttl", graph);
  enum { N = 100000 };
  char *text = malloc(2 * N + 64);
  ck_assert_ptr_nonnull(text);
  size_t k = (size_t)sprintf(text, "PREFIX : <http://ex/> SELECT * { ?s ");
  memset(text + k, '(', N);
  k += N;
  k += (size_t)sprintf(text + k, ":p");
  memset(text + k, ')', N);
  k += N;
  sprintf(text + k, " ?o }");
  ck_assert_int_eq(query_file(data, text), 2);
  ck_assert_ptr_nonnull(strstr(err, ":1:292: error: brackets nested more "
                                    "than 256 deep"));
  free(text);
  // A sequence of N steps nests N - 1 operators deep.
  text = malloc(3 * N + 64);
  ck_assert_ptr_nonnull(text);
  k = (size_t)sprintf(text, "PREFIX : <http://ex/> SELECT * { ?s :p");
  for (int i = 0; i < N; i++)
    k += (size_t)sprintf(text + k, "/:p");
  sprintf(text + k, " ?o }");
  ck_assert_int_eq(query_file(data, text), 2);
  ck_assert_ptr_nonnull(strstr(err, "property path nested more than 256"));
  free(text);
  // A shallow one, answered.
  expect("SELECT ?y { :a :p/:p/:p ?y }", ":a");
}
END_TEST

/* The short form CONSTRUCT WHERE { ... } has no paths: its group is the
 * template too, and the rewrite would output dipkg's own IRI. */
START_TEST(test_construct_where_refused)
{
  const char *data = tu_write("paths.ttl", graph);
  ck_assert_int_eq(query(data, "PREFIX : <http://ex/> CONSTRUCT WHERE { ?s "
                               ":p/:q ?o }"),
                   2);
  ck_assert_ptr_nonnull(strstr(err, ":1:44: error: a property path in "
                                    "CONSTRUCT WHERE"));
  ck_assert_int_eq(query(data, "PREFIX : <http://ex/> CONSTRUCT FROM <"
                               "http://ex/g> WHERE { ?s :p+ ?o }"),
                   2);
  ck_assert_ptr_nonnull(strstr(err, "a property path in CONSTRUCT WHERE"));
  // The long form: the path in its WHERE group is answered.
  char args[512];
  snprintf(args, sizeof args, "-f ntriples %s", data);
  ck_assert_int_eq(query(args, "PREFIX : <http://ex/> CONSTRUCT { ?s :x ?o } "
                               "WHERE { :a :p/:r ?o BIND(:a AS ?s) }"),
                   0);
  ck_assert_ptr_nonnull(strstr(out, "<http://ex/d>"));
  ck_assert_ptr_null(strstr(out, "urn:dipkg"));
}
END_TEST

/* A path's answers are read under an IRI no query text can name: neither
 * spelt with a prefix, nor escaped, nor made by IRI(), nor without its
 * index. */
START_TEST(test_internal_iri_unreachable)
{
  static const char *const bypass[] = {
    "PREFIX u: <urn:dipkg:pa> SELECT ?s ?o { ?x :p/:p ?y . ?s u:th:0 ?o }",
    "SELECT ?s ?o { ?x :p/:p ?y . ?s <urn:dipkg:p\\u0061th:0> ?o }",
    "SELECT ?s ?o { ?x :p/:p ?y . BIND(IRI(\"urn:dipkg:path:0\") AS ?p) ?s "
    "?p ?o }",
    "SELECT ?s ?o { ?x :p/:p ?y . BIND(IRI(\"urn:dipkg:path:\") AS ?p) ?s "
    "?p ?o }",
  };
  const char *data = tu_write("paths.ttl", graph);
  for (size_t i = 0; i < sizeof bypass / sizeof *bypass; i++) {
    char full[512];
    snprintf(full, sizeof full, "PREFIX : <http://ex/> %s", bypass[i]);
    query(data, full);  // refused or answered, but with no row
    ck_assert_msg(!out || !strstr(out, "http://ex/"), "%s: %s", bypass[i], out);
  }
  // The path itself is answered.
  expect("SELECT ?y { :a :p/:p ?y }", ":c");
}
END_TEST

/* The CLI: a path over the limit fails with the rewrite, no rows. */
START_TEST(test_limit_refused)
{
  char *chain = malloc(2000 * 40 + 64);
  ck_assert_ptr_nonnull(chain);
  size_t k = (size_t)sprintf(chain, "@prefix : <http://ex/> .\n");
  for (int i = 0; i < 2000; i++)
    k += (size_t)sprintf(chain + k, ":n%d :p :n%d .\n", i, i + 1);
  const char *data = tu_write("chain.ttl", chain);
  free(chain);
  ck_assert_int_eq(
    query(data, "PREFIX : <http://ex/> SELECT (COUNT(*) AS ?n) { ?x :p* ?y "
                "}"),
    1);
  ck_assert_str_eq(out, "");
  ck_assert_ptr_nonnull(strstr(err, "give one end of the path a value"));
  // With an end given, the same path is answered.
  ck_assert_int_eq(
    query(data, "PREFIX : <http://ex/> SELECT (COUNT(*) AS ?n) { :n0 :p* ?y "
                "}"),
    0);
  ck_assert_ptr_nonnull(strstr(out, "\"2001\""));
}
END_TEST

/* The library: one evaluation over its work limit appends nothing and
 * says so; under it, the answer. */
static librdf_stream *
find_in_model(void *user, librdf_statement *pattern)
{
  return librdf_model_find_statements(user, pattern);
}

START_TEST(test_work_limit)
{
  librdf_world *w = librdf_new_world();
  librdf_world_open(w);
  librdf_storage *st = librdf_new_storage(w, "memory", NULL, NULL);
  librdf_model *m = librdf_new_model(w, st, NULL);
  ck_assert_ptr_nonnull(m);
  librdf_node *p =
    librdf_new_node_from_uri_string(w, (const unsigned char *)"http://ex/next");
  // A chain n0 -> n1 -> ... -> n199.
  for (int i = 0; i + 1 < 200; i++) {
    char a[32], b[32];
    snprintf(a, sizeof a, "http://ex/n%d", i);
    snprintf(b, sizeof b, "http://ex/n%d", i + 1);
    librdf_model_add(
      m, librdf_new_node_from_uri_string(w, (const unsigned char *)a),
      librdf_new_node_from_node(p),
      librdf_new_node_from_uri_string(w, (const unsigned char *)b));
  }
  char iri[] = "http://ex/next";
  DipkgPathNode nodes[2] = {{DIPKG_PATH_LINK, -1, -1, -1, false, iri, 1, 1},
                            {DIPKG_PATH_PLUS, 0, -1, -1, false, NULL, 1, 1}};
  DipkgPath path = {nodes, 2, 2, 1, 0, 0, ""};
  DipkgPathGraph g = {w, find_in_model, m};
  librdf_node *start =
    librdf_new_node_from_uri_string(w, (const unsigned char *)"http://ex/n0");
  DipkgPathPairs pairs = {NULL, 0, 0};
  ck_assert_int_eq(dipkg_path_eval(&g, &path, start, NULL, 100, &pairs),
                   DIPKG_ERR_QUERY_LIMIT);
  ck_assert_uint_eq(pairs.n, 0);
  ck_assert_int_eq(dipkg_path_eval(&g, &path, start, NULL, 10000, &pairs),
                   DIPKG_SUCCESS);
  ck_assert_uint_eq(pairs.n, 199);
  dipkg_path_pairs_free(&pairs);
  librdf_free_node(start);
  librdf_free_node(p);
  librdf_free_model(m);
  librdf_free_storage(st);
  librdf_free_world(w);
}
END_TEST

/* A model of 200 statements `s pI o` (I from 0; `same`: pI is p0 for all,
 * and o is the literal I instead). */
static librdf_model *
wide_model(librdf_world *w, librdf_storage **st, bool same)
{
  *st = librdf_new_storage(w, "memory", NULL, NULL);
  librdf_model *m = librdf_new_model(w, *st, NULL);
  ck_assert_ptr_nonnull(m);
  for (int i = 0; i < 200; i++) {
    char p[32], o[32];
    snprintf(p, sizeof p, "http://ex/p%d", same ? 0 : i);
    snprintf(o, sizeof o, "%d", i);
    librdf_node *on =
      same ? librdf_new_node_from_literal(w, (const unsigned char *)o, NULL, 0)
           : librdf_new_node_from_uri_string(w, (const unsigned char *)"http://"
                                                                       "ex/o");
    librdf_model_add(
      m,
      librdf_new_node_from_uri_string(w, (const unsigned char *)"http://ex/s"),
      librdf_new_node_from_uri_string(w, (const unsigned char *)p), on);
  }
  return m;
}

/* The work limit counts every statement read: those a negated property
 * set excludes, and those read for the nodes of a path with no end
 * given. */
START_TEST(test_work_limit_counts_reads)
{
  librdf_world *w = librdf_new_world();
  librdf_world_open(w);
  char p0[] = "http://ex/p0", absent[] = "http://ex/absent";
  DipkgPathPairs pairs = {NULL, 0, 0};
  // !p0 from s, over 200 statements s p0 "I": all excluded.
  librdf_storage *st;
  librdf_model *m = wide_model(w, &st, true);
  DipkgPathNode nps[2] = {{DIPKG_PATH_LINK, -1, -1, -1, false, p0, 1, 1},
                          {DIPKG_PATH_NPS, 0, -1, -1, false, NULL, 1, 1}};
  DipkgPath path = {nps, 2, 2, 1, 0, 0, ""};
  DipkgPathGraph g = {w, find_in_model, m};
  librdf_node *s =
    librdf_new_node_from_uri_string(w, (const unsigned char *)"http://ex/s");
  ck_assert_int_eq(dipkg_path_eval(&g, &path, s, NULL, 100, &pairs),
                   DIPKG_ERR_QUERY_LIMIT);
  ck_assert_int_eq(dipkg_path_eval(&g, &path, s, NULL, 1000, &pairs),
                   DIPKG_SUCCESS);
  ck_assert_uint_eq(pairs.n, 0);
  librdf_free_node(s);
  librdf_free_model(m);
  librdf_free_storage(st);
  // absent? with no end, over 200 statements s pI o: two nodes.
  m = wide_model(w, &st, false);
  DipkgPathNode opt[2] = {{DIPKG_PATH_LINK, -1, -1, -1, false, absent, 1, 1},
                          {DIPKG_PATH_OPT, 0, -1, -1, false, NULL, 1, 1}};
  path = (DipkgPath){opt, 2, 2, 1, 0, 0, ""};
  g.user = m;
  ck_assert_int_eq(dipkg_path_eval(&g, &path, NULL, NULL, 100, &pairs),
                   DIPKG_ERR_QUERY_LIMIT);
  ck_assert_uint_eq(pairs.n, 0);
  ck_assert_int_eq(dipkg_path_eval(&g, &path, NULL, NULL, 1000, &pairs),
                   DIPKG_SUCCESS);
  ck_assert_uint_eq(pairs.n, 2);
  dipkg_path_pairs_free(&pairs);
  librdf_free_model(m);
  librdf_free_storage(st);
  librdf_free_world(w);
}
END_TEST

/* A parenthesised IRI is a path (rasqal rejects it as a verb): answered
 * like the IRI. */
START_TEST(test_parenthesised_iri)
{
  expect("SELECT ?x ?y { ?x (:q) ?y }", ":a\t:b");
  expect("SELECT ?x ?y { ?x ((:q)) ?y }", ":a\t:b");
  expect("SELECT ?x { ?x (:r) :d }", ":b");
}
END_TEST

/* The same query explains the same way every run: the internal IRI's
 * nonce comes from the query's text (it was random). */
START_TEST(test_explain_is_stable)
{
  char cmd[1024], *a = NULL, *b = NULL;
  snprintf(cmd, sizeof cmd,
           "%s query --explain -e 'SELECT * { ?s <http://ex/p>/<http://ex/q>+ "
           "?o }'",
           tu_exe());
  ck_assert_int_eq(tu_run(cmd, &a, NULL), 0);
  ck_assert_int_eq(tu_run(cmd, &b, NULL), 0);
  ck_assert_ptr_nonnull(strstr(a, "urn:dipkg:path:"));
  ck_assert_str_eq(a, b);
  free(a);
  free(b);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("path");
  TCase *tc = tcase_create("paths");
  tcase_set_timeout(tc, 60);
  tcase_add_checked_fixture(tc, NULL, free_outputs);
  tcase_add_test(tc, test_sequence_inverse_alternative);
  tcase_add_test(tc, test_negated_property_sets);
  tcase_add_test(tc, test_closures_are_sets);
  tcase_add_test(tc, test_zero_length);
  tcase_add_test(tc, test_in_patterns);
  tcase_add_test(tc, test_beside_any_predicate);
  tcase_add_test(tc, test_graphs);
  tcase_add_test(tc, test_seed_cameo_hierarchy);
  tcase_add_test(tc, test_store_not_written);
  tcase_add_test(tc, test_malformed);
  tcase_add_test(tc, test_work_limit);
  tcase_add_test(tc, test_limit_refused);
  tcase_add_test(tc, test_nesting_refused);
  tcase_add_test(tc, test_construct_where_refused);
  tcase_add_test(tc, test_internal_iri_unreachable);
  tcase_add_test(tc, test_work_limit_counts_reads);
  tcase_add_test(tc, test_parenthesised_iri);
  tcase_add_test(tc, test_explain_is_stable);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
