/*
** ct_vtab.c - the cloudtrail table's module methods, thin: each hands its
** job to the room that does it (ct_vtab.h lists them).
**
**   xConnect/xCreate  arguments: the path, then options (ct_options.c)
**   xBestIndex        ct_plan.c
**   xFilter           trust (ct_conn.c), the plan's values (ct_plan.c), the
**                     path and options checks, the rowid slot, then the scan
**                     (ct_scan.c) or the grouped scan (ct_groupscan.c)
**   xNext             the next event (ct_scan.c) or grouped row
**   xColumn           ct_columns.c
**   xRowid            here: the event's rowid (ct_decode.h), or the error
**                     that says why it has none
**
** Rowid slots live here too: the path texts scanned while a cursor of the
** table is open, each a slot of the rowid (see CtVtab.azSlot).
*/
#include "ct_vtab.h"
SQLITE_EXTENSION_INIT3

#include <stdarg.h>
#include <string.h>

/* Replace the vtab's error message (printf-style). */
void ctVtabError(sqlite3_vtab *pVtab, const char *zFmt, ...) {
  va_list ap;
  sqlite3_free(pVtab->zErrMsg);
  va_start(ap, zFmt);
  pVtab->zErrMsg = sqlite3_vmprintf(zFmt, ap);
  va_end(ap);
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
** xConnect and xCreate. argv[1] is the schema, argv[2] the table; argv[3],
** if present, is the path; further arguments are options (key=value). With
** no arguments this is the table-valued form, which takes the path (and
** options) as hidden-column arguments. One way out on error: connect_error.
*/
static int ctConnect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                     sqlite3_vtab **ppVtab, char **pzErr) {
  CtVtab *pNew;
  char *zSchema = 0;
  char *zList = 0; /* a quoted 'k=v, k=v' list, dequoted */
  int rc = SQLITE_OK, i;

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
    int bad;
    char *zOld;
    if (i == 3 && (quoted || memchr(z, '=', (size_t)n) == 0)) {
      pNew->zPath = ctDequote(z, n);
      continue;
    }
    if (quoted) {
      zList = ctDequote(z, n);
      bad = zList == 0 || ctApplyOptionList(zList, &pNew->opts, pzErr);
    } else {
      bad = ctApplyOption(z, n, &pNew->opts, &pNew->zPath, pzErr);
    }
    if (bad) {
      rc = SQLITE_ERROR;
      goto connect_error;
    }
    zOld = pNew->zOptions;
    pNew->zOptions = zOld ? sqlite3_mprintf("%s, %s", zOld, zList ? zList : z)
                          : sqlite3_mprintf("%s", zList ? zList : z);
    sqlite3_free(zOld);
    sqlite3_free(zList);
    zList = 0;
  }
  if (argc > 3 && (pNew->zPath == 0 || pNew->zPath[0] == 0)) {
    *pzErr = sqlite3_mprintf("cloudtrail: the first argument must be the path "
                             "of a log directory, file or glob pattern");
    rc = SQLITE_ERROR;
    goto connect_error;
  }
  zSchema = ctSchema();
  rc = zSchema ? sqlite3_declare_vtab(db, zSchema) : SQLITE_NOMEM;
  if (rc == SQLITE_OK) {
    rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  }
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("cloudtrail: %s", sqlite3_errmsg(db));
    goto connect_error;
  }
  pNew->zDb = sqlite3_mprintf("%s", argv[1]);
  pNew->zName = sqlite3_mprintf("%s", argv[2]);
  pNew->stored = argc > 3 && sqlite3_stricmp(argv[1], "temp") != 0;
  if (pNew->zDb == 0 || pNew->zName == 0) {
    rc = SQLITE_NOMEM;
    goto connect_error;
  }
  sqlite3_free(zSchema);
  *ppVtab = &pNew->base;
  return SQLITE_OK;

connect_error:
  assert(rc != SQLITE_OK);
  sqlite3_free(zList);
  sqlite3_free(zSchema);
  ctDisconnect(&pNew->base);
  return rc;
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

static int ctClose(sqlite3_vtab_cursor *cur) {
  CtCursor *pCur = (CtCursor *)cur;
  CtVtab *pVtab = (CtVtab *)cur->pVtab;
  ctScanReset(pCur);
  sqlite3_finalize(pCur->pTick);
  sqlite3_free(pCur);
  if (--pVtab->nCursor == 0)
    ctFreeSlots(pVtab);
  return SQLITE_OK;
}

static int ctNext(sqlite3_vtab_cursor *cur) {
  CtCursor *pCur = (CtCursor *)cur;
  if (pCur->pGroup) {
    ctGroupStep(pCur, 0);
    return SQLITE_OK;
  }
  pCur->iRec++;
  return ctScanToEvent(pCur);
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
int ctHasNul(sqlite3_vtab *pVtab, const char *zArg, const char *z,
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

/* xFilter: a new scan (see the top of this file; the plan: ct_plan.c). */
static int ctFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                    int argc, sqlite3_value **argv) {
  CtCursor *pCur = (CtCursor *)cur;
  CtVtab *pVtab = (CtVtab *)cur->pVtab;
  const char *zPath = pVtab->zPath;
  int rc, never = 0;
  sqlite3_value *pOptions = 0;
  ctScanReset(pCur);
  pCur->tCheck = 0; /* the first check runs at once, with a small tick */
  pCur->tTick = ctNow();
  if (!ctTrusted(pVtab)) {
    /* before any file is touched: see "Stored tables" (ct_conn.c) */
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
  rc =
      ctPlanDecode(pCur, idxNum, idxStr, argc, argv, &zPath, &pOptions, &never);
  if (rc != SQLITE_OK)
    return rc;
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
  rc = ctScanStart(pCur, zPath);
  if (rc != SQLITE_OK)
    return rc;
  if (never) {
    pCur->st.done = 1;
    ctScanPublishStats(pCur);
    return SQLITE_OK; /* eof */
  }
  pCur->eof = 0;
  if (pCur->nGroupCol > 0)
    return ctGroupScan(pCur);
  return ctScanToEvent(pCur);
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
int ctEventRowid(const CtCursor *pCur, sqlite_int64 *pRowid) {
  int64_t r = 0;
  int why = CT_ROWID_OK;
  if (pCur->pDec)
    why = ctDecodedRowid(pCur->pDec, pCur->iRec, pCur->iSlot, &r);
  *pRowid = r;
  return why;
}

/* What to write instead, for an event that rowids cannot name. */
char *ctNoRowidMessage(const CtCursor *pCur, int why) {
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

sqlite3_module ctModule = {
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
