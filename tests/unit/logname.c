/*
** tests/unit/logname.c - ct_logname: what a CloudTrail file name says
** (delivery and Insights names), and the names it refuses.
*/
#include "helpers.h"

#include "ct_logname.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void logname_should_parse_delivery_and_insight_names(void) {
  CtLogName n;
  CHECK(ctLogNameParse("/x/AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/"
                       "10/218007301253_CloudTrail_us-east-1_20230710T1145Z_"
                       "7xgocspSowgK0Gto.json.gz",
                       &n));
  CHECK(strcmp(n.zAccount, "218007301253") == 0);
  CHECK(strcmp(n.zRegion, "us-east-1") == 0);
  CHECK(strcmp(n.zDelivery, "2023-07-10T11:45:00Z") == 0);
  CHECK(n.delivery.sec == 1688989500 && !n.isInsight);
  CHECK(ctLogNameParse("123456789012_CloudTrail-Insight_eu-west-1_"
                       "20240229T2355Z_abcdefghijklmnop.json",
                       &n));
  CHECK(n.isInsight && strcmp(n.zDelivery, "2024-02-29T23:55:00Z") == 0);
}

static void logname_should_reject_other_names(void) {
  static const char *const a[] = {
      "12345678901_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_us-east-1_20230710T1145Z_short.json",
      "218007301253_CloudTrail_us-east-1_20230710T2400Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_us-east-1_20230230T1145Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_us-east-1_20230710T1160Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_US-EAST-1_20230710T1145Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.jsonl",
      "218007301253_CloudTrail-Digest_us-east-1_x_20230710T1145Z.json",
      "export.json",
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtLogName n;
    CHECKF(!ctLogNameParse(a[i], &n), ": \"%s\" parsed", a[i]);
  }
}

const Test aUnitLogname[] = {
    TEST(logname_should_parse_delivery_and_insight_names),
    TEST(logname_should_reject_other_names),
    {0, 0},
};
