/*
** ct_filter.h - the constraints a scan pushes down, and the tests that let
** it skip files and records which provably cannot match.
**
** Three levels, cheapest first:
**   ctFilterFile()          from the file's name alone (before reading
**                           it): logAccount/logRegion/logDeliveryTime
**                           constraints, which are facts of the name, and
**                           eventTime bounds, using the delivery minute
**                           (see below);
**   ctFilterTextMayMatch()  from the inflated text (before parsing it): a
**                           text equality that cannot occur in the bytes
**                           rules the text out (see there);
**   ctFilterRecord()        from one event's fields (before building a
**                           row).
**
** Delivery time and eventTime. A file named ...T1220Z holds events up to
** 12:20:59; with CT_DELIVERY_MARGIN on top, an event of that file is before
** 12:26:00. So a lower bound on eventTime skips files delivered before it,
** exactly. An upper bound skips files only with max_delay (the user's
** statement that no event is delivered later than that after it happened),
** which trades exactness for speed. Only names that parse as CloudTrail
** delivery names (not Insight files) are used; every other file is read.
**
** Text comparisons follow SQLite's: BINARY compares bytes, NOCASE folds
** ASCII letters and, as SQLite's does, compares nothing past a first NUL
** (see CT_MATCH_* for IN). A field's text is what its column
** returns: a string's decoded value, another value's JSON text, or NULL
** (absent or null), which matches nothing. An eventTime that SQLite could
** read as a number is never ruled out: compared with a value of numeric
** affinity (a DATETIME column), SQLite turns it into a number first.
*/
#ifndef CT_FILTER_H
#define CT_FILTER_H

#include "ct_event.h"
#include "ct_json.h"
#include "ct_logname.h"
#include "ct_time.h"

#include <stddef.h>

#define CT_DELIVERY_MARGIN 300 /* seconds past the named minute's end */

#define CT_OP_EQ 1
#define CT_OP_GT 2
#define CT_OP_GE 3
#define CT_OP_LT 4
#define CT_OP_LE 5

/* Sets on these pseudo-fields test the file name, not the event. */
#define CT_SRC_LOG_ACCOUNT (-1)
#define CT_SRC_LOG_REGION (-2)

typedef struct CtTimeBound {
  int op;      /* CT_OP_* */
  CtInstant t; /* The bound */
} CtTimeBound;

/* How a set compares texts. */
#define CT_MATCH_BINARY 0 /* bytes */
#define CT_MATCH_NOCASE                                                        \
  1 /* as SQLite's NOCASE: same length, ASCII                                  \
    ** letters folded, nothing past a first NUL */
/* A superset of every built-in collation (BINARY, NOCASE, RTRIM): ASCII
** letters folded, and what follows a first NUL and trailing spaces before
** it ignored. Used for IN, whose collation
** SQLite may take from the right side (IN (SELECT x COLLATE NOCASE ...))
** while it reports the column's; SQLite checks each row kept again. */
#define CT_MATCH_LOOSE 2

/* field = one of these values (an = or an IN list). */
typedef struct CtTextSet {
  int iField; /* CT_F_* or CT_SRC_* */
  int match;  /* CT_MATCH_* */
  char **az;  /* Values (malloc'd) */
  size_t *an; /* Their lengths */
  int n;      /* Number of values */
  int nAlloc; /* Allocated slots */
} CtTextSet;

#define CT_MAX_BOUNDS 16

typedef struct CtFilter {
  CtTimeBound aTime[CT_MAX_BOUNDS]; /* Bounds on eventTime */
  int nTime;
  CtTimeBound aDelivery[CT_MAX_BOUNDS]; /* Bounds on logDeliveryTime */
  int nDelivery;
  CtTextSet *aSet; /* Equality sets, all of which must hold */
  int nSet;
  size_t nSetAlloc;         /* Allocated slots in aSet */
  long long maxDelay;       /* max_delay in seconds; < 0 when not given */
  unsigned char aChar[128]; /* ASCII characters of the sets' keys and values
                            ** (see ctFilterPrepare) */
  int nonAscii;             /* ... and whether any is not ASCII */
} CtFilter;

void ctFilterInit(CtFilter *f);
void ctFilterFree(CtFilter *f);

/* Add a bound "eventTime op z" (isDelivery: on logDeliveryTime). Returns 1
** if z names an instant and the bound was added, 0 if it was not (the
** constraint is then left to SQLite). */
int ctFilterAddTime(CtFilter *f, int isDelivery, int op, const char *z,
                    size_t n);

/* Start a set on field iField compared by match (CT_MATCH_*); NULL on out
** of memory. */
CtTextSet *ctFilterAddSet(CtFilter *f, int iField, int match);
/* Add a value to a set; nonzero on out of memory. */
int ctTextSetAdd(CtTextSet *s, const char *z, size_t n);
/* Drop the last set added (its constraint could not be used). */
void ctFilterDropLastSet(CtFilter *f);

/* Call once all sets are added, before ctFilterTextMayMatch. */
void ctFilterPrepare(CtFilter *f);

/* 0 if a file with this name (NULL: not a delivery name) holds no match. */
int ctFilterFile(const CtFilter *f, const CtLogName *pName);

/* 0 if the text buf[0..len) cannot hold a matching event: a file's text,
** or one event's. */
int ctFilterTextMayMatch(const CtFilter *f, const char *buf, size_t len);

/* The number of values in the sets on event fields (what ctFilterTextMayMatch
** searches for; 0 if it has nothing to test). */
int ctFilterTextValues(const CtFilter *f);

/*
** ctFilterTextMayMatch for many parts of one text, each searched once:
** the places of every value of the sets on event fields in the text
** buf[0..len), found up front. ctFilterPlacesMayMatch(h, z, n) then
** answers as ctFilterTextMayMatch(f, z, n) would for the part z[0..n) of
** that text, for parts given in increasing order. NULL where that would
** not be the same answer or would not pay (an escape in the text could
** stand for a character of a key or value, a set is not BINARY, an empty
** value, more than CT_PLACES_MAX_VALUES values, values so common that
** their places would take more than a quarter of the text's size) or on
** out of memory: then call ctFilterTextMayMatch on each part.
*/
#define CT_PLACES_MAX_VALUES 8
typedef struct CtPlaces CtPlaces;
CtPlaces *ctFilterPlacesNew(const CtFilter *f, const char *buf, size_t len);
int ctFilterPlacesMayMatch(CtPlaces *h, const char *z, size_t n);
void ctFilterPlacesFree(CtPlaces *h);

/* 1 if the event whose fields are aField matches every set and eventTime
** bound. Field f is aField[aSlot[f]] (the slots of CtRecords), or aField[f]
** if aSlot is NULL (see ctEventIndex); ctFilterFieldMask's must be there. */
int ctFilterRecord(const CtFilter *f, const char *buf, const CtSpan *aField,
                   const signed char *aSlot);

/* The fields ctFilterRecord reads (bit CT_F_*). */
unsigned ctFilterFieldMask(const CtFilter *f);

/* True if the filter has anything for ctFilterRecord to test. */
int ctFilterHasRecordTests(const CtFilter *f);

#endif /* CT_FILTER_H */
