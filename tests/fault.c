/*
** tests/fault.c - fail each allocation of a scan in turn (the model is
** SQLite's own fts5fault tests).
**
**   build/fault DIR [TEST-PATTERN...]
**       DIR: a small tree of log files, bad ones included; the patterns
**       (globs, or whole names such as fault_pushdown) pick queries
**
** SQLite's allocator is replaced (SQLITE_CONFIG_MALLOC) by one that counts
** allocations and, once armed, fails the Nth: only that one (transient) or
** it and every later one (persistent). The extension allocates through
** SQLite (sqlite3_malloc), so this reaches its every allocation, on the
** query's thread and on the decoding threads. For each query, a clean run
** gives the expected answer and the number K of allocations; then for N in
** 1..K the query runs again with the Nth failing. Each run must end with
** the expected answer or with an error (never a crash, never a different
** answer without an error), must not log an out-of-memory as a skipped
** file (on_error=skip is for bad files, not for a lack of memory), and
** must not leak (run under ASan with leak detection by `make test`).
** Ends with "N passed, M failed" (the harness of tests/harness.h).
*/
#include "harness.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3_mem_methods realMem; /* SQLite's default allocator */
static long nAlloc;                 /* allocations since armed */
static long nFailAt;                /* fail the nFailAt-th (0: never) */
static int persistent;              /* ... and every later one */
static long nFailed;                /* allocations failed */

static int failNow(void) {
  long n;
  if (nFailAt == 0)
    return 0;
  n = __atomic_add_fetch(&nAlloc, 1, __ATOMIC_SEQ_CST);
  if (n == nFailAt || (persistent && n > nFailAt)) {
    __atomic_add_fetch(&nFailed, 1, __ATOMIC_SEQ_CST);
    return 1;
  }
  return 0;
}

static void *faultMalloc(int n) { return failNow() ? 0 : realMem.xMalloc(n); }

static void *faultRealloc(void *p, int n) {
  return failNow() ? 0 : realMem.xRealloc(p, n);
}

static void arm(long n, int isPersistent) {
  __atomic_store_n(&nAlloc, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&nFailed, 0, __ATOMIC_SEQ_CST);
  persistent = isPersistent;
  __atomic_store_n(&nFailAt, n, __ATOMIC_SEQ_CST);
}

static void disarm(void) { __atomic_store_n(&nFailAt, 0, __ATOMIC_SEQ_CST); }

/* Run zSql (?1 bound to zDir): its rows joined with '\n', into *pzOut
** (malloc'd, or NULL), and its error message into *pzErr (malloc'd: not
** through SQLite, which may be failing every allocation). */
static int runQuery(sqlite3 *db, const char *zSql, const char *zDir,
                    char **pzOut, char **pzErr) {
  sqlite3_stmt *st = 0;
  size_t n = 0, cap = 1 << 16;
  char *z = malloc(cap);
  int rc;
  *pzOut = *pzErr = 0;
  if (z == 0)
    abort();
  z[0] = 0;
  rc = sqlite3_prepare_v2(db, zSql, -1, &st, 0);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, zDir, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      int i;
      for (i = 0; i <= sqlite3_column_count(st); i++) {
        const char *t = i == sqlite3_column_count(st)
                            ? "\n"
                            : (const char *)sqlite3_column_text(st, i);
        size_t m;
        if (t == 0)
          t = sqlite3_errcode(db) == SQLITE_NOMEM ? "(nomem)" : "NULL";
        m = strlen(t);
        while (n + m + 2 > cap) {
          cap *= 2;
          z = realloc(z, cap);
          if (z == 0)
            abort();
        }
        memcpy(z + n, t, m);
        n += m;
        z[n++] = '|';
        z[n] = 0;
      }
    }
  }
  *pzOut = z;
  if (rc != SQLITE_DONE)
    *pzErr = strdup(sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return rc;
}

/* Skipped files logged as out of memory: must be none. */
static int oomSkips(sqlite3 *db) {
  sqlite3_stmt *st = 0;
  int n = -1;
  if (sqlite3_prepare_v2(db,
                         "SELECT count(*) FROM cloudtrail_errors WHERE "
                         "error LIKE '%out of memory%'",
                         -1, &st, 0) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int(st, 0);
  }
  sqlite3_finalize(st);
  return n;
}

/*
** Fail each allocation of zSql in turn (every iStep-th one), transient and
** persistent, and check each run.
*/
static void faultEach(const char *zName, const char *zSql, const char *zDir,
                      long iStep) {
  char *zWant, *zErr, *zOut;
  sqlite3 *db = openDb();
  long k, n, nRun = 0, nErr = 0;
  int mode;
  arm(1L << 62, 0); /* count, never fail */
  CHECKF(runQuery(db, zSql, zDir, &zWant, &zErr) == SQLITE_DONE, ": %s",
         zErr ? zErr : "");
  k = __atomic_load_n(&nAlloc, __ATOMIC_SEQ_CST);
  disarm();
  free(zErr);
  sqlite3_close(db);
  CHECKF(k > 10, ": only %ld allocations", k);
  for (mode = 0; mode < 2; mode++) {
    for (n = 1; n <= k + 1; n += iStep) {
      int rc;
      db = openDb();
      arm(n, mode);
      rc = runQuery(db, zSql, zDir, &zOut, &zErr);
      disarm();
      nRun++;
      if (rc == SQLITE_DONE) {
        CHECKF(zOut && strcmp(zOut, zWant) == 0,
               ": %s allocation %ld failed: no error, but the answer "
               "differs:\n%s\nwant:\n%s",
               mode ? "persistent" : "transient", n, zOut ? zOut : "(null)",
               zWant);
      } else {
        nErr++;
        CHECKF(zErr && zErr[0], ": allocation %ld: an error without a message",
               n);
      }
      CHECKF(oomSkips(db) == 0,
             ": allocation %ld: out of memory logged as a skipped file", n);
      free(zOut);
      free(zErr);
      sqlite3_close(db);
    }
  }
  CHECKF(nErr > 0, ": no run failed (%ld runs)", nRun);
  printf("%-40s %ld allocations, %ld runs, %ld errors\n", zName, k, nRun, nErr);
  free(zWant);
}

int main(int argc, char **argv) {
  static const struct {
    const char *zName;
    const char *zSql;
    long iStep;
  } aQuery[] = {
      {"fault_full_scan",
       "SELECT count(*), sum(length(record)), group_concat(eventName) FROM "
       "cloudtrail(?1, 'on_error=skip, threads=0')",
       1},
      {"fault_columns",
       "SELECT eventTime, eventName, userArn, requestParameters, readOnly, "
       "logFile FROM cloudtrail(?1, 'on_error=skip, threads=0')",
       1},
      {"fault_grouped_scan",
       "SELECT eventName, count(*) FROM cloudtrail(?1, 'on_error=skip, "
       "threads=0') GROUP BY eventName",
       1},
      {"fault_pushdown",
       "SELECT eventID FROM cloudtrail(?1, 'on_error=skip, threads=0') WHERE "
       "eventName IN ('ConsoleLogin', 'StopLogging', 'AssumeRole') AND "
       "eventTime >= '2014-01-01'",
       1},
      {"fault_pattern",
       "SELECT eventName, userArn FROM cloudtrail(?1 || '/*Compact*', "
       "'threads=0')",
       1},
      {"fault_files", "SELECT path, status FROM cloudtrail_files(?1)", 1},
      {"fault_threads",
       "SELECT eventName, count(*) FROM cloudtrail(?1, 'on_error=skip, "
       "threads=2') GROUP BY +eventName",
       3},
  };
  size_t i;
  sqlite3_mem_methods m;
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR [TEST-PATTERN...]\n", argv[0]);
    return 2;
  }
  testSelect(argc - 2, argv + 2);
  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &realMem);
  m = realMem;
  m.xMalloc = faultMalloc;
  m.xRealloc = faultRealloc;
  sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
  sqlite3_initialize();
  for (i = 0; i < sizeof(aQuery) / sizeof(aQuery[0]); i++) {
    if (testBegin(aQuery[i].zName)) {
      faultEach(aQuery[i].zName, aQuery[i].zSql, argv[1], aQuery[i].iStep);
      testEnd();
    }
  }
  return testReport();
}
