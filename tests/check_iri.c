/* Unit tests of src/iri.h: id syntax, the http(s) IRI check and
 * percent-encoding. */
#include "testutil.h"

#include "buf.h"
#include "iri.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ID_CHARS = "ids use only a-z, 0-9 and '-'";
static const char *const IRI_CHAR =
  "the IRI contains a character IRIs do not allow";
static const char *const IRI_PERCENT =
  "'%' must be followed by two hexadecimal digits";
static const char *const IRI_SCHEME =
  "expected an absolute http:// or https:// IRI";
static const char *const IRI_HOST = "the IRI has no host";

static void
id_ok(const char *s, size_t len)
{
  const char *why = NULL;
  size_t at = 999;
  ck_assert_msg(dipkg_id_check(s, len, &why, &at), "id '%.*s' rejected: %s",
                (int)len, s, why ? why : "?");
}

static void
id_bad(const char *s, size_t len, const char *why, size_t at)
{
  const char *got = NULL;
  size_t got_at = 999;
  ck_assert_msg(!dipkg_id_check(s, len, &got, &got_at), "id '%.*s' accepted",
                (int)len, s);
  ck_assert_msg(got && !strcmp(got, why),
                "id '%.*s': expected \"%s\", got \"%s\"", (int)len, s, why,
                got ? got : "(null)");
  ck_assert_msg(got_at == at, "id '%.*s': expected offset %zu, got %zu",
                (int)len, s, at, got_at);
}

static void
iri_ok_len(const char *s, size_t len)
{
  const char *why = NULL;
  size_t at = 999;
  ck_assert_msg(dipkg_iri_check_http(s, len, &why, &at),
                "IRI '%.*s' rejected: %s (at %zu)", (int)len, s,
                why ? why : "?", at);
}

static void
iri_ok(const char *s)
{
  iri_ok_len(s, strlen(s));
}

static void
iri_bad_len(const char *s, size_t len, const char *why, size_t at)
{
  const char *got = NULL;
  size_t got_at = 999;
  ck_assert_msg(!dipkg_iri_check_http(s, len, &got, &got_at),
                "IRI '%.*s' accepted", (int)len, s);
  ck_assert_msg(got && !strcmp(got, why),
                "IRI '%.*s': expected \"%s\", got \"%s\"", (int)len, s, why,
                got ? got : "(null)");
  ck_assert_msg(got_at == at, "IRI '%.*s': expected offset %zu, got %zu",
                (int)len, s, at, got_at);
}

static void
iri_bad(const char *s, const char *why, size_t at)
{
  iri_bad_len(s, strlen(s), why, at);
}

/* The percent-encoding of `len` bytes of `s`, appended after `prefix`. */
static char *
encoded(const char *prefix, const char *s, size_t len)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, prefix);
  dipkg_iri_append_encoded(&b, s, len);
  ck_assert(!b.oom);
  char *out = dipkg_buf_take(&b);
  ck_assert_ptr_nonnull(out);
  return out;
}

static void
expect_encoded(const char *s, const char *expected)
{
  char *out = encoded("", s, strlen(s));
  ck_assert_str_eq(out, expected);
  free(out);
}

/* ------------------------------------------------------------------ ids */

START_TEST(test_id_valid)
{
  id_ok("a", 1);
  id_ok("0", 1);
  id_ok("us-china-2019", 13);
  id_ok("9-11", 4);
  id_ok("a-", 2);
  id_ok("a--b", 4);
  id_ok("abcdefghijklmnopqrstuvwxyz0123456789", 36);
}
END_TEST

START_TEST(test_id_uses_len)
{
  // Only `len` bytes are checked.
  id_ok("abc_DEF", 3);
  id_bad("abc_DEF", 4, ID_CHARS, 3);
}
END_TEST

START_TEST(test_id_empty)
{
  id_bad("", 0, "an id cannot be empty", 0);
  id_bad("abc", 0, "an id cannot be empty", 0);
}
END_TEST

START_TEST(test_id_length_limit)
{
  char s[202];
  memset(s, 'a', sizeof s);
  s[201] = '\0';
  ck_assert_int_eq(DIPKG_MAX_ID, 200);
  id_ok(s, 200);
  id_bad(s, 201, "an id is at most 200 characters long", 200);
  // The length is checked first, whatever the content.
  s[0] = 'A';
  id_bad(s, 201, "an id is at most 200 characters long", 200);
}
END_TEST

START_TEST(test_id_upper_case)
{
  id_bad("Abc", 3, "ids use lower-case letters only", 0);
  id_bad("abC", 3, "ids use lower-case letters only", 2);
  id_bad("us-China", 8, "ids use lower-case letters only", 3);
  id_bad("Z", 1, "ids use lower-case letters only", 0);
}
END_TEST

START_TEST(test_id_leading_dash)
{
  id_bad("-abc", 4, "an id cannot start with '-'", 0);
  id_bad("-", 1, "an id cannot start with '-'", 0);
}
END_TEST

START_TEST(test_id_other_characters)
{
  id_bad("a_b", 3, ID_CHARS, 1);
  id_bad("_a", 2, ID_CHARS, 0);
  id_bad("a b", 3, ID_CHARS, 1);
  id_bad("a.b", 3, ID_CHARS, 1);
  id_bad("a/b", 3, ID_CHARS, 1);
  id_bad("a:b", 3, ID_CHARS, 1);
  id_bad("a\0b", 3, ID_CHARS, 1);
  id_bad("ab\n", 3, ID_CHARS, 2);
}
END_TEST

START_TEST(test_id_non_ascii)
{
  // The offset is that of the first byte of the character.
  id_bad("caf\xC3\xA9", 5, ID_CHARS, 3);
  id_bad("\xC3\xA9t\xC3\xA9", 5, ID_CHARS, 0);
  id_bad("ab\xE2\x80\x93"
         "cd",
         7, ID_CHARS, 2);                  // en dash
  id_bad("\xEF\xBC\xA1", 3, ID_CHARS, 0);  // fullwidth A
}
END_TEST

/* ------------------------------------------------------------ http IRIs */

START_TEST(test_iri_valid)
{
  iri_ok("http://example.org");
  iri_ok("https://example.org/");
  iri_ok("https://example.org/path/to?q=1&r=2#frag");
  iri_ok("http://example.org/a;b=c,d+e!$&'()*:@~-._");
  iri_ok("http://example.org/?q=a/b?c");
  iri_ok("https://w3id.org/dipkg/ns#Summit");
  iri_ok("http://x");
}
END_TEST

START_TEST(test_iri_scheme_any_case)
{
  iri_ok("HTTP://EXAMPLE.ORG/");
  iri_ok("Https://example.org/");
  iri_ok("hTtP://example.org/");
  iri_ok("HTTPS://example.org");
}
END_TEST

START_TEST(test_iri_other_schemes)
{
  iri_bad("ftp://example.org/", IRI_SCHEME, 0);
  iri_bad("mailto:someone@example.org", IRI_SCHEME, 0);
  iri_bad("urn:isbn:0451450523", IRI_SCHEME, 0);
  iri_bad("example.org/page", IRI_SCHEME, 0);
  iri_bad("//example.org/", IRI_SCHEME, 0);
  iri_bad("http:/example.org", IRI_SCHEME, 0);
  iri_bad("http:example.org", IRI_SCHEME, 0);
  iri_bad("httpx://example.org", IRI_SCHEME, 0);
  iri_bad(" http://example.org", IRI_SCHEME, 0);
  iri_bad("", IRI_SCHEME, 0);
  iri_bad("http:/", IRI_SCHEME, 0);
  // The scheme must be within `len`.
  iri_bad_len("https://example.org", 7, IRI_SCHEME, 0);
}
END_TEST

START_TEST(test_iri_no_host)
{
  iri_bad("http://", IRI_HOST, 7);
  iri_bad("https://", IRI_HOST, 8);
  iri_bad("http:///path", IRI_HOST, 7);
  iri_bad("https://?q=1", IRI_HOST, 8);
  iri_bad("http://#frag", IRI_HOST, 7);
  iri_bad("http://:8080/", IRI_HOST, 7);
  iri_bad("http://@example.org/", IRI_HOST, 7);
}
END_TEST

START_TEST(test_iri_userinfo_and_port)
{
  iri_ok("http://user@example.org/");
  iri_ok("http://user:secret@example.org:8080/p");
  iri_ok("https://example.org:443");
  iri_ok("http://127.0.0.1:8000/x");
  iri_ok("http://[::1]:8080/");
}
END_TEST

START_TEST(test_iri_space)
{
  iri_bad("http://example.org/a b",
          "the IRI contains a space (write it as %20)", 20);
  iri_bad("http://example.org/a ", "the IRI contains a space (write it as %20)",
          20);
  iri_bad("http://exa mple.org/", "the IRI contains a space (write it as %20)",
          10);
}
END_TEST

START_TEST(test_iri_forbidden_ascii)
{
  const char *forbidden = "<>\"{}|\\^`";
  for (const char *f = forbidden; *f; f++) {
    char s[64];
    snprintf(s, sizeof s, "http://example.org/a%cb", *f);
    iri_bad(s, IRI_CHAR, 20);
  }
}
END_TEST

START_TEST(test_iri_controls)
{
  for (int c = 0; c < 0x20; c++) {
    char s[64] = "http://example.org/ab";
    s[20] = (char)c;
    iri_bad_len(s, 21, IRI_CHAR, 20);
  }
  iri_bad("http://example.org/a\x7F", IRI_CHAR, 20);
  iri_bad("http://example.org/a\tb", IRI_CHAR, 20);
  iri_bad("http://example.org/a\nb", IRI_CHAR, 20);
  iri_bad_len("http://example.org/\0", 20, IRI_CHAR, 19);
}
END_TEST

START_TEST(test_iri_percent_escapes)
{
  iri_ok("http://example.org/a%20b");
  iri_ok("http://example.org/%C3%A9");
  iri_ok("http://example.org/%aF%Fa%09");
  iri_ok("http://example.org/%41");  // at the very end
  iri_ok("http://example.org/?q=%7E#%2F");
  iri_bad("http://example.org/%", IRI_PERCENT, 19);
  iri_bad("http://example.org/%4", IRI_PERCENT, 19);
  iri_bad("http://example.org/%G1", IRI_PERCENT, 19);
  iri_bad("http://example.org/%4g", IRI_PERCENT, 19);
  iri_bad("http://example.org/%%41", IRI_PERCENT, 19);
  iri_bad("http://example.org/100%", IRI_PERCENT, 22);
  iri_bad("http://example.org/a%20b%2", IRI_PERCENT, 24);
  // The escape must lie within `len`.
  iri_bad_len("http://example.org/%41", 21, IRI_PERCENT, 19);
}
END_TEST

START_TEST(test_iri_non_ascii_allowed)
{
  iri_ok("https://de.wikipedia.org/wiki/K\xC3\xB6ln");
  iri_ok("http://example.org/\xE6\x97\xA5\xE6\x9C\xAC");  // 日本
  iri_ok("http://"
         "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80.\xD1\x80\xD1\x84/");
  iri_ok("http://example.org/\xF0\x9F\x98\x80");  // emoji
  iri_ok("http://example.org/\xEF\xB7\x8F");      // U+FDCF
  iri_ok("http://example.org/\xEF\xB7\xB0");      // U+FDF0
  iri_ok("http://example.org/\xEF\xBF\xAF");      // U+FFEF
  iri_ok("http://example.org/\xC2\xA0x");         // U+00A0
  iri_ok("http://example.org/\xED\x9F\xBF");      // U+D7FF
  iri_ok("http://example.org/\xF0\x9F\xBF\xBD");  // U+1FFFD
}
END_TEST

START_TEST(test_iri_noncharacters)
{
  iri_bad("http://example.org/\xEF\xBF\xBE", IRI_CHAR, 19);      // U+FFFE
  iri_bad("http://example.org/\xEF\xBF\xBF", IRI_CHAR, 19);      // U+FFFF
  iri_bad("http://example.org/x\xEF\xB7\x90", IRI_CHAR, 20);     // U+FDD0
  iri_bad("http://example.org/\xEF\xB7\xAF", IRI_CHAR, 19);      // U+FDEF
  iri_bad("http://example.org/\xF0\x9F\xBF\xBE", IRI_CHAR, 19);  // U+1FFFE
  iri_bad("http://example.org/\xF4\x8F\xBF\xBF", IRI_CHAR, 19);  // U+10FFFF
  // Offsets count bytes: the earlier 2-byte character counts twice.
  iri_bad("http://example.org/\xC3\xA9\xEF\xBF\xBE", IRI_CHAR, 21);
}
END_TEST

/* RFC 3987's ucschar starts at U+00A0: no C1 controls. */
START_TEST(test_iri_c1_controls)
{
  iri_bad("http://example.org/a\xC2\x85"
          "b",
          IRI_CHAR, 20);
  iri_bad("http://example.org/a\xC2\x80", IRI_CHAR, 20);
  iri_bad("http://example.org/a\xC2\x9F", IRI_CHAR, 20);
}
END_TEST

START_TEST(test_iri_private_use_only_in_query)
{
  iri_ok("http://example.org/?q=\xEE\x80\x80");     // U+E000
  iri_ok("http://example.org/p?a=\xEF\xA3\xBF&b");  // U+F8FF
  iri_ok("http://example.org/?\xF3\xB0\x80\x80");   // U+F0000
  iri_ok("http://example.org/?\xF4\x8F\xBF\xBD");   // U+10FFFD
  iri_bad("http://example.org/\xEE\x80\x80", IRI_CHAR, 19);
  iri_bad("http://\xEE\x80\x80.org/", IRI_CHAR, 7);
  iri_bad("http://example.org/\xF3\xB0\x80\x80", IRI_CHAR, 19);
  iri_bad("http://example.org/?q#\xEE\x80\x80", IRI_CHAR, 22);    // fragment
  iri_bad("http://example.org/?\xF4\x8F\xBF\xBE", IRI_CHAR, 20);  // U+10FFFE
}
END_TEST

/* Regression (was a bug): a '?' inside the fragment sets the "in query" state again, so
 * private-use characters, which RFC 3987 allows only in the query
 * (iquery), are accepted in a fragment after a '?'. */
START_TEST(test_iri_private_use_not_in_fragment_after_question_mark)
{
  iri_bad("http://example.org/#a?\xEE\x80\x80", IRI_CHAR, 22);
  iri_bad("http://example.org/?q#a?\xEE\x80\x80", IRI_CHAR, 24);
}
END_TEST

/* Regression (was a bug): ucschar() accepts every code point from U+00A0 to U+EFFFD other
 * than surrogates and non-characters, but RFC 3987's ucschar also leaves
 * out U+FFF0-U+FFFD (the specials, such as U+FFFD REPLACEMENT CHARACTER,
 * which marks text that was already broken) and U+E0000-U+E0FFF (the
 * tag characters). */
START_TEST(test_iri_specials_and_tags)
{
  iri_bad("http://example.org/\xEF\xBF\xBD", IRI_CHAR, 19);      // U+FFFD
  iri_bad("http://example.org/\xEF\xBF\xB0", IRI_CHAR, 19);      // U+FFF0
  iri_bad("http://example.org/\xF3\xA0\x80\x81", IRI_CHAR, 19);  // U+E0001
}
END_TEST

START_TEST(test_iri_invalid_utf8)
{
  iri_bad("http://example.org/\xFF", IRI_CHAR, 19);
  iri_bad("http://example.org/a\xC3", IRI_CHAR, 20);         // truncated
  iri_bad("http://example.org/\xC3(", IRI_CHAR, 19);         // bad continuation
  iri_bad("http://example.org/\xE6\x97", IRI_CHAR, 19);      // truncated
  iri_bad("http://example.org/\xC0\xAF", IRI_CHAR, 19);      // overlong '/'
  iri_bad("http://example.org/\xE0\x80\xAF", IRI_CHAR, 19);  // overlong
  iri_bad("http://example.org/\xED\xA0\x80", IRI_CHAR, 19);  // surrogate
  iri_bad("http://example.org/\xF4\x90\x80\x80", IRI_CHAR, 19);  // > U+10FFFF
  iri_bad("http://example.org/\x80", IRI_CHAR, 19);  // lone continuation
  iri_bad("http://ex\xFF"
          "ample.org/",
          IRI_CHAR, 9);  // in the host
  // A multi-byte character cut by `len`.
  iri_bad_len("http://example.org/\xE6\x97\xA5", 21, IRI_CHAR, 19);
}
END_TEST

/* ---------------------------------------------------------- encoding */

START_TEST(test_encode_unreserved_unchanged)
{
  const char *u = "ABCXYZabcxyz0123456789-._~";
  expect_encoded(u, u);
  expect_encoded("", "");
}
END_TEST

START_TEST(test_encode_reserved_and_space)
{
  expect_encoded(" ", "%20");
  expect_encoded("a b/c", "a%20b%2Fc");
  expect_encoded(":/?#[]@!$&'()*+,;=%",
                 "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29"
                 "%2A%2B%2C%3B%3D%25");
  expect_encoded("\"<>\\^`{|}", "%22%3C%3E%5C%5E%60%7B%7C%7D");
  expect_encoded("\x7F", "%7F");
  expect_encoded("\x01\x1F\n\t", "%01%1F%0A%09");
}
END_TEST

START_TEST(test_encode_upper_case_hex)
{
  expect_encoded("\xAB\xCD\xEF", "%AB%CD%EF");
  expect_encoded("\xFF", "%FF");
}
END_TEST

START_TEST(test_encode_multibyte)
{
  expect_encoded("caf\xC3\xA9", "caf%C3%A9");
  expect_encoded("\xE6\x97\xA5", "%E6%97%A5");
  expect_encoded("\xF0\x9F\x98\x80!", "%F0%9F%98%80%21");
  expect_encoded("K\xC3\xB6ln-2019", "K%C3%B6ln-2019");
}
END_TEST

START_TEST(test_encode_every_byte)
{
  for (int c = 0; c < 256; c++) {
    char in = (char)c;
    char *out = encoded("", &in, 1);
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                      c == '_' || c == '~';
    char expected[4];
    if (unreserved)
      snprintf(expected, sizeof expected, "%c", c);
    else
      snprintf(expected, sizeof expected, "%%%02X", (unsigned)c);
    ck_assert_msg(!strcmp(out, expected), "byte 0x%02X: expected %s, got %s",
                  (unsigned)c, expected, out);
    free(out);
  }
}
END_TEST

START_TEST(test_encode_appends_and_uses_len)
{
  char *out = encoded("https://example.org/q/", "a b\0c d", 5);
  ck_assert_str_eq(out, "https://example.org/q/a%20b%00c");
  free(out);
  // The result is always a valid IRI tail.
  out = encoded("https://example.org/q/", "\"quoted\" <x> {y} 100%", 21);
  ck_assert_str_eq(out, "https://example.org/q/%22quoted%22%20%3Cx%3E%20%7By%7D"
                        "%20100%25");
  iri_ok(out);
  free(out);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("iri");
  TCase *ids = tcase_create("ids");
  tcase_add_test(ids, test_id_valid);
  tcase_add_test(ids, test_id_uses_len);
  tcase_add_test(ids, test_id_empty);
  tcase_add_test(ids, test_id_length_limit);
  tcase_add_test(ids, test_id_upper_case);
  tcase_add_test(ids, test_id_leading_dash);
  tcase_add_test(ids, test_id_other_characters);
  tcase_add_test(ids, test_id_non_ascii);
  suite_add_tcase(s, ids);

  TCase *http = tcase_create("http");
  tcase_add_test(http, test_iri_valid);
  tcase_add_test(http, test_iri_scheme_any_case);
  tcase_add_test(http, test_iri_other_schemes);
  tcase_add_test(http, test_iri_no_host);
  tcase_add_test(http, test_iri_userinfo_and_port);
  tcase_add_test(http, test_iri_space);
  tcase_add_test(http, test_iri_forbidden_ascii);
  tcase_add_test(http, test_iri_controls);
  tcase_add_test(http, test_iri_percent_escapes);
  tcase_add_test(http, test_iri_non_ascii_allowed);
  tcase_add_test(http, test_iri_noncharacters);
  tcase_add_test(http, test_iri_c1_controls);
  tcase_add_test(http, test_iri_private_use_only_in_query);
  tcase_add_test(http,
                 test_iri_private_use_not_in_fragment_after_question_mark);
  tcase_add_test(http, test_iri_specials_and_tags);
  tcase_add_test(http, test_iri_invalid_utf8);
  suite_add_tcase(s, http);

  TCase *enc = tcase_create("encode");
  tcase_add_test(enc, test_encode_unreserved_unchanged);
  tcase_add_test(enc, test_encode_reserved_and_space);
  tcase_add_test(enc, test_encode_upper_case_hex);
  tcase_add_test(enc, test_encode_multibyte);
  tcase_add_test(enc, test_encode_every_byte);
  tcase_add_test(enc, test_encode_appends_and_uses_len);
  suite_add_tcase(s, enc);
  return tu_main(s);
}
