/* Unit tests of src/date.h: the EDTF subset curators write, the XSD
 * lexical forms and datatypes produced, xsd:date bounds, and every
 * rejection with its explanation and offset. */
#include "testutil.h"

#include "date.h"
#include "vocab.h"

#include <stdio.h>
#include <string.h>

/* Parses `s` (whole string) and asserts success. */
static DipkgDate
parse_ok(const char *s, DipkgDateForms forms)
{
  DipkgDate d;
  const char *why = NULL;
  size_t at = 12345;
  bool ok = dipkg_date_parse(s, strlen(s), forms, &d, &why, &at);
  ck_assert_msg(ok, "'%s' was rejected: %s (at %zu)", s, why ? why : "?", at);
  return d;
}

/* Parses `s` and asserts failure; returns the explanation and offset. */
static const char *
parse_fail_len(const char *s, size_t len, DipkgDateForms forms, size_t *at)
{
  DipkgDate d;
  const char *why = NULL;
  *at = 12345;
  bool ok = dipkg_date_parse(s, len, forms, &d, &why, at);
  ck_assert_msg(!ok, "'%s' was accepted", s);
  ck_assert_msg(why != NULL, "'%s': no explanation", s);
  return why;
}

static const char *
parse_fail(const char *s, DipkgDateForms forms, size_t *at)
{
  return parse_fail_len(s, strlen(s), forms, at);
}

/* Asserts that `s` is rejected with exactly `why` at offset `at`. */
static void
expect_reject(const char *s, DipkgDateForms forms, const char *why, size_t at)
{
  size_t got_at;
  const char *got = parse_fail(s, forms, &got_at);
  ck_assert_msg(!strcmp(got, why), "'%s': expected \"%s\", got \"%s\"", s, why,
                got);
  ck_assert_msg(got_at == at, "'%s' (%s): expected offset %zu, got %zu", s, why,
                at, got_at);
}

/* Asserts that `s` is rejected with exactly `why` (offset not checked). */
static void
expect_why(const char *s, DipkgDateForms forms, const char *why)
{
  size_t got_at;
  const char *got = parse_fail(s, forms, &got_at);
  ck_assert_msg(!strcmp(got, why), "'%s': expected \"%s\", got \"%s\"", s, why,
                got);
}

static void
expect_bounds(const DipkgDatePoint *p, const char *earliest, const char *latest)
{
  char lo[11] = "", hi[11] = "";
  ck_assert(dipkg_date_bound(p, false, lo));
  ck_assert(dipkg_date_bound(p, true, hi));
  ck_assert_str_eq(lo, earliest);
  ck_assert_str_eq(hi, latest);
}

static const char *const X_YEAR_WHY =
  "unspecified digits (X) are not supported; use an interval such as "
  "2010/2019";
static const char *const X_MONTH_WHY =
  "unspecified digits (X) are not supported; use an interval such as "
  "2019-01/2019-06";
static const char *const X_DAY_WHY =
  "unspecified digits (X) are not supported; use an interval such as "
  "2019-01-01/2019-01-15";
static const char *const TIME_SHAPE =
  "a time must be hh:mm or hh:mm:ss after 'T'";
static const char *const TIME_RANGE = "the time is out of range";
static const char *const SECONDS = "seconds must be 00 to 59";
static const char *const FRACTION = "fractional seconds take 1 to 9 digits";
static const char *const ZONE_SHAPE =
  "the time zone must be Z, +hh:mm or -hh:mm";
static const char *const ZONE_RANGE = "the time zone offset is out of range";

/* ------------------------------------------------------------ accepted */

START_TEST(test_year)
{
  DipkgDate d = parse_ok("2019", DIPKG_DATE_EDTF);
  ck_assert(!d.interval);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_YEAR);
  ck_assert_int_eq(d.start.year, 2019);
  ck_assert_int_eq(d.start.month, 0);
  ck_assert_int_eq(d.start.day, 0);
  ck_assert(!d.start.approximate);
  ck_assert(!d.start.uncertain);
  ck_assert(!d.start.open);
  ck_assert_str_eq(d.start.lexical, "2019");
  ck_assert_str_eq(dipkg_date_datatype(&d.start), XSD "gYear");
}
END_TEST

START_TEST(test_year_month)
{
  DipkgDate d = parse_ok("2019-07", DIPKG_DATE_EDTF);
  ck_assert(!d.interval);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_MONTH);
  ck_assert_int_eq(d.start.year, 2019);
  ck_assert_int_eq(d.start.month, 7);
  ck_assert_str_eq(d.start.lexical, "2019-07");
  ck_assert_str_eq(dipkg_date_datatype(&d.start), XSD "gYearMonth");
}
END_TEST

START_TEST(test_full_date)
{
  DipkgDate d = parse_ok("2019-07-04", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_DAY);
  ck_assert_int_eq(d.start.year, 2019);
  ck_assert_int_eq(d.start.month, 7);
  ck_assert_int_eq(d.start.day, 4);
  ck_assert_str_eq(d.start.lexical, "2019-07-04");
  ck_assert_str_eq(dipkg_date_datatype(&d.start), XSD "date");
}
END_TEST

START_TEST(test_early_and_late_years)
{
  DipkgDate d = parse_ok("0001-01-01", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.year, 1);
  ck_assert_str_eq(d.start.lexical, "0001-01-01");
  d = parse_ok("9999-12-31", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "9999-12-31");
  d = parse_ok("0476", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.year, 476);
  ck_assert_str_eq(d.start.lexical, "0476");
}
END_TEST

START_TEST(test_datetime_utc)
{
  DipkgDate d = parse_ok("2019-07-04T09:30Z", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_DATETIME);
  ck_assert_int_eq(d.start.year, 2019);
  ck_assert_int_eq(d.start.month, 7);
  ck_assert_int_eq(d.start.day, 4);
  // Seconds are always written: xsd:dateTime requires them.
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:00Z");
  ck_assert_str_eq(dipkg_date_datatype(&d.start), XSD "dateTime");
  d = parse_ok("2019-07-04T23:59:59Z", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T23:59:59Z");
  d = parse_ok("2019-07-04T00:00:00Z", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T00:00:00Z");
}
END_TEST

START_TEST(test_datetime_offsets)
{
  DipkgDate d = parse_ok("2019-07-04T09:30:15+05:30", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:15+05:30");
  d = parse_ok("2019-07-04T09:30-03:00", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:00-03:00");
  d = parse_ok("2019-07-04T09:30+14:00", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:00+14:00");
  d = parse_ok("2019-07-04T09:30-14:00", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:00-14:00");
  d = parse_ok("2019-07-04T09:30+00:00", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:00+00:00");
  ck_assert_str_eq(dipkg_date_datatype(&d.start), XSD "dateTime");
}
END_TEST

START_TEST(test_datetime_instant)
{
  DipkgDate d = parse_ok("2019-07-04T09:30Z", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.instant, 1562232600LL);
  d = parse_ok("2019-07-04T09:30+05:30", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.instant, 1562232600LL - 19800);
  d = parse_ok("2019-07-04T09:30:59-01:00", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.instant, 1562232600LL + 3600 + 59);
  d = parse_ok("2019-07-04T09:30", DIPKG_DATE_EDTF);  // no zone: as UTC
  ck_assert_int_eq(d.start.instant, 1562232600LL);
  d = parse_ok("1970-01-01T00:00Z", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.instant, 0);
  d = parse_ok("0001-01-01T00:00:00Z", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.instant, -62135596800LL);
  d = parse_ok("2000-03-01T00:00Z", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.instant, 951868800LL);
}
END_TEST

START_TEST(test_datetime_without_zone)
{
  DipkgDate d = parse_ok("2019-07-04T09:30", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_DATETIME);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:00");
  d = parse_ok("2019-07-04T09:30:45", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:45");
}
END_TEST

START_TEST(test_datetime_fractional_seconds)
{
  DipkgDate d = parse_ok("2019-07-04T09:30:15.5Z", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:15.5Z");
  d = parse_ok("2019-07-04T09:30:15.123", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:15.123");
  // The longest form: nine digits and an offset fit the lexical buffer.
  d = parse_ok("2019-07-04T09:30:15.123456789+14:00", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:15.123456789+14:00");
  ck_assert_uint_lt(strlen(d.start.lexical), sizeof d.start.lexical);
}
END_TEST

START_TEST(test_iso_accepts_date_and_datetime)
{
  DipkgDate d = parse_ok("2019-07-04", DIPKG_DATE_ISO);
  ck_assert(!d.interval);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_DAY);
  ck_assert_str_eq(d.start.lexical, "2019-07-04");
  d = parse_ok("2019-07-04T09:30:00Z", DIPKG_DATE_ISO);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_DATETIME);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:00Z");
  d = parse_ok("2019-07-04T09:30+02:00", DIPKG_DATE_ISO);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:30:00+02:00");
}
END_TEST

START_TEST(test_qualifier_approximate)
{
  DipkgDate d = parse_ok("2019~", DIPKG_DATE_EDTF);
  ck_assert(d.start.approximate);
  ck_assert(!d.start.uncertain);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_YEAR);
  // The qualifier is not part of the XSD literal.
  ck_assert_str_eq(d.start.lexical, "2019");
  d = parse_ok("2019-07-04~", DIPKG_DATE_EDTF);
  ck_assert(d.start.approximate);
  ck_assert_str_eq(d.start.lexical, "2019-07-04");
}
END_TEST

START_TEST(test_qualifier_uncertain)
{
  DipkgDate d = parse_ok("2019-07?", DIPKG_DATE_EDTF);
  ck_assert(!d.start.approximate);
  ck_assert(d.start.uncertain);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_MONTH);
  ck_assert_str_eq(d.start.lexical, "2019-07");
}
END_TEST

START_TEST(test_qualifier_both)
{
  DipkgDate d = parse_ok("2019-07-04%", DIPKG_DATE_EDTF);
  ck_assert(d.start.approximate);
  ck_assert(d.start.uncertain);
  ck_assert_str_eq(d.start.lexical, "2019-07-04");
}
END_TEST

START_TEST(test_interval_closed)
{
  DipkgDate d = parse_ok("2019-07/2020-03-15", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_MONTH);
  ck_assert_str_eq(d.start.lexical, "2019-07");
  ck_assert_int_eq(d.end.precision, DIPKG_PREC_DAY);
  ck_assert_str_eq(d.end.lexical, "2020-03-15");
  ck_assert(!d.start.open);
  ck_assert(!d.end.open);
  expect_bounds(&d.start, "2019-07-01", "2019-07-31");
  expect_bounds(&d.end, "2020-03-15", "2020-03-15");
}
END_TEST

START_TEST(test_interval_with_qualifiers)
{
  DipkgDate d = parse_ok("2019~/2020-06?", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  ck_assert(d.start.approximate);
  ck_assert(!d.start.uncertain);
  ck_assert(d.end.uncertain);
  ck_assert(!d.end.approximate);
  ck_assert_str_eq(d.start.lexical, "2019");
  ck_assert_str_eq(d.end.lexical, "2020-06");
}
END_TEST

START_TEST(test_interval_open_ends)
{
  DipkgDate d = parse_ok("2019-07-04/..", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_DAY);
  ck_assert(d.end.open);
  ck_assert_int_eq(d.end.precision, DIPKG_PREC_NONE);
  ck_assert_str_eq(d.end.lexical, "");
  ck_assert_ptr_null(dipkg_date_datatype(&d.end));
  char b[11] = "unchanged";
  ck_assert(!dipkg_date_bound(&d.end, true, b));
  ck_assert(!dipkg_date_bound(&d.end, false, b));

  d = parse_ok("../2019", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  ck_assert(d.start.open);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_NONE);
  ck_assert_int_eq(d.end.precision, DIPKG_PREC_YEAR);
  ck_assert_str_eq(d.end.lexical, "2019");
}
END_TEST

START_TEST(test_interval_unknown_ends)
{
  DipkgDate d = parse_ok("2019/", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_YEAR);
  ck_assert_int_eq(d.end.precision, DIPKG_PREC_NONE);
  ck_assert(!d.end.open);  // unknown, not open
  ck_assert_ptr_null(dipkg_date_datatype(&d.end));

  d = parse_ok("/2019-07", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  ck_assert_int_eq(d.start.precision, DIPKG_PREC_NONE);
  ck_assert(!d.start.open);
  ck_assert_str_eq(d.end.lexical, "2019-07");
}
END_TEST

START_TEST(test_interval_of_datetimes)
{
  DipkgDate d =
    parse_ok("2019-07-04T09:00Z/2019-07-04T17:30:00Z", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:00:00Z");
  ck_assert_str_eq(d.end.lexical, "2019-07-04T17:30:00Z");
  ck_assert_int_eq(d.end.precision, DIPKG_PREC_DATETIME);
  // A negative offset's '-' is not taken for anything else.
  d = parse_ok("2019-07-04T09:00-05:00/2019-07-05", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2019-07-04T09:00:00-05:00");
  ck_assert_str_eq(d.end.lexical, "2019-07-05");
}
END_TEST

START_TEST(test_interval_same_and_nested_precision)
{
  // The same day on both ends, and ends of different precision that
  // overlap, are fine: only an end wholly before the start is an error.
  DipkgDate d = parse_ok("2019-07-04/2019-07-04", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  d = parse_ok("2019/2019-01", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.end.precision, DIPKG_PREC_MONTH);
  d = parse_ok("2019-07/2019-07-01", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.end.day, 1);
  d = parse_ok("2019-12-31/2019", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.day, 31);
}
END_TEST

START_TEST(test_length_not_nul)
{
  // Only `len` bytes are read: the rest of the buffer is not the date.
  const char *s = "2019-07-04 and more";
  DipkgDate d;
  const char *why = NULL;
  size_t at = 0;
  ck_assert(dipkg_date_parse(s, 10, DIPKG_DATE_EDTF, &d, &why, &at));
  ck_assert_str_eq(d.start.lexical, "2019-07-04");
  ck_assert(dipkg_date_parse(s, 7, DIPKG_DATE_EDTF, &d, &why, &at));
  ck_assert_str_eq(d.start.lexical, "2019-07");
  // An interval's slash past `len` is not seen.
  const char *t = "2019/2020";
  ck_assert(dipkg_date_parse(t, 4, DIPKG_DATE_EDTF, &d, &why, &at));
  ck_assert(!d.interval);
  ck_assert_str_eq(d.start.lexical, "2019");
}
END_TEST

/* -------------------------------------------------------------- bounds */

START_TEST(test_bounds_year)
{
  DipkgDate d = parse_ok("2019", DIPKG_DATE_EDTF);
  expect_bounds(&d.start, "2019-01-01", "2019-12-31");
  d = parse_ok("0001", DIPKG_DATE_EDTF);
  expect_bounds(&d.start, "0001-01-01", "0001-12-31");
}
END_TEST

START_TEST(test_bounds_month_ends)
{
  static const struct {
    const char *month;
    const char *last;
  } cases[] = {
    {"2019-01", "2019-01-31"}, {"2019-02", "2019-02-28"},
    {"2019-03", "2019-03-31"}, {"2019-04", "2019-04-30"},
    {"2019-05", "2019-05-31"}, {"2019-06", "2019-06-30"},
    {"2019-07", "2019-07-31"}, {"2019-08", "2019-08-31"},
    {"2019-09", "2019-09-30"}, {"2019-10", "2019-10-31"},
    {"2019-11", "2019-11-30"}, {"2019-12", "2019-12-31"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    DipkgDate d = parse_ok(cases[i].month, DIPKG_DATE_EDTF);
    char first[11];
    snprintf(first, sizeof first, "%s-01", cases[i].month);
    expect_bounds(&d.start, first, cases[i].last);
  }
}
END_TEST

START_TEST(test_bounds_february_leap_years)
{
  DipkgDate d = parse_ok("2024-02", DIPKG_DATE_EDTF);
  expect_bounds(&d.start, "2024-02-01", "2024-02-29");
  d = parse_ok("2023-02", DIPKG_DATE_EDTF);
  expect_bounds(&d.start, "2023-02-01", "2023-02-28");
  d = parse_ok("2000-02", DIPKG_DATE_EDTF);  // divisible by 400
  expect_bounds(&d.start, "2000-02-01", "2000-02-29");
  d = parse_ok("1900-02", DIPKG_DATE_EDTF);  // divisible by 100 only
  expect_bounds(&d.start, "1900-02-01", "1900-02-28");
}
END_TEST

START_TEST(test_bounds_day_and_datetime)
{
  DipkgDate d = parse_ok("2019-07-04", DIPKG_DATE_EDTF);
  expect_bounds(&d.start, "2019-07-04", "2019-07-04");
  d = parse_ok("2019-07-04T23:30:00-05:00", DIPKG_DATE_EDTF);
  expect_bounds(&d.start, "2019-07-04", "2019-07-04");
  d = parse_ok("2019-07-04~", DIPKG_DATE_EDTF);
  expect_bounds(&d.start, "2019-07-04", "2019-07-04");
}
END_TEST

START_TEST(test_days_in_month)
{
  ck_assert_int_eq(dipkg_days_in_month(2019, 1), 31);
  ck_assert_int_eq(dipkg_days_in_month(2019, 2), 28);
  ck_assert_int_eq(dipkg_days_in_month(2019, 4), 30);
  ck_assert_int_eq(dipkg_days_in_month(2019, 12), 31);
  ck_assert_int_eq(dipkg_days_in_month(2024, 2), 29);
  ck_assert_int_eq(dipkg_days_in_month(2000, 2), 29);
  ck_assert_int_eq(dipkg_days_in_month(1900, 2), 28);
  ck_assert_int_eq(dipkg_days_in_month(2100, 2), 28);
  ck_assert_int_eq(dipkg_days_in_month(1600, 2), 29);
  ck_assert_int_eq(dipkg_days_in_month(4, 2), 29);
}
END_TEST

/* ---------------------------------------------------------- rejections */

START_TEST(test_february_29)
{
  DipkgDate d = parse_ok("2024-02-29", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.day, 29);
  d = parse_ok("2000-02-29", DIPKG_DATE_EDTF);
  ck_assert_str_eq(d.start.lexical, "2000-02-29");
  expect_why("2023-02-29", DIPKG_DATE_EDTF, "day out of range for that month");
  expect_why("1900-02-29", DIPKG_DATE_EDTF, "day out of range for that month");
  expect_why("2024-02-30", DIPKG_DATE_EDTF, "day out of range for that month");
  expect_why("2023-02-29", DIPKG_DATE_ISO, "day out of range for that month");
}
END_TEST

START_TEST(test_day_out_of_range)
{
  expect_why("2019-04-31", DIPKG_DATE_EDTF, "day out of range for that month");
  expect_why("2019-07-32", DIPKG_DATE_EDTF, "day out of range for that month");
  expect_why("2019-07-00", DIPKG_DATE_EDTF, "day out of range for that month");
  DipkgDate d = parse_ok("2019-07-31", DIPKG_DATE_EDTF);
  ck_assert_int_eq(d.start.day, 31);
}
END_TEST

START_TEST(test_month_out_of_range)
{
  expect_why("2019-13", DIPKG_DATE_EDTF, "month out of range 01-12");
  expect_why("2019-00", DIPKG_DATE_EDTF, "month out of range 01-12");
  expect_why("2019-13-01", DIPKG_DATE_EDTF, "month out of range 01-12");
  expect_why("2019-20", DIPKG_DATE_EDTF, "month out of range 01-12");
  expect_why("2019-42", DIPKG_DATE_EDTF, "month out of range 01-12");
  expect_why("2019-99", DIPKG_DATE_EDTF, "month out of range 01-12");
}
END_TEST

START_TEST(test_seasons)
{
  static const char *const seasons[] = {"2019-21", "2019-24", "2019-33",
                                        "2019-41"};
  for (size_t i = 0; i < 4; i++)
    expect_why(seasons[i], DIPKG_DATE_EDTF,
               "EDTF seasons are not supported; use an interval of months");
}
END_TEST

START_TEST(test_year_zero)
{
  expect_why("0000", DIPKG_DATE_EDTF,
             "year 0000 is not supported; years start at 0001");
  expect_why("0000-01-01", DIPKG_DATE_EDTF,
             "year 0000 is not supported; years start at 0001");
}
END_TEST

START_TEST(test_years_out_of_range)
{
  expect_reject("Y12345", DIPKG_DATE_EDTF,
                "years before 0001 or after 9999 are not supported", 0);
  expect_reject("-0044", DIPKG_DATE_EDTF,
                "years before 0001 or after 9999 are not supported", 0);
  // A fifth digit is not taken for garbage after a four-digit year.
  expect_reject("12019", DIPKG_DATE_EDTF, "years after 9999 are not supported",
                4);
  expect_reject("20190-01-01", DIPKG_DATE_EDTF,
                "years after 9999 are not supported", 4);
}
END_TEST

START_TEST(test_unspecified_month_digits)
{
  expect_reject("2019-XX", DIPKG_DATE_EDTF, X_MONTH_WHY, 5);
  expect_reject("2019-xx", DIPKG_DATE_EDTF, X_MONTH_WHY, 5);
}
END_TEST

START_TEST(test_unspecified_year_digits)
{
  // The offset is that of the year.
  expect_reject("201X", DIPKG_DATE_EDTF, X_YEAR_WHY, 0);
  expect_reject("19XX", DIPKG_DATE_EDTF, X_YEAR_WHY, 0);
  expect_reject("XXXX", DIPKG_DATE_EDTF, X_YEAR_WHY, 0);
  expect_reject("201x-05", DIPKG_DATE_EDTF, X_YEAR_WHY, 0);
  expect_reject("2019/202X", DIPKG_DATE_EDTF, X_YEAR_WHY, 5);
}
END_TEST

START_TEST(test_unspecified_day_digits)
{
  expect_reject("2019-07-XX", DIPKG_DATE_EDTF, X_DAY_WHY, 8);
  expect_reject("2019-07-xx", DIPKG_DATE_EDTF, X_DAY_WHY, 8);
}
END_TEST

START_TEST(test_malformed_points)
{
  expect_reject("", DIPKG_DATE_EDTF, "expected a four-digit year", 0);
  expect_reject("19", DIPKG_DATE_EDTF, "expected a four-digit year", 0);
  expect_reject("July 2019", DIPKG_DATE_EDTF, "expected a four-digit year", 0);
  expect_reject("2019-7", DIPKG_DATE_EDTF, "expected a two-digit month", 5);
  expect_reject("2019-", DIPKG_DATE_EDTF, "expected a two-digit month", 5);
  expect_reject("2019-07-4", DIPKG_DATE_EDTF, "expected a two-digit day", 8);
  expect_reject("2019-07-", DIPKG_DATE_EDTF, "expected a two-digit day", 8);
}
END_TEST

START_TEST(test_trailing_garbage)
{
  expect_reject("2019-07-04x", DIPKG_DATE_EDTF,
                "unexpected characters after the date", 10);
  expect_reject("2019-07-04 ", DIPKG_DATE_EDTF,
                "unexpected characters after the date", 10);
  expect_reject("2019~~", DIPKG_DATE_EDTF,
                "unexpected characters after the date", 5);
  expect_reject("2019?~", DIPKG_DATE_EDTF,
                "unexpected characters after the date", 5);
  expect_reject("2019-07-04T09:30Zx", DIPKG_DATE_EDTF,
                "unexpected characters after the date", 17);
  // Fractional seconds need seconds.
  expect_reject("2019-07-04T09:30.5", DIPKG_DATE_EDTF,
                "unexpected characters after the date", 16);
  expect_reject("2019-07-04x", DIPKG_DATE_ISO,
                "unexpected characters after the date", 10);
}
END_TEST

START_TEST(test_time_needs_full_date)
{
  expect_reject("2019T10:00", DIPKG_DATE_EDTF,
                "a time needs a full date before it", 4);
  expect_reject("2019-07T10:00", DIPKG_DATE_EDTF,
                "a time needs a full date before it", 7);
}
END_TEST

START_TEST(test_malformed_times)
{
  expect_reject("2019-07-04T", DIPKG_DATE_EDTF, TIME_SHAPE, 11);
  expect_reject("2019-07-04T9:30", DIPKG_DATE_EDTF, TIME_SHAPE, 11);
  expect_reject("2019-07-04T0930", DIPKG_DATE_EDTF, TIME_SHAPE, 13);
  expect_reject("2019-07-04T09:3", DIPKG_DATE_EDTF, TIME_SHAPE, 14);
  expect_reject("2019-07-04T09:", DIPKG_DATE_EDTF, TIME_SHAPE, 14);
  expect_reject("2019-07-04T09:30:5", DIPKG_DATE_EDTF, SECONDS, 17);
  expect_reject("2019-07-04T09:30:", DIPKG_DATE_EDTF, SECONDS, 17);
  expect_reject("2019-07-04T09:30:00.", DIPKG_DATE_EDTF, FRACTION, 20);
  expect_reject("2019-07-04T09:30:00.Z", DIPKG_DATE_EDTF, FRACTION, 20);
}
END_TEST

START_TEST(test_times_out_of_range)
{
  expect_why("2019-07-04T24:00", DIPKG_DATE_EDTF, TIME_RANGE);
  expect_why("2019-07-04T25:00Z", DIPKG_DATE_EDTF, TIME_RANGE);
  expect_why("2019-07-04T23:60", DIPKG_DATE_EDTF, TIME_RANGE);
  expect_why("2019-07-04T99:99", DIPKG_DATE_EDTF, TIME_RANGE);
  expect_why("2019-07-04T23:59:60", DIPKG_DATE_EDTF, SECONDS);
  expect_why("2019-07-04T23:59:99Z", DIPKG_DATE_EDTF, SECONDS);
  expect_why("2019-07-04T09:30:00.1234567890Z", DIPKG_DATE_EDTF, FRACTION);
}
END_TEST

START_TEST(test_zone_offsets_out_of_range)
{
  expect_why("2019-07-04T09:30+15:00", DIPKG_DATE_EDTF, ZONE_RANGE);
  expect_why("2019-07-04T09:30-15:00", DIPKG_DATE_EDTF, ZONE_RANGE);
  expect_why("2019-07-04T09:30+14:01", DIPKG_DATE_EDTF, ZONE_RANGE);
  expect_why("2019-07-04T09:30+05:60", DIPKG_DATE_EDTF, ZONE_RANGE);
}
END_TEST

START_TEST(test_malformed_zone_offsets)
{
  expect_reject("2019-07-04T09:30+5:00", DIPKG_DATE_EDTF, ZONE_SHAPE, 17);
  expect_reject("2019-07-04T09:30+0500", DIPKG_DATE_EDTF, ZONE_SHAPE, 19);
  expect_reject("2019-07-04T09:30+", DIPKG_DATE_EDTF, ZONE_SHAPE, 17);
  // A zone needs a time.
  expect_reject("2019-07-04Z", DIPKG_DATE_EDTF,
                "unexpected characters after the date", 10);
}
END_TEST

/* Regression (was a bug): when the offset's minutes are not two digits ("+05:3x",
 * "+05:"), read_time reports "the time zone offset is out of range", as if
 * the digits had been read and were too large; the form is malformed (the
 * hours get the right message: "+5:00" above). */
START_TEST(test_zone_offset_minutes_malformed)
{
  expect_reject("2019-07-04T09:30+05:3x", DIPKG_DATE_EDTF, ZONE_SHAPE, 20);
  expect_reject("2019-07-04T09:30+05:", DIPKG_DATE_EDTF, ZONE_SHAPE, 20);
}
END_TEST

/* Regression (was a bug): range errors report the offset just past the offending field
 * (e.g. 7 for the month of "2019-13", which is the end of the string)
 * instead of the offset of the field itself, as the header promises
 * ("the byte offset of the problem").  The cursor has already advanced
 * over the digits when the value is checked. */
START_TEST(test_range_errors_point_at_the_field)
{
  static const struct {
    const char *s;
    size_t at;
  } cases[] = {
    {"2019-13", 5},                          // month
    {"2019-00-01", 5},                       // month
    {"2019-21", 5},                          // season
    {"2023-02-29", 8},                       // day
    {"1900-02-29", 8},                       // day
    {"2019-04-31", 8},                       // day
    {"0000", 0},                             // year
    {"2019-07-04T24:00", 11},                // hours
    {"2019-07-04T23:60", 14},                // minutes
    {"2019-07-04T23:59:60", 17},             // seconds
    {"2019-07-04T09:30:00.1234567890", 20},  // fraction
    {"2019-07-04T09:30+15:00", 17},          // offset hours
    {"2019-07-04T09:30+05:60", 20},          // offset minutes
  };
  char wrong[2048] = "";
  size_t n_wrong = 0;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t at;
    const char *why = parse_fail(cases[i].s, DIPKG_DATE_EDTF, &at);
    if (at != cases[i].at) {
      size_t used = strlen(wrong);
      snprintf(wrong + used, sizeof wrong - used,
               "\n  '%s' (%s): expected offset %zu, got %zu", cases[i].s, why,
               cases[i].at, at);
      n_wrong++;
    }
  }
  ck_assert_msg(n_wrong == 0, "%zu wrong offsets:%s", n_wrong, wrong);
}
END_TEST

START_TEST(test_interval_ends_before_start)
{
  expect_reject("2020/2019", DIPKG_DATE_EDTF,
                "the interval ends before it starts", 5);
  expect_reject("2019-07-05/2019-07-04", DIPKG_DATE_EDTF,
                "the interval ends before it starts", 11);
  expect_reject("2019-08/2019-07-31", DIPKG_DATE_EDTF,
                "the interval ends before it starts", 8);
  expect_reject("2020-01-01/2019", DIPKG_DATE_EDTF,
                "the interval ends before it starts", 11);
}
END_TEST

START_TEST(test_interval_ends_before_start_same_day)
{
  expect_reject("2019-07-04T17:00Z/2019-07-04T09:00Z", DIPKG_DATE_EDTF,
                "the interval ends before it starts", 18);
  expect_reject("2019-07-04T09:00:01/2019-07-04T09:00:00", DIPKG_DATE_EDTF,
                "the interval ends before it starts", 20);
  // Zones are taken into account: 10:00+02:00 is 08:00Z.
  expect_reject("2019-07-04T10:00Z/2019-07-04T11:00+02:00", DIPKG_DATE_EDTF,
                "the interval ends before it starts", 18);
  DipkgDate d =
    parse_ok("2019-07-04T10:00+02:00/2019-07-04T09:00Z", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  // The end's calendar day is earlier, its instant later.
  d = parse_ok("2019-07-05T01:00+05:00/2019-07-04T21:00Z", DIPKG_DATE_EDTF);
  ck_assert(d.interval);
  // Equal instants are fine; a date-time and a day compare by days.
  parse_ok("2019-07-04T09:00Z/2019-07-04T11:00+02:00", DIPKG_DATE_EDTF);
  parse_ok("2019-07-04T23:00Z/2019-07-04", DIPKG_DATE_EDTF);
}
END_TEST

START_TEST(test_interval_needs_a_known_end)
{
  expect_reject("/", DIPKG_DATE_EDTF,
                "an interval needs at least one known end", 0);
  expect_reject("../..", DIPKG_DATE_EDTF,
                "an interval needs at least one known end", 0);
  expect_reject("../", DIPKG_DATE_EDTF,
                "an interval needs at least one known end", 0);
  expect_reject("/..", DIPKG_DATE_EDTF,
                "an interval needs at least one known end", 0);
}
END_TEST

START_TEST(test_interval_bad_ends)
{
  expect_reject("2019/2020/2021", DIPKG_DATE_EDTF,
                "unexpected characters after the date", 9);
  expect_why("2019-13/2020", DIPKG_DATE_EDTF, "month out of range 01-12");
  expect_reject("2019/2020-1", DIPKG_DATE_EDTF, "expected a two-digit month",
                10);
  expect_reject("2019/.", DIPKG_DATE_EDTF, "expected a four-digit year", 5);
  expect_reject(".../2019", DIPKG_DATE_EDTF, "expected a four-digit year", 0);
  expect_reject("2019y/2020", DIPKG_DATE_EDTF,
                "unexpected characters after the date", 4);
}
END_TEST

START_TEST(test_iso_rejects_qualifiers)
{
  expect_reject("2019-07-04~", DIPKG_DATE_ISO,
                "qualifiers are not allowed here", 10);
  expect_reject("2019-07-04?", DIPKG_DATE_ISO,
                "qualifiers are not allowed here", 10);
  expect_reject("2019-07-04%", DIPKG_DATE_ISO,
                "qualifiers are not allowed here", 10);
}
END_TEST

START_TEST(test_iso_rejects_intervals)
{
  expect_reject("2019-07-04/2019-07-05", DIPKG_DATE_ISO,
                "intervals are not allowed here", 10);
  expect_reject("2019-07-04/..", DIPKG_DATE_ISO,
                "intervals are not allowed here", 10);
}
END_TEST

START_TEST(test_iso_needs_a_full_date)
{
  // dip:published is an xsd:date or xsd:dateTime, never a gYear.
  expect_reject("2019", DIPKG_DATE_ISO,
                "a full date (year, month and day) is needed here", 4);
  expect_reject("2019-07", DIPKG_DATE_ISO,
                "a full date (year, month and day) is needed here", 7);
}
END_TEST

START_TEST(test_iso_embedded_nul)
{
  // A NUL byte after the date is garbage, not a qualifier.
  size_t at;
  const char *why = parse_fail_len("2019-07-04\0", 11, DIPKG_DATE_ISO, &at);
  ck_assert_str_eq(why, "unexpected characters after the date");
  ck_assert_uint_eq(at, 10);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("date");
  TCase *ok = tcase_create("accepted");
  tcase_add_test(ok, test_year);
  tcase_add_test(ok, test_year_month);
  tcase_add_test(ok, test_full_date);
  tcase_add_test(ok, test_early_and_late_years);
  tcase_add_test(ok, test_datetime_utc);
  tcase_add_test(ok, test_datetime_offsets);
  tcase_add_test(ok, test_datetime_instant);
  tcase_add_test(ok, test_datetime_without_zone);
  tcase_add_test(ok, test_datetime_fractional_seconds);
  tcase_add_test(ok, test_iso_accepts_date_and_datetime);
  tcase_add_test(ok, test_qualifier_approximate);
  tcase_add_test(ok, test_qualifier_uncertain);
  tcase_add_test(ok, test_qualifier_both);
  tcase_add_test(ok, test_interval_closed);
  tcase_add_test(ok, test_interval_with_qualifiers);
  tcase_add_test(ok, test_interval_open_ends);
  tcase_add_test(ok, test_interval_unknown_ends);
  tcase_add_test(ok, test_interval_of_datetimes);
  tcase_add_test(ok, test_interval_same_and_nested_precision);
  tcase_add_test(ok, test_length_not_nul);
  suite_add_tcase(s, ok);

  TCase *bounds = tcase_create("bounds");
  tcase_add_test(bounds, test_bounds_year);
  tcase_add_test(bounds, test_bounds_month_ends);
  tcase_add_test(bounds, test_bounds_february_leap_years);
  tcase_add_test(bounds, test_bounds_day_and_datetime);
  tcase_add_test(bounds, test_days_in_month);
  suite_add_tcase(s, bounds);

  TCase *bad = tcase_create("rejected");
  tcase_add_test(bad, test_february_29);
  tcase_add_test(bad, test_day_out_of_range);
  tcase_add_test(bad, test_month_out_of_range);
  tcase_add_test(bad, test_seasons);
  tcase_add_test(bad, test_year_zero);
  tcase_add_test(bad, test_years_out_of_range);
  tcase_add_test(bad, test_unspecified_month_digits);
  tcase_add_test(bad, test_unspecified_year_digits);
  tcase_add_test(bad, test_unspecified_day_digits);
  tcase_add_test(bad, test_malformed_points);
  tcase_add_test(bad, test_trailing_garbage);
  tcase_add_test(bad, test_time_needs_full_date);
  tcase_add_test(bad, test_malformed_times);
  tcase_add_test(bad, test_times_out_of_range);
  tcase_add_test(bad, test_zone_offsets_out_of_range);
  tcase_add_test(bad, test_malformed_zone_offsets);
  tcase_add_test(bad, test_zone_offset_minutes_malformed);
  tcase_add_test(bad, test_range_errors_point_at_the_field);
  tcase_add_test(bad, test_interval_ends_before_start);
  tcase_add_test(bad, test_interval_ends_before_start_same_day);
  tcase_add_test(bad, test_interval_needs_a_known_end);
  tcase_add_test(bad, test_interval_bad_ends);
  tcase_add_test(bad, test_iso_rejects_qualifiers);
  tcase_add_test(bad, test_iso_rejects_intervals);
  tcase_add_test(bad, test_iso_needs_a_full_date);
  tcase_add_test(bad, test_iso_embedded_nul);
  suite_add_tcase(s, bad);
  return tu_main(s);
}
