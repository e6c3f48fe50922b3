/* dipkg publish: the graph as a static linked-data site. */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

int
cmd_publish(int argc, char **argv)
{
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_publish_help);
  if (rc < 0 && !s.o.output)
    rc = cli_usage_error("%s", "publish needs -o DIR");
  if (rc >= 0)
    return rc;
  rc = cli_setup(&s, argc - optind, argv + optind,
                 ARGS_FACTS | ARGS_RDF | ARGS_REQUIRED);
  if (rc < 0) {
    DipkgStore *db = NULL;
    DipkgGraph *graph = NULL;
    DipkgPublishCounts counts = {0};
    DipkgStatus st = dipkg_store_open(s.world, "memory:", &db);
    if (!st) {
      dipkg_store_set_closure(db, !s.o.no_closure);
      st = dipkg_store_load(db, s.corpus, s.rdf, NULL);
    }
    if (!st)
      st = dipkg_store_graph(s.world, db, &graph);
    if (!st)
      st = dipkg_graph_publish(graph, s.corpus, s.o.output, &counts);
    if (!st && !s.o.quiet)
      fprintf(stderr,
              "published %" PRIu64 " resources in %s: %" PRIu64
              " files written, %" PRIu64 " unchanged\n",
              counts.resources, s.o.output, counts.written, counts.unchanged);
    if (!st && counts.skipped)
      fprintf(stderr,
              "dipkg: warning: %" PRIu64 " IRIs under the base are no safe "
              "path and have no page\n",
              counts.skipped);
    rc = cli_exit_code(st);
    dipkg_graph_free(graph);
    dipkg_store_free(db);
  }
  cli_teardown(&s);
  return rc;
}
