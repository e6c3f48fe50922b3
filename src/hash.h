/* Hashing, in one place: one string hash (and a fingerprint of RDF terms
 * built on it) for what stays in memory, one stable fingerprint for what
 * is written out, and one open-addressing set of 64-bit entries that every
 * hash table of dipkg uses (the id index, the graph's terms, the files of a
 * corpus, the graphs a load replaced, the closure's statements and the
 * fingerprint sets of a load and of a query).
 *
 * The set stores nonzero 64-bit entries: a fingerprint itself, or a
 * pointer or array index (plus one) into the caller's own storage.  It
 * keeps no hashes: the caller says how to hash an entry (for growth) and
 * how to compare one with a key (for lookups), so a slot is 8 bytes.
 * Linear probing over a power-of-two table, at most 3/4 full.  Iteration
 * order is the table's order, which depends on the hash: nothing dipkg
 * writes may depend on it. */
#ifndef DIPKG_HASH_H
#define DIPKG_HASH_H

#include "sink.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Hash of the `len` bytes at `data`, continuing from `seed` (0 to start):
/// eight bytes a step, then the murmur3 finaliser.  The length is part of
/// the hash, so chained calls hash a sequence of fields unambiguously.
uint64_t dipkg_hash_bytes(uint64_t seed, const void *data, size_t len);

/// Hash of the NUL-terminated string `s`, continuing from `seed`.
uint64_t dipkg_hash_str(uint64_t seed, const char *s);

/// The murmur3 finaliser of `x`: a hash of an integer key.
uint64_t dipkg_hash_mix(uint64_t x);

/// The stable fingerprint of the `len` bytes at `data` (64-bit FNV-1a),
/// continuing from `h` (DIPKG_FINGERPRINT_START to start): for values that
/// leave the process (blank node labels, store metadata, entity tags),
/// which must not change from one version of dipkg to the next, as the
/// hashes above may.
uint64_t dipkg_fingerprint(uint64_t h, const void *data, size_t len);
#define DIPKG_FINGERPRINT_START 0xcbf29ce484222325u

/// Fingerprint of term `t` (kind, text, datatype, language), continuing
/// from `seed`: chain it over a statement's terms to fingerprint the
/// statement.  Terms that differ in any part differ in fingerprint but for
/// a 2^-64 chance.
uint64_t dipkg_hash_term(uint64_t seed, const DipkgTerm *t);

/// A set of nonzero 64-bit entries (open addressing); starts zeroed.
typedef struct DipkgHashSet {
  uint64_t *slots;  // 0: an empty slot (owned)
  size_t cap;       // a power of two, or 0
  size_t n;         // entries
} DipkgHashSet;

/// The hash of `entry` (as the key it stands for hashes).
typedef uint64_t (*DipkgHashOf)(const void *user, uint64_t entry);
/// Whether `entry` stands for `key`.
typedef bool (*DipkgHashEq)(const void *user, uint64_t entry, const void *key);

/// Makes room for one more entry, growing the table (rehashing the entries
/// with `hash_of`) when it would be more than 3/4 full; false when out of
/// memory (the set is unchanged then).
bool dipkg_hashset_reserve(DipkgHashSet *set, DipkgHashOf hash_of,
                           const void *user);

/// The slot of the entry that `eq` says stands for `key` (whose hash is
/// `hash`), or else the empty slot where it belongs; NULL when the set has
/// no table yet.  Borrowed until the set changes; to add, call
/// dipkg_hashset_reserve() first, then dipkg_hashset_put() on the slot.
static inline uint64_t *
dipkg_hashset_find(const DipkgHashSet *set, uint64_t hash, DipkgHashEq eq,
                   const void *user, const void *key)
{
  if (!set->cap)
    return NULL;
  size_t mask = set->cap - 1;
  for (size_t k = (size_t)hash & mask;; k = (k + 1) & mask)
    if (!set->slots[k] || eq(user, set->slots[k], key))
      return &set->slots[k];
}

/// Stores `entry` (nonzero) in the empty `slot` found by
/// dipkg_hashset_find().
static inline void
dipkg_hashset_put(DipkgHashSet *set, uint64_t *slot, uint64_t entry)
{
  *slot = entry;
  set->n++;
}

/// Empties the set, keeping its table.
void dipkg_hashset_empty(DipkgHashSet *set);

/// Frees the table; the set is empty and zeroed again.
void dipkg_hashset_free(DipkgHashSet *set);

typedef enum DipkgHashAdd {
  DIPKG_HASH_ADDED,    // new
  DIPKG_HASH_PRESENT,  // added before
  DIPKG_HASH_NO_MEMORY
} DipkgHashAdd;

/// Adds fingerprint `f` to a set of fingerprints (entries that are their
/// own hash and key; 0 is stored as 1).
DipkgHashAdd dipkg_hashset_add_fp(DipkgHashSet *set, uint64_t f);

#endif
