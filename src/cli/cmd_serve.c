/* The linked-data commands: serve (an HTTP server) and publish (a static
 * site).  Their own options are taken out of argv before the common
 * parser sees the rest. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

const char *
cli_take_option(int *argc, char **argv, const char *name, bool *missing)
{
  size_t n = strlen(name);
  const char *value = NULL;
  for (int i = 1; i < *argc; i++) {
    if (!strcmp(argv[i], "--"))
      break;
    int used = 0;
    if (!strncmp(argv[i], name, n) && argv[i][n] == '=') {
      value = argv[i] + n + 1;
      used = 1;
    } else if (!strcmp(argv[i], name)) {
      if (i + 1 >= *argc) {
        *missing = true;
        used = 1;
      } else {
        value = argv[i + 1];
        used = 2;
      }
    }
    if (used) {
      memmove(argv + i, argv + i + used,
              (size_t)(*argc - i - used + 1) * sizeof *argv);
      *argc -= used;
      i--;
    }
  }
  return value;
}

static bool
parse_seconds(const char *s, unsigned *ms)
{
  char *end = NULL;
  double v = strtod(s, &end);
  if (!end || end == s || *end || !(v >= 0) || v > 86400)
    return false;
  *ms = (unsigned)(v * 1000 + 0.5);
  return true;
}

int
cmd_serve(int argc, char **argv)
{
  bool missing = false;
  const char *listen = cli_take_option(&argc, argv, "--listen", &missing);
  const char *timeout =
    cli_take_option(&argc, argv, "--query-timeout", &missing);
  const char *memory = cli_take_option(&argc, argv, "--query-memory", &missing);
  const char *threads = cli_take_option(&argc, argv, "--threads", &missing);
  const char *meta = cli_take_option(&argc, argv, "--dataset-meta", &missing);
  if (missing)
    return cli_usage_error("%s", "an option of serve lacks its value");
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_serve_help);
  if (rc >= 0)
    return rc;
  DipkgServerOptions opt;
  dipkg_server_options_init(&opt);
  opt.access_log = s.o.quiet ? NULL : stderr;
  opt.dataset_meta = meta;
  if (listen)
    opt.listen = listen;
  if (timeout && !parse_seconds(timeout, &opt.query_timeout_ms))
    return cli_usage_error("invalid --query-timeout '%s' (expected seconds, "
                           "0 for none)",
                           timeout);
  if (memory) {
    char *end = NULL;
    unsigned long long mib = strtoull(memory, &end, 10);
    if (!end || *end || end == memory || mib > (1ull << 30))
      return cli_usage_error("invalid --query-memory '%s' (expected MiB)",
                             memory);
    opt.query_memory = mib << 20;
  }
  if (threads) {
    char *end = NULL;
    unsigned long n = strtoul(threads, &end, 10);
    if (!end || *end || n < 1 || n > 256)
      return cli_usage_error("invalid --threads '%s' (expected 1 to 256)",
                             threads);
    opt.threads = (unsigned)n;
  }
  rc = cli_setup(&s, argc - optind, argv + optind,
                 s.o.store ? 0 : ARGS_FACTS | ARGS_RDF | ARGS_REQUIRED);
  if (rc >= 0) {
    cli_teardown(&s);
    return rc;
  }
  DipkgStore *db = NULL;
  DipkgGraph *graph = NULL;
  DipkgServer *srv = NULL;
  DipkgStatus st =
    dipkg_store_open(s.world, s.o.store ? s.o.store : "memory:", &db);
  if (!st && !s.o.store) {
    dipkg_store_set_closure(db, !s.o.no_closure);
    st = dipkg_store_load(db, s.corpus, s.rdf, NULL);
  } else if (!st && !s.o.base) {
    st = dipkg_store_use_recorded_base(db);  // where its IRIs are
  }
  if (!st)
    st = dipkg_store_graph(s.world, db, &graph);
  // Stop on SIGINT/SIGTERM by returning here, not by dying.
  cli_signals_catch_stop();
  if (!st)
    st = dipkg_server_start(s.world, db, graph, &opt, &srv);
  if (!st) {
    fprintf(stderr,
            "dipkg: serving %llu statements at http://%.*s:%u/ (base %s); "
            "stop with Ctrl-C or SIGTERM\n",
            (unsigned long long)dipkg_graph_size(graph),
            (int)(strrchr(opt.listen, ':') - opt.listen), opt.listen,
            dipkg_server_port(srv), dipkg_world_base(s.world));
    int sig = cli_signals_wait_stop();
    fprintf(stderr, "dipkg: %s: finishing the requests in progress\n",
            sig == 2 ? "interrupted" : "terminated");
    dipkg_server_stop(srv);
    fprintf(stderr, "dipkg: stopped\n");
  }
  rc = cli_exit_code(st);
  dipkg_graph_free(graph);
  dipkg_store_free(db);
  cli_teardown(&s);
  return rc;
}
