/*
** ct_pool.c - see ct_pool.h.
**
** A ring of nCap slots in submission order: [head, next) are claimed by
** workers or done, [next, tail) wait for a worker. Each slot has a state;
** the consumer waits on cvDone for the slot at head. Decoded files waiting
** to be taken hold nHeld bytes; past maxHeld, no file but the head's is
** started until the consumer takes some back (so a run of big files cannot
** pile up in memory however deep the ring).
**
** Invariants (asserted; the test builds do not define NDEBUG), with mu held:
**   head <= next <= tail and tail - head <= nCap (the ring);
**   a slot in [head, tail) holds its file, a slot outside holds none;
**   a slot in [head, next) is RUNNING or DONE, one in [next, tail) is
**   QUEUED or (submitted with an error) DONE;
**   nHeld is the sum of nByte over the DONE slots in [head, tail);
**   nDone - nTaken is the number of decoded slots in [head, tail).
** A pool counts as a running scan for ct_buf's cache (ctBufScanBegin in
** ctPoolNew, ctBufScanEnd in ctPoolFree once its files are freed).
*/
#include "ct_pool.h"
#include "ct_buf.h"
#include "ct_util.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_QUEUED 0
#define SLOT_RUNNING 1
#define SLOT_DONE 2

typedef struct CtSlot {
  CtDecoded *p; /* The file */
  int state;    /* SLOT_* */
  int decoded;  /* True once ctDecodeFile ran on it */
  size_t nByte; /* Memory it holds once decoded (ctDecodedBytes) */
} CtSlot;

struct CtPool {
  pthread_mutex_t mu;    /* Guards everything below */
  pthread_cond_t cvWork; /* A slot was queued, or stop */
  pthread_cond_t cvDone; /* A slot is done */
  CtSlot *aSlot;         /* nCap slots */
  size_t nCap;           /* Capacity */
  size_t head;           /* Next slot to hand back (counts, mod nCap) */
  size_t next;           /* Next slot for a worker */
  size_t tail;           /* Next slot to fill */
  size_t nDone;          /* Files decoded */
  size_t nTaken;         /* Decoded files handed back */
  size_t nHeld;          /* Bytes held by decoded files not taken back */
  size_t maxHeld;        /* Past this, only the head's file is started */
  int nThread;           /* Workers wanted */
  int nStarted;          /* Workers started */
  pthread_t *aThread;    /* Their ids */
  int stop;              /* Set by ctPoolFree */
  CtDecodeCfg cfg;       /* How to decode */
};

/* The ring's invariants (see above) that take constant time. */
static void checkRing(const CtPool *p) {
  assert(p->head <= p->next && p->next <= p->tail);
  assert(p->tail - p->head <= p->nCap);
  assert(p->nTaken <= p->nDone);
  assert(p->nStarted <= p->nThread);
  (void)p;
}

/* The next slot queued for decoding, claimed; NULL if none (or if decoded
** files already hold maxHeld bytes, unless it is the head's). Slots
** submitted already done are passed over. Called with mu held. */
static CtSlot *claimNext(CtPool *p) {
  while (p->next < p->tail) {
    CtSlot *s = &p->aSlot[p->next % p->nCap];
    if (s->state != SLOT_QUEUED) {
      p->next++;
      continue;
    }
    if (p->nHeld >= p->maxHeld && p->next != p->head)
      return 0;
    assert(s->p != 0 && !s->decoded);
    p->next++;
    s->state = SLOT_RUNNING;
    return s;
  }
  return 0;
}

/* Decode the claimed slot s, outside the lock. Called with mu held. */
static void runSlot(CtPool *p, CtSlot *s) {
  assert(s->state == SLOT_RUNNING);
  pthread_mutex_unlock(&p->mu);
  ctDecodeFile(s->p, &p->cfg);
  pthread_mutex_lock(&p->mu);
  s->state = SLOT_DONE;
  s->decoded = 1;
  s->nByte = ctDecodedBytes(s->p);
  p->nHeld += s->nByte;
  p->nDone++;
  pthread_cond_broadcast(&p->cvDone);
}

static void *worker(void *pArg) {
  CtPool *p = (CtPool *)pArg;
  pthread_mutex_lock(&p->mu);
  while (!p->stop) {
    CtSlot *s = claimNext(p);
    if (s)
      runSlot(p, s);
    else
      pthread_cond_wait(&p->cvWork, &p->mu);
  }
  pthread_mutex_unlock(&p->mu);
  return 0;
}

CtPool *ctPoolNew(int nThread, size_t nCap, size_t maxHeld,
                  const CtDecodeCfg *pCfg) {
  CtPool *p = ctCalloc(1, sizeof(*p));
  if (p == 0)
    return 0;
  if (nCap < 1)
    nCap = 1;
  p->aSlot = ctCalloc(nCap, sizeof(CtSlot));
  p->aThread = nThread > 0 ? ctCalloc((size_t)nThread, sizeof(pthread_t)) : 0;
  if (p->aSlot == 0 || (nThread > 0 && p->aThread == 0)) {
    ctFree(p->aSlot);
    ctFree(p->aThread);
    ctFree(p);
    return 0;
  }
  p->nCap = nCap;
  p->maxHeld = maxHeld;
  p->nThread = nThread;
  p->cfg = *pCfg;
  pthread_mutex_init(&p->mu, 0);
  pthread_cond_init(&p->cvWork, 0);
  pthread_cond_init(&p->cvDone, 0);
  ctBufScanBegin();
  return p;
}

int ctPoolHasRoom(const CtPool *p) { return p->tail - p->head < p->nCap; }

size_t ctPoolInFlight(const CtPool *p) { return p->tail - p->head; }

int ctPoolSubmit(CtPool *pool, CtDecoded *p) {
  CtSlot *s;
  pthread_mutex_lock(&pool->mu);
  if (pool->tail - pool->head >= pool->nCap) {
    pthread_mutex_unlock(&pool->mu);
    ctDecodedFree(p);
    return 1;
  }
  checkRing(pool);
  s = &pool->aSlot[pool->tail++ % pool->nCap];
  assert(s->p == 0);
  s->p = p;
  s->state = p->status == CT_DEC_ERROR ? SLOT_DONE : SLOT_QUEUED;
  s->decoded = 0;
  s->nByte = 0;
  /* Start the workers once a second file is in flight. */
  while (pool->nStarted < pool->nThread && pool->tail - pool->head > 1) {
    if (pthread_create(&pool->aThread[pool->nStarted], 0, worker, pool)) {
      pool->nThread = pool->nStarted; /* go on with fewer */
      break;
    }
    pool->nStarted++;
  }
  pthread_cond_signal(&pool->cvWork);
  pthread_mutex_unlock(&pool->mu);
  return 0;
}

CtDecoded *ctPoolNext(CtPool *p) {
  CtSlot *s;
  CtDecoded *pOut;
  pthread_mutex_lock(&p->mu);
  if (p->head == p->tail) {
    pthread_mutex_unlock(&p->mu);
    return 0;
  }
  checkRing(p);
  s = &p->aSlot[p->head % p->nCap];
  while (s->state != SLOT_DONE) {
    /* Rather than wait idle, decode the next file nobody has taken (the
    ** one at head itself, if no worker has it: the case with no threads). */
    CtSlot *o = claimNext(p);
    if (o)
      runSlot(p, o);
    else
      pthread_cond_wait(&p->cvDone, &p->mu);
  }
  assert(s->p != 0 && p->nHeld >= s->nByte);
  pOut = s->p;
  s->p = 0;
  if (p->nHeld >= p->maxHeld && p->nHeld - s->nByte < p->maxHeld)
    pthread_cond_broadcast(&p->cvWork); /* workers may start files again */
  p->nHeld -= s->nByte;
  p->head++;
  if (p->next < p->head)
    p->next = p->head;
  if (s->decoded)
    p->nTaken++;
  checkRing(p);
  pthread_mutex_unlock(&p->mu);
  return pOut;
}

size_t ctPoolFree(CtPool *p) {
  int i;
  size_t k, nWasted;
  if (p == 0)
    return 0;
  pthread_mutex_lock(&p->mu);
  p->stop = 1;
  pthread_cond_broadcast(&p->cvWork);
  pthread_mutex_unlock(&p->mu);
  for (i = 0; i < p->nStarted; i++)
    pthread_join(p->aThread[i], 0);
  checkRing(p);
  nWasted = p->nDone - p->nTaken;
  {
    /* The workers are gone: no slot runs, and the counts add up. */
    size_t nDecoded = 0, nHeld = 0;
    for (k = p->head; k < p->tail; k++) {
      const CtSlot *s = &p->aSlot[k % p->nCap];
      assert(s->p != 0 && s->state != SLOT_RUNNING);
      nDecoded += (size_t)s->decoded;
      nHeld += s->state == SLOT_DONE ? s->nByte : 0;
    }
    assert(nDecoded == nWasted && nHeld == p->nHeld);
    (void)nDecoded;
    (void)nHeld;
  }
  for (k = p->head; k < p->tail; k++)
    ctDecodedFree(p->aSlot[k % p->nCap].p);
  pthread_cond_destroy(&p->cvDone);
  pthread_cond_destroy(&p->cvWork);
  pthread_mutex_destroy(&p->mu);
  ctFree(p->aSlot);
  ctFree(p->aThread);
  ctFree(p);
  ctBufScanEnd();
  return nWasted;
}
