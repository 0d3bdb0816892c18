/*
** ct_columns.c - the cloudtrail table's columns: the map from column number
** to what it shows (CT_COL_* in ct_vtab.h), the schema, and the one rule for
** the SQL value of a column (xColumn).
**
** A column shows one of:
**   - an event field of ct_event.h: its JSON value, as TEXT (a string's
**     decoded text, any other value's own text), as INTEGER 1/0 for the
**     true/false fields, or as JSON text with the JSON subtype;
**   - a userIdentity shortcut (userArn, ...): a member of the event's
**     userIdentity (or of its sessionContext.sessionIssuer), as TEXT;
**   - record: the event's own JSON text (subtype JSON);
**   - logFile, logAccount, logRegion, logDeliveryTime: the file's path and
**     what its name says (ct_logname.h);
**   - path, options: the scan's arguments.
** null or absent is NULL. ctTextValue() is the rule for a text column's
** value; a grouped scan's keys (ct_groupscan.c) use it too, so a key is
** exactly the value the column would show.
*/
#include "ct_vtab.h"
SQLITE_EXTENSION_INIT3

#include "ct_json.h"
#include "ct_util.h"

#include <string.h>

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
const char *ctColumnName(int iCol) {
  if (iCol >= CT_COL_USER0 && iCol < CT_COL_USER0 + CT_NUSER)
    return aUserCol[iCol - CT_COL_USER0].zCol;
  return ctFieldKey(iCol - CT_COL_FIELD0);
}

/* The field a field or userIdentity column is made from (CT_F_*). */
int ctColumnField(int iCol) {
  int u = iCol - CT_COL_USER0;
  return u >= 0 && u < CT_NUSER ? CT_F_USER_IDENTITY : iCol - CT_COL_FIELD0;
}

/* The JSON value a field or userIdentity column shows, from the span v of
** its field (ctColumnField; len 0 when absent). */
CtSpan ctColumnSpan(const char *buf, CtSpan v, int iCol) {
  int u = iCol - CT_COL_USER0;
  if (u < 0 || u >= CT_NUSER)
    return v;
  if (aUserCol[u].inIssuer) {
    v = ctJsonUnsafeObjGet(buf, v, "sessionContext", 14);
    v = ctJsonUnsafeObjGet(buf, v, "sessionIssuer", 13);
  }
  return ctJsonUnsafeObjGet(buf, v, aUserCol[u].zKey, strlen(aUserCol[u].zKey));
}

/* The schema. logDeliveryTime has no COLLATE cloudtrail_time: SQLite 3.40
** removes the word HIDDEN from a virtual table column's type in place, which
** loses a collation declared after it. A constraint on it is pushed down
** when written with COLLATE cloudtrail_time (see ctBestIndex). */
char *ctSchema(void) {
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

/*
** The SQL value of a text column from the JSON value v: NULL (*pz = NULL)
** if absent or null; a string's decoded text; any other value's own text
** (ctEventText: the rule the filter's tests use too). Returns SQLITE_NOMEM
** or SQLITE_OK; *pzFree is to be ctFree'd.
*/
int ctTextValue(const char *buf, CtSpan v, const char **pz, size_t *pn,
                char **pzFree) {
  int rc = ctEventText(buf, v, 0, 0, pz, pn, pzFree);
  if (rc < 0)
    return SQLITE_NOMEM;
  if (rc == 0) {
    *pz = 0;
    *pn = 0;
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
    sqlite3_result_text64(ctx, zFree, n, ctFree, SQLITE_UTF8);
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

/* xColumn: column i of the current row (see the top of this file). */
int ctColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i) {
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
