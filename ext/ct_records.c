/*
** ct_records.c - see ct_records.h.
**
** One pass over the text: the shape (wrapper, array, lines, single event)
** is parsed here, every nested value is validated by ctJsonValidate, and
** while an event's members go by their spans are noted against the known
** fields (ct_event.h), so no event is scanned a second time to find them.
**
** Parts: with a limit on the events of a part, the first pass goes on to
** the end of the text once the part is full (validating, counting events)
** and keeps where the next part starts: the positions of the containers
** open there (the top-level value, an array's element, a wrapper's
** "Records" array; see CtRecordsResume). ctRecordsNext() goes straight
** back there through the same functions (each takes the next saved
** position instead of its first element) and stops when the part is full.
*/
#include "ct_records.h"

#include "ct_util.h"

#include <stdlib.h>
#include <string.h>

typedef struct Parser {
  const char *buf;                  /* The text */
  size_t len;                       /* Its length */
  CtRecords *p;                     /* Output */
  int wantFields;                   /* Fill p->aField (p->nField > 0) */
  const CtRecordsRuleOut *pRuleOut; /* Events to pass over, or NULL */
  char *zErr;                       /* Error (malloc'd) */
  size_t maxRec;                    /* Events a part holds at most (0: all) */
  int counting;                     /* Part full: validate, count, keep none */
  int stopAtFull;                   /* Part full: stop (the text is valid) */
  int stopped;                      /* Stopped there (not an error) */
  size_t iEvent;                    /* Number of the next event in the file */
  size_t aStack[CT_RECORDS_DEPTH];  /* Positions in the open containers */
  int nStack;                       /* ... how many */
  const CtRecordsResume *pResume;   /* Where to go back to, or NULL */
  int iResume;                      /* Positions of it taken so far */
} Parser;

/* Push a position of the container being entered (see CtRecordsResume). */
static void push(Parser *x, size_t pos) {
  if (x->nStack < CT_RECORDS_DEPTH)
    x->aStack[x->nStack] = pos;
  x->nStack++;
}

/* While going back to a saved place: the position at the next depth. */
static int resumeAt(Parser *x, size_t *pPos) {
  if (x->pResume == 0 || x->iResume >= x->pResume->nPos)
    return 0;
  *pPos = x->pResume->aPos[x->iResume++];
  return 1;
}

/* Before an event is kept: if the part is full, note where the next part
** starts (this event) and count on (first pass) or stop (later parts).
** Returns 1 if the event is not to be kept; with x->stopped, the caller
** returns 1 up to ctRecordsParseOpt, which is no error then. */
static int partFull(Parser *x) {
  CtRecords *p = x->p;
  int i;
  if (x->counting)
    return 1;
  if (x->maxRec == 0 || p->nRec < x->maxRec)
    return 0;
  for (i = 0; i < x->nStack && i < CT_RECORDS_DEPTH; i++)
    p->next.aPos[i] = x->aStack[i];
  p->next.nPos = i;
  p->next.iEvent = x->iEvent;
  if (x->stopAtFull)
    x->stopped = 1;
  else
    x->counting = 1;
  return 1;
}

static int oom(Parser *x) {
  ctFree(x->zErr);
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
    if (x->maxRec && n > x->maxRec)
      n = x->maxRec > p->nAlloc ? x->maxRec : p->nAlloc + 1;
    if (ctResize(&p->aRec, n, sizeof(CtSpan)) ||
        (x->wantFields &&
         ctResize(&p->aField, n, (size_t)p->nField * sizeof(CtSpan))) ||
        (x->pRuleOut && ctResize(&p->aIdx, n, sizeof(size_t))))
      return oom(x);
    p->nAlloc = n;
  }
  return 0;
}

/* Add the event at [pos, end) with its fields aTmp (if wantFields). */
static int appendEvent(Parser *x, size_t pos, size_t end, const CtSpan *aTmp) {
  CtRecords *p = x->p;
  if (partFull(x)) {
    x->iEvent++;
    return x->stopped;
  }
  if (grow(x))
    return 1;
  p->aRec[p->nRec].off = pos;
  p->aRec[p->nRec].len = end - pos;
  if (x->wantFields) {
    memcpy(&p->aField[p->nRec * (size_t)p->nField], aTmp,
           sizeof(CtSpan) * (size_t)p->nField);
  }
  if (p->aIdx)
    p->aIdx[p->nRec] = x->iEvent;
  p->nRec++;
  x->iEvent++;
  return 0;
}

/* After a member or element ending at end: 1 if a ',' follows (*pPos at
** the next one), 0 if the closing byte does (*pEnd past it), -1 on an
** error. */
static int nextItem(Parser *x, size_t end, char close, size_t *pPos,
                    size_t *pEnd) {
  size_t pos = ctJsonSpaceEnd(x->buf, x->len, end);
  if (pos < x->len && x->buf[pos] == ',') {
    *pPos = ctJsonSpaceEnd(x->buf, x->len, pos + 1);
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
** Parse the object at pos. Member spans of the noted fields go to aField
** (p->nField slots, see CtRecords; may be NULL). If allowRecords and a
** "Records" member holds an array, its elements are parsed as events (added
** to the output) and *pWrapper is set. *pEvent is set if a member is one of
** the five event keys. Going back to a saved place inside its "Records",
** it starts there.
*/
static int parseObject(Parser *x, size_t pos, size_t *pEnd, CtSpan *aField,
                       int allowRecords, int *pWrapper, int *pEvent) {
  const char *buf = x->buf;
  size_t len = x->len;
  const signed char *aSlot = x->p->aSlot;
  CtJsonError e;
  int seenRecords = 0;
  size_t end;
  if (aField)
    memset(aField, 0, sizeof(CtSpan) * (size_t)x->p->nField);
  if (allowRecords && resumeAt(x, &pos)) {
    /* Back inside this wrapper's "Records" array, at pos. */
    seenRecords = 1;
    push(x, pos);
    if (parseArray(x, pos, &end, 1))
      return 1;
    x->nStack--;
    *pWrapper = 1;
    goto next_member;
  }
  pos = ctJsonSpaceEnd(buf, len, pos + 1);
  if (pos < len && buf[pos] == '}') {
    *pEnd = pos + 1;
    return 0;
  }
  for (;;) {
    CtSpan k;
    int f = -1;
    if (pos >= len || buf[pos] != '"')
      return expected(x, pos, "expected a string key");
    if (ctJsonValidateStringFast(buf, len, pos, &end, &e))
      return syntax(x, &e);
    k.off = pos;
    k.len = end - pos;
    pos = ctJsonSpaceEnd(buf, len, end);
    if (pos >= len || buf[pos] != ':')
      return expected(x, pos, "expected ':'");
    pos = ctJsonSpaceEnd(buf, len, pos + 1);
    if (allowRecords && !seenRecords &&
        ctJsonUnsafeKeyEq(buf, k, "Records", 7)) {
      seenRecords = 1;
      if (pos < len && buf[pos] == '[') {
        push(x, pos);
        if (parseArray(x, pos, &end, 1))
          return 1;
        x->nStack--;
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
        if (f >= 0 && aField && aSlot[f] >= 0 && aField[aSlot[f]].len == 0) {
          aField[aSlot[f]].off = pos;
          aField[aSlot[f]].len = end - pos;
        }
      }
    }
  next_member:
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
  if (partFull(x)) {
    /* Not kept: validated (first pass) or not even that (stopped). */
    x->iEvent++;
    if (x->stopped)
      return 1;
    return parseObject(x, pos, pEnd, 0, 0, &wrapper, 0);
  }
  if (grow(x))
    return 1;
  if (parseObject(x, pos, pEnd,
                  x->wantFields ? &p->aField[p->nRec * (size_t)p->nField] : 0,
                  0, &wrapper, 0)) {
    return 1;
  }
  p->aRec[p->nRec].off = pos;
  p->aRec[p->nRec].len = *pEnd - pos;
  if (p->aIdx)
    p->aIdx[p->nRec] = x->iEvent;
  p->nRec++;
  x->iEvent++;
  return 0;
}

/* With a rule-out test, pass over the event at pos if its text rules it out:
** 1 if passed over (*pEnd past it), 0 if it must be parsed, -1 on an
** error (the text ended inside it). */
static int passOverEventAt(Parser *x, size_t pos, size_t *pEnd) {
  CtJsonError e;
  size_t end;
  if (ctJsonBracketEnd(x->buf, x->len, pos, &end, &e)) {
    syntax(x, &e);
    return -1;
  }
  if (x->pRuleOut->xMayMatch(x->pRuleOut->pArg, x->buf + pos, end - pos))
    return 0;
  if (!x->counting)
    x->p->nRuledOut++;
  x->iEvent++;
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
  int level = x->nStack;
  if (!resumeAt(x, &pos)) {
    pos = ctJsonSpaceEnd(buf, len, pos + 1);
    if (pos < len && buf[pos] == ']') {
      *pEnd = pos + 1;
      return 0;
    }
  }
  push(x, pos);
  for (;;) {
    size_t end;
    if (level < CT_RECORDS_DEPTH)
      x->aStack[level] = pos; /* this element */
    if (pos < len && buf[pos] == '{') {
      if (isRecords) {
        int passed = x->pRuleOut ? passOverEventAt(x, pos, &end) : 0;
        if (passed < 0)
          return 1;
        if (!passed && addEventAt(x, pos, &end))
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
      x->nStack = level;
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

/* Parse from the start of buf (or from x->pResume) to the end (or until
** the part is full, with x->stopAtFull). */
static int run(Parser *x) {
  const char *buf = x->buf;
  size_t len = x->len, pos = 0;
  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;
  resumeAt(x, &pos);
  for (;;) {
    size_t end = 0;
    int rc;
    pos = ctJsonSpaceEnd(buf, len, pos);
    if (pos >= len)
      break;
    x->nStack = 0;
    push(x, pos);
    if (buf[pos] == '{') {
      rc = parseTopObject(x, pos, &end);
    } else if (buf[pos] == '[') {
      rc = parseArray(x, pos, &end, 0);
    } else {
      CtJsonError e;
      rc = ctJsonValidate(buf, len, pos, &end, &e) ? syntax(x, &e) : 0;
      if (rc == 0) {
        x->zErr = ctMprintf("not CloudTrail events: a top-level %s at offset "
                            "%zu",
                            buf[pos] == '"' ? "string" : "scalar", pos);
        rc = 1;
      }
    }
    if (rc)
      return x->stopped ? 0 : 1;
    pos = end;
  }
  return 0;
}

/* Set up x and p's field slots for a pass over buf with *pOpt. */
static void setup(Parser *x, const char *buf, size_t len, CtRecords *p,
                  const CtRecordsOpt *pOpt) {
  int f;
  memset(x, 0, sizeof(*x));
  x->buf = buf;
  x->len = len;
  x->p = p;
  x->pRuleOut = pOpt->pRuleOut;
  x->maxRec = pOpt->maxRec;
  p->nField = 0;
  for (f = 0; f < CT_NFIELD; f++) {
    p->aSlot[f] = -1;
    if (pOpt->fieldMask & (1u << f))
      p->aSlot[f] = (signed char)p->nField++;
  }
  x->wantFields = p->nField > 0;
}

int ctRecordsParseOpt(const char *buf, size_t len, CtRecords *p,
                      const CtRecordsOpt *pOpt, char **pzErr) {
  Parser x;
  memset(p, 0, sizeof(*p));
  setup(&x, buf, len, p, pOpt);
  if (run(&x)) {
    *pzErr = x.zErr ? x.zErr : ctMprintf("out of memory");
    ctRecordsFree(p);
    return 1;
  }
  return 0;
}

int ctRecordsNext(const char *buf, size_t len, CtRecords *p,
                  const CtRecordsOpt *pOpt, char **pzErr) {
  Parser x;
  CtRecordsResume r = p->next;
  if (r.nPos == 0) {
    p->nRec = p->nRuledOut = 0;
    return 0;
  }
  setup(&x, buf, len, p, pOpt);
  p->nRec = 0;
  p->nRuledOut = 0;
  p->iBase = r.iEvent;
  memset(&p->next, 0, sizeof(p->next));
  x.stopAtFull = 1;
  x.pResume = &r;
  x.iEvent = r.iEvent;
  if (run(&x)) {
    *pzErr = x.zErr ? x.zErr : ctMprintf("out of memory");
    return 1;
  }
  return 0;
}

int ctRecordsParse(const char *buf, size_t len, CtRecords *p, int wantFields,
                   char **pzErr) {
  return ctRecordsParseRuleOut(buf, len, p, wantFields, 0, pzErr);
}

int ctRecordsParseRuleOut(const char *buf, size_t len, CtRecords *p,
                          int wantFields, const CtRecordsRuleOut *pRuleOut,
                          char **pzErr) {
  CtRecordsOpt o;
  o.fieldMask = wantFields ? CT_FIELDS_ALL : 0;
  o.maxRec = 0;
  o.pRuleOut = pRuleOut;
  return ctRecordsParseOpt(buf, len, p, &o, pzErr);
}

void ctRecordsFree(CtRecords *p) {
  ctFree(p->aRec);
  ctFree(p->aField);
  ctFree(p->aIdx);
  memset(p, 0, sizeof(*p));
}
