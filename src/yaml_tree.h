/* A YAML document as a tree of located nodes, read with libyaml's event
 * parser under explicit limits.  Everything lives in the caller's arena. */
#ifndef DIPKG_YAML_TREE_H
#define DIPKG_YAML_TREE_H

#include "arena.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum DipkgYKind {
  DIPKG_Y_SCALAR,
  DIPKG_Y_SEQUENCE,
  DIPKG_Y_MAPPING
} DipkgYKind;

typedef struct DipkgYNode DipkgYNode;

typedef struct DipkgYPair {
  DipkgYNode *key;  // always a scalar
  DipkgYNode *value;
} DipkgYPair;

struct DipkgYNode {
  DipkgYKind kind;
  bool plain;  // a scalar written without quotes (so `~` or `null` is null)
  DipkgLoc loc;
  union {
    struct {
      const char
        *str;  // NUL-terminated, valid UTF-8 (may contain NUL if quoted "\0")
      size_t len;
    } scalar;
    struct {
      DipkgYNode **items;
      size_t n;
    } seq;
    struct {
      DipkgYPair *pairs;
      size_t n;
    } map;
  } u;
};

/// Limits that keep a hostile file from exhausting time or memory.
typedef struct DipkgYLimits {
  size_t max_depth;    // nesting of collections
  size_t max_scalar;   // bytes in one scalar
  size_t max_aliases;  // alias uses per file
  size_t max_nodes;    // nodes per file
} DipkgYLimits;

/// The defaults: depth 64, scalars of 1 MiB, 64 aliases, 4 million nodes.
extern const DipkgYLimits dipkg_y_default_limits;

/// Parses the single YAML document in `data` (`len` bytes).  On success
/// `*root` is the top node, or NULL for an empty document.  On a syntax
/// error or an exceeded limit, returns DIPKG_ERR_DATA (or DIPKG_ERR_LIMIT)
/// with a located diagnostic in `diags`; nodes built so far stay in the
/// arena.  Duplicate keys, non-scalar keys, tags, aliases to collections that
/// themselves contain aliases, and more than one document are errors.
DipkgStatus dipkg_yaml_parse(const char *data, size_t len, const char *file,
                             const DipkgYLimits *limits, DipkgArena *arena,
                             DipkgDiagList *diags, DipkgYNode **root);

/// Whether `node` is a YAML null: a plain `~`, `null`, `Null`, `NULL` or
/// an empty plain scalar.
bool dipkg_y_is_null(const DipkgYNode *node);

/// Human name of a node's kind for messages: "a mapping", "a list", "text".
const char *dipkg_y_kind_name(const DipkgYNode *node);

#endif
