/* Fuzz target: the facts reader and mapper.  The input is one facts file
 * (YAML bytes).  Whatever it holds, dipkg must not crash, leak or hang;
 * and when it accepts the file, its N-Triples and its Turtle must both
 * parse (raptor) to the same set of statements: no input can make the
 * writers emit broken or different RDF. */
#include "fuzz.h"

#include "dipkg.h"

#include <raptor2.h>
#include <string.h>

static DipkgWorld *world;
static raptor_world *raptor;

static void
ignore(void *user, const DipkgDiagnostic *d)
{
  (void)user;
  (void)d;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  world = dipkg_world_new();
  raptor = raptor_new_world();
  FUZZ_ASSERT(world && raptor, "out of memory");
  const char *onto = getenv("DIPKG_ONTOLOGY");
  FUZZ_ASSERT(!dipkg_world_load_ontology(world, onto ? onto : "ontology"),
              "cannot load the ontology (run from the repository root, or "
              "set DIPKG_ONTOLOGY)");
  dipkg_world_set_jobs(world, 1);
  dipkg_world_set_diagnostic_func(world, ignore, NULL);
  return 0;
}

/* The statements of a parsed document, each as an N-Triples line. */
typedef struct Parsed {
  char **lines;
  size_t n, cap;
  int errors;
} Parsed;

static void
on_statement(void *user, raptor_statement *st)
{
  Parsed *p = user;
  char *s = (char *)raptor_term_to_string(st->subject);
  char *pr = (char *)raptor_term_to_string(st->predicate);
  char *o = (char *)raptor_term_to_string(st->object);
  FUZZ_ASSERT(s && pr && o, "out of memory");
  if (p->n == p->cap) {
    p->cap = p->cap ? 2 * p->cap : 256;
    p->lines = realloc(p->lines, p->cap * sizeof *p->lines);
    FUZZ_ASSERT(p->lines, "out of memory");
  }
  size_t len = strlen(s) + strlen(pr) + strlen(o) + 3;
  char *line = malloc(len);
  FUZZ_ASSERT(line, "out of memory");
  snprintf(line, len, "%s %s %s", s, pr, o);
  p->lines[p->n++] = line;
  raptor_free_memory(s);
  raptor_free_memory(pr);
  raptor_free_memory(o);
}

static void
on_log(void *user, raptor_log_message *m)
{
  Parsed *p = user;
  if (m->level >= RAPTOR_LOG_LEVEL_ERROR) {
    p->errors++;
    fprintf(stderr, "raptor: %s\n", m->text);
  }
}

static int
compare(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
parse(const char *syntax, const char *text, size_t len, Parsed *out)
{
  raptor_world_set_log_handler(raptor, out, on_log);
  raptor_parser *p = raptor_new_parser(raptor, syntax);
  raptor_uri *base =
    raptor_new_uri(raptor, (const unsigned char *)"https://example.org/");
  FUZZ_ASSERT(p && base, "out of memory");
  raptor_parser_set_statement_handler(p, out, on_statement);
  raptor_parser_parse_start(p, base);
  raptor_parser_parse_chunk(p, (const unsigned char *)text, len, 1);
  raptor_free_parser(p);
  raptor_free_uri(base);
  if (out->n)
    qsort(out->lines, out->n, sizeof *out->lines, compare);
}

static void
parsed_free(Parsed *p)
{
  for (size_t i = 0; i < p->n; i++)
    free(p->lines[i]);
  free(p->lines);
}

/* The export of the input in `format`, or NULL if dipkg refused it. */
static char *
export(const uint8_t *data, size_t size, DipkgFormat format, size_t *len)
{
  DipkgCorpus *c = dipkg_corpus_new(world);
  FUZZ_ASSERT(c, "out of memory");
  char *out = NULL;
  FILE *mem = open_memstream(&out, len);
  FUZZ_ASSERT(mem, "out of memory");
  DipkgStatus st = dipkg_corpus_add_buffer(c, "fuzz.yaml", data, size);
  if (!st)
    st = dipkg_corpus_write(c, format, mem, NULL);
  fclose(mem);
  dipkg_corpus_free(c);
  FUZZ_ASSERT(st == DIPKG_SUCCESS || st == DIPKG_ERR_DATA ||
                st == DIPKG_ERR_LIMIT,
              "unexpected status %d", (int)st);
  if (st) {
    free(out);
    return NULL;
  }
  return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  size_t nt_len = 0, ttl_len = 0;
  char *nt = export(data, size, DIPKG_FORMAT_NTRIPLES, &nt_len);
  if (!nt)
    return 0;
  char *ttl = export(data, size, DIPKG_FORMAT_TURTLE, &ttl_len);
  FUZZ_ASSERT(ttl, "accepted for N-Triples but refused for Turtle");
  Parsed a = {0}, b = {0};
  parse("ntriples", nt, nt_len, &a);
  parse("turtle", ttl, ttl_len, &b);
  FUZZ_ASSERT(!a.errors && !b.errors, "the export does not parse");
  FUZZ_ASSERT(a.n == b.n, "N-Triples has %zu statements, Turtle %zu", a.n,
              b.n);
  for (size_t i = 0; i < a.n; i++)
    FUZZ_ASSERT(!strcmp(a.lines[i], b.lines[i]),
                "N-Triples and Turtle differ:\n  %s\n  %s", a.lines[i],
                b.lines[i]);
  parsed_free(&a);
  parsed_free(&b);
  free(nt);
  free(ttl);
  return 0;
}
