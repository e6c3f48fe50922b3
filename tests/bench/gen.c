/* gen: writes a synthetic corpus of dipkg facts, for benchmarks.
 *
 *   gen --articles N --seed S --out DIR [--entities 2000]
 *
 * Everything it writes is invented, and every file says so in its first
 * lines.  The same arguments give byte-identical files, whatever the
 * compiler: all choices come from one xoshiro256** stream seeded from
 * --seed, drawn in a fixed order (never two draws in the arguments of one
 * call or one initializer, whose order C leaves open), with integer
 * arithmetic only (no time, locale, floating point, hash order or
 * addresses).
 *
 * The model of the corpus
 * -----------------------
 * A made-up world, written once to DIR/entities.yaml (KINDS below gives
 * the shares): countries with syllable-built names ("Belonia"), their
 * cities (`within` the country; the first is the capital), government
 * bodies, parties and companies, people holding one to three offices
 * with partial dates, a few regions and other places, international and
 * news organizations, commodities and topics.  Some entities have aliases,
 * descriptions and synthetic Wikidata ids.  A few dozen pairs of countries
 * are "rivalries" that the news keeps coming back to.
 *
 * Articles follow one another in publication order, spread evenly over
 * PUB_FIRST_YEAR to PUB_LAST_YEAR.  Article i goes to DIR/s<i/1000>/ (four
 * digits), as ID.yaml and ID.txt: "s" sorts after "entities.yaml", so the
 * gazetteer comes first in dipkg's input order and its definitions are
 * the ones exported.  Each covers a story: two or three
 * countries (often a rivalry), topics or commodities, a forum.  It has 5
 * to 40 events (most 5 to 7; see make_article), each of a class drawn from
 * CLASSES, a table of the ontology's event classes that says, per class,
 * which roles it fills and from which kinds of entity (matching the
 * rdfs:range of dip:actor, dip:location, ... in ontology/dip.ttl, which
 * dipkg enforces), how its date is usually known, and how it is told:
 * sentence templates for the text (past, ongoing, planned), a title, a
 * summary, alternative CAMEO codes and PLOVER types.  Every event adds one
 * or two sentences to the article text, and its quotes are cut from
 * them, so they occur verbatim (some texts are wrapped at 72 columns,
 * which dipkg's white-space-insensitive matching must see through).
 *
 * References only point backwards: to earlier events of the same article,
 * or to events of earlier articles remembered in a small ring per class
 * (preferring the same pair of countries), so every target exists and the
 * references form no cycle.  Only those rings and the world stay in
 * memory; each file is written as soon as it is complete.
 *
 * If the ontology gains an event class, add a row to CLASSES; if a range
 * changes, the ROLE_* and pick_* choices below must follow it.  The
 * abstract entity classes Entity and Actor are not used: a curator always
 * knows more than that.
 *
 * Failures end the run: out of memory or a failed write prints one message
 * and exits 1, leaving an incomplete corpus but never a partial file or
 * shard in sight of dipkg (see Out).  Files are not fsync'ed: a corpus can
 * be made again.  Bad arguments exit 2.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF_LIKE(f, a)
#define NORETURN
#endif

#define N(a) (sizeof(a) / sizeof *(a))

enum {
  ARTICLES_PER_DIR = 1000,
  MAX_ARTICLES = 10000000,  // DIR/0000 ... DIR/9999
  MIN_ENTITIES = 100,
  MAX_ENTITIES = 100000,
  DEFAULT_ENTITIES = 2000,
  PUB_FIRST_YEAR = 2004,
  PUB_LAST_YEAR = 2023,
  MAX_EVENTS = 40,
  RING = 64,                  // remembered events per class
  WIKIDATA_BASE = 900000000,  // synthetic Q-numbers start here
  WRAP_COLUMNS = 72,
};

/* ------------------------------------------------------------ failures */

NORETURN static void die(const char *fmt, ...) PRINTF_LIKE(1, 2);
NORETURN static void usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Prints "gen: " and the message, and ends the run with status 1. */
static void
die(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("gen: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if (!q)
    die("out of memory");
  return q;
}

/* ---------------------------------------------------------- random */

/* xoshiro256** (Blackman and Vigna), seeded through splitmix64. */
typedef struct Rng {
  uint64_t s[4];
} Rng;

static uint64_t
splitmix64(uint64_t *x)
{
  uint64_t z = (*x += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static void
rng_seed(Rng *r, uint64_t seed)
{
  for (size_t i = 0; i < 4; i++)
    r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(Rng *r)
{
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* A uniform number in [0, n), n > 0 (rejection sampling: no bias). */
static size_t
rng_below(Rng *r, size_t n)
{
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do
    x = rng_next(r);
  while (x >= limit);
  return (size_t)(x % n);
}

static int
rng_range(Rng *r, int lo, int hi)
{
  return lo + (int)rng_below(r, (size_t)(hi - lo + 1));
}

/* True `permille` times in a thousand. */
static bool
rng_chance(Rng *r, unsigned permille)
{
  return rng_below(r, 1000) < permille;
}

static size_t
rng_weighted(Rng *r, const unsigned *weights, size_t n)
{
  unsigned total = 0;
  for (size_t i = 0; i < n; i++)
    total += weights[i];
  size_t x = rng_below(r, total);
  for (size_t i = 0; i < n; i++) {
    if (x < weights[i])
      return i;
    x -= weights[i];
  }
  return n - 1;
}

#define PICK(r, table) ((table)[rng_below((r), N(table))])

/* ----------------------------------------------------------- buffers */

/* A growable string, always NUL-terminated. */
typedef struct Buf {
  char *p;
  size_t len, cap;
} Buf;

/* Makes room for `n` more bytes and the NUL. */
static void
buf_reserve(Buf *b, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
  }
}

static void
buf_put(Buf *b, const char *s, size_t n)
{
  buf_reserve(b, n);
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void
buf_puts(Buf *b, const char *s)
{
  buf_put(b, s, strlen(s));
}

static void
buf_clear(Buf *b)
{
  b->len = 0;
  buf_put(b, "", 0);
}

static void buf_printf(Buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void
buf_printf(Buf *b, const char *fmt, ...)
{
  buf_reserve(b, 128);  // room for most, so that one pass is enough
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  if (n < 0)
    die("cannot format a string");
  if ((size_t)n >= b->cap - b->len) {
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
  }
  b->len += (size_t)n;
}

/* `s` as a YAML double-quoted scalar.  The texts written here have no
 * control characters, so only the quote and the backslash need escaping. */
static void
buf_yaml_text(Buf *b, const char *s)
{
  buf_put(b, "\"", 1);
  for (const char *p = s; *p; p++) {
    if (*p == '"' || *p == '\\')
      buf_put(b, "\\", 1);
    buf_put(b, p, 1);
  }
  buf_put(b, "\"", 1);
}

/* ------------------------------------------------------------ arenas */

/* Strings that live as long as the arena: the world's for the whole run,
 * an article's until the next article (arena_reset). */
typedef struct Chunk {
  struct Chunk *next;
  size_t used, cap;
  max_align_t data[];
} Chunk;

typedef struct Arena {
  Chunk *head;
} Arena;

static void *
arena_alloc(Arena *a, size_t n)
{
  n = (n + 15) & ~(size_t)15;
  if (!a->head || a->head->cap - a->head->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    Chunk *c = xrealloc(NULL, sizeof *c + cap);
    c->next = a->head;
    c->used = 0;
    c->cap = cap;
    a->head = c;
  }
  void *p = (char *)a->head->data + a->head->used;
  a->head->used += n;
  return p;
}

static char *
arena_strdup(Arena *a, const char *s)
{
  size_t n = strlen(s) + 1;
  return memcpy(arena_alloc(a, n), s, n);
}

/* Frees all chunks but the newest, which is emptied for reuse. */
static void
arena_reset(Arena *a)
{
  if (!a->head)
    return;
  Chunk *c = a->head->next;
  while (c) {
    Chunk *next = c->next;
    free(c);
    c = next;
  }
  a->head->next = NULL;
  a->head->used = 0;
}

static void
arena_free(Arena *a)
{
  arena_reset(a);
  free(a->head);
  a->head = NULL;
}

/* --------------------------------------------------------- templates */

/* Slots of a template: "{X}" is replaced by slot['X'], which must be set. */
typedef struct Slots {
  const char *v[128];
} Slots;

static void
expand(Buf *b, const char *tmpl, const Slots *s)
{
  for (const char *p = tmpl; *p; p++) {
    if (p[0] == '{' && p[1] && p[2] == '}') {
      const char *v = s->v[(unsigned char)p[1] & 127];
      if (!v)
        die("internal error: template \"%s\" uses an empty slot {%c}", tmpl,
            p[1]);
      buf_puts(b, v);
      p += 2;
    } else {
      buf_put(b, p, 1);
    }
  }
}

static char *
expand_to(Arena *a, Buf *scratch, const char *tmpl, const Slots *s)
{
  buf_clear(scratch);
  expand(scratch, tmpl, s);
  return arena_strdup(a, scratch->p);
}

/* The same with one slot, {x}. */
static char *
fill1(Arena *a, Buf *scratch, const char *tmpl, const char *x)
{
  Slots s = {{0}};
  s.v['x'] = x;
  return expand_to(a, scratch, tmpl, &s);
}

static void
capitalize(char *s)
{
  if (*s >= 'a' && *s <= 'z')
    *s = (char)(*s - 'a' + 'A');
}

/* Letters without diacritics for ids, for the non-ASCII letters the name
 * tables use. */
static const struct Fold {
  const char *utf8, *ascii;
} FOLDS[] = {
  {"\xC3\xA9", "e"},     {"\xC3\x89", "E"}, {"\xC3\xAB", "e"},
  {"\xC3\xB8", "o"},     {"\xC3\xB6", "o"}, {"\xC3\xA1", "a"},
  {"\xC3\xAD", "i"},     {"\xC3\xBC", "u"}, {"\xC5\x81", "L"},
  {"\xC5\x82", "l"},     {"\xC3\xA7", "c"}, {"\xC3\xA3", "a"},
  {"\xE2\x80\x93", "-"},
};

/* Appends to `b` the id form of `s`: lower-case ASCII letters and digits,
 * other runs as one hyphen; apostrophes vanish ("People's" -> "peoples"). */
static void
put_slug(Buf *b, const char *s)
{
  bool hyphen = false;
  size_t start = b->len;
  for (const char *p = s; *p;) {
    const char *ascii = NULL;
    size_t skip = 1;
    for (size_t i = 0; i < N(FOLDS) && !ascii && (*p & 0x80); i++) {
      size_t n = strlen(FOLDS[i].utf8);
      if (!strncmp(p, FOLDS[i].utf8, n)) {
        ascii = FOLDS[i].ascii;
        skip = n;
      }
    }
    char c = ascii ? ascii[0] : *p;
    p += skip;
    if (c == '\'')
      continue;
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (hyphen && b->len > start)
        buf_put(b, "-", 1);
      hyphen = false;
      buf_put(b, &c, 1);
    } else {
      hyphen = true;
    }
  }
}

/* "ExportControlsImposed" -> "export-controls-imposed". */
static void
put_kebab(Buf *b, const char *camel)
{
  for (const char *p = camel; *p; p++) {
    if (*p >= 'A' && *p <= 'Z') {
      if (p != camel)
        buf_puts(b, "-");
      char c = (char)(*p - 'A' + 'a');
      buf_put(b, &c, 1);
    } else {
      buf_put(b, p, 1);
    }
  }
}

/* "A", "A and B", "A, B and C". */
static void
put_list(Buf *b, const char *const *items, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (i)
      buf_puts(b, i + 1 == n ? " and " : ", ");
    buf_puts(b, items[i]);
  }
}

/* ------------------------------------------------------------- dates */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's algorithms). */
static long
days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

typedef struct Ymd {
  int y, m, d;
} Ymd;

static Ymd
civil_from_days(long z)
{
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  return (Ymd){(int)(yoe + era * 400) + (m <= 2), m, d};
}

static const char *const MONTHS[] = {
  "January", "February", "March",     "April",   "May",      "June",
  "July",    "August",   "September", "October", "November", "December"};
static const char *const WEEKDAYS[] = {"Thursday", "Friday", "Saturday",
                                       "Sunday",   "Monday", "Tuesday",
                                       "Wednesday"};  // from 1970-01-01

typedef enum Prec { YEAR, MONTH, DAY, MOMENT } Prec;

/* One calendar point, as written in EDTF.  `day` is a day number; the
 * precision says how much of it is written. */
typedef struct Point {
  long day;
  Prec prec;
  char qual;           // 0, '~' (approximate), '?' (uncertain) or '%' (both)
  int hh, mm, ss, ms;  // MOMENT; ms < 0: no fraction
  bool seconds;        // MOMENT: seconds written
  int tz;              // MOMENT: offset in minutes, or TZ_NONE / TZ_Z
} Point;

enum { TZ_NONE = 10000, TZ_Z = 10001 };

typedef enum Form {
  F_POINT,          // 2019
  F_CLOSED,         // 2019/2020
  F_OPEN_END,       // 2019/..
  F_OPEN_START,     // ../2019
  F_UNKNOWN_END,    // 2019/
  F_UNKNOWN_START,  // /2019
} Form;

/* A date or an interval: `a` is the point or the start, `b` the end. */
typedef struct When {
  Form form;
  Point a, b;
} When;

static bool
has_start(Form f)
{
  return f != F_OPEN_START && f != F_UNKNOWN_START;
}

static bool
has_end(Form f)
{
  return f == F_CLOSED || f == F_OPEN_START || f == F_UNKNOWN_START;
}

static Point
point(long day, Prec prec)
{
  return (Point){day, prec, 0, 0, 0, 0, -1, false, TZ_NONE};
}

/* A point at `day` with a random time of day and zone. */
static Point
moment(Rng *r, long day)
{
  static const int zones[] = {0,    60,   120,  180, 330,  480, 540, 600,
                              -300, -240, -180, 345, -210, 840, -600};
  Point p = point(day, MOMENT);
  p.hh = rng_range(r, 6, 22);
  p.mm = rng_range(r, 0, 59);
  p.seconds = rng_chance(r, 600);
  p.ss = p.seconds ? rng_range(r, 0, 59) : 0;
  p.ms = p.seconds && rng_chance(r, 100) ? rng_range(r, 0, 999) : -1;
  size_t z = rng_below(r, 10);
  p.tz = z < 3 ? TZ_Z : z < 4 ? TZ_NONE : PICK(r, zones);
  return p;
}

static void
put_point(Buf *b, const Point *p)
{
  Ymd c = civil_from_days(p->day);
  buf_printf(b, "%04d", c.y);
  if (p->prec >= MONTH)
    buf_printf(b, "-%02d", c.m);
  if (p->prec >= DAY)
    buf_printf(b, "-%02d", c.d);
  if (p->prec == MOMENT) {
    buf_printf(b, "T%02d:%02d", p->hh, p->mm);
    if (p->seconds)
      buf_printf(b, ":%02d", p->ss);
    if (p->seconds && p->ms >= 0)
      buf_printf(b, ".%03d", p->ms);
    if (p->tz == TZ_Z)
      buf_puts(b, "Z");
    else if (p->tz != TZ_NONE)
      buf_printf(b, "%c%02d:%02d", p->tz < 0 ? '-' : '+', abs(p->tz) / 60,
                 abs(p->tz) % 60);
  }
  if (p->qual)
    buf_put(b, &p->qual, 1);
}

/* The EDTF form of `w`. */
static void
put_when(Buf *b, const When *w)
{
  if (w->form == F_OPEN_START)
    buf_puts(b, "..");
  if (has_start(w->form))
    put_point(b, &w->a);
  if (w->form != F_POINT)
    buf_puts(b, "/");
  if (has_end(w->form))
    put_point(b, &w->b);
  if (w->form == F_OPEN_END)
    buf_puts(b, "..");
}

/* How the prose names point `p`, seen from publication day `pub`:
 * "Tuesday", "14 March", "14 March 2021", "March 2021", "2019".  With
 * `absolute`, always with the year. */
static void
put_point_noun(Buf *b, const Point *p, long pub, bool absolute)
{
  Ymd c = civil_from_days(p->day), now = civil_from_days(pub);
  long diff = pub - p->day;
  bool same_year = c.y == now.y && !absolute;
  switch (p->prec) {
  case YEAR:
    buf_printf(b, "%d", c.y);
    break;
  case MONTH:
    buf_printf(b, same_year ? "%s" : "%s %d", MONTHS[c.m - 1], c.y);
    break;
  default:
    if (!absolute && diff >= -6 && diff <= 6)
      buf_puts(b, WEEKDAYS[((p->day % 7) + 7) % 7]);
    else
      buf_printf(b, same_year ? "%d %s" : "%d %s %d", c.d, MONTHS[c.m - 1],
                 c.y);
    break;
  }
}

/* A point after a preposition: " on Tuesday", " in March", " last year",
 * " around 2019", " reportedly on 14 March 2021". */
static void
put_point_phrase(Buf *b, const Point *p, long pub)
{
  Ymd c = civil_from_days(p->day), now = civil_from_days(pub);
  if (p->qual == '?' || p->qual == '%')
    buf_puts(b, " reportedly");
  if (p->qual == '~' || p->qual == '%') {
    buf_puts(b, p->prec >= DAY ? " on or around " : " around ");
    put_point_noun(b, p, pub, true);
    return;
  }
  if (p->qual) {
    buf_puts(b, p->prec >= DAY ? " on " : " in ");
    put_point_noun(b, p, pub, true);
    return;
  }
  if (p->prec == YEAR && c.y - now.y >= -1 && c.y - now.y <= 1) {
    static const char *const near[] = {" last year", " this year",
                                       " next year"};
    buf_puts(b, near[c.y - now.y + 1]);
    return;
  }
  if (p->prec == MONTH && c.y == now.y && c.m == now.m) {
    buf_puts(b, p->day <= pub ? " earlier this month" : " later this month");
    return;
  }
  if (p->prec == MOMENT)
    buf_puts(b, p->hh < 9 ? " early" : p->hh >= 19 ? " late" : "");
  buf_puts(b, p->prec >= DAY ? " on " : " in ");
  put_point_noun(b, p, pub, false);
}

/* An interval end after `word`: " since about 2019", " until Tuesday". */
static void
put_end_phrase(Buf *b, const char *word, const Point *p, long pub,
               bool absolute)
{
  buf_puts(b, word);
  if (p->qual)
    buf_puts(b, "about ");
  put_point_noun(b, p, pub, absolute);
}

/* The tense of the sentence a date phrase goes into. */
typedef enum Tense { PAST, PRESENT, FUTURE } Tense;

/* `w` as an adverbial phrase with a leading space ("{d}" of templates). */
static void
put_when_phrase(Buf *b, const When *w, long pub, Tense tense)
{
  switch (w->form) {
  case F_POINT:
    if (tense == PRESENT)
      put_end_phrase(b, " as of ", &w->a, pub, false);
    else
      put_point_phrase(b, &w->a, pub);
    break;
  case F_CLOSED:
    put_end_phrase(b, " from ", &w->a, pub, true);
    put_end_phrase(b, " to ", &w->b, pub, true);
    break;
  case F_OPEN_END:
  case F_UNKNOWN_END:
    if (tense == PRESENT && w->a.day < pub) {
      put_end_phrase(b, " since ", &w->a, pub, false);
    } else {
      put_end_phrase(b, " from ", &w->a, pub, false);
      buf_puts(b, " onward");
    }
    break;
  case F_OPEN_START:
    put_end_phrase(b, " until ", &w->b, pub, false);
    break;
  case F_UNKNOWN_START:
    put_end_phrase(b, " up to ", &w->b, pub, false);
    break;
  }
}

/* ------------------------------------------------------------- names */

// clang-format off
static const char *const SYL_FIRST[] = {
  "Al",  "Bar", "Cas", "Dor", "El",  "Fen", "Gal", "Har", "Ist", "Jar",
  "Kal", "Lin", "Mor", "Nal", "Or",  "Pas", "Quel", "Ros", "Sal", "Tor",
  "Ul",  "Ver", "Wen", "Yar", "Zan", "Bel", "Cor", "Dal", "Esk", "Tal"};
static const char *const SYL_MID[] = {"a",  "e",  "i",  "o",  "an",
                                      "en", "or", "ar", "el", "is"};
static const char *const COUNTRY_END[] = {
  "ia",  "onia", "ovia", "istan", "land", "mark", "ora",
  "enia", "ary", "ica",  "uria",  "esh",  "ador", "in"};
static const char *const PLACE_END[] = {
  "grad", "burg", "haven", "mouth", "ford", "polis", "ton",
  "vik",  "abad", "dorf",  "ville", "port", "more",  "stad"};
static const char *const AREA_END[] = {"esh", "ar", "en", "ia", "or",
                                       "is", "an", "ath", "ium"};
static const char *const CITY_PREFIX[] = {"Port ", "New ", "Nova ", "Upper ",
                                          "San "};
static const char *const FIRST_NAMES[] = {
  "Anna",  "Li",    "Omar",   "Sofia",  "Mateo", "Amara", "Hiroshi",
  "Elena", "Kwame", "Priya",  "Jonas",  "Leila", "Tomas", "Yuki",
  "Farah", "Ivan",  "Nadia",  "Pablo",  "Mei",   "Karim", "Ingrid",
  "Oleg",  "Chen",  "Rosa",   "Samir",  "Hana",  "Diego", "Aylin",
  "Viktor", "Zo\xC3\xAB", "\xC3\x89mile", "S\xC3\xB8ren", "Ana",
  "\xC5\x81ukasz", "Thandiwe", "Rahul", "Marta", "Kenji", "Ines", "Arjun",
  "Bianca", "Yusuf", "Clara", "Dmitri", "Nia", "Felipe", "Greta", "Hamza"};
static const char *const LAST_NAMES[] = {
  "Dorsey",  "Okafor",   "Lindqvist", "Haddad",   "Moreau",   "Tanaka",
  "Petrov",  "Mensah",   "Kowalski",  "Rahman",   "Silva",    "Novak",
  "Horvath", "Nakamura", "Abebe",     "Castillo", "Ivanova",  "Okoye",
  "Brandt",  "Yilmaz",   "Santos",    "Park",     "Farouk",   "Jensen",
  "Kaur",    "Duarte",   "Weller",    "Osei",     "Ferreira", "Lund",
  "Marek",   "Bauer",    "Qureshi",   "Adeyemi",  "Varga",    "Rossi",
  "Sato",    "Kim",      "Nguyen",    "Ortega",   "Hadid",    "Mbeki",
  "Sorensen", "Halvorsen", "Albescu",  "Demir",    "Reyes",    "Volkov",
  "Achterberg", "Fontaine", "Gallo",  "Ibarra",   "Jaramillo", "Kader",
  "Lozano",  "Mwangi",   "Nieminen",  "Oyelaran", "Pereira",  "Quispe",
  "Ramos",   "Stavros",  "Toivonen",  "Uchenna",  "Vasquez",  "Wahlberg",
  "Xu",      "Yamada",   "Zielinski", "Bergstr\xC3\xB6m", "Gonz\xC3\xA1lez",
  "M\xC3\xBCller"};
// clang-format on

/* "Belonia", "Torenmark": a first syllable, sometimes a middle one, an
 * ending from `ends`. */
static void
put_word(Buf *b, Rng *r, const char *const *ends, size_t n_ends)
{
  const char *mid = rng_chance(r, 450) ? PICK(r, SYL_MID) : "";
  const char *end = ends[rng_below(r, n_ends)];
  buf_puts(b, PICK(r, SYL_FIRST));
  // Not "Kaliia": no two vowels where the middle meets the end.
  if (*mid && !(strchr("aeiou", mid[strlen(mid) - 1]) && strchr("aeiou", *end)))
    buf_puts(b, mid);
  buf_puts(b, end);
}

static char *
new_word(Arena *a, Buf *scratch, Rng *r, const char *const *ends, size_t n_ends)
{
  buf_clear(scratch);
  put_word(scratch, r, ends, n_ends);
  return arena_strdup(a, scratch->p);
}

/* Capital letters of the significant words: "Council of Esk States" ->
 * "CES". */
static char *
acronym(Arena *a, const char *name)
{
  char out[16];
  size_t n = 0;
  for (const char *p = name; *p && n + 1 < sizeof out; p++)
    if (*p >= 'A' && *p <= 'Z' && (p == name || p[-1] == ' '))
      out[n++] = *p;
  out[n] = '\0';
  return arena_strdup(a, out);
}

/* ------------------------------------------------------------- world */

typedef enum Kind {
  COUNTRY,
  REGION,
  CITY,
  PLACE,
  GOVBODY,
  PARTY,
  COMPANY,
  INTORG,
  NEWSORG,
  PERSON,
  COMMODITY,
  TOPIC,
  N_KINDS
} Kind;

/* An entity of the world (or of one article). */
typedef struct Entity {
  Kind kind;
  const char *id;
  const char *name;    // its label
  const char *phrase;  // how prose names it: "the Kesh Peninsula"
  const char *abbrev;  // its acronym if it goes by one, else its name
  long country;        // its country (ordinal among countries), or -1
  bool leader;         // a person who leads a country or its diplomacy
  const char *body;    // a government body: its BODIES id ("trade-ministry")
  const char *yaml;    // its definition, as entities.yaml has it
} Entity;

typedef struct List {
  size_t *v;
  size_t n, cap;
} List;

static void
list_push(List *l, size_t x)
{
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->v = xrealloc(l->v, l->cap * sizeof *l->v);
  }
  l->v[l->n++] = x;
}

/* A set of ids (open addressing, FNV-1a): keeps the gazetteer's ids
 * unique.  Only membership is asked, so its order never shows. */
typedef struct IdSet {
  const char **slot;
  size_t cap, n;
} IdSet;

static uint64_t
fnv1a(const char *s)
{
  uint64_t h = 14695981039346656037u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

static bool
idset_has(const IdSet *set, const char *id)
{
  if (!set->cap)
    return false;
  for (size_t k = (size_t)fnv1a(id) & (set->cap - 1); set->slot[k];
       k = (k + 1) & (set->cap - 1))
    if (!strcmp(set->slot[k], id))
      return true;
  return false;
}

/* Adds `id`, which must stay valid as long as the set. */
static void
idset_add(IdSet *set, const char *id)
{
  if ((set->n + 1) * 2 > set->cap) {
    IdSet bigger = {NULL, set->cap ? set->cap * 2 : 1024, set->n};
    bigger.slot = xrealloc(NULL, bigger.cap * sizeof *bigger.slot);
    memset(bigger.slot, 0, bigger.cap * sizeof *bigger.slot);
    for (size_t i = 0; i < set->cap; i++) {
      if (!set->slot[i])
        continue;
      size_t k = (size_t)fnv1a(set->slot[i]) & (bigger.cap - 1);
      while (bigger.slot[k])
        k = (k + 1) & (bigger.cap - 1);
      bigger.slot[k] = set->slot[i];
    }
    free(set->slot);
    *set = bigger;
  }
  size_t k = (size_t)fnv1a(id) & (set->cap - 1);
  while (set->slot[k])
    k = (k + 1) & (set->cap - 1);
  set->slot[k] = id;
  set->n++;
}

typedef struct World {
  Arena arena;
  Entity *e;
  size_t n, cap;
  IdSet ids;
  List of_kind[N_KINDS];
  List *local;           // [country * N_KINDS + kind]: entities of one country
  List *leaders;         // [country]: its persons with leader set
  size_t (*rivalry)[2];  // pairs of country ordinals
  size_t n_rivalries;
  Buf scratch, yaml;
} World;

static const Entity *
country_of(const World *w, size_t ordinal)
{
  return &w->e[w->of_kind[COUNTRY].v[ordinal]];
}

static const Entity *
random_of_kind(const World *w, Rng *r, Kind k)
{
  const List *l = &w->of_kind[k];
  return l->n ? &w->e[l->v[rng_below(r, l->n)]] : NULL;
}

/* A random entity of kind `k` of country `c`, or NULL if it has none. */
static const Entity *
local_of_kind(const World *w, Rng *r, size_t c, Kind k)
{
  const List *l = &w->local[c * N_KINDS + k];
  return l->n ? &w->e[l->v[rng_below(r, l->n)]] : NULL;
}

/* What a kind builder hands to add_entity. */
typedef struct Draft {
  const char *name;
  const char *phrase;  // NULL: the name
  const char *abbrev;  // NULL: the name
  const char *alias;
  const char *within;  // an entity id, or NULL
  const char *description;
  const char *positions;  // YAML lines, or NULL
  long country;
  bool leader;
  const char *body;
} Draft;

/* Writes the YAML of an entity (a list item of `entities:`), as the
 * gazetteer and articles both have it. */
static void
put_entity_yaml(Buf *b, const char *id, const char *type, const Draft *d,
                const char *wikidata)
{
  buf_printf(b, "  - id: %s\n    type: %s\n    name: ", id, type);
  buf_yaml_text(b, d->name);
  if (d->alias) {
    buf_puts(b, "\n    aliases: [");
    buf_yaml_text(b, d->alias);
    buf_puts(b, "]");
  }
  if (wikidata)
    buf_printf(b, "\n    wikidata: %s", wikidata);
  if (d->within)
    buf_printf(b, "\n    within: %s", d->within);
  if (d->description) {
    buf_puts(b, "\n    description: ");
    buf_yaml_text(b, d->description);
  }
  buf_puts(b, "\n");
  if (d->positions)
    buf_printf(b, "    positions:\n%s", d->positions);
}

typedef struct KindInfo {
  const char *type;     // the ontology class
  const char *heading;  // its comment in entities.yaml
  unsigned permille;    // share of the gazetteer
  unsigned wikidata;    // per mille with a (synthetic) Wikidata id
  void (*build)(World *, Rng *, size_t);  // makes one; the argument is
                                          // its rank within the kind
} KindInfo;

static const KindInfo KINDS[N_KINDS];

/* Adds the entity described by `d`, with an id made from `id_hint` (the
 * name when NULL) and made unique with "-2", "-3", ... */
static void
add_entity(World *w, Rng *r, Kind kind, const char *id_hint, const Draft *d)
{
  Buf *s = &w->scratch;
  buf_clear(s);
  put_slug(s, id_hint ? id_hint : d->name);
  size_t base = s->len;
  for (unsigned k = 2; idset_has(&w->ids, s->p); k++) {
    s->len = base;
    buf_printf(s, "-%u", k);
  }
  Entity e = {.kind = kind,
              .id = arena_strdup(&w->arena, s->p),
              .name = d->name,
              .phrase = d->phrase ? d->phrase : d->name,
              .abbrev = d->abbrev ? d->abbrev : d->name,
              .country = d->country,
              .leader = d->leader,
              .body = d->body};
  char wikidata[24] = "";
  if (rng_chance(r, KINDS[kind].wikidata))
    snprintf(wikidata, sizeof wikidata, "Q%lu",
             (unsigned long)WIKIDATA_BASE + (unsigned long)w->n);
  buf_clear(&w->yaml);
  put_entity_yaml(&w->yaml, e.id, KINDS[kind].type, d,
                  wikidata[0] ? wikidata : NULL);
  e.yaml = arena_strdup(&w->arena, w->yaml.p);
  idset_add(&w->ids, e.id);
  if (w->n == w->cap) {
    w->cap = w->cap ? w->cap * 2 : 1024;
    w->e = xrealloc(w->e, w->cap * sizeof *w->e);
  }
  w->e[w->n] = e;
  list_push(&w->of_kind[kind], w->n);
  w->n++;
}

/* A new word-name not yet an id (after 50 tries, a taken one: add_entity
 * then makes its id unique). */
static char *
fresh_word(World *w, Rng *r, const char *prefix, const char *const *ends,
           size_t n_ends)
{
  char *name = NULL;
  for (int tries = 0; tries < 50; tries++) {
    buf_clear(&w->yaml);
    buf_puts(&w->yaml, prefix);
    put_word(&w->yaml, r, ends, n_ends);
    name = arena_strdup(&w->arena, w->yaml.p);
    buf_clear(&w->scratch);
    put_slug(&w->scratch, name);
    if (!idset_has(&w->ids, w->scratch.p))
      break;
  }
  return name;
}

/* The `within` and home country of an entity of country ordinal `c`. */
static Draft
draft_in(const World *w, size_t c)
{
  Draft d = {0};
  d.country = (long)c;
  d.within = country_of(w, c)->id;
  return d;
}

static void
build_region(World *w, Rng *r, size_t rank)
{
  static const char *const forms[] = {"{x} Peninsula", "{x} Basin", "{x} Sea",
                                      "{x} Highlands", "{x} Delta", "{x} Gulf"};
  static const char *const descriptions[] = {
    "A region shared by several countries.",
    "A contested region; several governments claim parts of it.", NULL};
  (void)rank;
  Draft d = {0};
  d.country = -1;
  const char *word = new_word(&w->arena, &w->scratch, r, AREA_END, N(AREA_END));
  d.name = fill1(&w->arena, &w->scratch, PICK(r, forms), word);
  d.phrase = fill1(&w->arena, &w->scratch, "the {x}", d.name);
  d.description = PICK(r, descriptions);
  add_entity(w, r, REGION, NULL, &d);
}

static void
build_country(World *w, Rng *r, size_t rank)
{
  static const char *const forms[] = {"Republic of {x}", "Kingdom of {x}",
                                      "Federal Republic of {x}",
                                      "United Provinces of {x}"};
  static const char *const kinds[] = {"coastal", "landlocked", "island",
                                      "mountainous", "federal"};
  (void)rank;
  Draft d = {0};
  d.country = (long)w->of_kind[COUNTRY].n;
  d.name = fresh_word(w, r, "", COUNTRY_END, N(COUNTRY_END));
  if (rng_chance(r, 350))
    d.alias = fill1(&w->arena, &w->scratch, PICK(r, forms), d.name);
  const Entity *region = random_of_kind(w, r, REGION);
  if (rng_chance(r, 400) && region) {
    buf_clear(&w->scratch);
    buf_printf(&w->scratch, "A %s state in %s.", PICK(r, kinds),
               region->phrase);
    d.description = arena_strdup(&w->arena, w->scratch.p);
  }
  add_entity(w, r, COUNTRY, NULL, &d);
}

static void
build_city(World *w, Rng *r, size_t rank)
{
  size_t n_countries = w->of_kind[COUNTRY].n;
  // The first pass gives every country its capital.
  size_t c = rank < n_countries ? rank : rng_below(r, n_countries);
  Draft d = draft_in(w, c);
  const char *prefix = rng_chance(r, 120) ? PICK(r, CITY_PREFIX) : "";
  d.name = fresh_word(w, r, prefix, PLACE_END, N(PLACE_END));
  const char *country = country_of(w, c)->name;
  static const char *const others[] = {"A port city in {x}.",
                                       "An industrial city in {x}.",
                                       "A border city in {x}."};
  if (rank < n_countries)
    d.description =
      fill1(&w->arena, &w->scratch, "The capital of {x}.", country);
  else if (rng_chance(r, 300))
    d.description = fill1(&w->arena, &w->scratch, PICK(r, others), country);
  add_entity(w, r, CITY, NULL, &d);
}

static void
build_place(World *w, Rng *r, size_t rank)
{
  static const struct {
    const char *name, *phrase;
  } forms[] = {{"Strait of {x}", "the Strait of {x}"},
               {"{x} Islands", "the {x} Islands"},
               {"Mount {x}", "Mount {x}"},
               {"{x} Dam", "the {x} Dam"},
               {"{x} Free Trade Zone", "the {x} Free Trade Zone"}};
  (void)rank;
  size_t f = rng_below(r, N(forms));
  const char *word = new_word(&w->arena, &w->scratch, r, AREA_END, N(AREA_END));
  Draft d = {0};
  d.country = -1;
  if (rng_chance(r, 600))
    d = draft_in(w, rng_below(r, w->of_kind[COUNTRY].n));
  d.name = fill1(&w->arena, &w->scratch, forms[f].name, word);
  d.phrase = fill1(&w->arena, &w->scratch, forms[f].phrase, word);
  add_entity(w, r, PLACE, NULL, &d);
}

/* Government bodies: every country has a foreign ministry, some have
 * others (by weight). */
static const struct Body {
  const char *name;   // {x}: the country's name
  const char *id;     // after the country's id
  const char *alias;  // or NULL
  const char *remit;  // for the description
  unsigned weight;
} BODIES[] = {
  {"Ministry of Foreign Affairs of {x}", "foreign-ministry", "Foreign Ministry",
   "foreign relations", 0},
  {"Ministry of Trade and Industry of {x}", "trade-ministry", "Trade Ministry",
   "trade and export controls", 4},
  {"Ministry of Defense of {x}", "defense-ministry", "Defense Ministry",
   "the armed forces", 3},
  {"Office of the President of {x}", "presidency", "Presidential Office",
   "the president's staff", 1},
  {"National Assembly of {x}", "national-assembly", "Parliament", "legislation",
   1},
  {"Customs Service of {x}", "customs", NULL, "border controls on goods", 1},
  {"Central Bank of {x}", "central-bank", NULL, "monetary policy", 1},
  {"National Security Council of {x}", "security-council", NULL,
   "security policy", 1},
};

static void
build_govbody(World *w, Rng *r, size_t rank)
{
  size_t n_countries = w->of_kind[COUNTRY].n;
  unsigned weights[N(BODIES)];
  for (size_t i = 0; i < N(BODIES); i++)
    weights[i] = BODIES[i].weight;
  // The first pass gives every country its foreign ministry; then a body
  // of some country that it does not have yet (ten tries).
  size_t c = rank % n_countries, b = 0;
  Buf *id = &w->yaml;
  for (int tries = 0; tries < 10; tries++) {
    if (rank >= n_countries) {
      c = rng_below(r, n_countries);
      b = rng_weighted(r, weights, N(BODIES));
    }
    buf_clear(id);
    buf_printf(id, "%s-%s", country_of(w, c)->id, BODIES[b].id);
    if (!idset_has(&w->ids, id->p))
      break;
  }
  const struct Body *body = &BODIES[b];
  const Entity *country = country_of(w, c);
  char *hint = arena_strdup(&w->arena, id->p);
  Draft d = draft_in(w, c);
  d.body = body->id;
  d.name = fill1(&w->arena, &w->scratch, body->name, country->name);
  d.phrase = fill1(&w->arena, &w->scratch, "the {x}", d.name);
  d.alias = rng_chance(r, 500) ? body->alias : NULL;
  if (rng_chance(r, 400)) {
    Slots s = {{0}};
    s.v['c'] = country->name;
    s.v['r'] = body->remit;
    d.description =
      expand_to(&w->arena, &w->scratch, "{c}'s body in charge of {r}.", &s);
  }
  add_entity(w, r, GOVBODY, hint, &d);
}

/* Organizations named after a country or a word: "{x}" in `forms`. */
typedef struct OrgForm {
  const char *name;
  bool of_country;  // {x} is the country's name (else a new word)
  bool the;         // prose says "the ..."
} OrgForm;

static void
build_org(World *w, Rng *r, Kind kind, const OrgForm *forms, size_t n_forms,
          const char *const *descriptions, size_t n_descriptions)
{
  const OrgForm *f = &forms[rng_below(r, n_forms)];
  size_t c = rng_below(r, w->of_kind[COUNTRY].n);
  Draft d = kind == INTORG ? (Draft){0} : draft_in(w, c);
  if (kind == INTORG)
    d.country = -1;
  const char *x =
    f->of_country ? country_of(w, c)->name
                  : new_word(&w->arena, &w->scratch, r, AREA_END, N(AREA_END));
  d.name = fill1(&w->arena, &w->scratch, f->name, x);
  d.phrase = f->the ? fill1(&w->arena, &w->scratch, "the {x}", d.name) : d.name;
  const char *abbr = acronym(&w->arena, d.name);
  if (strlen(abbr) >= 3 && rng_chance(r, 600))
    d.alias = d.abbrev = abbr;
  if (rng_chance(r, 500)) {
    const Entity *city = local_of_kind(w, r, c, CITY);
    d.description =
      fill1(&w->arena, &w->scratch, descriptions[rng_below(r, n_descriptions)],
            city ? city->name : country_of(w, c)->name);
  }
  add_entity(w, r, kind, NULL, &d);
}

static void
build_party(World *w, Rng *r, size_t rank)
{
  static const OrgForm forms[] = {{"{x} People's Party", true, true},
                                  {"Democratic Union of {x}", true, true},
                                  {"{x} Labour Party", true, true},
                                  {"Green Alliance of {x}", true, true},
                                  {"Liberal Party of {x}", true, true},
                                  {"{x} Reform Movement", false, true},
                                  {"National Front for {x}", true, true}};
  static const char *const descriptions[] = {
    "A political party with its seat in {x}.",
    "An opposition party founded in {x}."};
  (void)rank;
  build_org(w, r, PARTY, forms, N(forms), descriptions, N(descriptions));
}

static void
build_company(World *w, Rng *r, size_t rank)
{
  static const OrgForm forms[] = {
    {"{x} Semiconductors", false, false}, {"{x} Shipping Lines", false, false},
    {"{x} Energy", false, false},         {"{x} Minerals", false, false},
    {"{x} Aerospace", false, false},      {"{x} Steel Works", false, true}};
  static const char *const descriptions[] = {"A company based in {x}.",
                                             "A state-owned company in {x}."};
  (void)rank;
  build_org(w, r, COMPANY, forms, N(forms), descriptions, N(descriptions));
}

static void
build_intorg(World *w, Rng *r, size_t rank)
{
  static const OrgForm forms[] = {{"{x} Trade Organization", false, true},
                                  {"Council of {x} States", false, true},
                                  {"{x} Economic Community", false, true},
                                  {"{x} Development Bank", false, true},
                                  {"{x} Maritime Commission", false, true},
                                  {"Union of {x} Nations", false, true},
                                  {"{x} Court of Arbitration", false, true},
                                  {"{x} Cooperation Council", false, true}};
  static const char *const descriptions[] = {
    "An intergovernmental organization with its seat in {x}.",
    "A regional body headquartered in {x}."};
  (void)rank;
  build_org(w, r, INTORG, forms, N(forms), descriptions, N(descriptions));
}

static void
build_newsorg(World *w, Rng *r, size_t rank)
{
  static const OrgForm forms[] = {{"{x} Press Agency", false, true},
                                  {"{x} Daily", false, true},
                                  {"{x} Broadcasting Corporation", true, true},
                                  {"{x} Wire", false, true},
                                  {"{x} Times", false, true},
                                  {"{x} Observer", false, true},
                                  {"{x} News Service", false, true}};
  static const char *const descriptions[] = {"A news agency based in {x}.",
                                             "A newspaper published in {x}."};
  (void)rank;
  build_org(w, r, NEWSORG, forms, N(forms), descriptions, N(descriptions));
}

/* Offices a person may hold, and of what kind of entity (an Actor). */
static const struct Office {
  const char *title;
  Kind of;
  unsigned weight;
} OFFICES[] = {
  {"President", COUNTRY, 3},
  {"Prime Minister", COUNTRY, 3},
  {"Foreign Minister", COUNTRY, 8},
  {"Trade Minister", COUNTRY, 6},
  {"Defense Minister", COUNTRY, 4},
  {"Finance Minister", COUNTRY, 3},
  {"Deputy Foreign Minister", COUNTRY, 5},
  {"Chief Trade Negotiator", COUNTRY, 4},
  {"Special Envoy", COUNTRY, 4},
  {"Spokesperson", GOVBODY, 5},
  {"Director-General", GOVBODY, 3},
  {"Vice Minister", GOVBODY, 3},
  {"Secretary-General", INTORG, 2},
  {"Deputy Secretary-General", INTORG, 2},
  {"Party Leader", PARTY, 3},
  {"Chair", PARTY, 2},
};

/* A made-up name, in `a`. */
static const char *
person_name(Arena *a, Buf *scratch, Rng *r)
{
  buf_clear(scratch);
  buf_puts(scratch, PICK(r, FIRST_NAMES));
  if (rng_chance(r, 80))
    buf_printf(scratch, " %c.", (char)('A' + rng_below(r, 26)));
  buf_printf(scratch, " %s", PICK(r, LAST_NAMES));
  return arena_strdup(a, scratch->p);
}

/* The YAML flow mapping of one position. */
static void
put_position(Buf *b, const char *title, const char *of, const Point *from,
             const Point *to)
{
  buf_puts(b, "      - {title: ");
  buf_yaml_text(b, title);
  buf_printf(b, ", of: %s", of);
  if (from) {
    buf_puts(b, ", from: ");
    put_point(b, from);
  }
  if (to) {
    buf_puts(b, ", to: ");
    put_point(b, to);
  }
  buf_puts(b, "}\n");
}

/* A point of a career: mostly months, some years and days, a few
 * qualified. */
static Point
career_point(Rng *r, long day)
{
  static const unsigned weights[] = {550, 250, 120, 80};
  Point p = point(day, MONTH);
  switch (rng_weighted(r, weights, N(weights))) {
  case 1:
    p.prec = YEAR;
    break;
  case 2:
    p.prec = DAY;
    break;
  case 3:
    p.prec = rng_chance(r, 500) ? YEAR : MONTH;
    p.qual = rng_chance(r, 700) ? '~' : '?';
    break;
  default:
    break;
  }
  return p;
}

static void
build_person(World *w, Rng *r, size_t rank)
{
  (void)rank;
  size_t c = rng_below(r, w->of_kind[COUNTRY].n);
  const Entity *country = country_of(w, c);
  Draft d = {0};
  d.country = (long)c;
  d.name = person_name(&w->arena, &w->yaml, r);
  const char *surname = strrchr(d.name, ' ') + 1;
  if (rng_chance(r, 150)) {
    buf_clear(&w->yaml);
    buf_printf(&w->yaml, "%.*s. %s", d.name[0] & 0x80 ? 2 : 1, d.name, surname);
    d.alias = arena_strdup(&w->arena, w->yaml.p);
  }
  // A career: one to three offices in a row from some year, each lasting
  // one to six years; the last may still be held (no `to`), and one that
  // would end after the corpus's last year is.
  size_t n_offices = rng_chance(r, 150) ? 0 : (size_t)rng_range(r, 1, 3);
  // (One draw a statement: C leaves the order of arguments open, and the
  // output must not depend on the compiler.)
  int year = rng_range(r, 1988, 2019);
  int month = rng_range(r, 1, 12);
  long day = days_from_civil(year, month, rng_range(r, 1, 28));
  Buf *pos = &w->yaml;
  buf_clear(pos);
  const char *title = NULL;
  const Entity *of = NULL;
  unsigned weights[N(OFFICES)];
  for (size_t i = 0; i < N(OFFICES); i++)
    weights[i] = OFFICES[i].weight;
  for (size_t i = 0; i < n_offices; i++) {
    const struct Office *o = &OFFICES[rng_weighted(r, weights, N(weights))];
    of = o->of == COUNTRY  ? country
         : o->of == INTORG ? random_of_kind(w, r, INTORG)
                           : local_of_kind(w, r, c, o->of);
    if (!of)
      of = country;
    title = o->title;
    Point from = career_point(r, day);
    day += rng_range(r, 330, 6 * 365);
    Point to = career_point(r, day);
    bool last =
      i + 1 == n_offices || day > days_from_civil(PUB_LAST_YEAR, 1, 1);
    bool held = day > days_from_civil(PUB_LAST_YEAR, 12, 31) ||
                (last && day > days_from_civil(PUB_FIRST_YEAR, 1, 1) &&
                 rng_chance(r, 450));
    put_position(pos, title, of->id, rng_chance(r, 950) ? &from : NULL,
                 held ? NULL : &to);
    day += rng_range(r, 0, 200);
    if (last)
      break;
  }
  if (n_offices)
    d.positions = arena_strdup(&w->arena, pos->p);
  if (title) {
    Slots s = {{0}};
    s.v['t'] = title;
    s.v['n'] = d.name;
    s.v['o'] = of->phrase;
    d.leader = of == country && (!strcmp(title, "President") ||
                                 !strcmp(title, "Prime Minister") ||
                                 !strcmp(title, "Foreign Minister"));
    d.phrase =
      expand_to(&w->arena, &w->scratch,
                of == country ? "{o}'s {t} {n}" : "{t} {n} of {o}", &s);
  }
  if (rng_chance(r, 200))
    d.description = fill1(&w->arena, &w->scratch,
                          rng_chance(r, 500) ? "A diplomat from {x}."
                                             : "A politician from {x}.",
                          country->name);
  add_entity(w, r, PERSON, NULL, &d);
}

// clang-format off
static const char *const GOODS[] = {
  "rare earth elements", "lithium",          "wheat",
  "natural gas",         "crude oil",        "semiconductors",
  "steel",               "soybeans",         "fertilizer",
  "cobalt",              "copper",           "aluminium",
  "rice",                "coffee",           "palm oil",
  "timber",              "fish",             "uranium",
  "gallium",             "germanium",        "nickel",
  "cotton",              "sugar",            "beef",
  "vaccines",            "solar panels",     "electric vehicles",
  "machine tools",       "photoresists",     "hydrogen fluoride",
  "coal",                "iron ore",         "potash",
  "tungsten",            "graphite",         "maize",
  "dairy products",      "pharmaceuticals",  "drones",
  "telecommunications equipment"};
static const char *const GOODS_QUALIFIERS[] = {"refined", "processed",
                                               "high-purity", "raw"};
static const char *const TOPICS[] = {
  "maritime security",   "nuclear non-proliferation", "climate finance",
  "border demarcation",  "fishing rights",            "refugee flows",
  "cyber security",      "the trade deficit",         "sanctions relief",
  "human rights",        "energy security",           "water sharing",
  "airspace violations", "a prisoner exchange",       "debt relief",
  "tariffs",             "investment screening",      "export controls",
  "technology transfer", "pandemic preparedness",     "trade white lists",
  "arms control",        "visa rules",                "food security",
  "minority rights",     "wartime compensation",      "election observation",
  "peacekeeping",        "ballistic missile tests",   "supply chains",
  "port access",         "overflight rights",         "labor migration",
  "shared fisheries",    "regional security",         "trade",
  "security",            "the nuclear program",       "customs union talks",
  "market access"};
static const char *const TOPIC_FORMS[] = {
  "{x}'s missile program", "{x}'s nuclear program", "the status of {x}",
  "reconstruction in {x}", "elections in {x}"};
// clang-format on

/* Commodities and topics: the list first, then variations on it. */
static void
build_listed(World *w, Rng *r, Kind kind, size_t rank, const char *const *list,
             size_t n_list)
{
  Draft d = {0};
  d.country = -1;
  if (rank < n_list) {
    d.name = list[rank];
  } else if (kind == COMMODITY) {
    Slots s = {{0}};
    s.v['q'] = PICK(r, GOODS_QUALIFIERS);
    s.v['g'] = PICK(r, GOODS);
    d.name = expand_to(&w->arena, &w->scratch, "{q} {g}", &s);
  } else {
    const Entity *c = random_of_kind(w, r, COUNTRY);
    d.name = fill1(&w->arena, &w->scratch, PICK(r, TOPIC_FORMS), c->name);
  }
  if (kind == COMMODITY && rng_chance(r, 200))
    d.description =
      fill1(&w->arena, &w->scratch, "A traded good; here: {x}.", d.name);
  add_entity(w, r, kind, NULL, &d);
}

static void
build_commodity(World *w, Rng *r, size_t rank)
{
  build_listed(w, r, COMMODITY, rank, GOODS, N(GOODS));
}

static void
build_topic(World *w, Rng *r, size_t rank)
{
  build_listed(w, r, TOPIC, rank, TOPICS, N(TOPICS));
}

/* In build order: every kind's builder may use the kinds above it. */
static const KindInfo KINDS[N_KINDS] = {
  [REGION] = {"Region", "Regions", 30, 300, build_region},
  [COUNTRY] = {"Country", "Countries", 100, 900, build_country},
  [CITY] = {"City", "Cities (the first of each country is its capital)", 180,
            600, build_city},
  [PLACE] = {"Place", "Other places", 20, 200, build_place},
  [GOVBODY] = {"GovernmentBody", "Government bodies", 150, 300, build_govbody},
  [PARTY] = {"PoliticalParty", "Political parties", 50, 400, build_party},
  [COMPANY] = {"Organization", "Companies", 25, 300, build_company},
  [INTORG] = {"InternationalOrganization", "International organizations", 30,
              700, build_intorg},
  [NEWSORG] = {"NewsOrganization", "News organizations (the publishers)", 25,
               600, build_newsorg},
  [PERSON] = {"Person", "Persons", 350, 300, build_person},
  [COMMODITY] = {"Commodity", "Commodities", 20, 200, build_commodity},
  [TOPIC] = {"Topic", "Topics", 20, 100, build_topic},
};
static const Kind BUILD_ORDER[N_KINDS] = {REGION,  COUNTRY, CITY,      PLACE,
                                          GOVBODY, PARTY,   COMPANY,   INTORG,
                                          NEWSORG, PERSON,  COMMODITY, TOPIC};

static void
world_build(World *w, Rng *r, size_t n_entities)
{
  size_t count[N_KINDS], total = 0;
  for (size_t k = 0; k < N_KINDS; k++) {
    count[k] = n_entities * KINDS[k].permille / 1000;
    if (count[k] < 2)
      count[k] = 2;
    total += count[k];
  }
  // Rounding leftovers go to the persons.
  if (total < n_entities)
    count[PERSON] += n_entities - total;
  for (size_t i = 0; i < N_KINDS; i++) {
    Kind k = BUILD_ORDER[i];
    if (k == CITY) {  // now that countries exist
      w->local =
        xrealloc(NULL, w->of_kind[COUNTRY].n * N_KINDS * sizeof *w->local);
      memset(w->local, 0, w->of_kind[COUNTRY].n * N_KINDS * sizeof *w->local);
      w->leaders = xrealloc(NULL, w->of_kind[COUNTRY].n * sizeof *w->leaders);
      memset(w->leaders, 0, w->of_kind[COUNTRY].n * sizeof *w->leaders);
    }
    size_t first = w->n;
    for (size_t rank = 0; rank < count[k]; rank++)
      KINDS[k].build(w, r, rank);
    if (w->local)
      for (size_t e = first; e < w->n; e++)
        if (w->e[e].country >= 0) {
          size_t c = (size_t)w->e[e].country;
          list_push(&w->local[c * N_KINDS + k], e);
          if (w->e[e].leader)
            list_push(&w->leaders[c], e);
        }
  }
  // The rivalries the news keeps coming back to.
  size_t n_countries = w->of_kind[COUNTRY].n;
  w->n_rivalries = n_countries / 5 + 1;
  w->rivalry = xrealloc(NULL, w->n_rivalries * sizeof *w->rivalry);
  for (size_t i = 0; i < w->n_rivalries; i++) {
    w->rivalry[i][0] = rng_below(r, n_countries);
    w->rivalry[i][1] =
      (w->rivalry[i][0] + 1 + rng_below(r, n_countries - 1)) % n_countries;
  }
}

static void
world_free(World *w)
{
  for (size_t k = 0; k < N_KINDS; k++)
    free(w->of_kind[k].v);
  if (w->local)
    for (size_t i = 0; i < w->of_kind[COUNTRY].n * N_KINDS; i++)
      free(w->local[i].v);
  if (w->leaders)
    for (size_t i = 0; i < w->of_kind[COUNTRY].n; i++)
      free(w->leaders[i].v);
  free(w->local);
  free(w->leaders);
  free(w->rivalry);
  free(w->e);
  free(w->ids.slot);
  free(w->scratch.p);
  free(w->yaml.p);
  arena_free(&w->arena);
}

/* ------------------------------------------------------------ output */

/* Where files go.  Each appears whole or not at all: the gazetteer is
 * written under a hidden name and renamed; the articles of a shard go to
 * a hidden directory (".s0007.tmp") renamed ("s0007") after its last one.
 * dipkg skips hidden entries, so it never sees a partial file or shard,
 * and one rename per thousand files is free where a rename per file
 * doubled the time to write a corpus on ext4. */
typedef struct Out {
  const char *dir;  // --out, without trailing slashes
  Buf path, final;
  uint64_t seed;
} Out;

/* Sets `b` to the path of `name` in directory `dir` of --out ("" for
 * --out itself). */
static void
out_path(const Out *o, Buf *b, const char *dir, const char *name)
{
  buf_clear(b);
  buf_printf(b, "%s/%s%s%s", o->dir, dir, *dir ? "/" : "", name);
}

/* Writes `data` to the new file `path`.  Ends the run on failure (exit 1),
 * after removing what it wrote. */
static void
write_file(const char *path, const Buf *data)
{
  FILE *f = fopen(path, "wb");
  if (!f)
    die("cannot create %s: %s", path, strerror(errno));
  errno = 0;
  bool ok = fwrite(data->p, 1, data->len, f) == data->len && fflush(f) == 0;
  int err = errno;
  ok &= !ferror(f);
  if (fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    remove(path);
    die("cannot write %s: %s", path, err ? strerror(err) : "write error");
  }
}

static void
rename_or_die(const char *from, const char *to)
{
  if (rename(from, to) != 0)
    die("cannot rename %s to %s: %s", from, to, strerror(errno));
}

static void
make_dir(const char *path)
{
  if (mkdir(path, 0777) != 0)
    die("cannot create the directory %s: %s", path, strerror(errno));
}

static void
write_gazetteer(Out *o, const World *w, size_t n_entities)
{
  Buf b = {0};
  buf_printf(&b,
             "# SYNTHETIC DATA, NOT REAL: the shared gazetteer of a corpus\n"
             "# generated for benchmarks by dipkg's tests/bench/gen.c\n"
             "# (--seed %llu --entities %zu).  Every country, place, person,\n"
             "# organization, office and date is invented.  The Wikidata ids\n"
             "# are synthetic too (Q%d and up): they name no real item.\n",
             (unsigned long long)o->seed, n_entities, WIKIDATA_BASE);
  buf_puts(&b, "\nentities:\n");
  for (size_t i = 0; i < N_KINDS; i++) {
    Kind k = BUILD_ORDER[i];
    buf_printf(&b, "  # %s\n", KINDS[k].heading);
    for (size_t j = 0; j < w->of_kind[k].n; j++)
      buf_puts(&b, w->e[w->of_kind[k].v[j]].yaml);
    buf_puts(&b, "\n");
  }
  out_path(o, &o->path, "", ".entities.yaml.tmp");
  out_path(o, &o->final, "", "entities.yaml");
  write_file(o->path.p, &b);
  rename_or_die(o->path.p, o->final.p);
  free(b.p);
}

/* ------------------------------------------------------ event classes */

enum {
  ROLE_ACT = 1,    // actors (Actor)
  ROLE_TGT = 2,    // targets (Actor)
  ROLE_PART = 4,   // participants (Actor), two or more
  ROLE_LOC = 8,    // location (Place)
  ROLE_FORUM = 16  // forum (Organization)
};

typedef enum Who {
  STATES,   // countries, their government bodies
  PEOPLE,   // persons first, then states, parties
  LEADERS,  // persons (heads), else countries
  OTHERS,   // the other side: countries first
  NATIONS   // countries only
} Who;

typedef enum Timing {
  INSTANT,  // said or done at one time: a date, at any precision
  RECENT,   // as INSTANT, but may take days: sometimes an interval
  SPAN,     // a stretch of time: mostly intervals and open ends
  HISTORY   // decades or centuries ago: year intervals
} Timing;

typedef enum Tone { NEUTRAL, WARM, COLD } Tone;

/* Where an event with a location happens. */
typedef enum Where {
  NEAR,      // a city of either side
  HOST,      // a city of the other side (a visit)
  FRONT,     // a region or another place (troops, missiles)
  TERRITORY  // a region, or the other side's country (colonial rule)
} Where;

typedef enum Status { OCCURRED, ONGOING, PLANNED, AGREED } Status;
static const char *const STATUS_NAMES[] = {"occurred", "ongoing", "planned",
                                           "agreed"};

/* One event class of the ontology and how this corpus tells it.  In the
 * templates, {A} actors, {T} targets, {P} participants, {L} the location,
 * {F} the forum, {C} the concerns, {d} the date phrase; {l} and {f} are
 * " in {L}" and " at {F}" when there is one, else nothing. */
typedef struct EventClass {
  const char *name;
  unsigned weight;
  unsigned roles;  // ROLE_* it always has
  unsigned maybe;  // ROLE_* it has one time in three
  Who who;
  bool goods;  // concerns are commodities (else topics)
  Timing timing;
  Tone tone;
  const char *past[2];  // sentences: occurred
  const char *ongoing;  // ... ongoing (NULL: never ongoing)
  const char *plan;     // ... planned or agreed (NULL: never)
  const char *title;
  const char *summary;
  const char *cameo[4];   // other codes of the codebook that may fit
  const char *plover[2];  // other PLOVER types that may fit
  const char *reverses;   // the class whose events this one undoes
  Where where;            // with ROLE_LOC
  bool joint;             // both sides act (a joint statement); the target
                          // is a third party
  bool personal;          // made by a person when the side has one
  bool container;         // events may be part of it
  bool reacts;            // may respond to another event
  const char *body;       // the government body that acts for a state
                          // (a BODIES id), or NULL: the country itself
} EventClass;

// clang-format off
static const EventClass CLASSES[] = {
  {.name = "Event", .weight = 20,
   .roles = ROLE_PART, .maybe = ROLE_LOC, .who = PEOPLE, .timing = RECENT,
   .tone = NEUTRAL, .body = "foreign-ministry",
   .past = {"An incident involving {P} was reported{l}{d}.",
            "{P} were drawn into a diplomatic incident{l}{d}."},
   .ongoing = "A standoff involving {P} has continued{l}{d}.",
   .title = "Incident involving {P}",
   .summary = "An incident that the article does not classify further.",
   .cameo = {"010", "020", "036"}, .plover = {"REQUEST", "REJECT"}},
  {.name = "Consultation", .weight = 30,
   .roles = ROLE_PART, .who = PEOPLE, .timing = INSTANT, .tone = NEUTRAL,
   .body = "foreign-ministry",
   .past = {"{P} spoke by telephone{d} about {C}.",
            "{P} held consultations{d} on {C}."},
   .ongoing = "{P} have been consulting closely on {C}{d}.",
   .plan = "{P} are to hold consultations on {C}{d}.",
   .title = "{P} consult on {C}",
   .summary = "Consultations between {P} on {C}.",
   .cameo = {"041", "045"}, .plover = {"COOPERATE"}},
  {.name = "Meeting", .weight = 100,
   .roles = ROLE_PART, .maybe = ROLE_LOC | ROLE_FORUM, .who = PEOPLE,
   .timing = RECENT, .tone = NEUTRAL, .body = "foreign-ministry",
   .container = true,
   .past = {"{P} met{l}{d} to discuss {C}.",
            "{P} held a meeting{l}{d} that focused on {C}, officials said."},
   .ongoing = "{P} are meeting{l}{d} to discuss {C}.",
   .plan = "{P} will meet{l}{d} to discuss {C}.",
   .title = "{P} meet to discuss {C}",
   .summary = "A meeting of {P} on {C}.",
   .cameo = {"041", "042", "043", "044"}, .plover = {"COOPERATE"}},
  {.name = "Summit", .weight = 40,
   .roles = ROLE_PART, .maybe = ROLE_LOC, .who = LEADERS, .timing = RECENT,
   .tone = WARM, .container = true,
   .past = {"{P} held a summit{l}{d}, the first in several years.",
            "Leaders gathered{l}{d} for a summit of {P} focused on {C}."},
   .ongoing = "A summit of {P} is under way{l}{d}.",
   .plan = "{P} are due to hold a summit{l}{d}.",
   .title = "{P} hold a summit",
   .summary = "A summit of {P}, with {C} on the agenda.",
   .cameo = {"042", "043", "044", "046"}, .plover = {"COOPERATE"}},
  {.name = "Negotiation", .weight = 70,
   .roles = ROLE_PART, .maybe = ROLE_LOC | ROLE_FORUM, .who = PEOPLE,
   .timing = RECENT, .tone = NEUTRAL, .body = "foreign-ministry",
   .container = true,
   .past = {"{P} held talks on {C}{l}{d}.",
            "Negotiators for {P} resumed talks on {C}{f}{d}."},
   .ongoing = "Talks between {P} on {C} have continued{d}.",
   .plan = "{P} will launch talks on {C}{d}.",
   .title = "Talks between {P} on {C}",
   .summary = "Negotiations between {P} over {C}.",
   .cameo = {"036", "045"}, .plover = {"COOPERATE"}},
  {.name = "Visit", .weight = 70,
   .roles = ROLE_ACT | ROLE_TGT | ROLE_LOC, .who = LEADERS, .timing = RECENT,
   .tone = WARM, .where = HOST, .personal = true, .container = true,
   .past = {"{A} arrived in {L}{d} for a visit to {T}.",
            "{A} visited {T}{d}, stopping in {L} for talks on {C}."},
   .ongoing = "{A} is in {L}{d} for talks with {T}.",
   .plan = "{A} will travel to {L}{d} for a visit to {T}.",
   .title = "{A} visits {T}",
   .summary = "A visit by {A} to {T}, with talks in {L}.",
   .cameo = {"043", "040"}, .plover = {"COOPERATE"}},
  {.name = "Agreement", .weight = 70,
   .roles = ROLE_PART, .maybe = ROLE_FORUM, .who = PEOPLE, .timing = INSTANT,
   .tone = WARM, .body = "foreign-ministry",
   .past = {"{P} agreed{d} to expand cooperation on {C}.",
            "Under a deal reached{d}, {P} will work together on {C}."},
   .plan = "{P} are expected to sign an agreement on {C}{d}.",
   .title = "{P} agree to cooperate on {C}",
   .summary = "An agreement between {P} on {C}.",
   .cameo = {"019", "035", "036", "057"}, .plover = {"SUPPORT", "COOPERATE"}},
  {.name = "Statement", .weight = 100,
   .roles = ROLE_ACT | ROLE_TGT, .who = PEOPLE, .timing = INSTANT,
   .tone = NEUTRAL, .body = "foreign-ministry", .reacts = true,
   .past = {"{A} said{d} that ties with {T} on {C} would keep improving.",
            "In remarks{d}, {A} described relations with {T} as stable "
            "despite differences over {C}."},
   .plan = "{A} is expected to address relations with {T}{d}.",
   .title = "{A} comments on relations with {T}",
   .summary = "Remarks by {A} on relations with {T}.",
   .cameo = {"012", "013", "015"}, .plover = {"AGREE", "REJECT"}},
  {.name = "JointStatement", .weight = 40,
   .roles = ROLE_ACT | ROLE_TGT, .who = PEOPLE, .timing = INSTANT, .tone = COLD,
   .body = "foreign-ministry", .joint = true, .reacts = true,
   .past = {"In a joint statement{d}, {A} called on {T} to address "
            "concerns over {C}.",
            "{A} issued a joint statement{d} urging {T} to resume dialogue "
            "on {C}."},
   .plan = "{A} plan to issue a joint statement on {C}{d}.",
   .title = "{A} issue a joint statement on {C}",
   .summary = "A joint statement of {A} addressed to {T}.",
   .cameo = {"010", "017"}, .plover = {"ACCUSE", "SUPPORT"}},
  {.name = "Praise", .weight = 40,
   .roles = ROLE_ACT | ROLE_TGT, .who = PEOPLE, .timing = INSTANT, .tone = WARM,
   .body = "foreign-ministry", .reacts = true,
   .past = {"{A} praised {T}{d} for progress on {C}.",
            "{A} welcomed the position of {T} on {C}{d}."},
   .title = "{A} praises {T}",
   .summary = "Praise from {A} for {T}.",
   .cameo = {"050", "053"}, .plover = {"COOPERATE"}},
  {.name = "Criticism", .weight = 80,
   .roles = ROLE_ACT | ROLE_TGT, .who = PEOPLE, .timing = INSTANT, .tone = COLD,
   .body = "foreign-ministry", .reacts = true,
   .past = {"{A} criticized {T}{d} over {C}, calling the move "
            "\xE2\x80\x9Cunacceptable.\xE2\x80\x9D",
            "{A} accused {T}{d} of undermining efforts on {C}."},
   .ongoing = "{A} has repeatedly criticized {T} over {C}{d}.",
   .title = "{A} criticizes {T} over {C}",
   .summary = "Criticism of {T} by {A} over {C}.",
   .cameo = {"110", "112"}, .plover = {"THREATEN", "REJECT"}},
  {.name = "PolicyAnnouncement", .weight = 50,
   .roles = ROLE_ACT, .who = STATES, .timing = INSTANT, .tone = NEUTRAL,
   .body = "foreign-ministry",
   .past = {"{A} announced{d} a new policy on {C}.",
            "{A} unveiled plans{d} to overhaul its approach to {C}."},
   .plan = "{A} is set to announce a new policy on {C}{d}.",
   .title = "{A} announces a new policy on {C}",
   .summary = "A policy of {A} on {C}.",
   .cameo = {"010", "035", "037"}, .plover = {"CONCEDE", "COOPERATE"}},
  {.name = "TradeMeasure", .weight = 15,
   .roles = ROLE_ACT | ROLE_TGT, .who = STATES, .goods = true, .timing = RECENT,
   .tone = NEUTRAL, .body = "trade-ministry", .reacts = true,
   .past = {"{A} changed the rules for trade in {C} with {T}{d}.",
            "{A} adjusted its tariffs on {C} from {T}{d}."},
   .ongoing = "{A} has been reviewing trade in {C} with {T}{d}.",
   .plan = "{A} will change the rules for trade in {C} with {T}{d}.",
   .title = "{A} adjusts trade in {C} with {T}",
   .summary = "A change by {A} to trade with {T}.",
   .cameo = {"081", "163", "0312"}, .plover = {"SANCTION", "RETREAT"}},
  {.name = "TradeRestriction", .weight = 30,
   .roles = ROLE_ACT | ROLE_TGT, .who = STATES, .goods = true, .timing = RECENT,
   .tone = COLD, .body = "trade-ministry", .reacts = true,
   .reverses = "TradeRestrictionEased",
   .past = {"{A} restricted imports of {C} from {T}{d}.",
            "{A} imposed new tariffs on {C} from {T}{d}."},
   .ongoing = "{A} has restricted imports of {C} from {T}{d}.",
   .plan = "{A} will restrict imports of {C} from {T}{d}.",
   .title = "{A} restricts imports of {C} from {T}",
   .summary = "Import restrictions by {A} on {C} from {T}.",
   .cameo = {"160"}, .plover = {"COERCE"}},
  {.name = "ExportControlsImposed", .weight = 30,
   .roles = ROLE_ACT | ROLE_TGT, .who = STATES, .goods = true, .timing = RECENT,
   .tone = COLD, .body = "trade-ministry", .reacts = true,
   .reverses = "ExportControlsLifted",
   .past = {"{A} imposed export controls on {C} bound for {T}{d}.",
            "{A} tightened controls on exports of {C} to {T}{d}."},
   .ongoing = "{A} has kept export controls on {C} bound for {T} in place{d}.",
   .plan = "{A} will impose export controls on {C} bound for {T}{d}.",
   .title = "{A} imposes export controls on {C} to {T}",
   .summary = "Export controls by {A} on {C} bound for {T}.",
   .cameo = {"160", "161"}, .plover = {"COERCE"}},
  {.name = "TradeStatusDowngraded", .weight = 20,
   .roles = ROLE_ACT | ROLE_TGT, .who = STATES, .goods = true,
   .timing = INSTANT, .tone = COLD, .body = "trade-ministry", .reacts = true,
   .reverses = "TradeStatusRestored",
   .past = {"{A} removed {T} from its list of preferred trading partners{d}.",
            "{A} downgraded the trade status of {T}{d}."},
   .plan = "{A} plans to downgrade the trade status of {T}{d}.",
   .title = "{A} downgrades the trade status of {T}",
   .summary = "{A} removes {T} from its list of preferred trading partners.",
   .cameo = {"160"}, .plover = {"COERCE"}},
  {.name = "TradeRestrictionEased", .weight = 20,
   .roles = ROLE_ACT | ROLE_TGT, .who = STATES, .goods = true,
   .timing = INSTANT, .tone = WARM, .body = "trade-ministry",
   .reverses = "TradeRestriction",
   .past = {"{A} eased restrictions on imports of {C} from {T}{d}.",
            "{A} cut tariffs on {C} from {T}{d}."},
   .plan = "{A} will ease restrictions on imports of {C} from {T}{d}.",
   .title = "{A} eases restrictions on {C} from {T}",
   .summary = "{A} eases its restrictions on {C} from {T}.",
   .cameo = {"081", "0354"}, .plover = {"CONCEDE"}},
  {.name = "ExportControlsLifted", .weight = 20,
   .roles = ROLE_ACT | ROLE_TGT, .who = STATES, .goods = true,
   .timing = INSTANT, .tone = WARM, .body = "trade-ministry",
   .reverses = "ExportControlsImposed",
   .past = {"{A} lifted export controls on {C} bound for {T}{d}.",
            "{A} scrapped controls on exports of {C} to {T}{d}."},
   .plan = "{A} will lift export controls on {C} bound for {T}{d}.",
   .title = "{A} lifts export controls on {C} to {T}",
   .summary = "{A} lifts its export controls on {C} bound for {T}.",
   .cameo = {"0354", "081"}, .plover = {"CONCEDE"}},
  {.name = "TradeStatusRestored", .weight = 20,
   .roles = ROLE_ACT | ROLE_TGT, .who = STATES, .goods = true,
   .timing = INSTANT, .tone = WARM, .body = "trade-ministry",
   .reverses = "TradeStatusDowngraded",
   .past = {"{A} restored {T} to its list of preferred trading partners{d}.",
            "{A} restored the trade status of {T}{d}."},
   .plan = "{A} plans to restore the trade status of {T}{d}.",
   .title = "{A} restores the trade status of {T}",
   .summary = "{A} returns {T} to its list of preferred trading partners.",
   .cameo = {"0354"}, .plover = {"CONCEDE"}},
  {.name = "DisputeProceeding", .weight = 10,
   .roles = ROLE_ACT | ROLE_TGT | ROLE_FORUM, .who = STATES, .timing = SPAN,
   .tone = COLD, .body = "trade-ministry", .reacts = true,
   .past = {"{A} pressed its case against {T}{f}{d}.",
            "{A} submitted new arguments in its case against {T}{f}{d}."},
   .ongoing = "{A} has pursued its case against {T}{f}{d}.",
   .title = "{A} presses its case against {T}",
   .summary = "A step in the case of {A} against {T}{f}.",
   .cameo = {"115", "114"}, .plover = {"ACCUSE"}},
  {.name = "DisputeFiled", .weight = 30,
   .roles = ROLE_ACT | ROLE_TGT | ROLE_FORUM, .who = STATES, .timing = INSTANT,
   .tone = COLD, .body = "trade-ministry", .reacts = true,
   .past = {"{A} filed a complaint against {T}{f}{d} over {C}.",
            "{A} took {T} to {F}{d}, citing {C}."},
   .plan = "{A} said it would file a complaint against {T}{f}{d} over {C}.",
   .title = "{A} files a complaint against {T}",
   .summary = "A complaint by {A} against {T}{f} over {C}.",
   .cameo = {"114"}, .plover = {"REQUEST"}},
  {.name = "DisputeWithdrawn", .weight = 20,
   .roles = ROLE_ACT | ROLE_TGT | ROLE_FORUM, .who = STATES, .timing = INSTANT,
   .tone = WARM, .body = "trade-ministry", .reverses = "DisputeFiled",
   .past = {"{A} withdrew its complaint against {T}{f}{d}.",
            "{A} dropped its case against {T}{f}{d}."},
   .plan = "{A} will withdraw its complaint against {T}{f}{d}.",
   .title = "{A} withdraws its complaint against {T}",
   .summary = "{A} drops its complaint against {T}{f}.",
   .cameo = {"081", "035"}, .plover = {"RETREAT"}},
  {.name = "MilitaryMobilization", .weight = 30,
   .roles = ROLE_ACT | ROLE_LOC, .who = STATES, .timing = RECENT, .tone = COLD,
   .body = "defense-ministry", .where = FRONT, .reacts = true,
   .past = {"{A} moved troops and armour to {L}{d}, according to officials.",
            "{A} put its forces near {L} on alert{d}."},
   .ongoing = "{A} has been massing troops near {L}{d}.",
   .plan = "{A} plans military exercises near {L}{d}.",
   .title = "{A} mobilizes forces near {L}",
   .summary = "A military build-up by {A} near {L}.",
   .cameo = {"152", "154"}, .plover = {"THREATEN"}},
  {.name = "MissileLaunch", .weight = 30,
   .roles = ROLE_ACT | ROLE_LOC, .who = STATES, .timing = RECENT, .tone = COLD,
   .body = "defense-ministry", .where = FRONT, .reacts = true,
   .past = {"{A} launched a ballistic missile into {L}{d}.",
            "{A} test-fired a missile that landed in {L}{d}."},
   .ongoing = "{A} has been firing missiles into {L}{d}.",
   .title = "{A} launches a missile into {L}",
   .summary = "A missile launch by {A} into {L}.",
   .cameo = {"190", "195"}, .plover = {"THREATEN", "ASSAULT"}},
  {.name = "Dispute", .weight = 35,
   .roles = ROLE_PART, .who = NATIONS, .timing = SPAN, .tone = COLD,
   .container = true,
   .past = {"{P} were at odds over {C}{d}.",
            "{P} remained at odds over {C}{d}, officials said."},
   .ongoing = "{P} have been locked in a dispute over {C}{d}.",
   .title = "Dispute between {P} over {C}",
   .summary = "A dispute between {P} over {C}.",
   .cameo = {"110", "120", "130"}, .plover = {"ACCUSE", "REJECT"}},
  {.name = "ColonialRule", .weight = 8,
   .roles = ROLE_ACT | ROLE_LOC, .who = NATIONS, .timing = HISTORY,
   .tone = NEUTRAL, .where = TERRITORY,
   .past = {"{A} ruled {L}{d}.",
            "{L} was under the rule of {A}{d}."},
   .title = "Rule of {A} over {L}",
   .summary = "Historical context: the rule of {A} over {L}.",
   .cameo = {"175", "170"}, .plover = {"COERCE"}},
};
// clang-format on

enum { N_CLASSES = N(CLASSES) };

static size_t
class_index(const char *name)
{
  for (size_t i = 0; i < N_CLASSES; i++)
    if (!strcmp(CLASSES[i].name, name))
      return i;
  die("internal error: no event class %s", name);
}

/* What officials say, by tone. */
static const char *const SPEECH[][6] = {
  [NEUTRAL] = {"We will study the details carefully",
               "Both sides have their positions, and talks will continue",
               "This is a matter for the governments concerned",
               "We are following the situation closely",
               "There is still a lot of work ahead of us",
               "We expect to say more in the coming days"},
  [WARM] = {"This is an important step for both our countries",
            "We welcome the progress and expect concrete results",
            "Dialogue is the only way forward",
            "Our cooperation has never been stronger",
            "We are ready to build on this momentum",
            "Trust has to be earned, and this is a good start"},
  [COLD] = {"This decision is unjustified and we will respond",
            "We regret this step and call for restraint",
            "Such measures only deepen mistrust",
            "We reserve the right to take countermeasures",
            "The door to dialogue remains open, but not indefinitely",
            "We cannot accept this"},
};

/* Sentences of background that belong to no event: {x} and {y} the
 * story's countries, {c} a concern, {k} the capital of {x}. */
static const char *const BACKGROUND[] = {
  "Relations between {x} and {y} have swung between cooperation and rivalry "
  "for decades.",
  "Analysts said further talks on {c} were likely in the coming months.",
  "{x} and {y} are major trading partners, and the question of {c} has long "
  "been a point of friction.",
  "Neither side gave further details.",
  "Officials in {k} declined to comment.",
  "The foreign ministry of {y} did not respond to a request for comment.",
  "Diplomats said the next round of contacts had not yet been scheduled.",
  "The issue of {c} is expected to dominate the coming weeks.",
};

/* ------------------------------------------------------------ corpus */

/* An event of an earlier article, remembered for references. */
typedef struct Recent {
  char id[128];
  long actor_country, target_country;  // -1: none
} Recent;

typedef struct Ring {
  Recent item[RING];
  size_t n;  // events pushed in all
} Ring;

typedef struct Event {
  const EventClass *cls;
  size_t cls_index;
  char *id;
  When when;
  Status status;
  const Entity *actors[3], *targets[2], *parts[4], *concerns[3];
  size_t n_actors, n_targets, n_parts, n_concerns;
  const Entity *location, *forum;
  long side[2];        // countries (ordinals): the acting side, the other
  const char *ref[4];  // reverses, follows, part_of, responds_to (or NULL)
  const char *title, *summary, *headline;
  const char *sentence[2];
  size_t n_sentences;
  const char *quotes[3];
  size_t n_quotes;
  const char *cameo, *plover;
} Event;

static const char *const REF_KEYS[4] = {"reverses", "follows", "part_of",
                                        "responds_to"};
enum { REVERSES, FOLLOWS, PART_OF, RESPONDS_TO };

/* The countries, concerns and people one article is about. */
typedef struct Story {
  size_t country[3];
  size_t n_countries;
  const Entity *topics[4], *goods[3];
  size_t n_topics, n_goods;
  const Entity *forum;
  const Entity *envoy;  // a person this article defines, or NULL
  long envoy_country;
} Story;

typedef struct Corpus {
  World *world;
  Out *out;
  Rng *rng;
  Arena arena;  // the current article's strings
  Buf scratch, yaml, text, para, entities;
  Ring ring[N_CLASSES];
  Event event[MAX_EVENTS];
  size_t n_events;
  uint64_t total_events;
  Story story;
  size_t serial;
  long pub;  // publication day
  unsigned class_weight[N_CLASSES];
  unsigned lead_weight[N_CLASSES];
} Corpus;

static bool
has_entity(const Entity *const *list, size_t n, const Entity *e)
{
  for (size_t i = 0; i < n; i++)
    if (list[i] == e)
      return true;
  return false;
}

/* Who acts for a side: the kind of Actor, and among government bodies
 * which one.  One event has all its actors (or all its participants) of
 * one kind, as curators write them: [belonia, torland] or two ministers,
 * seldom a mix. */
typedef struct Level {
  Kind kind;
  Who who;
  const char *body;
} Level;

/* The government body `body` of country `c`, or NULL. */
static const Entity *
body_of(const World *w, size_t c, const char *body)
{
  const List *l = &w->local[c * N_KINDS + GOVBODY];
  for (size_t i = 0; body && i < l->n; i++)
    if (!strcmp(w->e[l->v[i]].body, body))
      return &w->e[l->v[i]];
  return NULL;
}

/* The persons who may act for country `c` at `level`. */
static const List *
people_of(const Corpus *k, size_t c, const Level *level)
{
  const World *w = k->world;
  return level->who == LEADERS ? &w->leaders[c]
                               : &w->local[c * N_KINDS + PERSON];
}

/* Whether country `c` has an Actor at `level`. */
static bool
has_level(const Corpus *k, size_t c, const Level *level)
{
  switch (level->kind) {
  case PERSON:
    return people_of(k, c, level)->n > 0;
  case GOVBODY:
    return body_of(k->world, c, level->body) != NULL;
  case COUNTRY:
    return true;
  default:
    return k->world->local[c * N_KINDS + level->kind].n > 0;
  }
}

/* A level of the kinds `who` prefers that all `n` countries `sides` have
 * (else COUNTRY). */
static Level
pick_level(Corpus *k, Who who, const char *body, const long *sides, size_t n)
{
  static const unsigned weights[][4] = {
    // person, country, government body, party
    [STATES] = {0, 650, 350, 0},  [PEOPLE] = {450, 330, 170, 50},
    [LEADERS] = {850, 150, 0, 0}, [OTHERS] = {200, 650, 100, 50},
    [NATIONS] = {0, 1, 0, 0},
  };
  static const Kind kinds[4] = {PERSON, COUNTRY, GOVBODY, PARTY};
  Level level = {kinds[rng_weighted(k->rng, weights[who], 4)], who, body};
  for (size_t i = 0; i < n; i++)
    if (sides[i] >= 0 && !has_level(k, (size_t)sides[i], &level))
      level.kind = COUNTRY;
  return level;
}

/* An Actor at `level` for country `c` (which has one: has_level). */
static const Entity *
actor_of(Corpus *k, size_t c, const Level *level)
{
  Rng *r = k->rng;
  World *w = k->world;
  switch (level->kind) {
  case PERSON: {
    if (k->story.envoy && k->story.envoy_country == (long)c &&
        level->who != LEADERS && rng_chance(r, 400))
      return k->story.envoy;
    const List *l = people_of(k, c, level);
    return &w->e[l->v[rng_below(r, l->n)]];
  }
  case GOVBODY:
    return body_of(w, c, level->body);
  case COUNTRY:
    return country_of(w, c);
  default:
    return local_of_kind(w, r, c, level->kind);
  }
}

/* A Place for `e`, as its class's `where` says. */
static const Entity *
pick_place(Corpus *k, const Event *e)
{
  Rng *r = k->rng;
  World *w = k->world;
  switch (e->cls->where) {
  case TERRITORY:
    return rng_chance(r, 600) ? random_of_kind(w, r, REGION)
                              : country_of(w, (size_t)e->side[1]);
  case FRONT:
    return random_of_kind(w, r, rng_chance(r, 700) ? REGION : PLACE);
  case HOST:
  case NEAR:
  default: {
    long side =
      e->cls->where == HOST || rng_chance(r, 500) ? e->side[1] : e->side[0];
    const Entity *city = local_of_kind(w, r, (size_t)side, CITY);
    return city ? city : random_of_kind(w, r, CITY);
  }
  }
}

/* Fills the roles of `e`: the sides come from the story, the entities
 * from the sides. */
static void
cast_event(Corpus *k, Event *e)
{
  Rng *r = k->rng;
  const EventClass *c = e->cls;
  const Story *s = &k->story;
  size_t first = rng_below(r, 2);
  e->side[0] = (long)s->country[first];
  e->side[1] = (long)s->country[1 - first];
  unsigned roles = c->roles;
  for (unsigned bit = ROLE_LOC; bit <= ROLE_FORUM; bit <<= 1)
    if ((c->maybe & bit) && rng_chance(r, 330))
      roles |= bit;
  // The sides that act: joint statements are made by both, meetings
  // may have a third.
  bool joint = c->joint;
  long acting[3] = {e->side[0], -1, -1};
  size_t n_acting = 1;
  if (joint || (roles & ROLE_PART))
    acting[n_acting++] = e->side[1];
  if ((roles & ROLE_PART) && s->n_countries > 2 && rng_chance(r, 300))
    acting[n_acting++] = (long)s->country[2];
  Level level = pick_level(k, c->who, c->body, acting, n_acting);
  if (c->personal) {
    Level leader = {PERSON, LEADERS, NULL}, person = {PERSON, PEOPLE, NULL};
    if (has_level(k, (size_t)acting[0], &leader))
      level = leader;
    else if (has_level(k, (size_t)acting[0], &person))
      level = person;
  }
  if (roles & ROLE_ACT)
    for (size_t i = 0; i < (joint ? 2 : 1); i++)
      e->actors[e->n_actors++] = actor_of(k, (size_t)acting[i], &level);
  if (roles & ROLE_PART)
    for (size_t i = 0; i < n_acting; i++)
      e->parts[e->n_parts++] = actor_of(k, (size_t)acting[i], &level);
  if (roles & ROLE_TGT) {
    // The other side, or the third country a joint statement addresses
    // (an international organization when there is none).
    long t =
      joint ? (s->n_countries > 2 ? (long)s->country[2] : -1) : e->side[1];
    Level other =
      pick_level(k, c->who == PEOPLE ? OTHERS : NATIONS, c->body, &t, 1);
    e->targets[e->n_targets++] = t >= 0 ? actor_of(k, (size_t)t, &other)
                                        : random_of_kind(k->world, r, INTORG);
  }
  if (roles & ROLE_LOC)
    e->location = pick_place(k, e);
  if (roles & ROLE_FORUM)
    e->forum = s->forum;
  // Concerns: mostly from the story, sometimes a third party or a place.
  size_t want =
    rng_below(r, 10) < 3 && !c->goods ? 0 : (size_t)rng_range(r, 1, 3);
  for (size_t i = 0; i < want; i++) {
    const Entity *x;
    if (c->goods && s->n_goods)
      x = s->goods[rng_below(r, s->n_goods)];
    else if (rng_chance(r, 900) && s->n_topics)
      x = s->topics[rng_below(r, s->n_topics)];
    else
      x = rng_chance(r, 500) ? random_of_kind(k->world, r, PLACE)
                             : random_of_kind(k->world, r, COUNTRY);
    if (!has_entity(e->concerns, e->n_concerns, x))
      e->concerns[e->n_concerns++] = x;
  }
}

/* A day `back` to `back + spread` days before publication. */
static long
days_before(Corpus *k, int back, int spread)
{
  return k->pub - back - rng_range(k->rng, 0, spread);
}

/* A point at `day` of a random precision (weights: year, month, day,
 * moment). */
static Point
point_of(Rng *r, long day, const unsigned weights[4])
{
  Prec prec = (Prec)rng_weighted(r, weights, 4);
  return prec == MOMENT ? moment(r, day) : point(day, prec);
}

static char
random_qual(Rng *r)
{
  static const char quals[] = {'~', '~', '?', '?', '%'};
  return PICK(r, quals);
}

/* An interval from day `a` to day `b` (b >= a + 1) at random
 * precisions.  Two moments are three days apart at least, so that no pair
 * of time zones can order them backwards. */
static When
interval(Rng *r, Form form, long a, long b, const unsigned weights[4])
{
  When w = {form, point_of(r, a, weights), point(b, DAY)};
  w.b = point_of(r, b, weights);  // after w.a: see build_person
  if (w.a.prec == MOMENT && w.b.prec == MOMENT && b - a < 3)
    w.b.day = a + 3;
  // Not "2019/2019": two ends that read the same become days.
  Ymd x = civil_from_days(w.a.day), y = civil_from_days(w.b.day);
  if (w.a.prec == w.b.prec && w.a.prec <= MONTH && x.y == y.y &&
      (w.a.prec == YEAR || x.m == y.m))
    w.a.prec = w.b.prec = DAY;
  if (rng_chance(r, 60))
    w.a.qual = random_qual(r);
  if (rng_chance(r, 40))
    w.b.qual = random_qual(r);
  return w;
}

/* The date of `e`, by its class's timing and its status; the lead event
 * of an article (`lead`) is news: a day of the past week. */
static When
date_event(Corpus *k, const Event *e, bool lead)
{
  static const unsigned days[4] = {0, 0, 85, 15}, years[4] = {100, 0, 0, 0},
                        any[4] = {15, 30, 45, 10};
  Rng *r = k->rng;
  long pub = k->pub;
  size_t x = rng_below(r, 1000);
  When w = {F_POINT, point(pub, DAY), point(pub, DAY)};
  switch (e->status) {
  case OCCURRED:
    if (lead) {
      w.a = point_of(r, days_before(k, 0, 6), days);
    } else if (e->cls->timing == HISTORY) {
      long start = days_from_civil(rng_range(r, 1700, 1950), 1, 1);
      long end = start + rng_range(r, 5, 120) * 365;
      if (end >= pub)
        end = pub - 1;
      static const Form forms[] = {F_CLOSED,     F_CLOSED,     F_CLOSED,
                                   F_CLOSED,     F_OPEN_START, F_UNKNOWN_START,
                                   F_UNKNOWN_END};
      w = interval(r, PICK(r, forms), start, end, years);
      w.a.qual = rng_chance(r, 150) ? '~' : 0;
    } else if (e->cls->timing == SPAN && x < 600) {
      long start = days_before(k, 200, 15 * 365);
      long end = start + rng_range(r, 30, (int)(pub - start));
      static const Form forms[] = {F_CLOSED, F_CLOSED, F_OPEN_START,
                                   F_UNKNOWN_END, F_UNKNOWN_START};
      w = interval(r, PICK(r, forms), start, end, any);
    } else if (x < 520 || (e->cls->timing == INSTANT && x >= 800)) {
      w.a = point_of(r, days_before(k, 0, rng_chance(r, 700) ? 6 : 40), days);
    } else if (x < 640) {
      w.a = point(days_before(k, 0, 330), MONTH);
    } else if (x < 710) {
      w.a = point(days_before(k, 0, 5 * 365), YEAR);
    } else if (x < 800) {
      w.a = point_of(r, days_before(k, 0, 5 * 365), any);
      w.a.qual = random_qual(r);
    } else if (x < 900) {
      long start = days_before(k, 11, 60);
      w = interval(r, F_CLOSED, start, start + rng_range(r, 1, 10), any);
    } else if (x < 950) {
      w = (When){F_OPEN_START, w.a, point_of(r, days_before(k, 0, 20), any)};
    } else if (x < 975) {
      w =
        (When){F_UNKNOWN_START, w.a, point_of(r, days_before(k, 0, 400), any)};
    } else {
      w =
        (When){F_UNKNOWN_END, point_of(r, days_before(k, 30, 2000), any), w.b};
    }
    break;
  case ONGOING: {
    // Disputes go on for years; talks and visits for days or weeks.
    int back = e->cls->timing == SPAN ? 3000 : 60;
    if (x < 550)
      w = (When){F_OPEN_END, point_of(r, days_before(k, 1, back), any), w.b};
    else if (x < 750)
      w = (When){F_OPEN_START, w.a, point(pub, DAY)};
    else if (x < 900)
      w.a = point(pub, DAY);
    else
      w = (When){F_UNKNOWN_END, point_of(r, days_before(k, 1, back), any), w.b};
    break;
  }
  case PLANNED:
  case AGREED: {
    long ahead = pub + rng_range(r, 1, 300);
    if (e->status == AGREED && x < 450 && e->cls->timing != INSTANT)
      w = (When){F_OPEN_END, point(days_before(k, 0, 10), DAY), w.b};
    else if (x < 450)
      w.a = point_of(r, ahead, days);
    else if (x < 650)
      w.a = point(ahead, MONTH);
    else if (x < 720)
      w.a = point(ahead + 365, YEAR);
    else if (e->cls->timing == INSTANT)
      w.a = point_of(r, ahead, days);
    else if (x < 850)
      w = (When){F_OPEN_END, point_of(r, ahead, days), w.b};
    else
      w = interval(r, F_CLOSED, ahead, ahead + rng_range(r, 1, 5), days);
    if (rng_chance(r, 60) && w.form == F_POINT)
      w.a.qual = '?';
    break;
  }
  }
  return w;
}

static Status
status_of(Corpus *k, const EventClass *c)
{
  size_t x = rng_below(k->rng, 1000);
  if (x < 100 && c->ongoing)
    return ONGOING;
  if (x >= 100 && x < 180 && c->plan)
    return PLANNED;
  if (x >= 180 && x < 230 && c->plan)
    return AGREED;
  return OCCURRED;
}

/* The prose of a list of entities. */
static const char *
phrase_of(Corpus *k, const Entity *const *list, size_t n)
{
  const char *items[4];
  for (size_t i = 0; i < n; i++)
    items[i] = list[i]->phrase;
  buf_clear(&k->scratch);
  put_list(&k->scratch, items, n);
  return arena_strdup(&k->arena, k->scratch.p);
}

/* The same for titles: persons by their names alone. */
static const char *
names_of(Corpus *k, const Entity *const *list, size_t n)
{
  const char *items[4];
  for (size_t i = 0; i < n; i++)
    items[i] = list[i]->kind == PERSON ? list[i]->name : list[i]->phrase;
  buf_clear(&k->scratch);
  put_list(&k->scratch, items, n);
  return arena_strdup(&k->arena, k->scratch.p);
}

/* The template slots of `e`: prose forms (`names` false) or the short
 * forms of titles. */
static Slots
slots_of(Corpus *k, const Event *e, bool names)
{
  const char *(*list)(Corpus *, const Entity *const *, size_t) =
    names ? names_of : phrase_of;
  Slots s = {{0}};
  s.v['A'] = list(k, e->actors, e->n_actors);
  s.v['T'] = list(k, e->targets, e->n_targets);
  s.v['P'] = list(k, e->parts, e->n_parts);
  s.v['L'] = e->location ? e->location->phrase : "";
  s.v['F'] = e->forum ? e->forum->phrase : "";
  // Titles name two concerns at most.
  size_t n_concerns = names && e->n_concerns > 2 ? 2 : e->n_concerns;
  s.v['C'] = n_concerns      ? list(k, e->concerns, n_concerns)
             : e->cls->goods ? "a range of goods"
                             : "bilateral relations";
  buf_clear(&k->scratch);
  if (e->location) {
    buf_puts(&k->scratch, " in ");
    buf_puts(&k->scratch, e->location->phrase);
  }
  s.v['l'] = arena_strdup(&k->arena, k->scratch.p);
  buf_clear(&k->scratch);
  if (e->forum) {
    buf_puts(&k->scratch, " at ");
    buf_puts(&k->scratch, e->forum->phrase);
  }
  s.v['f'] = arena_strdup(&k->arena, k->scratch.p);
  buf_clear(&k->scratch);
  static const Tense tenses[] = {[OCCURRED] = PAST,
                                 [ONGOING] = PRESENT,
                                 [PLANNED] = FUTURE,
                                 [AGREED] = FUTURE};
  put_when_phrase(&k->scratch, &e->when, k->pub, tenses[e->status]);
  s.v['d'] = arena_strdup(&k->arena, k->scratch.p);
  return s;
}

static char *
sentence(Corpus *k, const char *tmpl, const Slots *s)
{
  char *t = expand_to(&k->arena, &k->scratch, tmpl, s);
  capitalize(t);
  return t;
}

/* What an official of the acting side says about `e`. */
static const char *
speech_of(Corpus *k, const Event *e)
{
  Rng *r = k->rng;
  const char *line = SPEECH[e->cls->tone][rng_below(r, N(SPEECH[0]))];
  const Entity *who = local_of_kind(k->world, r, (size_t)e->side[0], PERSON);
  const Entity *body = local_of_kind(k->world, r, (size_t)e->side[0], GOVBODY);
  Slots s = {{0}};
  s.v['q'] = line;
  buf_clear(&k->scratch);
  if (who)
    buf_puts(&k->scratch, who->phrase);
  else if (body)
    buf_printf(&k->scratch, "a spokesperson for %s", body->phrase);
  else
    buf_puts(&k->scratch, "a government spokesperson");
  s.v['w'] = arena_strdup(&k->arena, k->scratch.p);
  static const char *const forms[] = {
    "\xE2\x80\x9C{q},\xE2\x80\x9D {w} said.",
    "{w} said: \xE2\x80\x9C{q}.\xE2\x80\x9D",
    "\xE2\x80\x9C{q},\xE2\x80\x9D {w} told reporters."};
  return sentence(k, PICK(r, forms), &s);
}

/* A verbatim passage of `s`: the whole sentence, a clause, or a run of
 * words. */
static const char *
cut_quote(Corpus *k, const char *s)
{
  Rng *r = k->rng;
  size_t len = strlen(s);
  size_t x = rng_below(r, 20);
  if (x < 11)
    return s;
  if (x < 17) {
    const char *comma = strstr(s, ", ");
    if (!comma || comma - s < 12)
      return s;
    size_t n = (size_t)(comma - s);
    char *q = arena_alloc(&k->arena, len + 1);
    if (rng_chance(r, 500)) {
      memcpy(q, s, n);
      q[n] = '\0';
    } else {
      memcpy(q, comma + 2, len - n - 1);  // with the NUL
    }
    return q;
  }
  // A run of 8 to 14 words, if the sentence has more.
  size_t starts[64], n_words = 0;
  for (size_t i = 0; i < len && n_words < N(starts); i++)
    if (i == 0 || s[i - 1] == ' ')
      starts[n_words++] = i;
  if (n_words < 10)
    return s;
  size_t words = (size_t)rng_range(r, 8, n_words < 15 ? (int)n_words - 1 : 14);
  size_t from = rng_below(r, n_words - words + 1);
  size_t end = from + words < n_words ? starts[from + words] - 1 : len;
  size_t n = end - starts[from];
  char *q = arena_alloc(&k->arena, n + 1);
  memcpy(q, s + starts[from], n);
  q[n] = '\0';
  return q;
}

static void
choose_quotes(Corpus *k, Event *e)
{
  static const unsigned weights[] = {760, 190, 35, 15};
  size_t want = rng_weighted(k->rng, weights, N(weights));
  for (size_t tries = 0; e->n_quotes < want && tries < 6; tries++) {
    const char *q =
      cut_quote(k, e->sentence[rng_below(k->rng, e->n_sentences)]);
    bool dup = false;
    for (size_t i = 0; i < e->n_quotes; i++)
      dup |= !strcmp(e->quotes[i], q);
    if (!dup)
      e->quotes[e->n_quotes++] = q;
  }
}

/* An earlier event of this article (index < `before`) that `accept`s, or
 * NULL. */
static const char *
earlier_in_article(Corpus *k, size_t before,
                   bool (*accept)(const Event *cand, const Event *e),
                   const Event *e)
{
  size_t found[MAX_EVENTS], n = 0;
  for (size_t i = 0; i < before; i++)
    if (accept(&k->event[i], e))
      found[n++] = i;
  return n ? k->event[found[rng_below(k->rng, n)]].id : NULL;
}

/* The newest remembered event of class `cls` whose acting side is
 * `actor` (and, unless -1, whose other side is `target`), or NULL. */
static const char *
from_ring(Corpus *k, size_t cls, long actor, long target)
{
  const Ring *g = &k->ring[cls];
  size_t n = g->n < RING ? g->n : RING;
  for (size_t i = 1; i <= n; i++) {
    const Recent *it = &g->item[(g->n - i) % RING];
    if (it->actor_country == actor &&
        (target < 0 || it->target_country == target))
      return it->id;
  }
  return NULL;
}

static bool
undone_by(const Event *cand, const Event *e)
{
  return e->cls->reverses && !strcmp(cand->cls->name, e->cls->reverses) &&
         cand->side[0] == e->side[0] && cand->side[1] == e->side[1];
}

static bool
leads_to(const Event *cand, const Event *e)
{
  static const char *const kinds[] = {"Agreement", "Negotiation", "Summit",
                                      "Meeting", "PolicyAnnouncement"};
  (void)e;
  for (size_t i = 0; i < N(kinds); i++)
    if (!strcmp(cand->cls->name, kinds[i]))
      return true;
  return false;
}

static bool
contains(const Event *cand, const Event *e)
{
  return cand->cls->container && cand->cls != e->cls;
}

static bool
provokes(const Event *cand, const Event *e)
{
  return cand->side[0] == e->side[1];
}

/* The references of event `i`, all to events that exist before it. */
static void
link_event(Corpus *k, size_t i)
{
  Event *e = &k->event[i];
  Rng *r = k->rng;
  if (e->cls->reverses && rng_chance(r, 700)) {
    e->ref[REVERSES] = earlier_in_article(k, i, undone_by, e);
    if (!e->ref[REVERSES])
      e->ref[REVERSES] =
        from_ring(k, class_index(e->cls->reverses), e->side[0], e->side[1]);
  }
  if (rng_chance(r, 120)) {
    e->ref[FOLLOWS] = earlier_in_article(k, i, leads_to, e);
    if (!e->ref[FOLLOWS])
      e->ref[FOLLOWS] =
        from_ring(k, class_index("Agreement"), e->side[0], e->side[1]);
  }
  if (!e->cls->container && rng_chance(r, 350))
    e->ref[PART_OF] = earlier_in_article(k, i, contains, e);
  else if (e->cls->goods && rng_chance(r, 200))
    e->ref[PART_OF] = from_ring(k, class_index("Dispute"), e->side[0], -1);
  if (e->cls->reacts && rng_chance(r, 200)) {
    e->ref[RESPONDS_TO] = earlier_in_article(k, i, provokes, e);
    static const char *const provocations[] = {
      "MissileLaunch", "TradeRestriction", "ExportControlsImposed",
      "Criticism",     "DisputeFiled",     "MilitaryMobilization"};
    if (!e->ref[RESPONDS_TO])
      e->ref[RESPONDS_TO] =
        from_ring(k, class_index(PICK(r, provocations)), e->side[1], -1);
  }
  // One link to an event is enough: "part of" says more than "follows".
  for (size_t j = 0; j < N(e->ref); j++)
    if (j != FOLLOWS && e->ref[FOLLOWS] && e->ref[j] &&
        !strcmp(e->ref[j], e->ref[FOLLOWS]))
      e->ref[FOLLOWS] = NULL;
}

/* The year of an event's date, for its id. */
static int
year_of(const When *w)
{
  return civil_from_days(has_start(w->form) ? w->a.day : w->b.day).y;
}

/* Makes event `i`: class, roles, date, words, references. */
static void
make_event(Corpus *k, size_t i)
{
  Rng *r = k->rng;
  Event *e = &k->event[i];
  memset(e, 0, sizeof *e);
  // A class already in the article is drawn again, up to twice: an
  // article seldom reports three meetings.
  for (int draw = 0; draw < 3; draw++) {
    e->cls_index =
      rng_weighted(r, i ? k->class_weight : k->lead_weight, N_CLASSES);
    bool seen = false;
    for (size_t j = 0; j < i; j++)
      seen |= k->event[j].cls_index == e->cls_index;
    if (!seen)
      break;
  }
  e->cls = &CLASSES[e->cls_index];
  cast_event(k, e);
  e->status = status_of(k, e->cls);
  e->when = date_event(k, e, i == 0);
  // An id that says what happened: "belonia-export-controls-imposed-2019-
  // 000123-4".
  const Entity *lead = e->n_actors ? e->actors[0] : e->parts[0];
  const Entity *who =
    lead->country >= 0 ? country_of(k->world, (size_t)lead->country) : lead;
  buf_clear(&k->scratch);
  buf_printf(&k->scratch, "%s-", who->id);
  put_kebab(&k->scratch, e->cls->name);
  buf_printf(&k->scratch, "-%d-%06zu-%zu", year_of(&e->when), k->serial, i + 1);
  e->id = arena_strdup(&k->arena, k->scratch.p);

  Slots prose = slots_of(k, e, false);
  const char *tmpl = e->status == OCCURRED  ? e->cls->past[rng_below(r, 2)]
                     : e->status == ONGOING ? e->cls->ongoing
                                            : e->cls->plan;
  e->sentence[e->n_sentences++] = sentence(k, tmpl, &prose);
  if (rng_chance(r, 300))
    e->sentence[e->n_sentences++] = speech_of(k, e);
  Slots names = slots_of(k, e, true);
  e->headline = sentence(k, e->cls->title, &names);
  e->title = rng_chance(r, 600) ? e->headline : NULL;
  if (rng_chance(r, 250))
    e->summary = sentence(k, e->cls->summary, &prose);
  choose_quotes(k, e);
  if (e->cls->cameo[0] && rng_chance(r, 80)) {
    size_t n = 0;
    while (n < N(e->cls->cameo) && e->cls->cameo[n])
      n++;
    e->cameo = e->cls->cameo[rng_below(r, n)];
  }
  if (e->cls->plover[0] && rng_chance(r, 50))
    e->plover = e->cls->plover[e->cls->plover[1] ? rng_below(r, 2) : 0];
  link_event(k, i);
}

/* Picks the story of an article: its countries (often a rivalry), its
 * topics and goods, its forum; sometimes an entity of its own. */
static void
make_story(Corpus *k)
{
  Rng *r = k->rng;
  World *w = k->world;
  Story *s = &k->story;
  memset(s, 0, sizeof *s);
  size_t n_countries = w->of_kind[COUNTRY].n;
  if (rng_chance(r, 550)) {
    const size_t *pair = w->rivalry[rng_below(r, w->n_rivalries)];
    s->country[0] = pair[0];
    s->country[1] = pair[1];
  } else {
    s->country[0] = rng_below(r, n_countries);
    s->country[1] =
      (s->country[0] + 1 + rng_below(r, n_countries - 1)) % n_countries;
  }
  s->n_countries = 2;
  if (n_countries > 2 && rng_chance(r, 300)) {
    size_t c;
    do
      c = rng_below(r, n_countries);
    while (c == s->country[0] || c == s->country[1]);
    s->country[s->n_countries++] = c;
  }
  for (size_t i = rng_below(r, 3); i < 3; i++) {
    const Entity *t = random_of_kind(w, r, TOPIC);
    if (!has_entity(s->topics, s->n_topics, t))
      s->topics[s->n_topics++] = t;
  }
  for (size_t i = rng_below(r, 3); i < 3; i++) {
    const Entity *g = random_of_kind(w, r, COMMODITY);
    if (!has_entity(s->goods, s->n_goods, g))
      s->goods[s->n_goods++] = g;
  }
  s->forum = random_of_kind(w, r, INTORG);
}

/* Entities the article defines itself (`entities:`), written to `b`: new
 * ones the story then uses, and sometimes an identical copy of a
 * gazetteer entry (allowed; the copy is then the one exported). */
static void
article_entities(Corpus *k, Buf *b, bool english)
{
  Rng *r = k->rng;
  World *w = k->world;
  Story *s = &k->story;
  const Entity *x = country_of(w, s->country[0]);
  const Entity *y = country_of(w, s->country[1]);
  size_t start = b->len;
  buf_puts(b, "entities:\n");
  size_t header = b->len;
  if (rng_chance(r, 100)) {
    // The talks or the row this story is about, as a topic of its own.
    static const char *const subjects[] = {"talks", "row", "dispute",
                                           "negotiations"};
    Draft d = {0};
    buf_clear(&k->scratch);
    const char *topic = s->topics[0]->name;
    if (!strncmp(topic, "the ", 4))
      topic += 4;
    else if (!strncmp(topic, "a ", 2))
      topic += 2;
    buf_printf(&k->scratch, "the %s\xE2\x80\x93%s %s %s", x->name, y->name,
               topic, PICK(r, subjects));
    d.name = arena_strdup(&k->arena, k->scratch.p);
    d.description = rng_chance(r, 500) ? "Defined by this article." : NULL;
    buf_clear(&k->scratch);
    put_slug(&k->scratch, d.name);
    buf_printf(&k->scratch, "-%06zu", k->serial);
    Entity *t = arena_alloc(&k->arena, sizeof *t);
    *t = (Entity){.kind = TOPIC,
                  .id = arena_strdup(&k->arena, k->scratch.p),
                  .name = d.name,
                  .phrase = d.name,
                  .abbrev = d.name,
                  .country = -1};
    put_entity_yaml(b, t->id, KINDS[TOPIC].type, &d, NULL);
    if (s->n_topics < N(s->topics))
      s->topics[s->n_topics++] = t;
    else
      s->topics[0] = t;
  }
  if (rng_chance(r, 60)) {
    // An envoy the gazetteer does not know.
    Draft d = {0};
    d.name = person_name(&k->arena, &k->scratch, r);
    buf_clear(&k->scratch);
    Point from = point(k->pub - rng_range(r, 30, 900), YEAR);
    put_position(&k->scratch, "Special Envoy", x->id, &from, NULL);
    d.positions = arena_strdup(&k->arena, k->scratch.p);
    buf_clear(&k->scratch);
    put_slug(&k->scratch, d.name);
    buf_printf(&k->scratch, "-%06zu", k->serial);
    Entity *p = arena_alloc(&k->arena, sizeof *p);
    const char *id = arena_strdup(&k->arena, k->scratch.p);
    Slots sl = {{0}};
    sl.v['n'] = d.name;
    sl.v['x'] = x->name;
    *p = (Entity){.kind = PERSON,
                  .id = id,
                  .name = d.name,
                  .phrase =
                    expand_to(&k->arena, &k->scratch, "{x}'s envoy {n}", &sl),
                  .abbrev = d.name,
                  .country = (long)s->country[0]};
    put_entity_yaml(b, p->id, KINDS[PERSON].type, &d, NULL);
    s->envoy = p;
    s->envoy_country = (long)s->country[0];
  }
  if (english && rng_chance(r, 20))
    buf_puts(b, x->yaml);  // verbatim: an identical re-definition
  if (b->len == header) {
    b->len = start;  // nothing after all
    b->p[start] = '\0';
  } else {
    buf_puts(b, "\n");
  }
}

/* Writes `key: [id, ...]` for the `n` entities of `list` (if any). */
static void
put_refs(Buf *b, Rng *r, const char *key, const Entity *const *list, size_t n)
{
  if (!n)
    return;
  buf_printf(b, "    %s: ", key);
  if (n == 1 && rng_chance(r, 150)) {  // a single value is a list of one
    buf_printf(b, "%s\n", list[0]->id);
    return;
  }
  buf_puts(b, "[");
  for (size_t i = 0; i < n; i++)
    buf_printf(b, "%s%s", i ? ", " : "", list[i]->id);
  buf_puts(b, "]\n");
}

static void
put_event(Corpus *k, Buf *b, const Event *e)
{
  buf_printf(b, "  - id: %s\n    type: %s\n    date: ", e->id, e->cls->name);
  put_when(b, &e->when);
  buf_puts(b, "\n");
  if (e->status != OCCURRED || rng_chance(k->rng, 50))
    buf_printf(b, "    status: %s\n", STATUS_NAMES[e->status]);
  if (e->title) {
    buf_puts(b, "    title: ");
    buf_yaml_text(b, e->title);
    buf_puts(b, "\n");
  }
  put_refs(b, k->rng, "actors", e->actors, e->n_actors);
  put_refs(b, k->rng, "targets", e->targets, e->n_targets);
  put_refs(b, k->rng, "participants", e->parts, e->n_parts);
  if (e->location)
    buf_printf(b, "    location: %s\n", e->location->id);
  if (e->forum)
    buf_printf(b, "    forum: %s\n", e->forum->id);
  put_refs(b, k->rng, "concerns", e->concerns, e->n_concerns);
  for (size_t i = 0; i < N(e->ref); i++)
    if (e->ref[i])
      buf_printf(b, "    %s: %s\n", REF_KEYS[i], e->ref[i]);
  if (e->summary) {
    buf_puts(b, "    summary: ");
    buf_yaml_text(b, e->summary);
    buf_puts(b, "\n");
  }
  if (e->cameo)
    buf_printf(b, "    cameo: \"%s\"\n", e->cameo);
  if (e->plover)
    buf_printf(b, "    plover: %s\n", e->plover);
  if (e->n_quotes) {
    buf_puts(b, "    quotes:\n");
    for (size_t i = 0; i < e->n_quotes; i++) {
      buf_puts(b, "      - ");
      buf_yaml_text(b, e->quotes[i]);
      buf_puts(b, "\n");
    }
  }
}

/* Appends paragraph `p` to the text, wrapped at WRAP_COLUMNS when `wrap`
 * (dipkg matches quotes across line breaks). */
static void
put_paragraph(Buf *text, const Buf *p, bool wrap)
{
  size_t column = 0, i = 0;
  while (i < p->len) {
    size_t j = i;
    while (j < p->len && p->p[j] != ' ')
      j++;
    size_t word = j - i;
    if (column)
      buf_puts(text, wrap && column + 1 + word > WRAP_COLUMNS ? "\n" : " ");
    if (wrap && column + 1 + word > WRAP_COLUMNS)
      column = 0;
    else if (column)
      column++;
    buf_put(text, p->p + i, word);
    column += word;
    i = j + 1;
  }
  buf_puts(text, "\n\n");
}

/* The article text: a banner saying it is synthetic, the headline, then
 * paragraphs of one to three sentences, the events' in order with
 * background between. */
static void
write_text(Corpus *k, const char *headline, const Entity *dateline,
           const Entity *publisher, const char *const *authors,
           size_t n_authors)
{
  Rng *r = k->rng;
  World *w = k->world;
  Buf *t = &k->text;
  buf_clear(t);
  buf_printf(t,
             "[Synthetic article generated for benchmarking dipkg (seed %llu); "
             "names, events and quotes are invented.]\n\n%s\n\n",
             (unsigned long long)k->out->seed, headline);
  bool wrap = rng_chance(r, 150);
  const Entity *x = country_of(w, k->story.country[0]);
  const Entity *capital = local_of_kind(w, r, k->story.country[0], CITY);
  Slots bg = {{0}};
  bg.v['x'] = x->name;
  bg.v['y'] = country_of(w, k->story.country[1])->name;
  bg.v['c'] = k->story.topics[0]->name;
  bg.v['k'] = capital ? capital->name : x->name;
  size_t n_background = (size_t)rng_range(r, 1, 3);
  Buf *p = &k->para;
  buf_clear(p);
  if (dateline) {
    for (const char *c = dateline->name; *c; c++) {
      char u = *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
      buf_put(p, &u, 1);
    }
    buf_printf(p, " (%s) \xE2\x80\x94 ", publisher->abbrev);
  }
  size_t in_paragraph = 0, limit = (size_t)rng_range(r, 1, 3);
  for (size_t i = 0; i < k->n_events; i++) {
    for (size_t j = 0; j < k->event[i].n_sentences; j++) {
      buf_puts(p, p->len && p->p[p->len - 1] != ' ' ? " " : "");
      buf_puts(p, k->event[i].sentence[j]);
    }
    if (i > 0 && n_background && rng_chance(r, 250)) {
      buf_puts(p, " ");
      buf_puts(p, sentence(k, PICK(r, BACKGROUND), &bg));
      n_background--;
    }
    if (++in_paragraph >= limit || i + 1 == k->n_events) {
      put_paragraph(t, p, wrap);
      buf_clear(p);
      in_paragraph = 0;
      limit = (size_t)rng_range(r, 1, 3);
    }
  }
  if (n_authors)
    buf_printf(t, "%s reported from %s.\n", authors[0], bg.v['k']);
}

/* Writes the `article:` section of article `id` to `y`. */
static void
put_article(Corpus *k, Buf *y, const char *id, const char *headline,
            const Entity *publisher, const Entity *dateline,
            const char *language, const char *const *authors, size_t n_authors)
{
  Rng *r = k->rng;
  Ymd d = civil_from_days(k->pub);
  buf_printf(y, "article:\n  id: %s\n  headline: ", id);
  buf_yaml_text(y, headline);
  buf_printf(y, "\n  publisher: %s\n  published: ", publisher->id);
  Point published = rng_chance(r, 250) ? moment(r, k->pub) : point(k->pub, DAY);
  put_point(y, &published);
  buf_puts(y, "\n");
  if (dateline)
    buf_printf(y, "  dateline: %s\n", dateline->id);
  if (rng_chance(r, 600))
    buf_printf(y, "  url: https://www.%s.example/%04d/%02d/%02d/%s\n",
               publisher->id, d.y, d.m, d.d, id);
  if (language)
    buf_printf(y, "  language: %s\n", language);
  if (n_authors) {
    buf_puts(y, "  authors: [");
    for (size_t i = 0; i < n_authors; i++) {
      buf_puts(y, i ? ", " : "");
      buf_yaml_text(y, authors[i]);
    }
    buf_puts(y, "]\n");
  }
  buf_printf(y, "  text: %s.txt\n\n", id);
}

/* Writes the text and the facts of article `serial`, named `id`, into its
 * shard (see Out). */
static void
write_article(Corpus *k, size_t serial, size_t n_articles, const char *id)
{
  Out *o = k->out;
  char shard[16], hidden[24];
  snprintf(shard, sizeof shard, "s%04u",
           (unsigned)(serial / ARTICLES_PER_DIR % 10000));
  snprintf(hidden, sizeof hidden, ".%s.tmp", shard);
  if (serial % ARTICLES_PER_DIR == 0) {
    out_path(o, &o->path, "", hidden);
    make_dir(o->path.p);
  }
  static const char *const extensions[] = {"txt", "yaml"};
  const Buf *contents[] = {&k->text, &k->yaml};
  for (size_t i = 0; i < N(extensions); i++) {
    buf_clear(&k->scratch);
    buf_printf(&k->scratch, "%s.%s", id, extensions[i]);
    out_path(o, &o->path, hidden, k->scratch.p);
    write_file(o->path.p, contents[i]);
  }
  if ((serial + 1) % ARTICLES_PER_DIR == 0 || serial + 1 == n_articles) {
    out_path(o, &o->path, "", hidden);
    out_path(o, &o->final, "", shard);
    rename_or_die(o->path.p, o->final.p);
  }
}

/* Remembers the events of the article for later ones. */
static void
remember_events(Corpus *k)
{
  for (size_t i = 0; i < k->n_events; i++) {
    const Event *e = &k->event[i];
    Ring *g = &k->ring[e->cls_index];
    Recent *it = &g->item[g->n++ % RING];
    size_t len = strlen(e->id);
    if (len >= sizeof it->id)
      die("internal error: event id %s is too long", e->id);
    memcpy(it->id, e->id, len + 1);
    it->actor_country = e->side[0];
    it->target_country = e->side[1];
  }
}

/* Makes and writes article `serial` of `n_articles`. */
static void
make_article(Corpus *k, size_t serial, size_t n_articles)
{
  Rng *r = k->rng;
  World *w = k->world;
  arena_reset(&k->arena);
  k->serial = serial;
  // Publication days are spread evenly over the years, in serial order.
  long first = days_from_civil(PUB_FIRST_YEAR, 1, 1);
  long span = days_from_civil(PUB_LAST_YEAR, 12, 31) - first;
  k->pub = first + (long)((uint64_t)serial * (uint64_t)span / n_articles);
  make_story(k);
  const Entity *publisher = random_of_kind(w, r, NEWSORG);
  static const char *const languages[] = {"en", "en", "en-GB", "en-US",
                                          "en-AU"};
  const char *language = rng_chance(r, 300) ? PICK(r, languages) : NULL;
  bool english = !language || !strcmp(language, "en");
  buf_clear(&k->entities);
  article_entities(k, &k->entities, english);

  // Most articles have 5 to 7 events; about one in eighty has 11 to 40.
  size_t n = 5;
  if (rng_chance(r, 12))
    n = (size_t)rng_range(r, 11, MAX_EVENTS);
  else
    while (n < 10 && rng_chance(r, 200))
      n++;
  k->n_events = n;
  k->total_events += n;
  for (size_t i = 0; i < n; i++)
    make_event(k, i);

  const Entity *dateline =
    rng_chance(r, 750) ? local_of_kind(w, r, k->story.country[0], CITY) : NULL;
  const char *authors[3];
  size_t n_authors = rng_chance(r, 500) ? (size_t)rng_range(r, 1, 3) : 0;
  for (size_t i = 0; i < n_authors; i++) {
    authors[i] = person_name(&k->arena, &k->scratch, r);
    for (size_t j = 0; j < i; j++)
      if (!strcmp(authors[i], authors[j]))
        n_authors = i;  // a namesake: keep the first
  }
  const char *headline = k->event[0].headline;

  // The id: publisher, date, the two countries, the serial.
  Ymd d = civil_from_days(k->pub);
  buf_clear(&k->scratch);
  buf_printf(&k->scratch, "%s-%04d-%02d-%02d-%s-%s-%06zu", publisher->id, d.y,
             d.m, d.d, country_of(w, k->story.country[0])->id,
             country_of(w, k->story.country[1])->id, serial);
  const char *id = arena_strdup(&k->arena, k->scratch.p);

  Buf *y = &k->yaml;
  buf_clear(y);
  buf_printf(y,
             "# SYNTHETIC DATA, NOT REAL NEWS: article %zu of a corpus "
             "generated for\n# benchmarks by dipkg's tests/bench/gen.c "
             "(--seed %llu).  Its people, places,\n# events, text and quotes "
             "are invented.\n\n",
             serial, (unsigned long long)k->out->seed);
  put_article(k, y, id, headline, publisher, dateline, language, authors,
              n_authors);
  buf_put(y, k->entities.p ? k->entities.p : "", k->entities.len);
  buf_puts(y, "events:\n");
  for (size_t i = 0; i < n; i++)
    put_event(k, y, &k->event[i]);
  write_text(k, headline, dateline, publisher, authors, n_authors);
  write_article(k, serial, n_articles, id);
  remember_events(k);
}

/* ------------------------------------------------------------ options */

static const char USAGE[] =
  "usage: gen --articles N --seed S --out DIR [--entities N]\n"
  "\n"
  "Writes a synthetic, deterministic corpus of dipkg facts for benchmarks:\n"
  "DIR/entities.yaml (a gazetteer) and N articles in DIR/0000/, DIR/0001/, "
  "...\n"
  "(1000 a directory), each as ID.yaml and its text ID.txt.  The same\n"
  "arguments give byte-identical files.  DIR must be absent or empty.\n"
  "\n"
  "  --articles N   number of articles, 0 to 10000000\n"
  "  --seed S       seed of the generator, 0 to 18446744073709551615\n"
  "  --out DIR      the directory to write (created if absent)\n"
  "  --entities N   entities in the gazetteer, 100 to 100000 (default 2000)\n"
  "  --help         show this help\n"
  "\n"
  "Exit status: 0 on success, 1 when writing fails, 2 for bad arguments.\n";

/* Prints the message and a hint, and ends the run with status 2. */
static void
usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("gen: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\nTry 'gen --help'.\n", stderr);
  exit(2);
}

typedef struct Options {
  uint64_t articles, seed, entities;
  const char *out;
} Options;

static const struct NumberOption {
  const char *name;
  size_t offset;
  uint64_t min, max;
} NUMBER_OPTIONS[] = {
  {"--articles", offsetof(Options, articles), 0, MAX_ARTICLES},
  {"--seed", offsetof(Options, seed), 0, UINT64_MAX},
  {"--entities", offsetof(Options, entities), MIN_ENTITIES, MAX_ENTITIES},
};

static uint64_t
parse_number(const struct NumberOption *o, const char *s)
{
  uint64_t v = 0;
  bool ok = *s != '\0';
  for (const char *p = s; ok && *p; p++) {
    unsigned digit = (unsigned)(*p - '0');
    ok = *p >= '0' && *p <= '9' && v <= (UINT64_MAX - digit) / 10;
    v = v * 10 + digit;
  }
  if (!ok || v < o->min || v > o->max)
    usage_error("%s expects a whole number from %llu to %llu, not '%s'",
                o->name, (unsigned long long)o->min, (unsigned long long)o->max,
                s);
  return v;
}

static Options
parse_options(int argc, char **argv)
{
  Options o = {0, 0, DEFAULT_ENTITIES, NULL};
  bool seen[N(NUMBER_OPTIONS)] = {false};
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
      fputs(USAGE, stdout);
      if (fflush(stdout) != 0 || ferror(stdout))
        die("cannot write the help: %s", strerror(errno));
      exit(0);
    }
    // --name VALUE or --name=VALUE
    const char *eq = strchr(arg, '=');
    size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
    const char *value = eq ? eq + 1 : i + 1 < argc ? argv[i + 1] : NULL;
    bool known = false;
    for (size_t k = 0; k < N(NUMBER_OPTIONS) && !known; k++) {
      const struct NumberOption *no = &NUMBER_OPTIONS[k];
      if (strlen(no->name) != name_len || strncmp(arg, no->name, name_len))
        continue;
      if (!value)
        usage_error("%s needs a value", no->name);
      *(uint64_t *)((char *)&o + no->offset) = parse_number(no, value);
      seen[k] = known = true;
    }
    if (!known && name_len == 5 && !strncmp(arg, "--out", 5)) {
      if (!value || !*value)
        usage_error("--out needs a directory");
      o.out = value;
      known = true;
    }
    if (!known)
      usage_error("unknown argument '%s'", arg);
    if (!eq)
      i++;
  }
  if (!seen[0] || !seen[1] || !o.out)
    usage_error("--articles, --seed and --out are required");
  return o;
}

/* Creates `dir`, or accepts it if it exists and is empty: a corpus is
 * never mixed with the files of another. */
static void
prepare_out(const char *dir)
{
  if (mkdir(dir, 0777) == 0)
    return;
  if (errno != EEXIST)
    die("cannot create the directory %s: %s", dir, strerror(errno));
  DIR *d = opendir(dir);
  if (!d)
    usage_error("--out %s: %s", dir, strerror(errno));
  struct dirent *entry;
  bool empty = true;
  while (empty && (entry = readdir(d)))
    empty = !strcmp(entry->d_name, ".") || !strcmp(entry->d_name, "..");
  closedir(d);
  if (!empty)
    usage_error("--out %s is not empty; remove it or choose another "
                "directory",
                dir);
}

int
main(int argc, char **argv)
{
  Options opt = parse_options(argc, argv);
  prepare_out(opt.out);
  Rng rng;
  rng_seed(&rng, opt.seed);
  // Without trailing slashes, paths in messages read well.
  char *dir = strcpy(xrealloc(NULL, strlen(opt.out) + 1), opt.out);
  for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
    dir[n - 1] = '\0';
  Out out = {dir, {0}, {0}, opt.seed};

  World *world = xrealloc(NULL, sizeof *world);
  memset(world, 0, sizeof *world);
  world_build(world, &rng, (size_t)opt.entities);
  write_gazetteer(&out, world, (size_t)opt.entities);

  Corpus *k = xrealloc(NULL, sizeof *k);
  memset(k, 0, sizeof *k);
  k->world = world;
  k->out = &out;
  k->rng = &rng;
  for (size_t i = 0; i < N_CLASSES; i++) {
    k->class_weight[i] = CLASSES[i].weight;
    // The first event makes the headline: news, not background.
    k->lead_weight[i] = CLASSES[i].timing == HISTORY ? 0 : CLASSES[i].weight;
  }
  for (size_t i = 0; i < (size_t)opt.articles; i++)
    make_article(k, i, (size_t)opt.articles);
  fprintf(stderr,
          "gen: wrote a gazetteer of %zu entities and %llu articles "
          "(%llu events) "
          "to %s\n",
          world->n, (unsigned long long)opt.articles,
          (unsigned long long)k->total_events, dir);

  free(k->scratch.p);
  free(k->yaml.p);
  free(k->text.p);
  free(k->para.p);
  free(k->entities.p);
  arena_free(&k->arena);
  free(k);
  world_free(world);
  free(world);
  free(out.path.p);
  free(out.final.p);
  free(dir);
  return 0;
}
