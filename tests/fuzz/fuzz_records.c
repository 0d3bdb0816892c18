/*
** fuzz_records.c - libFuzzer target for the record reader (ct_records over
** ct_json).
**
** The input is a file's (inflated) text. Checked on every input:
**   - with and without field spans the parse gives the same answer;
**   - indexed a part at a time (ctRecordsNext), the same events, fields
**     and event numbers as in one pass;
**   - on success every event span lies in the buffer, is an object, and
**     validates again on its own to exactly its end;
**   - every field span is the first member of that name (ctJsonUnsafeObjGet);
**   - cJSON, the independent reference, parses each event too (where its
**     own limits allow: nesting under 1000, no lone surrogate escapes), and
**     for a text that is one wrapper or array, counts as many events;
**   - on failure there is a message;
**   - with a skip test (an event of a "Records" array is kept only if its
**     text holds the byte that ends the input), a text that parses in full
**     parses with it too, to a subset of its events that has every event
**     holding the byte, each with its fields and its number among all; a
**     text that does not may parse or fail, but never crashes.
*/
#include "ct_event.h"
#include "ct_json.h"
#include "ct_records.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True if cJSON can be asked about text[0..n): it caps nesting at 1000 and
** rejects lone surrogate escapes, which strict JSON (and SQLite) allow. */
static int cjsonCanJudge(const char *z, size_t n) {
  size_t i, open = 0;
  for (i = 0; i < n; i++) {
    if (z[i] == '[' || z[i] == '{')
      open++;
    if (z[i] == '\\' && i + 3 < n && z[i + 1] == 'u' &&
        (z[i + 2] == 'd' || z[i + 2] == 'D'))
      return 0;
  }
  return open < 900;
}

static void checkEvents(const char *buf, size_t len, const CtRecords *r) {
  size_t i;
  int f;
  for (i = 0; i < r->nRec; i++) {
    CtSpan s = r->aRec[i];
    size_t end = 0;
    CtJsonError e;
    if (s.len < 2 || s.off + s.len > len)
      abort();
    if (buf[s.off] != '{' || buf[s.off + s.len - 1] != '}')
      abort();
    if (ctJsonValidate(buf, s.off + s.len, s.off, &end, &e) != 0 ||
        end != s.off + s.len)
      abort();
    for (f = 0; f < CT_NFIELD; f++) {
      const char *zKey = ctFieldKey(f);
      CtSpan v = ctJsonUnsafeObjGet(buf, s, zKey, strlen(zKey));
      CtSpan got = r->aField[i * CT_NFIELD + f];
      if (v.len != got.len || (v.len && v.off != got.off))
        abort();
    }
    if (cjsonCanJudge(buf + s.off, s.len)) {
      cJSON *j = cJSON_ParseWithLength(buf + s.off, s.len);
      if (j == 0 || !cJSON_IsObject(j))
        abort();
      cJSON_Delete(j);
    }
  }
}

/* Completeness: when the whole text is one {"Records":[...]} or one array
** of objects that cJSON can judge, every element is an event. */
static void checkCount(const char *buf, size_t size, const CtRecords *r) {
  const char *end = 0;
  cJSON *j, *a;
  size_t i, n;
  i = 0;
  while (i < size &&
         (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t'))
    i++;
  /* (Empty texts and a byte order mark, which we allow, cJSON does not.) */
  if (i == size || (buf[i] != '{' && buf[i] != '[') ||
      !cjsonCanJudge(buf, size))
    return;
  j = cJSON_ParseWithLengthOpts(buf, size, &end, 0);
  if (j == 0)
    abort(); /* we accepted it: cJSON, more lenient, must too */
  for (i = (size_t)(end - buf); i < size; i++) {
    if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t') {
      cJSON_Delete(j); /* more than one value (NDJSON): not judged here */
      return;
    }
  }
  a = cJSON_IsObject(j) ? cJSON_GetObjectItemCaseSensitive(j, "Records") : j;
  if (cJSON_IsArray(a)) {
    int all = 1;
    n = (size_t)cJSON_GetArraySize(a);
    for (i = 0; i < n; i++) {
      cJSON *e = cJSON_GetArrayItem(a, (int)i);
      /* (an array of wrappers is counted by its wrappers' Records) */
      if (!cJSON_IsObject(e) ||
          (a == j && cJSON_GetObjectItemCaseSensitive(e, "Records")))
        all = 0;
    }
    if (all && r->nRec != n)
      abort();
  }
  cJSON_Delete(j);
}

/* The skip test: the event's text holds the byte *pArg. */
static int holdsByte(void *pArg, const char *z, size_t n) {
  return memchr(z, *(const char *)pArg, n) != 0;
}

/* ctRecordsParseRuleOut against the full parse a (rcA its result). */
static void checkSkip(const char *buf, size_t len, int rcA,
                      const CtRecords *a) {
  char want = len ? buf[len - 1] : '{';
  CtRecordsRuleOut skip;
  CtRecords c;
  char *zErr = 0;
  size_t i, k = 0;
  int rc;
  skip.xMayMatch = holdsByte;
  skip.pArg = &want;
  memset(&c, 0, sizeof(c));
  rc = ctRecordsParseRuleOut(buf, len, &c, 1, &skip, &zErr);
  if (rc != 0 && zErr == 0)
    abort();
  if (rcA == 0) {
    if (rc != 0)
      abort();
    /* Kept: every event that holds the byte, and some that do not (those
    ** outside "Records" arrays, which are never passed over). */
    for (i = 0; i < a->nRec; i++) {
      CtSpan s = a->aRec[i];
      int kept = k < c.nRec && c.aIdx != 0 && c.aIdx[k] == i;
      if (!kept && holdsByte(&want, buf + s.off, s.len))
        abort();
      if (!kept)
        continue;
      if (c.aRec[k].off != s.off || c.aRec[k].len != s.len ||
          memcmp(&c.aField[k * CT_NFIELD], &a->aField[i * CT_NFIELD],
                 sizeof(CtSpan) * CT_NFIELD) != 0)
        abort();
      k++;
    }
    if (k != c.nRec || c.nRec + c.nRuledOut != a->nRec)
      abort();
  }
  ctRecordsFree(&c);
  free(zErr);
}

/* The text a part at a time (1 to 3 events, the fields of a mask) against
** the full parse a: the same result, events, fields and event numbers. */
static void checkParts(const char *buf, size_t len, int rcA,
                       const CtRecords *a) {
  CtRecordsOpt o;
  CtRecords c;
  char *zErr = 0;
  size_t i, k = 0;
  int rc, f;
  o.fieldMask = len ? (unsigned)(unsigned char)buf[0] * 0x01010101u : 0;
  o.fieldMask &= CT_FIELDS_ALL;
  o.maxRec = 1 + len % 3;
  o.pRuleOut = 0;
  memset(&c, 0, sizeof(c));
  rc = ctRecordsParseOpt(buf, len, &c, &o, &zErr);
  if ((rc == 0) != (rcA == 0) || (rc != 0 && zErr == 0))
    abort();
  while (rc == 0) {
    for (i = 0; i < c.nRec; i++, k++) {
      if (k >= a->nRec || c.aRec[i].off != a->aRec[k].off ||
          c.aRec[i].len != a->aRec[k].len || c.iBase + i != k)
        abort();
      for (f = 0; f < CT_NFIELD; f++) {
        if (c.aSlot[f] >= 0 &&
            memcmp(&ctRecordsField(&c, i, f), &a->aField[k * CT_NFIELD + f],
                   sizeof(CtSpan)) != 0)
          abort();
      }
    }
    if (!ctRecordsHasMore(&c))
      break;
    if (ctRecordsNext(buf, len, &c, &o, &zErr))
      abort(); /* (out of memory only) */
  }
  if (rc == 0 && k != a->nRec)
    abort();
  if (rc == 0)
    ctRecordsFree(&c);
  free(zErr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* The reader expects a NUL-terminated buffer, as ctLoadFile gives. */
  char *buf = malloc(size + 1);
  CtRecords a, b;
  char *errA = 0, *errB = 0;
  int rcA, rcB;
  size_t i;
  if (buf == 0)
    return 0;
  memcpy(buf, data, size);
  buf[size] = 0;
  memset(&a, 0, sizeof(a));
  memset(&b, 0, sizeof(b));
  rcA = ctRecordsParse(buf, size, &a, 1, &errA);
  rcB = ctRecordsParse(buf, size, &b, 0, &errB);
  if ((rcA == 0) != (rcB == 0))
    abort();
  if (rcA == 0) {
    if (a.nRec != b.nRec)
      abort();
    for (i = 0; i < a.nRec; i++)
      if (a.aRec[i].off != b.aRec[i].off || a.aRec[i].len != b.aRec[i].len)
        abort();
    checkEvents(buf, size, &a);
    checkCount(buf, size, &a);
  } else {
    if (errA == 0 || errB == 0 || strcmp(errA, errB) != 0)
      abort();
  }
  checkSkip(buf, size, rcA, &a);
  checkParts(buf, size, rcA, &a);
  ctRecordsFree(&a);
  ctRecordsFree(&b);
  free(errA);
  free(errB);
  free(buf);
  return 0;
}
