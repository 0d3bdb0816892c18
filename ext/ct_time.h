/*
** ct_time.h - eventTime values as instants, and the collation over them.
**
** CloudTrail writes eventTime as "2024-03-01T10:00:00Z"; SQLite's datetime()
** writes "2024-03-01 10:00:00"; people and tools write many more. The
** collation cloudtrail_time compares such texts as the instants they name.
** The grammar (case does not matter; spaces around the text are ignored):
**
**   time   = date [ ("T" | " "+) clock ] [ " "* zone ]
**          | YYYY ("-" | "/") M[M]          the first instant of the month
**          | YYYY                           the first instant of the year
**          | YYYYMMDD [ "T" HH [MM [SS ["." f]]] ] [ zone ]   (basic form)
**   date   = YYYY "-" M[M] "-" D[D]  |  YYYY "/" M[M] "/" D[D]
**   clock  = H[H] [ ":" MM [ ":" SS [ "." f ] ] ]   (a partial clock is the
**            first instant of its hour or minute)
**   f      = 1 to 9 digits (to the nanosecond)
**   zone   = "Z" | "UTC" | "GMT"
**          | ("+" | "-") HH [ [":"] MM ]    (only after a clock)
**
** A text without a zone is UTC. Nothing is guessed: day-first or month-first
** dates (10/07/2023), 12-hour clocks (AM/PM), numbers and every other text
** are not times. Texts that are not times sort before every text that is
** (like NULL, so that a lower bound on time never matches them), and compare
** among themselves byte by byte (like BINARY).
*/
#ifndef CT_TIME_H
#define CT_TIME_H

#include <stddef.h>
#include <stdint.h>

typedef struct CtInstant {
  int64_t sec; /* Seconds since 1970-01-01T00:00:00Z */
  int32_t ns;  /* Nanoseconds, 0..999999999 */
} CtInstant;

/* Parse z (n bytes). Returns 1 and fills *p if it names an instant. */
int ctTimeParse(const char *z, size_t n, CtInstant *p);

/* <0, 0, >0 as a is before, the same instant as, or after b. */
int ctInstantCmp(const CtInstant *a, const CtInstant *b);

/* The collation: compare two texts as described above. */
int ctTimeCollate(const char *a, size_t na, const char *b, size_t nb);

/* The canonical text of an instant, CloudTrail's own form:
** "YYYY-MM-DDTHH:MM:SSZ", or "YYYY-MM-DDTHH:MM:SS.fffffffffZ" (always nine
** digits) when it has a fraction of a second, so that one instant has one
** text. z must hold CT_TIME_CANON_MAX bytes; returns the length. */
#define CT_TIME_CANON_MAX 40
size_t ctTimeFormat(const CtInstant *p, char *z);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t ctDaysFromCivil(int64_t y, unsigned m, unsigned d);

#endif /* CT_TIME_H */
