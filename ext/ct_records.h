/*
** ct_records.h - find the events in a file's JSON text.
**
** A file holds zero or more top-level JSON values separated by whitespace
** (so one value, or NDJSON: one value per line). Each value is:
**   - an object with a "Records" member: that member must be an array, and
**     each of its elements is an event;
**   - an array: each element is an event, or, if it has "Records", a
**     file's wrapper whose Records are taken (`jq -s` of several files);
**   - an object with eventVersion, eventTime, eventName, eventSource or
**     eventID: one event;
**   - anything else: the file is "not events" (digest files fail here).
** Every event must be a JSON object. Inside an array, any object is an
** event, whatever its keys (so a record is never lost: its text is kept). The
*whole text is validated before any
** event is returned, so a file yields all of its events or an error.
** A UTF-8 byte order mark at the start is skipped.
*/
#ifndef CT_RECORDS_H
#define CT_RECORDS_H

#include "ct_event.h"
#include "ct_json.h"

#include <stddef.h>

/* Where the next part of a file's events starts (see ctRecordsNext): the
** positions of the containers open there, outermost first. */
#define CT_RECORDS_DEPTH 4
typedef struct CtRecordsResume {
  size_t aPos[CT_RECORDS_DEPTH]; /* Top value, then element or "Records"
                                 ** array at each depth */
  int nPos;                      /* Depth (0: nothing more) */
  size_t iEvent;                 /* Number of the event there (ruled-out
                                 ** ones included) */
} CtRecordsResume;

/*
** The events of a file, or of one part of it. A file whose index would be
** too large for its text (many tiny events) is indexed a part at a time:
** ctRecordsParseOpt() validates the whole text and indexes the first
** maxRec events, ctRecordsNext() the next ones (see CtRecordsOpt).
*/
typedef struct CtRecords {
  CtSpan *aRec;     /* One span per event, in file order */
  CtSpan *aField;   /* nRec * nField spans of the events' fields: event i's
                    ** field f is aField[i * nField + aSlot[f]] when
                    ** aSlot[f] >= 0 (see ctRecordsField); else NULL */
  size_t *aIdx;     /* With a rule-out test: each event's number among all the
                    ** file's events, ruled-out ones included; else NULL */
  size_t nRec;      /* Number of events (in this part) */
  size_t nRuledOut; /* Events ruled out and passed over (in this part) */
  size_t nAlloc;    /* Allocated slots in aRec (and aField, aIdx) */
  size_t iBase;     /* Number of this part's first event (0 for the first) */
  int nField;       /* Fields noted per event */
  signed char aSlot[CT_NFIELD]; /* Each field's slot, or -1 if not noted */
  CtRecordsResume next;         /* Where the next part starts */
} CtRecords;

/* Event i's span of field f; f must be noted (aSlot[f] >= 0). */
#define ctRecordsField(p, i, f)                                                \
  ((p)->aField[(size_t)(i) * (size_t)(p)->nField + (size_t)(p)->aSlot[f]])

/* True if field f is noted. */
#define ctRecordsHasField(p, f) ((p)->aField != 0 && (p)->aSlot[f] >= 0)

/* True if part of the file's events remain to be indexed. */
#define ctRecordsHasMore(p) ((p)->next.nPos > 0)

/* Every field, in its own slot (ctRecordsParse with wantFields). */
#define CT_FIELDS_ALL ((1u << CT_NFIELD) - 1)

/*
** A test on an event's text alone: xMayMatch(pArg, z, n) returns 0 if the n
** bytes z of an event prove it of no use to the caller. Such an event, in a
** "Records" array, is passed over with ctJsonBracketEnd: its strings and
** brackets are followed, but it is neither validated nor indexed nor
** returned.
*/
typedef struct CtRecordsRuleOut {
  int (*xMayMatch)(void *pArg, const char *z, size_t n);
  void *pArg;
} CtRecordsRuleOut;

/*
** Find the events in buf[0..len), and with wantFields the spans of all their
** fields (first occurrence of a key wins), in the same single pass that
** validates the text. Returns 0 on success (p is filled; free it with
** ctRecordsFree). On failure returns nonzero and sets *pzErr to a malloc'd
** message naming the cause and the byte offset.
*/
int ctRecordsParse(const char *buf, size_t len, CtRecords *p, int wantFields,
                   char **pzErr);

/* ctRecordsParse, passing over the events of "Records" arrays that pRuleOut
** rules out (see CtRecordsRuleOut; p->aIdx numbers the events kept). The
** text around them is validated as ever. */
int ctRecordsParseRuleOut(const char *buf, size_t len, CtRecords *p,
                          int wantFields, const CtRecordsRuleOut *pRuleOut,
                          char **pzErr);

/* How ctRecordsParseOpt indexes a text. */
typedef struct CtRecordsOpt {
  unsigned fieldMask;               /* Bit f: note field f (CT_F_*) */
  size_t maxRec;                    /* Events a part holds at most (0: all) */
  const CtRecordsRuleOut *pRuleOut; /* Events to pass over, or NULL */
} CtRecordsOpt;

/*
** Validate all of buf[0..len) and index its first pOpt->maxRec events (all
** of them if 0), with the fields of pOpt->fieldMask, passing over those
** that pOpt->pRuleOut rules out. ctRecordsHasMore(p) says if more remain.
** Errors as ctRecordsParse.
*/
int ctRecordsParseOpt(const char *buf, size_t len, CtRecords *p,
                      const CtRecordsOpt *pOpt, char **pzErr);

/*
** Index the next part of a text that ctRecordsParseOpt validated, in place
** of p's current part, with the same buf, len and *pOpt. Event numbers
** (aIdx, iBase) go on counting from the first part. Returns 0, or nonzero
** (out of memory) with *pzErr set.
*/
int ctRecordsNext(const char *buf, size_t len, CtRecords *p,
                  const CtRecordsOpt *pOpt, char **pzErr);

void ctRecordsFree(CtRecords *p);

#endif /* CT_RECORDS_H */
