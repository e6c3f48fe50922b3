/* Unit tests of src/yaml_tree.h: the located YAML tree, its limits and
 * every construct it refuses. */
#include "testutil.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "yaml_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const FILE_NAME = "facts/f.yaml";

static DipkgArena *arena;
static DipkgDiagList diags;
static DipkgBuf rendered;
static DipkgBuf source;  // documents built by a test (freed by teardown)

static void
setup(void)
{
  arena = dipkg_arena_new();
  ck_assert_ptr_nonnull(arena);
  diags = (DipkgDiagList){0};
  rendered = (DipkgBuf)DIPKG_BUF_INIT;
  source = (DipkgBuf)DIPKG_BUF_INIT;
}

static void
teardown(void)
{
  dipkg_diag_list_clear(&diags);
  dipkg_arena_free(arena);
  dipkg_buf_free(&rendered);
  dipkg_buf_free(&source);
}

/* Parses `len` bytes with `limits` (NULL: defaults) and file name `file`.
 * Earlier diagnostics are dropped. */
static DipkgStatus
parse_full(const char *data, size_t len, const char *file,
           const DipkgYLimits *limits, DipkgYNode **root)
{
  dipkg_diag_list_clear(&diags);
  dipkg_arena_reset(arena);
  return dipkg_yaml_parse(data, len, file, limits, arena, &diags, root);
}

static DipkgStatus
parse_lim(const char *data, const DipkgYLimits *limits, DipkgYNode **root)
{
  return parse_full(data, strlen(data), FILE_NAME, limits, root);
}

static DipkgStatus
parse(const char *data, DipkgYNode **root)
{
  return parse_lim(data, NULL, root);
}

/* The diagnostics as "file:line:col: severity: message" lines. */
static const char *
diag_text(void)
{
  static const char *const sev[] = {"error", "warning", "note"};
  dipkg_buf_clear(&rendered);
  for (size_t i = 0; i < diags.n; i++) {
    const DipkgDiagEntry *e = &diags.items[i];
    dipkg_buf_printf(&rendered, "%s:%u:%u: %s: %s\n", e->file ? e->file : "-",
                     e->loc.line, e->loc.col, sev[e->severity], e->message);
  }
  return dipkg_buf_cstr(&rendered);
}

/* Parses `data`, expecting failure with `status` and exactly the
 * diagnostics `expected`. */
static void
expect_error(const char *data, const DipkgYLimits *limits, DipkgStatus status,
             const char *expected)
{
  DipkgYNode *root = (DipkgYNode *)1;
  DipkgStatus st = parse_lim(data, limits, &root);
  ck_assert_msg(st == status, "expected status %d, got %d for:\n%s\n%s",
                (int)status, (int)st, data, diag_text());
  ck_assert_ptr_null(root);
  ck_assert_str_eq(diag_text(), expected);
}

static DipkgYNode *
parse_ok(const char *data)
{
  DipkgYNode *root = NULL;
  DipkgStatus st = parse(data, &root);
  ck_assert_msg(st == DIPKG_SUCCESS, "parse failed (%d) for:\n%s\n%s", (int)st,
                data, diag_text());
  ck_assert_uint_eq(diags.n, 0);
  return root;
}

static void
expect_loc(const DipkgYNode *n, unsigned line, unsigned col, unsigned width)
{
  ck_assert_ptr_nonnull(n);
  ck_assert_msg(n->loc.line == line && n->loc.col == col &&
                  n->loc.width == width,
                "expected %u:%u width %u, got %u:%u width %u", line, col, width,
                n->loc.line, n->loc.col, n->loc.width);
}

static void
expect_scalar(const DipkgYNode *n, const char *text, bool plain)
{
  ck_assert_ptr_nonnull(n);
  ck_assert_int_eq(n->kind, DIPKG_Y_SCALAR);
  ck_assert_uint_eq(n->u.scalar.len, strlen(text));
  ck_assert_str_eq(n->u.scalar.str, text);
  ck_assert_int_eq(n->plain, plain);
}

/* The value of `key` in mapping `map`, or NULL. */
static const DipkgYNode *
value_of(const DipkgYNode *map, const char *key)
{
  ck_assert_int_eq(map->kind, DIPKG_Y_MAPPING);
  for (size_t i = 0; i < map->u.map.n; i++)
    if (!strcmp(map->u.map.pairs[i].key->u.scalar.str, key))
      return map->u.map.pairs[i].value;
  return NULL;
}

static double
now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- parsing */

START_TEST(test_kinds_and_locations)
{
  DipkgYNode *root = parse_ok("k: v\n"
                              "list: [a, \"b\", c]\n"
                              "map:\n"
                              "  x: 'y'\n"
                              "  z:\n"
                              "    - 1\n");
  ck_assert_int_eq(root->kind, DIPKG_Y_MAPPING);
  ck_assert_uint_eq(root->u.map.n, 3);
  expect_loc(root, 1, 1, 0);
  const DipkgYPair *p = root->u.map.pairs;
  expect_scalar(p[0].key, "k", true);
  expect_loc(p[0].key, 1, 1, 1);
  expect_scalar(p[0].value, "v", true);
  expect_loc(p[0].value, 1, 4, 1);

  expect_scalar(p[1].key, "list", true);
  expect_loc(p[1].key, 2, 1, 4);
  const DipkgYNode *list = p[1].value;
  ck_assert_int_eq(list->kind, DIPKG_Y_SEQUENCE);
  ck_assert_uint_eq(list->u.seq.n, 3);
  expect_loc(list, 2, 7, 0);
  expect_scalar(list->u.seq.items[0], "a", true);
  expect_loc(list->u.seq.items[0], 2, 8, 1);
  expect_scalar(list->u.seq.items[1], "b", false);
  expect_loc(list->u.seq.items[1], 2, 11, 3);  // the quotes count
  expect_scalar(list->u.seq.items[2], "c", true);
  expect_loc(list->u.seq.items[2], 2, 16, 1);

  const DipkgYNode *map = p[2].value;
  ck_assert_int_eq(map->kind, DIPKG_Y_MAPPING);
  expect_loc(map, 4, 3, 0);
  ck_assert_uint_eq(map->u.map.n, 2);
  expect_scalar(map->u.map.pairs[0].value, "y", false);
  expect_loc(map->u.map.pairs[0].value, 4, 6, 3);
  const DipkgYNode *z = map->u.map.pairs[1].value;
  ck_assert_int_eq(z->kind, DIPKG_Y_SEQUENCE);
  ck_assert_uint_eq(z->u.seq.n, 1);
  expect_scalar(z->u.seq.items[0], "1", true);
  expect_loc(z->u.seq.items[0], 6, 7, 1);
}
END_TEST

START_TEST(test_top_level_scalar_and_list)
{
  DipkgYNode *root = parse_ok("just text\n");
  expect_scalar(root, "just text", true);
  expect_loc(root, 1, 1, 9);
  root = parse_ok("- a\n- b\n");
  ck_assert_int_eq(root->kind, DIPKG_Y_SEQUENCE);
  ck_assert_uint_eq(root->u.seq.n, 2);
  expect_loc(root->u.seq.items[1], 2, 3, 1);
}
END_TEST

START_TEST(test_block_scalars)
{
  DipkgYNode *root =
    parse_ok("k: |\n  line1\n  line2\nj: >\n  folded\n  text\n");
  const DipkgYNode *k = value_of(root, "k");
  expect_scalar(k, "line1\nline2\n", false);
  ck_assert_uint_eq(k->loc.line, 1);
  ck_assert_uint_eq(k->loc.col, 4);
  ck_assert_uint_eq(k->loc.width, 0);  // spans lines
  expect_scalar(value_of(root, "j"), "folded text\n", false);
}
END_TEST

START_TEST(test_columns_count_characters)
{
  DipkgYNode *root = parse_ok("h\xC3\xA9llo: w\xC3\xB6rld, ok\n"
                              "k: [\xE6\x97\xA5\xE6\x9C\xAC, x]\n"
                              "\xF0\x9F\x98\x80: 'e\xCC\x81'\n");
  const DipkgYPair *p = root->u.map.pairs;
  expect_loc(p[0].key, 1, 1, 5);
  expect_scalar(p[0].value, "w\xC3\xB6rld, ok", true);
  expect_loc(p[0].value, 1, 8, 9);
  const DipkgYNode *list = p[1].value;
  expect_loc(list->u.seq.items[0], 2, 5, 2);
  expect_loc(list->u.seq.items[1], 2, 9, 1);
  expect_loc(p[2].key, 3, 1, 1);
  // A combining accent is a character of its own.
  expect_loc(p[2].value, 3, 4, 4);
}
END_TEST

START_TEST(test_error_columns_count_characters)
{
  expect_error("\xC3\xA9t\xC3\xA9: *nope\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:6: error: unknown alias *nope\n");
}
END_TEST

START_TEST(test_null_detection)
{
  DipkgYNode *root = parse_ok("a: ~\nb: null\nc: Null\nd: NULL\ne:\n"
                              "f: 'null'\ng: \"~\"\nh: nul\ni: NuLL\nj: ''\n"
                              "k: 0\nl: [x]\nm: {x: y}\n");
  static const char *const nulls[] = {"a", "b", "c", "d", "e"};
  static const char *const texts[] = {"f", "g", "h", "i", "j", "k"};
  for (size_t i = 0; i < 5; i++) {
    const DipkgYNode *n = value_of(root, nulls[i]);
    ck_assert_msg(dipkg_y_is_null(n), "%s should be null", nulls[i]);
    ck_assert_str_eq(dipkg_y_kind_name(n), "nothing (null)");
  }
  for (size_t i = 0; i < 6; i++) {
    const DipkgYNode *n = value_of(root, texts[i]);
    ck_assert_msg(!dipkg_y_is_null(n), "%s should not be null", texts[i]);
    ck_assert_str_eq(dipkg_y_kind_name(n), "text");
  }
  ck_assert(!dipkg_y_is_null(value_of(root, "l")));
  ck_assert_str_eq(dipkg_y_kind_name(value_of(root, "l")), "a list");
  ck_assert(!dipkg_y_is_null(value_of(root, "m")));
  ck_assert_str_eq(dipkg_y_kind_name(value_of(root, "m")), "a mapping");
  expect_scalar(value_of(root, "e"), "", true);
  expect_scalar(value_of(root, "j"), "", false);
}
END_TEST

START_TEST(test_empty_document)
{
  static const char *const empties[] = {"", "\n\n", "# only a comment\n",
                                        "   \n# c\n"};
  for (size_t i = 0; i < 4; i++) {
    DipkgYNode *root = (DipkgYNode *)1;
    ck_assert_int_eq(parse(empties[i], &root), DIPKG_SUCCESS);
    ck_assert_msg(root == NULL, "document %zu: root not NULL", i);
    ck_assert_uint_eq(diags.n, 0);
  }
  // An explicit document with no content holds one null node.
  DipkgYNode *root = parse_ok("---\n");
  ck_assert(dipkg_y_is_null(root));
}
END_TEST

START_TEST(test_nul_terminated_copies)
{
  DipkgYNode *root = parse_ok("k: \"tab\\there\\nnew line\"\n");
  const DipkgYNode *v = value_of(root, "k");
  expect_scalar(v, "tab\there\nnew line", false);
  ck_assert_int_eq(v->u.scalar.str[v->u.scalar.len], '\0');
}
END_TEST

/* ------------------------------------------------------------- mappings */

START_TEST(test_duplicate_keys)
{
  expect_error("a: 1\nb: 2\na: 3\na: 4\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:3:1: error: duplicate key 'a' (first given at "
               "line 1)\n"
               "facts/f.yaml:4:1: error: duplicate key 'a' (first given at "
               "line 1)\n");
  expect_error("{x: 1, x: 2}\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:8: error: duplicate key 'x' (first given at "
               "line 1)\n");
  // Quoting does not make a key different.
  expect_error("k: 1\n'k': 2\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:2:1: error: duplicate key 'k' (first given at "
               "line 1)\n");
  // Nested mappings are checked too.
  expect_error("outer:\n  a: 1\n  a: 2\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:3:3: error: duplicate key 'a' (first given at "
               "line 2)\n");
}
END_TEST

START_TEST(test_keys_differing_in_case_are_distinct)
{
  DipkgYNode *root = parse_ok("a: 1\nA: 2\na-b: 3\na_b: 4\n");
  ck_assert_uint_eq(root->u.map.n, 4);
}
END_TEST

/* A mapping of `n` keys k0..k(n-1), one a line, with `extra` lines
 * inserted before line `at` (1-based) and `tail` appended.  Valid until
 * the next call. */
static const char *
big_mapping(size_t n, size_t at, const char *extra, const char *tail)
{
  dipkg_buf_clear(&source);
  for (size_t i = 0; i < n; i++) {
    if (i + 1 == at)
      dipkg_buf_puts(&source, extra);
    dipkg_buf_printf(&source, "k%zu: %zu\n", i, i);
  }
  dipkg_buf_puts(&source, tail);
  ck_assert(!source.oom);
  return dipkg_buf_cstr(&source);
}

START_TEST(test_duplicate_keys_large_mapping)
{
  // More than 32 keys take the sorting path.
  const char *ok = big_mapping(100, 0, "", "");
  DipkgYNode *root = parse_ok(ok);
  ck_assert_uint_eq(root->u.map.n, 100);

  const char *dup = big_mapping(40, 6, "k3: again\n", "");
  expect_error(dup, NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:6:1: error: duplicate key 'k3' (first given at "
               "line 4)\n");

  // The duplicate of the last key, and of the first.
  dup = big_mapping(40, 0, "", "k39: again\nk0: again\n");
  expect_error(dup, NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:42:1: error: duplicate key 'k0' (first given at "
               "line 1)\n"
               "facts/f.yaml:41:1: error: duplicate key 'k39' (first given at "
               "line 40)\n");
}
END_TEST

/* Regression (was a bug): in mappings of more than 32 keys a key given three times is
 * reported the third time with the line of the second occurrence ("first
 * given at line 6"), because sorted neighbours are compared; small
 * mappings (and the message) cite the first occurrence. */
START_TEST(test_triple_key_large_mapping_cites_first)
{
  const char *dup = big_mapping(40, 6, "k3: again\n", "k3: third\n");
  expect_error(dup, NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:6:1: error: duplicate key 'k3' (first given at "
               "line 4)\n"
               "facts/f.yaml:42:1: error: duplicate key 'k3' (first given at "
               "line 4)\n");
}
END_TEST

START_TEST(test_non_scalar_keys)
{
  expect_error("? [a]\n: 1\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:3: error: mapping keys must be plain text, not "
               "a list\n");
  expect_error("? {a: 1}\n: 1\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:3: error: mapping keys must be plain text, not "
               "a mapping\n");
  expect_error("{[a]: 1}\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:2: error: mapping keys must be plain text, not "
               "a list\n");
}
END_TEST

/* ----------------------------------------------------------------- tags */

START_TEST(test_tags_rejected)
{
  expect_error("a: !foo x\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: YAML tags are not supported (found "
               "'!foo'); remove the tag\n");
  expect_error("a: !!str 12\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: YAML tags are not supported (found "
               "'tag:yaml.org,2002:str'); remove the tag\n");
  expect_error("a: !!map {b: 1}\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: YAML tags are not supported (found "
               "'tag:yaml.org,2002:map'); remove the tag\n");
  expect_error("a: !!seq [1]\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: YAML tags are not supported (found "
               "'tag:yaml.org,2002:seq'); remove the tag\n");
  expect_error("!!str a: 1\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:1: error: YAML tags are not supported (found "
               "'tag:yaml.org,2002:str'); remove the tag\n");
  expect_error("a: ! x\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: YAML tags are not supported (found "
               "'!'); remove the tag\n");
}
END_TEST

/* -------------------------------------------------------------- aliases */

START_TEST(test_alias_of_scalar_shares_node)
{
  DipkgYNode *root = parse_ok("a: &x v\nb: *x\nc: [*x, w]\n");
  const DipkgYNode *a = value_of(root, "a");
  expect_scalar(a, "v", true);
  ck_assert_ptr_eq(value_of(root, "b"), a);
  ck_assert_ptr_eq(value_of(root, "c")->u.seq.items[0], a);
}
END_TEST

START_TEST(test_alias_of_collection_shares_node)
{
  DipkgYNode *root = parse_ok("a: &x [1, 2]\nb: *x\nc: &m {k: v}\nd: *m\n");
  const DipkgYNode *a = value_of(root, "a");
  ck_assert_int_eq(a->kind, DIPKG_Y_SEQUENCE);
  ck_assert_uint_eq(a->u.seq.n, 2);
  ck_assert_ptr_eq(value_of(root, "b"), a);
  ck_assert_ptr_eq(value_of(root, "d"), value_of(root, "c"));
}
END_TEST

START_TEST(test_anchor_redefined)
{
  // A later anchor of the same name replaces the earlier one.
  DipkgYNode *root = parse_ok("a: &x one\nb: &x two\nc: *x\n");
  ck_assert_ptr_eq(value_of(root, "c"), value_of(root, "b"));
  expect_scalar(value_of(root, "c"), "two", true);
}
END_TEST

/* Regression (was a bug): when a collection's anchor is reused inside it ("&a [&a x]"), the
 * alias after the collection should denote the most recent node with that
 * anchor, the scalar x (YAML 1.2, 3.2.2.2; PyYAML and libyaml's loader
 * agree), but on_end() rebinds the name to the enclosing collection. */
START_TEST(test_anchor_redefined_inside_its_collection)
{
  DipkgYNode *root = parse_ok("- &a [&a x]\n- *a\n");
  ck_assert_uint_eq(root->u.seq.n, 2);
  const DipkgYNode *inner = root->u.seq.items[0]->u.seq.items[0];
  ck_assert_ptr_eq(root->u.seq.items[1], inner);
}
END_TEST

START_TEST(test_unknown_alias)
{
  expect_error("a: *nope\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: unknown alias *nope\n");
  // An alias cannot refer forward.
  expect_error("a: *x\nb: &x v\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: unknown alias *x\n");
}
END_TEST

START_TEST(test_recursive_alias)
{
  expect_error("a: &x [1, *x]\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:11: error: alias *x refers to a collection that "
               "contains it\n");
  expect_error("&m {self: *m}\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:11: error: alias *m refers to a collection that "
               "contains it\n");
  expect_error("a: &x\n  b:\n    - *x\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:3:7: error: alias *x refers to a collection that "
               "contains it\n");
}
END_TEST

START_TEST(test_alias_of_collection_with_alias)
{
  expect_error("a: &x v\nb: &y [*x]\nc: *y\n", NULL, DIPKG_ERR_LIMIT,
               "facts/f.yaml:3:4: error: alias *y refers to a collection that "
               "itself uses aliases; nested aliases are not allowed\n");
  ck_assert_int_eq(diags.items[0].status, DIPKG_ERR_LIMIT);
  ck_assert_int_eq(diags.items[0].severity, DIPKG_SEVERITY_ERROR);
  // An alias nested deeper inside the anchored collection counts too.
  expect_error("a: &x v\nb: &y {k: [[*x]]}\nc: *y\n", NULL, DIPKG_ERR_LIMIT,
               "facts/f.yaml:3:4: error: alias *y refers to a collection that "
               "itself uses aliases; nested aliases are not allowed\n");
  // A collection with an alias may itself be used once, unaliased.
  DipkgYNode *root = parse_ok("a: &x v\nb: &y [*x]\n");
  ck_assert_ptr_eq(value_of(root, "b")->u.seq.items[0], value_of(root, "a"));
}
END_TEST

START_TEST(test_billion_laughs)
{
  const char *doc =
    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
    "\"lol\"]\n"
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
  double t0 = now_seconds();
  expect_error(doc, NULL, DIPKG_ERR_LIMIT,
               "facts/f.yaml:3:8: error: alias *b refers to a collection that "
               "itself uses aliases; nested aliases are not allowed\n");
  double elapsed = now_seconds() - t0;
  ck_assert_msg(elapsed < 0.5, "took %.3f s", elapsed);
  ck_assert_uint_lt(dipkg_arena_footprint(arena), 1024 * 1024);
}
END_TEST

/* --------------------------------------------------------------- limits */

START_TEST(test_depth_limit)
{
  DipkgYLimits lim = dipkg_y_default_limits;
  lim.max_depth = 3;
  DipkgYNode *root = NULL;
  ck_assert_int_eq(parse_lim("[[[x]]]\n", &lim, &root), DIPKG_SUCCESS);
  ck_assert_ptr_nonnull(root);
  expect_error("[[[[x]]]]\n", &lim, DIPKG_ERR_LIMIT,
               "facts/f.yaml:1:4: error: YAML nested too deeply (the limit is "
               "3)\n");
  ck_assert_int_eq(diags.items[0].status, DIPKG_ERR_LIMIT);
  expect_error("a:\n  b:\n    c:\n      d: 1\n", &lim, DIPKG_ERR_LIMIT,
               "facts/f.yaml:4:7: error: YAML nested too deeply (the limit is "
               "3)\n");
}
END_TEST

START_TEST(test_default_depth_limit)
{
  ck_assert_uint_eq(dipkg_y_default_limits.max_depth, 64);
  char deep[200];
  memset(deep, '[', 64);
  memset(deep + 64, ']', 64);
  deep[128] = '\0';
  DipkgYNode *root = NULL;
  ck_assert_int_eq(parse(deep, &root), DIPKG_SUCCESS);
  memset(deep, '[', 65);
  memset(deep + 65, ']', 65);
  deep[130] = '\0';
  expect_error(deep, NULL, DIPKG_ERR_LIMIT,
               "facts/f.yaml:1:65: error: YAML nested too deeply (the limit is "
               "64)\n");
}
END_TEST

START_TEST(test_scalar_size_limit)
{
  DipkgYLimits lim = dipkg_y_default_limits;
  lim.max_scalar = 5;
  DipkgYNode *root = NULL;
  ck_assert_int_eq(parse_lim("a: 12345\n", &lim, &root), DIPKG_SUCCESS);
  expect_error("a: 123456\n", &lim, DIPKG_ERR_LIMIT,
               "facts/f.yaml:1:4: error: text value too long (the limit is "
               "5)\n");
  // Keys are scalars too; the limit is in bytes.
  expect_error("abcdef: 1\n", &lim, DIPKG_ERR_LIMIT,
               "facts/f.yaml:1:1: error: text value too long (the limit is "
               "5)\n");
  expect_error("a: \xC3\xA9\xC3\xA9\xC3\xA9\n", &lim, DIPKG_ERR_LIMIT,
               "facts/f.yaml:1:4: error: text value too long (the limit is "
               "5)\n");
  ck_assert_uint_eq(dipkg_y_default_limits.max_scalar, 1024 * 1024);
}
END_TEST

START_TEST(test_node_limit)
{
  DipkgYLimits lim = dipkg_y_default_limits;
  lim.max_nodes = 5;
  DipkgYNode *root = NULL;
  ck_assert_int_eq(parse_lim("[a, b, c, d]\n", &lim, &root), DIPKG_SUCCESS);
  ck_assert_uint_eq(root->u.seq.n, 4);
  expect_error("[a, b, c, d, e]\n", &lim, DIPKG_ERR_LIMIT,
               "facts/f.yaml:1:14: error: too many YAML nodes (the limit is "
               "5)\n");
  // Keys and aliases are nodes: the mapping, a, 1, b and *x make five.
  ck_assert_int_eq(parse_lim("a: &x 1\nb: *x\n", &lim, &root), DIPKG_SUCCESS);
  lim.max_nodes = 4;
  expect_error("a: &x 1\nb: *x\n", &lim, DIPKG_ERR_LIMIT,
               "facts/f.yaml:2:4: error: too many YAML nodes (the limit is "
               "4)\n");
  ck_assert_uint_eq(dipkg_y_default_limits.max_nodes, 4 * 1024 * 1024);
}
END_TEST

START_TEST(test_alias_count_limit)
{
  DipkgYLimits lim = dipkg_y_default_limits;
  lim.max_aliases = 2;
  DipkgYNode *root = NULL;
  ck_assert_int_eq(parse_lim("a: &x v\nb: [*x, *x]\n", &lim, &root),
                   DIPKG_SUCCESS);
  expect_error("a: &x v\nb: [*x, *x, *x]\n", &lim, DIPKG_ERR_LIMIT,
               "facts/f.yaml:2:13: error: too many YAML aliases (the limit is "
               "2)\n");
  ck_assert_int_eq(diags.items[0].status, DIPKG_ERR_LIMIT);
  ck_assert_uint_eq(dipkg_y_default_limits.max_aliases, 64);
}
END_TEST

/* ---------------------------------------------------------- documents */

START_TEST(test_second_document)
{
  expect_error("k: v\n---\nj: w\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:2:1: error: a facts file holds one YAML document; "
               "found a second one\n");
  expect_error("--- a\n--- b\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:2:1: error: a facts file holds one YAML document; "
               "found a second one\n");
  expect_error("k: v\n...\n---\nj: w\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:3:1: error: a facts file holds one YAML document; "
               "found a second one\n");
  // One explicit document, with an end marker, is fine.
  DipkgYNode *root = parse_ok("---\nk: v\n...\n");
  expect_scalar(value_of(root, "k"), "v", true);
}
END_TEST

/* -------------------------------------------------------------- input */

START_TEST(test_control_characters_in_quoted_scalars)
{
  expect_error("k: \"a\\0b\"\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: text contains the control character "
               "U+0000\n");
  expect_error("k: \"a\\x7fb\"\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: text contains the control character "
               "U+007F\n");
  expect_error("k: \"\\e[31mred\"\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: text contains the control character "
               "U+001B\n");
  expect_error("k: \"\\a\"\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: text contains the control character "
               "U+0007\n");
  // Tab, line feed and carriage return are text.
  DipkgYNode *root = parse_ok("k: \"a\\tb\\nc\\rd\"\n");
  expect_scalar(value_of(root, "k"), "a\tb\nc\rd", false);
}
END_TEST

START_TEST(test_tab_indentation_hint)
{
  expect_error("a: 1\nb:\n\tc: 2\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:3:1: error: YAML syntax error: while scanning for "
               "the next token found character that cannot start any token "
               "(YAML does not allow tabs for indentation; use spaces)\n");
  DipkgYNode *root = NULL;
  ck_assert_int_eq(parse("hello: world\n\tx: 1\n", &root), DIPKG_ERR_DATA);
  ck_assert_msg(strstr(diag_text(), "(YAML does not allow tabs for "
                                    "indentation; use spaces)"),
                "no hint in:\n%s", diag_text());
}
END_TEST

/* libyaml's mark index counts characters: the hint must still find the
 * tab after multi-byte characters (and a BOM). */
START_TEST(test_tab_indentation_hint_after_multibyte)
{
  DipkgYNode *root = NULL;
  ck_assert_int_eq(parse("\xC3\xA9t\xC3\xA9: 1\nb:\n\tc: 2\n", &root),
                   DIPKG_ERR_DATA);
  ck_assert_msg(strstr(diag_text(), "(YAML does not allow tabs for "
                                    "indentation; use spaces)"),
                "no hint in:\n%s", diag_text());
  ck_assert_int_eq(
    parse("\xEF\xBB\xBF\xE6\x97\xA5: \xF0\x9F\x98\x80\nb:\n\tc: 2\n", &root),
    DIPKG_ERR_DATA);
  ck_assert_msg(strstr(diag_text(), "(YAML does not allow tabs for "
                                    "indentation; use spaces)"),
                "no hint in:\n%s", diag_text());
  // And it is not given when the byte at the character index is a tab
  // but the error is elsewhere.
  ck_assert_int_eq(
    parse("\xE6\x97\xA5\xE6\x97\xA5\xE6\x97\xA5: \"a\tb\"\nk: [\n", &root),
    DIPKG_ERR_DATA);
  ck_assert_msg(!strstr(diag_text(), "tabs for indentation"), "hint in:\n%s",
                diag_text());
}

/* Regression (was a bug): libyaml (YAML 1.1) counts U+2028, U+2029 and U+0085 as line
 * breaks, also inside quoted scalars, so every location after such a
 * character (common in text pasted from web pages) is one line too far
 * down compared with the file's '\n' lines, and the tab hint, which
 * counts '\n', looks at the wrong line. */
START_TEST(test_unicode_line_separators_do_not_shift_lines)
{
  expect_error("a: \"x\xE2\x80\xA8y\"\nb: *nope\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:2:4: error: unknown alias *nope\n");
  expect_error("a: \"x\xC2\x85y\"\nb: *nope\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:2:4: error: unknown alias *nope\n");
  DipkgYNode *root = NULL;
  ck_assert_int_eq(parse("a: \"x\xE2\x80\xA9y\"\nb:\n\tc: 1\n", &root),
                   DIPKG_ERR_DATA);
  ck_assert_uint_eq(diags.items[0].loc.line, 3);
  ck_assert_msg(strstr(diag_text(), "(YAML does not allow tabs for "
                                    "indentation; use spaces)"),
                "no hint in:\n%s", diag_text());
}
END_TEST

START_TEST(test_syntax_error_with_note)
{
  expect_error("k: \"abc\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:2:1: error: YAML syntax error: while scanning a "
               "quoted scalar found unexpected end of stream\n"
               "facts/f.yaml:1:4: note: the construct started here\n");
  expect_error("k: a: b\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:5: error: YAML syntax error: mapping values are "
               "not allowed in this context (put text that contains ': ' in "
               "quotes)\n");
}
END_TEST

START_TEST(test_invalid_utf8)
{
  expect_error("k: \xFF\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: invalid UTF-8 (byte 0xFF); facts "
               "files must be UTF-8 text\n");
  // On a later line, after a multi-byte character.
  expect_error("a: 1\nb\xC3\xA9: x\xFE\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:2:6: error: invalid UTF-8 (byte 0xFE); facts "
               "files must be UTF-8 text\n");
  // A broken sequence is located at its first byte, not where libyaml
  // noticed it.
  expect_error("a: 1\nb\xC3\xA9: \xC3(\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:2:5: error: invalid UTF-8 (byte 0xC3); facts "
               "files must be UTF-8 text\n");
  expect_error("k: \xED\xA0\x80\n", NULL, DIPKG_ERR_DATA,  // surrogate
               "facts/f.yaml:1:4: error: invalid UTF-8 (byte 0xED); facts "
               "files must be UTF-8 text\n");
  expect_error("k: \xC0\xAF\n", NULL, DIPKG_ERR_DATA,  // overlong
               "facts/f.yaml:1:4: error: invalid UTF-8 (byte 0xC0); facts "
               "files must be UTF-8 text\n");
  expect_error("k: v\n# \xE6\x97\n", NULL,
               DIPKG_ERR_DATA,  // truncated, in a comment
               "facts/f.yaml:2:3: error: invalid UTF-8 (byte 0xE6); facts "
               "files must be UTF-8 text\n");
}
END_TEST

START_TEST(test_nul_byte)
{
  static const char data[] = "k: a\0b\n";
  DipkgYNode *root = (DipkgYNode *)1;
  ck_assert_int_eq(parse_full(data, sizeof data - 1, FILE_NAME, NULL, &root),
                   DIPKG_ERR_DATA);
  ck_assert_ptr_null(root);
  ck_assert_str_eq(diag_text(),
                   "facts/f.yaml:1:5: error: the file contains a NUL byte\n");
  static const char data2[] = "a: 1\nbb: \0\n";
  ck_assert_int_eq(parse_full(data2, sizeof data2 - 1, FILE_NAME, NULL, &root),
                   DIPKG_ERR_DATA);
  ck_assert_str_eq(diag_text(),
                   "facts/f.yaml:2:5: error: the file contains a NUL byte\n");
}
END_TEST

START_TEST(test_utf8_bom_accepted)
{
  DipkgYNode *root = parse_ok("\xEF\xBB\xBFk: v\nj: w\n");
  ck_assert_int_eq(root->kind, DIPKG_Y_MAPPING);
  const DipkgYPair *p = root->u.map.pairs;
  expect_scalar(p[0].key, "k", true);  // the BOM is not part of the key
  expect_loc(p[0].key, 1, 1, 1);
  expect_loc(p[0].value, 1, 4, 1);
  expect_loc(p[1].value, 2, 4, 1);
}
END_TEST

/* The BOM, which libyaml's own marks skip, is not a column either when an
 * error is located from a byte offset. */
START_TEST(test_utf8_bom_error_column)
{
  expect_error("\xEF\xBB\xBFk: \xFF\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: invalid UTF-8 (byte 0xFF); facts "
               "files must be UTF-8 text\n");
  expect_error("\xEF\xBB\xBFk: *nope\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:1:4: error: unknown alias *nope\n");
}
END_TEST

START_TEST(test_crlf_line_ends)
{
  DipkgYNode *root = parse_ok("a: 1\r\nb: two words\r\nc: [x,\r\n  y]\r\n"
                              "d: \"q\r\n  r\"\r\n");
  const DipkgYPair *p = root->u.map.pairs;
  ck_assert_uint_eq(root->u.map.n, 4);
  expect_loc(p[1].key, 2, 1, 1);
  expect_scalar(p[1].value, "two words", true);  // no stray '\r'
  expect_loc(p[1].value, 2, 4, 9);
  const DipkgYNode *list = p[2].value;
  expect_loc(list->u.seq.items[0], 3, 5, 1);
  expect_loc(list->u.seq.items[1], 4, 3, 1);
  expect_scalar(p[3].value, "q r", false);
  expect_loc(p[3].key, 5, 1, 1);
  // Errors after CRLF lines have the right line too.
  expect_error("a: 1\r\nb: 2\r\nc: *nope\r\n", NULL, DIPKG_ERR_DATA,
               "facts/f.yaml:3:4: error: unknown alias *nope\n");
}
END_TEST

START_TEST(test_diagnostics_carry_file_name)
{
  static const char *const name = "some dir/article-7.yaml";
  DipkgYNode *root = NULL;
  static const char *const docs[] = {"a: *x\n", "a: 1\na: 2\n", "k: \xFF\n",
                                     "k: \"",   "a: !t x\n",    "- 1\n--- 2\n"};
  for (size_t i = 0; i < 6; i++) {
    DipkgStatus st = parse_full(docs[i], strlen(docs[i]), name, NULL, &root);
    ck_assert_int_ne(st, DIPKG_SUCCESS);
    ck_assert_uint_ge(diags.n, 1);
    for (size_t k = 0; k < diags.n; k++)
      ck_assert_msg(diags.items[k].file && !strcmp(diags.items[k].file, name),
                    "document %zu: diagnostic %zu has file '%s'", i, k,
                    diags.items[k].file ? diags.items[k].file : "(null)");
  }
  DipkgYLimits lim = dipkg_y_default_limits;
  lim.max_nodes = 1;
  ck_assert_int_eq(parse_full("[a]", 3, name, &lim, &root), DIPKG_ERR_LIMIT);
  ck_assert_str_eq(diags.items[0].file, name);
  ck_assert_uint_eq(diags.errors, 1);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("yaml_tree");
  TCase *tree = tcase_create("tree");
  tcase_add_checked_fixture(tree, setup, teardown);
  tcase_add_test(tree, test_kinds_and_locations);
  tcase_add_test(tree, test_top_level_scalar_and_list);
  tcase_add_test(tree, test_block_scalars);
  tcase_add_test(tree, test_columns_count_characters);
  tcase_add_test(tree, test_error_columns_count_characters);
  tcase_add_test(tree, test_null_detection);
  tcase_add_test(tree, test_empty_document);
  tcase_add_test(tree, test_nul_terminated_copies);
  suite_add_tcase(s, tree);

  TCase *maps = tcase_create("mappings");
  tcase_add_checked_fixture(maps, setup, teardown);
  tcase_add_test(maps, test_duplicate_keys);
  tcase_add_test(maps, test_keys_differing_in_case_are_distinct);
  tcase_add_test(maps, test_duplicate_keys_large_mapping);
  tcase_add_test(maps, test_triple_key_large_mapping_cites_first);
  tcase_add_test(maps, test_non_scalar_keys);
  tcase_add_test(maps, test_tags_rejected);
  suite_add_tcase(s, maps);

  TCase *aliases = tcase_create("aliases");
  tcase_add_checked_fixture(aliases, setup, teardown);
  tcase_add_test(aliases, test_alias_of_scalar_shares_node);
  tcase_add_test(aliases, test_alias_of_collection_shares_node);
  tcase_add_test(aliases, test_anchor_redefined);
  tcase_add_test(aliases, test_anchor_redefined_inside_its_collection);
  tcase_add_test(aliases, test_unknown_alias);
  tcase_add_test(aliases, test_recursive_alias);
  tcase_add_test(aliases, test_alias_of_collection_with_alias);
  tcase_add_test(aliases, test_billion_laughs);
  suite_add_tcase(s, aliases);

  TCase *limits = tcase_create("limits");
  tcase_add_checked_fixture(limits, setup, teardown);
  tcase_add_test(limits, test_depth_limit);
  tcase_add_test(limits, test_default_depth_limit);
  tcase_add_test(limits, test_scalar_size_limit);
  tcase_add_test(limits, test_node_limit);
  tcase_add_test(limits, test_alias_count_limit);
  suite_add_tcase(s, limits);

  TCase *input = tcase_create("input");
  tcase_add_checked_fixture(input, setup, teardown);
  tcase_add_test(input, test_second_document);
  tcase_add_test(input, test_control_characters_in_quoted_scalars);
  tcase_add_test(input, test_tab_indentation_hint);
  tcase_add_test(input, test_tab_indentation_hint_after_multibyte);
  tcase_add_test(input, test_unicode_line_separators_do_not_shift_lines);
  tcase_add_test(input, test_syntax_error_with_note);
  tcase_add_test(input, test_invalid_utf8);
  tcase_add_test(input, test_nul_byte);
  tcase_add_test(input, test_utf8_bom_accepted);
  tcase_add_test(input, test_utf8_bom_error_column);
  tcase_add_test(input, test_crlf_line_ends);
  tcase_add_test(input, test_diagnostics_carry_file_name);
  suite_add_tcase(s, input);
  return tu_main(s);
}
