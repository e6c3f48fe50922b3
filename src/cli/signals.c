/* Interruption: SIGINT, SIGTERM and SIGHUP end the process as they would,
 * after the library has removed what the run in progress created (a
 * temporary output, a store's working copy, a query's child and spool).
 * The signals are blocked in every thread and received by one thread with
 * sigwait(), where the cleanup may use any function (a signal handler
 * could not: the cleanup allocates and walks directories). */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>

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

/* A command that stops gracefully (serve): the first SIGINT or SIGTERM
 * is handed to it through the semaphore. */
static atomic_int catch_stop;
static atomic_int stop_signal;
static sem_t stop_sem;

void
cli_signals_catch_stop(void)
{
  sem_init(&stop_sem, 0, 0);
  atomic_store(&catch_stop, 1);
}

int
cli_signals_wait_stop(void)
{
  while (sem_wait(&stop_sem) && errno == EINTR)
    ;
  return atomic_load(&stop_signal);
}

static void *
wait_for_signal(void *arg)
{
  (void)arg;
  sigset_t set = ending_signals();
  int sig = 0;
  for (;;) {
    while (sigwait(&set, &sig))
      ;
    if ((sig == SIGINT || sig == SIGTERM) && atomic_exchange(&catch_stop, 0)) {
      atomic_store(&stop_signal, sig);
      sem_post(&stop_sem);
      continue;  // a second signal ends the process as usual
    }
    break;
  }
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
