#include "closure.h"

#include "memory.h"
#include "vocab.h"

#include <string.h>

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

typedef struct Key {
  const char *str;
  size_t len;
} Key;

/* The key stored at offset `entry - 1` of the keys (a length, then the
 * bytes; borrowed). */
static Key
stored_key(const DipkgClosureSink *c, uint64_t entry)
{
  size_t len;
  memcpy(&len, c->keys.data + entry - 1, sizeof len);
  return (Key){c->keys.data + entry - 1 + sizeof len, len};
}

static uint64_t
key_hash(const void *user, uint64_t entry)
{
  Key k = stored_key(user, entry);
  return dipkg_hash_bytes(0, k.str, k.len);
}

static bool
key_is(const void *user, uint64_t entry, const void *key)
{
  Key k = stored_key(user, entry);
  const DipkgBuf *b = key;
  return k.len == b->len && !memcmp(k.str, b->data, k.len);
}

/* Adds the statement with exact key `key` to the current subject's set;
 * false if it was there (or, with *oom, if it could not be added). */
static bool
remember(DipkgClosureSink *c, const DipkgBuf *key, bool *oom)
{
  if (!dipkg_hashset_reserve(&c->seen, key_hash, c)) {
    *oom = true;
    return false;
  }
  uint64_t *slot = dipkg_hashset_find(
    &c->seen, dipkg_hash_bytes(0, key->data, key->len), key_is, c, key);
  if (*slot)
    return false;
  size_t off = c->keys.len;
  dipkg_buf_append(&c->keys, (const char *)&key->len, sizeof key->len);
  dipkg_buf_append(&c->keys, key->data, key->len);
  if (c->keys.oom) {
    *oom = true;
    return false;
  }
  dipkg_hashset_put(&c->seen, slot, off + 1);
  return true;
}

static void
forget(DipkgClosureSink *c)
{
  dipkg_hashset_empty(&c->seen);
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
  if (!remember(c, &c->key, &oom))
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
  dipkg_hashset_free(&c->seen);
}
