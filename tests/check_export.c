/* Export of whole corpora: the committed out/ is fresh, output is
 * deterministic whatever the number of threads, every syntax round-trips
 * through raptor to the same graph, named graphs, quote offsets, atomic
 * files. */
#include "testutil.h"

#include "buf.h"
#include "rdf_raptor.h"
#include "utf8.h"
#include "vocab.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const seed[] = {TU_FACTS, NULL};
static const char *const corpus[] = {TU_CORPUS, NULL};

static char *
export_seed(DipkgFormat format, unsigned jobs)
{
  DipkgStatus st;
  char *text = tu_export(seed, format, jobs, &st);
  ck_assert_msg(st == DIPKG_SUCCESS, "export failed: %s", tu_diags());
  return text;
}

static const char *
save(const char *name, const char *text)
{
  return tu_write(name, text);
}

START_TEST(test_out_is_fresh)
{
  static const struct {
    DipkgFormat format;
    const char *path;
  } outs[] = {{DIPKG_FORMAT_TURTLE, "out/corpus.ttl"},
              {DIPKG_FORMAT_NTRIPLES, "out/corpus.nt"},
              {DIPKG_FORMAT_NQUADS, "out/corpus.nq"}};
  for (size_t i = 0; i < 3; i++) {
    DipkgStatus st;
    char *now = tu_export(corpus, outs[i].format, 0, &st);
    ck_assert_msg(st == DIPKG_SUCCESS, "export failed: %s", tu_diags());
    char *committed = tu_read_file(outs[i].path, NULL);
    ck_assert_msg(committed != NULL, "%s is missing: run 'make run'",
                  outs[i].path);
    ck_assert_msg(!strcmp(now, committed),
                  "%s is stale: it differs from an export of facts/; run "
                  "'make run' and commit out/",
                  outs[i].path);
    free(now);
    free(committed);
  }
}
END_TEST

START_TEST(test_seed_counts)
{
  DipkgWorld *w = tu_world();
  DipkgCorpus *c = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(c, TU_FACTS), DIPKG_SUCCESS);
  DipkgStats *stats;
  ck_assert_int_eq(dipkg_corpus_stats(c, &stats), DIPKG_SUCCESS);
  ck_assert_uint_eq(dipkg_stats_count(stats, DIPKG_COUNT_FILES), 2);
  ck_assert_uint_eq(dipkg_stats_count(stats, DIPKG_COUNT_ARTICLES), 1);
  ck_assert_uint_eq(dipkg_stats_count(stats, DIPKG_COUNT_EVENTS), 27);
  ck_assert_uint_eq(dipkg_stats_count(stats, DIPKG_COUNT_ENTITIES), 28);
  ck_assert_uint_eq(dipkg_stats_count(stats, DIPKG_COUNT_QUOTES), 33);
  ck_assert_uint_eq(dipkg_stats_count(stats, DIPKG_COUNT_ERRORS), 0);
  // The triple count is that of the N-Triples export.
  char *nt = export_seed(DIPKG_FORMAT_NTRIPLES, 0);
  size_t lines = 0;
  for (const char *p = nt; *p; p++)
    lines += *p == '\n';
  ck_assert_uint_eq(dipkg_stats_count(stats, DIPKG_COUNT_TRIPLES), lines);
  free(nt);
  // Events by type: the rows are sorted, events first.
  int is_event;
  uint64_t n;
  ck_assert_str_eq(dipkg_stats_class(stats, 0, &is_event, &n), "Agreement");
  ck_assert(is_event);
  ck_assert_uint_eq(n, 3);
  dipkg_stats_free(stats);
  dipkg_corpus_free(c);
  tu_world_free(w);
}
END_TEST

START_TEST(test_round_trip)
{
  // raptor reads each syntax back to the same graph.
  char *nt = export_seed(DIPKG_FORMAT_NTRIPLES, 0);
  char *ttl = export_seed(DIPKG_FORMAT_TURTLE, 0);
  char *xml = export_seed(DIPKG_FORMAT_RDFXML, 0);
  char *from_nt = tu_canonical(save("seed.nt", nt));
  char *from_ttl = tu_canonical(save("seed.ttl", ttl));
  char *from_xml = tu_canonical(save("seed.rdf", xml));
  ck_assert_ptr_nonnull(from_nt);
  ck_assert_ptr_nonnull(from_ttl);
  ck_assert_ptr_nonnull(from_xml);
  ck_assert_str_eq(from_ttl, from_nt);
  ck_assert_str_eq(from_xml, from_nt);
  // ...and what raptor reads is what we wrote, statement for statement.
  char *sorted = tu_sorted_lines(nt);
  ck_assert_str_eq(from_nt, sorted);
  free(sorted);
  free(nt), free(ttl), free(xml);
  free(from_nt), free(from_ttl), free(from_xml);
}
END_TEST

/* Drops the graph term of each N-Quads line. */
static char *
strip_graphs(const char *nq)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  const char *line = nq;
  while (*line) {
    const char *end = strchr(line, '\n');
    const char *g = end;
    while (g > line && g[-1] != '<')
      g--;
    dipkg_buf_append(&b, line, (size_t)(g - 1 - line));
    dipkg_buf_append(&b, ".\n", 2);
    line = end + 1;
  }
  char *s = dipkg_buf_take(&b);
  char *sorted = tu_sorted_lines(s);
  free(s);
  return sorted;
}

START_TEST(test_named_graphs)
{
  // The article's statements in its graph, each entity's in its own; no
  // statement twice, so the union is exactly the N-Triples graph.
  char *nq = export_seed(DIPKG_FORMAT_NQUADS, 0);
  char *canon = tu_canonical(save("seed.nq", nq));
  ck_assert_ptr_nonnull(canon);
  size_t article = 0, entity = 0;
  for (const char *line = nq; *line; line = strchr(line, '\n') + 1) {
    const char *end = strchr(line, '\n');
    const char *a = "<https://example.org/dipkg/graph/"
                    "ap-2023-03-23-japan-south-korea-export-claims> .\n";
    size_t la = strlen(a), n = (size_t)(end + 1 - line);
    const char *g = strstr(line, " <https://example.org/dipkg/graph/entity/");
    if (n > la && !strncmp(end + 1 - la, a, la)) {
      article++;
    } else if (g && g < end) {
      // An entity's statements are in the graph named after it.
      const char *id = g + strlen(" <https://example.org/dipkg/graph/entity/");
      size_t idlen = (size_t)(strchr(id, '>') - id);
      char subject[300];
      snprintf(subject, sizeof subject,
               "<https://example.org/dipkg/entity/%.*s", (int)idlen, id);
      char record[300];  // the graph's own record: the graph is its subject
      snprintf(record, sizeof record,
               "<https://example.org/dipkg/graph/entity/%.*s> ", (int)idlen,
               id);
      ck_assert_msg(!strncmp(line, subject, strlen(subject)) ||
                      !strncmp(line, record, strlen(record)),
                    "in the wrong graph: %.*s", (int)n, line);
      entity++;
    } else {
      ck_abort_msg("a quad outside the expected graphs: %.*s", (int)n, line);
    }
  }
  ck_assert_uint_gt(article, 400);
  ck_assert_uint_gt(entity, 100);
  char *nt = export_seed(DIPKG_FORMAT_NTRIPLES, 0);
  char *merged = strip_graphs(nq);
  char *sorted = tu_sorted_lines(nt);
  ck_assert_str_eq(merged, sorted);
  size_t lines_nq = 0, lines_nt = 0;
  for (const char *p = nq; *p; p++)
    lines_nq += *p == '\n';
  for (const char *p = nt; *p; p++)
    lines_nt += *p == '\n';
  ck_assert_uint_eq(lines_nq, lines_nt);
  free(nq), free(canon), free(nt), free(merged), free(sorted);
}
END_TEST

START_TEST(test_shared_entity_definitions)
{
  // The same entity, identical in two files: written once (the first
  // definition in input order), in its own graph.
  const char *dir = tu_write(
    "shared/a.yaml", "entities: [{id: land, type: Country, name: Land}]\n");
  tu_write(
    "shared/b.yaml",
    "article: {id: b, headline: B, publisher: p, published: 2020-01-01}\n"
    "entities:\n"
    "  - {id: land, type: Country, name: Land}\n"
    "  - {id: p, type: NewsOrganization, name: P}\n");
  char dirpath[600];
  snprintf(dirpath, sizeof dirpath, "%.*s", (int)(strrchr(dir, '/') - dir),
           dir);
  const char *paths[] = {dirpath, NULL};
  DipkgStatus st;
  char *nq = tu_export(paths, DIPKG_FORMAT_NQUADS, 0, &st);
  ck_assert_int_eq(st, DIPKG_SUCCESS);
  const char *label = "<https://example.org/dipkg/entity/land> <" RDFS
                      "label> \"Land\"@en <https://example.org/dipkg/graph/"
                      "entity/land> .\n";
  const char *first = strstr(nq, label);
  ck_assert_ptr_nonnull(first);
  ck_assert_ptr_null(strstr(first + 1, label));
  // a.yaml came first: its definition (without an article) is the one kept.
  // What derives from an article is the record (the entity's graph), not
  // the entity.
  ck_assert_ptr_null(
    strstr(nq, "<https://example.org/dipkg/graph/entity/land> <" PROV
               "wasDerivedFrom>"));
  ck_assert_ptr_null(strstr(nq, "<https://example.org/dipkg/entity/p> <" PROV
                                "wasDerivedFrom>"));
  ck_assert_ptr_nonnull(
    strstr(nq, "<https://example.org/dipkg/graph/entity/p> <" PROV
               "wasDerivedFrom> <https://example.org/dipkg/"
               "article/b> <https://example.org/dipkg/"
               "graph/entity/p> .\n"));
  free(nq);
}
END_TEST

/* A synthetic corpus of `n` articles in the scratch directory, with
 * references across files, for the determinism tests. */
static const char *
make_corpus(int n)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(
    &b, "entities:\n  - {id: agency, type: NewsOrganization, name: Agency}\n");
  for (int i = 0; i < 20; i++)
    dipkg_buf_printf(&b, "  - {id: c%d, type: Country, name: \"Country %d\"}\n",
                     i, i);
  tu_write("corpus/entities.yaml", dipkg_buf_cstr(&b));
  for (int a = 0; a < n; a++) {
    dipkg_buf_clear(&b);
    dipkg_buf_printf(
      &b,
      "article: {id: art-%d, headline: \"Headline %d\", "
      "publisher: agency, published: 2020-01-%02d}\n"
      "entities:\n  - {id: topic-%d, type: Topic, name: \"Topic %d\"}\n"
      "events:\n",
      a, a, a % 28 + 1, a, a);
    for (int e = 0; e < 12; e++)
      dipkg_buf_printf(&b,
                       "  - id: ev-%d-%d\n    type: %s\n    date: 2020-%02d\n"
                       "    actors: [c%d]\n    targets: [c%d]\n"
                       "    concerns: [topic-%d]\n%s",
                       a, e, e % 2 ? "Summit" : "ExportControlsImposed",
                       e % 12 + 1, (a + e) % 20, (a + e + 1) % 20,
                       (a + e) % (a + 1),
                       a && e == 0 ? "    follows: ev-0-1\n" : "");
    char name[64];
    snprintf(name, sizeof name, "corpus/a%03d.yaml", a);
    tu_write(name, dipkg_buf_cstr(&b));
  }
  dipkg_buf_free(&b);
  static char dir[600];
  snprintf(dir, sizeof dir, "%s/corpus", tu_scratch());
  return dir;
}

START_TEST(test_deterministic_across_threads)
{
  const char *paths[] = {make_corpus(60), NULL};
  static const DipkgFormat formats[] = {
    DIPKG_FORMAT_TURTLE, DIPKG_FORMAT_NTRIPLES, DIPKG_FORMAT_NQUADS};
  for (size_t f = 0; f < 3; f++) {
    DipkgStatus st;
    char *one = tu_export(paths, formats[f], 1, &st);
    ck_assert_msg(st == DIPKG_SUCCESS, "%s", tu_diags());
    ck_assert_uint_gt(strlen(one), 100000);
    static const unsigned jobs[] = {1, 2, 3, 8};
    for (size_t j = 0; j < 4; j++) {
      char *again = tu_export(paths, formats[f], jobs[j], &st);
      ck_assert_int_eq(st, DIPKG_SUCCESS);
      ck_assert_msg(!strcmp(one, again), "format %zu with %u threads differs",
                    f, jobs[j]);
      free(again);
    }
    free(one);
  }
}
END_TEST

START_TEST(test_errors_deterministic_across_threads)
{
  // Errors spread over many files come out in the same order whatever the
  // number of threads.
  const char *dir = make_corpus(30);
  tu_write("corpus/a007.yaml", "events: [{id: x}]\n");
  tu_write("corpus/a019.yaml", "article: {id: z, headline: H, publisher: "
                               "nobody, published: 2020-01-01}\n");
  const char *paths[] = {dir, NULL};
  DipkgStatus st;
  free(tu_export(paths, DIPKG_FORMAT_NTRIPLES, 1, &st));
  ck_assert_int_eq(st, DIPKG_ERR_DATA);
  char *expected = strdup(tu_diags());
  ck_assert_ptr_nonnull(
    strstr(expected, "a007.yaml:1:10: error: event 'x' has no 'type'"));
  ck_assert_ptr_nonnull(
    strstr(expected, "a019.yaml:1:42: error: unknown entity 'nobody'"));
  for (unsigned jobs = 2; jobs <= 8; jobs *= 2) {
    free(tu_export(paths, DIPKG_FORMAT_NTRIPLES, jobs, &st));
    ck_assert_int_eq(st, DIPKG_ERR_DATA);
    ck_assert_str_eq(tu_diags(), expected);
  }
  free(expected);
}
END_TEST

typedef struct QuoteSeen {
  char subject[256];
  char anchor[2048];
  long begin, end;
} QuoteSeen;

typedef struct Quotes {
  QuoteSeen items[64];
  size_t n;
} Quotes;

static QuoteSeen *
quote_of(Quotes *q, const DipkgTerm *s)
{
  for (size_t i = 0; i < q->n; i++)
    if (strlen(q->items[i].subject) == s->len &&
        !memcmp(q->items[i].subject, s->str, s->len))
      return &q->items[i];
  ck_assert_uint_lt(q->n, 64);
  QuoteSeen *n = &q->items[q->n++];
  memset(n, 0, sizeof *n);
  n->begin = n->end = -1;
  snprintf(n->subject, sizeof n->subject, "%.*s", (int)s->len, s->str);
  return n;
}

static DipkgStatus
collect_quotes(void *user, const DipkgTerm *s, const DipkgTerm *p,
               const DipkgTerm *o, const DipkgTerm *g)
{
  (void)g;
  if (!strstr(s->str, "#quote-"))
    return DIPKG_SUCCESS;
  QuoteSeen *q = quote_of(user, s);
  if (!strcmp(p->str, NIF "anchorOf"))
    snprintf(q->anchor, sizeof q->anchor, "%.*s", (int)o->len, o->str);
  else if (!strcmp(p->str, NIF "beginIndex"))
    q->begin = atol(o->str);
  else if (!strcmp(p->str, NIF "endIndex"))
    q->end = atol(o->str);
  return DIPKG_SUCCESS;
}

/* Byte offset of code point `cp` in `s`. */
static size_t
byte_at(const char *s, long cp)
{
  size_t i = 0;
  for (long k = 0; k < cp; k++) {
    uint32_t c;
    i += dipkg_utf8_decode(s + i, strlen(s + i), &c);
  }
  return i;
}

START_TEST(test_quote_offsets)
{
  // Every quote's nif:anchorOf is exactly the text between its offsets,
  // counted in code points (the seed text has many multi-byte characters).
  char *nt = export_seed(DIPKG_FORMAT_NTRIPLES, 0);
  Quotes q = {0};
  DipkgDiagList list = {0};
  ck_assert_int_eq(dipkg_rdf_parse_file(save("q.nt", nt), "q.nt", "ntriples",
                                        collect_quotes, &q, &list),
                   DIPKG_SUCCESS);
  char *text = tu_read_file(
    TU_FACTS "/ap-2023-03-23-japan-south-korea-export-claims.txt", NULL);
  ck_assert_uint_eq(q.n, 33);
  for (size_t i = 0; i < q.n; i++) {
    ck_assert_int_ge(q.items[i].begin, 0);
    ck_assert_int_gt(q.items[i].end, q.items[i].begin);
    size_t b = byte_at(text, q.items[i].begin),
           e = byte_at(text, q.items[i].end);
    ck_assert_msg(strlen(q.items[i].anchor) == e - b &&
                    !memcmp(text + b, q.items[i].anchor, e - b),
                  "%s: the offsets do not point at its anchor",
                  q.items[i].subject);
  }
  free(text);
  free(nt);
}
END_TEST

START_TEST(test_base_iri)
{
  DipkgWorld *w = tu_world();
  ck_assert_int_eq(dipkg_world_set_base(w, "http://data.example.net/kg/"),
                   DIPKG_SUCCESS);
  ck_assert_str_eq(dipkg_world_base(w), "http://data.example.net/kg/");
  DipkgCorpus *c = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(c, TU_FACTS), DIPKG_SUCCESS);
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  ck_assert_int_eq(dipkg_corpus_write(c, DIPKG_FORMAT_NQUADS, mem, NULL),
                   DIPKG_SUCCESS);
  fclose(mem);
  ck_assert_ptr_null(strstr(text, "example.org"));
  ck_assert_ptr_nonnull(strstr(text, "<http://data.example.net/kg/event/"
                                     "japan-lifts-export-controls-2023> "));
  ck_assert_ptr_nonnull(
    strstr(text, " <http://data.example.net/kg/graph/entity/japan> .\n"));
  free(text);
  dipkg_corpus_free(c);
  // Bad bases are refused and the old one kept.
  static const char *const bad[] = {"ftp://x/", "http://x/no-slash",
                                    "http://x/a b/", "relative/", ""};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_int_eq(dipkg_world_set_base(w, bad[i]), DIPKG_ERR_USAGE);
  ck_assert_str_eq(dipkg_world_base(w), "http://data.example.net/kg/");
  ck_assert_ptr_nonnull(strstr(tu_diags(),
                               "invalid base IRI 'http://x/no-slash': "
                               "the base IRI must end with '/' or '#'"));
  tu_world_free(w);
}
END_TEST

static size_t
count_entries(const char *dir)
{
  DIR *d = opendir(dir);
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    n += e->d_name[0] != '.' || strstr(e->d_name, ".tmp-") != NULL;
  closedir(d);
  return n;
}

START_TEST(test_atomic_output)
{
  char outdir[600], target[700];
  snprintf(outdir, sizeof outdir, "%s/atomic", tu_scratch());
  snprintf(target, sizeof target, "%s/graph.ttl", outdir);
  tu_write("atomic/keep.txt", "");
  DipkgWorld *w = tu_world();
  DipkgCorpus *good = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(good, TU_FACTS), DIPKG_SUCCESS);
  ck_assert_int_eq(dipkg_corpus_export(good, DIPKG_FORMAT_TURTLE, target, NULL),
                   DIPKG_SUCCESS);
  char *before = tu_read_file(target, NULL);
  ck_assert_ptr_nonnull(before);
  ck_assert_uint_eq(count_entries(outdir), 2);  // keep.txt and graph.ttl

  const char *broken =
    tu_write("broken.yaml", "events: [{id: x, type: Summit, date: 2020}]\n");
  DipkgCorpus *bad = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(bad, TU_FACTS), DIPKG_SUCCESS);
  ck_assert_int_eq(dipkg_corpus_add_path(bad, broken), DIPKG_SUCCESS);
  ck_assert_int_eq(dipkg_corpus_export(bad, DIPKG_FORMAT_TURTLE, target, NULL),
                   DIPKG_ERR_DATA);
  char *after = tu_read_file(target, NULL);
  ck_assert_str_eq(after, before);
  ck_assert_uint_eq(count_entries(outdir), 2);  // no temporary file left

  // A directory that does not exist: an I/O error naming the file.
  tu_diags_clear();
  ck_assert_int_eq(dipkg_corpus_export(good, DIPKG_FORMAT_TURTLE,
                                       "/nonexistent-dir/x.ttl", NULL),
                   DIPKG_ERR_IO);
  ck_assert_ptr_nonnull(strstr(tu_diags(),
                               "/nonexistent-dir/x.ttl: error: cannot "
                               "write: No such file or directory"));
  free(before);
  free(after);
  dipkg_corpus_free(good);
  dipkg_corpus_free(bad);
  tu_world_free(w);
}
END_TEST

START_TEST(test_paths)
{
  DipkgWorld *w = tu_world();
  DipkgCorpus *c = dipkg_corpus_new(w);
  // The same file twice, and through its directory: read once.
  ck_assert_int_eq(dipkg_corpus_add_path(c, TU_FACTS "/entities.yaml"),
                   DIPKG_SUCCESS);
  ck_assert_int_eq(dipkg_corpus_add_path(c, TU_FACTS), DIPKG_SUCCESS);
  ck_assert_int_eq(dipkg_corpus_add_path(c, TU_FACTS "/../seed/entities.yaml"),
                   DIPKG_SUCCESS);
  ck_assert_uint_eq(dipkg_corpus_n_files(c), 2);
  ck_assert_int_eq(dipkg_corpus_validate(c, NULL), DIPKG_SUCCESS);
  ck_assert_int_eq(dipkg_corpus_add_path(c, "no/such/file.yaml"), DIPKG_ERR_IO);
  ck_assert_ptr_nonnull(strstr(tu_diags(),
                               "no/such/file.yaml: error: cannot read: "
                               "No such file or directory"));
  tu_write("empty-dir/readme.txt", "not facts");
  char dir[600];
  snprintf(dir, sizeof dir, "%s/empty-dir", tu_scratch());
  ck_assert_int_eq(dipkg_corpus_add_path(c, dir), DIPKG_ERR_USAGE);
  ck_assert_ptr_nonnull(
    strstr(tu_diags(), "the directory holds no facts files"));
  dipkg_corpus_free(c);
  tu_world_free(w);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("export");
  TCase *tc = tcase_create("export");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_out_is_fresh);
  tcase_add_test(tc, test_seed_counts);
  tcase_add_test(tc, test_round_trip);
  tcase_add_test(tc, test_named_graphs);
  tcase_add_test(tc, test_shared_entity_definitions);
  tcase_add_test(tc, test_deterministic_across_threads);
  tcase_add_test(tc, test_errors_deterministic_across_threads);
  tcase_add_test(tc, test_quote_offsets);
  tcase_add_test(tc, test_base_iri);
  tcase_add_test(tc, test_atomic_output);
  tcase_add_test(tc, test_paths);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
