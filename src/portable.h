/* Pieces of the portable export (src/portable.c) that dipkg push shares. */
#ifndef DIPKG_PORTABLE_H
#define DIPKG_PORTABLE_H

#include "sink.h"

/// The named graph of the ontology, as in every store (src/store.c).
#define DIPKG_ONTOLOGY_GRAPH "https://w3id.org/dipkg/ns"

/// Writes the world's ontology files into `sink` as the one graph
/// DIPKG_ONTOLOGY_GRAPH, blank nodes made each file's own.  Parse errors
/// are delivered through the world.
DipkgStatus dipkg_ontology_feed(DipkgWorld *world, DipkgSink *sink);

#endif
