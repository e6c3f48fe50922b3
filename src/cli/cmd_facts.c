/* The commands over facts: export, validate, stats, classes. */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>

/* The formats, or their extensions, as a list for messages ("turtle,
 * ntriples ..." or ".ttl, .turtle, ..."). */
static void
list_formats(char *buf, size_t size, bool extensions)
{
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; dipkg_format_desc(i) && len < size; i++) {
    const DipkgFormatDesc *d = dipkg_format_desc(i);
    if (!extensions) {
      len +=
        (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", d->name);
      continue;
    }
    for (const char *const *e = d->extensions; *e && len < size; e++)
      len +=
        (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", *e);
  }
}

/* The syntax of the VoID file: by its extension, Turtle by default. */
static DipkgFormat
format_for_void(const char *path)
{
  DipkgFormat format = DIPKG_FORMAT_TURTLE;
  int gzip = 0;
  if (dipkg_format_for_path(path, &format, &gzip) || gzip ||
      format == DIPKG_FORMAT_NQUADS || format == DIPKG_FORMAT_TRIG)
    format = DIPKG_FORMAT_TURTLE;  // one graph, written plain
  return format;
}

int
cmd_export(int argc, char **argv)
{
  bool missing = false;
  const char *void_path = cli_take_option(&argc, argv, "--void", &missing);
  if (missing)
    return cli_usage_error("%s", "--void needs a FILE");
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_export_help);
  if (rc >= 0)
    return rc;
  DipkgFormat format = DIPKG_FORMAT_TURTLE;
  int gzip = 0;
  char known[512];
  if (s.o.format && dipkg_format_from_name(s.o.format, &format)) {
    list_formats(known, sizeof known, false);
    return cli_usage_error("unknown format '%s' (expected %s)", s.o.format,
                           known);
  }
  if (!s.o.format && s.o.output &&
      dipkg_format_for_path(s.o.output, &format, &gzip)) {
    list_formats(known, sizeof known, true);
    const char *base = strrchr(s.o.output, '/');
    base = base ? base + 1 : s.o.output;
    size_t n = strlen(base);
    if (n > 3 && !strcmp(base + n - 3, ".gz"))
      n -= 3;
    const char *dot = base + n - 1;
    while (dot > base && *dot != '.')
      dot--;
    return cli_usage_error("cannot tell the format of '%s' from its "
                           "extension '%.*s': use -f, or one of %s (each may "
                           "end in .gz)",
                           s.o.output, (int)(base + n - dot), dot, known);
  }
  DipkgFormat void_format = DIPKG_FORMAT_TURTLE;
  int void_gzip = 0;
  if (void_path &&
      !dipkg_format_for_path(void_path, &void_format, &void_gzip) &&
      void_format == DIPKG_FORMAT_PLOVER_JSONL)
    return cli_usage_error("--void writes RDF (VoID and DCAT), not PLOVER "
                           "records: name '%s' .ttl, .nt, .rdf or .jsonld",
                           void_path);
  s.data_on_stdout = !s.o.output;
  rc = cli_setup(&s, argc - optind, argv + optind, ARGS_FACTS | ARGS_REQUIRED);
  if (rc < 0) {
    DipkgStats *stats = NULL;
    unsigned extras = (s.o.closure ? DIPKG_EXPORT_CLOSURE : 0) |
                      (s.o.with_ontology ? DIPKG_EXPORT_ONTOLOGY : 0);
    DipkgStatus st = dipkg_corpus_export_extended(s.corpus, format, extras,
                                                  s.o.output, &stats);
    if (!st && void_path) {
      // The dataset's VoID + DCAT description, beside the export.
      DipkgGraph *graph = NULL, *description = NULL;
      st = dipkg_corpus_graph(s.corpus, &graph, NULL);
      if (!st)
        st = dipkg_graph_void(graph, NULL, &description);
      if (!st)
        st = dipkg_graph_export(description, format_for_void(void_path),
                                void_path);
      dipkg_graph_free(description);
      dipkg_graph_free(graph);
    }
    rc = cli_exit_code(st);
    char t[64];
    if (!st && !s.o.quiet && s.o.output) {
      fprintf(stderr, "wrote %s (%s): ", s.o.output, dipkg_format_name(format));
      cli_print_counts(stderr, stats);
      if (format == DIPKG_FORMAT_PLOVER_JSONL)  // records, not statements
        fputs(", one PLOVER record per coded event\n", stderr);
      else
        fprintf(stderr, ", %s written\n",
                cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_TRIPLES),
                            "statement", t, sizeof t));
    } else if (st == DIPKG_ERR_DATA && stats) {
      fprintf(stderr,
              s.o.output ? "dipkg: %s; nothing was written\n" : "dipkg: %s\n",
              cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_ERRORS), "error",
                          t, sizeof t));
    }
    dipkg_stats_free(stats);
  }
  cli_teardown(&s);
  return rc;
}

int
cmd_validate(int argc, char **argv)
{
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_validate_help);
  if (rc >= 0)
    return rc;
  rc = cli_setup(&s, argc - optind, argv + optind, ARGS_FACTS | ARGS_REQUIRED);
  if (rc < 0) {
    DipkgStats *stats = NULL;
    DipkgStatus st = dipkg_corpus_validate(s.corpus, &stats);
    rc = cli_exit_code(st);
    char f[64];
    if (!st && stats && !s.o.quiet) {
      char w[64];
      fprintf(stderr, "%s valid: ",
              cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_FILES), "file",
                          f, sizeof f));
      cli_print_counts(stderr, stats);
      fprintf(stderr, "; %s\n",
              cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_WARNINGS),
                          "warning", w, sizeof w));
    } else if (st && stats && dipkg_stats_count(stats, DIPKG_COUNT_ERRORS)) {
      fprintf(stderr, "dipkg: %s\n",
              cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_ERRORS), "error",
                          f, sizeof f));
    }
    dipkg_stats_free(stats);
  }
  cli_teardown(&s);
  return rc;
}

int
cmd_stats(int argc, char **argv)
{
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_stats_help);
  if (rc >= 0)
    return rc;
  unsigned accepts = s.o.store ? 0 : ARGS_FACTS | ARGS_RDF | ARGS_REQUIRED;
  rc = cli_setup(&s, argc - optind, argv + optind, accepts);
  if (rc < 0) {
    DipkgStats *stats = NULL;
    DipkgStatus st;
    bool store = s.o.store || s.n_rdf;
    if (!store) {
      st = dipkg_corpus_stats(s.corpus, &stats);
    } else {
      // Count what a store holds: the one named, or one in memory holding
      // the inputs (RDF files need a store to be read).
      DipkgStore *db = NULL;
      st = dipkg_store_open(s.world, s.o.store ? s.o.store : "memory:", &db);
      if (!st && !s.o.store) {
        dipkg_store_set_closure(db, !s.o.no_closure);
        st = dipkg_store_load(db, s.corpus, s.rdf, NULL);
      }
      if (!st)
        st = dipkg_store_stats(db, &stats);
      dipkg_store_free(db);
    }
    rc = cli_exit_code(st);
    if (!st)
      cli_print_stats(stdout, stats, store);
    else if (stats && dipkg_stats_count(stats, DIPKG_COUNT_ERRORS)) {
      char e[64];
      fprintf(stderr, "dipkg: %s\n",
              cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_ERRORS), "error",
                          e, sizeof e));
    }
    dipkg_stats_free(stats);
    rc = cli_finish_stdout(rc);
  }
  cli_teardown(&s);
  return rc;
}

int
cmd_classes(int argc, char **argv)
{
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_classes_help);
  if (rc >= 0)
    return rc;
  if (optind < argc)
    return cli_usage_error("unexpected argument '%s'", argv[optind]);
  rc = cli_setup(&s, 0, NULL, 0);
  if (rc < 0) {
    for (int events = 1; events >= 0; events--) {
      printf("%s classes:\n", events ? "event" : "entity");
      for (size_t i = 0; i < dipkg_world_n_classes(s.world); i++) {
        DipkgClassInfo c;
        dipkg_world_class(s.world, i, &c);
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
    rc = cli_finish_stdout(0);
  }
  cli_teardown(&s);
  return rc;
}
