/* The tool behaves as users of rapper, serdi, riot and curl expect: usage
 * errors name exactly what was not understood (exit 2), -V and --version
 * anywhere, progress on a terminal only, and summaries whose counts say
 * what they count. */
#include "testutil.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *out, *err;

/* Runs `dipkg ARGS` (printf-style); returns the exit status and keeps the
 * outputs in `out` and `err`. */
static int dipkg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
dipkg(const char *fmt, ...)
{
  free(out);
  free(err);
  out = err = NULL;
  char *args = NULL, *cmd = NULL;
  va_list ap;
  va_start(ap, fmt);
  ck_assert_int_ne(vasprintf(&args, fmt, ap), -1);
  va_end(ap);
  ck_assert_int_ne(asprintf(&cmd, "%s %s", tu_exe(), args), -1);
  int rc = tu_run(cmd, &out, &err);
  free(cmd);
  free(args);
  return rc;
}

static void
teardown(void)
{
  free(out);
  free(err);
  out = err = NULL;
}

/* The first line of standard error is exactly `line`. */
static void
expect_error_line(const char *line)
{
  ck_assert_ptr_nonnull(err);
  size_t n = strcspn(err, "\n");
  ck_assert_msg(strlen(line) == n && !strncmp(err, line, n),
                "expected '%s', got '%.*s'", line, (int)n, err);
}

START_TEST(test_unknown_option_named_exactly)
{
  // The letter getopt stopped at, not the argument before it.
  ck_assert_int_eq(dipkg("export -f nquads -dash tests/data/seed"), 2);
  expect_error_line("dipkg: unknown option '-d' (in '-dash')");
  ck_assert_ptr_null(strstr(err, "nquads"));
  ck_assert_int_eq(dipkg("export -qZ tests/data/seed"), 2);
  expect_error_line("dipkg: unknown option '-Z' (in '-qZ')");
  ck_assert_int_eq(dipkg("export --brief -Zq tests/data/seed"), 2);
  expect_error_line("dipkg: unknown option '-Z' (in '-Zq')");
  ck_assert_int_eq(dipkg("validate -Z tests/data/seed"), 2);
  expect_error_line("dipkg: unknown option '-Z'");
  ck_assert_int_eq(dipkg("export --frob=1 tests/data/seed"), 2);
  expect_error_line("dipkg: unknown option '--frob'");
  ck_assert_int_eq(dipkg("export -qo"), 2);
  expect_error_line("dipkg: option '-o' needs a value (in '-qo')");
  ck_assert_int_eq(dipkg("export --ontology"), 2);
  expect_error_line("dipkg: option '--ontology' needs a value");
  ck_assert_int_eq(dipkg("--frob"), 2);
  expect_error_line(
    "dipkg: unknown option '--frob' (options follow the command)");
  ck_assert_str_eq(out, "");
}
END_TEST

/* An option a command does not list in its help is an error naming both,
 * not silently ignored (`validate --bind`, `export --named-graph` were). */
START_TEST(test_option_of_another_command)
{
  static const struct {
    const char *args, *line;
  } cases[] = {
    {"validate --bind x=1 tests/data/seed",
     "dipkg: validate takes no option --bind"},
    {"export --named-graph a.ttl tests/data/seed",
     "dipkg: export takes no option --named-graph"},
    {"export -s bdb:kg tests/data/seed",
     "dipkg: export takes no option --store"},
    {"stats -o x.ttl tests/data/seed", "dipkg: stats takes no option --output"},
    {"classes -j 2", "dipkg: classes takes no option --jobs"},
    {"query -o x.csv -e 'ASK {}' tests/data/seed",
     "dipkg: query takes no option --output"},
    {"serve -f turtle tests/data/seed",
     "dipkg: serve takes no option --format"},
    {"push --graph-store http://127.0.0.1:1/ --closure tests/data/seed",
     "dipkg: push takes no option --closure"},
    {"publish -o site --store bdb:kg tests/data/seed",
     "dipkg: publish takes no option --store"},
    {"load --store bdb:kg --explain tests/data/seed",
     "dipkg: load takes no option --explain"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ck_assert_int_eq(dipkg("%s", cases[i].args), 2);
    expect_error_line(cases[i].line);
  }
  // What a help lists is accepted: the usage line of classes, the option
  // column of the others (a mention in a description does not count).
  ck_assert_int_eq(dipkg("classes --ontology ontology"), 0);
  // publish and stats use --no-closure: their helps list it.
  ck_assert_int_eq(dipkg("stats --no-closure tests/data/seed"), 0);
  ck_assert_int_eq(
    dipkg("publish -q --no-closure -o '%s/site' tests/data/seed", tu_scratch()),
    0);
  ck_assert_int_eq(dipkg("export --progress --strict -q -o /dev/null "
                         "tests/data/seed"),
                   0);
  ck_assert_int_eq(dipkg("push --graph-store http://127.0.0.1:1/ --endpoint "
                         "http://127.0.0.1:1/ tests/data/seed"),
                   2);
  expect_error_line("dipkg: push takes no option --endpoint");
}
END_TEST

/* Adds to `set` (" OPTION OPTION ... ", at least " "; `cap` bytes) each
 * option named in text[0, len): "--name" or "-x" at the start of a word. */
static void
add_options(char *set, size_t cap, const char *text, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    if (text[i] != '-' ||
        (i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '-')))
      continue;
    size_t n = i + 1 < len && text[i + 1] == '-' ? 2 : 1;
    if (i + n >= len || !isalpha((unsigned char)text[i + n]))
      continue;
    while (i + n < len &&
           (isalnum((unsigned char)text[i + n]) || text[i + n] == '-'))
      n++;
    if (text[i + 1] != '-' && n != 2)
      continue;  // "-xyz" is no short option
    char word[64];
    ck_assert_uint_lt(n, sizeof word - 2);
    snprintf(word, sizeof word, " %.*s ", (int)n, text + i);
    if (!strstr(set, word)) {
      size_t used = strlen(set);
      ck_assert_uint_lt(used + n + 1, cap);
      snprintf(set + used, cap - used, "%s", word + 1);
    }
    i += n - 1;
  }
}

/* The options a help lists, as help_lists() reads them (src/cli/
 * session.c): the usage line, and the option column of the lines that
 * start with '-' (up to the first two spaces). */
static void
help_options(const char *help, char *set, size_t cap)
{
  for (const char *line = help; *line;) {
    size_t len = strcspn(line, "\n");
    const char *p = line + strspn(line, " ");
    if (*p == '-') {
      const char *gap = strstr(p, "  ");
      add_options(set, cap, p,
                  gap && gap < line + len ? (size_t)(gap - p)
                                          : len - (size_t)(p - line));
    } else if (!strncmp(line, "usage:", 6)) {
      add_options(set, cap, line, len);
    }
    line += len + (line[len] == '\n');
  }
}

/* Each man page lists every option of its command's help, each as an
 * entry of its OPTIONS section (a .TP tag), and names no option there
 * that the command refuses: an option added to or removed from a help
 * is added to or removed from the page. */
START_TEST(test_man_pages_list_every_option)
{
  static const char *const commands[] = {"export", "validate", "stats",
                                         "query",  "load",     "push",
                                         "serve",  "publish",  "classes"};
  char problems[8192] = "";
  for (size_t c = 0; c < sizeof commands / sizeof *commands; c++) {
    // Every command takes -h and -V, which its help does not list.
    char helped[4096] = " --help --version -h -V ", listed[4096] = " ",
         named[4096] = " ";
    ck_assert_int_eq(dipkg("help %s", commands[c]), 0);
    help_options(out, helped, sizeof helped);
    char path[64];
    snprintf(path, sizeof path, "man/dipkg-%s.1", commands[c]);
    char *page = tu_read_file(path, NULL);
    ck_assert_msg(page, "cannot read %s", path);
    // The OPTIONS section without roff's escapes of '-' and fonts.
    char *section = strstr(page, "\n.SH OPTIONS\n");
    ck_assert_msg(section, "%s: no OPTIONS section", path);
    char *end = strstr(section + 1, "\n.SH ");
    if (end)
      *end = '\0';
    char *w = section;
    for (const char *r = section; *r;) {
      if (r[0] == '\\' && r[1] == '-') {
        *w++ = '-';
        r += 2;
      } else if (r[0] == '\\' && r[1] == 'f' && r[2]) {
        r += 3;
      } else {
        *w++ = *r++;
      }
    }
    *w = '\0';
    add_options(named, sizeof named, section, strlen(section));
    for (const char *tp = section; (tp = strstr(tp, "\n.TP\n"));) {
      tp += 5;
      add_options(listed, sizeof listed, tp, strcspn(tp, "\n"));
    }
    // Every option of the help has its entry.
    for (const char *o = helped + 1; *o; o += strcspn(o, " ") + 1) {
      char word[64];
      snprintf(word, sizeof word, " %.*s ", (int)strcspn(o, " "), o);
      if (!strstr(listed, word))
        snprintf(problems + strlen(problems),
                 sizeof problems - strlen(problems), "\n%s: no entry for%s",
                 path, word);
    }
    // Every option the page names is one the command takes.
    for (const char *o = named + 1; *o; o += strcspn(o, " ") + 1) {
      char word[64];
      snprintf(word, sizeof word, " %.*s ", (int)strcspn(o, " "), o);
      if (!strstr(helped, word))
        snprintf(problems + strlen(problems),
                 sizeof problems - strlen(problems),
                 "\n%s names%sbut 'dipkg help %s' does not list it", path, word,
                 commands[c]);
    }
    free(page);
  }
  ck_assert_msg(!*problems, "%s", problems);
}
END_TEST

START_TEST(test_help_on_nothing_is_an_error)
{
  ck_assert_int_eq(dipkg("help nosuch"), 2);
  expect_error_line("dipkg: no help for 'nosuch': not a command");
  ck_assert_str_eq(out, "");
  ck_assert_int_eq(dipkg("help export extra"), 2);
  expect_error_line("dipkg: unexpected argument 'extra'");
  ck_assert_int_eq(dipkg("help load"), 0);
  ck_assert_ptr_nonnull(strstr(out, "usage: dipkg load"));
  ck_assert_int_eq(dipkg("help help"), 0);
  ck_assert_ptr_nonnull(strstr(out, "commands:\n"));
}
END_TEST

START_TEST(test_version_anywhere)
{
  const char *forms[] = {"-V",
                         "--version",
                         "version",
                         "export -V",
                         "export --version facts",
                         "query -V",
                         "classes --version"};
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    ck_assert_msg(dipkg("%s", forms[i]) == 0, "%s: %s", forms[i], err);
    ck_assert_str_eq(out, "dipkg " DIPKG_VERSION "\n");
    ck_assert_str_eq(err, "");
  }
}
END_TEST

/* Progress as the library reports it: per phase, each file in order,
 * whatever the number of threads. */
static void
record_progress(void *user, DipkgPhase phase, uint64_t done, uint64_t total)
{
  char *log = user;
  size_t len = strlen(log);
  snprintf(log + len, 4096 - len, "%d %llu/%llu\n", (int)phase,
           (unsigned long long)done, (unsigned long long)total);
}

START_TEST(test_progress_callback)
{
  for (unsigned jobs = 1; jobs <= 2; jobs++) {
    char log[4096] = "";
    DipkgWorld *w = tu_world();
    dipkg_world_set_jobs(w, jobs);
    dipkg_world_set_progress_func(w, record_progress, log);
    DipkgCorpus *c = dipkg_corpus_new(w);
    ck_assert_int_eq(dipkg_corpus_add_path(c, TU_FACTS), DIPKG_SUCCESS);
    ck_assert_int_eq(dipkg_corpus_validate(c, NULL), DIPKG_SUCCESS);
    ck_assert_str_eq(log, "0 1/2\n0 2/2\n1 1/2\n1 2/2\n");
    log[0] = '\0';
    DipkgStore *db = NULL;
    const char *rdf[] = {"out/corpus.nt", "out/corpus.nq", NULL};
    ck_assert_int_eq(dipkg_store_open(w, "memory:", &db), DIPKG_SUCCESS);
    ck_assert_int_eq(dipkg_store_load(db, c, rdf, NULL), DIPKG_SUCCESS);
    // A memory store has no transaction: its load checks the facts first
    // (both passes), then reads them again as it writes.
    ck_assert_str_eq(log, "0 1/2\n0 2/2\n1 1/2\n1 2/2\n"
                          "0 1/2\n0 2/2\n1 1/2\n1 2/2\n2 1/2\n2 2/2\n");
    // Uninstalled: nothing is reported.
    dipkg_world_set_progress_func(w, NULL, NULL);
    log[0] = '\0';
    ck_assert_int_eq(dipkg_corpus_validate(c, NULL), DIPKG_SUCCESS);
    ck_assert_str_eq(log, "");
    dipkg_store_free(db);
    dipkg_corpus_free(c);
    tu_world_free(w);
  }
}
END_TEST

/* Runs `dipkg ARGS` with standard error (and output) on a terminal, a
 * pseudo-terminal that script(1) makes; `out` receives what it shows. */
static int
dipkg_on_terminal(const char *args)
{
  free(out);
  free(err);
  out = err = NULL;
  char *cmd = NULL;
  ck_assert_int_ne(
    asprintf(&cmd, "script -qec \"%s %s\" /dev/null", tu_exe(), args), -1);
  int rc = tu_run(cmd, &out, &err);
  free(cmd);
  return rc;
}

START_TEST(test_progress_on_terminal_only)
{
  const char *nq = tu_write("p.nq", "");
  // A terminal: a line redrawn in place, cleared before the summary.
  ck_assert_int_eq(dipkg_on_terminal(""), 2);  // script runs at all
  char *args = NULL;
  ck_assert_int_ne(asprintf(&args, "export -o %s tests/data/seed", nq), -1);
  ck_assert_int_eq(dipkg_on_terminal(args), 0);
  free(args);
  ck_assert_msg(strstr(out, "\rreading: 2/2 files (100%)\033[K") &&
                  strstr(out, "\rchecking and mapping: 2/2 files (100%)\033[K"
                              "\r\033[Kwrote "),
                "%s", out);
  ck_assert_int_eq(dipkg_on_terminal("validate --no-progress tests/data/seed"),
                   0);
  ck_assert_msg(!strstr(out, "files ("), "%s", out);
  ck_assert_ptr_nonnull(strstr(out, "2 files valid"));
  ck_assert_int_eq(dipkg_on_terminal("validate -q tests/data/seed"), 0);
  ck_assert_msg(!strstr(out, "files ("), "%s", out);
  // Not while the data goes to the same terminal; again when redirected.
  ck_assert_int_eq(dipkg_on_terminal("export -f nt tests/data/seed"), 0);
  ck_assert_msg(!strstr(out, "files (") && strstr(out, "> <"), "%.300s", out);
  args = NULL;
  ck_assert_int_ne(asprintf(&args, "export -f nt tests/data/seed > %s", nq),
                   -1);
  ck_assert_int_eq(dipkg_on_terminal(args), 0);
  free(args);
  ck_assert_msg(strstr(out, "checking and mapping: 2/2 files (100%)"), "%s",
                out);
  // Not a terminal: silent, unless asked for; then a line per update.
  ck_assert_int_eq(dipkg("export -o %s tests/data/seed", nq), 0);
  ck_assert_msg(!strstr(err, "files ("), "%s", err);
  ck_assert_int_eq(dipkg("validate --progress tests/data/seed"), 0);
  ck_assert_msg(strstr(err, "dipkg: reading: 2/2 files (100%)\n") &&
                  strstr(err, "dipkg: checking and mapping: 2/2 files "
                              "(100%)\n2 files valid: "),
                "%s", err);
  ck_assert_ptr_null(strstr(err, "\r"));
  // (load refuses memory: stores, which would be discarded: a bdb store.)
  ck_assert_int_eq(
    dipkg("load -q --progress --no-progress -s bdb:%s/progress-a "
          "tests/data/seed out/corpus.nt",
          tu_scratch()),
    0);
  ck_assert_str_eq(err, "");
  ck_assert_int_eq(dipkg("load -q --progress -s bdb:%s/progress-b "
                         "tests/data/seed out/corpus.nt",
                         tu_scratch()),
                   0);
  ck_assert_msg(strstr(err, "dipkg: loading RDF: 1/1 files (100%)\n"), "%s",
                err);
}
END_TEST

/* The number after `prefix` in `text`, or UINT64_MAX. */
static uint64_t
number_after(const char *text, const char *prefix)
{
  const char *at = text ? strstr(text, prefix) : NULL;
  unsigned long long n;
  if (!at || sscanf(at + strlen(prefix), "%llu", &n) != 1)
    return UINT64_MAX;
  return n;
}

START_TEST(test_counts_say_what_they_count)
{
  // export: the statements of the document, one N-Triples line each.
  const char *nt = tu_write("c.nt", "");
  ck_assert_int_eq(dipkg("export -o %s tests/data/seed", nt), 0);
  uint64_t written = number_after(err, "28 entities, ");
  ck_assert_msg(strstr(err, " statements written\n"), "%s", err);
  ck_assert_int_eq(dipkg("stats tests/data/seed"), 0);
  ck_assert_uint_eq(number_after(out, "\nstatements "), written);
  char *text = tu_read_file(nt, NULL);
  uint64_t lines = 0;
  for (const char *p = text; p && *p; p++)
    lines += *p == '\n';
  free(text);
  ck_assert_uint_eq(lines, written);
  // load: the statements added, closure and ontology included, which a
  // fresh store then holds: stats --store says the same number.
  char *spec = NULL;
  ck_assert_int_ne(asprintf(&spec, "sqlite:%s/counts.db", tu_scratch()), -1);
  ck_assert_int_eq(dipkg("load -s %s tests/data/seed", spec), 0);
  uint64_t added = number_after(err, "28 entities, ");
  ck_assert_msg(strstr(err, " statements added (with the closure and the "
                            "ontology)\n"),
                "%s", err);
  ck_assert_uint_gt(added, written);
  ck_assert_int_eq(dipkg("stats --store %s", spec), 0);
  ck_assert_uint_eq(number_after(out, "\nstatements "), added);
  // A second load replaces the same graphs: as many added, none more held.
  ck_assert_int_eq(dipkg("load -s %s tests/data/seed", spec), 0);
  ck_assert_uint_eq(number_after(err, "28 entities, "), added);
  ck_assert_int_eq(dipkg("stats --store %s", spec), 0);
  ck_assert_uint_eq(number_after(out, "\nstatements "), added);
  free(spec);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("behaviour");
  TCase *tc = tcase_create("behaviour");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_unknown_option_named_exactly);
  tcase_add_test(tc, test_option_of_another_command);
  tcase_add_test(tc, test_man_pages_list_every_option);
  tcase_add_test(tc, test_help_on_nothing_is_an_error);
  tcase_add_test(tc, test_version_anywhere);
  tcase_add_test(tc, test_progress_callback);
  tcase_add_test(tc, test_progress_on_terminal_only);
  tcase_add_test(tc, test_counts_say_what_they_count);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
