/* Query execution in a child process: fork, the pipe that carries the
 * child's diagnostics, the spool, the policy (see exec.h). */
#include "exec.h"

#include "buf.h"
#include "memory.h"
#include "temp.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void
dipkg_query_policy_init(DipkgQueryPolicy *policy)
{
  memset(policy, 0, sizeof *policy);
}

/* Diagnostics cross from the child to the parent as lines:
 * "severity<TAB>status<TAB>line<TAB>col<TAB>message" (the message with its
 * newlines as spaces), then "rows<TAB>N" and "peak<TAB>BYTES" (the most
 * address space the child used). */
static void
send_diags(int fd, const DipkgDiagList *diags, uint64_t rows, uint64_t peak)
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
  dipkg_buf_printf(&b, "rows\t%llu\npeak\t%llu\n", (unsigned long long)rows,
                   (unsigned long long)peak);
  for (size_t done = 0; done < b.len;) {
    ssize_t n = write(fd, b.data + done, b.len - done);
    if (n <= 0)
      break;
    done += (size_t)n;
  }
  dipkg_buf_free(&b);
}

/* What the parent learnt from the child. */
typedef struct ChildReport {
  uint64_t rows;
  uint64_t peak;     // bytes of address space at most (0: unknown)
  bool timed_out;    // killed at the time limit
  bool over_memory;  // killed past the memory limit
} ChildReport;

/* Parses the child's lines (see send_diags). */
static void
parse_report(const char *text, const char *name, DipkgDiagList *diags,
             ChildReport *report)
{
  for (const char *line = text; *line;) {
    const char *end = strchr(line, '\n');
    if (!end)
      break;
    int sev, status;
    unsigned l, c;
    int used = 0;
    unsigned long long r;
    if (sscanf(line, "rows\t%llu", &r) == 1) {
      report->rows = r;
    } else if (sscanf(line, "peak\t%llu", &r) == 1) {
      report->peak = r > report->peak ? r : report->peak;
    } else if (sscanf(line, "%d\t%d\t%u\t%u\t%n", &sev, &status, &l, &c,
                      &used) == 4 &&
               used > 0) {
      dipkg_diag_add(diags, (DipkgSeverity)sev, (DipkgStatus)status, name,
                     (DipkgLoc){l, c, 0}, "%.*s", (int)(end - line - used),
                     line + used);
    }
    line = end + 1;
  }
}

/* A field of /proc/PID/status ("VmPeak", "VmSize") in bytes, or 0. */
static uint64_t
vm_bytes(pid_t pid, const char *field)
{
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return 0;
  size_t flen = strlen(field);
  uint64_t bytes = 0;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, field, flen) && line[flen] == ':') {
      bytes = strtoull(line + flen + 1, NULL, 10) * 1024u;
      break;
    }
  fclose(f);
  return bytes;
}

static double
seconds_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Reads the child's report from `fd` until the pipe closes, watching the
 * policy's limits meanwhile: past the time limit, or with more address
 * space than the memory limit, the child is killed. */
static void
receive_report(int fd, pid_t pid, const DipkgQueryPolicy *policy,
               const char *name, DipkgDiagList *diags, ChildReport *report)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  char chunk[4096];
  double deadline =
    policy->timeout_ms ? seconds_now() + policy->timeout_ms / 1000.0 : 0;
  for (;;) {
    // Wake up at the deadline, and every 50 ms to watch the memory.
    int wait_ms = -1;
    if (policy->memory_bytes)
      wait_ms = 50;
    if (deadline) {
      double left = (deadline - seconds_now()) * 1000.0;
      int left_ms = left <= 0 ? 0 : left > 50000 ? 50000 : (int)left + 1;
      wait_ms = wait_ms < 0 || left_ms < wait_ms ? left_ms : wait_ms;
    }
    struct pollfd p = {fd, POLLIN, 0};
    int ready = poll(&p, 1, wait_ms);
    if (ready < 0 && errno != EINTR)
      break;
    if (ready > 0) {
      ssize_t n = read(fd, chunk, sizeof chunk);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
        break;
      if (n > 0)
        dipkg_buf_append(&b, chunk, (size_t)n);
      continue;
    }
    if (deadline && seconds_now() >= deadline) {
      report->timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    if (policy->memory_bytes) {
      uint64_t size = vm_bytes(pid, "VmSize");
      if (size > report->peak)
        report->peak = size;
      if (size > policy->memory_bytes) {
        report->over_memory = true;
        kill(pid, SIGKILL);
        break;
      }
    }
  }
  if (!report->timed_out && !report->over_memory)
    parse_report(dipkg_buf_cstr(&b), name, diags, report);
  dipkg_buf_free(&b);
}

/* "2 s", "1.5 s". */
static void
limit_text(char *buf, size_t size, const DipkgQueryPolicy *policy, bool time)
{
  if (time) {
    snprintf(buf, size, "%g s", policy->timeout_ms / 1000.0);
  } else {
    uint64_t b = policy->memory_bytes, mib = (uint64_t)1 << 20;
    if (b % mib == 0)
      snprintf(buf, size, "%llu MiB", (unsigned long long)(b / mib));
    else
      snprintf(buf, size, "%llu bytes", (unsigned long long)b);
  }
}

static DipkgStatus
limit_error(DipkgDiagList *diags, const char *name,
            const DipkgQueryPolicy *policy, bool time)
{
  char limit[64];
  limit_text(limit, sizeof limit, policy, time);
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_QUERY_LIMIT, name,
                 (DipkgLoc){0, 0, 0},
                 "the query exceeded its %s limit of %s and was stopped; no "
                 "result was written (raise the limit with %s)",
                 time ? "time" : "memory", limit,
                 time ? "--timeout" : "--memory-limit");
  return DIPKG_ERR_QUERY_LIMIT;
}

/* ------------------------------------------------------------- spool */

/* The directory of spool files: $TMPDIR when set and not empty, else /tmp
 * (as tmpfile() does not: it ignores TMPDIR). */
static const char *
spool_dir(void)
{
  const char *dir = getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

/* A new spool in spool_dir(), unlinked at once (it lives as long as it is
 * open, and no longer: nothing is left behind however the process ends).
 * The caller fcloses `*out`.  On failure `*out` is NULL, with a diagnostic
 * naming the directory and the remedy, and DIPKG_ERR_IO (or
 * DIPKG_ERR_NO_MEMORY). */
DipkgStatus
dipkg_exec_spool_open(DipkgDiagList *diags, FILE **out)
{
  const char *dir = spool_dir();
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, dir);
  dipkg_buf_puts(&b, "/dipkg-spool-XXXXXX");
  char *name = dipkg_buf_take(&b);  // NUL-terminated
  FILE *fp = NULL;
  int err = ENOMEM;
  if (name) {
    int fd = mkstemp(name);
    err = errno;
    if (fd >= 0) {
      unlink(name);
      fp = fdopen(fd, "w+");
      err = errno;
      if (!fp)
        close(fd);
    }
  }
  dipkg_free(name);
  *out = fp;
  if (fp)
    return DIPKG_SUCCESS;
  DipkgStatus st = err == ENOMEM ? DIPKG_ERR_NO_MEMORY : DIPKG_ERR_IO;
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, st, NULL, (DipkgLoc){0, 0, 0},
                 "cannot create a spool file in %s: %s; set TMPDIR to a "
                 "directory with room",
                 dir, strerror(err));
  return st;
}

/* The diagnostic of a failed write to the spool (errno value `err`). */
static DipkgStatus
spool_error(DipkgDiagList *diags, int err)
{
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, NULL,
                 (DipkgLoc){0, 0, 0},
                 "cannot write a spool file in %s: %s; set TMPDIR to a "
                 "directory with room",
                 spool_dir(), strerror(err ? err : EIO));
  return DIPKG_ERR_IO;
}

/* Finishes the work's writes to `spool`: a write that failed (a full disk)
 * becomes spool_error() in place of whatever the work made of it. */
static DipkgStatus
spool_finish(FILE *spool, DipkgStatus st, DipkgDiagList *diags)
{
  errno = 0;
  if (fflush(spool) == 0 && !ferror(spool))
    return st;
  int err = errno;
  if (!err) {
    // The flag was set by an earlier write, whose errno is gone: one more
    // byte at the end fails the same way (the spool is discarded anyway).
    int fd = fileno(spool);
    off_t end = lseek(fd, 0, SEEK_END);
    char byte = 0;
    err = end >= 0 && pwrite(fd, &byte, 1, end) < 0 ? errno : EIO;
  }
  return spool_error(diags, err);
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
child_setup(pid_t parent, const DipkgQueryPolicy *policy)
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
  // The memory limit is watched by the parent (VmSize) and checked against
  // the peak when the work ends; the kernel's cap is twice the limit.  Why
  // twice: rasqal does not report every failed allocation (past a cap it
  // can answer with rows missing and no error), so an allocation may only
  // fail once the address space is already past the limit, where the run
  // is reported as over it whatever it answered.
  if (policy->memory_bytes) {
    uint64_t cap = policy->memory_bytes > UINT64_MAX / 2
                     ? UINT64_MAX
                     : policy->memory_bytes * 2;
    struct rlimit rl = {(rlim_t)cap, (rlim_t)cap};
    if (cap > (uint64_t)RLIM_INFINITY)
      rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_AS, &rl);
  }
}

/* Waits for child `pid` to end, without reaping it (so that its pid cannot
 * be reused while the temporaries registry still names it), then forgets
 * it in the registry and reaps it into `*status`.  False when the child was
 * reaped elsewhere: by dipkg_remove_temporaries(), which kills and reaps
 * the registered children (the process is ending), so that its status is
 * unknown. */
static bool
wait_child(pid_t pid, DipkgTemp *registered, int *status)
{
  siginfo_t info;
  int r;
  while ((r = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT)) < 0 &&
         errno == EINTR)
    ;
  dipkg_temp_forget(registered);
  if (r == 0)
    while ((r = waitpid(pid, status, 0)) < 0 && errno == EINTR)
      ;
  return r >= 0;
}

/* Runs the work in a child; its output lands in `spool`. */
static DipkgStatus
run_child(const DipkgQueryPolicy *policy, const char *name, DipkgExecWork work,
          void *user, FILE *spool, DipkgDiagList *diags, uint64_t *rows)
{
  // The query engine runs in a child: a crash in rasqal (docs/sparql.md
  // lists the known ones) cannot take this process down, and nothing is
  // written unless the query completes.
  int pipefd[2];
  fflush(NULL);
  pid_t parent = getpid();
  // The child starts as a copy of this process, as large: its peak is at
  // least that (under AddressSanitizer, whose shadow memory is address
  // space, terabytes).
  uint64_t start_size = policy->memory_bytes ? vm_bytes(parent, "VmSize") : 0;
  pid_t pid = pipe(pipefd) ? -1 : fork();
  if (pid == 0) {
    child_setup(parent, policy);
    close(pipefd[0]);
    DipkgDiagList child = {0};
    uint64_t n = 0;
    DipkgStatus cs = spool_finish(spool, work(user, spool, &child, &n), &child);
    send_diags(pipefd[1], &child, n, vm_bytes(getpid(), "VmPeak"));
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
  ChildReport report = {0};
  report.peak = start_size;
  DipkgDiagList said = {0};  // the child's own diagnostics
  receive_report(pipefd[0], pid, policy, name, &said, &report);
  close(pipefd[0]);
  int status = 0;
  if (!wait_child(pid, registered, &status)) {
    // Not a status to read as success: the spool holds what the child had
    // written when it was killed.
    dipkg_diag_list_clear(&said);
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_INTERNAL, name,
                   (DipkgLoc){0, 0, 0},
                   "the query was stopped: the process is ending");
    return DIPKG_ERR_INTERNAL;
  }
  *rows = report.rows;
  // Past a limit, what the child said (an engine failing for lack of
  // memory, say) is a consequence: the limit is the reason.
  bool over_memory = report.over_memory || (policy->memory_bytes &&
                                            report.peak > policy->memory_bytes);
  if (report.timed_out || over_memory) {
    dipkg_diag_list_clear(&said);
    return limit_error(diags, name, policy, report.timed_out);
  }
  dipkg_diag_move(diags, &said);
  dipkg_diag_list_clear(&said);  // the move keeps the array
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
dipkg_exec_spool_copy(FILE *spool, FILE *out, DipkgDiagList *diags)
{
  char chunk[65536];
  size_t n;
  rewind(spool);
  while ((n = fread(chunk, 1, sizeof chunk, spool)) > 0)
    if (fwrite(chunk, 1, n, out) != n)
      break;
  if (ferror(spool) || ferror(out) || fflush(out))
    return io_error(diags, "cannot write the results", errno);
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_exec_run(const DipkgQueryPolicy *policy, const char *name,
               DipkgExecWork work, void *user, FILE *out, DipkgDiagList *diags,
               uint64_t *rows)
{
  *rows = 0;
  FILE *spool;
  DipkgStatus opened = dipkg_exec_spool_open(diags, &spool);
  if (opened)
    return opened;
  DipkgStatus st =
    policy->in_process
      ? spool_finish(spool, work(user, spool, diags, rows), diags)
      : run_child(policy, name, work, user, spool, diags, rows);
  if (!st)  // the complete results, copied out
    st = dipkg_exec_spool_copy(spool, out, diags);
  fclose(spool);
  if (st)
    *rows = 0;
  return st;
}
