/* Query execution in a child process: fork, the pipe that carries the
 * child's diagnostics, the spool, the policy (see exec.h). */
#include "exec.h"

#include "buf.h"
#include "temp.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

void
dipkg_query_policy_init(DipkgQueryPolicy *policy)
{
  memset(policy, 0, sizeof *policy);
}

/* Diagnostics cross from the child to the parent as lines:
 * "severity<TAB>status<TAB>line<TAB>col<TAB>message" (the message with its
 * newlines as spaces), then "rows<TAB>N". */
static void
send_diags(int fd, const DipkgDiagList *diags, uint64_t rows)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  for (size_t i = 0; i < diags->n; i++) {
    const DipkgDiagEntry *e = &diags->items[i];
    dipkg_buf_printf(&b, "%d\t%d\t%u\t%u\t", (int)e->severity, (int)e->status,
                     e->loc.line, e->loc.col);
    for (const char *p = e->message; *p; p++)
      dipkg_buf_putc(&b, (char)(*p == '\n' || *p == '\t' ? ' ' : *p));
    dipkg_buf_putc(&b, '\n');
  }
  dipkg_buf_printf(&b, "rows\t%llu\n", (unsigned long long)rows);
  for (size_t done = 0; done < b.len;) {
    ssize_t n = write(fd, b.data + done, b.len - done);
    if (n <= 0)
      break;
    done += (size_t)n;
  }
  dipkg_buf_free(&b);
}

/* Reads the child's lines (see send_diags) until the pipe closes. */
static void
receive_diags(int fd, const char *name, DipkgDiagList *diags, uint64_t *rows)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  char chunk[4096];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      dipkg_buf_append(&b, chunk, (size_t)n);
  const char *text = dipkg_buf_cstr(&b);
  for (const char *line = text; *line;) {
    const char *end = strchr(line, '\n');
    if (!end)
      break;
    int sev, status;
    unsigned l, c;
    int used = 0;
    unsigned long long r;
    if (sscanf(line, "rows\t%llu", &r) == 1) {
      *rows = r;
    } else if (sscanf(line, "%d\t%d\t%u\t%u\t%n", &sev, &status, &l, &c,
                      &used) == 4 &&
               used > 0) {
      dipkg_diag_add(diags, (DipkgSeverity)sev, (DipkgStatus)status, name,
                     (DipkgLoc){l, c, 0}, "%.*s", (int)(end - line - used),
                     line + used);
    }
    line = end + 1;
  }
  dipkg_buf_free(&b);
}

static DipkgStatus
io_error(DipkgDiagList *diags, const char *what, int err)
{
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, NULL,
                 (DipkgLoc){0, 0, 0}, "%s: %s", what, strerror(err));
  return DIPKG_ERR_IO;
}

/* In the child, first: it dies with the thread that forked it (however
 * that one ends: a SIGKILL leaves no chance to clean up), and of the
 * signals that end a run, which a host such as the CLI blocks in every
 * thread and which the child inherits blocked. */
static void
child_setup(pid_t parent)
{
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)  // the parent died before prctl took effect
    _exit(DIPKG_ERR_INTERNAL);
  static const int ending[] = {SIGINT, SIGTERM, SIGHUP};
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof ending / sizeof *ending; i++) {
    signal(ending[i], SIG_DFL);
    sigaddset(&set, ending[i]);
  }
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* Waits for child `pid` to end, without reaping it (so that its pid cannot
 * be reused while the temporaries registry still names it), then forgets
 * it in the registry and reaps it.  Its wait status. */
static int
wait_child(pid_t pid, DipkgTemp *registered)
{
  siginfo_t info;
  while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 &&
         errno == EINTR)
    ;
  dipkg_temp_forget(registered);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  return status;
}

/* Runs the work in a child; its output lands in `spool`. */
static DipkgStatus
run_child(const char *name, DipkgExecWork work, void *user, FILE *spool,
          DipkgDiagList *diags, uint64_t *rows)
{
  // The query engine runs in a child: a crash in rasqal (docs/sparql.md
  // lists the known ones) cannot take this process down, and nothing is
  // written unless the query completes.
  int pipefd[2];
  fflush(NULL);
  pid_t parent = getpid();
  pid_t pid = pipe(pipefd) ? -1 : fork();
  if (pid == 0) {
    child_setup(parent);
    close(pipefd[0]);
    DipkgDiagList child = {0};
    uint64_t n = 0;
    DipkgStatus cs = work(user, spool, &child, &n);
    if (!cs && fflush(spool))
      cs = DIPKG_ERR_IO;
    send_diags(pipefd[1], &child, n);
    _exit(cs);
  }
  if (pid < 0) {
    int err = errno;
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_INTERNAL, NULL,
                   (DipkgLoc){0, 0, 0}, "cannot start the query: %s",
                   strerror(err));
    return DIPKG_ERR_INTERNAL;
  }
  // Registered, so that dipkg_remove_temporaries() kills it.  NULL (out of
  // memory, or that cleanup ran: the process is ending) leaves the child to
  // PR_SET_PDEATHSIG alone.
  DipkgTemp *registered = dipkg_temp_add_child(pid);
  close(pipefd[1]);
  receive_diags(pipefd[0], name, diags, rows);
  close(pipefd[0]);
  int status = wait_child(pid, registered);
  if (WIFSIGNALED(status)) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_FAILED, name,
                   (DipkgLoc){0, 0, 0},
                   "the query engine crashed (%s) while running the query: "
                   "a bug in rasqal 0.9.33, not in the data; no result was "
                   "written (docs/sparql.md lists the constructs known to "
                   "crash it)",
                   strsignal(WTERMSIG(status)));
    return DIPKG_ERR_QUERY_FAILED;
  }
  return WIFEXITED(status) ? (DipkgStatus)WEXITSTATUS(status)
                           : DIPKG_ERR_INTERNAL;
}

DipkgStatus
dipkg_exec_run(const DipkgQueryPolicy *policy, const char *name,
               DipkgExecWork work, void *user, FILE *out, DipkgDiagList *diags,
               uint64_t *rows)
{
  *rows = 0;
  FILE *spool = tmpfile();
  if (!spool)
    return io_error(diags, "cannot create a spool file", errno);
  DipkgStatus st = policy->in_process
                     ? work(user, spool, diags, rows)
                     : run_child(name, work, user, spool, diags, rows);
  if (!st) {
    // The complete results, copied out.
    char chunk[65536];
    size_t n;
    rewind(spool);
    while ((n = fread(chunk, 1, sizeof chunk, spool)) > 0)
      if (fwrite(chunk, 1, n, out) != n)
        break;
    if (ferror(spool) || ferror(out) || fflush(out))
      st = io_error(diags, "cannot write the results", errno);
  }
  fclose(spool);
  if (st)
    *rows = 0;
  return st;
}
