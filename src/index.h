/* The id index: every article, entity and event id of the corpus, with what
 * other files need to know about it.  Built in pass 1 (in input order, so
 * the result is deterministic), read-only in pass 2. */
#ifndef DIPKG_INDEX_H
#define DIPKG_INDEX_H

#include "diag.h"
#include "ontology.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum DipkgIdKind {
  DIPKG_ID_ARTICLE,
  DIPKG_ID_ENTITY,
  DIPKG_ID_EVENT
} DipkgIdKind;

/// What the index knows of one id.
typedef struct DipkgIdInfo {
  const char *id;
  size_t id_len;
  const DipkgClass *cls;  // entities and events; NULL if the type was invalid
  const char *name;       // entities: the label
  const char *lang;       // entities: the label's language
  const char *canon;      // entities: canonical form of the definition
  size_t canon_len;
  uint32_t file;  // index of the defining (canonical) file
  DipkgLoc loc;   // where it is defined there
} DipkgIdInfo;

typedef struct DipkgIndex DipkgIndex;

/// A new empty index, or NULL when out of memory.
DipkgIndex *dipkg_index_new(void);
/// Frees the index.  NULL is a no-op.
void dipkg_index_free(DipkgIndex *index);

typedef enum DipkgIndexResult {
  DIPKG_INDEX_ADDED,     // new id
  DIPKG_INDEX_SAME,      // entity already defined identically
  DIPKG_INDEX_CONFLICT,  // id already defined (differently, for entities)
  DIPKG_INDEX_NO_MEMORY
} DipkgIndexResult;

/// Adds `info` (copied) under `kind`.  On SAME or CONFLICT, `*existing` is
/// the earlier definition.
DipkgIndexResult dipkg_index_add(DipkgIndex *index, DipkgIdKind kind,
                                 const DipkgIdInfo *info,
                                 const DipkgIdInfo **existing);

/// The definition of `id`, or NULL.
const DipkgIdInfo *dipkg_index_get(const DipkgIndex *index, DipkgIdKind kind,
                                   const char *id, size_t len);

/// Number of ids of `kind`.
size_t dipkg_index_count(const DipkgIndex *index, DipkgIdKind kind);

/// Calls `fn` for every id of `kind` (in no particular order) until it
/// returns false.
void dipkg_index_each(const DipkgIndex *index, DipkgIdKind kind,
                      bool (*fn)(void *user, const DipkgIdInfo *info),
                      void *user);

/// Bytes the index occupies (for the scale benchmark).
size_t dipkg_index_footprint(const DipkgIndex *index);

/// Name of the first field in which two canonical entity forms differ, or
/// NULL if they are equal.
const char *dipkg_canon_diff(const char *a, size_t alen, const char *b,
                             size_t blen);

#endif
