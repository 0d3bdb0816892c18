/*
** tests/unit/filter.c - ct_filter: the byte search over parts of a
** text against a plain search of the whole, and text comparisons (NUL
** bytes and all) against SQLite's BINARY, NOCASE and RTRIM collations
** written out here.
*/
#include "helpers.h"

#include "ct_event.h"
#include "ct_filter.h"
#include "ct_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* ct_filter: the byte search over parts of a text                          */
/* ------------------------------------------------------------------------ */

/* ctFilterPlacesMayMatch answers as ctFilterTextMayMatch on every part of
 *random texts cut
 ** into random consecutive parts (two sets: eventName IN (ab, ba) and
 ** errorCode = bb), and declines where ctFilterTextMayMatch is the only exact
 *test. */
static void filter_places_should_answer_as_the_text_search_on_parts(void) {
  CtFilter f;
  CtTextSet *s;
  unsigned seed = 99;
  int iter, bad = 0, nHits = 0;
  ctFilterInit(&f);
  s = ctFilterAddSet(&f, CT_F_EVENT_NAME, CT_MATCH_BINARY);
  CHECK(s && ctTextSetAdd(s, "ab", 2) == 0 && ctTextSetAdd(s, "ba", 2) == 0);
  s = ctFilterAddSet(&f, CT_F_ERROR_CODE, CT_MATCH_BINARY);
  CHECK(s && ctTextSetAdd(s, "bb", 2) == 0);
  ctFilterPrepare(&f);
  for (iter = 0; iter < 3000 && !bad; iter++) {
    char buf[200];
    size_t n, i, off;
    CtPlaces *h;
    seed = seed * 1103515245u + 12345u;
    n = (seed >> 8) % sizeof(buf);
    for (i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[i] = "abbxxxxx"[(seed >> 16) % 8];
    }
    h = ctFilterPlacesNew(&f, buf, n);
    if (h == 0) {
      bad = 1;
      break;
    }
    for (off = 0; off < n && !bad;) {
      size_t len;
      seed = seed * 1103515245u + 12345u;
      len = 1 + (seed >> 8) % 12;
      if (len > n - off)
        len = n - off;
      if (ctFilterPlacesMayMatch(h, buf + off, len) !=
          ctFilterTextMayMatch(&f, buf + off, len)) {
        fprintf(stderr, "hits: %.*s at %zu+%zu\n", (int)n, buf, off, len);
        bad = 1;
      }
      nHits += ctFilterTextMayMatch(&f, buf + off, len);
      off += len;
    }
    ctFilterPlacesFree(h);
  }
  CHECK(!bad);
  CHECK(nHits > 100); /* parts that may match were met, not only others */
  /* An escape that could spell a value's letter: only the text search. */
  CHECK(ctFilterPlacesNew(&f, "\"\\u0061b\"", 9) == 0);
  /* Values too common to note every place of: only the text search. */
  {
    char dense[4000];
    size_t i;
    for (i = 0; i < sizeof(dense); i++)
      dense[i] = "ab"[i % 2];
    CHECK(ctFilterPlacesNew(&f, dense, sizeof(dense)) == 0);
  }
  ctFilterFree(&f);
  /* A NOCASE set: only the text search. */
  ctFilterInit(&f);
  s = ctFilterAddSet(&f, CT_F_EVENT_NAME, CT_MATCH_NOCASE);
  CHECK(s && ctTextSetAdd(s, "ab", 2) == 0);
  ctFilterPrepare(&f);
  CHECK(ctFilterPlacesNew(&f, "ab", 2) == 0);
  ctFilterFree(&f);
}

/* ------------------------------------------------------------------------ */
/* ct_filter: text comparisons as SQLite's collations make them, NUL and all */
/* ------------------------------------------------------------------------ */

static unsigned char sqliteLower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* SQLite's nocaseCollatingFunc (main.c): sqlite3StrNICmp (util.c) over the
** shorter length, which stops at a NUL of the left text, then the lengths. */
static int sqliteNocaseCmp(const char *zA, int nA, const char *zB, int nB) {
  const unsigned char *a = (const unsigned char *)zA;
  const unsigned char *b = (const unsigned char *)zB;
  int n = nA < nB ? nA : nB, r;
  while (n-- > 0 && *a != 0 && sqliteLower(*a) == sqliteLower(*b)) {
    a++;
    b++;
  }
  r = n < 0 ? 0 : sqliteLower(*a) - sqliteLower(*b);
  return r ? r : nA - nB;
}

/* BINARY and RTRIM (main.c): bytes, then lengths; RTRIM first drops
** trailing spaces. */
static int sqliteBinaryEq(const char *a, int nA, const char *b, int nB) {
  return nA == nB && memcmp(a, b, (size_t)nA) == 0;
}
static int sqliteRtrimEq(const char *a, int nA, const char *b, int nB) {
  while (nA > 0 && a[nA - 1] == ' ')
    nA--;
  while (nB > 0 && b[nB - 1] == ' ')
    nB--;
  return sqliteBinaryEq(a, nA, b, nB);
}

/* Every text of up to 3 characters of "aAb \0" as the value of a set and as
** an event's eventName (a NUL written \u0000, as JSON must): BINARY and
** NOCASE sets match exactly as SQLite's collations compare, the loose match
** of IN lists whenever BINARY, NOCASE or RTRIM says equal, and the byte
** searches that skip files and events never rule out a match. */
static void filter_should_compare_texts_with_nul_as_sqlite_collations(void) {
  static const char alpha[] = "aAb \0";
  char az[200][4];
  int an[200], nText = 0, len, i, j, m, bad = 0, nNocase = 0, nNul = 0;
  for (len = 0; len <= 3; len++) {
    int count = 1, k;
    for (k = 0; k < len; k++)
      count *= 5;
    for (k = 0; k < count; k++) {
      int x = k, c;
      for (c = 0; c < len; c++, x /= 5)
        az[nText][c] = alpha[x % 5];
      an[nText++] = len;
    }
  }
  CHECK(nText == 156);
  for (m = CT_MATCH_BINARY; m <= CT_MATCH_LOOSE; m++) {
    for (i = 0; i < nText && bad < 5; i++) {
      CtFilter f;
      CtTextSet *s;
      ctFilterInit(&f);
      s = ctFilterAddSet(&f, CT_F_EVENT_NAME, m);
      CHECK(s && ctTextSetAdd(s, az[i], (size_t)an[i]) == 0);
      ctFilterPrepare(&f);
      for (j = 0; j < nText && bad < 5; j++) {
        char buf[64];
        size_t n = 0;
        int k, got, binary, nocase, rtrim, want;
        CtSpan rec, aField[CT_NFIELD];
        CtPlaces *h;
        n += (size_t)sprintf(buf, "{\"eventName\":\"");
        for (k = 0; k < an[j]; k++) {
          if (az[j][k] == 0)
            n += (size_t)sprintf(buf + n, "\\u0000");
          else
            buf[n++] = az[j][k];
        }
        n += (size_t)sprintf(buf + n, "\"}");
        rec.off = 0;
        rec.len = n;
        ctEventIndex(buf, rec, aField);
        got = ctFilterRecord(&f, buf, aField, 0);
        binary = sqliteBinaryEq(az[i], an[i], az[j], an[j]);
        nocase = sqliteNocaseCmp(az[i], an[i], az[j], an[j]) == 0;
        rtrim = sqliteRtrimEq(az[i], an[i], az[j], an[j]);
        if (m == CT_MATCH_NOCASE && nocase && !binary) {
          nNocase++;
          for (k = 0; k < an[i]; k++) {
            if (sqliteLower((unsigned char)az[i][k]) !=
                sqliteLower((unsigned char)az[j][k])) {
              nNul++; /* equal only because nothing past a NUL counts */
              break;
            }
          }
        }
        want = m == CT_MATCH_BINARY   ? binary
               : m == CT_MATCH_NOCASE ? nocase
                                      : binary || nocase || rtrim;
        if (m == CT_MATCH_LOOSE ? want && !got : got != want) {
          fprintf(stderr, "match %d: value %d, event %s: %d\n", m, i, buf, got);
          bad++;
        }
        if (got && !ctFilterTextMayMatch(&f, buf, n)) {
          fprintf(stderr, "text search %d: value %d, event %s\n", m, i, buf);
          bad++;
        }
        h = ctFilterPlacesNew(&f, buf, n);
        if (h && got && !ctFilterPlacesMayMatch(h, buf, n)) {
          fprintf(stderr, "hits %d: value %d, event %s\n", m, i, buf);
          bad++;
        }
        ctFilterPlacesFree(h);
      }
      ctFilterFree(&f);
    }
  }
  CHECK(bad == 0);
  /* Pairs NOCASE equates that differ in bytes were met, and some that
  ** differ past a NUL. */
  CHECKF(nNocase > 500 && nNul > 100, ": %d, %d", nNocase, nNul);
}

const Test aUnitFilter[] = {
    TEST(filter_places_should_answer_as_the_text_search_on_parts),
    TEST(filter_should_compare_texts_with_nul_as_sqlite_collations),
    {0, 0},
};
