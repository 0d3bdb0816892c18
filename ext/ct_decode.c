/*
** ct_decode.c - see ct_decode.h.
*/
#include "ct_decode.h"

#include "ct_util.h"

#include <stdlib.h>
#include <string.h>

void ctDecodeFile(CtDecoded *p, const CtDecodeCfg *pCfg) {
  const CtFilter *f = pCfg->pFilter;
  int tests = ctFilterHasRecordTests(f);
  size_t i, nKeep = 0;
  char *zErr = 0;
  if (ctLoadFile(p->zPath, pCfg->maxFileSize, &p->data, &zErr)) {
    p->status = CT_DEC_ERROR;
    p->zErr = zErr ? zErr : ctMprintf("out of memory");
    return;
  }
  if (!ctFilterText(f, p->data.buf, p->data.len)) {
    p->status = CT_DEC_SKIPPED;
    return;
  }
  if (ctRecordsParse(p->data.buf, p->data.len, &p->recs, &zErr)) {
    if (zErr && p->data.isGzip) {
      char *z = ctMprintf("%s (offsets count in the inflated data)", zErr);
      free(zErr);
      zErr = z;
    }
    p->status = CT_DEC_ERROR;
    p->zErr = zErr ? zErr : ctMprintf("out of memory");
    return;
  }
  p->status = CT_DEC_OK;
  if (!tests && !pCfg->needFields)
    return;
  if (p->recs.nRec > 0) {
    p->aField = malloc(sizeof(CtSpan) * CT_NFIELD * p->recs.nRec);
    if (tests)
      p->aOrig = malloc(sizeof(size_t) * p->recs.nRec);
    if (p->aField == 0 || (tests && p->aOrig == 0)) {
      p->status = CT_DEC_ERROR;
      p->zErr = ctMprintf("out of memory");
      return;
    }
  }
  /* Index every event; keep (compacting in place) those the filter keeps. */
  for (i = 0; i < p->recs.nRec; i++) {
    CtSpan *a = &p->aField[nKeep * CT_NFIELD];
    ctEventIndex(p->data.buf, p->recs.aRec[i], a);
    if (tests && !ctFilterRecord(f, p->data.buf, a)) {
      p->nSkipRec++;
      continue;
    }
    if (p->aOrig)
      p->aOrig[nKeep] = i;
    p->recs.aRec[nKeep++] = p->recs.aRec[i];
  }
  p->recs.nRec = nKeep;
}

void ctDecodedFree(CtDecoded *p) {
  if (p == 0)
    return;
  free(p->zPath);
  free(p->zErr);
  free(p->aField);
  free(p->aOrig);
  ctRecordsFree(&p->recs);
  ctFileDataFree(&p->data);
  free(p);
}
