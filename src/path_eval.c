#include "path_eval.h"

#include "hash.h"
#include "memory.h"

#include <redland.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Nodes are interned: each distinct term an int, so that the bags and
 * sets of the evaluation are arrays of ints. */
typedef struct Ints {
  int *v;
  size_t n, cap;
} Ints;

/* A set of ints (open addressing; slot value id + 1, 0 empty). */
typedef struct IntSet {
  int *slots;
  size_t cap, n;
} IntSet;

typedef struct Eval {
  const DipkgPathGraph *g;
  const DipkgPath *path;
  librdf_node **preds;  // per path node: its predicate (LINK), owned
  librdf_node **nodes;  // interned terms, owned
  uint64_t *hashes;
  size_t n, cap;
  int *table;  // id + 1 per slot, 0: empty
  size_t tcap;
  size_t work, limit;
  DipkgStatus st;
} Eval;

static bool
ints_push(Eval *e, Ints *l, int v)
{
  if (e->st)
    return false;
  if (++e->work > e->limit) {
    e->st = DIPKG_ERR_QUERY_LIMIT;
    return false;
  }
  if (dipkg_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
    e->st = DIPKG_ERR_NO_MEMORY;
    return false;
  }
  l->v[l->n++] = v;
  return true;
}

/* Adds v to the set; false if it was there (or on failure: e->st). */
static bool
set_add(Eval *e, IntSet *s, int v)
{
  if (e->st)
    return false;
  if ((s->n + 1) * 4 > s->cap * 3) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    int *slots = dipkg_calloc(cap, sizeof *slots);
    if (!slots) {
      e->st = DIPKG_ERR_NO_MEMORY;
      return false;
    }
    for (size_t k = 0; k < s->cap; k++)
      if (s->slots[k]) {
        size_t h = dipkg_hash_mix((uint64_t)s->slots[k]) & (cap - 1);
        while (slots[h])
          h = (h + 1) & (cap - 1);
        slots[h] = s->slots[k];
      }
    dipkg_free(s->slots);
    s->slots = slots;
    s->cap = cap;
  }
  size_t h = dipkg_hash_mix((uint64_t)v + 1) & (s->cap - 1);
  for (; s->slots[h]; h = (h + 1) & (s->cap - 1))
    if (s->slots[h] == v + 1)
      return false;
  s->slots[h] = v + 1;
  s->n++;
  return true;
}

/* The hash of a term: its kind, text, language and datatype. */
static uint64_t
term_hash(librdf_node *node)
{
  size_t len = 0;
  const unsigned char *text;
  uint64_t h;
  if (librdf_node_is_resource(node)) {
    text = librdf_uri_as_counted_string(librdf_node_get_uri(node), &len);
    h = 1;
  } else if (librdf_node_is_blank(node)) {
    text = librdf_node_get_counted_blank_identifier(node, &len);
    h = 2;
  } else {
    text = librdf_node_get_literal_value_as_counted_string(node, &len);
    h = 3;
    const char *lang = librdf_node_get_literal_value_language(node);
    librdf_uri *dt = librdf_node_get_literal_value_datatype_uri(node);
    if (lang)
      h = dipkg_hash_str(h, lang);
    if (dt)
      h = dipkg_hash_str(h ^ 7, (const char *)librdf_uri_as_string(dt));
  }
  return dipkg_hash_bytes(h, text ? text : (const unsigned char *)"", len);
}

/* The id of `node` (borrowed; copied when new), or -1 (e->st set). */
static int
intern(Eval *e, librdf_node *node)
{
  if (e->st)
    return -1;
  uint64_t h = term_hash(node);
  if ((e->n + 1) * 2 > e->tcap) {
    size_t cap = e->tcap ? e->tcap * 2 : 64;
    int *table = dipkg_calloc(cap, sizeof *table);
    if (!table) {
      e->st = DIPKG_ERR_NO_MEMORY;
      return -1;
    }
    for (size_t k = 0; e->hashes && k < e->n; k++) {
      size_t at = (size_t)e->hashes[k] & (cap - 1);
      while (table[at])
        at = (at + 1) & (cap - 1);
      table[at] = (int)k + 1;
    }
    dipkg_free(e->table);
    e->table = table;
    e->tcap = cap;
  }
  size_t at = (size_t)h & (e->tcap - 1);
  for (; e->table[at]; at = (at + 1) & (e->tcap - 1)) {
    int id = e->table[at] - 1;
    if (e->hashes && e->hashes[id] == h &&
        librdf_node_equals(e->nodes[id], node))
      return id;
  }
  if (dipkg_grow((void **)&e->nodes, &e->cap, e->n + 1, sizeof *e->nodes)) {
    e->st = DIPKG_ERR_NO_MEMORY;
    return -1;
  }
  uint64_t *hashes = dipkg_realloc(e->hashes, e->cap * sizeof *hashes);
  if (!hashes) {
    e->st = DIPKG_ERR_NO_MEMORY;
    return -1;
  }
  e->hashes = hashes;
  e->nodes[e->n] = librdf_new_node_from_node(node);
  if (!e->nodes[e->n]) {
    e->st = DIPKG_ERR_NO_MEMORY;
    return -1;
  }
  e->hashes[e->n] = h;
  e->table[at] = (int)e->n + 1;
  return (int)e->n++;
}

/* The statements matching (s, p, o) (borrowed; NULL: free): a stream, or
 * NULL with e->st set. */
static librdf_stream *
find(Eval *e, librdf_node *s, librdf_node *p, librdf_node *o)
{
  librdf_world *w = e->g->world;
  librdf_node *cs = s ? librdf_new_node_from_node(s) : NULL;
  librdf_node *cp = p ? librdf_new_node_from_node(p) : NULL;
  librdf_node *co = o ? librdf_new_node_from_node(o) : NULL;
  librdf_statement *pattern = librdf_new_statement_from_nodes(w, cs, cp, co);
  if (!pattern) {  // (the nodes are freed then)
    e->st = DIPKG_ERR_NO_MEMORY;
    return NULL;
  }
  librdf_stream *stream = e->g->find(e->g->user, pattern);
  librdf_free_statement(pattern);
  if (!stream)  // (the read storage's allocations, or Redland's)
    e->st = DIPKG_ERR_NO_MEMORY;
  return stream;
}

/* Whether predicate `p` is one of the NPS members from `m` on whose
 * direction is `inverse`. */
static bool
excluded(const Eval *e, int m, librdf_node *p, bool inverse)
{
  for (; m >= 0; m = e->path->nodes[m].next)
    if (e->path->nodes[m].inverse == inverse && e->preds[m] &&
        librdf_node_equals(e->preds[m], p))
      return true;
  return false;
}

/* Whether the NPS from member `m` on has a member in direction
 * `inverse` (a set of forward members only has no inverse part, and the
 * other way round). */
static bool
has_members(const Eval *e, int m, bool inverse)
{
  for (; m >= 0; m = e->path->nodes[m].next)
    if (e->path->nodes[m].inverse == inverse)
      return true;
  return false;
}

/* Appends the nodes one statement away from x: with `out_arc`, the objects
 * of x's statements, else the subjects of the statements whose object is
 * x; predicate `p`, or (p NULL) any predicate but the NPS members from `m`
 * of direction `inverse`. */
static void
one_step(Eval *e, librdf_node *p, int m, bool inverse, int x, bool out_arc,
         Ints *out)
{
  librdf_node *xn = e->nodes[x];
  librdf_stream *st = out_arc ? find(e, xn, p, NULL) : find(e, NULL, p, xn);
  for (; st && !e->st && !librdf_stream_end(st); librdf_stream_next(st)) {
    librdf_statement *t = librdf_stream_get_object(st);  // borrowed
    if (++e->work > e->limit) {  // every statement read, excluded or not
      e->st = DIPKG_ERR_QUERY_LIMIT;
      break;
    }
    if (!p && excluded(e, m, librdf_statement_get_predicate(t), inverse))
      continue;
    int y = intern(e, out_arc ? librdf_statement_get_object(t)
                              : librdf_statement_get_subject(t));
    if (y >= 0)
      ints_push(e, out, y);
  }
  if (st)
    librdf_free_stream(st);
}

static void step(Eval *e, int k, int x, bool forward, Ints *out);

/* The closure of node k's operand from x (ZeroOrMore with `zero`,
 * OneOrMore without): each node reached once. */
static void
closure(Eval *e, int k, int x, bool forward, bool zero, Ints *out)
{
  IntSet seen = {NULL, 0, 0};
  Ints todo = {NULL, 0, 0}, next = {NULL, 0, 0};
  if (zero && set_add(e, &seen, x))
    ints_push(e, out, x);
  ints_push(e, &todo, x);
  for (size_t at = 0; at < todo.n && !e->st; at++) {
    next.n = 0;
    step(e, e->path->nodes[k].a, todo.v[at], forward, &next);
    for (size_t i = 0; i < next.n && !e->st; i++)
      if (set_add(e, &seen, next.v[i])) {
        ints_push(e, out, next.v[i]);
        ints_push(e, &todo, next.v[i]);
      }
  }
  dipkg_free(seen.slots);
  dipkg_free(todo.v);
  dipkg_free(next.v);
}

/* Appends the nodes path node k reaches from x (forward: x is the
 * subject; else x is the object and the subjects are appended), as a
 * bag. */
static void
step(Eval *e, int k, int x, bool forward, Ints *out)
{
  const DipkgPathNode *n = &e->path->nodes[k];
  switch (n->op) {
  case DIPKG_PATH_LINK:
    one_step(e, e->preds[k], -1, false, x, forward, out);
    break;
  case DIPKG_PATH_INV:
    step(e, n->a, x, !forward, out);
    break;
  case DIPKG_PATH_SEQ: {
    Ints mid = {NULL, 0, 0};
    step(e, forward ? n->a : n->b, x, forward, &mid);
    for (size_t i = 0; i < mid.n && !e->st; i++)
      step(e, forward ? n->b : n->a, mid.v[i], forward, out);
    dipkg_free(mid.v);
    break;
  }
  case DIPKG_PATH_ALT:
    step(e, n->a, x, forward, out);
    step(e, n->b, x, forward, out);
    break;
  case DIPKG_PATH_NPS:
    // !(p | ^q): the forward arcs whose predicate is not p, and the
    // inverse arcs whose predicate is not q.
    if (has_members(e, n->a, false) || n->a < 0)
      one_step(e, NULL, n->a, false, x, forward, out);
    if (has_members(e, n->a, true))
      one_step(e, NULL, n->a, true, x, !forward, out);
    break;
  case DIPKG_PATH_OPT: {
    Ints one = {NULL, 0, 0};
    IntSet seen = {NULL, 0, 0};
    if (set_add(e, &seen, x))
      ints_push(e, out, x);
    step(e, n->a, x, forward, &one);
    for (size_t i = 0; i < one.n && !e->st; i++)
      if (set_add(e, &seen, one.v[i]))
        ints_push(e, out, one.v[i]);
    dipkg_free(one.v);
    dipkg_free(seen.slots);
    break;
  }
  case DIPKG_PATH_STAR:
  case DIPKG_PATH_PLUS:
    closure(e, k, x, forward, n->op == DIPKG_PATH_STAR, out);
    break;
  }
}

/* Every subject and object of the graph, once each (each statement read
 * counts as work). */
static void
all_nodes(Eval *e, Ints *out)
{
  IntSet seen = {NULL, 0, 0};
  librdf_stream *st = find(e, NULL, NULL, NULL);
  for (; st && !e->st && !librdf_stream_end(st); librdf_stream_next(st)) {
    if (++e->work > e->limit) {
      e->st = DIPKG_ERR_QUERY_LIMIT;
      break;
    }
    librdf_statement *t = librdf_stream_get_object(st);  // borrowed
    int a = intern(e, librdf_statement_get_subject(t));
    if (a >= 0 && set_add(e, &seen, a))
      ints_push(e, out, a);
    int b = intern(e, librdf_statement_get_object(t));
    if (b >= 0 && set_add(e, &seen, b))
      ints_push(e, out, b);
  }
  if (st)
    librdf_free_stream(st);
  dipkg_free(seen.slots);
}

static bool
pair_add(Eval *e, DipkgPathPairs *out, int a, int b)
{
  if (e->st)
    return false;
  if (dipkg_grow((void **)&out->nodes, &out->cap, 2 * out->n + 2,
                 sizeof *out->nodes)) {
    e->st = DIPKG_ERR_NO_MEMORY;
    return false;
  }
  out->nodes[2 * out->n] = librdf_new_node_from_node(e->nodes[a]);
  out->nodes[2 * out->n + 1] = librdf_new_node_from_node(e->nodes[b]);
  out->n++;
  if (!out->nodes[2 * out->n - 2] || !out->nodes[2 * out->n - 1])
    e->st = DIPKG_ERR_NO_MEMORY;
  return !e->st;
}

/* The pairs of `path` in e's graph from s to o (NULL: free). */
static void
evaluate(Eval *e, librdf_node *s, librdf_node *o, DipkgPathPairs *out)
{
  int root = e->path->root;
  Ints ends = {NULL, 0, 0};
  if (s) {
    int x = intern(e, s), y = o ? intern(e, o) : -1;
    if (x >= 0)
      step(e, root, x, true, &ends);
    for (size_t i = 0; i < ends.n && !e->st; i++)
      if (!o || ends.v[i] == y)
        pair_add(e, out, x, ends.v[i]);
  } else if (o) {
    int y = intern(e, o);
    if (y >= 0)
      step(e, root, y, false, &ends);
    for (size_t i = 0; i < ends.n && !e->st; i++)
      pair_add(e, out, ends.v[i], y);
  } else {
    Ints starts = {NULL, 0, 0};
    all_nodes(e, &starts);
    for (size_t k = 0; k < starts.n && !e->st; k++) {
      ends.n = 0;
      step(e, root, starts.v[k], true, &ends);
      for (size_t i = 0; i < ends.n && !e->st; i++)
        pair_add(e, out, starts.v[k], ends.v[i]);
    }
    dipkg_free(starts.v);
  }
  dipkg_free(ends.v);
}

DipkgStatus
dipkg_path_eval(const DipkgPathGraph *graph, const DipkgPath *path,
                librdf_node *s, librdf_node *o, size_t limit,
                DipkgPathPairs *out)
{
  Eval e = {graph, path, NULL, NULL, NULL, 0, 0, NULL, 0, 0, limit, 0};
  e.preds = dipkg_calloc(path->n + 1, sizeof *e.preds);
  if (!e.preds)
    return DIPKG_ERR_NO_MEMORY;
  for (size_t k = 0; k < path->n && !e.st; k++)
    if (path->nodes[k].op == DIPKG_PATH_LINK) {
      e.preds[k] = librdf_new_node_from_uri_string(
        graph->world, (const unsigned char *)path->nodes[k].iri);
      if (!e.preds[k])
        e.st = DIPKG_ERR_NO_MEMORY;
    }
  size_t before = out->n;
  if (!e.st)
    evaluate(&e, s, o, out);
  if (e.st) {  // nothing appended: never a part of the answer
    for (size_t i = 2 * before; i < 2 * out->n; i++)
      if (out->nodes[i])
        librdf_free_node(out->nodes[i]);
    out->n = before;
  }
  for (size_t k = 0; k < path->n; k++)
    if (e.preds[k])
      librdf_free_node(e.preds[k]);
  dipkg_free(e.preds);
  for (size_t k = 0; k < e.n; k++)
    librdf_free_node(e.nodes[k]);
  dipkg_free(e.nodes);
  dipkg_free(e.hashes);
  dipkg_free(e.table);
  return e.st;
}

void
dipkg_path_pairs_free(DipkgPathPairs *pairs)
{
  for (size_t i = 0; i < 2 * pairs->n; i++)
    if (pairs->nodes[i])
      librdf_free_node(pairs->nodes[i]);
  dipkg_free(pairs->nodes);
  *pairs = (DipkgPathPairs){NULL, 0, 0};
}
