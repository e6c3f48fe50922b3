#include "sink.h"

static DipkgStatus
count_graph(DipkgSink *sink, const char *graph)
{
  (void)sink;
  (void)graph;
  return DIPKG_SUCCESS;
}

static DipkgStatus
count_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
                const DipkgTerm *o)
{
  (void)s;
  (void)p;
  (void)o;
  sink->n_statements++;
  return DIPKG_SUCCESS;
}

static DipkgStatus
count_end(DipkgSink *sink)
{
  (void)sink;
  return DIPKG_SUCCESS;
}

void
dipkg_count_sink_init(DipkgCountSink *sink)
{
  sink->base.begin_graph = count_graph;
  sink->base.statement = count_statement;
  sink->base.end_graph = count_end;
  sink->base.n_statements = 0;
}
