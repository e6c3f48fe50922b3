#include "resolve.h"

#include "buf.h"
#include "input.h"
#include "limit.h"
#include "memory.h"
#include "quote.h"
#include "suggest.h"
#include "utf8.h"
#include "vocab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Checker {
  DipkgFacts *facts;
  const DipkgOntology *onto;
  const DipkgIndex *index;
  DipkgArena *arena;
  DipkgDiagList *diags;
  bool ok;
  const char *text_root;     // resolved directory texts must lie in, or NULL
  const char *root_display;  // that directory as the user named it
} Checker;

#define ERR(c, loc, ...)                                                       \
  (dipkg_diag_error((c)->diags, (c)->facts->file, (loc), __VA_ARGS__),         \
   (c)->ok = false)

typedef struct Nearest {
  DipkgSuggest s;
} Nearest;

/* Offers one id.  The index hands ids over in its table's order, which
 * depends on the hash function: of equally near ids the one first in byte
 * order wins, so that the suggestion does not. */
static bool
offer_id(void *user, const DipkgIdInfo *info)
{
  DipkgSuggest *best = &((Nearest *)user)->s, one;
  dipkg_suggest_init(&one, best->word, best->len);
  dipkg_suggest_offer(&one, info->id);
  if (one.best && (one.best_distance < best->best_distance ||
                   (one.best_distance == best->best_distance &&
                    strcmp(one.best, best->best) < 0))) {
    best->best = one.best;
    best->best_distance = one.best_distance;
  }
  return true;
}

static const char *
nearest_id(const Checker *c, DipkgIdKind kind, const DipkgValue *v)
{
  Nearest n;
  dipkg_suggest_init(&n.s, v->str, v->len);
  dipkg_index_each(c->index, kind, offer_id, &n);
  return dipkg_suggest_result(&n.s);
}

static const char *
class_name(const DipkgClass *cls)
{
  return cls->local ? cls->local : cls->iri;
}

/* Checks that entity reference `v` in field `key` (property `prop`)
 * resolves, and that the entity's class fits the property's range. */
static void
check_entity_ref(Checker *c, const DipkgValue *v, const char *key,
                 const char *prop)
{
  if (!v->str)
    return;
  const DipkgIdInfo *info =
    dipkg_index_get(c->index, DIPKG_ID_ENTITY, v->str, v->len);
  if (!info) {
    const DipkgIdInfo *ev =
      dipkg_index_get(c->index, DIPKG_ID_EVENT, v->str, v->len);
    const char *best = ev ? NULL : nearest_id(c, DIPKG_ID_ENTITY, v);
    if (ev)
      ERR(c, v->loc, "'%s' expects an entity, but %s is an event", key,
          dipkg_diag_q(0, v->str, v->len));
    else if (best)
      ERR(c, v->loc, "unknown entity %s in '%s'; did you mean '%s'?",
          dipkg_diag_q(0, v->str, v->len), key, best);
    else
      ERR(c, v->loc, "unknown entity %s in '%s' (no input file defines it)",
          dipkg_diag_q(0, v->str, v->len), key);
    return;
  }
  const DipkgClass *range = dipkg_ontology_range(c->onto, prop);
  if (range && info->cls && !dipkg_class_is_a(info->cls, range))
    ERR(c, v->loc, "'%s' expects %s %s, but %s is %s %s", key,
        strchr("AEIOU", class_name(range)[0]) ? "an" : "a", class_name(range),
        dipkg_diag_q(0, v->str, v->len),
        strchr("AEIOU", class_name(info->cls)[0]) ? "an" : "a",
        class_name(info->cls));
}

static void
check_entity_refs(Checker *c, const DipkgValues *vs, const char *key,
                  const char *prop)
{
  for (size_t i = 0; i < vs->n; i++)
    check_entity_ref(c, &vs->items[i], key, prop);
}

static void
check_event_ref(Checker *c, const DipkgValue *v, const char *key)
{
  if (!v->str || dipkg_index_get(c->index, DIPKG_ID_EVENT, v->str, v->len))
    return;
  const char *best = nearest_id(c, DIPKG_ID_EVENT, v);
  if (dipkg_index_get(c->index, DIPKG_ID_ENTITY, v->str, v->len))
    ERR(c, v->loc, "'%s' expects an event, but %s is an entity", key,
        dipkg_diag_q(0, v->str, v->len));
  else if (best)
    ERR(c, v->loc, "unknown event %s in '%s'; did you mean '%s'?",
        dipkg_diag_q(0, v->str, v->len), key, best);
  else
    ERR(c, v->loc, "unknown event %s in '%s' (no input file defines it)",
        dipkg_diag_q(0, v->str, v->len), key);
}

/* Location (line, character column) of byte `at` in `s`. */
static DipkgLoc
loc_in(const char *s, size_t at)
{
  DipkgLoc loc = {1, 1, 1};
  for (size_t i = 0; i < at; i++) {
    if (s[i] == '\n') {
      loc.line++;
      loc.col = 1;
    } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
      loc.col++;
    }
  }
  return loc;
}

/* Refuses a text outside the checker's root: `*full` resolved (symbolic
 * links, "..") must be the root or below it.  On success `*full` becomes
 * the resolved path (in the arena), so that what is read is what was
 * checked.  A path that does not resolve is left for the read to report. */
static DipkgStatus
check_inside(Checker *c, char **full)
{
  char *real = realpath(*full, NULL);
  if (!real)
    return DIPKG_SUCCESS;  // missing or unreadable: the read says why
  size_t rl = strlen(c->text_root);
  bool inside =
    !strcmp(c->text_root, "/") ||
    (!strncmp(real, c->text_root, rl) && (real[rl] == '/' || real[rl] == '\0'));
  char *copy =
    inside ? dipkg_arena_strndup(c->arena, real, strlen(real)) : NULL;
  free(real);  // realpath() allocates with malloc()
  if (!inside) {
    const DipkgValue *t = &c->facts->article.text;
    ERR(c, t->loc,
        "article text %s is outside '%s', the directory tree of the facts "
        "given on the command line; texts are read only inside it (unless "
        "--allow-outside-text is given)",
        dipkg_diag_q(0, t->str, t->len), c->root_display);
    return DIPKG_ERR_DATA;
  }
  if (!copy)
    return DIPKG_ERR_NO_MEMORY;
  *full = copy;
  return DIPKG_SUCCESS;
}

/* Loads the article text named by `text:`, relative to the facts file. */
static DipkgStatus
load_text(Checker *c, const char *path, const char **display_out)
{
  const DipkgValue *t = &c->facts->article.text;
  const char *slash = strrchr(path, '/');
  size_t dir = t->str[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
  char *full = dipkg_arena_alloc(c->arena, dir + t->len + 1);
  char *display_full = NULL;
  if (!full)
    return DIPKG_ERR_NO_MEMORY;
  memcpy(full, path, dir);
  memcpy(full + dir, t->str, t->len + 1);
  // The name shown in messages is relative to the facts file's name as the
  // user gave it.
  const char *fslash = strrchr(c->facts->file, '/');
  size_t fdir =
    t->str[0] == '/' || !fslash ? 0 : (size_t)(fslash - c->facts->file) + 1;
  display_full = dipkg_arena_alloc(c->arena, fdir + t->len + 1);
  if (!display_full)
    return DIPKG_ERR_NO_MEMORY;
  memcpy(display_full, c->facts->file, fdir);
  memcpy(display_full + fdir, t->str, t->len + 1);
  *display_out = display_full;

  if (c->text_root) {
    DipkgStatus st = check_inside(c, &full);
    if (st)
      return st;
  }
  DipkgDiagList local = {0};
  char *data;
  size_t len;
  DipkgStatus st = dipkg_input_read(full, display_full, DIPKG_LIMIT_TEXT_FILE,
                                    c->arena, &local, &data, &len, NULL);
  if (st == DIPKG_ERR_IO || st == DIPKG_ERR_LIMIT || st == DIPKG_ERR_DATA) {
    // Report at the `text:` key, which is what the curator can fix.
    for (size_t i = 0; i < local.n; i++)
      ERR(c, t->loc, "article text %s: %s", dipkg_diag_q(0, t->str, t->len),
          local.items[i].message);
    dipkg_diag_list_clear(&local);
    return DIPKG_ERR_DATA;
  }
  dipkg_diag_list_clear(&local);
  if (st)
    return st;
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
    data += 3;  // a byte order mark is not part of the text
    len -= 3;
  }
  size_t bad = dipkg_utf8_invalid_at(data, len);
  const char *nul = memchr(data, '\0', bad);
  if (nul) {
    dipkg_diag_error(c->diags, display_full, loc_in(data, (size_t)(nul - data)),
                     "the article text contains a NUL byte");
    dipkg_diag_note(c->diags, c->facts->file, t->loc, "the text is named here");
    c->ok = false;
    return DIPKG_ERR_DATA;
  }
  if (bad < len) {
    dipkg_diag_error(c->diags, display_full, loc_in(data, bad),
                     "the article text is not valid UTF-8 (byte 0x%02X)",
                     (unsigned char)data[bad]);
    dipkg_diag_note(c->diags, c->facts->file, t->loc, "the text is named here");
    c->ok = false;
    return DIPKG_ERR_DATA;
  }
  c->facts->text = data;
  c->facts->text_len = len;
  c->facts->text_chars = dipkg_utf8_count(data, len);
  return DIPKG_SUCCESS;
}

/* Whether a quote joins passages with an ellipsis. */
static bool
has_ellipsis(const char *s, size_t len)
{
  return memmem(s, len, "...", 3) || memmem(s, len, "\xE2\x80\xA6", 3);
}

static DipkgStatus
locate_quotes(Checker *c, const char *text_name)
{
  DipkgFacts *f = c->facts;
  DipkgTextIndex *ti = dipkg_text_index_new(f->text, f->text_len);
  if (!ti)
    return DIPKG_ERR_NO_MEMORY;
  DipkgStatus st = DIPKG_SUCCESS;
  for (size_t i = 0; i < f->n_events && !st; i++) {
    DipkgEventFacts *ev = &f->events[i];
    if (!ev->quotes.n)
      continue;
    ev->spans = dipkg_arena_calloc(c->arena, ev->quotes.n, sizeof *ev->spans);
    if (!ev->spans) {
      st = DIPKG_ERR_NO_MEMORY;
      break;
    }
    for (size_t k = 0; k < ev->quotes.n; k++) {
      const DipkgValue *q = &ev->quotes.items[k];
      DipkgMatch m;
      bool oom;
      if (dipkg_text_find(ti, q->str, q->len, &m, &oom)) {
        size_t times = dipkg_text_count(ti, q->str, q->len, 2, &oom);
        if (oom) {
          st = DIPKG_ERR_NO_MEMORY;
          break;
        }
        if (times > 1)
          dipkg_diag_warning(
            c->diags, c->facts->file, q->loc,
            "the quote occurs more than once in the article text; its "
            "first occurrence (characters %zu to %zu) gets the offsets: "
            "quote more of the sentence if another one is meant",
            m.begin, m.end);
        DipkgQuoteSpan *span = &ev->spans[k];
        span->located = true;
        span->begin = m.begin;
        span->end = m.end;
        span->anchor = f->text + m.byte_begin;
        span->anchor_len = m.byte_end - m.byte_begin;
        continue;
      }
      if (oom) {
        st = DIPKG_ERR_NO_MEMORY;
        break;
      }
      if (has_ellipsis(q->str, q->len)) {
        // A passage cut short with "..." is not in the text as quoted.
        ERR(c, q->loc,
            "quote not found in the article text %s: it contains an "
            "ellipsis ('...' or '\xE2\x80\xA6'), and a quote must be one "
            "verbatim passage; split it into one quote per passage",
            dipkg_diag_q(0, text_name, strlen(text_name)));
        continue;
      }
      DipkgBuf why = DIPKG_BUF_INIT;
      dipkg_text_closest(ti, q->str, q->len, &why);
      ERR(c, q->loc, "quote not found in the article text %s; %s",
          dipkg_diag_q(0, text_name, strlen(text_name)),
          why.oom ? "(out of memory)" : dipkg_buf_cstr(&why));
      dipkg_buf_free(&why);
    }
  }
  dipkg_text_index_free(ti);
  return st;
}

DipkgStatus
dipkg_facts_resolve(DipkgFacts *f, const char *path, const char *text_root,
                    const char *root_display, const DipkgOntology *onto,
                    const DipkgIndex *index, DipkgArena *arena,
                    DipkgDiagList *diags)
{
  Checker c = {f, onto, index, arena, diags, true, text_root, root_display};
  const DipkgArticleFacts *a = &f->article;
  if (a->present) {
    check_entity_ref(&c, &a->publisher, "publisher", DIP "publisher");
    check_entity_ref(&c, &a->dateline, "dateline", DIP "dateline");
  }
  for (size_t i = 0; i < f->n_entities; i++) {
    const DipkgEntityFacts *e = &f->entities[i];
    check_entity_ref(&c, &e->within, "within", DIP "within");
    for (size_t k = 0; k < e->n_positions; k++)
      check_entity_ref(&c, &e->positions[k].of, "of", DIP "of");
  }
  for (size_t i = 0; i < f->n_events; i++) {
    const DipkgEventFacts *ev = &f->events[i];
    check_entity_refs(&c, &ev->actors, "actors", DIP "actor");
    check_entity_refs(&c, &ev->targets, "targets", DIP "target");
    check_entity_refs(&c, &ev->participants, "participants", DIP "participant");
    check_entity_ref(&c, &ev->location, "location", DIP "location");
    check_entity_ref(&c, &ev->forum, "forum", DIP "forum");
    check_entity_refs(&c, &ev->concerns, "concerns", DIP "concerns");
    check_event_ref(&c, &ev->reverses, "reverses");
    check_event_ref(&c, &ev->follows, "follows");
    check_event_ref(&c, &ev->part_of, "part_of");
    check_event_ref(&c, &ev->responds_to, "responds_to");
    for (size_t k = 0; k < ev->caused_by.n; k++)
      check_event_ref(&c, &ev->caused_by.items[k], "caused_by");
  }
  DipkgStatus st = DIPKG_SUCCESS;
  if (a->present && a->text.str) {
    const char *text_name = NULL;
    st = load_text(&c, path, &text_name);
    if (!st)
      st = locate_quotes(&c, text_name);
    else if (st == DIPKG_ERR_DATA)
      st = DIPKG_SUCCESS;  // reported; the quotes cannot be checked
  }
  if (st == DIPKG_ERR_NO_MEMORY) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, f->file,
                   (DipkgLoc){0, 0, 0}, "out of memory checking the facts");
    return st;
  }
  return c.ok ? DIPKG_SUCCESS : DIPKG_ERR_DATA;
}
