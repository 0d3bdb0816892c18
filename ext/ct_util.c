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

int ctResize(void *ppArray, size_t n, size_t szElem) {
  void *p, *q;
  if (szElem && n > (size_t)-1 / szElem)
    return 1;
  /* Through memcpy: *ppArray is some T*, not a void*. */
  memcpy(&p, ppArray, sizeof(p));
  q = ctRealloc(p, n * szElem);
  if (q == 0)
    return 1;
  memcpy(ppArray, &q, sizeof(q));
  return 0;
}

int ctGrowSlow(void *ppArray, size_t *pnAlloc, size_t nNeed, size_t szElem,
               size_t nFirst) {
  size_t n = *pnAlloc ? *pnAlloc : (nFirst ? nFirst : 1);
  while (n < nNeed) {
    if (n > (size_t)-1 / 2)
      return 1;
    n *= 2;
  }
  if (ctResize(ppArray, n, szElem))
    return 1;
  *pnAlloc = n;
  return 0;
}

char *ctStrdup(const char *z) {
  size_t n = strlen(z) + 1;
  char *p = ctMalloc(n);
  if (p)
    memcpy(p, z, n);
  return p;
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

/* Length of the valid UTF-8 sequence at z (1 to 4), or 0 if z does not
** start one. A C1 control (U+0080 to U+009F) counts as invalid here, so
** that it is escaped. */
static size_t utf8SeqLen(const unsigned char *z) {
  unsigned c = z[0];
  size_t n, i;
  unsigned cp;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  for (i = 1; i < n; i++) {
    if ((z[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (z[i] & 0x3f);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
      (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f)) {
    return 0;
  }
  return n;
}

char *ctEscapeName(const char *zName) {
  const unsigned char *z = (const unsigned char *)zName;
  size_t n = strlen(zName), i, j = 0;
  char *zOut = ctMalloc(n * 4 + 1); /* each byte at most "\xHH" */
  if (zOut == 0)
    return 0;
  for (i = 0; i < n;) {
    unsigned c = z[i];
    size_t k;
    if (c == '\\') {
      zOut[j++] = '\\';
      zOut[j++] = '\\';
    } else if (c == '\n' || c == '\t' || c == '\r') {
      zOut[j++] = '\\';
      zOut[j++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
    } else if (c >= 0x20 && c < 0x7f) {
      zOut[j++] = (char)c;
    } else if (c >= 0x80 && (k = utf8SeqLen(z + i)) > 0) {
      memcpy(zOut + j, z + i, k);
      j += k;
      i += k;
      continue;
    } else {
      static const char hex[] = "0123456789abcdef";
      zOut[j++] = '\\';
      zOut[j++] = 'x';
      zOut[j++] = hex[c >> 4];
      zOut[j++] = hex[c & 15];
    }
    i++;
  }
  zOut[j] = 0;
  return zOut;
}
