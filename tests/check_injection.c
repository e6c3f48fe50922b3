/* No string in any field can add, drop or change a statement: random
 * hostile strings go through every output syntax, and raptor (and serdi)
 * read back exactly the expected graph with the exact literal values.
 * Hostile ids, IRIs and Wikidata ids are refused before anything is
 * written. */
#include "testutil.h"

#include "buf.h"
#include "rdf_raptor.h"
#include "vocab.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROUNDS = 60, FIELDS = 9 };

static const char *const pieces[] = {
  "\"",
  "\\",
  "'",
  "\"\"\"",
  "'''",
  ">",
  "<",
  " .",
  " .\n",
  "\n",
  "\r\n",
  "\t",
  "<http://evil.example/s> <http://evil.example/p> \"o\" .",
  "\" .\n<http://evil.example/s> <http://evil.example/p> \"",
  "@en",
  "^^<http://www.w3.org/2001/XMLSchema#integer>",
  "_:b0",
  "#",
  ";",
  ",",
  "\\u0022",
  "\\\"",
  "\xE2\x80\xA8",
  "\xF0\x9F\x98\x80",
  "\xC3\xA9",
  "\xE6\x97\xA5\xE6\x9C\xAC",
  "}",
  "{",
  "|",
  "^",
  "`",
  "%00",
  "%",
  "]]>",
  "<![CDATA[",
  "&amp;",
  "&",
  "</dip:headline>",
  "\\n",
  "\"@en .\n",
  "text",
  " ",
  "x",
  "\xE2\x80\x8F",
  "\"^^xsd:string",
  ")",
  "(",
  "@prefix a: <b> .",
  "\xEF\xBB\xBF",
  "\xC2\x85",
  "\xE2\x80\xA9"};

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t
next(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}

/* A random hostile string that does not start or end with white space
 * (YAML keeps it, but a trimmed string is also what a curator writes). */
static char *
hostile(void)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_putc(&b, 'h');
  int n = 1 + (int)(next() % 8);
  for (int i = 0; i < n; i++)
    dipkg_buf_puts(&b, pieces[next() % (sizeof pieces / sizeof *pieces)]);
  dipkg_buf_putc(&b, 'h');
  return dipkg_buf_take(&b);
}

/* `s` as a YAML double-quoted scalar.  YAML folds raw line breaks, and
 * counts NEL, LS and PS as line breaks: those are written as escapes. */
static void
yaml_quoted(DipkgBuf *b, const char *s)
{
  dipkg_buf_putc(b, '"');
  for (; *s; s++) {
    if (!strncmp(s, "\xC2\x85", 2)) {
      dipkg_buf_puts(b, "\\N");
      s++;
      continue;
    }
    if (!strncmp(s, "\xE2\x80\xA8", 3) || !strncmp(s, "\xE2\x80\xA9", 3)) {
      dipkg_buf_puts(b, s[2] == '\xA8' ? "\\L" : "\\P");
      s += 2;
      continue;
    }
    switch (*s) {
    case '"':
      dipkg_buf_puts(b, "\\\"");
      break;
    case '\\':
      dipkg_buf_puts(b, "\\\\");
      break;
    case '\n':
      dipkg_buf_puts(b, "\\n");
      break;
    case '\r':
      dipkg_buf_puts(b, "\\r");
      break;
    case '\t':
      dipkg_buf_puts(b, "\\t");
      break;
    default:
      dipkg_buf_putc(b, *s);
    }
  }
  dipkg_buf_putc(b, '"');
}

/* Writes a facts file whose nine free-text fields hold `v[0..8]`. */
static const char *
facts_with(char *const *v)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, "article:\n  id: inj\n  headline: ");
  yaml_quoted(&b, v[0]);
  dipkg_buf_puts(&b,
                 "\n  publisher: pub\n  published: 2021-02-03\n  authors: [");
  yaml_quoted(&b, v[1]);
  dipkg_buf_puts(
    &b, "]\n  url: \"https://news.example/a?b=c&d=e#f\"\n"
        "entities:\n  - id: pub\n    type: NewsOrganization\n    name: ");
  yaml_quoted(&b, v[2]);
  dipkg_buf_puts(&b, "\n    aliases: [");
  yaml_quoted(&b, v[3]);
  dipkg_buf_puts(&b, "]\n    description: ");
  yaml_quoted(&b, v[4]);
  dipkg_buf_puts(&b, "\n  - id: who\n    type: Person\n    name: Who\n"
                     "    positions:\n      - title: ");
  yaml_quoted(&b, v[5]);
  dipkg_buf_puts(&b,
                 "\n        from: 2020\nevents:\n  - id: ev\n    type: Summit\n"
                 "    date: 2021-02\n    participants: [who]\n    title: ");
  yaml_quoted(&b, v[6]);
  dipkg_buf_puts(&b, "\n    summary: ");
  yaml_quoted(&b, v[7]);
  dipkg_buf_puts(&b, "\n    quotes: [");
  yaml_quoted(&b, v[8]);
  dipkg_buf_puts(&b, "]\n");
  const char *path = tu_write("inj.yaml", dipkg_buf_cstr(&b));
  dipkg_buf_free(&b);
  return path;
}

/* The predicate that carries field i, and its subject. */
static const struct {
  const char *subject, *predicate;
} field_at[FIELDS] = {
  {"https://example.org/dipkg/article/inj", DIP "headline"},
  {"https://example.org/dipkg/article/inj", DIP "author"},
  {"https://example.org/dipkg/entity/pub", RDFS "label"},
  {"https://example.org/dipkg/entity/pub", SKOS "altLabel"},
  {"https://example.org/dipkg/entity/pub", DIP "description"},
  {"https://example.org/dipkg/entity/who#position-1", DIP "title"},
  {"https://example.org/dipkg/event/ev", RDFS "label"},
  {"https://example.org/dipkg/event/ev", DIP "summary"},
  {"https://example.org/dipkg/event/ev#quote-1", NIF "anchorOf"},
};

typedef struct Seen {
  char *const *values;
  size_t statements;
  int found[FIELDS];
  int wrong[FIELDS];
} Seen;

static DipkgStatus
check_statement(void *user, const DipkgTerm *s, const DipkgTerm *p,
                const DipkgTerm *o, const DipkgTerm *g)
{
  (void)g;
  Seen *seen = user;
  seen->statements++;
  for (int i = 0; i < FIELDS; i++) {
    if (strcmp(s->str, field_at[i].subject) ||
        strcmp(p->str, field_at[i].predicate))
      continue;
    bool same = o->kind == DIPKG_TERM_LITERAL &&
                o->len == strlen(seen->values[i]) &&
                !memcmp(o->str, seen->values[i], o->len);
    if (same)
      seen->found[i]++;
    else
      seen->wrong[i]++;
  }
  return DIPKG_SUCCESS;
}

static size_t baseline;  // statements in the graph of benign values

static void
check_file(const char *path, char *const *v, size_t expected)
{
  Seen seen = {v, 0, {0}, {0}};
  DipkgDiagList diags = {0};
  DipkgStatus st =
    dipkg_rdf_parse_file(path, path, dipkg_rdf_syntax_for_path(path),
                         check_statement, &seen, &diags);
  ck_assert_msg(st == DIPKG_SUCCESS, "%s does not parse: %s", path,
                diags.n ? diags.items[0].message : "?");
  dipkg_diag_list_clear(&diags);
  ck_assert_msg(seen.statements == expected, "%s: %zu statements, expected %zu",
                path, seen.statements, expected);
  for (int i = 0; i < FIELDS; i++)
    ck_assert_msg(seen.found[i] == 1 && seen.wrong[i] == 0,
                  "%s: field %d: found %d, wrong %d (value %s)", path, i,
                  seen.found[i], seen.wrong[i], v[i]);
}

static void
export_to(const char *facts, DipkgFormat f, const char *name, char *path,
          size_t size)
{
  snprintf(path, size, "%s/%s", tu_scratch(), name);
  DipkgWorld *w = tu_world();
  DipkgCorpus *c = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(c, facts), DIPKG_SUCCESS);
  DipkgStatus st = dipkg_corpus_export(c, f, path, NULL);
  ck_assert_msg(st == DIPKG_SUCCESS, "export failed: %s", tu_diags());
  dipkg_corpus_free(c);
  tu_world_free(w);
}

START_TEST(test_hostile_literals)
{
  char *benign[FIELDS];
  for (int i = 0; i < FIELDS; i++)
    benign[i] = strdup("plain");
  char path[700];
  export_to(facts_with(benign), DIPKG_FORMAT_NTRIPLES, "benign.nt", path,
            sizeof path);
  Seen seen = {benign, 0, {0}, {0}};
  DipkgDiagList diags = {0};
  ck_assert_int_eq(dipkg_rdf_parse_file(path, path,
                                        dipkg_rdf_syntax_for_path(path),
                                        check_statement, &seen, &diags),
                   DIPKG_SUCCESS);
  baseline = seen.statements;
  ck_assert_uint_gt(baseline, 30);
  for (int i = 0; i < FIELDS; i++)
    free(benign[i]);

  static const struct {
    DipkgFormat format;
    const char *name, *serdi;
  } formats[] = {{DIPKG_FORMAT_NTRIPLES, "h.nt", "ntriples"},
                 {DIPKG_FORMAT_TURTLE, "h.ttl", "turtle"},
                 {DIPKG_FORMAT_NQUADS, "h.nq", "nquads"},
                 {DIPKG_FORMAT_RDFXML, "h.rdf", NULL}};
  for (int round = 0; round < ROUNDS; round++) {
    char *v[FIELDS];
    for (int i = 0; i < FIELDS; i++)
      v[i] = hostile();
    const char *facts = facts_with(v);
    for (size_t f = 0; f < 4; f++) {
      export_to(facts, formats[f].format, formats[f].name, path, sizeof path);
      check_file(path, v, baseline);
      if (formats[f].serdi && round % 6 == 0) {
        // An independent parser agrees on the number of statements.
        char cmd[1024], *n = NULL;
        snprintf(cmd, sizeof cmd, "serdi -i %s -o nquads '%s' | wc -l",
                 formats[f].serdi, path);
        ck_assert_int_eq(tu_run(cmd, &n, NULL), 0);
        ck_assert_msg((size_t)atol(n) == baseline,
                      "serdi reads %s statements "
                      "from %s",
                      n, formats[f].name);
        free(n);
      }
    }
    for (int i = 0; i < FIELDS; i++)
      free(v[i]);
  }
}
END_TEST

static void
expect_refused(const char *yaml, const char *message)
{
  const char *facts = tu_write("refused.yaml", yaml);
  const char *paths[] = {"tests/data/gazetteer.yaml", facts, NULL};
  DipkgStatus st;
  char *out = tu_export(paths, DIPKG_FORMAT_NTRIPLES, 1, &st);
  ck_assert_msg(st == DIPKG_ERR_DATA, "accepted: %s", yaml);
  ck_assert_msg(strstr(tu_diags(), message) != NULL,
                "for %s: expected '%s', got %s", yaml, message, tu_diags());
  // Nothing of the refused file reached the output.
  ck_assert_ptr_null(strstr(out, "evil"));
  free(out);
}

START_TEST(test_hostile_ids_and_iris)
{
  static const char *const ids[] = {"\"a>b\"",
                                    "\"a b\"",
                                    "'a\"b'",
                                    "A",
                                    "a/b",
                                    "\"../x\"",
                                    "\"a#b\"",
                                    "\"a\\u0000b\"",
                                    "\"evil> <x> <y> .\"",
                                    "\"\xC3\xA9\"",
                                    "-a",
                                    "a_b",
                                    "\"a\\nb\""};
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "entities: [{id: %s, type: Country, name: evil}]\n", ids[i]);
    const char *facts = tu_write("refused.yaml", yaml);
    const char *paths[] = {facts, NULL};
    DipkgStatus st;
    char *out = tu_export(paths, DIPKG_FORMAT_NTRIPLES, 1, &st);
    ck_assert_msg(st == DIPKG_ERR_DATA, "id %s accepted", ids[i]);
    ck_assert_ptr_null(strstr(out, "evil"));
    free(out);
  }
  static const char *const urls[] = {"\"http://x/\\\"> <http://evil/> .\"",
                                     "\"http://x/ a\"",
                                     "\"http://x/<\"",
                                     "\"javascript:alert(1)\"",
                                     "\"http://x/%zz\"",
                                     "\"http://\"",
                                     "\"http://x/{a}\""};
  for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "article: {id: a, headline: evil, publisher: ap, published: "
             "2020-01-01, url: %s}\n",
             urls[i]);
    expect_refused(yaml, "invalid url");
  }
  expect_refused(
    "entities: [{id: x, type: Country, name: evil, wikidata: \"Q1> .\"}]\n",
    "invalid Wikidata id");
  // Control characters are refused in every text (they have no business in
  // curated facts and some RDF tools mishandle them).
  expect_refused("entities: [{id: x, type: Country, name: \"ev\\x7Fil\"}]\n",
                 "text contains the control character U+007F");
  expect_refused("entities: [{id: x, type: Country, name: \"ev\\x01il\"}]\n",
                 "text contains the control character U+0001");
  expect_refused("entities: [{id: x, type: \"Country> .\", name: evil}]\n",
                 "unknown entity type");
  expect_refused("article: {id: a, headline: evil, publisher: ap, published: "
                 "2020-01-01, language: \"en> .\"}\n",
                 "invalid language");
  expect_refused("article: {id: a, headline: evil, publisher: ap, published: "
                 "\"2020-01-01\\\"^^<x>\"}\n",
                 "invalid published date");
}
END_TEST

START_TEST(test_legal_but_unusual_iris_exact)
{
  // What is accepted comes back exactly.
  const char *facts = tu_write(
    "iri.yaml",
    "article: {id: a, headline: H, publisher: ap, published: 2020-01-01,\n"
    "  url: "
    "\"https://\xE4\xBE\x8B\xE3\x81\x88.jp/"
    "\xE3\x83\x91\xE3\x82\xB9?q=1&r=%C3%A9#frag\"}\n");
  const char *paths[] = {"tests/data/gazetteer.yaml", facts, NULL};
  DipkgStatus st;
  char *nt = tu_export(paths, DIPKG_FORMAT_NTRIPLES, 1, &st);
  ck_assert_int_eq(st, DIPKG_SUCCESS);
  ck_assert_ptr_nonnull(
    strstr(nt, "<https://example.org/dipkg/article/a> <" DIP
               "url> <https://\xE4\xBE\x8B\xE3\x81\x88.jp/"
               "\xE3\x83\x91\xE3\x82\xB9?q=1&r=%C3%A9#frag> .\n"));
  free(nt);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("injection");
  TCase *tc = tcase_create("injection");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_hostile_literals);
  tcase_add_test(tc, test_hostile_ids_and_iris);
  tcase_add_test(tc, test_legal_but_unusual_iris_exact);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
