#include "facts.h"

#include "iri.h"
#include "memory.h"
#include "suggest.h"
#include "utf8.h"
#include "vocab.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

const char *const dipkg_status_names[4] = {"occurred", "ongoing", "planned",
                                           "agreed"};

typedef enum Kind {
  K_TEXT,      // non-empty text
  K_ID,        // an id of this object
  K_REF,       // an id of another object
  K_TEXTS,     // a list of texts
  K_REFS,      // a list of ids
  K_POSITIONS  // a list of position mappings
} Kind;

typedef struct Field {
  const char *key;
  Kind kind;
  size_t offset;
  bool required;
} Field;

#define A(f) offsetof(DipkgArticleFacts, f)
static const Field article_fields[] = {
  {"id", K_ID, A(id), true},
  {"headline", K_TEXT, A(headline), true},
  {"publisher", K_REF, A(publisher), true},
  {"published", K_TEXT, A(published), true},
  {"dateline", K_REF, A(dateline), false},
  {"url", K_TEXT, A(url), false},
  {"language", K_TEXT, A(language), false},
  {"authors", K_TEXTS, A(authors), false},
  {"text", K_TEXT, A(text), false},
  {"curator", K_TEXT, A(curator), false},
  {"curated", K_TEXT, A(curated), false},
  {"retrieved", K_TEXT, A(retrieved), false},
};
#undef A

#define E(f) offsetof(DipkgEntityFacts, f)
static const Field entity_fields[] = {
  {"id", K_ID, E(id), true},
  {"type", K_TEXT, E(type), true},
  {"name", K_TEXT, E(name), true},
  {"aliases", K_TEXTS, E(aliases), false},
  {"wikidata", K_TEXT, E(wikidata), false},
  {"within", K_REF, E(within), false},
  {"positions", K_POSITIONS, 0, false},
  {"description", K_TEXT, E(description), false},
};
#undef E

#define P(f) offsetof(DipkgPositionFacts, f)
static const Field position_fields[] = {
  {"title", K_TEXT, P(title), true},
  {"of", K_REF, P(of), false},
  {"from", K_TEXT, P(from), false},
  {"to", K_TEXT, P(to), false},
};
#undef P

#define V(f) offsetof(DipkgEventFacts, f)
static const Field event_fields[] = {
  {"id", K_ID, V(id), true},
  {"type", K_TEXT, V(type), true},
  {"date", K_TEXT, V(date), true},
  {"status", K_TEXT, V(status), false},
  {"title", K_TEXT, V(title), false},
  {"actors", K_REFS, V(actors), false},
  {"targets", K_REFS, V(targets), false},
  {"participants", K_REFS, V(participants), false},
  {"location", K_REF, V(location), false},
  {"forum", K_REF, V(forum), false},
  {"concerns", K_REFS, V(concerns), false},
  {"reverses", K_REF, V(reverses), false},
  {"follows", K_REF, V(follows), false},
  {"part_of", K_REF, V(part_of), false},
  {"responds_to", K_REF, V(responds_to), false},
  {"summary", K_TEXT, V(summary), false},
  {"quotes", K_TEXTS, V(quotes), false},
  {"cameo", K_TEXT, V(cameo), false},
  {"plover", K_TEXT, V(plover), false},
  {"plover_mode", K_TEXT, V(plover_mode), false},
  {"plover_context", K_TEXTS, V(plover_context), false},
  {"caused_by", K_REFS, V(caused_by), false},
};
#undef V

static const Field top_fields[] = {
  {"article", K_TEXT, 0, false},
  {"entities", K_TEXT, 0, false},
  {"events", K_TEXT, 0, false},
};

#define N(a) (sizeof(a) / sizeof *(a))
_Static_assert(N(event_fields) < 32, "field presence is a 32-bit mask");

typedef struct Reader {
  const char *file;
  const DipkgOntology *onto;
  DipkgArena *arena;
  DipkgDiagList *diags;
  bool oom;
} Reader;

#define ERR(r, loc, ...)                                                       \
  dipkg_diag_error((r)->diags, (r)->file, (loc), __VA_ARGS__)
#define Q(slot, v) dipkg_diag_q((slot), (v).str, (v).len)

/* ------------------------------------------------------------ values */

static DipkgValue
value_of(const DipkgYNode *n)
{
  return (DipkgValue){n->u.scalar.str, n->u.scalar.len, n->loc};
}

/* Reads one scalar of kind `kind` (K_TEXT, K_ID or K_REF); `in_list`
 * words the messages for a list entry. */
static bool
read_scalar_in(Reader *r, const DipkgYNode *n, Kind kind, const char *key,
               DipkgValue *out, bool in_list)
{
  if (n->kind != DIPKG_Y_SCALAR) {
    ERR(r, n->loc, "'%s' expects %s, found %s", key,
        kind == K_TEXT ? "text" : "an id", dipkg_y_kind_name(n));
    return false;
  }
  DipkgValue v = value_of(n);
  if (kind == K_TEXT) {
    if (v.len == 0) {
      ERR(r, n->loc, in_list ? "'%s' has an empty entry" : "'%s' is empty",
          key);
      return false;
    }
  } else {
    const char *why;
    size_t at;
    if (!dipkg_id_check(v.str, v.len, &why, &at)) {
      ERR(r, n->loc, "invalid id %s in '%s': %s", Q(0, v), key, why);
      return false;
    }
  }
  *out = v;
  return true;
}

static bool
read_scalar(Reader *r, const DipkgYNode *n, Kind kind, const char *key,
            DipkgValue *out)
{
  return read_scalar_in(r, n, kind, key, out, false);
}

static bool
read_list(Reader *r, const DipkgYNode *n, Kind kind, const char *key,
          DipkgValues *out)
{
  Kind item = kind == K_REFS ? K_REF : K_TEXT;
  if (n->kind == DIPKG_Y_MAPPING) {
    ERR(r, n->loc, "'%s' expects a list, found a mapping", key);
    return false;
  }
  size_t count = n->kind == DIPKG_Y_SCALAR ? 1 : n->u.seq.n;
  DipkgValue *items = dipkg_arena_calloc(r->arena, count, sizeof *items);
  if (!items) {
    r->oom = true;
    return false;
  }
  size_t got = 0;
  bool ok = true;
  for (size_t i = 0; i < count; i++) {
    const DipkgYNode *kid = n->kind == DIPKG_Y_SCALAR ? n : n->u.seq.items[i];
    if (dipkg_y_is_null(kid)) {
      ERR(r, kid->loc, "'%s' has an empty entry", key);
      ok = false;
      continue;
    }
    DipkgValue v;
    if (!read_scalar_in(r, kid, item, key, &v, n->kind == DIPKG_Y_SEQUENCE)) {
      ok = false;
      continue;
    }
    for (size_t j = 0; j < got; j++) {
      if (items[j].len == v.len && !memcmp(items[j].str, v.str, v.len)) {
        ERR(r, v.loc, "'%s' lists %s twice (first at line %u)", key, Q(0, v),
            items[j].loc.line);
        ok = false;
        break;
      }
    }
    items[got++] = v;
  }
  out->items = items;
  out->n = got;
  return ok;
}

/* ---------------------------------------------------------- mappings */

static const Field *
find_field(const Field *fields, size_t n, const DipkgYNode *key)
{
  for (size_t i = 0; i < n; i++)
    if (strlen(fields[i].key) == key->u.scalar.len &&
        !memcmp(fields[i].key, key->u.scalar.str, key->u.scalar.len))
      return &fields[i];
  return NULL;
}

static void
unknown_key(Reader *r, const DipkgYNode *key, const Field *fields, size_t n,
            const char *what)
{
  DipkgSuggest s;
  dipkg_suggest_init(&s, key->u.scalar.str, key->u.scalar.len);
  for (size_t i = 0; i < n; i++)
    dipkg_suggest_offer(&s, fields[i].key);
  const char *best = dipkg_suggest_result(&s);
  const char *k = dipkg_diag_q(0, key->u.scalar.str, key->u.scalar.len);
  if (best) {
    ERR(r, key->loc, "unknown key %s in %s; did you mean '%s'?", k, what, best);
    return;
  }
  char list[512];
  size_t used = 0;
  for (size_t i = 0; i < n && used < sizeof list; i++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                             i ? ", " : "", fields[i].key);
  ERR(r, key->loc, "unknown key %s in %s (expected one of: %s)", k, what, list);
}

/* Reads the keys of mapping `map` described by `fields` into `obj`.
 * `what` names the object in messages ("an event"); `positions`, when not
 * NULL, receives the node of a K_POSITIONS key.  Bit i of `*given` is set
 * when field i is present (even with an invalid value). */
static bool
read_fields(Reader *r, const DipkgYNode *map, const Field *fields, size_t n,
            void *obj, const char *what, const DipkgYNode **positions,
            unsigned long *given)
{
  bool ok = true;
  *given = 0;
  for (size_t i = 0; i < map->u.map.n; i++) {
    const DipkgYNode *key = map->u.map.pairs[i].key;
    const DipkgYNode *val = map->u.map.pairs[i].value;
    const Field *f = find_field(fields, n, key);
    if (!f) {
      unknown_key(r, key, fields, n, what);
      ok = false;
      continue;
    }
    if (dipkg_y_is_null(val))
      continue;  // an empty value is an absent value
    *given |= 1UL << (f - fields);
    void *slot = (char *)obj + f->offset;
    switch (f->kind) {
    case K_TEXT:
    case K_ID:
    case K_REF:
      ok &= read_scalar(r, val, f->kind, f->key, slot);
      break;
    case K_TEXTS:
    case K_REFS:
      ok &= read_list(r, val, f->kind, f->key, slot);
      break;
    case K_POSITIONS:
      if (positions)
        *positions = val;
      break;
    }
  }
  return ok;
}

/* Reports required fields that are absent (bit i of `given` clear).  `id`
 * names the object. */
static bool
check_required(Reader *r, const DipkgYNode *map, const Field *fields, size_t n,
               unsigned long given, const char *what, const DipkgValue *id)
{
  bool ok = true;
  for (size_t i = 0; i < n; i++) {
    if (!fields[i].required || (given & (1UL << i)))
      continue;
    if (id && id->str)
      ERR(r, map->loc, "%s %s has no '%s' (required)", what, Q(0, *id),
          fields[i].key);
    else
      ERR(r, map->loc, "%s has no '%s' (required)", what, fields[i].key);
    ok = false;
  }
  return ok;
}

static bool
expect_mapping(Reader *r, const DipkgYNode *n, const char *what)
{
  if (n->kind == DIPKG_Y_MAPPING)
    return true;
  ERR(r, n->loc, "expected %s as a mapping of keys, found %s", what,
      dipkg_y_kind_name(n));
  return false;
}

/* ------------------------------------------------------------- checks */

static bool
check_date(Reader *r, const DipkgValue *v, DipkgDateForms forms,
           const char *key, DipkgDate *out)
{
  const char *why;
  size_t at;
  if (dipkg_date_parse(v->str, v->len, forms, out, &why, &at))
    return true;
  const char *expect =
    forms == DIPKG_DATE_ISO
      ? "expected YYYY-MM-DD, optionally with a time (YYYY-MM-DDThh:mm:ssZ)"
      : "expected YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by ~ "
        "(approximate) or ? (uncertain), or an interval START/END";
  if (!strncmp(why, "expected", 8) || !strncmp(why, "unexpected", 10))
    ERR(r, v->loc, "invalid %s %s: %s (%s)", key, Q(0, *v), why, expect);
  else
    ERR(r, v->loc, "invalid %s %s: %s", key, Q(0, *v), why);
  return false;
}

/* A single date point (no interval) for positions' from/to. */
static bool
check_point(Reader *r, const DipkgValue *v, const char *key, DipkgDate *out)
{
  if (!check_date(r, v, DIPKG_DATE_EDTF, key, out))
    return false;
  if (out->interval) {
    ERR(r, v->loc,
        "invalid %s %s: a single date is expected here, not an "
        "interval",
        key, Q(0, *v));
    return false;
  }
  return true;
}

/* Language names curators write instead of tags, with the tag meant. */
static const struct {
  const char *name, *tag;
} language_names[] = {
  {"arabic", "ar"},     {"chinese", "zh"},   {"english", "en"},
  {"french", "fr"},     {"german", "de"},    {"italian", "it"},
  {"japanese", "ja"},   {"korean", "ko"},    {"persian", "fa"},
  {"portuguese", "pt"}, {"russian", "ru"},   {"spanish", "es"},
  {"turkish", "tr"},    {"ukrainian", "uk"},
};

static bool
all_of(const char *s, size_t n, int (*pred)(int))
{
  for (size_t i = 0; i < n; i++)
    if (!pred((unsigned char)s[i]))
      return false;
  return n > 0;
}

/* Whether the subtags after the primary language subtag follow RFC 5646's
 * order: extlang{0,3} script? region? variant* extension* privateuse?. */
static bool
bcp47_rest(const char *s, size_t len)
{
  int stage = 0;  // 0 extlang, 1 script, 2 region, 3 variant, 4 extension
  int extlangs = 0;
  bool after_singleton = false, privateuse = false;
  for (size_t i = 0; i < len;) {
    size_t j = i;
    while (j < len && s[j] != '-')
      j++;
    const char *t = s + i;
    size_t n = j - i;
    i = j + 1;
    if (privateuse || after_singleton) {
      if (n < (privateuse ? 1u : 2u) || n > 8 || !all_of(t, n, isalnum))
        return false;
      after_singleton = false;
      continue;
    }
    if (n == 1) {
      if (!isalnum((unsigned char)t[0]))
        return false;
      privateuse = t[0] == 'x' || t[0] == 'X';
      after_singleton = !privateuse;
      stage = 4;
    } else if (stage == 4) {
      if (n < 2 || n > 8 || !all_of(t, n, isalnum))
        return false;  // an extension's subtags
    } else if (n == 3 && all_of(t, n, isalpha) && stage == 0 && extlangs < 3) {
      extlangs++;
    } else if (n == 4 && all_of(t, n, isalpha) && stage <= 1) {
      stage = 2;
    } else if ((((n == 2 && all_of(t, n, isalpha)) ||
                 (n == 3 && all_of(t, n, isdigit))) &&
                stage <= 2) ||
               (((n >= 5 && n <= 8) ||
                 (n == 4 && isdigit((unsigned char)t[0]))) &&
                all_of(t, n, isalnum))) {
      stage = 3;  // a region, or a variant
    } else {
      return false;
    }
  }
  return !after_singleton;
}

static bool
check_language(Reader *r, DipkgValue *v, const char **lang)
{
  // BCP 47 shape: a 2-8 letter primary subtag, then 1-8 alphanumeric subtags.
  size_t i = 0, sub = 0, subtags = 0;
  bool ok = v->len > 0 && v->len < 64;
  for (; ok && i <= v->len; i++) {
    char c = (char)(i < v->len ? v->str[i] : '-');
    if (c == '-') {
      ok = sub >= 1 && sub <= 8 && (subtags > 0 || sub >= 2);
      subtags++;
      sub = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (subtags > 0 && c >= '0' && c <= '9')) {
      sub++;
    } else {
      ok = false;
    }
  }
  if (!ok) {
    ERR(r, v->loc,
        "invalid language %s: expected a BCP 47 tag such as 'en', "
        "'ja' or 'en-GB'",
        Q(0, *v));
    return false;
  }
  // Well-formed in shape; now the tag itself.  A primary language subtag
  // is an ISO 639 code of 2 or 3 letters (no 4-8 letter subtag has ever
  // been registered), and the rest keeps RFC 5646's order.  'English' or
  // 'english-us' pass the shape but tag every literal wrongly: a warning,
  // an error with --strict.
  const char *dash = memchr(v->str, '-', v->len);
  size_t primary = dash ? (size_t)(dash - v->str) : v->len;
  bool tag_ok = (primary == 2 || primary == 3) &&
                (!dash || bcp47_rest(dash + 1, v->len - primary - 1));
  if (!tag_ok) {
    const char *meant = NULL;
    for (size_t k = 0; k < sizeof language_names / sizeof *language_names; k++)
      if (strlen(language_names[k].name) == primary &&
          !strncasecmp(language_names[k].name, v->str, primary))
        meant = language_names[k].tag;
    if (meant)
      dipkg_diag_warning(r->diags, r->file, v->loc,
                         "language %s is not a BCP 47 tag (the language is "
                         "a 2- or 3-letter ISO 639 code); did you mean '%s'?",
                         Q(0, *v), meant);
    else
      dipkg_diag_warning(r->diags, r->file, v->loc,
                         "language %s is not a well-formed BCP 47 tag "
                         "(expected a 2- or 3-letter ISO 639 code, then "
                         "script, region and variant subtags, as in 'en', "
                         "'en-GB' or 'zh-Hant-TW')",
                         Q(0, *v));
  }
  char *lower = dipkg_arena_strndup(r->arena, v->str, v->len);
  if (!lower) {
    r->oom = true;
    return false;
  }
  // RDF compares language tags case-insensitively; lower case is the form
  // raptor and most stores normalise to.
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  *lang = lower;
  return true;
}

static const DipkgClass *
check_class(Reader *r, const DipkgValue *v, bool event)
{
  const DipkgClass *c = dipkg_ontology_class(r->onto, v->str, v->len);
  const char *kind = event ? "event" : "entity";
  if (c && (event ? c->is_event : c->is_entity))
    return c;
  if (c && (c->is_event || c->is_entity)) {
    ERR(r, v->loc, "%s is %s class, not %s type", Q(0, *v),
        c->is_event ? "an event" : "an entity",
        event ? "an event" : "an entity");
    return NULL;
  }
  if (c) {
    ERR(r, v->loc, "%s is a class of the ontology, but not %s class", Q(0, *v),
        event ? "an event" : "an entity");
    return NULL;
  }
  DipkgSuggest s;
  dipkg_suggest_init(&s, v->str, v->len);
  for (size_t i = 0; i < dipkg_ontology_n_classes(r->onto); i++) {
    const DipkgClass *k = dipkg_ontology_class_at(r->onto, i);
    if (k->local && (event ? k->is_event : k->is_entity))
      dipkg_suggest_offer(&s, k->local);
  }
  const char *best = dipkg_suggest_result(&s);
  if (best)
    ERR(r, v->loc, "unknown %s type %s; did you mean '%s'?", kind, Q(0, *v),
        best);
  else
    ERR(r, v->loc,
        "unknown %s type %s (the ontology's %s classes are listed "
        "by 'dipkg classes')",
        kind, Q(0, *v), kind);
  return NULL;
}

static bool
check_url(Reader *r, const DipkgValue *v)
{
  const char *why;
  size_t at;
  if (dipkg_iri_check_http(v->str, v->len, &why, &at))
    return true;
  ERR(r, v->loc, "invalid url %s: %s (at character %zu)", Q(0, *v), why,
      dipkg_utf8_count(v->str, at) + 1);
  return false;
}

static bool
check_wikidata(Reader *r, const DipkgValue *v)
{
  bool ok = v->len >= 2 && v->len <= 12 && v->str[0] == 'Q' &&
            v->str[1] >= '1' && v->str[1] <= '9';
  for (size_t i = 1; ok && i < v->len; i++)
    ok = v->str[i] >= '0' && v->str[i] <= '9';
  if (!ok)
    ERR(r, v->loc,
        "invalid Wikidata id %s: expected Q followed by digits, "
        "such as Q17",
        Q(0, *v));
  return ok;
}

static bool
check_cameo(Reader *r, const DipkgValue *v)
{
  bool ok = v->len >= 2 && v->len <= 4;
  for (size_t i = 0; ok && i < v->len; i++)
    ok = v->str[i] >= '0' && v->str[i] <= '9';
  if (!ok) {
    ERR(r, v->loc,
        "invalid CAMEO code %s: expected 2 to 4 digits as text, "
        "such as \"085\" (quote it to keep leading zeros)",
        Q(0, *v));
    return false;
  }
  if (!dipkg_ontology_has_cameo(r->onto, v->str, v->len)) {
    ERR(r, v->loc, "unknown CAMEO code %s (not in the CAMEO codebook)",
        Q(0, *v));
    return false;
  }
  return true;
}

static bool
check_plover(Reader *r, const DipkgValue *v)
{
  if (dipkg_ontology_has_plover(r->onto, v->str, v->len))
    return true;
  DipkgSuggest s;
  dipkg_suggest_init(&s, v->str, v->len);
  for (size_t i = 0; i < dipkg_ontology_n_plover(r->onto); i++)
    dipkg_suggest_offer(&s, dipkg_ontology_plover_at(r->onto, i));
  const char *best = dipkg_suggest_result(&s);
  if (best)
    ERR(r, v->loc, "unknown PLOVER event type %s; did you mean '%s'?", Q(0, *v),
        best);
  else
    ERR(r, v->loc,
        "unknown PLOVER event type %s (expected one of the "
        "ontology's dip:PloverEventTypes, such as CONSULT or SANCTION)",
        Q(0, *v));
  return false;
}

/* `plover_mode:` is a mode of the event's PLOVER type (its own `plover:`,
 * or its class's); `plover_context:` values are PLOVER contexts. */
static bool
check_plover_details(Reader *r, const DipkgEventFacts *ev)
{
  bool ok = true;
  if (ev->plover_mode.str) {
    char *type = NULL;
    if (ev->plover.str)
      type = dipkg_arena_strndup(r->arena, ev->plover.str, ev->plover.len);
    else if (ev->cls && dipkg_class_plover(ev->cls))
      type = dipkg_arena_strndup(r->arena, dipkg_class_plover(ev->cls),
                                 strlen(dipkg_class_plover(ev->cls)));
    if (!type && (ev->plover.str || (ev->cls && dipkg_class_plover(ev->cls)))) {
      r->oom = true;
      return false;
    }
    if (!type && ev->cls) {
      ERR(r, ev->plover_mode.loc,
          "'plover_mode' needs a PLOVER event type, and %s has none: add "
          "'plover:'",
          Q(0, ev->type));
      ok = false;
    } else if (type && !dipkg_ontology_has_plover_mode(r->onto, type,
                                                       ev->plover_mode.str,
                                                       ev->plover_mode.len)) {
      DipkgBuf modes = DIPKG_BUF_INIT;
      dipkg_ontology_plover_modes(r->onto, type, &modes);
      if (modes.len)
        ERR(r, ev->plover_mode.loc,
            "%s is not a PLOVER mode of %s (its modes: %s)",
            Q(0, ev->plover_mode), type, dipkg_buf_cstr(&modes));
      else
        ERR(r, ev->plover_mode.loc,
            "%s is not a PLOVER mode of %s (PLOVER gives %s no modes)",
            Q(0, ev->plover_mode), type, type);
      dipkg_buf_free(&modes);
      ok = false;
    }
  }
  for (size_t i = 0; i < ev->plover_context.n; i++) {
    const DipkgValue *c = &ev->plover_context.items[i];
    if (dipkg_ontology_has_plover_context(r->onto, c->str, c->len))
      continue;
    ERR(r, c->loc,
        "unknown PLOVER context %s (the ontology's dip:PloverContexts, "
        "such as economic, legal, diplomatic or military)",
        Q(0, *c));
    ok = false;
  }
  return ok;
}

static bool
check_status(Reader *r, const DipkgValue *v, DipkgEventStatus *out)
{
  for (int i = 0; i < 4; i++) {
    if (strlen(dipkg_status_names[i]) == v->len &&
        !memcmp(dipkg_status_names[i], v->str, v->len)) {
      *out = (DipkgEventStatus)i;
      return true;
    }
  }
  DipkgSuggest s;
  dipkg_suggest_init(&s, v->str, v->len);
  for (int i = 0; i < 4; i++)
    dipkg_suggest_offer(&s, dipkg_status_names[i]);
  const char *best = dipkg_suggest_result(&s);
  if (best)
    ERR(r, v->loc, "invalid status %s; did you mean '%s'?", Q(0, *v), best);
  else
    ERR(r, v->loc,
        "invalid status %s (expected occurred, ongoing, planned or "
        "agreed)",
        Q(0, *v));
  return false;
}

/* -------------------------------------------------------------- objects */

static bool
read_article(Reader *r, const DipkgYNode *n, DipkgFacts *f)
{
  DipkgArticleFacts *a = &f->article;
  a->present = true;
  a->loc = n->loc;
  if (!expect_mapping(r, n, "'article'"))
    return false;
  unsigned long given;
  bool ok = read_fields(r, n, article_fields, N(article_fields), a,
                        "the article", NULL, &given);
  ok &= check_required(r, n, article_fields, N(article_fields), given,
                       "the article", NULL);
  if (a->published.str)
    ok &= check_date(r, &a->published, DIPKG_DATE_ISO, "published date",
                     &a->published_date);
  if (a->url.str)
    ok &= check_url(r, &a->url);
  if (a->language.str)
    ok &= check_language(r, &a->language, &f->lang);
  if (a->curated.str)
    ok &= check_date(r, &a->curated, DIPKG_DATE_ISO, "curated date",
                     &a->curated_date);
  if (a->retrieved.str)
    ok &= check_date(r, &a->retrieved, DIPKG_DATE_ISO, "retrieved date",
                     &a->retrieved_date);
  return ok;
}

static bool
read_positions(Reader *r, const DipkgYNode *n, DipkgEntityFacts *e)
{
  if (n->kind != DIPKG_Y_SEQUENCE && n->kind != DIPKG_Y_MAPPING) {
    ERR(r, n->loc, "'positions' expects a list of mappings, found %s",
        dipkg_y_kind_name(n));
    return false;
  }
  size_t count = n->kind == DIPKG_Y_MAPPING ? 1 : n->u.seq.n;
  e->positions = dipkg_arena_calloc(r->arena, count, sizeof *e->positions);
  if (!e->positions) {
    r->oom = true;
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < count; i++) {
    const DipkgYNode *m = n->kind == DIPKG_Y_MAPPING ? n : n->u.seq.items[i];
    if (!expect_mapping(r, m, "a position")) {
      ok = false;
      continue;
    }
    DipkgPositionFacts *p = &e->positions[e->n_positions];
    p->loc = m->loc;
    unsigned long given;
    bool pos_ok = read_fields(r, m, position_fields, N(position_fields), p,
                              "a position", NULL, &given);
    pos_ok &= check_required(r, m, position_fields, N(position_fields), given,
                             "a position", NULL);
    if (p->from.str)
      pos_ok &= check_point(r, &p->from, "from date", &p->from_date);
    if (p->to.str)
      pos_ok &= check_point(r, &p->to, "to date", &p->to_date);
    if (pos_ok && p->from.str && p->to.str) {
      char from[11], to[11];
      dipkg_date_bound(&p->from_date.start, false, from);
      dipkg_date_bound(&p->to_date.start, true, to);
      if (strcmp(from, to) > 0) {
        ERR(r, p->to.loc, "the position ends (%s) before it starts (%s)",
            Q(0, p->to), Q(1, p->from));
        pos_ok = false;
      }
    }
    ok &= pos_ok;
    e->n_positions++;
  }
  return ok;
}

static bool
read_entity(Reader *r, const DipkgYNode *n, DipkgEntityFacts *e)
{
  e->loc = n->loc;
  if (!expect_mapping(r, n, "an entity"))
    return false;
  const DipkgYNode *positions = NULL;
  unsigned long given;
  bool ok = read_fields(r, n, entity_fields, N(entity_fields), e, "an entity",
                        &positions, &given);
  ok &= check_required(r, n, entity_fields, N(entity_fields), given,
                       e->id.str ? "entity" : "an entity", &e->id);
  if (e->type.str) {
    e->cls = check_class(r, &e->type, false);
    ok &= e->cls != NULL;
  }
  if (e->wikidata.str)
    ok &= check_wikidata(r, &e->wikidata);
  if (positions) {
    ok &= read_positions(r, positions, e);
    const DipkgClass *person = dipkg_ontology_class_iri(r->onto, DIP_PERSON);
    if (e->cls && person && !dipkg_class_is_a(e->cls, person)) {
      ERR(r, positions->loc, "only persons hold positions, and %s is a %s",
          Q(0, e->id), e->cls->local);
      ok = false;
    }
  }
  return ok;
}

static bool
read_event(Reader *r, const DipkgYNode *n, DipkgEventFacts *ev)
{
  ev->loc = n->loc;
  if (!expect_mapping(r, n, "an event"))
    return false;
  unsigned long given;
  bool ok = read_fields(r, n, event_fields, N(event_fields), ev, "an event",
                        NULL, &given);
  ok &= check_required(r, n, event_fields, N(event_fields), given,
                       ev->id.str ? "event" : "an event", &ev->id);
  if (ev->type.str) {
    ev->cls = check_class(r, &ev->type, true);
    ok &= ev->cls != NULL;
  }
  if (ev->date.str) {
    ev->when_valid =
      check_date(r, &ev->date, DIPKG_DATE_EDTF, "date", &ev->when);
    ok &= ev->when_valid;
  }
  ev->status_value = DIPKG_STATUS_OCCURRED;
  if (ev->status.str)
    ok &= check_status(r, &ev->status, &ev->status_value);
  if (ev->cameo.str)
    ok &= check_cameo(r, &ev->cameo);
  if (ev->plover.str)
    ok &= check_plover(r, &ev->plover);
  ok &= check_plover_details(r, ev);
  for (const DipkgValue *self = &ev->reverses; self <= &ev->responds_to;
       self++) {
    if (self->str && ev->id.str && self->len == ev->id.len &&
        !memcmp(self->str, ev->id.str, self->len)) {
      ERR(r, self->loc, "event %s refers to itself", Q(0, ev->id));
      ok = false;
    }
  }
  for (size_t i = 0; i < ev->quotes.n; i++) {
    const DipkgValue *q = &ev->quotes.items[i];
    size_t k = 0;
    while (k < q->len && (q->str[k] == ' ' || q->str[k] == '\n' ||
                          q->str[k] == '\t' || q->str[k] == '\r'))
      k++;
    if (k == q->len) {
      ERR(r, q->loc, "a quote cannot be blank");
      ok = false;
    }
  }
  return ok;
}

/* Curation rules that set an event's date against its article's: an event
 * that occurred cannot begin after the article reported it, and a planned
 * or agreed one cannot be over before.  Warnings (errors with --strict). */
static void
check_against_publication(Reader *r, const DipkgFacts *f)
{
  char pub[11];
  if (!dipkg_date_bound(&f->article.published_date.start, false, pub))
    return;
  for (size_t i = 0; i < f->n_events; i++) {
    const DipkgEventFacts *ev = &f->events[i];
    const DipkgDate *d = &ev->when;
    if (!ev->when_valid)
      continue;
    const DipkgDatePoint *last = d->interval ? &d->end : &d->start;
    char lo[11], hi[11];
    bool has_lo = dipkg_date_bound(&d->start, false, lo);
    bool has_hi = dipkg_date_bound(last, true, hi);
    const char *status = dipkg_status_names[ev->status_value];
    if ((ev->status_value == DIPKG_STATUS_OCCURRED ||
         ev->status_value == DIPKG_STATUS_ONGOING) &&
        has_lo && strcmp(lo, pub) > 0) {
      dipkg_diag_warning(r->diags, r->file, ev->date.loc,
                         "event %s has status '%s' but is dated %s, after "
                         "its article was published (%s); if the article "
                         "announces it, say 'status: planned'",
                         Q(0, ev->id), status, Q(1, ev->date), pub);
    } else if ((ev->status_value == DIPKG_STATUS_PLANNED ||
                ev->status_value == DIPKG_STATUS_AGREED) &&
               has_hi && strcmp(hi, pub) < 0) {
      dipkg_diag_warning(r->diags, r->file, ev->date.loc,
                         "event %s has status '%s' but is dated %s, entirely "
                         "before its article was published (%s); date a "
                         "plan by when "
                         "it is to happen (an open interval such as '%s/..' "
                         "when the article does not say), or record what "
                         "happened with 'status: occurred'",
                         Q(0, ev->id), status, Q(1, ev->date), pub, pub);
    }
  }
}

/* Reads a list section (`entities:` or `events:`) of `size`-byte objects. */
static bool
read_section(Reader *r, const DipkgYNode *n, const char *name, size_t size,
             void **items, size_t *count,
             bool (*read_one)(Reader *, const DipkgYNode *, void *))
{
  if (n->kind != DIPKG_Y_SEQUENCE) {
    ERR(r, n->loc, "'%s' expects a list, found %s", name, dipkg_y_kind_name(n));
    return false;
  }
  *items = dipkg_arena_calloc(r->arena, n->u.seq.n, size);
  if (!*items) {
    r->oom = true;
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < n->u.seq.n; i++)
    ok &= read_one(r, n->u.seq.items[i], (char *)*items + i * size);
  *count = n->u.seq.n;
  return ok;
}

static bool
read_entity_v(Reader *r, const DipkgYNode *n, void *obj)
{
  return read_entity(r, n, obj);
}

static bool
read_event_v(Reader *r, const DipkgYNode *n, void *obj)
{
  return read_event(r, n, obj);
}

DipkgStatus
dipkg_facts_read(const DipkgYNode *root, const char *file,
                 const DipkgOntology *onto, DipkgArena *arena,
                 DipkgDiagList *diags, DipkgFacts *out)
{
  memset(out, 0, sizeof *out);
  out->file = file;
  out->lang = "en";
  Reader r = {file, onto, arena, diags, false};
  if (!root || dipkg_y_is_null(root)) {
    dipkg_diag_warning(diags, file, ((DipkgLoc){1, 1, 0}),
                       "the file holds no facts");
    return DIPKG_SUCCESS;
  }
  if (!expect_mapping(&r, root, "the file"))
    return DIPKG_ERR_DATA;
  bool ok = true;
  const DipkgYNode *events_node = NULL;
  for (size_t i = 0; i < root->u.map.n; i++) {
    const DipkgYNode *key = root->u.map.pairs[i].key;
    const DipkgYNode *val = root->u.map.pairs[i].value;
    const Field *f = find_field(top_fields, N(top_fields), key);
    if (!f) {
      unknown_key(&r, key, top_fields, N(top_fields), "the file");
      ok = false;
    } else if (dipkg_y_is_null(val)) {
      continue;
    } else if (f == &top_fields[0]) {
      ok &= read_article(&r, val, out);
    } else if (f == &top_fields[1]) {
      ok &=
        read_section(&r, val, "entities", sizeof *out->entities,
                     (void **)&out->entities, &out->n_entities, read_entity_v);
    } else {
      events_node = key;
      ok &= read_section(&r, val, "events", sizeof *out->events,
                         (void **)&out->events, &out->n_events, read_event_v);
    }
    if (r.oom)
      break;
  }
  if (!r.oom && out->article.published_date.start.precision)
    check_against_publication(&r, out);
  if (!r.oom && events_node && out->n_events && !out->article.present) {
    ERR(&r, events_node->loc,
        "a file with events needs an 'article:' section saying where they "
        "were reported");
    ok = false;
  }
  if (r.oom) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, file,
                   (DipkgLoc){0, 0, 0}, "out of memory reading the facts");
    return DIPKG_ERR_NO_MEMORY;
  }
  return ok ? DIPKG_SUCCESS : DIPKG_ERR_DATA;
}
