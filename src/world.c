#include "world.h"

#include "iri.h"
#include "memory.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *
concat(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  char *s = dipkg_malloc(la + lb + 1);
  if (s) {
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    s[la + lb] = '\0';
  }
  return s;
}

/* Derives the data namespaces from `base`; all or nothing. */
static DipkgStatus
set_namespaces(DipkgWorld *w, const char *base)
{
  char *b = dipkg_strdup(base);
  char *art = concat(base, "article/"), *ent = concat(base, "entity/");
  char *ev = concat(base, "event/"), *gr = concat(base, "graph/");
  char *gaz = concat(base, "graph/entity/");
  if (!b || !art || !ent || !ev || !gr || !gaz) {
    dipkg_free(b), dipkg_free(art), dipkg_free(ent);
    dipkg_free(ev), dipkg_free(gr), dipkg_free(gaz);
    return DIPKG_ERR_NO_MEMORY;
  }
  dipkg_free(w->base), dipkg_free(w->ns_article), dipkg_free(w->ns_entity);
  dipkg_free(w->ns_event), dipkg_free(w->ns_graph);
  dipkg_free(w->ns_entity_graph);
  w->base = b, w->ns_article = art, w->ns_entity = ent, w->ns_event = ev;
  w->ns_graph = gr, w->ns_entity_graph = gaz;
  size_t i = 0;
  for (const DipkgPrefix *p = dipkg_vocab_prefixes; p->name; p++)
    w->prefixes[i++] = *p;
  w->prefixes[i++] = (DipkgPrefix){"article", w->ns_article};
  w->prefixes[i++] = (DipkgPrefix){"entity", w->ns_entity};
  w->prefixes[i++] = (DipkgPrefix){"event", w->ns_event};
  w->prefixes[i] = (DipkgPrefix){NULL, NULL};
  return DIPKG_SUCCESS;
}

DipkgWorld *
dipkg_world_new(void)
{
  DipkgWorld *w = dipkg_calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->max_errors = 100;
  if (set_namespaces(w, DIPKG_DEFAULT_BASE)) {
    dipkg_free(w);
    return NULL;
  }
  return w;
}

void
dipkg_world_free(DipkgWorld *w)
{
  if (!w)
    return;
  dipkg_free(w->base), dipkg_free(w->ns_article), dipkg_free(w->ns_entity);
  dipkg_free(w->ns_event), dipkg_free(w->ns_graph);
  dipkg_free(w->ns_entity_graph);
  dipkg_ontology_free(w->ontology);
  dipkg_free(w->ontology_path);
  dipkg_free(w);
}

void
dipkg_world_set_diagnostic_func(DipkgWorld *w, DipkgDiagnosticFunc func,
                                void *user)
{
  w->diag_func = func;
  w->diag_user = user;
}

static void
deliver_one(DipkgWorld *w, const DipkgDiagEntry *e)
{
  if (!w->diag_func)
    return;
  DipkgDiagnostic d = {e->severity, e->status,    e->file,   e->loc.line,
                       e->loc.col,  e->loc.width, e->message};
  w->diag_func(w->diag_user, &d);
}

/* A diagnostic about the run as a whole. */
static void
deliver_run_error(DipkgWorld *w, DipkgStatus status, const char *message)
{
  if (!w->diag_func)
    return;
  DipkgDiagnostic d = {DIPKG_SEVERITY_ERROR, status, NULL, 0, 0, 0, message};
  w->diag_func(w->diag_user, &d);
}

void
dipkg_world_deliver(DipkgWorld *w, DipkgDiagList *list)
{
  for (size_t i = 0; i < list->n; i++) {
    const DipkgDiagEntry *e = &list->items[i];
    if (e->severity == DIPKG_SEVERITY_ERROR) {
      if (w->max_errors && w->errors_delivered >= w->max_errors) {
        if (!w->errors_suppressed) {
          char msg[96];
          snprintf(msg, sizeof msg,
                   "too many errors (%u); the rest are not shown "
                   "(see --max-errors)",
                   w->max_errors);
          deliver_run_error(w, DIPKG_ERR_LIMIT, msg);
          w->errors_suppressed = true;
        }
        continue;
      }
      w->errors_delivered++;
    } else if (w->errors_suppressed) {
      continue;  // notes and warnings after the limit are noise
    }
    deliver_one(w, e);
  }
  if (list->oom)
    deliver_run_error(w, DIPKG_ERR_NO_MEMORY,
                      "out of memory: diagnostics were lost");
  dipkg_diag_list_clear(list);
}

void
dipkg_world_begin_run(DipkgWorld *w)
{
  w->errors_delivered = 0;
  w->errors_suppressed = false;
}

DipkgStatus
dipkg_world_set_base(DipkgWorld *w, const char *base)
{
  const char *why;
  size_t at, len = strlen(base);
  bool ok = dipkg_iri_check_http(base, len, &why, &at);
  if (ok && base[len - 1] != '/' && base[len - 1] != '#') {
    ok = false;
    why = "the base IRI must end with '/' or '#'";
    at = len;
  }
  if (!ok) {
    DipkgDiagList list = {0};
    dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_USAGE, NULL,
                   (DipkgLoc){0, 0, 0}, "invalid base IRI %s: %s",
                   dipkg_diag_q(0, base, len), why);
    dipkg_world_deliver(w, &list);
    return DIPKG_ERR_USAGE;
  }
  return set_namespaces(w, base);
}

const char *
dipkg_world_base(const DipkgWorld *w)
{
  return w->base;
}

void
dipkg_world_set_jobs(DipkgWorld *w, unsigned jobs)
{
  w->jobs = jobs;
}

unsigned
dipkg_world_jobs(const DipkgWorld *w)
{
  if (w->jobs)
    return w->jobs;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

void
dipkg_world_set_max_errors(DipkgWorld *w, unsigned max)
{
  w->max_errors = max;
}

DipkgStatus
dipkg_world_load_ontology(DipkgWorld *w, const char *path)
{
  DipkgDiagList list = {0};
  char *found = NULL;
  if (!path) {
    // $DIPKG_ONTOLOGY, then beside the executable, then the install tree.
    const char *env = getenv("DIPKG_ONTOLOGY");
    if (env && *env) {
      found = dipkg_strdup(env);
    } else {
      char exe[PATH_MAX];
      ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
      if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
          *slash = '\0';
        static const char *const rel[] = {
          "/ontology", "/../share/dipkg/ontology", "/../ontology"};
        for (size_t i = 0; i < 3 && !found; i++) {
          char *candidate = concat(exe, rel[i]);
          struct stat sb;
          if (candidate && !stat(candidate, &sb))
            found = candidate;
          else
            dipkg_free(candidate);
        }
      }
      if (!found) {
        dipkg_diag_add(&list, DIPKG_SEVERITY_ERROR, DIPKG_ERR_ONTOLOGY, NULL,
                       (DipkgLoc){0, 0, 0},
                       "cannot find the ontology: set DIPKG_ONTOLOGY or use "
                       "--ontology PATH");
        dipkg_world_deliver(w, &list);
        return DIPKG_ERR_ONTOLOGY;
      }
    }
  } else {
    found = dipkg_strdup(path);
  }
  if (!found)
    return DIPKG_ERR_NO_MEMORY;
  DipkgOntology *onto = NULL;
  DipkgStatus st = dipkg_ontology_load(found, &list, &onto);
  dipkg_world_deliver(w, &list);
  dipkg_ontology_free(w->ontology);
  dipkg_free(w->ontology_path);
  w->ontology = onto;
  w->ontology_path = st ? NULL : found;
  if (st)
    dipkg_free(found);
  return st;
}

const char *
dipkg_world_ontology_path(const DipkgWorld *w)
{
  return w->ontology_path;
}

DipkgStatus
dipkg_world_require_ontology(DipkgWorld *w)
{
  return w->ontology ? DIPKG_SUCCESS : dipkg_world_load_ontology(w, NULL);
}

const char *
dipkg_strerror(DipkgStatus status)
{
  switch (status) {
  case DIPKG_SUCCESS:
    return "success";
  case DIPKG_ERR_DATA:
    return "the input facts are invalid";
  case DIPKG_ERR_USAGE:
    return "invalid argument";
  case DIPKG_ERR_IO:
    return "input/output error";
  case DIPKG_ERR_NO_MEMORY:
    return "out of memory";
  case DIPKG_ERR_ONTOLOGY:
    return "the ontology is missing or invalid";
  case DIPKG_ERR_RDF:
    return "the RDF library failed";
  case DIPKG_ERR_LIMIT:
    return "an input exceeds a safety limit";
  case DIPKG_ERR_INTERNAL:
    return "internal error";
  case DIPKG_ERR_QUERY:
    return "the query is invalid or uses a construct the engine cannot run";
  case DIPKG_ERR_QUERY_FAILED:
    return "the query failed while running";
  case DIPKG_ERR_STORE:
    return "the store cannot be used";
  case DIPKG_ERR_QUERY_LIMIT:
    return "the query exceeded its time or memory limit";
  }
  return "unknown status";
}

void
dipkg_diagnostic_print(const DipkgDiagnostic *d, FILE *stream)
{
  static const char *const names[] = {"error", "warning", "note"};
  const char *sev = names[d->severity <= DIPKG_SEVERITY_NOTE ? d->severity : 0];
  if (d->file && d->line)
    fprintf(stream, "%s:%u:%u: %s: %s\n", d->file, d->line, d->col, sev,
            d->message);
  else if (d->file)
    fprintf(stream, "%s: %s: %s\n", d->file, sev, d->message);
  else
    fprintf(stream, "dipkg: %s: %s\n", sev, d->message);
}

size_t
dipkg_world_n_classes(const DipkgWorld *w)
{
  return w->ontology ? dipkg_ontology_n_local(w->ontology) : 0;
}

DipkgStatus
dipkg_world_class(const DipkgWorld *w, size_t i, DipkgClassInfo *info)
{
  const DipkgClass *c =
    w->ontology ? dipkg_ontology_local_at(w->ontology, i) : NULL;
  if (!c)
    return DIPKG_ERR_USAGE;
  memset(info, 0, sizeof *info);
  info->iri = c->iri;
  info->name = c->local;
  info->label = c->label;
  info->comment = c->comment;
  for (size_t k = 0; k < c->n_parents && !info->parent; k++)
    info->parent = c->parents[k]->local;
  info->cameo = dipkg_class_cameo(c);
  info->plover = dipkg_class_plover(c);
  info->is_event = c->is_event;
  info->is_entity = c->is_entity;
  return DIPKG_SUCCESS;
}
