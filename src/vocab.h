/* Namespaces and the IRIs of the terms the mapper writes.  Every dip: term
 * listed here is declared in ontology/dip.ttl (a test checks it). */
#ifndef DIPKG_VOCAB_H
#define DIPKG_VOCAB_H

#include "dipkg.h"

#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define OWL "http://www.w3.org/2002/07/owl#"
#define XSD "http://www.w3.org/2001/XMLSchema#"
#define SKOS "http://www.w3.org/2004/02/skos/core#"
#define DCTERMS "http://purl.org/dc/terms/"
#define SCHEMA "http://schema.org/"
#define SEM "http://semanticweb.cs.vu.nl/2009/11/sem/"
#define PROV "http://www.w3.org/ns/prov#"
#define NIF "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
#define WD "http://www.wikidata.org/entity/"
#define DIP DIPKG_NS
/* The Library of Congress's datatype of EDTF strings (all levels; the
 * level 0/1/2 datatypes beside it would each refuse some dates dipkg
 * accepts). */
#define EDTF_DATATYPE "http://id.loc.gov/datatypes/edtf/EDTF"

/* Classes the mapper refers to by name (the root classes). */
#define DIP_EVENT DIP "Event"
#define DIP_ENTITY DIP "Entity"
#define DIP_ARTICLE DIP "Article"
#define DIP_QUOTE DIP "Quote"
#define DIP_POSITION DIP "Position"
#define DIP_PERSON DIP "Person"

/* Annotation properties read from the ontology. */
#define DIP_CAMEO DIP "cameoCode"
#define DIP_RELATED_CAMEO DIP "relatedCameoCode"
#define DIP_PLOVER DIP "ploverType"

/* One prefix of the Turtle writer and of the SPARQL prologue. */
typedef struct DipkgPrefix {
  const char *name;
  const char *iri;
} DipkgPrefix;

/// The fixed vocabulary prefixes (rdf, rdfs, ..., dip), NULL-terminated.
extern const DipkgPrefix dipkg_vocab_prefixes[];

#endif
