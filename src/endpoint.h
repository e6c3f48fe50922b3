/* The SPARQL 1.1 Protocol client (src/endpoint.c); its N-Triples reader is
 * shared with dipkg push, which reads its manifest graph back. */
#ifndef DIPKG_ENDPOINT_H
#define DIPKG_ENDPOINT_H

#include "sink.h"

/// Called for each statement; a non-zero status stops the parse.
typedef DipkgStatus (*DipkgTripleFunc)(void *user, const DipkgTerm *s,
                                       const DipkgTerm *p, const DipkgTerm *o);

/// Parses `len` bytes of N-Triples (as servers write it: tabs or spaces
/// between terms) and calls `fn` for each statement (terms borrowed for
/// the call).  DIPKG_ERR_QUERY_FAILED with `*why` set when it is not
/// N-Triples or not UTF-8; DIPKG_ERR_NO_MEMORY; or `fn`'s status.
DipkgStatus dipkg_ntriples_parse(const char *data, size_t len,
                                 DipkgTripleFunc fn, void *user,
                                 const char **why);

#endif
