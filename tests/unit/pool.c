/*
** tests/unit/pool.c - ct_pool: files decoded on threads and handed
** back in order, with and without threads, read-ahead counted, and the
** memory budget that stops reading ahead.
*/
#include "helpers.h"

#include "ct_decode.h"
#include "ct_filter.h"
#include "ct_json.h"
#include "ct_pool.h"
#include "ct_records.h"
#include "ct_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Submit n files (every 7th missing, every 5th pre-failed) to a pool of
** nThread threads (decoded files held up to maxHeld bytes) and check each
** comes back in order with its own events. */
static void poolRun(int nThread, size_t nCap, size_t maxHeld, int n) {
  CtFilter f;
  CtDecodeCfg cfg;
  CtPool *pool;
  int next = 0, taken = 0;
  char *zDir = tmpPath("pool");
  makeDir(zDir);
  free(zDir);
  ctFilterInit(&f);
  cfg.pFilter = &f;
  cfg.maxFileSize = 1u << 20;
  cfg.fieldMask = CT_FIELDS_ALL;
  pool = ctPoolNew(nThread, nCap, maxHeld, &cfg);
  CHECK(pool != 0);
  if (pool == 0)
    return;
  while (taken < n) {
    CtDecoded *d;
    while (next < n && ctPoolHasRoom(pool)) {
      char zName[64], zText[256];
      CtDecoded *p = calloc(1, sizeof(*p));
      snprintf(zName, sizeof(zName), "pool/f%04d.json", next);
      snprintf(zText, sizeof(zText),
               "{\"Records\":[{\"eventName\":\"E%d\"},{\"eventID\":\"%d\"}]}",
               next, next);
      p->zPath = writeTmp(zName, zText, strlen(zText));
      if (next % 7 == 3)
        unlink(p->zPath);
      if (next % 5 == 4) {
        p->status = CT_DEC_ERROR;
        p->zErr = ctMprintf("pre-failed %d", next);
      }
      CHECK(ctPoolSubmit(pool, p) == 0);
      next++;
    }
    d = ctPoolNext(pool);
    CHECK(d != 0);
    if (d == 0)
      break;
    if (taken % 5 == 4) {
      char zWant[32];
      snprintf(zWant, sizeof(zWant), "pre-failed %d", taken);
      CHECK(d->status == CT_DEC_ERROR && strcmp(d->zErr, zWant) == 0);
    } else if (taken % 7 == 3) {
      CHECK(d->status == CT_DEC_ERROR && strstr(d->zErr, "cannot open"));
    } else {
      char zWant[32];
      snprintf(zWant, sizeof(zWant), "\"E%d\"", taken);
      CHECK(d->status == CT_DEC_OK && d->recs.nRec == 2 && d->recs.aField != 0);
      if (d->status == CT_DEC_OK && d->recs.aField) {
        CtSpan v = d->recs.aField[CT_F_EVENT_NAME];
        CHECK(v.len == strlen(zWant) &&
              memcmp(d->data.buf + v.off, zWant, v.len) == 0);
      }
    }
    ctDecodedFree(d);
    taken++;
  }
  CHECK(ctPoolNext(pool) == 0);
  CHECK(ctPoolFree(pool) == 0);
  ctFilterFree(&f);
}

static void pool_should_hand_back_files_in_order_without_threads(void) {
  poolRun(0, 1, SIZE_MAX, 40);
}

static void pool_should_hand_back_files_in_order_with_threads(void) {
  poolRun(2, 4, SIZE_MAX, 200);
  poolRun(4, 8, SIZE_MAX, 200);
  poolRun(3, 1, SIZE_MAX, 50);
  /* A memory budget smaller than one file: still every file, in order. */
  poolRun(2, 8, 1, 100);
  poolRun(3, 16, 200, 100);
}

static void pool_should_count_files_read_ahead_for_nothing(void) {
  CtFilter f;
  CtDecodeCfg cfg;
  CtPool *pool;
  int i;
  size_t wasted;
  char *zDir = tmpPath("pool2");
  makeDir(zDir);
  free(zDir);
  ctFilterInit(&f);
  cfg.pFilter = &f;
  cfg.maxFileSize = 1u << 20;
  cfg.fieldMask = 0;
  pool = ctPoolNew(2, 4, SIZE_MAX, &cfg);
  for (i = 0; i < 4; i++) {
    CtDecoded *p = calloc(1, sizeof(*p));
    p->zPath = writeTmp("pool2/a.json", "{\"eventName\":\"A\"}", 16);
    CHECK(ctPoolSubmit(pool, p) == 0);
  }
  CHECK(!ctPoolHasRoom(pool));
  ctDecodedFree(ctPoolNext(pool)); /* take one, leave three */
  usleep(200000);                  /* let the workers finish theirs */
  wasted = ctPoolFree(pool);
  CHECK(wasted <= 3);
  ctFilterFree(&f);
}

/* Past the memory budget, workers start no file but the oldest: with a
** budget of 1 byte, two threads decode at most two files (the two they may
** have claimed before the first was done) however many are queued. */
static void pool_should_stop_reading_ahead_past_its_memory_budget(void) {
  CtFilter f;
  CtDecodeCfg cfg;
  CtPool *pool;
  int i;
  size_t wasted;
  char *zDir = tmpPath("pool3");
  makeDir(zDir);
  free(zDir);
  ctFilterInit(&f);
  cfg.pFilter = &f;
  cfg.maxFileSize = 1u << 20;
  cfg.fieldMask = 0;
  pool = ctPoolNew(2, 16, 1, &cfg);
  for (i = 0; i < 16; i++) {
    CtDecoded *p = calloc(1, sizeof(*p));
    char zName[32];
    snprintf(zName, sizeof(zName), "pool3/f%02d.json", i);
    p->zPath = writeTmp(zName, "{\"eventName\":\"A\"}", 17);
    CHECK(ctPoolSubmit(pool, p) == 0);
  }
  CHECK(ctPoolInFlight(pool) == 16);
  usleep(200000); /* let the workers do all they may */
  wasted = ctPoolFree(pool);
  CHECK(wasted <= 2);
  ctFilterFree(&f);
}

const Test aUnitPool[] = {
    TEST(pool_should_hand_back_files_in_order_without_threads),
    TEST(pool_should_hand_back_files_in_order_with_threads),
    TEST(pool_should_count_files_read_ahead_for_nothing),
    TEST(pool_should_stop_reading_ahead_past_its_memory_budget),
    {0, 0},
};
