/* The one conversion of a raptor term (a librdf_node is one) to a
 * DipkgTerm, shared by the parser boundary (rdf_raptor.c) and the query
 * results (query.c). */
#ifndef DIPKG_RDF_TERM_H
#define DIPKG_RDF_TERM_H

#include "sink.h"

#include <raptor2.h>

/// The size of the buffer that receives a language tag: raptor counts a
/// tag's length in an unsigned char, so no tag is longer than 255 bytes.
#define DIPKG_RDF_LANG_SIZE 256

/// Sets `out` to a view of `t`: its strings are borrowed from `t` (valid
/// while `t` is), except the language tag, copied into `lang` and
/// terminated (raptor counts it).  A literal with an empty tag has none
/// (out->lang NULL).  A term of an unknown type reads as the blank node "".
void dipkg_rdf_term_view(const raptor_term *t, DipkgTerm *out,
                         char lang[DIPKG_RDF_LANG_SIZE]);

#endif
