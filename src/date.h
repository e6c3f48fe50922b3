/* Dates as curators write them (an EDTF level 1 subset) and their RDF
 * forms: a typed literal of the right precision plus xsd:date bounds. */
#ifndef DIPKG_DATE_H
#define DIPKG_DATE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum DipkgPrecision {
  DIPKG_PREC_NONE,     // open ("..") or unknown ("") interval end
  DIPKG_PREC_YEAR,     // 2019         xsd:gYear
  DIPKG_PREC_MONTH,    // 2019-07      xsd:gYearMonth
  DIPKG_PREC_DAY,      // 2019-07-04   xsd:date
  DIPKG_PREC_DATETIME  // 2019-07-04T09:30:00Z  xsd:dateTime
} DipkgPrecision;

/// One calendar point.
typedef struct DipkgDatePoint {
  DipkgPrecision precision;
  bool open;         // interval end written ".." (open)
  bool approximate;  // "~" or "%"
  bool uncertain;    // "?" or "%"
  int year, month, day;
  long long instant;  // DIPKG_PREC_DATETIME: seconds since 1970 (UTC; no zone
                      // counts as UTC), for ordering interval ends
  char lexical[40];   // the XSD lexical form of the typed literal ("" if none)
} DipkgDatePoint;

/// A date or an interval.
typedef struct DipkgDate {
  bool interval;
  DipkgDatePoint start;  // the date itself when not an interval
  DipkgDatePoint end;    // intervals only
} DipkgDate;

/// Which forms a field accepts.
typedef enum DipkgDateForms {
  DIPKG_DATE_EDTF,  // dates of any precision, qualifiers, intervals
  DIPKG_DATE_ISO    // a plain date or date-time (article `published`)
} DipkgDateForms;

/// Parses `len` bytes of `s`.  On failure returns false and sets `*why` to
/// a static explanation and `*at` to the byte offset of the problem.
bool dipkg_date_parse(const char *s, size_t len, DipkgDateForms forms,
                      DipkgDate *out, const char **why, size_t *at);

/// XSD datatype IRI of a point's literal (NULL for DIPKG_PREC_NONE).
const char *dipkg_date_datatype(const DipkgDatePoint *p);

/// Earliest (`latest` false) or latest xsd:date the point can denote, as
/// "YYYY-MM-DD" into `out` (11 bytes).  False for an open/unknown end.
bool dipkg_date_bound(const DipkgDatePoint *p, bool latest, char out[11]);

/// Number of days in `month` of `year` (proleptic Gregorian).
int dipkg_days_in_month(int year, int month);

#endif
