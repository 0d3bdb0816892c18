/*
** tests/unit/buf.c - ct_buf: file buffers kept for reuse, within the
** cache's bounds (nothing kept under ASan).
*/
#include "helpers.h"

#include "ct_buf.h"
#include "ct_decode.h"
#include "ct_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNIT_ASAN 1
#endif
#endif

/* Buffers are writable to their size; freed ones are kept (at most
** CT_BUF_CACHE of them, CT_BUF_CACHE_BYTES in all) and given again to a
** request they fit; ctBufTrim lets them go. Under ASan they are malloc'd and
** nothing is kept. */
static void buf_should_reuse_freed_buffers_within_bounds(void) {
  char *a[CT_BUF_CACHE + 4];
  size_t c[CT_BUF_CACHE + 4], cap = 0;
  char *p, *q;
  int i;
  ctBufTrim();
  p = ctBufAlloc(100000, &cap);
  CHECK(p != 0 && cap >= 100000);
  if (p == 0)
    return;
  memset(p, 'x', cap);
  ctBufFree(p, cap);
#ifdef UNIT_ASAN
  CHECK(ctBufCachedBytes() == 0);
#else
  CHECK(ctBufCachedBytes() == cap);
  q = ctBufAlloc(90000, &cap);
  CHECK(q == p); /* the kept one, as it fits */
  CHECK(ctBufCachedBytes() == 0);
  ctBufFree(q, cap);
#endif
  for (i = 0; i < CT_BUF_CACHE + 4; i++) {
    a[i] = ctBufAlloc(1000, &c[i]);
    CHECK(a[i] != 0 && c[i] >= 1000);
    if (a[i])
      memset(a[i], 'y', c[i]);
  }
  for (i = 0; i < CT_BUF_CACHE + 4; i++)
    ctBufFree(a[i], c[i]);
  CHECK(ctBufCachedBytes() <= CT_BUF_CACHE_BYTES);
#ifndef UNIT_ASAN
  CHECK(ctBufCachedBytes() >= (size_t)CT_BUF_CACHE * 1000);
#endif
  /* Larger than the whole cache: never kept. */
  ctBufTrim();
  q = ctBufAlloc(CT_BUF_CACHE_BYTES + 1, &cap);
  CHECK(q != 0);
  ctBufFree(q, cap);
  CHECK(ctBufCachedBytes() == 0);
  ctBufTrim();
  CHECK(ctBufCachedBytes() == 0);
}

/* The cache is the process's: while one scan (a pool) is alive, another
** scan's end (ctPoolFree, then ctBufTrim as a cursor's reset does) leaves
** the kept buffers for it; the last scan's end unmaps them. */
static void buf_should_keep_the_cache_while_another_scan_runs(void) {
  CtDecodeCfg cfg;
  CtPool *pA, *pB;
  size_t cap = 0;
  char *p;
  memset(&cfg, 0, sizeof(cfg));
  ctBufTrim();
  pA = ctPoolNew(0, 1, 1 << 20, &cfg);
  pB = ctPoolNew(0, 1, 1 << 20, &cfg);
  CHECK(pA != 0 && pB != 0);
  if (pA == 0 || pB == 0) {
    ctPoolFree(pA);
    ctPoolFree(pB);
    return;
  }
  p = ctBufAlloc(100000, &cap); /* a file of B's scan, freed: kept */
  CHECK(p != 0);
  ctBufFree(p, cap);
  ctPoolFree(pA); /* A's scan ends... */
  ctBufTrim();
#ifndef UNIT_ASAN
  CHECK(ctBufCachedBytes() == cap); /* ...and B's kept buffer stays */
  CHECK(ctBufMappedBytes() >= cap);
#endif
  ctPoolFree(pB); /* the last scan ends: nothing is kept */
  ctBufTrim();
  CHECK(ctBufCachedBytes() == 0);
  CHECK(ctBufMappedBytes() == 0);
}

const Test aUnitBuf[] = {
    TEST(buf_should_reuse_freed_buffers_within_bounds),
    TEST(buf_should_keep_the_cache_while_another_scan_runs),
    {0, 0},
};
