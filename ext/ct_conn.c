/*
** ct_conn.c - the state of one database connection (CtConn, ct_vtab.h),
** shared by its cloudtrail tables and functions, and what shows it:
**
**   cloudtrail_errors          the files skipped under on_error=skip (the
**                              latest CT_MAX_ERROR_LOG), oldest first
**   cloudtrail_stats()         the latest scan's counters, as JSON
**   cloudtrail_trust_stored(X) consent for tables stored in a database file
**                              to read files (see "Stored tables" below)
**
** and the connection's other SQL functions: cloudtrail_version(),
** cloudtrail_time(x) and the cloudtrail_time collation (ct_time.h),
** cloudtrail_ip_in(ip, cidr) (ct_ip.h).
** cloudtrail.c registers them all; ctConnFree frees the state with the
** connection. Everything here is sqlite3_malloc'd.
*/
#include "ct_vtab.h"
SQLITE_EXTENSION_INIT3

#include "ct_ip.h"
#include "ct_time.h"

#include <string.h>

/* ---------------------------------------------------------------- skip log */

/* Log a file skipped under on_error=skip (cloudtrail_errors). */
void ctLogSkip(CtConn *pConn, sqlite3_int64 scan, const char *zFile,
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
int ctTrusted(const CtVtab *p) {
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
void ctTrustFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
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

sqlite3_module ctErrModule = {
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

void ctVersionFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, CT_VERSION, -1, SQLITE_STATIC);
}

/* cloudtrail_stats(): the latest scan's counters as a JSON object. */
void ctStatsFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
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
void ctTimeFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
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

/*
** cloudtrail_ip_in(ip, cidr): 1 if the address ip is in the CIDR block
** cidr, else 0 (ct_ip.h says what is an address, a block, and in). NULL if
** either is NULL or ip is not an address (sourceIPAddress also holds
** service names: "ec2.amazonaws.com", "AWS Internal"), so that NOT
** cloudtrail_ip_in(...) never counts those as outside. A cidr that is not
** a block is an error that names it, whatever ip is.
*/
void ctIpInFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *zIp, *zBlock, *zWhy = 0;
  CtIpBlock block;
  CtIp ip;
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    return;
  }
  zBlock = (const char *)sqlite3_value_text(argv[1]);
  if (zBlock == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (!ctIpParseBlock(zBlock, (size_t)sqlite3_value_bytes(argv[1]), &block,
                      &zWhy)) {
    char *zErr = sqlite3_mprintf(
        "cloudtrail_ip_in: %Q is not a CIDR block: %s (write an address and "
        "a prefix length: '10.0.0.0/8', '2001:db8::/32')",
        zBlock, zWhy);
    sqlite3_result_error(ctx, zErr ? zErr : "out of memory", -1);
    sqlite3_free(zErr);
    return;
  }
  zIp = (const char *)sqlite3_value_text(argv[0]);
  if (zIp == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (!ctIpParse(zIp, (size_t)sqlite3_value_bytes(argv[0]), &ip))
    return;
  sqlite3_result_int(ctx, ctIpInBlock(&ip, &block));
}

int ctTimeCollation(void *pArg, int na, const void *a, int nb, const void *b) {
  (void)pArg;
  return ctTimeCollate(a, (size_t)na, b, (size_t)nb);
}

/* Free the connection state (the modules' destructor). */
void ctConnFree(void *p) {
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
