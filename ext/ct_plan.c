/*
** ct_plan.c - the cloudtrail table's planner: xBestIndex, its costs, and the
** plan it hands xFilter, with ONE encoder and ONE decoder side by side.
**
** What is pushed down (aPush): a time range on eventTime or logDeliveryTime
** under the cloudtrail_time collation; = and IN on eventName, eventSource,
** errorCode, awsRegion, recipientAccountId, logAccount and logRegion under
** BINARY or NOCASE. Pushed constraints only skip work (ct_filter.h): omit
** stays 0 and SQLite tests every row again. The table-valued arguments path
** and options are taken whole (omit=1). A query that uses only the key
** columns of a GROUP BY or ORDER BY gets a grouped scan (ct_groupscan.c).
**
** Costs: 1e9 for a full scan, divided by 20 for a lower time bound and by 4
** for each text set (up to 4); estimatedRows is cost/1000 + 1. A plan with
** no path argument (on a table without a path) costs 1e300: xFilter then
** reports the missing path.
**
** The plan. idxStr lists the constraints whose values xFilter receives, in
** argv order, comma-separated, one token each; then, for a grouped scan, the
** key's columns (shown in EXPLAIN QUERY PLAN, ignored by xFilter):
**
**   token                     argv[i] holds
**   ------------------------  ---------------------------------------------
**   path=                     the path argument (table-valued form)
**   options=                  the options argument
**   eventTime>  >=  <  <=  =  a time bound (cloudtrail_time collation)
**   logDeliveryTime>= ...     a bound on the file's delivery minute
**   eventName=                a text (":nocase" appended under NOCASE)
**   eventName IN              the whole IN list (sqlite3_vtab_in)
**   (also eventSource, errorCode, awsRegion, recipientAccountId,
**    logAccount, logRegion: = and IN)
**   group=eventName+awsRegion a grouped scan's key columns (no argv)
**
** e.g. "path=,eventTime>=,eventName IN:nocase,group=eventName".
**
** idxNum:
**
**   bit 0      CT_IDX_FIELDS   a column needs the event's fields (colUsed):
**                              the decoder finds them ahead, on its threads
**   bit 1      CT_IDX_GROUP    a grouped scan
**   bits 2-4                   grouped: the number of key columns (1 to
**                              CT_GROUP_MAXCOL)
**   bits 5-10, 11-16, ...      grouped: each key column's number, 6 bits
**
** ctPlanTokenEncode/ctPlanTokenDecode and ctPlanGroup/ctPlanGroupDecode are
** the two halves of each; change them together.
*/
#include "ct_vtab.h"
SQLITE_EXTENSION_INIT3

#include "ct_time.h"

#include <string.h>

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

#define CT_MAX_ARGS 32      /* constraints passed to xFilter at most */
#define CT_IDX_FIELDS 1     /* idxNum flag: columns need the event's fields */
#define CT_IDX_GROUP 2      /* idxNum flag: a grouped scan (ctPlanGroup) */
#define CT_IDX_NCOL_SHIFT 2 /* idxNum bits 2-4: the key's columns, then */
#define CT_IDX_COL_SHIFT 5  /* 6 bits per column number from bit 5 */

_Static_assert(CT_GROUP_MAXCOL >= 1 && CT_GROUP_MAXCOL <= 7,
               "the number of key columns fits idxNum's 3 bits");
_Static_assert(CT_IDX_COL_SHIFT + 6 * CT_GROUP_MAXCOL <= 31,
               "the key columns fit a positive int idxNum");
_Static_assert(CT_NCOL <= 63, "a column number fits 6 bits and colUsed");

/* ------------------------------------------------ encoder and decoder */

/* Append the token of pushed constraint aPush[k] with operator aOp[iOp]
** (isIn: the whole IN list; noCase: under NOCASE), comma-separated from
** the tokens before it (nArg: its argv number, from 1). */
static void ctPlanTokenEncode(sqlite3_str *pStr, int nArg, int k, int iOp,
                              int isIn, int noCase) {
  if (isIn) {
    sqlite3_str_appendf(pStr, "%s%s IN%s", nArg > 1 ? "," : "", aPush[k].z,
                        noCase ? ":nocase" : "");
  } else {
    sqlite3_str_appendf(pStr, "%s%s%s%s", nArg > 1 ? "," : "", aPush[k].z,
                        aOp[iOp].z, noCase ? ":nocase" : "");
  }
}

/* The token zTok[0..nTok) (not path= or options=) back into aPush[*pk],
** aOp[*piOp], *pIsIn and *pNoCase. Returns 0 for a token it does not know
** (its value is then ignored). */
static int ctPlanTokenDecode(const char *zTok, size_t nTok, int *pk, int *piOp,
                             int *pIsIn, int *pNoCase) {
  int k, iOp;
  size_t n = 0;
  for (k = 0; k < CT_NPUSH; k++) {
    n = strlen(aPush[k].z);
    if (nTok > n && memcmp(zTok, aPush[k].z, n) == 0 &&
        (zTok[n] == ' ' || zTok[n] == '=' || zTok[n] == '<' ||
         zTok[n] == '>')) {
      break;
    }
  }
  if (k == CT_NPUSH)
    return 0;
  zTok += n;
  nTok -= n;
  *pk = k;
  *pIsIn = *pNoCase = 0;
  if (aPush[k].kind == CT_PUSH_TIME) {
    for (iOp = (int)(sizeof(aOp) / sizeof(aOp[0])) - 1; iOp >= 0; iOp--) {
      size_t m = strlen(aOp[iOp].z);
      if (nTok == m && memcmp(zTok, aOp[iOp].z, m) == 0)
        break;
    }
    if (iOp < 0)
      return 0;
    *piOp = iOp;
    return 1;
  }
  assert(aOp[0].ctOp == CT_OP_EQ);
  *piOp = 0; /* a set is = or IN */
  *pNoCase = nTok >= 7 && memcmp(zTok + nTok - 7, ":nocase", 7) == 0;
  *pIsIn = nTok >= 3 && memcmp(zTok, " IN", 3) == 0;
  return 1;
}

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

/* The key columns of a grouped scan's idxNum (ctPlanGroup) into aCol;
** returns their number, 0 if idxNum is not a grouped scan's. */
static int ctPlanGroupDecode(int idxNum, int *aCol) {
  int i, n = (idxNum >> CT_IDX_NCOL_SHIFT) & 7;
  assert((idxNum & CT_IDX_GROUP) ? n >= 1 && n <= CT_GROUP_MAXCOL : n == 0);
  for (i = 0; i < n && i < CT_GROUP_MAXCOL; i++) {
    aCol[i] = (idxNum >> (CT_IDX_COL_SHIFT + 6 * i)) & 63;
    assert(ctGroupable(aCol[i]));
  }
  return n;
}

/* ---------------------------------------------------------------- planner */

/*
** xBestIndex: the plan (see the top of this file). A constraint whose
** collation is not the one the filter implements is not pushed. Without a
** path argument the table needs one from CREATE VIRTUAL TABLE; an unusable
** path constraint makes this plan SQLITE_CONSTRAINT so that SQLite picks an
** order where it is usable. A missing path is reported by xFilter (SQLite
** also asks for plans of the terms of an OR without the argument
** constraints).
*/
int ctBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *pInfo) {
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
      ctPlanTokenEncode(pStr, nArg, k, iOp, 1, noCase);
    } else {
      ctPlanTokenEncode(pStr, nArg, k, iOp, 0, noCase);
    }
  }
  assert(nArg <= CT_MAX_ARGS);
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

/* ---------------------------------------------------------------- xFilter */

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
  int k, iOp, isIn, noCase;
  if (!ctPlanTokenDecode(zTok, nTok, &k, &iOp, &isIn, &noCase))
    return SQLITE_OK;
  if (aPush[k].kind == CT_PUSH_TIME) {
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

/*
** The plan's values into the cursor (xFilter): argv[] in idxStr's order
** (see the top of this file). Sets *pzPath to the path argument's text (it
** stays as it was without one), *ppOptions to the options argument (or
** leaves it), *pNever if a constraint can match no row; adds the pushed
** constraints to pCur->filter; sets the grouped scan's key columns
** (pCur->nGroupCol: 0 if not grouped) and the fields the decoder notes.
*/
int ctPlanDecode(CtCursor *pCur, int idxNum, const char *idxStr, int argc,
                 sqlite3_value **argv, const char **pzPath,
                 sqlite3_value **ppOptions, int *pNever) {
  sqlite3_vtab *pVtab = pCur->base.pVtab;
  const char *zTok = idxStr ? idxStr : "";
  int iArg, rc;
  assert(argc <= CT_MAX_ARGS);
  for (iArg = 0; iArg < argc; iArg++) {
    const char *zEnd = strchr(zTok, ',');
    size_t nTok = zEnd ? (size_t)(zEnd - zTok) : strlen(zTok);
    sqlite3_value *v = argv[iArg];
    assert(nTok > 0); /* one token per argv[] value */
    if (nTok == 5 && memcmp(zTok, "path=", 5) == 0) {
      if (sqlite3_value_type(v) != SQLITE_TEXT) {
        ctVtabError(pVtab, "cloudtrail: the path argument must be text, not %s",
                    sqlite3_value_type(v) == SQLITE_NULL ? "NULL"
                                                         : "a number or blob");
        return SQLITE_ERROR;
      }
      *pzPath = (const char *)sqlite3_value_text(v);
      if (ctHasNul(pVtab, "path", *pzPath, v))
        return SQLITE_ERROR;
    } else if (nTok == 8 && memcmp(zTok, "options=", 8) == 0) {
      *ppOptions = v;
    } else {
      rc = ctAddConstraint(pCur, zTok, nTok, v, pNever);
      if (rc != SQLITE_OK)
        return rc;
    }
    zTok = zEnd ? zEnd + 1 : zTok + nTok;
  }
  pCur->nGroupCol = ctPlanGroupDecode(idxNum, pCur->aGroupCol);
  /* The fields the decoder notes for each event (the filter's are added):
  ** a grouped scan's keys; else all, if a column needs one (colUsed). */
  pCur->cfg.fieldMask = 0;
  if (idxNum & CT_IDX_GROUP) {
    for (iArg = 0; iArg < pCur->nGroupCol && iArg < CT_GROUP_MAXCOL; iArg++)
      pCur->cfg.fieldMask |= 1u << ctColumnField(pCur->aGroupCol[iArg]);
  } else if (idxNum & CT_IDX_FIELDS) {
    pCur->cfg.fieldMask = CT_FIELDS_ALL;
  }
  return SQLITE_OK;
}
