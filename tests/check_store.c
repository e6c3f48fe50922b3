/* Stores as users run them, for each kind (memory:, bdb:DIR, sqlite:PATH):
 * loading facts and RDF files (Turtle, N-Triples, N-Quads with their graph
 * names, RDF/XML) with exact counts, idempotent reloads, an edited article
 * replacing its graph and nothing else, failed loads that leave the store
 * byte for byte as it was, the TYPE:OPTIONS form and bad specs, and the
 * load, query and stats commands.  Data: tests/data/store (its README says
 * what each file is for).  The tcase "regressions" holds
 * the bugs the first review of dipkg found, each fixed since. */
#include "testutil.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DATA "tests/data/store"
#define FACTS DATA "/facts"
#define RDF DATA "/rdf"

/* What the store data hold, counted by hand (tests/data/store/README.md
 * shows the sums): statements of the facts with the closure, and of each
 * RDF file (extra.ttl: 3 written, 6 inferred). */
enum {
  FACTS_TRIPLES = 167,
  RDF_TRIPLES = 9 + 2 + 4 + 2,
  GRAPHS = 6 + 1 + 4 + 2  // facts, ontology, one per RDF file, N-Quads
};

static const char *const rdf_files[] = {
  RDF "/extra.ttl", RDF "/extra.nt", RDF "/graphs.nq", RDF "/extra.rdf", NULL};

typedef enum Kind { MEMORY, BDB, SQLITE, N_KINDS } Kind;
static const char *const kind_names[] = {"memory", "bdb", "sqlite"};

static DipkgWorld *world;
static uint64_t onto_triples;  // distinct statements of ontology/*.ttl
/* bdb and sqlite stores of the facts and rdf_files, loaded once. */
static DipkgStore *base[N_KINDS];
static DipkgStats *base_load[N_KINDS];

/* ---------------------------------------------------------- helpers */

/* "bdb:SCRATCH/NAME", "sqlite:SCRATCH/NAME.sqlite" or "memory:" (static
 * storage, two slots). */
static const char *
spec_of(Kind kind, const char *name)
{
  static char specs[2][PATH_MAX];
  static int slot;
  char *s = specs[slot++ & 1];
  if (kind == MEMORY)
    snprintf(s, PATH_MAX, "memory:");
  else
    snprintf(s, PATH_MAX, "%s:%s/%s%s", kind == BDB ? "bdb" : "sqlite",
             tu_scratch(), name, kind == SQLITE ? ".sqlite" : "");
  return s;
}

/* The file or directory of a disk store (static storage). */
static const char *
where(Kind kind, const char *name)
{
  static char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s%s", tu_scratch(), name,
           kind == SQLITE ? ".sqlite" : "");
  return path;
}

static DipkgStore *
open_store(const char *spec)
{
  DipkgStore *s = NULL;
  ck_assert_msg(dipkg_store_open(world, spec, &s) == DIPKG_SUCCESS,
                "cannot open %s: %s", spec, tu_diags());
  return s;
}

/* Loads the facts at `facts` (a file or directory; NULL for none) and the
 * RDF files `rdf` into `store`. */
static DipkgStatus
load(DipkgStore *store, const char *facts, const char *const *rdf,
     DipkgStats **stats)
{
  DipkgCorpus *c = NULL;
  if (facts) {
    c = dipkg_corpus_new(world);
    ck_assert_int_eq(dipkg_corpus_add_path(c, facts), DIPKG_SUCCESS);
  }
  DipkgStatus st = dipkg_store_load(store, c, rdf, stats);
  dipkg_corpus_free(c);
  return st;
}

/* Runs `text`; returns its TSV (caller frees). */
static char *
query(DipkgStore *store, const char *text)
{
  char *result = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&result, &len);
  ck_assert_ptr_nonnull(mem);
  tu_query_policy(store);
  DipkgStatus st = dipkg_store_query(store, text, "test.rq", NULL,
                                     DIPKG_RESULTS_TSV, mem, NULL);
  fclose(mem);
  ck_assert_msg(st == DIPKG_SUCCESS, "%s\nfailed: %s", text, tu_diags());
  return result;
}

/* The namespaces compact() writes as prefixes. */
static const TuNamespace namespaces[] = {
  {"https://example.org/dipkg/event/", "event:"},
  {"https://example.org/dipkg/graph/", "graph:"},
  {"http://www.w3.org/2001/XMLSchema#", "xsd:"},
  {"http://example.org/store#", "store:"},
};

/* TSV results with the IRIs of `namespaces` as prefixed names (caller
 * frees). */
static char *
compact(const char *tsv)
{
  return tu_compact(tsv, namespaces, sizeof namespaces / sizeof *namespaces);
}

/* Runs `text`; checks that its TSV, compacted, is `expected`. */
static void
expect_query(DipkgStore *store, const char *text, const char *expected)
{
  char *got = query(store, text);
  char *short_form = compact(got);
  ck_assert_msg(!strcmp(short_form, expected),
                "for\n%s\nexpected:\n%s\ngot:\n%s", text, expected, short_form);
  free(short_form);
  free(got);
}

/* Every statement of every graph, one "g s p o" TSV line each, sorted
 * (caller frees); `except` names a graph to leave out (or NULL). */
static char *
dump(DipkgStore *store, const char *except)
{
  char text[1024];
  snprintf(text, sizeof text,
           "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } %s%s%s }",
           except ? "FILTER (?g != <" : "", except ? except : "",
           except ? ">)" : "");
  char *rows = query(store, text);
  char *sorted = tu_sorted_lines(rows);
  free(rows);
  return sorted;
}

static uint64_t
count(DipkgStats *stats, DipkgCount what)
{
  return dipkg_stats_count(stats, what);
}

/* The absolute file: IRI of a file's graph (static storage, two slots). */
static const char *
file_graph(const char *path)
{
  static char iris[2][PATH_MAX + 16];
  static int slot;
  char *iri = iris[slot++ & 1], real[PATH_MAX];
  ck_assert_ptr_nonnull(realpath(path, real));
  snprintf(iri, sizeof iris[0], "<file://%s>", real);
  return iri;
}

/* The CLI: `dipkg ARGS`. */
static char *out, *err;

static int
dipkg(const char *args)
{
  free(out);
  free(err);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "%s %s", tu_exe(), args);
  return tu_run(cmd, &out, &err);
}

/* After each test: its outputs, and a memory: store it left open (one
 * would make the next sqlite store fail to open, without fork). */
static void
after_test(void)
{
  free(out);
  free(err);
  out = err = NULL;
  dipkg_store_free(base[MEMORY]);
  dipkg_stats_free(base_load[MEMORY]);
  base[MEMORY] = NULL;
  base_load[MEMORY] = NULL;
}

static int
run(const char *cmd)
{
  return tu_run(cmd, NULL, NULL);
}

/* A new store of `kind` named `name` with what the base store holds: a
 * copy of the base files, or for memory: a new load. */
static DipkgStore *
copy_of_base(Kind kind, const char *name)
{
  const char *spec = spec_of(kind, name);
  if (kind != MEMORY) {
    char from[PATH_MAX], to[PATH_MAX], cmd[4 * PATH_MAX];
    snprintf(from, sizeof from, "%s", where(kind, "base"));
    snprintf(to, sizeof to, "%s", where(kind, name));
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\" && cp -R '%s' '%s'",
             to, from, to);
    ck_assert_int_eq(run(cmd), 0);
    return open_store(spec);
  }
  DipkgStore *s = open_store(spec);
  ck_assert_msg(load(s, FACTS, rdf_files, NULL) == DIPKG_SUCCESS, "%s",
                tu_diags());
  return s;
}

/* Copies the store at `path` (a file or a directory) aside; returns the
 * copy's path (caller frees). */
static char *
snapshot(const char *path)
{
  static int n;
  char *copy = malloc(PATH_MAX), cmd[3 * PATH_MAX];
  snprintf(copy, PATH_MAX, "%s/snapshots/%d", tu_scratch(), n++);
  snprintf(cmd, sizeof cmd, "mkdir -p '%s/snapshots' && cp -R '%s' '%s'",
           tu_scratch(), path, copy);
  ck_assert_int_eq(run(cmd), 0);
  return copy;
}

/* Whether `path` holds exactly the files and bytes of `copy`. */
static bool
same_as(const char *path, const char *copy)
{
  char cmd[3 * PATH_MAX];
  snprintf(cmd, sizeof cmd, "diff -r '%s' '%s'", copy, path);
  return run(cmd) == 0;
}

/* The names in directory `dir`, sorted, one a line (caller frees). */
static char *
listing(const char *dir)
{
  char cmd[PATH_MAX + 32], *text = NULL;
  snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
  ck_assert_int_eq(tu_run(cmd, &text, NULL), 0);
  return text;
}

static void
setup(void)
{
  tu_scratch();  // made here, so that the parent removes it at exit
  world = tu_world();
  // The ontology graph holds the ontology's distinct statements.
  DIR *d = opendir(TU_ONTOLOGY);
  ck_assert_ptr_nonnull(d);
  char *all = strdup("");
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (e->d_name[0] == '.' || n < 5 || strcmp(e->d_name + n - 4, ".ttl") ||
        !strcmp(e->d_name, "shapes.ttl"))  // not part of the ontology
      continue;
    char path[PATH_MAX];
    snprintf(path, sizeof path, TU_ONTOLOGY "/%s", e->d_name);
    char *lines = tu_canonical(path);
    ck_assert_ptr_nonnull(lines);
    char *both = malloc(strlen(all) + strlen(lines) + 1);
    strcpy(both, all);
    strcat(both, lines);
    free(all);
    free(lines);
    all = both;
  }
  closedir(d);
  char *distinct = tu_sorted_lines(all);
  onto_triples = 0;
  for (const char *p = distinct; *p; p++)
    onto_triples += *p == '\n';
  free(all);
  free(distinct);
  for (Kind k = BDB; k < N_KINDS; k++) {
    base[k] = open_store(spec_of(k, "base"));
    ck_assert_msg(load(base[k], FACTS, rdf_files, &base_load[k]) ==
                    DIPKG_SUCCESS,
                  "%s: %s", kind_names[k], tu_diags());
  }
  tu_diags_clear();
}

static void
teardown(void)
{
  for (Kind k = 0; k < N_KINDS; k++) {
    dipkg_store_free(base[k]);
    dipkg_stats_free(base_load[k]);
    base[k] = NULL;
    base_load[k] = NULL;
  }
  tu_world_free(world);
}

/* ------------------------------------------------------ load, count */

START_TEST(test_load_counts)
{
  Kind k = (Kind)_i;
  if (k == MEMORY) {
    base[k] = open_store("memory:");
    ck_assert_int_eq(load(base[k], FACTS, rdf_files, &base_load[k]),
                     DIPKG_SUCCESS);
  }
  // What the load says it loaded: the facts' articles, events, entities.
  DipkgStats *loaded = base_load[k];
  ck_assert_ptr_nonnull(loaded);
  ck_assert_uint_eq(count(loaded, DIPKG_COUNT_ARTICLES), 2);
  ck_assert_uint_eq(count(loaded, DIPKG_COUNT_EVENTS), 3);
  ck_assert_uint_eq(count(loaded, DIPKG_COUNT_ENTITIES), 4);
  ck_assert_uint_eq(count(loaded, DIPKG_COUNT_ERRORS), 0);
  // What the store holds: also the Turtle file's summit, the ontology,
  // the closure, and one graph per RDF file and per N-Quads graph.
  DipkgStats *stats = NULL;
  ck_assert_int_eq(dipkg_store_stats(base[k], &stats), DIPKG_SUCCESS);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_TRIPLES),
                    onto_triples + FACTS_TRIPLES + RDF_TRIPLES);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_FILES), GRAPHS);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_ARTICLES), 2);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_EVENTS), 4);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_ENTITIES), 4);
  static const struct {
    const char *name;
    int is_event;
    uint64_t n;
  } classes[] = {{"ExportControlsImposed", 1, 1},
                 {"ExportControlsLifted", 1, 1},
                 {"Negotiation", 1, 1},
                 {"Summit", 1, 1},
                 {"City", 0, 1},
                 {"Country", 0, 2},
                 {"NewsOrganization", 0, 1}};
  ck_assert_uint_eq(dipkg_stats_n_classes(stats), 7);
  for (size_t i = 0; i < 7; i++) {
    int is_event;
    uint64_t n;
    const char *name = dipkg_stats_class(stats, i, &is_event, &n);
    ck_assert_str_eq(name, classes[i].name);
    ck_assert_int_eq(is_event, classes[i].is_event);
    ck_assert_uint_eq(n, classes[i].n);
  }
  dipkg_stats_free(stats);
  // Each named graph of the data and its size (GRAPH ?g does not list the
  // ontology, nor the graphs of the RDF files' statements outside any
  // graph, which are the default graph's; GRAPH <iri> reads those).
  char expected[8192];
  snprintf(expected, sizeof expected,
           "?g\t?n\n"
           "store:graph-one\t\"1\"^^xsd:integer\n"
           "store:graph-two\t\"2\"^^xsd:integer\n"
           "graph:entity/north\t\"12\"^^xsd:integer\n"
           "graph:entity/port\t\"11\"^^xsd:integer\n"
           "graph:entity/press\t\"11\"^^xsd:integer\n"
           "graph:entity/south\t\"12\"^^xsd:integer\n"
           "graph:test-s-one\t\"77\"^^xsd:integer\n"
           "graph:test-s-two\t\"44\"^^xsd:integer\n");
  expect_query(base[k],
               "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
               "GROUP BY ?g ORDER BY ?g",
               expected);
  char by_name[PATH_MAX + 128];
  snprintf(by_name, sizeof by_name,
           "SELECT (COUNT(*) AS ?n) WHERE { GRAPH %s { ?s ?p ?o } }",
           file_graph(RDF "/extra.ttl"));
  expect_query(base[k], by_name, "?n\n\"9\"^^xsd:integer\n");
  snprintf(expected, sizeof expected, "?n\n\"%llu\"^^xsd:integer\n",
           (unsigned long long)onto_triples);
  expect_query(base[k],
               "SELECT (COUNT(*) AS ?n) WHERE { GRAPH "
               "<https://w3id.org/dipkg/ns> { ?s ?p ?o } }",
               expected);
  // N-Quads keep their graphs; RDF/XML keeps its tag and datatype.
  expect_query(
    base[k],
    "SELECT ?s ?p ?o WHERE { GRAPH <http://example.org/store#graph-two> { ?s "
    "?p ?o } } ORDER BY ?p",
    "?s\t?p\t?o\n"
    "store:nq-b\tstore:size\t\"7\"^^xsd:integer\n"
    "store:nq-b\t<http://www.w3.org/2000/01/rdf-schema#label>\t\"in graph "
    "two\"\n");
  expect_query(base[k],
               "SELECT ?l ?n WHERE { <http://example.org/store#xml-thing> "
               "rdfs:label ?l ; <http://example.org/store#size> ?n }",
               "?l\t?n\n\"chose RDF/XML\"@fr\t\"5\"^^xsd:integer\n");
  // The closure applies to RDF input: the Turtle summit is an Event, and
  // its participant a sem:hasActor.
  expect_query(base[k], "SELECT ?e WHERE { ?e a dip:Event } ORDER BY ?e",
               "?e\n"
               "store:ttl-summit\n"
               "event:s-controls\n"
               "event:s-lifted\n"
               "event:s-talks\n");
  expect_query(
    base[k],
    "SELECT ?x WHERE { <http://example.org/store#ttl-summit> sem:hasActor ?x }",
    "?x\n"
    "store:somebody\n");
}
END_TEST

START_TEST(test_reload_is_idempotent)
{
  Kind k = (Kind)_i;
  DipkgStore *s = copy_of_base(k, "reload");
  char *before = dump(s, NULL);
  DipkgStats *stats = NULL;
  ck_assert_int_eq(load(s, FACTS, rdf_files, &stats), DIPKG_SUCCESS);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_ARTICLES), 2);
  dipkg_stats_free(stats);
  char *after = dump(s, NULL);
  ck_assert_str_eq(after, before);
  ck_assert_ptr_nonnull(strstr(after, "\"in graph one\""));
  ck_assert_int_eq(dipkg_store_stats(s, &stats), DIPKG_SUCCESS);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_TRIPLES),
                    onto_triples + FACTS_TRIPLES + RDF_TRIPLES);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_FILES), GRAPHS);
  dipkg_stats_free(stats);
  // A third time, the RDF files alone: still the same.
  ck_assert_int_eq(load(s, NULL, rdf_files, NULL), DIPKG_SUCCESS);
  free(after);
  after = dump(s, NULL);
  ck_assert_str_eq(after, before);
  expect_query(s, "SELECT ?e WHERE { ?e dip:reverses ?r . ?r dip:actor ?a }",
               "?e\nevent:s-lifted\n");
  free(before);
  free(after);
  dipkg_store_free(s);
}
END_TEST

/* test-s-one.yaml edited: a new headline, the talks without a location,
 * and a new event. */
static const char edited_article[] =
  "# The store-suite article, edited (tests/check_store.c).\n"
  "article:\n"
  "  id: test-s-one\n"
  "  headline: \"Synthetic: North restricts exports to South (corrected)\"\n"
  "  publisher: press\n"
  "  published: 2020-03-15\n"
  "events:\n"
  "  - id: s-controls\n"
  "    type: ExportControlsImposed\n"
  "    date: 2020-01-15\n"
  "    actors: [north]\n"
  "    targets: [south]\n"
  "  - id: s-talks\n"
  "    type: Negotiation\n"
  "    date: 2020-02\n"
  "    participants: [north, south]\n"
  "  - id: s-visit\n"
  "    type: Visit\n"
  "    date: 2020-03-02\n"
  "    actors: [north]\n"
  "    targets: [south]\n";

/* A copy of the store facts in the scratch directory `dir`, with the
 * edited article, and with `extra` (a file name and content) if not NULL.
 * Returns the directory's path (static storage). */
static const char *
edited_facts(const char *dir, const char *extra_name, const char *extra)
{
  static const char *const same[] = {"entities.yaml", "test-s-two.yaml"};
  char name[256];
  for (size_t i = 0; i < 2; i++) {
    char from[256];
    snprintf(from, sizeof from, FACTS "/%s", same[i]);
    char *text = tu_read_file(from, NULL);
    ck_assert_ptr_nonnull(text);
    snprintf(name, sizeof name, "%s/%s", dir, same[i]);
    tu_write(name, text);
    free(text);
  }
  snprintf(name, sizeof name, "%s/test-s-one.yaml", dir);
  tu_write(name, edited_article);
  if (extra) {
    snprintf(name, sizeof name, "%s/%s", dir, extra_name);
    tu_write(name, extra);
  }
  static char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", tu_scratch(), dir);
  return path;
}

START_TEST(test_edited_article_replaces_its_graph)
{
  Kind k = (Kind)_i;
  char dir[64], name[64];
  snprintf(dir, sizeof dir, "edited-facts-%s", kind_names[k]);
  snprintf(name, sizeof name, "edited-%s", kind_names[k]);
  const char *facts = edited_facts(dir, NULL, NULL);
  DipkgStore *s = copy_of_base(k, name);
  static const char one[] = "https://example.org/dipkg/graph/test-s-one";
  char *others = dump(s, one);
  ck_assert_int_eq(load(s, facts, NULL, NULL), DIPKG_SUCCESS);
  // The other graphs are untouched: facts, RDF files, ontology.
  char *after = dump(s, one);
  ck_assert_str_eq(after, others);
  // The article's graph is replaced: the old headline and location gone,
  // the new headline and the new event (29 statements with the closure)
  // there.
  expect_query(
    s, "SELECT ?h WHERE { ?a dip:headline ?h } ORDER BY ?h",
    "?h\n"
    "\"Synthetic: North lifts its restriction\"@en\n"
    "\"Synthetic: North restricts exports to South (corrected)\"@en\n");
  expect_query(s, "SELECT ?e ?p WHERE { ?e dip:location ?p }", "?e\t?p\n");
  expect_query(s, "SELECT ?e ?p WHERE { ?e sem:hasPlace ?p }", "?e\t?p\n");
  expect_query(
    s, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { event:s-visit ?p ?o } }",
    "?n\n\"29\"^^xsd:integer\n");
  expect_query(s,
               "SELECT (COUNT(*) AS ?n) WHERE { GRAPH "
               "<https://example.org/dipkg/graph/test-s-one> { ?s ?p ?o } }",
               "?n\n\"103\"^^xsd:integer\n");
  DipkgStats *stats = NULL;
  ck_assert_int_eq(dipkg_store_stats(s, &stats), DIPKG_SUCCESS);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_TRIPLES),
                    onto_triples + FACTS_TRIPLES + RDF_TRIPLES - 3 + 29);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_EVENTS), 5);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_FILES), GRAPHS);
  dipkg_stats_free(stats);
  free(others);
  free(after);
  dipkg_store_free(s);
}
END_TEST

/* ------------------------------------------------------ failed loads */

/* An article that refers to an entity no file defines: found only when
 * the references are resolved, after the other files were read. */
static const char broken_article[] = "article:\n"
                                     "  id: test-s-broken\n"
                                     "  headline: Broken\n"
                                     "  publisher: press\n"
                                     "  published: 2021-01-01\n"
                                     "events:\n"
                                     "  - id: s-broken\n"
                                     "    type: Summit\n"
                                     "    date: 2021\n"
                                     "    participants: [nobody]\n";

START_TEST(test_failed_load_leaves_store_unchanged)
{
  Kind k = (Kind)_i;
  char dir[64], name[96];
  snprintf(dir, sizeof dir, "failed-%s", kind_names[k]);
  snprintf(name, sizeof name, "%s/store", dir);
  DipkgStore *s = copy_of_base(k, name);
  char parent[PATH_MAX];
  snprintf(parent, sizeof parent, "%s/%s", tu_scratch(), dir);
  char *saved = k == MEMORY ? NULL : snapshot(where(k, name));
  char *files = k == MEMORY ? NULL : listing(parent);
  char *content = dump(s, NULL);
  const char *facts =
    edited_facts("failed-facts", "zz-broken.yaml", broken_article);
  const char *bad_nt = tu_write("failed-rdf/bad.nt", "<a> <b> .\n");
  char missing[PATH_MAX];
  snprintf(missing, sizeof missing, "%s/failed-rdf/missing.ttl", tu_scratch());
  const char *const with_missing[] = {RDF "/extra.ttl", missing, NULL};
  const char *const with_bad[] = {RDF "/extra.ttl", bad_nt, NULL};
  static const char *const what[] = {"an invalid facts file",
                                     "an RDF file that does not exist",
                                     "an RDF file with a syntax error"};
  for (int attempt = 0; attempt < 3; attempt++) {
    tu_diags_clear();
    DipkgStatus st = attempt == 0   ? load(s, facts, rdf_files, NULL)
                     : attempt == 1 ? load(s, facts, with_missing, NULL)
                                    : load(s, FACTS, with_bad, NULL);
    ck_assert_msg(st != DIPKG_SUCCESS, "a load with %s succeeded",
                  what[attempt]);
    if (attempt == 0) {
      ck_assert_int_eq(st, DIPKG_ERR_DATA);
      char expected[PATH_MAX + 256];
      snprintf(expected, sizeof expected,
               "%s/zz-broken.yaml:10:20: error: unknown entity 'nobody' in "
               "'participants' (no input file defines it)\n",
               facts);
      ck_assert_str_eq(tu_diags(), expected);
    } else if (attempt == 1) {
      ck_assert_int_eq(st, DIPKG_ERR_IO);
      ck_assert_ptr_nonnull(
        strstr(tu_diags(),
               "missing.ttl: error: cannot read: No such file or directory\n"));
    } else {
      ck_assert_ptr_nonnull(strstr(
        tu_diags(),
        "bad.nt:1:3: error: RDF syntax error: URI 'a' is not absolute.\n"));
    }
    // The store is exactly as it was, and nothing was left beside it.
    if (k != MEMORY) {
      ck_assert_msg(same_as(where(k, name), saved),
                    "the %s store changed after a load with %s", kind_names[k],
                    what[attempt]);
      char *listed = listing(parent);
      ck_assert_str_eq(listed, files);
      free(listed);
    }
    // Every kind of store holds exactly what it held: a memory store too
    // (its load checks the facts before writing, having no transaction).
    {
      char *now = dump(s, NULL);
      ck_assert_msg(!strcmp(now, content),
                    "the %s store's statements changed after a load with %s",
                    kind_names[k], what[attempt]);
      free(now);
    }
  }
  free(saved);
  free(files);
  free(content);
  dipkg_store_free(s);
}
END_TEST

/* The same, made deterministic for the store written in place: the edited
 * article is the corpus's first, then more valid articles than the run lets
 * its workers go ahead of the writer (4 per job), then the bad one.  A load
 * that wrote each file as soon as it was mapped would have replaced the
 * edited article's graph before the bad file was even looked at. */
START_TEST(test_failed_load_memory_writes_nothing)
{
  dipkg_world_set_jobs(world, 2);
  DipkgStore *s = copy_of_base(MEMORY, "late-memory");
  char *content = dump(s, NULL);
  const char *facts =
    edited_facts("late-facts", "zz-broken.yaml", broken_article);
  for (int i = 0; i < 12; i++) {
    char name[64], text[512];
    snprintf(name, sizeof name, "late-facts/test-s-pad%02d.yaml", i);
    snprintf(text, sizeof text,
             "article:\n  id: test-s-pad%02d\n  headline: Pad\n"
             "  publisher: press\n  published: 2021-06-01\n"
             "events:\n  - id: s-pad%02d\n    type: Summit\n"
             "    date: 2021\n    participants: [north, south]\n",
             i, i);
    tu_write(name, text);
  }
  tu_diags_clear();
  ck_assert_int_eq(load(s, facts, NULL, NULL), DIPKG_ERR_DATA);
  ck_assert_ptr_nonnull(strstr(tu_diags(), "unknown entity 'nobody'"));
  char *now = dump(s, NULL);
  ck_assert_msg(!strcmp(now, content),
                "the memory store's statements changed after a failed load");
  free(now);
  free(content);
  dipkg_store_free(s);
  dipkg_world_set_jobs(world, 0);
}
END_TEST

START_TEST(test_failed_first_load_creates_nothing)
{
  // A load that fails into a store that does not exist yet creates
  // nothing: no store, no working copy.
  Kind k = _i ? SQLITE : BDB;
  char dir[64], name[96], parent[PATH_MAX];
  snprintf(dir, sizeof dir, "first-%s", kind_names[k]);
  snprintf(name, sizeof name, "%s/store", dir);
  snprintf(parent, sizeof parent, "%s/%s", tu_scratch(), dir);
  mkdir(parent, 0777);
  const char *facts =
    edited_facts("first-facts", "zz-broken.yaml", broken_article);
  DipkgStore *s = open_store(spec_of(k, name));
  ck_assert_int_eq(load(s, facts, rdf_files, NULL), DIPKG_ERR_DATA);
  char *listed = listing(parent);
  ck_assert_str_eq(listed, "");
  free(listed);
  // Querying it says there is no store, and still creates nothing.
  DipkgStats *stats = NULL;
  tu_diags_clear();
  ck_assert_int_eq(dipkg_store_stats(s, &stats), DIPKG_ERR_STORE);
  char expected[PATH_MAX + 128];
  snprintf(expected, sizeof expected,
           "dipkg: error: store '%s': no store there yet (create it with "
           "'dipkg load')\n",
           spec_of(k, name));
  ck_assert_str_eq(tu_diags(), expected);
  listed = listing(parent);
  ck_assert_str_eq(listed, "");
  free(listed);
  dipkg_store_free(s);
}
END_TEST

/* ------------------------------------------------------------- specs */

START_TEST(test_passthrough_spec)
{
  // TYPE:OPTIONS passes OPTIONS to Redland: here its hashes storage on
  // Berkeley DB with contexts, named "kg" in a directory of our own.
  char dir[PATH_MAX], spec[2 * PATH_MAX];
  snprintf(dir, sizeof dir, "%s/passthrough", tu_scratch());
  mkdir(dir, 0777);
  snprintf(spec, sizeof spec,
           "hashes:hash-type='bdb',dir='%s',contexts='yes',name='kg'", dir);
  DipkgStore *s = open_store(spec);
  tu_diags_clear();
  ck_assert_int_eq(load(s, FACTS, rdf_files, NULL), DIPKG_SUCCESS);
  // Without transactions the load cannot be undone: dipkg says so.
  ck_assert_str_eq(tu_diags(),
                   "dipkg: warning: the hashes storage has no transactions: if "
                   "the load fails part-way (a full disk, a lost connection), "
                   "the store is left partly loaded\n");
  char *files = listing(dir);
  ck_assert_str_eq(files, "kg-contexts.db\n"
                          "kg-po2s.db\n"
                          "kg-so2p.db\n"
                          "kg-sp2o.db\n");
  free(files);
  dipkg_store_free(s);
  // Another handle reads what was stored, as much as in a bdb: store.
  s = open_store(spec);
  DipkgStats *stats = NULL;
  ck_assert_int_eq(dipkg_store_stats(s, &stats), DIPKG_SUCCESS);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_TRIPLES),
                    onto_triples + FACTS_TRIPLES + RDF_TRIPLES);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_FILES), GRAPHS);
  ck_assert_uint_eq(count(stats, DIPKG_COUNT_EVENTS), 4);
  dipkg_stats_free(stats);
  char *a = dump(s, NULL), *b = dump(base[BDB], NULL);
  ck_assert_str_eq(a, b);
  free(b);
  // Loading again changes nothing.
  ck_assert_int_eq(load(s, FACTS, rdf_files, NULL), DIPKG_SUCCESS);
  b = dump(s, NULL);
  ck_assert_str_eq(b, a);
  free(a);
  free(b);
  dipkg_store_free(s);
  // The CLI, with the same spec.
  char args[3 * PATH_MAX];
  snprintf(args, sizeof args,
           "query -f csv --store \"%s\" -e 'SELECT ?h WHERE { "
           "article:test-s-two dip:headline ?h }'",
           spec);
  ck_assert_int_eq(dipkg(args), 0);
  ck_assert_str_eq(out, "h\r\nSynthetic: North lifts its restriction\r\n");
  ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_bad_specs)
{
  static const struct {
    const char *spec, *message;
  } bad[] = {
    {"", "invalid store '': expected memory:, bdb:DIR, sqlite:PATH or a "
         "Redland storage as TYPE:OPTIONS"},
    {"kg", "invalid store 'kg': expected memory:, bdb:DIR, sqlite:PATH or a "
           "Redland storage as TYPE:OPTIONS"},
    {":kg", "invalid store ':kg': expected memory:, bdb:DIR, sqlite:PATH or a "
            "Redland storage as TYPE:OPTIONS"},
    {"sqlite:",
     "invalid store 'sqlite:': sqlite needs a file name after the colon"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    // The library: DIPKG_ERR_USAGE, a message, no store.
    static int sentinel;
    DipkgStore *s = (DipkgStore *)(void *)&sentinel;  // must be reset
    tu_diags_clear();
    ck_assert_int_eq(dipkg_store_open(world, bad[i].spec, &s), DIPKG_ERR_USAGE);
    ck_assert_ptr_null(s);
    char expected[512];
    snprintf(expected, sizeof expected, "dipkg: error: %s\n", bad[i].message);
    ck_assert_str_eq(tu_diags(), expected);
    // Each command: exit 2, the message, nothing on standard output.
    char args[3][512];
    snprintf(args[0], sizeof args[0], "load --store '%s' " FACTS, bad[i].spec);
    snprintf(args[1], sizeof args[1], "stats --store '%s'", bad[i].spec);
    snprintf(args[2], sizeof args[2], "query --store '%s' -e 'ASK {}'",
             bad[i].spec);
    for (size_t c = 0; c < 3; c++) {
      ck_assert_int_eq(dipkg(args[c]), 2);
      ck_assert_str_eq(out, "");
      ck_assert_msg(!strcmp(err, expected), "%s:\n%s", args[c], err);
    }
  }
  // A storage Redland does not have: found when the store is used.
  char args[1024];
  ck_assert_int_eq(dipkg("load --store frob:x " FACTS), 1);
  ck_assert_str_eq(err,
                   "dipkg: error: storage 'frob' not found\n"
                   "dipkg: error: store 'frob:x': Redland cannot open this "
                   "storage (is its librdf-storage package installed?)\n"
                   "dipkg: error: the load failed; the store is unchanged\n");
  // A store that does not exist: stats and query say so, create nothing.
  for (Kind k = BDB; k <= SQLITE; k++) {
    snprintf(args, sizeof args, "stats --store %s", spec_of(k, "nothing-here"));
    ck_assert_int_eq(dipkg(args), 1);
    char expected[PATH_MAX + 128];
    snprintf(expected, sizeof expected,
             "dipkg: error: store '%s': no store there yet (create it with "
             "'dipkg load')\n",
             spec_of(k, "nothing-here"));
    ck_assert_str_eq(err, expected);
    snprintf(args, sizeof args, "query --store %s -e 'ASK {}'",
             spec_of(k, "nothing-here"));
    ck_assert_int_eq(dipkg(args), 1);
    ck_assert_str_eq(out, "");
    ck_assert_int_ne(access(where(k, "nothing-here"), F_OK), 0);
  }
  // A file that is not a database is left alone.
  const char *notdb = tu_write("not-a-db.sqlite", "not a database\n");
  snprintf(args, sizeof args, "load --store sqlite:%s " FACTS, notdb);
  ck_assert_int_eq(dipkg(args), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "is not a dipkg sqlite store (not an SQLite database)"));
  char *text = tu_read_file(notdb, NULL);
  ck_assert_str_eq(text, "not a database\n");
  free(text);
}
END_TEST

/* --------------------------------------------------------------- CLI */

START_TEST(test_cli_load_query_stats)
{
  Kind k = _i ? SQLITE : BDB;
  char name[64], args[2 * PATH_MAX], expected[2 * PATH_MAX];
  snprintf(name, sizeof name, "cli-%s", kind_names[k]);
  const char *spec = spec_of(k, name);
  // load prints a summary on standard error.
  snprintf(args, sizeof args, "load --store %s " FACTS, spec);
  ck_assert_int_eq(dipkg(args), 0);
  ck_assert_str_eq(out, "");
  snprintf(expected, sizeof expected,
           "loaded into %s: 2 articles, 3 events, 4 entities, %llu "
           "statements added (with the closure and the ontology)\n",
           spec, (unsigned long long)(onto_triples + FACTS_TRIPLES));
  ck_assert_str_eq(err, expected);
  // -q: none.
  snprintf(args, sizeof args, "load -q --store %s " FACTS, spec);
  ck_assert_int_eq(dipkg(args), 0);
  ck_assert_str_eq(err, "");
  // stats counts what the store holds.
  snprintf(args, sizeof args, "stats --store %s", spec);
  ck_assert_int_eq(dipkg(args), 0);
  snprintf(expected, sizeof expected,
           "graphs     7\n"
           "articles   2\n"
           "events     3\n"
           "entities   4\n"
           "statements %llu\n"
           "events by type:\n"
           "  ExportControlsImposed        1\n"
           "  ExportControlsLifted         1\n"
           "  Negotiation                  1\n"
           "entities by type:\n"
           "  City                         1\n"
           "  Country                      2\n"
           "  NewsOrganization             1\n",
           (unsigned long long)(onto_triples + FACTS_TRIPLES));
  ck_assert_str_eq(out, expected);
  ck_assert_str_eq(err, "");
  // query answers from it, in every tabular format.
  snprintf(args, sizeof args,
           "query --store %s -f csv -e 'SELECT ?e ?d WHERE { ?e a "
           "dip:TradeMeasure ; dip:date ?d } ORDER BY ?d'",
           spec);
  ck_assert_int_eq(dipkg(args), 0);
  ck_assert_str_eq(out,
                   "e,d\r\n"
                   "https://example.org/dipkg/event/s-controls,2020-01-15\r\n"
                   "https://example.org/dipkg/event/s-lifted,2021\r\n");
  ck_assert_str_eq(err, "");
  snprintf(args, sizeof args,
           "query --store %s -f table -e 'SELECT ?a ?n WHERE { ?e dip:actor ?a "
           ". ?a rdfs:label ?n } ORDER BY ?e'",
           spec);
  ck_assert_int_eq(dipkg(args), 0);
  ck_assert_str_eq(out, " a            | n\n"
                        "--------------+-------\n"
                        " entity:north | North\n"
                        " entity:north | North\n"
                        "(2 rows)\n");
  // --no-closure: the facts as exported, without the inferred statements
  // (93 of them, as `dipkg export` writes).
  char plain[64];
  snprintf(plain, sizeof plain, "plain-%s", kind_names[k]);
  const char *plain_spec = spec_of(k, plain);
  snprintf(args, sizeof args, "load -q --no-closure --store %s " FACTS,
           plain_spec);
  ck_assert_int_eq(dipkg(args), 0);
  snprintf(args, sizeof args, "stats --store %s", plain_spec);
  ck_assert_int_eq(dipkg(args), 0);
  snprintf(expected, sizeof expected,
           "graphs     7\n"
           "articles   2\n"
           "events     3\n"
           "entities   4\n"
           "statements %llu\n",
           (unsigned long long)(onto_triples + 93));
  ck_assert_msg(!strncmp(out, expected, strlen(expected)), "%s", out);
  snprintf(args, sizeof args,
           "query -f csv --store %s -e 'SELECT ?e WHERE { ?e a dip:Event }'",
           plain_spec);
  ck_assert_int_eq(dipkg(args), 0);
  ck_assert_str_eq(out, "e\r\n");
  // Adding RDF later keeps the facts.
  snprintf(args, sizeof args, "load -q --store %s " RDF "/graphs.nq", spec);
  ck_assert_int_eq(dipkg(args), 0);
  snprintf(args, sizeof args, "stats --store %s", spec);
  ck_assert_int_eq(dipkg(args), 0);
  snprintf(expected, sizeof expected,
           "graphs     10\n"
           "articles   2\n"
           "events     3\n"
           "entities   4\n"
           "statements %llu\n",
           (unsigned long long)(onto_triples + FACTS_TRIPLES + 4));
  ck_assert_msg(!strncmp(out, expected, strlen(expected)), "%s", out);
  // Usage errors.
  ck_assert_int_eq(dipkg("load " FACTS), 2);
  ck_assert_ptr_nonnull(strstr(
    err, "dipkg: load needs --store SPEC (for example --store bdb:kg)\n"));
  snprintf(args, sizeof args, "load --store %s -o x.ttl " FACTS, spec);
  ck_assert_int_eq(dipkg(args), 2);
  ck_assert_ptr_nonnull(strstr(err, "dipkg: load takes no option --output\n"));
  snprintf(args, sizeof args, "load --store %s", spec);
  ck_assert_int_eq(dipkg(args), 2);
  ck_assert_ptr_nonnull(strstr(err, "no input files given"));
}
END_TEST

START_TEST(test_cli_memory_store)
{
  // memory: lives as long as the process: `load` refuses it (it reported
  // success and discarded everything).
  ck_assert_int_eq(dipkg("load --store memory: " FACTS " " RDF "/extra.nt"), 2);
  ck_assert_ptr_nonnull(strstr(err, "load --store memory: would be discarded"));
  // query without --store loads its inputs into one.
  ck_assert_int_eq(dipkg("query -f tsv " FACTS " " RDF
                         "/extra.nt -e 'SELECT ?n WHERE { ?x "
                         "<http://example.org/store#size> ?n }'"),
                   0);
  ck_assert_str_eq(out,
                   "?n\n\"3\"^^<http://www.w3.org/2001/XMLSchema#integer>\n");
}
END_TEST

/* -------------------------------------------------------- regressions */

START_TEST(test_bug_sqlite_while_memory_open)
{
  // While a memory: store is open in the process, opening a sqlite store
  // fails: "storage 'sqlite' not found" (each store has its own Redland
  // world; the sqlite module does not load into the second one).  A
  // program (a server) that keeps a memory: store cannot use sqlite.
  DipkgStore *memory = open_store("memory:");
  ck_assert_int_eq(load(memory, FACTS, NULL, NULL), DIPKG_SUCCESS);
  DipkgStore *s = open_store(spec_of(SQLITE, "beside-memory"));
  tu_diags_clear();
  DipkgStatus st = load(s, FACTS, NULL, NULL);
  dipkg_store_free(s);
  dipkg_store_free(memory);
  ck_assert_msg(st == DIPKG_SUCCESS, "%s", tu_diags());
}
END_TEST

START_TEST(test_bug_blank_nodes_of_two_files_merge)
{
  // Blank nodes are local to their file: _:b of blank-one.ttl and _:b of
  // blank-two.ttl are two nodes, and so are the anonymous [ ... ] of each
  // (raptor names both genid1).  dipkg stores each pair as one node.
  static const char *const files[] = {RDF "/blank-one.ttl",
                                      RDF "/blank-two.ttl", NULL};
  DipkgStore *s = open_store("memory:");
  ck_assert_int_eq(load(s, NULL, files, NULL), DIPKG_SUCCESS);
  expect_query(s,
               "SELECT ?o ?n WHERE { ?o <http://example.org/store#has> ?b . ?b "
               "<http://example.org/store#name> ?n } ORDER BY ?o",
               "?o\t?n\n"
               "store:one\t\"first anonymous\"\n"
               "store:two\t\"second anonymous\"\n");
  dipkg_store_free(s);
}
END_TEST

START_TEST(test_bug_blank_nodes_of_two_loads_merge)
{
  // The same across two loads into a bdb store.
  static const char *const one[] = {RDF "/blank-one.ttl", NULL};
  static const char *const two[] = {RDF "/blank-two.ttl", NULL};
  DipkgStore *s = open_store(spec_of(BDB, "blank"));
  ck_assert_int_eq(load(s, NULL, one, NULL), DIPKG_SUCCESS);
  ck_assert_int_eq(load(s, NULL, two, NULL), DIPKG_SUCCESS);
  expect_query(s,
               "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b "
               "<http://example.org/store#name> ?x }",
               "?n\n\"4\"^^xsd:integer\n");
  dipkg_store_free(s);
}
END_TEST

START_TEST(test_bug_passthrough_memory_loses_data)
{
  // Redland's hashes in memory through TYPE:OPTIONS: the load says it
  // loaded, then the same store handle holds nothing (each use opens a new,
  // empty storage).
  DipkgStore *s = open_store("hashes:hash-type='memory',contexts='yes'");
  ck_assert_int_eq(load(s, FACTS, NULL, NULL), DIPKG_SUCCESS);
  DipkgStats *stats = NULL;
  ck_assert_int_eq(dipkg_store_stats(s, &stats), DIPKG_SUCCESS);
  uint64_t n = count(stats, DIPKG_COUNT_TRIPLES);
  dipkg_stats_free(stats);
  dipkg_store_free(s);
  ck_assert_uint_eq(n, onto_triples + FACTS_TRIPLES);
}
END_TEST

START_TEST(test_bug_storage_without_contexts_fails_silently)
{
  // hashes:hash-type='memory' (no contexts='yes'): the load fails with
  // "the load failed; the store is unchanged" and no reason; the reason
  // (named graphs need contexts='yes') is what the user needs.
  ck_assert_int_eq(dipkg("load --store \"hashes:hash-type='memory'\" " FACTS),
                   1);
  ck_assert_msg(strstr(err, "contexts") != NULL,
                "no word of contexts='yes' in:\n%s", err);
}
END_TEST

START_TEST(test_bug_bdb_spec_message_says_hashes)
{
  // The user wrote bdb:, the message speaks of Redland's "hashes".
  ck_assert_int_eq(dipkg("stats --store bdb:"), 2);
  ck_assert_str_eq(err, "dipkg: error: invalid store 'bdb:': bdb needs a "
                        "directory after the colon\n");
}
END_TEST

START_TEST(test_bug_memory_spec_with_location_accepted)
{
  // memory: takes no location; "memory:kg" (meant as a file?) is accepted
  // and silently ignored.
  DipkgStore *s = NULL;
  ck_assert_int_eq(dipkg_store_open(world, "memory:kg", &s), DIPKG_ERR_USAGE);
  dipkg_store_free(s);
}
END_TEST

START_TEST(test_bug_summary_omits_rdf_closure)
{
  // The summary counts the closure of the facts (126 statements) but not
  // that of RDF files: extra.ttl adds 9 statements (3 written, 6
  // inferred), the summary says 3.
  char args[PATH_MAX + 128], expected[PATH_MAX + 128];
  const char *spec = spec_of(BDB, "summary");
  snprintf(args, sizeof args, "load --store %s " FACTS " " RDF "/extra.ttl",
           spec);
  ck_assert_int_eq(dipkg(args), 0);
  snprintf(expected, sizeof expected,
           "loaded into %s: 2 articles, 3 events, 4 entities, %llu "
           "statements added (with the closure and the ontology)\n",
           spec, (unsigned long long)(onto_triples + FACTS_TRIPLES + 9));
  ck_assert_str_eq(err, expected);
}
END_TEST

START_TEST(test_bug_xml_extension_read_as_facts)
{
  // docs/sparql.md: an input is RDF/XML by its extension .rdf, .owl or
  // .xml.  A .xml file is read as YAML facts instead.
  char *text = tu_read_file(RDF "/extra.rdf", NULL);
  const char *xml = tu_write("as-xml/extra.xml", text);
  free(text);
  char args[PATH_MAX + 256];
  snprintf(args, sizeof args,
           "query -f csv '%s' -e 'SELECT ?l WHERE { "
           "<http://example.org/store#xml-thing> rdfs:label ?l }'",
           xml);
  ck_assert_int_eq(dipkg(args), 0);
  ck_assert_str_eq(out, "l\r\nchose RDF/XML\r\n");
}
END_TEST

START_TEST(test_bug_quote_in_path)
{
  // A quote in a bdb: path is a malformed spec (dipkg cannot pass it to
  // Redland): a usage error at open, not a store error at load ("the load
  // failed") and "no store there yet" from stats.
  char spec[PATH_MAX];
  snprintf(spec, sizeof spec, "bdb:%s/it's", tu_scratch());
  DipkgStore *s = NULL;
  ck_assert_int_eq(dipkg_store_open(world, spec, &s), DIPKG_ERR_USAGE);
  dipkg_store_free(s);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("store");
  TCase *tc = tcase_create("store");
  TCase *bugs = tcase_create("regressions");
  TCase *both[] = {tc, bugs};
  for (size_t i = 0; i < 2; i++) {
    tcase_set_timeout(both[i], 60);
    tcase_add_unchecked_fixture(both[i], setup, teardown);
    tcase_add_checked_fixture(both[i], NULL, after_test);
    suite_add_tcase(s, both[i]);
  }
  tcase_add_loop_test(tc, test_load_counts, 0, N_KINDS);
  tcase_add_loop_test(tc, test_reload_is_idempotent, 0, N_KINDS);
  tcase_add_loop_test(tc, test_edited_article_replaces_its_graph, 0, N_KINDS);
  tcase_add_loop_test(tc, test_failed_load_leaves_store_unchanged, 0, N_KINDS);
  tcase_add_test(tc, test_failed_load_memory_writes_nothing);
  tcase_add_loop_test(tc, test_failed_first_load_creates_nothing, 0, 2);
  tcase_add_test(tc, test_passthrough_spec);
  tcase_add_test(tc, test_bad_specs);
  tcase_add_loop_test(tc, test_cli_load_query_stats, 0, 2);
  tcase_add_test(tc, test_cli_memory_store);

  tcase_add_test(bugs, test_bug_sqlite_while_memory_open);
  tcase_add_test(bugs, test_bug_blank_nodes_of_two_files_merge);
  tcase_add_test(bugs, test_bug_blank_nodes_of_two_loads_merge);
  tcase_add_test(bugs, test_bug_passthrough_memory_loses_data);
  tcase_add_test(bugs, test_bug_storage_without_contexts_fails_silently);
  tcase_add_test(bugs, test_bug_bdb_spec_message_says_hashes);
  tcase_add_test(bugs, test_bug_memory_spec_with_location_accepted);
  tcase_add_test(bugs, test_bug_summary_omits_rdf_closure);
  tcase_add_test(bugs, test_bug_xml_extension_read_as_facts);
  tcase_add_test(bugs, test_bug_quote_in_path);
  return tu_main(s);
}
