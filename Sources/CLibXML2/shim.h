#ifndef RELANCE_CLIBXML2_SHIM_H
#define RELANCE_CLIBXML2_SHIM_H
// xmlversion.h defines LIBXML_ICU_ENABLED on Debian; encoding.h then includes ICU's headers,
// whose UErrorCode clashes with Foundation's copy on a clean build. Undefine it in between.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/parserInternals.h>

/// `xmlFree` is a C global function pointer, which Swift 6 cannot import safely.
static inline void relance_xmlFree(void *p) { xmlFree(p); }

#endif
