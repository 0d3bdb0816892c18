/*
** ct_event.h - the top-level fields of one CloudTrail event.
**
** CT_FIELDS lists every field the table exposes as a column of its own, with
** how its value is turned into SQL (see ct_columns.c): TEXT (a string's
** decoded text), BOOL (true/false, also as strings, to 1/0) or JSON (the
** value's own text). ctEventIndex() finds them in one pass over the event's
** members; a key that appears twice counts the first time, as in SQLite's
** json_extract().
*/
#ifndef CT_EVENT_H
#define CT_EVENT_H

#include "ct_json.h"

#define CT_KIND_TEXT 1
#define CT_KIND_BOOL 2
#define CT_KIND_JSON 3

/* X(ENUM_SUFFIX, "jsonKey", kind) - the order is the column order. */
#define CT_FIELDS(X)                                                           \
  X(EVENT_VERSION, "eventVersion", CT_KIND_TEXT)                               \
  X(EVENT_TIME, "eventTime", CT_KIND_TEXT)                                     \
  X(EVENT_SOURCE, "eventSource", CT_KIND_TEXT)                                 \
  X(EVENT_NAME, "eventName", CT_KIND_TEXT)                                     \
  X(AWS_REGION, "awsRegion", CT_KIND_TEXT)                                     \
  X(SOURCE_IP_ADDRESS, "sourceIPAddress", CT_KIND_TEXT)                        \
  X(USER_AGENT, "userAgent", CT_KIND_TEXT)                                     \
  X(ERROR_CODE, "errorCode", CT_KIND_TEXT)                                     \
  X(ERROR_MESSAGE, "errorMessage", CT_KIND_TEXT)                               \
  X(REQUEST_ID, "requestID", CT_KIND_TEXT)                                     \
  X(EVENT_ID, "eventID", CT_KIND_TEXT)                                         \
  X(EVENT_TYPE, "eventType", CT_KIND_TEXT)                                     \
  X(API_VERSION, "apiVersion", CT_KIND_TEXT)                                   \
  X(RECIPIENT_ACCOUNT_ID, "recipientAccountId", CT_KIND_TEXT)                  \
  X(SHARED_EVENT_ID, "sharedEventID", CT_KIND_TEXT)                            \
  X(VPC_ENDPOINT_ID, "vpcEndpointId", CT_KIND_TEXT)                            \
  X(VPC_ENDPOINT_ACCOUNT_ID, "vpcEndpointAccountId", CT_KIND_TEXT)             \
  X(EVENT_CATEGORY, "eventCategory", CT_KIND_TEXT)                             \
  X(READ_ONLY, "readOnly", CT_KIND_BOOL)                                       \
  X(MANAGEMENT_EVENT, "managementEvent", CT_KIND_BOOL)                         \
  X(SESSION_CREDENTIAL_FROM_CONSOLE, "sessionCredentialFromConsole",           \
    CT_KIND_BOOL)                                                              \
  X(USER_IDENTITY, "userIdentity", CT_KIND_JSON)                               \
  X(REQUEST_PARAMETERS, "requestParameters", CT_KIND_JSON)                     \
  X(RESPONSE_ELEMENTS, "responseElements", CT_KIND_JSON)                       \
  X(ADDITIONAL_EVENT_DATA, "additionalEventData", CT_KIND_JSON)                \
  X(RESOURCES, "resources", CT_KIND_JSON)                                      \
  X(SERVICE_EVENT_DETAILS, "serviceEventDetails", CT_KIND_JSON)                \
  X(ADDENDUM, "addendum", CT_KIND_JSON)                                        \
  X(TLS_DETAILS, "tlsDetails", CT_KIND_JSON)                                   \
  X(EDGE_DEVICE_DETAILS, "edgeDeviceDetails", CT_KIND_JSON)                    \
  X(INSIGHT_DETAILS, "insightDetails", CT_KIND_JSON)

#define CT_FIELD_ENUM(e, k, t) CT_F_##e,
enum { CT_FIELDS(CT_FIELD_ENUM) CT_NFIELD };
#undef CT_FIELD_ENUM

/* JSON key and kind of field i (0 <= i < CT_NFIELD). */
const char *ctFieldKey(int i);
int ctFieldKind(int i);

/* Field number of the key token (quotes included), or -1. */
int ctFieldLookup(const char *buf, CtSpan key);

/*
** Fill aField[0..CT_NFIELD) with the spans of the fields of the validated
** event object at span rec (len 0 where absent).
*/
void ctEventIndex(const char *buf, CtSpan rec, CtSpan *aField);

/*
** The one rule for the text a TEXT column shows for the JSON value v of a
** field: none (returns 0) if v is absent (len 0) or null; a string's
** decoded text; any other value's own bytes. Returns 1 with *pz, *pn set:
** pointing into buf, or, for a string with escapes, decoded into
** scratch[0..nScratch) if it fits, else into *pzFree (ctMalloc'd; to be
** ctFree'd; else *pzFree is NULL). Returns -1 on out of memory. The
** cloudtrail table's columns (ct_columns.c) and the filter's tests of them
** (ct_filter.c) both use it, so a pushed-down test sees what SQL sees.
*/
int ctEventText(const char *buf, CtSpan v, char *scratch, size_t nScratch,
                const char **pz, size_t *pn, char **pzFree);

#endif /* CT_EVENT_H */
