#ifndef RELANCE_CLIBXML2_SHIM_H
#define RELANCE_CLIBXML2_SHIM_H
// ICU's UErrorCode clashes with Foundation's on a clean build: keep libxml2's ICU part out.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/parserInternals.h>

/// `xmlFree` is a C global function pointer, which Swift 6 cannot import safely.
static inline void relance_xmlFree(void *p) { xmlFree(p); }

#endif
