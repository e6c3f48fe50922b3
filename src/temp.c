/* The registry of temporaries (see temp.h). */
#include "temp.h"

#include "dipkg.h"
#include "memory.h"

#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct DipkgTemp {
  DipkgTemp *prev, *next;
  char *path;  // NULL for a child
  bool directory;
  pid_t pid;
};

static pthread_mutex_t temp_mu = PTHREAD_MUTEX_INITIALIZER;
static DipkgTemp *temps;  // a doubly linked list, newest first
static bool closed;       // a cleanup ran

static DipkgTemp *
add(DipkgTemp *t)
{
  pthread_mutex_lock(&temp_mu);
  if (closed) {
    pthread_mutex_unlock(&temp_mu);
    dipkg_free(t->path);
    dipkg_free(t);
    return NULL;
  }
  t->prev = NULL;
  t->next = temps;
  if (temps)
    temps->prev = t;
  temps = t;
  pthread_mutex_unlock(&temp_mu);
  return t;
}

DipkgTemp *
dipkg_temp_add_path(const char *path, bool directory)
{
  DipkgTemp *t = dipkg_calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->path = dipkg_strdup(path);
  if (!t->path) {
    dipkg_free(t);
    return NULL;
  }
  t->directory = directory;
  return add(t);
}

int
dipkg_temp_mkstemp(char *tmpl, DipkgTemp **temp)
{
  DipkgTemp *t = dipkg_calloc(1, sizeof *t);
  char *path = dipkg_strdup(tmpl);
  if (!t || !path) {
    dipkg_free(t);
    dipkg_free(path);
    errno = ENOMEM;
    return -1;
  }
  pthread_mutex_lock(&temp_mu);
  int fd = closed ? -1 : mkstemp(tmpl);
  int err = closed ? EINTR : errno;
  if (fd >= 0) {
    memcpy(path, tmpl, strlen(tmpl) + 1);  // same length as the template
    t->path = path;
    t->next = temps;
    if (temps)
      temps->prev = t;
    temps = t;
  }
  pthread_mutex_unlock(&temp_mu);
  if (fd < 0) {
    dipkg_free(t);
    dipkg_free(path);
    errno = err;
    return -1;
  }
  *temp = t;
  return fd;
}

DipkgTemp *
dipkg_temp_add_child(pid_t pid)
{
  DipkgTemp *t = dipkg_calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->pid = pid;
  return add(t);
}

/* Unlinks `t` (the lock held). */
static void
unlink_entry(DipkgTemp *t)
{
  if (t->prev)
    t->prev->next = t->next;
  else if (temps == t)
    temps = t->next;
  if (t->next)
    t->next->prev = t->prev;
  t->prev = t->next = NULL;
}

void
dipkg_temp_forget(DipkgTemp *t)
{
  if (!t)
    return;
  pthread_mutex_lock(&temp_mu);
  unlink_entry(t);
  pthread_mutex_unlock(&temp_mu);
  dipkg_free(t->path);
  dipkg_free(t);
}

bool
dipkg_temp_lock(void)
{
  pthread_mutex_lock(&temp_mu);
  if (closed) {
    pthread_mutex_unlock(&temp_mu);
    return false;
  }
  return true;
}

void
dipkg_temp_unlock(void)
{
  pthread_mutex_unlock(&temp_mu);
}

static int
remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
  (void)sb, (void)ftw;
  if (flag == FTW_DP)
    return rmdir(path) && errno != ENOENT ? -1 : 0;
  return unlink(path) && errno != ENOENT ? -1 : 0;
}

int
dipkg_temp_remove_tree(const char *path)
{
  struct stat sb;
  if (lstat(path, &sb))
    return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR(sb.st_mode))
    return unlink(path);
  return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

void
dipkg_temp_remove_all(void)
{
  pthread_mutex_lock(&temp_mu);
  closed = true;
  for (DipkgTemp *t = temps; t; t = t->next) {
    if (t->path) {
      if (t->directory)
        dipkg_temp_remove_tree(t->path);
      else
        unlink(t->path);
    } else if (t->pid > 0) {
      kill(t->pid, SIGKILL);
      while (waitpid(t->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    }
  }
  pthread_mutex_unlock(&temp_mu);
}

void
dipkg_remove_temporaries(void)
{
  dipkg_temp_remove_all();
}
