/* The query pack (the queries directory): every query runs over the shipped corpus,
 * and over it plus a synthetic second article, and gives exactly the rows
 * in tests/data/pack (SPARQL TSV).  With DIPKG_UPDATE_EXPECTED=1 the
 * expected files are written instead. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERIES "queries"
#define EXPECTED "tests/data/pack"

enum { MAX_QUERIES = 64 };
static char *names[MAX_QUERIES];
static int n_queries;

static int
compare(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
list_queries(void)
{
  DIR *d = opendir(QUERIES);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d)) && n_queries < MAX_QUERIES) {
    size_t len = strlen(e->d_name);
    if (len > 3 && !strcmp(e->d_name + len - 3, ".rq"))
      names[n_queries++] = strndup(e->d_name, len - 3);
  }
  closedir(d);
  qsort(names, (size_t)n_queries, sizeof *names, compare);
}

/* A store holding the corpus (and the extra article when `extra`). */
static DipkgStore *
make_store(DipkgWorld *w, const char *spec, bool extra)
{
  DipkgStore *s = NULL;
  ck_assert_int_eq(dipkg_store_open(w, spec, &s), DIPKG_SUCCESS);
  DipkgCorpus *c = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(c, TU_FACTS), DIPKG_SUCCESS);
  if (extra)
    ck_assert_int_eq(dipkg_corpus_add_path(c, EXPECTED "/extra"),
                     DIPKG_SUCCESS);
  ck_assert_msg(dipkg_store_load(s, c, NULL, NULL) == DIPKG_SUCCESS, "%s",
                tu_diags());
  dipkg_corpus_free(c);
  return s;
}

static char *
run(DipkgStore *s, const char *name)
{
  char path[600];
  snprintf(path, sizeof path, QUERIES "/%s.rq", name);
  char *text = tu_read_file(path, NULL);
  ck_assert_ptr_nonnull(text);
  char *out = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&out, &len);
  tu_query_policy(s);
  DipkgStatus st =
    dipkg_store_query(s, text, path, NULL, DIPKG_RESULTS_TSV, mem, NULL);
  fclose(mem);
  ck_assert_msg(st == DIPKG_SUCCESS, "%s failed: %s", name, tu_diags());
  free(text);
  return out;
}

static void
expect(const char *name, const char *which, const char *actual)
{
  char path[600];
  snprintf(path, sizeof path, EXPECTED "/%s.%s.tsv", name, which);
  tu_expect_file(path, actual, name);
}

START_TEST(test_query)
{
  const char *name = names[_i];
  DipkgWorld *w = tu_world();
  DipkgStore *seed = make_store(w, "memory:", false);
  char *rows = run(seed, name);
  expect(name, "seed", rows);
  free(rows);
  DipkgStore *both = make_store(w, "memory:", true);
  rows = run(both, name);
  expect(name, "extra", rows);
  // Each query says what it answers.
  char path[600];
  snprintf(path, sizeof path, QUERIES "/%s.rq", name);
  char *text = tu_read_file(path, NULL);
  ck_assert_msg(!strncmp(text, "# ", 2) && strlen(strtok(text, "\n")) > 20,
                "%s does not open with a comment saying what it answers", path);
  free(text);
  free(rows);
  dipkg_store_free(seed);
  dipkg_store_free(both);
  tu_world_free(w);
}
END_TEST

START_TEST(test_stores_agree)
{
  // bdb and sqlite stores give the rows the memory store gives.
  static const char *const kinds[] = {"bdb:", "sqlite:"};
  static const char *const places[] = {"pack-bdb", "pack.sqlite"};
  for (size_t k = 0; k < 2; k++) {
    char spec[700];
    snprintf(spec, sizeof spec, "%s%s/%s", kinds[k], tu_scratch(), places[k]);
    DipkgWorld *w = tu_world();
    DipkgStore *s = make_store(w, spec, true);
    for (int i = 0; i < n_queries; i++) {
      char *rows = run(s, names[i]);
      expect(names[i], "extra", rows);
      free(rows);
    }
    dipkg_store_free(s);
    tu_world_free(w);
  }
}
END_TEST

START_TEST(test_pack_size)
{
  ck_assert_int_ge(n_queries, 12);
}
END_TEST

int
main(void)
{
  list_queries();
  Suite *s = suite_create("pack");
  TCase *tc = tcase_create("pack");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_pack_size);
  tcase_add_loop_test(tc, test_query, 0, n_queries);
  tcase_add_test(tc, test_stores_agree);
  suite_add_tcase(s, tc);
  int rc = tu_main(s);
  for (int i = 0; i < n_queries; i++)
    free(names[i]);
  return rc;
}
