/* Store backends: the one place that knows what each kind of store is.
 * A table row per backend (memory:, bdb:DIR, sqlite:PATH, and TYPE:OPTIONS
 * for any other Redland storage) says how its spec is parsed, the Redland
 * options it opens with (read-only for reads), what a path holding it
 * looks like (and what is refused: anything that is not a dipkg store of
 * that kind), how it is copied for a load, and where its metadata lives.
 * The load transaction of a store on disk (the lock, the working copy,
 * stale copies, the free-space watchdog, the swap) lives here too, so
 * that store.c only says what to load.  No Redland in here: model.c opens
 * storages with the options this module gives.
 *
 * A new backend (a remote endpoint, Virtuoso) is a new row of `backends`
 * in backend.c, with its functions beside it. */
#ifndef DIPKG_BACKEND_H
#define DIPKG_BACKEND_H

#include "diag.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum DipkgStoreKind {
  DIPKG_STORE_MEMORY,  // memory:          Redland hashes in memory
  DIPKG_STORE_BDB,     // bdb:DIR          Redland hashes on Berkeley DB
  DIPKG_STORE_SQLITE,  // sqlite:PATH      Redland's sqlite storage
  DIPKG_STORE_OTHER    // TYPE:OPTIONS     any other Redland storage
} DipkgStoreKind;

typedef struct DipkgBackend DipkgBackend;

/// A parsed store spec.  Strings are owned; free with
/// dipkg_store_spec_fini().
typedef struct DipkgStoreSpec {
  DipkgStoreKind kind;
  char *type;      // Redland storage name ("hashes", "sqlite", ...)
  char *location;  // bdb: directory; sqlite: file; other: the name option
  char *options;   // other: the option string as given
  char *text;      // the spec as the user wrote it
  const DipkgBackend *backend;  // its row (static)
} DipkgStoreSpec;

/// What a backend on disk does with its path (backend.c).
typedef struct DipkgDiskOps DipkgDiskOps;

/// What a backend does: one row per kind of store (`backends` in
/// backend.c).
struct DipkgBackend {
  const char *scheme;  // "bdb" (NULL: any other Redland storage)
  DipkgStoreKind kind;
  const char *redland_type;  // the Redland storage ("hashes"; NULL: given)
  const char *redland_name;  // the storage's name (NULL: its location)
  const DipkgDiskOps *disk;  // at a path: locked, copied, checked, metadata
  bool persistent;           // outlives the process (memory: does not)
  bool hashes;               // Redland's hashes (keeps duplicates)
  bool in_place;      // written in place, its model kept open after a load
  bool pass_through;  // TYPE:OPTIONS: may lack transactions (validated
                      // first, written in a transaction if it has them)
  /// Redland's option string to open the store at `where` (caller frees),
  /// or NULL when out of memory.  `write`: for a load (else read-only);
  /// `exists`: a store is there already.
  char *(*options)(const DipkgStoreSpec *spec, const char *where, bool write,
                   bool exists);
  /// Run on the store at `where` once Redland has opened it for a load
  /// (sqlite: the indexes Redland's schema lacks), or NULL.
  DipkgStatus (*prepare)(const char *where, DipkgDiagList *diags);
};

/// Parses "memory:", "bdb:DIR", "sqlite:PATH" or "TYPE:OPTIONS".
/// DIPKG_ERR_USAGE with a diagnostic for anything else.
DipkgStatus dipkg_store_spec_parse(const char *text, DipkgStoreSpec *spec,
                                   DipkgDiagList *diags);
void dipkg_store_spec_fini(DipkgStoreSpec *spec);

/// A copy of `from` into `to` (strings duplicated); false when out of
/// memory (then `to` holds what was copied: fini it).
bool dipkg_store_spec_copy(DipkgStoreSpec *to, const DipkgStoreSpec *from);

/// Whether a persistent store exists at `where` (the spec's location when
/// NULL; memory and other storages: true).
bool dipkg_store_spec_exists(const DipkgStoreSpec *spec, const char *where);

/// What a store records about itself (beside its data): owned strings.
typedef struct DipkgStoreMeta {
  char *base;      // the base IRI of its last load
  char *version;   // the dipkg version that wrote it
  char *ontology;  // a fingerprint of the ontology it was loaded with
  uint64_t statements;
  bool has_statements;
  char *files;  // bdb: "NAME SIZE\n" per database file
} DipkgStoreMeta;

void dipkg_store_meta_fini(DipkgStoreMeta *meta);

/// Reads the metadata of the store at the spec's location.  DIPKG_SUCCESS
/// with `*found` false for a store without any (made before dipkg kept
/// them, or not on disk).
DipkgStatus dipkg_store_meta_read(const DipkgStoreSpec *spec,
                                  DipkgStoreMeta *meta, bool *found,
                                  DipkgDiagList *diags);

/// Checks a store on disk before it is read: every file it should have is
/// there with the size its metadata records.  DIPKG_ERR_STORE ("the store
/// is damaged: ...") otherwise; DIPKG_SUCCESS for other backends.  Writes
/// nothing.
DipkgStatus dipkg_store_verify(const DipkgStoreSpec *spec,
                               DipkgDiagList *diags);

/* ------------------------------------------------ load transactions */

/// A load of a store on disk in progress (opaque).
typedef struct DipkgStoreTxn DipkgStoreTxn;

struct DipkgWorldImpl;

/// Begins a load of the store on disk of `spec`: resolves a symbolic link
/// to its target, takes the store's lock (waiting up to `lock_wait_s`
/// seconds, saying so through `world`), removes the stale working copies
/// of dead loads (saying so), refuses a path holding anything but a dipkg
/// store of this kind or nothing, checks the free space, and makes the
/// working copy (registered as a temporary: a signal removes it) that the
/// load writes into.  DIPKG_ERR_STORE (locked, not a store), DIPKG_ERR_IO
/// (a full disk, a copy that failed), each with a diagnostic delivered.
DipkgStatus dipkg_store_txn_begin(struct DipkgWorldImpl *world,
                                  const DipkgStoreSpec *spec,
                                  unsigned lock_wait_s, DipkgStoreTxn **out);

/// Where the load writes (the working copy; borrowed).
const char *dipkg_store_txn_where(const DipkgStoreTxn *txn);

/// The metadata the store had (NULL: none).  Borrowed.
const DipkgStoreMeta *dipkg_store_txn_meta(const DipkgStoreTxn *txn);

/// The free-space watchdog, called as the load writes: DIPKG_ERR_IO with a
/// diagnostic once the disk of the working copy has less free space than
/// the reserve a database needs to fail cleanly.
DipkgStatus dipkg_store_txn_check_space(DipkgStoreTxn *txn,
                                        DipkgDiagList *diags);

/// Commits: writes `meta` into the working copy (after the model is
/// closed), flushes it to disk, and puts it in the place of the store in
/// one rename (between dipkg_temp_lock() and dipkg_temp_unlock()).
DipkgStatus dipkg_store_txn_commit(DipkgStoreTxn *txn,
                                   const DipkgStoreMeta *meta,
                                   DipkgDiagList *diags);

/// Ends the transaction: removes the working copy if not committed,
/// releases the lock, frees.  NULL is a no-op.
void dipkg_store_txn_end(DipkgStoreTxn *txn);

#endif
