/*
** ct_util.h - small helpers shared by the modules that do not use SQLite.
*/
#ifndef CT_UTIL_H
#define CT_UTIL_H

#include <stddef.h>

/* malloc'd printf; returns NULL only when out of memory. */
char *ctMprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* True if z (n bytes) ends with the NUL-terminated lower-case suffix s,
** in any letter case. */
int ctEndsWithNoCase(const char *z, size_t n, const char *s);

/* The first occurrence of the k bytes z in the n bytes h, or NULL (h
** itself if k is 0): memmem, faster for the short needles of pushdown. */
const char *ctFind(const char *h, size_t n, const char *z, size_t k);

#endif /* CT_UTIL_H */
