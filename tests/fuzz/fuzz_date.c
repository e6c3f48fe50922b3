/* Fuzz target: the EDTF date parser.  Any bytes, in both forms the facts
 * accept; an accepted date must be a real calendar date with XSD forms
 * and bounds that agree with it, and a refused one must say where. */
#include "fuzz.h"

#include "date.h"

#include <string.h>

static void
check_point(const DipkgDatePoint *p)
{
  if (p->precision == DIPKG_PREC_NONE) {
    FUZZ_ASSERT(!p->lexical[0], "an open end with a literal");
    return;
  }
  FUZZ_ASSERT(p->year >= 1 && p->year <= 9999, "year %d", p->year);
  if (p->precision >= DIPKG_PREC_MONTH)
    FUZZ_ASSERT(p->month >= 1 && p->month <= 12, "month %d", p->month);
  if (p->precision >= DIPKG_PREC_DAY)
    FUZZ_ASSERT(p->day >= 1 && p->day <= dipkg_days_in_month(p->year, p->month),
                "day %d", p->day);
  FUZZ_ASSERT(p->lexical[0] && dipkg_date_datatype(p), "no XSD form");
  for (const char *c = p->lexical; *c; c++)
    FUZZ_ASSERT(strchr("0123456789-:T.Z+", *c), "lexical form '%s'",
                p->lexical);
  char lo[11], hi[11];
  FUZZ_ASSERT(dipkg_date_bound(p, false, lo) && dipkg_date_bound(p, true, hi),
              "no bounds");
  FUZZ_ASSERT(strcmp(lo, hi) <= 0, "bounds %s > %s", lo, hi);
  char year[5];
  snprintf(year, sizeof year, "%04d", p->year);
  FUZZ_ASSERT(!strncmp(lo, year, 4) && !strncmp(hi, year, 4),
              "bounds %s..%s outside year %s", lo, hi, year);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  for (int form = 0; form < 2; form++) {
    DipkgDate d;
    const char *why = NULL;
    size_t at = (size_t)-1;
    if (!dipkg_date_parse((const char *)data, size,
                          form ? DIPKG_DATE_ISO : DIPKG_DATE_EDTF, &d, &why,
                          &at)) {
      FUZZ_ASSERT(why && *why && at <= size, "refused without a reason");
      continue;
    }
    check_point(&d.start);
    if (!d.interval)
      continue;
    check_point(&d.end);
    char lo[11], hi[11];
    if (dipkg_date_bound(&d.start, false, lo) &&
        dipkg_date_bound(&d.end, true, hi))
      FUZZ_ASSERT(strcmp(lo, hi) <= 0, "interval %s..%s ends before it starts",
                  lo, hi);
  }
  return 0;
}
