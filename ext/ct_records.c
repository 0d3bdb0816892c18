/*
** ct_records.c - see ct_records.h.
**
** One pass over the text: the shape (wrapper, array, lines, single event)
** is parsed here, every nested value is validated by ctJsonValidate, and
** while an event's members go by their spans are noted against the known
** fields (ct_event.h), so no event is scanned a second time to find them.
*/
#include "ct_records.h"

#include "ct_util.h"

#include <stdlib.h>
#include <string.h>

typedef struct Parser {
  const char *buf;            /* The text */
  size_t len;                 /* Its length */
  CtRecords *p;               /* Output */
  int wantFields;             /* Fill p->aField */
  const CtRecordsSkip *pSkip; /* Events to pass over, or NULL */
  char *zErr;                 /* Error (malloc'd) */
} Parser;

static int oom(Parser *x) {
  free(x->zErr);
  x->zErr = ctMprintf("out of memory");
  return 1;
}

static int syntax(Parser *x, const CtJsonError *e) {
  x->zErr = ctMprintf("invalid JSON at offset %zu: %s", e->offset, e->msg);
  return 1;
}

static int expected(Parser *x, size_t pos, const char *msg) {
  CtJsonError e;
  e.offset = pos;
  e.msg = pos >= x->len ? "unexpected end of input" : msg;
  if (pos >= x->len)
    e.offset = x->len;
  else if (x->buf[pos] == 0)
    e.msg = "NUL byte";
  return syntax(x, &e);
}

/* Room for one more event; its field slots cleared. */
static int grow(Parser *x) {
  CtRecords *p = x->p;
  if (p->nRec == p->nAlloc) {
    size_t n = p->nAlloc ? p->nAlloc * 2 : 64;
    CtSpan *a = realloc(p->aRec, n * sizeof(CtSpan));
    if (a == 0)
      return oom(x);
    p->aRec = a;
    if (x->wantFields) {
      a = realloc(p->aField, n * CT_NFIELD * sizeof(CtSpan));
      if (a == 0)
        return oom(x);
      p->aField = a;
    }
    if (x->pSkip) {
      size_t *ai = realloc(p->aIdx, n * sizeof(size_t));
      if (ai == 0)
        return oom(x);
      p->aIdx = ai;
    }
    p->nAlloc = n;
  }
  return 0;
}

/* Add the event at [pos, end) with its fields aTmp (if wantFields). */
static int appendEvent(Parser *x, size_t pos, size_t end, const CtSpan *aTmp) {
  CtRecords *p = x->p;
  if (grow(x))
    return 1;
  p->aRec[p->nRec].off = pos;
  p->aRec[p->nRec].len = end - pos;
  if (x->wantFields)
    memcpy(&p->aField[p->nRec * CT_NFIELD], aTmp, sizeof(CtSpan) * CT_NFIELD);
  if (p->aIdx)
    p->aIdx[p->nRec] = p->nRec + p->nSkipped;
  p->nRec++;
  return 0;
}

/* After a member or element ending at end: 1 if a ',' follows (*pPos at
** the next one), 0 if the closing byte does (*pEnd past it), -1 on an
** error. */
static int nextItem(Parser *x, size_t end, char close, size_t *pPos,
                    size_t *pEnd) {
  size_t pos = ctJsonSkipWs(x->buf, x->len, end);
  if (pos < x->len && x->buf[pos] == ',') {
    *pPos = ctJsonSkipWs(x->buf, x->len, pos + 1);
    return 1;
  }
  if (pos < x->len && x->buf[pos] == close) {
    *pEnd = pos + 1;
    return 0;
  }
  expected(x, pos,
           close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
  return -1;
}

static int isEventKey(int f) {
  return f == CT_F_EVENT_VERSION || f == CT_F_EVENT_TIME ||
         f == CT_F_EVENT_NAME || f == CT_F_EVENT_SOURCE || f == CT_F_EVENT_ID;
}

static int parseArray(Parser *x, size_t pos, size_t *pEnd, int isRecords);

/*
** Parse the object at pos. Member spans of known fields go to aField (may
** be NULL). If allowRecords and a "Records" member holds an array, its
** elements are parsed as events (added to the output) and *pWrapper is set.
** *pEvent is set if a member is one of the five event keys.
*/
static int parseObject(Parser *x, size_t pos, size_t *pEnd, CtSpan *aField,
                       int allowRecords, int *pWrapper, int *pEvent) {
  const char *buf = x->buf;
  size_t len = x->len;
  CtJsonError e;
  int seenRecords = 0;
  if (aField)
    memset(aField, 0, sizeof(CtSpan) * CT_NFIELD);
  pos = ctJsonSkipWs(buf, len, pos + 1);
  if (pos < len && buf[pos] == '}') {
    *pEnd = pos + 1;
    return 0;
  }
  for (;;) {
    CtSpan k;
    int f = -1;
    size_t end;
    if (pos >= len || buf[pos] != '"')
      return expected(x, pos, "expected a string key");
    if (ctJsonString(buf, len, pos, &end, &e))
      return syntax(x, &e);
    k.off = pos;
    k.len = end - pos;
    pos = ctJsonSkipWs(buf, len, end);
    if (pos >= len || buf[pos] != ':')
      return expected(x, pos, "expected ':'");
    pos = ctJsonSkipWs(buf, len, pos + 1);
    if (allowRecords && !seenRecords && ctJsonKeyEq(buf, k, "Records", 7)) {
      seenRecords = 1;
      if (pos < len && buf[pos] == '[') {
        if (parseArray(x, pos, &end, 1))
          return 1;
        *pWrapper = 1;
      } else {
        if (ctJsonValidate(buf, len, pos, &end, &e))
          return syntax(x, &e);
        x->zErr = ctMprintf("\"Records\" is not an array (offset %zu)", pos);
        return 1;
      }
    } else {
      if (ctJsonValidate(buf, len, pos, &end, &e))
        return syntax(x, &e);
      if (aField || pEvent) {
        f = ctFieldLookup(buf, k);
        if (f >= 0 && pEvent && isEventKey(f))
          *pEvent = 1;
        if (f >= 0 && aField && aField[f].len == 0) {
          aField[f].off = pos;
          aField[f].len = end - pos;
        }
      }
    }
    switch (nextItem(x, end, '}', &pos, pEnd)) {
    case 1:
      continue;
    case 0:
      return 0;
    default:
      return 1;
    }
  }
}

/* Add the object at pos as an event (any object: the array says so). */
static int addEventAt(Parser *x, size_t pos, size_t *pEnd) {
  CtRecords *p = x->p;
  int wrapper = 0;
  if (grow(x))
    return 1;
  if (parseObject(x, pos, pEnd,
                  x->wantFields ? &p->aField[p->nRec * CT_NFIELD] : 0, 0,
                  &wrapper, 0)) {
    return 1;
  }
  p->aRec[p->nRec].off = pos;
  p->aRec[p->nRec].len = *pEnd - pos;
  if (p->aIdx)
    p->aIdx[p->nRec] = p->nRec + p->nSkipped;
  p->nRec++;
  return 0;
}

/* With a skip test, pass over the event at pos if its text rules it out:
** 1 if passed over (*pEnd past it), 0 if it must be parsed, -1 on an
** error (the text ended inside it). */
static int skipEventAt(Parser *x, size_t pos, size_t *pEnd) {
  CtJsonError e;
  size_t end;
  if (ctJsonSkim(x->buf, x->len, pos, &end, &e)) {
    syntax(x, &e);
    return -1;
  }
  if (x->pSkip->xMayMatch(x->pSkip->pArg, x->buf + pos, end - pos))
    return 0;
  x->p->nSkipped++;
  *pEnd = end;
  return 1;
}

/*
** The array at pos. In "Records" (isRecords) each element is an event. In a
** top-level array, an element with "Records" is a file's wrapper, as in a
** slurped array of files ([{"Records":[...]}, ...]), and gives its Records.
*/
static int parseArray(Parser *x, size_t pos, size_t *pEnd, int isRecords) {
  const char *buf = x->buf;
  size_t len = x->len, i = 0;
  pos = ctJsonSkipWs(buf, len, pos + 1);
  if (pos < len && buf[pos] == ']') {
    *pEnd = pos + 1;
    return 0;
  }
  for (;;) {
    size_t end;
    if (pos < len && buf[pos] == '{') {
      if (isRecords) {
        int skipped = x->pSkip ? skipEventAt(x, pos, &end) : 0;
        if (skipped < 0)
          return 1;
        if (!skipped && addEventAt(x, pos, &end))
          return 1;
      } else {
        /* A wrapper or an event: parse it aside, then decide. */
        CtSpan aTmp[CT_NFIELD];
        int wrapper = 0, event = 0;
        if (parseObject(x, pos, &end, x->wantFields ? aTmp : 0, 1, &wrapper,
                        &event)) {
          return 1;
        }
        if (!wrapper && appendEvent(x, pos, end, aTmp))
          return 1;
      }
    } else {
      CtJsonError e;
      if (ctJsonValidate(buf, len, pos, &end, &e))
        return syntax(x, &e);
      x->zErr = ctMprintf("%s element %zu is not an object (offset %zu)",
                          isRecords ? "Records" : "array", i, pos);
      return 1;
    }
    i++;
    switch (nextItem(x, end, ']', &pos, pEnd)) {
    case 1:
      continue;
    case 0:
      return 0;
    default:
      return 1;
    }
  }
}

/* A top-level object: a {"Records":[...]} wrapper, or one event. */
static int parseTopObject(Parser *x, size_t pos, size_t *pEnd) {
  CtSpan aTmp[CT_NFIELD];
  int wrapper = 0, event = 0;
  if (parseObject(x, pos, pEnd, x->wantFields ? aTmp : 0, 1, &wrapper, &event))
    return 1;
  if (wrapper)
    return 0;
  if (!event) {
    x->zErr = ctMprintf("not CloudTrail events: the object at offset %zu has "
                        "no \"Records\" and no event fields",
                        pos);
    return 1;
  }
  return appendEvent(x, pos, *pEnd, aTmp);
}

int ctRecordsParse(const char *buf, size_t len, CtRecords *p, int wantFields,
                   char **pzErr) {
  return ctRecordsParseSkip(buf, len, p, wantFields, 0, pzErr);
}

int ctRecordsParseSkip(const char *buf, size_t len, CtRecords *p,
                       int wantFields, const CtRecordsSkip *pSkip,
                       char **pzErr) {
  Parser x;
  size_t pos = 0;
  memset(p, 0, sizeof(*p));
  memset(&x, 0, sizeof(x));
  x.buf = buf;
  x.len = len;
  x.p = p;
  x.wantFields = wantFields;
  x.pSkip = pSkip;
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;
  for (;;) {
    size_t end = 0;
    int rc;
    pos = ctJsonSkipWs(buf, len, pos);
    if (pos >= len)
      break;
    if (buf[pos] == '{') {
      rc = parseTopObject(&x, pos, &end);
    } else if (buf[pos] == '[') {
      rc = parseArray(&x, pos, &end, 0);
    } else {
      CtJsonError e;
      rc = ctJsonValidate(buf, len, pos, &end, &e) ? syntax(&x, &e) : 0;
      if (rc == 0) {
        x.zErr = ctMprintf("not CloudTrail events: a top-level %s at offset "
                           "%zu",
                           buf[pos] == '"' ? "string" : "scalar", pos);
        rc = 1;
      }
    }
    if (rc) {
      *pzErr = x.zErr ? x.zErr : ctMprintf("out of memory");
      ctRecordsFree(p);
      return 1;
    }
    pos = end;
  }
  if (!wantFields) {
    free(p->aField);
    p->aField = 0;
  }
  return 0;
}

void ctRecordsFree(CtRecords *p) {
  free(p->aRec);
  free(p->aField);
  free(p->aIdx);
  memset(p, 0, sizeof(*p));
}
