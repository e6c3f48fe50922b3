/* The ontology under OWL tools no one here wrote (tests/owl/run.sh): the OWL
 * API's OWL 2 DL profile checker finds no violation in the ontology files, and
 * Apache Jena's OWL reasoner finds the seed's graph consistent even when a
 * consumer aligns dip:Event with prov:Activity, which the former mapping
 * (events prov:wasDerivedFrom their article, hence prov:Entity) was not. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ONTOLOGY_FILES                                                         \
  TU_ONTOLOGY "/dip.ttl " TU_ONTOLOGY "/plover.ttl " TU_ONTOLOGY "/cameo.ttl"

static char *out, *err;

static int
run(const char *args)
{
  free(out);
  free(err);
  out = err = NULL;
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "tests/owl/run.sh %s", args);
  return tu_run(cmd, &out, &err);
}

static void
teardown(void)
{
  free(out);
  free(err);
  out = err = NULL;
}

/* The seed's N-Triples export in the scratch directory, with `extra`
 * appended (may be NULL); returns its path. */
static const char *
seed_file(const char *name, const char *extra)
{
  static const char *const seed[] = {TU_FACTS, NULL};
  DipkgStatus st;
  char *nt = tu_export(seed, DIPKG_FORMAT_NTRIPLES, 0, &st);
  ck_assert_msg(st == DIPKG_SUCCESS, "%s", tu_diags());
  size_t n = strlen(nt), e = extra ? strlen(extra) : 0;
  char *all = malloc(n + e + 1);
  ck_assert_ptr_nonnull(all);
  memcpy(all, nt, n);
  memcpy(all + n, extra ? extra : "", e + 1);
  const char *path = tu_write(name, all);
  free(all);
  free(nt);
  return path;
}

START_TEST(test_ontology_is_owl2_dl)
{
  int rc = run("profile " ONTOLOGY_FILES);
  ck_assert_msg(rc == 0, "exit %d:\n%s%s", rc, out, err);
  ck_assert_msg(strstr(out, " violations 0\n"), "%s", out);
}
END_TEST

START_TEST(test_seed_is_consistent_with_prov)
{
  char args[4096];
  snprintf(args, sizeof args,
           "consistency --prov-activity " ONTOLOGY_FILES " %s",
           seed_file("seed.nt", NULL));
  int rc = run(args);
  ck_assert_msg(rc == 0, "exit %d:\n%s%s", rc, out, err);
  ck_assert_msg(strstr(out, " errors 0 consistent\n"), "%s", out);
}
END_TEST

START_TEST(test_event_derived_from_article_is_inconsistent)
{
  // The former mapping: an event derived from its article.  PROV makes it
  // a prov:Entity, the alignment a prov:Activity: the reasoner must say so.
  static const char old[] =
    "<https://example.org/dipkg/event/japan-lifts-export-controls-2023> "
    "<http://www.w3.org/ns/prov#wasDerivedFrom> "
    "<https://example.org/dipkg/article/"
    "ap-2023-03-23-japan-south-korea-export-claims> .\n";
  char args[4096];
  snprintf(args, sizeof args,
           "consistency --prov-activity " ONTOLOGY_FILES " %s",
           seed_file("old.nt", old));
  int rc = run(args);
  ck_assert_msg(rc == 1, "exit %d:\n%s%s", rc, out, err);
  ck_assert_msg(strstr(out, "japan-lifts-export-controls-2023"), "%s", out);
  ck_assert_msg(strstr(out, " errors 1 inconsistent\n"), "%s", out);
}
END_TEST

static Suite *
owl_suite(void)
{
  Suite *s = suite_create("owl");
  TCase *tc = tcase_create("owl");
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_ontology_is_owl2_dl);
  tcase_add_test(tc, test_seed_is_consistent_with_prov);
  tcase_add_test(tc, test_event_derived_from_article_is_inconsistent);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tu_main(owl_suite());
}
