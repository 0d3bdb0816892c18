/*
** ct_groupscan.c - the grouped scan's driver: for
**
**   SELECT eventName, count(*) FROM cloudtrail('/logs') GROUP BY eventName;
**
** (or ORDER BY eventName) where the query uses no other column, the planner
** (ct_plan.c, ctPlanGroup) asks for a grouped scan: xFilter reads every
** event at once, counting each key (the values of up to CT_GROUP_MAXCOL
** columns, as ctTextValue shows them) in a CtGroup (ct_group.h), sorts the
** keys, and then hands out each key once per event that had it, sorted,
** so SQLite neither sorts nor builds a row per event. Each row keeps its
** event's rowid (ctRowid), or why it has none (pCur->zNoRowid), since SQLite
** may ask for it (a RIGHT JOIN marks the rows it matched by rowid).
*/
#include "ct_vtab.h"
SQLITE_EXTENSION_INIT3

#include "ct_records.h"
#include "ct_util.h"

/* The next row of a grouped scan: the same key again, or the next key. */
void ctGroupStep(CtCursor *pCur, int first) {
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

/* Events ahead whose key bytes a grouped scan prefetches. */
#define CT_GROUP_PREFETCH 8

/* A grouped scan: read every event now, counting the key of each, then
** stand on the first row of the first key. */
int ctGroupScan(CtCursor *pCur) {
  int rc;
  pCur->pGroup = ctGroupNew(pCur->nGroupCol);
  if (pCur->pGroup == 0)
    return SQLITE_NOMEM;
  for (rc = ctScanToEvent(pCur); rc == SQLITE_OK && !pCur->eof;
       pCur->iRec++, rc = ctScanToEvent(pCur)) {
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
      ctFree(azFree[k]);
    if (rc != SQLITE_OK)
      return rc;
  }
  if (rc != SQLITE_OK)
    return rc;
  ctScanCloseFile(pCur);
  ctGroupSort(pCur->pGroup);
  ctGroupStep(pCur, 1);
  return SQLITE_OK;
}
