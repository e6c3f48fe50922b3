#include "output.h"

#include "memory.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static DipkgStatus
io_error(DipkgDiagList *diags, const char *path, const char *what, int err)
{
  dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO,
                 path ? path : "<stdout>", (DipkgLoc){0, 0, 0}, "cannot %s: %s",
                 what, strerror(err));
  return DIPKG_ERR_IO;
}

DipkgStatus
dipkg_output_open(DipkgOutput *out, const char *path, DipkgDiagList *diags)
{
  out->fp = NULL;
  out->tmp_path = NULL;
  out->path = path;
  if (!path) {
    out->fp = tmpfile();
    return out->fp ? DIPKG_SUCCESS
                   : io_error(diags, NULL, "create a spool file", errno);
  }
  // ".NAME.tmp-XXXXXX" beside the target, so the rename stays in one file
  // system.
  const char *slash = strrchr(path, '/');
  size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
  size_t len = strlen(path);
  out->tmp_path = dipkg_malloc(len + 16);
  if (!out->tmp_path)
    return io_error(diags, path, "write", ENOMEM);
  memcpy(out->tmp_path, path, dir);
  sprintf(out->tmp_path + dir, ".%s.tmp-XXXXXX", path + dir);
  int fd = mkstemp(out->tmp_path);
  if (fd < 0) {
    int err = errno;
    dipkg_free(out->tmp_path);
    out->tmp_path = NULL;
    return io_error(diags, path, "write", err);
  }
  // mkstemp makes the file 0600; give it the mode a new file would get
  // (or the target's, if it exists).
  struct stat sb;
  mode_t mode;
  if (!stat(path, &sb)) {
    mode = sb.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  (void)fchmod(fd, mode);  // not fatal: the content is what matters
  out->fp = fdopen(fd, "w");
  if (!out->fp) {
    int err = errno;
    close(fd);
    unlink(out->tmp_path);
    dipkg_free(out->tmp_path);
    out->tmp_path = NULL;
    return io_error(diags, path, "write", err);
  }
  return DIPKG_SUCCESS;
}

void
dipkg_output_abort(DipkgOutput *out)
{
  if (out->fp)
    fclose(out->fp);
  if (out->tmp_path) {
    unlink(out->tmp_path);
    dipkg_free(out->tmp_path);
  }
  out->fp = NULL;
  out->tmp_path = NULL;
}

static DipkgStatus
copy_spool(DipkgOutput *out, DipkgDiagList *diags)
{
  if (fflush(out->fp) || fseek(out->fp, 0, SEEK_SET))
    return io_error(diags, NULL, "read back the spool file", errno);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, out->fp)) > 0)
    if (fwrite(buf, 1, n, stdout) != n)
      return io_error(diags, NULL, "write", errno);
  if (ferror(out->fp))
    return io_error(diags, NULL, "read back the spool file", errno);
  if (fflush(stdout))
    return io_error(diags, NULL, "write", errno);
  return DIPKG_SUCCESS;
}

DipkgStatus
dipkg_output_commit(DipkgOutput *out, DipkgDiagList *diags)
{
  DipkgStatus st = DIPKG_SUCCESS;
  if (!out->path) {
    st = copy_spool(out, diags);
    dipkg_output_abort(out);
    return st;
  }
  errno = 0;
  if (fflush(out->fp) || ferror(out->fp))
    st = io_error(diags, out->path, "write", errno ? errno : EIO);
  else if (fsync(fileno(out->fp)))
    st = io_error(diags, out->path, "write", errno);
  int rc = fclose(out->fp);
  out->fp = NULL;
  if (!st && rc)
    st = io_error(diags, out->path, "write", errno);
  if (!st && rename(out->tmp_path, out->path))
    st = io_error(diags, out->path, "replace", errno);
  if (st)
    unlink(out->tmp_path);
  dipkg_free(out->tmp_path);
  out->tmp_path = NULL;
  return st;
}
