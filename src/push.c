/* dipkg push: the corpus into any SPARQL store, through the SPARQL 1.1
 * Graph Store HTTP Protocol, as a sync.
 *
 * The statements are made as `dipkg load` makes them (the ontology graph,
 * then each article's and each entity's graph, with the closure), one graph
 * at a time; each graph's N-Triples text is hashed.  The store keeps a
 * manifest graph, {base}push-manifest, with one `<graph> push:hash "HEX"`
 * per graph dipkg pushed there.  A graph whose hash the manifest holds
 * (once) is unchanged; any other is replaced with PUT.  Graphs the manifest
 * names that the corpus no longer has are deleted.
 *
 * Interruption: after each batch of PUTs the new hashes are appended to the
 * manifest (POST), and at the end the manifest is replaced (PUT) by the
 * clean list.  So after an interrupted push the manifest holds, for a graph
 * sent meanwhile, its old and its new hash: two entries make the graph
 * "dirty" and the next push sends it again, and a graph whose PUT was not
 * yet recorded keeps its old hash and is sent again.  Every graph the
 * interrupted push did not finish is sent by the next one.
 *
 * Speed: the PUTs go out on several connections at once (worker threads,
 * each with its own kept-alive connection; options->connections), since a
 * store spends its time per request (Virtuoso: a transaction each), not
 * on the wire.  The corpus run fills a bounded queue in the calling
 * thread; the workers send, count and append the batches to the manifest.
 * The first failure stops them all; only it is reported. */
#include "closure.h"
#include "corpus.h"
#include "diag.h"
#include "endpoint.h"
#include "hash.h"
#include "http.h"
#include "memory.h"
#include "portable.h"
#include "world.h"
#include "writer.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define PUSH_NS "https://w3id.org/dipkg/push#"
#define PUSH_HASH PUSH_NS "hash"

/// Graphs whose hashes are appended to the manifest at once.
enum { BATCH = 64 };
/// Tries of one request before giving up (connection errors and 5xx).
enum { TRIES = 5 };
/// Each request's own time limit.
enum { REQUEST_TIMEOUT_MS = 300000 };
/// Requests in flight at once by default, and at most.
enum { DEFAULT_CONNECTIONS = 4, MAX_CONNECTIONS = 64 };

/* A graph to PUT (owned by the queue, then by the worker that takes it). */
typedef struct Job {
  char *graph;
  DipkgBuf body;
  char hash[33];
  uint64_t statements;
} Job;

/* One graph of the manifest, and whether the corpus still has it. */
typedef struct Entry {
  char *graph;
  char hash[33];
  unsigned n_hashes;  // entries the manifest has for it (1: clean)
  bool seen;
} Entry;

typedef struct Push {
  DipkgSink base;
  DipkgWorld *world;
  const char *url;
  const DipkgPushOptions *opt;
  DipkgDiagList *diags;
  DipkgHttpClient *http;
  char *manifest_iri;
  // The manifest as read: open addressing on the graph IRI.
  Entry *entries;
  size_t n_entries, cap;
  // The graph being made.
  DipkgWriter writer;
  DipkgBuf text;
  char *graph;
  bool open;  // `graph` has begun and not ended
  uint64_t graph_statements;
  // What the manifest must hold at the end: every graph of the corpus.
  DipkgBuf final;  // N-Triples
  DipkgBuf batch;  // hashes not yet appended
  unsigned in_batch;
  bool manifest_dirty;  // the manifest differs from `final`
  DipkgPushSummary *sum;
  uint64_t graphs_done;
  // The first failure: the corpus run goes on to its end (it does not
  // stop at a sink's error), but nothing more is sent.  Set by any thread.
  atomic_int failed;
  // The workers and their queue; `mu` guards the queue, `sum`, `batch`,
  // `in_batch`, `reported` and `diags`.
  pthread_mutex_t mu;
  pthread_cond_t can_put, can_take;
  Job *queue;
  size_t q_cap, q_head, q_len;
  bool closing;
  pthread_t *threads;
  unsigned n_threads, connections;
  bool reported;  // a failure's diagnostic was added
} Push;

static DipkgStatus
failed_status(Push *p)
{
  return (DipkgStatus)atomic_load(&p->failed);
}

/* Records the first failure (`st` not success). */
static void
set_failed(Push *p, DipkgStatus st)
{
  int expected = DIPKG_SUCCESS;
  atomic_compare_exchange_strong(&p->failed, &expected, (int)st);
}

/* ------------------------------------------------------------ hashing */

static void
hash_text(const char *data, size_t len, char out[33])
{
  // Two 64-bit FNV-1a hashes with different offsets, the second stirred:
  // 128 bits, enough that two contents of one graph never share a hash in
  // practice.  Written into the store's manifest, so it stays as it is
  // (hash.c's dipkg_fingerprint is the first half).
  uint64_t a = 0xcbf29ce484222325u, b = 0x84222325cbf29ce4u;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)data[i];
    a = (a ^ c) * 0x100000001b3u;
    b = (b ^ c) * 0x100000001b3u;
    b ^= b >> 29;
  }
  snprintf(out, 33, "%016" PRIx64 "%016" PRIx64, a, b);
}

static size_t
slot_of(const Push *p, const char *graph)
{
  size_t i = (size_t)dipkg_hash_str(0, graph) & (p->cap - 1);
  while (p->entries[i].graph && strcmp(p->entries[i].graph, graph))
    i = (i + 1) & (p->cap - 1);
  return i;
}

static Entry *
find_entry(const Push *p, const char *graph)
{
  if (!p->cap)
    return NULL;
  Entry *e = &p->entries[slot_of(p, graph)];
  return e->graph ? e : NULL;
}

static DipkgStatus
add_entry(Push *p, const char *graph, const char *hash)
{
  if ((p->n_entries + 1) * 2 > p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 256;
    Entry *old = p->entries;
    size_t old_cap = p->cap;
    p->entries = dipkg_calloc(cap, sizeof *p->entries);
    if (!p->entries) {
      p->entries = old;
      return DIPKG_ERR_NO_MEMORY;
    }
    p->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
      if (old[i].graph)
        p->entries[slot_of(p, old[i].graph)] = old[i];
    dipkg_free(old);
  }
  Entry *e = &p->entries[slot_of(p, graph)];
  if (e->graph) {
    e->n_hashes++;
    return DIPKG_SUCCESS;
  }
  if (!(e->graph = dipkg_strdup(graph)))
    return DIPKG_ERR_NO_MEMORY;
  snprintf(e->hash, sizeof e->hash, "%s", hash);
  e->n_hashes = 1;
  p->n_entries++;
  return DIPKG_SUCCESS;
}

/* ---------------------------------------------------------- requests */

static char *
graph_url(const Push *p, const char *graph)
{
  char *escaped = dipkg_http_escape(graph);
  if (!escaped)
    return NULL;
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, "%s%cgraph=%s", p->url, strchr(p->url, '?') ? '&' : '?',
                   escaped);
  dipkg_free(escaped);
  dipkg_buf_putc(&b, '\0');
  if (b.oom) {
    dipkg_buf_free(&b);
    return NULL;
  }
  return b.data;
}

/* Sleeps `ms` milliseconds. */
static void
pause_ms(unsigned ms)
{
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) && errno == EINTR)
    ;
}

/* Performs `method` on `graph` with `body`, retrying connection errors and
 * 5xx answers with backoff.  `ok404`: a 404 is a success (DELETE of a graph
 * that is gone).  The response is left in `res` (caller finis it) for GET.
 * A failure becomes a diagnostic naming the graph and the server's words. */
static DipkgStatus
request(Push *p, DipkgHttpClient *http, const char *method, const char *graph,
        const DipkgBuf *body, const char *content_type, bool ok404,
        DipkgHttpResponse *res)
{
  if (res)  // finied by the caller even when no request was made
    memset(res, 0, sizeof *res);
  char *url = graph_url(p, graph);
  if (!url)
    return DIPKG_ERR_NO_MEMORY;
  DipkgHttpRequest req = {
    .method = method,
    .url = url,
    .content_type = content_type,
    .accept =
      strcmp(method, "GET") ? NULL : "application/n-triples, text/plain;q=0.5",
    .body = body ? body->data : NULL,
    .body_len = body ? body->len : 0,
    .user = p->opt->user,
    .password = p->opt->password,
    .timeout_ms = REQUEST_TIMEOUT_MS};
  DipkgStatus st = DIPKG_SUCCESS;
  unsigned delay = 250;
  for (int attempt = 1;; attempt++) {
    st = dipkg_http_perform(http, &req, res);
    bool retry =
      (st == DIPKG_ERR_IO || (!st && res->status >= 500)) && attempt < TRIES;
    if (!retry)
      break;
    dipkg_http_response_fini(res);
    pause_ms(delay);
    delay *= 2;
  }
  pthread_mutex_lock(&p->mu);
  // Only the first failure is told: the other workers' requests fail
  // with it (a server gone) or are stopped by it.
  bool tell = !p->reported;
  if (st == DIPKG_ERR_IO && tell) {
    p->reported = true;
    dipkg_diag_add(p->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, p->url,
                   (DipkgLoc){0, 0, 0},
                   "cannot reach the graph store (%d tries, %s of <%s>): %s",
                   TRIES, method, graph, res->error);
  } else if (!st && (res->status < 200 || res->status > 299) &&
             !(ok404 && res->status == 404)) {
    p->reported |= tell;
    char *msg = dipkg_http_error_text(&res->body, res->content_type, 1000);
    const char *hint =
      res->status == 401 || res->status == 403
        ? " (check --user and --password-file: the store refused them)"
        : "";
    if (tell)
      dipkg_diag_add(p->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, p->url,
                     (DipkgLoc){0, 0, 0}, "%s of <%s>: HTTP %ld%s%s%s", method,
                     graph, res->status, hint, msg && *msg ? ": " : "",
                     msg ? msg : "");
    dipkg_free(msg);
    st = DIPKG_ERR_STORE;
  }
  pthread_mutex_unlock(&p->mu);
  dipkg_free(url);
  return st;
}

static DipkgStatus
send_graph(Push *p, DipkgHttpClient *http, const char *method,
           const char *graph, const DipkgBuf *body)
{
  DipkgHttpResponse res;
  DipkgStatus st =
    request(p, http, method, graph, body, "text/turtle", false, &res);
  dipkg_http_response_fini(&res);
  return st;
}

/* ---------------------------------------------------------- manifest */

static DipkgStatus
on_manifest(void *user, const DipkgTerm *s, const DipkgTerm *pred,
            const DipkgTerm *o)
{
  Push *p = user;
  if (s->kind != DIPKG_TERM_IRI || strcmp(pred->str, PUSH_HASH) ||
      o->kind != DIPKG_TERM_LITERAL || o->len != 32)
    return DIPKG_SUCCESS;
  return add_entry(p, s->str, o->str);
}

static DipkgStatus
read_manifest(Push *p)
{
  DipkgHttpResponse res;
  DipkgStatus st =
    request(p, p->http, "GET", p->manifest_iri, NULL, NULL, true, &res);
  if (!st && res.status != 404) {
    const char *why = NULL;
    st =
      dipkg_ntriples_parse(res.body.data, res.body.len, on_manifest, p, &why);
    if (why)
      dipkg_diag_add(p->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, p->url,
                     (DipkgLoc){0, 0, 0},
                     "the manifest graph <%s> reads as no N-Triples (%s; "
                     "Content-Type %s)",
                     p->manifest_iri, why,
                     res.content_type ? res.content_type : "none");
    if (why)
      st = DIPKG_ERR_STORE;
  }
  dipkg_http_response_fini(&res);
  for (size_t i = 0; i < p->cap; i++)
    if (p->entries[i].graph && p->entries[i].n_hashes != 1)
      p->manifest_dirty = true;
  return st;
}

/* Counts the hash triples of a manifest read back (`user`: a size_t). */
static DipkgStatus
count_hash(void *user, const DipkgTerm *s, const DipkgTerm *pred,
           const DipkgTerm *o)
{
  (void)s;
  (void)o;
  if (!strcmp(pred->str, PUSH_HASH))
    ++*(size_t *)user;
  return DIPKG_SUCCESS;
}

/* Reads back the manifest just replaced by the `written` hash triples of
 * p->final, and fails if the store returns fewer: a store that cuts long
 * answers (Virtuoso's ResultSetMaxRows, 10,000 rows in Debian's
 * virtuoso.ini, applies to Graph Store GETs too, silently) would make the
 * next push read a partial manifest, resend graphs and leave the graphs of
 * removed articles in place.  A diagnostic says so. */
static DipkgStatus
verify_manifest(Push *p, size_t written)
{
  DipkgHttpResponse res;
  DipkgStatus st =
    request(p, p->http, "GET", p->manifest_iri, NULL, NULL, false, &res);
  size_t read = 0;
  if (!st) {
    const char *why = NULL;
    st = dipkg_ntriples_parse(res.body.data, res.body.len, count_hash, &read,
                              &why);
    if (why) {
      dipkg_diag_add(p->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, p->url,
                     (DipkgLoc){0, 0, 0},
                     "the manifest graph <%s> reads back as no N-Triples (%s)",
                     p->manifest_iri, why);
      st = DIPKG_ERR_STORE;
    }
    if (!st && read < written) {
      dipkg_diag_add(p->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_STORE, p->url,
                     (DipkgLoc){0, 0, 0},
                     "the store returned %zu of the %zu triples of the "
                     "manifest graph <%s> just written: it cuts long answers "
                     "(Virtuoso: raise ResultSetMaxRows in [SPARQL] of "
                     "virtuoso.ini), so the next push would resend graphs "
                     "and keep those of removed articles",
                     read, written, p->manifest_iri);
      st = DIPKG_ERR_STORE;
    }
  }
  dipkg_http_response_fini(&res);
  return st;
}

static void
manifest_line(DipkgBuf *b, const char *graph, const char *hash)
{
  DipkgTerm g = {DIPKG_TERM_IRI, graph, strlen(graph), NULL, NULL};
  dipkg_write_nt_term(b, &g);
  dipkg_buf_printf(b, " <" PUSH_HASH "> \"%s\" .\n", hash);
}

/* Appends the batch of hashes to the manifest (the calling thread alone
 * uses `batch`: no worker runs). */
static DipkgStatus
flush_batch(Push *p)
{
  if (!p->in_batch || p->opt->dry_run)
    return DIPKG_SUCCESS;
  if (p->batch.oom)
    return DIPKG_ERR_NO_MEMORY;
  DipkgStatus st = send_graph(p, p->http, "POST", p->manifest_iri, &p->batch);
  dipkg_buf_clear(&p->batch);
  p->in_batch = 0;
  return st;
}

/* ------------------------------------------------------------ workers */

static void
job_free(Job *job)
{
  dipkg_free(job->graph);
  dipkg_buf_free(&job->body);
}

/* Sends one graph, counts it and records its hash; a full batch of
 * hashes is appended to the manifest by this worker. */
static DipkgStatus
work_one(Push *p, DipkgHttpClient *http, Job *job)
{
  DipkgStatus st = job->body.oom
                     ? DIPKG_ERR_NO_MEMORY
                     : send_graph(p, http, "PUT", job->graph, &job->body);
  if (st)
    return st;
  DipkgBuf full = DIPKG_BUF_INIT;
  pthread_mutex_lock(&p->mu);
  p->sum->sent++;
  p->sum->triples += job->statements;
  manifest_line(&p->batch, job->graph, job->hash);
  if (++p->in_batch >= BATCH) {
    full = p->batch;  // taken: appended below, outside the lock
    p->batch = (DipkgBuf)DIPKG_BUF_INIT;
    p->in_batch = 0;
  }
  pthread_mutex_unlock(&p->mu);
  if (full.len || full.oom)
    st = full.oom ? DIPKG_ERR_NO_MEMORY
                  : send_graph(p, http, "POST", p->manifest_iri, &full);
  dipkg_buf_free(&full);
  return st;
}

static void *
worker(void *arg)
{
  Push *p = arg;
  DipkgHttpClient *http = dipkg_http_client_new();
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (!p->q_len && !p->closing)
      pthread_cond_wait(&p->can_take, &p->mu);
    if (!p->q_len) {
      pthread_mutex_unlock(&p->mu);
      break;
    }
    Job job = p->queue[p->q_head];
    p->q_head = (p->q_head + 1) % p->q_cap;
    p->q_len--;
    pthread_cond_signal(&p->can_put);
    pthread_mutex_unlock(&p->mu);
    if (!failed_status(p)) {
      DipkgStatus st = http ? work_one(p, http, &job) : DIPKG_ERR_NO_MEMORY;
      if (st) {
        set_failed(p, st);
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->can_put);  // the corpus run stops
        pthread_mutex_unlock(&p->mu);
      }
    }
    job_free(&job);
  }
  dipkg_http_client_free(http);
  return NULL;
}

/* Starts the workers (on the first graph to send). */
static DipkgStatus
start_workers(Push *p)
{
  p->q_cap = 2 * (size_t)p->connections;
  p->queue = dipkg_calloc(p->q_cap, sizeof *p->queue);
  p->threads = dipkg_calloc(p->connections, sizeof *p->threads);
  if (!p->queue || !p->threads)
    return DIPKG_ERR_NO_MEMORY;
  while (p->n_threads < p->connections &&
         !pthread_create(&p->threads[p->n_threads], NULL, worker, p))
    p->n_threads++;
  return p->n_threads ? DIPKG_SUCCESS : DIPKG_ERR_NO_MEMORY;
}

/* Lets the workers send what the queue holds and waits for them. */
static void
stop_workers(Push *p)
{
  pthread_mutex_lock(&p->mu);
  p->closing = true;
  pthread_cond_broadcast(&p->can_take);
  pthread_mutex_unlock(&p->mu);
  for (unsigned i = 0; i < p->n_threads; i++)
    pthread_join(p->threads[i], NULL);
  p->n_threads = 0;
  for (; p->q_len; p->q_len--) {  // left by workers that could not start
    job_free(&p->queue[p->q_head]);
    p->q_head = (p->q_head + 1) % p->q_cap;
  }
}

/* Queues one graph for the workers; waits while the queue is full. */
static DipkgStatus
enqueue(Push *p, Job *job)
{
  DipkgStatus st = p->queue ? DIPKG_SUCCESS : start_workers(p);
  if (st)
    return st;
  pthread_mutex_lock(&p->mu);
  while (p->q_len == p->q_cap && !failed_status(p))
    pthread_cond_wait(&p->can_put, &p->mu);
  st = failed_status(p);
  if (!st) {
    p->queue[(p->q_head + p->q_len) % p->q_cap] = *job;
    p->q_len++;
    pthread_cond_signal(&p->can_take);
  }
  pthread_mutex_unlock(&p->mu);
  if (st)
    job_free(job);
  return st;
}

/* ------------------------------------------------------------ the sink */

static DipkgStatus push_end_graph(DipkgSink *sink);

/* A graph begins; one begun before and not ended ends here (the mapper
 * begins each graph of a file and ends only the last). */
static DipkgStatus
push_begin_graph(DipkgSink *sink, const char *graph)
{
  Push *p = (Push *)sink;
  if (failed_status(p))
    return failed_status(p);
  if (p->open) {
    DipkgStatus st = push_end_graph(sink);
    if (st)
      return st;
  }
  p->open = true;
  dipkg_free(p->graph);
  p->graph = dipkg_strdup(graph);
  dipkg_buf_clear(&p->text);
  p->graph_statements = 0;
  return p->graph ? DIPKG_SUCCESS : DIPKG_ERR_NO_MEMORY;
}

static DipkgStatus
push_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *pr,
               const DipkgTerm *o)
{
  Push *p = (Push *)sink;
  if (failed_status(p))
    return failed_status(p);
  sink->n_statements++;
  p->graph_statements++;
  return p->writer.base.statement(&p->writer.base, s, pr, o);
}

static DipkgStatus
push_end_graph(DipkgSink *sink)
{
  Push *p = (Push *)sink;
  if (failed_status(p))
    return failed_status(p);
  if (!p->open)
    return DIPKG_SUCCESS;
  p->open = false;
  if (p->text.oom)
    return DIPKG_ERR_NO_MEMORY;
  char hash[33];
  hash_text(p->text.data ? p->text.data : "", p->text.len, hash);
  manifest_line(&p->final, p->graph, hash);
  Entry *e = find_entry(p, p->graph);
  if (e && e->seen) {
    dipkg_diag_add(p->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_INTERNAL, NULL,
                   (DipkgLoc){0, 0, 0}, "the graph <%s> was made twice",
                   p->graph);
    return DIPKG_ERR_INTERNAL;
  }
  if (e)
    e->seen = true;
  DipkgStatus st = DIPKG_SUCCESS;
  p->graphs_done++;
  if (e && e->n_hashes == 1 && !strcmp(e->hash, hash)) {
    p->sum->unchanged++;
  } else {
    p->manifest_dirty = true;
    if (p->opt->dry_run) {
      p->sum->sent++;
      p->sum->triples += p->graph_statements;
    } else {
      // The text goes to the queue; the writer writes on into a new one.
      Job job = {dipkg_strdup(p->graph), p->text, "", p->graph_statements};
      memcpy(job.hash, hash, sizeof job.hash);
      p->text = (DipkgBuf)DIPKG_BUF_INIT;
      if (job.graph) {
        st = enqueue(p, &job);
      } else {
        job_free(&job);
        st = DIPKG_ERR_NO_MEMORY;
      }
    }
    if (!e && !st) {
      // Remember it, so that a graph made twice is caught.
      st = add_entry(p, p->graph, hash);
      if (!st)
        find_entry(p, p->graph)->seen = true;
    }
  }
  if (p->opt->progress) {
    pthread_mutex_lock(&p->mu);
    uint64_t sent = p->sum->sent;
    pthread_mutex_unlock(&p->mu);
    p->opt->progress(p->opt->progress_user, p->graphs_done, sent);
  }
  dipkg_buf_clear(&p->text);
  if (st)
    set_failed(p, st);
  return st;
}

/* ------------------------------------------------------------ the run */

static double
now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

DipkgStatus
dipkg_corpus_push(DipkgCorpus *corpus, const char *url,
                  const DipkgPushOptions *options, DipkgPushSummary *summary)
{
  DipkgPushOptions defaults = {0};
  if (!options)
    options = &defaults;
  DipkgPushSummary ignored;
  if (!summary)
    summary = &ignored;
  memset(summary, 0, sizeof *summary);
  double start = now();
  DipkgWorld *w = dipkg_corpus_world(corpus);
  DipkgDiagList diags = {0};
  Push p = {
    .base = {push_begin_graph, push_statement, push_end_graph, 0},
    .world = w,
    .url = url,
    .opt = options,
    .diags = &diags,
    .sum = summary,
    .connections =
      options->connections ? options->connections : DEFAULT_CONNECTIONS,
  };
  if (p.connections > MAX_CONNECTIONS)
    p.connections = MAX_CONNECTIONS;
  atomic_init(&p.failed, DIPKG_SUCCESS);
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.can_put, NULL);
  pthread_cond_init(&p.can_take, NULL);
  dipkg_writer_init(&p.writer, DIPKG_FORMAT_NTRIPLES, NULL, &p.text);
  p.http = dipkg_http_client_new();
  // The whole corpus is checked first: an invalid one sends nothing.
  DipkgStatus st = dipkg_corpus_validate(corpus, NULL);
  if (!st && !p.http)
    st = DIPKG_ERR_NO_MEMORY;
  if (!st) {
    DipkgBuf m = DIPKG_BUF_INIT;
    dipkg_buf_printf(&m, "%spush-manifest", dipkg_world_base(w));
    dipkg_buf_putc(&m, '\0');
    p.manifest_iri = m.oom ? (dipkg_buf_free(&m), NULL) : m.data;
    if (!p.manifest_iri)
      st = DIPKG_ERR_NO_MEMORY;
  }
  if (!st)
    st = read_manifest(&p);
  DipkgClosureSink closure;
  dipkg_closure_sink_init(&closure, &p.base, w->ontology, !options->no_closure);
  if (!st)
    st = dipkg_ontology_feed(w, &closure.base);
  if (!st) {
    DipkgRunSpec run = {.mode = DIPKG_RUN_SINK, .sink = &closure.base};
    st = dipkg_corpus_run(corpus, &run, NULL);
  }
  dipkg_closure_sink_fini(&closure);
  stop_workers(&p);
  if (!st)
    st = failed_status(&p);
  if (!st)
    st = flush_batch(&p);
  // What the corpus no longer has.
  for (size_t i = 0; !st && i < p.cap; i++) {
    Entry *e = &p.entries[i];
    if (!e->graph || e->seen)
      continue;
    if (!options->dry_run) {
      DipkgHttpResponse res;
      st = request(&p, p.http, "DELETE", e->graph, NULL, NULL, true, &res);
      dipkg_http_response_fini(&res);
    }
    if (!st) {
      summary->deleted++;
      p.manifest_dirty = true;
    }
  }
  if (!st && p.manifest_dirty && !options->dry_run) {
    st = p.final.oom ? DIPKG_ERR_NO_MEMORY
                     : send_graph(&p, p.http, "PUT", p.manifest_iri, &p.final);
    size_t written = 0;
    for (size_t i = 0; i < p.final.len; i++)
      written += p.final.data[i] == '\n';
    if (!st)
      st = verify_manifest(&p, written);
  }
  if (st == DIPKG_ERR_NO_MEMORY)
    dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, NULL,
                   (DipkgLoc){0, 0, 0}, "out of memory");
  summary->seconds = now() - start;
  for (size_t i = 0; i < p.cap; i++)
    dipkg_free(p.entries[i].graph);
  dipkg_free(p.entries);
  dipkg_writer_fini(&p.writer);
  dipkg_buf_free(&p.text);
  dipkg_buf_free(&p.final);
  dipkg_buf_free(&p.batch);
  dipkg_free(p.graph);
  dipkg_free(p.manifest_iri);
  dipkg_http_client_free(p.http);
  dipkg_free(p.queue);
  dipkg_free(p.threads);
  pthread_cond_destroy(&p.can_take);
  pthread_cond_destroy(&p.can_put);
  pthread_mutex_destroy(&p.mu);
  dipkg_world_deliver(w, &diags);
  return st;
}
