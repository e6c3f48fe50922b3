/* PLOVER records (src/plover.c): every line of the seed's export checked
 * against the PLOVER manual's field definitions (required fields, types,
 * dates), event/mode/context values against the lists of the ontology
 * (read from the ontology files here, not copied), quotes verbatim in the
 * article, ids unique; determinism; bad combinations fail located; and an
 * independent JSON Schema validator over the same lines (tests/plover/). */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const seed[] = {TU_FACTS, NULL};

#define DIPNS "https://w3id.org/dipkg/ns#"
#define SKOSNS "http://www.w3.org/2004/02/skos/core#"

/* ------------------------------------------- the lists, from the ontology */

/* One statement of an ontology file, as the text of its N-Triples terms. */
typedef struct Stmt {
  char *s, *p, *o;
} Stmt;

typedef struct Stmts {
  Stmt *v;
  size_t n;
  char *text;  // owns the strings
} Stmts;

/* The statements of `path`, parsed by raptor (tu_canonical). */
static Stmts
read_stmts(const char *path)
{
  Stmts r = {0};
  r.text = tu_canonical(path);
  ck_assert_msg(r.text != NULL, "cannot parse %s", path);
  size_t cap = 0;
  for (char *line = r.text; *line;) {
    char *end = strchr(line, '\n');
    ck_assert_ptr_nonnull(end);
    *end = '\0';
    char *p = strchr(line, ' ');
    char *o = p ? strchr(p + 1, ' ') : NULL;
    ck_assert_ptr_nonnull(o);
    *p++ = '\0';
    *o++ = '\0';
    size_t len = strlen(o);
    if (len >= 2 && !strcmp(o + len - 2, " ."))
      o[len - 2] = '\0';
    if (r.n == cap) {
      cap = cap ? cap * 2 : 1024;
      r.v = realloc(r.v, cap * sizeof *r.v);
      ck_assert_ptr_nonnull(r.v);
    }
    r.v[r.n++] = (Stmt){line, p, o};
    line = end + 1;
  }
  return r;
}

static void
free_stmts(Stmts *r)
{
  free(r->v);
  free(r->text);
}

/* The object of (s, p), or NULL. */
static const char *
value(const Stmts *r, const char *s, const char *p)
{
  for (size_t i = 0; i < r->n; i++)
    if (!strcmp(r->v[i].s, s) && !strcmp(r->v[i].p, p))
      return r->v[i].o;
  return NULL;
}

/* A plain literal's text ("\"visit\"" -> visit), in a static buffer. */
static const char *
unquote(const char *lit)
{
  static char buf[256];
  ck_assert_ptr_nonnull(lit);
  ck_assert_int_eq(lit[0], '"');
  const char *end = strrchr(lit, '"');
  size_t n = (size_t)(end - lit - 1);
  ck_assert_uint_lt(n, sizeof buf);
  memcpy(buf, lit + 1, n);
  buf[n] = '\0';
  return buf;
}

/* Whether the concept scheme `scheme` of `r` holds a concept with the
 * notation `notation`, and (when `type` is not NULL) whose skos:broader
 * has the notation `type` (a mode of that event type). */
static bool
in_scheme(const Stmts *r, const Stmts *types, const char *scheme,
          const char *notation, const char *type)
{
  char want[128];
  snprintf(want, sizeof want, "<" DIPNS "%s>", scheme);
  for (size_t i = 0; i < r->n; i++) {
    if (strcmp(r->v[i].p, "<" SKOSNS "inScheme>") || strcmp(r->v[i].o, want))
      continue;
    const char *n = value(r, r->v[i].s, "<" SKOSNS "notation>");
    if (!n || strcmp(unquote(n), notation))
      continue;
    if (!type)
      return true;
    const char *up = value(r, r->v[i].s, "<" SKOSNS "broader>");
    const char *up_n = up ? value(types, up, "<" SKOSNS "notation>") : NULL;
    if (up_n && !strcmp(unquote(up_n), type))
      return true;
  }
  return false;
}

/* ------------------------------------------------------ field checks */

static bool
leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* A valid calendar date written YYYY-MM-DD, as PLOVER's table asks. */
static bool
valid_date(const char *s)
{
  int y, m, d;
  char tail;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
      sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap(y));
}

static const char *
str_field(json_t *o, const char *key, const char *id, bool required)
{
  json_t *v = json_object_get(o, key);
  if (!v) {
    ck_assert_msg(!required, "%s: no '%s'", id, key);
    return NULL;
  }
  ck_assert_msg(json_is_string(v), "%s: '%s' is not a string", id, key);
  ck_assert_msg(json_string_length(v) > 0, "%s: '%s' is empty", id, key);
  return json_string_value(v);
}

static json_t *
list_field(json_t *o, const char *key, const char *id)
{
  json_t *v = json_object_get(o, key);
  ck_assert_msg(json_is_array(v), "%s: '%s' is not a list", id, key);
  return v;
}

/* PLOVER's entity object: the names, a Wikidata id Q<digits>. */
static void
check_entity(json_t *e, const char *id)
{
  ck_assert_msg(json_is_object(e), "%s: an actor is not an object", id);
  str_field(e, "entity_id", id, true);
  str_field(e, "entity_text", id, true);
  const char *wd = str_field(e, "identifier_id", id, false);
  if (wd) {
    ck_assert_msg(wd[0] == 'Q' && wd[1] &&
                    strspn(wd + 1, "0123456789") == strlen(wd + 1),
                  "%s: '%s' is not a Wikidata id", id, wd);
    str_field(e, "identifier_text", id, true);
  }
  str_field(e, "country_name", id, false);
}

/* The keys a record may have: the PLOVER manual's record fields, and the
 * three dipkg adds (cameo, date_edtf, status). */
static const char *const known_keys[] = {
  "id",     "date",      "enddate", "date_edtf",  "actor",      "recipient",
  "event",  "mode",      "context", "event_loc",  "event_text", "cameo",
  "status", "cite_info", "coder",   "coded_date", "comment",    NULL};

static size_t
count_lines(const char *text)
{
  size_t n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

START_TEST(test_seed_records_follow_plover)
{
  DipkgStatus st;
  char *jsonl = tu_export(seed, DIPKG_FORMAT_PLOVER_JSONL, 0, &st);
  ck_assert_msg(st == DIPKG_SUCCESS, "export failed: %s", tu_diags());
  Stmts dip = read_stmts(TU_ONTOLOGY "/dip.ttl");
  Stmts plover = read_stmts(TU_ONTOLOGY "/plover.ttl");
  char *article = tu_read_file(
    TU_FACTS "/ap-2023-03-23-japan-south-korea-export-claims.txt", NULL);
  ck_assert_ptr_nonnull(article);
  // One record per event with a PLOVER type: as many as the RDF export's
  // dip:ploverType statements.
  char *nt = tu_export(seed, DIPKG_FORMAT_NTRIPLES, 0, &st);
  ck_assert_int_eq(st, DIPKG_SUCCESS);
  size_t typed = 0;
  for (const char *p = nt; (p = strstr(p, "<" DIPNS "ploverType>")); p++)
    typed++;
  ck_assert_uint_eq(typed, 22);
  ck_assert_uint_eq(count_lines(jsonl), typed);

  char **ids = calloc(typed, sizeof *ids);
  ck_assert_ptr_nonnull(ids);
  size_t n = 0, with_wikidata = 0, with_mode = 0, with_context = 0;
  for (char *line = jsonl; *line; n++) {
    char *end = strchr(line, '\n');
    ck_assert_ptr_nonnull(end);
    *end = '\0';
    json_error_t err;
    json_t *rec = json_loads(line, JSON_REJECT_DUPLICATES, &err);
    ck_assert_msg(json_is_object(rec), "line %zu is not a JSON object: %s",
                  n + 1, err.text);
    // Required: id, date, actor, event.
    const char *id = str_field(rec, "id", "?", true);
    for (size_t k = 0; k < n; k++)
      ck_assert_msg(strcmp(ids[k], id), "id %s repeats", id);
    ids[n] = strdup(id);
    const char *key;
    json_t *v;
    json_object_foreach(rec, key, v)
    {
      bool known = false;
      for (size_t k = 0; known_keys[k] && !known; k++)
        known = !strcmp(key, known_keys[k]);
      ck_assert_msg(known, "%s: unknown field '%s'", id, key);
    }
    const char *date = str_field(rec, "date", id, true);
    ck_assert_msg(valid_date(date), "%s: date '%s' is not YYYY-MM-DD", id,
                  date);
    const char *enddate = str_field(rec, "enddate", id, false);
    if (enddate) {
      ck_assert_msg(valid_date(enddate), "%s: bad enddate '%s'", id, enddate);
      ck_assert_msg(strcmp(date, enddate) < 0, "%s: enddate %s not after %s",
                    id, enddate, date);
    }
    str_field(rec, "date_edtf", id, true);
    json_t *actors = list_field(rec, "actor", id);
    ck_assert_msg(json_array_size(actors) > 0, "%s: no actor", id);
    size_t i;
    json_t *e;
    json_array_foreach(actors, i, e)
    {
      check_entity(e, id);
      with_wikidata += json_object_get(e, "identifier_id") != NULL;
    }
    json_array_foreach(list_field(rec, "recipient", id), i, e)
      check_entity(e, id);
    json_t *event = list_field(rec, "event", id);
    ck_assert_uint_eq(json_array_size(event), 1);
    const char *type = json_string_value(json_array_get(event, 0));
    ck_assert_ptr_nonnull(type);
    ck_assert_msg(in_scheme(&dip, &dip, "PloverEventTypes", type, NULL),
                  "%s: event '%s' is not a PLOVER event type", id, type);
    json_array_foreach(list_field(rec, "mode", id), i, e)
    {
      ck_assert(json_is_string(e));
      ck_assert_msg(
        in_scheme(&plover, &dip, "PloverModes", json_string_value(e), type),
        "%s: mode '%s' is not a mode of %s", id, json_string_value(e), type);
      with_mode++;
    }
    json_array_foreach(list_field(rec, "context", id), i, e)
    {
      ck_assert(json_is_string(e));
      ck_assert_msg(
        in_scheme(&plover, &dip, "PloverContexts", json_string_value(e), NULL),
        "%s: context '%s' is not a PLOVER context", id, json_string_value(e));
      with_context++;
    }
    json_t *quotes = list_field(rec, "event_text", id);
    ck_assert_msg(json_array_size(quotes) > 0, "%s: no event_text", id);
    json_array_foreach(quotes, i, e) ck_assert_msg(
      json_is_string(e) && strstr(article, json_string_value(e)) != NULL,
      "%s: event_text %zu is not verbatim in the article", id, i + 1);
    json_t *cite = json_object_get(rec, "cite_info");
    ck_assert_msg(json_is_object(cite), "%s: no cite_info object", id);
    str_field(cite, "citation", id, true);
    str_field(cite, "title", id, true);
    str_field(cite, "publication", id, true);
    ck_assert(valid_date(str_field(cite, "publication_date", id, true)));
    ck_assert_str_eq(str_field(cite, "language", id, true), "en");
    const char *coded = str_field(rec, "coded_date", id, false);
    ck_assert(!coded || valid_date(coded));
    const char *cameo = str_field(rec, "cameo", id, false);
    ck_assert(!cameo || strspn(cameo, "0123456789") == strlen(cameo));
    json_decref(rec);
    line = end + 1;
  }
  ck_assert_uint_eq(n, typed);
  // The seed exercises what is checked.
  ck_assert_uint_gt(with_wikidata, 0);
  ck_assert_uint_gt(with_mode, 0);
  ck_assert_uint_gt(with_context, 0);
  for (size_t k = 0; k < n; k++)
    free(ids[k]);
  free(ids);
  free(nt);
  free(article);
  free_stmts(&dip);
  free_stmts(&plover);
  free(jsonl);
}
END_TEST

/* One record of the seed, parsed (caller decrefs). */
static json_t *
seed_record(const char *id)
{
  DipkgStatus st;
  char *jsonl = tu_export(seed, DIPKG_FORMAT_PLOVER_JSONL, 0, &st);
  ck_assert_int_eq(st, DIPKG_SUCCESS);
  char key[160];
  snprintf(key, sizeof key, "{\"id\":\"%s\",", id);
  char *line = strstr(jsonl, key);
  ck_assert_msg(line != NULL, "no record %s", id);
  *strchr(line, '\n') = '\0';
  json_t *rec = json_loads(line, 0, NULL);
  ck_assert_ptr_nonnull(rec);
  free(jsonl);
  return rec;
}

START_TEST(test_seed_record_contents)
{
  // The visit's meeting: visitor as actor, host as recipient, CONSULT
  // visit (docs/event-codes.md); its place; the Wikidata id of Japan.
  json_t *r = seed_record("kwon-hayashi-meeting-2023");
  char *text = json_dumps(r, JSON_COMPACT);
  ck_assert_ptr_nonnull(strstr(
    text, "\"actor\":[{\"entity_id\":\"kwon-youngse\",\"entity_text\":\"Kwon "
          "Youngse\",\"country_name\":\"South Korea\"}]"));
  ck_assert_ptr_nonnull(strstr(
    text, "\"event\":[\"CONSULT\"],\"mode\":[\"visit\"],\"context\":["
          "\"diplomatic\",\"military\"],\"event_loc\":{\"resolved_place\":"
          "\"Tokyo\",\"country\":\"Japan\"}"));
  ck_assert_ptr_nonnull(strstr(text, "\"cameo\":\"042\""));
  free(text);
  json_decref(r);
  // A month-precision date: its first and last day, the EDTF as curated.
  r = seed_record("south-korea-forced-labor-compensation-plan-2023");
  ck_assert_str_eq(json_string_value(json_object_get(r, "date")), "2023-03-01");
  ck_assert_str_eq(json_string_value(json_object_get(r, "enddate")),
                   "2023-03-31");
  ck_assert_str_eq(json_string_value(json_object_get(r, "date_edtf")),
                   "2023-03");
  json_t *recipient = json_array_get(json_object_get(r, "recipient"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(recipient, "entity_id")),
                   "forced-labor-victims");
  json_decref(r);
  // A planned event: its status says so; an open end has no enddate.
  r = seed_record("south-korea-withdraws-wto-complaint-2023");
  ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "planned");
  ck_assert_ptr_null(json_object_get(r, "enddate"));
  json_t *actor = json_array_get(json_object_get(r, "actor"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(actor, "identifier_id")),
                   "Q884");
  json_decref(r);
  // A summit names participants only: they are the actors.
  r = seed_record("yoon-kishida-summit-2023");
  ck_assert_uint_eq(json_array_size(json_object_get(r, "actor")), 2);
  ck_assert_uint_eq(json_array_size(json_object_get(r, "recipient")), 0);
  json_decref(r);
}
END_TEST

START_TEST(test_statements_are_not_coded)
{
  // PLOVER dropped CAMEO's 01 (make a public statement): no record.
  DipkgStatus st;
  char *jsonl = tu_export(seed, DIPKG_FORMAT_PLOVER_JSONL, 0, &st);
  ck_assert_int_eq(st, DIPKG_SUCCESS);
  ck_assert_ptr_null(strstr(jsonl, "\"id\":\"kwon-statement-on-ties-2023\""));
  ck_assert_ptr_null(
    strstr(jsonl, "\"id\":\"japan-foreign-ministry-statement-2023\""));
  free(jsonl);
}
END_TEST

START_TEST(test_deterministic)
{
  DipkgStatus st;
  char *one = tu_export(seed, DIPKG_FORMAT_PLOVER_JSONL, 1, &st);
  ck_assert_int_eq(st, DIPKG_SUCCESS);
  char *four = tu_export(seed, DIPKG_FORMAT_PLOVER_JSONL, 4, &st);
  ck_assert_int_eq(st, DIPKG_SUCCESS);
  ck_assert_str_eq(one, four);
  free(one);
  free(four);
  // Through the command line, by the file's extension, twice.
  char *out = NULL;
  ck_assert_int_eq(tu_run("d=$(mktemp -d) && "
                          "$DIPKG_EXE_Q export -q -o $d/a.jsonl " TU_FACTS
                          " && $DIPKG_EXE_Q export -q -f plover " TU_FACTS
                          " > $d/b.jsonl && cmp $d/a.jsonl $d/b.jsonl && "
                          "wc -l < $d/a.jsonl; rm -rf $d",
                          &out, NULL),
                   0);
  ck_assert_int_eq(atoi(out), 22);
  free(out);
}
END_TEST

/* Writes `yaml` as the facts file bad.yaml of a scratch directory of its
 * own, exports it as PLOVER to x.jsonl beside it, and checks that the
 * export fails with `message` located at bad.yaml:LINE:COL and writes
 * nothing. */
static void
expect_refused(const char *dir, const char *yaml, const char *located,
               const char *message)
{
  char name[128];
  snprintf(name, sizeof name, "%s/bad.yaml", dir);
  const char *path = tu_write(name, yaml);
  char cmd[1024], *err = NULL;
  snprintf(cmd, sizeof cmd,
           "cd $(dirname %s) && $DIPKG_EXE_Q export -f plover-jsonl -o "
           "x.jsonl bad.yaml",
           path);
  int rc = tu_run(cmd, NULL, &err);
  ck_assert_msg(rc != 0, "the export of %s succeeded", dir);
  ck_assert_msg(strstr(err, located) && strstr(err, message),
                "expected '%s' ... '%s', got:\n%s", located, message, err);
  snprintf(cmd, sizeof cmd, "test ! -e $(dirname %s)/x.jsonl", path);
  ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
  free(err);
}

#define FACTS_OF(type)                                                         \
  "article:\n"                                                                 \
  "  id: a\n"                                                                  \
  "  headline: A\n"                                                            \
  "  publisher: p\n"                                                           \
  "  published: 2024-01-31\n"                                                  \
  "entities:\n"                                                                \
  "  - {id: p, type: NewsOrganization, name: P}\n"                             \
  "  - {id: x, type: Country, name: X}\n"                                      \
  "events:\n"                                                                  \
  "  - id: e\n"                                                                \
  "    type: " type "\n"                                                       \
  "    date: 2024-01-30\n"                                                     \
  "    actors: [x]\n"
#define FACTS_HEAD FACTS_OF("Meeting")

START_TEST(test_unknown_combination_fails_located)
{
  // A mode of another PLOVER type (beat is ASSAULT's, not CONSULT's).
  expect_refused("mode", FACTS_HEAD "    plover_mode: beat\n",
                 "bad.yaml:14:18: ", "'beat' is not a PLOVER mode of CONSULT");
  // A context PLOVER does not have.
  expect_refused("context", FACTS_HEAD "    plover_context: [sports]\n",
                 "bad.yaml:14:22: ", "unknown PLOVER context 'sports'");
  // An event type PLOVER does not have.
  expect_refused("type", FACTS_HEAD "    plover: MEET\n",
                 "bad.yaml:14:13: ", "unknown PLOVER event type 'MEET'");
  // A mode for a class PLOVER does not code.
  expect_refused("statement", FACTS_OF("Statement") "    plover_mode: visit\n",
                 "bad.yaml:14:18: ",
                 "'plover_mode' needs a PLOVER event type, and 'Statement' "
                 "has none");
}
END_TEST

START_TEST(test_void_is_not_plover)
{
  char *err = NULL;
  ck_assert_int_eq(
    tu_run("$DIPKG_EXE_Q export -q --void /dev/null/v.jsonl " TU_FACTS
           " > /dev/null",
           NULL, &err),
    2);
  ck_assert_ptr_nonnull(strstr(err, "--void writes RDF"));
  free(err);
}
END_TEST

START_TEST(test_json_schema)
{
  // An independent validator (Debian's python3-jsonschema) over the
  // export, with a schema written from the manual's field tables.
  char *out = NULL, *err = NULL;
  int rc =
    tu_run("d=$(mktemp -d) && $DIPKG_EXE_Q export -q -o $d/s.jsonl " TU_FACTS
           " && /usr/bin/python3 tests/plover/validate.py "
           "tests/plover/plover.schema.json $d/s.jsonl; "
           "r=$?; rm -rf $d; exit $r",
           &out, &err);
  ck_assert_msg(rc == 0, "the schema validator failed:\n%s%s", out, err);
  ck_assert_ptr_nonnull(strstr(out, "22 records valid"));
  free(out);
  free(err);
  // And it is not vacuous: an impossible date and an unknown event type
  // in an otherwise good line fail.
  out = err = NULL;
  rc = tu_run("d=$(mktemp -d) && $DIPKG_EXE_Q export -q -o $d/s.jsonl " TU_FACTS
              " && head -1 $d/s.jsonl | sed -e 's/\"date\":\"[0-9-]*\"/"
              "\"date\":\"2023-02-30\"/' -e 's/\"event\":\\[\"[A-Z]*\"/"
              "\"event\":[\"MEET\"/' > $d/bad.jsonl && /usr/bin/python3 "
              "tests/plover/validate.py tests/plover/plover.schema.json "
              "$d/bad.jsonl; r=$?; rm -rf $d; exit $r",
              &out, &err);
  ck_assert_int_eq(rc, 1);
  ck_assert_msg(strstr(out, "'2023-02-30' is not a 'date'") &&
                  strstr(out, "'MEET' is not one of"),
                "%s%s", out, err);
  free(out);
  free(err);
}
END_TEST

int
main(void)
{
  // The shell commands name the executable under test by this variable.
  // (absolute: some run in another directory).
  char *exe = realpath(tu_exe(), NULL);
  setenv("DIPKG_EXE_Q", exe ? exe : tu_exe(), 1);
  free(exe);
  Suite *s = suite_create("plover");
  TCase *tc = tcase_create("plover");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_seed_records_follow_plover);
  tcase_add_test(tc, test_seed_record_contents);
  tcase_add_test(tc, test_statements_are_not_coded);
  tcase_add_test(tc, test_deterministic);
  tcase_add_test(tc, test_unknown_combination_fails_located);
  tcase_add_test(tc, test_void_is_not_plover);
  tcase_add_test(tc, test_json_schema);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
