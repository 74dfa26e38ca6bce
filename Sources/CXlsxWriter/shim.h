#ifndef RELANCE_CXLSXWRITER_SHIM_H
#define RELANCE_CXLSXWRITER_SHIM_H
// libxlsxwriter: XLSX reports and dossier listings (formats, several sheets, freeze panes, autofilter).
#include <xlsxwriter.h>
#endif
