#include "date.h"

#include "vocab.h"

#include <stdio.h>
#include <string.h>

int
dipkg_days_in_month(int year, int month)
{
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return days[month - 1];
}

typedef struct Cursor {
  const char *s;
  size_t len;
  size_t pos;
  const char *why;
} Cursor;

static bool
fail(Cursor *c, const char *why)
{
  c->why = why;
  return false;
}

/* Fails pointing at `at`, the start of the offending field. */
static bool
fail_at(Cursor *c, size_t at, const char *why)
{
  c->pos = at;
  return fail(c, why);
}

/* Reads exactly `n` digits. */
static bool
digits(Cursor *c, size_t n, int *value)
{
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (c->pos + i >= c->len || c->s[c->pos + i] < '0' ||
        c->s[c->pos + i] > '9')
      return false;
    v = v * 10 + (c->s[c->pos + i] - '0');
  }
  c->pos += n;
  *value = v;
  return true;
}

static bool
peek(const Cursor *c, char ch)
{
  return c->pos < c->len && c->s[c->pos] == ch;
}

/* Days from 1970-01-01 to the given proleptic Gregorian date. */
static long long
days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* time = hh:mm[:ss[.fff]] (Z | +hh:mm | -hh:mm)?  Written into the
 * lexical form with seconds always present, as xsd:dateTime requires.
 * (Messages here do not start with "expected": that word marks errors in
 * the shape of the date itself.) */
static bool
read_time(Cursor *c, DipkgDatePoint *p)
{
  int hh, mm, ss = 0;
  size_t hh_at = c->pos;
  if (!digits(c, 2, &hh) || !peek(c, ':'))
    return fail(c, "a time must be hh:mm or hh:mm:ss after 'T'");
  c->pos++;
  size_t mm_at = c->pos;
  if (!digits(c, 2, &mm))
    return fail(c, "a time must be hh:mm or hh:mm:ss after 'T'");
  if (hh > 23)
    return fail_at(c, hh_at, "the time is out of range");
  if (mm > 59)
    return fail_at(c, mm_at, "the time is out of range");
  size_t frac_at = 0, frac_len = 0;
  if (peek(c, ':')) {
    c->pos++;
    size_t ss_at = c->pos;
    if (!digits(c, 2, &ss))
      return fail(c, "seconds must be 00 to 59");
    if (ss > 59)
      return fail_at(c, ss_at, "seconds must be 00 to 59");
    if (peek(c, '.')) {
      c->pos++;
      frac_at = c->pos;
      while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
        c->pos++;
      frac_len = c->pos - frac_at;
      if (!frac_len || frac_len > 9)
        return fail_at(c, frac_at, "fractional seconds take 1 to 9 digits");
    }
  }
  char tz[7] = "";
  int offset = 0;
  if (peek(c, 'Z')) {
    c->pos++;
    strcpy(tz, "Z");
  } else if (peek(c, '+') || peek(c, '-')) {
    char sign = c->s[c->pos++];
    int th, tm;
    size_t th_at = c->pos;
    if (!digits(c, 2, &th) || !peek(c, ':'))
      return fail(c, "the time zone must be Z, +hh:mm or -hh:mm");
    c->pos++;
    size_t tm_at = c->pos;
    if (!digits(c, 2, &tm))
      return fail(c, "the time zone must be Z, +hh:mm or -hh:mm");
    if (th > 14 || (th == 14 && tm))
      return fail_at(c, th_at, "the time zone offset is out of range");
    if (tm > 59)
      return fail_at(c, tm_at, "the time zone offset is out of range");
    // 0 <= th <= 14 and 0 <= tm <= 59 here; the modulo tells the compiler.
    snprintf(tz, sizeof tz, "%c%02u:%02u", sign, (unsigned)th % 100u,
             (unsigned)tm % 100u);
    offset = (sign == '-' ? -1 : 1) * (th * 60 + tm);
  }
  p->instant = days_from_civil(p->year, p->month, p->day) * 86400LL +
               hh * 3600LL + mm * 60LL + ss - offset * 60LL;
  size_t n = strlen(p->lexical);
  snprintf(p->lexical + n, sizeof p->lexical - n, "T%02d:%02d:%02d%s%.*s%s", hh,
           mm, ss, frac_len ? "." : "", (int)frac_len, c->s + frac_at, tz);
  p->precision = DIPKG_PREC_DATETIME;
  return true;
}

/* One point: YYYY[-MM[-DD[Thh:mm...]]] with an optional qualifier. */
static bool
read_point(Cursor *c, DipkgDatePoint *p, DipkgDateForms forms)
{
  memset(p, 0, sizeof *p);
  size_t year_at = c->pos;
  if (!digits(c, 4, &p->year)) {
    if (c->pos < c->len && (c->s[c->pos] == 'Y' || c->s[c->pos] == '-'))
      return fail(c, "years before 0001 or after 9999 are not supported");
    for (size_t i = c->pos; i < c->len && i < c->pos + 4; i++)
      if (c->s[i] == 'X' || c->s[i] == 'x')
        return fail(c, "unspecified digits (X) are not supported; use an "
                       "interval such as 2010/2019");
    return fail(c, "expected a four-digit year");
  }
  if (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
    return fail(c, "years after 9999 are not supported");
  if (p->year == 0)
    return fail_at(c, year_at,
                   "year 0000 is not supported; years start at 0001");
  p->precision = DIPKG_PREC_YEAR;
  if (peek(c, '-')) {
    c->pos++;
    if (c->pos < c->len && (c->s[c->pos] == 'X' || c->s[c->pos] == 'x'))
      return fail(c, "unspecified digits (X) are not supported; use an "
                     "interval such as 2019-01/2019-06");
    size_t month_at = c->pos;
    if (!digits(c, 2, &p->month))
      return fail(c, "expected a two-digit month");
    if (p->month >= 21 && p->month <= 41)
      return fail_at(c, month_at,
                     "EDTF seasons are not supported; use an "
                     "interval of months");
    if (p->month < 1 || p->month > 12)
      return fail_at(c, month_at, "month out of range 01-12");
    p->precision = DIPKG_PREC_MONTH;
    if (peek(c, '-')) {
      c->pos++;
      if (c->pos < c->len && (c->s[c->pos] == 'X' || c->s[c->pos] == 'x'))
        return fail(c, "unspecified digits (X) are not supported; use an "
                       "interval such as 2019-01-01/2019-01-15");
      size_t day_at = c->pos;
      if (!digits(c, 2, &p->day))
        return fail(c, "expected a two-digit day");
      if (p->day < 1 || p->day > dipkg_days_in_month(p->year, p->month))
        return fail_at(c, day_at, "day out of range for that month");
      p->precision = DIPKG_PREC_DAY;
    }
  } else if (c->pos < c->len && (c->s[c->pos] == 'X' || c->s[c->pos] == 'x')) {
    return fail(c, "unspecified digits (X) are not supported; use an interval "
                   "such as 2010/2019");
  }
  switch (p->precision) {
  case DIPKG_PREC_YEAR:
    snprintf(p->lexical, sizeof p->lexical, "%04d", p->year);
    break;
  case DIPKG_PREC_MONTH:
    snprintf(p->lexical, sizeof p->lexical, "%04d-%02d", p->year, p->month);
    break;
  default:
    snprintf(p->lexical, sizeof p->lexical, "%04d-%02d-%02d", p->year, p->month,
             p->day);
    break;
  }
  if (peek(c, 'T')) {
    if (p->precision != DIPKG_PREC_DAY)
      return fail(c, "a time needs a full date before it");
    c->pos++;
    if (!read_time(c, p))
      return false;
  }
  if (forms == DIPKG_DATE_EDTF && c->pos < c->len) {
    char q = c->s[c->pos];
    if (q == '~' || q == '?' || q == '%') {
      c->pos++;
      p->approximate = q == '~' || q == '%';
      p->uncertain = q == '?' || q == '%';
    }
  }
  return true;
}

/* Orders the earliest (or latest) moment of `a` and of `b`; 0 when either
 * is open or unknown. */
static int
compare_bounds(const DipkgDatePoint *a, bool a_latest, const DipkgDatePoint *b,
               bool b_latest)
{
  if (a->precision == DIPKG_PREC_DATETIME &&
      b->precision == DIPKG_PREC_DATETIME)
    return a->instant < b->instant ? -1 : a->instant > b->instant;
  char x[11], y[11];
  if (!dipkg_date_bound(a, a_latest, x) || !dipkg_date_bound(b, b_latest, y))
    return 0;
  return strcmp(x, y);
}

/* An interval end: a point, ".." (open) or nothing (unknown). */
static bool
read_end(Cursor *c, DipkgDatePoint *p, size_t stop)
{
  memset(p, 0, sizeof *p);
  if (c->pos == stop)
    return true;  // unknown
  if (stop - c->pos == 2 && c->s[c->pos] == '.' && c->s[c->pos + 1] == '.') {
    c->pos += 2;
    p->open = true;
    return true;
  }
  size_t len = c->len;
  c->len = stop;
  bool ok = read_point(c, p, DIPKG_DATE_EDTF);
  c->len = len;
  if (ok && c->pos != stop)
    return fail(c, "unexpected characters after the date");
  return ok;
}

bool
dipkg_date_parse(const char *s, size_t len, DipkgDateForms forms,
                 DipkgDate *out, const char **why, size_t *at)
{
  Cursor c = {s, len, 0, NULL};
  memset(out, 0, sizeof *out);
  const char *slash = memchr(s, '/', len);
  bool ok;
  if (slash && forms == DIPKG_DATE_EDTF) {
    out->interval = true;
    size_t mid = (size_t)(slash - s);
    ok = read_end(&c, &out->start, mid);
    if (ok) {
      c.pos = mid + 1;
      ok = read_end(&c, &out->end, len);
    }
    if (ok && out->start.precision == DIPKG_PREC_NONE &&
        out->end.precision == DIPKG_PREC_NONE) {
      c.pos = 0;
      ok = fail(&c, "an interval needs at least one known end");
    }
    if (ok && compare_bounds(&out->start, false, &out->end, true) > 0) {
      c.pos = mid + 1;
      ok = fail(&c, "the interval ends before it starts");
    }
  } else {
    ok = read_point(&c, &out->start, forms);
    if (ok && c.pos != len)
      ok = fail(&c,
                slash ? "intervals are not allowed here"
                : forms == DIPKG_DATE_ISO && s[c.pos] && strchr("~?%", s[c.pos])
                  ? "qualifiers are not allowed here"
                  : "unexpected characters after the date");
    if (ok && forms == DIPKG_DATE_ISO &&
        out->start.precision < DIPKG_PREC_DAY) {
      c.pos = len;
      ok = fail(&c, "a full date (year, month and day) is needed here");
    }
  }
  if (!ok) {
    *why = c.why;
    *at = c.pos;
  }
  return ok;
}

const char *
dipkg_date_datatype(const DipkgDatePoint *p)
{
  switch (p->precision) {
  case DIPKG_PREC_YEAR:
    return XSD "gYear";
  case DIPKG_PREC_MONTH:
    return XSD "gYearMonth";
  case DIPKG_PREC_DAY:
    return XSD "date";
  case DIPKG_PREC_DATETIME:
    return XSD "dateTime";
  default:
    return NULL;
  }
}

bool
dipkg_date_bound(const DipkgDatePoint *p, bool latest, char out[11])
{
  int month = p->month, day = p->day;
  switch (p->precision) {
  case DIPKG_PREC_NONE:
    return false;
  case DIPKG_PREC_YEAR:
    month = latest ? 12 : 1;
    day = latest ? 31 : 1;
    break;
  case DIPKG_PREC_MONTH:
    day = latest ? dipkg_days_in_month(p->year, p->month) : 1;
    break;
  default:
    break;
  }
  snprintf(out, 11, "%04d-%02d-%02d", p->year, month, day);
  return true;
}
