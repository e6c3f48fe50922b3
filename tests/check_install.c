/* `make install` and `make uninstall` into a temporary DESTDIR: the
 * installed tool runs from another directory and finds its ontology (also
 * once the tree is moved), a program builds against the installed header
 * and dipkg.pc (static and shared library), the man pages and the bash
 * completion work, and uninstalling leaves nothing behind.
 *
 * The install uses the build under test: `make` inherits the variables of
 * the `make check` that runs this suite (MAKEFLAGS), and the test program
 * is compiled with $DIPKG_CC, $DIPKG_CFLAGS and $DIPKG_LDFLAGS (set by
 * make check, so that sanitizer builds link their runtime). */
#include "testutil.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *out, *err;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A new string (printf-style); the test fails when out of memory.  Freed
 * by the caller. */
static char *
str(const char *fmt, ...)
{
  char *s = NULL;
  va_list ap;
  va_start(ap, fmt);
  int n = vasprintf(&s, fmt, ap);
  va_end(ap);
  ck_assert_int_ne(n, -1);
  return s;
}

/* Runs a shell command (printf-style), keeping its outputs in `out` and
 * `err`; returns its exit status. */
static int
sh(const char *fmt, ...)
{
  free(out);
  free(err);
  out = err = NULL;
  char *cmd = NULL;
  va_list ap;
  va_start(ap, fmt);
  int n = vasprintf(&cmd, fmt, ap);
  va_end(ap);
  ck_assert_int_ne(n, -1);
  int rc = tu_run(cmd, &out, &err);
  free(cmd);
  return rc;
}

static const char *
env_or(const char *name, const char *fallback)
{
  const char *v = getenv(name);
  return v && *v ? v : fallback;
}

/* Where things are: the repository (this process's directory), the
 * staging directory (DESTDIR), the prefix inside it and the two together
 * (all owned here, freed by teardown()). */
static char *repo, *stage, *prefix, *tree;

/* Installs into a fresh staging directory and finds the prefix. */
static void
install(void)
{
  repo = getcwd(NULL, 0);
  ck_assert_ptr_nonnull(repo);
  stage = str("%s/stage", tu_scratch());
  ck_assert_msg(
    sh("make -s --no-print-directory install DESTDIR='%s'", stage) == 0,
    "make install failed:\n%s%s", out, err);
  ck_assert_int_eq(sh("cd '%s' && find . -path '*/bin/dipkg'", stage), 0);
  // ./PREFIX/bin/dipkg
  size_t n = strlen(out);
  ck_assert_msg(n > 12 && !strcmp(out + n - 11, "/bin/dipkg\n"),
                "no bin/dipkg installed: '%s'", out);
  prefix = str("%.*s", (int)(n - 12), out + 1);
  tree = str("%s%s", stage, prefix);
}

/* Every file installed, sorted, relative to the staging directory. */
static char *
installed_files(void)
{
  ck_assert_int_eq(sh("cd '%s' && find . ! -type d | sort", stage), 0);
  char *files = out;
  out = NULL;
  return files;
}

START_TEST(test_install_run_link_uninstall)
{
  install();
  char *files = installed_files();
  const char *expected[] = {"/bin/dipkg",
                            "/include/dipkg.h",
                            "/lib/libdipkg.a",
                            "/lib/libdipkg.so",
                            "/lib/libdipkg.so.0",
                            "/lib/libdipkg.so." DIPKG_VERSION,
                            "/lib/pkgconfig/dipkg.pc",
                            "/share/dipkg/ontology/dip.ttl",
                            "/share/dipkg/ontology/cameo.ttl",
                            "/share/man/man1/dipkg.1",
                            "/share/man/man1/dipkg-export.1",
                            "/share/man/man1/dipkg-validate.1",
                            "/share/man/man1/dipkg-stats.1",
                            "/share/man/man1/dipkg-query.1",
                            "/share/man/man1/dipkg-load.1",
                            "/share/man/man1/dipkg-classes.1",
                            "/share/man/man1/dipkg-push.1",
                            "/share/man/man1/dipkg-serve.1",
                            "/share/man/man1/dipkg-publish.1",
                            "/share/bash-completion/completions/dipkg"};
  for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
    char *line = str(".%s%s\n", prefix, expected[i]);
    ck_assert_msg(strstr(files, line), "%s not installed:\n%s", line, files);
    free(line);
  }

  // The installed tool, run from another directory without hints, finds
  // the installed ontology and exports the seed facts as the build does.
  char *elsewhere = str("%s/elsewhere", tu_scratch());
  ck_assert_int_eq(sh("mkdir -p '%s'", elsewhere), 0);
  ck_assert_msg(sh("cd '%s' && env -u DIPKG_ONTOLOGY '%s/bin/dipkg' classes",
                   elsewhere, tree) == 0,
                "%s", err);
  ck_assert_ptr_nonnull(strstr(out, "event classes:\n"));
  ck_assert_ptr_nonnull(strstr(out, "  Summit "));
  ck_assert_msg(
    sh("cd '%s' && env -u DIPKG_ONTOLOGY '%s/bin/dipkg' export -q "
       "-o corpus.nq '%s/facts' && cmp corpus.nq '%s/out/corpus.nq'",
       elsewhere, tree, repo, repo) == 0,
    "%s%s", out, err);
  // Moved elsewhere as a whole, it still finds its ontology.
  ck_assert_int_eq(sh("mv '%s' '%s/moved'", tree, stage), 0);
  ck_assert_msg(sh("cd '%s' && env -u DIPKG_ONTOLOGY '%s/moved/bin/dipkg' "
                   "classes",
                   elsewhere, stage) == 0,
                "%s", err);
  ck_assert_int_eq(sh("mv '%s/moved' '%s'", stage, tree), 0);

  // A program built against the installed header and dipkg.pc, linked
  // with the static library, then with the shared one.
  const char *program =
    "#include <dipkg.h>\n"
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "static void on_diagnostic(void *user, const DipkgDiagnostic *d) {\n"
    "  (void)user; dipkg_diagnostic_print(d, stdout);\n"
    "}\n"
    "int main(int argc, char **argv) {\n"
    "  if (argc != 3) return 2;\n"
    "  DipkgWorld *w = dipkg_world_new();\n"
    "  dipkg_world_set_diagnostic_func(w, on_diagnostic, NULL);\n"
    "  DipkgStatus st = dipkg_world_load_ontology(w,\n"
    "    strcmp(argv[1], \"-\") ? argv[1] : NULL);\n"
    "  printf(\"ontology: %s, %zu classes\\n\", dipkg_strerror(st),\n"
    "         dipkg_world_n_classes(w));\n"
    "  DipkgCorpus *c = dipkg_corpus_new(w);\n"
    "  DipkgStats *s = NULL;\n"
    "  if (!st && !(st = dipkg_corpus_add_path(c, argv[2])))\n"
    "    st = dipkg_corpus_validate(c, &s);\n"
    "  printf(\"validate: %s, %llu articles\\n\", dipkg_strerror(st),\n"
    "    s ? (unsigned long long)dipkg_stats_count(s, DIPKG_COUNT_ARTICLES)\n"
    "      : 0ull);\n"
    "  dipkg_stats_free(s);\n"
    "  dipkg_corpus_free(c);\n"
    "  dipkg_world_free(w);\n"
    "  return st != DIPKG_SUCCESS;\n"
    "}\n";
  const char *src = tu_write("prog.c", program);
  char *pkg = str("PKG_CONFIG_SYSROOT_DIR='%s' "
                  "PKG_CONFIG_PATH='%s/lib/pkgconfig' pkg-config",
                  stage, tree);
  const char *cc = env_or("DIPKG_CC", "cc");
  const char *cflags = env_or("DIPKG_CFLAGS", "");
  const char *ldflags = env_or("DIPKG_LDFLAGS", "");
  ck_assert_msg(sh("%s --modversion dipkg", pkg) == 0, "%s", err);
  ck_assert_str_eq(out, DIPKG_VERSION "\n");
  // Static: the archive, then what it needs (Requires.private).
  ck_assert_msg(sh("cd '%s' && %s -std=c11 -Wall -Wextra -Werror %s -o "
                   "prog_static '%s' $(%s --cflags dipkg) '%s/lib/libdipkg.a' "
                   "-Wl,--as-needed $(%s --static --libs dipkg) %s",
                   tu_scratch(), cc, cflags, src, pkg, tree, pkg, ldflags) == 0,
                "static link failed:\n%s%s", out, err);
  // Shared: -ldipkg alone, as the .pc says.
  ck_assert_msg(sh("cd '%s' && %s -std=c11 -Wall -Wextra -Werror %s -o "
                   "prog_shared '%s' $(%s --cflags --libs dipkg) %s",
                   tu_scratch(), cc, cflags, src, pkg, ldflags) == 0,
                "shared link failed:\n%s%s", out, err);
  ck_assert_int_eq(
    sh("readelf -d '%s/prog_static' | grep NEEDED", tu_scratch()), 0);
  ck_assert_msg(!strstr(out, "libdipkg"), "%s", out);
  ck_assert_int_eq(
    sh("readelf -d '%s/prog_shared' | grep NEEDED", tu_scratch()), 0);
  ck_assert_msg(strstr(out, "[libdipkg.so.0]"), "%s", out);
  char *static_out = NULL;
  const char *variants[] = {"prog_static", "prog_shared"};
  for (size_t i = 0; i < 2; i++) {
    int rc = sh("cd '%s' && LD_LIBRARY_PATH='%s/lib' '%s/%s' "
                "'%s/share/dipkg/ontology' '%s/facts'",
                elsewhere, tree, tu_scratch(), variants[i], tree, repo);
    ck_assert_msg(rc == 0, "%s: %s%s", variants[i], out, err);
    ck_assert_msg(!strncmp(out, "ontology: success, ", 19) &&
                    strstr(out, "\nvalidate: success, 1 articles\n"),
                  "%s", out);
    if (!static_out) {
      static_out = out;
      out = NULL;
    } else {
      ck_assert_str_eq(out, static_out);
    }
  }
  ck_assert_ptr_null(strstr(static_out, " 0 classes"));
  free(static_out);
  // Without a path, a program linked with the library looks in the
  // installed data directory, PREFIX/share/dipkg/ontology (not in the
  // staging directory: this one is not there yet).
  sh("cd '%s' && env -u DIPKG_ONTOLOGY '%s/prog_static' - '%s/facts'",
     elsewhere, tu_scratch(), repo);
  char *where = str("nor in %s/share/dipkg/ontology)", prefix);
  ck_assert_msg(strstr(out, where), "expected '%s' in:\n%s", where, out);
  free(where);
  free(pkg);
  free(elsewhere);

  // The shared library exports the API of dipkg.h and nothing else but
  // the rasqal functions it corrects (src/rasqal_fix.c), which librasqal
  // must find in it.
  static const char fixes[] = "-e '^rasqal_xsd_datatype_uri_to_type$' "
                              "-e '^rasqal_xsd_datatype_is_numeric$' "
                              "-e '^rasqal_xsd_datatype_parent_type$' "
                              "-e '^rasqal_expression_evaluate_substr$' "
                              "-e '^rasqal_expression_evaluate_set_case$' "
                              "-e '^rasqal_literal_compare$' "
                              "-e '^rasqal_literal_cast$' "
                              "-e '^rasqal_regex_replace$'";
  ck_assert_int_eq(sh("nm -D --defined-only '%s/lib/libdipkg.so' | "
                      "awk '$2 == \"T\" || $2 == \"D\" { print $3 }' | "
                      "grep -v -e '^dipkg_' %s || true",
                      tree, fixes),
                   0);
  ck_assert_msg(!strcmp(out, ""), "exported besides dipkg_*:\n%s", out);
  ck_assert_int_eq(sh("nm -D --defined-only '%s/lib/libdipkg.so' | "
                      "awk '{ print $3 }' | grep -c %s",
                      tree, fixes),
                   0);
  ck_assert_str_eq(out, "8\n");
  ck_assert_int_eq(sh("nm -D --defined-only '%s/lib/libdipkg.so' | "
                      "grep -c ' T dipkg_strerror$'",
                      tree),
                   0);

  // Each man page renders without a warning.
  for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
    if (!strstr(expected[i], "/man1/"))
      continue;
    ck_assert_int_eq(sh("groff -man -Tascii -P-cbou -ww '%s%s' | "
                        "grep -c '^NAME$'",
                        tree, expected[i]),
                     0);
    ck_assert_str_eq(out, "1\n");
    ck_assert_msg(!strcmp(err, ""), "%s: %s", expected[i], err);
  }

  // The bash completion completes commands, options, formats and stores.
  static const struct {
    const char *words, *expect;
  } completions[] = {
    {"dipkg l", "load|"},
    {"dipkg export --fo", "--format|"},
    {"dipkg export -f ",
     "turtle|ntriples|nquads|trig|rdfxml|jsonld|plover-jsonl|"},
    {"dipkg query -f ", "table|csv|tsv|json|xml|turtle|ntriples|jsonld|"},
    {"dipkg load --store ", "bdb:|sqlite:|memory:|"},
    {"dipkg load --no", "--no-closure|--no-progress|"},
    {"dipkg help st", "stats|"},
    {"dipkg pu", "push|publish|"},
    {"dipkg push --gr", "--graph-store|"},
    {"dipkg serve --li", "--listen|"},
    {"dipkg validate --st", "--strict|"},
    {"dipkg query --named", "--named-graph|"},
  };
  for (size_t i = 0; i < sizeof completions / sizeof *completions; i++) {
    ck_assert_msg(
      sh("PATH='%s/bin':\"$PATH\" bash -c 'source "
         "/usr/share/bash-completion/bash_completion && "
         "source \"$1\" && COMP_WORDS=($2) && "
         "case $2 in *\" \") COMP_WORDS+=(\"\");; esac && "
         "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && COMP_LINE=\"$2\" && "
         "COMP_POINT=${#COMP_LINE} && _dipkg && "
         "printf \"%%s|\" \"${COMPREPLY[@]}\"' sh "
         "'%s/share/bash-completion/completions/dipkg' '%s'",
         tree, tree, completions[i].words) == 0,
      "%s", err);
    ck_assert_msg(!strcmp(out, completions[i].expect),
                  "'%s' completes to '%s', expected '%s'", completions[i].words,
                  out, completions[i].expect);
  }

  // Uninstalling leaves no file, and no directory of dipkg's own.
  ck_assert_msg(
    sh("make -s --no-print-directory uninstall DESTDIR='%s'", stage) == 0,
    "make uninstall failed:\n%s%s", out, err);
  free(files);
  files = installed_files();
  ck_assert_msg(!strcmp(files, ""), "left behind:\n%s", files);
  free(files);
  ck_assert_int_ne(sh("test -e '%s/share/dipkg'", tree), 0);
}
END_TEST

/* Whether each word of `words` is (`present`) or is not a word of `list`
 * (one line); fails the test naming the first that is not as expected. */
static void
expect_words(const char *list, const char *words, bool present,
             const char *what)
{
  char *padded = NULL;
  ck_assert_int_ne(asprintf(&padded, " %.*s ", (int)strcspn(list, "\n"), list),
                   -1);
  const char *w = words;
  while (*(w += strspn(w, " "))) {
    size_t n = strcspn(w, " ");
    char *needle = NULL;
    ck_assert_int_ne(asprintf(&needle, " %.*s ", (int)n, w), -1);
    ck_assert_msg(!strstr(padded, needle) == !present, "%s:%s%s in '%s'", what,
                  present ? " no" : "", needle, padded);
    free(needle);
    w += n;
  }
  free(padded);
}

/* scripts/deps.sh asks for the build and runtime packages only, unless
 * the tools of a target are asked for.  Run where nothing is installed (a
 * PATH of stubs: pkg-config finds nothing, `id` says not root, no sudo),
 * it names what it would install. */
START_TEST(test_deps_split)
{
  char *bin = str("%s/nothing-installed", tu_scratch());
  ck_assert_int_eq(sh("mkdir -p '%s' && printf '#!/bin/sh\\nexit 1\\n' > "
                      "'%s/pkg-config' && printf '#!/bin/sh\\necho 1000\\n' > "
                      "'%s/id' && chmod +x '%s/pkg-config' '%s/id'",
                      bin, bin, bin, bin, bin),
                   0);
  static const struct {
    const char *args, *wanted, *unwanted;
  } cases[] = {
    // make run: compiler and libraries, no test or benchmark tool.
    {"",
     "gcc make libraptor2-dev librdf0-dev librasqal3-dev "
     "libyaml-dev libsqlite3-dev",
     "check raptor2-utils serdi jq libxml2-utils rasqal-utils redland-utils "
     "time bc groff-base bash-completion"},
    {"check", "check raptor2-utils serdi jq libxml2-utils groff-base",
     "rasqal-utils redland-utils time bc"},
    {"bench", "raptor2-utils rasqal-utils redland-utils serdi bc",
     "check jq libxml2-utils groff-base"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ck_assert_int_eq(
      sh("PATH='%s' /bin/sh scripts/deps.sh %s", bin, cases[i].args), 1);
    const char *list = strstr(err, "install these packages:");
    ck_assert_msg(list, "%s", err);
    list += strlen("install these packages:");
    expect_words(list, cases[i].wanted, true, cases[i].args);
    expect_words(list, cases[i].unwanted, false, cases[i].args);
  }
  free(bin);
}
END_TEST

static void
teardown(void)
{
  free(out);
  free(err);
  free(repo);
  free(stage);
  free(prefix);
  free(tree);
  out = err = repo = stage = prefix = tree = NULL;
}

int
main(void)
{
  Suite *s = suite_create("install");
  TCase *tc = tcase_create("install");
  tcase_set_timeout(tc, 600);
  tcase_add_checked_fixture(tc, NULL, teardown);
  tcase_add_test(tc, test_install_run_link_uninstall);
  tcase_add_test(tc, test_deps_split);
  suite_add_tcase(s, tc);
  return tu_main(s);
}
