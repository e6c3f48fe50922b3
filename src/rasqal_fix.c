/* Corrections of rasqal 0.9.33 functions that give wrong answers, made in
 * dipkg's process by ELF symbol interposition.
 *
 * librasqal calls these functions through its procedure linkage table, so
 * a definition of the same name in the program that links librasqal
 * replaces the library's own for every call, librasqal's included (the
 * program exports it: librasqal refers to it).  Each is rasqal's function
 * with its bug fixed, written against rasqal's public structures; the
 * names are rasqal's (not dipkg_*) because the name is the mechanism.
 * docs/rasqal-bugs.md lists the bugs; tests/check_query.c holds the
 * answers, and dipkg_rasqal_fix_active() says whether the corrections are
 * in effect (a rasqal linked statically or with -Bsymbolic would bypass
 * them: the tests then fail, not the users' answers silently).
 *
 * 1. rasqal_xsd_datatype_uri_to_type(): xsd:positiveInteger is spelled
 *    "postiveInteger" in rasqal's table and xsd:unsignedByte lies past the
 *    end of its loop, so literals of these two types are not numbers:
 *    `"1"^^xsd:unsignedByte + "1"^^xsd:short` is an error, `= 1` false.
 * 2. rasqal_xsd_datatype_is_numeric() and rasqal_xsd_datatype_parent_type():
 *    xsd:boolean is a number whose parent type is xsd:integer, so
 *    `true = 1.0e0` holds, `true + 1` is 2, and isNumeric(true) is true.
 *    SPARQL has no operator between booleans and numbers (a type error).
 * 3. rasqal_expression_evaluate_substr(): an empty result is an error (so
 *    SUBSTR("abc", 4) is unbound, not ""), a start before 1 does not
 *    shorten the length (SUBSTR("abc", 0, 2) gave "ab", not "a"), and
 *    non-integer positions are truncated, not rounded as fn:substring
 *    does.
 * 4. rasqal_expression_evaluate_set_case(): UCASE and LCASE map bytes with
 *    toupper()/tolower(), so non-ASCII letters stay as they are
 *    (UCASE("søren") is "SøREN").
 * 5. rasqal_literal_compare() with no flags, the comparison MIN and MAX
 *    (and the DISTINCT of an aggregate) use: an IRI is an error there
 *    (MIN and MAX over IRIs are unbound) and an IRI against a literal is
 *    compared as a string (MIN of <http://ex.org/s9> and "a" is "a").
 *    With an IRI or a blank node on either side the order is SPARQL's
 *    (ORDER BY, 15.1): blank nodes, then IRIs (by their text), then
 *    literals; other comparisons are rasqal's own.
 * 6. rasqal_literal_cast(): casts copy the lexical form and check it
 *    against the target type, so xsd:double("+33.3300") or
 *    xsd:decimal(1.0e0) fail, xsd:integer(true) fails, xsd:boolean(1)
 *    fails, and xsd:string(1.0) is "1.0" where XPath says "1".  The casts
 *    to xsd:string, boolean, integer, decimal, float and double follow
 *    XPath's casting table (SPARQL 1.1, 17.5).
 * 7. rasqal_regex_replace(): REPLACE over POSIX regexec() asks for one
 *    group too few, copies each group one byte too long from the wrong
 *    offset ($1 of "(ab)|(a)" over "abcd" is "abc"), lets '^' match after
 *    each match, and steps over an empty match by one byte (half a UTF-8
 *    character). */
#include "rasqal_fix.h"

#include "memory.h"

#include <dlfcn.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <rasqal.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* rasqal's internal declarations (rasqal_internal.h is not installed). */
rasqal_literal_type rasqal_xsd_datatype_uri_to_type(rasqal_world *world,
                                                    raptor_uri *uri);
int rasqal_xsd_datatype_is_numeric(rasqal_literal_type type);
rasqal_literal_type rasqal_xsd_datatype_parent_type(rasqal_literal_type type);
rasqal_literal *rasqal_expression_evaluate_substr(
  rasqal_expression *e, rasqal_evaluation_context *eval_context, int *error_p);
int rasqal_literal_is_numeric(rasqal_literal *literal);
rasqal_literal *rasqal_expression_evaluate_set_case(
  rasqal_expression *e, rasqal_evaluation_context *eval_context, int *error_p);
rasqal_literal *rasqal_literal_cast(rasqal_literal *l, raptor_uri *to_datatype,
                                    int flags, int *error_p);
char *rasqal_regex_replace(rasqal_world *world, raptor_locator *locator,
                           const char *pattern, const char *regex_flags,
                           const char *subject, size_t subject_len,
                           const char *replace, size_t replace_len,
                           size_t *result_len_p);

#define XSD_NS "http://www.w3.org/2001/XMLSchema#"

/* The XSD datatypes rasqal gives a type of its own; every type derived
 * from xsd:integer is RASQAL_LITERAL_INTEGER_SUBTYPE. */

/* The allocations below go through dipkg's allocator (malloc underneath:
 * rasqal free()s what they return), so the fault sweep reaches them.
 * An allocation that failed inside one of the functions below: rasqal
 * turns their NULL into an expression error (a row dropped or a value
 * unbound), which would pass for an answer; the query instead reports
 * running out of memory (dipkg_rasqal_fix_take_oom()). */
static _Thread_local bool fix_oom;

static void *
fix_malloc(size_t size)
{
  void *p = dipkg_malloc(size);
  fix_oom |= !p;
  return p;
}

static void *
fix_calloc(size_t n, size_t size)
{
  void *p = dipkg_calloc(n, size);
  fix_oom |= !p;
  return p;
}

static void *
fix_realloc(void *old, size_t size)
{
  void *p = dipkg_realloc(old, size);
  fix_oom |= !p;
  return p;
}

static char *
fix_strdup(const char *s)
{
  char *p = dipkg_strdup(s);
  fix_oom |= !p;
  return p;
}

bool
dipkg_rasqal_fix_take_oom(void)
{
  bool was = fix_oom;
  fix_oom = false;
  return was;
}

static const struct {
  const char *name;
  rasqal_literal_type type;
} xsd_types[] = {
  {"string", RASQAL_LITERAL_XSD_STRING},
  {"boolean", RASQAL_LITERAL_BOOLEAN},
  {"integer", RASQAL_LITERAL_INTEGER},
  {"float", RASQAL_LITERAL_FLOAT},
  {"double", RASQAL_LITERAL_DOUBLE},
  {"decimal", RASQAL_LITERAL_DECIMAL},
  {"dateTime", RASQAL_LITERAL_DATETIME},
  {"date", RASQAL_LITERAL_DATE},
  {"nonPositiveInteger", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"negativeInteger", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"long", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"int", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"short", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"byte", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"nonNegativeInteger", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"unsignedLong", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"positiveInteger", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"unsignedInt", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"unsignedShort", RASQAL_LITERAL_INTEGER_SUBTYPE},
  {"unsignedByte", RASQAL_LITERAL_INTEGER_SUBTYPE},
};

/* rasqal's type of the datatype `uri`, RASQAL_LITERAL_UNKNOWN for one it
 * has none for (a user-defined type).  `world` is unused: the names are
 * compared as text. */
rasqal_literal_type
rasqal_xsd_datatype_uri_to_type(rasqal_world *world, raptor_uri *uri)
{
  (void)world;
  size_t len = 0;
  const unsigned char *s = uri ? raptor_uri_as_counted_string(uri, &len) : NULL;
  const size_t ns = sizeof XSD_NS - 1;
  if (!s || len <= ns || memcmp(s, XSD_NS, ns))
    return RASQAL_LITERAL_UNKNOWN;
  const char *local = (const char *)s + ns;
  for (size_t i = 0; i < sizeof xsd_types / sizeof *xsd_types; i++)
    if (strlen(xsd_types[i].name) == len - ns &&
        !memcmp(local, xsd_types[i].name, len - ns))
      return xsd_types[i].type;
  return RASQAL_LITERAL_UNKNOWN;
}

/* Whether rasqal's `type` is numeric: xsd:integer, xsd:float, xsd:double,
 * xsd:decimal and the types derived from xsd:integer (not xsd:boolean). */
int
rasqal_xsd_datatype_is_numeric(rasqal_literal_type type)
{
  return (type >= RASQAL_LITERAL_INTEGER && type <= RASQAL_LITERAL_DECIMAL) ||
         type == RASQAL_LITERAL_INTEGER_SUBTYPE;
}

/* The type `type` is promoted to, as rasqal's table has it (integer to
 * float to double to decimal: rasqal's promotion loop reads it that way),
 * except that xsd:boolean promotes to nothing. */
rasqal_literal_type
rasqal_xsd_datatype_parent_type(rasqal_literal_type type)
{
  switch (type) {
  case RASQAL_LITERAL_INTEGER_SUBTYPE:
    return RASQAL_LITERAL_INTEGER;
  case RASQAL_LITERAL_INTEGER:
    return RASQAL_LITERAL_FLOAT;
  case RASQAL_LITERAL_FLOAT:
    return RASQAL_LITERAL_DOUBLE;
  case RASQAL_LITERAL_DOUBLE:
    return RASQAL_LITERAL_DECIMAL;
  default:
    return RASQAL_LITERAL_UNKNOWN;
  }
}

/* The value of a numeric literal as a double (fn:substring's argument
 * type); false for anything else. */
static bool
as_double(rasqal_literal *l, double *d)
{
  if (!l || !rasqal_literal_is_numeric(l) || !l->string)
    return false;
  char *end;
  *d = strtod((const char *)l->string, &end);
  return end != (const char *)l->string;
}

/* fn:round: the nearest integer, halves rounded up (without libm: a
 * value this large, infinite or NaN is its own rounding). */
static double
round_half_up(double x)
{
  if (isnan(x) || x >= 4503599627370496.0 || x <= -4503599627370496.0)
    return x;
  double t = (double)(long long)(x + 0.5);  // truncated toward zero
  return t > x + 0.5 ? t - 1 : t;
}

/* SUBSTR(string, start[, length]) as SPARQL defines it (fn:substring):
 * the characters at positions p (from 1) with round(start) <= p <
 * round(start) + round(length), possibly none; the language tag or
 * datatype of `string` kept.  An error (NULL, *error_p set) for a
 * non-string first argument or non-numeric positions.  The result is a
 * new literal the caller frees (rasqal's contract). */
rasqal_literal *
rasqal_expression_evaluate_substr(rasqal_expression *e,
                                  rasqal_evaluation_context *eval_context,
                                  int *error_p)
{
  rasqal_literal *l1 = NULL, *l2 = NULL, *l3 = NULL;
  unsigned char *buf = NULL;
  char *lang = NULL;
  int error = 0;
  l1 = rasqal_expression_evaluate2(e->arg1, eval_context, &error);
  if (!error && l1)
    l2 = rasqal_expression_evaluate2(e->arg2, eval_context, &error);
  if (!error && l2 && e->arg3)
    l3 = rasqal_expression_evaluate2(e->arg3, eval_context, &error);
  double start = 0, length = INFINITY;
  if (error || !l1 || !l2 || (e->arg3 && !l3) ||
      (l1->type != RASQAL_LITERAL_STRING &&
       l1->type != RASQAL_LITERAL_XSD_STRING) ||
      !as_double(l2, &start) || (l3 && !as_double(l3, &length)))
    goto failed;
  size_t len = 0;
  const unsigned char *s =
    rasqal_literal_as_counted_string(l1, &len, eval_context->flags, &error);
  if (error || !s)
    goto failed;
  double from = round_half_up(start);
  double to = l3 ? from + round_half_up(length) : INFINITY;
  buf = fix_malloc(len + 1);  // freed by rasqal (free()), like its own
  if (!buf)
    goto failed;
  size_t n = 0;
  double p = 1;
  for (size_t i = 0; i < len; p++) {
    size_t k = 1;  // the bytes of this character (UTF-8)
    while (i + k < len && (s[i + k] & 0xC0) == 0x80)
      k++;
    if (p >= from && p < to) {
      memcpy(buf + n, s + i, k);
      n += k;
    }
    i += k;
  }
  buf[n] = '\0';
  if (l1->language) {
    lang = fix_strdup(l1->language);
    if (!lang)
      goto failed;
  }
  raptor_uri *dt = l1->datatype ? raptor_uri_copy(l1->datatype) : NULL;
  rasqal_world *world = eval_context->world;
  rasqal_free_literal(l1);
  rasqal_free_literal(l2);
  if (l3)
    rasqal_free_literal(l3);
  // buf, lang and dt become the literal's (also when it fails).
  // NOLINTNEXTLINE(clang-analyzer-unix.Malloc): the literal owns buf
  rasqal_literal *r = rasqal_new_string_literal(world, buf, lang, dt, NULL);
  if (!r && error_p)
    *error_p = 1;
  return r;
failed:
  if (error_p)
    *error_p = 1;
  free(buf);
  free(lang);
  if (l1)
    rasqal_free_literal(l1);
  if (l2)
    rasqal_free_literal(l2);
  if (l3)
    rasqal_free_literal(l3);
  return NULL;
}

static uint32_t
toupper_ascii(uint32_t c)
{
  return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static uint32_t
tolower_ascii(uint32_t c)
{
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The C.UTF-8 locale case mappings are read from (made once; (locale_t)0
 * when the system lacks it: then only ASCII letters change). */
static locale_t case_locale;
static pthread_once_t case_once = PTHREAD_ONCE_INIT;

static void
open_case_locale(void)
{
  case_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* The code point of the UTF-8 sequence at `s` (`len` bytes left) and its
 * length in *n; a byte that starts no valid sequence is itself (n = 1). */
static uint32_t
utf8_decode(const unsigned char *s, size_t len, size_t *n)
{
  unsigned char c = s[0];
  size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  uint32_t cp = k == 1 ? c : c & (0x3Fu >> (k - 1));
  for (size_t i = 1; i < k; i++) {
    if (i >= len || (s[i] & 0xC0) != 0x80) {
      *n = 1;
      return c;
    }
    cp = cp << 6 | (s[i] & 0x3Fu);
  }
  *n = k;
  return cp;
}

/* Writes code point `cp` as UTF-8 at `out`; returns the bytes written. */
static size_t
utf8_encode(uint32_t cp, unsigned char *out)
{
  if (cp < 0x80) {
    out[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (unsigned char)(0xC0 | cp >> 6);
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (unsigned char)(0xE0 | cp >> 12);
    out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | cp >> 18);
  out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
  out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
  out[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* UCASE(string) and LCASE(string) (fn:upper-case, fn:lower-case): every
 * character mapped by Unicode's case mappings (the C.UTF-8 locale's;
 * U+00DF sharp s upper-cases to "SS"), the language tag or datatype of
 * `string` kept; an error for a non-string argument.  The result is a new
 * literal the caller frees (rasqal's contract). */
rasqal_literal *
rasqal_expression_evaluate_set_case(rasqal_expression *e,
                                    rasqal_evaluation_context *eval_context,
                                    int *error_p)
{
  int error = 0;
  unsigned char *buf = NULL;
  char *lang = NULL;
  rasqal_literal *l1 =
    rasqal_expression_evaluate2(e->arg1, eval_context, &error);
  size_t len = 0;
  const unsigned char *s =
    error || !l1 ||
        (l1->type != RASQAL_LITERAL_STRING &&
         l1->type != RASQAL_LITERAL_XSD_STRING)
      ? NULL
      : rasqal_literal_as_counted_string(l1, &len, eval_context->flags, &error);
  // A mapped character takes at most 3/2 of its bytes (2 to 3), "SS" 2.
  if (s && !error)
    buf = fix_malloc(len * 2 + 1);  // freed by rasqal (free()), like its own
  if (!buf)
    goto failed;
  pthread_once(&case_once, open_case_locale);
  bool upper = e->op == RASQAL_EXPR_UCASE;
  size_t n = 0;
  for (size_t i = 0, k; i < len; i += k) {
    uint32_t cp = utf8_decode(s + i, len - i, &k);
    if (k == 1 && cp >= 0x80) {  // not UTF-8: the byte as it is
      buf[n++] = s[i];
      continue;
    }
    if (upper && cp == 0xDF) {
      buf[n++] = 'S';
      buf[n++] = 'S';
      continue;
    }
    if (case_locale)
      cp = (uint32_t)(upper ? towupper_l((wint_t)cp, case_locale)
                            : towlower_l((wint_t)cp, case_locale));
    else if (cp < 0x80)
      cp = (uint32_t)(upper ? toupper_ascii(cp) : tolower_ascii(cp));
    n += utf8_encode(cp, buf + n);
  }
  buf[n] = '\0';
  if (l1->language && !(lang = fix_strdup(l1->language)))
    goto failed;
  raptor_uri *dt = l1->datatype ? raptor_uri_copy(l1->datatype) : NULL;
  rasqal_world *world = eval_context->world;
  rasqal_free_literal(l1);
  // NOLINTNEXTLINE(clang-analyzer-unix.Malloc): the literal owns buf
  rasqal_literal *r = rasqal_new_string_literal(world, buf, lang, dt, NULL);
  if (!r && error_p)
    *error_p = 1;
  return r;
failed:
  if (error_p)
    *error_p = 1;
  free(buf);
  free(lang);
  if (l1)
    rasqal_free_literal(l1);
  return NULL;
}

/* The value a cast reads: what the source literal is, as XPath's casting
 * table (SPARQL 1.1, 17.5) distinguishes it. */
typedef enum CastKind {
  CAST_STRING,   // a simple literal or xsd:string: its lexical form
  CAST_BOOLEAN,  // xsd:boolean
  CAST_INTEGER,  // xsd:integer and the types derived from it
  CAST_DECIMAL,  // xsd:decimal
  CAST_FLOAT,    // xsd:float
  CAST_DOUBLE,   // xsd:double
  CAST_LANG,     // a language-tagged literal: to xsd:string only
  CAST_IRI,      // an IRI: to xsd:string only
  CAST_DATE,     // xsd:dateTime, xsd:date: to xsd:string only (here)
  CAST_OTHER     // anything else: an error
} CastKind;

/* Copies the string `s` with its NUL to `out`, which has room for it. */
static void
put_text(char *out, const char *s)
{
  memcpy(out, s, strlen(s) + 1);
}

/* Digit p of the n significant digits d, '0' past them. */
static char
digit_at(const char *d, size_t n, size_t p)
{
  if (p < n)
    return d[p];
  return '0';
}

static bool
is_digit(int ch)
{
  return ch >= '0' && ch <= '9';
}

/* Whether s[0 .. len) is an xsd:integer (int_only) or xsd:decimal lexical
 * form: an optional sign, digits with at most one '.', at least one
 * digit. */
static bool
decimal_form(const char *s, size_t len, bool int_only)
{
  size_t i = len && (*s == '+' || *s == '-');
  size_t digits = 0, dots = 0;
  for (; i < len; i++)
    if (is_digit(s[i]))
      digits++;
    else if (s[i] == '.' && !int_only && !dots)
      dots++;
    else
      return false;
  return digits > 0;
}

/* Whether s[0 .. len) is an xsd:double (and xsd:float) lexical form: a
 * decimal form with an optional exponent, or INF, -INF, NaN. */
static bool
double_form(const char *s, size_t len)
{
  if ((len == 3 && (!memcmp(s, "INF", 3) || !memcmp(s, "NaN", 3))) ||
      (len == 4 && !memcmp(s, "-INF", 4)))
    return true;
  size_t e = 0;
  while (e < len && s[e] != 'e' && s[e] != 'E')
    e++;
  if (!decimal_form(s, e, false))
    return false;
  return e == len || decimal_form(s + e + 1, len - e - 1, true);
}

/* Appends the canonical xsd:integer or xsd:decimal form of the decimal
 * form s[0 .. len) (valid: decimal_form()) to out (room for len + 3
 * bytes): no '+', no leading zeros, no '-' before zero; for a decimal
 * (point), no trailing zeros after the point but one ("1.0"), and with
 * xpath_string the form fn:string gives (no ".0" for an integral value).
 * A decimal cast to xsd:integer (truncate) loses its fraction.  Returns
 * the bytes written. */
static size_t
canonical_decimal(const char *s, size_t len, bool point, bool xpath_string,
                  bool truncate, char *out)
{
  bool neg = len && *s == '-';
  size_t i = len && (*s == '+' || *s == '-');
  const char *dot = memchr(s, '.', len);
  size_t int_end = dot ? (size_t)(dot - s) : len;
  while (i < int_end && s[i] == '0')
    i++;
  size_t frac_end = dot && !truncate ? len : int_end;
  size_t frac_from = dot ? int_end + 1 : int_end;
  while (frac_end > frac_from && s[frac_end - 1] == '0')
    frac_end--;
  size_t n = 0;
  bool zero = i == int_end && frac_end <= frac_from;
  if (neg && !zero)
    out[n++] = '-';
  if (i == int_end)
    out[n++] = '0';
  memcpy(out + n, s + i, int_end - i);
  n += int_end - i;
  if (frac_end > frac_from) {
    out[n++] = '.';
    memcpy(out + n, s + frac_from, frac_end - frac_from);
    n += frac_end - frac_from;
  } else if (point && !xpath_string) {
    memcpy(out + n, ".0", 2);
    n += 2;
  }
  out[n] = '\0';
  return n;
}

/* |x| and x without its fraction (without libm, which dipkg does not
 * link). */
static double
abs_double(double x)
{
  return x < 0 ? -x : x;
}

static double
truncate_double(double x)
{
  // From 2^52 on, every double is an integer.
  return abs_double(x) >= 4503599627370496.0 ? x : (double)(long long)x;
}

/* Writes the shortest digits that read back as `v` (as a float when
 * `single`) into out: the significant digits in digits[], the decimal
 * exponent of the first one in *exp10.  v is finite and not zero. */
static size_t
shortest_digits(double v, bool single, char *digits, int *exp10)
{
  char tmp[40];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, abs_double(v));
    double back = strtod(tmp, NULL);
    if (single ? (float)back == (float)abs_double(v) : back == abs_double(v))
      break;
  }
  size_t n = 0;
  const char *p = tmp;
  for (; *p && *p != 'e'; p++)
    if (is_digit(*p))
      digits[n++] = *p;
  while (n > 1 && digits[n - 1] == '0')
    n--;
  digits[n] = '\0';
  *exp10 = atoi(p + 1);
  return n;
}

/* Writes the lexical form of the double (or float) `v` into out (64
 * bytes): the canonical form of XML Schema ("1.0E0", "-1.02E4",
 * "0.0E0") or, with xpath_string, what fn:string gives (the decimal form
 * for 1e-6 <= |v| < 1e6: "1", "1.25"; "1.0E7" otherwise). */
static void
double_lexical(double v, bool single, bool xpath_string, char *out)
{
  if (isnan(v)) {
    put_text(out, "NaN");
    return;
  }
  if (isinf(v)) {
    put_text(out, v > 0 ? "INF" : "-INF");
    return;
  }
  if (v == 0) {
    put_text(out, xpath_string ? (signbit(v) ? "-0" : "0")
                               : (signbit(v) ? "-0.0E0" : "0.0E0"));
    return;
  }
  char d[24];
  int e;
  size_t n = shortest_digits(v, single, d, &e);
  size_t k = 0;
  if (v < 0)
    out[k++] = '-';
  if (xpath_string && abs_double(v) >= 1e-6 && abs_double(v) < 1e6) {
    if (e < 0) {
      out[k++] = '0';
      out[k++] = '.';
      for (int z = -1; z > e; z--)
        out[k++] = '0';
      memcpy(out + k, d, n);
      k += n;
    } else {
      for (int p = 0; p <= e; p++)
        out[k++] = digit_at(d, n, (size_t)p);
      if (n > (size_t)e + 1) {
        out[k++] = '.';
        memcpy(out + k, d + e + 1, n - (size_t)e - 1);
        k += n - (size_t)e - 1;
      }
    }
    out[k] = '\0';
    return;
  }
  out[k++] = d[0];
  out[k++] = '.';
  if (n > 1) {
    memcpy(out + k, d + 1, n - 1);
    k += n - 1;
  } else {
    out[k++] = '0';
  }
  snprintf(out + k, 16, "E%d", e);
}

/* What the cast of `l` reads: its kind, and its lexical form in *s, *len
 * (the literal's, or the IRI's). */
static CastKind
cast_source(rasqal_literal *l, const char **s, size_t *len)
{
  *s = (const char *)l->string;
  *len = l->string_len;
  switch (l->type) {
  case RASQAL_LITERAL_STRING:
    return l->language ? CAST_LANG : CAST_STRING;
  case RASQAL_LITERAL_XSD_STRING:
    return CAST_STRING;
  case RASQAL_LITERAL_BOOLEAN:
    return CAST_BOOLEAN;
  case RASQAL_LITERAL_INTEGER:
  case RASQAL_LITERAL_INTEGER_SUBTYPE:
    return CAST_INTEGER;
  case RASQAL_LITERAL_DECIMAL:
    return CAST_DECIMAL;
  case RASQAL_LITERAL_FLOAT:
    return CAST_FLOAT;
  case RASQAL_LITERAL_DOUBLE:
    return CAST_DOUBLE;
  case RASQAL_LITERAL_URI:
    *s = (const char *)raptor_uri_as_counted_string(l->value.uri, len);
    return CAST_IRI;
  case RASQAL_LITERAL_DATE:
  case RASQAL_LITERAL_DATETIME:
    return CAST_DATE;
  default:
    return CAST_OTHER;
  }
}

/* The room a cast's result needs beyond its source's bytes: a double's
 * exponent, a decimal's ".0", the digits of a decimal or an integer from a
 * double (at most 330). */
#define CAST_ROOM 400

/* The lexical form, in out (room for len + CAST_ROOM bytes), of the value
 * s[0 .. len) of kind `from` cast to rasqal's type `to` (one of
 * xsd:string, boolean, integer, decimal, float, double), as XPath's
 * casting table says; false when the cast is an error (a lexical form the
 * target lacks, NaN or INF to integer or decimal, a type it has no cast
 * from). */
static bool
cast_lexical(CastKind from, const char *s, size_t len, rasqal_literal_type to,
             char *out)
{
  if (!s)
    return false;
  bool numeric = from == CAST_INTEGER || from == CAST_DECIMAL ||
                 from == CAST_FLOAT || from == CAST_DOUBLE;
  bool fp = from == CAST_FLOAT || from == CAST_DOUBLE;
  if (from == CAST_STRING && to != RASQAL_LITERAL_XSD_STRING) {
    // Leading and trailing white space is no part of the value.
    while (len && strchr(" \t\r\n", *s)) {
      s++;
      len--;
    }
    while (len && strchr(" \t\r\n", s[len - 1]))
      len--;
  }
  bool truth = false;  // a boolean's value
  if (from == CAST_BOOLEAN || from == CAST_STRING) {
    truth = (len == 4 && !memcmp(s, "true", 4)) || (len == 1 && *s == '1');
    if (!truth && !(len == 5 && !memcmp(s, "false", 5)) &&
        !(len == 1 && *s == '0') && from == CAST_BOOLEAN)
      return false;
  }
  switch (to) {
  case RASQAL_LITERAL_XSD_STRING:
    if (from == CAST_BOOLEAN) {
      put_text(out, truth ? "true" : "false");
    } else if (from == CAST_INTEGER || from == CAST_DECIMAL) {
      if (!decimal_form(s, len, false))
        return false;
      canonical_decimal(s, len, true, true, false, out);
    } else if (fp) {
      if (!double_form(s, len))
        return false;
      double_lexical(strtod(s, NULL), from == CAST_FLOAT, true, out);
    } else if (from == CAST_OTHER) {
      return false;
    } else {
      memcpy(out, s, len);
      out[len] = '\0';
    }
    return true;
  case RASQAL_LITERAL_BOOLEAN: {
    if (from == CAST_BOOLEAN ||
        (from == CAST_STRING && ((len == 5 && !memcmp(s, "false", 5)) ||
                                 (len == 1 && *s == '0') || truth))) {
      put_text(out, truth ? "true" : "false");
      return true;
    }
    if (!numeric || !double_form(s, len))
      return false;
    double v = strtod(s, NULL);
    // A decimal too small for a double is still not zero.
    bool nonzero = fp ? v != 0 && !isnan(v) : strpbrk(s, "123456789") != NULL;
    put_text(out, nonzero ? "true" : "false");
    return true;
  }
  case RASQAL_LITERAL_INTEGER:
  case RASQAL_LITERAL_DECIMAL: {
    bool integer = to == RASQAL_LITERAL_INTEGER;
    if (from == CAST_BOOLEAN) {
      put_text(out, integer ? (truth ? "1" : "0") : (truth ? "1.0" : "0.0"));
      return true;
    }
    if (from == CAST_STRING || from == CAST_INTEGER || from == CAST_DECIMAL) {
      if (!decimal_form(s, len, integer && from == CAST_STRING))
        return false;
      canonical_decimal(s, len, !integer, false, integer, out);
      return true;
    }
    if (!fp || !double_form(s, len))
      return false;
    double v = strtod(s, NULL);
    if (isnan(v) || isinf(v))
      return false;
    if (from == CAST_FLOAT)
      v = (double)(float)v;
    if (integer) {
      snprintf(out, CAST_ROOM, "%.0f", truncate_double(v));
      if (!strcmp(out, "-0"))
        put_text(out, "0");
      return true;
    }
    // The shortest digits that read back as v, as a decimal form.
    char tmp[64];
    double_lexical(v, from == CAST_FLOAT, false, tmp);
    char *e = strchr(tmp, 'E');
    if (!e)
      return false;
    int exp10 = atoi(e + 1);
    if (exp10 > 308 || exp10 < -330)
      return false;  // no double reaches these (out's room)
    char digits[32];
    size_t n = 0;
    for (const char *p = tmp; p < e; p++)
      if (is_digit(*p))
        digits[n++] = *p;
    size_t k = 0;
    if (v < 0)
      out[k++] = '-';
    if (exp10 < 0) {
      out[k++] = '0';
      out[k++] = '.';
      for (int z = -1; z > exp10; z--)
        out[k++] = '0';
      memcpy(out + k, digits, n);
      k += n;
    } else {
      for (int p = 0; p <= exp10; p++)
        out[k++] = digit_at(digits, n, (size_t)p);
      out[k++] = '.';
      if (n > (size_t)exp10 + 1) {
        memcpy(out + k, digits + exp10 + 1, n - (size_t)exp10 - 1);
        k += n - (size_t)exp10 - 1;
      } else {
        out[k++] = '0';
      }
    }
    out[k] = '\0';
    // Drop the trailing zeros canonical_decimal would (and "-0.0").
    char *canon = fix_strdup(out);
    if (!canon)
      return false;
    canonical_decimal(canon, strlen(canon), true, false, false, out);
    free(canon);
    return true;
  }
  case RASQAL_LITERAL_FLOAT:
  case RASQAL_LITERAL_DOUBLE: {
    bool single = to == RASQAL_LITERAL_FLOAT;
    if (from == CAST_BOOLEAN) {
      put_text(out, truth ? "1.0E0" : "0.0E0");
      return true;
    }
    if ((from != CAST_STRING && !numeric) || !double_form(s, len))
      return false;
    char *copy = strndup(s, len);
    if (!copy)
      return false;
    double v = strtod(copy, NULL);
    free(copy);
    if (single)
      v = (double)(float)v;
    double_lexical(v, single, false, out);
    return true;
  }
  default:
    return false;
  }
}

typedef void (*AnyFunction)(void);

/* The definition of `name` the dynamic linker finds from `handle`
 * (RTLD_NEXT: librasqal's own, after this one; RTLD_DEFAULT: the one
 * everybody's calls reach), or NULL. */
static AnyFunction
symbol(void *handle, const char *name)
{
  void *found = dlsym(handle, name);
  AnyFunction f = NULL;
  if (found && sizeof f == sizeof found)
    memcpy(&f, &found, sizeof f);  // POSIX: dlsym's pointer is a function's
  return f;
}

typedef rasqal_literal *(*CastFunction)(rasqal_literal *, raptor_uri *, int,
                                        int *);
static CastFunction rasqal_cast;  // rasqal's own, for the casts left to it
static pthread_once_t cast_once = PTHREAD_ONCE_INIT;

static void
find_rasqal_cast(void)
{
  rasqal_cast = (CastFunction)symbol(RTLD_NEXT, "rasqal_literal_cast");
}

/* The cast of `l` to the datatype `to_datatype` (xsd:integer(?v) and the
 * like), as SPARQL 1.1 (17.5) and XPath's casting table define it, for
 * the targets xsd:string, boolean, integer, decimal, float and double;
 * the others (xsd:dateTime, the types derived from xsd:integer) are
 * rasqal's own.  A new literal the caller frees, or NULL with *error_p
 * set when the cast is an error. */
rasqal_literal *
rasqal_literal_cast(rasqal_literal *l, raptor_uri *to_datatype, int flags,
                    int *error_p)
{
  rasqal_literal *v = l ? rasqal_literal_value(l) : NULL;
  rasqal_literal_type to =
    v ? rasqal_xsd_datatype_uri_to_type(v->world, to_datatype)
      : RASQAL_LITERAL_UNKNOWN;
  bool ours = to == RASQAL_LITERAL_XSD_STRING || to == RASQAL_LITERAL_BOOLEAN ||
              to == RASQAL_LITERAL_INTEGER || to == RASQAL_LITERAL_DECIMAL ||
              to == RASQAL_LITERAL_FLOAT || to == RASQAL_LITERAL_DOUBLE;
  if (v && !ours) {
    pthread_once(&cast_once, find_rasqal_cast);
    if (rasqal_cast)
      return rasqal_cast(l, to_datatype, flags, error_p);
  }
  size_t len = 0;
  const char *s = NULL;
  CastKind from = v && ours ? cast_source(v, &s, &len) : CAST_OTHER;
  (void)flags;
  char *out =
    s ? fix_malloc(len + CAST_ROOM) : NULL;  // freed by rasqal (free())
  rasqal_literal *r = NULL;
  if (out && cast_lexical(from, s, len, to, out)) {
    raptor_uri *dt = raptor_uri_copy(to_datatype);
    // out and dt become the literal's (also when it fails).
    // NOLINTNEXTLINE(clang-analyzer-unix.Malloc): the literal owns out
    r =
      rasqal_new_string_literal(v->world, (unsigned char *)out, NULL, dt, NULL);
    out = NULL;
  }
  // rasqal makes an integer too large for its int a decimal: not the type
  // asked for, so an error (unbound), not a wrong answer.
  if (r && r->type != to) {
    rasqal_free_literal(r);
    r = NULL;
  }
  free(out);
  if (!r && error_p)
    *error_p = 1;
  return r;
}

/* A growing byte string for REPLACE's result (malloc'd: rasqal frees it
 * with free()); `oom` once an allocation failed. */
typedef struct ReplaceOut {
  char *data;
  size_t len, cap;
  bool oom;
} ReplaceOut;

static void
out_append(ReplaceOut *o, const char *s, size_t n)
{
  if (o->oom)
    return;
  if (o->len + n + 1 > o->cap) {
    size_t cap = (o->len + n + 1) * 2;
    char *grown = fix_realloc(o->data, cap);
    if (!grown) {
      o->oom = true;
      return;
    }
    o->data = grown;
    o->cap = cap;
  }
  memcpy(o->data + o->len, s, n);
  o->len += n;
  o->data[o->len] = '\0';
}

/* Whether `with` (n bytes) is a valid replacement string of fn:replace:
 * every '$' followed by a digit, every '\' by '\' or '$'. */
static bool
replacement_valid(const char *with, size_t n)
{
  for (size_t k = 0; k < n; k++)
    if (with[k] == '$' && (k + 1 >= n || !is_digit(with[k + 1])))
      return false;
    else if (with[k] == '\\') {
      if (k + 1 >= n || (with[k + 1] != '\\' && with[k + 1] != '$'))
        return false;
      k++;
    }
  return true;
}

/* Appends the replacement `with` (n bytes, valid) for the match m[0] of
 * `at` (groups m[1 .. groups]) to o, as fn:replace expands it: $N is
 * group N (empty when it did not match, or for N <= 9 past the groups; a
 * larger N loses digits, which stay as they are, until it is a group),
 * \$ is '$', \\ is '\'. */
static void
expand_replacement(ReplaceOut *o, const char *with, size_t n, const char *at,
                   const regmatch_t *m, size_t groups)
{
  for (size_t k = 0; k < n; k++) {
    if (with[k] == '\\') {
      out_append(o, with + k + 1, 1);
      k++;
      continue;
    }
    if (with[k] != '$') {
      out_append(o, with + k, 1);
      continue;
    }
    size_t d = k + 1, end = d;
    while (end < n && is_digit(with[end]))
      end++;
    // The longest run of digits that names a group (or is one digit).
    size_t take = end - d, group = 0;
    for (; take > 1; take--) {
      group = 0;
      for (size_t j = d; j < d + take; j++)
        group = group * 10 + (size_t)(with[j] - '0');
      if (group <= groups)
        break;
    }
    if (take == 1)
      group = (size_t)(with[d] - '0');
    if (group <= groups && m[group].rm_so >= 0)
      out_append(o, at + m[group].rm_so,
                 (size_t)(m[group].rm_eo - m[group].rm_so));
    k = d + take - 1;
  }
}

/* REPLACE(text, pattern, with[, flags]) as SPARQL defines it
 * (fn:replace), for rasqal_expression_evaluate_replace(), which calls it
 * with the evaluated arguments: every non-overlapping match of `pattern`
 * in `subject` (subject_len bytes, NUL-terminated), from the left, is
 * replaced by `with` (replace_len bytes) with its $N expanded.  The
 * pattern is a POSIX extended regular expression matched over characters
 * (the C.UTF-8 locale), not bytes; the checks (sparql_check.c) let only
 * patterns through whose POSIX matches are XPath's, with '.' and the
 * escapes made POSIX.  Flags: i (case-insensitive) and s (which POSIX's
 * '.' is already).  Returns the result (malloc'd, the caller frees it)
 * and its length in *result_len_p; NULL for an error: a pattern that
 * does not compile or matches the empty string, an invalid replacement,
 * another flag, no memory. */
char *
rasqal_regex_replace(rasqal_world *world, raptor_locator *locator,
                     const char *pattern, const char *regex_flags,
                     const char *subject, size_t subject_len,
                     const char *replace, size_t replace_len,
                     size_t *result_len_p)
{
  (void)world;
  (void)locator;
  int cflags = REG_EXTENDED;
  for (const char *f = regex_flags; f && *f; f++)
    if (*f == 'i')
      cflags |= REG_ICASE;
    else if (*f != 's')
      return NULL;
  if (!pattern || !subject || !replace ||
      !replacement_valid(replace, replace_len))
    return NULL;
  pthread_once(&case_once, open_case_locale);
  if (!case_locale)
    return NULL;  // bytes are not characters: no answer rather than a wrong one
  locale_t before = uselocale(case_locale);
  ReplaceOut o = {NULL, 0, 0, false};
  regex_t re;
  regmatch_t *m = NULL;
  bool compiled = !regcomp(&re, pattern, cflags), ok = false;
  if (compiled)
    m = fix_calloc(re.re_nsub + 1, sizeof *m);
  // fn:replace: a pattern that matches the empty string is an error (and
  // the loop below needs every match to move on).
  if (m && regexec(&re, "", re.re_nsub + 1, m, 0) == REG_NOMATCH) {
    size_t off = 0;
    out_append(&o, "", 0);
    for (;;) {
      int rc =
        regexec(&re, subject + off, re.re_nsub + 1, m, off ? REG_NOTBOL : 0);
      if (rc == REG_NOMATCH) {
        ok = true;
        break;
      }
      if (rc || m[0].rm_eo <= m[0].rm_so)
        break;
      out_append(&o, subject + off, (size_t)m[0].rm_so);
      expand_replacement(&o, replace, replace_len, subject + off, m,
                         re.re_nsub);
      off += (size_t)m[0].rm_eo;
      if (off >= subject_len) {
        ok = true;
        break;
      }
    }
    if (off < subject_len)
      out_append(&o, subject + off, subject_len - off);
  }
  free(m);
  if (compiled)
    regfree(&re);
  uselocale(before);
  if (!ok || o.oom) {
    free(o.data);
    return NULL;
  }
  if (result_len_p)
    *result_len_p = o.len;
  return o.data;
}

/* The rank of a term in SPARQL's order of kinds: blank node, IRI,
 * literal. */
static int
kind_rank(const rasqal_literal *l)
{
  return l->type == RASQAL_LITERAL_BLANK ? 0
         : l->type == RASQAL_LITERAL_URI ? 1
                                         : 2;
}

typedef int (*CompareFunction)(rasqal_literal *, rasqal_literal *, int, int *);
static CompareFunction rasqal_compare;
static pthread_once_t compare_once = PTHREAD_ONCE_INIT;

/* Finds librasqal's own rasqal_literal_compare(), the next definition
 * after this one. */
static void
find_rasqal_compare(void)
{
  rasqal_compare = (CompareFunction)symbol(RTLD_NEXT, "rasqal_literal_compare");
}

/* rasqal's comparison (<0, 0, >0; *error_p set when the two cannot be
 * compared), with the order of SPARQL where flags is 0 and an IRI or a
 * blank node is compared (see 5 above). */
int
rasqal_literal_compare(rasqal_literal *l1, rasqal_literal *l2, int flags,
                       int *error_p)
{
  rasqal_literal *v1 = l1 ? rasqal_literal_value(l1) : NULL;
  rasqal_literal *v2 = l2 ? rasqal_literal_value(l2) : NULL;
  if (!flags && v1 && v2 && (kind_rank(v1) < 2 || kind_rank(v2) < 2)) {
    if (error_p)
      *error_p = 0;
    int r1 = kind_rank(v1), r2 = kind_rank(v2);
    if (r1 != r2)
      return r1 - r2;
    const char *s1 = r1 == 1 ? (const char *)raptor_uri_as_string(v1->value.uri)
                             : (const char *)v1->string;
    const char *s2 = r2 == 1 ? (const char *)raptor_uri_as_string(v2->value.uri)
                             : (const char *)v2->string;
    return strcmp(s1 ? s1 : "", s2 ? s2 : "");
  }
  pthread_once(&compare_once, find_rasqal_compare);
  if (!rasqal_compare) {
    if (error_p)
      *error_p = 1;
    return 0;
  }
  return rasqal_compare(l1, l2, flags, error_p);
}

/* Whether the dynamic linker resolves `name` to `fn` for everyone. */
static bool
resolved_here(const char *name, AnyFunction fn)
{
  AnyFunction f = symbol(RTLD_DEFAULT, name);
  return f && f == fn;
}

bool
dipkg_rasqal_fix_active(void)
{
  // The definitions the dynamic linker resolves these names to for
  // everyone, librasqal included, must be the ones above.
  return resolved_here("rasqal_xsd_datatype_uri_to_type",
                       (AnyFunction)rasqal_xsd_datatype_uri_to_type) &&
         resolved_here("rasqal_xsd_datatype_is_numeric",
                       (AnyFunction)rasqal_xsd_datatype_is_numeric) &&
         resolved_here("rasqal_xsd_datatype_parent_type",
                       (AnyFunction)rasqal_xsd_datatype_parent_type) &&
         resolved_here("rasqal_expression_evaluate_substr",
                       (AnyFunction)rasqal_expression_evaluate_substr) &&
         resolved_here("rasqal_expression_evaluate_set_case",
                       (AnyFunction)rasqal_expression_evaluate_set_case) &&
         resolved_here("rasqal_literal_cast",
                       (AnyFunction)rasqal_literal_cast) &&
         resolved_here("rasqal_regex_replace",
                       (AnyFunction)rasqal_regex_replace) &&
         resolved_here("rasqal_literal_compare",
                       (AnyFunction)rasqal_literal_compare);
}
