/* IRI checks and minting.  Every IRI dipkg writes is either a constant, a
 * checked IRI from the input, or minted here from checked parts. */
#ifndef DIPKG_IRI_H
#define DIPKG_IRI_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

/// Longest id accepted (bytes).
#define DIPKG_MAX_ID 200

/// Whether `s` is a valid id: [a-z0-9][a-z0-9-]*, at most DIPKG_MAX_ID
/// bytes.  On failure `*why` explains and `*at` is the offending offset.
bool dipkg_id_check(const char *s, size_t len, const char **why, size_t *at);

/// Whether `s` is an absolute http or https IRI (RFC 3987) that can be
/// written in N-Triples without escapes.  On failure `*why` and `*at`.
bool dipkg_iri_check_http(const char *s, size_t len, const char **why,
                          size_t *at);

/// Appends `s` to `buf`, percent-encoding every byte outside the RFC 3986
/// unreserved set (A-Z a-z 0-9 - . _ ~).
void dipkg_iri_append_encoded(DipkgBuf *buf, const char *s, size_t len);

#endif
