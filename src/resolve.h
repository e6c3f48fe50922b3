/* Resolution of one file's facts against the whole corpus: references resolve
 * to ids of the right kind and class, and quotes are found in the article
 * text.  Runs after the index of every file is built. */
#ifndef DIPKG_RESOLVE_H
#define DIPKG_RESOLVE_H

#include "arena.h"
#include "diag.h"
#include "facts.h"
#include "index.h"
#include "ontology.h"

/// Checks `facts` (read from `path`, which locates `text:` files) and fills
/// in what the mapper needs: the article text and each quote's span.
/// `text_root` (the resolved, absolute directory the text must lie in, or
/// NULL for anywhere) bounds where `text:` may point; `root_display` names
/// that directory in messages.  Errors go to `diags`; returns DIPKG_ERR_DATA
/// if any, DIPKG_ERR_NO_MEMORY on allocation failure.  The text is loaded
/// into `arena`.
DipkgStatus dipkg_facts_resolve(DipkgFacts *facts, const char *path,
                                const char *text_root, const char *root_display,
                                const DipkgOntology *onto,
                                const DipkgIndex *index, DipkgArena *arena,
                                DipkgDiagList *diags);

#endif
