/* HTTP through libcurl: one request, its whole answer in memory.  The only
 * module that includes libcurl's header; src/endpoint.c (the SPARQL 1.1
 * Protocol) and src/push.c (the Graph Store HTTP Protocol) build on it. */
#ifndef DIPKG_HTTP_H
#define DIPKG_HTTP_H

#include "buf.h"
#include "dipkg.h"

#include <stdbool.h>

typedef struct DipkgHttpRequest {
  const char *method;        ///< "GET", "POST", "PUT", "DELETE"
  const char *url;           ///< borrowed
  const char *content_type;  ///< of `body`, or NULL
  const char *accept;        ///< the Accept header, or NULL
  const char *body;          ///< borrowed, `body_len` bytes (may be NULL)
  size_t body_len;
  const char *user;      ///< HTTP Basic or Digest (libcurl picks), or NULL
  const char *password;  ///< with `user`
  unsigned timeout_ms;   ///< the whole transfer; 0: none
} DipkgHttpRequest;

typedef struct DipkgHttpResponse {
  long status;         ///< the HTTP status, 0 when no answer came
  DipkgBuf body;       ///< the answer's body (owned)
  char *content_type;  ///< its Content-Type, or NULL (owned)
  bool timed_out;      ///< the transfer exceeded `timeout_ms`
  /// The X-SPARQL-MaxRows header (Virtuoso: the answer reached its
  /// ResultSetMaxRows and may have been cut there), 0 when absent.
  unsigned long max_rows;
  char error[256];  ///< why no answer came (status 0)
} DipkgHttpResponse;

/// A connection kept between requests (keep-alive, and the Digest
/// authentication state, so that only the first request is challenged).
typedef struct DipkgHttpClient DipkgHttpClient;

/// A new client, or NULL when out of memory.  Free with
/// dipkg_http_client_free().
DipkgHttpClient *dipkg_http_client_new(void);

/// Frees the client and closes its connection.  NULL is a no-op.
void dipkg_http_client_free(DipkgHttpClient *client);

/// Performs `req` and fills `res` (which the caller releases with
/// dipkg_http_response_fini(), also on failure).  `client` may be NULL (a
/// connection for this request only).  DIPKG_SUCCESS when an answer came,
/// whatever its status; DIPKG_ERR_IO when none did (no connection, a
/// time-out: `res->error` says why); DIPKG_ERR_NO_MEMORY.
DipkgStatus dipkg_http_perform(DipkgHttpClient *client,
                               const DipkgHttpRequest *req,
                               DipkgHttpResponse *res);

/// Frees what a response owns.
void dipkg_http_response_fini(DipkgHttpResponse *res);

/// `text` percent-encoded for a URL query parameter (caller frees with
/// dipkg_free()), or NULL when out of memory.
char *dipkg_http_escape(const char *text);

/// A short, printable extract of a server's error body: its first
/// paragraph (up to a blank line) of a text, the text of an HTML page (when
/// `content_type` says HTML) without its tags; white space collapsed, at
/// most `max` bytes (caller frees with dipkg_free()).  NULL when out of
/// memory.
char *dipkg_http_error_text(const DipkgBuf *body, const char *content_type,
                            size_t max);

#endif
