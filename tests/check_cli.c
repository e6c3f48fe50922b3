/* The command-line tool as users run it: exit statuses, messages, atomic
 * outputs, write failures, and outputs that independent parsers (serdi,
 * rapper) accept. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs `dipkg ARGS`; returns the exit status and keeps the outputs. */
static char *out, *err;

static int
dipkg(const char *args)
{
  free(out);
  free(err);
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s %s", tu_exe(), args);
  return tu_run(cmd, &out, &err);
}

static void
teardown(void)
{
  free(out);
  free(err);
  out = err = NULL;
}

static bool
have(const char *tool)
{
  char cmd[128];
  snprintf(cmd, sizeof cmd, "command -v %s", tool);
  return tu_run(cmd, NULL, NULL) == 0;
}

START_TEST(test_usage_errors)
{
  ck_assert_int_eq(dipkg(""), 2);
  ck_assert_ptr_nonnull(strstr(err, "dipkg: no command given"));
  ck_assert_int_eq(dipkg("frobnicate"), 2);
  ck_assert_ptr_nonnull(strstr(err, "unknown command 'frobnicate'"));
  ck_assert_int_eq(dipkg("export"), 2);
  ck_assert_ptr_nonnull(strstr(err, "no input files given"));
  ck_assert_int_eq(dipkg("export --frob tests/data/seed"), 2);
  ck_assert_ptr_nonnull(strstr(err, "unknown option '--frob'"));
  ck_assert_int_eq(dipkg("export -f json tests/data/seed"), 2);
  ck_assert_ptr_nonnull(strstr(err, "unknown format 'json'"));
  ck_assert_int_eq(dipkg("export -j 0 tests/data/seed"), 2);
  ck_assert_int_eq(dipkg("export -j x tests/data/seed"), 2);
  ck_assert_int_eq(dipkg("export -o"), 2);
  ck_assert_ptr_nonnull(strstr(err, "option '-o' needs a value"));
  ck_assert_int_eq(dipkg("export --base ftp://x/ tests/data/seed"), 2);
  ck_assert_ptr_nonnull(strstr(err, "invalid base IRI 'ftp://x/'"));
  ck_assert_int_eq(dipkg("validate -o x.ttl tests/data/seed"), 2);
  ck_assert_int_eq(dipkg("classes extra"), 2);
}
END_TEST

START_TEST(test_directory_depth_limit)
{
  // 66 nested directories below the input one, a facts file at the bottom:
  // refused with a message, not skipped in silence.
  char rel[600] = "deep";
  for (int i = 0; i < 66; i++)
    strcat(rel, "/d");
  strcat(rel, "/a.yaml");
  tu_write(rel, "entities: []\n");
  char args[700];
  snprintf(args, sizeof args, "validate %s/deep", tu_scratch());
  ck_assert_int_ne(dipkg(args), 0);
  ck_assert_msg(strstr(err, "directories nest more than 64 levels deep"), "%s",
                err);
}
END_TEST

START_TEST(test_help_and_version)
{
  ck_assert_int_eq(dipkg("--version"), 0);
  ck_assert_str_eq(out, "dipkg " DIPKG_VERSION "\n");
  ck_assert_int_eq(dipkg("help"), 0);
  ck_assert_ptr_nonnull(strstr(out, "commands:"));
  ck_assert_int_eq(dipkg("help export"), 0);
  ck_assert_ptr_nonnull(strstr(out, "--format FORMAT"));
  ck_assert_int_eq(dipkg("export --help"), 0);
  ck_assert_ptr_nonnull(strstr(out, "--output FILE"));
  ck_assert_int_eq(dipkg("classes"), 0);
  ck_assert_ptr_nonnull(
    strstr(out, "  ExportControlsLifted     TradeRestrictionEased    CAMEO 085 "
                "  PLOVER RETREAT\n"));
}
END_TEST

START_TEST(test_validate)
{
  ck_assert_int_eq(dipkg("validate tests/data/seed"), 0);
  ck_assert_str_eq(out, "");
  ck_assert_str_eq(
    err, "2 files valid: 1 article, 27 events, 28 entities; 0 warnings\n");
  ck_assert_int_eq(dipkg("validate -q tests/data/seed"), 0);
  ck_assert_str_eq(err, "");

  const char *bad = tu_write(
    "bad.yaml",
    "article: {id: a, headline: H, publisher: ap, published: 2020-01-01}\n"
    "events:\n"
    "  - id: e\n"
    "    type: Sumit\n"
    "    date: 2020\n");
  char args[1024];
  snprintf(args, sizeof args, "validate tests/data/gazetteer.yaml %s", bad);
  ck_assert_int_eq(dipkg(args), 1);
  // The located message, then the line with a caret under the value.
  char expected[2048];
  snprintf(
    expected, sizeof expected,
    "%s:4:11: error: unknown event type 'Sumit'; did you mean 'Summit'?\n"
    "    4 |     type: Sumit\n"
    "      |           ^~~~~\n"
    "dipkg: 1 error\n",
    bad);
  ck_assert_str_eq(err, expected);
  snprintf(args, sizeof args, "validate --brief tests/data/gazetteer.yaml %s",
           bad);
  ck_assert_int_eq(dipkg(args), 1);
  snprintf(
    expected, sizeof expected,
    "%s:4:11: error: unknown event type 'Sumit'; did you mean 'Summit'?\n"
    "dipkg: 1 error\n",
    bad);
  ck_assert_str_eq(err, expected);
}
END_TEST

START_TEST(test_stats)
{
  ck_assert_int_eq(dipkg("stats tests/data/seed"), 0);
  ck_assert_ptr_nonnull(strstr(out, "articles   1\n"));
  ck_assert_ptr_nonnull(strstr(out, "events     27\n"));
  ck_assert_ptr_nonnull(strstr(out, "entities   28\n"));
  ck_assert_ptr_nonnull(strstr(out, "events by type:\n"));
  ck_assert_ptr_nonnull(strstr(out, "  ExportControlsLifted         1\n"));
  ck_assert_ptr_nonnull(
    strstr(out, "entities by type:\n  Actor                        1\n"));
  ck_assert_ptr_nonnull(strstr(out, "statements "));
  // What memory grows with, each named: the id index and the file list.
  const char *index = strstr(out, "\nid index  ");
  const char *files = strstr(out, "\nfile list  ");
  ck_assert_ptr_nonnull(index);
  ck_assert_ptr_nonnull(files);
  ck_assert_int_gt(atoi(index + 12), 0);
  ck_assert_int_gt(atoi(files + 12), 0);
}
END_TEST

START_TEST(test_export_formats_parse_independently)
{
  static const struct {
    const char *ext, *serdi, *rapper;
  } formats[] = {{"ttl", "turtle", "turtle"},
                 {"nt", "ntriples", "ntriples"},
                 {"nq", "nquads", "nquads"},
                 {"rdf", NULL, "rdfxml"}};
  char args[1024], path[700];
  long counts[4];
  for (size_t i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/seed.%s", tu_scratch(), formats[i].ext);
    snprintf(args, sizeof args, "export -q -o %s tests/data/seed", path);
    ck_assert_int_eq(dipkg(args), 0);
    ck_assert_str_eq(err, "");
    ck_assert_msg(have("rapper"), "rapper is missing (make deps)");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rapper -q -i %s -o ntriples %s | wc -l",
             formats[i].rapper, path);
    char *n = NULL;
    ck_assert_int_eq(tu_run(cmd, &n, NULL), 0);
    counts[i] = atol(n);
    free(n);
    if (formats[i].serdi) {
      ck_assert_msg(have("serdi"), "serdi is missing (make deps)");
      snprintf(cmd, sizeof cmd, "serdi -i %s -o nquads %s | wc -l",
               formats[i].serdi, path);
      ck_assert_int_eq(tu_run(cmd, &n, NULL), 0);
      ck_assert_int_eq(atol(n), counts[i]);
      free(n);
    }
  }
  ck_assert_int_gt(counts[0], 600);
  ck_assert_int_eq(counts[1], counts[0]);
  ck_assert_int_eq(counts[3], counts[0]);
  ck_assert_int_eq(counts[2],
                   counts[0]);  // no entity defined twice in the seed
  // The summary on standard error, without -q.
  snprintf(args, sizeof args, "export -o %s/x.nt tests/data/seed",
           tu_scratch());
  ck_assert_int_eq(dipkg(args), 0);
  ck_assert_ptr_nonnull(
    strstr(err, "(ntriples): 1 article, 27 events, 28 entities, "));
  // The ontology itself parses with both.
  ck_assert_int_eq(
    tu_run("serdi -i turtle -o ntriples ontology/dip.ttl >/dev/null", NULL,
           NULL),
    0);
  ck_assert_int_eq(
    tu_run("rapper -q -i turtle -c ontology/dip.ttl", NULL, NULL), 0);
}
END_TEST

START_TEST(test_failed_export_keeps_old_output)
{
  char target[700], args[1024];
  snprintf(target, sizeof target, "%s/keep/corpus.ttl", tu_scratch());
  tu_write("keep/README", "x");
  snprintf(args, sizeof args, "export -q -o %s tests/data/seed", target);
  ck_assert_int_eq(dipkg(args), 0);
  char *before = tu_read_file(target, NULL);
  const char *bad = tu_write(
    "broken.yaml", "events: [{id: q, type: Summit, date: 2020-02-31}]\n");
  snprintf(args, sizeof args, "export -q -o %s tests/data/seed %s", target,
           bad);
  ck_assert_int_eq(dipkg(args), 1);
  ck_assert_ptr_nonnull(strstr(err, "nothing was written"));
  char *after = tu_read_file(target, NULL);
  ck_assert_str_eq(after, before);
  char cmd[800], *listing = NULL;
  snprintf(cmd, sizeof cmd, "ls -A %s/keep", tu_scratch());
  ck_assert_int_eq(tu_run(cmd, &listing, NULL), 0);
  ck_assert_str_eq(listing, "README\ncorpus.ttl\n");
  free(listing);
  // To standard output: nothing at all.
  snprintf(args, sizeof args, "export tests/data/seed %s", bad);
  ck_assert_int_eq(dipkg(args), 1);
  ck_assert_str_eq(out, "");
  free(before);
  free(after);
}
END_TEST

START_TEST(test_write_failures)
{
  // A full disk: exit 3 and a message, on every output path.
  ck_assert_int_eq(dipkg("export tests/data/seed > /dev/full"), 3);
  ck_assert_ptr_nonnull(strstr(err, "cannot write: No space left on device"));
  ck_assert_int_eq(dipkg("stats tests/data/seed > /dev/full"), 3);
  ck_assert_ptr_nonnull(strstr(err, "No space left on device"));
  ck_assert_int_eq(dipkg("classes > /dev/full"), 3);
  ck_assert_int_eq(dipkg("--version > /dev/full"), 3);
  // A directory that does not exist.
  ck_assert_int_eq(dipkg("export -o /nonexistent-dir/x.ttl tests/data/seed"),
                   3);
  ck_assert_ptr_nonnull(strstr(
    err,
    "/nonexistent-dir/x.ttl: error: cannot write: No such file or directory"));
  // A read-only directory (meaningless as root, who may write anyway).
  if (geteuid() != 0) {
    tu_write("ro/x", "");
    char dir[700], args[1024];
    snprintf(dir, sizeof dir, "%s/ro", tu_scratch());
    chmod(dir, 0555);
    snprintf(args, sizeof args, "export -o %s/out.ttl tests/data/seed", dir);
    ck_assert_int_eq(dipkg(args), 3);
    ck_assert_ptr_nonnull(strstr(err, "Permission denied"));
    chmod(dir, 0755);
  }
}
END_TEST

START_TEST(test_killed_export_keeps_old_file)
{
  // kill -9 in the middle of a large export: the file it replaces keeps
  // its old content (the new one is written beside it and renamed at the
  // end, and a killed process never renames).
  const char *gen = getenv("DIPKG_GEN");
  if (!gen || access(gen, X_OK))
    gen = "build/bench/gen";
  char corpus[700], target[700], cmd[2600];
  snprintf(corpus, sizeof corpus, "%s/killed-corpus", tu_scratch());
  snprintf(cmd, sizeof cmd, "%s --articles 3000 --seed 7 --out %s", gen,
           corpus);
  ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
  const char *old = tu_write("killed/out.nt", "the old content\n");
  snprintf(target, sizeof target, "%s", old);
  // Killed 0.3 s in: the export of 3,000 articles takes several times that.
  snprintf(cmd, sizeof cmd,
           "%s export -j 1 -f ntriples -o %s %s & pid=$!; sleep 0.3; "
           "kill -9 $pid; wait $pid",
           tu_exe(), target, corpus);
  int rc = tu_run(cmd, NULL, NULL);
  ck_assert_msg(rc == 137, "the export was not killed mid-way (exit %d)", rc);
  char *after = tu_read_file(target, NULL);
  ck_assert_ptr_nonnull(after);
  ck_assert_str_eq(after, "the old content\n");
  free(after);
}
END_TEST

START_TEST(test_threads_same_bytes)
{
  char a[700], b[700], args[1600];
  snprintf(a, sizeof a, "%s/j1.nq", tu_scratch());
  snprintf(b, sizeof b, "%s/j2.nq", tu_scratch());
  snprintf(args, sizeof args,
           "export -q -j 1 -o %s tests/data/seed && %s export -q -j 2 -o %s "
           "tests/data/seed",
           a, tu_exe(), b);
  ck_assert_int_eq(dipkg(args), 0);
  char *x = tu_read_file(a, NULL), *y = tu_read_file(b, NULL);
  ck_assert_str_eq(x, y);
  free(x);
  free(y);
}
END_TEST

START_TEST(test_ontology_option)
{
  ck_assert_int_eq(dipkg("validate --ontology no/such/dir tests/data/seed"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "no/such/dir: error: cannot read the ontology"));
  char cmd[800];
  snprintf(cmd, sizeof cmd,
           "DIPKG_ONTOLOGY=ontology/dip.ttl %s validate -q tests/data/seed",
           tu_exe());
  // dip.ttl alone lacks the CAMEO codebook: codes are then only checked
  // for their form, and the seed is still valid.
  ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
  snprintf(cmd, sizeof cmd,
           "DIPKG_ONTOLOGY=/nonexistent %s validate -q tests/data/seed",
           tu_exe());
  char *e = NULL;
  ck_assert_int_eq(tu_run(cmd, NULL, &e), 1);
  ck_assert_ptr_nonnull(
    strstr(e, "/nonexistent: error: cannot read the ontology"));
  free(e);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("cli");
  TCase *tc = tcase_create("cli");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_usage_errors);
  tcase_add_test(tc, test_directory_depth_limit);
  tcase_add_test(tc, test_killed_export_keeps_old_file);
  tcase_add_test(tc, test_help_and_version);
  tcase_add_test(tc, test_validate);
  tcase_add_test(tc, test_stats);
  tcase_add_test(tc, test_export_formats_parse_independently);
  tcase_add_test(tc, test_failed_export_keeps_old_output);
  tcase_add_test(tc, test_write_failures);
  tcase_add_test(tc, test_threads_same_bytes);
  tcase_add_test(tc, test_ontology_option);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
