/*
** ct_logname.h - what a CloudTrail delivery file's name says.
**
** CloudTrail names each file it delivers
**   ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_UNIQUE.json.gz
** (Insight files: ACCOUNT_CloudTrail-Insight_REGION_...). The time is the
** delivery minute, truncated: a file named ...T1220Z holds events up to
** 12:20:59 at most. These are facts about the file, not about its events:
** the account and region in the name need not equal recipientAccountId or
** awsRegion inside (a trail can deliver another account's events).
*/
#ifndef CT_LOGNAME_H
#define CT_LOGNAME_H

#include "ct_time.h"

typedef struct CtLogName {
  char zAccount[16];  /* 12 digits */
  char zRegion[40];   /* e.g. us-east-1 */
  CtInstant delivery; /* Delivery minute (seconds 0) */
  char zDelivery[24]; /* The same as text: YYYY-MM-DDTHH:MM:00Z */
  int isInsight;      /* True for CloudTrail-Insight files */
} CtLogName;

/* Parse the last component of zPath. Returns 1 and fills *p if it is a
** CloudTrail delivery name (.json, .json.gz), 0 otherwise. */
int ctLogNameParse(const char *zPath, CtLogName *p);

#endif /* CT_LOGNAME_H */
