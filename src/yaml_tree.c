#include "yaml_tree.h"

#include "limit.h"
#include "memory.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

const DipkgYLimits dipkg_y_default_limits = {
  .max_depth = DIPKG_LIMIT_YAML_DEPTH,
  .max_scalar = DIPKG_LIMIT_YAML_SCALAR,
  .max_aliases = DIPKG_LIMIT_YAML_ALIASES,
  .max_nodes = DIPKG_LIMIT_YAML_NODES,
};

/* A collection being built: its node and the children seen so far (for a
 * mapping, keys and values alternate). */
typedef struct Frame {
  DipkgYNode *node;
  DipkgYNode **kids;
  size_t n;
  size_t cap;
  size_t anchor;   // index in Builder.anchors + 1, or 0
  bool has_alias;  // the collection contains an alias
} Frame;

typedef struct Anchor {
  const char *name;
  DipkgYNode *node;  // NULL while the anchored collection is still open
  bool has_alias;
} Anchor;

typedef struct Builder {
  const char *file;
  const char *data;
  size_t len;
  const DipkgYLimits *limits;
  DipkgArena *arena;
  DipkgDiagList *diags;
  Frame *frames;  // max_depth of them
  size_t depth;
  Anchor *anchors;
  size_t n_anchors;
  size_t anchors_cap;
  size_t n_aliases;
  size_t n_nodes;
  DipkgYNode *root;
  // Where the last located mark was: libyaml's marks count characters and
  // take U+0085, U+2028 and U+2029 for line breaks, so dipkg computes lines
  // and columns itself from the character index, counting only LF, CRLF
  // and CR as line breaks, as editors do.
  size_t at_char, at_byte;
  unsigned at_line, at_col;
  // JSON surrogate pairs rewritten before parsing (see json_surrogates()):
  // from each of these character indexes of the parsed text on, the
  // original is 2 characters further.  Ascending.
  size_t *shifts;
  size_t n_shifts;
} Builder;

static size_t
bom_length(const Builder *b)
{
  return b->len >= 3 && !memcmp(b->data, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

/* Moves the locator to character `index` (rewinding if needed) and returns
 * its byte offset.  Linear over a parse, as marks mostly increase. */
static size_t
advance_to(Builder *b, size_t index)
{
  size_t lo = 0, hi = b->n_shifts;  // shifts at or before `index`
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->shifts[mid] <= index)
      lo = mid + 1;
    else
      hi = mid;
  }
  index += 2 * lo;  // to the original text's index
  if (index < b->at_char || !b->at_line) {
    b->at_char = 0;
    b->at_byte = bom_length(b);
    b->at_line = 1;
    b->at_col = 1;
  }
  while (b->at_char < index && b->at_byte < b->len) {
    unsigned char c = (unsigned char)b->data[b->at_byte];
    size_t n = 1;
    while (b->at_byte + n < b->len &&
           ((unsigned char)b->data[b->at_byte + n] & 0xC0) == 0x80 && c >= 0xC0)
      n++;
    bool brk = c == '\n' || (c == '\r' && (b->at_byte + 1 >= b->len ||
                                           b->data[b->at_byte + 1] != '\n'));
    if (brk) {
      b->at_line++;
      b->at_col = 1;
    } else {
      b->at_col++;
    }
    b->at_byte += n;
    b->at_char++;
  }
  return b->at_byte;
}

/* The location of a node spanning [start, end). */
static DipkgLoc
loc_of(Builder *b, yaml_mark_t start, yaml_mark_t end)
{
  advance_to(b, start.index);
  DipkgLoc loc = {b->at_line, b->at_col, 0};
  if (end.index > start.index) {
    advance_to(b, end.index);
    if (b->at_line == loc.line)
      loc.width = b->at_col - loc.col;
  }
  return loc;
}

static DipkgLoc
loc_of_offset(const char *data, size_t len, size_t offset)
{
  DipkgLoc loc = {1, 1, 1};
  if (offset > len)
    offset = len;
  size_t i =
    len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) && offset >= 3 ? 3 : 0;
  for (; i < offset; i++) {
    if (data[i] == '\n') {
      loc.line++;
      loc.col = 1;
    } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
      loc.col++;
    }
  }
  return loc;
}

static void
report_parser_error(Builder *b, const yaml_parser_t *parser)
{
  if (parser->error == YAML_MEMORY_ERROR) {
    dipkg_diag_add(b->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, b->file,
                   (DipkgLoc){0, 0, 0}, "out of memory while parsing YAML");
    return;
  }
  const char *problem = parser->problem ? parser->problem : "unknown problem";
  if (parser->error == YAML_READER_ERROR) {
    // libyaml's offset may point past the culprit (at the byte that ends a
    // broken sequence): locate the first invalid byte ourselves.
    size_t bad = dipkg_utf8_invalid_at(b->data, b->len);
    if (bad < b->len) {
      dipkg_diag_error(b->diags, b->file, loc_of_offset(b->data, b->len, bad),
                       "invalid UTF-8 (byte 0x%02X); facts files must be "
                       "UTF-8 text",
                       (unsigned char)b->data[bad]);
      return;
    }
    const char *nul = memchr(b->data, '\0', b->len);
    if (nul) {
      dipkg_diag_error(b->diags, b->file,
                       loc_of_offset(b->data, b->len, (size_t)(nul - b->data)),
                       "the file contains a NUL byte");
      return;
    }
    DipkgLoc loc = loc_of_offset(b->data, b->len, parser->problem_offset);
    dipkg_diag_error(b->diags, b->file, loc, "invalid input: %s", problem);
    return;
  }
  DipkgLoc loc = loc_of(b, parser->problem_mark, parser->problem_mark);
  size_t at = advance_to(b, parser->problem_mark.index);
  const char *hint = "";
  if (at < b->len && b->data[at] == '\t')
    hint = " (YAML does not allow tabs for indentation; use spaces)";
  else if (!strcmp(problem, "mapping values are not allowed in this context"))
    hint = " (put text that contains ': ' in quotes)";
  else if (!strcmp(problem, "found invalid Unicode character escape code"))
    hint = " (a UTF-16 surrogate pair such as \\ud83d\\ude00 is read in a "
           "JSON-shaped file only; in YAML write the character, or "
           "\\U0001F600)";
  if (parser->context)
    dipkg_diag_error(b->diags, b->file, loc, "YAML syntax error: %s %s%s",
                     parser->context, problem, hint);
  else
    dipkg_diag_error(b->diags, b->file, loc, "YAML syntax error: %s%s", problem,
                     hint);
  if (parser->context &&
      (parser->context_mark.line != parser->problem_mark.line ||
       parser->context_mark.column != parser->problem_mark.column))
    dipkg_diag_note(b->diags, b->file,
                    loc_of(b, parser->context_mark, parser->context_mark),
                    "the construct started here");
}

static DipkgStatus
oom(Builder *b)
{
  dipkg_diag_add(b->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, b->file,
                 (DipkgLoc){0, 0, 0}, "out of memory while reading YAML");
  return DIPKG_ERR_NO_MEMORY;
}

static DipkgStatus
limit_error(Builder *b, DipkgLoc loc, const char *what, size_t limit)
{
  dipkg_diag_add(b->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_LIMIT, b->file, loc,
                 "%s (the limit is %zu)", what, limit);
  return DIPKG_ERR_LIMIT;
}

static DipkgYNode *
new_node(Builder *b, DipkgYKind kind, DipkgLoc loc)
{
  DipkgYNode *n = dipkg_arena_calloc(b->arena, 1, sizeof *n);
  if (n) {
    n->kind = kind;
    n->loc = loc;
  }
  return n;
}

/* Adds a finished node to the collection being built, or makes it the
 * root. */
static DipkgStatus
attach(Builder *b, DipkgYNode *node, bool has_alias)
{
  if (b->depth == 0) {
    b->root = node;
    return DIPKG_SUCCESS;
  }
  Frame *f = &b->frames[b->depth - 1];
  if (dipkg_grow((void **)&f->kids, &f->cap, f->n + 1, sizeof *f->kids))
    return oom(b);
  f->kids[f->n++] = node;
  f->has_alias |= has_alias;
  return DIPKG_SUCCESS;
}

static DipkgStatus
check_tag(Builder *b, const yaml_char_t *tag, DipkgLoc loc)
{
  if (!tag)
    return DIPKG_SUCCESS;
  dipkg_diag_error(
    b->diags, b->file, loc,
    "YAML tags are not supported (found %s); remove the tag",
    dipkg_diag_q(0, (const char *)tag, strlen((const char *)tag)));
  return DIPKG_ERR_DATA;
}

/* Binds anchor `name` to `node` (NULL for a collection still open) and
 * stores the binding's index + 1 in `*slot` (if not NULL).  A later anchor
 * of the same name replaces an earlier one, as YAML specifies. */
static DipkgStatus
define_anchor(Builder *b, const yaml_char_t *name, DipkgYNode *node,
              size_t *slot)
{
  if (!name)
    return DIPKG_SUCCESS;
  const char *s = (const char *)name;
  size_t i = 0;
  while (i < b->n_anchors && strcmp(b->anchors[i].name, s))
    i++;
  if (i == b->n_anchors) {
    if (dipkg_grow((void **)&b->anchors, &b->anchors_cap, b->n_anchors + 1,
                   sizeof *b->anchors))
      return oom(b);
    char *copy = dipkg_arena_strndup(b->arena, s, strlen(s));
    if (!copy)
      return oom(b);
    b->anchors[b->n_anchors++].name = copy;
  }
  b->anchors[i].node = node;
  b->anchors[i].has_alias = false;
  if (slot)
    *slot = i + 1;
  return DIPKG_SUCCESS;
}

static DipkgStatus
on_scalar(Builder *b, const yaml_event_t *ev)
{
  DipkgLoc loc = loc_of(b, ev->start_mark, ev->end_mark);
  DipkgStatus st = check_tag(b, ev->data.scalar.tag, loc);
  if (st)
    return st;
  size_t len = ev->data.scalar.length;
  if (len > b->limits->max_scalar)
    return limit_error(b, loc, "text value too long", b->limits->max_scalar);
  const char *value = (const char *)ev->data.scalar.value;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)value[i];
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      dipkg_diag_error(b->diags, b->file, loc,
                       "text contains the control character U+%04X", c);
      return DIPKG_ERR_DATA;
    }
  }
  DipkgYNode *n = new_node(b, DIPKG_Y_SCALAR, loc);
  char *copy = n ? dipkg_arena_strndup(b->arena, value, len) : NULL;
  if (!copy)
    return oom(b);
  n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  n->u.scalar.str = copy;
  n->u.scalar.len = len;
  st = define_anchor(b, ev->data.scalar.anchor, n, NULL);
  return st ? st : attach(b, n, false);
}

static DipkgStatus
on_start(Builder *b, const yaml_event_t *ev, DipkgYKind kind)
{
  DipkgLoc loc = loc_of(b, ev->start_mark, ev->start_mark);
  const yaml_char_t *tag = kind == DIPKG_Y_MAPPING
                             ? ev->data.mapping_start.tag
                             : ev->data.sequence_start.tag;
  const yaml_char_t *anchor = kind == DIPKG_Y_MAPPING
                                ? ev->data.mapping_start.anchor
                                : ev->data.sequence_start.anchor;
  DipkgStatus st = check_tag(b, tag, loc);
  if (st)
    return st;
  if (b->depth >= b->limits->max_depth)
    return limit_error(b, loc, "YAML nested too deeply", b->limits->max_depth);
  DipkgYNode *n = new_node(b, kind, loc);
  if (!n)
    return oom(b);
  Frame *f = &b->frames[b->depth];
  f->node = n;
  f->n = 0;
  f->anchor = 0;
  f->has_alias = false;
  // Bound now, as unfinished, so that an alias inside the collection to
  // the collection itself is recognised as recursive.
  st = define_anchor(b, anchor, NULL, &f->anchor);
  if (st)
    return st;
  b->depth++;
  return DIPKG_SUCCESS;
}

static int
compare_keys(const void *a, const void *b)
{
  const DipkgYPair *x = a, *y = b;
  size_t n = x->key->u.scalar.len < y->key->u.scalar.len ? x->key->u.scalar.len
                                                         : y->key->u.scalar.len;
  int c = memcmp(x->key->u.scalar.str, y->key->u.scalar.str, n);
  if (c)
    return c;
  if (x->key->u.scalar.len != y->key->u.scalar.len)
    return x->key->u.scalar.len < y->key->u.scalar.len ? -1 : 1;
  // Equal keys: earlier one first, so the later one is reported.
  if (x->key->loc.line != y->key->loc.line)
    return x->key->loc.line < y->key->loc.line ? -1 : 1;
  return x->key->loc.col < y->key->loc.col ? -1
                                           : x->key->loc.col > y->key->loc.col;
}

static bool
same_key(const DipkgYNode *a, const DipkgYNode *b)
{
  return a->u.scalar.len == b->u.scalar.len &&
         !memcmp(a->u.scalar.str, b->u.scalar.str, a->u.scalar.len);
}

static void
report_duplicate(Builder *b, const DipkgYNode *first, const DipkgYNode *again)
{
  dipkg_diag_error(
    b->diags, b->file, again->loc, "duplicate key %s (first given at line %u)",
    dipkg_diag_q(0, again->u.scalar.str, again->u.scalar.len), first->loc.line);
}

/* Reports keys given twice.  Small mappings compare pairwise; large ones
 * (only hostile files have them) sort a copy. */
static DipkgStatus
check_duplicates(Builder *b, const DipkgYNode *map)
{
  size_t n = map->u.map.n;
  const DipkgYPair *pairs = map->u.map.pairs;
  bool dup = false;
  if (n <= 32) {
    for (size_t i = 1; i < n; i++)
      for (size_t j = 0; j < i; j++)
        if (same_key(pairs[i].key, pairs[j].key)) {
          report_duplicate(b, pairs[j].key, pairs[i].key);
          dup = true;
          break;
        }
    return dup ? DIPKG_ERR_DATA : DIPKG_SUCCESS;
  }
  DipkgYPair *sorted = dipkg_malloc(n * sizeof *sorted);
  if (!sorted)
    return oom(b);
  memcpy(sorted, pairs, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, compare_keys);
  size_t first = 0;  // the first (earliest) of the current run of equal keys
  for (size_t i = 1; i < n; i++) {
    if (!same_key(sorted[i].key, sorted[first].key)) {
      first = i;
      continue;
    }
    report_duplicate(b, sorted[first].key, sorted[i].key);
    dup = true;
  }
  dipkg_free(sorted);
  return dup ? DIPKG_ERR_DATA : DIPKG_SUCCESS;
}

static DipkgStatus
on_end(Builder *b)
{
  Frame *f = &b->frames[b->depth - 1];
  bool has_alias = f->has_alias;
  DipkgYNode *n = f->node;
  if (n->kind == DIPKG_Y_SEQUENCE) {
    n->u.seq.items = dipkg_arena_calloc(b->arena, f->n, sizeof *n->u.seq.items);
    if (!n->u.seq.items)
      return oom(b);
    if (f->n)
      memcpy(n->u.seq.items, f->kids, f->n * sizeof *f->kids);
    n->u.seq.n = f->n;
  } else {
    size_t pairs = f->n / 2;
    n->u.map.pairs =
      dipkg_arena_calloc(b->arena, pairs, sizeof *n->u.map.pairs);
    if (!n->u.map.pairs)
      return oom(b);
    for (size_t i = 0; i < pairs; i++) {
      DipkgYNode *key = f->kids[2 * i];
      if (key->kind != DIPKG_Y_SCALAR) {
        dipkg_diag_error(b->diags, b->file, key->loc,
                         "mapping keys must be plain text, not %s",
                         dipkg_y_kind_name(key));
        return DIPKG_ERR_DATA;
      }
      n->u.map.pairs[i].key = key;
      n->u.map.pairs[i].value = f->kids[2 * i + 1];
    }
    n->u.map.n = pairs;
    DipkgStatus st = check_duplicates(b, n);
    if (st)
      return st;
  }
  b->depth--;
  // Bind the collection's anchor, unless a node inside it reused the name
  // (the later anchor wins, as YAML specifies).
  if (f->anchor && b->anchors && !b->anchors[f->anchor - 1].node) {
    b->anchors[f->anchor - 1].node = n;
    b->anchors[f->anchor - 1].has_alias = has_alias;
  }
  return attach(b, n, has_alias);
}

static DipkgStatus
on_alias(Builder *b, const yaml_event_t *ev)
{
  DipkgLoc loc = loc_of(b, ev->start_mark, ev->end_mark);
  const char *name = (const char *)ev->data.alias.anchor;
  if (++b->n_aliases > b->limits->max_aliases)
    return limit_error(b, loc, "too many YAML aliases", b->limits->max_aliases);
  for (size_t i = b->n_anchors; i-- > 0;) {
    if (strcmp(b->anchors[i].name, name))
      continue;
    if (!b->anchors[i].node) {
      dipkg_diag_error(b->diags, b->file, loc,
                       "alias *%s refers to a collection that contains it",
                       name);
      return DIPKG_ERR_DATA;
    }
    if (b->anchors[i].has_alias) {
      // Aliases of collections that contain aliases are what makes
      // exponential "billion laughs" documents possible.
      dipkg_diag_add(b->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_LIMIT, b->file,
                     loc,
                     "alias *%s refers to a collection that itself uses "
                     "aliases; nested aliases are not allowed",
                     name);
      return DIPKG_ERR_LIMIT;
    }
    return attach(b, b->anchors[i].node, true);
  }
  dipkg_diag_error(b->diags, b->file, loc, "unknown alias *%s", name);
  return DIPKG_ERR_DATA;
}

static bool
is_hex4(const char *s, unsigned *value)
{
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : 16u;
    if (d == 16)
      return false;
    v = v * 16 + d;
  }
  *value = v;
  return true;
}

/* JSON writes a character outside the Basic Multilingual Plane as a UTF-16
 * surrogate pair (\ud83d\ude00: Python's json.dumps() does by default),
 * which YAML, and libyaml, refuse.  For a JSON-shaped document (its first
 * character, after a byte order mark and blanks, is { or [), whose strings
 * are exactly its double-quoted runs, this rewrites each pair inside a
 * string as the equivalent YAML escape (\U0001F600), two characters
 * shorter, and records where in `b->shifts` so that locations still point
 * into the original.  Returns the rewritten text (caller frees with
 * dipkg_free()), or NULL when there is nothing to rewrite or on OOM
 * (`*oom` set). */
static char *
json_surrogates(Builder *b, const char *data, size_t len, size_t *out_len,
                bool *oom)
{
  size_t i = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
  while (i < len && strchr(" \t\r\n", data[i]))
    i++;
  if (i >= len || (data[i] != '{' && data[i] != '['))
    return NULL;
  bool any = false;
  for (const char *p = data;
       !any && (p = memchr(p, '\\', len - (size_t)(p - data))); p++) {
    unsigned v;
    any = (size_t)(p - data) + 12 <= len && p[1] == 'u' && is_hex4(p + 2, &v) &&
          v >= 0xD800 && v <= 0xDBFF;
  }
  if (!any)
    return NULL;
  char *out = dipkg_malloc(len + 1);
  if (!out) {
    *oom = true;
    return NULL;
  }
  size_t o = 0, chars = 0, cap = 0;  // chars: index in the rewritten text
  bool in_string = false;
  for (i = 0; i < len;) {
    char c = data[i];
    unsigned hi, lo;
    if (in_string && c == '\\' && i + 12 <= len && data[i + 1] == 'u' &&
        is_hex4(data + i + 2, &hi) && hi >= 0xD800 && hi <= 0xDBFF &&
        data[i + 6] == '\\' && data[i + 7] == 'u' &&
        is_hex4(data + i + 8, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
      if (dipkg_grow((void **)&b->shifts, &cap, b->n_shifts + 1,
                     sizeof *b->shifts)) {
        dipkg_free(out);
        *oom = true;
        return NULL;
      }
      unsigned code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
      snprintf(out + o, 11, "\\U%08X", code);
      o += 10;
      chars += 10;
      b->shifts[b->n_shifts++] = chars;
      i += 12;
      continue;
    }
    if (in_string && c == '\\' && i + 1 < len) {  // any other escape
      out[o++] = c;
      out[o++] = data[i + 1];
      chars += ((unsigned char)data[i + 1] & 0xC0) != 0x80 ? 2 : 1;
      i += 2;
      continue;
    }
    if (c == '"')
      in_string = !in_string;
    out[o++] = c;
    chars += ((unsigned char)c & 0xC0) != 0x80;
    i++;
  }
  out[o] = '\0';
  *out_len = o;
  return out;
}

DipkgStatus
dipkg_yaml_parse(const char *data, size_t len, const char *file,
                 const DipkgYLimits *limits, DipkgArena *arena,
                 DipkgDiagList *diags, DipkgYNode **root)
{
  Builder b = {.file = file,
               .data = data,
               .len = len,
               .limits = limits ? limits : &dipkg_y_default_limits,
               .arena = arena,
               .diags = diags};
  *root = NULL;
  b.frames = dipkg_calloc(b.limits->max_depth + 1, sizeof *b.frames);
  if (!b.frames)
    return oom(&b);
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    dipkg_free(b.frames);
    return oom(&b);
  }
  bool no_memory = false;
  size_t text_len = len;
  char *text = json_surrogates(&b, data, len, &text_len, &no_memory);
  if (no_memory) {
    yaml_parser_delete(&parser);
    dipkg_free(b.frames);
    dipkg_free(b.shifts);
    return oom(&b);
  }
  yaml_parser_set_input_string(
    &parser, (const unsigned char *)(text ? text : data), text_len);
  DipkgStatus st = DIPKG_SUCCESS;
  unsigned documents = 0;
  bool done = false;
  while (!done && !st) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      report_parser_error(&b, &parser);
      st = parser.error == YAML_MEMORY_ERROR ? DIPKG_ERR_NO_MEMORY
                                             : DIPKG_ERR_DATA;
      break;
    }
    if (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_SEQUENCE_START_EVENT ||
        ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_ALIAS_EVENT) {
      if (++b.n_nodes > b.limits->max_nodes)
        st = limit_error(&b, loc_of(&b, ev.start_mark, ev.start_mark),
                         "too many YAML nodes", b.limits->max_nodes);
    }
    if (!st) {
      switch (ev.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (++documents > 1) {
          dipkg_diag_error(diags, file,
                           loc_of(&b, ev.start_mark, ev.start_mark),
                           "a facts file holds one YAML document; found a "
                           "second one");
          st = DIPKG_ERR_DATA;
        }
        break;
      case YAML_SCALAR_EVENT:
        st = on_scalar(&b, &ev);
        break;
      case YAML_SEQUENCE_START_EVENT:
        st = on_start(&b, &ev, DIPKG_Y_SEQUENCE);
        break;
      case YAML_MAPPING_START_EVENT:
        st = on_start(&b, &ev, DIPKG_Y_MAPPING);
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        st = on_end(&b);
        break;
      case YAML_ALIAS_EVENT:
        st = on_alias(&b, &ev);
        break;
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      default:
        break;
      }
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  dipkg_free(text);
  dipkg_free(b.shifts);
  for (size_t i = 0; i <= b.limits->max_depth; i++)
    dipkg_free(b.frames[i].kids);
  dipkg_free(b.frames);
  dipkg_free(b.anchors);
  if (!st)
    *root = b.root;
  return st;
}

bool
dipkg_y_is_null(const DipkgYNode *node)
{
  if (node->kind != DIPKG_Y_SCALAR || !node->plain)
    return false;
  const char *s = node->u.scalar.str;
  return node->u.scalar.len == 0 || !strcmp(s, "~") || !strcmp(s, "null") ||
         !strcmp(s, "Null") || !strcmp(s, "NULL");
}

const char *
dipkg_y_kind_name(const DipkgYNode *node)
{
  switch (node->kind) {
  case DIPKG_Y_SEQUENCE:
    return "a list";
  case DIPKG_Y_MAPPING:
    return "a mapping";
  default:
    return dipkg_y_is_null(node) ? "nothing (null)" : "text";
  }
}
