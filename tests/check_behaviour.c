/* The tool behaves as users of rapper, serdi, riot and curl expect: usage
 * errors name exactly what was not understood (exit 2), -V and --version
 * anywhere, progress on a terminal only, and summaries whose counts say
 * what they count. */
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *out, *err;

/* Runs `dipkg ARGS` (printf-style); returns the exit status and keeps the
 * outputs in `out` and `err`. */
static int dipkg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
dipkg(const char *fmt, ...)
{
  free(out);
  free(err);
  out = err = NULL;
  char args[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  char cmd[8192];
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

/* The first line of standard error is exactly `line`. */
static void
expect_error_line(const char *line)
{
  ck_assert_ptr_nonnull(err);
  size_t n = strcspn(err, "\n");
  ck_assert_msg(strlen(line) == n && !strncmp(err, line, n),
                "expected '%s', got '%.*s'", line, (int)n, err);
}

START_TEST(test_unknown_option_named_exactly)
{
  // The letter getopt stopped at, not the argument before it.
  ck_assert_int_eq(dipkg("export -f nquads -dash facts"), 2);
  expect_error_line("dipkg: unknown option '-d' (in '-dash')");
  ck_assert_ptr_null(strstr(err, "nquads"));
  ck_assert_int_eq(dipkg("export -qZ facts"), 2);
  expect_error_line("dipkg: unknown option '-Z' (in '-qZ')");
  ck_assert_int_eq(dipkg("export --brief -Zq facts"), 2);
  expect_error_line("dipkg: unknown option '-Z' (in '-Zq')");
  ck_assert_int_eq(dipkg("validate -Z facts"), 2);
  expect_error_line("dipkg: unknown option '-Z'");
  ck_assert_int_eq(dipkg("export --frob=1 facts"), 2);
  expect_error_line("dipkg: unknown option '--frob'");
  ck_assert_int_eq(dipkg("export -qo"), 2);
  expect_error_line("dipkg: option '-o' needs a value (in '-qo')");
  ck_assert_int_eq(dipkg("export --ontology"), 2);
  expect_error_line("dipkg: option '--ontology' needs a value");
  ck_assert_int_eq(dipkg("--frob"), 2);
  expect_error_line(
    "dipkg: unknown option '--frob' (options follow the command)");
  ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_help_on_nothing_is_an_error)
{
  ck_assert_int_eq(dipkg("help nosuch"), 2);
  expect_error_line("dipkg: no help for 'nosuch': not a command");
  ck_assert_str_eq(out, "");
  ck_assert_int_eq(dipkg("help export extra"), 2);
  expect_error_line("dipkg: unexpected argument 'extra'");
  ck_assert_int_eq(dipkg("help load"), 0);
  ck_assert_ptr_nonnull(strstr(out, "usage: dipkg load"));
}
END_TEST

START_TEST(test_version_anywhere)
{
  const char *forms[] = {"-V",
                         "--version",
                         "version",
                         "export -V",
                         "export --version facts",
                         "query -V",
                         "classes --version"};
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    ck_assert_msg(dipkg("%s", forms[i]) == 0, "%s: %s", forms[i], err);
    ck_assert_str_eq(out, "dipkg " DIPKG_VERSION "\n");
    ck_assert_str_eq(err, "");
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("behaviour");
  TCase *tc = tcase_create("behaviour");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_unknown_option_named_exactly);
  tcase_add_test(tc, test_help_on_nothing_is_an_error);
  tcase_add_test(tc, test_version_anywhere);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
