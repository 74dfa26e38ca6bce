#ifndef RELANCE_CARCHIVE_SHIM_H
#define RELANCE_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

/// File-type macros are casts Swift cannot import.
static const unsigned int relance_AE_IFREG = AE_IFREG;
static const unsigned int relance_AE_IFDIR = AE_IFDIR;
static const unsigned int relance_AE_IFLNK = AE_IFLNK;
static const unsigned int relance_AE_IFMT = AE_IFMT;
static const unsigned int relance_AE_IFCHR = AE_IFCHR;
static const unsigned int relance_AE_IFBLK = AE_IFBLK;
static const unsigned int relance_AE_IFIFO = AE_IFIFO;
static const unsigned int relance_AE_IFSOCK = AE_IFSOCK;

#endif
