/*
** ct_pattern.c - see ct_pattern.h.
*/
#include "ct_pattern.h"

#include "ct_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* zDir + '/' + zName (no '/' added after an empty zDir or one ending in
** '/'), ctMalloc'd. (Not ctMprintf: this runs once per log file.) */
char *ctPathJoin(const char *zDir, const char *zName) {
  size_t n = strlen(zDir), m = strlen(zName);
  int slash = n > 0 && zDir[n - 1] != '/';
  char *z = ctMalloc(n + (size_t)slash + m + 1);
  if (z == 0)
    return 0;
  memcpy(z, zDir, n);
  if (slash)
    z[n] = '/';
  memcpy(z + n + (size_t)slash, zName, m + 1);
  return z;
}

int ctPatternHasMeta(const char *z) { return strpbrk(z, "*?[") != 0; }

/* A pattern component that must be matched against directory entries. */
static int isMatchComponent(const char *z) { return strpbrk(z, "*?[\\") != 0; }

/* A list of paths (the pattern's matches so far). */
typedef struct CtPathList {
  char **az;
  size_t n, nAlloc;
} CtPathList;

static void pathListFree(CtPathList *l) {
  size_t i;
  for (i = 0; i < l->n; i++)
    ctFree(l->az[i]);
  ctFree(l->az);
  memset(l, 0, sizeof(*l));
}

/* Append z (malloc'd; freed on failure). Returns nonzero on OOM. */
static int pathListAdd(CtPathList *l, char *z) {
  if (z == 0)
    return 1;
  if (ctGrow(&l->az, &l->nAlloc, l->n + 1, sizeof(char *), 16)) {
    ctFree(z);
    return 1;
  }
  l->az[l->n++] = z;
  return 0;
}

int ctPatternMatch(const char *zPattern,
                   int (*xAdd)(void *pArg, const char *zPath, int eno),
                   int (*xStop)(void *pArg, unsigned n), void *pArg) {
  CtPathList cur, next;
  char *zPat = ctStrdup(zPattern);
  char *zComp, *zSave = 0;
  int rc = CT_PATTERN_OK, lastLiteral = 0;
  size_t nPat, i;
  int trailingSlash;
  memset(&cur, 0, sizeof(cur));
  memset(&next, 0, sizeof(next));
  if (zPat == 0)
    return CT_PATTERN_NOMEM;
  nPat = strlen(zPat);
  trailingSlash = nPat > 1 && zPat[nPat - 1] == '/';
  if (pathListAdd(&cur, ctStrdup(zPat[0] == '/' ? "/" : ""))) {
    ctFree(zPat);
    return CT_PATTERN_NOMEM;
  }
  for (zComp = strtok_r(zPat, "/", &zSave); zComp && rc == CT_PATTERN_OK;
       zComp = strtok_r(0, "/", &zSave)) {
    lastLiteral = !isMatchComponent(zComp);
    for (i = 0; i < cur.n && rc == CT_PATTERN_OK; i++) {
      const char *zPrefix = cur.az[i];
      DIR *d;
      struct dirent *e;
      if (lastLiteral) {
        if (pathListAdd(&next, ctPathJoin(zPrefix, zComp)))
          rc = CT_PATTERN_NOMEM;
        continue;
      }
      d = opendir(zPrefix[0] ? zPrefix : ".");
      if (d == 0) {
        /* Nothing to match under a path that is missing or not a
        ** directory; any other failure is reported. */
        if (errno != ENOENT && errno != ENOTDIR) {
          int eno = errno;
          if (xAdd(pArg, zPrefix[0] ? zPrefix : ".", eno))
            rc = CT_PATTERN_NOMEM;
        }
        continue;
      }
      for (;;) {
        if (xStop(pArg, 1)) {
          rc = CT_PATTERN_STOP;
          break;
        }
        errno = 0;
        e = readdir(d);
        if (e == 0) {
          if (errno != 0) {
            int eno = errno;
            if (xAdd(pArg, zPrefix[0] ? zPrefix : ".", eno))
              rc = CT_PATTERN_NOMEM;
          }
          break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
          continue;
        if (fnmatch(zComp, e->d_name, FNM_PERIOD) == 0 &&
            pathListAdd(&next, ctPathJoin(zPrefix, e->d_name))) {
          rc = CT_PATTERN_NOMEM;
          break;
        }
      }
      closedir(d);
    }
    pathListFree(&cur);
    cur = next;
    memset(&next, 0, sizeof(next));
  }
  ctFree(zPat);
  for (i = 0; i < cur.n && rc == CT_PATTERN_OK; i++) {
    struct stat st;
    if (lastLiteral && fstatat(AT_FDCWD, cur.az[i], &st, AT_SYMLINK_NOFOLLOW))
      continue; /* a literal last component must exist */
    if (trailingSlash) {
      char *z;
      if (stat(cur.az[i], &st) != 0 || !S_ISDIR(st.st_mode))
        continue;
      z = ctMprintf("%s/", cur.az[i]);
      if (z == 0 || xAdd(pArg, z, 0))
        rc = CT_PATTERN_NOMEM;
      ctFree(z);
      continue;
    }
    if (xAdd(pArg, cur.az[i], 0))
      rc = CT_PATTERN_NOMEM;
  }
  pathListFree(&cur);
  return rc;
}
