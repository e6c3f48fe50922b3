/* Unit tests of src/quote.h: locating quotes in an article's text
 * (white-space-insensitive, offsets in code points) and describing the
 * closest passage when a quote is not found. */
#include "testutil.h"

#include "buf.h"
#include "quote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ARTICLE =
  "The minister said the talks would resume next week.";

/* Finds `quote` in `text`; asserts it is found and returns the match. */
static DipkgMatch
find_ok(const char *text, const char *quote)
{
  DipkgTextIndex *ti = dipkg_text_index_new(text, strlen(text));
  ck_assert_ptr_nonnull(ti);
  DipkgMatch m;
  memset(&m, 0xAB, sizeof m);
  bool oom = true;
  bool found = dipkg_text_find(ti, quote, strlen(quote), &m, &oom);
  ck_assert(!oom);
  ck_assert_msg(found, "'%s' not found in '%s'", quote, text);
  dipkg_text_index_free(ti);
  return m;
}

static void
find_none_len(const char *text, const char *quote, size_t len)
{
  DipkgTextIndex *ti = dipkg_text_index_new(text, strlen(text));
  ck_assert_ptr_nonnull(ti);
  DipkgMatch m;
  bool oom = true;
  ck_assert_msg(!dipkg_text_find(ti, quote, len, &m, &oom),
                "'%.*s' found in '%s'", (int)len, quote, text);
  ck_assert(!oom);
  dipkg_text_index_free(ti);
}

static void
find_none(const char *text, const char *quote)
{
  find_none_len(text, quote, strlen(quote));
}

/* Asserts the match covers code points [begin, end) and exactly the bytes
 * `anchor` of `text`. */
static void
expect_match(const char *text, const DipkgMatch *m, size_t begin, size_t end,
             const char *anchor)
{
  ck_assert_uint_eq(m->begin, begin);
  ck_assert_uint_eq(m->end, end);
  ck_assert_uint_le(m->byte_begin, m->byte_end);
  ck_assert_uint_le(m->byte_end, strlen(text));
  size_t n = m->byte_end - m->byte_begin;
  ck_assert_msg(n == strlen(anchor) && !memcmp(text + m->byte_begin, anchor, n),
                "anchor is '%.*s', expected '%s'", (int)n, text + m->byte_begin,
                anchor);
}

/* The closest-passage sentence for `quote` in `text` (caller frees). */
static char *
closest(const char *text, size_t text_len, const char *quote)
{
  DipkgTextIndex *ti = dipkg_text_index_new(text, text_len);
  ck_assert_ptr_nonnull(ti);
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_text_closest(ti, quote, strlen(quote), &b);
  ck_assert(!b.oom);
  char *s = dipkg_buf_take(&b);
  ck_assert_ptr_nonnull(s);
  dipkg_text_index_free(ti);
  return s;
}

static void
expect_closest(const char *text, const char *quote, const char *expected)
{
  char *s = closest(text, strlen(text), quote);
  char got[1024];
  snprintf(got, sizeof got, "%s", s);
  free(s);  // before asserting, so that a failure leaks nothing
  ck_assert_str_eq(got, expected);
}

/* ---------------------------------------------------------------- found */

START_TEST(test_found_ascii)
{
  DipkgMatch m = find_ok(ARTICLE, "the talks would resume");
  expect_match(ARTICLE, &m, 18, 40, "the talks would resume");
  ck_assert_uint_eq(m.byte_begin, 18);
  ck_assert_uint_eq(m.byte_end, 40);
  m = find_ok(ARTICLE, "The");
  expect_match(ARTICLE, &m, 0, 3, "The");
  m = find_ok(ARTICLE, "week.");
  expect_match(ARTICLE, &m, 46, 51, "week.");
  m = find_ok(ARTICLE, ARTICLE);
  expect_match(ARTICLE, &m, 0, 51, ARTICLE);
}
END_TEST

START_TEST(test_found_is_case_sensitive)
{
  find_none(ARTICLE, "the minister");
  DipkgMatch m = find_ok(ARTICLE, "The minister");
  ck_assert_uint_eq(m.begin, 0);
}
END_TEST

START_TEST(test_offsets_in_code_points)
{
  // "Ça" (2 bytes for Ç), « (2 bytes): 2 extra bytes before the quote.
  const char *text = "\xC3\x87"
                     "a va? Le ministre a dit: \xC2\xAB"
                     "nous "
                     "n\xC3\xA9gocierons\xC2\xBB.";
  DipkgMatch m = find_ok(text, "nous n\xC3\xA9gocierons");
  expect_match(text, &m, 27, 43, "nous n\xC3\xA9gocierons");
  ck_assert_uint_eq(m.byte_begin, 29);
  ck_assert_uint_eq(m.byte_end, 46);
}
END_TEST

START_TEST(test_offsets_after_wide_characters)
{
  // 3- and 4-byte characters before the quote: 日本 (6 bytes), 😀 (4).
  const char *text = "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 said: "
                     "\xE4\xBC\x9A\xE8\xAB\x87 ok";
  DipkgMatch m = find_ok(text, "said:");
  expect_match(text, &m, 5, 10, "said:");
  ck_assert_uint_eq(m.byte_begin, 12);
  m = find_ok(text, "\xE4\xBC\x9A\xE8\xAB\x87");  // 会談
  expect_match(text, &m, 11, 13, "\xE4\xBC\x9A\xE8\xAB\x87");
  ck_assert_uint_eq(m.byte_begin, 18);
  ck_assert_uint_eq(m.byte_end, 24);
  // A quote ending on a multi-byte character.
  m = find_ok(text, "\xF0\x9F\x98\x80");
  expect_match(text, &m, 3, 4, "\xF0\x9F\x98\x80");
}
END_TEST

START_TEST(test_white_space_runs_match)
{
  const char *text = "The minister said the talks\n  would   resume\tnext "
                     "week.";
  DipkgMatch m = find_ok(text, "talks would resume next");
  // The anchor is the original text, white space included.
  expect_match(text, &m, 22, 49, "talks\n  would   resume\tnext");
  // And the other way round: the quote has the odd white space.
  m = find_ok(ARTICLE, "talks\r\n would \t\t resume");
  expect_match(ARTICLE, &m, 22, 40, "talks would resume");
}
END_TEST

START_TEST(test_nbsp_and_unicode_spaces)
{
  // U+00A0 in the text matches a plain space in the quote, and back.
  const char *text =
    "Mr\xC2\xA0Smith met Ms\xE2\x80\x83Jones.";  // NBSP, em space
  DipkgMatch m = find_ok(text, "Mr Smith met Ms Jones");
  expect_match(text, &m, 0, 21, "Mr\xC2\xA0Smith met Ms\xE2\x80\x83Jones");
  ck_assert_uint_eq(m.byte_end, 24);
  m =
    find_ok(ARTICLE, "the\xC2\xA0talks\xE3\x80\x80would");  // ideographic space
  expect_match(ARTICLE, &m, 18, 33, "the talks would");
}
END_TEST

START_TEST(test_quote_ends_trimmed)
{
  DipkgMatch m = find_ok(ARTICLE, "  \n\tthe talks would resume \n ");
  expect_match(ARTICLE, &m, 18, 40, "the talks would resume");
  m = find_ok(ARTICLE, "\xC2\xA0talks\xC2\xA0");
  expect_match(ARTICLE, &m, 22, 27, "talks");
  // Leading white space in the text is skipped too.
  const char *text = "\n\n   First line.\n";
  m = find_ok(text, "First");
  expect_match(text, &m, 5, 10, "First");
  ck_assert_uint_eq(m.byte_begin, 5);
}
END_TEST

START_TEST(test_white_space_is_needed_where_the_text_has_it)
{
  find_none(ARTICLE, "thetalks");
  find_none(ARTICLE, "the talkswould");
  // ... and not allowed where it has none.
  find_none(ARTICLE, "the tal ks");
}
END_TEST

START_TEST(test_first_occurrence_wins)
{
  const char *text = "He said no. She said no. They said no.";
  DipkgMatch m = find_ok(text, "said no");
  expect_match(text, &m, 3, 10, "said no");
  m = find_ok(text, "said no. They");
  expect_match(text, &m, 16, 29, "said no. They");
}
END_TEST

START_TEST(test_anchor_bytes_map_back_exactly)
{
  const char *text = "\xC2\xAB\xC2\xA0Nous  ne\n c\xC3\xA9"
                     "derons\xC2\xA0"
                     "pas\xC2\xA0\xC2\xBB, a-t-il dit.";
  DipkgMatch m = find_ok(text, "Nous ne c\xC3\xA9"
                               "derons pas");
  expect_match(text, &m, 2, 24,
               "Nous  ne\n c\xC3\xA9"
               "derons\xC2\xA0pas");
  ck_assert_uint_eq(m.byte_begin, 4);
  ck_assert_uint_eq(m.byte_end, 4 + strlen("Nous  ne\n c\xC3\xA9"
                                           "derons"
                                           "\xC2\xA0pas"));
  // A quote ending with a 2-byte character takes all of its bytes.
  m = find_ok(text, "pas \xC2\xBB");
  expect_match(text, &m, 21, 26, "pas\xC2\xA0\xC2\xBB");
}
END_TEST

/* ------------------------------------------------------------ not found */

START_TEST(test_not_found)
{
  find_none(ARTICLE, "the talks would restart");
  find_none(ARTICLE, "week. And");
  find_none(ARTICLE, "xyz");
  find_none("short", "much longer than the text");
  find_none("", "x");
}
END_TEST

START_TEST(test_blank_quote)
{
  find_none(ARTICLE, "");
  find_none(ARTICLE, "   ");
  find_none(ARTICLE, "\n\t \xC2\xA0\xE2\x80\xA8");
  find_none("", "");
}
END_TEST

START_TEST(test_quote_uses_len)
{
  find_none_len(ARTICLE, "talks", 0);
  const char *q = "talksXYZ";
  DipkgTextIndex *ti = dipkg_text_index_new(ARTICLE, strlen(ARTICLE));
  DipkgMatch m;
  bool oom;
  ck_assert(dipkg_text_find(ti, q, 5, &m, &oom));
  ck_assert_uint_eq(m.begin, 22);
  ck_assert_uint_eq(m.end, 27);
  dipkg_text_index_free(ti);
}
END_TEST

START_TEST(test_free_null)
{
  dipkg_text_index_free(NULL);
  DipkgTextIndex *ti = dipkg_text_index_new("", 0);
  ck_assert_ptr_nonnull(ti);
  dipkg_text_index_free(ti);
}
END_TEST

/* ------------------------------------------------------ closest passage */

START_TEST(test_closest_one_word_typo)
{
  expect_closest(ARTICLE, "the talks wowld resume",
                 "the closest passage (1 edit) is 'the talks would resume'");
  // White space at the quote's ends does not count.
  expect_closest(ARTICLE, "  the talks wowld resume\n",
                 "the closest passage (1 edit) is 'the talks would resume'");
}
END_TEST

START_TEST(test_closest_several_edits)
{
  expect_closest(ARTICLE, "the talk would resumes",
                 "the closest passage (2 edits) is 'the talks would resume'");
}
END_TEST

START_TEST(test_closest_keeps_original_white_space)
{
  const char *text = "The minister said the talks\n  would resume next week.";
  expect_closest(text, "the talks wowld resume",
                 "the closest passage (1 edit) is 'the talks\\n  would "
                 "resume'");
}
END_TEST

START_TEST(test_closest_unrelated)
{
  expect_closest(ARTICLE, "xyzzy qwerty plugh",
                 "no similar passage is in the text");
  expect_closest(ARTICLE, "QQQQQQQQQQQQQQQQQQQQQQQQQ",
                 "no similar passage is in the text");
}
END_TEST

START_TEST(test_closest_too_long)
{
  // 3 MB of text against a 100-byte quote exceeds the work bound.
  size_t n = 3 * 1024 * 1024;
  char *text = malloc(n + 1);
  ck_assert_ptr_nonnull(text);
  for (size_t i = 0; i < n; i++)
    text[i] = "abcdefgh "[i % 9];
  text[n] = '\0';
  char quote[101];
  memset(quote, 'q', 100);
  quote[100] = '\0';
  DipkgTextIndex *ti = dipkg_text_index_new(text, n);
  ck_assert_ptr_nonnull(ti);
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_text_closest(ti, quote, 100, &b);
  ck_assert_str_eq(dipkg_buf_cstr(&b),
                   "the text is too long to suggest a passage");
  dipkg_buf_free(&b);
  // A quote of more than 4096 bytes is refused whatever the text.
  dipkg_text_index_free(ti);
  char *big = malloc(5001);
  ck_assert_ptr_nonnull(big);
  memset(big, 'a', 5000);
  big[5000] = '\0';
  ti = dipkg_text_index_new(ARTICLE, strlen(ARTICLE));
  dipkg_text_closest(ti, big, 5000, &b);
  ck_assert_str_eq(dipkg_buf_cstr(&b),
                   "the quote is too long to suggest a passage");
  dipkg_buf_free(&b);
  // 4096 bytes is still fine (and far from the text).
  dipkg_text_closest(ti, big, 4096, &b);
  ck_assert_str_eq(dipkg_buf_cstr(&b), "no similar passage is in the text");
  dipkg_buf_free(&b);
  dipkg_text_index_free(ti);
  free(big);
  free(text);
}
END_TEST

START_TEST(test_closest_multibyte_not_cut)
{
  // ڈ (DA 88) shares its last byte with ト (E3 83 88): the byte-level
  // alignment starts inside ト, and the passage is widened to all of it.
  expect_closest("the x\xE3\x83\x88 yes", "\xDA\x88 yes",
                 "the closest passage (1 edit) is '\xE3\x83\x88 yes'");
  // ト (E3 83 88) against ッ (E3 83 83): the alignment may end inside ッ.
  expect_closest("the yes \xE3\x83\x83 end", "yes \xE3\x83\x88",
                 "the closest passage (1 edit) is 'yes \xE3\x83\x83'");
  // Japanese text with a one-character typo: among passages one edit away,
  // the one as long as the quote (a substitution) is shown.
  expect_closest("x \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE"
                 "\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88 y",
                 "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE"
                 "\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9z",
                 "the closest passage (1 edit) is '\xE6\x97\xA5\xE6\x9C\xAC"
                 "\xE8\xAA\x9E\xE3\x81\xAE\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9"
                 "\xE3\x83\x88'");
}
END_TEST

/* Regression (was a bug): edits are counted in bytes, not characters: a one-character typo
 * on a 2-byte character ("cafe" for "café") is reported as 2 edits. */
START_TEST(test_closest_counts_characters)
{
  expect_closest("Le caf\xC3\xA9 est ferm\xC3\xA9 aujourd'hui.",
                 "Le cafe est ferm\xC3\xA9",
                 "the closest passage (1 edit) is 'Le caf\xC3\xA9 est "
                 "ferm\xC3\xA9'");
}
END_TEST

START_TEST(test_closest_empty_text)
{
  expect_closest("", "the talks", "the text is empty");
  expect_closest(" \n\t\xC2\xA0 ", "the talks", "the text is empty");
}
END_TEST

START_TEST(test_closest_blank_quote)
{
  expect_closest(ARTICLE, "", "the quote is blank");
  expect_closest(ARTICLE, " \n\xE2\x80\x83\t", "the quote is blank");
}
END_TEST

START_TEST(test_closest_appends)
{
  DipkgTextIndex *ti = dipkg_text_index_new(ARTICLE, strlen(ARTICLE));
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, "quote not found; ");
  dipkg_text_closest(ti, "the talks wowld resume", 22, &b);
  ck_assert_str_eq(dipkg_buf_cstr(&b),
                   "quote not found; the closest passage (1 edit) is 'the "
                   "talks would resume'");
  dipkg_buf_free(&b);
  dipkg_text_index_free(ti);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("quote");
  TCase *find = tcase_create("find");
  tcase_add_test(find, test_found_ascii);
  tcase_add_test(find, test_found_is_case_sensitive);
  tcase_add_test(find, test_offsets_in_code_points);
  tcase_add_test(find, test_offsets_after_wide_characters);
  tcase_add_test(find, test_white_space_runs_match);
  tcase_add_test(find, test_nbsp_and_unicode_spaces);
  tcase_add_test(find, test_quote_ends_trimmed);
  tcase_add_test(find, test_white_space_is_needed_where_the_text_has_it);
  tcase_add_test(find, test_first_occurrence_wins);
  tcase_add_test(find, test_anchor_bytes_map_back_exactly);
  tcase_add_test(find, test_not_found);
  tcase_add_test(find, test_blank_quote);
  tcase_add_test(find, test_quote_uses_len);
  tcase_add_test(find, test_free_null);
  suite_add_tcase(s, find);

  TCase *near = tcase_create("closest");
  tcase_set_timeout(near, 30);
  tcase_add_test(near, test_closest_one_word_typo);
  tcase_add_test(near, test_closest_several_edits);
  tcase_add_test(near, test_closest_keeps_original_white_space);
  tcase_add_test(near, test_closest_unrelated);
  tcase_add_test(near, test_closest_too_long);
  tcase_add_test(near, test_closest_multibyte_not_cut);
  tcase_add_test(near, test_closest_counts_characters);
  tcase_add_test(near, test_closest_empty_text);
  tcase_add_test(near, test_closest_blank_quote);
  tcase_add_test(near, test_closest_appends);
  suite_add_tcase(s, near);
  return tu_main(s);
}
