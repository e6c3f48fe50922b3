/* Stores that keep what they hold: what `dipkg load` refuses to overwrite
 * (a directory or file that is not a dipkg store), loading through a
 * symbolic link, two loads at once (the store lock, with real processes),
 * a full disk on each backend (a small tmpfs, as root), a signal during a
 * load, stale working copies, a damaged store, a read-only store read by
 * another user, the base a store records, `load --store memory:`, long
 * paths, and literal datatypes across files.  Each test reproduced its
 * fault before the fix (issue 9). */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DATA "tests/data/store"
#define FACTS DATA "/facts"
#define RDF DATA "/rdf"

static char *out, *err;

/* A formatted string (caller frees). */
__attribute__((format(printf, 1, 2))) static char *
str(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  ck_assert_int_ge(vasprintf(&s, fmt, ap), 0);
  va_end(ap);
  return s;
}

/* A path in the scratch directory (caller frees). */
static char *
scratch(const char *name)
{
  return str("%s/%s", tu_scratch(), name);
}

/* Runs dipkg with `args` (a shell fragment; freed here); its output and
 * error in `out` and `err`.  Returns the exit status. */
static int
dipkg(char *args)
{
  free(out);
  free(err);
  out = err = NULL;
  char *outp = scratch(".safety-out"), *errp = scratch(".safety-err");
  char *cmd = str("%s %s >'%s' 2>'%s' </dev/null", tu_exe(), args, outp, errp);
  int rc = system(cmd);
  out = tu_read_file(outp, NULL);
  err = tu_read_file(errp, NULL);
  free(cmd);
  free(outp);
  free(errp);
  free(args);
  ck_assert_ptr_nonnull(out);
  ck_assert_ptr_nonnull(err);
  return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

/* Runs the shell command `cmd` (freed here) as dipkg() runs dipkg. */
static int
shell(char *cmd)
{
  char *args = str("--version >/dev/null; %s", cmd);
  free(cmd);
  return dipkg(args);
}

static void
write_file(const char *path, const char *content)
{
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
  fputs(content, f);
  ck_assert_int_eq(fclose(f), 0);
}

static int
count_entries(const char *dir, const char *prefix)
{
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
        !strncmp(e->d_name, prefix, strlen(prefix)))
      n++;
  closedir(d);
  return n;
}

/* The contents of every file of a bdb store directory, or of one file,
 * concatenated with their names (caller frees): equal means unchanged. */
static char *
snapshot(const char *path)
{
  struct stat sb;
  ck_assert_int_eq(stat(path, &sb), 0);
  if (!S_ISDIR(sb.st_mode)) {
    size_t len = 0;
    char *text = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(text);
    unsigned long long h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++)
      h = (h ^ (unsigned char)text[i]) * 0x100000001b3u;
    free(text);
    return str("%zu:%016llx", len, h);
  }
  struct dirent **names = NULL;
  int n = scandir(path, &names, NULL, alphasort);
  ck_assert_int_ge(n, 0);
  char *all = strdup("");
  for (int i = 0; i < n; i++) {
    if (names[i]->d_name[0] != '.') {
      char *file = str("%s/%s", path, names[i]->d_name);
      char *one = snapshot(file);
      char *grown = str("%s%s=%s\n", all, names[i]->d_name, one);
      free(all), free(one), free(file);
      all = grown;
    }
    free(names[i]);
  }
  free(names);
  return all;
}

static bool
root(void)
{
  return geteuid() == 0;
}

/* A tmpfs of `size` mounted on a new directory NAME of the scratch
 * directory (caller frees; unmount with unmount_small()), or NULL with the
 * reason printed when this test cannot mount one. */
static char *
small_disk(const char *name, const char *size)
{
  if (!root()) {
    printf("%s: skipped: not root, cannot mount a small tmpfs\n", name);
    return NULL;
  }
  char *dir = scratch(name);
  ck_assert_int_eq(mkdir(dir, 0755), 0);
  char *opts = str("size=%s", size);
  if (mount("tmpfs", dir, "tmpfs", 0, opts)) {
    printf("%s: skipped: cannot mount a tmpfs: %s\n", name, strerror(errno));
    free(opts);
    rmdir(dir);
    free(dir);
    return NULL;
  }
  free(opts);
  return dir;
}

static void
unmount_small(char *dir)
{
  umount2(dir, MNT_DETACH);
  rmdir(dir);
  free(dir);
}

/* An N-Triples file of `n` statements in the scratch directory (caller
 * frees the path). */
static char *
big_ntriples(const char *name, unsigned n)
{
  char *path = scratch(name);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (unsigned i = 0; i < n; i++)
    fprintf(f,
            "<http://example.org/big/s%u> <http://example.org/big/p%u> "
            "\"value %u, a literal long enough to fill pages\" .\n",
            i, i % 17, i);
  ck_assert_int_eq(fclose(f), 0);
  return path;
}

static int
lines(const char *text)
{
  int n = 0;
  for (; *text; text++)
    n += *text == '\n';
  return n;
}

/* ------------------------------------------- what a load overwrites */

START_TEST(test_load_refuses_directory_that_is_not_a_store)
{
  char *dir = scratch("notastore");
  ck_assert_int_eq(mkdir(dir, 0777), 0);
  for (int i = 0; i < 3; i++) {
    char *f = str("%s/precious-%d.yaml", dir, i);
    write_file(f, "keep me\n");
    free(f);
  }
  char *before = snapshot(dir);
  ck_assert_int_eq(dipkg(str("load --store bdb:%s " FACTS, dir)), 1);
  char *expected =
    str("%s is a directory holding 3 files that are not a dipkg store", dir);
  ck_assert_msg(strstr(err, expected), "%s", err);
  char *after = snapshot(dir);
  ck_assert_str_eq(before, after);
  ck_assert_int_eq(count_entries(tu_scratch(), "notastore."), 0);
  free(before), free(after), free(expected), free(dir);
}
END_TEST

START_TEST(test_load_refuses_file_that_is_not_a_store)
{
  // bdb: a regular file where the directory goes; sqlite: a text file, and
  // an SQLite database of another program.
  char *file = scratch("plain.txt");
  write_file(file, "not a store\n");
  ck_assert_int_eq(dipkg(str("load --store bdb:%s " FACTS, file)), 1);
  ck_assert_msg(strstr(err, "is a regular file, not a dipkg store"), "%s", err);
  ck_assert_int_eq(dipkg(str("load --store sqlite:%s " FACTS, file)), 1);
  ck_assert_msg(strstr(err, "is not a dipkg sqlite store"), "%s", err);
  char *text = tu_read_file(file, NULL);
  ck_assert_str_eq(text, "not a store\n");
  free(text);
  char *db = scratch("other.sqlite");
  char *cmd = str("sqlite3 '%s' 'CREATE TABLE t (x); INSERT INTO t VALUES "
                  "(1);' 2>/dev/null || /usr/bin/python3 -c 'import sqlite3; "
                  "c = sqlite3.connect(\"%s\"); c.execute(\"CREATE TABLE t "
                  "(x)\"); c.execute(\"INSERT INTO t VALUES (1)\"); "
                  "c.commit()'",
                  db, db);
  ck_assert_int_eq(system(cmd), 0);
  char *before = snapshot(db);
  ck_assert_int_eq(dipkg(str("load --store sqlite:%s " FACTS, db)), 1);
  ck_assert_msg(strstr(err, "is not a dipkg sqlite store"), "%s", err);
  char *after = snapshot(db);
  ck_assert_str_eq(before, after);
  // An empty directory and an empty file are new stores.
  char *empty = scratch("empty-dir");
  ck_assert_int_eq(mkdir(empty, 0777), 0);
  ck_assert_int_eq(dipkg(str("load -q --store bdb:%s " FACTS, empty)), 0);
  char *empty_file = scratch("empty.sqlite");
  write_file(empty_file, "");
  ck_assert_int_eq(dipkg(str("load -q --store sqlite:%s " FACTS, empty_file)),
                   0);
  free(before), free(after), free(cmd), free(db), free(file), free(empty);
  free(empty_file);
}
END_TEST

START_TEST(test_load_through_symbolic_link)
{
  for (int k = 0; k < 2; k++) {
    const char *type = k ? "sqlite" : "bdb";
    char *target = str("%s/real-%s", tu_scratch(), type);
    char *link = str("%s/link-%s", tu_scratch(), type);
    ck_assert_int_eq(dipkg(str("load -q --store %s:%s " FACTS, type, target)),
                     0);
    ck_assert_int_eq(symlink(target, link), 0);
    ck_assert_int_eq(
      dipkg(str("load -q --store %s:%s " RDF "/extra.nt", type, link)), 0);
    struct stat sb;
    ck_assert_int_eq(lstat(link, &sb), 0);
    ck_assert_msg(S_ISLNK(sb.st_mode), "%s: the link was replaced", type);
    // The target holds both loads.
    ck_assert_int_eq(
      dipkg(str("query -f tsv --store %s:%s -e 'SELECT (COUNT(*) AS ?n) "
                "WHERE { ?x <http://example.org/store#size> ?s . ?e a "
                "dip:Article }'",
                type, target)),
      0);
    ck_assert_str_eq(out,
                     "?n\n\"2\"^^<http://www.w3.org/2001/XMLSchema#integer>\n");
    free(target), free(link);
  }
}
END_TEST

START_TEST(test_load_memory_store_refused)
{
  ck_assert_int_eq(dipkg(str("load --store memory: " FACTS)), 2);
  ck_assert_msg(strstr(err, "memory:"), "%s", err);
  ck_assert_msg(strstr(err, "discarded"), "%s", err);
}
END_TEST

/* ------------------------------------------------------------ locks */

/* Holds the store lock `lock` (flock, as dipkg takes it; its pid written
 * in) in a child process for `seconds`.  Returns the child's pid. */
static pid_t
hold_lock(const char *lock, unsigned seconds)
{
  int ready[2];
  ck_assert_int_eq(pipe(ready), 0);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    int fd = open(lock, O_RDWR | O_CREAT, 0666);
    if (fd < 0 || flock(fd, LOCK_EX))
      _exit(1);
    char text[32];
    int n = snprintf(text, sizeof text, "%d\n", (int)getpid());
    if (ftruncate(fd, 0) || write(fd, text, (size_t)n) != n)
      _exit(1);
    if (write(ready[1], "x", 1) != 1)
      _exit(1);
    sleep(seconds);
    _exit(0);
  }
  char c;
  close(ready[1]);
  ck_assert_int_eq(read(ready[0], &c, 1), 1);
  close(ready[0]);
  return pid;
}

START_TEST(test_second_writer_waits_for_the_lock)
{
  const char *type = _i ? "sqlite" : "bdb";
  char *store = str("%s/locked-%s", tu_scratch(), type);
  char *lock = str("%s.lock", store);
  pid_t holder = hold_lock(lock, 2);
  time_t t0 = time(NULL);
  ck_assert_int_eq(dipkg(str("load -q --store %s:%s " FACTS, type, store)), 0);
  ck_assert_int_ge(time(NULL) - t0, 1);
  char *expected = str("waiting for the lock held by pid %d", (int)holder);
  ck_assert_msg(strstr(err, expected), "%s", err);
  waitpid(holder, NULL, 0);
  // A bound: --lock-wait 1 against a holder of 5 s fails, exit 1.
  holder = hold_lock(lock, 5);
  char *before = snapshot(store);
  t0 = time(NULL);
  ck_assert_int_eq(
    dipkg(
      str("load -q --lock-wait 1 --store %s:%s " RDF "/extra.nt", type, store)),
    1);
  ck_assert_int_le(time(NULL) - t0, 3);
  char *reason = str("another load holds the store (pid %d)", (int)holder);
  ck_assert_msg(strstr(err, reason), "%s", err);
  char *after = snapshot(store);
  ck_assert_str_eq(before, after);
  kill(holder, SIGKILL);
  waitpid(holder, NULL, 0);
  free(store), free(lock), free(expected), free(reason), free(before);
  free(after);
}
END_TEST

START_TEST(test_two_loads_at_once_lose_nothing)
{
  // Two real processes load different files into one store at the same
  // time: the store ends with both.
  const char *type = _i ? "sqlite" : "bdb";
  char *big = big_ntriples("concurrent.nt", 20000);
  char *big2 = big_ntriples("concurrent2.nt", 20000);
  char *store = str("%s/both-%s", tu_scratch(), type);
  ck_assert_int_eq(dipkg(str("load -q --store %s:%s " FACTS, type, store)), 0);
  ck_assert_int_eq(
    dipkg(str("load -q --store %s:%s %s & load_a=$!; "
              "%s load -q --store %s:%s %s " RDF "/extra.nt; b=$?; "
              "wait $load_a; a=$?; exit $((a * 10 + b))",
              type, store, big, tu_exe(), type, store, big2)),
    0);
  char cwdbuf[PATH_MAX], cwdbuf2[PATH_MAX];
  ck_assert_int_eq(
    // (Graphs of RDF statements outside named graphs: GRAPH <iri> reads
    // them; GRAPH ?g lists the data's named graphs only.)
    dipkg(str("query -f tsv --store %s:%s -e 'SELECT ?g (COUNT(?s) AS ?n) "
              "WHERE { "
              "{ GRAPH <file://%s/concurrent.nt> { ?s ?p ?o } "
              "BIND (<file://%s/concurrent.nt> AS ?g) } UNION "
              "{ GRAPH <file://%s/concurrent2.nt> { ?s ?p ?o } "
              "BIND (<file://%s/concurrent2.nt> AS ?g) } UNION "
              "{ GRAPH <file://%s/" RDF "/extra.nt> { ?s ?p ?o } "
              "BIND (<file://%s/" RDF "/extra.nt> AS ?g) } } "
              "GROUP BY ?g ORDER BY ?g'",
              type, store, tu_scratch(), tu_scratch(), tu_scratch(),
              tu_scratch(), getcwd(cwdbuf, sizeof cwdbuf),
              getcwd(cwdbuf2, sizeof cwdbuf2))),
    0);
  char *cwd = getcwd(NULL, 0);
  // (COUNT(?s): rasqal answers GRAPH <iri> over a graph the store lacks
  // with one empty solution, which COUNT(*) would count.)
  char *expected =
    str("?g\t?n\n"
        "<file://%s/concurrent.nt>\t\"20000\"^^<http://www.w3.org/2001/"
        "XMLSchema#integer>\n"
        "<file://%s/concurrent2.nt>\t\"20000\"^^<http://www.w3.org/2001/"
        "XMLSchema#integer>\n"
        "<file://%s/" RDF "/extra.nt>\t\"2\"^^<http://www.w3.org/2001/"
        "XMLSchema#integer>\n",
        tu_scratch(), tu_scratch(), cwd);
  // (Sorted here: ORDER BY ?g follows where the checkout and the scratch
  // directory are.)
  char *got_sorted = tu_sorted_lines(out),
       *want_sorted = tu_sorted_lines(expected);
  ck_assert_str_eq(got_sorted, want_sorted);
  free(got_sorted), free(want_sorted);
  free(expected), free(cwd);
  free(big), free(big2), free(store);
}
END_TEST

/* ------------------------------------------------------- full disks */

START_TEST(test_full_disk_leaves_store_unchanged)
{
  const char *type = _i ? "sqlite" : "bdb";
  char *name = str("full-%s", type);
  char *disk = small_disk(name, "12m");
  if (!disk) {
    free(name);
    return;
  }
  char *store = str("%s/kg", disk);
  ck_assert_int_eq(dipkg(str("load -q --store %s:%s " FACTS, type, store)), 0);
  char *before = snapshot(store);
  char *big = big_ntriples("full.nt", 120000);  // ~14 MB, far more than fits
  time_t t0 = time(NULL);
  int rc = dipkg(str("load -q --store %s:%s %s", type, store, big));
  // Bounded: seconds (bdb retried its writes for minutes, printing a line
  // each time); generous for sanitizer builds.
  ck_assert_int_le(time(NULL) - t0, 60);
  ck_assert_int_eq(rc, 3);
  ck_assert_msg(strstr(err, "No space left on device") ||
                  strstr(err, "database or disk is full"),
                "%s", err);
  ck_assert_msg(lines(err) <= 3, "%d lines: %.2000s", lines(err), err);
  char *after = snapshot(store);
  ck_assert_msg(!strcmp(before, after), "the store changed");
  // Nothing else left on the disk, and the store still answers.
  ck_assert_int_eq(count_entries(disk, "kg.load-"), 0);
  ck_assert_int_eq(
    dipkg(str("query -f tsv --store %s:%s -e 'SELECT (COUNT(*) AS ?n) WHERE "
              "{ ?a a dip:Article }'",
              type, store)),
    0);
  ck_assert_str_eq(out,
                   "?n\n\"2\"^^<http://www.w3.org/2001/XMLSchema#integer>\n");
  free(before), free(after), free(big), free(store), free(name);
  unmount_small(disk);
}
END_TEST

/* -------------------------------------------- a failed commit's reason */

/* A read transaction on the SQLite database at `path` (a shared lock,
 * which makes a writer's commit fail), retried for about two seconds;
 * NULL if it could not be taken. */
static sqlite3 *
hold_shared_lock(const char *path)
{
  sqlite3 *db = NULL;
  for (int i = 0; i < 2000; i++) {
    if (!db && sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL)) {
      sqlite3_close(db);
      db = NULL;
    }
    if (db && !sqlite3_exec(db, "BEGIN; SELECT COUNT(*) FROM sqlite_master;",
                            NULL, NULL, NULL))
      return db;
    if (db)
      sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    usleep(1000);
  }
  sqlite3_close(db);
  return NULL;
}

static void
release_shared_lock(sqlite3 *db)
{
  if (db)
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(db);
}

START_TEST(test_failed_commit_says_why)
{
  // Readers hold shared locks on the store and on the database the load
  // writes (its working copy): SQLite refuses the load's commit.  The
  // reason ("database is locked") reaches the user, and the store is
  // unchanged.  (Redland's message went to a list out of scope: ASan saw
  // a stack-use-after-scope there, and the release build lost the reason.)
  char *big = big_ntriples("commit.nt", 30000);
  char *store = scratch("commit.sqlite");
  ck_assert_int_eq(dipkg(str("load -q --store sqlite:%s " FACTS, store)), 0);
  char *before = snapshot(store);
  sqlite3 *on_store = hold_shared_lock(store);
  ck_assert_ptr_nonnull(on_store);
  char *errp = scratch("commit.err");
  char *spec = str("sqlite:%s", store);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    int fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    dup2(fd, 2);
    execl(tu_exe(), "dipkg", "load", "-q", "--store", spec, big, (char *)NULL);
    _exit(127);
  }
  char *copy = NULL;
  for (int i = 0; i < 400 && !copy; i++) {
    DIR *d = opendir(tu_scratch());
    struct dirent *e;
    while (d && (e = readdir(d)))
      if (!strncmp(e->d_name, "commit.sqlite.load-", 19))
        copy = str("%s/%s/store", tu_scratch(), e->d_name);
    if (d)
      closedir(d);
    if (!copy)
      usleep(5000);
  }
  sqlite3 *on_copy = copy ? hold_shared_lock(copy) : NULL;
  int status = 0;
  waitpid(pid, &status, 0);
  release_shared_lock(on_copy);
  release_shared_lock(on_store);
  char *text = tu_read_file(errp, NULL);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d: %s",
                status, text);
  ck_assert_msg(strstr(text, "database is locked"), "%s", text);
  ck_assert_msg(strstr(text, "the load failed; the store is unchanged"), "%s",
                text);
  char *after = snapshot(store);
  ck_assert_str_eq(before, after);
  free(big), free(store), free(before), free(errp), free(spec), free(copy);
  free(text), free(after);
}
END_TEST

/* ------------------------------------------------ signals, leftovers */

START_TEST(test_signal_during_load_leaves_no_copy)
{
  int signals[] = {SIGINT, SIGTERM, SIGHUP};
  int sig = signals[_i];
  char *big = big_ntriples("signal.nt", 150000);
  char *name = str("sig-%d", sig);
  char *store = scratch(name);
  ck_assert_int_eq(dipkg(str("load -q --store bdb:%s " FACTS, store)), 0);
  char *before = snapshot(store);
  char *prefix = str("%s.load-", name);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    char *spec = str("bdb:%s", store);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);
    execl(tu_exe(), "dipkg", "load", "-q", "--store", spec, big, (char *)NULL);
    _exit(127);
  }
  // Wait for the working copy to appear, then signal.
  for (int i = 0; i < 2000 && !count_entries(tu_scratch(), prefix); i++)
    usleep(5000);
  ck_assert_int_eq(count_entries(tu_scratch(), prefix), 1);
  usleep(100000);
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == sig,
                "the load was not ended by the signal (status %d)", status);
  ck_assert_int_eq(count_entries(tu_scratch(), prefix), 0);
  char *after = snapshot(store);
  ck_assert_str_eq(before, after);
  free(big), free(name), free(store), free(before), free(prefix), free(after);
}
END_TEST

START_TEST(test_readers_during_a_load)
{
  // A query while a load writes: no lock to wait for, the old content,
  // and the new one once the load is done.
  const char *type = _i ? "sqlite" : "bdb";
  char *big = big_ntriples("reader.nt", 60000);
  char *name = str("reader-%s", type);
  char *store = scratch(name);
  ck_assert_int_eq(dipkg(str("load -q --store %s:%s " FACTS, type, store)), 0);
  char *spec = str("%s:%s", type, store);
  char *prefix = str("%s.load-", name);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    execl(tu_exe(), "dipkg", "load", "-q", "--store", spec, big, (char *)NULL);
    _exit(127);
  }
  for (int i = 0; i < 2000 && !count_entries(tu_scratch(), prefix); i++)
    usleep(5000);
  const char *count = "-e 'SELECT (COUNT(*) AS ?n) WHERE { ?s "
                      "<http://example.org/big/p3> ?o }'";
  ck_assert_int_eq(dipkg(str("query -f tsv --store %s %s", spec, count)), 0);
  ck_assert_str_eq(out,
                   "?n\n\"0\"^^<http://www.w3.org/2001/XMLSchema#integer>\n");
  int status = 0;
  waitpid(pid, &status, 0);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "load: %d",
                status);
  ck_assert_int_eq(dipkg(str("query -f tsv --store %s %s", spec, count)), 0);
  ck_assert_str_eq(
    out, "?n\n\"3530\"^^<http://www.w3.org/2001/XMLSchema#integer>\n");
  free(big), free(name), free(store), free(spec), free(prefix);
}
END_TEST

START_TEST(test_stale_working_copies_removed)
{
  char *store = scratch("stale");
  ck_assert_int_eq(dipkg(str("load -q --store bdb:%s " FACTS, store)), 0);
  // A copy of a process that is gone, one of a live process, and one
  // without a marker: only the first is provably stale.
  pid_t dead = fork();
  if (dead == 0)
    _exit(0);
  waitpid(dead, NULL, 0);
  const struct {
    const char *suffix;
    int pid;
  } copies[] = {
    {"dead00", (int)dead}, {"live00", (int)getpid()}, {"nopid0", 0}};
  for (size_t i = 0; i < 3; i++) {
    char *dir = str("%s.load-%s", store, copies[i].suffix);
    ck_assert_int_eq(mkdir(dir, 0777), 0);
    char *f = str("%s/%s", dir, copies[i].pid ? "dipkg-load.pid" : "x.db");
    char *pid = str("%d\n", copies[i].pid);
    write_file(f, pid);
    free(f), free(pid), free(dir);
  }
  ck_assert_int_eq(dipkg(str("load --store bdb:%s " RDF "/extra.nt", store)),
                   0);
  char *expected = str("removed a stale working copy %s.load-dead00 (left by "
                       "pid %d, which is gone)",
                       store, (int)dead);
  ck_assert_msg(strstr(err, expected), "%s", err);
  ck_assert_int_eq(count_entries(tu_scratch(), "stale.load-"), 2);
  free(expected), free(store);
}
END_TEST

/* --------------------------------------------------- damaged stores */

START_TEST(test_damaged_store_detected)
{
  char *store = scratch("damaged");
  ck_assert_int_eq(dipkg(str("load -q --store bdb:%s " FACTS, store)), 0);
  // A truncated file.
  char *sp2o = str("%s/dipkg-sp2o.db", store);
  ck_assert_int_eq(truncate(sp2o, 4096), 0);
  ck_assert_int_eq(
    dipkg(str("query -f tsv --store bdb:%s -e 'SELECT (COUNT(*) AS ?n) "
              "WHERE { ?s ?p ?o }'",
              store)),
    1);
  ck_assert_msg(strstr(err, "damaged"), "%s", err);
  ck_assert_msg(strstr(err, "dipkg-sp2o.db"), "%s", err);
  ck_assert_str_eq(out, "");
  ck_assert_int_eq(dipkg(str("stats --store bdb:%s", store)), 1);
  ck_assert_msg(strstr(err, "damaged"), "%s", err);
  // A missing file: reported, not recreated.
  ck_assert_int_eq(dipkg(str("load -q --store bdb:%s " FACTS, store)), 1);
  char *store2 = scratch("damaged2");
  ck_assert_int_eq(dipkg(str("load -q --store bdb:%s " FACTS, store2)), 0);
  char *contexts = str("%s/dipkg-contexts.db", store2);
  ck_assert_int_eq(unlink(contexts), 0);
  ck_assert_int_eq(
    dipkg(str("query -f tsv --store bdb:%s -e 'SELECT * WHERE { ?s ?p ?o } "
              "LIMIT 1'",
              store2)),
    1);
  ck_assert_msg(strstr(err, "damaged"), "%s", err);
  ck_assert_msg(strstr(err, "dipkg-contexts.db is missing"), "%s", err);
  struct stat sb;
  ck_assert_int_ne(stat(contexts, &sb), 0);
  // A load refuses the damaged store too.  A store without metadata (made
  // before dipkg kept any): its databases are still checked, and a missing
  // one is not recreated.
  ck_assert_int_eq(dipkg(str("load -q --store bdb:%s " FACTS, store2)), 1);
  char *store4 = scratch("damaged4");
  ck_assert_int_eq(dipkg(str("load -q --store bdb:%s " FACTS, store4)), 0);
  char *meta4 = str("%s/dipkg-store.txt", store4);
  char *contexts4 = str("%s/dipkg-contexts.db", store4);
  ck_assert_int_eq(unlink(meta4), 0);
  ck_assert_int_eq(unlink(contexts4), 0);
  ck_assert_int_eq(dipkg(str("stats --store bdb:%s", store4)), 1);
  ck_assert_msg(strstr(err, "dipkg-contexts.db is missing"), "%s", err);
  ck_assert_int_ne(stat(contexts4, &sb), 0);
  free(store4), free(meta4), free(contexts4);
  // A statement count that differs from the one recorded: stats, which
  // counts them, says so.
  char *store3 = scratch("damaged3");
  ck_assert_int_eq(dipkg(str("load -q --store bdb:%s " FACTS, store3)), 0);
  char *meta = str("%s/dipkg-store.txt", store3);
  char *text = tu_read_file(meta, NULL);
  char *at = strstr(text, "statements ");
  ck_assert_ptr_nonnull(at);
  unsigned long long n = strtoull(at + 11, NULL, 10);
  char *end = strchr(at, '\n');
  char *edited =
    str("%.*sstatements %llu%s", (int)(at - text), text, n + 1, end);
  write_file(meta, edited);
  ck_assert_int_eq(dipkg(str("stats --store bdb:%s", store3)), 1);
  char *expected = str("the store is damaged: it holds %llu statements where "
                       "the last load left %llu",
                       n, n + 1);
  ck_assert_msg(strstr(err, expected), "%s", err);
  free(store), free(sp2o), free(store2), free(contexts), free(store3);
  free(meta), free(text), free(edited), free(expected);
}
END_TEST

START_TEST(test_read_only_store_queried_by_another_user)
{
  if (!root() || system("command -v setpriv >/dev/null")) {
    printf("read-only store: skipped: needs root and setpriv to switch to "
           "the user nobody\n");
    return;
  }
  // A directory every user can read, outside the private scratch one.
  char dir[] = "/tmp/dipkg-ro-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  chmod(dir, 0755);
  const char *type = _i ? "sqlite" : "bdb";
  char *store = str("%s/kg", dir);
  ck_assert_int_eq(dipkg(str("load -q --store %s:%s " FACTS, type, store)), 0);
  char *before = snapshot(store);
  // The tool and the ontology go there too: the checkout itself may sit
  // in a directory other users cannot enter.
  char *cwd = getcwd(NULL, 0);
  char *from =
    tu_exe()[0] == '/' ? strdup(tu_exe()) : str("%s/%s", cwd, tu_exe() + 2);
  // (So do the sanitizers' suppression files of a sanitizer build, which
  // its options name in the checkout: the options below point at copies.)
  ck_assert_int_eq(shell(str("cp '%s' %s/dipkg && cp -R '%s/ontology' %s/ && "
                             "cp '%s'/tests/*.supp %s/ && chmod -R a+rX %s",
                             from, dir, cwd, dir, cwd, dir, dir)),
                   0);
  static const char *const names[] = {"ASAN_OPTIONS", "LSAN_OPTIONS"};
  char *saved_env[2] = {NULL, NULL};
  for (size_t i = 0; i < 2; i++) {
    const char *was = getenv(names[i]);
    if (!was)
      continue;
    saved_env[i] = strdup(was);
    char *from_dir = str("%s/tests/", cwd), *to_dir = str("%s/", dir);
    char *now = malloc(strlen(was) * 2 + strlen(to_dir) * 4 + 1);
    ck_assert_ptr_nonnull(now);
    char *w = now;
    for (const char *p = was; *p;) {
      if (!strncmp(p, from_dir, strlen(from_dir))) {
        w += sprintf(w, "%s", to_dir);
        p += strlen(from_dir);
      } else {
        *w++ = *p++;
      }
    }
    *w = '\0';
    setenv(names[i], now, 1);
    free(now), free(from_dir), free(to_dir);
  }
  free(from);
  free(cwd);
  char *exe = str("%s/dipkg", dir);
  cwd = strdup(dir);
  int rc = shell(str("cd / && setpriv --reuid=nobody --regid=nogroup "
                     "--clear-groups %s query --ontology %s/ontology -f tsv "
                     "--store %s:%s -e 'SELECT (COUNT(*) AS ?n) WHERE { ?a a "
                     "dip:Article }'",
                     exe, cwd, type, store));
  ck_assert_msg(rc == 0, "%s", err);
  ck_assert_str_eq(out,
                   "?n\n\"2\"^^<http://www.w3.org/2001/XMLSchema#integer>\n");
  rc = shell(str("cd / && setpriv --reuid=nobody --regid=nogroup "
                 "--clear-groups %s stats --ontology %s/ontology --store "
                 "%s:%s",
                 exe, cwd, type, store));
  ck_assert_msg(rc == 0, "%s", err);
  char *after = snapshot(store);
  ck_assert_str_eq(before, after);
  char *rm = str("rm -rf '%s'", dir);
  ck_assert_int_eq(system(rm), 0);
  free(rm), free(store), free(before), free(after), free(cwd), free(exe);
  for (size_t i = 0; i < 2; i++)
    if (saved_env[i]) {
      setenv(names[i], saved_env[i], 1);
      free(saved_env[i]);
    }
}
END_TEST

/* ------------------------------------------------------------- base */

START_TEST(test_store_remembers_its_base)
{
  const char *type = _i ? "sqlite" : "bdb";
  char *store = str("%s/based-%s", tu_scratch(), type);
  ck_assert_int_eq(
    dipkg(
      str("load -q --base https://data.example.net/kg/ --store %s:%s " FACTS,
          type, store)),
    0);
  // A query without --base uses the store's base for event: and friends.
  ck_assert_int_eq(dipkg(str("query -f tsv --store %s:%s -e 'SELECT ?d WHERE { "
                             "event:s-controls dip:date ?d }'",
                             type, store)),
                   0);
  ck_assert_msg(strstr(out, "2020-01-15"), "%s%s", out, err);
  // A reload without --base keeps the base: the same statements, not twice.
  ck_assert_int_eq(dipkg(str("stats --store %s:%s", type, store)), 0);
  char *stats = strdup(out);
  ck_assert_int_eq(dipkg(str("load -q --store %s:%s " FACTS, type, store)), 0);
  ck_assert_int_eq(dipkg(str("stats --store %s:%s", type, store)), 0);
  ck_assert_str_eq(out, stats);
  // Another base is refused unless --rebase.
  char *before = snapshot(store);
  ck_assert_int_eq(dipkg(str("load -q --base https://other.example/ --store "
                             "%s:%s " FACTS,
                             type, store)),
                   2);
  ck_assert_msg(strstr(err, "https://data.example.net/kg/"), "%s", err);
  ck_assert_msg(strstr(err, "--rebase"), "%s", err);
  char *after = snapshot(store);
  ck_assert_str_eq(before, after);
  ck_assert_int_eq(dipkg(str("load -q --rebase --base https://other.example/ "
                             "--store %s:%s " FACTS,
                             type, store)),
                   0);
  ck_assert_int_eq(dipkg(str("query -f tsv --store %s:%s -e 'SELECT ?d WHERE { "
                             "event:s-controls dip:date ?d }'",
                             type, store)),
                   0);
  ck_assert_msg(strstr(out, "2020-01-15"), "%s%s", out, err);
  free(store), free(stats), free(before), free(after);
}
END_TEST

/* ---------------------------------------------------- model details */

START_TEST(test_long_store_path_keeps_its_indexes)
{
  // A path near PATH_MAX: the Redland option string is longer than 4,096
  // bytes, and was cut (the store lost its predicate index).
  char *path = strdup(tu_scratch());
  char name[201];
  memset(name, 'd', 200);
  name[200] = '\0';
  while (strlen(path) < 3800) {
    char *deeper = str("%s/%s", path, name);
    free(path);
    path = deeper;
    ck_assert_int_eq(mkdir(path, 0777), 0);
  }
  // 4,030 bytes: the working copy's option string is over 4,096, and its
  // longest file name still under PATH_MAX.
  char *store = str("%s/%.*s", path, (int)(4030 - strlen(path) - 1), name);
  ck_assert_msg(dipkg(str("load -q --store bdb:%s " FACTS, store)) == 0, "%s",
                err);
  // Every index: the predicate index (p2so) was the one cut.
  int fd = open(store, O_RDONLY | O_DIRECTORY);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(faccessat(fd, "dipkg-p2so.db", F_OK, 0), 0);
  ck_assert_int_eq(faccessat(fd, "dipkg-contexts.db", F_OK, 0), 0);
  close(fd);
  free(path), free(store);
}
END_TEST

START_TEST(test_literal_datatypes_across_files)
{
  // Several Turtle files, each with literals of many datatypes: every
  // literal keeps its own (raptor reuses its buffers between files).
  enum { FILES = 4, TYPES = 12 };
  char *args = strdup("");
  char *expected = strdup("?s\t?d\n");
  for (int f = 0; f < FILES; f++) {
    char *body = strdup("@prefix t: <http://example.org/type#> .\n");
    for (int d = 0; d < TYPES; d++) {
      int type = (f * 5 + d * 7) % 17;
      char *line = str("%s<http://example.org/lit/f%d-%02d> "
                       "<http://example.org/lit/v> \"a\"^^t:type%d .\n",
                       body, f, d, type);
      free(body);
      body = line;
      char *row = str("%s<http://example.org/lit/f%d-%02d>\t"
                      "<http://example.org/type#type%d>\n",
                      expected, f, d, type);
      free(expected);
      expected = row;
    }
    char *name = str("types/file%d.ttl", f);
    const char *path = tu_write(name, body);
    char *grown = str("%s %s", args, path);
    free(args), free(body), free(name);
    args = grown;
  }
  const char *q = "-e 'SELECT ?s ?d WHERE { ?s <http://example.org/lit/v> ?o "
                  "BIND(DATATYPE(?o) AS ?d) } ORDER BY ?s'";
  // Queried without a store, and loaded into each kind of store.
  ck_assert_int_eq(dipkg(str("query -f tsv %s %s", q, args)), 0);
  ck_assert_str_eq(out, expected);
  for (int k = 0; k < 2; k++) {
    const char *type = k ? "sqlite" : "bdb";
    ck_assert_int_eq(dipkg(str("load -q --store %s:%s/types-%s %s", type,
                               tu_scratch(), type, args)),
                     0);
    ck_assert_int_eq(dipkg(str("query -f tsv --store %s:%s/types-%s %s", type,
                               tu_scratch(), type, q)),
                     0);
    ck_assert_str_eq(out, expected);
  }
  free(args), free(expected);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("store_safety");
  TCase *tc = tcase_create("store_safety");
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tcase_add_test(tc, test_load_refuses_directory_that_is_not_a_store);
  tcase_add_test(tc, test_load_refuses_file_that_is_not_a_store);
  tcase_add_test(tc, test_load_through_symbolic_link);
  tcase_add_test(tc, test_load_memory_store_refused);
  tcase_add_loop_test(tc, test_second_writer_waits_for_the_lock, 0, 2);
  tcase_add_loop_test(tc, test_two_loads_at_once_lose_nothing, 0, 2);
  tcase_add_loop_test(tc, test_full_disk_leaves_store_unchanged, 0, 2);
  tcase_add_test(tc, test_failed_commit_says_why);
  tcase_add_loop_test(tc, test_signal_during_load_leaves_no_copy, 0, 3);
  tcase_add_loop_test(tc, test_readers_during_a_load, 0, 2);
  tcase_add_test(tc, test_stale_working_copies_removed);
  tcase_add_test(tc, test_damaged_store_detected);
  tcase_add_loop_test(tc, test_read_only_store_queried_by_another_user, 0, 2);
  tcase_add_loop_test(tc, test_store_remembers_its_base, 0, 2);
  tcase_add_test(tc, test_long_store_path_keeps_its_indexes);
  tcase_add_test(tc, test_literal_datatypes_across_files);
  return tu_main(s);
}
