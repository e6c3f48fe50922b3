/* Options, diagnostics and inputs, shared by the commands. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int
cli_usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "dipkg: ");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'dipkg help' for more information.\n");
  return EXIT_USAGE;
}

int
cli_finish_stdout(int rc)
{
  if (fflush(stdout) || ferror(stdout)) {
    fprintf(stderr, "dipkg: cannot write to standard output: %s\n",
            strerror(errno));
    return EXIT_SYSTEM;
  }
  return rc;
}

int
cli_print_version(void)
{
  printf("dipkg %s\n", DIPKG_VERSION);
  return cli_finish_stdout(0);
}

/* ------------------------------------------------------ diagnostics */

static bool
ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), k = strlen(suffix);
  return n > k && !strcmp(s + n - k, suffix);
}

/* Reads `file` whole into the cache (small files only). */
static const char *
file_text(Printer *p, const char *file, size_t *len)
{
  if (p->cached_file && !strcmp(p->cached_file, file)) {
    *len = p->cached_len;
    return p->cached;
  }
  free(p->cached_file);
  free(p->cached);
  p->cached_file = strdup(file);
  p->cached = NULL;
  p->cached_len = 0;
  struct stat sb;
  if (stat(file, &sb) || !S_ISREG(sb.st_mode) || ends_with(file, ".gz"))
    return NULL;  // "<stdin>", a FIFO that would block, or compressed
  FILE *f = fopen(file, "rb");
  if (!f)
    return NULL;
  size_t cap = 0;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0 &&
         p->cached_len < (size_t)DIPKG_MAX_FACTS_FILE) {
    if (p->cached_len + n > cap) {
      cap = (p->cached_len + n) * 2;
      char *grown = realloc(p->cached, cap);
      if (!grown)
        break;
      p->cached = grown;
    }
    memcpy(p->cached + p->cached_len, buf, n);
    p->cached_len += n;
  }
  fclose(f);
  *len = p->cached_len;
  return p->cached;
}

/* Prints the source line of a diagnostic with a caret under the column,
 * as compilers do. */
static void
print_snippet(Printer *p, const DipkgDiagnostic *d)
{
  size_t len;
  const char *text = file_text(p, d->file, &len);
  if (!text)
    return;
  size_t start = 0;
  for (unsigned line = 1; line < d->line && start < len; start++)
    if (text[start] == '\n')
      line++;
  if (start >= len && d->line > 1)
    return;
  size_t end = start;
  while (end < len && text[end] != '\n' && text[end] != '\r')
    end++;
  if (end - start > 300)
    return;  // minified or generated: a snippet would not help
  fprintf(stderr, "%5u | %.*s\n      | ", d->line, (int)(end - start),
          text + start);
  unsigned col = 1;
  for (size_t i = start; i < end && col < d->col; i++) {
    if (((unsigned char)text[i] & 0xC0) == 0x80)
      continue;
    fputc(text[i] == '\t' ? '\t' : ' ', stderr);
    col++;
  }
  fputc('^', stderr);
  for (unsigned i = 1; i < d->width && i < 200; i++)
    fputc('~', stderr);
  fputc('\n', stderr);
}

void
cli_on_diagnostic(void *user, const DipkgDiagnostic *d)
{
  Printer *p = user;
  if (p->progress_shown) {  // the message starts on a clean line
    fputs("\r\033[K", stderr);
    p->progress_shown = false;
  }
  dipkg_diagnostic_print(d, stderr);
  if (!p->brief && d->file && d->line)
    print_snippet(p, d);
}

/* ---------------------------------------------------------- progress */

static double
seconds_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
cli_on_progress(void *user, DipkgPhase phase, uint64_t done, uint64_t total)
{
  static const char *const what[] = {"reading", "checking and mapping",
                                     "loading RDF"};
  Printer *p = user;
  double now = seconds_now();
  bool end = done >= total;
  if (!end && (int)phase == p->progress_phase &&
      now - p->progress_last < (p->progress_terminal ? 0.1 : 1.0))
    return;
  p->progress_phase = (int)phase;
  p->progress_last = now;
  unsigned percent = total ? (unsigned)(done * 100 / total) : 100;
  const char *name =
    (size_t)phase < sizeof what / sizeof *what ? what[phase] : "working";
  if (!p->progress_terminal) {
    fprintf(stderr, "dipkg: %s: %" PRIu64 "/%" PRIu64 " files (%u%%)\n", name,
            done, total, percent);
    return;
  }
  fprintf(stderr, "\r%s: %" PRIu64 "/%" PRIu64 " files (%u%%)\033[K", name,
          done, total, percent);
  p->progress_shown = !end;
  if (end)  // what follows (a summary, results) starts on a clean line
    fputs("\r\033[K", stderr);
}

/* ----------------------------------------------------------- options */

enum {
  OPT_ONTOLOGY = 256,
  OPT_MAX_ERRORS,
  OPT_BRIEF,
  OPT_NO_CLOSURE,
  OPT_BIND,
  OPT_EXPLAIN,
  OPT_ALLOW_OUTSIDE_TEXT,
  OPT_INPUT_FORMAT,
  OPT_LOCK_WAIT,
  OPT_REBASE,
  OPT_TIMEOUT,
  OPT_MEMORY_LIMIT,
  OPT_ALLOW_SERVICE,
  OPT_CLOSURE,
  OPT_WITH_ONTOLOGY,
  OPT_ENDPOINT,
  OPT_GRAPH_STORE,
  OPT_USER,
  OPT_PASSWORD_FILE,
  OPT_DRY_RUN,
  OPT_POST_FORM,
  OPT_DEFAULT_GRAPH,
  OPT_NAMED_GRAPH
};
enum { OPT_PROGRESS = 512, OPT_NO_PROGRESS, OPT_STRICT };

static bool
parse_unsigned(const char *s, unsigned *out)
{
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || end == s || *end || v > 100000 || s[0] == '-')
    return false;
  *out = (unsigned)v;
  return true;
}

/* The option getopt_long() stopped at (`c`: ':' for a missing value, '?'
 * for an unknown option), as the user wrote it: "--name" for a long option
 * (without "=VALUE"), "-c" for a short one.  A short one may sit in a
 * cluster ("-dash" is -d -a -s -h): then `*cluster` receives that
 * argument, else NULL.  Returns the name and its length in `*len`:
 * borrowed from argv, or written into `shortname` (3 bytes). */
static const char *
option_at_fault(int c, int argc, char **argv, char shortname[3], int *len,
                const char **cluster)
{
  *cluster = NULL;
  const char *last = argv[optind - 1];
  bool is_long = c == ':' ? !strncmp(last, "--", 2) : optopt == 0;
  if (is_long) {
    size_t n = strcspn(last, "=");
    *len = n > 4096 ? 4096 : (int)n;
    return last;
  }
  shortname[0] = '-';
  shortname[1] = (char)optopt;
  shortname[2] = '\0';
  *len = 2;
  // getopt moves past a cluster only after its last letter: the cluster is
  // the current argument, or the previous one when the letter ended it.
  const char *candidates[] = {optind < argc ? argv[optind] : NULL, last};
  for (size_t i = 0; i < 2; i++) {
    const char *a = candidates[i];
    if (a && a[0] == '-' && a[1] != '-' && strlen(a) > 2 &&
        strchr(a + 1, optopt)) {
      *cluster = a;
      break;
    }
  }
  return shortname;
}

/* Whether `help` lists the long option `name` (without its dashes): in
 * its usage line, or in the option column of a line that starts with an
 * option (the text before the description, which begins after two
 * spaces).  A mention in a description does not count, so that the help
 * text alone says what a command accepts. */
static bool
help_lists(const char *help, const char *name)
{
  size_t n = strlen(name);
  for (const char *line = help; *line;) {
    const char *eol = strchr(line, '\n');
    if (!eol)
      eol = line + strlen(line);
    const char *p = line + strspn(line, " ");
    const char *end = eol;
    if (*p == '-') {
      const char *gap = strstr(p, "  ");
      if (gap && gap < eol)
        end = gap;
    } else if (strncmp(line, "usage:", 6) != 0) {
      end = p;
    }
    for (const char *q = p; q + 2 + n <= end; q++)
      if (q[0] == '-' && q[1] == '-' && !strncmp(q + 2, name, n) &&
          (q == line || q[-1] == ' ' || q[-1] == '[' || q[-1] == '|') &&
          (q + 2 + n == end || strchr(" =],|\n", q[2 + n])))
        return true;
    line = *eol ? eol + 1 : eol;
  }
  return false;
}

/* The command's name in a help text ("usage: dipkg NAME ..."): a borrowed
 * pointer into `help` and its length in `*len`. */
static const char *
help_command(const char *help, int *len)
{
  const char *p = strstr(help, "dipkg ");
  p = p ? p + 6 : help;
  *len = (int)strcspn(p, " \n");
  return p;
}

int
cli_parse(int argc, char **argv, Options *o, const char *help)
{
  static const struct option longs[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"base", required_argument, NULL, 'b'},
    {"jobs", required_argument, NULL, 'j'},
    {"store", required_argument, NULL, 's'},
    {"expression", required_argument, NULL, 'e'},
    {"ontology", required_argument, NULL, OPT_ONTOLOGY},
    {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
    {"brief", no_argument, NULL, OPT_BRIEF},
    {"no-closure", no_argument, NULL, OPT_NO_CLOSURE},
    {"with-ontology", no_argument, NULL, OPT_WITH_ONTOLOGY},
    {"bind", required_argument, NULL, OPT_BIND},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"allow-outside-text", no_argument, NULL, OPT_ALLOW_OUTSIDE_TEXT},
    {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
    {"lock-wait", required_argument, NULL, OPT_LOCK_WAIT},
    {"rebase", no_argument, NULL, OPT_REBASE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"memory-limit", required_argument, NULL, OPT_MEMORY_LIMIT},
    {"allow-service", no_argument, NULL, OPT_ALLOW_SERVICE},
    {"closure", no_argument, NULL, OPT_CLOSURE},
    {"endpoint", required_argument, NULL, OPT_ENDPOINT},
    {"graph-store", required_argument, NULL, OPT_GRAPH_STORE},
    {"user", required_argument, NULL, OPT_USER},
    {"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"post-form", no_argument, NULL, OPT_POST_FORM},
    {"default-graph", required_argument, NULL, OPT_DEFAULT_GRAPH},
    {"named-graph", required_argument, NULL, OPT_NAMED_GRAPH},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {NULL, 0, NULL, 0}};
  opterr = 0;
  optind = 1;
  o->progress = -1;
  int c;
  while ((c = getopt_long(argc, argv, ":f:o:b:j:s:e:qhV", longs, NULL)) != -1) {
    const struct option *known = NULL;
    for (size_t i = 0; c != 'h' && c != 'V' && longs[i].name; i++)
      if (longs[i].val == c)
        known = &longs[i];
    if (known && !help_lists(help, known->name)) {
      int len;
      const char *cmd = help_command(help, &len);
      return cli_usage_error("%.*s takes no option --%s", len, cmd,
                             known->name);
    }
    switch (c) {
    case 'f':
      o->format = optarg;
      break;
    case 'o':
      o->output = optarg;
      break;
    case 'b':
      o->base = optarg;
      break;
    case 's':
      o->store = optarg;
      break;
    case 'e':
      o->expression = optarg;
      break;
    case 'j':
      if (!parse_unsigned(optarg, &o->jobs) || o->jobs == 0 ||
          o->jobs > DIPKG_MAX_JOBS)
        return cli_usage_error("invalid --jobs '%s' (expected 1 to %d)", optarg,
                               DIPKG_MAX_JOBS);
      break;
    case OPT_ONTOLOGY:
      o->ontology = optarg;
      break;
    case OPT_MAX_ERRORS:
      if (!parse_unsigned(optarg, &o->max_errors))
        return cli_usage_error("invalid --max-errors '%s'", optarg);
      o->max_errors_set = true;
      break;
    case OPT_BRIEF:
      o->brief = true;
      break;
    case OPT_NO_CLOSURE:
      o->no_closure = true;
      break;
    case OPT_LOCK_WAIT:
      if (!parse_unsigned(optarg, &o->lock_wait) || o->lock_wait > 86400)
        return cli_usage_error("invalid --lock-wait '%s' (expected seconds, "
                               "0 to 86400)",
                               optarg);
      o->lock_wait_set = true;
      break;
    case OPT_REBASE:
      o->rebase = true;
      break;
    case OPT_EXPLAIN:
      o->explain = true;
      break;
    case OPT_STRICT:
      o->strict = true;
      break;
    case OPT_ALLOW_OUTSIDE_TEXT:
      o->allow_outside_text = true;
      break;
    case OPT_INPUT_FORMAT:
      o->input_format = optarg;
      break;
    case OPT_TIMEOUT:
      o->timeout = optarg;
      break;
    case OPT_MEMORY_LIMIT:
      o->memory_limit = optarg;
      break;
    case OPT_ALLOW_SERVICE:
      o->allow_service = true;
      break;
    case OPT_CLOSURE:
      o->closure = true;
      break;
    case OPT_WITH_ONTOLOGY:
      o->with_ontology = true;
      break;
    case OPT_ENDPOINT:
      o->endpoint = optarg;
      break;
    case OPT_GRAPH_STORE:
      o->graph_store = optarg;
      break;
    case OPT_USER:
      o->user = optarg;
      break;
    case OPT_PASSWORD_FILE:
      o->password_file = optarg;
      break;
    case OPT_DRY_RUN:
      o->dry_run = true;
      break;
    case OPT_POST_FORM:
      o->post_form = true;
      break;
    case OPT_DEFAULT_GRAPH:
      o->default_graph = optarg;
      break;
    case OPT_NAMED_GRAPH: {
      const char **grown = realloc(o->named_graphs, (o->n_named_graphs + 2) *
                                                      sizeof *o->named_graphs);
      if (!grown) {
        fprintf(stderr, "dipkg: out of memory\n");
        return EXIT_SYSTEM;
      }
      o->named_graphs = grown;
      o->named_graphs[o->n_named_graphs++] = optarg;
      o->named_graphs[o->n_named_graphs] = NULL;
      break;
    }
    case OPT_BIND: {
      const char **grown =
        realloc(o->bindings, (o->n_bindings + 2) * sizeof *o->bindings);
      if (!grown) {
        fprintf(stderr, "dipkg: out of memory\n");
        return EXIT_SYSTEM;
      }
      o->bindings = grown;
      o->bindings[o->n_bindings++] = optarg;
      o->bindings[o->n_bindings] = NULL;
      break;
    }
    case 'q':
      o->quiet = true;
      break;
    case 'h':
      fputs(help, stdout);
      return cli_finish_stdout(0);
    case 'V':
      return cli_print_version();
    case OPT_PROGRESS:
      o->progress = 1;
      break;
    case OPT_NO_PROGRESS:
      o->progress = 0;
      break;
    case ':':
    default: {
      char shortname[3];
      int len;
      const char *cluster;
      const char *name =
        option_at_fault(c, argc, argv, shortname, &len, &cluster);
      const char *in = cluster ? " (in '" : "", *end = cluster ? "')" : "";
      if (c == ':')
        return cli_usage_error("option '%.*s' needs a value%s%s%s", len, name,
                               in, cluster ? cluster : "", end);
      return cli_usage_error("unknown option '%.*s'%s%s%s", len, name, in,
                             cluster ? cluster : "", end);
    }
    }
  }
  return -1;
}

int
cli_exit_code(DipkgStatus st)
{
  switch (st) {
  case DIPKG_SUCCESS:
    return 0;
  case DIPKG_ERR_DATA:
  case DIPKG_ERR_LIMIT:
  case DIPKG_ERR_ONTOLOGY:
  case DIPKG_ERR_QUERY_FAILED:
  case DIPKG_ERR_STORE:
  case DIPKG_ERR_QUERY_LIMIT:
    return EXIT_DATA;
  case DIPKG_ERR_USAGE:
  case DIPKG_ERR_QUERY:
    return EXIT_USAGE;
  default:
    return EXIT_SYSTEM;
  }
}

/* ------------------------------------------------------------ inputs */

static bool
is_rdf_file(const char *path)
{
  return dipkg_rdf_syntax_for_path(path) != NULL;
}

int
cli_setup(Session *s, int nargs, char **args, unsigned accepts)
{
  s->printer.brief = s->o.brief;
  s->world = dipkg_world_new();
  s->rdf = calloc((size_t)nargs + 1, sizeof *s->rdf);
  if (!s->world || !s->rdf) {
    fprintf(stderr, "dipkg: out of memory\n");
    return EXIT_SYSTEM;
  }
  dipkg_world_set_diagnostic_func(s->world, cli_on_diagnostic, &s->printer);
  // Progress: on a terminal unless -q or --no-progress, or unless the work
  // writes to that same terminal as it goes (the line would land in the
  // data); --progress forces it (lines, not a redrawn one, when standard
  // error is no terminal).
  bool terminal = isatty(STDERR_FILENO);
  bool auto_on =
    terminal && !s->o.quiet && !(s->data_on_stdout && isatty(STDOUT_FILENO));
  if (s->o.progress == 1 || (s->o.progress == -1 && auto_on)) {
    s->printer.progress_terminal = terminal;
    s->printer.progress_phase = -1;
    dipkg_world_set_progress_func(s->world, cli_on_progress, &s->printer);
  }
  if (s->o.jobs)
    dipkg_world_set_jobs(s->world, s->o.jobs);
  if (s->o.max_errors_set)
    dipkg_world_set_max_errors(s->world, s->o.max_errors);
  dipkg_world_set_strict(s->world, s->o.strict);
  if (s->o.allow_outside_text)
    dipkg_world_set_allow_outside_text(s->world, 1);
  if (s->o.base && dipkg_world_set_base(s->world, s->o.base))
    return EXIT_USAGE;
  DipkgStatus st = dipkg_world_load_ontology(s->world, s->o.ontology);
  if (st)
    return cli_exit_code(st);
  if (s->o.input_format &&
      dipkg_world_set_input_format(s->world, s->o.input_format))
    return EXIT_USAGE;
  // "-" is standard input, read once: the query text when the query is not
  // given otherwise (and no --input-format says it is RDF), else RDF with
  // --input-format, else one facts file.
  bool any_query_file = false;
  for (int i = 0; i < nargs; i++)
    any_query_file |=
      ends_with(args[i], ".rq") || ends_with(args[i], ".sparql");
  bool stdin_used = s->o.expression && !strcmp(s->o.expression, "-");
  int inputs = 0;
  for (int i = 0; i < nargs; i++) {
    const char *a = args[i];
    if (!strcmp(a, "-")) {
      if (stdin_used)
        return cli_usage_error("%s", "standard input ('-') given twice");
      stdin_used = true;
      if ((accepts & ARGS_QUERY_FILE) && !s->o.expression && !any_query_file &&
          !s->o.input_format) {
        s->query_file = a;
        continue;
      }
      inputs++;
      if (s->o.input_format) {  // only commands that read RDF take it
        s->rdf[s->n_rdf++] = a;
        continue;
      }
      if (!(accepts & ARGS_FACTS))
        return cli_usage_error("%s", "unexpected argument '-'");
      if (!s->corpus && !(s->corpus = dipkg_corpus_new(s->world))) {
        fprintf(stderr, "dipkg: out of memory\n");
        return EXIT_SYSTEM;
      }
      st = dipkg_corpus_add_stream(s->corpus, "<stdin>", stdin);
      if (st)
        return st == DIPKG_ERR_IO ? EXIT_DATA : cli_exit_code(st);
      continue;
    }
    struct stat sb;
    bool dir = !stat(a, &sb) && S_ISDIR(sb.st_mode);
    if ((accepts & ARGS_QUERY_FILE) &&
        (ends_with(a, ".rq") || ends_with(a, ".sparql"))) {
      if (s->query_file)
        return cli_usage_error("two query files given: '%s' and '%s'",
                               s->query_file, a);
      s->query_file = a;
      continue;
    }
    inputs++;
    if (!dir && is_rdf_file(a)) {
      if (!(accepts & ARGS_RDF))
        return cli_usage_error("'%s' is an RDF file; this command reads facts "
                               "(YAML)",
                               a);
      s->rdf[s->n_rdf++] = a;
      continue;
    }
    if (!(accepts & ARGS_FACTS))
      return cli_usage_error("unexpected argument '%s'", a);
    if (!s->corpus && !(s->corpus = dipkg_corpus_new(s->world))) {
      fprintf(stderr, "dipkg: out of memory\n");
      return EXIT_SYSTEM;
    }
    st = dipkg_corpus_add_path(s->corpus, a);
    if (st)
      return st == DIPKG_ERR_IO ? EXIT_DATA : cli_exit_code(st);
  }
  // --named-graph FILE: an RDF input loaded as a named graph.
  for (size_t i = 0; i < s->o.n_named_graphs; i++, inputs++)
    if (!(accepts & ARGS_RDF) || !is_rdf_file(s->o.named_graphs[i]))
      return cli_usage_error("--named-graph '%s': expected an RDF file "
                             "(Turtle, N-Triples, N-Quads, TriG, RDF/XML)",
                             s->o.named_graphs[i]);
  if ((accepts & ARGS_REQUIRED) && !inputs)
    return cli_usage_error("%s", "no input files given");
  return -1;
}

void
cli_teardown(Session *s)
{
  free(s->o.bindings);
  free(s->o.named_graphs);
  dipkg_corpus_free(s->corpus);
  dipkg_world_free(s->world);
  free(s->rdf);
  free(s->printer.cached_file);
  free(s->printer.cached);
}

/* ------------------------------------------------------------ counts */

const char *
cli_counted(uint64_t n, const char *noun, char *buf, size_t size)
{
  snprintf(buf, size, "%" PRIu64 " %s%s", n, noun, n == 1 ? "" : "s");
  return buf;
}

void
cli_print_counts(FILE *f, const DipkgStats *stats)
{
  char a[64], e[64];
  uint64_t n = dipkg_stats_count(stats, DIPKG_COUNT_ENTITIES);
  fprintf(f, "%s, %s, %" PRIu64 " entit%s",
          cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_ARTICLES), "article",
                      a, sizeof a),
          cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_EVENTS), "event", e,
                      sizeof e),
          n, n == 1 ? "y" : "ies");
}

void
cli_print_stats(FILE *out, const DipkgStats *stats, bool store)
{
  static const struct {
    DipkgCount what;
    const char *name;
  } rows[] = {
    {DIPKG_COUNT_FILES, "files"},   {DIPKG_COUNT_ARTICLES, "articles"},
    {DIPKG_COUNT_EVENTS, "events"}, {DIPKG_COUNT_ENTITIES, "entities"},
    {DIPKG_COUNT_QUOTES, "quotes"}, {DIPKG_COUNT_TRIPLES, "statements"}};
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    if (store && rows[i].what == DIPKG_COUNT_QUOTES)
      continue;
    const char *name =
      store && rows[i].what == DIPKG_COUNT_FILES ? "graphs" : rows[i].name;
    fprintf(out, "%-10s %" PRIu64 "\n", name,
            dipkg_stats_count(stats, rows[i].what));
  }
  if (!store) {  // what memory grows with: the structures kept for a run
    fprintf(out, "%-10s %" PRIu64 " KiB\n", "id index",
            (dipkg_stats_count(stats, DIPKG_COUNT_INDEX_BYTES) + 1023) / 1024);
    fprintf(out, "%-10s %" PRIu64 " KiB\n", "file list",
            (dipkg_stats_count(stats, DIPKG_COUNT_FILE_LIST_BYTES) + 1023) /
              1024);
  }
  for (int events = 1; events >= 0; events--) {
    bool header = false;
    for (size_t i = 0; i < dipkg_stats_n_classes(stats); i++) {
      int is_event;
      uint64_t n;
      const char *name = dipkg_stats_class(stats, i, &is_event, &n);
      if (is_event != events)
        continue;
      if (!header)
        fprintf(out, "%s by type:\n", events ? "events" : "entities");
      header = true;
      fprintf(out, "  %-28s %" PRIu64 "\n", name, n);
    }
  }
}
