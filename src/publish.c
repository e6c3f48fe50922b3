/* The static linked-data site (dipkg publish): every resource under the
 * base as REL/index.{html,ttl,jsonld,nt}, the home page, the dumps, VoID,
 * a sitemap, and web-server snippets for content negotiation.  Output is
 * deterministic, and a file whose bytes would not change is not written
 * (its time stamp stays, so that caches and rsync see no change). */
#include "dipkg.h"

#include "buf.h"
#include "diag.h"
#include "graph.h"
#include "html.h"
#include "jsonld.h"
#include "memory.h"
#include "temp.h"
#include "void.h"
#include "world.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

typedef struct Site {
  DipkgWorld *w;
  const char *dir;
  DipkgPublishCounts *counts;
  DipkgStatus st;
} Site;

static DipkgStatus
fail(Site *s, const char *path, const char *what)
{
  if (!s->st) {
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_IO, path,
                   (DipkgLoc){0, 0, 0}, "%s: %s", what, strerror(errno));
    dipkg_world_deliver(s->w, &list);
    s->st = DIPKG_ERR_IO;
  }
  return s->st;
}

/* Creates the directories of `path` (a file path under the site). */
static void
make_parents(Site *s, const char *path)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&b, path);
  char *p = dipkg_buf_cstr(&b) ? b.data : NULL;
  for (char *slash = p ? strchr(p + 1, '/') : NULL; slash && !s->st;
       slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    if (mkdir(p, 0777) && errno != EEXIST)
      fail(s, p, "cannot create the directory");
    *slash = '/';
  }
  if (b.oom)
    s->st = DIPKG_ERR_NO_MEMORY;
  dipkg_buf_free(&b);
}

/* Whether the file at `path` holds exactly `data`. */
static bool
same_content(const char *path, const char *data, size_t len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return false;
  bool same = true;
  char chunk[65536];
  size_t at = 0, n;
  while (same && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    same = at + n <= len && !memcmp(chunk, data + at, n);
    at += n;
  }
  same = same && !ferror(f) && at == len;
  fclose(f);
  return same;
}

/* Writes `data` to DIR/rel unless it already holds it: a temporary file
 * renamed over it, so that a reader never sees half a file. */
static void
put_file(Site *s, const char *rel, const char *data, size_t len)
{
  if (s->st)
    return;
  DipkgBuf path = DIPKG_BUF_INIT, tmp = DIPKG_BUF_INIT;
  dipkg_buf_printf(&path, "%s/%s", s->dir, rel);
  dipkg_buf_printf(&tmp, "%s/%s.tmp-XXXXXX", s->dir, rel);
  const char *target = dipkg_buf_cstr(&path);
  char *temp = dipkg_buf_cstr(&tmp) ? tmp.data : NULL;
  if (!target || !temp) {
    s->st = DIPKG_ERR_NO_MEMORY;
  } else if (same_content(target, data, len)) {
    s->counts->unchanged++;
  } else {
    make_parents(s, target);
    int fd = s->st ? -1 : mkstemp(temp);
    DipkgTemp *reg = fd >= 0 ? dipkg_temp_add_path(temp, false) : NULL;
    if (!s->st && fd < 0) {
      fail(s, target, "cannot write");
    } else if (!s->st) {
      FILE *f = fdopen(fd, "wb");
      bool ok = f && fwrite(data, 1, len, f) == len;
      if (f ? fclose(f) : close(fd))
        ok = false;
      mode_t mask = umask(0);
      umask(mask);
      chmod(temp, 0666 & ~mask);
      if (ok && dipkg_temp_lock()) {
        ok = !rename(temp, target);
        dipkg_temp_unlock();
      } else {
        ok = false;
      }
      if (!ok) {
        fail(s, target, "cannot write");
        unlink(temp);
      } else {
        s->counts->written++;
      }
    }
    dipkg_temp_forget(reg);
  }
  dipkg_buf_free(&path);
  dipkg_buf_free(&tmp);
}

static void
put_buf(Site *s, const char *rel, DipkgBuf *b)
{
  if (b->oom && !s->st)
    s->st = DIPKG_ERR_NO_MEMORY;
  put_file(s, rel, b->data ? b->data : "", b->len);
}

/* `g` written in `format` into `b`. */
static DipkgStatus
graph_text(const DipkgGraph *g, DipkgFormat format, DipkgBuf *b)
{
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  if (!f)
    return DIPKG_ERR_NO_MEMORY;
  DipkgStatus st = dipkg_graph_write(g, format, f);
  if (fclose(f) && !st)
    st = DIPKG_ERR_NO_MEMORY;
  if (!st)
    dipkg_buf_append(b, text, size);
  free(text);
  return st;
}

/* Whether `rel` (the IRI after the base) is a path the site can hold:
 * segments of unreserved characters, no "." or ".." segment, no fragment
 * or query. */
static bool
safe_rel(const char *rel)
{
  if (!*rel || *rel == '/')
    return false;
  for (const char *seg = rel; *seg;) {
    size_t n = strcspn(seg, "/");
    if (n == 0 || (n == 1 && seg[0] == '.') ||
        (n == 2 && seg[0] == '.' && seg[1] == '.'))
      return false;
    for (size_t i = 0; i < n; i++) {
      char c = seg[i];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-._~%", c)))
        return false;
    }
    seg += n;
    if (*seg == '/')
      seg++;
  }
  return rel[strlen(rel) - 1] != '/';
}

static void
resource(Site *s, const DipkgGraph *g, const char *iri, const char *rel,
         DipkgBuf *sitemap)
{
  // The way up from REL/index.html to the top of the site.
  DipkgBuf root = DIPKG_BUF_INIT;
  for (const char *p = rel; *p; p++)
    if (*p == '/')
      dipkg_buf_puts(&root, "../");
  dipkg_buf_puts(&root, "../");
  DipkgHtmlSite site = {dipkg_buf_cstr(&root), true};
  DipkgGraph *d = NULL;
  DipkgStatus st =
    site.root ? dipkg_graph_describe(g, iri, &d) : DIPKG_ERR_NO_MEMORY;
  static const struct {
    const char *name;
    DipkgFormat format;
  } files[] = {{"index.ttl", DIPKG_FORMAT_TURTLE},
               {"index.nt", DIPKG_FORMAT_NTRIPLES},
               {"index.jsonld", DIPKG_FORMAT_JSONLD}};
  DipkgBuf b = DIPKG_BUF_INIT, name = DIPKG_BUF_INIT;
  if (!st) {
    st = dipkg_html_resource(g, iri, &site, &b);
    dipkg_buf_printf(&name, "%s/index.html", rel);
    if (!st)
      put_buf(s, dipkg_buf_cstr(&name), &b);
  }
  for (size_t i = 0; !st && i < sizeof files / sizeof *files; i++) {
    dipkg_buf_clear(&b);
    dipkg_buf_clear(&name);
    st = graph_text(d, files[i].format, &b);
    dipkg_buf_printf(&name, "%s/%s", rel, files[i].name);
    if (!st)
      put_buf(s, dipkg_buf_cstr(&name), &b);
  }
  dipkg_buf_puts(sitemap, "  <url><loc>");
  dipkg_html_escape(sitemap, iri, strlen(iri));
  dipkg_buf_puts(sitemap, "</loc></url>\n");
  if (st && !s->st)
    s->st = st;
  dipkg_graph_free(d);
  dipkg_buf_free(&b);
  dipkg_buf_free(&name);
  dipkg_buf_free(&root);
  s->counts->resources++;
}

/* gzip of `data`, deterministic (no name, no time stamp). */
static DipkgStatus
gzip_buf(const char *data, size_t len, DipkgBuf *out)
{
  z_stream z = {0};
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return DIPKG_ERR_NO_MEMORY;
  z.next_in = (Bytef *)(uintptr_t)data;
  z.avail_in = (uInt)len;
  int rc;
  do {
    if (!dipkg_buf_reserve(out, 65536))
      break;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = 65536;
    rc = deflate(&z, Z_FINISH);
    out->len += 65536 - z.avail_out;
  } while (rc == Z_OK || rc == Z_BUF_ERROR);
  deflateEnd(&z);
  return out->oom ? DIPKG_ERR_NO_MEMORY : DIPKG_SUCCESS;
}

static const char htaccess[] =
  "# dipkg publish: content negotiation for Apache (mod_rewrite, "
  "mod_headers).\n"
  "# Each resource REL is a directory holding index.html, index.ttl,\n"
  "# index.jsonld and index.nt; the request's Accept header picks one.\n"
  "# The answer is direct (200 with Content-Location), not a 303: see\n"
  "# docs/publishing.md.\n"
  "Options -MultiViews\n"
  "DirectoryIndex index.html\n"
  "AddType text/turtle;charset=utf-8 .ttl\n"
  "AddType application/ld+json;charset=utf-8 .jsonld\n"
  "AddType application/n-triples;charset=utf-8 .nt\n"
  "AddType text/html;charset=utf-8 .html\n"
  "AddEncoding gzip .gz\n"
  "RewriteEngine On\n"
  "RewriteCond %{HTTP_ACCEPT} text/turtle\n"
  "RewriteCond %{REQUEST_FILENAME}/index.ttl -f\n"
  "RewriteRule ^(.*?)/?$ $1/index.ttl [L]\n"
  "RewriteCond %{HTTP_ACCEPT} application/ld\\+json\n"
  "RewriteCond %{REQUEST_FILENAME}/index.jsonld -f\n"
  "RewriteRule ^(.*?)/?$ $1/index.jsonld [L]\n"
  "RewriteCond %{HTTP_ACCEPT} application/n-triples\n"
  "RewriteCond %{REQUEST_FILENAME}/index.nt -f\n"
  "RewriteRule ^(.*?)/?$ $1/index.nt [L]\n"
  "RewriteRule ^\\.well-known/void$ void.ttl [L,T=text/turtle]\n"
  "Header append Vary Accept\n"
  "Header set Access-Control-Allow-Origin \"*\"\n";

static const char nginx[] =
  "# dipkg publish: content negotiation for nginx.  Include in the server\n"
  "# block whose root is the published directory.  The answer is direct\n"
  "# (200), not a 303: see docs/publishing.md.\n"
  "# (The map goes in the http block.)\n"
  "# map $http_accept $dipkg_variant {\n"
  "#   default                   html;\n"
  "#   ~text/turtle              ttl;\n"
  "#   ~application/ld\\+json     jsonld;\n"
  "#   ~application/n-triples    nt;\n"
  "# }\n"
  "types {\n"
  "  text/html html;\n"
  "  text/turtle ttl;\n"
  "  application/ld+json jsonld;\n"
  "  application/n-triples nt;\n"
  "  text/css css;\n"
  "  application/xml xml;\n"
  "  application/gzip gz;\n"
  "}\n"
  "charset utf-8;\n"
  "charset_types text/turtle application/ld+json application/n-triples;\n"
  "add_header Vary Accept always;\n"
  "add_header Access-Control-Allow-Origin * always;\n"
  "location = /.well-known/void { default_type text/turtle; try_files "
  "/void.ttl =404; }\n"
  "location / {\n"
  "  try_files $uri/index.$dipkg_variant $uri $uri/index.html =404;\n"
  "}\n";

DipkgStatus
dipkg_graph_publish(const DipkgGraph *g, DipkgCorpus *corpus, const char *dir,
                    DipkgPublishCounts *counts)
{
  memset(counts, 0, sizeof *counts);
  Site s = {g->world, dir, counts, DIPKG_SUCCESS};
  if (mkdir(dir, 0777) && errno != EEXIST)
    return fail(&s, dir, "cannot create the directory");
  const char *base = g->world->base;
  size_t base_len = strlen(base);
  DipkgBuf sitemap = DIPKG_BUF_INIT, b = DIPKG_BUF_INIT;
  dipkg_buf_puts(&sitemap, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<urlset xmlns=\"http://www.sitemaps.org/schemas/"
                           "sitemap/0.9\">\n  <url><loc>");
  dipkg_html_escape(&sitemap, base, base_len);
  dipkg_buf_puts(&sitemap, "</loc></url>\n");
  // Every IRI subject under the base, without fragment, once (subject
  // order: term order).
  for (size_t i = 0; !s.st && i < g->n; i++) {
    if (i && g->triples[i].s == g->triples[i - 1].s)
      continue;
    const DipkgTerm *t = &g->terms[g->triples[i].s];
    if (t->kind != DIPKG_TERM_IRI || t->len <= base_len ||
        strncmp(t->str, base, base_len))
      continue;
    const char *rel = t->str + base_len;
    if (strchr(rel, '#'))
      continue;
    if (!safe_rel(rel)) {
      counts->skipped++;
      continue;
    }
    resource(&s, g, t->str, rel, &sitemap);
  }
  dipkg_buf_puts(&sitemap, "</urlset>\n");
  put_buf(&s, "sitemap.xml", &sitemap);
  // Home page, stylesheet, @context.
  DipkgHtmlSite top = {"", true};
  if (!s.st && !(s.st = dipkg_html_home(g, &top, &b)))
    put_buf(&s, "index.html", &b);
  dipkg_buf_clear(&b);
  put_file(&s, "style.css", dipkg_html_stylesheet,
           strlen(dipkg_html_stylesheet));
  if (!s.st && !(s.st = dipkg_jsonld_context(g->world, &b)))
    put_buf(&s, "context.jsonld", &b);
  // VoID.
  DipkgGraph *v = NULL;
  if (!s.st)
    s.st = dipkg_void_dataset(g, NULL, &v);
  dipkg_buf_clear(&b);
  if (!s.st && !(s.st = graph_text(v, DIPKG_FORMAT_TURTLE, &b)))
    put_buf(&s, "void.ttl", &b);
  dipkg_graph_free(v);
  // Dumps: the graph as Turtle; the corpus's named graphs as gzipped
  // N-Quads.
  dipkg_buf_clear(&b);
  if (!s.st && !(s.st = graph_text(g, DIPKG_FORMAT_TURTLE, &b)))
    put_buf(&s, "dump/dataset.ttl", &b);
  if (!s.st && corpus) {
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    s.st = f ? dipkg_corpus_write(corpus, DIPKG_FORMAT_NQUADS, f, NULL)
             : DIPKG_ERR_NO_MEMORY;
    if (f && fclose(f) && !s.st)
      s.st = DIPKG_ERR_NO_MEMORY;
    dipkg_buf_clear(&b);
    if (!s.st && !(s.st = gzip_buf(text ? text : "", size, &b)))
      put_buf(&s, "dump/dataset.nq.gz", &b);
    free(text);
  }
  put_file(&s, ".htaccess", htaccess, strlen(htaccess));
  put_file(&s, "nginx.conf", nginx, strlen(nginx));
  dipkg_buf_free(&sitemap);
  dipkg_buf_free(&b);
  return s.st;
}
