#include "testutil.h"

#include "buf.h"
#include "rdf_raptor.h"
#include "writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *
tu_read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  DipkgBuf b = DIPKG_BUF_INIT;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    dipkg_buf_append(&b, chunk, n);
  fclose(f);
  if (len)
    *len = b.len;
  char *s = dipkg_buf_take(&b);
  return s ? s : strdup("");
}

static char scratch[256];
static pid_t scratch_owner;

/* Check forks a process per test: only the process that made the scratch
 * directory removes it. */
static void
remove_scratch(void)
{
  if (!scratch[0] || getpid() != scratch_owner)
    return;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
  if (system(cmd)) {
    // nothing to do: leftovers in /tmp are harmless
  }
}

const char *
tu_scratch(void)
{
  if (!scratch[0]) {
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/dipkg-test-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch)) {
      perror("mkdtemp");
      abort();
    }
    scratch_owner = getpid();
    atexit(remove_scratch);
  }
  return scratch;
}

static void
make_parents(char *path)
{
  for (char *p = path + strlen(tu_scratch()) + 1; *p; p++) {
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0777);
      *p = '/';
    }
  }
}

const char *
tu_write(const char *name, const char *content)
{
  static char path[8][512];
  static int slot;
  char *p = path[slot++ & 7];
  snprintf(p, sizeof path[0], "%s/%s", tu_scratch(), name);
  make_parents(p);
  FILE *f = fopen(p, "wb");
  ck_assert_msg(f != NULL, "cannot write %s: %s", p, strerror(errno));
  fputs(content, f);
  fclose(f);
  return p;
}

static DipkgBuf diags = DIPKG_BUF_INIT;

static void
capture(void *user, const DipkgDiagnostic *d)
{
  (void)user;
  static const char *const names[] = {"error", "warning", "note"};
  if (d->file && d->line)
    dipkg_buf_printf(&diags, "%s:%u:%u: %s: %s\n", d->file, d->line, d->col,
                     names[d->severity], d->message);
  else if (d->file)
    dipkg_buf_printf(&diags, "%s: %s: %s\n", d->file, names[d->severity],
                     d->message);
  else
    dipkg_buf_printf(&diags, "dipkg: %s: %s\n", names[d->severity], d->message);
}

const char *
tu_diags(void)
{
  return dipkg_buf_cstr(&diags);
}

void
tu_diags_clear(void)
{
  dipkg_buf_clear(&diags);
}

DipkgWorld *
tu_world(void)
{
  DipkgWorld *w = dipkg_world_new();
  ck_assert_ptr_nonnull(w);
  dipkg_world_set_diagnostic_func(w, capture, NULL);
  dipkg_world_set_max_errors(w, 0);
  tu_diags_clear();
  ck_assert_int_eq(dipkg_world_load_ontology(w, TU_ONTOLOGY), DIPKG_SUCCESS);
  return w;
}

void
tu_world_free(DipkgWorld *w)
{
  dipkg_world_free(w);
}

static DipkgCorpus *
corpus_of(DipkgWorld *w, const char *const *paths)
{
  DipkgCorpus *c = dipkg_corpus_new(w);
  ck_assert_ptr_nonnull(c);
  for (size_t i = 0; paths[i]; i++)
    ck_assert_msg(dipkg_corpus_add_path(c, paths[i]) == DIPKG_SUCCESS,
                  "cannot add %s: %s", paths[i], tu_diags());
  return c;
}

char *
tu_export(const char *const *paths, DipkgFormat format, unsigned jobs,
          DipkgStatus *st)
{
  DipkgWorld *w = tu_world();
  if (jobs)
    dipkg_world_set_jobs(w, jobs);
  DipkgCorpus *c = corpus_of(w, paths);
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  ck_assert_ptr_nonnull(mem);
  *st = dipkg_corpus_write(c, format, mem, NULL);
  fclose(mem);
  dipkg_corpus_free(c);
  tu_world_free(w);
  return text;
}

DipkgStatus
tu_validate(const char *const *paths)
{
  DipkgWorld *w = tu_world();
  DipkgCorpus *c = corpus_of(w, paths);
  DipkgStatus st = dipkg_corpus_validate(c, NULL);
  dipkg_corpus_free(c);
  tu_world_free(w);
  return st;
}

int
tu_run(const char *cmd, char **out, char **err)
{
  char out_path[600], err_path[600], full[4096];
  snprintf(out_path, sizeof out_path, "%s/.run-out", tu_scratch());
  snprintf(err_path, sizeof err_path, "%s/.run-err", tu_scratch());
  snprintf(full, sizeof full, "(%s) >'%s' 2>'%s' </dev/null", cmd, out_path,
           err_path);
  int rc = system(full);
  if (out)
    *out = tu_read_file(out_path, NULL);
  if (err)
    *err = tu_read_file(err_path, NULL);
  if (rc == -1 || !WIFEXITED(rc))
    return -1;
  return WEXITSTATUS(rc);
}

const char *
tu_exe(void)
{
  const char *exe = getenv("DIPKG_EXE");
  static char path[512];
  snprintf(path, sizeof path, "./%s", exe && *exe ? exe : "dipkg");
  if (exe && exe[0] == '/')
    snprintf(path, sizeof path, "%s", exe);
  return path;
}

static int
compare_lines(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
tu_sorted_lines(const char *text)
{
  char *copy = strdup(text);
  size_t n = 0, cap = 1024;
  char **lines = malloc(cap * sizeof *lines);
  for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l;
       l = strtok_r(NULL, "\n", &save)) {
    if (n == cap)
      lines = realloc(lines, (cap *= 2) * sizeof *lines);
    lines[n++] = l;
  }
  qsort(lines, n, sizeof *lines, compare_lines);
  DipkgBuf b = DIPKG_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    if (i && !strcmp(lines[i], lines[i - 1]))
      continue;
    dipkg_buf_puts(&b, lines[i]);
    dipkg_buf_putc(&b, '\n');
  }
  free(lines);
  free(copy);
  char *s = dipkg_buf_take(&b);
  return s ? s : strdup("");
}

static DipkgStatus
canonical_statement(void *user, const DipkgTerm *s, const DipkgTerm *p,
                    const DipkgTerm *o, const DipkgTerm *g)
{
  DipkgBuf *b = user;
  dipkg_write_nt_term(b, s);
  dipkg_buf_putc(b, ' ');
  dipkg_write_nt_term(b, p);
  dipkg_buf_putc(b, ' ');
  dipkg_write_nt_term(b, o);
  if (g) {
    dipkg_buf_putc(b, ' ');
    dipkg_write_nt_term(b, g);
  }
  dipkg_buf_append(b, " .\n", 3);
  return DIPKG_SUCCESS;
}

char *
tu_canonical(const char *path)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  DipkgDiagList list = {0};
  DipkgStatus st =
    dipkg_rdf_parse_file(path, path, dipkg_rdf_syntax_for_path(path),
                         canonical_statement, &b, &list);
  for (size_t i = 0; i < list.n; i++)
    fprintf(stderr, "%s:%u: %s\n", path, list.items[i].loc.line,
            list.items[i].message);
  dipkg_diag_list_clear(&list);
  if (st) {
    dipkg_buf_free(&b);
    return NULL;
  }
  char *text = dipkg_buf_take(&b);
  char *sorted = tu_sorted_lines(text ? text : "");
  free(text);
  return sorted;
}

void
tu_expect_file(const char *expected_path, const char *actual, const char *what)
{
  const char *update = getenv("DIPKG_UPDATE_EXPECTED");
  if (update && !strcmp(update, "1")) {
    FILE *f = fopen(expected_path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", expected_path);
    fputs(actual, f);
    fclose(f);
    return;
  }
  char *expected = tu_read_file(expected_path, NULL);
  ck_assert_msg(expected != NULL,
                "%s is missing (run with DIPKG_UPDATE_EXPECTED=1 to create it)",
                expected_path);
  if (strcmp(expected, actual)) {
    size_t i = 0, line = 1, start = 0;
    for (; expected[i] && expected[i] == actual[i]; i++)
      if (expected[i] == '\n') {
        line++;
        start = i + 1;
      }
    const char *e = expected + start, *a = actual + start;
    int el = (int)strcspn(e, "\n"), al = (int)strcspn(a, "\n");
    ck_abort_msg("%s differs from %s at line %zu:\n  expected: %.*s\n  "
                 "actual:   %.*s",
                 what, expected_path, line, el > 300 ? 300 : el, e,
                 al > 300 ? 300 : al, a);
  }
  free(expected);
}

int
tu_main(Suite *suite)
{
  SRunner *sr = srunner_create(suite);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  dipkg_buf_free(&diags);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

char *
tu_compact(const char *tsv, const TuNamespace *namespaces, size_t n)
{
  char *result = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&result, &len);
  ck_assert_ptr_nonnull(mem);
  for (const char *p = tsv; *p;) {
    const char *end = *p == '<' ? strchr(p, '>') : NULL;
    size_t i = 0;
    while (end && i < n &&
           strncmp(p + 1, namespaces[i].iri, strlen(namespaces[i].iri)))
      i++;
    if (end && i < n) {
      size_t skip = 1 + strlen(namespaces[i].iri);
      fprintf(mem, "%s%.*s", namespaces[i].prefix,
              (int)((size_t)(end - p) - skip), p + skip);
      p = end + 1;
    } else {
      fputc(*p++, mem);
    }
  }
  fclose(mem);
  return result;
}

void
tu_query_policy(DipkgStore *store)
{
  DipkgQueryPolicy policy;
  dipkg_query_policy_init(&policy);
  const char *here = getenv("DIPKG_QUERY_IN_PROCESS");
  policy.in_process = here && !strcmp(here, "1");
  dipkg_store_set_query_policy(store, &policy);
}
