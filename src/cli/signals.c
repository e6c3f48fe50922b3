/* Interruption: SIGINT, SIGTERM and SIGHUP end the process as they would,
 * after the library has removed what the run in progress created (a
 * temporary output, a store's working copy, a query's child and spool).
 * The signals are blocked in every thread and received by one thread with
 * sigwait(), where the cleanup may use any function (a signal handler
 * could not: the cleanup allocates and walks directories). */
#include "cli.h"

#include <pthread.h>
#include <signal.h>

static sigset_t
ending_signals(void)
{
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

static void *
wait_for_signal(void *arg)
{
  (void)arg;
  sigset_t set = ending_signals();
  int sig = 0;
  while (sigwait(&set, &sig))
    ;
  dipkg_remove_temporaries();
  // Die of the signal itself, so that the parent sees how we ended.
  signal(sig, SIG_DFL);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  raise(sig);
  return NULL;
}

void
cli_signals_start(void)
{
  sigset_t set = ending_signals();
  if (pthread_sigmask(SIG_BLOCK, &set, NULL))
    return;
  pthread_t thread;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&thread, &attr, wait_for_signal, NULL))
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);  // then they act as usual
  pthread_attr_destroy(&attr);
}
