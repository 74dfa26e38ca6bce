#ifndef RELANCE_CARCHIVE_SHIM_H
#define RELANCE_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

/// File-type macros are casts Swift cannot import.
static const unsigned int relance_AE_IFREG = AE_IFREG;
static const unsigned int relance_AE_IFDIR = AE_IFDIR;
static const unsigned int relance_AE_IFLNK = AE_IFLNK;

#endif
