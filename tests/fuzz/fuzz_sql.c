/*
** fuzz_sql.c - libFuzzer target for SQL queries over a small fuzzed tree.
**
** The input is split at each "@@\n" into up to four pieces; each piece is
** the content of one file in a fresh directory, under names that exercise
** the walk (a CloudTrail delivery name in the AWSLogs layout, gzipped; a
** name with spaces and quotes; a non-ASCII .jsonl name; a plain .json).
** The first byte chooses which pieces are gzipped and the thread count.
**
** The queries run through the whole extension (walk, inflate, parse,
** pushdown, columns). Checked: no crash, leak or sanitizer report; every
** error names a file or an option; and each pushed-down query returns the
** same rows as the same query with pushdown defeated (`+column`), with
** literals taken from the rows themselves so that matches exist (over the
** files a full scan finds good: see zBadFiles).
*/
#define _GNU_SOURCE /* memmem */
#include "ct_time.h"

#include <sqlite3.h>
#include <zlib.h>

#include <dirent.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sqlite3_cloudtrail_init(sqlite3 *db, char **pzErrMsg,
                            const sqlite3_api_routines *pApi);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFILE 4
static const char *azName[NFILE] = {
    ("AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/"
     "111122223333_CloudTrail_us-east-1_20240301T1200Z_abcdefghijklmnop.json"),
    "exports/it's a \"log\".json",
    "exports/\xc3\xa9v\xc3\xa9nements.jsonl",
    "z.json",
};
static char zRoot[256];

static int rmEntry(const char *zPath, const struct stat *st, int flag,
                   struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  remove(zPath);
  return 0;
}

/* The directory goes when the fuzzer (or replay) exits. */
static void removeRoot(void) { nftw(zRoot, rmEntry, 16, FTW_DEPTH | FTW_PHYS); }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  int i;
  (void)argc;
  (void)argv;
  atexit(removeRoot);
  snprintf(zRoot, sizeof(zRoot), "/tmp/ct-fuzz-sql-%d", (int)getpid());
  mkdir(zRoot, 0700);
  for (i = 0; i < NFILE; i++) {
    char z[512];
    char *p;
    snprintf(z, sizeof(z), "%s/%s", zRoot, azName[i]);
    for (p = z + strlen(zRoot) + 1; (p = strchr(p, '/')) != 0; p++) {
      *p = 0;
      mkdir(z, 0700);
      *p = '/';
    }
  }
  return 0;
}

/* Write one piece, gzipped (name + ".gz") or not; remove the other form. */
static void writePiece(int i, const uint8_t *a, size_t n, int gz) {
  char zPlain[512], zGz[512];
  snprintf(zPlain, sizeof(zPlain), "%s/%s", zRoot, azName[i]);
  snprintf(zGz, sizeof(zGz), "%s/%s.gz", zRoot, azName[i]);
  unlink(zPlain);
  unlink(zGz);
  if (a == 0)
    return;
  if (gz) {
    gzFile g = gzopen(zGz, "wb1");
    if (g) {
      if (n)
        gzwrite(g, a, (unsigned)n);
      gzclose(g);
    }
  } else {
    FILE *f = fopen(zPlain, "wb");
    if (f) {
      fwrite(a, 1, n, f);
      fclose(f);
    }
  }
}

/* Run zSql (one result column of text) with ?1 = root, ?2 ?3 the literals.
** Returns a malloc'd "rows" string, or "ERR:<message>". */
static char *run(sqlite3 *db, const char *zSql, const char *z2,
                 const char *z3) {
  sqlite3_stmt *st = 0;
  sqlite3_str *s = sqlite3_str_new(db);
  int rc = sqlite3_prepare_v2(db, zSql, -1, &st, 0);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, zRoot, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, z2, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, z3, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const unsigned char *z = sqlite3_column_text(st, 0);
      sqlite3_str_appendf(s, "%s\n", z ? (const char *)z : "(null)");
    }
  }
  if (rc != SQLITE_DONE) {
    const char *zErr = sqlite3_errmsg(db);
    sqlite3_str_reset(s);
    sqlite3_str_appendf(s, "ERR:%s", zErr);
    /* Errors from the table name their file or option (or are SQLite's
    ** own, such as string or blob too big). */
    if (strstr(zErr, zRoot) == 0 && strstr(zErr, "too big") == 0 &&
        strstr(zErr, "out of memory") == 0) {
      fprintf(stderr, "error names no file: %s\n", zErr);
      abort();
    }
  }
  sqlite3_finalize(st);
  {
    char *z = sqlite3_str_finish(s); /* NULL when empty */
    return z ? z : sqlite3_mprintf("");
  }
}

/* Run queries zA and zB (sqlite3_mprintf'd; freed here) and abort if their
** rows differ: zWhat names the feature zA exercises. */
static void sameRows(sqlite3 *db, const char *zWhat, char *zA, char *zB,
                     const char *z2, const char *z3) {
  char *rA = run(db, zA, z2, z3), *rB = run(db, zB, z2, z3);
  if (strcmp(rA, rB) != 0) {
    fprintf(stderr, "%s differs:\n%s\n=> %s\n%s\n=> %s\n", zWhat, zA, rA, zB,
            rB);
    abort();
  }
  sqlite3_free(rA);
  sqlite3_free(rB);
  sqlite3_free(zA);
  sqlite3_free(zB);
}

/* A CloudTrail delivery name promises that the file's events are before its
** minute's end + 5 minutes (ct_filter.h); lower bounds prune on that. The
** fuzzer's file under such a name may break the promise, so rows that break
** it are left out of both sides of the comparison. */
#define BROKEN_PROMISE                                                         \
  "(logDeliveryTime IS NOT NULL AND +eventTime COLLATE cloudtrail_time >= "    \
  "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', logDeliveryTime, '+360 seconds'))"

/* The files a full scan found bad: an SQL list of quoted paths ('' if
** none). Pushdown does not parse what it proves cannot match (an event, a
** file), so it may return the good events of a file whose bad part it
** passed over, where a full scan fails the file (README, "Query planning").
** The comparison is over the good files. */
static char zBadFiles[8192];

/* The same rows with and without pushdown: zWhere as given, and again with
** '+' before each pushable column. */
static void differential(sqlite3 *db, const char *zOpts, const char *zWhere,
                         const char *z2, const char *z3) {
  char *zA = sqlite3_mprintf(
      "SELECT rowid || ' ' || ifnull(eventName,'-') || ' ' || "
      "ifnull(eventTime,'-') FROM cloudtrail(?1, '%s') WHERE "
      "(%s) AND NOT " BROKEN_PROMISE " AND +logFile NOT IN (%s)",
      zOpts, zWhere, zBadFiles);
  char *zB, *p;
  const char *w;
  /* Defeat pushdown: eventName -> +eventName, eventTime -> +eventTime. */
  sqlite3_str *s = sqlite3_str_new(db);
  for (w = zWhere; *w; w++) {
    static const char *const azCol[] = {
        "eventName",          "eventTime", "errorCode",
        "eventSource",        "awsRegion", "logAccount",
        "recipientAccountId", "logRegion", "logDeliveryTime"};
    size_t k;
    for (k = 0; k < sizeof(azCol) / sizeof(azCol[0]); k++) {
      if (strncmp(w, azCol[k], strlen(azCol[k])) == 0 &&
          (w == zWhere || w[-1] == ' ' || w[-1] == '(')) {
        sqlite3_str_appendchar(s, 1, '+');
        break;
      }
    }
    sqlite3_str_appendchar(s, 1, *w);
  }
  p = sqlite3_str_finish(s);
  zB = sqlite3_mprintf("SELECT rowid || ' ' || ifnull(eventName,'-') || ' ' || "
                       "ifnull(eventTime,'-') FROM cloudtrail(?1, '%s') WHERE "
                       "(%s) AND NOT " BROKEN_PROMISE
                       " AND +logFile NOT IN (%s)",
                       zOpts, p, zBadFiles);
  sameRows(db, "pushdown", zA, zB, z2, z3);
  sqlite3_free(p);
}

/* A grouped scan (GROUP BY on the table's columns alone) gives what
** SQLite's own sort gives (+col defeats it). */
static void grouped(sqlite3 *db, const char *zOpts, const char *zCols) {
  char *zA = sqlite3_mprintf("SELECT hex(%s) || ' ' || count(*) FROM "
                             "cloudtrail(?1, '%s') GROUP BY %s",
                             zCols, zOpts, zCols);
  char *zB = sqlite3_mprintf("SELECT hex(%s) || ' ' || count(*) FROM "
                             "cloudtrail(?1, '%s') GROUP BY +%s",
                             zCols, zOpts, zCols);
  sameRows(db, "grouped scan", zA, zB, 0, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sqlite3 *db = 0;
  char *zErr = 0, *r;
  const uint8_t *p, *end;
  unsigned flags;
  int i;
  char zName[256] = "", zTime[64] = "", zOpts[64];
  sqlite3_stmt *st;
  if (size < 1)
    return 0;
  flags = data[0];
  p = data + 1;
  end = data + size;
  for (i = 0; i < NFILE; i++) {
    const uint8_t *q;
    if (p == 0) {
      writePiece(i, 0, 0, 0);
      continue;
    }
    q = 0;
    if (end - p >= 3)
      q = memmem(p, (size_t)(end - p), "@@\n", 3);
    writePiece(i, p, q ? (size_t)(q - p) : (size_t)(end - p), (flags >> i) & 1);
    p = q ? q + 3 : 0;
  }
  snprintf(zOpts, sizeof(zOpts), "on_error=skip, threads=%u", (flags >> 4) & 3);

  if (sqlite3_open(":memory:", &db) != SQLITE_OK)
    abort();
  if (sqlite3_cloudtrail_init(db, &zErr, 0) != SQLITE_OK)
    abort();
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);

  /* Every column of every row, failing at the first bad file. */
  sqlite3_free(run(db,
                   "SELECT count(*), sum(length(record)), "
                   "sum(length(json_extract(userIdentity,'$'))), "
                   "group_concat(quote(readOnly) || errorCode) "
                   "FROM cloudtrail(?1)",
                   0, 0));
  sqlite3_free(run(db,
                   "SELECT count(*) || ' ' || ifnull(max(logDeliveryTime),'') "
                   "FROM cloudtrail(?1, 'on_error=skip')",
                   0, 0));
  /* Each skipped file is listed, under the root it was pointed at. */
  r = run(db,
          "SELECT count(*) FROM cloudtrail_errors "
          "WHERE instr(file, ?1) <> 1 OR error = ''",
          0, 0);
  if (strcmp(r, "0\n") != 0)
    abort();
  sqlite3_free(r);
  zBadFiles[0] = 0;
  if (sqlite3_prepare_v2(db,
                         "SELECT group_concat(quote(file)) FROM "
                         "(SELECT DISTINCT file FROM cloudtrail_errors)",
                         -1, &st, 0) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
      snprintf(zBadFiles, sizeof(zBadFiles), "%s",
               (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
  }

  /* Literals from the data, so that pushed constraints match something. */
  if (sqlite3_prepare_v2(db,
                         "SELECT eventName, eventTime FROM cloudtrail(?1, "
                         "'on_error=skip') WHERE eventName IS NOT NULL "
                         "LIMIT 1 OFFSET ?2",
                         -1, &st, 0) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, zRoot, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (flags >> 6) & 3);
    if (sqlite3_step(st) == SQLITE_ROW) {
      const char *a = (const char *)sqlite3_column_text(st, 0);
      const char *b = (const char *)sqlite3_column_text(st, 1);
      snprintf(zName, sizeof(zName), "%s", a ? a : "");
      snprintf(zTime, sizeof(zTime), "%s", b ? b : "");
    }
    sqlite3_finalize(st);
  }
  {
    /* A range with a text that is not a time is an error (by design, not
    ** a difference): compare ranges with a time. */
    CtInstant t;
    if (!ctTimeParse(zTime, strlen(zTime), &t))
      snprintf(zTime, sizeof(zTime), "2024-03-01T12:00:00Z");
  }
  differential(db, zOpts, "eventName = ?2", zName, zTime);
  differential(db, zOpts, "eventName = ?2 COLLATE NOCASE", zName, zTime);
  differential(db, zOpts, "eventName IN (?2, 'ConsoleLogin')", zName, zTime);
  differential(db, zOpts, "eventTime >= ?3", zName, zTime);
  differential(db, zOpts, "eventTime < ?3", zName, zTime);
  differential(db, zOpts, "eventTime BETWEEN ?3 AND '2024-03-01T12:10'", zName,
               zTime);
  differential(db, zOpts, "eventTime > '2024-03-01' AND eventName = ?2", zName,
               zTime);
  differential(db, zOpts, "errorCode = ?2", zName, zTime);
  /* The other pushed columns, with a value taken from the data. */
  differential(db, zOpts,
               "eventSource = (SELECT eventSource FROM cloudtrail(?1, "
               "'on_error=skip') WHERE eventSource IS NOT NULL LIMIT 1)",
               zName, zTime);
  differential(db, zOpts,
               "awsRegion IN (SELECT awsRegion FROM cloudtrail(?1, "
               "'on_error=skip') LIMIT 2)",
               zName, zTime);
  differential(db, zOpts,
               "recipientAccountId = (SELECT recipientAccountId FROM "
               "cloudtrail(?1, 'on_error=skip') LIMIT 1 OFFSET 1)",
               zName, zTime);
  differential(db, zOpts, "logAccount = '111122223333' AND eventName = ?2",
               zName, zTime);
  differential(db, zOpts, "logRegion IN ('us-east-1', 'eu-west-1')", zName,
               zTime);
  differential(db, zOpts,
               "logDeliveryTime COLLATE cloudtrail_time >= ?3 OR "
               "eventTime >= ?3",
               zName, zTime);
  grouped(db, zOpts, "eventName");
  grouped(db, zOpts, "errorCode");
  grouped(db, zOpts, "userArn");
  sqlite3_close(db);
  return 0;
}
