/*
** tests/unit/decode.c - ct_decode: rowids, which number the events of
** every slot apart.
*/
#include "helpers.h"

#include "ct_decode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void rowid_make_should_number_events_of_every_slot_apart(void) {
  static const int aSlot[] = {0, 1, 2, 126, 127};
  static const long long aFile[] = {0, 1, 77, (1LL << 24) - 1};
  static const uint64_t aIdx[] = {0, 1, 5, 0xffffffffu};
  int64_t seen[5 * 4 * 4], r = 0;
  int n = 0, a, b, c, i;
  /* Slot 0 is the documented rowid; the edges of each range. */
  CHECK(ctRowidMake(0, 3, 7, &r) == CT_ROWID_OK && r == (3LL << 32 | 7));
  CHECK(ctRowidMake(0, (1LL << 31) - 1, 0xffffffffu, &r) == CT_ROWID_OK &&
        r == INT64_MAX);
  CHECK(ctRowidMake(127, (1LL << 24) - 1, 0xffffffffu, &r) == CT_ROWID_OK &&
        r == INT64_MIN);
  CHECK(ctRowidMake(1, 0, 0, &r) == CT_ROWID_OK && r == -1 - (1LL << 56));
  CHECK(ctRowidMake(0, 1LL << 31, 0, &r) == CT_ROWID_FILE);
  CHECK(ctRowidMake(1, 1LL << 24, 0, &r) == CT_ROWID_FILE);
  CHECK(ctRowidMake(5, -1, 0, &r) == CT_ROWID_FILE);
  CHECK(ctRowidMake(0, 0, (uint64_t)1 << 32, &r) == CT_ROWID_INDEX);
  CHECK(ctRowidMake(127, 0, (uint64_t)1 << 32, &r) == CT_ROWID_INDEX);
  CHECK(ctRowidMake(CT_ROWID_SLOTS, 0, 0, &r) == CT_ROWID_SLOT);
  CHECK(ctRowidMake(-1, 0, 0, &r) == CT_ROWID_SLOT);
  /* Distinct everywhere; never CT_ROWID_NONE; the sign tells slot 0. */
  for (a = 0; a < 5; a++) {
    for (b = 0; b < 4; b++) {
      for (c = 0; c < 4; c++) {
        CHECK(ctRowidMake(aSlot[a], aFile[b], aIdx[c], &r) == CT_ROWID_OK);
        CHECK(r != CT_ROWID_NONE);
        CHECK(aSlot[a] == 0 ? r >= 0 : r < -(1LL << 56));
        for (i = 0; i < n; i++)
          CHECK(seen[i] != r);
        seen[n++] = r;
      }
    }
  }
}

const Test aUnitDecode[] = {
    TEST(rowid_make_should_number_events_of_every_slot_apart),
    {0, 0},
};
