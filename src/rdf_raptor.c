#include "rdf_raptor.h"

#include "memory.h"
#include "vocab.h"

#include <errno.h>
#include <raptor2.h>
#include <stdio.h>
#include <string.h>

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

/* Borrowed DipkgTerm view of a raptor term; `lang` receives a copy of the
 * language tag (raptor's is counted, not always terminated). */
static void
term_of(const raptor_term *t, DipkgTerm *out, char lang[64])
{
  memset(out, 0, sizeof *out);
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI: {
    size_t len;
    out->kind = DIPKG_TERM_IRI;
    out->str = (const char *)raptor_uri_as_counted_string(t->value.uri, &len);
    out->len = len;
    break;
  }
  case RAPTOR_TERM_TYPE_BLANK:
    out->kind = DIPKG_TERM_BLANK;
    out->str = (const char *)t->value.blank.string;
    out->len = t->value.blank.string_len;
    break;
  case RAPTOR_TERM_TYPE_LITERAL:
    out->kind = DIPKG_TERM_LITERAL;
    out->str = (const char *)t->value.literal.string;
    out->len = t->value.literal.string_len;
    if (t->value.literal.datatype)
      out->datatype =
        (const char *)raptor_uri_as_string(t->value.literal.datatype);
    if (t->value.literal.language && t->value.literal.language_len < 64) {
      memcpy(lang, t->value.literal.language, t->value.literal.language_len);
      lang[t->value.literal.language_len] = '\0';
      out->lang = lang;
    }
    break;
  default:
    out->kind = DIPKG_TERM_BLANK;
    out->str = "";
    break;
  }
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
  // cppcheck-suppress variableScope
  char l1[64], l2[64], l3[64], l4[64];
  term_of(st->subject, &s, l1);
  term_of(st->predicate, &p, l2);
  term_of(st->object, &o, l3);
  if (st->graph)
    term_of(st->graph, &g, l4);
  ps->status = ps->fn(ps->user, &s, &p, &o, st->graph ? &g : NULL);
  if (ps->status)
    raptor_parser_parse_abort(ps->parser);
}

/* dipkg_rdf_syntax_for_path() reads the format table (format.c). */

DipkgStatus
dipkg_rdf_parse_file(const char *path, const char *display, const char *syntax,
                     DipkgStatementFunc fn, void *user, DipkgDiagList *diags)
{
  DipkgLoc none = {0, 0, 0};
  if (!syntax)
    syntax = dipkg_rdf_syntax_for_path(path);
  if (!syntax) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, display, none,
                   "cannot tell the RDF syntax from the file name (use .ttl, "
                   ".nt, .nq, .rdf or .trig)");
    return DIPKG_ERR_USAGE;
  }
  FILE *in = fopen(path, "rb");
  if (!in) {
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, display, none,
                   "cannot read: %s", strerror(errno));
    return DIPKG_ERR_IO;
  }
  ParseState ps = {display, fn, user, diags, DIPKG_SUCCESS, NULL};
  DipkgStatus st = DIPKG_ERR_NO_MEMORY;
  raptor_world *world = raptor_new_world();
  raptor_uri *base = NULL;
  bool started;
  if (!world || raptor_world_open(world))
    goto out;
  raptor_world_set_log_handler(world, &ps, on_log);
  ps.parser = raptor_new_parser(world, syntax);
  if (!ps.parser)
    goto out;
  base = raptor_new_uri_from_uri_or_file_string(world, NULL,
                                                (const unsigned char *)path);
  if (!base)
    goto out;
  raptor_parser_set_statement_handler(ps.parser, &ps, on_statement);
  int rc = raptor_parser_parse_file_stream(ps.parser, in, path, base);
  st = ps.status ? ps.status : rc ? DIPKG_ERR_DATA : DIPKG_SUCCESS;
  if (rc && !ps.status)
    dipkg_diag_error(diags, display, none, "RDF parse failed");
out:
  // Raptor failing to create its world, parser or base URI (out of memory,
  // most likely) is reported here; a status from the statement callback
  // (the consumer's, out of memory included) is passed on as it is.
  started = ps.parser && base;
  if (!started)
    dipkg_diag_add(diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_RDF, display, none,
                   "cannot start the RDF parser '%s'", syntax);
  if (base)
    raptor_free_uri(base);
  if (ps.parser)
    raptor_free_parser(ps.parser);
  if (world)
    raptor_free_world(world);
  fclose(in);
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
