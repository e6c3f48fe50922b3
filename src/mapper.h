/* Facts -> RDF statements, under the ontology.  Pure: the mapper only
 * writes statements to a sink; every check happened before (facts.c reads
 * and checks each file, resolve.c its references against the corpus).
 * The mapping is documented in docs/mapping.md. */
#ifndef DIPKG_MAPPER_H
#define DIPKG_MAPPER_H

#include "arena.h"
#include "facts.h"
#include "index.h"
#include "sink.h"
#include "world.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct DipkgMapContext {
  const DipkgWorld *world;
  const DipkgIndex *index;
  uint32_t file_no;  // this file's number in the corpus
} DipkgMapContext;

/// The `i`th constant IRI the mapper can write (properties, its own
/// classes, the status individuals), or NULL past the end.
const char *dipkg_map_vocabulary(size_t i);

/// Writes the statements of checked `facts` to `sink`: the article, its text
/// and its events in the article's graph ({base}graph/{id}), then each
/// entity whose canonical definition (the first in input order) is in this
/// file, in the entity's own graph ({base}graph/entity/{id}).  So no
/// statement is ever written twice, and every graph can be replaced on its
/// own in a store.  Strings are minted in `arena`.  Returns the sink's failure status, or
/// DIPKG_ERR_NO_MEMORY.
DipkgStatus dipkg_map_facts(const DipkgMapContext *cx, const DipkgFacts *facts,
                            DipkgArena *arena, DipkgSink *sink);

#endif
