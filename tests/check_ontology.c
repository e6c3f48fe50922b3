/* The shipped ontology: complete (labels, comments, every term the mapper
 * writes), aligned, coded (CAMEO/PLOVER), and loaded at run time so that a
 * class added to it is usable without recompiling. */
#include "testutil.h"

#include "diag.h"
#include "mapper.h"
#include "ontology.h"
#include "vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static DipkgOntology *onto;

static void
load(void)
{
  DipkgDiagList diags = {0};
  DipkgStatus st = dipkg_ontology_load(TU_ONTOLOGY, &diags, &onto);
  for (size_t i = 0; i < diags.n; i++)
    fprintf(stderr, "%s\n", diags.items[i].message);
  ck_assert_int_eq(st, DIPKG_SUCCESS);
  ck_assert_int_eq((int)diags.n, 0);
  dipkg_diag_list_clear(&diags);
}

static void
unload(void)
{
  dipkg_ontology_free(onto);
  onto = NULL;
}

static const DipkgClass *
cls(const char *name)
{
  const DipkgClass *c = dipkg_ontology_class(onto, name, strlen(name));
  ck_assert_msg(c != NULL, "no class dip:%s", name);
  return c;
}

START_TEST(test_required_classes)
{
  static const char *const events[] = {"Event",
                                       "Summit",
                                       "Meeting",
                                       "Visit",
                                       "Agreement",
                                       "Statement",
                                       "JointStatement",
                                       "ExportControlsImposed",
                                       "ExportControlsLifted",
                                       "TradeStatusDowngraded",
                                       "TradeStatusRestored",
                                       "DisputeFiled",
                                       "DisputeWithdrawn",
                                       "MissileLaunch",
                                       "PolicyAnnouncement",
                                       "Dispute"};
  static const char *const entities[] = {"Country",
                                         "City",
                                         "Person",
                                         "GovernmentBody",
                                         "InternationalOrganization",
                                         "NewsOrganization",
                                         "Commodity",
                                         "Organization"};
  for (size_t i = 0; i < sizeof events / sizeof *events; i++)
    ck_assert_msg(cls(events[i])->is_event, "%s is not an event class",
                  events[i]);
  for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
    ck_assert_msg(cls(entities[i])->is_entity, "%s is not an entity class",
                  entities[i]);
}
END_TEST

START_TEST(test_every_term_documented)
{
  size_t n = dipkg_ontology_n_local(onto);
  ck_assert_uint_gt(n, 30);
  for (size_t i = 0; i < n; i++) {
    const DipkgClass *c = dipkg_ontology_local_at(onto, i);
    ck_assert_msg(c->label && *c->label, "dip:%s has no rdfs:label", c->local);
    ck_assert_msg(c->comment && strlen(c->comment) > 20,
                  "dip:%s has no useful rdfs:comment", c->local);
  }
}
END_TEST

START_TEST(test_mapper_vocabulary_declared)
{
  // Every dip: term the mapper can write is declared, with label and
  // comment; the others belong to the vocabularies dipkg aligns with.
  static const char *const known[] = {RDF,  RDFS, OWL,    SKOS,    SEM,
                                      PROV, NIF,  SCHEMA, DCTERMS, NULL};
  size_t checked = 0;
  for (size_t i = 0; dipkg_map_vocabulary(i); i++) {
    const char *iri = dipkg_map_vocabulary(i);
    if (!strncmp(iri, DIP, strlen(DIP))) {
      const char *label = NULL, *comment = NULL;
      const DipkgClass *c = dipkg_ontology_class_iri(onto, iri);
      if (c) {
        label = c->label;
        comment = c->comment;
      } else if (!dipkg_ontology_property(onto, iri, &label, &comment)) {
        // The status individuals are neither: look for their label in the
        // Turtle text.
        char *ttl = tu_read_file(TU_ONTOLOGY "/dip.ttl", NULL);
        char decl[128];
        snprintf(decl, sizeof decl, "dip:%s a dip:EventStatus ;",
                 iri + strlen(DIP));
        ck_assert_msg(strstr(ttl, decl) != NULL, "%s is not declared", iri);
        free(ttl);
        label = comment = "individual";
      }
      ck_assert_msg(label && comment, "%s lacks a label or a comment", iri);
      checked++;
      continue;
    }
    bool ok = false;
    for (size_t k = 0; known[k] && !ok; k++)
      ok = !strncmp(iri, known[k], strlen(known[k]));
    ck_assert_msg(ok, "%s is from an unexpected vocabulary", iri);
  }
  ck_assert_uint_gt(checked, 35);
}
END_TEST

START_TEST(test_alignment)
{
  ck_assert(dipkg_class_is_a(cls("Event"),
                             dipkg_ontology_class_iri(onto, SEM "Event")));
  ck_assert(dipkg_class_is_a(cls("Summit"),
                             dipkg_ontology_class_iri(onto, SCHEMA "Event")));
  ck_assert(dipkg_class_is_a(
    cls("Article"), dipkg_ontology_class_iri(onto, SCHEMA "NewsArticle")));
  ck_assert(dipkg_class_is_a(cls("Country"), cls("Actor")));
  ck_assert(dipkg_class_is_a(cls("Country"), cls("Place")));
  ck_assert(dipkg_class_is_a(cls("Summit"), cls("Consultation")));
  ck_assert(
    dipkg_class_is_a(cls("ExportControlsImposed"), cls("TradeMeasure")));
  ck_assert(dipkg_class_is_a(cls("TradeStatusRestored"), cls("TradeMeasure")));
  ck_assert(!dipkg_class_is_a(cls("City"), cls("Actor")));
  ck_assert_ptr_eq(dipkg_ontology_range(onto, DIP "actor"), cls("Actor"));
  ck_assert_ptr_eq(dipkg_ontology_range(onto, DIP "location"), cls("Place"));
  ck_assert_ptr_eq(dipkg_ontology_range(onto, DIP "forum"),
                   cls("Organization"));
}
END_TEST

START_TEST(test_event_codes)
{
  static const struct {
    const char *cls, *cameo, *plover;
  } expect[] = {
    {"ExportControlsImposed", "163", "SANCTION"},
    {"ExportControlsLifted", "085", "RETREAT"},
    {"TradeStatusDowngraded", "163", "SANCTION"},
    {"TradeStatusRestored", "085", "RETREAT"},
    {"DisputeFiled", "115", "ACCUSE"},
    {"DisputeWithdrawn", "080", "CONCEDE"},
    {"Summit", "040", "CONSULT"},
    {"Meeting", "040", "CONSULT"},
    {"Visit", "042", "CONSULT"},
    {"Negotiation", "046", "CONSULT"},
    {"MissileLaunch", "150", "MOBILIZE"},
    {"Agreement", "030", "AGREE"},
    {"Statement", "010", NULL},
    {"JointStatement", "019", NULL},
    {"Event", NULL, NULL},
    {"Dispute", NULL, NULL},
  };
  for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
    const DipkgClass *c = cls(expect[i].cls);
    const char *cameo = dipkg_class_cameo(c), *plover = dipkg_class_plover(c);
    ck_assert_msg(expect[i].cameo ? cameo && !strcmp(cameo, expect[i].cameo)
                                  : cameo == NULL,
                  "%s: CAMEO %s", expect[i].cls, cameo ? cameo : "none");
    ck_assert_msg(expect[i].plover ? plover && !strcmp(plover, expect[i].plover)
                                   : plover == NULL,
                  "%s: PLOVER %s", expect[i].cls, plover ? plover : "none");
  }
  // Every annotation is a real code.
  ck_assert_uint_eq(dipkg_ontology_n_plover(onto), 16);
  ck_assert_uint_gt(dipkg_ontology_n_cameo(onto), 300);
  for (size_t i = 0; i < dipkg_ontology_n_classes(onto); i++) {
    const DipkgClass *c = dipkg_ontology_class_at(onto, i);
    if (c->cameo)
      ck_assert_msg(dipkg_ontology_has_cameo(onto, c->cameo, strlen(c->cameo)),
                    "%s has unknown CAMEO %s", c->iri, c->cameo);
    if (c->plover)
      ck_assert_msg(
        dipkg_ontology_has_plover(onto, c->plover, strlen(c->plover)),
        "%s has unknown PLOVER %s", c->iri, c->plover);
  }
  ck_assert(dipkg_ontology_has_cameo(onto, "0354", 4));
  ck_assert(!dipkg_ontology_has_cameo(onto, "0999", 4));
}
END_TEST

static const char *const facts_with_blockade =
  "article: {id: a, headline: H, publisher: ap, published: 2024-05-01}\n"
  "entities:\n"
  "  - {id: ap, type: NewsOrganization, name: AP}\n"
  "  - {id: x, type: Country, name: X}\n"
  "events:\n"
  "  - {id: b, type: Blockade, date: 2024-05, actors: x}\n";

START_TEST(test_class_added_at_run_time)
{
  // Copy the ontology directory and add a file with one more class.
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "mkdir -p %s/onto && cp %s/*.ttl %s/onto/",
           tu_scratch(), TU_ONTOLOGY, tu_scratch());
  ck_assert_int_eq(system(cmd), 0);
  tu_write(
    "onto/local.ttl",
    "@prefix dip: <https://w3id.org/dipkg/ns#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "dip:Blockade a owl:Class ; rdfs:subClassOf dip:TradeRestriction ;\n"
    "  rdfs:label \"blockade\"@en ; rdfs:comment \"A blockade.\"@en .\n");
  const char *facts = tu_write("blockade.yaml", facts_with_blockade);
  char onto_dir[600];
  snprintf(onto_dir, sizeof onto_dir, "%s/onto", tu_scratch());

  // With the shipped ontology the class is unknown...
  const char *paths[] = {facts, NULL};
  ck_assert_int_eq(tu_validate(paths), DIPKG_ERR_DATA);
  ck_assert_ptr_nonnull(strstr(tu_diags(), "unknown event type 'Blockade'"));

  // ...with the extended one it is an event class, coded as its parent.
  DipkgWorld *w = tu_world();
  ck_assert_int_eq(dipkg_world_load_ontology(w, onto_dir), DIPKG_SUCCESS);
  DipkgCorpus *c = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(c, facts), DIPKG_SUCCESS);
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  ck_assert_int_eq(dipkg_corpus_write(c, DIPKG_FORMAT_NTRIPLES, mem, NULL),
                   DIPKG_SUCCESS);
  fclose(mem);
  ck_assert_ptr_nonnull(strstr(text, "<https://example.org/dipkg/event/b> "
                                     "<" RDF "type> <" DIP "Blockade> ."));
  ck_assert_ptr_nonnull(strstr(text, "<" DIP "cameoCode> \"163\" ."));
  ck_assert_ptr_nonnull(strstr(text, "<" DIP "ploverType> \"SANCTION\" ."));
  ck_assert_ptr_nonnull(strstr(text, "\"Blockade (X), 2024-05\"@en"));
  free(text);
  dipkg_corpus_free(c);
  tu_world_free(w);
}
END_TEST

START_TEST(test_broken_ontologies)
{
  DipkgWorld *w = tu_world();
  ck_assert_int_eq(dipkg_world_load_ontology(w, "no/such/ontology.ttl"),
                   DIPKG_ERR_ONTOLOGY);
  ck_assert_ptr_nonnull(strstr(tu_diags(),
                               "no/such/ontology.ttl: error: cannot "
                               "read the ontology: No such file"));
  ck_assert_ptr_null(dipkg_world_ontology_path(w));

  tu_diags_clear();
  const char *bad =
    tu_write("bad.ttl", "@prefix dip: <x#> .\ndip:A a dip:B ;\n");
  ck_assert_int_eq(dipkg_world_load_ontology(w, bad), DIPKG_ERR_ONTOLOGY);
  ck_assert_ptr_nonnull(
    strstr(tu_diags(), "bad.ttl:3:1: error: RDF syntax error"));
  ck_assert_ptr_nonnull(strstr(tu_diags(), "RDF syntax error"));

  tu_diags_clear();
  const char *empty = tu_write("empty.ttl", "@prefix x: <http://x/> .\n");
  ck_assert_int_eq(dipkg_world_load_ontology(w, empty), DIPKG_ERR_ONTOLOGY);
  ck_assert_ptr_nonnull(strstr(tu_diags(),
                               "does not declare the class "
                               "<https://w3id.org/dipkg/ns#Event>"));
  tu_world_free(w);
}
END_TEST

START_TEST(test_classes_api)
{
  DipkgWorld *w = tu_world();
  size_t n = dipkg_world_n_classes(w);
  bool seen = false;
  for (size_t i = 0; i < n; i++) {
    DipkgClassInfo info;
    ck_assert_int_eq(dipkg_world_class(w, i, &info), DIPKG_SUCCESS);
    if (!strcmp(info.name, "ExportControlsLifted")) {
      seen = true;
      ck_assert_str_eq(info.parent, "TradeRestrictionEased");
      ck_assert_str_eq(info.cameo, "085");
      ck_assert_str_eq(info.plover, "RETREAT");
      ck_assert_str_eq(info.label, "export controls lifted");
      ck_assert(info.is_event && !info.is_entity);
    }
  }
  ck_assert(seen);
  DipkgClassInfo info;
  ck_assert_int_eq(dipkg_world_class(w, n, &info), DIPKG_ERR_USAGE);
  tu_world_free(w);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("ontology");
  TCase *tc = tcase_create("shipped");
  tcase_add_unchecked_fixture(tc, load, unload);
  tcase_add_test(tc, test_required_classes);
  tcase_add_test(tc, test_every_term_documented);
  tcase_add_test(tc, test_mapper_vocabulary_declared);
  tcase_add_test(tc, test_alignment);
  tcase_add_test(tc, test_event_codes);
  suite_add_tcase(s, tc);
  TCase *rt = tcase_create("run time");
  tcase_add_test(rt, test_class_added_at_run_time);
  tcase_add_test(rt, test_broken_ontologies);
  tcase_add_test(rt, test_classes_api);
  suite_add_tcase(s, rt);
  return tu_main(s);
}
