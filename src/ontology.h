/* The ontology, loaded at run time from Turtle: classes with their
 * hierarchy, labels and CAMEO/PLOVER annotations, property ranges, and the
 * PLOVER and CAMEO code lists.  Read-only once loaded (shared by threads). */
#ifndef DIPKG_ONTOLOGY_H
#define DIPKG_ONTOLOGY_H

#include "diag.h"

#include "buf.h"
#include <stdbool.h>

#include <stddef.h>

typedef struct DipkgClass DipkgClass;

struct DipkgClass {
  const char *iri;
  const char *local;           // local name in the dip: namespace, or NULL
  const char *label;           // rdfs:label (English or untagged), or NULL
  const char *comment;         // rdfs:comment, or NULL
  const char *cameo;           // dip:cameoCode given on this class, or NULL
  const char *plover;          // dip:ploverType given on this class, or NULL
  const char *plover_mode;     // dip:ploverMode given on this class, or NULL
  const char *plover_context;  // dip:ploverContext given on it, or NULL
  DipkgClass **parents;
  size_t n_parents;
  size_t parents_cap;
  const DipkgClass **ancestors;  // all superclasses, transitively, no dups
  size_t n_ancestors;
  const char *effective_cameo;  // own or nearest ancestor's; NULL if none
  const char *effective_plover;
  const char *effective_plover_mode;  // of the class that gave the PLOVER type
  const char *effective_plover_context;
  bool is_event;   // rdfs:subClassOf* dip:Event
  bool is_entity;  // rdfs:subClassOf* dip:Entity
};

typedef struct DipkgOntology DipkgOntology;

/// Loads the ontology from a Turtle file, or from every *.ttl file of a
/// directory (sorted by name).  Problems become diagnostics in `diags`.
/// On success `*out` is the ontology (free with dipkg_ontology_free).
DipkgStatus dipkg_ontology_load(const char *path, DipkgDiagList *diags,
                                DipkgOntology **out);

/// Frees the ontology.  NULL is a no-op.
void dipkg_ontology_free(DipkgOntology *onto);

/// The class named `name` (local name in the dip: namespace), or NULL.
const DipkgClass *dipkg_ontology_class(const DipkgOntology *onto,
                                       const char *name, size_t len);

/// The class with IRI `iri`, or NULL.
const DipkgClass *dipkg_ontology_class_iri(const DipkgOntology *onto,
                                           const char *iri);

/// Number of classes, and class `i` in IRI order.
size_t dipkg_ontology_n_classes(const DipkgOntology *onto);
const DipkgClass *dipkg_ontology_class_at(const DipkgOntology *onto, size_t i);

/// Whether `c` is `ancestor` or a (transitive) subclass of it.
bool dipkg_class_is_a(const DipkgClass *c, const DipkgClass *ancestor);

/// The CAMEO code (or PLOVER type) of `c`: its own annotation or that of
/// the nearest annotated ancestor (breadth first, parents in IRI order).
/// NULL if none.
const char *dipkg_class_cameo(const DipkgClass *c);
const char *dipkg_class_plover(const DipkgClass *c);

/// The rdfs:range of property `iri` when it is a class, or NULL.
const DipkgClass *dipkg_ontology_range(const DipkgOntology *onto,
                                       const char *iri);

/// Whether the ontology declares `iri` as a property, and its label and
/// comment (either may be NULL).
bool dipkg_ontology_property(const DipkgOntology *onto, const char *iri,
                             const char **label, const char **comment);

/// Whether `code` is a PLOVER event type / a CAMEO code the ontology lists
/// (skos:notation of a concept in dip:PloverEventTypes / dip:CameoCodes).
/// When the ontology lists no CAMEO codes, every syntactically valid code
/// is accepted.
bool dipkg_ontology_has_plover(const DipkgOntology *onto, const char *s,
                               size_t len);
bool dipkg_ontology_has_cameo(const DipkgOntology *onto, const char *s,
                              size_t len);
/// Whether `mode` (`len` bytes) is a PLOVER mode of event type `type` /
/// `context` a PLOVER context, in the ontology's dip:PloverModes and
/// dip:PloverContexts.  When the ontology lists none, every value is.
bool dipkg_ontology_has_plover_mode(const DipkgOntology *onto, const char *type,
                                    const char *mode, size_t len);
bool dipkg_ontology_has_plover_context(const DipkgOntology *onto,
                                       const char *context, size_t len);
/// The PLOVER modes of `type`, "a, b, c" into `out` (for messages).
void dipkg_ontology_plover_modes(const DipkgOntology *onto, const char *type,
                                 DipkgBuf *out);
/// The PLOVER mode and context a class gives its events (own or inherited
/// with its PLOVER type), or NULL.
const char *dipkg_class_plover_mode(const DipkgClass *c);
const char *dipkg_class_plover_context(const DipkgClass *c);

/// Number of CAMEO codes / PLOVER types listed.
size_t dipkg_ontology_n_cameo(const DipkgOntology *onto);
size_t dipkg_ontology_n_plover(const DipkgOntology *onto);
/// PLOVER type `i` (sorted), for suggestions.
const char *dipkg_ontology_plover_at(const DipkgOntology *onto, size_t i);

/// Number of classes in the dip: namespace, and class `i` of them sorted
/// by local name.
size_t dipkg_ontology_n_local(const DipkgOntology *onto);
const DipkgClass *dipkg_ontology_local_at(const DipkgOntology *onto, size_t i);
/// The transitive superclasses of `c` (not `c` itself), nearest first.
size_t dipkg_class_ancestors(const DipkgClass *c,
                             const DipkgClass *const **out);

/// The transitive super-properties (rdfs:subPropertyOf) of property `iri`,
/// as IRIs; 0 if none or if the ontology does not declare `iri`.
size_t dipkg_ontology_super_properties(const DipkgOntology *onto,
                                       const char *iri,
                                       const char *const **out);

/// The Turtle files the ontology was loaded from, in order.
size_t dipkg_ontology_n_files(const DipkgOntology *onto);
const char *dipkg_ontology_file(const DipkgOntology *onto, size_t i);

#endif
