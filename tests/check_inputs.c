/* What dipkg reads, and what it refuses to read: FIFOs and other files that
 * are not regular, `text:` paths that leave the facts' directory tree, a
 * facts file that changes between the two passes of a run, more threads
 * than the pool holds, standard input, gzip RDF inputs and the names a
 * directory walk picks up. */
#include "testutil.h"

#include "buf.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs `dipkg ARGS` (a shell command line, run in the scratch directory)
 * under a timeout: a read that blocks fails the test instead of hanging
 * the suite.  Returns the exit status and keeps the outputs. */
static char *out, *err;

static int
dipkg(const char *args)
{
  free(out);
  free(err);
  char exe[1024];
  if (tu_exe()[0] == '/' || !getcwd(exe, sizeof exe - 1))
    snprintf(exe, sizeof exe, "%s", tu_exe());
  else
    snprintf(exe + strlen(exe), sizeof exe - strlen(exe), "/%s", tu_exe());
  char onto[1024];
  if (!getcwd(onto, sizeof onto - 16))
    onto[0] = '\0';
  strcat(onto, "/" TU_ONTOLOGY);
  DipkgBuf cmd = DIPKG_BUF_INIT;
  dipkg_buf_printf(&cmd, "cd '%s' && DIPKG_ONTOLOGY='%s' timeout 10 '%s' %s",
                   tu_scratch(), onto, exe, args);
  int rc = tu_run(dipkg_buf_cstr(&cmd), &out, &err);
  dipkg_buf_free(&cmd);
  return rc;
}

static void
teardown(void)
{
  free(out);
  free(err);
  out = err = NULL;
}

/* The path of `name` in the scratch directory (static storage). */
static const char *
scratch_path(const char *name)
{
  static char path[1024];
  snprintf(path, sizeof path, "%s/%s", tu_scratch(), name);
  return path;
}

static void
make_fifo(const char *name)
{
  ck_assert_msg(mkfifo(scratch_path(name), 0600) == 0, "mkfifo %s", name);
}

/* A small valid article, its text beside it. */
static const char *const article =
  "article:\n"
  "  id: a1\n"
  "  headline: H\n"
  "  publisher: agency\n"
  "  published: 2020-01-02\n"
  "  text: %s\n"
  "entities:\n"
  "  - {id: agency, type: NewsOrganization, name: Agency}\n"
  "events:\n"
  "  - {id: e1, type: Summit, date: 2020, quotes: [\"%s\"]}\n";

static const char *
write_article(const char *name, const char *text_path, const char *quote)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, article, text_path, quote);
  const char *path = tu_write(name, dipkg_buf_cstr(&b));
  dipkg_buf_free(&b);
  return path;
}

/* ------------------------------------------------------------ threads */

START_TEST(test_more_jobs_than_threads)
{
  // 71 files and 100 jobs asked for: the pool has at most DIPKG_MAX_JOBS
  // threads (a stack array of 64 overflowed here), and the output is the
  // one a single thread gives.
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(
    &b, "entities:\n  - {id: agency, type: NewsOrganization, name: Agency}\n");
  tu_write("jobs/entities.yaml", dipkg_buf_cstr(&b));
  for (int a = 0; a < 70; a++) {
    dipkg_buf_clear(&b);
    dipkg_buf_printf(&b,
                     "article: {id: art-%d, headline: \"H %d\", publisher: "
                     "agency, published: 2020-01-02}\n"
                     "events:\n  - {id: ev-%d, type: Summit, date: 2020}\n",
                     a, a, a);
    char name[64];
    snprintf(name, sizeof name, "jobs/a%03d.yaml", a);
    tu_write(name, dipkg_buf_cstr(&b));
  }
  dipkg_buf_free(&b);
  const char *paths[] = {scratch_path("jobs"), NULL};
  DipkgStatus st;
  char *one = tu_export(paths, DIPKG_FORMAT_NQUADS, 1, &st);
  ck_assert_msg(st == DIPKG_SUCCESS, "%s", tu_diags());
  char *many = tu_export(paths, DIPKG_FORMAT_NQUADS, 100, &st);
  ck_assert_msg(st == DIPKG_SUCCESS, "%s", tu_diags());
  ck_assert_str_eq(many, one);
  free(many);
  many = tu_export(paths, DIPKG_FORMAT_NQUADS, 4000000000u, &st);
  ck_assert_int_eq(st, DIPKG_SUCCESS);
  ck_assert_str_eq(many, one);
  free(many);
  free(one);
  // The command line takes the same bound.
  ck_assert_int_eq(dipkg("validate -j 65 jobs"), 2);
  ck_assert_ptr_nonnull(strstr(err, "invalid --jobs '65' (expected 1 to 64)"));
  ck_assert_int_eq(dipkg("validate -j 64 jobs"), 0);
}
END_TEST

/* -------------------------------------------------------------- FIFOs */

START_TEST(test_fifo_facts_file)
{
  make_fifo("pipe.yaml");
  ck_assert_int_eq(dipkg("validate pipe.yaml"), 1);
  ck_assert_ptr_nonnull(strstr(
    err, "pipe.yaml: error: cannot read: it is a FIFO (named pipe), not a "
         "regular file"));
  // Inside a directory walk a FIFO is not a facts file: skipped.
  tu_write("walk/entities.yaml",
           "entities: [{id: agency, type: NewsOrganization, name: A}]\n");
  make_fifo("walk/pipe.yaml");
  ck_assert_int_eq(dipkg("validate walk"), 0);
}
END_TEST

START_TEST(test_fifo_text)
{
  make_fifo("text.txt");
  write_article("fifo-text.yaml", "text.txt", "x");
  ck_assert_int_eq(dipkg("validate fifo-text.yaml"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "fifo-text.yaml:6:9: error: article text 'text.txt': cannot "
                "read: it is a FIFO (named pipe), not a regular file"));
}
END_TEST

START_TEST(test_fifo_rdf_input)
{
  // Exit 3, as for any RDF input that cannot be read.
  make_fifo("pipe.ttl");
  ck_assert_int_eq(dipkg("query -e 'SELECT * { ?s ?p ?o }' pipe.ttl"), 3);
  ck_assert_ptr_nonnull(strstr(
    err, "pipe.ttl: error: cannot read: it is a FIFO (named pipe), not a "
         "regular file"));
  ck_assert_int_eq(dipkg("load --store sqlite:fifo.db pipe.ttl"), 3);
  ck_assert_ptr_nonnull(strstr(err, "pipe.ttl: error: cannot read: it is a "
                                    "FIFO"));
}
END_TEST

START_TEST(test_fifo_ontology)
{
  make_fifo("onto.ttl");
  tu_write("o.yaml", "entities: []\n");
  ck_assert_int_eq(dipkg("validate --ontology onto.ttl o.yaml"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "onto.ttl: error: cannot read the ontology: it is a FIFO "
                "(named pipe), not a regular file"));
  // In an ontology directory too.
  tu_write("odir/readme.txt", "");
  make_fifo("odir/dip.ttl");
  ck_assert_int_eq(dipkg("validate --ontology odir o.yaml"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "dip.ttl: error: cannot read: it is a FIFO (named pipe)"));
}
END_TEST

START_TEST(test_fifo_query_file)
{
  make_fifo("q.rq");
  ck_assert_int_eq(dipkg("query --store sqlite:none.db q.rq"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "q.rq: error: cannot read the query: it is a FIFO (named "
                "pipe), not a regular file"));
}
END_TEST

START_TEST(test_not_regular)
{
  // A device is refused without being opened (opening some devices acts).
  ck_assert_int_eq(dipkg("validate /dev/null"), 1);
  ck_assert_ptr_nonnull(strstr(
    err, "/dev/null: error: cannot read: it is a character device, not a "
         "regular file"));
  write_article("dev-text.yaml", "/dev/zero", "x");
  ck_assert_int_eq(dipkg("validate --allow-outside-text dev-text.yaml"), 1);
  ck_assert_ptr_nonnull(strstr(err, "dev-text.yaml:6:9: error: article text "
                                    "'/dev/zero': cannot read: it is a "
                                    "character device"));
}
END_TEST

/* ------------------------------------------------------ text: paths */

START_TEST(test_text_outside_tree)
{
  tu_write("tree/sub/story.txt", "inside");
  tu_write("tree/top.txt", "top");
  tu_write("secret.txt", "secret");
  write_article("tree/sub/up.yaml", "../../secret.txt", "secret");
  // Given the directory: the text leaves it.
  ck_assert_int_eq(dipkg("validate tree"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "tree/sub/up.yaml:6:9: error: article text "
                "'../../secret.txt' is outside 'tree', the directory tree of "
                "the facts given on the command line; texts are read only "
                "inside it (unless --allow-outside-text is given)"));
  ck_assert_int_eq(dipkg("validate --allow-outside-text tree"), 0);
  // The tree is the one given: ../top.txt is inside tree/, not tree/sub/.
  write_article("tree/sub/up.yaml", "../top.txt", "top");
  ck_assert_int_eq(dipkg("validate tree"), 0);
  ck_assert_int_eq(dipkg("validate tree/sub/up.yaml"), 1);
  ck_assert_ptr_nonnull(strstr(err, "is outside 'tree/sub', the directory"));
  ck_assert_int_eq(dipkg("validate tree/sub"), 1);
  // An absolute path, in the tree or not.
  write_article("tree/sub/abs.yaml", "/etc/passwd", "root");
  tu_write("tree/sub/up.yaml", "entities: []\n");
  ck_assert_int_eq(dipkg("validate tree"), 1);
  ck_assert_ptr_nonnull(strstr(err, "tree/sub/abs.yaml:6:9: error: article "
                                    "text '/etc/passwd' is outside 'tree'"));
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, "%s/tree/sub/story.txt", tu_scratch());
  write_article("tree/sub/abs.yaml", dipkg_buf_cstr(&b), "inside");
  ck_assert_int_eq(dipkg("validate tree"), 0);
  // A symbolic link inside the tree that points out of it.
  dipkg_buf_clear(&b);
  dipkg_buf_printf(&b, "%s/tree/sub/link.txt", tu_scratch());
  ck_assert_int_eq(symlink("../../secret.txt", dipkg_buf_cstr(&b)), 0);
  write_article("tree/sub/abs.yaml", "link.txt", "secret");
  ck_assert_int_eq(dipkg("validate tree"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "article text 'link.txt' is outside 'tree'"));
  dipkg_buf_free(&b);

  // The library: the same check, and the world setting that lifts it.
  const char *paths[] = {scratch_path("tree"), NULL};
  ck_assert_int_eq(tu_validate(paths), DIPKG_ERR_DATA);
  ck_assert_ptr_nonnull(strstr(tu_diags(), "'link.txt' is outside"));
  DipkgWorld *w = tu_world();
  dipkg_world_set_allow_outside_text(w, 1);
  DipkgCorpus *c = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(c, scratch_path("tree")),
                   DIPKG_SUCCESS);
  tu_diags_clear();
  ck_assert_msg(dipkg_corpus_validate(c, NULL) == DIPKG_SUCCESS, "%s",
                tu_diags());
  dipkg_corpus_free(c);
  tu_world_free(w);
}
END_TEST

/* --------------------------------------------- a file changed mid-run */

#ifdef DIPKG_FAULT_INJECTION
extern void (*dipkg_fault_between_passes)(void);

/* What the hook does to changed/entities.yaml between the passes. */
static enum { SAME_SIZE, SHORTER, REMOVED, TOUCHED } change;

static const char gazetteer[] =
  "entities: [{id: agency, type: NewsOrganization, name: Agency}]\n";

static void
change_file(void)
{
  const char *path = scratch_path("changed/entities.yaml");
  struct stat before;
  ck_assert_int_eq(stat(path, &before), 0);
  switch (change) {
  case SAME_SIZE: {  // other content, same size and modification time
    tu_write(
      "changed/entities.yaml",
      "entities: [{id: agencz, type: NewsOrganization, name: Agency}]\n");
    struct timespec times[2] = {before.st_atim, before.st_mtim};
    ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
    break;
  }
  case SHORTER:
    tu_write("changed/entities.yaml", "entities: []\n");
    break;
  case REMOVED:
    ck_assert_int_eq(unlink(path), 0);
    break;
  case TOUCHED: {
    struct timespec times[2] = {before.st_atim, before.st_mtim};
    times[1].tv_sec -= 10;
    ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
    break;
  }
  }
}
#endif

START_TEST(test_file_changed_between_passes)
{
#ifdef DIPKG_FAULT_INJECTION
  static const char *const what[] = {"its content", "its size",
                                     "whether it can be read",
                                     "its modification time"};
  tu_write("changed/a.yaml",
           "article: {id: a1, headline: H, publisher: agency, "
           "published: 2020-01-02}\n"
           "events: [{id: e1, type: Summit, date: 2020}]\n");
  const char *paths[] = {scratch_path("changed"), NULL};
  for (unsigned jobs = 1; jobs <= 2; jobs++) {
    for (int k = SAME_SIZE; k <= TOUCHED; k++) {
      tu_write("changed/entities.yaml", gazetteer);
      change = k;
      dipkg_fault_between_passes = change_file;
      DipkgStatus st;
      tu_diags_clear();
      char *text = tu_export(paths, DIPKG_FORMAT_NQUADS, jobs, &st);
      dipkg_fault_between_passes = NULL;
      free(text);
      ck_assert_msg(st == DIPKG_ERR_DATA, "change %d: status %d", k, st);
      DipkgBuf b = DIPKG_BUF_INIT;
      dipkg_buf_printf(&b,
                       "changed/entities.yaml: error: the file changed while "
                       "dipkg was reading it (%s differs between the run's "
                       "two passes); the run fails rather than give a graph "
                       "that matches neither version: run it again",
                       what[k]);
      ck_assert_msg(strstr(tu_diags(), dipkg_buf_cstr(&b)), "change %d: %s", k,
                    tu_diags());
      dipkg_buf_free(&b);
    }
  }
  // Without a change the same run succeeds.
  tu_write("changed/entities.yaml", gazetteer);
  DipkgStatus st;
  free(tu_export(paths, DIPKG_FORMAT_NQUADS, 1, &st));
  ck_assert_msg(st == DIPKG_SUCCESS, "%s", tu_diags());
#else
  // The hook exists in the test build only (make asan), as the allocation
  // failure hook does; `make check` builds without it.
  (void)write_article;
#endif
}
END_TEST

/* ---------------------------------------------------- standard input */

START_TEST(test_stdin_facts)
{
  tu_write("in/story.txt", "They met.");
  write_article("stdin-a.yaml", "in/story.txt", "They met.");
  // One facts file from standard input: the same graph as from the file;
  // its text: is relative to the current directory.
  ck_assert_int_eq(dipkg("export -f nquads stdin-a.yaml"), 0);
  char *from_file = strdup(out);
  ck_assert_int_eq(dipkg("export -f nquads - < stdin-a.yaml"), 0);
  ck_assert_str_eq(out, from_file);
  ck_assert_ptr_nonnull(strstr(out, "They met."));
  free(from_file);
  ck_assert_int_eq(dipkg("validate -q - < stdin-a.yaml"), 0);
  // Diagnostics name it <stdin>.
  tu_write("in/bad.yaml", "entities: [{id: x, type: Sumit, name: X}]\n");
  ck_assert_int_eq(dipkg("validate - < in/bad.yaml"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "<stdin>:1:26: error: unknown entity type 'Sumit'"));
  // Given twice, and with a command that reads no facts.
  ck_assert_int_eq(dipkg("validate - - < stdin-a.yaml"), 2);
  ck_assert_ptr_nonnull(strstr(err, "standard input ('-') given twice"));
  ck_assert_int_eq(dipkg("export --input-format turtle - < stdin-a.yaml"), 2);
  ck_assert_ptr_nonnull(
    strstr(err, "dipkg: export takes no option --input-format\n"));
  // The text of a facts file from standard input stays in the current
  // directory's tree.
  write_article("in/up.yaml", "/etc/passwd", "x");
  ck_assert_int_eq(dipkg("validate - < in/up.yaml"), 1);
  ck_assert_ptr_nonnull(strstr(err, "<stdin>:6:9: error: article text "
                                    "'/etc/passwd' is outside '.'"));
}
END_TEST

START_TEST(test_stdin_query)
{
  tu_write("q/data.nt", "<http://x/a> <http://x/b> \"c\" .\n");
  tu_write("q/count.rq", "SELECT (COUNT(*) AS ?n) { ?s <http://x/b> ?o }\n");
  ck_assert_int_eq(dipkg("query -f csv - q/data.nt < q/count.rq"), 0);
  ck_assert_str_eq(out, "n\r\n1\r\n");
  ck_assert_int_eq(dipkg("query -f csv -e - q/data.nt < q/count.rq"), 0);
  ck_assert_str_eq(out, "n\r\n1\r\n");
  // Its errors name it.
  tu_write("q/bad.rq", "SELECT * {\n ?s ?p\n");
  ck_assert_int_eq(dipkg("query -e - q/data.nt < q/bad.rq"), 2);
  ck_assert_ptr_nonnull(strstr(err, "<stdin>:"));
  ck_assert_int_eq(dipkg("query -e - - < q/count.rq"), 2);
  ck_assert_ptr_nonnull(strstr(err, "standard input ('-') given twice"));
}
END_TEST

START_TEST(test_stdin_rdf)
{
  tu_write("r/data.nt", "<http://x/a> <http://x/b> \"c\" .\n"
                        "<http://x/a> <http://x/b> \"d\" .\n");
  tu_write("r/bad.ttl", "<http://x/a> <http://x/b> \"c\"\n");
  const char *q = "-f csv -e 'SELECT (COUNT(*) AS ?n) { ?s <http://x/b> ?o }'";
  char cmd[512];
  snprintf(cmd, sizeof cmd, "query --input-format ntriples %s - < r/data.nt",
           q);
  ck_assert_int_eq(dipkg(cmd), 0);
  ck_assert_str_eq(out, "n\r\n2\r\n");
  // Without --input-format the syntax cannot be told: '-' is facts then.
  snprintf(cmd, sizeof cmd, "query %s - < r/data.nt", q);
  ck_assert_int_eq(dipkg(cmd), 1);
  snprintf(cmd, sizeof cmd, "query --input-format ttl %s - < r/bad.ttl", q);
  ck_assert_int_eq(dipkg(cmd), 1);
  ck_assert_ptr_nonnull(strstr(err, "<stdin>:2:1: error: RDF syntax error"));
  snprintf(cmd, sizeof cmd, "query --input-format n3 %s - < r/data.nt", q);
  ck_assert_int_eq(dipkg(cmd), 2);
  ck_assert_ptr_nonnull(strstr(err, "unknown input format 'n3' (expected "
                                    "turtle, ntriples, nquads, rdfxml or "
                                    "trig)"));
  // Loaded, it is read once (checked, then loaded) into its own graph.
  ck_assert_int_eq(
    dipkg("load -q --store sqlite:r/s.db --input-format nt - < r/data.nt"), 0);
  // (A graph of RDF statements outside named graphs: GRAPH <iri> reads it,
  // GRAPH ?g lists the data's named graphs only: docs/sparql.md.)
  ck_assert_int_eq(dipkg("query --store sqlite:r/s.db -f csv -e 'SELECT "
                         "(COUNT(*) AS ?n) { GRAPH <file:///dev/stdin> { ?s "
                         "<http://x/b> ?o } }'"),
                   0);
  ck_assert_str_eq(out, "n\r\n2\r\n");
}
END_TEST

/* ------------------------------------------------------ gzip inputs */

START_TEST(test_gzip_rdf_inputs)
{
  ck_assert_str_eq(dipkg_rdf_syntax_for_path("a/x.ttl.gz"), "turtle");
  ck_assert_str_eq(dipkg_rdf_syntax_for_path("x.nq.gz"), "nquads");
  ck_assert_ptr_null(dipkg_rdf_syntax_for_path("x.gz"));
  ck_assert_ptr_null(dipkg_rdf_syntax_for_path("x.yaml.gz"));
  ck_assert_ptr_null(dipkg_rdf_syntax_for_path("a.ttl/x"));
  static const struct {
    const char *name, *text;
  } files[] = {
    {"z/a.ttl", "@prefix x: <http://x/> .\nx:a x:b \"c\", \"d\" .\n"},
    {"z/a.nt", "<http://x/a> <http://x/b> \"c\" .\n<http://x/a> <http://x/b> "
               "\"d\" .\n"},
    {"z/a.nq", "<http://x/a> <http://x/b> \"c\" <http://x/g> .\n<http://x/a> "
               "<http://x/b> \"d\" <http://x/g> .\n"},
    {"z/a.rdf", "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-"
                "ns#\" xmlns:x=\"http://x/\"><rdf:Description rdf:about="
                "\"http://x/a\"><x:b>c</x:b><x:b>d</x:b></rdf:Description>"
                "</rdf:RDF>\n"},
    {"z/a.trig", "<http://x/g> { <http://x/a> <http://x/b> \"c\", \"d\" }\n"}};
  // (The default graph: the union of the loaded graphs, whatever the
  // syntax put the statements in.)
  const char *q = "-f csv -e 'SELECT (COUNT(*) AS ?n) { ?s <http://x/b> ?o "
                  "}'";
  char cmd[512];
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    tu_write(files[i].name, files[i].text);
    char gz[600];
    snprintf(gz, sizeof gz, "cd '%s' && gzip -kf %s", tu_scratch(),
             files[i].name);
    ck_assert_int_eq(tu_run(gz, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "query %s %s.gz", q, files[i].name);
    ck_assert_msg(dipkg(cmd) == 0, "%s: %s", files[i].name, err);
    ck_assert_str_eq(out, "n\r\n2\r\n");
  }
  // Loaded: the statements of x.nq.gz keep their named graph, which GRAPH ?g
  // lists (x.ttl.gz's are in its file's graph, which GRAPH ?g does not).
  ck_assert_int_eq(dipkg("load -q --store sqlite:z/s.db z/a.nq.gz z/a.ttl.gz"),
                   0);
  ck_assert_int_eq(dipkg("query --store sqlite:z/s.db -f csv -e 'SELECT "
                         "(COUNT(*) AS ?n) { GRAPH ?g { ?s <http://x/b> ?o } "
                         "}'"),
                   0);
  ck_assert_str_eq(out, "n\r\n2\r\n");

  // Corrupt, truncated, and not gzip at all: exit 1, the file named.
  char sh[900];
  snprintf(
    sh, sizeof sh,
    "cd '%s/z' && head -c 40 a.nq.gz > cut.nq.gz && "
    "cp a.nq.gz bad.nq.gz && "
    "printf 'XXXXXXXXXXXX' | dd of=bad.nq.gz bs=1 seek=12 "
    "conv=notrunc 2>/dev/null && cp a.nq plain.nq.gz && : > empty.ttl.gz",
    tu_scratch());
  ck_assert_int_eq(tu_run(sh, NULL, NULL), 0);
  static const struct {
    const char *file, *message;
  } bad[] = {
    {"z/cut.nq.gz", "z/cut.nq.gz: error: cannot read: the gzip data is "
                    "truncated (zlib: unexpected end of file)"},
    {"z/bad.nq.gz", "z/bad.nq.gz: error: cannot read: the gzip data is "
                    "corrupt (zlib: "},
    {"z/plain.nq.gz", "z/plain.nq.gz: error: cannot read: the file is not "
                      "gzip data (its name ends in .gz)"},
    {"z/empty.ttl.gz", "z/empty.ttl.gz: error: cannot read: the file is not "
                       "gzip data"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    snprintf(cmd, sizeof cmd, "query %s %s", q, bad[i].file);
    ck_assert_int_eq(dipkg(cmd), 1);
    ck_assert_msg(strstr(err, bad[i].message), "%s: %s", bad[i].file, err);
    snprintf(cmd, sizeof cmd, "load --store sqlite:z/s.db %s", bad[i].file);
    ck_assert_int_eq(dipkg(cmd), 1);
    ck_assert_ptr_nonnull(strstr(err, "the store is unchanged"));
  }
}
END_TEST

/* ------------------------------------------------------- directory walks */

START_TEST(test_walk_names)
{
  // *.json and upper-case extensions are facts files; other names are not.
  tu_write("names/a.YAML",
           "entities: [{id: agency, type: NewsOrganization, name: A}]\n");
  tu_write("names/b.Yml", "entities: [{id: b, type: Country, name: B}]\n");
  tu_write("names/c.json",
           "{\n\t\"entities\": [\n\t\t{\"id\": \"c\", \"type\": "
           "\"Country\", \"name\": \"C\\/D \\u00e9\"}\n\t]\n}\n");
  tu_write("names/d.JSON", "{\"entities\":[{\"id\":\"d\",\"type\":"
                           "\"Country\",\"name\":\"D\"}]}");
  tu_write("names/notes.txt", "not facts");
  tu_write("names/e.yaml.bak", "not: facts");
  ck_assert_int_eq(dipkg("stats names"), 0);
  ck_assert_ptr_nonnull(strstr(out, "files      4\n"));
  ck_assert_ptr_nonnull(strstr(out, "entities   4\n"));
  ck_assert_int_eq(dipkg("export -f ntriples names"), 0);
  ck_assert_ptr_nonnull(strstr(out, "\"C/D \xC3\xA9\"@en"));
  // A JSON error is located as a YAML one is.
  tu_write("names/d.JSON", "{\"entities\":[{\"id\":\"d\",\"type\":"
                           "\"Sumit\",\"name\":\"D\"}]}");
  ck_assert_int_eq(dipkg("validate names"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "names/d.JSON:1:31: error: unknown entity type 'Sumit'"));
  tu_write("none/x.txt", "");
  ck_assert_int_eq(dipkg("validate none"), 2);
  ck_assert_ptr_nonnull(strstr(err, "none: error: the directory holds no "
                                    "facts files (*.yaml, *.yml or *.json)"));
}
END_TEST

START_TEST(test_json_surrogate_pairs)
{
  // JSON escapes a character beyond U+FFFF as a UTF-16 surrogate pair
  // (Python's json.dumps() does by default); libyaml refused it.
  tu_write("sp/a.json",
           "{\"entities\": [{\"id\": \"x\", \"type\": \"Country\", "
           "\"name\": \"\\ud83d\\ude00 \\\"q\\\" \\uD83C\\uDDEF\"}]}\n");
  ck_assert_int_eq(dipkg("export -f ntriples sp/a.json"), 0);
  ck_assert_msg(
    strstr(out, "\"\xF0\x9F\x98\x80 \\\"q\\\" \xF0\x9F\x87\xAF\"@en"), "%s",
    out);
  // Locations after rewritten pairs still point into the file as it is.
  tu_write("sp/a.json",
           "{\"entities\": [{\"id\": \"x\", \"name\": \"\\ud83d\\ude00\\ud83d"
           "\\ude00\", \"type\": \"Sumit\"}]}\n");
  ck_assert_int_eq(dipkg("validate --brief sp/a.json"), 1);
  ck_assert_ptr_nonnull(
    strstr(err, "sp/a.json:1:71: error: unknown entity type 'Sumit'"));
  // A lone surrogate stays an error; in YAML (not JSON-shaped) a pair is
  // not rewritten, and the message says how to write the character.
  tu_write("sp/a.json", "{\"entities\": [{\"id\": \"x\", \"type\": "
                        "\"Country\", \"name\": \"\\\\ud83d\\ude00\"}]}\n");
  ck_assert_int_eq(dipkg("validate --brief sp/a.json"), 1);
  ck_assert_ptr_nonnull(strstr(err, "sp/a.json:1:64: error: YAML syntax "
                                    "error: while parsing a quoted scalar "
                                    "found invalid Unicode character escape "
                                    "code"));
  tu_write("sp/b.yaml", "entities: [{id: x, type: Country, name: "
                        "\"\\ud83d\\ude00\"}]\n");
  ck_assert_int_eq(dipkg("validate --brief sp/b.yaml"), 1);
  ck_assert_ptr_nonnull(strstr(err, "in YAML write the character, or "
                                    "\\U0001F600)"));
}
END_TEST

START_TEST(test_gzip_facts)
{
  // Facts files and texts may be gzipped too: the same graph as plain.
  tu_write("gzf/story.txt", "They met.");
  write_article("gzf/a.yaml", "story.txt", "They met.");
  tu_write("gzf/b.json", "{\"entities\": [{\"id\": \"b\", \"type\": "
                         "\"Country\", \"name\": \"B\"}]}");
  ck_assert_int_eq(dipkg("export -f nquads gzf"), 0);
  char *plain = strdup(out);
  char sh[600];
  snprintf(sh, sizeof sh, "cd '%s/gzf' && gzip a.yaml b.json", tu_scratch());
  ck_assert_int_eq(tu_run(sh, NULL, NULL), 0);
  ck_assert_int_eq(dipkg("export -f nquads gzf"), 0);
  ck_assert_str_eq(out, plain);
  write_article("gzf/a.yaml", "story.txt.gz", "They met.");
  snprintf(sh, sizeof sh, "cd '%s/gzf' && gzip -f a.yaml story.txt",
           tu_scratch());
  ck_assert_int_eq(tu_run(sh, NULL, NULL), 0);
  ck_assert_int_eq(dipkg("export -f nquads gzf"), 0);
  ck_assert_ptr_nonnull(strstr(out, "They met."));
  free(plain);
  // Bad gzip is the file's error; a bomb stops at the size limit.
  snprintf(sh, sizeof sh,
           "cd '%s/gzf' && head -c 30 a.yaml.gz > cut.yaml.gz && "
           "head -c 70000000 /dev/zero | gzip > bomb.yaml.gz",
           tu_scratch());
  ck_assert_int_eq(tu_run(sh, NULL, NULL), 0);
  ck_assert_int_eq(dipkg("validate gzf"), 1);
  ck_assert_ptr_nonnull(strstr(err, "gzf/cut.yaml.gz: error: cannot read: "
                                    "the gzip data is truncated"));
  ck_assert_ptr_nonnull(strstr(err, "gzf/bomb.yaml.gz: error: the file is "
                                    "too large once decompressed"));
  ck_assert_ptr_null(strstr(err, "\x1f\x8b"));  // no snippet of gzip bytes
}
END_TEST

int
main(void)
{
  // Made here, so that this process owns it and removes it at exit (the
  // tests run in forked children and share it: their names differ).
  tu_scratch();
  Suite *s = suite_create("inputs");
  TCase *tc = tcase_create("inputs");
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_more_jobs_than_threads);
  tcase_add_test(tc, test_fifo_facts_file);
  tcase_add_test(tc, test_fifo_text);
  tcase_add_test(tc, test_fifo_rdf_input);
  tcase_add_test(tc, test_fifo_ontology);
  tcase_add_test(tc, test_fifo_query_file);
  tcase_add_test(tc, test_not_regular);
  tcase_add_test(tc, test_text_outside_tree);
  tcase_add_test(tc, test_file_changed_between_passes);
  tcase_add_test(tc, test_stdin_facts);
  tcase_add_test(tc, test_stdin_query);
  tcase_add_test(tc, test_stdin_rdf);
  tcase_add_test(tc, test_gzip_rdf_inputs);
  tcase_add_test(tc, test_gzip_facts);
  tcase_add_test(tc, test_walk_names);
  tcase_add_test(tc, test_json_surrogate_pairs);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
