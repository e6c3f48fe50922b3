#include "vocab.h"

#include <stddef.h>

const DipkgPrefix dipkg_vocab_prefixes[] = {
  {"dip", DIP}, {"rdf", RDF},   {"rdfs", RDFS},       {"owl", OWL},
  {"xsd", XSD}, {"skos", SKOS}, {"dcterms", DCTERMS}, {"schema", SCHEMA},
  {"sem", SEM}, {"prov", PROV}, {"nif", NIF},         {"wd", WD},
  {NULL, NULL},
};
