#include "input.h"

#include "memory.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *
dipkg_file_kind(unsigned mode)
{
  if (S_ISREG(mode))
    return "a regular file";
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO (named pipe)";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  if (S_ISLNK(mode))
    return "a symbolic link";
  return "not a file dipkg knows";
}

static DipkgStatus
refuse(DipkgDiagList *diags, const char *display, const char *what,
       const char *reason, mode_t mode)
{
  DipkgLoc none = {0, 0, 0};
  if (reason)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, display, none,
                   "%s: %s", what, reason);
  else
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, display, none,
                   "%s: it is %s, not a regular file", what,
                   dipkg_file_kind(mode));
  return DIPKG_ERR_IO;
}

DipkgStatus
dipkg_input_open(const char *path, const char *display, const char *what,
                 DipkgDiagList *diags, int *fd, struct stat *sb)
{
  *fd = -1;
  // Checked before opening: opening a FIFO for reading blocks until a
  // writer comes, and opening some devices acts on them.
  if (stat(path, sb))
    return refuse(diags, display, what, strerror(errno), 0);
  if (!S_ISREG(sb->st_mode))
    return refuse(diags, display, what, NULL, sb->st_mode);
  // O_NONBLOCK: should the path have become a FIFO since the stat(), the
  // open returns at once and the fstat() below refuses it.
  int d = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (d < 0)
    return refuse(diags, display, what, strerror(errno), 0);
  int flags;
  if (fstat(d, sb) || (flags = fcntl(d, F_GETFL)) < 0 ||
      fcntl(d, F_SETFL, flags & ~O_NONBLOCK) < 0) {
    int e = errno;
    close(d);
    return refuse(diags, display, what, strerror(e), 0);
  }
  if (!S_ISREG(sb->st_mode)) {
    close(d);
    return refuse(diags, display, what, NULL, sb->st_mode);
  }
  *fd = d;
  return DIPKG_SUCCESS;
}

bool
dipkg_input_is_gzip(const char *path)
{
  size_t n = strlen(path);
  return n > 3 && !strcmp(path + n - 3, ".gz");
}

/* zlib's message, without the "<fd:N>: " it puts first. */
static const char *
zlib_message(gzFile gz, int *code)
{
  const char *msg = gzerror(gz, code);
  if (msg && !strncmp(msg, "<fd:", 4) && strstr(msg, ": "))
    msg = strstr(msg, ": ") + 2;
  return msg && *msg ? msg : "unknown error";
}

long
dipkg_input_gz_read(gzFile gz, char *buf, size_t n, bool *checked,
                    char *why_buf, size_t size, const char **why,
                    DipkgStatus *status)
{
  *status = DIPKG_ERR_IO;
  int k = gzread(gz, buf, n > 1u << 30 ? 1u << 30 : (unsigned)n);
  int code = Z_OK;
  const char *msg = k <= 0 ? zlib_message(gz, &code) : NULL;
  // At the end, Z_BUF_ERROR is a truncated file (which gzread() lets pass,
  // for files still being written).
  if (k < 0 || (k == 0 && code != Z_OK)) {
    if (code == Z_ERRNO) {
      *why = strerror(errno ? errno : EIO);
    } else {
      snprintf(why_buf, size, "the gzip data is %s (zlib: %s)",
               code == Z_BUF_ERROR ? "truncated" : "corrupt", msg);
      *why = why_buf;
      *status = DIPKG_ERR_DATA;
    }
    return -1;
  }
  if (!*checked) {
    *checked = true;
    // zlib reads data that is not gzip as it is; a .gz name promises gzip,
    // and anything else is refused rather than guessed at.
    if (gzdirect(gz)) {
      *why = "the file is not gzip data (its name ends in .gz)";
      *status = DIPKG_ERR_DATA;
      return -1;
    }
  }
  return k;
}

/* dipkg_input_read() of a gzip file: decompressed into `arena`, at most
 * `max` bytes (a small file may decompress to a huge one). */
static DipkgStatus
read_gzip(int fd, const char *display, size_t max, DipkgArena *arena,
          DipkgDiagList *diags, char **data, size_t *len)
{
  gzFile gz = gzdopen(fd, "rb");
  if (!gz) {
    close(fd);
    return DIPKG_ERR_NO_MEMORY;
  }
  char *tmp = NULL;
  size_t got = 0, cap = 0;
  bool checked = false;
  char why_buf[160];
  const char *why = NULL;
  DipkgStatus st = DIPKG_SUCCESS;
  for (;;) {
    if (got == cap) {
      if (cap > max) {
        dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_LIMIT, display,
                       (DipkgLoc){0, 0, 0},
                       "the file is too large once decompressed (more than "
                       "%zu bytes; the limit is %zu)",
                       got, max);
        st = DIPKG_ERR_LIMIT;
        break;
      }
      size_t grown = cap ? cap * 2 : 65536;
      char *more = dipkg_realloc(tmp, grown);
      if (!more) {
        st = DIPKG_ERR_NO_MEMORY;
        break;
      }
      tmp = more;
      cap = grown;
    }
    long n = dipkg_input_gz_read(gz, tmp + got, cap - got, &checked, why_buf,
                                 sizeof why_buf, &why, &st);
    if (n < 0) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, st, display,
                     (DipkgLoc){0, 0, 0}, "cannot read: %s", why);
      break;
    }
    st = DIPKG_SUCCESS;
    if (n == 0)
      break;
    got += (size_t)n;
  }
  gzclose(gz);
  if (!st && got > max) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_LIMIT, display,
                   (DipkgLoc){0, 0, 0},
                   "the file is too large once decompressed (%zu bytes; the "
                   "limit is %zu)",
                   got, max);
    st = DIPKG_ERR_LIMIT;
  }
  char *buf = st ? NULL : dipkg_arena_alloc(arena, got + 1);
  if (!st && !buf)
    st = DIPKG_ERR_NO_MEMORY;
  if (buf) {
    if (got)
      memcpy(buf, tmp, got);
    buf[got] = '\0';
    *data = buf;
    *len = got;
  }
  dipkg_free(tmp);
  return st;
}

uint64_t
dipkg_input_hash(const void *data, size_t len)
{
  // Eight bytes a step (a facts file is hashed on each read of a run):
  // multiply and fold, then a final avalanche (the murmur3 finaliser).
  const unsigned char *p = data;
  uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)len;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    h = (h ^ (w * 0xBF58476D1CE4E5B9u)) * 0x94D049BB133111EBu;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  for (size_t k = 0; i + k < len; k++)
    tail |= (uint64_t)p[i + k] << (8 * k);
  h = (h ^ (tail * 0xBF58476D1CE4E5B9u)) * 0x94D049BB133111EBu;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDu;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53u;
  h ^= h >> 33;
  return h;
}

DipkgStatus
dipkg_input_read(const char *path, const char *display, size_t max,
                 DipkgArena *arena, DipkgDiagList *diags, char **data,
                 size_t *len, struct stat *sb_out)
{
  DipkgLoc none = {0, 0, 0};
  struct stat sb;
  int fd;
  DipkgStatus st =
    dipkg_input_open(path, display, "cannot read", diags, &fd, &sb);
  if (st)
    return st;
  if (dipkg_input_is_gzip(path)) {
    st = read_gzip(fd, display, max, arena, diags, data, len);
    if (!st && sb_out)
      *sb_out = sb;
    return st;
  }
  if ((unsigned long long)sb.st_size > max) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_LIMIT, display, none,
                   "the file is too large (%lld bytes; the limit is %zu)",
                   (long long)sb.st_size, max);
    close(fd);
    return DIPKG_ERR_LIMIT;
  }
  size_t size = (size_t)sb.st_size;
  // One byte more than the size, to see a file that grew while read.
  char *buf = dipkg_arena_alloc(arena, size + 2);
  if (!buf) {
    close(fd);
    return DIPKG_ERR_NO_MEMORY;
  }
  size_t got = 0;
  const char *why = NULL;
  while (got < size + 1) {
    ssize_t n = read(fd, buf + got, size + 1 - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      why = strerror(errno);
      break;
    }
    if (n == 0)
      break;
    got += (size_t)n;
  }
  close(fd);
  if (!why && got != size)
    why = "the file changed size while it was read";
  if (why) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, display, none,
                   "cannot read: %s", why);
    return DIPKG_ERR_IO;
  }
  buf[size] = '\0';
  *data = buf;
  *len = size;
  if (sb_out)
    *sb_out = sb;
  return DIPKG_SUCCESS;
}
