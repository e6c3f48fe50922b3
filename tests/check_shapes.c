/* The SHACL shapes (ontology/shapes.ttl), run by a validator no one here
 * wrote (Apache Jena's, tests/shapes/validate.sh): the seed and a generated
 * corpus conform, and every mutation of the seed's graph that breaks a rule
 * of the model is caught with its own message. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D "https://w3id.org/dipkg/ns#"
#define LIFTED                                                                 \
  "<https://example.org/dipkg/event/japan-lifts-export-controls-2023>"

static char *seed_nt;  // the seed's N-Triples export

static void
setup(void)
{
  DipkgStatus st;
  static const char *const seed[] = {TU_FACTS, NULL};
  seed_nt = tu_export(seed, DIPKG_FORMAT_NTRIPLES, 0, &st);
  ck_assert_msg(st == DIPKG_SUCCESS, "%s", tu_diags());
}

static void
teardown(void)
{
  free(seed_nt);
  seed_nt = NULL;
}

/* Validates `nt`; returns the report and sets the counts. */
static char *
validate(const char *name, const char *nt, int *violations, int *warnings)
{
  char file[64], report[64];
  snprintf(file, sizeof file, "%s.nt", name);
  snprintf(report, sizeof report, "%s.report.ttl", name);
  const char *path = tu_write(file, nt);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "tests/shapes/validate.sh %s %s/%s", path,
           tu_scratch(), report);
  char *out = NULL, *err = NULL;
  int rc = tu_run(cmd, &out, &err);
  ck_assert_msg(rc == 0, "the validator did not run (%d):\n%s", rc, err);
  ck_assert_msg(
    sscanf(out, "violations %d warnings %d", violations, warnings) == 2, "%s",
    out);
  free(out);
  free(err);
  char rpath[4096];
  snprintf(rpath, sizeof rpath, "%s/%s", tu_scratch(), report);
  char *text = tu_read_file(rpath, NULL);
  ck_assert_ptr_nonnull(text);
  return text;
}

/* The seed with every line starting with `prefix` replaced by `line` (or
 * dropped when `line` is NULL).  Caller frees. */
static char *
mutate(const char *prefix, const char *line)
{
  size_t n = strlen(seed_nt), pl = strlen(prefix), hits = 0;
  char *out = malloc(n + (line ? strlen(line) * 64 : 0) + 1);
  ck_assert_ptr_nonnull(out);
  char *w = out;
  for (const char *p = seed_nt; *p;) {
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) + 1 : strlen(p);
    if (!strncmp(p, prefix, pl)) {
      hits++;
      if (line)
        w += sprintf(w, "%s\n", line);
    } else {
      memcpy(w, p, len);
      w += len;
    }
    p += len;
  }
  *w = '\0';
  ck_assert_msg(hits > 0, "no line starts with %s", prefix);
  return out;
}

START_TEST(test_seed_conforms)
{
  int v, w;
  char *report = validate("seed", seed_nt, &v, &w);
  ck_assert_msg(v == 0 && w == 0, "%s", report);
  ck_assert_ptr_nonnull(strstr(report, "sh:conforms  true"));
  free(report);
}
END_TEST

START_TEST(test_generated_corpus_conforms)
{
  // A generated corpus: every event class, partial and interval dates,
  // statuses, quotes at offsets.  No violation; its curation warnings (the
  // generator codes agreed events with their class's act codes) are
  // allowed.
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "%s --articles 60 --seed 11 --out %s/gen >/dev/null",
           getenv("DIPKG_GEN") ? getenv("DIPKG_GEN") : "build/bench/gen",
           tu_scratch());
  ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
  snprintf(cmd, sizeof cmd,
           "%s export -q -f nt -o %s/gen.nt %s/gen 2>/dev/null", tu_exe(),
           tu_scratch(), tu_scratch());
  ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
  char path[4096];
  snprintf(path, sizeof path, "%s/gen.nt", tu_scratch());
  char *nt = tu_read_file(path, NULL);
  int v, w;
  char *report = validate("generated", nt, &v, &w);
  ck_assert_msg(v == 0, "%d violations:\n%s", v, report);
  free(report);
  free(nt);
}
END_TEST

/* Each mutation, and the message that must report it. */
static const struct {
  const char *what, *prefix, *line, *message;
  bool warning;
} mutations[] = {
  {"a quote's offset shifted",
   "<https://example.org/dipkg/event/japan-lifts-export-controls-2023#quote-1> "
   "<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
   "beginIndex>",
   "<https://example.org/dipkg/event/japan-lifts-export-controls-2023#quote-1> "
   "<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
   "beginIndex> \"214\"^^<http://www.w3.org/2001/XMLSchema#"
   "nonNegativeInteger> .",
   "the quote's anchor is not the text between its offsets (214, 415)", false},
  {"the actor removed", LIFTED " <" D "actor>", NULL,
   "sh:sourceConstraintComponent  sh:OrConstraintComponent", false},
  {"a bogus CAMEO code", LIFTED " <" D "cameo>",
   LIFTED " <" D "cameo> <" D "cameo-999> .",
   "Node[<https://w3id.org/dipkg/ns#CameoConceptShape>] at focusNode "
   "<https://w3id.org/dipkg/ns#cameo-999>",
   false},
  {"a CAMEO link that disagrees with the code", LIFTED " <" D "cameo>",
   LIFTED " <" D "cameo> <" D "cameo-163> .",
   "dip:cameoCode 085 is not the notation of the event's dip:cameo "
   "concept",
   false},
  {"a bogus status", LIFTED " <" D "status>",
   LIFTED " <" D "status> <" D "Finished> .", "an event has one status", false},
  {"the label removed", LIFTED " <http://www.w3.org/2000/01/rdf-schema#label>",
   NULL, "an event has a label", false},
  {"bounds out of order",
   LIFTED
   " <http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp>",
   LIFTED
   " <http://semanticweb.cs.vu.nl/2009/11/sem/hasEarliestBeginTimeStamp> "
   "\"2023-04-30\"^^<http://www.w3.org/2001/XMLSchema#date> .",
   "the earliest begin is one xsd:date, not after the latest begin", false},
  {"the article link removed", LIFTED " <" D "reportedIn>", NULL,
   "an event is reported in exactly one article", false},
  {"the EDTF date untyped", LIFTED " <" D "edtf>",
   LIFTED " <" D "edtf> \"2023-03-23\" .",
   "an event has its date as the curator wrote it (dip:edtf), typed EDTF",
   false},
  {"a PLOVER mode of another type",
   "<https://example.org/dipkg/event/kwon-hayashi-meeting-2023> <" D "mode>",
   "<https://example.org/dipkg/event/kwon-hayashi-meeting-2023> <" D "mode> <" D
   "plover-SANCTION-discontinue> .",
   "is not a mode of the event's PLOVER type", false},
  {"a plan coded as an act that happened", LIFTED " <" D "status>",
   LIFTED " <" D "status> <" D "Planned> .",
   "is coded 085, an act that happened", true},
  {"an ongoing event closed",
   "<https://example.org/dipkg/event/kwon-visits-tokyo-2023> <" D "status>",
   "<https://example.org/dipkg/event/kwon-visits-tokyo-2023> <" D "status> <" D
   "Ongoing> .\n"
   "<https://example.org/dipkg/event/kwon-visits-tokyo-2023> "
   "<http://semanticweb.cs.vu.nl/2009/11/sem/hasLatestEndTimeStamp> "
   "\"2023-03-23\"^^<http://www.w3.org/2001/XMLSchema#date> .",
   "an ongoing event has a latest end", true},
  {"a visit without its host",
   "<https://example.org/dipkg/event/kwon-visits-tokyo-2023> <" D "target>",
   NULL, "a visit that took place names its visitor", true},
};

START_TEST(test_mutation_is_caught)
{
  size_t i = (size_t)_i;
  char *nt = mutate(mutations[i].prefix, mutations[i].line);
  char name[32];
  snprintf(name, sizeof name, "mutation-%zu", i);
  int v, w;
  char *report = validate(name, nt, &v, &w);
  ck_assert_msg(mutations[i].warning ? w >= 1 : v >= 1,
                "%s: not caught (%d violations, %d warnings):\n%s",
                mutations[i].what, v, w, report);
  ck_assert_msg(strstr(report, mutations[i].message),
                "%s: caught, but not by '%s':\n%s", mutations[i].what,
                mutations[i].message, report);
  free(report);
  free(nt);
}
END_TEST

static Suite *
shapes_suite(void)
{
  Suite *s = suite_create("shapes");
  TCase *tc = tcase_create("shacl");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_seed_conforms);
  tcase_add_test(tc, test_generated_corpus_conforms);
  tcase_add_loop_test(tc, test_mutation_is_caught, 0,
                      (int)(sizeof mutations / sizeof *mutations));
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tu_main(shapes_suite());
}
