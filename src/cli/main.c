/* dipkg: the command-line front end.  It parses options, calls the public
 * API (include/dipkg.h) and maps statuses to exit codes: 0 success,
 * 1 invalid input or a failed query, 2 usage error or invalid query,
 * 3 input/output or system failure. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

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
  "  classes   list the ontology's event and entity classes\n"
  "  help      show this help, or a command's\n"
  "\n"
  "FACTS are facts files or directories (walked for *.yaml and *.yml).\n"
  "Run 'dipkg help COMMAND' for a command's options.\n";

#define COMMON                                                                 \
  "  -b, --base IRI        base of minted IRIs (default " DIPKG_DEFAULT_BASE   \
  ")\n"                                                                        \
  "      --ontology PATH   ontology file or directory (default: the one\n"     \
  "                        beside dipkg, or $DIPKG_ONTOLOGY)\n"                \
  "  -j, --jobs N          worker threads (default: the number of CPUs)\n"     \
  "      --max-errors N    stop reporting after N errors (0: all; default "    \
  "100)\n"                                                                     \
  "      --brief           do not quote the offending source line\n"

const char cli_export_help[] =
  "usage: dipkg export [OPTION...] FACTS...\n"
  "\n"
  "  -f, --format FORMAT   turtle (default), ntriples, nquads or rdfxml;\n"
  "                        with -o, the default follows the file extension\n"
  "  -o, --output FILE     write FILE atomically (default: standard "
  "output)\n" COMMON "  -q, --quiet           no summary on standard error\n";

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
  "load')\n" COMMON;

const char cli_classes_help[] =
  "usage: dipkg classes [--ontology PATH]\n"
  "\n"
  "Lists the event and entity classes of the ontology, the values of\n"
  "`type:`, with their CAMEO code and PLOVER event type.\n";

const char cli_load_help[] =
  "usage: dipkg load --store SPEC [OPTION...] INPUT...\n"
  "\n"
  "Loads facts (files or directories) and RDF files (.ttl, .nt, .nq, .rdf,\n"
  ".trig) into a persistent store, creating it if needed.  Each article and\n"
  "each entity has its own named graph, which a new load replaces: loading\n"
  "the same files again changes nothing.  All or nothing: a load that fails\n"
  "leaves the store as it was.\n"
  "\n"
  "  -s, --store SPEC      bdb:DIR (Berkeley DB, the default store),\n"
  "                        sqlite:PATH, memory:, or TYPE:OPTIONS for any\n"
  "                        other Redland storage (postgresql, virtuoso, ...)\n"
  "      --no-closure      do not materialise the class and property\n"
  "                        hierarchies (see docs/sparql.md)\n" COMMON
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
  "      --bind VAR=TERM   set a parameter: replace the values of the\n"
  "                        query's VALUES ?VAR { ... } with TERM (repeatable)\n"
  "      --explain         print the query as it would run (predeclared\n"
  "                        prefixes, rasqal workarounds, --bind values\n"
  "                        applied) and exit without running it\n"
  "  -f, --format FORMAT   table (the default on a terminal), csv (the\n"
  "                        default otherwise), tsv, json, xml; for\n"
  "                        CONSTRUCT: turtle or ntriples\n"
  "  -s, --store SPEC      query a store instead of inputs\n"
  "      --no-closure      do not materialise the hierarchies (inputs "
  "only)\n"
  "      --with-ontology   the ontology in the default graph too (without\n"
  "                        it: GRAPH <https://w3id.org/dipkg/ns> { ... })\n"
  COMMON;

int
main(int argc, char **argv)
{
  if (argc < 2)
    return cli_usage_error("%s", "no command given");
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("dipkg %s\n", DIPKG_VERSION);
    return cli_finish_stdout(0);
  }
  if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    const char *topic = argc > 2 ? argv[2] : "";
    static const struct {
      const char *name;
      const char *text;
    } topics[] = {{"export", cli_export_help}, {"validate", cli_validate_help},
                  {"stats", cli_stats_help},   {"classes", cli_classes_help},
                  {"load", cli_load_help},     {"query", cli_query_help}};
    const char *text = usage_text;
    for (size_t i = 0; i < sizeof topics / sizeof *topics; i++)
      if (!strcmp(topic, topics[i].name))
        text = topics[i].text;
    fputs(text, stdout);
    return cli_finish_stdout(0);
  }
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } commands[] = {{"export", cmd_export}, {"validate", cmd_validate},
                  {"stats", cmd_stats},   {"classes", cmd_classes},
                  {"load", cmd_load},     {"query", cmd_query}};
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!strcmp(cmd, commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  return cli_usage_error("unknown command '%s'", cmd);
}
