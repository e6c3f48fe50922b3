/* The dataset a query sees, SPARQL that SPARQL forbids, and SPARQL that rasqal 0.9.33 under dipkg used
 * to reject or answer wrongly (found by the W3C suites, tests/w3c/): each
 * test runs ./dipkg query on small files written to the scratch
 * directory. */
#include "testutil.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char one_triple[] =
  "<http://ex/s> <http://ex/p> \"in default\" .\n";
static const char one_quad[] =
  "<http://ex/s> <http://ex/p> \"in g1\" <http://ex/g1> .\n";

/* Runs `dipkg query -f csv OPTIONS ARGS` (shell words, already quoted);
 * returns the exit status, output and error in *out and *err (caller
 * frees). */
static int
query(const char *args, char **out, char **err)
{
  char *cmd = NULL;
  ck_assert_int_ge(asprintf(&cmd, "%s query -f csv %s", tu_exe(), args), 0);
  int rc = tu_run(cmd, out, err);
  free(cmd);
  return rc;
}

/* The query as a shell word: written to a file, whose path is returned. */
static const char *
query_file(const char *name, const char *text)
{
  return tu_write(name, text);
}

/* Runs `dipkg query -f csv` with the arguments `fmt` makes (shell words)
 * and checks that it succeeds with the output `expected`. */
static void expect_answer(const char *expected, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

static void
expect_answer(const char *expected, const char *fmt, ...)
{
  char *args = NULL, *out = NULL, *err = NULL;
  va_list ap;
  va_start(ap, fmt);
  ck_assert_int_ge(vasprintf(&args, fmt, ap), 0);
  va_end(ap);
  int rc = query(args, &out, &err);
  ck_assert_msg(rc == 0 && !strcmp(out, expected),
                "%s: exit %d, got\n%s\nexpected\n%s\n%s", args, rc, out,
                expected, err);
  free(out);
  free(err);
  free(args);
}

START_TEST(test_ontology_not_in_default_graph)
{
  const char *data = tu_write("one.ttl", one_triple);
  expect_answer("n\r\n1\r\n", "%s -e 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }'",
                data);  // it was 2105: the ontology too
  // --with-ontology adds it; GRAPH <ns> reads it by name.
  expect_answer("true\n",
                "--with-ontology %s -e 'ASK { ?c "
                "<http://www.w3.org/2004/02/skos/core#notation> "
                "\"010\" }'",
                data);
  expect_answer("true\n",
                "%s -e 'ASK { GRAPH <https://w3id.org/dipkg/ns> "
                "{ ?c <http://www.w3.org/2004/02/skos/core#notation> "
                "\"010\" } }'",
                data);
}
END_TEST

START_TEST(test_file_is_not_a_named_graph)
{
  const char *ttl = tu_write("d.ttl", one_triple);
  char *ttl_path = strdup(ttl);
  const char *nq = tu_write("g.nq", one_quad);
  // GRAPH ?g ranges over the N-Quads graph, not over the Turtle file (it
  // found the file's graph too), nor the ontology.
  expect_answer("g,o\r\nhttp://ex/g1,in g1\r\n",
                "%s %s -e 'SELECT ?g ?o { GRAPH ?g { ?s ?p ?o } }'", nq,
                ttl_path);
  // Patterns outside GRAPH next to GRAPH ?g: the same graphs.
  expect_answer("g,o\r\nhttp://ex/g1,in g1\r\n",
                "%s %s -e 'SELECT ?g ?o { ?s <http://ex/p> \"in "
                "default\" . GRAPH ?g { ?s ?p ?o } }'",
                nq, ttl_path);
  free(ttl_path);
}
END_TEST

START_TEST(test_from)
{
  char *a = strdup(tu_write("ds/a.ttl", one_triple));
  char *b = strdup(tu_write("ds/b.nq", one_quad));
  // FROM <a.ttl>, relative to the query file: only a.ttl's statements (FROM
  // was ignored: both files answered).
  char *q =
    strdup(query_file("ds/from.rq", "SELECT ?o FROM <a.ttl> { ?s ?p ?o }\n"));
  char *args = NULL, *out = NULL, *err = NULL;
  expect_answer("o\r\nin default\r\n", "%s %s %s", a, b, q);
  free(q);
  // FROM NAMED is refused, with the rewrite that works.
  ck_assert_int_ge(asprintf(&args,
                            "%s %s -e 'SELECT ?o FROM NAMED <http://ex/g1> { "
                            "GRAPH ?g { ?s ?p ?o } }'",
                            a, b),
                   0);
  ck_assert_int_eq(query(args, &out, &err), 2);
  ck_assert_str_eq(out, "");
  ck_assert_ptr_nonnull(strstr(err, "FILTER (?g IN"));
  free(out);
  free(err);
  free(args);
  free(a);
  free(b);
}
END_TEST

START_TEST(test_base_and_blank_labels)
{
  const char *data = tu_write("base.ttl", one_triple);
  char *args = NULL, *out = NULL, *err = NULL;
  // BASE was put after dipkg's PREFIX lines, which rasqal rejects.
  ck_assert_int_ge(
    asprintf(&args, "%s -e 'BASE <http://ex/>\nSELECT ?o { <s> <p> ?o }'",
             data),
    0);
  ck_assert_int_eq(query(args, &out, &err), 0);
  ck_assert_str_eq(out, "o\r\nin default\r\n");
  free(out);
  free(err);
  free(args);
  // _:b was read as the undeclared prefix '_:'.
  ck_assert_int_ge(
    asprintf(&args, "%s -e 'SELECT ?o { _:b <http://ex/p> ?o }'", data), 0);
  ck_assert_int_eq(query(args, &out, &err), 0);
  ck_assert_str_eq(out, "o\r\nin default\r\n");
  free(out);
  free(err);
  free(args);
  // A syntax error after a moved BASE keeps its line and column.
  ck_assert_int_ge(
    asprintf(&args, "%s -e 'BASE <http://ex/> SELECT ?o { ?s ?p ?o ?x }'",
             data),
    0);
  ck_assert_int_eq(query(args, &out, &err), 2);
  ck_assert_ptr_nonnull(strstr(err, "<query>:1:40: error"));
  free(out);
  free(err);
  free(args);
}
END_TEST

START_TEST(test_empty_construct)
{
  const char *data = tu_write("c.ttl", one_triple);
  char *cmd = NULL, *out = NULL;
  ck_assert_int_ge(asprintf(&cmd,
                            "%s query -f ntriples %s -e 'CONSTRUCT {} WHERE "
                            "{ ?s ?p ?o }'",
                            tu_exe(), data),
                   0);
  ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);  // the child crashed
  ck_assert_str_eq(out, "");
  free(out);
  free(cmd);
}
END_TEST

/* Queries SPARQL forbids, which rasqal 0.9.33 accepted and answered: each
 * is refused (exit 2) at its place, with a message that starts so. */
static const struct {
  const char *text, *where, *message;
} forbidden[] = {
  {"SELECT ?s ?v { ?s <http://ex/p> ?v } GROUP BY ?s", "1:11",
   "?v is neither grouped nor inside an aggregate"},
  {"SELECT ?o (COUNT(*) AS ?n) { ?s ?p ?o }", "1:8",
   "?o is neither grouped nor inside an aggregate"},
  {"SELECT * { ?s ?p ?o } GROUP BY ?s", "1:8", "SELECT * with GROUP BY"},
  {"SELECT (1 AS ?x) (2 AS ?x) { }", "1:24", "?x is projected twice"},
  {"SELECT ?n (COUNT(*) AS ?c) { ?s ?p ?n } GROUP BY (STR(?n))", "1:50",
   "GROUP BY an expression without a name"},
  {"SELECT * { ?s <http://ex/p> ?o . BIND (1 AS ?o) }", "1:45",
   "BIND to ?o, which the group has bound before it"},
  {"SELECT * { _:a ?p ?v . OPTIONAL { _:a ?q 1 } }", "1:35",
   "the blank node label _:a is used in two groups"},
  {"SELECT * { ?s ?p _:x FILTER (_:x < 3) }", "1:30",
   "a blank node label in an expression"},
  {"ASK { _:w <http://ex/p> ?h OPTIONAL { ?s ?p ?h } _:w <http://ex/q> ?x }",
   "1:50", "the blank node label _:w is used in two groups"},
  {"SELECT (1 AS ?x) { SELECT (2 AS ?x) { } }", "1:14",
   "AS ?x names a variable of the WHERE clause"},
  {"SELECT (BNODE(?o) AS ?b) { ?s ?p ?o }", "1:9", "BNODE(string)"},
  {"SELECT (IRI(?s) AS ?i) { ?s ?p ?o }", "1:9", "IRI(?x) is unbound"},
  {"SELECT (REPLACE(?o, \"a|ab\", \"b\") AS ?r) { ?s ?p ?o }", "1:21",
   "REPLACE with an alternative '|' in its pattern"},
  {"SELECT ?s { ?s ?p ?o { SELECT ?s { ?s ?p ?o } LIMIT 1 } }", "1:47",
   "a subquery with LIMIT or OFFSET"},
  {"SELECT ?s { { SELECT ?s { { SELECT ?s { ?s ?p ?o } } } } }", "1:29",
   "a subquery inside a subquery"},
  {"SELECT ?z { ?s ?p ?o { BIND (?o AS ?z) } }", "1:30",
   "?o is not bound in this group before its BIND"},
  {"SELECT * { ?x ?p ?o { ?y ?q ?r OPTIONAL { ?x ?t ?z } } }", "1:43",
   "?x is not bound in this group before its OPTIONAL"},
  {"SELECT * { ?s ?p ?o BIND (?nova AS ?z) }", "1:27",
   "?nova is used once, in an expression"},
  {"SELECT * { <http://ex/s> <http://ex/p> rdf:a\\:b }", "1:45",
   "'\\:' is not an escape of a prefixed name"},
  {"SELECT * { ?s ?p \"\\uD800\" }", "1:18",
   "\\uD800 is half of a surrogate pair"},
  {"SELECT ?s { ?s ?p ?o FILTER regex(?o, \"^a\", \"m\") }", "1:45",
   "the regex flag 'm'"},
  {"SELECT ?s { ?s ?p ?o FILTER regex(?o, \"\\\\d\") }", "1:39",
   "the regex escape \\d"},
};

START_TEST(test_forbidden)
{
  const char *data = tu_write("f.ttl", one_triple);
  char *args = NULL, *out = NULL, *err = NULL, *want = NULL;
  ck_assert_int_ge(asprintf(&args, "%s -e '%s'", data, forbidden[_i].text), 0);
  ck_assert_int_ge(asprintf(&want, "<query>:%s: error: %s", forbidden[_i].where,
                            forbidden[_i].message),
                   0);
  ck_assert_int_eq(query(args, &out, &err), 2);  // it was 0
  ck_assert_msg(strstr(err, want), "%s: expected\n%s\ngot\n%s",
                forbidden[_i].text, want, err);
  ck_assert_str_eq(out, "");
  free(out);
  free(err);
  free(want);
  free(args);
}
END_TEST

START_TEST(test_group_by_expression)
{
  // GROUP BY (YEAR(?d) AS ?y), the events per year: one row for all years
  // (rasqal did not group by the expression), now one per year.
  const char *data = tu_write(
    "dates.nt", "<http://ex/e1> <http://ex/d> "
                "\"2019-05-01\"^^<http://www.w3.org/2001/XMLSchema#date> .\n"
                "<http://ex/e2> <http://ex/d> "
                "\"2019-06-01\"^^<http://www.w3.org/2001/XMLSchema#date> .\n"
                "<http://ex/e3> <http://ex/d> "
                "\"2020-06-01\"^^<http://www.w3.org/2001/XMLSchema#date> .\n");
  expect_answer("y,n\r\n2019,2\r\n2020,1\r\n",
                "%s -e 'SELECT ?y (COUNT(*) AS ?n) { ?e "
                "<http://ex/d> ?d } GROUP BY (YEAR(?d) AS ?y) "
                "ORDER BY ?y'",
                data);
}
END_TEST

START_TEST(test_regex)
{
  const char *data =
    tu_write("re.nt", "<http://ex/a> <http://ex/p> \"abc\" .\n"
                      "<http://ex/b> <http://ex/p> \"a\\nc\" .\n"
                      "<http://ex/c> <http://ex/p> \"a\xc3\xa9"
                      "c\" .\n"
                      "<http://ex/d> <http://ex/p> \"\xc3\x89T\xc3\x89\" .\n");
  static const struct {
    const char *pattern, *rows;
  } cases[] = {
    // '.' matched the line end, and only one byte of a character.
    {"\"a.c\"", "s\r\nhttp://ex/a\r\nhttp://ex/c\r\n"},
    {"\"a.c\", \"s\"", "s\r\nhttp://ex/a\r\nhttp://ex/b\r\nhttp://ex/c\r\n"},
    // [\\n] was a backslash or an n.
    {"\"a[b\\\\n]c\"", "s\r\nhttp://ex/a\r\nhttp://ex/b\r\n"},
    // "i" did not fold non-ASCII letters.
    {"\"\xc3\xa9t\xc3\xa9\", \"i\"", "s\r\nhttp://ex/d\r\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *args = NULL, *out = NULL;
    ck_assert_int_ge(asprintf(&args,
                              "%s -e 'SELECT ?s { ?s ?p ?o FILTER "
                              "regex(?o, %s) } ORDER BY ?s'",
                              data, cases[i].pattern),
                     0);
    ck_assert_int_eq(query(args, &out, NULL), 0);
    ck_assert_msg(!strcmp(out, cases[i].rows), "regex(?o, %s): got\n%s",
                  cases[i].pattern, out);
    free(out);
    free(args);
  }
}
END_TEST

START_TEST(test_terms_and_groups)
{
  const char *data = tu_write(
    "str.nt", "<http://ex/a> <http://ex/p> \"abc\" .\n"
              "<http://ex/b> <http://ex/p> "
              "\"abc\"^^<http://www.w3.org/2001/XMLSchema#string> .\n");
  // "abc" and "abc"^^xsd:string are one term (RDF 1.1): one row, not two.
  expect_answer("o\r\nabc\r\n", "%s -e 'SELECT DISTINCT ?o { ?s ?p ?o }'",
                data);
  // DATATYPE of a language-tagged literal is rdf:langString (an error in
  // rasqal, which dropped the row).
  const char *lang =
    tu_write("lang.nt", "<http://ex/a> <http://ex/p> \"x\"@en .\n");
  expect_answer(
    "d\r\nhttp://www.w3.org/1999/02/22-rdf-syntax-ns#langString\r\n",
    "%s -e 'SELECT (DATATYPE(?o) AS ?d) { ?s ?p ?o }'", lang);
  data = tu_write("str2.nt",
                  "<http://ex/a> <http://ex/p> \"abc\" .\n"
                  "<http://ex/b> <http://ex/p> "
                  "\"abc\"^^<http://www.w3.org/2001/XMLSchema#string> .\n");
  // GROUP BY over no solutions: no group (rasqal gave one, COUNT 1).
  expect_answer("c\r\n",
                "%s -e 'SELECT (COUNT(*) AS ?c) { ?s "
                "<http://ex/none> ?o } GROUP BY ?s'",
                data);
  expect_answer("o,c\r\nabc,2\r\n",
                "%s -e 'SELECT ?o (COUNT(*) AS ?c) { ?s ?p ?o } "
                "GROUP BY ?o'",
                data);
}
END_TEST

START_TEST(test_datatypes_kept)
{
  // The load cached datatype IRIs by the parser's buffer address: the
  // second file datatype came out as the first ("a"^^t:type2 was stored
  // as "a"^^t:type1, and matched it).
  const char *data =
    tu_write("types.ttl", "@prefix t: <http://example/t#> .\n"
                          "@prefix :  <http://example/ns#> .\n"
                          "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                          ":x1 :p \"a\"^^t:type1 .\n"
                          ":x2 :p \"b\"^^t:type1 .\n"
                          ":y1 :p \"a\"^^t:type2 .\n"
                          ":y2 :p \"b\"^^t:type2 .\n"
                          ":z1 :p \"1\"^^xsd:integer .\n"
                          ":z2 :p \"01\"^^xsd:integer .\n");
  expect_answer("x\r\nhttp://example/ns#x1\r\n",
                "%s -e 'SELECT ?x { ?x <http://example/ns#p> "
                "\"a\"^^<http://example/t#type1> }'",
                data);
}
END_TEST

START_TEST(test_time_zone)
{
  // rasqal writes "-03:30" as "-03:3\"" (and "-10:45" with a stray byte):
  // the query fails instead of answering it.
  const char *data = tu_write(
    "tz.nt", "<http://ex/a> <http://ex/d> \"2014-07-01T08:32:00-03:30\"^^"
             "<http://www.w3.org/2001/XMLSchema#dateTime> .\n");
  char *args = NULL, *out = NULL, *err = NULL;
  ck_assert_int_ge(asprintf(&args, "%s -e 'SELECT ?d { ?s ?p ?d }'", data), 0);
  ck_assert_int_eq(query(args, &out, &err), 1);
  ck_assert_str_eq(out, "");
  ck_assert_ptr_nonnull(strstr(err, "mangled the time zone"));
  free(out);
  free(err);
  free(args);
}
END_TEST

/* Runs the query `text` (written to `name`) over `data` with `options`;
 * checks exit 0 and CSV output `expected`. */
static void
expect_csv(const char *options, const char *data, const char *name,
           const char *text, const char *expected)
{
  char *data_path = strdup(data);
  const char *rq = query_file(name, text);
  char *args = NULL, *out = NULL, *err = NULL;
  ck_assert_int_ge(asprintf(&args, "%s %s %s", options, data_path, rq), 0);
  int rc = query(args, &out, &err);
  ck_assert_msg(rc == 0 && !strcmp(out, expected),
                "for\n%s\nexpected (exit 0):\n%s\ngot (exit %d):\n%s%s", text,
                expected, rc, out, err);
  free(out);
  free(err);
  free(args);
  free(data_path);
}

START_TEST(test_derived_integer_types)
{
  // rasqal's table spells xsd:positiveInteger "postiveInteger" and its
  // loop stops before xsd:unsignedByte: they were no numbers (W3C
  // tP-unsignedByte-short, tP-positiveInteger-short answered false).
  const char *data = tu_write(
    "derived.ttl", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                   "<http://ex/ub> <http://ex/v> \"1\"^^xsd:unsignedByte .\n"
                   "<http://ex/pi> <http://ex/v> \"2\"^^xsd:positiveInteger .\n"
                   "<http://ex/sh> <http://ex/v> \"3\"^^xsd:short .\n"
                   "<http://ex/us> <http://ex/v> \"4\"^^xsd:unsignedShort .\n");
  expect_csv("--no-closure", data, "derived.rq",
             "SELECT ?s (?v + \"1\"^^xsd:short AS ?sum) "
             "(DATATYPE(?v * 2) AS ?t) (isNumeric(?v) AS ?n) (?v < 3 AS ?lt) "
             "{ ?s <http://ex/v> ?v } ORDER BY ?v",
             "s,sum,t,n,lt\r\n"
             "http://ex/ub,2,http://www.w3.org/2001/XMLSchema#integer,true,"
             "true\r\n"
             "http://ex/pi,3,http://www.w3.org/2001/XMLSchema#integer,true,"
             "true\r\n"
             "http://ex/sh,4,http://www.w3.org/2001/XMLSchema#integer,true,"
             "false\r\n"
             "http://ex/us,5,http://www.w3.org/2001/XMLSchema#integer,true,"
             "false\r\n");
}
END_TEST

START_TEST(test_booleans_are_not_numbers)
{
  // rasqal promoted xsd:boolean to xsd:integer: true = 1.0e0 held (W3C
  // "Equality with bool"), true + 1 was 2.  SPARQL: a type error.
  const char *data = tu_write(
    "bool.ttl", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                "<http://ex/t> <http://ex/v> true .\n"
                "<http://ex/one> <http://ex/v> 1.0e0 .\n"
                "<http://ex/f> <http://ex/v> \"false\"^^xsd:boolean .\n");
  expect_csv("--no-closure", data, "bool.rq",
             "SELECT ?s { ?s <http://ex/v> ?v FILTER (?v = true) }",
             "s\r\nhttp://ex/t\r\n");
  expect_csv("--no-closure", data, "bool2.rq",
             "SELECT (true + 1 AS ?sum) (isNumeric(true) AS ?n) "
             "(true = 1 AS ?eq) (true != 1 AS ?ne) (false < true AS ?lt) "
             "(true = true AS ?same) {}",
             "sum,n,eq,ne,lt,same\r\n,false,,,true,true\r\n");
}
END_TEST

START_TEST(test_substr)
{
  // rasqal made an empty SUBSTR an error (W3C: SUBSTR("👪", 2) unbound,
  // not ""), kept every character after a start below 1, truncated a
  // fractional start instead of rounding it.
  const char *data = tu_write("empty.ttl", "");
  expect_csv("--no-closure", data, "substr.rq",
             "SELECT (SUBSTR(\"\\U0001F46A\", 2) AS ?a) "
             "(SUBSTR(\"a\\U0001F46Ab\", 2, 1) AS ?b) "
             "(SUBSTR(\"abc\", 4) AS ?c) (SUBSTR(\"abc\", 0, 2) AS ?d) "
             "(SUBSTR(\"abc\", -1, 3) AS ?e) (SUBSTR(\"abc\", 1.5) AS ?f) "
             "(SUBSTR(\"abc\", 1, 0) AS ?g) (SUBSTR(\"\\u00e9t\\u00e9\"@fr, 2) "
             "AS ?h) (SUBSTR(123, 1) AS ?i) (SUBSTR(\"abc\", \"1\") AS ?j) "
             "(LANG(SUBSTR(\"abc\"@en, 3)) AS ?k) {}",
             "a,b,c,d,e,f,g,h,i,j,k\r\n"
             ",\xF0\x9F\x91\xAA,,a,a,bc,,t\xC3\xA9,,,en\r\n");
}
END_TEST

START_TEST(test_graph_not_in_dataset)
{
  // rasqal evaluates GRAPH <iri> over a graph it is not given as one empty
  // solution: COUNT(*) was 1, the OPTIONAL and FROM forms gave a row too.
  const char *data = tu_write("gq.nq", one_quad);
  expect_csv("--no-closure", data, "nowhere1.rq",
             "SELECT (COUNT(*) AS ?n) { GRAPH <http://nowhere/> "
             "{ ?s ?p ?o } }",
             "n\r\n0\r\n");
  expect_csv("--no-closure", data, "nowhere2.rq",
             "SELECT * { GRAPH <http://nowhere/> { ?s ?p ?o "
             "OPTIONAL { ?s ?q ?r } } }",
             "s,p,o,q,r\r\n");
  expect_csv("--no-closure", data, "nowhere3.rq",
             "SELECT ?o { { GRAPH <http://nowhere/> { ?s ?p ?o } } UNION "
             "{ GRAPH <http://ex/g1> { ?s ?p ?o } } }",
             "o\r\nin g1\r\n");
  expect_csv("--no-closure", data, "nowhere4.rq",
             "SELECT (COUNT(*) AS ?n) FROM <http://nowhere/> { ?s ?p ?o }",
             "n\r\n0\r\n");
  // A block that needs no statement cannot be made empty: refused.
  char *data_path = strdup(data);
  static const char *const bare[] = {
    "SELECT * { GRAPH <http://nowhere/> { } }",
    "SELECT * { GRAPH <http://nowhere/> { OPTIONAL { ?s ?p ?o } } }",
    "SELECT * { GRAPH <http://nowhere/> { BIND (1 AS ?x) } }"};
  for (size_t i = 0; i < sizeof bare / sizeof *bare; i++) {
    const char *rq = query_file("nowhere-bare.rq", bare[i]);
    char *args = NULL, *out = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&args, "%s %s", data_path, rq), 0);
    ck_assert_msg(query(args, &out, &err) == 2, "%s: %s%s", bare[i], out, err);
    ck_assert_str_eq(out, "");
    ck_assert_ptr_nonnull(strstr(err, "nowhere-bare.rq: error: GRAPH "
                                      "<http://nowhere/>: the dataset has no "
                                      "graph of that name"));
    free(out);
    free(err);
    free(args);
  }
  free(data_path);
}
END_TEST

START_TEST(test_default_graph_option)
{
  // --default-graph merge: only the inputs' statements outside graphs (the
  // W3C tests' dataset); --named-graph FILE: FILE as a named graph.
  char *d = strdup(tu_write("dg/d.ttl", one_triple));
  char *g = strdup(tu_write("dg/g.nq", one_quad));
  char *n = strdup(tu_write("dg/n.ttl",
                            "<http://ex/s> <http://ex/p> \"in n\" .\n"
                            "<http://ex/s> <http://ex/p> \"in default\" .\n"));
  char real[PATH_MAX], *n_iri = NULL;
  ck_assert_ptr_nonnull(realpath(n, real));
  ck_assert_int_ge(asprintf(&n_iri, "file://%s", real), 0);
  char *opts = NULL, *expected = NULL;
  static const char count[] = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }";
  static const char graphs[] =
    "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g "
    "ORDER BY ?g";
  // The union (the default): every graph, a statement two hold once.
  ck_assert_int_ge(asprintf(&opts, "--no-closure %s --named-graph %s", g, n),
                   0);
  expect_csv(opts, d, "dg/count.rq", count, "n\r\n3\r\n");
  ck_assert_int_ge(
    asprintf(&expected, "g,n\r\n%s,2\r\nhttp://ex/g1,1\r\n", n_iri), 0);
  expect_csv(opts, d, "dg/graphs.rq", graphs, expected);
  free(opts);
  // The merge: d.ttl alone; the named graphs are the same.
  ck_assert_int_ge(asprintf(&opts,
                            "--no-closure --default-graph merge %s "
                            "--named-graph %s",
                            g, n),
                   0);
  expect_csv(opts, d, "dg/count.rq", count, "n\r\n1\r\n");
  expect_csv(opts, d, "dg/graphs.rq", graphs, expected);
  expect_csv(opts, d, "dg/in-n.rq",
             "SELECT ?o { <http://ex/s> <http://ex/p> ?o } ORDER BY ?o",
             "o\r\nin default\r\n");
  free(opts);
  // A file both an input and a named graph: in both.
  ck_assert_int_ge(asprintf(&opts,
                            "--no-closure --default-graph merge "
                            "--named-graph %s %s",
                            n, n),
                   0);
  expect_csv(opts, d, "dg/count.rq", count, "n\r\n2\r\n");
  free(expected);
  ck_assert_int_ge(asprintf(&expected, "g,n\r\n%s,2\r\n", n_iri), 0);
  expect_csv(opts, d, "dg/graphs.rq", graphs, expected);
  free(opts);
  // Mistakes.
  char *q = strdup(tu_write("dg/q.rq", "ASK {}"));
  const struct {
    const char *option, *file, *message;
  } bad[] = {
    {"--default-graph", "unoin",
     "invalid --default-graph 'unoin' (expected union or merge)"},
    {"--named-graph", q, "': expected an RDF file"},
    {"--store memory: --named-graph", n,
     "--named-graph loads a file with the inputs: not with --store"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    char *args = NULL, *out = NULL, *err = NULL;
    ck_assert_int_ge(
      asprintf(&args, "%s %s %s -e 'ASK {}'", bad[k].option, bad[k].file, d),
      0);
    ck_assert_int_eq(query(args, &out, &err), 2);
    ck_assert_msg(strstr(err, bad[k].message), "%s: %s", args, err);
    free(args);
    free(out);
    free(err);
  }
  free(q);
  free(expected);
  free(n_iri);
  free(d);
  free(g);
  free(n);
}
END_TEST

START_TEST(test_one_unknown_part)
{
  // A pattern with one unknown part went to Redland's get_sources/arcs/
  // targets, around the read storage: the hidden ontology leaked into the
  // default graph, and a statement two graphs hold came twice.
  const char *data = tu_write("two.nq", "<http://ex/b> <http://ex/p> \"1\" "
                                        "<http://ex/g1> .\n"
                                        "<http://ex/b> <http://ex/p> \"1\" "
                                        "<http://ex/g2> .\n");
  expect_csv("--no-closure", data, "one1.rq",
             "SELECT ?p { <http://ex/b> ?p \"1\" }", "p\r\nhttp://ex/p\r\n");
  expect_csv("--no-closure", data, "one2.rq",
             "SELECT ?o { <https://w3id.org/dipkg/ns#Summit> "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?o }",
             "o\r\n");
  expect_csv("--no-closure", data, "one3.rq",
             "SELECT ?s { ?s <http://www.w3.org/2000/01/rdf-schema#label> "
             "\"summit\"@en }",
             "s\r\n");
  expect_csv("--no-closure --with-ontology", data, "one3.rq",
             "SELECT ?s { ?s <http://www.w3.org/2000/01/rdf-schema#label> "
             "\"summit\"@en }",
             "s\r\nhttps://w3id.org/dipkg/ns#Summit\r\n");
}
END_TEST

START_TEST(test_graph_variable_blocks)
{
  // rasqal answers GRAPH ?g { } for the first graph only, and binds ?g
  // before an OPTIONAL inside reads it (W3C graph-empty, graph-optional).
  const char *data = tu_write("gv.nq", "<http://ex/s> <http://ex/p> "
                                       "<http://ex/g1> <http://ex/g1> .\n"
                                       "<http://ex/s> <http://ex/p> \"2\" "
                                       "<http://ex/g2> .\n");
  char *data_path = strdup(data);
  static const struct {
    const char *query, *message;
  } refused[] = {
    {"SELECT ?g { GRAPH ?g { } }", "error: GRAPH ?g { ... } without a "
                                   "triple pattern of its own"},
    {"SELECT ?g ?s { GRAPH ?g { ?s ?p ?o OPTIONAL { ?s ?p ?g } } }",
     "error: GRAPH ?g { ... } reads ?g inside its block"},
  };
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
    const char *rq = query_file("gv.rq", refused[i].query);
    char *args = NULL, *out = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&args, "%s %s", data_path, rq), 0);
    ck_assert_int_eq(query(args, &out, &err), 2);
    ck_assert_msg(strstr(err, refused[i].message), "%s", err);
    free(out);
    free(err);
    free(args);
  }
  free(data_path);
  // The rewrite the message gives.
  expect_csv("--no-closure", data, "gv2.rq",
             "SELECT ?g ?s { GRAPH ?g { ?s ?p ?o OPTIONAL { ?s ?p ?g2 } } "
             "FILTER (!BOUND(?g2) || sameTerm(?g2, ?g)) } ORDER BY ?g",
             "g,s\r\nhttp://ex/g1,http://ex/s\r\n");
  expect_csv("--no-closure", data, "gv3.rq",
             "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
             "g\r\nhttp://ex/g1\r\nhttp://ex/g2\r\n");
}
END_TEST

START_TEST(test_case_mapping)
{
  // rasqal's UCASE/LCASE mapped bytes with toupper(): "søren" became
  // "SøREN".  fn:upper-case maps every character, sharp s to "SS".
  const char *data = tu_write("case.ttl", "");
  expect_csv("--no-closure", data, "case.rq",
             "SELECT (UCASE(\"s\\u00f8ren stra\\u00dfe\") AS ?u) "
             "(LCASE(\"\\u00c9T\\u00c9 \\u03a9\"@fr) AS ?l) "
             "(LANG(LCASE(\"A\"@fr)) AS ?t) (UCASE(\"a\\U0001F46Ab\") AS ?w) "
             "(UCASE(12) AS ?n) {}",
             "u,l,t,w,n\r\n"
             "S\xC3\x98REN STRASSE,\xC3\xA9t\xC3\xA9 \xCF\x89,fr,"
             "A\xF0\x9F\x91\xAA"
             "B,\r\n");
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("sparql_w3c");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_ontology_not_in_default_graph);
  tcase_add_test(tc, test_file_is_not_a_named_graph);
  tcase_add_test(tc, test_from);
  tcase_add_test(tc, test_base_and_blank_labels);
  tcase_add_test(tc, test_empty_construct);
  tcase_add_loop_test(tc, test_forbidden, 0,
                      (int)(sizeof forbidden / sizeof *forbidden));
  tcase_add_test(tc, test_group_by_expression);
  tcase_add_test(tc, test_regex);
  tcase_add_test(tc, test_terms_and_groups);
  tcase_add_test(tc, test_datatypes_kept);
  tcase_add_test(tc, test_time_zone);
  tcase_add_test(tc, test_derived_integer_types);
  tcase_add_test(tc, test_booleans_are_not_numbers);
  tcase_add_test(tc, test_substr);
  tcase_add_test(tc, test_case_mapping);
  tcase_add_test(tc, test_graph_not_in_dataset);
  tcase_add_test(tc, test_default_graph_option);
  tcase_add_test(tc, test_one_unknown_part);
  tcase_add_test(tc, test_graph_variable_blocks);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
