/* The portable export (`dipkg export --closure --with-ontology`,
 * src/portable.c): what it adds, and that the query pack gives the same
 * answers on another engine (Oxigraph, from npm) over it as `dipkg query`
 * gives over the facts.  The Oxigraph test needs Node and npm: it installs
 * the package in tests/crosscheck when missing, and fails if it cannot. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXTRA "tests/data/pack/extra"
#define SUMMIT "<https://example.org/dipkg/event/yoon-kishida-summit-2023>"
#define ONTO_GRAPH "<https://w3id.org/dipkg/ns>"

/* Runs the dipkg command line `args` and returns its standard output
 * (caller frees); the exit status goes to `*rc`. */
static char *
dipkg(const char *args, int *rc, char **err)
{
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "%s %s", tu_exe(), args);
  char *out = NULL;
  *rc = tu_run(cmd, &out, err);
  return out;
}

START_TEST(closure_adds_superclasses)
{
  int rc;
  char *plain = dipkg("export -f nquads " TU_FACTS, &rc, NULL);
  ck_assert_int_eq(rc, 0);
  char *closed = dipkg("export -f nquads --closure " TU_FACTS, &rc, NULL);
  ck_assert_int_eq(rc, 0);
  const char *inferred = SUMMIT " <http://www.w3.org/1999/02/22-rdf-syntax-ns"
                                "#type> <https://w3id.org/dipkg/ns#Event>";
  ck_assert_ptr_null(strstr(plain, inferred));
  ck_assert_ptr_nonnull(strstr(closed, inferred));
  // A sub-property's super-property: dip:actor is a sem:hasActor.
  ck_assert_ptr_nonnull(
    strstr(closed, "<http://semanticweb.cs.vu.nl/2009/11/sem/hasActor>"));
  ck_assert_ptr_null(strstr(closed, ONTO_GRAPH " ."));
  free(plain);
  free(closed);
}
END_TEST

START_TEST(ontology_in_its_own_graph)
{
  int rc;
  char *out = dipkg("export -f nquads --with-ontology " TU_FACTS, &rc, NULL);
  ck_assert_int_eq(rc, 0);
  // The class hierarchy and the CAMEO scheme, in the ontology's graph.
  ck_assert_ptr_nonnull(
    strstr(out, "<https://w3id.org/dipkg/ns#Summit> "
                "<http://www.w3.org/2000/01/rdf-schema#subClassOf> "
                "<https://w3id.org/dipkg/ns#Meeting> " ONTO_GRAPH " ."));
  ck_assert_ptr_nonnull(
    strstr(out, "<https://w3id.org/dipkg/ns#CameoEventCodes> "));
  // The facts stay in their graphs.
  ck_assert_ptr_nonnull(strstr(out, "<https://example.org/dipkg/graph/"));
  free(out);
}
END_TEST

START_TEST(portable_turtle_parses)
{
  char path[512];
  snprintf(path, sizeof path, "%s/portable.ttl", tu_scratch());
  char args[1024];
  snprintf(args, sizeof args,
           "export -q --closure --with-ontology -o %s " TU_FACTS, path);
  int rc;
  free(dipkg(args, &rc, NULL));
  ck_assert_int_eq(rc, 0);
  char *lines = tu_canonical(path);
  ck_assert_ptr_nonnull(lines);
  ck_assert_ptr_nonnull(strstr(lines, "<https://w3id.org/dipkg/ns#Summit> "));
  free(lines);
}
END_TEST

START_TEST(invalid_corpus_writes_nothing)
{
  const char *bad = tu_write("bad/a.yaml", "article: {id: x}\nevents: 3\n");
  char path[512];
  snprintf(path, sizeof path, "%s/never.nq", tu_scratch());
  char args[1024];
  snprintf(args, sizeof args, "export -q --closure -o %s %s", path, bad);
  int rc;
  free(dipkg(args, &rc, NULL));
  ck_assert_int_eq(rc, 1);
  FILE *f = fopen(path, "r");
  ck_assert_ptr_null(f);
}
END_TEST

START_TEST(options_belong_to_export)
{
  int rc;
  char *err = NULL;
  free(dipkg("validate --closure " TU_FACTS, &rc, &err));
  ck_assert_int_eq(rc, 2);
  ck_assert_ptr_nonnull(strstr(err, "validate takes no option --closure"));
  free(err);
}
END_TEST

/* The formats that take extras are the format table's graph formats: the
 * refusal names them from the table. */
START_TEST(extras_refused_for_records)
{
  int rc;
  char *err = NULL;
  free(dipkg("export -f plover-jsonl --closure " TU_FACTS, &rc, &err));
  ck_assert_int_eq(rc, 2);
  ck_assert_ptr_nonnull(
    strstr(err, "--closure and --with-ontology write turtle, ntriples, "
                "nquads, trig, rdfxml or jsonld, not plover-jsonl"));
  free(err);
}
END_TEST

/* An export with extras goes through the plain export's output: ".gz"
 * compresses it, and an output that is an input is refused. */
START_TEST(extras_output_as_plain_export)
{
  int rc;
  char *plain =
    dipkg("export -f nquads --closure --with-ontology " TU_FACTS, &rc, NULL);
  ck_assert_int_eq(rc, 0);
  char args[2048], cmd[2048];
  snprintf(args, sizeof args,
           "export -f nquads --closure --with-ontology -o %s/x.nq.gz " TU_FACTS,
           tu_scratch());
  free(dipkg(args, &rc, NULL));
  ck_assert_int_eq(rc, 0);
  size_t len = 0;
  snprintf(cmd, sizeof cmd, "%s/x.nq.gz", tu_scratch());
  char *raw = tu_read_file(cmd, &len);
  ck_assert_ptr_nonnull(raw);
  ck_assert_uint_ge(len, 2);
  ck_assert_int_eq((unsigned char)raw[0], 0x1f);  // gzip's magic bytes
  ck_assert_int_eq((unsigned char)raw[1], 0x8b);
  free(raw);
  snprintf(cmd, sizeof cmd, "gzip -dc %s/x.nq.gz", tu_scratch());
  char *unzipped = NULL;
  ck_assert_int_eq(tu_run(cmd, &unzipped, NULL), 0);
  ck_assert_str_eq(unzipped, plain);
  free(unzipped);
  free(plain);
  char *err = NULL;
  free(dipkg("export --closure -f turtle -o " TU_FACTS
             "/entities.yaml " TU_FACTS,
             &rc, &err));
  ck_assert_int_ne(rc, 0);
  ck_assert_ptr_nonnull(strstr(err, "the output is also an input"));
  free(err);
}
END_TEST

/* Every pack query, unchanged, on Oxigraph over the portable export of
 * the corpus and the pack's extra article, against `dipkg query`. */
START_TEST(pack_agrees_on_oxigraph)
{
  int rc = tu_run("cd tests/crosscheck && { test -d node_modules/oxigraph || "
                  "npm install --no-audit --no-fund --loglevel=error; }",
                  NULL, NULL);
  ck_assert_msg(rc == 0, "cannot install the oxigraph npm package (Node and "
                         "npm are needed: CI has them)");
  char path[512];
  snprintf(path, sizeof path, "%s/pack.nq", tu_scratch());
  char args[1024];
  snprintf(args, sizeof args,
           "export -q --closure --with-ontology -o %s " TU_FACTS " " EXTRA,
           path);
  free(dipkg(args, &rc, NULL));
  ck_assert_int_eq(rc, 0);
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "node tests/crosscheck/pack.mjs --dipkg %s --export %s "
           "--queries queries -- " TU_FACTS " " EXTRA,
           tu_exe(), path);
  char *out = NULL, *err = NULL;
  rc = tu_run(cmd, &out, &err);
  ck_assert_msg(rc == 0, "%s%s", out ? out : "", err ? err : "");
  ck_assert_ptr_nonnull(strstr(out, " queries compared, 0 differ"));
  free(out);
  free(err);
}
END_TEST

/* TriG and JSON-LD with --closure and --with-ontology hold the quads of
 * the N-Quads export: the ontology and every article's and entity's graph
 * as named graphs.  Read back by processors no one here wrote: Oxigraph
 * (TriG) and jsonld.js (JSON-LD, canonicalised with RDFC-1.0). */
START_TEST(trig_and_jsonld_hold_the_quads)
{
  int rc = tu_run("cd tests/crosscheck && { test -d node_modules/oxigraph || "
                  "npm install --no-audit --no-fund --loglevel=error; } && "
                  "cd ../jsonld && { test -d node_modules/jsonld || "
                  "npm install --no-audit --no-fund --loglevel=error; }",
                  NULL, NULL);
  ck_assert_msg(rc == 0, "cannot install oxigraph and jsonld from npm (Node "
                         "and npm are needed: CI has them)");
  const char *formats[] = {"nq", "trig", "jsonld"};
  char paths[3][512];
  for (int i = 0; i < 3; i++) {
    snprintf(paths[i], sizeof paths[i], "%s/dataset.%s", tu_scratch(),
             formats[i]);
    char args[2048];
    snprintf(args, sizeof args,
             "export -q --closure --with-ontology -o %s " TU_FACTS " " EXTRA,
             paths[i]);
    char *err = NULL;
    free(dipkg(args, &rc, &err));
    ck_assert_msg(rc == 0, "export to %s: %s", formats[i], err ? err : "");
    free(err);
  }
  char cmd[2048], *out = NULL, *err = NULL;
  snprintf(cmd, sizeof cmd, "node tests/crosscheck/same-quads.mjs %s %s",
           paths[1], paths[0]);
  rc = tu_run(cmd, &out, &err);
  ck_assert_msg(rc == 0, "%s%s", out ? out : "", err ? err : "");
  ck_assert_ptr_nonnull(strstr(out, "same quads: "));
  free(out);
  free(err);
  snprintf(cmd, sizeof cmd, "node tests/jsonld/roundtrip.js %s %s", paths[2],
           paths[0]);
  rc = tu_run(cmd, &out, &err);
  ck_assert_msg(rc == 0, "%s%s", out ? out : "", err ? err : "");
  ck_assert_ptr_nonnull(strstr(out, "same graph: "));
  free(out);
  free(err);
  // The ontology is a named graph of the JSON-LD document.
  char *doc = tu_read_file(paths[2], NULL);
  ck_assert_ptr_nonnull(doc);
  ck_assert_ptr_nonnull(strstr(doc, "\"@id\": \"https://w3id.org/dipkg/ns\",\n"
                                    "      \"@graph\": ["));
  free(doc);
}
END_TEST

static Suite *
suite(void)
{
  Suite *s = suite_create("portable");
  TCase *tc = tcase_create("export");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, closure_adds_superclasses);
  tcase_add_test(tc, ontology_in_its_own_graph);
  tcase_add_test(tc, portable_turtle_parses);
  tcase_add_test(tc, invalid_corpus_writes_nothing);
  tcase_add_test(tc, options_belong_to_export);
  tcase_add_test(tc, extras_refused_for_records);
  tcase_add_test(tc, extras_output_as_plain_export);
  tcase_add_test(tc, pack_agrees_on_oxigraph);
  tcase_add_test(tc, trig_and_jsonld_hold_the_quads);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tu_main(suite());
}
