/* VoID, DCAT and the SPARQL service description (void.h). */
#include "void.h"

#include "buf.h"
#include "graph.h"
#include "memory.h"
#include "rdf_raptor.h"
#include "vocab.h"
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOID "http://rdfs.org/ns/void#"
#define DCAT "http://www.w3.org/ns/dcat#"
#define SD "http://www.w3.org/ns/sparql-service-description#"
#define FOAF "http://xmlns.com/foaf/0.1/"

typedef struct Out {
  DipkgGraph *g;
  DipkgStatus st;
} Out;

static DipkgTerm
iri(const char *s)
{
  return (DipkgTerm){DIPKG_TERM_IRI, s, strlen(s), NULL, NULL};
}

static void
add(Out *o, const char *s, const char *p, DipkgTerm obj)
{
  if (o->st)
    return;
  DipkgTerm ts = iri(s), tp = iri(p);
  o->st = dipkg_graph_add(o->g, &ts, &tp, &obj);
}

static void
add_iri(Out *o, const char *s, const char *p, const char *obj)
{
  add(o, s, p, iri(obj));
}

static void
add_literal(Out *o, const char *s, const char *p, const char *text,
            const char *datatype)
{
  add(o, s, p,
      (DipkgTerm){DIPKG_TERM_LITERAL, text, strlen(text), datatype, NULL});
}

static void
add_count(Out *o, const char *s, const char *p, uint64_t n)
{
  char text[32];
  snprintf(text, sizeof text, "%llu", (unsigned long long)n);
  add_literal(o, s, p, text, XSD "integer");
}

static DipkgStatus
add_parsed(void *user, const DipkgTerm *s, const DipkgTerm *p,
           const DipkgTerm *o, const DipkgTerm *g)
{
  (void)g;
  return dipkg_graph_add(user, s, p, o);
}

static char *
join(const char *a, const char *b)
{
  size_t n = strlen(a) + strlen(b) + 1;
  char *s = dipkg_malloc(n);
  if (s)
    snprintf(s, n, "%s%s", a, b);
  return s;
}

static int
compare_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

DipkgStatus
dipkg_void_dataset(const DipkgGraph *g, const char *meta, DipkgGraph **out)
{
  *out = NULL;
  DipkgWorld *w = g->world;
  Out o = {dipkg_graph_new(w), DIPKG_SUCCESS};
  if (!o.g)
    return DIPKG_ERR_NO_MEMORY;
  char *ds = join(w->base, "void#dataset");
  char *sparql = join(w->base, "sparql");
  char *dump_ttl = join(w->base, "dump/dataset.ttl");
  char *dump_nq = join(w->base, "dump/dataset.nq.gz");
  char *dist_ttl = join(w->base, "void#dump-turtle");
  char *dist_nq = join(w->base, "void#dump-nquads");
  const char **classes = dipkg_calloc(g->n + 1, sizeof *classes);
  const char **props = dipkg_calloc(g->n + 1, sizeof *props);
  if (!ds || !sparql || !dump_ttl || !dump_nq || !dist_ttl || !dist_nq ||
      !classes || !props)
    o.st = DIPKG_ERR_NO_MEMORY;
  uint64_t entities = 0;
  size_t n_classes = 0, n_props = 0;
  const char *example_event = NULL, *example_entity = NULL;
  for (size_t i = 0; !o.st && i < g->n; i++) {
    const DipkgTriple *t = &g->triples[i];
    const DipkgTerm *s = &g->terms[t->s], *p = &g->terms[t->p],
                    *ob = &g->terms[t->o];
    if (s->kind == DIPKG_TERM_IRI && (!i || g->triples[i - 1].s != t->s))
      entities++;
    props[n_props++] = p->str;
    if (!strcmp(p->str, RDF "type") && ob->kind == DIPKG_TERM_IRI) {
      classes[n_classes++] = ob->str;
      if (!example_event && !strncmp(s->str, w->ns_event, strlen(w->ns_event)))
        example_event = s->str;
      if (!example_entity &&
          !strncmp(s->str, w->ns_entity, strlen(w->ns_entity)))
        example_entity = s->str;
    }
  }
  if (!o.st) {
    qsort(classes, n_classes, sizeof *classes, compare_str);
    qsort(props, n_props, sizeof *props, compare_str);
    size_t distinct_classes = 0, distinct_props = 0;
    for (size_t i = 0; i < n_classes; i++)
      distinct_classes += !i || strcmp(classes[i], classes[i - 1]);
    for (size_t i = 0; i < n_props; i++)
      distinct_props += !i || strcmp(props[i], props[i - 1]);
    add_iri(&o, ds, RDF "type", VOID "Dataset");
    add_iri(&o, ds, RDF "type", DCAT "Dataset");
    add_literal(&o, ds, DCTERMS "title",
                "dipkg knowledge graph of diplomatic events", NULL);
    add_literal(&o, ds, DCTERMS "description",
                "Curated facts about diplomatic events, with the quotes that "
                "support them, mapped to RDF by dipkg.",
                NULL);
    add_count(&o, ds, VOID "triples", g->n);
    add_count(&o, ds, VOID "entities", entities);
    add_count(&o, ds, VOID "classes", distinct_classes);
    add_count(&o, ds, VOID "properties", distinct_props);
    add_iri(&o, ds, VOID "sparqlEndpoint", sparql);
    add_iri(&o, ds, VOID "uriSpace", w->base);
    add_iri(&o, ds, VOID "vocabulary", DIP);
    add_iri(&o, ds, VOID "vocabulary", SEM);
    add_iri(&o, ds, VOID "vocabulary", SCHEMA);
    add_iri(&o, ds, VOID "vocabulary", PROV);
    add_iri(&o, ds, VOID "dataDump", dump_ttl);
    add_iri(&o, ds, VOID "dataDump", dump_nq);
    add_iri(&o, ds, DCAT "distribution", dist_ttl);
    add_iri(&o, dist_ttl, RDF "type", DCAT "Distribution");
    add_iri(&o, dist_ttl, DCAT "downloadURL", dump_ttl);
    add_literal(&o, dist_ttl, DCAT "mediaType", "text/turtle", NULL);
    add_iri(&o, ds, DCAT "distribution", dist_nq);
    add_iri(&o, dist_nq, RDF "type", DCAT "Distribution");
    add_iri(&o, dist_nq, DCAT "downloadURL", dump_nq);
    add_literal(&o, dist_nq, DCAT "mediaType", "application/n-quads", NULL);
    add_literal(&o, dist_nq, DCAT "compressFormat", "application/gzip", NULL);
    if (example_event)
      add_iri(&o, ds, VOID "exampleResource", example_event);
    if (example_entity)
      add_iri(&o, ds, VOID "exampleResource", example_entity);
    if (!meta) {
      // Defaults, replaced by a --dataset-meta file.
      add_iri(&o, ds, DCTERMS "license",
              "https://creativecommons.org/licenses/by/4.0/");
    }
    // One class partition per class, with its number of instances.
    for (size_t i = 0, k = 0; !o.st && i < n_classes; k++) {
      size_t j = i;
      while (j < n_classes && !strcmp(classes[j], classes[i]))
        j++;
      char suffix[40];
      snprintf(suffix, sizeof suffix, "void#class-%zu", k);
      char *part = join(w->base, suffix);
      if (!part) {
        o.st = DIPKG_ERR_NO_MEMORY;
        break;
      }
      add_iri(&o, ds, VOID "classPartition", part);
      add_iri(&o, part, VOID "class", classes[i]);
      add_count(&o, part, VOID "entities", j - i);
      dipkg_free(part);
      i = j;
    }
  }
  if (!o.st && meta) {
    DipkgDiagList diags = {0};
    o.st = dipkg_rdf_parse_file(meta, meta, dipkg_rdf_syntax_for_path(meta),
                                add_parsed, o.g, &diags);
    dipkg_world_deliver(w, &diags);
  }
  dipkg_free(ds), dipkg_free(sparql), dipkg_free(dump_ttl);
  dipkg_free(dump_nq), dipkg_free(dist_ttl), dipkg_free(dist_nq);
  dipkg_free(classes), dipkg_free(props);
  if (!o.st)
    o.st = dipkg_graph_seal(o.g);
  if (o.st) {
    dipkg_graph_free(o.g);
    return o.st;
  }
  *out = o.g;
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_void_service(DipkgWorld *w, DipkgGraph **out)
{
  *out = NULL;
  Out o = {dipkg_graph_new(w), DIPKG_SUCCESS};
  if (!o.g)
    return DIPKG_ERR_NO_MEMORY;
  char *ep = join(w->base, "sparql");
  char *svc = join(w->base, "sparql#service");
  char *ds = join(w->base, "void#dataset");
  if (!ep || !svc || !ds)
    o.st = DIPKG_ERR_NO_MEMORY;
  add_iri(&o, svc, RDF "type", SD "Service");
  add_iri(&o, svc, SD "endpoint", ep ? ep : "");
  add_iri(&o, svc, SD "supportedLanguage", SD "SPARQL11Query");
  add_iri(&o, svc, SD "feature", SD "UnionDefaultGraph");
  add_iri(&o, svc, SD "resultFormat",
          "http://www.w3.org/ns/formats/SPARQL_Results_JSON");
  add_iri(&o, svc, SD "resultFormat",
          "http://www.w3.org/ns/formats/SPARQL_Results_XML");
  add_iri(&o, svc, SD "resultFormat",
          "http://www.w3.org/ns/formats/SPARQL_Results_CSV");
  add_iri(&o, svc, SD "resultFormat",
          "http://www.w3.org/ns/formats/SPARQL_Results_TSV");
  add_iri(&o, svc, SD "resultFormat", "http://www.w3.org/ns/formats/Turtle");
  add_iri(&o, svc, SD "resultFormat", "http://www.w3.org/ns/formats/N-Triples");
  add_iri(&o, svc, SD "defaultDataset", ds ? ds : "");
  add_literal(&o, svc, RDFS "comment",
              "Read-only SPARQL 1.1 Query endpoint of dipkg (rasqal); "
              "SPARQL Update is refused.",
              NULL);
  dipkg_free(ep), dipkg_free(svc), dipkg_free(ds);
  if (!o.st)
    o.st = dipkg_graph_seal(o.g);
  if (o.st) {
    dipkg_graph_free(o.g);
    return o.st;
  }
  *out = o.g;
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_graph_void(const DipkgGraph *graph, const char *meta, DipkgGraph **out)
{
  return dipkg_void_dataset(graph, meta, out);
}
