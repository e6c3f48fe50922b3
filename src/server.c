/* The linked-data server (dipkg serve) on libmicrohttpd: dereferenceable
 * IRIs with content negotiation, the SPARQL 1.1 Protocol at /sparql, the
 * dataset description at /.well-known/void, HTML pages for people.
 *
 * Threads: libmicrohttpd's pool runs the handler; everything it reads (the
 * graph, the world) is read-only after start.  Queries: each runs in a
 * child process of its own (process group), killed at the time limit, so
 * that a slow or crashing query never holds the server. */
#include "dipkg.h"

#include "buf.h"
#include "diag.h"
#include "graph.h"
#include "html.h"
#include "jsonld.h"
#include "memory.h"
#include "rdf_raptor.h"
#include "server.h"
#include "sparql.h"
#include "temp.h"
#include "void.h"
#include "world.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/// Limits on what a client may send.
enum {
  MAX_BODY = 1 << 20,            // a POSTed query or form
  CONNECTION_MEMORY = 64 << 10,  // request line and headers (libmicrohttpd)
  MAX_URL = 16 << 10,            // request target
  BACKSTOP_MS = 3000             // past the query's limit: kill its group
};

struct DipkgServerImpl {
  DipkgWorld *world;
  DipkgStore *store;
  const DipkgGraph *graph;
  DipkgServerOptions opt;
  struct MHD_Daemon *daemon;
  char *base_path;  // the path of the base IRI ("/dipkg/"), or "/"
  pthread_mutex_t log_lock;
  unsigned port;
  DipkgGraph *void_graph;     // the dataset description, made at start
  DipkgGraph *service_graph;  // the SPARQL service description
};

/* One request's state across libmicrohttpd's calls (a POST comes in
 * parts). */
typedef struct Request {
  DipkgBuf body;
  bool too_large;
  struct timespec start;
} Request;

/* ------------------------------------------------------- responses */

typedef struct Answer {
  unsigned status;
  const char *type;  // Content-Type (static), NULL for none
  DipkgBuf body;
  const char *location;  // Location (borrowed), or NULL
  char *location_owned;
  const char *content_location;
  char *content_location_owned;
  bool vary;  // Vary: Accept
  bool etag;  // compute an ETag from the body
  const char *allow;
} Answer;

static uint64_t
fnv64(const char *s, size_t n)
{
  uint64_t h = 0xcbf29ce484222325u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
  return h;
}

/* Whether If-None-Match (a list of entity tags, or *) matches `etag`. */
static bool
none_match(const char *header, const char *etag)
{
  if (!header)
    return false;
  size_t n = strlen(etag);
  for (const char *p = header; *p;) {
    while (*p == ' ' || *p == ',' || *p == '\t')
      p++;
    if (*p == '*')
      return true;
    if (!strncmp(p, "W/", 2))
      p += 2;
    if (!strncmp(p, etag, n) && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
      return true;
    while (*p && *p != ',')
      p++;
  }
  return false;
}

static void
log_request(DipkgServer *srv, struct MHD_Connection *c, const char *method,
            const char *url, unsigned status, size_t bytes, const Request *req)
{
  if (!srv->opt.access_log)
    return;
  const union MHD_ConnectionInfo *ci =
    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  char addr[64] = "-";
  if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)ci->client_addr;
    const unsigned char *b = (const unsigned char *)&in->sin_addr;
    snprintf(addr, sizeof addr, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  }
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  double ms = (double)(now.tv_sec - req->start.tv_sec) * 1e3 +
              (double)(now.tv_nsec - req->start.tv_nsec) / 1e6;
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  char when[32];
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  // The URL as sent may hold anything: control bytes are written as '?'.
  DipkgBuf u = DIPKG_BUF_INIT;
  for (const char *p = url; *p && u.len < 512; p++) {
    char ch = *p;
    if ((unsigned char)ch < 0x20 || ch == '"')
      ch = '?';
    dipkg_buf_putc(&u, ch);
  }
  pthread_mutex_lock(&srv->log_lock);
  fprintf(srv->opt.access_log, "%s %s \"%s %s\" %u %zu %.1fms\n", addr, when,
          method, dipkg_buf_cstr(&u), status, bytes, ms);
  fflush(srv->opt.access_log);
  pthread_mutex_unlock(&srv->log_lock);
  dipkg_buf_free(&u);
}

static char empty[1];

static enum MHD_Result
send_answer(DipkgServer *srv, struct MHD_Connection *c, const char *method,
            const char *url, Answer *a, const Request *req)
{
  char etag[24] = "";
  if (a->etag && a->status == 200) {
    snprintf(
      etag, sizeof etag, "\"%016llx\"",
      (unsigned long long)fnv64(a->body.data ? a->body.data : "", a->body.len));
    if (none_match(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                               MHD_HTTP_HEADER_IF_NONE_MATCH),
                   etag)) {
      a->status = 304;
      a->body.len = 0;
    }
  }
  bool head = !strcmp(method, "HEAD");
  size_t len = a->body.oom ? 0 : a->body.len;
  struct MHD_Response *r = MHD_create_response_from_buffer(
    head || a->status == 304 ? 0 : len, a->body.data ? a->body.data : empty,
    MHD_RESPMEM_MUST_COPY);
  if (!r)
    return MHD_NO;
  if (a->type && a->status != 304)
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
  if (*etag)
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
  if (a->vary)
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept");
  if (a->location)
    MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, a->location);
  if (a->content_location)
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_LOCATION,
                            a->content_location);
  if (a->allow)
    MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, a->allow);
  MHD_add_response_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
  MHD_add_response_header(r, "Access-Control-Expose-Headers",
                          "ETag, Content-Location, Location, Vary");
  enum MHD_Result rc = MHD_queue_response(c, a->status, r);
  MHD_destroy_response(r);
  log_request(srv, c, method, url, a->status, head ? 0 : len, req);
  dipkg_buf_free(&a->body);
  dipkg_free(a->location_owned);
  dipkg_free(a->content_location_owned);
  return rc;
}

static void text_answer(Answer *a, unsigned status, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* A plain-text answer: the message and a line end. */
static void
text_answer(Answer *a, unsigned status, const char *fmt, ...)
{
  a->status = status;
  a->type = "text/plain; charset=utf-8";
  dipkg_buf_clear(&a->body);
  va_list ap;
  va_start(ap, fmt);
  char *text = NULL;
  if (vasprintf(&text, fmt, ap) < 0)
    text = NULL;
  va_end(ap);
  if (text)
    dipkg_buf_puts(&a->body, text);
  free(text);
  dipkg_buf_putc(&a->body, '\n');
}

/* ------------------------------------------------ content negotiation */

typedef enum Variant {
  V_HTML,
  V_TURTLE,
  V_JSONLD,
  V_NTRIPLES,
  V_RDFXML,
  V_COUNT,
  V_NONE = -1
} Variant;

static const struct {
  const char *media;
  const char *content_type;
  const char *suffix;
  DipkgFormat format;
} variants[V_COUNT] = {
  {"text/html", "text/html; charset=utf-8", ".html", DIPKG_FORMAT_TURTLE},
  {"text/turtle", "text/turtle; charset=utf-8", ".ttl", DIPKG_FORMAT_TURTLE},
  {"application/ld+json", "application/ld+json; charset=utf-8", ".jsonld",
   DIPKG_FORMAT_JSONLD},
  {"application/n-triples", "application/n-triples; charset=utf-8", ".nt",
   DIPKG_FORMAT_NTRIPLES},
  {"application/rdf+xml", "application/rdf+xml; charset=utf-8", ".rdf",
   DIPKG_FORMAT_RDFXML},
};

/* The q-value a media range list gives `media` ("type/subtype"): the most
 * specific matching range wins (RFC 9110 12.5.1); -1 when none matches. */
double
dipkg_accept_quality(const char *accept, const char *media)
{
  const char *slash = strchr(media, '/');
  size_t type_len = slash ? (size_t)(slash - media) : strlen(media);
  double best_q = -1;
  int best_spec = -1;
  for (const char *p = accept; p && *p;) {
    while (*p == ' ' || *p == '\t' || *p == ',')
      p++;
    const char *end = p;
    while (*end && *end != ',')
      end++;
    const char *semi = memchr(p, ';', (size_t)(end - p));
    size_t n = (size_t)((semi ? semi : end) - p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
      n--;
    int spec = -1;
    if (n == 3 && !strncmp(p, "*/*", 3))
      spec = 0;
    else if (n == type_len + 2 && !strncasecmp(p, media, type_len) &&
             !strncmp(p + type_len, "/*", 2))
      spec = 1;
    else if (n == strlen(media) && !strncasecmp(p, media, n))
      spec = 2;
    if (spec > best_spec) {
      double q = 1;
      for (const char *s = semi; s && s < end;) {
        s++;
        while (*s == ' ')
          s++;
        if ((s[0] == 'q' || s[0] == 'Q') && s[1] == '=') {
          q = strtod(s + 2, NULL);
          if (q < 0 || q > 1)
            q = 0;
        }
        const char *next = memchr(s, ';', (size_t)(end - s));
        s = next;
      }
      best_spec = spec;
      best_q = q;
    }
    p = end;
  }
  return best_q;
}

/* The variant an Accept header chooses among `n` offered (in the server's
 * order of preference, used for ties); V_NONE when none is acceptable. */
static int
negotiate(const char *accept, const int *offered, size_t n)
{
  if (!accept || !*accept)
    return offered[0];
  int best = V_NONE;
  double best_q = 0;
  for (size_t i = 0; i < n; i++) {
    double q = dipkg_accept_quality(accept, variants[offered[i]].media);
    if (q > best_q) {
      best_q = q;
      best = offered[i];
    }
  }
  return best;
}

/* ------------------------------------------------------- resources */

/* The IRI a request path names: the base with the path after the base's
 * own path (or after "/" when the path is not under it). */
static char *
iri_of_path(const DipkgServer *srv, const char *path, size_t len)
{
  size_t bp = strlen(srv->base_path);
  const char *rest = path + 1;
  size_t rest_len = len ? len - 1 : 0;
  if (len >= bp && !strncmp(path, srv->base_path, bp)) {
    rest = path + bp;
    rest_len = len - bp;
  }
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, srv->world->base);
  dipkg_buf_append(&b, rest, rest_len);
  return dipkg_buf_take(&b);
}

static const DipkgHtmlSite site = {"/", false};

static DipkgStatus
render(const DipkgServer *srv, const DipkgGraph *d, const char *iri, int v,
       DipkgBuf *out)
{
  if (v == V_HTML)
    return dipkg_html_resource(srv->graph, iri, &site, out);
  if (v == V_JSONLD)
    return dipkg_jsonld_append(d, out, 0);
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  if (!f)
    return DIPKG_ERR_NO_MEMORY;
  DipkgStatus st = dipkg_graph_write(d, variants[v].format, f);
  if (fclose(f) && !st)
    st = DIPKG_ERR_IO;
  if (!st)
    dipkg_buf_append(out, text, size);
  free(text);
  if (st)
    return st;
  return out->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

static const int all_variants[] = {V_HTML, V_TURTLE, V_JSONLD, V_NTRIPLES,
                                   V_RDFXML};

static void
resource(DipkgServer *srv, struct MHD_Connection *c, const char *url, Answer *a)
{
  size_t len = strlen(url);
  int v = V_NONE;
  for (int i = 0; i < V_COUNT; i++) {
    size_t n = strlen(variants[i].suffix);
    if (len > n + 1 && !strcmp(url + len - n, variants[i].suffix)) {
      v = i;
      len -= n;
      break;
    }
  }
  char *iri = iri_of_path(srv, url, len);
  DipkgGraph *d = NULL;
  DipkgStatus st =
    iri ? dipkg_graph_describe(srv->graph, iri, &d) : DIPKG_ERR_NO_MEMORY;
  if (st) {
    text_answer(a, 500, "cannot describe the resource: %s", dipkg_strerror(st));
  } else if (!dipkg_graph_size(d)) {
    text_answer(a, 404, "no resource %s in this dataset", iri);
  } else if (v == V_NONE) {
    // The IRI names a thing (an event, an entity), not a document: 303 to
    // the document about it in the negotiated syntax (docs/publishing.md).
    v = negotiate(
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
      all_variants, V_COUNT);
    a->vary = true;
    if (v == V_NONE) {
      text_answer(a, 406,
                  "none of the offered types is acceptable: text/html, "
                  "text/turtle, application/ld+json, application/n-triples, "
                  "application/rdf+xml%s",
                  "");
    } else {
      DipkgBuf loc = DIPKG_BUF_INIT;
      dipkg_buf_append(&loc, url, len);
      dipkg_buf_puts(&loc, variants[v].suffix);
      a->location = a->location_owned = dipkg_buf_take(&loc);
      text_answer(a, 303, "see %s", a->location);
    }
  } else {
    a->status = 200;
    a->type = variants[v].content_type;
    a->etag = true;
    st = render(srv, d, iri, v, &a->body);
    if (st)
      text_answer(a, 500, "cannot write the description: %s",
                  dipkg_strerror(st));
  }
  dipkg_graph_free(d);
  dipkg_free(iri);
}

/* ------------------------------------------------------------ SPARQL */

static int
hex(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes application/x-www-form-urlencoded `s` (`n` bytes) into `out`. */
static void
form_decode(const char *s, size_t n, DipkgBuf *out)
{
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+') {
      dipkg_buf_putc(out, ' ');
    } else if (s[i] == '%' && i + 2 < n + 0 && hex(s[i + 1]) >= 0 &&
               hex(s[i + 2]) >= 0) {
      dipkg_buf_putc(out, (char)(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      dipkg_buf_putc(out, s[i]);
    }
  }
}

/* The protocol's parameters, from the URL's query string (libmicrohttpd
 * decodes it) or a POSTed form (decoded here). */
typedef struct Params {
  char *query;
  char *update;
  char **default_graphs;
  size_t n_default;
  char **named_graphs;
  size_t n_named;
  bool oom;
} Params;

static void
params_add(Params *p, const char *key, size_t key_len, const char *value,
           size_t value_len)
{
  char *v = dipkg_strndup(value, value_len);
  if (!v) {
    p->oom = true;
    return;
  }
#define IS(k) (key_len == sizeof(k) - 1 && !memcmp(key, k, key_len))
  char ***list = NULL;
  size_t *n = NULL;
  if (IS("query") && !p->query) {
    p->query = v;
  } else if (IS("update") && !p->update) {
    p->update = v;
  } else if (IS("default-graph-uri")) {
    list = &p->default_graphs, n = &p->n_default;
  } else if (IS("named-graph-uri")) {
    list = &p->named_graphs, n = &p->n_named;
  } else {
    dipkg_free(v);
  }
#undef IS
  if (list) {
    char **grown = dipkg_realloc(*list, (*n + 1) * sizeof **list);
    if (!grown) {
      dipkg_free(v);
      p->oom = true;
      return;
    }
    *list = grown;
    (*list)[(*n)++] = v;
  }
}

static enum MHD_Result
collect_arg(void *user, enum MHD_ValueKind kind, const char *key,
            const char *value)
{
  (void)kind;
  if (key)
    params_add(user, key, strlen(key), value ? value : "",
               value ? strlen(value) : 0);
  return MHD_YES;
}

static void
parse_form(Params *p, const char *s, size_t n)
{
  for (size_t i = 0; i < n;) {
    size_t end = i;
    while (end < n && s[end] != '&')
      end++;
    const char *eq = memchr(s + i, '=', end - i);
    DipkgBuf k = DIPKG_BUF_INIT, v = DIPKG_BUF_INIT;
    form_decode(s + i, (size_t)((eq ? eq : s + end) - (s + i)), &k);
    if (eq)
      form_decode(eq + 1, (size_t)(s + end - eq - 1), &v);
    if (k.oom || v.oom)
      p->oom = true;
    else if (k.len)
      params_add(p, k.data, k.len, v.data ? v.data : "", v.len);
    dipkg_buf_free(&k);
    dipkg_buf_free(&v);
    i = end + 1;
  }
}

static void
params_free(Params *p)
{
  dipkg_free(p->query);
  dipkg_free(p->update);
  for (size_t i = 0; i < p->n_default; i++)
    dipkg_free(p->default_graphs[i]);
  for (size_t i = 0; i < p->n_named; i++)
    dipkg_free(p->named_graphs[i]);
  dipkg_free(p->default_graphs);
  dipkg_free(p->named_graphs);
}

/* The query with the protocol's dataset: FROM and FROM NAMED clauses put
 * before its first WHERE (or its first '{' after the prologue when it has
 * none); the protocol's dataset replaces the query's own (SPARQL 1.1
 * Protocol 2.1.4), which dipkg leaves in place only when none is given. */
static char *
with_dataset(const Params *p)
{
  const char *q = p->query;
  if (!p->n_default && !p->n_named)
    return dipkg_strdup(q);
  size_t at = strlen(q), brace = at;
  bool in_iri = false;
  char quote = 0;
  for (size_t i = 0; q[i]; i++) {
    char ch = q[i];
    if (quote) {
      if (ch == '\\' && q[i + 1])
        i++;
      else if (ch == quote)
        quote = 0;
      continue;
    }
    if (in_iri) {
      in_iri = ch != '>';
      continue;
    }
    if (ch == '#') {
      while (q[i + 1] && q[i + 1] != '\n')
        i++;
    } else if (ch == '"' || ch == '\'') {
      quote = ch;
    } else if (ch == '<' && brace == strlen(q)) {
      in_iri = true;  // IRIs of the prologue and the clauses before WHERE
    } else if (ch == '{' && brace == strlen(q)) {
      brace = i;
    } else if (!strncasecmp(q + i, "where", 5) &&
               (i == 0 ||
                !((q[i - 1] >= 'a' && q[i - 1] <= 'z') ||
                  (q[i - 1] >= 'A' && q[i - 1] <= 'Z') || q[i - 1] == '?' ||
                  q[i - 1] == '$' || q[i - 1] == ':'))) {
      at = i;
      break;
    }
  }
  if (at == strlen(q))
    at = brace;
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_append(&b, q, at);
  for (size_t i = 0; i < p->n_default; i++)
    dipkg_buf_printf(&b, "\nFROM <%s>", p->default_graphs[i]);
  for (size_t i = 0; i < p->n_named; i++)
    dipkg_buf_printf(&b, "\nFROM NAMED <%s>", p->named_graphs[i]);
  dipkg_buf_putc(&b, '\n');
  dipkg_buf_puts(&b, q + at);
  return dipkg_buf_take(&b);
}

static bool
iri_ok(const char *s)
{
  if (!*s)
    return false;
  for (const char *c = s; *c; c++)
    if ((unsigned char)*c <= 0x20 || strchr("<>\"{}|^`\\", *c))
      return false;
  return strchr(s, ':') != NULL;
}

/* The diagnostics of a query child, as "file:line:col: message" lines. */
static void
child_diagnostic(void *user, const DipkgDiagnostic *d)
{
  int fd = *(int *)user;
  if (d->severity != DIPKG_SEVERITY_ERROR)
    return;
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b, "%d\t", (int)d->status);
  if (d->file)
    dipkg_buf_printf(&b, "%s:", d->file);
  if (d->line)
    dipkg_buf_printf(&b, "%u:%u:", d->line, d->col);
  dipkg_buf_printf(&b, " %s\n", d->message);
  for (size_t done = 0; !b.oom && done < b.len;) {
    ssize_t n = write(fd, b.data + done, b.len - done);
    if (n <= 0)
      break;
    done += (size_t)n;
  }
  dipkg_buf_free(&b);
}

typedef struct QueryRun {
  DipkgStatus st;
  bool timed_out;
  bool crashed;
  DipkgBuf results;
  DipkgBuf messages;
} QueryRun;

static void
drain(int fd, DipkgBuf *into, bool *open)
{
  char chunk[16384];
  ssize_t n = read(fd, chunk, sizeof chunk);
  if (n > 0)
    dipkg_buf_append(into, chunk, (size_t)n);
  else if (n == 0 || (errno != EINTR && errno != EAGAIN))
    *open = false;
}

/* Runs the query in a child process of its own process group: results and
 * diagnostics come back through pipes; past the time limit the group is
 * killed. */
static void
run_query(DipkgServer *srv, const char *text, DipkgResultFormat format,
          QueryRun *run)
{
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC)) {
    run->st = DIPKG_ERR_INTERNAL;
    return;
  }
  if (pipe2(err, O_CLOEXEC)) {
    close(out[0]), close(out[1]);
    run->st = DIPKG_ERR_INTERNAL;
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_UNBLOCK, &all, NULL);
    signal(SIGPIPE, SIG_DFL);
    close(out[0]), close(err[0]);
    // The library's query policy: the engine runs in a grandchild under
    // the time and memory limits, and a query past them ends with
    // DIPKG_ERR_QUERY_LIMIT and a message.  This child only keeps the
    // request threads' world and store out of each other's way.
    DipkgQueryPolicy policy;
    dipkg_query_policy_init(&policy);
    policy.timeout_ms = srv->opt.query_timeout_ms;
    policy.memory_bytes = srv->opt.query_memory;
    dipkg_store_set_query_policy(srv->store, &policy);
    dipkg_world_set_diagnostic_func(srv->world, child_diagnostic, &err[1]);
    FILE *f = fdopen(out[1], "w");
    DipkgStatus st =
      f ? dipkg_store_query(srv->store, text, "query", NULL, format, f, NULL)
        : DIPKG_ERR_IO;
    if (f)
      fclose(f);
    _exit(st);
  }
  close(out[1]), close(err[1]);
  if (pid < 0) {
    close(out[0]), close(err[0]);
    run->st = DIPKG_ERR_INTERNAL;
    return;
  }
  setpgid(pid, pid);
  DipkgTemp *reg = dipkg_temp_add_child(pid);  // killed if we are
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    clock_gettime(CLOCK_MONOTONIC, &now);
    long elapsed = (now.tv_sec - start.tv_sec) * 1000 +
                   (now.tv_nsec - start.tv_nsec) / 1000000;
    // A backstop: the policy stops the query at the limit; past it and a
    // grace period the whole process group goes.
    long left = srv->opt.query_timeout_ms
                  ? (long)srv->opt.query_timeout_ms + BACKSTOP_MS - elapsed
                  : 1000;
    if (srv->opt.query_timeout_ms && left <= 0) {
      run->timed_out = true;
      break;
    }
    int n = poll(fds, 2, (int)(left > 1000 ? 1000 : left));
    if (n < 0 && errno != EINTR)
      break;
    if (n <= 0)
      continue;
    if (out_open && fds[0].revents)
      drain(out[0], &run->results, &out_open);
    if (err_open && fds[1].revents)
      drain(err[0], &run->messages, &err_open);
  }
  if (run->timed_out)
    kill(-pid, SIGKILL);
  close(out[0]), close(err[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  dipkg_temp_forget(reg);
  if (run->timed_out)
    run->st = DIPKG_ERR_QUERY_FAILED;
  else if (WIFSIGNALED(status)) {
    run->crashed = true;
    run->st = DIPKG_ERR_QUERY_FAILED;
  } else {
    run->st = (DipkgStatus)WEXITSTATUS(status);
  }
}

static const struct {
  const char *media;
  const char *content_type;
  DipkgResultFormat format;
} result_types[] = {
  {"application/sparql-results+json", "application/sparql-results+json",
   DIPKG_RESULTS_JSON},
  {"application/sparql-results+xml",
   "application/sparql-results+xml; charset=utf-8", DIPKG_RESULTS_XML},
  {"text/csv", "text/csv; charset=utf-8", DIPKG_RESULTS_CSV},
  {"text/tab-separated-values", "text/tab-separated-values; charset=utf-8",
   DIPKG_RESULTS_TSV},
  {"application/json", "application/sparql-results+json", DIPKG_RESULTS_JSON},
  {"text/turtle", "text/turtle; charset=utf-8", DIPKG_RESULTS_TURTLE},
  {"application/n-triples", "application/n-triples; charset=utf-8",
   DIPKG_RESULTS_NTRIPLES},
  {"text/plain", "application/n-triples; charset=utf-8",
   DIPKG_RESULTS_NTRIPLES},
  // CONSTRUCT as JSON-LD: run as N-Triples, converted here.
  {"application/ld+json", "application/ld+json; charset=utf-8",
   DIPKG_RESULTS_NTRIPLES},
};

static DipkgStatus
add_parsed(void *user, const DipkgTerm *s, const DipkgTerm *p,
           const DipkgTerm *o, const DipkgTerm *g)
{
  (void)g;
  return dipkg_graph_add(user, s, p, o);
}

/* N-Triples `nt` (`len` bytes) as a JSON-LD document into `out`. */
static DipkgStatus
ntriples_to_jsonld(DipkgServer *srv, const char *nt, size_t len, DipkgBuf *out)
{
  int fd = memfd_create("dipkg-construct", MFD_CLOEXEC);
  if (fd < 0)
    return DIPKG_ERR_IO;
  DipkgStatus st = DIPKG_SUCCESS;
  for (size_t done = 0; !st && done < len;) {
    ssize_t n = write(fd, nt + done, len - done);
    if (n <= 0)
      st = DIPKG_ERR_IO;
    else
      done += (size_t)n;
  }
  DipkgGraph *g = st ? NULL : dipkg_graph_new(srv->world);
  if (!st && !g)
    st = DIPKG_ERR_NO_MEMORY;
  if (!st) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    DipkgDiagList diags = {0};
    st =
      dipkg_rdf_parse_file(path, "results", "ntriples", add_parsed, g, &diags);
    dipkg_diag_list_clear(&diags);
  }
  close(fd);
  if (!st)
    st = dipkg_graph_seal(g);
  if (!st)
    st = dipkg_jsonld_append(g, out, 0);
  dipkg_graph_free(g);
  return st;
}

/* The result type for a table (graph false) or a graph: the most wanted
 * one, the first of its kind on ties; -1 when none is acceptable. */
static int
result_type(const char *accept, bool graph)
{
  int best = -1;
  double best_q = 0;
  for (size_t i = 0; i < sizeof result_types / sizeof *result_types; i++) {
    DipkgResultFormat f = result_types[i].format;
    bool is_graph = f == DIPKG_RESULTS_TURTLE || f == DIPKG_RESULTS_NTRIPLES;
    if (is_graph != graph)
      continue;
    double q = accept && *accept
                 ? dipkg_accept_quality(accept, result_types[i].media)
                 : 1;
    if (q > best_q) {
      best_q = q;
      best = (int)i;
    }
  }
  return best;
}

/* Answers with the description `g` of the `what` ("service", "dataset")
 * in the variant of `offered` (`n` of them) the request accepts, or 406
 * naming them (`formats`).  V_HTML is the service's page. */
static void
description(DipkgServer *srv, struct MHD_Connection *c, Answer *a,
            const DipkgGraph *g, const int *offered, size_t n, const char *what,
            const char *formats)
{
  int v = negotiate(
    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
    offered, n);
  a->vary = true;
  if (v == V_NONE) {
    text_answer(a, 406, "the %s description is %s", what, formats);
    return;
  }
  a->status = 200;
  a->type = variants[v].content_type;
  a->etag = true;
  DipkgStatus st = v == V_HTML ? dipkg_html_service(srv->world, &a->body)
                               : render(srv, g, NULL, v, &a->body);
  if (st)
    text_answer(a, 500, "cannot describe the %s: %s", what, dipkg_strerror(st));
}

static void
service_description(DipkgServer *srv, struct MHD_Connection *c, Answer *a)
{
  static const int offered[] = {V_TURTLE, V_JSONLD, V_NTRIPLES, V_RDFXML,
                                V_HTML};
  description(srv, c, a, srv->service_graph, offered,
              sizeof offered / sizeof *offered, "service",
              "Turtle, JSON-LD, N-Triples, RDF/XML or HTML");
}

static void
sparql(DipkgServer *srv, struct MHD_Connection *c, const char *method,
       Request *req, Answer *a)
{
  Params p = {0};
  const char *ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_CONTENT_TYPE);
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &p);
  bool post = !strcmp(method, "POST");
  if (post) {
    size_t n = ctype ? strcspn(ctype, "; ") : 0;
    const char *body = req->body.data ? req->body.data : "";
#define CTYPE_IS(t) (ctype && n == sizeof(t) - 1 && !strncasecmp(ctype, t, n))
    if (CTYPE_IS("application/x-www-form-urlencoded")) {
      parse_form(&p, body, req->body.len);
    } else if (CTYPE_IS("application/sparql-query")) {
      if (!p.query)
        p.query = dipkg_strndup(body, req->body.len);
    } else if (CTYPE_IS("application/sparql-update")) {
      text_answer(a, 400, "%s",
                  "SPARQL Update is not supported: this "
                  "endpoint is read-only");
      params_free(&p);
      return;
#undef CTYPE_IS
    } else {
      text_answer(a, 415,
                  "POST to /sparql takes application/x-www-form-urlencoded "
                  "or application/sparql-query, not '%s'",
                  ctype ? ctype : "(none)");
      params_free(&p);
      return;
    }
  }
  if (p.oom) {
    text_answer(a, 500, "%s", "out of memory");
  } else if (p.update) {
    text_answer(a, 400, "%s",
                "SPARQL Update is not supported: this endpoint "
                "is read-only");
  } else if (!p.query) {
    if (post)
      text_answer(a, 400, "%s", "no query: give query=...");
    else
      service_description(srv, c, a);
  } else if (memchr(p.query, '\0', 0) || !*p.query) {
    text_answer(a, 400, "%s", "the query is empty");
  } else {
    bool ok = true;
    for (size_t i = 0; ok && i < p.n_default; i++)
      ok = iri_ok(p.default_graphs[i]);
    for (size_t i = 0; ok && i < p.n_named; i++)
      ok = iri_ok(p.named_graphs[i]);
    char *text = ok ? with_dataset(&p) : NULL;
    // The form decides the result types: checked here (no engine runs).
    DipkgSparql q;
    DipkgDiagList diags = {0};
    DipkgStatus st =
      !ok     ? DIPKG_ERR_USAGE
      : !text ? DIPKG_ERR_NO_MEMORY
              : dipkg_sparql_prepare(text, strlen(text), "query",
                                     srv->world->prefixes, NULL, &diags, &q);
    if (!ok) {
      text_answer(a, 400, "%s",
                  "default-graph-uri and named-graph-uri take absolute IRIs");
    } else if (st == DIPKG_ERR_NO_MEMORY) {
      text_answer(a, 500, "%s", "out of memory");
    } else if (st) {
      a->status = 400;
      a->type = "text/plain; charset=utf-8";
      for (size_t i = 0; i < diags.n; i++) {
        const DipkgDiagEntry *e = &diags.items[i];
        dipkg_buf_printf(&a->body, "query:%u:%u: %s\n", e->loc.line, e->loc.col,
                         e->message);
      }
    } else {
      bool graph = q.form == DIPKG_QUERY_CONSTRUCT;
      dipkg_sparql_fini(&q);
      int t = result_type(
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
        graph);
      a->vary = true;
      if (t < 0) {
        text_answer(a, 406, "%s",
                    graph ? "a CONSTRUCT query gives text/turtle or "
                            "application/n-triples"
                          : "a table is given as application/sparql-results+"
                            "json or +xml, text/csv or "
                            "text/tab-separated-values");
      } else {
        QueryRun run = {0};
        run_query(srv, text, result_types[t].format, &run);
        if (run.timed_out) {
          text_answer(a, 503,
                      "the query was stopped: it ran past the time limit "
                      "(%s)",
                      "--query-timeout");
        } else if (run.st == DIPKG_ERR_QUERY_LIMIT) {
          a->status = 503;  // the messages below say which limit
          a->type = "text/plain; charset=utf-8";
        } else if (run.crashed) {
          text_answer(a, 500, "%s",
                      "the query engine crashed on this query (a bug in "
                      "rasqal; the server goes on)");
        } else if (run.st == DIPKG_ERR_QUERY || run.st == DIPKG_ERR_USAGE) {
          a->status = 400;
          a->type = "text/plain; charset=utf-8";
        } else if (run.st) {
          a->status = run.st == DIPKG_ERR_NO_MEMORY ? 503 : 500;
          a->type = "text/plain; charset=utf-8";
        } else {
          a->status = 200;
          a->type = result_types[t].content_type;
          if (!strncmp(result_types[t].media, "application/ld+json", 19)) {
            DipkgStatus cs =
              ntriples_to_jsonld(srv, run.results.data ? run.results.data : "",
                                 run.results.len, &a->body);
            if (cs)
              text_answer(a, 500, "cannot write the graph as JSON-LD: %s",
                          dipkg_strerror(cs));
          } else {
            dipkg_buf_append(&a->body, run.results.data, run.results.len);
          }
        }
        if (!run.timed_out && !run.crashed && run.st) {
          // The child's messages, without their status field.
          const char *m = dipkg_buf_cstr(&run.messages);
          for (const char *line = m; line && *line;) {
            const char *tab = strchr(line, '\t');
            const char *end = strchr(line, '\n');
            if (!end)
              end = line + strlen(line);
            const char *msg = tab && tab < end ? tab + 1 : line;
            dipkg_buf_append(&a->body, msg, (size_t)(end - msg));
            dipkg_buf_putc(&a->body, '\n');
            line = *end ? end + 1 : end;
          }
          if (!run.messages.len)
            dipkg_buf_printf(&a->body, "%s\n", dipkg_strerror(run.st));
        }
        dipkg_buf_free(&run.results);
        dipkg_buf_free(&run.messages);
      }
    }
    dipkg_diag_list_clear(&diags);
    dipkg_free(text);
  }
  params_free(&p);
}

/* ------------------------------------------------------------ routing */

static void
void_description(DipkgServer *srv, struct MHD_Connection *c, Answer *a)
{
  static const int offered[] = {V_TURTLE, V_JSONLD, V_NTRIPLES, V_RDFXML};
  description(srv, c, a, srv->void_graph, offered,
              sizeof offered / sizeof *offered, "dataset",
              "Turtle, JSON-LD, N-Triples or RDF/XML");
}

static void
route(DipkgServer *srv, struct MHD_Connection *c, const char *method,
      const char *url, Request *req, Answer *a)
{
  bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
  if (!strcmp(method, "OPTIONS")) {
    a->status = 204;
    a->allow = "GET, HEAD, POST, OPTIONS";
    return;
  }
  if (!strcmp(url, "/sparql")) {
    if (!get && strcmp(method, "POST")) {
      text_answer(a, 405, "%s", "/sparql takes GET and POST");
      a->allow = "GET, HEAD, POST, OPTIONS";
      return;
    }
    sparql(srv, c, method, req, a);
    return;
  }
  if (!get) {
    text_answer(a, 405, "%s", "this server is read-only: GET and HEAD only");
    a->allow = "GET, HEAD, OPTIONS";
    return;
  }
  if (!strcmp(url, "/") || !strcmp(url, srv->base_path) ||
      !strcmp(url, "/index.html")) {
    a->status = 200;
    a->type = "text/html; charset=utf-8";
    a->etag = true;
    DipkgStatus st = dipkg_html_home(srv->graph, &site, &a->body);
    if (st)
      text_answer(a, 500, "cannot write the page: %s", dipkg_strerror(st));
    return;
  }
  if (!strcmp(url, "/.well-known/void")) {
    void_description(srv, c, a);
    return;
  }
  if (!strcmp(url, "/style.css")) {
    a->status = 200;
    a->type = "text/css; charset=utf-8";
    a->etag = true;
    dipkg_buf_puts(&a->body, dipkg_html_stylesheet);
    return;
  }
  if (!strcmp(url, "/context.jsonld")) {
    a->status = 200;
    a->type = "application/ld+json; charset=utf-8";
    a->etag = true;
    if (dipkg_jsonld_context(srv->world, &a->body))
      text_answer(a, 500, "%s", "out of memory");
    return;
  }
  resource(srv, c, url, a);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_data_size,
       void **con_cls)
{
  (void)version;
  DipkgServer *srv = cls;
  Request *req = *con_cls;
  if (!req) {
    req = dipkg_calloc(1, sizeof *req);
    if (!req)
      return MHD_NO;
    clock_gettime(CLOCK_MONOTONIC, &req->start);
    *con_cls = req;
    return MHD_YES;  // the body, if any, comes in the next calls
  }
  if (*upload_data_size) {
    if (req->body.len + *upload_data_size > MAX_BODY)
      req->too_large = true;
    else
      dipkg_buf_append(&req->body, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  Answer a = {.status = 500, .body = DIPKG_BUF_INIT};
  if (req->too_large)
    text_answer(&a, 413, "the request body is larger than %s", "1 MiB");
  else if (req->body.oom)
    text_answer(&a, 500, "%s", "out of memory");
  else if (strlen(url) > MAX_URL)
    text_answer(&a, 414, "%s", "the request target is too long");
  else
    route(srv, c, method, url, req, &a);
  return send_answer(srv, c, method, url, &a, req);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
          enum MHD_RequestTerminationCode code)
{
  (void)cls, (void)c, (void)code;
  Request *req = *con_cls;
  if (req) {
    dipkg_buf_free(&req->body);
    dipkg_free(req);
    *con_cls = NULL;
  }
}

/* ---------------------------------------------------------- lifetime */

void
dipkg_server_options_init(DipkgServerOptions *o)
{
  memset(o, 0, sizeof *o);
  o->listen = "127.0.0.1:8080";
  o->query_timeout_ms = 10000;
  o->threads = 4;
}

static DipkgStatus
usage(DipkgWorld *w, const char *what, const char *value)
{
  DipkgDiagList list = {0};
  dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, NULL,
                 (DipkgLoc){0, 0, 0}, "%s '%s'", what, value);
  dipkg_world_deliver(w, &list);
  return DIPKG_ERR_USAGE;
}

DipkgStatus
dipkg_server_start(DipkgWorld *world, DipkgStore *store,
                   const DipkgGraph *graph, const DipkgServerOptions *opt,
                   DipkgServer **out)
{
  *out = NULL;
  // HOST:PORT, an IPv4 address (loopback by default).
  const char *colon = strrchr(opt->listen, ':');
  char host[64];
  char *end = NULL;
  unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
  if (!colon || (size_t)(colon - opt->listen) >= sizeof host || !end || *end ||
      port > 65535 || colon[1] == '\0')
    return usage(world, "--listen takes HOST:PORT, not", opt->listen);
  memcpy(host, opt->listen, (size_t)(colon - opt->listen));
  host[colon - opt->listen] = '\0';
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, *host ? host : "0.0.0.0", &addr.sin_addr) != 1)
    return usage(world, "--listen takes an IPv4 address, not", host);
  DipkgServer *srv = dipkg_calloc(1, sizeof *srv);
  if (!srv)
    return DIPKG_ERR_NO_MEMORY;
  srv->world = world;
  srv->store = store;
  srv->graph = graph;
  srv->opt = *opt;
  pthread_mutex_init(&srv->log_lock, NULL);
  // The path of the base IRI: "https://host/dipkg/" -> "/dipkg/".
  const char *b = strstr(world->base, "://");
  const char *path = b ? strchr(b + 3, '/') : NULL;
  srv->base_path = dipkg_strdup(path ? path : "/");
  if (!srv->base_path) {
    dipkg_server_stop(srv);
    return DIPKG_ERR_NO_MEMORY;
  }
  // The descriptions of the dataset and of the service, once: a bad
  // --dataset-meta file is an error here, not at each request.
  DipkgStatus st =
    dipkg_void_dataset(graph, opt->dataset_meta, &srv->void_graph);
  if (!st)
    st = dipkg_void_service(world, &srv->service_graph);
  if (st) {
    dipkg_server_stop(srv);
    return st;
  }
  signal(SIGPIPE, SIG_IGN);
  srv->daemon = MHD_start_daemon(
    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG,
    (uint16_t)port, NULL, NULL, handle, srv, MHD_OPTION_SOCK_ADDR, &addr,
    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(opt->threads ? opt->threads : 4),
    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_NOTIFY_COMPLETED,
    completed, srv, MHD_OPTION_END);
  if (!srv->daemon) {
    int err = errno;
    dipkg_server_stop(srv);
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, NULL,
                   (DipkgLoc){0, 0, 0}, "cannot listen on %s: %s", opt->listen,
                   strerror(err));
    dipkg_world_deliver(world, &list);
    return DIPKG_ERR_IO;
  }
  const union MHD_DaemonInfo *info =
    MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
  srv->port = info ? info->port : (unsigned)port;
  *out = srv;
  return DIPKG_SUCCESS;
}

unsigned
dipkg_server_port(const DipkgServer *srv)
{
  return srv ? srv->port : 0;
}

void
dipkg_server_stop(DipkgServer *srv)
{
  if (!srv)
    return;
  if (srv->daemon) {
    // Stop accepting, then let the requests in progress finish.
    MHD_quiesce_daemon(srv->daemon);
    MHD_stop_daemon(srv->daemon);
  }
  pthread_mutex_destroy(&srv->log_lock);
  dipkg_graph_free(srv->void_graph);
  dipkg_graph_free(srv->service_graph);
  dipkg_free(srv->base_path);
  dipkg_free(srv);
}
