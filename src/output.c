/* Safe outputs (see output.h). */
#include "output.h"

#include "memory.h"

#define ZLIB_CONST
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Symbolic links followed at most before giving up (as the kernel does). */
enum { MAX_LINK_HOPS = 40 };

static DipkgStatus
io_error(DipkgDiagList *diags, const char *path, const char *what, int err)
{
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR,
                 err == ENOMEM ? DIPKG_ERR_NO_MEMORY : DIPKG_ERR_IO,
                 path ? path : "<stdout>", (DipkgLoc){0, 0, 0}, "cannot %s: %s",
                 what, strerror(err));
  return err == ENOMEM ? DIPKG_ERR_NO_MEMORY : DIPKG_ERR_IO;
}

/* ------------------------------------------------------------ spools */

const char *
dipkg_spool_dir(void)
{
  const char *dir = getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

DipkgStatus
dipkg_spool_error(DipkgDiagList *diags, int err)
{
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, NULL,
                 (DipkgLoc){0, 0, 0},
                 "cannot write a spool file in %s: %s; set TMPDIR to a "
                 "directory with room",
                 dipkg_spool_dir(), strerror(err ? err : EIO));
  return DIPKG_ERR_IO;
}

FILE *
dipkg_spool_open(DipkgDiagList *diags)
{
  const char *dir = dipkg_spool_dir();
  size_t size = strlen(dir) + sizeof "/dipkg-spool-XXXXXX";
  char *name = dipkg_malloc(size);
  if (!name) {
    io_error(diags, NULL, "create a spool file", ENOMEM);
    return NULL;
  }
  snprintf(name, size, "%s/dipkg-spool-XXXXXX", dir);
  int fd = mkstemp(name);
  int err = errno;
  FILE *fp = NULL;
  if (fd >= 0) {
    unlink(name);  // it lives as long as it is open, and no longer
    fp = fdopen(fd, "w+");
    err = errno;
    if (!fp)
      close(fd);
  }
  dipkg_free(name);
  if (!fp)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, NULL,
                   (DipkgLoc){0, 0, 0},
                   "cannot create a spool file in %s: %s; set TMPDIR to a "
                   "directory with room",
                   dir, strerror(err));
  return fp;
}

/* -------------------------------------------------------------- gzip */

struct DipkgGzip {
  z_stream z;
  FILE *to;     // borrowed
  bool finish;  // on close: end the stream (false when abandoned)
  unsigned char buf[65536];
};

/* Deflates what is pending with `flush` and writes it to g->to.  0, or -1
 * with errno set. */
static int
gz_pump(DipkgGzip *g, int flush)
{
  int zr;
  do {
    g->z.next_out = g->buf;
    g->z.avail_out = sizeof g->buf;
    zr = deflate(&g->z, flush);
    if (zr == Z_STREAM_ERROR) {
      errno = EIO;
      return -1;
    }
    size_t have = sizeof g->buf - g->z.avail_out;
    if (have && fwrite(g->buf, 1, have, g->to) != have) {
      if (!errno)
        errno = EIO;
      return -1;
    }
  } while (flush == Z_FINISH ? zr != Z_STREAM_END
                             : g->z.avail_in > 0 || g->z.avail_out == 0);
  return 0;
}

/* fopencookie's write: returns `n`, or 0 on failure (never negative). */
static ssize_t
gz_write(void *cookie, const char *data, size_t n)
{
  DipkgGzip *g = cookie;
  size_t done = 0;
  while (done < n) {
    size_t chunk = n - done < UINT_MAX ? n - done : UINT_MAX;
    g->z.next_in = (const Bytef *)(data + done);
    g->z.avail_in = (uInt)chunk;
    if (gz_pump(g, Z_NO_FLUSH))
      return 0;
    done += chunk;
  }
  return (ssize_t)n;
}

static int
gz_close(void *cookie)
{
  DipkgGzip *g = cookie;
  int rc = 0;
  if (g->finish) {
    g->z.next_in = NULL;
    g->z.avail_in = 0;
    rc = gz_pump(g, Z_FINISH);
  }
  deflateEnd(&g->z);
  dipkg_free(g);
  return rc;
}

/* A stream that gzips into `to`.  NULL with errno on failure. */
static FILE *
gz_open(FILE *to, DipkgGzip **gz)
{
  DipkgGzip *g = dipkg_calloc(1, sizeof *g);
  if (!g) {
    errno = ENOMEM;
    return NULL;
  }
  g->to = to;
  g->finish = true;
  // windowBits 15 + 16: a gzip wrapper whose header zlib writes with no
  // name, no comment and a zero modification time: reproducible bytes.
  if (deflateInit2(&g->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    dipkg_free(g);
    errno = ENOMEM;
    return NULL;
  }
  cookie_io_functions_t io = {NULL, gz_write, NULL, gz_close};
  FILE *fp = fopencookie(g, "w", io);
  if (!fp) {
    deflateEnd(&g->z);
    dipkg_free(g);
    return NULL;
  }
  *gz = g;
  return fp;
}

/* ------------------------------------------------------------ targets */

/* `path` with its final symbolic links followed (a link to a link ...), so
 * that the file they name is replaced and the links stay.  Directories
 * along the way need no resolving: the rename happens in the directory
 * that holds the final file.  NULL with errno on failure (ELOOP, ENOMEM,
 * or a readlink() error). */
static char *
follow_links(const char *path)
{
  char *cur = dipkg_strdup(path);
  if (!cur) {
    errno = ENOMEM;
    return NULL;
  }
  for (int hops = 0;; hops++) {
    struct stat sb;
    if (lstat(cur, &sb) || !S_ISLNK(sb.st_mode))
      return cur;  // a file, or nothing yet (then it will be created)
    if (hops == MAX_LINK_HOPS) {
      dipkg_free(cur);
      errno = ELOOP;
      return NULL;
    }
    size_t cap = sb.st_size > 0 ? (size_t)sb.st_size + 1 : 256;
    char *link = NULL;
    ssize_t n;
    for (;;) {
      link = dipkg_malloc(cap);
      if (!link) {
        dipkg_free(cur);
        errno = ENOMEM;
        return NULL;
      }
      n = readlink(cur, link, cap);
      if (n < 0) {
        int err = errno;
        dipkg_free(link);
        dipkg_free(cur);
        errno = err;
        return NULL;
      }
      if ((size_t)n < cap)
        break;
      dipkg_free(link);
      cap *= 2;
    }
    link[n] = '\0';
    const char *slash = strrchr(cur, '/');
    char *next = link;
    if (link[0] != '/' && slash) {  // relative to the link's directory
      size_t dir = (size_t)(slash - cur) + 1;
      next = dipkg_malloc(dir + (size_t)n + 1);
      if (next) {
        memcpy(next, cur, dir);
        memcpy(next + dir, link, (size_t)n + 1);
      }
      dipkg_free(link);
      if (!next) {
        dipkg_free(cur);
        errno = ENOMEM;
        return NULL;
      }
    }
    dipkg_free(cur);
    cur = next;
  }
}

/* Whether `name` is one of dipkg's temporaries for the file `base`:
 * ".BASE.tmp-PID-XXXXXX" (mkstemp's six characters); `*pid` receives PID. */
static bool
is_temporary_of(const char *name, const char *base, long *pid)
{
  size_t blen = strlen(base);
  if (name[0] != '.' || strncmp(name + 1, base, blen) ||
      strncmp(name + 1 + blen, ".tmp-", 5))
    return false;
  const char *p = name + 1 + blen + 5;
  char *end;
  errno = 0;
  long n = strtol(p, &end, 10);
  if (end == p || *p < '1' || *p > '9' || errno || n <= 0 || *end != '-')
    return false;
  size_t k = 0;
  for (const char *q = end + 1; *q; q++, k++)
    if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
          (*q >= '0' && *q <= '9')))
      return false;
  *pid = n;
  return k == 6;
}

/* Removes the temporaries of `target` that dipkg processes now gone left
 * behind (killed with SIGKILL, or by a power cut), each with a note.  Only
 * regular files of this user whose name proves they are dipkg's, and whose
 * process no longer exists, are removed. */
static void
remove_stale(const char *target, const char *display, DipkgDiagList *diags)
{
  const char *slash = strrchr(target, '/');
  const char *base = slash ? slash + 1 : target;
  size_t dlen = slash ? (size_t)(slash - target) + 1 : 0;
  char *dir = dipkg_strndup(target, dlen ? dlen : 0);
  if (!dir)
    return;
  DIR *d = opendir(dlen ? dir : ".");
  if (!d) {
    dipkg_free(dir);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    long pid;
    if (!is_temporary_of(e->d_name, base, &pid) || pid == (long)getpid() ||
        pid > (long)INT_MAX)
      continue;
    if (!kill((pid_t)pid, 0) || errno != ESRCH)
      continue;  // alive (or not ours to judge)
    size_t size = dlen + strlen(e->d_name) + 1;
    char *full = dipkg_malloc(size);
    if (!full)
      break;
    snprintf(full, size, "%s%s", dir, e->d_name);
    struct stat sb;
    if (!lstat(full, &sb) && S_ISREG(sb.st_mode) && sb.st_uid == geteuid() &&
        !unlink(full))
      dipkg_diag_add(diags, DIPKG_SEVERITY_NOTE, DIPKG_SUCCESS, display,
                     (DipkgLoc){0, 0, 0},
                     "removed '%s', the temporary output of an interrupted "
                     "dipkg run (process %ld, no longer running)",
                     full, pid);
    dipkg_free(full);
  }
  closedir(d);
  dipkg_free(dir);
}

/* The mode a new file gets: 0666 less the umask. */
static mode_t
new_file_mode(void)
{
  mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

/* Opens the temporary beside `out->target` (".NAME.tmp-PID-XXXXXX", in the
 * same directory so that the rename stays in one file system). */
static DipkgStatus
open_temporary(DipkgOutput *out, DipkgDiagList *diags)
{
  const char *path = out->target;
  const char *slash = strrchr(path, '/');
  size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
  char pid[32];
  int plen = snprintf(pid, sizeof pid, "%ld", (long)getpid());
  size_t size = strlen(path) + sizeof ".tmp--XXXXXX" + (size_t)plen + 1;
  out->tmp_path = dipkg_malloc(size);
  if (!out->tmp_path)
    return io_error(diags, out->display, "write", ENOMEM);
  memcpy(out->tmp_path, path, dir);
  snprintf(out->tmp_path + dir, size - dir, ".%s.tmp-%s-XXXXXX", path + dir,
           pid);
  // Created and registered at once: an interruption removes it.
  int fd = dipkg_temp_mkstemp(out->tmp_path, &out->temp);
  if (fd < 0) {
    int err = errno;
    dipkg_free(out->tmp_path);
    out->tmp_path = NULL;
    return io_error(diags, out->display, "write", err);
  }
  // mkstemp makes the file 0600 and ours: give it the target's mode and
  // owner (a new file's mode when there is no target).  Not fatal: an
  // unprivileged user cannot give a file away, and the content is what
  // matters.
  struct stat sb;
  if (!stat(path, &sb)) {
    (void)fchmod(fd, sb.st_mode & 07777);
    if (sb.st_uid != geteuid() || sb.st_gid != getegid())
      if (fchown(fd, sb.st_uid, sb.st_gid))
        (void)fchmod(fd, sb.st_mode & 0777);  // no set-id bits then
  } else {
    (void)fchmod(fd, new_file_mode());
  }
  out->file = fdopen(fd, "w");
  if (!out->file) {
    int err = errno;
    close(fd);
    return io_error(diags, out->display, "write", err);
  }
  return DIPKG_SUCCESS;
}

/* Releases everything `out` holds, removing the temporary file. */
static void
release(DipkgOutput *out, bool remove_temporary)
{
  if (out->fp && out->fp != out->file) {
    if (out->gz)
      out->gz->finish = !remove_temporary;
    fclose(out->fp);  // frees the compressor
  }
  if (out->file && out->file != stdout)
    fclose(out->file);
  if (out->direct_fd >= 0)
    close(out->direct_fd);
  if (out->tmp_path && remove_temporary)
    unlink(out->tmp_path);
  dipkg_temp_forget(out->temp);
  dipkg_free(out->tmp_path);
  dipkg_free(out->target);
  *out = (DipkgOutput){.direct_fd = -1};
}

unsigned
dipkg_output_flags_for(const char *path)
{
  size_t len = path ? strlen(path) : 0;
  return len > 3 && !strcmp(path + len - 3, ".gz") ? DIPKG_OUTPUT_GZIP : 0;
}

DipkgStatus
dipkg_output_open(DipkgOutput *out, const char *path, unsigned flags,
                  DipkgDiagList *diags)
{
  *out = (DipkgOutput){.display = path, .direct_fd = -1};
  DipkgStatus st = DIPKG_SUCCESS;
  if (!path) {
    out->file = stdout;
  } else if (!(out->target = follow_links(path))) {
    return io_error(diags, path, "write", errno);
  } else {
    struct stat sb;
    if (!stat(out->target, &sb) && S_ISDIR(sb.st_mode)) {
      st = io_error(diags, path, "write", EISDIR);
    } else if (!stat(out->target, &sb) && !S_ISREG(sb.st_mode)) {
      // A FIFO or a device: written into, never replaced.  (Opening a
      // FIFO waits for its reader, as a shell redirection does.)
      out->direct_fd = open(out->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (out->direct_fd < 0)
        st = io_error(diags, path, "write", errno);
      else if (!(out->file = dipkg_spool_open(diags)))
        st = DIPKG_ERR_IO;
    } else {
      remove_stale(out->target, path, diags);
      st = open_temporary(out, diags);
    }
  }
  if (!st && (flags & DIPKG_OUTPUT_GZIP)) {
    out->fp = gz_open(out->file, &out->gz);
    if (!out->fp)
      st = io_error(diags, path, "start the gzip compressor", errno);
  } else {
    out->fp = out->file;
  }
  if (st)
    release(out, true);
  return st;
}

DipkgStatus
dipkg_output_write_error(const DipkgOutput *out, DipkgDiagList *diags, int err)
{
  if (out->direct_fd >= 0)
    return dipkg_spool_error(diags, err);
  return io_error(diags, out->display, "write", err ? err : EIO);
}

void
dipkg_output_abort(DipkgOutput *out)
{
  release(out, true);
}

/* Copies the spool into the opened non-regular target. */
static DipkgStatus
copy_spool(DipkgOutput *out, DipkgDiagList *diags)
{
  if (fflush(out->file) || fseek(out->file, 0, SEEK_SET))
    return dipkg_spool_error(diags, errno);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, out->file)) > 0) {
    for (size_t done = 0; done < n;) {
      ssize_t w = write(out->direct_fd, buf + done, n - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return io_error(diags, out->display, "write", w < 0 ? errno : EIO);
      done += (size_t)w;
    }
  }
  if (ferror(out->file))
    return io_error(diags, NULL, "read back the spool file", errno);
  if (close(out->direct_fd)) {
    out->direct_fd = -1;
    return io_error(diags, out->display, "write", errno);
  }
  out->direct_fd = -1;
  return DIPKG_SUCCESS;
}

/* Makes the rename durable: syncs the directory that holds `target`.
 * Best effort (some file systems refuse fsync on a directory). */
static void
sync_directory(const char *target)
{
  const char *slash = strrchr(target, '/');
  char *dir = slash ? dipkg_strndup(target, (size_t)(slash - target) + 1)
                    : dipkg_strdup(".");
  if (!dir)
    return;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
  dipkg_free(dir);
}

/* Syncs the temporary and renames it over the target, under the
 * temporaries' lock so that an interruption never splits the commit. */
static DipkgStatus
rename_temporary(DipkgOutput *out, DipkgDiagList *diags)
{
  errno = 0;
  if (fflush(out->file) || ferror(out->file))
    return io_error(diags, out->display, "write", errno ? errno : EIO);
  if (fsync(fileno(out->file)))
    return io_error(diags, out->display, "write", errno);
  int rc = fclose(out->file);
  out->file = NULL;
  if (rc)
    return io_error(diags, out->display, "write", errno);
  if (!dipkg_temp_lock())
    return io_error(diags, out->display, "replace", EINTR);
  rc = rename(out->tmp_path, out->target);
  int err = errno;
  dipkg_temp_unlock();
  if (rc)
    return io_error(diags, out->display, "replace", err);
  dipkg_free(out->tmp_path);  // renamed: nothing to remove any more
  out->tmp_path = NULL;
  sync_directory(out->target);
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_output_commit(DipkgOutput *out, DipkgDiagList *diags)
{
  DipkgStatus st = DIPKG_SUCCESS;
  if (out->fp != out->file) {  // end the gzip stream into the file
    errno = 0;
    int rc = fclose(out->fp);
    out->fp = NULL;
    out->gz = NULL;
    if (rc)
      st = out->direct_fd >= 0
             ? dipkg_spool_error(diags, errno)
             : io_error(diags, out->display, "write", errno ? errno : EIO);
  }
  out->fp = NULL;
  if (!st) {
    if (out->file == stdout) {
      errno = 0;
      if (fflush(stdout) || ferror(stdout))
        st = io_error(diags, NULL, "write", errno ? errno : EIO);
    } else if (out->direct_fd >= 0) {
      st = copy_spool(out, diags);
    } else {
      st = rename_temporary(out, diags);
    }
  }
  release(out, true);
  return st;
}
