/*
** ct_scan.c - the scan driver: one xFilter's pass over the files under a
** path, for the cursor (CtCursor, ct_vtab.h).
**
**   ctScanStart    options into the decoder's config, the pool, the walk
**   ctScanToEvent  stand on the current event, or the next one: the next
**                  part of the file, or the next file that has events
**   ctScanReset    free everything a scan holds (xFilter and xClose)
**
** The walk (ct_walk.h) finds files in byte order; ctFillPool names each
** (ct_logname.h), drops those the filter rules out by name, and hands the
** rest to the pool (ct_pool.h), which reads, inflates and decodes them on
** its threads, CT_AHEAD_MIN to CT_AHEAD_MAX files per thread ahead of the
** cursor; ctNextFile takes them back in walk order. A file that failed is
** the query's error, or with on_error=skip a line in cloudtrail_errors
** (ctFileError). Between files the scan checks for interrupts and lets the
** progress handler run (ctCheckInterrupt), reports progress=1 on stderr,
** and publishes its counters as the connection's latest scan
** (cloudtrail_stats(), ct_conn.c).
*/
#include "ct_vtab.h"
SQLITE_EXTENSION_INIT3

#include "ct_buf.h"
#include "ct_logname.h"
#include "ct_util.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* Seconds on a monotonic clock. */
double ctNow(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Publish the cursor's counters as the connection's latest scan. */
void ctScanPublishStats(CtCursor *pCur) {
  CtConn *pConn = ((CtVtab *)pCur->base.pVtab)->pConn;
  if (pCur->st.scan == 0 || pCur->st.scan != pConn->nScan)
    return;
  if (pCur->pWalk)
    pCur->st.walk = *ctWalkStats(pCur->pWalk);
  pConn->last = pCur->st;
}

/* Let go of the current file. */
void ctScanCloseFile(CtCursor *pCur) {
  ctDecodedFree(pCur->pDec);
  pCur->pDec = 0;
  pCur->iRec = 0;
  pCur->indexed = 0;
}

/* Free everything a scan holds; serves xFilter and xClose. */
void ctScanReset(CtCursor *pCur) {
  ctScanCloseFile(pCur);
  if (pCur->pPool) {
    /* waits for the workers */
    pCur->st.nReadAhead += (sqlite3_int64)ctPoolFree(pCur->pPool);
    ctBufTrim(); /* the buffers kept for the scan's next files */
    pCur->pPool = 0;
  }
  ctScanPublishStats(pCur);
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
    ctScanCloseFile(pCur);
    ctScanPublishStats(pCur);
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
      ctScanPublishStats(pCur);
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
    case CT_DEC_RULED_OUT:
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

/* Stand on event iRec of the current file if it has one, else on the first
** event of its next part or of the next file that has events (eof at the
** end), and count it as a row. The decoder has already dropped the events
** the filter rules out. (Formerly ctSeek: it only ever moves forward.) */
int ctScanToEvent(CtCursor *pCur) {
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

/* Start the scan of zPath with the cursor's options, filter and decoder
** config (ctPlanDecode): the pool and the walk, and for progress=1 the
** count of the files. */
int ctScanStart(CtCursor *pCur, const char *zPath) {
  CtVtab *pVtab = (CtVtab *)pCur->base.pVtab;
  pCur->filter.maxDelay = pCur->opts.maxDelay;
  ctFilterPrepare(&pCur->filter);
  pCur->cfg.pFilter = &pCur->filter;
  pCur->cfg.maxFileSize = (size_t)pCur->opts.maxFileSize;
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
  return SQLITE_OK;
}
