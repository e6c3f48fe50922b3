/* dipkg push: the corpus into a store through the Graph Store Protocol. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first line of `path` (caller frees), or NULL with a message. */
static char *
read_password(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "%s: error: cannot read the password: %s\n", path,
            strerror(errno));
    return NULL;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, f);
  fclose(f);
  if (n < 0) {
    free(line);
    line = strdup("");  // an empty file: an empty password
    return line;
  }
  line[strcspn(line, "\r\n")] = '\0';
  return line;
}

static void
on_progress(void *user, uint64_t graphs, uint64_t sent)
{
  (void)user;
  if (graphs % 50 == 0)
    fprintf(stderr, "\rpush: %" PRIu64 " graphs, %" PRIu64 " sent", graphs,
            sent);
}

int
cmd_push(int argc, char **argv)
{
  Session s = {0};
  int rc = cli_parse(argc, argv, &s.o, cli_push_help);
  if (rc < 0 && !s.o.graph_store)
    rc = cli_usage_error("%s", "push needs --graph-store URL");
  if (rc < 0 && !!s.o.user != !!s.o.password_file)
    rc = cli_usage_error("%s", "--user and --password-file go together");
  if (rc >= 0)
    return rc;
  char *password = NULL;
  if (s.o.password_file && !(password = read_password(s.o.password_file)))
    return EXIT_DATA;
  rc = cli_setup(&s, argc - optind, argv + optind, ARGS_FACTS | ARGS_REQUIRED);
  if (rc < 0) {
    bool tty = !s.o.quiet && isatty(STDERR_FILENO);
    DipkgPushOptions po = {.user = s.o.user,
                           .password = password,
                           .dry_run = s.o.dry_run,
                           .no_closure = s.o.no_closure,
                           .connections = s.o.jobs,
                           .progress = tty ? on_progress : NULL};
    DipkgPushSummary sum;
    DipkgStatus st = dipkg_corpus_push(s.corpus, s.o.graph_store, &po, &sum);
    if (tty)
      fputs("\r\033[K", stderr);
    rc = cli_exit_code(st);
    if (!s.o.quiet && st != DIPKG_ERR_DATA) {
      double rate = sum.seconds > 0 ? (double)sum.triples / sum.seconds : 0;
      fprintf(stderr,
              "%s%s %s: %" PRIu64 " graphs %s, %" PRIu64 " unchanged, "
              "%" PRIu64 " deleted, %" PRIu64 " triples, %.1f s (%.0f "
              "triples/s)\n",
              st ? "dipkg: push stopped; so far " : "",
              s.o.dry_run ? "would push to" : "pushed to", s.o.graph_store,
              sum.sent, s.o.dry_run ? "to send" : "sent", sum.unchanged,
              sum.deleted, sum.triples, sum.seconds, rate);
    }
  }
  free(password);
  cli_teardown(&s);
  return rc;
}
