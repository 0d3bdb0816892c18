/*
** tests/unit/util.c - ct_util: formatting, suffixes in any case, the
** byte search against a naive one, and escaping names for messages.
*/
#include "helpers.h"

#include "ct_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void util_mprintf_should_format_like_printf(void) {
  char *z = ctMprintf("%s=%d %zu%%", "n", -42, (size_t)7);
  CHECK_STREQ(z, "n=-42 7%");
  free(z);
  z = ctMprintf("%s", "");
  CHECK_STREQ(z, "");
  free(z);
}

static void util_mprintf_should_handle_long_output(void) {
  char big[5001];
  char *z;
  memset(big, 'x', 5000);
  big[5000] = 0;
  z = ctMprintf("<%s>", big);
  CHECK(z != 0 && strlen(z) == 5002 && z[0] == '<' && z[5001] == '>');
  free(z);
}

static void util_ends_with_should_compare_suffixes_in_any_case(void) {
  CHECK(ctEndsWithNoCase("a.json.gz", 9, ".gz"));
  CHECK(ctEndsWithNoCase("A.JSON.GZ", 9, ".gz"));
  CHECK(!ctEndsWithNoCase("a.json.gz", 9, ".json"));
  CHECK(ctEndsWithNoCase("a.json.gz", 6, ".json")); /* only n bytes count */
  CHECK(!ctEndsWithNoCase("gz", 2, ".gz"));
  CHECK(ctEndsWithNoCase("", 0, ""));
}

/* Naive reference for ctFind. */
static const char *findNaive(const char *h, size_t n, const char *z, size_t k) {
  size_t i;
  for (i = 0; i + k <= n; i++) {
    if (memcmp(h + i, z, k) == 0)
      return h + i;
  }
  return 0;
}

/* ctFind against the naive search on random texts over a small alphabet
** (so first and last bytes often match), in exactly-sized buffers (so ASan
** sees any read past either end). */
static void util_find_should_agree_with_a_naive_search(void) {
  unsigned seed = 12345;
  int iter, bad = 0;
  for (iter = 0; iter < 20000 && !bad; iter++) {
    size_t n, k, i;
    char *h, *z;
    const char *want, *got;
    seed = seed * 1103515245u + 12345u;
    n = (seed >> 8) % 120;
    seed = seed * 1103515245u + 12345u;
    k = (seed >> 8) % 24;
    h = malloc(n ? n : 1);
    z = malloc(k ? k : 1);
    for (i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      h[i] = "aab\"x"[(seed >> 16) % 5];
    }
    for (i = 0; i < k; i++) {
      seed = seed * 1103515245u + 12345u;
      z[i] = "aab"[(seed >> 16) % 3];
    }
    /* Often plant the needle, at any place it fits. */
    if (k <= n && (seed >> 20) % 2) {
      seed = seed * 1103515245u + 12345u;
      memcpy(h + (seed >> 8) % (n - k + 1), z, k);
    }
    want = findNaive(h, n, z, k);
    got = ctFind(h, n, z, k);
    if (got != want) {
      fprintf(stderr, "ctFind n=%zu k=%zu: %td, want %td\n", n, k,
              got ? got - h : -1, want ? want - h : -1);
      bad = 1;
    }
    free(h);
    free(z);
  }
  CHECK(!bad);
  CHECK(ctFind("xxConsoleLogin", 14, "ConsoleLogin", 12) != 0);
  CHECK(ctFind("xxConsoleLogi", 13, "ConsoleLogin", 12) == 0);
  {
    /* A long needle in a text that is nearly it everywhere (each start a
    ** candidate): linear, by memmem, once comparing costs as much as the
    ** text (without that, 2 x 10^9 byte compares). */
    size_t n = 1u << 20, k = 4001;
    char *h = malloc(n), *z = malloc(k);
    memset(h, 'a', n);
    memset(z, 'a', k);
    z[k / 2] = 'b';
    CHECK(ctFind(h, n, z, k) == 0);
    h[n - 3000] = 'b';
    CHECK(ctFind(h, n, z, k) == h + n - 3000 - k / 2);
    free(h);
    free(z);
  }
}

static void util_escape_name_should_escape_controls_and_bad_utf8(void) {
  static const struct {
    const char *zIn, *zOut;
  } a[] = {{"plain/a b%'\".json", "plain/a b%'\".json"},
           {"a\nb", "a\\nb"},
           {"t\tr\r", "t\\tr\\r"},
           {"\x01\x1f\x7f", "\\x01\\x1f\\x7f"},
           {"back\\slash", "back\\\\slash"},
           {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
           {"\xff\xfe", "\\xff\\xfe"},
           {"\xc2\x9b[31m", "\\xc2\\x9b[31m"},  /* C1 CSI */
           {"\xc3", "\\xc3"},                   /* cut short */
           {"\xed\xa0\x80", "\\xed\\xa0\\x80"}, /* a surrogate */
           {"\xc0\xaf", "\\xc0\\xaf"},          /* overlong */
           {"", ""}};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    char *z = ctEscapeName(a[i].zIn);
    CHECKF(z && strcmp(z, a[i].zOut) == 0, ": %zu: %s", i, z ? z : "NULL");
    free(z);
  }
}

/* ctGrow doubles from nFirst until the need fits, and refuses (changing
** nothing) a size that overflows; ctResize likewise. */
static void util_grow_should_double_and_refuse_overflow(void) {
  int *a = 0;
  size_t nAlloc = 0;
  CHECK(ctGrow(&a, &nAlloc, 1, sizeof(int), 16) == 0);
  CHECK(a != 0 && nAlloc == 16);
  if (a == 0)
    return;
  a[15] = 42;
  CHECK(ctGrow(&a, &nAlloc, 16, sizeof(int), 16) == 0 && nAlloc == 16);
  CHECK(ctGrow(&a, &nAlloc, 17, sizeof(int), 16) == 0 && nAlloc == 32);
  CHECK(ctGrow(&a, &nAlloc, 100, sizeof(int), 16) == 0 && nAlloc == 128);
  CHECK(a[15] == 42); /* content kept */
  {
    int *b = a;
    CHECK(ctGrow(&a, &nAlloc, (size_t)-1, sizeof(int), 16) == 1);
    CHECK(ctGrow(&a, &nAlloc, (size_t)-1 / 2, sizeof(int), 16) == 1);
    CHECK(ctResize(&a, (size_t)-1 / 2, sizeof(int)) == 1);
    CHECK(a == b && nAlloc == 128 && a[15] == 42);
  }
  a[0] = 7;
  CHECK(ctResize(&a, 3, sizeof(int)) == 0 && a[0] == 7);
  ctFree(a);
}

const Test aUnitUtil[] = {
    TEST(util_mprintf_should_format_like_printf),
    TEST(util_mprintf_should_handle_long_output),
    TEST(util_ends_with_should_compare_suffixes_in_any_case),
    TEST(util_find_should_agree_with_a_naive_search),
    TEST(util_escape_name_should_escape_controls_and_bad_utf8),
    TEST(util_grow_should_double_and_refuse_overflow),
    {0, 0},
};
