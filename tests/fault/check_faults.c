/* Allocation-failure injection.  In a build with -DDIPKG_FAULT_INJECTION
 * (`make faults`, and the `make asan` run), dipkg's allocator fails the
 * Nth allocation.  For every N from 1 until a run no longer reaches the
 * Nth allocation, each workload must fail cleanly (DIPKG_ERR_NO_MEMORY,
 * nothing written) or succeed with exactly the output of a run without
 * faults; no crash, and (under AddressSanitizer) no leak.  Both modes:
 * only the Nth allocation fails, or it and every one after it.
 *
 * Redland, raptor, rasqal and libyaml allocate with malloc directly and
 * have no allocator hooks, so only dipkg's own allocations are failed. */
#include "../testutil.h"

#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

extern atomic_ulong dipkg_fault_countdown;
extern int dipkg_fault_sticky;

enum { NEVER = 0 };

/* A workload: returns its status and output (caller frees). */
typedef DipkgStatus (*Workload)(DipkgWorld *w, char **out);

/* The messages of the current run, for the failure report. */
static char messages[4096];

static void
collect(void *user, const DipkgDiagnostic *d)
{
  (void)user;
  size_t used = strlen(messages);
  snprintf(messages + used, sizeof messages - used, "\n  %s:%u:%u: %s",
           d->file ? d->file : "", d->line, d->col, d->message);
}

static DipkgStatus export(DipkgWorld *w, DipkgFormat format, char **out)
{
  size_t len = 0;
  *out = NULL;
  FILE *mem = open_memstream(out, &len);
  ck_assert_ptr_nonnull(mem);
  DipkgCorpus *c = dipkg_corpus_new(w);
  DipkgStatus st = c ? dipkg_corpus_add_path(c, TU_FACTS) : DIPKG_ERR_NO_MEMORY;
  if (!st)
    st = dipkg_corpus_write(c, format, mem, NULL);
  dipkg_corpus_free(c);
  fclose(mem);
  return st;
}

static DipkgStatus
export_ntriples(DipkgWorld *w, char **out)
{
  return export(w, DIPKG_FORMAT_NTRIPLES, out);
}

static DipkgStatus
export_turtle(DipkgWorld *w, char **out)
{
  return export(w, DIPKG_FORMAT_TURTLE, out);
}

/* PLOVER records: the statements gathered into a graph, read back. */
static DipkgStatus
export_plover(DipkgWorld *w, char **out)
{
  return export(w, DIPKG_FORMAT_PLOVER_JSONL, out);
}

static DipkgStatus
export_nquads_threads(DipkgWorld *w, char **out)
{
  dipkg_world_set_jobs(w, 2);
  DipkgStatus st = export(w, DIPKG_FORMAT_NQUADS, out);
  dipkg_world_set_jobs(w, 1);
  return st;
}

/* An export to a gzip-compressed TriG file through the atomic path
 * (links followed, a registered temporary, the compressor, the rename).
 * The output is the file's size and CRC; a temporary left behind, on
 * success or failure, is a failure (DIPKG_ERR_INTERNAL). */
static DipkgStatus
export_file_gzip(DipkgWorld *w, char **out)
{
  *out = NULL;
  char *dir = NULL, *path = NULL;  // libc's allocator: never failed here
  ck_assert_int_ge(asprintf(&dir, "%s/faults-out", tu_scratch()), 0);
  ck_assert_int_ge(asprintf(&path, "%s/x.trig.gz", dir), 0);
  mkdir(dir, 0700);
  DipkgCorpus *c = dipkg_corpus_new(w);
  DipkgStatus st = c ? dipkg_corpus_add_path(c, TU_FACTS) : DIPKG_ERR_NO_MEMORY;
  if (!st)
    st = dipkg_corpus_export(c, DIPKG_FORMAT_TRIG, path, NULL);
  dipkg_corpus_free(c);
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  struct dirent *e;
  while ((e = readdir(d)))
    if (strstr(e->d_name, ".tmp-"))
      st = DIPKG_ERR_INTERNAL;
  closedir(d);
  if (!st) {
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    unsigned char buf[65536];
    size_t n, len = 0;
    uLong crc = crc32(0L, Z_NULL, 0);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
      crc = crc32(crc, buf, (uInt)n);
      len += n;
    }
    fclose(f);
    ck_assert_int_ge(asprintf(out, "%zu bytes, crc %08lx", len, crc), 0);
  }
  unlink(path);
  free(path);
  free(dir);
  return st;
}

static DipkgStatus
load_ontology(DipkgWorld *w, char **out)
{
  *out = strdup("");
  return dipkg_world_load_ontology(w, TU_ONTOLOGY);
}

/* The query, read before any fault is armed (the test helpers allocate
 * with dipkg's allocator too). */
static char *query_text;

/* Opens a memory store into *s, loads the corpus `c` (its facts) and the
 * RDF files `rdf` (NULL-terminated, or NULL) into it and has its queries
 * run in this process, where the faults are. */
static DipkgStatus
memory_store(DipkgWorld *w, DipkgCorpus *c, const char **rdf, DipkgStore **s)
{
  DipkgStatus st = dipkg_store_open(w, "memory:", s);
  if (!st)
    st = dipkg_store_load(*s, c, rdf, NULL);
  if (!st) {
    DipkgQueryPolicy policy;
    dipkg_query_policy_init(&policy);
    policy.in_process = 1;
    dipkg_store_set_query_policy(*s, &policy);
  }
  return st;
}

/* A query over the seed corpus in a memory store. */
static DipkgStatus
query(DipkgWorld *w, char **out)
{
  size_t len = 0;
  *out = NULL;
  FILE *mem = open_memstream(out, &len);
  ck_assert_ptr_nonnull(mem);
  DipkgCorpus *c = dipkg_corpus_new(w);
  DipkgStore *s = NULL;
  DipkgStatus st = c ? dipkg_corpus_add_path(c, TU_FACTS) : DIPKG_ERR_NO_MEMORY;
  if (!st)
    st = memory_store(w, c, NULL, &s);
  if (!st)
    st = dipkg_store_query(s, query_text, "02.rq", NULL, DIPKG_RESULTS_TSV, mem,
                           NULL);
  dipkg_store_free(s);
  dipkg_corpus_free(c);
  fclose(mem);
  return st;
}

/* A property-path query (sparql_path.c, path_eval.c, read_storage.c)
 * over a small RDF file in a memory store; the file is written before
 * any fault is armed. */
static const char *paths_file;

static DipkgStatus
paths_query(DipkgWorld *w, char **out)
{
  size_t len = 0;
  *out = NULL;
  FILE *mem = open_memstream(out, &len);
  ck_assert_ptr_nonnull(mem);
  DipkgCorpus *c = dipkg_corpus_new(w);
  DipkgStore *s = NULL;
  const char *rdf[] = {paths_file, NULL};
  DipkgStatus st = c ? memory_store(w, c, rdf, &s) : DIPKG_ERR_NO_MEMORY;
  if (!st)
    st = dipkg_store_query(s,
                           "PREFIX : <http://ex/> SELECT * { ?x (:p|:q)+/^:r? "
                           "?y . ?y !(:q|^:p) ?z } ORDER BY ?x ?y ?z",
                           "paths.rq", NULL, DIPKG_RESULTS_TSV, mem, NULL);
  dipkg_store_free(s);
  dipkg_corpus_free(c);
  fclose(mem);
  return st;
}

static DipkgWorld *new_world(bool with_ontology);

/* Casts and REPLACE, which dipkg's replacements of rasqal functions
 * answer (rasqal_fix.c): the store is loaded once, without faults, then
 * each allocation of the query alone fails in turn.  A failure inside a
 * replacement used to become an expression error, an unbound value in
 * an answer that passed for complete. */
START_TEST(test_rasqal_fix)
{
  const char *file = tu_write(
    "fix.nt", "<http://ex/a> <http://ex/p> \"+33.3300\" .\n"
              "<http://ex/b> <http://ex/p> \"caf\xc3\xa9 au lait\" .\n");
  DipkgWorld *w = new_world(true);
  DipkgCorpus *c = dipkg_corpus_new(w);
  DipkgStore *s = NULL;
  const char *rdf[] = {file, NULL};
  ck_assert_int_eq(memory_store(w, c, rdf, &s), DIPKG_SUCCESS);
  const char *text = "SELECT ?s (xsd:double(?o) AS ?d) "
                     "(REPLACE(?o, \"(a)(u)\", \"$2$1\") AS ?r) "
                     "(SUBSTR(?o, 2, 3) AS ?t) { ?s ?p ?o } ORDER BY ?s";
  char *expected = NULL, *out = NULL;
  size_t len = 0;
  unsigned long n = 1;
  for (;; n++) {
    FILE *mem = open_memstream(n == 1 ? &expected : &out, &len);
    ck_assert_ptr_nonnull(mem);
    if (n > 1)
      atomic_store(&dipkg_fault_countdown, n - 1);
    DipkgStatus st =
      dipkg_store_query(s, text, "fix.rq", NULL, DIPKG_RESULTS_TSV, mem, NULL);
    bool reached = atomic_load(&dipkg_fault_countdown) == 0;
    atomic_store(&dipkg_fault_countdown, NEVER);
    fclose(mem);
    if (n == 1) {
      ck_assert_int_eq(st, DIPKG_SUCCESS);
      ck_assert_ptr_nonnull(strstr(expected, " ua lait"));  // REPLACE ran
      continue;
    }
    ck_assert_msg(st == DIPKG_SUCCESS || st == DIPKG_ERR_NO_MEMORY,
                  "allocation %lu failed: status %s; messages:%s", n - 1,
                  dipkg_strerror(st), messages);
    if (st == DIPKG_SUCCESS)
      ck_assert_msg(!strcmp(out, expected),
                    "allocation %lu failed: succeeded with\n%s\ninstead of\n%s",
                    n - 1, out, expected);
    free(out);
    out = NULL;
    if (!reached)
      break;
  }
  printf("casts and REPLACE: allocations 1 to %lu of the query each failed "
         "in turn, all clean\n",
         n - 1);
  free(expected);
  dipkg_store_free(s);
  dipkg_corpus_free(c);
  dipkg_world_free(w);
}
END_TEST

static DipkgWorld *
new_world(bool with_ontology)
{
  atomic_store(&dipkg_fault_countdown, NEVER);
  DipkgWorld *w = dipkg_world_new();
  ck_assert_ptr_nonnull(w);
  dipkg_world_set_diagnostic_func(w, collect, NULL);
  messages[0] = '\0';
  dipkg_world_set_jobs(w, 1);
  if (with_ontology)
    ck_assert_int_eq(dipkg_world_load_ontology(w, TU_ONTOLOGY), DIPKG_SUCCESS);
  return w;
}

/* Sweeps N = 1, 2, ... over `work`; returns how many N were run. */
static unsigned long
sweep(const char *name, Workload work, bool with_ontology, bool sticky)
{
  DipkgWorld *w = new_world(with_ontology);
  char *expected = NULL;
  ck_assert_int_eq(work(w, &expected), DIPKG_SUCCESS);
  dipkg_world_free(w);
  unsigned long n = 1;
  for (;; n++) {
    w = new_world(with_ontology);
    dipkg_fault_sticky = sticky;
    atomic_store(&dipkg_fault_countdown, n);
    char *out = NULL;
    DipkgStatus st = work(w, &out);
    bool reached = atomic_load(&dipkg_fault_countdown) == 0 ||
                   (sticky && atomic_load(&dipkg_fault_countdown) == 1);
    atomic_store(&dipkg_fault_countdown, NEVER);
    dipkg_fault_sticky = 0;
    ck_assert_msg(st == DIPKG_SUCCESS || st == DIPKG_ERR_NO_MEMORY,
                  "%s, allocation %lu failed%s: status %s instead of success "
                  "or DIPKG_ERR_NO_MEMORY; messages:%s",
                  name, n, sticky ? " (and every later one)" : "",
                  dipkg_strerror(st), messages);
    if (st == DIPKG_SUCCESS)
      ck_assert_msg(out && !strcmp(out, expected),
                    "%s, allocation %lu failed%s: succeeded with a different "
                    "output",
                    name, n, sticky ? " (and every later one)" : "");
    free(out);
    dipkg_world_free(w);
    if (!reached)
      break;  // the workload makes fewer than n allocations: all covered
  }
  free(expected);
  printf("%s (%s): allocations 1 to %lu each failed in turn, all clean\n", name,
         sticky ? "and every later one" : "only that one", n - 1);
  return n - 1;
}

START_TEST(test_ontology)
{
  ck_assert_uint_gt(sweep("loading the ontology", load_ontology, false, false),
                    10);
  sweep("loading the ontology", load_ontology, false, true);
}
END_TEST

START_TEST(test_export_ntriples)
{
  ck_assert_uint_gt(
    sweep("seed export to N-Triples", export_ntriples, true, false), 50);
  sweep("seed export to N-Triples", export_ntriples, true, true);
}
END_TEST

START_TEST(test_export_plover)
{
  sweep("seed export to PLOVER records", export_plover, true, false);
  sweep("seed export to PLOVER records", export_plover, true, true);
}
END_TEST

START_TEST(test_export_turtle)
{
  sweep("seed export to Turtle", export_turtle, true, false);
  sweep("seed export to Turtle", export_turtle, true, true);
}
END_TEST

START_TEST(test_export_threads)
{
  sweep("seed export to N-Quads, 2 threads", export_nquads_threads, true, true);
}
END_TEST

START_TEST(test_export_file_gzip)
{
  sweep("seed export to a .trig.gz file", export_file_gzip, true, false);
  sweep("seed export to a .trig.gz file", export_file_gzip, true, true);
}
END_TEST

START_TEST(test_query)
{
  sweep("seed load and query in memory", query, true, false);
  sweep("seed load and query in memory", query, true, true);
}
END_TEST

START_TEST(test_paths)
{
  paths_file = tu_write("paths.ttl", "@prefix : <http://ex/> .\n"
                                     ":a :p :b . :b :p :c . :c :q :a .\n"
                                     ":c :r :d . :d :s \"x\" .\n");
  sweep("a property path query in memory", paths_query, true, false);
  sweep("a property path query in memory", paths_query, true, true);
}
END_TEST

int
main(void)
{
  query_text = tu_read_file("queries/02-reversed-measures.rq", NULL);
  if (!query_text || !*query_text) {
    fprintf(stderr, "cannot read queries/02-reversed-measures.rq\n");
    return 1;
  }
  Suite *s = suite_create("faults");
  TCase *tc = tcase_create("faults");
  tcase_set_timeout(tc, 1800);
  tcase_add_test(tc, test_ontology);
  tcase_add_test(tc, test_export_ntriples);
  tcase_add_test(tc, test_export_turtle);
  tcase_add_test(tc, test_export_threads);
  tcase_add_test(tc, test_export_file_gzip);
  tcase_add_test(tc, test_query);
  suite_add_tcase(s, tc);
  // CK_RUN_CASE=rasqal_fix sweeps it alone.
  TCase *fix = tcase_create("rasqal_fix");
  tcase_set_timeout(fix, 600);
  tcase_add_test(fix, test_rasqal_fix);
  suite_add_tcase(s, fix);
  // A case of its own: CK_RUN_CASE=plover sweeps it alone.
  TCase *plover = tcase_create("plover");
  tcase_set_timeout(plover, 1800);
  tcase_add_test(plover, test_export_plover);
  suite_add_tcase(s, plover);
  // A case of its own, on request only (DIPKG_FAULT_PATHS=1, with
  // CK_RUN_CASE=paths to sweep it alone): each run loads the ontology
  // into the store, and how long the whole sweep takes under
  // AddressSanitizer was not measured yet.
  if (getenv("DIPKG_FAULT_PATHS")) {
    TCase *paths = tcase_create("paths");
    tcase_set_timeout(paths, 3600);
    tcase_add_test(paths, test_paths);
    suite_add_tcase(s, paths);
  }
  int rc = tu_main(s);
  free(query_text);
  return rc;
}
