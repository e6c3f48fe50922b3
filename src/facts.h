/* The facts of one file, as curators wrote them: the article, the entities
 * it defines and the events it reports, each value with its location. */
#ifndef DIPKG_FACTS_H
#define DIPKG_FACTS_H

#include "arena.h"
#include "date.h"
#include "diag.h"
#include "ontology.h"
#include "yaml_tree.h"

#include <stdbool.h>
#include <stddef.h>

/// One scalar value; `str` is NULL when the key is absent (or null).
typedef struct DipkgValue {
  const char *str;
  size_t len;
  DipkgLoc loc;
} DipkgValue;

/// A list value (a single scalar counts as a list of one).
typedef struct DipkgValues {
  DipkgValue *items;
  size_t n;
} DipkgValues;

typedef struct DipkgArticleFacts {
  bool present;
  DipkgLoc loc;  // of the `article:` mapping
  DipkgValue id, headline, publisher, published, dateline, url, language, text,
    curator, curated, retrieved;
  DipkgValues authors;
  DipkgDate published_date, curated_date, retrieved_date;
} DipkgArticleFacts;

typedef struct DipkgPositionFacts {
  DipkgLoc loc;
  DipkgValue title, of, from, to;
  DipkgDate from_date, to_date;
} DipkgPositionFacts;

typedef struct DipkgEntityFacts {
  DipkgLoc loc;
  DipkgValue id, type, name, wikidata, within, description;
  DipkgValues aliases;
  DipkgPositionFacts *positions;
  size_t n_positions;
  const DipkgClass *cls;  // NULL if `type` is invalid
} DipkgEntityFacts;

typedef enum DipkgEventStatus {
  DIPKG_STATUS_OCCURRED,
  DIPKG_STATUS_ONGOING,
  DIPKG_STATUS_PLANNED,
  DIPKG_STATUS_AGREED
} DipkgEventStatus;

/// Where a quote was found in the article text (set by the checker).
typedef struct DipkgQuoteSpan {
  bool located;
  size_t begin, end;   // code point offsets (NIF)
  const char *anchor;  // the matched text, borrowed from the text
  size_t anchor_len;
} DipkgQuoteSpan;

typedef struct DipkgEventFacts {
  DipkgLoc loc;
  DipkgValue id, type, date, status, title, location, forum, reverses, follows,
    part_of, responds_to, summary, cameo, plover, plover_mode;
  DipkgValues actors, targets, participants, concerns, quotes, caused_by,
    plover_context;
  DipkgQuoteSpan *spans;  // one per quote, filled by the checker
  const DipkgClass *cls;  // NULL if `type` is invalid
  DipkgDate when;
  bool when_valid;  // `date` parsed
  DipkgEventStatus status_value;
} DipkgEventFacts;

typedef struct DipkgFacts {
  const char *file;  // display name, as the user named it
  DipkgArticleFacts article;
  DipkgEntityFacts *entities;
  size_t n_entities;
  DipkgEventFacts *events;
  size_t n_events;
  const char *lang;  // language tag for labels: the article's, or "en"
  const char *text;  // the article text once loaded by the checker, or NULL
  size_t text_len;
  size_t text_chars;  // its length in code points
} DipkgFacts;

/// Names of DipkgEventStatus values ("occurred", ...).
extern const char *const dipkg_status_names[4];

/// Reads the facts in `root` (NULL for an empty document) into `out`,
/// checking everything that can be checked within the file: keys, value
/// kinds, ids, classes, dates, IRIs, codes.  Errors go to `diags`; what was
/// valid is still filled in (so ids can be indexed).  Returns DIPKG_ERR_DATA
/// if any error was reported, DIPKG_ERR_NO_MEMORY on allocation failure.
/// Everything allocated lives in `arena`.
DipkgStatus dipkg_facts_read(const DipkgYNode *root, const char *file,
                             const DipkgOntology *onto, DipkgArena *arena,
                             DipkgDiagList *diags, DipkgFacts *out);

#endif
