/*
** ct_decode.c - see ct_decode.h.
*/
#include "ct_decode.h"

#include "ct_util.h"

#include <stdlib.h>
#include <string.h>

/* Events are passed over by a byte search only for up to this many values
** (each is a search of the event's text; parsing it costs about eight). */
#define CT_PASS_OVER_MAX_VALUES CT_PLACES_MAX_VALUES

/* The rule-out test of ctRecordsParseRuleOut: the byte search of
** ctFilterTextMayMatch, on one event's text (exact there as on a file's),
** or its answer from the places of the values in the whole text where
** that can be had. */
typedef struct RuleOutCtx {
  const CtFilter *f;
  CtPlaces *places; /* or NULL */
} RuleOutCtx;

static int mayMatch(void *pArg, const char *z, size_t n) {
  RuleOutCtx *c = (RuleOutCtx *)pArg;
  return c->places ? ctFilterPlacesMayMatch(c->places, z, n)
                   : ctFilterTextMayMatch(c->f, z, n);
}

/* How the events of p are indexed: fields, part size, rule-out test. */
static void indexOpt(const CtDecoded *p, const CtDecodeCfg *pCfg, int passOver,
                     CtRecordsOpt *o) {
  const CtFilter *f = pCfg->pFilter;
  size_t per, budget;
  int k, nField = 0;
  o->fieldMask = pCfg->fieldMask;
  if (ctFilterHasRecordTests(f))
    o->fieldMask |= ctFilterFieldMask(f);
  for (k = 0; k < CT_NFIELD; k++)
    nField += (o->fieldMask >> k) & 1;
  /* Bytes an event costs: aRec, aField, and aIdx (passOver) and aOrig (a
  ** filter). */
  per = sizeof(CtSpan) * (1 + (size_t)nField) +
        (passOver || ctFilterHasRecordTests(f) ? 2 * sizeof(size_t) : 0);
  budget = (passOver ? p->data.len / 4 : p->data.len / 2) + CT_INDEX_MIN_BYTES;
  o->maxRec = budget / per;
  o->pRuleOut = 0;
}

/* Drop (compacting in place) the events of the current part that the
** filter rules out, and note each kept event's number in aOrig. Returns
** nonzero on out of memory (p->zErr set). */
static int keepEvents(CtDecoded *p, const CtDecodeCfg *pCfg) {
  const CtFilter *f = pCfg->pFilter;
  CtRecords *r = &p->recs;
  int tests = ctFilterHasRecordTests(f);
  size_t i, nKeep = 0, nf = (size_t)r->nField;
  ctFree(p->aOrig);
  p->aOrig = 0;
  if (r->nRec == 0 || (!tests && !r->aIdx))
    return 0;
  p->aOrig = ctMalloc(sizeof(size_t) * r->nRec);
  if (p->aOrig == 0) {
    p->status = CT_DEC_ERROR;
    p->zErr = ctMprintf("out of memory");
    return 1;
  }
  for (i = 0; i < r->nRec; i++) {
    CtSpan *a = r->aField ? &r->aField[i * nf] : 0;
    if (tests && !ctFilterRecord(f, p->data.buf, a, r->aSlot)) {
      p->nSkipRec++;
      continue;
    }
    if (nKeep != i) {
      if (a)
        memcpy(&r->aField[nKeep * nf], a, sizeof(CtSpan) * nf);
      r->aRec[nKeep] = r->aRec[i];
    }
    p->aOrig[nKeep++] = r->aIdx ? r->aIdx[i] : r->iBase + i;
  }
  r->nRec = nKeep;
  return 0;
}

void ctDecodeFile(CtDecoded *p, const CtDecodeCfg *pCfg) {
  const CtFilter *f = pCfg->pFilter;
  int nValue = ctFilterTextValues(f);
  int passOver =
      nValue > 0 && nValue <= CT_PASS_OVER_MAX_VALUES; /* see below */
  CtRecordsRuleOut ruleOut;
  CtRecordsOpt o;
  RuleOutCtx ctx;
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
  ctx.places = 0;
  if (passOver)
    ctx.places = ctFilterPlacesNew(f, p->data.buf, p->data.len);
  if (ctx.places ? !ctFilterPlacesMayMatch(ctx.places, p->data.buf, p->data.len)
                 : !ctFilterTextMayMatch(f, p->data.buf, p->data.len)) {
    /* Nothing of it is needed but its sizes (for the stats). */
    ctFilterPlacesFree(ctx.places);
    ctFileDataDropText(&p->data);
    p->status = CT_DEC_RULED_OUT;
    return;
  }
  /* One pass validates, splits and (if anything needs them) finds fields.
  ** Events whose own text rules them out are passed over unparsed, where
  ** that is cheaper than parsing them (a few values to search for). */
  ruleOut.xMayMatch = mayMatch;
  ruleOut.pArg = &ctx;
  indexOpt(p, pCfg, passOver, &o);
  o.pRuleOut = passOver ? &ruleOut : 0;
  rc = ctRecordsParseOpt(p->data.buf, p->data.len, &p->recs, &o, &zErr);
  ctFilterPlacesFree(ctx.places);
  if (rc) {
    if (zErr && p->data.isGzip) {
      char *z = ctMprintf("%s (offsets count in the inflated data)", zErr);
      ctFree(zErr);
      zErr = z;
    }
    p->status = CT_DEC_ERROR;
    p->zErr = zErr ? zErr : ctMprintf("out of memory");
    return;
  }
  p->status = CT_DEC_OK;
  p->nSkipRec = p->recs.nRuledOut;
  keepEvents(p, pCfg);
}

int ctDecodeNext(CtDecoded *p, const CtDecodeCfg *pCfg, size_t *pnSkip) {
  const CtFilter *f = pCfg->pFilter;
  int nValue = ctFilterTextValues(f);
  int passOver = nValue > 0 && nValue <= CT_PASS_OVER_MAX_VALUES;
  size_t nBefore = p->nSkipRec;
  CtRecordsRuleOut ruleOut;
  CtRecordsOpt o;
  RuleOutCtx ctx;
  char *zErr = 0;
  /* The same test, on each event's text alone (no places of values). */
  ctx.f = f;
  ctx.places = 0;
  ruleOut.xMayMatch = mayMatch;
  ruleOut.pArg = &ctx;
  indexOpt(p, pCfg, passOver, &o);
  o.pRuleOut = passOver ? &ruleOut : 0;
  if (ctRecordsNext(p->data.buf, p->data.len, &p->recs, &o, &zErr)) {
    p->status = CT_DEC_ERROR;
    p->zErr = zErr ? zErr : ctMprintf("out of memory");
    return 1;
  }
  p->nSkipRec += p->recs.nRuledOut;
  if (keepEvents(p, pCfg))
    return 1;
  *pnSkip += p->nSkipRec - nBefore;
  return 0;
}

size_t ctDecodedBytes(const CtDecoded *p) {
  size_t nSpan = p->recs.aField ? (size_t)p->recs.nField + 1 : 1;
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
  ctFree(p->zPath);
  ctFree(p->zErr);
  ctFree(p->aOrig);
  ctRecordsFree(&p->recs);
  ctFileDataFree(&p->data);
  ctFree(p);
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
  size_t idx = p->aOrig ? p->aOrig[iRec] : p->recs.iBase + iRec;
  return ctRowidMake(slot, p->iFile, (uint64_t)idx, pRowid);
}
