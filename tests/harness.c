/*
** tests/harness.c - the test harness of tests/harness.h: failed checks,
** selecting tests by name or glob, and the "N passed, M failed" line.
*/
#include "harness.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *zTestName = "?"; /* Test now running */
static int nCheckFail;       /* Failed checks in the current test */
static long nCheck;          /* Checks made, all tests */
static int nPass, nFail;     /* Tests passed and failed */
static int nPattern;         /* Patterns on the command line */
static char **azPattern;     /* The patterns */
#define TEST_MAX_PATTERN 256
static unsigned char aMatch[TEST_MAX_PATTERN]; /* azPattern[i] matched */

void checkFailed(const char *zFile, int line, const char *zExpr,
                 const char *zFmt, ...) {
  va_list ap;
  fprintf(stderr, "%s:%d: %s: CHECK(%s) failed", zFile, line, zTestName, zExpr);
  va_start(ap, zFmt);
  vfprintf(stderr, zFmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  __atomic_add_fetch(&nCheckFail, 1, __ATOMIC_SEQ_CST);
}

void checkCounted(void) { __atomic_add_fetch(&nCheck, 1, __ATOMIC_RELAXED); }

int contains(const char *z, const char *zSub) {
  return z != 0 && strstr(z, zSub) != 0;
}

void testSelect(int n, char **az) {
  if (n > TEST_MAX_PATTERN) {
    fprintf(stderr, "more than %d test patterns\n", TEST_MAX_PATTERN);
    exit(2);
  }
  nPattern = n > 0 ? n : 0;
  azPattern = az;
  setvbuf(stdout, 0, _IOLBF, 0);
}

int testWanted(const char *zName) {
  int i, wanted = nPattern == 0;
  for (i = 0; i < nPattern; i++) {
    if (fnmatch(azPattern[i], zName, 0) == 0) {
      aMatch[i] = 1;
      wanted = 1;
    }
  }
  return wanted;
}

int testBegin(const char *zName) {
  if (!testWanted(zName))
    return 0;
  zTestName = zName;
  __atomic_store_n(&nCheckFail, 0, __ATOMIC_SEQ_CST);
  return 1;
}

void testEnd(void) {
  if (__atomic_load_n(&nCheckFail, __ATOMIC_SEQ_CST) == 0) {
    nPass++;
  } else {
    nFail++;
    printf("FAIL %s\n", zTestName);
  }
  zTestName = "?";
}

void testRun(const char *zName, void (*xTest)(void)) {
  if (testBegin(zName)) {
    xTest();
    testEnd();
  }
}

int testReport(void) {
  int i, rc = nFail > 0;
  for (i = 0; i < nPattern; i++) {
    if (!aMatch[i]) {
      fprintf(stderr, "no test matches \"%s\"\n", azPattern[i]);
      rc = 2;
    }
  }
  printf("%d tests, %ld checks\n", nPass + nFail, nCheck);
  printf("%d passed, %d failed\n", nPass, nFail);
  return rc;
}

#ifdef SQLITE_CORE
sqlite3 *openDb(void) {
  sqlite3 *db = 0;
  char *zErr = 0;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
      sqlite3_cloudtrail_init(db, &zErr, 0) != SQLITE_OK) {
    fprintf(stderr, "cannot open: %s\n", zErr ? zErr : "?");
    exit(1);
  }
  return db;
}
#endif
