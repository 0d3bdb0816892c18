/*
** tests/unit/time.c - ct_time: parsing the supported time forms and
** refusing the rest, formatting, days from the civil date, and the
** collation (a total order, dates equal to midnight UTC).
*/
#include "helpers.h"

#include "ct_time.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parseTime(const char *z, CtInstant *p) {
  size_t n = strlen(z);
  char *buf = exactCopy(z, n);
  int ok;
  p->sec = -1;
  p->ns = -1;
  ok = ctTimeParse(buf, n, p);
  free(buf);
  return ok;
}

static void time_should_parse_supported_forms(void) {
  static const struct {
    const char *z;
    int64_t sec;
    int32_t ns;
  } a[] = {
      {"2024-03-01", 1709251200, 0},
      {"2024-03-01 10:00:00", 1709287200, 0},
      {"2024-03-01T10:00:00Z", 1709287200, 0},
      {"2024-03-01T10:00:00.000Z", 1709287200, 0},
      {"2024-03-01T10:00:00.5Z", 1709287200, 500000000},
      {"2024-03-01T10:00:00.123456789Z", 1709287200, 123456789},
      {"2024-03-01T12:00:00+02:00", 1709287200, 0},
      {"2024-03-01T12:00:00+0200", 1709287200, 0},
      {"2024-03-01T12:00:00+02", 1709287200, 0},
      {"2024-03-01T05:30:00-04:30", 1709287200, 0},
      {"2024-03-01T10:00", 1709287200, 0},
      {"2024-03-01t10:00:00z", 1709287200, 0},
      {"2024-02-29", 1709164800, 0},
      {"1970-01-01T00:00:00Z", 0, 0},
      {"1969-12-31T23:59:59Z", -1, 0},
      {"2000-02-29T00:00:00Z", 951782400, 0},
      {"2024-12-31T23:59:59.999Z", 1735689599, 999000000},
      /* Partial texts name the first instant of their period. */
      {"2024", 1704067200, 0},
      {"2024-03", 1709251200, 0},
      {"2024-03-01T10", 1709287200, 0},
      {"2024-03-01 10", 1709287200, 0},
      {"2024-03-01T10Z", 1709287200, 0},
      /* Spaces around are ignored. */
      {" 2024-03-01 ", 1709251200, 0},
      {"2024-03-01T10:00:00 ", 1709287200, 0},
      /* What people and tools write (issue 11): zone words, any case. */
      {"2023-07-10 12:30 UTC", 1688992200, 0},
      {"2023-07-10 12:30 utc", 1688992200, 0},
      {"2023-07-10 12:30:00 GMT", 1688992200, 0},
      {"2023-07-10T12:30:00UTC", 1688992200, 0},
      {"2023-07-10 12:30:00 Z", 1688992200, 0},
      {"2024-03-01 UTC", 1709251200, 0},
      {"2024-03-01Z", 1709251200, 0},
      /* A space before the offset; +HHMM and +HH. */
      {"2023-07-10 12:30:00 +00:00", 1688992200, 0},
      {"2023-07-10 14:30:00 +0200", 1688992200, 0},
      {"2023-07-10 07:30 -05", 1688992200, 0},
      {"2023-07-10T18:00:00+0530", 1688992200, 0},
      /* 1 to 9 fraction digits. */
      {"2024-11-25 17:51:21.000000000", 1732557081, 0},
      {"2024-11-25 17:51:21.1", 1732557081, 100000000},
      {"2024-11-25T17:51:21.000001Z", 1732557081, 1000},
      /* Slash dates, the basic form. */
      {"2017/06/01", 1496275200, 0},
      {"2017/6/1", 1496275200, 0},
      {"2017/06/01 10:00", 1496311200, 0},
      {"2017/06", 1496275200, 0},
      {"20170601", 1496275200, 0},
      {"20170601T123000Z", 1496320200, 0},
      {"20170601t123000z", 1496320200, 0},
      {"20170601T1230", 1496320200, 0},
      {"20170601T12", 1496318400, 0},
      {"20170601T133000+0100", 1496320200, 0},
      {"20170601T123000.25Z", 1496320200, 250000000},
      /* Single-digit month, day and hour. */
      {"2023-7-10", 1688947200, 0},
      {"2023-7-10 9:05", 1688979900, 0},
      {"2023-07-1 9", 1688202000, 0},
      {"2024-3", 1709251200, 0},
      {"2024-03-01T1", 1709254800, 0},
      {"2024-03-01   10:00", 1709287200, 0},
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtInstant t;
    int ok = parseTime(a[i].z, &t);
    CHECKF(ok, ": \"%s\" not parsed", a[i].z);
    if (ok) {
      CHECKF(t.sec == a[i].sec && t.ns == a[i].ns,
             ": \"%s\": got %lld.%09d, want %lld.%09d", a[i].z,
             (long long)t.sec, (int)t.ns, (long long)a[i].sec, (int)a[i].ns);
    }
  }
}

static void time_should_reject_invalid_texts(void) {
  static const char *const a[] = {
      "2023-02-29",
      "2024-13-01",
      "2024-00-10",
      "2024-04-31",
      "2024-03-00",
      "1900-02-29",
      "garbage",
      "",
      "2024-03-0",
      "202",
      "20240",
      "2024-03-01T",
      "2024-03-01T10:0",
      "2024-03-01T24:00:00",
      "2024-03-01T10:60:00",
      "2024-03-01T10:00:60",
      "2024-03-01T10:00:00.",
      "2024-03-01T10:00:00.Z",
      "2024-03-01T10:00:00ZZ",
      "2024-03-01T10:00:00+2",
      "2024-03-01T10:00:00+24:00",
      "2024-03-01T10:00:00+02:60",
      "2024-03-01T10:00:00+02:0",
      "2024-03-01T10:00:00+020",
      "x2024-03-01",
      /* Issue 11: nothing is guessed. Day- or month-first dates. */
      "10/07/2023",
      "07/10/2023",
      "10-07-2023",
      /* 12-hour clocks. */
      "2023-07-10 12:30 PM",
      "2023-07-10 12:30pm",
      "2023-07-10 9:05 AM",
      /* Numbers (seconds or milliseconds since 1970). */
      "1688992200",
      "1688992200000",
      "1688992200.5",
      "-1",
      /* More than 9 fraction digits, or more than two hour digits. */
      "2024-03-01T10:00:00.1234567891Z",
      "2024-03-01T100:00",
      "2024-03-01 10:000",
      /* Mixed separators, a 'T' with no clock, an offset on a date. */
      "2024-03/01",
      "2024/03-01",
      "2024-03-01T 10:00",
      "2024-03-01+02:00",
      "2024-03-01 +02",
      /* The basic form: exactly eight date digits, two-digit clock parts. */
      "2017060",
      "201706011",
      "20170601T1",
      "20170601T123",
      "20170601T1230000",
      "20170601 12:30",
      /* Zone words that are not UTC. */
      "2023-07-10 12:30 EST",
      "2023-07-10 12:30 UTC+1",
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtInstant t;
    CHECKF(!parseTime(a[i], &t), ": \"%s\" parsed", a[i]);
  }
}

static void time_should_reject_offset_with_colon_but_no_minutes(void) {
  /* The header allows +HH:MM, +HHMM and +HH; "+02:" is none of them. */
  CtInstant t;
  CHECK(!parseTime("2024-03-01T12:00:00+02:", &t));
  CHECK(!parseTime("2024-03-01T12:00:00-02:", &t));
}

static void time_format_should_round_trip(void) {
  /* Every instant from year 0001 to 9999, at random: its canonical text
  ** parses back to it, and is CloudTrail's form. */
  uint64_t x = 88172645463325252ULL;
  int i;
  for (i = 0; i < 200000; i++) {
    CtInstant a, b;
    char z[CT_TIME_CANON_MAX];
    size_t n;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    a.sec = -62135596800LL + (int64_t)(x % 315537897600ULL);
    a.ns = (i % 3 == 0) ? 0 : (int32_t)((x >> 40) % 1000000000);
    n = ctTimeFormat(&a, z);
    CHECKF(n == strlen(z) && (n == 20 || n == 30) && z[10] == 'T' &&
               z[n - 1] == 'Z',
           ": \"%s\"", z);
    CHECKF(ctTimeParse(z, n, &b) && ctInstantCmp(&a, &b) == 0,
           ": %lld.%09d -> \"%s\"", (long long)a.sec, (int)a.ns, z);
    if (n != 20 && n != 30)
      break;
  }
}

static void time_format_should_write_cloudtrail_form(void) {
  CtInstant t;
  char z[CT_TIME_CANON_MAX];
  CHECK(parseTime("2023-07-10 14:30 +02:00", &t));
  ctTimeFormat(&t, z);
  CHECK(strcmp(z, "2023-07-10T12:30:00Z") == 0);
  CHECK(parseTime("1969-12-31 23:59:59.5", &t));
  ctTimeFormat(&t, z);
  CHECK(strcmp(z, "1969-12-31T23:59:59.500000000Z") == 0);
  CHECK(parseTime("2024-02-29", &t));
  ctTimeFormat(&t, z);
  CHECK(strcmp(z, "2024-02-29T00:00:00Z") == 0);
}

static void time_days_from_civil_should_count_from_1970(void) {
  CHECK(ctDaysFromCivil(1970, 1, 1) == 0);
  CHECK(ctDaysFromCivil(1970, 1, 2) == 1);
  CHECK(ctDaysFromCivil(1969, 12, 31) == -1);
  CHECK(ctDaysFromCivil(2000, 3, 1) == 11017);
  CHECK(ctDaysFromCivil(2024, 3, 1) == 19783);
  CHECK(ctDaysFromCivil(2024, 3, 1) - ctDaysFromCivil(2024, 2, 28) == 2);
  CHECK(ctDaysFromCivil(2023, 3, 1) - ctDaysFromCivil(2023, 2, 28) == 1);
}

static int collate(const char *a, const char *b) {
  return ctTimeCollate(a, strlen(a), b, strlen(b));
}

static void time_collate_should_equate_date_with_midnight_utc(void) {
  CHECK(collate("2024-03-01", "2024-03-01T00:00:00Z") == 0);
  CHECK(collate("2024-03-01", "2024-03-01T00:00:00.000Z") == 0);
  CHECK(collate("2024-03-01", "2024-03-01 00:00:00") == 0);
  CHECK(collate("2024-03-01", "2024-03-01T02:00:00+02:00") == 0);
  CHECK(collate("2024-03-31", "2024-03-31T00:00:01Z") < 0);
  CHECK(collate("2024-03-31", "2024-03-30T23:59:59.999Z") > 0);
}

static void time_collate_should_order_instants(void) {
  CHECK(collate("2024-03-01T10:00:00Z", "2024-03-01T10:00:00.5Z") < 0);
  CHECK(collate("2024-03-01T10:00:00.5Z", "2024-03-01T10:00:00Z") > 0);
  CHECK(collate("2024-03-01T10:00:00Z", "2024-03-01T10:00:00.000Z") == 0);
  CHECK(collate("2024-03-01 10:00:00", "2024-03-01T10:00:00Z") == 0);
  CHECK(collate("2024-03-01T12:00:00+02:00", "2024-03-01T10:00:00Z") == 0);
  CHECK(collate("2024-03-01T11:00:00+02:00", "2024-03-01T10:00:00Z") < 0);
  CHECK(collate("2024-03-01T10:00:00.1Z", "2024-03-01T10:00:00.09Z") > 0);
  CHECK(collate("2023-12-31T23:59:59Z", "2024-01-01") < 0);
}

static void time_collate_should_sort_unparseable_before_times(void) {
  CHECK(collate("garbage", "2024-03-01") < 0);
  CHECK(collate("2024-03-01", "garbage") > 0);
  CHECK(collate("", "0001-01-01T00:00:00Z") < 0);
  CHECK(collate("a", "0001-01-01") < 0); /* "a" > "0..." bytewise */
  CHECK(collate("abc", "abd") < 0);
  CHECK(collate("abd", "abc") > 0);
  CHECK(collate("abc", "abc") == 0);
  CHECK(collate("ab", "abc") < 0);
  CHECK(collate("", "a") < 0);
  CHECK(collate("2023-02-29", "2023-02-30") < 0); /* both invalid */
  CHECK(collate("\xFF", "a") > 0);                /* bytes are unsigned */
}

static void time_collate_should_be_a_total_order(void) {
  static const char *const a[] = {
      "2024-03-01",
      "2024-03-01T00:00:00Z",
      "2024-03-01T00:00:00.000Z",
      "2024-03-01 00:00:00",
      "2024-03-01T02:00:00+02:00",
      "2024-03-01T10:00:00Z",
      "2024-03-01T10:00:00.5Z",
      "2024-03-01T10:00:00.500000001Z",
      "2024-03-01T10:00:00.499Z",
      "2024-03-01 10:00:00",
      "2024-03-01T12:00:00+02:00",
      "2024-03-01T05:00:00-05:00",
      "2024-02-29",
      "2024-02-29T23:59:59.999999999Z",
      "2024-03-02",
      "2023-12-31T23:59:59Z",
      "1970-01-01T00:00:00Z",
      "1969-12-31T23:59:59.5Z",
      "9999-12-31T23:59:59Z",
      "0001-01-01",
      "2024-03-01T10:00",
      "2024-03-01T10:00:00+0000",
      "garbage",
      "",
      "2023-02-29",
      "2024-13-01",
      "abc",
      "ab",
      "zzz",
      "2024-03-01T10:00:00ZZ",
      "2024-03-01T10",
  };
  size_t n = sizeof(a) / sizeof(a[0]), i, j, k;
  int c[sizeof(a) / sizeof(a[0])][sizeof(a) / sizeof(a[0])];
  for (i = 0; i < n; i++) {
    for (j = 0; j < n; j++)
      c[i][j] = sign(collate(a[i], a[j]));
  }
  for (i = 0; i < n; i++) {
    CHECKF(c[i][i] == 0, ": \"%s\" != itself", a[i]);
    for (j = 0; j < n; j++) {
      CHECKF(c[i][j] == -c[j][i], ": not antisymmetric: \"%s\" \"%s\"", a[i],
             a[j]);
      for (k = 0; k < n; k++) {
        if (c[i][j] <= 0 && c[j][k] <= 0) {
          CHECKF(c[i][k] <= 0, ": not transitive: \"%s\" \"%s\" \"%s\"", a[i],
                 a[j], a[k]);
        }
        if (c[i][j] == 0 && c[j][k] == 0) {
          CHECKF(c[i][k] == 0,
                 ": equality not transitive: \"%s\" \"%s\" "
                 "\"%s\"",
                 a[i], a[j], a[k]);
        }
      }
    }
  }
}

const Test aUnitTime[] = {
    TEST(time_should_parse_supported_forms),
    TEST(time_should_reject_invalid_texts),
    TEST(time_should_reject_offset_with_colon_but_no_minutes),
    TEST(time_format_should_round_trip),
    TEST(time_format_should_write_cloudtrail_form),
    TEST(time_days_from_civil_should_count_from_1970),
    TEST(time_collate_should_equate_date_with_midnight_utc),
    TEST(time_collate_should_order_instants),
    TEST(time_collate_should_sort_unparseable_before_times),
    TEST(time_collate_should_be_a_total_order),
    {0, 0},
};
