/*
** tests/unit/event.c - ct_event: the index of an event's top-level
** fields (absent, duplicate and escaped keys) and the key-to-field lookup.
*/
#include "helpers.h"

#include "ct_event.h"
#include "ct_json.h"
#include "ct_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void event_index_should_find_every_field(void) {
  /* A nested eventName first (must not count), then every field in reverse
  ** column order, spaced out, each after an unknown key. */
  char *z = ctMprintf("%s", "{\"nested\":{\"eventName\":\"no\"}");
  char *aWant[CT_NFIELD];
  CtSpan aField[CT_NFIELD], rec;
  int i;
  for (i = CT_NFIELD - 1; i >= 0; i--) {
    char *zNext;
    switch (ctFieldKind(i)) {
    case CT_KIND_TEXT:
      aWant[i] = ctMprintf("\"v%d\"", i);
      break;
    case CT_KIND_BOOL:
      aWant[i] = ctMprintf("%s", i % 2 ? "true" : "false");
      break;
    default:
      aWant[i] = ctMprintf("{\"n\": %d, \"a\": [%d, \"}\"]}", i, i);
      break;
    }
    zNext = ctMprintf("%s ,\n \"x%d\":[%d], \"%s\" : %s", z, i, i,
                      ctFieldKey(i), aWant[i]);
    free(z);
    z = zNext;
  }
  {
    char *zNext = ctMprintf("%s }", z);
    free(z);
    z = zNext;
  }
  CHECK(ourAccepts(z, strlen(z), 0, 0, 0));
  rec.off = 0;
  rec.len = strlen(z);
  ctEventIndex(z, rec, aField);
  for (i = 0; i < CT_NFIELD; i++) {
    CHECKF(spanIs(z, aField[i], aWant[i]), ": field %s: \"%.*s\", want %s",
           ctFieldKey(i), (int)aField[i].len, z + aField[i].off, aWant[i]);
    free(aWant[i]);
  }
  free(z);
}

static void event_index_should_leave_absent_fields_empty(void) {
  static const char z[] = "xx{\"eventTime\":\"2024-03-01T10:00:00Z\","
                          "\"eventName\":\"A\",\"unknown\":1}yy";
  CtSpan aField[CT_NFIELD], rec = {2, sizeof(z) - 5};
  int i;
  ctEventIndex(z, rec, aField);
  CHECK_SPAN(z, aField[CT_F_EVENT_TIME], "\"2024-03-01T10:00:00Z\"");
  CHECK_SPAN(z, aField[CT_F_EVENT_NAME], "\"A\"");
  for (i = 0; i < CT_NFIELD; i++) {
    if (i == CT_F_EVENT_TIME || i == CT_F_EVENT_NAME)
      continue;
    CHECKF(aField[i].len == 0, ": field %s present", ctFieldKey(i));
  }
  {
    CtSpan empty = {0, 2};
    ctEventIndex("{}", empty, aField);
    for (i = 0; i < CT_NFIELD; i++)
      CHECK(aField[i].len == 0);
  }
}

static void event_index_should_take_first_duplicate(void) {
  static const char z[] = "{\"eventName\":\"first\",\"readOnly\":true,"
                          "\"eventName\":\"second\",\"readOnly\":false}";
  CtSpan aField[CT_NFIELD], rec = {0, sizeof(z) - 1};
  ctEventIndex(z, rec, aField);
  CHECK_SPAN(z, aField[CT_F_EVENT_NAME], "\"first\"");
  CHECK_SPAN(z, aField[CT_F_READ_ONLY], "true");
}

static void event_index_should_find_escaped_keys(void) {
  static const char z[] =
      "{\"event\\u004eame\":\"esc\",\"eventName\":\"plain\","
      "\"\\u0065ventTime\":\"t\",\"user\\u0049dentity\":"
      "{\"a\":1}}";
  CtSpan aField[CT_NFIELD], rec = {0, sizeof(z) - 1};
  ctEventIndex(z, rec, aField);
  CHECK_SPAN(z, aField[CT_F_EVENT_NAME], "\"esc\"");
  CHECK_SPAN(z, aField[CT_F_EVENT_TIME], "\"t\"");
  CHECK_SPAN(z, aField[CT_F_USER_IDENTITY], "{\"a\":1}");
}

static void event_field_lookup_should_map_keys_to_fields(void) {
  int i;
  for (i = 0; i < CT_NFIELD; i++) {
    char *zKey = ctMprintf("\"%s\"", ctFieldKey(i));
    CtSpan k = {0, 0};
    k.len = strlen(zKey);
    CHECKF(ctFieldLookup(zKey, k) == i, ": %s", zKey);
    free(zKey);
  }
  CHECK(ctFieldKind(CT_F_EVENT_NAME) == CT_KIND_TEXT);
  CHECK(ctFieldKind(CT_F_READ_ONLY) == CT_KIND_BOOL);
  CHECK(ctFieldKind(CT_F_USER_IDENTITY) == CT_KIND_JSON);
  CHECK(strcmp(ctFieldKey(CT_F_EVENT_NAME), "eventName") == 0);
}

static void event_field_lookup_should_return_minus_one_for_unknown_key(void) {
  static const char *const a[] = {
      "\"unknown\"", "\"EventName\"",      "\"eventNam\"", "\"eventNamee\"",
      "\"\"",        "\"event\\u004eam\"", "\"Records\"",  "\"eventname\""};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtSpan k = {0, 0};
    k.len = strlen(a[i]);
    CHECKF(ctFieldLookup(a[i], k) == -1, ": %s", a[i]);
  }
  {
    /* An escaped key longer than any field name. */
    char z[400];
    size_t n = 0, j;
    CtSpan k = {0, 0};
    z[n++] = '"';
    for (j = 0; j < 60; j++) {
      memcpy(z + n, "\\u0061", 6);
      n += 6;
    }
    z[n++] = '"';
    k.len = n;
    CHECK(ctFieldLookup(z, k) == -1);
  }
}

const Test aUnitEvent[] = {
    TEST(event_index_should_find_every_field),
    TEST(event_index_should_leave_absent_fields_empty),
    TEST(event_index_should_take_first_duplicate),
    TEST(event_index_should_find_escaped_keys),
    TEST(event_field_lookup_should_map_keys_to_fields),
    TEST(event_field_lookup_should_return_minus_one_for_unknown_key),
    {0, 0},
};
