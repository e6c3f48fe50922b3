/* dipkg: the command-line front end.  It parses options, calls the public
 * API (include/dipkg.h) and maps statuses to exit codes:
 * 0 success, 1 invalid input, 2 usage error, 3 I/O or system failure. */
#include "dipkg.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_DATA = 1, EXIT_USAGE = 2, EXIT_SYSTEM = 3 };

static const char usage_text[] =
  "usage: dipkg COMMAND [OPTION...] [FACTS...]\n"
  "\n"
  "Turns curated facts about diplomatic events (YAML) into RDF.\n"
  "\n"
  "commands:\n"
  "  export    write the corpus as RDF\n"
  "  validate  check the corpus; write nothing\n"
  "  stats     count articles, events, entities and triples\n"
  "  classes   list the ontology's event and entity classes\n"
  "  help      show this help, or a command's\n"
  "\n"
  "FACTS are facts files or directories (walked for *.yaml and *.yml).\n"
  "Run 'dipkg help COMMAND' for a command's options.\n";

static const char export_help[] =
  "usage: dipkg export [OPTION...] FACTS...\n"
  "\n"
  "  -f, --format FORMAT   turtle (default), ntriples, nquads or rdfxml;\n"
  "                        with -o, the default follows the file extension\n"
  "  -o, --output FILE     write FILE atomically (default: standard output)\n"
  "  -b, --base IRI        base of minted IRIs (default " DIPKG_DEFAULT_BASE
  ")\n"
  "      --ontology PATH   ontology file or directory (default: the one\n"
  "                        installed beside dipkg, or $DIPKG_ONTOLOGY)\n"
  "  -j, --jobs N          worker threads (default: the number of CPUs)\n"
  "      --max-errors N    stop reporting after N errors (0: all; default "
  "100)\n"
  "      --brief           do not quote the offending source line\n"
  "  -q, --quiet           no summary on standard error\n";

static const char validate_help[] =
  "usage: dipkg validate [OPTION...] FACTS...\n"
  "\n"
  "Runs every check of export and writes nothing.  Exit status 0 when the\n"
  "corpus is clean, 1 when it has errors.\n"
  "\n"
  "  --ontology PATH, -j N, --max-errors N, --brief, -q: as for export\n";

static const char stats_help[] =
  "usage: dipkg stats [OPTION...] FACTS...\n"
  "\n"
  "Validates the corpus and prints its counts: files, articles, events and\n"
  "entities (by type), quotes, and the triples an N-Triples export holds.\n"
  "\n"
  "  --ontology PATH, -b IRI, -j N, --max-errors N, --brief: as for export\n";

static const char classes_help[] =
  "usage: dipkg classes [--ontology PATH]\n"
  "\n"
  "Lists the event and entity classes of the ontology, the values of\n"
  "`type:`, with their CAMEO code and PLOVER event type.\n";

/* ------------------------------------------------------ diagnostics */

typedef struct Printer {
  bool brief;
  char *cached_file;  // the file whose lines were read last
  char *cached;
  size_t cached_len;
} Printer;

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
  FILE *f = fopen(file, "rb");
  if (!f)
    return NULL;
  size_t cap = 0;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0 &&
         p->cached_len < (64u << 20)) {
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

static void
on_diagnostic(void *user, const DipkgDiagnostic *d)
{
  Printer *p = user;
  dipkg_diagnostic_print(d, stderr);
  if (!p->brief && d->file && d->line)
    print_snippet(p, d);
}

/* ---------------------------------------------------------- options */

typedef struct Options {
  const char *format;
  const char *output;
  const char *base;
  const char *ontology;
  unsigned jobs;
  unsigned max_errors;
  bool max_errors_set;
  bool brief;
  bool quiet;
} Options;

enum { OPT_ONTOLOGY = 256, OPT_MAX_ERRORS, OPT_BRIEF };

static int usage_error(const char *fmt, ...)
  __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "dipkg: ");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'dipkg help' for more information.\n");
  return EXIT_USAGE;
}

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

/* Parses options; returns -1 to go on, or an exit status. */
static int
parse_options(int argc, char **argv, Options *o, const char *help)
{
  static const struct option longs[] = {
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"base", required_argument, NULL, 'b'},
    {"jobs", required_argument, NULL, 'j'},
    {"ontology", required_argument, NULL, OPT_ONTOLOGY},
    {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
    {"brief", no_argument, NULL, OPT_BRIEF},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
  opterr = 0;
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, ":f:o:b:j:qh", longs, NULL)) != -1) {
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
    case 'j':
      if (!parse_unsigned(optarg, &o->jobs) || o->jobs == 0 || o->jobs > 64)
        return usage_error("invalid --jobs '%s' (expected 1 to 64)", optarg);
      break;
    case OPT_ONTOLOGY:
      o->ontology = optarg;
      break;
    case OPT_MAX_ERRORS:
      if (!parse_unsigned(optarg, &o->max_errors))
        return usage_error("invalid --max-errors '%s'", optarg);
      o->max_errors_set = true;
      break;
    case OPT_BRIEF:
      o->brief = true;
      break;
    case 'q':
      o->quiet = true;
      break;
    case 'h':
      fputs(help, stdout);
      return 0;
    case ':':
      return usage_error("option '%s' needs a value", argv[optind - 1]);
    default:
      return usage_error("unknown option '%s'", argv[optind - 1]);
    }
  }
  return -1;
}

static int
exit_code(DipkgStatus st)
{
  switch (st) {
  case DIPKG_SUCCESS:
    return 0;
  case DIPKG_ERR_DATA:
  case DIPKG_ERR_LIMIT:
  case DIPKG_ERR_ONTOLOGY:
    return EXIT_DATA;
  case DIPKG_ERR_USAGE:
    return EXIT_USAGE;
  default:
    return EXIT_SYSTEM;
  }
}

/* Sets up the world and the corpus from the options and arguments. */
static int
prepare(const Options *o, Printer *printer, int nargs, char **args,
        bool need_files, DipkgWorld **world_out, DipkgCorpus **corpus_out)
{
  *world_out = NULL;
  *corpus_out = NULL;
  if (need_files && nargs == 0)
    return usage_error("%s", "no facts files given");
  DipkgWorld *world = dipkg_world_new();
  if (!world) {
    fprintf(stderr, "dipkg: out of memory\n");
    return EXIT_SYSTEM;
  }
  *world_out = world;
  dipkg_world_set_diagnostic_func(world, on_diagnostic, printer);
  if (o->jobs)
    dipkg_world_set_jobs(world, o->jobs);
  if (o->max_errors_set)
    dipkg_world_set_max_errors(world, o->max_errors);
  if (o->base && dipkg_world_set_base(world, o->base))
    return EXIT_USAGE;
  DipkgStatus st = dipkg_world_load_ontology(world, o->ontology);
  if (st)
    return exit_code(st);
  DipkgCorpus *corpus = dipkg_corpus_new(world);
  if (!corpus) {
    fprintf(stderr, "dipkg: out of memory\n");
    return EXIT_SYSTEM;
  }
  *corpus_out = corpus;
  for (int i = 0; i < nargs; i++) {
    st = dipkg_corpus_add_path(corpus, args[i]);
    if (st)
      return st == DIPKG_ERR_IO ? EXIT_DATA : exit_code(st);
  }
  return -1;
}

static void
print_summary(FILE *out, const DipkgStats *stats, bool with_triples)
{
  static const struct {
    DipkgCount what;
    const char *name;
  } rows[] = {
    {DIPKG_COUNT_FILES, "files"},   {DIPKG_COUNT_ARTICLES, "articles"},
    {DIPKG_COUNT_EVENTS, "events"}, {DIPKG_COUNT_ENTITIES, "entities"},
    {DIPKG_COUNT_QUOTES, "quotes"}, {DIPKG_COUNT_TRIPLES, "triples"}};
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    if (rows[i].what == DIPKG_COUNT_TRIPLES && !with_triples)
      continue;
    fprintf(out, "%-10s %" PRIu64 "\n", rows[i].name,
            dipkg_stats_count(stats, rows[i].what));
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

/* "1 article", "2 articles". */
static const char *
counted(uint64_t n, const char *noun, char *buf, size_t size)
{
  snprintf(buf, size, "%" PRIu64 " %s%s", n, noun, n == 1 ? "" : "s");
  return buf;
}

/* "1 article, 25 events, 27 entities" (entity takes -ies). */
static void
print_counts(FILE *f, const DipkgStats *stats)
{
  char a[64], e[64];
  uint64_t n = dipkg_stats_count(stats, DIPKG_COUNT_ENTITIES);
  fprintf(
    f, "%s, %s, %" PRIu64 " entit%s",
    counted(dipkg_stats_count(stats, DIPKG_COUNT_ARTICLES), "article", a,
            sizeof a),
    counted(dipkg_stats_count(stats, DIPKG_COUNT_EVENTS), "event", e, sizeof e),
    n, n == 1 ? "y" : "ies");
}

static const char *
format_for_path(const char *path)
{
  const char *dot = path ? strrchr(path, '.') : NULL;
  if (!dot)
    return "turtle";
  if (!strcmp(dot, ".nt"))
    return "ntriples";
  if (!strcmp(dot, ".nq"))
    return "nquads";
  if (!strcmp(dot, ".rdf") || !strcmp(dot, ".xml") || !strcmp(dot, ".owl"))
    return "rdfxml";
  return "turtle";
}

/* ---------------------------------------------------------- commands */

static int
cmd_export(int argc, char **argv)
{
  Options o = {0};
  int rc = parse_options(argc, argv, &o, export_help);
  if (rc >= 0)
    return rc;
  DipkgFormat format;
  const char *name = o.format ? o.format : format_for_path(o.output);
  if (dipkg_format_from_name(name, &format))
    return usage_error("unknown format '%s' (expected turtle, ntriples, "
                       "nquads or rdfxml)",
                       name);
  Printer printer = {o.brief, NULL, NULL, 0};
  DipkgWorld *world;
  DipkgCorpus *corpus;
  rc =
    prepare(&o, &printer, argc - optind, argv + optind, true, &world, &corpus);
  if (rc < 0) {
    DipkgStats *stats = NULL;
    DipkgStatus st = dipkg_corpus_export(corpus, format, o.output, &stats);
    rc = exit_code(st);
    char t[64];
    if (!st && !o.quiet && o.output) {
      fprintf(stderr, "wrote %s (%s): ", o.output, dipkg_format_name(format));
      print_counts(stderr, stats);
      fprintf(stderr, ", %s\n",
              counted(dipkg_stats_count(stats, DIPKG_COUNT_TRIPLES), "triple",
                      t, sizeof t));
    } else if (st == DIPKG_ERR_DATA && stats) {
      fprintf(stderr, "dipkg: %s; nothing was written\n",
              counted(dipkg_stats_count(stats, DIPKG_COUNT_ERRORS), "error", t,
                      sizeof t));
    }
    dipkg_stats_free(stats);
  }
  dipkg_corpus_free(corpus);
  dipkg_world_free(world);
  free(printer.cached_file);
  free(printer.cached);
  return rc;
}

static int
cmd_check(int argc, char **argv, bool stats_mode)
{
  Options o = {0};
  int rc =
    parse_options(argc, argv, &o, stats_mode ? stats_help : validate_help);
  if (rc >= 0)
    return rc;
  if (o.output || o.format)
    return usage_error("%s",
                       "this command writes no RDF: -o and -f do not apply");
  Printer printer = {o.brief, NULL, NULL, 0};
  DipkgWorld *world;
  DipkgCorpus *corpus;
  rc =
    prepare(&o, &printer, argc - optind, argv + optind, true, &world, &corpus);
  if (rc < 0) {
    DipkgStats *stats = NULL;
    DipkgStatus st = stats_mode ? dipkg_corpus_stats(corpus, &stats)
                                : dipkg_corpus_validate(corpus, &stats);
    rc = exit_code(st);
    if (stats_mode && !st) {
      print_summary(stdout, stats, true);
    } else if (stats && (st || !o.quiet)) {
      char f[64], w[64];
      uint64_t errors = dipkg_stats_count(stats, DIPKG_COUNT_ERRORS);
      if (!st) {
        fprintf(stderr, "%s valid: ",
                counted(dipkg_stats_count(stats, DIPKG_COUNT_FILES), "file", f,
                        sizeof f));
        print_counts(stderr, stats);
        fprintf(stderr, "; %s\n",
                counted(dipkg_stats_count(stats, DIPKG_COUNT_WARNINGS),
                        "warning", w, sizeof w));
      } else if (errors) {
        fprintf(stderr, "dipkg: %s\n", counted(errors, "error", f, sizeof f));
      }
    }
    if (ferror(stdout) || fflush(stdout)) {
      fprintf(stderr, "dipkg: cannot write to standard output: %s\n",
              strerror(errno));
      rc = EXIT_SYSTEM;
    }
    dipkg_stats_free(stats);
  }
  dipkg_corpus_free(corpus);
  dipkg_world_free(world);
  free(printer.cached_file);
  free(printer.cached);
  return rc;
}

static int
cmd_classes(int argc, char **argv)
{
  Options o = {0};
  int rc = parse_options(argc, argv, &o, classes_help);
  if (rc >= 0)
    return rc;
  if (optind < argc)
    return usage_error("unexpected argument '%s'", argv[optind]);
  Printer printer = {o.brief, NULL, NULL, 0};
  DipkgWorld *world;
  DipkgCorpus *corpus;
  rc = prepare(&o, &printer, 0, NULL, false, &world, &corpus);
  if (rc < 0) {
    rc = 0;
    for (int events = 1; events >= 0; events--) {
      printf("%s classes:\n", events ? "event" : "entity");
      for (size_t i = 0; i < dipkg_world_n_classes(world); i++) {
        DipkgClassInfo c;
        dipkg_world_class(world, i, &c);
        if (!(events ? c.is_event : c.is_entity))
          continue;
        if (events)
          printf("  %-24s %-24s CAMEO %-5s PLOVER %s\n", c.name,
                 c.parent ? c.parent : "-", c.cameo ? c.cameo : "-",
                 c.plover ? c.plover : "-");
        else
          printf("  %-24s %s\n", c.name, c.parent ? c.parent : "-");
      }
    }
    if (fflush(stdout)) {
      fprintf(stderr, "dipkg: cannot write to standard output: %s\n",
              strerror(errno));
      rc = EXIT_SYSTEM;
    }
  }
  dipkg_corpus_free(corpus);
  dipkg_world_free(world);
  return rc;
}

int
main(int argc, char **argv)
{
  if (argc < 2)
    return usage_error("%s", "no command given");
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("dipkg %s\n", DIPKG_VERSION);
    return fflush(stdout) ? EXIT_SYSTEM : 0;
  }
  if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    const char *topic = argc > 2 ? argv[2] : "";
    const char *text = !strcmp(topic, "export")     ? export_help
                       : !strcmp(topic, "validate") ? validate_help
                       : !strcmp(topic, "stats")    ? stats_help
                       : !strcmp(topic, "classes")  ? classes_help
                                                    : usage_text;
    fputs(text, stdout);
    return fflush(stdout) ? EXIT_SYSTEM : 0;
  }
  if (!strcmp(cmd, "export"))
    return cmd_export(argc - 1, argv + 1);
  if (!strcmp(cmd, "validate"))
    return cmd_check(argc - 1, argv + 1, false);
  if (!strcmp(cmd, "stats"))
    return cmd_check(argc - 1, argv + 1, true);
  if (!strcmp(cmd, "classes"))
    return cmd_classes(argc - 1, argv + 1);
  return usage_error("unknown command '%s'", cmd);
}
