/* The output-format table (see format.h). */
#include "format.h"

#include "jsonld.h"
#include "plover.h"
#include "rdf_raptor.h"

#include <string.h>

/* RDF/XML through raptor, as a document writer. */
static void *
rdfxml_open(FILE *stream, const DipkgPrefix *prefixes)
{
  return dipkg_rdfxml_sink_new(stream, prefixes);
}

static DipkgSink *
rdfxml_sink(void *w)
{
  return dipkg_rdfxml_sink_base(w);
}

static DipkgStatus
rdfxml_finish(void *w)
{
  return dipkg_rdfxml_sink_finish(w);
}

static void
rdfxml_free(void *w)
{
  dipkg_rdfxml_sink_free(w);
}

static const DipkgDocWriter rdfxml_writer = {rdfxml_open, rdfxml_sink,
                                             rdfxml_finish, rdfxml_free};

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

/* In the order formats are listed to users.  The first extension of a row
 * is its usual one. */
static const DipkgFormatRow rows[] = {
  {{DIPKG_FORMAT_TURTLE, "turtle", LIST("ttl"), LIST(".ttl", ".turtle"),
    "text/turtle", 1, 0},
   "turtle",
   dipkg_writer_turtle_prologue,
   dipkg_writer_init,
   NULL,
   true,
   NULL},
  {{DIPKG_FORMAT_NTRIPLES, "ntriples", LIST("nt"), LIST(".nt"),
    "application/n-triples", 1, 0},
   "ntriples",
   NULL,
   dipkg_writer_init,
   NULL,
   true,
   NULL},
  {{DIPKG_FORMAT_NQUADS, "nquads", LIST("nq"), LIST(".nq"),
    "application/n-quads", 1, 1},
   "nquads",
   NULL,
   dipkg_writer_init,
   NULL,
   true,
   NULL},
  {{DIPKG_FORMAT_TRIG, "trig", (const char *const[]){NULL}, LIST(".trig"),
    "application/trig", 1, 1},
   "trig",
   dipkg_writer_turtle_prologue,
   dipkg_writer_init,
   NULL,
   true,
   NULL},
  {{DIPKG_FORMAT_RDFXML, "rdfxml", LIST("xml", "rdf"),
    LIST(".rdf", ".owl", ".xml"), "application/rdf+xml", 0, 0},
   "rdfxml",
   NULL,
   NULL,
   &rdfxml_writer,
   true,
   NULL},
  {{DIPKG_FORMAT_JSONLD, "jsonld", LIST("json-ld"), LIST(".jsonld"),
    "application/ld+json", 0, 0},
   NULL,  // raptor does not read JSON-LD
   NULL,
   NULL,
   &dipkg_jsonld_writer,
   true,
   &dipkg_jsonld_dataset_writer},
  // Not RDF: PLOVER event records, one JSON object a line.  The media type
  // is the one NDJSON tools send and accept; none is registered.
  {{DIPKG_FORMAT_PLOVER_JSONL, "plover-jsonl", LIST("plover"), LIST(".jsonl"),
    "application/x-ndjson", 0, 0},
   NULL,
   NULL,
   NULL,
   &dipkg_plover_writer,
   false,
   NULL},
};

enum { N_ROWS = sizeof rows / sizeof *rows };

const DipkgFormatRow *
dipkg_format_row(DipkgFormat format)
{
  for (size_t i = 0; i < N_ROWS; i++)
    if (rows[i].desc.format == format)
      return &rows[i];
  return NULL;
}

const DipkgFormatRow *
dipkg_format_row_for_extension(const char *ext)
{
  for (size_t i = 0; i < N_ROWS; i++)
    for (const char *const *e = rows[i].desc.extensions; *e; e++)
      if (!strcmp(ext, *e))
        return &rows[i];
  return NULL;
}

const DipkgFormatDesc *
dipkg_format_desc(size_t i)
{
  return i < N_ROWS ? &rows[i].desc : NULL;
}

DipkgStatus
dipkg_format_from_name(const char *name, DipkgFormat *format)
{
  for (size_t i = 0; i < N_ROWS; i++) {
    bool match = !strcmp(name, rows[i].desc.name);
    for (const char *const *a = rows[i].desc.aliases; *a && !match; a++)
      match = !strcmp(name, *a);
    if (match) {
      *format = rows[i].desc.format;
      return DIPKG_SUCCESS;
    }
  }
  return DIPKG_ERR_USAGE;
}

const char *
dipkg_format_name(DipkgFormat format)
{
  const DipkgFormatRow *row = dipkg_format_row(format);
  return row ? row->desc.name : "?";
}

/* The last extension of the file name in `path` (".ttl"), or NULL. */
static const char *
extension(const char *path, size_t len)
{
  for (size_t i = len; i > 0; i--) {
    if (path[i - 1] == '/')
      return NULL;
    if (path[i - 1] == '.')
      return i - 1 > 0 && path[i - 2] != '/' ? path + i - 1 : NULL;
  }
  return NULL;
}

DipkgStatus
dipkg_format_for_path(const char *path, DipkgFormat *format, int *gzip)
{
  size_t len = strlen(path);
  *gzip = len > 3 && !strcmp(path + len - 3, ".gz");
  if (*gzip)
    len -= 3;
  const char *ext = extension(path, len);
  if (!ext) {  // no extension (/dev/stdout, a FIFO ...): the default
    *format = DIPKG_FORMAT_TURTLE;
    return DIPKG_SUCCESS;
  }
  char buf[16];
  size_t n = (size_t)(path + len - ext);
  if (n >= sizeof buf)
    return DIPKG_ERR_USAGE;
  memcpy(buf, ext, n);
  buf[n] = '\0';
  const DipkgFormatRow *row = dipkg_format_row_for_extension(buf);
  if (!row)
    return DIPKG_ERR_USAGE;
  *format = row->desc.format;
  return DIPKG_SUCCESS;
}

const char *
dipkg_rdf_syntax_for_path(const char *path)
{
  // A gzip file's syntax is that of the name inside: x.ttl.gz is Turtle.
  size_t len = strlen(path);
  if (len > 3 && !strcmp(path + len - 3, ".gz"))
    len -= 3;
  const char *ext = extension(path, len);
  char inner[16];
  if (!ext || (size_t)(path + len - ext) >= sizeof inner)
    return NULL;
  memcpy(inner, ext, (size_t)(path + len - ext));
  inner[path + len - ext] = '\0';
  const DipkgFormatRow *row = dipkg_format_row_for_extension(inner);
  return row ? row->raptor : NULL;
}
