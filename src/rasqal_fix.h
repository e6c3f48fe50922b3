/* Corrections of rasqal 0.9.33 made in dipkg's process (see
 * rasqal_fix.c). */
#ifndef DIPKG_RASQAL_FIX_H
#define DIPKG_RASQAL_FIX_H

#include <stdbool.h>

/// Whether dipkg's corrected rasqal functions are the ones every caller,
/// librasqal included, reaches (ELF interposition).  Calling it also keeps
/// rasqal_fix.o in any program linked against libdipkg.a that queries.
bool dipkg_rasqal_fix_active(void);

/* Whether an allocation failed inside one of the replaced rasqal
 * functions on this thread since the last call (which clears it): the
 * rows of a query run meanwhile are no answer. */
bool dipkg_rasqal_fix_take_oom(void);

#endif
