#ifndef RELANCE_CPANGOCAIRO_SHIM_H
#define RELANCE_CPANGOCAIRO_SHIM_H
// cairo + pango: PDF letters, statements and formal notices with exact, justified French text.
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

/// PANGO_SCALE is a macro Swift imports, but keep the unit conversions in one place.
static inline int relance_pango_units(double points) { return (int)(points * PANGO_SCALE + 0.5); }
#endif
