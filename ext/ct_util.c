/*
** ct_util.c - see ct_util.h.
*/
#define _GNU_SOURCE /* memmem */
#include "ct_util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static CtAllocator alloc = {malloc, realloc, free, 0};

void ctAllocUse(const CtAllocator *p) { alloc = *p; }

void *ctMalloc(size_t n) { return alloc.xMalloc(n ? n : 1); }

void *ctCalloc(size_t n, size_t size) {
  void *p;
  if (size && n > ~(size_t)0 / size)
    return 0;
  p = ctMalloc(n * size);
  if (p)
    memset(p, 0, n * size);
  return p;
}

void *ctRealloc(void *p, size_t n) { return alloc.xRealloc(p, n ? n : 1); }

void ctFree(void *p) {
  if (p)
    alloc.xFree(p);
}

int ctReserve(size_t n) { return alloc.xReserve ? alloc.xReserve(n) : 1; }

int ctIsNoMem(const char *z) {
  return z == 0 || strstr(z, "out of memory") != 0 ||
         strstr(z, strerror(ENOMEM)) != 0;
}

char *ctMprintf(const char *fmt, ...) {
  va_list ap;
  int n;
  char *z;
  va_start(ap, fmt);
  n = vsnprintf(0, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return 0;
  z = ctMalloc((size_t)n + 1);
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

/* With SSE2: 16 candidate starts at a time are those whose first and last
** bytes match the needle's (two loads, two compares); only they are
** compared in full. Comparing is bounded: once it has cost about as many
** bytes as the text (a long needle in a text that is nearly it), memmem,
** which is linear, takes over. */
const char *ctFind(const char *h, size_t n, const char *z, size_t k) {
  if (k == 0)
    return h;
  if (n < k)
    return 0;
  if (k == 1)
    return memchr(h, z[0], n);
#ifdef __SSE2__
  {
    const __m128i first = _mm_set1_epi8(z[0]);
    const __m128i last = _mm_set1_epi8(z[k - 1]);
    size_t i = 0, budget = n + 4096;
    /* Starts i..i+15 read up to h[i + k + 14]. */
    while (n - (k - 1) - i >= 16) {
      __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(h + i));
      __m128i b =
          _mm_loadu_si128((const __m128i *)(const void *)(h + i + k - 1));
      unsigned m = (unsigned)_mm_movemask_epi8(
          _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
      while (m) {
        size_t j = (size_t)__builtin_ctz(m);
        if (budget < k)
          return memmem(h + i + j, n - i - j, z, k);
        budget -= k;
        if (memcmp(h + i + j + 1, z + 1, k - 2) == 0)
          return h + i + j;
        m &= m - 1;
      }
      i += 16;
    }
    for (; i + k <= n; i++) {
      if (h[i] == z[0] && memcmp(h + i + 1, z + 1, k - 1) == 0)
        return h + i;
    }
    return 0;
  }
#else
  return memmem(h, n, z, k);
#endif
}
