/*
** ct_time.h - eventTime values as instants, and the collation over them.
**
** CloudTrail writes eventTime as "2024-03-01T10:00:00Z"; SQLite's datetime()
** writes "2024-03-01 10:00:00"; people type "2024-03-01". The collation
** cloudtrail_time compares such texts as the instants they name:
**   YYYY, YYYY-MM                   the first instant of that year, month
**   YYYY-MM-DD                      midnight UTC of that day
**   YYYY-MM-DD[T| ]HH               the first instant of that hour
**   YYYY-MM-DD[T| ]HH:MM[:SS[.f]]   f: any number of digits (to 1 ns)
**   ... followed by nothing, Z, or an offset +HH:MM, +HHMM, +HH (or -)
** Spaces around the text are ignored. A text without an offset is UTC. Texts
*that do not parse sort before every
** text that does (like NULL, so that a lower bound on time never matches
** them), and compare among themselves byte by byte (like BINARY).
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

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t ctDaysFromCivil(int64_t y, unsigned m, unsigned d);

#endif /* CT_TIME_H */
