/* Exports' outputs: the output formats chosen by name and extension
 * (src/format.c), TriG. */
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *out, *err;

/* Runs the shell command made from `fmt` (printf-style); returns the exit
 * status and keeps both outputs in `out` and `err`. */
static int __attribute__((format(printf, 1, 2)))
sh(const char *fmt, ...)
{
  free(out);
  free(err);
  out = err = NULL;
  va_list ap;
  va_start(ap, fmt);
  char *cmd = NULL;
  ck_assert_int_ge(vasprintf(&cmd, fmt, ap), 0);
  va_end(ap);
  int rc = tu_run(cmd, &out, &err);
  free(cmd);
  return rc;
}

/* A path in the scratch directory (caller frees). */
static char *
scratch(const char *name)
{
  char *p = NULL;
  ck_assert_int_ge(asprintf(&p, "%s/%s", tu_scratch(), name), 0);
  return p;
}

static void
teardown(void)
{
  free(out);
  free(err);
  out = err = NULL;
}

START_TEST(test_formats_by_name_and_extension)
{
  // Unknown extensions are errors that name the extension and the known
  // ones; no extension means Turtle; -f overrides the name.
  static const char *const bad[] = {"x.jsonld", "x.yaml", "x.gz.txt",
                                    "x.json.gz"};
  for (size_t i = 0; i < 4; i++) {
    char *p = scratch(bad[i]);
    ck_assert_int_eq(sh("%s export -o %s facts", tu_exe(), p), 2);
    const char *ext = strchr(bad[i], '.');
    if (!strcmp(bad[i], "x.gz.txt"))
      ext = ".txt";
    else if (!strcmp(bad[i], "x.json.gz"))
      ext = ".json";
    char *want = NULL;
    ck_assert_int_ge(asprintf(&want, "extension '%.*s'",
                              (int)strcspn(ext + 1, ".") + 1, ext),
                     0);
    ck_assert_msg(strstr(err, want), "%s: %s", bad[i], err);
    ck_assert_ptr_nonnull(strstr(err, ".ttl, .turtle, .nt, .nq, .trig"));
    struct stat sb;
    ck_assert_int_ne(stat(p, &sb), 0);
    free(want);
    free(p);
  }
  char *plain = scratch("noext");
  ck_assert_int_eq(sh("%s export -q -o %s facts", tu_exe(), plain), 0);
  char *text = tu_read_file(plain, NULL);
  ck_assert(!strncmp(text, "@prefix", 7));
  free(text);
  char *forced = scratch("forced.yaml");
  ck_assert_int_eq(sh("%s export -q -f nt -o %s facts", tu_exe(), forced), 0);
  free(forced);
  free(plain);
  // The table, through the public API.
  DipkgFormat f;
  int gz;
  ck_assert_int_eq(dipkg_format_for_path("a/b.c/x.trig.gz", &f, &gz), 0);
  ck_assert_int_eq(f, DIPKG_FORMAT_TRIG);
  ck_assert_int_eq(gz, 1);
  ck_assert_int_eq(dipkg_format_for_path("a.b/noext", &f, &gz), 0);
  ck_assert_int_eq(f, DIPKG_FORMAT_TURTLE);
  ck_assert_int_eq(gz, 0);
  ck_assert_int_eq(dipkg_format_for_path("x.jsonld", &f, &gz),
                   DIPKG_ERR_USAGE);
  ck_assert_int_eq(dipkg_format_from_name("trig", &f), 0);
  ck_assert_int_eq(f, DIPKG_FORMAT_TRIG);
  size_t n = 0;
  for (; dipkg_format_desc(n); n++) {
    const DipkgFormatDesc *d = dipkg_format_desc(n);
    DipkgFormat back;
    ck_assert_int_eq(dipkg_format_from_name(d->name, &back), 0);
    ck_assert_int_eq(back, d->format);
    ck_assert_str_eq(dipkg_format_name(d->format), d->name);
    ck_assert_ptr_nonnull(d->extensions[0]);
    ck_assert_ptr_nonnull(strchr(d->media_type, '/'));
  }
  ck_assert_uint_eq(n, 5);
}
END_TEST

START_TEST(test_trig_parses_to_the_nquads_graph)
{
  char *trig = scratch("seed.trig"), *nq = scratch("seed.nq");
  ck_assert_int_eq(sh("%s export -q -o %s facts && %s export -q -o %s facts",
                      tu_exe(), trig, tu_exe(), nq),
                   0);
  char *a = tu_canonical(trig), *b = tu_canonical(nq);
  ck_assert_ptr_nonnull(a);
  ck_assert_ptr_nonnull(b);
  ck_assert_str_eq(a, b);
  // serdi agrees, quad for quad (both write N-Quads the same way).
  ck_assert_int_eq(sh("serdi -i trig -o nquads %s | sort > %s.serdi && "
                      "sort %s | cmp - %s.serdi",
                      trig, trig, nq, trig),
                   0);
  // One graph block per article and entity graph, and deterministic.
  ck_assert_int_eq(sh("grep -c '^<https://example.org/dipkg/graph/' %s", trig),
                   0);
  ck_assert_int_eq(atoi(out), 28);  // 1 article + 27 entities
  ck_assert_int_eq(
    sh("%s export -q -j 1 -f trig facts > %s.1 && %s export -q -j 3 -f trig "
       "facts | cmp - %s.1 && cmp %s %s.1",
       tu_exe(), trig, tu_exe(), trig, trig, trig),
    0);
  free(a);
  free(b);
  free(trig);
  free(nq);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("output");
  TCase *tc = tcase_create("output");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_formats_by_name_and_extension);
  tcase_add_test(tc, test_trig_parses_to_the_nquads_graph);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
