/* The server's internals that tests reach (the public API is in dipkg.h). */
#ifndef DIPKG_SERVER_H
#define DIPKG_SERVER_H

/// The q-value an HTTP Accept header gives `media` ("type/subtype"): that
/// of the most specific matching media range (RFC 9110 12.5.1), -1 when no
/// range matches.
double dipkg_accept_quality(const char *accept, const char *media);

#endif
