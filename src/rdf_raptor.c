#include "rdf_raptor.h"

#include "input.h"
#include "limit.h"
#include "memory.h"
#include "rdf_term.h"
#include "vocab.h"

#include <errno.h>
#include <pthread.h>
#include <raptor2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --------------------------- parsing --------------------------- */

typedef struct ParseState {
  const char *display;
  DipkgStatementFunc fn;
  void *user;
  DipkgDiagList *diags;
  DipkgStatus status;
  raptor_parser *parser;
} ParseState;

static void
on_log(void *user, raptor_log_message *msg)
{
  ParseState *ps = user;
  if (msg->level < RAPTOR_LOG_LEVEL_WARN)
    return;
  DipkgLoc loc = {0, 0, 0};
  if (msg->locator && msg->locator->line > 0) {
    loc.line = (unsigned)msg->locator->line;
    loc.col = msg->locator->column > 0 ? (unsigned)msg->locator->column : 1;
  }
  if (msg->level == RAPTOR_LOG_LEVEL_WARN) {
    dipkg_diag_warning(ps->diags, ps->display, loc, "%s", msg->text);
    return;
  }
  dipkg_diag_add(ps->diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_DATA, ps->display,
                 loc, "RDF syntax error: %s", msg->text);
  if (!ps->status)
    ps->status = DIPKG_ERR_DATA;
}

static void
on_statement(void *user, raptor_statement *st)
{
  ParseState *ps = user;
  if (ps->status)
    return;
  DipkgTerm s, p, o, g;
  // The terms point into these buffers until the callback returns (g
  // into l4 too, hence its scope).
  char l1[DIPKG_RDF_LANG_SIZE], l2[DIPKG_RDF_LANG_SIZE],
    l3[DIPKG_RDF_LANG_SIZE];
  // cppcheck-suppress variableScope
  char l4[DIPKG_RDF_LANG_SIZE];
  dipkg_rdf_term_view(st->subject, &s, l1);
  dipkg_rdf_term_view(st->predicate, &p, l2);
  dipkg_rdf_term_view(st->object, &o, l3);
  if (st->graph)
    dipkg_rdf_term_view(st->graph, &g, l4);
  ps->status = ps->fn(ps->user, &s, &p, &o, st->graph ? &g : NULL);
  if (ps->status)
    raptor_parser_parse_abort(ps->parser);
}

/* The RDF syntaxes by name (--input-format). */
static const struct {
  const char *name;
  const char *syntax;
} syntax_names[] = {
  {"turtle", "turtle"}, {"ttl", "turtle"},    {"ntriples", "ntriples"},
  {"nt", "ntriples"},   {"nquads", "nquads"}, {"nq", "nquads"},
  {"rdfxml", "rdfxml"}, {"rdf", "rdfxml"},    {"owl", "rdfxml"},
  {"xml", "rdfxml"},    {"trig", "trig"}};

const char *
dipkg_rdf_syntax_from_name(const char *name)
{
  for (size_t i = 0; i < sizeof syntax_names / sizeof *syntax_names; i++)
    if (!strcmp(name, syntax_names[i].name))
      return syntax_names[i].syntax;
  return NULL;
}

/* ------------------------------------------------- standard input */

/* Standard input, read once and kept: an RDF input is parsed twice (checked,
 * then loaded), and standard input can be read only once.  Process-wide, as
 * standard input is. */
static struct {
  pthread_mutex_t mu;
  bool done;
  DipkgStatus st;
  char *data;  // never freed: it may be parsed again until the process ends
  size_t len;
  char why[128];
} stdin_spool = {PTHREAD_MUTEX_INITIALIZER, false, DIPKG_SUCCESS, NULL, 0, ""};

static void
spool_stdin(void)
{
  size_t cap = 0;
  for (;;) {
    if (stdin_spool.len == cap) {
      if (cap >= DIPKG_LIMIT_STDIN_RDF) {
        snprintf(stdin_spool.why, sizeof stdin_spool.why,
                 "standard input holds more than %d bytes of RDF; give "
                 "larger inputs as files",
                 DIPKG_LIMIT_STDIN_RDF);
        stdin_spool.st = DIPKG_ERR_LIMIT;
        return;
      }
      size_t grown = cap ? cap * 2 : 65536;
      char *data = dipkg_realloc(stdin_spool.data, grown);
      if (!data) {
        stdin_spool.st = DIPKG_ERR_NO_MEMORY;
        return;
      }
      stdin_spool.data = data;
      cap = grown;
    }
    ssize_t n = read(STDIN_FILENO, stdin_spool.data + stdin_spool.len,
                     cap - stdin_spool.len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      snprintf(stdin_spool.why, sizeof stdin_spool.why, "cannot read: %s",
               strerror(errno));
      stdin_spool.st = DIPKG_ERR_IO;
      return;
    }
    if (n == 0)
      return;
    stdin_spool.len += (size_t)n;
  }
}

/* The bytes of standard input (borrowed until the process ends). */
static DipkgStatus
stdin_bytes(const char **data, size_t *len, DipkgDiagList *diags)
{
  pthread_mutex_lock(&stdin_spool.mu);
  if (!stdin_spool.done) {
    spool_stdin();
    stdin_spool.done = true;
  }
  *data = stdin_spool.data ? stdin_spool.data : "";
  *len = stdin_spool.len;
  DipkgStatus st = stdin_spool.st;
  pthread_mutex_unlock(&stdin_spool.mu);
  if (st && st != DIPKG_ERR_NO_MEMORY)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, st, DIPKG_STDIN_NAME,
                   (DipkgLoc){0, 0, 0}, "%s", stdin_spool.why);
  return st;
}

/* ------------------------------------------------------- parsing */

/* Where the bytes come from: a file, a gzip file, or standard input's
 * spool. */
typedef struct Source {
  FILE *fp;
  gzFile gz;
  bool gz_checked;  // the first read saw whether it is gzip data
  const char *mem;
  size_t mem_len, mem_off;
  char why[160];  // a zlib message
} Source;

/* Reads up to `n` bytes into `buf`; 0 at the end, -1 on an error (with
 * `*why` and `*status` set: DIPKG_ERR_IO when reading failed,
 * DIPKG_ERR_DATA when the bytes are not what the name promises). */
static long
source_read(Source *src, char *buf, size_t n, const char **why,
            DipkgStatus *status)
{
  *status = DIPKG_ERR_IO;
  if (src->mem) {
    size_t k =
      src->mem_len - src->mem_off < n ? src->mem_len - src->mem_off : n;
    memcpy(buf, src->mem + src->mem_off, k);
    src->mem_off += k;
    return (long)k;
  }
  if (src->gz)
    return dipkg_input_gz_read(src->gz, buf, n, &src->gz_checked, src->why,
                               sizeof src->why, why, status);
  size_t k = fread(buf, 1, n, src->fp);
  if (!k && ferror(src->fp)) {
    *why = strerror(errno ? errno : EIO);
    return -1;
  }
  return (long)k;
}

DipkgStatus
dipkg_rdf_parse_file(const char *path, const char *display, const char *syntax,
                     DipkgStatementFunc fn, void *user, DipkgDiagList *diags)
{
  DipkgLoc none = {0, 0, 0};
  bool is_stdin = !strcmp(path, "-");
  if (is_stdin)
    display = DIPKG_STDIN_NAME;
  if (!syntax) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, display, none,
                   is_stdin ? "cannot tell the RDF syntax of standard input: "
                              "name it (--input-format turtle, ntriples, "
                              "nquads, rdfxml or trig)"
                            : "cannot tell the RDF syntax from the file name "
                              "(use .ttl, .nt, .nq, .rdf or .trig)");
    return DIPKG_ERR_USAGE;
  }
  Source src = {0};
  if (is_stdin) {
    DipkgStatus st = stdin_bytes(&src.mem, &src.mem_len, diags);
    if (st)
      return st;
  } else {
    int fd;
    struct stat sb;
    if (dipkg_input_open(path, display, "cannot read", diags, &fd, &sb))
      return DIPKG_ERR_IO;
    if (dipkg_input_is_gzip(path))
      src.gz = gzdopen(fd, "rb");
    else
      src.fp = fdopen(fd, "rb");
    if (!src.fp && !src.gz) {
      dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, display, none,
                     "cannot read: %s", strerror(errno));
      close(fd);
      return DIPKG_ERR_IO;
    }
  }
  ParseState ps = {display, fn, user, diags, DIPKG_SUCCESS, NULL};
  DipkgStatus st = DIPKG_ERR_NO_MEMORY;
  raptor_world *world = raptor_new_world();
  raptor_uri *base = NULL;
  char *buf = NULL;
  bool started;
  if (!world || raptor_world_open(world))
    goto out;
  raptor_world_set_log_handler(world, &ps, on_log);
  ps.parser = raptor_new_parser(world, syntax);
  if (!ps.parser)
    goto out;
  // Standard input's base is the IRI of its graph in a store.
  base = is_stdin
           ? raptor_new_uri(world, (const unsigned char *)"file:///dev/stdin")
           : raptor_new_uri_from_uri_or_file_string(
               world, NULL, (const unsigned char *)path);
  if (!base)
    goto out;
  enum { CHUNK = 65536 };
  buf = dipkg_malloc(CHUNK);
  if (!buf)
    goto out;
  raptor_parser_set_statement_handler(ps.parser, &ps, on_statement);
  int rc = raptor_parser_parse_start(ps.parser, base);
  const char *why = NULL;
  DipkgStatus read_status = DIPKG_SUCCESS;
  for (long n = 1; !rc && !ps.status && n > 0;) {
    n = source_read(&src, buf, CHUNK, &why, &read_status);
    if (n >= 0)
      rc = raptor_parser_parse_chunk(ps.parser, (const unsigned char *)buf,
                                     (size_t)n, n == 0);
  }
  if (why) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, read_status, display, none,
                   "cannot read: %s", why);
    st = read_status;
  } else {
    st = ps.status ? ps.status : rc ? DIPKG_ERR_DATA : DIPKG_SUCCESS;
    if (rc && !ps.status)
      dipkg_diag_error(diags, display, none, "RDF parse failed");
  }
out:
  // Raptor failing to create its world, parser or base URI (out of memory,
  // most likely) is reported here; a status from the statement callback
  // (the consumer's, out of memory included) is passed on as it is.
  started = ps.parser && base;  // no buffer: out of memory, as st says
  if (!started)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_RDF, display, none,
                   "cannot start the RDF parser '%s'", syntax);
  dipkg_free(buf);
  if (base)
    raptor_free_uri(base);
  if (ps.parser)
    raptor_free_parser(ps.parser);
  if (world)
    raptor_free_world(world);
  if (src.fp)
    fclose(src.fp);
  if (src.gz)
    gzclose(src.gz);
  return started ? st : DIPKG_ERR_RDF;
}

/* ------------------------ RDF/XML writing ------------------------ */

struct DipkgRdfxmlSink {
  DipkgSink base;
  raptor_world *world;
  raptor_serializer *ser;
  DipkgStatus status;
};

static void
on_serializer_log(void *user, raptor_log_message *msg)
{
  DipkgRdfxmlSink *x = user;
  if (msg->level >= RAPTOR_LOG_LEVEL_ERROR)
    x->status = DIPKG_ERR_RDF;
}

static raptor_term *
raptor_term_of(raptor_world *world, const DipkgTerm *t)
{
  const unsigned char *s = (const unsigned char *)t->str;
  switch (t->kind) {
  case DIPKG_TERM_IRI:
    return raptor_new_term_from_counted_uri_string(world, s, t->len);
  case DIPKG_TERM_BLANK:
    return raptor_new_term_from_counted_blank(world, s, t->len);
  case DIPKG_TERM_LITERAL: {
    raptor_uri *dt = NULL;
    if (t->datatype && !t->lang) {
      dt = raptor_new_uri(world, (const unsigned char *)t->datatype);
      if (!dt)
        return NULL;
    }
    raptor_term *term = raptor_new_term_from_counted_literal(
      world, s, t->len, dt, (const unsigned char *)t->lang,
      t->lang ? (unsigned char)strlen(t->lang) : 0);
    if (dt)
      raptor_free_uri(dt);
    return term;
  }
  }
  return NULL;
}

static DipkgStatus
x_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
            const DipkgTerm *o)
{
  DipkgRdfxmlSink *x = (DipkgRdfxmlSink *)sink;
  raptor_term *rs = raptor_term_of(x->world, s);
  raptor_term *rp = raptor_term_of(x->world, p);
  raptor_term *ro = raptor_term_of(x->world, o);
  // raptor_new_statement_from_nodes takes the terms, also on failure.
  raptor_statement *st =
    raptor_new_statement_from_nodes(x->world, rs, rp, ro, NULL);
  if (!st || !rs || !rp || !ro) {
    if (st)
      raptor_free_statement(st);
    return DIPKG_ERR_NO_MEMORY;
  }
  if (raptor_serializer_serialize_statement(x->ser, st))
    x->status = DIPKG_ERR_RDF;
  raptor_free_statement(st);
  sink->n_statements++;
  return x->status;
}

static DipkgStatus
x_graph(DipkgSink *sink, const char *graph)
{
  (void)sink;
  (void)graph;
  return DIPKG_SUCCESS;
}

static DipkgStatus
x_end(DipkgSink *sink)
{
  (void)sink;
  return DIPKG_SUCCESS;
}

DipkgRdfxmlSink *
dipkg_rdfxml_sink_new(FILE *stream, const DipkgPrefix *prefixes)
{
  DipkgRdfxmlSink *x = dipkg_calloc(1, sizeof *x);
  if (!x)
    return NULL;
  x->base.begin_graph = x_graph;
  x->base.statement = x_statement;
  x->base.end_graph = x_end;
  x->world = raptor_new_world();
  if (!x->world || raptor_world_open(x->world))
    goto fail;
  raptor_world_set_log_handler(x->world, x, on_serializer_log);
  x->ser = raptor_new_serializer(x->world, "rdfxml-abbrev");
  if (!x->ser)
    goto fail;
  for (const DipkgPrefix *p = prefixes; p && p->name; p++) {
    raptor_uri *ns = raptor_new_uri(x->world, (const unsigned char *)p->iri);
    if (!ns)
      goto fail;
    // Cosmetic; raptor refuses to redeclare rdf:, which it always has.
    (void)raptor_serializer_set_namespace(x->ser, ns,
                                          (const unsigned char *)p->name);
    raptor_free_uri(ns);
  }
  if (raptor_serializer_start_to_file_handle(x->ser, NULL, stream))
    goto fail;
  return x;
fail:
  dipkg_rdfxml_sink_free(x);
  return NULL;
}

DipkgSink *
dipkg_rdfxml_sink_base(DipkgRdfxmlSink *x)
{
  return &x->base;
}

DipkgStatus
dipkg_rdfxml_sink_finish(DipkgRdfxmlSink *x)
{
  if (raptor_serializer_serialize_end(x->ser))
    x->status = DIPKG_ERR_RDF;
  return x->status;
}

void
dipkg_rdfxml_sink_free(DipkgRdfxmlSink *x)
{
  if (!x)
    return;
  if (x->ser)
    raptor_free_serializer(x->ser);
  if (x->world)
    raptor_free_world(x->world);
  dipkg_free(x);
}
