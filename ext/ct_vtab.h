/*
** ct_vtab.h - what the SQLite side of the extension shares: the cloudtrail
** table's column numbers, its options, its vtab, cursor and connection
** state, and the functions its rooms call in each other. Internal: only the
** files that use SQLite include it (cloudtrail.c, ct_vtab.c, ct_options.c,
** ct_columns.c, ct_plan.c, ct_scan.c, ct_groupscan.c, ct_conn.c); the core
** modules (CORE_SRC in the Makefile) never do.
**
** Each room, in the order a query meets it:
**
**   ct_options.c    option text (on_error=skip, ...) into CtOptions
**   ct_columns.c    the column map, the schema, the value a column shows
**   ct_plan.c       xBestIndex, and the plan's encoder and decoder
**   ct_vtab.c       the module's methods (thin), rowids and their slots
**   ct_scan.c       the scan driver: walk, pool, read-ahead, interrupts,
**                   progress, statistics, file errors
**   ct_groupscan.c  the grouped scan's driver (ct_group.c: its table)
**   ct_conn.c       the connection: skip log and cloudtrail_errors, trust,
**                   cloudtrail_stats(), cloudtrail_time(), the collation
**
** Memory: what these files allocate themselves (vtab, cursor, connection
** state, messages and texts handed to SQLite) is sqlite3_malloc'd and
** sqlite3_free'd; what the core modules hand back (decoded files, walk
** errors, ctEscapeName) is freed with ctFree. No object changes hands
** between the two. (Both are SQLite's allocator in the extension, ct_util.h,
** but unit tests link the core with malloc.)
**
** assert() guards the plan's invariants (ct_plan.c); nothing in the Makefile
** defines NDEBUG, so every build, the ASan one included, checks them.
*/
#ifndef CT_VTAB_H
#define CT_VTAB_H

#include <sqlite3ext.h>

#include "ct_decode.h"
#include "ct_filter.h"
#include "ct_group.h"
#include "ct_pool.h"
#include "ct_walk.h"

#include <assert.h>

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

#define CT_NCOL (CT_COL_LOG_DELIVERY_TIME + 1)

/* colUsed and the idxNum key columns (6 bits each) hold column numbers. */
_Static_assert(CT_NCOL <= 63, "a column number must fit colUsed and 6 bits");

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

/* ---------------------------------------------------------- ct_vtab.c */

extern sqlite3_module ctModule;
void ctVtabError(sqlite3_vtab *pVtab, const char *zFmt, ...);
int ctEventRowid(const CtCursor *pCur, sqlite3_int64 *pRowid);
char *ctNoRowidMessage(const CtCursor *pCur, int why);
int ctHasNul(sqlite3_vtab *pVtab, const char *zArg, const char *z,
             sqlite3_value *v);

/* ---------------------------------------------------------- ct_options.c */

/* Copy of z[0..n) without surrounding quotes and blanks; sqlite3_malloc'd. */
char *ctDequote(const char *z, int n);
/* Apply one "key=value" option (n bytes of z); "path" too if pzPath. */
int ctApplyOption(const char *z, int n, CtOptions *p, char **pzPath,
                  char **pzErr);
/* Apply a comma-separated list of options. 0, or 1 with *pzErr set. */
int ctApplyOptionList(const char *z, CtOptions *p, char **pzErr);
void ctDefaultOptions(CtOptions *p);

/* ---------------------------------------------------------- ct_columns.c */

const char *ctColumnName(int iCol);
int ctColumnField(int iCol);
CtSpan ctColumnSpan(const char *buf, CtSpan v, int iCol);
char *ctSchema(void);
int ctTextValue(const char *buf, CtSpan v, const char **pz, size_t *pn,
                char **pzFree);
int ctColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i);

/* ---------------------------------------------------------- ct_plan.c */

int ctBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo);
int ctPlanDecode(CtCursor *pCur, int idxNum, const char *idxStr, int argc,
                 sqlite3_value **argv, const char **pzPath,
                 sqlite3_value **ppOptions, int *pNever);

/* ---------------------------------------------------------- ct_scan.c */

double ctNow(void);
void ctScanReset(CtCursor *pCur);
void ctScanCloseFile(CtCursor *pCur);
void ctScanPublishStats(CtCursor *pCur);
int ctScanStart(CtCursor *pCur, const char *zPath);
int ctScanToEvent(CtCursor *pCur);

/* ---------------------------------------------------------- ct_groupscan.c */

int ctGroupScan(CtCursor *pCur);
void ctGroupStep(CtCursor *pCur, int first);

/* ---------------------------------------------------------- ct_conn.c */

void ctLogSkip(CtConn *pConn, sqlite3_int64 scan, const char *zFile,
               const char *zError);
int ctTrusted(const CtVtab *p);
void ctConnFree(void *p);
extern sqlite3_module ctErrModule; /* cloudtrail_errors */
void ctVersionFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void ctStatsFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void ctTrustFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void ctTimeFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void ctIpInFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv);
int ctTimeCollation(void *pArg, int na, const void *a, int nb, const void *b);

#endif /* CT_VTAB_H */
