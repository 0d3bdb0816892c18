/*
** ct_util.h - small helpers shared by the modules that do not use SQLite.
*/
#ifndef CT_UTIL_H
#define CT_UTIL_H

#include <stddef.h>

/*
** The one allocator of the modules that do not use SQLite. It is malloc's
** until ctAllocUse() hands it other functions: the extension hands it
** SQLite's (sqlite3_malloc64...), so that SQLite's heap limit caps what a
** scan allocates and tests can fail each allocation in turn (tests/fault.c).
** xReserve, if set, is asked before a file's text is mapped (ct_buf),
** which does not go through xMalloc: it returns 0 to refuse n more bytes.
** Set it once, before any scan; every thread uses the same one.
*/
typedef struct CtAllocator {
  void *(*xMalloc)(size_t n);
  void *(*xRealloc)(void *p, size_t n);
  void (*xFree)(void *p);
  int (*xReserve)(size_t n);
} CtAllocator;

void ctAllocUse(const CtAllocator *p);
void *ctMalloc(size_t n);
void *ctCalloc(size_t n, size_t size); /* zeroed; NULL if n*size overflows */
void *ctRealloc(void *p, size_t n);
void ctFree(void *p);
int ctReserve(size_t n);       /* xReserve's answer, 1 if there is none */
char *ctStrdup(const char *z); /* NULL: out of memory */

/*
** Arrays. ctResize(ppArray, n, szElem) makes the array *ppArray (any
** pointer type, passed by address) hold n elements of szElem bytes,
** keeping its content: 0 on success, 1 if n * szElem overflows or memory
** runs out (then *ppArray is unchanged and still valid).
**
** ctGrow(ppArray, pnAlloc, nNeed, szElem, nFirst) makes room for at least
** nNeed elements in an array of *pnAlloc: nothing if it has them, else it
** doubles *pnAlloc (starting from nFirst if 0) until they fit, and resizes.
** Returns 0, or 1 on overflow or out of memory (nothing changed). The test
** is inline; only a full array calls out. ctGrow(&a, &nAlloc, n + 1, sizeof
** *a, 16) before a[n++] = x is the usual use.
*/
int ctResize(void *ppArray, size_t n, size_t szElem);
int ctGrowSlow(void *ppArray, size_t *pnAlloc, size_t nNeed, size_t szElem,
               size_t nFirst);
static inline int ctGrow(void *ppArray, size_t *pnAlloc, size_t nNeed,
                         size_t szElem, size_t nFirst) {
  return nNeed <= *pnAlloc
             ? 0
             : ctGrowSlow(ppArray, pnAlloc, nNeed, szElem, nFirst);
}

/* True if the error message z (NULL: no message could be made) says that
** memory ran out ("out of memory", or strerror(ENOMEM)): not a fault of
** the file, so on_error=skip does not pass over it. */
int ctIsNoMem(const char *z);

/* ctMalloc'd printf; returns NULL only when out of memory. */
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

/*
** A file name made safe to show in a message: a backslash becomes "\\",
** newline, tab and carriage return "\n", "\t", "\r", and every other byte
** that is a control character (below 0x20, 0x7f, or a C1 control U+0080 to
** U+009F) or not part of valid UTF-8 becomes "\xHH". Other text (printable
** ASCII, valid UTF-8) is kept. Returns a malloc'd string, NULL only when out
** of memory. Messages use it; data (logFile, cloudtrail_errors.file) keeps
** the exact name.
*/
char *ctEscapeName(const char *z);

#endif /* CT_UTIL_H */
