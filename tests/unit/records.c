/*
** tests/unit/records.c - ct_records: events found in every file shape
** (Records, top-level array, NDJSON, a single event, pretty-printed, BOM),
** the shapes refused with their offsets, and a file read in parts against
** one pass.
*/
#include "helpers.h"

#include "ct_event.h"
#include "ct_json.h"
#include "ct_records.h"
#include "ct_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse z and compare the event spans to aWant[0..nWant). */
static void checkRecords(const char *z, size_t n, const char *const *aWant,
                         size_t nWant) {
  CtRecords r;
  char *zErr = 0;
  char *buf = exactCopy(z, n);
  size_t i;
  int rc = ctRecordsParse(buf, n, &r, 1, &zErr);
  CHECKF(rc == 0, ": \"%.60s\": %s", z, zErr ? zErr : "-");
  if (rc == 0) {
    CHECKF(r.nRec == nWant, ": \"%.60s\": %zu events, want %zu", z, r.nRec,
           nWant);
    for (i = 0; i < r.nRec && i < nWant; i++) {
      CHECK_SPAN(buf, r.aRec[i], aWant[i]);
    }
    ctRecordsFree(&r);
    CHECK(r.aRec == 0 && r.nRec == 0);
  }
  free(zErr);
  free(buf);
}
#define RECORDS(z, ...)                                                        \
  do {                                                                         \
    static const char *const aW[] = {__VA_ARGS__};                             \
    checkRecords((z), strlen(z), aW, sizeof(aW) / sizeof(aW[0]));              \
  } while (0)
#define NO_RECORDS(z) checkRecords((z), strlen(z), 0, 0)

/* Parse z, expect an error containing zWant, and no events left over. */
static void checkRecordsError(const char *z, size_t n, const char *zWant) {
  CtRecords r;
  char *zErr = 0;
  char *buf = exactCopy(z, n);
  int rc = ctRecordsParse(buf, n, &r, 1, &zErr);
  CHECKF(rc != 0, ": \"%.60s\" accepted", z);
  if (rc != 0) {
    CHECK_CONTAINS(zErr, zWant);
    CHECK(r.aRec == 0 && r.nRec == 0);
  } else {
    ctRecordsFree(&r);
  }
  free(zErr);
  free(buf);
}
#define RECORDS_ERROR(z, want) checkRecordsError((z), strlen(z), (want))

static void records_should_find_events_in_records_array(void) {
  RECORDS("{\"Records\":[{\"eventName\":\"A\"},{\"eventName\":\"B\"}]}",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\"}");
  RECORDS("{\"Records\":[{\"eventID\":null}]}", "{\"eventID\":null}");
}

static void records_should_take_any_object_in_an_array_as_an_event(void) {
  RECORDS("{\"Records\":[{}]}", "{}");
  RECORDS("[{\"foo\":1}]", "{\"foo\":1}");
  RECORDS("{\"Records\":[{\"eventNameWrong\":\"x\"}]}",
          "{\"eventNameWrong\":\"x\"}");
}

/* The fields found in the validating pass equal a separate ctEventIndex of
** each event (escaped keys, duplicates, nesting, every shape). */
static void records_fields_should_equal_a_separate_index(void) {
  static const char *const a[] = {
      "{\"Records\":[{\"eventName\":\"A\",\"eventName\":\"B\","
      "\"userIdentity\":{\"eventName\":\"no\"},\"readOnly\":true},"
      "{\"event\\u004eame\":\"C\",\"eventTime\":\"t\"}]}",
      "[{\"eventID\":\"1\",\"resources\":[{\"a\":[1,2,{}]}]} ,"
      "{\"Records\":[{\"errorCode\":null}]}]",
      "{\"eventVersion\":\"1\",\"requestParameters\":\"s\"}\n"
      "{\"eventSource\":\"x\" , \"awsRegion\" : \"r\" }",
      "{ \"other\" : 1 , \"Records\" : [ { \"eventName\" : \"P\" } ] , "
      "\"eventName\":\"wrapper\" }",
  };
  size_t i, j;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtRecords r;
    char *zErr = 0;
    int rc = ctRecordsParse(a[i], strlen(a[i]), &r, 1, &zErr);
    CHECKF(rc == 0, ": doc %zu: %s", i, zErr ? zErr : "");
    if (rc) {
      free(zErr);
      continue;
    }
    CHECK(r.nRec > 0 && r.aField != 0);
    for (j = 0; j < r.nRec; j++) {
      CtSpan idx[CT_NFIELD];
      ctEventIndex(a[i], r.aRec[j], idx);
      CHECKF(memcmp(idx, &r.aField[j * CT_NFIELD], sizeof(idx)) == 0,
             ": doc %zu event %zu", i, j);
    }
    ctRecordsFree(&r);
    /* Without fields: the same events, no field array. */
    rc = ctRecordsParse(a[i], strlen(a[i]), &r, 0, &zErr);
    CHECK(rc == 0 && r.aField == 0 && r.nRec > 0);
    ctRecordsFree(&r);
  }
}

/* A random text of events in every shape: wrappers (with members around
** "Records", and a second "Records"), arrays of events and of wrappers,
** NDJSON, nested "Records" inside events (not expanded; a "Records" member
** only where any value is allowed: in a "Records" array's events). */
static void rndEvent(char *z, size_t *pn, int inRecords) {
  static const char *aKey[] = {"eventName",    "eventTime", "errorCode",
                               "userIdentity", "x",         "readOnly",
                               "Records"};
  size_t nKey = sizeof(aKey) / sizeof(aKey[0]) - (inRecords ? 0 : 1);
  int k, nMember = (int)rndBelow(4);
  *pn += (size_t)sprintf(z + *pn, "{");
  for (k = 0; k < nMember; k++) {
    const char *zKey = aKey[rndBelow(nKey)];
    switch (rndBelow(4)) {
    case 0:
      *pn += (size_t)sprintf(z + *pn, "%s\"%s\":\"v%u\"", k ? "," : "", zKey,
                             rnd() % 9);
      break;
    case 1:
      *pn += (size_t)sprintf(z + *pn, "%s\"%s\" : [{\"a\":1},{}]", k ? "," : "",
                             zKey);
      break;
    case 2:
      *pn += (size_t)sprintf(z + *pn, "%s\"%s\":{\"Records\":[{}]}",
                             k ? "," : "", zKey);
      break;
    default:
      *pn += (size_t)sprintf(z + *pn, "%s\"%s\":null", k ? "," : "", zKey);
      break;
    }
  }
  *pn += (size_t)sprintf(z + *pn, "}");
}

static void rndEvents(char *z, size_t *pn, int nMax) {
  int k, n = (int)rndBelow((size_t)nMax + 1);
  for (k = 0; k < n; k++) {
    if (k)
      *pn += (size_t)sprintf(z + *pn, rndBelow(2) ? "," : " ,\n");
    rndEvent(z, pn, 1);
  }
}

static void rndWrapper(char *z, size_t *pn) {
  *pn += (size_t)sprintf(z + *pn, "{");
  if (rndBelow(2))
    *pn += (size_t)sprintf(z + *pn, "\"before\":[1,{\"Records\":[]}],");
  *pn += (size_t)sprintf(z + *pn, "\"Records\":[");
  rndEvents(z, pn, 6);
  *pn += (size_t)sprintf(z + *pn, "]");
  if (rndBelow(2))
    *pn += (size_t)sprintf(z + *pn, ",\"Records\":[{}],\"eventName\":\"w\"");
  *pn += (size_t)sprintf(z + *pn, "}");
}

static size_t rndEventsText(char *z) {
  size_t n = 0;
  int k, nTop = 1 + (int)rndBelow(3);
  if (rndBelow(8) == 0)
    n += (size_t)sprintf(z, "\xEF\xBB\xBF");
  for (k = 0; k < nTop; k++) {
    switch (rndBelow(3)) {
    case 0:
      rndWrapper(z, &n);
      break;
    case 1: {
      int j, nEl = (int)rndBelow(5);
      n += (size_t)sprintf(z + n, "[");
      for (j = 0; j < nEl; j++) {
        if (j)
          n += (size_t)sprintf(z + n, ",");
        if (rndBelow(3) == 0)
          rndWrapper(z, &n);
        else
          rndEvent(z, &n, 0);
      }
      n += (size_t)sprintf(z + n, "]");
      break;
    }
    default:
      n += (size_t)sprintf(z + n, "{\"eventName\":\"top%u\"}", rnd() % 9);
      break;
    }
    n += (size_t)sprintf(z + n, "\n");
  }
  return n;
}

/* The skip test of the parts test: events whose text has a "v1". */
static int mayMatchV1(void *pArg, const char *z, size_t n) {
  size_t i;
  (void)pArg;
  for (i = 0; i + 2 <= n; i++) {
    if (z[i] == 'v' && z[i + 1] == '1')
      return 0;
  }
  return 1;
}

static void records_in_parts_should_match_one_pass(void) {
  int iCase, nParted = 0;
  char *z = malloc(1 << 16);
  for (iCase = 0; iCase < 3000 && z; iCase++) {
    size_t n = rndEventsText(z), i, iAll = 0, nSkipAll = 0;
    CtRecordsRuleOut skip = {mayMatchV1, 0};
    CtRecordsOpt o1, o2;
    CtRecords a, b;
    char *zErr = 0;
    int rc, f, nPart = 0;
    o1.fieldMask = (unsigned)rnd() & CT_FIELDS_ALL;
    o1.maxRec = 0;
    o1.pRuleOut = rndBelow(3) == 0 ? &skip : 0;
    o2 = o1;
    o2.maxRec = 1 + rndBelow(4);
    rc = ctRecordsParseOpt(z, n, &a, &o1, &zErr);
    CHECKF(rc == 0, ": case %d: %s: %.*s", iCase, zErr, (int)n, z);
    if (rc) {
      free(zErr);
      continue;
    }
    CHECK(!ctRecordsHasMore(&a));
    rc = ctRecordsParseOpt(z, n, &b, &o2, &zErr);
    CHECKF(rc == 0, ": case %d: %s", iCase, zErr);
    while (rc == 0) {
      CHECKF(b.nRec <= o2.maxRec, ": case %d", iCase);
      CHECK(b.nField == a.nField && memcmp(b.aSlot, a.aSlot, CT_NFIELD) == 0);
      for (i = 0; i < b.nRec; i++, iAll++) {
        size_t ia = a.aIdx ? a.aIdx[iAll] : iAll;
        size_t ib = b.aIdx ? b.aIdx[i] : b.iBase + i;
        CHECKF(iAll < a.nRec && a.aRec[iAll].off == b.aRec[i].off &&
                   a.aRec[iAll].len == b.aRec[i].len && ia == ib,
               ": case %d part %d event %zu: %.*s", iCase, nPart, i, (int)n, z);
        if (iAll >= a.nRec)
          break;
        for (f = 0; f < CT_NFIELD; f++) {
          if (a.aSlot[f] < 0)
            continue;
          CHECKF(ctRecordsField(&a, iAll, f).off ==
                         ctRecordsField(&b, i, f).off &&
                     ctRecordsField(&a, iAll, f).len ==
                         ctRecordsField(&b, i, f).len,
                 ": case %d field %d", iCase, f);
        }
      }
      nSkipAll += b.nRuledOut;
      nPart++;
      if (!ctRecordsHasMore(&b))
        break;
      rc = ctRecordsNext(z, n, &b, &o2, &zErr);
      CHECKF(rc == 0, ": case %d: %s", iCase, zErr);
    }
    CHECKF(iAll == a.nRec && nSkipAll == a.nRuledOut,
           ": case %d: %zu of %zu events, %zu of %zu skipped: %.*s", iCase,
           iAll, a.nRec, nSkipAll, a.nRuledOut, (int)n, z);
    nParted += nPart > 1;
    ctRecordsFree(&a);
    ctRecordsFree(&b);
    /* Cut short, the text is an error, whatever the parts. */
    if (n > 2) {
      char *zA = 0, *zB = 0;
      size_t cut = rndBelow(n - 1);
      int rcA = ctRecordsParseOpt(z, cut, &a, &o1, &zA);
      int rcB = ctRecordsParseOpt(z, cut, &b, &o2, &zB);
      CHECKF(rcA == rcB && (zA == 0) == (zB == 0) &&
                 (zA == 0 || strcmp(zA, zB) == 0),
             ": case %d cut at %zu", iCase, cut);
      if (rcA == 0)
        ctRecordsFree(&a);
      if (rcB == 0)
        ctRecordsFree(&b);
      free(zA);
      free(zB);
    }
  }
  CHECKF(nParted > 1000, ": only %d texts came in several parts", nParted);
  free(z);
}

static void records_should_flatten_a_slurped_array_of_files(void) {
  RECORDS("[{\"Records\":[{\"eventName\":\"A\"},{\"eventName\":\"B\"}]},"
          "{\"eventName\":\"C\"}]",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\"}",
          "{\"eventName\":\"C\"}");
}

static void records_should_find_records_when_not_first_key(void) {
  RECORDS("{\"x\":{\"Records\":5},\"Records\":[{\"eventID\":\"1\"}],\"y\":[]}",
          "{\"eventID\":\"1\"}");
}

static void records_should_find_events_in_top_level_array(void) {
  RECORDS("[{\"eventName\":\"A\"}, {\"eventName\":\"B\"} ,"
          "{\"eventID\":[1]}]",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\"}",
          "{\"eventID\":[1]}");
  NO_RECORDS("[]");
  NO_RECORDS(" [ ] ");
}

static void
records_should_find_events_in_ndjson_with_crlf_and_blank_lines(void) {
  RECORDS("{\"eventName\":\"A\"}\r\n\r\n{\"eventName\":\"B\",\"eventTime\":"
          "\"t\"}\r\n\n  \n{\"eventID\":\"3\"}\n",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\",\"eventTime\":\"t\"}",
          "{\"eventID\":\"3\"}");
  /* Lines that are themselves Records files or arrays. */
  RECORDS("{\"Records\":[{\"eventName\":\"A\"}]}\n[{\"eventName\":\"B\"}]\n",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\"}");
}

static void records_should_take_single_event_object(void) {
  static const char *const aKey[] = {"eventVersion", "eventTime", "eventName",
                                     "eventSource", "eventID"};
  size_t i;
  for (i = 0; i < 5; i++) {
    char *z = ctMprintf("{\"other\":1,\"%s\":\"v\"}", aKey[i]);
    const char *aW[1];
    aW[0] = z;
    checkRecords(z, strlen(z), aW, 1);
    free(z);
  }
  RECORDS("  {\"event\\u004eame\":\"A\"}  ", "{\"event\\u004eame\":\"A\"}");
}

static void records_should_handle_pretty_printed_file(void) {
  RECORDS("{\n  \"Records\": [\n    {\n      \"eventName\": \"A\",\n      "
          "\"x\": [ 1, 2 ]\n    },\n    {\n      \"eventName\": \"B\"\n    }\n"
          "  ]\n}\n",
          "{\n      \"eventName\": \"A\",\n      \"x\": [ 1, 2 ]\n    }",
          "{\n      \"eventName\": \"B\"\n    }");
}

static void records_should_give_zero_events_for_empty_text(void) {
  NO_RECORDS("");
  NO_RECORDS(" \n\r\n\t ");
  NO_RECORDS("{\"Records\":[]}");
  NO_RECORDS("{\"Records\" : [ ] }\n");
  NO_RECORDS("\xEF\xBB\xBF");
}

static void records_should_skip_utf8_bom(void) {
  RECORDS("\xEF\xBB\xBF{\"Records\":[{\"eventName\":\"A\"}]}",
          "{\"eventName\":\"A\"}");
  /* A BOM after the start is not whitespace. */
  RECORDS_ERROR(" \xEF\xBB\xBF{\"Records\":[]}", "invalid JSON at offset 1");
}

static void records_should_reject_object_that_is_not_events(void) {
  RECORDS_ERROR("{\"foo\":1}", "not CloudTrail events");
  RECORDS_ERROR("{}", "not CloudTrail events");
  RECORDS_ERROR("{\"a\":{\"eventName\":\"x\"}}", "not CloudTrail events");
  /* A digest file. */
  RECORDS_ERROR("{\"awsAccountId\":\"1\",\"digestStartTime\":\"t\","
                "\"logFiles\":[]}",
                "not CloudTrail events");
  RECORDS_ERROR("\"text\"", "not CloudTrail events");
  RECORDS_ERROR("42", "not CloudTrail events");
  RECORDS_ERROR("null", "not CloudTrail events");
}

static void records_should_reject_records_that_is_not_an_array(void) {
  RECORDS_ERROR("{\"Records\":{}}", "\"Records\" is not an array");
  RECORDS_ERROR("{\"Records\":null}", "\"Records\" is not an array");
  RECORDS_ERROR("{\"Records\":\"[]\"}", "\"Records\" is not an array");
}

static void records_should_reject_event_that_is_not_an_object(void) {
  RECORDS_ERROR("{\"Records\":[1]}", "is not an object");
  RECORDS_ERROR("{\"Records\":[{\"eventName\":\"A\"},[]]}",
                "element 1 is not an object");
  RECORDS_ERROR("[{\"eventName\":\"A\"},\"x\"]", "is not an object");
  RECORDS_ERROR("[null]", "is not an object");
}

static void records_should_reject_invalid_json_with_offset(void) {
  RECORDS_ERROR("{\"Records\":[{]}", "invalid JSON at offset 13");
  RECORDS_ERROR("{\"Records\":[", "invalid JSON at offset");
  RECORDS_ERROR("{\"Records\":[{\"a\":\"\xC0\x80\"}]}",
                "invalid JSON at offset 18: invalid UTF-8 in string");
  {
    static const char z[] = "{\"eventName\":\"a\0\"}";
    checkRecordsError(z, sizeof(z) - 1, "NUL byte in string");
  }
}

static void records_should_fail_whole_ndjson_on_bad_second_line(void) {
  RECORDS_ERROR("{\"eventName\":\"A\"}\n{\"eventName\":\n{\"eventName\":\"C\"}"
                "\n",
                "invalid JSON at offset");
  RECORDS_ERROR("{\"eventName\":\"A\"}\n{\"foo\":1}\n",
                "not CloudTrail events");
  RECORDS_ERROR("{\"eventName\":\"A\"}\n7\n", "not CloudTrail events");
}

const Test aUnitRecords[] = {
    TEST(records_should_find_events_in_records_array),
    TEST(records_should_find_records_when_not_first_key),
    TEST(records_should_find_events_in_top_level_array),
    TEST(records_should_find_events_in_ndjson_with_crlf_and_blank_lines),
    TEST(records_should_take_single_event_object),
    TEST(records_should_handle_pretty_printed_file),
    TEST(records_should_give_zero_events_for_empty_text),
    TEST(records_should_skip_utf8_bom),
    TEST(records_should_reject_object_that_is_not_events),
    TEST(records_should_reject_records_that_is_not_an_array),
    TEST(records_should_reject_event_that_is_not_an_object),
    TEST(records_should_take_any_object_in_an_array_as_an_event),
    TEST(records_should_flatten_a_slurped_array_of_files),
    TEST(records_in_parts_should_match_one_pass),
    TEST(records_fields_should_equal_a_separate_index),
    TEST(records_should_reject_invalid_json_with_offset),
    TEST(records_should_fail_whole_ndjson_on_bad_second_line),
    {0, 0},
};
