/* Store backends: specs, the per-backend table, store metadata, checks on
 * open, and the load transaction of a store on disk (see backend.h and
 * docs/safety.md for the promises). */
#include "backend.h"

#include "buf.h"
#include "memory.h"
#include "temp.h"
#include "world.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

/* Name of the Redland hashes inside a bdb store directory. */
#define BDB_NAME "dipkg"
/* The metadata file of a bdb store, and its first line. */
#define BDB_META "dipkg-store.txt"
#define META_MAGIC "dipkg-store 1"
/* The marker of a working copy: the pid of the load that made it. */
#define PID_FILE "dipkg-load.pid"
/* Free space a load keeps on the disk of its working copy.  Berkeley DB
 * writes its dirty cache pages (up to a few MiB over the five databases)
 * when it closes, and retries for a long time (printing a line each
 * time) when a write fails: the load stops while that still fits. */
#define SPACE_RESERVE ((uint64_t)8 << 20)
/* How many statements between two looks at the free space. */
#define SPACE_EVERY 2048

/* The databases of a bdb store dipkg creates (contexts='yes',
 * index-predicates='yes'); stores made before p2so existed lack it. */
static const char *const bdb_indexes[] = {"sp2o", "po2s", "so2p", "p2so",
                                          "contexts"};

/* ----------------------------------------------------------- paths */

/* "A/B" (caller frees), or NULL. */
static char *
join(const char *dir, const char *name)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, dir);
  dipkg_buf_putc(&b, '/');
  dipkg_buf_puts(&b, name);
  return b.oom ? (dipkg_buf_free(&b), NULL) : dipkg_buf_take(&b);
}

/* The file of index `index` of a bdb store directory (caller frees). */
static char *
bdb_file(const char *dir, const char *index)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, "%s/" BDB_NAME "-%s.db", dir, index);
  return b.oom ? (dipkg_buf_free(&b), NULL) : dipkg_buf_take(&b);
}

static bool
exists_file(const char *path)
{
  struct stat sb;
  return path && !stat(path, &sb);
}

/* ------------------------------------------------------ the backends */

/* Single quotes are refused in paths by the spec parser: Redland's option
 * strings cannot carry them. */
static char *
memory_options(const DipkgStoreSpec *spec, const char *where, bool write,
               bool exists)
{
  (void)spec, (void)where, (void)write, (void)exists;
  return dipkg_strdup(
    "hash-type='memory',contexts='yes',index-predicates='yes'");
}

static char *
bdb_options(const DipkgStoreSpec *spec, const char *where, bool write,
            bool exists)
{
  (void)spec;
  // The predicate index (p2so) answers (?s p ?o) patterns, which Redland
  // otherwise answers by reading every statement; stores made before it
  // existed lack it.  Reads open the databases read-only (write='no'):
  // another user may read a store they cannot write, and a read never
  // creates a file.
  char *p2so = bdb_file(where, "p2so");
  bool predicates = !exists || exists_file(p2so);
  dipkg_free(p2so);
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, "hash-type='bdb',dir='%s',contexts='yes'%s%s%s", where,
                   exists ? "" : ",new='yes'",
                   predicates ? ",index-predicates='yes'" : "",
                   write ? "" : ",write='no'");
  return b.oom ? (dipkg_buf_free(&b), NULL) : dipkg_buf_take(&b);
}

static char *
sqlite_options(const DipkgStoreSpec *spec, const char *where, bool write,
               bool exists)
{
  (void)spec, (void)where, (void)write;
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, "synchronous='normal'%s", exists ? "" : ",new='yes'");
  return b.oom ? (dipkg_buf_free(&b), NULL) : dipkg_buf_take(&b);
}

static char *
other_options(const DipkgStoreSpec *spec, const char *where, bool write,
              bool exists)
{
  (void)where, (void)write, (void)exists;
  return dipkg_strdup(spec->options);
}

typedef enum Place {
  PLACE_ABSENT,   // nothing: a new store
  PLACE_EMPTY,    // an empty directory (bdb) or empty file (sqlite)
  PLACE_STORE,    // a dipkg store of this kind
  PLACE_FOREIGN,  // anything else: refused (`what` says what)
  PLACE_ERROR     // cannot tell (`what` says why)
} Place;

/* What a backend on disk does with its path (the functions follow). */
struct DipkgDiskOps {
  bool directory;  // a directory of files (else one file)
  /// Whether a store is at `where`.
  bool (*exists)(const char *where);
  /// What is at `path` (`what` says it when refused).
  Place (*inspect)(const char *path, DipkgBuf *what);
  /// Its metadata (`*found` false: none recorded).
  DipkgStatus (*meta_read)(const char *where, DipkgStoreMeta *meta, bool *found,
                           DipkgDiagList *diags);
  DipkgStatus (*meta_write)(const char *where, const DipkgStoreMeta *meta,
                            DipkgDiagList *diags);
  /// Checks the store against its metadata (NULL: it has none) before a
  /// read.
  DipkgStatus (*verify)(const char *where, const DipkgStoreMeta *meta,
                        DipkgDiagList *diags);
};

static bool bdb_exists(const char *where);
static bool sqlite_exists(const char *where);
static Place inspect_bdb(const char *path, DipkgBuf *what);
static Place inspect_sqlite(const char *path, DipkgBuf *what);
static DipkgStatus bdb_meta_read(const char *dir, DipkgStoreMeta *meta,
                                 bool *found, DipkgDiagList *diags);
static DipkgStatus sqlite_meta_read(const char *path, DipkgStoreMeta *meta,
                                    bool *found, DipkgDiagList *diags);
static DipkgStatus bdb_meta_write(const char *dir, const DipkgStoreMeta *meta,
                                  DipkgDiagList *diags);
static DipkgStatus sqlite_meta_write(const char *path,
                                     const DipkgStoreMeta *meta,
                                     DipkgDiagList *diags);
static DipkgStatus bdb_verify(const char *dir, const DipkgStoreMeta *meta,
                              DipkgDiagList *diags);
static DipkgStatus sqlite_verify(const char *path, const DipkgStoreMeta *meta,
                                 DipkgDiagList *diags);
static DipkgStatus sqlite_prepare(const char *path, DipkgDiagList *diags);

static const DipkgDiskOps bdb_disk = {
  true, bdb_exists, inspect_bdb, bdb_meta_read, bdb_meta_write, bdb_verify};
static const DipkgDiskOps sqlite_disk = {false,
                                         sqlite_exists,
                                         inspect_sqlite,
                                         sqlite_meta_read,
                                         sqlite_meta_write,
                                         sqlite_verify};

/* The backends.  A new one (a remote endpoint, Virtuoso) is a row here:
 * its Redland storage, its options, and, for a store on disk, its
 * DipkgDiskOps. */
static const DipkgBackend backends[] = {
  {"memory", DIPKG_STORE_MEMORY, "hashes", "memory", NULL, false, true, true,
   false, memory_options, NULL},
  {"bdb", DIPKG_STORE_BDB, "hashes", BDB_NAME, &bdb_disk, true, true, false,
   false, bdb_options, NULL},
  {"sqlite", DIPKG_STORE_SQLITE, "sqlite", NULL, &sqlite_disk, true, false,
   false, false, sqlite_options, sqlite_prepare},
  {NULL, DIPKG_STORE_OTHER, NULL, NULL, NULL, true, false, true, true,
   other_options, NULL},
};

/* ------------------------------------------------------------ specs */

DipkgStatus
dipkg_store_spec_parse(const char *text, DipkgStoreSpec *spec,
                       DipkgDiagList *diags)
{
  memset(spec, 0, sizeof *spec);
  const char *colon = strchr(text, ':');
  DipkgLoc none = {0, 0, 0};
  if (!colon || colon == text) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, NULL, none,
                   "invalid store %s: expected memory:, bdb:DIR, sqlite:PATH "
                   "or a Redland storage as TYPE:OPTIONS",
                   dipkg_diag_q(0, text, strlen(text)));
    return DIPKG_ERR_USAGE;
  }
  size_t tl = (size_t)(colon - text);
  const char *rest = colon + 1;
  const DipkgBackend *be = &backends[sizeof backends / sizeof *backends - 1];
  for (size_t i = 0; backends[i].scheme; i++)
    if (strlen(backends[i].scheme) == tl &&
        !strncmp(text, backends[i].scheme, tl))
      be = &backends[i];
  spec->backend = be;
  spec->kind = be->kind;
  spec->text = dipkg_strdup(text);
  spec->type =
    be->redland_type ? dipkg_strdup(be->redland_type) : dipkg_strndup(text, tl);
  if (be->disk) {
    spec->location = dipkg_strdup(rest);
  } else if (be->pass_through) {
    spec->options = dipkg_strdup(rest);
    // The storage's name: the name='...' option, else "dipkg".
    const char *name = strstr(rest, "name='");
    if (name) {
      const char *end = strchr(name + 6, '\'');
      spec->location = end ? dipkg_strndup(name + 6, (size_t)(end - name - 6))
                           : dipkg_strdup(name + 6);
    } else {
      spec->location = dipkg_strdup(BDB_NAME);
    }
  }
  if (!spec->text || !spec->type || (be->disk && !spec->location) ||
      (be->pass_through && (!spec->options || !spec->location))) {
    dipkg_store_spec_fini(spec);
    return DIPKG_ERR_NO_MEMORY;
  }
  const char *problem = NULL;
  if (be->disk && !*spec->location)
    problem = be->disk->directory ? "bdb needs a directory after the colon"
                                  : "sqlite needs a file name after the colon";
  else if (be->disk && strchr(spec->location, '\''))
    problem = "the path cannot contain a quote (') (Redland's option "
              "strings cannot carry one)";
  else if (!be->disk && !be->pass_through && *rest)
    problem = "memory: takes nothing after the colon (for a store on disk, "
              "use bdb:DIR or sqlite:PATH)";
  if (problem) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, NULL, none,
                   "invalid store %s: %s", dipkg_diag_q(0, text, strlen(text)),
                   problem);
    dipkg_store_spec_fini(spec);
    return DIPKG_ERR_USAGE;
  }
  return DIPKG_SUCCESS;
}

void
dipkg_store_spec_fini(DipkgStoreSpec *spec)
{
  dipkg_free(spec->type);
  dipkg_free(spec->location);
  dipkg_free(spec->options);
  dipkg_free(spec->text);
  memset(spec, 0, sizeof *spec);
}

bool
dipkg_store_spec_copy(DipkgStoreSpec *to, const DipkgStoreSpec *from)
{
  *to = (DipkgStoreSpec){from->kind, NULL, NULL, NULL, NULL, from->backend};
  to->type = dipkg_strdup(from->type);
  to->text = dipkg_strdup(from->text);
  to->location = from->location ? dipkg_strdup(from->location) : NULL;
  to->options = from->options ? dipkg_strdup(from->options) : NULL;
  return to->type && to->text && (!from->location || to->location) &&
         (!from->options || to->options);
}

bool
dipkg_store_spec_exists(const DipkgStoreSpec *spec, const char *where)
{
  const DipkgDiskOps *disk = spec->backend->disk;
  return !disk || disk->exists(where ? where : spec->location);
}

static bool
sqlite_exists(const char *where)
{
  struct stat sb;
  return !stat(where, &sb) && S_ISREG(sb.st_mode) && sb.st_size > 0;
}

static bool
bdb_exists(const char *where)
{
  char *marker = bdb_file(where, "sp2o");
  bool exists = exists_file(marker);
  dipkg_free(marker);
  return exists;
}

/* ------------------------------------------------- what is at a path */

static const char *
file_kind(mode_t mode)
{
  return S_ISREG(mode)    ? "a regular file"
         : S_ISDIR(mode)  ? "a directory"
         : S_ISLNK(mode)  ? "a symbolic link"
         : S_ISFIFO(mode) ? "a FIFO"
         : S_ISSOCK(mode) ? "a socket"
                          : "a device";
}

static Place
inspect_bdb(const char *path, DipkgBuf *what)
{
  struct stat sb;
  if (stat(path, &sb))
    return errno == ENOENT
             ? PLACE_ABSENT
             : (dipkg_buf_puts(what, strerror(errno)), PLACE_ERROR);
  if (!S_ISDIR(sb.st_mode)) {
    dipkg_buf_printf(what,
                     "%s is %s, not a dipkg store (bdb: names a directory)",
                     path, file_kind(sb.st_mode));
    return PLACE_FOREIGN;
  }
  DIR *d = opendir(path);
  if (!d) {
    dipkg_buf_printf(what, "%s: %s", path, strerror(errno));
    return PLACE_ERROR;
  }
  size_t n = 0;
  bool marker = false;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    n++;
    marker = marker || !strcmp(e->d_name, BDB_NAME "-sp2o.db") ||
             !strcmp(e->d_name, BDB_META);
  }
  closedir(d);
  if (!n)
    return PLACE_EMPTY;
  if (marker)
    return PLACE_STORE;
  dipkg_buf_printf(what,
                   "%s is a directory holding %zu file%s that %s not a dipkg "
                   "store",
                   path, n, n == 1 ? "" : "s", n == 1 ? "is" : "are");
  return PLACE_FOREIGN;
}

/* Whether the SQLite database at `path` has Redland's tables; -1 if it
 * is not an SQLite database at all. */
static int
sqlite_has_redland_tables(const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  int n = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db,
                         "SELECT COUNT(*) FROM sqlite_master WHERE type = "
                         "'table' AND name IN ('triples', 'literals', "
                         "'uris', 'blanks')",
                         -1, &q, NULL) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    n = sqlite3_column_int(q, 0) == 4;
  sqlite3_finalize(q);
  sqlite3_close(db);
  return n;
}

static Place
inspect_sqlite(const char *path, DipkgBuf *what)
{
  struct stat sb;
  if (stat(path, &sb))
    return errno == ENOENT
             ? PLACE_ABSENT
             : (dipkg_buf_puts(what, strerror(errno)), PLACE_ERROR);
  if (!S_ISREG(sb.st_mode)) {
    dipkg_buf_printf(what, "%s is %s, not a dipkg sqlite store", path,
                     file_kind(sb.st_mode));
    return PLACE_FOREIGN;
  }
  if (sb.st_size == 0)
    return PLACE_EMPTY;
  int has = sqlite_has_redland_tables(path);
  if (has > 0)
    return PLACE_STORE;
  dipkg_buf_printf(what, "%s is not a dipkg sqlite store (%s)", path,
                   has < 0 ? "not an SQLite database"
                           : "an SQLite database without Redland's tables");
  return PLACE_FOREIGN;
}

/* ---------------------------------------------------------- metadata */

void
dipkg_store_meta_fini(DipkgStoreMeta *meta)
{
  dipkg_free(meta->base);
  dipkg_free(meta->version);
  dipkg_free(meta->ontology);
  dipkg_free(meta->files);
  memset(meta, 0, sizeof *meta);
}

/* Sets the field of `key` from `value` (copied). */
static bool
meta_set(DipkgStoreMeta *meta, const char *key, const char *value, size_t len)
{
  char **field = !strcmp(key, "base")       ? &meta->base
                 : !strcmp(key, "version")  ? &meta->version
                 : !strcmp(key, "ontology") ? &meta->ontology
                                            : NULL;
  if (!strcmp(key, "statements")) {
    char *end = NULL;
    char *copy = dipkg_strndup(value, len);
    if (!copy)
      return false;
    meta->statements = strtoull(copy, &end, 10);
    meta->has_statements = end && end != copy && !*end;
    dipkg_free(copy);
    return true;
  }
  if (!strcmp(key, "file")) {
    DipkgBuf b = DIPKG_BUF_INIT;
    if (meta->files)
      dipkg_buf_puts(&b, meta->files);
    dipkg_buf_append(&b, value, len);
    dipkg_buf_putc(&b, '\n');
    if (b.oom) {
      dipkg_buf_free(&b);
      return false;
    }
    dipkg_free(meta->files);
    meta->files = dipkg_buf_take(&b);
    return meta->files != NULL;
  }
  if (!field)
    return true;  // a later version's key
  dipkg_free(*field);
  *field = dipkg_strndup(value, len);
  return *field != NULL;
}

/* The metadata file of a bdb store: "KEY VALUE" lines. */
static DipkgStatus
bdb_meta_read(const char *dir, DipkgStoreMeta *meta, bool *found,
              DipkgDiagList *diags)
{
  char *path = join(dir, BDB_META);
  if (!path)
    return DIPKG_ERR_NO_MEMORY;
  FILE *f = fopen(path, "r");
  DipkgStatus st = DIPKG_SUCCESS;
  if (!f) {
    if (errno != ENOENT)
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, path,
                     (DipkgLoc){0, 0, 0},
                     "cannot read the store's metadata: %s", strerror(errno));
    dipkg_free(path);
    return errno == ENOENT ? DIPKG_SUCCESS : DIPKG_ERR_STORE;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  bool first = true;
  while (!st && (n = getline(&line, &cap, f)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if (first && strcmp(line, META_MAGIC)) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, path,
                     (DipkgLoc){1, 1, 0},
                     "the store is damaged: its metadata file does not begin "
                     "with '" META_MAGIC "'");
      st = DIPKG_ERR_STORE;
    }
    first = false;
    char *space = strchr(line, ' ');
    if (!st && space) {
      *space = '\0';
      if (!meta_set(meta, line, space + 1, strlen(space + 1)))
        st = DIPKG_ERR_NO_MEMORY;
    }
  }
  free(line);
  fclose(f);
  dipkg_free(path);
  *found = !st;
  return st;
}

static DipkgStatus
bdb_meta_write(const char *dir, const DipkgStoreMeta *meta,
               DipkgDiagList *diags)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, META_MAGIC "\n");
  if (meta->version)
    dipkg_buf_printf(&b, "version %s\n", meta->version);
  if (meta->ontology)
    dipkg_buf_printf(&b, "ontology %s\n", meta->ontology);
  if (meta->base)
    dipkg_buf_printf(&b, "base %s\n", meta->base);
  dipkg_buf_printf(&b, "statements %llu\n",
                   (unsigned long long)meta->statements);
  // The size of each database, as closed: a truncated or missing one is
  // found before a query reads it.
  for (size_t i = 0; i < sizeof bdb_indexes / sizeof *bdb_indexes; i++) {
    char *file = bdb_file(dir, bdb_indexes[i]);
    struct stat sb;
    if (file && !stat(file, &sb))
      dipkg_buf_printf(&b, "file " BDB_NAME "-%s.db %lld\n", bdb_indexes[i],
                       (long long)sb.st_size);
    dipkg_free(file);
  }
  char *path = join(dir, BDB_META);
  if (b.oom || !path) {
    dipkg_buf_free(&b);
    dipkg_free(path);
    return DIPKG_ERR_NO_MEMORY;
  }
  FILE *f = fopen(path, "w");
  bool ok = f && fwrite(b.data, 1, b.len, f) == b.len && !fflush(f) &&
            !fsync(fileno(f));
  int err = errno;
  if (f && fclose(f))
    ok = false, err = errno;
  if (!ok)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, path,
                   (DipkgLoc){0, 0, 0}, "cannot write the store's metadata: %s",
                   strerror(err));
  dipkg_buf_free(&b);
  dipkg_free(path);
  return ok ? DIPKG_SUCCESS : DIPKG_ERR_IO;
}

/* The metadata of a sqlite store: a table dipkg_meta (key, value) beside
 * Redland's. */
static DipkgStatus
sqlite_meta_read(const char *path, DipkgStoreMeta *meta, bool *found,
                 DipkgDiagList *diags)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  DipkgStatus st = DIPKG_SUCCESS;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK) {
    rc =
      sqlite3_prepare_v2(db, "SELECT key, value FROM dipkg_meta", -1, &q, NULL);
    if (rc != SQLITE_OK) {  // no table: a store made before dipkg kept one
      sqlite3_finalize(q);
      sqlite3_close(db);
      return DIPKG_SUCCESS;
    }
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
      const char *k = (const char *)sqlite3_column_text(q, 0);
      const char *v = (const char *)sqlite3_column_text(q, 1);
      if (k && v && !meta_set(meta, k, v, strlen(v)))
        st = DIPKG_ERR_NO_MEMORY;
    }
    if (!st && rc == SQLITE_DONE)
      *found = true;
  }
  if (!st && rc != SQLITE_DONE) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, path,
                   (DipkgLoc){0, 0, 0}, "cannot read the store's metadata: %s",
                   db ? sqlite3_errmsg(db) : "cannot open it");
    st = DIPKG_ERR_STORE;
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  return st;
}

/* Adds the indexes Redland's sqlite schema lacks: without them every
 * literal and blank node lookup scans its table, and a load is quadratic.
 * The triples indexes serve both the duplicate check Redland makes before
 * each insert (subject, predicate, object and graph known: dipkg_spo has
 * three of them, so SQLite prefers it to dipkg_object, which would scan
 * every instance of a class for each `rdf:type` statement) and the
 * patterns of queries (by object, by literal, by graph).  Idempotent. */
static const char sqlite_indexes[] =
  "CREATE INDEX IF NOT EXISTS dipkg_literal ON literals (text, language, "
  "datatype);"
  "CREATE INDEX IF NOT EXISTS dipkg_blank ON blanks (blank);"
  "CREATE INDEX IF NOT EXISTS dipkg_spo ON triples (subjectUri, "
  "predicateUri, objectUri);"
  "CREATE INDEX IF NOT EXISTS dipkg_blank_subject ON triples (subjectBlank, "
  "predicateUri);"
  "CREATE INDEX IF NOT EXISTS dipkg_context ON triples (contextUri);"
  "CREATE INDEX IF NOT EXISTS dipkg_object ON triples (objectUri, "
  "predicateUri);"
  "CREATE INDEX IF NOT EXISTS dipkg_literal_object ON triples "
  "(objectLiteral, predicateUri);";

static DipkgStatus
sqlite_prepare(const char *path, DipkgDiagList *diags)
{
  sqlite3 *db = NULL;
  char *err = NULL;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db, sqlite_indexes, NULL, NULL, &err);
  if (rc != SQLITE_OK)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, path,
                   (DipkgLoc){0, 0, 0}, "cannot index the sqlite store: %s",
                   err  ? err
                   : db ? sqlite3_errmsg(db)
                        : "cannot open it");
  sqlite3_free(err);
  sqlite3_close(db);
  return rc == SQLITE_OK ? DIPKG_SUCCESS : DIPKG_ERR_STORE;
}

static DipkgStatus
sqlite_meta_write(const char *path, const DipkgStoreMeta *meta,
                  DipkgDiagList *diags)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *ins = NULL, *count = NULL;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db,
                      "BEGIN; DROP TABLE IF EXISTS dipkg_meta; CREATE TABLE "
                      "dipkg_meta (key TEXT PRIMARY KEY, value TEXT);",
                      NULL, NULL, NULL);
  long long statements = 0;
  if (rc == SQLITE_OK)
    rc =
      sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM triples", -1, &count, NULL);
  if (rc == SQLITE_OK && sqlite3_step(count) == SQLITE_ROW)
    statements = sqlite3_column_int64(count, 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(db, "INSERT INTO dipkg_meta VALUES (?, ?)", -1,
                            &ins, NULL);
  char number[32];
  snprintf(number, sizeof number, "%lld", statements);
  const char *rows[][2] = {{"version", meta->version},
                           {"ontology", meta->ontology},
                           {"base", meta->base},
                           {"statements", number}};
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof rows / sizeof *rows; i++) {
    if (!rows[i][1])
      continue;
    sqlite3_reset(ins);
    sqlite3_bind_text(ins, 1, rows[i][0], -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, rows[i][1], -1, SQLITE_STATIC);
    rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
  }
  sqlite3_finalize(ins);
  sqlite3_finalize(count);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, path,
                   (DipkgLoc){0, 0, 0}, "cannot write the store's metadata: %s",
                   db ? sqlite3_errmsg(db) : "cannot open it");
  sqlite3_close(db);
  return rc == SQLITE_OK ? DIPKG_SUCCESS : DIPKG_ERR_IO;
}

DipkgStatus
dipkg_store_meta_read(const DipkgStoreSpec *spec, DipkgStoreMeta *meta,
                      bool *found, DipkgDiagList *diags)
{
  memset(meta, 0, sizeof *meta);
  *found = false;
  if (!dipkg_store_spec_exists(spec, NULL))
    return DIPKG_SUCCESS;
  const DipkgDiskOps *disk = spec->backend->disk;
  DipkgStatus st =
    disk ? disk->meta_read(spec->location, meta, found, diags) : DIPKG_SUCCESS;
  if (st)
    dipkg_store_meta_fini(meta);
  return st;
}

/* "the store is damaged: WHAT ..." (`what` freed here). */
static DipkgStatus
damaged(DipkgDiagList *diags, const char *where, DipkgBuf *what)
{
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, where,
                 (DipkgLoc){0, 0, 0},
                 "the store is damaged: %s (restore it from a backup, or load "
                 "its inputs again into a new store)",
                 what->oom ? "?" : dipkg_buf_cstr(what));
  dipkg_buf_free(what);
  return DIPKG_ERR_STORE;
}

/* Every database the metadata names, at its recorded size. */
static DipkgStatus
bdb_verify(const char *dir, const DipkgStoreMeta *meta, DipkgDiagList *diags)
{
  DipkgStatus st = DIPKG_SUCCESS;
  // A store from before dipkg kept metadata: the databases every bdb store
  // has (p2so came later).
  for (size_t i = 0;
       !meta && !st && i < sizeof bdb_indexes / sizeof *bdb_indexes; i++) {
    char *file = bdb_file(dir, bdb_indexes[i]);
    if (!file) {
      st = DIPKG_ERR_NO_MEMORY;
    } else if (strcmp(bdb_indexes[i], "p2so") && !exists_file(file)) {
      DipkgBuf what = DIPKG_BUF_INIT;
      dipkg_buf_printf(&what, BDB_NAME "-%s.db is missing", bdb_indexes[i]);
      st = damaged(diags, dir, &what);
    }
    dipkg_free(file);
  }
  if (!meta)
    return st;
  for (const char *line = meta->files; !st && line && *line;) {
    const char *end = strchr(line, '\n');
    char name[64];
    long long size = -1;
    if (sscanf(line, "%63s %lld", name, &size) == 2) {
      char *file = join(dir, name);
      struct stat sb;
      DipkgBuf what = DIPKG_BUF_INIT;
      if (!file) {
        st = DIPKG_ERR_NO_MEMORY;
      } else if (stat(file, &sb)) {
        dipkg_buf_printf(&what, "%s is missing", name);
        st = damaged(diags, dir, &what);
      } else if ((long long)sb.st_size != size) {
        dipkg_buf_printf(&what,
                         "%s has %lld bytes where the last load left %lld",
                         name, (long long)sb.st_size, size);
        st = damaged(diags, dir, &what);
      }
      dipkg_free(file);
    }
    line = end ? end + 1 : line + strlen(line);
  }
  return st;
}

/* The statement count the metadata records. */
static DipkgStatus
sqlite_verify(const char *path, const DipkgStoreMeta *meta,
              DipkgDiagList *diags)
{
  if (!meta || !meta->has_statements)
    return DIPKG_SUCCESS;
  sqlite3 *db = NULL;
  sqlite3_stmt *q = NULL;
  long long n = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM triples", -1, &q, NULL) ==
        SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  if (n == (long long)meta->statements)
    return DIPKG_SUCCESS;
  DipkgBuf what = DIPKG_BUF_INIT;
  dipkg_buf_printf(&what,
                   "it holds %lld statements where the last load left %llu", n,
                   (unsigned long long)meta->statements);
  return damaged(diags, path, &what);
}

DipkgStatus
dipkg_store_verify(const DipkgStoreSpec *spec, DipkgDiagList *diags)
{
  const DipkgDiskOps *disk = spec->backend->disk;
  if (!disk)
    return DIPKG_SUCCESS;
  DipkgStoreMeta meta;
  bool found = false;
  DipkgStatus st = dipkg_store_meta_read(spec, &meta, &found, diags);
  if (!st)
    st = disk->verify(spec->location, found ? &meta : NULL, diags);
  dipkg_store_meta_fini(&meta);
  return st;
}

/* -------------------------------------------------------- copying */

/* Copies the file `from` to `to` (created, with `mode`), flushed to disk. */
static int
copy_file(const char *from, const char *to, mode_t mode)
{
  int in = open(from, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return -1;
  int outfd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
  if (outfd < 0) {
    int e = errno;
    close(in);
    errno = e;
    return -1;
  }
  static _Thread_local char chunk[1 << 16];
  ssize_t n;
  int rc = 0;
  while (!rc && (n = read(in, chunk, sizeof chunk)) != 0) {
    if (n < 0) {
      if (errno != EINTR)
        rc = -1;
      continue;
    }
    for (ssize_t done = 0; !rc && done < n;) {
      ssize_t w = write(outfd, chunk + done, (size_t)(n - done));
      if (w < 0 && errno != EINTR)
        rc = -1;
      else if (w > 0)
        done += w;
    }
  }
  if (!rc && fsync(outfd))
    rc = -1;
  int e = errno;
  close(in);
  if (close(outfd) && !rc)
    rc = -1, e = errno;
  errno = e;
  return rc;
}

/* Copies the regular files of directory `from` into `to` (flat: a bdb
 * store directory holds only its database files). */
static DipkgStatus
copy_dir(const char *from, const char *to, DipkgDiagList *diags)
{
  DIR *d = opendir(from);
  if (!d) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, from,
                   (DipkgLoc){0, 0, 0}, "cannot read the store: %s",
                   strerror(errno));
    return DIPKG_ERR_IO;
  }
  DipkgStatus st = DIPKG_SUCCESS;
  struct dirent *e;
  while (!st && (e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char *src = join(from, e->d_name), *dst = join(to, e->d_name);
    struct stat sb;
    if (!src || !dst)
      st = DIPKG_ERR_NO_MEMORY;
    else if (!stat(src, &sb) && S_ISREG(sb.st_mode) &&
             copy_file(src, dst, sb.st_mode)) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, dst,
                     (DipkgLoc){0, 0, 0}, "cannot copy the store: %s",
                     strerror(errno));
      st = DIPKG_ERR_IO;
    }
    dipkg_free(src);
    dipkg_free(dst);
  }
  closedir(d);
  return st;
}

/* Flushes every file of directory `dir` (or the file `dir`), and the
 * directory, to disk. */
static int
sync_path(const char *path)
{
  struct stat sb;
  if (stat(path, &sb))
    return -1;
  int rc = 0;
  if (S_ISDIR(sb.st_mode)) {
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
      if (e->d_name[0] == '.')
        continue;
      char *f = join(path, e->d_name);
      int fd = f ? open(f, O_RDONLY | O_CLOEXEC) : -1;
      if (fd < 0 || fsync(fd))
        rc = -1;
      if (fd >= 0)
        close(fd);
      dipkg_free(f);
    }
    if (d)
      closedir(d);
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync(fd))
    rc = -1;
  if (fd >= 0)
    close(fd);
  return rc;
}

/* -------------------------------------------------- transactions */

struct DipkgStoreTxn {
  const DipkgStoreSpec *spec;
  char *target;     // the store's path, symbolic links resolved
  char *work;       // TARGET.load-XXXXXX: the working directory
  char *copy;       // WORK/store: what the load writes
  DipkgTemp *temp;  // the working directory, registered
  int lock_fd;
  char *lock_path;  // the lock file, while held
  Place place;
  DipkgStoreMeta meta;
  bool has_meta, committed;
  unsigned long statements_seen;
};

/* The pid recorded in a lock or marker file, or 0. */
static long
read_pid(int fd, const char *path)
{
  char text[32] = "";
  ssize_t n = -1;
  if (fd >= 0) {
    n = pread(fd, text, sizeof text - 1, 0);
  } else {
    int f = open(path, O_RDONLY | O_CLOEXEC);
    if (f >= 0) {
      n = read(f, text, sizeof text - 1);
      close(f);
    }
  }
  if (n <= 0)
    return 0;
  text[n] = '\0';
  return strtol(text, NULL, 10);
}

static DipkgStatus
take_lock(DipkgWorld *w, DipkgStoreTxn *t, unsigned wait_s)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, "%s.lock", t->target);
  char *lock = b.oom ? (dipkg_buf_free(&b), NULL) : dipkg_buf_take(&b);
  if (!lock)
    return DIPKG_ERR_NO_MEMORY;
  DipkgDiagList diags = {0};
  DipkgStatus st = DIPKG_SUCCESS;
  t->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (t->lock_fd < 0) {
    dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, lock,
                   (DipkgLoc){0, 0, 0}, "cannot create the store's lock: %s",
                   strerror(errno));
    st = DIPKG_ERR_IO;
  }
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  bool said = false;
  // The lock file is removed by its holder when the load ends (a failed
  // first load leaves nothing beside the path): a lock taken on a file
  // that is no longer at the path is released and taken again.
  for (;;) {
    if (st || !flock(t->lock_fd, LOCK_EX | LOCK_NB)) {
      struct stat held, now;
      if (st || (!fstat(t->lock_fd, &held) && !stat(lock, &now) &&
                 held.st_dev == now.st_dev && held.st_ino == now.st_ino))
        break;
      close(t->lock_fd);
      t->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
      if (t->lock_fd < 0) {
        dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, lock,
                       (DipkgLoc){0, 0, 0},
                       "cannot create the store's lock: %s", strerror(errno));
        st = DIPKG_ERR_IO;
      }
      continue;
    }
    if (errno != EWOULDBLOCK && errno != EINTR) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, lock,
                     (DipkgLoc){0, 0, 0}, "cannot lock the store: %s",
                     strerror(errno));
      st = DIPKG_ERR_IO;
      break;
    }
    long holder = read_pid(t->lock_fd, NULL);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double waited = (double)(now.tv_sec - start.tv_sec) +
                    (double)(now.tv_nsec - start.tv_nsec) / 1e9;
    if (waited >= wait_s) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, t->target,
                     (DipkgLoc){0, 0, 0},
                     "another load holds the store (pid %ld); gave up after "
                     "waiting %u s for its lock (the store is unchanged)",
                     holder, wait_s);
      st = DIPKG_ERR_STORE;
      break;
    }
    if (!said && (holder > 0 || waited > 1.0)) {  // its pid is written next
      DipkgDiagList note = {0};
      dipkg_diag_add(&note, DIPKG_SEVERITY_WARNING, DIPKG_ERR_STORE, t->target,
                     (DipkgLoc){0, 0, 0},
                     "waiting for the lock held by pid %ld (another load of "
                     "this store), up to %u s",
                     holder, wait_s);
      dipkg_world_deliver(w, &note);
      said = true;
    }
    struct timespec pause = {0, 50000000L};  // 50 ms
    nanosleep(&pause, NULL);
  }
  if (!st) {
    char text[32];
    int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    if (ftruncate(t->lock_fd, 0) || pwrite(t->lock_fd, text, (size_t)n, 0) != n)
      (void)0;  // the pid is for messages only
  }
  dipkg_world_deliver(w, &diags);
  if (st || t->lock_fd < 0)
    dipkg_free(lock);
  else
    t->lock_path = lock;
  return st;
}

/* Removes the working copies of loads of this store whose process is gone
 * (their marker names a pid that no longer exists), saying so.  Runs with
 * the lock held: no live load of this store has a copy then, but only a
 * copy with a marker is provably dipkg's. */
static void
remove_stale_copies(DipkgWorld *w, const char *target)
{
  const char *slash = strrchr(target, '/');
  char *dir = slash ? dipkg_strndup(target, (size_t)(slash - target + 1))
                    : dipkg_strdup("./");
  const char *base = slash ? slash + 1 : target;
  DipkgBuf prefix = DIPKG_BUF_INIT;
  dipkg_buf_printf(&prefix, "%s.load-", base);
  DIR *d = dir && !prefix.oom ? opendir(dir) : NULL;
  struct dirent *e;
  DipkgDiagList notes = {0};
  while (d && (e = readdir(d))) {
    if (strncmp(e->d_name, prefix.data, prefix.len))
      continue;
    DipkgBuf path = DIPKG_BUF_INIT;
    dipkg_buf_printf(&path, "%s%s", slash ? dir : "", e->d_name);
    char *marker = path.oom ? NULL : join(dipkg_buf_cstr(&path), PID_FILE);
    long pid = marker ? read_pid(-1, marker) : 0;
    if (pid > 0 && kill((pid_t)pid, 0) && errno == ESRCH &&
        !dipkg_temp_remove_tree(dipkg_buf_cstr(&path)))
      dipkg_diag_add(&notes, DIPKG_SEVERITY_WARNING, DIPKG_ERR_STORE, NULL,
                     (DipkgLoc){0, 0, 0},
                     "removed a stale working copy %s (left by pid %ld, which "
                     "is gone)",
                     dipkg_buf_cstr(&path), pid);
    dipkg_free(marker);
    dipkg_buf_free(&path);
  }
  if (d)
    closedir(d);
  dipkg_world_deliver(w, &notes);
  dipkg_buf_free(&prefix);
  dipkg_free(dir);
}

/* Bytes free for this user on the file system of `path`, or UINT64_MAX
 * when it cannot be told. */
static uint64_t
free_bytes(const char *path)
{
  struct statvfs v;
  if (statvfs(path, &v))
    return UINT64_MAX;
  return (uint64_t)v.f_bavail * (uint64_t)v.f_frsize;
}

/* Bytes held by the store at `path` (a file, or the files of a directory). */
static uint64_t
size_of(const char *path)
{
  struct stat sb;
  if (stat(path, &sb))
    return 0;
  if (!S_ISDIR(sb.st_mode))
    return (uint64_t)sb.st_size;
  uint64_t total = 0;
  DIR *d = opendir(path);
  struct dirent *e;
  while (d && (e = readdir(d))) {
    char *f = e->d_name[0] == '.' ? NULL : join(path, e->d_name);
    if (f && !stat(f, &sb) && S_ISREG(sb.st_mode))
      total += (uint64_t)sb.st_size;
    dipkg_free(f);
  }
  if (d)
    closedir(d);
  return total;
}

/* A full disk: `needed` bytes are wanted (before the load), or 0 when the
 * watchdog found less than the reserve free (during the load). */
static DipkgStatus
disk_full(DipkgDiagList *diags, const char *where, uint64_t free_b,
          uint64_t needed)
{
  if (needed)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, where,
                   (DipkgLoc){0, 0, 0},
                   "%s: %llu MiB free, and a load needs %llu MiB (a copy of "
                   "the store and %llu MiB to spare)",
                   strerror(ENOSPC), (unsigned long long)(free_b >> 20),
                   (unsigned long long)((needed + (1 << 20) - 1) >> 20),
                   (unsigned long long)(SPACE_RESERVE >> 20));
  else
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, where,
                   (DipkgLoc){0, 0, 0},
                   "%s: the load stopped with %llu MiB free (it keeps %llu "
                   "MiB to spare, for the database to fail cleanly)",
                   strerror(ENOSPC), (unsigned long long)(free_b >> 20),
                   (unsigned long long)(SPACE_RESERVE >> 20));
  return DIPKG_ERR_IO;
}

/* The store's path with a symbolic link resolved (caller frees): a load
 * replaces what the link points to, and keeps the link. */
static char *
resolve(const char *location, DipkgDiagList *diags)
{
  struct stat sb;
  if (lstat(location, &sb) || !S_ISLNK(sb.st_mode))
    return dipkg_strdup(location);
  char *real = realpath(location, NULL);
  if (!real) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, location,
                   (DipkgLoc){0, 0, 0},
                   "the store is a symbolic link dipkg cannot follow: %s",
                   strerror(errno));
    return NULL;
  }
  char *copy = dipkg_strdup(real);
  free(real);
  return copy;
}

DipkgStatus
dipkg_store_txn_begin(DipkgWorld *w, const DipkgStoreSpec *spec,
                      unsigned lock_wait_s, DipkgStoreTxn **out)
{
  *out = NULL;
  DipkgStoreTxn *t = dipkg_calloc(1, sizeof *t);
  if (!t)
    return DIPKG_ERR_NO_MEMORY;
  t->spec = spec;
  t->lock_fd = -1;
  DipkgDiagList diags = {0};
  DipkgStatus st = DIPKG_SUCCESS;
  t->target = resolve(spec->location, &diags);
  if (!t->target)
    st = diags.n ? DIPKG_ERR_STORE : DIPKG_ERR_NO_MEMORY;
  dipkg_world_deliver(w, &diags);
  // What is there: a store, nothing, or something a load must not touch
  // (looked at before the lock, whose file would be left beside a refused
  // path, and again with it held).
  DipkgBuf what = DIPKG_BUF_INIT;
  for (int pass = 0; !st && pass < 2; pass++) {
    if (pass == 1) {
      st = take_lock(w, t, lock_wait_s);
      if (st)
        break;
      remove_stale_copies(w, t->target);
    }
    dipkg_buf_clear(&what);
    t->place = spec->backend->disk->inspect(t->target, &what);
    if (t->place == PLACE_FOREIGN || t->place == PLACE_ERROR) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, NULL,
                     (DipkgLoc){0, 0, 0}, "%s%s",
                     what.oom ? "the store's path" : dipkg_buf_cstr(&what),
                     t->place == PLACE_FOREIGN
                       ? ": refusing to load into it (give the path of a dipkg "
                         "store, an empty directory or a new name)"
                       : "");
      st = DIPKG_ERR_STORE;
    }
  }
  dipkg_buf_free(&what);
  if (!st && t->place == PLACE_STORE) {
    DipkgStoreSpec resolved = *spec;
    resolved.location = t->target;
    st = dipkg_store_verify(&resolved, &diags);
    if (!st)
      st = dipkg_store_meta_read(&resolved, &t->meta, &t->has_meta, &diags);
  }
  // Room for the copy and the reserve.
  if (!st) {
    uint64_t needed =
      (t->place == PLACE_STORE ? size_of(t->target) : 0) + SPACE_RESERVE;
    const char *slash = strrchr(t->target, '/');
    char *parent = slash ? dipkg_strndup(t->target, (size_t)(slash - t->target))
                         : dipkg_strdup(".");
    uint64_t free_b = parent ? free_bytes(*parent ? parent : "/") : UINT64_MAX;
    dipkg_free(parent);
    if (free_b < needed)
      st = disk_full(&diags, t->target, free_b, needed);
  }
  // The working directory: TARGET.load-XXXXXX/{dipkg-load.pid,store}.
  if (!st) {
    DipkgBuf b = DIPKG_BUF_INIT;
    dipkg_buf_printf(&b, "%s.load-XXXXXX", t->target);
    t->work = b.oom ? (dipkg_buf_free(&b), NULL) : dipkg_buf_take(&b);
    if (!t->work) {
      st = DIPKG_ERR_NO_MEMORY;
    } else if (!mkdtemp(t->work)) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, t->target,
                     (DipkgLoc){0, 0, 0},
                     "cannot create a working copy of the store: %s",
                     strerror(errno));
      dipkg_free(t->work);
      t->work = NULL;
      st = DIPKG_ERR_IO;
    } else {
      // Registered first: from here a signal removes it.
      t->temp = dipkg_temp_add_path(t->work, true);
      t->copy = join(t->work, "store");
      char *marker = join(t->work, PID_FILE);
      FILE *f = marker ? fopen(marker, "w") : NULL;
      bool ok = f && fprintf(f, "%ld\n", (long)getpid()) > 0;
      if (f && fclose(f))
        ok = false;
      if (!t->temp || !t->copy || !marker) {
        st = DIPKG_ERR_NO_MEMORY;
      } else if (!ok) {
        dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, marker,
                       (DipkgLoc){0, 0, 0},
                       "cannot create a working copy of the store: %s",
                       strerror(errno));
        st = DIPKG_ERR_IO;
      }
      dipkg_free(marker);
    }
  }
  if (!st && spec->backend->disk->directory) {
    struct stat sb;
    mode_t mode = 0777;
    if (t->place != PLACE_ABSENT && !stat(t->target, &sb))
      mode = sb.st_mode & 07777;
    if (mkdir(t->copy, 0700) || chmod(t->copy, mode)) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, t->copy,
                     (DipkgLoc){0, 0, 0},
                     "cannot create a working copy of the store: %s",
                     strerror(errno));
      st = DIPKG_ERR_IO;
    } else if (t->place == PLACE_ABSENT) {
      mode_t mask = umask(0);  // a new store gets the usual mode
      umask(mask);
      chmod(t->copy, 0777 & ~mask);
    }
    if (!st && t->place == PLACE_STORE)
      st = copy_dir(t->target, t->copy, &diags);
  } else if (!st && t->place == PLACE_STORE) {
    struct stat sb;
    if (stat(t->target, &sb) || copy_file(t->target, t->copy, sb.st_mode)) {
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, t->target,
                     (DipkgLoc){0, 0, 0}, "cannot copy the store: %s",
                     strerror(errno));
      st = DIPKG_ERR_IO;
    }
  }
  dipkg_world_deliver(w, &diags);
  if (st) {
    dipkg_store_txn_end(t);
    return st;
  }
  *out = t;
  return DIPKG_SUCCESS;
}

const char *
dipkg_store_txn_where(const DipkgStoreTxn *t)
{
  return t->copy;
}

const DipkgStoreMeta *
dipkg_store_txn_meta(const DipkgStoreTxn *t)
{
  return t->has_meta ? &t->meta : NULL;
}

DipkgStatus
dipkg_store_txn_check_space(DipkgStoreTxn *t, DipkgDiagList *diags)
{
  if (++t->statements_seen % SPACE_EVERY)
    return DIPKG_SUCCESS;
  uint64_t free_b = free_bytes(t->work);
  if (free_b >= SPACE_RESERVE)
    return DIPKG_SUCCESS;
  return disk_full(diags, t->target, free_b, 0);
}

/* Exchanges the names `a` and `b` atomically.  0, or -1 with errno
 * (ENOSYS, EINVAL: the system or file system cannot). */
static int
exchange(const char *a, const char *b)
{
#ifdef RENAME_EXCHANGE
  return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
  (void)a, (void)b;
  errno = ENOSYS;
  return -1;
#endif
}

DipkgStatus
dipkg_store_txn_commit(DipkgStoreTxn *t, const DipkgStoreMeta *meta,
                       DipkgDiagList *diags)
{
  const DipkgDiskOps *disk = t->spec->backend->disk;
  bool bdb = disk->directory;
  DipkgStatus st = disk->meta_write(t->copy, meta, diags);
  if (!st && sync_path(t->copy)) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, t->target,
                   (DipkgLoc){0, 0, 0}, "cannot flush the new store: %s",
                   strerror(errno));
    st = DIPKG_ERR_IO;
  }
  if (st)
    return st;
  // The swap: one rename, or an exchange of two directories, between the
  // temporaries' lock (a signal's cleanup runs wholly before or after).
  if (!dipkg_temp_lock()) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, t->target,
                   (DipkgLoc){0, 0, 0},
                   "the load was interrupted; the store is unchanged");
    return DIPKG_ERR_IO;
  }
  int rc = 0, err = 0;
  if (!bdb || t->place == PLACE_ABSENT) {
    rc = rename(t->copy, t->target);
  } else if (exchange(t->copy, t->target)) {
    if (errno != EINVAL && errno != ENOSYS) {
      rc = -1;
      err = errno;
    } else {
      // No exchange here: the old one aside (into the working directory),
      // the new one in.
      char *old = join(t->work, "old");
      rc = old ? rename(t->target, old) : -1;
      if (!rc && rename(t->copy, t->target)) {
        err = errno;
        rename(old, t->target);
        rc = -1;
      }
      dipkg_free(old);
    }
  }
  if (rc && !err)
    err = errno;
  dipkg_temp_unlock();
  if (rc) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, t->target,
                   (DipkgLoc){0, 0, 0}, "cannot replace the store: %s",
                   strerror(err));
    return DIPKG_ERR_IO;
  }
  t->committed = true;
  const char *slash = strrchr(t->target, '/');
  char *parent = slash ? dipkg_strndup(t->target, (size_t)(slash - t->target))
                       : dipkg_strdup(".");
  if (parent)
    (void)sync_path(*parent ? parent : "/");
  dipkg_free(parent);
  return DIPKG_SUCCESS;
}

void
dipkg_store_txn_end(DipkgStoreTxn *t)
{
  if (!t)
    return;
  // The working directory holds the failed copy, or after a commit the
  // old store (or nothing).
  if (t->work)
    dipkg_temp_remove_tree(t->work);
  dipkg_temp_forget(t->temp);
  if (t->lock_path)
    unlink(t->lock_path);  // while held: see take_lock
  if (t->lock_fd >= 0)
    close(t->lock_fd);  // releases the lock
  dipkg_free(t->lock_path);
  dipkg_store_meta_fini(&t->meta);
  dipkg_free(t->target);
  dipkg_free(t->work);
  dipkg_free(t->copy);
  dipkg_free(t);
}
