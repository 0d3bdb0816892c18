/*
** tests/unit/helpers.h - what the unit test files share: the harness, the
** temporary directory and files in it, the fixed-seed random generator,
** exact-size copies (so that ASan catches a read past a text's end), the
** JSON scanner's verdict on a whole text, and the test tables that
** tests/unit/main.c runs (one per file, ended by {0, 0}).
*/
#ifndef CT_UNIT_HELPERS_H
#define CT_UNIT_HELPERS_H

#include "../harness.h"
#include "ct_json.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The mkdtemp() directory, made by main() and removed at the end. */
extern char zTmp[64];

/* malloc'd path zTmp/zRel. */
char *tmpPath(const char *zRel);

/* Write p[0..n) to zPath (abort on error). */
void writeFile(const char *zPath, const void *p, size_t n);

/* Write zRel under zTmp; returns the malloc'd full path. */
char *writeTmp(const char *zRel, const void *p, size_t n);

/* mkdir zPath (0755) unless it exists (abort on error). */
void makeDir(const char *zPath);

/* Remove zPath and all under it; symbolic links are removed, not followed. */
void rmTree(const char *zPath);

/* A fixed-seed xorshift generator: the fuzz loops are deterministic. main()
** sets rngState to RNG_SEED before each test, so that a test draws the same
** numbers run alone as in the whole run. */
#define RNG_SEED 0x9E3779B97F4A7C15ull
extern uint64_t rngState;
uint32_t rnd(void);
size_t rndBelow(size_t n); /* 0..n-1 (0 if n is 0) */

/* Print n bytes of z with non-printable bytes as \xNN. */
void printEscaped(FILE *f, const char *z, size_t n);

/* Copy z[0..n) into an exactly-sized malloc'd buffer, so that ASan reports
** any read past the end. (n == 0 gets 1 byte, never read.) */
char *exactCopy(const char *z, size_t n);

/* Our verdict on the whole text buf[0..n): one value, whitespace around. */
int ourAccepts(const char *buf, size_t n, size_t *pStart, size_t *pEnd,
               CtJsonError *pErr);

/* -1, 0 or 1 as x is negative, zero or positive. */
int sign(int x);

/* True if the span sp of buf holds exactly the text z. */
int spanIs(const char *buf, CtSpan sp, const char *z);
#define CHECK_SPAN(buf, sp, z)                                                 \
  CHECKF(spanIs((buf), (sp), (z)),                                             \
         ": span {%zu,%zu} is \"%.*s\", want \"%s\"", (sp).off, (sp).len,      \
         (int)(sp).len, (buf) + (sp).off, (z))

/* The tests of each file, in the order main() runs them. */
extern const Test aUnitUtil[];     /* util.c */
extern const Test aUnitJson[];     /* json.c */
extern const Test aUnitJsonFuzz[]; /* json_fuzz.c */
extern const Test aUnitGroup[];    /* group.c */
extern const Test aUnitInflate[];  /* inflate.c */
extern const Test aUnitRecords[];  /* records.c */
extern const Test aUnitTime[];     /* time.c */
extern const Test aUnitEvent[];    /* event.c */
extern const Test aUnitWalk[];     /* walk.c */
extern const Test aUnitPool[];     /* pool.c */
extern const Test aUnitBuf[];      /* buf.c */
extern const Test aUnitFilter[];   /* filter.c */
extern const Test aUnitDecode[];   /* decode.c */
extern const Test aUnitLogname[];  /* logname.c */
extern const Test aUnitIp[];       /* ip.c */

#endif /* CT_UNIT_HELPERS_H */
