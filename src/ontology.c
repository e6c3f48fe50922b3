#include "ontology.h"

#include "arena.h"
#include "input.h"
#include "memory.h"
#include "rdf_raptor.h"
#include "vocab.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DIP_PLOVER_SCHEME DIP "PloverEventTypes"
#define DIP_CAMEO_SCHEME DIP "CameoEventCodes"
#define DIP_MODE_SCHEME DIP "PloverModes"
#define DIP_CONTEXT_SCHEME DIP "PloverContexts"
#define DIP_PLOVER_MODE DIP "ploverMode"
#define DIP_PLOVER_CONTEXT DIP "ploverContext"

typedef struct Triple {
  const char *s, *p, *o;
  const char *lang;  // literal objects only
  bool literal;
} Triple;

typedef struct Property {
  const char *iri;
  const char *label;
  const char *comment;
  const DipkgClass *range;
  const char **parents;  // rdfs:subPropertyOf (IRIs)
  size_t n_parents, parents_cap;
  const char **ancestors;  // the transitive closure, computed at load
  size_t n_ancestors;
} Property;

struct DipkgOntology {
  DipkgArena *arena;
  DipkgClass **classes;  // sorted by IRI
  size_t n_classes;
  DipkgClass **by_local;  // dip: classes sorted by local name
  size_t n_local;
  Property *props;  // sorted by IRI
  size_t n_props;
  const char **plover;  // sorted
  size_t n_plover;
  const char **cameo;  // sorted
  size_t n_cameo;
  const char **modes;  // "TYPE mode", sorted
  size_t n_modes;
  const char **contexts;  // sorted
  size_t n_contexts;
  const char **files;  // the Turtle files loaded, in order
  size_t n_files, files_cap;
};

typedef struct Loader {
  DipkgOntology *onto;
  Triple *triples;
  size_t n, cap;
  bool oom;
} Loader;

static DipkgStatus
collect(void *user, const DipkgTerm *s, const DipkgTerm *p, const DipkgTerm *o,
        const DipkgTerm *g)
{
  (void)g;
  Loader *l = user;
  if (s->kind != DIPKG_TERM_IRI || o->kind == DIPKG_TERM_BLANK)
    return DIPKG_SUCCESS;  // restrictions and other anonymous structure
  if (dipkg_grow((void **)&l->triples, &l->cap, l->n + 1, sizeof *l->triples))
    return DIPKG_ERR_NO_MEMORY;
  DipkgArena *a = l->onto->arena;
  Triple *t = &l->triples[l->n];
  t->s = dipkg_arena_strndup(a, s->str, s->len);
  t->p = dipkg_arena_strndup(a, p->str, p->len);
  t->o = dipkg_arena_strndup(a, o->str, o->len);
  t->literal = o->kind == DIPKG_TERM_LITERAL;
  t->lang = o->lang ? dipkg_arena_strndup(a, o->lang, strlen(o->lang)) : NULL;
  if (!t->s || !t->p || !t->o || (o->lang && !t->lang))
    return DIPKG_ERR_NO_MEMORY;
  l->n++;
  return DIPKG_SUCCESS;
}

static int
compare_strp(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
compare_class_iri(const void *a, const void *b)
{
  return strcmp((*(DipkgClass *const *)a)->iri, (*(DipkgClass *const *)b)->iri);
}

static int
compare_class_local(const void *a, const void *b)
{
  return strcmp((*(DipkgClass *const *)a)->local,
                (*(DipkgClass *const *)b)->local);
}

static int
compare_prop(const void *a, const void *b)
{
  return strcmp(((const Property *)a)->iri, ((const Property *)b)->iri);
}

/* Sorts `items` and removes duplicates; returns the new count. */
static size_t
sort_unique(const char **items, size_t n)
{
  if (n == 0)
    return 0;
  qsort(items, n, sizeof *items, compare_strp);
  size_t out = 1;
  for (size_t i = 1; i < n; i++)
    if (strcmp(items[i], items[out - 1]))
      items[out++] = items[i];
  return out;
}

static bool
is(const char *a, const char *b)
{
  return !strcmp(a, b);
}

/* Index of the class with IRI `iri` in the sorted table, or n_classes. */
static size_t
class_index(const DipkgOntology *o, const char *iri)
{
  size_t lo = 0, hi = o->n_classes;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(iri, o->classes[mid]->iri);
    if (!c)
      return mid;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return o->n_classes;
}

static DipkgClass *
find_class(const DipkgOntology *o, const char *iri)
{
  size_t i = class_index(o, iri);
  return i < o->n_classes ? o->classes[i] : NULL;
}

static Property *
find_prop(const DipkgOntology *o, const char *iri)
{
  Property key = {.iri = iri};
  return o->n_props
           ? bsearch(&key, o->props, o->n_props, sizeof key, compare_prop)
           : NULL;
}

/* Preference of a label's language: English, then untagged, then others. */
static int
lang_rank(const char *lang)
{
  if (!lang)
    return 1;
  if (!strcmp(lang, "en") || !strncmp(lang, "en-", 3))
    return 0;
  return 2;
}

static void
take_text(const char **slot, int *rank, const Triple *t)
{
  int r = lang_rank(t->lang);
  if (!*slot || r < *rank) {
    *slot = t->o;
    *rank = r;
  }
}

static bool
is_a_depth(const DipkgClass *c, const DipkgClass *ancestor, int depth)
{
  if (c == ancestor)
    return true;
  if (depth > 64)
    return false;  // a cycle, or an absurd hierarchy
  for (size_t i = 0; i < c->n_parents; i++)
    if (is_a_depth(c->parents[i], ancestor, depth + 1))
      return true;
  return false;
}

bool
dipkg_class_is_a(const DipkgClass *c, const DipkgClass *ancestor)
{
  return c && ancestor && is_a_depth(c, ancestor, 0);
}

/* Nearest annotated ancestor, breadth first.  `which` 0: CAMEO, 1: PLOVER,
 * 2: the PLOVER mode of the class that gives the PLOVER type (a mode only
 * makes sense with its own type), 3: the PLOVER context. */
static const char *
inherited(const DipkgClass *c, int which)
{
  enum { MAX = 256 };
  const DipkgClass *queue[MAX];
  size_t head = 0, tail = 0;
  queue[tail++] = c;
  while (head < tail) {
    const DipkgClass *k = queue[head++];
    const char *v = which == 0   ? k->cameo
                    : which == 1 ? k->plover
                    : which == 2 ? k->plover
                                 : k->plover_context;
    if (v)
      return which == 2 ? k->plover_mode : v;
    for (size_t i = 0; i < k->n_parents && tail < MAX; i++) {
      bool seen = false;
      for (size_t j = 0; j < tail && !seen; j++)
        seen = queue[j] == k->parents[i];
      if (!seen)
        queue[tail++] = k->parents[i];
    }
  }
  return NULL;
}

static DipkgStatus
load_file(Loader *l, const char *path, DipkgDiagList *diags)
{
  DipkgOntology *o = l->onto;
  char *copy = dipkg_arena_strndup(o->arena, path, strlen(path));
  if (!copy || dipkg_grow((void **)&o->files, &o->files_cap, o->n_files + 1,
                          sizeof *o->files))
    return DIPKG_ERR_NO_MEMORY;
  o->files[o->n_files++] = copy;
  DipkgStatus st =
    dipkg_rdf_parse_file(path, path, "turtle", collect, l, diags);
  return st == DIPKG_ERR_IO ? DIPKG_ERR_ONTOLOGY : st;
}

static DipkgStatus
load_path(Loader *l, const char *path, DipkgDiagList *diags)
{
  struct stat sb;
  DipkgLoc none = {0, 0, 0};
  if (stat(path, &sb)) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_ONTOLOGY, path, none,
                   "cannot read the ontology: %s", strerror(errno));
    return DIPKG_ERR_ONTOLOGY;
  }
  if (S_ISREG(sb.st_mode))
    return load_file(l, path, diags);
  if (!S_ISDIR(sb.st_mode)) {  // a FIFO would block forever
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_ONTOLOGY, path, none,
                   "cannot read the ontology: it is %s, not a regular file",
                   dipkg_file_kind(sb.st_mode));
    return DIPKG_ERR_ONTOLOGY;
  }
  DIR *dir = opendir(path);
  if (!dir) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_ONTOLOGY, path, none,
                   "cannot read the ontology directory: %s", strerror(errno));
    return DIPKG_ERR_ONTOLOGY;
  }
  const char **names = NULL;
  size_t n = 0, cap = 0;
  DipkgStatus st = DIPKG_SUCCESS;
  struct dirent *e;
  while (!st && (e = readdir(dir))) {
    size_t len = strlen(e->d_name);
    // shapes.ttl holds the SHACL shapes of the graphs, not the ontology.
    if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".ttl") ||
        !strcmp(e->d_name, "shapes.ttl"))
      continue;
    char *full = dipkg_arena_alloc(l->onto->arena, strlen(path) + len + 2);
    if (!full || dipkg_grow((void **)&names, &cap, n + 1, sizeof *names)) {
      st = DIPKG_ERR_NO_MEMORY;
      break;
    }
    sprintf(full, "%s/%s", path, e->d_name);
    names[n++] = full;
  }
  closedir(dir);
  if (!st && n == 0) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_ONTOLOGY, path, none,
                   "the ontology directory holds no .ttl file");
    st = DIPKG_ERR_ONTOLOGY;
  }
  if (!st)
    qsort(names, n, sizeof *names, compare_strp);
  for (size_t i = 0; i < n && !st; i++)
    st = load_file(l, names[i], diags);
  dipkg_free(names);
  return st;
}

/* Creates the class objects for every IRI declared as a class or used in
 * rdfs:subClassOf, and the property table. */
static DipkgStatus
declare_terms(Loader *l)
{
  DipkgOntology *o = l->onto;
  const char **cls = dipkg_malloc((2 * l->n + 1) * sizeof *cls);
  const char **props = dipkg_malloc((l->n + 1) * sizeof *props);
  if (!cls || !props) {
    dipkg_free(cls);
    dipkg_free(props);
    return DIPKG_ERR_NO_MEMORY;
  }
  size_t nc = 0, np = 0;
  for (size_t i = 0; i < l->n; i++) {
    const Triple *t = &l->triples[i];
    if (t->literal)
      continue;
    if (is(t->p, RDF "type") &&
        (is(t->o, OWL "Class") || is(t->o, RDFS "Class")))
      cls[nc++] = t->s;
    else if (is(t->p, RDFS "subClassOf")) {
      cls[nc++] = t->s;
      cls[nc++] = t->o;
    } else if (is(t->p, RDF "type") &&
               (is(t->o, OWL "ObjectProperty") ||
                is(t->o, OWL "DatatypeProperty") ||
                is(t->o, OWL "AnnotationProperty") || is(t->o, RDF "Property")))
      props[np++] = t->s;
  }
  nc = sort_unique(cls, nc);
  np = sort_unique(props, np);
  DipkgStatus st = DIPKG_SUCCESS;
  o->classes = dipkg_arena_calloc(o->arena, nc, sizeof *o->classes);
  o->by_local = dipkg_arena_calloc(o->arena, nc, sizeof *o->by_local);
  o->props = dipkg_arena_calloc(o->arena, np, sizeof *o->props);
  if (!o->classes || !o->by_local || !o->props)
    st = DIPKG_ERR_NO_MEMORY;
  for (size_t i = 0; i < nc && !st; i++) {
    DipkgClass *c = dipkg_arena_calloc(o->arena, 1, sizeof *c);
    if (!c) {
      st = DIPKG_ERR_NO_MEMORY;
      break;
    }
    c->iri = cls[i];
    size_t ns = strlen(DIP);
    if (!strncmp(c->iri, DIP, ns) && c->iri[ns])
      c->local = c->iri + ns;
    o->classes[o->n_classes++] = c;
    if (c->local)
      o->by_local[o->n_local++] = c;
  }
  for (size_t i = 0; i < np && !st; i++)
    o->props[o->n_props++].iri = props[i];
  dipkg_free(cls);
  dipkg_free(props);
  if (!st)
    qsort(o->by_local, o->n_local, sizeof *o->by_local, compare_class_local);
  return st;
}

static DipkgStatus
add_parent(DipkgOntology *o, DipkgClass *c, DipkgClass *parent)
{
  for (size_t i = 0; i < c->n_parents; i++)
    if (c->parents[i] == parent)
      return DIPKG_SUCCESS;
  if (c->n_parents == c->parents_cap) {
    size_t cap = c->parents_cap ? 2 * c->parents_cap : 4;
    DipkgClass **grown = dipkg_arena_calloc(o->arena, cap, sizeof *grown);
    if (!grown)
      return DIPKG_ERR_NO_MEMORY;
    if (c->n_parents)
      memcpy(grown, c->parents, c->n_parents * sizeof *grown);
    c->parents = grown;
    c->parents_cap = cap;
  }
  c->parents[c->n_parents++] = parent;
  return DIPKG_SUCCESS;
}

/* The notation of concept `iri` (the first given), or NULL. */
static const char *
notation_of(const Loader *l, const char *iri)
{
  for (size_t i = 0; i < l->n; i++) {
    const Triple *t = &l->triples[i];
    if (t->literal && is(t->p, SKOS "notation") && !strcmp(t->s, iri))
      return t->o;
  }
  return NULL;
}

/* PLOVER modes as "TYPE mode" (each mode concept is skos:broader its event
 * type) and contexts by notation.  The lists are small (a hundred
 * concepts): the quadratic look-ups cost nothing next to parsing. */
static DipkgStatus
read_modes(Loader *l, const char **modes, size_t n_modes, const char **contexts,
           size_t n_contexts)
{
  DipkgOntology *o = l->onto;
  n_modes = sort_unique(modes, n_modes);
  n_contexts = sort_unique(contexts, n_contexts);
  o->modes = dipkg_arena_calloc(o->arena, n_modes + 1, sizeof *o->modes);
  o->contexts =
    dipkg_arena_calloc(o->arena, n_contexts + 1, sizeof *o->contexts);
  if (!o->modes || !o->contexts)
    return DIPKG_ERR_NO_MEMORY;
  for (size_t i = 0; i < l->n; i++) {
    const Triple *t = &l->triples[i];
    if (t->literal || !is(t->p, SKOS "broader") ||
        !bsearch(&t->s, modes, n_modes, sizeof(char *), compare_strp))
      continue;
    const char *mode = notation_of(l, t->s), *type = notation_of(l, t->o);
    if (!mode || !type)
      continue;
    size_t len = strlen(type) + 1 + strlen(mode);
    char *joined = dipkg_arena_alloc(o->arena, len + 1);
    if (!joined)
      return DIPKG_ERR_NO_MEMORY;
    snprintf(joined, len + 1, "%s %s", type, mode);
    o->modes[o->n_modes++] = joined;
  }
  for (size_t i = 0; i < n_contexts; i++) {
    const char *c = notation_of(l, contexts[i]);
    if (c)
      o->contexts[o->n_contexts++] = c;
  }
  o->n_modes = sort_unique(o->modes, o->n_modes);
  o->n_contexts = sort_unique(o->contexts, o->n_contexts);
  return DIPKG_SUCCESS;
}

/* Reads labels, comments, hierarchy, annotations, ranges and code lists. */
static DipkgStatus
describe_terms(Loader *l)
{
  DipkgOntology *o = l->onto;
  int *class_label_rank = dipkg_calloc(o->n_classes + 1, sizeof(int));
  int *class_comment_rank = dipkg_calloc(o->n_classes + 1, sizeof(int));
  int *prop_label_rank = dipkg_calloc(o->n_props + 1, sizeof(int));
  int *prop_comment_rank = dipkg_calloc(o->n_props + 1, sizeof(int));
  const char **plover_concepts = dipkg_malloc((l->n + 1) * sizeof(char *));
  const char **cameo_concepts = dipkg_malloc((l->n + 1) * sizeof(char *));
  const char **mode_concepts = dipkg_malloc((l->n + 1) * sizeof(char *));
  const char **context_concepts = dipkg_malloc((l->n + 1) * sizeof(char *));
  DipkgStatus st = DIPKG_SUCCESS;
  if (!class_label_rank || !class_comment_rank || !prop_label_rank ||
      !prop_comment_rank || !plover_concepts || !cameo_concepts ||
      !mode_concepts || !context_concepts) {
    st = DIPKG_ERR_NO_MEMORY;
    goto out;
  }
  size_t n_plover_concepts = 0, n_cameo_concepts = 0, n_mode_concepts = 0,
         n_context_concepts = 0;
  for (size_t i = 0; i < l->n && !st; i++) {
    const Triple *t = &l->triples[i];
    size_t ci = class_index(o, t->s);
    DipkgClass *c = ci < o->n_classes ? o->classes[ci] : NULL;
    Property *p = find_prop(o, t->s);
    bool label = is(t->p, RDFS "label"), comment = is(t->p, RDFS "comment");
    if (c && t->literal && (label || comment)) {
      if (label)
        take_text(&c->label, &class_label_rank[ci], t);
      else
        take_text(&c->comment, &class_comment_rank[ci], t);
    } else if (p && t->literal && (label || comment)) {
      size_t idx = (size_t)(p - o->props);
      if (label)
        take_text(&p->label, &prop_label_rank[idx], t);
      else
        take_text(&p->comment, &prop_comment_rank[idx], t);
    } else if (c && !t->literal && is(t->p, RDFS "subClassOf")) {
      DipkgClass *parent = find_class(o, t->o);
      if (parent && parent != c)
        st = add_parent(o, c, parent);
    } else if (c && t->literal && is(t->p, DIP_CAMEO)) {
      if (!c->cameo || strcmp(t->o, c->cameo) < 0)
        c->cameo = t->o;
    } else if (c && t->literal && is(t->p, DIP_PLOVER)) {
      if (!c->plover || strcmp(t->o, c->plover) < 0)
        c->plover = t->o;
    } else if (c && t->literal && is(t->p, DIP_PLOVER_MODE)) {
      if (!c->plover_mode || strcmp(t->o, c->plover_mode) < 0)
        c->plover_mode = t->o;
    } else if (c && t->literal && is(t->p, DIP_PLOVER_CONTEXT)) {
      if (!c->plover_context || strcmp(t->o, c->plover_context) < 0)
        c->plover_context = t->o;
    } else if (p && !t->literal && is(t->p, RDFS "range")) {
      const DipkgClass *range = find_class(o, t->o);
      if (range)
        p->range = range;
    } else if (p && !t->literal && is(t->p, RDFS "subPropertyOf") &&
               !is(t->o, t->s)) {
      if (dipkg_grow((void **)&p->parents, &p->parents_cap, p->n_parents + 1,
                     sizeof *p->parents))
        st = DIPKG_ERR_NO_MEMORY;
      else
        p->parents[p->n_parents++] = t->o;
    } else if (!t->literal && is(t->p, SKOS "inScheme")) {
      if (is(t->o, DIP_PLOVER_SCHEME))
        plover_concepts[n_plover_concepts++] = t->s;
      else if (is(t->o, DIP_CAMEO_SCHEME))
        cameo_concepts[n_cameo_concepts++] = t->s;
      else if (is(t->o, DIP_MODE_SCHEME))
        mode_concepts[n_mode_concepts++] = t->s;
      else if (is(t->o, DIP_CONTEXT_SCHEME))
        context_concepts[n_context_concepts++] = t->s;
    }
  }
  if (st)
    goto out;
  n_plover_concepts = sort_unique(plover_concepts, n_plover_concepts);
  n_cameo_concepts = sort_unique(cameo_concepts, n_cameo_concepts);
  o->plover = dipkg_arena_calloc(o->arena, l->n + 1, sizeof *o->plover);
  o->cameo = dipkg_arena_calloc(o->arena, l->n + 1, sizeof *o->cameo);
  if (!o->plover || !o->cameo) {
    st = DIPKG_ERR_NO_MEMORY;
    goto out;
  }
  for (size_t i = 0; i < l->n; i++) {
    const Triple *t = &l->triples[i];
    if (!t->literal || !is(t->p, SKOS "notation"))
      continue;
    if (bsearch(&t->s, plover_concepts, n_plover_concepts, sizeof(char *),
                compare_strp))
      o->plover[o->n_plover++] = t->o;
    if (bsearch(&t->s, cameo_concepts, n_cameo_concepts, sizeof(char *),
                compare_strp))
      o->cameo[o->n_cameo++] = t->o;
  }
  o->n_plover = sort_unique(o->plover, o->n_plover);
  o->n_cameo = sort_unique(o->cameo, o->n_cameo);
  st = read_modes(l, mode_concepts, n_mode_concepts, context_concepts,
                  n_context_concepts);
out:
  dipkg_free(class_label_rank);
  dipkg_free(class_comment_rank);
  dipkg_free(prop_label_rank);
  dipkg_free(prop_comment_rank);
  dipkg_free(plover_concepts);
  dipkg_free(cameo_concepts);
  dipkg_free(mode_concepts);
  dipkg_free(context_concepts);
  return st;
}

/* Appends the transitive ancestors of `c` to `out` (no duplicates). */
static void
collect_ancestors(const DipkgClass *c, const DipkgClass **out, size_t *n,
                  size_t max, int depth)
{
  for (size_t i = 0; i < c->n_parents && depth < 64; i++) {
    const DipkgClass *p = c->parents[i];
    bool seen = false;
    for (size_t k = 0; k < *n && !seen; k++)
      seen = out[k] == p;
    if (seen || *n >= max)
      continue;
    out[(*n)++] = p;
    collect_ancestors(p, out, n, max, depth + 1);
  }
}

/* The same for properties, by IRI. */
static void
collect_super_properties(const DipkgOntology *o, const Property *p,
                         const char **out, size_t *n, size_t max, int depth)
{
  for (size_t i = 0; i < p->n_parents && depth < 64; i++) {
    const char *q = p->parents[i];
    bool seen = false;
    for (size_t k = 0; k < *n && !seen; k++)
      seen = !strcmp(out[k], q);
    if (seen || *n >= max)
      continue;
    out[(*n)++] = q;
    const Property *parent = find_prop(o, q);
    if (parent)
      collect_super_properties(o, parent, out, n, max, depth + 1);
  }
}

static DipkgStatus
finish_hierarchies(DipkgOntology *o)
{
  enum { MAX = 256 };
  const DipkgClass *classes[MAX];
  const char *props[MAX];
  for (size_t i = 0; i < o->n_classes; i++) {
    DipkgClass *c = o->classes[i];
    size_t n = 0;
    collect_ancestors(c, classes, &n, MAX, 0);
    c->ancestors = dipkg_arena_calloc(o->arena, n + 1, sizeof *c->ancestors);
    if (!c->ancestors)
      return DIPKG_ERR_NO_MEMORY;
    memcpy(c->ancestors, classes, n * sizeof *classes);
    c->n_ancestors = n;
  }
  for (size_t i = 0; i < o->n_props; i++) {
    Property *p = &o->props[i];
    size_t n = 0;
    collect_super_properties(o, p, props, &n, MAX, 0);
    p->ancestors = dipkg_arena_calloc(o->arena, n + 1, sizeof *p->ancestors);
    if (!p->ancestors)
      return DIPKG_ERR_NO_MEMORY;
    memcpy(p->ancestors, props, n * sizeof *props);
    p->n_ancestors = n;
  }
  return DIPKG_SUCCESS;
}

static void
finish_classes(DipkgOntology *o)
{
  const DipkgClass *event = find_class(o, DIP_EVENT);
  const DipkgClass *entity = find_class(o, DIP_ENTITY);
  for (size_t i = 0; i < o->n_classes; i++) {
    DipkgClass *c = o->classes[i];
    if (c->n_parents > 1)
      qsort(c->parents, c->n_parents, sizeof *c->parents, compare_class_iri);
    c->is_event = dipkg_class_is_a(c, event);
    c->is_entity = dipkg_class_is_a(c, entity);
    c->effective_cameo = inherited(c, 0);
    c->effective_plover = inherited(c, 1);
    c->effective_plover_mode = inherited(c, 2);
    c->effective_plover_context = inherited(c, 3);
  }
}

DipkgStatus
dipkg_ontology_load(const char *path, DipkgDiagList *diags, DipkgOntology **out)
{
  *out = NULL;
  DipkgOntology *o = dipkg_calloc(1, sizeof *o);
  Loader l = {.onto = o};
  DipkgStatus st = DIPKG_ERR_NO_MEMORY;
  if (!o || !(o->arena = dipkg_arena_new()))
    goto fail;
  st = load_path(&l, path, diags);
  if (!st)
    st = declare_terms(&l);
  if (!st)
    st = describe_terms(&l);
  if (st)
    goto fail;
  finish_classes(o);
  st = finish_hierarchies(o);
  if (st)
    goto fail;
  static const char *const required[] = {DIP_EVENT, DIP_ENTITY};
  for (size_t i = 0; i < 2; i++) {
    if (!find_class(o, required[i])) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_ONTOLOGY, path,
                     (DipkgLoc){0, 0, 0},
                     "the ontology does not declare the class <%s>",
                     required[i]);
      st = DIPKG_ERR_ONTOLOGY;
      goto fail;
    }
  }
  dipkg_free(l.triples);
  *out = o;
  return DIPKG_SUCCESS;
fail:
  if (st == DIPKG_ERR_NO_MEMORY)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, path,
                   (DipkgLoc){0, 0, 0}, "out of memory loading the ontology");
  else
    st = DIPKG_ERR_ONTOLOGY;
  dipkg_free(l.triples);
  dipkg_ontology_free(o);
  return st;
}

void
dipkg_ontology_free(DipkgOntology *onto)
{
  if (!onto)
    return;
  for (size_t i = 0; i < onto->n_props; i++)
    dipkg_free(onto->props[i].parents);
  dipkg_free(onto->files);
  dipkg_arena_free(onto->arena);
  dipkg_free(onto);
}

const DipkgClass *
dipkg_ontology_class(const DipkgOntology *o, const char *name, size_t len)
{
  size_t lo = 0, hi = o->n_local;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const char *local = o->by_local[mid]->local;
    int c = strncmp(name, local, len);
    if (!c && local[len])
      c = -1;
    if (!c)
      return o->by_local[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

const DipkgClass *
dipkg_ontology_class_iri(const DipkgOntology *o, const char *iri)
{
  return find_class(o, iri);
}

size_t
dipkg_ontology_n_classes(const DipkgOntology *o)
{
  return o->n_classes;
}

const DipkgClass *
dipkg_ontology_class_at(const DipkgOntology *o, size_t i)
{
  return i < o->n_classes ? o->classes[i] : NULL;
}

const char *
dipkg_class_cameo(const DipkgClass *c)
{
  return c->effective_cameo;
}

const char *
dipkg_class_plover(const DipkgClass *c)
{
  return c->effective_plover;
}

const DipkgClass *
dipkg_ontology_range(const DipkgOntology *o, const char *iri)
{
  const Property *p = find_prop(o, iri);
  return p ? p->range : NULL;
}

bool
dipkg_ontology_property(const DipkgOntology *o, const char *iri,
                        const char **label, const char **comment)
{
  const Property *p = find_prop(o, iri);
  if (!p)
    return false;
  if (label)
    *label = p->label;
  if (comment)
    *comment = p->comment;
  return true;
}

static bool
in_sorted(const char **items, size_t n, const char *s, size_t len)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strncmp(s, items[mid], len);
    if (!c && items[mid][len])
      c = -1;
    if (!c)
      return true;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return false;
}

bool
dipkg_ontology_has_plover(const DipkgOntology *o, const char *s, size_t len)
{
  return in_sorted(o->plover, o->n_plover, s, len);
}

bool
dipkg_ontology_has_cameo(const DipkgOntology *o, const char *s, size_t len)
{
  return o->n_cameo == 0 || in_sorted(o->cameo, o->n_cameo, s, len);
}

size_t
dipkg_ontology_n_cameo(const DipkgOntology *o)
{
  return o->n_cameo;
}

size_t
dipkg_ontology_n_plover(const DipkgOntology *o)
{
  return o->n_plover;
}

const char *
dipkg_ontology_plover_at(const DipkgOntology *o, size_t i)
{
  return i < o->n_plover ? o->plover[i] : NULL;
}

size_t
dipkg_ontology_n_local(const DipkgOntology *o)
{
  return o->n_local;
}

const DipkgClass *
dipkg_ontology_local_at(const DipkgOntology *o, size_t i)
{
  return i < o->n_local ? o->by_local[i] : NULL;
}

size_t
dipkg_class_ancestors(const DipkgClass *c, const DipkgClass *const **out)
{
  *out = c->ancestors;
  return c->n_ancestors;
}

size_t
dipkg_ontology_super_properties(const DipkgOntology *o, const char *iri,
                                const char *const **out)
{
  const Property *p = find_prop(o, iri);
  if (!p)
    return 0;
  *out = p->ancestors;
  return p->n_ancestors;
}

size_t
dipkg_ontology_n_files(const DipkgOntology *o)
{
  return o->n_files;
}

const char *
dipkg_ontology_file(const DipkgOntology *o, size_t i)
{
  return i < o->n_files ? o->files[i] : NULL;
}

bool
dipkg_ontology_has_plover_mode(const DipkgOntology *o, const char *type,
                               const char *mode, size_t len)
{
  if (o->n_modes == 0)
    return true;
  // A few dozen "TYPE mode" strings: compared in place (no allocation, so
  // that running out of memory cannot read as an unknown mode).
  size_t tl = strlen(type);
  for (size_t i = 0; i < o->n_modes; i++) {
    const char *m = o->modes[i];
    if (!strncmp(m, type, tl) && m[tl] == ' ' && strlen(m + tl + 1) == len &&
        !memcmp(m + tl + 1, mode, len))
      return true;
  }
  return false;
}

bool
dipkg_ontology_has_plover_context(const DipkgOntology *o, const char *context,
                                  size_t len)
{
  return o->n_contexts == 0 ||
         in_sorted(o->contexts, o->n_contexts, context, len);
}

void
dipkg_ontology_plover_modes(const DipkgOntology *o, const char *type,
                            DipkgBuf *out)
{
  size_t tl = strlen(type);
  bool first = true;
  for (size_t i = 0; i < o->n_modes; i++) {
    if (strncmp(o->modes[i], type, tl) || o->modes[i][tl] != ' ')
      continue;
    if (!first)
      dipkg_buf_puts(out, ", ");
    dipkg_buf_puts(out, o->modes[i] + tl + 1);
    first = false;
  }
}

const char *
dipkg_class_plover_mode(const DipkgClass *c)
{
  return c->effective_plover_mode;
}

const char *
dipkg_class_plover_context(const DipkgClass *c)
{
  return c->effective_plover_context;
}
