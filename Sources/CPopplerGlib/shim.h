#ifndef RELANCE_CPOPPLERGLIB_SHIM_H
#define RELANCE_CPOPPLERGLIB_SHIM_H
// poppler-glib: read the files embedded in a Factur-X / ZUGFeRD PDF (PDF/A-3 attachments).
#include <poppler.h>
#endif
