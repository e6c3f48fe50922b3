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
  DipkgSink *writer;  // the writer (or a document writer's sink)
  DipkgBuf *buf;      // the writer's buffer (NULL for a document writer)
  FILE *fp;
  uint64_t *written;  // += the bytes written
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
  if (fwrite(f->buf->data, 1, n, f->fp) != n)
    return DIPKG_ERR_IO;
  *f->written += n;
  return DIPKG_SUCCESS;
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

/* An export with extras: the corpus, in a graph format of the table. */
typedef struct Extended {
  DipkgCorpus *corpus;
  const DipkgFormatRow *row;
  unsigned extras;
  DipkgStats **stats;
} Extended;

/* Writes the corpus with its extras into `fp` (a DipkgExportWrite): the
 * row's streaming writer, its buffer flushed as it fills, or its document
 * writer (for a dataset), written at the end. */
static DipkgStatus
write_extended(void *user, FILE *fp, uint64_t *written)
{
  const Extended *e = user;
  const DipkgFormatRow *row = e->row;
  DipkgWorld *w = dipkg_corpus_world(e->corpus);
  DipkgBuf buf = DIPKG_BUF_INIT;
  DipkgWriter writer;
  const DipkgDocWriter *docw =
    row->doc ? (row->dataset ? row->dataset : row->doc) : NULL;
  void *doc = NULL;
  FlushSink flush = {{flush_begin_graph, flush_statement, flush_end_graph, 0},
                     NULL,
                     NULL,
                     fp,
                     written};
  if (docw) {
    if (!(doc = docw->open(fp, w->prefixes))) {
      DipkgDiagList list = {0};
      dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_NO_MEMORY, NULL,
                     (DipkgLoc){0, 0, 0},
                     "out of memory starting the %s writer", row->desc.name);
      dipkg_world_deliver(w, &list);
      return DIPKG_ERR_NO_MEMORY;
    }
    flush.writer = docw->sink(doc);
  } else {
    row->writer_init(&writer, row->desc.format, w->prefixes, &buf);
    flush.writer = &writer.base;
    flush.buf = &buf;
    if (row->prologue)
      row->prologue(w->prefixes, &buf);
  }
  DipkgClosureSink closure;
  dipkg_closure_sink_init(&closure, &flush.base, w->ontology,
                          (e->extras & DIPKG_EXPORT_CLOSURE) != 0);
  DipkgStatus st = DIPKG_SUCCESS;
  // The facts are checked first (in parallel, writing nothing), so that an
  // invalid corpus writes nothing at all.
  st = dipkg_corpus_validate(e->corpus, NULL);
  if (!st && (e->extras & DIPKG_EXPORT_ONTOLOGY))
    st = dipkg_ontology_feed(w, &closure.base);
  if (!st) {
    DipkgRunSpec run = {.mode = DIPKG_RUN_SINK, .sink = &closure.base};
    st = dipkg_corpus_run(e->corpus, &run, e->stats);
  }
  if (!st)
    st = flush_out(&flush, 0);
  if (!st && doc)
    st = docw->finish(doc);
  // Every statement written: the ontology's and the closure's too.
  if (e->stats && *e->stats)
    (*e->stats)->counts[DIPKG_COUNT_TRIPLES] = flush.base.n_statements;
  dipkg_closure_sink_fini(&closure);
  if (doc)
    docw->free(doc);
  else
    dipkg_writer_fini(&writer);
  dipkg_buf_free(&buf);
  return st;
}

/* The names of the formats that take extras, for a message: "turtle,
 * ntriples, ... or jsonld". */
static void
graph_format_names(DipkgBuf *b)
{
  size_t n = 0, k = 0;
  for (const DipkgFormatDesc *d; (d = dipkg_format_desc(n)); n++)
    k += dipkg_format_row(d->format)->graph;
  for (size_t i = 0, seen = 0; i < n; i++) {
    const DipkgFormatDesc *d = dipkg_format_desc(i);
    if (!dipkg_format_row(d->format)->graph)
      continue;
    if (seen)
      dipkg_buf_puts(b, seen + 1 == k ? " or " : ", ");
    dipkg_buf_puts(b, d->name);
    seen++;
  }
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
  // Extras are statements: RDF formats take them (PLOVER's records, say,
  // are no RDF).
  const DipkgFormatRow *row = dipkg_format_row(format);
  if (!row || !row->graph) {
    DipkgBuf names = DIPKG_BUF_INIT;
    graph_format_names(&names);
    const char *list = dipkg_buf_cstr(&names);
    DipkgDiagList diags = {0};
    dipkg_diag_add(&diags, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, path,
                   (DipkgLoc){0, 0, 0},
                   "--closure and --with-ontology write %s, not %s",
                   *list ? list : "RDF formats", dipkg_format_name(format));
    dipkg_buf_free(&names);
    dipkg_world_deliver(w, &diags);
    return DIPKG_ERR_USAGE;
  }
  Extended e = {corpus, row, extras, stats};
  return dipkg_corpus_export_to(corpus, path, write_extended, &e);
}
