/* HTML pages for people: an event page, an entity page with its events as
 * a timeline, a generic page for any other resource, a home page.  No
 * JavaScript; every text escaped; schema.org JSON-LD embedded. */
#ifndef DIPKG_HTML_H
#define DIPKG_HTML_H

#include "buf.h"
#include "dipkg.h"

#include <stdbool.h>

/// Where a page's links go.  Serve: root "/", a resource IRI {base}REL is
/// linked as /REL and its documents as /REL.ttl.  Publish (directories):
/// root is the way up from the page to the site's top ("../../"), a
/// resource is linked as ROOT REL/ and its documents are REL/index.ttl.
typedef struct DipkgHtmlSite {
  const char *root;
  bool directories;
} DipkgHtmlSite;

/// Appends the page of resource `iri` of `g` to `out`.  DIPKG_ERR_USAGE
/// when `g` knows nothing of it.
DipkgStatus dipkg_html_resource(const DipkgGraph *g, const char *iri,
                                const DipkgHtmlSite *site, DipkgBuf *out);

/// Appends the home page: counts and entry points.
DipkgStatus dipkg_html_home(const DipkgGraph *g, const DipkgHtmlSite *site,
                            DipkgBuf *out);

/// Appends the page of the SPARQL endpoint (a form, examples).
DipkgStatus dipkg_html_service(const DipkgWorld *world, DipkgBuf *out);

/// The stylesheet every page links (style.css).
extern const char dipkg_html_stylesheet[];

/// Appends `s` (`len` bytes) escaped for HTML text and attribute values.
void dipkg_html_escape(DipkgBuf *out, const char *s, size_t len);

#endif
