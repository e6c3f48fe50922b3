/* The commands over stores and SPARQL: load, query. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
cmd_load(int argc, char **argv)
{
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_load_help);
  if (rc < 0 && !s.o.store)
    rc = cli_usage_error("%s", "load needs --store SPEC (for example "
                               "--store bdb:kg)");
  if (rc < 0 && (s.o.output || s.o.format || s.o.expression))
    rc = cli_usage_error("%s", "load takes no -o, -f or -e");
  if (rc >= 0)
    return rc;
  rc = cli_setup(&s, argc - optind, argv + optind,
                 ARGS_FACTS | ARGS_RDF | ARGS_REQUIRED);
  if (rc < 0) {
    DipkgStore *db = NULL;
    DipkgStats *stats = NULL;
    DipkgStatus st = dipkg_store_open(s.world, s.o.store, &db);
    if (!st) {
      dipkg_store_set_closure(db, !s.o.no_closure);
      st = dipkg_store_load(db, s.corpus, s.rdf, &stats);
    }
    rc = cli_exit_code(st);
    char t[64];
    if (!st && !s.o.quiet) {
      fprintf(stderr, "loaded into %s: ", s.o.store);
      cli_print_counts(stderr, stats);
      fprintf(stderr, ", %s\n",
              cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_TRIPLES),
                          "triple", t, sizeof t));
    } else if (st == DIPKG_ERR_DATA) {
      fprintf(stderr, "dipkg: %s; the store is unchanged\n",
              stats ? cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_ERRORS),
                                  "error", t, sizeof t)
                    : "errors");
    }
    dipkg_stats_free(stats);
    dipkg_store_free(db);
  }
  cli_teardown(&s);
  return rc;
}

/* Reads a query file whole (caller frees), or NULL with a message. */
static char *
read_query(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: error: cannot read the query: %s\n", path,
            strerror(errno));
    return NULL;
  }
  size_t cap = 4096, len = 0;
  char *text = malloc(cap);
  size_t n;
  while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (len + 1 == cap) {
      if (cap > (64u << 20)) {
        fprintf(stderr, "%s: error: the query is too long\n", path);
        free(text);
        text = NULL;
        break;
      }
      char *grown = realloc(text, cap *= 2);
      if (!grown) {
        free(text);
        text = NULL;
      }
      text = grown;
    }
  }
  if (text)
    text[len] = '\0';
  fclose(f);
  return text;
}

int
cmd_query(int argc, char **argv)
{
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_query_help);
  if (rc < 0 && s.o.output)
    rc = cli_usage_error("%s", "query writes to standard output: -o does not "
                               "apply");
  if (rc >= 0)
    return rc;
  DipkgResultFormat format =
    isatty(STDOUT_FILENO) ? DIPKG_RESULTS_TABLE : DIPKG_RESULTS_DEFAULT;
  if (s.o.format && dipkg_result_format_from_name(s.o.format, &format))
    return cli_usage_error("unknown result format '%s' (expected table, csv, "
                           "tsv, json, xml, turtle or ntriples)",
                           s.o.format);
  unsigned accepts =
    ARGS_QUERY_FILE |
    (s.o.store || s.o.explain ? 0 : ARGS_FACTS | ARGS_RDF | ARGS_REQUIRED);
  rc = cli_setup(&s, argc - optind, argv + optind, accepts);
  if (rc < 0 && !s.query_file && !s.o.expression)
    rc =
      cli_usage_error("%s", "no query given: a QUERY.rq file or -e 'SPARQL'");
  if (rc < 0 && s.query_file && s.o.expression)
    rc =
      cli_usage_error("%s", "give the query once: a .rq file or -e, not both");
  char *text = NULL;
  if (rc < 0) {
    text = s.o.expression ? strdup(s.o.expression) : read_query(s.query_file);
    if (!text)
      rc = s.o.expression ? EXIT_SYSTEM : EXIT_DATA;
  }
  if (rc < 0 && s.o.explain) {
    DipkgStatus st =
      dipkg_query_explain(s.world, text, s.query_file ? s.query_file : "<query>",
                          s.o.bindings, stdout);
    rc = cli_finish_stdout(cli_exit_code(st));
  } else if (rc < 0) {
    // The query is checked first: its mistakes are reported before a long
    // load of the inputs.
    DipkgStatus st = dipkg_query_explain(
      s.world, text, s.query_file ? s.query_file : "<query>", s.o.bindings,
      NULL);
    DipkgStore *db = NULL;
    if (!st)
      st = dipkg_store_open(s.world, s.o.store ? s.o.store : "memory:", &db);
    if (!st)
      dipkg_store_set_with_ontology(db, s.o.with_ontology);
    if (!st && !s.o.store) {
      dipkg_store_set_closure(db, !s.o.no_closure);
      st = dipkg_store_load(db, s.corpus, s.rdf, NULL);
    }
    if (!st)
      st = dipkg_store_query(db, text, s.query_file ? s.query_file : "<query>",
                             s.o.bindings, format, stdout, NULL);
    dipkg_store_free(db);
    rc = cli_finish_stdout(cli_exit_code(st));
  }
  free(text);
  cli_teardown(&s);
  return rc;
}
