#include "corpus.h"
#include "graph.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "facts.h"
#include "format.h"
#include "hash.h"
#include "index.h"
#include "input.h"
#include "limit.h"
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
#include <strings.h>
#include <sys/stat.h>

/* One input file.  A corpus holds one per file for the whole run, so it is
 * kept small (48 bytes, its name apart): what a file needs while it is
 * being worked on lives in the run's slots, what few files need (a
 * buffer's bytes, pass 1's diagnostics) lives beside the list. */
typedef struct FileEntry {
  const char *name;  // after its source's prefix (in Corpus.names)
  // What pass 1 read (files on disk), which pass 2 must read again: a file
  // changed in between would give a graph that matches neither version.
  uint64_t hash;
  int64_t mtime_ns;
  off_t size;
  ino_t ino;        // files on disk: with `dev`, to find a file given twice
  uint32_t source;  // Corpus.sources
  uint32_t dev;     // Corpus.devs
} FileEntry;

/* Where files come from: a directory a walk found files in (their names
 * follow its prefix, which is stored once), a file named on its own
 * (prefix ""), or a buffer (its bytes). */
typedef struct Source {
  char *prefix;  // "dir/" (owned)
  char *data;    // a buffer's bytes (owned; `size` long), NULL on disk
  size_t size;
  uint32_t root;  // the tree its files' `text:` must stay in
} Source;

/* What pass 1 leaves for pass 2 about a file beyond its entry: its
 * diagnostics, or that it could not be parsed.  Few files have either, so
 * these are kept apart, in input order. */
typedef struct Kept {
  size_t file;
  DipkgDiagList diags;
  bool unreadable;  // pass 1 could not parse it: pass 2 skips it
} Kept;

/* A directory tree given on the command line (the directory given, or the
 * directory of the file given): `text:` paths may not leave it. */
typedef struct Root {
  char *real;     // resolved, absolute
  char *display;  // as the user named it
} Root;

struct DipkgCorpusImpl {
  DipkgWorld *world;
  FileEntry *files;
  size_t n_files;
  size_t cap;
  DipkgArena *names;  // the files' names, packed
  Source *sources;
  size_t n_sources, sources_cap;
  dev_t *devs;  // the devices files are on (few: searched in order)
  size_t n_devs, devs_cap;
  // The files on disk as a set (entries: index into files + 1), to find a
  // file given twice while files are added; freed during a run, rebuilt
  // (up to `seen_upto`) if more are added.
  DipkgHashSet seen;
  size_t seen_upto;
  Kept *kept;  // during a run
  size_t n_kept, kept_cap;
  DipkgBuf scratch;  // a path built for dipkg_corpus_is_input()
  Root *roots;       // one per dipkg_corpus_add_path()/add_buffer() call
  size_t n_roots, roots_cap;
};

/* ------------------------------------------------------------ files */

/* Frees what pass 1 kept for pass 2. */
static void
drop_kept(DipkgCorpus *c)
{
  for (size_t i = 0; i < c->n_kept; i++)
    dipkg_diag_list_clear(&c->kept[i].diags);
  dipkg_free(c->kept);
  c->kept = NULL;
  c->n_kept = c->kept_cap = 0;
}

DipkgCorpus *
dipkg_corpus_new(DipkgWorld *world)
{
  DipkgCorpus *c = dipkg_calloc(1, sizeof *c);
  if (c && !(c->names = dipkg_arena_new())) {
    dipkg_free(c);
    return NULL;
  }
  if (c)
    c->world = world;
  return c;
}

void
dipkg_corpus_free(DipkgCorpus *c)
{
  if (!c)
    return;
  drop_kept(c);
  dipkg_free(c->files);
  dipkg_arena_free(c->names);
  for (size_t i = 0; i < c->n_sources; i++) {
    dipkg_free(c->sources[i].prefix);
    dipkg_free(c->sources[i].data);
  }
  dipkg_free(c->sources);
  dipkg_free(c->devs);
  dipkg_hashset_free(&c->seen);
  dipkg_buf_free(&c->scratch);
  for (size_t i = 0; i < c->n_roots; i++) {
    free(c->roots[i].real);  // from realpath(): malloc()
    dipkg_free(c->roots[i].display);
  }
  dipkg_free(c->roots);
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

/* Bytes the list of files occupies: entries, names, sources (with their
 * prefixes, not a buffer's bytes) and devices. */
static size_t
file_list_footprint(const DipkgCorpus *c)
{
  size_t n = c->cap * sizeof *c->files + dipkg_arena_footprint(c->names) +
             c->sources_cap * sizeof *c->sources +
             c->devs_cap * sizeof *c->devs;
  for (size_t i = 0; i < c->n_sources; i++)
    n += strlen(c->sources[i].prefix) + 1;
  return n;
}

/* The path of file `i` as the user named it (prefix and name), in `a`;
 * NULL when out of memory. */
static char *
path_in(const DipkgCorpus *c, size_t i, DipkgArena *a)
{
  const FileEntry *fe = &c->files[i];
  const char *prefix = c->sources[fe->source].prefix;
  size_t pl = strlen(prefix), nl = strlen(fe->name);
  char *p = dipkg_arena_alloc(a, pl + nl + 1);
  if (p)
    snprintf(p, pl + nl + 1, "%s%s", prefix, fe->name);
  return p;
}

/* The same into `b` (borrowed until `b` changes); "?" when out of
 * memory, for a message. */
static const char *
path_into(const DipkgCorpus *c, size_t i, DipkgBuf *b)
{
  const FileEntry *fe = &c->files[i];
  dipkg_buf_clear(b);
  dipkg_buf_puts(b, c->sources[fe->source].prefix);
  dipkg_buf_puts(b, fe->name);
  dipkg_buf_putc(b, '\0');
  return b->oom ? "?" : b->data;
}

/* The bytes of file `i` when it was given in memory, else NULL. */
static const Source *
source_of(const DipkgCorpus *c, size_t i)
{
  return &c->sources[c->files[i].source];
}

/* A file's identity on disk (inode 0 is taken as 1, as some file systems
 * report 0 for every file). */
typedef struct FileId {
  dev_t dev;
  ino_t ino;
} FileId;

static uint64_t
file_id_hash(FileId id)
{
  return dipkg_hash_mix((uint64_t)id.ino * 0x9E3779B97F4A7C15u ^
                        (uint64_t)id.dev);
}

static FileId
id_of(const DipkgCorpus *c, uint64_t entry)
{
  const FileEntry *fe = &c->files[entry - 1];
  return (FileId){c->devs[fe->dev], fe->ino};
}

static uint64_t
id_hash(const void *user, uint64_t entry)
{
  return file_id_hash(id_of(user, entry));
}

static bool
id_is(const void *user, uint64_t entry, const void *key)
{
  FileId have = id_of(user, entry);
  const FileId *id = key;
  return have.ino == id->ino && have.dev == id->dev;
}

/* The slot of `id` in the set of files seen (built first up to the files
 * added: a run frees it); NULL when out of memory. */
static uint64_t *
seen_slot(DipkgCorpus *c, FileId id)
{
  for (; c->seen_upto < c->n_files; c->seen_upto++) {
    if (source_of(c, c->seen_upto)->data)
      continue;  // a buffer: not on disk
    if (!dipkg_hashset_reserve(&c->seen, id_hash, c))
      return NULL;
    FileId have = id_of(c, c->seen_upto + 1);
    uint64_t *slot =
      dipkg_hashset_find(&c->seen, file_id_hash(have), id_is, c, &have);
    dipkg_hashset_put(&c->seen, slot, c->seen_upto + 1);
  }
  if (!dipkg_hashset_reserve(&c->seen, id_hash, c))
    return NULL;
  return dipkg_hashset_find(&c->seen, file_id_hash(id), id_is, c, &id);
}

/* The index of device `dev` in the corpus's list, added if new;
 * DIPKG_ERR_NO_MEMORY when that fails. */
static DipkgStatus
dev_index(DipkgCorpus *c, dev_t dev, uint32_t *index)
{
  for (size_t i = 0; i < c->n_devs; i++)
    if (c->devs[i] == dev) {
      *index = (uint32_t)i;
      return DIPKG_SUCCESS;
    }
  if (c->n_devs >= UINT32_MAX || dipkg_grow((void **)&c->devs, &c->devs_cap,
                                            c->n_devs + 1, sizeof *c->devs))
    return DIPKG_ERR_NO_MEMORY;
  c->devs[c->n_devs] = dev;
  *index = (uint32_t)c->n_devs++;
  return DIPKG_SUCCESS;
}

/* Adds a source of files with `prefix` (copied) and `data` (taken: freed
 * here on failure) in the current root; its index in `*index`. */
static DipkgStatus
add_source(DipkgCorpus *c, const char *prefix, size_t len, char *data,
           size_t size, uint32_t *index)
{
  char *copy = dipkg_strndup(prefix, len);
  if (!copy || c->n_sources >= UINT32_MAX ||
      dipkg_grow((void **)&c->sources, &c->sources_cap, c->n_sources + 1,
                 sizeof *c->sources)) {
    dipkg_free(copy);
    dipkg_free(data);
    return DIPKG_ERR_NO_MEMORY;
  }
  c->sources[c->n_sources] =
    (Source){copy, data, size, (uint32_t)(c->n_roots - 1)};
  *index = (uint32_t)c->n_sources++;
  return DIPKG_SUCCESS;
}

/* Adds file `name` of source `source` (the name copied), unless it is on
 * disk (`sb` not NULL) and was added already. */
static DipkgStatus
add_entry(DipkgCorpus *c, uint32_t source, const char *name,
          const struct stat *sb)
{
  FileEntry fe = {.source = source};
  uint64_t *slot = NULL;
  if (sb) {
    FileId id = {sb->st_dev, sb->st_ino ? sb->st_ino : 1};
    slot = seen_slot(c, id);
    if (!slot || dev_index(c, id.dev, &fe.dev))
      return DIPKG_ERR_NO_MEMORY;
    if (*slot)
      return DIPKG_SUCCESS;  // given twice
    fe.ino = id.ino;
  }
  if (dipkg_grow((void **)&c->files, &c->cap, c->n_files + 1, sizeof *c->files))
    return DIPKG_ERR_NO_MEMORY;
  fe.name = dipkg_arena_strndup(c->names, name, strlen(name));
  if (!fe.name)
    return DIPKG_ERR_NO_MEMORY;
  c->files[c->n_files++] = fe;
  if (slot) {
    dipkg_hashset_put(&c->seen, slot, c->n_files);
    c->seen_upto = c->n_files;
  }
  return DIPKG_SUCCESS;
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

/* Adds the root the next files belong to: `dir` (`len` bytes of it; "."
 * when 0), resolved.  The files added after it refer to it.  `lenient`
 * (a buffer's name, which need not exist): a directory that does not
 * resolve stands for the current one. */
static DipkgStatus
add_root(DipkgCorpus *c, const char *dir, size_t len, bool lenient)
{
  if (dipkg_grow((void **)&c->roots, &c->roots_cap, c->n_roots + 1,
                 sizeof *c->roots))
    return DIPKG_ERR_NO_MEMORY;
  char *display = len ? dipkg_strndup(dir, len) : dipkg_strdup(".");
  if (!display)
    return DIPKG_ERR_NO_MEMORY;
  char *real = realpath(display, NULL);
  if (!real && lenient && errno != ENOMEM)
    real = realpath(".", NULL);
  if (!real) {
    int e = errno;
    report(c, e == ENOMEM ? DIPKG_ERR_NO_MEMORY : DIPKG_ERR_IO, display,
           "cannot resolve the directory", strerror(e));
    dipkg_free(display);
    return e == ENOMEM ? DIPKG_ERR_NO_MEMORY : DIPKG_ERR_IO;
  }
  c->roots[c->n_roots++] = (Root){real, display};
  return DIPKG_SUCCESS;
}

/* The length of the directory part of `path` ("a/b.yaml": 1; "/b": 1;
 * "b.yaml": 0). */
static size_t
dir_len(const char *path)
{
  const char *slash = strrchr(path, '/');
  return !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
}

/* Adds the file `path`, named on its own (its own source, prefix ""). */
static DipkgStatus
add_file(DipkgCorpus *c, const char *path, const struct stat *sb)
{
  uint32_t source;
  DipkgStatus st = add_source(c, "", 0, NULL, 0, &source);
  return st ? st : add_entry(c, source, path, sb);
}

DipkgStatus
dipkg_corpus_add_buffer(DipkgCorpus *c, const char *name, const void *data,
                        size_t len)
{
  if (len > DIPKG_LIMIT_FACTS_FILE) {
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_LIMIT, name,
                   (DipkgLoc){0, 0, 0},
                   "the file is too large (%zu bytes; the limit is %d)", len,
                   DIPKG_LIMIT_FACTS_FILE);
    dipkg_world_deliver(c->world, &list);
    return DIPKG_ERR_LIMIT;
  }
  char *bytes = dipkg_malloc(len + 1);
  if (!bytes)
    return DIPKG_ERR_NO_MEMORY;
  DipkgStatus st = add_root(c, name, dir_len(name), true);
  if (st) {
    dipkg_free(bytes);
    return st;
  }
  if (len)
    memcpy(bytes, data, len);
  bytes[len] = '\0';
  uint32_t source;
  st = add_source(c, "", 0, bytes, len, &source);
  return st ? st : add_entry(c, source, name, NULL);
}

DipkgStatus
dipkg_corpus_add_stream(DipkgCorpus *c, const char *name, FILE *stream)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  char chunk[65536];
  size_t n;
  while (!b.oom && b.len <= DIPKG_LIMIT_FACTS_FILE &&
         (n = fread(chunk, 1, sizeof chunk, stream)) > 0)
    dipkg_buf_append(&b, chunk, n);
  DipkgStatus st = DIPKG_SUCCESS;
  if (b.oom) {
    st = DIPKG_ERR_NO_MEMORY;
  } else if (ferror(stream)) {
    report(c, DIPKG_ERR_IO, name, "cannot read", strerror(errno ? errno : EIO));
    st = DIPKG_ERR_IO;
  } else {
    // Above the limit, add_buffer reports it.
    st = dipkg_corpus_add_buffer(c, name, b.data ? b.data : "", b.len);
  }
  dipkg_buf_free(&b);
  return st;
}

/* Whether a directory walk reads `name`: *.yaml, *.yml and *.json (JSON is
 * YAML: libyaml reads it), in any case (.YAML, as some tools write), each
 * also gzipped. */
static bool
is_facts_name(const char *name)
{
  static const char *const exts[] = {".yaml",    ".yml",    ".json",
                                     ".yaml.gz", ".yml.gz", ".json.gz"};
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
    size_t k = strlen(exts[i]);
    if (n > k && !strcasecmp(name + n - k, exts[i]))
      return true;
  }
  return false;
}

static int
compare_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the facts files below directory `dir`, sorted by name, recursively;
 * hidden entries and symbolic links to directories are skipped. */
static DipkgStatus
add_dir(DipkgCorpus *c, const char *dir, int depth)
{
  if (depth > DIPKG_LIMIT_DIR_DEPTH) {
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_LIMIT, dir,
                   (DipkgLoc){0, 0, 0},
                   "directories nest more than %d levels deep below the input "
                   "directory; dipkg reads no deeper",
                   DIPKG_LIMIT_DIR_DEPTH);
    dipkg_world_deliver(c->world, &list);
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
  uint32_t source = UINT32_MAX;  // none yet
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
      // The directory's prefix is stored once, for its first file.
      if (source == UINT32_MAX)
        st = add_source(c, full, dl + !slash, NULL, 0, &source);
      if (!st)
        st = add_entry(c, source, names[i], &sb);
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
  DipkgStatus st = add_root(
    c, path, S_ISDIR(sb.st_mode) ? strlen(path) : dir_len(path), false);
  if (st)
    return st;
  if (S_ISREG(sb.st_mode))
    return add_file(c, path, &sb);
  if (!S_ISDIR(sb.st_mode)) {  // a FIFO would block the run forever
    char why[64];
    snprintf(why, sizeof why, "it is %s, not a regular file",
             dipkg_file_kind(sb.st_mode));
    report(c, DIPKG_ERR_IO, path, "cannot read", why);
    return DIPKG_ERR_IO;
  }
  size_t before = c->n_files;
  st = add_dir(c, path, 0);
  if (!st && c->n_files == before) {
    report(c, DIPKG_ERR_USAGE, path,
           "the directory holds no facts files (*.yaml, *.yml or *.json)",
           NULL);
    return DIPKG_ERR_USAGE;
  }
  return st;
}

/* ------------------------------------------------------------- a run */

#ifdef DIPKG_FAULT_INJECTION
/* Test builds only (as the allocation-failure hook of memory.c): called
 * between the two passes of a run when set, so that a test can change a
 * facts file exactly there. */
void (*dipkg_fault_between_passes)(void);
#endif

typedef struct Slot {
  atomic_int done;
  DipkgArena *arena;
  const char *path;  // the file's, as the user named it (in `arena`)
  bool unreadable;   // pass 1: the file could not be parsed
  DipkgFacts facts;
  bool have_facts;
  bool have_bytes;  // the file was read: hash, size and mtime are set
  uint64_t hash;
  off_t size;
  struct timespec mtime;
  const char **canon;  // pass 1: canonical form of each entity
  size_t *canon_len;
  DipkgBuf out;         // pass 2, stream mode: the file's statements
  DipkgDiagList diags;  // the file's, while it is worked on
  uint64_t statements;
  DipkgStatus st;  // a failure other than bad data
} Slot;

typedef struct Run {
  DipkgCorpus *corpus;
  DipkgWorld *world;
  const DipkgRunSpec *spec;
  DipkgIndex *index;
  DipkgStats *stats;
  DipkgBuf name;  // the calling thread's: another file's path, for a message
  // A ring of n_slots slots: file i uses slots[i % n_slots].  Workers run
  // at most n_slots files ahead of the consuming thread, so the slots in
  // use are bounded by the threads, not by the corpus (one slot per file
  // kept to the end was most of an export's memory at 100k files).
  Slot *slots;
  size_t n_slots;
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

/* A modification time in nanoseconds, as a file entry keeps it. */
static int64_t
mtime_ns(const struct timespec *t)
{
  return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* The slot of file `i` (borrowed from the run). */
static Slot *
slot_of(Run *run, size_t i)
{
  return &run->slots[i % run->n_slots];
}

/* The worker threads a pass uses: the world's number, at most one a file
 * and at most DIPKG_LIMIT_JOBS (the world clamps; run_pass's array of
 * threads relies on it). */
static unsigned
run_jobs(const DipkgWorld *world, size_t n_files)
{
  unsigned jobs = dipkg_world_jobs(world);
  if (jobs > n_files)
    jobs = (unsigned)n_files;
  if (jobs > DIPKG_LIMIT_JOBS)
    jobs = DIPKG_LIMIT_JOBS;
  return jobs;
}

/* The slots a run needs: one when it runs in the calling thread, else the
 * window the workers may run ahead by (4 files a thread). */
static size_t
run_slots(unsigned jobs)
{
  return jobs <= 1 ? 1 : 4 * (size_t)jobs;
}

/* Starts work on file `i` in `slot`: its arena and its path.  False when
 * out of memory (the arena, if made, is the slot's to free). */
static bool
begin_file(Run *run, size_t i, Slot *slot)
{
  slot->arena = dipkg_arena_new();
  if (slot->arena)
    slot->path = path_in(run->corpus, i, slot->arena);
  return slot->path != NULL;
}

static DipkgStatus
read_facts(Run *run, size_t i, DipkgDiagList *diags, Slot *slot, bool *parsed)
{
  const Source *src = source_of(run->corpus, i);
  *parsed = false;
  char *data = src->data;
  size_t len = src->size;
  struct stat sb;
  DipkgStatus st =
    data ? DIPKG_SUCCESS
         : dipkg_input_read(slot->path, slot->path, DIPKG_LIMIT_FACTS_FILE,
                            slot->arena, diags, &data, &len, &sb);
  if (st == DIPKG_ERR_IO || st == DIPKG_ERR_LIMIT || st == DIPKG_ERR_DATA)
    return DIPKG_SUCCESS;  // reported as this file's error
  if (st)
    return st;
  if (!src->data) {
    slot->have_bytes = true;
    slot->hash = dipkg_hash_bytes(0, data, len);
    slot->size = sb.st_size;
    slot->mtime = sb.st_mtim;
  }
  DipkgYNode *root;
  st = dipkg_yaml_parse(data, len, slot->path, NULL, slot->arena, diags, &root);
  if (st == DIPKG_ERR_DATA || st == DIPKG_ERR_LIMIT)
    return DIPKG_SUCCESS;
  if (st)
    return st;
  *parsed = true;
  st = dipkg_facts_read(root, slot->path, run->world->ontology, slot->arena,
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
  Slot *slot = slot_of(run, i);
  FileEntry *fe = &run->corpus->files[i];
  bool parsed = false;
  slot->diags.strict = run->world->strict;
  slot->st = begin_file(run, i, slot)
               ? read_facts(run, i, &slot->diags, slot, &parsed)
               : DIPKG_ERR_NO_MEMORY;
  slot->unreadable = !parsed;
  fe->hash = slot->hash;
  fe->size = slot->size;
  fe->mtime_ns = mtime_ns(&slot->mtime);
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

/* The path of another file than the one being merged, for a message
 * (borrowed until the next call; calling thread only). */
static const char *
file_name(Run *run, uint32_t file)
{
  return path_into(run->corpus, file, &run->name);
}

/* Keeps `slot`'s diagnostics about file `i`, and whether it could be
 * parsed, for pass 2 (false when out of memory; nothing is kept then).
 * Called in input order, so the kept list stays sorted by file. */
static bool
keep_diags(DipkgCorpus *c, size_t i, Slot *slot)
{
  if (!slot->diags.n && !slot->diags.oom && !slot->unreadable)
    return true;
  if (dipkg_grow((void **)&c->kept, &c->kept_cap, c->n_kept + 1,
                 sizeof *c->kept)) {
    dipkg_diag_list_clear(&slot->diags);
    return false;
  }
  c->kept[c->n_kept++] = (Kept){i, slot->diags, slot->unreadable};
  slot->diags = (DipkgDiagList){0};
  return true;
}

/* What pass 1 kept about file `i`, or NULL. */
static Kept *
kept_of(const DipkgCorpus *c, size_t i)
{
  size_t lo = 0, hi = c->n_kept;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->kept[mid].file < i)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c->n_kept && c->kept[lo].file == i ? &c->kept[lo] : NULL;
}

/* Adds one id to the index; a clash becomes an error with a note at the
 * first definition. */
static DipkgStatus
index_id(Run *run, size_t i, DipkgIdKind kind, const DipkgIdInfo *info,
         const char *what)
{
  const DipkgIdInfo *first = NULL;
  const char *path = slot_of(run, i)->path;
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
    dipkg_diag_error(&slot_of(run, i)->diags, path, info->loc,
                     "entity %s is defined differently at %s:%u:%u (its '%s' "
                     "differs); define it once, or identically",
                     q, file_name(run, first->file), first->loc.line,
                     first->loc.col, field ? field : "?");
  } else {
    dipkg_diag_error(&slot_of(run, i)->diags, path, info->loc,
                     "%s id %s is already used at %s:%u:%u", what, q,
                     file_name(run, first->file), first->loc.line,
                     first->loc.col);
  }
  dipkg_diag_note(&slot_of(run, i)->diags, file_name(run, first->file),
                  first->loc, "%s %s is first defined here", what, q);
  return DIPKG_SUCCESS;
}

static DipkgStatus
pass1_merge(Run *run, size_t i)
{
  Slot *slot = slot_of(run, i);
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
  if (slot->diags.errors)
    atomic_store(&run->failed, true);
  if (!keep_diags(run->corpus, i, slot) && !st)
    st = DIPKG_ERR_NO_MEMORY;
  dipkg_arena_free(slot->arena);
  memset(slot, 0, sizeof *slot);
  return st;
}

/* Whether pass 2 read what pass 1 did: the same size, modification time
 * and content hash (the time catches a rewrite the hash misses; the hash
 * one within the time's granularity). */
static bool
same_as_pass1(const FileEntry *fe, const Slot *slot)
{
  return slot->have_bytes && slot->size == fe->size &&
         mtime_ns(&slot->mtime) == fe->mtime_ns && slot->hash == fe->hash;
}

static void
pass2_work(Run *run, size_t i)
{
  Slot *slot = slot_of(run, i);
  FileEntry *fe = &run->corpus->files[i];
  // Pass 1's diagnostics come first; this pass adds to them.  Each file's
  // entry is taken by the one thread working on that file.
  Kept *kept = kept_of(run->corpus, i);
  if (kept) {
    slot->diags = kept->diags;
    kept->diags = (DipkgDiagList){0};
  }
  slot->diags.strict = run->world->strict;
  if (!begin_file(run, i, slot)) {
    slot->st = DIPKG_ERR_NO_MEMORY;
    return;
  }
  if (kept && kept->unreadable)
    return;
  DipkgDiagList again = {0};  // pass 1 reported the reading problems
  bool parsed;
  slot->st = read_facts(run, i, &again, slot, &parsed);
  dipkg_diag_list_clear(&again);
  if (slot->st)
    return;
  if (!source_of(run->corpus, i)->data && !same_as_pass1(fe, slot)) {
    dipkg_diag_add(&slot->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_DATA,
                   slot->path, (DipkgLoc){0, 0, 0},
                   "the file changed while dipkg was reading it (%s differs "
                   "between the run's two passes); the run fails rather than "
                   "give a graph that matches neither version: run it again",
                   !slot->have_bytes        ? "whether it can be read"
                   : slot->size != fe->size ? "its size"
                   : slot->hash != fe->hash ? "its content"
                                            : "its modification time");
    atomic_store(&run->failed, true);
    return;
  }
  if (!slot->have_facts)
    return;
  DipkgFacts *f = &slot->facts;
  const Root *root = &run->corpus->roots[source_of(run->corpus, i)->root];
  DipkgStatus st = dipkg_facts_resolve(
    f, slot->path, run->world->allow_outside_text ? NULL : root->real,
    root->display, run->world->ontology, run->index, slot->arena, &slot->diags);
  if (st && st != DIPKG_ERR_DATA) {  // out of memory: not the data's fault
    slot->st = st;
    return;
  }
  if (st || slot->diags.errors) {
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
  dipkg_format_row(run->spec->format)
    ->writer_init(&w, run->spec->format, run->world->prefixes, &slot->out);
  slot->st = dipkg_map_facts(&cx, f, slot->arena, &w.base);
  slot->statements = w.base.n_statements;
  dipkg_writer_fini(&w);
}

static DipkgStatus
pass2_consume(Run *run, size_t i)
{
  Slot *slot = slot_of(run, i);
  DipkgStatus st = slot->st;
  if (!st && slot->have_facts) {
    const DipkgFacts *f = &slot->facts;
    for (size_t k = 0; k < f->n_events; k++)
      run->stats->counts[DIPKG_COUNT_QUOTES] += f->events[k].quotes.n;
  }
  bool failed = atomic_load(&run->failed) || slot->diags.errors;
  if (!st && !failed && run->spec->mode == DIPKG_RUN_CHECK) {
    run->stats->counts[DIPKG_COUNT_TRIPLES] += slot->statements;
  } else if (!st && !failed && run->spec->mode == DIPKG_RUN_STREAM) {
    if (slot->out.len && fwrite(slot->out.data, 1, slot->out.len,
                                run->spec->stream) != slot->out.len)
      st = DIPKG_ERR_IO;
    if (run->spec->written)
      *run->spec->written += slot->out.len;
    run->stats->counts[DIPKG_COUNT_TRIPLES] += slot->statements;
  } else if (!st && !failed && slot->have_facts &&
             run->spec->mode == DIPKG_RUN_SINK) {
    DipkgMapContext cx = {run->world, run->index, (uint32_t)i};
    uint64_t before = run->spec->sink->n_statements;
    st = dipkg_map_facts(&cx, &slot->facts, slot->arena, run->spec->sink);
    run->stats->counts[DIPKG_COUNT_TRIPLES] +=
      run->spec->sink->n_statements - before;
  }
  dipkg_diag_sort(&slot->diags, slot->path);
  run->stats->counts[DIPKG_COUNT_ERRORS] += slot->diags.errors;
  run->stats->counts[DIPKG_COUNT_WARNINGS] += slot->diags.warnings;
  dipkg_world_deliver(run->world, &slot->diags);
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
    atomic_store(&slot_of(run, i)->done, 1);
    pthread_cond_broadcast(&run->done_cv);
  }
  pthread_mutex_unlock(&run->mu);
  return NULL;
}

/* Runs `work` on every file with the world's number of threads, and
 * `consume` on each in input order in the calling thread, which reports
 * progress as `phase` after each.  Stops consuming (but lets the workers
 * finish) after a failure. */
static DipkgStatus
run_pass(Run *run, DipkgPhase phase, void (*work)(Run *, size_t),
         DipkgStatus (*consume)(Run *, size_t))
{
  size_t n = run->corpus->n_files;
  unsigned jobs = run_jobs(run->world, n);
  DipkgStatus st = DIPKG_SUCCESS;
  if (jobs <= 1) {
    for (size_t i = 0; i < n; i++) {
      work(run, i);
      DipkgStatus s = consume(run, i);
      if (s && !st)
        st = s;
      dipkg_world_progress(run->world, phase, i + 1, n);
    }
    return st;
  }
  run->work = work;
  run->next = 0;
  run->consumed = 0;
  run->window = run->n_slots;  // the ring holds that many files
  for (size_t i = 0; i < run->n_slots; i++)
    atomic_store(&run->slots[i].done, 0);
  pthread_t threads[DIPKG_LIMIT_JOBS];
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
      dipkg_world_progress(run->world, phase, i + 1, n);
    }
    return st;
  }
  for (size_t i = 0; i < n; i++) {
    pthread_mutex_lock(&run->mu);
    while (!atomic_load(&slot_of(run, i)->done))
      pthread_cond_wait(&run->done_cv, &run->mu);
    pthread_mutex_unlock(&run->mu);
    DipkgStatus s = consume(run, i);
    if (s && !st)
      st = s;
    dipkg_world_progress(run->world, phase, i + 1, n);
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
  // The list of files is complete: give back what its doubling reserved
  // (a third of it on average; kept as it is if that fails), and the set
  // of files seen, which only adding files needs.
  if (corpus->cap > corpus->n_files && corpus->n_files) {
    FileEntry *fit =
      dipkg_realloc(corpus->files, corpus->n_files * sizeof *corpus->files);
    if (fit) {
      corpus->files = fit;
      corpus->cap = corpus->n_files;
    }
  }
  dipkg_hashset_free(&corpus->seen);
  corpus->seen_upto = 0;
  drop_kept(corpus);  // a run that failed to start may have left some
  Run run = {.corpus = corpus, .world = world, .spec = spec};
  run.index = dipkg_index_new();
  run.stats = dipkg_stats_new();
  run.n_slots = run_slots(run_jobs(world, corpus->n_files));
  run.slots = dipkg_calloc(run.n_slots, sizeof *run.slots);
  if (!run.index || !run.stats || !run.slots) {
    st = DIPKG_ERR_NO_MEMORY;
    goto out;
  }
  pthread_mutex_init(&run.mu, NULL);
  pthread_cond_init(&run.work_cv, NULL);
  pthread_cond_init(&run.done_cv, NULL);
  atomic_init(&run.failed, false);
  st = run_pass(&run, DIPKG_PHASE_READ, pass1_work, pass1_merge);
  if (!st) {
    const DipkgFormatRow *row =
      spec->mode == DIPKG_RUN_STREAM ? dipkg_format_row(spec->format) : NULL;
    if (row && row->prologue && !atomic_load(&run.failed)) {
      DipkgBuf prologue = DIPKG_BUF_INIT;
      row->prologue(world->prefixes, &prologue);
      if (prologue.oom)
        st = DIPKG_ERR_NO_MEMORY;
      else if (fwrite(prologue.data, 1, prologue.len, spec->stream) !=
               prologue.len)
        st = DIPKG_ERR_IO;
      if (spec->written)
        *spec->written += prologue.len;
      dipkg_buf_free(&prologue);
    }
  }
#ifdef DIPKG_FAULT_INJECTION
  if (!st && dipkg_fault_between_passes)
    dipkg_fault_between_passes();
#endif
  if (!st)
    st = run_pass(&run, DIPKG_PHASE_MAP, pass2_work, pass2_consume);
  else  // deliver what pass 1 found even when the run cannot go on
    for (size_t i = 0; i < corpus->n_kept; i++)
      dipkg_world_deliver(world, &corpus->kept[i].diags);
  run.stats->counts[DIPKG_COUNT_ENTITIES] =
    dipkg_index_count(run.index, DIPKG_ID_ENTITY);
  run.stats->counts[DIPKG_COUNT_INDEX_BYTES] = dipkg_index_footprint(run.index);
  run.stats->counts[DIPKG_COUNT_FILE_LIST_BYTES] = file_list_footprint(corpus);
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
  for (size_t i = 0; run.slots && i < run.n_slots; i++) {
    dipkg_arena_free(run.slots[i].arena);
    dipkg_buf_free(&run.slots[i].out);
    dipkg_diag_list_clear(&run.slots[i].diags);
  }
  drop_kept(corpus);
  dipkg_buf_free(&run.name);
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

DipkgStatus
dipkg_corpus_graph(DipkgCorpus *corpus, DipkgGraph **out, DipkgStats **stats)
{
  *out = NULL;
  if (stats)
    *stats = NULL;
  DipkgGraph *g = dipkg_graph_new(corpus->world);
  if (!g)
    return DIPKG_ERR_NO_MEMORY;
  DipkgGraphSink sink;
  dipkg_graph_sink_init(&sink, g);
  DipkgRunSpec spec = {.mode = DIPKG_RUN_SINK, .sink = &sink.base};
  DipkgStatus st = dipkg_corpus_run(corpus, &spec, stats);
  return dipkg_graph_finish(g, st, out);
}

/* Writes the corpus into `stream`: a streaming format as it is made (the
 * bytes counted into `*written` when not NULL), any other through its
 * document writer, at the end. */
static DipkgStatus
write_to(DipkgCorpus *corpus, DipkgFormat format, FILE *stream,
         uint64_t *written, DipkgStats **stats)
{
  const DipkgFormatRow *row = dipkg_format_row(format);
  if (!row) {
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, NULL,
                   (DipkgLoc){0, 0, 0}, "dipkg cannot write %s yet",
                   dipkg_format_name(format));
    dipkg_world_deliver(corpus->world, &list);
    return DIPKG_ERR_USAGE;
  }
  if (!row->doc) {
    DipkgRunSpec spec = {.mode = DIPKG_RUN_STREAM,
                         .format = format,
                         .stream = stream,
                         .written = written};
    return dipkg_corpus_run(corpus, &spec, stats);
  }
  void *doc = row->doc->open(stream, corpus->world->prefixes);
  if (!doc) {  // what a writer's start can lack is memory
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, NULL,
                   (DipkgLoc){0, 0, 0}, "out of memory starting the %s writer",
                   row->desc.name);
    dipkg_world_deliver(corpus->world, &list);
    return DIPKG_ERR_NO_MEMORY;
  }
  DipkgRunSpec spec = {
    .mode = DIPKG_RUN_SINK, .format = format, .sink = row->doc->sink(doc)};
  DipkgStatus st = dipkg_corpus_run(corpus, &spec, stats);
  if (!st)
    st = row->doc->finish(doc);
  row->doc->free(doc);
  return st;
}

DipkgStatus
dipkg_corpus_write(DipkgCorpus *corpus, DipkgFormat format, FILE *stream,
                   DipkgStats **stats)
{
  return write_to(corpus, format, stream, NULL, stats);
}

/* Whether directory `dir` (an ontology directory: its *.ttl files are
 * read) holds the file `sb` under one of its names. */
static bool
dir_holds(const char *dir, const struct stat *sb)
{
  DIR *d = opendir(dir);
  if (!d)
    return false;
  bool found = false;
  size_t dl = strlen(dir);
  struct dirent *e;
  while (!found && (e = readdir(d))) {
    size_t size = dl + strlen(e->d_name) + 2;
    char *full = dipkg_malloc(size);
    if (!full)
      break;
    snprintf(full, size, "%s/%s", dir, e->d_name);
    struct stat in;
    found = e->d_name[0] != '.' && !stat(full, &in) &&
            in.st_dev == sb->st_dev && in.st_ino == sb->st_ino;
    dipkg_free(full);
  }
  closedir(d);
  return found;
}

/* Whether the file `sb` is one of the corpus's inputs (or the ontology);
 * `*name` receives the input's name (borrowed). */
static bool
is_input(DipkgCorpus *c, const struct stat *sb, const char **name)
{
  FileId id = {sb->st_dev, sb->st_ino ? sb->st_ino : 1};
  struct stat in;
  // The file added as that device and inode, if it still is that file;
  // else (it was replaced since) any input that now is.
  bool hit = false;
  for (int any = 0; any < 2; any++)
    for (size_t i = 0; i < c->n_files; i++) {
      if (source_of(c, i)->data)
        continue;
      FileId have = id_of(c, i + 1);
      bool same = have.ino == id.ino && have.dev == id.dev;
      hit = hit || same;
      if (!same && !(any && hit))
        continue;
      const char *path = path_into(c, i, &c->scratch);
      if (!stat(path, &in) && in.st_dev == sb->st_dev &&
          in.st_ino == sb->st_ino) {
        *name = path;
        return true;
      }
    }
  const char *onto = dipkg_world_ontology_path(c->world);
  if (onto && !stat(onto, &in) &&
      (S_ISDIR(in.st_mode)
         ? dir_holds(onto, sb)
         : in.st_dev == sb->st_dev && in.st_ino == sb->st_ino)) {
    *name = onto;
    return true;
  }
  return false;
}

bool
dipkg_corpus_is_input(DipkgCorpus *c, const char *path, const char **name)
{
  struct stat sb;
  return !stat(path, &sb) && S_ISREG(sb.st_mode) && is_input(c, &sb, name);
}

DipkgStatus
dipkg_corpus_export_to(DipkgCorpus *corpus, const char *path,
                       DipkgExportWrite write, void *user)
{
  DipkgDiagList diags = {0};
  DipkgStatus st = DIPKG_SUCCESS;
  // The output must not be one of the inputs, whatever the name (a link, a
  // hard link, another spelling): same device and inode.
  const char *input = NULL;
  if (path && dipkg_corpus_is_input(corpus, path, &input)) {
    dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, path,
                   (DipkgLoc){0, 0, 0},
                   "the output is also an input ('%s'): writing it would "
                   "destroy it; name another output file",
                   input);
    st = DIPKG_ERR_USAGE;
  }
  DipkgOutput out;
  if (!st)
    st = dipkg_output_open(&out, path, dipkg_output_flags_for(path), &diags);
  if (!st) {
    dipkg_world_deliver(corpus->world, &diags);  // notes on stale files
    errno = 0;
    uint64_t written = 0;
    st = write(user, out.fp, &written);
    int err = errno;
    if (!st && ferror(out.fp))
      st = DIPKG_ERR_IO;
    if (st == DIPKG_ERR_IO && !diags.n)
      dipkg_output_write_error(&out, &diags, err);
    if (!st) {
      st = dipkg_output_commit(&out, &diags);
    } else {
      if (!path && written)
        dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, st, NULL,
                       (DipkgLoc){0, 0, 0},
                       "the output on standard output is incomplete: the "
                       "export failed after writing %llu bytes",
                       (unsigned long long)written);
      dipkg_output_abort(&out);
    }
  }
  dipkg_world_deliver(corpus->world, &diags);
  return st;
}

/* What a plain export writes: the corpus in one format. */
typedef struct PlainExport {
  DipkgCorpus *corpus;
  DipkgFormat format;
  DipkgStats **stats;
} PlainExport;

static DipkgStatus
write_plain(void *user, FILE *stream, uint64_t *written)
{
  PlainExport *e = user;
  return write_to(e->corpus, e->format, stream, written, e->stats);
}

DipkgStatus
dipkg_corpus_export(DipkgCorpus *corpus, DipkgFormat format, const char *path,
                    DipkgStats **stats)
{
  if (stats)
    *stats = NULL;
  PlainExport e = {corpus, format, stats};
  return dipkg_corpus_export_to(corpus, path, write_plain, &e);
}
