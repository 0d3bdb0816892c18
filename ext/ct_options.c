/*
** ct_options.c - the cloudtrail table's options: the text of CREATE VIRTUAL
** TABLE arguments, or of the table-valued form's second argument, into a
** CtOptions (ct_vtab.h).
**
**   cloudtrail('/logs', 'on_error=skip, max_file_size=512M, threads=2')
**   CREATE VIRTUAL TABLE temp.t USING cloudtrail('/logs', on_error=skip);
**
**   on_error       fail (default) or skip: go on past bad files
**   max_file_size  bytes, or a number with K, M or G (1024s), to 1024G
**   max_delay      a number with s, m, h or d: no event reaches the logs
**                  later than this after it happened (default: none,
**                  exact); lets an eventTime bound skip files
**   threads        0 to 64 decoding threads (default: one per CPU but one,
**                  at most 8)
**   progress       1/on or 0/off: a progress line on stderr
**
** Values may be quoted ('x', "x", `x`, [x]); a list is split at commas
** outside quotes. Errors name the option and say what to write. Every
** string here is sqlite3_malloc'd.
*/
#include "ct_vtab.h"
SQLITE_EXTENSION_INIT3

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copy of z[0..n) without surrounding quotes ('x', "x", `x`, [x]); a doubled
** quote inside stands for one. sqlite3_malloc'd. */
char *ctDequote(const char *z, int n) {
  char *zOut;
  char q;
  int i, j;
  while (n > 0 && (z[0] == ' ' || z[0] == '\t' || z[0] == '\n')) {
    z++;
    n--;
  }
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\n')) {
    n--;
  }
  zOut = sqlite3_malloc(n + 1);
  if (zOut == 0)
    return 0;
  q = n >= 2 ? z[0] : 0;
  if (q == '[')
    q = ']';
  if ((q == '\'' || q == '"' || q == '`' || q == ']') && z[n - 1] == q) {
    for (i = 1, j = 0; i < n - 1; i++) {
      zOut[j++] = z[i];
      if (z[i] == q && i + 1 < n - 1 && z[i + 1] == q)
        i++;
    }
    zOut[j] = 0;
  } else {
    memcpy(zOut, z, (size_t)n);
    zOut[n] = 0;
  }
  return zOut;
}

/*
** Parse digits, then optionally one of the unit letters of zUnits (whose
** multipliers are aMult), then, if allowB, an optional 'b' or 'B'. The
** value must lie in [lo, mx]. Returns 0 and sets *pOut, or 1.
*/
static int ctParseScaled(const char *z, const char *zUnits,
                         const sqlite3_int64 *aMult, sqlite3_int64 lo,
                         sqlite3_int64 mx, int allowB, sqlite3_int64 *pOut) {
  sqlite3_int64 v = 0, mult = 1;
  const char *zUnit;
  int digits = 0;
  while (*z >= '0' && *z <= '9') {
    v = v * 10 + (*z - '0');
    if (v > mx)
      return 1;
    z++;
    digits++;
  }
  if (digits == 0)
    return 1;
  if (*z && (zUnit = strchr(zUnits, *z)) != 0) {
    mult = aMult[zUnit - zUnits];
    z++;
  }
  if (allowB && (*z == 'b' || *z == 'B') && z[1] == 0)
    z++;
  if (*z != 0 || v > mx / mult || v * mult < lo)
    return 1;
  *pOut = v * mult;
  return 0;
}

/* A size: bytes, or a number with K, M or G (powers of 1024), to 1024G. */
static int ctParseSize(const char *z, sqlite3_int64 *pOut) {
  static const sqlite3_int64 aMult[] = {1 << 10, 1 << 10, 1 << 20,
                                        1 << 20, 1 << 30, 1 << 30};
  return ctParseScaled(z, "kKmMgG", aMult, 1, (sqlite3_int64)1 << 40, 1, pOut);
}

/* A duration: seconds, or a number with s, m, h or d. */
static int ctParseDuration(const char *z, sqlite3_int64 *pOut) {
  static const sqlite3_int64 aMult[] = {1, 60, 3600, 86400};
  return ctParseScaled(z, "smhd", aMult, 0, (sqlite3_int64)1 << 40, 0, pOut);
}

/*
** Apply one "key=value" option (n bytes of z). If pzPath is not NULL, the
** key "path" is accepted and stored there. Returns 0, or 1 with *pzErr set.
*/
int ctApplyOption(const char *z, int n, CtOptions *p, char **pzPath,
                  char **pzErr) {
  const char *eq = memchr(z, '=', (size_t)n);
  char *zKey, *zVal;
  int rc = 0;
  if (eq == 0) {
    char *zBad = ctDequote(z, n);
    *pzErr = sqlite3_mprintf("cloudtrail: option \"%s\" is not key=value",
                             zBad ? zBad : "");
    sqlite3_free(zBad);
    return 1;
  }
  zKey = ctDequote(z, (int)(eq - z));
  zVal = ctDequote(eq + 1, n - (int)(eq - z) - 1);
  if (zKey == 0 || zVal == 0) {
    *pzErr = sqlite3_mprintf("out of memory");
    rc = 1;
  } else if (sqlite3_stricmp(zKey, "on_error") == 0) {
    if (sqlite3_stricmp(zVal, "fail") == 0)
      p->skipErrors = 0;
    else if (sqlite3_stricmp(zVal, "skip") == 0)
      p->skipErrors = 1;
    else {
      *pzErr = sqlite3_mprintf(
          "cloudtrail: bad value for on_error: \"%s\" (use fail or skip)",
          zVal);
      rc = 1;
    }
  } else if (sqlite3_stricmp(zKey, "max_file_size") == 0) {
    if (ctParseSize(zVal, &p->maxFileSize)) {
      *pzErr = sqlite3_mprintf("cloudtrail: bad value for max_file_size: "
                               "\"%s\" (use bytes, or a number with K, M or "
                               "G, at most 1024G)",
                               zVal);
      rc = 1;
    }
  } else if (sqlite3_stricmp(zKey, "max_delay") == 0) {
    if (ctParseDuration(zVal, &p->maxDelay)) {
      *pzErr = sqlite3_mprintf("cloudtrail: bad value for max_delay: \"%s\" "
                               "(use a number with s, m, h or d, like 2h)",
                               zVal);
      rc = 1;
    }
  } else if (sqlite3_stricmp(zKey, "progress") == 0) {
    if (strcmp(zVal, "1") == 0 || sqlite3_stricmp(zVal, "on") == 0) {
      p->progress = 1;
    } else if (strcmp(zVal, "0") == 0 || sqlite3_stricmp(zVal, "off") == 0) {
      p->progress = 0;
    } else {
      *pzErr = sqlite3_mprintf("cloudtrail: bad value for progress: \"%s\" "
                               "(use 1 or 0)",
                               zVal);
      rc = 1;
    }
  } else if (sqlite3_stricmp(zKey, "threads") == 0) {
    char *zEnd = 0;
    long v = strtol(zVal, &zEnd, 10);
    if (zVal[0] < '0' || zVal[0] > '9' || *zEnd || v > 64) {
      *pzErr = sqlite3_mprintf("cloudtrail: bad value for threads: \"%s\" "
                               "(use 0 to 64)",
                               zVal);
      rc = 1;
    } else {
      p->nThread = (int)v;
    }
  } else if (pzPath && sqlite3_stricmp(zKey, "path") == 0) {
    sqlite3_free(*pzPath);
    *pzPath = zVal;
    zVal = 0;
  } else {
    *pzErr = sqlite3_mprintf(
        "cloudtrail: unknown option \"%s\" (options: "
        "on_error, max_file_size, max_delay, threads, progress)",
        zKey);
    rc = 1;
  }
  sqlite3_free(zKey);
  sqlite3_free(zVal);
  return rc;
}

/* Apply a comma-separated list of options. */
int ctApplyOptionList(const char *z, CtOptions *p, char **pzErr) {
  while (*z) {
    const char *zEnd = z;
    char q = 0;
    while (*zEnd && (q || *zEnd != ',')) {
      if (q && *zEnd == q)
        q = 0;
      else if (!q && (*zEnd == '\'' || *zEnd == '"'))
        q = *zEnd;
      zEnd++;
    }
    {
      const char *a = z;
      while (a < zEnd && (*a == ' ' || *a == '\t' || *a == '\n'))
        a++;
      if (a < zEnd && ctApplyOption(z, (int)(zEnd - z), p, 0, pzErr))
        return 1;
    }
    z = *zEnd ? zEnd + 1 : zEnd;
  }
  return 0;
}

/* Decoding threads by default: one per online CPU but one, at most 8. The
** query's thread decodes too while it waits, so this keeps every CPU busy
** without more threads than CPUs (measured: 7% faster than one per CPU on
** 2 cores, bench/). */
static int ctDefaultThreads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 2 ? 0 : n > 9 ? 8 : (int)n - 1;
}

void ctDefaultOptions(CtOptions *p) {
  p->skipErrors = 0;
  p->maxFileSize = CT_DEFAULT_MAX_FILE_SIZE;
  p->maxDelay = -1;
  p->nThread = ctDefaultThreads();
}
