/* The commands over stores and SPARQL: load, query. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
cmd_load(int argc, char **argv)
{
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_load_help);
  if (rc < 0 && !s.o.store)
    rc = cli_usage_error("%s", "load needs --store SPEC (for example "
                               "--store bdb:kg)");
  if (rc < 0 && s.o.store && !strncmp(s.o.store, "memory:", 7))
    rc = cli_usage_error("%s", "load --store memory: would be discarded when "
                               "dipkg exits: give a store on disk (bdb:DIR "
                               "or sqlite:PATH), or query the inputs directly "
                               "(dipkg query INPUT... -e SPARQL)");
  if (rc < 0 && s.o.rebase && !s.o.base)
    rc = cli_usage_error("%s", "--rebase needs the new --base IRI");
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
      dipkg_store_set_rebase(db, s.o.rebase);
      if (s.o.lock_wait_set)
        dipkg_store_set_lock_wait(db, s.o.lock_wait);
      // Without --base, the base the store recorded.
      if (!s.o.base)
        st = dipkg_store_use_recorded_base(db);
    }
    if (!st)
      st = dipkg_store_load(db, s.corpus, s.rdf, &stats);
    rc = cli_exit_code(st);
    char t[64];
    if (!st && !s.o.quiet) {
      fprintf(stderr, "loaded into %s: ", s.o.store);
      cli_print_counts(stderr, stats);
      fprintf(stderr, ", %s added (with the closure and the ontology)\n",
              cli_counted(dipkg_stats_count(stats, DIPKG_COUNT_TRIPLES),
                          "statement", t, sizeof t));
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

/* Reads a query file whole (caller frees), or NULL with a message; "-"
 * reads standard input.  A file is checked first: a FIFO would block here
 * forever. */
static char *
read_query(const char *path)
{
  struct stat sb;
  bool is_stdin = !strcmp(path, "-");
  if (is_stdin)
    path = "<stdin>";
  if (!is_stdin && !stat(path, &sb) && !S_ISREG(sb.st_mode)) {
    fprintf(stderr,
            "%s: error: cannot read the query: it is %s, not a "
            "regular file\n",
            path, dipkg_file_kind(sb.st_mode));
    return NULL;
  }
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
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
      if (cap > (size_t)DIPKG_MAX_QUERY_TEXT) {
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
  if (text && ferror(f)) {
    fprintf(stderr, "%s: error: cannot read the query: %s\n", path,
            strerror(errno));
    free(text);
    text = NULL;
  }
  if (text)
    text[len] = '\0';
  if (!is_stdin)
    fclose(f);
  return text;
}

/* Whether the environment variable `name` is "1". */
static bool
env_is_one(const char *name)
{
  const char *v = getenv(name);
  return v && !strcmp(v, "1");
}

/* --timeout SECONDS (a positive number, fractions allowed, up to 30
 * days) in milliseconds; 0 if invalid. */
static unsigned
parse_timeout(const char *text)
{
  char *end;
  errno = 0;
  double s = strtod(text, &end);
  if (errno || end == text || *end || !(s > 0) || s > 30 * 86400.0)
    return 0;
  double ms = s * 1000.0;
  return ms < 1 ? 1 : (unsigned)(ms + 0.5);
}

/* --memory-limit SIZE: a whole number of bytes, or with a binary suffix K,
 * M, G, T (KiB, MiB, ...; "MB" and "MiB" read the same); 0 if invalid. */
static uint64_t
parse_size(const char *text)
{
  char *end;
  errno = 0;
  if (!*text || *text == '-' || *text == '+')
    return 0;
  unsigned long long n = strtoull(text, &end, 10);
  if (errno || end == text || n == 0)
    return 0;
  static const char units[] = "KMGT";
  unsigned shift = 0;
  if (*end) {
    const char *u = strchr(units, *end >= 'a' ? *end - 32 : *end);
    if (!u || !*u)
      return 0;
    shift = 10u * (unsigned)(u - units + 1);
    end++;
    if (!strcmp(end, "iB") || !strcmp(end, "B"))
      end += strlen(end);
  }
  if (*end || n > (UINT64_MAX >> shift))
    return 0;
  return (uint64_t)n << shift;
}

/* The query policy of the options; -1, or an exit status for a bad
 * option.  Two switches for developers stay in the environment, for the
 * tools that run dipkg (make valgrind, the crosscheck):
 * DIPKG_QUERY_IN_PROCESS=1 runs the query in this process (then without
 * limits), DIPKG_SPARQL_RAW=1 without dipkg's rewrites and refusals. */
static int
query_policy(const Options *o, DipkgQueryPolicy *policy)
{
  dipkg_query_policy_init(policy);
  policy->in_process = env_is_one("DIPKG_QUERY_IN_PROCESS");
  policy->raw = env_is_one("DIPKG_SPARQL_RAW");
  policy->allow_service = o->allow_service;
  if (o->timeout && !(policy->timeout_ms = parse_timeout(o->timeout)))
    return cli_usage_error("invalid --timeout '%s' (expected a number of "
                           "seconds, such as 30 or 0.5)",
                           o->timeout);
  if (o->memory_limit && !(policy->memory_bytes = parse_size(o->memory_limit)))
    return cli_usage_error("invalid --memory-limit '%s' (expected a size, "
                           "such as 512M or 2G)",
                           o->memory_limit);
  return -1;
}

int
cmd_query(int argc, char **argv)
{
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_query_help);
  if (rc >= 0)
    return rc;
  DipkgResultFormat format =
    isatty(STDOUT_FILENO) ? DIPKG_RESULTS_TABLE : DIPKG_RESULTS_DEFAULT;
  if (s.o.format && dipkg_result_format_from_name(s.o.format, &format))
    return cli_usage_error("unknown result format '%s' (expected table, csv, "
                           "tsv, json, xml, turtle, ntriples or jsonld)",
                           s.o.format);
  if (s.o.endpoint && (s.o.store || s.o.no_closure || s.o.explain))
    return cli_usage_error("%s", "--endpoint queries a remote store: --store, "
                                 "--no-closure and --explain do not apply");
  if (s.o.post_form && !s.o.endpoint)
    return cli_usage_error("%s", "--post-form applies to --endpoint");
  DipkgDefaultGraph default_graph = DIPKG_DEFAULT_GRAPH_UNION;
  rc = -1;
  if (s.o.default_graph &&
      dipkg_default_graph_from_name(s.o.default_graph, &default_graph))
    rc = cli_usage_error("invalid --default-graph '%s' (expected union or "
                         "merge)",
                         s.o.default_graph);
  else if (s.o.n_named_graphs && (s.o.store || s.o.endpoint))
    rc = cli_usage_error("%s", "--named-graph loads a file with the inputs: "
                               "not with --store or --endpoint");
  else if (s.o.default_graph && s.o.endpoint)
    rc = cli_usage_error("%s", "--default-graph applies to dipkg's own "
                               "queries, not to --endpoint");
  if (rc >= 0) {
    cli_teardown(&s);  // the option lists
    return rc;
  }
  unsigned accepts =
    ARGS_QUERY_FILE | (s.o.store || s.o.explain || s.o.endpoint
                         ? 0
                         : ARGS_FACTS | ARGS_RDF | ARGS_REQUIRED);
  rc = cli_setup(&s, argc - optind, argv + optind, accepts);
  if (rc < 0 && !s.query_file && !s.o.expression)
    rc =
      cli_usage_error("%s", "no query given: a QUERY.rq file or -e 'SPARQL'");
  if (rc < 0 && s.query_file && s.o.expression)
    rc =
      cli_usage_error("%s", "give the query once: a .rq file or -e, not both");
  char *text = NULL;
  // -e - reads the query from standard input, as a "-" argument does.
  bool expression = s.o.expression && strcmp(s.o.expression, "-");
  if (rc < 0 && s.o.expression && !expression)
    s.query_file = "-";
  const char *name = !s.query_file                ? "<query>"
                     : !strcmp(s.query_file, "-") ? "<stdin>"
                                                  : s.query_file;
  DipkgQueryPolicy policy;
  if (rc < 0)
    rc = query_policy(&s.o, &policy);
  if (rc < 0) {
    text = expression     ? strdup(s.o.expression)
           : s.query_file ? read_query(s.query_file)
                          : NULL;
    if (!text)
      rc = expression ? EXIT_SYSTEM : EXIT_DATA;
  }
  if (rc < 0 && s.o.explain) {
    DipkgStatus st = dipkg_query_explain_with(s.world, &policy, text, name,
                                              s.o.bindings, stdout);
    rc = cli_finish_stdout(cli_exit_code(st));
  } else if (rc < 0 && s.o.endpoint) {
    // --timeout bounds the whole request (libcurl's own limit).
    DipkgEndpointOptions eo = {policy.timeout_ms, s.o.post_form};
    DipkgStatus st =
      dipkg_endpoint_query(s.world, s.o.endpoint, text, name, s.o.bindings,
                           format, &eo, stdout, NULL);
    rc = cli_finish_stdout(cli_exit_code(st));
  } else if (rc < 0) {
    // The query is checked first: its mistakes are reported before a long
    // load of the inputs.
    DipkgStatus st = dipkg_query_explain_with(s.world, &policy, text, name,
                                              s.o.bindings, NULL);
    DipkgStore *db = NULL;
    if (!st)
      st = dipkg_store_open(s.world, s.o.store ? s.o.store : "memory:", &db);
    if (!st) {
      dipkg_store_set_query_policy(db, &policy);
      dipkg_store_set_with_ontology(db, s.o.with_ontology);
      dipkg_store_set_default_graph(db, default_graph);
    }
    if (!st && !s.o.store) {
      dipkg_store_set_closure(db, !s.o.no_closure);
      st =
        dipkg_store_load_dataset(db, s.corpus, s.rdf, s.o.named_graphs, NULL);
    } else if (!st && !s.o.base) {
      st = dipkg_store_use_recorded_base(db);  // its IRIs' prefixes
    }
    if (!st)
      st =
        dipkg_store_query(db, text, name, s.o.bindings, format, stdout, NULL);
    dipkg_store_free(db);
    rc = cli_finish_stdout(cli_exit_code(st));
  }
  free(text);
  cli_teardown(&s);
  return rc;
}
