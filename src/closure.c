#include "closure.h"

#include "memory.h"
#include "vocab.h"

#include <string.h>

static uint64_t
mix(uint64_t h, const void *data, size_t len)
{
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

static uint64_t
statement_hash(const DipkgTerm *p, const DipkgTerm *o)
{
  uint64_t h = 1469598103934665603ULL;
  h = mix(h, p->str, p->len);
  unsigned char k = (unsigned char)o->kind;
  h = mix(h, &k, 1);
  h = mix(h, o->str, o->len);
  if (o->datatype)
    h = mix(h, o->datatype, strlen(o->datatype));
  h = mix(h, "\x01", 1);
  if (o->lang)
    h = mix(h, o->lang, strlen(o->lang));
  return h ? h : 1;  // 0 marks an empty slot
}

/* The exact key of `p o`: what two statements of one subject must share to
 * be the same statement. */
static void
statement_key(DipkgBuf *b, const DipkgTerm *p, const DipkgTerm *o)
{
  dipkg_buf_clear(b);
  dipkg_buf_append(b, p->str, p->len);
  dipkg_buf_putc(b, '\0');
  dipkg_buf_putc(b, (char)('0' + o->kind));
  dipkg_buf_append(b, o->str, o->len);
  dipkg_buf_putc(b, '\0');
  if (o->datatype)
    dipkg_buf_puts(b, o->datatype);
  dipkg_buf_putc(b, '\0');
  if (o->lang)
    dipkg_buf_puts(b, o->lang);
}

/* Adds the statement with hash `h` and exact key `key` to the current
 * subject's set; false if it was there.  Equal hashes are compared by key,
 * so no statement is ever dropped for a collision. */
static bool
remember(DipkgClosureSink *c, uint64_t h, const DipkgBuf *key, bool *oom)
{
  if ((c->n_seen + 1) * 2 > c->seen_cap) {
    size_t cap = c->seen_cap ? c->seen_cap * 2 : 64;
    uint64_t *slots = dipkg_calloc(cap, sizeof *slots);
    size_t *at = dipkg_calloc(cap, sizeof *at);
    if (!slots || !at) {
      dipkg_free(slots);
      dipkg_free(at);
      *oom = true;
      return false;
    }
    for (size_t i = 0; i < c->seen_cap; i++) {
      if (!c->seen[i])
        continue;
      size_t k = c->seen[i] & (cap - 1);
      while (slots[k])
        k = (k + 1) & (cap - 1);
      slots[k] = c->seen[i];
      at[k] = c->seen_at[i];
    }
    dipkg_free(c->seen);
    dipkg_free(c->seen_at);
    c->seen = slots;
    c->seen_at = at;
    c->seen_cap = cap;
  }
  size_t k = h & (c->seen_cap - 1);
  while (c->seen[k]) {
    if (c->seen[k] == h) {
      // Keys are stored as a length, then the bytes.
      size_t off = c->seen_at[k], len;
      memcpy(&len, c->keys.data + off, sizeof len);
      if (len == key->len &&
          !memcmp(c->keys.data + off + sizeof len, key->data, len))
        return false;
    }
    k = (k + 1) & (c->seen_cap - 1);
  }
  size_t off = c->keys.len;
  dipkg_buf_append(&c->keys, (const char *)&key->len, sizeof key->len);
  dipkg_buf_append(&c->keys, key->data, key->len);
  if (c->keys.oom) {
    *oom = true;
    return false;
  }
  c->seen[k] = h;
  c->seen_at[k] = off;
  c->n_seen++;
  return true;
}

static void
forget(DipkgClosureSink *c)
{
  if (c->n_seen)
    memset(c->seen, 0, c->seen_cap * sizeof *c->seen);
  c->n_seen = 0;
  dipkg_buf_clear(&c->keys);
}

/* Forwards `s p o` unless the subject already has it. */
static DipkgStatus
forward(DipkgClosureSink *c, const DipkgTerm *s, const DipkgTerm *p,
        const DipkgTerm *o, bool inferred)
{
  bool oom = false;
  statement_key(&c->key, p, o);
  if (c->key.oom)
    return DIPKG_ERR_NO_MEMORY;
  if (!remember(c, statement_hash(p, o), &c->key, &oom))
    return oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
  DipkgStatus st = c->next->statement(c->next, s, p, o);
  if (!st) {
    c->base.n_statements++;
    c->inferred += inferred;
  }
  return st;
}

static DipkgStatus
closure_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
                  const DipkgTerm *o)
{
  DipkgClosureSink *c = (DipkgClosureSink *)sink;
  if (!c->have_subject || s->kind != c->subject_kind ||
      c->subject.len != s->len || memcmp(c->subject.data, s->str, s->len)) {
    dipkg_buf_clear(&c->subject);
    dipkg_buf_append(&c->subject, s->str, s->len);
    if (c->subject.oom)
      return DIPKG_ERR_NO_MEMORY;
    c->subject_kind = s->kind;
    c->have_subject = true;
    forget(c);
  }
  DipkgStatus st = forward(c, s, p, o, false);
  if (st || !c->infer || p->kind != DIPKG_TERM_IRI)
    return st;
  if (o->kind == DIPKG_TERM_IRI && p->len == sizeof(RDF "type") - 1 &&
      !memcmp(p->str, RDF "type", p->len)) {
    char iri[1024];
    if (o->len < sizeof iri) {
      memcpy(iri, o->str, o->len);
      iri[o->len] = '\0';
      const DipkgClass *cls = dipkg_ontology_class_iri(c->onto, iri);
      const DipkgClass *const *up = NULL;
      size_t n = cls ? dipkg_class_ancestors(cls, &up) : 0;
      for (size_t i = 0; i < n && !st; i++) {
        DipkgTerm t = {DIPKG_TERM_IRI, up[i]->iri, strlen(up[i]->iri), NULL,
                       NULL};
        st = forward(c, s, p, &t, true);
      }
    }
    return st;
  }
  char piri[1024];
  if (p->len >= sizeof piri)
    return st;
  memcpy(piri, p->str, p->len);
  piri[p->len] = '\0';
  const char *const *up = NULL;
  size_t n = dipkg_ontology_super_properties(c->onto, piri, &up);
  for (size_t i = 0; i < n && !st; i++) {
    DipkgTerm q = {DIPKG_TERM_IRI, up[i], strlen(up[i]), NULL, NULL};
    st = forward(c, s, &q, o, true);
  }
  return st;
}

static DipkgStatus
closure_begin_graph(DipkgSink *sink, const char *graph)
{
  DipkgClosureSink *c = (DipkgClosureSink *)sink;
  c->have_subject = false;
  forget(c);
  return c->next->begin_graph(c->next, graph);
}

static DipkgStatus
closure_end_graph(DipkgSink *sink)
{
  DipkgClosureSink *c = (DipkgClosureSink *)sink;
  c->have_subject = false;
  forget(c);
  return c->next->end_graph(c->next);
}

void
dipkg_closure_sink_init(DipkgClosureSink *c, DipkgSink *next,
                        const DipkgOntology *onto, bool infer)
{
  memset(c, 0, sizeof *c);
  c->base.begin_graph = closure_begin_graph;
  c->base.statement = closure_statement;
  c->base.end_graph = closure_end_graph;
  c->next = next;
  c->onto = onto;
  c->infer = infer;
}

void
dipkg_closure_sink_fini(DipkgClosureSink *c)
{
  dipkg_buf_free(&c->subject);
  dipkg_buf_free(&c->keys);
  dipkg_buf_free(&c->key);
  dipkg_free(c->seen);
  dipkg_free(c->seen_at);
  c->seen = NULL;
  c->seen_at = NULL;
}
