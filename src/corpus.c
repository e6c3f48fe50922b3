#include "corpus.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "facts.h"
#include "index.h"
#include "mapper.h"
#include "memory.h"
#include "output.h"
#include "rdf_raptor.h"
#include "resolve.h"
#include "stats.h"
#include "world.h"
#include "writer.h"
#include "yaml_tree.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_FACTS_FILE = 64 * 1024 * 1024 };

typedef struct FileEntry {
  char *path;     // to open
  char *display;  // as the user named it
  DipkgDiagList diags;
  bool unreadable;  // pass 1 could not parse it: pass 2 skips it
  char *data;       // the file's bytes, when given in memory (owned)
  size_t len;
} FileEntry;

typedef struct FileId {
  dev_t dev;
  ino_t ino;
} FileId;

struct DipkgCorpusImpl {
  DipkgWorld *world;
  FileEntry *files;
  size_t n_files;
  size_t cap;
  FileId *seen;  // open addressing set of the files added
  size_t seen_cap;
};

/* ------------------------------------------------------------ files */

DipkgCorpus *
dipkg_corpus_new(DipkgWorld *world)
{
  DipkgCorpus *c = dipkg_calloc(1, sizeof *c);
  if (c)
    c->world = world;
  return c;
}

void
dipkg_corpus_free(DipkgCorpus *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->n_files; i++) {
    dipkg_free(c->files[i].path);
    if (c->files[i].display != c->files[i].path)
      dipkg_free(c->files[i].display);
    dipkg_diag_list_clear(&c->files[i].diags);
    dipkg_free(c->files[i].data);
  }
  dipkg_free(c->files);
  dipkg_free(c->seen);
  dipkg_free(c);
}

size_t
dipkg_corpus_n_files(const DipkgCorpus *c)
{
  return c->n_files;
}

DipkgWorld *
dipkg_corpus_world(const DipkgCorpus *c)
{
  return c->world;
}

static size_t
file_id_hash(FileId id)
{
  return (size_t)(id.ino * 0x9E3779B97F4A7C15ULL ^ (unsigned long long)id.dev);
}

/* Adds `id` to the set; false if it was there already (or on OOM, with
 * `*oom` set). */
static bool
remember_file(DipkgCorpus *c, FileId id, bool *oom)
{
  if ((c->n_files + 1) * 2 > c->seen_cap) {
    size_t cap = c->seen_cap ? c->seen_cap * 2 : 256;
    FileId *slots = dipkg_calloc(cap, sizeof *slots);
    if (!slots) {
      *oom = true;
      return false;
    }
    for (size_t i = 0; i < c->seen_cap; i++) {
      if (!c->seen[i].ino)
        continue;
      size_t k = file_id_hash(c->seen[i]) & (cap - 1);
      while (slots[k].ino)
        k = (k + 1) & (cap - 1);
      slots[k] = c->seen[i];
    }
    dipkg_free(c->seen);
    c->seen = slots;
    c->seen_cap = cap;
  }
  size_t k = file_id_hash(id) & (c->seen_cap - 1);
  while (c->seen[k].ino) {
    if (c->seen[k].ino == id.ino && c->seen[k].dev == id.dev)
      return false;
    k = (k + 1) & (c->seen_cap - 1);
  }
  c->seen[k] = id;
  return true;
}

/* Reports a problem with an input path: "cannot read: REASON", or
 * `what` alone when `reason` is NULL. */
static void
report(DipkgCorpus *c, DipkgStatus status, const char *file, const char *what,
       const char *reason)
{
  DipkgDiagList list = {0};
  dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, status, file, (DipkgLoc){0, 0, 0},
                 "%s%s%s", what, reason ? ": " : "", reason ? reason : "");
  dipkg_world_deliver(c->world, &list);
}

static DipkgStatus
add_file(DipkgCorpus *c, const char *path, const struct stat *sb)
{
  bool oom = false;
  FileId id = {sb->st_dev, sb->st_ino ? sb->st_ino : 1};
  if (!remember_file(c, id, &oom))
    return oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;  // given twice
  if (dipkg_grow((void **)&c->files, &c->cap, c->n_files + 1, sizeof *c->files))
    return DIPKG_ERR_NO_MEMORY;
  char *copy = dipkg_strdup(path);
  if (!copy)
    return DIPKG_ERR_NO_MEMORY;
  c->files[c->n_files++] = (FileEntry){copy, copy, {0}, false, NULL, 0};
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_corpus_add_buffer(DipkgCorpus *c, const char *name, const void *data,
                        size_t len)
{
  if (len > MAX_FACTS_FILE) {
    report(c, DIPKG_ERR_LIMIT, name, "the file is larger than 64 MiB", NULL);
    return DIPKG_ERR_LIMIT;
  }
  if (dipkg_grow((void **)&c->files, &c->cap, c->n_files + 1, sizeof *c->files))
    return DIPKG_ERR_NO_MEMORY;
  char *copy = dipkg_strdup(name);
  char *bytes = dipkg_malloc(len + 1);
  if (!copy || !bytes) {
    dipkg_free(copy);
    dipkg_free(bytes);
    return DIPKG_ERR_NO_MEMORY;
  }
  if (len)
    memcpy(bytes, data, len);
  bytes[len] = '\0';
  c->files[c->n_files++] = (FileEntry){copy, copy, {0}, false, bytes, len};
  return DIPKG_SUCCESS;
}

static bool
is_facts_name(const char *name)
{
  size_t n = strlen(name);
  return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
         (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int
compare_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directories below an input directory that are read, at most. */
enum { MAX_DIR_DEPTH = 64 };

/* Adds the facts files below directory `dir`, sorted by name, recursively;
 * hidden entries and symbolic links to directories are skipped. */
static DipkgStatus
add_dir(DipkgCorpus *c, const char *dir, int depth)
{
  if (depth > MAX_DIR_DEPTH) {
    report(c, DIPKG_ERR_LIMIT, dir,
           "directories nest more than 64 levels deep below the input "
           "directory; dipkg reads no deeper",
           NULL);
    return DIPKG_ERR_LIMIT;
  }
  DIR *d = opendir(dir);
  if (!d) {
    report(c, DIPKG_ERR_IO, dir, "cannot read the directory", strerror(errno));
    return DIPKG_ERR_IO;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  DipkgStatus st = DIPKG_SUCCESS;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char *name = dipkg_strdup(e->d_name);
    if (!name || dipkg_grow((void **)&names, &cap, n + 1, sizeof *names)) {
      dipkg_free(name);
      st = DIPKG_ERR_NO_MEMORY;
      break;
    }
    names[n++] = name;
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, compare_names);
  size_t dl = strlen(dir);
  bool slash = dl && dir[dl - 1] == '/';
  for (size_t i = 0; i < n && !st; i++) {
    char *full = dipkg_malloc(dl + strlen(names[i]) + 2);
    if (!full) {
      st = DIPKG_ERR_NO_MEMORY;
      break;
    }
    sprintf(full, slash ? "%s%s" : "%s/%s", dir, names[i]);
    struct stat lsb, sb;
    if (lstat(full, &lsb) || stat(full, &sb)) {
      // A dangling link or a vanished entry: not a facts file.
    } else if (S_ISDIR(sb.st_mode)) {
      if (!S_ISLNK(lsb.st_mode))
        st = add_dir(c, full, depth + 1);
    } else if (S_ISREG(sb.st_mode) && is_facts_name(names[i])) {
      st = add_file(c, full, &sb);
    }
    dipkg_free(full);
  }
  for (size_t i = 0; i < n; i++)
    dipkg_free(names[i]);
  dipkg_free(names);
  return st;
}

DipkgStatus
dipkg_corpus_add_path(DipkgCorpus *c, const char *path)
{
  struct stat sb;
  if (stat(path, &sb)) {
    report(c, DIPKG_ERR_IO, path, "cannot read", strerror(errno));
    return DIPKG_ERR_IO;
  }
  if (!S_ISDIR(sb.st_mode))
    return add_file(c, path, &sb);
  size_t before = c->n_files;
  DipkgStatus st = add_dir(c, path, 0);
  if (!st && c->n_files == before) {
    report(c, DIPKG_ERR_USAGE, path,
           "the directory holds no facts files (*.yaml or *.yml)", NULL);
    return DIPKG_ERR_USAGE;
  }
  return st;
}

/* ------------------------------------------------------------- a run */

typedef struct Slot {
  atomic_int done;
  DipkgArena *arena;
  DipkgFacts facts;
  bool have_facts;
  const char **canon;  // pass 1: canonical form of each entity
  size_t *canon_len;
  DipkgBuf out;  // pass 2, stream mode: the file's statements
  uint64_t statements;
  DipkgStatus st;  // a failure other than bad data
} Slot;

typedef struct Run {
  DipkgCorpus *corpus;
  DipkgWorld *world;
  const DipkgRunSpec *spec;
  DipkgIndex *index;
  DipkgStats *stats;
  Slot *slots;
  atomic_bool failed;  // some file has errors: stop producing statements
  // The pool.
  pthread_mutex_t mu;
  pthread_cond_t work_cv;
  pthread_cond_t done_cv;
  size_t next;      // next file a worker may claim
  size_t consumed;  // files the calling thread has consumed
  size_t window;    // how far workers may run ahead of it
  void (*work)(struct Run *, size_t);
} Run;

static DipkgStatus
read_facts(Run *run, size_t i, DipkgDiagList *diags, Slot *slot, bool *parsed)
{
  FileEntry *fe = &run->corpus->files[i];
  *parsed = false;
  slot->arena = dipkg_arena_new();
  if (!slot->arena)
    return DIPKG_ERR_NO_MEMORY;
  char *data = fe->data;
  size_t len = fe->len;
  DipkgStatus st =
    data ? DIPKG_SUCCESS
         : dipkg_read_file(fe->path, fe->display, MAX_FACTS_FILE, slot->arena,
                           diags, &data, &len);
  if (st == DIPKG_ERR_IO || st == DIPKG_ERR_LIMIT)
    return DIPKG_SUCCESS;  // reported as this file's error
  if (st)
    return st;
  DipkgYNode *root;
  st =
    dipkg_yaml_parse(data, len, fe->display, NULL, slot->arena, diags, &root);
  if (st == DIPKG_ERR_DATA || st == DIPKG_ERR_LIMIT)
    return DIPKG_SUCCESS;
  if (st)
    return st;
  *parsed = true;
  st = dipkg_facts_read(root, fe->display, run->world->ontology, slot->arena,
                        diags, &slot->facts);
  slot->have_facts = st != DIPKG_ERR_NO_MEMORY;
  return st == DIPKG_ERR_DATA ? DIPKG_SUCCESS : st;
}

/* The canonical form of an entity definition: every field, in a fixed
 * order, as "field\0value\0".  Equal forms mean identical definitions. */
static void
put_field(DipkgBuf *b, const char *field, const DipkgValue *v)
{
  dipkg_buf_puts(b, field);
  dipkg_buf_putc(b, '\0');
  if (v && v->str)
    dipkg_buf_append(b, v->str, v->len);
  dipkg_buf_putc(b, '\0');
}

static void
put_list(DipkgBuf *b, const char *field, const DipkgValues *vs)
{
  dipkg_buf_puts(b, field);
  dipkg_buf_putc(b, '\0');
  for (size_t i = 0; i < vs->n; i++) {
    if (i)
      dipkg_buf_append(b, "\x1f", 1);
    dipkg_buf_append(b, vs->items[i].str, vs->items[i].len);
  }
  dipkg_buf_putc(b, '\0');
}

static void
entity_canon(const DipkgEntityFacts *e, const char *lang, DipkgBuf *b)
{
  DipkgValue l = {lang, strlen(lang), {0, 0, 0}};
  put_field(b, "type", &e->type);
  put_field(b, "name", &e->name);
  put_field(b, "language", &l);
  put_list(b, "aliases", &e->aliases);
  put_field(b, "wikidata", &e->wikidata);
  put_field(b, "within", &e->within);
  put_field(b, "description", &e->description);
  dipkg_buf_puts(b, "positions");
  dipkg_buf_putc(b, '\0');
  for (size_t i = 0; i < e->n_positions; i++) {
    const DipkgPositionFacts *p = &e->positions[i];
    const DipkgValue *parts[] = {&p->title, &p->of, &p->from, &p->to};
    for (size_t k = 0; k < 4; k++) {
      if (parts[k]->str)
        dipkg_buf_append(b, parts[k]->str, parts[k]->len);
      dipkg_buf_append(b, "\x1f", 1);
    }
    dipkg_buf_append(b, "\x1e", 1);
  }
  dipkg_buf_putc(b, '\0');
}

static void
pass1_work(Run *run, size_t i)
{
  Slot *slot = &run->slots[i];
  FileEntry *fe = &run->corpus->files[i];
  bool parsed;
  slot->st = read_facts(run, i, &fe->diags, slot, &parsed);
  fe->unreadable = !parsed;
  if (slot->st || !slot->have_facts)
    return;
  const DipkgFacts *f = &slot->facts;
  if (!f->n_entities)
    return;
  slot->canon = dipkg_arena_calloc(slot->arena, f->n_entities, sizeof(char *));
  slot->canon_len =
    dipkg_arena_calloc(slot->arena, f->n_entities, sizeof(size_t));
  if (!slot->canon || !slot->canon_len) {
    slot->st = DIPKG_ERR_NO_MEMORY;
    return;
  }
  DipkgBuf b = DIPKG_BUF_INIT;
  for (size_t k = 0; k < f->n_entities && !slot->st; k++) {
    dipkg_buf_clear(&b);
    entity_canon(&f->entities[k], f->lang, &b);
    char *copy = b.oom ? NULL : dipkg_arena_strndup(slot->arena, b.data, b.len);
    if (!copy)
      slot->st = DIPKG_ERR_NO_MEMORY;
    slot->canon[k] = copy;
    slot->canon_len[k] = b.len;
  }
  dipkg_buf_free(&b);
}

static const char *
file_name(const Run *run, uint32_t file)
{
  return run->corpus->files[file].display;
}

/* Adds one id to the index; a clash becomes an error with a note at the
 * first definition. */
static DipkgStatus
index_id(Run *run, size_t i, DipkgIdKind kind, const DipkgIdInfo *info,
         const char *what)
{
  const DipkgIdInfo *first = NULL;
  FileEntry *fe = &run->corpus->files[i];
  switch (dipkg_index_add(run->index, kind, info, &first)) {
  case DIPKG_INDEX_ADDED:
    if (info->cls && kind != DIPKG_ID_ARTICLE)
      dipkg_stats_add_class(run->stats, info->cls, 1);
    return DIPKG_SUCCESS;
  case DIPKG_INDEX_SAME:
    return DIPKG_SUCCESS;
  case DIPKG_INDEX_NO_MEMORY:
    return DIPKG_ERR_NO_MEMORY;
  case DIPKG_INDEX_CONFLICT:
    break;
  }
  const char *q = dipkg_diag_q(0, info->id, info->id_len);
  if (kind == DIPKG_ID_ENTITY) {
    const char *field = dipkg_canon_diff(first->canon, first->canon_len,
                                         info->canon, info->canon_len);
    dipkg_diag_error(&fe->diags, fe->display, info->loc,
                     "entity %s is defined differently at %s:%u:%u (its '%s' "
                     "differs); define it once, or identically",
                     q, file_name(run, first->file), first->loc.line,
                     first->loc.col, field ? field : "?");
  } else {
    dipkg_diag_error(&fe->diags, fe->display, info->loc,
                     "%s id %s is already used at %s:%u:%u", what, q,
                     file_name(run, first->file), first->loc.line,
                     first->loc.col);
  }
  dipkg_diag_note(&fe->diags, file_name(run, first->file), first->loc,
                  "%s %s is first defined here", what, q);
  return DIPKG_SUCCESS;
}

static DipkgStatus
pass1_merge(Run *run, size_t i)
{
  Slot *slot = &run->slots[i];
  DipkgStatus st = slot->st;
  run->stats->counts[DIPKG_COUNT_FILES]++;
  if (!st && slot->have_facts) {
    const DipkgFacts *f = &slot->facts;
    const DipkgArticleFacts *a = &f->article;
    if (a->present && a->id.str) {
      DipkgIdInfo info = {.id = a->id.str,
                          .id_len = a->id.len,
                          .file = (uint32_t)i,
                          .loc = a->id.loc};
      st = index_id(run, i, DIPKG_ID_ARTICLE, &info, "article");
      run->stats->counts[DIPKG_COUNT_ARTICLES]++;
    }
    for (size_t k = 0; k < f->n_entities && !st; k++) {
      const DipkgEntityFacts *e = &f->entities[k];
      if (!e->id.str)
        continue;
      DipkgIdInfo info = {e->id.str,          e->id.len,   e->cls,
                          e->name.str,        f->lang,     slot->canon[k],
                          slot->canon_len[k], (uint32_t)i, e->id.loc};
      st = index_id(run, i, DIPKG_ID_ENTITY, &info, "entity");
    }
    for (size_t k = 0; k < f->n_events && !st; k++) {
      const DipkgEventFacts *ev = &f->events[k];
      if (!ev->id.str)
        continue;
      DipkgIdInfo info = {.id = ev->id.str,
                          .id_len = ev->id.len,
                          .cls = ev->cls,
                          .file = (uint32_t)i,
                          .loc = ev->id.loc};
      st = index_id(run, i, DIPKG_ID_EVENT, &info, "event");
      run->stats->counts[DIPKG_COUNT_EVENTS]++;
    }
  }
  dipkg_arena_free(slot->arena);
  memset(slot, 0, sizeof *slot);
  if (run->corpus->files[i].diags.errors)
    atomic_store(&run->failed, true);
  return st;
}

static void
pass2_work(Run *run, size_t i)
{
  Slot *slot = &run->slots[i];
  FileEntry *fe = &run->corpus->files[i];
  if (fe->unreadable)
    return;
  DipkgDiagList again = {0};  // pass 1 reported the reading problems
  bool parsed;
  slot->st = read_facts(run, i, &again, slot, &parsed);
  dipkg_diag_list_clear(&again);
  if (slot->st || !slot->have_facts)
    return;
  DipkgFacts *f = &slot->facts;
  DipkgStatus st = dipkg_facts_resolve(f, fe->path, run->world->ontology,
                                       run->index, slot->arena, &fe->diags);
  if (st && st != DIPKG_ERR_DATA) {  // out of memory: not the data's fault
    slot->st = st;
    return;
  }
  if (st || fe->diags.errors) {
    atomic_store(&run->failed, true);
    return;
  }
  bool count = run->spec->mode == DIPKG_RUN_CHECK && run->spec->count;
  if ((run->spec->mode != DIPKG_RUN_STREAM && !count) ||
      atomic_load(&run->failed))
    return;
  DipkgMapContext cx = {run->world, run->index, (uint32_t)i};
  if (count) {
    DipkgCountSink counter;
    dipkg_count_sink_init(&counter);
    slot->st = dipkg_map_facts(&cx, f, slot->arena, &counter.base);
    slot->statements = counter.base.n_statements;
    return;
  }
  DipkgWriter w;
  dipkg_writer_init(&w, run->spec->format, run->world->prefixes, &slot->out);
  slot->st = dipkg_map_facts(&cx, f, slot->arena, &w.base);
  slot->statements = w.base.n_statements;
  dipkg_writer_fini(&w);
}

static DipkgStatus
pass2_consume(Run *run, size_t i)
{
  Slot *slot = &run->slots[i];
  FileEntry *fe = &run->corpus->files[i];
  DipkgStatus st = slot->st;
  if (!st && slot->have_facts) {
    const DipkgFacts *f = &slot->facts;
    for (size_t k = 0; k < f->n_events; k++)
      run->stats->counts[DIPKG_COUNT_QUOTES] += f->events[k].quotes.n;
  }
  bool failed = atomic_load(&run->failed) || fe->diags.errors;
  if (!st && !failed && run->spec->mode == DIPKG_RUN_CHECK) {
    run->stats->counts[DIPKG_COUNT_TRIPLES] += slot->statements;
  } else if (!st && !failed && run->spec->mode == DIPKG_RUN_STREAM) {
    if (slot->out.len && fwrite(slot->out.data, 1, slot->out.len,
                                run->spec->stream) != slot->out.len)
      st = DIPKG_ERR_IO;
    run->stats->counts[DIPKG_COUNT_TRIPLES] += slot->statements;
  } else if (!st && !failed && slot->have_facts &&
             run->spec->mode == DIPKG_RUN_SINK) {
    DipkgMapContext cx = {run->world, run->index, (uint32_t)i};
    uint64_t before = run->spec->sink->n_statements;
    st = dipkg_map_facts(&cx, &slot->facts, slot->arena, run->spec->sink);
    run->stats->counts[DIPKG_COUNT_TRIPLES] +=
      run->spec->sink->n_statements - before;
  }
  dipkg_diag_sort(&fe->diags, fe->display);
  run->stats->counts[DIPKG_COUNT_ERRORS] += fe->diags.errors;
  run->stats->counts[DIPKG_COUNT_WARNINGS] += fe->diags.warnings;
  dipkg_world_deliver(run->world, &fe->diags);
  dipkg_arena_free(slot->arena);
  dipkg_buf_free(&slot->out);
  memset(slot, 0, sizeof *slot);
  return st;
}

/* ------------------------------------------------------------ the pool */

static void *
worker(void *arg)
{
  Run *run = arg;
  pthread_mutex_lock(&run->mu);
  for (;;) {
    while (run->next < run->corpus->n_files &&
           run->next >= run->consumed + run->window)
      pthread_cond_wait(&run->work_cv, &run->mu);
    if (run->next >= run->corpus->n_files)
      break;
    size_t i = run->next++;
    pthread_mutex_unlock(&run->mu);
    run->work(run, i);
    pthread_mutex_lock(&run->mu);
    atomic_store(&run->slots[i].done, 1);
    pthread_cond_broadcast(&run->done_cv);
  }
  pthread_mutex_unlock(&run->mu);
  return NULL;
}

/* Runs `work` on every file with the world's number of threads, and
 * `consume` on each in input order in the calling thread.  Stops consuming
 * (but lets the workers finish) after a failure. */
static DipkgStatus
run_pass(Run *run, void (*work)(Run *, size_t),
         DipkgStatus (*consume)(Run *, size_t))
{
  size_t n = run->corpus->n_files;
  unsigned jobs = dipkg_world_jobs(run->world);
  if (jobs > n)
    jobs = (unsigned)n;
  DipkgStatus st = DIPKG_SUCCESS;
  if (jobs <= 1) {
    for (size_t i = 0; i < n; i++) {
      work(run, i);
      DipkgStatus s = consume(run, i);
      if (s && !st)
        st = s;
    }
    return st;
  }
  run->work = work;
  run->next = 0;
  run->consumed = 0;
  run->window = 4 * (size_t)jobs;
  for (size_t i = 0; i < n; i++)
    atomic_store(&run->slots[i].done, 0);
  pthread_t threads[64];
  unsigned started = 0;
  for (; started < jobs; started++)
    if (pthread_create(&threads[started], NULL, worker, run))
      break;
  if (started == 0) {  // no threads: do it here
    for (size_t i = 0; i < n; i++) {
      work(run, i);
      DipkgStatus s = consume(run, i);
      if (s && !st)
        st = s;
    }
    return st;
  }
  for (size_t i = 0; i < n; i++) {
    pthread_mutex_lock(&run->mu);
    while (!atomic_load(&run->slots[i].done))
      pthread_cond_wait(&run->done_cv, &run->mu);
    pthread_mutex_unlock(&run->mu);
    DipkgStatus s = consume(run, i);
    if (s && !st)
      st = s;
    pthread_mutex_lock(&run->mu);
    run->consumed = i + 1;
    pthread_cond_broadcast(&run->work_cv);
    pthread_mutex_unlock(&run->mu);
  }
  for (unsigned t = 0; t < started; t++)
    pthread_join(threads[t], NULL);
  return st;
}

DipkgStatus
dipkg_corpus_run(DipkgCorpus *corpus, const DipkgRunSpec *spec,
                 DipkgStats **stats_out)
{
  if (stats_out)
    *stats_out = NULL;
  DipkgWorld *world = corpus->world;
  dipkg_world_begin_run(world);
  DipkgStatus st = dipkg_world_require_ontology(world);
  if (st)
    return st;
  Run run = {.corpus = corpus, .world = world, .spec = spec};
  run.index = dipkg_index_new();
  run.stats = dipkg_stats_new();
  run.slots = dipkg_calloc(corpus->n_files + 1, sizeof *run.slots);
  if (!run.index || !run.stats || !run.slots) {
    st = DIPKG_ERR_NO_MEMORY;
    goto out;
  }
  pthread_mutex_init(&run.mu, NULL);
  pthread_cond_init(&run.work_cv, NULL);
  pthread_cond_init(&run.done_cv, NULL);
  atomic_init(&run.failed, false);
  st = run_pass(&run, pass1_work, pass1_merge);
  if (!st) {
    if (spec->mode == DIPKG_RUN_STREAM && spec->format == DIPKG_FORMAT_TURTLE &&
        !atomic_load(&run.failed)) {
      DipkgBuf prologue = DIPKG_BUF_INIT;
      dipkg_writer_turtle_prologue(world->prefixes, &prologue);
      if (prologue.oom)
        st = DIPKG_ERR_NO_MEMORY;
      else if (fwrite(prologue.data, 1, prologue.len, spec->stream) !=
               prologue.len)
        st = DIPKG_ERR_IO;
      dipkg_buf_free(&prologue);
    }
  }
  if (!st)
    st = run_pass(&run, pass2_work, pass2_consume);
  else  // deliver what pass 1 found even when the run cannot go on
    for (size_t i = 0; i < corpus->n_files; i++)
      dipkg_world_deliver(world, &corpus->files[i].diags);
  run.stats->counts[DIPKG_COUNT_ENTITIES] =
    dipkg_index_count(run.index, DIPKG_ID_ENTITY);
  run.stats->counts[DIPKG_COUNT_INDEX_BYTES] = dipkg_index_footprint(run.index);
  pthread_mutex_destroy(&run.mu);
  pthread_cond_destroy(&run.work_cv);
  pthread_cond_destroy(&run.done_cv);
  if (!st && run.stats->counts[DIPKG_COUNT_ERRORS])
    st = DIPKG_ERR_DATA;
out:
  if (st == DIPKG_ERR_NO_MEMORY) {
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, NULL,
                   (DipkgLoc){0, 0, 0}, "out of memory");
    dipkg_world_deliver(world, &list);
  }
  for (size_t i = 0; run.slots && i < corpus->n_files; i++) {
    dipkg_arena_free(run.slots[i].arena);
    dipkg_buf_free(&run.slots[i].out);
    dipkg_diag_list_clear(&corpus->files[i].diags);
  }
  dipkg_free(run.slots);
  dipkg_index_free(run.index);
  if (run.stats) {
    dipkg_stats_finish(run.stats);
    if (stats_out)
      *stats_out = run.stats;
    else
      dipkg_stats_free(run.stats);
  }
  return st;
}

/* --------------------------------------------------- public commands */

DipkgStatus
dipkg_corpus_validate(DipkgCorpus *corpus, DipkgStats **stats)
{
  DipkgRunSpec spec = {.mode = DIPKG_RUN_CHECK};
  return dipkg_corpus_run(corpus, &spec, stats);
}

DipkgStatus
dipkg_corpus_stats(DipkgCorpus *corpus, DipkgStats **stats)
{
  DipkgRunSpec spec = {.mode = DIPKG_RUN_CHECK, .count = true};
  return dipkg_corpus_run(corpus, &spec, stats);
}

/* Writes the corpus into `stream`; RDF/XML goes through raptor. */
static DipkgStatus
write_to(DipkgCorpus *corpus, DipkgFormat format, FILE *stream,
         DipkgStats **stats)
{
  if (format != DIPKG_FORMAT_RDFXML) {
    DipkgRunSpec spec = {
      .mode = DIPKG_RUN_STREAM, .format = format, .stream = stream};
    return dipkg_corpus_run(corpus, &spec, stats);
  }
  DipkgRdfxmlSink *x = dipkg_rdfxml_sink_new(stream, corpus->world->prefixes);
  if (!x) {
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_RDF, NULL,
                   (DipkgLoc){0, 0, 0}, "cannot start raptor's RDF/XML writer");
    dipkg_world_deliver(corpus->world, &list);
    return DIPKG_ERR_RDF;
  }
  DipkgRunSpec spec = {.mode = DIPKG_RUN_SINK,
                       .format = format,
                       .sink = dipkg_rdfxml_sink_base(x)};
  DipkgStatus st = dipkg_corpus_run(corpus, &spec, stats);
  if (!st)
    st = dipkg_rdfxml_sink_finish(x);
  dipkg_rdfxml_sink_free(x);
  return st;
}

DipkgStatus
dipkg_corpus_write(DipkgCorpus *corpus, DipkgFormat format, FILE *stream,
                   DipkgStats **stats)
{
  return write_to(corpus, format, stream, stats);
}

DipkgStatus
dipkg_corpus_export(DipkgCorpus *corpus, DipkgFormat format, const char *path,
                    DipkgStats **stats)
{
  if (stats)
    *stats = NULL;
  DipkgDiagList diags = {0};
  DipkgOutput out;
  DipkgStatus st = dipkg_output_open(&out, path, &diags);
  if (!st) {
    st = write_to(corpus, format, out.fp, stats);
    if (!st && ferror(out.fp))
      st = DIPKG_ERR_IO;
    if (st == DIPKG_ERR_IO && !diags.n)
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO,
                     path ? path : "<stdout>", (DipkgLoc){0, 0, 0},
                     "cannot write: %s", strerror(errno ? errno : EIO));
    if (!st)
      st = dipkg_output_commit(&out, &diags);
    else
      dipkg_output_abort(&out);
  }
  dipkg_world_deliver(corpus->world, &diags);
  return st;
}

DipkgStatus
dipkg_format_from_name(const char *name, DipkgFormat *format)
{
  static const struct {
    const char *name;
    DipkgFormat format;
  } names[] = {
    {"turtle", DIPKG_FORMAT_TURTLE},     {"ttl", DIPKG_FORMAT_TURTLE},
    {"ntriples", DIPKG_FORMAT_NTRIPLES}, {"nt", DIPKG_FORMAT_NTRIPLES},
    {"nquads", DIPKG_FORMAT_NQUADS},     {"nq", DIPKG_FORMAT_NQUADS},
    {"rdfxml", DIPKG_FORMAT_RDFXML},     {"xml", DIPKG_FORMAT_RDFXML},
    {"rdf", DIPKG_FORMAT_RDFXML}};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    if (!strcmp(name, names[i].name)) {
      *format = names[i].format;
      return DIPKG_SUCCESS;
    }
  }
  return DIPKG_ERR_USAGE;
}

const char *
dipkg_format_name(DipkgFormat format)
{
  switch (format) {
  case DIPKG_FORMAT_TURTLE:
    return "turtle";
  case DIPKG_FORMAT_NTRIPLES:
    return "ntriples";
  case DIPKG_FORMAT_NQUADS:
    return "nquads";
  case DIPKG_FORMAT_RDFXML:
    return "rdfxml";
  }
  return "?";
}
