/*
** ct_files.c - cloudtrail_files(path): every entry a walk of path considers,
** and what the walk does with it.
**
**   SELECT path, status, error FROM cloudtrail_files('/logs');
**   SELECT status, count(*) FROM cloudtrail_files('/logs') GROUP BY 1;
**
** One row per entry the walk passes (ct_walk.h), in walk order:
**
**   status   meaning
**   log      a log file: the cloudtrail table reads it
**   ignored  not named like a log (or a link that leads nowhere)
**   digest   a digest file or folder (CloudTrail-Digest), skipped
**   repeat   a file or directory reached again by another path (same
**            device and inode), skipped: the first path in walk order wins
**   loop     a directory link back onto the current path, skipped
**   error    the walk could not examine it; error says why
**
** Directories that are walked are not rows; their entries are. Nothing is
** opened but directories, so this is cheap next to a scan, and it does not
** end with the "no log files found" error: it shows what was found instead.
** It reads the file system, so it is SQLITE_VTAB_DIRECTONLY like the
** cloudtrail table; sqlite3_interrupt() stops it mid-walk.
*/
#include "ct_files.h"
#include "ct_util.h"
SQLITE_EXTENSION_INIT3

#include "ct_walk.h"

#include <stdlib.h>
#include <string.h>

/* Columns. The path argument is the hidden column root. */
#define CT_FILES_PATH 0
#define CT_FILES_STATUS 1
#define CT_FILES_ERROR 2
#define CT_FILES_ROOT 3

typedef struct CtFilesCursor {
  sqlite3_vtab_cursor base; /* Base class - must be first */
  sqlite3 *db;              /* For interrupt checks */
  CtWalk *pWalk;            /* The walk, or NULL */
  const char *zPath;        /* Current entry (owned by the walk) */
  const char *zStatus;      /* Its status */
  char *zErr;               /* Its error (malloc'd), or NULL */
  sqlite3_int64 iRow;       /* Rowid: entries so far */
  int eof;                  /* True at the end */
} CtFilesCursor;

typedef struct CtFilesVtab {
  sqlite3_vtab base; /* Base class - must be first */
  sqlite3 *db;       /* The connection */
} CtFilesVtab;

static int ctFilesConnect(sqlite3 *db, void *pAux, int argc,
                          const char *const *argv, sqlite3_vtab **ppVtab,
                          char **pzErr) {
  CtFilesVtab *p;
  int rc;
  (void)pAux;
  (void)argc;
  (void)argv;
  rc = sqlite3_declare_vtab(db, "CREATE TABLE x(path TEXT, status TEXT, "
                                "error TEXT, root HIDDEN)");
  if (rc == SQLITE_OK)
    rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("cloudtrail_files: %s", sqlite3_errmsg(db));
    return rc;
  }
  p = sqlite3_malloc(sizeof(*p));
  if (p == 0)
    return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->db = db;
  *ppVtab = &p->base;
  return SQLITE_OK;
}

static int ctFilesDisconnect(sqlite3_vtab *pVtab) {
  sqlite3_free(pVtab);
  return SQLITE_OK;
}

/*
** The plan: idxNum 1 if root = ? is usable (argv[0] of xFilter is the
** path), else 0 (xFilter says no path was given). A root constraint that is
** present but not usable makes this plan impossible (SQLITE_CONSTRAINT).
*/
static int ctFilesBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo) {
  int i, seen = 0;
  (void)pVtab;
  for (i = 0; i < pInfo->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &pInfo->aConstraint[i];
    if (c->iColumn != CT_FILES_ROOT)
      continue;
    seen = 1;
    if (c->usable && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
      pInfo->aConstraintUsage[i].argvIndex = 1;
      pInfo->aConstraintUsage[i].omit = 1;
      pInfo->idxNum = 1;
      pInfo->estimatedCost = 1000;
      return SQLITE_OK;
    }
  }
  if (seen)
    return SQLITE_CONSTRAINT;
  pInfo->idxNum = 0;
  pInfo->estimatedCost = 1e12;
  return SQLITE_OK;
}

static int ctFilesOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  CtFilesCursor *p = sqlite3_malloc(sizeof(*p));
  if (p == 0)
    return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->db = ((CtFilesVtab *)pVtab)->db;
  p->eof = 1;
  *ppCursor = &p->base;
  return SQLITE_OK;
}

static void ctFilesReset(CtFilesCursor *p) {
  ctWalkClose(p->pWalk);
  p->pWalk = 0;
  ctFree(p->zErr);
  p->zErr = 0;
  p->zPath = 0;
  p->iRow = 0;
  p->eof = 1;
}

static int ctFilesClose(sqlite3_vtab_cursor *cur) {
  ctFilesReset((CtFilesCursor *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* The walk's stop callback: true once sqlite3_interrupt() was called (the
** parser reports the flag; SQLite 3.40 has no sqlite3_is_interrupted()). */
static int ctFilesStop(void *pArg) {
  sqlite3_stmt *pStmt = 0;
  int rc = sqlite3_prepare_v2((sqlite3 *)pArg, "SELECT 1", -1, &pStmt, 0);
  sqlite3_finalize(pStmt);
  return rc == SQLITE_INTERRUPT;
}

static void ctFilesError(sqlite3_vtab_cursor *cur, const char *zMsg) {
  sqlite3_free(cur->pVtab->zErrMsg);
  cur->pVtab->zErrMsg = sqlite3_mprintf("cloudtrail_files: %s", zMsg);
}

static int ctFilesNext(sqlite3_vtab_cursor *cur) {
  CtFilesCursor *p = (CtFilesCursor *)cur;
  const char *zPath = 0;
  char *zErr = 0;
  int rc;
  ctFree(p->zErr);
  p->zErr = 0;
  rc = ctWalkNext(p->pWalk, &zPath, &zErr);
  p->zPath = zPath;
  p->iRow++;
  switch (rc) {
  case CT_WALK_DONE:
    p->eof = 1;
    return SQLITE_OK;
  case CT_WALK_STOPPED:
    p->eof = 1;
    return SQLITE_INTERRUPT;
  case CT_WALK_FILE:
    p->zStatus = "log";
    break;
  case CT_WALK_ERROR:
    p->zStatus = "error";
    p->zErr = zErr;
    if (ctIsNoMem(zErr)) {
      /* A lack of memory is not a fact of the tree: fail, never list it. */
      ctFilesError(cur, zErr ? zErr : "out of memory");
      return SQLITE_NOMEM;
    }
    break;
  case CT_WALK_DIGEST:
    p->zStatus = "digest";
    break;
  case CT_WALK_REPEAT:
    p->zStatus = "repeat";
    break;
  case CT_WALK_LOOP:
    p->zStatus = "loop";
    break;
  default:
    p->zStatus = "ignored";
    break;
  }
  return SQLITE_OK;
}

static int ctFilesFilter(sqlite3_vtab_cursor *cur, int idxNum,
                         const char *idxStr, int argc, sqlite3_value **argv) {
  CtFilesCursor *p = (CtFilesCursor *)cur;
  const char *zRoot;
  (void)idxStr;
  ctFilesReset(p);
  if (idxNum != 1 || argc < 1) {
    ctFilesError(cur, "no path given: use cloudtrail_files('/path/to/logs')");
    return SQLITE_ERROR;
  }
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    ctFilesError(cur, "the path argument must be text");
    return SQLITE_ERROR;
  }
  zRoot = (const char *)sqlite3_value_text(argv[0]);
  if (zRoot == 0)
    return SQLITE_NOMEM;
  if (zRoot[0] == 0) {
    ctFilesError(cur, "the path argument is empty");
    return SQLITE_ERROR;
  }
  if (strlen(zRoot) != (size_t)sqlite3_value_bytes(argv[0])) {
    ctFilesError(cur, "the path argument holds a NUL byte; a path cannot "
                      "contain one");
    return SQLITE_ERROR;
  }
  p->pWalk = ctWalkOpen(zRoot);
  if (p->pWalk == 0)
    return SQLITE_NOMEM;
  ctWalkReportAll(p->pWalk);
  ctWalkSetStop(p->pWalk, ctFilesStop, p->db);
  p->eof = 0;
  return ctFilesNext(cur);
}

static int ctFilesEof(sqlite3_vtab_cursor *cur) {
  return ((CtFilesCursor *)cur)->eof;
}

static int ctFilesColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx,
                         int i) {
  CtFilesCursor *p = (CtFilesCursor *)cur;
  switch (i) {
  case CT_FILES_PATH:
    if (p->zPath)
      sqlite3_result_text(ctx, p->zPath, -1, SQLITE_TRANSIENT);
    break;
  case CT_FILES_STATUS:
    sqlite3_result_text(ctx, p->zStatus, -1, SQLITE_STATIC);
    break;
  case CT_FILES_ERROR:
    if (p->zErr)
      sqlite3_result_text(ctx, p->zErr, -1, SQLITE_TRANSIENT);
    break;
  default:
    break;
  }
  return SQLITE_OK;
}

static int ctFilesRowid(sqlite3_vtab_cursor *cur, sqlite_int64 *pRowid) {
  *pRowid = ((CtFilesCursor *)cur)->iRow;
  return SQLITE_OK;
}

static sqlite3_module ctFilesModule = {
    /* iVersion    */ 0,
    /* xCreate     */ 0, /* eponymous only */
    /* xConnect    */ ctFilesConnect,
    /* xBestIndex  */ ctFilesBestIndex,
    /* xDisconnect */ ctFilesDisconnect,
    /* xDestroy    */ 0,
    /* xOpen       */ ctFilesOpen,
    /* xClose      */ ctFilesClose,
    /* xFilter     */ ctFilesFilter,
    /* xNext       */ ctFilesNext,
    /* xEof        */ ctFilesEof,
    /* xColumn     */ ctFilesColumn,
    /* xRowid      */ ctFilesRowid,
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

int ctFilesRegister(sqlite3 *db) {
  return sqlite3_create_module_v2(db, "cloudtrail_files", &ctFilesModule, 0, 0);
}
