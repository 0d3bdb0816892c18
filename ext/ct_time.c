/*
** ct_time.c - see ct_time.h.
*/
#include "ct_time.h"

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

static int digits(const char *z, size_t n, size_t at, size_t cnt, int *pv) {
  int v = 0;
  size_t i;
  if (at + cnt > n)
    return 0;
  for (i = 0; i < cnt; i++) {
    char c = z[at + i];
    if (c < '0' || c > '9')
      return 0;
    v = v * 10 + (c - '0');
  }
  *pv = v;
  return 1;
}

static int daysInMonth(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

int ctTimeParse(const char *z, size_t n, CtInstant *p) {
  int y, mo, d, h = 0, mi = 0, s = 0, ns = 0;
  int64_t off = 0;
  size_t i;
  while (n > 0 && (z[0] == ' ' || z[0] == '\t')) {
    z++;
    n--;
  }
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t'))
    n--;
  if (!digits(z, n, 0, 4, &y))
    return 0;
  if (n == 4) { /* a year: its first instant */
    mo = d = 1;
  } else if (n == 7 && z[4] == '-' && digits(z, n, 5, 2, &mo)) {
    d = 1; /* a month */
  } else if (n < 10 || z[4] != '-' || !digits(z, n, 5, 2, &mo) || z[7] != '-' ||
             !digits(z, n, 8, 2, &d)) {
    return 0;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
    return 0;
  i = n < 10 ? n : 10;
  if (i < n && (z[i] == 'T' || z[i] == 't' || z[i] == ' ')) {
    if (!digits(z, n, i + 1, 2, &h))
      return 0;
    i += 3; /* an hour alone means its first instant */
    if (i < n && z[i] == ':') {
      if (!digits(z, n, i + 1, 2, &mi))
        return 0;
      i += 3;
    }
    if (i < n && z[i] == ':') {
      if (!digits(z, n, i + 1, 2, &s))
        return 0;
      i += 3;
      if (i < n && z[i] == '.') {
        int k = 0;
        i++;
        if (i >= n || z[i] < '0' || z[i] > '9')
          return 0;
        while (i < n && z[i] >= '0' && z[i] <= '9') {
          if (k < 9) {
            ns = ns * 10 + (z[i] - '0');
            k++;
          }
          i++;
        }
        while (k < 9) {
          ns *= 10;
          k++;
        }
      }
    }
    if (h > 23 || mi > 59 || s > 59)
      return 0;
  }
  if (i < n) {
    if ((z[i] == 'Z' || z[i] == 'z') && i + 1 == n) {
      i++;
    } else if (z[i] == '+' || z[i] == '-') {
      int oh, om = 0;
      int sign = z[i] == '-' ? -1 : 1;
      if (!digits(z, n, i + 1, 2, &oh))
        return 0;
      i += 3;
      if (i < n && z[i] == ':') {
        i++;
        if (i >= n)
          return 0; /* "+02:" without minutes */
      }
      if (i < n) {
        if (!digits(z, n, i, 2, &om))
          return 0;
        i += 2;
      }
      if (i != n || oh > 23 || om > 59)
        return 0;
      off = sign * (oh * 3600 + om * 60);
    } else {
      return 0;
    }
  }
  p->sec = ctDaysFromCivil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
           mi * 60 + s - off;
  p->ns = ns;
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
