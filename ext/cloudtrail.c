/*
** cloudtrail.c - the cloudtrail virtual table: every CloudTrail event under a
** path as a SQL row.
**
** Usage:
**
**   .load build/cloudtrail
**   SELECT eventName, count(*) FROM cloudtrail('/data/AWSLogs') GROUP BY 1;
**   SELECT * FROM cloudtrail('/data/AWSLogs', 'on_error=skip');
**   CREATE VIRTUAL TABLE temp.trail USING cloudtrail('/data/AWSLogs');
**
** Inside, one row comes from a pipeline of small modules, each with one job:
**
**   ct_walk     find the log files under the path, in byte order
**   ct_inflate  read one file into memory, inflating gzip (every member)
**   ct_records  validate the JSON and find each event's bytes
**   ct_event    find an event's top-level fields (only when a column asks)
**   this file   turn fields into SQL values; options, errors, statistics
**
** A file is read only when the cursor reaches it, and each file is checked
** whole before its first row is returned, so a file yields all its events or
** an error. By default an error stops the query with a message naming the file
** and the cause; with on_error=skip the file is skipped and listed in the
** cloudtrail_errors table. JSON columns return the value's own text with
** SQLite's JSON subtype, so numbers are never re-printed.
**
** The table reads files, so it is SQLITE_VTAB_DIRECTONLY: a view or trigger in
** a database file cannot use it. A table stored in a database file (a schema
** other than temp) reads files only with the connection's consent: see
** "Stored tables" below.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "ct_buf.h"
#include "ct_decode.h"
#include "ct_event.h"
#include "ct_files.h"
#include "ct_filter.h"
#include "ct_group.h"
#include "ct_inflate.h"
#include "ct_json.h"
#include "ct_logname.h"
#include "ct_pool.h"
#include "ct_records.h"
#include "ct_time.h"
#include "ct_util.h"
#include "ct_walk.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef CT_VERSION
#define CT_VERSION "0.1.0"
#endif

#define CT_JSON_SUBTYPE 74     /* 'J': what SQLite's JSON functions look for */
#define CT_MAX_ERROR_LOG 10000 /* entries kept in cloudtrail_errors */

/*
** Columns. The schema is built by ctSchema() in this order:
**
**   0 path HIDDEN, 1 options HIDDEN       table-valued function arguments
**   2 extra_argument HIDDEN                catches a third argument, which
**                                          would otherwise filter on record
**   3 .. 3+CT_NFIELD-1                     the event fields of ct_event.h
**   then the userIdentity shortcuts        CT_COL_USER_TYPE ...
**   then record, logFile, logAccount, logRegion, logDeliveryTime (HIDDEN)
*/
#define CT_COL_PATH 0
#define CT_COL_OPTIONS 1
#define CT_COL_EXTRA 2 /* a third table-valued argument lands here: error */
#define CT_COL_FIELD0 3
#define CT_COL_USER0 (CT_COL_FIELD0 + CT_NFIELD)
#define CT_NUSER 9
#define CT_COL_RECORD (CT_COL_USER0 + CT_NUSER)
#define CT_COL_LOG_FILE (CT_COL_RECORD + 1)
#define CT_COL_LOG_ACCOUNT (CT_COL_RECORD + 2)
#define CT_COL_LOG_REGION (CT_COL_RECORD + 3)
#define CT_COL_LOG_DELIVERY_TIME (CT_COL_RECORD + 4)
#define CT_COL_EVENT_TIME (CT_COL_FIELD0 + CT_F_EVENT_TIME)

/* The userIdentity shortcuts: column name and the key path inside
** userIdentity (a second key means sessionContext.sessionIssuer.key). */
static const struct {
  const char *zCol; /* Column name */
  const char *zKey; /* Key in userIdentity or in its sessionIssuer */
  int inIssuer;     /* True: userIdentity.sessionContext.sessionIssuer */
} aUserCol[CT_NUSER] = {
    {"userType", "type", 0},
    {"userArn", "arn", 0},
    {"userAccountId", "accountId", 0},
    {"userPrincipalId", "principalId", 0},
    {"userName", "userName", 0},
    {"userAccessKeyId", "accessKeyId", 0},
    {"userInvokedBy", "invokedBy", 0},
    {"sessionIssuerArn", "arn", 1},
    {"sessionIssuerUserName", "userName", 1},
};

/* The name of a field or userIdentity column. */
static const char *ctColumnName(int iCol) {
  if (iCol >= CT_COL_USER0 && iCol < CT_COL_USER0 + CT_NUSER)
    return aUserCol[iCol - CT_COL_USER0].zCol;
  return ctFieldKey(iCol - CT_COL_FIELD0);
}

/* The field a field or userIdentity column is made from (CT_F_*). */
static int ctColumnField(int iCol) {
  int u = iCol - CT_COL_USER0;
  return u >= 0 && u < CT_NUSER ? CT_F_USER_IDENTITY : iCol - CT_COL_FIELD0;
}

/* The JSON value a field or userIdentity column shows, from the span v of
** its field (ctColumnField; len 0 when absent). */
static CtSpan ctColumnSpan(const char *buf, CtSpan v, int iCol) {
  int u = iCol - CT_COL_USER0;
  if (u < 0 || u >= CT_NUSER)
    return v;
  if (aUserCol[u].inIssuer) {
    v = ctJsonObjGet(buf, v, "sessionContext", 14);
    v = ctJsonObjGet(buf, v, "sessionIssuer", 13);
  }
  return ctJsonObjGet(buf, v, aUserCol[u].zKey, strlen(aUserCol[u].zKey));
}

/* Options, from CREATE VIRTUAL TABLE arguments or the second argument of
** the table-valued form ('on_error=skip, max_file_size=512M'). */
typedef struct CtOptions {
  int skipErrors;            /* on_error=skip: go on past bad files */
  sqlite3_int64 maxFileSize; /* Largest file, and largest inflated file */
  sqlite3_int64 maxDelay;    /* max_delay in seconds, or -1 (exact) */
  int nThread;               /* threads: decoding threads (0: none) */
  int progress;              /* progress=1: report on stderr */
} CtOptions;

#define CT_DEFAULT_MAX_FILE_SIZE ((sqlite3_int64)1 << 30)

/* Counters of one scan (one xFilter call). */
typedef struct CtStats {
  sqlite3_int64 scan;       /* Scan number on this connection */
  sqlite3_int64 nFiles;     /* Log files found by the walk */
  sqlite3_int64 nRead;      /* Files read and parsed */
  sqlite3_int64 nFailed;    /* Files (or paths) that failed, skipped */
  sqlite3_int64 nRecords;   /* Events returned as rows */
  sqlite3_int64 nSkipPath;  /* Files skipped by their name (pushdown) */
  sqlite3_int64 nSkipText;  /* Files skipped by a byte search (pushdown) */
  sqlite3_int64 nSkipRec;   /* Events skipped before building a row */
  sqlite3_int64 nReadAhead; /* Files decoded ahead and never used */
  sqlite3_int64 nBytesRead; /* Bytes read from disk */
  sqlite3_int64 nBytesJson; /* Bytes of JSON after inflating */
  CtWalkStats walk;         /* Ignored names, loops, directories */
  int done;                 /* True once the scan reached its end */
} CtStats;

/* One file skipped under on_error=skip. */
typedef struct CtErrorEntry {
  sqlite3_int64 scan; /* Scan number */
  char *zFile;        /* Path */
  char *zError;       /* Cause */
} CtErrorEntry;

/* State of one database connection, shared by its tables and functions. */
typedef struct CtConn {
  sqlite3_int64 nScan;       /* Scans started on this connection */
  CtStats last;              /* Statistics of the latest scan */
  CtErrorEntry *aErr;        /* Skipped files, oldest first */
  int nErr;                  /* Entries in aErr */
  sqlite3_int64 nErrDropped; /* Entries dropped past CT_MAX_ERROR_LOG */
  int trustAll;              /* cloudtrail_trust_stored(1): every schema */
  struct CtTrust *aTrust;    /* Schemas trusted by name, and their files */
  int nTrust;                /* Entries in aTrust */
} CtConn;

/* A schema named in cloudtrail_trust_stored('name'), and the file it was
** then ("" for an in-memory database). */
typedef struct CtTrust {
  char *zDb;   /* Schema name */
  char *zFile; /* Its file when trusted */
} CtTrust;

typedef struct CtVtab {
  sqlite3_vtab base; /* Base class - must be first */
  sqlite3 *db;       /* The connection */
  CtConn *pConn;     /* Connection state */
  char *zPath;       /* Path from CREATE VIRTUAL TABLE, or NULL */
  char *zOptions;    /* Option text from CREATE VIRTUAL TABLE, or NULL */
  CtOptions opts;    /* Parsed options */
  /* Rowid slots (ct_decode.h): the path texts scanned while some cursor
  ** of this table was open. SQLite 3.40 opens a new cursor for each term
  ** of an OR plan (and for a RIGHT JOIN's unmatched rows) before it closes
  ** the last, and merges the terms' rows by rowid: so the numbering lives
  ** here, and starts again once no cursor is open. */
  char **azSlot; /* Path texts, in first-use order: their rowid slots */
  int nSlot;     /* Entries in azSlot (at most CT_ROWID_SLOTS) */
  int nCursor;   /* Cursors open */
  char *zDb;     /* Schema name (argv[1]) */
  char *zName;   /* Table name (argv[2]) */
  int stored;    /* A definition with arguments stored in a schema other
                    than temp: reads files only if trusted (ctTrusted) */
} CtVtab;

typedef struct CtCursor {
  sqlite3_vtab_cursor base; /* Base class - must be first */
  char *zPath;              /* Path of this scan */
  char *zOptions;           /* Option text of this scan, or NULL */
  CtOptions opts;           /* Options of this scan */
  CtWalk *pWalk;            /* File walk */
  int walkDone;             /* True once the walk has no more files */
  sqlite3_int64 nWalked;    /* Paths the walk gave (files and errors) */
  CtPool *pPool;            /* Files being decoded, in walk order */
  size_t nAhead;            /* Files in flight wanted now (see CT_AHEAD_MIN) */
  size_t nAheadMax;         /* ... and at most */
  CtDecodeCfg cfg;          /* How files are decoded */
  CtDecoded *pDec;          /* Current file, or NULL */
  size_t iRec;              /* Current event in pDec->recs */
  int indexed;              /* True if aField is filled for iRec */
  CtSpan aField[CT_NFIELD]; /* Fields of the current event, if the
                               decoder did not note the one asked for */
  int eof;                  /* True at the end */
  CtStats st;               /* This scan's counters */
  CtFilter filter;          /* Pushed-down constraints */
  sqlite3_int64 nTotal;     /* progress: log files under the path */
  double tStart, tLast;     /* progress: scan start, last report (s) */
  double tCheck;            /* Last interrupt check (s), 0: none yet */
  double tTick;             /* Scan start or last check (s) */
  sqlite3_stmt *pTick;      /* CT_TICK_SQL, stepped at each check */
  int noTick;               /* True if pTick could not be prepared */
  int stopped;              /* A check said SQLITE_INTERRUPT this scan */
  /* A grouped scan (CT_IDX_GROUP): the keys counted, then handed out. */
  CtGroup *pGroup;                /* Keys and their row counts, or NULL */
  int nGroupCol;                  /* Columns of the key */
  int aGroupCol[CT_GROUP_MAXCOL]; /* Their column numbers */
  size_t iGroup;                  /* Key being handed out */
  sqlite3_int64 iGroupRow;        /* Its row being handed out */
  char *zNoRowid; /* Grouped scan: why a row has no rowid, or NULL */
  int iSlot;      /* Rowid slot of this scan's path (CtVtab.azSlot), or -1 */
} CtCursor;

/* ---------------------------------------------------------------- errors */

/* Replace the vtab's error message (printf-style). */
static void ctVtabError(sqlite3_vtab *pVtab, const char *zFmt, ...) {
  va_list ap;
  sqlite3_free(pVtab->zErrMsg);
  va_start(ap, zFmt);
  pVtab->zErrMsg = sqlite3_vmprintf(zFmt, ap);
  va_end(ap);
}

static void ctLogSkip(CtConn *pConn, sqlite3_int64 scan, const char *zFile,
                      const char *zError) {
  CtErrorEntry *e;
  if (pConn->nErr >= CT_MAX_ERROR_LOG) {
    sqlite3_free(pConn->aErr[0].zFile);
    sqlite3_free(pConn->aErr[0].zError);
    memmove(&pConn->aErr[0], &pConn->aErr[1],
            sizeof(CtErrorEntry) * (size_t)(pConn->nErr - 1));
    pConn->nErr--;
    pConn->nErrDropped++;
  }
  e = sqlite3_realloc64(pConn->aErr, sizeof(CtErrorEntry) *
                                         (sqlite3_uint64)(pConn->nErr + 1));
  if (e == 0) {
    pConn->nErrDropped++;
    return;
  }
  pConn->aErr = e;
  e = &pConn->aErr[pConn->nErr++];
  e->scan = scan;
  e->zFile = sqlite3_mprintf("%s", zFile);
  e->zError = sqlite3_mprintf("%s", zError);
}

/* ---------------------------------------------------------------- options */

/* Copy of z[0..n) without surrounding quotes ('x', "x", `x`, [x]); a doubled
** quote inside stands for one. sqlite3_malloc'd. */
static char *ctDequote(const char *z, int n) {
  char *zOut;
  char q;
  int i, j;
  while (n > 0 && (z[0] == ' ' || z[0] == '\t' || z[0] == '\n')) {
    z++;
    n--;
  }
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\n')) {
    n--;
  }
  zOut = sqlite3_malloc(n + 1);
  if (zOut == 0)
    return 0;
  q = n >= 2 ? z[0] : 0;
  if (q == '[')
    q = ']';
  if ((q == '\'' || q == '"' || q == '`' || q == ']') && z[n - 1] == q) {
    for (i = 1, j = 0; i < n - 1; i++) {
      zOut[j++] = z[i];
      if (z[i] == q && i + 1 < n - 1 && z[i + 1] == q)
        i++;
    }
    zOut[j] = 0;
  } else {
    memcpy(zOut, z, (size_t)n);
    zOut[n] = 0;
  }
  return zOut;
}

/*
** Parse digits, then optionally one of the unit letters of zUnits (whose
** multipliers are aMult), then, if allowB, an optional 'b' or 'B'. The
** value must lie in [lo, mx]. Returns 0 and sets *pOut, or 1.
*/
static int ctParseScaled(const char *z, const char *zUnits,
                         const sqlite3_int64 *aMult, sqlite3_int64 lo,
                         sqlite3_int64 mx, int allowB, sqlite3_int64 *pOut) {
  sqlite3_int64 v = 0, mult = 1;
  const char *zUnit;
  int digits = 0;
  while (*z >= '0' && *z <= '9') {
    v = v * 10 + (*z - '0');
    if (v > mx)
      return 1;
    z++;
    digits++;
  }
  if (digits == 0)
    return 1;
  if (*z && (zUnit = strchr(zUnits, *z)) != 0) {
    mult = aMult[zUnit - zUnits];
    z++;
  }
  if (allowB && (*z == 'b' || *z == 'B') && z[1] == 0)
    z++;
  if (*z != 0 || v > mx / mult || v * mult < lo)
    return 1;
  *pOut = v * mult;
  return 0;
}

/* A size: bytes, or a number with K, M or G (powers of 1024), to 1024G. */
static int ctParseSize(const char *z, sqlite3_int64 *pOut) {
  static const sqlite3_int64 aMult[] = {1 << 10, 1 << 10, 1 << 20,
                                        1 << 20, 1 << 30, 1 << 30};
  return ctParseScaled(z, "kKmMgG", aMult, 1, (sqlite3_int64)1 << 40, 1, pOut);
}

/* A duration: seconds, or a number with s, m, h or d. */
static int ctParseDuration(const char *z, sqlite3_int64 *pOut) {
  static const sqlite3_int64 aMult[] = {1, 60, 3600, 86400};
  return ctParseScaled(z, "smhd", aMult, 0, (sqlite3_int64)1 << 40, 0, pOut);
}

/*
** Apply one "key=value" option (n bytes of z). If pzPath is not NULL, the
** key "path" is accepted and stored there. Returns 0, or 1 with *pzErr set.
*/
static int ctApplyOption(const char *z, int n, CtOptions *p, char **pzPath,
                         char **pzErr) {
  const char *eq = memchr(z, '=', (size_t)n);
  char *zKey, *zVal;
  int rc = 0;
  if (eq == 0) {
    char *zBad = ctDequote(z, n);
    *pzErr = sqlite3_mprintf("cloudtrail: option \"%s\" is not key=value",
                             zBad ? zBad : "");
    sqlite3_free(zBad);
    return 1;
  }
  zKey = ctDequote(z, (int)(eq - z));
  zVal = ctDequote(eq + 1, n - (int)(eq - z) - 1);
  if (zKey == 0 || zVal == 0) {
    *pzErr = sqlite3_mprintf("out of memory");
    rc = 1;
  } else if (sqlite3_stricmp(zKey, "on_error") == 0) {
    if (sqlite3_stricmp(zVal, "fail") == 0)
      p->skipErrors = 0;
    else if (sqlite3_stricmp(zVal, "skip") == 0)
      p->skipErrors = 1;
    else {
      *pzErr = sqlite3_mprintf(
          "cloudtrail: bad value for on_error: \"%s\" (use fail or skip)",
          zVal);
      rc = 1;
    }
  } else if (sqlite3_stricmp(zKey, "max_file_size") == 0) {
    if (ctParseSize(zVal, &p->maxFileSize)) {
      *pzErr = sqlite3_mprintf("cloudtrail: bad value for max_file_size: "
                               "\"%s\" (use bytes, or a number with K, M or "
                               "G, at most 1024G)",
                               zVal);
      rc = 1;
    }
  } else if (sqlite3_stricmp(zKey, "max_delay") == 0) {
    if (ctParseDuration(zVal, &p->maxDelay)) {
      *pzErr = sqlite3_mprintf("cloudtrail: bad value for max_delay: \"%s\" "
                               "(use a number with s, m, h or d, like 2h)",
                               zVal);
      rc = 1;
    }
  } else if (sqlite3_stricmp(zKey, "progress") == 0) {
    if (strcmp(zVal, "1") == 0 || sqlite3_stricmp(zVal, "on") == 0) {
      p->progress = 1;
    } else if (strcmp(zVal, "0") == 0 || sqlite3_stricmp(zVal, "off") == 0) {
      p->progress = 0;
    } else {
      *pzErr = sqlite3_mprintf("cloudtrail: bad value for progress: \"%s\" "
                               "(use 1 or 0)",
                               zVal);
      rc = 1;
    }
  } else if (sqlite3_stricmp(zKey, "threads") == 0) {
    char *zEnd = 0;
    long v = strtol(zVal, &zEnd, 10);
    if (zVal[0] < '0' || zVal[0] > '9' || *zEnd || v > 64) {
      *pzErr = sqlite3_mprintf("cloudtrail: bad value for threads: \"%s\" "
                               "(use 0 to 64)",
                               zVal);
      rc = 1;
    } else {
      p->nThread = (int)v;
    }
  } else if (pzPath && sqlite3_stricmp(zKey, "path") == 0) {
    sqlite3_free(*pzPath);
    *pzPath = zVal;
    zVal = 0;
  } else {
    *pzErr = sqlite3_mprintf(
        "cloudtrail: unknown option \"%s\" (options: "
        "on_error, max_file_size, max_delay, threads, progress)",
        zKey);
    rc = 1;
  }
  sqlite3_free(zKey);
  sqlite3_free(zVal);
  return rc;
}

/* Apply a comma-separated list of options. */
static int ctApplyOptionList(const char *z, CtOptions *p, char **pzErr) {
  while (*z) {
    const char *zEnd = z;
    char q = 0;
    while (*zEnd && (q || *zEnd != ',')) {
      if (q && *zEnd == q)
        q = 0;
      else if (!q && (*zEnd == '\'' || *zEnd == '"'))
        q = *zEnd;
      zEnd++;
    }
    {
      const char *a = z;
      while (a < zEnd && (*a == ' ' || *a == '\t' || *a == '\n'))
        a++;
      if (a < zEnd && ctApplyOption(z, (int)(zEnd - z), p, 0, pzErr))
        return 1;
    }
    z = *zEnd ? zEnd + 1 : zEnd;
  }
  return 0;
}

/* Decoding threads by default: one per online CPU but one, at most 8. The
** query's thread decodes too while it waits, so this keeps every CPU busy
** without more threads than CPUs (measured: 7% faster than one per CPU on
** 2 cores, bench/). */
static int ctDefaultThreads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 2 ? 0 : n > 9 ? 8 : (int)n - 1;
}

static void ctDefaultOptions(CtOptions *p) {
  p->skipErrors = 0;
  p->maxFileSize = CT_DEFAULT_MAX_FILE_SIZE;
  p->maxDelay = -1;
  p->nThread = ctDefaultThreads();
}

/* ---------------------------------------------------------------- schema */

/* The schema. logDeliveryTime has no COLLATE cloudtrail_time: SQLite 3.40
** removes the word HIDDEN from a virtual table column's type in place, which
** loses a collation declared after it. A constraint on it is pushed down
** when written with COLLATE cloudtrail_time (see ctBestIndex). */
static char *ctSchema(void) {
  sqlite3_str *s = sqlite3_str_new(0);
  int i;
  sqlite3_str_appendall(s, "CREATE TABLE x(path HIDDEN, options HIDDEN, "
                           "extra_argument HIDDEN");
  for (i = 0; i < CT_NFIELD; i++) {
    const char *zType = "TEXT";
    if (ctFieldKind(i) == CT_KIND_BOOL)
      zType = "INTEGER";
    if (ctFieldKind(i) == CT_KIND_JSON)
      zType = "JSON TEXT"; /* TEXT affinity: a number stays its text */
    if (i == CT_F_EVENT_TIME)
      zType = "TEXT COLLATE cloudtrail_time";
    sqlite3_str_appendf(s, ", %s %s", ctFieldKey(i), zType);
  }
  for (i = 0; i < CT_NUSER; i++) {
    sqlite3_str_appendf(s, ", %s TEXT", aUserCol[i].zCol);
  }
  sqlite3_str_appendall(s, ", record JSON TEXT HIDDEN, logFile TEXT HIDDEN, "
                           "logAccount TEXT HIDDEN, logRegion TEXT HIDDEN, "
                           "logDeliveryTime TEXT HIDDEN)");
  return sqlite3_str_finish(s);
}

/* ---------------------------------------------------------- stored tables */

/*
** Stored tables. A cloudtrail table defined in a database file (any schema
** but temp: main, or an ATTACHed database) carries its path and options in
** that file, and whoever wrote the file chose them. SQLITE_VTAB_DIRECTONLY
** keeps the file's views and triggers away from the table, but not the
** application's own "SELECT * FROM users" on a table the file defines. So a
** stored table reads files only with the consent of the connection that
** uses it, checked at the start of xFilter, before any file is touched:
**
**   - TEMP tables and the table-valued form cloudtrail('/x') always read:
**     the connection itself wrote their arguments. So does a stored table
**     with no arguments (CREATE VIRTUAL TABLE t USING cloudtrail): it names
**     no files, the query gives the path.
**   - Any other, only after SELECT cloudtrail_trust_stored(1) (every schema)
**     or cloudtrail_trust_stored('name') (that schema, while it is the same
**     file). The function is SQLITE_DIRECTONLY, so a stored view, trigger or
**     column default cannot give the consent itself.
**
** A table that CREATE VIRTUAL TABLE made on this very connection needs the
** consent too. The extension cannot tell it apart from one read from the
** file: SQLite makes the table-valued form only of a module whose xCreate is
** its xConnect. It is also the consistent rule: a database file behaves the
** same in the session that created its table and in every later one, so an
** application meets the need for consent the first time it runs, not the
** day it reopens its file.
*/

/* May this table read files? See "Stored tables" above. */
static int ctTrusted(const CtVtab *p) {
  const CtConn *pConn = p->pConn;
  int i;
  if (!p->stored || pConn->trustAll)
    return 1;
  for (i = 0; i < pConn->nTrust; i++) {
    if (sqlite3_stricmp(pConn->aTrust[i].zDb, p->zDb) == 0) {
      const char *zFile = sqlite3_db_filename(p->db, p->zDb);
      return zFile && strcmp(zFile, pConn->aTrust[i].zFile) == 0;
    }
  }
  return 0;
}

/*
** cloudtrail_trust_stored(X): the connection's consent for stored tables.
** X = 1: trust the tables stored in every database, now and attached later;
** X = 0: withdraw every consent given; X = 'name': trust the tables of that
** schema while it is the file it is now. Returns 1 if trust was given, else
** 0.
*/
static void ctTrustFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  CtConn *pConn = (CtConn *)sqlite3_user_data(ctx);
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  int i;
  (void)argc;
  switch (sqlite3_value_type(argv[0])) {
  case SQLITE_INTEGER:
  case SQLITE_FLOAT:
    if (sqlite3_value_double(argv[0]) != 0.0) {
      pConn->trustAll = 1;
      sqlite3_result_int(ctx, 1);
      return;
    }
    pConn->trustAll = 0;
    for (i = 0; i < pConn->nTrust; i++) {
      sqlite3_free(pConn->aTrust[i].zDb);
      sqlite3_free(pConn->aTrust[i].zFile);
    }
    sqlite3_free(pConn->aTrust);
    pConn->aTrust = 0;
    pConn->nTrust = 0;
    sqlite3_result_int(ctx, 0);
    return;
  case SQLITE_TEXT: {
    const char *zDb = (const char *)sqlite3_value_text(argv[0]);
    const char *zFile;
    CtTrust *a;
    char *zD, *zF;
    if (sqlite3_stricmp(zDb, "temp") == 0) {
      sqlite3_result_int(ctx, 1); /* TEMP tables are always trusted */
      return;
    }
    zFile = sqlite3_db_filename(db, zDb);
    if (zFile == 0) {
      char *z = sqlite3_mprintf("cloudtrail_trust_stored: no database "
                                "named %Q",
                                zDb);
      sqlite3_result_error(ctx, z ? z : "out of memory", -1);
      sqlite3_free(z);
      return;
    }
    zD = sqlite3_mprintf("%s", zDb);
    zF = sqlite3_mprintf("%s", zFile);
    for (i = 0; i < pConn->nTrust; i++) {
      if (sqlite3_stricmp(pConn->aTrust[i].zDb, zDb) == 0)
        break;
    }
    a = i < pConn->nTrust
            ? pConn->aTrust
            : sqlite3_realloc64(pConn->aTrust,
                                sizeof(CtTrust) *
                                    (sqlite3_uint64)(pConn->nTrust + 1));
    if (zD == 0 || zF == 0 || a == 0) {
      sqlite3_free(zD);
      sqlite3_free(zF);
      sqlite3_result_error_nomem(ctx);
      return;
    }
    pConn->aTrust = a;
    if (i == pConn->nTrust) {
      pConn->nTrust++;
    } else {
      sqlite3_free(a[i].zDb);
      sqlite3_free(a[i].zFile);
    }
    a[i].zDb = zD;
    a[i].zFile = zF;
    sqlite3_result_int(ctx, 1);
    return;
  }
  default:
    sqlite3_result_error(ctx,
                         "cloudtrail_trust_stored() takes 1 (trust the "
                         "cloudtrail tables stored in every database), 0 "
                         "(withdraw that) or a database name such as 'main'",
                         -1);
  }
}

/* ---------------------------------------------------------------- vtab */

static int ctDisconnect(sqlite3_vtab *pVtab);

/*
** xConnect and xCreate. argv[1] is the schema, argv[2] the table; argv[3],
** if present, is the path; further arguments are options (key=value). With
** no arguments this is the table-valued form, which takes the path (and
** options) as hidden-column arguments.
*/
static int ctConnect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                     sqlite3_vtab **ppVtab, char **pzErr) {
  CtVtab *pNew;
  char *zSchema;
  int rc, i;

  pNew = sqlite3_malloc(sizeof(*pNew));
  if (pNew == 0)
    return SQLITE_NOMEM;
  memset(pNew, 0, sizeof(*pNew));
  pNew->pConn = (CtConn *)pAux;
  pNew->db = db;
  ctDefaultOptions(&pNew->opts);
  for (i = 3; i < argc; i++) {
    const char *z = argv[i];
    int n = (int)strlen(z);
    int quoted = n > 0 && (z[0] == '\'' || z[0] == '"');
    char *zList = 0; /* a quoted 'k=v, k=v' list, dequoted */
    char *zOld;
    if (i == 3 && (quoted || memchr(z, '=', (size_t)n) == 0)) {
      pNew->zPath = ctDequote(z, n);
      continue;
    }
    if (quoted) {
      zList = ctDequote(z, n);
      rc = zList == 0 || ctApplyOptionList(zList, &pNew->opts, pzErr);
    } else {
      rc = ctApplyOption(z, n, &pNew->opts, &pNew->zPath, pzErr);
    }
    if (rc) {
      sqlite3_free(zList);
      ctDisconnect(&pNew->base);
      return SQLITE_ERROR;
    }
    zOld = pNew->zOptions;
    pNew->zOptions = zOld ? sqlite3_mprintf("%s, %s", zOld, zList ? zList : z)
                          : sqlite3_mprintf("%s", zList ? zList : z);
    sqlite3_free(zOld);
    sqlite3_free(zList);
  }
  if (argc > 3 && (pNew->zPath == 0 || pNew->zPath[0] == 0)) {
    *pzErr = sqlite3_mprintf("cloudtrail: the first argument must be the path "
                             "of a log directory, file or glob pattern");
    ctDisconnect(&pNew->base);
    return SQLITE_ERROR;
  }
  zSchema = ctSchema();
  rc = zSchema ? sqlite3_declare_vtab(db, zSchema) : SQLITE_NOMEM;
  sqlite3_free(zSchema);
  if (rc == SQLITE_OK) {
    rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  }
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("cloudtrail: %s", sqlite3_errmsg(db));
    ctDisconnect(&pNew->base);
    return rc;
  }
  pNew->zDb = sqlite3_mprintf("%s", argv[1]);
  pNew->zName = sqlite3_mprintf("%s", argv[2]);
  pNew->stored = argc > 3 && sqlite3_stricmp(argv[1], "temp") != 0;
  if (pNew->zDb == 0 || pNew->zName == 0) {
    ctDisconnect(&pNew->base);
    return SQLITE_NOMEM;
  }
  *ppVtab = &pNew->base;
  return SQLITE_OK;
}

/* Forget the rowid slots (no cursor of p is open). */
static void ctFreeSlots(CtVtab *p) {
  int i;
  for (i = 0; i < p->nSlot; i++)
    sqlite3_free(p->azSlot[i]);
  sqlite3_free(p->azSlot);
  p->azSlot = 0;
  p->nSlot = 0;
}

static int ctDisconnect(sqlite3_vtab *pVtab) {
  CtVtab *p = (CtVtab *)pVtab;
  ctFreeSlots(p);
  sqlite3_free(p->zPath);
  sqlite3_free(p->zOptions);
  sqlite3_free(p->zDb);
  sqlite3_free(p->zName);
  sqlite3_free(p);
  return SQLITE_OK;
}

/*
** Pushdown. Each column a constraint may be pushed on, with its kind:
** a time (ranges, under the cloudtrail_time collation) or a text set
** (= and IN, under BINARY or NOCASE), and what the filter tests.
*/
#define CT_PUSH_TIME 1
#define CT_PUSH_SET 2
static const struct {
  int iCol;      /* Column */
  const char *z; /* Its name, as written in idxStr */
  int kind;      /* CT_PUSH_TIME or CT_PUSH_SET */
  int iField;    /* Set: CT_F_* or CT_SRC_*; time: 1 for logDeliveryTime */
} aPush[] = {
    {CT_COL_EVENT_TIME, "eventTime", CT_PUSH_TIME, 0},
    {CT_COL_LOG_DELIVERY_TIME, "logDeliveryTime", CT_PUSH_TIME, 1},
    {CT_COL_FIELD0 + CT_F_EVENT_NAME, "eventName", CT_PUSH_SET,
     CT_F_EVENT_NAME},
    {CT_COL_FIELD0 + CT_F_EVENT_SOURCE, "eventSource", CT_PUSH_SET,
     CT_F_EVENT_SOURCE},
    {CT_COL_FIELD0 + CT_F_ERROR_CODE, "errorCode", CT_PUSH_SET,
     CT_F_ERROR_CODE},
    {CT_COL_FIELD0 + CT_F_AWS_REGION, "awsRegion", CT_PUSH_SET,
     CT_F_AWS_REGION},
    {CT_COL_FIELD0 + CT_F_RECIPIENT_ACCOUNT_ID, "recipientAccountId",
     CT_PUSH_SET, CT_F_RECIPIENT_ACCOUNT_ID},
    {CT_COL_LOG_ACCOUNT, "logAccount", CT_PUSH_SET, CT_SRC_LOG_ACCOUNT},
    {CT_COL_LOG_REGION, "logRegion", CT_PUSH_SET, CT_SRC_LOG_REGION},
};
#define CT_NPUSH ((int)(sizeof(aPush) / sizeof(aPush[0])))
#define CT_MAX_ARGS 32      /* constraints passed to xFilter at most */
#define CT_IDX_FIELDS 1     /* idxNum flag: columns need the event's fields */
#define CT_IDX_GROUP 2      /* idxNum flag: a grouped scan (ctPlanGroup) */
#define CT_IDX_NCOL_SHIFT 2 /* idxNum bits 2-4: the key's columns, then */
#define CT_IDX_COL_SHIFT 5  /* 6 bits per column number from bit 5 */

static const struct {
  int sqliteOp;  /* SQLITE_INDEX_CONSTRAINT_* */
  const char *z; /* As written in idxStr */
  int ctOp;      /* CT_OP_* */
} aOp[] = {
    {SQLITE_INDEX_CONSTRAINT_EQ, "=", CT_OP_EQ},
    {SQLITE_INDEX_CONSTRAINT_GT, ">", CT_OP_GT},
    {SQLITE_INDEX_CONSTRAINT_GE, ">=", CT_OP_GE},
    {SQLITE_INDEX_CONSTRAINT_LT, "<", CT_OP_LT},
    {SQLITE_INDEX_CONSTRAINT_LE, "<=", CT_OP_LE},
};

/* Columns a grouped scan may group by: text fields and the userIdentity
** shortcuts, compared as BINARY
** (not eventTime, whose collation is cloudtrail_time), and not the ids that
** are unique per event, where a key per row would only cost memory. */
static int ctGroupable(int iCol) {
  int f = iCol - CT_COL_FIELD0;
  if (iCol >= CT_COL_USER0 && iCol < CT_COL_USER0 + CT_NUSER)
    return 1; /* userArn, userType...: text from userIdentity */
  if (f < 0 || f >= CT_NFIELD || ctFieldKind(f) != CT_KIND_TEXT)
    return 0;
  return f != CT_F_EVENT_TIME && f != CT_F_EVENT_ID && f != CT_F_REQUEST_ID &&
         f != CT_F_SHARED_EVENT_ID;
}

/*
** A grouped scan: for `SELECT eventName, count(*) ... GROUP BY eventName`
** (or ORDER BY eventName) where the query uses no other column, the table
** counts each key while it scans and hands out the rows sorted, so SQLite
** does not sort them (see ct_group.h). Returns the idxNum bits for it, or 0
** if the plan does not qualify: 1 to CT_GROUP_MAXCOL ascending terms on
** groupable columns, GROUP BY or ORDER BY (sqlite3_vtab_distinct 1 or 0),
** and no column used but those and the arguments. (SQLite passes a term
** with COLLATE only if it names the column's own collation, BINARY here.)
*/
static int ctPlanGroup(sqlite3_index_info *pInfo) {
  sqlite3_uint64 keyCols = 0, args;
  int i, bits, d = sqlite3_vtab_distinct(pInfo);
  if ((d != 0 && d != 1) || pInfo->nOrderBy < 1 ||
      pInfo->nOrderBy > CT_GROUP_MAXCOL) {
    return 0;
  }
  bits = CT_IDX_GROUP | (pInfo->nOrderBy << CT_IDX_NCOL_SHIFT);
  for (i = 0; i < pInfo->nOrderBy; i++) {
    const struct sqlite3_index_orderby *o = &pInfo->aOrderBy[i];
    if (o->desc || !ctGroupable(o->iColumn))
      return 0;
    keyCols |= (sqlite3_uint64)1 << o->iColumn;
    bits |= o->iColumn << (CT_IDX_COL_SHIFT + 6 * i);
  }
  args = ((sqlite3_uint64)1 << CT_COL_PATH) |
         ((sqlite3_uint64)1 << CT_COL_OPTIONS);
  if (pInfo->colUsed & ~(keyCols | args))
    return 0;
  return bits;
}

/*
** The plan. xFilter's argv[] holds, in this order, the values of the
** constraints that idxStr lists, comma-separated, one token each:
**
**   path=  options=             the table-valued arguments (omit=1)
**   eventTime>= (> = < <=)      a time bound (cloudtrail_time collation)
**   logDeliveryTime>= ...       a bound on the file's delivery minute
**   eventName=  eventName IN    a text set (IN: the whole list at once,
**                               sqlite3_vtab_in); ":nocase" is appended
**                               under the NOCASE collation
**   (also eventSource, errorCode, awsRegion, recipientAccountId,
**    logAccount, logRegion)
**
** Pushed constraints only skip work: omit stays 0, so SQLite checks every
** row again. A constraint whose collation is not the one the filter
** implements is not pushed. idxNum is CT_IDX_FIELDS (1) if the query uses
** a column made from the event's fields (colUsed): then the decoder finds
** every event's fields ahead of time, on its threads; else 0.
** Without a path argument the table needs one from CREATE VIRTUAL TABLE; an
** unusable path constraint makes this plan SQLITE_CONSTRAINT so that SQLite
** picks an order where it is usable. A missing path is reported by xFilter
** (SQLite also asks for plans of the terms of an OR without the argument
** constraints).
*/
static int ctBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo) {
  CtVtab *p = (CtVtab *)pVtab;
  int iPath = -1, iOpts = -1, unusable = 0;
  int i, k, nArg = 0;
  sqlite3_str *pStr;
  double cost = 1e9;
  int hasLower = 0, hasSet = 0;
  for (i = 0; i < pInfo->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    if (c->iColumn == CT_COL_EXTRA) {
      /* cloudtrail(path, 'on_error=skip', 'threads=2'): without this, the
      ** third argument would be compared with the next hidden column. */
      sqlite3_free(pVtab->zErrMsg);
      pVtab->zErrMsg = sqlite3_mprintf(
          "cloudtrail: too many arguments: cloudtrail(path, options) takes "
          "two; give the options as one text, e.g. "
          "'on_error=skip, threads=2'");
      return SQLITE_ERROR;
    }
    if (c->iColumn != CT_COL_PATH && c->iColumn != CT_COL_OPTIONS)
      continue;
    if (c->op != SQLITE_INDEX_CONSTRAINT_EQ)
      continue;
    if (p->zPath) {
      /* A table made with a path reads that path, always: its path and
      ** options are columns like any other, which SQLite tests (a path
      ** given here must not read other files: SQLite may rewrite
      ** `x OR (path = 'B' AND x)` as `x`, which is right only if path is
      ** the same in every row). */
      continue;
    }
    if (!c->usable) {
      unusable = 1;
      continue;
    }
    if (c->iColumn == CT_COL_PATH)
      iPath = i;
    else
      iOpts = i;
  }
  if (unusable)
    return SQLITE_CONSTRAINT;
  if (iPath < 0 && p->zPath == 0) {
    /* No path: xFilter reports it. A plan without the path argument can
    ** also be asked for while SQLite weighs an OR of other terms; make it
    ** too costly to choose. */
    pInfo->estimatedCost = 1e300;
    pInfo->estimatedRows = 1000000;
    return SQLITE_OK;
  }
  pStr = sqlite3_str_new(0);
  if (iPath >= 0) {
    pInfo->aConstraintUsage[iPath].argvIndex = ++nArg;
    pInfo->aConstraintUsage[iPath].omit = 1;
    sqlite3_str_appendall(pStr, "path=");
  }
  if (iOpts >= 0) {
    pInfo->aConstraintUsage[iOpts].argvIndex = ++nArg;
    pInfo->aConstraintUsage[iOpts].omit = 1;
    sqlite3_str_appendf(pStr, "%soptions=", nArg > 1 ? "," : "");
  }
  for (i = 0; i < pInfo->nConstraint && nArg < CT_MAX_ARGS; i++) {
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    const char *zColl;
    int iOp = -1, noCase = 0;
    if (!c->usable)
      continue;
    for (k = 0; k < CT_NPUSH && aPush[k].iCol != c->iColumn; k++) {
    }
    if (k == CT_NPUSH)
      continue;
    for (iOp = 0; iOp < (int)(sizeof(aOp) / sizeof(aOp[0])); iOp++) {
      if (aOp[iOp].sqliteOp == c->op)
        break;
    }
    if (iOp == (int)(sizeof(aOp) / sizeof(aOp[0])))
      continue;
    zColl = sqlite3_vtab_collation(pInfo, i);
    if (aPush[k].kind == CT_PUSH_TIME) {
      if (zColl == 0 || sqlite3_stricmp(zColl, "cloudtrail_time") != 0) {
        continue;
      }
      if (aOp[iOp].ctOp != CT_OP_LT && aOp[iOp].ctOp != CT_OP_LE) {
        hasLower = 1;
      }
    } else {
      if (aOp[iOp].ctOp != CT_OP_EQ)
        continue;
      if (zColl == 0 || sqlite3_stricmp(zColl, "BINARY") == 0) {
        noCase = 0;
      } else if (sqlite3_stricmp(zColl, "NOCASE") == 0) {
        noCase = 1;
      } else {
        continue;
      }
      hasSet++;
    }
    pInfo->aConstraintUsage[i].argvIndex = ++nArg;
    pInfo->aConstraintUsage[i].omit = 0;
    if (aPush[k].kind == CT_PUSH_SET && sqlite3_vtab_in(pInfo, i, -1)) {
      sqlite3_vtab_in(pInfo, i, 1);
      sqlite3_str_appendf(pStr, "%s%s IN%s", nArg > 1 ? "," : "", aPush[k].z,
                          noCase ? ":nocase" : "");
    } else {
      sqlite3_str_appendf(pStr, "%s%s%s%s", nArg > 1 ? "," : "", aPush[k].z,
                          aOp[iOp].z, noCase ? ":nocase" : "");
    }
  }
  /* Fewer files and rows for each bound and set: prefer such plans. */
  if (hasLower)
    cost /= 20;
  for (i = 0; i < hasSet && i < 4; i++)
    cost /= 4;
  /* Does any column need the event's fields (not just record, logFile)? */
  for (i = CT_COL_FIELD0; i < CT_COL_RECORD; i++) {
    if (pInfo->colUsed & ((sqlite3_uint64)1 << i))
      break;
  }
  pInfo->idxNum = i < CT_COL_RECORD ? CT_IDX_FIELDS : 0;
  k = ctPlanGroup(pInfo);
  if (k) {
    /* Shown in the plan after the argument tokens (xFilter ignores it). */
    pInfo->idxNum |= k;
    pInfo->orderByConsumed = 1;
    for (i = 0; i < pInfo->nOrderBy; i++) {
      sqlite3_str_appendf(pStr, "%s%s",
                          i      ? "+"
                          : nArg ? ",group="
                                 : "group=",
                          ctColumnName(pInfo->aOrderBy[i].iColumn));
    }
  }
  pInfo->idxStr = sqlite3_str_finish(pStr);
  pInfo->needToFreeIdxStr = 1;
  if (pInfo->idxStr == 0 && (nArg > 0 || k))
    return SQLITE_NOMEM;
  pInfo->estimatedRows = (sqlite3_int64)(cost / 1000) + 1;
  pInfo->estimatedCost = cost;
  return SQLITE_OK;
}

static int ctOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  CtCursor *pCur;
  pCur = sqlite3_malloc(sizeof(*pCur));
  if (pCur == 0)
    return SQLITE_NOMEM;
  memset(pCur, 0, sizeof(*pCur));
  ((CtVtab *)pVtab)->nCursor++;
  pCur->eof = 1;
  ctFilterInit(&pCur->filter);
  *ppCursor = &pCur->base;
  return SQLITE_OK;
}

/* Publish the cursor's counters as the connection's latest scan. */
static void ctPublishStats(CtCursor *pCur) {
  CtConn *pConn = ((CtVtab *)pCur->base.pVtab)->pConn;
  if (pCur->st.scan == 0 || pCur->st.scan != pConn->nScan)
    return;
  if (pCur->pWalk)
    pCur->st.walk = *ctWalkStats(pCur->pWalk);
  pConn->last = pCur->st;
}

static void ctCloseFile(CtCursor *pCur) {
  ctDecodedFree(pCur->pDec);
  pCur->pDec = 0;
  pCur->iRec = 0;
  pCur->indexed = 0;
}

/* Free everything a scan holds; serves xFilter and xClose. */
static void ctReset(CtCursor *pCur) {
  ctCloseFile(pCur);
  if (pCur->pPool) {
    /* waits for the workers */
    pCur->st.nReadAhead += (sqlite3_int64)ctPoolFree(pCur->pPool);
    ctBufTrim(); /* the buffers kept for the scan's next files */
    pCur->pPool = 0;
  }
  ctPublishStats(pCur);
  ctWalkClose(pCur->pWalk);
  pCur->pWalk = 0;
  pCur->walkDone = 0;
  pCur->nWalked = 0;
  sqlite3_free(pCur->zPath);
  sqlite3_free(pCur->zOptions);
  pCur->zPath = 0;
  pCur->zOptions = 0;
  pCur->eof = 1;
  pCur->stopped = 0;
  memset(&pCur->st, 0, sizeof(pCur->st));
  ctFilterFree(&pCur->filter);
  ctGroupFree(pCur->pGroup);
  pCur->pGroup = 0;
  sqlite3_free(pCur->zNoRowid);
  pCur->zNoRowid = 0;
}

static int ctClose(sqlite3_vtab_cursor *cur) {
  CtCursor *pCur = (CtCursor *)cur;
  CtVtab *pVtab = (CtVtab *)cur->pVtab;
  ctReset(pCur);
  sqlite3_finalize(pCur->pTick);
  sqlite3_free(pCur);
  if (--pVtab->nCursor == 0)
    ctFreeSlots(pVtab);
  return SQLITE_OK;
}

/*
** A file or path failed with zCause (malloc'd, freed here). By default that
** is the query's error; with on_error=skip it is logged and the scan goes on.
** A lack of memory is not a bad file: it always stops the query (skipping
** the file would drop its rows for a reason that is not in the file).
*/
/* How to go on past a bad file, at the end of its error message. */
#define CT_SKIP_HINT "; to go on past bad files, use the option on_error=skip"

static int ctFileError(CtCursor *pCur, const char *zFile, char *zCause) {
  CtVtab *pVtab = (CtVtab *)pCur->base.pVtab;
  const char *zWhy = zCause ? zCause : "out of memory";
  int rc = SQLITE_OK;
  if (pCur->opts.skipErrors && !ctIsNoMem(zWhy)) {
    pCur->st.nFailed++;
    ctLogSkip(pVtab->pConn, pCur->st.scan, zFile, zWhy);
  } else {
    char *zName = ctEscapeName(zFile); /* the message shows it escaped */
    ctVtabError(&pVtab->base, "cloudtrail: %s: %s%s", zName ? zName : zFile,
                zWhy, ctIsNoMem(zWhy) ? "" : CT_SKIP_HINT);
    ctFree(zName);
    rc = SQLITE_ERROR;
  }
  ctFree(zCause);
  return rc;
}

/*
** Interrupts and the progress handler. SQLite checks sqlite3_interrupt()
** and calls the progress handler (sqlite3_progress_handler: what Python's
** set_progress_handler and apps use to cap a query's time) only while its
** VDBE runs opcodes: between our rows, never inside xFilter or xNext. A
** scan that skips files, a grouped scan (which counts every event inside
** xFilter) or a long walk returns no row for a long time, so it checks on
** its own: before each file, and every 256 entries the walk passes over,
** at most every CT_CHECK_SECONDS. The first check of a scan prepares
** "SELECT 1", which SQLite's parser fails with SQLITE_INTERRUPT after
** sqlite3_interrupt() (SQLite 3.40 has no sqlite3_is_interrupted()): a few
** microseconds, so short scans pay nothing more. Later checks step a small
** statement of the cursor's own (CT_TICK_SQL) on the connection:
**
**   - VDBE execution begins by testing the interrupt flag, which stays set
**     while the query runs, so the step fails with SQLITE_INTERRUPT;
**   - its opcodes count toward the progress handler. SQLite counts opcodes
**     per statement (the handler runs each time a statement's own count
**     passes a multiple of N, the app's number, which no API tells us) and
**     keeps the count across sqlite3_reset. So the cursor keeps one
**     statement and has it run CT_TICK_ROWS_PER_SECOND rows (about 7
**     opcodes each) per second of scan: the handler runs about 140,000 / N
**     times a second of scan, at each check for N up to about 1,400. When
**     it returns nonzero, the step fails with SQLITE_INTERRUPT.
**
** Cost: the statement's prepare (50 to 150 us) once per cursor, and about
** 0.3% of the query's thread (measured on the benchmark's trail). Once a check
*has said stop, every later check
** of the scan says so (a handler need not say it twice). If the statement
** cannot be prepared (an authorizer that denies it), checks go on preparing
** "SELECT 1": interrupts work, the progress handler is not called. Events
** are skipped by the decoder a file at a time, so a check per file bounds
** the time between checks by the time to decode one file.
*/
/* Seconds on a monotonic clock. */
#define CT_CHECK_SECONDS 0.01 /* between interrupt checks, at most */
#define CT_TICK_SQL                                                            \
  "/* cloudtrail: lets the progress handler run during a scan */ "             \
  "WITH d(x) AS (VALUES(0),(1),(2),(3),(4),(5),(6),(7),(8),(9)) "              \
  "SELECT count(*) FROM (SELECT 1 FROM d a, d b, d c, d e LIMIT ?1)"
#define CT_TICK_ROWS_PER_SECOND 20000.0 /* about 140,000 opcodes a second */
#define CT_TICK_MIN_ROWS 16             /* whatever the time since the last */
#define CT_TICK_MAX_ROWS 10000          /* ... half a second's at most */
/* Files in flight per decoding thread: CT_AHEAD_MIN at the start (so a
** LIMIT reads little ahead), one more per file taken, up to CT_AHEAD_MAX
** (so a long scan's threads never wait for the query's thread to walk). */
#define CT_AHEAD_MIN 4
#define CT_AHEAD_MAX 16
/* Decoded files waiting for the query hold at most this much memory (past
** it, the threads start no file but the one the query waits for). */
#define CT_AHEAD_BYTES ((size_t)64 << 20)

static double ctNow(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ctCheckInterrupt(CtCursor *pCur) {
  sqlite3 *db = ((CtVtab *)pCur->base.pVtab)->db;
  sqlite3_stmt *pStmt = 0;
  double now, dt;
  sqlite3_int64 nRow;
  int rc, first;
  if (pCur->stopped)
    return SQLITE_INTERRUPT;
  now = ctNow();
  if (now - pCur->tCheck < CT_CHECK_SECONDS)
    return SQLITE_OK;
  first = pCur->tCheck == 0;
  dt = now - pCur->tTick;
  pCur->tCheck = pCur->tTick = now;
  if (pCur->pTick == 0 && !pCur->noTick && !first) {
    rc = sqlite3_prepare_v3(db, CT_TICK_SQL, -1, SQLITE_PREPARE_PERSISTENT,
                            &pCur->pTick, 0);
    if (rc == SQLITE_INTERRUPT || rc == SQLITE_NOMEM) {
      pCur->stopped = rc == SQLITE_INTERRUPT;
      return rc;
    }
    pCur->noTick = rc != SQLITE_OK;
  }
  if (pCur->pTick == 0) {
    rc = sqlite3_prepare_v2(db, "SELECT 1", -1, &pStmt, 0);
    sqlite3_finalize(pStmt);
  } else {
    nRow = dt < (double)CT_TICK_MAX_ROWS / CT_TICK_ROWS_PER_SECOND
               ? (sqlite3_int64)(dt * CT_TICK_ROWS_PER_SECOND)
               : CT_TICK_MAX_ROWS;
    sqlite3_bind_int64(pCur->pTick, 1,
                       nRow < CT_TICK_MIN_ROWS ? CT_TICK_MIN_ROWS : nRow);
    rc = sqlite3_step(pCur->pTick);
    sqlite3_reset(pCur->pTick);
  }
  if (rc == SQLITE_INTERRUPT) {
    pCur->stopped = 1;
    return SQLITE_INTERRUPT;
  }
  return rc == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_OK;
}

/* progress=1: a line on stderr, rewritten at most twice a second, and a
** last one (with a newline) when the scan ends. */
static void ctProgress(CtCursor *pCur, int final) {
  double now = ctNow();
  double dt;
  const CtStats *st = &pCur->st;
  if (!pCur->opts.progress || (!final && now - pCur->tLast < 0.5))
    return;
  pCur->tLast = now;
  dt = now - pCur->tStart > 1e-6 ? now - pCur->tStart : 1e-6;
  fprintf(stderr,
          "\rcloudtrail: %lld of %lld files, %lld events, %.1f MB/s "
          "(%.1f MB/s inflated), %.1f s%s",
          st->nRead + st->nSkipText + st->nFailed + st->nSkipPath, pCur->nTotal,
          st->nRecords, (double)st->nBytesRead / dt / 1e6,
          (double)st->nBytesJson / dt / 1e6, dt, final ? "\n" : "");
  fflush(stderr);
}

/* The walk asks this while it passes over entries that are not logs. */
static int ctWalkStop(void *pArg) {
  return ctCheckInterrupt((CtCursor *)pArg) == SQLITE_INTERRUPT;
}

/* progress=1: count the log files first, so the report can say "of N". */
static void ctCountFiles(CtCursor *pCur) {
  CtWalk *w = ctWalkOpen(pCur->zPath);
  const char *zPath;
  char *zErr = 0;
  int rc;
  if (w == 0)
    return;
  ctWalkSetStop(w, ctWalkStop, pCur);
  while ((rc = ctWalkNext(w, &zPath, &zErr)) != CT_WALK_DONE) {
    if (rc == CT_WALK_STOPPED)
      break; /* interrupted: the scan stops at its next check */
    if (rc == CT_WALK_FILE)
      pCur->nTotal++;
    ctFree(zErr);
    zErr = 0;
  }
  ctWalkClose(w);
}

/* Walk on and submit files to the pool while it has room. */
static int ctFillPool(CtCursor *pCur) {
  while (!pCur->walkDone && ctPoolInFlight(pCur->pPool) < pCur->nAhead) {
    const char *zPath = 0;
    char *zErr = 0;
    CtDecoded *pDec;
    int rc;
    if ((rc = ctCheckInterrupt(pCur)) != SQLITE_OK)
      return rc;
    rc = ctWalkNext(pCur->pWalk, &zPath, &zErr);
    if (rc == CT_WALK_STOPPED)
      return SQLITE_INTERRUPT;
    if (rc == CT_WALK_DONE) {
      pCur->walkDone = 1;
      break;
    }
    pDec = ctCalloc(1, sizeof(*pDec));
    if (pDec == 0 || (pDec->zPath = ctMprintf("%s", zPath)) == 0) {
      ctFree(pDec);
      ctFree(zErr);
      return SQLITE_NOMEM;
    }
    pDec->iFile = pCur->nWalked++;
    if (rc == CT_WALK_ERROR) {
      /* Handed back in turn, so errors come in walk order too. */
      pDec->status = CT_DEC_ERROR;
      pDec->zErr = zErr ? zErr : ctMprintf("out of memory");
    } else {
      pCur->st.nFiles++;
      pDec->hasName = ctLogNameParse(zPath, &pDec->name);
      if (!ctFilterFile(&pCur->filter, pDec->hasName ? &pDec->name : 0)) {
        pCur->st.nSkipPath++;
        ctDecodedFree(pDec);
        continue;
      }
    }
    if (ctPoolSubmit(pCur->pPool, pDec))
      return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

/* Take the next decoded file that holds events (in walk order). Sets
** pCur->eof at the end. */
static int ctNextFile(CtCursor *pCur) {
  for (;;) {
    CtDecoded *pDec;
    int rc;
    ctCloseFile(pCur);
    ctPublishStats(pCur);
    if ((rc = ctCheckInterrupt(pCur)) != SQLITE_OK)
      return rc;
    rc = ctFillPool(pCur);
    if (rc != SQLITE_OK)
      return rc;
    ctProgress(pCur, 0);
    pDec = ctPoolNext(pCur->pPool);
    if (pCur->nAhead < pCur->nAheadMax)
      pCur->nAhead++;
    if (pDec == 0) {
      pCur->eof = 1;
      pCur->st.done = 1;
      ctPublishStats(pCur);
      ctProgress(pCur, 1);
      return SQLITE_OK;
    }
    pCur->pDec = pDec;
    pCur->st.nBytesRead += (sqlite3_int64)pDec->data.rawLen;
    pCur->st.nBytesJson += (sqlite3_int64)pDec->data.len;
    switch (pDec->status) {
    case CT_DEC_ERROR:
      rc = ctFileError(pCur, pDec->zPath, pDec->zErr);
      pDec->zErr = 0; /* ctFileError freed it */
      if (rc)
        return rc;
      continue;
    case CT_DEC_SKIPPED:
      pCur->st.nSkipText++;
      continue;
    default:
      pCur->st.nRead++;
      pCur->st.nSkipRec += (sqlite3_int64)pDec->nSkipRec;
      if (pDec->recs.nRec > 0 || ctRecordsHasMore(&pDec->recs))
        return SQLITE_OK;
    }
  }
}

/* Move to event iRec, or on to the next file that has events. The decoder
** has already dropped the events the filter rules out. */
static int ctSeek(CtCursor *pCur) {
  pCur->indexed = 0;
  while (pCur->pDec == 0 || pCur->iRec >= pCur->pDec->recs.nRec) {
    CtDecoded *pDec = pCur->pDec;
    size_t nSkip = 0;
    int rc;
    if (pDec && ctRecordsHasMore(&pDec->recs)) {
      /* The file's next part (see ctDecodeNext). */
      pCur->iRec = 0;
      if (ctDecodeNext(pDec, &pCur->cfg, &nSkip)) {
        pDec->recs.nRec = 0;
        memset(&pDec->recs.next, 0, sizeof(pDec->recs.next));
        rc = ctFileError(pCur, pDec->zPath, pDec->zErr);
        pDec->zErr = 0; /* ctFileError freed it */
        if (rc)
          return rc;
      }
      pCur->st.nSkipRec += (sqlite3_int64)nSkip;
      continue;
    }
    rc = ctNextFile(pCur);
    if (rc != SQLITE_OK || pCur->eof)
      return rc;
  }
  pCur->st.nRecords++;
  return SQLITE_OK;
}

/* The next row of a grouped scan: the same key again, or the next key. */
static void ctGroupStep(CtCursor *pCur, int first) {
  if (first) {
    pCur->iGroup = 0;
  } else if (++pCur->iGroupRow < ctGroupRows(pCur->pGroup, pCur->iGroup)) {
    return;
  } else {
    pCur->iGroup++;
  }
  pCur->iGroupRow = 0;
  pCur->eof = pCur->iGroup >= ctGroupCount(pCur->pGroup);
}

static int ctNext(sqlite3_vtab_cursor *cur) {
  CtCursor *pCur = (CtCursor *)cur;
  if (pCur->pGroup) {
    ctGroupStep(pCur, 0);
    return SQLITE_OK;
  }
  pCur->iRec++;
  return ctSeek(pCur);
}

static int ctTextValue(const char *buf, CtSpan v, const char **pz, size_t *pn,
                       char **pzFree);
static int ctEventRowid(const CtCursor *pCur, sqlite_int64 *pRowid);
static char *ctNoRowidMessage(const CtCursor *pCur, int why);

/* Events ahead whose key bytes a grouped scan prefetches. */
#define CT_GROUP_PREFETCH 8

/* A grouped scan: read every event now, counting the key of each, then
** stand on the first row of the first key. */
static int ctGroupScan(CtCursor *pCur) {
  int rc;
  pCur->pGroup = ctGroupNew(pCur->nGroupCol);
  if (pCur->pGroup == 0)
    return SQLITE_NOMEM;
  for (rc = ctSeek(pCur); rc == SQLITE_OK && !pCur->eof;
       pCur->iRec++, rc = ctSeek(pCur)) {
    const CtRecords *pRecs = &pCur->pDec->recs;
    const char *buf = pCur->pDec->data.buf;
    CtGroupVal a[CT_GROUP_MAXCOL];
    char *azFree[CT_GROUP_MAXCOL];
    sqlite_int64 iRowid;
    int k, why;
    /* The text was decoded on another core: ask for a later event's key
    ** bytes now, so that they are in cache when its turn comes (for the
    ** event's own fields; a userIdentity member would need a parse). */
    if (pCur->iRec + CT_GROUP_PREFETCH < pRecs->nRec) {
      for (k = 0; k < pCur->nGroupCol; k++) {
        int f = pCur->aGroupCol[k] - CT_COL_FIELD0;
        if (f >= 0 && f < CT_NFIELD) {
          __builtin_prefetch(
              buf +
              ctRecordsField(pRecs, pCur->iRec + CT_GROUP_PREFETCH, f).off);
        }
      }
    }
    for (k = 0; k < pCur->nGroupCol; k++) {
      int iCol = pCur->aGroupCol[k];
      CtSpan v = ctColumnSpan(
          buf, ctRecordsField(pRecs, pCur->iRec, ctColumnField(iCol)), iCol);
      azFree[k] = 0;
      if (rc == SQLITE_OK)
        rc = ctTextValue(buf, v, &a[k].z, &a[k].n, &azFree[k]);
    }
    /* An event that rowids cannot name is an error only if its rowid is
    ** asked for (see ctRowid). */
    why = ctEventRowid(pCur, &iRowid);
    if (why != CT_ROWID_OK) {
      iRowid = CT_ROWID_NONE;
      if (pCur->zNoRowid == 0 &&
          (pCur->zNoRowid = ctNoRowidMessage(pCur, why)) == 0) {
        rc = SQLITE_NOMEM;
      }
    }
    if (rc == SQLITE_OK && ctGroupAdd(pCur->pGroup, a, iRowid))
      rc = SQLITE_NOMEM;
    for (k = 0; k < pCur->nGroupCol; k++)
      sqlite3_free(azFree[k]);
    if (rc != SQLITE_OK)
      return rc;
  }
  if (rc != SQLITE_OK)
    return rc;
  ctCloseFile(pCur);
  ctGroupSort(pCur->pGroup);
  ctGroupStep(pCur, 1);
  return SQLITE_OK;
}

/* True if v is a text that cloudtrail_time reads as a time. */
static int ctIsTimeValue(sqlite3_value *v) {
  CtInstant t;
  return sqlite3_value_type(v) == SQLITE_TEXT &&
         ctTimeParse((const char *)sqlite3_value_text(v),
                     (size_t)sqlite3_value_bytes(v), &t);
}

/*
** A range comparison (<, <=, >, >=, BETWEEN) of a time column with a value
** that is not a time would compare it as text, before every time: a silent
** wrong answer. Say so, and what to write. (Equality stays legal: real files
** hold "eventTime": "redacted".)
*/
static void ctTimeValueError(CtCursor *pCur, const char *zCol, const char *zOp,
                             sqlite3_value *v) {
  const char *z = (const char *)sqlite3_value_text(v);
  switch (sqlite3_value_type(v)) {
  case SQLITE_INTEGER:
  case SQLITE_FLOAT:
    ctVtabError(pCur->base.pVtab,
                "cloudtrail: %s %s %s: a number is not a time; for seconds "
                "since 1970 write %s %s datetime(%s, 'unixepoch') "
                "(milliseconds: datetime(%s / 1000.0, 'unixepoch'))",
                zCol, zOp, z, zCol, zOp, z, z);
    break;
  case SQLITE_TEXT:
    ctVtabError(pCur->base.pVtab,
                "cloudtrail: %s %s %.200Q: not a time (compared as text it "
                "would sort before every time); write YYYY-MM-DD or "
                "YYYY-MM-DD HH:MM[:SS[.fff]], optionally with a zone (Z, UTC, "
                "+HH:MM), like '2023-07-10 12:30:00Z'; also read: "
                "YYYY/MM/DD, YYYYMMDD[THHMMSS], a T or a space before the "
                "clock, single-digit month, day and hour; not read: "
                "day-first or month-first dates, AM/PM",
                zCol, zOp, z);
    break;
  default:
    ctVtabError(pCur->base.pVtab,
                "cloudtrail: %s %s a blob: not a time; compare with a text "
                "like '2023-07-10 12:30:00Z'",
                zCol, zOp);
    break;
  }
}

/* Add the argument value v of constraint token zTok (see ctBestIndex) to the
** cursor's filter. Sets *pNever if the constraint can match no row. */
static int ctAddConstraint(CtCursor *pCur, const char *zTok, size_t nTok,
                           sqlite3_value *v, int *pNever) {
  CtFilter *f = &pCur->filter;
  int k, iOp;
  size_t n;
  for (k = 0; k < CT_NPUSH; k++) {
    n = strlen(aPush[k].z);
    if (nTok > n && memcmp(zTok, aPush[k].z, n) == 0 &&
        (zTok[n] == ' ' || zTok[n] == '=' || zTok[n] == '<' ||
         zTok[n] == '>')) {
      break;
    }
  }
  if (k == CT_NPUSH)
    return SQLITE_OK;
  zTok += n;
  nTok -= n;
  if (aPush[k].kind == CT_PUSH_TIME) {
    for (iOp = (int)(sizeof(aOp) / sizeof(aOp[0])) - 1; iOp >= 0; iOp--) {
      size_t m = strlen(aOp[iOp].z);
      if (nTok == m && memcmp(zTok, aOp[iOp].z, m) == 0)
        break;
    }
    if (iOp < 0)
      return SQLITE_OK;
    if (sqlite3_value_type(v) == SQLITE_NULL) {
      *pNever = 1; /* a comparison with NULL is never true */
    } else if (aOp[iOp].ctOp != CT_OP_EQ && !ctIsTimeValue(v)) {
      ctTimeValueError(pCur, aPush[k].z, aOp[iOp].z, v);
      return SQLITE_ERROR;
    } else if (sqlite3_value_type(v) == SQLITE_TEXT) {
      ctFilterAddTime(f, aPush[k].iField, aOp[iOp].ctOp,
                      (const char *)sqlite3_value_text(v),
                      (size_t)sqlite3_value_bytes(v));
    }
    return SQLITE_OK;
  } else {
    int noCase = nTok >= 7 && memcmp(zTok + nTok - 7, ":nocase", 7) == 0;
    int isIn = nTok >= 3 && memcmp(zTok, " IN", 3) == 0;
    CtTextSet *pSet = ctFilterAddSet(f, aPush[k].iField,
                                     isIn     ? CT_MATCH_LOOSE
                                     : noCase ? CT_MATCH_NOCASE
                                              : CT_MATCH_BINARY);
    sqlite3_value *x;
    int rc = SQLITE_OK, unusable = 0;
    if (pSet == 0)
      return SQLITE_NOMEM;
    if (isIn) {
      for (rc = sqlite3_vtab_in_first(v, &x); rc == SQLITE_OK && x;
           rc = sqlite3_vtab_in_next(v, &x)) {
        if (sqlite3_value_type(x) == SQLITE_TEXT) {
          if (ctTextSetAdd(pSet, (const char *)sqlite3_value_text(x),
                           (size_t)sqlite3_value_bytes(x))) {
            return SQLITE_NOMEM;
          }
        } else if (sqlite3_value_type(x) != SQLITE_NULL) {
          unusable = 1; /* a number or blob: leave it all to SQLite */
        }
      }
      if (rc != SQLITE_OK && rc != SQLITE_DONE)
        return rc;
    } else if (sqlite3_value_type(v) == SQLITE_TEXT) {
      if (ctTextSetAdd(pSet, (const char *)sqlite3_value_text(v),
                       (size_t)sqlite3_value_bytes(v))) {
        return SQLITE_NOMEM;
      }
    } else if (sqlite3_value_type(v) != SQLITE_NULL) {
      unusable = 1;
    }
    if (unusable) {
      ctFilterDropLastSet(f);
    } else if (pSet->n == 0) {
      *pNever = 1; /* "= NULL" or "IN (NULL)": never true */
    }
    return SQLITE_OK;
  }
}

/* Set pCur->iSlot to the rowid slot of path text zPath: its place among
** the paths scanned while a cursor of the table was open, or a new one.
** Past CT_ROWID_SLOTS, -1 (its events' rowids are an error, see ctRowid). */
static int ctPathSlot(CtCursor *pCur, const char *zPath) {
  CtVtab *p = (CtVtab *)pCur->base.pVtab;
  char **az;
  int i;
  for (i = 0; i < p->nSlot; i++) {
    if (strcmp(p->azSlot[i], zPath) == 0) {
      pCur->iSlot = i;
      return SQLITE_OK;
    }
  }
  pCur->iSlot = -1;
  if (p->nSlot >= CT_ROWID_SLOTS)
    return SQLITE_OK;
  az = sqlite3_realloc64(p->azSlot,
                         sizeof(char *) * (sqlite3_uint64)(p->nSlot + 1));
  if (az == 0)
    return SQLITE_NOMEM;
  p->azSlot = az;
  if ((az[p->nSlot] = sqlite3_mprintf("%s", zPath)) == 0)
    return SQLITE_NOMEM;
  pCur->iSlot = p->nSlot++;
  return SQLITE_OK;
}

/* True (with the vtab's error set) if the text argument z of value v holds
** a NUL byte: C would see the text cut there, and read another path. */
static int ctHasNul(sqlite3_vtab *pVtab, const char *zArg, const char *z,
                    sqlite3_value *v) {
  size_t n;
  if (z == 0)
    return 0;
  n = strlen(z);
  if (n == (size_t)sqlite3_value_bytes(v))
    return 0;
  ctVtabError(pVtab,
              "cloudtrail: the %s argument holds a NUL byte (at byte %d); a "
              "path or option cannot contain one",
              zArg, (int)n);
  return 1;
}

static int ctFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                    int argc, sqlite3_value **argv) {
  CtCursor *pCur = (CtCursor *)cur;
  CtVtab *pVtab = (CtVtab *)cur->pVtab;
  const char *zPath = pVtab->zPath;
  const char *zTok = idxStr ? idxStr : "";
  int iArg, rc, never = 0;
  sqlite3_value *pOptions = 0;
  ctReset(pCur);
  pCur->tCheck = 0; /* the first check runs at once, with a small tick */
  pCur->tTick = ctNow();
  if (!ctTrusted(pVtab)) {
    /* before any file is touched: see "Stored tables" */
    char *zRead = pVtab->zPath ? sqlite3_mprintf("%Q", pVtab->zPath) : 0;
    ctVtabError(cur->pVtab,
                "cloudtrail: table %s.%s is stored in the database, so it "
                "reads files only if this connection trusts it; to let it "
                "read %s, first run: SELECT cloudtrail_trust_stored(%Q);",
                pVtab->zDb, pVtab->zName, zRead ? zRead : "files", pVtab->zDb);
    sqlite3_free(zRead);
    return SQLITE_ERROR;
  }
  pCur->opts = pVtab->opts;
  for (iArg = 0; iArg < argc; iArg++) {
    const char *zEnd = strchr(zTok, ',');
    size_t nTok = zEnd ? (size_t)(zEnd - zTok) : strlen(zTok);
    sqlite3_value *v = argv[iArg];
    if (nTok == 5 && memcmp(zTok, "path=", 5) == 0) {
      if (sqlite3_value_type(v) != SQLITE_TEXT) {
        ctVtabError(
            cur->pVtab, "cloudtrail: the path argument must be text, not %s",
            sqlite3_value_type(v) == SQLITE_NULL ? "NULL" : "a number or blob");
        return SQLITE_ERROR;
      }
      zPath = (const char *)sqlite3_value_text(v);
      if (ctHasNul(cur->pVtab, "path", zPath, v))
        return SQLITE_ERROR;
    } else if (nTok == 8 && memcmp(zTok, "options=", 8) == 0) {
      pOptions = v;
    } else {
      rc = ctAddConstraint(pCur, zTok, nTok, v, &never);
      if (rc != SQLITE_OK)
        return rc;
    }
    zTok = zEnd ? zEnd + 1 : zTok + nTok;
  }
  if (zPath == 0) {
    ctVtabError(cur->pVtab, "cloudtrail: no path given: use "
                            "cloudtrail('/path/to/logs') or CREATE VIRTUAL "
                            "TABLE ... USING cloudtrail('/path/to/logs')");
    return SQLITE_ERROR;
  }
  if (zPath[0] == 0) {
    ctVtabError(cur->pVtab, "cloudtrail: the path argument is empty");
    return SQLITE_ERROR;
  }
  rc = ctPathSlot(pCur, zPath);
  if (rc != SQLITE_OK)
    return rc;
  if (pOptions) {
    char *zErr = 0;
    if (sqlite3_value_type(pOptions) == SQLITE_NULL) {
      /* NULL options: the defaults */
    } else if (sqlite3_value_type(pOptions) != SQLITE_TEXT) {
      ctVtabError(cur->pVtab, "cloudtrail: the options argument must be "
                              "text like 'on_error=skip'");
      return SQLITE_ERROR;
    } else if (ctHasNul(cur->pVtab, "options",
                        (const char *)sqlite3_value_text(pOptions), pOptions)) {
      return SQLITE_ERROR;
    } else if (ctApplyOptionList((const char *)sqlite3_value_text(pOptions),
                                 &pCur->opts, &zErr)) {
      sqlite3_free(cur->pVtab->zErrMsg);
      cur->pVtab->zErrMsg = zErr;
      return SQLITE_ERROR;
    } else {
      pCur->zOptions = sqlite3_mprintf("%s", sqlite3_value_text(pOptions));
    }
  } else if (pVtab->zOptions) {
    pCur->zOptions = sqlite3_mprintf("%s", pVtab->zOptions);
  }
  pCur->filter.maxDelay = pCur->opts.maxDelay;
  ctFilterPrepare(&pCur->filter);
  pCur->cfg.pFilter = &pCur->filter;
  pCur->cfg.maxFileSize = (size_t)pCur->opts.maxFileSize;
  pCur->nGroupCol = (idxNum >> CT_IDX_NCOL_SHIFT) & 7;
  for (iArg = 0; iArg < pCur->nGroupCol && iArg < CT_GROUP_MAXCOL; iArg++) {
    pCur->aGroupCol[iArg] = (idxNum >> (CT_IDX_COL_SHIFT + 6 * iArg)) & 63;
  }
  /* The fields the decoder notes for each event (the filter's are added):
  ** a grouped scan's keys; else all, if a column needs one (colUsed). */
  pCur->cfg.fieldMask = 0;
  if (idxNum & CT_IDX_GROUP) {
    for (iArg = 0; iArg < pCur->nGroupCol && iArg < CT_GROUP_MAXCOL; iArg++)
      pCur->cfg.fieldMask |= 1u << ctColumnField(pCur->aGroupCol[iArg]);
  } else if (idxNum & CT_IDX_FIELDS) {
    pCur->cfg.fieldMask = CT_FIELDS_ALL;
  }
  /* Files decoded ahead of the cursor: see CT_AHEAD_MIN. */
  pCur->nAhead = pCur->nAheadMax = 1;
  if (pCur->opts.nThread > 0) {
    pCur->nAhead = CT_AHEAD_MIN * (size_t)pCur->opts.nThread;
    pCur->nAheadMax = CT_AHEAD_MAX * (size_t)pCur->opts.nThread;
  }
  pCur->pPool = ctPoolNew(pCur->opts.nThread, pCur->nAheadMax, CT_AHEAD_BYTES,
                          &pCur->cfg);
  if (pCur->pPool == 0)
    return SQLITE_NOMEM;
  pCur->zPath = sqlite3_mprintf("%s", zPath);
  pCur->pWalk = pCur->zPath ? ctWalkOpen(pCur->zPath) : 0;
  if (pCur->pWalk == 0)
    return SQLITE_NOMEM;
  ctWalkSetStop(pCur->pWalk, ctWalkStop, pCur);
  pCur->st.scan = ++pVtab->pConn->nScan;
  if (pCur->opts.progress) {
    pCur->tStart = pCur->tLast = ctNow();
    ctCountFiles(pCur);
  }
  if (never) {
    pCur->st.done = 1;
    ctPublishStats(pCur);
    return SQLITE_OK; /* eof */
  }
  pCur->eof = 0;
  if (idxNum & CT_IDX_GROUP)
    return ctGroupScan(pCur);
  return ctSeek(pCur);
}

static int ctEof(sqlite3_vtab_cursor *cur) { return ((CtCursor *)cur)->eof; }

/*
** The rowid names an event among all those the cursor reads (ct_decode.h):
** the slot of the scan's path text, the file's number in the walk (counting
** every path the walk gives, skipped or not) and the event's index in its
** file. It is the same whatever the pushed constraints, so SQLite's OR
** plans, which run one scan per term on one cursor and merge by rowid, stay
** exact, also across paths; so do RIGHT JOINs, which mark the rows they
** matched by rowid. Returns CT_ROWID_OK, or why the event has none.
*/
static int ctEventRowid(const CtCursor *pCur, sqlite_int64 *pRowid) {
  int64_t r = 0;
  int why = CT_ROWID_OK;
  if (pCur->pDec)
    why = ctDecodedRowid(pCur->pDec, pCur->iRec, pCur->iSlot, &r);
  *pRowid = r;
  return why;
}

/* What to write instead, for an event that rowids cannot name. */
static char *ctNoRowidMessage(const CtCursor *pCur, int why) {
  switch (why) {
  case CT_ROWID_SLOT:
    return sqlite3_mprintf(
        "cloudtrail: %s: more than %d different paths read through one "
        "table at once (in one query, or while another statement still reads "
        "the table), and the plan needs rowids (an OR of path terms, a RIGHT "
        "JOIN, or rowid itself), which cannot tell apart the events of more; "
        "read at most %d paths at a time, e.g. in separate queries combined "
        "with UNION ALL",
        pCur->zPath, CT_ROWID_SLOTS, CT_ROWID_SLOTS);
  case CT_ROWID_FILE:
    return sqlite3_mprintf(
        "cloudtrail: %s: more files under this path than rowids can name "
        "(%lld for the first path a table reads in a query, %lld for each "
        "other); give this path a query of its own, or split it into "
        "narrower paths (a folder or a glob each) combined with UNION ALL",
        pCur->zPath, 1LL << 31, 1LL << 24);
  default:
    return sqlite3_mprintf(
        "cloudtrail: %s: more than %lld events in one file, more than rowids "
        "can name; split the file",
        pCur->pDec ? pCur->pDec->zPath : pCur->zPath, 1LL << 32);
  }
}

/* In a grouped scan each row keeps its event's rowid too: SQLite uses
** rowids itself (a RIGHT JOIN marks the rows it matched by rowid). An
** event that rowids cannot name (ct_decode.h) is an error here, only when
** its rowid is asked for: a plain join over many paths never asks. */
static int ctRowid(sqlite3_vtab_cursor *cur, sqlite_int64 *pRowid) {
  CtCursor *pCur = (CtCursor *)cur;
  int why = CT_ROWID_OK;
  *pRowid = 0;
  if (pCur->eof)
    return SQLITE_OK;
  if (pCur->pGroup) {
    *pRowid = ctGroupRowid(pCur->pGroup, pCur->iGroup, pCur->iGroupRow);
    if (*pRowid != CT_ROWID_NONE)
      return SQLITE_OK;
    sqlite3_free(cur->pVtab->zErrMsg);
    cur->pVtab->zErrMsg = sqlite3_mprintf("%s", pCur->zNoRowid);
    return cur->pVtab->zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  why = ctEventRowid(pCur, pRowid);
  if (why == CT_ROWID_OK)
    return SQLITE_OK;
  sqlite3_free(cur->pVtab->zErrMsg);
  cur->pVtab->zErrMsg = ctNoRowidMessage(pCur, why);
  return cur->pVtab->zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* ---------------------------------------------------------------- values */

/*
** The SQL value of a text column from the JSON value v: NULL (*pz = NULL)
** if absent or null; a string's decoded text; any other value's own text.
** Returns SQLITE_NOMEM or SQLITE_OK; *pzFree is to be sqlite3_free'd.
*/
static int ctTextValue(const char *buf, CtSpan v, const char **pz, size_t *pn,
                       char **pzFree) {
  *pzFree = 0;
  if (v.len == 0 || buf[v.off] == 'n') {
    *pz = 0;
    *pn = 0;
  } else if (buf[v.off] != '"') {
    *pz = buf + v.off;
    *pn = v.len;
  } else if (!ctJsonStrHasEscape(buf, v)) {
    *pz = buf + v.off + 1;
    *pn = v.len - 2;
  } else {
    char *z = sqlite3_malloc64(v.len);
    if (z == 0)
      return SQLITE_NOMEM;
    *pn = ctJsonStrDecode(buf, v, z);
    *pz = *pzFree = z;
  }
  return SQLITE_OK;
}

/* A JSON string token, or another value's text, as SQL TEXT. */
static void ctResultText(sqlite3_context *ctx, const char *buf, CtSpan v) {
  const char *z;
  size_t n;
  char *zFree;
  if (ctTextValue(buf, v, &z, &n, &zFree) != SQLITE_OK) {
    sqlite3_result_error_nomem(ctx);
  } else if (z == 0) {
    sqlite3_result_null(ctx);
  } else if (zFree) {
    sqlite3_result_text64(ctx, zFree, n, sqlite3_free, SQLITE_UTF8);
  } else {
    sqlite3_result_text64(ctx, z, n, SQLITE_TRANSIENT, SQLITE_UTF8);
  }
}

/* true/false (JSON or as strings, any case) as 1/0; other values as text. */
static void ctResultBool(sqlite3_context *ctx, const char *buf, CtSpan v) {
  const char *z = buf + v.off;
  size_t n = v.len;
  if (n >= 2 && z[0] == '"') {
    z++;
    n -= 2;
  }
  if (n == 4 && sqlite3_strnicmp(z, "true", 4) == 0) {
    sqlite3_result_int(ctx, 1);
  } else if (n == 5 && sqlite3_strnicmp(z, "false", 5) == 0) {
    sqlite3_result_int(ctx, 0);
  } else {
    ctResultText(ctx, buf, v);
  }
}

/* A JSON value's own text with the JSON subtype; null or absent is NULL. */
static void ctResultJson(sqlite3_context *ctx, const char *buf, CtSpan v) {
  if (v.len == 0 || buf[v.off] == 'n') {
    sqlite3_result_null(ctx);
    return;
  }
  sqlite3_result_text64(ctx, buf + v.off, v.len, SQLITE_TRANSIENT, SQLITE_UTF8);
  sqlite3_result_subtype(ctx, CT_JSON_SUBTYPE);
}

static int ctColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i) {
  CtCursor *pCur = (CtCursor *)cur;
  const CtDecoded *pDec = pCur->pDec;
  const char *buf;
  CtSpan rec, span;
  int f;
  if (pCur->pGroup && !pCur->eof) {
    int k;
    for (k = 0; k < pCur->nGroupCol && pCur->aGroupCol[k] != i; k++) {
    }
    if (k < pCur->nGroupCol) {
      CtGroupVal v = ctGroupValue(pCur->pGroup, pCur->iGroup, k);
      if (v.z)
        sqlite3_result_text64(ctx, v.z, v.n, SQLITE_TRANSIENT, SQLITE_UTF8);
    } else if (i == CT_COL_PATH) {
      sqlite3_result_text(ctx, pCur->zPath, -1, SQLITE_TRANSIENT);
    } else if (i == CT_COL_OPTIONS && pCur->zOptions) {
      sqlite3_result_text(ctx, pCur->zOptions, -1, SQLITE_TRANSIENT);
    }
    return SQLITE_OK;
  }
  if (pCur->eof || pDec == 0)
    return SQLITE_OK;
  buf = pDec->data.buf;
  rec = pDec->recs.aRec[pCur->iRec];
  switch (i) {
  case CT_COL_PATH:
    sqlite3_result_text(ctx, pCur->zPath, -1, SQLITE_TRANSIENT);
    return SQLITE_OK;
  case CT_COL_OPTIONS:
    if (pCur->zOptions)
      sqlite3_result_text(ctx, pCur->zOptions, -1, SQLITE_TRANSIENT);
    return SQLITE_OK;
  case CT_COL_RECORD:
    ctResultJson(ctx, buf, rec);
    return SQLITE_OK;
  case CT_COL_LOG_FILE:
    sqlite3_result_text(ctx, pDec->zPath, -1, SQLITE_TRANSIENT);
    return SQLITE_OK;
  case CT_COL_LOG_ACCOUNT:
    if (pDec->hasName)
      sqlite3_result_text(ctx, pDec->name.zAccount, -1, SQLITE_TRANSIENT);
    return SQLITE_OK;
  case CT_COL_LOG_REGION:
    if (pDec->hasName)
      sqlite3_result_text(ctx, pDec->name.zRegion, -1, SQLITE_TRANSIENT);
    return SQLITE_OK;
  case CT_COL_LOG_DELIVERY_TIME:
    if (pDec->hasName)
      sqlite3_result_text(ctx, pDec->name.zDelivery, -1, SQLITE_TRANSIENT);
    return SQLITE_OK;
  default:
    break;
  }
  if (i < CT_COL_FIELD0 || i >= CT_COL_USER0 + CT_NUSER)
    return SQLITE_OK;
  f = ctColumnField(i);
  if (ctRecordsHasField(&pDec->recs, f)) {
    span = ctRecordsField(&pDec->recs, pCur->iRec, f);
  } else {
    /* The decoder did not note this field (colUsed); find them now. */
    if (!pCur->indexed) {
      ctEventIndex(buf, rec, pCur->aField);
      pCur->indexed = 1;
    }
    span = pCur->aField[f];
  }
  if (i < CT_COL_USER0) {
    switch (ctFieldKind(f)) {
    case CT_KIND_BOOL:
      ctResultBool(ctx, buf, span);
      break;
    case CT_KIND_JSON:
      ctResultJson(ctx, buf, span);
      break;
    default:
      ctResultText(ctx, buf, span);
      break;
    }
  } else {
    ctResultText(ctx, buf, ctColumnSpan(buf, span, i));
  }
  return SQLITE_OK;
}

static sqlite3_module ctModule = {
    /* iVersion    */ 0,
    /* xCreate     */ ctConnect,
    /* xConnect    */ ctConnect,
    /* xBestIndex  */ ctBestIndex,
    /* xDisconnect */ ctDisconnect,
    /* xDestroy    */ ctDisconnect,
    /* xOpen       */ ctOpen,
    /* xClose      */ ctClose,
    /* xFilter     */ ctFilter,
    /* xNext       */ ctNext,
    /* xEof        */ ctEof,
    /* xColumn     */ ctColumn,
    /* xRowid      */ ctRowid,
    /* xUpdate     */ 0,
    /* xBegin      */ 0,
    /* xSync       */ 0,
    /* xCommit     */ 0,
    /* xRollback   */ 0,
    /* xFindMethod */ 0,
    /* xRename     */ 0,
    /* xSavepoint  */ 0,
    /* xRelease    */ 0,
    /* xRollbackTo */ 0,
    /* xShadowName */ 0,
};

/* ------------------------------------------------------ cloudtrail_errors */

/*
** cloudtrail_errors: the files skipped under on_error=skip on this
** connection (the latest CT_MAX_ERROR_LOG), oldest first.
**   SELECT scan, file, error FROM cloudtrail_errors;
*/
typedef struct CtErrVtab {
  sqlite3_vtab base; /* Base class - must be first */
  CtConn *pConn;     /* Connection state */
} CtErrVtab;

typedef struct CtErrCursor {
  sqlite3_vtab_cursor base; /* Base class - must be first */
  int i;                    /* Current entry */
} CtErrCursor;

#define CT_ERRCOL_SCAN 0
#define CT_ERRCOL_FILE 1
#define CT_ERRCOL_ERROR 2

static int ctErrConnect(sqlite3 *db, void *pAux, int argc,
                        const char *const *argv, sqlite3_vtab **ppVtab,
                        char **pzErr) {
  CtErrVtab *p;
  int rc;
  (void)argc;
  (void)argv;
  rc = sqlite3_declare_vtab(db, "CREATE TABLE x(scan INTEGER, file TEXT, "
                                "error TEXT)");
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    return rc;
  }
  p = sqlite3_malloc(sizeof(*p));
  if (p == 0)
    return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->pConn = (CtConn *)pAux;
  /* The paths of skipped files are the user's business, not a stored
  ** view's. */
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  *ppVtab = &p->base;
  return SQLITE_OK;
}

static int ctErrDisconnect(sqlite3_vtab *pVtab) {
  sqlite3_free(pVtab);
  return SQLITE_OK;
}

static int ctErrBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo) {
  (void)pVtab;
  pInfo->estimatedCost = 100;
  return SQLITE_OK;
}

static int ctErrOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  CtErrCursor *p = sqlite3_malloc(sizeof(*p));
  (void)pVtab;
  if (p == 0)
    return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  *ppCursor = &p->base;
  return SQLITE_OK;
}

static int ctErrClose(sqlite3_vtab_cursor *cur) {
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int ctErrFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                       int argc, sqlite3_value **argv) {
  (void)idxNum;
  (void)idxStr;
  (void)argc;
  (void)argv;
  ((CtErrCursor *)cur)->i = 0;
  return SQLITE_OK;
}

static int ctErrNext(sqlite3_vtab_cursor *cur) {
  ((CtErrCursor *)cur)->i++;
  return SQLITE_OK;
}

static int ctErrEof(sqlite3_vtab_cursor *cur) {
  CtConn *pConn = ((CtErrVtab *)cur->pVtab)->pConn;
  return ((CtErrCursor *)cur)->i >= pConn->nErr;
}

static int ctErrColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i) {
  CtConn *pConn = ((CtErrVtab *)cur->pVtab)->pConn;
  int k = ((CtErrCursor *)cur)->i;
  const CtErrorEntry *e;
  if (k >= pConn->nErr)
    return SQLITE_OK;
  e = &pConn->aErr[k];
  switch (i) {
  case CT_ERRCOL_SCAN:
    sqlite3_result_int64(ctx, e->scan);
    break;
  case CT_ERRCOL_FILE:
    sqlite3_result_text(ctx, e->zFile, -1, SQLITE_TRANSIENT);
    break;
  default:
    sqlite3_result_text(ctx, e->zError, -1, SQLITE_TRANSIENT);
    break;
  }
  return SQLITE_OK;
}

static int ctErrRowid(sqlite3_vtab_cursor *cur, sqlite_int64 *pRowid) {
  *pRowid = ((CtErrCursor *)cur)->i + 1;
  return SQLITE_OK;
}

static sqlite3_module ctErrModule = {
    0,
    0,
    ctErrConnect,
    ctErrBestIndex,
    ctErrDisconnect,
    0,
    ctErrOpen,
    ctErrClose,
    ctErrFilter,
    ctErrNext,
    ctErrEof,
    ctErrColumn,
    ctErrRowid,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
};

/* ---------------------------------------------------------------- functions */

static void ctVersionFunc(sqlite3_context *ctx, int argc,
                          sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, CT_VERSION, -1, SQLITE_STATIC);
}

/* cloudtrail_stats(): the latest scan's counters as a JSON object. */
static void ctStatsFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  CtConn *pConn = (CtConn *)sqlite3_user_data(ctx);
  const CtStats *s = &pConn->last;
  char *z;
  (void)argc;
  (void)argv;
  z = sqlite3_mprintf(
      "{\"scan\":%lld,\"done\":%s,\"files\":%lld,"
      "\"files_skipped_path\":%lld,\"files_skipped_text\":%lld,"
      "\"files_read\":%lld,\"files_failed\":%lld,\"files_ignored\":%lld,"
      "\"dirs\":%lld,\"loops_skipped\":%lld,\"files_repeated\":%lld,"
      "\"dirs_repeated\":%lld,\"records\":%lld,"
      "\"records_skipped\":%lld,\"files_read_ahead\":%lld,"
      "\"bytes_read\":%lld,\"bytes_json\":%lld}",
      s->scan, s->done ? "true" : "false", s->nFiles, s->nSkipPath,
      s->nSkipText, s->nRead, s->nFailed, s->walk.nIgnored, s->walk.nDirs,
      s->walk.nLoops, s->walk.nRepeats, s->walk.nDirRepeats, s->nRecords,
      s->nSkipRec, s->nReadAhead, s->nBytesRead, s->nBytesJson);
  if (z == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, z, -1, sqlite3_free);
  sqlite3_result_subtype(ctx, CT_JSON_SUBTYPE);
}

/*
** cloudtrail_time(x): the canonical text of the instant x names
** (ctTimeFormat: "2024-03-01T10:00:00Z"), so that one instant has one text;
** a text that is not a time comes back unchanged (as the collation keeps
** it), NULL is NULL, and a number is an error that says what to write.
*/
static void ctTimeFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *z;
  CtInstant t;
  char zOut[CT_TIME_CANON_MAX];
  size_t n;
  (void)argc;
  switch (sqlite3_value_type(argv[0])) {
  case SQLITE_NULL:
    return;
  case SQLITE_INTEGER:
  case SQLITE_FLOAT: {
    char *zErr = sqlite3_mprintf(
        "cloudtrail_time(%s): a number is not a time; for seconds since "
        "1970 write datetime(%s, 'unixepoch')",
        sqlite3_value_text(argv[0]), sqlite3_value_text(argv[0]));
    sqlite3_result_error(ctx, zErr ? zErr : "out of memory", -1);
    sqlite3_free(zErr);
    return;
  }
  default:
    break;
  }
  z = (const char *)sqlite3_value_text(argv[0]);
  if (z == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (!ctTimeParse(z, (size_t)sqlite3_value_bytes(argv[0]), &t)) {
    sqlite3_result_value(ctx, argv[0]);
    return;
  }
  n = ctTimeFormat(&t, zOut);
  sqlite3_result_text(ctx, zOut, (int)n, SQLITE_TRANSIENT);
}

static int ctTimeCollation(void *pArg, int na, const void *a, int nb,
                           const void *b) {
  (void)pArg;
  return ctTimeCollate(a, (size_t)na, b, (size_t)nb);
}

static void ctConnFree(void *p) {
  CtConn *pConn = (CtConn *)p;
  int i;
  for (i = 0; i < pConn->nErr; i++) {
    sqlite3_free(pConn->aErr[i].zFile);
    sqlite3_free(pConn->aErr[i].zError);
  }
  sqlite3_free(pConn->aErr);
  for (i = 0; i < pConn->nTrust; i++) {
    sqlite3_free(pConn->aTrust[i].zDb);
    sqlite3_free(pConn->aTrust[i].zFile);
  }
  sqlite3_free(pConn->aTrust);
  sqlite3_free(pConn);
}

/*
** The allocator of the modules (ct_util.h): SQLite's, so that SQLite's heap
** limit (sqlite3_hard_heap_limit64, PRAGMA hard_heap_limit) caps a scan's
** memory, the files' mapped text included (ctSqlReserve), and so that a
** test can fail each allocation (tests/fault.c).
*/
static void *ctSqlMalloc(size_t n) { return sqlite3_malloc64(n); }
static void *ctSqlRealloc(void *p, size_t n) { return sqlite3_realloc64(p, n); }
static void ctSqlFree(void *p) { sqlite3_free(p); }

/* May n more bytes of text be mapped? Not past the hard heap limit, counting
** what SQLite's allocator holds and what is mapped already. A token
** allocation lets an allocator that fails on purpose (tests) fail this too. */
static int ctSqlReserve(size_t n) {
  sqlite3_int64 lim = sqlite3_hard_heap_limit64(-1);
  void *p;
  if (lim > 0 &&
      (sqlite3_uint64)sqlite3_memory_used() + ctBufMappedBytes() + n >
          (sqlite3_uint64)lim) {
    return 0;
  }
  p = sqlite3_malloc(1);
  sqlite3_free(p);
  return p != 0;
}

static void ctAllocInit(void) {
  static const CtAllocator a = {ctSqlMalloc, ctSqlRealloc, ctSqlFree,
                                ctSqlReserve};
  ctAllocUse(&a);
}

/* The one exported symbol. */
int sqlite3_cloudtrail_init(sqlite3 *db, char **pzErrMsg,
                            const sqlite3_api_routines *pApi);

#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
    int sqlite3_cloudtrail_init(sqlite3 *db, char **pzErrMsg,
                                const sqlite3_api_routines *pApi) {
  CtConn *pConn;
  int rc;
  SQLITE_EXTENSION_INIT2(pApi);
  if (sqlite3_libversion_number() < 3038000) {
    *pzErrMsg = sqlite3_mprintf("cloudtrail needs SQLite 3.38 or later "
                                "(this is %s)",
                                sqlite3_libversion());
    return SQLITE_ERROR;
  }
  {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ctAllocInit);
  }
  pConn = sqlite3_malloc(sizeof(*pConn));
  if (pConn == 0)
    return SQLITE_NOMEM;
  memset(pConn, 0, sizeof(*pConn));
  rc = sqlite3_create_collation_v2(db, "cloudtrail_time", SQLITE_UTF8, 0,
                                   ctTimeCollation, 0);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_module_v2(db, "cloudtrail", &ctModule, pConn,
                                  ctConnFree);
  } else {
    ctConnFree(pConn);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_module_v2(db, "cloudtrail_errors", &ctErrModule, pConn,
                                  0);
  }
  if (rc == SQLITE_OK)
    rc = ctFilesRegister(db);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "cloudtrail_version", 0,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC |
                                        SQLITE_INNOCUOUS,
                                    0, ctVersionFunc, 0, 0, 0);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "cloudtrail_time", 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC |
                                        SQLITE_INNOCUOUS,
                                    0, ctTimeFunc, 0, 0, 0);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "cloudtrail_stats", 0,
                                    SQLITE_UTF8 | SQLITE_DIRECTONLY, pConn,
                                    ctStatsFunc, 0, 0, 0);
  }
  if (rc == SQLITE_OK) {
    /* DIRECTONLY: a stored view or trigger cannot consent for the
    ** connection (see "Stored tables"). */
    rc = sqlite3_create_function_v2(db, "cloudtrail_trust_stored", 1,
                                    SQLITE_UTF8 | SQLITE_DIRECTONLY, pConn,
                                    ctTrustFunc, 0, 0, 0);
  }
  if (rc != SQLITE_OK && *pzErrMsg == 0) {
    *pzErrMsg = sqlite3_mprintf("cloudtrail: %s", sqlite3_errmsg(db));
  }
  return rc;
}
