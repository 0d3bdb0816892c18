/*
** tests/conn.c - the extension through SQLite's C API, where Python cannot
** reach: a connection closed mid-scan, statements abandoned while worker
** threads read ahead, many connections scanning on threads at once, and
** sqlite3_interrupt() from another thread during a long walk.
**
**   build/conn DIR [TEST-PATTERN...]
**       DIR: a tree of log files (tests/data/real); the patterns (globs,
**       or whole names) pick tests to run, as in build/unit
**
** Run in the normal build, under ASan+UBSan with leak detection (so a scan
** torn down mid-way must free everything) and under ThreadSanitizer. Ends
** with "N passed, M failed" (the harness of tests/harness.h).
*/
#include "harness.h"

#include <sqlite3.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *zDir; /* the tree under test */

/* All rows of a one-text-column query, joined with '\n' (malloc'd). */
static char *collect(sqlite3 *db, const char *zSql, const char *zArg,
                     int *pRc) {
  sqlite3_stmt *st = 0;
  sqlite3_str *s = sqlite3_str_new(0);
  int rc = sqlite3_prepare_v2(db, zSql, -1, &st, 0);
  char *z;
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, zArg, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const unsigned char *t = sqlite3_column_text(st, 0);
      sqlite3_str_appendf(s, "%s\n", t ? (const char *)t : "NULL");
    }
  }
  sqlite3_finalize(st);
  *pRc = rc;
  z = sqlite3_str_finish(s);
  return z ? z : sqlite3_mprintf("");
}

static const char *zGroupSql =
    "SELECT ifnull(eventName,'-') || ' ' || count(*) FROM "
    "cloudtrail(?1, 'on_error=skip, threads=2') GROUP BY eventName";
static const char *zPlainSql =
    "SELECT ifnull(eventName,'-') || ' ' || count(*) FROM "
    "cloudtrail(?1, 'on_error=skip, threads=0') GROUP BY +eventName";

static void closeMidScan(void) {
  int i;
  for (i = 0; i < 10; i++) {
    sqlite3 *db = openDb();
    sqlite3_stmt *st = 0;
    CHECK(sqlite3_prepare_v2(db,
                             "SELECT eventName FROM cloudtrail(?1, "
                             "'on_error=skip, threads=2')",
                             -1, &st, 0) == SQLITE_OK);
    sqlite3_bind_text(st, 1, zDir, -1, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_ROW);    /* workers are reading ahead */
    CHECK(sqlite3_close(db) == SQLITE_BUSY);  /* a statement is open */
    CHECK(sqlite3_close_v2(db) == SQLITE_OK); /* closes when it ends */
    CHECK(sqlite3_step(st) == SQLITE_ROW);    /* still usable */
    CHECK(sqlite3_finalize(st) == SQLITE_OK); /* now the db goes too */
  }
  {
    sqlite3 *db = openDb();
    for (i = 0; i < 20; i++) {
      sqlite3_stmt *st = 0;
      int k;
      CHECK(sqlite3_prepare_v2(db,
                               "SELECT record FROM cloudtrail(?1, "
                               "'on_error=skip, threads=3')",
                               -1, &st, 0) == SQLITE_OK);
      sqlite3_bind_text(st, 1, zDir, -1, SQLITE_STATIC);
      for (k = 0; k < i; k++)
        CHECK(sqlite3_step(st) == SQLITE_ROW);
      CHECK(sqlite3_finalize(st) == SQLITE_OK);
    }
    CHECK(sqlite3_close(db) == SQLITE_OK);
  }
}

typedef struct Job {
  const char *zWant;
  int nBad;
} Job;

static void *scanner(void *p) {
  Job *job = p;
  sqlite3 *db = openDb();
  int i;
  for (i = 0; i < 4; i++) {
    int rc;
    char *z = collect(db, i % 2 ? zGroupSql : zPlainSql, zDir, &rc);
    if (rc != SQLITE_DONE || strcmp(z, job->zWant) != 0)
      job->nBad++;
    sqlite3_free(z);
  }
  sqlite3_close(db);
  return 0;
}

static void manyConnections(void) {
  sqlite3 *db = openDb();
  int rc, i;
  char *zWant = collect(db, zPlainSql, zDir, &rc);
  pthread_t aThread[8];
  Job aJob[8];
  CHECK(rc == SQLITE_DONE);
  CHECK(strlen(zWant) > 100); /* the tree has events */
  for (i = 0; i < 8; i++) {
    aJob[i].zWant = zWant;
    aJob[i].nBad = 0;
    CHECK(pthread_create(&aThread[i], 0, scanner, &aJob[i]) == 0);
  }
  for (i = 0; i < 8; i++) {
    pthread_join(aThread[i], 0);
    CHECK(aJob[i].nBad == 0);
  }
  sqlite3_free(zWant);
  sqlite3_close(db);
}

static sqlite3_int64 statOf(sqlite3 *db, const char *zKey) {
  sqlite3_stmt *st = 0;
  sqlite3_int64 v = -1;
  char *zSql = sqlite3_mprintf("SELECT cloudtrail_stats()->>'$.%q'", zKey);
  if (sqlite3_prepare_v2(db, zSql, -1, &st, 0) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_free(zSql);
  return v;
}

/* Directories linked two ways at each of 22 levels: 2^22 paths, no loop.
** Each directory is walked once (the other paths to it are repeats), so
** the walk is linear and ends at once with the one file. */
static void treeOfLinks(void) {
  char zTop[] = "/tmp/ct-conn-XXXXXX";
  char z[256], zLink[256];
  int i, rc;
  sqlite3 *db;
  char *zOut;
  if (mkdtemp(zTop) == 0) {
    CHECK(0);
    return;
  }
  for (i = 0; i <= 22; i++) {
    snprintf(z, sizeof(z), "%s/d%d", zTop, i);
    mkdir(z, 0755);
  }
  for (i = 0; i < 22; i++) {
    snprintf(z, sizeof(z), "../d%d", i + 1);
    snprintf(zLink, sizeof(zLink), "%s/d%d/a", zTop, i);
    CHECK(symlink(z, zLink) == 0);
    snprintf(zLink, sizeof(zLink), "%s/d%d/b", zTop, i);
    CHECK(symlink(z, zLink) == 0);
  }
  snprintf(z, sizeof(z), "%s/d22/x.json", zTop);
  {
    FILE *f = fopen(z, "w");
    CHECK(f != 0);
    if (f) {
      fputs("{\"eventName\":\"X\"}\n", f);
      fclose(f);
    }
  }
  db = openDb();
  zOut = collect(db, "SELECT eventName FROM cloudtrail(?1)", zTop, &rc);
  CHECK(rc == SQLITE_DONE);
  CHECK(strcmp(zOut, "X\n") == 0);
  CHECK(statOf(db, "dirs") == 24);          /* zTop, d0 .. d22 */
  CHECK(statOf(db, "dirs_repeated") == 44); /* each b; zTop/d1 .. d22 */
  sqlite3_free(zOut);
  sqlite3_close(db);
  unlink(z);
  for (i = 0; i < 22; i++) {
    snprintf(zLink, sizeof(zLink), "%s/d%d/a", zTop, i);
    unlink(zLink);
    snprintf(zLink, sizeof(zLink), "%s/d%d/b", zTop, i);
    unlink(zLink);
  }
  for (i = 0; i <= 22; i++) {
    snprintf(z, sizeof(z), "%s/d%d", zTop, i);
    rmdir(z);
  }
  rmdir(zTop);
}

/* Interrupt db once this process has the directory zWatch open (so the
** interrupt comes while the walk lists it), or after 30 s. */
typedef struct Watch {
  sqlite3 *db;
  const char *zWatch;
  _Atomic int seen; /* True if zWatch was seen open (or the query ended) */
} Watch;

static double nowSeconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *interruptWhenOpen(void *p) {
  Watch *w = p;
  double t0 = nowSeconds();
  while (!w->seen && nowSeconds() - t0 < 30) {
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    while (d && (e = readdir(d)) != 0) {
      char zLink[300], zTarget[4096];
      ssize_t n;
      snprintf(zLink, sizeof(zLink), "/proc/self/fd/%s", e->d_name);
      n = readlink(zLink, zTarget, sizeof(zTarget) - 1);
      if (n > 0) {
        zTarget[n] = 0;
        if (strcmp(zTarget, w->zWatch) == 0)
          w->seen = 1;
      }
    }
    if (d)
      closedir(d);
  }
  sqlite3_interrupt(w->db);
  return 0;
}

/* Run zSql with ?1 = zArg, interrupted from another thread while zWatch is
** open. Returns the result code; *pnDirs: directories the scan read. */
static int runInterrupted(const char *zSql, const char *zArg,
                          const char *zWatch, sqlite3_int64 *pnDirs) {
  sqlite3 *db = openDb();
  pthread_t t;
  Watch w;
  int rc;
  char *zOut;
  w.db = db;
  w.zWatch = zWatch;
  w.seen = 0;
  pthread_create(&t, 0, interruptWhenOpen, &w);
  zOut = collect(db, zSql, zArg, &rc);
  w.seen = 1; /* stop watching if the query ended first */
  pthread_join(t, 0);
  *pnDirs = statOf(db, "dirs");
  sqlite3_free(zOut);
  sqlite3_close(db);
  return rc;
}

/*
** A directory of many entries (120,000 hard links: cheap to make), and a
** pattern whose matching lists it. sqlite3_interrupt() while the walk lists
** the directory, or matches the pattern, ends the query with
** SQLITE_INTERRUPT there: the listing or match is abandoned, so the scan
** read no directory (with glob(3) and an uninterruptible listing, both ran
** to their end first, and the scan then read a directory).
*/
#define CT_BIG_ENTRIES 120000
static void interruptMidListing(void) {
  char zTop[] = "/tmp/ct-conn-XXXXXX";
  char zBig[300], zReal[4096], z[400], zBase[400];
  int i, rc, nBase = 0;
  sqlite3_int64 nDirs = -1;
  if (mkdtemp(zTop) == 0) {
    CHECK(0);
    return;
  }
  snprintf(zBig, sizeof(zBig), "%s/big", zTop);
  mkdir(zBig, 0755);
  for (i = 0; i < CT_BIG_ENTRIES; i++) {
    snprintf(z, sizeof(z), "%s/f%07d", zBig, i);
    if (i == 0 || link(zBase, z) != 0) {
      /* A new file to link to (ext4 allows 65,000 links to one). */
      snprintf(zBase, sizeof(zBase), "%s/base%d", zBig, nBase++);
      close(open(zBase, O_CREAT | O_WRONLY, 0644));
      if (link(zBase, z) != 0) {
        CHECK(0);
        break;
      }
    }
  }
  snprintf(z, sizeof(z), "%s/a", zTop);
  mkdir(z, 0755);
  snprintf(z, sizeof(z), "%s/a/sub1", zTop);
  mkdir(z, 0755);
  snprintf(z, sizeof(z), "%s/a/sub1/x.json", zTop);
  close(open(z, O_CREAT | O_WRONLY, 0644));
  CHECK(realpath(zBig, zReal) != 0);

  rc = runInterrupted("SELECT count(*) FROM cloudtrail(?1)", zBig, zReal,
                      &nDirs);
  CHECK(rc == SQLITE_INTERRUPT);
  CHECK(nDirs == 0); /* the listing of big was abandoned */

  snprintf(z, sizeof(z), "%s/*/sub*", zTop);
  rc = runInterrupted("SELECT count(*) FROM cloudtrail(?1)", z, zReal, &nDirs);
  CHECK(rc == SQLITE_INTERRUPT);
  CHECK(nDirs == 0); /* the match was abandoned: a/sub1 was never read */

  for (i = 0; i < CT_BIG_ENTRIES; i++) {
    snprintf(z, sizeof(z), "%s/f%07d", zBig, i);
    unlink(z);
  }
  for (i = 0; i < nBase; i++) {
    snprintf(z, sizeof(z), "%s/base%d", zBig, i);
    unlink(z);
  }
  rmdir(zBig);
  snprintf(z, sizeof(z), "%s/a/sub1/x.json", zTop);
  unlink(z);
  snprintf(z, sizeof(z), "%s/a/sub1", zTop);
  rmdir(z);
  snprintf(z, sizeof(z), "%s/a", zTop);
  rmdir(z);
  rmdir(zTop);
}

int main(int argc, char **argv) {
  static const Test aTest[] = {
      {"connection_closed_or_statements_abandoned_mid_scan_free_everything",
       closeMidScan},
      {"many_connections_on_threads_get_the_same_answer", manyConnections},
      {"a_tree_of_links_is_walked_once", treeOfLinks},
      {"interrupt_from_another_thread_stops_a_huge_listing_or_pattern",
       interruptMidListing},
  };
  size_t i;
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR [TEST-PATTERN...]\n", argv[0]);
    return 2;
  }
  zDir = argv[1];
  testSelect(argc - 2, argv + 2);
  for (i = 0; i < sizeof(aTest) / sizeof(aTest[0]); i++)
    testRun(aTest[i].zName, aTest[i].xTest);
  return testReport();
}
