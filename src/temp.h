/* What an interrupted run must not leave behind: the temporary output of
 * an export, a load's working copy of a store, a query's spool, a query's
 * child process.  Each is registered while it exists; a signal-handling
 * thread of the host (the CLI's) calls dipkg_remove_temporaries() on
 * SIGINT, SIGTERM or SIGHUP, which removes every registered path and kills
 * every registered child.
 *
 * A commit (renaming a temporary file over its target) runs between
 * dipkg_temp_lock() and dipkg_temp_unlock(), so that a cleanup never
 * removes half of a commit: it happens wholly before the cleanup, or not
 * at all.  Thread-safe. */
#ifndef DIPKG_TEMP_H
#define DIPKG_TEMP_H

#include <stdbool.h>
#include <sys/types.h>

/// One registered temporary (opaque).
typedef struct DipkgTemp DipkgTemp;

/// Registers the file (or, with `directory`, the directory and everything
/// in it) at `path`, which this run created.  The path is copied.  NULL when
/// out of memory (then nothing is registered) or after a cleanup ran.
DipkgTemp *dipkg_temp_add_path(const char *path, bool directory);

/// Creates a file from the mkstemp() template `tmpl` (changed in place to
/// the name made) and registers it, both under the registry's lock, so that
/// a cleanup either removes the file or runs before it exists: never
/// leaves it behind.  Returns the open descriptor and sets `*temp`; -1 with
/// errno on failure (ENOMEM; EINTR once a cleanup ran; mkstemp()'s errors).
int dipkg_temp_mkstemp(char *tmpl, DipkgTemp **temp);

/// Registers a child process to kill (SIGKILL) on cleanup.
DipkgTemp *dipkg_temp_add_child(pid_t pid);

/// Forgets `temp` (renamed in place, removed, or reaped by the caller) and
/// frees it.  NULL is a no-op.  Not with the lock held: a commit renames
/// under the lock, unlocks, then forgets (a cleanup in between finds the
/// name gone, which is harmless).
void dipkg_temp_forget(DipkgTemp *temp);

/// Takes the registry's lock for a commit.  False, without the lock, once
/// a cleanup has run: the process is going down and the commit must not
/// happen (the temporary is already gone).
bool dipkg_temp_lock(void);
void dipkg_temp_unlock(void);

/// Removes every registered path and kills every registered child, then
/// refuses new registrations and commits.  Not async-signal-safe: call it
/// from a thread that received the signal with sigwait(), then end the
/// process.  (Public as dipkg_remove_temporaries() in dipkg.h.)
void dipkg_temp_remove_all(void);

/// Removes `path`, a directory this run created, with everything in it
/// (never following symbolic links).  0, or -1 with errno.
int dipkg_temp_remove_tree(const char *path);

#endif
