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
 *    literals; other comparisons are rasqal's own. */
#include "rasqal_fix.h"

#include <dlfcn.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <rasqal.h>
#include <stdint.h>
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

#define XSD_NS "http://www.w3.org/2001/XMLSchema#"

/* The XSD datatypes rasqal gives a type of its own; every type derived
 * from xsd:integer is RASQAL_LITERAL_INTEGER_SUBTYPE. */
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
  buf = malloc(len + 1);  // freed by rasqal (free()), like its own
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
    lang = strdup(l1->language);
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
    buf = malloc(len * 2 + 1);  // freed by rasqal (free()), like its own
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
  if (l1->language && !(lang = strdup(l1->language)))
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

/* The rank of a term in SPARQL's order of kinds: blank node, IRI,
 * literal. */
static int
kind_rank(const rasqal_literal *l)
{
  return l->type == RASQAL_LITERAL_BLANK ? 0
         : l->type == RASQAL_LITERAL_URI ? 1
                                         : 2;
}

typedef int (*CompareFunction)(rasqal_literal *, rasqal_literal *, int,
                               int *);
static CompareFunction rasqal_compare;
static pthread_once_t compare_once = PTHREAD_ONCE_INIT;

/* Finds librasqal's own rasqal_literal_compare(), the next definition
 * after this one. */
static void
find_rasqal_compare(void)
{
  void *found = dlsym(RTLD_NEXT, "rasqal_literal_compare");
  if (found && sizeof rasqal_compare == sizeof found)
    memcpy(&rasqal_compare, &found, sizeof rasqal_compare);
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
    const char *s1 =
      r1 == 1 ? (const char *)raptor_uri_as_string(v1->value.uri)
              : (const char *)v1->string;
    const char *s2 =
      r2 == 1 ? (const char *)raptor_uri_as_string(v2->value.uri)
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

typedef void (*AnyFunction)(void);

/* Whether the dynamic linker resolves `name` to `fn` for everyone. */
static bool
resolved_here(const char *name, AnyFunction fn)
{
  void *found = dlsym(RTLD_DEFAULT, name);
  AnyFunction f;
  if (!found || sizeof f != sizeof found)
    return false;
  memcpy(&f, &found, sizeof f);  // POSIX: dlsym's pointer is a function's
  return f == fn;
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
         resolved_here("rasqal_literal_compare",
                       (AnyFunction)rasqal_literal_compare);
}
