/*
** ct_logname.c - see ct_logname.h.
*/
#include "ct_logname.h"

#include <string.h>

static int isDigits(const char *z, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (z[i] < '0' || z[i] > '9')
      return 0;
  }
  return 1;
}

static int num(const char *z, size_t n) {
  int v = 0;
  size_t i;
  for (i = 0; i < n; i++)
    v = v * 10 + (z[i] - '0');
  return v;
}

int ctLogNameParse(const char *zPath, CtLogName *p) {
  const char *z = strrchr(zPath, '/');
  const char *zRegion, *zTime, *zUnique, *zDot;
  size_t nRegion, i;
  char iso[21];
  z = z ? z + 1 : zPath;
  memset(p, 0, sizeof(*p));
  if (strlen(z) < 13 || !isDigits(z, 12) || z[12] != '_')
    return 0;
  memcpy(p->zAccount, z, 12);
  z += 13;
  if (strncmp(z, "CloudTrail_", 11) == 0) {
    z += 11;
  } else if (strncmp(z, "CloudTrail-Insight_", 19) == 0) {
    z += 19;
    p->isInsight = 1;
  } else {
    return 0;
  }
  zRegion = z;
  while (*z && *z != '_') {
    if (!((*z >= 'a' && *z <= 'z') || (*z >= '0' && *z <= '9') || *z == '-')) {
      return 0;
    }
    z++;
  }
  nRegion = (size_t)(z - zRegion);
  if (*z != '_' || nRegion == 0 || nRegion >= sizeof(p->zRegion))
    return 0;
  memcpy(p->zRegion, zRegion, nRegion);
  zTime = z + 1;
  if (strlen(zTime) < 15 || !isDigits(zTime, 8) || zTime[8] != 'T' ||
      !isDigits(zTime + 9, 4) || zTime[13] != 'Z' || zTime[14] != '_') {
    return 0;
  }
  zUnique = zTime + 15;
  zDot = strchr(zUnique, '.');
  if (zDot == 0 || zDot - zUnique != 16)
    return 0; /* CloudTrail's unique part: 16 letters and digits */
  for (i = 0; zUnique + i < zDot; i++) {
    char c = zUnique[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9'))) {
      return 0;
    }
  }
  if (strcmp(zDot, ".json.gz") != 0 && strcmp(zDot, ".json") != 0)
    return 0;
  /* YYYY-MM-DDTHH:MM:00Z, checked by the time parser */
  iso[20] = 0;
  memcpy(iso, zTime, 4);
  iso[4] = '-';
  memcpy(iso + 5, zTime + 4, 2);
  iso[7] = '-';
  memcpy(iso + 8, zTime + 6, 2);
  iso[10] = 'T';
  memcpy(iso + 11, zTime + 9, 2);
  iso[13] = ':';
  memcpy(iso + 14, zTime + 11, 2);
  memcpy(iso + 16, ":00Z", 4);
  if (num(zTime + 9, 2) > 23 || !ctTimeParse(iso, 20, &p->delivery))
    return 0;
  memcpy(p->zDelivery, iso, 20);
  return 1;
}
