/* dipkg: the command-line front end.  It parses options, calls the public
 * API (include/dipkg.h) and maps statuses to exit codes: 0 success,
 * 1 invalid input or a failed query, 2 usage error or invalid query,
 * 3 input/output or system failure. */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static const char usage_text[] =
  "usage: dipkg COMMAND [OPTION...] [ARGUMENT...]\n"
  "\n"
  "Turns curated facts about diplomatic events (YAML) into RDF, and\n"
  "answers SPARQL over them.\n"
  "\n"
  "commands:\n"
  "  export    write the corpus as RDF\n"
  "  validate  check the corpus; write nothing\n"
  "  stats     count articles, events, entities and triples\n"
  "  query     run a SPARQL query over facts, RDF files or a store\n"
  "  load      load facts or RDF into a persistent store\n"
  "  push      sync a SPARQL store with the corpus (Graph Store Protocol)\n"
  "  classes   list the ontology's event and entity classes\n"
  "  serve     serve the graph as linked data and SPARQL over HTTP\n"
  "  publish   write the graph as a static linked-data site\n"
  "  help      show this help, or a command's\n"
  "\n"
  "-V, --version (also after a command) prints the version.\n"
  "\n"
  "FACTS are facts files or directories (walked for *.yaml, *.yml and\n"
  "*.json, in any case, each also gzipped);\n"
  "'-' reads one facts file from standard input.\n"
  "Run 'dipkg help COMMAND' for a command's options.\n";

#define COMMON                                                                 \
  "  -b, --base IRI        base of minted IRIs (default " DIPKG_DEFAULT_BASE   \
  ")\n"                                                                        \
  "      --ontology PATH   ontology file or directory (default:\n"             \
  "                        $DIPKG_ONTOLOGY, or the one beside dipkg or\n"      \
  "                        installed with it: see 'man dipkg')\n"              \
  "  -j, --jobs N          worker threads (default: the number of CPUs)\n"     \
  "      --max-errors N    stop reporting after N errors (0: all; default "    \
  "100)\n"                                                                     \
  "      --brief           do not quote the offending source line\n"           \
  "      --progress, --no-progress\n"                                          \
  "                        progress on standard error (default: when it is\n"  \
  "                        a terminal and -q is not given)\n"                  \
  "      --strict          treat curation warnings as errors\n"                \
  "      --allow-outside-text  let `text:` name a file outside the\n"          \
  "                        directory tree of the facts given (refused\n"       \
  "                        by default)\n"

const char cli_export_help[] =
  "usage: dipkg export [OPTION...] FACTS...\n"
  "\n"
  "  -f, --format FORMAT   turtle (default), ntriples, nquads, trig, rdfxml\n"
  "                        or jsonld; with -o, the default follows the file\n"
  "                        extension (.ttl .nt .nq .trig .rdf .jsonld;\n"
  "                        FILE.gz is gzip-compressed); plover-jsonl\n"
  "                        (.jsonl) writes one PLOVER event record a line\n"
  "  -o, --output FILE     write FILE atomically (default: standard "
  "output)\n"
  "      --void FILE       also write the dataset's VoID and DCAT\n"
  "                        description (Turtle; by FILE's extension)\n"
  "      --closure         add the materialised class and property\n"
  "                        hierarchies, as a store loads them\n"
  "      --with-ontology   add the ontology and the CAMEO/PLOVER schemes\n"
  "                        (N-Quads: in the graph "
  "<https://w3id.org/dipkg/ns>)\n"
  "                        Both make other SPARQL engines answer as dipkg\n"
  "                        does (see docs/loading.md)\n" COMMON
  "  -q, --quiet           no summary on standard error\n";

const char cli_validate_help[] =
  "usage: dipkg validate [OPTION...] FACTS...\n"
  "\n"
  "Runs every check of export and writes nothing.  Exit status 0 when the\n"
  "corpus is clean, 1 when it has errors.\n"
  "\n" COMMON "  -q, --quiet           no summary on standard error\n";

const char cli_stats_help[] =
  "usage: dipkg stats [OPTION...] [--store SPEC | INPUT...]\n"
  "\n"
  "Counts what facts, RDF files or a store hold: files (or named graphs),\n"
  "articles, events and entities by type, quotes, triples.\n"
  "\n"
  "  -s, --store SPEC      count what a store holds (see 'dipkg help "
  "load')\n"
  "      --no-closure      do not materialise the hierarchies (RDF "
  "inputs)\n" COMMON;

const char cli_classes_help[] =
  "usage: dipkg classes [--ontology PATH]\n"
  "\n"
  "Lists the event and entity classes of the ontology, the values of\n"
  "`type:`, with their CAMEO code and PLOVER event type.\n";

const char cli_load_help[] =
  "usage: dipkg load --store SPEC [OPTION...] INPUT...\n"
  "\n"
  "Loads facts (files or directories) and RDF files (.ttl, .nt, .nq, .rdf,\n"
  ".trig, each also gzipped: .ttl.gz, ...) into a persistent store,\n"
  "creating it if needed.  Each article and\n"
  "each entity has its own named graph, which a new load replaces: loading\n"
  "the same files again changes nothing.  All or nothing: a load that fails\n"
  "leaves the store as it was.\n"
  "\n"
  "  -s, --store SPEC      bdb:DIR (Berkeley DB, the default store),\n"
  "                        sqlite:PATH, memory:, or TYPE:OPTIONS for any\n"
  "                        other Redland storage (postgresql, virtuoso, ...)\n"
  "      --no-closure      do not materialise the class and property\n"
  "                        hierarchies (see docs/sparql.md)\n"
  "      --input-format F  '-' is RDF in syntax F (turtle, ntriples,\n"
  "                        nquads, rdfxml or trig), not facts\n"
  "      --lock-wait SECONDS  wait up to SECONDS for another load of the\n"
  "                        same store to finish (default 60; 0: fail at once)\n"
  "      --rebase          load with a --base other than the one the store\n"
  "                        recorded (without --base: the store's)\n" COMMON
  "  -q, --quiet           no summary on standard error\n";

const char cli_query_help[] =
  "usage: dipkg query [OPTION...] [--store SPEC | INPUT...] "
  "(QUERY.rq | -e SPARQL)\n"
  "\n"
  "Runs a SPARQL query over facts and RDF files (mapped in memory) or over\n"
  "a store.  The usual prefixes are predeclared (dip:, rdf:, rdfs:, owl:,\n"
  "xsd:, sem:, schema:, prov:, skos:, dcterms:, nif:, wd:, article:,\n"
  "entity:, event:).  docs/sparql.md lists what rasqal supports.\n"
  "\n"
  "  -e, --expression SPARQL  the query text, instead of a .rq file\n"
  "                        ('-e -', or '-' as QUERY.rq: standard input)\n"
  "      --input-format F  '-' is an RDF input in syntax F (turtle,\n"
  "                        ntriples, nquads, rdfxml or trig)\n"
  "      --bind VAR=TERM   set a parameter: replace the values of the\n"
  "                        query's VALUES ?VAR { ... } with TERM (repeatable)\n"
  "      --explain         print the query as it would run (predeclared\n"
  "                        prefixes, rasqal workarounds, --bind values\n"
  "                        applied) and exit without running it\n"
  "  -f, --format FORMAT   table (the default on a terminal), csv (the\n"
  "                        default otherwise), tsv, json, xml; for\n"
  "                        CONSTRUCT: turtle, ntriples or jsonld\n"
  "  -s, --store SPEC      query a store instead of inputs\n"
  "      --endpoint URL    send the query to a SPARQL 1.1 Protocol endpoint\n"
  "                        instead (as written: no rasqal rewrites)\n"
  "      --post-form       with --endpoint: send the query as an HTML form\n"
  "                        (Virtuoso 7.2 needs it; see docs/loading.md)\n"
  "      --no-closure      do not materialise the hierarchies (inputs "
  "only)\n"
  "      --timeout SECONDS stop the query after SECONDS (exit 1; with\n"
  "                        --endpoint: stop waiting for the server)\n"
  "      --memory-limit SIZE  stop the query past SIZE of memory (512M,\n"
  "                        2G; exit 1)\n"
  "      --allow-service   let SERVICE send requests to other servers\n"
  "                        (refused otherwise)\n"
  "      --with-ontology   the ontology in the default graph too (without\n"
  "                        it: GRAPH <https://w3id.org/dipkg/ns> { ... "
  "})\n"
  "      --default-graph union|merge  the default graph: every graph of\n"
  "                        the data (union, the default), or only the\n"
  "                        inputs' statements outside named graphs (merge:\n"
  "                        SPARQL's dataset, the W3C tests')\n"
  "      --named-graph FILE  load the RDF file FILE as the named graph\n"
  "                        <file:///...FILE> (repeatable; inputs "
  "only)\n" COMMON;

const char cli_serve_help[] =
  "usage: dipkg serve [OPTION...] [--store SPEC | INPUT...]\n"
  "\n"
  "Serves the graph over HTTP (docs/publishing.md): every IRI under the\n"
  "base resolves, by content negotiation, to HTML, Turtle, JSON-LD,\n"
  "N-Triples or RDF/XML (suffixes .html .ttl .jsonld .nt .rdf select one);\n"
  "SPARQL 1.1 Protocol at /sparql; VoID and DCAT at /.well-known/void.\n"
  "Read-only.  SIGINT or SIGTERM stop it after the requests in progress.\n"
  "\n"
  "      --listen HOST:PORT  address (default 127.0.0.1:8080; port 0: any)\n"
  "      --query-timeout S   stop a query after S seconds (default 10; 0:\n"
  "                          none): the client gets 503\n"
  "      --query-memory MIB  cap a query's memory (default: none)\n"
  "      --threads N         request threads (default 4)\n"
  "      --dataset-meta FILE Turtle with the dataset's licence, publisher\n"
  "  -s, --store SPEC      serve a store instead of inputs\n"
  "      --no-closure      do not materialise the hierarchies (inputs "
  "only)\n" COMMON "  -q, --quiet           no access log on standard error\n";

const char cli_publish_help[] =
  "usage: dipkg publish [OPTION...] -o DIR INPUT...\n"
  "\n"
  "Writes the graph as a static linked-data site in DIR: for each resource\n"
  "REL/index.html, index.ttl, index.jsonld and index.nt; the dumps, the\n"
  "VoID description, a sitemap, and Apache and nginx snippets for content\n"
  "negotiation.  Files whose content is unchanged are not rewritten.\n"
  "\n"
  "  -o, --output DIR      the site's directory (created if needed)\n"
  "      --no-closure      do not materialise the hierarchies\n" COMMON
  "  -q, --quiet           no summary on standard error\n";

const char cli_push_help[] =
  "usage: dipkg push --graph-store URL [OPTION...] FACTS...\n"
  "\n"
  "Syncs a SPARQL store with the corpus through the SPARQL 1.1 Graph Store\n"
  "HTTP Protocol: each article's and each entity's named graph, and the\n"
  "ontology's, as 'dipkg load' makes them, replaced with PUT when it\n"
  "changed; graphs of articles no longer in the corpus deleted.  A manifest\n"
  "graph in the store ({base}push-manifest) holds a hash of each graph: a\n"
  "second push of the same corpus sends nothing, and the push after an\n"
  "interrupted one finishes its work.\n"
  "\n"
  "      --graph-store URL the Graph Store endpoint (Virtuoso:\n"
  "                        http://HOST:8890/sparql-graph-crud-auth)\n"
  "      --user U          HTTP user (Basic or Digest auth)\n"
  "      --password-file F the password: the first line of F\n"
  "      --dry-run         say what would be sent and deleted; send "
  "nothing\n"
  "      --no-closure      do not materialise the hierarchies\n"
  "  (-j N: also N requests in flight at once; default 4)\n" COMMON
  "  -q, --quiet           no progress or summary on standard error\n";

int
main(int argc, char **argv)
{
#ifdef M_MMAP_THRESHOLD
  // glibc raises its mmap threshold to the size of each large block freed
  // (up to 32 MiB), after which large buffers come from the heaps and
  // their pages stay resident once freed: at 100k articles an export kept
  // 5 MiB more that way.  A fixed threshold gives them back.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  if (argc < 2)
    return cli_usage_error("%s", "no command given");
  const char *cmd = argv[1];
  cli_signals_start();
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") ||
      !strcmp(cmd, "version"))
    return cli_print_version();
  if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    const char *topic = argc > 2 ? argv[2] : "";
    static const struct {
      const char *name;
      const char *text;
    } topics[] = {{"export", cli_export_help}, {"validate", cli_validate_help},
                  {"stats", cli_stats_help},   {"classes", cli_classes_help},
                  {"load", cli_load_help},     {"query", cli_query_help},
                  {"serve", cli_serve_help},   {"publish", cli_publish_help},
                  {"push", cli_push_help},     {"help", usage_text}};
    const char *text = argc > 2 ? NULL : usage_text;
    for (size_t i = 0; i < sizeof topics / sizeof *topics; i++)
      if (!strcmp(topic, topics[i].name))
        text = topics[i].text;
    if (!text)
      return cli_usage_error("no help for '%s': not a command", topic);
    if (argc > 3)
      return cli_usage_error("unexpected argument '%s'", argv[3]);
    fputs(text, stdout);
    return cli_finish_stdout(0);
  }
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } commands[] = {
    {"export", cmd_export},   {"validate", cmd_validate}, {"stats", cmd_stats},
    {"classes", cmd_classes}, {"load", cmd_load},         {"query", cmd_query},
    {"serve", cmd_serve},     {"publish", cmd_publish},   {"push", cmd_push}};
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!strcmp(cmd, commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  if (cmd[0] == '-')
    return cli_usage_error("unknown option '%s' (options follow the command)",
                           cmd);
  return cli_usage_error("unknown command '%s'", cmd);
}
