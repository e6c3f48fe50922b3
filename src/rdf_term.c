#include "rdf_term.h"

#include <limits.h>
#include <string.h>

_Static_assert(DIPKG_RDF_LANG_SIZE > UCHAR_MAX,
               "a raptor language tag (unsigned char length) fits");

void
dipkg_rdf_term_view(const raptor_term *t, DipkgTerm *out,
                    char lang[DIPKG_RDF_LANG_SIZE])
{
  memset(out, 0, sizeof *out);
  switch (t->type) {
  case RAPTOR_TERM_TYPE_URI: {
    size_t len;
    out->kind = DIPKG_TERM_IRI;
    out->str = (const char *)raptor_uri_as_counted_string(t->value.uri, &len);
    out->len = len;
    break;
  }
  case RAPTOR_TERM_TYPE_BLANK:
    out->kind = DIPKG_TERM_BLANK;
    out->str = (const char *)t->value.blank.string;
    out->len = t->value.blank.string_len;
    break;
  case RAPTOR_TERM_TYPE_LITERAL:
    out->kind = DIPKG_TERM_LITERAL;
    out->str = (const char *)t->value.literal.string;
    out->len = t->value.literal.string_len;
    if (t->value.literal.datatype)
      out->datatype =
        (const char *)raptor_uri_as_string(t->value.literal.datatype);
    if (t->value.literal.language && t->value.literal.language_len) {
      memcpy(lang, t->value.literal.language, t->value.literal.language_len);
      lang[t->value.literal.language_len] = '\0';
      out->lang = lang;
    }
    break;
  case RAPTOR_TERM_TYPE_UNKNOWN:
  default:
    out->kind = DIPKG_TERM_BLANK;
    out->str = "";
    break;
  }
}
