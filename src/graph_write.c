/* Writing an in-memory graph (graph.h) in an output format: above both the
 * graph and the writers that read graphs (JSON-LD), so that neither imports
 * the other's caller. */
#include "graph.h"

#include "jsonld.h"
#include "output.h"
#include "rdf_raptor.h"
#include "world.h"
#include "writer.h"

#include <errno.h>
#include <stdio.h>

/* Feeds the statements, in subject order, to `sink`. */
static DipkgStatus
feed(const DipkgGraph *g, DipkgSink *sink)
{
  DipkgStatus st = sink->begin_graph(sink, NULL);
  for (size_t i = 0; !st && i < g->n; i++) {
    const DipkgTriple *t = &g->triples[i];
    st =
      sink->statement(sink, &g->terms[t->s], &g->terms[t->p], &g->terms[t->o]);
  }
  return st ? st : sink->end_graph(sink);
}

DipkgStatus
dipkg_graph_write(const DipkgGraph *g, DipkgFormat format, FILE *out)
{
  if (format == DIPKG_FORMAT_JSONLD)
    return dipkg_jsonld_write(g, out);
  if (format == DIPKG_FORMAT_RDFXML) {
    DipkgRdfxmlSink *x = dipkg_rdfxml_sink_new(out, g->prefixes);
    if (!x)
      return DIPKG_ERR_RDF;
    DipkgStatus st = feed(g, dipkg_rdfxml_sink_base(x));
    if (!st)
      st = dipkg_rdfxml_sink_finish(x);
    dipkg_rdfxml_sink_free(x);
    return st;
  }
  if (format == DIPKG_FORMAT_NQUADS)
    format = DIPKG_FORMAT_NTRIPLES;  // a graph in memory has no names
  DipkgBuf buf = DIPKG_BUF_INIT;
  DipkgWriter w;
  dipkg_writer_init(&w, format, g->prefixes, &buf);
  if (format == DIPKG_FORMAT_TURTLE)
    dipkg_writer_turtle_prologue(g->prefixes, &buf);
  DipkgStatus st = feed(g, &w.base);
  dipkg_writer_fini(&w);
  if (!st && buf.oom)
    st = DIPKG_ERR_NO_MEMORY;
  if (!st && buf.len && fwrite(buf.data, 1, buf.len, out) != buf.len)
    st = DIPKG_ERR_IO;
  dipkg_buf_free(&buf);
  return st;
}

DipkgStatus
dipkg_graph_export(const DipkgGraph *g, DipkgFormat format, const char *path)
{
  DipkgDiagList diags = {0};
  DipkgOutput out;
  DipkgStatus st = dipkg_output_open(&out, path, 0, &diags);
  if (!st) {
    st = dipkg_graph_write(g, format, out.fp);
    if (!st && ferror(out.fp))
      st = DIPKG_ERR_IO;
    if (st == DIPKG_ERR_IO)
      dipkg_output_write_error(&out, &diags, errno ? errno : EIO);
    if (!st)
      st = dipkg_output_commit(&out, &diags);
    else
      dipkg_output_abort(&out);
  }
  dipkg_world_deliver(g->world, &diags);
  return st;
}
