/*
** tests/unit/group.c - ct_group: the grouped scan's keys, counted and
** ordered as SQLite orders them (binary, column by column).
*/
#include "helpers.h"

#include "ct_group.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static CtGroupVal gv(const char *z, size_t n) {
  CtGroupVal v;
  v.z = z;
  v.n = n;
  return v;
}

static void group_should_count_keys_and_sort_them_as_binary(void) {
  /* NULL first; then bytes; a prefix before what extends it; a NUL byte is
  ** a byte like any other. */
  static const struct {
    const char *z;
    size_t n;
  } in[] = {{"b", 1}, {"A\0B", 3},     {0, 0},     {"AB", 2},
            {"A", 1}, {"b", 1},        {"", 0},    {"A", 1},
            {0, 0},   {"\xc3\xa9", 2}, {"A\0B", 3}};
  static const char *const want[] = {0, "", "A", "A\0B", "AB", "b", "\xc3\xa9"};
  static const size_t wantLen[] = {0, 0, 1, 3, 2, 1, 2};
  static const int64_t wantRows[] = {2, 1, 2, 2, 1, 2, 1};
  static const int64_t wantRowid[] = {102, 106, 104, 101, 103, 100, 109};
  CtGroup *g = ctGroupNew(1);
  size_t i;
  int64_t j, sum = 0;
  CHECK(g != 0);
  for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
    CtGroupVal v = gv(in[i].z, in[i].n);
    CHECK(ctGroupAdd(g, &v, (int64_t)(100 + i)) == 0);
  }
  ctGroupSort(g);
  CHECK_SZ(ctGroupCount(g), 7);
  for (i = 0; i < 7 && i < ctGroupCount(g); i++) {
    CtGroupVal v = ctGroupValue(g, i, 0);
    CHECKF((v.z == 0) == (want[i] == 0), ": key %zu", i);
    CHECKF(v.n == wantLen[i] && (v.n == 0 || memcmp(v.z, want[i], v.n) == 0),
           ": key %zu", i);
    CHECKF(ctGroupRows(g, i) == wantRows[i], ": key %zu", i);
    CHECKF(ctGroupRowid(g, i, 0) == wantRowid[i], ": key %zu", i);
    for (j = 0; j < ctGroupRows(g, i); j++) {
      int64_t r = ctGroupRowid(g, i, j);
      CHECKF(j == 0 || r > ctGroupRowid(g, i, j - 1), ": key %zu", i);
      sum += r;
    }
  }
  CHECK(sum == 100 + 101 + 102 + 103 + 104 + 105 + 106 + 107 + 108 + 109 + 110);
  ctGroupFree(g);
}

/* SQLite's BINARY order of two values, NULL first. */
static int cmpGroupVal(CtGroupVal a, CtGroupVal b) {
  int c;
  if (a.z == 0 || b.z == 0)
    return a.z == b.z ? 0 : a.z == 0 ? -1 : 1;
  c = memcmp(a.z, b.z, a.n < b.n ? a.n : b.n);
  return c ? c : a.n < b.n ? -1 : a.n > b.n;
}

static void group_should_order_keys_column_by_column(void) {
  CtGroup *g = ctGroupNew(2);
  CtGroupVal a[2];
  size_t i, nNull = 0;
  int64_t total = 0;
  /* 3000 rows (the table grows many times), row i added i % 3 + 1 times;
  ** every 11th has a NULL second column, so those share 7 keys. */
  for (i = 0; i < 3000; i++) {
    char x[16], y[16];
    int k;
    snprintf(x, sizeof(x), "%zu", i % 7);
    snprintf(y, sizeof(y), "%zu", i);
    a[0] = gv(x, strlen(x));
    a[1] = i % 11 == 0 ? gv(0, 0) : gv(y, strlen(y));
    nNull += i % 11 == 0;
    for (k = 0; k <= (int)(i % 3); k++)
      CHECK(ctGroupAdd(g, a, (int64_t)i) == 0);
  }
  ctGroupSort(g);
  CHECK_SZ(ctGroupCount(g), 3000 - nNull + 7);
  for (i = 0; i < ctGroupCount(g); i++) {
    total += ctGroupRows(g, i);
    if (i > 0) {
      int c = cmpGroupVal(ctGroupValue(g, i - 1, 0), ctGroupValue(g, i, 0));
      if (c == 0)
        c = cmpGroupVal(ctGroupValue(g, i - 1, 1), ctGroupValue(g, i, 1));
      CHECKF(c < 0, ": keys %zu and %zu out of order", i - 1, i);
    }
  }
  CHECK(total == 1000 * (1 + 2 + 3));
  ctGroupFree(g);
}

const Test aUnitGroup[] = {
    TEST(group_should_count_keys_and_sort_them_as_binary),
    TEST(group_should_order_keys_column_by_column),
    {0, 0},
};
