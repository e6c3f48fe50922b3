/* Dataset and service descriptions: VoID and DCAT for a graph, the SPARQL
 * service description of the endpoint. */
#ifndef DIPKG_VOID_H
#define DIPKG_VOID_H

#include "dipkg.h"

/// The VoID + DCAT description of `g` (a new graph in `*out`, caller
/// frees): counts of triples, entities (distinct IRI subjects), classes and
/// properties, one void:classPartition per class, the SPARQL endpoint, the
/// dumps, example resources, and the statements of `meta` (a Turtle file
/// with the licence and publisher, or NULL for defaults).
DipkgStatus dipkg_void_dataset(const DipkgGraph *g, const char *meta,
                               DipkgGraph **out);

/// The SPARQL 1.1 service description of {base}sparql (caller frees).
DipkgStatus dipkg_void_service(DipkgWorld *world, DipkgGraph **out);

#endif
