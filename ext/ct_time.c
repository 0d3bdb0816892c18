/*
** ct_time.c - see ct_time.h.
*/
#include "ct_time.h"

#include <stdio.h>
#include <string.h>

int64_t ctDaysFromCivil(int64_t y, unsigned m, unsigned d) {
  int64_t era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

size_t ctTimeFormat(const CtInstant *p, char *z) {
  /* Days to a civil date (the inverse of ctDaysFromCivil). */
  int64_t days = p->sec >= 0 ? p->sec / 86400 : -((-p->sec + 86399) / 86400);
  int64_t secs = p->sec - days * 86400;
  int64_t zd = days + 719468;
  int64_t era = (zd >= 0 ? zd : zd - 146096) / 146097;
  int64_t doe = zd - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2);
  int n = snprintf(z, CT_TIME_CANON_MAX,
                   "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", (long long)y,
                   (long long)m, (long long)d, (long long)(secs / 3600),
                   (long long)(secs / 60 % 60), (long long)(secs % 60));
  if (p->ns)
    n += snprintf(z + n, CT_TIME_CANON_MAX - (size_t)n, ".%09d", (int)p->ns);
  z[n++] = 'Z';
  z[n] = 0;
  return (size_t)n;
}

static int daysInMonth(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

static int isDigit(char c) { return c >= '0' && c <= '9'; }

/* From mind to maxd digits at z[*pi] as a number in *pv; moves *pi past
** them. Returns 0 if there are fewer than mind, or more than maxd. */
static int digitRun(const char *z, size_t n, size_t *pi, int mind, int maxd,
                    int *pv) {
  int v = 0, k = 0;
  while (*pi < n && isDigit(z[*pi])) {
    if (k == maxd)
      return 0;
    v = v * 10 + (z[*pi] - '0');
    (*pi)++;
    k++;
  }
  *pv = v;
  return k >= mind;
}

/* Exactly cnt digits at z[*pi] (more may follow), as a number in *pv. */
static int fixedDigits(const char *z, size_t n, size_t *pi, int cnt, int *pv) {
  int v = 0, k;
  for (k = 0; k < cnt; k++) {
    if (*pi >= n || !isDigit(z[*pi]))
      return 0;
    v = v * 10 + (z[*pi] - '0');
    (*pi)++;
  }
  *pv = v;
  return 1;
}

/* Fraction digits at z[*pi] (1 to 9) as nanoseconds. */
static int fraction(const char *z, size_t n, size_t *pi, int *pns) {
  size_t i0 = *pi;
  int k;
  if (!digitRun(z, n, pi, 1, 9, pns))
    return 0;
  for (k = (int)(*pi - i0); k < 9; k++)
    *pns *= 10;
  return 1;
}

/* True if z[i..n) is exactly the letters of w (lower case), in any case. */
static int wordIs(const char *z, size_t n, size_t i, const char *w) {
  size_t k, m = strlen(w);
  if (n - i != m)
    return 0;
  for (k = 0; k < m; k++) {
    char c = z[i + k];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != w[k])
      return 0;
  }
  return 1;
}

/*
** The zone at z[i..n), after optional spaces: nothing, Z, UTC or GMT (any
** case), or (only if hasClock) +HH, +HHMM, +HH:MM or the same with '-'.
** Sets *pOff to the offset in seconds east of UTC.
*/
static int zone(const char *z, size_t n, size_t i, int hasClock,
                int64_t *pOff) {
  int oh, om = 0, sign;
  *pOff = 0;
  while (i < n && z[i] == ' ')
    i++;
  if (i == n || wordIs(z, n, i, "z") || wordIs(z, n, i, "utc") ||
      wordIs(z, n, i, "gmt")) {
    return 1;
  }
  if (!hasClock || (z[i] != '+' && z[i] != '-'))
    return 0;
  sign = z[i] == '-' ? -1 : 1;
  i++;
  if (!fixedDigits(z, n, &i, 2, &oh))
    return 0;
  if (i < n && z[i] == ':')
    i++;
  if (i < n && !fixedDigits(z, n, &i, 2, &om))
    return 0;
  if (i != n || z[i - 1] == ':' || oh > 23 || om > 59)
    return 0;
  *pOff = sign * (oh * 3600 + om * 60);
  return 1;
}

/*
** The extended forms: a date with '-' or '/' (month and day of one or two
** digits), then optionally 'T' or spaces and H[H][:MM[:SS[.f]]], then the
** zone. Also YYYY and YYYY-M[M] alone.
*/
static int parseExtended(const char *z, size_t n, int *pv, int64_t *pOff) {
  size_t i = 4;
  char sep = z[4];
  int hasClock = 0;
  if (sep != '-' && sep != '/')
    return 0;
  i++;
  if (!digitRun(z, n, &i, 1, 2, &pv[1]))
    return 0;
  if (i == n) {
    pv[2] = 1; /* a month: its first day */
    return 1;
  }
  if (z[i] != sep)
    return 0;
  i++;
  if (!digitRun(z, n, &i, 1, 2, &pv[2]))
    return 0;
  if (i < n && (z[i] == 'T' || z[i] == 't' || z[i] == ' ')) {
    size_t j = i + 1;
    while (z[i] == ' ' && j < n && z[j] == ' ')
      j++;
    if (j < n && isDigit(z[j])) {
      i = j;
      hasClock = 1;
      if (!digitRun(z, n, &i, 1, 2, &pv[3]))
        return 0;
      if (i < n && z[i] == ':') {
        i++;
        if (!digitRun(z, n, &i, 2, 2, &pv[4]))
          return 0;
        if (i < n && z[i] == ':') {
          i++;
          if (!digitRun(z, n, &i, 2, 2, &pv[5]))
            return 0;
          if (i < n && z[i] == '.') {
            i++;
            if (!fraction(z, n, &i, &pv[6]))
              return 0;
          }
        }
      }
    } else if (z[i] != ' ') {
      return 0; /* 'T' without a clock */
    }
  }
  return zone(z, n, i, hasClock, pOff);
}

/* The basic form: YYYYMMDD, then optionally T and HH[MM[SS[.f]]], then the
** zone. */
static int parseBasic(const char *z, size_t n, int *pv, int64_t *pOff) {
  size_t i = 4;
  int hasClock = 0, k;
  if (!fixedDigits(z, n, &i, 2, &pv[1]) || !fixedDigits(z, n, &i, 2, &pv[2]))
    return 0;
  if (i < n && (z[i] == 'T' || z[i] == 't')) {
    i++;
    hasClock = 1;
    for (k = 3; k <= 5 && (k == 3 || (i < n && isDigit(z[i]))); k++) {
      if (!fixedDigits(z, n, &i, 2, &pv[k]))
        return 0;
    }
    if (i < n && z[i] == '.') {
      i++;
      if (k != 6 || !fraction(z, n, &i, &pv[6]))
        return 0;
    }
  }
  if (i < n && isDigit(z[i]))
    return 0; /* more digits: a number, not a date */
  return zone(z, n, i, hasClock, pOff);
}

int ctTimeParse(const char *z, size_t n, CtInstant *p) {
  /* year, month, day, hour, minute, second, nanosecond */
  int v[7] = {0, 1, 1, 0, 0, 0, 0};
  int64_t off = 0;
  size_t i = 0;
  while (n > 0 && (z[0] == ' ' || z[0] == '\t')) {
    z++;
    n--;
  }
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t'))
    n--;
  if (!fixedDigits(z, n, &i, 4, &v[0]))
    return 0;
  if (n > 4) {
    if (isDigit(z[4]) ? !parseBasic(z, n, v, &off)
                      : !parseExtended(z, n, v, &off)) {
      return 0;
    }
  }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > daysInMonth(v[0], v[1]) ||
      v[3] > 23 || v[4] > 59 || v[5] > 59) {
    return 0;
  }
  p->sec = ctDaysFromCivil(v[0], (unsigned)v[1], (unsigned)v[2]) * 86400 +
           v[3] * 3600 + v[4] * 60 + v[5] - off;
  p->ns = v[6];
  return 1;
}

int ctInstantCmp(const CtInstant *a, const CtInstant *b) {
  if (a->sec != b->sec)
    return a->sec < b->sec ? -1 : 1;
  if (a->ns != b->ns)
    return a->ns < b->ns ? -1 : 1;
  return 0;
}

int ctTimeCollate(const char *a, size_t na, const char *b, size_t nb) {
  CtInstant ia, ib;
  int oka = ctTimeParse(a, na, &ia);
  int okb = ctTimeParse(b, nb, &ib);
  if (oka && okb)
    return ctInstantCmp(&ia, &ib);
  if (oka != okb)
    return oka ? 1 : -1;
  {
    int c = memcmp(a, b, na < nb ? na : nb);
    if (c)
      return c;
    return na < nb ? -1 : na > nb ? 1 : 0;
  }
}
