/* The RDFS closure of the class and property hierarchies, materialised as
 * statements are loaded: for `s rdf:type C`, also `s rdf:type A` for every
 * superclass A of C; for `s p o`, also `s q o` for every super-property q
 * of p.  rasqal has no property paths, so this is what makes "every trade
 * measure" (`?e a dip:TradeMeasure`) or "every actor" (`?e sem:hasActor
 * ?x`) queries work.  Each subject's statements are deduplicated, exactly (Redland's
 * hashes storage keeps duplicates). */
#ifndef DIPKG_CLOSURE_H
#define DIPKG_CLOSURE_H

#include "buf.h"
#include "hash.h"
#include "ontology.h"
#include "sink.h"

#include <stdint.h>

typedef struct DipkgClosureSink {
  DipkgSink base;
  DipkgSink *next;  // borrowed
  const DipkgOntology *onto;
  bool infer;  // false: only deduplicate
  DipkgBuf subject;
  DipkgTermKind subject_kind;
  bool have_subject;
  DipkgHashSet seen;  // the current subject's statements: where each one's
                      // exact key is in `keys`, plus one
  DipkgBuf keys;      // the exact keys (length, bytes) of the current subject
  DipkgBuf key;       // scratch
  uint64_t inferred;  // statements added by inference
} DipkgClosureSink;

/// Prepares a closure sink feeding `next`.  With `infer` false it only
/// removes repeated statements of a subject.  Release with
/// dipkg_closure_sink_fini().
void dipkg_closure_sink_init(DipkgClosureSink *c, DipkgSink *next,
                             const DipkgOntology *onto, bool infer);
void dipkg_closure_sink_fini(DipkgClosureSink *c);

#endif
