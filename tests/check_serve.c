/* Linked-data publishing: resource descriptions and pages in the library,
 * then `dipkg serve` started on a free loopback port and spoken to over
 * raw sockets (conneg per type and suffix, 404/406, conditional GET, every
 * SPARQL request form and format, refusals, the time limit, malformed
 * requests, shutdown), then `dipkg publish`. */
#include "testutil.h"

#include "buf.h"
#include "graph.h"
#include "html.h"
#include "server.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EVENT "/event/japan-lifts-export-controls-2023"

/* ------------------------------------------------------------ library */

static DipkgGraph *
seed_graph(DipkgWorld *w)
{
  DipkgCorpus *c = dipkg_corpus_new(w);
  ck_assert_int_eq(dipkg_corpus_add_path(c, TU_FACTS), DIPKG_SUCCESS);
  DipkgGraph *g = NULL;
  ck_assert_int_eq(dipkg_corpus_graph(c, &g, NULL), DIPKG_SUCCESS);
  dipkg_corpus_free(c);
  return g;
}

static char *
graph_nt(const DipkgGraph *g)
{
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  ck_assert_int_eq(dipkg_graph_write(g, DIPKG_FORMAT_NTRIPLES, f),
                   DIPKG_SUCCESS);
  fclose(f);
  return text;
}

START_TEST(test_describe_has_own_linked_labels_and_incoming)
{
  DipkgWorld *w = tu_world();
  DipkgGraph *g = seed_graph(w), *d = NULL;
  ck_assert_int_eq(
    dipkg_graph_describe(
      g, "https://example.org/dipkg/event/japan-lifts-export-controls-2023",
      &d),
    DIPKG_SUCCESS);
  char *nt = graph_nt(d);
  // Its own statement, its quote (a fragment of it), the label of an
  // actor, and an event that points at it with that event's label.
  ck_assert_ptr_nonnull(
    strstr(nt, "<https://example.org/dipkg/event/"
               "japan-lifts-export-controls-2023> "
               "<https://w3id.org/dipkg/ns#actor> "
               "<https://example.org/dipkg/entity/japan-meti> ."));
  ck_assert_ptr_nonnull(
    strstr(nt, "<https://example.org/dipkg/event/"
               "japan-lifts-export-controls-2023#quote-1> "
               "<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/"
               "nif-core#anchorOf>"));
  ck_assert_ptr_nonnull(strstr(
    nt, "<https://example.org/dipkg/entity/south-korea> "
        "<http://www.w3.org/2000/01/rdf-schema#label> \"South Korea\"@en ."));
  // Nothing else of South Korea (its sameAs) comes with the label.
  ck_assert_ptr_null(strstr(nt,
                            "<https://example.org/dipkg/entity/south-korea> "
                            "<http://www.w3.org/2002/07/owl#sameAs>"));
  free(nt);
  dipkg_graph_free(d);
  // An unknown IRI: an empty description.
  ck_assert_int_eq(
    dipkg_graph_describe(g, "https://example.org/dipkg/event/nothing", &d),
    DIPKG_SUCCESS);
  ck_assert_uint_eq(dipkg_graph_size(d), 0);
  dipkg_graph_free(d);
  dipkg_graph_free(g);
  tu_world_free(w);
}
END_TEST

START_TEST(test_describe_incoming_statements)
{
  DipkgWorld *w = tu_world();
  DipkgGraph *g = seed_graph(w), *d = NULL;
  ck_assert_int_eq(
    dipkg_graph_describe(g, "https://example.org/dipkg/entity/south-korea", &d),
    DIPKG_SUCCESS);
  char *nt = graph_nt(d);
  ck_assert_ptr_nonnull(
    strstr(nt, "<https://example.org/dipkg/event/"
               "japan-lifts-export-controls-2023> "
               "<https://w3id.org/dipkg/ns#target> "
               "<https://example.org/dipkg/entity/south-korea> ."));
  ck_assert_ptr_nonnull(strstr(nt, "<https://example.org/dipkg/event/"
                                   "japan-lifts-export-controls-2023> "
                                   "<http://www.w3.org/2000/01/"
                                   "rdf-schema#label>"));
  free(nt);
  dipkg_graph_free(d);
  dipkg_graph_free(g);
  tu_world_free(w);
}
END_TEST

START_TEST(test_accept_quality)
{
  ck_assert(dipkg_accept_quality("text/turtle", "text/turtle") == 1);
  ck_assert(dipkg_accept_quality("text/html", "text/turtle") == -1);
  ck_assert(dipkg_accept_quality("text/*;q=0.3, */*;q=0.1", "text/turtle") ==
            0.3);
  // The most specific range wins, whatever the order.
  ck_assert(
    dipkg_accept_quality("*/*;q=0.9, text/turtle;q=0.2", "text/turtle") == 0.2);
  ck_assert(dipkg_accept_quality("text/turtle; charset=utf-8 ; q=0.5",
                                 "text/turtle") == 0.5);
  ck_assert(dipkg_accept_quality("TEXT/Turtle", "text/turtle") == 1);
  ck_assert(dipkg_accept_quality("text/turtle;q=0", "text/turtle") == 0);
}
END_TEST

/* A corpus whose quote and summary hold markup. */
static const char *
markup_corpus(void)
{
  tu_write("markup/a.txt",
           "Plain words. He said <script>alert(1)</script> & left. End.\n");
  return tu_write(
    "markup/a.yaml",
    "article: {id: a, headline: \"H <b>bold</b>\", publisher: ag, "
    "published: 2024-01-02, text: a.txt}\n"
    "entities:\n"
    "  - {id: ag, type: NewsOrganization, name: \"Ag <i>\"}\n"
    "  - {id: land, type: Country, name: Land}\n"
    "events:\n"
    "  - id: e\n"
    "    type: Meeting\n"
    "    date: 2024-01\n"
    "    title: \"Talks </title><script>x()</script>\"\n"
    "    participants: [land]\n"
    "    summary: \"a <script>alert(2)</script> summary\"\n"
    "    quotes: [\"<script>alert(1)</script>\"]\n");
}

START_TEST(test_html_escapes_everything)
{
  DipkgWorld *w = tu_world();
  DipkgCorpus *c = dipkg_corpus_new(w);
  const char *path = markup_corpus();
  ck_assert_int_eq(dipkg_corpus_add_path(c, path), DIPKG_SUCCESS);
  DipkgGraph *g = NULL;
  ck_assert_int_eq(dipkg_corpus_graph(c, &g, NULL), DIPKG_SUCCESS);
  DipkgBuf b = DIPKG_BUF_INIT;
  DipkgHtmlSite site = {"/", false};
  ck_assert_int_eq(
    dipkg_html_resource(g, "https://example.org/dipkg/event/e", &site, &b),
    DIPKG_SUCCESS);
  const char *html = dipkg_buf_cstr(&b);
  // The only <script> is the JSON-LD one, and it holds no "</".
  const char *script = strstr(html, "<script");
  ck_assert_ptr_nonnull(script);
  ck_assert_ptr_nonnull(
    strstr(script, "<script type=\"application/ld+json\">"));
  const char *close = strstr(script, "</script>");
  ck_assert_ptr_nonnull(close);
  ck_assert_ptr_null(strstr(close + 1, "<script"));
  const char *inner = script + strlen("<script type=\"application/ld+json\">");
  for (const char *p = inner; p < close; p++)
    ck_assert(!(p[0] == '<' && p[1] == '/'));
  // The quote shows as text, marked in its sentence; the date's precision.
  ck_assert_ptr_nonnull(strstr(html, "He said <mark>&lt;script&gt;alert(1)"
                                     "&lt;/script&gt;</mark> &amp; left."));
  ck_assert_ptr_nonnull(strstr(html, "a &lt;script&gt;alert(2)&lt;/script&gt;"
                                     " summary"));
  ck_assert_ptr_nonnull(strstr(html, "2024-01 <span class=\"type\">(month)"));
  // Outside the JSON-LD (where markup is inert text), no markup of the data.
  ck_assert_ptr_null(strstr(close, "<b>"));
  ck_assert_ptr_null(strstr(close, "<i>"));
  ck_assert_ptr_nonnull(strstr(close, "H &lt;b&gt;bold&lt;/b&gt;"));
  dipkg_buf_free(&b);
  dipkg_graph_free(g);
  dipkg_corpus_free(c);
  tu_world_free(w);
}
END_TEST

/* ------------------------------------------------------------- server */

static pid_t server_pid;
static unsigned port;
static char *server_log;  // path of the server's standard error

static void
start_server(void)
{
  char log[4096];
  snprintf(log, sizeof log, "%s/serve.log", tu_scratch());
  server_log = strdup(log);
  server_pid = fork();
  if (server_pid == 0) {
    FILE *f = freopen(log, "w", stderr);
    (void)f;
    execl(tu_exe(), tu_exe(), "serve", "--listen", "127.0.0.1:0",
          "--query-timeout", "2", "--threads", "4", TU_FACTS, (char *)NULL);
    _exit(127);
  }
  // The first line of the log names the port.
  for (int i = 0; i < 600 && !port; i++) {
    usleep(50000);
    char *text = tu_read_file(log, NULL);
    const char *at = text ? strstr(text, "127.0.0.1:") : NULL;
    if (at)
      port = (unsigned)atoi(at + strlen("127.0.0.1:"));
    free(text);
  }
  ck_assert_uint_ne(port, 0);
}

static void
stop_server(void)
{
  if (server_pid > 0) {
    kill(server_pid, SIGTERM);
    waitpid(server_pid, NULL, 0);
  }
  free(server_log);
}

typedef struct Resp {
  int status;
  char *head;  // status line and headers
  char *body;
  size_t body_len;
  double seconds;
} Resp;

static void
resp_free(Resp *r)
{
  free(r->head);
  free(r->body);
}

/* Sends `raw` (`len` bytes) and reads the answer until the server closes. */
static Resp
http_raw(const char *raw, size_t len)
{
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ck_assert_int_ge(fd, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
  signal(SIGPIPE, SIG_IGN);
  for (size_t done = 0; done < len;) {
    ssize_t n = write(fd, raw + done, len - done);
    if (n <= 0)
      break;  // the server may answer and close before reading it all
    done += (size_t)n;
  }
  shutdown(fd, SHUT_WR);
  DipkgBuf b = DIPKG_BUF_INIT;
  char chunk[65536];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0)
    dipkg_buf_append(&b, chunk, (size_t)n);
  close(fd);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  Resp r = {0};
  r.seconds =
    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  const char *text = dipkg_buf_cstr(&b);
  if (text && !strncmp(text, "HTTP/1.", 7))
    r.status = atoi(text + 9);
  const char *sep = text ? strstr(text, "\r\n\r\n") : NULL;
  if (sep) {
    r.head = strndup(text, (size_t)(sep - text) + 2);
    r.body_len = b.len - (size_t)(sep + 4 - text);
    r.body = strndup(sep + 4, r.body_len);
  } else {
    r.head = strdup(text ? text : "");
    r.body = strdup("");
  }
  dipkg_buf_free(&b);
  return r;
}

/* A request: METHOD TARGET, extra header lines (each ending "\r\n"), and
 * a body. */
static Resp
http(const char *method, const char *target, const char *headers,
     const char *body)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_printf(&b,
                   "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Connection: close\r\n%s",
                   method, target, headers ? headers : "");
  if (body)
    dipkg_buf_printf(&b, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
  else
    dipkg_buf_puts(&b, "\r\n");
  Resp r = http_raw(b.data, b.len);
  dipkg_buf_free(&b);
  return r;
}

/* The value of header `name` (case-insensitive) in `r` (static storage). */
static const char *
header(const Resp *r, const char *name)
{
  static char value[1024];
  size_t n = strlen(name);
  for (const char *line = strstr(r->head, "\r\n"); line && line[2];
       line = strstr(line + 2, "\r\n")) {
    const char *l = line + 2;
    if (!strncasecmp(l, name, n) && l[n] == ':') {
      const char *v = l + n + 1;
      while (*v == ' ')
        v++;
      size_t len = strcspn(v, "\r\n");
      snprintf(value, sizeof value, "%.*s", (int)len, v);
      return value;
    }
  }
  return NULL;
}

START_TEST(test_conneg_303_per_type)
{
  static const struct {
    const char *accept, *suffix;
  } cases[] = {
    {"Accept: text/turtle\r\n", ".ttl"},
    {"Accept: application/ld+json\r\n", ".jsonld"},
    {"Accept: application/n-triples\r\n", ".nt"},
    {"Accept: application/rdf+xml\r\n", ".rdf"},
    {"Accept: text/html\r\n", ".html"},
    {"", ".html"},
    {"Accept: */*\r\n", ".html"},
    {"Accept: text/turtle;q=0.5, application/ld+json\r\n", ".jsonld"},
    {"Accept: text/html;q=0.1, application/*;q=0.5\r\n", ".jsonld"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    Resp r = http("GET", EVENT, cases[i].accept, NULL);
    ck_assert_int_eq(r.status, 303);
    char want[256];
    snprintf(want, sizeof want, "%s%s", EVENT, cases[i].suffix);
    ck_assert_str_eq(header(&r, "Location"), want);
    ck_assert_str_eq(header(&r, "Vary"), "Accept");
    resp_free(&r);
  }
}
END_TEST

START_TEST(test_suffixes_answer_directly)
{
  static const struct {
    const char *suffix, *type, *needle;
  } cases[] = {
    {".ttl", "text/turtle; charset=utf-8", "@prefix dip:"},
    {".nt", "application/n-triples; charset=utf-8",
     "<https://example.org/dipkg/entity/japan-meti>"},
    {".jsonld", "application/ld+json; charset=utf-8", "\"@context\""},
    {".rdf", "application/rdf+xml; charset=utf-8", "<rdf:RDF"},
    {".html", "text/html; charset=utf-8", "<h1>Japan lifts export controls"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char target[256];
    snprintf(target, sizeof target, "%s%s", EVENT, cases[i].suffix);
    Resp r = http("GET", target, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(header(&r, "Content-Type"), cases[i].type);
    ck_assert_str_eq(header(&r, "Access-Control-Allow-Origin"), "*");
    ck_assert_ptr_nonnull(header(&r, "ETag"));
    ck_assert_msg(strstr(r.body, cases[i].needle), "%s lacks %s", target,
                  cases[i].needle);
    resp_free(&r);
  }
  // The base's own path works too.
  Resp r = http("GET", "/dipkg" EVENT ".ttl", NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  resp_free(&r);
}
END_TEST

START_TEST(test_404_406)
{
  Resp r = http("GET", "/event/no-such-event", NULL, NULL);
  ck_assert_int_eq(r.status, 404);
  resp_free(&r);
  r = http("GET", "/event/no-such-event.ttl", NULL, NULL);
  ck_assert_int_eq(r.status, 404);
  resp_free(&r);
  r = http("GET", EVENT, "Accept: image/png\r\n", NULL);
  ck_assert_int_eq(r.status, 406);
  resp_free(&r);
  r = http("GET", EVENT, "Accept: text/turtle;q=0\r\n", NULL);
  ck_assert_int_eq(r.status, 406);
  resp_free(&r);
}
END_TEST

START_TEST(test_conditional_get)
{
  Resp r = http("GET", EVENT ".ttl", NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  char etag[64];
  snprintf(etag, sizeof etag, "%s", header(&r, "ETag"));
  resp_free(&r);
  char h[128];
  snprintf(h, sizeof h, "If-None-Match: %s\r\n", etag);
  r = http("GET", EVENT ".ttl", h, NULL);
  ck_assert_int_eq(r.status, 304);
  ck_assert_uint_eq(r.body_len, 0);
  ck_assert_str_eq(header(&r, "ETag"), etag);
  resp_free(&r);
  snprintf(h, sizeof h, "If-None-Match: \"other\", %s\r\n", etag);
  r = http("GET", EVENT ".ttl", h, NULL);
  ck_assert_int_eq(r.status, 304);
  resp_free(&r);
  r = http("GET", EVENT ".ttl", "If-None-Match: \"other\"\r\n", NULL);
  ck_assert_int_eq(r.status, 200);
  resp_free(&r);
  // Another representation has another tag.
  r = http("GET", EVENT ".nt", NULL, NULL);
  ck_assert_str_ne(header(&r, "ETag"), etag);
  resp_free(&r);
}
END_TEST

START_TEST(test_cors_and_methods)
{
  Resp r = http("OPTIONS", "/sparql", NULL, NULL);
  ck_assert_int_eq(r.status, 204);
  ck_assert_str_eq(header(&r, "Access-Control-Allow-Origin"), "*");
  resp_free(&r);
  r = http("DELETE", EVENT, NULL, NULL);
  ck_assert_int_eq(r.status, 405);
  resp_free(&r);
  r = http("HEAD", EVENT ".ttl", NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_eq(r.body_len, 0);
  resp_free(&r);
}
END_TEST

#define Q_SELECT "SELECT ?e WHERE { ?e a dip:Summit }"
#define Q_SELECT_ENC                                                           \
  "SELECT%20%3Fe%20WHERE%20%7B%20%3Fe%20a%20dip%3ASummit%20%7D"

START_TEST(test_sparql_forms_and_formats)
{
  const char *summit =
    "https://example.org/dipkg/event/yoon-kishida-summit-2023";
  // GET, default JSON.
  Resp r = http("GET", "/sparql?query=" Q_SELECT_ENC, NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(header(&r, "Content-Type"),
                   "application/sparql-results+json");
  ck_assert_ptr_nonnull(strstr(r.body, summit));
  resp_free(&r);
  // POST form, XML.
  r = http("POST", "/sparql",
           "Content-Type: application/x-www-form-urlencoded\r\n"
           "Accept: application/sparql-results+xml\r\n",
           "query=" Q_SELECT_ENC);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<sparql xmlns="));
  ck_assert_ptr_nonnull(strstr(r.body, summit));
  resp_free(&r);
  // POST form with '+' for spaces.
  r = http("POST", "/sparql",
           "Content-Type: application/x-www-form-urlencoded\r\n"
           "Accept: text/csv\r\n",
           "query=SELECT+%3Fe+WHERE+%7B+%3Fe+a+dip%3ASummit+%7D");
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(header(&r, "Content-Type"), "text/csv; charset=utf-8");
  ck_assert_ptr_nonnull(strstr(r.body, "e\r\n"));
  resp_free(&r);
  // POST the query itself, TSV.
  r = http("POST", "/sparql",
           "Content-Type: application/sparql-query\r\n"
           "Accept: text/tab-separated-values\r\n",
           Q_SELECT);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "?e\n<"));
  resp_free(&r);
  // ASK.
  r = http("POST", "/sparql", "Content-Type: application/sparql-query\r\n",
           "ASK { ?e a dip:Summit }");
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "\"boolean\": true"));
  resp_free(&r);
  // CONSTRUCT: Turtle by default, N-Triples on request, 406 for a table
  // type.
  const char *construct = "CONSTRUCT { ?e a dip:Summit } WHERE { ?e a "
                          "dip:Summit }";
  r = http("POST", "/sparql", "Content-Type: application/sparql-query\r\n",
           construct);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(header(&r, "Content-Type"), "text/turtle; charset=utf-8");
  ck_assert_ptr_nonnull(strstr(r.body, "event:yoon-kishida-summit-2023"));
  resp_free(&r);
  r = http("POST", "/sparql",
           "Content-Type: application/sparql-query\r\n"
           "Accept: application/n-triples\r\n",
           construct);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<https://w3id.org/dipkg/ns#Summit> ."));
  resp_free(&r);
  r = http("POST", "/sparql",
           "Content-Type: application/sparql-query\r\n"
           "Accept: application/ld+json\r\n",
           construct);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(header(&r, "Content-Type"),
                   "application/ld+json; charset=utf-8");
  ck_assert_ptr_nonnull(
    strstr(r.body, "\"@id\": \"event:yoon-kishida-summit-2023\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"@type\": \"dip:Summit\""));
  resp_free(&r);
  r = http("POST", "/sparql",
           "Content-Type: application/sparql-query\r\nAccept: text/csv\r\n",
           construct);
  ck_assert_int_eq(r.status, 406);
  resp_free(&r);
  // An unknown POST type.
  r = http("POST", "/sparql", "Content-Type: text/plain\r\n", Q_SELECT);
  ck_assert_int_eq(r.status, 415);
  resp_free(&r);
}
END_TEST

/* The answer of `dipkg query -f csv -e QUERY facts` (caller frees). */
static char *
cli_answer(const char *query)
{
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "%s query -f csv -e '%s' %s", tu_exe(), query,
           TU_FACTS);
  char *out = NULL;
  ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
  return out;
}

#define GRAPH_IRI "https://example.org/dipkg/graph/"
#define GRAPH_ENC "https%3A%2F%2Fexample.org%2Fdipkg%2Fgraph%2F"
#define ARTICLE "ap-2023-03-23-japan-south-korea-export-claims"

/* A CSV answer from /sparql to `method` with `params` (form-encoded: in
 * the URL for GET, the body for a form POST) and, for a direct POST, the
 * query as the body. */
static Resp
csv_query(const char *method, const char *params, const char *body)
{
  char target[4096];
  bool in_url = !strcmp(method, "GET") || body;
  snprintf(target, sizeof target, "/sparql%s%s", in_url ? "?" : "",
           in_url ? params : "");
  const char *headers =
    !strcmp(method, "GET") ? "Accept: text/csv\r\n"
    : body ? "Accept: text/csv\r\nContent-Type: application/sparql-query\r\n"
           : "Accept: text/csv\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\n";
  return http(method, target, headers, body ? body : in_url ? NULL : params);
}

START_TEST(test_sparql_dataset_parameters)
{
  // default-graph-uri and named-graph-uri define the dataset (SPARQL 1.1
  // Protocol 2.1.4): the endpoint answers as `dipkg query` does over the
  // same graphs.  Several default graphs merge into the default graph.
  // SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l) = "en") }
  // ORDER BY ?s
  const char *labels_enc =
    "SELECT%20%3Fs%20%3Fl%20WHERE%20%7B%20%3Fs%20rdfs%3Alabel%20%3Fl%20"
    "FILTER(lang(%3Fl)%20%3D%20%22en%22)%20%7D%20ORDER%20BY%20%3Fs";
  char params[4096];
  snprintf(params, sizeof params, "query=%s&%s&%s", labels_enc,
           "default-graph-uri=" GRAPH_ENC "entity%2Fjapan",
           "default-graph-uri=" GRAPH_ENC "entity%2Ftokyo");
  char *want =
    cli_answer("SELECT ?s ?l WHERE { GRAPH ?g { ?s rdfs:label ?l } FILTER(?g "
               "IN (<" GRAPH_IRI "entity/japan>, <" GRAPH_IRI
               "entity/tokyo>) && lang(?l) = \"en\") } "
               "ORDER BY ?s");
  ck_assert_ptr_nonnull(strstr(want, "entity/japan,Japan"));
  ck_assert_ptr_nonnull(strstr(want, "entity/tokyo,Tokyo"));
  for (int form = 0; form < 2; form++) {
    Resp r = csv_query(form ? "POST" : "GET", params, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, want);
    resp_free(&r);
  }
  free(want);
  Resp r;
  // named-graph-uri: GRAPH ?g ranges over the graphs given, a graph the
  // data lacks is empty (no row, no error), and with no default-graph-uri
  // the default graph is empty.
  // SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY
  // ?g ORDER BY ?g
  snprintf(params, sizeof params, "%s",
           "query=SELECT%20%3Fg%20(COUNT(*)%20AS%20%3Fn)"
           "%20WHERE%20%7B%20GRAPH%20"
           "%3Fg%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D%20GROUP"
           "%20BY%20%3Fg%20ORDER%20BY%20%3Fg"
           "&named-graph-uri=" GRAPH_ENC "entity%2Fjapan"
           "&named-graph-uri=https%3A%2F%2Fnowhere.example%2Fg"
           "&named-graph-uri=" GRAPH_ENC "entity%2Ftokyo");
  want = cli_answer("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o "
                    "} FILTER(?g IN (<" GRAPH_IRI "entity/japan>, <" GRAPH_IRI
                    "entity/tokyo>)) } GROUP BY ?g ORDER BY ?g");
  ck_assert_ptr_nonnull(strstr(want, "entity/japan,"));
  ck_assert_ptr_nonnull(strstr(want, "entity/tokyo,"));
  for (int form = 0; form < 2; form++) {
    r = csv_query(form ? "POST" : "GET", params, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body, want);
    resp_free(&r);
  }
  free(want);
  r = csv_query("POST", "named-graph-uri=" GRAPH_ENC "entity%2Fjapan",
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "n\r\n0\r\n");
  resp_free(&r);
  // GRAPH <iri> over a graph outside the named graphs given (one the data
  // holds, one it lacks): no solution.
  r = csv_query("POST", "named-graph-uri=" GRAPH_ENC "entity%2Fjapan",
                "SELECT * WHERE { GRAPH <" GRAPH_IRI
                "entity/tokyo> { ?s ?p ?o } }");
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "s,p,o\r\n");
  resp_free(&r);
  r = csv_query("POST", "default-graph-uri=" GRAPH_ENC "entity%2Fjapan",
                "SELECT * WHERE { GRAPH <https://nowhere.example/g> { ?s ?p "
                "?o } }");
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "s,p,o\r\n");
  resp_free(&r);
  // A default graph the data lacks: an empty default graph.
  r = csv_query("POST", "default-graph-uri=https%3A%2F%2Fnowhere.example%2Fg",
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "n\r\n0\r\n");
  resp_free(&r);
  // Without parameters the query's own dataset holds: FROM reads the
  // article's graph.
  r = csv_query("POST", "",
                "SELECT (COUNT(*) AS ?n) FROM <" GRAPH_IRI
                "entity/japan> WHERE { ?s ?p ?o }");
  ck_assert_int_eq(r.status, 200);
  want = cli_answer("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <" GRAPH_IRI
                    "entity/japan> { ?s ?p ?o } }");
  ck_assert_str_eq(r.body, want);
  free(want);
  resp_free(&r);
  // Not an absolute IRI: 400.
  r = http("GET", "/sparql?query=" Q_SELECT_ENC "&default-graph-uri=a%20b",
           NULL, NULL);
  ck_assert_int_eq(r.status, 400);
  resp_free(&r);
  r = http("GET", "/sparql?query=" Q_SELECT_ENC "&named-graph-uri=relative",
           NULL, NULL);
  ck_assert_int_eq(r.status, 400);
  resp_free(&r);
}
END_TEST

START_TEST(test_sparql_dataset_overrides_from)
{
  // The query's FROM is overridden by default-graph-uri (here in the URL
  // of a direct POST): the answer is that of the default graph given, not
  // of the article's graph.
  Resp r = csv_query("POST", "default-graph-uri=" GRAPH_ENC "entity%2Fjapan",
                     "SELECT ?s ?l FROM <" GRAPH_IRI ARTICLE "> WHERE { ?s "
                     "rdfs:label ?l FILTER(lang(?l) = \"en\") } ORDER BY ?s");
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "s,l\r\nhttps://example.org/dipkg/entity/"
                           "japan,Japan\r\n");
  resp_free(&r);
  // FROM NAMED (which dipkg refuses in a query alone) is overridden by
  // named-graph-uri: GRAPH ?g ranges over the graph given.
  r = csv_query(
    "GET",
    "query=SELECT%20DISTINCT%20%3Fg%20FROM%20NAMED%20%3C" GRAPH_ENC ARTICLE
    "%3E%20WHERE%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs%20%3Fp"
    "%20%3Fo%20%7D%20%7D&named-graph-uri=" GRAPH_ENC "entity%2Ftokyo",
    NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body, "g\r\n" GRAPH_IRI "entity/tokyo\r\n");
  resp_free(&r);
  // A query with both FROM and FROM NAMED, and both parameters.
  r = csv_query("POST",
                "default-graph-uri=" GRAPH_ENC "entity%2Ftokyo"
                "&named-graph-uri=" GRAPH_ENC "entity%2Fjapan",
                "SELECT ?s ?g FROM <" GRAPH_IRI ARTICLE
                "> FROM NAMED <" GRAPH_IRI ARTICLE
                "> WHERE { ?s a dip:City . GRAPH ?g { ?c "
                "a dip:Country } }");
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(r.body,
                   "s,g\r\nhttps://example.org/dipkg/entity/tokyo," GRAPH_IRI
                   "entity/japan\r\n");
  resp_free(&r);
  // Without the parameters FROM NAMED is still refused, with its reason.
  r = csv_query("POST", "",
                "SELECT ?g FROM NAMED <" GRAPH_IRI ARTICLE "> WHERE { GRAPH "
                "?g { ?s ?p ?o } }");
  ck_assert_int_eq(r.status, 400);
  ck_assert_ptr_nonnull(strstr(r.body, "FROM NAMED is not supported"));
  resp_free(&r);
}
END_TEST

START_TEST(test_sparql_refusals)
{
  Resp r = http("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%7D",
                NULL, NULL);
  ck_assert_int_eq(r.status, 400);
  ck_assert_ptr_nonnull(strstr(r.body, "query:1:"));
  ck_assert_ptr_nonnull(strstr(r.body, "syntax error"));
  resp_free(&r);
  r = http("POST", "/sparql", "Content-Type: application/sparql-update\r\n",
           "INSERT DATA { <a:b> <a:c> <a:d> }");
  ck_assert_int_eq(r.status, 400);
  ck_assert_ptr_nonnull(strstr(r.body, "Update is not supported"));
  resp_free(&r);
  r = http("POST", "/sparql",
           "Content-Type: application/x-www-form-urlencoded\r\n",
           "update=INSERT+DATA+%7B%7D");
  ck_assert_int_eq(r.status, 400);
  ck_assert_ptr_nonnull(strstr(r.body, "Update is not supported"));
  resp_free(&r);
  r = http("POST", "/sparql",
           "Content-Type: application/x-www-form-urlencoded\r\n", "x=1");
  ck_assert_int_eq(r.status, 400);
  resp_free(&r);
}
END_TEST

START_TEST(test_service_description_and_void)
{
  Resp r = http("GET", "/sparql", NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "sparql-service-description#Service"));
  resp_free(&r);
  r = http("GET", "/sparql", "Accept: text/html\r\n", NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<form"));
  resp_free(&r);
  r = http("GET", "/.well-known/void", NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<http://rdfs.org/ns/void#triples>"));
  ck_assert_ptr_nonnull(strstr(r.body, "http://www.w3.org/ns/dcat#Dataset"));
  ck_assert_ptr_nonnull(strstr(r.body, "/sparql>"));
  resp_free(&r);
  r = http("GET", "/.well-known/void", "Accept: application/ld+json\r\n", NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "\"@graph\""));
  resp_free(&r);
}
END_TEST

START_TEST(test_pages)
{
  Resp r = http("GET", "/", NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<h2>Events</h2>"));
  ck_assert_ptr_nonnull(strstr(r.body, "href=\"" EVENT "\""));
  resp_free(&r);
  r = http("GET", EVENT ".html", NULL, NULL);
  ck_assert_ptr_nonnull(strstr(r.body, "CAMEO <code>085</code>"));
  ck_assert_ptr_nonnull(strstr(r.body, "PLOVER <code>RETREAT</code>"));
  ck_assert_ptr_nonnull(strstr(r.body, "<mark>Japan and South Korea almost"));
  ck_assert_ptr_nonnull(strstr(r.body, "Reverses <a href=\"/event/"
                                       "japan-tightens-export-controls-2019"));
  ck_assert_ptr_nonnull(strstr(r.body, "\"@type\": \"Event\""));
  ck_assert_ptr_nonnull(strstr(r.body, "href=\"" EVENT ".ttl\""));
  resp_free(&r);
  r = http("GET", "/entity/japan.html", NULL, NULL);
  ck_assert_ptr_nonnull(strstr(r.body, "<h2>Timeline</h2>"));
  ck_assert_ptr_nonnull(strstr(r.body, "<time>2019"));
  resp_free(&r);
  r = http("GET", "/style.css", NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  resp_free(&r);
}
END_TEST

START_TEST(test_timeout_while_others_are_served)
{
  // A cross product of every statement with itself, three times.
  pid_t slow = fork();
  if (slow == 0) {
    Resp s =
      http("POST", "/sparql", "Content-Type: application/sparql-query\r\n",
           "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
           "?g ?h ?i }");
    _exit(s.status == 503 && strstr(s.body, "time limit") && s.seconds < 5 ? 0
                                                                           : 1);
  }
  usleep(300000);
  for (int i = 0; i < 5; i++) {
    Resp r = http("GET", EVENT ".ttl", NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert(r.seconds < 1);
    resp_free(&r);
  }
  Resp q = http("GET", "/sparql?query=" Q_SELECT_ENC, NULL, NULL);
  ck_assert_int_eq(q.status, 200);
  resp_free(&q);
  int status = 0;
  waitpid(slow, &status, 0);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

START_TEST(test_malformed_requests)
{
  static const char garbage[] = "NONSENSE\r\n\r\n";
  Resp r = http_raw(garbage, sizeof garbage - 1);
  ck_assert(r.status == 0 || (r.status >= 400 && r.status < 500));
  resp_free(&r);
  // Headers past the limit.
  size_t big = 200 << 10;
  char *h = malloc(big + 64);
  memcpy(h, "X-Big: ", 7);
  memset(h + 7, 'a', big);
  memcpy(h + 7 + big, "\r\n", 3);
  r = http("GET", EVENT ".ttl", h, NULL);
  ck_assert_int_ge(r.status, 400);
  ck_assert_int_lt(r.status, 500);
  resp_free(&r);
  // A URL past the limit.
  char *url = malloc(big + 16);
  memcpy(url, "/event/", 7);
  memset(url + 7, 'x', big);
  url[7 + big] = '\0';
  r = http("GET", url, NULL, NULL);
  ck_assert_int_ge(r.status, 400);
  ck_assert_int_lt(r.status, 500);
  resp_free(&r);
  // A body past the limit.
  char *body = malloc((2u << 20) + 16);
  memcpy(body, "query=", 6);
  memset(body + 6, 'a', 2u << 20);
  body[6 + (2u << 20)] = '\0';
  r = http("POST", "/sparql",
           "Content-Type: application/x-www-form-urlencoded\r\n", body);
  ck_assert_int_eq(r.status, 413);
  resp_free(&r);
  free(h), free(url), free(body);
  // A percent sign at the end of a form stays a '%': a located error.
  r = http("POST", "/sparql",
           "Content-Type: application/x-www-form-urlencoded\r\n",
           "query=ASK%7B%7D%");
  ck_assert_int_eq(r.status, 400);
  ck_assert_ptr_nonnull(strstr(r.body, "query:1:6:"));
  resp_free(&r);
  // Still serving.
  r = http("GET", EVENT ".ttl", NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  resp_free(&r);
}
END_TEST

START_TEST(test_access_log)
{
  Resp r = http("GET", EVENT ".nt?log-check", NULL, NULL);
  resp_free(&r);
  usleep(100000);
  char *log = tu_read_file(server_log, NULL);
  ck_assert_ptr_nonnull(log);
  ck_assert_ptr_nonnull(strstr(log, "127.0.0.1 "));
  ck_assert_ptr_nonnull(strstr(log, "\"GET " EVENT ".nt\" 200 "));
  free(log);
}
END_TEST

/* ------------------------------------------------------ the commands */

START_TEST(test_serve_stops_gracefully)
{
  char log[4096];
  snprintf(log, sizeof log, "%s/graceful.log", tu_scratch());
  pid_t pid = fork();
  if (pid == 0) {
    FILE *f = freopen(log, "w", stderr);
    (void)f;
    execl(tu_exe(), tu_exe(), "serve", "--listen", "127.0.0.1:0", TU_FACTS,
          (char *)NULL);
    _exit(127);
  }
  char *text = NULL;
  for (int i = 0; i < 600; i++) {
    usleep(50000);
    free(text);
    text = tu_read_file(log, NULL);
    if (text && strstr(text, "serving"))
      break;
  }
  ck_assert_ptr_nonnull(strstr(text, "serving"));
  free(text);
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ck_assert(WIFEXITED(status));
  ck_assert_int_eq(WEXITSTATUS(status), 0);
  text = tu_read_file(log, NULL);
  ck_assert_ptr_nonnull(strstr(text, "dipkg: stopped"));
  free(text);
}
END_TEST

START_TEST(test_serve_a_store)
{
  char cmd[8192], log[4096];
  // Loaded under a base of its own: serve, without --base, uses the base
  // the store recorded (as query --store does), or no IRI would resolve.
  snprintf(cmd, sizeof cmd,
           "%s load -q --base https://data.example.net/kg/ --store bdb:%s/kg "
           "%s",
           tu_exe(), tu_scratch(), TU_FACTS);
  ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
  snprintf(log, sizeof log, "%s/store.log", tu_scratch());
  snprintf(cmd, sizeof cmd, "bdb:%s/kg", tu_scratch());
  pid_t pid = fork();
  if (pid == 0) {
    FILE *f = freopen(log, "w", stderr);
    (void)f;
    execl(tu_exe(), tu_exe(), "serve", "--listen", "127.0.0.1:0", "--store",
          cmd, (char *)NULL);
    _exit(127);
  }
  unsigned saved = port;
  port = 0;
  for (int i = 0; i < 600 && !port; i++) {
    usleep(50000);
    char *text = tu_read_file(log, NULL);
    const char *at = text ? strstr(text, "127.0.0.1:") : NULL;
    if (at)
      port = (unsigned)atoi(at + strlen("127.0.0.1:"));
    free(text);
  }
  ck_assert_uint_ne(port, 0);
  char *started = tu_read_file(log, NULL);
  ck_assert_ptr_nonnull(strstr(started, "(base https://data.example.net/kg/)"));
  free(started);
  Resp r = http("GET", "/entity/japan.html", NULL, NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<h1>Japan</h1>"));
  resp_free(&r);
  r = http("GET", "/sparql?query=" Q_SELECT_ENC, "Accept: text/csv\r\n", NULL);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "yoon-kishida-summit-2023"));
  resp_free(&r);
  port = saved;
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

START_TEST(test_serve_usage_errors)
{
  char cmd[4096];
  char *err = NULL;
  snprintf(cmd, sizeof cmd, "%s serve --listen nowhere facts", tu_exe());
  ck_assert_int_eq(tu_run(cmd, NULL, &err), 2);
  ck_assert_ptr_nonnull(strstr(err, "--listen takes HOST:PORT"));
  free(err);
  // A --dataset-meta file that does not parse: a located error at start.
  snprintf(cmd, sizeof cmd,
           "%s serve --listen 127.0.0.1:0 --dataset-meta %s "
           "facts",
           tu_exe(), tu_write("meta.ttl", "oops <"));
  ck_assert_int_eq(tu_run(cmd, NULL, &err), 1);
  ck_assert_ptr_nonnull(strstr(err, "meta.ttl:1:1: error: RDF syntax error"));
  free(err);
  snprintf(cmd, sizeof cmd, "%s serve --query-timeout x facts", tu_exe());
  ck_assert_int_eq(tu_run(cmd, NULL, &err), 2);
  ck_assert_ptr_nonnull(strstr(err, "invalid --query-timeout"));
  free(err);
}
END_TEST

START_TEST(test_publish_rewrites_only_changes)
{
  char dir[2048], cmd[8192];
  snprintf(dir, sizeof dir, "%s/site", tu_scratch());
  snprintf(cmd, sizeof cmd, "%s publish -o %s %s", tu_exe(), dir, TU_FACTS);
  char *err = NULL;
  ck_assert_int_eq(tu_run(cmd, NULL, &err), 0);
  ck_assert_ptr_nonnull(strstr(err, " 0 unchanged"));
  free(err);
  char path[8192];
  snprintf(path, sizeof path, "%s%s/index.html", dir, EVENT);
  char *page = tu_read_file(path, NULL);
  ck_assert_ptr_nonnull(page);
  // Relative links, the documents beside the page.
  ck_assert_ptr_nonnull(strstr(page, "href=\"../../entity/japan-meti/\""));
  ck_assert_ptr_nonnull(strstr(page, "href=\"index.ttl\""));
  // The article that reports the event (dip:reportedIn), after its quotes.
  ck_assert_ptr_nonnull(strstr(page, "<p>From "));
  ck_assert_ptr_nonnull(strstr(page, "<dt>Source</dt>"));
  free(page);
  static const char *const files[] = {"index.html",
                                      "style.css",
                                      "void.ttl",
                                      "sitemap.xml",
                                      ".htaccess",
                                      "nginx.conf",
                                      "context.jsonld",
                                      "dump/dataset.ttl",
                                      "dump/dataset.nq.gz",
                                      "entity/japan/index.ttl",
                                      "entity/japan/index.jsonld",
                                      "entity/japan/index.nt"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    struct stat sb;
    ck_assert_msg(!stat(path, &sb) && sb.st_size > 0, "%s missing", files[i]);
  }
  // Again: nothing written.
  ck_assert_int_eq(tu_run(cmd, NULL, &err), 0);
  ck_assert_ptr_nonnull(strstr(err, ": 0 files written"));
  free(err);
  // One file changed by hand is put back, alone.
  snprintf(path, sizeof path, "%s/entity/japan/index.nt", dir);
  FILE *f = fopen(path, "w");
  fputs("changed\n", f);
  fclose(f);
  ck_assert_int_eq(tu_run(cmd, NULL, &err), 0);
  ck_assert_ptr_nonnull(strstr(err, ": 1 files written"));
  free(err);
  // The dump is gzip, and the N-Quads export (with graph names) in it.
  snprintf(cmd, sizeof cmd,
           "gzip -dc %s/dump/dataset.nq.gz | cmp - %s/expected.nq && "
           "grep -c 'graph/' %s/expected.nq",
           dir, tu_scratch(), tu_scratch());
  char export[8192];
  snprintf(export, sizeof export, "%s export -q -f nquads -o %s/expected.nq %s",
           tu_exe(), tu_scratch(), TU_FACTS);
  ck_assert_int_eq(tu_run(export, NULL, NULL), 0);
  char *out = NULL;
  ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
  ck_assert_int_gt(atoi(out), 100);
  free(out);
}
END_TEST

START_TEST(test_export_void)
{
  char cmd[8192];
  snprintf(cmd, sizeof cmd,
           "%s export -q -o %s/all.nt --void %s/void.ttl %s && "
           "rapper -q -i turtle -o ntriples %s/void.ttl",
           tu_exe(), tu_scratch(), tu_scratch(), TU_FACTS, tu_scratch());
  char *out = NULL;
  ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
  // The export's 1105 statements, counted; the 27 events among the classes.
  ck_assert_ptr_nonnull(strstr(out, "<http://rdfs.org/ns/void#triples> "
                                    "\"1105\"^^"));
  ck_assert_ptr_nonnull(
    strstr(out, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                "<http://www.w3.org/ns/dcat#Dataset>"));
  ck_assert_ptr_nonnull(strstr(out, "<https://example.org/dipkg/sparql>"));
  free(out);
  // A VoID file that cannot be written fails the export.
  snprintf(cmd, sizeof cmd,
           "%s export -q -o %s/all2.nt --void /nonexistent/v.ttl %s", tu_exe(),
           tu_scratch(), TU_FACTS);
  ck_assert_int_ne(tu_run(cmd, NULL, NULL), 0);
}
END_TEST

START_TEST(test_query_jsonld)
{
  // CONSTRUCT results as JSON-LD, through the output-format table's
  // writer: the published @context, a node object per subject, and the
  // same statements as the N-Triples answer (tests/jsonld checks that with
  // jsonld.js).  An empty graph is a document too.
  char cmd[8192];
  snprintf(cmd, sizeof cmd,
           "%s query -f jsonld -e 'CONSTRUCT { ?e a dip:Summit ; rdfs:label "
           "?l } WHERE { ?e a dip:Summit ; rdfs:label ?l }' %s",
           tu_exe(), TU_FACTS);
  char *out = NULL, *err = NULL;
  ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
  ck_assert_ptr_nonnull(
    strstr(out, "\"event\": \"https://example.org/dipkg/event/\""));
  ck_assert_ptr_nonnull(strstr(out,
                               "\"@id\": \"event:yoon-kishida-summit-"
                               "2023\",\n      \"@type\": \"dip:Summit\""));
  ck_assert_ptr_nonnull(strstr(out, "\"@language\": \"en\""));
  free(out), free(err);
  snprintf(cmd, sizeof cmd,
           "%s query -f json-ld -e 'CONSTRUCT { ?e a dip:Nothing } WHERE { "
           "?e a dip:Nothing }' %s",
           tu_exe(), TU_FACTS);
  ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
  ck_assert_ptr_nonnull(strstr(out, "\"@graph\": []"));
  free(out), free(err);
  // A table is not a graph: the error names the formats that work.
  snprintf(cmd, sizeof cmd,
           "%s query -f jsonld -e 'SELECT ?e WHERE { ?e a dip:Summit }' %s",
           tu_exe(), TU_FACTS);
  ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
  ck_assert_str_eq(out, "");
  ck_assert_str_eq(err, "<query>: error: this query gives a table: use "
                        "--format table, csv, tsv, json or xml (jsonld is for "
                        "the graphs of CONSTRUCT)\n");
  free(out), free(err);
  snprintf(cmd, sizeof cmd,
           "%s query -f jsonld -e 'ASK { ?e a dip:Summit }' %s", tu_exe(),
           TU_FACTS);
  ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
  ck_assert_ptr_nonnull(strstr(err, "this query gives a table"));
  free(out), free(err);
}
END_TEST

static Suite *
serve_suite(void)
{
  Suite *s = suite_create("serve");
  TCase *lib = tcase_create("library");
  tcase_add_test(lib, test_describe_has_own_linked_labels_and_incoming);
  tcase_add_test(lib, test_describe_incoming_statements);
  tcase_add_test(lib, test_accept_quality);
  tcase_add_test(lib, test_html_escapes_everything);
  suite_add_tcase(s, lib);
  TCase *srv = tcase_create("server");
  tcase_add_unchecked_fixture(srv, start_server, stop_server);
  tcase_set_timeout(srv, 60);
  tcase_add_test(srv, test_conneg_303_per_type);
  tcase_add_test(srv, test_suffixes_answer_directly);
  tcase_add_test(srv, test_404_406);
  tcase_add_test(srv, test_conditional_get);
  tcase_add_test(srv, test_cors_and_methods);
  tcase_add_test(srv, test_sparql_forms_and_formats);
  tcase_add_test(srv, test_sparql_dataset_parameters);
  tcase_add_test(srv, test_sparql_dataset_overrides_from);
  tcase_add_test(srv, test_sparql_refusals);
  tcase_add_test(srv, test_service_description_and_void);
  tcase_add_test(srv, test_pages);
  tcase_add_test(srv, test_timeout_while_others_are_served);
  tcase_add_test(srv, test_malformed_requests);
  tcase_add_test(srv, test_access_log);
  suite_add_tcase(s, srv);
  TCase *cmd = tcase_create("commands");
  tcase_set_timeout(cmd, 60);
  tcase_add_test(cmd, test_serve_stops_gracefully);
  tcase_add_test(cmd, test_serve_usage_errors);
  tcase_add_test(cmd, test_serve_a_store);
  tcase_add_test(cmd, test_publish_rewrites_only_changes);
  tcase_add_test(cmd, test_export_void);
  tcase_add_test(cmd, test_query_jsonld);
  suite_add_tcase(s, cmd);
  return s;
}

int
main(void)
{
  SRunner *sr = srunner_create(serve_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
