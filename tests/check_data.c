/* Data-driven cases: tests/data/good (facts -> exact N-Triples) and
 * tests/data/bad (facts -> exact diagnostics, exit status).  See the
 * README of each folder.  With DIPKG_UPDATE_EXPECTED=1 the expected files
 * are (re)written from the actual results, for review with git diff. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GOOD "tests/data/good"
#define BAD "tests/data/bad"
#define GAZETTEER "tests/data/gazetteer.yaml"

enum { MAX_CASES = 512 };
static char *good[MAX_CASES], *bad[MAX_CASES];
static int n_good, n_bad;

static int
compare(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Case names in `dir`: NAME.yaml files and NAME directories. */
static int
list_cases(const char *dir, char **out)
{
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < MAX_CASES) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    struct stat sb;
    if (e->d_name[0] == '.' || stat(path, &sb))
      continue;
    size_t len = strlen(e->d_name);
    if (S_ISDIR(sb.st_mode))
      out[n++] = strdup(e->d_name);
    else if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml"))
      out[n++] = strndup(e->d_name, len - 5);
  }
  closedir(d);
  qsort(out, (size_t)n, sizeof *out, compare);
  return n;
}

/* The input path of a case: the directory, or NAME.yaml. */
static void
case_path(const char *dir, const char *name, char *out, size_t size)
{
  struct stat sb;
  snprintf(out, size, "%s/%s", dir, name);
  if (stat(out, &sb) || !S_ISDIR(sb.st_mode))
    snprintf(out, size, "%s/%s.yaml", dir, name);
}

START_TEST(test_good)
{
  const char *name = good[_i];
  char input[600], expected[600];
  case_path(GOOD, name, input, sizeof input);
  snprintf(expected, sizeof expected, "%s/%s.nt", GOOD, name);
  const char *paths[] = {input, NULL};
  DipkgStatus st;
  char *nt = tu_export(paths, DIPKG_FORMAT_NTRIPLES, 1, &st);
  ck_assert_msg(st == DIPKG_SUCCESS, "good case %s failed: %s", name,
                tu_diags());
  tu_expect_file(expected, nt, "the N-Triples export");
  free(nt);
}
END_TEST

START_TEST(test_bad)
{
  const char *name = bad[_i];
  char input[600], expected[600];
  case_path(BAD, name, input, sizeof input);
  snprintf(expected, sizeof expected, "%s/%s.err", BAD, name);
  const char *paths[] = {GAZETTEER, input, NULL};
  DipkgStatus st = tu_validate(paths);
  ck_assert_msg(st != DIPKG_SUCCESS, "bad case %s was accepted", name);
  tu_expect_file(expected, tu_diags(), "the diagnostics");
  // Export reports exactly the same and writes nothing.
  char *diags = strdup(tu_diags());
  char *out = tu_export(paths, DIPKG_FORMAT_TURTLE, 2, &st);
  ck_assert_int_ne(st, DIPKG_SUCCESS);
  ck_assert_str_eq(tu_diags(), diags);
  free(diags);
  free(out);
}
END_TEST

START_TEST(test_gazetteer_is_valid)
{
  const char *paths[] = {GAZETTEER, NULL};
  ck_assert_msg(tu_validate(paths) == DIPKG_SUCCESS, "%s", tu_diags());
}
END_TEST

int
main(void)
{
  n_good = list_cases(GOOD, good);
  n_bad = list_cases(BAD, bad);
  Suite *s = suite_create("data");
  TCase *tc = tcase_create("cases");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_gazetteer_is_valid);
  tcase_add_loop_test(tc, test_good, 0, n_good);
  tcase_add_loop_test(tc, test_bad, 0, n_bad);
  suite_add_tcase(s, tc);
  printf("data: %d good and %d bad cases\n", n_good, n_bad);
  int rc = tu_main(s);
  for (int i = 0; i < n_good; i++)
    free(good[i]);
  for (int i = 0; i < n_bad; i++)
    free(bad[i]);
  return rc;
}
