#include "http.h"

#include "limit.h"
#include "memory.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_status = CURLE_FAILED_INIT;

static void
init_curl(void)
{
  curl_init_status = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t
on_body(char *data, size_t size, size_t n, void *user)
{
  DipkgBuf *b = user;
  size_t len = size * n;
  // A reply larger than this is refused rather than held in memory.
  if (b->len + len > (size_t)DIPKG_LIMIT_HTTP_REPLY)
    return 0;
  dipkg_buf_append(b, data, len);
  return b->oom ? 0 : len;
}

struct DipkgHttpClient {
  CURL *h;
};

DipkgHttpClient *
dipkg_http_client_new(void)
{
  pthread_once(&curl_once, init_curl);
  DipkgHttpClient *c = dipkg_calloc(1, sizeof *c);
  if (c && curl_init_status == CURLE_OK && !(c->h = curl_easy_init())) {
    dipkg_free(c);
    c = NULL;
  }
  return c;
}

void
dipkg_http_client_free(DipkgHttpClient *c)
{
  if (!c)
    return;
  if (c->h)
    curl_easy_cleanup(c->h);
  dipkg_free(c);
}

DipkgStatus
dipkg_http_perform(DipkgHttpClient *client, const DipkgHttpRequest *req,
                   DipkgHttpResponse *res)
{
  memset(res, 0, sizeof *res);
  pthread_once(&curl_once, init_curl);
  if (curl_init_status != CURLE_OK) {
    snprintf(res->error, sizeof res->error, "libcurl: %s",
             curl_easy_strerror(curl_init_status));
    return DIPKG_ERR_IO;
  }
  CURL *h = client && client->h ? client->h : curl_easy_init();
  if (!h)
    return DIPKG_ERR_NO_MEMORY;
  // A kept handle is not reset (curl_easy_reset() forgets the Digest
  // state, so that each request was challenged again, and Virtuoso closes
  // the connection on its 401): every option a request may set is set
  // below, for each request, to its value or its default.
  struct curl_slist *headers = NULL, *grown;
  char line[512];
  DipkgStatus st = DIPKG_SUCCESS;
  if (req->content_type) {
    snprintf(line, sizeof line, "Content-Type: %s", req->content_type);
    if (!(grown = curl_slist_append(headers, line)))
      st = DIPKG_ERR_NO_MEMORY;
    else
      headers = grown;
  }
  if (!st && req->accept) {
    snprintf(line, sizeof line, "Accept: %s", req->accept);
    if (!(grown = curl_slist_append(headers, line)))
      st = DIPKG_ERR_NO_MEMORY;
    else
      headers = grown;
  }
  // No "Expect: 100-continue" round trip before each PUT body.
  if (!st && !(grown = curl_slist_append(headers, "Expect:")))
    st = DIPKG_ERR_NO_MEMORY;
  else if (!st)
    headers = grown;
  char errbuf[CURL_ERROR_SIZE] = "";
  if (!st) {
    curl_easy_setopt(h, CURLOPT_URL, req->url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "dipkg/" DIPKG_VERSION);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &res->body);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)req->timeout_ms);
    // Basic or Digest, whichever the server asks for.
    curl_easy_setopt(h, CURLOPT_HTTPAUTH,
                     req->user ? (long)(CURLAUTH_BASIC | CURLAUTH_DIGEST)
                               : (long)CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, req->user);
    curl_easy_setopt(h, CURLOPT_PASSWORD,
                     req->user ? (req->password ? req->password : "") : NULL);
    if (req->body || !strcmp(req->method, "POST") ||
        !strcmp(req->method, "PUT")) {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       (curl_off_t)req->body_len);
    } else {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST,
                     strcmp(req->method, "POST") && strcmp(req->method, "GET")
                       ? req->method
                       : NULL);
    CURLcode rc = curl_easy_perform(h);
    if (res->body.oom) {
      st = DIPKG_ERR_NO_MEMORY;
    } else if (rc != CURLE_OK) {
      res->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
      snprintf(res->error, sizeof res->error, "%s",
               *errbuf ? errbuf : curl_easy_strerror(rc));
      st = DIPKG_ERR_IO;
    } else {
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->status);
      char *type = NULL;
      curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
      if (type && !(res->content_type = dipkg_strdup(type)))
        st = DIPKG_ERR_NO_MEMORY;
      struct curl_header *max = NULL;
      if (curl_easy_header(h, "X-SPARQL-MaxRows", 0, CURLH_HEADER, -1, &max) ==
            CURLHE_OK &&
          max->value)
        res->max_rows = strtoul(max->value, NULL, 10);
    }
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
  curl_slist_free_all(headers);
  if (!client || h != client->h)
    curl_easy_cleanup(h);
  return st;
}

void
dipkg_http_response_fini(DipkgHttpResponse *res)
{
  dipkg_buf_free(&res->body);
  dipkg_free(res->content_type);
  res->content_type = NULL;
}

char *
dipkg_http_escape(const char *text)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  for (const char *p = text; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || strchr("-._~", c))
      dipkg_buf_putc(&b, (char)c);
    else
      dipkg_buf_printf(&b, "%%%02X", c);
  }
  if (b.oom) {
    dipkg_buf_free(&b);
    return NULL;
  }
  return dipkg_buf_take(&b);
}

char *
dipkg_http_error_text(const DipkgBuf *body, const char *content_type,
                      size_t max)
{
  DipkgBuf b = DIPKG_BUF_INIT;
  bool html = content_type && strstr(content_type, "html");
  bool in_tag = false, space = false;
  unsigned newlines = 0;
  for (size_t i = 0; i < body->len && b.len < max; i++) {
    unsigned char c = (unsigned char)body->data[i];
    if (!html && c == '\n' && ++newlines == 2 && b.len)
      break;  // the first paragraph
    if (!html && c != '\n' && c != '\r' && c != ' ' && c != '\t')
      newlines = 0;
    if (html && c == '<') {
      in_tag = true;
      space = b.len > 0;
      continue;
    }
    if (in_tag) {
      in_tag = c != '>';
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = b.len > 0;
      continue;
    }
    if (c < 0x20 || c == 0x7f)
      continue;
    if (space)
      dipkg_buf_putc(&b, ' ');
    space = false;
    dipkg_buf_putc(&b, (char)c);
  }
  dipkg_buf_putc(&b, '\0');
  if (b.oom) {
    dipkg_buf_free(&b);
    return NULL;
  }
  return b.data;
}
