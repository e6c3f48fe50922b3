/* The parameters of a query (--bind VAR=TERM): each sets the values of
 * the query's `VALUES ?VAR { ... }` blocks, or the expression of its
 * `BIND (... AS ?VAR)`, to TERM, before the checks see the query.
 * Private to the sparql_* modules. */
#ifndef DIPKG_SPARQL_BIND_H
#define DIPKG_SPARQL_BIND_H

#include "diag.h"
#include "vocab.h"

#include <stddef.h>

/* Applies the --bind values `bindings` (NULL-terminated "VAR=TERM") to the
 * query `text` (`len` bytes; `name` for messages): `*out` receives the
 * bound text and `*out_len` its length (caller frees with dipkg_free; NULL
 * on failure).  Bad bindings are usage errors in `diags`
 * (DIPKG_ERR_USAGE); `prefixes` are the predeclared ones a TERM may use. */
DipkgStatus dipkg_sparql_bind(const char *text, size_t len, const char *name,
                              const DipkgPrefix *prefixes,
                              const char *const *bindings, DipkgDiagList *diags,
                              char **out, size_t *out_len);

#endif
