/*
** ct_decode.c - see ct_decode.h.
*/
#include "ct_decode.h"

#include "ct_util.h"

#include <stdlib.h>
#include <string.h>

/* Events are passed over by a byte search only for up to this many values
** (each is a search of the event's text; parsing it costs about eight). */
#define CT_SKIM_MAX_VALUES CT_HITS_MAX

/* The skip test of ctRecordsParseSkip: the byte search of ctFilterText,
** on one event's text (exact there as on a file's), or its answer from
** the places of the values in the whole text where that can be had. */
typedef struct SkipCtx {
  const CtFilter *f;
  CtHits *hits; /* or NULL */
} SkipCtx;

static int mayMatch(void *pArg, const char *z, size_t n) {
  SkipCtx *c = (SkipCtx *)pArg;
  return c->hits ? ctFilterHitsIn(c->hits, z, n) : ctFilterText(c->f, z, n);
}

void ctDecodeFile(CtDecoded *p, const CtDecodeCfg *pCfg) {
  const CtFilter *f = pCfg->pFilter;
  int tests = ctFilterHasRecordTests(f);
  int nValue = ctFilterTextValues(f);
  int skim = nValue > 0 && nValue <= CT_SKIM_MAX_VALUES; /* see below */
  CtRecordsSkip skip;
  SkipCtx ctx;
  size_t i, nKeep = 0;
  int rc;
  char *zErr = 0;
  if (ctLoadFile(p->zPath, pCfg->maxFileSize, &p->data, &zErr)) {
    p->status = CT_DEC_ERROR;
    p->zErr = zErr ? zErr : ctMprintf("out of memory");
    return;
  }
  /* The byte search: of the whole text first (where the places of the
  ** values are found up front, they answer for it too). */
  ctx.f = f;
  ctx.hits = 0;
  if (skim)
    ctx.hits = ctFilterHitsNew(f, p->data.buf, p->data.len);
  if (ctx.hits ? !ctFilterHitsIn(ctx.hits, p->data.buf, p->data.len)
               : !ctFilterText(f, p->data.buf, p->data.len)) {
    /* Nothing of it is needed but its sizes (for the stats). */
    ctFilterHitsFree(ctx.hits);
    ctFileDataDropText(&p->data);
    p->status = CT_DEC_SKIPPED;
    return;
  }
  /* One pass validates, splits and (if anything needs them) finds fields.
  ** Events whose own text rules them out are passed over unparsed, where
  ** that is cheaper than parsing them (a few values to search for). */
  skip.xMayMatch = mayMatch;
  skip.pArg = &ctx;
  rc = ctRecordsParseSkip(p->data.buf, p->data.len, &p->recs,
                          tests || pCfg->needFields, skim ? &skip : 0, &zErr);
  ctFilterHitsFree(ctx.hits);
  if (rc) {
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
  p->nSkipRec = p->recs.nSkipped;
  if (!tests || p->recs.nRec == 0)
    return;
  p->aOrig = malloc(sizeof(size_t) * p->recs.nRec);
  if (p->aOrig == 0) {
    p->status = CT_DEC_ERROR;
    p->zErr = ctMprintf("out of memory");
    return;
  }
  /* Keep (compacting in place) the events the filter keeps. */
  for (i = 0; i < p->recs.nRec; i++) {
    CtSpan *a = &p->recs.aField[i * CT_NFIELD];
    if (!ctFilterRecord(f, p->data.buf, a)) {
      p->nSkipRec++;
      continue;
    }
    if (nKeep != i) {
      memcpy(&p->recs.aField[nKeep * CT_NFIELD], a, sizeof(CtSpan) * CT_NFIELD);
      p->recs.aRec[nKeep] = p->recs.aRec[i];
    }
    p->aOrig[nKeep++] = p->recs.aIdx ? p->recs.aIdx[i] : i;
  }
  p->recs.nRec = nKeep;
}

size_t ctDecodedBytes(const CtDecoded *p) {
  size_t nSpan = p->recs.aField ? CT_NFIELD + 1 : 1;
  if (p->recs.aIdx)
    nSpan++; /* a size_t is no larger than a CtSpan */
  if (p->aOrig)
    nSpan++; /* at most one per slot */
  /* A ct_buf buffer may be larger than its text (reused, or rounded up). */
  return (p->data.buf ? (p->data.bufCap ? p->data.bufCap : p->data.len) : 0) +
         p->recs.nAlloc * nSpan * sizeof(CtSpan);
}

void ctDecodedFree(CtDecoded *p) {
  if (p == 0)
    return;
  free(p->zPath);
  free(p->zErr);
  free(p->aOrig);
  ctRecordsFree(&p->recs);
  ctFileDataFree(&p->data);
  free(p);
}

int ctRowidMake(int slot, long long iFile, uint64_t idx, int64_t *pRowid) {
  uint64_t u;
  if (slot < 0 || slot >= CT_ROWID_SLOTS)
    return CT_ROWID_SLOT;
  if (idx >> 32)
    return CT_ROWID_INDEX;
  if (iFile < 0 || iFile >= (slot == 0 ? 1LL << 31 : 1LL << 24))
    return CT_ROWID_FILE;
  u = (uint64_t)iFile << 32 | idx;
  if (slot == 0) {
    *pRowid = (int64_t)u;
  } else {
    u |= (uint64_t)slot << 56; /* < 2^63 */
    *pRowid = -1 - (int64_t)u;
  }
  return CT_ROWID_OK;
}

int ctDecodedRowid(const CtDecoded *p, size_t iRec, int slot, int64_t *pRowid) {
  size_t idx = p->aOrig ? p->aOrig[iRec] : iRec;
  return ctRowidMake(slot, p->iFile, (uint64_t)idx, pRowid);
}
