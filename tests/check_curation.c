/* Curation rules of the facts (src/facts.c, src/resolve.c): the located
 * warnings that catch modelling mistakes (an event dated against its
 * article's publication, a malformed language tag, a quote found twice),
 * the refusal of quotes joined with an ellipsis, and --strict, which makes
 * the warnings errors. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *out, *err;

/* `dipkg validate --brief [--strict] FILE` over a facts file written to the
 * scratch directory as `name`; returns the exit status. */
static int
validate(const char *name, const char *yaml, bool strict)
{
  free(out);
  free(err);
  out = err = NULL;
  const char *path = tu_write(name, yaml);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "%s validate --brief %s%s", tu_exe(),
           strict ? "--strict " : "", path);
  return tu_run(cmd, &out, &err);
}

static void
teardown(void)
{
  free(out);
  free(err);
  out = err = NULL;
}

static void
expect_in(const char *needle)
{
  ck_assert_msg(err && strstr(err, needle), "expected '%s' in:\n%s", needle,
                err ? err : "(nothing)");
}

#define ARTICLE                                                                \
  "article: {id: a1, headline: H, publisher: p, published: 2024-03-10}\n"      \
  "entities:\n"                                                                \
  "  - {id: p, type: NewsOrganization, name: P}\n"                             \
  "  - {id: land, type: Country, name: Land}\n"

START_TEST(test_occurred_after_publication)
{
  static const char yaml[] = ARTICLE "events:\n"
                                     "  - id: e1\n"
                                     "    type: Visit\n"
                                     "    date: 2024-04\n"
                                     "    actors: [land]\n";
  ck_assert_int_eq(validate("after.yaml", yaml, false), 0);
  expect_in("after.yaml:8:11: warning: event 'e1' has status 'occurred' but "
            "is dated '2024-04', after its article was published "
            "(2024-03-10); if the article announces it, say 'status: "
            "planned'");
  // --strict: the same message, as an error, and the run fails.
  ck_assert_int_eq(validate("after.yaml", yaml, true), 1);
  expect_in("after.yaml:8:11: error: event 'e1' has status 'occurred'");
  // Planned, it is fine.
  static const char planned[] = ARTICLE "events:\n"
                                        "  - id: e1\n"
                                        "    type: Visit\n"
                                        "    date: 2024-04\n"
                                        "    status: planned\n"
                                        "    actors: [land]\n";
  ck_assert_int_eq(validate("planned.yaml", planned, true), 0);
  ck_assert_ptr_null(strstr(err, "warning:"));
}
END_TEST

START_TEST(test_plan_before_publication)
{
  static const char yaml[] = ARTICLE "events:\n"
                                     "  - id: e1\n"
                                     "    type: Visit\n"
                                     "    date: 2024-03-01\n"
                                     "    status: agreed\n"
                                     "    actors: [land]\n";
  ck_assert_int_eq(validate("before.yaml", yaml, false), 0);
  expect_in("before.yaml:8:11: warning: event 'e1' has status 'agreed' but "
            "is dated '2024-03-01', entirely before its article was "
            "published (2024-03-10)");
  expect_in("'2024-03-10/..'");
  ck_assert_int_eq(validate("before.yaml", yaml, true), 1);
  // An open interval from publication on is the way to date such a plan.
  static const char open[] = ARTICLE "events:\n"
                                     "  - id: e1\n"
                                     "    type: Visit\n"
                                     "    date: 2024-03-10/..\n"
                                     "    status: agreed\n"
                                     "    actors: [land]\n";
  ck_assert_int_eq(validate("open.yaml", open, true), 0);
}
END_TEST

START_TEST(test_language_tags)
{
  static const struct {
    const char *tag;
    const char *warning;  // NULL: none
  } cases[] = {
    {"en", NULL},
    {"en-GB", NULL},
    {"zh-Hant-TW", NULL},
    {"sl-rozaj-biske", NULL},
    {"de-CH-1901", NULL},
    {"en-US-x-twain", NULL},
    {"English", "language 'English' is not a BCP 47 tag (the language is a "
                "2- or 3-letter ISO 639 code); did you mean 'en'?"},
    {"english-us", "language 'english-us' is not a BCP 47 tag (the language "
                   "is a 2- or 3-letter ISO 639 code); did you mean 'en'?"},
    {"japanese", "did you mean 'ja'?"},
    {"en-GB-GB", "language 'en-GB-GB' is not a well-formed BCP 47 tag"},
    {"abcdefg", "language 'abcdefg' is not a well-formed BCP 47 tag"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "article: {id: a1, headline: H, publisher: p, published: "
             "2024-03-10, language: %s}\n"
             "entities:\n"
             "  - {id: p, type: NewsOrganization, name: P}\n",
             cases[i].tag);
    ck_assert_int_eq(validate("lang.yaml", yaml, false), 0);
    if (cases[i].warning)
      expect_in(cases[i].warning);
    else
      ck_assert_msg(!strstr(err, "warning:"), "%s: %s", cases[i].tag, err);
    ck_assert_int_eq(validate("lang.yaml", yaml, true),
                     cases[i].warning ? 1 : 0);
  }
}
END_TEST

START_TEST(test_quote_found_twice)
{
  tu_write("twice.txt", "They met. Talks went well. They met.\n");
  static const char yaml[] =
    "article: {id: a1, headline: H, publisher: p, published: 2024-03-10, "
    "text: twice.txt}\n"
    "entities:\n"
    "  - {id: p, type: NewsOrganization, name: P}\n"
    "events:\n"
    "  - id: e1\n"
    "    type: Meeting\n"
    "    date: 2024-03-10\n"
    "    quotes: [\"They met.\", \"Talks went well.\"]\n";
  ck_assert_int_eq(validate("twice.yaml", yaml, false), 0);
  expect_in("twice.yaml:8:14: warning: the quote occurs more than once in the "
            "article text; its first occurrence (characters 0 to 9) gets the "
            "offsets");
  ck_assert_ptr_null(strstr(err, "twice.yaml:8:27: warning"));
  ck_assert_int_eq(validate("twice.yaml", yaml, true), 1);
}
END_TEST

START_TEST(test_quote_with_ellipsis)
{
  tu_write("cut.txt", "The minister said the talks went well. He left "
                      "early. He promised more talks.\n");
  static const char yaml[] =
    "article: {id: a1, headline: H, publisher: p, published: 2024-03-10, "
    "text: cut.txt}\n"
    "entities:\n"
    "  - {id: p, type: NewsOrganization, name: P}\n"
    "events:\n"
    "  - id: e1\n"
    "    type: Meeting\n"
    "    date: 2024-03-10\n"
    "    quotes:\n"
    "      - \"the talks went well ... He promised more talks.\"\n"
    "      - \"the talks went well \xE2\x80\xA6 He promised\"\n";
  ck_assert_int_eq(validate("cut.yaml", yaml, false), 1);
  expect_in("cut.yaml:9:9: error: quote not found in the article text '");
  expect_in("cut.txt': it contains an ellipsis ('...' or '\xE2\x80\xA6'), "
            "and a quote must be one verbatim passage; split it into one "
            "quote per passage");
  expect_in("cut.yaml:10:9: error: quote not found");
  // An ellipsis the text itself prints is quoted as it stands.
  tu_write("dots.txt", "He said: wait... and left.\n");
  static const char dots[] =
    "article: {id: a1, headline: H, publisher: p, published: 2024-03-10, "
    "text: dots.txt}\n"
    "entities:\n"
    "  - {id: p, type: NewsOrganization, name: P}\n"
    "events:\n"
    "  - id: e1\n"
    "    type: Statement\n"
    "    date: 2024-03-10\n"
    "    quotes: [\"He said: wait... and left.\"]\n";
  ck_assert_int_eq(validate("dots.yaml", dots, true), 0);
}
END_TEST

static Suite *
curation_suite(void)
{
  Suite *s = suite_create("curation");
  TCase *tc = tcase_create("warnings");
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_occurred_after_publication);
  tcase_add_test(tc, test_plan_before_publication);
  tcase_add_test(tc, test_language_tags);
  tcase_add_test(tc, test_quote_found_twice);
  tcase_add_test(tc, test_quote_with_ellipsis);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return tu_main(curation_suite());
}
