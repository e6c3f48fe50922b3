/* The portable export: the facts' statements plus what a dipkg store adds
 * when it loads them (the materialised class and property hierarchies, the
 * ontology and the CAMEO/PLOVER schemes in their own graph), so that
 * another SPARQL engine loading the file answers as `dipkg query` does.
 *
 * The plain export streams each file's statements from the worker threads;
 * this one runs the statements through one closure sink (src/closure.c, as
 * dipkg_store_load() does) in the calling thread, into a writer whose
 * buffer is written out after each graph. */
#include "portable.h"
#include "closure.h"
#include "corpus.h"
#include "diag.h"
#include "format.h"
#include "hash.h"
#include "jsonld.h"
#include "output.h"
#include "rdf_raptor.h"
#include "stats.h"
#include "world.h"
#include "writer.h"

#include <errno.h>
#include <string.h>

/* A writer whose buffer goes to a stream at the end of each graph (and
 * when it grows past a megabyte). */
typedef struct FlushSink {
  DipkgSink base;
  DipkgSink *writer;  // the writer (or RDF/XML sink) it forwards to
  DipkgBuf *buf;      // the writer's buffer (NULL for RDF/XML)
  FILE *fp;
} FlushSink;

static DipkgStatus
flush_out(FlushSink *f, size_t above)
{
  if (!f->buf || f->buf->len <= above)
    return DIPKG_SUCCESS;
  if (f->buf->oom)
    return DIPKG_ERR_NO_MEMORY;
  size_t n = f->buf->len;
  dipkg_buf_clear(f->buf);
  return fwrite(f->buf->data, 1, n, f->fp) == n ? DIPKG_SUCCESS : DIPKG_ERR_IO;
}

static DipkgStatus
flush_begin_graph(DipkgSink *sink, const char *graph)
{
  FlushSink *f = (FlushSink *)sink;
  return f->writer->begin_graph(f->writer, graph);
}

static DipkgStatus
flush_statement(DipkgSink *sink, const DipkgTerm *s, const DipkgTerm *p,
                const DipkgTerm *o)
{
  FlushSink *f = (FlushSink *)sink;
  DipkgStatus st = f->writer->statement(f->writer, s, p, o);
  sink->n_statements++;
  return st ? st : flush_out(f, 1u << 20);
}

static DipkgStatus
flush_end_graph(DipkgSink *sink)
{
  FlushSink *f = (FlushSink *)sink;
  DipkgStatus st = f->writer->end_graph(f->writer);
  return st ? st : flush_out(f, 0);
}

/* Feeds one ontology file's statements to a sink, blank nodes made the
 * file's own (by its base name, so the output does not depend on where the
 * ontology is installed). */
typedef struct OntoFeed {
  DipkgSink *sink;
  char prefix[24];
} OntoFeed;

static DipkgStatus
onto_statement(void *user, const DipkgTerm *s, const DipkgTerm *p,
               const DipkgTerm *o, const DipkgTerm *g)
{
  (void)g;
  OntoFeed *feed = user;
  DipkgTerm terms[2] = {*s, *o};
  DipkgBuf labels[2] = {DIPKG_BUF_INIT, DIPKG_BUF_INIT};
  bool oom = false;
  for (int i = 0; i < 2; i++) {
    if (terms[i].kind != DIPKG_TERM_BLANK)
      continue;
    dipkg_buf_printf(&labels[i], "%s_%.*s", feed->prefix, (int)terms[i].len,
                     terms[i].str);
    oom |= labels[i].oom;
    terms[i].str = labels[i].data;
    terms[i].len = labels[i].len;
  }
  DipkgStatus st =
    oom ? DIPKG_ERR_NO_MEMORY
        : feed->sink->statement(feed->sink, &terms[0], p, &terms[1]);
  dipkg_buf_free(&labels[0]);
  dipkg_buf_free(&labels[1]);
  return st;
}

DipkgStatus
dipkg_ontology_feed(DipkgWorld *w, DipkgSink *sink)
{
  DipkgStatus st = sink->begin_graph(sink, DIPKG_ONTOLOGY_GRAPH);
  for (size_t i = 0; !st && i < dipkg_ontology_n_files(w->ontology); i++) {
    const char *path = dipkg_ontology_file(w->ontology, i);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    OntoFeed feed = {sink, ""};
    uint64_t h = dipkg_fingerprint(DIPKG_FINGERPRINT_START, base, strlen(base));
    snprintf(feed.prefix, sizeof feed.prefix, "f%016llx",
             (unsigned long long)h);
    DipkgDiagList diags = {0};
    st =
      dipkg_rdf_parse_file(path, path, "turtle", onto_statement, &feed, &diags);
    dipkg_world_deliver(w, &diags);
  }
  return st ? st : sink->end_graph(sink);
}

/* Writes the corpus with `extras` into `fp`. */
static DipkgStatus
write_extended(DipkgCorpus *corpus, DipkgWorld *w, DipkgFormat format,
               unsigned extras, FILE *fp, DipkgStats **stats)
{
  DipkgBuf buf = DIPKG_BUF_INIT;
  DipkgWriter writer;
  DipkgRdfxmlSink *xml = NULL;
  void *doc = NULL;  // JSON-LD: the dataset, written at the end
  const DipkgDocWriter *jsonld = &dipkg_jsonld_dataset_writer;
  FlushSink flush = {
    {flush_begin_graph, flush_statement, flush_end_graph, 0}, NULL, NULL, fp};
  if (format == DIPKG_FORMAT_JSONLD) {
    if (!(doc = jsonld->open(fp, w->prefixes)))
      return DIPKG_ERR_NO_MEMORY;
    flush.writer = jsonld->sink(doc);
  } else if (format == DIPKG_FORMAT_RDFXML) {
    xml = dipkg_rdfxml_sink_new(fp, w->prefixes);
    if (!xml) {
      DipkgDiagList list = {0};
      dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_RDF, NULL,
                     (DipkgLoc){0, 0, 0},
                     "cannot start raptor's RDF/XML writer");
      dipkg_world_deliver(w, &list);
      return DIPKG_ERR_RDF;
    }
    flush.writer = dipkg_rdfxml_sink_base(xml);
  } else {
    dipkg_writer_init(&writer, format, w->prefixes, &buf);
    flush.writer = &writer.base;
    flush.buf = &buf;
    if (format == DIPKG_FORMAT_TURTLE || format == DIPKG_FORMAT_TRIG)
      dipkg_writer_turtle_prologue(w->prefixes, &buf);
  }
  DipkgClosureSink closure;
  dipkg_closure_sink_init(&closure, &flush.base, w->ontology,
                          (extras & DIPKG_EXPORT_CLOSURE) != 0);
  DipkgStatus st = DIPKG_SUCCESS;
  // The facts are checked first (in parallel, writing nothing), so that an
  // invalid corpus writes nothing at all.
  st = dipkg_corpus_validate(corpus, NULL);
  if (!st && (extras & DIPKG_EXPORT_ONTOLOGY))
    st = dipkg_ontology_feed(w, &closure.base);
  if (!st) {
    DipkgRunSpec run = {.mode = DIPKG_RUN_SINK, .sink = &closure.base};
    st = dipkg_corpus_run(corpus, &run, stats);
  }
  if (!st)
    st = flush_out(&flush, 0);
  if (!st && xml)
    st = dipkg_rdfxml_sink_finish(xml);
  if (!st && doc)
    st = jsonld->finish(doc);
  // Every statement written: the ontology's and the closure's too.
  if (stats && *stats)
    (*stats)->counts[DIPKG_COUNT_TRIPLES] = flush.base.n_statements;
  dipkg_closure_sink_fini(&closure);
  if (xml)
    dipkg_rdfxml_sink_free(xml);
  else if (doc)
    jsonld->free(doc);
  else
    dipkg_writer_fini(&writer);
  dipkg_buf_free(&buf);
  return st;
}

DipkgStatus
dipkg_corpus_export_extended(DipkgCorpus *corpus, DipkgFormat format,
                             unsigned extras, const char *path,
                             DipkgStats **stats)
{
  if (!extras)
    return dipkg_corpus_export(corpus, format, path, stats);
  if (stats)
    *stats = NULL;
  DipkgWorld *w = dipkg_corpus_world(corpus);
  dipkg_world_begin_run(w);
  DipkgStatus st = dipkg_world_require_ontology(w);
  if (st)
    return st;
  DipkgDiagList diags = {0};
  // This path writes the RDF formats itself (PLOVER's records, say, are
  // no RDF and take no extras).
  if (format != DIPKG_FORMAT_TURTLE && format != DIPKG_FORMAT_NTRIPLES &&
      format != DIPKG_FORMAT_NQUADS && format != DIPKG_FORMAT_TRIG &&
      format != DIPKG_FORMAT_RDFXML && format != DIPKG_FORMAT_JSONLD) {
    dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, path,
                   (DipkgLoc){0, 0, 0},
                   "--closure and --with-ontology write Turtle, N-Triples, "
                   "N-Quads, TriG, JSON-LD or RDF/XML, not %s",
                   dipkg_format_name(format));
    dipkg_world_deliver(w, &diags);
    return DIPKG_ERR_USAGE;
  }
  const char *input = NULL;
  if (path && dipkg_corpus_is_input(corpus, path, &input)) {
    dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, path,
                   (DipkgLoc){0, 0, 0},
                   "the output is also an input ('%s'): writing it would "
                   "destroy it; name another output file",
                   input);
    dipkg_world_deliver(w, &diags);
    return DIPKG_ERR_USAGE;
  }
  size_t len = path ? strlen(path) : 0;
  unsigned flags =
    len > 3 && !strcmp(path + len - 3, ".gz") ? DIPKG_OUTPUT_GZIP : 0;
  DipkgOutput out;
  st = dipkg_output_open(&out, path, flags, &diags);
  if (!st) {
    st = write_extended(corpus, w, format, extras, out.fp, stats);
    if (!st && ferror(out.fp))
      st = DIPKG_ERR_IO;
    if (st == DIPKG_ERR_IO)
      dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO,
                     path ? path : "<stdout>", (DipkgLoc){0, 0, 0},
                     "cannot write: %s", strerror(errno ? errno : EIO));
    if (!st)
      st = dipkg_output_commit(&out, &diags);
    else
      dipkg_output_abort(&out);
  }
  dipkg_world_deliver(w, &diags);
  return st;
}
