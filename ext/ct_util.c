/*
** ct_util.c - see ct_util.h.
*/
#include "ct_util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *ctMprintf(const char *fmt, ...) {
  va_list ap;
  int n;
  char *z;
  va_start(ap, fmt);
  n = vsnprintf(0, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return 0;
  z = malloc((size_t)n + 1);
  if (z == 0)
    return 0;
  va_start(ap, fmt);
  vsnprintf(z, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return z;
}

int ctEndsWithNoCase(const char *z, size_t n, const char *s) {
  size_t m = strlen(s), i;
  if (n < m)
    return 0;
  for (i = 0; i < m; i++) {
    if (tolower((unsigned char)z[n - m + i]) != s[i])
      return 0;
  }
  return 1;
}
