/*
** ct_records.c - see ct_records.h.
*/
#include "ct_records.h"

#include "ct_util.h"

#include <stdlib.h>
#include <string.h>

static int addRecord(CtRecords *p, size_t off, size_t len) {
  if (p->nRec == p->nAlloc) {
    size_t n = p->nAlloc ? p->nAlloc * 2 : 64;
    CtSpan *a = realloc(p->aRec, n * sizeof(CtSpan));
    if (a == 0)
      return 1;
    p->aRec = a;
    p->nAlloc = n;
  }
  p->aRec[p->nRec].off = off;
  p->aRec[p->nRec].len = len;
  p->nRec++;
  return 0;
}

static const char *const eventKeys[] = {"eventVersion", "eventTime",
                                        "eventName", "eventSource", "eventID"};

/* True if the validated object at span obj has one of the event keys. */
static int isEvent(const char *buf, CtSpan obj) {
  size_t pos = obj.off, end = obj.off + obj.len, i;
  CtSpan k, v;
  while (ctJsonObjNext(buf, end, &pos, &k, &v)) {
    for (i = 0; i < sizeof(eventKeys) / sizeof(eventKeys[0]); i++) {
      if (ctJsonKeyEq(buf, k, eventKeys[i], strlen(eventKeys[i])))
        return 1;
    }
  }
  return 0;
}

static int addObject(const char *buf, CtSpan obj, CtRecords *p, char **pzErr);

/*
** Add the elements of the validated array at span arr: each must be an
** object, and each is an event (the array says so, whatever its keys: real
** records may lack every usual field). In a top-level array (allowRecords)
** an element with "Records" is a file's wrapper, as in a slurped array of
** files ([{"Records":[...]}, ...]); its own Records are taken.
*/
static int addArray(const char *buf, CtSpan arr, CtRecords *p, char **pzErr,
                    const char *what, int allowRecords) {
  size_t end = arr.off + arr.len;
  size_t pos = ctJsonSkipWs(buf, end, arr.off + 1);
  size_t i = 0;
  while (pos < end && buf[pos] != ']') {
    size_t vEnd = ctJsonSkip(buf, end, pos);
    CtSpan el;
    el.off = pos;
    el.len = vEnd - pos;
    if (buf[pos] != '{') {
      *pzErr = ctMprintf("%s element %zu is not an object (offset %zu)", what,
                         i, pos);
      return 1;
    }
    if (allowRecords && ctJsonObjGet(buf, el, "Records", 7).len) {
      if (addObject(buf, el, p, pzErr))
        return 1;
    } else if (addRecord(p, el.off, el.len)) {
      *pzErr = ctMprintf("out of memory");
      return 1;
    }
    i++;
    pos = ctJsonSkipWs(buf, end, vEnd);
    if (pos < end && buf[pos] == ',')
      pos = ctJsonSkipWs(buf, end, pos + 1);
  }
  return 0;
}

/* Classify the validated object at span obj and add its events: a
** {"Records":[...]} wrapper or one event. */
static int addObject(const char *buf, CtSpan obj, CtRecords *p, char **pzErr) {
  CtSpan recs = ctJsonObjGet(buf, obj, "Records", 7);
  if (recs.len) {
    if (buf[recs.off] != '[') {
      *pzErr = ctMprintf("\"Records\" is not an array (offset %zu)", recs.off);
      return 1;
    }
    return addArray(buf, recs, p, pzErr, "Records", 0);
  }
  if (isEvent(buf, obj)) {
    if (addRecord(p, obj.off, obj.len)) {
      *pzErr = ctMprintf("out of memory");
      return 1;
    }
    return 0;
  }
  *pzErr = ctMprintf("not CloudTrail events: the object at offset %zu has no "
                     "\"Records\" and no event fields",
                     obj.off);
  return 1;
}

int ctRecordsParse(const char *buf, size_t len, CtRecords *p, char **pzErr) {
  size_t pos = 0;
  memset(p, 0, sizeof(*p));
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;
  for (;;) {
    CtJsonError err;
    CtSpan v;
    size_t end;
    pos = ctJsonSkipWs(buf, len, pos);
    if (pos >= len)
      break;
    if (ctJsonValidate(buf, len, pos, &end, &err)) {
      *pzErr = ctMprintf("invalid JSON at offset %zu: %s", err.offset, err.msg);
      ctRecordsFree(p);
      return 1;
    }
    v.off = pos;
    v.len = end - pos;
    if (buf[pos] == '{') {
      if (addObject(buf, v, p, pzErr)) {
        ctRecordsFree(p);
        return 1;
      }
    } else if (buf[pos] == '[') {
      if (addArray(buf, v, p, pzErr, "array", 1)) {
        ctRecordsFree(p);
        return 1;
      }
    } else {
      *pzErr = ctMprintf("not CloudTrail events: a top-level %s at offset %zu",
                         buf[pos] == '"' ? "string" : "scalar", pos);
      ctRecordsFree(p);
      return 1;
    }
    pos = end;
  }
  return 0;
}

void ctRecordsFree(CtRecords *p) {
  free(p->aRec);
  memset(p, 0, sizeof(*p));
}
