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

typedef struct CtRecords {
  CtSpan *aRec;    /* One span per event, in file order */
  CtSpan *aField;  /* nRec * CT_NFIELD spans of the events' fields (see
                   ** ct_event.h), if asked for; else NULL */
  size_t *aIdx;    /* With a skip test: each event's number among all the
                   ** file's events, skipped ones included; else NULL */
  size_t nRec;     /* Number of events */
  size_t nSkipped; /* Events passed over by the skip test */
  size_t nAlloc;   /* Allocated slots in aRec (and aField, aIdx) */
} CtRecords;

/*
** A test on an event's text alone: xMayMatch(pArg, z, n) returns 0 if the n
** bytes z of an event prove it of no use to the caller. Such an event, in a
** "Records" array, is passed over with ctJsonSkim: its strings and brackets
** are followed, but it is neither validated nor indexed nor returned.
*/
typedef struct CtRecordsSkip {
  int (*xMayMatch)(void *pArg, const char *z, size_t n);
  void *pArg;
} CtRecordsSkip;

/*
** Find the events in buf[0..len), and with wantFields the spans of their
** fields (first occurrence of a key wins), in the same single pass that
** validates the text. Returns 0 on success (p is filled; free it with
** ctRecordsFree). On failure returns nonzero and sets *pzErr to a malloc'd
** message naming the cause and the byte offset.
*/
int ctRecordsParse(const char *buf, size_t len, CtRecords *p, int wantFields,
                   char **pzErr);

/* ctRecordsParse, passing over the events of "Records" arrays that pSkip
** rules out (see CtRecordsSkip; p->aIdx numbers the events kept). The
** text around them is validated as ever. */
int ctRecordsParseSkip(const char *buf, size_t len, CtRecords *p,
                       int wantFields, const CtRecordsSkip *pSkip,
                       char **pzErr);

void ctRecordsFree(CtRecords *p);

#endif /* CT_RECORDS_H */
