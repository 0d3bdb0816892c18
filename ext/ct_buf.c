/*
** ct_buf.c - see ct_buf.h.
*/
#define _GNU_SOURCE /* mremap */
#include "ct_buf.h"
#include "ct_util.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define CT_BUF_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CT_BUF_MALLOC 1
#endif
#endif

#ifdef CT_BUF_MALLOC

char *ctBufAlloc(size_t n, size_t *pCap) {
  char *p = ctMalloc(n ? n : 1);
  *pCap = n;
  return p;
}

char *ctBufGrow(char *p, size_t cap, size_t n, size_t *pCap) {
  char *q = ctRealloc(p, n ? n : 1);
  (void)cap;
  if (q)
    *pCap = n;
  return q;
}

void ctBufFree(char *p, size_t cap) {
  (void)cap;
  ctFree(p);
}

void ctBufScanBegin(void) {}

void ctBufScanEnd(void) {}

void ctBufTrim(void) {}

size_t ctBufCachedBytes(void) { return 0; }

size_t ctBufMappedBytes(void) { return 0; }

#else

#define CT_BUF_GRAIN ((size_t)64 << 10) /* sizes are multiples of this */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char *aBuf[CT_BUF_CACHE];  /* Kept buffers */
static size_t aCap[CT_BUF_CACHE]; /* ... and their sizes */
static int nBuf;
static size_t nByte;   /* Sum of aCap */
static size_t nMapped; /* Bytes mapped now, kept ones included */
static int nScan;      /* Scans running (ctBufScanBegin, not yet ended) */

void ctBufScanBegin(void) {
  pthread_mutex_lock(&mu);
  nScan++;
  pthread_mutex_unlock(&mu);
}

void ctBufScanEnd(void) {
  pthread_mutex_lock(&mu);
  assert(nScan > 0);
  nScan--;
  pthread_mutex_unlock(&mu);
}

char *ctBufAlloc(size_t n, size_t *pCap) {
  size_t cap;
  int i, best = -1;
  void *m;
  if (n > ~(size_t)0 - CT_BUF_GRAIN)
    return 0;
  cap = (n + CT_BUF_GRAIN - 1) / CT_BUF_GRAIN * CT_BUF_GRAIN;
  if (cap == 0)
    cap = CT_BUF_GRAIN;
  /* The smallest kept buffer that fits. */
  pthread_mutex_lock(&mu);
  for (i = 0; i < nBuf; i++) {
    if (aCap[i] >= cap && (best < 0 || aCap[i] < aCap[best]))
      best = i;
  }
  if (best >= 0) {
    char *p = aBuf[best];
    *pCap = aCap[best];
    nByte -= aCap[best];
    nBuf--;
    aBuf[best] = aBuf[nBuf];
    aCap[best] = aCap[nBuf];
    pthread_mutex_unlock(&mu);
    return p;
  }
  pthread_mutex_unlock(&mu);
  if (!ctReserve(cap))
    return 0; /* past the allocator's limit (ct_util.h) */
  m = mmap(0, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    return 0;
  __atomic_add_fetch(&nMapped, cap, __ATOMIC_RELAXED);
  *pCap = cap;
  return m;
}

char *ctBufGrow(char *p, size_t cap, size_t n, size_t *pCap) {
  size_t ncap;
  void *m;
  if (n <= cap) {
    *pCap = cap;
    return p;
  }
  if (n > ~(size_t)0 - CT_BUF_GRAIN)
    return 0;
  ncap = (n + CT_BUF_GRAIN - 1) / CT_BUF_GRAIN * CT_BUF_GRAIN;
  if (!ctReserve(ncap - cap))
    return 0; /* past the allocator's limit (ct_util.h) */
  m = mremap(p, cap, ncap, MREMAP_MAYMOVE);
  if (m == MAP_FAILED)
    return 0;
  __atomic_add_fetch(&nMapped, ncap - cap, __ATOMIC_RELAXED);
  *pCap = ncap;
  return m;
}

void ctBufFree(char *p, size_t cap) {
  if (p == 0)
    return;
  pthread_mutex_lock(&mu);
  if (nBuf < CT_BUF_CACHE && cap <= CT_BUF_CACHE_BYTES - nByte) {
    aBuf[nBuf] = p;
    aCap[nBuf++] = cap;
    nByte += cap;
    pthread_mutex_unlock(&mu);
    return;
  }
  pthread_mutex_unlock(&mu);
  munmap(p, cap);
  __atomic_sub_fetch(&nMapped, cap, __ATOMIC_RELAXED);
}

void ctBufTrim(void) {
  char *a[CT_BUF_CACHE];
  size_t c[CT_BUF_CACHE];
  int i, n;
  pthread_mutex_lock(&mu);
  if (nScan > 0) {
    pthread_mutex_unlock(&mu); /* another scan's next files may use them */
    return;
  }
  n = nBuf;
  for (i = 0; i < n; i++) {
    a[i] = aBuf[i];
    c[i] = aCap[i];
  }
  nBuf = 0;
  nByte = 0;
  pthread_mutex_unlock(&mu);
  for (i = 0; i < n; i++) {
    munmap(a[i], c[i]);
    __atomic_sub_fetch(&nMapped, c[i], __ATOMIC_RELAXED);
  }
}

size_t ctBufCachedBytes(void) {
  size_t n;
  pthread_mutex_lock(&mu);
  n = nByte;
  pthread_mutex_unlock(&mu);
  return n;
}

size_t ctBufMappedBytes(void) {
  return __atomic_load_n(&nMapped, __ATOMIC_RELAXED);
}

#endif
