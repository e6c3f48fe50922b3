/* Where exports write (src/output.c, src/format.c): through symbolic links,
 * into FIFOs and devices without replacing them, never over an input,
 * nothing left behind by a signal or a full disk, stale temporaries of
 * killed runs removed; the output formats chosen by name and extension,
 * TriG, gzip, and standard output streamed. */
#include "testutil.h"

#include "corpus.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static char *out, *err;

/* Runs the shell command made from `fmt` (printf-style); returns the exit
 * status and keeps both outputs in `out` and `err`. */
static int __attribute__((format(printf, 1, 2))) sh(const char *fmt, ...)
{
  free(out);
  free(err);
  out = err = NULL;
  va_list ap;
  va_start(ap, fmt);
  char *cmd = NULL;
  ck_assert_int_ge(vasprintf(&cmd, fmt, ap), 0);
  va_end(ap);
  int rc = tu_run(cmd, &out, &err);
  free(cmd);
  return rc;
}

/* A path in the scratch directory (caller frees). */
static char *
scratch(const char *name)
{
  char *p = NULL;
  ck_assert_int_ge(asprintf(&p, "%s/%s", tu_scratch(), name), 0);
  return p;
}

static void
teardown(void)
{
  free(out);
  free(err);
  out = err = NULL;
}

/* The N-Triples export of the seed, as the reference content. */
static char *
seed_export(const char *format)
{
  ck_assert_int_eq(sh("%s export -q -f %s facts", tu_exe(), format), 0);
  char *text = out;
  out = NULL;
  return text;
}

/* Names in directory `dir` that look like a temporary output. */
static char *
temporaries(const char *dir)
{
  sh("ls -A '%s' | grep '\\.tmp-' || true", dir);
  char *list = out;
  out = NULL;
  return list;
}

START_TEST(test_symlink_is_written_through)
{
  char *real = scratch("link/real.nt"), *link = scratch("link/to-real.nt");
  tu_write("link/real.nt", "old\n");
  ck_assert_int_eq(symlink("real.nt", link), 0);
  ck_assert_int_eq(sh("%s export -q -o %s facts", tu_exe(), link), 0);
  struct stat sb;
  ck_assert_int_eq(lstat(link, &sb), 0);
  ck_assert_msg(S_ISLNK(sb.st_mode), "the link was replaced by a file");
  char *want = seed_export("ntriples");
  char *got = tu_read_file(real, NULL);
  ck_assert_str_eq(got, want);
  // A link to a link, and a dangling link (its target is created).
  char *link2 = scratch("link/to-link.nt"), *dangling = scratch("link/d.nt");
  ck_assert_int_eq(symlink("to-real.nt", link2), 0);
  ck_assert_int_eq(symlink("new.nt", dangling), 0);
  ck_assert_int_eq(sh("%s export -q -o %s facts && %s export -q -o %s facts",
                      tu_exe(), link2, tu_exe(), dangling),
                   0);
  ck_assert_int_eq(lstat(link2, &sb), 0);
  ck_assert(S_ISLNK(sb.st_mode));
  ck_assert_int_eq(lstat(dangling, &sb), 0);
  ck_assert(S_ISLNK(sb.st_mode));
  char *created = scratch("link/new.nt");
  char *text = tu_read_file(created, NULL);
  ck_assert_str_eq(text, want);
  free(text);
  free(created);
  free(link2);
  free(dangling);
  free(got);
  free(want);
  free(real);
  free(link);
}
END_TEST

START_TEST(test_fifo_and_devices_are_written_into)
{
  char *want = seed_export("turtle");
  // A FIFO read by a child: it gets the export, the FIFO stays.
  char *fifo = scratch("fifo"), *copy = scratch("from-fifo.ttl");
  ck_assert_int_eq(mkfifo(fifo, 0600), 0);
  ck_assert_int_eq(sh("cat %s > %s & reader=$!; %s export -q -o %s facts; "
                      "rc=$?; wait $reader; exit $rc",
                      fifo, copy, tu_exe(), fifo),
                   0);
  struct stat sb;
  ck_assert_int_eq(lstat(fifo, &sb), 0);
  ck_assert_msg(S_ISFIFO(sb.st_mode), "the FIFO was replaced");
  char *got = tu_read_file(copy, NULL);
  ck_assert_str_eq(got, want);
  free(got);
  // A character device of our own (root only: mknod), then /dev/null.
  if (geteuid() == 0) {
    char *null = scratch("null");
    ck_assert_int_eq(mknod(null, S_IFCHR | 0666, makedev(1, 3)), 0);
    ck_assert_int_eq(sh("%s export -q -o %s facts", tu_exe(), null), 0);
    ck_assert_int_eq(lstat(null, &sb), 0);
    ck_assert_msg(S_ISCHR(sb.st_mode), "the device node was replaced");
    free(null);
  }
  ck_assert_int_eq(sh("%s export -q -o /dev/null facts", tu_exe()), 0);
  ck_assert_str_eq(err, "");
  ck_assert_int_eq(lstat("/dev/null", &sb), 0);
  ck_assert(S_ISCHR(sb.st_mode));
  // /dev/stdout: the export arrives on standard output.
  ck_assert_int_eq(sh("%s export -q -o /dev/stdout facts", tu_exe()), 0);
  ck_assert_str_eq(out, want);
  // /dev/full: exit 3 and one message, the device stays.
  ck_assert_int_eq(sh("%s export -q -o /dev/full facts", tu_exe()), 3);
  ck_assert_str_eq(err,
                   "/dev/full: error: cannot write: No space left on device\n");
  ck_assert_int_eq(lstat("/dev/full", &sb), 0);
  ck_assert(S_ISCHR(sb.st_mode));
  free(copy);
  free(fifo);
  free(want);
}
END_TEST

START_TEST(test_mode_and_owner_are_kept)
{
  const char *path = tu_write("mode/out.nt", "old\n");
  ck_assert_int_eq(chmod(path, 0640), 0);
  bool root = geteuid() == 0;
  if (root)  // give it away, as a file another user keeps
    ck_assert_int_eq(chown(path, 65534, 65534), 0);
  ck_assert_int_eq(sh("%s export -q -o %s facts", tu_exe(), path), 0);
  struct stat sb;
  ck_assert_int_eq(stat(path, &sb), 0);
  ck_assert_uint_eq(sb.st_mode & 07777, 0640);
  if (root) {
    ck_assert_uint_eq(sb.st_uid, 65534);
    ck_assert_uint_eq(sb.st_gid, 65534);
  }
  // A new file gets 0666 less the umask.
  char *fresh = scratch("mode/new.nt");
  ck_assert_int_eq(sh("umask 027; %s export -q -o %s facts", tu_exe(), fresh),
                   0);
  ck_assert_int_eq(stat(fresh, &sb), 0);
  ck_assert_uint_eq(sb.st_mode & 07777, 0640);
  free(fresh);
}
END_TEST

START_TEST(test_output_that_is_an_input_is_refused)
{
  // A copy of the seed, so that a failure cannot damage the real one.
  char *dir = scratch("inputs");
  ck_assert_int_eq(sh("cp -R facts %s", dir), 0);
  char *input = scratch("inputs/entities.yaml");
  char *before = tu_read_file(input, NULL);
  ck_assert_ptr_nonnull(before);
  char *slink = scratch("link-to-input.ttl"), *hard = scratch("hard.ttl");
  ck_assert_int_eq(symlink(input, slink), 0);
  ck_assert_int_eq(link(input, hard), 0);
  const char *targets[] = {input, slink, hard};
  for (size_t i = 0; i < 3; i++) {
    ck_assert_int_eq(
      sh("%s export -q -f turtle -o %s %s", tu_exe(), targets[i], dir), 2);
    ck_assert_msg(strstr(err, "the output is also an input"), "%s: %s",
                  targets[i], err);
    char *after = tu_read_file(input, NULL);
    ck_assert_str_eq(after, before);
    free(after);
  }
  // The ontology is an input too.
  char *onto = scratch("dip.ttl");
  ck_assert_int_eq(sh("cp ontology/dip.ttl %s", onto), 0);
  ck_assert_int_eq(
    sh("%s export -q --ontology %s -o %s facts", tu_exe(), onto, onto), 2);
  ck_assert_ptr_nonnull(strstr(err, "the output is also an input"));
  // And a file of an ontology directory (the default is one).
  char *ontodir = scratch("ontology-copy");
  ck_assert_int_eq(sh("cp -R ontology %s", ontodir), 0);
  ck_assert_int_eq(sh("%s export -q --ontology %s -o %s/dip.ttl facts",
                      tu_exe(), ontodir, ontodir),
                   2);
  ck_assert_ptr_nonnull(strstr(err, "the output is also an input"));
  free(ontodir);
  free(onto);
  free(slink);
  free(hard);
  free(before);
  free(input);
  free(dir);
}
END_TEST

START_TEST(test_corpus_is_input)
{
  // The check every write path can make (stores use it for load).
  DipkgWorld *w = tu_world();
  DipkgCorpus *c = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(c, TU_FACTS), DIPKG_SUCCESS);
  const char *name = NULL;
  ck_assert(dipkg_corpus_is_input(c, TU_FACTS "/entities.yaml", &name));
  ck_assert_str_eq(name, TU_FACTS "/entities.yaml");
  ck_assert(dipkg_corpus_is_input(c, "./" TU_FACTS "//entities.yaml", &name));
  char *hard = scratch("is-input-hard.yaml");
  ck_assert_int_eq(link(TU_FACTS "/entities.yaml", hard), 0);
  ck_assert(dipkg_corpus_is_input(c, hard, &name));
  ck_assert_str_eq(name, TU_FACTS "/entities.yaml");
  // The ontology: a directory of Turtle files here.
  ck_assert(dipkg_corpus_is_input(c, "ontology/dip.ttl", &name));
  ck_assert_str_eq(name, dipkg_world_ontology_path(w));
  ck_assert(!dipkg_corpus_is_input(c, "README.md", &name));
  ck_assert(!dipkg_corpus_is_input(c, TU_FACTS, &name));
  ck_assert(!dipkg_corpus_is_input(c, "no/such/file", &name));
  unlink(hard);
  free(hard);
  dipkg_corpus_free(c);
  tu_world_free(w);
}
END_TEST

/* Generates a corpus big enough that an export takes a while. */
static char *
big_corpus(void)
{
  const char *gen = getenv("DIPKG_GEN");
  if (!gen || access(gen, X_OK))
    gen = "build/bench/gen";
  char *corpus = scratch("big-corpus");
  struct stat sb;
  if (stat(corpus, &sb))
    ck_assert_int_eq(sh("%s --articles 3000 --seed 7 --out %s", gen, corpus),
                     0);
  return corpus;
}

START_TEST(test_signals_leave_nothing)
{
  char *corpus = big_corpus();
  char *dir = scratch("sig");
  const char *target = tu_write("sig/out.nt", "the old content\n");
  static const struct {
    const char *name;
    int number;
  } sigs[] = {{"INT", SIGINT}, {"TERM", SIGTERM}, {"HUP", SIGHUP}};
  for (size_t i = 0; i < 3; i++) {
    // Signalled once its temporary exists, mid-way through the export.
    int rc = sh("%s export -j 1 -o %s %s & pid=$!; n=0; "
                "until ls -A %s | grep -q '\\.tmp-'; do "
                "n=$((n+1)); [ $n -gt 500 ] && break; sleep 0.01; done; "
                "kill -%s $pid; wait $pid",
                tu_exe(), target, corpus, dir, sigs[i].name);
    ck_assert_msg(rc == 128 + sigs[i].number, "SIG%s: exit %d, not killed",
                  sigs[i].name, rc);
    char *left = temporaries(dir);
    ck_assert_msg(!strcmp(left, ""), "SIG%s left %s", sigs[i].name, left);
    free(left);
    char *now = tu_read_file(target, NULL);
    ck_assert_str_eq(now, "the old content\n");
    free(now);
  }
  // SIGKILL cannot be caught: the temporary stays, and the next export to
  // the same path removes it, saying so.
  int rc = sh("%s export -j 1 -o %s %s & pid=$!; n=0; "
              "until ls -A %s | grep -q '\\.tmp-'; do "
              "n=$((n+1)); [ $n -gt 500 ] && break; sleep 0.01; done; "
              "kill -KILL $pid; wait $pid",
              tu_exe(), target, corpus, dir);
  ck_assert_int_eq(rc, 137);
  char *left = temporaries(dir);
  ck_assert_str_ne(left, "");
  free(left);
  // A temporary of a live process (this one) is left alone.
  char *alive = NULL;
  ck_assert_int_ge(
    asprintf(&alive, "sig/.out.nt.tmp-%ld-abcdef", (long)getpid()), 0);
  tu_write(alive, "in progress\n");
  ck_assert_int_eq(sh("%s export -o %s facts", tu_exe(), target), 0);
  ck_assert_msg(strstr(err, "note: removed '") &&
                  strstr(err, "the temporary output of an interrupted dipkg "
                              "run"),
                "%s", err);
  left = temporaries(dir);
  char *want = NULL;
  ck_assert_int_ge(asprintf(&want, ".out.nt.tmp-%ld-abcdef\n", (long)getpid()),
                   0);
  ck_assert_str_eq(left, want);
  free(want);
  free(left);
  free(alive);
  free(dir);
  free(corpus);
}
END_TEST

START_TEST(test_full_disk)
{
  // A file size limit (any user): writes fail with EFBIG as they would
  // with ENOSPC.  Exit 3, one message, target untouched, nothing left.
  const char *target = tu_write("full/out.nt", "old\n");
  char *dir = scratch("full");
  ck_assert_int_eq(sh("trap '' XFSZ; ulimit -f 16; %s export -q -o %s facts",
                      tu_exe(), target),
                   3);
  ck_assert_msg(strstr(err, "cannot write: File too large"), "%s", err);
  ck_assert_ptr_null(strchr(strchr(err, '\n') + 1, '\n'));  // one line
  char *now = tu_read_file(target, NULL);
  ck_assert_str_eq(now, "old\n");
  free(now);
  char *left = temporaries(dir);
  ck_assert_str_eq(left, "");
  free(left);
  // A real full file system (a 64 KiB tmpfs), when we may mount one.
  char *mnt = scratch("tmpfs");
  ck_assert_int_eq(mkdir(mnt, 0700), 0);
  if (geteuid() == 0 &&
      !sh("mount -t tmpfs -o size=64k dipkg-test %s 2>/dev/null", mnt)) {
    char *small = scratch("tmpfs/out.nt");
    FILE *f = fopen(small, "w");
    fputs("old\n", f);
    fclose(f);
    int rc = sh("%s export -q -o %s facts", tu_exe(), small);
    char *e = strdup(err);
    char *content = tu_read_file(small, NULL);
    char *rest = temporaries(mnt);
    // And a spool on the full file system (TMPDIR), for a device target.
    int rc2 =
      sh("TMPDIR=%s %s export -q -f nt -o /dev/null facts", mnt, tu_exe());
    char *e2 = strdup(err);
    sh("umount %s", mnt);
    ck_assert_int_eq(rc, 3);
    ck_assert_msg(strstr(e, "cannot write: No space left on device"), "%s", e);
    ck_assert_str_eq(content, "old\n");
    ck_assert_str_eq(rest, "");
    ck_assert_int_eq(rc2, 3);
    ck_assert_msg(strstr(e2, "spool file in ") &&
                    strstr(e2, "No space left on device; set TMPDIR"),
                  "%s", e2);
    free(e2);
    free(e);
    free(content);
    free(rest);
    free(small);
  }
  free(mnt);
  free(dir);
}
END_TEST

START_TEST(test_spool_follows_tmpdir)
{
  ck_assert_int_eq(
    sh("TMPDIR=/nonexistent-dipkg %s export -q -o /dev/null facts", tu_exe()),
    3);
  ck_assert_str_eq(err,
                   "dipkg: error: cannot create a spool file in "
                   "/nonexistent-dipkg: No such file or directory; set TMPDIR "
                   "to a directory with room\n");
}
END_TEST

START_TEST(test_formats_by_name_and_extension)
{
  // Unknown extensions are errors that name the extension and the known
  // ones; no extension means Turtle; -f overrides the name.
  static const char *const bad[] = {"x.ndjson", "x.yaml", "x.gz.txt",
                                    "x.json.gz"};
  for (size_t i = 0; i < 4; i++) {
    char *p = scratch(bad[i]);
    ck_assert_int_eq(sh("%s export -o %s facts", tu_exe(), p), 2);
    const char *ext = strchr(bad[i], '.');
    if (!strcmp(bad[i], "x.gz.txt"))
      ext = ".txt";
    else if (!strcmp(bad[i], "x.json.gz"))
      ext = ".json";
    char *want = NULL;
    ck_assert_int_ge(
      asprintf(&want, "extension '%.*s'", (int)strcspn(ext + 1, ".") + 1, ext),
      0);
    ck_assert_msg(strstr(err, want), "%s: %s", bad[i], err);
    ck_assert_ptr_nonnull(strstr(err, ".ttl, .turtle, .nt, .nq, .trig"));
    struct stat sb;
    ck_assert_int_ne(stat(p, &sb), 0);
    free(want);
    free(p);
  }
  char *plain = scratch("noext");
  ck_assert_int_eq(sh("%s export -q -o %s facts", tu_exe(), plain), 0);
  char *text = tu_read_file(plain, NULL);
  ck_assert(!strncmp(text, "@prefix", 7));
  free(text);
  char *forced = scratch("forced.yaml");
  ck_assert_int_eq(sh("%s export -q -f nt -o %s facts", tu_exe(), forced), 0);
  free(forced);
  free(plain);
  // The table, through the public API.
  DipkgFormat f;
  int gz;
  ck_assert_int_eq(dipkg_format_for_path("a/b.c/x.trig.gz", &f, &gz), 0);
  ck_assert_int_eq(f, DIPKG_FORMAT_TRIG);
  ck_assert_int_eq(gz, 1);
  ck_assert_int_eq(dipkg_format_for_path("a.b/noext", &f, &gz), 0);
  ck_assert_int_eq(f, DIPKG_FORMAT_TURTLE);
  ck_assert_int_eq(gz, 0);
  ck_assert_int_eq(dipkg_format_for_path("x.jsonl", &f, &gz), 0);
  ck_assert_int_eq(f, DIPKG_FORMAT_PLOVER_JSONL);
  ck_assert_int_eq(dipkg_format_for_path("x.json", &f, &gz), DIPKG_ERR_USAGE);
  ck_assert_int_eq(dipkg_format_for_path("x.jsonld", &f, &gz), 0);
  ck_assert_int_eq(f, DIPKG_FORMAT_JSONLD);
  ck_assert_int_eq(dipkg_format_from_name("trig", &f), 0);
  ck_assert_int_eq(f, DIPKG_FORMAT_TRIG);
  size_t n = 0;
  for (; dipkg_format_desc(n); n++) {
    const DipkgFormatDesc *d = dipkg_format_desc(n);
    DipkgFormat back;
    ck_assert_int_eq(dipkg_format_from_name(d->name, &back), 0);
    ck_assert_int_eq(back, d->format);
    ck_assert_str_eq(dipkg_format_name(d->format), d->name);
    ck_assert_ptr_nonnull(d->extensions[0]);
    ck_assert_ptr_nonnull(strchr(d->media_type, '/'));
  }
  ck_assert_uint_eq(n, 7);  // with jsonld and plover-jsonl
}
END_TEST

START_TEST(test_trig_parses_to_the_nquads_graph)
{
  char *trig = scratch("seed.trig"), *nq = scratch("seed.nq");
  ck_assert_int_eq(sh("%s export -q -o %s tests/data/seed && %s export -q -o "
                      "%s tests/data/seed",
                      tu_exe(), trig, tu_exe(), nq),
                   0);
  char *a = tu_canonical(trig), *b = tu_canonical(nq);
  ck_assert_ptr_nonnull(a);
  ck_assert_ptr_nonnull(b);
  ck_assert_str_eq(a, b);
  // serdi agrees, quad for quad (both write N-Quads the same way).
  ck_assert_int_eq(sh("serdi -i trig -o nquads %s | sort > %s.serdi && "
                      "sort %s | cmp - %s.serdi",
                      trig, trig, nq, trig),
                   0);
  // One graph block per article and entity graph, and deterministic.
  ck_assert_int_eq(
    sh("grep -c '^<https://example.org/dipkg/graph/[^ ]*> {$' %s", trig), 0);
  ck_assert_int_eq(atoi(out), 29);  // 1 article + 28 entities
  ck_assert_int_eq(
    sh("%s export -q -j 1 -f trig facts > %s.1 && %s export -q -j 3 -f trig "
       "facts | cmp - %s.1 && cmp %s %s.1",
       tu_exe(), trig, tu_exe(), trig, trig, trig),
    0);
  free(a);
  free(b);
  free(trig);
  free(nq);
}
END_TEST

START_TEST(test_gzip_outputs)
{
  static const char *const exts[] = {"nq", "nt", "ttl", "trig", "rdf"};
  for (size_t i = 0; i < 5; i++) {
    char *gz = NULL, *plain = NULL;
    ck_assert_int_ge(asprintf(&gz, "%s/z.%s.gz", tu_scratch(), exts[i]), 0);
    ck_assert_int_ge(asprintf(&plain, "%s/z.%s", tu_scratch(), exts[i]), 0);
    ck_assert_int_eq(sh("%s export -q -o %s facts && %s export -q -o %s facts",
                        tu_exe(), gz, tu_exe(), plain),
                     0);
    ck_assert_msg(!sh("gzip -dc %s | cmp - %s", gz, plain),
                  "%s: gzip -dc differs from the plain export", gz);
    // Byte-identical twice, a second apart: no name and no time in the
    // header.
    ck_assert_int_eq(sh("cp %s %s.1 && sleep %s && %s export -q -o %s facts "
                        "&& cmp %s %s.1",
                        gz, gz, i ? "0" : "1.1", tu_exe(), gz, gz, gz),
                     0);
    size_t len;
    unsigned char *bytes = (unsigned char *)tu_read_file(gz, &len);
    ck_assert_uint_gt(len, 18);
    ck_assert_uint_eq(bytes[0], 0x1f);
    ck_assert_uint_eq(bytes[1], 0x8b);
    ck_assert_uint_eq(bytes[3] & 0x08, 0);                        // no FNAME
    ck_assert(!bytes[4] && !bytes[5] && !bytes[6] && !bytes[7]);  // MTIME 0
    free(bytes);
    free(gz);
    free(plain);
  }
}
END_TEST

START_TEST(test_stdout_is_streamed)
{
  // A corpus whose last file fails only in pass 2 (an unknown reference):
  // what came before is already out, and the export says it is incomplete.
  char *dir = scratch("partial");
  ck_assert_int_eq(sh("cp -R facts %s", dir), 0);
  tu_write("partial/zz.yaml", "entities:\n"
                              "  - id: zz-place\n"
                              "    type: City\n"
                              "    name: Zz\n"
                              "    within: no-such-entity\n");
  ck_assert_int_eq(sh("%s export -j 1 -f ntriples %s", tu_exe(), dir), 1);
  ck_assert_msg(strstr(err, "unknown entity 'no-such-entity'"), "%s", err);
  ck_assert_msg(strstr(err, "the output on standard output is incomplete"),
                "%s", err);
  ck_assert_msg(strlen(out) > 1000, "nothing was streamed");
  // With -o, still nothing unless valid.
  char *target = scratch("partial.nt");
  ck_assert_int_eq(sh("%s export -q -j 1 -o %s %s", tu_exe(), target, dir), 1);
  struct stat sb;
  ck_assert_int_ne(stat(target, &sb), 0);
  free(target);
  free(dir);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("output");
  TCase *tc = tcase_create("output");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_symlink_is_written_through);
  tcase_add_test(tc, test_fifo_and_devices_are_written_into);
  tcase_add_test(tc, test_mode_and_owner_are_kept);
  tcase_add_test(tc, test_output_that_is_an_input_is_refused);
  tcase_add_test(tc, test_corpus_is_input);
  tcase_add_test(tc, test_signals_leave_nothing);
  tcase_add_test(tc, test_full_disk);
  tcase_add_test(tc, test_spool_follows_tmpdir);
  tcase_add_test(tc, test_formats_by_name_and_extension);
  tcase_add_test(tc, test_trig_parses_to_the_nquads_graph);
  tcase_add_test(tc, test_gzip_outputs);
  tcase_add_test(tc, test_stdout_is_streamed);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
